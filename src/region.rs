//! Naming a region the way people do: `23`, `Jämtlands län`, `Region Jämtland Härjedalen`,
//! `Jämtland Härjedalen`. Names come from the population table and the bundled list in
//! `data/regions/region-names.csv`.

use crate::population::PopulationTable;

const REGION_NAMES: &str = include_str!("../data/regions/region-names.csv");

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Numeric codes match by value, so Excel's `3` finds `03`.
fn same_code(a: &str, b: &str) -> bool {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if numeric(a) && numeric(b) { a.trim_start_matches('0') == b.trim_start_matches('0') } else { a == b }
}

/// Every name a code is known by: the population table's, the county's, the region's with and
/// without `Region `.
fn aliases(table: &PopulationTable) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> =
        table.recipients.iter().map(|r| (table.name(r).to_string(), table.code(r).to_string())).collect();
    for line in REGION_NAMES.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        if let [code, county, region] = fields[..] {
            names.push((county.to_string(), code.to_string()));
            names.push((region.to_string(), code.to_string()));
            if let Some(short) = region.strip_prefix("Region ") {
                names.push((short.to_string(), code.to_string()));
            }
        }
    }
    names
}

/// The regions (code, county) missing from `table`, when it looks like a table of Sweden's
/// regions (every code a county code); empty otherwise. A split "among the regions" that
/// silently leaves one out would pay the others too much.
#[must_use]
pub fn missing_regions(table: &PopulationTable) -> Vec<(String, String)> {
    let counties: Vec<(&str, &str)> = REGION_NAMES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            Some((fields.next()?, fields.next()?))
        })
        .collect();
    // At most 21 rows can be a table of regions: a million care units are answered at once.
    if table.recipients.is_empty() || table.recipients.len() > counties.len() {
        return Vec::new();
    }
    let codes: Vec<&str> = table.recipients.iter().map(|r| table.code(r)).collect();
    if !codes.iter().all(|code| counties.iter().any(|(county, _)| county == code)) {
        return Vec::new();
    }
    counties
        .iter()
        .filter(|(county, _)| !codes.contains(county))
        .map(|(code, name)| ((*code).to_string(), (*name).to_string()))
        .collect()
}

/// The index among `table`'s recipients of the region `wanted` names, or a message with a suggestion.
pub fn resolve(wanted: &str, table: &PopulationTable) -> Result<usize, String> {
    let wanted = wanted.trim();
    if let Some(index) = table.recipients.iter().position(|r| same_code(table.code(r), wanted)) {
        return Ok(index);
    }
    let key = normalize(wanted);
    let names = aliases(table);
    if let Some((_, code)) = names.iter().find(|(name, _)| normalize(name) == key) {
        if let Some(index) = table.recipients.iter().position(|r| table.code(r) == code) {
            return Ok(index);
        }
    }
    let hint = crate::suggest::nearest(wanted, names.iter().map(|(name, _)| name.as_str()))
        .and_then(|name| names.iter().find(|(known, _)| known == name))
        .map_or(String::new(), |(name, code)| format!("; did you mean `{name}` ({code})?"));
    Err(format!("unknown region `{wanted}`: not a code or name of a region in the population table{hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::parse_agreement;
    use crate::allocation::allocate;
    use crate::input::Input;
    use crate::population::read_population;

    fn allocation() -> PopulationTable {
        let agreement = parse_agreement(&Input::from_text(
            "a.toml",
            "name = \"T\"\nunit = \"kr\"\ntotal = 1\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 1\n",
        ))
        .unwrap();
        let text = "code,region,date,population\n03,Uppsala län,2020-12-31,1\n23,Jämtlands län,2020-12-31,1\n";
        let table = read_population(&Input::from_text("p.csv", text), "2020-12-31".parse().unwrap()).unwrap();
        allocate(agreement, table, None).unwrap().table().clone()
    }

    #[test]
    fn codes_county_and_region_names_all_work() {
        let allocation = allocation();
        for name in ["23", "Jämtlands län", "Region Jämtland Härjedalen", "jämtland  härjedalen"] {
            assert_eq!(resolve(name, &allocation), Ok(1), "{name}");
        }
        assert_eq!(resolve("3", &allocation), Ok(0));
        assert_eq!(resolve("Region Uppsala", &allocation), Ok(0));
    }

    #[test]
    fn unknown_names_get_a_suggestion() {
        let allocation = allocation();
        let err = resolve("Region Jämtland", &allocation).unwrap_err();
        assert!(err.ends_with("did you mean `Region Jämtland Härjedalen` (23)?"), "{err}");
        let err = resolve("Region Skåne", &allocation).unwrap_err();
        assert!(err.starts_with("unknown region `Region Skåne`"), "{err}");
    }
}
