//! Largest remainder (Hamilton): everyone gets the whole part of their exact quota
//! `total·w_i / W`; the units left over go to the largest remainders `(total·w_i) mod W`.
//! All remainders share the denominator `W`, so they compare as plain integers.
//!
//! Tie rule (documented in docs/exactness.md): among equal remainders the larger weight wins, and
//! among equal weights the earlier index wins. Callers order recipients by code, so "earlier"
//! means "lower code" and the result does not depend on the order of the input file.

use std::cmp::Reverse;

use super::{ApportionError, Apportionment, Tie};

pub fn largest_remainder(total: u128, weights: &[u64]) -> Result<Apportionment, ApportionError> {
    let weight_sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if weight_sum == 0 {
        return Err(ApportionError::ZeroWeights);
    }
    // Remainders are below the weights' sum: 64 bits hold them for any real population,
    // which halves the largest temporary at a million recipients.
    if u64::try_from(weight_sum).is_ok() {
        split::<u64>(total, weights, weight_sum)
    } else {
        split::<u128>(total, weights, weight_sum)
    }
}

fn split<R: Copy + Ord + Default + TryFrom<u128> + Into<u128>>(
    total: u128,
    weights: &[u64],
    weight_sum: u128,
) -> Result<Apportionment, ApportionError> {
    let mut units = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut handed_out: u128 = 0;
    for &weight in weights {
        let product = total.checked_mul(u128::from(weight)).ok_or(ApportionError::Overflow)?;
        units.push(product / weight_sum);
        remainders.push(R::try_from(product % weight_sum).map_err(|_| ApportionError::Overflow)?);
        handed_out += product / weight_sum;
    }
    hand_out_leftover(total, weights, weight_sum, units, &remainders, handed_out)
}

/// The weights' sum when `total` times every weight fits in 64 bits (and so the sum, every
/// quota and every remainder), for `largest_remainder_narrow`; `None` when one could pass
/// them, which only an amount or a key beyond any real grant or population does.
#[must_use]
pub fn narrow_sum(total: u128, weights: &[u64]) -> Option<u64> {
    let total = u64::try_from(total).ok()?;
    let (sum, largest) = weights
        .iter()
        .try_fold((0u64, 0u64), |(sum, largest), &weight| Some((sum.checked_add(weight)?, largest.max(weight))))?;
    total.checked_mul(largest)?;
    Some(sum)
}

/// `largest_remainder` in 64-bit arithmetic and units, for a `total` and weights that
/// `narrow_sum` (which gave `weight_sum`) says fit: the same units, ties and leftover, half the
/// memory, and a division the processor does in one instruction instead of a 128-bit
/// routine. Still checked: a product that would pass 64 bits is an error, never a wrap.
///
/// No remainder is stored: the first pass counts them per range of values (as
/// `nth_largest` does) while it divides, and the later passes work each one out again from
/// the whole part, `total·w − whole·W`, a multiplication instead of a second 8 MB column at a
/// million recipients.
pub fn largest_remainder_narrow(
    total: u64,
    weights: &[u64],
    weight_sum: u64,
) -> Result<Apportionment<u64>, ApportionError> {
    const BITS: u32 = 16;
    if weight_sum == 0 {
        return Err(ApportionError::ZeroWeights);
    }
    // Remainders are below `weight_sum`, so their top `BITS` bits are below 2^BITS.
    let shift = (64 - weight_sum.leading_zeros()).saturating_sub(BITS);
    let mut counts = vec![0usize; 1 << BITS];
    let mut units = Vec::with_capacity(weights.len());
    let mut handed_out: u64 = 0;
    for &weight in weights {
        let product = total.checked_mul(weight).ok_or(ApportionError::Overflow)?;
        let whole = product / weight_sum;
        counts[((product % weight_sum) >> shift) as usize] += 1;
        units.push(whole);
        handed_out += whole;
    }
    // Each floor loses less than one unit, so fewer than `weights.len()` units are left.
    let leftover = total - handed_out;
    let left = leftover as usize;
    if left == 0 {
        return Ok(Apportionment { units, ties: Vec::new(), leftover: Some(u128::from(leftover)) });
    }
    u32::try_from(weights.len()).map_err(|_| ApportionError::TooManyRecipients)?;
    // The products fit (checked above), and a whole part times the sum is at most its product.
    let remainder = |weight: u64, whole: u64| total * weight - whole * weight_sum;
    // The range of values that holds the `left`-th largest remainder (the cutoff), then the
    // cutoff among the remainders in it.
    let mut above = 0;
    let mut at = counts.len() - 1;
    while above + counts[at] < left {
        above += counts[at];
        at -= 1;
    }
    let mut candidates: Vec<u64> = weights
        .iter()
        .zip(&units)
        .map(|(&weight, &whole)| remainder(weight, whole))
        .filter(|&value| (value >> shift) as usize == at)
        .collect();
    let len = candidates.len();
    let cutoff = *candidates.select_nth_unstable(len - (left - above)).1;
    drop(candidates);
    let mut at_cutoff = Vec::new();
    let mut above = 0;
    for (index, (unit, &weight)) in units.iter_mut().zip(weights).enumerate() {
        let value = remainder(weight, *unit);
        if value > cutoff {
            *unit += 1;
            above += 1;
        } else if value == cutoff {
            at_cutoff.push(index);
        }
    }
    let ties = break_tie(&mut units, weights, at_cutoff, left - above);
    Ok(Apportionment { units, ties, leftover: Some(u128::from(leftover)) })
}

