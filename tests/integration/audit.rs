//! `fordela audit`: published tables built here from the bundled real county figures, with an
//! independent reference computation (exact quotas, largest remainder, half-up rounding) done
//! in the test, never taken from fordela's output: set-aside rows (one row each), sum rows over
//! their own block, per-capita areas, stated populations and shares, within-county tables,
//! bundled population ids and comment columns; and a real published table (SKR's 2020 one).

use std::fmt::Write;

use crate::common::{self, bundled_counties, fordela};

/// The 2019 agreement's `omstallning`: 1 500 mkr to the regions.
const OMSTALLNING_KR: u128 = 1_500_000_000;
/// The 2019 agreement's `omstallning`: 15 mkr set aside for SKR.
const SKR_KR: u128 = 15_000_000;

/// The bundled counties on `date` as (code, name, population).
fn counties(date: &str) -> Vec<(String, String, u128)> {
    let rows: Vec<(String, String, u128)> = common::bundled_counties(date)
        .into_iter()
        .map(|(code, name, people)| (code, name, u128::from(people)))
        .collect();
    assert_eq!(rows.len(), 21, "{date}");
    rows
}

fn population_sum(rows: &[(String, String, u128)]) -> u128 {
    rows.iter().map(|row| row.2).sum()
}

/// Largest remainder by hand: floors, then one unit each to the largest remainders (ties: larger
/// population, then lower code, which is the rows' order).
fn largest_remainder(total: u128, rows: &[(String, String, u128)]) -> Vec<u128> {
    let sum = population_sum(rows);
    let mut units: Vec<u128> = rows.iter().map(|row| total * row.2 / sum).collect();
    let left = total - units.iter().sum::<u128>();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (total * rows[a].2 % sum, total * rows[b].2 % sum);
        rb.cmp(&ra).then(rows[b].2.cmp(&rows[a].2)).then(a.cmp(&b))
    });
    for &index in order.iter().take(left as usize) {
        units[index] += 1;
    }
    units
}

/// Half up: `floor(quota + 1/2)`, which need not add up.
fn half_up(total: u128, rows: &[(String, String, u128)]) -> Vec<u128> {
    let sum = population_sum(rows);
    rows.iter().map(|row| (2 * total * row.2 + sum) / (2 * sum)).collect()
}

/// A table `code;region;header` with `amounts` (written as integers in the header's unit).
fn table(header: &str, rows: &[(String, String, u128)], amounts: &[u128]) -> String {
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

fn findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["findings"].as_array().unwrap().clone()
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    findings(report).iter().map(|f| f["id"].as_str().unwrap().to_string()).collect()
}

/// `(p − total·w/sum)` in kr, as fordela writes a deviation: the sign, the integer part and nine
/// decimals cut off, `…` when it goes on.
fn deviation_text(published: u128, total: u128, weight: u128, sum: u128) -> String {
    let (scaled, exact) = (published * sum, total * weight);
    let (sign, mut difference) = if scaled >= exact { ("", scaled - exact) } else { ("-", exact - scaled) };
    let integer = difference / sum;
    difference %= sum;
    let mut digits = String::new();
    while difference != 0 && digits.len() < 9 {
        difference *= 10;
        digits.push(char::from(b'0' + (difference / sum) as u8));
        difference %= sum;
    }
    let more = if difference != 0 { "…" } else { "" };
    if digits.is_empty() { format!("{sign}{integer}") } else { format!("{sign}{integer},{digits}{more}") }
}

