//! A workbook's sheet (`.xlsx`, `.ods`, `.xls`) as the table text every reader reads: one line
//! per row (line 7 is row 7), one `;`-separated field per column (field 3 is column C), each
//! cell as the text it stands for. The table readers then apply the same header, sum-row and
//! no-dropped-field rules as to a CSV file, and `input::Locator` names a place as
//! `plan.xlsx, sheet Blad1, cell C7`.
//!
//! A cell is read by what it holds, never by how it is shown: a number as the shortest decimal
//! that reads back to the same binary value (`1.8`, never `1.8000000000000000444`); text as
//! written (`5,8` in a text cell is the Swedish amount); a date as `YYYY-MM-DD`; a formula by
//! the value Excel stored with it.

mod limits;
pub mod styles;

use crate::io::error::InputError;
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use std::io::Cursor;

/// Excel keeps 15 significant digits: a typed figure never has more, so a number that needs
/// more to read back is what binary arithmetic made of a sum (`19.099999999999998`).
const EXCEL_DIGITS: usize = 15;

/// The text of one sheet of a workbook, and the sheet's name.
#[derive(Debug)]
pub struct SheetText {
    pub sheet: String,
    pub text: String,
}

/// Reads sheet `wanted` (or the first) of the workbook `bytes`, named `label` in messages.
/// `kind` is what the first bytes say the file is, for a message when it cannot be opened.
pub fn read_sheet(
    label: &str,
    bytes: &[u8],
    wanted: Option<&str>,
    kind: impl std::fmt::Display,
) -> Result<SheetText, InputError> {
    // Before the library holds any of it: what the file unpacks to, and what its sheets span.
    limits::check_file(label, bytes)?;
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|err| {
        InputError::file(
            label,
            format!(
                "is {kind}, not a CSV or TOML text file, and it cannot be opened as a workbook either ({err}): \
                 open it in the spreadsheet and save it again, or save the sheet as \"CSV UTF-8\""
            ),
        )
    })?;
    let names = book.sheet_names();
    let default = match wanted {
        Some(_) => None,
        None => Some(default_sheet(label, &mut book)?),
    };
    let sheet = match wanted {
        Some(wanted) => names.iter().find(|name| name.as_str() == wanted).or_else(|| {
            // A sheet named in another case is that sheet (Excel's names ignore case).
            names.iter().find(|name| name.to_lowercase() == wanted.to_lowercase())
        }),
        None => default.as_ref().or(names.first()),
    }
    .cloned()
    .ok_or_else(|| match wanted {
        Some(wanted) => InputError::file(
            label,
            format!(
                "has no sheet `{wanted}`; its sheets are {}",
                names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
            ),
        ),
        None => InputError::file(label, "is a workbook without sheets"),
    })?;
    let at = |row: u32, column: u32| format!("{label}, sheet {sheet}, cell {}{}", column_name(column), row + 1);
    let cells = book
        .worksheet_range(&sheet)
        .map_err(|err| InputError::file(&format!("{label}, sheet {sheet}"), format!("cannot be read ({err})")))?;
    // A formula stored without its value (written by a program that does not compute) would
    // read as an empty cell: it must not pass for one, wherever it is.
    if let Ok(formulas) = book.worksheet_formula(&sheet)
        && let Some((top, left)) = formulas.start()
    {
        for (row, column, formula) in formulas.used_cells() {
            let (row, column) = (top + to_u32(row), left + to_u32(column));
            let value = cells.get_value((row, column));
            if !formula.is_empty() && matches!(value, None | Some(Data::Empty)) {
                return Err(no_value(&at(row, column)));
            }
        }
    }
    // A number shown scaled by its format (`#,##0,` as thousands) is not the figure the sheet
    // shows: refused at its cell, as a sum's 17-digit float is.
    let scaled = crate::io::sheet::styles::scaled_cells(bytes, &sheet);
    let mut text = String::new();
    let Some((first_row, first_column)) = cells.start() else {
        return Ok(SheetText { sheet, text });
    };
    // Rows above the used range are blank lines, so that line numbers are row numbers.
    for _ in 0..first_row {
        text.push('\n');
    }
    let mut field = String::new();
    for (offset, row) in cells.rows().enumerate() {
        let row_number = first_row + u32::try_from(offset).unwrap_or(u32::MAX);
        if row.iter().all(|cell| matches!(cell, Data::Empty)) {
            text.push('\n');
            continue;
        }
        // Columns left of the used range are empty fields, so that field 3 is column C.
        for _ in 0..first_column {
            text.push(';');
        }
        for (index, cell) in row.iter().enumerate() {
            let column = first_column + to_u32(index);
            if index > 0 {
                text.push(';');
            }
            field.clear();
            if matches!(cell, Data::Float(_) | Data::Int(_)) && scaled.contains(&(row_number, column)) {
                return Err(InputError::file(
                    &at(row_number, column),
                    "holds a number its format shows scaled (a thousands format such as `#,##0,`, or a percentage): \
                     the sheet shows another figure than the cell holds, and fordela does not guess which is meant; \
                     give the cell a plain number format (and the column's unit in its header), or type the figure \
                     as shown",
                ));
            }
            cell_text(cell, &mut field).map_err(|problem| InputError::file(&at(row_number, column), problem))?;
            push_field(&field, &mut text);
        }
        text.push('\n');
    }
    Ok(SheetText { sheet, text })
}

