//! Exact comparison of products of up to four 128-bit factors. Claims and breakpoints are
//! fractions compared by cross-multiplication; a product that does not fit in 128 bits is
//! carried on in 512 bits instead of being cut off, so no comparison is ever approximate.

use std::cmp::Ordering;

/// An unsigned integer of 512 bits, as eight 64-bit limbs, least significant first. Only what
/// comparing products needs: build one as a product, compare two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Wide([u64; 8]);

impl Wide {
    /// The product of at most four factors (4 × 128 bits fits in 512).
    fn product(factors: &[u128]) -> Wide {
        assert!(factors.len() <= 4, "at most four factors fit in 512 bits");
        let mut limbs = [0u64; 8];
        limbs[0] = 1;
        for &factor in factors {
            let halves = [factor as u64, (factor >> 64) as u64];
            let mut out = [0u64; 8];
            for (i, &limb) in limbs.iter().enumerate().filter(|(_, limb)| **limb != 0) {
                let mut carry: u128 = 0;
                for (j, &half) in halves.iter().enumerate() {
                    // (2⁶⁴−1)² + 2·(2⁶⁴−1) = 2¹²⁸ − 1: limb product, limb and carry fit in u128.
                    let sum = u128::from(limb) * u128::from(half) + u128::from(out[i + j]) + carry;
                    out[i + j] = sum as u64;
                    carry = sum >> 64;
                }
                let mut at = i + halves.len();
                while carry > 0 {
                    let sum = u128::from(out[at]) + carry;
                    out[at] = sum as u64;
                    carry = sum >> 64;
                    at += 1;
                }
            }
            limbs = out;
        }
        Wide(limbs)
    }
}

impl Ord for Wide {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

impl PartialOrd for Wide {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The product of `factors` if it fits in 128 bits.
fn narrow_product(factors: &[u128]) -> Option<u128> {
    factors.iter().try_fold(1u128, |product, &factor| product.checked_mul(factor))
}

/// Compares `Π left` with `Π right` exactly (at most four factors a side).
#[must_use]
pub fn compare_products(left: &[u128], right: &[u128]) -> Ordering {
    match (narrow_product(left), narrow_product(right)) {
        (Some(left), Some(right)) => left.cmp(&right),
        _ => Wide::product(left).cmp(&Wide::product(right)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_beyond_128_bits_compare_exactly() {
        // (2¹²⁸−1)² against (2¹²⁸−1)·(2¹²⁸−2): equal first factor, second one less.
        assert_eq!(compare_products(&[u128::MAX, u128::MAX], &[u128::MAX, u128::MAX - 1]), Ordering::Greater);
        // 2⁶⁴ · 2⁶⁴ · 2⁶⁴ = 2¹⁹² against 2¹⁹² − 1 = (2⁹⁶ − 1)(2⁹⁶ + 1).
        let big = 1u128 << 64;
        assert_eq!(compare_products(&[big, big, big], &[(1 << 96) - 1, (1 << 96) + 1]), Ordering::Greater);
        assert_eq!(compare_products(&[big, big, big], &[1 << 96, 1 << 96]), Ordering::Equal);
        // Four full factors: the top bit of 512.
        assert_eq!(
            compare_products(&[u128::MAX; 4], &[u128::MAX, u128::MAX, u128::MAX, u128::MAX - 1]),
            Ordering::Greater
        );
        assert_eq!(compare_products(&[0, u128::MAX], &[1]), Ordering::Less);
        assert_eq!(compare_products(&[12_345, 67_890], &[67_890, 12_345]), Ordering::Equal);
    }
}
