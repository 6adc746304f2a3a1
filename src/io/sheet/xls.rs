//! The look of an Excel 97–2003 (`.xls`) sheet, from its BIFF8 records (calamine reads the
//! values, not the formats): the number format of each number cell (`NUMBER`, `RK`, `MULRK`,
//! `FORMULA` name an `XF` record, which names a `FORMAT` or a built-in format), hidden rows
//! (`ROW`) and columns (`COLINFO`), and merged cells (`MERGEDCELLS`). The `Workbook` stream is
//! taken out of the compound file here, every offset and chain checked against the file's
//! length, so no file makes this read past its bytes or loop.

use std::collections::HashMap;

use crate::io::sheet::format::NumberFormat;
use crate::io::sheet::look::{Area, Look};

/// The look of sheet `sheet` of the `.xls` in `bytes`, or why it cannot be read.
pub fn look(bytes: &[u8], sheet: &str) -> Result<Look, String> {
    let stream = workbook_stream(bytes)?;
    let globals = globals(&stream)?;
    let offset = globals
        .sheets
        .iter()
        .find(|(name, _)| name == sheet)
        .map(|&(_, offset)| offset)
        .ok_or_else(|| format!("its records name no sheet {sheet}"))?;
    let formats = globals
        .xfs
        .iter()
        .map(|&ifmt| match globals.formats.get(&ifmt) {
            Some(code) => NumberFormat::from_code(code),
            None => NumberFormat::builtin(u32::from(ifmt))
                .unwrap_or_else(|| NumberFormat::unknown(&format!("format number {ifmt}"))),
        })
        .collect();
    sheet_look(&stream, offset, formats)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;
/// Ids from here up name no sector: the DIFAT and FAT markers, end of chain, free.
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;

fn broken(what: &str) -> String {
    format!("its compound file is broken ({what})")
}

/// A compound file (MS-CFB): its sectors and its allocation table, found as calamine finds
/// them (the DIFAT followed to its end, every id it lists below the markers a FAT sector), so
/// that what is checked here is what calamine will read.
struct Compound<'b> {
    bytes: &'b [u8],
    sector_size: usize,
    /// How many whole sectors the file holds: no chain is longer.
    sectors: usize,
    fat: Vec<u32>,
}

impl<'b> Compound<'b> {
    fn open(bytes: &'b [u8]) -> Result<Compound<'b>, String> {
        if bytes.get(..8) != Some(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(broken("no signature"));
        }
        let sector_size: usize = match u16_at(bytes, 30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err(broken("sector size")),
        };
        if u16_at(bytes, 32) != Some(6) {
            return Err(broken("mini sector size"));
        }
        let first_difat = u32_at(bytes, 68).ok_or_else(|| broken("short header"))?;
        let sectors = bytes.len().saturating_sub(sector_size) / sector_size;
        let mut compound = Compound { bytes, sector_size, sectors, fat: Vec::new() };
        // The FAT's sectors: 109 in the header, the rest in the DIFAT chain, whose last id in
        // each sector is the next one.
        let mut fat_ids: Vec<u32> = (0..109).filter_map(|index| u32_at(bytes, 76 + 4 * index)).collect();
        let mut next = first_difat;
        let mut steps = 0;
        while next < RESERVED {
            steps += 1;
            if steps > sectors {
                return Err(broken("a DIFAT chain that loops"));
            }
            let difat = compound.sector(next)?;
            fat_ids.extend((0..sector_size / 4).filter_map(|index| u32_at(difat, 4 * index)));
            next = fat_ids.pop().unwrap_or(END_OF_CHAIN);
        }
        fat_ids.retain(|&id| id < DIFAT_SECTOR);
        // A FAT larger than the file is no FAT (and would ask for memory without end).
        if fat_ids.len() > sectors {
            return Err(broken("more FAT sectors than the file holds"));
        }
        let mut fat = Vec::with_capacity(fat_ids.len() * (sector_size / 4));
        for &id in &fat_ids {
            let part = compound.sector(id)?;
            fat.extend((0..sector_size / 4).filter_map(|index| u32_at(part, 4 * index)));
        }
        compound.fat = fat;
        Ok(compound)
    }

    /// Sector `id`, whole: one the file ends inside is broken.
    fn sector(&self, id: u32) -> Result<&'b [u8], String> {
        let start = (id as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.sector_size))
            .ok_or_else(|| broken("sector"))?;
        self.bytes.get(start..start + self.sector_size).ok_or_else(|| broken("a sector past the end of the file"))
    }

    /// The ids of a chain in `table`, followed at most `limit` steps: a loop is a broken file.
    fn chain(first: u32, table: &[u32], limit: usize) -> Result<Vec<u32>, String> {
        let mut ids = Vec::new();
        let mut id = first;
        while id != END_OF_CHAIN && id != FREE {
            if ids.len() > limit {
                return Err(broken("a chain that loops"));
            }
            ids.push(id);
            id = *table.get(id as usize).ok_or_else(|| broken("a chain past its table"))?;
        }
        Ok(ids)
    }

    /// The bytes of the sector chain from `first`, at most `length` of them (a chain may end
    /// before, as calamine reads it).
    fn read(&self, first: u32, length: usize) -> Result<Vec<u8>, String> {
        let mut data = Vec::new();
        for id in Compound::chain(first, &self.fat, self.sectors)? {
            let sector = self.sector(id)?;
            data.extend_from_slice(&sector[..sector.len().min(length - data.len())]);
            if data.len() >= length {
                break;
            }
        }
        Ok(data)
    }
}

