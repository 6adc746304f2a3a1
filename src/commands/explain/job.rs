//! `explain`'s flags resolved once into its job.

use crate::cli::ExplainArgs;
use crate::commands::sources::{NamedBy, RegionName, RuleOverrides, Sources};
use crate::lang::Lang;
use crate::output::format::{ExplainFormat, Target, resolve_format};
use std::io::IsTerminal;

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
