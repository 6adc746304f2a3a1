//! `list`'s flags resolved once into its job.

use crate::lang::Lang;
use crate::output::format::{CommandFormats, Format, Formats, OutputArgs, Target};
use clap::Args;

/// `fordela list`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListJob {
    pub target: Target,
}

impl ListJob {
    pub fn resolve(args: &ListArgs, lang: Lang) -> anyhow::Result<ListJob> {
        let target = args.output.target(lang)?;
        Ok(ListJob { target })
    }
}

/// List the bundled agreements and population tables.
///
/// Their ids name them anywhere a file is accepted.
///
/// Examples:
///   fordela list
///   fordela list --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ListArgs {
    #[command(flatten)]
    pub output: OutputArgs<ListFormats>,
}

const LIST_NO_CSV: &str = "list writes a table (--format table) or JSON (--format json), not CSV";

/// What `list` writes.
#[derive(Debug, Clone, Copy)]
pub struct ListFormats;

impl CommandFormats for ListFormats {
    const FORMATS: Formats =
        Formats { list: &[Format::Table, Format::Json, Format::Xlsx], no_csv: Some(LIST_NO_CSV), table_is_text: false };
}
