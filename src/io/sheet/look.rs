//! What a sheet shows beyond the values calamine reads: each number cell's number format, the
//! rows and columns that are hidden, and the merged cells. Read from the file by the reader of
//! its format (`styles.rs` for `.xlsx`, `ods.rs`, `xls.rs`), held here in one shape, so that
//! `mod.rs` applies one rule to every workbook format.

use std::io::{BufReader, Cursor, Read};

use crate::io::sheet::format::NumberFormat;

/// How many unpacked bytes one part of a workbook (a sheet's XML, its styles) may hold for
/// fordela to read its look: far above any real sheet (a million rows of ten cells is some
/// 400 MB of XML), and a bound on the work a zip that unpacks a thousandfold can ask for.
pub const PART_LIMIT: u64 = 1 << 30;

/// The look of one sheet.
#[derive(Debug)]
pub struct Look {
    /// The number formats the file defines, by the index its cells refer to them with.
    pub formats: Vec<NumberFormat>,
    /// The format of a cell that names one the file does not define.
    unknown: NumberFormat,
    /// The number cells and the index of their format, as met (and, once finished, sorted).
    cells: Vec<NumberCells>,
    /// Once finished: the runs of rows alike, each with its number cells in `cells`.
    rows: Vec<RowRun>,
    pub hidden_rows: Spans,
    pub hidden_columns: Spans,
    pub merged: Vec<Area>,
    /// Whether the sheet may hold a formula: false only where its XML was read and has none,
    /// so that the formulas need not be read again in a pass of their own.
    pub formulas: bool,
}

/// Number cells: rows `first..=last` (an ODF row repeated; else one row), columns
/// `left..=right`, in the format of index `format`. (One flat list for a sheet, not a list per
/// row: a ledger has a row per line.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct NumberCells {
    first: u32,
    last: u32,
    left: u32,
    right: u32,
    format: u32,
}

/// Rows `first..=last` alike, and where their number cells lie in `Look::cells`.
#[derive(Debug)]
struct RowRun {
    first: u32,
    last: u32,
    cells: std::ops::Range<usize>,
}

/// A rectangle of cells, 0-based and inclusive: a merged area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub top: u32,
    pub left: u32,
    pub bottom: u32,
    pub right: u32,
}

impl Area {
    #[must_use]
    pub fn contains(&self, row: u32, column: u32) -> bool {
        (self.top..=self.bottom).contains(&row) && (self.left..=self.right).contains(&column)
    }
}

/// Sets of rows or columns, as inclusive ranges.
#[derive(Debug, Default)]
pub struct Spans(Vec<(u32, u32)>);

impl Spans {
    pub fn push(&mut self, first: u32, last: u32) {
        self.0.push((first.min(last), first.max(last)));
    }

    /// Sorted and merged, for `contains`.
    fn finish(&mut self) {
        self.0.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(self.0.len());
        for &(first, last) in &self.0 {
            match merged.last_mut() {
                Some(previous) if first <= previous.1.saturating_add(1) => previous.1 = previous.1.max(last),
                _ => merged.push((first, last)),
            }
        }
        self.0 = merged;
    }

