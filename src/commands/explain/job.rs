//! `explain`'s flags resolved once into its job.

use crate::commands::sources::{NamedBy, PopulationArgs, RegionName, RuleArgs, RuleOverrides, Sources};
use crate::lang::Lang;
use crate::output::format::{CommandFormats, Format, Formats, OutputArgs, Target};
use clap::Args;

/// `fordela explain`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainJob {
    pub region: RegionName,
    pub sources: Sources,
    pub rules: RuleOverrides,
    pub target: Target,
}

impl ExplainJob {
    pub fn resolve(args: &ExplainArgs, lang: Lang) -> anyhow::Result<ExplainJob> {
        let target = args.output.target(lang)?;
        // An explanation is an audit trail: it names each input by its hash.
        let sources = Sources { hash_inputs: true, ..Sources::new(args.agreement.as_deref(), &args.population) };
        Ok(ExplainJob {
            region: RegionName { text: args.region.clone(), named_by: NamedBy::Argument { command: "explain" } },
            sources,
            rules: RuleOverrides::new(&args.rules),
            target,
        })
    }
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
    #[command(flatten)]
    pub output: OutputArgs<ExplainFormats>,
}

/// Why `explain` refuses CSV: a text report under a CSV name would open in a spreadsheet as
/// lines of text, unguarded.
const EXPLAIN_NO_CSV: &str =
    "explain writes a text report (--format table) or JSON (--format json), not CSV; allocate and check write CSV";

/// What `explain` writes.
#[derive(Debug, Clone, Copy)]
pub struct ExplainFormats;

impl CommandFormats for ExplainFormats {
    const FORMATS: Formats = Formats {
        list: &[Format::Table, Format::Json, Format::Xlsx],
        no_csv: Some(EXPLAIN_NO_CSV),
        table_is_text: true,
    };
}
