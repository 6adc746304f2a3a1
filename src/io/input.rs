//! Reading input files: from disk, stdin (`-`) or the bundled data, as UTF-8 text with any BOM
//! removed, and the error type that points at a place in one of them.

use crate::io::error::InputError;
use crate::io::lines::Lines;
use std::collections::BTreeSet;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use thiserror::Error;

/// The text of one input and where it came from.
#[derive(Debug, Clone)]
pub struct Input {
    /// How errors and outputs name this input: a path as given, `<stdin>`, or `bundled:…`.
    pub label: String,
    /// The file on disk, when there is one (for resolving relative paths).
    pub path: Option<PathBuf>,
    pub text: String,
    /// Whether the bytes began with a UTF-8 BOM (removed from `text`), so that `sha256` is
    /// the file's own.
    had_bom: bool,
    /// SHA-256 of the file's bytes when `text` is not them (a workbook, a decoded file).
    digest: Option<String>,
    /// Where a line of `text` is in the file (a sheet's row, a rearranged layout's line).
    locator: Locator,
    /// What a user should know about how the file was read (its encoding), for stderr.
    note: Option<String>,
}

/// Where a line of an input's text is in the file, for messages: a text file's line is itself;
/// a sheet's line is a row and its field a column (`plan.xlsx, sheet Blad1, cell C7`); a text
/// rearranged from another layout (SCB's wide export) maps each line back to the line and
/// field it came from.
#[derive(Debug, Clone, Default)]
pub struct Locator {
    /// The sheet the text was read from, when the input is a workbook.
    sheet: Option<String>,
    /// For a rearranged text, line `n` (1-based) of it came from `lines[n - 1]`: the line and
    /// field (1-based) of the text before rearranging; `(0, 0)` for a line of no one place.
    lines: Option<Arc<Vec<(u32, u32)>>>,
    /// The cells of a sheet (row and column, from 1) that hold dates: a problem at one may be
    /// a figure Excel turned into a date, and the message says so.
    dates: Option<Arc<BTreeSet<(u32, u32)>>>,
}

impl Locator {
    /// The locator of a workbook's sheet, `dates` its date cells.
    #[must_use]
    pub fn of_sheet(sheet: String, dates: BTreeSet<(u32, u32)>) -> Locator {
        Locator { sheet: Some(sheet), lines: None, dates: (!dates.is_empty()).then(|| Arc::new(dates)) }
    }

    /// Whether lines are rows of a sheet.
    #[must_use]
    pub fn is_sheet(&self) -> bool {
        self.sheet.is_some()
    }

    /// How this input's places are numbered: a sheet's are rows.
    #[must_use]
    pub fn lines(&self) -> Lines {
        if self.is_sheet() { Lines::Sheet } else { Lines::Text }
    }

    /// Whether the text was rearranged, its lines not the file's.
    #[must_use]
    pub fn is_rearranged(&self) -> bool {
        self.lines.is_some()
    }

    /// This locator for lines that are the file's already (a rearranged text's, mapped back).
    #[must_use]
    pub fn of_file_lines(&self) -> Locator {
        Locator { sheet: self.sheet.clone(), lines: None, dates: self.dates.clone() }
    }

    /// The line of the file that line `line` of the text came from (itself, unless the text
    /// was rearranged).
    #[must_use]
    pub fn file_line(&self, line: usize) -> usize {
        match self.lines.as_deref().and_then(|lines| line.checked_sub(1).and_then(|index| lines.get(index))) {
            Some(&(original, _)) if original > 0 => original as usize,
            _ => line,
        }
    }

    /// `err` (about the input `label`) pointing at the place in the file it is about: a sheet's
    /// row or cell, the line of a rearranged text. Errors about other files are left alone.
    #[must_use]
    pub fn place(&self, label: &str, err: InputError) -> InputError {
        if err.file != label || (self.sheet.is_none() && self.lines.is_none()) {
            return err;
        }
        let (mut line, mut column, mut message) = (err.line, err.column, err.message);
        if let (Some(lines), Some(at)) = (&self.lines, line) {
            match at.checked_sub(1).and_then(|index| lines.get(index)) {
                Some(&(0, _)) => line = None,
                Some(&(original, field)) => {
                    line = Some(original as usize);
                    if self.sheet.is_some() {
                        column = Some(field as usize);
                    } else {
                        column = None;
                        message = format!("field {field}: {message}");
                    }
                }
                None => {}
            }
        }
        let Some(sheet) = &self.sheet else {
            return InputError { file: err.file, line, column, message };
        };
        // A sheet has rows: a message naming another line of it names that row.
        let message = Lines::Sheet.reword(&message);
        let at_date = match (line, column, &self.dates) {
            (Some(row), Some(column), Some(dates)) => {
                dates.contains(&(u32::try_from(row).unwrap_or(0), u32::try_from(column).unwrap_or(0)))
            }
            _ => false,
        };
        let message = if at_date && !message.contains("date") {
            format!(
                "{message} (the cell holds a date: Excel makes a date of a figure typed as 1/3 or 1-3, and Swedish \
                 Excel of one typed as 1.3; give the cell a number or text format and type the figure again)"
            )
        } else {
            message
        };
        let file = match (line, column) {
            // Columns count from 1 (A); a sheet has at most 16 384, well within u32.
            (Some(row), Some(column)) if column > 0 => format!(
                "{label}, sheet {sheet}, cell {}{row}",
                crate::io::sheet::column_name(u32::try_from(column - 1).unwrap_or(u32::MAX))
            ),
            (Some(row), None) => format!("{label}, sheet {sheet}, row {row}"),
            _ => format!("{label}, sheet {sheet}"),
        };
        InputError { file, line: None, column: None, message }
    }
}

