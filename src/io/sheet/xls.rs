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

fn broken(what: &str) -> String {
    format!("its compound file is broken ({what})")
}

/// A compound file (MS-CFB): its sectors and its allocation table.
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
        let header = |at| u32_at(bytes, at).ok_or_else(|| broken("short header"));
        let (fat_sectors, first_difat, difat_sectors) = (header(44)?, header(68)?, header(72)?);
        let sectors = bytes.len().saturating_sub(sector_size) / sector_size;
        let mut compound = Compound { bytes, sector_size, sectors, fat: Vec::new() };
        // The allocation table's own sectors: 109 in the header, the rest in a chain of
        // DIFAT sectors.
        let mut fat_ids: Vec<u32> = (0..109).filter_map(|index| u32_at(bytes, 76 + 4 * index)).collect();
        let mut next = first_difat;
        for _ in 0..difat_sectors.min(u32::try_from(sectors).unwrap_or(u32::MAX)) {
            if next >= END_OF_CHAIN - 2 {
                break;
            }
            let difat = compound.sector(next)?;
            let per = sector_size / 4 - 1;
            fat_ids.extend((0..per).filter_map(|index| u32_at(difat, 4 * index)));
            next = u32_at(difat, 4 * per).ok_or_else(|| broken("DIFAT"))?;
        }
        fat_ids.truncate(fat_sectors as usize);
        let mut fat = Vec::with_capacity(fat_ids.len().min(sectors + 1) * (sector_size / 4));
        for &id in &fat_ids {
            let part = compound.sector(id)?;
            fat.extend((0..sector_size / 4).filter_map(|index| u32_at(part, 4 * index)));
        }
        compound.fat = fat;
        Ok(compound)
    }

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

    /// The bytes of the sector chain from `first`: `length` of them, or all when `None`.
    fn read(&self, first: u32, length: Option<usize>) -> Result<Vec<u8>, String> {
        let mut data = Vec::with_capacity(length.unwrap_or(0).min(self.bytes.len()));
        for id in Compound::chain(first, &self.fat, self.sectors)? {
            data.extend_from_slice(self.sector(id)?);
            if length.is_some_and(|length| data.len() >= length) {
                break;
            }
        }
        if let Some(length) = length {
            if data.len() < length {
                return Err(broken("a stream shorter than it says"));
            }
            data.truncate(length);
        }
        Ok(data)
    }
}

/// The `Workbook` stream of a compound file, read whole.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let compound = Compound::open(bytes)?;
    let header = |at| u32_at(bytes, at).ok_or_else(|| broken("short header"));
    let (first_directory, cutoff, first_mini_fat) = (header(48)?, header(56)?, header(60)?);
    let directory = compound.read(first_directory, None)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let root = entries.first().ok_or_else(|| broken("no root entry"))?;
    let name_of = |entry: &[u8]| -> String {
        let length = usize::from(u16_at(entry, 64).unwrap_or(0)).min(64);
        let units: Vec<u16> = (0..length / 2).filter_map(|index| u16_at(entry, 2 * index)).collect();
        String::from_utf16_lossy(&units).trim_end_matches('\0').to_string()
    };
    let is_stream = |entry: &&&[u8], name: &str| entry[66] == 2 && name_of(entry).eq_ignore_ascii_case(name);
    let entry = entries.iter().find(|entry| is_stream(entry, "Workbook")).ok_or_else(|| {
        if entries.iter().any(|entry| is_stream(&entry, "Book")) {
            "it is an Excel 5.0/95 workbook, whose formats fordela does not read".to_string()
        } else {
            broken("no Workbook stream")
        }
    })?;
    let start = u32_at(entry, 116).ok_or_else(|| broken("entry"))?;
    let length = u32_at(entry, 120).ok_or_else(|| broken("entry"))? as usize;
    if length > bytes.len() {
        return Err(broken("a stream longer than the file"));
    }
    if length >= cutoff as usize {
        return compound.read(start, Some(length));
    }
    // A small stream lives in the mini stream: 64-byte sectors in the root entry's chain.
    let mini_length = (u32_at(root, 120).ok_or_else(|| broken("root"))? as usize).min(bytes.len());
    let mini_stream = compound.read(u32_at(root, 116).ok_or_else(|| broken("root"))?, Some(mini_length))?;
    let mini_fat = compound.read(first_mini_fat, None)?;
    let mini_fat: Vec<u32> = (0..mini_fat.len() / 4).filter_map(|index| u32_at(&mini_fat, 4 * index)).collect();
    let mut data = Vec::with_capacity(length);
    for id in Compound::chain(start, &mini_fat, mini_stream.len() / 64)? {
        let at = (id as usize) * 64;
        data.extend_from_slice(mini_stream.get(at..at + 64).ok_or_else(|| broken("a mini sector past its stream"))?);
        if data.len() >= length {
            break;
        }
    }
    if data.len() < length {
        return Err(broken("a stream shorter than it says"));
    }
    data.truncate(length);
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
