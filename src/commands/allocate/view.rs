//! What `allocate` shows: the allocation as rows (regions, set-asides, withheld, the total) and
//! notes, each a typed value. Every renderer reads this and nothing else, so the row layout
//! and the notes are decided once; words come at display time.
//!
//! The rows are views borrowed from the allocation's column-wise storage and made one at a
//! time: a million regions never become a million row structs.

use crate::core::agreement::{Agreement, Area, ExclusionPolicy, Key};
use crate::core::allocation::{
    Allocation, AllocationError, AreaTie, Cells, CountyLevel, PopulationUse, RoundingFailure, SetAsideRow, WITHHELD,
};
use crate::core::amount::RoundingUnit;
use crate::core::apportion::{Method, RoundedRow, RoundingError, controlled_round, round_row};
use crate::lang::Lang;

/// An allocation shown in whole steps by controlled rounding (`--round`): a display table of
/// its own beside the exact one, which stays as it was.
#[derive(Debug, Clone)]
pub struct RoundedAllocation<'a> {
    pub exact: &'a Allocation,
    pub step: RoundingUnit,
    /// Units per area, each a column over the regions, every cell a whole number of steps.
    columns: Vec<Vec<u128>>,
    set_asides: Vec<SetAsideRow>,
}

impl<'a> RoundedAllocation<'a> {
    /// Every cell rounded down or up, every area column still adding up to its area, every
    /// row to its exact total rounded down or up, the grand total exact.
    pub fn new(exact: &'a Allocation, step: RoundingUnit) -> Result<RoundedAllocation<'a>, AllocationError> {
        let fail = |reason| AllocationError::Rounding { step, reason };
        let agreement = &exact.agreement;
        let step_units = step_units(agreement, step)?;
        let areas = agreement.areas.len();
        let regions = exact.region_count();
        let mut cells: Vec<Vec<u128>> = (0..regions).map(|index| exact.region(index).amounts().collect()).collect();
        cells.extend(exact.set_asides.iter().map(|row| row.amounts.clone()));
        let rounded = controlled_round(&cells, step_units).map_err(|err| {
            fail(match err {
                RoundingError::ColumnNotWhole { column, .. } => {
                    let area = agreement.areas[column].id.clone();
                    match exact.county_level.as_ref().and_then(|level| level.within.as_ref()) {
                        Some((code, name)) => {
                            RoundingFailure::CountyAreaNotWhole { county: format!("{name} ({code})"), area }
                        }
                        None => RoundingFailure::AreaNotWhole { area },
                    }
                }
                other => RoundingFailure::Table(other),
            })
        })?;
        drop(cells);
        let mut columns = vec![Vec::with_capacity(regions); areas];
        let mut set_asides = exact.set_asides.clone();
        for (row, steps) in rounded.iter().enumerate() {
            for (column, &count) in steps.iter().enumerate() {
                let value = count * step_units;
                match row.checked_sub(regions) {
                    None => columns[column].push(value),
                    Some(at) => set_asides[at].amounts[column] = value,
                }
            }
        }
        for row in &mut set_asides {
            row.total = row.amounts.iter().sum();
        }
        Ok(RoundedAllocation { exact, step, columns, set_asides })
    }

    /// Every region's rounded units in one area, by code.
    #[must_use]
    pub fn column(&self, area_index: usize) -> &[u128] {
        &self.columns[area_index]
    }
}

/// `step` in the agreement's rounding units, if it is a whole number of them.
fn step_units(agreement: &Agreement, step: RoundingUnit) -> Result<u128, AllocationError> {
    let fail = |reason| AllocationError::Rounding { step, reason };
    let units = step.kronor().checked_div(agreement.rounding.kronor()).unwrap_or_default();
    if !units.fract().is_zero() || units.is_zero() {
        return Err(fail(RoundingFailure::NotWholeUnits { unit: agreement.rounding }));
    }
    units.try_into().map_err(|_| fail(RoundingFailure::StepTooLarge))
}

/// One region's targets (`allocate --region R --round STEP`): its areas rounded down or up to
/// whole steps so that they add up to its exact total rounded to the nearest step (see
/// `apportion::round_row` for the rule and the tie rule). The amounts a plan written to that
/// step can state and still add up to what the region gets.
#[derive(Debug, Clone)]
pub struct RegionTargets<'a> {
    pub exact: &'a Allocation,
    /// The region's row in the allocation.
    pub index: usize,
    pub step: RoundingUnit,
    /// The step in the agreement's rounding units.
    pub step_units: u128,
    /// The region's areas, exact, in units, in the agreement's order.
    pub amounts: Vec<u128>,
    /// The areas rounded, the exact total and the rounded total, in units.
    pub rounded: RoundedRow,
}

