//! `fordela report`: the region's report for the year, as one HTML file.

pub mod compute;
pub mod html;
pub mod job;
pub mod xlsx;

use crate::commands::check::compute::check;
use crate::commands::report::compute::{RegionReport, region_report};
use crate::commands::report::job::ReportJob;
use crate::commands::sources::{Computed, compute};
use crate::core::findings;
use crate::core::findings::Severity;
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::deliver::{Provenance, Render, deliver, not_written};
use crate::output::format::Format;
use crate::output::workbook::WorkbookError;
use anyhow::Context;
use std::io;
use std::io::Write;
use std::process::ExitCode;

pub fn run(job: &ReportJob) -> anyhow::Result<ExitCode> {
    let (report, inputs, hashes) = made(job)?;
    deliver(&report, &job.target, Provenance { paths: inputs, hashes: Box::new(|| hashes) })
}

/// The job's report, the files on disk it was made from and every input's hash.
pub fn made(job: &ReportJob) -> anyhow::Result<(RegionReport, Vec<std::path::PathBuf>, Vec<InputHash>)> {
    let Computed { loaded, population_path, population_hash, allocation } = compute(&job.sources, &job.rules)?;
    let region_index = job.region(allocation.table())?;
    // The allocation as `check` computes it for the plan's unit: the same figures.
    let checked = check(&job.follow.plan, &allocation, region_index, job.follow.unit, false).context("invalid plan")?;
    let (follow_up, mut inputs, mut hashes) = super::follow_up::build(&job.follow, job.target.format)?;
    inputs.extend(population_path);
    let report = region_report(&checked, &loaded.agreement, follow_up, job.follow.outcome.is_some());
    if let Some(sha256) = population_hash {
        hashes.push(InputHash { label: report.population.source.clone(), sha256 });
    }
    Ok((report, inputs, hashes))
}

impl Render for RegionReport {
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Html => html::write(self, lang, out),
            Format::Table | Format::Csv | Format::Excel | Format::Json | Format::Xlsx => Err(not_written(format)),
        }
    }

    fn workbook(&self, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
        xlsx::workbook(self, lang, inputs)
    }

    fn worst(&self) -> Option<Severity> {
        let plan = self.plan_findings.iter().map(|finding| finding.severity);
        findings::worst(plan.chain(self.follow_up.findings.iter().map(|finding| finding.severity)))
    }
}
