//! Municipalities (issue 15): the bundled SCB tables, the split within a county and the
//! two-level table, checked against a largest-remainder split computed here from the raw
//! figures of the data files (not through fordela), and the lists' completeness and codes; an
//! excluded county and a rounding step within a county or nested.

use std::collections::BTreeMap;

use crate::common;

use common::{assert_refused, csv_rows, fordela, fordela_in, temp_files};

const MUNICIPALITIES: &str = include_str!("../../data/population/scb-municipality-population-31dec-2017-2019.csv");

/// The bundled 2019 agreement's areas (regions' amounts in kr) and SKR's set-asides, as its
/// sidecar and the seed documents give them.
const AREAS: [(&str, u128); 3] =
    [("omstallning", 1_500_000_000), ("tillganglighet", 453_000_000), ("patientkontrakt", 453_000_000)];
const SKR: [u128; 3] = [15_000_000, 0, 9_000_000];

/// The municipalities on `date` as (code, name, county, population), from the data file.
fn municipalities(date: &str) -> Vec<(String, String, String, u64)> {
    MUNICIPALITIES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            (f[3] == date).then(|| (f[0].to_string(), f[1].to_string(), f[2].to_string(), f[4].parse().unwrap()))
        })
        .collect()
}

/// Largest remainder, written out plainly: whole quotas, then one unit each to the largest
/// remainders, equal remainders to the larger weight, then to the earlier row (lower code).
fn largest_remainder(total: u128, weights: &[u64]) -> Vec<u128> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut units: Vec<u128> = weights.iter().map(|&w| total * u128::from(w) / sum).collect();
    let left = total - units.iter().sum::<u128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let remainder = |i: usize| total * u128::from(weights[i]) % sum;
        remainder(b).cmp(&remainder(a)).then(weights[b].cmp(&weights[a])).then(a.cmp(&b))
    });
    for &index in order.iter().take(usize::try_from(left).unwrap()) {
        units[index] += 1;
    }
    units
}

/// Each county's amount per area on `date`, by code: the county level, computed here.
fn county_amounts(date: &str) -> BTreeMap<String, Vec<u128>> {
    let counties = common::bundled_counties(date);
    let weights: Vec<u64> = counties.iter().map(|(_, _, population)| *population).collect();
    let columns: Vec<Vec<u128>> = AREAS.iter().map(|(_, amount)| largest_remainder(*amount, &weights)).collect();
    counties
        .iter()
        .enumerate()
        .map(|(row, (code, _, _))| (code.clone(), columns.iter().map(|column| column[row]).collect()))
        .collect()
}

/// The municipal split of every county (or of `only`), computed here: code → amounts.
fn municipal_amounts(date: &str, only: Option<&str>) -> BTreeMap<String, Vec<u128>> {
    let counties = county_amounts(date);
    let all = municipalities(date);
    let mut result = BTreeMap::new();
    for (county, amounts) in &counties {
        if only.is_some_and(|only| only != county) {
            continue;
        }
        let members: Vec<&(String, String, String, u64)> = all.iter().filter(|m| &m.2 == county).collect();
        let weights: Vec<u64> = members.iter().map(|m| m.3).collect();
        let columns: Vec<Vec<u128>> = amounts.iter().map(|&amount| largest_remainder(amount, &weights)).collect();
        for (row, member) in members.iter().enumerate() {
            result.insert(member.0.clone(), columns.iter().map(|column| column[row]).collect());
        }
    }
    result
}

fn number(field: &str) -> u128 {
    field.parse().unwrap_or_else(|_| panic!("`{field}` is not a whole number"))
}

#[test]
fn the_bundled_municipalities_are_290_a_date_and_add_up_to_the_county_table() {
    for date in ["2017-12-31", "2018-12-31", "2019-12-31"] {
        let all = municipalities(date);
        assert_eq!(all.len(), 290, "{date}");
        let mut sums: BTreeMap<String, u64> = BTreeMap::new();
        for (code, _, county, population) in &all {
            assert_eq!(&code[..2], county, "{code}");
            *sums.entry(county.clone()).or_default() += population;
        }
        let counties: BTreeMap<String, u64> =
            common::bundled_counties(date).into_iter().map(|(code, _, population)| (code, population)).collect();
        assert_eq!(sums, counties, "{date}");
    }
}