impl Input {
    /// An input held in memory (bundled data, tests).
    #[must_use]
    pub fn from_text(label: &str, text: &str) -> Input {
        let stripped = text.strip_prefix('\u{feff}');
        Input {
            label: label.to_string(),
            path: None,
            text: stripped.unwrap_or(text).to_string(),
            had_bom: stripped.is_some(),
            digest: None,
            locator: Locator::default(),
            note: None,
        }
    }

    /// The same file as another text: `text` rearranged from this input's, line `n` of it
    /// from the line and field `lines[n - 1]` of this input's text (see `Locator`).
    #[must_use]
    pub fn rearranged(&self, text: String, lines: Vec<(u32, u32)>) -> Input {
        let original = self.locator.lines.as_deref();
        // Composed with this input's own map, so that a place is always one in the file.
        let lines = lines
            .into_iter()
            .map(|(line, field)| match original {
                Some(map) => (line as usize).checked_sub(1).and_then(|index| map.get(index)).copied().unwrap_or((0, 0)),
                None => (line, field),
            })
            .collect();
        Input {
            label: self.label.clone(),
            path: self.path.clone(),
            text,
            had_bom: self.had_bom,
            digest: Some(self.digest.clone().unwrap_or_else(|| self.sha256())),
            locator: Locator { lines: Some(Arc::new(lines)), ..self.locator.clone() },
            note: self.note.clone(),
        }
    }

    /// Where the lines of `text` are in the file.
    #[must_use]
    pub fn locator(&self) -> &Locator {
        &self.locator
    }

    /// Whether the text is a workbook's sheet (never TOML, always `;`-separated).
    #[must_use]
    pub fn is_sheet(&self) -> bool {
        self.locator.is_sheet()
    }

    /// How this input's places are numbered (see `Lines`).
    #[must_use]
    pub fn lines(&self) -> Lines {
        self.locator.lines()
    }

    /// `err` pointing at its place in the file (see `Locator::place`).
    #[must_use]
    pub fn place(&self, err: InputError) -> InputError {
        self.locator.place(&self.label, err)
    }

    /// A message about this input that names its places as lines (`plan.xlsx, line 4: …, the
    /// first on line 2`) as the file's places: on a sheet, `plan.xlsx, sheet Blad1, row 4: …,
    /// the first on row 2`. For the errors of the work done on what was read, which name the
    /// file by its label.
    #[must_use]
    pub fn placed_message(&self, message: &str) -> String {
        let Some(sheet) = &self.locator.sheet else {
            return message.to_string();
        };
        // A message about another file is left as it is.
        match message.strip_prefix(&format!("{}, ", self.label)) {
            Some(rest) => format!("{}, sheet {sheet}, {}", self.label, Lines::Sheet.reword(rest)),
            None => message.to_string(),
        }
    }

