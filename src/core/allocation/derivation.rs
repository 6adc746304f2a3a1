//! What each area's split keeps to explain itself: every part's quota basis and leftover units,
//! the base, the regions held at a bound, the units withheld, the ties. One region's figures
//! are read from it (`Allocation::derivation`); nothing is split again.
//!
//! Kept compact for a million regions: the units are the allocation's columns, the weights
//! the population table's own (a part's weight is its key's, zero where the region took no
//! part), the bounds two lists of indices. A part's units per region are kept only for a
//! divisor method in a mix, where nothing else holds them.

use super::Allocation;
use crate::core::apportion::{Method, Tie, remainder_rank};

/// How one area was split. The units themselves are the allocation's column for the area.
#[derive(Debug, Clone)]
pub struct AreaDerivation {
    pub method: Method,
    /// Units every region that takes part got first.
    pub base: u128,
    /// One per key: the whole area unless its key is a mix.
    pub parts: Vec<PartDerivation>,
    /// Regions held at the area's minimum or maximum.
    pub held: HeldAtBounds,
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
    /// The sum of the weights of the regions that took part in this part.
    pub weight_sum: u128,
    /// Largest remainder only: the units left after every region's whole part.
    pub leftover: Option<u128>,
    /// This part's units per region, kept only for a divisor method in a mix: otherwise they
    /// are the column less base and bounds, or (largest remainder) the whole part plus one
    /// for a remainder ranked within the leftover units.
    pub(super) own_units: Vec<u128>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Minimum(u128),
    Maximum(u128),
}

/// The regions a split held at the area's minimum or at its maximum, by index.
#[derive(Debug, Clone, Default)]
pub struct HeldAtBounds {
    /// Units without the base.
    low: u128,
    high: Option<u128>,
    base: u128,
    /// Ascending, once `sorted`.
    at_minimum: Vec<usize>,
    at_maximum: Vec<usize>,
}

impl HeldAtBounds {
    pub(super) fn new(base: u128, low: Option<u128>, high: Option<u128>) -> HeldAtBounds {
        HeldAtBounds { low: low.unwrap_or(0), high, base, ..HeldAtBounds::default() }
    }

    /// Holds region `index` at `units` (without the base), which is the maximum or the minimum.
    pub(super) fn hold(&mut self, index: usize, units: u128) {
        if Some(units) == self.high { self.at_maximum.push(index) } else { self.at_minimum.push(index) }
    }

    pub(super) fn sorted(mut self) -> HeldAtBounds {
        self.at_minimum.sort_unstable();
        self.at_maximum.sort_unstable();
        self
    }

    /// The bound region `index` was held at, base included.
    #[must_use]
    pub fn of(&self, index: usize) -> Option<Bound> {
        if self.at_maximum.binary_search(&index).is_ok() {
            self.high.map(|high| Bound::Maximum(high + self.base))
        } else if self.at_minimum.binary_search(&index).is_ok() {
            Some(Bound::Minimum(self.low + self.base))
        } else {
            None
        }
    }

    /// Every region held, in index order, with its bound.
    #[must_use]
    pub fn all(&self) -> Vec<(usize, Bound)> {
        let mut all: Vec<(usize, Bound)> =
            self.at_minimum.iter().chain(&self.at_maximum).filter_map(|&at| Some((at, self.of(at)?))).collect();
        all.sort_unstable_by_key(|&(at, _)| at);
        all
    }
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
    /// `units · weight`, the quota's numerator over `weight_sum`; `None` when it needs more
    /// than 128 bits (a divisor method splits such areas exactly, but the figure cannot be shown).
    pub product: Option<u128>,
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
        let result = self.columns[area_index].cells().get(index);
        let bound = area.held.of(index);
        let parts = if eligible {
            area.parts.iter().map(|part| self.part_of(area, part, index, result)).collect()
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

    /// Region `index`'s weight in a part: its key's, unless it took no part in the split (an
    /// excluded region whose share was redistributed, or one held at a bound).
    fn weight_in(&self, area: &AreaDerivation, part: &PartDerivation, index: usize) -> u64 {
        if !(self.eligible[index] || area.withholds) || area.held.of(index).is_some() {
            return 0;
        }
        self.table.weight(&self.table.recipients[index], &part.key)
    }

    /// An eligible region's quota in one part; `result` is its units in the area.
    fn part_of<'a>(
        &self,
        area: &AreaDerivation,
        part: &'a PartDerivation,
        index: usize,
        result: u128,
    ) -> RegionPart<'a> {
        let weight = self.weight_in(area, part, index);
        let product = part.units.checked_mul(u128::from(weight));
        let sum = part.weight_sum.max(1);
        // Past 128 bits only a divisor method can have split the area (largest remainder
        // refuses it), and its units do not come from this whole part: nothing is derived from
        // the zeros here, and `explain` refuses to show them.
        let (whole, remainder) = product.map_or((0, 0), |product| (product / sum, product % sum));
        let rank = (area.method == Method::LargestRemainder && weight > 0)
            .then(|| {
                let weights: Vec<u64> = (0..self.region_count()).map(|at| self.weight_in(area, part, at)).collect();
                remainder_rank(part.units, &weights, part.weight_sum, index)
            })
            .flatten();
        let got = if let Some(&units) = part.own_units.get(index) {
            units
        } else if area.parts.len() > 1 {
            // Largest remainder in a mix: the whole part, and one of the leftover units if its
            // remainder ranks among them (a zero weight never does).
            whole + u128::from(rank.zip(part.leftover).is_some_and(|(rank, leftover)| rank as u128 <= leftover))
        } else if area.held.of(index).is_some() {
            // Held at a bound, it takes no part in the split of the rest.
            0
        } else {
            result - area.base
        };
        RegionPart {
            key: &part.key,
            units: part.units,
            weight,
            weight_sum: part.weight_sum,
            product,
            whole,
            remainder,
            remainder_rank: rank,
            leftover: if rank.is_some() { part.leftover } else { None },
            got,
        }
    }
}
