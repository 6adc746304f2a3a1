//! Agreement × population → the region × area matrix, every column adding up exactly.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::agreement::{Agreement, Area, ExclusionOrigin, ExclusionPolicy, Key, TiePolicy};
use crate::amount::RoundingUnit;
use crate::apportion::{
    ApportionError, Apportionment, Method, RoundingError, Tie, compare_products, controlled_round, largest_remainder,
};
use crate::date::Date;
use crate::population::PopulationTable;
use crate::region::{County, RegionError};

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
        self.allocation.columns.iter().map(move |column| column[index])
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
    /// `false` for regions the agreement excludes.
    eligible: Vec<bool>,
    /// Regions the agreement excludes that have no row (their share goes to the others anyway).
    excluded_without_row: Vec<&'static County>,
    /// The method each area was split by.
    pub methods: Vec<Method>,
    /// Set-aside recipients in order of first mention.
    pub set_asides: Vec<SetAsideRow>,
    pub ties: Vec<AreaTie>,
    /// Set when the table was rounded to a coarser step for display (`--round`).
    pub display_step: Option<RoundingUnit>,
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
    #[error("area `{area}`: {message}")]
    Infeasible { area: String, message: String },
    #[error("eligibility: {0}")]
    UnknownRegion(String),
    /// A region to exclude that the table does not have, blamed where it was named: the
    /// agreement's line (`…toml, line 7: excluded: …`) or `--exclude`.
    #[error("{origin}: {cause}")]
    Excluded { origin: String, cause: RegionError },
    #[error("cannot round the table to {step}: {message}")]
    Rounding { step: String, message: String },
}

/// How one area was split: the units per region, and what explains them.
#[derive(Debug, Clone)]
pub struct AreaSplit {
    pub method: Method,
    /// Units per region (base included), by code.
    pub units: Vec<u128>,
    /// Units every eligible region got first.
    pub base: u128,
    pub parts: Vec<PartSplit>,
    /// Regions held at their minimum or maximum.
    pub bounded: Vec<(usize, Bound)>,
    /// Units kept back from excluded regions (`policy = "withhold"`).
    pub withheld: u128,
    pub ties: Vec<Tie>,
}

/// One key's part of an area (the whole area unless the key is a mix).
#[derive(Debug, Clone)]
pub struct PartSplit {
    pub key: String,
    /// Units of this part, divided among the free regions.
    pub units: u128,
    /// Weight per region (zero for excluded or bounded regions); shared, not copied, when it
    /// is the population column itself.
    pub weights: Arc<[u64]>,
    pub weight_sum: u128,
    pub result: Apportionment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Minimum(u128),
    Maximum(u128),
}

/// Which regions take part (`false` for those excluded by the agreement), and the excluded
/// regions that have no row at all.
pub fn eligible(
    agreement: &Agreement,
    table: &PopulationTable,
) -> Result<(Vec<bool>, Vec<&'static County>), AllocationError> {
    let mut eligible = vec![true; table.recipients.len()];
    let mut without_row = Vec::new();
    if let Some(eligibility) = &agreement.eligibility {
        for (at, name) in eligibility.excluded.iter().enumerate() {
            match crate::region::resolve(name, table) {
                Ok(index) => eligible[index] = false,
                // A region with no row takes no part: excluding it changes nothing, unless its
                // share is to be withheld, which needs its population.
                Err(RegionError::Absent { county, .. }) if eligibility.policy == ExclusionPolicy::Redistribute => {
                    if !without_row.contains(&county) {
                        without_row.push(county);
                    }
                }
                Err(cause) => {
                    let origin = match &eligibility.origin {
                        ExclusionOrigin::CommandLine => "--exclude".to_string(),
                        ExclusionOrigin::Agreement { file, lines } => match lines.get(at) {
                            Some(line) => format!("{file}, line {line}: `excluded`"),
                            None => format!("{file}: `excluded`"),
                        },
                    };
                    return Err(AllocationError::Excluded { origin, cause });
                }
            }
        }
        if eligible.iter().all(|&is| !is) {
            return Err(AllocationError::UnknownRegion("every region is excluded; nobody can be paid".into()));
        }
    }
    Ok((eligible, without_row))
}

