//! An `.ods` as the library reads it: `content.xml` at once, every table into memory, each
//! `table:number-columns-repeated` cell copied that many times as it is read and each
//! `table:number-rows-repeated` row when the table's range is filled. One row repeated a
//! million times between two values is a million rows of the table's width; one `<text:s
//! text:c="…">` is that many spaces. So the counts are made here first, as the library makes
//! them (its caps included), and the workbook's tables are counted together, as they are held.

use super::{Span, Stop, Tally, cell_name, damaged, xml_reader};
use crate::io::error::InputError;
use crate::io::limits;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// The library's caps on a table: rows and columns beyond them are dropped.
const MAX_ROWS: u64 = 1 << 20;
const MAX_COLUMNS: u64 = 1 << 14;

/// The tables of `content.xml`, counted into `tally` (the workbook's, all tables together).
pub(super) fn scan<R: BufRead>(label: &str, part: R, tally: &mut Tally) -> Result<(), Stop> {
    let mut xml = xml_reader(part);
    let mut buf = Vec::new();
    let mut text: u64 = 0;
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(element)) if element.name().as_ref() == b"table:table" => {
                let name = element
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"table:name")
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                if let Some(name) = name {
                    table(&format!("{label}, sheet {name}"), &mut xml, tally, &mut text)?;
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The rows of one table with a cell holding something (a value, or a formula): the first
/// and last column of such a cell, counted apart for the values and the formulas, as the
/// library makes a range of each.
#[derive(Debug, Default)]
struct Extent {
    /// Rows (repeats counted) before the first row with such a cell, and up to the last.
    start: Option<u64>,
    end: u64,
    left: u64,
    right: u64,
}

impl Extent {
    /// A row entry from table row `row` on, repeated `repeats` times, whose cells hold
    /// something from column `columns.0` to `columns.1`.
    fn add(&mut self, row: u64, repeats: u64, columns: Option<(u64, u64)>) {
        let Some((left, right)) = columns else { return };
        if self.start.is_none() {
            self.start = Some(row);
            (self.left, self.right) = (left, right);
        }
        self.left = self.left.min(left);
        self.right = self.right.max(right);
        self.end = row + repeats;
    }

    /// The range the library fills: every row from the first to the last, repeats written
    /// out, by every column from the leftmost to the rightmost.
    fn span(&self) -> Option<Span> {
        let start = self.start?;
        // A row repeated zero times (as the cap leaves it) still counts as one here.
        let bottom = self.end.max(start + 1) - 1;
        Some(Span { top: start, left: self.left, bottom, right: self.right })
    }
}

/// One `table:table`, to its end.
fn table<R: BufRead>(place: &str, xml: &mut Reader<R>, tally: &mut Tally, text: &mut u64) -> Result<(), Stop> {
    let mut buf = Vec::new();
    let mut rows: u64 = 0;
    let (mut values, mut formulas) = (Extent::default(), Extent::default());
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(element)) if element.name().as_ref() == b"table:table-row" => {
                let repeats = repeat_count(xml, &element, b"table:number-rows-repeated")?;
                let repeats = repeats.min(MAX_ROWS - rows);
                let row = row(place, xml, rows, tally, text)?;
                values.add(rows, repeats, row.values);
                formulas.add(rows, repeats, row.formulas);
                rows += repeats;
            }
            Ok(Event::End(element)) if element.name().as_ref() == b"table:table" => break,
            // The library reads on past the end of the file, for ever, looking for the end
            // of the table.
            Ok(Event::Eof) => return Err(damaged(place, "its table never ends (content.xml stops inside it)").into()),
            Err(_) => return Err(Stop::Unreadable),
            _ => {}
        }
    }
    // Each range filled in: the larger of the two is what the table spans.
    let spans = [values.span(), formulas.span()];
    let Some(used) = spans.iter().flatten().max_by_key(|span| span.cells()).copied() else { return Ok(()) };
    tally.used = Some(used);
    tally.check_range(place)?;
    tally.earlier = tally.earlier.saturating_add(used.cells());
    tally.used = None;
    Ok(())
}

