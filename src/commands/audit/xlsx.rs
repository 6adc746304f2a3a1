//! `audit --format xlsx`: every audited cell a row (quota, published amount, deviation,
//! whether it is a valid rounding, fordela's amount), each column's published sum a live `SUM`
//! of its recipients' cells beside the total it should reach; then every date of the
//! population file, the key the amounts imply (when one was found), the findings and the
//! notes; the rounding rule under each column and in the notes. A quota or deviation that is no finite
//! decimal, or has more digits than a cell holds, is written as text, cut and marked `…` as
//! the table shows it: never a rounded number.

use super::compute::{AuditReport, Deviation, RowAudit, Step};
use super::implied::ColumnExplained;
use super::implied_words::{compared, key_lines, row_step, rule_line};
use super::report::{
    against_words, column_summary, date_words, message, rounding_word, show_deviation, step_words, yes_no,
};
use super::steps::{show_steps, show_units};
use crate::core::amount::{Fraction, NumberStyle};
use crate::core::date::Date;
use crate::core::findings::Severity;
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::workbook;
use crate::output::workbook::{
    Column, FindingRow, Live, MAX_DIGITS, Sheet, Value, WorkbookError, audit_pairs, choose, notes_sheet_name,
};
use rust_decimal::Decimal;

/// Decimals past the step a quota is written with as a number; one that needs more is text.
const QUOTA_DIGITS: u32 = 6;

/// `mantissa / 10^digits` steps as an exact decimal of the table's unit, if a cell holds it.
fn steps(mantissa: u128, digits: u32, step: Step) -> Option<Decimal> {
    let scale = i64::from(digits) + i64::from(step.decimals);
    let (mantissa, scale) = match u32::try_from(scale) {
        Ok(scale) => (mantissa, scale),
        Err(_) => (mantissa.checked_mul(10u128.checked_pow(u32::try_from(-scale).ok()?)?)?, 0),
    };
    let value = Decimal::try_from_i128_with_scale(i128::try_from(mantissa).ok()?, scale).ok()?;
    let digits = value.normalize().mantissa().unsigned_abs();
    (digits < 10u128.pow(MAX_DIGITS)).then_some(value)
}

/// A fraction of steps as an exact decimal when it ends within `QUOTA_DIGITS` decimals past
/// the step.
fn exact_steps(fraction: &Fraction, step: Step) -> Option<Decimal> {
    let denominator = fraction.denominator.max(1);
    (0..=QUOTA_DIGITS).find_map(|digits| {
        let scaled = fraction.numerator.checked_mul(10u128.pow(digits))?;
        (scaled % denominator == 0).then(|| steps(scaled / denominator, digits, step)).flatten()
    })
}

/// The decimals a column of such values needs: the step's, plus those the values need.
fn decimals_of(values: impl Iterator<Item = Decimal>, step: Step) -> u32 {
    let own = u32::try_from(step.decimals.max(0)).unwrap_or(0);
    values.map(|value| value.normalize().scale()).max().unwrap_or(0).max(own)
}

fn fraction_cell(fraction: &Fraction, step: Step) -> Value {
    exact_steps(fraction, step)
        .map_or_else(|| Value::Text(show_steps(fraction, step, NumberStyle::SWEDISH)), Value::Number)
}

fn deviation_cell(deviation: &Deviation, step: Step) -> Value {
    match exact_steps(&deviation.size, step) {
        Some(size) => Value::Number(if deviation.negative { -size } else { size }),
        None => Value::Text(show_deviation(deviation, step, NumberStyle::SWEDISH)),
    }
}

fn units_cell(units: u128, step: Step) -> Value {
    steps(units, 0, step).map_or_else(|| Value::Text(show_units(units, step, NumberStyle::SWEDISH)), Value::Number)
}

pub fn workbook(
    report: &AuditReport,
    explained: &[ColumnExplained],
    lang: Lang,
    inputs: &[InputHash],
) -> Result<Vec<u8>, WorkbookError> {
    let mut sheets = vec![rows(report, explained, lang), dates(report, lang)];
    // The key's sheet only when a key (or a near miss) was found: most tables fit a date.
    if explained.iter().any(|explained| compared(explained).is_some()) {
        sheets.push(key_sheet(report, explained, lang));
    }
    sheets.extend([findings(report, lang), notes(report, explained, lang, inputs)]);
    workbook::write(&sheets)
}

