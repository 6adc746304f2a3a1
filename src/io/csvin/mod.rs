//! CSV as spreadsheets export it: `,` `;` or tab (detected from the first line), a header
//! matched by name (Swedish or English, any case), surrounding spaces, blank rows.
//!
//! No field is dropped silently: a field in a column the reader does not read is an error
//! unless its column is a comment column (its text is kept), an empty trailing field (Excel
//! pads rows), or, where the reader allows it, a number in a named column (a population
//! file's extra key columns).

mod stretches;

use crate::io::error::InputError;
use crate::io::input::Input;
use crate::io::number::parse_amount;
use csv::{ByteRecord, Position, ReaderBuilder};
pub use stretches::{Stretches, read_in_stretches};

/// Headers of columns that hold notes: kept as text, never read as figures.
const COMMENT_NAMES: &[&str] = &[
    "kommentar",
    "kommentarer",
    "anteckning",
    "anteckningar",
    "notering",
    "noteringar",
    "anmärkning",
    "anmärkningar",
    "not",
    "beskrivning",
    "källa",
    "comment",
    "comments",
    "note",
    "notes",
    "remark",
    "remarks",
    "description",
    "source",
];

/// Words a spreadsheet labels a sum row with (`Totalt;;30,6`): such a row is checked against
/// the rows it sums, never read as data. Every reader's sum rows are these words (a population
/// file adds the names of the whole country).
const SUM_WORDS: &[&str] = &["totalt", "total", "summa", "sum"];

/// Whether `text` (a trimmed field) is a sum row's label, in any case.
#[must_use]
pub fn is_sum_label(text: &str) -> bool {
    // The first byte rules out nearly every code and figure before any comparison.
    text.starts_with(char::is_alphabetic) && SUM_WORDS.iter().any(|word| text.eq_ignore_ascii_case(word))
}

/// A column a reader reads, found in the header by one of its names.
// Each flag is its own property of a column, set by its own builder (`with_decimals`, …).
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy)]
pub struct Column<'n> {
    pub names: &'n [&'n str],
    pub required: bool,
    /// Whether the header may add to the name (`Belopp (mkr)`, `Amount, MSEK`): the reader then
    /// interprets the addition (`qualifier`). Otherwise such a header is refused: `Folkmängd
    /// (tusental)` must not be read as a plain `folkmängd`.
    pub qualified: bool,
    /// Whether the column holds amounts with decimals: only then can a number in the field after
    /// it be its decimals split off by a `,` separator.
    pub decimals: bool,
    /// Whether the column holds names (or codes, ids, references) that fordela compares: a field
    /// holding a character that does not show, or a bidi control, is then refused at its cell
    /// (see `io::names`), since one copy of a name with it and one without would be two names.
    pub holds_names: bool,
}

impl<'n> Column<'n> {
    #[must_use]
    pub const fn required(names: &'n [&'n str]) -> Column<'n> {
        Column { names, required: true, qualified: false, decimals: false, holds_names: false }
    }

    #[must_use]
    pub const fn optional(names: &'n [&'n str]) -> Column<'n> {
        Column { names, required: false, qualified: false, decimals: false, holds_names: false }
    }

    #[must_use]
    pub const fn with_qualifier(self) -> Column<'n> {
        Column { qualified: true, ..self }
    }

    #[must_use]
    pub const fn with_decimals(self) -> Column<'n> {
        Column { decimals: true, ..self }
    }

    #[must_use]
    pub const fn holding_names(self) -> Column<'n> {
        Column { holds_names: true, ..self }
    }
}

/// What a reader allows in a named column it does not read (other than a comment column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherColumns {
    /// Nothing: such a column is refused at the header.
    Refused,
    /// Numbers (extra key columns of a population file), checked row by row.
    Numbers,
}

/// A column of the file that no requested column is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unread {
    /// A comment column: any text, kept.
    Comment,
    /// No header (or no header line at all): must be empty.
    Unnamed,
    /// A named column the reader does not read, allowed to hold numbers only.
    Number(String),
}

/// Rows of a CSV input, with the requested columns looked up by name.
pub struct CsvTable<'a> {
    label: &'a str,
    reader: csv::Reader<&'a [u8]>,
    /// For each requested column, the field it is in (if present).
    columns: Vec<Option<usize>>,
    /// For each requested column, what its header adds to the name (`mkr` in `Belopp (mkr)`).
    qualifiers: Vec<Option<String>>,
    /// For each requested column, its header as written.
    headers: Vec<Option<String>>,
    /// The fields not read, by position, and what they may hold.
    unread: Vec<(usize, Unread)>,
    /// The comment fields, by position.
    comments: Vec<usize>,
    /// The fields of columns that hold amounts with decimals, by position.
    decimal_fields: Vec<usize>,
    /// The fields of columns that hold names, by position, with the column's header (or its
    /// first name, without a header) for messages.
    name_fields: Vec<(usize, String)>,
    /// For each requested column, the texts that name it in a header (lowercase): a row of
    /// them all is a header repeated mid-file.
    header_names: Vec<Vec<String>>,
    /// The header as written, for messages.
    header_text: String,
    /// Whether the text holds a quote: only then can a field run over a line break.
    has_quote: bool,
    /// Where the next record starts when the text holds no quote, read by hand
    /// (`read_plain`), not by `reader`.
    plain_at: Option<usize>,
    /// Whether a lone `\r` ends a line somewhere (old Mac files): only then are line ends
    /// counted otherwise than by `\n`, which is fast.
    lone_returns: bool,
    record: TextRecord,
    /// A first row that turned out not to be a header, to hand out before reading on.
    pending: bool,
    /// The line of the header, when there is one.
    header_line: Option<usize>,
    text: &'a str,
    /// Newlines counted so far: the line number at byte `counted_to`. The csv crate's own
    /// line numbers skip blank lines wrongly, so lines are counted here from byte offsets.
    counted_to: usize,
    line_at: usize,
    delimiter: u8,
    /// Fields every row must have: the header's (or first row's) count, less empty fields at
    /// its end. Fields after it must be empty.
    field_count: Option<usize>,
    /// What the fields are: a sheet's cells name their column in an error, for the cell (`C7`)
    /// to be named.
    fields: Fields,
}

