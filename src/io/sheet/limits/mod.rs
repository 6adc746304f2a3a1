//! A workbook held to fordela's limits (`io::limits`) before the spreadsheet library opens it.
//!
//! The library trusts what a file says: it reads a zip part to its end however large it
//! unpacks, sets aside memory for every cell of a sheet's used range (one stray cell at
//! `XFD1048576` is 17 billion of them), expands `.ods` repeat counts and `.xls` string
//! references, and reserves what a file declares. None of that can be bounded from outside
//! once it has started, so the file is scanned here first, streaming and counting, the way the
//! library will read it: each zip part inflated once and counted as it inflates (a declared
//! size can lie), and every sheet's cells placed as the library places them. A workbook over a
//! limit is refused naming the limit and how to raise it; one the library would choke on (a
//! range beyond the sheet's edge, a broken `.xls` sector chain) is refused as damaged.

mod ods;
mod xls;
mod xlsx;

use crate::io::error::InputError;
use crate::io::limits;
use crate::io::sheet::column_name;
use crate::io::sheet::held::SheetValues;
use crate::io::sheet::look::{PART_LIMIT, xml_reader};
use crate::io::sheet::styles::{SheetLook, Taken};
use std::cell::RefCell;
use std::io::{Cursor, Read};

/// Checks the workbook `bytes` (named `label`) against the limits, before it is opened; with
/// the looks and values of its `.xlsx` sheets, taken in the same reading of their XML (the
/// values of sheet `wanted` only, when one is named).
pub fn check_file(label: &str, bytes: &[u8], wanted: Option<&str>) -> Result<Taken, InputError> {
    // The library tries each format in turn, whatever the first bytes say, and a zip is found
    // from its end (any bytes may come before it): every check that may apply is made.
    if bytes.starts_with(&xls::SIGNATURE) {
        xls::check(label, bytes)?;
    }
    check_zip(label, bytes, wanted)
}

/// The rows and columns a sheet of each format can have: a place beyond them is damage.
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    rows: u64,
    columns: u64,
}

const XLSX_EDGE: Edge = Edge { rows: 1 << 20, columns: 1 << 14 };

/// A range of cells, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    top: u64,
    left: u64,
    bottom: u64,
    right: u64,
}

impl Span {
    fn cells(&self) -> u64 {
        (self.bottom - self.top + 1).saturating_mul(self.right - self.left + 1)
    }

    fn with(self, row: u64, column: u64) -> Span {
        Span {
            top: self.top.min(row),
            left: self.left.min(column),
            bottom: self.bottom.max(row),
            right: self.right.max(column),
        }
    }

    fn at(row: u64, column: u64) -> Span {
        Span { top: row, left: column, bottom: row, right: column }
    }

    /// `A1:XFD1048576`, as the sheet names it.
    fn name(&self) -> String {
        format!("{}:{}", cell_name(self.top, self.left), cell_name(self.bottom, self.right))
    }
}

/// `C7` for row 6, column 2 (0-based); places beyond `u32` are named all the same.
fn cell_name(row: u64, column: u64) -> String {
    format!("{}{}", column_name(u32::try_from(column).unwrap_or(u32::MAX)), row + 1)
}

/// What the cells of one sheet (or, where the library holds every sheet at once, of the
/// whole workbook) ask the library to hold.
#[derive(Debug, Default)]
struct Tally {
    /// Cells stored (each a value the library keeps), however few places they cover.
    stored: u64,
    /// The range of the cells with a value or a formula.
    used: Option<Span>,
    /// Cells of the ranges counted before this sheet (the workbook's other sheets).
    earlier: u64,
}

impl Tally {
    /// Counts `cells` stored cells, refusing them past the limit.
    fn store(&mut self, place: &str, cells: u64) -> Result<(), InputError> {
        self.stored = self.stored.saturating_add(cells);
        if self.stored > limits::max_cells() {
            return Err(InputError::file(
                place,
                format!("stores more than {} cells: {}", limits::max_cells(), limits::raise_cells()),
            ));
        }
        Ok(())
    }

    /// A cell with a value or a formula at (`row`, `column`).
    fn place(&mut self, row: u64, column: u64) {
        self.used = Some(self.used.map_or(Span::at(row, column), |span| span.with(row, column)));
    }

