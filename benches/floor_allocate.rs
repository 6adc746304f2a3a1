//! The floor for `allocate --format csv` (`benches/floor.sh`): a program written for the one
//! job of `benches/generate.py`'s file, producing fordela's exact bytes with no checks at all.
//! It reads the file, parses the rows in two halves side by side, radix-sorts them by code,
//! splits the shares and each area by largest remainder (fordela's tie rule: larger remainder,
//! then larger population, then lower code), formats the rows on two threads and writes them.
//! It trusts its input: no date filter, no duplicate, code, name, limit or sum-row check, no
//! error message. Build with `cargo build --release --example floor_allocate`.
//!
//! usage: `floor_allocate POPULATION.csv ID=TOTAL ...` (e.g. `a=50000000000 b=30000000000`)

use std::io::Write;

/// Rows formatted per block.
const BLOCK: usize = 1 << 14;

/// One row: the code as a number, where its name is in the file, its population.
#[derive(Clone, Copy)]
struct Row {
    code: u64,
    name_start: u32,
    name_len: u32,
    population: u64,
}

fn number(field: &[u8]) -> u64 {
    field.iter().fold(0, |value, &digit| value * 10 + u64::from(digit - b'0'))
}

/// Parses `text[from..to]` (whole lines) into rows: code, name, date (skipped), population.
fn parse(text: &[u8], from: usize, to: usize) -> Vec<Row> {
    let mut rows = Vec::with_capacity((to - from) / 30);
    let mut at = from;
    while at < to {
        let end = at + text[at..to].iter().position(|&byte| byte == b'\n').unwrap_or(to - at);
        let line = &text[at..end];
        let first = line.iter().position(|&byte| byte == b',').unwrap();
        let second = first + 1 + line[first + 1..].iter().position(|&byte| byte == b',').unwrap();
        let last = line.iter().rposition(|&byte| byte == b',').unwrap();
        rows.push(Row {
            code: number(&line[..first]),
            name_start: (at + first + 1) as u32,
            name_len: (second - first - 1) as u32,
            population: number(&line[last + 1..]),
        });
        at = end + 1;
    }
    rows
}

/// Largest remainder: the whole quotas, then one unit each to the largest remainders.
fn largest_remainder(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|&weight| u128::from(weight)).sum();
    let mut units = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut handed_out = 0;
    for &weight in weights {
        let product = u128::from(total) * u128::from(weight);
        let whole = (product / sum) as u64;
        units.push(whole);
        remainders.push((product % sum) as u64);
        handed_out += whole;
    }
    let left = (total - handed_out) as usize;
    if left > 0 {
        // The `left`-th largest remainder (those above it win, those at it by the tie rule),
        // found by counting the remainders per range of values, then selecting in its range.
        let shift = (128 - sum.leading_zeros()).saturating_sub(16);
        let mut counts = vec![0usize; 1 << 16];
        for &remainder in &remainders {
            counts[(remainder >> shift) as usize] += 1;
        }
        let (mut higher, mut range) = (0, counts.len() - 1);
        while higher + counts[range] < left {
            higher += counts[range];
            range -= 1;
        }
        let mut candidates: Vec<u64> =
            remainders.iter().copied().filter(|&remainder| (remainder >> shift) as usize == range).collect();
        let at = candidates.len() - (left - higher);
        let cutoff = *candidates.select_nth_unstable(at).1;
        let mut at_cutoff = Vec::new();
        let mut above = 0;
        for (index, &remainder) in remainders.iter().enumerate() {
            if remainder > cutoff {
                units[index] += 1;
                above += 1;
            } else if remainder == cutoff {
                at_cutoff.push(index);
            }
        }
        at_cutoff.sort_by_key(|&index| std::cmp::Reverse(weights[index]));
        for &index in &at_cutoff[..left - above] {
            units[index] += 1;
        }
    }
    units
}

fn format(
    text: &[u8],
    rows: &[Row],
    shares: &[u64],
    areas: &[Vec<u64>],
    range: std::ops::Range<usize>,
    out: &mut Vec<u8>,
) {
    let mut digits = itoa::Buffer::new();
    for index in range {
        let row = &rows[index];
        out.extend_from_slice(digits.format(row.code).as_bytes());
        out.push(b',');
        out.extend_from_slice(&text[row.name_start as usize..(row.name_start + row.name_len) as usize]);
        out.push(b',');
        out.extend_from_slice(digits.format(row.population).as_bytes());
        out.push(b',');
        let share = shares[index];
        out.extend_from_slice(digits.format(share / 10_000).as_bytes());
        out.push(b'.');
        let fraction = digits.format(share % 10_000).as_bytes();
        out.extend(std::iter::repeat_n(b'0', 4 - fraction.len()));
        out.extend_from_slice(fraction);
        let mut total = 0;
        for area in areas {
            out.push(b',');
            out.extend_from_slice(digits.format(area[index]).as_bytes());
            total += area[index];
        }
        out.push(b',');
        out.extend_from_slice(digits.format(total).as_bytes());
        out.push(b'\n');
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: floor_allocate POPULATION.csv ID=TOTAL ...")?;
    let areas: Vec<(String, u64)> = args
        .map(|arg| {
            let (id, total) = arg.split_once('=').expect("ID=TOTAL");
            (id.to_string(), total.parse().expect("a whole number"))
        })
        .collect();
    let text = std::fs::read(path)?;
    let body = text.iter().position(|&byte| byte == b'\n').unwrap() + 1;
    let middle = body + (text.len() - body) / 2;
    let middle = middle + text[middle..].iter().position(|&byte| byte == b'\n').map_or(0, |at| at + 1);
    let (mut rows, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| parse(&text, middle, text.len()));
        (parse(&text, body, middle), second.join().unwrap())
    });
    rows.extend_from_slice(&second);
    drop(second);
    radsort::sort_by_key(&mut rows, |row| row.code);
    let weights: Vec<u64> = rows.iter().map(|row| row.population).collect();
    // Two threads: the shares and half the areas on one, the rest on the other.
    let (shares, columns) = std::thread::scope(|scope| {
        let half = areas.len() / 2;
        let (weights, areas) = (&weights, &areas);
        let later = scope.spawn(move || {
            areas[half..].iter().map(|(_, total)| largest_remainder(*total, weights)).collect::<Vec<_>>()
        });
        let shares = largest_remainder(1_000_000, weights);
        let mut columns: Vec<Vec<u64>> =
            areas[..half].iter().map(|(_, total)| largest_remainder(*total, weights)).collect();
        columns.extend(later.join().unwrap());
        (shares, columns)
    });
    let mut head = b"code,region,population,share".to_vec();
    for (id, _) in &areas {
        head.push(b',');
        head.extend_from_slice(id.as_bytes());
    }
    head.extend_from_slice(b",total\n");
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(&head)?;
    // Two threads format alternate blocks; this one writes them in order.
    let blocks = rows.len().div_ceil(BLOCK);
    let format_block = |block: usize| {
        let range = block * BLOCK..((block + 1) * BLOCK).min(rows.len());
        let mut buffer = Vec::with_capacity(range.len() * 64);
        format(&text, &rows, &shares, &columns, range, &mut buffer);
        buffer
    };
    std::thread::scope(|scope| -> std::io::Result<()> {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let format_block = &format_block;
        scope.spawn(move || {
            for block in (1..blocks).step_by(2) {
                if sender.send(format_block(block)).is_err() {
                    return;
                }
            }
        });
        for block in (0..blocks).step_by(2) {
            out.write_all(&format_block(block))?;
            if block + 1 < blocks {
                out.write_all(&receiver.recv().unwrap())?;
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}
