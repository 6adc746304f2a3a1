//! Divisor methods (D'Hondt/Jefferson, Sainte-Laguë/Webster, Huntington–Hill, Adams) by
//! "jump and step": round every quota `total·w_i / W` by the method's rule with the standard
//! divisor `W / total`, which is a valid apportionment of some nearby total; then hand out or
//! take back the few units of difference one at a time from a heap. Never one unit at a time
//! from zero: a total of 10¹¹ units costs the same as 10.
//!
//! A region holding `a` units claims its next one with priority `w / s(a)`, where the signpost
//! `s(a)` is `a + 1` (D'Hondt), `a + ½` (Sainte-Laguë), `√(a(a+1))` (Huntington–Hill) or `a`
//! (Adams). Priorities are fractions compared by exact cross-multiplication (in 512 bits when
//! 128 do not hold the products), squared for
//! Huntington–Hill so that no square root is ever taken.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::exact::compare_products;
use super::{ApportionError, Apportionment, Tie};

/// The largest total a divisor method takes: a quarter of 128 bits, so that a region's count
/// of units `a` (at most the total plus one per region while the jump is corrected) and its
/// signpost terms `a + 1` and `2a + 1` always fit. Agreements reach at most 7,9·10²⁸ units.
pub const LARGEST_TOTAL: u128 = u128::MAX >> 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DivisorMethod {
    DHondt,
    SainteLague,
    HuntingtonHill,
    Adams,
}

/// A priority `num / (den.0 · den.1)`, with a zero denominator meaning infinitely strong (a
/// region with no unit yet under Adams and Huntington–Hill). The denominator is kept as two
/// factors because Huntington–Hill's `a(a+1)` passes 128 bits once `a` passes 1,8·10¹⁹.
#[derive(Debug, Clone, Copy)]
struct Priority {
    num: u128,
    den: (u128, u128),
}

impl Priority {
    fn is_infinite(self) -> bool {
        self.den.0 == 0 || self.den.1 == 0
    }

    fn compare(self, other: Priority) -> Ordering {
        match (self.is_infinite(), other.is_infinite()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => {
                compare_products(&[self.num, other.den.0, other.den.1], &[other.num, self.den.0, self.den.1])
            }
        }
    }
}

impl DivisorMethod {
    /// Priority of the claim on unit number `held + 1` by weight `weight`.
    fn priority(self, weight: u64, held: u128) -> Priority {
        let w = u128::from(weight);
        match self {
            // `held` stays below 2¹²⁷ (see `LARGEST_TOTAL`): `2·held + 1` cannot overflow.
            DivisorMethod::DHondt => Priority { num: w, den: (held + 1, 1) },
            DivisorMethod::SainteLague => Priority { num: 2 * w, den: (2 * held + 1, 1) },
            DivisorMethod::HuntingtonHill => Priority { num: w * w, den: (held, held + 1) },
            DivisorMethod::Adams => Priority { num: w, den: (held, 1) },
        }
    }

    /// The quota `product / sum` rounded by the method's rule (the starting allocation).
    fn round(self, product: u128, sum: u128) -> u128 {
        let floor = product / sum;
        let remainder = product % sum;
        if remainder == 0 {
            return floor;
        }
        match self {
            DivisorMethod::DHondt => floor,
            DivisorMethod::Adams => floor + 1,
            // Up when the fraction is at least one half: remainder ≥ sum − remainder.
            DivisorMethod::SainteLague => floor + u128::from(remainder >= sum - remainder),
            // Up when the quota product/sum is at least the geometric mean √(q(q+1)):
            // product² ≥ q(q+1)·sum², in 512 bits. A remainder means sum ≥ 2, so q + 1 fits.
            DivisorMethod::HuntingtonHill => {
                let up = compare_products(&[product, product], &[floor, floor + 1, sum, sum]) != Ordering::Less;
                floor + u128::from(up)
            }
        }
    }
}

/// A heap entry: the recipient and the priority it competes with. Ties: larger weight, then
/// lower index, is stronger — the same rule as largest remainder.
struct Claim {
    priority: Priority,
    weight: u64,
    index: usize,
}

