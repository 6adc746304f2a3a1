//! `allocate --format csv`: one row per recipient, `code,region,population,share,<areas>,total`.
//! No total row: every amount column sums to the agreement's figure for it.

use std::io::{self, Write};
use std::ops::Range;

use super::{MoneyFormat, reads_as_formula};
use crate::allocation::Allocation;
use crate::amount::{NumberStyle, Scaled, Unit};

/// Rows formatted per block: 8 192 rows are about half a megabyte of CSV, enough to keep the
/// threads busy (32 768 were no faster at a million rows) while the few buffers in flight stay
/// small next to a table of 10⁵ rows.
const BLOCK: usize = 1 << 13;

/// How rows are separated and fields written.
#[derive(Clone, Copy)]
struct Dialect {
    delimiter: u8,
    terminator: &'static [u8],
    style: NumberStyle,
}

impl Dialect {
    fn new(excel: bool) -> Dialect {
        if excel {
            Dialect { delimiter: b';', terminator: b"\r\n", style: NumberStyle::EXCEL }
        } else {
            Dialect { delimiter: b',', terminator: b"\n", style: NumberStyle::PLAIN }
        }
    }

    /// A text field, quoted as the csv crate (and Excel) would: only when it holds the
    /// delimiter, a quote or a line break, with quotes doubled; and with a leading `'` when a
    /// spreadsheet would run it as a formula (the rule of `spreadsheet_text`).
    fn text(self, text: &str, out: &mut Vec<u8>) {
        let bytes = text.as_bytes();
        let guard: &[u8] = if reads_as_formula(text) { b"'" } else { b"" };
        if !bytes.iter().any(|&b| b == self.delimiter || matches!(b, b'"' | b'\r' | b'\n')) {
            out.extend_from_slice(guard);
            out.extend_from_slice(bytes);
            return;
        }
        out.push(b'"');
        out.extend_from_slice(guard);
        for &byte in bytes {
            if byte == b'"' {
                out.push(b'"');
            }
            out.push(byte);
        }
        out.push(b'"');
    }

    fn record<'a>(self, fields: impl IntoIterator<Item = &'a str>, out: &mut Vec<u8>) {
        for (index, field) in fields.into_iter().enumerate() {
            if index > 0 {
                out.push(self.delimiter);
            }
            self.text(field, out);
        }
        out.extend_from_slice(self.terminator);
    }
}

/// Formats the regions in `rows` into `out`: numbers are written as they are (they never need
/// quoting), only codes and names go through the quoting check.
fn regions(allocation: &Allocation, money: &MoneyFormat, dialect: Dialect, rows: Range<usize>, out: &mut Vec<u8>) {
    let mut digits = itoa::Buffer::new();
    for index in rows {
        let row = allocation.region(index);
        dialect.text(row.code(), out);
        out.push(dialect.delimiter);
        dialect.text(row.name(), out);
        out.push(dialect.delimiter);
        out.extend_from_slice(digits.format(row.population()).as_bytes());
        out.push(dialect.delimiter);
        Scaled { mantissa: row.share_millionths(), scale: 4 }.write(4, dialect.style, out);
        let mut total = 0;
        for units in row.amounts() {
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
fn write_regions(
    allocation: &Allocation,
    money: &MoneyFormat,
    dialect: Dialect,
    out: &mut dyn Write,
) -> io::Result<()> {
    use std::sync::mpsc::{channel, sync_channel};
    let count = allocation.region_count();
    let blocks = count.div_ceil(BLOCK);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8).min(blocks);
    let format_block = |block: usize, buffer: &mut Vec<u8>| {
        buffer.clear();
        regions(allocation, money, dialect, block * BLOCK..((block + 1) * BLOCK).min(count), buffer);
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

pub fn write(allocation: &Allocation, unit: Unit, excel: bool, out: &mut dyn Write) -> io::Result<()> {
    let dialect = Dialect::new(excel);
    let money = MoneyFormat::new(allocation, unit, dialect.style);
    let mut head = Vec::new();
    if excel {
        head.extend_from_slice(b"\xef\xbb\xbf");
    }
    let areas = allocation.agreement.areas.iter().map(|area| area.id.as_str());
    dialect.record(["code", "region", "population", "share"].into_iter().chain(areas).chain(["total"]), &mut head);
    out.write_all(&head)?;

    write_regions(allocation, &money, dialect, out)?;

    let mut tail = Vec::new();
    for row in &allocation.set_asides {
        for text in ["", row.recipient.as_str(), "", ""] {
            dialect.text(text, &mut tail);
            tail.push(dialect.delimiter);
        }
        for (index, &units) in row.amounts.iter().chain([&row.total]).enumerate() {
            if index > 0 {
                tail.push(dialect.delimiter);
            }
            money.write(units, &mut tail);
        }
        tail.extend_from_slice(dialect.terminator);
    }
    out.write_all(&tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_quoted_only_when_a_reader_needs_it() {
        let plain = Dialect::new(false);
        let excel = Dialect::new(true);
        for (dialect, text, expected) in [
            (plain, "Enhet 1", "Enhet 1"),
            (plain, "Vård, omsorg", "\"Vård, omsorg\""),
            (excel, "Vård, omsorg", "Vård, omsorg"),
            (excel, "a;b", "\"a;b\""),
            (plain, "säger \"hej\"", "\"säger \"\"hej\"\"\""),
            (plain, "två\nrader", "\"två\nrader\""),
            (plain, "=1+1", "'=1+1"),
            (excel, "-2+3", "'-2+3"),
            (plain, "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            (excel, "@SUM(A1;A2)", "\"'@SUM(A1;A2)\""),
        ] {
            let mut out = Vec::new();
            dialect.text(text, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), expected);
            // And the csv crate reads back the very text, guarded as `spreadsheet_text` guards it.
            let mut record = Vec::new();
            dialect.record([text, "x"], &mut record);
            let mut reader =
                csv::ReaderBuilder::new().has_headers(false).delimiter(dialect.delimiter).from_reader(&record[..]);
            let read = reader.records().next().unwrap().unwrap();
            assert_eq!(&read[0], super::super::spreadsheet_text(text));
        }
    }
}
