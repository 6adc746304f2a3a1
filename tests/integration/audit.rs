//! `fordela audit`: published tables built here from the bundled real county figures, with an
//! independent reference computation (exact quotas, largest remainder, half-up rounding) done
//! in the test, never taken from fordela's output.

use std::fmt::Write;

use crate::common;

/// The 2019 agreement's `omstallning`: 1 500 mkr to the regions.
const OMSTALLNING_KR: u128 = 1_500_000_000;

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
    // No date named and no agreement: the file's latest is audited, and said to be.
    let run = audit(&[("t.csv", table.as_bytes())], &base);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json(&run);
    assert_eq!((&report["population_date"], &report["best_date"]), (&"2020-12-31".into(), &"2020-12-31".into()));
    assert_eq!(report["date_choice"]["kind"], "latest");
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
