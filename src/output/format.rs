//! What a command writes, and how `--format`, `--excel`, `-o FILE.ext` and the terminal decide
//! it: one `Format`, each command's set of them (`Formats`), one rule (`resolve`).
//!
//! A new format is a variant here, its words in `Formats::possible_value`, and an arm in the
//! renderers of each command that writes it; a command lists the formats it writes in its own
//! `CommandFormats`.

use crate::lang::Lang;
use crate::output::dialect::Dialect;
use anyhow::bail;
use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use std::io::IsTerminal;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// Every format fordela writes. Which a command writes is its `Formats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A table for the terminal (a text report for `explain`).
    Table,
    /// CSV: `,`, decimal point, UTF-8.
    Csv,
    /// CSV for Swedish Excel: `;`, decimal comma, UTF-8 BOM, CRLF.
    Excel,
    Json,
    /// An Excel workbook (.xlsx): never to a terminal.
    Xlsx,
    /// An HTML page (`report`).
    Html,
}

impl Format {
    /// The name `--format` takes.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Excel => "excel",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }

    /// The CSV dialect of a CSV format; `None` for the others.
    #[must_use]
    pub const fn dialect(self) -> Option<Dialect> {
        match self {
            Format::Csv => Some(Dialect::PLAIN),
            Format::Excel => Some(Dialect::EXCEL),
            _ => None,
        }
    }

    /// Whether the output is CSV, which has no room for notes or findings: those go to stderr.
    #[must_use]
    pub const fn is_csv(self) -> bool {
        self.dialect().is_some()
    }
}

/// The formats one command writes, the first its default, in the order `--help` lists them.
#[derive(Debug, Clone, Copy)]
pub struct Formats {
    pub list: &'static [Format],
    /// Why the command writes no CSV, said when `--format csv`, `excel` or `--excel` asks for it
    /// (rather than clap's bare "invalid value").
    pub no_csv: Option<&'static str>,
    /// The table is a text report, also spelt `text` (`explain`).
    pub table_is_text: bool,
}

impl Formats {
    /// Table, CSV, Excel's CSV, JSON and a workbook: what most commands write.
    pub const TABULAR: Formats = Formats {
        list: &[Format::Table, Format::Csv, Format::Excel, Format::Json, Format::Xlsx],
        no_csv: None,
        table_is_text: false,
    };

    #[must_use]
    pub fn writes(&self, format: Format) -> bool {
        self.list.contains(&format)
    }

    #[must_use]
    pub fn default_format(&self) -> Format {
        self.list[0]
    }

    fn possible_value(&self, format: Format) -> PossibleValue {
        let value = PossibleValue::new(format.name());
        match format {
            Format::Table if self.table_is_text => value.help("Plain text").alias("text"),
            Format::Excel => value.help("CSV for Swedish Excel"),
            Format::Xlsx => value.help("An Excel workbook (.xlsx): never to a terminal"),
            Format::Html => value.help("An HTML page"),
            Format::Table | Format::Csv | Format::Json => value,
        }
    }
}

/// `--format`'s values are the command's formats; CSV asked of a command without it is refused
/// with the command's reason.
impl TypedValueParser for Formats {
    type Value = Format;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Format, clap::Error> {
        if let Some(why) = self.no_csv {
            if value.to_str().is_some_and(|text| ["csv", "excel"].contains(&text)) {
                let refuse = move |_: &str| -> Result<Format, CsvRefused> { Err(CsvRefused(why)) };
                return refuse.parse_ref(command, arg, value);
            }
        }
        let values: Vec<PossibleValue> = self.list.iter().map(|format| self.possible_value(*format)).collect();
        let name = PossibleValuesParser::new(values.clone()).parse_ref(command, arg, value)?;
        let found = self.list.iter().zip(&values).find(|(_, possible)| possible.matches(&name, false));
        // The parser above accepted `name` as one of `values`, so it names one of `list`.
        Ok(found.map_or(self.default_format(), |(format, _)| *format))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.list.iter().map(|format| self.possible_value(*format))))
    }
}

/// Why a command refused CSV when parsing its flags (`main` shows it as fordela's own error).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct CsvRefused(pub &'static str);

/// A command's formats, as a type its flags are generic over.
pub trait CommandFormats: Clone + Send + Sync + 'static {
    const FORMATS: Formats;
}

/// `--format`, `--excel` and `-o`: the same three flags, and the same rule, for every command.
#[derive(Debug, Args)]
pub struct OutputArgs<F: CommandFormats> {
    /// Output format; xlsx is a workbook (also chosen by `-o FILE.xlsx`), never written to a
    /// terminal
    #[arg(long, short = 'f', value_parser = F::FORMATS)]
    pub format: Option<Format>,
    /// CSV for Swedish Excel: `;`, decimal comma, UTF-8 BOM, CRLF (same as --format excel)
    #[arg(long, hide = !F::FORMATS.writes(Format::Excel))]
    pub excel: bool,
    /// Write to FILE (atomically: the old file stays until the new one is complete)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(skip)]
    formats: PhantomData<F>,
}

impl<F: CommandFormats> OutputArgs<F> {
    /// Where the output goes and in which format, by `resolve`'s rule.
    pub fn target(&self, lang: Lang) -> anyhow::Result<Target> {
        let format =
            resolve(&F::FORMATS, self.format, self.excel, self.output.as_deref(), std::io::stdout().is_terminal())?;
        Ok(Target { format, file: self.output.clone(), lang })
    }
}

