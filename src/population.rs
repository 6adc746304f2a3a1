//! Population CSV (`code,region,date,population`, several dates per file) → the validated
//! recipients of one date, sorted by code.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use crate::amount::parse_amount;
use crate::csvin::{Column, CsvTable, OtherColumns};
use crate::date::Date;
use crate::input::{Input, InputError};
use crate::region::{RecipientKind, canonical_code, classify, same_code};

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
    /// Every recipient's population as one column, made when first asked for and then shared
    /// by every split by population (a million recipients: one copy instead of one per area).
    populations: OnceLock<Arc<[u64]>>,
    /// What the table is a list of (Sweden's regions, municipalities, other).
    pub kind: RecipientKind,
    /// Codes read as another writing of themselves (`1` as `01`), for a note: never silently.
    pub rewritten_codes: Vec<CodeRewrite>,
}

/// A code the file wrote otherwise than its list writes it (`1` for the county code `01`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRewrite {
    pub line: u32,
    pub written: String,
    pub read_as: String,
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

    /// Every recipient's population, in table order.
    #[must_use]
    pub fn populations(&self) -> Arc<[u64]> {
        Arc::clone(self.populations.get_or_init(|| self.recipients.iter().map(|r| r.population).collect()))
    }

    #[must_use]
    pub fn name(&self, recipient: &Recipient) -> &str {
        let start = recipient.start + recipient.code_len as usize;
        &self.text[start..start + recipient.name_len as usize]
    }

    /// No code twice, however written: `01` and `1` (or `0114` and `114`) are one recipient,
    /// and paying it twice is the error Excel's dropped zeros invite. The table is sorted by
    /// `code_order`, which puts codes of one value side by side.
    fn check_unique(&self) -> Result<(), InputError> {
        // Codes of one length are one code only if they are equal: the value comparison is
        // for the rare neighbours that differ in length.
        let same = |a: &str, b: &str| a == b || (a.len() != b.len() && same_code(a, b));
        let Some(pair) = self.recipients.windows(2).find(|pair| same(self.code(&pair[0]), self.code(&pair[1]))) else {
            return Ok(());
        };
        let (first, second) = if pair[0].line <= pair[1].line { (&pair[0], &pair[1]) } else { (&pair[1], &pair[0]) };
        let (code, first_code) = (self.code(second), self.code(first));
        let message = if code == first_code {
            format!("code `{code}` appears twice on {} (first on line {})", self.date, first.line)
        } else {
            format!(
                "code `{code}` is the same code as `{first_code}` on line {} ({} on {}): a code is one recipient \
                 however it is written (Excel drops leading zeros); keep one of the two rows",
                first.line,
                self.name(first),
                self.date
            )
        };
        Err(InputError::at(&self.source, second.line as usize, None, message))
    }

    /// Decides what the table is a list of, checks every code against it and writes each code
    /// as the list does (`1` → `01` among counties, `114` → `0114` among municipalities),
    /// noting every code so read. A million care units pass through untouched and unallocated.
    fn settle_codes(&mut self) -> Result<(), InputError> {
        let rows = self.recipients.iter().map(|r| (self.code(r), self.name(r), r.line));
        self.kind = classify(rows);
        if self.kind == RecipientKind::Other {
            return Ok(());
        }
        let mut rewrites = Vec::new();
        // The table is in code order: report the first bad row in file order, as a reader would.
        let mut first_error: Option<(u32, String)> = None;
        for (index, recipient) in self.recipients.iter().enumerate() {
            let (code, name) = (self.code(recipient), self.name(recipient));
            match canonical_code(&self.kind, code, name) {
                Ok(Some(read_as)) => {
                    rewrites.push((index, CodeRewrite { line: recipient.line, written: code.to_string(), read_as }));
                }
                Ok(None) => {}
                Err(message) => {
                    if first_error.as_ref().is_none_or(|(line, _)| recipient.line < *line) {
                        first_error = Some((recipient.line, message));
                    }
                }
            }
        }
        if let Some((line, message)) = first_error {
            return Err(InputError::at(&self.source, line as usize, None, message));
        }
        if rewrites.is_empty() {
            return Ok(());
        }
        // Few rows (a list of counties or municipalities): lay the text out again.
        let mut text = String::with_capacity(self.text.len() + rewrites.len() * 4);
        let mut next = rewrites.iter().peekable();
        for (index, recipient) in self.recipients.iter_mut().enumerate() {
            let name_start = recipient.start + recipient.code_len as usize;
            let name = &self.text[name_start..name_start + recipient.name_len as usize];
            let start = text.len();
            match next.next_if(|(at, _)| *at == index) {
                Some((_, rewrite)) => text.push_str(&rewrite.read_as),
                None => text.push_str(&self.text[recipient.start..name_start]),
            }
            recipient.code_len = u32::try_from(text.len() - start).unwrap_or(u32::MAX);
            recipient.start = start;
            text.push_str(name);
        }
        self.text = text;
        self.rewritten_codes = rewrites.into_iter().map(|(_, rewrite)| rewrite).collect();
        Ok(())
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

/// What one stretch of a population file holds: its rows of the wanted date, and the counts
/// and sums of every date, for the checks that need the whole file.
#[derive(Debug, Default)]
struct Part {
    recipients: Vec<Recipient>,
    /// Codes and names of `recipients`, back to back.
    text: String,
    /// Values of the extra key columns, `keys.len()` per recipient.
    extra: Vec<u64>,
    /// Each recipient's code as a number, as long as every code so far is numeric: sorting
    /// integers is several times faster than comparing a million strings.
    codes: Option<Vec<u64>>,
    summaries: BTreeMap<Date, DateSummary>,
    /// Sum rows (`Totalt`, …): line, date, declared sum.
    total_rows: Vec<(usize, Date, u64)>,
}

/// Adds a date's count and sum to what is known of that date.
fn add_run(summaries: &mut BTreeMap<Date, DateSummary>, run: DateSummary) {
    let summary = summaries.entry(run.date).or_insert(DateSummary { date: run.date, recipients: 0, total: 0 });
    summary.recipients += run.recipients;
    summary.total += run.total;
}

/// Reads one stretch of the file, checking every field; keeps the rows of `wanted`.
fn read_part(
    mut table: CsvTable<'_>,
    label: &str,
    wanted: Option<Date>,
    extra_keys: &[&str],
) -> Result<Part, InputError> {
    // One recipient per line at most: reserving once avoids a doubling that would hold the old
    // and the new vector at once (pages never written are never resident).
    let capacity = if wanted.is_some() { table.lines_left() } else { 0 };
    let mut part =
        Part { recipients: Vec::with_capacity(capacity), codes: Some(Vec::with_capacity(capacity)), ..Part::default() };
    let mut extra = vec![0u64; extra_keys.len()];
    let mut current: Option<DateSummary> = None;
    while let Some(record) = table.next_record()? {
        let line = record.line;
        let code = record.field(0);
        let name = record.field(1);
        let date: Date =
            record.field(2).parse().map_err(|err| InputError::at(label, line, None, format!("field `date`: {err}")))?;
        let population = parse_count(record.field(3))
            .map_err(|message| InputError::at(label, line, None, format!("field `population`: {message}")))?;
        if is_total_row(code, name) {
            part.total_rows.push((line, date, population));
            continue;
        }
        if code.is_empty() {
            return Err(InputError::at(label, line, None, "field `code` is empty, expected a code such as 01"));
        }
        // Rows of one date come together: count them up and add them to the map per run.
        match &mut current {
            Some(run) if run.date == date => {
                run.recipients += 1;
                run.total += u128::from(population);
            }
            _ => {
                if let Some(run) = current.take() {
                    add_run(&mut part.summaries, run);
                }
                current = Some(DateSummary { date, recipients: 1, total: u128::from(population) });
            }
        }
        for (index, key) in extra_keys.iter().enumerate() {
            extra[index] = parse_count(record.field(4 + index))
                .map_err(|message| InputError::at(label, line, None, format!("field `{key}`: {message}")))?;
        }
        if wanted != Some(date) {
            continue;
        }
        part.extra.extend_from_slice(&extra);
        let start = part.text.len();
        part.text.push_str(code);
        part.text.push_str(name);
        if let Some(codes) = &mut part.codes {
            match numeric_code(code) {
                Some(value) => codes.push(value),
                None => part.codes = None,
            }
        }
        part.recipients.push(Recipient {
            start,
            // Fields are at most the file's size; a code or name over 4 GB is not a field.
            code_len: u32::try_from(code.len()).unwrap_or(u32::MAX),
            name_len: u32::try_from(name.len()).unwrap_or(u32::MAX),
            population,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            row: 0,
        });
    }
    if let Some(run) = current.take() {
        add_run(&mut part.summaries, run);
    }
    Ok(part)
}

/// How a file is read: in up to `parts` stretches side by side, once it has `min_len` bytes.
#[derive(Debug, Clone, Copy)]
struct Stretches {
    parts: usize,
    min_len: usize,
}

impl Stretches {
    /// One per core (at most eight) for files over a megabyte: below that, threads cost more
    /// than they save.
    fn for_this_machine() -> Stretches {
        let parts = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
        Stretches { parts, min_len: 1 << 20 }
    }
}

/// Reads every row of the file, in parallel stretches when it is large, and checks what needs
/// the whole file: that there are rows, and that sum rows match the rows of their date. Returns
/// the stretches in file order and what every date holds.
fn read_parts(
    input: &Input,
    wanted: Option<Date>,
    extra_keys: &[&str],
    stretches: Stretches,
) -> Result<(Vec<Part>, BTreeMap<Date, DateSummary>), InputError> {
    let extra_names: Vec<[&str; 1]> = extra_keys.iter().map(|key| [*key]).collect();
    let mut columns =
        vec![Column::required(CODE), Column::optional(NAME), Column::required(DATE), Column::required(POPULATION)];
    columns.extend(extra_names.iter().map(|name| Column::required(name.as_slice())));
    // Other integer columns are extra keys another agreement may divide by (DESIGN.md).
    let tables = CsvTable::open(input, &columns, OtherColumns::Numbers)?.split(stretches.parts, stretches.min_len);
    let label = input.label.as_str();
    let results: Vec<Result<Part, InputError>> = if tables.len() == 1 {
        tables.into_iter().map(|table| read_part(table, label, wanted, extra_keys)).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = tables
                .into_iter()
                .map(|table| scope.spawn(move || read_part(table, label, wanted, extra_keys)))
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap_or_else(|_| Err(InputError::file(label, "a reading thread failed"))))
                .collect()
        })
    };
    // The first error in file order, as a reader going line by line would report it.
    let parts: Vec<Part> = results.into_iter().collect::<Result<_, _>>()?;
    let mut summaries: BTreeMap<Date, DateSummary> = BTreeMap::new();
    for summary in parts.iter().flat_map(|part| part.summaries.values()) {
        add_run(&mut summaries, *summary);
    }
    let total_rows = parts.iter().flat_map(|part| &part.total_rows);
    if summaries.is_empty() && total_rows.clone().next().is_none() {
        return Err(InputError::file(
            label,
            "has a header but no data rows, expected rows such as 01,Stockholms län,2018-12-31,2344124",
        ));
    }
    for &(line, date, declared) in total_rows {
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
    Ok((parts, summaries))
}

