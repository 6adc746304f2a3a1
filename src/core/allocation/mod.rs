//! Agreement × population → the region × area matrix, every column adding up exactly, with
//! each area's derivation kept beside it.

mod column;
mod derivation;
mod nested;
mod per_capita;
mod split;
#[cfg(test)]
mod tests;

use crate::core::agreement::{Agreement, TiePolicy};
use crate::core::amount::RoundingUnit;
use crate::core::apportion::{
    ApportionError, Method, RoundingError, largest_remainder, largest_remainder_narrow, narrow_sum,
};
use crate::core::date::Date;
use crate::core::population::PopulationTable;
use crate::core::population::lookup::RegionError;
use crate::core::region::County;
pub use column::{Cells, Column};
pub use derivation::{AreaDerivation, Bound, HeldAtBounds, PartDerivation, RegionDerivation, RegionPart};
pub use nested::{CountyLevel, NestedError, split_among_municipalities};
pub use per_capita::PerCapitaError;
use per_capita::split_per_capita;
use split::{eligible, split_area};

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
        self.allocation.columns.iter().map(move |column| column.cells().get(index))
    }

    #[must_use]
    pub fn amount(&self, area_index: usize) -> u128 {
        self.allocation.columns[area_index].cells().get(self.index)
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
    columns: Vec<Column>,
    /// `false` for regions the agreement excludes.
    eligible: Vec<bool>,
    /// Regions the agreement excludes that have no row (their share goes to the others anyway).
    excluded_without_row: Vec<&'static County>,
    /// The method each area was split by.
    pub methods: Vec<Method>,
    /// How each area was split, for `explain`.
    derivations: Vec<AreaDerivation>,
    /// Set-aside recipients in order of first mention.
    pub set_asides: Vec<SetAsideRow>,
    pub ties: Vec<AreaTie>,
    /// Set when the recipients are municipalities taking their counties' amounts
    /// (`--within`, `--nested`): what the county level was.
    pub county_level: Option<CountyLevel>,
}

/// Each region's share of the population in millionths (which fit in u32: at most
/// 1 000 000), in 64-bit arithmetic when the populations' sum fits in it.
fn population_shares(populations: &[u64]) -> Result<Vec<u32>, AllocationError> {
    let fail = |cause| AllocationError::Apportion { area: "population shares".into(), cause };
    Ok(match narrow_sum(1_000_000, populations) {
        Some(sum) => largest_remainder_narrow(1_000_000, populations, sum)
            .map_err(fail)?
            .units
            .into_iter()
            .map(|share| share as u32)
            .collect(),
        None => largest_remainder(1_000_000, populations)
            .map_err(fail)?
            .units
            .into_iter()
            .map(|share| share as u32)
            .collect(),
    })
}

/// The population date to use: an explicit choice, else the agreement's stated substitute,
/// else the agreement's own date. The second value explains a substitution.
#[must_use]
pub fn population_date(agreement: &Agreement, chosen: Option<Date>) -> (Date, Option<String>) {
    let own = agreement.population_date;
    match (chosen, &agreement.substitute) {
        (Some(date), _) if date == own => (date, None),
        // Every note that shows the reason already says whose date it replaces.
        (Some(date), _) => (date, Some("chosen with --population-date".to_string())),
        (None, Some(substitute)) => (substitute.date, Some(substitute.reason.clone())),
        (None, None) => (own, None),
    }
}