/// Splits one area among the regions of `table`.
pub fn split_area(
    area: &Area,
    method: Method,
    table: &PopulationTable,
    eligible: &[bool],
    policy: Option<ExclusionPolicy>,
) -> Result<AreaSplit, AllocationError> {
    let fail = |message: String| AllocationError::Infeasible { area: area.id.clone(), message };
    let apportion_error = |cause| AllocationError::Apportion { area: area.id.clone(), cause };
    let count = table.recipients.len();
    // Withheld regions take part in the split; their units are moved aside afterwards.
    let takes_part: Vec<bool> = match policy {
        Some(ExclusionPolicy::Withhold) => vec![true; count],
        _ => eligible.to_vec(),
    };
    let members = takes_part.iter().filter(|&&is| is).count() as u128;
    let base_total = area.base.checked_mul(members).filter(|&needed| needed <= area.regions).ok_or_else(|| {
        fail(format!(
            "a base of {} units for each of {members} regions is more than the area's {}",
            area.base, area.regions
        ))
    })?;
    let rest = area.regions - base_total;
    let mut parts = Vec::new();
    let mut bounded = Vec::new();
    let mut units = match &area.key {
        Key::Mix(mix) => {
            let mut units = vec![0u128; count];
            let part_weights: Vec<u64> = mix.iter().map(|(weight, _)| *weight).collect();
            let part_units = crate::apportion::largest_remainder(rest, &part_weights).map_err(apportion_error)?.units;
            for ((_, key), part_total) in mix.iter().zip(part_units) {
                let weights = key_weights(table, key, &takes_part);
                let part = apportion_part(key, part_total, weights, method).map_err(apportion_error)?;
                for (unit, got) in units.iter_mut().zip(&part.result.units) {
                    *unit += got;
                }
                parts.push(part);
            }
            units
        }
        Key::Column(key) => {
            let (split, part, held_at_bounds) = bounded_split(area, key, method, table, &takes_part, rest)?;
            parts.push(part);
            bounded = held_at_bounds;
            split
        }
    };
    for (unit, &part) in units.iter_mut().zip(&takes_part) {
        if part {
            *unit += area.base;
        }
    }
    let mut withheld = 0;
    if policy == Some(ExclusionPolicy::Withhold) {
        for (unit, &is) in units.iter_mut().zip(eligible) {
            if !is {
                withheld += *unit;
                *unit = 0;
            }
        }
    }
    let ties = parts.iter().flat_map(|part| part.result.ties.iter().cloned()).collect();
    Ok(AreaSplit { method, units, base: area.base, parts, bounded, withheld, ties })
}

