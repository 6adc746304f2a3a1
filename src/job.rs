//! The settings tier: each command's flags resolved once, into a job the work takes.
//!
//! clap parses the words (`cli`); here they become what the commands need: where the inputs
//! come from, which rules override the agreement's, and what to write where. Every check
//! between flags (and, for `check`, between the flags and the plan) happens here, once, so the
//! work that follows never sees a clap struct and never has to ask again.

use std::path::PathBuf;

use anyhow::{Context, anyhow};

use crate::agreement::{Agreement, Eligibility, ExclusionOrigin, ExclusionPolicy, TiePolicy};
use crate::amount::{RoundingUnit, Unit};
use crate::apportion::Method;
use crate::cli::{AllocateArgs, CheckArgs, ExplainArgs, ListArgs, OutputArgs, PopulationArgs, RuleArgs};
use crate::date::Date;
use crate::input::{Input, InputError};
use crate::lang::Lang;
use crate::population::PopulationTable;
use crate::proposal::{Proposal, parse_proposal};
use crate::render::{AllocateFormat, CheckFormat, ExplainFormat, ListFormat};

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
        Ok(AllocateJob {
            sources: Sources::new(args.agreement.as_deref(), &args.population),
            rules: RuleOverrides::new(&args.rules),
            round: args.round.map(|step| step.step),
            region: args.region.as_ref().map(|text| RegionName { text: text.clone(), named_by: NamedBy::Flag }),
            // One region's targets are read in the unit their step is written in.
            unit: match (args.output.unit, args.round) {
                (Some(unit), _) => unit,
                (None, Some(step)) if args.region.is_some() => step.written_in,
                (None, _) => Unit::Kr,
            },
            target: Target { format: allocate_format(&args.output)?, file: args.output.output.clone(), lang },
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
        let found = crate::region::resolve(&self.text, table);
        match &self.named_by {
            NamedBy::Flag => found.with_context(|| format!("--region `{}`", self.text.trim())),
            NamedBy::Argument { command } => found.with_context(|| format!("{command} `{}`", self.text.trim())),
            NamedBy::Plan { label } => {
                found.map_err(|err| InputError::file(label, err.to_string())).context("invalid plan")
            }
        }
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
        let plan_input = Input::read(&args.proposal).context("reading plan")?;
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
        let own = plan
            .region
            .as_ref()
            .map(|text| RegionName { text: text.clone(), named_by: NamedBy::Plan { label: plan_input.label.clone() } });
        let flag = args.region.as_ref().map(|text| RegionName { text: text.clone(), named_by: NamedBy::Flag });
        let regions: Vec<RegionName> = own.into_iter().chain(flag).collect();
        if regions.is_empty() {
            problems
                .push("the plan does not say its region: pass --region (code or name), e.g. --region 23".to_string());
        }
        let (Some(unit), true) = (unit, problems.is_empty()) else {
            return Err(anyhow!("{}: {}", plan_input.label, problems.join("; and ")));
        };
        Ok(CheckJob {
            plan_input,
            plan,
            unit,
            regions,
            strict: args.strict,
            sources: Sources::new(args.agreement.as_deref(), &args.population),
            rules: RuleOverrides::new(&args.rules),
            target: Target { format: args.format, file: args.output.clone(), lang },
        })
    }

    /// The region the plan is for, as a row of `table`: each name resolved in turn (the plan's
    /// first), and two that name different regions an error.
    pub fn region(&self, table: &PopulationTable) -> anyhow::Result<usize> {
        let found = self.regions.iter().map(|name| name.resolve(table)).collect::<anyhow::Result<Vec<usize>>>()?;
        match (found.as_slice(), self.regions.as_slice()) {
            ([own, flag], [own_name, flag_name]) if own != flag => Err(anyhow!(
                "the plan is for region `{}`, but --region says `{}`",
                own_name.text.trim(),
                flag_name.text.trim()
            )),
            // `resolve` refuses a job with no region at all; kept as an error, never a panic.
            ([], _) => Err(anyhow!("{}: the plan does not say its region", self.plan_input.label)),
            ([index, ..], _) => Ok(*index),
        }
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
    #[must_use]
    pub fn resolve(args: &ExplainArgs, lang: Lang) -> ExplainJob {
        // An explanation is an audit trail: it names each input by its hash.
        let sources = Sources { hash_inputs: true, ..Sources::new(args.agreement.as_deref(), &args.population) };
        ExplainJob {
            region: RegionName { text: args.region.clone(), named_by: NamedBy::Argument { command: "explain" } },
            sources,
            rules: RuleOverrides::new(&args.rules),
            target: Target { format: args.format, file: args.output.clone(), lang },
        }
    }
}

/// `fordela list`, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListJob {
    pub format: ListFormat,
    pub lang: Lang,
}

impl ListJob {
    #[must_use]
    pub fn resolve(args: &ListArgs, lang: Lang) -> ListJob {
        ListJob { format: args.format, lang }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::render::CsvRefused;

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
    fn rule_flags_become_the_agreements_own_kinds_of_value() {
        let job = allocate(&["--ties", "error", "--exclude", " 01 ,23", "--exclusion-policy", "withhold"]).unwrap();
        assert_eq!(job.rules.ties, Some(TiePolicy::Error));
        let exclusion = job.rules.exclusion.clone().unwrap();
        assert_eq!(exclusion.excluded, ["01", "23"]);
        assert_eq!(exclusion.policy, ExclusionPolicy::Withhold);
        let bundled = crate::bundled::agreement(crate::bundled::DEFAULT_AGREEMENT).unwrap();
        let own = crate::agreement::parse_agreement(&Input::from_text(bundled.path, bundled.text)).unwrap();
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
        assert!(err.to_string().contains("[possible values: table, json]"), "{err}");
        let Command::Explain(args) = parse(&["explain", "23", "-f", "text"]).unwrap().command else { unreachable!() };
        let job = ExplainJob::resolve(&args, Lang::En);
        assert_eq!(job.target.format, ExplainFormat::Table);
        assert!(job.sources.hash_inputs, "an explanation names its inputs by hash");
    }
}
