//! The second level: each county's amount per area passed on to its municipalities by
//! population (`allocate --within 23`, `allocate --nested`). The county level is an ordinary
//! allocation; here every county's cell of every area is divided among the municipalities
//! whose codes begin with the county's code, by largest remainder, so that each county's
//! municipalities add up exactly to the county's amount, and (with the set-asides kept) every
//! area column to the agreement.

use std::ops::Range;

use super::{Allocation, AllocationError, AreaTie, Column, PopulationUse};
use crate::core::agreement::{Agreement, Key, TiePolicy};
use crate::core::apportion::{Method, largest_remainder};
use crate::core::population::PopulationTable;

/// What the county level was, for the notes of the municipal table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyLevel {
    /// The county population the agreement was split by.
    pub population: PopulationUse,
    /// `--within`: the one county (code, name) whose amount is split; `None` for every county.
    pub within: Option<(String, String)>,
    /// Counties whose municipalities add up to another population than the county table's on
    /// the date (code, county table's figure, municipalities' sum): two sources that disagree,
    /// said, never silently mixed.
    pub differences: Vec<(String, u64, u128)>,
}

/// Why the municipalities cannot take the counties' amounts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NestedError {
    #[error(
        "municipality {code} ({name}) lies in county {county} (the first two digits of its code), which the county \
         table does not have"
    )]
    NoCounty { code: String, name: String, county: String },
    #[error(
        "{county} gets money but the table of municipalities has none of its municipalities (codes {code}xx), so its \
         amount would go nowhere"
    )]
    CountyWithoutMunicipalities { code: String, county: String },
    #[error("the table of municipalities has no municipality of {county} ({code}xx)")]
    NoneWithin { code: String, county: String },
    #[error("the municipalities of {county} all have population zero, so its amount has nowhere to go")]
    ZeroPopulation { county: String },
}

/// Which county (its row in `counties`) each run of municipalities (rows of `municipalities`,
/// in code order, so a county's are side by side) belongs to.
fn groups(counties: &Allocation, municipalities: &PopulationTable) -> Result<Vec<(usize, Range<usize>)>, NestedError> {
    let mut groups: Vec<(usize, Range<usize>)> = Vec::new();
    for (index, recipient) in municipalities.recipients.iter().enumerate() {
        let code = municipalities.code(recipient);
        let prefix = code.get(..2).unwrap_or(code);
        if let Some((county, range)) = groups.last_mut()
            && counties.region(*county).code() == prefix
        {
            range.end = index + 1;
            continue;
        }
        let county = counties.regions().position(|row| row.code() == prefix).ok_or_else(|| NestedError::NoCounty {
            code: code.to_string(),
            name: municipalities.name(recipient).to_string(),
            county: prefix.to_string(),
        })?;
        groups.push((county, index..index + 1));
    }
    Ok(groups)
}

/// Every county whose money is passed on has municipalities to take it: the one of `--within`,
/// or (for every county) each one with money.
fn check_every_county_has_municipalities(
    counties: &Allocation,
    groups: &[(usize, Range<usize>)],
    within: Option<usize>,
) -> Result<(), NestedError> {
    if let Some(county) = within {
        if groups.is_empty() {
            let row = counties.region(county);
            return Err(NestedError::NoneWithin { code: row.code().to_string(), county: row.name().to_string() });
        }
        return Ok(());
    }
    if let Some(county) =
        counties.regions().find(|row| row.total() > 0 && !groups.iter().any(|(index, _)| *index == row.index()))
    {
        return Err(NestedError::CountyWithoutMunicipalities {
            code: county.code().to_string(),
            county: format!("{} ({})", county.name(), county.code()),
        });
    }
    Ok(())
}