#[test]
fn fordelas_own_allocation_audits_clean() {
    let own = common::fordela(&["allocate", "--format", "csv"]);
    assert_eq!(own.code, 0, "{}", own.stderr);
    // The table is fordela's; the figures it must hold are computed here.
    let rows = counties("2018-12-31");
    let expected = largest_remainder(OMSTALLNING_KR, &rows);
    let csv = common::csv_rows(&own.stdout);
    for (row, units) in csv[1..22].iter().zip(&expected) {
        assert_eq!(row[4], units.to_string(), "{row:?}");
    }
    let run = audit(&[("own.csv", own.stdout.as_bytes())], &["own.csv", "--unit", "kr", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert!(finding_ids(&report).is_empty(), "{report}");
    assert_eq!(report["best_date"], "2018-12-31");
    assert_eq!(report["columns"].as_array().unwrap().len(), 3);
    for column in report["columns"].as_array().unwrap() {
        assert_eq!(column["rows"].as_array().unwrap().len(), 21);
        for row in column["rows"].as_array().unwrap() {
            assert_eq!(row["published"], row["fordela"], "{row}");
            assert_eq!(row["valid_rounding"], true);
        }
        // SKR's set-aside row is checked exactly, not as a region.
        assert_eq!(column["set_asides"][0]["recipient"], "SKR");
    }
    // Fordela's own population and share columns are named as read, not audited.
    assert_eq!(report["not_audited"], serde_json::json!(["population", "share"]));
}

#[test]
fn a_half_up_table_is_valid_roundings_and_said_not_to_add_up_when_it_does_not() {
    let rows = counties("2018-12-31");
    let mut seen_short = false;
    for total in [OMSTALLNING_KR, 453_000_000, 1_000_000_007, 999_999] {
        let amounts = half_up(total, &rows);
        let adds_up = amounts.iter().sum::<u128>() == total;
        seen_short |= !adds_up;
        let text = table("belopp", &rows, &amounts);
        let run = audit(
            &[("t.csv", text.as_bytes())],
            &["t.csv", "--total", &total.to_string(), "--unit", "kr", "--population-date", "2018-12-31", "-f", "json"],
        );
        let report = json(&run);
        let ids = finding_ids(&report);
        assert!(!ids.iter().any(|id| id == "audit-not-a-rounding"), "{total}: {ids:?}");
        assert_eq!(ids.iter().any(|id| id == "audit-total-mismatch"), !adds_up, "{total}: {ids:?}");
        assert_eq!(run.code, i32::from(!adds_up), "{total}: {}", run.stderr);
        let column = &report["columns"][0];
        assert_eq!(column["published_sum"], serde_json::json!(amounts.iter().sum::<u128>()));
        // Half up and largest remainder differ only where half up does not add up.
        let fordela = largest_remainder(total, &rows);
        assert_eq!(
            column["rows"].as_array().unwrap().iter().all(|row| row["published"] == row["fordela"]),
            amounts == fordela
        );
    }
    assert!(seen_short, "at least one of the totals must show a half-up table that does not add up");
}

#[test]
fn a_table_from_another_date_is_found_and_the_date_named() {
    let rows = counties("2016-12-31");
    let amounts = largest_remainder(OMSTALLNING_KR, &rows);
    let text = table("belopp", &rows, &amounts);
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--area", "omstallning", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    assert_eq!(report["population_date"], "2018-12-31", "the agreement's date is audited");
    assert_eq!(report["best_date"], "2016-12-31");
    assert!(finding_ids(&report).contains(&"audit-other-date-fits-better".to_string()));
    let fit = report["dates"].as_array().unwrap().iter().find(|fit| fit["date"] == "2016-12-31").unwrap();
    assert_eq!(
        (fit["valid_roundings"].as_u64(), fit["cells"].as_u64(), fit["consistent"].as_bool()),
        (Some(21), Some(21), Some(true))
    );
    // In words, in the table.
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--area", "omstallning", "--unit", "kr"]);
    assert!(run.stdout.contains("audit-other-date-fits-better"), "{}", run.stdout);
    assert!(run.stdout.contains("was it computed from 2016-12-31's figures?"), "{}", run.stdout);
}

#[test]
fn a_row_changed_by_two_kronor_is_exactly_that_row() {
    let rows = counties("2018-12-31");
    let mut amounts = largest_remainder(OMSTALLNING_KR, &rows);
    let jamtland = rows.iter().position(|row| row.0 == "23").unwrap();
    amounts[jamtland] += 2;
    let text = table("belopp", &rows, &amounts);
    let args = ["t.csv", "--area", "omstallning", "--unit", "kr", "-f", "json"];
    let run = audit(&[("t.csv", text.as_bytes())], &args);
    assert_eq!(run.code, 1);
    let report = json(&run);
    let not_roundings: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "audit-not-a-rounding").collect();
    assert_eq!(not_roundings.len(), 1, "{report}");
    assert_eq!(not_roundings[0]["code"], "23");
    assert_eq!(not_roundings[0]["line"], serde_json::json!(jamtland + 2));
    assert!(finding_ids(&report).contains(&"audit-total-mismatch".to_string()));
    // The deviation, computed here: published − 1 500 000 000 · 130 280 / Σ.
    let expected = deviation_text(amounts[jamtland], OMSTALLNING_KR, rows[jamtland].2, population_sum(&rows));
    assert!(expected.starts_with("2,1"), "{expected}");
    let run = audit(&[("t.csv", text.as_bytes())], &args[..5]);
    let line = run.stdout.lines().find(|line| line.contains("audit-not-a-rounding")).unwrap();
    assert!(line.contains(&format!("deviation {expected} kr")), "{line} / {expected}");
    assert!(line.contains("23 Jämtlands län"), "{line}");
}

#[test]
fn a_missing_region_and_an_unknown_code_are_findings() {
    let rows = counties("2018-12-31");
    let amounts = largest_remainder(OMSTALLNING_KR, &rows);
    let mut text = table("belopp", &rows[1..], &amounts[1..]);
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--area", "omstallning", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    let missing: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "audit-missing-recipient").collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(
        (&missing[0]["code"], &missing[0]["name"]),
        (&serde_json::json!("01"), &serde_json::json!("Stockholms län"))
    );
    text.push_str("99;Atlantis;5\n");
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--area", "omstallning", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    let unknown: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "audit-unknown-recipient").collect();
    assert_eq!(unknown.len(), 1, "{report}");
    assert_eq!(unknown[0]["line"], 22);
}

