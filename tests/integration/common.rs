//! Runs the real fordela binary.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub bytes: Vec<u8>,
}

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

pub fn fordela(args: &[&str]) -> Run {
    fordela_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, None)
}

pub fn fordela_stdin(args: &[&str], stdin: &[u8]) -> Run {
    fordela_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, Some(stdin))
}

pub fn fordela_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fordela"))
        .args(args)
        .current_dir(dir)
        // Labels follow the locale: the tests read English unless they ask with --lang.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("fordela starts");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        bytes: stdout,
    }
}

/// Writes `files` into a fresh temporary directory.
pub fn temp_files(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).unwrap();
    }
    dir
}

/// Parses plain CSV output into rows of fields (no quoting beyond what fordela writes).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader.records().map(|record| record.unwrap().iter().map(str::to_string).collect()).collect()
}

/// The stderr of a run that stopped on bad input, as every such run must: exit 2, nothing on
/// stdout, no panic. Trailing line ends cut, so that messages compare as written.
pub fn refused(run: &Run) -> &str {
    assert_eq!(run.code, 2, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "stdout after an error: {}", run.stdout);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr.trim_end()
}

/// `refused`, and its message holds each of `needles`.
pub fn assert_refused(run: &Run, needles: &[&str]) {
    let stderr = refused(run);
    for needle in needles {
        assert!(stderr.contains(needle), "`{needle}` not in: {stderr}");
    }
}

/// The bundled counties on `date` as (code, county name, population), codes as SCB writes them,
/// read from the data file itself (not through fordela).
pub fn bundled_counties(date: &str) -> Vec<(String, String, u64)> {
    include_str!("../../data/population/scb-county-population-31dec-2010-2020.csv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[2] == date).then(|| (fields[0].to_string(), fields[1].to_string(), fields[3].parse().unwrap()))
        })
        .collect()
}

/// A whole number as Swedish text groups it, a space between every three digits from the right
/// (`10 230 185`): how fordela writes counts and kronor.
pub fn grouped(value: impl std::fmt::Display) -> String {
    grouped_by(value, ' ')
}

/// `grouped` with another group separator (a non-breaking or a narrow space).
pub fn grouped_by(value: impl std::fmt::Display, separator: char) -> String {
    let digits = value.to_string();
    assert!(digits.bytes().all(|byte| byte.is_ascii_digit()), "a whole number not below zero: {digits}");
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}
