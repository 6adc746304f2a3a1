//! `check --format xlsx`: the per-area table, the findings (one a row, with ids), and the notes.
//! The plan's total line is written as the report gives it, not as a `SUM`: a declared total
//! that is not the sum of the areas is a finding, and a formula would hide it.

use super::compute::{AreaRef, CheckReport, ReportLine};
use super::report::finding_message;
use crate::commands::allocate::words::population_words;
use crate::core::amount::{NumberStyle, format_decimal};
use crate::core::findings::Severity;
use crate::io::input::InputHash;
use crate::io::lines::Lines;
use crate::lang::Lang;
use crate::output::workbook;
use crate::output::workbook::{Column, FindingRow, Sheet, Value, WorkbookError, audit_pairs, choose, notes_sheet_name};
use rust_decimal::Decimal;

fn area(area: &AreaRef, lang: Lang) -> String {
    match area {
        AreaRef::Area(id) => id.clone(),
        AreaRef::Total => lang.pick("Totalt", "Total").to_string(),
    }
}

pub fn workbook(report: &CheckReport, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
    workbook::write(&[table(report, lang), findings(report, lang), notes(report, lang, inputs)])
}

fn tolerance(report: &CheckReport) -> String {
    format_decimal(report.tolerance, 0, NumberStyle::SWEDISH)
}

fn table(report: &CheckReport, lang: Lang) -> Sheet {
    let unit = report.unit;
    let exact = report
        .areas
        .iter()
        .chain([&report.total])
        .map(|line| line.allocation.normalize().scale())
        .max()
        .unwrap_or(0)
        .max(report.plan_decimals);
    let plan = report.plan_decimals;
    let columns = vec![
        Column::text(lang.pick("Område", "Area")),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Tilldelning", "Allocation")), exact),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Avrundad", "Rounded")), plan),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Angivet", "Declared")), plan),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Insatser", "Interventions")), plan),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Differens", "Difference")), exact),
        Column::text(lang.pick("Bedömning", "Verdict")),
        Column::text(lang.pick("Avvikelser", "Findings")),
    ];
    let optional = |value: Option<Decimal>| value.map_or(Value::Empty, Value::Number);
    let row = |line: &ReportLine| {
        let ids: Vec<&str> = report.findings_for(&line.area).map(|finding| finding.kind.id()).collect();
        vec![
            Value::Text(area(&line.area, lang)),
            Value::Number(line.allocation),
            Value::Number(line.allocation_rounded),
            optional(line.declared),
            optional(line.parts),
            optional(line.difference),
            Value::text(line.verdict.word(lang)),
            Value::Text(ids.join(" ")),
        ]
    };
    let tolerance = tolerance(report);
    Sheet {
        name: lang.pick("Kontroll", "Check").to_string(),
        title: vec![
            choose(
                lang,
                format!(
                    "Plan {} för {} ({}), {}",
                    report.plan, report.region_name, report.region_code, report.agreement
                ),
                format!(
                    "Plan {} for {} ({}), {}",
                    report.plan, report.region_name, report.region_code, report.agreement
                ),
            ),
            choose(
                lang,
                format!(
                    "Belopp i {unit}. Planen är skriven med {plan} decimal(er): den stämmer med tilldelningen inom ±{tolerance} {unit}."
                ),
                format!(
                    "Amounts in {unit}. The plan is written to {plan} decimal(s): it matches an allocation within \
                     ±{tolerance} {unit}."
                ),
            ),
        ],
        columns,
        rows: report.areas.iter().chain([&report.total]).map(row).collect(),
        total: None,
        footer: vec![choose(
            lang,
            "För raden Totalt är Insatser summan av områdenas belopp; den är planens egen rad, ingen formel."
                .to_string(),
            "For the Total line, Interventions is the sum of the areas' amounts; it is the plan's own line, not a \
             formula."
                .to_string(),
        )],
    }
}

fn findings(report: &CheckReport, lang: Lang) -> Sheet {
    let (errors, warnings) = (report.count(Severity::Error), report.count(Severity::Warning));
    let plan_line = match report.plan_lines {
        Lines::Text => lang.pick("Rad i planen", "Plan line"),
        Lines::Sheet => lang.pick("Rad i planen", "Plan row"),
    };
    let rows = report
        .findings
        .iter()
        .map(|finding| FindingRow {
            id: finding.kind.id().to_string(),
            severity: finding.severity.word(lang).to_string(),
            own: vec![
                Value::Text(area(&finding.area, lang)),
                finding.line.map_or(Value::Empty, |line| Value::Number(Decimal::from(line))),
            ],
            message: finding_message(report, finding, lang),
        })
        .collect();
    Sheet::findings(
        lang,
        choose(
            lang,
            format!("{errors} fel, {warnings} varningar"),
            format!("{errors} error(s), {warnings} warning(s)"),
        ),
        vec![Column::text(lang.pick("Område", "Area")), Column::count(plan_line, false)],
        rows,
        lang.pick(
            "Inga avvikelser: varje tabell summerar och stämmer med tilldelningen.",
            "No findings: every table adds up and matches the allocation.",
        ),
    )
}

fn notes(report: &CheckReport, lang: Lang, inputs: &[InputHash]) -> Sheet {
    let (unit, plan, tolerance) = (report.unit, report.plan_decimals, tolerance(report));
    let mut pairs = vec![
        (lang.pick("Plan", "Plan").to_string(), report.plan.clone()),
        (lang.pick("Överenskommelse", "Agreement").to_string(), report.agreement.clone()),
        (lang.pick("Region", "Region").to_string(), format!("{} {}", report.region_code, report.region_name)),
        (lang.pick("Enhet", "Unit").to_string(), unit.to_string()),
        (lang.pick("Planens decimaler", "Plan's decimals").to_string(), plan.to_string()),
        (lang.pick("Tolerans", "Tolerance").to_string(), format!("±{tolerance} {unit}")),
        (lang.pick("Befolkning, fil", "Population file").to_string(), report.population.source.clone()),
        (
            lang.pick("Befolkning, datum som använts", "Population date used").to_string(),
            report.population.date.to_string(),
        ),
        (
            lang.pick("Överenskommelsens befolkningsdatum", "Agreement's population date").to_string(),
            report.agreement_population_date.to_string(),
        ),
        (
            lang.pick("Annat datum och skäl", "Substitution and reason").to_string(),
            report.population.substitution.clone().unwrap_or_else(|| lang.pick("ingen", "none").into()),
        ),
        (
            lang.pick("Befolkning", "Population").to_string(),
            population_words(&report.population, report.agreement_population_date, lang),
        ),
    ];
    pairs.extend(audit_pairs(inputs, lang));
    Sheet::pairs(
        notes_sheet_name(lang),
        lang.pick("Underlag för kontrollen", "How the plan was checked").into(),
        lang,
        pairs,
    )
}
