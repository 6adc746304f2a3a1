//! Files and devices: text a spreadsheet would run as a formula, inputs that never end, and
//! what `--output` does to modes, links, devices, FIFOs and interrupted runs. The real binary;
//! the data are synthetic, the expected figures worked out by hand.
#![cfg(unix)]

mod common;

use std::fs;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{csv_rows, fordela_in, temp_files};

/// Five recipients of 500, 300, 100, 60 and 40 people whose names a spreadsheet would run.
const FORMULA_POPULATION: &str = "code,region,date,population\n\
    1000001,\"=HYPERLINK(\"\"http://example.invalid/\"\",\"\"klicka\"\")\",2020-12-31,500\n\
    1000002,@SUM(A1),2020-12-31,300\n\
    1000003,+46 70 123,2020-12-31,100\n\
    1000004,-2+3,2020-12-31,60\n\
    1000005,Vanlig enhet,2020-12-31,40\n";

/// 1 000 kr by population (so each gets one krona per person) and 100 kr set aside for a
/// recipient whose name is a formula; the area id begins with `-`, as ids may.
const FORMULA_AGREEMENT: &str = "name = \"Formler (syntetisk)\"\nunit = \"kr\"\ntotal = 1100\n\
    population_date = 2020-12-31\npopulation = \"p.csv\"\n\
    [[areas]]\nid = \"-a\"\nregions = 1000\nother = [{ recipient = \"=cmd|' /C calc'!A0\", amount = 100 }]\n";

/// A plan for `-2+3` (60 kr) that spends 50: a warning, and a difference of −10 kr.
const FORMULA_PLAN: &str = "region = \"1000004\"\nunit = \"kr\"\ntotal = 50\n\
    [[areas]]\nid = \"-a\"\namount = 50\ninterventions = [{ name = \"=1+2\", amount = 50 }]\n";

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|row| row.iter().map(|cell| (*cell).to_string()).collect()).collect()
}

fn excel_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").expect("Excel CSV begins with a BOM");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).delimiter(b';').from_reader(body);
    reader.records().map(|record| record.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn names_a_spreadsheet_would_run_are_written_as_text_in_allocate_csv_and_excel() {
    let dir = temp_files(&[("p.csv", FORMULA_POPULATION.as_bytes()), ("a.toml", FORMULA_AGREEMENT.as_bytes())]);
    let hyperlink = "'=HYPERLINK(\"http://example.invalid/\",\"klicka\")";
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        csv_rows(&run.stdout),
        strings(&[
            &["code", "region", "population", "share", "'-a", "total"],
            &["1000001", hyperlink, "500", "50.0000", "500", "500"],
            &["1000002", "'@SUM(A1)", "300", "30.0000", "300", "300"],
            &["1000003", "'+46 70 123", "100", "10.0000", "100", "100"],
            &["1000004", "'-2+3", "60", "6.0000", "60", "60"],
            &["1000005", "Vanlig enhet", "40", "4.0000", "40", "40"],
            &["", "'=cmd|' /C calc'!A0", "", "", "100", "100"],
        ])
    );
    // In tkr every amount has two decimals, the fewest that show each exactly.
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--excel", "-u", "tkr"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        excel_rows(&run.bytes),
        strings(&[
            &["code", "region", "population", "share", "'-a", "total"],
            &["1000001", hyperlink, "500", "50,0000", "0,50", "0,50"],
            &["1000002", "'@SUM(A1)", "300", "30,0000", "0,30", "0,30"],
            &["1000003", "'+46 70 123", "100", "10,0000", "0,10", "0,10"],
            &["1000004", "'-2+3", "60", "6,0000", "0,06", "0,06"],
            &["1000005", "Vanlig enhet", "40", "4,0000", "0,04", "0,04"],
            &["", "'=cmd|' /C calc'!A0", "", "", "0,10", "0,10"],
        ])
    );
}

