//! `follow-up`'s flags resolved once into its job: the plan and outcome read, the options checked.

use crate::commands::missing::MissingFlags;
use crate::core::amount::Unit;
use crate::core::date::Date;
use crate::core::proposal::{Proposal, parse_proposal};
use crate::io::input::Input;
use crate::lang::Lang;
use crate::output::format::{CommandFormats, Formats, OutputArgs, Target};
use anyhow::{Context, anyhow};
use clap::Args;
use std::path::PathBuf;

/// What `follow-up` and `report` both read: the plan (read here, its unit settled with the
/// flags), the outcome file (read by the command), and what to follow up.
#[derive(Debug)]
pub struct FollowUpSources {
    pub plan_input: Input,
    pub plan: Proposal,
    /// The plan's unit: its own, or `--plan-unit`. Every amount of the report is in it.
    pub unit: Unit,
    pub outcome: Option<PathBuf>,
    /// `--outcome-sheet`: the sheet of an outcome workbook; `None` is its first.
    pub outcome_sheet: Option<String>,
    /// `--unit`: the outcome's, when its header does not say.
    pub outcome_unit: Option<Unit>,
    /// The agreement the plan's areas are matched to (a file or a bundled id).
    pub agreement: Option<String>,
    pub options: crate::commands::follow_up::compute::Options,
    /// `--from`, or with `--until` 1 January of its year: earlier rows are listed, not counted.
    pub from: Option<crate::core::date::Date>,
}

impl FollowUpSources {
    pub(crate) fn resolve(
        plan: &std::path::Path,
        outcome: Option<&std::path::Path>,
        args: &FollowUpOptions,
    ) -> anyhow::Result<Self> {
        let plan_input =
            crate::commands::sources::read_table(plan, args.plan_sheet.as_deref()).context("reading plan")?;
        let parsed = parse_proposal(&plan_input).context("invalid plan")?;
        let unit = match (parsed.unit, args.plan_unit) {
            (Some(own), Some(flag)) if own != flag => {
                let source = parsed.unit_source.as_deref().unwrap_or("the plan");
                return Err(anyhow!(
                    "{}: the plan says its unit is {own} ({source}), but --plan-unit says {flag}: drop --plan-unit or \
                     correct the plan",
                    plan_input.label
                ));
            }
            (Some(unit), _) | (None, Some(unit)) => unit,
            (None, None) => {
                return Err(MissingFlags::error(
                    vec!["--plan-unit"],
                    format!(
                        "{}: the plan does not say its unit: pass --plan-unit (kr, tkr or mkr), e.g. --plan-unit mkr \
                         (--unit is the outcome's)",
                        plan_input.label
                    ),
                ));
            }
        };
        Ok(FollowUpSources {
            plan_input,
            plan: parsed,
            unit,
            outcome: outcome.map(std::path::Path::to_path_buf),
            outcome_sheet: args.outcome_sheet.clone(),
            outcome_unit: args.unit,
            agreement: args.agreement.clone(),
            options: crate::commands::follow_up::compute::Options {
                object: args.object.as_ref().map(|object| object.trim().to_string()),
                until: args.until,
                strict: args.strict,
            },
            from: args.from.or_else(|| args.until.map(crate::core::date::Date::start_of_year)),
        })
    }
}

/// `fordela follow-up`, resolved.
#[derive(Debug)]
pub struct FollowUpJob {
    pub sources: FollowUpSources,
    pub target: Target,
}

impl FollowUpJob {
    pub fn resolve(args: &FollowUpArgs, lang: Lang) -> anyhow::Result<FollowUpJob> {
        Ok(FollowUpJob {
            sources: FollowUpSources::resolve(&args.plan, Some(&args.outcome), &args.follow)?,
            target: args.output.target(lang)?,
        })
    }
}

