//! The one way out for every command's result: a workbook is built whole, and checked, before a
//! byte is written; the output goes to its file atomically, or to stdout; what CSV has no room
//! for (notes, findings) goes to stderr; the exit code follows the worst finding.

use crate::core::findings::{Severity, exit_code};
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::file::emit;
use crate::output::format::{Format, Target};
use crate::output::workbook::WorkbookError;
use std::io;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// A command's result, as each format it writes shows it. The formats a command does not write
/// are refused when its flags are parsed (its `Formats`), so `write` is asked only for its own.
pub trait Render {
    /// The result in a streamed format: table (or text), CSV in `format`'s dialect, JSON, HTML.
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()>;

    /// The result as a workbook, whose notes name every input by its SHA-256.
    fn workbook(&self, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError>;

    /// What CSV has no room for, said on stderr when the output is CSV.
    fn beside_csv(&self, _lang: Lang, _err: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// The worst finding, which decides the exit code.
    fn worst(&self) -> Option<Severity> {
        None
    }
}

/// What a result was made from: the files an output must never replace, and the inputs a
/// workbook names by hash (asked for only when a workbook is written).
pub struct Provenance<'a> {
    pub paths: Vec<PathBuf>,
    pub hashes: Box<dyn FnOnce() -> Vec<InputHash> + 'a>,
}

/// A result and the inputs it was made from, as a command makes it before delivering it: the
/// command line writes it to its target, the web page shows it or hands it out as a file.
pub struct Made<R> {
    pub result: R,
    pub inputs: Vec<crate::io::input::Input>,
}

impl<R> Made<R> {
    /// What the result was made from: its inputs on disk, and their hashes when asked for.
    pub fn provenance(&self) -> Provenance<'_> {
        Provenance {
            paths: self.inputs.iter().filter_map(|input| input.path.clone()).collect(),
            hashes: Box::new(|| crate::io::input::hashes(&self.inputs.iter().collect::<Vec<_>>())),
        }
    }
}

/// Writes `result` to `target` and says the exit code.
pub fn deliver(result: &impl Render, target: &Target, made_from: Provenance<'_>) -> anyhow::Result<ExitCode> {
    let lang = target.lang;
    // Made whole, and checked, before a byte is written.
    let workbook = match target.format {
        Format::Xlsx => Some(result.workbook(lang, &(made_from.hashes)())?),
        _ => None,
    };
    if target.format.is_csv() {
        result.beside_csv(lang, &mut io::stderr().lock())?;
    }
    emit(target.file.as_deref(), &made_from.paths, |out| match &workbook {
        Some(bytes) => out.write_all(bytes),
        None => result.write(target.format, lang, out),
    })?;
    Ok(exit_code(result.worst()))
}

/// The bytes `deliver` writes for `result` in `format`, held in memory: what a page offers for
/// download is the file the command line writes, byte for byte.
pub fn rendered(
    result: &(impl Render + ?Sized),
    format: Format,
    lang: Lang,
    made_from: Provenance<'_>,
) -> anyhow::Result<Vec<u8>> {
    if format == Format::Xlsx {
        return Ok(result.workbook(lang, &(made_from.hashes)())?);
    }
    let mut out = Vec::new();
    result.write(format, lang, &mut out)?;
    Ok(out)
}

/// The error for a format a command does not write, which its `Formats` refused at parsing.
#[must_use]
pub fn not_written(format: Format) -> io::Error {
    io::Error::other(format!("--format {} is not written by this command", format.name()))
}
