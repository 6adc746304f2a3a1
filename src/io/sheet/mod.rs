//! A workbook's sheet (`.xlsx`, `.ods`, `.xls`) as the table text every reader reads: one line
//! per row (line 7 is row 7), one `;`-separated field per column (field 3 is column C), each
//! cell as the text it stands for. The table readers then apply the same header, sum-row and
//! no-dropped-field rules as to a CSV file, and `input::Locator` names a place as
//! `plan.xlsx, sheet Blad1, cell C7`.
//!
//! A cell is read as the sheet shows it, or refused: a number with the decimals its number
//! format shows (`6,0` under `0.0`; the shortest decimal that is the value under `General`),
//! refused when the format shows another figure (scaled, rounded, a date, nothing); text as
//! written (`5,8` in a text cell is the Swedish amount), unless it reads two ways as in a
//! `,`-separated file (`18,500`); a date as `YYYY-MM-DD`; a formula by the value stored with
//! it. Rows and columns the sheet hides, and a merged cell shown on rows it does not hold, are
//! refused unless the person says what is meant (`--hidden`). calamine reads the values (of an
//! `.xlsx`, the limits' reading of the sheet's XML keeps them as calamine reads them, so that
//! the sheet is read once: `held.rs`); the look (formats, hidden rows, merged cells) is read
//! from the file by `styles.rs` (`.xlsx`, taken in that same reading), `ods.rs` and `xls.rs`,
//! and a file whose look cannot be read is refused, never guessed at.

pub mod format;
pub mod held;
mod limits;
pub mod look;
pub mod ods;
pub mod styles;
#[cfg(test)]
pub(crate) mod test_parts;
pub mod xls;

use crate::io::error::InputError;
use crate::io::sheet::format::NumberFormat;
use crate::io::sheet::look::{Area, Look};
use crate::io::sheet::styles::Taken;
use calamine::{Data, Range, Reader, Sheets, open_workbook_auto_from_rs};
use std::collections::BTreeSet;
use std::io::Cursor;
use std::sync::atomic::{AtomicU8, Ordering};

/// What to do with the rows and columns a sheet hides, when they hold cells: without a word,
/// fordela refuses the sheet, naming them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Hidden {
    /// Read them as if they were shown.
    Include,
    /// Read the sheet as it shows: hidden rows as blank rows, hidden columns as empty ones.
    Skip,
}

/// The `--hidden` of this run (0: none given).
static HIDDEN: AtomicU8 = AtomicU8::new(0);

/// Sets what every sheet read in this run does with hidden rows and columns.
pub fn set_hidden(choice: Option<Hidden>) {
    HIDDEN.store(
        match choice {
            None => 0,
            Some(Hidden::Include) => 1,
            Some(Hidden::Skip) => 2,
        },
        Ordering::Relaxed,
    );
}

fn hidden_choice() -> Option<Hidden> {
    match HIDDEN.load(Ordering::Relaxed) {
        1 => Some(Hidden::Include),
        2 => Some(Hidden::Skip),
        _ => None,
    }
}

