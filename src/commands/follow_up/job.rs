//! `follow-up`'s flags resolved once into its job: the plan and outcome read, the options checked.

use crate::cli::{FollowUpArgs, FollowUpOptions};
use crate::core::amount::Unit;
use crate::core::proposal::{Proposal, parse_proposal};
use crate::io::input::Input;
use crate::lang::Lang;
use crate::output::format::{FollowUpFormat, Target, resolve_format};
use anyhow::{Context, anyhow};
use std::io::IsTerminal;
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
                return Err(anyhow!(
                    "{}: the plan does not say its unit: pass --plan-unit (kr, tkr or mkr), e.g. --plan-unit mkr \
                     (--unit is the outcome's)",
                    plan_input.label
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
    pub target: Target<FollowUpFormat>,
}

impl FollowUpJob {
    pub fn resolve(args: &FollowUpArgs, lang: Lang) -> anyhow::Result<FollowUpJob> {
        Ok(FollowUpJob {
            sources: FollowUpSources::resolve(&args.plan, Some(&args.outcome), &args.follow)?,
            target: Target {
                format: resolve_format(
                    args.format,
                    FollowUpFormat::Table,
                    FollowUpFormat::Xlsx,
                    args.output.as_deref(),
                    std::io::stdout().is_terminal(),
                )?,
                file: args.output.clone(),
                lang,
            },
        })
    }
}
