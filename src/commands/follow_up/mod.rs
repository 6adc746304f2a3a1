//! `fordela follow-up`: a region's outcome against its plan.

pub mod compute;
pub mod csv_out;
pub mod job;
pub mod json;
pub mod outcome;
pub mod table;
pub mod words;
pub mod xlsx;

use crate::commands::follow_up::compute::{FollowUpError, FollowUpReport, Severity, follow_up_from};
use crate::commands::follow_up::job::{FollowUpJob, FollowUpSources};
use crate::commands::follow_up::outcome::{Outcome, read_outcome_rows};
use crate::commands::sources::{RuleOverrides, disk_paths, load_agreement, read_table};
use crate::io::input::{Input, InputHash};
use crate::output::dialect::Dialect;
use crate::output::file::emit;
use crate::output::format::FollowUpFormat;
use anyhow::Context;
use std::process::ExitCode;

/// The follow-up of `sources` (no outcome file: the plan with nothing booked), and the inputs
/// read from disk, which an output file must not replace.
pub fn build(sources: &FollowUpSources) -> anyhow::Result<(FollowUpReport, Vec<std::path::PathBuf>, Vec<InputHash>)> {
    // Only the areas' ids and names are needed: no population, no split.
    let loaded = load_agreement(sources.agreement.as_deref(), &RuleOverrides::default())?;
    let outcome_input = match &sources.outcome {
        Some(path) => Some(read_table(path, sources.outcome_sheet.as_deref()).context("reading outcome")?),
        None => None,
    };
    let outcome = match &outcome_input {
        Some(input) => {
            read_outcome_rows(input, sources.outcome_unit).map_err(|err| input.place(err)).context("invalid outcome")?
        }
        None => Outcome::none(sources.unit),
    };
    let report =
        follow_up_from(&sources.plan, sources.unit, &loaded.agreement, &outcome, &sources.options, sources.from)
            .map_err(|err| {
                // A place in a sheet is a row: said as a place of the file the error is about.
                let input = match (&err, &outcome_input) {
                    (
                        FollowUpError::Plan(_)
                        | FollowUpError::PlanDoesNotAddUp { .. }
                        | FollowUpError::NegativeBudget { .. }
                        | FollowUpError::PlanDuplicate { .. },
                        _,
                    )
                    | (_, None) => &sources.plan_input,
                    (_, Some(outcome)) => outcome,
                };
                anyhow::anyhow!(input.placed_message(&err.to_string()))
            })
            .context("cannot follow up")?;
    let inputs: Vec<&Input> = [&sources.plan_input, &loaded.input].into_iter().chain(outcome_input.as_ref()).collect();
    // A workbook's notes name every input by its SHA-256.
    let hashes = inputs.iter().map(|input| InputHash { label: input.label.clone(), sha256: input.sha256() }).collect();
    Ok((report, disk_paths(&inputs, &[]), hashes))
}

pub fn run(job: &FollowUpJob) -> anyhow::Result<ExitCode> {
    let (report, inputs, hashes) = build(&job.sources)?;
    let lang = job.target.lang;
    // A workbook is made, and checked, whole before anything is written.
    let workbook =
        (job.target.format == FollowUpFormat::Xlsx).then(|| xlsx::workbook(&report, lang, &hashes)).transpose()?;
    emit(job.target.file.as_deref(), &inputs, |out| match job.target.format {
        FollowUpFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
        FollowUpFormat::Table => table::write(&report, lang, out),
        FollowUpFormat::Csv => csv_out::write(&report, lang, Dialect::PLAIN, out),
        FollowUpFormat::Excel => csv_out::write(&report, lang, Dialect::EXCEL, out),
        FollowUpFormat::Json => json::write(&report, lang, out),
    })?;
    // CSV has no room for the findings: they go to stderr, one line each.
    if matches!(job.target.format, FollowUpFormat::Csv | FollowUpFormat::Excel) {
        csv_out::write_findings(&report, lang, &mut std::io::stderr().lock())?;
    }
    let failed = report.count(Severity::Error) > 0;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
