//! `payouts --format xlsx`: the provider × quarter schedule as a workbook. The decisions are
//! numbers; every sum line (per area, per provider, the total) is a live `SUM` of exactly the
//! decision cells it adds, and every line's total (and year) column a `SUM` across its
//! quarters, so the sheet adds up both ways in the spreadsheet too. Then the requests, the
//! findings and the notes.

use super::report::{LineKind, finding_message, lines, payment_rule};
use super::schedule::{Outcome, Schedule};
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::workbook;
use crate::output::workbook::{
    Column, FindingRow, Live, Sheet, Value, WorkbookError, audit_pairs, choose, notes_sheet_name,
};
use rust_decimal::Decimal;

fn kronor(amount: u128) -> Value {
    workbook::number(amount, 0)
}

fn kind_label(kind: LineKind, lang: Lang) -> &'static str {
    match kind {
        LineKind::Decision => lang.pick("beslut", "decision"),
        LineKind::Area => lang.pick("område", "area"),
        LineKind::Provider => lang.pick("utförare", "provider"),
        LineKind::Total => lang.pick("totalt", "total"),
    }
}

fn outcome(outcome: Outcome, lang: Lang) -> &'static str {
    match outcome {
        Outcome::Accepted => lang.pick("godkänd", "accepted"),
        Outcome::Over => lang.pick("över beslutet", "over the decision"),
        Outcome::OutsidePeriod => lang.pick("utanför perioden", "outside the period"),
    }
}

pub fn workbook(schedule: &Schedule, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
    let mut sheets = vec![table(schedule, lang)];
    if !schedule.ledger.is_empty() {
        sheets.push(requests(schedule, lang));
    }
    sheets.push(findings(schedule, lang));
    sheets.push(notes(schedule, lang, inputs));
    workbook::write(&sheets)
}

fn table(schedule: &Schedule, lang: Lang) -> Sheet {
    let mut columns = vec![
        Column::text(lang.pick("Typ", "Kind")),
        Column::text(lang.pick("Utförare", "Provider")),
        Column::text(lang.pick("Område", "Area")),
        Column::text(lang.pick("Från", "From")),
        Column::text(lang.pick("Till", "To")),
    ];
    let first_quarter = columns.len();
    // The payment date under each quarter, in its header.
    columns.extend(
        schedule
            .quarters
            .iter()
            .zip(&schedule.payment_dates)
            .map(|(quarter, date)| Column::money_unsummed(format!("{quarter}\n{date}"), 0)),
    );
    let quarters = first_quarter..columns.len();
    if schedule.years.len() > 1 {
        for year in &schedule.years {
            let of_year: Vec<usize> = schedule
                .quarters
                .iter()
                .enumerate()
                .filter(|(_, quarter)| quarter.year == *year)
                .map(|(index, _)| first_quarter + index)
                .collect();
            // A year's quarters are adjacent: the quarters are in order.
            let range =
                of_year.first().copied().unwrap_or(first_quarter)..of_year.last().map_or(first_quarter, |l| l + 1);
            columns.push(Column::money_unsummed(year.to_string(), 0).sum_of(range));
        }
    }
    let total_column = columns.len();
    columns.push(Column::money_unsummed(lang.pick("Summa (kr)", "Total (kr)"), 0).sum_of(quarters));
    if schedule.with_requests {
        columns.push(Column::money_unsummed(lang.pick("Begärt (kr)", "Requested (kr)"), 0));
        columns.push(Column::money_unsummed(lang.pick("Kvar (kr)", "Left (kr)"), 0));
    }
    let everyone = lang.pick("alla", "all");
    let rows = lines(schedule)
        .map(|(kind, line)| {
            // A sum line's cells add up the decisions' cells of their column.
            let members = (kind != LineKind::Decision).then(|| schedule.decisions_of(line));
            let cell = |amount: u128| match &members {
                Some(rows) => Value::Live(Live::SumOfRows(rows.clone()), Decimal::from(amount)),
                None => kronor(amount),
            };
            let (provider, area) = match kind {
                LineKind::Decision => (line.provider.clone(), line.area.clone()),
                LineKind::Area => (everyone.to_string(), line.area.clone()),
                LineKind::Provider => (line.provider.clone(), everyone.to_string()),
                LineKind::Total => (String::new(), String::new()),
            };
            let (from, to) = line.period.map_or((Value::Empty, Value::Empty), |(f, t)| {
                (Value::Text(f.to_string()), Value::Text(t.to_string()))
            });
            let mut row = vec![Value::text(kind_label(kind, lang)), Value::Text(provider), Value::Text(area), from, to];
            row.extend(line.cells.iter().map(|&amount| cell(amount)));
            if schedule.years.len() > 1 {
                row.extend(line.by_year.iter().map(|&amount| kronor(amount)));
            }
            debug_assert_eq!(row.len(), total_column);
            row.push(kronor(line.total));
            if schedule.with_requests {
                row.extend([line.requested, line.left].map(|value| value.map_or(Value::Empty, cell)));
            }
            row
        })
        .collect();
    Sheet {
        name: lang.pick("Utbetalningar", "Payouts").to_string(),
        title: vec![
            choose(
                lang,
                format!("Utbetalningar enligt {}; belopp i kr", schedule.source),
                format!("Payouts by {}; amounts in kr", schedule.source),
            ),
            choose(
                lang,
                format!(
                    "Utbetalningsdag: {} (datumet under varje kvartal). Udda kronor går till de tidigaste kvartalen.",
                    payment_rule(schedule.payment_day, lang)
                ),
                format!(
                    "Payment day: {} (the date under each quarter). Odd kronor go to the earliest quarters.",
                    payment_rule(schedule.payment_day, lang)
                ),
            ),
        ],
        columns,
        rows,
        total: None,
        footer: vec![
            lang.pick(
                "Raderna område, utförare och totalt är SUMMA av besluten de gäller; Summa är SUMMA över kvartalen.",
                "The area, provider and total lines are SUMs of the decisions they cover; Total is the SUM across the \
                 quarters.",
            )
            .to_string(),
        ],
    }
}