/// A directory entry's name as calamine reads it: 64 bytes of UTF-16, to the first NUL.
fn entry_name(entry: &[u8]) -> String {
    let units: Vec<u16> = (0..32).filter_map(|index| u16_at(entry, 2 * index)).collect();
    let name = String::from_utf16_lossy(&units);
    name.split('\0').next().unwrap_or_default().to_string()
}

/// How many cells the sheets of an `.xls` may span, together (each sheet's rows × columns from
/// its first cell to its last): calamine builds every sheet of an `.xls` when it opens it, a
/// cell for each place in that span, so a stray cell far from the table asks for gigabytes.
/// Ten million is a thousand times a real plan or population table.
const MAX_SPAN: u64 = 10_000_000;

/// Whether calamine can open the `.xls` in `bytes` without reading past its end, looping,
/// indexing past a table or asking for memory without bound: every sector it will read is
/// whole, every chain it will follow ends, every sheet's declared dimensions and cells lie in
/// the 65 536 × 256 grid of a BIFF8 sheet, and together they span at most `MAX_SPAN` cells.
/// Checked before calamine opens an `.xls`.
pub fn sound(bytes: &[u8]) -> Result<(), String> {
    let stream = workbook_stream(bytes)?;
    // Every sheet calamine will build: where each BOUNDSHEET record says it begins.
    let mut offsets = Vec::new();
    for record in records(&stream, 0) {
        match record {
            Ok((0x0085, data)) => offsets.extend(u32_at(data, 0)),
            Ok((0x000A, _)) | Err(_) => break,
            Ok(_) => {}
        }
    }
    let mut span = 0u64;
    for (index, offset) in offsets.into_iter().enumerate() {
        let span_of = sheet_span(&stream, offset as usize).map_err(|why| format!("its sheet {} {why}", index + 1))?;
        span = span.saturating_add(span_of);
    }
    if span > MAX_SPAN {
        return Err(format!(
            "its sheets span {span} cells from their first cell to their last, and fordela reads at most \
             {MAX_SPAN}: delete what lies far from the table (a stray cell), or save the sheet as CSV"
        ));
    }
    Ok(())
}

