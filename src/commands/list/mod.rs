//! `fordela list`: the bundled agreements and population tables.

pub mod job;
pub mod xlsx;

use crate::commands::list::job::ListJob;
use crate::core::agreement::parse_agreement;
use crate::core::amount::{NumberStyle, scaled_to_decimal};
use crate::core::population::summarize;
use crate::io::bundled;
use crate::io::input::Input;
use crate::lang::Lang;
use crate::output::file::emit;
use crate::output::format::ListFormat;
use comfy_table::{Table, presets};
use rust_decimal::Decimal;
use serde_json::json;
use std::io;
use std::io::Write;
use std::process::ExitCode;
use xlsx::{ListedAgreement, ListedPopulation};

pub fn run(job: &ListJob) -> anyhow::Result<ExitCode> {
    let mut agreements = Vec::new();
    let mut machine = Vec::new();
    let mut listed = Vec::new();
    for file in bundled::AGREEMENTS {
        let agreement = parse_agreement(&Input::from_text(file.path, file.text))?;
        let total = agreement.rounding.scaled(agreement.total, agreement.unit);
        let date = match &agreement.substitute {
            Some(substitute) => match job.lang {
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
    if job.format == ListFormat::Xlsx {
        let tables: Vec<ListedPopulation> = populations
            .iter()
            .map(|(id, dates, recipients, source)| ListedPopulation {
                id,
                dates: dates.clone(),
                recipients: *recipients,
                source,
            })
            .collect();
        // Made whole, and checked, before a byte is written.
        let bytes = xlsx::workbook(&listed, &tables, job.lang)?;
        emit(job.file.as_deref(), &[], |out| out.write_all(&bytes))?;
        return Ok(ExitCode::SUCCESS);
    }

    emit(job.file.as_deref(), &[], |out: &mut dyn Write| -> io::Result<()> {
        if job.format == ListFormat::Json {
            let document = json!({
                "agreements": machine,
                "populations": populations.iter().map(|(id, dates, recipients, source)| json!({
                    "id": id, "dates": dates, "recipients": recipients, "source": source,
                })).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
            return writeln!(out);
        }
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        table.set_header(match job.lang {
            Lang::Sv => ["avtal", "namn", "totalt", "befolkningsdatum"],
            Lang::En => ["agreement", "name", "total", "population date"],
        });
        for (id, name, total, date) in &agreements {
            table.add_row([*id, name.as_str(), total.as_str(), date.as_str()]);
        }
        writeln!(out, "{table}")?;
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        table.set_header(match job.lang {
            Lang::Sv => ["befolkningstabell", "datum", "mottagare", "källa"],
            Lang::En => ["population table", "dates", "recipients", "source"],
        });
        for (id, dates, recipients, source) in &populations {
            let span = match (dates.first(), dates.last()) {
                (Some(first), Some(last)) => {
                    format!("{} {}, {first} … {last}", dates.len(), job.lang.pick("datum", "dates"))
                }
                _ => String::new(),
            };
            table.add_row([id.to_string(), span, recipients.to_string(), source.to_string()]);
        }
        writeln!(out, "{table}")
    })?;
    Ok(ExitCode::SUCCESS)
}
