//! The CSV layer under every table input: an unclosed quote never swallows rows, a row with
//! fields missing or too many is named, with advice only where it is right (a decimal comma
//! split by the separator), Excel's `sep=` line is no row, old Mac line ends and a header
//! repeated mid-file give the right lines; and Windows-1252, as Swedish Excel saves "CSV
//! (semikolonavgränsad)", reads as its UTF-8 twin with a note. Every file is synthetic, written
//! by the test, or the real plan in `examples/` and SCB's figures bundled with fordela.

use crate::common;

use std::fmt::Write;

use common::{Run, fordela_in, temp_files};

/// `fordela ARGS` in a directory holding `files`.
fn run(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

/// `check NAME -r 23 -u mkr` on a plan with this text (the bundled agreement).
fn check(text: &str) -> Run {
    run(&[("plan.csv", text.as_bytes())], &["check", "plan.csv", "-r", "23", "-u", "mkr"])
}

#[test]
fn an_unclosed_quote_in_a_comment_cannot_swallow_the_next_row() {
    // The 5 mkr IT-stöd row would vanish into line 2's comment.
    let text = "Område;Insats;Belopp;Kommentar\nomstallning;Strategi;19,1;\"Fas 1 enligt plan\n\
                omstallning;IT-stöd;5;se \"bilaga 2\"\ntillganglighet;Väntetider;5,77;\n\
                patientkontrakt;Personcentrerad;5,77;\n";
    let message = common::refused(&check(text)).to_string();
    assert!(message.contains("plan.csv, line 2: field 4"), "{message}");
    assert!(message.contains("not closed"), "{message}");
    assert!(!message.contains("decimal comma"), "{message}");
}

#[test]
fn an_unclosed_quote_in_a_data_column_is_refused_at_the_line_it_opens() {
    // 10 mkr for `Nära vård-strategi` would vanish into the intervention's name.
    let text = "Område;Insats;Belopp\nomstallning;Strategi;1\nomstallning;\"Nära vård-strategi;10\n\
                omstallning;Projekt \"Zamsyn\";19,1\n";
    let message = common::refused(&check(text)).to_string();
    assert!(message.contains("plan.csv, line 3: field 2 (`Insats`)"), "{message}");
    assert!(message.contains("not closed"), "{message}");
    // Open at the file's end, the quote takes the rest of its row.
    let message =
        common::refused(&check("Område;Insats;Belopp\nomstallning;Strategi;1\nomstallning;\"Nära vård;10")).to_string();
    assert!(
        message.contains("plan.csv, line 3: this row has 2 fields, the header has 3: field 2 opens a quote"),
        "{message}"
    );
}

#[test]
fn an_unclosed_quote_in_a_population_name_cannot_swallow_a_municipality() {
    let text = "code,region,date,population\n2361,\"Härjedalen,2018-12-31,10318\n2380,Östersund\",2018-12-31,63226\n";
    let result = run(
        &[("p.csv", text.as_bytes())],
        &["allocate", "--population", "p.csv", "--population-date", "2018-12-31", "--allow-missing-regions"],
    );
    let message = common::refused(&result);
    assert!(message.contains("p.csv, line 2: field 2 (`region`)"), "{message}");
    assert!(message.contains("not closed"), "{message}");
}

#[test]
fn a_comment_over_two_lines_is_still_a_comment() {
    // An Excel cell with Alt+Enter: its second line holds no separator. The plan is read (a
    // verdict, not a refusal), the three areas' rows all in it.
    let text = "Område;Insats;Belopp;Kommentar\nomstallning;Strategi;19,10;\"Fas 1\nenligt plan\"\n\
                tillganglighet;Väntetider;5,77;\npatientkontrakt;Personcentrerad;5,77;\n";
    let result = run(&[("plan.csv", text.as_bytes())], &["check", "plan.csv", "-r", "23", "-u", "mkr", "-f", "csv"]);
    assert_ne!(result.code, 2, "{}", result.stderr);
    for area in ["omstallning", "tillganglighet", "patientkontrakt"] {
        assert!(result.stdout.contains(area), "{area}: {}", result.stdout);
    }
    assert!(!result.stdout.contains("area-missing"), "{}", result.stdout);
}

#[test]
fn a_short_row_in_a_semicolon_file_says_so_without_decimal_advice() {
    let message = common::refused(&check("Område;Insats;Belopp\nomstallning;Strategi\n")).to_string();
    assert!(message.ends_with("plan.csv, line 2: this row has 2 fields, the header has 3: every row needs a field for each column (an empty one is written `;;`), so a field is missing or two were joined"), "{message}");
    // Also in a `,` file: fewer fields cannot be a split decimal.
    let message = common::refused(&check("a,x,1\na,y\n")).to_string();
    assert!(message.contains("line 2: this row has 2 fields, the first row has 3"), "{message}");
    assert!(!message.contains("decimal comma"), "{message}");
}

#[test]
fn an_extra_number_after_a_population_is_an_unnamed_field_not_a_decimal() {
    let text = "code,region,date,population\n01,A,2020-12-31,5\n02,B,2020-12-31,7,1\n";
    let message =
        common::refused(&run(&[("p.csv", text.as_bytes())], &["allocate", "--population", "p.csv"])).to_string();
    assert!(message.contains("p.csv, line 3: field 5 (`1`) has no column header"), "{message}");
    assert!(!message.contains("decimal comma"), "{message}");
    // A plan's amount split by a `,` separator keeps its advice.
    let message = common::refused(&check("omstallning,Strategi,10,6\n")).to_string();
    assert!(message.contains("decimal comma"), "{message}");
}

#[test]
fn excel_sep_line_names_the_separator_and_is_not_a_row() {
    let plan = "sep=;\nOmråde;Insats;Belopp\nomstallning;Strategi;19,10\ntillganglighet;Väntetider;5,77\n\
                patientkontrakt;Personcentrerad;5,77\n";
    let result = check(plan);
    assert_ne!(result.code, 2, "{}", result.stderr);
    assert!(!result.stdout.contains("area-missing") && !result.stderr.contains("empty amount"), "{}", result.stdout);
    // Line numbers stay the file's own: the bad amount is on line 4.
    let bad = "sep=;\r\nOmråde;Insats;Belopp\r\nomstallning;Strategi;19,10\r\nomstallning;x;abc\r\n";
    let message = common::refused(&check(bad)).to_string();
    assert!(message.contains("plan.csv, line 4: field `amount`"), "{message}");
}

#[test]
fn old_mac_line_ends_give_the_right_lines() {
    let message =
        common::refused(&check("Område;Insats;Belopp\romstallning;Strategi;1\r\romstallning;x;abc\r")).to_string();
    assert!(message.contains("plan.csv, line 4: field `amount`"), "{message}");
    let text = "code;region;date;population\r01;A;2020-12-31;5\r02;B;2020-12-31;x\r";
    let message =
        common::refused(&run(&[("p.csv", text.as_bytes())], &["allocate", "--population", "p.csv"])).to_string();
    assert!(message.contains("p.csv, line 3: field `population`"), "{message}");
}

#[test]
fn a_header_repeated_mid_file_is_named_with_both_lines() {
    let text = "Område;Insats;Belopp\nomstallning;Strategi;19,1\nOmråde;Insats;Belopp\nomstallning;x;1\n";
    let message = common::refused(&check(text)).to_string();
    assert!(message.contains("plan.csv, line 3: this row repeats the header of line 1"), "{message}");
    // A headerless plan joined to one with a header.
    let message =
        common::refused(&check("omstallning;Strategi;19,1\nOmråde;Insats;Belopp\nomstallning;x;1\n")).to_string();
    assert!(message.contains("plan.csv, line 2: this row names the columns (`Område;Insats;Belopp`)"), "{message}");
    let text = "code,region,date,population\n01,A,2020-12-31,5\nCode,Region,Date,Population\n";
    let message =
        common::refused(&run(&[("p.csv", text.as_bytes())], &["allocate", "--population", "p.csv"])).to_string();
    assert!(message.contains("p.csv, line 3: this row repeats the header of line 1"), "{message}");
}

#[test]
fn a_split_decimal_under_a_header_is_counted_against_the_header() {
    let dir = temp_files(&[("plan.csv", b"area,intervention,amount\nomstallning,Strategi,10,6\n")]);
    let run = fordela_in(dir.path(), &["check", "plan.csv", "-r", "23", "-u", "mkr"], None);
    let stderr = common::refused(&run);
    assert!(stderr.contains("plan.csv, line 2: this row has 4 fields but the header has 3"), "{stderr}");
    assert!(stderr.contains("use `;` as separator or quote the number"), "{stderr}");
}

// Windows-1252, as Swedish Excel saves "CSV (semikolonavgränsad)", held to its UTF-8 twin.

const PLAN_CSV: &str = include_str!("../../examples/jamtland-harjedalen-2019.csv");

const CHECK: &[&str] = &["-r", "23", "-u", "mkr"];

/// Runs `args` with `file` written as `name` in a fresh directory.
fn run_with(name: &str, file: &[u8], args: &[&str]) -> Run {
    let dir = temp_files(&[(name, file)]);
    fordela_in(dir.path(), args, None)
}

/// `check` of the plan `name` holding `file`, its output with the file's name as the CSV's.
fn check_file(name: &str, file: &[u8], extra: &[&str]) -> Run {
    let mut args = vec!["check", name];
    args.extend_from_slice(CHECK);
    args.extend_from_slice(extra);
    let mut run = run_with(name, file, &args);
    run.stdout = run.stdout.replace(name, "plan.csv");
    // A sheet has rows where its CSV twin has lines: said so, then compared as the twin.
    if [".xlsx", ".ods", ".xls"].iter().any(|ext| name.ends_with(ext)) {
        assert!(!run.stdout.contains("(line "), "{}", run.stdout);
        run.stdout = run.stdout.replace(" (row ", " (line ");
    }
    run
}

/// The CSV twin's run: the reference every other form is held to.
fn check_csv(extra: &[&str]) -> Run {
    check_file("plan.csv", PLAN_CSV.as_bytes(), extra)
}

fn assert_same(run: &Run, twin: &Run) {
    assert_eq!(run.code, twin.code, "stderr: {}\ntwin's: {}", run.stderr, twin.stderr);
    assert_eq!(run.stdout, twin.stdout, "stderr: {}", run.stderr);
}

/// The bundled counties on 31 December 2018 and 2019: SCB's real figures.
fn counties() -> Vec<(String, String, u64, u64)> {
    let (y2018, y2019) = (common::bundled_counties("2018-12-31"), common::bundled_counties("2019-12-31"));
    y2018.into_iter().zip(y2019).map(|((code, name, a), (_, _, b))| (code, name, a, b)).collect()
}

/// The long CSV of both years (UTF-8): the twin of every population form below.
fn long_population() -> String {
    let mut text = String::from("code,region,date,population\n");
    for date in ["2018-12-31", "2019-12-31"] {
        for (code, name, a, b) in counties() {
            let value = if date.starts_with("2018") { a } else { b };
            let _ = writeln!(text, "{code},{name},{date},{value}");
        }
    }
    text
}

fn allocate(name: &str, file: &[u8], extra: &[&str]) -> Run {
    let mut args = vec!["allocate", "--population", name, "-f", "csv"];
    args.extend_from_slice(extra);
    run_with(name, file, &args)
}

/// `text` in Windows-1252, as Swedish Excel saves "CSV (semikolonavgränsad)".
fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn windows_1252_plans_and_populations_read_as_their_utf8_twins_with_a_note() {
    let plan = PLAN_CSV.trim_start_matches('\u{feff}');
    let bytes = windows_1252(plan);
    assert!(std::str::from_utf8(&bytes).is_err(), "å, ä, ö and `Totalt` rows in Windows-1252");
    let run = check_file("plan.csv", &bytes, &[]);
    assert_same(&run, &check_csv(&[]));
    assert!(run.stderr.contains("fordela: note: plan.csv is not UTF-8 and was read as Windows-1252"), "{}", run.stderr);

    let population = long_population().replace(',', ";");
    let run = allocate("pop.csv", &windows_1252(&population), &[]);
    assert_same(&run, &allocate("pop.csv", population.as_bytes(), &[]));
    assert!(run.stderr.contains("read as Windows-1252"), "{}", run.stderr);

    // Bytes Windows-1252 leaves undefined are neither: refused with their offset.
    for byte in [0x81_u8, 0x8d, 0x8f, 0x90, 0x9d] {
        let mut bytes = windows_1252("code;region;date;population\n01;Jämtland;2018-12-31;5\n");
        bytes.insert(33, byte);
        let run = allocate("pop.csv", &bytes, &[]);
        common::assert_refused(
            &run,
            &[
                &format!("pop.csv, line 2: is neither UTF-8 nor Windows-1252 (byte 0x{byte:02X} at offset 33"),
                "CSV UTF-8",
            ],
        );
    }
    // A UTF-8 file with one broken byte is not read as Windows-1252 (its å would become Ã¥).
    let mut bytes = "code;region;date;population\n01;Jämtland;2018-12-31;5\n".as_bytes().to_vec();
    bytes.push(0xe4);
    common::assert_refused(&allocate("pop.csv", &bytes, &[]), &["is not valid UTF-8 (byte 0xE4"]);
}
