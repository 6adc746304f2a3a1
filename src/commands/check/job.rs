//! `check`'s flags resolved once into its job.

use crate::cli::CheckArgs;
use crate::commands::sources::{RegionName, RuleOverrides, Sources, plan_region, plan_regions};
use crate::core::amount::Unit;
use crate::core::population::PopulationTable;
use crate::core::proposal::{Proposal, parse_proposal};
use crate::io::input::Input;
use crate::lang::Lang;
use crate::output::format::{CheckFormat, Target, resolve_format};
use anyhow::{Context, anyhow};
use std::io::IsTerminal;

/// `fordela check`, resolved: the plan is read here, since what it says and what the flags say
/// must agree before anything is computed.
#[derive(Debug)]
pub struct CheckJob {
    pub plan_input: Input,
    pub plan: Proposal,
    /// The unit the plan's amounts are in: the plan's own, or `--unit`.
    pub unit: Unit,
    /// The plan's own region, then `--region`; when both are given they must name the same
    /// region, which only the population table can tell.
    pub regions: Vec<RegionName>,
    pub strict: bool,
    pub sources: Sources,
    pub rules: RuleOverrides,
    pub target: Target<CheckFormat>,
}

impl CheckJob {
    pub fn resolve(args: &CheckArgs, lang: Lang) -> anyhow::Result<CheckJob> {
        let plan_input =
            crate::commands::sources::read_table(&args.proposal, args.sheet.as_deref()).context("reading plan")?;
        let plan = parse_proposal(&plan_input).context("invalid plan")?;
        // What the plan must say or the flags supply, reported together: one run names every
        // missing or conflicting piece.
        let mut problems = Vec::new();
        let unit = match (plan.unit, args.unit) {
            (Some(own), Some(flag)) if own != flag => {
                let source = plan.unit_source.as_deref().unwrap_or("the plan");
                problems.push(format!(
                    "the plan says its unit is {own} ({source}), but --unit says {flag}: drop --unit or correct the plan"
                ));
                None
            }
            (Some(unit), _) | (None, Some(unit)) => Some(unit),
            (None, None) => {
                problems
                    .push("the plan does not say its unit: pass --unit (kr, tkr or mkr), e.g. --unit MSEK".to_string());
                None
            }
        };
        let regions = plan_regions(plan.region.as_deref(), &plan_input.label, args.region.as_deref());
        if regions.is_empty() {
            problems
                .push("the plan does not say its region: pass --region (code or name), e.g. --region 23".to_string());
        }
        let (Some(unit), true) = (unit, problems.is_empty()) else {
            return Err(anyhow!("{}: {}", plan_input.label, problems.join("; and ")));
        };
        let format = resolve_format(
            args.format,
            CheckFormat::Table,
            CheckFormat::Xlsx,
            args.output.as_deref(),
            std::io::stdout().is_terminal(),
        )?;
        let hash_inputs = format == CheckFormat::Xlsx;
        Ok(CheckJob {
            plan_input,
            plan,
            unit,
            regions,
            strict: args.strict,
            sources: Sources { hash_inputs, ..Sources::new(args.agreement.as_deref(), &args.population) },
            rules: RuleOverrides::new(&args.rules),
            target: Target { format, file: args.output.clone(), lang },
        })
    }

    /// The region the plan is for, as a row of `table`: each name resolved in turn (the plan's
    /// first), and two that name different regions an error.
    pub fn region(&self, table: &PopulationTable) -> anyhow::Result<usize> {
        plan_region(&self.regions, table, &self.plan_input.label)
    }
}
