//! An `.xls` as the library reads it. The library reads the whole file into memory when it
//! opens it: the compound file's sector chains (a chain that loops is followed for ever), the
//! workbook stream's records, every sheet's cells into a range, after setting aside memory
//! for the range each sheet declares; and a cell naming a shared string gets a copy of it.
//! This module follows the same steps over the bytes, as the library does them, with every
//! loop bounded, and counts what the library would hold. Where the library would stop with
//! an error, so does the scan, and the library's own message follows; where it would loop,
//! panic or reserve what a file declares, the file is refused here as damaged.

use super::{Edge, Span, Tally, cell_name, check_declared, damaged};
use crate::io::error::InputError;
use crate::io::limits;

/// The first bytes of a compound file (`.xls`).
pub(super) const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An `.xls` sheet has 65 536 rows and 256 columns.
const XLS_EDGE: Edge = Edge { rows: 1 << 16, columns: 1 << 8 };

const RESERVED: u32 = 0xFFFF_FFFA;
/// The most memory a header may have the library set aside for its sector table.
const MAX_RESERVED: u64 = 256 << 20;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;

/// Why the scan stops.
enum Fault {
    /// The library fails here too (with its own message).
    Fails,
    /// The library would loop, panic or take unbounded memory here: refused.
    Refused(InputError),
}

impl From<InputError> for Fault {
    fn from(err: InputError) -> Fault {
        Fault::Refused(err)
    }
}

pub(super) fn check(label: &str, bytes: &[u8]) -> Result<(), InputError> {
    let result = workbook_stream(label, bytes).and_then(|stream| records(label, &stream));
    match result {
        Ok(()) | Err(Fault::Fails) => Ok(()),
        Err(Fault::Refused(err)) => Err(err),
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// The file, read from where the library's reader stands.
struct Source<'b> {
    file: &'b [u8],
    position: usize,
}

impl Source<'_> {
    fn read(&mut self, into: &mut [u8]) -> usize {
        let count = into.len().min(self.file.len().saturating_sub(self.position));
        into[..count].copy_from_slice(&self.file[self.position..self.position + count]);
        self.position += count;
        count
    }
}

/// The library's sectors: read from the file as far as asked, kept, and handed out (a sector
/// past the end of the file cut short, as the library cuts it).
struct Sectors {
    data: Vec<u8>,
    size: usize,
    most: u32,
}

impl Sectors {
    fn get(&mut self, label: &str, id: u32, source: &mut Source<'_>) -> Result<&[u8], Fault> {
        if self.most < id {
            return Err(Fault::Fails);
        }
        let start = id as usize * self.size;
        let end = start + self.size;
        if end > self.data.len() {
            let mut have = self.data.len();
            self.data.resize(end, 0);
            while have < end {
                let read = source.read(&mut self.data[have..end]);
                if read == 0 {
                    if start > have {
                        return Err(damaged(label, "a sector of it lies past the end of the file").into());
                    }
                    return Ok(&self.data[start..have]);
                }
                have += read;
            }
        }
        Ok(&self.data[start..end])
    }

    /// A chain of sectors from `first`, up to `len` bytes, as the library follows it; a chain
    /// longer than the sectors there are loops, and the library would follow it for ever.
    fn chain(
        &mut self,
        label: &str,
        first: u32,
        table: &[u32],
        source: &mut Source<'_>,
        len: usize,
    ) -> Result<Vec<u8>, Fault> {
        let mut chain = Vec::new();
        let mut id = first;
        let mut steps: u64 = 0;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > u64::from(self.most) + 2 {
                return Err(damaged(label, "a chain of its sectors runs in a circle").into());
            }
            let sector = self.get(label, id, source)?;
            let take = sector.len().min(len - chain.len());
            chain.extend_from_slice(&sector[..take]);
            if chain.len() >= len {
                break;
            }
            id = *table
                .get(id as usize)
                .ok_or_else(|| damaged(label, "a chain of its sectors points outside the file's sector table"))?;
        }
        Ok(chain)
    }
}

/// Four-byte numbers, as the library reads a sector of them (it cannot read a cut one).
fn numbers(label: &str, bytes: &[u8]) -> Result<Vec<u32>, Fault> {
    if bytes.len() % 4 != 0 {
        return Err(damaged(label, "a sector table of it is cut short").into());
    }
    Ok(bytes.chunks_exact(4).map(|n| u32::from_le_bytes([n[0], n[1], n[2], n[3]])).collect())
}

