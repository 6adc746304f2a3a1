//! Targets a plan can state: one region's areas rounded to the plan's step so that they add up
//! to its rounded total (`allocate --region R --round STEP`, and `check`'s findings).

use fordela::core::apportion::round_row;
use proptest::prelude::*;

use crate::common::{csv_rows, fordela, fordela_in, temp_files};

/// Every way to round each cell down or up (a cell without remainder has one way): the least
/// sum of absolute changes among those that add up to `total`.
fn brute_force_best(cells: &[u128], step: u128, total: u128) -> Option<u128> {
    let mut best: Option<u128> = None;
    for choice in 0u32..(1 << cells.len()) {
        let mut sum = 0u128;
        let mut change = 0u128;
        let mut possible = true;
        for (bit, &cell) in cells.iter().enumerate() {
            let down = cell / step * step;
            let up = choice & (1 << bit) != 0;
            if up && cell % step == 0 {
                possible = false;
                break;
            }
            let value = if up { down + step } else { down };
            sum += value;
            change += value.abs_diff(cell);
        }
        if possible && sum == total {
            best = Some(best.map_or(change, |known| known.min(change)));
        }
    }
    best
}

proptest! {
    #[test]
    fn one_row_rounding_adds_up_and_is_as_close_as_any(
        cells in prop::collection::vec(0u128..5_000_000, 0..=8),
        step in 1u128..2_000_000,
    ) {
        let row = round_row(&cells, step).unwrap();
        let exact: u128 = cells.iter().sum();
        prop_assert_eq!(row.exact_total, exact);
        prop_assert_eq!(row.cells.iter().sum::<u128>(), row.total);
        // The total is the exact one rounded to the nearest step, half up.
        prop_assert_eq!(row.total % step, 0);
        prop_assert!(2 * exact.abs_diff(row.total) <= step);
        if 2 * (exact % step) == step {
            prop_assert!(row.total > exact);
        }
        for (&rounded, &cell) in row.cells.iter().zip(&cells) {
            prop_assert_eq!(rounded % step, 0);
            prop_assert!(rounded.abs_diff(cell) < step);
        }
        let change: u128 = row.cells.iter().zip(&cells).map(|(&rounded, &cell)| rounded.abs_diff(cell)).sum();
        prop_assert_eq!(Some(change), brute_force_best(&cells, step, row.total));
    }
}

