//! A problem in an input, placed: file, line (a sheet's row) and column.

use std::fmt;
use thiserror::Error;

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