/// Why an agreement cannot be split as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    /// `cause`, not `source`: a field named `source` is also the error's source, and the
    /// message would print twice (once here, once as the cause).
    #[error("area `{area}`: {cause}")]
    Apportion { area: String, cause: ApportionError },
    #[error(
        "area `{area}`: {} have equal claims on the last unit, and the agreement says `ties = \"error\"`: \
         settle it (or drop `ties`, to let the rule decide: larger key first, then lower code)",
        tied.join(", ")
    )]
    Tie { area: String, tied: Vec<String> },
    #[error("area `{area}`: {reason}")]
    Infeasible { area: String, reason: Infeasible },
    #[error("eligibility: every region is excluded; nobody can be paid")]
    EveryRegionExcluded,
    /// A region to exclude that the table does not have, blamed where it was named: the
    /// agreement's line (`…toml, line 7: excluded: …`) or `--exclude`.
    #[error("{origin}: {cause}")]
    Excluded { origin: String, cause: RegionError },
    /// A rate per inhabitant gives no split in whole units, or not the amount stated.
    #[error("area `{area}`: {cause}")]
    PerCapita { area: String, cause: Box<PerCapitaError> },
    /// With rates per inhabitant, the areas' amounts (known from the population) are not the
    /// agreement's `total`. Amounts in kr.
    #[error(
        "`total` is {total} kr, but the areas (the rates per inhabitant times the population on {date}, and the \
         other amounts) add up to {sum} kr: correct `total` or the rates"
    )]
    RatesTotal { total: String, sum: String, date: Date },
    /// `RatesTotal` with regions excluded: a rate pays an excluded region nothing, so a `total`
    /// stated for every region cannot hold; the exclusion is the cause, not `total`.
    #[error(
        "`total` is {total} kr, but with {excluded} excluded the areas (the rates per inhabitant times the \
         population on {date} of the eligible regions, and the other amounts) add up to {sum} kr: a rate pays an \
         excluded region nothing, so a total stated for every region cannot be paid out; leave out the exclusion, \
         or state the areas' amounts instead of rates"
    )]
    RatesTotalExcluded { total: String, sum: String, date: Date, excluded: String },
    /// The municipalities cannot take their counties' amounts (`--within`, `--nested`).
    #[error("{0}")]
    Nested(NestedError),
    #[error("cannot round the table to {}: {reason}", step.describe())]
    Rounding { step: RoundingUnit, reason: RoundingFailure },
}

/// Why one area's rules (base, minimum, maximum, key) leave no split. Amounts in units.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Infeasible {
    #[error("a base of {base} units for each of {members} regions is more than the area's {amount}")]
    BaseOverArea { base: u128, members: u128, amount: u128 },
    #[error("`maximum` {maximum} is below the base {base}")]
    MaximumBelowBase { maximum: u128, base: u128 },
    #[error("{members} regions cannot share {amount} units with {}", bounds_text(*minimum, *maximum))]
    BoundsOutOfReach { members: u128, amount: u128, minimum: Option<u128>, maximum: Option<u128> },
    #[error("the bounds cannot be met with whole units of {key}")]
    BoundsNotWhole { key: String },
    #[error("every free region has `{key}` zero, so {units} units have nowhere to go")]
    NowhereToGo { key: String, units: u128 },
}

/// `at least 10 and at most 300 units each`, as far as the bounds are given.
fn bounds_text(minimum: Option<u128>, maximum: Option<u128>) -> String {
    let bounds: Vec<String> = [("at least", minimum), ("at most", maximum)]
        .iter()
        .filter_map(|(word, bound)| bound.map(|units| format!("{word} {units}")))
        .collect();
    format!("{} units each", bounds.join(" and "))
}

/// Why the table cannot be shown in whole steps (`--round`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoundingFailure {
    #[error("it is not a whole number of the agreement's rounding unit ({})", unit.describe())]
    NotWholeUnits { unit: RoundingUnit },
    #[error("the step is too large")]
    StepTooLarge,
    #[error("area `{area}` is not a whole number of steps")]
    AreaNotWhole { area: String },
    /// `--within`: the column is one county's part of the area, not the agreement's.
    #[error(
        "the amount of {county} in area `{area}` (its part of the agreement, which --within splits among its \
         municipalities) is not a whole number of steps: round to a step that divides it, or leave out --round"
    )]
    CountyAreaNotWhole { county: String, area: String },
    #[error("{0}")]
    Table(RoundingError),
    #[error("{0}")]
    Row(crate::core::apportion::RowRoundingError),
}