    #[must_use]
    pub fn contains(&self, at: u32) -> bool {
        let after = self.0.partition_point(|&(first, _)| first <= at);
        after > 0 && self.0[after - 1].1 >= at
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Look {
    #[must_use]
    pub fn new(formats: Vec<NumberFormat>) -> Look {
        Look {
            formats,
            unknown: NumberFormat::unknown("a format the file names but does not hold"),
            cells: Vec::new(),
            rows: Vec::new(),
            hidden_rows: Spans::default(),
            hidden_columns: Spans::default(),
            merged: Vec::new(),
            formulas: true,
        }
    }

    /// Number cells in rows `first..=last`, columns `left..=right`, in format `format`.
    pub fn push_cells(&mut self, (first, last): (u32, u32), (left, right): (u32, u32), format: u32) {
        self.cells.push(NumberCells { first, last, left, right, format });
    }

    /// One number cell.
    pub fn push_cell(&mut self, row: u32, column: u32, format: u32) {
        self.push_cells((row, row), (column, column), format);
    }

    /// The look of later rows of the same sheet added to this one.
    pub fn append(&mut self, later: Look) {
        self.cells.extend(later.cells);
        self.hidden_rows.0.extend(later.hidden_rows.0);
        self.hidden_columns.0.extend(later.hidden_columns.0);
        self.merged.extend(later.merged);
        self.formulas |= later.formulas;
    }

    /// Ready for look-ups: runs and spans sorted (a file may list them in any order).
    pub fn finish(&mut self) {
        self.cells.sort_unstable();
        let mut runs: Vec<RowRun> = Vec::new();
        for (at, cell) in self.cells.iter().enumerate() {
            match runs.last_mut() {
                Some(run) if run.first == cell.first && run.last == cell.last => run.cells.end = at + 1,
                _ => runs.push(RowRun { first: cell.first, last: cell.last, cells: at..at + 1 }),
            }
        }
        self.rows = runs;
        self.hidden_rows.finish();
        self.hidden_columns.finish();
    }

    /// The number format of the number cell at (`row`, `column`); `None` when the file holds no
    /// number cell there (calamine and this reader disagree: fordela then reads nothing).
    #[must_use]
    pub fn format_at(&self, row: u32, column: u32) -> Option<&NumberFormat> {
        let after = self.rows.partition_point(|run| run.first <= row);
        // Runs do not overlap: the last one starting at or above `row` is the one that can hold it.
        let run = self.rows[..after].last().filter(|run| run.last >= row)?;
        let cells = &self.cells[run.cells.clone()];
        let after = cells.partition_point(|cell| cell.left <= column);
        let &NumberCells { right, format, .. } = cells[..after].last()?;
        if right < column {
            return None;
        }
        Some(usize::try_from(format).ok().and_then(|index| self.formats.get(index)).unwrap_or(&self.unknown))
    }
}

/// A reader of `inner` that fails once it has given `limit` bytes, instead of reading on.
pub struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R> Bounded<R> {
    /// `inner`, bounded by `PART_LIMIT`.
    pub fn new(inner: R) -> Bounded<R> {
        Bounded { inner, left: PART_LIMIT, limit: PART_LIMIT }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more tells a part of exactly `limit` bytes from a longer one.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "a part of the file unpacks to more than {} MiB",
                    self.limit >> 20
                ))),
            };
        }
        let want = usize::try_from(self.left).unwrap_or(usize::MAX).min(buf.len());
        let read = self.inner.read(&mut buf[..want])?;
        self.left -= read as u64;
        Ok(read)
    }
}

pub type Zip<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;
pub type XmlPart<'z, 'b> = quick_xml::Reader<BufReader<Bounded<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>>>;

/// The XML part `name` of a zipped workbook, streamed and bounded; `None` when the file has no
/// such part. Names are matched as calamine matches them (case and `\` aside).
pub fn xml_part<'z, 'b>(zip: &'z mut Zip<'b>, name: &str) -> Result<Option<XmlPart<'z, 'b>>, String> {
    let Some(index) = part_index(zip, name) else {
        return Ok(None);
    };
    let file = zip.by_index(index).map_err(|err| format!("its part {name} cannot be unpacked ({err})"))?;
    Ok(Some(xml_reader(BufReader::new(Bounded::new(file)))))
}

/// XML read as the spreadsheet library reads it, whose events every reading of a part must see
/// alike.
pub fn xml_reader<R: std::io::BufRead>(part: R) -> quick_xml::Reader<R> {
    let mut reader = quick_xml::Reader::from_reader(part);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}

