//! `fordela completions SHELL` and `fordela man [COMMAND]`: what a shell and `man` need,
//! generated from the same clap definition the parser uses, so they never fall behind it.

use crate::output::file::emit;
use anyhow::anyhow;
use clap::Args;
use clap_complete::Shell;
use std::io;
use std::io::Write;
use std::process::ExitCode;

/// A completion script for `shell` on stdout, of `command` (the whole command line).
pub fn completions(shell: Shell, mut command: clap::Command) -> anyhow::Result<ExitCode> {
    emit(None, &[], |out: &mut dyn Write| -> io::Result<()> {
        clap_complete::generate(shell, &mut command, "fordela", out);
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The man page of fordela (section 1), or of one of its commands (`fordela-allocate(1)`), as
/// roff on stdout: `fordela man | man -l -`.
pub fn man(subcommand: Option<&str>, mut command: clap::Command) -> anyhow::Result<ExitCode> {
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

/// Print a completion script for a shell.
///
/// Examples:
///   fordela completions bash > ~/.local/share/bash-completion/completions/fordela
///   fordela completions zsh > ~/.zfunc/_fordela      # with fpath+=~/.zfunc in .zshrc
///   fordela completions fish > ~/.config/fish/completions/fordela.fish
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print the man page (roff) of fordela, or of one of its commands.
///
/// Examples:
///   fordela man | man -l -
///   fordela man allocate | man -l -
///   fordela man > ~/.local/share/man/man1/fordela.1
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {
    /// A command (allocate, check, …): its own page, `fordela-allocate(1)`
    pub command: Option<String>,
}
