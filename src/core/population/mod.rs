//! Population CSV (`code,region,date,population`, several dates per file) → the validated
//! recipients of one date, sorted by code.
//!
//! Three jobs, one module each: `schema` says what a row holds and checks it (columns, counts,
//! sum rows, codes), `table` lays the recipients out in code order, and `csvin` reads the file
//! in stretches side by side. This module joins them and checks what needs the whole file.

pub mod lookup;
mod px;
mod schema;
mod table;

use crate::core::date::Date;
pub use crate::core::region::code_order;
use crate::io::csvin::{Column, CsvTable, OtherColumns, Stretches, read_in_stretches};
use crate::io::error::InputError;
use crate::io::input::{Input, Locator};
use schema::Row;
use std::collections::BTreeMap;
use table::Rows;
pub use table::{CodeRewrite, PopulationTable, Recipient};

/// What one date of a population file holds, for `fordela list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSummary {
    pub date: Date,
    pub recipients: usize,
    pub total: u128,
    /// The line of its first row.
    pub first_line: usize,
}

/// Each date's count and sum. Rows of one date come together: they are counted up as a run
/// and added to the map per run, not per row.
#[derive(Debug, Default)]
struct DateCounts {
    summaries: BTreeMap<Date, DateSummary>,
    run: Option<DateSummary>,
}

impl DateCounts {
    fn add(&mut self, date: Date, population: u64, line: usize) {
        match &mut self.run {
            Some(run) if run.date == date => {
                run.recipients += 1;
                run.total += u128::from(population);
            }
            run => {
                let first = DateSummary { date, recipients: 1, total: u128::from(population), first_line: line };
                if let Some(done) = run.replace(first) {
                    add_run(&mut self.summaries, done);
                }
            }
        }
    }

    fn finish(mut self) -> BTreeMap<Date, DateSummary> {
        if let Some(run) = self.run.take() {
            add_run(&mut self.summaries, run);
        }
        self.summaries
    }
}

/// Adds a date's count and sum to what is known of that date.
fn add_run(summaries: &mut BTreeMap<Date, DateSummary>, run: DateSummary) {
    // Runs come in file order: the first one of a date holds its first line.
    let summary = summaries.entry(run.date).or_insert(DateSummary { recipients: 0, total: 0, ..run });
    summary.recipients += run.recipients;
    summary.total += run.total;
}

/// What one stretch of a population file holds: its rows of the wanted date, and the counts
/// and sums of every date, for the checks that need the whole file.
struct Part {
    rows: Rows,
    dates: DateCounts,
    /// Sum rows (`Totalt`, …): line, date, declared sum.
    sum_rows: Vec<(usize, Date, u64)>,
    /// The row being read's extra key values, before they are known to be kept.
    extra: Vec<u64>,
    /// Per date, the first code written without its leading zero and the first written with one.
    spellings: BTreeMap<Date, CodeSpellings>,
}

/// How one date's codes are written: a code of 1 or 3 digits is a county's or municipality's
/// without its leading zero (as Excel saves it, `114`); one of 2 or 4 digits that begins with
/// `0` is written in full (`0114`). The line and the code as written of the first of each.
#[derive(Debug, Default, Clone)]
struct CodeSpellings {
    short: Option<(usize, String)>,
    full: Option<(usize, String)>,
}

impl CodeSpellings {
    /// Whether `code` is written short (`Some(true)`), in full with a leading zero
    /// (`Some(false)`), or neither: most rows, which then cost no look-up.
    fn kind(code: &str) -> Option<bool> {
        if !code.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        match code.len() {
            1 | 3 => Some(true),
            2 | 4 if code.starts_with('0') => Some(false),
            _ => None,
        }
    }

    fn note(&mut self, code: &str, line: usize) {
        let slot = match Self::kind(code) {
            Some(true) => &mut self.short,
            Some(false) => &mut self.full,
            None => return,
        };
        if slot.as_ref().is_none_or(|(first, _)| line < *first) {
            *slot = Some((line, code.to_string()));
        }
    }

    fn merge(&mut self, other: CodeSpellings) {
        for (line, code) in other.short.into_iter().chain(other.full) {
            self.note(&code, line);
        }
    }
}