impl<'a> RegionTargets<'a> {
    pub fn new(exact: &'a Allocation, index: usize, step: RoundingUnit) -> Result<RegionTargets<'a>, AllocationError> {
        let step_units = step_units(&exact.agreement, step)?;
        let amounts: Vec<u128> = exact.region(index).amounts().collect();
        let rounded = round_row(&amounts, step_units)
            .map_err(|err| AllocationError::Rounding { step, reason: RoundingFailure::Row(err) })?;
        // A total rounded up, or the step itself, may pass the largest amount the agreement's
        // rounding unit can show exactly: an error, never a figure that cannot be printed.
        let largest = rounded.total.max(step_units).max(rounded.cells.iter().copied().max().unwrap_or(0));
        if largest > exact.agreement.rounding.max_count() {
            return Err(AllocationError::Rounding { step, reason: RoundingFailure::StepTooLarge });
        }
        Ok(RegionTargets { exact, index, step, step_units, amounts, rounded })
    }

    #[must_use]
    pub fn agreement(&self) -> &'a Agreement {
        &self.exact.agreement
    }

    #[must_use]
    pub fn code(&self) -> &'a str {
        self.exact.region(self.index).code()
    }

    #[must_use]
    pub fn name(&self) -> &'a str {
        self.exact.region(self.index).name()
    }
}

/// Which kind of line a row is, with what only that kind has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind<'a> {
    Region {
        index: usize,
        code: &'a str,
        name: &'a str,
        population: u64,
        /// Millionths of 100 %, apportioned so that the shares add up to exactly 100 %.
        share_millionths: u128,
        /// `false` for a region the agreement excludes.
        eligible: bool,
    },
    /// An amount the agreement sets aside for a named recipient.
    SetAside { recipient: &'a str },
    /// What excluded regions would have got, kept back (`policy = "withhold"`).
    Withheld,
    /// Every recipient together.
    Total { population: u128, share_millionths: u128 },
}

impl RowKind<'_> {
    /// The recipient's name as every rendering shows it (the total row has none of its own).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            RowKind::Region { name, .. } => name,
            RowKind::SetAside { recipient } => recipient,
            RowKind::Withheld => WITHHELD,
            RowKind::Total { .. } => "Total",
        }
    }

    /// The row's name as a report in `lang` labels it: recipients by their own names, the
    /// withheld and total lines in the report's words.
    pub fn label(&self, lang: Lang) -> &str {
        match (self, lang) {
            (RowKind::Withheld, Lang::Sv) => "Innehållet (ej berättigade)",
            (RowKind::Total { .. }, Lang::Sv) => "Totalt",
            _ => self.name(),
        }
    }
}

/// The amounts of one row, per area in the agreement's order.
#[derive(Debug, Clone, Copy)]
pub enum RowAmounts<'a> {
    /// A region's cells, read across the columns.
    Across {
        columns: &'a [Cells<'a>],
        index: usize,
    },
    Listed(&'a [u128]),
}

impl<'a> RowAmounts<'a> {
    pub fn iter(self) -> impl Iterator<Item = u128> + 'a {
        let (columns, index, listed) = match self {
            RowAmounts::Across { columns, index } => (columns, index, &[][..]),
            RowAmounts::Listed(listed) => (&[][..], 0, listed),
        };
        columns.iter().map(move |column| column.get(index)).chain(listed.iter().copied())
    }

    /// The row's total: the sum of its areas.
    #[must_use]
    pub fn total(self) -> u128 {
        self.iter().sum()
    }
}

