//! `fordela diff` after the outside review: a move across areas is money moved even when the
//! areas' amounts stay the same; two regions' plans are not compared; the old version gets the
//! same checks as the new; names differing in case or spacing are one name; comment columns
//! are shown with their rows. Revisions of Region Jämtland Härjedalen's real plan (examples/),
//! each change worked out by hand here.

use crate::common::{assert_refused, csv_rows, fordela_in, temp_files};

const PLAN: &str = include_str!("../../examples/jamtland-harjedalen-2019.csv");
const PLAN_TOML: &str = include_str!("../../examples/jamtland-harjedalen-2019.toml");

/// `text` with each `(from, to)` replaced once (each must be there).
fn revised(text: &str, changes: &[(&str, &str)]) -> String {
    changes.iter().fold(text.to_string(), |text, (from, to)| {
        assert!(text.contains(from), "{from}");
        text.replacen(from, to, 1)
    })
}

fn diff_files(old: (&str, &str), new: (&str, &str), args: &[&str]) -> crate::common::Run {
    let dir = temp_files(&[(old.0, old.1.as_bytes()), (new.0, new.1.as_bytes())]);
    fordela_in(dir.path(), &[&["diff", old.0, new.0], args].concat(), None)
}

fn diff(old: &str, new: &str, args: &[&str]) -> crate::common::Run {
    diff_files(("old.csv", old), ("new.csv", new), args)
}

fn json(run: &crate::common::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("{err}: {}", run.stdout))
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
