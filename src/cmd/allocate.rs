//! `fordela allocate`: read, validate, split, render.

use std::process::ExitCode;

use anyhow::Context;

use super::{Computed, compute, disk_paths};
use crate::allocation_view::{AllocationView, RoundedAllocation};
use crate::job::AllocateJob;
use crate::output::emit;
use crate::render::write_notes;

pub fn run(job: &AllocateJob) -> anyhow::Result<ExitCode> {
    let Computed { loaded, population_path, allocation, .. } = compute(&job.sources, &job.rules)?;
    let rounded = job
        .round
        .map(|step| RoundedAllocation::new(&allocation, step).with_context(|| format!("--round {}", step.describe())))
        .transpose()?;
    let view = match &rounded {
        Some(rounded) => AllocationView::rounded(rounded),
        None => AllocationView::exact(&allocation),
    };
    let format = job.target.format;
    if !format.holds_notes() {
        // What the output has no room for goes to stderr.
        let _ = write_notes(&view, job.unit, &mut std::io::stderr().lock());
    }
    emit(job.target.file.as_deref(), &disk_paths(&[&loaded.input], &[&population_path]), |out| {
        format.write(&view, job.unit, out)
    })?;
    Ok(ExitCode::SUCCESS)
}
