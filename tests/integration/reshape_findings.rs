//! `check` keeps an area's line and findings apart from the plan's total: the report names the
//! total by type, not by the word `total` (an agreement cannot call an area `total` any more:
//! that id is refused, as the name of an output column).
//!
//! Worked by hand: population 500 / 301 / 199 (tests/data/population-small.csv, 2020-12-31).
//! Area `stod`, 600 kr: quotas 300, 180,6, 119,4; floors 300 + 180 + 119 = 599, the last krona
//! to the largest remainder (Beta, 0,6): Beta gets 181. Area `b`, 400 kr: quotas 200, 120,4,
//! 79,6; the last krona to Gamma (0,6): Beta gets 120. Beta's total: 301 kr.
//!
//! Beta's plan, in whole kr (tolerance ±0,5 kr): area `stod` 190 (9 above 181: an error),
//! `b` 110 (10 below 120: a warning), total 300 = 190 + 110 (1 below 301: a warning). So the
//! area's line is an error and the plan's total only a warning.

use crate::common;

use common::{csv_rows, data, fordela_in, temp_files};

const AGREEMENT: &str = r#"name = "Totalstöd 2021"
unit = "kr"
total = 1000
population_date = 2020-12-31
[[areas]]
id = "stod"
name = "Totalt stöd"
regions = 600
[[areas]]
id = "b"
regions = 400
"#;

const PLAN: &str = r#"region = "02"
unit = "kr"
total = 300
[[areas]]
id = "stod"
amount = 190
interventions = [{ name = "X", amount = 190 }]
[[areas]]
id = "b"
amount = 110
interventions = [{ name = "Y", amount = 110 }]
"#;

fn check(format: &str) -> common::Run {
    let population = std::fs::read(data("population-small.csv")).unwrap();
    let dir = temp_files(&[
        ("agreement.toml", AGREEMENT.as_bytes()),
        ("plan.toml", PLAN.as_bytes()),
        ("population.csv", &population),
    ]);
    let args = ["check", "plan.toml", "-a", "agreement.toml", "--population", "population.csv", "-f", format];
    fordela_in(dir.path(), &args, None)
}

#[test]
fn an_area_has_its_own_line_and_findings_apart_from_the_total() {
    let run = check("json");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let area = &json["areas"][0];
    assert_eq!(area["area"], "stod");
    assert_eq!(area["allocation"], "181");
    assert_eq!(area["declared"], "190");
    assert_eq!(area["difference"], "9");
    assert_eq!(area["verdict"], "error");
    let total = &json["total"];
    assert_eq!(total["area"], "total");
    assert_eq!(total["allocation"], "301");
    assert_eq!(total["declared"], "300");
    assert_eq!(total["parts"], "300");
    assert_eq!(total["difference"], "-1");
    assert_eq!(total["verdict"], "warning");

    let findings: Vec<(&str, &str, u64, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap();
            (text("id"), text("area"), f["line"].as_u64().unwrap(), text("message"))
        })
        .collect();
    assert_eq!(
        findings,
        [
            (
                "allocation-over",
                "stod",
                6,
                "area `stod` plans 190 kr, 9 kr above the allocation of 181 kr (181 kr to the plan's precision; \
                 tolerance ±0,5 kr)"
            ),
            (
                "allocation-under",
                "b",
                10,
                "area `b` plans 110 kr, 10 kr below the allocation of 120 kr (120 kr to the plan's precision; \
                 tolerance ±0,5 kr)"
            ),
            (
                "allocation-under",
                "total",
                3,
                "the plan's total plans 300 kr, 1 kr below the allocation of 301 kr (301 kr to the plan's \
                 precision; tolerance ±0,5 kr)"
            ),
        ]
    );
    assert_eq!((json["errors"].as_u64(), json["warnings"].as_u64()), (Some(1), Some(2)));
}

#[test]
fn an_area_keeps_its_findings_apart_from_the_total_in_csv_and_table() {
    let run = check("csv");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    let expected = [
        "area,allocation,allocation_rounded,declared,interventions,difference,verdict,findings",
        // The area: only its own finding, its own verdict.
        "stod,181,181,190,190,9,error,allocation-over",
        "b,120,120,110,110,-10,warning,allocation-under",
        // The plan's total, last: only the total's findings.
        "total,301,301,300,300,-1,warning,allocation-under",
    ];
    let expected: Vec<Vec<String>> =
        expected.iter().map(|line| line.split(',').map(str::to_string).collect()).collect();
    assert_eq!(rows, expected);

    let table = check("table");
    assert!(
        table.stdout.contains("  error   allocation-over        stod (line 6): area `stod` plans 190 kr"),
        "{}",
        table.stdout
    );
    assert!(!table.stdout.contains("the plan's total plans 190 kr"), "{}", table.stdout);
}