/// The cells the sheet at `offset` spans, or why it lies outside a BIFF8 sheet.
fn sheet_span(stream: &[u8], offset: usize) -> Result<u64, String> {
    let (mut top, mut left, mut bottom, mut right) = (u32::MAX, u32::MAX, 0u32, 0u32);
    let mut cell = |row: u32, column: u32| -> Result<(), String> {
        if column > 255 {
            return Err(format!("has a cell in column {}, past the 256 columns of an .xls", column + 1));
        }
        (top, left, bottom, right) = (top.min(row), left.min(column), bottom.max(row), right.max(column));
        Ok(())
    };
    for record in records(stream, offset) {
        let Ok((kind, data)) = record else { break };
        let at = |offset| u16_at(data, offset).map(u32::from);
        match kind {
            // DIMENSIONS: first and last row (+1), first and last column (+1); 32-bit rows in
            // BIFF8's 14-byte form.
            0x0200 => {
                let (first, last, left, right) = match data.len() {
                    10 => (at(0), at(2), at(4), at(6)),
                    14 => (u32_at(data, 0), u32_at(data, 4), at(8), at(10)),
                    _ => continue,
                };
                let (Some(first), Some(last), Some(_), Some(right)) = (first, last, left, right) else { continue };
                if last > 65_536 || right > 256 || first > last {
                    return Err(format!("declares rows {first} to {last} and {right} columns, past an .xls sheet"));
                }
            }
            0x0203 | 0x027E | 0x0204 | 0x00FD | 0x0205 | 0x0006 => {
                if let (Some(row), Some(column)) = (at(0), at(2)) {
                    cell(row, column)?;
                }
            }
            0x00BD => {
                let (Some(row), Some(first), Some(last)) = (at(0), at(2), at(data.len().saturating_sub(2))) else {
                    continue;
                };
                cell(row, first)?;
                cell(row, last)?;
            }
            0x000A => break,
            _ => {}
        }
    }
    if top > bottom {
        return Ok(0);
    }
    Ok(u64::from(bottom - top + 1) * u64::from(right - left + 1))
}

/// The workbook stream of a compound file, read whole, as calamine reads it.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let compound = Compound::open(bytes)?;
    let header = |at| u32_at(bytes, at).ok_or_else(|| broken("short header"));
    let (first_directory, first_mini_fat, mini_fat_sectors) = (header(48)?, header(60)?, header(64)?);
    let directory = compound.read(first_directory, usize::MAX)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let root = entries.first().ok_or_else(|| broken("no root entry"))?;
    let length_of = |entry: &[u8]| -> usize {
        let low = u64::from(u32_at(entry, 120).unwrap_or(0));
        let high = if compound.sector_size == 4096 { u64::from(u32_at(entry, 124).unwrap_or(0)) } else { 0 };
        usize::try_from((high << 32) | low).unwrap_or(usize::MAX)
    };
    let (mut mini_stream, mut mini_fat) = (Vec::new(), Vec::new());
    if mini_fat_sectors > 0 {
        let root_start = u32_at(root, 116).ok_or_else(|| broken("root"))?;
        mini_stream = compound.read(root_start, length_of(root))?;
        let fat_bytes =
            compound.read(first_mini_fat, (mini_fat_sectors as usize).saturating_mul(compound.sector_size))?;
        mini_fat = (0..fat_bytes.len() / 4).filter_map(|index| u32_at(&fat_bytes, 4 * index)).collect();
    }
    // The stream calamine reads: the first of these names found.
    let (name, entry) = ["Workbook", "Book", "WORKBOOK", "BOOK"]
        .iter()
        .find_map(|name| entries.iter().find(|entry| entry_name(entry) == *name).map(|entry| (*name, entry)))
        .ok_or_else(|| broken("no Workbook stream"))?;
    if name.eq_ignore_ascii_case("Book") {
        return Err("it is an Excel 5.0/95 workbook, whose formats fordela does not read".to_string());
    }
    let start = u32_at(entry, 116).ok_or_else(|| broken("entry"))?;
    let length = length_of(entry);
    if length > bytes.len() {
        return Err(broken("a stream longer than the file"));
    }
    // As calamine: a stream under 4 096 bytes lives in the mini stream, 64-byte sectors of
    // the root entry's chain.
    if length >= 4096 {
        return compound.read(start, length);
    }
    let mut data = Vec::with_capacity(length);
    for id in Compound::chain(start, &mini_fat, mini_stream.len() / 64)? {
        let at = (id as usize) * 64;
        let sector = mini_stream.get(at..at + 64).ok_or_else(|| broken("a mini sector past its stream"))?;
        data.extend_from_slice(&sector[..64.min(length - data.len())]);
        if data.len() >= length {
            break;
        }
    }
    Ok(data)
}