/// The text of one sheet of a workbook, the sheet's name, and the cells (row and column, from
/// 1) that hold dates.
#[derive(Debug)]
pub struct SheetText {
    pub sheet: String,
    pub text: String,
    pub dates: BTreeSet<(u32, u32)>,
    /// What the person should know of how the sheet was read (hidden rows read or left out).
    pub note: Option<String>,
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
    // (And the look of an .xlsx sheet, taken in that same reading of its XML.)
    let mut taken = limits::check_file(label, bytes, wanted)?;
    // A broken .ods (a table never closed) would keep calamine reading forever, and a broken
    // compound file (.xls) make it read past the file's end or loop: refused before it opens.
    let broken = |why: String| {
        InputError::file(
            label,
            format!(
                "is {kind}, and it cannot be read: {why}; open it in the spreadsheet and save it again, or save \
                 the sheet as \"CSV UTF-8\""
            ),
        )
    };
    if let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) {
        ods::well_formed(&mut zip).map_err(broken)?;
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        xls::sound(bytes).map_err(broken)?;
    }
    let cannot_open = |err: String| {
        InputError::file(
            label,
            format!(
                "is {kind}, not a CSV or TOML text file, and it cannot be opened as a workbook either ({err}): \
                 open it in the spreadsheet and save it again, or save the sheet as \"CSV UTF-8\""
            ),
        )
    };
    let mut book = guarded(|| open_workbook_auto_from_rs(Cursor::new(bytes)))
        .map_err(&cannot_open)?
        .map_err(|err| cannot_open(err.to_string()))?;
    let sheet = chosen_sheet(label, bytes, &mut book, wanted, &mut taken)?;
    // How the sheet shows its cells: without it a number's figure is a guess, so a file whose
    // look cannot be read is refused. Read first: it checks every cell's place, which
    // calamine would otherwise compute from a reference of any length.
    let (look, held) = look_of(label, &book, bytes, &sheet, &mut taken)?;
    let at = |row: u32, column: u32| format!("{label}, sheet {sheet}, cell {}{}", column_name(column), row + 1);
    // The values the scan kept, or calamine's reading of the sheet.
    let cells = held.map_or_else(|| range(label, &mut book, &sheet), Ok)?;
    // A formula stored without its value (written by a program that does not compute) would
    // read as an empty cell: it must not pass for one, wherever it is.
    // (Read only where the look met one: a second pass over the sheet's XML otherwise.)
    let formulas =
        if look.formulas {
            Some(guarded(|| book.worksheet_formula(&sheet)).map_err(|why| {
                InputError::file(&format!("{label}, sheet {sheet}"), format!("cannot be read ({why})"))
            })?)
        } else {
            None
        };
    if let Some(Ok(formulas)) = formulas
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
    let mut text = String::new();
    let Some((first_row, first_column)) = cells.start() else {
        return Ok(SheetText { sheet, text, dates: BTreeSet::new(), note: None });
    };
    let (skipped, note) = hidden_cells(label, &sheet, &cells, &look)?;
    merged_cells(&at, &cells, &look, &skipped)?;
    // Rows above the used range are blank lines, so that line numbers are row numbers.
    for _ in 0..first_row {
        text.push('\n');
    }
    let rows: Vec<&[Data]> = cells.rows().collect();
    let lines = Lines { first_row, first_column, skipped: &skipped, look: &look, at: &at };
    // A long sheet is written out in two halves side by side: each row's line is its own.
    let (text_rows, dates) = if rows.len() >= 20_000 {
        let middle = rows.len() / 2;
        let (first, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| lines.of(&rows[middle..], to_u32(middle)));
            (lines.of(&rows[..middle], 0), second.join())
        });
        let (mut text, mut dates) = first?;
        let (more, more_dates) = second.map_err(|_| InputError::file(label, "could not be read"))??;
        text.push_str(&more);
        dates.extend(more_dates);
        (text, dates)
    } else {
        lines.of(&rows, 0)?
    };
    text.push_str(&text_rows);
    Ok(SheetText { sheet, text, dates, note })
}

/// What the rows of a sheet are written out with.
struct Lines<'l> {
    first_row: u32,
    first_column: u32,
    skipped: &'l Skipped,
    look: &'l Look,
    at: &'l (dyn Fn(u32, u32) -> String + Sync),
}