/// A row's cells holding something: the first and last column of the values and of the
/// formulas.
struct Row {
    values: Option<(u64, u64)>,
    formulas: Option<(u64, u64)>,
}

fn widen(columns: &mut Option<(u64, u64)>, from: u64, to: u64) {
    *columns = Some(columns.map_or((from, to), |(left, right)| (left.min(from), right.max(to))));
}

/// One `table:table-row`, to its end: its cells stored as the library stores them (empty
/// cells only when a cell holding something follows, repeats copied).
fn row<R: BufRead>(place: &str, xml: &mut Reader<R>, row: u64, tally: &mut Tally, text: &mut u64) -> Result<Row, Stop> {
    let mut buf = Vec::new();
    let mut skip = Vec::new();
    let mut stored: u64 = 0;
    let mut empty: u64 = 0;
    let mut found = Row { values: None, formulas: None };
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(element))
                if matches!(element.name().as_ref(), b"table:table-cell" | b"table:covered-table-cell") =>
            {
                let repeats = cell_repeats(xml, &element)?;
                // Where the cell's value lands: after the empty cells before it.
                let at = cell_place(place, row, stored + empty.min(MAX_COLUMNS - stored));
                let cell = cell(&at, xml, &element)?;
                let empties = empty.min(MAX_COLUMNS - stored);
                tally.store(place, empties)?;
                stored += empties;
                empty = 0;
                let repeats = repeats.min(MAX_COLUMNS - stored);
                if !cell.value && cell.formula == 0 {
                    empty = repeats;
                } else if repeats > 0 {
                    if cell.value {
                        widen(&mut found.values, stored, stored + repeats - 1);
                    }
                    if cell.formula > 0 {
                        widen(&mut found.formulas, stored, stored + repeats - 1);
                    }
                    tally.store(place, repeats)?;
                    *text = text.saturating_add(cell.text.saturating_add(cell.formula).saturating_mul(repeats));
                    if *text > limits::max_unpacked().0 {
                        return Err(InputError::file(
                            &at,
                            format!(
                                "makes the workbook's cells hold more than {} of text once its repeated cells are \
                                 written out: {}",
                                limits::max_unpacked(),
                                limits::raise_unpacked()
                            ),
                        )
                        .into());
                    }
                    stored += repeats;
                }
                if !cell.closed {
                    skip.clear();
                    xml.read_to_end_into(element.name(), &mut skip).map_err(|_| Stop::Unreadable)?;
                }
            }
            Ok(Event::End(element)) if element.name().as_ref() == b"table:table-row" => return Ok(found),
            // Anything else in a row stops the library.
            _ => return Err(Stop::Unreadable),
        }
    }
}

/// `place, cell C7` for (row, column), 0-based.
fn cell_place(place: &str, row: u64, column: u64) -> String {
    format!("{place}, cell {}", cell_name(row, column))
}

/// A row's repeat count, as the library reads it (a count that is not a number stops it).
fn repeat_count<R: BufRead>(xml: &Reader<R>, element: &BytesStart<'_>, name: &[u8]) -> Result<u64, Stop> {
    match element.try_get_attribute(name) {
        Ok(Some(attribute)) => attribute
            .decode_and_unescape_value(xml.decoder())
            .ok()
            .and_then(|count| count.parse::<usize>().ok())
            .map(|count| count as u64)
            .ok_or(Stop::Unreadable),
        Ok(None) => Ok(1),
        Err(_) => Err(Stop::Unreadable),
    }
}