/// A file that writes its codes without leading zeros on one date and with them on another
/// (`114` for 2017, `0114` for 2018) was put together from two sources: which spelling is
/// the list's is a guess, so it is an error naming one row of each.
fn check_code_spellings(label: &str, spellings: &BTreeMap<Date, CodeSpellings>) -> Result<(), InputError> {
    let shorts = spellings.iter().filter_map(|(date, seen)| seen.short.as_ref().map(|found| (date, found)));
    // The first two dates with a full spelling: one of them is another date than any short
    // one (a search of every date per date was quadratic in a file of many dates).
    let fulls: Vec<_> =
        spellings.iter().filter_map(|(date, seen)| seen.full.as_ref().map(|found| (date, found))).take(2).collect();
    for (short_date, (short_line, short_code)) in shorts {
        let other = fulls.iter().find(|(date, _)| *date != short_date).copied();
        if let Some((full_date, (full_line, full_code))) = other {
            return Err(InputError::at(
                label,
                *short_line,
                None,
                format!(
                    "code `{short_code}` on {short_date} is written without its leading zero, but the rows of \
                     {full_date} write their codes in full (`{full_code}` on line {full_line}): the file mixes two \
                     spellings of SCB's codes, as when exports are pasted together; write every code in full \
                     (`0114`, `01`), as SCB does"
                ),
            ));
        }
    }
    Ok(())
}

/// Reads every row of the file, in `stretches`, keeping the rows of `wanted`, and checks what
/// needs the whole file: that there are rows, and that sum rows match the rows of their date.
/// Returns the rows of `wanted` in file order and what every date holds.
fn read_all(
    input: &Input,
    wanted: Option<Date>,
    extra_keys: &[&str],
    stretches: Stretches,
) -> Result<(Rows, BTreeMap<Date, DateSummary>, Locator), InputError> {
    // SCB's wide export (a column per year) is read as the long table it stands for.
    let long = px::long_form(input).map_err(|err| input.place(err))?;
    let input = long.as_ref().unwrap_or(input);
    let (rows, summaries) = read_long(input, wanted, extra_keys, stretches).map_err(|err| input.place(err))?;
    Ok((rows, summaries, input.locator().clone()))
}

fn read_long(
    input: &Input,
    wanted: Option<Date>,
    extra_keys: &[&str],
    stretches: Stretches,
) -> Result<(Rows, BTreeMap<Date, DateSummary>), InputError> {
    let key_names: Vec<[&str; 1]> = extra_keys.iter().map(|key| [*key]).collect();
    // Other integer columns are extra keys another agreement may divide by (DESIGN.md).
    // A header naming a municipality column makes a table of municipalities, whose `county`
    // column is each one's county code (in a table of regions, `county` is the region's name).
    // A header with a region's name column as well is a table of regions with a stray column,
    // refused as such.
    let names = |names| CsvTable::open(input, &[Column::required(names)], OtherColumns::Numbers).is_ok();
    let municipal = names(schema::MUNICIPALITY) && !names(schema::RECIPIENT_NAME);
    let columns = if municipal { schema::municipal_columns(&key_names) } else { schema::columns(&key_names) };
    let table = CsvTable::open(input, &columns, OtherColumns::Numbers)?;
    let label = input.label.as_str();
    let start = |lines: usize| Part {
        rows: Rows::with_capacity(if wanted.is_some() { lines } else { 0 }),
        dates: DateCounts::default(),
        sum_rows: Vec::new(),
        extra: vec![0; extra_keys.len()],
        spellings: BTreeMap::new(),
    };
    let parts = read_in_stretches(table, stretches, start, |part, record| {
        match schema::read_row(&record, label, extra_keys, &mut part.extra, municipal)? {
            Row::Sum { date, population } => part.sum_rows.push((record.line, date, population)),
            Row::Recipient { code, name, date, population } => {
                part.dates.add(date, population, record.line);
                if CodeSpellings::kind(code).is_some() {
                    part.spellings.entry(date).or_default().note(code, record.line);
                }
                if wanted == Some(date) {
                    part.rows.push(code, name, population, record.line, &part.extra);
                }
            }
        }
        Ok(())
    })?;
    let mut summaries: BTreeMap<Date, DateSummary> = BTreeMap::new();
    let mut sum_rows = Vec::new();
    let mut rows = Vec::with_capacity(parts.len());
    let mut spellings: BTreeMap<Date, CodeSpellings> = BTreeMap::new();
    for part in parts {
        for (date, seen) in part.spellings {
            spellings.entry(date).or_default().merge(seen);
        }
        for summary in part.dates.finish().into_values() {
            add_run(&mut summaries, summary);
        }
        sum_rows.extend(part.sum_rows);
        rows.push(part.rows);
    }
    if summaries.is_empty() && sum_rows.is_empty() {
        return Err(InputError::file(
            label,
            "has a header but no data rows, expected rows such as 01,Stockholms län,2018-12-31,2344124",
        ));
    }
    check_code_spellings(label, &spellings)?;
    for (line, date, declared) in sum_rows {
        let counted = summaries.get(&date).map_or(0, |summary| summary.total);
        if counted != u128::from(declared) {
            return Err(InputError::at(
                label,
                line,
                None,
                format!("sum row says {declared} for {date}, but the rows of that date add up to {counted}"),
            ));
        }
    }
    Ok((Rows::concatenate(rows), summaries))
}