    /// Refuses the used range when it (with the ranges counted before) spans more cells than
    /// the limit.
    fn check_range(&self, place: &str) -> Result<(), InputError> {
        let Some(used) = self.used else { return Ok(()) };
        let cells = used.cells();
        let total = cells.saturating_add(self.earlier);
        if total <= limits::max_cells() {
            return Ok(());
        }
        let together = if self.earlier > 0 {
            format!(", {total} with the workbook's other sheets, which are read together")
        } else {
            String::new()
        };
        Err(InputError::file(
            place,
            format!(
                "has cells from {} to at least {} (reading stops at the limit), a range of at least {cells} cells{together}: {}",
                cell_name(used.top, used.left),
                cell_name(used.bottom, used.right),
                limits::raise_cells()
            ),
        ))
    }
}

/// A refusal for a file the library would misread or choke on.
fn damaged(place: &str, what: &str) -> InputError {
    InputError::file(
        place,
        format!(
            "is damaged: {what}. Open it in the spreadsheet and save it again (or save the sheet as \"CSV UTF-8\")"
        ),
    )
}

/// Checks a range the file declares (`A1:D10`) against the edge of the sheet.
fn check_declared(place: &str, span: Span, edge: Edge) -> Result<(), InputError> {
    if span.bottom >= edge.rows || span.right >= edge.columns || span.bottom < span.top || span.right < span.left {
        return Err(damaged(
            place,
            &format!(
                "it declares the range {}, which is not a range of a sheet of {} rows and {} columns",
                span.name(),
                edge.rows,
                edge.columns
            ),
        ));
    }
    Ok(())
}

/// Why a scan of a part stopped early.
#[derive(Debug)]
enum Stop {
    /// Over a limit, or damaged: the refusal.
    Refused(InputError),
    /// The part is not what the scan reads (malformed XML, another kind of part): the library
    /// fails on it as well, or never reads it as a sheet.
    Unreadable,
}

impl From<InputError> for Stop {
    fn from(err: InputError) -> Stop {
        Stop::Refused(err)
    }
}

/// The unpacked bytes of a zip, counted across its parts.
struct Unpacked {
    total: u64,
    breach: Option<InputError>,
}

/// A part being inflated, counted as it comes: refused once it passes the size the zip
/// declares for it (the library would read on) or the workbook's limit.
struct Counted<'u, R> {
    inner: R,
    label: &'u str,
    name: &'u str,
    declared: u64,
    read: u64,
    unpacked: &'u RefCell<Unpacked>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(buf)?;
        self.read += count as u64;
        let mut unpacked = self.unpacked.borrow_mut();
        unpacked.total += count as u64;
        let breach = if self.read > self.declared {
            Some(damaged(
                self.label,
                &format!(
                    "its part `{}` unpacks to more than the {} bytes the file declares for it (a file built to fill \
                     memory says less than it holds)",
                    self.name, self.declared
                ),
            ))
        } else if unpacked.total > limits::max_unpacked().0 {
            Some(InputError::file(
                self.label,
                format!(
                    "unpacks to more than {} (its part `{}` passes the limit): {}",
                    limits::max_unpacked(),
                    self.name,
                    limits::raise_unpacked()
                ),
            ))
        } else {
            None
        };
        if let Some(breach) = breach {
            unpacked.breach.get_or_insert(breach);
            return Err(std::io::Error::other("over the limit"));
        }
        Ok(count)
    }
}

/// The most parts a workbook may have: every zip entry is held in memory while it is open,
/// and a workbook has tens (a part per sheet, style, image).
const MAX_PARTS: u64 = 65_535;