fn is_total_row(code: &str, name: &str) -> bool {
    let is_word = |text: &str| {
        text.starts_with(char::is_alphabetic) && TOTAL_WORDS.iter().any(|word| text.eq_ignore_ascii_case(word))
    };
    is_word(code) || ((code.is_empty() || code == "00") && is_word(name))
}

fn parse_count(text: &str) -> Result<u64, String> {
    // Plain digits are nearly every row: no need for the Swedish-number parser.
    if !text.is_empty() && text.len() < 20 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| format!("`{text}` is too large"));
    }
    // Groups of three after a mark (`100,000`, `2.344.124`): thousands to one locale, decimals
    // to another, and either reading could be wrong.
    let mut groups = text.split([',', '.']);
    if groups.next().is_some_and(|first| !first.is_empty())
        && text.contains([',', '.'])
        && groups.all(|group| group.len() == 3 && group.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "`{text}` has a thousands separator or a decimal mark, so it could be read two ways; a count \
             of people is written with digits only (spaces between thousands are fine: `100 000`)"
        ));
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

/// Numeric codes compare as numbers (`9` before `10`) and come before other codes, which
/// compare as text. One order for every pair (numbers against text by text would make `2` <
/// `10` < `1A` < `2` a cycle), so that codes of one value (`01`, `1`) sit side by side.
#[must_use]
pub fn code_order(a: &str, b: &str) -> Ordering {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match (numeric(a), numeric(b)) {
        (true, true) => {
            let (a_trim, b_trim) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
            a_trim.len().cmp(&b_trim.len()).then(a_trim.cmp(b_trim)).then(a.cmp(b))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

/// The dates a population file holds, with their counts and sums.
pub fn summarize(input: &Input) -> Result<Vec<DateSummary>, InputError> {
    let (_, summaries) = read_parts(input, None, &[], Stretches::for_this_machine())?;
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
    read_rows_in(input, date, keys, Stretches { parts, min_len: 0 })?.into_table()
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
    /// Every part's rows, in file order.
    rows: Part,
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
    let (parts, summaries) = read_parts(input, Some(date), &extra_keys, stretches)?;
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
        rows: concatenate(parts),
    })
}

impl PopulationRows {
    /// The table, sorted by code, its text laid out in that order (so whatever reads the
    /// table row by row reads memory in order: at a million rows, chasing names across the
    /// text costs more than the sort); codes checked unique.
    pub fn into_table(self) -> Result<PopulationTable, InputError> {
        let order = self.sorted_order();
        let part = self.rows;
        let mut table = PopulationTable {
            source: self.label,
            date: self.date,
            recipients: part.recipients,
            total: self.total,
            text: part.text,
            keys: self.keys,
            extra: part.extra,
            populations: OnceLock::new(),
            kind: RecipientKind::Other,
            rewritten_codes: Vec::new(),
        };
        if let Some(order) = order {
            permute(&mut table.recipients, order);
            gather_text(&mut table)?;
        }
        for (row, recipient) in table.recipients.iter_mut().enumerate() {
            recipient.row = row as u32;
        }
        table.check_unique()?;
        table.settle_codes()?;
        Ok(table)
    }

    /// Positions in order of code, then of line, so duplicates sit side by side in file
    /// order; `None` when the rows are in that order already.
    fn sorted_order(&self) -> Option<Vec<u32>> {
        let rows = &self.rows;
        // Positions fit in u32: `read_population_rows` refuses more rows.
        if let Some(codes) = &rows.codes {
            // Numeric codes of up to 19 digits as integers: value order is `code_order`'s
            // order, and among equal values (`01`, `1`) more leading zeros come first, as in
            // text order. The radix sort is stable, so equal codes stay in file order.
            let mut keys: Vec<NumericKey> = codes
                .iter()
                .zip(&rows.recipients)
                .enumerate()
                .map(|(position, (&value, recipient))| NumericKey {
                    value,
                    longer_first: u8::MAX - recipient.code_len.min(u32::from(u8::MAX)) as u8,
                    position: position as u32,
                })
                .collect();
            let sort_key = |key: &NumericKey| (key.value, key.longer_first);
            if keys.is_sorted_by_key(sort_key) {
                return None;
            }
            radsort::sort_by_key(&mut keys, sort_key);
            return Some(keys.into_iter().map(|key| key.position).collect());
        }
        let code = |position: u32| {
            let recipient = &rows.recipients[position as usize];
            &rows.text[recipient.start..recipient.start + recipient.code_len as usize]
        };
        let by_code = |a: &u32, b: &u32| code_order(code(*a), code(*b)).then(a.cmp(b));
        let mut order: Vec<u32> = (0..rows.recipients.len() as u32).collect();
        if order.is_sorted_by(|a, b| by_code(a, b).is_le()) {
            return None;
        }
        order.sort_unstable_by(by_code);
        Some(order)
    }
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

/// Lays the text and the extra key values out in the recipients' (new) order. This reads all
/// over the old text, so a large table is done in two halves side by side, each writing its
/// own part of one buffer (no second copy to join).
fn gather_text(table: &mut PopulationTable) -> Result<(), InputError> {
    const PARALLEL_FROM: usize = 100_000;
    let PopulationTable { source, recipients, text: old_text, extra: old_extra, keys, .. } = table;
    let width = keys.len();
    let text_len = |recipients: &[Recipient]| -> usize {
        recipients.iter().map(|recipient| recipient.code_len as usize + recipient.name_len as usize).sum()
    };
    let half = if recipients.len() >= PARALLEL_FROM { recipients.len() / 2 } else { recipients.len() };
    let (first, second) = recipients.split_at_mut(half);
    let first_len = text_len(first);
    let mut text = vec![0u8; first_len + text_len(second)];
    let mut extra = vec![0u64; old_extra.len()];
    let (first_text, second_text) = text.split_at_mut(first_len);
    let (first_extra, second_extra) = extra.split_at_mut(half * width);
    // Copies each recipient's text to `into` (which starts at byte `base` of the new text).
    let gather = |recipients: &mut [Recipient], into: &mut [u8], extra: &mut [u64], base: usize| {
        let mut at = 0;
        for (index, recipient) in recipients.iter_mut().enumerate() {
            let len = recipient.code_len as usize + recipient.name_len as usize;
            into[at..at + len].copy_from_slice(&old_text.as_bytes()[recipient.start..recipient.start + len]);
            recipient.start = base + at;
            at += len;
            let row = recipient.row as usize;
            extra[index * width..(index + 1) * width].copy_from_slice(&old_extra[row * width..(row + 1) * width]);
        }
    };
    let finished = std::thread::scope(|scope| {
        let second_half =
            (!second.is_empty()).then(|| scope.spawn(|| gather(second, second_text, second_extra, first_len)));
        gather(first, first_text, first_extra, 0);
        second_half.is_none_or(|handle| handle.join().is_ok())
    });
    // A half that was not laid out leaves the table unusable: say so, as the reading threads do.
    if !finished {
        return Err(InputError::file(source, "a sorting thread failed"));
    }
    // Whole fields of a valid text, copied whole: valid UTF-8 still.
    *old_text = String::from_utf8(text).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
    *old_extra = extra;
    Ok(())
}

/// The parts' rows as one part, in file order, each recipient's `row` its position.
fn concatenate(parts: Vec<Part>) -> Part {
    let mut parts = parts.into_iter();
    let mut whole = parts.next().unwrap_or_default();
    for part in parts {
        let text_base = whole.text.len();
        whole.text.push_str(&part.text);
        whole.extra.extend_from_slice(&part.extra);
        whole.codes = whole.codes.zip(part.codes).map(|(mut codes, more)| {
            codes.extend_from_slice(&more);
            codes
        });
        whole.recipients.extend(
            part.recipients.iter().map(|recipient| Recipient { start: recipient.start + text_base, ..*recipient }),
        );
    }
    for (row, recipient) in whole.recipients.iter_mut().enumerate() {
        recipient.row = row as u32;
    }
    whole
}

#[derive(Clone, Copy)]
struct NumericKey {
    value: u64,
    longer_first: u8,
    position: u32,
}

/// The code as a number, when it is one that fits (up to 19 digits).
fn numeric_code(code: &str) -> Option<u64> {
    let digits = !code.is_empty() && code.len() <= 19 && code.bytes().all(|b| b.is_ascii_digit());
    if digits { code.parse().ok() } else { None }
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

    /// Code, name, population and line of each recipient, in table order.
    type Read = Result<Vec<(String, String, u64, u32)>, InputError>;

    /// Reads `text` line by line, and again in `parts` stretches side by side.
    fn both_ways(text: &str, parts: usize) -> [Read; 2] {
        let input = input(text);
        [Stretches { parts: 1, min_len: usize::MAX }, Stretches { parts, min_len: 0 }].map(|stretches| {
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
    fn nearest_date_prefers_the_closest() {
        let dates = [date("2017-12-31"), date("2018-12-31")];
        assert_eq!(nearest_date(date("2018-11-01"), &dates), Some(date("2018-12-31")));
        assert_eq!(nearest_date(date("2018-03-01"), &dates), Some(date("2017-12-31")));
    }
}