/// One line of the result.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub kind: RowKind<'a>,
    pub amounts: RowAmounts<'a>,
}

/// Something the result says beside its rows, as data; renderers put it into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note<'a> {
    /// The amounts were rounded to `step` for display (`--round`).
    Rounding { step: RoundingUnit },
    /// Regions the agreement excludes (codes: those with a row, then those without).
    Eligibility { excluded: Vec<&'a str>, policy: ExclusionPolicy, reason: Option<&'a str> },
    /// How one area was divided.
    AreaRule { index: usize, area: &'a Area, method: Method },
    /// Which population figures were used, and why when they are not the agreement's date's.
    Population { used: &'a PopulationUse, agreement_date: crate::core::date::Date },
    /// Equal remainders decided who got the last unit(s) of an area.
    Tie(&'a AreaTie),
    /// The recipients are municipalities taking their counties' amounts: how the counties
    /// got theirs (`--within`, `--nested`).
    CountyLevel { level: &'a CountyLevel, agreement_date: crate::core::date::Date },
}

impl Note<'_> {
    /// Whether a reader must be told this even where there is no room for every note (CSV has
    /// no footer: its notes go to stderr). A population by the agreement's own date, and an
    /// area split by population with largest remainder and nothing else, go without saying.
    #[must_use]
    pub fn needs_saying(&self) -> bool {
        match self {
            Note::AreaRule { area, method, .. } => {
                !(area.per_capita.is_none()
                    && *method == Method::LargestRemainder
                    && area.key == Key::Column("population".into())
                    && area.base == 0
                    && area.minimum.is_none()
                    && area.maximum.is_none())
            }
            Note::Population { used, .. } => used.substitution.is_some(),
            Note::Rounding { .. } | Note::Eligibility { .. } | Note::Tie(_) | Note::CountyLevel { .. } => true,
        }
    }
}

/// The result of `allocate` as every rendering shows it: exact, or rounded for display.
#[derive(Debug, Clone)]
pub struct AllocationView<'a> {
    allocation: &'a Allocation,
    /// The amounts shown, per area: the allocation's own or the rounded ones.
    columns: Vec<Cells<'a>>,
    set_asides: &'a [SetAsideRow],
    rounding: Option<RoundingUnit>,
    area_totals: Vec<u128>,
    share_total: u128,
    notes: Vec<Note<'a>>,
}

impl<'a> AllocationView<'a> {
    /// The exact allocation.
    #[must_use]
    pub fn exact(allocation: &'a Allocation) -> AllocationView<'a> {
        let columns = (0..allocation.agreement.areas.len()).map(|area| allocation.column(area)).collect();
        AllocationView::new(allocation, columns, &allocation.set_asides, None)
    }

    /// The allocation as rounded for display.
    #[must_use]
    pub fn rounded(rounded: &'a RoundedAllocation<'a>) -> AllocationView<'a> {
        let columns = rounded.columns.iter().map(|column| Cells::Wide(column)).collect();
        AllocationView::new(rounded.exact, columns, &rounded.set_asides, Some(rounded.step))
    }

    fn new(
        allocation: &'a Allocation,
        columns: Vec<Cells<'a>>,
        set_asides: &'a [SetAsideRow],
        rounding: Option<RoundingUnit>,
    ) -> AllocationView<'a> {
        let area_totals = columns
            .iter()
            .enumerate()
            .map(|(area, column)| column.sum() + set_asides.iter().map(|row| row.amounts[area]).sum::<u128>())
            .collect();
        let share_total = allocation.regions().map(|row| row.share_millionths()).sum();
        let notes = notes(allocation, rounding);
        AllocationView { allocation, columns, set_asides, rounding, area_totals, share_total, notes }
    }

    #[must_use]
    pub fn agreement(&self) -> &'a Agreement {
        &self.allocation.agreement
    }

    #[must_use]
    pub fn population(&self) -> &'a PopulationUse {
        &self.allocation.population
    }

    /// The method each area was split by, in area order.
    #[must_use]
    pub fn methods(&self) -> &'a [Method] {
        &self.allocation.methods
    }

    /// The step amounts were rounded to for display; `None` when they are exact.
    #[must_use]
    pub fn rounding(&self) -> Option<RoundingUnit> {
        self.rounding
    }

    #[must_use]
    pub fn notes(&self) -> &[Note<'a>] {
        &self.notes
    }

    /// Whether the rows are the municipalities of every county (`--nested`), each shown with
    /// its county (`county_of`).
    #[must_use]
    pub fn grouped_by_county(&self) -> bool {
        self.allocation.county_level.as_ref().is_some_and(|level| level.within.is_none())
    }

    /// The county code of region row `index` when the rows are grouped by county: the first
    /// two digits of the municipality's code.
    #[must_use]
    pub fn county_of(&self, index: usize) -> Option<&'a str> {
        if !self.grouped_by_county() || index >= self.region_count() {
            return None;
        }
        let code = self.allocation.region(index).code();
        code.get(..2)
    }

    /// Regions come first, rows `0..region_count()`.
    #[must_use]
    pub fn region_count(&self) -> usize {
        self.allocation.region_count()
    }

    /// Regions, set-asides (the withheld line among them, where the agreement puts it) and
    /// the total.
    #[must_use]
    pub fn row_count(&self) -> usize {
        self.region_count() + self.set_asides.len() + 1
    }

    /// Row `index` of `row_count()`.
    #[must_use]
    pub fn row(&self, index: usize) -> Row<'_> {
        let regions = self.region_count();
        if index < regions {
            let region = self.allocation.region(index);
            let kind = RowKind::Region {
                index,
                code: region.code(),
                name: region.name(),
                population: region.population(),
                share_millionths: region.share_millionths(),
                eligible: self.allocation.is_eligible(index),
            };
            return Row { kind, amounts: RowAmounts::Across { columns: &self.columns, index } };
        }
        match self.set_asides.get(index - regions) {
            Some(row) => {
                let kind = if row.recipient == WITHHELD {
                    RowKind::Withheld
                } else {
                    RowKind::SetAside { recipient: &row.recipient }
                };
                Row { kind, amounts: RowAmounts::Listed(&row.amounts) }
            }
            None => Row {
                kind: RowKind::Total {
                    population: self.allocation.population.total,
                    share_millionths: self.share_total,
                },
                amounts: RowAmounts::Listed(&self.area_totals),
            },
        }
    }

    /// The total row, the last.
    #[must_use]
    pub fn total(&self) -> Row<'_> {
        self.row(self.row_count() - 1)
    }

    /// Every row in order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.row_count()).map(|index| self.row(index))
    }

    /// Every amount shown in a cell (not the row totals), for measuring them.
    pub fn cells(&self) -> impl Iterator<Item = u128> + '_ {
        let regions = self.columns.iter().flat_map(|column| column.iter());
        regions.chain(self.set_asides.iter().flat_map(|row| row.amounts.iter().chain([&row.total]).copied()))
    }
}

