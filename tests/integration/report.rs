//! `fordela report`: the region's report as one self-contained HTML file.

use std::fmt::Write as _;

use crate::common::{self, assert_refused, fordela, fordela_in, temp_files};

const PLAN: &str = "examples/jamtland-harjedalen-2019.toml";
const OUTCOME: &str = "examples/jamtland-harjedalen-2019-utfall.csv";

/// What a self-contained page may not hold: anything fetched from elsewhere, or run. The SVG
/// namespace's name is a name, never fetched.
fn assert_self_contained(html: &str) {
    let html = html.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
    for banned in ["http:", "https:", "src=", "<script", "<link", "@import", "url("] {
        assert!(!html.contains(banned), "`{banned}` in the page");
    }
}

#[test]
fn jamtland_2019_report_in_swedish_with_the_totals_worked_by_hand() {
    let run = fordela(&["report", PLAN, OUTCOME, "--object", "9916", "--until", "2019-12-31"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = &run.stdout;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("thead { display: table-header-group; }"));
    assert_self_contained(html);
    assert!(html.contains("Redovisning God och nära vård 2019 – Region Jämtland Härjedalen"));
    // The allocation as `check` shows it (19,102294 / 5,768893 / 5,768893 mkr) and the
    // population date it was computed from.
    assert!(html.contains("<td class=\"n\">19,102294</td>"));
    assert!(html.contains("Fördelat efter befolkningen den 2018-12-31"));
    // Totals worked by hand from the example (see follow_up.rs): 27 367 550 kr of 30,6 mkr.
    assert!(
        html.contains(
            "<tr class=\"sum\"><td>Totalt</td><td class=\"n\">30,60000</td><td class=\"n\">27,36755</td><td \
             class=\"n\">3,23245</td><td class=\"n\">89,44</td></tr>"
        ),
        "{html}"
    );
    assert!(html.contains("Beslut: <bdi>HSN 2019-09-17 § 88</bdi>"));
    assert!(html.contains("<td class=\"n\">0,38750</td>"), "the rows on other objects, with their sum");
    assert!(html.contains("Resultat: 0 fel, 4 varning(ar), 3 notering(ar)."));
    // And what `check` says of the plan: 19 mkr where the targets to 0,1 mkr give 19,1.
    assert!(html.contains("<code>allocation-under</code>: området `<bdi>omstallning</bdi>` planerar 19 mkr"), "{html}");
}

#[test]
fn english_only_when_asked_and_the_plan_alone_without_an_outcome() {
    let run = fordela(&["report", PLAN, "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("<html lang=\"en\">"));
    assert!(run.stdout.contains("Plan and outcome per development area"));
    assert!(run.stdout.contains("no outcome given"));
    assert!(!run.stdout.contains("Outcome (mkr)"), "no outcome columns without an outcome");
    assert!(run.stdout.contains("No findings."), "nothing is missing from an outcome not given");
    // The locale does not make it English: the report is handed in in Swedish.
    let run = fordela(&["report", PLAN]);
    assert!(run.stdout.contains("<html lang=\"sv\">"));
}

#[test]
fn text_from_the_inputs_is_escaped() {
    let plan = "område;insats;belopp\nomstallning;<script>alert(1)</script>;2\ntillganglighet;A & B;1\n";
    let outcome = "insats;belopp;kommentar;beslut\n<script>alert(1)</script>;2500000;<img src=x onerror=alert(2)>;\"<b>D</b> 7\"\n";
    let dir = common::temp_files(&[("plan.csv", plan.as_bytes()), ("u.csv", outcome.as_bytes())]);
    let run = common::fordela_in(
        dir.path(),
        &["report", "plan.csv", "u.csv", "--region", "23", "--plan-unit", "mkr", "-o", "r.html"],
        None,
    );
    // 2,5 mkr in an area of 2 mkr: over its amount, an error even with a decision.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("<code>area-over</code>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("&lt;b&gt;D&lt;/b&gt;"));
    assert!(html.contains("A &amp; B"));
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>D"), "{html}");
    // 2,5 mkr against 2 mkr with a decision: a note naming it, escaped too.
    assert!(html.contains("enligt beslut &lt;b&gt;D&lt;/b&gt; 7"), "{html}");
}

#[test]
fn a_printed_report_lists_the_first_rows_left_out_and_counts_the_rest() {
    // 30 rows on another object than 9916 (k × 1 000 kr), one counted.
    let plan = "område;insats;belopp\nomstallning;Strategi;2\n";
    let mut outcome = String::from("insats;belopp;objekt\nStrategi;1000;9916\n");
    for k in 1..=30 {
        writeln!(outcome, "Strategi;{};9917", k * 1000).unwrap();
    }
    let dir = common::temp_files(&[("plan.csv", plan.as_bytes()), ("u.csv", outcome.as_bytes())]);
    let args = ["report", "plan.csv", "u.csv", "--region", "23", "--plan-unit", "mkr", "--object", "9916"];
    let run = common::fordela_in(dir.path(), &[&args[..], &["-o", "r.html"]].concat(), None);
    assert!(run.code <= 1, "{}", run.stderr);
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    let listed = html.matches("<td><bdi>9917</bdi></td>").count();
    assert_eq!(listed, 20, "{html}");
    assert!(html.contains("… och 10 rader till (30 i allt): alla listas i arbetsboken"), "{html}");
    // The sum of every row left out, 465 000 kr: 0,465 mkr, shown to the thousand as the rows are.
    let sum: i64 = (1..=30).map(|k| k * 1000).sum();
    let shown = format!("<td class=\"n\">{},{:03}</td></tr></tbody>", sum / 1_000_000, sum % 1_000_000 / 1000);
    assert!(html.contains(&shown), "{shown}\n{html}");
}

#[test]
fn the_output_extension_picks_the_format() {
    // `.xlsx` is a workbook now (tests/integration/workbooks_more.rs).
    assert_refused(&fordela(&["report", PLAN, "-o", "rapport.pdf"]), &["`.html`, not `.pdf`"]);
    let dir = common::temp_files(&[]);
    let out = dir.path().join("rapport.html");
    let run = fordela(&["report", PLAN, OUTCOME, "-o", out.to_str().unwrap()]);
    // Without --object and --until every row counts: two interventions over budget.
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(std::fs::read_to_string(&out).unwrap().contains("over-budget"));
}

#[test]
fn the_swedish_report_words_check_s_severities_in_swedish() {
    // 1 mkr planned of Jämtland's 30,6: under the allocation (a warning), two areas missing.
    let plan = "område;insats;belopp\nomstallning;Alfa;1\n";
    let dir = temp_files(&[("plan.csv", plan.as_bytes())]);
    let args = ["report", "plan.csv", "--plan-unit", "mkr", "--region", "23", "-o", "r.html"];
    let run = fordela_in(dir.path(), &args, None);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("<li class=\"warning\">varning <code>allocation-under</code>"), "{html}");
    assert!(html.contains("<li class=\"error\">fel <code>area-missing</code>"), "{html}");
    assert!(!html.contains(">warning <code>"), "{html}");
}