/// A row's fields as text, read as bytes: the table is read from a `&str`, already checked as
/// UTF-8 whole, and the reader splits it only at ASCII bytes (separator, quote, line end) and
/// drops only ASCII quotes, so every field is UTF-8 too. The csv crate's `StringRecord` would
/// check each row again, a tenth of a ledger's reading time.
#[derive(Default)]
struct TextRecord(ByteRecord);

impl TextRecord {
    fn get(&self, at: usize) -> Option<&str> {
        self.0.get(at).map(as_text)
    }

    fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.0.iter().map(as_text)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn position(&self) -> Option<&Position> {
        self.0.position()
    }
}

/// A field of a `TextRecord` as text (see there why it is UTF-8).
fn as_text(field: &[u8]) -> &str {
    debug_assert!(std::str::from_utf8(field).is_ok(), "a field of a text split at ASCII bytes is UTF-8");
    // SAFETY: the field is bytes of a `&str` less ASCII bytes taken at character boundaries
    // (ASCII bytes never occur inside a multi-byte character), so it is valid UTF-8.
    unsafe { std::str::from_utf8_unchecked(field) }
}

/// What a table's fields are: a text file's, or a workbook sheet's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fields {
    Text,
    Cells,
}

/// One data row: fields in the order the columns were requested.
pub struct Record<'r> {
    pub line: usize,
    fields: &'r TextRecord,
    columns: &'r [Option<usize>],
    comments: &'r [usize],
    cells: bool,
}

impl Record<'_> {
    /// The trimmed text of requested column `index`; empty when the column is absent.
    #[must_use]
    pub fn field(&self, index: usize) -> &str {
        self.columns[index].and_then(|at| self.fields.get(at)).map_or("", trim)
    }

    /// The column (1-based) of requested column `index`, for an error about its field to name
    /// it: for a sheet, where a column is part of a cell's name; `None` for text, whose errors
    /// name the field in words.
    #[must_use]
    pub fn column(&self, index: usize) -> Option<usize> {
        self.columns[index].filter(|_| self.cells).map(|at| at + 1)
    }

    /// As `comment`, borrowed from the row when one column holds it (a ledger's million rows
    /// need no string each).
    #[must_use]
    pub fn comment_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self.comments {
            [] => None,
            [at] => self.fields.get(*at).map(trim).filter(|text| !text.is_empty()).map(std::borrow::Cow::Borrowed),
            _ => self.comment().map(std::borrow::Cow::Owned),
        }
    }

    /// The text of the row's comment columns (joined by ` | ` when there are several), if any.
    #[must_use]
    pub fn comment(&self) -> Option<String> {
        let texts: Vec<&str> =
            self.comments.iter().filter_map(|&at| self.fields.get(at)).map(trim).filter(|t| !t.is_empty()).collect();
        (!texts.is_empty()).then(|| texts.join(" | "))
    }
}

/// Surrounding whitespace (also non-breaking spaces) removed; most fields have none, and
/// checking the two ends' bytes first skips the Unicode scan for them.
fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let clean = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_graphic);
    if clean(bytes.first()) && clean(bytes.last()) { text } else { text.trim_matches(char::is_whitespace) }
}

/// The separator a spreadsheet used: the most frequent of `;`, tab and `,` on the first line.
#[must_use]
pub fn sniff_delimiter(text: &str) -> u8 {
    // A lone `\r` ends a line too (old Mac files).
    let first = text.split(['\r', '\n']).find(|line| !line.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let (semicolons, tabs, commas) = (count(';'), count('\t'), count(','));
    if semicolons > 0 && semicolons >= commas && semicolons >= tabs {
        b';'
    } else if tabs > 0 && tabs >= commas {
        b'\t'
    } else {
        b','
    }
}

fn normalize(name: &str) -> String {
    name.trim_matches(char::is_whitespace).to_lowercase()
}

/// What a header field is, for a reader reading `columns`.
#[derive(Debug, PartialEq, Eq)]
enum HeaderField {
    /// Requested column `index`, and what the header adds to its name.
    Column(usize, Option<String>),
    /// Requested column `index`, with an addition that column does not take.
    Refused(usize, String),
    Comment,
    Unnamed,
    Other,
}

/// The rest of `header` after `name`, when `header` is `name` followed by a separator
/// (space, bracket, comma, slash, colon): `Belopp (mkr)` → `(mkr)`. `barn_0_5` is not `barn`
/// qualified: `_` and `-` join words into one name.
fn qualifier<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    let rest = header.strip_prefix(name)?;
    rest.starts_with(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | ',' | '/' | ':'))
        .then(|| rest.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | ':')))
        .filter(|rest| !rest.is_empty())
}

