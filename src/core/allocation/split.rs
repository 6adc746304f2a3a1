//! One area's split: base amounts, eligibility, bounds and mix parts around the apportionment,
//! returning the units per region and the derivation that explains them.

use super::column::Column;
use super::derivation::{AreaDerivation, HeldAtBounds, PartDerivation};
use super::{AllocationError, Infeasible};
use crate::core::agreement::{Agreement, Area, ExclusionOrigin, ExclusionPolicy, Key};
use crate::core::apportion::{
    ApportionError, Apportionment, Method, Tie, largest_remainder_narrow, narrow_sum, water_fill,
};
use crate::core::population::PopulationTable;
use crate::core::population::lookup::RegionError;
use crate::core::region::County;
use std::sync::Arc;

/// Which regions take part (`false` for those excluded by the agreement), and the excluded
/// regions that have no row at all.
pub(super) fn eligible(
    agreement: &Agreement,
    table: &PopulationTable,
) -> Result<(Vec<bool>, Vec<&'static County>), AllocationError> {
    let mut eligible = vec![true; table.recipients.len()];
    let mut without_row = Vec::new();
    if let Some(eligibility) = &agreement.eligibility {
        // One index for every name: thousands of exclusions in a large table stay linear.
        let index = crate::core::population::lookup::RegionIndex::for_names(table, eligibility.excluded.len());
        for (at, name) in eligibility.excluded.iter().enumerate() {
            match index.resolve(name) {
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
            return Err(AllocationError::EveryRegionExcluded);
        }
    }
    Ok((eligible, without_row))
}

/// Splits one area among the regions of `table`: the units per region (base included), by
/// code, and how they came about.
pub(super) fn split_area(
    area: &Area,
    method: Method,
    table: &PopulationTable,
    eligible: &[bool],
    policy: Option<ExclusionPolicy>,
) -> Result<(Column, AreaDerivation), AllocationError> {
    let fail = |reason| AllocationError::Infeasible { area: area.id.clone(), reason };
    let apportion_error = |cause| AllocationError::Apportion { area: area.id.clone(), cause };
    let count = table.recipients.len();
    // Withheld regions take part in the split; their units are moved aside afterwards.
    let takes_part: Vec<bool> = match policy {
        Some(ExclusionPolicy::Withhold) => vec![true; count],
        _ => eligible.to_vec(),
    };
    let members = takes_part.iter().filter(|&&is| is).count() as u128;
    let base_total = area
        .base
        .checked_mul(members)
        .filter(|&needed| needed <= area.to_regions)
        .ok_or_else(|| fail(Infeasible::BaseOverArea { base: area.base, members, amount: area.to_regions }))?;
    let rest = area.to_regions - base_total;
    let mut parts = Vec::new();
    let mut held = HeldAtBounds::default();
    let mut ties = Vec::new();
    let mut units = match &area.key {
        Key::Mix(mix) => {
            let mut units = vec![0u128; count];
            let part_weights: Vec<u64> = mix.iter().map(|(weight, _)| *weight).collect();
            let part_units =
                crate::core::apportion::largest_remainder(rest, &part_weights).map_err(apportion_error)?.units;
            for ((_, key), part_total) in mix.iter().zip(part_units) {
                let weights = key_weights(table, key, &takes_part);
                let (mut part, split) = apportion_part(key, part_total, &weights, method).map_err(apportion_error)?;
                for (unit, got) in units.iter_mut().zip(&split.units) {
                    *unit += got;
                }
                // The column holds the parts' sum. Largest remainder's units follow from the
                // quota and the rank; a divisor method's are kept, to be shown.
                if method != Method::LargestRemainder {
                    part.own_units = split.units;
                }
                ties.extend(split.ties);
                parts.push(part);
            }
            Column::Wide(units)
        }
        Key::Column(key) => {
            let (split, part, held_at_bounds, part_ties) = bounded_split(area, key, method, table, &takes_part, rest)?;
            parts.push(part);
            held = held_at_bounds;
            ties = part_ties;
            split
        }
    };
    // A region's units with its base are at most the area's amount, which fits the column.
    units.add_base(&takes_part, area.base).ok_or_else(|| apportion_error(ApportionError::Overflow))?;
    let mut withheld = 0;
    if policy == Some(ExclusionPolicy::Withhold) {
        withheld = units.withhold(eligible);
    }
    let withholds = policy == Some(ExclusionPolicy::Withhold);
    Ok((units, AreaDerivation { method, base: area.base, parts, held, withheld, withholds, ties }))
}

/// Units per region, the split of the free regions, who was held at a bound, and the ties.
type BoundedSplit = (Column, PartDerivation, HeldAtBounds, Vec<Tie>);

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
    let fail = |reason| AllocationError::Infeasible { area: area.id.clone(), reason };
    let apportion_error = |cause| AllocationError::Apportion { area: area.id.clone(), cause };
    let count = takes_part.len();
    let members = takes_part.iter().filter(|&&is| is).count() as u128;
    // A minimum at or below the base is met by the base alone: no bound on the rest.
    let low = area.minimum.map(|minimum| minimum.max(area.base) - area.base);
    let high = match area.maximum {
        Some(maximum) if maximum < area.base => {
            return Err(fail(Infeasible::MaximumBelowBase { maximum, base: area.base }));
        }
        maximum => maximum.map(|maximum| maximum - area.base),
    };
    // A product past 128 bits is past any `rest`.
    if low.is_some_and(|low| low.checked_mul(members).is_none_or(|needed| needed > rest))
        || high.is_some_and(|high| high.checked_mul(members).is_some_and(|room| room < rest))
    {
        return Err(fail(Infeasible::BoundsOutOfReach {
            members,
            amount: area.to_regions,
            minimum: area.minimum,
            maximum: area.maximum,
        }));
    }
    if area.minimum.is_none() && area.maximum.is_none() {
        // No bounds: one split, its units moved into the column, not copied; in 64 bits when
        // the area's amount and every product of it with a key value fit in them.
        let weights = key_weights(table, key, takes_part);
        let narrow = (method == Method::LargestRemainder && rest > 0 && area.to_regions <= u128::from(u64::MAX))
            .then(|| Some((u64::try_from(rest).ok()?, narrow_sum(rest, &weights)?)))
            .flatten();
        if let Some((narrow_rest, weight_sum)) = narrow {
            let split = largest_remainder_narrow(narrow_rest, &weights, weight_sum).map_err(apportion_error)?;
            let part = PartDerivation {
                key: key.to_string(),
                units: rest,
                weight_sum: u128::from(weight_sum),
                leftover: split.leftover,
                own_units: Vec::new(),
            };
            return Ok((Column::Narrow(split.units), part, HeldAtBounds::default(), split.ties));
        }
        let (part, split) = apportion_part(key, rest, &weights, method).map_err(apportion_error)?;
        return Ok((Column::Wide(split.units), part, HeldAtBounds::default(), split.ties));
    }
    // Who sits at a bound in the exact (continuous) solution; the loop below then only
    // corrects what whole units change (divisor methods may pass a quota by more than one).
    let weights = key_weights(table, key, takes_part);
    let mut fixed = water_fill(&weights, takes_part, low.unwrap_or(0), high, rest);
    let mut held_at = HeldAtBounds::new(area.base, low, high);
    for (i, units) in fixed.iter().enumerate() {
        // A region held at a minimum of nothing (a zero weight, no floor) is not bound by it.
        if let Some(units) = units.filter(|&units| units > 0 || high == Some(0)) {
            held_at.hold(i, units);
        }
    }
    loop {
        let free: Vec<bool> = (0..count).map(|i| takes_part[i] && fixed[i].is_none()).collect();
        let held = fixed.iter().flatten().try_fold(0u128, |sum, &units| sum.checked_add(units));
        let Some(held) = held.filter(|&held| held <= rest) else {
            return Err(fail(Infeasible::BoundsNotWhole { key: key.to_string() }));
        };
        let weights = key_weights(table, key, &free);
        if weights.iter().all(|&w| w == 0) && rest > held {
            return Err(fail(Infeasible::NowhereToGo { key: key.to_string(), units: rest - held }));
        }
        let (part, split) = apportion_part(key, rest - held, &weights, method).map_err(apportion_error)?;
        // Caps first: a capped region's excess flows to the others; then floors.
        let over: Vec<usize> = (0..count).filter(|&i| free[i] && high.is_some_and(|h| split.units[i] > h)).collect();
        let under: Vec<usize> = (0..count).filter(|&i| free[i] && low.is_some_and(|l| split.units[i] < l)).collect();
        let (violators, bound) = match (over.is_empty(), under.is_empty()) {
            (false, _) => (over, high.unwrap_or_default()),
            (true, false) => (under, low.unwrap_or_default()),
            (true, true) => {
                let units = (0..count).map(|i| fixed[i].unwrap_or(split.units[i])).collect();
                return Ok((Column::Wide(units), part, held_at.sorted(), split.ties));
            }
        };
        for i in violators {
            fixed[i] = Some(bound);
            held_at.hold(i, bound);
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

/// Splits one part, returning its derivation and the apportionment (units and ties) for the
/// caller to place.
fn apportion_part(
    key: &str,
    units: u128,
    weights: &[u64],
    method: Method,
) -> Result<(PartDerivation, Apportionment), ApportionError> {
    let weight_sum = weights.iter().map(|&w| u128::from(w)).sum();
    let result = if units == 0 {
        let leftover = (method == Method::LargestRemainder).then_some(0);
        Apportionment { units: vec![0; weights.len()], ties: Vec::new(), leftover }
    } else {
        method.apportion(units, weights)?
    };
    let leftover = result.leftover;
    Ok((PartDerivation { key: key.to_string(), units, weight_sum, leftover, own_units: Vec::new() }, result))
}
