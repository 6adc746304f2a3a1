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
    let Computed { loaded, population_path, population_hash, allocation } = compute(&job.sources, &job.rules)?;
    let region_index = job.region(allocation.table())?;
    let report = check(&job.plan, &allocation, region_index, job.unit, job.strict).context("invalid plan")?;
    let inputs = [&job.plan_input, &loaded.input];
    let made_from = Provenance {
        paths: disk_paths(&inputs, &[&population_path]),
        hashes: Box::new(|| input_hashes(&inputs, &allocation, population_hash)),
    };
    deliver(&report, &job.target, made_from)
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
