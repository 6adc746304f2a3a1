//! Defects an outside review found in the CSV layer: an unclosed quote swallowing rows, advice
//! given where it is wrong, Excel's `sep=` line, old Mac line ends, a header repeated mid-file,
//! and a recipient missing on the date read. Every file is synthetic, written by the test.

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

/// Jämtland's municipalities for 2017 and 2018 (synthetic figures), Östersund's 2018 row
/// dated `2018_osd`.
fn municipalities(osd_2018: &str) -> String {
    let names = [
        ("2303", "Ragunda"),
        ("2305", "Bräcke"),
        ("2309", "Krokom"),
        ("2313", "Strömsund"),
        ("2321", "Åre"),
        ("2326", "Berg"),
        ("2361", "Härjedalen"),
        ("2380", "Östersund"),
    ];
    let mut text = String::from("code,region,date,population\n");
    for (year, date) in [(0, "2017-12-31"), (1, "2018-12-31")] {
        for (index, (code, name)) in names.iter().enumerate() {
            let date = if *code == "2380" && year == 1 { osd_2018 } else { date };
            let _ = writeln!(text, "{code},{name},{date},{}", 1000 + 100 * index + year);
        }
    }
    text
}

const MUNICIPAL_AGREEMENT: &str =
    "name = \"M\"\nunit = \"kr\"\ntotal = 800\npopulation_date = 2018-12-31\n[[areas]]\nid = \"a\"\nregions = 800\n";

#[test]
fn a_recipient_missing_on_the_date_read_is_refused() {
    let population = municipalities("2018-12-30");
    let files: [(&str, &[u8]); 2] = [("m.toml", MUNICIPAL_AGREEMENT.as_bytes()), ("p.csv", population.as_bytes())];
    let message = common::refused(&run(&files, &["allocate", "m.toml", "--population", "p.csv"])).to_string();
    assert!(message.contains("lists 7 recipients on 2018-12-31 but 8 on 2017-12-31"), "{message}");
    // The odd date, and where it is: Östersund's 2018 row is line 17.
    assert!(message.contains("2018-12-30 has only 1 row (the first on line 17)"), "{message}");
    // The flag says the gap is meant: the seven share the 800 kr.
    let allowed = run(&files, &["allocate", "m.toml", "--population", "p.csv", "--allow-missing-regions"]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert!(!allowed.stdout.contains("Östersund"), "{}", allowed.stdout);
    // With every row dated right, no refusal.
    let population = municipalities("2018-12-31");
    let files: [(&str, &[u8]); 2] = [("m.toml", MUNICIPAL_AGREEMENT.as_bytes()), ("p.csv", population.as_bytes())];
    let whole = run(&files, &["allocate", "m.toml", "--population", "p.csv"]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert!(whole.stdout.contains("Östersund"), "{}", whole.stdout);
}
