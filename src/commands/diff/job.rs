//! `diff`'s flags resolved once into its job.

use crate::cli::DiffArgs;
use crate::commands::sources::report_target;
use crate::core::amount::Unit;
use crate::lang::Lang;
use crate::output::format::{ReportFormat, Target};
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
    pub target: Target<ReportFormat>,
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
            target: report_target(&args.output, lang)?,
        })
    }
}
