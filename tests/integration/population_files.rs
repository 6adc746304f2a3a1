//! What a population file is a list of, decided from what its rows say, and where an unknown
//! excluded region is blamed. All files here are synthetic, written by the tests.

use crate::common;

use std::fmt::Write as _;

use common::{fordela_in, temp_files};

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

/// `fordela allocate` (the bundled agreement) on a population file with this text.
fn allocate(text: &str, extra: &[&str]) -> common::Run {
    let dir = temp_files(&[("p.csv", text.as_bytes())]);
    let mut args = vec!["allocate", "--population", "p.csv", "--format", "csv"];
    args.extend_from_slice(extra);
    fordela_in(dir.path(), &args, None)
}

/// A population file of the regions but Jämtland, coded by `code`, under their short names.
fn without_jamtland(code: impl Fn(&(&str, &str, &str, &str)) -> String) -> String {
    let mut text = String::from("code,region,date,population\n");
    for (at, region) in REGIONS.iter().enumerate().filter(|(_, region)| region.0 != "23") {
        let _ = writeln!(text, "{},{},{DATE},{}", code(region), region.3, 100_000 + at * 1_000);
    }
    text
}

#[test]
fn regions_under_short_names_with_nuts_codes_are_a_list_of_regions_and_refused() {
    // On 8724dde: exit 0, the twenty named regions sharing Jämtland's money.
    let run = allocate(&without_jamtland(|region| region.1.to_string()), &[]);
    let stderr = common::refused(&run);
    assert!(stderr.contains("p.csv, line 2: code `SE110` is not one of Sweden's 21 county codes"), "{stderr}");
    assert!(stderr.contains("20 of the 21 regions are named"), "{stderr}");
    assert!(stderr.contains("Stockholms län's code is 01 (`SE110` is its NUTS code)"), "{stderr}");
}

#[test]
fn regions_under_short_names_with_county_letters_are_a_list_of_regions_and_refused() {
    let run = allocate(&without_jamtland(|region| region.2.to_string()), &[]);
    let stderr = common::refused(&run);
    assert!(stderr.contains("p.csv, line 2: code `AB` is not one of Sweden's 21 county codes"), "{stderr}");
    assert!(stderr.contains("Stockholms län's code is 01 (`AB` is its county letter)"), "{stderr}");
}

#[test]
fn regions_with_codes_padded_to_four_digits_are_a_list_of_regions_and_refused() {
    // `0100 Stockholm`: no municipality's code ends in 00. On 8724dde: read as municipalities,
    // exit 0, Jämtland's money shared by the twenty.
    let run = allocate(&without_jamtland(|region| format!("{}00", region.0)), &[]);
    let stderr = common::refused(&run);
    assert!(stderr.contains("p.csv, line 2: code `0100` is not one of Sweden's 21 county codes"), "{stderr}");
    assert!(stderr.contains("Stockholms län's code is 01"), "{stderr}");
}

#[test]
fn a_county_subtotal_among_municipalities_is_refused_on_its_own_line() {
    let text = format!(
        "code,region,date,population\n2361,Härjedalen,{DATE},10000\n2380,Östersund,{DATE},60000\n\
         0114,Upplands Väsby,{DATE},45000\n23,Jämtlands län,{DATE},70000\n"
    );
    let run = allocate(&text, &[]);
    let stderr = common::refused(&run);
    // On 8724dde: line 2 (a valid municipality) was blamed as "not one of Sweden's 21 county codes".
    assert!(
        stderr.contains(
            "p.csv, line 5: code `23` is Jämtlands län's, not a municipality's: the row looks like a county subtotal"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("line 2"), "{stderr}");
    // The same subtotal under another code and the short name: on 8724dde, exit 0 with the
    // county paid beside its own municipalities.
    let run = allocate(&text.replace("\n23,Jämtlands län,", "\nSE322,Jämtland,"), &[]);
    let stderr = common::refused(&run);
    assert!(
        stderr.contains("p.csv, line 5: `Jämtland` is Jämtlands län, not a municipality: the row looks like a county"),
        "{stderr}"
    );
    // Without the subtotal the municipalities are split (4-digit codes kept).
    let without: String = text.lines().take(4).flat_map(|line| [line, "\n"]).collect();
    // Three of the 290: a list of municipalities lacking some needs --allow-missing (issue 15).
    let run = allocate(&without, &["--allow-missing"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n0114,"), "{}", run.stdout);
}

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
