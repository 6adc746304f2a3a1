//! Pure integer apportionment: split a whole number of units among weights so that the parts
//! add up exactly. No I/O, no decimals, no floats.

mod controlled;
mod divisor;
mod exact;
mod largest_remainder;
mod row_rounding;
mod water_fill;

pub use controlled::{RoundingError, controlled_round};
pub use divisor::{DivisorMethod, LARGEST_TOTAL, divisor};
pub use exact::compare_products;
pub use largest_remainder::{largest_remainder, largest_remainder_narrow, narrow_sum, remainder_rank};
pub use row_rounding::{RoundedRow, RowRoundingError, round_row};
pub use water_fill::water_fill;

use thiserror::Error;

/// The result of splitting `total` units: `units[i]` for weight `i`, plus the ties that had to be
/// broken by rule to hand out the last units.
/// Units are 128-bit unless a 64-bit split made them (`largest_remainder_narrow`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Apportionment<U = u128> {
    pub units: Vec<U>,
    pub ties: Vec<Tie>,
    /// Largest remainder only: the units left after every whole quota, which went one each to
    /// the largest remainders (kept because it explains the split; divisor methods have none).
    pub leftover: Option<u128>,
}

/// Recipients whose claims on the last units were exactly equal, of which only some could get
/// one. Indices refer to the weights given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// Everyone in the tie, in input order.
    pub tied: Vec<usize>,
    /// Those of them that got the contested unit, in input order.
    pub winners: Vec<usize>,
}

/// How an amount is divided: largest remainder (the default) or one of the divisor methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    #[default]
    LargestRemainder,
    DHondt,
    SainteLague,
    HuntingtonHill,
    Adams,
}

impl Method {
    /// Accepted spellings, for agreement files and the command line.
    pub fn parse(text: &str) -> Option<Method> {
        match text.trim().to_lowercase().replace(['_', ' ', '\''], "-").as_str() {
            "largest-remainder" | "hamilton" | "hare" => Some(Method::LargestRemainder),
            "dhondt" | "d-hondt" | "jefferson" => Some(Method::DHondt),
            "sainte-lague" | "sainte-laguë" | "webster" => Some(Method::SainteLague),
            "huntington-hill" | "hill" => Some(Method::HuntingtonHill),
            "adams" => Some(Method::Adams),
            _ => None,
        }
    }

    pub const NAMES: &'static str =
        "largest-remainder, dhondt (jefferson), sainte-lague (webster), huntington-hill, adams";

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Method::LargestRemainder => "largest remainder",
            Method::DHondt => "D'Hondt",
            Method::SainteLague => "Sainte-Laguë",
            Method::HuntingtonHill => "Huntington–Hill",
            Method::Adams => "Adams",
        }
    }

    /// Splits `total` units among `weights` by this method.
    pub fn apportion(self, total: u128, weights: &[u64]) -> Result<Apportionment, ApportionError> {
        match self {
            Method::LargestRemainder => largest_remainder(total, weights),
            Method::DHondt => divisor(DivisorMethod::DHondt, total, weights),
            Method::SainteLague => divisor(DivisorMethod::SainteLague, total, weights),
            Method::HuntingtonHill => divisor(DivisorMethod::HuntingtonHill, total, weights),
            Method::Adams => divisor(DivisorMethod::Adams, total, weights),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ApportionError {
    #[error("all weights are zero, so there is nothing to divide by")]
    ZeroWeights,
    #[error(
        "the amount in rounding units times a key value does not fit in 128 bits: \
         use a coarser `rounding` or smaller key values"
    )]
    Overflow,
    #[error("a divisor method takes at most 2^126 units")]
    TooManyUnits,
    /// Indices are kept in 32 bits, half the memory of `usize` at a million recipients.
    #[error("at most 4 294 967 295 recipients can share an amount")]
    TooManyRecipients,
}
