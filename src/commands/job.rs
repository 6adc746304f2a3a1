//! The settings tier: each command's flags resolved once, into a job the work takes.
//!
//! clap parses the words (`cli`); here they become what the commands need: where the inputs
//! come from, which rules override the agreement's, and what to write where. Every check
//! between flags (and, for `check`, between the flags and the plan) happens here, once, so the
//! work that follows never sees a clap struct and never has to ask again.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::ValueEnum;

use crate::cli::{
    AllocateArgs, AuditArgs, CheckArgs, DiffArgs, ExplainArgs, FollowUpArgs, FollowUpOptions, ListArgs, OutputArgs,
    PayoutsArgs, PopulationArgs, ReportArgs, ReportOutputArgs, RuleArgs,
};
use crate::core::agreement::{Agreement, Eligibility, ExclusionOrigin, ExclusionPolicy, TiePolicy};
use crate::core::amount::{RoundingUnit, Unit};
use crate::core::apportion::Method;
use crate::core::date::Date;
use crate::core::population::PopulationTable;
use crate::core::proposal::{Proposal, parse_proposal};
use crate::io::input::{Input, InputError};
use crate::lang::Lang;
use crate::output::format::AllocateFormat;
use crate::output::format::AuditFormat;
use crate::output::format::CheckFormat;
use crate::output::format::ExplainFormat;
use crate::output::format::FollowUpFormat;
use crate::output::format::ListFormat;
use crate::output::format::ReportFormat;

/// Where the agreement and its population come from; the default is the bundled agreement and
/// its population.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sources {
    /// A TOML file, `-`, or a bundled id; `None` is the bundled default.
    pub agreement: Option<String>,
    /// `--population`; `None` is the agreement's own, else the bundled county table.
    pub population: Option<PathBuf>,
    /// `--population-date`; `None` is the agreement's date (or its stated substitute).
    pub population_date: Option<Date>,
    /// `--population-date` was a bare year, read as its 31 December (said in a note).
    pub population_date_from_year: bool,
    pub allow_missing_regions: bool,
    /// Whether the inputs' SHA-256 is needed (an audit trail): hashing a large file is not free.
    pub hash_inputs: bool,
    /// `--population-sheet`: the sheet of a population workbook; `None` is its first.
    pub population_sheet: Option<String>,
}

impl Sources {
    fn new(agreement: Option<&str>, population: &PopulationArgs) -> Sources {
        Sources {
            agreement: agreement.map(str::to_string),
            population: population.population.clone(),
            population_date: population.population_date.map(|chosen| chosen.date),
            population_date_from_year: population.population_date.is_some_and(|chosen| chosen.year_only),
            allow_missing_regions: population.allow_missing_regions,
            hash_inputs: false,
            population_sheet: population.population_sheet.clone(),
        }
    }
}

/// The command line's rules over the agreement's own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleOverrides {
    /// One method for every area.
    pub method: Option<Method>,
    pub ties: Option<TiePolicy>,
    /// Regions excluded with `--exclude`, and what happens to their share.
    pub exclusion: Option<Eligibility>,
}

impl RuleOverrides {
    fn new(rules: &RuleArgs) -> RuleOverrides {
        let exclusion = (!rules.exclude.is_empty()).then(|| Eligibility {
            excluded: rules.exclude.iter().map(|name| name.trim().to_string()).collect(),
            policy: rules.exclusion_policy.unwrap_or(ExclusionPolicy::Redistribute),
            reason: Some("excluded with --exclude".to_string()),
            origin: ExclusionOrigin::CommandLine,
        });
        RuleOverrides { method: rules.method, ties: rules.ties, exclusion }
    }

    /// The agreement with these rules in place of its own, built while it is being loaded and
    /// before anything is computed from it. It stays valid: the overrides are the same kinds
    /// of value the agreement file gives (a tie policy, an exclusion list as written), each
    /// already checked by the parser of the flags; the excluded names are checked against the
    /// population table by the split, exactly as the file's own list is. The method override
    /// is not written into the agreement: the split applies it, so that the agreement still
    /// says which method its areas name.
    #[must_use]
    pub fn applied_to(&self, mut agreement: Agreement) -> Agreement {
        if let Some(ties) = self.ties {
            agreement.ties = ties;
        }
        if let Some(exclusion) = &self.exclusion {
            agreement.eligibility = Some(exclusion.clone());
        }
        agreement
    }
}

