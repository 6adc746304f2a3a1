//! `fordela diff`: two versions of a plan compared.

use std::process::ExitCode;

use anyhow::{Context, anyhow};

use super::disk_paths;
use crate::amount::Unit;
use crate::check::Severity;
use crate::diff::{Version, diff};
use crate::input::Input;
use crate::job::DiffJob;
use crate::output::emit;
use crate::proposal::{Proposal, parse_proposal};
use crate::render::{CheckFormat, Dialect, diff as render};

pub fn run(job: &DiffJob) -> anyhow::Result<ExitCode> {
    let old_input = Input::read(&job.old).context("reading the old version")?;
    let new_input = Input::read(&job.new).context("reading the new version")?;
    let old = parse_proposal(&old_input).context("invalid plan")?;
    let new = parse_proposal(&new_input).context("invalid plan")?;
    let old_version = Version { unit: unit_of(&old, job.unit)?, plan: &old };
    let new_version = Version { unit: unit_of(&new, job.unit)?, plan: &new };
    let report = diff(&old_version, &new_version, job.allow_between_areas)?;

    let lang = job.target.lang;
    emit(job.target.file.as_deref(), &disk_paths(&[&old_input, &new_input], &[]), |out| match job.target.format {
        CheckFormat::Table => render::table(&report, lang, out),
        CheckFormat::Csv => render::csv(&report, lang, Dialect::PLAIN, out),
        CheckFormat::Excel => render::csv(&report, lang, Dialect::EXCEL, out),
        CheckFormat::Json => render::json(&report, out),
    })?;
    // CSV has no room for the findings: they are said on stderr.
    if matches!(job.target.format, CheckFormat::Csv | CheckFormat::Excel) {
        for finding in &report.findings {
            eprintln!(
                "fordela: {} [{}]: {}",
                finding.severity.label(),
                finding.kind.id(),
                render::message(finding, report.unit)
            );
        }
    }
    Ok(if report.count(Severity::Error) > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A version's unit: its own (TOML's `unit`, a CSV header's), else `--unit`; the two
/// disagreeing, or neither given, is an error, as in `check`.
fn unit_of(plan: &Proposal, flag: Option<Unit>) -> anyhow::Result<Unit> {
    match (plan.unit, flag) {
        (Some(own), Some(flag)) if own != flag => {
            let source = plan.unit_source.as_deref().unwrap_or("the plan");
            Err(anyhow!(
                "{}: the plan says its unit is {own} ({source}), but --unit says {flag}: drop --unit or correct the plan",
                plan.source
            ))
        }
        (Some(unit), _) | (None, Some(unit)) => Ok(unit),
        (None, None) => Err(anyhow!(
            "{}: the plan does not say its unit: pass --unit (kr, tkr or mkr), e.g. --unit MSEK",
            plan.source
        )),
    }
}
