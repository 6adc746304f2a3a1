//! `follow-up --format xlsx`: the interventions grouped by area, with budget, outcome, what
//! remains (a live `budget − outcome`) and the share used; each area's subtotal and the total
//! are live `SUM`s of exactly their interventions' cells. Then the rows left out (another
//! object, after the period, no intervention) with their sums, the findings and the notes.
//! `report -o FILE.xlsx` reuses these sheets.

use super::compute::{Figures, FollowUpReport, Money, RowGroup, Share};
use super::words::{labels, message, place, result_line};
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::workbook;
use crate::output::workbook::{
    Column, FindingRow, Live, Sheet, Value, WorkbookError, audit_pairs, choose, notes_sheet_name,
};
use rust_decimal::Decimal;

/// The columns of the main sheet: area, intervention, then these.
const BUDGET: usize = 2;
const OUTCOME: usize = 3;
const REMAINING: usize = 4;

/// An amount of the report as its exact decimal; one no `Decimal` holds becomes
/// `Decimal::MAX`, which no cell fits: an error when the sheet is checked, never a wrong figure.
fn money(report: &FollowUpReport, amount: Money) -> Value {
    Value::Number(Decimal::try_from_i128_with_scale(amount.0, report.decimals).unwrap_or(Decimal::MAX))
}

/// A share in hundredths of a percent as a fraction of one (`104,17 %` is 1.0417).
fn share(share: Option<Share>) -> Value {
    share.map_or(Value::Empty, |share| {
        Value::Number(Decimal::try_from_i128_with_scale(share.0, 4).unwrap_or(Decimal::MAX))
    })
}

