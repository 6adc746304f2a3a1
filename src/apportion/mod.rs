//! Pure integer apportionment: split a whole number of units among weights so that the parts
//! add up exactly. No I/O, no decimals, no floats.

mod largest_remainder;

pub use largest_remainder::largest_remainder;

use thiserror::Error;

/// The result of splitting `total` units: `units[i]` for weight `i`, plus the ties that had to be
/// broken by rule to hand out the last units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Apportionment {
    pub units: Vec<u128>,
    pub ties: Vec<Tie>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ApportionError {
    #[error("all weights are zero, so there is nothing to divide by")]
    ZeroWeights,
    #[error("the total times a weight does not fit in 128 bits")]
    Overflow,
}
