//! `fordela diff`: revisions of Region Jämtland Härjedalen's real plan (examples/), with the
//! moves worked by hand here; and random plans with random moves within areas.

use std::fmt::Write;

use proptest::prelude::*;

use crate::common::{assert_refused, csv_rows, fordela_in, temp_files};

const PLAN: &str = include_str!("../../examples/jamtland-harjedalen-2019.csv");
const PLAN_TOML: &str = include_str!("../../examples/jamtland-harjedalen-2019.toml");

/// The plan with each `(from, to)` replaced once (each must be there).
fn revised(changes: &[(&str, &str)]) -> String {
    changes.iter().fold(PLAN.to_string(), |text, (from, to)| {
        assert!(text.contains(from), "{from}");
        text.replacen(from, to, 1)
    })
}

fn diff(old: &str, new: &str, args: &[&str]) -> crate::common::Run {
    let dir = temp_files(&[("old.csv", old.as_bytes()), ("new.csv", new.as_bytes())]);
    fordela_in(dir.path(), &[&["diff", "old.csv", "new.csv"], args].concat(), None)
}

fn json(run: &crate::common::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("{err}: {}", run.stdout))
}

/// (area, old, new, difference) of each area in a JSON report.
fn areas(document: &serde_json::Value) -> Vec<(String, String, String, String)> {
    document["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|area| {
            let text = |key: &str| area[key].as_str().unwrap_or("").to_string();
            (text("area"), text("old"), text("new"), text("difference"))
        })
        .collect()
}

#[test]
fn moving_two_tenths_within_tillganglighet_is_shown_and_passes() {
    // Utökade öppettider 1 → 0,8 and Förändrade arbetssätt 1,8 → 2,0: 0,2 mkr moved, the area
    // still 5,8.
    let new = revised(&[("Utökade öppettider;1", "Utökade öppettider;0,8"), ("arbetssätt;1,8", "arbetssätt;2,0")]);
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let rows = csv_rows(&run.stdout);
    let changed: Vec<&Vec<String>> =
        rows.iter().filter(|row| row[0] == "intervention" && row[2] != "unchanged").collect();
    assert_eq!(changed.len(), 2, "{rows:?}");
    assert_eq!(
        changed[0][1..],
        ["tillganglighet", "changed", "Utökade öppettider", "Utökade öppettider", "1.0", "0.8", "-0.2", ""]
    );
    assert_eq!(changed[1][5..], ["1.8", "2.0", "0.2", ""]);
    let area = rows.iter().find(|row| row[0] == "area" && row[1] == "tillganglighet").unwrap();
    assert_eq!(area[5..], ["5.8", "5.8", "0.0", ""]);
    let table = diff(PLAN, &new, &["--unit", "mkr"]);
    assert!(table.stdout.contains("No findings"), "{}", table.stdout);
}

