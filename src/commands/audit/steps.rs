//! Amounts in a table's steps, shown exactly: a quota that is no finite decimal to nine decimals
//! past the step and marked `…`. Shared by audit's report and the words of what its amounts imply.

use super::compute::Step;
use crate::core::amount::{Fraction, NumberStyle, Scaled};

/// Digits shown past the step where a quota goes on.
const EXTRA_DIGITS: u32 = 9;

/// `fraction` steps in the table's unit: exact when it ends within the digits shown, else cut
/// and marked `…`. At least the step's own decimals are shown, so columns line up.
#[must_use]
pub fn show_steps(fraction: &Fraction, step: Step, style: NumberStyle) -> String {
    let denominator = fraction.denominator.max(1);
    let integer = fraction.numerator / denominator;
    let mut remainder = fraction.numerator % denominator;
    let (mut mantissa, mut digits) = (integer, 0u32);
    while remainder != 0 && digits < EXTRA_DIGITS {
        // remainder < denominator: `remainder * 10` can pass 128 bits only for a denominator
        // above 2^124, which a table's fraction never has; stop there rather than guess.
        let (Some(next), Some(shifted)) = (remainder.checked_mul(10), mantissa.checked_mul(10)) else { break };
        mantissa = shifted + next / denominator;
        remainder = next % denominator;
        digits += 1;
    }
    // The value in the unit: mantissa / 10^(digits + decimals), where a step coarser than the
    // unit has decimals below zero.
    let scale = i64::from(digits) + i64::from(step.decimals);
    let shown = u32::try_from(step.decimals.max(0)).unwrap_or(0);
    let text = match u32::try_from(scale) {
        Ok(scale) => Scaled { mantissa, scale }.format(shown, style),
        Err(_) => {
            match u32::try_from(-scale).ok().and_then(|e| 10u128.checked_pow(e)).and_then(|f| mantissa.checked_mul(f)) {
                Some(mantissa) => Scaled { mantissa, scale: 0 }.format(shown, style),
                // Past 128 bits: the digits and the power of ten, still exact.
                None => format!("{mantissa}·10^{}", -scale),
            }
        }
    };
    if remainder == 0 { text } else { format!("{text}…") }
}

/// A whole number of steps, shown in the table's unit.
pub(crate) fn show_units(units: u128, step: Step, style: NumberStyle) -> String {
    show_steps(&Fraction { numerator: units, denominator: 1 }, step, style)
}
