//! Population CSV (`code,region,date,population`, several dates per file) → the validated
//! recipients of one date, sorted by code.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::amount::parse_amount;
use crate::csvin::CsvTable;
use crate::date::Date;
use crate::input::{Input, InputError};

/// One recipient on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub code: Box<str>,
    pub name: Box<str>,
    pub population: u64,
    /// Line of the file the figure came from, for errors and `explain`.
    pub line: usize,
}

/// The recipients of one date, sorted by code.
#[derive(Debug, Clone)]
pub struct PopulationTable {
    pub source: String,
    pub date: Date,
    pub recipients: Vec<Recipient>,
    pub total: u128,
}

/// What one date of a population file holds, for `fordela list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateSummary {
    pub date: Date,
    pub recipients: usize,
    pub total: u128,
}

const CODE: &[&str] = &["code", "kod", "länskod", "regionkod", "id"];
const NAME: &[&str] = &["region", "name", "namn", "län", "county", "recipient"];
const DATE: &[&str] = &["date", "datum"];
const POPULATION: &[&str] = &["population", "befolkning", "folkmängd", "invånare"];
/// A row naming one of these (code or name) is a sum line from a spreadsheet: checked, not used.
const TOTAL_WORDS: &[&str] = &["totalt", "total", "summa", "riket", "hela riket", "sverige"];

struct Row<'a> {
    line: usize,
    code: &'a str,
    name: &'a str,
    date: Date,
    population: u64,
}

/// Calls `visit` for every data row, after checking its fields; sum rows are checked against
/// the sums of their date at the end.
fn each_row(
    input: &Input,
    mut visit: impl FnMut(Row<'_>),
) -> Result<BTreeMap<Date, DateSummary>, InputError> {
    let mut table = CsvTable::open(
        input,
        &[CODE, NAME, DATE, POPULATION],
        &[true, false, true, true],
    )?;
    let mut summaries: BTreeMap<Date, DateSummary> = BTreeMap::new();
    let mut total_rows: Vec<(usize, Date, u64)> = Vec::new();
    while let Some(record) = table.next_record()? {
        let line = record.line;
        let code = record.field(0);
        let name = record.field(1);
        let date_text = record.field(2);
        let date: Date = date_text.parse().map_err(|err| {
            InputError::at(&input.label, line, None, format!("field `date`: {err}"))
        })?;
        let population = parse_population(record.field(3)).map_err(|message| {
            InputError::at(
                &input.label,
                line,
                None,
                format!("field `population`: {message}"),
            )
        })?;
        if is_total_row(code, name) {
            total_rows.push((line, date, population));
            continue;
        }
        if code.is_empty() {
            return Err(InputError::at(
                &input.label,
                line,
                None,
                "field `code` is empty, expected a code such as 01",
            ));
        }
        let summary = summaries.entry(date).or_insert(DateSummary {
            date,
            recipients: 0,
            total: 0,
        });
        summary.recipients += 1;
        summary.total += u128::from(population);
        visit(Row {
            line,
            code,
            name,
            date,
            population,
        });
    }
    if summaries.is_empty() && total_rows.is_empty() {
        return Err(InputError::file(
            &input.label,
            "has a header but no data rows, expected rows such as 01,Stockholms län,2018-12-31,2344124",
        ));
    }
    for (line, date, declared) in total_rows {
        let counted = summaries.get(&date).map_or(0, |summary| summary.total);
        if counted != u128::from(declared) {
            return Err(InputError::at(
                &input.label,
                line,
                None,
                format!(
                    "sum row says {declared} for {date}, but the rows of that date add up to {counted}"
                ),
            ));
        }
    }
    Ok(summaries)
}

fn is_total_row(code: &str, name: &str) -> bool {
    let is_word = |text: &str| TOTAL_WORDS.contains(&text.to_lowercase().as_str());
    is_word(code) || ((code.is_empty() || code == "00") && is_word(name))
}

fn parse_population(text: &str) -> Result<u64, String> {
    let value = parse_amount(text).map_err(|err| err.to_string())?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!(
            "`{text}` is negative, expected a whole number of people"
        ));
    }
    if !value.fract().is_zero() {
        return Err(format!(
            "`{text}` is not a whole number, expected a count of people"
        ));
    }
    u64::try_from(value).map_err(|_| format!("`{text}` is too large"))
}