/// The workbook stream, found and read as the library finds and reads it.
fn workbook_stream(label: &str, bytes: &[u8]) -> Result<Vec<u8>, Fault> {
    let header = bytes.get(..512).ok_or(Fault::Fails)?;
    let version = u16_at(header, 26).ok_or(Fault::Fails)?;
    let size: usize = match u16_at(header, 30) {
        Some(0x0009) => 512,
        Some(0x000C) if bytes.len() >= 4096 => 4096,
        _ => return Err(Fault::Fails),
    };
    if u16_at(header, 32) != Some(6) {
        return Err(Fault::Fails);
    }
    let number = |at| u32_at(header, at).ok_or(Fault::Fails);
    let (fat_len, dir_start, mini_fat_start, mini_fat_len, difat_start, difat_len) =
        (number(44)?, number(48)?, number(60)?, number(64)?, number(68)?, number(62)?);
    // The library sets memory aside for as many 4-byte entries as these header fields say
    // (the second is where it reads the table's length, spanning two other fields).
    let reserved = u64::from(fat_len.max(difat_len)) * 4;
    if reserved > MAX_RESERVED {
        return Err(InputError::file(
            label,
            format!(
                "cannot be read: its header would make the spreadsheet reader set aside {reserved} bytes of memory                  for its sector table. Open it in the spreadsheet and save it again (or save the sheet as \"CSV                  UTF-8\")"
            ),
        )
        .into());
    }
    let mut difat: Vec<u32> =
        header[76..512].chunks_exact(4).map(|n| u32::from_le_bytes([n[0], n[1], n[2], n[3]])).collect();
    let mut source = Source { file: bytes, position: size };
    let most = u32::try_from(bytes.len() / size).unwrap_or(u32::MAX);
    let mut sectors = Sectors { data: Vec::new(), size, most };
    let mut id = difat_start;
    let mut steps: u64 = 0;
    while id < RESERVED {
        steps += 1;
        if steps > u64::from(most) + 1 {
            return Err(damaged(label, "its sector table's chain runs in a circle").into());
        }
        difat.extend(numbers(label, sectors.get(label, id, &mut source)?)?);
        id = difat.pop().ok_or_else(|| damaged(label, "its sector table's chain is empty"))?;
    }
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|&id| id < DIFSECT).collect();
    if fat_sectors.len() as u64 > u64::from(most) + 1 {
        return Err(damaged(label, "its sector table lists more sectors than the file has").into());
    }
    let mut fats = Vec::new();
    for id in fat_sectors {
        fats.extend(numbers(label, sectors.get(label, id, &mut source)?)?);
    }
    let directory = sectors.chain(label, dir_start, &fats, &mut source, usize::MAX)?;
    let long = size == 4096;
    let entry_len = if long { 128 } else { 124 };
    if directory.len() % 128 != 0 && directory.len() % 128 < entry_len {
        return Err(damaged(label, "its directory is cut short").into());
    }
    let entries: Vec<(String, u32, usize)> = directory
        .chunks(128)
        .map(|entry| {
            let mut name = encoding_rs::UTF_16LE.decode(&entry[..64]).0.into_owned();
            if let Some(end) = name.as_bytes().iter().position(|&byte| byte == 0) {
                name.truncate(end);
            }
            let start = u32_at(entry, 116).unwrap_or(0);
            let len = if long { u64_at(entry, 120).unwrap_or(0) } else { u64::from(u32_at(entry, 120).unwrap_or(0)) };
            (name, start, usize::try_from(len).unwrap_or(usize::MAX))
        })
        .collect();
    if entries.is_empty() || (version != 3 && entries[0].1 == ENDOFCHAIN) {
        return Err(Fault::Fails);
    }
    let (mini_fats, ministream) = if mini_fat_len > 0 {
        let ministream = sectors.chain(label, entries[0].1, &fats, &mut source, entries[0].2)?;
        let minifat = sectors.chain(label, mini_fat_start, &fats, &mut source, mini_fat_len as usize * size)?;
        (numbers(label, &minifat)?, ministream)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut mini = Sectors { data: ministream, size: 64, most: most.saturating_mul(8) };
    // The library tries these names in turn, whatever stopped the one before.
    for name in ["Workbook", "Book", "WORKBOOK", "BOOK"] {
        let Some((_, start, len)) = entries.iter().find(|(entry, _, _)| entry == name) else { continue };
        let stream = if *len < 4096 {
            mini.chain(label, *start, &mini_fats, &mut source, *len)
        } else {
            sectors.chain(label, *start, &fats, &mut source, *len)
        };
        match stream {
            Ok(stream) => return Ok(stream),
            Err(Fault::Refused(err)) => return Err(Fault::Refused(err)),
            Err(Fault::Fails) => {}
        }
    }
    Err(Fault::Fails)
}

