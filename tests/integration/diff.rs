//! `fordela diff`: revisions of Region Jämtland Härjedalen's real plan (examples/), with the
//! moves worked by hand here; and random plans with random moves within areas. A move across
//! areas is money moved even when the areas' amounts stay the same; two regions' plans are not
//! compared; the old version gets the same checks as the new; names differing in case or
//! spacing are one name; comment columns are shown with their rows.

use std::fmt::Write;

use proptest::prelude::*;

use crate::common::{Run, assert_refused, csv_rows, fordela_in, temp_files};

const PLAN: &str = include_str!("../../examples/jamtland-harjedalen-2019.csv");
const PLAN_TOML: &str = include_str!("../../examples/jamtland-harjedalen-2019.toml");

/// `text` with each `(from, to)` replaced once (each must be there).
fn revised(text: &str, changes: &[(&str, &str)]) -> String {
    changes.iter().fold(text.to_string(), |text, (from, to)| {
        assert!(text.contains(from), "{from}");
        text.replacen(from, to, 1)
    })
}

fn diff(old: &str, new: &str, args: &[&str]) -> crate::common::Run {
    let dir = temp_files(&[("old.csv", old.as_bytes()), ("new.csv", new.as_bytes())]);
    fordela_in(dir.path(), &[&["diff", "old.csv", "new.csv"], args].concat(), None)
}

fn diff_files(old: (&str, &str), new: (&str, &str), args: &[&str]) -> crate::common::Run {
    let dir = temp_files(&[(old.0, old.1.as_bytes()), (new.0, new.1.as_bytes())]);
    fordela_in(dir.path(), &[&["diff", old.0, new.0], args].concat(), None)
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

/// (severity, id, message) of each finding in a JSON report.
fn findings(document: &serde_json::Value) -> Vec<(String, String, String)> {
    document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            let text = |key: &str| finding[key].as_str().unwrap_or("").to_string();
            (text("severity"), text("id"), text("message"))
        })
        .collect()
}

/// The review's revision: Samverkan med kommunerna (1 mkr) moves from omställning to
/// tillgänglighet, Förändrade arbetssätt is cut 1,8 → 0,8 to make room, and a new 1 mkr
/// intervention fills omställning again. Omställning: 10 + 1 + 5 + 2 + 1 = 19 before and after;
/// tillgänglighet: 1 + 2 + 1 + 1,8 = 5,8 before, 1 + 2 + 1 + 0,8 + 1 = 5,8 after. No area's
/// amount changes, yet 1 mkr of omställning's money is now spent in tillgänglighet.
fn moved_with_totals_kept() -> String {
    revised(
        PLAN,
        &[
            (
                "Omställning till god och nära vård;Samverkan med kommunerna;1",
                "Omställning till god och nära vård;Ny insats för kommunerna;1",
            ),
            (
                "tillganglighet;Förändrade arbetssätt;1,8",
                "tillganglighet;Förändrade arbetssätt;0,8\r\ntillganglighet;Samverkan med kommunerna;1",
            ),
        ],
    )
}

