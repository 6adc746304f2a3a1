//! `fordela explain`: one region's full derivation.

use std::process::ExitCode;

use anyhow::{Context, anyhow};

use super::{Computed, compute, disk_paths};
use crate::cli::{ExplainArgs, FormatArg};
use crate::explain::{InputHash, explain};
use crate::output::emit;
use crate::render::explanation;

pub fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    // A text report under a CSV name would open in a spreadsheet as lines of text, unguarded.
    if matches!(args.report.format, FormatArg::Csv | FormatArg::Excel) {
        return Err(anyhow!(
            "explain writes a text report (--format table) or JSON (--format json), not CSV; allocate and check \
             write CSV"
        ));
    }
    let rules = crate::cli::RuleArgs { hash_inputs: true, ..args.rules.clone() };
    let Computed { loaded, population_path, population_hash, allocation } =
        compute(args.agreement.as_deref(), &args.population, &rules)?;
    // The region is the command's argument: name it as given, not as a flag nobody typed.
    let index = crate::region::resolve(&args.region, allocation.table())
        .with_context(|| format!("explain `{}`", args.region.trim()))?;
    let inputs = vec![
        InputHash { label: loaded.input.label.clone(), sha256: loaded.input.sha256() },
        InputHash { label: allocation.population.source.clone(), sha256: population_hash.unwrap_or_default() },
    ];
    let explanation = explain(&allocation, index, inputs);
    emit(args.report.output.as_deref(), &disk_paths(&[&loaded.input], &[&population_path]), |out| {
        match args.report.format {
            FormatArg::Json => explanation::json(&explanation, out),
            _ => explanation::text(&explanation, &allocation, out),
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
