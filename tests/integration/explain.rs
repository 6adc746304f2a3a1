//! `fordela explain`: figures checked against an independent Python computation with integers
//! (quota 1 500 000 000 × 130 280 / 10 230 185 = 19 102 293,849…; 11 units left over in
//! omställning, Jämtland's remainder 4th largest; 10 left over in the other areas, 5th).

use crate::common;

use common::{data, fordela, fordela_in, grouped, temp_files};
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

/// `numerator / denominator` with `places` decimals, truncated, `…` when it goes on: (integer
/// part, the rest from the decimal comma on).
fn decimals(numerator: u128, denominator: u128, places: usize) -> (u128, String) {
    let mut rest = numerator % denominator;
    let mut decimals = String::new();
    for _ in 0..places {
        if rest == 0 {
            break;
        }
        rest *= 10;
        decimals.push(char::from(b'0' + u8::try_from(rest / denominator).unwrap()));
        rest %= denominator;
    }
    let tail =
        if decimals.is_empty() { String::new() } else { format!(",{decimals}{}", if rest > 0 { "…" } else { "" }) };
    (numerator / denominator, tail)
}

/// One area of the bundled agreement, worked out here by largest remainder over the bundled
/// counties of 2018-12-31 (larger population, then lower code, first on equal remainders).
struct Worked {
    regions: u128,
    quota: (u128, String),
    leftover: u128,
    rank: usize,
    got: u128,
}

fn worked_for(code: &str) -> (u64, u128, Vec<Worked>) {
    let counties = common::bundled_counties("2018-12-31");
    let total: u128 = counties.iter().map(|(_, _, people)| u128::from(*people)).sum();
    let at = counties.iter().position(|(county, ..)| county == code).unwrap();
    let people = counties[at].2;
    let agreement: toml::Table = include_str!("../../data/agreements/god-och-nara-vard-2019.toml").parse().unwrap();
    assert_eq!(agreement["unit"].as_str(), Some("MSEK"));
    let areas = agreement["areas"].as_array().unwrap().iter().map(|area| {
        let regions = u128::try_from(area["regions"].as_integer().unwrap()).unwrap() * 1_000_000;
        let claim = |index: usize| regions * u128::from(counties[index].2);
        let whole: u128 = (0..counties.len()).map(|index| claim(index) / total).sum();
        let leftover = regions - whole;
        let mut order: Vec<usize> = (0..counties.len()).collect();
        order.sort_by(|&a, &b| {
            (claim(b) % total).cmp(&(claim(a) % total)).then(counties[b].2.cmp(&counties[a].2)).then(a.cmp(&b))
        });
        let rank = order.iter().position(|&index| index == at).unwrap() + 1;
        let got = claim(at) / total + u128::from(rank as u128 <= leftover);
        Worked { regions, quota: decimals(claim(at), total, 6), leftover, rank, got }
    });
    (people, total, areas.collect())
}

#[test]
fn the_swedish_report_words_the_derivation_with_the_english_figures() {
    let (people, total, areas) = worked_for("23");
    let swedish = fordela(&["--lang", "sv", "explain", "23"]);
    let english = fordela(&["--lang", "en", "explain", "23"]);
    assert_eq!((swedish.code, english.code), (0, 0), "{}{}", swedish.stderr, english.stderr);
    let sum: u128 = areas.iter().map(|area| area.got).sum();
    let (sv, en) = (&swedish.stdout, &english.stdout);
    let mut expected = vec![(
        format!("så får Jämtlands län (23) {} kr av God och nära vård 2019", grouped(sum)),
        format!("how Jämtlands län (23) gets {} kr of God och nära vård 2019", grouped(sum)),
    )];
    expected.push((
        format!(
            "Befolkning: {} invånare (rad 188 i befolkningsfilen) av {} den 2018-12-31.",
            grouped(people),
            grouped(total)
        ),
        format!(
            "Population: {} people (line 188 of the population file) of {} on 2018-12-31.",
            grouped(people),
            grouped(total)
        ),
    ));
    let (whole, tail) = decimals(u128::from(people) * 100, total, 8);
    expected.push((
        format!("Andel: {} / {} = {whole}{tail} %.", grouped(people), grouped(total)),
        format!("Share: {people}/{total} = {whole}{tail} %."),
    ));
    for area in &areas {
        let (units, share) = (grouped(area.regions), format!("{} / {}", grouped(people), grouped(total)));
        let (whole, tail) = &area.quota;
        expected.push((
            format!("  Efter population: {units} kr × {share} = {}{tail} kr exakt.", grouped(*whole)),
            format!("  By population: {units} kr × {share} = {whole}{tail} kr exactly."),
        ));
        let (one_sv, one_en) = if area.rank as u128 <= area.leftover {
            ("fick en av dem", "got one of them")
        } else {
            ("fick ingen", "got none")
        };
        expected.push((
            format!(
                "  Hela enheter {} kr; {} kr blev över när varje region fått sina hela enheter, och regionens rest har \
                 plats {} (största först), så den {one_sv}: {} kr.",
                grouped(*whole),
                area.leftover,
                area.rank,
                grouped(area.got)
            ),
            format!(
                "  Whole part {} kr; {} kr were left over after every region's whole part, and this region's \
                 remainder ranks {}, so it {one_en}: {} kr.",
                grouped(*whole),
                area.leftover,
                area.rank,
                grouped(area.got)
            ),
        ));
        expected
            .push((format!("  Resultat: {} kr.", grouped(area.got)), format!("  Result: {} kr.", grouped(area.got))));
    }
    expected.push((format!("Totalt: {} kr.", grouped(sum)), format!("Total: {} kr.", grouped(sum))));
    for (in_swedish, in_english) in &expected {
        assert!(sv.contains(in_swedish.as_str()), "missing {in_swedish:?} in\n{sv}");
        assert!(en.contains(in_english.as_str()), "missing {in_english:?} in\n{en}");
    }
    assert!(sv.contains(
        "Område omstallning (Omställning till god och nära vård): 1 500 000 000 kr till regionerna, största rest."
    ));
    assert!(sv.contains("Underlag (SHA-256"), "{sv}");
    assert_eq!(sv.lines().count(), en.lines().count(), "line for line the same report");
    no_english_left(sv);
}

