//! `web`'s flags resolved once into its job.

use crate::lang::Lang;
use anyhow::{Context, anyhow};
use clap::Args;
use std::path::PathBuf;

/// `fordela web`, resolved: the folder as given (what pages and downloads name files by, as
/// the command line run in the same place would) and as it is on disk (what every path asked
/// for must stay inside).
#[derive(Debug, Clone)]
pub struct WebJob {
    pub dir: PathBuf,
    pub root: PathBuf,
    /// `0` is a free port, chosen when the server binds.
    pub port: u16,
    pub open: bool,
    pub lang: Lang,
}

impl WebJob {
    pub fn resolve(args: &WebArgs, lang: Lang) -> anyhow::Result<WebJob> {
        let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
        let root = dir.canonicalize().with_context(|| format!("the folder {} cannot be served", dir.display()))?;
        if !root.is_dir() {
            return Err(anyhow!("{} is not a folder: pass the folder that holds the plans", dir.display()));
        }
        Ok(WebJob { dir, root, port: args.port.unwrap_or(0), open: !args.no_open, lang })
    }
}

/// Show the grant year in a browser: the folder's agreement split, each plan checked, a plan
/// dropped on the page checked in memory, every result as the file the command line writes.
///
/// Serves DIR on 127.0.0.1 only, at a free port unless --port says one; prints the address and
/// opens the browser. Every page reads the files again: a file saved on disk shows at the next
/// load. Nothing is ever written into DIR. Labels are Swedish unless --lang says otherwise.
/// Ctrl-C stops it.
///
/// Examples:
///   fordela web                         # the current folder
///   fordela web examples --port 8080 --no-open
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct WebArgs {
    /// The folder whose files are shown (default: the current folder)
    pub dir: Option<PathBuf>,
    /// Port on 127.0.0.1 (default: a free one)
    #[arg(long, short = 'p', value_name = "PORT")]
    pub port: Option<u16>,
    /// Print the address only; do not open a browser
    #[arg(long)]
    pub no_open: bool,
}
