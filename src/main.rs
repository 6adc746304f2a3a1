use std::error::Error;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match fordela::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // A format the command cannot write is refused by the parser with fordela's reason,
        // said as fordela's own errors are; every other usage error as clap says it.
        Err(err) => {
            match err.source().and_then(|source| source.downcast_ref::<fordela::output::format::CsvRefused>()) {
                Some(refused) => {
                    let _ = writeln!(std::io::stderr().lock(), "fordela: {refused}");
                    return ExitCode::from(2);
                }
                None => err.exit(),
            }
        }
    };
    match fordela::run(&cli) {
        Ok(code) => code,
        Err(err) => {
            let _ = writeln!(std::io::stderr().lock(), "fordela: {err:#}");
            ExitCode::from(2)
        }
    }
}