/// Gives one unit each to `winning` of the claims `at_cutoff` (equal remainders): larger
/// weight first, then earlier index. The tie, if some of them got none.
fn break_tie<U: std::ops::AddAssign + From<u8>>(
    units: &mut [U],
    weights: &[u64],
    mut at_cutoff: Vec<usize>,
    winning: usize,
) -> Vec<Tie> {
    // A stable sort keeps the indices' order among equal weights.
    at_cutoff.sort_by_key(|&index| Reverse(weights[index]));
    let (winners, losers) = at_cutoff.split_at(winning);
    for &index in winners {
        units[index] += U::from(1);
    }
    if losers.is_empty() {
        return Vec::new();
    }
    let mut tied_winners = winners.to_vec();
    tied_winners.sort_unstable();
    let mut tied = at_cutoff;
    tied.sort_unstable();
    vec![Tie { tied, winners: tied_winners }]
}

/// Hands the units left after the whole quotas (`handed_out` of `total`) one each to the
/// largest remainders, by the tie rule.
fn hand_out_leftover<U: Copy + std::ops::AddAssign + From<u8>, R: Copy + Ord + Into<u128>>(
    total: u128,
    weights: &[u64],
    weight_sum: u128,
    mut units: Vec<U>,
    remainders: &[R],
    handed_out: u128,
) -> Result<Apportionment<U>, ApportionError> {
    // Each floor loses less than one unit, so fewer than `weights.len()` units are left.
    let leftover = total - handed_out;
    let left = usize::try_from(leftover).map_err(|_| ApportionError::Overflow)?;
    if left == 0 {
        return Ok(Apportionment { units, ties: Vec::new(), leftover: Some(leftover) });
    }

    // The winners are the `left` strongest claims. Every remainder above the `left`-th largest
    // (the cutoff) wins, and the claims at the cutoff go by the tie rule. The cutoff is found
    // in two passes over the remainders, in memory order: a count per range of values (the top
    // 16 bits of the remainder) says in which range it lies, and a selection among the few
    // remainders of that range finds it. (A selection over indices compared through the
    // remainders chased a million of them across memory.)
    // Indices are kept in 32 bits elsewhere (the divisor methods, the ties' callers).
    u32::try_from(weights.len()).map_err(|_| ApportionError::TooManyRecipients)?;
    let cutoff = nth_largest(remainders, left, weight_sum);
    let mut at_cutoff = Vec::new();
    let mut above = 0;
    for (index, &remainder) in remainders.iter().enumerate() {
        if remainder > cutoff {
            units[index] += U::from(1);
            above += 1;
        } else if remainder == cutoff {
            at_cutoff.push(index);
        }
    }
    let ties = break_tie(&mut units, weights, at_cutoff, left - above);
    Ok(Apportionment { units, ties, leftover: Some(leftover) })
}

