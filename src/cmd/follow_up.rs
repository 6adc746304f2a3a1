//! `fordela follow-up`: a region's outcome against its plan.

use std::process::ExitCode;

use anyhow::Context;

use super::{disk_paths, load_agreement};
use crate::follow_up::{FollowUpReport, Severity, follow_up_from};
use crate::input::Input;
use crate::job::{FollowUpJob, FollowUpSources, RuleOverrides};
use crate::outcome::{Outcome, read_outcome_rows};
use crate::output::emit;
use crate::render::{Dialect, FollowUpFormat, follow_up_csv, follow_up_json, follow_up_table};

/// The follow-up of `sources` (no outcome file: the plan with nothing booked), and the inputs
/// read from disk, which an output file must not replace.
pub fn build(sources: &FollowUpSources) -> anyhow::Result<(FollowUpReport, Vec<std::path::PathBuf>)> {
    // Only the areas' ids and names are needed: no population, no split.
    let loaded = load_agreement(sources.agreement.as_deref(), &RuleOverrides::default())?;
    let outcome_input = sources.outcome.as_deref().map(Input::read).transpose().context("reading outcome")?;
    let outcome = match &outcome_input {
        Some(input) => read_outcome_rows(input, sources.outcome_unit).context("invalid outcome")?,
        None => Outcome::none(sources.unit),
    };
    let report =
        follow_up_from(&sources.plan, sources.unit, &loaded.agreement, &outcome, &sources.options, sources.from)
            .context("cannot follow up")?;
    let inputs: Vec<&Input> = [&sources.plan_input, &loaded.input].into_iter().chain(outcome_input.as_ref()).collect();
    Ok((report, disk_paths(&inputs, &[])))
}

pub fn run(job: &FollowUpJob) -> anyhow::Result<ExitCode> {
    let (report, inputs) = build(&job.sources)?;
    let lang = job.target.lang;
    emit(job.target.file.as_deref(), &inputs, |out| match job.target.format {
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
