//! Reading input files: from disk, stdin (`-`) or the bundled data, as UTF-8 text with any BOM
//! removed, and the error type that points at a place in one of them.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

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
        }
    }

    /// Read `path` (or stdin for `-`) as UTF-8.
    pub fn read(path: &Path) -> Result<Input, InputError> {
        let label = path.display().to_string();
        let fail = |message: String| InputError::file(&label, message);
        let bytes = if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|err| fail(format!("cannot read standard input: {err}")))?;
            bytes
        } else {
            if path.is_dir() {
                return Err(fail("is a directory, expected a file".to_string()));
            }
            std::fs::read(path).map_err(|err| fail(format!("cannot read: {err}")))?
        };
        let had_bom = bytes.starts_with(b"\xef\xbb\xbf");
        let text = decode_utf8(bytes).map_err(|(line, message)| InputError::at(&label, line, None, message))?;
        Ok(Input {
            label: if path.as_os_str() == "-" { "<stdin>".to_string() } else { label },
            path: (path.as_os_str() != "-").then(|| path.to_path_buf()),
            text,
            had_bom,
        })
    }

    /// SHA-256 of the input's bytes, in hex: what an auditor checks a file against.
    #[must_use]
    pub fn sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        if self.had_bom {
            hasher.update(b"\xef\xbb\xbf");
        }
        hasher.update(self.text.as_bytes());
        hasher.finalize().iter().fold(String::with_capacity(64), |mut hex, byte| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{byte:02x}");
            hex
        })
    }
}

/// What a file that is not text is, judged by its first bytes, and what to do with it.
fn not_text(bytes: &[u8]) -> Option<String> {
    const SAVE_AS: &str = "fordela reads text: in the spreadsheet, save the sheet as \"CSV UTF-8\" (or as CSV \
                           with `;` as separator) and give that file";
    let kind = if bytes.starts_with(b"PK\x03\x04") {
        // An OpenDocument file names its kind in a first, uncompressed `mimetype` entry.
        let head = &bytes[..bytes.len().min(200)];
        if head.windows(12).any(|window| window == b"opendocument") {
            "an OpenDocument spreadsheet (.ods, a zip archive)"
        } else {
            "an Excel workbook (.xlsx, a zip archive)"
        }
    } else if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        "an old-style Excel workbook (.xls)"
    } else if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        // Excel's "Unicode text" export.
        "UTF-16 text (Excel's \"Unicode text\")"
    } else {
        return None;
    };
    Some(format!("is {kind}, not a CSV or TOML text file: {SAVE_AS}"))
}

/// UTF-8 text without a BOM, or the line of the first invalid byte.
fn decode_utf8(mut bytes: Vec<u8>) -> Result<String, (usize, String)> {
    if let Some(message) = not_text(&bytes) {
        return Err((1, message));
    }
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let line = String::from_utf8_lossy(&bytes[..valid]).matches('\n').count() + 1;
        let byte = bytes[valid];
        (
            line,
            format!(
                "is not valid UTF-8 (byte 0x{byte:02X}; the file looks saved as Windows-1252 or \
                 Latin-1): save it again as UTF-8 (in Excel: \"CSV UTF-8\")"
            ),
        )
    })
}

/// A problem in an input, pointing at the file and, where known, line and column.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct InputError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl InputError {
    pub fn file(file: &str, message: impl Into<String>) -> InputError {
        InputError { file: file.to_string(), line: None, column: None, message: message.into() }
    }

    pub fn at(file: &str, line: usize, column: Option<usize>, message: impl Into<String>) -> InputError {
        InputError { file: file.to_string(), line: Some(line), column, message: message.into() }
    }

    /// Error at a byte offset of `text`, with line and column counted from 1.
    pub fn at_offset(file: &str, text: &str, offset: usize, message: impl Into<String>) -> InputError {
        let (line, column) = line_column(text, offset);
        InputError::at(file, line, Some(column), message)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
            if let Some(column) = self.column {
                write!(f, ", column {column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
#[must_use]
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_its_line() {
        let err = decode_utf8(b"a,b\nc,d\n\xe5r,1\n".to_vec()).unwrap_err();
        assert_eq!(err.0, 3);
        assert!(err.1.contains("0xE5"));
    }

    #[test]
    fn workbooks_are_named() {
        let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
        assert!(decode_utf8(xlsx).unwrap_err().1.contains("Excel workbook (.xlsx"));
        let ods = b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet".to_vec();
        assert!(decode_utf8(ods).unwrap_err().1.contains("OpenDocument spreadsheet"));
        let xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00".to_vec();
        assert!(decode_utf8(xls).unwrap_err().1.contains("Excel workbook (.xls)"));
        let utf16 = b"\xff\xfea\x00;\x00".to_vec();
        assert!(decode_utf8(utf16).unwrap_err().1.contains("UTF-16"));
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
