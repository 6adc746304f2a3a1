//! A region named on the command line, in a plan or in an agreement, found among a population
//! table's rows: by code however written, by county or region name in any case or spacing.

use crate::core::population::PopulationTable;
use crate::core::region::{
    County, RecipientKind, code_value, counties, county_named_any, county_with_value, is_numeric_code, normalize,
};
use std::collections::HashMap;

/// Every name a code is known by: the population table's, the county's, the region's with and
/// without `Region `.
fn aliases(table: &PopulationTable) -> impl Iterator<Item = (&str, &str)> {
    let own = table.recipients.iter().map(|r| (table.name(r), table.code(r)));
    let counties = counties().iter().flat_map(|county| {
        let short = county.region.strip_prefix("Region ").map(|short| (short, county.code));
        [(county.county, county.code), (county.region, county.code)].into_iter().chain(short)
    });
    own.chain(counties)
}

/// A code's key: numeric codes by value (`3` finds `03`, as `same_code` compares them), others
/// as written.
fn code_key(code: &str) -> (bool, &str) {
    if is_numeric_code(code) { (true, code.trim_start_matches('0')) } else { (false, code) }
}

/// Codes' keys to the first recipient with each; names' keys to the code of the first alias.
type Maps<'a> = (HashMap<(bool, &'a str), usize>, HashMap<String, &'a str>);

/// A table's codes and names by key, made once: resolving names one at a time against the
/// table cost a pass over it (and a copy of every name) per name, which an agreement excluding
/// thousands of a million recipients, or a published table of as many rows, made quadratic.
pub struct RegionIndex<'a> {
    table: &'a PopulationTable,
    /// The first recipient with each code's key, and each name's key (case and spacing aside)
    /// to the code of the first alias with it; `None` for one look-up, which scans instead.
    maps: Option<Maps<'a>>,
}

impl<'a> RegionIndex<'a> {
    #[must_use]
    pub fn new(table: &'a PopulationTable) -> RegionIndex<'a> {
        let mut by_code = HashMap::with_capacity(table.recipients.len());
        for (index, recipient) in table.recipients.iter().enumerate() {
            by_code.entry(code_key(table.code(recipient))).or_insert(index);
        }
        let mut by_name = HashMap::with_capacity(table.recipients.len() + 3 * counties().len());
        for (name, code) in aliases(table) {
            by_name.entry(normalize(name)).or_insert(code);
        }
        RegionIndex { table, maps: Some((by_code, by_name)) }
    }

    /// For one name: a scan costs less than making the maps.
    fn scan(table: &'a PopulationTable) -> RegionIndex<'a> {
        RegionIndex { table, maps: None }
    }

    /// For `names` names: a few scans (at most 16 passes over the table) cost less than making
    /// the maps, more are looked up in them.
    #[must_use]
    pub fn for_names(table: &'a PopulationTable, names: usize) -> RegionIndex<'a> {
        if names <= 16 { RegionIndex::scan(table) } else { RegionIndex::new(table) }
    }

    fn position(&self, code: &str) -> Option<usize> {
        let table = self.table;
        match &self.maps {
            Some((by_code, _)) => by_code.get(&code_key(code)).copied(),
            None => table.recipients.iter().position(|r| code_key(table.code(r)) == code_key(code)),
        }
    }

    /// The code of the first alias whose key is `key`.
    fn named(&self, key: &str) -> Option<&'a str> {
        match &self.maps {
            Some((_, by_name)) => by_name.get(key).copied(),
            None => aliases(self.table).find(|(name, _)| normalize(name) == key).map(|(_, code)| code),
        }
    }

    /// As `resolve`, for many names against one table.
    pub fn resolve(&self, wanted: &str) -> Result<usize, RegionError> {
        let table = self.table;
        let wanted = wanted.trim();
        if wanted.is_empty() {
            return Err(RegionError::Empty);
        }
        crate::io::names::check(wanted).map_err(RegionError::Hidden)?;
        if let Some(index) = self.position(wanted) {
            return Ok(index);
        }
        if let Some(index) = self.named(&normalize(wanted)).and_then(|code| self.position(code)) {
            return Ok(index);
        }
        let county = county_named_any(wanted).or_else(|| code_value(wanted).and_then(county_with_value));
        if let Some(county) = county.filter(|_| matches!(table.kind, RecipientKind::Counties { .. })) {
            // `Jämtland`, `Kalmar`: a short name no alias spells out. `Absent` must mean that the
            // region has no row, since excluding an absent region is allowed to change nothing.
            if let Some(index) = self.position(county.code) {
                return Ok(index);
            }
            return Err(RegionError::Absent { wanted: wanted.to_string(), table: table.source.clone(), county });
        }
        // The hint's work is bounded by `suggest` (a run's budget of comparisons).
        let suggestion = crate::io::suggest::nearest(wanted, aliases(table).map(|(name, _)| name))
            .and_then(|name| aliases(table).find(|(known, _)| *known == name))
            .map(|(name, code)| (name.to_string(), code.to_string()));
        Err(RegionError::Unknown { wanted: wanted.to_string(), table: table.source.clone(), suggestion })
    }
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
/// here, so `--region`, a plan's `region`, `explain REGION` and `excluded` agree. To resolve
/// many names, make one `RegionIndex`.
pub fn resolve(wanted: &str, table: &PopulationTable) -> Result<usize, RegionError> {
    RegionIndex::scan(table).resolve(wanted)
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
    fn one_index_finds_what_a_scan_per_name_finds() {
        let others = "code,region,date,population\n007,Enhet sju,2020-12-31,1\nX7,Övriga,2020-12-31,1\n\
                      12,Enhet tolv,2020-12-31,1\n";
        let others = read_population(&Input::from_text("o.csv", others), "2020-12-31".parse().unwrap()).unwrap();
        for table in [table(), others] {
            let index = RegionIndex::new(&table);
            for wanted in [
                "3",
                "003",
                "7",
                "23",
                "12",
                "x7",
                "X7",
                "ÖVRIGA",
                " övriga ",
                "enhet  SJU",
                "Uppsala län",
                "Region Uppsala",
                "Jämtland",
                "Region Halland",
                "0",
                "",
                "Atlantis",
            ] {
                assert_eq!(index.resolve(wanted), resolve(wanted, &table), "{wanted}");
            }
        }
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
