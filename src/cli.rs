//! Command-line types (clap derive) only; `lib.rs` turns them into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::agreement::{ExclusionPolicy, TiePolicy};
use crate::amount::{RoundingUnit, Unit};
use crate::apportion::Method;
use crate::date::Date;
use crate::input::ByteSize;
use crate::lang::Lang;
use crate::render::{AllocateFormat, CheckFormat, ExplainFormat, ListFormat, NoCsv};

/// Split a national grant across regions by population, exactly to the krona, and check that
/// a region's spending plan adds up.
///
/// Every amount is an exact whole number of the agreement's rounding unit (1 kr unless the
/// agreement says otherwise); parts always add up to the whole they belong to.
///
/// Exit codes: 0 ok, 1 `check` found a discrepancy, 2 bad input or usage.
#[derive(Debug, Parser)]
#[command(name = "fordela", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Refuse an input file (agreement, population, plan, stdin) larger than SIZE, e.g. 4GiB or
    /// 500MB: a guard against reading a device or a wrong file until memory runs out
    #[arg(long, global = true, value_name = "SIZE", env = "FORDELA_MAX_INPUT", default_value = "2GiB")]
    pub max_input_size: ByteSize,
    /// Language of labels in tables, CSV headers, workbooks and findings: sv or en. Default
    /// from the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`): `sv_*` is Swedish, anything else English.
    /// Area columns in CSV keep their ids; error messages are in English
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Allocate(AllocateArgs),
    Check(CheckArgs),
    Explain(ExplainArgs),
    List(ListArgs),
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
    pub output: OutputArgs,
}

/// A `--round` step and the unit it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub step: RoundingUnit,
    pub written_in: Unit,
}

fn parse_step(text: &str) -> Result<Step, String> {
    // A step is shown in any unit: without one, `0.1` could mean kr or the table's mkr.
    if !RoundingUnit::names_unit(text) {
        let number = text.trim();
        return Err(format!("`{number}` has no unit: write e.g. `{number}mkr`, `{number}tkr` or `{number}kr`"));
    }
    let step = RoundingUnit::parse(text).map_err(|err| err.to_string())?;
    // `parse` has read the unit: the letters after the last digit.
    let trimmed = text.trim();
    let split = trimmed.rfind(|c: char| c.is_ascii_digit()).map_or(0, |at| at + 1);
    let written_in = trimmed[split..].parse().map_err(|err: crate::amount::AmountError| err.to_string())?;
    Ok(Step { step, written_in })
}

/// Overrides of the agreement's allocation rules.
#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    /// Method for every area: largest-remainder, dhondt, sainte-lague, huntington-hill, adams
    #[arg(long, value_name = "METHOD", value_parser = parse_method)]
    pub method: Option<Method>,
    /// `error` makes a tie that decides a unit an error instead of deciding it by rule
    #[arg(long, value_enum, value_name = "POLICY")]
    pub ties: Option<TiePolicy>,
    /// Exclude regions (codes or names, comma-separated): they get nothing
    #[arg(long, value_name = "REGIONS", value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// What happens to excluded regions' share: redistribute (default) or withhold
    #[arg(long, value_enum, value_name = "POLICY", requires = "exclude")]
    pub exclusion_policy: Option<ExclusionPolicy>,
}

fn parse_method(text: &str) -> Result<Method, String> {
    Method::parse(text).ok_or_else(|| format!("unknown method `{text}`, expected one of: {}", Method::NAMES))
}

#[derive(Debug, Args)]
pub struct PopulationArgs {
    /// Population CSV (code,region,date,population); default: the agreement's, else SCB's
    /// county table bundled with fordela
    #[arg(long, value_name = "FILE")]
    pub population: Option<PathBuf>,
    /// Use the population of this date instead of the agreement's (shown in every output); a
    /// bare year (2019) means 31 December of that year, the date of SCB's year-end figures
    #[arg(long, value_name = "YYYY-MM-DD|YYYY", value_parser = parse_population_date)]
    pub population_date: Option<PopulationDate>,
    /// Allow a population table of regions that lacks some of Sweden's 21, of municipalities
    /// that lacks some of the 290 (or of its one county's), or that lacks on its date
    /// recipients the file lists on another date (an error otherwise). Also spelt
    /// --allow-missing-regions
    #[arg(long = "allow-missing", visible_alias = "allow-missing-regions")]
    pub allow_missing_regions: bool,
}

