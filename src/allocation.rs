//! Agreement × population → the region × area matrix, every column adding up exactly.

use crate::agreement::Agreement;
use crate::apportion::{ApportionError, largest_remainder};
use crate::date::Date;
use crate::population::PopulationTable;

/// Which population date was used, and why when it is not the agreement's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationUse {
    pub source: String,
    pub date: Date,
    /// Set when `date` differs from the agreement's `population_date`.
    pub substitution: Option<String>,
    pub total: u128,
}

/// One region's row of the allocation, borrowed from its column-wise storage.
#[derive(Debug, Clone, Copy)]
pub struct RegionRow<'a> {
    allocation: &'a Allocation,
    index: usize,
}

impl<'a> RegionRow<'a> {
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    #[must_use]
    pub fn code(&self) -> &'a str {
        let table = &self.allocation.table;
        table.code(&table.recipients[self.index])
    }

    #[must_use]
    pub fn name(&self) -> &'a str {
        let table = &self.allocation.table;
        table.name(&table.recipients[self.index])
    }

    #[must_use]
    pub fn population(&self) -> u64 {
        self.allocation.table.recipients[self.index].population
    }

    /// Share in millionths (of 100 %, so four decimals of a percentage), apportioned so that
    /// the shown shares add up to exactly 100 %.
    #[must_use]
    pub fn share_millionths(&self) -> u128 {
        u128::from(self.allocation.shares[self.index])
    }

    /// Units per area, in the agreement's area order.
    pub fn amounts(&self) -> impl Iterator<Item = u128> + 'a {
        let index = self.index;
        self.allocation
            .columns
            .iter()
            .map(move |column| column[index])
    }

    #[must_use]
    pub fn amount(&self, area_index: usize) -> u128 {
        self.allocation.columns[area_index][self.index]
    }

    #[must_use]
    pub fn total(&self) -> u128 {
        self.amounts().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAsideRow {
    pub recipient: String,
    pub amounts: Vec<u128>,
    pub total: u128,
}

/// A tie of equal remainders that decided who got the last unit(s) of an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaTie {
    pub area: String,
    pub tied: Vec<String>,
    pub winners: Vec<String>,
}

/// The region × area matrix, stored by column so a million regions cost a few vectors.
#[derive(Debug, Clone)]
pub struct Allocation {
    pub agreement: Agreement,
    pub population: PopulationUse,
    /// The regions, by code.
    table: PopulationTable,
    shares: Vec<u32>,
    /// Units per area, each a column over the regions. Row totals are summed when asked for:
    /// storing them would cost as much memory as another area.
    columns: Vec<Vec<u128>>,
    /// Set-aside recipients in order of first mention.
    pub set_asides: Vec<SetAsideRow>,
    pub ties: Vec<AreaTie>,
}

/// The population date to use: an explicit choice, else the agreement's stated substitute,
/// else the agreement's own date. The second value explains a substitution.
#[must_use]
pub fn population_date(agreement: &Agreement, chosen: Option<Date>) -> (Date, Option<String>) {
    let own = agreement.population_date;
    match (chosen, &agreement.substitute) {
        (Some(date), _) if date == own => (date, None),
        (Some(date), _) => (
            date,
            Some(format!(
                "chosen with --population-date instead of the agreement's {own}"
            )),
        ),
        (None, Some(substitute)) => (substitute.date, Some(substitute.reason.clone())),
        (None, None) => (own, None),
    }
}

pub fn allocate(
    agreement: Agreement,
    population: PopulationTable,
    substitution: Option<String>,
) -> Result<Allocation, ApportionError> {
    let weights: Vec<u64> = population.recipients.iter().map(|r| r.population).collect();
    // Millionths fit in u32 (at most 1 000 000).
    let shares = largest_remainder(1_000_000, &weights)?
        .units
        .into_iter()
        .map(|share| share as u32)
        .collect();
    let mut columns = Vec::with_capacity(agreement.areas.len());
    let mut set_asides: Vec<SetAsideRow> = Vec::new();
    let mut ties = Vec::new();

    for (area_index, area) in agreement.areas.iter().enumerate() {
        let split = largest_remainder(area.regions, &weights)?;
        let code = |index: &usize| population.code(&population.recipients[*index]).to_string();
        ties.extend(split.ties.iter().map(|tie| AreaTie {
            area: area.id.clone(),
            tied: tie.tied.iter().map(code).collect(),
            winners: tie.winners.iter().map(code).collect(),
        }));
        columns.push(split.units);
        for set_aside in &area.other {
            let position = set_asides
                .iter()
                .position(|row| row.recipient == set_aside.recipient);
            let at = position.unwrap_or_else(|| {
                set_asides.push(SetAsideRow {
                    recipient: set_aside.recipient.clone(),
                    amounts: vec![0; agreement.areas.len()],
                    total: 0,
                });
                set_asides.len() - 1
            });
            let row = &mut set_asides[at];
            row.amounts[area_index] += set_aside.amount;
            row.total += set_aside.amount;
        }
    }

    Ok(Allocation {
        population: PopulationUse {
            source: population.source.clone(),
            date: population.date,
            substitution,
            total: population.total,
        },
        agreement,
        table: population,
        shares,
        columns,
        set_asides,
        ties,
    })
}

impl Allocation {
    /// The regions, by code.
    pub fn regions(&self) -> impl ExactSizeIterator<Item = RegionRow<'_>> {
        (0..self.region_count()).map(move |index| RegionRow {
            allocation: self,
            index,
        })
    }

    #[must_use]
    pub fn region(&self, index: usize) -> RegionRow<'_> {
        RegionRow {
            allocation: self,
            index,
        }
    }

    #[must_use]
    pub fn region_count(&self) -> usize {
        self.table.recipients.len()
    }

    /// Every region's units in one area, by code.
    #[must_use]
    pub fn column(&self, area_index: usize) -> &[u128] {
        &self.columns[area_index]
    }

    /// Sum of one area's column over every recipient (regions and set-asides).
    #[must_use]
    pub fn area_sum(&self, area_index: usize) -> u128 {
        self.columns[area_index].iter().sum::<u128>()
            + self
                .set_asides
                .iter()
                .map(|row| row.amounts[area_index])
                .sum::<u128>()
    }

    /// Sum of every recipient's total.
    #[must_use]
    pub fn grand_total(&self) -> u128 {
        // Each area's sum already holds its set-asides.
        (0..self.columns.len())
            .map(|index| self.area_sum(index))
            .sum::<u128>()
    }
}
