//! The parts of an `.xlsx` as the library reads them: the shared strings (whose count it
//! reserves as declared, and whose text each cell referring to one copies), and each sheet's
//! cells, placed as the library places them (a cell's `r`, else the one after the last), with
//! its shared formulas (whose `ref` range the library fills, cell by cell, before reading on).

use super::{Span, Stop, Tally, XLSX_EDGE, cell_name, check_declared, damaged, xml_reader};
use crate::io::error::InputError;
use crate::io::limits;
use crate::io::sheet::held::{self, Held, SheetValues, Value};
use crate::io::sheet::look::walk_attributes;
use crate::io::sheet::styles::{CellLook, RowLook, SheetLook};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::sync::{Arc, Condvar, Mutex};

/// The shared strings' sizes: for each index, the most bytes the string there, or any after
/// it, can hold (its XML's length). The library skips an `<si>` it reads nothing from, so a
/// cell's index may name a later one: the bound holds either way.
#[derive(Debug, Default)]
pub(super) struct Strings {
    /// In 32 bits (saturated), as there may be tens of millions of them.
    most_from: Vec<u32>,
    /// Their texts, as calamine reads them, when each is plain text (`<si><t>…</t></si>`).
    pub(super) texts: Option<Vec<String>>,
}

impl Strings {
    /// The most bytes the shared string `index` can hold (none when there is no such string).
    fn at(&self, index: usize) -> u64 {
        self.most_from.get(index).copied().map_or(0, u64::from)
    }
}

