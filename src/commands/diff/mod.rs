//! `fordela diff`: two versions of a plan compared.

pub mod compute;
pub mod job;
pub mod report;
pub mod xlsx;

use crate::commands::check::compute::{CheckError, match_areas};
use crate::commands::diff::compute::{DiffReport, Version, diff};
use crate::commands::diff::job::DiffJob;

use crate::commands::missing::MissingFlags;
use crate::commands::sources::{RuleOverrides, load_agreement, read_table};
use crate::core::agreement::Agreement;
use crate::core::amount::Unit;
use crate::core::findings;
use crate::core::findings::Severity;
use crate::core::proposal::{Proposal, parse_proposal};
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::deliver::{Made, Render, deliver, not_written};
use crate::output::dialect::Dialect;
use crate::output::format::Format;
use crate::output::workbook::WorkbookError;
use anyhow::{Context, anyhow};
use std::io;
use std::io::Write;
use std::process::ExitCode;

pub fn run(job: &DiffJob) -> anyhow::Result<ExitCode> {
    let made = diffed(job)?;
    deliver(&made.result, &job.target, made.provenance())
}

/// The job's two versions compared, with the inputs read.
pub fn diffed(job: &DiffJob) -> anyhow::Result<Made<DiffReport>> {
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

    let mut inputs = vec![old_input, new_input];
    inputs.extend(agreement_input);
    Ok(Made { result: report, inputs })
}

impl Render for DiffReport {
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table => report::table(self, lang, out),
            Format::Csv => report::csv(self, lang, Dialect::PLAIN, out),
            Format::Excel => report::csv(self, lang, Dialect::EXCEL, out),
            Format::Json => report::json(self, lang, out),
            Format::Xlsx | Format::Html => Err(not_written(format)),
        }
    }

    fn workbook(&self, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
        xlsx::workbook(self, lang, inputs)
    }

    fn beside_csv(&self, lang: Lang, err: &mut dyn Write) -> io::Result<()> {
        for finding in &self.findings {
            let message = report::finding_message(self, finding, lang);
            writeln!(err, "fordela: {} [{}]: {message}", finding.severity.id(), finding.kind.id())?;
        }
        Ok(())
    }

    fn worst(&self) -> Option<Severity> {
        findings::worst(self.findings.iter().map(|finding| finding.severity))
    }
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
        (None, None) => Err(MissingFlags::error(
            vec!["--unit"],
            format!("{}: the plan does not say its unit: pass --unit (kr, tkr or mkr), e.g. --unit MSEK", plan.source),
        )),
    }
}
