//! Files and devices: text a spreadsheet would run as a formula, inputs that never end, and
//! what `--output` does to modes, links, devices, FIFOs and interrupted runs. The real binary;
//! the data are synthetic, the expected figures worked out by hand.
#![cfg(unix)]

mod common;

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
