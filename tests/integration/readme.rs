//! The example sessions in README.md and docs/*.md are the program's real output: this fails
//! when they drift.
//!
//! A session is a line `$ fordela ARGS` inside a ```` ```console ```` block; the lines after it, up
//! to the next line starting with `$ ` or the end of the block, are its stdout, compared with
//! what the real binary prints when run from the repository root (stderr and the exit code are
//! not compared). ARGS are split into words at spaces, with simple `"…"` and `'…'` quoting.
//!
//! Two rules, both visible in the documents themselves:
//! - A line that is exactly `…` stands for output left out: the lines between such marks must
//!   appear in the output in that order, the first run at the very start (unless the session
//!   begins with `…`) and the last at the very end (unless it ends with `…`).
//! - A session that writes a file or needs the shell (its command line has `-o`, `--output`,
//!   `>`, `<` or `|`) is not run: such commands belong in ```` ```sh ```` blocks. The test lists
//!   any it skips.

use crate::common;

use common::fordela;
use std::path::{Path, PathBuf};

/// One `$ fordela …` session: where it is, its words, and the stdout shown under it.
struct Session {
    file: String,
    line: usize,
    command: String,
    expected: Vec<String>,
}

const ELISION: &str = "…";

fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .into_iter()
        .flatten()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    let mut all = vec![root.join("README.md")];
    all.extend(docs);
    all
}

fn sessions(file: &str, text: &str) -> Vec<Session> {
    let mut found = Vec::new();
    let mut in_console = false;
    let mut current: Option<Session> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if !in_console {
            in_console = trimmed == "```console";
            continue;
        }
        if trimmed == "```" || line.starts_with("$ ") {
            found.extend(current.take());
        }
        if trimmed == "```" {
            in_console = false;
        } else if let Some(command) = line.strip_prefix("$ fordela ").or((line == "$ fordela").then_some("")) {
            current = Some(Session {
                file: file.to_string(),
                line: index + 1,
                command: command.to_string(),
                expected: Vec::new(),
            });
        } else if let Some(session) = current.as_mut() {
            session.expected.push(line.to_string());
        }
    }
    assert!(!in_console, "{file}: a ```console block is never closed");
    found
}

/// Splits a command line into words: spaces separate, `"…"` and `'…'` quote (no escapes).
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote = None;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unclosed quote in `fordela {command}`");
    if in_word {
        words.push(word);
    }
    words
}

/// Why a session is not run, if it is not: it writes a file or needs the shell.
fn skipped(words: &[String]) -> Option<&'static str> {
    if words.iter().any(|w| w == "-o" || w == "--output" || w.starts_with("--output=")) {
        Some("writes a file")
    } else if words.iter().any(|w| [">", "<", "|"].iter().any(|shell| w.starts_with(shell))) {
        Some("needs the shell")
    } else {
        None
    }
}

/// Where `actual` departs from `expected` (with `…` marks), or `None` when it matches.
fn mismatch(expected: &[String], actual: &[&str]) -> Option<String> {
    let runs: Vec<&[String]> = expected.split(|line| line == ELISION).collect();
    let open_start = expected.first().is_some_and(|line| line == ELISION);
    let open_end = expected.last().is_some_and(|line| line == ELISION);
    if runs.len() == 1 {
        return (expected != actual).then(|| first_difference(expected, actual));
    }
    let mut at = 0;
    for (index, run) in runs.iter().enumerate() {
        if run.is_empty() {
            continue;
        }
        let is_last = index == runs.len() - 1;
        let position = if index == 0 && !open_start {
            actual.starts_with_lines(run).then_some(0)
        } else if is_last && !open_end {
            let start = actual.len().checked_sub(run.len()).filter(|&start| start >= at);
            start.filter(|&start| actual[start..].starts_with_lines(run))
        } else {
            (at..actual.len()).find(|&start| actual[start..].starts_with_lines(run))
        };
        match position {
            Some(start) => at = start + run.len(),
            None => {
                return Some(format!(
                    "these lines are not in the output where they are shown:\n{}\n--- real output ---\n{}",
                    run.join("\n"),
                    actual.join("\n")
                ));
            }
        }
    }
    None
}