/// A zip workbook (`.xlsx`, `.ods`): its parts counted as they inflate, every sheet's cells
/// placed, and the shared strings' and repeated cells' text counted as written out.
fn check_zip(label: &str, bytes: &[u8], wanted: Option<&str>) -> Result<Taken, InputError> {
    if let Some(parts) = declared_parts(bytes)
        && parts > MAX_PARTS
    {
        return Err(damaged(
            label,
            &format!("it declares {parts} parts, where a workbook has tens and a zip without extensions 65 535"),
        ));
    }
    // A file the zip reader cannot open, the library cannot either: its own message follows.
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(Taken::default()) };
    let declared = (0..zip.len())
        .filter_map(|index| zip.by_index_raw(index).ok().map(|part| part.size()))
        .fold(0u64, u64::saturating_add);
    if declared > limits::max_unpacked().0 {
        return Err(InputError::file(
            label,
            format!("unpacks to {declared} bytes, as its parts declare: {}", limits::raise_unpacked()),
        ));
    }
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    // Binary workbooks (`.xlsb`) are not scanned here, so not read at all.
    if names.iter().any(|name| normalised(name) == "xl/workbook.bin")
        && !names.iter().any(|name| normalised(name) == "xl/workbook.xml")
    {
        return Err(InputError::file(
            label,
            "is an Excel binary workbook (.xlsb), which fordela does not read: in Excel, save it as \"Excel \
             Workbook (.xlsx)\", or save the sheet as \"CSV UTF-8\"",
        ));
    }
    let unpacked = RefCell::new(Unpacked { total: 0, breach: None });
    // The parts the library reads by name, as it finds them: in any case, the last of a name.
    let find = |wanted: &str| names.iter().rposition(|name| normalised(name) == wanted);
    let mut order: Vec<usize> = Vec::with_capacity(names.len());
    // The shared strings first (a sheet's cells count their text), and the workbook and its
    // relations (to name a part by its sheet).
    let strings_at = find("xl/sharedstrings.xml");
    let (workbook_at, relations_at) = (find("xl/workbook.xml"), find("xl/_rels/workbook.xml.rels"));
    let first: Vec<usize> = [strings_at, workbook_at, relations_at].into_iter().flatten().collect();
    order.extend(&first);
    order.extend((0..names.len()).filter(|index| !first.contains(index)));
    let mut strings = xlsx::Strings::default();
    let mut sheet_names = xlsx::SheetNames::default();
    let mut workbook_text = None;
    let mut ods_tally = Tally::default();
    let mut looks = Taken::default();
    // The looks kept for after the scan hold at most as many cells as one sheet may: a
    // workbook of many large sheets has the others' looks read alone, one at a time, as
    // before the scan took them.
    let mut kept_cells: u64 = 0;
    for index in order {
        // A part that cannot be inflated here (encrypted, an unknown method) cannot be by the
        // library either.
        let special = [strings_at, workbook_at, relations_at].contains(&Some(index))
            || normalised(&names[index]) == "content.xml";
        let place = match sheet_names.of(&names[index]) {
            Some(sheet) => format!("{label}, sheet {sheet}"),
            None => format!("{label}, part {}", names[index]),
        };
        // The values of the sheet that will be read only, when one is named (a sheet named in
        // another case is that sheet, as for the reading).
        let read = wanted.is_none_or(|wanted| {
            sheet_names.of(&names[index]).is_some_and(|sheet| crate::io::sheet::same_sheet_name(sheet, wanted))
        });
        // A large sheet scanned in two halves side by side, if it can be.
        if !special
            && let Some(scanned) =
                in_halves(&mut zip, index, label, &place, read, &unpacked, &strings, &mut looks, &mut kept_cells)
        {
            match scanned {
                Err(Stop::Refused(err)) => return Err(unpacked.borrow_mut().breach.take().unwrap_or(err)),
                Ok(()) | Err(Stop::Unreadable) => continue,
            }
        }
        let Ok(part) = zip.by_index(index) else { continue };
        let name = names[index].clone();
        let declared = part.size();
        let counted = Counted { inner: part, label, name: &name, declared, read: 0, unpacked: &unpacked };
        let mut reader = std::io::BufReader::new(counted);
        let scanned = if Some(index) == strings_at {
            xlsx::shared_strings(label, &mut reader).map(|found| strings = found)
        } else if Some(index) == workbook_at || Some(index) == relations_at {
            let mut text = String::new();
            match (&mut reader).take(limits::max_unpacked().0).read_to_string(&mut text) {
                Ok(_) if Some(index) == workbook_at => workbook_text = Some(text),
                Ok(_) => {
                    if let Some(workbook) = &workbook_text {
                        sheet_names = xlsx::SheetNames::from(workbook, &text);
                    }
                }
                Err(_) => {}
            }
            Ok(())
        } else if normalised(&name) == "content.xml" {
            ods::scan(label, &mut reader, &mut ods_tally)
        } else {
            let (scanned, look, values) =
                scan_sheet(declared, read, |look, values| xlsx::sheet(&place, &mut reader, &strings, look, values));
            keep(index, scanned, look, values, &mut looks, &mut kept_cells)
        };
        match scanned {
            Err(Stop::Refused(err)) => return Err(unpacked.borrow_mut().breach.take().unwrap_or(err)),
            Ok(()) | Err(Stop::Unreadable) => {}
        }
        // The rest of the part is inflated too: the library may read all of it.
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
        if let Some(breach) = unpacked.borrow_mut().breach.take() {
            return Err(breach);
        }
    }
    looks.set_strings(strings.texts.take());
    Ok(looks)
}