    /// How the file was read, when a user should know it (another encoding than UTF-8).
    #[must_use]
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Read a table (a population file, a plan): as `read`, but a workbook is read too (sheet
    /// `sheet`, else its first) and so is text that Excel saved as Windows-1252.
    pub fn read_table(path: &Path, sheet: Option<&str>) -> Result<Input, TableReadError> {
        Input::read_table_halved_from(path, sheet, READ_IN_HALVES)
    }

    /// `read_table`, reading a text file of `halved_from` bytes or more in halves.
    fn read_table_halved_from(path: &Path, sheet: Option<&str>, halved_from: u64) -> Result<Input, TableReadError> {
        let label = path.display().to_string();
        let stdin = path.as_os_str() == "-";
        // A large UTF-8 file (a ledger, a population) read in halves side by side. A sheet
        // named for a text file is an error the usual way says.
        if !stdin
            && sheet.is_none()
            && let Some((text, had_bom)) = text_in_halves(path, halved_from)
        {
            return Ok(Input { label, path: Some(path.to_path_buf()), text, had_bom, ..Input::from_text("", "") });
        }
        let bytes = read_bytes(path, true)?;
        let label = if stdin { "<stdin>".to_string() } else { label };
        let fail = |problem| ReadError { file: label.clone(), line: None, problem };
        let digest;
        let (text, locator, note) = match not_text(&bytes) {
            Some(kind @ (NotText::Xlsx | NotText::Ods | NotText::Xls)) => {
                digest = Some(sha256_hex(&bytes));
                let read = crate::io::sheet::read_sheet(&label, &bytes, sheet, kind)?;
                (read.text, Locator::of_sheet(read.sheet, read.dates), read.note)
            }
            kind => {
                if let Some(sheet) = sheet {
                    return Err(fail(ReadProblem::SheetOfText(sheet.to_string())).into());
                }
                // Excel's "Unicode text" is refused as before: the message says how to save the
                // sheet so that fordela reads it, and no Save As dialog offers it as CSV.
                if let Some(kind) = kind {
                    return Err(fail(ReadProblem::NotText(kind)).into());
                }
                {
                    let had_bom = bytes.starts_with(b"\xef\xbb\xbf");
                    // UTF-8, the hot path (a population file of a million rows): checked once.
                    let bytes = match String::from_utf8(bytes) {
                        Ok(mut text) => {
                            if had_bom {
                                text.drain(..3);
                            }
                            let path = (!stdin).then(|| path.to_path_buf());
                            return Ok(Input { label, path, text, had_bom, ..Input::from_text("", "") });
                        }
                        Err(err) => err.into_bytes(),
                    };
                    digest = Some(sha256_hex(&bytes));
                    let body = if had_bom { &bytes[3..] } else { &bytes[..] };
                    let text = decode_windows_1252(body, had_bom).map_err(|(problem, offset)| ReadError {
                        file: label.clone(),
                        line: Some(line_of(body, offset)),
                        problem: problem.unwrap_or(ReadProblem::NotUtf8 { byte: body[offset.min(body.len() - 1)] }),
                    })?;
                    let note = format!(
                        "{label} is not UTF-8 and was read as Windows-1252 (what Excel saves as \"CSV \
                         (semikolonavgränsad)\")"
                    );
                    (text, Locator::default(), Some(note))
                }
            }
        };
        Ok(Input { label, path: (!stdin).then(|| path.to_path_buf()), text, had_bom: false, digest, locator, note })
    }

    /// Read `path` (or stdin for `-`) as UTF-8, refusing an input over `max_input_size` (or
    /// one that is not text) as soon as it shows, before holding it in memory.
    pub fn read(path: &Path) -> Result<Input, ReadError> {
        let label = path.display().to_string();
        let fail = |problem| ReadError { file: label.clone(), line: None, problem };
        let bytes = read_bytes(path, false)?;
        if let Some(format) = not_text(&bytes) {
            return Err(fail(ReadProblem::NotText(format)));
        }
        let had_bom = bytes.starts_with(b"\xef\xbb\xbf");
        let text = decode_utf8(bytes).map_err(|(line, byte)| ReadError {
            file: label.clone(),
            line: Some(line),
            problem: ReadProblem::NotUtf8 { byte },
        })?;
        Ok(Input {
            label: if path.as_os_str() == "-" { "<stdin>".to_string() } else { label },
            path: (path.as_os_str() != "-").then(|| path.to_path_buf()),
            text,
            had_bom,
            ..Input::from_text("", "")
        })
    }

    /// SHA-256 of the input's bytes, in hex: what an auditor checks a file against.
    #[must_use]
    pub fn sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        if let Some(digest) = &self.digest {
            return digest.clone();
        }
        let mut hasher = Sha256::new();
        if self.had_bom {
            hasher.update(b"\xef\xbb\xbf");
        }
        hasher.update(self.text.as_bytes());
        hex(&hasher.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(64), |mut hex, byte| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// The 1-based line of byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytecount::count(&bytes[..offset.min(bytes.len())], b'\n') + 1
}

/// Bytes Windows-1252 leaves undefined: a file holding one is not Windows-1252 text.
const UNDEFINED_IN_1252: [u8; 5] = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

/// `bytes` (not UTF-8) read as Windows-1252; or, with the offset of the byte that rules it
/// out, why they are not: a byte Windows-1252 leaves undefined (`Some` problem), or a BOM or a
/// UTF-8 sequence that says the file is UTF-8 with a broken byte (`None`: the UTF-8 error).
fn decode_windows_1252(bytes: &[u8], had_bom: bool) -> Result<String, (Option<ReadProblem>, usize)> {
    if let Some(offset) = bytes.iter().position(|byte| UNDEFINED_IN_1252.contains(byte)) {
        return Err((Some(ReadProblem::Neither { byte: bytes[offset], offset }), offset));
    }
    let invalid = std::str::from_utf8(bytes).map_or(0, |_| bytes.len());
    let invalid = if invalid == 0 { first_invalid_utf8(bytes) } else { invalid };
    // A UTF-8 letter elsewhere (`Ã¥` read as Windows-1252 is `å`) means the file is UTF-8 with
    // a broken byte, not Windows-1252: reading it so would turn its letters into others.
    if had_bom || holds_utf8_sequence(bytes) {
        return Err((None, invalid));
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    Ok(text.into_owned())
}

fn first_invalid_utf8(bytes: &[u8]) -> usize {
    std::str::from_utf8(bytes).err().map_or(bytes.len(), |err| err.valid_up_to())
}

/// Whether `bytes` hold a well-formed UTF-8 sequence of two or more bytes.
fn holds_utf8_sequence(bytes: &[u8]) -> bool {
    let mut at = 0;
    while at < bytes.len() {
        let width = match bytes[at] {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => {
                at += 1;
                continue;
            }
        };
        if let Some(sequence) = bytes.get(at..at + width)
            && std::str::from_utf8(sequence).is_ok()
        {
            return true;
        }
        at += 1;
    }
    false
}

/// Why a table could not be read: the file as a whole, or a place in a workbook.
#[derive(Debug, Error)]
pub enum TableReadError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Sheet(#[from] InputError),
}

thread_local! {
    /// A file held in memory on this thread, read in place of the path it is named by.
    static IN_MEMORY: std::cell::RefCell<Option<(PathBuf, Arc<Vec<u8>>)>> = const { std::cell::RefCell::new(None) };
}

/// Runs `work` with `bytes` read wherever the file `name` is read on this thread: a file
/// dropped on the web page goes through the same readers, under the same limits, and is named
/// by the same name, as one on disk, and is never written anywhere.
pub fn with_file_in_memory<T>(name: &Path, bytes: Arc<Vec<u8>>, work: impl FnOnce() -> T) -> T {
    struct Forget;
    impl Drop for Forget {
        fn drop(&mut self) {
            IN_MEMORY.with(|held| held.borrow_mut().take());
        }
    }
    IN_MEMORY.with(|held| *held.borrow_mut() = Some((name.to_path_buf(), bytes)));
    let _forget = Forget;
    work()
}

/// The bytes of `path` (or stdin for `-`), refusing an input over the size limit as soon as it
/// shows, before holding it in memory, and a NUL byte (no text holds one) unless the file is a
/// workbook and `binary` allows one.
fn read_bytes(path: &Path, binary: bool) -> Result<Vec<u8>, ReadError> {
    let label = path.display().to_string();
    let fail = |problem| ReadError { file: label.clone(), line: None, problem };
    let limit = max_input_size();
    let stdin = path.as_os_str() == "-";
    let held =
        IN_MEMORY.with(|held| held.borrow().as_ref().filter(|(name, _)| name == path).map(|(_, bytes)| bytes.clone()));
    let read = if let Some(bytes) = held {
        read_bounded(bytes.as_slice(), u64::try_from(bytes.len()).unwrap_or(u64::MAX), limit, binary)
    } else if stdin {
        // A second `-` would find standard input used up and fail in a confusing way (an
        // empty agreement "missing field `name`"): say what happened instead.
        if STDIN_TAKEN.swap(true, Ordering::Relaxed) {
            return Err(ReadError { file: "<stdin>".to_string(), line: None, problem: ReadProblem::StdinTwice });
        }
        read_bounded(std::io::stdin().lock(), 0, limit, binary)
    } else {
        if path.is_dir() {
            return Err(fail(ReadProblem::IsDirectory));
        }
        let file = File::open(path).map_err(|err| fail(ReadProblem::Io { stdin: false, cause: err.to_string() }))?;
        // A regular file says its size: refuse a large one without reading it. Devices
        // and pipes (`/dev/zero`, `<(…)`) say nothing, and the read itself stops them.
        let size = file.metadata().ok().filter(std::fs::Metadata::is_file).map_or(0, |meta| meta.len());
        if size > limit.0 { Err(Unreadable::TooLarge(Some(size))) } else { read_bounded(file, size, limit, binary) }
    };
    read.map_err(|err| err.into_error(&label, stdin, limit))
}

/// Text files from this size on are read in halves (`text_in_halves`): below it, a second thread costs more
/// than it saves.
const READ_IN_HALVES: u64 = 8 << 20;

/// A regular file's text (of `from_size` bytes or more), without its BOM (and whether it had one), read and checked as
/// UTF-8 in two halves side by side: the copy from the kernel and the check are each a
/// pass over the whole file, and a ledger's main thread did both before any reading thread
/// started. `None` for anything but UTF-8 text without a NUL byte within the size limit that
/// the file kept while read (a file written meanwhile, a workbook, another encoding, a NUL,
/// a file held in memory, an error): it is then read the usual way, which says what is wrong.
#[cfg(unix)]
fn text_in_halves(path: &Path, from_size: u64) -> Option<(String, bool)> {
    use std::os::unix::fs::FileExt;
    if IN_MEMORY.with(|held| held.borrow().as_ref().is_some_and(|(name, _)| name == path)) {
        return None;
    }
    let file = File::open(path).ok()?;
    let size = file.metadata().ok().filter(std::fs::Metadata::is_file)?.len();
    if size < from_size || size > max_input_size().0 {
        return None;
    }
    let mut head = [0u8; 8];
    file.read_exact_at(&mut head, 0).ok()?;
    if not_text(&head).is_some() {
        return None;
    }
    let skip = if head.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
    // Zeroed by the allocator's fresh pages, not written: the reads fault them in, each half
    // on its own thread.
    let mut bytes = vec![0u8; usize::try_from(size - skip).ok()?];
    let mid = bytes.len() / 2;
    let (first, second) = bytes.split_at_mut(mid);
    // Each half checked on its own: the second from its first character's start (after at
    // most three continuation bytes), the first up to where its last character ends; what lies
    // between is checked after. UTF-8 pieces cut at a character's start join into UTF-8.
    let (first_valid, second_start) = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            file.read_exact_at(second, skip + mid as u64).ok()?;
            let start = second.iter().take_while(|&&byte| byte & 0xc0 == 0x80).count();
            (!second.contains(&0) && std::str::from_utf8(&second[start..]).is_ok()).then_some(start)
        });
        let mine = file.read_exact_at(first, skip).ok().filter(|()| !first.contains(&0)).and_then(|()| {
            match std::str::from_utf8(first) {
                Ok(_) => Some(first.len()),
                Err(err) => err.error_len().is_none().then(|| err.valid_up_to()),
            }
        });
        (mine, other.join().ok().flatten())
    });
    let (first_valid, second_start) = (first_valid?, mid + second_start?);
    std::str::from_utf8(&bytes[first_valid..second_start]).ok()?;
    // A file that grew while read is read again the usual way.
    if file.read_at(&mut [0u8; 1], size).ok()? != 0 {
        return None;
    }
    // SAFETY: every byte was checked above to be in a piece of valid UTF-8, the pieces cut
    // at characters' starts.
    Some((unsafe { String::from_utf8_unchecked(bytes) }, skip == 3))
}

