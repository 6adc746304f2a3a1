//! `check` reports: a table for people, CSV (one line per area and the total) and JSON for
//! scripts. Amounts are in the plan's unit, exact. The findings' words are written here, in the
//! report's language, from the findings' data; their ids are the same in every language.

use super::compute::{AreaRef, CheckReport, Finding, FindingKind, ReportLine, Targets};
use crate::commands::allocate::words::population_words;
use crate::core::amount::{NumberStyle, Unit, format_decimal};
use crate::core::findings::{Severity, Verdict};
use crate::lang::Lang;
use crate::output::dialect::{Dialect, spreadsheet_text};
use comfy_table::{Cell, CellAlignment, Table, presets};
use rust_decimal::Decimal;
use serde::Serialize;
use std::io;
use std::io::Write;

/// How a report line or finding names its area in every format: the area's id, or `total`.
fn label(area: &AreaRef) -> &str {
    label_in(area, Lang::En)
}

/// The area's id, or the total in the report's language.
fn label_in(area: &AreaRef, lang: Lang) -> &str {
    match area {
        AreaRef::Area(id) => id,
        AreaRef::Total => lang.pick("totalt", "total"),
    }
}

/// Shows a decimal exactly, `-0,5` style, for messages.
fn show(value: Decimal, unit: Unit) -> String {
    format!("{} {unit}", format_decimal(value, 0, NumberStyle::SWEDISH))
}

/// The targets a plan can state instead, in words: `; write 19,1 / 5,8 / 5,7 mkr: these
/// targets add up to 30,6 mkr`, with the area's own target named where the finding is an area's.
fn write_instead(area: &AreaRef, targets: &Targets, unit: Unit, lang: Lang) -> String {
    let shown = |value: Decimal| format_decimal(value, targets.decimals, NumberStyle::SWEDISH);
    let all: Vec<String> = targets.areas.iter().map(|area| shown(area.target)).collect();
    let own = match area {
        AreaRef::Area(id) => targets.areas.iter().find(|target| &target.area == id),
        AreaRef::Total => None,
    };
    let total = shown(targets.total);
    let all = all.join(" / ");
    // The whole set, not this area's figure alone: changing one area leaves the others'
    // rounding (and the plan's total) as it was, which may no longer add up.
    match (own, lang) {
        (Some(own), Lang::En) => format!(
            "; write the plan's targets {all} {unit} ({} {unit} here), which add up to {total} {unit}",
            shown(own.target)
        ),
        (Some(own), Lang::Sv) => format!(
            "; skriv planens mål {all} {unit} ({} {unit} här), som summerar till {total} {unit}",
            shown(own.target)
        ),
        (None, Lang::En) => format!("; write {all} {unit}: these targets add up to {total} {unit}"),
        (None, Lang::Sv) => format!("; skriv {all} {unit}: dessa mål summerar till {total} {unit}"),
    }
}

/// What a finding of `report` says, naming the plan's places as its lines or a sheet's rows.
#[must_use]
pub fn finding_message(report: &CheckReport, finding: &Finding, lang: Lang) -> String {
    report.plan_lines.reword(&message(finding, report.unit, lang))
}

/// What a finding says, in the report's language: the words of the table's and JSON's
/// `message`.
#[must_use]
pub fn message(finding: &Finding, unit: Unit, lang: Lang) -> String {
    match lang {
        Lang::En => message_en(finding, unit),
        Lang::Sv => message_sv(finding, unit),
    }
}