#[test]
fn jamtland_within_adds_up_to_its_amount_and_is_the_split_computed_here() {
    let run = fordela(&["allocate", "--within", "23", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(
        rows[0],
        ["code", "region", "population", "share", "omstallning", "tillganglighet", "patientkontrakt", "total"]
    );
    let expected = municipal_amounts("2018-12-31", Some("23"));
    assert_eq!(rows.len() - 1, 8);
    assert_eq!(expected.len(), 8);
    let county = &county_amounts("2018-12-31")["23"];
    // Jämtland Härjedalen's amounts per area (README: 19 102 294 / 5 768 893 / 5 768 893 kr).
    assert_eq!(county, &vec![19_102_294, 5_768_893, 5_768_893]);
    let mut sums = [0u128; 3];
    for row in &rows[1..] {
        assert!(row[0].starts_with("23"), "{row:?}");
        let amounts: Vec<u128> = row[4..7].iter().map(|field| number(field)).collect();
        assert_eq!(amounts, expected[&row[0]], "{}", row[0]);
        assert_eq!(number(&row[7]), amounts.iter().sum::<u128>());
        for (sum, amount) in sums.iter_mut().zip(&amounts) {
            *sum += amount;
        }
    }
    assert_eq!(sums.to_vec(), *county);
    // Both levels' figures are named.
    assert!(run.stderr.contains("scb-municipality-population-31dec-2017-2019.csv"), "{}", run.stderr);
    assert!(run.stderr.contains("scb-county-population-31dec-2010-2020.csv"), "{}", run.stderr);
    // The county by name, and the table form: the same split.
    let by_name = fordela(&["allocate", "--within", "Region Jämtland Härjedalen", "-f", "csv"]);
    assert_eq!(by_name.stdout, run.stdout);
    let table = fordela(&["allocate", "--within", "23"]);
    assert!(table.stdout.contains("│ 2380 ┆ Östersund"), "{}", table.stdout);
    assert!(table.stdout.contains("30 640 080"), "{}", table.stdout);
    assert!(table.stdout.contains("Counties: Jämtlands län (23) gets these amounts"), "{}", table.stdout);
}

#[test]
fn the_nested_table_adds_up_both_ways() {
    let run = fordela(&["allocate", "--nested", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0][..3], ["code", "region", "county"]);
    let expected = municipal_amounts("2018-12-31", None);
    let counties = county_amounts("2018-12-31");
    let mut by_county: BTreeMap<String, Vec<u128>> = BTreeMap::new();
    let mut columns = [0u128; 3];
    let mut municipal_rows = 0;
    for row in &rows[1..] {
        let amounts: Vec<u128> = row[5..8].iter().map(|field| number(field)).collect();
        for (sum, amount) in columns.iter_mut().zip(&amounts) {
            *sum += amount;
        }
        if row[0].is_empty() {
            assert_eq!(row[1], "SKR");
            assert_eq!(amounts, SKR);
            continue;
        }
        municipal_rows += 1;
        assert_eq!(row[2], &row[0][..2], "{row:?}");
        assert_eq!(amounts, expected[&row[0]], "{}", row[0]);
        let county = by_county.entry(row[2].clone()).or_insert_with(|| vec![0; 3]);
        for (sum, amount) in county.iter_mut().zip(&amounts) {
            *sum += amount;
        }
    }
    assert_eq!(municipal_rows, 290);
    // Every county's municipalities add up to its amount; every column to the agreement.
    assert_eq!(by_county, counties);
    let agreement: Vec<u128> = AREAS.iter().zip(SKR).map(|((_, regions), skr)| regions + skr).collect();
    assert_eq!(columns.to_vec(), agreement);
    assert_eq!(columns.iter().sum::<u128>(), 2_430_000_000);
    // JSON names each municipality's county and the county level.
    let json: serde_json::Value =
        serde_json::from_str(&fordela(&["allocate", "--nested", "-f", "json"]).stdout).unwrap();
    assert_eq!(json["recipients"][0]["county"], "01");
    assert_eq!(json["county_level"]["population"]["date_used"], "2018-12-31");
    assert!(json["county_level"]["within"].is_null());
}

#[test]
fn the_county_table_of_2010_2020_splits_2019_as_before() {
    // The county level computed here from the raw 2018 figures is what fordela gives, all 21.
    let run = fordela(&["allocate", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = county_amounts("2018-12-31");
    let rows = csv_rows(&run.stdout);
    for row in &rows[1..22] {
        let amounts: Vec<u128> = row[4..7].iter().map(|field| number(field)).collect();
        assert_eq!(amounts, expected[&row[0]], "{}", row[0]);
    }
    // The old id still names the table, which holds the same rows.
    let old = fordela(&["allocate", "-f", "csv", "--population", "scb-county-population-31dec-2010-2019"]);
    assert_eq!(old.stdout, run.stdout, "{}", old.stderr);
    // 2020 is there now.
    let run = fordela(&["allocate", "-f", "csv", "--population-date", "2020-12-31"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_bare_year_means_31_december_and_says_so() {
    let year = fordela(&["allocate", "-f", "csv", "--population-date", "2019"]);
    let day = fordela(&["allocate", "-f", "csv", "--population-date", "2019-12-31"]);
    assert_eq!(year.code, 0, "{}", year.stderr);
    assert_eq!(year.stdout, day.stdout);
    assert!(year.stderr.contains("--population-date 2019 is read as 2019-12-31"), "{}", year.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&fordela(&["allocate", "-f", "json", "--population-date", "2019"]).stdout).unwrap();
    assert_eq!(json["population"]["date_used"], "2019-12-31");
    assert_eq!(json["population"]["substitution"], "chosen with --population-date 2019");
    // A year the file lacks: the dates it has.
    let run = fordela(&["allocate", "--population-date", "2021"]);
    assert_refused(&run, &["read as 2021-12-31", "has no figures for 2021-12-31", "2010-12-31", "2020-12-31"]);
    // The municipalities have 2017–2019 only: --within on 2020 says so.
    let run = fordela(&["allocate", "--within", "23", "--population-date", "2020"]);
    assert_refused(&run, &["municipalities must have figures of the date the counties use, 2020-12-31", "2019-12-31"]);
}

#[test]
fn a_bundled_table_is_named_by_id() {
    let run = fordela(&[
        "allocate",
        "-f",
        "csv",
        "--population",
        "scb-municipality-population-31dec-2017-2019",
        "--population-date",
        "2019",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(csv_rows(&run.stdout).len(), 1 + 290 + 1);
}

/// The bundled municipalities of 2018 as a file of one's own, changed by `change`.
fn municipal_file(change: impl Fn(&str) -> Option<String>) -> String {
    let mut text = String::from("code,municipality,county,date,population\n");
    for line in MUNICIPALITIES.lines().skip(1).filter(|line| line.contains(",2018-12-31,")) {
        if let Some(line) = change(line) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    text
}

fn run_with(text: &str, extra: &[&str]) -> common::Run {
    let dir = temp_files(&[("m.csv", text.as_bytes())]);
    let mut args = vec!["allocate", "-f", "csv", "--population", "m.csv", "--population-date", "2018-12-31"];
    args.extend(extra);
    fordela_in(dir.path(), &args, None)
}

#[test]
fn a_list_of_municipalities_lacking_one_is_refused_naming_it() {
    let text = municipal_file(|line| (!line.starts_with("2380,")).then(|| line.to_string()));
    assert_refused(&run_with(&text, &[]), &["lack 2380 Östersund", "needs all 290", "--allow-missing"]);
    for flag in ["--allow-missing", "--allow-missing-regions"] {
        let run = run_with(&text, &[flag]);
        assert_eq!(run.code, 0, "{flag}: {}", run.stderr);
        assert_eq!(csv_rows(&run.stdout).len(), 1 + 289 + 1);
    }
    // Within a county: its own municipalities are the whole list.
    let jamtland = municipal_file(|line| line.starts_with("23").then(|| line.to_string()));
    let run = run_with(&jamtland, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let without_berg =
        municipal_file(|line| (line.starts_with("23") && !line.starts_with("2326")).then(|| line.to_string()));
    assert_refused(&run_with(&without_berg, &[]), &["lack 2326 Berg", "of county 23 needs all 8"]);
    let dir = temp_files(&[("m.csv", without_berg.as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "--within", "23", "--population", "m.csv"], None);
    assert_refused(&run, &["lack 2326 Berg"]);
}

#[test]
fn four_digit_codes_keep_their_lessons() {
    // `114` alone is 0114, said in a note; the split is the same.
    let plain = run_with(&municipal_file(|line| Some(line.to_string())), &[]);
    let dropped = run_with(&municipal_file(|line| Some(line.strip_prefix('0').unwrap_or(line).to_string())), &[]);
    assert_eq!(dropped.code, 0, "{}", dropped.stderr);
    assert_eq!(dropped.stdout, plain.stdout);
    assert!(dropped.stderr.contains("`114` as 0114 (line 2)"), "{}", dropped.stderr);
    // `114` and `0114` in one file: one municipality twice.
    let twice = municipal_file(|line| {
        Some(if line.starts_with("0114,") {
            format!("{line}\n{}", line.strip_prefix('0').unwrap())
        } else {
            line.to_string()
        })
    });
    assert_refused(&run_with(&twice, &[]), &["line 3", "code `114` is the same code as `0114` on line 2"]);
    // A county column that disagrees with the code.
    let wrong = municipal_file(|line| Some(line.replacen("2380,Östersund,23,", "2380,Östersund,22,", 1)));
    assert_refused(&run_with(&wrong, &[]), &["field `county` says 22, but code `2380` is a municipality of county 23"]);
    // The county by name, as exports write it, is checked the same way.
    let named = municipal_file(|line| Some(line.replacen(",23,", ",Jämtlands län,", 1)));
    let run = run_with(&named, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, plain.stdout);
    let misnamed = municipal_file(|line| Some(line.replacen("2380,Östersund,23,", "2380,Östersund,Gotlands län,", 1)));
    assert_refused(&run_with(&misnamed, &[]), &["field `county` says 09, but code `2380`"]);
    // A county's row among the municipalities is a subtotal.
    let subtotal = municipal_file(|line| {
        Some(if line.starts_with("2303,") {
            format!("{line}\n23,Jämtlands län,,2018-12-31,130280")
        } else {
            line.to_string()
        })
    });
    assert_refused(&run_with(&subtotal, &[]), &["county subtotal"]);
}

#[test]
fn within_needs_municipalities_and_a_county() {
    let run = fordela(&["allocate", "--within", "23", "--population", "scb-county-population-31dec-2010-2020"]);
    assert_refused(&run, &["need a table of municipalities", "a table of the regions"]);
    assert_refused(&fordela(&["allocate", "--within", "Atlantis"]), &["--within `Atlantis`"]);
    assert_refused(&fordela(&["allocate", "--nested", "--round", "0.1mkr"]), &["--round"]);
}

#[test]
fn two_tables_that_disagree_on_a_county_are_said_to() {
    // Östersund's 2018 figure changed by hand: the municipalities no longer add up to the
    // county table's Jämtland, and the split says so instead of mixing them silently.
    let text = municipal_file(|line| {
        Some(line.replacen("2380,Östersund,23,2018-12-31,63227", "2380,Östersund,23,2018-12-31,63000", 1))
    });
    let dir = temp_files(&[("m.csv", text.as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "--within", "23", "--population", "m.csv", "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("county 23: 130 280 in the county table, 130 053 in the municipalities'"),
        "{}",
        run.stderr
    );
    // Still adds up to the county's amount.
    let sums: Vec<u128> =
        (4..7).map(|column| csv_rows(&run.stdout)[1..].iter().map(|row| number(&row[column])).sum()).collect();
    assert_eq!(sums, county_amounts("2018-12-31")["23"]);
}

#[test]
fn within_an_excluded_county_is_refused() {
    for policy in ["withhold", "redistribute"] {
        let run = fordela(&["allocate", "--within", "23", "--exclude", "23", "--exclusion-policy", policy]);
        assert_refused(&run, &["--within 23: Jämtlands län (23) is not eligible", "nothing to split"]);
    }
}

#[test]
fn nested_with_an_excluded_county_withholds_its_whole_amount() {
    let run = fordela(&["allocate", "--nested", "--exclude", "23", "--exclusion-policy", "withhold", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    // The agreement by hand: omställning 1 500 + 15 (SKR), tillgänglighet 453, patientkontrakt
    // 453 + 9 (SKR) mkr.
    let agreement: [u128; 3] = [1_515_000_000, 453_000_000, 462_000_000];
    let column = |label: &str| rows[0].iter().position(|field| field == label).unwrap();
    let columns = [column("omstallning"), column("tillganglighet"), column("patientkontrakt")];
    let withheld = rows.iter().find(|row| row[1].starts_with("Withheld")).expect("a withheld line");
    let note = "not eligible: 2303, 2305, 2309, 2313, 2321, 2326, 2361, 2380 (the municipalities of 23, excluded with \
                --exclude); their share is withheld, on a line of its own";
    assert!(run.stderr.contains(note), "{}", run.stderr);
    for (area, (&at, &whole)) in columns.iter().zip(&agreement).enumerate() {
        let sum: u128 = rows[1..].iter().map(|row| row[at].parse::<u128>().unwrap()).sum();
        assert_eq!(sum, whole, "area {area}");
        // Jämtland's municipalities get nothing.
        assert!(rows.iter().filter(|row| row[2] == "23").all(|row| row[at] == "0"));
    }
    // What is withheld is Jämtland's share of the regions' amounts by population: largest
    // remainder gives it the floor of its quota or one unit more.
    let counties = common::bundled_counties("2018-12-31");
    let everyone: u128 = counties.iter().map(|(_, _, population)| u128::from(*population)).sum();
    let jamtland = u128::from(counties.iter().find(|(code, ..)| code == "23").unwrap().2);
    for (&at, regions) in columns.iter().zip([1_500_000_000u128, 453_000_000, 453_000_000]) {
        let floor = regions * jamtland / everyone;
        let held: u128 = withheld[at].parse().unwrap();
        assert!(held == floor || held == floor + 1, "{held} against quota floor {floor}");
    }
}

#[test]
fn within_a_county_rounding_names_the_county_s_amount() {
    let run = fordela(&["allocate", "--within", "23", "--round", "0.1mkr"]);
    assert_refused(&run, &["the amount of Jämtlands län (23) in area `omstallning`", "not a whole number of steps"]);
}
