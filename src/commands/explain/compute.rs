//! One region's full derivation, as plain data: population and share as exact fractions, and
//! per area the quota, the whole units, the remainder and its rank (or the divisor method's
//! claims), any base, bound, exclusion or tie that touched it, selected from the derivation the
//! allocation kept (nothing is split again). The renderer turns it into words.

use crate::core::agreement::Eligibility;
use crate::core::allocation::{Allocation, Bound};
use crate::core::amount::Fraction;
use crate::core::apportion::Method;
use crate::io::input::InputHash;
use serde::Serialize;

/// Why a region gets nothing: the regions the agreement (or `--exclude`) leaves out, and its
/// rule for their share. Words are the renderers' (`text::exclusion_words`).
#[derive(Debug, Clone)]
pub struct Exclusion {
    pub excluded: Vec<String>,
    pub eligibility: Option<Eligibility>,
}

/// Tied with `others` for the last unit(s) of an area, and whether the tie rule gave this
/// region the unit. Words are the renderers' (`text::tie_words`).
#[derive(Debug, Clone)]
pub struct Tie {
    pub others: Vec<String>,
    pub won: bool,
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
    #[serde(serialize_with = "super::text::bound_json")]
    pub bound: Option<Bound>,
    pub tie: Option<Tie>,
    pub withheld: bool,
    pub result: u128,
    /// Set for an area paid per inhabitant: the rate in kr, exact (a plain decimal string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_capita_kr: Option<String>,
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
    /// Whether `population_line` is a line of a text or a row of a sheet.
    #[serde(skip)]
    pub population_lines: crate::io::lines::Lines,
    pub population_total: u128,
    pub share: Fraction,
    pub eligible: bool,
    /// Set when the region is not eligible: who is excluded and what happens to their share.
    pub exclusion: Option<Exclusion>,
    /// Every amount here (`regions_units`, `base`, `units`, `got`, `result`, `total`, …) is a
    /// count of the agreement's rounding unit: this many kronor (`"1"` for whole kronor).
    pub amounts_in_units_of_kr: String,
    /// The unit those amounts count, for the text's words.
    #[serde(skip)]
    pub rounding: crate::core::amount::RoundingUnit,
    pub areas: Vec<AreaExplanation>,
    pub total: u128,
}

/// Selects region `index`'s figures from the allocation's stored derivation, for rendering.
pub fn explain(allocation: &Allocation, index: usize, inputs: Vec<InputHash>) -> Result<Explanation, QuotaTooLarge> {
    let recipient = &allocation.table().recipients[index];
    let row = allocation.region(index);
    let agreement = &allocation.agreement;
    let code = |at: &usize| allocation.region(*at).code();
    let areas = agreement
        .areas
        .iter()
        .enumerate()
        .map(|(area_index, area)| {
            let derivation = allocation.derivation(area_index, index);
            let parts = derivation
                .parts
                .iter()
                .map(|part| {
                    let too_large = || QuotaTooLarge { area: area.id.clone(), units: part.units, weight: part.weight };
                    Ok(PartExplanation {
                        key: part.key.to_string(),
                        units: part.units,
                        weight: part.weight,
                        weight_sum: part.weight_sum,
                        quota: Fraction {
                            numerator: part.product.ok_or_else(too_large)?,
                            denominator: part.weight_sum,
                        },
                        whole_units: part.whole,
                        remainder_rank: part.remainder_rank,
                        leftover_units: part.leftover,
                        got: part.got,
                    })
                })
                .collect::<Result<Vec<_>, QuotaTooLarge>>()?;
            let bound = derivation.bound;
            let tie = derivation.tie.map(|tie| Tie {
                others: tie.tied.iter().filter(|&&at| at != index).map(code).map(str::to_string).collect(),
                won: tie.winners.contains(&index),
            });
            Ok(AreaExplanation {
                id: area.id.clone(),
                name: area.name.clone(),
                method: derivation.method,
                regions_units: area.to_regions,
                base: derivation.base,
                parts,
                bound,
                tie,
                withheld: derivation.withheld,
                result: derivation.result,
                per_capita_kr: area.per_capita.as_ref().map(|rate| rate.kronor.normalize().to_string()),
            })
        })
        .collect::<Result<Vec<_>, QuotaTooLarge>>()?;
    let eligible = allocation.is_eligible(index);
    let exclusion = (!allocation.is_eligible(index)).then(|| Exclusion {
        excluded: allocation.excluded_codes().iter().map(ToString::to_string).collect(),
        eligibility: allocation.agreement.eligibility.clone(),
    });
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
        population_lines: allocation.table().lines,
        population_total: allocation.population.total,
        share: Fraction { numerator: u128::from(recipient.population), denominator: allocation.population.total },
        eligible,
        exclusion,
        amounts_in_units_of_kr: agreement.rounding.kronor().to_string(),
        rounding: agreement.rounding,
        areas,
        total: row.total(),
    })
}

/// A quota whose numerator (the area's units times the region's weight) needs more than 128
/// bits: the split is exact (a divisor method compares such claims in wider integers), but
/// the derivation cannot be printed exactly, so it is not printed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "area `{area}`: this region's quota, {units} units × a weight of {weight}, needs more than 128 bits to be \
     shown exactly; the allocation is exact, but its derivation cannot be printed: use a coarser `rounding`"
)]
pub struct QuotaTooLarge {
    pub area: String,
    pub units: u128,
    pub weight: u64,
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

    #[test]
    fn swedish_quotas_group_their_integer_part_only() {
        use crate::core::amount::NumberStyle;
        // 1 500 000 000 × 130 280 / 10 230 185, Jämtland's quota in omställning.
        let quota = Fraction { numerator: 1_500_000_000 * 130_280, denominator: 10_230_185 };
        assert_eq!(quota.decimal_in(6, NumberStyle::SWEDISH), "19 102 293,849035…");
        assert_eq!(quota.decimal(6, ','), "19102293,849035…", "ungrouped as before");
        assert_eq!(Fraction { numerator: 1, denominator: 3 }.decimal_in(2, NumberStyle::SWEDISH), "0,33…");
        assert_eq!(Fraction { numerator: 1, denominator: 0 }.decimal_in(2, NumberStyle::SWEDISH), "∞");
    }
}
