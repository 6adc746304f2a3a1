//! `fordela report`: the region's report for the year, as one HTML file.

use std::process::ExitCode;

use anyhow::Context;

use super::{Computed, compute};
use crate::check::check;
use crate::explain::InputHash;
use crate::follow_up::Severity;
use crate::job::{RegionReportFormat, ReportJob};
use crate::output::emit;
use crate::render::{report_html, report_xlsx};
use crate::report::region_report;

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
            report_xlsx::workbook(&report, job.target.lang, &hashes)
        })
        .transpose()?;
    emit(job.target.file.as_deref(), &inputs, |out| match job.target.format {
        RegionReportFormat::Html => report_html::write(&report, job.target.lang, out),
        RegionReportFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
    })?;
    let plan_failed = report.plan_findings.iter().any(|finding| finding.severity == crate::check::Severity::Error);
    let failed = report.follow_up.count(Severity::Error) > 0 || plan_failed;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
