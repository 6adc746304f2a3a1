//! Controlled rounding of one row: the targets a plan written to a coarser step can state.
//!
//! Each cell (exact, in units) is rounded down or up to a whole number of `step`s, and the
//! cells add up to the row's exact total rounded to the nearest step, **an exact half step
//! rounded up** (as a plan's own total is rounded: 30,640080 mkr is 30,6 mkr to 0,1 mkr, and
//! 30,65 would be 30,7). Among all such roundings the one closest to the exact values (least
//! sum of absolute changes) is chosen: every cell starts rounded down, and the steps the total
//! still lacks go one each to the cells with the **largest remainders** (rounding a cell with
//! remainder `r` up instead of down changes the sum of absolute changes by `step − 2r`, so the
//! largest remainders cost least). A cell with no remainder is never moved.
//!
//! Tie rule: of cells with equal remainders, the **earlier** (first in the row) is rounded up
//! first. Jämtland Härjedalen 2019 to 0,1 mkr: 19,102294 + 5,768893 + 5,768893 = 30,640080 →
//! total 30,6; rounded down 19,1 + 5,7 + 5,7 = 30,5, one step short; the two 5,768893 are tied
//! for it, and the earlier takes it: 19,1 + 5,8 + 5,7.
//!
//! Integer-only; every sum is checked.

use thiserror::Error;

use super::Tie;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RowRoundingError {
    #[error("the step must be more than zero")]
    ZeroStep,
    #[error("the row adds up to more than 128 bits hold")]
    TooLarge,
}

/// A row rounded to whole steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundedRow {
    /// Each cell rounded, in units (a whole number of steps).
    pub cells: Vec<u128>,
    /// The exact total, in units.
    pub exact_total: u128,
    /// The total rounded to the nearest step (half up), in units: the sum of `cells`.
    pub total: u128,
    /// Cells with equal remainders of which only some could be rounded up.
    pub tie: Option<Tie>,
}

/// Rounds the row `cells` (exact, in units) to whole `step`s; see the module's rules.
pub fn round_row(cells: &[u128], step: u128) -> Result<RoundedRow, RowRoundingError> {
    if step == 0 {
        return Err(RowRoundingError::ZeroStep);
    }
    let exact_total =
        cells.iter().try_fold(0u128, |sum, &cell| sum.checked_add(cell)).ok_or(RowRoundingError::TooLarge)?;
    // The remainders add up to the exact total less the rounded-down cells, a sum below the
    // exact total: it fits.
    let remainders: u128 = cells.iter().map(|cell| cell % step).sum();
    let half_up = |value: u128| {
        let rest = value % step;
        // `rest ≥ step − rest` is `2·rest ≥ step` without the product.
        if rest >= step - rest { value / step + 1 } else { value / step }
    };
    let ups = half_up(remainders);
    let mut rounded: Vec<u128> = cells.iter().map(|cell| cell - cell % step).collect();
    // Largest remainder first; of equal remainders, the earlier cell.
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by(|&a, &b| (cells[b] % step).cmp(&(cells[a] % step)).then(a.cmp(&b)));
    // `ups` never exceeds the cells with a remainder: each is below the step, so their sum
    // over `step` is below their count, and half up reaches at most that count.
    let chosen = usize::try_from(ups).unwrap_or(usize::MAX).min(cells.len());
    for &index in &order[..chosen] {
        rounded[index] = rounded[index].checked_add(step).ok_or(RowRoundingError::TooLarge)?;
    }
    let tie = (chosen > 0 && chosen < cells.len())
        .then(|| {
            let last = cells[order[chosen - 1]] % step;
            let tied: Vec<usize> = (0..cells.len()).filter(|&index| cells[index] % step == last).collect();
            let outside = tied.iter().any(|index| !order[..chosen].contains(index));
            (last > 0 && outside).then(|| {
                let winners = tied.iter().copied().filter(|index| order[..chosen].contains(index)).collect();
                Tie { tied, winners }
            })
        })
        .flatten();
    let total = rounded.iter().try_fold(0u128, |sum, &cell| sum.checked_add(cell)).ok_or(RowRoundingError::TooLarge)?;
    Ok(RoundedRow { cells: rounded, exact_total, total, tie })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jamtland_2019_to_a_tenth_of_a_million() {
        // In kronor: 19 102 294 + 5 768 893 + 5 768 893 = 30 640 080.
        let row = round_row(&[19_102_294, 5_768_893, 5_768_893], 100_000).unwrap();
        assert_eq!(row.cells, [19_100_000, 5_800_000, 5_700_000]);
        assert_eq!(row.total, 30_600_000);
        assert_eq!(row.exact_total, 30_640_080);
        assert_eq!(row.tie, Some(Tie { tied: vec![1, 2], winners: vec![1] }));
    }

    #[test]
    fn an_exact_half_step_of_total_rounds_up() {
        // 0,25 + 0,25 = 0,5 of a step of 1: the total rounds up to 1, the earlier cell takes it.
        let row = round_row(&[25, 25], 100).unwrap();
        assert_eq!((row.cells, row.total), (vec![100, 0], 100));
        let row = round_row(&[24, 25], 100).unwrap();
        assert_eq!((row.cells, row.total), (vec![0, 0], 0));
    }

    #[test]
    fn cells_without_remainder_stay_and_the_empty_row_is_zero() {
        let row = round_row(&[300, 0, 150], 100).unwrap();
        assert_eq!((row.cells, row.total, row.tie), (vec![300, 0, 200], 500, None));
        assert_eq!(round_row(&[], 10).unwrap().total, 0);
        assert_eq!(round_row(&[1], 0), Err(RowRoundingError::ZeroStep));
        assert_eq!(round_row(&[u128::MAX, 1], 10), Err(RowRoundingError::TooLarge));
    }
}