/// Where a report goes, and in which format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<F> {
    pub format: F,
    /// `None` is stdout.
    pub file: Option<PathBuf>,
    /// The language of the report's labels.
    pub lang: Lang,
}

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
    pub target: Target<AllocateFormat>,
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
        let explicit = (args.output.excel || args.output.format.is_some()).then(|| allocate_format(&args.output));
        let format = resolve_format(
            explicit.transpose()?,
            AllocateFormat::Table,
            AllocateFormat::Xlsx,
            args.output.output.as_deref(),
            std::io::stdout().is_terminal(),
        )?;
        // A workbook's notes name every input by its SHA-256.
        let hash_inputs = format == AllocateFormat::Xlsx;
        Ok(AllocateJob {
            sources: Sources { hash_inputs, ..Sources::new(args.agreement.as_deref(), &args.population) },
            rules: RuleOverrides::new(&args.rules),
            round: args.round.map(|step| step.step),
            region: args.region.as_ref().map(|text| RegionName { text: text.clone(), named_by: NamedBy::Flag }),
            // A table rounded to 0,1 mkr is read in mkr: the unit the step is written in, unless
            // --unit says otherwise.
            unit: match (args.output.unit, args.round) {
                (Some(unit), _) => unit,
                (None, Some(step)) => step.written_in,
                (None, None) => Unit::Kr,
            },
            target: Target { format, file: args.output.output.clone(), lang },
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

/// The output format `--format` and `--excel` ask for together: the table when neither does.
fn allocate_format(args: &OutputArgs) -> anyhow::Result<AllocateFormat> {
    match (args.excel, args.format) {
        (false, chosen) => Ok(chosen.unwrap_or(AllocateFormat::Table)),
        (true, None | Some(AllocateFormat::Csv | AllocateFormat::Excel)) => Ok(AllocateFormat::Excel),
        (true, Some(_)) => Err(anyhow!("--excel writes CSV and cannot be combined with another --format")),
    }
}

/// The format a report is written in: `--format` when given, else `xlsx` for a file named
/// `.xlsx`, else `default`. A `.xlsx` file in another format, or a workbook in a file named as
/// another format, is an error; so is a workbook to a terminal (`stdout_is_terminal`, with no
/// file or `-`): its bytes are no use on a screen and can upset it.
pub fn resolve_format<F: ValueEnum + Copy + PartialEq>(
    chosen: Option<F>,
    default: F,
    xlsx: F,
    file: Option<&Path>,
    stdout_is_terminal: bool,
) -> anyhow::Result<F> {
    let extension = file.and_then(Path::extension).and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase);
    let named = |format: F| format.to_possible_value().map_or_else(String::new, |value| value.get_name().to_string());
    let shown = file.map_or_else(String::new, |path| path.display().to_string());
    let format = match (chosen, extension.as_deref()) {
        (None, Some("xlsx")) => xlsx,
        (None, _) => default,
        (Some(format), Some("xlsx")) if format != xlsx => bail!(
            "--format {} cannot be written to {shown}: a .xlsx file is a workbook; pass --format xlsx, or name the \
             file for its format",
            named(format)
        ),
        (Some(format), Some(other @ ("csv" | "json" | "txt" | "tsv"))) if format == xlsx => {
            bail!("--format xlsx writes a workbook, not a .{other} file ({shown}): name the file .xlsx")
        }
        (Some(format), _) => format,
    };
    // Standard output under its other names too; the controlling terminal is one always.
    let is_one_of = |path: &Path, names: &[&str]| names.iter().any(|name| path.as_os_str() == *name);
    let to_stdout = file.is_none_or(|path| is_one_of(path, &["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]));
    let to_terminal = file.is_some_and(|path| is_one_of(path, &["/dev/tty", "/dev/console"]));
    if format == xlsx && ((to_stdout && stdout_is_terminal) || to_terminal) {
        bail!(
            "a workbook (--format xlsx) is not written to a terminal: pass --output FILE.xlsx, or redirect standard \
             output to a file"
        );
    }
    Ok(format)
}

/// A region named on the command line or in a plan, with where it was named, so that an
/// unknown name is reported against what the user wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionName {
    pub text: String,
    pub named_by: NamedBy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamedBy {
    /// `--region`.
    Flag,
    /// The command's argument (`explain REGION`).
    Argument { command: &'static str },
    /// The plan itself, read from this input.
    Plan { label: String },
}

impl RegionName {
    /// The region's row in `table`; an unknown or ambiguous name is an error that says where
    /// the name came from.
    pub fn resolve(&self, table: &PopulationTable) -> anyhow::Result<usize> {
        let found = crate::core::region::resolve(&self.text, table);
        match &self.named_by {
            NamedBy::Flag => found.with_context(|| format!("--region `{}`", self.text.trim())),
            NamedBy::Argument { command } => found.with_context(|| format!("{command} `{}`", self.text.trim())),
            NamedBy::Plan { label } => {
                found.map_err(|err| InputError::file(label, err.to_string())).context("invalid plan")
            }
        }
    }
}

/// The names of a plan's region: the plan's own (read from `label`), then `--region`.
fn plan_regions(own: Option<&str>, label: &str, flag: Option<&str>) -> Vec<RegionName> {
    let own =
        own.map(|text| RegionName { text: text.to_string(), named_by: NamedBy::Plan { label: label.to_string() } });
    let flag = flag.map(|text| RegionName { text: text.to_string(), named_by: NamedBy::Flag });
    own.into_iter().chain(flag).collect()
}

/// The region a plan is for, as a row of `table`: each name resolved in turn (the plan's
/// first), and two that name different regions an error.
fn plan_region(regions: &[RegionName], table: &PopulationTable, label: &str) -> anyhow::Result<usize> {
    let found = regions.iter().map(|name| name.resolve(table)).collect::<anyhow::Result<Vec<usize>>>()?;
    match (found.as_slice(), regions) {
        ([own, flag], [own_name, flag_name]) if own != flag => Err(anyhow!(
            "the plan is for region `{}`, but --region says `{}`",
            own_name.text.trim(),
            flag_name.text.trim()
        )),
        // The jobs refuse a plan with no region at all; kept as an error, never a panic.
        ([], _) => Err(anyhow!("{label}: the plan does not say its region")),
        ([index, ..], _) => Ok(*index),
    }
}

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

/// `fordela explain`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainJob {
    pub region: RegionName,
    pub sources: Sources,
    pub rules: RuleOverrides,
    pub target: Target<ExplainFormat>,
}

impl ExplainJob {
    pub fn resolve(args: &ExplainArgs, lang: Lang) -> anyhow::Result<ExplainJob> {
        let format = resolve_format(
            args.format,
            ExplainFormat::Table,
            ExplainFormat::Xlsx,
            args.output.as_deref(),
            std::io::stdout().is_terminal(),
        )?;
        // An explanation is an audit trail: it names each input by its hash.
        let sources = Sources { hash_inputs: true, ..Sources::new(args.agreement.as_deref(), &args.population) };
        Ok(ExplainJob {
            region: RegionName { text: args.region.clone(), named_by: NamedBy::Argument { command: "explain" } },
            sources,
            rules: RuleOverrides::new(&args.rules),
            target: Target { format, file: args.output.clone(), lang },
        })
    }
}

/// `fordela list`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListJob {
    pub format: ListFormat,
    pub lang: Lang,
    /// `--output`; `None` is stdout.
    pub file: Option<PathBuf>,
}

impl ListJob {
    pub fn resolve(args: &ListArgs, lang: Lang) -> anyhow::Result<ListJob> {
        let file = args.output.clone();
        let terminal = std::io::stdout().is_terminal();
        let format = resolve_format(args.format, ListFormat::Table, ListFormat::Xlsx, file.as_deref(), terminal)?;
        Ok(ListJob { format, lang, file })
    }
}

/// What `audit` checks a table against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditBasis {
    /// An agreement (`None` is the bundled default), every area or `--area`'s alone.
    Agreement { agreement: Option<String>, area: Option<String> },
    /// `--total`, in the table's unit, exactly as written.
    Total(rust_decimal::Decimal),
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
    pub target: Target<AuditFormat>,
    /// `--within COUNTY`: the table is that county's municipalities, quotas over them only.
    pub within: Option<RegionName>,
}

impl AuditJob {
    pub fn resolve(args: &AuditArgs, lang: Lang) -> anyhow::Result<AuditJob> {
        let basis = match &args.total {
            Some(text) => {
                let total = crate::core::amount::parse_amount(text).with_context(|| format!("--total `{text}`"))?;
                if total.is_sign_negative() || total.is_zero() {
                    return Err(anyhow!("--total `{text}` must be more than zero"));
                }
                AuditBasis::Total(total)
            }
            None => AuditBasis::Agreement { agreement: args.agreement.clone(), area: args.area.clone() },
        };
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
            target: Target {
                format: resolve_format(
                    args.format,
                    AuditFormat::Table,
                    AuditFormat::Xlsx,
                    args.output.as_deref(),
                    std::io::stdout().is_terminal(),
                )?,
                file: args.output.clone(),
                lang,
            },
            within: args
                .within
                .as_ref()
                .map(|text| RegionName { text: text.clone(), named_by: NamedBy::Argument { command: "--within" } }),
        })
    }
}

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

