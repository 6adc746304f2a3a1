//! Targets a plan can state: one region's areas rounded to the plan's step so that they add up
//! to its rounded total (`allocate --region R --round STEP`, and `check`'s findings).

use fordela::apportion::round_row;
use proptest::prelude::*;

/// Every way to round each cell down or up (a cell without remainder has one way): the least
/// sum of absolute changes among those that add up to `total`.
fn brute_force_best(cells: &[u128], step: u128, total: u128) -> Option<u128> {
    let mut best: Option<u128> = None;
    for choice in 0u32..(1 << cells.len()) {
        let mut sum = 0u128;
        let mut change = 0u128;
        let mut possible = true;
        for (bit, &cell) in cells.iter().enumerate() {
            let down = cell / step * step;
            let up = choice & (1 << bit) != 0;
            if up && cell % step == 0 {
                possible = false;
                break;
            }
            let value = if up { down + step } else { down };
            sum += value;
            change += value.abs_diff(cell);
        }
        if possible && sum == total {
            best = Some(best.map_or(change, |known| known.min(change)));
        }
    }
    best
}

proptest! {
    #[test]
    fn one_row_rounding_adds_up_and_is_as_close_as_any(
        cells in prop::collection::vec(0u128..5_000_000, 0..=8),
        step in 1u128..2_000_000,
    ) {
        let row = round_row(&cells, step).unwrap();
        let exact: u128 = cells.iter().sum();
        prop_assert_eq!(row.exact_total, exact);
        prop_assert_eq!(row.cells.iter().sum::<u128>(), row.total);
        // The total is the exact one rounded to the nearest step, half up.
        prop_assert_eq!(row.total % step, 0);
        prop_assert!(2 * exact.abs_diff(row.total) <= step);
        if 2 * (exact % step) == step {
            prop_assert!(row.total > exact);
        }
        for (&rounded, &cell) in row.cells.iter().zip(&cells) {
            prop_assert_eq!(rounded % step, 0);
            prop_assert!(rounded.abs_diff(cell) < step);
        }
        let change: u128 = row.cells.iter().zip(&cells).map(|(&rounded, &cell)| rounded.abs_diff(cell)).sum();
        prop_assert_eq!(Some(change), brute_force_best(&cells, step, row.total));
    }
}
