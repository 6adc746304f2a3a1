//! What a command writes, and how `--format`, `--excel`, `-o FILE.ext` and the terminal decide it.

use std::marker::PhantomData;

use clap::ValueEnum;
use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};

/// What `allocate` writes. A new format is a variant here, its arm in `write`, and its module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AllocateFormat {
    Table,
    Csv,
    /// CSV for Swedish Excel
    Excel,
    Json,
    /// An Excel workbook (.xlsx): never to a terminal
    Xlsx,
}

/// What `check` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Table,
    Csv,
    /// CSV for Swedish Excel
    Excel,
    Json,
    /// An Excel workbook (.xlsx): never to a terminal
    Xlsx,
}

/// Why a workbook is not streamed by a format's `write`: it is made whole, and checked, before
/// a byte is written (see `workbook`).
pub const WORKBOOK_IS_BUILT_FIRST: &str = "a workbook is built by its own renderer before it is written";

/// What `audit` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Table,
    Csv,
    /// CSV for Swedish Excel
    Excel,
    Json,
    /// An Excel workbook (.xlsx): never to a terminal
    Xlsx,
}

/// What `follow-up` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FollowUpFormat {
    Table,
    Csv,
    /// CSV for Swedish Excel
    Excel,
    Json,
    /// An Excel workbook (.xlsx): never to a terminal
    Xlsx,
}

/// What `explain` writes: a text report or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Plain text
    #[value(alias = "text")]
    Table,
    Json,
    /// An Excel workbook (.xlsx): never to a terminal
    Xlsx,
}

/// What `list` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    /// An Excel workbook (.xlsx): never to a terminal
    Xlsx,
}

/// What `payouts` and `diff` write. Their own type, so that a format another command gains is
/// added here when these renderers have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    /// CSV for Swedish Excel
    Excel,
    Json,
    /// An Excel workbook (.xlsx): never to a terminal
    Xlsx,
}

/// Why a command refused CSV when parsing its flags (`main` shows it as fordela's own error).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct CsvRefused(pub &'static str);

/// The values of `F`, and for `csv` or `excel`, which `F` lacks, an error that says why the
/// command writes no CSV (rather than clap's bare "invalid value").
#[derive(Clone)]
pub struct NoCsv<F> {
    why: &'static str,
    format: PhantomData<F>,
}

impl<F> NoCsv<F> {
    #[must_use]
    pub fn new(why: &'static str) -> NoCsv<F> {
        NoCsv { why, format: PhantomData }
    }
}

impl<F: ValueEnum + Clone + Send + Sync + 'static> TypedValueParser for NoCsv<F> {
    type Value = F;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<F, clap::Error> {
        if value.to_str().is_some_and(|text| ["csv", "excel"].contains(&text)) {
            let why = self.why;
            let refuse = move |_: &str| -> Result<F, CsvRefused> { Err(CsvRefused(why)) };
            return refuse.parse_ref(command, arg, value);
        }
        EnumValueParser::<F>::new().parse_ref(command, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(F::value_variants().iter().filter_map(ValueEnum::to_possible_value)))
    }
}