#[cfg(not(unix))]
fn text_in_halves(_path: &Path, _from_size: u64) -> Option<(String, bool)> {
    None
}

/// What a file that is not text is, judged by its first bytes.
fn not_text(bytes: &[u8]) -> Option<NotText> {
    if bytes.starts_with(b"PK\x03\x04") {
        // An OpenDocument file names its kind in a first, uncompressed `mimetype` entry.
        let head = &bytes[..bytes.len().min(200)];
        if head.windows(12).any(|window| window == b"opendocument") { Some(NotText::Ods) } else { Some(NotText::Xlsx) }
    } else if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        Some(NotText::Xls)
    } else if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        Some(NotText::Utf16)
    } else {
        None
    }
}

/// A number of bytes, as `--max-input-size` takes it: `1000`, `400MB`, `2GiB` (kB, MB, GB, TB
/// are powers of 1000; KiB, MiB, GiB, TiB of 1024; any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

/// Inputs larger than this are refused unless `--max-input-size` says otherwise. Enough for a
/// population file of ten million recipients (about 400 MB) five times over, while a file that
/// size, read whole and then made into a table, still fits in the memory of an office laptop;
/// real inputs are kilobytes.
pub const DEFAULT_MAX_INPUT_SIZE: ByteSize = ByteSize(2 << 30);