/// Rates per inhabitant that do not add up to `total`: blamed on the exclusion when regions
/// are excluded (a rate pays them nothing), on `total` or the rates otherwise.
fn rates_total_error(
    agreement: &Agreement,
    population: &PopulationTable,
    eligible: &[bool],
    sum: u128,
) -> AllocationError {
    let kr = |units: u128| match agreement.rounding.try_scaled(units, crate::core::amount::Unit::Kr) {
        Some(scaled) => scaled.format(0, crate::core::amount::NumberStyle::SWEDISH),
        None => "more than fordela can show".to_string(),
    };
    let excluded: Vec<&str> = population
        .recipients
        .iter()
        .zip(eligible)
        .filter(|(_, is)| !**is)
        .map(|(recipient, _)| population.code(recipient))
        .collect();
    let (total, sum, date) = (kr(agreement.total), kr(sum), population.date);
    if excluded.is_empty() {
        AllocationError::RatesTotal { total, sum, date }
    } else {
        AllocationError::RatesTotalExcluded { total, sum, date, excluded: excluded.join(", ") }
    }
}

pub fn allocate(
    agreement: Agreement,
    population: PopulationTable,
    substitution: Option<String>,
) -> Result<Allocation, AllocationError> {
    allocate_with(agreement, population, substitution, None)
}

/// As `allocate`, with every area's method overridden (`--method`).
pub fn allocate_with(
    agreement: Agreement,
    population: PopulationTable,
    substitution: Option<String>,
    method_override: Option<Method>,
) -> Result<Allocation, AllocationError> {
    let populations = population.populations();
    let shares = population_shares(&populations)?;
    drop(populations);
    let (eligible, excluded_without_row) = eligible(&agreement, &population)?;
    let policy = agreement.eligibility.as_ref().map(|eligibility| eligibility.policy);
    let mut columns = Vec::with_capacity(agreement.areas.len());
    let mut set_asides: Vec<SetAsideRow> = Vec::new();
    let mut ties = Vec::new();
    let mut methods = Vec::with_capacity(agreement.areas.len());
    let mut derivations = Vec::with_capacity(agreement.areas.len());
    // Areas paid per inhabitant: their amounts, known now.
    let mut per_capita_amounts: Vec<(usize, u128)> = Vec::new();

    for (area_index, area) in agreement.areas.iter().enumerate() {
        let method = method_override.or(area.method).unwrap_or(agreement.method);
        let (units, split) = match &area.per_capita {
            Some(rate) => {
                let split = split_per_capita(rate, agreement.rounding, &population, &eligible)
                    .map_err(|cause| AllocationError::PerCapita { area: area.id.clone(), cause: Box::new(cause) })?;
                per_capita_amounts.push((area_index, split.0.iter().sum::<u128>()));
                (Column::Wide(split.0), split.1)
            }
            None => split_area(area, method, &population, &eligible, policy)?,
        };
        let code = |index: &usize| population.code(&population.recipients[*index]).to_string();
        if agreement.ties == TiePolicy::Error {
            if let Some(tie) = split.ties.first() {
                return Err(AllocationError::Tie { area: area.id.clone(), tied: tie.tied.iter().map(code).collect() });
            }
        }
        ties.extend(split.ties.iter().map(|tie| AreaTie {
            area: area.id.clone(),
            tied: tie.tied.iter().map(code).collect(),
            winners: tie.winners.iter().map(code).collect(),
        }));
        let mut others: Vec<(String, u128)> =
            area.set_asides.iter().map(|set_aside| (set_aside.recipient.clone(), set_aside.amount)).collect();
        if split.withheld > 0 {
            others.push((WITHHELD.to_string(), split.withheld));
        }
        for (recipient, amount) in others {
            let position = set_asides.iter().position(|row| row.recipient == recipient);
            let at = position.unwrap_or_else(|| {
                set_asides.push(SetAsideRow { recipient, amounts: vec![0; agreement.areas.len()], total: 0 });
                set_asides.len() - 1
            });
            let row = &mut set_asides[at];
            row.amounts[area_index] += amount;
            row.total += amount;
        }
        methods.push(method);
        columns.push(units);
        derivations.push(split);
    }

    let mut agreement = agreement;
    if !per_capita_amounts.is_empty() {
        for (area_index, amount) in per_capita_amounts {
            agreement.areas[area_index].to_regions = amount;
        }
        let sum = agreement.areas.iter().map(crate::core::agreement::Area::total).sum::<u128>();
        if sum != agreement.total {
            return Err(rates_total_error(&agreement, &population, &eligible, sum));
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
        eligible,
        excluded_without_row,
        methods,
        derivations,
        set_asides,
        ties,
        county_level: None,
    })
}

