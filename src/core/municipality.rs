//! Sweden's 290 municipalities (kommuner), as SCB's bundled table lists them, and what a list
//! of municipalities must hold: every one, or every one of a single county (a split within a
//! region), unless the user allows fewer.

use std::sync::OnceLock;

use crate::core::population::PopulationTable;
use crate::core::region::{RecipientKind, code_value};
use crate::io::bundled;

/// The bundled table the list of municipalities is read from.
const SOURCE: &str = "scb-municipality-population-31dec-2017-2019";

/// One municipality: SCB's four-digit code (whose first two digits are its county's) and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    pub code: String,
    pub name: String,
}

impl Municipality {
    /// The two-digit code of its county.
    #[must_use]
    pub fn county_code(&self) -> &str {
        &self.code[..2]
    }
}

/// The 290 municipalities, by code: those of the bundled table's latest date (the list has
/// not changed since 2003, when Knivsta became the 290th).
#[must_use]
pub fn municipalities() -> &'static [Municipality] {
    static LIST: OnceLock<Vec<Municipality>> = OnceLock::new();
    LIST.get_or_init(|| {
        let text = bundled::population(SOURCE).map_or("", |file| file.text);
        let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|line| line.split(',').collect()).collect();
        let latest = rows.iter().filter_map(|fields| fields.get(3).copied()).max().unwrap_or_default();
        let mut list: Vec<Municipality> = rows
            .iter()
            .filter(|fields| fields.get(3) == Some(&latest))
            .map(|fields| Municipality { code: fields[0].to_string(), name: fields[1].to_string() })
            .collect();
        list.sort_by(|a, b| a.code.cmp(&b.code));
        list
    })
}

/// A county's code written as municipal codes begin (`1` → `01`), if it is a number.
#[must_use]
pub fn county_prefix(code: &str) -> Option<String> {
    code_value(code).filter(|value| *value < 100).map(|value| format!("{value:02}"))
}

/// What a list of municipalities is expected to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// All 290.
    Sweden,
    /// The municipalities of one county (its two-digit code): a split within a region.
    County(String),
}

/// The municipalities missing from `table` when it is a list of municipalities (empty
/// otherwise), and the scope it was held to: a list whose codes all lie in one county is held
/// to that county's municipalities, any other list to all 290.
#[must_use]
pub fn missing_municipalities(table: &PopulationTable) -> (Scope, Vec<&'static Municipality>) {
    if table.kind != RecipientKind::Municipalities {
        return (Scope::Sweden, Vec::new());
    }
    // Codes are four digits by now (`114` was read as `0114`).
    let codes: Vec<&str> = table.recipients.iter().map(|r| table.code(r)).collect();
    let first = codes.first().map(|code| &code[..2]);
    let scope = match first {
        Some(county) if codes.iter().all(|code| code.starts_with(county)) => Scope::County(county.to_string()),
        _ => Scope::Sweden,
    };
    let expected = municipalities().iter().filter(|m| match &scope {
        Scope::Sweden => true,
        Scope::County(county) => m.county_code() == county,
    });
    // Both lists are in code order: one walk finds what the table lacks.
    let missing = expected.filter(|m| codes.binary_search_by(|code| (*code).cmp(m.code.as_str())).is_err()).collect();
    (scope, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_holds_290_municipalities_in_21_counties() {
        let list = municipalities();
        assert_eq!(list.len(), 290);
        assert_eq!(list[0].code, "0114");
        assert_eq!(list.last().unwrap().code, "2584");
        let jamtland: Vec<&str> = list.iter().filter(|m| m.county_code() == "23").map(|m| m.code.as_str()).collect();
        assert_eq!(jamtland.len(), 8);
        let mut counties: Vec<&str> = list.iter().map(Municipality::county_code).collect();
        counties.dedup();
        assert_eq!(counties.len(), 21);
    }
}