#[test]
fn one_region_written_twice_as_1_and_01_is_refused() {
    let rows = counties("2018-12-31");
    let amounts = largest_remainder(OMSTALLNING_KR, &rows);
    let mut text = table("belopp", &rows, &amounts);
    text.push_str("1;;5\n");
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--area", "omstallning", "--unit", "kr"]);
    common::assert_refused(&run, &["t.csv, line 23", "`1` is 01 Stockholms län", "line 2 already gives"]);
}

#[test]
fn a_table_in_tkr_says_so_in_its_header() {
    let rows = counties("2018-12-31");
    // 1 500 mkr is 1 500 000 tkr, split in whole tkr.
    let amounts = largest_remainder(1_500_000, &rows);
    let text = table("Belopp (tkr)", &rows, &amounts).replace('\n', "\r\n");
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--area", "omstallning", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json(&run);
    assert_eq!(report["step"], serde_json::json!({ "unit": "tkr", "decimals": 0 }));
    assert!(report["columns"][0]["rows"].as_array().unwrap().iter().all(|row| row["published"] == row["fordela"]));
    // A unit the flag contradicts is refused, not chosen between.
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--area", "omstallning", "--unit", "mkr"]);
    common::assert_refused(&run, &["`Belopp (tkr)` says tkr but `--unit` says mkr"]);
    // Without a unit anywhere, nothing is guessed.
    let plain = table("belopp", &rows, &amounts);
    let run = audit(&[("t.csv", plain.as_bytes())], &["t.csv", "--area", "omstallning"]);
    common::assert_refused(&run, &["does not say its unit"]);
}

#[test]
fn hostile_tables_are_refused_with_their_line() {
    let head = "code;region;belopp\n01;Stockholms län;5\n";
    for (extra, needle) in [
        ("03;Uppsala län;\n", "line 3: column `belopp`: empty amount"),
        ("03;Uppsala län;-5\n", "negative"),
        ("03;Uppsala län;1.000\n", "could be read two ways"),
        ("03;Stockholms län;5\n", "code `03` is 03 Uppsala län, but the name `Stockholms län` is 01"),
        ("03;Uppsala län;99999999999999999999999\n", "above 10^18"),
    ] {
        let text = format!("{head}{extra}");
        let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--total", "100", "--unit", "kr"]);
        common::assert_refused(&run, &[needle]);
    }
    let run = audit(&[("t.csv", b"code;region;belopp;extra\n01;X;5;7\n")], &["t.csv", "--total", "5", "--unit", "kr"]);
    common::assert_refused(&run, &["`extra`"]);
}