/// A signed number of steps as an exact number of the table's unit.
fn signed_units_cell(steps: i128, step: Step) -> Value {
    match units_cell(steps.unsigned_abs(), step) {
        Value::Number(value) if steps < 0 => Value::Number(-value),
        other => other,
    }
}

/// Every key found (or near miss), row by row: the population the amounts imply, and its
/// difference from each date of the file.
fn key_sheet(report: &AuditReport, explained: &[ColumnExplained], lang: Lang) -> Sheet {
    let (step, unit) = (report.step, report.step.unit);
    let own = u32::try_from(step.decimals.max(0)).unwrap_or(0);
    let dates: Vec<Date> = report.dates.iter().map(|fit| fit.date).collect();
    let mut columns = vec![
        Column::text(lang.pick("Kolumn", "Column")),
        Column::count(lang.pick("Rad", "Line"), false),
        Column::text(lang.pick("Kod", "Code")),
        Column::text(lang.pick("Mottagare", "Recipient")),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Publicerat", "Published")), own),
        Column::count(lang.pick("Befolkning enligt beloppen", "Implied population"), false),
        Column::text(lang.pick("Avrundning vid nyckeln", "Rounding at the key")),
    ];
    columns.extend(dates.iter().map(|date| {
        Column::count(choose(lang, format!("Skillnad mot {date}"), format!("Difference from {date}")), false)
    }));
    let mut rows = Vec::new();
    let mut title = Vec::new();
    for (column, explained) in report.columns.iter().zip(explained) {
        let Some(key) = compared(explained) else { continue };
        title.extend(key_lines(explained, column, report, lang));
        for (at, row) in column.rows.iter().enumerate() {
            let mut cells = vec![
                Value::text(&column.id),
                Value::Number(Decimal::from(row.line)),
                Value::text(&row.code),
                Value::text(&row.name),
                units_cell(row.published, step),
                key.key.weights.get(at).map_or(Value::Empty, |&implied| Value::Number(Decimal::from(implied))),
                Value::text(if key.off.contains(&at) {
                    lang.pick("ingen avrundning (närmast beloppet)", "no rounding (nearest the amount)")
                } else {
                    lang.pick("avrundning", "rounding")
                }),
            ];
            cells.extend(dates.iter().map(|date| {
                let difference =
                    key.dates.iter().find(|d| d.date == *date).and_then(|d| d.differences.get(at).copied().flatten());
                difference.map_or(Value::Empty, |difference| Value::Number(Decimal::from(difference)))
            }));
            rows.push(cells);
        }
    }
    Sheet {
        name: lang.pick("Nyckel", "Key").to_string(),
        title,
        columns,
        rows,
        total: None,
        footer: vec![
            lang.pick(
                "En nyckel som återvunnits ur beloppen är belägg för hur tabellen räknades fram, inte befolkningssiffror.",
                "A key recovered from the amounts is evidence of how the table was computed, not population figures.",
            )
            .to_string(),
        ],
    }
}

/// The column of published amounts (for the `SUM` rows).
const PUBLISHED: usize = 6;

/// A recipient's row of the audit sheet; `rule_step` is its correction under the rule named.
fn recipient_row(id: &str, row: &RowAudit, rule_step: Option<i128>, step: Step, lang: Lang) -> Vec<Value> {
    vec![
        Value::text(id),
        Value::Number(Decimal::from(row.line)),
        Value::text(&row.code),
        Value::text(&row.name),
        Value::Number(Decimal::from(row.weight)),
        fraction_cell(&row.quota, step),
        units_cell(row.published, step),
        deviation_cell(&row.deviation, step),
        Value::text(rounding_word(row, lang)),
        row.fordela.map_or(Value::Empty, |units| units_cell(units, step)),
        row.equals_fordela().map_or(Value::Empty, |equal| Value::text(yes_no(equal, lang))),
        rule_step.map_or(Value::Empty, |steps| signed_units_cell(steps, step)),
    ]
}

