//! `fordela explain`: one region's full derivation.

use std::process::ExitCode;

use anyhow::Context;

use super::{Computed, compute, disk_paths};
use crate::explain::{InputHash, explain};
use crate::job::ExplainJob;
use crate::output::emit;
use crate::render::{ExplainFormat, explain_xlsx, explanation};

pub fn run(job: &ExplainJob) -> anyhow::Result<ExitCode> {
    let Computed { loaded, population_path, population_hash, allocation } = compute(&job.sources, &job.rules)?;
    let index = job.region.resolve(allocation.table())?;
    let inputs = vec![
        InputHash { label: loaded.input.label.clone(), sha256: loaded.input.sha256() },
        InputHash { label: allocation.population.source.clone(), sha256: population_hash.unwrap_or_default() },
    ];
    let explanation = explain(&allocation, index, inputs).context("cannot explain")?;
    // Made whole, and checked, before a byte is written.
    let workbook = (job.target.format == ExplainFormat::Xlsx)
        .then(|| explain_xlsx::workbook(&explanation, job.target.lang))
        .transpose()?;
    emit(job.target.file.as_deref(), &disk_paths(&[&loaded.input], &[&population_path]), |out| {
        match job.target.format {
            ExplainFormat::Json => explanation::json(&explanation, out),
            ExplainFormat::Table => explanation::text(&explanation, out),
            ExplainFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
