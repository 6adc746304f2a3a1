//! `allocate --format csv`: one row per recipient, `code,region,population,share,<areas>,total`.
//! No total row: every amount column sums to the agreement's figure for it.

use std::io::{self, Write};
use std::ops::Range;

use super::view::{AllocationView, Row, RowKind};
use super::words::MoneyFormat;
use crate::core::amount::{Scaled, Unit};
use crate::lang::Lang;
use crate::output::dialect::Dialect;

/// Rows formatted per block: 8 192 rows are about half a megabyte of CSV, enough to keep the
/// threads busy (32 768 were no faster at a million rows) while the few buffers in flight stay
/// small next to a table of 10⁵ rows.
const BLOCK: usize = 1 << 13;

/// Formats `rows` into `out`: numbers are written as they are (they never need quoting), only
/// codes and names go through the quoting check. The total row is left out: every amount
/// column sums to it.
fn rows(
    view: &AllocationView<'_>,
    money: &MoneyFormat,
    dialect: Dialect,
    lang: Lang,
    rows: Range<usize>,
    out: &mut Vec<u8>,
) {
    let mut digits = itoa::Buffer::new();
    for index in rows {
        let Row { kind, amounts } = view.row(index);
        match kind {
            RowKind::Region { code, name, population, share_millionths, .. } => {
                dialect.text(code, out);
                out.push(dialect.delimiter);
                dialect.text(name, out);
                out.push(dialect.delimiter);
                if let Some(county) = view.county_of(index) {
                    dialect.text(county, out);
                    out.push(dialect.delimiter);
                }
                out.extend_from_slice(digits.format(population).as_bytes());
                out.push(dialect.delimiter);
                Scaled { mantissa: share_millionths, scale: 4 }.write(4, dialect.style, out);
            }
            RowKind::SetAside { .. } | RowKind::Withheld => {
                out.push(dialect.delimiter);
                dialect.text(kind.label(lang), out);
                out.push(dialect.delimiter);
                out.push(dialect.delimiter);
                if view.grouped_by_county() {
                    out.push(dialect.delimiter);
                }
            }
            RowKind::Total { .. } => continue,
        }
        let mut total = 0;
        for units in amounts.iter() {
            out.push(dialect.delimiter);
            money.write(units, out);
            total += units;
        }
        out.push(dialect.delimiter);
        money.write(total, out);
        out.extend_from_slice(dialect.terminator);
    }
}

/// Formatting is most of the work for a large table: worker threads format blocks of rows
/// (worker `w` the blocks `w`, `w + threads`, …) into their own buffers while this thread
/// writes the finished ones in order. Each worker is at most one block ahead of the writer,
/// and buffers go back to it once written: a few megabytes however long the table.
fn write_rows(
    view: &AllocationView<'_>,
    money: &MoneyFormat,
    dialect: Dialect,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    use std::sync::mpsc::{channel, sync_channel};
    let count = view.row_count();
    let blocks = count.div_ceil(BLOCK);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8).min(blocks);
    let format_block = |block: usize, buffer: &mut Vec<u8>| {
        buffer.clear();
        rows(view, money, dialect, lang, block * BLOCK..((block + 1) * BLOCK).min(count), buffer);
    };
    if threads <= 1 {
        let mut buffer = Vec::new();
        for block in 0..blocks {
            format_block(block, &mut buffer);
            out.write_all(&buffer)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let mut lanes = Vec::with_capacity(threads);
        let mut workers = Vec::with_capacity(threads);
        for worker in 0..threads {
            let (full, filled) = sync_channel::<Vec<u8>>(1);
            let (give_back, returned) = channel::<Vec<u8>>();
            workers.push(scope.spawn(move || {
                for block in (worker..blocks).step_by(threads) {
                    let mut buffer = returned.try_recv().unwrap_or_default();
                    format_block(block, &mut buffer);
                    // The writer is gone (it failed): stop.
                    if full.send(buffer).is_err() {
                        return;
                    }
                }
            }));
            lanes.push((filled, give_back));
        }
        let mut written = Ok(());
        for block in 0..blocks {
            let (filled, give_back) = &lanes[block % threads];
            // A worker that died sends nothing more: never write the table without its rows.
            let Ok(buffer) = filled.recv() else {
                written = Err(io::Error::other("a formatting thread failed"));
                break;
            };
            if let Err(err) = out.write_all(&buffer) {
                written = Err(err);
                break;
            }
            let _ = give_back.send(buffer);
        }
        // Dropping the lanes stops workers still formatting after a failure.
        drop(lanes);
        let joined = workers.into_iter().map(std::thread::ScopedJoinHandle::join).all(|result| result.is_ok());
        if joined { written } else { Err(io::Error::other("a formatting thread failed")) }
    })
}

/// The header is in the report's language, except the area columns: scripts read them by id.
pub fn write(
    view: &AllocationView<'_>,
    unit: Unit,
    dialect: Dialect,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let money = MoneyFormat::new(view, unit, dialect.style);
    let mut head = dialect.preamble.to_vec();
    let areas = view.agreement().areas.iter().map(|area| area.id.as_str());
    let words = match lang {
        Lang::Sv => ["kod", "region", "län", "folkmängd", "andel"],
        Lang::En => ["code", "region", "county", "population", "share"],
    };
    // The county column only in a nested table.
    let county = usize::from(!view.grouped_by_county());
    let first = words[..2].iter().chain(&words[2 + county..]).copied();
    dialect.record(first.chain(areas).chain([lang.pick("totalt", "total")]), &mut head);
    out.write_all(&head)?;
    write_rows(view, &money, dialect, lang, out)
}
