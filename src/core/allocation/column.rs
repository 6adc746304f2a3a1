//! One area's units per region, 64 bits each when the area's amount fits in them (every real
//! grant: 1,8·10¹⁹ units), 128 otherwise. At a million regions a 128-bit column is 16 MB of
//! fresh memory per area, most of it zeros in the upper halves; the narrow one halves that.

/// An area's units per region, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Narrow(Vec<u64>),
    Wide(Vec<u128>),
}

/// An area's units per region, borrowed: the allocation's column or a rounded one.
#[derive(Debug, Clone, Copy)]
pub enum Cells<'a> {
    Narrow(&'a [u64]),
    Wide(&'a [u128]),
}

impl Column {
    #[must_use]
    pub fn cells(&self) -> Cells<'_> {
        match self {
            Column::Narrow(units) => Cells::Narrow(units),
            Column::Wide(units) => Cells::Wide(units),
        }
    }

    /// Adds `base` to every region that `takes_part`. The column is narrow only when the
    /// area's amount fits in 64 bits, and a region's units with its base are at most that
    /// amount; still checked: `None` past the column's width.
    pub(super) fn add_base(&mut self, takes_part: &[bool], base: u128) -> Option<()> {
        if base == 0 {
            return Some(());
        }
        match self {
            Column::Narrow(units) => add_where(units, takes_part, base),
            Column::Wide(units) => add_where(units, takes_part, base),
        }
    }

    /// Sets the units of the regions not `eligible` to zero, returning their sum.
    pub(super) fn withhold(&mut self, eligible: &[bool]) -> u128 {
        match self {
            Column::Narrow(units) => take_where(units, eligible),
            Column::Wide(units) => take_where(units, eligible),
        }
    }
}

fn add_where<T: Copy + Into<u128> + TryFrom<u128>>(units: &mut [T], takes_part: &[bool], base: u128) -> Option<()> {
    for (unit, &part) in units.iter_mut().zip(takes_part) {
        if part {
            *unit = T::try_from((*unit).into().checked_add(base)?).ok()?;
        }
    }
    Some(())
}

fn take_where<T: Copy + Default + Into<u128>>(units: &mut [T], eligible: &[bool]) -> u128 {
    let mut taken = 0;
    for (unit, &is) in units.iter_mut().zip(eligible) {
        if !is {
            taken += (*unit).into();
            *unit = T::default();
        }
    }
    taken
}

impl<'a> Cells<'a> {
    /// Region `index`'s units.
    #[must_use]
    pub fn get(self, index: usize) -> u128 {
        match self {
            Cells::Narrow(units) => u128::from(units[index]),
            Cells::Wide(units) => units[index],
        }
    }

    #[must_use]
    pub fn len(self) -> usize {
        match self {
            Cells::Narrow(units) => units.len(),
            Cells::Wide(units) => units.len(),
        }
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    pub fn iter(self) -> impl Iterator<Item = u128> + 'a {
        (0..self.len()).map(move |index| self.get(index))
    }

    /// The column's sum, which an allocation's columns hold to their area's amount.
    #[must_use]
    pub fn sum(self) -> u128 {
        match self {
            Cells::Narrow(units) => units.iter().map(|&unit| u128::from(unit)).sum(),
            Cells::Wide(units) => units.iter().sum(),
        }
    }

    #[must_use]
    pub fn to_vec(self) -> Vec<u128> {
        self.iter().collect()
    }
}