/// `counties`' amounts split among `municipalities` (already held to one county for
/// `--within`, whose row in `counties` is `within`). The result is an allocation whose
/// recipients are the municipalities: every renderer shows it as it shows the regions.
pub fn split_among_municipalities(
    counties: &Allocation,
    municipalities: PopulationTable,
    within: Option<usize>,
    substitution: Option<String>,
) -> Result<Allocation, AllocationError> {
    let nested = |cause: NestedError| AllocationError::Nested(cause);
    let county_name = |index: usize| {
        let row = counties.region(index);
        format!("{} ({})", row.name(), row.code())
    };
    let groups = groups(counties, &municipalities).map_err(nested)?;
    check_every_county_has_municipalities(counties, &groups, within).map_err(nested)?;
    let populations = municipalities.populations();
    let areas = &counties.agreement.areas;
    let mut columns = vec![vec![0u128; municipalities.recipients.len()]; areas.len()];
    let mut ties = Vec::new();
    let mut eligible = vec![true; municipalities.recipients.len()];
    let mut differences = Vec::new();
    for (county, range) in &groups {
        let weights = &populations[range.clone()];
        let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        let county_population = counties.region(*county).population();
        if sum != u128::from(county_population) {
            differences.push((counties.region(*county).code().to_string(), county_population, sum));
        }
        for flag in &mut eligible[range.clone()] {
            *flag = counties.is_eligible(*county);
        }
        for (area_index, area) in areas.iter().enumerate() {
            let amount = counties.region(*county).amount(area_index);
            if amount == 0 {
                continue;
            }
            if sum == 0 {
                return Err(nested(NestedError::ZeroPopulation { county: county_name(*county) }));
            }
            let split = largest_remainder(amount, weights)
                .map_err(|cause| AllocationError::Apportion { area: area.id.clone(), cause })?;
            let code = |at: &usize| municipalities.code(&municipalities.recipients[range.start + at]).to_string();
            if let Some(tie) = split.ties.first()
                && counties.agreement.ties == TiePolicy::Error
            {
                return Err(AllocationError::Tie { area: area.id.clone(), tied: tie.tied.iter().map(code).collect() });
            }
            ties.extend(split.ties.iter().map(|tie| AreaTie {
                area: area.id.clone(),
                tied: tie.tied.iter().map(code).collect(),
                winners: tie.winners.iter().map(code).collect(),
            }));
            columns[area_index][range.clone()].copy_from_slice(&split.units);
        }
    }
    let shares = super::population_shares(&populations)?;
    drop(populations);
    let agreement = municipal_agreement(counties, within, differences.is_empty());
    let set_asides = if within.is_some() { Vec::new() } else { counties.set_asides.clone() };
    let methods = vec![Method::LargestRemainder; areas.len()];
    let parent = CountyLevel {
        population: counties.population.clone(),
        within: within.map(|county| {
            let row = counties.region(county);
            (row.code().to_string(), row.name().to_string())
        }),
        differences,
    };
    Ok(Allocation {
        population: PopulationUse {
            source: municipalities.source.clone(),
            date: municipalities.date,
            substitution,
            total: municipalities.total,
        },
        agreement,
        table: municipalities,
        shares,
        columns: columns.into_iter().map(Column::Wide).collect(),
        eligible,
        excluded_without_row: Vec::new(),
        methods,
        // `explain` reads a derivation per area; it does not take a municipal split.
        derivations: Vec::new(),
        set_asides,
        ties,
        county_level: Some(parent),
    })
}

