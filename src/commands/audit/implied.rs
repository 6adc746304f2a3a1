//! What a table's amounts imply beyond the audit: the population key they were computed from
//! (`key::recover_key`, over a range of national totals) and the rounding rule that gives them
//! from a key (`key::rounding_rules`), each put against the published rows and every date of the
//! population file.
//!
//! The rule is named against the key the table most plausibly came from: the audited date when
//! the table is consistent there; else another date where it is; else the key recovered from
//! the amounts, when there is exactly one; else the date that fits best. The key is searched for
//! when no date of the file makes the table consistent (a table computed from figures fordela
//! does not bundle), or always when `--key-range` names the totals to search.
//!
//! A recovered key is evidence of how a table was made, never population data: it is the one
//! integer vector the amounts allow, not a count of anyone. Pure: the audited report, its bases
//! and every date's table in, one `ColumnExplained` per column out.

use super::compute::{AuditReport, ColumnAudit, ColumnBasis, FindingKind, Step};
use super::key::{self, Key, KeyError, KeyLimits, KeyOutcome, KeyRecovery, RoundingRule};
use crate::core::amount::Fraction;
use crate::core::date::Date;
use crate::core::population::PopulationTable;
use serde::Serialize;
use std::collections::HashMap;
use std::ops::RangeInclusive;

/// The default range of national totals: this many per cent either side of each date's total.
pub const DEFAULT_PERCENT: u128 = 2;

/// Which national totals to search for a key, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRange {
    /// When no date of the file makes the table consistent, from 2 % below the smallest total
    /// of the file's dates to 2 % above the largest (every date's ±2 %, and what lies between).
    Default,
    /// `--key-range LOW..HIGH`: always, over these.
    Given(RangeInclusive<u128>),
}

/// The key a rule was named against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum RuleKey {
    /// The figures of a date of the population file.
    Date { date: Date },
    /// The key recovered from the amounts, which is no date's figures.
    Recovered { population: u128 },
}

/// The rules that give a column exactly from a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleFound {
    pub key: RuleKey,
    /// In `RoundingRule`'s order (a table is often several at once); each `row` is an index
    /// into the column's `rows`.
    pub rules: Vec<RoundingRule>,
}

/// Why a column's key was not searched for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum NotSearched {
    /// A column paid per inhabitant: each quota is rate × figure, and the figure is the amount
    /// over the rate.
    PerCapita,
    /// Rows that are no recipient of the file, or recipients with no row: the amounts are not
    /// the whole split.
    RowsIncomplete,
    /// The default range is too large to search (`--key-range` narrows it).
    TooMuchWork { candidates: u128, rows: usize },
    /// The search could not be done exactly (`message` says why).
    Failed { message: String },
}

/// One date of the file against a key: the key's national total less the date's, and each row's
/// population less the date's figure (`None`: the recipient is not on that date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyDate {
    pub date: Date,
    /// The date's total over every recipient of the file.
    pub population: u128,
    pub difference: i128,
    pub rows_equal: usize,
    pub differences: Vec<Option<i128>>,
}

/// A key (the one found, or the first near miss) against every date of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The populations in the column's row order and their national total.
    pub key: Key,
    /// Whether it is a near miss: rows `off` (indices into the column's rows) admit no
    /// population at its total, and were given the one nearest their amount.
    pub near_miss: bool,
    pub off: Vec<usize>,
    /// Whether the populations add up to the national total.
    pub adds_up: bool,
    pub dates: Vec<KeyDate>,
    /// The date whose figures the key is, row for row and in total.
    pub equals: Option<Date>,
    /// The date nearest it: the fewest people moved over the rows, then the smallest difference
    /// in total.
    pub nearest: Option<Date>,
}

