//! SCB's PX-Web export of the population (`Folkmängd efter region och år`), as downloaded: a
//! title, the wide header of years, code and name in one cell, footer notes; as CSV (UTF-8 or
//! Windows-1252) or saved as a workbook. It reads as its long UTF-8 CSV twin (the same command
//! gives the same output) from SCB's real figures bundled with fordela, and only when its
//! title or header says the figures are the population.

use std::fmt::Write as _;

use rust_xlsxwriter::Workbook;

use crate::common::{self, Run, assert_refused, fordela, fordela_in, temp_files};

/// Runs `args` with `file` written as `name` in a fresh directory.
fn run_with(name: &str, file: &[u8], args: &[&str]) -> Run {
    let dir = temp_files(&[(name, file)]);
    fordela_in(dir.path(), args, None)
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

/// SCB's PX-Web export of both years, as downloaded: a title, the wide header, code and name in
/// one cell, footer notes; `;`-separated.
fn px_export_both_years() -> String {
    let mut text = String::from("\"Folkmängden efter region och år\"\r\n\r\n\"region\";\"2018\";\"2019\"\r\n");
    for (code, name, a, b) in counties() {
        let _ = write!(text, "\"{code} {name}\";{a};{b}\r\n");
    }
    text.push_str("\r\n\"Folkmängd efter region och år. 2018–2019\"\r\n\"Källa: SCB, tabell BE0101N1\"\r\n");
    text
}

#[test]
fn an_scb_px_web_export_reads_as_the_long_table() {
    let twin = allocate("pop.csv", long_population().as_bytes(), &[]);
    let export = px_export_both_years();
    for bytes in [export.as_bytes().to_vec(), windows_1252(&export)] {
        assert_same(&allocate("px.csv", &bytes, &[]), &twin);
        let run = allocate("px.csv", &bytes, &["--population-date", "2019-12-31"]);
        assert_same(&run, &allocate("pop.csv", long_population().as_bytes(), &["--population-date", "2019-12-31"]));
    }
    // A data row after the footer is not dropped; a header it does not know is an error.
    let late = format!("{export}\"26 Nytt län\";5;6\r\n");
    common::assert_refused(
        &allocate("px.csv", late.as_bytes(), &[]),
        &["px.csv, line 28: the row of `26 Nytt län` comes after the footer that begins on line 25"],
    );
    let odd = export.replace("\"2019\"", "\"2019 prel.\"");
    common::assert_refused(
        &allocate("px.csv", odd.as_bytes(), &[]),
        &["px.csv, line 3: field 3 of the header of SCB's export"],
    );
    // A region twice is a duplicate at the export's own lines; explain names the export's line.
    let twice = export.replace("\r\n\r\n\"Folk", "\r\n\"01 Stockholms län\";1;2\r\n\r\n\"Folk");
    common::assert_refused(
        &allocate("px.csv", twice.as_bytes(), &[]),
        &["px.csv, line 25: code `01` appears twice on 2018-12-31 (first on line 4)"],
    );
    let dir = temp_files(&[("px.csv", export.as_bytes())]);
    let run = fordela_in(dir.path(), &["explain", "23", "--population", "px.csv"], None);
    assert!(run.stdout.contains("(line 22 of the population file)"), "{}", run.stdout);
    // A figure that is no count is named at its line and field in the export.
    let bad = export.replace(";250497;", ";..;");
    common::assert_refused(&allocate("px.csv", bad.as_bytes(), &[]), &["px.csv, line 24: field 2:"]);
}

/// SCB's export downloaded as a workbook: the same layout in cells, the years as numbers.
fn px_workbook(bad: Option<&str>) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Folkmängden efter region och år").unwrap();
    sheet.write_string(2, 0, "region").unwrap();
    sheet.write_number(2, 1, 2018.0).unwrap();
    sheet.write_number(2, 2, 2019.0).unwrap();
    let mut row = 3;
    for (code, name, a, b) in counties() {
        sheet.write_string(row, 0, format!("{code} {name}")).unwrap();
        #[allow(clippy::cast_precision_loss)]
        let (a, b) = (a as f64, b as f64);
        match bad {
            Some(text) if row == 23 => sheet.write_string(row, 1, text).unwrap(),
            _ => sheet.write_number(row, 1, a).unwrap(),
        };
        sheet.write_number(row, 2, b).unwrap();
        row += 1;
    }
    sheet.write_string(row + 1, 0, "Källa: SCB").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn an_scb_export_saved_as_a_workbook_reads_as_the_long_table() {
    let twin = allocate("pop.csv", long_population().as_bytes(), &["--population-date", "2019-12-31"]);
    assert_same(&allocate("px.xlsx", &px_workbook(None), &["--population-date", "2019-12-31"]), &twin);
    // SCB's `..` (no figure) is named at its cell.
    let run = allocate("px.xlsx", &px_workbook(Some("..")), &[]);
    common::assert_refused(&run, &["px.xlsx, sheet Sheet1, cell B24: field `population`"]);
}

/// SCB's export layout with `title` above the header (none when empty), the bundled 2018
/// figures of the 21 counties.
fn px_export(title: &str) -> String {
    let mut text = String::new();
    if !title.is_empty() {
        let _ = write!(text, "\"{title}\"\r\n\r\n");
    }
    text.push_str("\"region\";\"2018\"\r\n");
    for (code, name, population) in common::bundled_counties("2018-12-31") {
        let _ = write!(text, "\"{code} {name}\";{population}\r\n");
    }
    text
}

fn allocate_with(name: &str, text: &str) -> common::Run {
    let dir = temp_files(&[(name, text.as_bytes())]);
    fordela_in(dir.path(), &["allocate", "--population", name, "--population-date", "2018", "-f", "csv"], None)
}

#[test]
fn a_px_web_export_is_read_only_when_it_says_it_is_the_population() {
    let long = fordela(&["allocate", "--population-date", "2018-12-31", "-f", "csv"]);
    assert_eq!(long.code, 0, "{}", long.stderr);
    for title in ["Folkmängden efter region och år", "Folkmängd efter region och år", "Population by region and year"]
    {
        let run = allocate_with("px.csv", &px_export(title));
        assert_eq!(run.code, 0, "{title}: {}", run.stderr);
        assert_eq!(run.stdout, long.stdout, "{title}");
    }
    // PX-Web's own header when the content is in the column: the header names it.
    let headed = px_export("").replace("\"2018\"", "\"Folkmängd 2018\"");
    assert_eq!(allocate_with("px.csv", &headed).stdout, long.stdout);
    // Same layout, other tables: births, the mean population, growth.
    for title in ["Levande födda efter region och år", "Medelfolkmängd efter region och år", "Folkökning efter region"]
    {
        let run = allocate_with("px.csv", &px_export(title));
        assert_refused(&run, &["px.csv, line 1: the title", title, "names another table than the population"]);
    }
    assert_refused(
        &allocate_with("px.csv", &px_export("Arbetslöshet efter region")),
        &["px.csv, line 1: the title `Arbetslöshet efter region` does not name the population"],
    );
    // No title: nothing says what the figures are.
    assert_refused(&allocate_with("px.csv", &px_export("")), &["px.csv, line 1: the export has no title line"]);
}
