//! The result type read directly: small splits worked by hand, figure by figure.

use super::*;
use crate::core::agreement::parse_agreement;
use crate::core::apportion::Tie;
use crate::core::population::read_population_keys;
use crate::io::input::Input;
use std::fmt::Write as _;

const POPULATION: &str = "code,region,date,population,kids\n\
    01,Alfa,2020-12-31,5,0\n02,Beta,2020-12-31,3,1\n03,Gamma,2020-12-31,2,1\n04,Delta,2020-12-31,2,0\n";

fn allocation_of(total: u128, body: &str) -> Allocation {
    allocation_written(&total.to_string(), body)
}

/// As `allocation_of`, the total as written (a string for amounts past TOML's integers).
fn allocation_written(total: &str, body: &str) -> Allocation {
    let text = format!("name = \"T\"\nunit = \"kr\"\ntotal = {total}\npopulation_date = 2020-12-31\n{body}");
    let agreement = parse_agreement(&Input::from_text("a.toml", &text)).unwrap();
    let date = "2020-12-31".parse().unwrap();
    let table = read_population_keys(&Input::from_text("p.csv", POPULATION), date, &["kids"]).unwrap();
    allocate(agreement, table, None).unwrap()
}

fn part(
    key: &str,
    (units, weight, weight_sum): (u128, u64, u128),
    (whole, remainder): (u128, u128),
    rank: Option<(usize, u128)>,
    got: u128,
) -> RegionPart<'_> {
    RegionPart {
        key,
        units,
        weight,
        weight_sum,
        product: Some(units * u128::from(weight)),
        whole,
        remainder,
        remainder_rank: rank.map(|(rank, _)| rank),
        leftover: rank.map(|(_, leftover)| leftover),
        got,
    }
}

/// Population 5:3:2:2; Delta (04) is excluded and its share withheld, so it takes part in
/// every split and its units go to the withheld line.
fn withheld_delta() -> Allocation {
    allocation_of(
        26,
        "[[areas]]\nid = \"a\"\nregions = 10\nbase = 1\n\
         [[areas]]\nid = \"b\"\nregions = 10\nmaximum = 4\n\
         [[areas]]\nid = \"c\"\nregions = 6\nmix = [{ key = \"population\", weight = 1 }, { key = \"kids\", weight = 1 }]\n\
         [eligibility]\nexcluded = [\"04\"]\npolicy = \"withhold\"\n",
    )
}

#[test]
fn a_base_then_largest_remainders_with_a_tie_decided_by_weight() {
    // Area a: 10 units, a base of 1 for each of the 4 regions taking part, 6 left by 5:3:2:2
    // (W = 12): quotas 30/12, 18/12, 12/12, 12/12 → whole parts 2, 1, 1, 1 (5), one left over;
    // remainders 6, 6, 0, 0: Alfa and Beta tie on remainder, the larger weight (Alfa) wins.
    let allocation = withheld_delta();
    assert_eq!(allocation.column(0).to_vec(), [4, 2, 2, 0]);
    let area = allocation.area_derivation(0);
    assert_eq!((area.base, area.withheld, area.withholds), (1, 2, true));
    assert_eq!(area.ties, vec![Tie { tied: vec![0, 1], winners: vec![0] }]);

    let alfa = allocation.derivation(0, 0);
    assert_eq!((alfa.base, alfa.result, alfa.bound, alfa.withheld), (1, 4, None, false));
    assert_eq!(alfa.parts, vec![part("population", (6, 5, 12), (2, 6), Some((1, 1)), 3)]);
    assert_eq!(alfa.tie, Some(&area.ties[0]));
    let beta = allocation.derivation(0, 1);
    assert_eq!(beta.parts, vec![part("population", (6, 3, 12), (1, 6), Some((2, 1)), 1)]);
    assert_eq!((beta.result, beta.tie.is_some()), (2, true));
    let gamma = allocation.derivation(0, 2);
    assert_eq!(gamma.parts, vec![part("population", (6, 2, 12), (1, 0), Some((3, 1)), 1)]);
    assert_eq!(gamma.tie, None);

    // Delta took part (1 + 1 units) but is not eligible: no figures, its 2 units withheld.
    let delta = allocation.derivation(0, 3);
    assert_eq!((delta.base, delta.result, delta.withheld), (0, 0, true));
    assert!(delta.parts.is_empty());
    let withheld = allocation.set_asides.iter().find(|row| row.recipient == WITHHELD).unwrap();
    assert_eq!(withheld.amounts, vec![2, 2, 0]);
    assert_eq!(allocation.ties.len(), 3);
}

