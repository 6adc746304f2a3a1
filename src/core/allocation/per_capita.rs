//! Areas paid "in kronor per inhabitant" (`per_capita`): each region gets rate × population
//! exactly, in whole rounding units, and the area's amount is their sum.
//!
//! The rule when rate × population is not a whole number of the agreement's rounding unit
//! (12,50 kr × 5 343 people = 66 787,50 kr, with a rounding unit of 1 kr): an error naming the
//! region and the product, never a rounding of its own. The agreement then sets a finer
//! `rounding` (`"0.01 kr"`, `"0.5 kr"`) or states the amounts itself.

use rust_decimal::Decimal;

use super::derivation::{AreaDerivation, HeldAtBounds};
use crate::core::agreement::PerCapita;
use crate::core::amount::{NumberStyle, RoundingUnit, Unit, format_decimal};
use crate::core::apportion::Method;
use crate::core::population::PopulationTable;

/// Why a rate per inhabitant gives no split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PerCapitaError {
    #[error(
        "{rate} kr per inhabitant × {population} inhabitants of {code} = {product} kr, not a whole number of the \
         agreement's rounding unit ({rounding}): set a finer `rounding` (e.g. \"{}\"), or state the amounts",
        finer(*decimals)
    )]
    NotWhole { code: String, population: String, rate: String, product: String, rounding: String, decimals: u32 },
    #[error("{rate} kr per inhabitant × the population is more than fordela can hold exactly")]
    TooLarge { rate: String },
    #[error(
        "the rate gives {computed} kr ({rate} kr × {population} inhabitants), but `regions` states {declared} kr: \
         correct one of the two"
    )]
    Declared { rate: String, population: String, computed: String, declared: String },
}

/// A rounding unit that holds an amount of `decimals` decimals: `0.001 kr` for three.
fn finer(decimals: u32) -> String {
    format!("{} kr", Decimal::new(1, decimals))
}

/// A decimal's digits and scale as unsigned integers: `12.50` is (1250, 2).
fn parts(value: Decimal) -> (u128, u32) {
    (value.mantissa().unsigned_abs(), value.scale())
}

/// Each region's units by `rate`, by code (0 for a region that is not eligible), and the
/// derivation `explain` reads beside them.
pub(super) fn split_per_capita(
    rate: &PerCapita,
    rounding: RoundingUnit,
    table: &PopulationTable,
    eligible: &[bool],
) -> Result<(Vec<u128>, AreaDerivation), PerCapitaError> {
    let rate_words = format_decimal(rate.kronor, 0, NumberStyle::SWEDISH);
    let grouped = |count: u128| format_decimal(Decimal::from(count), 0, NumberStyle::SWEDISH);
    let too_large = || PerCapitaError::TooLarge { rate: rate_words.clone() };
    // units = rate (a / 10^s kr) × population / rounding (r / 10^t kr) = a·pop·10^t / (r·10^s)
    let (a, s) = parts(rate.kronor);
    let (r, t) = parts(rounding.kronor());
    let denominator = 10u128.checked_pow(s).and_then(|scale| scale.checked_mul(r)).ok_or_else(too_large)?;
    let scale_up = 10u128.checked_pow(t).ok_or_else(too_large)?;
    let mut units = Vec::with_capacity(table.recipients.len());
    let mut sum = 0u128;
    for (recipient, &is_eligible) in table.recipients.iter().zip(eligible) {
        if !is_eligible {
            units.push(0);
            continue;
        }
        let numerator = a
            .checked_mul(u128::from(recipient.population))
            .and_then(|product| product.checked_mul(scale_up))
            .ok_or_else(too_large)?;
        if numerator % denominator != 0 {
            let product = rate.kronor * Decimal::from(recipient.population);
            return Err(PerCapitaError::NotWhole {
                code: table.code(recipient).to_string(),
                population: grouped(u128::from(recipient.population)),
                rate: rate_words.clone(),
                product: format_decimal(product, 0, NumberStyle::SWEDISH),
                rounding: rounding.describe(),
                decimals: product.normalize().scale(),
            });
        }
        let count = numerator / denominator;
        sum = sum.checked_add(count).filter(|&sum| sum <= rounding.max_count()).ok_or_else(too_large)?;
        units.push(count);
    }
    if let Some(declared) = rate.declared
        && declared != sum
    {
        let kr = |count: u128| rounding.scaled(count, Unit::Kr).format(0, NumberStyle::SWEDISH);
        let population: u128 =
            table.recipients.iter().zip(eligible).filter(|(_, is)| **is).map(|(r, _)| u128::from(r.population)).sum();
        return Err(PerCapitaError::Declared {
            rate: rate_words,
            population: grouped(population),
            computed: kr(sum),
            declared: kr(declared),
        });
    }
    let derivation = AreaDerivation {
        method: Method::LargestRemainder,
        base: 0,
        parts: Vec::new(),
        held: HeldAtBounds::default(),
        withheld: 0,
        withholds: false,
        ties: Vec::new(),
    };
    Ok((units, derivation))
}
