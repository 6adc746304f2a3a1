//! The look of an `.xlsx` sheet, read from the file itself (calamine reads values, not how they
//! are shown): the number format of each number cell (`xl/styles.xml`: `numFmts` and
//! `cellXfs`; the cell's `s`), hidden rows and columns (`<row hidden="1">`, `<col hidden="1">`)
//! and merged cells (`<mergeCell ref="A2:A4">`), from the sheet's own XML.

use std::collections::HashMap;

use quick_xml::events::Event;

use calamine::{Data, Range};

use crate::io::sheet::format::NumberFormat;
use crate::io::sheet::held::{self, Kind, SheetValues};
use crate::io::sheet::look::{Area, Look, XmlPart, Zip, attribute, each_attribute, is_true, part_index, xml_part};

/// The looks and values of a workbook's sheets taken in the limits' scan, by the index of
/// their part in the zip, and the workbook's shared strings when the scan read them.
#[derive(Debug, Default)]
pub struct Taken {
    looks: HashMap<usize, SheetLook>,
    values: HashMap<usize, SheetValues>,
    strings: Option<Vec<String>>,
}

impl Taken {
    pub fn insert(&mut self, index: usize, look: SheetLook) {
        self.looks.insert(index, look);
    }

    /// The values of the sheet in part `index`, all of them kept.
    pub fn insert_values(&mut self, index: usize, values: SheetValues) {
        self.values.insert(index, values);
    }

    /// The shared strings' texts, as calamine reads them.
    pub fn set_strings(&mut self, strings: Option<Vec<String>>) {
        self.strings = strings;
    }

    /// How many looks are held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.looks.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.looks.is_empty()
    }

    /// How many sheets' values are held.
    #[must_use]
    pub fn values_held(&self) -> usize {
        self.values.len()
    }
}

/// The look of sheet `sheet` of the `.xlsx` in `zip`, or why it cannot be read: as `taken`
/// holds it for the sheet's part (and no longer), else read from the part. With it, the
/// sheet's values as calamine reads them, when the scan kept them (its numbers made dates as
/// calamine makes them, from the cell formats and the workbook's `date1904`, `is_1904`).
pub fn look(
    zip: &mut Zip<'_>,
    sheet: &str,
    taken: &mut Taken,
    is_1904: bool,
) -> Result<(Look, Option<Range<Data>>), String> {
    let formats = match xml_part(zip, "xl/styles.xml")? {
        Some(xml) => cell_formats(xml)?,
        None => Vec::new(),
    };
    let path = sheet_part(zip, sheet)?;
    let index = part_index(zip, &path);
    // The values the scan kept, if they are of the part calamine reads for the sheet, with
    // the kinds of number calamine reads in the workbook's styles.
    let values = index
        .and_then(|index| taken.values.remove(&index).filter(|_| as_calamine::sheet_part(zip, sheet) == Some(index)))
        .and_then(|values| {
            let kinds = as_calamine::kinds(zip)?;
            values.into_range(&kinds, taken.strings.as_deref().unwrap_or_default(), is_1904)
        });
    if let Some(taking) = index.and_then(|index| taken.looks.remove(&index)) {
        return Ok((taking.finish(formats)?, values));
    }
    let xml = xml_part(zip, &path)?.ok_or_else(|| format!("its part {path} is missing"))?;
    Ok((sheet_look(xml, formats)?, values))
}