/// The `width` of each `<rect class="{class}"` of the page, in order.
fn bar_widths(html: &str, class: &str) -> Vec<u128> {
    let tag = format!("<rect class=\"{class}\"");
    html.match_indices(&tag)
        .map(|(at, _)| {
            let rest = &html[at..];
            let start = rest.find(" width=\"").unwrap() + " width=\"".len();
            let end = start + rest[start..].find('"').unwrap();
            rest[start..end].parse().unwrap()
        })
        .collect()
}

#[test]
fn the_report_draws_each_area_s_budget_against_its_outcome() {
    let run = fordela(&["report", PLAN, OUTCOME, "--object", "9916", "--until", "2019-12-31"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = &run.stdout;
    assert_self_contained(html);
    assert_eq!(html.matches("<svg class=\"chart budget-outcome\"").count(), 1);
    // The example's areas, worked by hand (tests/integration/follow_up.rs): budgets 19 / 5,8 /
    // 5,8 mkr, outcomes 17 612 550 / 4 445 000 / 5 310 000 kr. The longest bar, 19 mkr, fills the
    // chart's 730 px; every other is its amount's share of it, rounded down.
    let px = |kronor: u128| kronor * 730 / 19_000_000;
    assert_eq!(bar_widths(html, "budget"), [730, px(5_800_000), px(5_800_000)]);
    assert_eq!(bar_widths(html, "outcome"), [px(17_612_550), px(4_445_000), px(5_310_000)]);
    assert!(html.contains(">17,61255 mkr</text>"), "{html}");
    assert!(html.contains("<title>Budget och utfall per utvecklingsområde</title>"));
    // Drawn before the summary's table it shows.
    assert!(html.find("<svg").unwrap() < html.find("<table class=\"summary\"").unwrap());
    // Without an outcome there is nothing to set against the budgets.
    let plan_alone = fordela(&["report", PLAN]);
    assert!(!plan_alone.stdout.contains("<svg"), "{}", plan_alone.stdout);
}
