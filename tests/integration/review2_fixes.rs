//! A second outside review's findings: a county's short name in an exclusion, lists of the
//! regions written the ways statistics downloads write them, and a tab-separated English plan.
//! Expected figures are computed here (largest remainder by hand) or taken from the bundled
//! data's own file, never from fordela's output.

use std::fmt::Write as _;

use crate::common::{self, csv_rows, fordela, fordela_in, temp_files};

const DATE: &str = "2018-12-31";

/// The `omstallning` column (1 500 000 000 kr) by code.
fn omstallning(run: &common::Run) -> Vec<(String, u128)> {
    let rows = csv_rows(&run.stdout);
    let column = rows[0].iter().position(|field| field == "omstallning").unwrap();
    rows[1..]
        .iter()
        .filter(|row| !row[0].is_empty())
        .map(|row| (row[0].clone(), row[column].parse().unwrap()))
        .collect()
}

#[test]
fn a_short_county_name_excludes_that_region() {
    // The six short names the review found ignored, and one that worked before.
    for (name, code) in [
        ("Jämtland", "23"),
        ("Kalmar", "08"),
        ("Västra Götaland", "14"),
        ("Södermanland", "04"),
        ("Jönköping", "06"),
        ("Örebro", "18"),
        ("Uppsala", "03"),
    ] {
        let run = fordela(&["allocate", "--exclude", name, "-f", "csv"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let column = omstallning(&run);
        assert_eq!(column.iter().find(|(c, _)| c == code).unwrap().1, 0, "{name} still paid");
        // Redistributed: the others share the whole area.
        assert_eq!(column.iter().map(|(_, units)| units).sum::<u128>(), 1_500_000_000, "{name}");
    }
    // `explain` and `check -r` find the row by the short name too.
    let run = fordela(&["explain", "Jämtland"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Jämtlands län (23) gets 30 640 080 kr"), "{}", run.stdout);
}

/// Writes row `i`'s code cell and name cell.
type WriteRow<'a> = dyn Fn(usize) -> (String, String) + 'a;

#[test]
fn lists_of_the_regions_written_by_statistics_downloads_are_checked_whole() {
    let rows = common::bundled_counties(DATE);
    let nuts = [
        "SE110", "SE121", "SE122", "SE123", "SE211", "SE212", "SE213", "SE214", "SE221", "SE224", "SE231", "SE232",
        "SE311", "SE124", "SE125", "SE312", "SE313", "SE321", "SE322", "SE331", "SE332",
    ];
    let letters =
        ["AB", "C", "D", "E", "F", "G", "H", "I", "K", "M", "N", "O", "S", "T", "U", "W", "X", "Y", "Z", "AC", "BD"];
    let stem = |county: &str| {
        let stem = county.strip_suffix(" län").unwrap();
        stem.strip_suffix('s').unwrap_or(stem).to_string()
    };
    // (description, code cell, name cell) for row `i`; Jämtland (the 19th row) is left out.
    let shapes: [(&str, Box<WriteRow>); 5] = [
        ("code and name in one cell", Box::new(|i| (format!("{} {}", rows[i].0, rows[i].1), String::new()))),
        ("name in the code column", Box::new(|i| (rows[i].1.clone(), String::new()))),
        ("NUTS codes, English names", Box::new(|i| (nuts[i].to_string(), format!("{} County", stem(&rows[i].1))))),
        (
            "county letters, English names",
            Box::new(|i| (letters[i].to_string(), format!("{} County", stem(&rows[i].1)))),
        ),
        ("NUTS codes, no name", Box::new(|i| (nuts[i].to_string(), String::new()))),
    ];
    for (shape, write) in &shapes {
        let mut text = String::from("code,region,date,population\n");
        for (i, row) in rows.iter().enumerate().filter(|(i, _)| *i != 18) {
            let (code, name) = write(i);
            let _ = writeln!(text, "\"{code}\",\"{name}\",{DATE},{}", row.2);
        }
        let dir = temp_files(&[("p.csv", text.as_bytes())]);
        let run = fordela_in(dir.path(), &["allocate", "--population", "p.csv", "-f", "csv"], None);
        let stderr = common::refused(&run);
        assert!(stderr.contains("p.csv, line 2"), "{shape}: {stderr}");
        assert!(stderr.contains("Stockholms län") && stderr.contains("01"), "{shape}: {stderr}");
    }
}

#[test]
fn a_tab_separated_english_plan_with_grouped_thousands_is_refused() {
    // Meant: 10 000 + 9 900 tkr for omstallning, far above Jämtland's 19 102,294 tkr. Read with
    // the comma as a decimal it would be 19,9 tkr: a plan a thousand times too small.
    let plan = "Area\tIntervention\tAmount\nomstallning\tA\t10,000\nomstallning\tB\t9,900\n\
                tillganglighet\tC\t5,800\npatientkontrakt\tD\t5,800\n";
    let dir = temp_files(&[("plan.txt", plan.as_bytes()), ("sep.txt", format!("sep=\t\n{plan}").as_bytes())]);
    for file in ["plan.txt", "sep.txt"] {
        let run = fordela_in(dir.path(), &["check", file, "-r", "23", "-u", "tkr"], None);
        let stderr = common::refused(&run);
        assert!(stderr.contains(&format!("{file}, line")) && stderr.contains("10,000"), "{stderr}");
    }
    // A tab-separated plan whose decimals are not groups of three still reads: 1,5 is 1,5.
    let plan = "omstallning\tA\t19102,3\ntillganglighet\tC\t5768,9\npatientkontrakt\tD\t5768,9\n";
    let dir = temp_files(&[("plan.txt", plan.as_bytes())]);
    let run = fordela_in(dir.path(), &["check", "plan.txt", "-r", "23", "-u", "tkr"], None);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
}

#[test]
fn an_area_name_with_a_non_breaking_space_is_that_area() {
    // The example plan's first area, its name pasted from a document with non-breaking spaces:
    // the same plan, so the same report as the plain one (one warning, exit 0).
    let plain =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/jamtland-harjedalen-2019.csv")).unwrap();
    let pasted = plain.replace("Omställning till god och nära vård", "Omställning\u{a0}till god\u{a0}och nära vård");
    assert_ne!(plain, pasted);
    let dir = temp_files(&[("plain.csv", plain.as_bytes()), ("pasted.csv", pasted.as_bytes())]);
    let run = |file: &str| fordela_in(dir.path(), &["check", file, "-r", "23", "-u", "mkr", "-f", "csv"], None);
    let (plain, pasted) = (run("plain.csv"), run("pasted.csv"));
    assert_eq!(pasted.code, 0, "{}", pasted.stderr);
    assert_eq!(pasted.stdout, plain.stdout);
}

#[test]
fn a_split_decimal_under_a_header_is_counted_against_the_header() {
    let dir = temp_files(&[("plan.csv", b"area,intervention,amount\nomstallning,Strategi,10,6\n")]);
    let run = fordela_in(dir.path(), &["check", "plan.csv", "-r", "23", "-u", "mkr"], None);
    let stderr = common::refused(&run);
    assert!(stderr.contains("plan.csv, line 2: this row has 4 fields but the header has 3"), "{stderr}");
    assert!(stderr.contains("use `;` as separator or quote the number"), "{stderr}");
}

#[test]
fn a_population_sum_row_labelled_with_a_colon_is_a_sum_row() {
    let rows = common::bundled_counties(DATE);
    let total: u64 = rows.iter().map(|row| row.2).sum();
    let mut text = String::from("code,region,date,population\n");
    for (code, name, population) in &rows {
        let _ = writeln!(text, "{code},{name},{DATE},{population}");
    }
    let plain = text.clone();
    let _ = writeln!(text, "Totalt:,,{DATE},{total}");
    let wrong = format!("{plain}Totalt:,,{DATE},{}\n", total + 1);
    let dir =
        temp_files(&[("p.csv", text.as_bytes()), ("plain.csv", plain.as_bytes()), ("wrong.csv", wrong.as_bytes())]);
    let run = |file: &str| fordela_in(dir.path(), &["allocate", "--population", file, "-f", "csv"], None);
    let (with_sum, without) = (run("p.csv"), run("plain.csv"));
    assert_eq!(with_sum.code, 0, "{}", with_sum.stderr);
    assert_eq!(with_sum.stdout, without.stdout);
    // A sum that disagrees with its rows is refused, as a `Totalt` row's is.
    common::refused(&run("wrong.csv"));
}
