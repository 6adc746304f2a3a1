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
use crate::commands::sources::{Computed, compute, disk_paths, input_hashes};
use crate::core::amount::Unit;
use crate::lang::Lang;
use crate::output::dialect::Dialect;
use crate::output::file::emit;
use crate::output::format::{AllocateFormat, WORKBOOK_IS_BUILT_FIRST};
use anyhow::Context;
use std::io;
use std::io::Write;
use std::process::ExitCode;

pub fn run(job: &AllocateJob) -> anyhow::Result<ExitCode> {
    let Computed { loaded, population_path, population_hash, allocation } = match &job.municipal {
        Some(split) => compute_municipal(&job.sources, &job.rules, split)?,
        None => compute(&job.sources, &job.rules)?,
    };
    let inputs = disk_paths(&[&loaded.input], &[&population_path]);
    let format = job.target.format;
    // A workbook's notes name each input by its SHA-256 (`compute` hashed the population).
    let hashes = if format == AllocateFormat::Xlsx {
        input_hashes(&[&loaded.input], &allocation, population_hash)
    } else {
        Vec::new()
    };
    // One region's targets: `--region` needs `--round`, which clap has checked.
    if let (Some(region), Some(step)) = (&job.region, job.round) {
        let index = region.resolve(allocation.table())?;
        let targets =
            RegionTargets::new(&allocation, index, step).with_context(|| format!("--round {}", step.describe()))?;
        if !format.holds_notes() {
            if let Some(note) = targets::stderr_note(&targets) {
                eprintln!("fordela: note: {note}");
            }
        }
        if format == AllocateFormat::Xlsx {
            // Made whole, and checked, before a byte is written.
            let bytes = xlsx::targets_workbook(&targets, job.unit, job.target.lang, &hashes)?;
            emit(job.target.file.as_deref(), &inputs, |out| out.write_all(&bytes))?;
            return Ok(ExitCode::SUCCESS);
        }
        emit(job.target.file.as_deref(), &inputs, |out| {
            targets::write(&targets, format, job.unit, job.target.lang, out)
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let rounded = job
        .round
        .map(|step| RoundedAllocation::new(&allocation, step).with_context(|| format!("--round {}", step.describe())))
        .transpose()?;
    let view = match &rounded {
        Some(rounded) => AllocationView::rounded(rounded),
        None => AllocationView::exact(&allocation),
    };
    if !format.holds_notes() {
        // What the output has no room for goes to stderr.
        let _ = write_notes(&view, job.unit, &mut std::io::stderr().lock());
    }
    if format == AllocateFormat::Xlsx {
        let bytes = xlsx::workbook(&view, job.unit, job.target.lang, &hashes)?;
        emit(job.target.file.as_deref(), &inputs, |out| out.write_all(&bytes))?;
        return Ok(ExitCode::SUCCESS);
    }
    emit(job.target.file.as_deref(), &inputs, |out| format.write(&view, job.unit, job.target.lang, out))?;
    Ok(ExitCode::SUCCESS)
}

impl AllocateFormat {
    pub fn write(self, view: &AllocationView<'_>, unit: Unit, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        match self {
            AllocateFormat::Table => table::write(view, unit, lang, out),
            AllocateFormat::Csv => csv_out::write(view, unit, Dialect::PLAIN, lang, out),
            AllocateFormat::Excel => csv_out::write(view, unit, Dialect::EXCEL, lang, out),
            AllocateFormat::Json => json::write(view, unit, out),
            // A workbook is built whole before anything is written (`allocation_xlsx`).
            AllocateFormat::Xlsx => Err(io::Error::other(WORKBOOK_IS_BUILT_FIRST)),
        }
    }

    /// Whether the output itself says what the notes say; CSV has no room for them.
    #[must_use]
    pub fn holds_notes(self) -> bool {
        !matches!(self, AllocateFormat::Csv | AllocateFormat::Excel)
    }
}