#[test]
fn moving_two_tenths_within_tillganglighet_is_shown_and_passes() {
    // Utökade öppettider 1 → 0,8 and Förändrade arbetssätt 1,8 → 2,0: 0,2 mkr moved, the area
    // still 5,8.
    let new =
        revised(PLAN, &[("Utökade öppettider;1", "Utökade öppettider;0,8"), ("arbetssätt;1,8", "arbetssätt;2,0")]);
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
    let new = revised(
        PLAN,
        &[
            ("Utökade öppettider;1", "Utökade öppettider;0,8"),
            ("tillganglighet;Totalt;5,8", "tillganglighet;Totalt;5,6"),
            ("Samverkan med kommunerna;1", "Samverkan med kommunerna;1,2"),
            ("vård;Totalt;19", "vård;Totalt;19,2"),
        ],
    );
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
    let more = revised(
        PLAN,
        &[
            ("Samverkan med kommunerna;1", "Samverkan med kommunerna;1,2"),
            ("vård;Totalt;19", "vård;Totalt;19,2"),
            ("Totalt;;30,6", "Totalt;;30,8"),
        ],
    );
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
    let new = revised(PLAN, &[("Zamsynsdagar 22-23 oktober", "Zamsyns-dagar 22-23 oktober")]);
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
    let new = revised(PLAN, &[("Zamsynsdagar 22-23 oktober", "Personalkonferens")]);
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
    let new = revised(PLAN, &[("Utökade öppettider;1", "Utökade öppettider;0,8")]);
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
    let new =
        revised(PLAN, &[("Utökade öppettider;1", "Utökade öppettider;0,8"), ("arbetssätt;1,8", "arbetssätt;2,0")]);
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
    let new = revised(
        PLAN,
        &[
            ("tillganglighet;Utökade öppettider;1\r\n", ""),
            ("tillganglighet;Totalt;5,8", "tillganglighet;Totalt;4,8"),
            (
                "patientkontrakt;Personcentrerad vård;1\r\n",
                "patientkontrakt;Personcentrerad vård;1\r\npatientkontrakt;Utökade öppettider;1\r\n",
            ),
            ("patientkontrakt;Totalt;5,8", "patientkontrakt;Totalt;6,8"),
        ],
    );
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
    let new = revised(PLAN, &[("Utökade öppettider;1", "Utökade öppettider;0,8")]);
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "csv"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("fordela: error [total-row]"), "{}", run.stderr);
}

/// The findings in Swedish: the same ids, figures and exit code, Swedish words.
#[test]
fn a_move_across_areas_is_worded_in_swedish_with_the_same_id_and_figures() {
    let new = revised(
        PLAN,
        &[
            ("Utökade öppettider;1", "Utökade öppettider;0,8"),
            ("tillganglighet;Totalt;5,8", "tillganglighet;Totalt;5,6"),
            ("Samverkan med kommunerna;1", "Samverkan med kommunerna;1,2"),
            ("vård;Totalt;19", "vård;Totalt;19,2"),
        ],
    );
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

#[test]
fn a_move_across_areas_is_an_error_even_when_area_totals_are_unchanged() {
    let new = moved_with_totals_kept();
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let document = json(&run);
    let differences: Vec<&str> =
        document["areas"].as_array().unwrap().iter().map(|area| area["difference"].as_str().unwrap()).collect();
    assert_eq!(differences, ["0", "0", "0"], "no area's amount changed");
    let found = findings(&document);
    assert_eq!(found.len(), 1, "{found:?}");
    let (severity, id, message) = &found[0];
    assert_eq!((severity.as_str(), id.as_str()), ("error", "moved-between-areas"));
    for needle in [
        "`Samverkan med kommunerna`",
        "`Omställning till god och nära vård`",
        "`tillganglighet`",
        "--allow-between-areas",
    ] {
        assert!(message.contains(needle), "`{needle}` not in {message}");
    }

    // Allowed: the same finding, a warning; exit 0.
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "json", "--allow-between-areas"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let found = findings(&json(&run));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("warning", "moved-between-areas"));

    // The CSV says it on stderr, and the table under its findings.
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "csv"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error [moved-between-areas]"), "{}", run.stderr);
    let run = diff(PLAN, &new, &["--unit", "mkr", "--lang", "sv"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("insatsen `Samverkan med kommunerna` flyttades"), "{}", run.stdout);
}

#[test]
fn a_move_with_a_new_name_is_still_a_move() {
    // As the review's revision, the moved intervention also renamed on the way (`Samverkan med
    // kommunerna` → `Samverkan med kommunen`: two letters of 24 deleted, similarity
    // 1 − 2/24 ≈ 0,92): still money moved across areas.
    let new = moved_with_totals_kept()
        .replace("tillganglighet;Samverkan med kommunerna;1", "tillganglighet;Samverkan med kommunen;1");
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let document = json(&run);
    let moved: Vec<&serde_json::Value> =
        document["interventions"].as_array().unwrap().iter().filter(|i| i["change"] == "moved").collect();
    assert_eq!(moved.len(), 1, "{}", run.stdout);
    assert_eq!(moved[0]["old_name"], "Samverkan med kommunerna");
    assert_eq!(moved[0]["new_name"], "Samverkan med kommunen");
    assert_eq!(moved[0]["old_area"], "Omställning till god och nära vård");
    assert_eq!(moved[0]["area"], "tillganglighet");
    let found = findings(&document);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "moved-between-areas");
    // A name unlike any removed one is an addition, not a move: no finding beyond the areas'.
    let unlike = moved_with_totals_kept()
        .replace("tillganglighet;Samverkan med kommunerna;1", "tillganglighet;Digital tolkning;1");
    let run = diff(PLAN, &unlike, &["--unit", "mkr", "-f", "json"]);
    let document = json(&run);
    assert!(document["interventions"].as_array().unwrap().iter().all(|i| i["change"] != "moved"));
}