fn classify(written: &str, columns: &[Column<'_>]) -> HeaderField {
    // In NFC, as every name is compared: `Område` typed with a combining ring is `Område`.
    let composed = crate::io::names::nfc(written.trim_matches(char::is_whitespace));
    let written = composed.as_ref();
    let header = normalize(written);
    if header.is_empty() {
        return HeaderField::Unnamed;
    }
    if let Some(index) = columns.iter().position(|column| column.names.contains(&header.as_str())) {
        return HeaderField::Column(index, None);
    }
    for (index, column) in columns.iter().enumerate() {
        if let Some((name, rest)) = column.names.iter().find_map(|name| Some((*name, qualifier(&header, name)?))) {
            // The addition as written (`MSEK`, not `msek`): lowercasing keeps the count of
            // characters, so it is at the same characters.
            let at = name.len() + header[name.len()..].find(rest).unwrap_or(0);
            let skip = header[..at].chars().count();
            let rest: String = written.chars().skip(skip).take(rest.chars().count()).collect();
            return if column.qualified {
                HeaderField::Column(index, Some(rest))
            } else {
                HeaderField::Refused(index, rest)
            };
        }
    }
    let first_word = header.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    if COMMENT_NAMES.contains(&first_word) { HeaderField::Comment } else { HeaderField::Other }
}

/// `header;names;…` as a reader expects it, for messages.
fn expected_header(columns: &[Column<'_>]) -> String {
    columns.iter().map(|column| column.names[0]).collect::<Vec<_>>().join(",")
}

impl<'a> CsvTable<'a> {
    /// Opens `input` expecting a header naming `columns`; columns the reader does not read
    /// may hold what `others` allows.
    pub fn open(input: &'a Input, columns: &[Column<'_>], others: OtherColumns) -> Result<CsvTable<'a>, InputError> {
        let mut table = CsvTable::start(input)?;
        let expected = expected_header(columns);
        if !table.read()? {
            return Err(InputError::file(
                table.label,
                format!("is empty, expected a header line `{expected}` and rows"),
            ));
        }
        table.take_header(columns, others)?;
        Ok(table)
    }

    /// Opens `input` whose header line is optional: when the first row names none of the
    /// columns, the columns are taken in order and that row is data (and fields after them
    /// must be empty).
    pub fn open_optional_header(
        input: &'a Input,
        columns: &[Column<'_>],
        others: OtherColumns,
    ) -> Result<CsvTable<'a>, InputError> {
        let mut table = CsvTable::start(input)?;
        if !table.read()? {
            return Err(InputError::file(table.label, "is empty, expected rows"));
        }
        // Only a field that is a column's name (or an amount's name with its unit) makes the row a
        // header: a headerless plan's area may well be called `Område 1`.
        let names_a_column =
            table.record.iter().any(|field| matches!(classify(field, columns), HeaderField::Column(..)));
        if names_a_column {
            table.take_header(columns, others)?;
        } else {
            // Without a header only the required columns are read, in their order: an optional
            // column is read where a header names it, never guessed from a field's place.
            let positional = columns.iter().take_while(|column| column.required).count();
            table.columns = (0..columns.len()).map(|at| (at < positional).then_some(at)).collect();
            table.qualifiers = vec![None; columns.len()];
            table.headers = vec![None; columns.len()];
            table.unread = (positional..table.record.len()).map(|at| (at, Unread::Unnamed)).collect();
            table.decimal_fields = (0..positional).filter(|&at| columns[at].decimals).collect();
            table.name_fields = (0..positional)
                .filter(|&at| columns[at].holds_names)
                .map(|at| (at, columns[at].names[0].to_string()))
                .collect();
            // A header further down (files joined, the first without one) is still not data.
            table.header_names =
                columns.iter().map(|column| column.names.iter().map(|name| name.to_lowercase()).collect()).collect();
            table.pending = true;
            // Read before the columns were known: a line break is now checked by its column.
            table.check_line_breaks()?;
            table.check_row()?;
            table.check_names()?;
        }
        Ok(table)
    }

    /// Reads the row just read as the header: which field each column is in, and what the
    /// others may hold.
    fn take_header(&mut self, columns: &[Column<'_>], others: OtherColumns) -> Result<(), InputError> {
        self.header_line = Some(self.line());
        self.columns = vec![None; columns.len()];
        self.qualifiers = vec![None; columns.len()];
        self.headers = vec![None; columns.len()];
        for (at, field) in self.record.iter().enumerate() {
            let written = field.trim_matches(char::is_whitespace);
            // A header is matched by name: one with a character that does not show would be read
            // as a column fordela does not know, with a message that cannot say why.
            if let Err(err) = crate::io::names::check(written) {
                return Err(self.header_error(format!("the header's field {}: {err}", at + 1)));
            }
            match classify(field, columns) {
                HeaderField::Column(index, qualifier) => {
                    if let Some(first) = self.columns[index] {
                        return Err(self.header_error(format!(
                            "the header names the `{}` column twice: `{}` (field {}) and `{written}` (field {}); \
                             fordela reads one, so remove or rename the other",
                            columns[index].names[0],
                            self.record.get(first).map_or("", str::trim),
                            first + 1,
                            at + 1,
                        )));
                    }
                    self.columns[index] = Some(at);
                    self.qualifiers[index] = qualifier;
                    self.headers[index] = Some(written.to_string());
                }
                HeaderField::Refused(index, addition) => {
                    let name = columns[index].names[0];
                    return Err(self.header_error(format!(
                        "the header `{written}` (field {}) reads as the `{name}` column with `{addition}` added, \
                         which fordela does not understand (a unit or scale there would not be applied): name the \
                         column `{name}` and write its values plainly (people in persons, not thousands)",
                        at + 1
                    )));
                }
                HeaderField::Comment => {
                    self.comments.push(at);
                    self.unread.push((at, Unread::Comment));
                }
                HeaderField::Unnamed => self.unread.push((at, Unread::Unnamed)),
                HeaderField::Other => match others {
                    OtherColumns::Numbers => self.unread.push((at, Unread::Number(written.to_string()))),
                    OtherColumns::Refused => {
                        return Err(self.header_error(format!(
                            "the header's column `{written}` (field {}) is not one fordela reads, and its values \
                             would be ignored: fordela reads `{}` and keeps a comment column (`kommentar`, \
                             `comment`) as text; rename the column or delete it",
                            at + 1,
                            expected_header(columns)
                        )));
                    }
                },
            }
        }
        if let Some(missing) = (0..columns.len()).find(|&i| columns[i].required && self.columns[i].is_none()) {
            // A misspelt name (`barn0_5` for `barn0_6`) is nearest one of the unclaimed columns.
            let unclaimed = self
                .record
                .iter()
                .enumerate()
                .filter(|(at, _)| !self.columns.contains(&Some(*at)))
                .map(|(_, field)| field.trim());
            let hint = crate::io::suggest::nearest(columns[missing].names[0], unclaimed)
                .map_or(String::new(), |name| format!("; did you mean `{name}`?"));
            return Err(self.header_error(format!(
                "the header has no `{}` column (it has: {}), expected `{}`{hint}",
                columns[missing].names[0],
                self.record.iter().map(str::trim).collect::<Vec<_>>().join(", "),
                expected_header(columns),
            )));
        }
        self.decimal_fields =
            (0..columns.len()).filter(|&i| columns[i].decimals).filter_map(|i| self.columns[i]).collect();
        self.name_fields = (0..columns.len())
            .filter(|&i| columns[i].holds_names)
            .filter_map(|i| Some((self.columns[i]?, self.headers[i].clone().unwrap_or_default())))
            .collect();
        self.header_names = columns
            .iter()
            .zip(&self.headers)
            .map(|(column, header)| {
                column.names.iter().map(|name| name.to_lowercase()).chain(header.as_deref().map(normalize)).collect()
            })
            .collect();
        self.header_text =
            self.record.iter().map(trim).collect::<Vec<_>>().join(&char::from(self.delimiter).to_string());
        Ok(())
    }

    fn header_error(&self, message: String) -> InputError {
        InputError::at(self.label, self.header_line.unwrap_or(self.line()), None, message)
    }

    /// What the header of requested column `index` adds to its name (`mkr` in `Belopp (mkr)`).
    #[must_use]
    pub fn qualifier(&self, index: usize) -> Option<&str> {
        self.qualifiers.get(index)?.as_deref()
    }

    /// The header of requested column `index` as written, when the file has a header.
    #[must_use]
    pub fn header(&self, index: usize) -> Option<&str> {
        self.headers.get(index)?.as_deref()
    }

    /// The separator the table is read with (sniffed, or named by a `sep=` line).
    #[must_use]
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The line of the header, when the file has one.
    #[must_use]
    pub fn header_line(&self) -> Option<usize> {
        self.header_line
    }

    /// A table over the whole of `input`; a first line `sep=;` (which Excel writes when asked,
    /// and reads) names the separator and is not a row.
    fn start(input: &'a Input) -> Result<CsvTable<'a>, InputError> {
        let text = input.text.as_str();
        if input.is_sheet() {
            // A sheet's text is written `;`-separated, a cell per field: nothing to sniff.
            let mut table = CsvTable::over(&input.label, text, 1, b';', false);
            table.fields = Fields::Cells;
            return Ok(table);
        }
        let line = text.split(['\r', '\n']).next().unwrap_or("");
        let Some(first) = strip_prefix_ignore_case(line, "sep=").map(|rest| rest.trim_end_matches(' ')) else {
            return Ok(CsvTable::over(&input.label, text, 1, sniff_delimiter(text), has_lone_return(text)));
        };
        let delimiter = match first.as_bytes() {
            [byte] if (byte.is_ascii_punctuation() || *byte == b'\t') && !matches!(byte, b'"' | b'.') => *byte,
            _ => {
                return Err(InputError::at(
                    &input.label,
                    1,
                    None,
                    format!(
                        "the first line `sep={first}` names the separator, but fordela cannot read `{first}` as \
                         one: write `sep=;`, `sep=,` or a tab after `sep=`, or delete the line"
                    ),
                ));
            }
        };
        let sep_len = line.len();
        let rest = match text.as_bytes()[sep_len..] {
            [b'\r', b'\n', ..] => sep_len + 2,
            [b'\r' | b'\n', ..] => sep_len + 1,
            _ => sep_len,
        };
        let text = &text[rest..];
        Ok(CsvTable::over(&input.label, text, 2, delimiter, has_lone_return(text)))
    }

    /// A table over `text`, whose first line is line `line` of the file.
    /// `lone_returns`: whether a `\r` not followed by `\n` ends a line anywhere in `text`.
    fn over(label: &'a str, text: &'a str, line: usize, delimiter: u8, lone_returns: bool) -> CsvTable<'a> {
        let mut table =
            CsvTable::over_quoted(label, text, line, delimiter, lone_returns, text.as_bytes().contains(&b'"'));
        // The csv crate drops a byte order mark that starts its text (a second one, after the
        // file's own was taken off); the split by hand does the same, so that a quote elsewhere
        // in the file does not change how its first field reads. Not for a stretch (made by
        // `over_quoted`): it is a later part of the same text, where a mark is a character.
        if table.plain_at == Some(0) && text.starts_with('\u{feff}') {
            table.plain_at = Some('\u{feff}'.len_utf8());
        }
        table
    }

    /// `over`, `has_quote` saying whether `text` holds a quote.
    fn over_quoted(
        label: &'a str,
        text: &'a str,
        line: usize,
        delimiter: u8,
        lone_returns: bool,
        has_quote: bool,
    ) -> CsvTable<'a> {
        // Row lengths are checked here, not by the reader: a table split in parts must hold
        // every part to the header's count, not to the part's first row.
        let reader =
            ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
        CsvTable {
            label,
            reader,
            columns: Vec::new(),
            qualifiers: Vec::new(),
            headers: Vec::new(),
            unread: Vec::new(),
            comments: Vec::new(),
            decimal_fields: Vec::new(),
            name_fields: Vec::new(),
            header_names: Vec::new(),
            header_text: String::new(),
            has_quote,
            plain_at: (!has_quote).then_some(0),
            lone_returns,
            record: TextRecord::default(),
            pending: false,
            header_line: None,
            text,
            counted_to: 0,
            line_at: line,
            delimiter,
            field_count: None,
            fields: Fields::Text,
        }
    }

    /// The line byte `offset` is on (counted from the line count kept so far).
    fn line_at_offset(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        if offset >= self.counted_to {
            self.line_at + self.line_ends(bytes, self.counted_to, offset)
        } else {
            self.line_at - self.line_ends(bytes, offset, self.counted_to)
        }
    }

    /// Lines not read yet: at most as many rows are left.
    #[must_use]
    pub fn lines_left(&self) -> usize {
        self.line_ends(self.text.as_bytes(), self.counted_to, self.text.len()) + 1
    }

    /// Line ends in `text[from..to]` (see `line_ends`), by `\n` alone when the text has no lone `\r`.
    fn line_ends(&self, text: &[u8], from: usize, to: usize) -> usize {
        if self.lone_returns { line_ends(text, from, to) } else { bytecount::count(&text[from..to], b'\n') }
    }

    /// The line the current record starts on.
    fn line(&self) -> usize {
        self.line_at
    }

    /// Moves the line count to the start of the record just read: its offset is where the
    /// previous record ended, before any blank lines.
    fn advance_line(&mut self, offset: usize) {
        let bytes = self.text.as_bytes();
        let mut start = offset.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            self.line_at = self.line_at_offset(start);
            self.counted_to = start;
        }
    }

    /// Where the rows not read yet start in `text`.
    fn unread_at(&self) -> usize {
        match self.plain_at {
            Some(at) => at,
            None => usize::try_from(self.reader.position().byte()).unwrap_or(usize::MAX).min(self.text.len()),
        }
    }

    /// The next record of a text holding no quote into `self.record`, and the offset it starts
    /// at; `None` at the end. As the csv crate reads such a text (a property test holds it to
    /// that), split by hand: a record ends at `\r`, `\n` or `\r\n`, line ends between records
    /// are skipped, fields end at the separator. The crate's state machine was the largest
    /// part of a ledger's reading threads' time.
    fn read_plain(&mut self, at: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let start = at + bytes[at..].iter().take_while(|&&byte| matches!(byte, b'\r' | b'\n')).count();
        if start == bytes.len() {
            self.plain_at = Some(start);
            return None;
        }
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |length| start + length);
        let line = &bytes[start..end];
        let record = &mut self.record.0;
        record.clear();
        let mut field = 0;
        for separator in memchr::memchr_iter(self.delimiter, line) {
            record.push_field(&line[field..separator]);
            field = separator + 1;
        }
        record.push_field(&line[field..]);
        self.plain_at = Some(end);
        Some(start)
    }

    /// Reads the next row that is not blank into `self.record`.
    fn read(&mut self) -> Result<bool, InputError> {
        loop {
            let read = match self.plain_at {
                Some(at) => Ok(self.read_plain(at)),
                None => self.reader.read_byte_record(&mut self.record.0).map(|read| {
                    read.then(|| {
                        self.record.position().map_or(0, |pos| usize::try_from(pos.byte()).unwrap_or(usize::MAX))
                    })
                }),
            };
            match read {
                Ok(None) => return Ok(false),
                Ok(Some(offset)) => {
                    self.advance_line(offset);
                    // Every field is a name, an amount or a comment that later steps compare
                    // and measure: one of megabytes is refused here, before any of that work.
                    if let Some(at) = self.record.iter().position(|field| crate::io::limits::field_over(field.len())) {
                        let problem = crate::io::limits::field_too_long(self.record.0[at].len() as u64);
                        let problem = match self.fields {
                            Fields::Cells => problem,
                            Fields::Text => format!("field {} {problem}", at + 1),
                        };
                        return Err(self.field_error(at, problem));
                    }
                    if self.record.iter().all(|field| field.trim_matches(char::is_whitespace).is_empty()) {
                        continue;
                    }
                    if self.has_quote {
                        self.check_line_breaks()?;
                    }
                    if self.repeats_header() {
                        let message = match self.header_line {
                            Some(header_line) => format!(
                                "this row repeats the header of line {header_line} (`{}`), as files joined one \
                                 after another do: it is not data; delete the row",
                                self.header_text
                            ),
                            None => format!(
                                "this row names the columns (`{}`) as a header does, but the file's first row is \
                                 data, not a header: delete this row (or move it to the top)",
                                self.record
                                    .iter()
                                    .map(trim)
                                    .collect::<Vec<_>>()
                                    .join(&char::from(self.delimiter).to_string())
                            ),
                        };
                        return Err(InputError::at(self.label, self.line_at, None, message));
                    }
                    let filled = (0..self.record.len())
                        .rev()
                        .find(|&at| !self.record.get(at).map_or("", trim).is_empty())
                        .map_or(0, |at| at + 1);
                    let expected = *self.field_count.get_or_insert(filled);
                    if filled > expected {
                        // Excel pads rows with empty fields; a filled one past the header is lost data.
                        let at = (expected..filled).find(|&at| !self.record.get(at).map_or("", trim).is_empty());
                        let at = at.unwrap_or(expected);
                        if self.split_number(at).is_none() {
                            let problem = self.unnamed_field(at, self.record.get(at).map_or("", trim));
                            return Err(self.field_error(at, problem));
                        }
                    }
                    if self.record.len() < expected {
                        return Err(self.short_row(expected));
                    }
                    if filled > expected {
                        let against = if self.header_line.is_some() { "the header has" } else { "the first row has" };
                        return Err(unequal_lengths(self.label, self.line_at, against, expected, self.record.len()));
                    }
                    self.check_row()?;
                    self.check_names()?;
                    return Ok(true);
                }
                Err(err) => {
                    if let Some(pos) = err.position() {
                        self.advance_line(usize::try_from(pos.byte()).unwrap_or(usize::MAX));
                    }
                    return Err(csv_error(self.label, self.line_at, &err));
                }
            }
        }
    }

    /// The next data row, or `None` at the end.
    pub fn next_record(&mut self) -> Result<Option<Record<'_>>, InputError> {
        if self.pending {
            self.pending = false;
        } else if !self.read()? {
            return Ok(None);
        }
        Ok(Some(Record {
            line: self.line(),
            fields: &self.record,
            columns: &self.columns,
            comments: &self.comments,
            cells: self.fields == Fields::Cells,
        }))
    }

    /// Why the row just read, with fewer fields than `expected`, cannot be read.
    fn short_row(&self, expected: usize) -> InputError {
        let found = self.record.len();
        let against = if self.header_line.is_some() { "the header has" } else { "the first row has" };
        let separator = char::from(self.delimiter);
        // A quote opened and not closed by the file's end takes the rest of the row in.
        if let Some(at) = self.record.iter().position(|field| field.contains(separator)) {
            return InputError::at(
                self.label,
                self.line_at,
                None,
                format!(
                    "this row has {found} fields, {against} {expected}: field {} opens a quote `\"` that is not \
                     closed, so it takes `{}` in as one field. Close the quote, or delete it",
                    at + 1,
                    self.record.get(at).map_or("", trim)
                ),
            );
        }
        InputError::at(
            self.label,
            self.line_at,
            None,
            format!(
                "this row has {found} fields, {against} {expected}: every row needs a field for each column \
                 (an empty one is written `{separator}{separator}`), so a field is missing or two were joined"
            ),
        )
    }

    /// A field holding a line break is a quote left open (`"Fas 1` with no closing `"`), which
    /// takes the next line(s) into itself, amounts and all. Refused in a column read as data;
    /// a comment may run over lines (Excel's Alt+Enter), but not over a line holding the
    /// separator, which is a row swallowed. The header (columns not known yet) is held to the
    /// comment rule.
    fn check_line_breaks(&self) -> Result<(), InputError> {
        let mut line = self.line_at;
        for (at, field) in self.record.iter().enumerate() {
            let Some(first_break) = field.find(['\r', '\n']) else { continue };
            let breaks = line_ends(field.as_bytes(), 0, field.len());
            let after = &field[first_break..];
            let as_text = self.columns.is_empty() || self.comments.contains(&at);
            let runs_over_a_row = after.contains(char::from(self.delimiter));
            if !as_text || runs_over_a_row {
                let column = self
                    .columns
                    .iter()
                    .position(|&column| column == Some(at))
                    .and_then(|index| self.header(index))
                    .map_or(String::new(), |header| format!(" (`{header}`)"));
                let taken: String = after.trim_start_matches(['\r', '\n']).chars().take(60).collect();
                let why = if as_text {
                    "a comment may run over lines, but this one takes in a line holding the separator, a row of its own"
                } else {
                    "fordela reads this column as data, where a line break is never meant"
                };
                return Err(InputError::at(
                    self.label,
                    line,
                    None,
                    format!(
                        "field {}{column} opens a quote `\"` that is not closed on this line: the field runs on to \
                         line {} and takes `{}` into itself ({why}). Close the quote on line {line}, or delete it",
                        at + 1,
                        line + breaks,
                        taken.replace(['\r', '\n'], " ")
                    ),
                ));
            }
            line += breaks;
        }
        Ok(())
    }

    /// Whether the row just read names every column the header named, as the header does.
    fn repeats_header(&self) -> bool {
        if self.header_names.is_empty() {
            return false;
        }
        let mut named = false;
        for (names, at) in self.header_names.iter().zip(&self.columns) {
            let Some(at) = at else { continue };
            let field = self.record.get(*at).map_or("", trim);
            // Lowercasing only when the length fits: a million data rows cost a comparison each.
            if !names.iter().any(|name| name.len() == field.len() && normalize(field) == *name) {
                return false;
            }
            named = true;
        }
        named
    }

    /// Checks the fields of the row just read that no column reads: nothing in them may be
    /// lost without a word.
    fn check_row(&self) -> Result<(), InputError> {
        for (at, kind) in &self.unread {
            let Some(value) = self.record.get(*at).map(trim).filter(|value| !value.is_empty()) else { continue };
            let problem = match kind {
                Unread::Comment => match self.split_number(*at) {
                    Some(number) => format!(
                        "the comment `{value}` (field {}) follows the number `{number}`: in a `,`-separated file \
                         that is `{number},{value}` with a decimal comma (or a digit group) split in two. Save the \
                         file with `;` as separator, or quote the amounts (\"{number},{value}\")",
                        at + 1
                    ),
                    None => continue,
                },
                Unread::Unnamed => self.unnamed_field(*at, value),
                Unread::Number(header) => {
                    if parse_amount(value).is_ok() {
                        continue;
                    }
                    format!(
                        "field {} (column `{header}`, which fordela does not read) holds `{value}`, which would be \
                         ignored: only figures may stand in an unread column (extra keys); name the column \
                         `kommentar` to keep it as a comment, or delete it",
                        at + 1
                    )
                }
            };
            return Err(self.field_error(*at, problem));
        }
        Ok(())
    }

    /// Checks the fields of the row just read that hold names: a character that does not show
    /// (or a bidi control) is refused at its cell, naming it (see `io::names`).
    fn check_names(&self) -> Result<(), InputError> {
        for (at, header) in &self.name_fields {
            let Some(value) = self.record.get(*at).map(trim) else { continue };
            if let Err(err) = crate::io::names::check(value) {
                return Err(self.field_error(*at, format!("field `{header}`: {err}")));
            }
        }
        Ok(())
    }

    /// An error about field `at` of the row just read: for a sheet, at its cell.
    fn field_error(&self, at: usize, problem: String) -> InputError {
        InputError::at(self.label, self.line_at, (self.fields == Fields::Cells).then_some(at + 1), problem)
    }

    /// Why a field with no header may not hold `value`, and what to do.
    fn unnamed_field(&self, at: usize, value: &str) -> String {
        let read = self.columns.iter().flatten().count();
        if let Some(number) = self.split_number(at) {
            return format!(
                "field {} (`{value}`) is beyond the {read} columns fordela reads and would be ignored: the row reads \
                 `{number},{value}`, a number with a decimal comma (or a digit group) split in two by the `,` \
                 separator. Save the file with `;` as separator, or quote the amounts (\"{number},{value}\")",
                at + 1
            );
        }
        if self.header_line.is_some() {
            format!(
                "field {} (`{value}`) has no column header, so fordela would ignore it: give the column a header \
                 such as `kommentar` to keep it as a comment, or delete it",
                at + 1
            )
        } else {
            format!(
                "field {} (`{value}`) is beyond the {read} columns fordela reads and would be ignored: add a header \
                 line that names it `kommentar` to keep it as a comment, or delete it",
                at + 1
            )
        }
    }

    /// In a `,`-separated file, the whole number before field `at` when field `at` is all
    /// digits: the two are likely one number whose decimal comma (or digit group) the separator
    /// split.
    fn split_number(&self, at: usize) -> Option<&str> {
        let value = trim(self.record.get(at)?);
        if self.delimiter != b',' || at == 0 || value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Decimals follow only an amount; a digit group (three digits) may follow any figure. A
        // count of people with a number after it is an extra field, not a split one.
        if value.len() != 3 && !self.decimal_fields.contains(&(at - 1)) {
            return None;
        }
        let before = trim(self.record.get(at - 1)?);
        let digits = before.trim_start_matches(['-', '+', '\u{2212}']);
        let whole = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '\u{a0}');
        whole.then_some(before)
    }
}

