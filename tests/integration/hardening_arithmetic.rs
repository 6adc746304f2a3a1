//! Arithmetic edges: every method exact at unit counts above 10²⁰ (against a reference with its
//! own big integers), amounts too large to show exactly refused, exponent notation never
//! rounded, mix weights past 64 bits, the unit of every JSON amount beside it, and the
//! messages of the agreement reader. Expected figures are computed here, not copied from
//! fordela's output.

use crate::common;

use common::{fordela, temp_files};
use fordela::core::apportion::{Method, largest_remainder};
use proptest::prelude::*;

/// A non-negative big integer, 32-bit limbs, least significant first, no leading zero limbs.
/// Deliberately unlike the library's own wide arithmetic, so that it checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from(mut value: u128) -> Big {
        let mut limbs = Vec::new();
        while value > 0 {
            limbs.push(value as u32);
            value >>= 32;
        }
        Big(limbs)
    }

    fn times(&self, other: &Big) -> Big {
        let mut out = vec![0u64; self.0.len() + other.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let sum = out[i + j] + u64::from(a) * u64::from(b) + carry;
                out[i + j] = sum & 0xffff_ffff;
                carry = sum >> 32;
            }
            out[i + other.0.len()] += carry;
        }
        let mut limbs: Vec<u32> = out.into_iter().map(|limb| limb as u32).collect();
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
        Big(limbs)
    }

    fn product(factors: &[u128]) -> Big {
        factors.iter().fold(Big::from(1), |product, &factor| product.times(&Big::from(factor)))
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Big {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

/// A claim `num / den` as factor lists; `den` empty-product zero means infinite.
struct Claim {
    num: Vec<u128>,
    den: Vec<u128>,
}

impl Claim {
    /// The claim of a recipient of weight `w` holding `a` units on its next unit, by the
    /// textbook signposts: a + 1, a + ½, √(a(a+1)) (compared squared), a.
    fn of(method: Method, w: u64, a: u128) -> Claim {
        let w = u128::from(w);
        match method {
            Method::DHondt => Claim { num: vec![w], den: vec![a + 1] },
            Method::SainteLague => Claim { num: vec![2 * w], den: vec![2 * a + 1] },
            Method::HuntingtonHill => Claim { num: vec![w, w], den: vec![a, a + 1] },
            Method::Adams => Claim { num: vec![w], den: vec![a] },
            Method::LargestRemainder => unreachable!("not a divisor method"),
        }
    }

    fn infinite(&self) -> bool {
        self.den.contains(&0)
    }

    /// self > other?
    fn beats(&self, other: &Claim) -> bool {
        match (self.infinite(), other.infinite()) {
            (true, _) => !other.infinite(),
            (false, true) => false,
            (false, false) => {
                let left = Big::product(&[self.num.clone(), other.den.clone()].concat());
                let right = Big::product(&[other.num.clone(), self.den.clone()].concat());
                left > right
            }
        }
    }
}

/// A divisor-method apportionment is one where no unit held is claimed more weakly than a
/// unit not held: every recipient's next claim is at most every recipient's last one.
fn check_divisor(method: Method, total: u128, weights: &[u64], units: &[u128]) -> Result<(), String> {
    if units.iter().sum::<u128>() != total {
        return Err(format!("units add up to {}, not {total}", units.iter().sum::<u128>()));
    }
    for (i, (&w, &a)) in weights.iter().zip(units).enumerate() {
        if w == 0 && a > 0 {
            return Err(format!("recipient {i} of weight 0 got {a}"));
        }
    }
    for (i, (&wi, &ai)) in weights.iter().zip(units).enumerate() {
        if wi == 0 {
            continue;
        }
        let next = Claim::of(method, wi, ai);
        for (j, (&wj, &aj)) in weights.iter().zip(units).enumerate() {
            if aj == 0 {
                continue;
            }
            let last = Claim::of(method, wj, aj - 1);
            if next.beats(&last) {
                return Err(format!(
                    "{method:?}: recipient {i} (w {wi}, {ai} units) has a stronger claim on its next unit than \
                     recipient {j} (w {wj}) on its last of {aj}"
                ));
            }
        }
    }
    Ok(())
}

/// Largest remainder: the floor of each quota, plus one for the largest remainders.
fn check_largest_remainder(total: u128, weights: &[u64], units: &[u128]) -> Result<(), String> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut winners = Vec::new();
    let mut losers = Vec::new();
    let mut floors = 0u128;
    for (&w, &a) in weights.iter().zip(units) {
        let product = total * u128::from(w);
        let (floor, remainder) = (product / sum, product % sum);
        floors += floor;
        match a.checked_sub(floor) {
            Some(0) => losers.push(remainder),
            Some(1) => winners.push(remainder),
            _ => return Err(format!("{a} is not the floor {floor} of its quota or one more")),
        }
    }
    if winners.len() as u128 != total - floors {
        return Err(format!("{} got one more, but {} units were left", winners.len(), total - floors));
    }
    let weakest_winner = winners.iter().min();
    let strongest_loser = losers.iter().max();
    if let (Some(winner), Some(loser)) = (weakest_winner, strongest_loser) {
        if winner < loser {
            return Err(format!("remainder {loser} got nothing while {winner} got a unit"));
        }
    }
    Ok(())
}

fn weights() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0u64..1_000_000_000, 1..12).prop_filter("some weight", |w| w.iter().any(|&x| x > 0))
}

