//! `fordela check`: a region's plan against the agreement's allocation.

pub mod compute;
pub mod job;
pub mod report;
pub mod xlsx;

use crate::commands::check::compute::{Severity, check};
use crate::commands::check::job::CheckJob;
use crate::commands::sources::{Computed, compute, disk_paths, input_hashes};
use crate::output::dialect::Dialect;
use crate::output::file::emit;
use crate::output::format::CheckFormat;
use anyhow::Context;
use std::process::ExitCode;

pub fn run(job: &CheckJob) -> anyhow::Result<ExitCode> {
    let Computed { loaded, population_path, population_hash, allocation } = compute(&job.sources, &job.rules)?;
    let region_index = job.region(allocation.table())?;
    let report = check(&job.plan, &allocation, region_index, job.unit, job.strict).context("invalid plan")?;

    let inputs = disk_paths(&[&job.plan_input, &loaded.input], &[&population_path]);
    let lang = job.target.lang;
    let workbook = (job.target.format == CheckFormat::Xlsx)
        .then(|| {
            let hashes = input_hashes(&[&job.plan_input, &loaded.input], &allocation, population_hash);
            xlsx::workbook(&report, job.target.lang, &hashes)
        })
        .transpose()?;
    emit(job.target.file.as_deref(), &inputs, |out| match job.target.format {
        CheckFormat::Table => report::table(&report, lang, out),
        CheckFormat::Csv => report::csv(&report, Dialect::PLAIN, lang, out),
        CheckFormat::Excel => report::csv(&report, Dialect::EXCEL, lang, out),
        CheckFormat::Json => report::json(&report, lang, out),
        // Made whole, and checked, before a byte is written.
        CheckFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
    })?;
    let failed = report.count(Severity::Error) > 0;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
