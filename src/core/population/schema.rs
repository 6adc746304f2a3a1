//! The population file's schema: which columns it has, what each field may hold, which rows
//! are sum rows, and the rules a table's codes follow (one recipient per code however it is
//! written; written as its list writes them). Adding a column means adding it here: the
//! reading in stretches (`csvin`) and the layout (`table`) take whatever a row gives them.

use super::table::{CodeRewrite, PopulationTable};
use crate::core::date::Date;
use crate::core::region::{RecipientKind, canonical_code, classify, code_value, counties, is_numeric_code, same_code};
use crate::io::csvin::{Column, Record, is_sum_label};
use crate::io::error::InputError;
use crate::io::names;
use crate::io::number::parse_amount;

const CODE: &[&str] = &["code", "kod", "länskod", "regionkod", "id"];
const NAME: &[&str] = &["region", "name", "namn", "län", "county", "recipient"];
const DATE: &[&str] = &["date", "datum"];
const POPULATION: &[&str] = &["population", "befolkning", "folkmängd", "invånare"];
/// The whole country, as a spreadsheet labels its sum row beside the sum words (`Riket`).
const WHOLE_COUNTRY: &[&str] = &["riket", "hela riket", "sverige"];
/// A municipality's name: a header naming it makes the file a table of municipalities
/// (`code,municipality,county,date,population`, as SCB's municipal table is bundled).
pub(super) const MUNICIPALITY: &[&str] = &["municipality", "kommun", "kommunnamn"];
/// The names of a recipient's name column other than a county's: beside one of them, a
/// municipality column is a stray column of a table of regions.
pub(super) const RECIPIENT_NAME: &[&str] = &["region", "name", "namn", "recipient"];
/// In a table of municipalities, the code column (a county's code is not one: `länskod` there
/// is the municipality's county).
const MUNICIPAL_CODE: &[&str] = &["code", "kod", "kommunkod", "id"];
/// In a table of municipalities, each one's county code: checked against the code's first two
/// digits, never ignored.
const COUNTY_OF_MUNICIPALITY: &[&str] = &["county", "län", "länskod", "county_code"];
/// Where the first extra key column is among the columns `columns` asks for.
const FIRST_KEY: usize = 4;