/// Above 10²⁰ units, so that a recipient holds more than the 1,8·10¹⁹ units where a(a+1)
/// passes 128 bits; below 10²⁸, so that total × weight fits in 128 bits.
fn large_total() -> impl Strategy<Value = u128> {
    100_000_000_000_000_000_000u128..10_000_000_000_000_000_000_000_000_000
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn largest_remainder_is_exact_above_1e20(total in large_total(), weights in weights()) {
        let units = largest_remainder(total, &weights).unwrap().units;
        prop_assert_eq!(check_largest_remainder(total, &weights, &units), Ok(()));
    }

    #[test]
    fn dhondt_is_exact_above_1e20(total in large_total(), weights in weights()) {
        let units = Method::DHondt.apportion(total, &weights).unwrap().units;
        prop_assert_eq!(check_divisor(Method::DHondt, total, &weights, &units), Ok(()));
    }

    #[test]
    fn sainte_lague_is_exact_above_1e20(total in large_total(), weights in weights()) {
        let units = Method::SainteLague.apportion(total, &weights).unwrap().units;
        prop_assert_eq!(check_divisor(Method::SainteLague, total, &weights, &units), Ok(()));
    }

    #[test]
    fn huntington_hill_is_exact_above_1e20(total in large_total(), weights in weights()) {
        let units = Method::HuntingtonHill.apportion(total, &weights).unwrap().units;
        prop_assert_eq!(check_divisor(Method::HuntingtonHill, total, &weights, &units), Ok(()));
    }

    #[test]
    fn adams_is_exact_above_1e20(total in large_total(), weights in weights()) {
        let units = Method::Adams.apportion(total, &weights).unwrap().units;
        prop_assert_eq!(check_divisor(Method::Adams, total, &weights, &units), Ok(()));
    }
}

#[test]
fn the_reference_agrees_with_a_textbook_example() {
    // 10 seats, weights 53 000 / 24 000 / 23 000, worked by hand in the divisor module's tests.
    let weights = [53_000, 24_000, 23_000];
    assert!(check_divisor(Method::HuntingtonHill, 10, &weights, &[5, 3, 2]).is_ok());
    assert!(check_divisor(Method::HuntingtonHill, 10, &weights, &[6, 2, 2]).is_err());
    assert!(check_divisor(Method::DHondt, 10, &weights, &[6, 2, 2]).is_ok());
    assert!(check_largest_remainder(10, &[1, 2, 3], &[2, 3, 5]).is_ok());
    assert!(check_largest_remainder(10, &[1, 2, 3], &[1, 4, 5]).is_err());
}

// ---- through the binary ----

const POPULATION: &str = "code,region,date,population\n01,Alfa,2020-12-31,500\n02,Beta,2020-12-31,301\n\
                          03,Gamma,2020-12-31,199\n";

fn agreement(head: &str, areas: &str) -> String {
    format!("name = \"T\"\npopulation_date = 2020-12-31\n{head}\n{areas}")
}

