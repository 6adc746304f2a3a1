//! Population CSV (`code,region,date,population`, several dates per file) → the validated
//! recipients of one date, sorted by code.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::amount::parse_amount;
use crate::csvin::CsvTable;
use crate::date::Date;
use crate::input::{Input, InputError};

/// One recipient on one date. Its code and name live in the table's text arena, so a million
/// recipients cost two allocations, not two million.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    start: usize,
    code_len: u32,
    name_len: u32,
    pub population: u64,
    /// Line of the file the figure came from, for errors and `explain` (32 bits: a file of
    /// four billion lines is not a population table, and the recipient stays 32 bytes).
    pub line: u32,
    /// Position among the rows of its date as read, where its extra key values are.
    row: u32,
}

/// The recipients of one date, sorted by code.
#[derive(Debug, Clone)]
pub struct PopulationTable {
    pub source: String,
    pub date: Date,
    pub recipients: Vec<Recipient>,
    pub total: u128,
    text: String,
    /// Extra key columns read, and their values row by row (`keys.len()` per row).
    keys: Vec<String>,
    extra: Vec<u64>,
}

impl PopulationTable {
    #[must_use]
    pub fn code(&self, recipient: &Recipient) -> &str {
        &self.text[recipient.start..recipient.start + recipient.code_len as usize]
    }

    #[must_use]
    /// The recipient's weight by `key`: `population`, `equal` (1 each) or an extra column.
    pub fn weight(&self, recipient: &Recipient, key: &str) -> u64 {
        match key {
            "population" => recipient.population,
            "equal" => 1,
            _ => self
                .keys
                .iter()
                .position(|known| known == key)
                .map_or(0, |column| self.extra[recipient.row as usize * self.keys.len() + column]),
        }
    }

    #[must_use]
    pub fn name(&self, recipient: &Recipient) -> &str {
        let start = recipient.start + recipient.code_len as usize;
        &self.text[start..start + recipient.name_len as usize]
    }
}

/// What one date of a population file holds, for `fordela list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Values of the extra key columns asked for, in order.
    extra: &'a [u64],
}

/// Calls `visit` for every data row, after checking its fields; sum rows are checked against
/// the sums of their date at the end.
fn each_row(
    input: &Input,
    extra_keys: &[&str],
    mut visit: impl FnMut(Row<'_>),
) -> Result<BTreeMap<Date, DateSummary>, InputError> {
    let extra_names: Vec<[&str; 1]> = extra_keys.iter().map(|key| [*key]).collect();
    let mut columns: Vec<&[&str]> = vec![CODE, NAME, DATE, POPULATION];
    columns.extend(extra_names.iter().map(<[&str; 1]>::as_slice));
    let required: Vec<bool> = (0..columns.len()).map(|i| i != 1).collect();
    let mut table = CsvTable::open(input, &columns, &required)?;
    let mut extra = vec![0u64; extra_keys.len()];
    let mut summaries: BTreeMap<Date, DateSummary> = BTreeMap::new();
    let mut total_rows: Vec<(usize, Date, u64)> = Vec::new();
    let mut current: Option<DateSummary> = None;
    while let Some(record) = table.next_record()? {
        let line = record.line;
        let code = record.field(0);
        let name = record.field(1);
        let date_text = record.field(2);
        let date: Date = date_text
            .parse()
            .map_err(|err| InputError::at(&input.label, line, None, format!("field `date`: {err}")))?;
        let population = parse_population(record.field(3))
            .map_err(|message| InputError::at(&input.label, line, None, format!("field `population`: {message}")))?;
        if is_total_row(code, name) {
            total_rows.push((line, date, population));
            continue;
        }
        if code.is_empty() {
            return Err(InputError::at(&input.label, line, None, "field `code` is empty, expected a code such as 01"));
        }
        // Rows of one date come together: count them up and add them to the map per run.
        match &mut current {
            Some(run) if run.date == date => {
                run.recipients += 1;
                run.total += u128::from(population);
            }
            _ => {
                if let Some(run) = current.take() {
                    add_run(&mut summaries, run);
                }
                current = Some(DateSummary { date, recipients: 1, total: u128::from(population) });
            }
        }
        for (index, key) in extra_keys.iter().enumerate() {
            extra[index] = parse_population(record.field(4 + index))
                .map_err(|message| InputError::at(&input.label, line, None, format!("field `{key}`: {message}")))?;
        }
        visit(Row { extra: &extra, line, code, name, date, population });
    }
    if let Some(run) = current.take() {
        add_run(&mut summaries, run);
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
                format!("sum row says {declared} for {date}, but the rows of that date add up to {counted}"),
            ));
        }
    }
    Ok(summaries)
}