/// The dates a population file holds, with their counts and sums.
pub fn summarize(input: &Input) -> Result<Vec<DateSummary>, InputError> {
    let (_, summaries, _) = read_all(input, None, &[], Stretches::for_this_machine())?;
    Ok(summaries.into_values().collect())
}

/// The recipients on `date`, validated: codes unique, populations not all zero.
pub fn read_population(input: &Input, date: Date) -> Result<PopulationTable, InputError> {
    read_population_keys(input, date, &[])
}

/// As `read_population`, also reading the integer columns `keys` (other than `population`
/// and the built-in `equal`), for areas divided by another key.
pub fn read_population_keys(input: &Input, date: Date, keys: &[&str]) -> Result<PopulationTable, InputError> {
    read_population_rows(input, date, keys)?.into_table()
}

/// `read_population_keys`, read in `parts` stretches side by side whatever the file's size:
/// for fuzzing, which holds it to the line-by-line read.
#[doc(hidden)]
pub fn read_population_in_parts(
    input: &Input,
    date: Date,
    keys: &[&str],
    parts: usize,
) -> Result<PopulationTable, InputError> {
    read_rows_in(input, date, keys, Stretches::always(parts))?.into_table()
}

/// The rows of one date as read, checked field by field but not yet sorted: what
/// `read_population_keys` returns before its last step, so that a caller can free the file's
/// text first (at a million rows, text and table together are the memory peak).
#[derive(Debug)]
pub struct PopulationRows {
    label: String,
    date: Date,
    total: u128,
    keys: Vec<String>,
    /// Every stretch's rows, in file order.
    rows: Rows,
    /// What every date of the file holds (counts, not rows).
    dates: Vec<DateSummary>,
    /// Where a line is in the file (a sheet's row, a wide export's line), for messages.
    locator: Locator,
}

/// Reads the rows of `date` (see `read_population_keys`); `PopulationRows::into_table`
/// finishes the job.
pub fn read_population_rows(input: &Input, date: Date, keys: &[&str]) -> Result<PopulationRows, InputError> {
    read_rows_in(input, date, keys, Stretches::for_this_machine())
}

fn read_rows_in(input: &Input, date: Date, keys: &[&str], stretches: Stretches) -> Result<PopulationRows, InputError> {
    let mut extra_keys: Vec<&str> = Vec::new();
    for key in keys {
        if !matches!(*key, "population" | "equal") && !extra_keys.contains(key) {
            extra_keys.push(key);
        }
    }
    let (rows, summaries, locator) = read_all(input, Some(date), &extra_keys, stretches)?;
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
    if summary.recipients > u32::MAX as usize {
        return Err(InputError::file(
            &input.label,
            format!("has over {} rows for {date}; fordela takes at most that many", u32::MAX),
        ));
    }
    Ok(PopulationRows {
        label: input.label.clone(),
        date,
        total: summary.total,
        keys: extra_keys.iter().map(ToString::to_string).collect(),
        rows,
        dates: summaries.into_values().collect(),
        locator,
    })
}