/// A key search done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyFound {
    /// Whether the range is `--key-range`'s (else the default around the file's totals).
    pub range_given: bool,
    pub recovery: KeyRecovery,
    /// The key found (unique), or else the first near miss, against the file's dates.
    pub compared: Option<Comparison>,
    /// For several keys: the date each of the first ones equals, if any.
    pub first_equal: Vec<Option<Date>>,
}

/// A column's key search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum KeySearch {
    Searched(Box<KeyFound>),
    NotSearched(NotSearched),
}

/// What one column's amounts imply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnExplained {
    /// The column's id, as in the audit.
    pub column: String,
    /// `None` when rows are missing or unknown (the quotas would be over other recipients).
    pub rule: Option<RuleFound>,
    /// `None` when not searched for: some date makes the table consistent.
    pub key: Option<KeySearch>,
}

/// Each row's figure on one date (by the row's code) and the date's total over every recipient.
struct DateFigures {
    date: Date,
    rows: Vec<Option<u64>>,
    population: u128,
    /// Every recipient of the date has a row, and every row is a recipient of the date.
    complete: bool,
}

fn figures(column: &ColumnAudit, basis: &ColumnBasis, tables: &[PopulationTable]) -> Vec<DateFigures> {
    tables
        .iter()
        .map(|table| {
            let by_code: HashMap<&str, u64> =
                table.recipients.iter().map(|r| (table.code(r), table.weight(r, &basis.key))).collect();
            let rows: Vec<Option<u64>> =
                column.rows.iter().map(|row| by_code.get(row.code.as_str()).copied()).collect();
            let population = table.recipients.iter().map(|r| u128::from(table.weight(r, &basis.key))).sum();
            let complete = rows.iter().all(Option::is_some) && rows.len() == table.recipients.len();
            DateFigures { date: table.date, rows, population, complete }
        })
        .collect()
}

/// Explains every column of `report` (audited against `bases` on `tables`, in date order).
/// Errors only for `--key-range` (a range too large or empty): a default range that cannot be
/// searched is said so in the column's `key`.
pub fn explain(
    report: &AuditReport,
    bases: &[ColumnBasis],
    tables: &[PopulationTable],
    range: &KeyRange,
) -> Result<Vec<ColumnExplained>, KeyError> {
    let complete = !report.findings.iter().any(|finding| {
        matches!(finding.kind, FindingKind::MissingRecipient { .. } | FindingKind::UnknownRecipient { .. })
    });
    let search = match range {
        KeyRange::Default => !report.dates.iter().any(|fit| fit.consistent),
        KeyRange::Given(_) => true,
    };
    let mut explained = Vec::new();
    for (column, basis) in report.columns.iter().zip(bases) {
        if !complete {
            let key = search.then_some(KeySearch::NotSearched(NotSearched::RowsIncomplete));
            explained.push(ColumnExplained { column: column.id.clone(), rule: None, key });
            continue;
        }
        let dates = figures(column, basis, tables);
        let key = if search { Some(search_key(column, &dates, range, report.step)?) } else { None };
        let rule = rule(column, &dates, key.as_ref(), (report.population_date, report.best_date));
        explained.push(ColumnExplained { column: column.id.clone(), rule, key });
    }
    Ok(explained)
}

/// The column's total on a date: its own, or for a rate per inhabitant rate × the date's sum.
fn total_on(column: &ColumnAudit, date: &DateFigures) -> Option<Fraction> {
    match &column.rate {
        None => Some(column.total.clone()),
        Some(rate) => {
            let rows: u128 = date.rows.iter().map(|figure| u128::from(figure.unwrap_or(0))).sum();
            Some(Fraction { numerator: rate.numerator.checked_mul(rows)?, denominator: rate.denominator })
        }
    }
}