/// BIFF records from `offset`: (type, data), each checked to lie in the stream.
fn records(stream: &[u8], offset: usize) -> impl Iterator<Item = Result<(u16, &[u8]), String>> {
    let mut at = offset;
    std::iter::from_fn(move || {
        if at >= stream.len() {
            return None;
        }
        let (Some(kind), Some(length)) = (u16_at(stream, at), u16_at(stream, at + 2)) else {
            at = stream.len();
            return Some(Err("its records end inside a record".to_string()));
        };
        let start = at + 4;
        let Some(data) = stream.get(start..start + usize::from(length)) else {
            at = stream.len();
            return Some(Err("a record runs past the end of the stream".to_string()));
        };
        at = start + usize::from(length);
        Some(Ok((kind, data)))
    })
}

/// What the workbook's globals say: its formats, its cell formats (`XF`: the format each
/// names), and where each sheet's records begin.
struct Globals {
    formats: HashMap<u16, String>,
    xfs: Vec<u16>,
    sheets: Vec<(String, usize)>,
}

fn globals(stream: &[u8]) -> Result<Globals, String> {
    let mut globals = Globals { formats: HashMap::new(), xfs: Vec::new(), sheets: Vec::new() };
    for (index, record) in records(stream, 0).enumerate() {
        let (kind, data) = record?;
        match kind {
            // BOF: BIFF8 is version 0x0600.
            0x0809 if index == 0 && u16_at(data, 0) != Some(0x0600) => {
                return Err("it is an Excel workbook older than Excel 97, whose formats fordela does not read".into());
            }
            0x041E => {
                let ifmt = u16_at(data, 0).ok_or("a FORMAT record is short")?;
                let code = unicode_string(data.get(2..).unwrap_or_default(), true).ok_or("a FORMAT record is short")?;
                globals.formats.insert(ifmt, code);
            }
            0x00E0 => globals.xfs.push(u16_at(data, 2).ok_or("an XF record is short")?),
            0x0085 => {
                let offset = u32_at(data, 0).ok_or("a BOUNDSHEET record is short")? as usize;
                let mut name = short_string(data.get(6..).unwrap_or_default()).ok_or("a BOUNDSHEET record is short")?;
                // As calamine names the sheet.
                name.retain(|c| c != '\0');
                globals.sheets.push((name, offset));
            }
            0x002F => return Err("it is encrypted".into()),
            0x000A => break,
            _ => {}
        }
    }
    Ok(globals)
}

/// A BIFF8 `XLUnicodeString`: a 16-bit length (`wide_length`) or an 8-bit one, a flag byte
/// (bit 0: two bytes a character), the characters.
fn unicode_string(data: &[u8], wide_length: bool) -> Option<String> {
    let (length, rest) = if wide_length {
        (usize::from(u16_at(data, 0)?), data.get(2..)?)
    } else {
        (usize::from(*data.first()?), data.get(1..)?)
    };
    let flags = *rest.first()?;
    let characters = rest.get(1..)?;
    if flags & 1 == 1 {
        let units: Vec<u16> = (0..length).map(|index| u16_at(characters, 2 * index)).collect::<Option<_>>()?;
        Some(String::from_utf16_lossy(&units))
    } else {
        // Compressed: the high bytes are zero, so each byte is a Latin-1 character.
        Some(characters.get(..length)?.iter().map(|&byte| char::from(byte)).collect())
    }
}

