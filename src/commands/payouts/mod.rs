//! `fordela payouts`: decisions split into quarterly instalments, requests checked.

pub mod job;
pub mod report;
pub mod schedule;
pub mod toml_file;
pub mod xlsx;

use crate::commands::missing::MissingFlags;
use crate::commands::payouts::job::PayoutsJob;
use crate::commands::payouts::schedule::{Schedule, read_decisions, read_requests, schedule};
use crate::commands::sources::{RuleOverrides, load_agreement, read_table};
use crate::core::findings;
use crate::core::findings::Severity;
use crate::io::error::InputError;
use crate::io::input::InputHash;
use crate::io::lines::Lines;
use crate::lang::Lang;
use crate::output::deliver::{Made, Render, deliver, not_written};
use crate::output::dialect::Dialect;
use crate::output::format::Format;
use crate::output::workbook::WorkbookError;
use anyhow::{Context, anyhow};
use std::io;
use std::io::Write;
use std::process::ExitCode;

pub fn run(job: &PayoutsJob) -> anyhow::Result<ExitCode> {
    let made = scheduled(job)?;
    deliver(&made.result, &job.target, made.provenance())
}

/// The job's decisions split into instalments and its requests checked, with the inputs read.
pub fn scheduled(job: &PayoutsJob) -> anyhow::Result<Made<Schedule>> {
    let decisions_input = read_table(&job.decisions, job.decisions_sheet.as_deref()).context("reading decisions")?;
    // The agreement first: the readers name each area by its id, so that an area written as id
    // in one row and in full in another is one area in their checks for duplicates.
    let loaded = job
        .agreement
        .as_ref()
        .map(|agreement| load_agreement(Some(agreement), &RuleOverrides::default()))
        .transpose()?;
    let agreement = loaded.as_ref().map(|loaded| &loaded.agreement);
    // A TOML file holds its requests beside its decisions; a CSV file's are in --requests.
    // A workbook's sheet is a table, whatever its cells say.
    let (decisions, own_requests, unit) = if !decisions_input.is_sheet() && toml_file::is_toml(&decisions_input) {
        let (decisions, requests, unit) = toml_file::read(&decisions_input, job.unit, job.year, agreement)
            .map_err(|err| year_missing(err, |err| err))
            .context("invalid decisions")?;
        (decisions, (!requests.is_empty()).then_some(requests), unit)
    } else {
        let (decisions, unit) = read_decisions(&decisions_input, job.unit, job.year, agreement)
            .map_err(|err| year_missing(err, |err| decisions_input.place(err)))
            .context("invalid decisions")?;
        (decisions, None, unit)
    };
    let requests_input = match &job.requests {
        Some(path) => Some(read_table(path, job.requests_sheet.as_deref()).context("reading requests")?),
        None => None,
    };
    if let (Some(_), Some(file)) = (&own_requests, &requests_input) {
        return Err(anyhow!(
            "{} holds requests of its own, and --requests gives {}: keep the requests in one place",
            decisions_input.label,
            file.label
        ));
    }
    let requests = requests_input
        .as_ref()
        .map(|input| {
            read_requests(input, job.unit, (&decisions_input.label, unit), agreement).map_err(|err| input.place(err))
        })
        .transpose()
        .context("invalid requests")?;
    let (requests_label, requests) = match (own_requests, requests) {
        (Some(own), _) => (Some(decisions_input.label.as_str()), Some(own)),
        (None, Some(file)) => (requests_input.as_ref().map(|input| input.label.as_str()), Some(file)),
        (None, None) => (None, None),
    };
    let requests = requests_label.zip(requests.as_deref());
    // The requests are the file's of --requests, else the decisions' own (TOML).
    let requests_lines = requests_input.as_ref().map_or(Lines::Text, crate::io::input::Input::lines);
    let mut schedule = schedule(&decisions_input.label, &decisions, requests, job.payment_day)
        .map_err(|err| anyhow!(requests_input.as_ref().unwrap_or(&decisions_input).placed_message(&err.to_string())))?;
    schedule.requests_lines = requests_lines;
    let mut inputs = vec![decisions_input];
    inputs.extend(requests_input);
    inputs.extend(loaded.map(|loaded| loaded.input));
    Ok(Made { result: schedule, inputs })
}

/// `err`, placed; when only `--year` is missing, said so for `fordela web` to ask for it (the
/// command line prints the same words).
fn year_missing(err: InputError, placed: impl FnOnce(InputError) -> InputError) -> anyhow::Error {
    let only_year = err.message == schedule::NO_YEAR;
    let err = placed(err);
    if only_year { MissingFlags::error(vec!["--year"], err) } else { err.into() }
}

impl Render for Schedule {
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

    // CSV has no room for the findings: they are said on stderr, as allocate's notes are.
    fn beside_csv(&self, lang: Lang, err: &mut dyn Write) -> io::Result<()> {
        for finding in &self.findings {
            writeln!(
                err,
                "fordela: {} [{}]: {}",
                finding.severity().id(),
                finding.id(),
                report::finding_message(self, finding, lang)
            )?;
        }
        Ok(())
    }

    fn worst(&self) -> Option<Severity> {
        findings::worst(self.findings.iter().map(schedule::PayoutFinding::severity))
    }
}
