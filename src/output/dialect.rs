//! The CSV dialects, defined once: plain CSV for programs, and CSV as Swedish Excel opens it.
//! Both CSV writers (the fast one of `allocate` and the csv crate's of `check`) take these,
//! and both guard text cells against being run as formulas by the rule here.

use std::borrow::Cow;
use std::io::{self, Write};

use csv::{Terminator, WriterBuilder};

use crate::core::amount::NumberStyle;

/// How fields are separated, rows ended, numbers written, and the file begun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub delimiter: u8,
    pub terminator: &'static [u8],
    pub style: NumberStyle,
    /// Bytes before the header: Excel reads a CSV file as UTF-8 only after a BOM.
    pub preamble: &'static [u8],
}

impl Dialect {
    /// `,`, decimal point, LF.
    pub const PLAIN: Dialect = Dialect { delimiter: b',', terminator: b"\n", style: NumberStyle::PLAIN, preamble: b"" };
    /// Swedish Excel: `;`, decimal comma, UTF-8 BOM, CRLF.
    pub const EXCEL: Dialect =
        Dialect { delimiter: b';', terminator: b"\r\n", style: NumberStyle::EXCEL, preamble: b"\xef\xbb\xbf" };

    /// A text field, quoted as the csv crate (and Excel) would: only when it holds the
    /// delimiter, a quote or a line break, with quotes doubled; and with a leading `'` when a
    /// spreadsheet would run it as a formula (the rule of `spreadsheet_text`).
    pub fn text(self, text: &str, out: &mut Vec<u8>) {
        let bytes = text.as_bytes();
        let guard: &[u8] = if reads_as_formula(text) { b"'" } else { b"" };
        if !bytes.iter().any(|&b| b == self.delimiter || matches!(b, b'"' | b'\r' | b'\n')) {
            out.extend_from_slice(guard);
            out.extend_from_slice(bytes);
            return;
        }
        out.push(b'"');
        out.extend_from_slice(guard);
        for &byte in bytes {
            if byte == b'"' {
                out.push(b'"');
            }
            out.push(byte);
        }
        out.push(b'"');
    }

    /// A row of text fields.
    pub fn record<'a>(self, fields: impl IntoIterator<Item = &'a str>, out: &mut Vec<u8>) {
        for (index, field) in fields.into_iter().enumerate() {
            if index > 0 {
                out.push(self.delimiter);
            }
            self.text(field, out);
        }
        out.extend_from_slice(self.terminator);
    }

    /// A csv crate writer of this dialect, the preamble already written. Text cells still go
    /// through `spreadsheet_text`: the writer quotes, it does not guard.
    pub fn writer<W: Write>(self, mut out: W) -> io::Result<csv::Writer<W>> {
        out.write_all(self.preamble)?;
        let terminator = match self.terminator {
            b"\r\n" => Terminator::CRLF,
            [byte] => Terminator::Any(*byte),
            other => return Err(io::Error::other(format!("no csv terminator {other:?}"))),
        };
        Ok(WriterBuilder::new().delimiter(self.delimiter).terminator(terminator).from_writer(out))
    }
}

/// Whether a spreadsheet opening a CSV file would read this text cell as a formula and run it
/// (`=HYPERLINK(…)`, `@SUM(A1)`, `+…`, `-2+3`, or one of these after a tab or carriage return,
/// which Excel skips): OWASP's list of leading characters, plus their full-width forms, which
/// some Excel locales also take as a formula. Only the first byte is looked at in the usual
/// case, so the check costs nothing on a million names.
#[must_use]
pub fn reads_as_formula(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => true,
        // U+FF0B, U+FF0D, U+FF1D, U+FF20 all begin with this byte.
        Some(0xEF) => text.starts_with(['\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}']),
        _ => false,
    }
}

/// A text cell as a spreadsheet shows it rather than runs it: a leading `'` (OWASP's advice)
/// before text that `reads_as_formula`, the text as it is otherwise. Only text cells go
/// through this: a negative amount in a number column stays a number.
#[must_use]
pub fn spreadsheet_text(text: &str) -> Cow<'_, str> {
    if reads_as_formula(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_quoted_only_when_a_reader_needs_it() {
        let plain = Dialect::PLAIN;
        let excel = Dialect::EXCEL;
        for (dialect, text, expected) in [
            (plain, "Enhet 1", "Enhet 1"),
            (plain, "Vård, omsorg", "\"Vård, omsorg\""),
            (excel, "Vård, omsorg", "Vård, omsorg"),
            (excel, "a;b", "\"a;b\""),
            (plain, "säger \"hej\"", "\"säger \"\"hej\"\"\""),
            (plain, "två\nrader", "\"två\nrader\""),
            (plain, "=1+1", "'=1+1"),
            (excel, "-2+3", "'-2+3"),
            (plain, "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            (excel, "@SUM(A1;A2)", "\"'@SUM(A1;A2)\""),
        ] {
            let mut out = Vec::new();
            dialect.text(text, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), expected);
            // And the csv crate reads back the very text, guarded as `spreadsheet_text` guards it.
            let mut record = Vec::new();
            dialect.record([text, "x"], &mut record);
            let mut reader =
                csv::ReaderBuilder::new().has_headers(false).delimiter(dialect.delimiter).from_reader(&record[..]);
            let read = reader.records().next().unwrap().unwrap();
            assert_eq!(&read[0], spreadsheet_text(text));
        }
    }

    #[test]
    fn both_writers_write_the_same_dialect() {
        for dialect in [Dialect::PLAIN, Dialect::EXCEL] {
            let fields = ["Vård; omsorg, mer", "=1", "x"];
            let mut fast = dialect.preamble.to_vec();
            dialect.record(fields, &mut fast);
            let mut crate_written = Vec::new();
            let mut writer = dialect.writer(&mut crate_written).unwrap();
            writer.write_record(fields.map(|field| spreadsheet_text(field).into_owned())).unwrap();
            drop(writer);
            assert_eq!(fast, crate_written);
        }
    }

    #[test]
    fn only_text_a_spreadsheet_would_run_is_guarded() {
        for (text, shown) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("+46", "'+46"),
            ("-2+3", "'-2+3"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("\u{ff1d}1+1", "'\u{ff1d}1+1"),
            ("Region Jämtland Härjedalen", "Region Jämtland Härjedalen"),
            ("Enhet = 3", "Enhet = 3"),
            ("'=1", "'=1"),
            ("\u{ff21}", "\u{ff21}"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_text(text), shown, "{text:?}");
        }
    }
}
