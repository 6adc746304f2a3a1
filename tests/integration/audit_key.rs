//! `fordela audit` explaining a table: the date it is audited on when none is named, the
//! population key its amounts imply, the rounding rule that gives it, and `--column`. Tables are
//! built here, their expected figures computed here by plain integer arithmetic (largest
//! remainder and half up written out), never taken from fordela's output. Keys outside the
//! population file are synthetic: made-up numbers, not anyone's population.

use std::fmt::Write;

use crate::common::{self, bundled_counties};

/// `(code, name, population)` rows.
type Rows = Vec<(String, String, u128)>;

fn counties(date: &str) -> Rows {
    let rows: Rows =
        bundled_counties(date).into_iter().map(|(code, name, people)| (code, name, u128::from(people))).collect();
    assert_eq!(rows.len(), 21, "{date}");
    rows
}

fn weights(rows: &Rows) -> Vec<u128> {
    rows.iter().map(|row| row.2).collect()
}

/// Largest remainder by hand: floors, then one step each to the largest remainders (ties: the
/// larger weight, then the earlier row).
fn largest_remainder(total: u128, weights: &[u128]) -> Vec<u128> {
    let sum: u128 = weights.iter().sum();
    let mut amounts: Vec<u128> = weights.iter().map(|w| total * w / sum).collect();
    let left = total - amounts.iter().sum::<u128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (total * weights[a] % sum, total * weights[b] % sum);
        rb.cmp(&ra).then(weights[b].cmp(&weights[a])).then(a.cmp(&b))
    });
    for &row in order.iter().take(usize::try_from(left).unwrap()) {
        amounts[row] += 1;
    }
    amounts
}

/// A table `code;region;header` of `rows` with `amounts`.
fn table(header: &str, rows: &Rows, amounts: &[u128]) -> String {
    let mut text = format!("code;region;{header}\n");
    for (row, amount) in rows.iter().zip(amounts) {
        writeln!(text, "{};{};{amount}", row.0, row.1).unwrap();
    }
    text
}

fn audit(files: &[(&str, &[u8])], args: &[&str]) -> common::Run {
    let dir = common::temp_files(files);
    common::fordela_in(dir.path(), &[&["audit"], args].concat(), None)
}

fn json(run: &common::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("{err}: {}\n{}", run.stdout, run.stderr))
}

fn finding_ids(report: &serde_json::Value) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn with_no_date_named_a_table_of_31_december_2018_is_audited_there_and_is_consistent() {
    // As SKR's 2019 tables: 31 December 2018's counties, and no date on the page.
    let rows = counties("2018-12-31");
    let amounts = largest_remainder(937_000_000, &weights(&rows));
    let text = table("belopp", &rows, &amounts);
    let files = [("t.csv", text.as_bytes())];
    let run = audit(&files, &["t.csv", "--total", "937000000", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!((&report["population_date"], &report["best_date"]), (&"2018-12-31".into(), &"2018-12-31".into()));
    assert_eq!(report["date_choice"]["kind"], "best-fit");
    assert!(finding_ids(&report).is_empty(), "{report}");
    let run = audit(&files, &["t.csv", "--total", "937000000", "--unit", "kr"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("2018-12-31 (no date was named: the date of the file that fits the table best"),
        "{}",
        run.stdout
    );
    // Named, the date is audited, and the better one pointed to.
    let run =
        audit(&files, &["t.csv", "--total", "937000000", "--unit", "kr", "--population-date", "2020", "-f", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    assert_eq!(report["population_date"], "2020-12-31");
    assert!(finding_ids(&report).contains(&"audit-other-date-fits-better".to_string()));
}

/// A table of two grants side by side, as a ministry writes them, with its `Totalt` row and
/// column: `Befolkningsmängd (kr)` largest remainder of `first`, `Landsbygdssatsning (kr)` of
/// `second`, both on `rows`.
fn two_columns(rows: &Rows, first: u128, second: u128) -> (String, Vec<u128>, Vec<u128>) {
    let (a, b) = (largest_remainder(first, &weights(rows)), largest_remainder(second, &weights(rows)));
    let mut text = "Län;Befolkningsmängd (kr);Landsbygdssatsning (kr);Totalt (kr)\n".to_string();
    for ((row, x), y) in rows.iter().zip(&a).zip(&b) {
        writeln!(text, "{};{x};{y};{}", row.1, x + y).unwrap();
    }
    writeln!(text, "Totalt;{first};{second};{}", first + second).unwrap();
    (text, a, b)
}

#[test]
fn a_column_of_several_is_audited_by_name_against_its_total_row_or_the_total_given() {
    let rows = counties("2018-12-31");
    let (text, first, second) = two_columns(&rows, 937_000_000, 120_000_000);
    let files = [("t.csv", text.as_bytes())];
    // Its total from the table's own total row, its unit from its header.
    let run = audit(&files, &["t.csv", "--column", "Landsbygdssatsning", "-f", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(report["against"], serde_json::json!({ "kind": "total-row", "line": 23, "label": "Totalt" }));
    let column = &report["columns"][0];
    assert_eq!(
        (&column["id"], &column["total"]["numerator"]),
        (&"Landsbygdssatsning (kr)".into(), &120_000_000.into())
    );
    let published: Vec<u128> =
        column["rows"].as_array().unwrap().iter().map(|row| row["published"].as_u64().unwrap().into()).collect();
    assert_eq!(published, second);
    // The other column by its header as written, against a total given: one krona off.
    let run = audit(&files, &["t.csv", "--column", "Befolkningsmängd (kr)", "--total", "937000001", "-f", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    assert_eq!(finding_ids(&report), ["audit-total-mismatch"]);
    assert_eq!(report["columns"][0]["published_sum"], serde_json::json!(first.iter().sum::<u128>()));
    // In words: the total row named in the heading.
    let run = audit(&files, &["t.csv", "--column", "landsbygdssatsning"]);
    assert!(run.stdout.contains("against the table's total row (`Totalt`, line 23)"), "{}", run.stdout);
    // Unchosen, the table is refused with the way to choose; a name not in the header, and a
    // column with no total row and no --total, are refused with what to do.
    let run = audit(&files, &["t.csv", "--total", "937000000"]);
    common::assert_refused(&run, &["t.csv, line 1", "2 amount columns", "--column NAME"]);
    let run = audit(&files, &["t.csv", "--column", "Landsbygd"]);
    common::assert_refused(&run, &["t.csv, line 1", "no column `Landsbygd` (--column)"]);
    let no_total: String =
        text.lines().filter(|line| !line.starts_with("Totalt")).flat_map(|line| [line, "\n"]).collect();
    let run = audit(&[("t.csv", no_total.as_bytes())], &["t.csv", "--column", "Landsbygdssatsning"]);
    common::assert_refused(&run, &["t.csv: --column `Landsbygdssatsning` with no --total", "pass --total"]);
    let run = audit(&files, &["t.csv", "--column", "Landsbygdssatsning", "-a", "god-och-nara-vard-2019"]);
    common::assert_refused(&run, &["--column with --agreement", "--area"]);
}