fn requests(schedule: &Schedule, lang: Lang) -> Sheet {
    Sheet {
        name: lang.pick("Rekvisitioner", "Requests").to_string(),
        title: vec![
            lang.pick("Rekvisitioner mot besluten, belopp i kr", "Requests against the decisions, amounts in kr")
                .into(),
        ],
        columns: vec![
            Column::text(lang.pick("Utförare", "Provider")),
            Column::text(lang.pick("Område", "Area")),
            Column::text(lang.pick("Kvartal", "Quarter")),
            Column::money_unsummed(lang.pick("Begärt (kr)", "Asked (kr)"), 0),
            Column::text(lang.pick("Utfall", "Outcome")),
            Column::money_unsummed(lang.pick("Kvar efter (kr)", "Left after (kr)"), 0),
            Column::count(lang.pick("Rad", "Line"), false),
        ],
        rows: schedule
            .ledger
            .iter()
            .map(|entry| {
                vec![
                    Value::text(&entry.provider),
                    Value::text(&entry.area),
                    Value::Text(entry.quarter.to_string()),
                    kronor(entry.asked),
                    Value::text(outcome(entry.outcome, lang)),
                    kronor(entry.left_after),
                    Value::Number(Decimal::from(entry.line)),
                ]
            })
            .collect(),
        total: None,
        footer: Vec::new(),
    }
}

fn findings(schedule: &Schedule, lang: Lang) -> Sheet {
    let errors = schedule.findings.len();
    let rows = schedule
        .findings
        .iter()
        .map(|finding| FindingRow {
            id: finding.id().to_string(),
            severity: lang.pick("fel", "error").to_string(),
            own: Vec::new(),
            message: finding_message(schedule, finding, lang),
        })
        .collect();
    Sheet::findings(
        lang,
        choose(lang, format!("{errors} fel"), format!("{errors} error(s)")),
        Vec::new(),
        rows,
        lang.pick("Inga avvikelser.", "No findings."),
    )
}

fn notes(schedule: &Schedule, lang: Lang, inputs: &[InputHash]) -> Sheet {
    let dates: Vec<String> = schedule
        .quarters
        .iter()
        .zip(&schedule.payment_dates)
        .map(|(quarter, date)| format!("{quarter}: {date}"))
        .collect();
    let mut pairs = vec![
        (lang.pick("Beslut", "Decisions").to_string(), schedule.source.clone()),
        (lang.pick("Enhet", "Unit").to_string(), "kr".to_string()),
        (lang.pick("Utbetalningsdag", "Payment day").to_string(), payment_rule(schedule.payment_day, lang).to_string()),
        (lang.pick("Utbetalningsdagar", "Payment dates").to_string(), dates.join(", ")),
        (
            lang.pick("Delbetalningar", "Instalments").to_string(),
            lang.pick(
                "hela kronor som summerar exakt till beslutet; udda kronor går till de tidigaste kvartalen, och \
                 delbetalningarna skiljer sig med högst 1 kr",
                "whole kronor adding up exactly to the decision; odd kronor go to the earliest quarters, and \
                 instalments differ by at most 1 kr",
            )
            .to_string(),
        ),
        (
            lang.pick("Rekvisitioner", "Requests").to_string(),
            if schedule.with_requests {
                lang.pick("prövade mot vad som är kvar av beslutet", "checked against what is left of the decision")
            } else {
                lang.pick("inga", "none")
            }
            .to_string(),
        ),
    ];
    pairs.extend(audit_pairs(inputs, lang));
    Sheet::pairs(
        notes_sheet_name(lang),
        lang.pick("Underlag för utbetalningarna", "How the payouts were made").into(),
        lang,
        pairs,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_labels_follow_the_language() {
        assert_eq!(kind_label(LineKind::Area, Lang::Sv), "område");
        assert_eq!(kind_label(LineKind::Total, Lang::En), "total");
    }
}