/// The number format of each cell format (`cellXfs`), by index: what a cell's `s` names.
fn cell_formats(mut xml: XmlPart<'_, '_>) -> Result<Vec<NumberFormat>, String> {
    let mut codes: HashMap<u32, String> = HashMap::new();
    let mut formats = Vec::new();
    let (mut in_formats, mut in_cell_xfs) = (false, false);
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(|err| format!("xl/styles.xml cannot be read ({err})"))? {
            Event::Start(element) => match element.local_name().as_ref() {
                b"numFmts" => in_formats = true,
                b"numFmt" if in_formats => {
                    let id = attribute(&element, b"numFmtId").and_then(|id| id.parse().ok());
                    if let (Some(id), Some(code)) = (id, attribute(&element, b"formatCode")) {
                        codes.insert(id, code);
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs => {
                    let id = attribute(&element, b"numFmtId");
                    formats.push(match id.as_deref().map(str::parse::<u32>) {
                        None => NumberFormat::general(),
                        Some(Ok(id)) => match codes.get(&id) {
                            Some(code) => NumberFormat::from_code(code),
                            None => NumberFormat::builtin(id)
                                .unwrap_or_else(|| NumberFormat::unknown(&format!("format number {id}"))),
                        },
                        Some(Err(_)) => NumberFormat::unknown(&format!("format number {}", id.unwrap_or_default())),
                    });
                }
                _ => {}
            },
            Event::End(element) => match element.local_name().as_ref() {
                b"numFmts" => in_formats = false,
                b"cellXfs" => in_cell_xfs = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(formats)
}

/// The part (`xl/worksheets/sheet2.xml`) holding sheet `name`, found as calamine finds it.
fn sheet_part(zip: &mut Zip<'_>, name: &str) -> Result<String, String> {
    let mut id = None;
    let mut xml = xml_part(zip, "xl/workbook.xml")?.ok_or("its part xl/workbook.xml is missing")?;
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(|err| format!("xl/workbook.xml cannot be read ({err})"))? {
            Event::Start(element)
                if element.local_name().as_ref() == b"sheet"
                    && attribute(&element, b"name").as_deref() == Some(name) =>
            {
                id = attribute(&element, b"id");
                break;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    drop(xml);
    let id = id.ok_or_else(|| format!("xl/workbook.xml does not name the part of sheet {name}"))?;
    let mut xml =
        xml_part(zip, "xl/_rels/workbook.xml.rels")?.ok_or("its part xl/_rels/workbook.xml.rels is missing")?;
    let mut target = None;
    loop {
        match xml
            .read_event_into(&mut buf)
            .map_err(|err| format!("xl/_rels/workbook.xml.rels cannot be read ({err})"))?
        {
            Event::Start(element)
                if element.local_name().as_ref() == b"Relationship"
                    && attribute(&element, b"Id").as_deref() == Some(id.as_str()) =>
            {
                target = attribute(&element, b"Target");
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let target = target.ok_or_else(|| format!("xl/_rels/workbook.xml.rels does not name the part of sheet {name}"))?;
    Ok(if let Some(absolute) = target.strip_prefix('/') {
        absolute.to_string()
    } else if target.starts_with("xl/") {
        target
    } else {
        format!("xl/{target}")
    })
}

/// The look of a sheet's XML: cells are placed as calamine places them (by `r`, else after
/// the previous cell or row), so that both name the same cell.
fn sheet_look(mut xml: XmlPart<'_, '_>, formats: Vec<NumberFormat>) -> Result<Look, String> {
    let mut taking = SheetLook::new();
    let mut buf = Vec::new();
    // To the end, or to the first thing that cannot be read or placed.
    while !taking.failed() {
        let event = xml.read_event_into(&mut buf).map_err(|err| format!("the sheet's XML cannot be read ({err})"))?;
        if matches!(event, Event::Eof) {
            break;
        }
        taking.event(&event);
        buf.clear();
    }
    taking.finish(formats)
}

/// What the look reads of a cell's attributes (`CellLook::NAMES`, as `attribute` finds them).
#[derive(Debug)]
pub struct CellLook {
    /// Its place (`r`), or the reference that cannot be placed.
    place: Option<Result<(u32, u32), String>>,
    /// Whether it is a number (no `t`, or `n`): only numbers have a format that changes what
    /// they show.
    number: bool,
    /// Its cell format (`s`).
    style: u32,
}

impl Default for CellLook {
    fn default() -> Self {
        CellLook { place: None, number: true, style: 0 }
    }
}

impl CellLook {
    pub const NAMES: &'static [&'static [u8]] = &[b"r", b"t", b"s"];

    /// The value of the attribute `NAMES[which]`.
    pub fn take(&mut self, which: usize, value: &str) {
        match which {
            0 => self.place = Some(cell_place(value).ok_or_else(|| value.to_string())),
            1 => self.number = value == "n",
            _ => self.style = value.parse::<u32>().unwrap_or(u32::MAX),
        }
    }
}

/// What the look reads of a row's attributes (`RowLook::NAMES`, as `attribute` finds them).
#[derive(Debug, Default)]
pub struct RowLook {
    /// Its place (`r`), or the number that cannot be placed.
    place: Option<Result<u32, String>>,
    /// Whether its height (`ht`) is zero.
    zero_height: bool,
    hidden: bool,
}

impl RowLook {
    pub const NAMES: &'static [&'static [u8]] = &[b"r", b"ht", b"hidden"];

    /// The value of the attribute `NAMES[which]`.
    pub fn take(&mut self, which: usize, value: &str) {
        match which {
            0 => {
                self.place =
                    Some(value.parse::<u32>().ok().and_then(|r| r.checked_sub(1)).ok_or_else(|| value.to_string()));
            }
            1 => self.zero_height = value.parse::<f64>().ok() == Some(0.0),
            _ => self.hidden = is_true(Some(value)),
        }
    }
}

/// The look of a sheet taken event by event, as any reader of its XML meets them: the limits'
/// scan takes it in the pass it makes anyway, so that the sheet's XML is not read again for it.
#[derive(Debug)]
pub struct SheetLook {
    look: Look,
    row: u32,
    column: u32,
    /// The number cells it holds.
    cells: u64,
    /// Why the look cannot be read: the first thing met that cannot be placed.
    failed: Option<String>,
}

impl Default for SheetLook {
    fn default() -> Self {
        SheetLook::new()
    }
}

impl SheetLook {
    #[must_use]
    pub fn new() -> SheetLook {
        let mut look = Look::new(Vec::new());
        // Every element of the sheet passes here: a formula is met if there is one.
        look.formulas = false;
        SheetLook { look, row: 0, column: 0, cells: 0, failed: None }
    }

    /// The next event of the sheet's XML (its end aside).
    pub fn event(&mut self, event: &Event<'_>) {
        if self.failed.is_none()
            && let Err(why) = self.step(event)
        {
            self.failed = Some(why);
        }
    }

    /// The number cells it holds: what it weighs.
    #[must_use]
    pub fn cells(&self) -> u64 {
        self.cells
    }

    /// Whether something was met that cannot be placed: the look is then that refusal, whatever
    /// follows.
    #[must_use]
    pub fn failed(&self) -> bool {
        self.failed.is_some()
    }

    /// The look, its cells' formats being `formats` (the styles' `cellXfs`), once every event
    /// has passed; or why it cannot be read.
    pub fn finish(mut self, formats: Vec<NumberFormat>) -> Result<Look, String> {
        if let Some(why) = self.failed {
            return Err(why);
        }
        self.look.formats = if formats.is_empty() { vec![NumberFormat::general()] } else { formats };
        self.look.finish();
        Ok(self.look)
    }

    /// The look of the rows after this one's (taken from where a row starts) added to it: a
    /// failure is the first one met.
    pub fn append(&mut self, later: SheetLook) {
        if self.failed.is_some() {
            return;
        }
        if later.failed.is_some() {
            self.failed = later.failed;
            return;
        }
        self.look.append(later.look);
        self.cells += later.cells;
    }

    /// The start of a cell (`<c>`) whose attributes the caller read: as `event` with its
    /// event, without walking them again.
    pub fn cell(&mut self, cell: CellLook) {
        if self.failed.is_none()
            && let Err(why) = self.cell_step(cell)
        {
            self.failed = Some(why);
        }
    }

    /// The start of a row (`<row>`) whose attributes the caller read: as `event` with its
    /// event, without walking them again.
    pub fn row(&mut self, row: RowLook) {
        if self.failed.is_none()
            && let Err(why) = self.row_step(row)
        {
            self.failed = Some(why);
        }
    }

    fn row_step(&mut self, row: RowLook) -> Result<(), String> {
        if let Some(place) = row.place {
            self.row = place.map_err(|r| format!("the sheet's XML holds the row `{r}`, which fordela cannot place"))?;
        }
        if row.hidden || row.zero_height {
            self.look.hidden_rows.push(self.row, self.row);
        }
        Ok(())
    }

    fn cell_step(&mut self, cell: CellLook) -> Result<(), String> {
        if let Some(place) = cell.place {
            (self.row, self.column) =
                place.map_err(|r| format!("the sheet's XML holds the cell `{r}`, which fordela cannot place"))?;
        }
        if cell.number {
            self.look.push_cell(self.row, self.column, cell.style);
            self.cells += 1;
        }
        Ok(())
    }

    fn step(&mut self, event: &Event<'_>) -> Result<(), String> {
        let unreadable = |what: &str| format!("the sheet's XML holds {what}, which fordela cannot place");
        let look = &mut self.look;
        if let Event::Start(element) | Event::Empty(element) = event
            && element.local_name().as_ref() == b"f"
        {
            look.formulas = true;
        }
        match event {
            Event::Start(element) => match element.local_name().as_ref() {
                b"col" => {
                    let min = attribute(element, b"min").and_then(|min| min.parse::<u32>().ok());
                    let max = attribute(element, b"max").and_then(|max| max.parse::<u32>().ok());
                    let (Some(min), Some(max)) = (min, max) else {
                        return Err(unreadable("a column without its place"));
                    };
                    let zero_width = attribute(element, b"width").and_then(|w| w.parse::<f64>().ok()) == Some(0.0);
                    if is_true(attribute(element, b"hidden").as_deref()) || zero_width {
                        look.hidden_columns.push(min.saturating_sub(1), max.saturating_sub(1));
                    }
                }
                b"row" => {
                    // The attributes read in one walk, each as `attribute` finds it: one row per
                    // line of a ledger.
                    let mut row = RowLook::default();
                    each_attribute(element, RowLook::NAMES, |which, value| row.take(which, value));
                    return self.row_step(row);
                }
                b"c" => {
                    // Likewise, for every cell.
                    let mut cell = CellLook::default();
                    each_attribute(element, CellLook::NAMES, |which, value| cell.take(which, value));
                    return self.cell_step(cell);
                }
                // Places calamine reads too: checked here first, so that none is out of range.
                b"dimension" => {
                    let reference = attribute(element, b"ref").unwrap_or_default();
                    ordered_area(&reference).ok_or_else(|| unreadable(&format!("the dimension `{reference}`")))?;
                }
                b"f" => {
                    if let Some(reference) = attribute(element, b"ref") {
                        ordered_area(&reference)
                            .ok_or_else(|| unreadable(&format!("the formula range `{reference}`")))?;
                    }
                }
                b"mergeCell" => {
                    let reference = attribute(element, b"ref").unwrap_or_default();
                    let area =
                        area(&reference).ok_or_else(|| unreadable(&format!("the merged cells `{reference}`")))?;
                    look.merged.push(area);
                }
                _ => {}
            },
            Event::End(element) => match element.local_name().as_ref() {
                b"row" => {
                    self.row = self.row.saturating_add(1);
                    self.column = 0;
                }
                b"c" => self.column = self.column.saturating_add(1),
                _ => {}
            },
            _ => {}
        }
        Ok(())
    }
}

/// `A2:B4` (or one cell, `C7`) as an area.
fn area(reference: &str) -> Option<Area> {
    let (first, last) = reference.split_once(':').unwrap_or((reference, reference));
    let (top, left) = cell_place(first)?;
    let (bottom, right) = cell_place(last)?;
    Some(Area { top: top.min(bottom), left: left.min(right), bottom: top.max(bottom), right: left.max(right) })
}

/// `A2:B4` as an area only when its first cell is its top left, as calamine takes it.
fn ordered_area(reference: &str) -> Option<Area> {
    let (first, last) = reference.split_once(':').unwrap_or((reference, reference));
    let (top, left) = cell_place(first)?;
    let (bottom, right) = cell_place(last)?;
    (top <= bottom && left <= right).then_some(Area { top, left, bottom, right })
}

/// `C7` as (row 6, column 2); `$C$7` too.
pub fn cell_place(reference: &str) -> Option<(u32, u32)> {
    let reference: std::borrow::Cow<'_, str> =
        if reference.contains('$') { reference.replace('$', "").into() } else { reference.into() };
    let split = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = reference.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut column = 0u32;
    for c in letters.chars() {
        let c = c.to_ascii_uppercase();
        if !c.is_ascii_uppercase() {
            return None;
        }
        column = column * 26 + u32::from(c as u8 - b'A') + 1;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, column.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_areas_are_placed_as_spreadsheets_name_them() {
        assert_eq!(cell_place("C7"), Some((6, 2)));
        assert_eq!(cell_place("AA10"), Some((9, 26)));
        assert_eq!(cell_place("$B$2"), Some((1, 1)));
        assert_eq!(cell_place("A0"), None);
        assert_eq!(cell_place("7"), None);
        assert_eq!(area("A2:A4"), Some(Area { top: 1, left: 0, bottom: 3, right: 0 }));
        assert_eq!(area("B3"), Some(Area { top: 2, left: 1, bottom: 2, right: 1 }));
    }
}

/// What calamine reads of an `.xlsx` for a sheet's values, read as it reads it, so that the
/// values the limits' scan kept are the ones it would give: the part it reads for a sheet, and
/// the kind of number (date or not) of each cell format.
mod as_calamine {
    use super::{Kind, Zip, held};
    use crate::io::sheet::look::{Bounded, xml_reader};
    use quick_xml::events::Event;
    use std::collections::HashMap;
    use std::io::{BufReader, Cursor};

    type Part<'z, 'b> = quick_xml::Reader<BufReader<Bounded<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>>>;

    /// The index of the part named `name` (in any case, `\` as `/`), when the zip holds one
    /// only: calamine reads the last of several, and which that is is left to it.
    fn only(zip: &Zip<'_>, name: &str) -> Result<Option<usize>, ()> {
        let wanted = name.to_ascii_lowercase();
        let found: Vec<usize> = (0..zip.len())
            .filter(|&index| {
                zip.name_for_index(index).is_some_and(|found| found.replace('\\', "/").to_ascii_lowercase() == wanted)
            })
            .collect();
        match found.as_slice() {
            [] => Ok(None),
            [index] => Ok(Some(*index)),
            _ => Err(()),
        }
    }

    /// The XML part `name` as calamine reads it; `Ok(None)` when there is none.
    fn part<'z, 'b>(zip: &'z mut Zip<'b>, name: &str) -> Result<Option<Part<'z, 'b>>, ()> {
        let Some(index) = only(zip, name)? else { return Ok(None) };
        let file = zip.by_index(index).map_err(|_| ())?;
        Ok(Some(xml_reader(BufReader::new(Bounded::new(file)))))
    }

    /// The relations of the workbook: each `Id` as written, its `Target` as written (not
    /// unescaped).
    fn relations(zip: &mut Zip<'_>) -> Option<HashMap<Vec<u8>, String>> {
        let mut targets = HashMap::new();
        let mut xml = part(zip, "xl/_rels/workbook.xml.rels").ok()??;
        let mut buf = Vec::new();
        loop {
            match xml.read_event_into(&mut buf).ok()? {
                Event::Start(element) if element.local_name().as_ref() == b"Relationship" => {
                    let (mut id, mut target) = (Vec::new(), String::new());
                    for attribute in element.attributes() {
                        let attribute = attribute.ok()?;
                        match attribute.key.as_ref() {
                            b"Id" => id.extend_from_slice(&attribute.value),
                            b"Target" => target = std::str::from_utf8(&attribute.value).ok()?.to_string(),
                            _ => {}
                        }
                    }
                    targets.insert(id, target);
                }
                Event::End(element) if element.local_name().as_ref() == b"Relationships" => break,
                Event::Eof => return None,
                _ => {}
            }
            buf.clear();
        }
        (xml.decoder().encoding() == encoding_rs::UTF_8).then_some(targets)
    }

    /// The index in the zip of the part calamine reads for sheet `sheet`: the `Target` of the
    /// relation named by the sheet's last `id`, under `xl/`; `None` where that is not one plain
    /// part.
    pub fn sheet_part(zip: &mut Zip<'_>, sheet: &str) -> Option<usize> {
        let targets = relations(zip)?;
        let mut xml = part(zip, "xl/workbook.xml").ok()??;
        let mut buf = Vec::new();
        let mut path = None;
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).ok()? {
                Event::Start(element) if element.local_name().as_ref() == b"sheet" => {
                    let (mut name, mut target) = (None, None);
                    for attribute in element.attributes() {
                        let attribute = attribute.ok()?;
                        if attribute.key.as_ref() == b"name" {
                            name = Some(attribute.decode_and_unescape_value(xml.decoder()).ok()?.into_owned());
                        } else if attribute.key.local_name().as_ref() == b"id" {
                            target = Some(targets.get(attribute.value.as_ref())?.clone());
                        }
                    }
                    if name.as_deref() == Some(sheet) {
                        path = target;
                        break;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if xml.decoder().encoding() != encoding_rs::UTF_8 {
            return None;
        }
        drop(xml);
        let target = path?;
        let path = if let Some(rest) = target.strip_prefix('/').filter(|rest| rest.starts_with("xl/")) {
            rest.to_string()
        } else if target.starts_with("xl/") {
            target
        } else {
            format!("xl/{target}")
        };
        if path.contains('\\') {
            return None;
        }
        only(zip, &path).ok()?
    }

    /// The kind of number of each cell format (`cellXfs`), read as calamine reads the styles:
    /// the codes of `numFmts` by their id as written and still escaped, then each `xf`'s
    /// `numFmtId` looked up among them, else among the built-in formats.
    pub fn kinds(zip: &mut Zip<'_>) -> Option<Vec<Kind>> {
        let Some(mut xml) = part(zip, "xl/styles.xml").ok()? else { return Some(Vec::new()) };
        let (mut codes, mut kinds): (HashMap<Vec<u8>, String>, Vec<Kind>) = (HashMap::new(), Vec::new());
        let (mut buf, mut inner) = (Vec::new(), Vec::new());
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).ok()? {
                Event::Start(element) if element.local_name().as_ref() == b"numFmts" => loop {
                    inner.clear();
                    match xml.read_event_into(&mut inner).ok()? {
                        Event::Start(element) if element.local_name().as_ref() == b"numFmt" => {
                            let (mut id, mut code) = (Vec::new(), String::new());
                            for attribute in element.attributes() {
                                let attribute = attribute.ok()?;
                                match attribute.key.as_ref() {
                                    b"numFmtId" => id.extend_from_slice(&attribute.value),
                                    b"formatCode" => code = std::str::from_utf8(&attribute.value).ok()?.to_string(),
                                    _ => {}
                                }
                            }
                            if !code.is_empty() {
                                codes.insert(id, code);
                            }
                        }
                        Event::End(element) if element.local_name().as_ref() == b"numFmts" => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                },
                Event::Start(element) if element.local_name().as_ref() == b"cellXfs" => loop {
                    inner.clear();
                    match xml.read_event_into(&mut inner).ok()? {
                        Event::Start(element) if element.local_name().as_ref() == b"xf" => {
                            let id = element.attributes().flatten().find(|a| a.key.as_ref() == b"numFmtId");
                            kinds.push(id.map_or(Kind::Number, |id| match codes.get(id.value.as_ref()) {
                                Some(code) => held::kind_of_code(code),
                                None => held::kind_of_builtin(&id.value),
                            }));
                        }
                        Event::End(element) if element.local_name().as_ref() == b"cellXfs" => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                },
                Event::End(element) if element.local_name().as_ref() == b"styleSheet" => break,
                Event::Eof => return None,
                _ => {}
            }
        }
        (xml.decoder().encoding() == encoding_rs::UTF_8).then_some(kinds)
    }
}