/// Follow the money: what each intervention of a region's plan has cost against its budget.
///
/// OUTCOME is the finance system's export (CSV in UTF-8 or Windows-1252, or a workbook's sheet:
/// .xlsx, .ods, .xls; --outcome-sheet), one row per transaction or per intervention:
/// `insats;belopp` at least (English: `intervention,amount`), and optionally `datum`, `objekt`,
/// `konto`, `område`, `kommentar`, `beslut`. Amounts are in kr unless --unit or the header
/// (`belopp (tkr)`) says otherwise; the report is in the plan's unit, with as many decimals as
/// the outcome needs to stay exact (never rounded). Rows match interventions by name (any case,
/// spaces as one) or by the plan's own id (a `nr`/`id` column, `01` = `1`); a name in two areas
/// needs the `område` column.
///
/// Findings: over-budget (error), over-budget-decided (note naming the decision: only when the
/// rows without a decision stay within the budget, so that rows citing one carry the overrun), area-over
/// (error), outcome-unmatched (error, with the nearest name), outcome-negative (error: an
/// intervention's or area's rows net below zero), area-unspent and no-outcome (warnings),
/// rows-other-object and rows-after-period (notes with their sums). A negative amount in the
/// plan is refused (exit 2), as `check` finds it (amount-negative). Exit 0 when no
/// finding is an error (or a warning, with --strict), 1 otherwise, 2 on bad input.
///
/// Examples:
///   fordela follow-up examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916
///   fordela follow-up plan.csv utfall.csv --plan-unit mkr --until 2019-06-30 --format json
///   fordela follow-up plan.toml utfall.csv --object 9916 -o uppfoljning.xlsx
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct FollowUpArgs {
    /// The plan: TOML, CSV (`område;insats;belopp`) or a workbook (see --plan-sheet), as `check`
    /// reads it
    pub plan: PathBuf,
    /// The outcome: CSV (`insats;belopp;datum;objekt;kommentar;beslut`; UTF-8 or Windows-1252)
    /// or a workbook (.xlsx, .ods, .xls; see --outcome-sheet)
    pub outcome: PathBuf,
    #[command(flatten)]
    pub follow: FollowUpOptions,
    #[command(flatten)]
    pub output: OutputArgs<FollowUpFormats>,
}

/// The options `follow-up` and `report` share.
#[derive(Debug, Args)]
pub struct FollowUpOptions {
    /// Agreement the plan is for (its areas' ids and names): a TOML file or a bundled id
    #[arg(long, short = 'a', value_name = "AGREEMENT")]
    pub agreement: Option<String>,
    /// Unit of the outcome's amounts when its header does not say: kr (default), tkr or mkr
    #[arg(long, short = 'u', value_name = "UNIT")]
    pub unit: Option<Unit>,
    /// Unit of a CSV plan's amounts (a TOML plan says it itself)
    #[arg(long, value_name = "UNIT")]
    pub plan_unit: Option<Unit>,
    /// Count only rows booked on this object (e.g. 9916); the others are listed with their sum
    #[arg(long, value_name = "OBJECT")]
    pub object: Option<String>,
    /// Count only rows dated up to this day (inclusive); later rows are listed with their sum,
    /// and a row without a date is an error
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<Date>,
    /// Count only rows dated from this day (inclusive); earlier rows are listed with their sum.
    /// Default with --until: 1 January of its year (the grant's year); pass an earlier day to
    /// count rows of a period that began before it
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<Date>,
    /// Treat warnings (money unspent, interventions without outcome) as errors
    #[arg(long)]
    pub strict: bool,
    /// The sheet of a plan workbook (.xlsx, .ods, .xls) to read; default the only sheet with cells
    #[arg(long, value_name = "NAME")]
    pub plan_sheet: Option<String>,
    /// The sheet of an outcome workbook to read; default the only sheet with cells
    #[arg(long, value_name = "NAME", requires = "outcome")]
    pub outcome_sheet: Option<String>,
}

/// What `follow-up` writes.
#[derive(Debug, Clone, Copy)]
pub struct FollowUpFormats;

impl CommandFormats for FollowUpFormats {
    const FORMATS: Formats = Formats::TABULAR;
}