trait StartsWithLines {
    fn starts_with_lines(&self, run: &[String]) -> bool;
}

impl StartsWithLines for [&str] {
    fn starts_with_lines(&self, run: &[String]) -> bool {
        self.len() >= run.len() && self.iter().zip(run).all(|(a, e)| *a == e)
    }
}

fn first_difference(expected: &[String], actual: &[&str]) -> String {
    let index = expected.iter().zip(actual).position(|(e, a)| e != a).unwrap_or(expected.len().min(actual.len()));
    format!(
        "first difference at output line {}:\n  shown: {:?}\n  real:  {:?}\n--- real output ---\n{}",
        index + 1,
        expected.get(index),
        actual.get(index),
        actual.join("\n")
    )
}

#[test]
fn the_documents_show_the_real_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    let mut run_in = std::collections::BTreeMap::new();
    for path in documents() {
        let name = path.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        for session in sessions(&name, &text) {
            let words = words(&session.command);
            let place = format!("{}:{}: `fordela {}`", session.file, session.line, session.command);
            if let Some(why) = skipped(&words) {
                eprintln!("not run ({why}): {place}");
                continue;
            }
            let args: Vec<&str> = words.iter().map(String::as_str).collect();
            let run = fordela(&args);
            let actual: Vec<&str> = run.stdout.lines().collect();
            if let Some(difference) = mismatch(&session.expected, &actual) {
                failures.push(format!("{place} differs from the real output; {difference}"));
            }
            *run_in.entry(session.file).or_insert(0) += 1;
        }
    }
    eprintln!("sessions run: {run_in:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // A parser that found nothing would pass: every command's page has its session.
    let in_readme = run_in.get("README.md").copied().unwrap_or(0);
    let in_docs: usize = run_in.iter().filter(|(file, _)| file.starts_with("docs")).map(|(_, n)| n).sum();
    assert!(in_readme >= 10, "README.md: {in_readme} session(s) run, expected one per command");
    assert!(in_docs >= 10, "docs/: {in_docs} session(s) run, expected one per command page");
}

#[test]
fn sessions_are_found_and_split_as_written() {
    let text = "```console\n$ fordela a \"b c\" 'd e'\nout\n\n$ ls\nx\n```\n```sh\n$ fordela no\n```\n";
    let found = sessions("t.md", text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 2);
    assert_eq!(found[0].expected, ["out", ""]);
    assert_eq!(words(&found[0].command), ["a", "b c", "d e"]);
    assert_eq!(words("x \"\" y"), ["x", "", "y"]);
    assert_eq!(skipped(&words("allocate -o out.xlsx")), Some("writes a file"));
    assert_eq!(skipped(&words("allocate > out.csv")), Some("needs the shell"));
}

#[test]
fn elided_output_matches_in_order_only() {
    let lines = |text: &str| text.lines().map(str::to_string).collect::<Vec<_>>();
    let actual = ["a", "b", "c", "d", "e"];
    assert!(mismatch(&lines("a\nb\nc\nd\ne"), &actual).is_none());
    assert!(mismatch(&lines("a\nb\nc\nd"), &actual).is_some());
    assert!(mismatch(&lines("a\n…\nc\n…\ne"), &actual).is_none());
    assert!(mismatch(&lines("a\n…\nd\ne"), &actual).is_none());
    assert!(mismatch(&lines("a\nb\n…"), &actual).is_none());
    assert!(mismatch(&lines("…\nd\ne"), &actual).is_none());
    assert!(mismatch(&lines("b\n…"), &actual).is_some(), "the first run starts the output");
    assert!(mismatch(&lines("…\nd"), &actual).is_some(), "the last run ends the output");
    assert!(mismatch(&lines("a\n…\nd\n…\nc\n…"), &actual).is_some(), "runs keep their order");
    assert!(mismatch(&lines("a\n…\nx\n…"), &actual).is_some());
}
