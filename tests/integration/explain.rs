//! `fordela explain`: figures checked against an independent Python computation with integers
//! (quota 1 500 000 000 × 130 280 / 10 230 185 = 19 102 293,849…; 11 units left over in
//! omställning, Jämtland's remainder 4th largest; 10 left over in the other areas, 5th).

use crate::common;

use common::{data, fordela, fordela_in, temp_files};
use sha2::{Digest, Sha256};

fn sha256(path: &std::path::Path) -> String {
    use std::fmt::Write as _;
    Sha256::digest(std::fs::read(path).unwrap()).iter().fold(String::new(), |mut hex, b| {
        write!(hex, "{b:02x}").unwrap();
        hex
    })
}

#[test]
fn jamtland_derivation_in_words() {
    let run = fordela(&["explain", "Region Jämtland Härjedalen"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = &run.stdout;
    for expected in [
        "how Jämtlands län (23) gets 30 640 080 kr of God och nära vård 2019",
        "Population: 130 280 people (line 188 of the population file) of 10 230 185 on 2018-12-31.",
        "used instead of the agreement's own",
        "Share: 130280/10230185 = 1,27348625… %.",
        "By population: 1 500 000 000 kr × 130 280 / 10 230 185 = 19102293,849035… kr exactly.",
        "Whole part 19 102 293 kr; 11 kr were left over after every region's whole part, and this region's \
         remainder ranks 4, so it got one of them: 19 102 294 kr.",
        "remainder ranks 5, so it got one of them: 5 768 893 kr.",
        "Total: 30 640 080 kr.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in
        ["data/agreements/god-och-nara-vard-2019.toml", "data/population/scb-county-population-31dec-2010-2020.csv"]
    {
        let hash = sha256(&root.join(file));
        assert!(text.contains(&format!("{hash}  bundled:{file}")), "hash of {file}");
    }
}

#[test]
fn json_has_the_same_figures() {
    let run = fordela(&["explain", "23", "god-och-nara-vard-2019", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["region_code"], "23");
    assert_eq!(json["share"]["numerator"], 130_280);
    assert_eq!(json["share"]["denominator"], 10_230_185);
    let area = &json["areas"][0];
    assert_eq!(area["parts"][0]["whole_units"], 19_102_293);
    assert_eq!(area["parts"][0]["remainder_rank"], 4);
    assert_eq!(area["parts"][0]["leftover_units"], 11);
    assert_eq!(area["result"], 19_102_294);
    assert_eq!(json["total"], 30_640_080);
    assert_eq!(json["inputs"].as_array().unwrap().len(), 2);
}

#[test]
fn bounds_exclusions_and_ties_are_named() {
    // 1000 kr by 500:300:200 with a maximum of 400: Alfa is held at 400 (see tests/rules.rs).
    let agreement = "name = \"R\"\nunit = \"kr\"\ntotal = 1000\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 1000\nmaximum = 400\n";
    let population = std::fs::read(data("population-keys.csv")).unwrap();
    let open = agreement.replace("maximum = 400\n", "");
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("b.toml", open.as_bytes()), ("p.csv", &population)]);
    let run = fordela_in(dir.path(), &["explain", "Alfa", "a.toml", "--population", "p.csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Bound: held at the maximum of 400 units"), "{}", run.stdout);
    let run = fordela_in(dir.path(), &["explain", "02", "b.toml", "--population", "p.csv", "--exclude", "02"], None);
    assert!(run.stdout.contains("Eligibility: not eligible: 02"), "{}", run.stdout);
    assert!(run.stdout.contains("Total: 0 kr."), "{}", run.stdout);
    // The tie fixture: 2 kr by 100:100:200; Alfa and Beta tie, Alfa (lower code) wins.
    let tie = data("tie.toml");
    let run = fordela(&["explain", "02", tie.to_str().unwrap()]);
    assert!(
        run.stdout.contains("Tie: tied with 01 for the last unit(s); the tie rule gave the unit to another"),
        "{}",
        run.stdout
    );
}

#[test]
fn unknown_region_is_an_input_error() {
    let run = fordela(&["explain", "Region Jämtland"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean `Region Jämtland Härjedalen` (23)?"), "{}", run.stderr);
}

#[test]
fn explain_takes_text_as_the_name_of_its_table() {
    let text = fordela(&["explain", "23", "-f", "text"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert_eq!(text.stdout, fordela(&["explain", "23", "-f", "table"]).stdout);
}