/// `fordela diff`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffJob {
    pub old: PathBuf,
    pub new: PathBuf,
    /// `--old-sheet` and `--new-sheet`: the sheets of workbooks; `None` is the first.
    pub old_sheet: Option<String>,
    pub new_sheet: Option<String>,
    /// `--unit`, for CSV plans that do not say theirs.
    pub unit: Option<Unit>,
    pub allow_between_areas: bool,
    /// `--agreement`: areas matched by its ids and names.
    pub agreement: Option<String>,
    pub target: Target<ReportFormat>,
}

impl DiffJob {
    pub fn resolve(args: &DiffArgs, lang: Lang) -> anyhow::Result<DiffJob> {
        Ok(DiffJob {
            old: args.old.clone(),
            new: args.new.clone(),
            old_sheet: args.old_sheet.clone(),
            new_sheet: args.new_sheet.clone(),
            unit: args.unit,
            allow_between_areas: args.allow_between_areas,
            agreement: args.agreement.clone(),
            target: report_target(&args.output, lang)?,
        })
    }
}

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
    fn resolve(
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

/// `--format` and `--excel` together (table when neither), and `-o`.
fn report_target(args: &ReportOutputArgs, lang: Lang) -> anyhow::Result<Target<ReportFormat>> {
    let format = match (args.excel, args.format) {
        (false, chosen) => chosen.unwrap_or(ReportFormat::Table),
        (true, None | Some(ReportFormat::Csv | ReportFormat::Excel)) => ReportFormat::Excel,
        (true, Some(_)) => return Err(anyhow!("--excel writes CSV and cannot be combined with another --format")),
    };
    let explicit = (args.excel || args.format.is_some()).then_some(format);
    let format = resolve_format(
        explicit,
        ReportFormat::Table,
        ReportFormat::Xlsx,
        args.output.as_deref(),
        std::io::stdout().is_terminal(),
    )?;
    Ok(Target { format, file: args.output.clone(), lang })
}

/// What `report` writes, picked from `-o`'s extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionReportFormat {
    Html,
    /// `-o FILE.xlsx`: a workbook.
    Xlsx,
}