/// Line ends in `text[from..to]`: `\n`, `\r\n` and a lone `\r` (old Mac files) end one line
/// each. A `\r` last in the range is counted only if no `\n` follows it outside the range,
/// which then counts it.
fn line_ends(text: &[u8], from: usize, to: usize) -> usize {
    let bytes = &text[from..to];
    let newlines = bytecount::count(bytes, b'\n');
    if bytecount::count(bytes, b'\r') == 0 {
        return newlines;
    }
    let lone_returns = bytes
        .iter()
        .enumerate()
        .filter(|&(at, &byte)| byte == b'\r' && text.get(from + at + 1) != Some(&b'\n'))
        .count();
    newlines + lone_returns
}

/// Whether `text` holds a `\r` that no `\n` follows. A CRLF file has a `\r` on every line, so
/// a search stopping at each was a few per cent of a ledger's read: the pairs of bytes are
/// tested in blocks without branching, which the compiler turns into vector compares.
#[expect(clippy::needless_bitwise_bool, reason = "no branch per byte, so the pairs are compared in vectors")]
fn has_lone_return(text: &str) -> bool {
    const BLOCK: usize = 4096;
    let bytes = text.as_bytes();
    if bytes.last() == Some(&b'\r') {
        return true;
    }
    let mut from = 0;
    while from + 1 < bytes.len() {
        let to = (from + BLOCK).min(bytes.len() - 1);
        let pairs = bytes[from..to].iter().zip(&bytes[from + 1..=to]);
        if pairs.fold(false, |lone, (&byte, &next)| lone | ((byte == b'\r') & (next != b'\n'))) {
            return true;
        }
        from = to;
    }
    false
}