/// Jämtland Härjedalen 2019 (code 23): 19,102294 + 5,768893 + 5,768893 = 30,640080 mkr. To
/// 0,1 mkr: the total is 30,6; rounded down the areas make 19,1 + 5,7 + 5,7 = 30,5, one step
/// short; the two 5,768893 are tied for it and the earlier area, `tillganglighet`, takes it.
#[test]
fn jamtland_targets_to_a_tenth_of_a_million_add_up_to_its_rounded_total() {
    let run = fordela(&["allocate", "--region", "23", "--round", "0.1mkr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (area, exact, target) in [
        ("omstallning", "19,102294", "19,1"),
        ("tillganglighet", "5,768893", "5,8"),
        ("patientkontrakt", "5,768893", "5,7"),
        ("total", "30,640080", "30,6"),
    ] {
        let line = run.stdout.lines().find(|line| line.contains(&format!(" {area} "))).unwrap();
        let cells: Vec<&str> = line.split(['│', '┆']).map(str::trim).filter(|cell| !cell.is_empty()).collect();
        assert_eq!(cells, [area, exact, target], "{}", run.stdout);
    }
    assert!(run.stdout.contains("states 19,1 + 5,8 + 5,7 = 30,6 mkr"), "{}", run.stdout);
    assert!(run.stdout.contains("the step went to the earlier: tillganglighet"), "{}", run.stdout);
}

#[test]
fn targets_in_csv_and_json_are_the_same_figures() {
    let run = fordela(&["allocate", "--region", "Jämtland Härjedalen", "--round", "0.1 MSEK", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    let figures: Vec<[&str; 3]> = rows.iter().map(|row| [row[0].as_str(), row[2].as_str(), row[3].as_str()]).collect();
    assert_eq!(
        figures,
        [
            ["area", "exact", "target"],
            ["omstallning", "19.102294", "19.1"],
            ["tillganglighet", "5.768893", "5.8"],
            ["patientkontrakt", "5.768893", "5.7"],
            ["total", "30.640080", "30.6"],
        ]
    );
    let run = fordela(&["allocate", "--region", "23", "--round", "100tkr", "-f", "json", "--unit", "kr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let targets: Vec<&str> = json["areas"].as_array().unwrap().iter().map(|a| a["target"].as_str().unwrap()).collect();
    assert_eq!(targets, ["19100000", "5800000", "5700000"]);
    assert_eq!(json["total"]["exact"], "30640080");
    assert_eq!(json["total"]["target"], "30600000");
    assert_eq!(json["step"], "100000");
    assert_eq!(json["unit"], "kr");
    // The population date used is said, as in every output: 31 December 2018 for 1 November.
    assert_eq!(json["population"]["date_used"], "2018-12-31");
    assert_eq!(json["population"]["agreement_date"], "2018-11-01");
    assert_eq!(json["tie"]["winners"][0], "tillganglighet");
}

#[test]
fn region_needs_round_and_a_known_region() {
    let run = fordela(&["allocate", "--region", "23"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--round"), "{}", run.stderr);
    let run = fordela(&["allocate", "--region", "Atlantis", "--round", "0.1mkr"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--region `Atlantis`"), "{}", run.stderr);
}

#[test]
fn without_region_round_is_still_the_whole_table() {
    let run = fordela(&["allocate", "--round", "0.1mkr", "--unit", "mkr", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    // The whole table's header and every region, not one region's targets.
    assert_eq!(rows[0][0], "code");
    assert_eq!(rows.iter().filter(|row| row[0].len() == 2 && row[0].bytes().all(|b| b.is_ascii_digit())).count(), 21);
}

/// A plan for region 23 to 0,1 mkr, with these area amounts and total.
fn jamtland_plan(omstallning: &str, tillganglighet: &str, patientkontrakt: &str, total: &str) -> String {
    format!(
        "region = \"23\"\nunit = \"mkr\"\ntotal = \"{total}\"\n\
         [[areas]]\nid = \"omstallning\"\namount = \"{omstallning}\"\n\
         [[areas]]\nid = \"tillganglighet\"\namount = \"{tillganglighet}\"\n\
         [[areas]]\nid = \"patientkontrakt\"\namount = \"{patientkontrakt}\"\n"
    )
}

fn findings(plan: &str) -> (i32, Vec<(String, String, String)>, serde_json::Value) {
    let dir = temp_files(&[("plan.toml", plan.as_bytes())]);
    let run = fordela_in(dir.path(), &["check", "plan.toml", "--strict", "-f", "json"], None);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    let text = |finding: &serde_json::Value, key: &str| finding[key].as_str().unwrap().to_string();
    let found = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| (text(finding, "id"), text(finding, "area"), text(finding, "message")))
        .collect();
    (run.code, found, json)
}

/// 5,7 is 0,068893 below 5,768893, beyond the ±0,05 a plan to 0,1 mkr is allowed: but it is
/// the area's target, so the plan that states every target has no finding, even with --strict.
#[test]
fn a_plan_that_states_the_targets_has_no_finding() {
    let (code, found, json) = findings(&jamtland_plan("19,1", "5,8", "5,7", "30,6"));
    assert_eq!((code, found), (0, vec![]));
    let targets: Vec<&str> =
        json["targets"]["areas"].as_array().unwrap().iter().map(|area| area["target"].as_str().unwrap()).collect();
    assert_eq!(targets, ["19.1", "5.8", "5.7"]);
    assert_eq!(json["targets"]["total"], "30.6");
    assert_eq!(json["targets"]["step"], "0.1");
}

/// 19,1 + 5,7 + 5,8 decides the tie the other way: as close to the exact amounts and adding up
/// to 30,6, so no finding either. 19,2 + 5,7 + 5,7 = 30,6 adds up too but is farther (0,1 mkr
/// moved to `omstallning`): `omstallning` is over and `tillganglighet` under beyond ±0,05;
/// `patientkontrakt` states its target, 5,7, and is no finding.
#[test]
fn the_equally_close_alternative_is_accepted_and_a_farther_one_is_not() {
    let (code, found, _) = findings(&jamtland_plan("19,1", "5,7", "5,8", "30,6"));
    assert_eq!((code, found), (0, vec![]));
    let (code, found, _) = findings(&jamtland_plan("19,2", "5,7", "5,7", "30,6"));
    assert_eq!(code, 1);
    let ids: Vec<(&str, &str)> = found.iter().map(|(id, area, _)| (id.as_str(), area.as_str())).collect();
    assert_eq!(ids, [("allocation-over", "omstallning"), ("allocation-under", "tillganglighet"),]);
    assert!(
        found[1].2.ends_with("write the plan's targets 19,1 / 5,8 / 5,7 mkr (5,8 mkr here), which add up to 30,6 mkr"),
        "{found:?}"
    );
}

/// Rounded one by one, 19,1 + 5,8 + 5,8 = 30,7: 0,059920 above 30,640080, the trap the targets
/// are for. The finding says what to write instead.
#[test]
fn amounts_rounded_one_by_one_overshoot_and_the_finding_names_the_targets() {
    let (code, found, _) = findings(&jamtland_plan("19,1", "5,8", "5,8", "30,7"));
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [(
            "allocation-over".to_string(),
            "total".to_string(),
            "the plan's total plans 30,7 mkr, 0,05992 mkr above the allocation of 30,64008 mkr (30,6 mkr to the \
             plan's precision; tolerance ±0,05 mkr); write 19,1 / 5,8 / 5,7 mkr: these targets add up to 30,6 mkr"
                .to_string()
        )]
    );
}

#[test]
fn the_example_plans_finding_names_the_targets() {
    let run = fordela(&["check", "examples/jamtland-harjedalen-2019.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "area `omstallning` plans 19 mkr, 0,102294 mkr below the allocation of 19,102294 mkr (19,1 mkr to the \
             plan's precision; tolerance ±0,05 mkr); write the plan's targets 19,1 / 5,8 / 5,7 mkr (19,1 mkr here), \
             which add up to 30,6 mkr"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_step_check_cannot_see_promises_no_plan() {
    // `check` knows a plan's precision from its decimals: a plan written to 0,5 mkr or to
    // 1 000 tkr is held to ±0,05 mkr or ±0,5 tkr, so these targets are not said to pass it.
    for args in [["--round", "0.5mkr", "-u", "mkr"], ["--round", "1mkr", "-u", "tkr"]] {
        let mut all = vec!["allocate", "--region", "23"];
        all.extend(args);
        let run = fordela(&all);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stdout.contains("adds up to what the region gets"), "{}", run.stdout);
        assert!(run.stdout.contains("`check` judges a plan by the decimals it is written with"), "{}", run.stdout);
    }
    // 0,5 mkr: 19,102294 → 19,0 (remainder 0,102294), 5,768893 → 5,5 twice (0,268893 each);
    // the total 30,640080 → 30,5, one step above 19,0 + 5,5 + 5,5 = 30,0: the earlier tie wins.
    let run = fordela(&["allocate", "--region", "23", "--round", "0.5mkr"]);
    assert!(run.stdout.contains("Together 19,0 + 6,0 + 5,5 = 30,5 mkr"), "{}", run.stdout);
}

#[test]
fn a_target_past_the_largest_showable_amount_is_refused_not_a_crash() {
    // 79·10²⁷ kr is about the most a 1 kr rounding unit can show exactly (96 bits, 7,92·10²⁸);
    // the one region gets all of it, which rounded half up to a step of 2·10²⁸ kr is 8·10²⁸ kr,
    // past that limit.
    let agreement = "name = \"T\"\nunit = \"kr\"\ntotal = \"79 000 000 000 000 000 000 000 000 000\"\n\
                     population_date = 2020-12-31\n[[areas]]\nid = \"a\"\n\
                     regions = \"79 000 000 000 000 000 000 000 000 000\"\n";
    let dir = crate::common::temp_files(&[
        ("a.toml", agreement.as_bytes()),
        ("p.csv", b"code,region,date,population\n1000001,A,2020-12-31,3\n"),
    ]);
    let run = crate::common::fordela_in(
        dir.path(),
        &[
            "allocate",
            "a.toml",
            "--population",
            "p.csv",
            "--region",
            "1000001",
            "--round",
            "20000000000000000000000000000kr",
        ],
        None,
    );
    crate::common::assert_refused(&run, &["the step is too large"]);
}

/// `--round 0.1mkr` alone shows the table in mkr, the unit its step is written in: the same
/// amounts as `-u kr` shows them, divided by a million, each with one decimal.
#[test]
fn a_rounded_table_is_shown_in_the_unit_of_its_step() {
    let tenths_of_mkr = fordela(&["allocate", "--round", "0.1mkr", "-f", "csv"]);
    let kronor_run = fordela(&["allocate", "--round", "0.1mkr", "-u", "kr", "-f", "csv"]);
    assert_eq!((tenths_of_mkr.code, kronor_run.code), (0, 0), "{}{}", tenths_of_mkr.stderr, kronor_run.stderr);
    let (mkr, kr) = (csv_rows(&tenths_of_mkr.stdout), csv_rows(&kronor_run.stdout));
    assert_eq!(mkr.len(), kr.len());
    assert_eq!(mkr[0], kr[0], "same header");
    for (shown, whole) in mkr.iter().zip(&kr).skip(1) {
        for (cell, kronor) in shown.iter().zip(whole).skip(4) {
            let (int, tenths) = cell.split_once('.').expect("one decimal in mkr");
            assert_eq!(tenths.len(), 1, "{cell}");
            let value: u128 = format!("{int}{tenths}").parse().unwrap();
            assert_eq!(value * 100_000, kronor.parse::<u128>().unwrap(), "{cell} mkr vs {kronor} kr");
        }
    }
}