/// The index in the zip of the part `xml_part` reads as `name`.
#[must_use]
pub fn part_index(zip: &Zip<'_>, name: &str) -> Option<usize> {
    let wanted = name.replace('\\', "/").to_ascii_lowercase();
    (0..zip.len()).find(|&index| {
        zip.name_for_index(index).is_some_and(|found| found.replace('\\', "/").to_ascii_lowercase() == wanted)
    })
}

/// The value of attribute `name` (matched by its local name, without a namespace prefix when
/// `name` has none), unescaped.
#[must_use]
pub fn attribute(element: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| {
            attribute.key.as_ref() == name || (!name.contains(&b':') && attribute.key.local_name().as_ref() == name)
        })
        .and_then(|attribute| {
            let raw = String::from_utf8_lossy(&attribute.value);
            quick_xml::escape::unescape(&raw).ok().map(std::borrow::Cow::into_owned)
        })
}

/// For each of `names`, its attribute's value as `attribute` finds it (the first of that name,
/// unescaped; none when it cannot be), given to `found` with the name's index: the attributes
/// walked once, and nothing copied unless escaped.
pub fn each_attribute(element: &quick_xml::events::BytesStart<'_>, names: &[&[u8]], found: impl FnMut(usize, &str)) {
    walk_attributes(element, &[], |_, _| {}, names, found);
}

/// `each_attribute` for `looked`, and in the same walk, for each of `exact`, the raw value of
/// the first attribute whose whole key it is (as the spreadsheet library matches them), given
/// to `raw`: one walk for the limits' scan and the look of a cell. Whether every attribute
/// could be read (a broken or repeated one makes the library fail on the element).
pub fn walk_attributes(
    element: &quick_xml::events::BytesStart<'_>,
    exact: &[&[u8]],
    mut raw: impl FnMut(usize, &[u8]),
    looked: &[&[u8]],
    mut found: impl FnMut(usize, &str),
) -> bool {
    let (mut seen_exact, mut seen) = (0u32, 0u32);
    let mut sound = true;
    for attribute in element.attributes() {
        let Ok(attribute) = attribute else {
            sound = false;
            continue;
        };
        let key = attribute.key;
        if let Some(which) = exact.iter().position(|name| key.as_ref() == *name)
            && seen_exact & (1 << which) == 0
        {
            seen_exact |= 1 << which;
            raw(which, &attribute.value);
        }
        let Some(which) = looked
            .iter()
            .position(|name| key.as_ref() == *name || (!name.contains(&b':') && key.local_name().as_ref() == *name))
        else {
            continue;
        };
        if seen & (1 << which) != 0 {
            continue;
        }
        seen |= 1 << which;
        let text = String::from_utf8_lossy(&attribute.value);
        if let Ok(value) = quick_xml::escape::unescape(&text) {
            found(which, &value);
        }
    }
    sound
}

/// An attribute that says yes (`1`, `true`).
#[must_use]
pub fn is_true(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "true"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_hold_their_rows_and_cells_their_formats() {
        let mut look = Look::new(vec![NumberFormat::general(), NumberFormat::from_code("0.00")]);
        look.push_cell(5, 2, 1);
        look.push_cells((7, 9), (0, 3), 0);
        look.push_cell(1, 1, 7);
        look.hidden_rows.push(4, 6);
        look.hidden_rows.push(7, 7);
        look.hidden_rows.push(100, 1_048_575);
        look.finish();
        assert_eq!(look.format_at(5, 2).map(|format| format.code.as_str()), Some("0.00"));
        assert_eq!(look.format_at(8, 3).map(|format| format.code.as_str()), Some("General"));
        assert!(look.format_at(8, 4).is_none());
        assert!(look.format_at(6, 2).is_none());
        assert!(look.format_at(1, 1).is_some_and(|format| format.code.contains("does not hold")));
        for row in [4, 5, 6, 7, 100, 500_000] {
            assert!(look.hidden_rows.contains(row), "{row}");
        }
        for row in [3, 8, 99] {
            assert!(!look.hidden_rows.contains(row), "{row}");
        }
    }
}
