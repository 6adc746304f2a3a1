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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub population: u64,
    /// Share in millionths (of 100 %, so four decimals of a percentage), apportioned so that
    /// the shown shares add up to exactly 100 %.
    pub share_millionths: u128,
    /// Units per area, in the agreement's area order.
    pub amounts: Vec<u128>,
    pub total: u128,
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

#[derive(Debug, Clone)]
pub struct Allocation {
    pub agreement: Agreement,
    pub population: PopulationUse,
    /// Regions by code.
    pub regions: Vec<RegionRow>,
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
    population: &PopulationTable,
    substitution: Option<String>,
) -> Result<Allocation, ApportionError> {
    let weights: Vec<u64> = population.recipients.iter().map(|r| r.population).collect();
    let shares = largest_remainder(1_000_000, &weights)?;
    let mut regions: Vec<RegionRow> = population
        .recipients
        .iter()
        .zip(shares.units)
        .map(|(recipient, share)| RegionRow {
            code: recipient.code.to_string(),
            name: recipient.name.to_string(),
            population: recipient.population,
            share_millionths: share,
            amounts: Vec::with_capacity(agreement.areas.len()),
            total: 0,
        })
        .collect();
    let mut set_asides: Vec<SetAsideRow> = Vec::new();
    let mut ties = Vec::new();

    for (area_index, area) in agreement.areas.iter().enumerate() {
        let split = largest_remainder(area.regions, &weights)?;
        for (row, units) in regions.iter_mut().zip(&split.units) {
            row.amounts.push(*units);
            row.total += units;
        }
        let code = |index: &usize| regions[*index].code.clone();
        ties.extend(split.ties.iter().map(|tie| AreaTie {
            area: area.id.clone(),
            tied: tie.tied.iter().map(code).collect(),
            winners: tie.winners.iter().map(code).collect(),
        }));
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
        regions,
        set_asides,
        ties,
    })
}

impl Allocation {
    /// Sum of one area's column over every recipient (regions and set-asides).
    #[must_use]
    pub fn area_sum(&self, area_index: usize) -> u128 {
        self.regions
            .iter()
            .map(|row| row.amounts[area_index])
            .sum::<u128>()
            + self
                .set_asides
                .iter()
                .map(|row| row.amounts[area_index])
                .sum::<u128>()
    }

    /// Sum of every recipient's total.
    #[must_use]
    pub fn grand_total(&self) -> u128 {
        self.regions.iter().map(|row| row.total).sum::<u128>()
            + self.set_asides.iter().map(|row| row.total).sum::<u128>()
    }
}
