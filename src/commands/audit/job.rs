//! `audit`'s flags resolved once into its job.

use crate::commands::allocate::job::{Step, parse_step};
use crate::commands::audit::implied::KeyRange;
use crate::commands::sources::{NamedBy, PopulationArgs, RegionName, Sources};
use crate::core::amount::{RoundingUnit, Unit};
use crate::lang::Lang;
use crate::output::format::{CommandFormats, Formats, OutputArgs, Target};
use anyhow::{Context, anyhow};
use clap::Args;
use std::ops::RangeInclusive;
use std::path::PathBuf;

/// What `audit` checks a table against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditBasis {
    /// An agreement (`None` is the bundled default), every area or `--area`'s alone.
    Agreement { agreement: Option<String>, area: Option<String> },
    /// `--total`, in the table's unit, exactly as written.
    Total(rust_decimal::Decimal),
    /// `--column` alone: the total is the table's own total row in that column.
    TotalRow,
}

/// `fordela audit`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditJob {
    pub table: PathBuf,
    /// `--sheet`: the sheet of a table workbook; `None` is its first.
    pub sheet: Option<String>,
    pub basis: AuditBasis,
    /// `--unit`: the table's unit where its header does not say it.
    pub unit: Option<Unit>,
    /// `--step`: the step the table is rounded to, a power of ten of kronor.
    pub step: Option<RoundingUnit>,
    pub strict: bool,
    pub sources: Sources,
    pub target: Target,
    /// `--within COUNTY`: the table is that county's municipalities, quotas over them only.
    pub within: Option<RegionName>,
    /// `--column NAME`: the one amount column audited, in a table that may have several.
    pub column: Option<String>,
    /// `--key-range`: the national totals to search for the key the amounts imply.
    pub key_range: KeyRange,
}

impl AuditJob {
    pub fn resolve(args: &AuditArgs, lang: Lang) -> anyhow::Result<AuditJob> {
        let basis = match &args.total {
            Some(text) => {
                let total = crate::io::number::parse_amount(text).with_context(|| format!("--total `{text}`"))?;
                if total.is_sign_negative() || total.is_zero() {
                    return Err(anyhow!("--total `{text}` must be more than zero"));
                }
                AuditBasis::Total(total)
            }
            None if args.column.is_some() && args.area.is_none() => {
                if let Some(agreement) = &args.agreement {
                    return Err(anyhow!(
                        "--column with --agreement {agreement}: name the area the column is audited against \
                         (--area), or audit it against --total or the table's total row (no --agreement)"
                    ));
                }
                AuditBasis::TotalRow
            }
            None => AuditBasis::Agreement { agreement: args.agreement.clone(), area: args.area.clone() },
        };
        if let Some(column) = &args.column
            && column.trim().is_empty()
        {
            return Err(anyhow!("--column is empty: name an amount column as the table's header writes it"));
        }
        let step = args.step.map(|step| step.step);
        if let Some(step) = step {
            let kronor = step.kronor().normalize();
            let mantissa = kronor.mantissa().unsigned_abs();
            if 10u128.checked_pow(mantissa.ilog10()) != Some(mantissa) {
                return Err(anyhow!(
                    "--step {}: a table's step is a power of ten of a krona (1 kr, 1 000 kr, 0,1 mkr)",
                    step.describe()
                ));
            }
        }
        Ok(AuditJob {
            table: args.table.clone(),
            sheet: args.sheet.clone(),
            basis,
            unit: args.unit,
            step,
            strict: args.strict,
            sources: Sources::new(args.agreement.as_deref(), &args.population),
            target: args.output.target(lang)?,
            within: args
                .within
                .as_ref()
                .map(|text| RegionName { text: text.clone(), named_by: NamedBy::Argument { command: "--within" } }),
            column: args.column.clone(),
            key_range: match &args.key_range {
                Some(text) => KeyRange::Given(parse_key_range(text)?),
                None => KeyRange::Default,
            },
        })
    }
}

/// `LOW..HIGH` (inclusive), or one total alone: whole numbers of people, digits grouped by
/// spaces or `_` if the writer likes.
fn parse_key_range(text: &str) -> anyhow::Result<RangeInclusive<u128>> {
    let problem = |why: &str| {
        anyhow!(
            "--key-range `{text}`: {why}; write the national totals to search as LOW..HIGH, e.g. 10000000..10500000"
        )
    };
    let number = |part: &str| -> anyhow::Result<u128> {
        let digits: String = part.chars().filter(|c| !c.is_whitespace() && *c != '_').collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(problem(&format!("`{}` is not a whole number of people", part.trim())));
        }
        digits.parse::<u128>().map_err(|_| problem("a total is too large"))
    };
    let (low, high) = if let Some((low, high)) = text.split_once("..") {
        (number(low)?, number(high.strip_prefix('=').unwrap_or(high))?)
    } else {
        let only = number(text)?;
        (only, only)
    };
    if low == 0 || low > high {
        return Err(problem("the range must start above zero and not end before it starts"));
    }
    Ok(low..=high)
}

/// Audit a distribution table someone else published: is every amount a valid rounding of its
/// exact quota, does the table add up, and which date of the population file fits it best?
///
/// Per row: the exact quota (total × population / sum of populations, in the table's unit),
/// the published amount, the deviation (published − quota), whether it is the quota rounded
/// down or up to the table's step (a valid rounding), and fordela's own amount (largest
/// remainder, as `allocate`). Per column: whether it adds up to its total. Then every date of
/// the population file, with its count of valid roundings and its largest deviation. The date
/// audited is the agreement's, or --population-date; against --total with no date named, the
/// date of the file that fits the table best (and the report says so).
///
/// Consistent: every amount a valid rounding and the amounts adding up to the total. A table
/// can be consistent without being fordela's result (another rounding that adds up).
///
/// The rounding rule: the rule that gives the table exactly from its key (largest remainder,
/// half up, half up with corrections naming each row and its step, rounded down, or none).
/// The key: when no date of the file makes the table consistent (or --key-range is given),
/// the population vector the amounts imply is searched for over national totals, exactly:
/// one key (with each row's population and its difference from every date), several, none
/// (with near misses naming the rows off), or amounts too small to determine it. A recovered
/// key is evidence of how the table was made, not population figures.
///
/// The table (CSV in UTF-8 or Windows-1252, or a workbook's sheet: .xlsx, .ods, .xls; --sheet):
/// a code and/or region column and either one column per area of the agreement
/// (headed by its id or name, as `allocate --format csv` writes it) or one amount column
/// (`belopp`, `summa`, `kronor`, `amount`) audited against `--area` or `--total`. In a table
/// of several amount columns (`Befolkningsmängd (kr)`, `Landsbygdssatsning (kr)`), --column
/// NAME audits one, against --total, --area, or the table's own total row. Its unit comes from the header
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
///   fordela audit fordelning.csv --column Landsbygdssatsning    # total from its `Totalt` row
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
    /// Audit this amount column (its header, with or without its unit) of a table with several;
    /// against --total, --area, or else the table's own total row (`Totalt`, `Summa`)
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// National totals to search for the key the amounts imply, LOW..HIGH (people); searched
    /// then even when a date fits. Default: when no date of the population file makes the table
    /// consistent, 2 % around each date's total
    #[arg(long, value_name = "LOW..HIGH")]
    pub key_range: Option<String>,
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
    #[command(flatten)]
    pub output: OutputArgs<AuditFormats>,
}

/// What `audit` writes.
#[derive(Debug, Clone, Copy)]
pub struct AuditFormats;

impl CommandFormats for AuditFormats {
    const FORMATS: Formats = Formats::TABULAR;
}