/// The limit for every input of this run: set once from the command line before any input is
/// read (every command reads several inputs through `Input::read`).
static MAX_INPUT_SIZE: AtomicU64 = AtomicU64::new(DEFAULT_MAX_INPUT_SIZE.0);

/// Whether an input of this run has been read from standard input already.
static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

pub fn set_max_input_size(limit: ByteSize) {
    MAX_INPUT_SIZE.store(limit.0, Ordering::Relaxed);
}

fn max_input_size() -> ByteSize {
    ByteSize(MAX_INPUT_SIZE.load(Ordering::Relaxed))
}

impl std::str::FromStr for ByteSize {
    type Err = String;

    fn from_str(text: &str) -> Result<ByteSize, String> {
        let text = text.trim();
        let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
        let (number, unit) = text.split_at(digits);
        let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "kb" => 1_000,
            "mb" => 1_000_000,
            "gb" => 1_000_000_000,
            "tb" => 1_000_000_000_000,
            "kib" => 1 << 10,
            "mib" => 1 << 20,
            "gib" => 1 << 30,
            "tib" => 1 << 40,
            _ => return Err(format!("`{text}` is not a size: write bytes, or e.g. 400MB, 4GiB")),
        };
        let number: u64 =
            number.parse().map_err(|_| format!("`{text}` is not a size: write bytes, or e.g. 400MB, 4GiB"))?;
        number.checked_mul(scale).map(ByteSize).ok_or_else(|| format!("`{text}` is more bytes than fordela can count"))
    }
}

impl fmt::Display for ByteSize {
    /// In the largest binary unit that shows it exactly: `2 GiB`, `1000 bytes`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = [(1_u64 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
        match units.iter().find(|(size, _)| self.0 >= *size && self.0 % size == 0) {
            Some((size, name)) => write!(f, "{} {name}", self.0 / size),
            None => write!(f, "{} bytes", self.0),
        }
    }
}

