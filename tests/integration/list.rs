//! `fordela list`: the bundled agreements and population tables, in words and as JSON.

use crate::common::fordela;

#[test]
fn list_names_bundled_agreements_and_populations() {
    let run = fordela(&["list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("god-och-nara-vard-2019"));
    assert!(run.stdout.contains("2 430 mkr"));
    assert!(run.stdout.contains("2018-11-01 (figures of 2018-12-31 used)"));
    assert!(run.stdout.contains("11 dates, 2010-12-31 … 2020-12-31"));
    assert!(run.stdout.contains("scb-municipality-population-31dec-2017-2019"));
    assert!(run.stdout.contains("3 dates, 2017-12-31 … 2019-12-31"));
    assert!(run.stdout.contains("Statistics Sweden (SCB)"));
    let json: serde_json::Value = serde_json::from_str(&fordela(&["list", "-f", "json"]).stdout).unwrap();
    assert_eq!(json["populations"][0]["dates"].as_array().unwrap().len(), 11);
    assert_eq!(json["populations"][1]["recipients"], 290);
}
