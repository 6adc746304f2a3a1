//! Which number cells of an `.xlsx` sheet are shown scaled by their number format: `#,##0,`
//! shows thousands (1 250 000 as `1 250`), `#,##0,,` millions, `0%` a hundred times the value.
//! A reader of the file sees the shown figure; fordela would read the stored one, a thousand
//! times another amount. calamine reads values, not formats, so the styles are read here from
//! the file (`xl/styles.xml` and the sheet's XML); such a cell is then refused at its place.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

/// The (row, column), both 0-based, of the number cells of sheet `sheet` whose format scales
/// them. A file that is not an `.xlsx` (an `.ods`, `.xls`), or whose parts cannot be read here,
/// gives none: calamine has already read its values, and this is a check on top of that.
#[must_use]
pub fn scaled_cells(bytes: &[u8], sheet: &str) -> HashSet<(u32, u32)> {
    scaled(bytes, sheet).unwrap_or_default()
}

fn scaled(bytes: &[u8], sheet: &str) -> Option<HashSet<(u32, u32)>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut part = |name: &str| -> Option<String> {
        let mut text = String::new();
        zip.by_name(name).ok()?.read_to_string(&mut text).ok()?;
        Some(text)
    };
    let styles = part("xl/styles.xml")?;
    let scaled_styles = scaled_styles(&styles);
    if scaled_styles.is_empty() {
        return Some(HashSet::new());
    }
    let target = sheet_part(&part("xl/workbook.xml")?, &part("xl/_rels/workbook.xml.rels")?, sheet)?;
    let xml = part(&target)?;
    Some(cells_with_styles(&xml, &scaled_styles))
}

/// Whether a format code scales what it shows: a `%` outside quotes, or a `,` after the last
/// digit placeholder of a section (Excel's thousands scaling).
fn scales(code: &str) -> bool {
    let mut plain = String::new();
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            _ if quoted || bracket => {}
            _ => plain.push(c),
        }
    }
    plain.split(';').any(|section| {
        let last_digit = section.rfind(['0', '#', '?']);
        section.contains('%') || last_digit.is_some_and(|at| section[at..].contains(','))
    })
}

/// The indices of the cell formats (`cellXfs`) whose number format scales.
fn scaled_styles(styles: &str) -> HashSet<usize> {
    // Excel's built-in percent formats.
    let mut scaling_formats: HashSet<u32> = [9, 10].into_iter().collect();
    let mut reader = Reader::from_str(styles);
    let mut in_cell_xfs = false;
    let mut index = 0usize;
    let mut result = HashSet::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(element) | Event::Empty(element)) => match element.name().as_ref() {
                b"numFmt" => {
                    let (id, code) = (attribute(&element, b"numFmtId"), attribute(&element, b"formatCode"));
                    if let (Some(id), Some(code)) = (id.and_then(|id| id.parse().ok()), code) {
                        if scales(&code) {
                            scaling_formats.insert(id);
                        }
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs => {
                    let format = attribute(&element, b"numFmtId").and_then(|id| id.parse::<u32>().ok());
                    if format.is_some_and(|format| scaling_formats.contains(&format)) {
                        result.insert(index);
                    }
                    index += 1;
                }
                _ => {}
            },
            Ok(Event::End(element)) if element.name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    result
}

/// The part (`xl/worksheets/sheet2.xml`) holding sheet `name`.
fn sheet_part(workbook: &str, relations: &str, name: &str) -> Option<String> {
    let mut reader = Reader::from_str(workbook);
    let mut id = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(element) | Event::Empty(element))
                if element.name().as_ref() == b"sheet" && attribute(&element, b"name").as_deref() == Some(name) =>
            {
                id = attribute(&element, b"r:id");
                break;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let id = id?;
    let mut targets: HashMap<String, String> = HashMap::new();
    let mut reader = Reader::from_str(relations);
    loop {
        match reader.read_event() {
            Ok(Event::Start(element) | Event::Empty(element)) if element.name().as_ref() == b"Relationship" => {
                if let (Some(rel), Some(target)) = (attribute(&element, b"Id"), attribute(&element, b"Target")) {
                    targets.insert(rel, target);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let target = targets.remove(&id)?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    })
}

/// The places of the number cells of `sheet` (its XML) styled with one of `styles`.
fn cells_with_styles(sheet: &str, styles: &HashSet<usize>) -> HashSet<(u32, u32)> {
    let mut reader = Reader::from_str(sheet);
    let mut found = HashSet::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(element) | Event::Empty(element)) if element.name().as_ref() == b"c" => {
                let style = attribute(&element, b"s").and_then(|s| s.parse::<usize>().ok());
                // Only numbers: a text cell shows what it holds, whatever its format.
                let number = attribute(&element, b"t").is_none_or(|kind| kind == "n");
                if number && style.is_some_and(|style| styles.contains(&style)) {
                    if let Some(place) = attribute(&element, b"r").as_deref().and_then(cell_place) {
                        found.insert(place);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    found
}

fn attribute(element: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<String> {
    element.attributes().flatten().find(|attribute| attribute.key.as_ref() == name).and_then(|attribute| {
        let raw = String::from_utf8_lossy(&attribute.value).into_owned();
        quick_xml::escape::unescape(&raw).ok().map(std::borrow::Cow::into_owned)
    })
}

/// `C7` as (row 6, column 2).
fn cell_place(reference: &str) -> Option<(u32, u32)> {
    let split = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = reference.split_at(split);
    let mut column = 0u32;
    for c in letters.chars() {
        if !c.is_ascii_uppercase() {
            return None;
        }
        column = column.checked_mul(26)?.checked_add(u32::from(c as u8 - b'A') + 1)?;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, column.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_and_percent_formats_scale_and_others_do_not() {
        for code in ["#,##0,", "#,##0,,", "0%", "0.00%", "#,##0,\" tkr\"", "# ##0,;-# ##0,"] {
            assert!(scales(code), "{code}");
        }
        for code in ["#,##0", "0.00", "General", "#,##0.000000", "\"%\"0", "[Red]#,##0", "yyyy-mm-dd"] {
            assert!(!scales(code), "{code}");
        }
        assert_eq!(cell_place("C7"), Some((6, 2)));
        assert_eq!(cell_place("AA10"), Some((9, 26)));
    }
}
