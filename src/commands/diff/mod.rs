//! `fordela diff`: two versions of a plan compared.

pub mod compute;
pub mod job;
pub mod report;
pub mod xlsx;

use crate::commands::check::compute::{CheckError, Severity, match_areas};
use crate::commands::diff::compute::{Version, diff};
use crate::commands::diff::job::DiffJob;
use crate::commands::diff::report as render;
use crate::commands::sources::{RuleOverrides, disk_paths, load_agreement, read_table};
use crate::core::agreement::Agreement;
use crate::core::amount::Unit;
use crate::core::proposal::{Proposal, parse_proposal};
use crate::io::input::InputHash;
use crate::output::dialect::Dialect;
use crate::output::file::emit;
use crate::output::format::ReportFormat;
use anyhow::{Context, anyhow};
use std::process::ExitCode;

pub fn run(job: &DiffJob) -> anyhow::Result<ExitCode> {
    let old_input = read_table(&job.old, job.old_sheet.as_deref()).context("reading the old version")?;
    let new_input = read_table(&job.new, job.new_sheet.as_deref()).context("reading the new version")?;
    let mut old = parse_proposal(&old_input).context("invalid plan")?;
    let mut new = parse_proposal(&new_input).context("invalid plan")?;
    let mut agreement_input = None;
    if let Some(agreement) = &job.agreement {
        let loaded = load_agreement(Some(agreement), &RuleOverrides::default())?;
        for plan in [&mut old, &mut new] {
            named_by_ids(plan, &loaded.agreement).context("invalid plan")?;
        }
        agreement_input = Some(loaded.input);
    }
    let old_version = Version { unit: unit_of(&old, job.unit)?, plan: &old };
    let new_version = Version { unit: unit_of(&new, job.unit)?, plan: &new };
    let report = diff(&old_version, &new_version, job.allow_between_areas)?;

    let lang = job.target.lang;
    let mut inputs = vec![&old_input, &new_input];
    inputs.extend(&agreement_input);
    // A workbook is made, and checked, whole before anything is written.
    let workbook = (job.target.format == ReportFormat::Xlsx)
        .then(|| {
            let hashes: Vec<InputHash> =
                inputs.iter().map(|input| InputHash { label: input.label.clone(), sha256: input.sha256() }).collect();
            xlsx::workbook(&report, lang, &hashes)
        })
        .transpose()?;
    emit(job.target.file.as_deref(), &disk_paths(&inputs, &[]), |out| match job.target.format {
        ReportFormat::Table => render::table(&report, lang, out),
        ReportFormat::Csv => render::csv(&report, lang, Dialect::PLAIN, out),
        ReportFormat::Excel => render::csv(&report, lang, Dialect::EXCEL, out),
        ReportFormat::Json => render::json(&report, lang, out),
        ReportFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
    })?;
    // CSV has no room for the findings: they are said on stderr.
    if matches!(job.target.format, ReportFormat::Csv | ReportFormat::Excel) {
        for finding in &report.findings {
            eprintln!(
                "fordela: {} [{}]: {}",
                finding.severity.label(),
                finding.kind.id(),
                render::finding_message(&report, finding, lang)
            );
        }
    }
    Ok(if report.count(Severity::Error) > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The plan's areas named by the agreement's ids, as `check` matches them.
fn named_by_ids(plan: &mut Proposal, agreement: &Agreement) -> Result<(), CheckError> {
    let matched = match_areas(plan, agreement)?;
    for (area, index) in plan.areas.iter_mut().zip(matched) {
        area.name.clone_from(&agreement.areas[index].id);
    }
    Ok(())
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
