//! fordela: exact apportionment of national grants among Swedish regions, and checks of the
//! regions' spending plans. Data flows one way: read → validate → compute (pure) → render.

pub mod agreement;
pub mod allocation;
pub mod allocation_view;
pub mod amount;
pub mod apportion;
pub mod audit;
pub mod bundled;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod csvin;
pub mod date;
pub mod diff;
pub mod explain;
pub mod follow_up;
pub mod input;
pub mod job;
pub mod lang;
pub mod lines;
pub mod municipality;
pub mod names;
pub mod outcome;
pub mod output;
pub mod payouts;
pub mod payouts_toml;
pub mod population;
pub mod proposal;
pub mod quarter;
pub mod region;
pub mod render;
pub mod report;
pub mod sheet;
pub mod sheet_styles;
pub mod suggest;

use std::process::ExitCode;

use cli::{Cli, Command};
use job::{AllocateJob, AuditJob, CheckJob, DiffJob, ExplainJob, FollowUpJob, ListJob, PayoutsJob, ReportJob};

/// Runs one command: its flags resolved into a job, then the job; errors are bad input (exit 2
/// in `main`).
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    input::set_max_input_size(cli.max_input_size);
    let lang = lang::Lang::resolve(cli.lang);
    match &cli.command {
        Command::Allocate(args) => cmd::allocate::run(&AllocateJob::resolve(args, lang)?),
        Command::Check(args) => cmd::check::run(&CheckJob::resolve(args, lang)?),
        Command::Explain(args) => cmd::explain::run(&ExplainJob::resolve(args, lang)?),
        Command::List(args) => cmd::list::run(&ListJob::resolve(args, lang)?),
        Command::Completions(args) => cmd::shell::completions(args.shell),
        Command::Man(args) => cmd::shell::man(args.command.as_deref()),
        Command::Audit(args) => cmd::audit::run(&AuditJob::resolve(args, lang)?),
        Command::Payouts(args) => cmd::payouts::run(&PayoutsJob::resolve(args, lang)?),
        Command::Diff(args) => cmd::diff::run(&DiffJob::resolve(args, lang)?),
        Command::FollowUp(args) => cmd::follow_up::run(&FollowUpJob::resolve(args, lang)?),
        // The region's report is Swedish unless --lang asks otherwise: it is handed in to a
        // Swedish authority, whatever the locale of the machine that writes it.
        Command::Report(args) => cmd::report::run(&ReportJob::resolve(args, cli.lang.unwrap_or(lang::Lang::Sv))?),
    }
}