#[test]
fn excel_csv_swedish_labels_and_an_atomic_output_file() {
    let rows = counties("2018-12-31");
    let amounts = largest_remainder(OMSTALLNING_KR, &rows);
    let text = table("belopp", &rows, &amounts);
    let dir = common::temp_files(&[("t.csv", text.as_bytes())]);
    let run = common::fordela_in(
        dir.path(),
        &["audit", "t.csv", "--area", "omstallning", "--unit", "kr", "-f", "excel", "-o", "out.csv"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = std::fs::read(dir.path().join("out.csv")).unwrap();
    assert!(written.starts_with(b"\xef\xbb\xbfarea;line;code;"), "{:?}", &written[..30]);
    assert!(
        String::from_utf8_lossy(&written).contains("\r\nomstallning;2;01;Stockholms län;2344124;343706980,861049922…;")
    );
    let run = common::fordela_in(
        dir.path(),
        &["audit", "t.csv", "--area", "omstallning", "--unit", "kr", "--lang", "sv"],
        None,
    );
    assert!(run.stdout.starts_with("Granskning av t.csv"), "{}", run.stdout);
    assert!(run.stdout.contains("Inga fynd: tabellen är konsistent."), "{}", run.stdout);
}

mod properties {
    use fordela::commands::audit::compute::{Against, ColumnBasis, DateChoice, FindingKind, Settings, Step, audit};
    use fordela::commands::audit::published::{AmountColumns, read_published};
    use fordela::core::amount::{Scaled, Unit};
    use fordela::core::apportion::Method;
    use fordela::core::population::read_population;
    use fordela::io::input::Input;
    use proptest::prelude::*;

    use super::{counties, largest_remainder, population_sum, table};

    fn run(total: u128, amounts: &[u128]) -> Vec<FindingKind> {
        let rows = counties("2018-12-31");
        let text = table("belopp", &rows, amounts);
        let published =
            read_published(&Input::from_text("t.csv", &text), &AmountColumns::Single, Some(Unit::Kr)).unwrap();
        let bundled = fordela::io::bundled::population(fordela::io::bundled::DEFAULT_POPULATION).unwrap();
        let population =
            read_population(&Input::from_text("pop.csv", bundled.text), "2018-12-31".parse().unwrap()).unwrap();
        let basis = ColumnBasis {
            id: "amount".into(),
            name: "total".into(),
            key: "population".into(),
            method: Method::LargestRemainder,
            total_kr: Scaled { mantissa: total, scale: 0 },
            set_asides: Vec::new(),
        };
        let date = population.date;
        let settings = Settings {
            step: Step { unit: Unit::Kr, decimals: 0 },
            audited: date,
            date_choice: DateChoice::Flag,
            against: Against::Total,
            strict: false,
        };
        let report = audit(&published, &[basis], &[population], settings).unwrap();
        report.findings.into_iter().map(|finding| finding.kind).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A largest-remainder table always audits clean; moving k ≥ 1 kr from one row to
        /// another is found in exactly the rows it takes past floor or ceil of their quota.
        #[test]
        fn largest_remainder_is_clean_and_a_moved_amount_is_found(
            total in 1u128..10_000_000_000_000,
            from in 0usize..21,
            to in 0usize..21,
            k in 1u128..1_000,
        ) {
            prop_assume!(from != to);
            let rows = counties("2018-12-31");
            let amounts = largest_remainder(total, &rows);
            prop_assert!(run(total, &amounts).is_empty());
            prop_assume!(amounts[from] >= k);
            let mut changed = amounts.clone();
            changed[from] -= k;
            changed[to] += k;
            let sum = population_sum(&rows);
            // Valid iff floor(q) ≤ p ≤ ceil(q), i.e. p·sum > q·sum − sum and p·sum < q·sum + sum.
            let valid = |p: u128, weight: u128| p * sum + sum > total * weight && p * sum < total * weight + sum;
            let expected: Vec<String> =
                [from, to].iter().filter(|&&i| !valid(changed[i], rows[i].2)).map(|&i| rows[i].0.clone()).collect();
            let found: Vec<String> = run(total, &changed)
                .into_iter()
                .map(|kind| match kind {
                    FindingKind::NotARounding { code, .. } => code,
                    other => panic!("only rows that are no rounding, not {other:?}"),
                })
                .collect();
            let mut expected = expected;
            expected.sort();
            let mut found = found;
            found.sort();
            prop_assert_eq!(found, expected);
        }
    }
}

/// SCB's county figures 2010–2020, bundled: read as the file and named by path with --population.
const COUNTIES_2010_2020: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/data/population/scb-county-population-31dec-2010-2020.csv");

#[test]
fn a_table_from_the_newest_figures_is_placed_on_that_date() {
    let text = std::fs::read_to_string(COUNTIES_2010_2020).unwrap();
    let rows: Vec<(String, String, u128)> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[2] == "2020-12-31")
                .then(|| (fields[0].to_string(), fields[1].to_string(), fields[3].parse().unwrap()))
        })
        .collect();
    assert_eq!(rows.len(), 21);
    // 2020's general grant to the regions is not in this file: any total will do for the fit.
    let total = 12_345_678_901;
    let amounts = largest_remainder(total, &rows);
    let table = table("belopp", &rows, &amounts);
    let base = ["t.csv", "--total", "12345678901", "--unit", "kr", "--population", COUNTIES_2010_2020, "-f", "json"];
    // No date named and no agreement: the date that fits best is audited, and said to be.
    let run = audit(&[("t.csv", table.as_bytes())], &base);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json(&run);
    assert_eq!((&report["population_date"], &report["best_date"]), (&"2020-12-31".into(), &"2020-12-31".into()));
    assert_eq!(report["date_choice"]["kind"], "best-fit");
    assert_eq!(report["dates"].as_array().unwrap().len(), 11);
    // Audited on 2019's figures, the table is not a rounding of them, and 2020 is named.
    let run = audit(&[("t.csv", table.as_bytes())], &[&base[..], &["--population-date", "2019-12-31"]].concat());
    assert_eq!(run.code, 1);
    let report = json(&run);
    assert_eq!(report["best_date"], "2020-12-31");
    let other = report["findings"].as_array().unwrap().iter().find(|f| f["id"] == "audit-other-date-fits-better");
    assert_eq!(other.unwrap()["best"], "2020-12-31");
    assert_eq!(other.unwrap()["severity"], "warning");
}

