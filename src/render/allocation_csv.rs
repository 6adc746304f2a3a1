//! `allocate --format csv`: one row per recipient, `code,region,population,share,<areas>,total`.
//! No total row: every amount column sums to the agreement's figure for it.

use std::io::{self, Write};
use std::ops::Range;

use csv::{Terminator, WriterBuilder};

use super::MoneyFormat;
use crate::allocation::Allocation;
use crate::amount::{NumberStyle, Scaled, Unit};

/// Rows formatted per thread at a time: large enough to keep threads busy, small enough that
/// the buffers stay a few megabytes.
const BLOCK: usize = 1 << 15;

fn writer<W: Write>(out: W, excel: bool) -> csv::Writer<W> {
    WriterBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .terminator(if excel { Terminator::CRLF } else { Terminator::Any(b'\n') })
        .buffer_capacity(1 << 16)
        .from_writer(out)
}

/// Formats the regions in `rows` into `out`.
fn regions<W: Write>(
    allocation: &Allocation,
    money: &MoneyFormat,
    style: NumberStyle,
    rows: Range<usize>,
    writer: &mut csv::Writer<W>,
) -> csv::Result<()> {
    // One buffer for every field of every row: no allocation per field.
    let mut field = String::with_capacity(64);
    for index in rows {
        let row = allocation.region(index);
        writer.write_field(row.code())?;
        writer.write_field(row.name())?;
        writer.write_field(itoa::Buffer::new().format(row.population()))?;
        field.clear();
        Scaled { mantissa: row.share_millionths(), scale: 4 }.write(4, style, &mut field);
        writer.write_field(&field)?;
        let mut total = 0;
        for units in row.amounts() {
            field.clear();
            money.write(units, &mut field);
            writer.write_field(&field)?;
            total += units;
        }
        field.clear();
        money.write(total, &mut field);
        writer.write_field(&field)?;
        writer.write_record(None::<&[u8]>)?;
    }
    Ok(())
}

pub fn write(allocation: &Allocation, unit: Unit, excel: bool, out: &mut dyn Write) -> io::Result<()> {
    let style = if excel { NumberStyle::EXCEL } else { NumberStyle::PLAIN };
    if excel {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let money = MoneyFormat::new(allocation, unit, style);
    let mut header = vec!["code", "region", "population", "share"];
    header.extend(allocation.agreement.areas.iter().map(|area| area.id.as_str()));
    header.push("total");
    {
        let mut head = writer(&mut *out, excel);
        head.write_record(&header)?;
        head.flush()?;
    }

    // Formatting is most of the work for a large table: threads format consecutive blocks
    // into their own buffers, written out in order.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
    let count = allocation.region_count();
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); threads];
    let mut start = 0;
    while start < count {
        let results: Vec<csv::Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> = buffers
                .iter_mut()
                .enumerate()
                .map(|(thread, buffer)| {
                    let rows = (start + thread * BLOCK).min(count)..(start + (thread + 1) * BLOCK).min(count);
                    let money = &money;
                    scope.spawn(move || {
                        buffer.clear();
                        let mut writer = writer(buffer, excel);
                        regions(allocation, money, style, rows, &mut writer)?;
                        writer.flush()?;
                        Ok(())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    // A thread that died has formatted nothing: never write the table without it.
                    handle.join().unwrap_or_else(|_| Err(io::Error::other("a formatting thread failed").into()))
                })
                .collect()
        });
        for (result, buffer) in results.into_iter().zip(&buffers) {
            result?;
            out.write_all(buffer)?;
        }
        start += threads * BLOCK;
    }

    let mut tail = writer(&mut *out, excel);
    let mut field = String::new();
    for row in &allocation.set_asides {
        for text in ["", row.recipient.as_str(), "", ""] {
            tail.write_field(text)?;
        }
        for &units in row.amounts.iter().chain([&row.total]) {
            field.clear();
            money.write(units, &mut field);
            tail.write_field(&field)?;
        }
        tail.write_record(None::<&[u8]>)?;
    }
    tail.flush()
}