/// `text` less `prefix`, matched in any ASCII case.
fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

fn csv_error(label: &str, line: usize, err: &csv::Error) -> InputError {
    InputError::at(label, line, None, err.to_string())
}

fn unequal_lengths(label: &str, line: usize, against: &str, expected: usize, found: usize) -> InputError {
    InputError::at(
        label,
        line,
        None,
        format!(
            "this row has {found} fields but {against} {expected}; a decimal comma in a \
             `,`-separated file splits a number in two: use `;` as separator or quote the number"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row a table over `text` reads (line and fields), up to its first error; `plain`
    /// says whether a text without quotes is split by hand or by the csv crate.
    fn rows_read(text: &str, delimiter: u8, plain: bool) -> Vec<Result<(usize, Vec<String>), String>> {
        let mut table = CsvTable::over("t.csv", text, 1, delimiter, has_lone_return(text));
        if !plain {
            table.plain_at = None;
        }
        let mut rows = Vec::new();
        loop {
            match table.read() {
                Ok(true) => rows.push(Ok((table.line(), table.record.iter().map(str::to_string).collect()))),
                Ok(false) => break,
                Err(err) => {
                    rows.push(Err(err.to_string()));
                    break;
                }
            }
        }
        rows
    }

    proptest::proptest! {
        /// A text without quotes split by hand is the one the csv crate reads: the same rows,
        /// fields and lines, blank lines skipped, every line end (`\n`, `\r\n`, a lone `\r`),
        /// the same first error.
        #[test]
        fn a_text_without_quotes_is_split_by_hand_as_the_csv_crate_reads_it(
            pieces in proptest::collection::vec(0usize..13, 0..80),
            delimiter in 0usize..3,
        ) {
            const PIECES: [&str; 13] = [";", ",", "\t", "a", "12", " ", "\r", "\n", "\r\n", "å", "Insats", "\u{a0}", "\n\n"];
            let text: String = pieces.into_iter().map(|piece| PIECES[piece]).collect();
            let delimiter = [b';', b',', b'\t'][delimiter];
            proptest::prop_assert_eq!(rows_read(&text, delimiter, true), rows_read(&text, delimiter, false), "{:?}", text);
        }
    }

    #[test]
    fn a_second_byte_order_mark_reads_as_the_csv_crate_reads_it_with_or_without_a_quote() {
        for text in ["\u{feff}Insats;Belopp\nx;1\n", "\u{feff}Insats;Belopp\nx;1\n\"y\";2\n"] {
            let by_hand = rows_read(text, b';', true);
            assert_eq!(by_hand, rows_read(text, b';', false), "{text:?}");
            assert_eq!(by_hand[0], Ok((1, vec!["Insats".to_string(), "Belopp".to_string()])), "{text:?}");
        }
    }

    #[test]
    fn delimiter_is_sniffed_from_the_first_line() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter("\n\na,b,c\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("omstallning;Zamsyn;1,5"), b';');
    }

    #[test]
    fn sum_labels_are_one_list_in_any_case() {
        for label in ["Totalt", "TOTAL", "summa", "Sum"] {
            assert!(is_sum_label(label), "{label}");
        }
        for text in ["", "01", "Summer", "Totalt 2019", "Område"] {
            assert!(!is_sum_label(text), "{text}");
        }
    }

    #[test]
    fn ragged_rows_name_their_line() {
        let input = Input::from_text("p.csv", "a,b\n1,2\n3,4,5\n");
        let mut table =
            CsvTable::open(&input, &[Column::required(&["a"]), Column::required(&["b"])], OtherColumns::Refused)
                .unwrap();
        assert!(table.next_record().unwrap().is_some());
        let err = table.next_record().err().unwrap();
        assert_eq!(err.line, Some(3));
    }

    const PLAN: [Column<'static>; 3] = [
        Column::required(&["area"]),
        Column::required(&["intervention"]),
        Column::required(&["amount"]).with_qualifier().with_decimals(),
    ];

    fn rows(text: &str) -> Result<Vec<Vec<String>>, InputError> {
        let input = Input::from_text("p.csv", text);
        let mut table = CsvTable::open_optional_header(&input, &PLAN, OtherColumns::Refused)?;
        let mut rows = Vec::new();
        while let Some(record) = table.next_record()? {
            rows.push((0..3).map(|i| record.field(i).to_string()).chain(record.comment()).collect());
        }
        Ok(rows)
    }

    #[test]
    fn no_field_is_dropped() {
        // Empty fields Excel adds at the end of rows are not data.
        assert_eq!(rows("a;x;1;;\nb;y;2;;\n").unwrap().len(), 2);
        assert_eq!(rows("area;intervention;amount;;\na;x;1;;\nb;y;2\n").unwrap().len(), 2);
        // Anything else beyond the columns read is an error on its line.
        for (text, line) in [
            ("a,x,10,6\n", 1),
            ("a;x;1\nb;y;2;z\n", 2),
            ("area;intervention;amount;;\na;x;1;;\nb;y;2;;z\n", 3),
            ("area,intervention,amount,kommentar\na,x,10,6\n", 2),
            ("area;intervention;amount;status\na;x;1;ok\n", 1),
            ("area;intervention;amount;amount\na;x;1;2\n", 1),
        ] {
            assert_eq!(rows(text).err().and_then(|err| err.line), Some(line), "{text:?}");
        }
        assert_eq!(rows("area;intervention;amount;Kommentar\na;x;1;ok\n").unwrap()[0][3], "ok");
    }

    #[test]
    fn a_line_break_stays_in_a_comment_and_never_takes_a_row() {
        // An Excel cell over two lines, in a comment: kept.
        let read = rows("area;intervention;amount;kommentar\na;x;1;\"två\nrader\"\nb;y;2;\n").unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0][3], "två\nrader");
        for (text, line) in [
            // A comment whose quote is not closed takes the next row (it holds the separator).
            ("area;intervention;amount;kommentar\na;x;1;\"öppen\nb;y;2;se \"bilaga\"\n", 2),
            // In a column read as data a line break is refused, closed quote or not.
            ("area;intervention;amount\na;x;1\nb;\"y\nz\";2\n", 3),
            ("a;\"x;1\nb;y\";2\n", 1),
            // The field's own line: after a comment over two lines, the next field opens on the second.
            ("area;kommentar;intervention;amount\na;\"ett\ntvå\";\"x\ny\";1\n", 3),
            // A header cell that takes a row.
            ("area;intervention;\"amount\na;x;1\"\n", 1),
            // A quote open at the file's end takes the rest of its row.
            ("area;intervention;amount\na;x;1\nb;\"y;2", 3),
        ] {
            let err = rows(text).unwrap_err();
            assert_eq!(err.line, Some(line), "{text:?}: {err}");
            assert!(err.message.contains("not closed"), "{text:?}: {err}");
        }
    }

    #[test]
    fn a_repeated_header_is_named_not_read() {
        let err = rows("Area;Intervention;Amount (mkr)\na;x;1\n\nAREA;intervention;amount (MKR)\n").unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(err.message.contains("repeats the header of line 1 (`Area;Intervention;Amount (mkr)`)"), "{err}");
        // An area that happens to share a column's name is data.
        assert_eq!(rows("Area;Intervention;Amount\narea;x;1\n").unwrap().len(), 1);
        // A header below headerless rows (a file joined to one without a header).
        let err = rows("a;x;1\n Area ;intervention;AMOUNT\nb;y;2\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("names the columns (`Area;intervention;AMOUNT`)"), "{err}");
    }

    #[test]
    fn a_sep_line_needs_a_separator_fordela_can_read() {
        assert_eq!(rows("sep=;\na;x;1,5\n").unwrap()[0][2], "1,5");
        assert_eq!(rows("sep=\t\na\tx\t1\n").unwrap()[0][1], "x");
        assert_eq!(rows("sep=ab\na;x;1\n").unwrap_err().line, Some(1));
    }

    #[test]
    fn line_ends_count_a_split_crlf_once() {
        let text = b"a\r\nb\rc\n";
        assert_eq!(line_ends(text, 0, text.len()), 3);
        assert_eq!(line_ends(text, 0, 2) + line_ends(text, 2, text.len()), 3);
        for (text, lone) in
            [("a\r\nb\r\n", false), ("a\nb", false), ("a\rb", true), ("a\r\nb\r", true), ("\r\r\n", true)]
        {
            assert_eq!(has_lone_return(text), lone, "{text:?}");
        }
    }

    /// The search for a lone `\r` goes by blocks of bytes: one on either side of a block's edge,
    /// or a CRLF split by it, is found (or not) as anywhere else. Expected by a plain scan.
    #[test]
    fn a_lone_return_is_found_at_every_place_in_a_long_text() {
        for at in [0, 1, 4094, 4095, 4096, 4097, 8191, 8192, 9998] {
            let mut lone = vec![b'a'; 10_000];
            lone[at] = b'\r';
            let mut crlf = lone.clone();
            crlf[at + 1] = b'\n';
            for (bytes, expected) in [(lone, true), (crlf, false)] {
                let text = String::from_utf8(bytes).unwrap();
                let plain = text
                    .as_bytes()
                    .iter()
                    .enumerate()
                    .any(|(i, &b)| b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
                assert_eq!(plain, expected);
                assert_eq!(has_lone_return(&text), expected, "\\r at {at}");
            }
        }
        assert!(has_lone_return(&format!("{}\r", "a".repeat(9999))), "a `\\r` last in the text");
    }

    #[test]
    fn header_additions() {
        let input = Input::from_text("p.csv", "Area;Intervention;Amount (MSEK)\na;x;1\n");
        let table = CsvTable::open_optional_header(&input, &PLAN, OtherColumns::Refused).unwrap();
        assert_eq!((table.qualifier(2), table.header(2)), (Some("(MSEK)"), Some("Amount (MSEK)")));
        // A column that takes no addition refuses one rather than read `(tusental)` as persons.
        let input = Input::from_text("p.csv", "code,population (tusental)\n01,5\n");
        let columns = [Column::required(&["code"]), Column::required(&["population"])];
        assert!(CsvTable::open(&input, &columns, OtherColumns::Numbers).is_err());
        // `_` joins one name: `barn_0_5` is not `barn` with an addition.
        assert_eq!(classify("barn_0_5", &[Column::required(&["barn"])]), HeaderField::Other);
    }

    #[test]
    fn line_numbers_count_blank_lines_and_crlf() {
        for (text, expected) in [
            ("h;x\n\n1;2\n3;4\n", vec![3, 4]),
            ("h;x\r\n\r\n1;2\r\n3;4\r\n", vec![3, 4]),
            ("h;x\n1;2\n\n\n3;4\n", vec![2, 5]),
            ("\n\nh;x\n1;2\n;\n3;4", vec![4, 6]),
            // Old Mac files end lines with a lone `\r`; mixed ends count one line each.
            ("h;x\r1;2\r\r3;4\r", vec![2, 4]),
            ("h;x\r\n1;2\r\r\n3;4\n\r5;6", vec![2, 4, 6]),
            // Excel's `sep=` line names the separator and keeps its line.
            ("sep=,\nh,x\n1,2\n", vec![3]),
            ("SEP=;\r\n\r\nh;x\r\n1;2", vec![4]),
        ] {
            let input = Input::from_text("p", text);
            let mut table = CsvTable::open(&input, &[Column::required(&["h"])], OtherColumns::Numbers).unwrap();
            let mut lines = Vec::new();
            while let Some(record) = table.next_record().unwrap() {
                lines.push(record.line);
            }
            assert_eq!(lines, expected, "{text:?}");
        }
    }
}