fn message_en(finding: &Finding, unit: Unit) -> String {
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
            said + &targets
                .as_ref()
                .map_or(String::new(), |targets| write_instead(&finding.area, targets, unit, Lang::En))
        }
        FindingKind::AllocationUnder { planned, allocation, rounded, tolerance, difference, targets } => {
            let said = against_allocation(*planned, *allocation, *rounded, *tolerance, *difference, "below");
            said + &targets
                .as_ref()
                .map_or(String::new(), |targets| write_instead(&finding.area, targets, unit, Lang::En))
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

fn message_sv(finding: &Finding, unit: Unit) -> String {
    let show = |value: Decimal| show(value, unit);
    let area = match &finding.area {
        AreaRef::Area(id) => format!("området `{id}`"),
        AreaRef::Total => "planens summa".to_string(),
    };
    let against_parts = |declared: Decimal, sum: Decimal, difference: Decimal, said: &str| {
        let what = match &finding.area {
            AreaRef::Area(id) => format!("området `{id}`: insatserna summerar till"),
            AreaRef::Total => "områdena summerar till".to_string(),
        };
        format!("{what} {}, men {said} {}: differens {}", show(sum), show(declared), show(difference))
    };
    let against_allocation = |planned, allocation, rounded, tolerance, difference, side: &str| {
        format!(
            "{area} planerar {}, {} {side} tilldelningen på {} ({} med planens precision; tolerans ±{})",
            show(planned),
            show(difference),
            show(allocation),
            show(rounded),
            show(tolerance),
        )
    };
    let instead = |targets: &Option<Targets>| {
        targets.as_ref().map_or(String::new(), |targets| write_instead(&finding.area, targets, unit, Lang::Sv))
    };
    match &finding.kind {
        FindingKind::InterventionsSum { declared, sum, difference }
        | FindingKind::AreasSum { declared, sum, difference } => {
            against_parts(*declared, *sum, *difference, "det anger")
        }
        FindingKind::TotalRow { declared, sum, difference } => {
            against_parts(*declared, *sum, *difference, "summaraden säger")
        }
        FindingKind::AllocationOver { planned, allocation, rounded, tolerance, difference, targets } => {
            against_allocation(*planned, *allocation, *rounded, *tolerance, *difference, "över") + &instead(targets)
        }
        FindingKind::AllocationUnder { planned, allocation, rounded, tolerance, difference, targets } => {
            against_allocation(*planned, *allocation, *rounded, *tolerance, *difference, "under") + &instead(targets)
        }
        FindingKind::AreaMissing { name, allocation } => {
            format!("{area} ({name}) saknas i planen; regionen får {} för det", show(*allocation))
        }
        FindingKind::AreaEmpty => format!("{area} har varken belopp eller insatser"),
        FindingKind::AmountNegative { intervention: None, amount } => {
            format!("{area} anger ett negativt belopp, {}", show(*amount))
        }
        FindingKind::AmountNegative { intervention: Some(name), amount } => {
            format!("insatsen `{name}` har ett negativt belopp, {}", show(*amount))
        }
        FindingKind::AmountZero { intervention } => format!("insatsen `{intervention}` har beloppet noll"),
        FindingKind::InterventionDuplicate { name, first_line } => {
            format!("insatsen `{name}` förekommer två gånger i {area} (först på rad {first_line})")
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

fn cells(
    line: &ReportLine,
    allocation_decimals: u32,
    plan_decimals: u32,
    style: NumberStyle,
    lang: Lang,
) -> [String; 6] {
    let show =
        |value: Option<Decimal>, decimals: u32| value.map_or(String::new(), |v| format_decimal(v, decimals, style));
    [
        label_in(&line.area, lang).to_string(),
        show(Some(line.allocation), allocation_decimals),
        show(Some(line.allocation_rounded), plan_decimals),
        show(line.declared, plan_decimals),
        show(line.parts, plan_decimals),
        show(line.difference, allocation_decimals),
    ]
}

/// The two sentences above the table: which plan, for which region, and its precision.
pub fn heading(report: &CheckReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let unit = report.unit;
    let (plan, region, code, agreement) = (&report.plan, &report.region_name, &report.region_code, &report.agreement);
    let (decimals, tolerance) = (report.plan_decimals, format_decimal(report.tolerance, 0, NumberStyle::SWEDISH));
    match lang {
        Lang::En => {
            writeln!(out, "Plan {plan} for {region} ({code}), {agreement}; amounts in {unit}.")?;
            writeln!(
                out,
                "The plan is written to {decimals} decimal(s), so it matches an allocation within ±{tolerance} {unit}."
            )
        }
        Lang::Sv => {
            writeln!(out, "Plan {plan} för {region} ({code}), {agreement}; belopp i {unit}.")?;
            writeln!(
                out,
                "Planen är skriven med {decimals} decimal(er), så den stämmer med en tilldelning inom ±{tolerance} {unit}."
            )
        }
    }
}

/// The table's header.
#[must_use]
pub fn headers(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::En => ["area", "allocation", "rounded", "declared", "interventions", "difference", "verdict"],
        Lang::Sv => ["område", "tilldelning", "avrundad", "angivet", "insatser", "differens", "bedömning"],
    }
}

/// The table's rows: each area, then the total, as the line and its cells (the verdict last).
#[must_use]
pub fn rows(report: &CheckReport, lang: Lang) -> Vec<(&ReportLine, [String; 7])> {
    let exact = decimals(report);
    report
        .areas
        .iter()
        .chain([&report.total])
        .map(|line| {
            let [area, allocation, rounded, declared, parts, difference] =
                cells(line, exact, report.plan_decimals, NumberStyle::SWEDISH, lang);
            let verdict = line.verdict.word(lang).to_string();
            (line, [area, allocation, rounded, declared, parts, difference, verdict])
        })
        .collect()
}

/// The notes below the table: what `interventions` is for the total, and the population used.
pub fn below_table(report: &CheckReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        lang.pick(
            "För totalen är `insatser` summan av områdenas belopp.",
            "For the total, `interventions` is the sum of the areas' amounts."
        )
    )?;
    let population = population_words(&report.population, report.agreement_population_date, lang);
    writeln!(out, "{}: {population}.", lang.pick("Tilldelning", "Allocation"))
}

/// A finding's place in the plan, ` (line 7)`, or nothing.
#[must_use]
pub fn place(report: &CheckReport, finding: &Finding, lang: Lang) -> String {
    let word = report.plan_lines.word(lang);
    finding.line.map_or(String::new(), |line| format!(" ({word} {line})"))
}

/// The last line: how many errors and warnings.
pub fn result_line(report: &CheckReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let (errors, warnings) = (report.count(Severity::Error), report.count(Severity::Warning));
    match lang {
        Lang::En => writeln!(out, "Result: {errors} error(s), {warnings} warning(s)."),
        Lang::Sv => writeln!(out, "Resultat: {errors} fel, {warnings} varning(ar)."),
    }
}

/// The area a line or finding is about, as the report names it.
#[must_use]
pub fn area_label(area: &AreaRef, lang: Lang) -> &str {
    label_in(area, lang)
}

pub fn table(report: &CheckReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    heading(report, lang, out)?;
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(headers(lang).iter().enumerate().map(|(i, h)| {
        let cell = Cell::new(h);
        if (1..6).contains(&i) { cell.set_alignment(CellAlignment::Right) } else { cell }
    }));
    for (_, texts) in rows(report, lang) {
        let row: Vec<Cell> = texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                let cell = Cell::new(text);
                if (1..6).contains(&i) { cell.set_alignment(CellAlignment::Right) } else { cell }
            })
            .collect();
        table.add_row(row);
    }
    writeln!(out, "{table}")?;
    below_table(report, lang, out)?;
    if report.findings.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick(
                "Inga anmärkningar: varje tabell summerar och stämmer med tilldelningen.",
                "No findings: every table adds up and matches the allocation."
            )
        )?;
    } else {
        writeln!(out, "{}:", lang.pick("Anmärkningar", "Findings"))?;
        for finding in &report.findings {
            writeln!(
                out,
                "  {:<7} {:<22} {}{}: {}",
                finding.severity.word(lang),
                finding.kind.id(),
                label_in(&finding.area, lang),
                place(report, finding, lang),
                finding_message(report, finding, lang)
            )?;
        }
    }
    result_line(report, lang, out)
}