fn rows(report: &AuditReport, explained: &[ColumnExplained], lang: Lang) -> Sheet {
    let (step, unit) = (report.step, report.step.unit);
    let quotas = report.columns.iter().flat_map(|column| {
        let rows = column.rows.iter().map(|row| &row.quota);
        rows.chain(column.set_asides.iter().map(|set_aside| &set_aside.expected)).chain([&column.total])
    });
    let quota_decimals = decimals_of(quotas.filter_map(|quota| exact_steps(quota, step)), step);
    let own = u32::try_from(step.decimals.max(0)).unwrap_or(0);
    let columns = vec![
        Column::text(lang.pick("Kolumn", "Column")),
        Column::count(lang.pick("Rad", "Line"), false),
        Column::text(lang.pick("Kod", "Code")),
        Column::text(lang.pick("Mottagare", "Recipient")),
        Column::count(lang.pick("Befolkning", "Population"), false),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Exakt kvot", "Exact quota")), quota_decimals),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Publicerat", "Published")), own),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Avvikelse", "Deviation")), quota_decimals),
        Column::text(lang.pick("Avrundning", "Rounding")),
        Column::money_unsummed(format!("fordela ({unit})"), own),
        Column::text(lang.pick("Lika med fordela", "Equals fordela")),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Regelns steg", "Rule step")), own),
    ];
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut summaries = Vec::new();
    for (column, explained) in report.columns.iter().zip(explained) {
        let rule = explained.rule.as_ref();
        let mut members = Vec::new();
        for (at, row) in column.rows.iter().enumerate() {
            members.push(rows.len());
            let rule_step = rule.and_then(|found| row_step(found, at));
            rows.push(recipient_row(&column.id, row, rule_step, step, lang));
        }
        for set_aside in &column.set_asides {
            rows.push(vec![
                Value::text(&column.id),
                Value::Number(Decimal::from(set_aside.line)),
                Value::Empty,
                Value::text(&set_aside.recipient),
                Value::Empty,
                fraction_cell(&set_aside.expected, step),
                units_cell(set_aside.published, step),
                Value::Empty,
                Value::text(lang.pick("avsatt", "set aside")),
                Value::Empty,
                Value::Empty,
                Value::Empty,
            ]);
        }
        // The recipients' published amounts, added up live, beside the total they must reach.
        let sum = match units_cell(column.published_sum, step) {
            Value::Number(value) if !members.is_empty() => Value::Live(Live::SumOfRows(members), value),
            other => other,
        };
        let mut total = vec![Value::Empty; 12];
        total[0] = Value::text(&column.id);
        total[3] = Value::Text(format!(
            "{} ({})",
            lang.pick("Summa mottagare", "Recipients' sum"),
            if column.adds_up() {
                lang.pick("går jämnt ut", "adds up")
            } else {
                lang.pick("GÅR INTE JÄMNT UT", "DOES NOT ADD UP")
            }
        ));
        total[5] = fraction_cell(&column.total, step);
        total[PUBLISHED] = sum;
        rows.push(total);
        summaries.push(column_summary(column, step, lang));
        summaries.extend(rule.map(|found| rule_line(found, column, report, lang)));
        summaries.extend(key_lines(explained, column, report, lang));
    }
    let mut footer = vec![choose(
        lang,
        format!(
            "Steg {}. Kvot och avvikelse som inte är ändliga decimaltal står som text, avkortade och märkta …",
            step_words(step)
        ),
        format!("Step {}. A quota or deviation that is no finite decimal is text, cut and marked …", step_words(step)),
    )];
    footer.extend(summaries);
    Sheet {
        name: lang.pick("Granskning", "Audit").to_string(),
        title: vec![
            choose(
                lang,
                format!("Granskning av {} mot {}; belopp i {unit}", report.table, against_words(report, lang)),
                format!("Audit of {} against {}; amounts in {unit}", report.table, against_words(report, lang)),
            ),
            format!("{}: {}", lang.pick("Befolkning", "Population"), date_words(report, lang)),
        ],
        columns,
        rows,
        total: None,
        footer,
    }
}