/// The columns read: code, name (optional), date, population, then each extra key column
/// (`keys`, each one name as a one-element list, as `Column` takes a list of names).
pub(super) fn columns<'n>(keys: &'n [[&'n str; 1]]) -> Vec<Column<'n>> {
    let mut columns = vec![
        Column::required(CODE).holding_names(),
        Column::optional(NAME).holding_names(),
        Column::required(DATE),
        Column::required(POPULATION),
    ];
    columns.extend(keys.iter().map(|name| Column::required(name.as_slice())));
    columns
}

/// The columns of a table of municipalities: as `columns`, the name being the municipality's,
/// and last (after the extra keys) the optional county code of each municipality.
pub(super) fn municipal_columns<'n>(keys: &'n [[&'n str; 1]]) -> Vec<Column<'n>> {
    let mut columns = vec![
        Column::required(MUNICIPAL_CODE).holding_names(),
        Column::required(MUNICIPALITY).holding_names(),
        Column::required(DATE),
        Column::required(POPULATION),
    ];
    columns.extend(keys.iter().map(|name| Column::required(name.as_slice())));
    columns.push(Column::optional(COUNTY_OF_MUNICIPALITY).holding_names());
    columns
}

/// One data row, every field checked.
pub(super) enum Row<'r> {
    /// A recipient's figures on one date; its extra key values are in the caller's buffer.
    Recipient { code: &'r str, name: &'r str, date: Date, population: u64 },
    /// A sum row (`Totalt`, `Riket`): checked against the rows of its date, not a recipient.
    Sum { date: Date, population: u64 },
}

/// Reads and checks the fields of `record` (whose extra key columns are `keys`, their values
/// written into `extra`), in the order a reader would: date, population, then the rest.
pub(super) fn read_row<'r>(
    record: &'r Record<'_>,
    label: &str,
    keys: &[&str],
    extra: &mut [u64],
    municipal: bool,
) -> Result<Row<'r>, InputError> {
    let line = record.line;
    let code = record.field(0);
    let name = record.field(1);
    let date: Date = record
        .field(2)
        .parse()
        .map_err(|err| InputError::at(label, line, record.column(2), format!("field `date`: {err}")))?;
    let population = parse_count(record.field(3))
        .map_err(|message| InputError::at(label, line, record.column(3), format!("field `population`: {message}")))?;
    if is_sum_row(code, name) {
        return Ok(Row::Sum { date, population });
    }
    if code.is_empty() {
        let column = record.column(0);
        return Err(InputError::at(label, line, column, "field `code` is empty, expected a code such as 01"));
    }
    for (index, key) in keys.iter().enumerate() {
        extra[index] = parse_count(record.field(FIRST_KEY + index)).map_err(|message| {
            InputError::at(label, line, record.column(FIRST_KEY + index), format!("field `{key}`: {message}"))
        })?;
    }
    if municipal {
        check_county_of_municipality(code, record.field(FIRST_KEY + keys.len()))
            .map_err(|message| InputError::at(label, line, None, message))?;
    }
    Ok(Row::Recipient { code, name, date, population })
}

/// A municipality's county as its row states it (`county`, empty when the file has no such
/// column) must be the first two digits of its code: a row whose two disagree is in the wrong
/// county's split, or has a mistyped code.
fn check_county_of_municipality(code: &str, county: &str) -> Result<(), String> {
    if county.is_empty() {
        return Ok(());
    }
    // A code (`23`), or a county's name as exports write it (`Jämtlands län`).
    let by_name = || {
        counties()
            .iter()
            .find(|known| names::same(known.county, county) || names::same(known.region, county))
            .map(|known| known.value)
    };
    let Some(stated) = code_value(county).filter(|_| is_numeric_code(county) && county.len() <= 2).or_else(by_name)
    else {
        return Err(format!(
            "field `county` holds `{county}`, expected the municipality's two-digit county code (the first two \
             digits of its code) or its county's name"
        ));
    };
    // A code that is no municipality's is refused with its own message once the list is known.
    let Some(value) = code_value(code).filter(|_| is_numeric_code(code) && (3..=4).contains(&code.len())) else {
        return Ok(());
    };
    if value / 100 != stated {
        return Err(format!(
            "field `county` says {stated:02}, but code `{code}` is a municipality of county {:02} (the first two \
             digits of its code): which is right?",
            value / 100
        ));
    }
    Ok(())
}

/// A row whose code, or whose name beside no code (or `00`), labels a sum.
fn is_sum_row(code: &str, name: &str) -> bool {
    let is_word = |text: &str| {
        // `Totalt:` as a spreadsheet's label cell writes it.
        let text = text.strip_suffix(':').map_or(text, str::trim_end);
        is_sum_label(text)
            || (text.starts_with(char::is_alphabetic)
                && WHOLE_COUNTRY.iter().any(|word| text.eq_ignore_ascii_case(word)))
    };
    is_word(code) || ((code.is_empty() || code == "00") && is_word(name))
}

/// A count of people (or of an extra key): a whole number, digits with spaces between
/// thousands at most.
pub(super) fn parse_count(text: &str) -> Result<u64, String> {
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

/// No code twice, however written: `01` and `1` (or `0114` and `114`) are one recipient,
/// and paying it twice is the error Excel's dropped zeros invite. The table is sorted by
/// `code_order`, which puts codes of one value side by side.
pub(super) fn check_unique(table: &PopulationTable) -> Result<(), InputError> {
    // Codes of one length are one code only if they are equal: the value comparison is
    // for the rare neighbours that differ in length.
    let same = |a: &str, b: &str| a == b || (a.len() != b.len() && same_code(a, b));
    let Some(pair) = table.recipients.windows(2).find(|pair| same(table.code(&pair[0]), table.code(&pair[1]))) else {
        return Ok(());
    };
    let (first, second) = if pair[0].line <= pair[1].line { (&pair[0], &pair[1]) } else { (&pair[1], &pair[0]) };
    let (code, first_code) = (table.code(second), table.code(first));
    let message = if code == first_code {
        format!("code `{code}` appears twice on {} (first on line {})", table.date, first.line)
    } else {
        format!(
            "code `{code}` is the same code as `{first_code}` on line {} ({} on {}): a code is one recipient \
             however it is written (Excel drops leading zeros); keep one of the two rows",
            first.line,
            table.name(first),
            table.date
        )
    };
    Err(InputError::at(&table.source, second.line as usize, None, message))
}

/// What the table is a list of, and every code it writes otherwise than that list does (by
/// position: `1` → `01` among counties, `114` → `0114` among municipalities); an error for
/// a code that cannot be in the list. A million care units pass through untouched.
pub(super) fn settle_codes(table: &PopulationTable) -> Result<(RecipientKind, Vec<(usize, CodeRewrite)>), InputError> {
    let rows = table.recipients.iter().map(|r| (table.code(r), table.name(r), r.line));
    let kind = classify(rows);
    if kind == RecipientKind::Other {
        return Ok((kind, Vec::new()));
    }
    let mut rewrites = Vec::new();
    // The table is in code order: report the first bad row in file order, as a reader would.
    let mut first_error: Option<(u32, String)> = None;
    for (index, recipient) in table.recipients.iter().enumerate() {
        let (code, name) = (table.code(recipient), table.name(recipient));
        match canonical_code(&kind, code, name) {
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
        return Err(InputError::at(&table.source, line as usize, None, message));
    }
    Ok((kind, rewrites))
}
