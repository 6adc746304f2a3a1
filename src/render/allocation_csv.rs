//! `allocate --format csv`: one row per recipient, `code,region,population,share,<areas>,total`.
//! No total row: every amount column sums to the agreement's figure for it.

use std::io::{self, Write};

use csv::{Terminator, WriterBuilder};

use super::MoneyFormat;
use crate::allocation::Allocation;
use crate::amount::{NumberStyle, Scaled, Unit};

pub fn write(allocation: &Allocation, unit: Unit, excel: bool, out: &mut dyn Write) -> io::Result<()> {
    let style = if excel { NumberStyle::EXCEL } else { NumberStyle::PLAIN };
    if excel {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut writer = WriterBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .terminator(if excel { Terminator::CRLF } else { Terminator::Any(b'\n') })
        .buffer_capacity(1 << 16)
        .from_writer(out);
    let money = MoneyFormat::new(allocation, unit, style);
    let mut header = vec!["code", "region", "population", "share"];
    header.extend(allocation.agreement.areas.iter().map(|area| area.id.as_str()));
    header.push("total");
    writer.write_record(&header)?;
    // One buffer for every field of every row: a million rows, no allocation per field.
    let mut field = String::with_capacity(64);
    let mut put = |writer: &mut csv::Writer<&mut dyn Write>, fill: &dyn Fn(&mut String)| {
        field.clear();
        fill(&mut field);
        writer.write_field(field.as_bytes())
    };
    for row in allocation.regions() {
        writer.write_field(row.code())?;
        writer.write_field(row.name())?;
        writer.write_field(itoa::Buffer::new().format(row.population()))?;
        put(&mut writer, &|out| {
            Scaled { mantissa: row.share_millionths(), scale: 4 }.write(4, style, out);
        })?;
        for units in row.amounts() {
            put(&mut writer, &|out| money.write(units, out))?;
        }
        put(&mut writer, &|out| money.write(row.total(), out))?;
        writer.write_record(None::<&[u8]>)?;
    }
    for row in &allocation.set_asides {
        for text in ["", row.recipient.as_str(), "", ""] {
            writer.write_field(text)?;
        }
        for &units in row.amounts.iter().chain([&row.total]) {
            put(&mut writer, &|out| money.write(units, out))?;
        }
        writer.write_record(None::<&[u8]>)?;
    }
    writer.flush()
}