/// Whether `amounts` add up to `total` and each is its quota rounded down or up.
fn consistent(weights: &[u64], total: &Fraction, amounts: &[u128]) -> bool {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let Some(denominator) = total.denominator.checked_mul(sum).filter(|&d| d != 0) else { return false };
    let adds_up =
        total.denominator == 1 && amounts.iter().try_fold(0u128, |s, &a| s.checked_add(a)) == Some(total.numerator);
    adds_up
        && weights.iter().zip(amounts).all(|(&w, &amount)| {
            total.numerator.checked_mul(u128::from(w)).is_some_and(|scaled| {
                let floor = scaled / denominator;
                amount == floor || (scaled % denominator != 0 && amount == floor + 1)
            })
        })
}

/// The rule and the key it is named against (see the module's notes).
fn rule(
    column: &ColumnAudit,
    dates: &[DateFigures],
    key: Option<&KeySearch>,
    (audited, best): (Date, Date),
) -> Option<RuleFound> {
    let amounts: Vec<u128> = column.rows.iter().map(|row| row.published).collect();
    let on_date = |date: &DateFigures| -> Option<(Vec<u64>, Fraction)> {
        if !date.complete {
            return None;
        }
        let weights = date.rows.iter().map(|figure| figure.unwrap_or(0)).collect();
        Some((weights, total_on(column, date)?))
    };
    let named = |key: RuleKey, weights: &[u64], total: &Fraction| {
        key::rounding_rules(weights, total, &amounts).ok().map(|rules| RuleFound { key, rules })
    };
    // The audited date first, then the best, then the others from the latest back.
    let mut order: Vec<&DateFigures> = dates.iter().filter(|date| date.date == audited).collect();
    order.extend(dates.iter().filter(|date| date.date == best && date.date != audited));
    order.extend(dates.iter().rev().filter(|date| date.date != audited && date.date != best));
    for date in &order {
        if let Some((weights, total)) = on_date(date)
            && consistent(&weights, &total, &amounts)
        {
            return named(RuleKey::Date { date: date.date }, &weights, &total);
        }
    }
    if let Some(KeySearch::Searched(found)) = key
        && let KeyOutcome::Unique { key: recovered } = &found.recovery.outcome
    {
        let equals = found.compared.as_ref().and_then(|compared| compared.equals);
        let key = match equals {
            Some(date) => RuleKey::Date { date },
            None => RuleKey::Recovered { population: recovered.population },
        };
        return named(key, &recovered.weights, &column.total);
    }
    let best = dates.iter().find(|date| date.date == best)?;
    let (weights, total) = on_date(best)?;
    named(RuleKey::Date { date: best.date }, &weights, &total)
}

/// The default range: every date's total ±2 %, and what lies between.
fn default_range(dates: &[DateFigures]) -> Option<RangeInclusive<u128>> {
    let ranges: Vec<RangeInclusive<u128>> =
        dates.iter().map(|date| key::range_around(date.population, DEFAULT_PERCENT)).collect::<Option<_>>()?;
    let start = ranges.iter().map(|range| *range.start()).min()?;
    let end = ranges.iter().map(|range| *range.end()).max()?;
    Some(start..=end)
}