#[test]
fn a_maximum_holds_the_largest_and_the_rest_is_split_among_the_others() {
    // Area b: 10 units by 5:3:2:2, at most 4: Alfa's 50/12 passes 4 and is held there; the
    // other 6 units by 3:2:2 (W = 7): quotas 18/7, 12/7, 12/7 → whole parts 2, 1, 1, two
    // left over, to the remainders 5 and 5 (Gamma, Delta) over Beta's 4.
    let allocation = withheld_delta();
    assert_eq!(allocation.column(1).to_vec(), [4, 2, 2, 0]);
    let area = allocation.area_derivation(1);
    assert_eq!(area.held.all(), vec![(0, Bound::Maximum(4))]);
    assert_eq!((area.withheld, area.ties.len()), (2, 0));

    let alfa = allocation.derivation(1, 0);
    assert_eq!(alfa.bound, Some(Bound::Maximum(4)));
    // Held, it has no weight in the split of the rest, and gets its units from the bound.
    assert_eq!(alfa.parts, vec![part("population", (6, 0, 7), (0, 0), None, 0)]);
    assert_eq!(alfa.result, 4);
    let beta = allocation.derivation(1, 1);
    assert_eq!(beta.parts, vec![part("population", (6, 3, 7), (2, 4), Some((3, 2)), 2)]);
    let gamma = allocation.derivation(1, 2);
    assert_eq!(gamma.parts, vec![part("population", (6, 2, 7), (1, 5), Some((1, 2)), 2)]);
}

#[test]
fn a_mix_keeps_each_parts_own_units() {
    // Area c: 6 units, half by population, half by kids (3 and 3). Population, 3 by 5:3:2:2
    // (W = 12): whole parts 1, 0, 0, 0, two left; remainders 3, 9, 6, 6 → Beta, then Gamma
    // over Delta (equal remainder and weight, lower code). Kids, 3 by 0:1:1:0 (W = 2): whole
    // parts 1 and 1, one left; Beta and Gamma tie, Beta (lower code) wins.
    let allocation = withheld_delta();
    assert_eq!(allocation.column(2).to_vec(), [1, 3, 2, 0]);
    let area = allocation.area_derivation(2);
    assert_eq!(area.parts.iter().map(|part| part.units).collect::<Vec<_>>(), vec![3, 3]);
    assert_eq!(area.withheld, 0);
    assert_eq!(area.ties, vec![Tie { tied: vec![2, 3], winners: vec![2] }, Tie { tied: vec![1, 2], winners: vec![1] }]);
    let gamma = allocation.derivation(2, 2);
    assert_eq!(
        gamma.parts,
        vec![part("population", (3, 2, 12), (0, 6), Some((2, 2)), 1), part("kids", (3, 1, 2), (1, 1), Some((2, 1)), 1),]
    );
    assert_eq!(gamma.result, 2);
    let alfa = allocation.derivation(2, 0);
    assert_eq!(alfa.parts[1], part("kids", (3, 0, 2), (0, 0), None, 0));
}

#[test]
fn an_excluded_region_redistributed_and_a_minimum() {
    // Gamma excluded, its share divided among the others: 10 units, base 1 for the 3 left
    // (Delta takes part), 7 by 5:3:2 (W = 10): quotas 35/10, 21/10, 14/10 → 3, 2, 1, one left,
    // to Alfa's remainder 5.
    let base = "[[areas]]\nid = \"a\"\nregions = 10\nbase = 1\n\
                [eligibility]\nexcluded = [\"03\"]\npolicy = \"redistribute\"\n";
    let allocation = allocation_of(10, base);
    assert_eq!(allocation.column(0).to_vec(), [5, 3, 0, 2]);
    assert_eq!(allocation.area_derivation(0).withheld, 0);
    let gamma = allocation.derivation(0, 2);
    assert_eq!((gamma.base, gamma.result, gamma.withheld, gamma.parts.is_empty()), (0, 0, false, true));
    let alfa = allocation.derivation(0, 0);
    assert_eq!(alfa.parts, vec![part("population", (7, 5, 10), (3, 5), Some((1, 1)), 4)]);

    // At least 3 each: 16 units by 5:3:2:2 would give Gamma and Delta 2 each, so both are
    // held at 3, and 10 units by 5:3 (W = 8): quotas 50/8, 30/8 → 6, 3, one left, to Beta's
    // remainder 6 over Alfa's 2.
    let allocation = allocation_of(16, "[[areas]]\nid = \"a\"\nregions = 16\nminimum = 3\n");
    assert_eq!(allocation.column(0).to_vec(), [6, 4, 3, 3]);
    let area = allocation.area_derivation(0);
    assert_eq!(area.held.all(), vec![(2, Bound::Minimum(3)), (3, Bound::Minimum(3))]);
    let beta = allocation.derivation(0, 1);
    assert_eq!(beta.parts, vec![part("population", (10, 3, 8), (3, 6), Some((1, 1)), 4)]);
    assert_eq!(beta.bound, None);
    let gamma = allocation.derivation(0, 2);
    assert_eq!((gamma.bound, gamma.result), (Some(Bound::Minimum(3)), 3));
}