/// Runs `args` with `a.toml` = `agreement` and `p.csv` = the three-region population.
fn run_with(agreement: &str, args: &[&str]) -> common::Run {
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", POPULATION.as_bytes())]);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--population", "p.csv", "--allow-missing-regions"]);
    let a = dir.path().join("a.toml");
    let all: Vec<&str> = all.into_iter().map(|arg| if arg == "a.toml" { a.to_str().unwrap() } else { arg }).collect();
    common::fordela_in(dir.path(), &all, None)
}

/// Units of 10⁻⁶ kr in a plain decimal such as `123.000450`.
fn micro_units(text: &str) -> u128 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    assert!(fraction.len() <= 6, "{text}");
    format!("{whole}{fraction:0<6}").parse().unwrap()
}

/// The Huntington–Hill apportionment of `total` by `weights` found by trying every split
/// within two units of the quotas and keeping the one the reference accepts.
fn huntington_hill_reference(total: u128, weights: &[u64]) -> Vec<u128> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let floors: Vec<u128> = weights.iter().map(|&w| total * u128::from(w) / sum).collect();
    let mut found = Vec::new();
    let last = weights.len() - 1;
    for combination in 0..4usize.pow(last as u32) {
        // Offsets −1 … +2 for all but the last, which takes what is left.
        let mut units: Vec<u128> =
            (0..last).map(|i| floors[i] + (combination / 4usize.pow(i as u32) % 4) as u128 - 1).collect();
        let Some(rest) = total.checked_sub(units.iter().sum()) else { continue };
        units.push(rest);
        if check_divisor(Method::HuntingtonHill, total, weights, &units).is_ok() {
            found.push(units);
        }
    }
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0)
}