/// A cell's repeat count: its first `table:number-columns-repeated`.
fn cell_repeats<R: BufRead>(xml: &Reader<R>, element: &BytesStart<'_>) -> Result<u64, Stop> {
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|_| Stop::Unreadable)?;
        if attribute.key.as_ref() == b"table:number-columns-repeated" {
            return xml
                .decoder()
                .decode(&attribute.value)
                .ok()
                .and_then(|count| count.parse::<usize>().ok())
                .map(|count| count as u64)
                .ok_or(Stop::Unreadable);
        }
    }
    Ok(1)
}

/// What one cell holds, as far as the limits go.
struct Cell {
    /// Whether it has a value (a text cell's, even empty, counts).
    value: bool,
    /// The most bytes of text of its value, and of its formula.
    text: u64,
    formula: u64,
    /// Whether its end has been read (a text cell's content is).
    closed: bool,
}

/// A cell's value and formula from its attributes, and a text cell's text from its content,
/// as the library reads them; `at` names the cell. Its text is held to the field limit as it
/// grows, as the library writes it out (it does before it knows the cell ends well).
fn cell<R: BufRead>(at: &str, xml: &mut Reader<R>, element: &BytesStart<'_>) -> Result<Cell, Stop> {
    let over = |text: u64| -> Result<(), Stop> {
        if limits::field_over(usize::try_from(text).unwrap_or(usize::MAX)) {
            return Err(InputError::file(at, limits::field_too_long(text)).into());
        }
        Ok(())
    };
    let mut cell = Cell { value: false, text: 0, formula: 0, closed: false };
    let (mut string, mut set) = (false, false);
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|_| Stop::Unreadable)?;
        let size = attribute.value.len() as u64;
        match attribute.key.as_ref() {
            b"office:value" | b"office:boolean-value" if !set => (cell.value, set) = (true, true),
            b"office:string-value" | b"office:date-value" | b"office:time-value" if !set => {
                (cell.value, set, cell.text) = (true, true, size);
            }
            b"office:value-type" if !set => string = &*attribute.value == b"string",
            b"table:formula" => cell.formula = size,
            _ => {}
        }
    }
    over(cell.text)?;
    if set || !string {
        return Ok(cell);
    }
    // A text cell without `office:string-value`: its paragraphs, joined by line breaks.
    cell.value = true;
    let mut buf = Vec::new();
    let mut first = true;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Text(content)) => {
                cell.text = cell.text.saturating_add(content.len() as u64);
                over(cell.text)?;
            }
            Ok(Event::GeneralRef(_)) => cell.text = cell.text.saturating_add(4),
            Ok(Event::End(end)) if matches!(end.name().as_ref(), b"table:table-cell" | b"table:covered-table-cell") => {
                cell.closed = true;
                return Ok(cell);
            }
            Ok(Event::Start(start)) if start.name().as_ref() == b"office:annotation" => loop {
                buf.clear();
                match xml.read_event_into(&mut buf) {
                    Ok(Event::End(end)) if end.name().as_ref() == b"office:annotation" => break,
                    // The library reads on past the end of the file, for ever.
                    Ok(Event::Eof) => {
                        return Err(damaged(at, "a comment (office:annotation) never ends").into());
                    }
                    Err(_) => return Err(Stop::Unreadable),
                    _ => {}
                }
            },
            Ok(Event::Start(start)) if start.name().as_ref() == b"text:p" => {
                if !first {
                    cell.text = cell.text.saturating_add(1);
                }
                first = false;
            }
            Ok(Event::Start(start)) if start.name().as_ref() == b"text:s" => {
                let spaces = match start.try_get_attribute("text:c") {
                    Ok(Some(count)) => count
                        .decode_and_unescape_value(xml.decoder())
                        .ok()
                        .and_then(|count| count.parse::<usize>().ok())
                        .ok_or(Stop::Unreadable)?,
                    Ok(None) => 1,
                    Err(_) => return Err(Stop::Unreadable),
                };
                cell.text = cell.text.saturating_add(spaces as u64);
                over(cell.text)?;
            }
            Ok(Event::Eof) | Err(_) => return Err(Stop::Unreadable),
            _ => {}
        }
    }
}