#[test]
fn a_divisor_method_has_no_remainders_to_rank() {
    let allocation = allocation_of(10, "[[areas]]\nid = \"a\"\nregions = 10\nmethod = \"dhondt\"\n");
    let alfa = allocation.derivation(0, 0);
    assert_eq!(alfa.method, Method::DHondt);
    assert_eq!((alfa.parts[0].remainder_rank, alfa.parts[0].leftover), (None, None));
    assert_eq!(alfa.parts[0].got, alfa.result);
}

#[test]
fn the_parts_add_up_to_the_result() {
    // What each part gave, plus the base and any bound, is what the region got, whichever way
    // the part's units are kept (the column, the rank, or their own list for a divisor mix).
    let mix = "[[areas]]\nid = \"a\"\nregions = 17\nbase = 1\n\
               mix = [{ key = \"population\", weight = 2 }, { key = \"kids\", weight = 1 }, { key = \"equal\", weight = 1 }]\n";
    for method in ["largest-remainder", "dhondt", "sainte-lague", "adams"] {
        let allocation = allocation_of(17, &format!("method = \"{method}\"\n{mix}"));
        for index in 0..allocation.region_count() {
            let region = allocation.derivation(0, index);
            let parts: u128 = region.parts.iter().map(|part| part.got).sum();
            assert_eq!(region.base + parts, region.result, "{method}, region {index}");
        }
    }
    let allocation = withheld_delta();
    for area in 0..3 {
        for index in 0..3 {
            let region = allocation.derivation(area, index);
            let bound = match region.bound {
                Some(Bound::Minimum(units) | Bound::Maximum(units)) => units,
                None => region.base + region.parts.iter().map(|part| part.got).sum::<u128>(),
            };
            assert_eq!(bound, region.result, "area {area}, region {index}");
        }
    }
}

#[test]
fn areas_past_64_bits_are_split_in_128_and_the_rest_in_64_with_the_same_units() {
    // Population 5:3:2:2. The 64-bit column holds an area whose amount times the largest
    // population (5) fits in 64 bits: up to ⌊(2⁶⁴ − 1) / 5⌋ = 3 689 348 814 741 910 323 units.
    // One unit more, or an amount past 64 bits, is split in 128 bits; each column is the
    // 128-bit kernel's split of its amount (the kernel is held to sorting every claim).
    let edge: u128 = u128::from(u64::MAX) / 5;
    let amounts = [edge, edge + 1, u128::from(u64::MAX), 1 << 64, 1 << 70];
    let mut areas = String::new();
    for (at, amount) in amounts.iter().enumerate() {
        let _ = write!(areas, "[[areas]]\nid = \"a{at}\"\nregions = \"{amount}\"\n");
    }
    let allocation = allocation_written(&format!("\"{}\"", amounts.iter().sum::<u128>()), &areas);
    for (at, &amount) in amounts.iter().enumerate() {
        let expected = largest_remainder(amount, &[5, 3, 2, 2]).unwrap().units;
        assert_eq!(allocation.column(at).to_vec(), expected, "area a{at}");
        assert_eq!(allocation.area_sum(at), amount);
        assert_eq!(matches!(allocation.columns[at], Column::Narrow(_)), at == 0, "area a{at}");
    }
    assert_eq!(allocation.grand_total(), amounts.iter().sum::<u128>());
    // Row totals add areas of either width.
    let row: u128 = amounts.iter().map(|&amount| largest_remainder(amount, &[5, 3, 2, 2]).unwrap().units[0]).sum();
    assert_eq!(allocation.region(0).total(), row);
}

#[test]
fn a_base_on_a_64_bit_column_is_added_to_every_region_taking_part() {
    // 3 689 348 814 741 910 323 units with a base of 10 for each of 4 regions: the rest,
    // 3 689 348 814 741 910 283, by 5:3:2:2 fits 64 bits; every region gets its base on top.
    let amount: u128 = u128::from(u64::MAX) / 5;
    let body = format!("[[areas]]\nid = \"a\"\nregions = \"{amount}\"\nbase = 10\n");
    let allocation = allocation_written(&format!("\"{amount}\""), &body);
    assert!(matches!(allocation.columns[0], Column::Narrow(_)));
    let rest = largest_remainder(amount - 40, &[5, 3, 2, 2]).unwrap().units;
    assert_eq!(allocation.column(0).to_vec(), rest.iter().map(|units| units + 10).collect::<Vec<_>>());
    assert_eq!(allocation.area_sum(0), amount);
}
