//! `list`'s flags resolved once into its job.

use crate::cli::ListArgs;
use crate::lang::Lang;
use crate::output::format::{ListFormat, resolve_format};
use std::io::IsTerminal;
use std::path::PathBuf;

/// `fordela list`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListJob {
    pub format: ListFormat,
    pub lang: Lang,
    /// `--output`; `None` is stdout.
    pub file: Option<PathBuf>,
}

impl ListJob {
    pub fn resolve(args: &ListArgs, lang: Lang) -> anyhow::Result<ListJob> {
        let file = args.output.clone();
        let terminal = std::io::stdout().is_terminal();
        let format = resolve_format(args.format, ListFormat::Table, ListFormat::Xlsx, file.as_deref(), terminal)?;
        Ok(ListJob { format, lang, file })
    }
}
