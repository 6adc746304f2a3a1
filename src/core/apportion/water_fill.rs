//! Water filling: the exact (continuous) split `x_i = clamp(λ·w_i, low, high)` with
//! `Σ x_i = rest`, and which recipients it holds at a bound. Integer only: λ is a fraction,
//! every comparison an exact cross-multiplication.

use std::cmp::Ordering;

use super::exact::compare_products;

/// The regions held at `low` or `high` in the exact solution `x_i = clamp(λ·w_i, low, high)`
/// with `Σ x_i = rest` ("water filling"): the sum grows with λ, so λ is found among the
/// breakpoints `low/w_i` and `high/w_i` by binary search, every comparison an exact
/// cross-multiplication. Holding caps first, then floors, is not enough: a cap can free so
/// much that the floors then overshoot the total.
pub fn water_fill(weights: &[u64], members: &[bool], low: u128, high: Option<u128>, rest: u128) -> Vec<Option<u128>> {
    // λ = numerator / denominator; every denominator is a positive weight. The breakpoints
    // `low/w_i` (and `high/w_i`) rise as the weights fall: one list of weights, largest first,
    // orders both, at a quarter of the memory of the breakpoints themselves.
    let mut descending: Vec<u64> =
        weights.iter().zip(members).filter(|&(&weight, &member)| member && weight > 0).map(|(&w, _)| w).collect();
    descending.sort_unstable_by(|a, b| b.cmp(a));
    // Every comparison of λ·w with a bound is one of two products, compared exactly.
    let less = |a: &(u128, u128), b: &(u128, u128)| compare_products(&[a.0, b.1], &[b.0, a.1]);
    // Σ clamp(λ·w_i) ≤ rest at λ = p/q?
    let fits = |&(p, q): &(u128, u128)| -> bool {
        let (mut held, mut free_weight) = (0u128, 0u128);
        for (&weight, &member) in weights.iter().zip(members) {
            if !member {
                continue;
            }
            let w = u128::from(weight);
            let bound = if compare_products(&[p, w], &[low, q]) != Ordering::Greater {
                low
            } else if let Some(high) = high.filter(|&high| compare_products(&[p, w], &[high, q]) != Ordering::Less) {
                high
            } else {
                free_weight += w;
                continue;
            };
            // Held units past 128 bits are past any `rest`: λ is too large.
            match held.checked_add(bound) {
                Some(sum) if sum <= rest => held = sum,
                _ => return false,
            }
        }
        // q·held + p·free ≤ q·rest  ⇔  p·free ≤ q·(rest − held), as held ≤ rest here.
        compare_products(&[p, free_weight], &[q, rest - held]) != Ordering::Greater
    };
    // The interval (below, above) of breakpoints that holds λ: in each list, the last
    // breakpoint that fits and the first that does not (`fits` falls as λ rises).
    let mut below: Option<(u128, u128)> = None;
    let mut above: Option<(u128, u128)> = None;
    let bounds = [(low > 0).then_some(low), high];
    for numerator in bounds.into_iter().flatten() {
        let breakpoint = |weight: u64| (numerator, u128::from(weight));
        let split = descending.partition_point(|&weight| fits(&breakpoint(weight)));
        if let Some(last) = split.checked_sub(1).map(|at| breakpoint(descending[at])) {
            below = Some(below.map_or(last, |other| std::cmp::max_by(other, last, less)));
        }
        if let Some(first) = descending.get(split).map(|&weight| breakpoint(weight)) {
            above = Some(above.map_or(first, |other| std::cmp::min_by(other, first, less)));
        }
    }
    weights
        .iter()
        .zip(members)
        .map(|(&weight, &member)| {
            if !member {
                return None;
            }
            if weight == 0 {
                return Some(low);
            }
            let w = u128::from(weight);
            // Held low if λ·w ≤ low throughout the interval: low/w ≥ above.
            let at_low = above.is_some_and(|(p, q)| compare_products(&[low, q], &[p, w]) != Ordering::Less) && low > 0;
            // Held high if λ·w ≥ high throughout: high/w ≤ below.
            let at_high = match (high, below) {
                (Some(high), Some((p, q))) => compare_products(&[high, q], &[p, w]) != Ordering::Greater,
                _ => false,
            };
            if at_low {
                Some(low)
            } else if at_high {
                high
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn hand_worked_caps_and_floors() {
        // 10 units by 5:3:2, at most 4: λ = 1 gives 5, 3, 2; the first is held at 4, and the
        // other 6 units by 3:2 give 3,6 and 2,4, both inside the bounds.
        assert_eq!(water_fill(&[5, 3, 2], &[true; 3], 0, Some(4), 10), vec![Some(4), None, None]);
        // 10 units by 8:1:1, at least 2: λ = 1 gives 8, 1, 1; both small ones are held at 2 and
        // the first takes the other 6.
        assert_eq!(water_fill(&[8, 1, 1], &[true; 3], 2, None, 10), vec![None, Some(2), Some(2)]);
        // A non-member is nobody's business; a zero weight sits at the floor.
        assert_eq!(water_fill(&[8, 0, 1], &[true, true, false], 1, None, 10), vec![None, Some(1), None]);
    }

    #[test]
    fn a_cap_that_frees_too_much_for_the_floors_is_found() {
        // 12 units by 10:1:1 with 2 ≤ x ≤ 6: holding the cap first (6) leaves 6 for the two
        // small ones, 3 each, inside; λ = 3 gives 30 → 6, 3, 3.
        assert_eq!(water_fill(&[10, 1, 1], &[true; 3], 2, Some(6), 12), vec![Some(6), None, None]);
        // 7 units, same bounds: λ·10 ≥ 6 and λ ≤ 2, so the small ones are held at 2 and the
        // large one gets the 3 left, free.
        assert_eq!(water_fill(&[10, 1, 1], &[true; 3], 2, Some(6), 7), vec![None, Some(2), Some(2)]);
    }

    proptest! {
        /// Whatever is held is held rightly: with λ = (rest − held) / free weight, every free
        /// recipient's λ·w lies within the bounds, every one held low has λ·w ≤ low, every one
        /// held high has λ·w ≥ high.
        #[test]
        fn held_recipients_are_those_the_exact_split_holds(
            weights in prop::collection::vec(1u64..1000, 1..8),
            low in 0u128..5,
            span in prop::option::of(0u128..20),
            fraction in 0u128..=100,
        ) {
            let n = weights.len() as u128;
            let high = span.map(|span| low + span);
            let most = high.map_or(low * n + 1000, |high| high * n);
            let rest = low * n + (most - low * n) * fraction / 100;
            let fixed = water_fill(&weights, &vec![true; weights.len()], low, high, rest);
            let held: u128 = fixed.iter().flatten().sum();
            let free_weight: u128 =
                weights.iter().zip(&fixed).filter(|(_, f)| f.is_none()).map(|(&w, _)| u128::from(w)).sum();
            if free_weight == 0 {
                prop_assert_eq!(held, rest);
                return Ok(());
            }
            prop_assert!(held <= rest);
            let (p, q) = (rest - held, free_weight);
            for (&weight, fixed) in weights.iter().zip(&fixed) {
                let w = u128::from(weight);
                // λ·w against a bound b: p·w against b·q.
                let versus = |bound: u128| compare_products(&[p, w], &[bound, q]);
                match fixed {
                    None => {
                        prop_assert!(versus(low) != Ordering::Less);
                        prop_assert!(high.is_none_or(|high| versus(high) != Ordering::Greater));
                    }
                    Some(units) if Some(*units) == high && *units != low => {
                        prop_assert!(versus(*units) != Ordering::Less);
                    }
                    Some(units) => {
                        prop_assert_eq!(*units, low);
                        prop_assert!(versus(low) != Ordering::Greater);
                    }
                }
            }
        }
    }
}