/// Why an input could not be taken as text before decoding it.
#[derive(Debug)]
enum Unreadable {
    Io(String),
    /// Over the limit; with the size when the file said it.
    TooLarge(Option<u64>),
    /// A NUL byte at this offset: no CSV or TOML file holds one, and a device such as
    /// `/dev/zero` yields nothing else.
    Nul {
        bytes: Vec<u8>,
        offset: usize,
    },
}

impl Unreadable {
    fn into_error(self, label: &str, stdin: bool, limit: ByteSize) -> ReadError {
        let (line, problem) = match self {
            Unreadable::Io(cause) => (None, ReadProblem::Io { stdin, cause }),
            Unreadable::TooLarge(size) => (None, ReadProblem::TooLarge { size, limit }),
            Unreadable::Nul { bytes, offset } => match not_text(&bytes) {
                Some(format) => (None, ReadProblem::NotText(format)),
                None => (Some(bytecount::count(&bytes[..offset], b'\n') + 1), ReadProblem::NulByte),
            },
        };
        ReadError { file: label.to_string(), line, problem }
    }
}

/// Reads to the end, but at most `limit` bytes and no NUL byte: a chunk at a time, each
/// checked as it comes, so that `/dev/zero` is refused after its first megabyte, not once
/// memory runs out. `expected` is the size the file says it has (0 if it says none).
fn read_bounded(mut reader: impl Read, expected: u64, limit: ByteSize, binary: bool) -> Result<Vec<u8>, Unreadable> {
    const CHUNK: u64 = 1 << 20;
    let mut check_nul = true;
    let capacity = usize::try_from(expected.min(limit.0)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity.checked_add(1).unwrap_or(capacity));
    loop {
        let start = bytes.len();
        // Up to one byte past the limit: enough to know the input is over it. (`start` is
        // at most the limit here: past it, the loop has returned.)
        let room = (limit.0 - start as u64).min(CHUNK - 1) + 1;
        let read = (&mut reader).take(room).read_to_end(&mut bytes).map_err(|err| Unreadable::Io(err.to_string()))?;
        // A workbook shows what it is by its first bytes, in the first chunk.
        if check_nul && binary && not_text(&bytes).is_some_and(|kind| kind != NotText::Utf16) {
            check_nul = false;
        }
        if check_nul && bytes[start..].contains(&0) {
            let offset = start + bytes[start..].iter().position(|&byte| byte == 0).unwrap_or(0);
            return Err(Unreadable::Nul { bytes, offset });
        }
        if bytes.len() as u64 > limit.0 {
            return Err(Unreadable::TooLarge(None));
        }
        if read == 0 {
            return Ok(bytes);
        }
    }
}

/// UTF-8 text without a BOM, or the line and value of the first invalid byte.
fn decode_utf8(mut bytes: Vec<u8>) -> Result<String, (usize, u8)> {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let line = String::from_utf8_lossy(&bytes[..valid]).matches('\n').count() + 1;
        (line, bytes[valid])
    })
}

/// An input that could not be read as text, pointing at the file and, where known, the line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct ReadError {
    pub file: String,
    pub line: Option<usize>,
    pub problem: ReadProblem,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// What kept an input from being text, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadProblem {
    #[error("is a directory, expected a file")]
    IsDirectory,
    #[error(
        "standard input (`-`) is given for two inputs, and it can be read only once: give all but one of them as \
         files"
    )]
    StdinTwice,
    /// The system's own words in `cause`.
    #[error("cannot read{}: {cause}", if *stdin { " standard input" } else { "" })]
    Io { stdin: bool, cause: String },
    /// Over the limit; with the size when the file said it.
    #[error(
        "is {}larger than fordela's input limit of {limit}: check that this is the file you meant, or raise the \
         limit with --max-input-size (or FORDELA_MAX_INPUT), e.g. --max-input-size 4GiB",
        size.map_or(String::new(), |size| format!("{size} bytes, "))
    )]
    TooLarge { size: Option<u64>, limit: ByteSize },
    #[error(
        "is {0}, not a CSV or TOML text file: fordela reads text: in the spreadsheet, save the sheet as \
         \"CSV UTF-8\" (or as CSV with `;` as separator) and give that file"
    )]
    NotText(NotText),
    #[error(
        "holds a NUL byte, so it is not a text file: give a CSV or TOML file saved as UTF-8 (in Excel: \"CSV UTF-8\")"
    )]
    NulByte,
    #[error(
        "is not valid UTF-8 (byte 0x{byte:02X}; the file looks saved as Windows-1252 or Latin-1): save it again as \
         UTF-8 (in Excel: \"CSV UTF-8\")"
    )]
    NotUtf8 { byte: u8 },
    /// Bytes that are neither UTF-8 nor Windows-1252 (one it leaves undefined).
    #[error(
        "is neither UTF-8 nor Windows-1252 (byte 0x{byte:02X} at offset {offset} is undefined in Windows-1252): \
         save it again as UTF-8 (in Excel: \"CSV UTF-8\")"
    )]
    Neither { byte: u8, offset: usize },
    /// `--sheet` names a sheet of a file that is text.
    #[error("is a text file, not a workbook, so it has no sheet `{0}`: leave out the sheet option")]
    SheetOfText(String),
}