fn capital(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

pub fn workbook(report: &FollowUpReport, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
    let mut sheets = vec![interventions(report, lang, true), left_out(report, lang), findings(report, lang)];
    sheets.push(notes(report, lang, inputs));
    let chart = area_chart(report, lang);
    workbook::write_with_charts(&sheets, &chart)
}

/// The rows of the interventions sheet that are areas' subtotals: each after its area's
/// interventions.
fn subtotal_rows(report: &FollowUpReport) -> Vec<usize> {
    let mut rows = Vec::with_capacity(report.areas.len());
    let mut next = 0;
    for area in &report.areas {
        next += area.interventions.len();
        rows.push(next);
        next += 1;
    }
    rows
}

/// Budget against outcome per area, clustered bars read from the areas' subtotal rows of the
/// interventions sheet (its first), on a chart sheet of its own.
fn area_chart(report: &FollowUpReport, lang: Lang) -> Vec<workbook::ChartSheet> {
    if report.areas.is_empty() {
        return Vec::new();
    }
    vec![workbook::ChartSheet {
        name: lang.pick("Diagram", "Chart").to_string(),
        title: choose(
            lang,
            format!("Budget och utfall per område ({})", report.unit),
            format!("Budget and outcome per area ({})", report.unit),
        ),
        sheet: 0,
        rows: subtotal_rows(report),
        categories: 0,
        series: vec![BUDGET, OUTCOME],
    }]
}

/// Sums of the listed rows, the figures and the share of a line; `members` makes the money
/// cells `SUM`s of those rows (a subtotal) instead of numbers.
fn figures_cells(report: &FollowUpReport, figures: &Figures, members: Option<&[usize]>, outcome: bool) -> Vec<Value> {
    let cell = |amount: Money| match (members, money(report, amount)) {
        (Some(rows), Value::Number(value)) => Value::Live(Live::SumOfRows(rows.to_vec()), value),
        (_, value) => value,
    };
    let mut cells = vec![cell(figures.budget)];
    if outcome {
        let remaining = match money(report, figures.remaining) {
            Value::Number(value) if members.is_none() => {
                Value::Live(Live::Difference { minuend: BUDGET, subtrahend: OUTCOME }, value)
            }
            _ => cell(figures.remaining),
        };
        cells.extend([cell(figures.outcome), remaining, share(figures.share)]);
    }
    cells
}

/// The interventions by area; without an outcome (`report` of a plan alone) the budget only.
pub(crate) fn interventions(report: &FollowUpReport, lang: Lang, outcome: bool) -> Sheet {
    let words = labels(lang);
    let unit = report.unit;
    let mut columns = vec![
        Column::text(capital(words.area)),
        Column::text(capital(words.intervention)),
        Column::money_unsummed(format!("{} ({unit})", capital(words.budget)), report.decimals),
    ];
    if outcome {
        columns.extend([
            Column::money_unsummed(format!("{} ({unit})", capital(words.outcome)), report.decimals),
            Column::money_unsummed(format!("{} ({unit})", capital(words.remaining)), report.decimals),
            Column { summed: false, ..Column::percent(lang.pick("Förbrukat", "Used"), 2) },
        ]);
    }
    columns.extend([
        Column::text(lang.pick("Beslut", "Decisions")),
        Column::text(lang.pick("Kommentarer", "Comments")),
        Column::count(lang.pick("Rad i planen", "Plan line"), false),
    ]);
    debug_assert!(!outcome || columns.len() > REMAINING);
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut all = Vec::new();
    for area in &report.areas {
        let mut members = Vec::new();
        for line in &area.interventions {
            members.push(rows.len());
            let mut row = vec![Value::text(&area.id), Value::text(&line.name)];
            row.extend(figures_cells(report, &line.figures, None, outcome));
            let comments: Vec<&str> = line.plan_comment.iter().chain(&line.comments).map(String::as_str).collect();
            row.extend([
                Value::Text(line.decisions.join(", ")),
                Value::Text(comments.join(" | ")),
                Value::Number(Decimal::from(line.line)),
            ]);
            rows.push(row);
        }
        let mut row = vec![Value::text(&area.id), Value::text(words.area_total)];
        row.extend(figures_cells(report, &area.figures, Some(&members), outcome));
        row.extend([Value::Empty, Value::Empty, Value::Empty]);
        rows.push(row);
        all.extend(members);
    }
    let mut row = vec![Value::text(words.total), Value::Empty];
    row.extend(figures_cells(report, &report.total, Some(&all), outcome));
    row.extend([Value::Empty, Value::Empty, Value::Empty]);
    rows.push(row);
    let mut scope = Vec::new();
    if let Some(object) = &report.object {
        scope.push(format!("{} {object}", lang.pick("endast objekt", "object")));
    }
    if let Some(until) = report.until {
        scope.push(format!("{} {until}", lang.pick("till och med", "up to")));
    }
    if report.outcome_unit != unit {
        scope.push(format!("{} {}", lang.pick("utfallet i", "outcome in"), report.outcome_unit));
    }
    let mut title = vec![if outcome {
        choose(
            lang,
            format!("Uppföljning av {} mot {}, {}; belopp i {unit}", report.plan, report.outcome, report.agreement),
            format!("Follow-up of {} against {}, {}; amounts in {unit}", report.plan, report.outcome, report.agreement),
        )
    } else {
        // `report` of a plan alone: no outcome to follow up against.
        choose(
            lang,
            format!("Planen {}, {}; belopp i {unit}", report.plan, report.agreement),
            format!("The plan {}, {}; amounts in {unit}", report.plan, report.agreement),
        )
    }];
    if !scope.is_empty() {
        title.push(scope.join("; "));
    }
    let footer = if outcome {
        vec![choose(
            lang,
            format!(
                "{} = budget − utfall. {} och {} är SUMMA av områdets insatser respektive alla insatser.",
                capital(words.remaining),
                words.area_total,
                words.total
            ),
            format!(
                "{} = budget − outcome. {} and {} are SUMs of the area's interventions and of all interventions.",
                capital(words.remaining),
                words.area_total,
                words.total
            ),
        )]
    } else {
        Vec::new()
    };
    Sheet { name: lang.pick("Uppföljning", "Follow-up").to_string(), title, columns, rows, total: None, footer }
}

/// The rows not counted, group by group, each group with a `SUM` row.
pub(crate) fn left_out(report: &FollowUpReport, lang: Lang) -> Sheet {
    let words = labels(lang);
    let unit = report.unit;
    let columns = vec![
        Column::text(lang.pick("Skäl", "Reason")),
        Column::count(capital(words.line), false),
        Column::text(capital(words.intervention)),
        Column::text(capital(words.area)),
        Column::text(capital(words.date)),
        Column::text(capital(words.object)),
        Column::money_unsummed(format!("{} ({unit})", capital(words.amount)), report.decimals),
    ];
    let other = match &report.object {
        Some(object) => format!("{} {object}", lang.pick("annat objekt än", "another object than")),
        None => lang.pick("annat objekt", "another object").to_string(),
    };
    let after = report.until.map_or_else(
        || lang.pick("efter perioden", "after the period").to_string(),
        |until| format!("{} {until}", lang.pick("daterad efter", "dated after")),
    );
    let groups: [(String, &RowGroup); 3] = [
        (other, &report.other_object),
        (after, &report.after_period),
        (lang.pick("ingen insats i planen", "no intervention of the plan").to_string(), &report.unmatched),
    ];
    let mut rows: Vec<Vec<Value>> = Vec::new();
    for (reason, group) in groups {
        if group.rows.is_empty() {
            continue;
        }
        let mut members = Vec::new();
        for row in &group.rows {
            members.push(rows.len());
            rows.push(vec![
                Value::Text(reason.clone()),
                Value::Number(Decimal::from(row.line)),
                Value::text(&*row.intervention),
                row.area.as_deref().map_or(Value::Empty, Value::text),
                row.date.map_or(Value::Empty, |date| Value::Text(date.to_string())),
                row.object.as_deref().map_or(Value::Empty, Value::text),
                money(report, row.amount),
            ]);
        }
        let sum = match money(report, group.sum) {
            Value::Number(value) => Value::Live(Live::SumOfRows(members), value),
            other => other,
        };
        rows.push(vec![
            Value::Text(reason),
            Value::Empty,
            Value::text(words.total),
            Value::Empty,
            Value::Empty,
            Value::Empty,
            sum,
        ]);
    }
    let footer = if rows.is_empty() {
        vec![lang.pick("Alla rader har räknats.", "Every row was counted.").to_string()]
    } else {
        vec![
            lang.pick(
                "Raderna räknas inte i uppföljningen; varje grupp med sin SUMMA.",
                "These rows are not counted; each group with its SUM.",
            )
            .to_string(),
        ]
    };
    Sheet {
        name: lang.pick("Ej räknade", "Not counted").to_string(),
        title: vec![choose(
            lang,
            format!("Rader i {} som inte räknats; belopp i {unit}", report.outcome),
            format!("Rows of {} not counted; amounts in {unit}", report.outcome),
        )],
        columns,
        rows,
        total: None,
        footer,
    }
}

pub(crate) fn findings(report: &FollowUpReport, lang: Lang) -> Sheet {
    let words = labels(lang);
    let rows = report
        .findings
        .iter()
        .map(|finding| FindingRow {
            id: finding.kind.id().to_string(),
            severity: finding.severity.word(lang).to_string(),
            own: vec![
                finding.area.as_ref().map_or(Value::Empty, Value::text),
                place(finding, report, lang).map_or(Value::Empty, Value::Text),
            ],
            message: message(finding, report, lang),
        })
        .collect();
    Sheet::findings(
        lang,
        result_line(report, lang),
        vec![Column::text(capital(words.area)), Column::text(lang.pick("Var", "Where"))],
        rows,
        lang.pick("Inga fynd.", "No findings."),
    )
}

/// What the follow-up read and how, for the notes sheet.
pub(crate) fn follow_up_pairs(report: &FollowUpReport, lang: Lang) -> Vec<(String, String)> {
    let none = || lang.pick("inget", "none").to_string();
    vec![
        (lang.pick("Plan", "Plan").to_string(), report.plan.clone()),
        (
            lang.pick("Utfall", "Outcome").to_string(),
            if report.outcome.is_empty() { none() } else { report.outcome.clone() },
        ),
        (lang.pick("Överenskommelse", "Agreement").to_string(), report.agreement.clone()),
        (lang.pick("Enhet", "Unit").to_string(), report.unit.to_string()),
        (lang.pick("Decimaler", "Decimals").to_string(), report.decimals.to_string()),
        (lang.pick("Utfallets enhet", "Outcome's unit").to_string(), report.outcome_unit.to_string()),
        (lang.pick("Objekt", "Object").to_string(), report.object.clone().unwrap_or_else(none)),
        (lang.pick("Till och med", "Up to").to_string(), report.until.map_or_else(none, |until| until.to_string())),
        (
            lang.pick("Förbrukat", "Used").to_string(),
            lang.pick(
                "utfall / budget, avrundat till hundradels procent (en visningssiffra, inga pengar)",
                "outcome / budget, rounded to a hundredth of a percent (a figure to read, not money)",
            )
            .to_string(),
        ),
    ]
}

fn notes(report: &FollowUpReport, lang: Lang, inputs: &[InputHash]) -> Sheet {
    let mut pairs = follow_up_pairs(report, lang);
    pairs.extend(audit_pairs(inputs, lang));
    Sheet::pairs(
        notes_sheet_name(lang),
        lang.pick("Underlag för uppföljningen", "How the follow-up was made").into(),
        lang,
        pairs,
    )
}
