//! `report`'s flags resolved once into its job.

use crate::cli::ReportArgs;
use crate::commands::follow_up::job::FollowUpSources;
use crate::commands::sources::{RegionName, RuleOverrides, Sources, plan_region, plan_regions};
use crate::core::population::PopulationTable;
use crate::lang::Lang;
use crate::output::format::Target;
use anyhow::anyhow;

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
