//! `allocate --format table`: regions by code, then set-aside recipients, then a total row;
//! Swedish digit grouping; notes on population, rounding and ties below.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, Table, presets};

use super::{MoneyFormat, TIE_RULE, area_rule, eligibility_note, percent, population_note};
use crate::allocation::Allocation;
use crate::amount::{NumberStyle, Unit};

pub fn write(allocation: &Allocation, unit: Unit, out: &mut dyn Write) -> io::Result<()> {
    let style = NumberStyle::SWEDISH;
    let money = MoneyFormat::new(allocation, unit, style);
    let agreement = &allocation.agreement;
    let right = |text: String| Cell::new(text).set_alignment(CellAlignment::Right);

    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    let mut header = vec![Cell::new("code"), Cell::new("region"), right("population".into()), right("share %".into())];
    header.extend(agreement.areas.iter().map(|area| right(area.id.clone())));
    header.push(right("total".into()));
    table.set_header(header);

    for row in allocation.regions() {
        let mut cells = vec![
            Cell::new(row.code()),
            Cell::new(if allocation.is_eligible(row.index()) {
                row.name().to_string()
            } else {
                format!("{} (not eligible)", row.name())
            }),
            right(grouped(u128::from(row.population()))),
            right(percent(row.share_millionths(), style)),
        ];
        cells.extend(row.amounts().map(|units| right(money.show(units))));
        cells.push(right(money.show(row.total())));
        table.add_row(cells);
    }
    for row in &allocation.set_asides {
        let mut cells = vec![Cell::new(""), Cell::new(&row.recipient), Cell::new(""), Cell::new("")];
        cells.extend(row.amounts.iter().map(|&units| right(money.show(units))));
        cells.push(right(money.show(row.total)));
        table.add_row(cells);
    }
    let shares: u128 = allocation.regions().map(|row| row.share_millionths()).sum();
    let mut cells = vec![
        Cell::new(""),
        Cell::new("Total"),
        right(grouped(allocation.population.total)),
        right(percent(shares, style)),
    ];
    cells.extend((0..agreement.areas.len()).map(|index| right(money.show(allocation.area_sum(index)))));
    cells.push(right(money.show(allocation.grand_total())));
    table.add_row(cells);

    writeln!(out, "{} ({})", agreement.name, agreement.source)?;
    writeln!(out, "{table}")?;
    if allocation.display_step.is_none() {
        writeln!(
            out,
            "Amounts in {unit}, exact: each region's part of an area is its share by the area's key, in whole \
             units of {}, so every column adds up.",
            agreement.rounding.describe()
        )?;
    } else {
        writeln!(out, "Amounts in {unit}, rounded for display (see below); every column still adds up.")?;
    }
    writeln!(out, "Shares are rounded the same way and add up to 100 %.")?;
    if let Some(step) = allocation.display_step {
        writeln!(out, "Display: {}.", super::rounding_note(step))?;
    }
    writeln!(out, "Population: {}.", population_note(allocation))?;
    for (index, area) in agreement.areas.iter().enumerate() {
        writeln!(out, "  {}: {} ({})", area.id, area.name, area_rule(allocation, index, &money, unit))?;
    }
    if let Some(note) = eligibility_note(allocation) {
        writeln!(out, "Eligibility: {note}.")?;
    }
    if allocation.ties.is_empty() {
        writeln!(out, "Ties: none (no unit was decided by the tie rule).")?;
    } else {
        writeln!(out, "Ties decided by rule ({TIE_RULE}):")?;
        for tie in &allocation.ties {
            writeln!(out, "  {}: {} tied, the unit went to {}", tie.area, tie.tied.join(", "), tie.winners.join(", "))?;
        }
    }
    Ok(())
}

fn grouped(count: u128) -> String {
    crate::amount::Scaled { mantissa: count, scale: 0 }.format(0, NumberStyle::SWEDISH)
}
