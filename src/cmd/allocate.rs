//! `fordela allocate`: read, validate, split, render.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::{Computed, compute, disk_paths, format};
use crate::cli::AllocateArgs;
use crate::output::emit;
use crate::render::{Format, allocation_csv, allocation_json, allocation_table, population_note};

pub fn run(args: &AllocateArgs) -> anyhow::Result<ExitCode> {
    let format = format(&args.output, Format::Table)?;
    let Computed { loaded, population_path, allocation, .. } =
        compute(args.agreement.as_deref(), &args.population, &args.rules)?;
    let allocation = match args.round {
        Some(step) => allocation.rounded_to(step).with_context(|| format!("--round {}", step.describe()))?,
        None => allocation,
    };

    if matches!(format, Format::Csv | Format::Excel) {
        // CSV has no footer: what the table says below itself goes to stderr.
        let mut stderr = std::io::stderr().lock();
        if let Some(step) = allocation.display_step {
            let _ = writeln!(stderr, "fordela: note: {}", crate::render::rounding_note(step));
        }
        if let Some(note) = crate::render::eligibility_note(&allocation) {
            let _ = writeln!(stderr, "fordela: note: {note}");
        }
        // Areas split other than by population with largest remainder say how.
        let money = crate::render::MoneyFormat::new(&allocation, args.output.unit, crate::amount::NumberStyle::SWEDISH);
        for (index, area) in allocation.agreement.areas.iter().enumerate() {
            let plain = allocation.methods[index] == crate::apportion::Method::LargestRemainder
                && area.key == crate::agreement::Key::Column("population".into())
                && area.base == 0
                && area.minimum.is_none()
                && area.maximum.is_none();
            if !plain {
                let rule = crate::render::area_rule(&allocation, index, &money, args.output.unit);
                let _ = writeln!(stderr, "fordela: note: area {}: {rule}", area.id);
            }
        }
        if allocation.population.substitution.is_some() {
            let _ = writeln!(stderr, "fordela: note: {}", population_note(&allocation));
        }
        for tie in &allocation.ties {
            let _ = writeln!(
                stderr,
                "fordela: note: tie in {}: {} had equal remainders; the unit went to {}",
                tie.area,
                tie.tied.join(", "),
                tie.winners.join(", ")
            );
        }
    }
    let unit = args.output.unit;
    emit(args.output.output.as_deref(), &disk_paths(&[&loaded.input], &[&population_path]), |out| match format {
        Format::Table => allocation_table::write(&allocation, unit, out),
        Format::Csv => allocation_csv::write(&allocation, unit, false, out),
        Format::Excel => allocation_csv::write(&allocation, unit, true, out),
        Format::Json => allocation_json::write(&allocation, unit, out),
    })?;
    Ok(ExitCode::SUCCESS)
}
