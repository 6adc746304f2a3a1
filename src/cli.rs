//! The command line: `fordela`'s global flags and its commands. Each command's own flags are in
//! its folder (`commands/<name>/job.rs`), with the job they resolve into.

use crate::commands::allocate::job::AllocateArgs;
use crate::commands::audit::job::AuditArgs;
use crate::commands::check::job::CheckArgs;
use crate::commands::diff::job::DiffArgs;
use crate::commands::explain::job::ExplainArgs;
use crate::commands::follow_up::job::FollowUpArgs;
use crate::commands::list::job::ListArgs;
use crate::commands::payouts::job::PayoutsArgs;
use crate::commands::report::job::ReportArgs;
use crate::commands::shell::{CompletionsArgs, ManArgs};
use crate::commands::web::job::WebArgs;
use crate::io::input::ByteSize;
use crate::lang::Lang;
use clap::{Parser, Subcommand};

/// Split a national grant across regions by population, exactly to the krona, and check that
/// a region's spending plan adds up.
///
/// Every amount is an exact whole number of the agreement's rounding unit (1 kr unless the
/// agreement says otherwise); parts always add up to the whole they belong to.
///
/// Exit codes: 0 clean, 1 a finding at error (or at warning with --strict), 2 bad input or usage.
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
    /// Rows and columns a workbook's sheet hides (by a filter or by hand) that hold cells: by
    /// default the sheet is refused, naming them; `include` reads them as if shown, `skip`
    /// reads the sheet as it shows
    #[arg(long, global = true, value_enum, value_name = "HOW")]
    pub hidden: Option<crate::io::sheet::Hidden>,
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
    Web(WebArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use clap::CommandFactory;

    use super::*;
    use crate::commands::allocate::job::AllocateJob;
    use crate::commands::sources::RuleOverrides;
    use crate::core::agreement::{ExclusionPolicy, TiePolicy};
    use crate::io::input::Input;
    use crate::output::format::{CsvRefused, Format};

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
        assert_eq!(allocate(&[]).unwrap().target.format, Format::Table);
        assert_eq!(allocate(&["--excel"]).unwrap().target.format, Format::Excel);
        assert_eq!(allocate(&["--excel", "-f", "csv"]).unwrap().target.format, Format::Excel);
        assert_eq!(allocate(&["-f", "json"]).unwrap().target.format, Format::Json);
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
        assert_eq!(job.target.format, Format::Table);
        assert!(job.sources.hash_inputs, "an explanation names its inputs by hash");
    }

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