impl Claim {
    fn strength(&self, other: &Claim) -> Ordering {
        self.priority.compare(other.priority).then(self.weight.cmp(&other.weight)).then(other.index.cmp(&self.index))
    }
}

/// Heap order by strength: a max-heap as is, a min-heap inside `Reverse`.
struct Strongest(Claim);

impl PartialEq for Strongest {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Strongest {}
impl PartialOrd for Strongest {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Strongest {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.strength(&other.0)
    }
}
pub fn divisor(method: DivisorMethod, total: u128, weights: &[u64]) -> Result<Apportionment, ApportionError> {
    let weight_sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if weight_sum == 0 {
        return Err(ApportionError::ZeroWeights);
    }
    if total > LARGEST_TOTAL {
        return Err(ApportionError::TooManyUnits);
    }
    // The jump: a divisor that lands near the total. Rounding down loses about half a unit per
    // recipient and rounding up gains about half, so D'Hondt aims n/2 above the total and Adams
    // n/2 below (Pukelsheim, *Proportional Representation*, ch. 6); the step then has only
    // O(√n) units to move instead of O(n).
    let half = (weights.len() / 2) as u128;
    let aim = match method {
        // Below `LARGEST_TOTAL`, adding half the count cannot overflow; Adams aims no lower than 0.
        DivisorMethod::DHondt => total + half,
        DivisorMethod::Adams => total - half.min(total),
        DivisorMethod::SainteLague | DivisorMethod::HuntingtonHill => total,
    };
    let mut units = Vec::with_capacity(weights.len());
    for &weight in weights {
        let product = aim.checked_mul(u128::from(weight)).ok_or(ApportionError::Overflow)?;
        units.push(if weight == 0 { 0 } else { method.round(product, weight_sum) });
    }
    let mut held: u128 = units.iter().sum();
    let claim = |index: usize, holding: u128| Claim {
        priority: method.priority(weights[index], holding),
        weight: weights[index],
        index,
    };
    // Only the `gap` strongest claims (weakest units, when taking back) can be served before
    // every other: select those first and keep only them in the heap. A served claim comes
    // back weaker, but while fewer than `gap` have been served, some selected claim is still
    // waiting, stronger than every claim left out. A million recipients then need a heap of
    // the few units to move, not of a million claims.
    let gap = usize::try_from(total.abs_diff(held)).unwrap_or(usize::MAX);
    // u32 indices, as in largest remainder: half the memory of usize at a million recipients.
    let count = u32::try_from(weights.len()).map_err(|_| ApportionError::TooManyRecipients)?;
    let candidates = |keep: &dyn Fn(usize) -> bool| -> Vec<u32> { (0..count).filter(|&i| keep(i as usize)).collect() };
    if held < total {
        let mut order = candidates(&|i| weights[i] > 0);
        let strongest_first =
            |a: &u32, b: &u32| claim(*b as usize, units[*b as usize]).strength(&claim(*a as usize, units[*a as usize]));
        if gap < order.len() {
            order.select_nth_unstable_by(gap, strongest_first);
            order.truncate(gap);
        }
        let mut heap: BinaryHeap<Strongest> =
            order.into_iter().map(|i| Strongest(claim(i as usize, units[i as usize]))).collect();
        while held < total {
            let Some(Strongest(best)) = heap.pop() else {
                break;
            };
            units[best.index] += 1;
            held += 1;
            heap.push(Strongest(claim(best.index, units[best.index])));
        }
    } else if held > total {
        // The weakest unit held is the one claimed with priority w / s(a - 1).
        let mut order = candidates(&|i| units[i] > 0);
        let weakest_first = |a: &u32, b: &u32| {
            claim(*a as usize, units[*a as usize] - 1).strength(&claim(*b as usize, units[*b as usize] - 1))
        };
        if gap < order.len() {
            order.select_nth_unstable_by(gap, weakest_first);
            order.truncate(gap);
        }
        let mut heap: BinaryHeap<Reverse<Strongest>> =
            order.into_iter().map(|i| Reverse(Strongest(claim(i as usize, units[i as usize] - 1)))).collect();
        while held > total {
            let Some(Reverse(Strongest(worst))) = heap.pop() else {
                break;
            };
            units[worst.index] -= 1;
            held -= 1;
            if units[worst.index] > 0 {
                heap.push(Reverse(Strongest(claim(worst.index, units[worst.index] - 1))));
            }
        }
    }
    let ties = boundary_tie(method, weights, &units);
    Ok(Apportionment { units, ties, leftover: None })
}

/// A tie decided a unit when the weakest unit held and the strongest unit not held have equal
/// priority: those recipients could swap it with equal right.
fn boundary_tie(method: DivisorMethod, weights: &[u64], units: &[u128]) -> Vec<Tie> {
    let next = |i: usize| method.priority(weights[i], units[i]);
    let last = |i: usize| method.priority(weights[i], units[i] - 1);
    let strongest_next = (0..weights.len()).filter(|&i| weights[i] > 0).map(next).max_by(|a, b| a.compare(*b));
    let weakest_last = (0..weights.len()).filter(|&i| units[i] > 0).map(last).min_by(|a, b| a.compare(*b));
    let (Some(cut), Some(held)) = (strongest_next, weakest_last) else {
        return Vec::new();
    };
    if cut.compare(held) != Ordering::Equal {
        return Vec::new();
    }
    let winners: Vec<usize> =
        (0..weights.len()).filter(|&i| units[i] > 0 && last(i).compare(cut) == Ordering::Equal).collect();
    let tied: Vec<usize> = (0..weights.len())
        .filter(|&i| {
            (units[i] > 0 && last(i).compare(cut) == Ordering::Equal)
                || (weights[i] > 0 && next(i).compare(cut) == Ordering::Equal)
        })
        .collect();
    vec![Tie { tied, winners }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_seats_by_hand() {
        // 10 units, weights 53 000 / 24 000 / 23 000. D'Hondt and Sainte-Laguë: the ten largest
        // of w/1, w/2, … (resp. w/1, w/3, w/5, …) are six of A's, two each of B's and C's.
        // Adams and Huntington–Hill give each one first; the next seven go to A 4, B 2, C 1
        // (A: 53 000/1, /2, /3, /4 against B 24 000/1, /2; resp. 53 000/√2, /√6, /√12, /√20,
        // B 24 000/√2, /√6 = 9 798 over A's 53 000/√30 = 9 676).
        let weights = [53_000, 24_000, 23_000];
        assert_eq!(divisor(DivisorMethod::DHondt, 10, &weights).unwrap().units, vec![6, 2, 2]);
        assert_eq!(divisor(DivisorMethod::SainteLague, 10, &weights).unwrap().units, vec![6, 2, 2]);
        assert_eq!(divisor(DivisorMethod::Adams, 10, &weights).unwrap().units, vec![5, 3, 2]);
        assert_eq!(divisor(DivisorMethod::HuntingtonHill, 10, &weights).unwrap().units, vec![5, 3, 2]);
    }

    #[test]
    fn the_methods_differ_where_they_should() {
        // Six parties, ten seats; results checked with a one-seat-at-a-time reference using
        // exact fractions (a separate Python script): the small parties fare better from
        // D'Hondt to Sainte-Laguë to Huntington–Hill to Adams.
        let weights = [47_000, 16_000, 15_900, 12_000, 6_000, 3_100];
        let seats = |method| divisor(method, 10, &weights).unwrap().units;
        assert_eq!(seats(DivisorMethod::DHondt), vec![5, 2, 2, 1, 0, 0]);
        assert_eq!(seats(DivisorMethod::SainteLague), vec![4, 2, 2, 1, 1, 0]);
        assert_eq!(seats(DivisorMethod::HuntingtonHill), vec![4, 2, 1, 1, 1, 1]);
        assert_eq!(seats(DivisorMethod::Adams), vec![3, 2, 2, 1, 1, 1]);
    }

    #[test]
    fn a_hundred_billion_units_take_no_longer_than_ten() {
        let weights: Vec<u64> = (1..=1000).map(|i| i * 7919 % 100_003).collect();
        for method in
            [DivisorMethod::DHondt, DivisorMethod::SainteLague, DivisorMethod::HuntingtonHill, DivisorMethod::Adams]
        {
            let result = divisor(method, 100_000_000_000, &weights).unwrap();
            assert_eq!(result.units.iter().sum::<u128>(), 100_000_000_000);
        }
    }
}
