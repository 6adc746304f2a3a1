//! `report`'s flags resolved once into its job.

use crate::commands::follow_up::job::{FollowUpOptions, FollowUpSources};
use crate::commands::sources::{
    PopulationArgs, RegionName, RuleArgs, RuleOverrides, Sources, plan_region, plan_regions,
};
use crate::core::population::PopulationTable;
use crate::lang::Lang;
use crate::output::format::{Format, Target};
use anyhow::anyhow;
use clap::Args;
use std::path::PathBuf;

/// `fordela report`, resolved.
#[derive(Debug)]
pub struct ReportJob {
    pub follow: FollowUpSources,
    /// The plan's own region, then `--region` (as for `check`).
    pub regions: Vec<RegionName>,
    pub sources: Sources,
    pub rules: RuleOverrides,
    pub target: Target,
}

impl ReportJob {
    pub fn resolve(args: &ReportArgs, lang: Lang) -> anyhow::Result<ReportJob> {
        let format = match args.output.as_deref().and_then(std::path::Path::extension) {
            None => Format::Html,
            Some(ext) if ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm") => Format::Html,
            Some(ext) if ext.eq_ignore_ascii_case("xlsx") => Format::Xlsx,
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
        let hash_inputs = format == Format::Xlsx;
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