#[test]
fn two_regions_plans_are_not_compared() {
    // The example names `Region Jämtland Härjedalen` (23); Västerbotten is 24.
    let other = revised(PLAN_TOML, &[("region = \"Region Jämtland Härjedalen\"", "region = \"24\"")]);
    let run = diff_files(("old.toml", PLAN_TOML), ("new.toml", &other), &[]);
    assert_refused(
        &run,
        &["old.toml", "new.toml", "`Region Jämtland Härjedalen` (23 Jämtlands län)", "`24` (24 Västerbottens län)"],
    );
    // Either way round.
    let run = diff_files(("old.toml", &other), ("new.toml", PLAN_TOML), &[]);
    assert_refused(&run, &["`24`"]);
    // One region written three ways is one region: no finding, exit 0.
    for same in ["23", "Jämtlands län", "jämtland", "Region  jämtland härjedalen"] {
        let written =
            revised(PLAN_TOML, &[("region = \"Region Jämtland Härjedalen\"", &format!("region = \"{same}\""))]);
        let run = diff_files(("old.toml", PLAN_TOML), ("new.toml", &written), &[]);
        assert_eq!(run.code, 0, "{same}: {}{}", run.stdout, run.stderr);
    }
    // A region fordela does not know is compared as written.
    let unknown = |name: &str| {
        revised(PLAN_TOML, &[("region = \"Region Jämtland Härjedalen\"", &format!("region = \"{name}\""))])
    };
    let run = diff_files(("old.toml", &unknown("Gotlandia")), ("new.toml", &unknown("gotlandia")), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = diff_files(("old.toml", &unknown("Gotlandia")), ("new.toml", &unknown("Atlantis")), &[]);
    assert_refused(&run, &["`Gotlandia`", "`Atlantis`"]);
    // A CSV plan names no region: compared with any.
    let run = diff_files(("old.toml", &other), ("new.csv", PLAN), &["--unit", "mkr", "-a", "god-och-nara-vard-2019"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn the_old_version_gets_the_new_versions_checks() {
    // Old: `A` twice (1 and 2); new: `A` once (3). Without the check the diff reads "A
    // changed 1 → 3, A removed 2" and passes.
    let old = "område;insats;belopp\nx;A;1\nx;A;2\n";
    let new = "område;insats;belopp\nx;A;3\n";
    let run = diff(old, new, &["--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let found = findings(&json(&run));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("error", "intervention-duplicate"));
    assert!(found[0].2.starts_with("old version: "), "{}", found[0].2);
    assert_eq!(json(&run)["findings"][0]["version"], "old");
    // The same duplicate in the new version says so.
    let run = diff(new, old, &["--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1);
    let found = findings(&json(&run));
    assert!(found.iter().any(|f| f.1 == "intervention-duplicate" && f.2.starts_with("new version: ")), "{found:?}");

    // Old: rows 1 + 2 = 3 but its Totalt says 5; new: the same rows, no Totalt. The old
    // version's sum row is wrong: said as such, beside the changed amounts it causes.
    let old = "område;insats;belopp\nx;A;1\nx;B;2\nx;Totalt;5\n";
    let new = "område;insats;belopp\nx;A;1\nx;B;2\n";
    let run = diff(old, new, &["--unit", "kr", "-f", "csv"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error [total-row]: old version: area `x`: the interventions add up to 3 kr, but the sum row says 5 kr"
        ),
        "{}",
        run.stderr
    );
    // A consistent old version adds nothing.
    let run = diff(new, new, &["--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 0);
    assert!(findings(&json(&run)).is_empty());
}

#[test]
fn names_differing_in_case_or_spacing_are_one_name() {
    // Only the writing changes: no rename, no change, no finding.
    let new = revised(
        PLAN,
        &[
            ("Samverkan med kommunerna;1", " samverkan  med Kommunerna ;1"),
            ("Utökade öppettider;1", "UTÖKADE   öppettider;1"),
        ],
    );
    let run = diff(PLAN, &new, &["--unit", "mkr", "-f", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let document = json(&run);
    let changes: Vec<&str> =
        document["interventions"].as_array().unwrap().iter().map(|i| i["change"].as_str().unwrap()).collect();
    assert_eq!(changes.len(), 14);
    assert!(changes.iter().all(|change| *change == "unchanged"), "{changes:?}");

    // Moved to another area with its name written otherwise: still one move (not removed
    // here and added there), and an error.
    let old = "område;insats;belopp\nx;Projekt 1;1\ny;Projekt 2;2\ny;Q;1\nx;Q2;2\n";
    let new = "område;insats;belopp\nX ;projekt 1;1\nx;PROJEKT  2;2\nY;Q;3\n";
    let run = diff(old, new, &["--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1);
    let document = json(&run);
    let changes: Vec<(&str, &str)> = document["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["change"].as_str().unwrap(), i["new_name"].as_str().or(i["old_name"].as_str()).unwrap()))
        .collect();
    assert_eq!(changes, [("unchanged", "projekt 1"), ("removed", "Q2"), ("moved", "PROJEKT  2"), ("changed", "Q")]);
    assert!(findings(&document).iter().any(|f| f.1 == "moved-between-areas"));
}

#[test]
fn comment_columns_are_shown_with_their_rows() {
    let old = "område;insats;belopp;kommentar\nx;A;1;hejsan\nx;B;2;\nx;Totalt;3;summan\n";
    let new = "område;insats;belopp;kommentar\nx;A;1;svejsan\nx;B;2;ny\nx;Totalt;3;summan\n";
    let run = diff(old, new, &["--unit", "kr", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0][9..], ["old_comment", "new_comment"]);
    assert_eq!(rows[1][3..5], ["A", "A"]);
    assert_eq!(rows[1][9..], ["hejsan", "svejsan"]);
    assert_eq!(rows[2][9..], ["", "ny"]);
    assert_eq!(rows[3][0..2], ["area", "x"]);
    assert_eq!(rows[3][9..], ["summan", "summan"]);

    let run = diff(old, new, &["--unit", "kr", "-f", "json"]);
    let document = json(&run);
    assert_eq!(document["interventions"][0]["old_comment"], "hejsan");
    assert_eq!(document["interventions"][0]["new_comment"], "svejsan");
    assert!(document["interventions"][1].get("old_comment").is_none());
    assert_eq!(document["areas"][0]["new_comment"], "summan");

    // The table lists an intervention whose note alone changed, with its note.
    let run = diff(old, new, &["--unit", "kr"]);
    assert!(run.stdout.contains("hejsan → svejsan"), "{}", run.stdout);
    assert!(run.stdout.contains("summan"), "{}", run.stdout);

    // Without notes the CSV is as before: nine columns.
    let plain = "område;insats;belopp\nx;A;1\n";
    let run = diff(plain, plain, &["--unit", "kr", "-f", "csv"]);
    assert_eq!(csv_rows(&run.stdout)[0].len(), 9);
}

fn run(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

#[test]
fn diff_reports_an_id_that_moved_to_another_intervention() {
    // The revision swaps the ids of Alfa and Beta: outcome rows booked on `1` now count for Beta.
    let old = "område;nr;insats;belopp (kr)\nomstallning;1;Alfa;100\nomstallning;2;Beta;200\n";
    let new = "område;nr;insats;belopp (kr)\nomstallning;2;Alfa;100\nomstallning;1;Beta;200\n";
    let run =
        run(&[("old.csv", old.as_bytes()), ("new.csv", new.as_bytes())], &["diff", "old.csv", "new.csv", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let changed: Vec<&str> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["id"] == "id-changed")
        .map(|finding| finding["message"].as_str().unwrap())
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed[0].contains("`Alfa` has id `1` in the old version and `2` in the new"), "{changed:?}");
}
