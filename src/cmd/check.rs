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
    let region_named = proposal.region.is_some() || args.region.is_some();
    if !region_named {
        problems.push("the plan does not say its region: pass --region (code or name), e.g. --region 23".to_string());
    }
    let (Some(unit), true) = (unit, problems.is_empty()) else {
        return Err(anyhow!("{}: {}", plan_input.label, problems.join("; and ")));
    };
    let Computed { loaded, population_path, allocation, .. } =
        compute(args.agreement.as_deref(), &args.population, &args.rules)?;
    let table = allocation.table();
    // The plan's own region, then --region; both given, they must name the same region.
    let own = proposal
        .region
        .as_deref()
        .map(|own| {
            crate::region::resolve(own, table).map_err(|err| InputError::file(&plan_input.label, err.to_string()))
        })
        .transpose()
        .context("invalid plan")?;
    let flag = args
        .region
        .as_deref()
        .map(|flag| crate::region::resolve(flag, table).with_context(|| format!("--region `{}`", flag.trim())))
        .transpose()?;
    let region_index = match (own, flag) {
        (Some(own), Some(flag)) if own != flag => {
            return Err(anyhow!(
                "the plan is for region `{}`, but --region says `{}`",
                proposal.region.as_deref().unwrap_or_default().trim(),
                args.region.as_deref().unwrap_or_default().trim()
            ));
        }
        (Some(index), _) | (None, Some(index)) => index,
        // Refused above with the other missing pieces; kept as an error, never a panic.
        (None, None) => return Err(anyhow!("{}: the plan does not say its region", plan_input.label)),
    };
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