impl PopulationRows {
    /// Why the date read may lack recipients, when another date of the file lists more of them
    /// (a row whose date is mistyped, `2018-12-30`, drops out of its year and the others share
    /// its money): the two dates and counts, and a date of very few rows, the likely typo.
    #[must_use]
    pub fn fewer_recipients_than_other_dates(&self) -> Option<String> {
        let read = self.dates.iter().find(|summary| summary.date == self.date)?;
        let distance = |summary: &DateSummary| (summary.date.day_number() - self.date.day_number()).abs();
        // The date with the most rows, the nearest to the date read on a draw.
        let fuller = self
            .dates
            .iter()
            .filter(|summary| summary.recipients > read.recipients)
            .max_by_key(|summary| (summary.recipients, std::cmp::Reverse(distance(summary))))?;
        // A date of no more rows than are missing (or of very few) likely holds them.
        let shortfall = fuller.recipients - read.recipients;
        let odd = self
            .dates
            .iter()
            .filter(|summary| summary.date != self.date)
            .filter(|summary| summary.recipients <= shortfall || summary.recipients * 10 <= fuller.recipients)
            .min_by_key(|summary| distance(summary))
            .map_or(String::new(), |odd| {
                let rows = if odd.recipients == 1 { "row" } else { "rows" };
                format!(
                    " {} has only {} {rows} (the first on line {}): a mistyped {}?",
                    odd.date, odd.recipients, odd.first_line, self.date
                )
            });
        let message = format!(
            "lists {} recipients on {} but {} on {}: some recipients of {3} are not on {1}, and a split on {1} \
             would give their share to the others.{odd}",
            read.recipients, self.date, fuller.recipients, fuller.date
        );
        Some(self.locator.lines().reword(&message))
    }

    /// The table, sorted by code, its text laid out in that order (so whatever reads the
    /// table row by row reads memory in order: at a million rows, chasing names across the
    /// text costs more than the sort); codes checked unique.
    pub fn into_table(self) -> Result<PopulationTable, InputError> {
        let (locator, label) = (self.locator, self.label.clone());
        let mut table = PopulationTable::lay_out(self.label, self.date, self.total, self.keys, self.rows)
            .map_err(|err| locator.place(&label, err))?;
        // A recipient's line is the file's (a wide export's row), for every message that names it.
        let locator = if locator.is_rearranged() {
            for recipient in &mut table.recipients {
                recipient.line = u32::try_from(locator.file_line(recipient.line as usize)).unwrap_or(recipient.line);
            }
            locator.of_file_lines()
        } else {
            locator
        };
        table.lines = locator.lines();
        let place = |err| locator.place(&label, err);
        schema::check_unique(&table).map_err(place)?;
        let (kind, rewrites) = schema::settle_codes(&table).map_err(place)?;
        table.write_codes(kind, rewrites);
        Ok(table)
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

    /// Code, name, population and line of each recipient, in table order.
    type Read = Result<Vec<(String, String, u64, u32)>, InputError>;

    /// Reads `text` line by line, and again in `parts` stretches side by side.
    fn both_ways(text: &str, parts: usize) -> [Read; 2] {
        let input = input(text);
        [Stretches::LINE_BY_LINE, Stretches::always(parts)].map(|stretches| {
            let table = read_rows_in(&input, date("2020-12-31"), &[], stretches)?.into_table()?;
            Ok(table
                .recipients
                .iter()
                .map(|r| (table.code(r).to_string(), table.name(r).to_string(), r.population, r.line))
                .collect())
        })
    }

    proptest::proptest! {
        #[test]
        fn reading_in_stretches_gives_what_reading_line_by_line_gives(
            rows in proptest::collection::vec((0u8..60, 0usize..1000, 0usize..4, 0u8..200), 1..25),
            crlf: bool,
            parts in 2usize..6,
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("code;region;date;population{end}");
            for (kind, code, name, value) in rows {
                let population = match value {
                    0 => "1,5".to_string(),
                    1 => String::new(),
                    2 => "-4".to_string(),
                    3 => "1 234".to_string(),
                    _ => u32::from(value).to_string(),
                };
                let name = ["A", "Bå", " C c ", "D"][name];
                let line = match kind {
                    0 => String::new(),
                    1 => format!("{code};{name};2019-12-31;{population}"),
                    2 => format!(";Totalt;2020-12-31;{population}"),
                    3 => format!("{code};{name};2020-12-31"),
                    4 => format!("0{code};{name};2020-13-31;{population}"),
                    _ => format!("{code};{name};2020-12-31;{population}"),
                };
                text.push_str(&line);
                text.push_str(end);
            }
            let [whole, split] = both_ways(&text, parts);
            proptest::prop_assert_eq!(whole, split, "{}", text);
        }
    }

    #[test]
    fn key_values_follow_their_recipients_when_stretches_are_sorted_by_code() {
        use std::fmt::Write as _;
        // Codes out of order across three stretches, each row's `kids` ten times its code:
        // after sorting, every recipient reads its own row's value, however the file was split.
        let mut text = String::from("code,region,date,population,kids\n");
        let codes = [7, 3, 9, 1, 8, 2, 6, 4, 5, 12, 10, 11];
        for code in codes {
            let _ = writeln!(text, "{code},R{code},2020-12-31,{},{}", code + 100, code * 10);
        }
        for stretches in [Stretches::LINE_BY_LINE, Stretches::always(3)] {
            let rows = read_rows_in(&input(&text), date("2020-12-31"), &["kids"], stretches).unwrap();
            let table = rows.into_table().unwrap();
            let read: Vec<(String, u64, u64)> = table
                .recipients
                .iter()
                .map(|r| (table.code(r).to_string(), table.weight(r, "kids"), r.population))
                .collect();
            let expected: Vec<(String, u64, u64)> =
                (1..=12).map(|code| (code.to_string(), code * 10, code + 100)).collect();
            assert_eq!(read, expected);
        }
    }

    #[test]
    fn numeric_codes_sort_as_numbers() {
        let text =
            "code,region,date,population\n11,a,2020-12-31,1\n9,b,2020-12-31,1\n01,c,2020-12-31,1\n003,d,2020-12-31,1\n";
        let table = read_population(&input(text), date("2020-12-31")).unwrap();
        let codes: Vec<&str> = table.recipients.iter().map(|r| table.code(r)).collect();
        assert_eq!(codes, vec!["01", "003", "9", "11"]);

        // Numbers before text: one order for every pair (`2` < `10` < `1A` < `2` was a cycle).
        let mut codes = vec!["10", "9", "01", "A1", "003", "1A", "2"];
        codes.sort_by(|a, b| code_order(a, b));
        assert_eq!(codes, vec!["01", "2", "003", "9", "10", "1A", "A1"]);
    }

    #[test]
    fn codes_written_short_on_many_dates_and_in_full_on_none_read() {
        use std::fmt::Write as _;
        // 20 000 dates of one row each, every code short: each date is compared with the first
        // two dates of full codes (none), not with every other date.
        let mut text = String::from("code,region,date,population\n");
        let dates: Vec<Date> = (1900..2000)
            .flat_map(|year| (1..=12).flat_map(move |month| (1..=28).map(move |day| (year, month, day))))
            .take(20_000)
            .map(|(year, month, day)| Date::new(year, month, day).unwrap())
            .collect();
        for (at, day) in dates.iter().enumerate() {
            let _ = writeln!(text, "{},Enhet,{day},{}", 100 + at % 800, at + 1);
        }
        let table = read_population(&input(&text), dates[7]).unwrap();
        assert_eq!(table.recipients.len(), 1);
        // And a mix of spellings is still named by its first short row and a full one.
        let _ = writeln!(text, "0114,Enhet,{},1", dates[3]);
        let err = read_population(&input(&text), dates[7]).unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.message.contains(&format!("rows of {} write their codes in full (`0114`", dates[3])), "{err}");
    }

