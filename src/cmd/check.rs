//! `fordela check`: a region's plan against the agreement's allocation.

use std::process::ExitCode;

use anyhow::Context;

use super::{Computed, compute, disk_paths, input_hashes};
use crate::check::{Severity, check};
use crate::job::CheckJob;
use crate::output::emit;
use crate::render::{CheckFormat, Dialect, check_report, check_xlsx};

pub fn run(job: &CheckJob) -> anyhow::Result<ExitCode> {
    let Computed { loaded, population_path, population_hash, allocation } = compute(&job.sources, &job.rules)?;
    let region_index = job.region(allocation.table())?;
    let report = check(&job.plan, &allocation, region_index, job.unit, job.strict).context("invalid plan")?;

    let inputs = disk_paths(&[&job.plan_input, &loaded.input], &[&population_path]);
    let lang = job.target.lang;
    let workbook = (job.target.format == CheckFormat::Xlsx)
        .then(|| {
            let hashes = input_hashes(&[&job.plan_input, &loaded.input], &allocation, population_hash);
            check_xlsx::workbook(&report, job.target.lang, &hashes)
        })
        .transpose()?;
    emit(job.target.file.as_deref(), &inputs, |out| match job.target.format {
        CheckFormat::Table => check_report::table(&report, lang, out),
        CheckFormat::Csv => check_report::csv(&report, Dialect::PLAIN, lang, out),
        CheckFormat::Excel => check_report::csv(&report, Dialect::EXCEL, lang, out),
        CheckFormat::Json => check_report::json(&report, lang, out),
        // Made whole, and checked, before a byte is written.
        CheckFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
    })?;
    let failed = report.count(Severity::Error) > 0;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
