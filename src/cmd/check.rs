//! `fordela check`: a region's plan against the agreement's allocation.

use std::process::ExitCode;

use anyhow::{Context, anyhow};

use super::{Computed, compute, disk_paths};
use crate::check::{Severity, check};
use crate::cli::{CheckArgs, FormatArg};
use crate::input::{Input, InputError};
use crate::output::emit;
use crate::proposal::parse_proposal;
use crate::render::check_report;

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let plan_input = Input::read(&args.proposal).context("reading plan")?;
    let proposal = parse_proposal(&plan_input).context("invalid plan")?;
    // What the plan must say or the flags supply, checked before the allocation is computed
    // and reported together: one run names every missing or conflicting piece.
    let mut problems = Vec::new();
    let unit = match (proposal.unit, args.unit) {
        (Some(own), Some(flag)) if own != flag => {
            let source = proposal.unit_source.as_deref().unwrap_or("the plan");
            problems.push(format!(
                "the plan says its unit is {own} ({source}), but --unit says {flag}: drop --unit or correct the plan"
            ));
            None
        }
        (Some(unit), _) | (None, Some(unit)) => Some(unit),
        (None, None) => {
            problems.push("the plan does not say its unit: pass --unit (kr, tkr or mkr), e.g. --unit MSEK".to_string());
            None
        }
    };
    let region = proposal.region.as_ref().or(args.region.as_ref());
    if region.is_none() {
        problems.push("the plan does not say its region: pass --region (code or name), e.g. --region 23".to_string());
    }
    let (Some(unit), Some(region_name), true) = (unit, region, problems.is_empty()) else {
        return Err(anyhow!("{}: {}", plan_input.label, problems.join("; and ")));
    };
    let Computed { loaded, population_path, allocation, .. } =
        compute(args.agreement.as_deref(), &args.population, &args.rules)?;
    if let (Some(own), Some(flag)) = (&proposal.region, &args.region)
        && own.trim() != flag.trim()
    {
        let own_index = crate::region::resolve(own, allocation.table());
        let flag_index = crate::region::resolve(flag, allocation.table());
        if own_index.is_err() || own_index != flag_index {
            return Err(anyhow!("the plan is for region `{own}`, but --region says `{flag}`"));
        }
    }
    let region_index = crate::region::resolve(region_name, allocation.table())
        .map_err(|message| InputError::file(&plan_input.label, message))
        .context("invalid plan")?;
    let report = check(&proposal, &allocation, region_index, unit, args.strict).context("invalid plan")?;

    let inputs = disk_paths(&[&plan_input, &loaded.input], &[&population_path]);
    emit(args.report.output.as_deref(), &inputs, |out| match args.report.format {
        FormatArg::Table => check_report::table(&report, &allocation, out),
        FormatArg::Csv => check_report::csv(&report, false, out),
        FormatArg::Excel => check_report::csv(&report, true, out),
        FormatArg::Json => check_report::json(&report, out),
    })?;
    let failed = report.count(Severity::Error) > 0;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