/// Numeric codes compare as numbers (`9` before `10`); other codes as text.
#[must_use]
pub fn code_order(a: &str, b: &str) -> Ordering {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if numeric(a) && numeric(b) {
        let (a_trim, b_trim) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        a_trim
            .len()
            .cmp(&b_trim.len())
            .then(a_trim.cmp(b_trim))
            .then(a.cmp(b))
    } else {
        a.cmp(b)
    }
}

/// The dates a population file holds, with their counts and sums.
pub fn summarize(input: &Input) -> Result<Vec<DateSummary>, InputError> {
    Ok(each_row(input, |_| {})?.into_values().collect())
}

/// The recipients on `date`, validated: codes unique, populations not all zero.
pub fn read_population(input: &Input, date: Date) -> Result<PopulationTable, InputError> {
    let mut recipients = Vec::new();
    let summaries = each_row(input, |row| {
        if row.date == date {
            recipients.push(Recipient {
                code: row.code.into(),
                name: row.name.into(),
                population: row.population,
                line: row.line,
            });
        }
    })?;
    let Some(summary) = summaries.get(&date) else {
        let dates: Vec<String> = summaries.keys().map(ToString::to_string).collect();
        let available: Vec<Date> = summaries.keys().copied().collect();
        let hint = nearest_date(date, &available).map_or(String::new(), |nearest| {
            format!(
                "; the nearest is {nearest}: use it with --population-date {nearest}, or name it \
                 in the agreement as population_date_substitute"
            )
        });
        return Err(InputError::file(
            &input.label,
            format!(
                "has no figures for {date}; it has {}{hint}",
                dates.join(", ")
            ),
        ));
    };
    if summary.total == 0 {
        return Err(InputError::file(
            &input.label,
            format!("every population on {date} is zero, so there is no share to divide by"),
        ));
    }
    recipients.sort_unstable_by(|a, b| code_order(&a.code, &b.code).then(a.line.cmp(&b.line)));
    if let Some(pair) = recipients
        .windows(2)
        .find(|pair| pair[0].code == pair[1].code)
    {
        return Err(InputError::at(
            &input.label,
            pair[1].line,
            None,
            format!(
                "code `{}` appears twice on {date} (first on line {})",
                pair[1].code, pair[0].line
            ),
        ));
    }
    Ok(PopulationTable {
        source: input.label.clone(),
        date,
        recipients,
        total: summary.total,
    })
}

/// The date in `available` nearest to `wanted` (the earlier one on a draw).
#[must_use]
pub fn nearest_date(wanted: Date, available: &[Date]) -> Option<Date> {
    available
        .iter()
        .copied()
        .min_by_key(|date| ((date.day_number() - wanted.day_number()).abs(), *date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(text: &str) -> Input {
        Input::from_text("pop.csv", text)
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn numeric_codes_sort_as_numbers() {
        let mut codes = vec!["10", "9", "01", "A1", "003"];
        codes.sort_by(|a, b| code_order(a, b));
        assert_eq!(codes, vec!["01", "003", "9", "10", "A1"]);
    }

    #[test]
    fn excel_export_with_semicolons_grouping_and_sum_row_reads() {
        let text = "Kod;Län;Datum;Befolkning\r\n\r\n02;B;2018-12-31;1\u{a0}500\r\n01;A;2018-12-31; 2 500 \r\n;Totalt;2018-12-31;4 000\r\n;;;\r\n";
        let table = read_population(&input(text), date("2018-12-31")).unwrap();
        assert_eq!(table.total, 4000);
        let codes: Vec<&str> = table.recipients.iter().map(|r| &*r.code).collect();
        assert_eq!(codes, vec!["01", "02"]);
        assert_eq!(table.recipients[0].population, 2500);
        assert_eq!(table.recipients[0].line, 4);
    }

    #[test]
    fn wrong_sum_row_is_an_error() {
        let text = "code,region,date,population\n01,A,2018-12-31,5\n,Totalt,2018-12-31,6\n";
        let err = read_population(&input(text), date("2018-12-31")).unwrap_err();
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn nearest_date_prefers_the_closest() {
        let dates = [date("2017-12-31"), date("2018-12-31")];
        assert_eq!(
            nearest_date(date("2018-11-01"), &dates),
            Some(date("2018-12-31"))
        );
        assert_eq!(
            nearest_date(date("2018-03-01"), &dates),
            Some(date("2017-12-31"))
        );
    }
}