/// `fordela report`, resolved.
#[derive(Debug)]
pub struct ReportJob {
    pub follow: FollowUpSources,
    /// The plan's own region, then `--region` (as for `check`).
    pub regions: Vec<RegionName>,
    pub sources: Sources,
    pub rules: RuleOverrides,
    pub target: Target<RegionReportFormat>,
}

impl ReportJob {
    pub fn resolve(args: &ReportArgs, lang: Lang) -> anyhow::Result<ReportJob> {
        let format = match args.output.as_deref().and_then(std::path::Path::extension) {
            None => RegionReportFormat::Html,
            Some(ext) if ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm") => {
                RegionReportFormat::Html
            }
            Some(ext) if ext.eq_ignore_ascii_case("xlsx") => RegionReportFormat::Xlsx,
            Some(ext) => {
                return Err(anyhow!(
                    "report picks its format from -o's extension: `.html`, not `.{}` (or `.xlsx` for a workbook)",
                    ext.to_string_lossy()
                ));
            }
        };
        let follow = FollowUpSources::resolve(&args.plan, args.outcome.as_deref(), &args.follow)?;
        let regions = plan_regions(follow.plan.region.as_deref(), &follow.plan_input.label, args.region.as_deref());
        if regions.is_empty() {
            return Err(anyhow!(
                "{}: the plan does not say its region: pass --region (code or name), e.g. --region 23",
                follow.plan_input.label
            ));
        }
        // A workbook's notes name every input by its SHA-256.
        let hash_inputs = format == RegionReportFormat::Xlsx;
        Ok(ReportJob {
            sources: Sources { hash_inputs, ..Sources::new(args.follow.agreement.as_deref(), &args.population) },
            rules: RuleOverrides::new(&args.rules),
            regions,
            follow,
            target: Target { format, file: args.output.clone(), lang },
        })
    }

    /// The region the plan is for, as a row of `table` (the plan's name and `--region` must agree).
    pub fn region(&self, table: &PopulationTable) -> anyhow::Result<usize> {
        plan_region(&self.regions, table, &self.follow.plan_input.label)
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::output::format::CsvRefused;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(["fordela"].iter().chain(args))
    }

    fn allocate(args: &[&str]) -> anyhow::Result<AllocateJob> {
        match parse(&[&["allocate"], args].concat()).unwrap().command {
            Command::Allocate(args) => AllocateJob::resolve(&args, Lang::En),
            _ => unreachable!(),
        }
    }

    #[test]
    fn excel_is_csv_and_nothing_else() {
        assert_eq!(allocate(&[]).unwrap().target.format, AllocateFormat::Table);
        assert_eq!(allocate(&["--excel"]).unwrap().target.format, AllocateFormat::Excel);
        assert_eq!(allocate(&["--excel", "-f", "csv"]).unwrap().target.format, AllocateFormat::Excel);
        assert_eq!(allocate(&["-f", "json"]).unwrap().target.format, AllocateFormat::Json);
        let refused = allocate(&["--excel", "-f", "table"]).unwrap_err();
        assert_eq!(refused.to_string(), "--excel writes CSV and cannot be combined with another --format");
    }

    #[test]
    fn a_workbook_goes_to_a_file_or_a_redirection_never_to_a_terminal() {
        let xlsx = |chosen: Option<AllocateFormat>, file: Option<&str>, terminal: bool| {
            resolve_format(chosen, AllocateFormat::Table, AllocateFormat::Xlsx, file.map(Path::new), terminal)
        };
        // The file's extension chooses the workbook; --format, when given, must agree with it.
        assert_eq!(xlsx(None, Some("out.xlsx"), true).unwrap(), AllocateFormat::Xlsx);
        assert_eq!(xlsx(None, Some("OUT.XLSX"), false).unwrap(), AllocateFormat::Xlsx);
        assert_eq!(xlsx(None, Some("out.csv"), true).unwrap(), AllocateFormat::Table);
        assert_eq!(xlsx(None, None, true).unwrap(), AllocateFormat::Table);
        let conflict = xlsx(Some(AllocateFormat::Csv), Some("out.xlsx"), false).unwrap_err();
        assert!(conflict.to_string().starts_with("--format csv cannot be written to out.xlsx"), "{conflict}");
        let conflict = xlsx(Some(AllocateFormat::Xlsx), Some("out.csv"), false).unwrap_err();
        assert!(conflict.to_string().contains("not a .csv file"), "{conflict}");
        // Standard output: a terminal refuses a workbook; a pipe or file takes it.
        assert!(xlsx(Some(AllocateFormat::Xlsx), Some("/dev/tty"), false).is_err(), "the terminal by name");
        for file in [None, Some("-"), Some("/dev/stdout")] {
            let refused = xlsx(Some(AllocateFormat::Xlsx), file, true).unwrap_err();
            assert!(refused.to_string().contains("not written to a terminal"), "{refused}");
            assert_eq!(xlsx(Some(AllocateFormat::Xlsx), file, false).unwrap(), AllocateFormat::Xlsx);
        }
        // A file is never the terminal, whatever standard output is; other formats never ask.
        assert_eq!(xlsx(Some(AllocateFormat::Xlsx), Some("out.xlsx"), true).unwrap(), AllocateFormat::Xlsx);
        assert_eq!(xlsx(Some(AllocateFormat::Json), None, true).unwrap(), AllocateFormat::Json);
        // The same rule for every command's formats.
        let list = resolve_format(None, ListFormat::Table, ListFormat::Xlsx, Some(Path::new("l.xlsx")), false);
        assert_eq!(list.unwrap(), ListFormat::Xlsx);
        let check = resolve_format(Some(CheckFormat::Xlsx), CheckFormat::Table, CheckFormat::Xlsx, None, true);
        assert!(check.is_err());
    }

    #[test]
    fn rule_flags_become_the_agreements_own_kinds_of_value() {
        let job = allocate(&["--ties", "error", "--exclude", " 01 ,23", "--exclusion-policy", "withhold"]).unwrap();
        assert_eq!(job.rules.ties, Some(TiePolicy::Error));
        let exclusion = job.rules.exclusion.clone().unwrap();
        assert_eq!(exclusion.excluded, ["01", "23"]);
        assert_eq!(exclusion.policy, ExclusionPolicy::Withhold);
        let bundled = crate::io::bundled::agreement(crate::io::bundled::DEFAULT_AGREEMENT).unwrap();
        let own = crate::core::agreement::parse_agreement(&Input::from_text(bundled.path, bundled.text)).unwrap();
        let applied = job.rules.applied_to(own.clone());
        assert_eq!(applied.ties, TiePolicy::Error);
        assert_eq!(applied.eligibility, Some(exclusion));
        // No overrides, no change.
        let untouched = RuleOverrides::default().applied_to(own.clone());
        assert_eq!((untouched.ties, untouched.eligibility), (own.ties, own.eligibility));
    }

    #[test]
    fn a_format_a_command_cannot_write_is_refused_by_the_parser_with_a_reason() {
        for (args, reason) in [
            (&["explain", "23", "-f", "csv"][..], "explain writes a text report"),
            (&["explain", "23", "-f", "excel"], "explain writes a text report"),
            (&["list", "-f", "csv"], "list writes a table"),
        ] {
            let err = parse(args).unwrap_err();
            let refused = err.source().and_then(|source| source.downcast_ref::<CsvRefused>()).expect("a reason");
            assert!(refused.to_string().starts_with(reason), "{args:?}: {refused}");
        }
        // An unknown format is clap's own error, with the values there are.
        let err = parse(&["explain", "23", "-f", "xml"]).unwrap_err();
        assert!(err.source().and_then(|source| source.downcast_ref::<CsvRefused>()).is_none());
        assert!(err.to_string().contains("[possible values: table, json, xlsx]"), "{err}");
        let Command::Explain(args) = parse(&["explain", "23", "-f", "text"]).unwrap().command else { unreachable!() };
        let job = ExplainJob::resolve(&args, Lang::En).unwrap();
        assert_eq!(job.target.format, ExplainFormat::Table);
        assert!(job.sources.hash_inputs, "an explanation names its inputs by hash");
    }
}
