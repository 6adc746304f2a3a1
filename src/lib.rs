//! fordela: exact apportionment of national grants among Swedish regions, and checks of the
//! regions' spending plans. Data flows one way: read → validate → compute (pure) → render.

pub mod agreement;
pub mod allocation;
pub mod allocation_view;
pub mod amount;
pub mod apportion;
pub mod bundled;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod csvin;
pub mod date;
pub mod explain;
pub mod input;
pub mod job;
pub mod lang;
pub mod municipality;
pub mod output;
pub mod population;
pub mod proposal;
pub mod region;
pub mod render;
pub mod suggest;

use std::process::ExitCode;

use cli::{Cli, Command};
use job::{AllocateJob, CheckJob, ExplainJob, ListJob};

/// Runs one command: its flags resolved into a job, then the job; errors are bad input (exit 2
/// in `main`).
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    input::set_max_input_size(cli.max_input_size);
    let lang = lang::Lang::resolve(cli.lang);
    match &cli.command {
        Command::Allocate(args) => cmd::allocate::run(&AllocateJob::resolve(args, lang)?),
        Command::Check(args) => cmd::check::run(&CheckJob::resolve(args, lang)?),
        Command::Explain(args) => cmd::explain::run(&ExplainJob::resolve(args, lang)),
        Command::List(args) => cmd::list::run(ListJob::resolve(args, lang)),
    }
}