/// The sheet read when none is named: the workbook's only sheet with any cell. Several sheets
/// with cells (a quarter on each, an old version kept beside the new) are an error listing
/// them, and so is a hidden sheet as the only one: fordela never picks one of several, nor one
/// the user cannot see, by guess. A workbook whose sheets are all empty reads its first visible
/// sheet (and says it is empty).
fn default_sheet<'b, R>(label: &str, book: &mut R) -> Result<String, InputError>
where
    R: Reader<Cursor<&'b [u8]>>,
    R::Error: std::fmt::Display,
{
    let sheets: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        // A chart or macro sheet holds no table.
        .filter(|sheet| matches!(sheet.typ, calamine::SheetType::WorkSheet))
        .map(|sheet| (sheet.name.clone(), sheet.visible == calamine::SheetVisible::Visible))
        .collect();
    if sheets.len() <= 1 {
        return Ok(sheets.first().map(|(name, _)| name.clone()).unwrap_or_default());
    }
    let mut with_cells = Vec::new();
    for (name, visible) in &sheets {
        // A sheet that cannot be read is not an empty one: say so, never skip it.
        let range = book
            .worksheet_range(name)
            .map_err(|err| InputError::file(&format!("{label}, sheet {name}"), format!("cannot be read ({err})")))?;
        let used = range.used_cells().any(|(_, _, cell)| !matches!(cell, Data::Empty));
        if used {
            with_cells.push((name.clone(), *visible));
        }
    }
    let described = |list: &[(String, bool)]| {
        list.iter()
            .map(|(name, visible)| if *visible { format!("`{name}`") } else { format!("`{name}` (hidden)") })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match with_cells.as_slice() {
        [(name, true)] => Ok(name.clone()),
        [] => Ok(sheets.iter().find(|(_, visible)| *visible).unwrap_or(&sheets[0]).0.clone()),
        [(name, false)] => Err(InputError::file(
            label,
            format!(
                "has cells only on the hidden sheet `{name}`: fordela does not read a sheet you cannot see unless \
                 you name it (the command's sheet option, e.g. --sheet {name})"
            ),
        )),
        several => Err(InputError::file(
            label,
            format!(
                "has {} sheets with cells: {}; name the one to read with the command's sheet option (e.g. --sheet \
                 NAME, --plan-sheet, --outcome-sheet, --population-sheet), or keep one table per workbook",
                several.len(),
                described(several)
            ),
        )),
    }
}

fn to_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

fn no_value(place: &str) -> InputError {
    InputError::file(
        place,
        "holds a formula with no stored value (the file was written by a program that does not compute): open \
         the file in Excel or LibreOffice and save it, which stores every formula's value",
    )
}

/// A field as the `;`-separated text holds it: quoted when it holds the separator, a quote or
/// a line break.
fn push_field(field: &str, text: &mut String) {
    if field.contains([';', '"', '\n', '\r']) {
        text.push('"');
        text.push_str(&field.replace('"', "\"\""));
        text.push('"');
    } else {
        text.push_str(field);
    }
}

/// `A` for column 0, `Z`, `AA`, … as spreadsheets name columns.
#[must_use]
pub fn column_name(column: u32) -> String {
    let mut name = Vec::new();
    let mut rest = u64::from(column) + 1;
    while rest > 0 {
        let digit = u8::try_from((rest - 1) % 26).unwrap_or(0);
        name.push(b'A' + digit);
        rest = (rest - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// What a cell stands for, as text a reader parses; or why it stands for nothing fordela can
/// read.
fn cell_text(cell: &Data, out: &mut String) -> Result<(), String> {
    use std::fmt::Write as _;
    match cell {
        Data::Empty => {}
        Data::String(text) => out.push_str(text),
        Data::Int(number) => {
            let _ = write!(out, "{number}");
        }
        // With a decimal comma, as the `;`-separated text reads it: a number cell is never
        // ambiguous (`2,344` mkr), as a typed `2.344` would be.
        Data::Float(number) => out.push_str(&number_text(*number)?.replace('.', ",")),
        Data::Bool(value) => out.push_str(if *value { "TRUE" } else { "FALSE" }),
        Data::DateTime(value) => {
            if value.is_duration() {
                return Err(format!("holds a duration ({}), where fordela reads no time", value.as_f64()));
            }
            let (year, month, day, hour, minute, second, milli) = value.to_ymd_hms_milli();
            if (hour, minute, second, milli) != (0, 0, 0, 0) {
                return Err(format!(
                    "holds the date and time {year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}; \
                     fordela reads dates only: write the date alone"
                ));
            }
            let _ = write!(out, "{year:04}-{month:02}-{day:02}");
        }
        Data::DateTimeIso(value) => {
            let (date, time) = value.split_once('T').unwrap_or((value, ""));
            if !time.trim_start_matches(['0', ':', '.']).is_empty() {
                return Err(format!("holds the date and time {value}; fordela reads dates only: write the date alone"));
            }
            out.push_str(date);
        }
        Data::DurationIso(value) => return Err(format!("holds a duration ({value}), where fordela reads no time")),
        Data::Error(error) => {
            return Err(format!(
                "holds the error {error} (a formula that failed): correct the formula, or type the value"
            ));
        }
    }
    Ok(())
}

/// The shortest decimal that reads back to `number` (Rust's `Display` of an `f64` is exactly
/// that), or why the number is not a figure anyone typed.
fn number_text(number: f64) -> Result<String, String> {
    if !number.is_finite() {
        return Err(format!("holds {number}, which is not a figure"));
    }
    let text = format!("{number}");
    let digits = significant_digits(&text);
    if digits > EXCEL_DIGITS {
        return Err(format!(
            "holds {text}, a number of {digits} significant digits: binary arithmetic makes such numbers of a sum \
             or product (19,1 as 19.099999999999998), and Excel shows at most {EXCEL_DIGITS}, so it is not the \
             figure the sheet shows. fordela does not round it: round it in the sheet (=AVRUNDA(…; 1), \
             =ROUND(…; 1)) or type the figure"
        ));
    }
    Ok(text)
}

/// Digits of a plain decimal (`-0.0012`, `2344124`, `1000000`) from its first to its last
/// non-zero digit.
fn significant_digits(text: &str) -> usize {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0').trim_end_matches('0');
    // Zeros inside an integer count; trailing zeros of an integer are its magnitude.
    digits.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        for (column, name) in [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(column_name(column), name);
        }
    }

    #[test]
    fn numbers_read_as_the_shortest_decimal_or_are_refused() {
        assert_eq!(number_text(1.8).unwrap(), "1.8");
        assert_eq!(number_text(2_344_124.0).unwrap(), "2344124");
        assert_eq!(number_text(0.000_001).unwrap(), "0.000001");
        assert_eq!(number_text(1e21).unwrap(), "1000000000000000000000");
        assert_eq!(number_text(-5.8).unwrap(), "-5.8");
        assert_eq!(number_text(123_456_789_012.345).unwrap(), "123456789012.345");
        let err = number_text(19.099_999_999_999_998).unwrap_err();
        assert!(err.starts_with("holds 19.099999999999998, a number of 17 significant digits"), "{err}");
        assert!(number_text(0.1 + 0.2).is_err());
        assert!(number_text(f64::NAN).is_err());
    }

    #[test]
    fn fields_are_quoted_when_they_must_be() {
        let mut text = String::new();
        for field in ["a", "b;c", "say \"x\"", "two\nlines"] {
            push_field(field, &mut text);
            text.push(';');
        }
        assert_eq!(text, "a;\"b;c\";\"say \"\"x\"\"\";\"two\nlines\";");
    }
}