/// The notes in the order a reader without the table is told them.
fn notes(allocation: &Allocation, rounding: Option<RoundingUnit>) -> Vec<Note<'_>> {
    let agreement = &allocation.agreement;
    let mut notes: Vec<Note<'_>> = rounding.map(|step| Note::Rounding { step }).into_iter().collect();
    if let Some(eligibility) = &agreement.eligibility {
        notes.push(Note::Eligibility {
            excluded: allocation.excluded_codes(),
            policy: eligibility.policy,
            reason: eligibility.reason.as_deref(),
        });
    }
    notes.extend(
        agreement.areas.iter().zip(&allocation.methods).enumerate().map(|(index, (area, &method))| Note::AreaRule {
            index,
            area,
            method,
        }),
    );
    notes.push(Note::Population { used: &allocation.population, agreement_date: agreement.population_date });
    notes.extend(
        allocation
            .county_level
            .as_ref()
            .map(|level| Note::CountyLevel { level, agreement_date: agreement.population_date }),
    );
    notes.extend(allocation.ties.iter().map(Note::Tie));
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::sources::compute;
    use crate::commands::sources::{RuleOverrides, Sources};
    use crate::core::agreement::Eligibility;

    fn bundled(rules: &RuleOverrides) -> Allocation {
        compute(&Sources::default(), rules).unwrap().allocation
    }

    #[test]
    fn rows_are_regions_then_set_asides_then_the_total() {
        let allocation = bundled(&RuleOverrides::default());
        let view = AllocationView::exact(&allocation);
        let kinds: Vec<RowKind<'_>> = view.rows().map(|row| row.kind).collect();
        assert_eq!(kinds.len(), view.row_count());
        assert!(kinds[..21].iter().all(|kind| matches!(kind, RowKind::Region { eligible: true, .. })));
        assert!(kinds[21..kinds.len() - 1].iter().all(|kind| matches!(kind, RowKind::SetAside { .. })));
        let total = view.total();
        assert_eq!(total.kind, RowKind::Total { population: allocation.population.total, share_millionths: 1_000_000 });
        // The total row is every column's sum, and the agreement's total.
        for (area, units) in total.amounts.iter().enumerate() {
            let column: u128 =
                view.rows().filter(|row| row.kind != total.kind).map(|row| row.amounts.iter().nth(area).unwrap()).sum();
            assert_eq!(units, column);
        }
        assert_eq!(total.amounts.total(), allocation.agreement.total);
        assert_eq!(view.rounding(), None);
    }

    #[test]
    fn withheld_units_are_a_row_of_their_own_kind() {
        let rules = RuleOverrides {
            exclusion: Some(Eligibility {
                excluded: vec!["23".into()],
                policy: ExclusionPolicy::Withhold,
                reason: None,
                origin: crate::core::agreement::ExclusionOrigin::CommandLine,
            }),
            ..RuleOverrides::default()
        };
        let allocation = bundled(&rules);
        let view = AllocationView::exact(&allocation);
        let excluded = view.rows().find(|row| matches!(row.kind, RowKind::Region { code: "23", .. })).unwrap();
        assert!(matches!(excluded.kind, RowKind::Region { eligible: false, .. }));
        assert_eq!(excluded.amounts.total(), 0);
        let withheld = view.rows().find(|row| row.kind == RowKind::Withheld).unwrap();
        assert!(withheld.amounts.total() > 0);
        assert!(
            view.notes().iter().any(|note| matches!(note, Note::Eligibility { excluded, .. } if excluded == &["23"]))
        );
    }

    #[test]
    fn rounding_leaves_the_exact_allocation_as_it_was() {
        let allocation = bundled(&RuleOverrides::default());
        let before = allocation.column(0).to_vec();
        let step = RoundingUnit::parse("0.1 mkr").unwrap();
        let rounded = RoundedAllocation::new(&allocation, step).unwrap();
        assert_eq!(allocation.column(0).to_vec(), before);
        let step_units = 100_000;
        for area in 0..allocation.agreement.areas.len() {
            assert!(rounded.column(area).iter().all(|units| units % step_units == 0));
        }
        let exact = AllocationView::exact(&allocation);
        let shown = AllocationView::rounded(&rounded);
        assert_eq!(shown.rounding(), Some(step));
        assert_eq!(shown.notes()[0], Note::Rounding { step });
        // Columns still add up to their areas.
        let total = |view: &AllocationView<'_>| view.total().amounts.iter().collect::<Vec<_>>();
        assert_eq!(total(&shown), total(&exact));
    }

    #[test]
    fn only_what_is_not_the_default_needs_saying() {
        let allocation = bundled(&RuleOverrides::default());
        let view = AllocationView::exact(&allocation);
        for note in view.notes() {
            match note {
                // The bundled areas are split by population with largest remainder, but one.
                Note::AreaRule { area, .. } => assert_eq!(
                    note.needs_saying(),
                    area.key != Key::Column("population".into())
                        || area.base > 0
                        || area.minimum.is_some()
                        || area.maximum.is_some(),
                    "{}",
                    area.id
                ),
                // The bundled agreement's date has a stated substitute.
                Note::Population { used, .. } => assert!(used.substitution.is_some() && note.needs_saying()),
                other => assert!(other.needs_saying()),
            }
        }
    }
}
