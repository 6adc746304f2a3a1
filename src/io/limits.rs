//! The bounds on the work one input may ask for, besides its size (`--max-input-size`): what a
//! workbook unpacks to, how many cells its sheets span, and how long one field is. A small
//! file can ask for unbounded work (a 2 MB `.xlsx` unpacks to a gigabyte; one stray cell at
//! `XFD1048576` makes a sheet of 17 billion cells), so each bound is checked before the work is
//! done, and a breach stops the run naming the bound and how to raise it.
//!
//! Like the input size, the limits are set once from the command line before any input is
//! read (`--max-unpacked-size`, `--max-cells`, `--max-field-size`, or their environment
//! variables).

use crate::io::input::ByteSize;
use std::sync::atomic::{AtomicU64, Ordering};

/// What a workbook may unpack to, all its parts together, and what its cells may hold once
/// shared strings and repeated cells are written out: a full sheet of 1 048 576 rows of four
/// figures unpacks to about 150 MB; real inputs are kilobytes.
pub const DEFAULT_MAX_UNPACKED: ByteSize = ByteSize(256 << 20);

/// Cells a workbook's sheets may span (each sheet's used range, rows × columns, and the
/// cells it stores): more than a full-height sheet of four columns (4 194 304 cells). A
/// reader holds every cell of the range in memory, about 60 bytes each.
pub const DEFAULT_MAX_CELLS: u64 = 5_000_000;

/// The longest field of a table (a CSV field, a workbook cell's text): twice what an Excel
/// cell can hold (32 767 characters). No name, amount or comment is that long; a field of
/// megabytes is a broken quote or a hostile file, and every name is compared with others.
pub const DEFAULT_MAX_FIELD: ByteSize = ByteSize(64 << 10);

static MAX_UNPACKED: AtomicU64 = AtomicU64::new(DEFAULT_MAX_UNPACKED.0);
static MAX_CELLS: AtomicU64 = AtomicU64::new(DEFAULT_MAX_CELLS);
static MAX_FIELD: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FIELD.0);

/// Sets the limits of this run (before any input is read).
pub fn set(unpacked: ByteSize, cells: u64, field: ByteSize) {
    MAX_UNPACKED.store(unpacked.0, Ordering::Relaxed);
    MAX_CELLS.store(cells, Ordering::Relaxed);
    MAX_FIELD.store(field.0, Ordering::Relaxed);
}

#[must_use]
pub fn max_unpacked() -> ByteSize {
    ByteSize(MAX_UNPACKED.load(Ordering::Relaxed))
}

#[must_use]
pub fn max_cells() -> u64 {
    MAX_CELLS.load(Ordering::Relaxed)
}

#[must_use]
pub fn max_field() -> ByteSize {
    ByteSize(MAX_FIELD.load(Ordering::Relaxed))
}

/// How to raise the unpacked limit, for the end of a message.
#[must_use]
pub fn raise_unpacked() -> String {
    format!(
        "fordela's limit for what a workbook unpacks to is {}: check that this is the file you meant, or raise \
         the limit with --max-unpacked-size (or FORDELA_MAX_UNPACKED), e.g. --max-unpacked-size 1GiB",
        max_unpacked()
    )
}

/// How to raise the cell limit, for the end of a message.
#[must_use]
pub fn raise_cells() -> String {
    format!(
        "fordela reads at most {} cells of a workbook: a stray entry far from the table makes a sheet that large, \
         so delete what lies outside the table (Ctrl+End goes to the sheet's last cell) and save it again, or \
         raise the limit with --max-cells (or FORDELA_MAX_CELLS), e.g. --max-cells 20000000",
        max_cells()
    )
}

/// Why a field of `length` bytes is refused: the limit and how to raise it.
#[must_use]
pub fn field_too_long(length: u64) -> String {
    format!(
        "holds {length} bytes of text, more than fordela's limit of {} for one field: no name, amount or comment \
         is that long, so check for a quote that is never closed or text pasted into the wrong cell, or raise the \
         limit with --max-field-size (or FORDELA_MAX_FIELD), e.g. --max-field-size 1MiB",
        max_field()
    )
}

/// Whether a field of `length` bytes is over the field limit.
#[must_use]
pub fn field_over(length: usize) -> bool {
    length as u64 > max_field().0
}