/// A record of the workbook stream, with the `CONTINUE` records after it.
struct Record<'s> {
    kind: u16,
    data: &'s [u8],
    more: Vec<&'s [u8]>,
}

impl Record<'_> {
    fn next_part(&mut self) -> bool {
        if self.more.is_empty() {
            false
        } else {
            self.data = self.more.remove(0);
            true
        }
    }

    fn skip(&mut self, mut len: usize) -> Result<(), Fault> {
        while len > 0 {
            if self.data.is_empty() && !self.next_part() {
                return Err(Fault::Fails);
            }
            let step = len.min(self.data.len());
            self.data = &self.data[step..];
            len -= step;
        }
        Ok(())
    }
}

/// The records from the start of `stream`, as the library reads them.
fn next_record<'s>(stream: &mut &'s [u8]) -> Option<Result<Record<'s>, Fault>> {
    if stream.len() < 4 {
        return if stream.is_empty() { None } else { Some(Err(Fault::Fails)) };
    }
    let kind = u16::from_le_bytes([stream[0], stream[1]]);
    let len = usize::from(u16::from_le_bytes([stream[2], stream[3]]));
    if stream.len() < len + 4 {
        return Some(Err(Fault::Fails));
    }
    let data = &stream[4..len + 4];
    *stream = &stream[len + 4..];
    let mut more = Vec::new();
    while stream.len() > 4 && u16::from_le_bytes([stream[0], stream[1]]) == 0x003C {
        let len = usize::from(u16::from_le_bytes([stream[2], stream[3]]));
        if stream.len() < len + 4 {
            return Some(Err(Fault::Fails));
        }
        more.push(&stream[4..len + 4]);
        *stream = &stream[len + 4..];
    }
    Some(Ok(Record { kind, data, more }))
}

/// A record's field the library reads without checking the record's length: a short record
/// would stop the program.
fn field(label: &str, data: &[u8], at: usize, width: usize) -> Result<u32, Fault> {
    let bytes =
        data.get(at..at + width).ok_or_else(|| damaged(label, "a record of its workbook stream is cut short"))?;
    Ok(bytes.iter().rev().fold(0u32, |value, &byte| (value << 8) | u32::from(byte)))
}

/// The shared strings' lengths in characters (`SST`), walked as the library walks them.
fn shared_strings(label: &str, record: &mut Record<'_>) -> Result<Vec<u16>, Fault> {
    if record.data.len() < 8 {
        return Err(Fault::Fails);
    }
    record.data = &record.data[8..];
    let mut lengths = Vec::new();
    while !record.data.is_empty() || record.next_part() {
        if record.data.is_empty() {
            lengths.push(0);
            continue;
        }
        if record.data.len() < 3 {
            return Err(Fault::Fails);
        }
        let chars = u16::from_le_bytes([record.data[0], record.data[1]]);
        let flags = record.data[2];
        record.data = &record.data[3..];
        let mut wide = flags & 0x1 != 0;
        let mut runs = 0usize;
        let mut extra = 0usize;
        if flags & 0x8 != 0 {
            runs = field(label, record.data, 0, 2)? as usize;
            record.data = &record.data[2..];
        }
        if flags & 0x4 != 0 {
            field(label, record.data, 0, 4)?;
            let signed = i32::from_le_bytes([record.data[0], record.data[1], record.data[2], record.data[3]]);
            // Negative is read as a count past any record's end, as the library reads it.
            extra = usize::try_from(signed).unwrap_or(usize::MAX);
            record.data = &record.data[4..];
        }
        let mut left = usize::from(chars);
        while left > 0 {
            let taken = if wide { (record.data.len() / 2).min(left) } else { record.data.len().min(left) };
            record.data = &record.data[if wide { 2 * taken } else { taken }..];
            left -= taken;
            if left > 0 {
                if !record.next_part() {
                    return Err(Fault::Fails);
                }
                wide = field(label, record.data, 0, 1)? & 0x1 != 0;
                record.data = &record.data[1..];
            }
        }
        record.skip(runs * 4)?;
        record.skip(extra)?;
        lengths.push(chars);
    }
    Ok(lengths)
}

/// The most UTF-8 bytes a string of `units` stored characters (or bytes) decodes to, in any
/// code page the library may decode it with.
fn text_bytes(units: usize) -> u64 {
    6 * units as u64
}

