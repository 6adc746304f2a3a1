//! `payouts`' flags resolved once into its job.

use crate::core::amount::Unit;
use crate::lang::Lang;
use crate::output::format::{CommandFormats, Formats, OutputArgs, Target};
use clap::Args;
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
    pub target: Target,
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
            target: args.output.target(lang)?,
        })
    }
}

/// Split decisions on payouts to external providers into quarterly instalments.
///
/// DECISIONS is TOML (`[[decisions]]` with their `requests`; see examples/payouts-2019.toml)
/// or a table, CSV (UTF-8 or Windows-1252) or a workbook's sheet (.xlsx, .ods, .xls; --sheet,
/// --requests-sheet): `provider,area,amount,from,to` (or `utförare;område;belopp;från;till`),
/// amounts in kr unless --unit or the header (`belopp (tkr)`) says otherwise, quarters written
/// 2019Q1, 2019-Q1, 2019 Q1 or 2019 kv1; `from` and `to` empty is the whole --year. Each
/// decision is split into instalments that add up to it exactly, in whole kronor; the odd
/// kronor go to the earliest quarters. With --requests, each request is checked against what is
/// left of its decision: a request beyond it, or outside the decision's period, is an error
/// (exit 1). A requests file that does not say its unit beside decisions in tkr or mkr is
/// refused. Comment columns (`kommentar`) are shown with their rows.
///
/// Examples:
///   fordela payouts examples/payouts-2019.toml
///   fordela payouts examples/payouts-2019.csv --year 2019 --requests examples/payout-requests-2019.csv
///   fordela payouts decisions.csv --year 2019 --unit tkr --excel -o utbetalningar.csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PayoutsArgs {
    /// The decisions: TOML, or CSV (`provider,area,amount,from,to`; UTF-8 or Windows-1252), a
    /// workbook (.xlsx, .ods, .xls; see --sheet), `-` for stdin
    pub decisions: PathBuf,
    /// Requests so far: CSV `provider,area,quarter,amount` (`utförare;område;kvartal;belopp`) or
    /// a workbook (see --requests-sheet)
    #[arg(long, value_name = "FILE")]
    pub requests: Option<PathBuf>,
    /// The sheet of a decisions workbook to read; default the only sheet with cells
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The sheet of a requests workbook to read; default the only sheet with cells
    #[arg(long, value_name = "NAME", requires = "requests")]
    pub requests_sheet: Option<String>,
    /// The year of decisions whose `from` and `to` are empty
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(u16).range(1900..=9999))]
    pub year: Option<u16>,
    /// Unit the files' amounts are written in, where their headers do not say (default kr)
    #[arg(long, short = 'u', value_name = "UNIT")]
    pub unit: Option<Unit>,
    /// Day of the quarter each instalment is paid; by default the last day of its first month,
    /// when the month's requests are in
    #[arg(long, value_enum, value_name = "DAY", default_value = "first-month-end")]
    pub payment_day: crate::core::quarter::PaymentDay,
    /// Agreement whose areas the decisions' and requests' areas must be (a TOML file or a bundled
    /// id): an area written as its id in one row and by its full name in another is then one
    /// area, shown by its id. Without it, areas are free text compared as written (case and runs
    /// of spaces aside): `omstallning` and `Omställning till god och nära vård` are two areas
    #[arg(long, short = 'a', value_name = "AGREEMENT")]
    pub agreement: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs<PayoutsFormats>,
}

/// What `payouts` writes.
#[derive(Debug, Clone, Copy)]
pub struct PayoutsFormats;

impl CommandFormats for PayoutsFormats {
    const FORMATS: Formats = Formats::TABULAR;
}