/// The agreement as the municipal level divides it: every area by population, largest
/// remainder (the agreement's rules for the regions, such as bases and bounds, were applied
/// at the county level). Within one county, the areas' amounts are that county's, and the
/// set-asides are not part of it.
///
/// A rate per inhabitant stays the area's rule only when every county's municipalities add up
/// to the county's population: then largest remainder gives each exactly rate × population.
fn municipal_agreement(counties: &Allocation, within: Option<usize>, same_populations: bool) -> Agreement {
    let mut agreement = counties.agreement.clone();
    agreement.method = Method::LargestRemainder;
    // The notes list the municipalities not eligible: say which counties they are of, since the
    // agreement or --exclude named counties.
    if let Some(eligibility) = &mut agreement.eligibility {
        let counties_out = counties.excluded_codes().join(", ");
        if !counties_out.is_empty() {
            let of = format!("the municipalities of {counties_out}");
            eligibility.reason = Some(match eligibility.reason.take() {
                Some(reason) => format!("{of}, {reason}"),
                None => of,
            });
        }
    }
    // The counties' eligibility was applied at their level and stays in the notes: a
    // municipality of an excluded county gets nothing and is shown as not eligible.
    for (area_index, area) in agreement.areas.iter_mut().enumerate() {
        area.method = None;
        area.key = Key::Column("population".into());
        area.base = 0;
        area.minimum = None;
        area.maximum = None;
        if !same_populations {
            area.per_capita = None;
        }
        if let Some(county) = within {
            area.to_regions = counties.region(county).amount(area_index);
            area.set_asides.clear();
        }
    }
    if let Some(county) = within {
        agreement.total = counties.region(county).total();
    }
    agreement
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::core::agreement::parse_agreement;
    use crate::core::allocation::allocate;
    use crate::core::population::read_population;
    use crate::io::input::Input;

    const COUNTIES: [&str; 3] = ["01", "03", "23"];

    fn table(header: &str, rows: &[(String, u64)]) -> PopulationTable {
        let mut text = format!("code,{header},date,population\n");
        for (code, population) in rows {
            let _ = writeln!(text, "{code},N{code},2020-12-31,{population}");
        }
        read_population(&Input::from_text("p.csv", &text), "2020-12-31".parse().unwrap()).unwrap()
    }

    proptest::proptest! {
        #[test]
        fn the_nested_split_adds_up_both_ways(
            county_populations in proptest::collection::vec(1u64..20_000_000, 3),
            municipalities in proptest::collection::vec(proptest::collection::vec(0u64..2_000_000, 1..7), 3),
            areas in proptest::collection::vec((0u128..1_000_000_000_000, 0u128..1_000_000), 1..4),
        ) {
            let counties: Vec<(String, u64)> =
                COUNTIES.iter().zip(&county_populations).map(|(code, p)| ((*code).to_string(), *p)).collect();
            let mut rows = Vec::new();
            for (county, populations) in COUNTIES.iter().zip(&municipalities) {
                for (at, population) in populations.iter().enumerate() {
                    // Every county's municipalities need someone to pay.
                    rows.push((format!("{county}{:02}", at * 7 + 1), if at == 0 { population + 1 } else { *population }));
                }
            }
            let total: u128 = areas.iter().map(|(regions, other)| regions + other).sum();
            let mut text = format!("name = \"T\"\nunit = \"kr\"\ntotal = {total}\npopulation_date = 2020-12-31\n");
            for (index, (regions, other)) in areas.iter().enumerate() {
                let _ = write!(text, "[[areas]]\nid = \"a{index}\"\nregions = {regions}\n");
                let _ = writeln!(text, "other = [{{ recipient = \"SKR\", amount = {other} }}]");
            }
            let agreement = parse_agreement(&Input::from_text("a.toml", &text)).unwrap();
            let county_level = allocate(agreement, table("region", &counties), None).unwrap();
            let nested = split_among_municipalities(&county_level, table("region", &rows), None, None).unwrap();
            for (area, (regions, other)) in areas.iter().enumerate() {
                // Every county's municipalities add up to the county's amount.
                for county in county_level.regions() {
                    let sum: u128 = nested
                        .regions()
                        .filter(|m| m.code().starts_with(county.code()))
                        .map(|m| m.amount(area))
                        .sum();
                    proptest::prop_assert_eq!(sum, county.amount(area));
                }
                // Every column adds up to the agreement's area.
                proptest::prop_assert_eq!(nested.column(area).sum(), *regions);
                proptest::prop_assert_eq!(nested.area_sum(area), regions + other);
            }
            proptest::prop_assert_eq!(nested.grand_total(), total);
            // One county alone: the same amounts for its municipalities.
            let mut jamtland = table("region", &rows);
            jamtland.retain_codes(|code| code.starts_with("23"));
            let within = split_among_municipalities(&county_level, jamtland, Some(2), None).unwrap();
            for municipality in within.regions() {
                let same = nested.regions().find(|m| m.code() == municipality.code()).unwrap();
                proptest::prop_assert!(municipality.amounts().eq(same.amounts()));
            }
            proptest::prop_assert_eq!(within.grand_total(), county_level.region(2).total());
        }
    }

    #[test]
    fn a_municipality_of_a_county_the_table_lacks_is_an_error() {
        let text = "name = \"T\"\nunit = \"kr\"\ntotal = 10\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 10\n";
        let agreement = parse_agreement(&Input::from_text("a.toml", text)).unwrap();
        let counties = allocate(agreement, table("region", &[("01".into(), 5), ("03".into(), 5)]), None).unwrap();
        let rows = [("0114".to_string(), 1), ("0380".to_string(), 1), ("2380".to_string(), 1)];
        let err = split_among_municipalities(&counties, table("region", &rows), None, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "municipality 2380 (N2380) lies in county 23 (the first two digits of its code), which the county table \
             does not have"
        );
        let rows = [("0114".to_string(), 1)];
        let err = split_among_municipalities(&counties, table("region", &rows), None, None).unwrap_err();
        assert!(err.to_string().starts_with("N03 (03) gets money but"), "{err}");
    }
}
