use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = fordela::cli::Cli::parse();
    match fordela::run(&cli) {
        Ok(code) => code,
        Err(err) => {
            let _ = writeln!(std::io::stderr().lock(), "fordela: {err:#}");
            ExitCode::from(2)
        }
    }
}
