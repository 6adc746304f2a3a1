//! `check` reports: a table for people, CSV (one line per area and the total) and JSON for
//! scripts. Amounts are in the plan's unit, exact.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, Table, presets};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Dialect, population_note, spreadsheet_text};
use crate::allocation::Allocation;
use crate::amount::{NumberStyle, format_decimal};
use crate::check::{CheckReport, ReportLine, Severity};

fn decimals(report: &CheckReport) -> u32 {
    report
        .areas
        .iter()
        .chain([&report.total])
        .map(|line| line.allocation.normalize().scale())
        .max()
        .unwrap_or(0)
        .max(report.plan_decimals)
}

fn cells(line: &ReportLine, allocation_decimals: u32, plan_decimals: u32, style: NumberStyle) -> [String; 6] {
    let show =
        |value: Option<Decimal>, decimals: u32| value.map_or(String::new(), |v| format_decimal(v, decimals, style));
    [
        line.area.clone(),
        show(Some(line.allocation), allocation_decimals),
        show(Some(line.allocation_rounded), plan_decimals),
        show(line.declared, plan_decimals),
        show(line.parts, plan_decimals),
        show(line.difference, allocation_decimals),
    ]
}

pub fn table(report: &CheckReport, allocation: &Allocation, out: &mut dyn Write) -> io::Result<()> {
    let unit = report.unit;
    let exact = decimals(report);
    writeln!(
        out,
        "Plan {} for {} ({}), {}; amounts in {unit}.",
        report.plan, report.region_name, report.region_code, report.agreement
    )?;
    writeln!(
        out,
        "The plan is written to {} decimal(s), so it matches an allocation within ±{} {unit}.",
        report.plan_decimals,
        format_decimal(report.tolerance, 0, NumberStyle::SWEDISH)
    )?;
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    let headers = ["area", "allocation", "rounded", "declared", "interventions", "difference", "verdict"];
    table.set_header(headers.iter().enumerate().map(|(i, h)| {
        let cell = Cell::new(h);
        if (1..6).contains(&i) { cell.set_alignment(CellAlignment::Right) } else { cell }
    }));
    for line in report.areas.iter().chain([&report.total]) {
        let texts = cells(line, exact, report.plan_decimals, NumberStyle::SWEDISH);
        let mut row: Vec<Cell> = texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                let cell = Cell::new(text);
                if i > 0 { cell.set_alignment(CellAlignment::Right) } else { cell }
            })
            .collect();
        row.push(Cell::new(line.verdict.label()));
        table.add_row(row);
    }
    writeln!(out, "{table}")?;
    writeln!(out, "For the total, `interventions` is the sum of the areas' amounts.")?;
    writeln!(out, "Allocation: {}.", population_note(allocation))?;
    if report.findings.is_empty() {
        writeln!(out, "No findings: every table adds up and matches the allocation.")?;
    } else {
        writeln!(out, "Findings:")?;
        for finding in &report.findings {
            let place = finding.line.map_or(String::new(), |line| format!(" (line {line})"));
            writeln!(
                out,
                "  {:<7} {:<22} {}{place}: {}",
                finding.severity.label(),
                finding.id,
                finding.area,
                finding.message
            )?;
        }
    }
    let (errors, warnings) = (report.count(Severity::Error), report.count(Severity::Warning));
    writeln!(out, "Result: {errors} error(s), {warnings} warning(s).")
}

pub fn csv(report: &CheckReport, dialect: Dialect, out: &mut dyn Write) -> io::Result<()> {
    let style = dialect.style;
    let mut writer = dialect.writer(out)?;
    writer.write_record([
        "area",
        "allocation",
        "allocation_rounded",
        "declared",
        "interventions",
        "difference",
        "verdict",
        "findings",
    ])?;
    let exact = decimals(report);
    for line in report.areas.iter().chain([&report.total]) {
        let ids: Vec<&str> =
            report.findings.iter().filter(|finding| finding.area == line.area).map(|finding| finding.id).collect();
        let mut record: Vec<String> = cells(line, exact, report.plan_decimals, style).into();
        // The area, verdict and finding ids are text; the other cells are numbers, and a
        // negative difference must stay one.
        record[0] = spreadsheet_text(&record[0]).into_owned();
        record.push(spreadsheet_text(line.verdict.label()).into_owned());
        record.push(spreadsheet_text(&ids.join(" ")).into_owned());
        writer.write_record(&record)?;
    }
    writer.flush()
}

#[derive(Serialize)]
struct JsonReport<'a> {
    fordela_version: &'static str,
    ok: bool,
    errors: usize,
    warnings: usize,
    #[serde(flatten)]
    report: &'a CheckReport,
}

pub fn json(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    let errors = report.count(Severity::Error);
    let document = JsonReport {
        fordela_version: env!("CARGO_PKG_VERSION"),
        ok: errors == 0,
        errors,
        warnings: report.count(Severity::Warning),
        report,
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}
