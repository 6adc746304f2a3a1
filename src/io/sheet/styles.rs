//! The look of an `.xlsx` sheet, read from the file itself (calamine reads values, not how they
//! are shown): the number format of each number cell (`xl/styles.xml`: `numFmts` and
//! `cellXfs`; the cell's `s`), hidden rows and columns (`<row hidden="1">`, `<col hidden="1">`)
//! and merged cells (`<mergeCell ref="A2:A4">`), from the sheet's own XML.

use std::collections::HashMap;

use quick_xml::events::Event;

use crate::io::sheet::format::NumberFormat;
use crate::io::sheet::look::{Area, Look, XmlPart, Zip, attribute, is_true, xml_part};

/// The look of sheet `sheet` of the `.xlsx` in `zip`, or why it cannot be read.
pub fn look(zip: &mut Zip<'_>, sheet: &str) -> Result<Look, String> {
    let formats = match xml_part(zip, "xl/styles.xml")? {
        Some(xml) => cell_formats(xml)?,
        None => Vec::new(),
    };
    let path = sheet_part(zip, sheet)?;
    let xml = xml_part(zip, &path)?.ok_or_else(|| format!("its part {path} is missing"))?;
    sheet_look(xml, formats)
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
    let mut look = Look::new(if formats.is_empty() { vec![NumberFormat::general()] } else { formats });
    let (mut row, mut column) = (0u32, 0u32);
    let mut buf = Vec::new();
    let unreadable = |what: &str| format!("the sheet's XML holds {what}, which fordela cannot place");
    // Every element of the sheet passes here: a formula is met if there is one.
    look.formulas = false;
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|err| format!("the sheet's XML cannot be read ({err})"))?;
        if let Event::Start(element) | Event::Empty(element) = &event
            && element.local_name().as_ref() == b"f"
        {
            look.formulas = true;
        }
        match event {
            Event::Start(element) => match element.local_name().as_ref() {
                b"col" => {
                    let min = attribute(&element, b"min").and_then(|min| min.parse::<u32>().ok());
                    let max = attribute(&element, b"max").and_then(|max| max.parse::<u32>().ok());
                    let (Some(min), Some(max)) = (min, max) else {
                        return Err(unreadable("a column without its place"));
                    };
                    let zero_width = attribute(&element, b"width").and_then(|w| w.parse::<f64>().ok()) == Some(0.0);
                    if is_true(attribute(&element, b"hidden").as_deref()) || zero_width {
                        look.hidden_columns.push(min.saturating_sub(1), max.saturating_sub(1));
                    }
                }
                b"row" => {
                    if let Some(r) = attribute(&element, b"r") {
                        row = r
                            .parse::<u32>()
                            .ok()
                            .and_then(|r| r.checked_sub(1))
                            .ok_or_else(|| unreadable(&format!("the row `{r}`")))?;
                    }
                    let zero_height = attribute(&element, b"ht").and_then(|h| h.parse::<f64>().ok()) == Some(0.0);
                    if is_true(attribute(&element, b"hidden").as_deref()) || zero_height {
                        look.hidden_rows.push(row, row);
                    }
                }
                b"c" => {
                    if let Some(r) = attribute(&element, b"r") {
                        let (at_row, at_column) =
                            cell_place(&r).ok_or_else(|| unreadable(&format!("the cell `{r}`")))?;
                        (row, column) = (at_row, at_column);
                    }
                    // Only numbers have a format that changes what they show.
                    let kind = attribute(&element, b"t");
                    if kind.as_deref().is_none_or(|kind| kind == "n") {
                        let style = match attribute(&element, b"s") {
                            None => 0,
                            Some(s) => s.parse::<u32>().unwrap_or(u32::MAX),
                        };
                        look.push_cell(row, column, style);
                    }
                }
                // Places calamine reads too: checked here first, so that none is out of range.
                b"dimension" => {
                    let reference = attribute(&element, b"ref").unwrap_or_default();
                    ordered_area(&reference).ok_or_else(|| unreadable(&format!("the dimension `{reference}`")))?;
                }
                b"f" => {
                    if let Some(reference) = attribute(&element, b"ref") {
                        ordered_area(&reference)
                            .ok_or_else(|| unreadable(&format!("the formula range `{reference}`")))?;
                    }
                }
                b"mergeCell" => {
                    let reference = attribute(&element, b"ref").unwrap_or_default();
                    let area =
                        area(&reference).ok_or_else(|| unreadable(&format!("the merged cells `{reference}`")))?;
                    look.merged.push(area);
                }
                _ => {}
            },
            Event::End(element) => match element.local_name().as_ref() {
                b"row" => {
                    row = row.saturating_add(1);
                    column = 0;
                }
                b"c" => column = column.saturating_add(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    look.finish();
    Ok(look)
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
    let reference = reference.replace('$', "");
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
