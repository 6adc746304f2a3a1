//! `fordela audit`, the review's defects: duplicated set-aside rows, sum rows over their own
//! block, per-capita areas, stated populations and shares, within-county tables, bundled
//! population ids, comment columns. Expected figures are worked out here from the bundled real
//! county figures (`common::bundled_counties`), never copied from fordela's output.

use std::fmt::Write;

use crate::common;

/// The 2019 agreement's `omstallning`: 1 500 mkr to the regions, 15 mkr set aside for SKR.
const OMSTALLNING_KR: u128 = 1_500_000_000;
const SKR_KR: u128 = 15_000_000;

fn counties(date: &str) -> Vec<(String, String, u128)> {
    common::bundled_counties(date).into_iter().map(|(code, name, people)| (code, name, u128::from(people))).collect()
}

/// Largest remainder by hand (ties: larger population, then the rows' order).
fn largest_remainder(total: u128, rows: &[(String, String, u128)]) -> Vec<u128> {
    let sum: u128 = rows.iter().map(|row| row.2).sum();
    let mut units: Vec<u128> = rows.iter().map(|row| total * row.2 / sum).collect();
    let left = total - units.iter().sum::<u128>();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (total * rows[a].2 % sum, total * rows[b].2 % sum);
        rb.cmp(&ra).then(rows[b].2.cmp(&rows[a].2)).then(a.cmp(&b))
    });
    for &index in order.iter().take(usize::try_from(left).unwrap()) {
        units[index] += 1;
    }
    units
}

/// The regions' `omstallning` rows of 2018-12-31, as `code,region,omstallning` lines.
fn region_lines() -> Vec<String> {
    let rows = counties("2018-12-31");
    let amounts = largest_remainder(OMSTALLNING_KR, &rows);
    rows.iter().zip(&amounts).map(|(row, amount)| format!("{},{},{amount}", row.0, row.1)).collect()
}

fn audit(files: &[(&str, &[u8])], args: &[&str]) -> common::Run {
    let dir = common::temp_files(files);
    common::fordela_in(dir.path(), &[&["audit"], args].concat(), None)
}

fn json(run: &common::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("{err}: {}\n{}", run.stdout, run.stderr))
}

