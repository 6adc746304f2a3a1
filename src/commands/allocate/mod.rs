//! `fordela allocate`: read, validate, split, render.

pub mod csv_out;
pub mod job;
pub mod json;
pub mod municipal;
pub mod table;
pub mod targets;
pub mod view;
pub mod words;
pub mod xlsx;

use crate::commands::allocate::job::AllocateJob;
use crate::commands::allocate::municipal::compute_municipal;
use crate::commands::allocate::view::{AllocationView, RegionTargets, RoundedAllocation};
use crate::commands::allocate::words::write_notes;
use crate::commands::sources::{Computed, LoadedAgreement, compute, disk_paths, input_hashes};
use crate::core::allocation::Allocation;
use crate::core::amount::Unit;
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::deliver::{Provenance, Render, deliver, not_written};
use crate::output::dialect::Dialect;
use crate::output::format::Format;
use crate::output::workbook::WorkbookError;
use anyhow::Context;
use std::io;
use std::io::Write;
use std::process::ExitCode;

pub fn run(job: &AllocateJob) -> anyhow::Result<ExitCode> {
    let Computed { loaded, population_path, population_hash, allocation } = match &job.municipal {
        Some(split) => compute_municipal(&job.sources, &job.rules, split)?,
        None => compute(&job.sources, &job.rules)?,
    };
    let made_from = || provenance(&loaded, &population_path, &allocation, population_hash.as_ref());
    // One region's targets: `--region` needs `--round`, which clap has checked.
    if let (Some(region), Some(step)) = (&job.region, job.round) {
        let index = region.resolve(allocation.table())?;
        let targets =
            RegionTargets::new(&allocation, index, step).with_context(|| format!("--round {}", step.describe()))?;
        return deliver(&Shown { result: targets, unit: job.unit }, &job.target, made_from());
    }
    let rounded = job
        .round
        .map(|step| RoundedAllocation::new(&allocation, step).with_context(|| format!("--round {}", step.describe())))
        .transpose()?;
    let view = match &rounded {
        Some(rounded) => AllocationView::rounded(rounded),
        None => AllocationView::exact(&allocation),
    };
    deliver(&Shown { result: view, unit: job.unit }, &job.target, made_from())
}

/// What an allocation was made from: the agreement and the population.
pub fn provenance<'a>(
    loaded: &'a LoadedAgreement,
    population_path: &'a Option<std::path::PathBuf>,
    allocation: &'a Allocation,
    population_hash: Option<&'a String>,
) -> Provenance<'a> {
    Provenance {
        paths: disk_paths(&[&loaded.input], &[population_path]),
        // A workbook's notes name each input by its SHA-256 (`compute` hashed the population).
        hashes: Box::new(move || input_hashes(&[&loaded.input], allocation, population_hash.cloned())),
    }
}

/// A result of `allocate` with the unit its amounts are shown in.
pub struct Shown<T> {
    pub result: T,
    pub unit: Unit,
}

impl Render for Shown<AllocationView<'_>> {
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        let (view, unit) = (&self.result, self.unit);
        match format {
            Format::Table => table::write(view, unit, lang, out),
            Format::Csv => csv_out::write(view, unit, Dialect::PLAIN, lang, out),
            Format::Excel => csv_out::write(view, unit, Dialect::EXCEL, lang, out),
            Format::Json => json::write(view, unit, out),
            Format::Xlsx | Format::Html => Err(not_written(format)),
        }
    }

    fn workbook(&self, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
        xlsx::workbook(&self.result, self.unit, lang, inputs)
    }

    // CSV has no room for the notes; a closed stderr is no reason to lose the output.
    fn beside_csv(&self, _lang: Lang, err: &mut dyn Write) -> io::Result<()> {
        let _ = write_notes(&self.result, self.unit, err);
        Ok(())
    }
}

impl Render for Shown<RegionTargets<'_>> {
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        targets::write(&self.result, format, self.unit, lang, out)
    }

    fn workbook(&self, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
        xlsx::targets_workbook(&self.result, self.unit, lang, inputs)
    }

    fn beside_csv(&self, _lang: Lang, err: &mut dyn Write) -> io::Result<()> {
        match targets::stderr_note(&self.result) {
            Some(note) => writeln!(err, "fordela: note: {note}"),
            None => Ok(()),
        }
    }
}
