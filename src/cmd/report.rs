//! `fordela report`: the region's report for the year, as one HTML file.

use std::process::ExitCode;

use anyhow::Context;

use super::{Computed, compute};
use crate::check::check;
use crate::follow_up::Severity;
use crate::job::{RegionReportFormat, ReportJob};
use crate::output::emit;
use crate::render::report_html;
use crate::report::region_report;

pub fn run(job: &ReportJob) -> anyhow::Result<ExitCode> {
    let Computed { loaded, population_path, allocation, .. } = compute(&job.sources, &job.rules)?;
    let region_index = job.region(allocation.table())?;
    // The allocation as `check` computes it for the plan's unit: the same figures.
    let checked = check(&job.follow.plan, &allocation, region_index, job.follow.unit, false).context("invalid plan")?;
    let (follow_up, mut inputs) = super::follow_up::build(&job.follow)?;
    inputs.extend(population_path);
    let report = region_report(&checked, &loaded.agreement, follow_up, job.follow.outcome.is_some());
    emit(job.target.file.as_deref(), &inputs, |out| match job.target.format {
        RegionReportFormat::Html => report_html::write(&report, job.target.lang, out),
    })?;
    let plan_failed = report.plan_findings.iter().any(|finding| finding.severity == crate::check::Severity::Error);
    let failed = report.follow_up.count(Severity::Error) > 0 || plan_failed;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
