//! fordela: exact apportionment of national grants among Swedish regions, and checks of the
//! regions' spending plans. Data flows one way: read → validate → compute (pure) → render.

pub mod cli;
pub mod commands;
pub mod core;
pub mod io;
pub mod lang;
pub mod output;

use clap::CommandFactory;
use cli::{Cli, Command};
use std::process::ExitCode;

/// Runs one command: its flags resolved into a job, then the job; errors are bad input (exit 2
/// in `main`).
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    io::input::set_max_input_size(cli.max_input_size);
    io::sheet::set_hidden(cli.hidden);
    io::limits::set(cli.max_unpacked_size, cli.max_cells, cli.max_field_size);
    let lang = lang::Lang::resolve(cli.lang);
    match &cli.command {
        Command::Allocate(args) => commands::allocate::run(&commands::allocate::job::AllocateJob::resolve(args, lang)?),
        Command::Check(args) => commands::check::run(&commands::check::job::CheckJob::resolve(args, lang)?),
        Command::Explain(args) => commands::explain::run(&commands::explain::job::ExplainJob::resolve(args, lang)?),
        Command::List(args) => commands::list::run(&commands::list::job::ListJob::resolve(args, lang)?),
        Command::Completions(args) => commands::shell::completions(args.shell, Cli::command()),
        Command::Man(args) => commands::shell::man(args.command.as_deref(), Cli::command()),
        Command::Audit(args) => commands::audit::run(&commands::audit::job::AuditJob::resolve(args, lang)?),
        Command::Payouts(args) => commands::payouts::run(&commands::payouts::job::PayoutsJob::resolve(args, lang)?),
        Command::Diff(args) => commands::diff::run(&commands::diff::job::DiffJob::resolve(args, lang)?),
        Command::FollowUp(args) => {
            commands::follow_up::run(&commands::follow_up::job::FollowUpJob::resolve(args, lang)?)
        }
        // The page is Swedish unless --lang asks otherwise: its users are Swedish budget staff.
        Command::Web(args) => {
            commands::web::run(&commands::web::job::WebJob::resolve(args, cli.lang.unwrap_or(lang::Lang::Sv))?)
        }
        // The region's report is Swedish unless --lang asks otherwise: it is handed in to a
        // Swedish authority, whatever the locale of the machine that writes it.
        Command::Report(args) => {
            commands::report::run(&commands::report::job::ReportJob::resolve(args, cli.lang.unwrap_or(lang::Lang::Sv))?)
        }
    }
}