#[test]
fn huntington_hill_splits_more_than_1e20_units_exactly() {
    // 1 371 661 445 833 309 111 089,950888 kr in units of 0,000001 kr: 1,4·10²⁷ units, so
    // every region holds far more than the 1,8·10¹⁹ where a(a+1) passes 128 bits.
    let weights = [192_025_082, 279_382_422, 354_734_027, 805_928_903, 312_303_184, 657_093_099];
    let population: String = std::iter::once("code,region,date,population\n".to_string())
        .chain(weights.iter().enumerate().map(|(i, w)| format!("{:02},R{i},2020-12-31,{w}\n", i + 1)))
        .collect();
    let total: u128 = 1_371_661_445_833_309_111_089_950_888;
    let text = agreement(
        "unit = \"kr\"\nrounding = \"0.000001 kr\"\ntotal = \"1371661445833309111089,950888\"\n\
         method = \"huntington-hill\"",
        "[[areas]]\nid = \"a\"\nregions = \"1371661445833309111089,950888\"\n",
    );
    let dir = temp_files(&[("a.toml", text.as_bytes()), ("p.csv", population.as_bytes())]);
    let run = common::fordela_in(
        dir.path(),
        &["allocate", "a.toml", "--population", "p.csv", "--allow-missing-regions", "--format", "csv"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = common::csv_rows(&run.stdout);
    let got: Vec<u128> = rows[1..=weights.len()].iter().map(|row| micro_units(&row[4])).collect();
    assert_eq!(got, huntington_hill_reference(total, &weights));
}

#[test]
fn amounts_too_large_to_show_exactly_are_refused_in_every_command() {
    // 10²¹ units of 0,1234567890123456789 kr: the exact value has 40 digits, more than any
    // output could hold; it printed u128::MAX-based figures that did not add up.
    let text = agreement(
        "unit = \"kr\"\nrounding = \"0.1234567890123456789 kr\"\ntotal = \"123 456 789 012 345 678 900\"",
        "[[areas]]\nid = \"a\"\nregions = \"123 456 789 012 345 678 900\"\n",
    );
    for format in ["table", "csv", "excel", "json"] {
        let run = run_with(&text, &["allocate", "a.toml", "--format", format]);
        common::assert_refused(&run, &["a.toml, line 5", "`total`", "too large", "coarser `rounding`"]);
    }
    common::assert_refused(&run_with(&text, &["explain", "01", "a.toml"]), &["too large"]);
    let dir = temp_files(&[
        ("a.toml", text.as_bytes()),
        ("p.csv", POPULATION.as_bytes()),
        ("plan.csv", b"area;intervention;amount\na;x;1\n"),
    ]);
    let run = common::fordela_in(
        dir.path(),
        &["check", "plan.csv", "--agreement", "a.toml", "--region", "01", "--unit", "kr", "--population", "p.csv"],
        None,
    );
    common::assert_refused(&run, &["too large"]);
}

#[test]
fn a_rounding_unit_finer_than_1e_22_kr_is_refused() {
    let text = agreement(
        "unit = \"kr\"\nrounding = \"0.00000000000000000000001 kr\"\ntotal = 1",
        "[[areas]]\nid = \"a\"\nregions = 1\n",
    );
    common::assert_refused(&run_with(&text, &["allocate", "a.toml"]), &["line 4", "finer than 10^-22 kr"]);
}

#[test]
fn exponent_notation_is_exact_or_refused() {
    // 31 significant digits: refused, as the same number without the exponent is.
    for written in ["1.00000000000000000000000000004e3", "1000.00000000000000000000000004"] {
        let text = agreement(&format!("unit = \"kr\"\ntotal = {written}"), "[[areas]]\nid = \"a\"\nregions = 1000\n");
        common::assert_refused(&run_with(&text, &["allocate", "a.toml"]), &["line 4", "cannot be held exactly"]);
    }
    // Shifted exactly: 1,5e3 mkr = 1 500 mkr, 2,5e-1 mkr = 0,25 mkr = 250 000 kr.
    let text = agreement(
        "unit = \"mkr\"\ntotal = 1.50025e3",
        "[[areas]]\nid = \"a\"\nregions = 1.5e3\n[[areas]]\nid = \"b\"\nregions = 2.5E-1\n",
    );
    let run = run_with(&text, &["allocate", "a.toml", "--format", "json", "-u", "kr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["totals"]["areas"]["a"], "1500000000");
    assert_eq!(json["totals"]["areas"]["b"], "250000");
}

#[test]
fn exponent_notation_in_a_plan_is_exact_or_refused() {
    let text = agreement("unit = \"kr\"\ntotal = 1000", "[[areas]]\nid = \"a\"\nregions = 1000\n");
    let plan = "region = \"01\"\nunit = \"kr\"\n[[areas]]\nid = \"a\"\n\
                interventions = [{ name = \"x\", amount = 5.00000000000000000000000000001e2 }]\n";
    let dir =
        temp_files(&[("a.toml", text.as_bytes()), ("p.csv", POPULATION.as_bytes()), ("plan.toml", plan.as_bytes())]);
    let run = common::fordela_in(
        dir.path(),
        &["check", "plan.toml", "--agreement", "a.toml", "--population", "p.csv", "--allow-missing-regions"],
        None,
    );
    common::assert_refused(&run, &["plan.toml, line 5", "cannot be held exactly"]);
}

#[test]
fn mix_weights_past_64_bits_show_their_true_sum() {
    // 2⁶³ + 2⁶³ + 1 = 18 446 744 073 709 551 617, one more than u64 holds.
    let text = agreement(
        "unit = \"kr\"\ntotal = 100",
        "[[areas]]\nid = \"a\"\nregions = 100\nmix = [{ key = \"population\", weight = 9223372036854775808 }, \
         { key = \"equal\", weight = 9223372036854775808 }, { key = \"population\", weight = 1 }]\n",
    );
    let run = run_with(&text, &["allocate", "a.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("9223372036854775808/18446744073709551617 by population"), "{}", run.stdout);
    assert!(run.stdout.contains("1/18446744073709551617 by population"), "{}", run.stdout);
}

#[test]
fn every_json_amount_states_its_unit_beside_it() {
    let run = fordela(&["allocate", "--format", "json", "-u", "kr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // The bundled agreement is 2 430 mkr = 2 430 000 000 kr, written in mkr.
    assert_eq!(json["agreement"]["unit"], "kr");
    assert_eq!(json["agreement"]["file_unit"], "mkr");
    assert_eq!(json["agreement"]["total"], "2430000000");
    assert_eq!(json["agreement"]["areas"][0]["unit"], "kr");
    assert_eq!(json["agreement"]["areas"][0]["regions"], "1500000000");
    assert_eq!(json["totals"]["unit"], "kr");
    for recipient in json["recipients"].as_array().unwrap() {
        assert_eq!(recipient["unit"], "kr", "{recipient}");
    }
}

#[test]
fn list_json_gives_machine_values() {
    let run = fordela(&["list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let agreement = &json["agreements"][0];
    assert_eq!(agreement["total"], "2430");
    assert_eq!(agreement["unit"], "mkr");
    assert_eq!(agreement["population_date"], "2018-11-01");
    assert_eq!(agreement["population_date_substitute"]["date"], "2018-12-31");
}

#[test]
fn every_integer_toml_cannot_hold_gets_the_string_hint() {
    for value in ["9223372036854775808", "18446744073709551616", "99999999999999999999999999999999999999999"] {
        let text = agreement("unit = \"kr\"\ntotal = 1", &format!("[[areas]]\nid = \"a\"\nregions = {value}\n"));
        common::assert_refused(&run_with(&text, &["allocate", "a.toml"]), &["line 7", "write it as a string"]);
    }
}

#[test]
fn a_too_deep_dotted_key_names_its_line() {
    let text = format!("name = \"T\"\nunit = \"kr\"\n{}b = 1\n", "a.".repeat(100_000));
    let run = run_with(&text, &["allocate", "a.toml"]);
    common::assert_refused(&run, &["a.toml, line 3", "dotted key"]);
    assert!(!run.stderr.contains("recursion limit"), "{}", run.stderr);
}

#[test]
fn an_overflow_is_reported_once() {
    // 10²⁵ kr × a population of 9·10¹⁸ passes 128 bits.
    let population = "code,region,date,population\n01,Alfa,2020-12-31,9000000000000000000\n";
    let text = agreement(
        "unit = \"kr\"\ntotal = \"10 000 000 000 000 000 000 000 000\"",
        "[[areas]]\nid = \"a\"\nregions = \"10 000 000 000 000 000 000 000 000\"\n",
    );
    let dir = temp_files(&[("a.toml", text.as_bytes()), ("p.csv", population.as_bytes())]);
    let run = common::fordela_in(
        dir.path(),
        &["allocate", "a.toml", "--population", "p.csv", "--allow-missing-regions"],
        None,
    );
    common::assert_refused(&run, &["area `a`", "128 bits"]);
    assert_eq!(run.stderr.matches("128 bits").count(), 1, "{}", run.stderr);
}

#[test]
fn an_empty_excluded_list_says_every_region_is_eligible() {
    let text = agreement(
        "unit = \"kr\"\ntotal = 100\n[eligibility]\nexcluded = []\npolicy = \"redistribute\"",
        "[[areas]]\nid = \"a\"\nregions = 100\n",
    );
    let run = run_with(&text, &["allocate", "a.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("not eligible: ;"), "{}", run.stdout);
    assert!(run.stdout.contains("every region is eligible"), "{}", run.stdout);
}

#[test]
fn a_negative_area_amount_names_the_area() {
    let text = agreement(
        "unit = \"kr\"\ntotal = 100",
        "[[areas]]\nid = \"first\"\nregions = 200\n[[areas]]\nid = \"second\"\nregions = -100\n",
    );
    common::assert_refused(
        &run_with(&text, &["allocate", "a.toml"]),
        &["line 10, column 11", "area `second`", "negative"],
    );
}

#[test]
fn a_quoted_date_is_told_to_drop_the_quotes() {
    let text = "name = \"T\"\nunit = \"kr\"\ntotal = 1\npopulation_date = \"2020-12-31\"\n[[areas]]\nid = \"a\"\nregions = 1\n";
    common::assert_refused(&run_with(text, &["allocate", "a.toml"]), &["line 4", "without quotes", "2018-11-01"]);
}

#[test]
fn explain_json_says_what_its_unit_counts_are() {
    // The bundled agreement counts whole kronor; a rounding of 0,1 mkr counts 100 000 kr.
    let run = fordela(&["explain", "23", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["amounts_in_units_of_kr"], "1");
    let text = agreement("unit = \"mkr\"\nrounding = \"0,1 mkr\"\ntotal = 10", "[[areas]]\nid = \"a\"\nregions = 10\n");
    let run = run_with(&text, &["explain", "01", "a.toml", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["amounts_in_units_of_kr"], "100000");
    // 100 units of 0,1 mkr by 500 : 301 : 199 → Alfa 50.
    assert_eq!(json["total"], 50);
}
