//! `fordela payouts`: decisions split into quarterly instalments, requests checked.

pub mod job;
pub mod report;
pub mod schedule;
pub mod toml_file;
pub mod xlsx;

use crate::commands::payouts::job::PayoutsJob;
use crate::commands::payouts::schedule::{read_decisions, read_requests, schedule};
use crate::commands::sources::{RuleOverrides, disk_paths, load_agreement, read_table};
use crate::io::input::InputHash;
use crate::io::lines::Lines;
use crate::output::dialect::Dialect;
use crate::output::file::emit;
use crate::output::format::ReportFormat;
use anyhow::{Context, anyhow};
use std::process::ExitCode;

pub fn run(job: &PayoutsJob) -> anyhow::Result<ExitCode> {
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
        let (decisions, requests, unit) =
            toml_file::read(&decisions_input, job.unit, job.year, agreement).context("invalid decisions")?;
        (decisions, (!requests.is_empty()).then_some(requests), unit)
    } else {
        let (decisions, unit) = read_decisions(&decisions_input, job.unit, job.year, agreement)
            .map_err(|err| decisions_input.place(err))
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
    let mut inputs = vec![&decisions_input];
    inputs.extend(&requests_input);
    inputs.extend(loaded.as_ref().map(|loaded| &loaded.input));
    let requests = requests_label.zip(requests.as_deref());
    // The requests are the file's of --requests, else the decisions' own (TOML).
    let requests_lines = requests_input.as_ref().map_or(Lines::Text, crate::io::input::Input::lines);
    let mut schedule = schedule(&decisions_input.label, &decisions, requests, job.payment_day)
        .map_err(|err| anyhow!(requests_input.as_ref().unwrap_or(&decisions_input).placed_message(&err.to_string())))?;
    schedule.requests_lines = requests_lines;

    let lang = job.target.lang;
    // A workbook is made, and checked, whole before anything is written.
    let workbook = (job.target.format == ReportFormat::Xlsx)
        .then(|| {
            let hashes: Vec<InputHash> =
                inputs.iter().map(|input| InputHash { label: input.label.clone(), sha256: input.sha256() }).collect();
            xlsx::workbook(&schedule, lang, &hashes)
        })
        .transpose()?;
    emit(job.target.file.as_deref(), &disk_paths(&inputs, &[]), |out| match job.target.format {
        ReportFormat::Table => report::table(&schedule, lang, out),
        ReportFormat::Csv => report::csv(&schedule, lang, Dialect::PLAIN, out),
        ReportFormat::Excel => report::csv(&schedule, lang, Dialect::EXCEL, out),
        ReportFormat::Json => report::json(&schedule, lang, out),
        ReportFormat::Xlsx => out.write_all(workbook.as_deref().unwrap_or_default()),
    })?;
    // CSV has no room for the findings: they are said on stderr, as allocate's notes are.
    if matches!(job.target.format, ReportFormat::Csv | ReportFormat::Excel) {
        for finding in &schedule.findings {
            eprintln!("fordela: error [{}]: {}", finding.id(), report::finding_message(&schedule, finding, lang));
        }
    }
    Ok(if schedule.findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
