//! A real published distribution table (SKR, kvinnors hälsa 2020, `data/tables/`) audited
//! against SCB's bundled county figures; the expectation is worked out here from the raw
//! figures, by exact integer arithmetic.

use crate::common::{bundled_counties, fordela};

const TABLE: &str = "data/tables/skr-kvinnors-halsa-2020.csv";
const TOTAL: u128 = 937_000_000;

/// The published amounts in the file's order (the regions' codes in code order, as SKR lists
/// them), read from the file by hand here: `name;amount` with spaces between thousands.
fn published() -> Vec<u128> {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE)).unwrap();
    let amounts: Vec<u128> = text
        .lines()
        .skip(1)
        .filter(|line| !line.starts_with("Totalt"))
        .map(|line| line.split(';').nth(1).unwrap().replace(' ', "").parse().unwrap())
        .collect();
    assert_eq!(amounts.iter().sum::<u128>(), TOTAL, "the table adds up to its Totalt row");
    amounts
}

/// Which rows are their exact quota (total × population / sum) rounded down or up, on `date`.
fn valid_roundings(date: &str) -> Vec<bool> {
    let counties = bundled_counties(date);
    let sum: u128 = counties.iter().map(|(_, _, population)| u128::from(*population)).sum();
    counties
        .iter()
        .zip(published())
        .map(|((_, _, population), amount)| {
            let product = TOTAL * u128::from(*population);
            let floor = product / sum;
            amount == floor || (product % sum != 0 && amount == floor + 1)
        })
        .collect()
}

#[test]
fn skr_s_2020_table_was_computed_from_31_december_2018_figures_with_two_rows_a_krona_off() {
    let on_2018 = valid_roundings("2018-12-31");
    let off: Vec<usize> = on_2018.iter().enumerate().filter(|(_, valid)| !**valid).map(|(i, _)| i).collect();
    // Skåne (12) and Västernorrland (22): the 10th and 18th region in code order.
    assert_eq!(off, [9, 17]);
    for date in ["2017-12-31", "2019-12-31", "2020-12-31"] {
        assert!(valid_roundings(date).iter().all(|valid| !valid), "{date}");
    }

    let run = fordela(&["audit", TABLE, "--total", "937000000", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["best_date"], "2018-12-31");
    let date = report["dates"].as_array().unwrap().iter().find(|date| date["date"] == "2018-12-31").unwrap();
    assert_eq!(date["valid_roundings"], 19, "{date}");
    let flagged: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["id"] == "audit-not-a-rounding")
        .map(|finding| finding["name"].as_str().unwrap())
        .collect();
    // Audited on the file's latest date (2020), every row is off; on 2018 only the two.
    assert_eq!(flagged.len(), 21);
    let on_its_date = fordela(&[
        "audit",
        TABLE,
        "--total",
        "937000000",
        "--unit",
        "kr",
        "--population-date",
        "2018-12-31",
        "-f",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&on_its_date.stdout).unwrap();
    let flagged: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["id"] == "audit-not-a-rounding")
        .map(|finding| finding["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(flagged, ["Skåne län", "Västernorrlands län"]);
}
