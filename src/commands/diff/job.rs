//! `diff`'s flags resolved once into its job.

use crate::core::amount::Unit;
use crate::lang::Lang;
use crate::output::format::{CommandFormats, Formats, OutputArgs, Target};
use clap::Args;
use std::path::PathBuf;

/// `fordela diff`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffJob {
    pub old: PathBuf,
    pub new: PathBuf,
    /// `--old-sheet` and `--new-sheet`: the sheets of workbooks; `None` is the first.
    pub old_sheet: Option<String>,
    pub new_sheet: Option<String>,
    /// `--unit`, for CSV plans that do not say theirs.
    pub unit: Option<Unit>,
    pub allow_between_areas: bool,
    /// `--agreement`: areas matched by its ids and names.
    pub agreement: Option<String>,
    pub target: Target,
}

impl DiffJob {
    pub fn resolve(args: &DiffArgs, lang: Lang) -> anyhow::Result<DiffJob> {
        Ok(DiffJob {
            old: args.old.clone(),
            new: args.new.clone(),
            old_sheet: args.old_sheet.clone(),
            new_sheet: args.new_sheet.clone(),
            unit: args.unit,
            allow_between_areas: args.allow_between_areas,
            agreement: args.agreement.clone(),
            target: args.output.target(lang)?,
        })
    }
}

/// Compare two versions of a region's plan: interventions added, removed, renamed, amounts moved.
///
/// Interventions are matched by name within their area: the same name (case and runs of spaces
/// aside) first, then a name at least 80 % similar (normalised Levenshtein) that no other name
/// matches as well, shown as a rename; a name with several such matches is shown as removed and
/// added, with a note. An area whose amount changed, or money moved across areas (an
/// intervention moved to another area too), is an error (exit 1) unless --allow-between-areas;
/// either version that does not add up gets `check`'s findings, saying which version. Two
/// plans naming different regions are refused (exit 2). Comment columns are shown with their
/// rows.
///
/// Examples:
///   fordela diff plan-v1.csv plan-v2.csv --unit mkr
///   fordela diff plan-v1.toml plan-v2.toml --format json
///   fordela diff plan-v1.csv plan-v2.csv --unit mkr -o revision.xlsx
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DiffArgs {
    /// The old version: TOML, or CSV (`area;intervention;amount`; UTF-8 or Windows-1252), a
    /// workbook (.xlsx, .ods, .xls; see --old-sheet), `-` for stdin
    pub old: PathBuf,
    /// The new version, as the old
    pub new: PathBuf,
    /// The sheet of the old version's workbook to read; default the only sheet with cells
    #[arg(long, value_name = "NAME")]
    pub old_sheet: Option<String>,
    /// The sheet of the new version's workbook to read; default the only sheet with cells (two versions in one
    /// workbook: `diff plan.xlsx plan.xlsx --old-sheet v1 --new-sheet v2`)
    #[arg(long, value_name = "NAME")]
    pub new_sheet: Option<String>,
    /// Unit of CSV plans that do not say it (TOML plans say it themselves)
    #[arg(long, short = 'u', value_name = "UNIT")]
    pub unit: Option<Unit>,
    /// Money moved between areas is allowed (a warning, not an error) as long as the plan's
    /// total stays the same
    #[arg(long)]
    pub allow_between_areas: bool,
    /// Agreement the plans are for (a TOML file or a bundled id): areas are then matched by the
    /// agreement's id or name, so a plan naming `tillganglighet` and one naming the area in full
    /// agree; without it, areas are matched by the names the plans write
    #[arg(long, short = 'a', value_name = "AGREEMENT")]
    pub agreement: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs<DiffFormats>,
}

/// What `diff` writes.
#[derive(Debug, Clone, Copy)]
pub struct DiffFormats;

impl CommandFormats for DiffFormats {
    const FORMATS: Formats = Formats::TABULAR;
}