/// A sheet part scanned by `scan` (given a look and values to take, unless the part is too
/// large for the look's own reading, which is then left to it).
fn scan_sheet<T>(
    declared: u64,
    read: bool,
    scan: impl FnOnce(&mut Option<SheetLook>, &mut Option<SheetValues>) -> T,
) -> (T, Option<SheetLook>, Option<SheetValues>) {
    let mut look = (declared <= PART_LIMIT).then(SheetLook::new);
    let mut values = (declared <= PART_LIMIT && read).then(SheetValues::default);
    let scanned = scan(&mut look, &mut values);
    (scanned, look, values)
}

/// The look and values of the sheet part `index`, scanned, kept in `looks` while all those kept
/// hold no more cells than one sheet may (`kept_cells`): a workbook of many large sheets has
/// the others' looks read alone, one at a time, and their values read by the library.
fn keep(
    index: usize,
    scanned: Result<(), Stop>,
    look: Option<SheetLook>,
    values: Option<SheetValues>,
    looks: &mut Taken,
    kept_cells: &mut u64,
) -> Result<(), Stop> {
    if scanned.is_ok()
        && let Some(look) = look
        && kept_cells.saturating_add(look.cells()) <= limits::max_cells()
    {
        *kept_cells += look.cells();
        looks.insert(index, look);
    }
    if scanned.is_ok()
        && let Some(values) = values
        && kept_cells.saturating_add(values.cells.len() as u64) <= limits::max_cells()
    {
        *kept_cells += values.cells.len() as u64;
        looks.insert_values(index, values);
    }
    scanned
}

/// The sizes of a sheet's XML scanned in two halves side by side (`xlsx::sheet_in_halves`),
/// held in memory meanwhile: from where that pays, up to what is worth holding at once (a
/// ledger of some 200 000 rows; a larger sheet is scanned as it unpacks).
const IN_MEMORY: std::ops::RangeInclusive<u64> = (4 << 20)..=(64 << 20);

/// Part `index` scanned in two halves side by side, when it declares a size in `IN_MEMORY` and
/// unpacks within the limits; else `None`, with the count of unpacked bytes as it was, so that
/// the part is scanned as it unpacks and a part over a limit is refused where that scan finds
/// it, in its words.
#[allow(clippy::too_many_arguments)]
fn in_halves(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    label: &str,
    place: &str,
    read: bool,
    unpacked: &RefCell<Unpacked>,
    strings: &xlsx::Strings,
    looks: &mut Taken,
    kept_cells: &mut u64,
) -> Option<Result<(), Stop>> {
    let part = zip.by_index(index).ok()?;
    let declared = part.size();
    if !IN_MEMORY.contains(&declared) {
        return None;
    }
    let name = part.name().to_string();
    let before = unpacked.borrow().total;
    let counted = Counted { inner: part, label, name: &name, declared, read: 0, unpacked };
    let (scanned, look, values) = scan_sheet(declared, read, |look, values| {
        xlsx::sheet_in_halves(place, counted, declared, strings, look, values)
    });
    let Some(scanned) = scanned else {
        let mut count = unpacked.borrow_mut();
        count.total = before;
        count.breach = None;
        return None;
    };
    Some(keep(index, scanned.map(|_| ()), look, values, looks, kept_cells))
}