impl Lines<'_> {
    /// `rows` (the `from`th row of the range first) as lines of `;`-separated fields, each cell
    /// as the text it stands for, and the cells that hold dates; or the first cell that stands
    /// for nothing fordela can read.
    fn of(&self, rows: &[&[Data]], from: u32) -> Result<(String, BTreeSet<(u32, u32)>), InputError> {
        let (first_row, first_column, look, at) = (self.first_row, self.first_column, self.look, self.at);
        let mut text = String::new();
        let mut field = String::new();
        // In order as the rows are read: made a set at once at the end.
        let mut dates = Vec::new();
        for (offset, row) in rows.iter().enumerate() {
            let row_number = first_row + from + to_u32(offset);
            if self.skipped.row(row_number) || row.iter().all(|cell| matches!(cell, Data::Empty)) {
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
                if self.skipped.column(column) {
                    continue;
                }
                field.clear();
                let format = match cell {
                    Data::Float(_) | Data::Int(_) => Some(look.format_at(row_number, column).ok_or_else(|| {
                        InputError::file(
                            &at(row_number, column),
                            "holds a number whose number format fordela cannot find in the file, so it cannot tell \
                             what the sheet shows: open the file in Excel or LibreOffice and save it as .xlsx",
                        )
                    })?),
                    _ => None,
                };
                cell_text(cell, format, &mut field)
                    .map_err(|problem| InputError::file(&at(row_number, column), problem))?;
                if matches!(cell, Data::DateTime(_) | Data::DateTimeIso(_)) {
                    dates.push((row_number + 1, column + 1));
                }
                push_field(&field, &mut text);
            }
            text.push('\n');
        }
        Ok((text, dates.into_iter().collect()))
    }
}

/// Each sheet of the workbook `bytes` read both ways, for the tests and the fuzz target that
/// compare them: its name, the values the limits' scan kept (if it kept them) and calamine's
/// reading (or its refusal), each in words. Empty when the workbook is refused before.
#[doc(hidden)]
#[must_use]
pub fn both_readings(bytes: &[u8]) -> Vec<(String, Option<String>, Result<String, String>)> {
    let mut found = Vec::new();
    let Ok(mut taken) = limits::check_file("both.xlsx", bytes, None) else { return found };
    // A workbook calamine cannot open, or a sheet whose look cannot be read, is refused before
    // any value is read.
    let Ok(Ok(mut book)) = guarded(|| open_workbook_auto_from_rs(Cursor::new(bytes))) else { return found };
    for sheet in book.sheet_names() {
        let Ok((_, held)) = look_of("both.xlsx", &book, bytes, &sheet, &mut taken) else { continue };
        let read = range("both.xlsx", &mut book, &sheet).map(|read| format!("{read:?}")).map_err(|err| err.to_string());
        found.push((sheet, held.map(|held| format!("{held:?}")), read));
    }
    found
}

/// The values of sheet `sheet`, as calamine reads them.
fn range(label: &str, book: &mut Sheets<Cursor<&[u8]>>, sheet: &str) -> Result<Range<Data>, InputError> {
    let cannot = |why: String| InputError::file(&format!("{label}, sheet {sheet}"), format!("cannot be read ({why})"));
    guarded(|| book.worksheet_range(sheet)).map_err(cannot)?.map_err(|err| cannot(err.to_string()))
}

/// `work` (calamine reading a file), or what stopped it if it panicked: a reader of other
/// people's files may fail on one it was not written for, and that is bad input (exit 2 naming
/// the file), not a crash. The panic's own report is kept off stderr meanwhile.
fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    std::panic::set_hook(report);
    result.map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("the workbook reader failed on it: {what}")
    })
}

/// The name of sheet `wanted` (in any case), or of the sheet read when none is named.
fn chosen_sheet(
    label: &str,
    bytes: &[u8],
    book: &mut Sheets<Cursor<&[u8]>>,
    wanted: Option<&str>,
    taken: &mut Taken,
) -> Result<String, InputError> {
    let names = book.sheet_names();
    let default = match wanted {
        Some(_) => None,
        None => Some(default_sheet(label, bytes, book, taken)?),
    };
    match wanted {
        Some(wanted) => names
            .iter()
            .find(|name| name.as_str() == wanted)
            .or_else(|| names.iter().find(|name| same_sheet_name(name, wanted))),
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
    })
}

/// Whether `name` is the sheet `wanted` names: the same name in any case, as Excel's sheet
/// names ignore case (an exact match is preferred where several sheets would do).
pub(crate) fn same_sheet_name(name: &str, wanted: &str) -> bool {
    name == wanted || name.to_lowercase() == wanted.to_lowercase()
}

