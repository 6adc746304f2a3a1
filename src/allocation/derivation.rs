//! What each area's split keeps to explain itself: every part's quota basis and leftover units,
//! the base, the regions held at a bound, the units withheld, the ties. One region's figures
//! are read from it (`Allocation::derivation`); nothing is split again.

use std::sync::Arc;

use super::Allocation;
use crate::apportion::{Method, Tie, remainder_rank};

/// How one area was split. The units themselves are the allocation's column for the area.
#[derive(Debug, Clone)]
pub struct AreaDerivation {
    pub method: Method,
    /// Units every region that takes part got first.
    pub base: u128,
    /// One per key: the whole area unless its key is a mix.
    pub parts: Vec<PartDerivation>,
    /// Regions held at their minimum or maximum, by index.
    pub bounded: Vec<(usize, Bound)>,
    /// Units kept back from excluded regions (`policy = "withhold"`).
    pub withheld: u128,
    /// Excluded regions took part and their units were withheld (rather than taking no part).
    pub withholds: bool,
    /// Ties of equal claims that decided who got the last unit(s), by region index.
    pub ties: Vec<Tie>,
}

/// One key's part of an area: the basis of every region's quota `units · weight / weight_sum`.
#[derive(Debug, Clone)]
pub struct PartDerivation {
    pub key: String,
    /// Units of this part, divided among the free regions.
    pub units: u128,
    /// Weight per region (zero for excluded or bounded regions); shared, not copied, when it
    /// is the population column itself.
    pub weights: Arc<[u64]>,
    pub weight_sum: u128,
    /// Largest remainder only: the units left after every region's whole part.
    pub leftover: Option<u128>,
    /// This part's units per region when the area's column is the sum of several (a mix);
    /// empty when the column, less base and bounds, is this part, so as not to store it twice.
    pub(super) own_units: Vec<u128>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Minimum(u128),
    Maximum(u128),
}

/// One region's figures in one area, as the split found them.
#[derive(Debug, Clone)]
pub struct RegionDerivation<'a> {
    pub method: Method,
    /// Units it got first (zero when it is not eligible).
    pub base: u128,
    /// Its quota in each part; none when it is not eligible, as the derivation of a share it
    /// does not get (withheld regions take part in the split) would only end in "0 kr".
    pub parts: Vec<RegionPart<'a>>,
    pub bound: Option<Bound>,
    pub tie: Option<&'a Tie>,
    /// Its units were withheld (`policy = "withhold"`).
    pub withheld: bool,
    pub result: u128,
}

/// One region's quota in one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPart<'a> {
    pub key: &'a str,
    pub units: u128,
    pub weight: u64,
    pub weight_sum: u128,
    /// `units · weight`, the quota's numerator over `weight_sum`.
    pub product: u128,
    /// The quota's whole part and remainder.
    pub whole: u128,
    pub remainder: u128,
    /// Largest remainder and a weight above zero: the rank of its remainder among all regions
    /// (1 = largest) and how many units were left over after the whole parts; it got one of
    /// them if and only if `remainder_rank <= leftover`.
    pub remainder_rank: Option<usize>,
    pub leftover: Option<u128>,
    /// Units it got from this part.
    pub got: u128,
}

impl Allocation {
    /// How area `area_index` was split.
    #[must_use]
    pub fn area_derivation(&self, area_index: usize) -> &AreaDerivation {
        &self.derivations[area_index]
    }

    /// Region `index`'s figures in area `area_index`.
    #[must_use]
    pub fn derivation(&self, area_index: usize, index: usize) -> RegionDerivation<'_> {
        let area = &self.derivations[area_index];
        let eligible = self.eligible[index];
        let result = self.columns[area_index][index];
        let bound = area.bounded.iter().find(|(at, _)| *at == index).map(|&(_, bound)| bound);
        let parts = if eligible {
            area.parts.iter().map(|part| part.of(index, area, bound, result)).collect()
        } else {
            Vec::new()
        };
        RegionDerivation {
            method: area.method,
            base: if eligible { area.base } else { 0 },
            parts,
            bound,
            tie: area.ties.iter().find(|tie| tie.tied.contains(&index)),
            withheld: !eligible && area.withholds,
            result,
        }
    }
}

impl PartDerivation {
    /// An eligible region's quota in this part; `result` is its units in the area.
    fn of(&self, index: usize, area: &AreaDerivation, bound: Option<Bound>, result: u128) -> RegionPart<'_> {
        let weight = self.weights[index];
        let product = self.units * u128::from(weight);
        let sum = self.weight_sum.max(1);
        let ranked = area.method == Method::LargestRemainder && weight > 0;
        let got = match (self.own_units.get(index), bound) {
            (Some(&units), _) => units,
            // A region held at a bound takes no part in the split of the rest.
            (None, Some(_)) => 0,
            (None, None) => result - area.base,
        };
        RegionPart {
            key: &self.key,
            units: self.units,
            weight,
            weight_sum: self.weight_sum,
            product,
            whole: product / sum,
            remainder: product % sum,
            remainder_rank: if ranked {
                remainder_rank(self.units, &self.weights, self.weight_sum, index)
            } else {
                None
            },
            leftover: if ranked { self.leftover } else { None },
            got,
        }
    }
}