/// The regions held at `low` or `high` in the exact solution `x_i = clamp(λ·w_i, low, high)`
/// with `Σ x_i = rest` ("water filling"): the sum grows with λ, so λ is found among the
/// breakpoints `low/w_i` and `high/w_i` by binary search, every comparison an exact
/// cross-multiplication. Holding caps first, then floors, is not enough: a cap can free so
/// much that the floors then overshoot the total.
fn water_fill(weights: &[u64], members: &[bool], low: u128, high: Option<u128>, rest: u128) -> Vec<Option<u128>> {
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

/// Units per region, the split of the free regions, and who was held at a bound.
type BoundedSplit = (Vec<u128>, PartSplit, Vec<(usize, Bound)>);

/// Splits `rest` units by one key, holding regions that would pass their maximum at the
/// maximum (their excess flows to the others), then those below their minimum at the minimum
/// (met from the others), until nobody is out of bounds. Each round fixes at least one region.
fn bounded_split(
    area: &Area,
    key: &str,
    method: Method,
    table: &PopulationTable,
    takes_part: &[bool],
    rest: u128,
) -> Result<BoundedSplit, AllocationError> {
    let fail = |message: String| AllocationError::Infeasible { area: area.id.clone(), message };
    let apportion_error = |cause| AllocationError::Apportion { area: area.id.clone(), cause };
    let count = takes_part.len();
    let members = takes_part.iter().filter(|&&is| is).count() as u128;
    // A minimum at or below the base is met by the base alone: no bound on the rest.
    let low = area.minimum.map(|minimum| minimum.max(area.base) - area.base);
    let high = match area.maximum {
        Some(maximum) if maximum < area.base => {
            return Err(fail(format!("`maximum` {maximum} is below the base {}", area.base)));
        }
        maximum => maximum.map(|maximum| maximum - area.base),
    };
    // A product past 128 bits is past any `rest`.
    if low.is_some_and(|low| low.checked_mul(members).is_none_or(|needed| needed > rest))
        || high.is_some_and(|high| high.checked_mul(members).is_some_and(|room| room < rest))
    {
        let bounds: Vec<String> = [("at least", area.minimum), ("at most", area.maximum)]
            .iter()
            .filter_map(|(word, bound)| bound.map(|units| format!("{word} {units}")))
            .collect();
        return Err(fail(format!(
            "{members} regions cannot share {} units with {} units each",
            area.regions,
            bounds.join(" and ")
        )));
    }
    if area.minimum.is_none() && area.maximum.is_none() {
        // No bounds: one split, its units moved, not copied (`explain` reads them from
        // `AreaSplit::units` then).
        let mut part =
            apportion_part(key, rest, key_weights(table, key, takes_part), method).map_err(apportion_error)?;
        let units = std::mem::take(&mut part.result.units);
        return Ok((units, part, Vec::new()));
    }
    // Who sits at a bound in the exact (continuous) solution; the loop below then only
    // corrects what whole units change (divisor methods may pass a quota by more than one).
    let weights = key_weights(table, key, takes_part);
    let mut fixed = water_fill(&weights, takes_part, low.unwrap_or(0), high, rest);
    let mut bounded: Vec<(usize, Bound)> = (0..count)
        .filter_map(|i| {
            let units = fixed[i]? + area.base;
            Some((i, if Some(units - area.base) == high { Bound::Maximum(units) } else { Bound::Minimum(units) }))
        })
        .filter(|(_, bound)| !matches!(bound, Bound::Minimum(units) if *units == area.base))
        .collect();
    loop {
        let free: Vec<bool> = (0..count).map(|i| takes_part[i] && fixed[i].is_none()).collect();
        let held = fixed.iter().flatten().try_fold(0u128, |sum, &units| sum.checked_add(units));
        let Some(held) = held.filter(|&held| held <= rest) else {
            return Err(fail(format!("the bounds cannot be met with whole units of {key}")));
        };
        let weights = key_weights(table, key, &free);
        if weights.iter().all(|&w| w == 0) && rest > held {
            return Err(fail(format!(
                "every free region has `{key}` zero, so {} units have nowhere to go",
                rest - held
            )));
        }
        let part = apportion_part(key, rest - held, weights, method).map_err(apportion_error)?;
        // Caps first: a capped region's excess flows to the others; then floors.
        let over: Vec<usize> =
            (0..count).filter(|&i| free[i] && high.is_some_and(|h| part.result.units[i] > h)).collect();
        let under: Vec<usize> =
            (0..count).filter(|&i| free[i] && low.is_some_and(|l| part.result.units[i] < l)).collect();
        let (violators, bound) = match (over.is_empty(), under.is_empty()) {
            (false, _) => (over, high.unwrap_or_default()),
            (true, false) => (under, low.unwrap_or_default()),
            (true, true) => {
                let units = (0..count).map(|i| fixed[i].unwrap_or(part.result.units[i])).collect();
                return Ok((units, part, bounded));
            }
        };
        for i in violators {
            fixed[i] = Some(bound);
            let base = area.base;
            bounded.push((
                i,
                if Some(bound) == high { Bound::Maximum(bound + base) } else { Bound::Minimum(bound + base) },
            ));
        }
    }
}

fn key_weights(table: &PopulationTable, key: &str, members: &[bool]) -> Arc<[u64]> {
    if key == "population" && members.iter().all(|&member| member) {
        return table.populations();
    }
    table
        .recipients
        .iter()
        .zip(members)
        .map(|(recipient, &member)| if member { table.weight(recipient, key) } else { 0 })
        .collect()
}

fn apportion_part(key: &str, units: u128, weights: Arc<[u64]>, method: Method) -> Result<PartSplit, ApportionError> {
    let weight_sum = weights.iter().map(|&w| u128::from(w)).sum();
    let result = if units == 0 {
        Apportionment { units: vec![0; weights.len()], ties: Vec::new() }
    } else {
        method.apportion(units, &weights)?
    };
    Ok(PartSplit { key: key.to_string(), units, weights, weight_sum, result })
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
    // Millionths fit in u32 (at most 1 000 000).
    let shares = largest_remainder(1_000_000, &populations)
        .map_err(|cause| AllocationError::Apportion { area: "population shares".into(), cause })?
        .units
        .into_iter()
        .map(|share| share as u32)
        .collect();
    drop(populations);
    let (eligible, excluded_without_row) = eligible(&agreement, &population)?;
    let policy = agreement.eligibility.as_ref().map(|eligibility| eligibility.policy);
    let mut columns = Vec::with_capacity(agreement.areas.len());
    let mut set_asides: Vec<SetAsideRow> = Vec::new();
    let mut ties = Vec::new();
    let mut methods = Vec::with_capacity(agreement.areas.len());

    for (area_index, area) in agreement.areas.iter().enumerate() {
        let method = method_override.or(area.method).unwrap_or(agreement.method);
        let split = split_area(area, method, &population, &eligible, policy)?;
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
            area.other.iter().map(|set_aside| (set_aside.recipient.clone(), set_aside.amount)).collect();
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
        columns.push(split.units);
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
        set_asides,
        ties,
        display_step: None,
    })
}