/// `xl/sharedStrings.xml`: each string's size, and the count it declares (the library sets
/// memory aside for that many before reading one).
pub(super) fn shared_strings<R: BufRead>(label: &str, part: R) -> Result<Strings, Stop> {
    let place = format!("{label}, part xl/sharedStrings.xml");
    let mut xml = xml_reader(part);
    let mut buf = Vec::new();
    let mut sizes: Vec<u32> = Vec::new();
    let size = |from: u64, to: u64| u32::try_from(to.saturating_sub(from)).unwrap_or(u32::MAX);
    let mut opened: Vec<u64> = Vec::new();
    let mut texts = Some(Texts::default());
    loop {
        let before = xml.buffer_position();
        let event = xml.read_event_into(&mut buf);
        if let Some(reading) = &mut texts
            && !event.as_ref().is_ok_and(|event| reading.event(event))
        {
            texts = None;
        }
        match event {
            Ok(Event::Start(element)) if element.local_name().as_ref() == b"sst" => {
                let declared = attribute(&element, b"uniqueCount").and_then(|count| parse_usize(&count));
                if let Some(declared) = declared
                    && declared as u64 > limits::max_cells()
                {
                    return Err(InputError::file(
                        &place,
                        format!("declares {declared} strings: {}", limits::raise_cells()),
                    )
                    .into());
                }
            }
            Ok(Event::Start(element)) if element.local_name().as_ref() == b"si" => opened.push(before),
            Ok(Event::End(element)) if element.local_name().as_ref() == b"si" => {
                if let Some(start) = opened.pop()
                    && opened.is_empty()
                {
                    sizes.push(size(start, xml.buffer_position()));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    // An `<si>` never closed runs to the end of the part.
    if let Some(start) = opened.first() {
        sizes.push(size(*start, xml.buffer_position()));
    }
    let mut most = 0;
    for size in sizes.iter_mut().rev() {
        most = most.max(*size);
        *size = most;
    }
    let utf8 = xml.decoder().encoding() == encoding_rs::UTF_8;
    let texts = texts.filter(|reading| reading.ended && utf8).map(|reading| reading.read);
    Ok(Strings { most_from: sizes, texts })
}

/// The shared strings' texts read event by event as calamine reads them, while each is plain
/// text in one or more `<t>` (no rich runs, no phonetic guide).
#[derive(Default)]
struct Texts {
    read: Vec<String>,
    /// Where the reading is: 0 before `<sst>`, 1 in it, 2 in an `<si>`, 3 in its `<t>`.
    depth: u8,
    ended: bool,
    text: String,
}

impl Texts {
    /// The next event; false when it is one calamine may read otherwise than this.
    fn event(&mut self, event: &Event<'_>) -> bool {
        match (event, self.depth) {
            (Event::Start(element), 0) => {
                if element.local_name().as_ref() == b"sst" {
                    self.depth = 1;
                }
                element.local_name().as_ref() != b"si"
            }
            (Event::Start(element), 1) if element.name().as_ref() == b"si" => {
                self.depth = 2;
                self.text.clear();
                true
            }
            // Within `<sst>`, a string is an `<si>` as written; after `</sst>` calamine reads
            // nothing more.
            (Event::Start(element), 1 | 4) => element.local_name().as_ref() != b"si",
            (Event::Start(element), 2) if element.name().as_ref() == b"t" => {
                self.depth = 3;
                true
            }
            (Event::Text(content), 3) => held::push_text(content, &mut self.text),
            (Event::GeneralRef(name), 3) => held::push_entity(name, &mut self.text),
            (Event::End(element), 3) => {
                self.depth = 2;
                element.name().as_ref() == b"t"
            }
            (Event::End(element), 2) => {
                self.depth = 1;
                self.read.push(std::mem::take(&mut self.text));
                element.name().as_ref() == b"si"
            }
            (Event::End(element), 1) => {
                if element.local_name().as_ref() == b"sst" {
                    self.depth = 4;
                    self.ended = true;
                }
                true
            }
            (Event::Start(_) | Event::CData(_) | Event::Comment(_) | Event::PI(_), 2 | 3) => false,
            _ => true,
        }
    }
}

/// Which sheet each part holds, to name a sheet as its user knows it.
#[derive(Debug, Default)]
pub(super) struct SheetNames {
    by_part: HashMap<String, String>,
}

impl SheetNames {
    /// From `xl/workbook.xml` (each sheet's name and relation) and its relations (each
    /// relation's part), resolved as the library resolves them.
    pub(super) fn from(workbook: &str, relations: &str) -> SheetNames {
        let mut targets = HashMap::new();
        let mut xml = Reader::from_str(relations);
        loop {
            match xml.read_event() {
                Ok(Event::Start(element) | Event::Empty(element))
                    if element.local_name().as_ref() == b"Relationship" =>
                {
                    if let (Some(id), Some(target)) = (attribute(&element, b"Id"), attribute(&element, b"Target")) {
                        targets.insert(id, target);
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        let mut by_part = HashMap::new();
        let mut xml = Reader::from_str(workbook);
        loop {
            match xml.read_event() {
                Ok(Event::Start(element) | Event::Empty(element)) if element.local_name().as_ref() == b"sheet" => {
                    let name = attribute(&element, b"name");
                    let id = element
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"id")
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                    if let (Some(name), Some(target)) = (name, id.and_then(|id| targets.get(&id))) {
                        let path = if let Some(rest) = target.strip_prefix('/').filter(|t| t.starts_with("xl/")) {
                            rest.to_string()
                        } else if target.starts_with("xl/") {
                            target.clone()
                        } else {
                            format!("xl/{target}")
                        };
                        by_part.insert(super::normalised(&path), name);
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        SheetNames { by_part }
    }

    /// The sheet part `part` holds, if it is one.
    pub(super) fn of(&self, part: &str) -> Option<&str> {
        self.by_part.get(&super::normalised(part)).map(String::as_str)
    }
}

/// A shared formula as the library keeps it: the range it fills and its text's size.
struct SharedFormula {
    span: Span,
    size: u64,
}

/// One part, read as a sheet if it is one (its cells lie between `<sheetData>` and its end):
/// the range it declares, every cell with a value or formula placed, the cells it stores, the
/// text its cells hold once shared strings and shared formulas are written out, and the
/// ranges its shared formulas fill. `look`, when given, is shown every event of the part, to
/// its end, and is left `None` where the part could not be read (its look is then taken by
/// a reading of its own, which says why). `values`, when given, keeps each cell's value as
/// calamine reads it, and is left `None` at the first cell it does not take (`held`).
pub(super) fn sheet<R: BufRead>(
    place: &str,
    part: R,
    strings: &Strings,
    look: &mut Option<SheetLook>,
    values: &mut Option<SheetValues>,
) -> Result<(), Stop> {
    let mut xml = xml_reader(part);
    let mut buf = Vec::new();
    let (plain, _) = up_to_cells(place, &mut xml, &mut buf, look)?;
    let mut scan = Scan::new(place, strings, look.take(), values.take().filter(|_| plain));
    let scanned = scan.cells(&mut xml, &mut buf, &mut |_| None);
    (*look, *values) = (scan.look, scan.values);
    scanned?;
    scan.tally.check_range(place)?;
    Ok(())
}

/// A sheet part scanned as `sheet` scans it, in two halves side by side when it can be cut
/// between two rows: while this thread unpacks `part` (its zip says `size` bytes), another
/// scans it from the start as it comes, and a third, from the first `<row r="…">` after the
/// middle as soon as that is unpacked, scans the second half. It needs nothing of the first but what is
/// joined after (counts, ranges, looks, values). The halves are taken only when the first, read
/// from the start, ends exactly where the second begins (so the cut is where a reading from the
/// start finds a row's end, not inside a comment, a CDATA or an attribute), neither met
/// anything unusual, the second holds no formula (a shared one may name the first's), and the
/// whole stays within the limits; otherwise the part, held in memory, is scanned from the start
/// alone, so that every refusal is word for word the one-pass reading's. `None` when `part`
/// cannot be unpacked (over a limit, damaged): the caller reads it again as it unpacks, so
/// that it is refused where that reading finds it.
pub(super) fn sheet_in_halves<R: Read>(
    place: &str,
    part: R,
    size: u64,
    strings: &Strings,
    look: &mut Option<SheetLook>,
    values: &mut Option<SheetValues>,
) -> Option<Result<Halves, Stop>> {
    sheet_in_chunks(place, part, size, strings, look, values, 1 << 20)
}

/// `sheet_in_halves`, the part unpacked and passed on `chunk` bytes at a time.
fn sheet_in_chunks<R: Read>(
    place: &str,
    mut part: R,
    size: u64,
    strings: &Strings,
    look: &mut Option<SheetLook>,
    values: &mut Option<SheetValues>,
    chunk_size: usize,
) -> Option<Result<Halves, Stop>> {
    let (with_look, with_values) = (look.is_some(), values.is_some());
    let middle = size / 2;
    let cut = Cut::default();
    let mut chunks: Vec<Arc<[u8]>> = Vec::new();
    let (first, second, unpacked) = std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<Arc<[u8]>>();
        let first = scope.spawn(|| {
            let mut xml = xml_reader(std::io::BufReader::new(Received::from(Vec::new(), 0, receiver)));
            let mut buf = Vec::new();
            let mut first_look = with_look.then(SheetLook::new);
            let started = up_to_cells(place, &mut xml, &mut buf, &mut first_look);
            let (plain, depth) = *started.as_ref().unwrap_or(&(false, 0));
            let mut scan = Scan::new(place, strings, first_look, (with_values && plain).then(SheetValues::default));
            scan.depth = depth;
            let scanned = started.and_then(|_| {
                scan.cells(&mut xml, &mut buf, &mut |at| if at < middle { None } else { cut.stop_at(at) })
            });
            (scan, scanned)
        });
        // The second half, scanned from the cut as soon as it is found, as the chunks come.
        let mut second: Option<(std::sync::mpsc::Sender<Arc<[u8]>>, std::thread::ScopedJoinHandle<'_, _>)> = None;
        // Unpacked here, a chunk at a time, each passed on as it comes.
        let (mut at, mut carry) = (0u64, Vec::new());
        let unpacked = loop {
            let chunk = match next_chunk(&mut part, chunk_size) {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break true,
                Err(()) => break false,
            };
            let filled = chunk.len();
            // What the first half and (once the cut is found) the second take on.
            let _ = sender.send(Arc::clone(&chunk));
            if let Some((to_second, _)) = &second {
                let _ = to_second.send(Arc::clone(&chunk));
            }
            chunks.push(chunk);
            if !cut.decided() {
                let chunk = chunks.last().map_or_else(|| Arc::from(Vec::new()), Arc::clone);
                if at + filled as u64 > middle
                    && let Some(found) = find_cut(&carry, &chunk, at, middle)
                {
                    cut.decide(Some(found));
                    let (to_second, from_inflating) = std::sync::mpsc::channel::<Arc<[u8]>>();
                    let (index, offset) = start_of(&chunks, found);
                    let held = chunks[index..].to_vec();
                    let scanning = scope.spawn(move || {
                        let mut scan = Scan::new(
                            place,
                            strings,
                            with_look.then(SheetLook::new),
                            with_values.then(SheetValues::default),
                        );
                        // Opened as the elements around the cells are, so that their ends are
                        // not ends without a start to the XML reader.
                        let rest =
                            Read::chain(&b"<worksheet><sheetData>"[..], Received::from(held, offset, from_inflating));
                        let scanned =
                            scan.cells(&mut xml_reader(std::io::BufReader::new(rest)), &mut Vec::new(), &mut |_| None);
                        (scan, scanned)
                    });
                    second = Some((to_second, scanning));
                }
                // The bytes just before the next chunk, for a mark across its start.
                carry.extend_from_slice(&chunk[filled.saturating_sub(CUT.len() - 1)..]);
                carry.drain(..carry.len().saturating_sub(CUT.len() - 1));
            }
            at += filled as u64;
        };
        drop(sender);
        if !cut.decided() {
            cut.decide(None);
        }
        let second = second.and_then(|(to_second, scanning)| {
            drop(to_second);
            scanning.join().ok()
        });
        (first.join(), second, unpacked)
    });
    if !unpacked {
        return None;
    }
    let halves = match (first, second) {
        // No cut: the first half read the whole part, as `sheet` does.
        (Ok((mut scan, scanned)), None) if scan.stopped == Stopped::No => {
            (*look, *values) = (scan.look.take(), scan.values.take());
            return Some(scanned.and_then(|()| Ok(scan.tally.check_range(place)?)).map(|()| Halves::One));
        }
        (Ok((first, Ok(()))), Some((second, Ok(())))) => Some((first, second)),
        _ => None,
    };
    if let Some((mut first, second)) = halves
        && first.stopped == Stopped::AtCut
        && second.ended
        && !second.shared_formulas
        && first.join(second)
    {
        (*look, *values) = (first.look, first.values);
        return Some(Ok(Halves::Two));
    }
    (*look, *values) = (with_look.then(SheetLook::new), with_values.then(SheetValues::default));
    Some(sheet(place, std::io::BufReader::new(Received::held(&chunks, 0)), strings, look, values).map(|()| Halves::One))
}

/// The next `size` bytes of `part` (fewer at its end; `None` past it), or `Err` when it cannot
/// be read.
fn next_chunk<R: Read>(part: &mut R, size: usize) -> Result<Option<Arc<[u8]>>, ()> {
    let mut chunk = vec![0; size];
    let mut filled = 0;
    while filled < size {
        match part.read(&mut chunk[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(()),
        }
    }
    chunk.truncate(filled);
    Ok((filled > 0).then(|| chunk.into()))
}

/// Where the second half starts: a row that begins right after one ends.
const CUT: &[u8] = b"</row><row r=\"";

/// The first place at or after byte `middle` where `CUT` begins, in `chunk` (at byte `at` of
/// the part) or across its start (`carry`: the bytes just before it), as the place after the
/// row's end.
fn find_cut(carry: &[u8], chunk: &[u8], at: u64, middle: u64) -> Option<u64> {
    let carry_at = at - carry.len() as u64;
    let mut across = carry.to_vec();
    across.extend_from_slice(&chunk[..chunk.len().min(CUT.len() - 1)]);
    let straddling = memchr::memmem::find_iter(&across, CUT)
        .filter(|&found| found < carry.len())
        .map(|found| carry_at + found as u64)
        .find(|&found| found >= middle);
    let within = || {
        let from = usize::try_from(middle.saturating_sub(at)).unwrap_or(usize::MAX).min(chunk.len());
        memchr::memmem::find(&chunk[from..], CUT).map(|found| at + (from + found) as u64)
    };
    straddling.or_else(within).map(|found| found + b"</row>".len() as u64)
}

/// Where the part is cut, once it is known.
#[derive(Default)]
struct Cut {
    at: Mutex<Decided>,
    known: Condvar,
}

/// What is known of the cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Decided {
    #[default]
    Not,
    /// At this byte.
    At(u64),
    /// Nowhere: the part is read from the start alone.
    Nowhere,
}

impl Cut {
    fn decide(&self, at: Option<u64>) {
        *self.at.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = at.map_or(Decided::Nowhere, Decided::At);
        self.known.notify_all();
    }

    fn decided(&self) -> bool {
        *self.at.lock().unwrap_or_else(std::sync::PoisonError::into_inner) != Decided::Not
    }

    /// For a row that ends at byte `at` (past the middle): whether the first half stops there
    /// (and if so, whether exactly at the cut), once the cut is known.
    fn stop_at(&self, at: u64) -> Option<bool> {
        let mut known = self.at.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while *known == Decided::Not {
            known = self.known.wait(known).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        match *known {
            Decided::At(cut) if at >= cut => Some(at == cut),
            _ => None,
        }
    }
}

/// The chunks of a part as they are passed on, read in order: first those `held` (from byte
/// `at` of the first), then each received.
struct Received {
    held: std::collections::VecDeque<Arc<[u8]>>,
    at: usize,
    receiver: std::sync::mpsc::Receiver<Arc<[u8]>>,
}

impl Received {
    fn from(held: Vec<Arc<[u8]>>, at: usize, receiver: std::sync::mpsc::Receiver<Arc<[u8]>>) -> Received {
        Received { held: held.into(), at, receiver }
    }

    /// The chunks `chunks`, all of them here already, read from byte `at` of the first.
    fn held(chunks: &[Arc<[u8]>], at: u64) -> Received {
        let (index, at) = start_of(chunks, at);
        // Nothing more will come: the channel is closed as it is made.
        let (_, receiver) = std::sync::mpsc::channel();
        Received::from(chunks[index..].to_vec(), at, receiver)
    }
}

/// The chunk of `chunks` where byte `at` of the part lies, and where in it.
fn start_of(chunks: &[Arc<[u8]>], mut at: u64) -> (usize, usize) {
    let mut index = 0;
    while let Some(chunk) = chunks.get(index)
        && at >= chunk.len() as u64
    {
        at -= chunk.len() as u64;
        index += 1;
    }
    (index, usize::try_from(at).unwrap_or(usize::MAX))
}

impl Read for Received {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if let Some(chunk) = self.held.front() {
                if self.at < chunk.len() {
                    let count = buf.len().min(chunk.len() - self.at);
                    buf[..count].copy_from_slice(&chunk[self.at..self.at + count]);
                    self.at += count;
                    return Ok(count);
                }
                self.held.pop_front();
                self.at = 0;
                continue;
            }
            match self.receiver.recv() {
                Ok(chunk) => self.held.push_back(chunk),
                Err(_) => return Ok(0),
            }
        }
    }
}

/// How `sheet_in_halves` read a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Halves {
    /// In two halves side by side.
    Two,
    /// From the start, alone.
    One,
}

/// Where a scan asked to stop at the end of a row stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stopped {
    /// It was not asked to.
    No,
    /// Exactly at the cut, with only the sheet and its cells open (as a reading from the cut
    /// assumes).
    AtCut,
    /// Past it, or with other elements open.
    Elsewhere,
}

/// Where a scan of a sheet's cells is, and what it has counted.
struct Scan<'s> {
    place: &'s str,
    strings: &'s Strings,
    tally: Tally,
    /// The cells' text, once shared strings and formulas are written out.
    text: u64,
    row: u64,
    column: u64,
    shared: HashMap<usize, SharedFormula>,
    shared_slots: u64,
    filled: u64,
    look: Option<SheetLook>,
    values: Option<SheetValues>,
    /// Whether it read to the end of the cells (`</sheetData>`).
    ended: bool,
    /// Whether it was asked to stop at a row's end, and where.
    stopped: Stopped,
    /// The elements open, as the XML reader counts them.
    depth: i64,
    /// Whether it met a shared formula.
    shared_formulas: bool,
}

impl<'s> Scan<'s> {
    fn new(place: &'s str, strings: &'s Strings, look: Option<SheetLook>, values: Option<SheetValues>) -> Scan<'s> {
        Scan {
            place,
            strings,
            tally: Tally::default(),
            text: 0,
            row: 0,
            column: 0,
            shared: HashMap::new(),
            shared_slots: 0,
            filled: 0,
            look,
            values,
            ended: false,
            stopped: Stopped::No,
            depth: 0,
            shared_formulas: false,
        }
    }

    /// The scan of the cells after this one's (`later`) taken into it; false when the two
    /// together pass a limit (the scan from the start says where).
    fn join(&mut self, later: Scan<'_>) -> bool {
        self.tally.stored = self.tally.stored.saturating_add(later.tally.stored);
        if let Some(span) = later.tally.used {
            self.tally.place(span.top, span.left);
            self.tally.place(span.bottom, span.right);
        }
        self.text = self.text.saturating_add(later.text);
        if self.tally.stored > limits::max_cells()
            || self.tally.check_range(self.place).is_err()
            || self.text > limits::max_unpacked().0
        {
            return false;
        }
        match (&mut self.look, later.look) {
            (Some(look), Some(later)) => look.append(later),
            (look, _) => *look = None,
        }
        match (&mut self.values, later.values) {
            (Some(values), Some(later)) => values.cells.extend(later.cells),
            (values, _) => *values = None,
        }
        true
    }

    /// The cells, from within `<sheetData>` to its end (and the rest of the part shown to the
    /// look), or to the end of the first row for which `stop` (given the byte of the part where
    /// the row ends) says to stop, and whether that is where it was to stop.
    fn cells<R: BufRead>(
        &mut self,
        xml: &mut Reader<R>,
        buf: &mut Vec<u8>,
        stop: &mut dyn FnMut(u64) -> Option<bool>,
    ) -> Result<(), Stop> {
        let mut inner = Vec::new();
        let mut v = Vec::new();
        loop {
            buf.clear();
            let event = xml.read_event_into(buf);
            // A row's or cell's start is shown to the look with the attributes read below.
            if !matches!(&event, Ok(Event::Start(element)) if matches!(element.local_name().as_ref(), b"c" | b"row")) {
                shown(&mut self.look, &event);
            }
            match &event {
                // A cell's start is counted here, its end where it is read.
                Ok(Event::Start(_)) => self.depth += 1,
                Ok(Event::End(_)) => self.depth -= 1,
                _ => {}
            }
            match event {
                Ok(Event::Start(element)) if element.local_name().as_ref() == b"row" => {
                    // Its attributes walked once, for the scan, the values and the look.
                    let (mut reference, mut row_look) = (None, RowLook::default());
                    let sound = walk_attributes(
                        &element,
                        &[b"r"],
                        |_, value| reference = Some(place_of(value)),
                        RowLook::NAMES,
                        |which, value| row_look.take(which, value),
                    );
                    if let Some(look) = &mut self.look {
                        look.row(row_look);
                    }
                    if !sound {
                        self.values = None;
                    }
                    if let Some(placed) = reference {
                        self.row = placed.map_err(|bad| bad.stop(self.place))?.0;
                    }
                }
                Ok(Event::End(element)) if element.local_name().as_ref() == b"row" => {
                    self.row += 1;
                    self.column = 0;
                    if let Some(exactly) = stop(xml.buffer_position()) {
                        self.stopped = if exactly && self.depth == 2 { Stopped::AtCut } else { Stopped::Elsewhere };
                        break;
                    }
                }
                Ok(Event::Start(element)) if element.local_name().as_ref() == b"c" => {
                    self.cell(xml, &element, &mut inner, &mut v)?;
                }
                Ok(Event::End(element)) if element.local_name().as_ref() == b"sheetData" => {
                    self.ended = true;
                    rest_shown(xml, buf, &mut self.look);
                    break;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        // Cells kept from a sheet read to the end of its cells only: calamine fails on the rest.
        if !self.ended && self.stopped == Stopped::No {
            self.values = None;
        }
        Ok(())
    }

    /// One cell, from its start `element` to its end, placed, counted and checked.
    fn cell<R: BufRead>(
        &mut self,
        xml: &mut Reader<R>,
        element: &BytesStart<'_>,
        inner: &mut Vec<u8>,
        v: &mut Vec<u8>,
    ) -> Result<(), Stop> {
        let place = self.place;
        let (attributes, reference) = cell_attributes(element, &mut self.look);
        if !attributes.sound {
            self.values = None;
        }
        let at = match reference {
            Some(placed) => {
                let (r, c) = placed.map_err(|bad| bad.stop(place))?;
                self.column = c.ok_or(Stop::Unreadable)?;
                (r, self.column)
            }
            None => (self.row, self.column),
        };
        if at.0 >= XLSX_EDGE.rows || at.1 >= XLSX_EDGE.columns {
            return Err(damaged(
                place,
                &format!("it has a cell at {}, beyond the edge of a sheet", cell_name(at.0, at.1)),
            )
            .into());
        }
        let cell = cell(
            place,
            xml,
            at,
            &attributes,
            self.strings,
            &mut self.shared,
            &mut self.look,
            inner,
            &mut self.values,
            v,
        )?;
        self.shared_formulas |= cell.shared_formula;
        self.depth += cell.opened;
        if cell.filled {
            self.tally.place(at.0, at.1);
            self.tally.store(place, 1)?;
        }
        // A new shared formula's range: the library fills a map of it at once, and a slot for
        // its index.
        if let Some(formula) = cell.new_shared {
            self.filled = self.filled.saturating_add(formula.span.cells());
            self.shared_slots = self.shared_slots.max(formula.index as u64 + 1);
            if self.filled.saturating_add(self.shared_slots) > limits::max_cells() {
                return Err(InputError::file(
                    place,
                    format!(
                        "has shared formulas over {} cells (the last at {}): {}",
                        self.filled,
                        formula.span.name(),
                        limits::raise_cells()
                    ),
                )
                .into());
            }
        }
        self.text = self.text.saturating_add(cell.text);
        if self.text > limits::max_unpacked().0 {
            return Err(InputError::file(
                place,
                format!(
                    "has cells holding more than {} of text once its shared strings and formulas are written out \
                     in each cell (up to {}): {}",
                    limits::max_unpacked(),
                    cell_name(at.0, at.1),
                    limits::raise_unpacked()
                ),
            )
            .into());
        }
        self.column += 1;
        // Each cell is checked as it comes; the range once its last corner may have moved.
        self.tally.check_range(place)?;
        Ok(())
    }
}

/// Up to the cells: the declared range on the way (the library parses it, so a range beyond
/// the sheet's edge breaks it).
/// Whether the values may be taken is returned: not when calamine reads what comes before the
/// cells otherwise than plainly (a dimension without a `ref` it finds, or with an attribute it
/// cannot read before it; a first element whose name is not UTF-8; a part in another encoding).
fn up_to_cells<R: BufRead>(
    place: &str,
    xml: &mut Reader<R>,
    buf: &mut Vec<u8>,
    look: &mut Option<SheetLook>,
) -> Result<(bool, i64), Stop> {
    let (mut plain, mut first, mut depth) = (true, true, 0);
    loop {
        let event = xml.read_event_into(buf);
        shown(look, &event);
        match &event {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            _ => {}
        }
        match event {
            Ok(Event::Start(element)) if element.local_name().as_ref() == b"dimension" => {
                if let Some(range) = raw_attribute(&element, b"ref") {
                    let span = range_of(&range).map_err(|bad| bad.stop(place))?;
                    check_declared(place, span, XLSX_EDGE)?;
                }
                let mut found = false;
                for attribute in element.attributes() {
                    match attribute {
                        Ok(attribute) if attribute.key.as_ref() == b"ref" => {
                            found = true;
                            break;
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
                plain &= found;
            }
            Ok(Event::Start(element)) if element.local_name().as_ref() == b"sheetData" => {
                return Ok((plain && xml.decoder().encoding() == encoding_rs::UTF_8, depth));
            }
            Ok(Event::Start(element)) => {
                plain &= !first || std::str::from_utf8(element.local_name().as_ref()).is_ok();
                first = false;
            }
            Ok(Event::Eof) | Err(_) => return Err(Stop::Unreadable),
            _ => {}
        }
        buf.clear();
    }
}

/// The rest of the part (its merged cells) shown to the look being taken.
fn rest_shown<R: BufRead>(xml: &mut Reader<R>, buf: &mut Vec<u8>, look: &mut Option<SheetLook>) {
    while look.as_ref().is_some_and(|look| !look.failed()) {
        buf.clear();
        let event = xml.read_event_into(buf);
        shown(look, &event);
        if matches!(event, Ok(Event::Eof) | Err(_)) {
            break;
        }
    }
}

/// A reference read as `place_of` reads it.
type Placed = Result<(u64, Option<u64>), Bad>;

/// A cell's type (`t`) as calamine tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    /// No `t`, or `n`.
    Number,
    /// `s`: an index into the shared strings.
    Shared,
    /// `b`.
    Bool,
    /// `inlineStr` (or `is`): its `<v>`, if any, is not read.
    Inline,
    /// Any other (`str`, `e`, `d`, unknown): not kept.
    Other,
}

/// A cell's format (`s`) as calamine reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// No `s`.
    Without,
    /// The format of this index.
    At(u32),
    /// Written in a way the values do not take (`01`, `x`).
    Odd,
}

/// What the scan reads of a cell's attributes.
struct Attributes {
    /// Its type.
    kind: Type,
    /// Its cell format (`s`) as calamine reads it.
    style: Style,
    /// Whether every attribute could be read.
    sound: bool,
}

/// A cell's attributes in one walk, for the scan, the values and the look (shown them): its
/// type and cell format, and its place if it says it.
fn cell_attributes(element: &BytesStart<'_>, look: &mut Option<SheetLook>) -> (Attributes, Option<Placed>) {
    let mut attributes = Attributes { kind: Type::Number, style: Style::Without, sound: true };
    let mut reference = None;
    let mut cell_look = CellLook::default();
    attributes.sound = walk_attributes(
        element,
        &[b"t", b"r", b"s"],
        |which, value| match which {
            0 => {
                attributes.kind = match value {
                    b"n" => Type::Number,
                    b"s" => Type::Shared,
                    b"b" => Type::Bool,
                    b"inlineStr" | b"is" => Type::Inline,
                    _ => Type::Other,
                };
            }
            1 => reference = Some(place_of(value)),
            _ => attributes.style = held::plain_index(value).map_or(Style::Odd, Style::At),
        },
        CellLook::NAMES,
        |which, value| cell_look.take(which, value),
    );
    if let Some(taking) = look {
        taking.cell(cell_look);
    }
    (attributes, reference)
}

/// `event` shown to the look being taken; an XML error ends it, unless it has already failed
/// (a reading of the look alone stops there too).
fn shown(look: &mut Option<SheetLook>, event: &Result<Event<'_>, quick_xml::Error>) {
    match event {
        Ok(Event::Eof) => {}
        Ok(event) => {
            if let Some(taking) = look {
                taking.event(event);
            }
        }
        Err(_) => {
            if look.as_ref().is_some_and(|taking| !taking.failed()) {
                *look = None;
            }
        }
    }
}

/// What one `<c>` holds, as far as the limits go.
struct Cell {
    /// Whether it has a value or a formula (an empty `<c>` is formatting only).
    filled: bool,
    /// Whether it has a formula, and a shared one.
    formula: bool,
    shared_formula: bool,
    /// The elements it opened less those it closed, its own end among them: what the XML
    /// reader's count of open elements moved by.
    opened: i64,
    /// The most bytes of text it holds once written out.
    text: u64,
    new_shared: Option<NewShared>,
}

struct NewShared {
    index: usize,
    span: Span,
}

/// The element a cell's text is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inside {
    F,
    V,
    Other,
}

/// The direct child of a `<c>` whose value is being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Child {
    V,
    Is,
    /// The `<t>` of an `<is>`.
    IsText,
}

/// A cell's value read event by event as calamine reads it, for `values`: `taken` false at
/// the first shape the values do not take.
struct Reading {
    taken: bool,
    children: u8,
    child: Option<Child>,
    held: Shape,
    text: String,
}

/// What a cell held.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Nothing,
    /// A `<v>`, without or with its one text.
    V {
        text: bool,
    },
    Is,
}

impl Reading {
    fn new(taken: bool) -> Reading {
        Reading { taken, children: 0, child: None, held: Shape::Nothing, text: String::new() }
    }

    /// The event `event`, met `depth` elements inside the `<c>`; a `<v>`'s text is kept in `v`.
    fn event(&mut self, depth: usize, event: &Event<'_>, v: &mut Vec<u8>) {
        if self.taken && !self.step(depth, event, v) {
            self.taken = false;
        }
    }

    fn step(&mut self, depth: usize, event: &Event<'_>, v: &mut Vec<u8>) -> bool {
        match (event, depth, self.child) {
            (Event::Start(element), 0, _) => {
                self.children += 1;
                (self.child, self.held) = match element.name().as_ref() {
                    b"v" => (Some(Child::V), Shape::V { text: false }),
                    b"is" => (Some(Child::Is), Shape::Is),
                    _ => return false,
                };
                self.children == 1
            }
            (Event::Start(element), 1, Some(Child::Is)) if element.name().as_ref() == b"t" => {
                self.child = Some(Child::IsText);
                true
            }
            (Event::Text(content), 1, Some(Child::V)) if self.held == (Shape::V { text: false }) => {
                self.held = Shape::V { text: true };
                v.clear();
                v.extend_from_slice(content);
                true
            }
            (Event::Text(content), 2, Some(Child::IsText)) => held::push_text(content, &mut self.text),
            (Event::GeneralRef(name), 2, Some(Child::IsText)) => held::push_entity(name, &mut self.text),
            // Between elements, calamine reads no text.
            (Event::Text(_) | Event::GeneralRef(_), 0, _)
            | (Event::Text(_) | Event::GeneralRef(_), 1, Some(Child::Is)) => true,
            (Event::End(element), 1, Some(child @ (Child::V | Child::Is))) => {
                self.child = None;
                element.name().as_ref() == if child == Child::V { &b"v"[..] } else { b"is" }
            }
            (Event::End(element), 2, Some(Child::IsText)) => {
                self.child = Some(Child::Is);
                element.name().as_ref() == b"t"
            }
            _ => false,
        }
    }

    /// The value read, with the cell's `attributes`; `Err` when it is one the values do not
    /// take; `Ok(None)` for an empty cell (calamine keeps none).
    fn value(self, attributes: &Attributes, v: &[u8]) -> Result<Option<Value>, ()> {
        if !self.taken {
            return Err(());
        }
        match self.held {
            Shape::Is => return Ok(Some(Value::Text(self.text.into_boxed_str()))),
            // Even empty, a `<v>` of another type is read by calamine its own way.
            Shape::V { .. } if attributes.kind == Type::Other => return Err(()),
            Shape::V { text: true } if attributes.kind != Type::Inline => {}
            _ => return Ok(None),
        }
        Ok(Some(match attributes.kind {
            Type::Number => {
                let style = match attributes.style {
                    Style::Without => None,
                    Style::At(index) => Some(index),
                    Style::Odd => return Err(()),
                };
                Value::Number { value: held::plain_number(v).ok_or(())?, style }
            }
            Type::Shared => Value::Shared(held::plain_index(v).ok_or(())?),
            Type::Bool => Value::Bool(v != b"0"),
            Type::Inline | Type::Other => return Err(()),
        }))
    }
}

/// The value `reading` read of the cell at `at` kept in `values`, or `values` given up.
fn keep(values: &mut Option<SheetValues>, reading: Reading, attributes: &Attributes, v: &[u8], at: (u64, u64)) {
    if let Some(kept) = values {
        match reading.value(attributes, v) {
            Ok(Some(value)) => kept.cells.push(Held {
                // Below the sheet's edge, checked before the cell was read.
                row: u32::try_from(at.0).unwrap_or(u32::MAX),
                column: u32::try_from(at.1).unwrap_or(u32::MAX),
                value,
            }),
            Ok(None) => {}
            Err(()) => *values = None,
        }
    }
}

/// Reads a `<c>` at `at` to its end (showing each event to `look`), in `buf`; its value kept
/// in `values` (or `values` given up), with `v` as room for a `<v>`'s text.
#[allow(clippy::too_many_arguments)]
fn cell<R: BufRead>(
    place: &str,
    xml: &mut Reader<R>,
    at: (u64, u64),
    attributes: &Attributes,
    strings: &Strings,
    shared: &mut HashMap<usize, SharedFormula>,
    look: &mut Option<SheetLook>,
    buf: &mut Vec<u8>,
    values: &mut Option<SheetValues>,
    v: &mut Vec<u8>,
) -> Result<Cell, Stop> {
    let shared_string = attributes.kind == Type::Shared;
    let mut reading = Reading::new(values.is_some());
    let mut cell = Cell { filled: false, formula: false, shared_formula: false, opened: 0, text: 0, new_shared: None };
    let mut depth = 0usize;
    // The element a text is in (`v`, `t`, `f`), and a formula element's attributes.
    let mut inside: Option<Inside> = None;
    let mut formula: Option<(Option<usize>, Option<Vec<u8>>)> = None;
    let mut formula_size: u64 = 0;
    let mut value = Vec::new();
    loop {
        buf.clear();
        let event = xml.read_event_into(buf);
        shown(look, &event);
        if let Ok(event) = &event
            && !matches!(event, Event::End(element) if depth == 0 && element.local_name().as_ref() == b"c")
        {
            reading.event(depth, event, v);
        }
        match event {
            Ok(Event::Start(element)) => {
                (depth, cell.opened) = (depth + 1, cell.opened + 1);
                cell.filled = true;
                let name = match element.local_name().as_ref() {
                    b"f" => Inside::F,
                    b"v" => Inside::V,
                    _ => Inside::Other,
                };
                cell.formula |= name == Inside::F;
                if name == Inside::F && formula.is_none() {
                    let index = raw_attribute(&element, b"si").and_then(|si| parse_usize(&si));
                    let shared_kind = raw_attribute(&element, b"t").as_deref() == Some(b"shared".as_slice());
                    cell.shared_formula = shared_kind;
                    let range = raw_attribute(&element, b"ref").map(std::borrow::Cow::into_owned);
                    formula = Some((index.filter(|_| shared_kind), range));
                    // The library maps a shared formula's range as soon as it has read the
                    // formula, whether or not the cell then ends well: one range over the limit
                    // is refused here, before the cell's end.
                    if let Some((Some(_), Some(range))) = &formula {
                        let span = range_of(range).map_err(|bad| bad.stop(place))?;
                        check_declared(place, span, XLSX_EDGE)?;
                        if span.cells() > limits::max_cells() {
                            return Err(InputError::file(
                                place,
                                format!(
                                    "has a shared formula over {} cells ({}): {}",
                                    span.cells(),
                                    span.name(),
                                    limits::raise_cells()
                                ),
                            )
                            .into());
                        }
                    }
                }
                inside = Some(name);
            }
            // A text's raw bytes bound what it unescapes to; an entity is at most one character.
            Ok(Event::Text(content)) => match inside {
                Some(Inside::F) => formula_size += content.len() as u64,
                Some(Inside::V) if shared_string => value.extend_from_slice(&content),
                _ => cell.text += content.len() as u64,
            },
            Ok(Event::GeneralRef(_)) => match inside {
                Some(Inside::F) => formula_size += 4,
                _ => cell.text += 4,
            },
            Ok(Event::End(element)) if depth == 0 && element.local_name().as_ref() == b"c" => {
                cell.opened -= 1;
                break;
            }
            Ok(Event::End(_)) => {
                (depth, cell.opened) = (depth.saturating_sub(1), cell.opened - 1);
                inside = None;
            }
            Ok(Event::Eof) | Err(_) => return Err(Stop::Unreadable),
            _ => {}
        }
    }
    if shared_string && let Some(index) = parse_usize(&value) {
        cell.text += strings.at(index);
    }
    keep(values, reading, attributes, v, at);
    cell.text += formula_size;
    if let Some((Some(index), range)) = formula {
        match range {
            Some(range) => {
                let span = range_of(&range).map_err(|bad| bad.stop(place))?;
                check_declared(place, span, XLSX_EDGE)?;
                shared.insert(index, SharedFormula { span, size: formula_size });
                cell.new_shared = Some(NewShared { index, span });
            }
            // A cell of a shared formula's range gets its text, its references moved: each
            // reference grows at most from `A1` to `XFD1048576`.
            None => {
                if let Some(master) = shared.get(&index)
                    && master.span.top <= at.0
                    && at.0 <= master.span.bottom
                    && master.span.left <= at.1
                    && at.1 <= master.span.right
                {
                    cell.text += master.size.saturating_mul(6).saturating_add(16);
                }
            }
        }
    }
    Ok(cell)
}

/// A reference the library cannot read (it stops with an error), or one it would read as
/// another place (its counting overflows).
#[derive(Debug, PartialEq, Eq)]
enum Bad {
    Fails,
    Overflows(String),
}

impl Bad {
    fn stop(self, place: &str) -> Stop {
        match self {
            Bad::Fails => Stop::Unreadable,
            Bad::Overflows(what) => damaged(place, &what).into(),
        }
    }
}

/// `C7` as (row 6, Some(column 2)), `7` as (6, None), as the library reads a reference.
fn place_of(reference: &[u8]) -> Result<(u64, Option<u64>), Bad> {
    let mut column: u64 = 0;
    let mut row: u64 = 0;
    let mut digits = false;
    for &byte in reference {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' if !digits => {
                column = column * 26 + u64::from(byte.to_ascii_uppercase() - b'A') + 1;
            }
            b'0'..=b'9' => {
                digits = true;
                row = row * 10 + u64::from(byte - b'0');
            }
            _ => return Err(Bad::Fails),
        }
        if column > u64::from(u32::MAX) || row > u64::from(u32::MAX) {
            return Err(Bad::Overflows(format!(
                "the cell reference `{}` lies beyond any sheet",
                String::from_utf8_lossy(reference)
            )));
        }
    }
    let row = row.checked_sub(1).ok_or(Bad::Fails)?;
    Ok((row, column.checked_sub(1)))
}

/// `A1:D10` (or `B2`) as a span, as the library reads a range.
fn range_of(range: &[u8]) -> Result<Span, Bad> {
    let mut corners = range.split(|&byte| byte == b':').map(|corner| match place_of(corner)? {
        (row, Some(column)) => Ok((row, column)),
        (_, None) => Err(Bad::Fails),
    });
    let first = corners.next().ok_or(Bad::Fails)??;
    let last = corners.next().transpose()?.unwrap_or(first);
    if corners.next().is_some() {
        return Err(Bad::Fails);
    }
    Ok(Span { top: first.0, left: first.1, bottom: last.0, right: last.1 })
}

/// An attribute's raw bytes, by its exact name (as the library matches it).
fn raw_attribute<'e>(element: &'e BytesStart<'_>, name: &[u8]) -> Option<std::borrow::Cow<'e, [u8]>> {
    element.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value)
}

fn attribute(element: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    raw_attribute(element, name).map(|value| String::from_utf8_lossy(&value).into_owned())
}

fn parse_usize(text: impl AsRef<[u8]>) -> Option<usize> {
    std::str::from_utf8(text.as_ref()).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet's XML: `rows` rows of a ledger (text, an amount in format 1, a date in format
    /// 2), `extra` put in as the row of that index, and `tail` after the cells.
    fn sheet_xml(rows: u32, extra: &[(u32, &str)], tail: &str) -> Vec<u8> {
        use std::fmt::Write as _;
        let mut xml = String::from(
            r#"<?xml version="1.0"?><worksheet><dimension ref="A1:D9"/><cols><col min="4" max="4" hidden="1"/></cols><sheetData>"#,
        );
        for row in 1..=rows {
            if let Some((_, text)) = extra.iter().find(|(at, _)| *at == row) {
                xml.push_str(text);
                continue;
            }
            let hidden = if row % 97 == 0 { r#" hidden="1""# } else { "" };
            let _ = write!(
                xml,
                r#"<row r="{row}"{hidden}><c r="A{row}" t="inlineStr"><is><t>Insats {row} &amp; co</t></is></c><c r="B{row}" s="1"><v>{}</v></c><c r="C{row}" s="2"><v>{}</v></c><c r="D{row}" t="s"><v>{}</v></c></row>"#,
                row * 125,
                43_000 + row,
                row % 2
            );
        }
        xml.push_str("</sheetData>");
        xml.push_str(tail);
        xml.push_str("</worksheet>");
        xml.into_bytes()
    }

    /// Everything a scan of `bytes` gives: its result, look and values, in words; in halves,
    /// unpacked `chunk` bytes at a time.
    fn scanned(bytes: &[u8], halves: Option<usize>) -> (String, Option<Halves>) {
        let strings = Strings { most_from: vec![5, 5], texts: Some(vec!["a".into(), "b".into()]) };
        let (mut look, mut values) = (Some(SheetLook::new()), Some(SheetValues::default()));
        let (result, how) = if let Some(chunk) = halves {
            match sheet_in_chunks("test", bytes, bytes.len() as u64, &strings, &mut look, &mut values, chunk) {
                Some(Ok(how)) => (Ok(()), Some(how)),
                Some(Err(err)) => (Err(err), None),
                None => panic!("a part in memory is read"),
            }
        } else {
            (sheet("test", bytes, &strings, &mut look, &mut values), None)
        };
        let formats = vec![crate::io::sheet::format::NumberFormat::general(); 3];
        let look = look.map(|look| look.finish(formats));
        (format!("{result:?}\n{look:?}\n{values:?}"), how)
    }

    /// A ledger of 4 000 rows whose rows 1 900 to 2 099 (about the middle) each start with
    /// `start` instead of `<row`.
    fn around_the_middle(start: &str) -> Vec<u8> {
        let mut xml = String::from_utf8(sheet_xml(4000, &[], "")).unwrap();
        for hundred in ["19", "20"] {
            xml = xml.replace(&format!(r#"</row><row r="{hundred}"#), &format!(r#"</row>{start} r="{hundred}"#));
        }
        xml.into_bytes()
    }

    /// Sheets to read in halves, and how each is to be read (`None`: refused either way).
    fn sheets_in_halves() -> Vec<(&'static str, Vec<u8>, Option<Halves>)> {
        let merged = r#"<mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells>"#;
        let with_row = |at: u32, row: &str| sheet_xml(4000, &[(at, row)], "");
        let odd_row =
            r#"<row r="2000" hidden="1"><c r="B2000"><v>1.5E-2</v></c><c><v>7</v></c><c t="b"><v>1</v></c></row>"#;
        [
            ("a ledger", sheet_xml(4000, &[], merged), Some(Halves::Two)),
            ("cells without a place, in the second half", sheet_xml(4000, &[(3000, odd_row)], ""), Some(Halves::Two)),
            (
                "a formula in the first half",
                with_row(10, r#"<row r="10"><c r="A10"><f>1+1</f><v>2</v></c></row>"#),
                Some(Halves::Two),
            ),
            (
                "a formula in the second half",
                with_row(3000, r#"<row r="3000"><c r="A3000"><f>1+1</f><v>2</v></c></row>"#),
                Some(Halves::Two),
            ),
            (
                "a shared formula in the second half",
                sheet_xml(
                    4000,
                    &[(
                        3000,
                        r#"<row r="3000"><c r="A3000"><f t="shared" ref="A3000:A3001" si="0">1+1</f><v>2</v></c></row>"#,
                    )],
                    "",
                ),
                Some(Halves::One),
            ),
            (
                "the cells ending before the middle, rows after them in a comment",
                sheet_xml(
                    500,
                    &[],
                    &format!("<!-- {} -->", r#"</row><row r="9000"><c r="A9000"><v>9</v></c>"#.repeat(4000)),
                ),
                Some(Halves::One),
            ),
            (
                "the cells ending before the middle, rows after them in an extension",
                sheet_xml(
                    500,
                    &[],
                    &format!(
                        "<extLst><ext><y:sheetData>{}</y:sheetData></ext></extLst>",
                        r#"<row r="9000"><c r="A9000"><v>9</v></c></row>"#.repeat(4000)
                    ),
                ),
                Some(Halves::One),
            ),
            (
                "an end without a start in the first half",
                with_row(100, r#"<row r="100"><c r="A100"><v>1</v></c></row></row>"#),
                None,
            ),
            (
                "a cell's end without a start in the first half",
                with_row(100, r#"<row r="100"><c r="A100"><v>1</v></c></c></row>"#),
                None,
            ),
            ("the cut inside a comment", around_the_middle(r#"<!-- </row><row r="1"> --><row"#), Some(Halves::One)),
            ("the cut inside an attribute", around_the_middle(r#"<row x='</row><row r="1">'"#), Some(Halves::One)),
            (
                "a row without its place where the cut would fall",
                with_row(2002, "<row><c><v>5</v></c></row>"),
                Some(Halves::Two),
            ),
            (
                "a cell the values do not take, in the second half",
                with_row(3500, r#"<row r="3500"><c r="A3500" t="e"><v>#N/A</v></c></row>"#),
                Some(Halves::Two),
            ),
            (
                "a cell that cannot be placed, in the second half",
                with_row(3500, r#"<row r="3500"><c r="A0"><v>1</v></c></row>"#),
                None,
            ),
            (
                "broken XML in the second half",
                with_row(3500, r#"<row r="3500"><c r="A3500"><v>1</v></c></row"#),
                None,
            ),
        ]
        .into()
    }

    #[test]
    fn a_sheet_read_in_two_halves_reads_as_from_the_start() {
        for (what, bytes, expected) in sheets_in_halves() {
            let (alone, _) = scanned(&bytes, None);
            // In one chunk, in chunks of a page, and in chunks shorter than the cut's mark.
            for chunk in [1 << 20, 4096, 5] {
                let (in_halves, how) = scanned(&bytes, Some(chunk));
                assert_eq!(in_halves, alone, "{what}, chunks of {chunk}");
                // (A refusal says how it was read by being the same refusal.)
                if expected.is_some() {
                    assert_eq!(how, expected, "{what}, chunks of {chunk}");
                }
            }
        }
    }

    #[test]
    fn the_cut_is_found_after_the_middle_within_a_chunk_or_across_two() {
        let mark = CUT;
        // Within the chunk, before and after the middle.
        let chunk = [b"..".as_slice(), mark, b"....", mark].concat();
        let second = 2 + mark.len() + 4;
        assert_eq!(find_cut(&[], &chunk, 100, 100), Some(100 + 2 + 6));
        assert_eq!(find_cut(&[], &chunk, 100, 103), Some(100 + second as u64 + 6));
        // Across the start of the chunk: the carry holds its first 5 bytes.
        let (carry, rest) = mark.split_at(5);
        assert_eq!(find_cut(carry, rest, 50, 40), Some(45 + 6));
        assert_eq!(find_cut(carry, rest, 50, 46), None);
    }

    #[test]
    fn references_are_read_as_the_library_reads_them_or_refused() {
        assert_eq!(place_of(b"C7"), Ok((6, Some(2))));
        assert_eq!(place_of(b"XFD1048576"), Ok((1_048_575, Some(16_383))));
        assert_eq!(place_of(b"7"), Ok((6, None)));
        // What the library refuses itself, and what it would count past 32 bits.
        assert_eq!(place_of(b"A0"), Err(Bad::Fails));
        assert_eq!(place_of(b"A1B"), Err(Bad::Fails));
        assert!(matches!(place_of(b"A99999999999"), Err(Bad::Overflows(_))));
        assert!(matches!(place_of(b"ZZZZZZZZ1"), Err(Bad::Overflows(_))));
        assert_eq!(range_of(b"A1:D10").unwrap().cells(), 40);
        assert!(range_of(b"A1:B2:C3").is_err());
    }
}
