//! A region named on the command line, in a plan or in an agreement, found among a population
//! table's rows: by code however written, by county or region name in any case or spacing.

use crate::core::population::PopulationTable;
use crate::core::region::{
    County, RecipientKind, code_value, counties, county_named_any, county_with_value, normalize, same_code,
};

/// Every name a code is known by: the population table's, the county's, the region's with and
/// without `Region `.
fn aliases(table: &PopulationTable) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> =
        table.recipients.iter().map(|r| (table.name(r).to_string(), table.code(r).to_string())).collect();
    for county in counties() {
        names.push((county.county.to_string(), county.code.to_string()));
        names.push((county.region.to_string(), county.code.to_string()));
        if let Some(short) = county.region.strip_prefix("Region ") {
            names.push((short.to_string(), county.code.to_string()));
        }
    }
    names
}

/// The regions (code, county) missing from `table` when it is a list of Sweden's regions;
/// empty otherwise. A split "among the regions" that silently leaves one out would pay the
/// others too much.
#[must_use]
pub fn missing_regions(table: &PopulationTable) -> Vec<&'static County> {
    if !matches!(table.kind, RecipientKind::Counties { .. }) {
        return Vec::new();
    }
    // The table's county codes are two digits by now (see `canonical_code`).
    counties().iter().filter(|county| !table.recipients.iter().any(|r| table.code(r) == county.code)).collect()
}

/// Why a region named on the command line, in a plan or in an agreement is not in the table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionError {
    #[error("no region given: name one by code (23) or name (Jämtlands län)")]
    Empty,
    /// A name with a character that does not show (or a bidi control): refused, as every name.
    #[error("region {0}")]
    Hidden(crate::io::names::HiddenCharacter),
    #[error("unknown region `{wanted}`: not a code or name of a region in {table}{}", hint(.suggestion.as_ref()))]
    Unknown { wanted: String, table: String, suggestion: Option<(String, String)> },
    /// One of Sweden's regions, but the table has no row for it.
    #[error("region `{wanted}` ({} {}) has no row in {table}", .county.code, .county.county)]
    Absent { wanted: String, table: String, county: &'static County },
}

fn hint(suggestion: Option<&(String, String)>) -> String {
    suggestion.map_or(String::new(), |(name, code)| format!("; did you mean `{name}` ({code})?"))
}

/// The index among `table`'s recipients of the region `wanted` names: a code however written
/// (`1`, `01`), a county or region name in any case or spacing. Every command resolves regions
/// here, so `--region`, a plan's `region`, `explain REGION` and `excluded` agree.
pub fn resolve(wanted: &str, table: &PopulationTable) -> Result<usize, RegionError> {
    let wanted = wanted.trim();
    if wanted.is_empty() {
        return Err(RegionError::Empty);
    }
    crate::io::names::check(wanted).map_err(RegionError::Hidden)?;
    let position = |code: &str| table.recipients.iter().position(|r| same_code(table.code(r), code));
    if let Some(index) = position(wanted) {
        return Ok(index);
    }
    let key = normalize(wanted);
    let names = aliases(table);
    if let Some((_, code)) = names.iter().find(|(name, _)| normalize(name) == key) {
        if let Some(index) = position(code) {
            return Ok(index);
        }
    }
    let county = county_named_any(wanted).or_else(|| code_value(wanted).and_then(county_with_value));
    if let Some(county) = county.filter(|_| matches!(table.kind, RecipientKind::Counties { .. })) {
        // `Jämtland`, `Kalmar`: a short name no alias spells out. `Absent` must mean that the
        // region has no row, since excluding an absent region is allowed to change nothing.
        if let Some(index) = position(county.code) {
            return Ok(index);
        }
        return Err(RegionError::Absent { wanted: wanted.to_string(), table: table.source.clone(), county });
    }
    let suggestion = crate::io::suggest::nearest(wanted, names.iter().map(|(name, _)| name.as_str()))
        .and_then(|name| names.iter().find(|(known, _)| known == name))
        .cloned();
    Err(RegionError::Unknown { wanted: wanted.to_string(), table: table.source.clone(), suggestion })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::population::read_population;
    use crate::io::input::Input;

    fn table() -> PopulationTable {
        let text = "code,region,date,population\n03,Uppsala län,2020-12-31,1\n23,Jämtlands län,2020-12-31,1\n";
        read_population(&Input::from_text("p.csv", text), "2020-12-31".parse().unwrap()).unwrap()
    }

    #[test]
    fn codes_county_and_region_names_all_work() {
        let allocation = table();
        for name in ["23", "Jämtlands län", "Region Jämtland Härjedalen", "jämtland  härjedalen"] {
            assert_eq!(resolve(name, &allocation), Ok(1), "{name}");
        }
        assert_eq!(resolve("3", &allocation), Ok(0));
        assert_eq!(resolve("Region Uppsala", &allocation), Ok(0));
    }

    #[test]
    fn unknown_names_get_a_suggestion() {
        let allocation = table();
        let err = resolve("Region Jämtland", &allocation).unwrap_err().to_string();
        assert!(err.ends_with("did you mean `Region Jämtland Härjedalen` (23)?"), "{err}");
        let err = resolve("Region Halland", &allocation).unwrap_err().to_string();
        assert!(err.starts_with("region `Region Halland` (13 Hallands län) has no row in p.csv"), "{err}");
        let err = resolve("Region Atlantis", &allocation).unwrap_err().to_string();
        assert!(err.starts_with("unknown region `Region Atlantis`"), "{err}");
    }
}