/// The line that holds what excluded regions would have got, under `policy = "withhold"`.
pub const WITHHELD: &str = "Withheld (not eligible)";

impl Allocation {
    /// The same allocation shown in whole `step`s by controlled rounding: every cell rounded
    /// down or up, every area column still adding up to its area, every row to its exact total
    /// rounded down or up, the grand total exact.
    pub fn rounded_to(mut self, step: RoundingUnit) -> Result<Allocation, AllocationError> {
        let fail = |message: String| AllocationError::Rounding { step: step.describe(), message };
        let units = step.kronor().checked_div(self.agreement.rounding.kronor()).unwrap_or_default();
        if !units.fract().is_zero() || units.is_zero() {
            return Err(fail(format!(
                "it is not a whole number of the agreement's rounding unit ({})",
                self.agreement.rounding.describe()
            )));
        }
        let step_units: u128 = units.try_into().map_err(|_| fail("the step is too large".into()))?;
        let regions = self.region_count();
        let mut cells: Vec<Vec<u128>> =
            (0..regions).map(|index| self.columns.iter().map(|column| column[index]).collect()).collect();
        cells.extend(self.set_asides.iter().map(|row| row.amounts.clone()));
        let rounded = controlled_round(&cells, step_units).map_err(|err| {
            let message = match err {
                RoundingError::ColumnNotWhole { column, .. } => {
                    format!("area `{}` is not a whole number of steps", self.agreement.areas[column].id)
                }
                other => other.to_string(),
            };
            fail(message)
        })?;
        for (row, steps) in rounded.iter().enumerate() {
            for (column, &count) in steps.iter().enumerate() {
                let value = count * step_units;
                if row < regions {
                    self.columns[column][row] = value;
                } else {
                    self.set_asides[row - regions].amounts[column] = value;
                }
            }
            if row >= regions {
                let set_aside = &mut self.set_asides[row - regions];
                set_aside.total = set_aside.amounts.iter().sum();
            }
        }
        self.display_step = Some(step);
        Ok(self)
    }

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
    pub fn column(&self, area_index: usize) -> &[u128] {
        &self.columns[area_index]
    }

    /// Sum of one area's column over every recipient (regions and set-asides).
    #[must_use]
    pub fn area_sum(&self, area_index: usize) -> u128 {
        self.columns[area_index].iter().sum::<u128>()
            + self.set_asides.iter().map(|row| row.amounts[area_index]).sum::<u128>()
    }

    /// Sum of every recipient's total.
    #[must_use]
    pub fn grand_total(&self) -> u128 {
        // Each area's sum already holds its set-asides.
        (0..self.columns.len()).map(|index| self.area_sum(index)).sum::<u128>()
    }
}