/// The look of sheet `sheet`, read by the reader of the workbook's format; with its values as
/// calamine reads them, where the limits' scan kept them (`.xlsx`).
fn look_of(
    label: &str,
    book: &Sheets<Cursor<&[u8]>>,
    bytes: &[u8],
    sheet: &str,
    taken: &mut Taken,
) -> Result<(Look, Option<Range<Data>>), InputError> {
    let zip = || zip::ZipArchive::new(Cursor::new(bytes)).map_err(|err| format!("its zip cannot be read ({err})"));
    let look = match book {
        Sheets::Xlsx(book) => zip().and_then(|mut zip| styles::look(&mut zip, sheet, taken, book.has_1904_epoch())),
        Sheets::Ods(_) => zip().and_then(|mut zip| ods::look(&mut zip, sheet)).map(|look| (look, None)),
        Sheets::Xls(_) => xls::look(bytes, sheet).map(|look| (look, None)),
        Sheets::Xlsb(_) => Err("fordela does not read the number formats of a binary .xlsb workbook".to_string()),
    };
    look.map_err(|why| {
        InputError::file(
            &format!("{label}, sheet {sheet}"),
            format!(
                "cannot be read as it shows: fordela reads each number as its number format shows it, and {why}; \
                 open the file in Excel or LibreOffice and save it as .xlsx (or save the sheet as \"CSV UTF-8\")"
            ),
        )
    })
}

/// The hidden rows and columns a run reads as blank (`--hidden skip`).
#[derive(Default)]
struct Skipped {
    rows: BTreeSet<u32>,
    columns: BTreeSet<u32>,
}

impl Skipped {
    fn row(&self, row: u32) -> bool {
        self.rows.contains(&row)
    }

    fn column(&self, column: u32) -> bool {
        self.columns.contains(&column)
    }

    fn cell(&self, row: u32, column: u32) -> bool {
        self.row(row) || self.column(column)
    }
}

/// The hidden rows and columns of the sheet that hold cells: refused, naming them, unless
/// `--hidden` says to include them (nothing skipped) or to skip them (returned). A hidden row
/// with an amount changes the money, and the person must know which rows made the sum: fordela
/// does not count what the sheet does not show, nor leave it out, without being told.
fn hidden_cells(
    label: &str,
    sheet: &str,
    cells: &Range<Data>,
    look: &Look,
) -> Result<(Skipped, Option<String>), InputError> {
    let mut found = Skipped::default();
    if look.hidden_rows.is_empty() && look.hidden_columns.is_empty() {
        return Ok((found, None));
    }
    let (top, left) = cells.start().unwrap_or_default();
    for (row, column, cell) in cells.used_cells() {
        if matches!(cell, Data::Empty) {
            continue;
        }
        let (row, column) = (top + to_u32(row), left + to_u32(column));
        if look.hidden_rows.contains(row) {
            found.rows.insert(row);
        }
        if look.hidden_columns.contains(column) {
            found.columns.insert(column);
        }
    }
    if found.rows.is_empty() && found.columns.is_empty() {
        return Ok((found, None));
    }
    let places = hidden_places(&found);
    let are = if found.rows.len() + found.columns.len() == 1 { "is" } else { "are" };
    match hidden_choice() {
        // Said on stderr with the input's other notes: the person knows which rows made the sum.
        Some(Hidden::Skip) => {
            let note = format!("{label}, sheet {sheet}: {places} {are} hidden and left out, as --hidden skip asks");
            Ok((found, Some(note)))
        }
        Some(Hidden::Include) => {
            let note =
                format!("{label}, sheet {sheet}: {places} {are} hidden and read as if shown, as --hidden include asks");
            Ok((Skipped::default(), Some(note)))
        }
        None => Err(InputError::file(
            &format!("{label}, sheet {sheet}"),
            format!(
                "{places} {are} hidden (by a filter or by hand) and hold{} cells the sheet does not show: fordela \
                 does not count what the sheet hides, nor leave it out, without being told. Show and check them, or \
                 say which you mean: --hidden include reads them as if shown, --hidden skip reads the sheet as it \
                 shows",
                if found.rows.len() + found.columns.len() == 1 { "s" } else { "" },
            ),
        )),
    }
}