/// The line that holds what excluded regions would have got, under `policy = "withhold"`.
pub const WITHHELD: &str = "Withheld (not eligible)";

impl Allocation {
    /// The population table the regions come from.
    #[must_use]
    pub fn table(&self) -> &PopulationTable {
        &self.table
    }

    #[must_use]
    pub fn is_eligible(&self, index: usize) -> bool {
        self.eligible[index]
    }

    /// Codes of the regions the agreement excludes: those in the table, then those without a row.
    #[must_use]
    pub fn excluded_codes(&self) -> Vec<&str> {
        let in_table = self.regions().filter(|row| !self.is_eligible(row.index())).map(|row| row.code());
        in_table.chain(self.excluded_without_row.iter().map(|county| county.code)).collect()
    }

    /// The regions, by code.
    pub fn regions(&self) -> impl ExactSizeIterator<Item = RegionRow<'_>> {
        (0..self.region_count()).map(move |index| RegionRow { allocation: self, index })
    }

    #[must_use]
    pub fn region(&self, index: usize) -> RegionRow<'_> {
        RegionRow { allocation: self, index }
    }

    #[must_use]
    pub fn region_count(&self) -> usize {
        self.table.recipients.len()
    }

    /// Every region's units in one area, by code.
    #[must_use]
    pub fn column(&self, area_index: usize) -> Cells<'_> {
        self.columns[area_index].cells()
    }

    /// Sum of one area's column over every recipient (regions and set-asides).
    #[must_use]
    pub fn area_sum(&self, area_index: usize) -> u128 {
        self.columns[area_index].cells().sum() + self.set_asides.iter().map(|row| row.amounts[area_index]).sum::<u128>()
    }

    /// Sum of every recipient's total.
    #[must_use]
    pub fn grand_total(&self) -> u128 {
        // Each area's sum already holds its set-asides.
        (0..self.columns.len()).map(|index| self.area_sum(index)).sum::<u128>()
    }
}

#[cfg(test)]
mod error_tests {
    use super::*;

    #[test]
    fn allocation_errors_are_worded_from_their_data() {
        let area = |reason| AllocationError::Infeasible { area: "a".to_string(), reason }.to_string();
        let out_of_reach =
            |minimum, maximum| Infeasible::BoundsOutOfReach { members: 3, amount: 1000, minimum, maximum };
        assert_eq!(
            area(out_of_reach(None, Some(300))),
            "area `a`: 3 regions cannot share 1000 units with at most 300 units each"
        );
        assert_eq!(
            area(out_of_reach(Some(400), Some(500))),
            "area `a`: 3 regions cannot share 1000 units with at least 400 and at most 500 units each"
        );
        assert_eq!(
            area(Infeasible::BaseOverArea { base: 400, members: 3, amount: 1000 }),
            "area `a`: a base of 400 units for each of 3 regions is more than the area's 1000"
        );
        assert_eq!(
            area(Infeasible::NowhereToGo { key: "elever".to_string(), units: 7 }),
            "area `a`: every free region has `elever` zero, so 7 units have nowhere to go"
        );
        assert_eq!(
            AllocationError::EveryRegionExcluded.to_string(),
            "eligibility: every region is excluded; nobody can be paid"
        );
        let step = RoundingUnit::parse("1000 kr").unwrap();
        let rounding = |reason| AllocationError::Rounding { step, reason }.to_string();
        assert_eq!(
            rounding(RoundingFailure::AreaNotWhole { area: "a".to_string() }),
            "cannot round the table to 1 000 kr: area `a` is not a whole number of steps"
        );
        assert_eq!(
            rounding(RoundingFailure::NotWholeUnits { unit: RoundingUnit::parse("0.3 kr").unwrap() }),
            "cannot round the table to 1 000 kr: it is not a whole number of the agreement's rounding unit (0,3 kr)"
        );
    }
}
