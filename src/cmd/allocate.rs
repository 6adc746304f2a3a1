//! `fordela allocate`: read, validate, split, render.

use std::process::ExitCode;

use anyhow::Context;

use super::municipal::compute_municipal;
use super::{Computed, compute, disk_paths, input_hashes};
use crate::allocation_view::{AllocationView, RegionTargets, RoundedAllocation};
use crate::job::AllocateJob;
use crate::output::emit;
use crate::render::{AllocateFormat, allocation_xlsx, region_targets, write_notes};

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
            if let Some(note) = region_targets::stderr_note(&targets) {
                eprintln!("fordela: note: {note}");
            }
        }
        if format == AllocateFormat::Xlsx {
            // Made whole, and checked, before a byte is written.
            let bytes = allocation_xlsx::targets_workbook(&targets, job.unit, job.target.lang, &hashes)?;
            emit(job.target.file.as_deref(), &inputs, |out| out.write_all(&bytes))?;
            return Ok(ExitCode::SUCCESS);
        }
        emit(job.target.file.as_deref(), &inputs, |out| {
            region_targets::write(&targets, format, job.unit, job.target.lang, out)
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
        let bytes = allocation_xlsx::workbook(&view, job.unit, job.target.lang, &hashes)?;
        emit(job.target.file.as_deref(), &inputs, |out| out.write_all(&bytes))?;
        return Ok(ExitCode::SUCCESS);
    }
    emit(job.target.file.as_deref(), &inputs, |out| format.write(&view, job.unit, job.target.lang, out))?;
    Ok(ExitCode::SUCCESS)
}
