//! `allocate --format csv`: one row per recipient, `code,region,population,share,<areas>,total`.
//! No total row: every amount column sums to the agreement's figure for it.

use std::io::{self, Write};

use csv::{Terminator, WriterBuilder};

use super::{MoneyFormat, percent};
use crate::allocation::Allocation;
use crate::amount::{NumberStyle, Unit};

pub fn write(
    allocation: &Allocation,
    unit: Unit,
    excel: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let style = if excel {
        NumberStyle::EXCEL
    } else {
        NumberStyle::PLAIN
    };
    if excel {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut writer = WriterBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .terminator(if excel {
            Terminator::CRLF
        } else {
            Terminator::Any(b'\n')
        })
        .from_writer(out);
    let money = MoneyFormat::new(allocation, unit, style);
    let mut header = vec!["code", "region", "population", "share"];
    header.extend(
        allocation
            .agreement
            .areas
            .iter()
            .map(|area| area.id.as_str()),
    );
    header.push("total");
    writer.write_record(&header)?;
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    for row in &allocation.regions {
        record.clear();
        record.push(row.code.clone());
        record.push(row.name.clone());
        record.push(row.population.to_string());
        record.push(percent(row.share_millionths, style));
        record.extend(row.amounts.iter().map(|&units| money.show(units)));
        record.push(money.show(row.total));
        writer.write_record(&record)?;
    }
    for row in &allocation.set_asides {
        record.clear();
        record.extend([
            String::new(),
            row.recipient.clone(),
            String::new(),
            String::new(),
        ]);
        record.extend(row.amounts.iter().map(|&units| money.show(units)));
        record.push(money.show(row.total));
        writer.write_record(&record)?;
    }
    writer.flush()
}
