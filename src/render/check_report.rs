//! `check` reports: a table for people, CSV (one line per area and the total) and JSON for
//! scripts. Amounts are in the plan's unit, exact. The findings' English words are written
//! here, from the findings' data: another language is another `message`.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, Table, presets};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Dialect, population_words, spreadsheet_text};
use crate::amount::{NumberStyle, Unit, format_decimal};
use crate::check::{AreaRef, CheckReport, Finding, FindingKind, ReportLine, Severity, Targets};

/// How a report line or finding names its area in every format: the area's id, or `total`.
fn label(area: &AreaRef) -> &str {
    match area {
        AreaRef::Area(id) => id,
        AreaRef::Total => "total",
    }
}

/// Shows a decimal exactly, `-0,5` style, for messages.
fn show(value: Decimal, unit: Unit) -> String {
    format!("{} {unit}", format_decimal(value, 0, NumberStyle::SWEDISH))
}

/// The targets a plan can state instead, in words: `; write 19,1 / 5,8 / 5,7 mkr: these
/// targets add up to 30,6 mkr`, with the area's own target named where the finding is an area's.
fn write_instead(area: &AreaRef, targets: &Targets, unit: Unit) -> String {
    let shown = |value: Decimal| format_decimal(value, targets.decimals, NumberStyle::SWEDISH);
    let all: Vec<String> = targets.areas.iter().map(|area| shown(area.target)).collect();
    let own = match area {
        AreaRef::Area(id) => targets.areas.iter().find(|target| &target.area == id),
        AreaRef::Total => None,
    };
    let total = shown(targets.total);
    match own {
        // The whole set, not this area's figure alone: changing one area leaves the others'
        // rounding (and the plan's total) as it was, which may no longer add up.
        Some(own) => format!(
            "; write the plan's targets {} {unit} ({} {unit} here), which add up to {total} {unit}",
            all.join(" / "),
            shown(own.target)
        ),
        None => format!("; write {} {unit}: these targets add up to {total} {unit}", all.join(" / ")),
    }
}

/// What a finding says, in English: the words of the table's and JSON's `message`.
#[must_use]
pub fn message(finding: &Finding, unit: Unit) -> String {
    let show = |value: Decimal| show(value, unit);
    let area = match &finding.area {
        AreaRef::Area(id) => format!("area `{id}`"),
        AreaRef::Total => "the plan's total".to_string(),
    };
    let against_parts = |declared: Decimal, sum: Decimal, difference: Decimal, said: &str| {
        let what = match &finding.area {
            AreaRef::Area(id) => format!("area `{id}`: the interventions add up to"),
            AreaRef::Total => "the areas add up to".to_string(),
        };
        format!("{what} {}, but {said} {}: difference {}", show(sum), show(declared), show(difference))
    };
    let against_allocation = |planned, allocation, rounded, tolerance, difference, side: &str| {
        format!(
            "{area} plans {}, {} {side} the allocation of {} ({} to the plan's precision; tolerance ±{})",
            show(planned),
            show(difference),
            show(allocation),
            show(rounded),
            show(tolerance),
        )
    };
    match &finding.kind {
        FindingKind::InterventionsSum { declared, sum, difference }
        | FindingKind::AreasSum { declared, sum, difference } => {
            against_parts(*declared, *sum, *difference, "it declares")
        }
        FindingKind::TotalRow { declared, sum, difference } => {
            against_parts(*declared, *sum, *difference, "the sum row says")
        }
        FindingKind::AllocationOver { planned, allocation, rounded, tolerance, difference, targets } => {
            let said = against_allocation(*planned, *allocation, *rounded, *tolerance, *difference, "above");
            said + &targets.as_ref().map_or(String::new(), |targets| write_instead(&finding.area, targets, unit))
        }
        FindingKind::AllocationUnder { planned, allocation, rounded, tolerance, difference, targets } => {
            let said = against_allocation(*planned, *allocation, *rounded, *tolerance, *difference, "below");
            said + &targets.as_ref().map_or(String::new(), |targets| write_instead(&finding.area, targets, unit))
        }
        FindingKind::AreaMissing { name, allocation } => {
            format!("{area} ({name}) is missing from the plan; the region gets {} for it", show(*allocation))
        }
        FindingKind::AreaEmpty => format!("{area} has neither an amount nor interventions"),
        FindingKind::AmountNegative { intervention: None, amount } => {
            format!("{area} declares a negative amount, {}", show(*amount))
        }
        FindingKind::AmountNegative { intervention: Some(name), amount } => {
            format!("intervention `{name}` has a negative amount, {}", show(*amount))
        }
        FindingKind::AmountZero { intervention } => format!("intervention `{intervention}` has the amount zero"),
        FindingKind::InterventionDuplicate { name, first_line } => {
            format!("intervention `{name}` appears twice in {area} (first on line {first_line})")
        }
    }
}

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
        label(&line.area).to_string(),
        show(Some(line.allocation), allocation_decimals),
        show(Some(line.allocation_rounded), plan_decimals),
        show(line.declared, plan_decimals),
        show(line.parts, plan_decimals),
        show(line.difference, allocation_decimals),
    ]
}

