//! Command-line types (clap derive) only; `lib.rs` turns them into work.

use crate::core::agreement::{ExclusionPolicy, TiePolicy};
use crate::core::amount::{RoundingUnit, Unit};
use crate::core::apportion::Method;
use crate::core::date::Date;
use crate::io::input::ByteSize;
use crate::lang::Lang;
use crate::output::format::{
    AllocateFormat, AuditFormat, CheckFormat, ExplainFormat, FollowUpFormat, ListFormat, NoCsv,
};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
    /// Refuse a workbook that unpacks to more than SIZE (an .xlsx or .ods, all its parts
    /// together), or whose cells hold more text than that once shared strings and repeated cells
    /// are written out: a guard against a small file built to fill memory (a zip bomb)
    #[arg(long, global = true, value_name = "SIZE", env = "FORDELA_MAX_UNPACKED", default_value = "256MiB")]
    pub max_unpacked_size: ByteSize,
    /// Refuse a workbook whose sheets span more than N cells (each sheet's rows × columns from its
    /// first to its last cell) or store more than N: one stray cell at XFD1048576 makes a sheet
    /// of 17 billion cells
    #[arg(long, global = true, value_name = "N", env = "FORDELA_MAX_CELLS", default_value = "5000000")]
    pub max_cells: u64,
    /// Refuse a CSV field or workbook cell longer than SIZE, e.g. 1MiB
    #[arg(long, global = true, value_name = "SIZE", env = "FORDELA_MAX_FIELD", default_value = "64KiB")]
    pub max_field_size: ByteSize,
    /// Language of labels in tables, CSV headers, workbooks and findings: sv or en. Default
    /// from the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`): `sv_*` is Swedish, anything else English.
    /// Area columns in CSV keep their ids; error messages are in English
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    // In the order of the grant year, as `--help` lists them.
    Allocate(AllocateArgs),
    Check(CheckArgs),
    Explain(ExplainArgs),
    Diff(DiffArgs),
    Payouts(PayoutsArgs),
    FollowUp(FollowUpArgs),
    Report(ReportArgs),
    Audit(AuditArgs),
    List(ListArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
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
    let written_in = trimmed[split..].parse().map_err(|err: crate::io::number::AmountError| err.to_string())?;
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
    /// Population CSV (code,region,date,population), a workbook, or SCB's PX-Web export (a
    /// column per year); default: the agreement's, else SCB's
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
    /// The sheet of a population workbook (.xlsx, .ods, .xls) to read; default the only sheet with cells
    #[arg(long, value_name = "NAME")]
    pub population_sheet: Option<String>,
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
    /// Output format; xlsx is a workbook (also chosen by `-o FILE.xlsx`), never written to a
    /// terminal
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<AllocateFormat>,
    /// CSV for Swedish Excel: `;`, decimal comma, UTF-8 BOM, CRLF (same as --format excel)
    #[arg(long)]
    pub excel: bool,
    /// Unit of the amounts shown: kr, tkr or mkr (SEK, TSEK, MSEK); always exact. Default kr;
    /// with --round, the unit its STEP is written in
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
    /// Report format: table (the default), csv, excel, json, or xlsx (a workbook; also chosen
    /// by `-o FILE.xlsx`)
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<CheckFormat>,
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
    /// Report format: table is plain text (also spelt `text`), the default; xlsx a workbook
    /// (also chosen by `-o FILE.xlsx`)
    #[arg(long, short = 'f', value_parser = NoCsv::<ExplainFormat>::new(EXPLAIN_NO_CSV))]
    pub format: Option<ExplainFormat>,
    /// Write the report to FILE (atomically)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Why `explain` refuses CSV: a text report under a CSV name would open in a spreadsheet as
/// lines of text, unguarded.
const EXPLAIN_NO_CSV: &str =
    "explain writes a text report (--format table) or JSON (--format json), not CSV; allocate and check write CSV";

/// List the bundled agreements and population tables.
///
/// Their ids name them anywhere a file is accepted.
///
/// Examples:
///   fordela list
///   fordela list --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ListArgs {
    /// Output format: table (the default), json, or xlsx (a workbook; also chosen by
    /// `-o FILE.xlsx`)
    #[arg(long, short = 'f', value_parser = NoCsv::<ListFormat>::new(LIST_NO_CSV))]
    pub format: Option<ListFormat>,
    /// Write to FILE (atomically)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Print a completion script for a shell.
///
/// Examples:
///   fordela completions bash > ~/.local/share/bash-completion/completions/fordela
///   fordela completions zsh > ~/.zfunc/_fordela      # with fpath+=~/.zfunc in .zshrc
///   fordela completions fish > ~/.config/fish/completions/fordela.fish
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print the man page (roff) of fordela, or of one of its commands.
///
/// Examples:
///   fordela man | man -l -
///   fordela man allocate | man -l -
///   fordela man > ~/.local/share/man/man1/fordela.1
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {
    /// A command (allocate, check, …): its own page, `fordela-allocate(1)`
    pub command: Option<String>,
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
    pub output: ReportOutputArgs,
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
    pub output: ReportOutputArgs,
}

/// Where a report goes and in which format (`payouts`, `diff`).
#[derive(Debug, Args)]
pub struct ReportOutputArgs {
    /// Report format
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<crate::output::format::ReportFormat>,
    /// CSV for Swedish Excel: `;`, decimal comma, UTF-8 BOM, CRLF (same as --format excel)
    #[arg(long)]
    pub excel: bool,
    /// Write the report to FILE (atomically)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

const LIST_NO_CSV: &str = "list writes a table (--format table) or JSON (--format json), not CSV";

/// Audit a distribution table someone else published: is every amount a valid rounding of its
/// exact quota, does the table add up, and which date of the population file fits it best?
///
/// Per row: the exact quota (total × population / sum of populations, in the table's unit),
/// the published amount, the deviation (published − quota), whether it is the quota rounded
/// down or up to the table's step (a valid rounding), and fordela's own amount (largest
/// remainder, as `allocate`). Per column: whether it adds up to its total. Then every date of
/// the population file, with its count of valid roundings and its largest deviation.
///
/// Consistent: every amount a valid rounding and the amounts adding up to the total. A table
/// can be consistent without being fordela's result (another rounding that adds up).
///
/// The table (CSV in UTF-8 or Windows-1252, or a workbook's sheet: .xlsx, .ods, .xls; --sheet):
/// a code and/or region column and either one column per area of the agreement
/// (headed by its id or name, as `allocate --format csv` writes it) or one amount column
/// (`belopp`, `amount`) audited against `--area` or `--total`. Its unit comes from the header
/// (`Belopp (tkr)`) or --unit; its step is one unit, or the finest decimal its amounts show
/// (19,1 mkr: a step of 0,1 mkr). A `total` column is checked against its row; a sum row
/// (`Summa`, `Totalt`) against the rows of its own block (since the previous sum row or the
/// start), or against every row above it when no recipient row follows it (the grand total);
/// never rows below it. Set-aside rows (`SKR`) against the agreement exactly, one row each.
/// `population` and `share` columns (share in per cent) against the population file on the
/// audited date, the share rounded down or up to the decimals it shows; populations that are
/// a date's own figures are the first evidence of the date. An area paid per inhabitant is
/// audited at rate × population exactly. A comment column (`kommentar`) is kept with its row.
/// A table of one county's municipalities: --within COUNTY with --total. --allow-missing is
/// refused when recipients have no row (their quotas would still be in every divisor).
/// Exit 0 consistent, 1 any error finding (or warning, with --strict), 2 bad input.
///
/// Examples:
///   fordela audit published.csv --unit kr
///   fordela audit fordelning.csv --area omstallning       # header `Belopp (tkr)`
///   fordela audit table.csv --total 1500 --unit mkr --population-date 2018-12-31
///   fordela audit jamtland.csv --total 19102294 --unit kr --within 23 --population-date 2018
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct AuditArgs {
    /// The published table: CSV (UTF-8 or Windows-1252), a workbook (.xlsx, .ods, .xls; see
    /// --sheet), `-` for stdin
    pub table: PathBuf,
    /// The sheet of a table workbook to read; default the only sheet with cells
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Agreement the table distributes: a TOML file or a bundled id; default the bundled 2019 one
    #[arg(long, short = 'a', value_name = "AGREEMENT", conflicts_with = "total")]
    pub agreement: Option<String>,
    /// Audit the table's single amount column against this area of the agreement (id or name)
    #[arg(long, value_name = "AREA", conflicts_with = "total")]
    pub area: Option<String>,
    /// Audit the table's single amount column against this total (in the table's unit), with
    /// no agreement
    #[arg(long, value_name = "AMOUNT")]
    pub total: Option<String>,
    /// Unit of the table's amounts (and of --total) where its header does not say it
    #[arg(long, short = 'u', value_name = "UNIT")]
    pub unit: Option<Unit>,
    /// The step the table is rounded to, a power of ten with its unit (e.g. 1000kr for a table
    /// in kr rounded to thousands); default one unit of the table, or the finest decimal it shows
    #[arg(long, value_name = "STEP", value_parser = parse_step)]
    pub step: Option<Step>,
    /// Treat warnings (another date fits better) as errors
    #[arg(long)]
    pub strict: bool,
    /// With --total: a table of one county's municipalities (code or name: 23, Jämtlands
    /// län), the quotas over that county's municipalities of --population (default SCB's
    /// bundled table of municipalities)
    #[arg(long, value_name = "COUNTY", requires = "total")]
    pub within: Option<String>,
    #[command(flatten)]
    pub population: PopulationArgs,
    /// Report format (default table); xlsx is a workbook, also chosen by `-o FILE.xlsx`
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<AuditFormat>,
    /// Write the report to FILE (atomically)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
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
    /// Report format (default table); xlsx is a workbook, also chosen by `-o FILE.xlsx`
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<FollowUpFormat>,
    /// Write the report to FILE (atomically)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
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

/// The region's report for the year: agreement, allocation, and per area the plan, the outcome
/// and what is left, each intervention's comment, and the findings; one self-contained HTML
/// file that prints on A4, or with `-o FILE.xlsx` a workbook (live SUMs). Swedish labels
/// unless --lang en.
///
/// Examples:
///   fordela report examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916 -o rapport.html
///   fordela report examples/jamtland-harjedalen-2019.toml -o plan.html
///   fordela report plan.toml utfall.csv --object 9916 -o redovisning.xlsx
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ReportArgs {
    /// The plan: TOML, CSV (`område;insats;belopp`) or a workbook (see --plan-sheet)
    pub plan: PathBuf,
    /// The outcome (as for `follow-up`: CSV or a workbook); without it, the report shows the plan
    pub outcome: Option<PathBuf>,
    #[command(flatten)]
    pub follow: FollowUpOptions,
    /// The region: for CSV plans, or to confirm a TOML plan's
    #[arg(long, short = 'r', value_name = "REGION")]
    pub region: Option<String>,
    #[command(flatten)]
    pub population: PopulationArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Write to FILE (atomically): `.html` (the default on stdout), or `.xlsx` for a workbook
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

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