fn add_run(summaries: &mut BTreeMap<Date, DateSummary>, run: DateSummary) {
    let summary = summaries.entry(run.date).or_insert(DateSummary { date: run.date, recipients: 0, total: 0 });
    summary.recipients += run.recipients;
    summary.total += run.total;
}

fn is_total_row(code: &str, name: &str) -> bool {
    let is_word = |text: &str| {
        text.starts_with(char::is_alphabetic) && TOTAL_WORDS.iter().any(|word| text.eq_ignore_ascii_case(word))
    };
    is_word(code) || ((code.is_empty() || code == "00") && is_word(name))
}

fn parse_population(text: &str) -> Result<u64, String> {
    // Plain digits are nearly every row: no need for the Swedish-number parser.
    if !text.is_empty() && text.len() < 20 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| format!("`{text}` is too large"));
    }
    let value = parse_amount(text).map_err(|err| err.to_string())?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!("`{text}` is negative, expected a whole number of people"));
    }
    if !value.fract().is_zero() {
        return Err(format!("`{text}` is not a whole number, expected a count of people"));
    }
    u64::try_from(value).map_err(|_| format!("`{text}` is too large"))
}

/// Numeric codes compare as numbers (`9` before `10`); other codes as text.
#[must_use]
pub fn code_order(a: &str, b: &str) -> Ordering {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if numeric(a) && numeric(b) {
        let (a_trim, b_trim) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        a_trim.len().cmp(&b_trim.len()).then(a_trim.cmp(b_trim)).then(a.cmp(b))
    } else {
        a.cmp(b)
    }
}

/// The dates a population file holds, with their counts and sums.
pub fn summarize(input: &Input) -> Result<Vec<DateSummary>, InputError> {
    Ok(each_row(input, &[], |_| {})?.into_values().collect())
}

/// The recipients on `date`, validated: codes unique, populations not all zero.
pub fn read_population(input: &Input, date: Date) -> Result<PopulationTable, InputError> {
    read_population_keys(input, date, &[])
}

