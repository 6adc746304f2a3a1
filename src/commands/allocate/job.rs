//! `allocate`'s flags resolved once into its job.

use crate::commands::sources::{NamedBy, PopulationArgs, RegionName, RuleArgs, RuleOverrides, Sources};
use crate::core::amount::{RoundingUnit, Unit};
use crate::lang::Lang;
use crate::output::format::{CommandFormats, Format, Formats, OutputArgs, Target};
use clap::Args;

/// `fordela allocate`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocateJob {
    pub sources: Sources,
    pub rules: RuleOverrides,
    /// Shown in whole steps of this size by controlled rounding (`--round`).
    pub round: Option<RoundingUnit>,
    /// `--region`: only this region's targets, its areas rounded to `round` (which it needs).
    pub region: Option<RegionName>,
    /// The unit amounts are shown in.
    pub unit: Unit,
    pub target: Target,
    /// `--within`, `--nested`: the counties' amounts passed on to their municipalities.
    pub municipal: Option<MunicipalSplit>,
}

/// How the counties' amounts go on to their municipalities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MunicipalSplit {
    /// `--within COUNTY`: that county's municipalities only.
    Within(RegionName),
    /// `--nested`: every county's.
    Nested,
}

impl AllocateJob {
    pub fn resolve(args: &AllocateArgs, lang: Lang) -> anyhow::Result<AllocateJob> {
        let target = args.output.target(lang)?;
        // A workbook's notes name every input by its SHA-256.
        let hash_inputs = target.format == Format::Xlsx;
        Ok(AllocateJob {
            sources: Sources { hash_inputs, ..Sources::new(args.agreement.as_deref(), &args.population) },
            rules: RuleOverrides::new(&args.rules),
            round: args.round.map(|step| step.step),
            region: args.region.as_ref().map(|text| RegionName { text: text.clone(), named_by: NamedBy::Flag }),
            // A table rounded to 0,1 mkr is read in mkr: the unit the step is written in, unless
            // --unit says otherwise.
            unit: match (args.unit, args.round) {
                (Some(unit), _) => unit,
                (None, Some(step)) => step.written_in,
                (None, None) => Unit::Kr,
            },
            target,
            municipal: match (&args.within, args.nested) {
                (Some(text), _) => Some(MunicipalSplit::Within(RegionName {
                    text: text.clone(),
                    named_by: NamedBy::Argument { command: "--within" },
                })),
                (None, true) => Some(MunicipalSplit::Nested),
                (None, false) => None,
            },
        })
    }
}

/// Split every area of an agreement among the regions by population share.
///
/// Examples:
///   fordela allocate                                   # the bundled 2019 agreement
///   fordela allocate god-och-nara-vard-2019 --unit mkr
///   fordela allocate --excel --output fordela.csv      # opens in Swedish Excel as is
///   fordela allocate --region 23 --round 0.1mkr        # the targets a plan to 0,1 mkr states
///   fordela allocate my-agreement.toml --population my-population.csv --format json
///   fordela allocate --within 23                        # Jämtland Härjedalen's 8 municipalities
///   fordela allocate --nested --format csv             # every municipality's part of its county's
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct AllocateArgs {
    /// Agreement: a TOML file, `-` for stdin, or a bundled id (see `fordela list`)
    pub agreement: Option<String>,
    #[command(flatten)]
    pub population: PopulationArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Show the table rounded to STEP (e.g. 0.1mkr) by controlled rounding: columns still add
    /// up to their areas, rows to their totals rounded down or up
    #[arg(long, value_name = "STEP", value_parser = parse_step)]
    pub round: Option<Step>,
    /// With --round: only this region (code, county or region name), its areas rounded to
    /// STEP so that they add up to its total rounded: the targets its plan can state
    #[arg(long, short = 'r', value_name = "REGION", requires = "round")]
    pub region: Option<String>,
    /// Split one county's amounts among its municipalities by population (code or name: 23,
    /// Jämtlands län); --population is then the table of municipalities (default SCB's
    /// bundled one), the counties' own population is the agreement's
    #[arg(long, value_name = "COUNTY", conflicts_with_all = ["nested", "region"])]
    pub within: Option<String>,
    /// Every county's amounts split among its municipalities: one row per municipality with
    /// its county, each county's municipalities adding up to the county's amount in every
    /// area; --population as for --within
    #[arg(long, conflicts_with_all = ["round", "region"])]
    pub nested: bool,
    #[command(flatten)]
    pub output: OutputArgs<AllocateFormats>,
    /// Unit of the amounts shown: kr, tkr or mkr (SEK, TSEK, MSEK); always exact. Default kr;
    /// with --round, the unit its STEP is written in
    #[arg(long, short = 'u', value_name = "UNIT")]
    pub unit: Option<Unit>,
}

/// What `allocate` writes.
#[derive(Debug, Clone, Copy)]
pub struct AllocateFormats;

impl CommandFormats for AllocateFormats {
    const FORMATS: Formats = Formats::TABULAR;
}

/// A `--round` step and the unit it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub step: RoundingUnit,
    pub written_in: Unit,
}

pub(crate) fn parse_step(text: &str) -> Result<Step, String> {
    // A step is shown in any unit: without one, `0.1` could mean kr or the table's mkr.
    if !RoundingUnit::names_unit(text) {
        let number = text.trim();
        return Err(format!("`{number}` has no unit: write e.g. `{number}mkr`, `{number}tkr` or `{number}kr`"));
    }
    let step = RoundingUnit::parse(text).map_err(|err| err.to_string())?;
    // `parse` has read the unit: the letters after the last digit.
    let trimmed = text.trim();
    let split = trimmed.rfind(|c: char| c.is_ascii_digit()).map_or(0, |at| at + 1);
    let written_in = trimmed[split..].parse().map_err(|err: crate::io::number::AmountError| err.to_string())?;
    Ok(Step { step, written_in })
}