fn dates(report: &AuditReport, lang: Lang) -> Sheet {
    let (step, unit) = (report.step, report.step.unit);
    let deviations = report.dates.iter().filter_map(|fit| fit.largest_deviation.as_ref());
    let decimals = decimals_of(deviations.filter_map(|size| exact_steps(size, step)), step);
    let best_valid = report.dates.iter().find(|fit| fit.date == report.best_date).map(|fit| fit.valid_roundings);
    Sheet {
        name: lang.pick("Datum", "Dates").to_string(),
        title: vec![choose(
            lang,
            format!("Varje datum i {}", report.population_source),
            format!("Every date of {}", report.population_source),
        )],
        columns: vec![
            Column::text(lang.pick("Datum", "Date")),
            Column::count(lang.pick("Giltiga avrundningar", "Valid roundings"), false),
            Column::count(lang.pick("Granskade belopp", "Amounts audited"), false),
            Column::money_unsummed(
                format!("{} ({unit})", lang.pick("Största avvikelse", "Largest deviation")),
                decimals,
            ),
            Column::text(lang.pick("Konsistent", "Consistent")),
            Column::text(lang.pick("Anmärkning", "Remark")),
        ],
        rows: report
            .dates
            .iter()
            .map(|fit| {
                let mut marks = Vec::new();
                if fit.date == report.population_date {
                    marks.push(lang.pick("granskat", "audited"));
                }
                if fit.date == report.best_date {
                    marks.push(lang.pick("passar bäst", "fits best"));
                } else if Some(fit.valid_roundings) == best_valid {
                    marks.push(lang.pick("passar lika bra", "fits as well"));
                }
                vec![
                    Value::Text(fit.date.to_string()),
                    Value::Number(Decimal::from(fit.valid_roundings)),
                    Value::Number(Decimal::from(fit.cells)),
                    fit.largest_deviation
                        .as_ref()
                        .map_or(Value::Number(Decimal::ZERO), |size| fraction_cell(size, step)),
                    Value::text(yes_no(fit.consistent, lang)),
                    Value::Text(marks.join(", ")),
                ]
            })
            .collect(),
        total: None,
        footer: Vec::new(),
    }
}

fn findings(report: &AuditReport, lang: Lang) -> Sheet {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let rows = report
        .findings
        .iter()
        .map(|finding| FindingRow {
            id: finding.id.to_string(),
            severity: finding.severity.word(lang).to_string(),
            own: Vec::new(),
            message: message(finding, report, lang),
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
        lang.pick("Inga avvikelser: tabellen är konsistent.", "No findings: the table is consistent."),
    )
}

fn notes(report: &AuditReport, explained: &[ColumnExplained], lang: Lang, inputs: &[InputHash]) -> Sheet {
    let mut pairs = vec![
        (lang.pick("Tabell", "Table").to_string(), report.table.clone()),
        (lang.pick("Granskad mot", "Audited against").to_string(), against_words(report, lang)),
        (lang.pick("Steg", "Step").to_string(), step_words(report.step)),
        (lang.pick("Befolkning, fil", "Population file").to_string(), report.population_source.clone()),
        (lang.pick("Befolkning, datum som granskats", "Population date audited").to_string(), date_words(report, lang)),
        (lang.pick("Datum som passar bäst", "Date that fits best").to_string(), report.best_date.to_string()),
        (
            lang.pick("Kolumner som inte granskats", "Columns not audited").to_string(),
            if report.not_audited.is_empty() {
                lang.pick("inga", "none").to_string()
            } else {
                report.not_audited.join(", ")
            },
        ),
        (
            lang.pick("Konsistent", "Consistent").to_string(),
            lang.pick(
                "varje belopp är kvoten avrundad nedåt eller uppåt till steget, och beloppen summerar till totalen",
                "every amount is its quota rounded down or up to the step, and the amounts add up to the total",
            )
            .to_string(),
        ),
    ];
    for (column, explained) in report.columns.iter().zip(explained) {
        if let Some(found) = &explained.rule {
            let label =
                choose(lang, format!("Avrundningsregel, `{}`", column.id), format!("Rounding rule, `{}`", column.id));
            pairs.push((label, rule_line(found, column, report, lang)));
        }
    }
    pairs.extend(audit_pairs(inputs, lang));
    Sheet::pairs(
        notes_sheet_name(lang),
        lang.pick("Underlag för granskningen", "How the table was audited").into(),
        lang,
        pairs,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::amount::Unit;

    #[test]
    fn a_quota_is_a_number_only_when_it_is_an_exact_short_decimal() {
        let kr = Step { unit: Unit::Kr, decimals: 0 };
        let half = Fraction { numerator: 5, denominator: 2 };
        assert_eq!(exact_steps(&half, kr), Some(Decimal::new(25, 1)));
        let third = Fraction { numerator: 1, denominator: 3 };
        assert_eq!(exact_steps(&third, kr), None);
        assert!(matches!(fraction_cell(&third, kr), Value::Text(text) if text.ends_with('…')));
        let tkr_step = Step { unit: Unit::Kr, decimals: -3 };
        assert_eq!(steps(12, 0, tkr_step), Some(Decimal::from(12_000)));
        let tenth_mkr = Step { unit: Unit::Mkr, decimals: 1 };
        assert_eq!(steps(191, 0, tenth_mkr), Some(Decimal::new(191, 1)));
    }
}
