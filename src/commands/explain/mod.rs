//! `fordela explain`: one region's full derivation.

pub mod compute;
pub mod job;
pub mod text;
pub mod xlsx;

use crate::commands::explain::compute::{Explanation, explain};
use crate::commands::explain::job::ExplainJob;
use crate::commands::sources::{Computed, compute, disk_paths};
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::deliver::{Provenance, Render, deliver, not_written};
use crate::output::format::Format;
use crate::output::workbook::WorkbookError;
use anyhow::Context;
use std::io;
use std::io::Write;
use std::process::ExitCode;

pub fn run(job: &ExplainJob) -> anyhow::Result<ExitCode> {
    let (explanation, paths) = explained(job)?;
    deliver(&explanation, &job.target, Provenance { paths, hashes: Box::new(Vec::new) })
}

/// The job's region explained, and the files on disk it was made from.
pub fn explained(job: &ExplainJob) -> anyhow::Result<(Explanation, Vec<std::path::PathBuf>)> {
    let Computed { loaded, population_path, population_hash, allocation } = compute(&job.sources, &job.rules)?;
    let index = job.region.resolve(allocation.table())?;
    let inputs = vec![
        InputHash { label: loaded.input.label.clone(), sha256: loaded.input.sha256() },
        InputHash { label: allocation.population.source.clone(), sha256: population_hash.unwrap_or_default() },
    ];
    let explanation = explain(&allocation, index, inputs).context("cannot explain")?;
    Ok((explanation, disk_paths(&[&loaded.input], &[&population_path])))
}

impl Render for Explanation {
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table => text::text(self, lang, out),
            Format::Json => text::json(self, out),
            Format::Csv | Format::Excel | Format::Xlsx | Format::Html => Err(not_written(format)),
        }
    }

    // The explanation names its inputs by hash itself, for every format.
    fn workbook(&self, lang: Lang, _inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
        xlsx::workbook(self, lang)
    }
}