#[test]
fn a_coarse_half_up_table_fits_several_dates_and_the_audited_one_is_kept() {
    // 453 mkr in whole mkr, half up: every row a valid rounding, 454 in all (computed here).
    let rows = counties("2018-12-31");
    let amounts = half_up(453, &rows);
    assert_eq!(amounts.iter().sum::<u128>(), 454);
    let text = table("Belopp (mkr)", &rows, &amounts);
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--area", "tillganglighet", "-f", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    assert_eq!(finding_ids(&report), ["audit-total-mismatch"]);
    assert_eq!(report["best_date"], "2018-12-31");
    let run = audit(&[("t.csv", text.as_bytes())], &["t.csv", "--area", "tillganglighet"]);
    assert!(run.stdout.contains("the amounts add up to 454 mkr, not to the total 453 mkr"), "{}", run.stdout);
    assert!(run.stdout.contains("fits as well"), "{}", run.stdout);
}

#[test]
fn sum_rows_row_totals_and_set_asides_are_checked_against_what_they_sum() {
    let own = common::fordela(&["allocate", "--format", "csv"]).stdout;
    // SKR's 15 mkr set aside for `omstallning` written as 15 000 001 kr (its total too);
    // Stockholm's total one krona off its areas; a sum row one krona off the rows.
    let changed = own
        .replace(",SKR,,,15000000,0,9000000,24000000", ",SKR,,,15000001,0,9000000,24000001")
        .replace(",551305997\n", ",551305998\n")
        + ",Totalt,,,1515000000,453000000,462000000,2430000000\n";
    let run = audit(&[("t.csv", changed.as_bytes())], &["t.csv", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    let mut ids = finding_ids(&report);
    ids.sort();
    assert_eq!(ids, ["audit-row-total-mismatch", "audit-set-aside-mismatch", "audit-sum-row-mismatch"], "{report}");
    let sum_row = report["findings"].as_array().unwrap().iter().find(|f| f["id"] == "audit-sum-row-mismatch").unwrap();
    // The regions' omstallning amounts add up to 1 500 000 000 and SKR's to 15 000 001.
    assert_eq!((sum_row["stated"].as_u64(), sum_row["sum"].as_u64()), (Some(1_515_000_000), Some(1_515_000_001)));
    assert_eq!(report["consistent"], false);
}

#[test]
fn the_example_tables_tell_their_stories() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = common::fordela_in(
        dir,
        &["audit", "examples/audit/omstallning-2017-figures.csv", "--unit", "kr", "-f", "json"],
        None,
    );
    assert_eq!(run.code, 1);
    let report = json(&run);
    assert_eq!(report["best_date"], "2017-12-31");
    // Its amounts are largest remainder on 2017's figures, computed here.
    let expected = largest_remainder(OMSTALLNING_KR, &counties("2017-12-31"));
    let published: Vec<u128> = report["columns"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["published"].as_u64().unwrap().into())
        .collect();
    assert_eq!(published, expected);
    let run = common::fordela_in(
        dir,
        &["audit", "examples/audit/tillganglighet-half-up-mkr.csv", "--area", "tillganglighet", "-f", "json"],
        None,
    );
    assert_eq!(run.code, 1);
    assert_eq!(finding_ids(&json(&run)), ["audit-total-mismatch"]);
}

#[test]
fn a_table_in_kronor_rounded_to_thousands_is_audited_at_that_step() {
    let rows = counties("2018-12-31");
    // 1 500 000 tkr split in whole tkr, written in kr.
    let amounts: Vec<u128> = largest_remainder(1_500_000, &rows).iter().map(|tkr| tkr * 1000).collect();
    let text = table("belopp", &rows, &amounts);
    let files = [("t.csv", text.as_bytes())];
    // At 1 kr, hardly a row is a rounding of its quota; at 1 000 kr, all are.
    let run = audit(&files, &["t.csv", "--area", "omstallning", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1);
    let run = audit(&files, &["t.csv", "--area", "omstallning", "--unit", "kr", "--step", "1000kr", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json(&run);
    assert_eq!(report["step"], serde_json::json!({ "unit": "kr", "decimals": -3 }));
    let run = audit(&files, &["t.csv", "--area", "omstallning", "--unit", "kr", "--step", "1000kr"]);
    assert!(run.stdout.contains("rounded to 1 000 kr"), "{}", run.stdout);
    assert!(run.stdout.contains("343 707 000"), "{}", run.stdout);
    // A step the amounts are not written to, and a step that is no power of ten, are refused.
    let run = audit(&files, &["t.csv", "--area", "omstallning", "--unit", "kr", "--step", "1000000kr"]);
    common::assert_refused(&run, &["t.csv, line 2", "is not a whole step"]);
    let run = audit(&files, &["t.csv", "--area", "omstallning", "--unit", "kr", "--step", "500kr"]);
    common::assert_refused(&run, &["a power of ten"]);
}

/// The regions' `omstallning` rows of 2018-12-31, as `code,region,omstallning` lines.
fn region_lines() -> Vec<String> {
    let rows = counties("2018-12-31");
    let amounts = largest_remainder(OMSTALLNING_KR, &rows);
    rows.iter().zip(&amounts).map(|(row, amount)| format!("{},{},{amount}", row.0, row.1)).collect()
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

// A real published distribution table (SKR, kvinnors hälsa 2020, `data/tables/`) audited
// against SCB's bundled county figures; the expectation is worked out here from the raw
// figures, by exact integer arithmetic.

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

    let flagged = |report: &serde_json::Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|finding| finding["id"] == "audit-not-a-rounding")
            .map(|finding| finding["name"].as_str().unwrap().to_string())
            .collect()
    };
    // No date named: audited on the date that fits best, 2018, where only the two are off.
    let run = fordela(&["audit", TABLE, "--total", "937000000", "--unit", "kr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!((&report["best_date"], &report["population_date"]), (&"2018-12-31".into(), &"2018-12-31".into()));
    assert_eq!(report["date_choice"]["kind"], "best-fit");
    let date = report["dates"].as_array().unwrap().iter().find(|date| date["date"] == "2018-12-31").unwrap();
    assert_eq!(date["valid_roundings"], 19, "{date}");
    assert_eq!(flagged(&report), ["Skåne län", "Västernorrlands län"]);
    // Audited on the file's latest date (2020), every row is off, and 2018 is pointed to.
    let on_2020 = fordela(&[
        "audit",
        TABLE,
        "--total",
        "937000000",
        "--unit",
        "kr",
        "--population-date",
        "2020-12-31",
        "-f",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&on_2020.stdout).unwrap();
    assert_eq!(flagged(&report).len(), 21);
    assert!(finding_ids(&report).contains(&"audit-other-date-fits-better".to_string()));
}