/// As `read_population`, also reading the integer columns `keys` (other than `population`
/// and the built-in `equal`), for areas divided by another key.
pub fn read_population_keys(input: &Input, date: Date, keys: &[&str]) -> Result<PopulationTable, InputError> {
    let mut extra_keys: Vec<&str> = Vec::new();
    for key in keys {
        if !matches!(*key, "population" | "equal") && !extra_keys.contains(key) {
            extra_keys.push(key);
        }
    }
    // One recipient per line at most: reserving once avoids a doubling that would hold the old
    // and the new vector at once (80 MB at a million rows).
    let lines = input.text.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut recipients = Vec::with_capacity(lines);
    let mut text = String::new();
    let mut extra = Vec::new();
    let summaries = each_row(input, &extra_keys, |row| {
        if row.date == date {
            extra.extend_from_slice(row.extra);
            let start = text.len();
            text.push_str(row.code);
            text.push_str(row.name);
            recipients.push(Recipient {
                start,
                // Fields are at most the file's size; a code or name over 4 GB is not a field.
                code_len: u32::try_from(row.code.len()).unwrap_or(u32::MAX),
                name_len: u32::try_from(row.name.len()).unwrap_or(u32::MAX),
                population: row.population,
                line: u32::try_from(row.line).unwrap_or(u32::MAX),
                row: u32::try_from(recipients.len()).unwrap_or(u32::MAX),
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
            format!("has no figures for {date}; it has {}{hint}", dates.join(", ")),
        ));
    };
    if summary.total == 0 {
        return Err(InputError::file(
            &input.label,
            format!("every population on {date} is zero, so there is no share to divide by"),
        ));
    }
    // The arena grew by doubling; the split that follows is the memory peak, so give the
    // slack back now (up to half the arena).
    text.shrink_to_fit();
    let mut table = PopulationTable {
        source: input.label.clone(),
        date,
        recipients,
        total: summary.total,
        text,
        keys: extra_keys.iter().map(ToString::to_string).collect(),
        extra,
    };
    sort_by_code(&mut table);
    let code = |recipient: &Recipient| table.code(recipient);
    if let Some(pair) = table.recipients.windows(2).find(|pair| code(&pair[0]) == code(&pair[1])) {
        return Err(InputError::at(
            &input.label,
            pair[1].line as usize,
            None,
            format!("code `{}` appears twice on {date} (first on line {})", code(&pair[1]), pair[0].line),
        ));
    }
    Ok(table)
}

/// Sorts recipients by code (then line, so duplicates sit side by side in file order). Files
/// are usually sorted already, and codes usually numeric: both are checked first, because
/// comparing integers is several times faster than comparing a million strings.
fn sort_by_code(table: &mut PopulationTable) {
    let text = std::mem::take(&mut table.text);
    let code = |recipient: &Recipient| &text[recipient.start..recipient.start + recipient.code_len as usize];
    let by_code = |a: &Recipient, b: &Recipient| code_order(code(a), code(b)).then(a.line.cmp(&b.line));
    if !table.recipients.is_sorted_by(|a, b| by_code(a, b).is_le()) {
        // Numeric codes of up to 19 digits as integers: value order is `code_order`'s order,
        // and among equal values (`01`, `1`) more leading zeros come first, as in text order.
        // Recipients are in file order here, so the position breaks ties as the line would.
        // 16 bytes a key: a million codes sort in 16 MB besides the table.
        let numeric_key = |(position, recipient): (usize, &Recipient)| -> Option<(u64, std::cmp::Reverse<u32>, u32)> {
            let digits = code(recipient);
            let numeric = !digits.is_empty() && digits.len() <= 19 && digits.bytes().all(|b| b.is_ascii_digit());
            let position = u32::try_from(position).ok()?;
            numeric.then(|| (digits.parse().unwrap_or(u64::MAX), std::cmp::Reverse(recipient.code_len), position))
        };
        let keys: Option<Vec<_>> = table.recipients.iter().enumerate().map(numeric_key).collect();
        match keys {
            Some(mut keys) => {
                keys.sort_unstable();
                let order: Vec<u32> = keys.into_iter().map(|(_, _, position)| position).collect();
                permute(&mut table.recipients, order);
            }
            None => table.recipients.sort_unstable_by(by_code),
        }
    }
    table.text = text;
}

/// Puts `items[order[i]]` at position `i`, in place, following the permutation's cycles: no
/// second copy of a million recipients.
fn permute<T>(items: &mut [T], mut order: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    for start in 0..items.len() {
        if order[start] == DONE {
            continue;
        }
        let mut hole = start;
        loop {
            let from = order[hole] as usize;
            order[hole] = DONE;
            if from == start {
                break;
            }
            items.swap(hole, from);
            hole = from;
        }
    }
}

/// The date in `available` nearest to `wanted` (the earlier one on a draw).
#[must_use]
pub fn nearest_date(wanted: Date, available: &[Date]) -> Option<Date> {
    available.iter().copied().min_by_key(|date| ((date.day_number() - wanted.day_number()).abs(), *date))
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
    fn permuting_in_place_gathers_by_order() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, vec![3, 0, 4, 1, 2]);
        assert_eq!(items, vec!['d', 'a', 'e', 'b', 'c']);
    }

    #[test]
    fn numeric_codes_sort_as_numbers() {
        let text = "code,region,date,population\n10,a,2020-12-31,1\n9,b,2020-12-31,1\n01,c,2020-12-31,1\n003,d,2020-12-31,1\n1,e,2020-12-31,1\n";
        let table = read_population(&input(text), date("2020-12-31")).unwrap();
        let codes: Vec<&str> = table.recipients.iter().map(|r| table.code(r)).collect();
        assert_eq!(codes, vec!["01", "1", "003", "9", "10"]);

        let mut codes = vec!["10", "9", "01", "A1", "003"];
        codes.sort_by(|a, b| code_order(a, b));
        assert_eq!(codes, vec!["01", "003", "9", "10", "A1"]);
    }

    #[test]
    fn excel_export_with_semicolons_grouping_and_sum_row_reads() {
        let text = "Kod;Län;Datum;Befolkning\r\n\r\n02;B;2018-12-31;1\u{a0}500\r\n01;A;2018-12-31; 2 500 \r\n;Totalt;2018-12-31;4 000\r\n;;;\r\n";
        let table = read_population(&input(text), date("2018-12-31")).unwrap();
        assert_eq!(table.total, 4000);
        let codes: Vec<&str> = table.recipients.iter().map(|r| table.code(r)).collect();
        assert_eq!(codes, vec!["01", "02"]);
        assert_eq!(table.recipients[0].population, 2500);
        assert_eq!(table.recipients[0].line, 4u32);
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
        assert_eq!(nearest_date(date("2018-11-01"), &dates), Some(date("2018-12-31")));
        assert_eq!(nearest_date(date("2018-03-01"), &dates), Some(date("2017-12-31")));
    }
}
