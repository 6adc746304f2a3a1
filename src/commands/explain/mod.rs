//! `fordela explain`: one region's full derivation.

pub mod compute;
pub mod job;
pub mod text;
pub mod xlsx;

use crate::commands::explain::compute::explain;
use crate::commands::explain::job::ExplainJob;
use crate::commands::sources::{Computed, compute, disk_paths};
use crate::io::input::InputHash;
use crate::output::file::emit;
use crate::output::format::ExplainFormat;
use anyhow::Context;
use std::process::ExitCode;

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
        .then(|| xlsx::workbook(&explanation, job.target.lang))
        .transpose()?;
    emit(job.target.file.as_deref(), &disk_paths(&[&loaded.input], &[&population_path]), |out| {
        match job.target.format {
            ExplainFormat::Json => text::json(&explanation, out),
            ExplainFormat::Table => text::text(&explanation, out),
            ExplainFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
