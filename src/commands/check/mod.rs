//! `fordela check`: a region's plan against the agreement's allocation.

pub mod compute;
pub mod job;
pub mod report;
pub mod xlsx;

use crate::commands::check::compute::{CheckReport, check};
use crate::commands::check::job::CheckJob;
use crate::commands::sources::{Computed, compute, disk_paths, input_hashes};
use crate::core::findings;
use crate::core::findings::Severity;
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

pub fn run(job: &CheckJob) -> anyhow::Result<ExitCode> {
    let checked = checked(job)?;
    deliver(&checked.report, &job.target, checked.provenance(job))
}

/// A plan checked, with what it was checked against.
pub struct Checked {
    pub report: CheckReport,
    pub computed: Computed,
}

/// The job's plan checked against its allocation: what every format of `check` shows.
pub fn checked(job: &CheckJob) -> anyhow::Result<Checked> {
    let computed = compute(&job.sources, &job.rules)?;
    let region_index = job.region(computed.allocation.table())?;
    let report = check(&job.plan, &computed.allocation, region_index, job.unit, job.strict).context("invalid plan")?;
    Ok(Checked { report, computed })
}

impl Checked {
    /// What the report was made from: the plan, the agreement and the population.
    pub fn provenance<'a>(&'a self, job: &'a CheckJob) -> Provenance<'a> {
        let Computed { loaded, population_path, population_hash, allocation } = &self.computed;
        let inputs = [&job.plan_input, &loaded.input];
        Provenance {
            paths: disk_paths(&inputs, &[population_path]),
            hashes: Box::new(move || input_hashes(&inputs, allocation, population_hash.clone())),
        }
    }
}

impl Render for CheckReport {
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table => report::table(self, lang, out),
            Format::Csv => report::csv(self, lang, Dialect::PLAIN, out),
            Format::Excel => report::csv(self, lang, Dialect::EXCEL, out),
            Format::Json => report::json(self, lang, out),
            Format::Xlsx | Format::Html => Err(not_written(format)),
        }
    }

    fn workbook(&self, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
        xlsx::workbook(self, lang, inputs)
    }

    fn worst(&self) -> Option<Severity> {
        findings::worst(self.findings.iter().map(|finding| finding.severity))
    }
}
