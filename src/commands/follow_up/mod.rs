//! `fordela follow-up`: a region's outcome against its plan.

pub mod compute;
pub mod csv_out;
pub mod job;
pub mod json;
pub mod outcome;
pub mod table;
pub mod words;
pub mod xlsx;

use crate::commands::follow_up::compute::{FollowUpError, FollowUpReport, follow_up_from};
use crate::commands::follow_up::job::{FollowUpJob, FollowUpSources};
use crate::commands::follow_up::outcome::{Outcome, read_outcome_rows};
use crate::commands::sources::{RuleOverrides, disk_paths, load_agreement, read_table};
use crate::core::findings;
use crate::core::findings::Severity;
use crate::io::input::{Input, InputHash};
use crate::lang::Lang;
use crate::output::deliver::{Provenance, Render, deliver, not_written};
use crate::output::dialect::Dialect;
use crate::output::format::Format;
use crate::output::workbook::WorkbookError;
use anyhow::Context;
use std::io;
use std::io::Write;
use std::process::ExitCode;

/// The follow-up of `sources` (no outcome file: the plan with nothing booked), and the inputs
/// read from disk, which an output file must not replace, with their hashes. The outcome's
/// hash only for a `format` that writes it (a workbook's notes): for a ledger, hashing took a
/// tenth of the CPU time, on a core the reading threads want.
pub fn build(
    sources: &FollowUpSources,
    format: Format,
) -> anyhow::Result<(FollowUpReport, Vec<std::path::PathBuf>, Vec<InputHash>)> {
    // Only the areas' ids and names are needed: no population, no split.
    let loaded = load_agreement(sources.agreement.as_deref(), &RuleOverrides::default())?;
    let mut outcome_input = match &sources.outcome {
        Some(path) => Some(read_table(path, sources.outcome_sheet.as_deref()).context("reading outcome")?),
        None => None,
    };
    // The outcome's SHA-256 (a workbook's notes name every input by it) is taken beside the
    // reading, on another core: a ledger's text is hashed and read at once, then let go.
    let (outcome, outcome_hash) = match &outcome_input {
        Some(input) => std::thread::scope(|scope| {
            let hash = (format == Format::Xlsx).then(|| scope.spawn(|| input.sha256()));
            let outcome = read_outcome_rows(input, sources.outcome_unit);
            let hash = hash
                .map(|hash| hash.join().map_err(|_| anyhow::anyhow!("hashing {} failed", input.label)))
                .transpose()?;
            let outcome = outcome.map_err(|err| input.place(err)).context("invalid outcome")?;
            anyhow::Ok((outcome, hash))
        })?,
        None => (Outcome::none(sources.unit), None),
    };
    // Read and hashed: the rows hold what the follow-up needs, so the text (as large as the
    // file) is not kept beside them. Its messages name places by line, not by text.
    if let Some(input) = &mut outcome_input {
        // Let go on another thread: handing a ledger's pages back to the system (13 ms for
        // 68 MiB) held up the main thread, with the follow-up still to do. Should no thread
        // start, the text is let go here.
        let text = std::mem::take(&mut input.text);
        if text.len() >= 1 << 20 {
            let _ = std::thread::Builder::new().spawn(move || drop(text));
        }
    }
    let report =
        follow_up_from(&sources.plan, sources.unit, &loaded.agreement, &outcome, &sources.options, sources.from)
            .map_err(|err| {
                // A place in a sheet is a row: said as a place of the file the error is about.
                let input = match (&err, &outcome_input) {
                    (
                        FollowUpError::Plan(_)
                        | FollowUpError::PlanDoesNotAddUp { .. }
                        | FollowUpError::NegativeBudget { .. }
                        | FollowUpError::PlanDuplicate { .. },
                        _,
                    )
                    | (_, None) => &sources.plan_input,
                    (_, Some(outcome)) => outcome,
                };
                anyhow::anyhow!(input.placed_message(&err.to_string()))
            })
            .context("cannot follow up")?;
    let inputs: Vec<&Input> = [&sources.plan_input, &loaded.input].into_iter().chain(outcome_input.as_ref()).collect();
    // A workbook's notes name every input by its SHA-256 (the outcome's taken as it was read).
    let mut hashes = crate::io::input::hashes(&inputs[..2]);
    if let (Some(input), Some(sha256)) = (&outcome_input, outcome_hash) {
        hashes.push(InputHash { label: input.label.clone(), sha256 });
    }
    Ok((report, disk_paths(&inputs, &[]), hashes))
}

pub fn run(job: &FollowUpJob) -> anyhow::Result<ExitCode> {
    let (report, inputs, hashes) = build(&job.sources, job.target.format)?;
    deliver(&report, &job.target, Provenance { paths: inputs, hashes: Box::new(|| hashes) })
}

impl Render for FollowUpReport {
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table => table::write(self, lang, out),
            Format::Csv => csv_out::write(self, lang, Dialect::PLAIN, out),
            Format::Excel => csv_out::write(self, lang, Dialect::EXCEL, out),
            Format::Json => json::write(self, lang, out),
            Format::Xlsx | Format::Html => Err(not_written(format)),
        }
    }

    fn workbook(&self, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
        xlsx::workbook(self, lang, inputs)
    }

    // CSV has no room for the findings: they go to stderr, one line each.
    fn beside_csv(&self, lang: Lang, err: &mut dyn Write) -> io::Result<()> {
        csv_out::write_findings(self, lang, err)
    }

    fn worst(&self) -> Option<Severity> {
        findings::worst(self.findings.iter().map(|finding| finding.severity))
    }
}
