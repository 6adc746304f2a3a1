//! The allocation rules real agreements use. Every expected figure is worked out by hand in
//! the comment above it, on the synthetic `tests/data/population-keys.csv`:
//! 2020-12-31: Alfa 500, Beta 300, Gamma 200 (children 40, 30, 30); or, for exclusions named
//! as people write them and rates per inhabitant, from the bundled county figures.

use crate::common;

use std::fmt::Write as _;

use common::{assert_refused, csv_rows, data, fordela, fordela_in, temp_files};

/// `allocate` on an agreement of `total` kr with one area `a` whose table lines are `area`
/// and top-level lines `top`; returns the three regions' amounts and the other CSV rows.
fn split(top: &str, area: &str, total: u32, date: &str, args: &[&str]) -> (Vec<String>, Vec<Vec<String>>, String) {
    let agreement = format!(
        "name = \"R\"\nunit = \"kr\"\ntotal = {total}\npopulation_date = {date}\npopulation = \"p.csv\"\n{top}\n[[areas]]\nid = \"a\"\nregions = {total}\n{area}\n"
    );
    let population = std::fs::read(data("population-keys.csv")).unwrap();
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", &population)]);
    let mut all = vec!["allocate", "a.toml", "-f", "csv"];
    all.extend_from_slice(args);
    let run = fordela_in(dir.path(), &all, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    let regions = rows[1..4].iter().map(|row| row[4].clone()).collect();
    (regions, rows[4..].to_vec(), run.stderr)
}

fn amounts(values: &[&str]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

#[test]
fn excluded_region_share_is_redistributed() {
    // Without Beta: 1000 by 500:200 -> 714.29 and 285.71; the one krona left goes to the
    // larger remainder, Gamma's 0.71.
    let (regions, others, _) =
        split("[eligibility]\nexcluded = [\"02\"]\npolicy = \"redistribute\"", "", 1000, "2020-12-31", &[]);
    assert_eq!(regions, amounts(&["714", "0", "286"]));
    assert!(others.is_empty());
}

#[test]
fn excluded_region_share_is_withheld_on_its_own_line() {
    // 1000 by 500:300:200 = 500, 300, 200; Beta's 300 is withheld.
    let (regions, others, _) =
        split("[eligibility]\nexcluded = [\"Beta\"]\npolicy = \"withhold\"", "", 1000, "2020-12-31", &[]);
    assert_eq!(regions, amounts(&["500", "0", "200"]));
    assert_eq!(others[0][1], "Withheld (not eligible)");
    assert_eq!(others[0][4], "300");
}

#[test]
fn exclusion_from_the_command_line() {
    let (regions, _, _) = split("", "", 1000, "2020-12-31", &["--exclude", "02"]);
    assert_eq!(regions, amounts(&["714", "0", "286"]));
    let (regions, others, _) =
        split("", "", 1000, "2020-12-31", &["--exclude", "02", "--exclusion-policy", "withhold"]);
    assert_eq!(regions, amounts(&["500", "0", "200"]));
    assert_eq!(others[0][4], "300");
}

#[test]
fn base_amount_then_per_capita() {
    // 100 each first, then 700 by 500:300:200 = 350, 210, 140.
    let (regions, _, _) = split("", "base = 100", 1000, "2020-12-31", &[]);
    assert_eq!(regions, amounts(&["450", "310", "240"]));
}

#[test]
fn a_capped_region_excess_flows_to_the_others() {
    // 500 > 400: Alfa held at 400; the other 600 by 300:200 = 360, 240.
    let (regions, _, _) = split("", "maximum = 400", 1000, "2020-12-31", &[]);
    assert_eq!(regions, amounts(&["400", "360", "240"]));
}

#[test]
fn a_floor_is_met_from_the_others() {
    // 200 < 250: Gamma held at 250; the other 750 by 500:300 = 468.75, 281.25 -> 469, 281.
    let (regions, _, _) = split("", "minimum = 250", 1000, "2020-12-31", &[]);
    assert_eq!(regions, amounts(&["469", "281", "250"]));
}

#[test]
fn impossible_bounds_are_an_error() {
    let agreement = "name = \"R\"\nunit = \"kr\"\ntotal = 1000\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 1000\nmaximum = 300\n";
    let population = std::fs::read(data("population-keys.csv")).unwrap();
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", &population)]);
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--population", "p.csv"], None);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim_end(),
        "fordela: cannot split a.toml: area `a`: 3 regions cannot share 1000 units with at most 300 units each"
    );
}

#[test]
fn another_key_column() {
    // By children 40:30:30.
    let (regions, _, _) = split("", "key = \"children_0_5\"", 1000, "2020-12-31", &[]);
    assert_eq!(regions, amounts(&["400", "300", "300"]));
}

#[test]
fn a_weighted_mix_of_keys() {
    // 70 % by population: 700 -> 350, 210, 140; 30 % equally: 300 -> 100 each.
    let mix = "mix = [{ key = \"population\", weight = 70 }, { key = \"equal\", weight = 30 }]";
    let (regions, _, _) = split("", mix, 1000, "2020-12-31", &[]);
    assert_eq!(regions, amounts(&["450", "310", "240"]));
}

#[test]
fn divisor_methods_per_agreement_per_area_and_on_the_command_line() {
    // 10 kr by 53 000 / 24 000 / 23 000 (hand-worked in src/apportion/divisor.rs):
    // largest remainder 5.3, 2.4, 2.3 -> 5, 3, 2 (the 10th unit to 0.4);
    // D'Hondt and Sainte-Laguë 6, 2, 2; Adams and Huntington–Hill 5, 3, 2.
    assert_eq!(split("", "", 10, "2021-12-31", &[]).0, amounts(&["5", "3", "2"]));
    assert_eq!(split("method = \"dhondt\"", "", 10, "2021-12-31", &[]).0, amounts(&["6", "2", "2"]));
    assert_eq!(split("", "method = \"sainte-lague\"", 10, "2021-12-31", &[]).0, amounts(&["6", "2", "2"]));
    assert_eq!(split("method = \"dhondt\"", "", 10, "2021-12-31", &["--method", "adams"]).0, amounts(&["5", "3", "2"]));
    let (_, _, stderr) = split("", "", 10, "2021-12-31", &["--method", "huntington-hill"]);
    assert_eq!(stderr, "fordela: note: area a: by population, Huntington–Hill\n");
}

#[test]
fn methods_and_rules_show_in_table_and_json() {
    let agreement = "name = \"R\"\nunit = \"kr\"\ntotal = 1000\npopulation_date = 2020-12-31\nmethod = \"webster\"\n[eligibility]\nexcluded = [\"03\"]\npolicy = \"redistribute\"\nreason = \"no action plan\"\n[[areas]]\nid = \"a\"\nregions = 1000\nbase = 10\n";
    let population = std::fs::read(data("population-keys.csv")).unwrap();
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", &population)]);
    let table = fordela_in(dir.path(), &["allocate", "a.toml", "--population", "p.csv"], None);
    assert!(
        table.stdout.contains("a: a (by population, Sainte-Laguë, after a base of 10 kr per region)"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("Eligibility: not eligible: 03 (no action plan); their share is divided"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("Gamma (not eligible)"));
    let json = fordela_in(dir.path(), &["allocate", "a.toml", "--population", "p.csv", "-f", "json"], None);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["methods"][0], "sainte-lague");
    assert_eq!(json["eligibility"]["excluded"][0], "03");
    assert_eq!(json["eligibility"]["policy"], "redistribute");
    assert_eq!(json["recipients"][2]["eligible"], false);
    assert_eq!(json["agreement"]["areas"][0]["base"], "10");
}

#[test]
fn ties_can_be_made_an_error() {
    let tie = data("tie.toml");
    let run = common::fordela(&["allocate", tie.to_str().unwrap(), "--ties", "error"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim_end(),
        "fordela: cannot split tests/data/tie.toml: area `only`: 01, 02 have equal claims on the last unit, and \
         the agreement says `ties = \"error\"`: settle it (or drop `ties`, to let the rule decide: larger key first, \
         then lower code)"
            .replace("tests/data/tie.toml", tie.to_str().unwrap())
    );
}

#[test]
fn controlled_rounding_adds_up_both_ways() {
    let exact = common::fordela(&["allocate", "-f", "csv"]);
    let rounded = common::fordela(&["allocate", "-f", "csv", "--round", "0.1mkr", "--unit", "mkr"]);
    assert_eq!(rounded.code, 0, "{}", rounded.stderr);
    assert!(rounded.stderr.contains("rounded to 100 000 kr by controlled rounding"), "{}", rounded.stderr);
    let exact = csv_rows(&exact.stdout);
    let rounded = csv_rows(&rounded.stdout);
    let tenths = |text: &str| -> u128 {
        let (whole, fraction) = text.split_once('.').unwrap();
        assert_eq!(fraction.len(), 1, "{text}");
        whole.parse::<u128>().unwrap() * 10 + fraction.parse::<u128>().unwrap()
    };
    let step = 100_000u128;
    for (exact_row, rounded_row) in exact[1..].iter().zip(&rounded[1..]) {
        let mut exact_total = 0;
        let mut shown_total = 0;
        for column in 4..7 {
            let value: u128 = exact_row[column].parse().unwrap();
            let shown = tenths(&rounded_row[column]);
            assert!(shown == value / step || shown == value.div_ceil(step), "{value} -> {shown}");
            exact_total += value;
            shown_total += shown;
        }
        assert!(shown_total == exact_total / step || shown_total == exact_total.div_ceil(step));
        assert_eq!(tenths(&rounded_row[7]), shown_total);
    }
    // The agreement's figures, in tenths of a million: 1 515, 453 and 462 MSEK.
    for (column, expected) in [(4, 15_150), (5, 4_530), (6, 4_620), (7, 24_300)] {
        assert_eq!(rounded[1..].iter().map(|row| tenths(&row[column])).sum::<u128>(), expected);
    }
}

#[test]
fn rounding_to_a_step_an_area_is_not_made_of_is_an_error() {
    let run = common::fordela(&["allocate", "--round", "7mkr"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim_end(),
        "fordela: --round 7 000 000 kr: cannot round the table to 7 000 000 kr: area `omstallning` is not a whole number of steps"
    );
}

#[test]
fn csv_output_names_the_rules_on_stderr() {
    let (_, _, stderr) = split(
        "[eligibility]\nexcluded = [\"02\"]\npolicy = \"withhold\"",
        "base = 100\nmethod = \"adams\"",
        1000,
        "2020-12-31",
        &[],
    );
    assert!(stderr.contains("fordela: note: not eligible: 02; their share is withheld"), "{stderr}");
    assert!(
        stderr.contains("fordela: note: area a: by population, Adams, after a base of 100 kr per region"),
        "{stderr}"
    );
}

#[test]
fn bounds_that_interact_are_solved_exactly() {
    // Hand-worked with the exact solution x = clamp(λ·w, min, max), Σ x = total.
    // 100 kr by 100:1:1 within 30..60: λ·100 ≥ 60 would leave 40 for the two others, below
    // their 30 each; so the two small regions are held at 30 and Alfa gets the other 40.
    // (Holding the cap first, then the floors, would hand out 60 + 30 + 30 = 120.)
    let population =
        b"code,region,date,population\n01,Alfa,2020-12-31,100\n02,Beta,2020-12-31,1\n03,Gamma,2020-12-31,1\n";
    let agreement = "name = \"R\"\nunit = \"kr\"\ntotal = 100\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 100\nminimum = 30\nmaximum = 60\n";
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", population)]);
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--population", "p.csv", "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!([&rows[1][4], &rows[2][4], &rows[3][4]], ["40", "30", "30"]);
    // 100 kr by 1:100:100 within 10..40: the two large ones are held at 40, Alfa gets 20
    // (holding the floor first would give Alfa 10 and leave 10 with nowhere to go).
    let population =
        b"code,region,date,population\n01,Alfa,2020-12-31,1\n02,Beta,2020-12-31,100\n03,Gamma,2020-12-31,100\n";
    let agreement = agreement.replace("minimum = 30\nmaximum = 60", "minimum = 10\nmaximum = 40");
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", population)]);
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--population", "p.csv", "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!([&rows[1][4], &rows[2][4], &rows[3][4]], ["20", "40", "40"]);
}

/// The `omstallning` column (1 500 000 000 kr) by code.
fn omstallning(run: &common::Run) -> Vec<(String, u128)> {
    let rows = csv_rows(&run.stdout);
    let column = rows[0].iter().position(|field| field == "omstallning").unwrap();
    rows[1..]
        .iter()
        .filter(|row| !row[0].is_empty())
        .map(|row| (row[0].clone(), row[column].parse().unwrap()))
        .collect()
}

#[test]
fn a_short_county_name_excludes_that_region() {
    // The six short names the review found ignored, and one that worked before.
    for (name, code) in [
        ("Jämtland", "23"),
        ("Kalmar", "08"),
        ("Västra Götaland", "14"),
        ("Södermanland", "04"),
        ("Jönköping", "06"),
        ("Örebro", "18"),
        ("Uppsala", "03"),
    ] {
        let run = fordela(&["allocate", "--exclude", name, "-f", "csv"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let column = omstallning(&run);
        assert_eq!(column.iter().find(|(c, _)| c == code).unwrap().1, 0, "{name} still paid");
        // Redistributed: the others share the whole area.
        assert_eq!(column.iter().map(|(_, units)| units).sum::<u128>(), 1_500_000_000, "{name}");
    }
    // `explain` and `check -r` find the row by the short name too.
    let run = fordela(&["explain", "Jämtland"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Jämtlands län (23) gets 30 640 080 kr"), "{}", run.stdout);
}

const DATE: &str = "2018-12-31";

/// The 21 regions as (SCB code, NUTS 2016 code, county letter, short name), and a made-up
/// population for each.
const REGIONS: [(&str, &str, &str, &str); 21] = [
    ("01", "SE110", "AB", "Stockholm"),
    ("03", "SE121", "C", "Uppsala"),
    ("04", "SE122", "D", "Södermanland"),
    ("05", "SE123", "E", "Östergötland"),
    ("06", "SE211", "F", "Jönköping"),
    ("07", "SE212", "G", "Kronoberg"),
    ("08", "SE213", "H", "Kalmar"),
    ("09", "SE214", "I", "Gotland"),
    ("10", "SE221", "K", "Blekinge"),
    ("12", "SE224", "M", "Skåne"),
    ("13", "SE231", "N", "Halland"),
    ("14", "SE232", "O", "Västra Götaland"),
    ("17", "SE311", "S", "Värmland"),
    ("18", "SE124", "T", "Örebro"),
    ("19", "SE125", "U", "Västmanland"),
    ("20", "SE312", "W", "Dalarna"),
    ("21", "SE313", "X", "Gävleborg"),
    ("22", "SE321", "Y", "Västernorrland"),
    ("23", "SE322", "Z", "Jämtland"),
    ("24", "SE331", "AC", "Västerbotten"),
    ("25", "SE332", "BD", "Norrbotten"),
];

#[test]
fn an_unknown_region_to_exclude_is_blamed_on_the_flag() {
    let run = fordela_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &["allocate", "--exclude", "99"], None);
    let stderr = common::refused(&run);
    assert!(stderr.contains("--exclude: unknown region `99`"), "{stderr}");
    // On 8724dde: "cannot split bundled:…toml: eligibility: …", blaming the agreement.
    assert!(!stderr.contains("cannot split") && !stderr.contains(".toml"), "{stderr}");
}

#[test]
fn an_unknown_region_in_the_agreement_is_blamed_on_its_line() {
    let mut population = String::from("code,region,date,population\n");
    for (at, region) in REGIONS.iter().enumerate() {
        let _ = writeln!(population, "{},{},{DATE},{}", region.0, region.3, 1_000 + at);
    }
    let agreement = "name = \"T\"\nunit = \"kr\"\ntotal = 100\npopulation_date = 2018-12-31\npopulation = \"p.csv\"\n\
                     [eligibility]\nexcluded = [\"03\",\n  \"99\"]\npolicy = \"redistribute\"\n\
                     [[areas]]\nid = \"a\"\nregions = 100\n";
    let dir = temp_files(&[("p.csv", population.as_bytes()), ("a.toml", agreement.as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "a.toml"], None);
    let stderr = common::refused(&run);
    assert!(stderr.contains("a.toml, line 8: `excluded`: unknown region `99`"), "{stderr}");
    assert!(!stderr.contains("--exclude"), "{stderr}");
}

fn number(field: &str) -> u128 {
    field.parse().unwrap_or_else(|_| panic!("`{field}` is not a whole number"))
}

/// A synthetic agreement (not a real one) with an area paid per inhabitant, on the bundled
/// counties of 31 December 2018.
fn per_capita_agreement(rate: &str, rounding: &str, total: &str, regions: Option<&str>) -> String {
    let regions = regions.map_or(String::new(), |amount| format!("regions = {amount}\n"));
    format!(
        "name = \"Per inhabitant (synthetic)\"\nunit = \"kr\"\ntotal = {total}\nrounding = \"{rounding}\"\n\
         population_date = 2018-12-31\npopulation = \"scb-county-population-31dec-2010-2020\"\n\n\
         [[areas]]\nid = \"invanare\"\nper_capita = {rate}\n{regions}\n\
         [[areas]]\nid = \"fast\"\nregions = 1000000\nother = [{{ recipient = \"SKR\", amount = 500 }}]\n"
    )
}

fn allocate_agreement(text: &str, extra: &[&str]) -> common::Run {
    let dir = temp_files(&[("a.toml", text.as_bytes())]);
    let mut args = vec!["allocate", "a.toml", "-f", "csv"];
    args.extend(extra);
    fordela_in(dir.path(), &args, None)
}

#[test]
fn a_rate_per_inhabitant_pays_rate_times_population_exactly() {
    // 12,50 kr × every county's 2018 population, by hand: half kronor for odd populations, so
    // the agreement counts in 0,5 kr. The total is 12,5 × 10 230 185 + 1 000 000 + 500.
    let counties = common::bundled_counties("2018-12-31");
    let people: u64 = counties.iter().map(|(_, _, population)| population).sum();
    assert_eq!(people, 10_230_185);
    // In half kronor: 25 per inhabitant.
    let halves = 25 * u128::from(people) + 2 * 1_000_500;
    let total = format!("\"{},{}\"", halves / 2, if halves % 2 == 1 { "5" } else { "0" });
    let run = allocate_agreement(&per_capita_agreement("\"12,50 kr\"", "0.5 kr", &total, None), &["--unit", "kr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0][4], "invanare");
    for (row, (code, _, population)) in rows[1..22].iter().zip(&counties) {
        assert_eq!(&row[0], code);
        let half_kronor = 25 * u128::from(*population);
        let expected = format!("{}.{}", half_kronor / 2, if half_kronor % 2 == 1 { "5" } else { "0" });
        assert_eq!(row[4], expected, "{code}");
    }
    // Jämtland Härjedalen: 12,50 × 130 280 = 1 628 500 kr.
    assert_eq!(rows[19][0], "23");
    assert_eq!(rows[19][4], "1628500.0");
    // The rate in the file's unit (tkr) is the same rate: 0,0125 tkr.
    let tkr = per_capita_agreement("\"0,0125 tkr\"", "0.5 kr", &total, None);
    assert_eq!(allocate_agreement(&tkr, &["--unit", "kr"]).stdout, run.stdout);
    // And it says so in the table.
    let dir = temp_files(&[("a.toml", per_capita_agreement("\"12,50 kr\"", "0.5 kr", &total, None).as_bytes())]);
    let table = fordela_in(dir.path(), &["allocate", "a.toml"], None);
    assert!(table.stdout.contains("12,50 kr per inhabitant"), "{}", table.stdout);
}

#[test]
fn a_rate_per_inhabitant_that_leaves_a_fraction_or_disagrees_is_refused() {
    // 12,50 × 294 695 (Södermanland) = 3 683 687,50: not whole kronor.
    let text = per_capita_agreement("\"12,50\"", "1 kr", "128877812", None);
    assert_refused(
        &allocate_agreement(&text, &[]),
        &["area `invanare`", "12,5 kr per inhabitant × 294 695 inhabitants of 04 = 3 683 687,5 kr", "rounding"],
    );
    // 12 kr × 10 230 185 = 122 762 220 kr; stated as 122 762 221: both named.
    let total = "123762721";
    let text = per_capita_agreement("12", "1 kr", total, Some("122762221"));
    assert_refused(
        &allocate_agreement(&text, &[]),
        &["the rate gives 122 762 220 kr (12 kr × 10 230 185 inhabitants), but `regions` states 122 762 221 kr"],
    );
    // Stated as it is: fine, and the same as without it.
    let stated = allocate_agreement(&per_capita_agreement("12", "1 kr", "123762720", Some("122762220")), &[]);
    let open = allocate_agreement(&per_capita_agreement("12", "1 kr", "123762720", None), &[]);
    assert_eq!(stated.code, 0, "{}", stated.stderr);
    assert_eq!(stated.stdout, open.stdout);
    // A total that is not the areas' sum once the rate is applied.
    let wrong = allocate_agreement(&per_capita_agreement("12", "1 kr", "1000", None), &[]);
    assert_refused(&wrong, &["`total` is 1 000 kr", "add up to 123 762 720 kr"]);
    // A rate with a key's rules.
    let keyed = per_capita_agreement("12", "1 kr", "123762720", None)
        .replace("per_capita = 12\n", "per_capita = 12\nbase = 5\n");
    assert_refused(&allocate_agreement(&keyed, &[]), &["`per_capita`", "`base` has nothing to do here"]);
}

#[test]
fn a_rate_per_inhabitant_within_a_county_pays_its_municipalities_the_same_rate() {
    let text = per_capita_agreement("12", "1 kr", "123762720", None);
    let run = allocate_agreement(&text, &["--within", "23"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for row in &csv_rows(&run.stdout)[1..] {
        let population = number(&row[2]);
        assert_eq!(number(&row[4]), 12 * population, "{}", row[0]);
    }
}

#[test]
fn the_synthetic_per_capita_example_pays_12_50_kr_an_inhabitant() {
    let run = fordela(&["allocate", "examples/per-capita-synthetic.toml", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let counties = common::bundled_counties("2019-12-31");
    let rows = csv_rows(&run.stdout);
    let mut fixed = 0;
    for (row, (code, _, population)) in rows[1..].iter().zip(&counties) {
        assert_eq!(&row[0], code);
        // 12,50 kr in öre: 1 250 per inhabitant.
        let ore = 1250 * u128::from(*population);
        assert_eq!(row[4], format!("{}.{:02}", ore / 100, ore % 100), "{code}");
        fixed += number(&row[5].replace('.', ""));
    }
    assert_eq!(fixed, 100_000_000, "the fixed area in öre");
    // Within a county, each municipality gets the rate too (its own population, 2019).
    let run = fordela(&["allocate", "examples/per-capita-synthetic.toml", "--within", "23", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for row in &csv_rows(&run.stdout)[1..] {
        let ore = 1250 * number(&row[2]);
        assert_eq!(row[4], format!("{}.{:02}", ore / 100, ore % 100), "{}", row[0]);
    }
}

/// A synthetic agreement of one area paid per inhabitant (rates invented for the test).
fn per_capita(rate: &str, total: &str) -> String {
    format!(
        "name = \"pc\"\nunit = \"kr\"\ntotal = \"{total}\"\nrounding = \"0.01 kr\"\npopulation_date = 2019-12-31\n\
         population = \"scb-county-population-31dec-2010-2020\"\n[[areas]]\nid = \"pc\"\nname = \"pc\"\n\
         per_capita = \"{rate}\"\n"
    )
}

#[test]
fn per_capita_messages_suggest_what_works_and_blame_the_exclusion() {
    // 12,505 kr × Stockholm's 2 377 081 = 29 725 397,905 kr: three decimals, so 0.001 kr.
    let stockholm = common::bundled_counties("2019-12-31")[0].2;
    assert_eq!(stockholm * 12_505, 29_725_397_905);
    let dir = temp_files(&[("pc.toml", per_capita("12,505", "1").as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "pc.toml"], None);
    assert_refused(&run, &["= 29 725 397,905 kr", "(0,01 kr): set a finer `rounding` (e.g. \"0.001 kr\")"]);
    // 12,50 kr × the whole 2019 population, as `total`: right for every region, not with one out.
    let everyone: u64 = common::bundled_counties("2019-12-31").iter().map(|(_, _, population)| population).sum();
    let total = format!("{},{:02}", everyone * 1250 / 100, everyone * 1250 % 100);
    let dir = temp_files(&[("pc.toml", per_capita("12,50", &total).as_bytes())]);
    assert_eq!(fordela_in(dir.path(), &["allocate", "pc.toml"], None).code, 0);
    let run = fordela_in(dir.path(), &["allocate", "pc.toml", "--exclude", "23"], None);
    assert_refused(&run, &["with 23 excluded", "a rate pays an excluded region nothing"]);
}