    #[test]
    fn one_code_written_two_ways_is_a_duplicate_naming_both_lines() {
        for (first, second) in [("01", "1"), ("1", "01"), ("0114", "114"), ("7", "007")] {
            let text = format!(
                "code,region,date,population\n{first},a,2020-12-31,1\nX9,b,2020-12-31,1\n{second},c,2020-12-31,1\n"
            );
            let err = read_population(&input(&text), date("2020-12-31")).unwrap_err();
            assert_eq!(err.line, Some(4), "{err}");
            assert!(
                err.message.starts_with(&format!("code `{second}` is the same code as `{first}` on line 2")),
                "{err}"
            );
        }
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
    fn sum_rows_are_labelled_as_in_plans_or_with_the_whole_country() {
        for label in ["Sum", "Summa", "Riket", "hela riket"] {
            let text = format!("code,region,date,population\n01,A,2018-12-31,5\n,{label},2018-12-31,5\n");
            assert_eq!(read_population(&input(&text), date("2018-12-31")).unwrap().recipients.len(), 1, "{label}");
        }
    }

    #[test]
    fn nearest_date_prefers_the_closest() {
        let dates = [date("2017-12-31"), date("2018-12-31")];
        assert_eq!(nearest_date(date("2018-11-01"), &dates), Some(date("2018-12-31")));
        assert_eq!(nearest_date(date("2018-03-01"), &dates), Some(date("2017-12-31")));
    }
}