/// A sheet's name as its `BOUNDSHEET` record writes it, for messages (its number when the
/// record cannot be read so far).
fn sheet_name(data: &[u8], number: usize) -> String {
    let chars = usize::from(data.get(6).copied().unwrap_or(0));
    let name = match (data.get(7), data.get(8..8 + 2 * chars), data.get(8..8 + chars)) {
        (Some(0x01), Some(wide), _) => {
            let units: Vec<u16> = wide.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        (Some(0x00), _, Some(narrow)) => narrow.iter().map(|&byte| char::from(byte)).collect(),
        _ => data
            .get(7..7 + chars)
            .map(|narrow| narrow.iter().map(|&byte| char::from(byte)).collect())
            .unwrap_or_default(),
    };
    if name.is_empty() { format!("number {number}") } else { name }
}

/// A cell the library stores: counted, and its text (at most `bytes`) added to the workbook's.
fn store(place: &str, tally: &mut Tally, text: &mut u64, at: (u64, u64), bytes: u64) -> Result<(), Fault> {
    tally.store(place, 1)?;
    *text = text.saturating_add(bytes);
    if *text > limits::max_unpacked().0 {
        return Err(InputError::file(
            &format!("{place}, cell {}", cell_name(at.0, at.1)),
            format!(
                "makes the workbook's cells hold more than {} of text once its shared strings and formulas are \
                 written out in each cell: {}",
                limits::max_unpacked(),
                limits::raise_unpacked()
            ),
        )
        .into());
    }
    Ok(())
}

fn widen(span: &mut Option<Span>, (row, column): (u64, u64)) {
    *span = Some(span.map_or(Span::at(row, column), |span| span.with(row, column)));
}

/// A cell record's place: its first two 16-bit fields.
fn place_of(data: &[u8]) -> (u64, u64) {
    (u64::from(u16::from_le_bytes([data[0], data[1]])), u64::from(u16::from_le_bytes([data[2], data[3]])))
}

/// What the workbook's global records tell the sheets' scan.
struct Globals {
    /// The shared strings' lengths in characters.
    strings: Vec<u16>,
    /// Each sheet's place in the stream, and its name.
    sheets: Vec<(usize, String)>,
    /// The longest sheet or defined name, which a formula may repeat at each reference.
    longest_name: u64,
}

/// The workbook's global records, up to their end.
fn globals(label: &str, stream: &[u8]) -> Result<Globals, Fault> {
    let mut globals = Globals { strings: Vec::new(), sheets: Vec::new(), longest_name: 0 };
    let mut rest = stream;
    while let Some(record) = next_record(&mut rest) {
        let mut record = record?;
        let data = record.data;
        match record.kind {
            // Read by the library without a look at the record's length.
            0x002F | 0x0042 | 0x0022 | 0x0809 | 0x0017 => {
                field(label, data, 0, 2)?;
            }
            0x0085 => {
                let position = field(label, data, 0, 4)? as usize;
                field(label, data, 5, 1)?;
                globals.longest_name = globals.longest_name.max(u64::from(data.get(6).copied().unwrap_or(u8::MAX)));
                let name = sheet_name(data, globals.sheets.len() + 1);
                globals.sheets.push((position, name));
            }
            0x0018 => {
                let chars = field(label, data, 3, 1)? as usize;
                let tokens = field(label, data, 4, 2)? as usize;
                if data.len() < 15 + chars || data.len() < tokens {
                    return Err(damaged(label, "a defined name's record is cut short").into());
                }
                globals.longest_name = globals.longest_name.max(chars as u64);
            }
            0x00FC => globals.strings = shared_strings(label, &mut record)?,
            0x000A => break,
            _ => {}
        }
    }
    Ok(globals)
}

/// The workbook's records: the shared strings and the sheets' places, then every sheet's
/// cells, counted together (the library holds every sheet at once).
fn records(label: &str, stream: &[u8]) -> Result<(), Fault> {
    let globals = globals(label, stream)?;
    let mut tally = Tally::default();
    let mut text: u64 = 0;
    for (position, name) in &globals.sheets {
        let place = format!("{label}, sheet {name}");
        let rest = stream
            .get(*position..)
            .ok_or_else(|| damaged(&place, "its place in the workbook stream lies past the stream's end"))?;
        sheet(&place, rest, &globals, &mut tally, &mut text)?;
    }
    Ok(())
}

/// One sheet's records, from its place to its end.
fn sheet(place: &str, mut rest: &[u8], globals: &Globals, tally: &mut Tally, text: &mut u64) -> Result<(), Fault> {
    let (mut values, mut formulas) = (None, None);
    let mut formula_at = (0u64, 0u64);
    while let Some(record) = next_record(&mut rest) {
        let record = record?;
        let data = record.data;
        match record.kind {
            0x0200 => dimensions(place, data)?,
            // Number, RK, boolean or error: a figure.
            0x0203 | 0x027E | 0x0205 if data.len() >= 8 => {
                widen(&mut values, place_of(data));
                store(place, tally, text, place_of(data), 32)?;
            }
            // A string of its own: its characters are in the record.
            0x0204 if data.len() >= 6 => {
                widen(&mut values, place_of(data));
                store(place, tally, text, place_of(data), text_bytes(data.len()))?;
            }
            // A formula's string value, in the place of the formula before it.
            0x0207 => {
                widen(&mut values, formula_at);
                store(place, tally, text, formula_at, text_bytes(data.len()))?;
            }
            // A shared string: a copy in each cell naming it.
            0x00FD if data.len() >= 10 => {
                let index = u32::from_le_bytes([data[6], data[7], data[8], data[9]]) as usize;
                let chars = globals.strings.get(index).copied().unwrap_or(0);
                if chars > 0 {
                    widen(&mut values, place_of(data));
                    store(place, tally, text, place_of(data), text_bytes(usize::from(chars)))?;
                }
            }
            0x00BD if data.len() >= 6 => {
                let row = u64::from(u16::from_le_bytes([data[0], data[1]]));
                let first = u16::from_le_bytes([data[2], data[3]]);
                let last = u16::from_le_bytes([data[data.len() - 2], data[data.len() - 1]]);
                // The library counts the columns in 16 bits: a last column before the
                // first, or all 65 536, overflows.
                if last < first || last - first == u16::MAX {
                    return Err(damaged(place, "a row of numbers (MULRK) ends before it begins").into());
                }
                if data.len() != 6 + 6 * usize::from(last - first + 1) {
                    return Err(Fault::Fails);
                }
                for column in u64::from(first)..=u64::from(last) {
                    widen(&mut values, (row, column));
                    store(place, tally, text, (row, column), 32)?;
                }
            }
            // Merged cells: the library reads as many as the count says, 8 bytes each.
            0x00E5 => {
                let count = field(place, data, 0, 2)? as usize;
                if data.len() < 2 + 8 * count {
                    return Err(damaged(place, "its list of merged cells is cut short").into());
                }
                tally.store(place, count as u64)?;
            }
            0x0006 => {
                if data.len() < 20 {
                    return Err(Fault::Fails);
                }
                formula_at = place_of(data);
                widen(&mut formulas, formula_at);
                widen(&mut values, formula_at);
                // A formula is written out from its tokens; a reference to a sheet or a
                // name repeats the name (3 bytes a character) for at least 5 bytes of it.
                let grows = (3 * globals.longest_name + 16) / 5 + 3;
                let bytes = grows.saturating_mul((data.len() - 20) as u64) + 32;
                store(place, tally, text, formula_at, bytes)?;
                tally.store(place, 1)?;
            }
            0x000A => break,
            _ => {}
        }
    }
    // Each range is filled in; the larger is what the sheet spans, and the workbook's
    // sheets are held together.
    if let Some(used) = [values, formulas].into_iter().flatten().max_by_key(Span::cells) {
        tally.used = Some(used);
        tally.check_range(place)?;
        tally.earlier = tally.earlier.saturating_add(used.cells());
        tally.used = None;
    }
    Ok(())
}

/// A `DIMENSIONS` record: the library sets memory aside for the range it declares, counting
/// in 32 bits (a range that ends before it begins wraps to billions of cells).
fn dimensions(place: &str, data: &[u8]) -> Result<(), Fault> {
    let (first_row, last_row, mut first_column, last_column) = match data.len() {
        10 => (
            u64::from(u16::from_le_bytes([data[0], data[1]])),
            u64::from(u16::from_le_bytes([data[2], data[3]])),
            u64::from(u16::from_le_bytes([data[4], data[5]])),
            u64::from(u16::from_le_bytes([data[6], data[7]])),
        ),
        14 => (
            u64::from(u32::from_le_bytes([data[0], data[1], data[2], data[3]])),
            u64::from(u32::from_le_bytes([data[4], data[5], data[6], data[7]])),
            u64::from(u16::from_le_bytes([data[8], data[9]])),
            u64::from(u16::from_le_bytes([data[10], data[11]])),
        ),
        _ => return Err(Fault::Fails),
    };
    if 0xFF < first_column || last_column < first_column {
        first_column = 0;
    }
    let span = if last_row >= 1 && last_column >= 1 {
        Span { top: first_row, left: first_column, bottom: last_row - 1, right: last_column - 1 }
    } else {
        Span::at(first_row, first_column)
    };
    check_declared(place, span, XLS_EDGE)?;
    Ok(())
}
