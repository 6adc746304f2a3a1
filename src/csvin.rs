//! CSV as spreadsheets export it: `,` `;` or tab (detected from the first line), a header
//! matched by name (Swedish or English, any case), surrounding spaces, blank rows.

use csv::{ReaderBuilder, StringRecord};

use crate::input::{Input, InputError};

/// Rows of a CSV input, with the requested columns looked up by name.
pub struct CsvTable<'a> {
    label: &'a str,
    reader: csv::Reader<&'a [u8]>,
    /// For each requested column, the field it is in (if present).
    columns: Vec<Option<usize>>,
    record: StringRecord,
    /// A first row that turned out not to be a header, to hand out before reading on.
    pending: bool,
    text: &'a str,
    /// Newlines counted so far: the line number at byte `counted_to`. The csv crate's own
    /// line numbers skip blank lines wrongly, so lines are counted here from byte offsets.
    counted_to: usize,
    line_at: usize,
    delimiter: u8,
    /// Fields every row must have: the header's (or first row's) count.
    field_count: Option<usize>,
}

/// One data row: fields in the order the columns were requested.
pub struct Record<'r> {
    pub line: usize,
    fields: &'r StringRecord,
    columns: &'r [Option<usize>],
}

impl Record<'_> {
    /// The trimmed text of requested column `index`; empty when the column is absent.
    #[must_use]
    pub fn field(&self, index: usize) -> &str {
        self.columns[index].and_then(|at| self.fields.get(at)).map_or("", trim)
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
    let first = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
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

impl<'a> CsvTable<'a> {
    /// Opens `input` expecting a header naming `columns` (each a list of accepted names);
    /// `required[i]` says whether column `i` must be there.
    pub fn open(input: &'a Input, columns: &[&[&str]], required: &[bool]) -> Result<CsvTable<'a>, InputError> {
        let mut table = CsvTable::start(input);
        let expected = columns.iter().map(|names| names[0]).collect::<Vec<_>>().join(",");
        if !table.read()? {
            return Err(InputError::file(
                table.label,
                format!("is empty, expected a header line `{expected}` and rows"),
            ));
        }
        let header: Vec<String> = table.record.iter().map(normalize).collect();
        table.columns =
            columns.iter().map(|names| header.iter().position(|field| names.contains(&field.as_str()))).collect();
        if let Some(missing) = (0..columns.len()).find(|&i| required[i] && table.columns[i].is_none()) {
            // A misspelt name (`barn0_5` for `barn0_6`) is nearest one of the unclaimed columns.
            let unclaimed = table
                .record
                .iter()
                .enumerate()
                .filter(|(at, _)| !table.columns.contains(&Some(*at)))
                .map(|(_, field)| field.trim());
            let hint = crate::suggest::nearest(columns[missing][0], unclaimed)
                .map_or(String::new(), |name| format!("; did you mean `{name}`?"));
            return Err(InputError::at(
                table.label,
                table.line(),
                None,
                format!(
                    "the header has no `{}` column (it has: {}), expected `{expected}`{hint}",
                    columns[missing][0],
                    table.record.iter().map(str::trim).collect::<Vec<_>>().join(", "),
                ),
            ));
        }
        Ok(table)
    }

    /// Opens `input` whose header line is optional: when the first row names none of the
    /// columns, the columns are taken in order and that row is data.
    pub fn open_optional_header(input: &'a Input, columns: &[&[&str]]) -> Result<CsvTable<'a>, InputError> {
        let mut table = CsvTable::start(input);
        if !table.read()? {
            return Err(InputError::file(table.label, "is empty, expected rows"));
        }
        let header: Vec<String> = table.record.iter().map(normalize).collect();
        let found: Vec<Option<usize>> =
            columns.iter().map(|names| header.iter().position(|field| names.contains(&field.as_str()))).collect();
        if found.iter().any(Option::is_some) {
            table.columns = found;
        } else {
            table.columns = (0..columns.len()).map(Some).collect();
            table.pending = true;
        }
        Ok(table)
    }

    fn start(input: &'a Input) -> CsvTable<'a> {
        CsvTable::over(&input.label, &input.text, 1, sniff_delimiter(&input.text))
    }

    /// A table over `text`, whose first line is line `line` of the file.
    fn over(label: &'a str, text: &'a str, line: usize, delimiter: u8) -> CsvTable<'a> {
        // Row lengths are checked here, not by the reader: a table split in parts must hold
        // every part to the header's count, not to the part's first row.
        let reader =
            ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
        CsvTable {
            label,
            reader,
            columns: Vec::new(),
            record: StringRecord::new(),
            pending: false,
            text,
            counted_to: 0,
            line_at: line,
            delimiter,
            field_count: None,
        }
    }

    /// The rows not read yet, as up to `parts` tables over consecutive stretches of the text,
    /// to be read in parallel. A stretch ends at a line break, so the text is split only when
    /// it holds no quote (a quoted field may span lines) and has at least `min_len` bytes left.
    #[must_use]
    pub fn split(self, parts: usize, min_len: usize) -> Vec<CsvTable<'a>> {
        let start = usize::try_from(self.reader.position().byte()).unwrap_or(usize::MAX).min(self.text.len());
        let rest = &self.text.as_bytes()[start..];
        if self.pending || parts < 2 || rest.len() < min_len || rest.is_empty() || rest.contains(&b'"') {
            return vec![self];
        }
        let mut bounds = vec![start];
        for part in 1..parts {
            let target = start + rest.len() * part / parts;
            let Some(newline) = self.text.as_bytes()[target..].iter().position(|&b| b == b'\n') else { break };
            let bound = target + newline + 1;
            if bound > *bounds.last().unwrap_or(&start) && bound < self.text.len() {
                bounds.push(bound);
            }
        }
        bounds.push(self.text.len());
        let mut line = self.line_at_offset(start);
        let mut tables = Vec::with_capacity(bounds.len() - 1);
        for range in bounds.windows(2) {
            let text = &self.text[range[0]..range[1]];
            let mut table = CsvTable::over(self.label, text, line, self.delimiter);
            table.columns.clone_from(&self.columns);
            table.field_count = self.field_count;
            line += bytecount::count(text.as_bytes(), b'\n');
            tables.push(table);
        }
        tables
    }

    /// The line byte `offset` is on (counted from the line count kept so far).
    fn line_at_offset(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        if offset >= self.counted_to {
            self.line_at + bytecount::count(&bytes[self.counted_to..offset], b'\n')
        } else {
            self.line_at - bytecount::count(&bytes[offset..self.counted_to], b'\n')
        }
    }

    /// Lines not read yet: at most as many rows are left.
    #[must_use]
    pub fn lines_left(&self) -> usize {
        bytecount::count(&self.text.as_bytes()[self.counted_to..], b'\n') + 1
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

    /// Reads the next row that is not blank into `self.record`.
    fn read(&mut self) -> Result<bool, InputError> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return Ok(false),
                Ok(true) => {
                    let offset =
                        self.record.position().map_or(0, |pos| usize::try_from(pos.byte()).unwrap_or(usize::MAX));
                    self.advance_line(offset);
                    if self.record.iter().all(|field| field.trim_matches(char::is_whitespace).is_empty()) {
                        continue;
                    }
                    let expected = *self.field_count.get_or_insert(self.record.len());
                    if self.record.len() != expected {
                        return Err(unequal_lengths(self.label, self.line_at, expected, self.record.len()));
                    }
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
        Ok(Some(Record { line: self.line(), fields: &self.record, columns: &self.columns }))
    }
}

fn csv_error(label: &str, line: usize, err: &csv::Error) -> InputError {
    InputError::at(label, line, None, err.to_string())
}

fn unequal_lengths(label: &str, line: usize, expected: usize, found: usize) -> InputError {
    InputError::at(
        label,
        line,
        None,
        format!(
            "this row has {found} fields but the first row has {expected}; a decimal comma in a \
             `,`-separated file splits a number in two: use `;` as separator or quote the number"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_sniffed_from_the_first_line() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter("\n\na,b,c\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("omstallning;Zamsyn;1,5"), b';');
    }

    #[test]
    fn ragged_rows_name_their_line() {
        let input = Input::from_text("p.csv", "a,b\n1,2\n3,4,5\n");
        let mut table = CsvTable::open(&input, &[&["a"], &["b"]], &[true, true]).unwrap();
        assert!(table.next_record().unwrap().is_some());
        let err = table.next_record().err().unwrap();
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn line_numbers_count_blank_lines_and_crlf() {
        for (text, expected) in [
            ("h;x\n\n1;2\n3;4\n", vec![3, 4]),
            ("h;x\r\n\r\n1;2\r\n3;4\r\n", vec![3, 4]),
            ("h;x\n1;2\n\n\n3;4\n", vec![2, 5]),
            ("\n\nh;x\n1;2\n;\n3;4", vec![4, 6]),
        ] {
            let input = Input::from_text("p", text);
            let mut table = CsvTable::open(&input, &[&["h"]], &[true]).unwrap();
            let mut lines = Vec::new();
            while let Some(record) = table.next_record().unwrap() {
                lines.push(record.line);
            }
            assert_eq!(lines, expected, "{text:?}");
        }
    }
}