fn findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["findings"].as_array().unwrap().clone()
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    findings(report).iter().map(|f| f["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_set_aside_row_written_twice_is_refused_naming_both_lines() {
    let mut text = String::from("code,region,omstallning\n");
    for line in region_lines() {
        writeln!(text, "{line}").unwrap();
    }
    // Line 23 and line 24 both pay SKR its 15 mkr: the table pays 1 530 mkr against 1 515.
    text.push_str(",SKR,15000000\n,SKR,15000000\n");
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--unit", "kr"]);
    common::assert_refused(&run, &["line 24", "line 23", "SKR", "one row"]);
    // With a grand total that adds both up, still refused.
    text.push_str(",Totalt,1530000000\n");
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--unit", "kr"]);
    common::assert_refused(&run, &["line 24", "line 23"]);
    // Written once, the same table is consistent.
    let once = text.replace(",SKR,15000000\n,SKR,15000000\n,Totalt,1530000000\n", ",SKR,15000000\n");
    let run = audit(&[("t.csv", once.as_bytes())], &["t.csv", "--unit", "kr"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_sum_row_adds_up_its_own_block_or_everything_above_it_when_it_is_the_grand_total() {
    let lines = region_lines();
    let rows = counties("2018-12-31");
    let amounts = largest_remainder(OMSTALLNING_KR, &rows);
    let first: u128 = amounts[..10].iter().sum();
    let second: u128 = amounts[10..].iter().sum();
    assert_eq!(first + second, OMSTALLNING_KR);
    let build = |summa_a: u128, summa_b: u128, totalt: u128| {
        let mut text = String::from("code,region,omstallning\n");
        for line in &lines[..10] {
            writeln!(text, "{line}").unwrap();
        }
        writeln!(text, ",Summa,{summa_a}").unwrap();
        for line in &lines[10..] {
            writeln!(text, "{line}").unwrap();
        }
        writeln!(text, ",Summa,{summa_b}\n,SKR,{SKR_KR}\n,Totalt,{totalt}").unwrap();
        text
    };
    let run_of = |text: String| audit(&[("t.csv", text.as_bytes())], &["t.csv", "--unit", "kr", "--format", "json"]);
    // Two subtotals (lines 12 and 24), SKR below them, the grand total over all (line 26).
    let run = run_of(build(first, second, OMSTALLNING_KR + SKR_KR));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(ids(&json(&run)).is_empty());
    // The second subtotal counts its block only (not the first block, not SKR below it).
    let run = run_of(build(first, second + 1, OMSTALLNING_KR + SKR_KR));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0]["id"], "audit-sum-row-mismatch");
    assert_eq!(found[0]["line"], 24);
    assert_eq!(found[0]["stated"], serde_json::json!(second + 1));
    assert_eq!(found[0]["sum"], serde_json::json!(second));
    // A grand total without SKR: the rows above it, SKR included, add up to 1 515 mkr.
    let run = run_of(build(first, second, OMSTALLNING_KR));
    let report = json(&run);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!((found[0]["line"].as_u64(), found[0]["sum"].as_u64()), (Some(26), Some(1_515_000_000)));
}

#[test]
fn a_bundled_population_id_is_read_as_allocate_reads_it() {
    let rows = counties("2019-12-31");
    let total = 19_102_294;
    let amounts = largest_remainder(total, &rows);
    let mut text = String::from("code;region;belopp\n");
    for (row, amount) in rows.iter().zip(&amounts) {
        writeln!(text, "{};{};{amount}", row.0, row.1).unwrap();
    }
    let run = audit(
        &[("t.csv", text.as_bytes())],
        &[
            "t.csv",
            "--total",
            "19102294",
            "--unit",
            "kr",
            "--population",
            "scb-county-population-31dec-2010-2020",
            "--population-date",
            "2019-12-31",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// The synthetic per-capita example: 12,50 kr per inhabitant on 2019-12-31.
fn per_capita_agreement() -> String {
    format!("{}/examples/per-capita-synthetic.toml", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_per_capita_area_is_audited_at_rate_times_population() {
    let rows = counties("2019-12-31");
    // 12,50 kr × population, in öre: 1 250 × population, written with two decimals.
    let ore: Vec<u128> = rows.iter().map(|row| 1_250 * row.2).collect();
    let build = |ore: &[u128]| {
        let mut text = String::from("code,region,per_invanare\n");
        for (row, amount) in rows.iter().zip(ore) {
            writeln!(text, "{},{},{}.{:02}", row.0, row.1, amount / 100, amount % 100).unwrap();
        }
        text
    };
    let agreement = per_capita_agreement();
    let args = ["t.csv", "-a", &agreement, "--unit", "kr", "--format", "json"];
    let run = audit(&[("t.csv", build(&ore).as_bytes())], &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert!(ids(&report).is_empty(), "{report}");
    // Every amount is a whole 0,50 kr, so the finest step the amounts need is 0,1 kr.
    assert_eq!(report["step"]["decimals"], 1);
    let column = &report["columns"][0];
    // The area's total: 12,50 × Σ population = 129 094 862,50 kr, in tenths of a krona.
    let people: u128 = rows.iter().map(|row| row.2).sum();
    assert_eq!(people * 125, 1_290_948_625);
    assert_eq!(column["total"]["numerator"], serde_json::json!(people * 125));
    assert_eq!(column["total"]["denominator"], 1);
    assert_eq!(column["rows"][0]["quota"]["numerator"], serde_json::json!(125 * rows[0].2));
    assert_eq!(column["rows"][0]["published"], serde_json::json!(125 * rows[0].2));
    // The header says what the step is and why; a rate column says how its quota is made.
    let text = audit(&[("t.csv", build(&ore).as_bytes())], &["t.csv", "-a", &agreement, "--unit", "kr"]);
    assert!(text.stdout.contains("rounded to 0,1 kr (the step: the finest the amounts need"), "{}", text.stdout);
    assert!(text.stdout.contains("quota is rate × population exactly"), "{}", text.stdout);
    // Stockholm 10 öre short: not a rounding of its quota, and the column no longer adds up.
    let mut short = ore.clone();
    short[0] -= 10;
    let run = audit(&[("t.csv", build(&short).as_bytes())], &args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    let found = ids(&report);
    assert_eq!(found, ["audit-total-mismatch", "audit-not-a-rounding"], "{report}");
    let not_a_rounding = &findings(&report)[1];
    assert_eq!(not_a_rounding["quota"]["numerator"], serde_json::json!(125 * rows[0].2));
    assert_eq!(not_a_rounding["published"], serde_json::json!(125 * rows[0].2 - 1));
}

/// Share in per cent, half up to four decimals, as `digits` ten-thousandths.
fn share_4(people: u128, sum: u128) -> String {
    let tenthousandths = (2 * 100 * 10_000 * people + sum) / (2 * sum);
    format!("{}.{:04}", tenthousandths / 10_000, tenthousandths % 10_000)
}

/// `code,region,population,share,omstallning`: amounts split on `amounts_date`, population and
/// share stated from `stated_date`.
fn stated_table(amounts_date: &str, stated_date: &str) -> Vec<String> {
    let split = counties(amounts_date);
    let amounts = largest_remainder(OMSTALLNING_KR, &split);
    let stated = counties(stated_date);
    let sum: u128 = stated.iter().map(|row| row.2).sum();
    let mut lines = vec!["code,region,population,share,omstallning".to_string()];
    for ((row, amount), stated) in split.iter().zip(&amounts).zip(&stated) {
        assert_eq!(row.0, stated.0);
        lines.push(format!("{},{},{},{},{amount}", row.0, row.1, stated.2, share_4(stated.2, sum)));
    }
    lines
}

#[test]
fn stated_populations_and_shares_are_checked_and_are_evidence_of_the_date() {
    let args = ["t.csv", "--unit", "kr", "--format", "json"];
    let run_of = |lines: &[String]| audit(&[("t.csv", lines.join("\n").as_bytes())], &args);
    // Populations and shares of 2018-12-31, the agreement's date: clean.
    let lines = stated_table("2018-12-31", "2018-12-31");
    let run = run_of(&lines);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert!(ids(&report).is_empty(), "{report}");
    let fit = report["dates"].as_array().unwrap().iter().find(|fit| fit["date"] == "2018-12-31").unwrap().clone();
    assert_eq!(fit["populations_matching"], 21);
    // Stockholm's population changed (the review's c1.csv): an error naming both figures.
    let stockholm = counties("2018-12-31")[0].2;
    let mut changed = lines.clone();
    changed[1] = changed[1].replacen(&format!(",{stockholm},"), ",9999999,", 1);
    let report = json(&run_of(&changed));
    let found = findings(&report);
    assert_eq!(ids(&report), ["audit-population-mismatch"], "{report}");
    assert_eq!((found[0]["line"].as_u64(), found[0]["stated"].as_u64()), (Some(2), Some(9_999_999)));
    assert_eq!(found[0]["file"], serde_json::json!(stockholm));
    // A sum row's population is its rows' (here all 21, 2018): one off is an error.
    let people: u128 = counties("2018-12-31").iter().map(|row| row.2).sum();
    let mut summed = lines.clone();
    summed.push(format!(",Totalt,{people},100.0000,{OMSTALLNING_KR}"));
    let run = run_of(&summed);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    summed.pop();
    summed.push(format!(",Totalt,{},100.0000,{OMSTALLNING_KR}", people + 1));
    let report = json(&run_of(&summed));
    assert_eq!(ids(&report), ["audit-population-mismatch"], "{report}");
    assert_eq!(findings(&report)[0]["file"], serde_json::json!(people));
    // Uppsala's share one ten-thousandth off the exact share rounded either way.
    let rows = counties("2018-12-31");
    let sum: u128 = rows.iter().map(|row| row.2).sum();
    let floor = 100 * 10_000 * rows[1].2 / sum;
    let wrong = floor + 2;
    let mut changed = lines.clone();
    changed[2] = changed[2].replacen(
        &format!(",{},", share_4(rows[1].2, sum)),
        &format!(",{}.{:04},", wrong / 10_000, wrong % 10_000),
        1,
    );
    let run = run_of(&changed);
    assert_eq!(run.code, 1);
    assert_eq!(ids(&json(&run)), ["audit-share-mismatch"]);
    // Amounts of 2018, populations of 2019: every population is wrong on 2018, and they are
    // 2019's, which the report says as evidence of the date.
    let run = run_of(&stated_table("2018-12-31", "2019-12-31"));
    assert_eq!(run.code, 1);
    let report = json(&run);
    let found = ids(&report);
    assert_eq!(found[0], "audit-populations-of-other-date", "{report}");
    assert_eq!(found.iter().filter(|id| *id == "audit-population-mismatch").count(), 21);
    assert_eq!(report["best_date"], "2019-12-31");
    assert_eq!(findings(&report)[0]["best_matching"], 21);
}

/// County 23's municipalities on `date` from the bundled SCB file, read here.
fn jamtland_municipalities(date: &str) -> Vec<(String, String, u128)> {
    include_str!("../../data/population/scb-municipality-population-31dec-2017-2019.csv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[2] == "23" && fields[3] == date)
                .then(|| (fields[0].to_string(), fields[1].to_string(), fields[4].parse().unwrap()))
        })
        .collect()
}

#[test]
fn a_within_county_table_is_audited_over_that_countys_municipalities() {
    let rows = jamtland_municipalities("2018-12-31");
    assert_eq!(rows.len(), 8);
    let total = 19_102_294;
    let amounts = largest_remainder(total, &rows);
    let mut text = String::from("code,region,belopp\n");
    for (row, amount) in rows.iter().zip(&amounts) {
        writeln!(text, "{},{},{amount}", row.0, row.1).unwrap();
    }
    let base = ["t.csv", "--total", "19102294", "--unit", "kr", "--population-date", "2018"];
    let run = audit(&[("t.csv", text.as_bytes())], &[&base[..], &["--within", "23", "-f", "json"]].concat());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert!(ids(&report).is_empty(), "{report}");
    let column = &report["columns"][0];
    assert_eq!(column["rows"].as_array().unwrap().len(), 8);
    for (row, amount) in column["rows"].as_array().unwrap().iter().zip(&amounts) {
        assert_eq!(row["published"], serde_json::json!(amount));
        assert_eq!(row["fordela"], serde_json::json!(amount));
    }
    // By name, the same.
    let run = audit(&[("t.csv", text.as_bytes())], &[&base[..], &["--within", "Jämtlands län"]].concat());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // Without --within, --allow-missing would put the other 282 municipalities in every
    // quota's divisor: refused, pointing to --within.
    let run = audit(
        &[("t.csv", text.as_bytes())],
        &[&base[..], &["--population", "scb-municipality-population-31dec-2017-2019", "--allow-missing"]].concat(),
    );
    common::assert_refused(&run, &["--allow-missing", "282", "--within"]);
    // --within a table of counties is refused.
    let run = audit(
        &[("t.csv", text.as_bytes())],
        &[&base[..], &["--within", "23", "--population", "scb-county-population-31dec-2010-2020"]].concat(),
    );
    common::assert_refused(&run, &["--within needs a table of municipalities"]);
}

#[test]
fn a_comment_column_is_kept_with_its_row_in_every_output() {
    let mut text = String::from("code,region,omstallning,kommentar\n");
    for (at, line) in region_lines().iter().enumerate() {
        let comment = if at == 2 { "beslut 2019-03-01" } else { "" };
        writeln!(text, "{line},{comment}").unwrap();
    }
    writeln!(text, ",SKR,{SKR_KR},avsatt enligt punkt 4").unwrap();
    let files = [("t.csv", text.as_bytes())];
    let run = audit(&files, &["t.csv", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(report["columns"][0]["rows"][2]["comment"], "beslut 2019-03-01");
    assert_eq!(report["columns"][0]["rows"][2]["line"], 4);
    assert_eq!(report["columns"][0]["rows"][1]["comment"], serde_json::Value::Null);
    assert_eq!(report["columns"][0]["set_asides"][0]["comment"], "avsatt enligt punkt 4");
    let run = audit(&files, &["t.csv", "--unit", "kr", "-f", "csv"]);
    let rows = common::csv_rows(&run.stdout);
    assert_eq!(rows[0].last().unwrap(), "comment");
    assert_eq!((rows[3][1].as_str(), rows[3].last().unwrap().as_str()), ("4", "beslut 2019-03-01"));
    let run = audit(&files, &["t.csv", "--unit", "kr"]);
    assert!(run.stdout.contains("beslut 2019-03-01") && run.stdout.contains("avsatt enligt punkt 4"), "{}", run.stdout);
}

/// A divisor method may give a region more than its quota rounded up: "a valid rounding" is
/// largest remainder's property, so audit refuses such an area rather than call fordela's own
/// D'Hondt split wrong.
#[test]
fn an_area_split_by_a_divisor_method_is_refused_with_the_reason() {
    let agreement = include_str!("../../data/agreements/god-och-nara-vard-2019.toml")
        .lines()
        .filter(|line| !line.starts_with("population ="))
        .collect::<Vec<_>>()
        .join("\n");
    let agreement = agreement.replacen("name =", "method = \"dhondt\"\nname =", 1);
    let dir = crate::common::temp_files(&[("a.toml", agreement.as_bytes())]);
    let allocated = crate::common::fordela_in(
        dir.path(),
        &["allocate", "a.toml", "--population", "scb-county-population-31dec-2010-2020", "-f", "csv"],
        None,
    );
    assert_eq!(allocated.code, 0, "{}", allocated.stderr);
    std::fs::write(dir.path().join("t.csv"), &allocated.stdout).unwrap();
    let run = crate::common::fordela_in(
        dir.path(),
        &["audit", "t.csv", "-a", "a.toml", "--population", "scb-county-population-31dec-2010-2020", "--unit", "kr"],
        None,
    );
    crate::common::assert_refused(&run, &["a divisor method"]);
}
