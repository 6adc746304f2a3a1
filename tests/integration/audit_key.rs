//! `fordela audit` explaining a table: the date it is audited on when none is named, the
//! population key its amounts imply, the rounding rule that gives it, and `--column`. Tables are
//! built here, their expected figures computed here by plain integer arithmetic (largest
//! remainder and half up written out), never taken from fordela's output. Keys outside the
//! population file are synthetic: made-up numbers, not anyone's population.

use std::fmt::Write;

use crate::common::{self, bundled_counties, grouped};
use crate::read_back;

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

// ---------------------------------------------------------------------------------------------
// The key and the rule.

/// Half up: `floor(quota + ½)`, which need not add up.
fn half_up(total: u128, weights: &[u128]) -> Vec<u128> {
    let sum: u128 = weights.iter().sum();
    weights.iter().map(|w| (2 * total * w + sum) / (2 * sum)).collect()
}

/// A synthetic key near 31 December 2018's counties: each figure moved by up to a thousand
/// people, so that it is no date's figures (checked), only shaped like a county table.
fn synthetic_key() -> Vec<u128> {
    let key: Vec<u128> = weights(&counties("2018-12-31"))
        .iter()
        .enumerate()
        .map(|(i, &w)| (w + (i as u128 * 7_919) % 2_001).checked_sub(1_000).unwrap())
        .collect();
    for date in (2010..=2020).map(|year| format!("{year}-12-31")) {
        assert_ne!(weights(&counties(&date)), key, "{date}");
        assert_ne!(weights(&counties(&date)).iter().sum::<u128>(), key.iter().sum::<u128>(), "{date}");
    }
    key
}

fn numbers(value: &serde_json::Value) -> Vec<u128> {
    value.as_array().unwrap().iter().map(|n| u128::from(n.as_u64().unwrap())).collect()
}

/// The first column's explanation: its rule and its key search.
fn explained(report: &serde_json::Value) -> &serde_json::Value {
    &report["explained"][0]
}

fn words(report: &serde_json::Value) -> String {
    let words = &report["explained_in_words"][0];
    let key: Vec<&str> = words["key"].as_array().unwrap().iter().map(|line| line.as_str().unwrap()).collect();
    format!("{}\n{}", words["rule"].as_str().unwrap_or(""), key.join("\n"))
}

