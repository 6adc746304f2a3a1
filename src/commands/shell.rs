//! `fordela completions SHELL` and `fordela man [COMMAND]`: what a shell and `man` need,
//! generated from the same clap definition the parser uses, so they never fall behind it.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::anyhow;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::output::file::emit;

/// A completion script for `shell` on stdout.
pub fn completions(shell: Shell) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    emit(None, &[], |out: &mut dyn Write| -> io::Result<()> {
        clap_complete::generate(shell, &mut command, "fordela", out);
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The man page of fordela (section 1), or of one of its commands (`fordela-allocate(1)`), as
/// roff on stdout: `fordela man | man -l -`.
pub fn man(subcommand: Option<&str>) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    command.build();
    let page = match subcommand {
        None => command,
        Some(name) => {
            let known: Vec<String> = command.get_subcommands().map(|sub| sub.get_name().to_string()).collect();
            let sub = command
                .find_subcommand(name)
                .ok_or_else(|| anyhow!("no command `{name}`: man pages exist for {}", known.join(", ")))?
                .clone();
            // A command's page is named as git names its own: `fordela-allocate`.
            let full = format!("fordela-{}", sub.get_name());
            sub.name(full)
        }
    };
    emit(None, &[], |out: &mut dyn Write| -> io::Result<()> { clap_mangen::Man::new(page).render(out) })?;
    Ok(ExitCode::SUCCESS)
}