/// A `--population-date` as written: a date, or a year read as its 31 December.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopulationDate {
    pub date: Date,
    /// Written as a bare year (`2019`), so `date` is that year's 31 December.
    pub year_only: bool,
}

fn parse_population_date(text: &str) -> Result<PopulationDate, String> {
    let trimmed = text.trim();
    if trimmed.len() == 4 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let year: u16 = trimmed.parse().map_err(|_| format!("`{trimmed}` is not a year"))?;
        let date = Date::new(year, 12, 31).ok_or_else(|| format!("`{trimmed}` is not a year"))?;
        return Ok(PopulationDate { date, year_only: true });
    }
    let date = trimmed.parse::<Date>().map_err(|err| err.to_string())?;
    Ok(PopulationDate { date, year_only: false })
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<AllocateFormat>,
    /// CSV for Swedish Excel: `;`, decimal comma, UTF-8 BOM, CRLF (same as --format excel)
    #[arg(long)]
    pub excel: bool,
    /// Unit of the amounts shown: kr, tkr or mkr (SEK, TSEK, MSEK); always exact. Default kr;
    /// with --region, the unit --round's STEP is written in
    #[arg(long, short = 'u', value_name = "UNIT")]
    pub unit: Option<Unit>,
    /// Write to FILE (atomically: the old file stays until the new one is complete)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
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
    /// The plan: TOML, or CSV (`area;intervention;amount`, `Totalt` rows), `-` for stdin
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
    /// Treat warnings (plan below its allocation, zero amounts) as errors
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub population: PopulationArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Report format
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: CheckFormat,
    /// Write the report to FILE (atomically)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// One region's full derivation, in plain words and numbers, for an auditor.
///
/// Population, the total it is divided by, the share as an exact fraction, and per area the
/// exact quota, the whole units, the remainder and its rank, the final amount, and any tie,
/// exclusion, base or bound that touched it; plus the fordela version and the SHA-256 of each
/// input file, so that the figure can be reproduced a year later.
///
/// Examples:
///   fordela explain 23
///   fordela explain "Region Jämtland Härjedalen" god-och-nara-vard-2019 --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExplainArgs {
    /// The region: code, county name or region name
    pub region: String,
    /// Agreement: a TOML file or a bundled id; default the bundled 2019 one
    pub agreement: Option<String>,
    #[command(flatten)]
    pub population: PopulationArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Report format: table is plain text (also spelt `text`)
    #[arg(long, short = 'f', default_value = "table", value_parser = NoCsv::<ExplainFormat>::new(EXPLAIN_NO_CSV))]
    pub format: ExplainFormat,
    /// Write the report to FILE (atomically)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Why `explain` refuses CSV: a text report under a CSV name would open in a spreadsheet as
/// lines of text, unguarded.
const EXPLAIN_NO_CSV: &str =
    "explain writes a text report (--format table) or JSON (--format json), not CSV; allocate and check write CSV";

/// List the bundled agreements and population tables.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format
    #[arg(long, short = 'f', default_value = "table", value_parser = NoCsv::<ListFormat>::new(LIST_NO_CSV))]
    pub format: ListFormat,
}

const LIST_NO_CSV: &str = "list writes a table (--format table) or JSON (--format json), not CSV";

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_population_date_is_a_date_or_a_year_read_as_its_31_december() {
        let year = parse_population_date("2019").unwrap();
        assert_eq!((year.date.to_string(), year.year_only), ("2019-12-31".to_string(), true));
        let day = parse_population_date("2018-11-01").unwrap();
        assert_eq!((day.date.to_string(), day.year_only), ("2018-11-01".to_string(), false));
        for bad in ["19", "2019-13-01", "twenty", "20190"] {
            assert!(parse_population_date(bad).is_err(), "{bad}");
        }
    }
}