/// A zip path as the library looks it up: `/` for `\`, in any case.
fn normalised(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

/// The number of entries the zip's end record declares (its zip64 record's, when it has one),
/// read before the zip reader holds them all.
fn declared_parts(bytes: &[u8]) -> Option<u64> {
    const END: &[u8] = b"PK\x05\x06";
    const END64_LOCATOR: &[u8] = b"PK\x06\x07";
    let from = bytes.len().saturating_sub(22 + 65_535);
    let at = from + bytes[from..].windows(4).rposition(|window| window == END)?;
    let end = bytes.get(at..at + 22)?;
    let parts = u64::from(u16::from_le_bytes([end[10], end[11]]));
    let locator = at.checked_sub(20).and_then(|start| bytes.get(start..at)).filter(|l| l.starts_with(END64_LOCATOR));
    let Some(locator) = locator else { return Some(parts) };
    let offset = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let record = bytes.get(offset..offset.checked_add(56)?)?;
    Some(u64::from_le_bytes(record[32..40].try_into().ok()?).max(parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::sheet::test_parts::with_part;

    /// A workbook of two sheets with all a look holds: number formats, hidden rows and
    /// columns, merged cells, a formula.
    fn workbook_with_a_look() -> Vec<u8> {
        use rust_xlsxwriter::{Format, Formula, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("Blad1").unwrap();
        let tenths = Format::new().set_num_format("0.0");
        let thousands = Format::new().set_num_format("#,##0,");
        sheet.write_string(0, 0, "Kod").unwrap();
        for row in 1..40u32 {
            sheet.write_number_with_format(row, 1, f64::from(row) / 10.0, &tenths).unwrap();
            sheet.write_number_with_format(row, 3, f64::from(row) * 1000.0, &thousands).unwrap();
            sheet.write_number(row, 5, f64::from(row)).unwrap();
        }
        sheet.set_row_hidden(7).unwrap();
        sheet.set_column_hidden(4).unwrap();
        sheet.merge_range(41, 0, 43, 1, "merged", &Format::new()).unwrap();
        sheet.write_formula(44, 1, Formula::new("=SUM(B2:B40)").set_result("78")).unwrap();
        let other = book.add_worksheet().set_name("Blad2").unwrap();
        other.write_number_with_format(2, 2, 1.5, &tenths).unwrap();
        other.set_row_hidden(2).unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn the_look_taken_in_the_limits_scan_is_the_look_read_alone() {
        use crate::io::sheet::styles;
        let sound = workbook_with_a_look();
        let unplaceable_merge = with_part(&sound, "xl/worksheets/sheet1.xml", |xml| {
            xml.replace("<mergeCell ref=\"A42:B44\"/>", "<mergeCell ref=\"A42:B44\"/><mergeCell ref=\"A:B\"/>")
        });
        let unplaceable_row =
            with_part(&sound, "xl/worksheets/sheet2.xml", |xml| xml.replace("<row r=\"3\"", "<row r=\"x3\""));
        // XML that breaks after the cells: the scan passes it, and the look is read alone.
        let broken_after_cells =
            with_part(&sound, "xl/worksheets/sheet1.xml", |xml| xml.replace("</worksheet>", "<!-- </worksheet>"));
        // Which sheet's look is refused (none, the first, the second), and how many the scan took.
        for (bytes, refused, in_scan) in [
            (sound, None, 2),
            (unplaceable_merge, Some("Blad1"), 2),
            (unplaceable_row, Some("Blad2"), 2),
            (broken_after_cells, Some("Blad1"), 1),
        ] {
            let mut taken = check_file("test.xlsx", &bytes, None).unwrap();
            assert_eq!(taken.len(), in_scan, "looks taken in the scan");
            for sheet in ["Blad1", "Blad2"] {
                let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
                let in_scan = styles::look(&mut zip, sheet, &mut taken, false).map(|(look, _)| look);
                let alone = styles::look(&mut zip, sheet, &mut Taken::default(), false).map(|(look, _)| look);
                assert_eq!(in_scan.is_err(), refused == Some(sheet), "{sheet}: {in_scan:?}");
                assert_eq!(format!("{in_scan:?}"), format!("{alone:?}"), "{sheet}");
            }
            assert_eq!(taken.len(), 0, "each look taken once");
        }
    }

    #[test]
    fn spans_count_and_name_their_cells() {
        let span = Span::at(0, 0).with(1_048_575, 16_383);
        assert_eq!(span.cells(), 17_179_869_184);
        assert_eq!(span.name(), "A1:XFD1048576");
        assert_eq!(Span::at(6, 2).name(), "C7:C7");
    }
}
