//! `allocate`'s flags resolved once into its job.

use crate::cli::{AllocateArgs, OutputArgs};
use crate::commands::sources::{NamedBy, RegionName, RuleOverrides, Sources};
use crate::core::amount::{RoundingUnit, Unit};
use crate::lang::Lang;
use crate::output::format::{AllocateFormat, Target, resolve_format};
use anyhow::anyhow;
use std::io::IsTerminal;

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

#[cfg(test)]
mod tests {
    use clap::Parser;
    use std::error::Error;

    use super::*;
    use crate::cli::{Cli, Command};
    use std::path::Path;

    use crate::core::agreement::{ExclusionPolicy, TiePolicy};
    use crate::io::input::Input;
    use crate::output::format::{CheckFormat, CsvRefused, ExplainFormat, ListFormat};

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
        let job = crate::commands::explain::job::ExplainJob::resolve(&args, Lang::En).unwrap();
        assert_eq!(job.target.format, ExplainFormat::Table);
        assert!(job.sources.hash_inputs, "an explanation names its inputs by hash");
    }
}
