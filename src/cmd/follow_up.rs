//! `fordela follow-up`: a region's outcome against its plan.

use std::process::ExitCode;

use anyhow::Context;

use super::{disk_paths, load_agreement, read_table};
use crate::explain::InputHash;
use crate::follow_up::{FollowUpError, FollowUpReport, Severity, follow_up_from};
use crate::input::Input;
use crate::job::{FollowUpJob, FollowUpSources, RuleOverrides};
use crate::outcome::{Outcome, read_outcome_rows};
use crate::output::emit;
use crate::render::{Dialect, FollowUpFormat, follow_up_csv, follow_up_json, follow_up_table, follow_up_xlsx};

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
    let workbook = (job.target.format == FollowUpFormat::Xlsx)
        .then(|| follow_up_xlsx::workbook(&report, lang, &hashes))
        .transpose()?;
    emit(job.target.file.as_deref(), &inputs, |out| match job.target.format {
        FollowUpFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
        FollowUpFormat::Table => follow_up_table::write(&report, lang, out),
        FollowUpFormat::Csv => follow_up_csv::write(&report, lang, Dialect::PLAIN, out),
        FollowUpFormat::Excel => follow_up_csv::write(&report, lang, Dialect::EXCEL, out),
        FollowUpFormat::Json => follow_up_json::write(&report, lang, out),
    })?;
    // CSV has no room for the findings: they go to stderr, one line each.
    if matches!(job.target.format, FollowUpFormat::Csv | FollowUpFormat::Excel) {
        follow_up_csv::write_findings(&report, lang, &mut std::io::stderr().lock())?;
    }
    let failed = report.count(Severity::Error) > 0;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