pub fn table(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
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
    writeln!(out, "Allocation: {}.", population_words(&report.population, report.agreement_population_date))?;
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
                finding.kind.id(),
                label(&finding.area),
                message(finding, unit)
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
        let ids: Vec<&str> = report.findings_for(&line.area).map(|finding| finding.kind.id()).collect();
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

/// The JSON document: the report's fields in their documented order and names.
#[derive(Serialize)]
struct JsonReport<'a> {
    fordela_version: &'static str,
    ok: bool,
    errors: usize,
    warnings: usize,
    plan: &'a str,
    agreement: &'a str,
    region_code: &'a str,
    region_name: &'a str,
    unit: Unit,
    plan_decimals: u32,
    tolerance: Decimal,
    /// The amounts the plan can state to its own precision, adding up to its total rounded.
    targets: Option<&'a Targets>,
    areas: Vec<JsonLine<'a>>,
    total: JsonLine<'a>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    area: &'a str,
    allocation: Decimal,
    allocation_rounded: Decimal,
    declared: Option<Decimal>,
    parts: Option<Decimal>,
    difference: Option<Decimal>,
    verdict: Severity,
}

impl<'a> JsonLine<'a> {
    fn new(line: &'a ReportLine) -> JsonLine<'a> {
        JsonLine {
            area: label(&line.area),
            allocation: line.allocation,
            allocation_rounded: line.allocation_rounded,
            declared: line.declared,
            parts: line.parts,
            difference: line.difference,
            verdict: line.verdict,
        }
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    id: &'static str,
    area: &'a str,
    line: Option<usize>,
    message: String,
}

pub fn json(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    let errors = report.count(Severity::Error);
    let findings = report.findings.iter().map(|finding| JsonFinding {
        severity: finding.severity,
        id: finding.kind.id(),
        area: label(&finding.area),
        line: finding.line,
        message: message(finding, report.unit),
    });
    let document = JsonReport {
        fordela_version: env!("CARGO_PKG_VERSION"),
        ok: errors == 0,
        errors,
        warnings: report.count(Severity::Warning),
        plan: &report.plan,
        agreement: &report.agreement,
        region_code: &report.region_code,
        region_name: &report.region_name,
        unit: report.unit,
        plan_decimals: report.plan_decimals,
        tolerance: report.tolerance,
        targets: report.targets.as_ref(),
        areas: report.areas.iter().map(JsonLine::new).collect(),
        total: JsonLine::new(&report.total),
        findings: findings.collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(area: AreaRef, kind: FindingKind) -> String {
        message(&Finding { severity: kind.severity(), kind, area, line: None }, Unit::Mkr)
    }

    fn mkr(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    /// Each kind's English words, as fordela wrote them when findings were still strings.
    #[test]
    fn every_kind_is_worded_from_its_data() {
        let area = || AreaRef::Area("omstallning".to_string());
        let cases = [
            (
                area(),
                FindingKind::InterventionsSum { declared: mkr("20"), sum: mkr("18"), difference: mkr("-2") },
                "area `omstallning`: the interventions add up to 18 mkr, but it declares 20 mkr: difference -2 mkr",
            ),
            (
                area(),
                FindingKind::TotalRow { declared: mkr("18"), sum: mkr("19"), difference: mkr("1") },
                "area `omstallning`: the interventions add up to 19 mkr, but the sum row says 18 mkr: difference 1 mkr",
            ),
            (
                AreaRef::Total,
                FindingKind::TotalRow { declared: mkr("30"), sum: mkr("29.6"), difference: mkr("-0.4") },
                "the areas add up to 29,6 mkr, but the sum row says 30 mkr: difference -0,4 mkr",
            ),
            (
                AreaRef::Total,
                FindingKind::AreasSum { declared: mkr("40"), sum: mkr("14"), difference: mkr("-26") },
                "the areas add up to 14 mkr, but it declares 40 mkr: difference -26 mkr",
            ),
            (
                area(),
                FindingKind::AllocationOver {
                    planned: mkr("20"),
                    allocation: mkr("19.102294"),
                    rounded: mkr("19"),
                    tolerance: mkr("0.5"),
                    difference: mkr("0.897706"),
                    targets: None,
                },
                "area `omstallning` plans 20 mkr, 0,897706 mkr above the allocation of 19,102294 mkr (19 mkr to the \
                 plan's precision; tolerance ±0,5 mkr)",
            ),
            (
                AreaRef::Total,
                FindingKind::AllocationUnder {
                    planned: mkr("17.25"),
                    allocation: mkr("30.640080"),
                    rounded: mkr("30.64"),
                    tolerance: mkr("0.005"),
                    difference: mkr("13.390080"),
                    targets: None,
                },
                "the plan's total plans 17,25 mkr, 13,39008 mkr below the allocation of 30,64008 mkr (30,64 mkr to the \
                 plan's precision; tolerance ±0,005 mkr)",
            ),
            (
                AreaRef::Area("tillganglighet".to_string()),
                FindingKind::AreaMissing { name: "Tillgänglighet".to_string(), allocation: mkr("5.768893") },
                "area `tillganglighet` (Tillgänglighet) is missing from the plan; the region gets 5,768893 mkr for it",
            ),
            (area(), FindingKind::AreaEmpty, "area `omstallning` has neither an amount nor interventions"),
            (
                area(),
                FindingKind::AmountNegative { intervention: None, amount: mkr("-6") },
                "area `omstallning` declares a negative amount, -6 mkr",
            ),
            (
                area(),
                FindingKind::AmountNegative { intervention: Some("N".to_string()), amount: mkr("-1") },
                "intervention `N` has a negative amount, -1 mkr",
            ),
            (area(), FindingKind::AmountZero { intervention: "Z".to_string() }, "intervention `Z` has the amount zero"),
            (
                area(),
                FindingKind::InterventionDuplicate { name: "a".to_string(), first_line: 7 },
                "intervention `a` appears twice in area `omstallning` (first on line 7)",
            ),
        ];
        for (area, kind, expected) in cases {
            assert_eq!(said(area, kind), expected);
        }
    }
}