fn search_key(
    column: &ColumnAudit,
    dates: &[DateFigures],
    range: &KeyRange,
    step: Step,
) -> Result<KeySearch, KeyError> {
    if column.rate.is_some() {
        return Ok(KeySearch::NotSearched(NotSearched::PerCapita));
    }
    let (range, given) = match range {
        KeyRange::Given(range) => (range.clone(), true),
        KeyRange::Default => {
            let Some(range) = default_range(dates) else {
                let message = "the population file's totals give no range of national totals".to_string();
                return Ok(KeySearch::NotSearched(NotSearched::Failed { message }));
            };
            (range, false)
        }
    };
    let amounts: Vec<u128> = column.rows.iter().map(|row| row.published).collect();
    let recovery = match key::recover_key(&amounts, &column.total, step, range, KeyLimits::default()) {
        Ok(recovery) => recovery,
        Err(err @ (KeyError::TooMuchWork { .. } | KeyError::EmptyRange { .. })) if given => return Err(err),
        Err(KeyError::TooMuchWork { candidates, rows, .. }) => {
            return Ok(KeySearch::NotSearched(NotSearched::TooMuchWork { candidates, rows }));
        }
        Err(err) => return Ok(KeySearch::NotSearched(NotSearched::Failed { message: err.to_string() })),
    };
    let compared = match &recovery.outcome {
        KeyOutcome::Unique { key } => Some(compare(key.clone(), (false, Vec::new(), true), dates)),
        KeyOutcome::None { .. } => recovery
            .first_near_misses
            .first()
            .map(|near| compare(near.key.clone(), (true, near.off.clone(), near.adds_up), dates)),
        KeyOutcome::Ambiguous { .. } | KeyOutcome::TooSmall { .. } => None,
    };
    let first_equal = match &recovery.outcome {
        KeyOutcome::Ambiguous { first, .. } => {
            first.iter().map(|key| compare(key.clone(), (false, Vec::new(), true), dates).equals).collect()
        }
        _ => Vec::new(),
    };
    Ok(KeySearch::Searched(Box::new(KeyFound { range_given: given, recovery, compared, first_equal })))
}

/// `key` against every date; `(near_miss, off, adds_up)` as found.
fn compare(key: Key, (near_miss, off, adds_up): (bool, Vec<usize>, bool), dates: &[DateFigures]) -> Comparison {
    let signed = |a: u128, b: u128| -> i128 {
        // Populations are below 2^64: their difference fits.
        let (a, b) = (i128::try_from(a).unwrap_or(i128::MAX), i128::try_from(b).unwrap_or(i128::MAX));
        a.saturating_sub(b)
    };
    let compared: Vec<KeyDate> = dates
        .iter()
        .map(|date| {
            let differences: Vec<Option<i128>> = key
                .weights
                .iter()
                .zip(&date.rows)
                .map(|(&implied, figure)| figure.map(|figure| signed(u128::from(implied), u128::from(figure))))
                .collect();
            KeyDate {
                date: date.date,
                population: date.population,
                difference: signed(key.population, date.population),
                rows_equal: differences.iter().filter(|difference| **difference == Some(0)).count(),
                differences,
            }
        })
        .collect();
    let equals = dates
        .iter()
        .zip(&compared)
        .find(|(date, against)| date.complete && against.rows_equal == key.weights.len() && against.difference == 0)
        .map(|(date, _)| date.date);
    // Nearest: the fewest rows unknown on the date, then the fewest people moved in all (a key
    // a few people off in every row is nearer than one equal in two rows and far in the rest),
    // then the smallest difference in total.
    let distance = |against: &KeyDate| {
        let unknown = against.differences.iter().filter(|difference| difference.is_none()).count();
        let moved: u128 = against.differences.iter().flatten().map(|difference| difference.unsigned_abs()).sum();
        (unknown, moved, against.difference.unsigned_abs())
    };
    let nearest = compared.iter().min_by_key(|against| distance(against)).map(|against| against.date);
    Comparison { key, near_miss, off, adds_up, dates: compared, equals, nearest }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistency_is_every_row_a_rounding_and_the_sum_exact() {
        let whole = |n| Fraction { numerator: n, denominator: 1 };
        // 10 by 1:1:1: quotas 3⅓ each.
        assert!(consistent(&[1, 1, 1], &whole(10), &[4, 3, 3]));
        assert!(!consistent(&[1, 1, 1], &whole(10), &[3, 3, 3]), "does not add up");
        assert!(!consistent(&[1, 1, 1], &whole(10), &[5, 3, 2]), "5 and 2 are no roundings of 3⅓");
        // An exact quota has one rounding.
        assert!(consistent(&[1, 1], &whole(10), &[5, 5]));
        assert!(!consistent(&[1, 1], &whole(10), &[6, 4]));
        assert!(!consistent(&[0, 0], &whole(10), &[5, 5]), "no weights");
    }
}
