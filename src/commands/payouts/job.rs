//! `payouts`' flags resolved once into its job.

use crate::cli::PayoutsArgs;
use crate::commands::sources::report_target;
use crate::core::amount::Unit;
use crate::lang::Lang;
use crate::output::format::{ReportFormat, Target};
use std::path::PathBuf;

/// `fordela payouts`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutsJob {
    pub decisions: PathBuf,
    pub requests: Option<PathBuf>,
    /// `--sheet` and `--requests-sheet`: the sheets of workbooks; `None` is the first.
    pub decisions_sheet: Option<String>,
    pub requests_sheet: Option<String>,
    /// The year of decisions that give no quarters.
    pub year: Option<u16>,
    /// `--unit`: the files' amounts where their headers do not say.
    pub unit: Option<Unit>,
    pub payment_day: crate::core::quarter::PaymentDay,
    /// The agreement whose areas the decisions must name; `None`: areas are free text.
    pub agreement: Option<String>,
    pub target: Target<ReportFormat>,
}

impl PayoutsJob {
    pub fn resolve(args: &PayoutsArgs, lang: Lang) -> anyhow::Result<PayoutsJob> {
        Ok(PayoutsJob {
            decisions: args.decisions.clone(),
            requests: args.requests.clone(),
            decisions_sheet: args.sheet.clone(),
            requests_sheet: args.requests_sheet.clone(),
            year: args.year,
            unit: args.unit,
            payment_day: args.payment_day,
            agreement: args.agreement.clone(),
            target: report_target(&args.output, lang)?,
        })
    }
}