fn short_string(data: &[u8]) -> Option<String> {
    unicode_string(data, false)
}

/// The records of the sheet that begins at `offset`.
fn sheet_look(stream: &[u8], offset: usize, formats: Vec<NumberFormat>) -> Result<Look, String> {
    let mut look = Look::new(formats);
    let short = |what: &str| format!("a {what} record is short");
    for record in records(stream, offset) {
        let (kind, data) = record?;
        // The first field of every record read here: a row (a first column for COLINFO).
        let row = u32::from(u16_at(data, 0).unwrap_or(0));
        match kind {
            // NUMBER, RK: row, column, XF.
            0x0203 | 0x027E => {
                let column = u16_at(data, 2).ok_or_else(|| short("cell"))?;
                let xf = u16_at(data, 4).ok_or_else(|| short("cell"))?;
                look.push_cell(row, u32::from(column), u32::from(xf));
            }
            // MULRK: row, first column, (XF, RK) each, last column.
            0x00BD => {
                let first = u16_at(data, 2).ok_or_else(|| short("MULRK"))?;
                let cells = data.len().saturating_sub(6) / 6;
                for index in 0..cells {
                    let xf = u16_at(data, 4 + 6 * index).ok_or_else(|| short("MULRK"))?;
                    look.push_cell(row, u32::from(first) + u32::try_from(index).unwrap_or(u32::MAX), u32::from(xf));
                }
            }
            // FORMULA: a number unless its value's last two bytes are 0xFFFF (text, a
            // boolean, an error, nothing).
            0x0006 => {
                let column = u16_at(data, 2).ok_or_else(|| short("FORMULA"))?;
                let xf = u16_at(data, 4).ok_or_else(|| short("FORMULA"))?;
                if u16_at(data, 12).ok_or_else(|| short("FORMULA"))? != 0xFFFF {
                    look.push_cell(row, u32::from(column), u32::from(xf));
                }
            }
            // ROW: bit 5 of its flags hides it.
            0x0208 if u16_at(data, 12).ok_or_else(|| short("ROW"))? & 0x0020 != 0 => look.hidden_rows.push(row, row),
            // COLINFO: first and last column; bit 0 of its flags hides them.
            0x007D => {
                let first = row;
                let last = u16_at(data, 2).ok_or_else(|| short("COLINFO"))?;
                if u16_at(data, 8).ok_or_else(|| short("COLINFO"))? & 0x0001 != 0 {
                    look.hidden_columns.push(first, u32::from(last));
                }
            }
            0x00E5 => {
                let count = usize::from(u16_at(data, 0).ok_or_else(|| short("MERGEDCELLS"))?);
                for index in 0..count {
                    let at = 2 + 8 * index;
                    let field = |offset| u16_at(data, at + offset).map(u32::from).ok_or_else(|| short("MERGEDCELLS"));
                    look.merged.push(Area { top: field(0)?, bottom: field(2)?, left: field(4)?, right: field(6)? });
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    look.finish();
    Ok(look)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_read_compressed_and_wide() {
        assert_eq!(unicode_string(&[3, 0, 0, b'0', b'.', b'0'], true).as_deref(), Some("0.0"));
        assert_eq!(unicode_string(&[2, 0, 1, b'k', 0, b'r', 0], true).as_deref(), Some("kr"));
        assert_eq!(short_string(&[4, 0, b'B', b'l', b'a', 0xE5]).as_deref(), Some("Blaå"));
        assert_eq!(unicode_string(&[9, 0, 0, b'a'], true), None);
    }

    #[test]
    fn a_file_that_is_no_compound_file_is_refused_not_read() {
        assert!(look(b"not a workbook", "Blad1").is_err());
        let mut header = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        header.resize(512, 0xFF);
        assert!(look(&header, "Blad1").is_err());
    }
}
