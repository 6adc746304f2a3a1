//! `diff --format xlsx`: the interventions (old, new, and the difference as a live formula),
//! the areas with the plan's total as `SUM`s of the areas where it is their sum, the findings
//! and the notes.

use super::compute::{AmountDiff, Change, DiffReport};
use super::report::finding_message;
use crate::core::findings::Severity;
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::workbook;
use crate::output::workbook::{
    Column, FindingRow, Live, Sheet, Value, WorkbookError, audit_pairs, choose, notes_sheet_name,
};
use rust_decimal::Decimal;

/// Columns of both sheets: old, new, difference.
const OLD: usize = 0;
const NEW: usize = 1;

fn change_label(change: Change, lang: Lang) -> &'static str {
    match change {
        Change::Unchanged => lang.pick("oförändrad", "unchanged"),
        Change::Changed => lang.pick("ändrad", "changed"),
        Change::Renamed => lang.pick("omdöpt", "renamed"),
        Change::Added => lang.pick("tillagd", "added"),
        Change::Removed => lang.pick("borttagen", "removed"),
        Change::Moved => lang.pick("flyttad", "moved"),
    }
}

/// The decimals every amount is shown with: the most any needs.
fn decimals(report: &DiffReport) -> u32 {
    let interventions = report.interventions.iter().flat_map(|i| [i.old, i.new, Some(i.delta)]);
    let areas = report.areas.iter().chain([&report.total]).flat_map(|a| [a.old, a.new, Some(a.delta)]);
    interventions.chain(areas).flatten().map(|value| value.normalize().scale()).max().unwrap_or(0)
}

fn optional(value: Option<Decimal>) -> Value {
    value.map_or(Value::Empty, Value::Number)
}

/// new − old as a formula of the row's two cells when both are there, else the figure.
fn difference(old: Option<Decimal>, new: Option<Decimal>, delta: Decimal, first: usize) -> Value {
    match (old, new) {
        (Some(_), Some(_)) => Value::Live(Live::Difference { minuend: first + NEW, subtrahend: first + OLD }, delta),
        _ => Value::Number(delta),
    }
}

pub fn workbook(report: &DiffReport, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
    workbook::write(&[
        interventions(report, lang),
        areas(report, lang),
        findings(report, lang),
        notes(report, lang, inputs),
    ])
}

fn money_columns(report: &DiffReport, lang: Lang) -> Vec<Column> {
    let (unit, d) = (report.unit, decimals(report));
    vec![
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Före", "Old")), d),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Efter", "New")), d),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Skillnad", "Difference")), d),
    ]
}

fn title(report: &DiffReport, lang: Lang) -> String {
    choose(
        lang,
        format!("Plan {} → {}; belopp i {}", report.old_source, report.new_source, report.unit),
        format!("Plan {} → {}; amounts in {}", report.old_source, report.new_source, report.unit),
    )
}

