//! `fordela list`: the bundled agreements and population tables.

pub mod job;
pub mod report;
pub mod xlsx;

use crate::commands::list::job::ListJob;
use crate::core::agreement::parse_agreement;
use crate::core::amount::{NumberStyle, scaled_to_decimal};
use crate::core::population::summarize;
use crate::io::bundled;
use crate::io::input::{Input, InputHash};
use crate::lang::Lang;
use crate::output::deliver::{Provenance, Render, deliver, not_written};
use crate::output::format::Format;
use crate::output::workbook::WorkbookError;
use rust_decimal::Decimal;
use serde_json::json;
use std::io;
use std::io::Write;
use std::process::ExitCode;
use xlsx::{ListedAgreement, ListedPopulation};

pub fn run(job: &ListJob) -> anyhow::Result<ExitCode> {
    let listing = listing(job.target.lang)?;
    deliver(&listing, &job.target, Provenance { paths: Vec::new(), hashes: Box::new(Vec::new) })
}

/// What `list` shows: each bundled agreement (its words for the table, its figures for JSON and
/// the workbook) and each bundled population table (id, dates, recipients, source).
pub struct Listing {
    pub agreements: Vec<(&'static str, String, String, String)>,
    pub machine: Vec<serde_json::Value>,
    pub listed: Vec<ListedAgreement>,
    pub populations: Vec<(&'static str, Vec<String>, usize, &'static str)>,
}

/// The bundled agreements and population tables, listed.
fn listing(lang: Lang) -> anyhow::Result<Listing> {
    let mut agreements = Vec::new();
    let mut machine = Vec::new();
    let mut listed = Vec::new();
    for file in bundled::AGREEMENTS {
        let agreement = parse_agreement(&Input::from_text(file.path, file.text))?;
        let total = agreement.rounding.scaled(agreement.total, agreement.unit);
        let date = match &agreement.substitute {
            Some(substitute) => match lang {
                Lang::Sv => format!("{} (siffror per {} används)", agreement.population_date, substitute.date),
                Lang::En => format!("{} (figures of {} used)", agreement.population_date, substitute.date),
            },
            None => agreement.population_date.to_string(),
        };
        // JSON is for programs: the exact total as a plain decimal beside its unit, and the
        // dates as dates, not the words of the table.
        machine.push(json!({
            "id": file.id,
            "name": agreement.name,
            "total": total.format(0, NumberStyle::PLAIN),
            "unit": agreement.unit,
            "population_date": agreement.population_date,
            "population_date_substitute": agreement.substitute.as_ref().map(|substitute| json!({
                "date": substitute.date, "reason": substitute.reason,
            })),
        }));
        listed.push(ListedAgreement {
            id: file.id,
            name: agreement.name.clone(),
            total: scaled_to_decimal(total).unwrap_or(Decimal::MAX),
            unit: agreement.unit,
            population_date: date.clone(),
        });
        let total = format!("{} {}", total.format(0, NumberStyle::SWEDISH), agreement.unit);
        agreements.push((file.id, agreement.name, total, date));
    }
    let mut populations = Vec::new();
    for file in bundled::POPULATIONS {
        let summaries = summarize(&Input::from_text(file.path, file.text))?;
        let dates: Vec<String> = summaries.iter().map(|summary| summary.date.to_string()).collect();
        let recipients = summaries.first().map_or(0, |summary| summary.recipients);
        populations.push((file.id, dates, recipients, file.source_line()));
    }
    Ok(Listing { agreements, machine, listed, populations })
}

impl Render for Listing {
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table => report::table(self, lang, out),
            Format::Json => report::json(self, out),
            Format::Csv | Format::Excel | Format::Xlsx | Format::Html => Err(not_written(format)),
        }
    }

    fn workbook(&self, lang: Lang, _inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
        let tables: Vec<ListedPopulation> = self
            .populations
            .iter()
            .map(|(id, dates, recipients, source)| ListedPopulation {
                id,
                dates: dates.clone(),
                recipients: *recipients,
                source,
            })
            .collect();
        xlsx::workbook(&self.listed, &tables, lang)
    }
}