/// Where a report goes, and in which format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub format: Format,
    /// `None` is stdout.
    pub file: Option<PathBuf>,
    /// The language of the report's labels.
    pub lang: Lang,
}

/// The one rule for every command. `--excel` is `--format excel` (and agrees with `--format
/// csv`, nothing else); then `--format` when given, else `xlsx` for a file named `.xlsx`, else
/// the command's default. A `.xlsx` file in another format, or a workbook in a file named as
/// another format, is an error; so is a workbook to a terminal (`stdout_is_terminal`, with no
/// file or `-`): its bytes are no use on a screen and can upset it.
pub fn resolve(
    formats: &Formats,
    chosen: Option<Format>,
    excel: bool,
    file: Option<&Path>,
    stdout_is_terminal: bool,
) -> anyhow::Result<Format> {
    let chosen = match (excel, chosen) {
        (false, chosen) => chosen,
        (true, _) if !formats.writes(Format::Excel) => bail!("{}", formats.no_csv.unwrap_or("no CSV is written here")),
        (true, None | Some(Format::Csv | Format::Excel)) => Some(Format::Excel),
        (true, Some(_)) => bail!("--excel writes CSV and cannot be combined with another --format"),
    };
    let extension = file.and_then(Path::extension).and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase);
    let shown = file.map_or_else(String::new, |path| path.display().to_string());
    let format = match (chosen, extension.as_deref()) {
        (None, Some("xlsx")) if formats.writes(Format::Xlsx) => Format::Xlsx,
        (None, _) => formats.default_format(),
        (Some(format), Some("xlsx")) if format != Format::Xlsx => bail!(
            "--format {} cannot be written to {shown}: a .xlsx file is a workbook; pass --format xlsx, or name the \
             file for its format",
            format.name()
        ),
        (Some(Format::Xlsx), Some(other @ ("csv" | "json" | "txt" | "tsv"))) => {
            bail!("--format xlsx writes a workbook, not a .{other} file ({shown}): name the file .xlsx")
        }
        (Some(format), _) => format,
    };
    // Standard output under its other names too; the controlling terminal is one always.
    let is_one_of = |path: &Path, names: &[&str]| names.iter().any(|name| path.as_os_str() == *name);
    let to_stdout = file.is_none_or(|path| is_one_of(path, &["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]));
    let to_terminal = file.is_some_and(|path| is_one_of(path, &["/dev/tty", "/dev/console"]));
    if format == Format::Xlsx && ((to_stdout && stdout_is_terminal) || to_terminal) {
        bail!(
            "a workbook (--format xlsx) is not written to a terminal: pass --output FILE.xlsx, or redirect standard \
             output to a file"
        );
    }
    Ok(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT_OR_JSON: Formats = Formats {
        list: &[Format::Table, Format::Json, Format::Xlsx],
        no_csv: Some("no CSV here"),
        table_is_text: true,
    };

    #[test]
    fn a_workbook_goes_to_a_file_or_a_redirection_never_to_a_terminal() {
        let xlsx = |chosen: Option<Format>, file: Option<&str>, terminal: bool| {
            resolve(&Formats::TABULAR, chosen, false, file.map(Path::new), terminal)
        };
        // The file's extension chooses the workbook; --format, when given, must agree with it.
        assert_eq!(xlsx(None, Some("out.xlsx"), true).unwrap(), Format::Xlsx);
        assert_eq!(xlsx(None, Some("OUT.XLSX"), false).unwrap(), Format::Xlsx);
        assert_eq!(xlsx(None, Some("out.csv"), true).unwrap(), Format::Table);
        assert_eq!(xlsx(None, None, true).unwrap(), Format::Table);
        let conflict = xlsx(Some(Format::Csv), Some("out.xlsx"), false).unwrap_err();
        assert!(conflict.to_string().starts_with("--format csv cannot be written to out.xlsx"), "{conflict}");
        let conflict = xlsx(Some(Format::Xlsx), Some("out.csv"), false).unwrap_err();
        assert!(conflict.to_string().contains("not a .csv file"), "{conflict}");
        // Standard output: a terminal refuses a workbook; a pipe or file takes it.
        assert!(xlsx(Some(Format::Xlsx), Some("/dev/tty"), false).is_err(), "the terminal by name");
        for file in [None, Some("-"), Some("/dev/stdout")] {
            let refused = xlsx(Some(Format::Xlsx), file, true).unwrap_err();
            assert!(refused.to_string().contains("not written to a terminal"), "{refused}");
            assert_eq!(xlsx(Some(Format::Xlsx), file, false).unwrap(), Format::Xlsx);
        }
        // A file is never the terminal, whatever standard output is; other formats never ask.
        assert_eq!(xlsx(Some(Format::Xlsx), Some("out.xlsx"), true).unwrap(), Format::Xlsx);
        assert_eq!(xlsx(Some(Format::Json), None, true).unwrap(), Format::Json);
        // The same rule for every command's formats.
        let text = resolve(&TEXT_OR_JSON, None, false, Some(Path::new("l.xlsx")), false);
        assert_eq!(text.unwrap(), Format::Xlsx);
        assert!(resolve(&TEXT_OR_JSON, Some(Format::Xlsx), false, None, true).is_err());
    }

    #[test]
    fn excel_is_refused_with_the_reason_of_a_command_that_writes_no_csv() {
        let refused = resolve(&TEXT_OR_JSON, None, true, None, false).unwrap_err();
        assert_eq!(refused.to_string(), "no CSV here");
        assert_eq!(resolve(&Formats::TABULAR, None, true, None, false).unwrap(), Format::Excel);
    }
}