/// The `nth` largest of `values` (1 for the largest; `nth` at most their number), all below
/// `bound`.
fn nth_largest<R: Copy + Ord + Into<u128>>(values: &[R], nth: usize, bound: u128) -> R {
    const BITS: u32 = 16;
    let shift = (128 - bound.leading_zeros()).saturating_sub(BITS);
    let range = |value: R| (value.into() >> shift) as usize;
    let mut counts = vec![0usize; 1 << BITS];
    for &value in values {
        counts[range(value)] += 1;
    }
    // The highest range that, with the ranges above it, holds `nth` values.
    let mut above = 0;
    let mut at = counts.len() - 1;
    while above + counts[at] < nth {
        above += counts[at];
        at -= 1;
    }
    let mut candidates: Vec<R> = values.iter().copied().filter(|&value| range(value) == at).collect();
    let len = candidates.len();
    *candidates.select_nth_unstable(len - (nth - above)).1
}

/// The strength of a claim on a leftover unit, compared as a tuple: larger remainder, then
/// larger weight, then earlier index (the tie rule above).
fn claim<R>(remainder: R, weight: u64, index: usize) -> (R, u64, Reverse<usize>) {
    (remainder, weight, Reverse(index))
}

/// Where the remainder of recipient `index` ranks in the split of `total` by `weights` (whose
/// sum is `weight_sum`): 1 for the strongest claim on a leftover unit. It got one of the
/// leftover units if and only if its rank is at most their number. `None` when a product
/// passes 128 bits, which a split that succeeded rules out.
#[must_use]
pub fn remainder_rank(total: u128, weights: &[u64], weight_sum: u128, index: usize) -> Option<usize> {
    let sum = weight_sum.max(1);
    let strength = |i: usize| Some(claim(total.checked_mul(u128::from(weights[i]))? % sum, weights[i], i));
    let own = strength(index)?;
    let mut stronger = 0;
    for i in 0..weights.len() {
        if strength(i)? > own {
            stronger += 1;
        }
    }
    Some(stronger + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_split() {
        // 10 units by 1:2:3 (W = 6): quotas 1.67, 3.33, 5 -> floors 1, 3, 5, one unit left,
        // largest remainder 4/6 goes to the first.
        let result = largest_remainder(10, &[1, 2, 3]).unwrap();
        assert_eq!(result.units, vec![2, 3, 5]);
        assert!(result.ties.is_empty());
    }

    #[test]
    fn equal_remainders_go_to_larger_weight_then_earlier_index() {
        // 1 unit by 1:1 -> both remainders 1/2; the earlier wins.
        let result = largest_remainder(1, &[1, 1]).unwrap();
        assert_eq!(result.units, vec![1, 0]);
        assert_eq!(result.ties, vec![Tie { tied: vec![0, 1], winners: vec![0] }]);
        // 2 units by 1:3:4 (W = 8): remainders 2/8, 6/8, 0 -> floors 0, 0, 1, one left, to index 1.
        let result = largest_remainder(2, &[1, 3, 4]).unwrap();
        assert_eq!(result.units, vec![0, 1, 1]);
        // 3 units by 2:2:4:4 (W=12): remainders 6,6,0,0 over 12 -> floors 0,0,1,1; one left, tie
        // between the two weights 2; index 0 wins.
        let result = largest_remainder(3, &[2, 2, 4, 4]).unwrap();
        assert_eq!(result.units, vec![1, 0, 1, 1]);
        assert_eq!(result.ties.len(), 1);
    }

    #[test]
    fn larger_weight_wins_an_equal_remainder() {
        // 4 units by 1:3 (W = 4): quotas 1 and 3 exactly: no remainder, no tie.
        assert_eq!(largest_remainder(4, &[1, 3]).unwrap().units, vec![1, 3]);
        // 2 units by 1:1:2 (W = 4): remainders 2/4, 2/4, 0 -> one left; equal remainders,
        // equal weights -> earlier index.
        assert_eq!(largest_remainder(2, &[1, 1, 2]).unwrap().units, vec![1, 0, 1]);
        // 3 units by 1:3:2:2 (W = 8): quotas 3/8, 9/8, 6/8, 6/8: floors 0,1,0,0, two left;
        // remainders 3, 1, 6, 6 -> both weight-2 recipients; no tie decided anything.
        let result = largest_remainder(3, &[1, 3, 2, 2]).unwrap();
        assert_eq!(result.units, vec![0, 1, 1, 1]);
        assert!(result.ties.is_empty());
    }

    #[test]
    fn ranks_follow_the_order_the_leftover_units_went_in() {
        // 3 units by 1:3:2:2 (W = 8): remainders 3, 1, 6, 6; the two weight-2 recipients tie
        // on remainder and weight, the earlier ranks first; two units were left over.
        let result = largest_remainder(3, &[1, 3, 2, 2]).unwrap();
        assert_eq!(result.leftover, Some(2));
        let ranks: Vec<_> = (0..4).map(|i| remainder_rank(3, &[1, 3, 2, 2], 8, i).unwrap()).collect();
        assert_eq!(ranks, vec![3, 4, 1, 2]);
        assert_eq!(remainder_rank(u128::MAX, &[2, 1], 3, 0), None);
    }

    /// The rule written out the slow way: every claim sorted by strength, the first `left` win.
    fn by_sorting(total: u128, weights: &[u64]) -> Apportionment {
        let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        let mut units: Vec<u128> = weights.iter().map(|&w| total * u128::from(w) / sum).collect();
        let left = (total - units.iter().sum::<u128>()) as usize;
        let remainder = |i: usize| total * u128::from(weights[i]) % sum;
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(claim(remainder(i), weights[i], i)));
        for &i in &order[..left] {
            units[i] += 1;
        }
        let mut ties = Vec::new();
        if left > 0 {
            let cutoff = remainder(order[left - 1]);
            let mut everyone: Vec<usize> = (0..weights.len()).filter(|&i| remainder(i) == cutoff).collect();
            let mut winners: Vec<usize> = order[..left].iter().copied().filter(|&i| remainder(i) == cutoff).collect();
            if everyone.len() > winners.len() {
                everyone.sort_unstable();
                winners.sort_unstable();
                ties.push(Tie { tied: everyone, winners });
            }
        }
        Apportionment { units, ties, leftover: Some(left as u128) }
    }

    proptest::proptest! {
        #[test]
        fn selecting_at_the_cutoff_gives_what_sorting_every_claim_gives(
            total in 0u128..10_000,
            weights in proptest::collection::vec(0u64..12, 1..40),
        ) {
            proptest::prop_assume!(weights.iter().any(|&w| w > 0));
            proptest::prop_assert_eq!(largest_remainder(total, &weights).unwrap(), by_sorting(total, &weights));
        }

        #[test]
        fn selecting_among_wide_remainders_gives_what_sorting_gives(
            total in 0u128..100_000,
            weights in proptest::collection::vec(0u64..u64::from(u32::MAX), 1..200),
        ) {
            proptest::prop_assume!(weights.iter().any(|&w| w > 0));
            proptest::prop_assert_eq!(largest_remainder(total, &weights).unwrap(), by_sorting(total, &weights));
        }
    }

    /// The 64-bit split, where `narrow_sum` allows it, with its units widened.
    fn narrow(total: u128, weights: &[u64]) -> Option<Apportionment> {
        let sum = narrow_sum(total, weights)?;
        let split = largest_remainder_narrow(u64::try_from(total).unwrap(), weights, sum).unwrap();
        Some(Apportionment {
            units: split.units.into_iter().map(u128::from).collect(),
            ties: split.ties,
            leftover: split.leftover,
        })
    }

    /// Whether `total` times every weight, and the weights' sum, fit in 64 bits, worked out
    /// in 128 bits.
    fn fits_64_bits(total: u128, weights: &[u64]) -> bool {
        let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        let largest = u128::from(weights.iter().copied().max().unwrap_or(0));
        let max = u128::from(u64::MAX);
        total <= max && sum <= max && total * largest <= max
    }

    proptest::proptest! {
        #[test]
        fn the_64_bit_split_gives_what_sorting_every_claim_gives(
            total in 0u128..10_000,
            weights in proptest::collection::vec(0u64..12, 1..40),
        ) {
            proptest::prop_assume!(weights.iter().any(|&w| w > 0));
            proptest::prop_assert_eq!(narrow(total, &weights), Some(by_sorting(total, &weights)));
        }

        /// Totals on either side of the largest that the 64-bit path takes for these weights
        /// (`u64::MAX / largest weight`): below it both paths give what sorting gives, above
        /// it only the 128-bit one runs, and gives it too.
        #[test]
        fn the_64_bit_path_ends_where_a_product_would_pass_64_bits(
            weights in proptest::collection::vec(0u64..100_000, 1..40),
            offset in 0u128..4,
            above: bool,
        ) {
            let largest = u128::from(*weights.iter().max().unwrap());
            proptest::prop_assume!(largest > 0);
            let edge = u128::from(u64::MAX) / largest;
            let total = if above { edge + 1 + offset } else { edge - offset.min(edge) };
            let reference = by_sorting(total, &weights);
            proptest::prop_assert_eq!(narrow_sum(total, &weights).is_some(), fits_64_bits(total, &weights));
            proptest::prop_assert_eq!(narrow_sum(total, &weights).is_some(), !above);
            if !above {
                proptest::prop_assert_eq!(narrow(total, &weights), Some(reference.clone()));
            }
            proptest::prop_assert_eq!(largest_remainder(total, &weights).unwrap(), reference);
        }

        /// Totals near 2⁶³ and 2⁶⁴ with weights of any size: the 64-bit path is taken exactly
        /// when everything fits, and then agrees with the 128-bit one.
        #[test]
        fn the_64_bit_path_agrees_with_the_128_bit_one_near_2_to_the_63_and_64(
            weights in proptest::collection::vec(proptest::prop_oneof![0u64..4, 0u64..=u64::MAX], 1..12),
            near_64: bool,
            offset in -3i128..=3,
        ) {
            proptest::prop_assume!(weights.iter().any(|&w| w > 0));
            let total = (1u128 << if near_64 { 64 } else { 63 }).checked_add_signed(offset).unwrap();
            proptest::prop_assert_eq!(narrow_sum(total, &weights).is_some(), fits_64_bits(total, &weights));
            if let Some(split) = narrow(total, &weights) {
                proptest::prop_assert_eq!(split, largest_remainder(total, &weights).unwrap());
            }
        }
    }

    #[test]
    fn the_64_bit_path_is_refused_at_the_first_product_or_sum_past_64_bits() {
        // 2⁶³ − 1 times 2 fits in 64 bits, 2⁶³ times 2 does not.
        assert!(narrow_sum((1 << 63) - 1, &[1, 2]).is_some());
        assert_eq!(narrow_sum(1 << 63, &[1, 2]), None);
        assert_eq!(narrow_sum(1 << 63, &[1, 1]), Some(2));
        // A total of 2⁶⁴ does not fit, whatever the weights.
        assert_eq!(narrow_sum(1 << 64, &[1]), None);
        assert_eq!(narrow_sum(u128::from(u64::MAX), &[1, 0]), Some(1));
        // The weights' sum: 2⁶⁴ − 2 fits, 2⁶⁴ does not.
        let half = u64::MAX / 2;
        assert_eq!(narrow_sum(1, &[half, half]), Some(u64::MAX - 1));
        assert_eq!(narrow_sum(1, &[half + 1, half + 1]), None);
        // Past the 64-bit path the 128-bit one splits: 2⁶³ units by 1:2 (W = 3) are
        // 2⁶³/3 and 2⁶⁴/3, whole parts 3 074 457 345 618 258 602 and 6 148 914 691 236 517 205,
        // remainders 2 and 1, one unit left over, to the first.
        let split = largest_remainder(1 << 63, &[1, 2]).unwrap();
        assert_eq!(split.units, vec![3_074_457_345_618_258_603, 6_148_914_691_236_517_205]);
        // Zero weights are refused on the 64-bit path as on the other.
        assert_eq!(largest_remainder_narrow(5, &[0, 0], 0), Err(ApportionError::ZeroWeights));
        // A product past 64 bits is an error, never a wrap, even if a caller skipped the test.
        assert_eq!(largest_remainder_narrow(1 << 63, &[1, 2], 3), Err(ApportionError::Overflow));
    }

    #[test]
    fn zero_weights_and_overflow_are_errors() {
        assert_eq!(largest_remainder(5, &[0, 0]), Err(ApportionError::ZeroWeights));
        assert_eq!(largest_remainder(u128::MAX, &[2, 1]), Err(ApportionError::Overflow));
        assert_eq!(largest_remainder(0, &[3, 1]).unwrap().units, vec![0, 0]);
    }
}