/// Words of the English report that Swedish does not use.
const ENGLISH: &str = "how gets of inputs check year from now people line row file on this date used instead own share area to the \
                       regions largest remainder by exactly whole part left over after every ranks so it got one them none result total units and";

/// Fails on an English word in a Swedish report. The agreement's reason for its population
/// date is the agreement's own words (quoted, as `allocate --lang sv` quotes it), so it is set
/// aside first.
fn no_english_left(report: &str) {
    let agreement: toml::Table = include_str!("../../data/agreements/god-och-nara-vard-2019.toml").parse().unwrap();
    let reason = agreement["population_date_substitute"]["reason"].as_str().unwrap();
    // The inputs' paths are the machine's, not the report's words (a clone under `/check/` or
    // `/work/` would read as English): the provenance lines, hash then path, are set aside too.
    let prose: String = report
        .replace(reason, "")
        .lines()
        .filter(|line| !is_provenance_line(line))
        .flat_map(|line| [line, "\n"])
        .collect();
    for word in prose.split(|c: char| !c.is_alphanumeric() && c != '\'') {
        assert!(!ENGLISH.split(' ').any(|english| english == word.to_lowercase()), "English `{word}` in\n{report}");
    }
    for phrase in ["Not eligible", "Eligibility", "Bound", "tied with", "takes no part", "gives it", "Base"] {
        assert!(!prose.contains(phrase), "English `{phrase}` in\n{report}");
    }
}

/// A line of the inputs' list: two spaces, a SHA-256 in hex, two spaces, a path.
fn is_provenance_line(line: &str) -> bool {
    line.strip_prefix("  ")
        .and_then(|rest| rest.get(..64))
        .is_some_and(|hash| hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[test]
fn swedish_bounds_exclusions_and_ties_are_in_swedish() {
    // The fixtures of `bounds_exclusions_and_ties_are_named`, in Swedish.
    let agreement = "name = \"R\"\nunit = \"kr\"\ntotal = 1000\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 1000\nmaximum = 400\n";
    let withholding = "name = \"R\"\nunit = \"kr\"\ntotal = 1000\npopulation_date = 2020-12-31\n[eligibility]\nexcluded = [\"02\"]\npolicy = \"withhold\"\n[[areas]]\nid = \"x\"\nregions = 1000\nbase = 10\n";
    let population = std::fs::read(data("population-keys.csv")).unwrap();
    let dir =
        temp_files(&[("a.toml", agreement.as_bytes()), ("w.toml", withholding.as_bytes()), ("p.csv", &population)]);
    let sv = |args: &[&str]| {
        let run =
            fordela_in(dir.path(), &[&["--lang", "sv", "explain"], args, &["--population", "p.csv"]].concat(), None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        no_english_left(&run.stdout);
        run.stdout
    };
    let held = sv(&["Alfa", "a.toml"]);
    assert!(held.contains("  Gräns: hålls vid maxbeloppet 400 enheter; resten gick till de övriga."), "{held}");
    assert!(held.contains("  Den deltar inte här: 0 kr."), "{held}");
    let withheld = sv(&["02", "w.toml"]);
    assert!(
        withheld.contains("Berättigande: ej berättigade: 02; deras andel hålls inne, på en egen rad."),
        "{withheld}"
    );
    assert!(
        withheld
            .contains("  Ej berättigad: dess andel hålls inne (raden `Innehållet (ej berättigade)`), så den får 0 kr."),
        "{withheld}"
    );
    // 1000 kr less a base of 10 each for the two eligible regions: 980 by 500:200 for Alfa.
    let based = sv(&["01", "w.toml"]);
    assert!(based.contains("  Grundbelopp: varje region får först 10 kr."), "{based}");
    let tie = data("tie.toml");
    let run = fordela(&["--lang", "sv", "explain", "02", tie.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "  Lika anspråk: samma anspråk som 01 på den sista enheten; regeln för lika anspråk gav enheten till en \
             annan (lika anspråk: större nyckel först, sedan lägre kod)."
        ),
        "{}",
        run.stdout
    );
    no_english_left(&run.stdout);
    let dhondt = fordela(&["--lang", "sv", "explain", "01", "--method", "dhondt"]);
    assert!(dhondt.stdout.contains("  D'Hondt ger den "), "{}", dhondt.stdout);
    no_english_left(&dhondt.stdout);
}
