//! What a command writes, and how `--format`, `--excel`, `-o FILE.ext` and the terminal decide it.

use crate::lang::Lang;
use anyhow::bail;
use clap::ValueEnum;
use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

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

/// The format a report is written in: `--format` when given, else `xlsx` for a file named
/// `.xlsx`, else `default`. A `.xlsx` file in another format, or a workbook in a file named as
/// another format, is an error; so is a workbook to a terminal (`stdout_is_terminal`, with no
/// file or `-`): its bytes are no use on a screen and can upset it.
pub fn resolve_format<F: ValueEnum + Copy + PartialEq>(
    chosen: Option<F>,
    default: F,
    xlsx: F,
    file: Option<&Path>,
    stdout_is_terminal: bool,
) -> anyhow::Result<F> {
    let extension = file.and_then(Path::extension).and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase);
    let named = |format: F| format.to_possible_value().map_or_else(String::new, |value| value.get_name().to_string());
    let shown = file.map_or_else(String::new, |path| path.display().to_string());
    let format = match (chosen, extension.as_deref()) {
        (None, Some("xlsx")) => xlsx,
        (None, _) => default,
        (Some(format), Some("xlsx")) if format != xlsx => bail!(
            "--format {} cannot be written to {shown}: a .xlsx file is a workbook; pass --format xlsx, or name the \
             file for its format",
            named(format)
        ),
        (Some(format), Some(other @ ("csv" | "json" | "txt" | "tsv"))) if format == xlsx => {
            bail!("--format xlsx writes a workbook, not a .{other} file ({shown}): name the file .xlsx")
        }
        (Some(format), _) => format,
    };
    // Standard output under its other names too; the controlling terminal is one always.
    let is_one_of = |path: &Path, names: &[&str]| names.iter().any(|name| path.as_os_str() == *name);
    let to_stdout = file.is_none_or(|path| is_one_of(path, &["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]));
    let to_terminal = file.is_some_and(|path| is_one_of(path, &["/dev/tty", "/dev/console"]));
    if format == xlsx && ((to_stdout && stdout_is_terminal) || to_terminal) {
        bail!(
            "a workbook (--format xlsx) is not written to a terminal: pass --output FILE.xlsx, or redirect standard \
             output to a file"
        );
    }
    Ok(format)
}

/// Where a report goes, and in which format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<F> {
    pub format: F,
    /// `None` is stdout.
    pub file: Option<PathBuf>,
    /// The language of the report's labels.
    pub lang: Lang,
}