#[test]
fn check_csv_guards_text_cells_and_leaves_a_negative_difference_a_number() {
    let dir = temp_files(&[
        ("p.csv", FORMULA_POPULATION.as_bytes()),
        ("a.toml", FORMULA_AGREEMENT.as_bytes()),
        ("plan.toml", FORMULA_PLAN.as_bytes()),
    ]);
    let run = fordela_in(dir.path(), &["check", "plan.toml", "-a", "a.toml", "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[1][0], "'-a", "{}", run.stdout);
    assert_eq!(rows[2][0], "total", "{}", run.stdout);
    for row in &rows[1..] {
        // allocation 60, rounded 60, declared 50, interventions 50, difference −10: numbers.
        assert_eq!(row[1..6], ["60", "60", "50", "50", "-10"], "{}", run.stdout);
    }
    let run = fordela_in(dir.path(), &["check", "plan.toml", "-a", "a.toml", "-f", "excel"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = excel_rows(&run.bytes);
    assert_eq!(rows[1][0], "'-a", "{}", run.stdout);
    assert_eq!(rows[1][5], "-10", "{}", run.stdout);
    for row in &rows {
        for cell in [&row[0], &row[6], &row[7]] {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} in {}", run.stdout);
        }
    }
}

/// The fordela binary, run in `dir` with a memory cap, so that a run that reads without end
/// fails instead of taking the machine's memory.
fn capped(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fordela"));
    command.args(args).current_dir(dir).stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: 1 << 30, rlim_max: 1 << 30 };
            libc::setrlimit(libc::RLIMIT_AS, &raw const limit);
            Ok(())
        });
    }
    command
}

#[test]
fn an_endless_device_is_refused_promptly_as_any_input() {
    let dir = temp_files(&[("p.csv", FORMULA_POPULATION.as_bytes()), ("a.toml", FORMULA_AGREEMENT.as_bytes())]);
    for (args, stdin_from_zero) in [
        (&["allocate", "a.toml", "--population", "/dev/zero"][..], false),
        (&["allocate", "/dev/zero", "--population", "p.csv"], false),
        (&["check", "/dev/zero", "-a", "a.toml", "-r", "1000001", "-u", "kr"], false),
        (&["allocate", "a.toml", "--population", "-"], true),
    ] {
        let started = Instant::now();
        let mut command = capped(dir.path(), args);
        command.stdin(if stdin_from_zero { Stdio::from(fs::File::open("/dev/zero").unwrap()) } else { Stdio::null() });
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(stderr.contains("holds a NUL byte, so it is not a text file"), "{args:?}: {stderr}");
        assert!(started.elapsed() < Duration::from_secs(20), "{args:?} took {:?}", started.elapsed());
    }
}

#[test]
fn an_input_over_the_size_limit_is_refused_before_it_is_read_whole() {
    let dir = temp_files(&[("p.csv", FORMULA_POPULATION.as_bytes()), ("a.toml", FORMULA_AGREEMENT.as_bytes())]);
    // A stream of valid rows that never ends (the writer gives up after 64 MiB).
    let mut child = capped(dir.path(), &["allocate", "a.toml", "--population", "-", "--max-input-size", "1MiB"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut block = String::from("code,region,date,population\n");
        while block.len() < 1 << 16 {
            block.push_str("1000001,Enhet,2020-12-31,1\n");
        }
        for _ in 0..1024 {
            if stdin.write_all(block.as_bytes()).is_err() {
                return;
            }
        }
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr.trim_end(),
        "fordela: reading population: -: is larger than fordela's input limit of 1 MiB: check that this is the \
         file you meant, or raise the limit with --max-input-size (or FORDELA_MAX_INPUT), e.g. --max-input-size 4GiB"
    );

    // A regular file says its size, and the limit can come from the environment.
    let output = capped(dir.path(), &["allocate", "a.toml"]).env("FORDELA_MAX_INPUT", "100").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).lines().next().unwrap(),
        format!(
            "fordela: reading agreement: a.toml: is {} bytes, larger than fordela's input limit of 100 bytes: check \
             that this is the file you meant, or raise the limit with --max-input-size (or FORDELA_MAX_INPUT), e.g. \
             --max-input-size 4GiB",
            FORMULA_AGREEMENT.len()
        )
    );
    // At the limit exactly, the file is read.
    let limit = FORMULA_POPULATION.len().max(FORMULA_AGREEMENT.len()).to_string();
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--max-input-size", &limit], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn files_excel_cannot_save_as_text_are_named_for_what_they_are() {
    let dir = temp_files(&[
        ("a.toml", FORMULA_AGREEMENT.as_bytes()),
        ("utf16.csv", b"\xff\xfec\x00o\x00d\x00e\x00"),
        ("book.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"),
    ]);
    for (file, expected) in [
        ("utf16.csv", "is UTF-16 text (Excel's \"Unicode text\"): save it again as UTF-8"),
        ("book.xlsx", "is an Excel workbook (.xlsx) or another zip archive, not a text file"),
    ] {
        let run = fordela_in(dir.path(), &["allocate", "a.toml", "--population", file], None);
        assert_eq!(run.code, 2);
        assert!(run.stdout.is_empty());
        assert!(run.stderr.starts_with(&format!("fordela: reading population: {file}: {expected}")), "{}", run.stderr);
    }
}
