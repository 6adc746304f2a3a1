//! `fordela report`: the region's report for the year, as one HTML file.

pub mod compute;
pub mod html;
pub mod job;
pub mod xlsx;

use crate::commands::check::compute::check;
use crate::commands::follow_up::compute::Severity;
use crate::commands::report::compute::region_report;
use crate::commands::report::job::{RegionReportFormat, ReportJob};
use crate::commands::sources::{Computed, compute};
use crate::io::input::InputHash;
use crate::output::file::emit;
use anyhow::Context;
use std::process::ExitCode;

pub fn run(job: &ReportJob) -> anyhow::Result<ExitCode> {
    let Computed { loaded, population_path, population_hash, allocation } = compute(&job.sources, &job.rules)?;
    let region_index = job.region(allocation.table())?;
    // The allocation as `check` computes it for the plan's unit: the same figures.
    let checked = check(&job.follow.plan, &allocation, region_index, job.follow.unit, false).context("invalid plan")?;
    let (follow_up, mut inputs, mut hashes) = super::follow_up::build(&job.follow)?;
    inputs.extend(population_path);
    let report = region_report(&checked, &loaded.agreement, follow_up, job.follow.outcome.is_some());
    // A workbook is made, and checked, whole before anything is written.
    let workbook = (job.target.format == RegionReportFormat::Xlsx)
        .then(|| {
            if let Some(sha256) = population_hash {
                hashes.push(InputHash { label: report.population.source.clone(), sha256 });
            }
            xlsx::workbook(&report, job.target.lang, &hashes)
        })
        .transpose()?;
    emit(job.target.file.as_deref(), &inputs, |out| match job.target.format {
        RegionReportFormat::Html => html::write(&report, job.target.lang, out),
        RegionReportFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
    })?;
    let plan_failed =
        report.plan_findings.iter().any(|finding| finding.severity == crate::commands::check::compute::Severity::Error);
    let failed = report.follow_up.count(Severity::Error) > 0 || plan_failed;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