pub fn csv(report: &CheckReport, lang: Lang, dialect: Dialect, out: &mut dyn Write) -> io::Result<()> {
    let style = dialect.style;
    let mut writer = dialect.writer(out)?;
    writer.write_record(match lang {
        Lang::En => [
            "area",
            "allocation",
            "allocation_rounded",
            "declared",
            "interventions",
            "difference",
            "verdict",
            "findings",
        ],
        Lang::Sv => [
            "område",
            "tilldelning",
            "tilldelning_avrundad",
            "angivet",
            "insatser",
            "differens",
            "bedömning",
            "anmärkningar",
        ],
    })?;
    let exact = decimals(report);
    for line in report.areas.iter().chain([&report.total]) {
        let ids: Vec<&str> = report.findings_for(&line.area).map(|finding| finding.kind.id()).collect();
        let mut record: Vec<String> = cells(line, exact, report.plan_decimals, style, lang).into();
        // The area, verdict and finding ids are text; the other cells are numbers, and a
        // negative difference must stay one.
        record[0] = spreadsheet_text(&record[0]).into_owned();
        record.push(spreadsheet_text(line.verdict.word(lang)).into_owned());
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
    verdict: Verdict,
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

/// Keys, ids, areas and verdicts are the same in every language (programs read them); only the
/// findings' `message` is in the report's language.
pub fn json(report: &CheckReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let errors = report.count(Severity::Error);
    let findings = report.findings.iter().map(|finding| JsonFinding {
        severity: finding.severity,
        id: finding.kind.id(),
        area: label(&finding.area),
        line: finding.line,
        message: finding_message(report, finding, lang),
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
        message(&Finding { severity: kind.severity(), kind, area, line: None }, Unit::Mkr, Lang::En)
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
            let finding = Finding { severity: kind.severity(), kind: kind.clone(), area: area.clone(), line: None };
            assert_eq!(said(area, kind), expected);
            // The Swedish words carry the same figures and names, and none of the English words.
            let swedish = message(&finding, Unit::Mkr, Lang::Sv);
            let figures = |text: &str| -> Vec<String> {
                text.split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '-' || c == '±'))
                    .map(|word| word.trim_matches(','))
                    .filter(|word| word.chars().any(|c| c.is_ascii_digit()))
                    .map(str::to_string)
                    .collect()
            };
            assert_eq!(figures(&swedish), figures(expected), "{swedish}");
            for english in [" the ", " plans ", " area ", "intervention ", " declares ", " missing ", " twice "] {
                assert!(!swedish.contains(english), "`{english}` in: {swedish}");
            }
        }
    }
}
