//! fordela: exact apportionment of national grants among Swedish regions, and checks of the
//! regions' spending plans. Data flows one way: read → validate → compute (pure) → render.

pub mod agreement;
pub mod allocation;
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
pub mod output;
pub mod population;
pub mod proposal;
pub mod region;
pub mod render;
pub mod suggest;

use std::process::ExitCode;

use cli::{Cli, Command};

/// Runs one command; errors are bad input (exit 2 in `main`).
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    input::set_max_input_size(cli.max_input_size);
    match &cli.command {
        Command::Allocate(args) => cmd::allocate::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Explain(args) => cmd::explain::run(args),
        Command::List(args) => cmd::list::run(args),
    }
}
