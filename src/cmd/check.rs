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
    let Computed { loaded, population_path, allocation, .. } =
        compute(args.agreement.as_deref(), &args.population, &args.rules)?;

    let unit = match (proposal.unit, args.unit) {
        (Some(own), Some(flag)) if own != flag => {
            return Err(anyhow!("the plan says its unit is {own}, but --unit says {flag}"));
        }
        (Some(unit), _) | (None, Some(unit)) => unit,
        (None, None) => {
            return Err(anyhow!(
                "{}: the plan does not say its unit: pass --unit (kr, tkr or mkr), e.g. --unit MSEK",
                plan_input.label
            ));
        }
    };
    let region_name = match (&proposal.region, &args.region) {
        (Some(own), Some(flag)) if own.trim() != flag.trim() => {
            let own_index = crate::region::resolve(own, allocation.table());
            let flag_index = crate::region::resolve(flag, allocation.table());
            if own_index.is_err() || own_index != flag_index {
                return Err(anyhow!("the plan is for region `{own}`, but --region says `{flag}`"));
            }
            own.clone()
        }
        (Some(name), _) | (None, Some(name)) => name.clone(),
        (None, None) => {
            return Err(anyhow!(
                "{}: the plan does not say its region: pass --region (code or name), e.g. --region 23",
                plan_input.label
            ));
        }
    };
    let region_index = crate::region::resolve(&region_name, allocation.table())
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
