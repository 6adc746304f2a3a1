//! `check`'s flags resolved once into its job.

use crate::commands::missing::MissingFlags;
use crate::commands::sources::{
    PopulationArgs, RegionName, RuleArgs, RuleOverrides, Sources, plan_region, plan_regions,
};
use crate::core::amount::Unit;
use crate::core::population::PopulationTable;
use crate::core::proposal::{Proposal, parse_proposal};
use crate::io::input::Input;
use crate::lang::Lang;
use crate::output::format::{CommandFormats, Format, Formats, OutputArgs, Target};
use anyhow::{Context, anyhow};
use clap::Args;
use std::path::PathBuf;

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
    pub target: Target,
}

impl CheckJob {
    pub fn resolve(args: &CheckArgs, lang: Lang) -> anyhow::Result<CheckJob> {
        let plan_input =
            crate::commands::sources::read_table(&args.proposal, args.sheet.as_deref()).context("reading plan")?;
        CheckJob::of_plan(args, plan_input, lang)
    }

    /// As `resolve`, the plan already read.
    pub fn of_plan(args: &CheckArgs, plan_input: Input, lang: Lang) -> anyhow::Result<CheckJob> {
        let plan = parse_proposal(&plan_input).context("invalid plan")?;
        // What the plan must say or the flags supply, reported together: one run names every
        // missing or conflicting piece.
        let mut problems = Vec::new();
        // The flags whose absence is the problem: with nothing else wrong, only a question.
        let mut missing = Vec::new();
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
                missing.push("--unit");
                problems
                    .push("the plan does not say its unit: pass --unit (kr, tkr or mkr), e.g. --unit MSEK".to_string());
                None
            }
        };
        let regions = plan_regions(plan.region.as_deref(), &plan_input.label, args.region.as_deref());
        if regions.is_empty() {
            missing.push("--region");
            problems
                .push("the plan does not say its region: pass --region (code or name), e.g. --region 23".to_string());
        }
        let (Some(unit), true) = (unit, problems.is_empty()) else {
            let message = format!("{}: {}", plan_input.label, problems.join("; and "));
            if missing.len() == problems.len() {
                return Err(MissingFlags::error(missing, message));
            }
            return Err(anyhow!(message));
        };
        let target = args.output.target(lang)?;
        let hash_inputs = target.format == Format::Xlsx;
        Ok(CheckJob {
            plan_input,
            plan,
            unit,
            regions,
            strict: args.strict,
            sources: Sources { hash_inputs, ..Sources::new(args.agreement.as_deref(), &args.population) },
            rules: RuleOverrides::new(&args.rules),
            target,
        })
    }

    /// The region the plan is for, as a row of `table`: each name resolved in turn (the plan's
    /// first), and two that name different regions an error.
    pub fn region(&self, table: &PopulationTable) -> anyhow::Result<usize> {
        plan_region(&self.regions, table, &self.plan_input.label)
    }
}

/// Check a region's plan: do its tables add up, and do they match what the region gets?
///
/// Reports, per area and for the whole plan, the region's allocation, the declared amount, the
/// sum of the interventions, the difference and a verdict. Exit 0 when everything holds, 1 when
/// any finding is an error (or a warning, with --strict), 2 on bad input.
///
/// A plan written to 0,1 mkr can only match its allocation to ±0,05 mkr: the tolerance is half
/// the finest step the plan uses. Above the allocation is an error, below it a warning.
///
/// Examples:
///   fordela check examples/jamtland-harjedalen-2019.toml
///   fordela check plan.csv --region "Region Jämtland Härjedalen" --unit MSEK
///   fordela check plan.csv --region 23 --unit mkr --format json --strict
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    /// The plan: TOML, CSV (`area;intervention;amount`, `Totalt` rows; UTF-8 or Windows-1252), a
    /// workbook (.xlsx, .ods, .xls; see --sheet), `-` for stdin
    pub proposal: PathBuf,
    /// Agreement the plan is for: a TOML file or a bundled id; default the bundled 2019 one
    #[arg(long, short = 'a', value_name = "AGREEMENT")]
    pub agreement: Option<String>,
    /// The region: code (23), county (Jämtlands län) or region name (Jämtland Härjedalen);
    /// for CSV plans, or to confirm a TOML plan's
    #[arg(long, short = 'r', value_name = "REGION")]
    pub region: Option<String>,
    /// Unit the plan's amounts are written in (CSV plans; TOML plans say it themselves)
    #[arg(long, short = 'u', value_name = "UNIT")]
    pub unit: Option<Unit>,
    /// The sheet of a plan workbook (.xlsx, .ods, .xls) to read; default the only sheet with cells
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Treat warnings (plan below its allocation, zero amounts) as errors
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub population: PopulationArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub output: OutputArgs<CheckFormats>,
}

/// What `check` writes.
#[derive(Debug, Clone, Copy)]
pub struct CheckFormats;

impl CommandFormats for CheckFormats {
    const FORMATS: Formats = Formats::TABULAR;
}