#[test]
fn moving_money_across_areas_is_an_error_unless_allowed() {
    // 0,2 mkr from tillganglighet (Utökade öppettider 1 → 0,8; its total 5,8 → 5,6) to the first
    // area (Samverkan med kommunerna 1 → 1,2; its total 19 → 19,2); the plan's total stays 30,6.
    let new = revised(&[
        ("Utökade öppettider;1", "Utökade öppettider;0,8"),
        ("tillganglighet;Totalt;5,8", "tillganglighet;Totalt;5,6"),
        ("Samverkan med kommunerna;1", "Samverkan med kommunerna;1,2"),
        ("vård;Totalt;19", "vård;Totalt;19,2"),
    ]);
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let document = json(&run);
    let expected = [
        ("Omställning till god och nära vård", "19", "19.2", "0.2"),
        ("tillganglighet", "5.8", "5.6", "-0.2"),
        ("patientkontrakt", "5.8", "5.8", "0"),
    ]
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()));
    assert_eq!(areas(&document), expected);
    let ids: Vec<&str> = document["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["area-changed", "area-changed"]);
    assert_eq!(document["findings"][0]["severity"], "error");
    assert_eq!(document["total"]["difference"], "0");
    // Allowed: warnings, exit 0.
    let run = diff(PLAN, &new, &["--unit", "mkr", "--allow-between-areas"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("warning [area-changed]"), "{}", run.stdout);
    // A changed total is an error even then.
    let more = revised(&[
        ("Samverkan med kommunerna;1", "Samverkan med kommunerna;1,2"),
        ("vård;Totalt;19", "vård;Totalt;19,2"),
        ("Totalt;;30,6", "Totalt;;30,8"),
    ]);
    let run = diff(PLAN, &more, &["--unit", "mkr", "--allow-between-areas"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("error [total-changed] the plan's total changed from 30,6 mkr to 30,8 mkr (+0,2 mkr)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_rename_is_shown_as_a_rename() {
    let new = revised(&[("Zamsynsdagar 22-23 oktober", "Zamsyns-dagar 22-23 oktober")]);
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let document = json(&run);
    let renamed: Vec<&serde_json::Value> =
        document["interventions"].as_array().unwrap().iter().filter(|i| i["change"] != "unchanged").collect();
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0]["change"], "renamed");
    assert_eq!(renamed[0]["old_name"], "Zamsynsdagar 22-23 oktober");
    assert_eq!(renamed[0]["new_name"], "Zamsyns-dagar 22-23 oktober");
    assert_eq!(renamed[0]["difference"], "0");
    // A name that is not close to any is removed and added, not renamed.
    let new = revised(&[("Zamsynsdagar 22-23 oktober", "Personalkonferens")]);
    let document = json(&diff(PLAN, &new, &["--unit", "mkr", "-f", "json"]));
    let changes: Vec<&str> = document["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["change"].as_str().filter(|c| *c != "unchanged"))
        .collect();
    assert_eq!(changes, ["removed", "added"]);
}

#[test]
fn an_ambiguous_rename_is_removed_and_added_with_a_note() {
    let old = "area;intervention;amount\nx;Insats A;1\nx;Totalt;1\n";
    let new = "area;intervention;amount\nx;Insats B;0,5\nx;Insats C;0,5\nx;Totalt;1\n";
    let run = diff(old, new, &["--unit", "mkr"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("warning [rename-ambiguous]"), "{}", run.stdout);
    assert!(run.stdout.contains("removed") && run.stdout.contains("added"), "{}", run.stdout);
}

#[test]
fn a_new_version_that_no_longer_adds_up_gets_checks_findings() {
    // Utökade öppettider 1 → 0,8 but the area's sum row still says 5,8: 5,6 ≠ 5,8.
    let new = revised(&[("Utökade öppettider;1", "Utökade öppettider;0,8")]);
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "json"]);
    assert_eq!(run.code, 1);
    let document = json(&run);
    let finding = &document["findings"][0];
    assert_eq!(finding["id"], "total-row");
    assert!(
        finding["message"].as_str().unwrap().contains("add up to 5,6 mkr, but the sum row says 5,8 mkr"),
        "{finding}"
    );
    // The area's amount is its declared one: unchanged, so no area-changed.
    assert_eq!(document["findings"].as_array().unwrap().len(), 1);
}

#[test]
fn units_convert_exactly_and_must_be_known() {
    // The TOML plan in MSEK against the same plan as CSV in tkr (header): no change, in tkr.
    let tkr: String = PLAN
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(';').collect();
            match fields.as_slice() {
                ["Område", _, _] => "Område;Insats;Belopp (tkr)".to_string(),
                [area, name, amount] if !amount.is_empty() => {
                    let (whole, tenths) = amount.split_once(',').unwrap_or((amount, "0"));
                    let area = area.replace("Omställning till god och nära vård", "omstallning");
                    format!(
                        "{area};{name};{}",
                        whole.parse::<u64>().unwrap() * 1000 + tenths.parse::<u64>().unwrap() * 100
                    )
                }
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let dir = temp_files(&[("old.toml", PLAN_TOML.as_bytes()), ("new.csv", tkr.as_bytes())]);
    let run = fordela_in(dir.path(), &["diff", "old.toml", "new.csv", "-f", "json"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let document = json(&run);
    assert_eq!(document["unit"], "tkr");
    assert_eq!(document["total"]["old"], "30600");
    assert_eq!(document["total"]["new"], "30600");
    assert!(document["interventions"].as_array().unwrap().iter().all(|i| i["change"] == "unchanged"), "{document}");
    // A CSV plan that does not say its unit needs --unit; a TOML plan's own unit wins no argument.
    assert_refused(&diff(PLAN, PLAN, &[]), &["does not say its unit", "--unit"]);
    let dir = temp_files(&[("old.toml", PLAN_TOML.as_bytes()), ("new.csv", PLAN.as_bytes())]);
    let run = fordela_in(dir.path(), &["diff", "old.toml", "new.csv", "--unit", "tkr"], None);
    assert_refused(&run, &["old.toml", "says its unit is mkr", "--unit says tkr"]);
}

#[test]
fn every_format_and_atomic_output() {
    let new = revised(&[("Utökade öppettider;1", "Utökade öppettider;0,8"), ("arbetssätt;1,8", "arbetssätt;2,0")]);
    let dir = temp_files(&[("old.csv", PLAN.as_bytes()), ("new.csv", new.as_bytes())]);
    let run = fordela_in(
        dir.path(),
        &["diff", "old.csv", "new.csv", "--unit", "mkr", "--excel", "--lang", "sv", "-o", "d.csv"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let text = String::from_utf8(std::fs::read(dir.path().join("d.csv")).unwrap()).unwrap();
    assert!(text.starts_with("\u{feff}typ;område;ändring;"), "{text}");
    assert!(
        text.contains("\r\ninsats;tillganglighet;ändrad;Utökade öppettider;Utökade öppettider;1,0;0,8;-0,2;\r\n"),
        "{text}"
    );
    // The output may not overwrite an input.
    let run = fordela_in(dir.path(), &["diff", "old.csv", "new.csv", "--unit", "mkr", "-o", "new.csv"], None);
    assert_refused(&run, &["one of the inputs"]);
}

/// A random plan: areas of interventions with whole-krona amounts.
fn plans() -> impl Strategy<Value = Vec<Vec<u64>>> {
    prop::collection::vec(prop::collection::vec(1u64..1_000_000_000, 1..6), 1..5)
}

fn plan_csv(areas: &[Vec<u64>]) -> String {
    let mut text = String::from("area,intervention,amount\n");
    let mut total = 0;
    for (a, amounts) in areas.iter().enumerate() {
        for (i, amount) in amounts.iter().enumerate() {
            writeln!(text, "area {a},Insats {a}-{i},{amount}").unwrap();
        }
        let sum: u64 = amounts.iter().sum();
        total += sum;
        writeln!(text, "area {a},Totalt,{sum}").unwrap();
    }
    writeln!(text, "Totalt,,{total}").unwrap();
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Random moves within areas: diff reports exactly each intervention's net move, and every
    /// area and the total unchanged.
    #[test]
    fn moves_within_areas_are_reported_exactly(plan in plans(), moves in prop::collection::vec((0usize..5, 0usize..6, 0usize..6, 0u64..1_000_000_000), 0..6)) {
        let mut new = plan.clone();
        for (area, from, to, amount) in moves {
            let area = area % new.len();
            let count = new[area].len();
            let (from, to) = (from % count, to % count);
            let moved = amount % (new[area][from] + 1);
            new[area][from] -= moved;
            new[area][to] += moved;
        }
        let run = diff(&plan_csv(&plan), &plan_csv(&new), &["--unit", "kr", "-f", "json"]);
        // A moved-to-zero intervention is a warning (amount-zero), never an error.
        prop_assert_eq!(run.code, 0, "{}", run.stdout);
        let document = json(&run);
        for area in areas(&document) {
            prop_assert_eq!(&area.3, "0");
        }
        let interventions = document["interventions"].as_array().unwrap();
        let expected: Vec<(i128, &str)> = plan
            .iter()
            .zip(&new)
            .flat_map(|(old, new)| old.iter().zip(new))
            .map(|(&old, &new)| {
                let delta = i128::from(new) - i128::from(old);
                (delta, if delta == 0 { "unchanged" } else { "changed" })
            })
            .collect();
        prop_assert_eq!(interventions.len(), expected.len());
        for (intervention, (delta, change)) in interventions.iter().zip(expected) {
            prop_assert_eq!(intervention["difference"].as_str().unwrap(), delta.to_string());
            prop_assert_eq!(intervention["change"].as_str().unwrap(), change);
        }
        let errors = document["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").count();
        prop_assert_eq!(errors, 0);
    }
}

#[test]
fn with_an_agreement_areas_match_by_id_or_name() {
    let dir = temp_files(&[("old.toml", PLAN_TOML.as_bytes()), ("new.csv", PLAN.as_bytes())]);
    // The TOML plan names `omstallning`, the CSV plan the area's full name.
    let run =
        fordela_in(dir.path(), &["diff", "old.toml", "new.csv", "--unit", "mkr", "-a", "god-och-nara-vard-2019"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("No intervention changed."), "{}", run.stdout);
    // Without it, the names differ: said, with what to do.
    let run = fordela_in(dir.path(), &["diff", "old.toml", "new.csv", "--unit", "mkr"], None);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("only the old version has this area"), "{}", run.stdout);
    assert!(run.stdout.contains("pass --agreement"), "{}", run.stdout);
    // An area the agreement does not have is refused, as `check` refuses it.
    let typo = PLAN.replacen("tillganglighet;", "tillganglihet;", 1);
    std::fs::write(dir.path().join("typo.csv"), typo).unwrap();
    let run = fordela_in(
        dir.path(),
        &["diff", "old.toml", "typo.csv", "--unit", "mkr", "-a", "god-och-nara-vard-2019"],
        None,
    );
    assert_refused(&run, &["typo.csv", "`tillganglihet`", "did you mean `tillganglighet`?"]);
}

#[test]
fn an_intervention_moved_to_another_area_is_one_move() {
    // Utökade öppettider (1 mkr) from tillganglighet (5,8 → 4,8) to patientkontrakt (5,8 → 6,8).
    let new = revised(&[
        ("tillganglighet;Utökade öppettider;1\r\n", ""),
        ("tillganglighet;Totalt;5,8", "tillganglighet;Totalt;4,8"),
        (
            "patientkontrakt;Personcentrerad vård;1\r\n",
            "patientkontrakt;Personcentrerad vård;1\r\npatientkontrakt;Utökade öppettider;1\r\n",
        ),
        ("patientkontrakt;Totalt;5,8", "patientkontrakt;Totalt;6,8"),
    ]);
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let document = json(&run);
    let changed: Vec<&serde_json::Value> =
        document["interventions"].as_array().unwrap().iter().filter(|i| i["change"] != "unchanged").collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["change"], "moved");
    assert_eq!(changed[0]["old_area"], "tillganglighet");
    assert_eq!(changed[0]["area"], "patientkontrakt");
    assert_eq!(changed[0]["difference"], "0");
    let differences: Vec<String> = areas(&document).into_iter().map(|area| area.3).collect();
    assert_eq!(differences, ["0", "-1", "1"]);
}

#[test]
fn the_example_revision_is_what_its_sidecar_says() {
    let run = crate::common::fordela(&[
        "diff",
        "examples/jamtland-harjedalen-2019.csv",
        "examples/jamtland-harjedalen-2019-revision.csv",
        "--unit",
        "mkr",
        "-f",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let document = json(&run);
    let changed: Vec<(&str, &str)> = document["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["change"] != "unchanged")
        .map(|i| (i["change"].as_str().unwrap(), i["difference"].as_str().unwrap()))
        .collect();
    assert_eq!(changed, [("renamed", "0"), ("changed", "-0.2"), ("changed", "0.2")]);
}

#[test]
fn hostile_versions_are_refused_with_nothing_on_stdout() {
    let extra = "area;intervention;amount;moms\nx;a;1;25\n";
    assert_refused(&diff(PLAN, extra, &["--unit", "mkr"]), &["new.csv", "moms"]);
    let huge = "area;intervention;amount\nx;a;12345678901234567890123\n";
    assert_refused(&diff(huge, PLAN, &["--unit", "mkr"]), &["old.csv", "line 2"]);
    let dir = temp_files(&[("old.csv", PLAN.as_bytes())]);
    assert_refused(
        &fordela_in(dir.path(), &["diff", "old.csv", "missing.csv", "--unit", "mkr"], None),
        &["missing.csv"],
    );
    assert_refused(&fordela_in(dir.path(), &["diff", "-", "-", "--unit", "mkr"], Some(PLAN.as_bytes())), &["stdin"]);
    // In CSV, the findings go to stderr and the exit code still says so.
    let new = revised(&[("Utökade öppettider;1", "Utökade öppettider;0,8")]);
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "csv"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("fordela: error [total-row]"), "{}", run.stderr);
}

/// The findings in Swedish: the same ids, figures and exit code, Swedish words.
#[test]
fn a_move_across_areas_is_worded_in_swedish_with_the_same_id_and_figures() {
    let new = revised(&[
        ("Utökade öppettider;1", "Utökade öppettider;0,8"),
        ("tillganglighet;Totalt;5,8", "tillganglighet;Totalt;5,6"),
        ("Samverkan med kommunerna;1", "Samverkan med kommunerna;1,2"),
        ("vård;Totalt;19", "vård;Totalt;19,2"),
    ]);
    let run = diff(PLAN, &new, &["--unit", "mkr", "--lang", "sv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "fel [area-changed] området `tillganglighet` ändrades från 5,8 mkr till 5,6 mkr (-0,2 mkr): pengar \
             flyttade mellan områden; ange --allow-between-areas om det är avsikten"
        ),
        "{}",
        run.stdout
    );
    let (mut sv, mut en) = (
        json(&diff(PLAN, &new, &["--unit", "mkr", "--lang", "sv", "-f", "json"])),
        json(&diff(PLAN, &new, &["--unit", "mkr", "--lang", "en", "-f", "json"])),
    );
    for document in [&mut sv, &mut en] {
        for finding in document["findings"].as_array_mut().unwrap() {
            finding["message"].take();
        }
    }
    assert_eq!(sv, en, "only the messages differ");
}