/// The kinds of file that people give instead of text, known by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum NotText {
    #[error("an Excel workbook (.xlsx, a zip archive)")]
    Xlsx,
    #[error("an OpenDocument spreadsheet (.ods, a zip archive)")]
    Ods,
    #[error("an old-style Excel workbook (.xls)")]
    Xls,
    /// Excel's "Unicode text" export.
    #[error("UTF-16 text (Excel's \"Unicode text\")")]
    Utf16,
}

/// An input named by its SHA-256, as a workbook's notes list what it was made from.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputHash {
    pub label: String,
    pub sha256: String,
}

/// Every input named by its SHA-256, in the order given.
#[must_use]
pub fn hashes(inputs: &[&Input]) -> Vec<InputHash> {
    inputs.iter().map(|input| InputHash { label: input.label.clone(), sha256: input.sha256() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::error::line_column;

    #[test]
    fn a_message_about_a_sheet_names_its_sheet_and_rows() {
        let mut input = Input::from_text("plan.xlsx", "");
        let message = "plan.xlsx, line 4: the first is on line 2";
        assert_eq!(input.placed_message(message), message);
        input.locator = Locator::of_sheet("Blad1".to_string(), BTreeSet::new());
        assert_eq!(input.placed_message(message), "plan.xlsx, sheet Blad1, row 4: the first is on row 2");
        assert_eq!(input.placed_message("other.csv, line 4: x"), "other.csv, line 4: x");
    }

    proptest::proptest! {
        /// A text file read in halves side by side is the one read whole: the same text, BOM
        /// and hash, or, when a half is not UTF-8 (a character cut at the middle, a stray byte,
        /// Windows-1252, a NUL), the same error naming the same line, or the same note.
        #[test]
        fn a_table_read_in_halves_is_the_one_read_whole(
            bom in proptest::bool::ANY,
            pieces in proptest::collection::vec(0usize..12, 0..60),
        ) {
            const PIECES: [&[u8]; 12] = [
                b"a", b";", b"\n", b"\r\n", "å".as_bytes(), "€".as_bytes(), "😀".as_bytes(), b"12",
                b"\x80", b"\xe2\x82", b"\xe5", b"\x00",
            ];
            let mut bytes = if bom { b"\xef\xbb\xbf".to_vec() } else { Vec::new() };
            for piece in pieces {
                bytes.extend_from_slice(PIECES[piece]);
            }
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.csv");
            std::fs::write(&path, &bytes).unwrap();
            let read = |halved_from| match Input::read_table_halved_from(&path, None, halved_from) {
                Ok(input) => Ok((input.text.clone(), input.had_bom, input.sha256(), input.note)),
                Err(err) => Err(err.to_string()),
            };
            let halves = text_in_halves(&path, 0);
            let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
            // Taken whenever the usual read would find UTF-8 text with no NUL (and room for the
            // first bytes' look).
            let text = std::str::from_utf8(body).ok().filter(|text| !text.contains('\0'));
            proptest::prop_assert_eq!(halves.is_some(), cfg!(unix) && bytes.len() >= 8 && text.is_some());
            proptest::prop_assert_eq!(read(0), read(u64::MAX));
        }
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        assert_eq!(decode_utf8(b"a,b\nc,d\n\xe5r,1\n".to_vec()).unwrap_err(), (3, 0xe5));
        let err = ReadError { file: "a.csv".to_string(), line: Some(3), problem: ReadProblem::NotUtf8 { byte: 0xe5 } };
        assert!(err.to_string().starts_with("a.csv, line 3: is not valid UTF-8 (byte 0xE5;"), "{err}");
    }

    #[test]
    fn workbooks_are_named() {
        let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
        assert_eq!(not_text(&xlsx), Some(NotText::Xlsx));
        let ods = b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet".to_vec();
        assert_eq!(not_text(&ods), Some(NotText::Ods));
        let xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00".to_vec();
        assert_eq!(not_text(&xls), Some(NotText::Xls));
        let utf16 = b"\xff\xfea\x00;\x00".to_vec();
        assert_eq!(not_text(&utf16), Some(NotText::Utf16));
        assert!(
            ReadProblem::NotText(NotText::Xls).to_string().starts_with("is an old-style Excel workbook (.xls), not")
        );
    }

    #[test]
    fn sizes_are_read_in_decimal_and_binary_units() {
        for (text, bytes) in [
            ("1000", 1000),
            ("2GiB", 2 << 30),
            ("400MB", 400_000_000),
            (" 4 gib ", 4 << 30),
            ("1kB", 1000),
            ("1KiB", 1024),
            ("3tib", 3 << 40),
        ] {
            assert_eq!(text.parse::<ByteSize>(), Ok(ByteSize(bytes)), "{text}");
        }
        for text in ["", "GiB", "1.5GiB", "-1", "2 GB GB", "2XB", "99999999999TiB"] {
            assert!(text.parse::<ByteSize>().is_err(), "{text}");
        }
        assert_eq!(DEFAULT_MAX_INPUT_SIZE.to_string(), "2 GiB");
        assert_eq!(ByteSize(1000).to_string(), "1000 bytes");
        assert_eq!(ByteSize(1536).to_string(), "1536 bytes");
        assert_eq!(ByteSize(3 << 20).to_string(), "3 MiB");
    }

    #[test]
    fn a_read_stops_one_byte_past_the_limit_or_at_a_nul() {
        let text = vec![b'x'; (3 << 20) + 5];
        let limit = ByteSize(text.len() as u64);
        assert_eq!(read_bounded(&text[..], 0, limit, false).unwrap(), text);
        assert_eq!(read_bounded(&text[..], text.len() as u64, limit, false).unwrap(), text);
        let smaller = ByteSize(limit.0 - 1);
        assert!(matches!(read_bounded(&text[..], 0, smaller, false), Err(Unreadable::TooLarge(None))));
        // An endless reader is stopped too.
        assert!(matches!(read_bounded(std::io::repeat(b'x'), 0, smaller, false), Err(Unreadable::TooLarge(None))));
        let mut with_nul = text.clone();
        with_nul[(1 << 20) + 7] = 0;
        match read_bounded(&with_nul[..], 0, limit, false) {
            Err(Unreadable::Nul { offset, bytes }) => {
                assert_eq!(offset, (1 << 20) + 7);
                // Read no further than the chunk that held it.
                assert!(bytes.len() <= 2 << 20);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_workbook_read_as_a_table_may_hold_nul_bytes_and_nothing_else_may() {
        let book = b"PK\x03\x04\x00\x00zip".to_vec();
        assert_eq!(read_bounded(&book[..], 0, ByteSize(100), true).unwrap(), book);
        assert!(matches!(read_bounded(&book[..], 0, ByteSize(100), false), Err(Unreadable::Nul { .. })));
        let utf16 = b"\xff\xfea\x00".to_vec();
        assert!(matches!(read_bounded(&utf16[..], 0, ByteSize(100), true), Err(Unreadable::Nul { .. })));
        assert!(matches!(read_bounded(&book[..], 0, ByteSize(5), true), Err(Unreadable::TooLarge(None))));
    }

    #[test]
    fn windows_1252_is_read_unless_a_byte_says_otherwise() {
        assert_eq!(decode_windows_1252(b"J\xe4mtland;Totalt;5,8 \x80", false).unwrap(), "Jämtland;Totalt;5,8 €");
        for byte in UNDEFINED_IN_1252 {
            let err = decode_windows_1252(&[b'a', b'\n', b'b', byte], false).unwrap_err();
            assert_eq!(err, (Some(ReadProblem::Neither { byte, offset: 3 }), 3));
        }
        // UTF-8 with a broken byte, or a BOM: the UTF-8 error, at the broken byte.
        assert_eq!(
            decode_windows_1252(
                "Jämtland \u{e4}".as_bytes().iter().copied().chain([0xe4]).collect::<Vec<_>>().as_slice(),
                false
            )
            .unwrap_err(),
            (None, 12)
        );
        assert_eq!(decode_windows_1252(b"J\xe4mtland", true).unwrap_err(), (None, 1));
    }

    #[test]
    fn places_in_a_sheet_are_cells() {
        let sheet = Locator::of_sheet("Blad1".to_string(), BTreeSet::new());
        let err = sheet.place("p.xlsx", InputError::at("p.xlsx", 7, Some(3), "x"));
        assert_eq!(err.to_string(), "p.xlsx, sheet Blad1, cell C7: x");
        let err = sheet.place("p.xlsx", InputError::at("p.xlsx", 7, None, "x"));
        assert_eq!(err.to_string(), "p.xlsx, sheet Blad1, row 7: x");
        // Another file's error is left alone.
        let err = sheet.place("p.xlsx", InputError::at("a.toml", 7, Some(3), "x"));
        assert_eq!(err.to_string(), "a.toml, line 7, column 3: x");
        // A rearranged text's line is the line and field it came from.
        let wide = Locator { lines: Some(Arc::new(vec![(3, 1), (4, 2), (4, 3)])), ..Locator::default() };
        let err = wide.place("px.csv", InputError::at("px.csv", 3, None, "x"));
        assert_eq!(err.to_string(), "px.csv, line 4: field 3: x");
    }

    #[test]
    fn bom_is_removed() {
        assert_eq!(decode_utf8(b"\xef\xbb\xbfcode".to_vec()).unwrap(), "code");
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("ab\ncdé f", 7), (2, 4));
        assert_eq!(line_column("x", 0), (1, 1));
    }
}