#[test]
fn a_key_outside_the_population_file_is_recovered_and_is_the_only_one() {
    let rows = counties("2018-12-31");
    let key = synthetic_key();
    let population: u128 = key.iter().sum();
    let amounts = largest_remainder(937_000_000, &key);
    let text = table("belopp", &rows, &amounts);
    let files = [("t.csv", text.as_bytes())];
    let run = audit(&files, &["t.csv", "--total", "937000000", "--unit", "kr", "-f", "json"]);
    // No date of the file fits it: its rows are no roundings of any date's quotas.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    let search = &explained(&report)["key"];
    assert_eq!((&search["status"], &search["range_given"]), (&"searched".into(), &false.into()));
    let outcome = &search["recovery"]["outcome"];
    assert_eq!(outcome["kind"], "unique", "{outcome}");
    assert_eq!(outcome["key"]["population"], serde_json::json!(population));
    assert_eq!(numbers(&outcome["key"]["weights"]), key);
    // The default range: 2 % either side of the file's smallest and largest totals.
    let totals: Vec<u128> =
        (2010..=2020).map(|year| weights(&counties(&format!("{year}-12-31"))).iter().sum()).collect();
    let (low, high) = (totals.iter().min().unwrap(), totals.iter().max().unwrap());
    assert_eq!(search["recovery"]["range"]["start"], serde_json::json!(low - (low * 2).div_ceil(100)));
    assert_eq!(search["recovery"]["range"]["end"], serde_json::json!(high + (high * 2).div_ceil(100)));
    // Against every date: no date's figures, each row's difference from them computed here.
    let compared = &search["compared"];
    assert!(compared["equals"].is_null());
    for date in compared["dates"].as_array().unwrap() {
        let file = weights(&counties(date["date"].as_str().unwrap()));
        let expected: Vec<i128> =
            key.iter().zip(&file).map(|(&k, &f)| i128::try_from(k).unwrap() - i128::try_from(f).unwrap()).collect();
        let found: Vec<i128> =
            date["differences"].as_array().unwrap().iter().map(|d| i128::from(d.as_i64().unwrap())).collect();
        assert_eq!(found, expected, "{}", date["date"]);
    }
    // The rule, named against the recovered key.
    let rule = &explained(&report)["rule"];
    assert_eq!(rule["key"], serde_json::json!({ "kind": "recovered", "population": population }));
    assert_eq!(rule["rules"][0]["rule"], "largest-remainder", "{rule}");
    let said = words(&report);
    assert!(
        said.contains(&format!(
            "one key: a total population of {}, whose populations are no date's figures",
            grouped(population)
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!("on the key recovered from the amounts (total population {})", grouped(population))),
        "{said}"
    );
    // The table shows each row's implied population; CSV has it in a column.
    let run = audit(&files, &["t.csv", "--total", "937000000", "--unit", "kr"]);
    assert!(run.stdout.contains("implied population"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("│ {} │", grouped(key[0]))) || run.stdout.contains(&grouped(key[0])),
        "{}",
        run.stdout
    );
    let run = audit(&files, &["t.csv", "--total", "937000000", "--unit", "kr", "-f", "csv"]);
    let csv = common::csv_rows(&run.stdout);
    let column = csv[0].iter().position(|header| header == "implied_population").unwrap();
    let implied: Vec<u128> = csv[1..].iter().map(|row| row[column].parse().unwrap()).collect();
    assert_eq!(implied, key);
    assert!(run.stderr.contains("fordela: note: The key the amounts of `amount` imply"), "{}", run.stderr);
}

/// The first total from 600 000 000 kr on at which half up of `weights` hands out one krona
/// too many with the largest recipient rounded up, and another row rounded up has a smaller
/// remainder (so that taking the krona back from the largest is not largest remainder).
fn half_up_one_over(weights: &[u128]) -> (u128, usize) {
    let sum: u128 = weights.iter().sum();
    let largest = (0..weights.len()).max_by_key(|&i| weights[i]).unwrap();
    let remainder = |total: u128, i: usize| total * weights[i] % sum;
    let up = |total: u128, i: usize| 2 * remainder(total, i) >= sum;
    let total = (600_000_000..600_100_000)
        .find(|&total| {
            half_up(total, weights).iter().sum::<u128>() == total + 1
                && up(total, largest)
                && (0..weights.len())
                    .any(|i| i != largest && up(total, i) && remainder(total, i) < remainder(total, largest))
        })
        .unwrap();
    (total, largest)
}

#[test]
fn a_half_up_table_with_its_last_krona_taken_off_the_largest_row_is_named_so() {
    let rows = counties("2018-12-31");
    for (key, on_a_date) in [(weights(&rows), true), (synthetic_key(), false)] {
        let (total, largest) = half_up_one_over(&key);
        let mut amounts = half_up(total, &key);
        amounts[largest] -= 1;
        let text = table("belopp", &rows, &amounts);
        let run = audit(
            &[("t.csv", text.as_bytes())],
            &["t.csv", "--total", &total.to_string(), "--unit", "kr", "-f", "json"],
        );
        // On 31 December 2018's figures the table is consistent: audited there, exit 0.
        assert_eq!(run.code, i32::from(!on_a_date), "{}", run.stderr);
        let report = json(&run);
        let rule = &explained(&report)["rule"];
        assert_eq!(
            rule["rules"],
            serde_json::json!([{ "rule": "half-up-with-corrections", "corrections": [{ "row": largest, "steps": -1 }], "on_largest": true }]),
            "{rule}"
        );
        let said = words(&report);
        let named = format!(
            "-1 kr on {} {} (line {}); on the largest recipient",
            rows[largest].0,
            rows[largest].1,
            largest + 2
        );
        assert!(said.contains(&format!("half up, with 1 correction to make it add up: {named}")), "{said}");
        if on_a_date {
            assert_eq!(rule["key"], serde_json::json!({ "kind": "date", "date": "2018-12-31" }));
            assert!(explained(&report)["key"].is_null(), "a date fits: no key searched for");
        } else {
            assert_eq!(rule["key"]["kind"], "recovered");
            assert_eq!(numbers(&explained(&report)["key"]["recovery"]["outcome"]["key"]["weights"]), key);
        }
    }
}

#[test]
fn a_largest_remainder_table_is_named_so_on_its_date() {
    let rows = counties("2018-12-31");
    // A total at which half up does not add up, so that the table is not half up as well.
    let total = (453_000_000..453_100_000).find(|&t| half_up(t, &weights(&rows)).iter().sum::<u128>() != t).unwrap();
    let amounts = largest_remainder(total, &weights(&rows));
    let text = table("belopp", &rows, &amounts);
    let files = [("t.csv", text.as_bytes())];
    let run = audit(&files, &["t.csv", "--total", &total.to_string(), "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json(&run);
    let rule = &explained(&report)["rule"];
    assert_eq!(rule["key"], serde_json::json!({ "kind": "date", "date": "2018-12-31" }));
    assert_eq!(rule["rules"][0], serde_json::json!({ "rule": "largest-remainder", "tie": null, "fordela_ties": true }));
    assert!(!rule["rules"].as_array().unwrap().iter().any(|r| r["rule"] == "half-up"), "{rule}");
    assert!(
        words(&report).starts_with("Rounding rule, on 2018-12-31's figures: largest remainder"),
        "{}",
        words(&report)
    );
    // Asked for with --key-range, the key is searched for even so, and is that date's.
    let run = audit(
        &files,
        &[
            "t.csv",
            "--total",
            &total.to_string(),
            "--unit",
            "kr",
            "--key-range",
            "10 200 000..10_260_000",
            "-f",
            "json",
        ],
    );
    assert_eq!(run.code, 0);
    let report = json(&run);
    let search = &explained(&report)["key"];
    assert_eq!((&search["range_given"], &search["recovery"]["outcome"]["kind"]), (&true.into(), &"unique".into()));
    assert_eq!(search["compared"]["equals"], "2018-12-31");
    assert!(words(&report).contains("whose populations are 2018-12-31's figures row for row"), "{}", words(&report));
    // In Swedish, in the table.
    let run = audit(&files, &["t.csv", "--total", &total.to_string(), "--unit", "kr", "--lang", "sv"]);
    assert!(run.stdout.contains("Avrundningsregel, på siffrorna för 2018-12-31: största rest"), "{}", run.stdout);
}

#[test]
fn too_few_kronor_per_person_leave_the_key_undetermined_and_several_keys_are_listed() {
    let rows = counties("2018-12-31");
    let key = synthetic_key();
    // About a third of a krona per person: every row allows several populations.
    let total = key.iter().sum::<u128>() / 3;
    let text = table("belopp", &rows, &largest_remainder(total, &key));
    let run =
        audit(&[("t.csv", text.as_bytes())], &["t.csv", "--total", &total.to_string(), "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    let outcome = &explained(&report)["key"]["recovery"]["outcome"];
    assert_eq!(
        (&outcome["kind"], &outcome["open_rows"], &outcome["at_least"]),
        (&"too-small".into(), &21.into(), &true.into())
    );
    assert!(words(&report).contains("the amounts are too small for the key to be determined"), "{}", words(&report));

    // 10 kr and 20 kr of 30: one person and two, two and four, … each a key of its own.
    let population = "code,region,date,population\n01,A,2020-12-31,5\n03,B,2020-12-31,7\n";
    let files = [("t.csv", "code;region;belopp\n01;A;10\n03;B;20\n".as_bytes()), ("p.csv", population.as_bytes())];
    let args =
        ["t.csv", "--total", "30", "--unit", "kr", "--population", "p.csv", "--key-range", "1..15", "-f", "json"];
    let report = json(&audit(&files, &args));
    let outcome = &explained(&report)["key"]["recovery"]["outcome"];
    // Every total P ≤ 15 with whole p, q (p + q = P) within a krona of 10 and 20 kr, by brute force.
    let keys: Vec<u128> = (1..=15u128)
        .filter(|&p| (0..=p).any(|first| (10 * p).abs_diff(30 * first) < p && (20 * p).abs_diff(30 * (p - first)) < p))
        .collect();
    assert_eq!((&outcome["kind"], &outcome["solutions"]), (&"ambiguous".into(), &keys.len().into()));
    let first: Vec<u128> = outcome["first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| u128::from(key["population"].as_u64().unwrap()))
        .collect();
    assert_eq!(first, keys[..first.len()]);
    assert!(
        words(&report).contains(&format!("{} keys, which the amounts cannot tell apart", keys.len())),
        "{}",
        words(&report)
    );
}

#[test]
fn a_tampered_row_leaves_no_key_and_the_near_miss_names_it() {
    let rows = counties("2018-12-31");
    let mut amounts = largest_remainder(937_000_000, &weights(&rows));
    // Kronoberg (line 7) given 7 kr more.
    amounts[5] += 7;
    let text = table("belopp", &rows, &amounts);
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--total", "937000000", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    assert_eq!(report["population_date"], "2018-12-31");
    let search = &explained(&report)["key"];
    assert_eq!(search["recovery"]["outcome"], serde_json::json!({ "kind": "none", "reason": { "kind": "no-total" } }));
    assert_eq!(search["recovery"]["near_misses"], 1);
    let compared = &search["compared"];
    assert_eq!((&compared["near_miss"], &compared["off"]), (&true.into(), &serde_json::json!([5])));
    assert_eq!(compared["key"]["population"], serde_json::json!(weights(&rows).iter().sum::<u128>()));
    // The one row off gets the rest of the total: the populations are 2018's, row for row.
    assert_eq!(compared["equals"], "2018-12-31");
    let said = words(&report);
    assert!(said.contains("every row fits but one, which is no rounding there: 07 Kronobergs län (line 7)"), "{said}");
    assert_eq!(
        explained(&report)["rule"]["rules"],
        serde_json::json!([{ "rule": "none", "off": [5], "adds_up": false }])
    );
}

// The bundled real table (SKR, women's health 2020): its key and its rule, worked out here from
// the raw figures.

const TABLE_2020: &str = "data/tables/skr-kvinnors-halsa-2020.csv";

fn table_2020_amounts() -> Vec<u128> {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE_2020)).unwrap();
    text.lines()
        .skip(1)
        .filter(|line| !line.starts_with("Totalt"))
        .map(|line| line.split(';').nth(1).unwrap().replace(' ', "").parse().unwrap())
        .collect()
}

#[test]
fn the_bundled_2020_table_is_31_december_2018_half_up_with_a_krona_on_skane_and_vasternorrland() {
    let rows = counties("2018-12-31");
    let amounts = table_2020_amounts();
    // Half up on 2018's figures, here: two kronor short, and the table has them on Skåne and
    // Västernorrland (rows 9 and 17), one each.
    let rounded = half_up(937_000_000, &weights(&rows));
    let over: Vec<(usize, i128)> = amounts
        .iter()
        .zip(&rounded)
        .enumerate()
        .filter(|(_, (a, r))| a != r)
        .map(|(i, (&a, &r))| (i, i128::try_from(a).unwrap() - i128::try_from(r).unwrap()))
        .collect();
    assert_eq!(over, [(9, 1), (17, 1)]);

    let run = common::fordela(&["audit", TABLE_2020, "--total", "937000000", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    let search = &explained(&report)["key"];
    assert_eq!(search["recovery"]["outcome"]["reason"]["kind"], "no-total");
    assert_eq!(search["recovery"]["near_misses"], 1);
    let compared = &search["compared"];
    assert_eq!(compared["key"]["population"], serde_json::json!(weights(&rows).iter().sum::<u128>()));
    assert_eq!(compared["key"]["population"], 10_230_185);
    assert_eq!(numbers(&compared["key"]["weights"]), weights(&rows));
    assert_eq!((&compared["off"], &compared["equals"]), (&serde_json::json!([9, 17]), &"2018-12-31".into()));
    let rule = &explained(&report)["rule"];
    assert_eq!(rule["key"], serde_json::json!({ "kind": "date", "date": "2018-12-31" }));
    let corrections: Vec<serde_json::Value> =
        over.iter().map(|&(row, steps)| serde_json::json!({ "row": row, "steps": steps })).collect();
    assert_eq!(
        rule["rules"],
        serde_json::json!([{ "rule": "half-up-with-corrections", "corrections": corrections, "on_largest": false }])
    );
    let said = words(&report);
    assert!(
        said.contains(
            "half up, with 2 corrections to make it add up: +1 kr on 12 Skåne län (line 11), +1 kr on 22 \
             Västernorrlands län (line 19); not on the largest recipients"
        ),
        "{said}"
    );
    assert!(said.contains("One near miss: at a total population of 10 230 185 every row fits but 2"), "{said}");
    assert!(said.contains("the populations are 2018-12-31's figures row for row"), "{said}");

    // CSV: the rule on every row, the krona on the two rows.
    let run = common::fordela(&["audit", TABLE_2020, "--total", "937000000", "--unit", "kr", "-f", "csv"]);
    let csv = common::csv_rows(&run.stdout);
    let at = |name: &str| csv[0].iter().position(|header| header == name).unwrap();
    for (row, fields) in csv[1..].iter().enumerate() {
        assert_eq!(fields[at("rounding_rule")], "half-up-with-corrections");
        let step = if row == 9 || row == 17 { "+1" } else { "" };
        assert_eq!(fields[at("rule_step")], step, "{fields:?}");
    }
    // The workbook: the rule step beside each row, and the key's sheet.
    let dir = common::temp_files(&[]);
    let table = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE_2020);
    let run = common::fordela_in(
        dir.path(),
        &["audit", table.to_str().unwrap(), "--total", "937000000", "--unit", "kr", "-o", "a.xlsx"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut book = read_back::open_file(&dir.path().join("a.xlsx"));
    let (audit_sheet, _) = read_back::sheet(&mut book, "Audit");
    let header = (0..10).find(|&row| read_back::text(&audit_sheet, row, 0) == "Column").unwrap();
    assert_eq!(read_back::text(&audit_sheet, header, 11), "Rule step (kr)");
    assert_eq!(read_back::exact(read_back::number(&audit_sheet, header + 10, 11), 0), 1, "Skåne");
    let (key_sheet, _) = read_back::sheet(&mut book, "Key");
    let header = (0..10).find(|&row| read_back::text(&key_sheet, row, 0) == "Column").unwrap();
    assert_eq!(read_back::text(&key_sheet, header, 5), "Implied population");
    let implied: Vec<i128> =
        (1..=21).map(|row| read_back::exact(read_back::number(&key_sheet, header + row, 5), 0)).collect();
    assert_eq!(implied, weights(&rows).iter().map(|&w| i128::try_from(w).unwrap()).collect::<Vec<_>>());
}

#[test]
fn a_key_range_is_whole_totals_low_to_high_and_one_too_wide_is_refused() {
    let rows = counties("2018-12-31");
    let text = table("belopp", &rows, &largest_remainder(937_000_000, &weights(&rows)));
    let files = [("t.csv", text.as_bytes())];
    let base = ["t.csv", "--total", "937000000", "--unit", "kr", "--key-range"];
    for (range, needle) in [
        ("0..15", "must start above zero"),
        ("15..3", "must start above zero and not end before it starts"),
        ("abc", "`abc` is not a whole number of people"),
        ("1..-5", "`-5` is not a whole number of people"),
    ] {
        common::assert_refused(
            &audit(&files, &[&base[..], &[range]].concat()),
            &[&format!("--key-range `{range}`"), needle],
        );
    }
    common::assert_refused(
        &audit(&files, &[&base[..], &["1..100000000000"]].concat()),
        &["--key-range", "narrow the range"],
    );
}
