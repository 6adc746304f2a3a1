//! One result, many renderings: every format of `allocate` shows the same rows and says the
//! same notes, and each command refuses, in its parser, a format it cannot write.

use crate::common;

use common::{csv_rows, fordela};
use fordela::core::amount::{NumberStyle, Scaled};

/// Notes the CSV cannot hold go to stderr: exactly those that are not the default, in words
/// the table uses too.
#[test]
fn csv_notes_on_stderr_are_the_tables_notes_that_need_saying() {
    let args = ["allocate", "--exclude", "23", "--method", "dhondt"];
    let csv = fordela(&[&args[..], &["-f", "csv"]].concat());
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let table = fordela(&args);
    let notes: Vec<&str> = csv.stderr.lines().map(|line| line.strip_prefix("fordela: note: ").unwrap()).collect();
    // Eligibility, the three areas (not split by largest remainder), the substituted date.
    assert_eq!(notes.len(), 5, "{}", csv.stderr);
    assert!(notes[0].starts_with("not eligible: 23 (excluded with --exclude)"), "{}", notes[0]);
    for (note, area) in notes[1..4].iter().zip(["omstallning", "tillganglighet", "patientkontrakt"]) {
        assert_eq!(*note, format!("area {area}: by population, D'Hondt"));
        assert!(table.stdout.contains(&format!("  {area}: ")), "{area}");
    }
    assert!(table.stdout.contains(&format!("Population: {}.", notes[4])), "{}", table.stdout);
    assert!(table.stdout.contains(&format!("Eligibility: {}.", notes[0])), "{}", table.stdout);
    // The table and the JSON have their notes in themselves.
    assert!(table.stderr.is_empty(), "{}", table.stderr);
    assert!(fordela(&[&args[..], &["-f", "json"]].concat()).stderr.is_empty());
    // A plain split of the bundled agreement says only its substituted date.
    assert_eq!(fordela(&["allocate", "-f", "csv"]).stderr.lines().count(), 1);
}

/// The rows of the table, the CSV and the JSON are the same rows: regions, then set-asides
/// (CSV and JSON have no total row; the JSON's totals are the table's total row).
#[test]
fn every_format_shows_the_same_rows() {
    let csv =
        csv_rows(&fordela(&["allocate", "--exclude", "01", "--exclusion-policy", "withhold", "-f", "csv"]).stdout);
    let json: serde_json::Value = serde_json::from_str(
        &fordela(&["allocate", "--exclude", "01", "--exclusion-policy", "withhold", "-f", "json"]).stdout,
    )
    .unwrap();
    let recipients = json["recipients"].as_array().unwrap();
    assert_eq!(csv.len() - 1, recipients.len());
    for (row, recipient) in csv[1..].iter().zip(recipients) {
        assert_eq!(row[1], recipient["name"].as_str().unwrap());
        assert_eq!(row.last().unwrap(), recipient["total"].as_str().unwrap());
    }
    assert_eq!(csv.last().unwrap()[1], "Withheld (not eligible)");
    let table = fordela(&["allocate", "--exclude", "01", "--exclusion-policy", "withhold", "-u", "kr"]).stdout;
    let total = json["totals"]["total"].as_str().unwrap().parse::<u128>().unwrap();
    let grouped = Scaled { mantissa: total, scale: 0 }.format(0, NumberStyle::SWEDISH);
    assert!(table.lines().any(|line| line.contains("Total") && line.contains(&grouped)), "{grouped}\n{table}");
}

#[test]
fn explain_takes_text_as_the_name_of_its_table() {
    let text = fordela(&["explain", "23", "-f", "text"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert_eq!(text.stdout, fordela(&["explain", "23", "-f", "table"]).stdout);
}

#[test]
fn an_unknown_format_is_a_usage_error_that_lists_the_commands_own_formats() {
    for (args, values) in [
        (&["explain", "23", "-f", "xml"][..], "[possible values: table, json, xlsx]"),
        (&["list", "-f", "xml"], "[possible values: table, json, xlsx]"),
        (&["check", "plan.toml", "-f", "xml"], "[possible values: table, csv, excel, json, xlsx]"),
        (&["allocate", "-f", "xml"], "[possible values: table, csv, excel, json, xlsx]"),
    ] {
        let run = fordela(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(values), "{args:?}: {}", run.stderr);
    }
}