/// The hidden rows and columns that hold cells, in words: `rows 3, 5 and column F`.
fn hidden_places(found: &Skipped) -> String {
    let listed = |what: &str, places: Vec<String>| {
        const SHOWN: usize = 12;
        let count = places.len();
        let mut list = places.into_iter().take(SHOWN).collect::<Vec<_>>().join(", ");
        if count > SHOWN {
            list.push_str(" and ");
            list.push_str(&(count - SHOWN).to_string());
            list.push_str(" more");
        }
        format!("{what}{} {list}", if count == 1 { "" } else { "s" })
    };
    let mut parts = Vec::new();
    if !found.rows.is_empty() {
        parts.push(listed("row", found.rows.iter().map(|row| (row + 1).to_string()).collect()));
    }
    if !found.columns.is_empty() {
        parts.push(listed("column", found.columns.iter().map(|&column| column_name(column)).collect()));
    }
    parts.join(" and ")
}

/// Merged cells the sheet shows on more than their own cell: a value merged down several rows
/// stands in its top row alone (as in a CSV copy) though the sheet shows it on each, and a
/// value under a merge (a covered cell) is not shown at all. Both are refused at the cell.
fn merged_cells(
    at: &dyn Fn(u32, u32) -> String,
    cells: &Range<Data>,
    look: &Look,
    skipped: &Skipped,
) -> Result<(), InputError> {
    let (Some((top, left)), Some((bottom, right))) = (cells.start(), cells.end()) else {
        return Ok(());
    };
    // Merged areas do not overlap in a sound file; the work is bounded all the same.
    let mut work = 0usize;
    let budget = cells.get_size().0.saturating_mul(cells.get_size().1).saturating_mul(2).saturating_add(1 << 20);
    let holds = |row: u32, column: u32| {
        !skipped.cell(row, column) && cells.get_value((row, column)).is_some_and(|cell| !matches!(cell, Data::Empty))
    };
    for &Area { top: first_row, left: first_column, bottom: last_row, right: last_column } in &look.merged {
        let name = format!(
            "{}{}:{}{}",
            column_name(first_column),
            first_row + 1,
            column_name(last_column),
            last_row.saturating_add(1)
        );
        for row in first_row.max(top)..=last_row.min(bottom) {
            for column in first_column.max(left)..=last_column.min(right) {
                work += 1;
                if work > budget {
                    return Err(InputError::file(
                        &at(first_row, first_column),
                        format!("begins merged cells {name} that overlap others: fordela cannot tell what they show"),
                    ));
                }
                if (row, column) != (first_row, first_column) && holds(row, column) {
                    return Err(InputError::file(
                        &at(row, column),
                        format!(
                            "holds a value the sheet does not show: it lies under the merged cells {name}, which \
                             show only {}; unmerge the cells and check the value, or delete it",
                            at(first_row, first_column).rsplit(' ').next().unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        if last_row > first_row && holds(first_row, first_column) {
            return Err(InputError::file(
                &at(first_row, first_column),
                format!(
                    "is merged with the cells below it ({name}): the sheet shows its value on rows {} to {}, but \
                     only row {} holds it (as a CSV copy would), so fordela would read the rows below without it; \
                     unmerge the cells and fill the value into each row (Excel: Merge & Center ▸ Unmerge Cells, \
                     then Fill ▸ Down)",
                    first_row + 1,
                    last_row.saturating_add(1),
                    first_row + 1
                ),
            ));
        }
    }
    Ok(())
}

/// The sheet read when none is named: the workbook's only sheet with any cell. Several sheets
/// with cells (a quarter on each, an old version kept beside the new) are an error listing
/// them, and so is a hidden sheet as the only one: fordela never picks one of several, nor one
/// the user cannot see, by guess. A workbook whose sheets are all empty reads its first visible
/// sheet (and says it is empty).
fn default_sheet(
    label: &str,
    bytes: &[u8],
    book: &mut Sheets<Cursor<&[u8]>>,
    taken: &mut Taken,
) -> Result<String, InputError> {
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
        // A sheet that cannot be read is not an empty one: say so, never skip it. Its look
        // first, as for the sheet read.
        let (_, held) = look_of(label, book, bytes, name, taken)?;
        let range = held.map_or_else(|| range(label, book, name), Ok)?;
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

/// What a cell stands for, as text a reader parses (a number as `format` shows it); or why it
/// stands for nothing fordela can read.
fn cell_text(cell: &Data, format: Option<&NumberFormat>, out: &mut String) -> Result<(), String> {
    use std::fmt::Write as _;
    // (General made only for a number without a format: never, as read_sheet finds one for each.)
    let general;
    let format = if let Some(format) = format {
        format
    } else {
        general = NumberFormat::general();
        &general
    };
    match cell {
        Data::Empty => {}
        Data::String(text) => {
            // What reads two ways in a `,`-separated file reads two ways in a text cell: in an
            // English sheet `18,500` is eighteen thousand five hundred.
            if crate::io::number::ambiguous_separator(text) == Some(',') {
                return Err(format!(
                    "holds the text `{}`, which reads two ways, 1 000 times apart: with `,` between thousands (as \
                     English spreadsheets write it) or as a decimal comma (as Swedish ones do), and a text cell \
                     does not say which; type the figure into a number cell, or write a thousand without a \
                     separator (`1000`) and a decimal number with a fourth decimal (`2,3440`)",
                    text.trim()
                ));
            }
            out.push_str(text);
        }
        // With a decimal comma, as the `;`-separated text reads it: a number cell is never
        // ambiguous (`2,344` mkr), as a typed `2.344` would be.
        #[allow(clippy::cast_precision_loss)]
        Data::Int(number) => out.push_str(&format.show(*number as f64)?),
        Data::Float(number) => out.push_str(&format.show(*number)?),
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
    fn a_long_sheet_written_out_in_two_halves_is_the_sheet_written_out_whole() {
        use rust_xlsxwriter::{Format, Workbook};
        let book = |bad: &[u32]| {
            let mut book = Workbook::new();
            let sheet = book.add_worksheet();
            let date = Format::new().set_num_format("yyyy-mm-dd");
            for row in 0..20_000u32 {
                sheet.write_string(row, 1, format!("Insats {row}")).unwrap();
                sheet.write_number(row, 2, f64::from(row) * 1.5).unwrap();
                sheet.write_number_with_format(row, 3, 43_000.0 + f64::from(row % 300), &date).unwrap();
            }
            for &row in bad {
                sheet.write_string(row, 2, "18,500").unwrap();
            }
            book.save_to_buffer().unwrap()
        };
        let read = read_sheet("t.xlsx", &book(&[]), None, "a workbook").unwrap();
        let lines: Vec<&str> = read.text.lines().collect();
        assert_eq!(lines.len(), 20_000);
        // Each line from its own row, in order, across the middle (row 10 001).
        for row in [0u32, 9_999, 10_000, 10_001, 19_999] {
            let index = usize::try_from(row).unwrap();
            assert!(lines[index].starts_with(&format!(";Insats {row};")), "{}", lines[index]);
        }
        assert_eq!(read.dates.len(), 20_000);
        assert!(read.dates.contains(&(10_001, 4)) && read.dates.contains(&(20_000, 4)));
        // The first cell that cannot be read is named, in whichever half it lies.
        for (bad, named) in [(&[3_000u32, 15_000][..], "C3001"), (&[15_000], "C15001"), (&[9_999, 10_000], "C10000")] {
            let err = read_sheet("t.xlsx", &book(bad), None, "a workbook").unwrap_err();
            assert!(err.to_string().contains(&format!("cell {named}:")), "{err}");
        }
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
