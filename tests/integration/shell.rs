//! `fordela completions SHELL` and `fordela man [COMMAND]`: generated from the parser's own
//! definition, so every command and flag the parser knows is in them.

use crate::common::{assert_refused, fordela};

const COMMANDS: &[&str] =
    &["allocate", "check", "explain", "diff", "payouts", "follow-up", "report", "audit", "list", "completions", "man"];

#[test]
fn each_shell_gets_a_script_in_its_own_language_that_knows_every_command() {
    for (shell, marker) in [
        ("bash", "complete -F _fordela"),
        ("zsh", "#compdef fordela"),
        ("fish", "complete -c fordela"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = fordela(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}: no `{marker}`");
        for command in COMMANDS {
            assert!(run.stdout.contains(command), "{shell}: no `{command}`");
        }
        // fish names a long flag `-l round`, the others `--round`.
        let flag = |name: &str| run.stdout.contains(&format!("--{name}")) || run.stdout.contains(&format!("-l {name}"));
        assert!(flag("round") && flag("lang") && flag("population-date"), "{shell}: flags missing");
    }
    assert_eq!(fordela(&["completions", "tcsh"]).code, 2, "an unknown shell is a usage error");
}

#[test]
fn the_man_page_is_roff_naming_every_command_and_each_command_has_its_own() {
    let run = fordela(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(".TH fordela 1"), "{}", &run.stdout[..200.min(run.stdout.len())]);
    // roff writes a hyphen as `\-`.
    let page_text = run.stdout.replace("\\-", "-");
    for command in COMMANDS {
        assert!(page_text.contains(command), "no `{command}` in the man page");
    }
    let page = fordela(&["man", "allocate"]);
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(page.stdout.contains(".TH fordela-allocate 1"));
    assert!(page.stdout.contains("round") && page.stdout.contains("exclusion"), "allocate's flags");
    assert_refused(&fordela(&["man", "allocat"]), &["no command `allocat`", "allocate, check"]);
}

#[test]
fn every_commands_help_ends_with_real_examples() {
    for command in COMMANDS {
        let run = fordela(&[command, "--help"]);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        let examples = run.stdout.split("Examples:").nth(1).unwrap_or_else(|| panic!("{command}: no examples"));
        let lines: Vec<&str> = examples.lines().filter(|line| line.trim_start().starts_with("fordela ")).collect();
        assert!(lines.len() >= 2, "{command}: {lines:?}");
    }
}