fn interventions(report: &DiffReport, lang: Lang) -> Sheet {
    let mut columns = vec![
        Column::text(lang.pick("Område", "Area")),
        Column::text(lang.pick("Tidigare område", "Old area")),
        Column::text(lang.pick("Ändring", "Change")),
        Column::text(lang.pick("Insats före", "Old name")),
        Column::text(lang.pick("Insats efter", "New name")),
    ];
    let first = columns.len();
    columns.extend(money_columns(report, lang));
    columns.push(Column::count(lang.pick("Rad före", "Old line"), false));
    columns.push(Column::count(lang.pick("Rad efter", "New line"), false));
    let line = |line: Option<usize>| line.map_or(Value::Empty, |line| Value::Number(Decimal::from(line)));
    let rows = report
        .interventions
        .iter()
        .map(|intervention| {
            let text = |value: &Option<String>| value.as_ref().map_or(Value::Empty, Value::text);
            vec![
                Value::text(&intervention.area),
                text(&intervention.old_area),
                Value::text(change_label(intervention.change, lang)),
                text(&intervention.old_name),
                text(&intervention.new_name),
                optional(intervention.old),
                optional(intervention.new),
                difference(intervention.old, intervention.new, intervention.delta, first),
                line(intervention.old_line),
                line(intervention.new_line),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("Insatser", "Interventions").to_string(),
        title: vec![title(report, lang)],
        columns,
        rows,
        total: None,
        footer: vec![
            lang.pick(
                "Skillnad = efter − före (en formel där båda finns).",
                "Difference = new − old (a formula where both are there).",
            )
            .to_string(),
        ],
    }
}

fn areas(report: &DiffReport, lang: Lang) -> Sheet {
    let mut columns = vec![Column::text(lang.pick("Område", "Area"))];
    let first = columns.len();
    columns.extend(money_columns(report, lang));
    let area_row = |line: &AmountDiff| {
        vec![
            Value::Text(line.area.clone().unwrap_or_default()),
            optional(line.old),
            optional(line.new),
            difference(line.old, line.new, line.delta, first),
        ]
    };
    let mut rows: Vec<Vec<Value>> = report.areas.iter().map(area_row).collect();
    let all: Vec<usize> = (0..rows.len()).collect();
    // The plan's total is a SUM of the areas where it is their sum; a declared total that is
    // not stays its own figure (a finding says so), never a formula that would hide it.
    let sum_or_figure = |value: Option<Decimal>, pick: fn(&AmountDiff) -> Option<Decimal>| match value {
        Some(total) => {
            let parts: Option<Vec<Decimal>> = report.areas.iter().map(pick).collect();
            let sum = parts.and_then(|parts| parts.iter().try_fold(Decimal::ZERO, |sum, part| sum.checked_add(*part)));
            if sum == Some(total) && !all.is_empty() {
                (Value::Live(Live::SumOfRows(all.clone()), total), true)
            } else {
                (Value::Number(total), false)
            }
        }
        None => (Value::Empty, true),
    };
    let (old, old_summed) = sum_or_figure(report.total.old, |line| line.old);
    let (new, new_summed) = sum_or_figure(report.total.new, |line| line.new);
    let total = &report.total;
    rows.push(vec![
        Value::text(lang.pick("Totalt", "Total")),
        old,
        new,
        difference(total.old, total.new, total.delta, first),
    ]);
    let footer = if old_summed && new_summed {
        vec![lang.pick("Totalt är SUMMA av områdena.", "Total is the SUM of the areas.").to_string()]
    } else {
        vec![
            lang.pick(
                "Planens egen totalsumma är inte summan av områdena (se Avvikelser): den står som planen anger den.",
                "The plan's own total is not the sum of its areas (see Findings): it is shown as the plan states it.",
            )
            .to_string(),
        ]
    };
    Sheet {
        name: lang.pick("Områden", "Areas").to_string(),
        title: vec![title(report, lang)],
        columns,
        rows,
        total: None,
        footer,
    }
}

fn findings(report: &DiffReport, lang: Lang) -> Sheet {
    let (errors, warnings) = (report.count(Severity::Error), report.count(Severity::Warning));
    let rows = report
        .findings
        .iter()
        .map(|finding| FindingRow {
            id: finding.kind.id().to_string(),
            severity: finding.severity.word(lang).to_string(),
            own: Vec::new(),
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
        Vec::new(),
        rows,
        lang.pick(
            "Inga avvikelser: varje område har samma belopp och den nya versionen går ihop.",
            "No findings: every area keeps its amount and the new version adds up.",
        ),
    )
}

fn notes(report: &DiffReport, lang: Lang, inputs: &[InputHash]) -> Sheet {
    let mut pairs = vec![
        (lang.pick("Före", "Old version").to_string(), report.old_source.clone()),
        (lang.pick("Efter", "New version").to_string(), report.new_source.clone()),
        (lang.pick("Enhet", "Unit").to_string(), report.unit.to_string()),
        (
            lang.pick("Matchning", "Matching").to_string(),
            lang.pick(
                "insatser matchas på namn inom sitt område: samma namn först, sedan ett namn som är minst 80 % likt",
                "interventions are matched by name within their area: the same name first, then a name at least 80 % \
                 similar",
            )
            .to_string(),
        ),
    ];
    pairs.extend(audit_pairs(inputs, lang));
    Sheet::pairs(
        notes_sheet_name(lang),
        lang.pick("Underlag för jämförelsen", "How the versions were compared").into(),
        lang,
        pairs,
    )
}
