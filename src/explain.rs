//! One region's full derivation, as plain data: population and share as exact fractions, and
//! per area the quota, the whole units, the remainder and its rank (or the divisor method's
//! claims), any base, bound, exclusion or tie that touched it. The renderer turns it into words.

use serde::Serialize;

use crate::agreement::ExclusionPolicy;
use crate::allocation::{Allocation, AllocationError, Bound, PartSplit, split_area};
use crate::apportion::Method;

#[derive(Debug, Clone, Serialize)]
pub struct InputHash {
    pub label: String,
    pub sha256: String,
}

/// An exact fraction, with its decimal expansion for reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fraction {
    pub numerator: u128,
    pub denominator: u128,
}

impl Fraction {
    /// `decimals` digits after the point, truncated, with `…` when the expansion goes on.
    #[must_use]
    pub fn decimal(&self, decimals: usize, decimal_mark: char) -> String {
        if self.denominator == 0 {
            return "∞".to_string();
        }
        let mut text = (self.numerator / self.denominator).to_string();
        let mut remainder = self.numerator % self.denominator;
        if remainder == 0 {
            return text;
        }
        text.push(decimal_mark);
        for _ in 0..decimals {
            remainder *= 10;
            text.push(char::from(b'0' + (remainder / self.denominator) as u8));
            remainder %= self.denominator;
            if remainder == 0 {
                return text;
            }
        }
        text.push('…');
        text
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PartExplanation {
    pub key: String,
    /// Units of this part, divided among the free regions.
    pub units: u128,
    pub weight: u64,
    pub weight_sum: u128,
    /// `units · weight / weight_sum`.
    pub quota: Fraction,
    pub whole_units: u128,
    /// Largest remainder only: the remainder's rank among all regions (1 = largest), and
    /// how many units were left over after the whole parts.
    pub remainder_rank: Option<usize>,
    pub leftover_units: Option<u128>,
    pub got: u128,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaExplanation {
    pub id: String,
    pub name: String,
    pub method: Method,
    pub regions_units: u128,
    pub base: u128,
    pub parts: Vec<PartExplanation>,
    pub bound: Option<String>,
    pub tie: Option<String>,
    pub withheld: bool,
    pub result: u128,
}

#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub fordela_version: &'static str,
    pub agreement: String,
    pub region_code: String,
    pub region_name: String,
    pub inputs: Vec<InputHash>,
    pub population_date: String,
    pub substitution: Option<String>,
    pub population: u64,
    pub population_line: usize,
    pub population_total: u128,
    pub share: Fraction,
    pub eligible: bool,
    pub exclusion: Option<String>,
    /// Every amount here (`regions_units`, `base`, `units`, `got`, `result`, `total`, …) is a
    /// count of the agreement's rounding unit: this many kronor (`"1"` for whole kronor).
    pub amounts_in_units_of_kr: String,
    pub areas: Vec<AreaExplanation>,
    pub total: u128,
}

fn rank_of(part: &PartSplit, index: usize) -> (usize, u128) {
    let remainder = |i: usize| (part.units * u128::from(part.weights[i])) % part.weight_sum.max(1);
    let key = |i: usize| (remainder(i), part.weights[i], std::cmp::Reverse(i));
    let mine = key(index);
    let rank = (0..part.weights.len()).filter(|&i| key(i) > mine).count() + 1;
    let whole: u128 =
        (0..part.weights.len()).map(|i| (part.units * u128::from(part.weights[i])) / part.weight_sum.max(1)).sum();
    (rank, part.units - whole)
}

pub fn explain(allocation: &Allocation, index: usize, inputs: Vec<InputHash>) -> Result<Explanation, AllocationError> {
    let table = allocation.table();
    let recipient = &table.recipients[index];
    let row = allocation.region(index);
    let agreement = &allocation.agreement;
    let eligible: Vec<bool> = (0..allocation.region_count()).map(|i| allocation.is_eligible(i)).collect();
    let policy = agreement.eligibility.as_ref().map(|eligibility| eligibility.policy);
    let mut areas = Vec::new();
    for (area_index, area) in agreement.areas.iter().enumerate() {
        let method = allocation.methods[area_index];
        let split = split_area(area, method, table, &eligible, policy)?;
        // A region that is not eligible gets nothing: the derivation of a share it does not get
        // (withheld regions take part in the split) would only end in "so it got one: 0 kr".
        let derived: &[PartSplit] = if eligible[index] { &split.parts } else { &[] };
        let parts = derived
            .iter()
            .map(|part| {
                let weight = part.weights[index];
                let product = part.units * u128::from(weight);
                let (rank, leftover) = rank_of(part, index);
                let largest_remainder = method == Method::LargestRemainder && weight > 0;
                PartExplanation {
                    key: part.key.clone(),
                    units: part.units,
                    weight,
                    weight_sum: part.weight_sum,
                    quota: Fraction { numerator: product, denominator: part.weight_sum },
                    whole_units: product / part.weight_sum.max(1),
                    remainder_rank: largest_remainder.then_some(rank),
                    leftover_units: largest_remainder.then_some(leftover),
                    got: part.result.units.get(index).copied().unwrap_or(split.units[index].saturating_sub(split.base)),
                }
            })
            .collect();
        let bound = split.bounded.iter().find(|(at, _)| *at == index).map(|(_, bound)| match bound {
            Bound::Minimum(units) => format!("held at the minimum of {units} units"),
            Bound::Maximum(units) => format!("held at the maximum of {units} units"),
        });
        let tie = allocation
            .ties
            .iter()
            .find(|tie| tie.area == area.id && tie.tied.iter().any(|code| code == row.code()))
            .map(|tie| {
                let won = tie.winners.iter().any(|code| code == row.code());
                format!(
                    "tied with {} for the last unit(s); {}",
                    tie.tied.iter().filter(|code| *code != row.code()).cloned().collect::<Vec<_>>().join(", "),
                    if won { "the tie rule gave it the unit" } else { "the tie rule gave the unit to another" }
                )
            });
        areas.push(AreaExplanation {
            id: area.id.clone(),
            name: area.name.clone(),
            method,
            regions_units: area.regions,
            base: if eligible[index] { split.base } else { 0 },
            parts,
            bound,
            tie,
            withheld: !eligible[index] && policy == Some(ExclusionPolicy::Withhold),
            result: row.amount(area_index),
        });
    }
    let exclusion = (!eligible[index]).then(|| crate::render::eligibility_note(allocation).unwrap_or_default());
    Ok(Explanation {
        fordela_version: env!("CARGO_PKG_VERSION"),
        agreement: agreement.name.clone(),
        region_code: row.code().to_string(),
        region_name: row.name().to_string(),
        inputs,
        population_date: allocation.population.date.to_string(),
        substitution: allocation.population.substitution.clone(),
        population: recipient.population,
        population_line: recipient.line as usize,
        population_total: allocation.population.total,
        share: Fraction { numerator: u128::from(recipient.population), denominator: allocation.population.total },
        eligible: eligible[index],
        exclusion,
        amounts_in_units_of_kr: agreement.rounding.kronor().to_string(),
        areas,
        total: row.total(),
    })
}

#[cfg(test)]
mod tests {
    use super::Fraction;

    #[test]
    fn fractions_expand_exactly_or_say_they_go_on() {
        let third = Fraction { numerator: 1, denominator: 3 };
        assert_eq!(third.decimal(4, ','), "0,3333…");
        assert_eq!(Fraction { numerator: 5, denominator: 4 }.decimal(4, ','), "1,25");
        assert_eq!(Fraction { numerator: 8, denominator: 4 }.decimal(4, ','), "2");
    }
}
