//! Naming a region the way people do: `23`, `Jämtlands län`, `Region Jämtland Härjedalen`,
//! `Jämtland Härjedalen`. Names come from the population table and the bundled list in
//! `data/regions/region-names.csv`.
//!
//! Also what a recipient code *is*: one identity however a spreadsheet wrote it. Excel saves the
//! county code `01` as `1` and the municipal code `0114` as `114`; a list of Sweden's regions
//! must hold every region, and nothing else, whatever the codes look like.

use std::cmp::Ordering;
use std::sync::LazyLock;

const REGION_NAMES: &str = include_str!("../../data/regions/region-names.csv");

/// One of Sweden's 21 regions (counties).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct County {
    /// Two digits, as SCB writes it: `01`.
    pub code: &'static str,
    pub value: u64,
    /// `Stockholms län`.
    pub county: &'static str,
    /// `Region Stockholm`.
    pub region: &'static str,
}

static COUNTIES: LazyLock<Vec<County>> = LazyLock::new(|| {
    REGION_NAMES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let (code, county, region) = (fields.next()?, fields.next()?, fields.next()?);
            Some(County { code, value: code.parse().ok()?, county, region })
        })
        .collect()
});

/// Sweden's 21 regions, by code.
#[must_use]
pub fn counties() -> &'static [County] {
    &COUNTIES
}

pub(crate) fn normalize(text: &str) -> String {
    crate::io::names::key(text)
}

/// Whether `code` is a numeric code (digits only, any number of them): such codes are
/// compared and ordered by value, whatever leading zeros a spreadsheet kept or dropped.
#[must_use]
pub fn is_numeric_code(code: &str) -> bool {
    !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit())
}

/// A code of digits only, as a number (up to 19 digits): `01`, `1` and `001` are one code.
#[must_use]
pub fn code_value(code: &str) -> Option<u64> {
    if code.len() <= 19 && is_numeric_code(code) { code.parse().ok() } else { None }
}

/// A code Excel wrote as a number with decimals (`1.0`, `1,00`): the whole number it stands for.
fn excel_decimal(code: &str) -> Option<u64> {
    let (whole, decimals) = code.split_once(['.', ','])?;
    (!decimals.is_empty() && decimals.bytes().all(|b| b == b'0')).then(|| code_value(whole)).flatten()
}

/// Numeric codes match by value, so Excel's `3` finds `03`.
#[must_use]
pub fn same_code(a: &str, b: &str) -> bool {
    if is_numeric_code(a) && is_numeric_code(b) {
        a.trim_start_matches('0') == b.trim_start_matches('0')
    } else {
        a == b
    }
}

/// Numeric codes compare as numbers (`9` before `10`) and come before other codes, which
/// compare as text. One order for every pair (numbers against text by text would make `2` <
/// `10` < `1A` < `2` a cycle), so that codes of one value (`01`, `1`) sit side by side.
#[must_use]
pub fn code_order(a: &str, b: &str) -> Ordering {
    match (is_numeric_code(a), is_numeric_code(b)) {
        (true, true) => {
            let (a_trim, b_trim) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
            a_trim.len().cmp(&b_trim.len()).then(a_trim.cmp(b_trim)).then(a.cmp(b))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

pub(crate) fn county_with_value(value: u64) -> Option<&'static County> {
    // County codes run 01–25: most values of a large list are answered without a search.
    if value == 0 || value > 25 {
        return None;
    }
    counties().iter().find(|county| county.value == value)
}

/// The county `name` is the formal name of (`Stockholms län`, `Region Stockholm`, any case or
/// spacing). The short form (`Stockholm`) does not count: a municipality has that name too.
fn county_formally_named(name: &str) -> Option<&'static County> {
    // The byte tests below read `län` composed: `la` + U+0308 + `n` is the same word.
    let name = crate::io::names::nfc(name);
    let name = name.as_ref();
    // Most names in a large list are neither: every formal name ends in `län`, begins with
    // `Region` or ends in `regionen`, so test that (in constant time) before anything that
    // allocates.
    let bytes = name.as_bytes();
    let ends_in_lan = bytes.len() >= 4 && {
        let tail = &bytes[bytes.len() - 4..];
        tail[0].eq_ignore_ascii_case(&b'l')
            && (tail[1..3] == *"ä".as_bytes() || tail[1..3] == *"Ä".as_bytes())
            && tail[3].eq_ignore_ascii_case(&b'n')
    };
    let begins_region = bytes.get(..6).is_some_and(|head| head.eq_ignore_ascii_case(b"region"));
    let ends_regionen = bytes.len() >= 8 && bytes[bytes.len() - 8..].eq_ignore_ascii_case(b"regionen");
    if !ends_in_lan && !begins_region && !ends_regionen {
        return None;
    }
    let key = normalize(name);
    counties().iter().find(|county| normalize(county.county) == key || normalize(county.region) == key)
}

/// Whether `name` is a county's formal name (`Stockholms län`, `Region Stockholm`).
#[must_use]
pub fn is_formal_county_name(name: &str) -> bool {
    county_formally_named(name).is_some()
}

/// The county `name` names in any of the ways `resolve` knows (the short form too).
fn county_named(name: &str) -> Option<&'static County> {
    county_formally_named(name).or_else(|| county_short_named(name))
}

/// The county `name` names, also in English as statistics downloads write it (`Stockholm
/// County`, `Jämtland County`).
pub(crate) fn county_named_any(name: &str) -> Option<&'static County> {
    county_named(name).or_else(|| {
        let name = crate::io::names::nfc(name);
        let bytes = name.as_bytes();
        let english = bytes.len() > 7 && bytes[bytes.len() - 7..].eq_ignore_ascii_case(b" county");
        english.then(|| county_short_named(&name[..name.len() - 7])).flatten()
    })
}

/// The Swedish region `wanted` names without a population table at hand: a code however
/// written (`1`, `01`) or a county or region name (`Jämtlands län`, `Region Jämtland
/// Härjedalen`, `Jämtland`), any case or spacing. `None` when it names none of the 21.
#[must_use]
pub fn county(wanted: &str) -> Option<&'static County> {
    let wanted = wanted.trim();
    county_named_any(wanted).or_else(|| code_value(wanted).and_then(county_with_value))
}

/// The county a code cell names when it holds no code of its own: another list's code (NUTS
/// `SE110`, county letter `AB`), a name (`Stockholms län`), or code and name in one cell as
/// SCB's downloads write them (`01 Stockholms län`, `01 - Stockholms län`).
fn county_in_code_cell(code: &str) -> Option<&'static County> {
    let bytes = code.as_bytes();
    // A plain number (nearly every code of a large list) is none of these.
    if bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let other_shaped = (bytes.len() <= 2 && bytes.iter().all(u8::is_ascii_alphabetic))
        || (bytes.len() == 5 && bytes[..2].eq_ignore_ascii_case(b"SE"));
    if other_shaped {
        if let Some((county, _)) = county_by_other_code(code) {
            return Some(county);
        }
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=2).contains(&digits) {
        let rest = code[digits..].trim_start_matches(|c: char| c.is_whitespace() || c == '-' || c == '–');
        let by_value = code_value(&code[..digits]).and_then(county_with_value);
        return by_value.filter(|county| county_named_any(rest) == Some(county));
    }
    if digits == 0 { county_named_any(code) } else { None }
}

/// The county `name` names by a short form: the region's name without `Region ` (`Jämtland
/// Härjedalen`, `Sörmland`) or the county's without `län` (`Stockholm`, `Jämtland`, `Kalmar`).
fn county_short_named(name: &str) -> Option<&'static County> {
    // A short name is a few words of letters: a code-like name (`Enhet 1234567`) is answered
    // at once, which keeps a million care units fast.
    if name.len() > 40 || name.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // The names rule (NFC, case, spacing); whole strings compared (length first).
    let key = normalize(name);
    SHORT_NAMES.iter().find(|(short, _)| *short == key).map(|(_, county)| *county)
}

/// Every county's short names, normalized: `stockholm` (from `Stockholms län`), `jämtland
/// härjedalen` (from `Region Jämtland Härjedalen`).
static SHORT_NAMES: LazyLock<Vec<(String, &'static County)>> = LazyLock::new(|| {
    let mut names = Vec::new();
    for county in counties() {
        if let Some(short) = county.region.strip_prefix("Region ") {
            names.push((normalize(short), county));
        }
        if let Some(stem) = county.county.strip_suffix(" län") {
            // The genitive `s` of `Stockholms`.
            names.push((normalize(stem.strip_suffix('s').unwrap_or(stem)), county));
        }
    }
    names
});

/// Codes other lists give the regions, only to say which code to write: never read as the
/// county (a list of the regions uses SCB's two-digit codes). NUTS 2016 level 3 and the old
/// county letters (länsbokstäver).
const OTHER_CODES: &[(&str, &str, &str)] = &[
    ("01", "SE110", "AB"),
    ("03", "SE121", "C"),
    ("04", "SE122", "D"),
    ("05", "SE123", "E"),
    ("06", "SE211", "F"),
    ("07", "SE212", "G"),
    ("08", "SE213", "H"),
    ("09", "SE214", "I"),
    ("10", "SE221", "K"),
    ("12", "SE224", "M"),
    ("13", "SE231", "N"),
    ("14", "SE232", "O"),
    ("17", "SE311", "S"),
    ("18", "SE124", "T"),
    ("19", "SE125", "U"),
    ("20", "SE312", "W"),
    ("21", "SE313", "X"),
    ("22", "SE321", "Y"),
    ("23", "SE322", "Z"),
    ("24", "SE331", "AC"),
    ("25", "SE332", "BD"),
];

/// The county whose NUTS code or county letter `code` is, and which of the two it is.
fn county_by_other_code(code: &str) -> Option<(&'static County, &'static str)> {
    let code = code.trim();
    let (county_code, kind) = OTHER_CODES.iter().find_map(|(county, nuts, letter)| {
        if nuts.eq_ignore_ascii_case(code) {
            Some((county, "NUTS code"))
        } else if letter.eq_ignore_ascii_case(code) {
            Some((county, "county letter"))
        } else {
            None
        }
    })?;
    counties().iter().find(|county| county.code == *county_code).map(|county| (county, kind))
}

/// What a population table is a list of, which decides how its codes are written and checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RecipientKind {
    /// Sweden's 21 regions: codes are two digits (`1` is read as `01`), every code must be a
    /// county code, and a split among them needs all 21.
    Counties {
        /// Why the table was taken for a list of regions, for messages: `line 2 names Stockholms län`.
        evidence: String,
    },
    /// Municipalities: four-digit codes whose first two digits are their county's (`114` is read
    /// as `0114`). A county's row among them (a subtotal) is refused.
    Municipalities,
    /// Any other list (care units, …): codes are kept as written, numeric codes compared by value.
    #[default]
    Other,
}

/// A municipality's code as a spreadsheet may write it: three or four digits, the first (one
/// or) two a county's (`0114`, `114`, `2584`). No municipality's ends in `00`: `0100` is a
/// county's code padded to four digits (a subtotal).
fn is_municipal_code(code: &str) -> bool {
    let digits = code.trim_start_matches('0').len();
    (3..=4).contains(&digits)
        && code_value(code).is_some_and(|value| value % 100 != 0 && county_with_value(value / 100).is_some())
}

/// What the rows `(code, name, line)` are a list of.
///
/// Mostly municipal codes (`0114`) make a list of municipalities, whose county rows are
/// subtotals to refuse, not a sign of a list of the regions. Otherwise the list is one of
/// Sweden's regions, whatever its codes (`SE110`, `AB`), when more than half of the 21 are
/// named and such rows are most of the list; or when a row gives a county's formal name
/// (`Stockholms län`, `Region Stockholm`), or its short name beside its code (`1 Stockholm`);
/// or when most codes are county codes (with names, at least 11 of the 21 counties' codes).
/// Then an unknown or differently written code is an error or is read as its county, never a
/// reason to stop checking that every region is there.
pub fn classify<'a>(rows: impl Iterator<Item = (&'a str, &'a str, u32)>) -> RecipientKind {
    let (mut rows_seen, mut county_codes, mut municipal_codes) = (0usize, 0usize, 0usize);
    let (mut named, mut four_digits, mut municipal_or_county) = (false, false, true);
    // Counties named, as bits of their code's value, and how many rows name one.
    let (mut counties_named, mut county_named_rows) = (0u32, 0usize);
    let (mut first_county_line, mut first_named): (Option<u32>, Option<(u32, &'static County)>) = (None, None);
    let mut formal_evidence: Option<(u32, &'static County)> = None;
    let (mut counties_identified, mut identified_rows) = (0u32, 0usize);
    let mut first_identified: Option<(u32, &'static County)> = None;
    for (code, name, line) in rows {
        rows_seen += 1;
        let value = code_value(code);
        let county_by_code = value.or_else(|| excel_decimal(code)).and_then(county_with_value);
        if county_by_code.is_some() {
            county_codes += 1;
            first_county_line.get_or_insert(line);
        }
        let municipal = is_municipal_code(code);
        municipal_codes += usize::from(municipal);
        four_digits |= code.len() == 4;
        // A county however the row writes it: its code, another list's code, its name in the
        // code cell (`01 Stockholms län`), or its name in Swedish or English.
        if let Some(county) = county_by_code
            .or_else(|| county_in_code_cell(code))
            .or_else(|| (!name.is_empty()).then(|| county_named_any(name)).flatten())
        {
            counties_identified |= 1 << county.value;
            identified_rows += 1;
            first_identified.get_or_insert((line, county));
        }
        // Past twice the 21 regions with not one row of a region or a municipality: neither
        // can be most of the list any more, so a million care units are answered here.
        if rows_seen > 2 * 21 && identified_rows == 0 && municipal_codes == 0 {
            return RecipientKind::Other;
        }
        if name.is_empty() {
            municipal_or_county &= municipal || value.and_then(county_with_value).is_some();
            continue;
        }
        named = true;
        let formal = county_formally_named(name);
        let named_county = formal.or_else(|| county_short_named(name));
        // A county's row among municipalities (`23 Jämtlands län`, `SE322 Jämtland`) is a
        // subtotal, refused later naming its line.
        municipal_or_county &= municipal || value.and_then(county_with_value).is_some() || named_county.is_some();
        if let Some(county) = named_county {
            counties_named |= 1 << county.value;
            county_named_rows += 1;
            first_named.get_or_insert((line, county));
            // A formal name beside a municipality's code is a municipality named like its
            // region (`0980 Region Gotland`); the short name counts only beside its own code.
            let evidence = if municipal { None } else { formal.or(county_by_code.filter(|c| *c == county)) };
            if let Some(county) = evidence {
                formal_evidence.get_or_insert((line, county));
            }
        }
    }
    if rows_seen == 0 {
        return RecipientKind::Other;
    }
    if municipal_codes * 2 > rows_seen && four_digits {
        return if municipal_or_county { RecipientKind::Municipalities } else { RecipientKind::Other };
    }
    let named_count = counties_named.count_ones();
    if let Some((line, county)) = first_named.filter(|_| named_count > 21 / 2 && county_named_rows * 2 > rows_seen) {
        return RecipientKind::Counties {
            evidence: format!("{named_count} of the 21 regions are named, as {} on line {line}", county.county),
        };
    }
    // More than half of the regions there, in whatever codes or names, and most rows theirs: a
    // list of the regions written another way, whose every region must be present.
    let identified = counties_identified.count_ones();
    if let Some((line, county)) = first_identified.filter(|_| identified > 21 / 2 && identified_rows * 2 > rows_seen) {
        return RecipientKind::Counties {
            evidence: format!(
                "{identified} of the 21 regions are there by code or name, as {} on line {line}",
                county.county
            ),
        };
    }
    if let Some((line, county)) = formal_evidence {
        return RecipientKind::Counties { evidence: format!("line {line} names {}", county.county) };
    }
    if county_codes == rows_seen {
        return RecipientKind::Counties { evidence: "every code is a county code".to_string() };
    }
    // Most codes county codes and, when the rows have names of their own, more than half of
    // the 21 counties there: an odd code (`99`) among the regions must not turn the check that
    // every region is there off, while a small synthetic list (`01 Alfa`, `02 Beta`) stays one.
    if county_codes * 2 > rows_seen && (!named || county_codes > 21 / 2) {
        let line = first_county_line.unwrap_or_default();
        return RecipientKind::Counties {
            evidence: format!("most codes are county codes ({county_codes} of {rows_seen}), as on line {line}"),
        };
    }
    RecipientKind::Other
}

/// How `code` is written in a list of `kind`: `Ok(None)` when as it stands, `Ok(Some(code))` when
/// written another way (`1` → `01`), `Err` when it cannot be in such a list.
pub fn canonical_code(kind: &RecipientKind, code: &str, name: &str) -> Result<Option<String>, String> {
    match kind {
        RecipientKind::Other => Ok(None),
        RecipientKind::Municipalities => {
            if !is_municipal_code(code) {
                let what = match (code_value(code).and_then(county_with_value), county_named(name)) {
                    (Some(county), _) => format!("code `{code}` is {}'s, not a municipality's", county.county),
                    (None, Some(county)) => format!("`{name}` is {}, not a municipality", county.county),
                    (None, None) => format!("code `{code}` is not a municipality's"),
                };
                return Err(format!(
                    "{what}: the row looks like a county subtotal in a list of municipalities (four-digit codes); \
                     remove it, or, to split among the regions, give a file of the 21 regions alone"
                ));
            }
            Ok(code_value(code).filter(|_| code.len() != 4).map(|value| format!("{value:04}")))
        }
        RecipientKind::Counties { evidence } => {
            let known = |county: &County| format!("{} {}", county.code, county.county);
            let named = county_named_any(name);
            let by_code = code_value(code).and_then(county_with_value);
            match (by_code, named) {
                (Some(county), Some(other)) if other.code != county.code => Err(format!(
                    "code `{code}` is {}, but the name `{name}` is {}: which region is it?",
                    known(county),
                    known(other)
                )),
                (Some(county), _) => Ok((code != county.code).then(|| county.code.to_string())),
                (None, _) => {
                    let other = county_by_other_code(code);
                    let hint = match (excel_decimal(code).and_then(county_with_value), other, named) {
                        (Some(county), _, _) => format!(
                            "; it looks like a number Excel showed with decimals: format the code column as \
                             text and write {}",
                            county.code
                        ),
                        (None, Some((county, scheme)), Some(by_name)) if by_name != county => format!(
                            "; `{code}` is the {scheme} of {}, but the name `{name}` is {}: which region is it?",
                            known(county),
                            known(by_name)
                        ),
                        (None, Some((county, scheme)), _) => {
                            format!("; {}'s code is {} (`{code}` is its {scheme})", county.county, county.code)
                        }
                        (None, None, Some(county)) => format!("; {}'s code is {}", county.county, county.code),
                        (None, None, None) => county_in_code_cell(code).map_or(String::new(), |county| {
                            format!(
                                "; it names {}: write its code, {}, alone in the code column and the name in the \
                                 name column",
                                county.county, county.code
                            )
                        }),
                    };
                    Err(format!(
                        "code `{code}` is not one of Sweden's 21 county codes (01, 03–10, 12–14, 17–25), and this \
                         is read as a list of the regions ({evidence}){hint}; fix or remove the row"
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_holds_the_21_regions_each_once() {
        // The list is parsed by hand: a line it could not read would drop a region silently.
        let codes: Vec<&str> = counties().iter().map(|county| county.code).collect();
        let expected = ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14"]
            .into_iter()
            .chain(["17", "18", "19", "20", "21", "22", "23", "24", "25"]);
        assert_eq!(codes, expected.collect::<Vec<_>>());
        for county in counties() {
            assert_eq!(code_value(county.code), Some(county.value));
            assert!(county.county.ends_with(" län") && county.region.contains("egion"), "{county:?}");
        }
    }

    fn kind(rows: &[(&'static str, &'static str)]) -> RecipientKind {
        classify(rows.iter().zip(2..).map(|(&(code, name), line)| (code, name, line)))
    }

    #[test]
    fn a_county_name_or_mostly_county_codes_make_a_list_of_regions() {
        assert!(matches!(kind(&[("1", "Stockholms län"), ("99", "Extra")]), RecipientKind::Counties { .. }));
        assert!(matches!(kind(&[("SE110", "Region Stockholm")]), RecipientKind::Counties { .. }));
        assert!(matches!(kind(&[("1", ""), ("3", ""), ("99", "")]), RecipientKind::Counties { .. }));
        assert!(matches!(kind(&[("1", "Stockholm"), ("99", "Extra")]), RecipientKind::Counties { .. }));
        assert!(matches!(kind(&[("1", "A"), ("3", "B")]), RecipientKind::Counties { .. }));
        assert_eq!(kind(&[("0180", "Stockholm"), ("0380", "Uppsala")]), RecipientKind::Municipalities);
        // Synthetic lists that happen to use county-like codes, and municipalities named like
        // their region, are not lists of regions.
        assert_eq!(kind(&[("01", "Alfa"), ("02", "Beta"), ("03", "Gamma")]), RecipientKind::Other);
        assert_eq!(kind(&[("0980", "Region Gotland"), ("114", "Upplands Väsby")]), RecipientKind::Municipalities);
        assert_eq!(kind(&[("1", ""), ("1000001", ""), ("1000002", "")]), RecipientKind::Other);
        assert_eq!(kind(&[("114", "a"), ("115", "b")]), RecipientKind::Other);
        // Eleven counties under names of their own, and one code no county has.
        let rows = ["1", "3", "4", "5", "6", "7", "8", "9", "10", "12", "13", "99"].map(|code| (code, "Län"));
        assert!(matches!(kind(&rows), RecipientKind::Counties { .. }));
        assert_eq!(kind(&rows[1..]), RecipientKind::Other);
    }

    /// The 21 regions' short names (`Stockholm`, `Jämtland`), in code order.
    const SHORT_NAMES: [&str; 21] = [
        "Stockholm",
        "Uppsala",
        "Södermanland",
        "Östergötland",
        "Jönköping",
        "Kronoberg",
        "Kalmar",
        "Gotland",
        "Blekinge",
        "Skåne",
        "Halland",
        "Västra Götaland",
        "Värmland",
        "Örebro",
        "Västmanland",
        "Dalarna",
        "Gävleborg",
        "Västernorrland",
        "Jämtland Härjedalen",
        "Västerbotten",
        "Norrbotten",
    ];

    #[test]
    fn most_regions_named_make_a_list_of_regions_whatever_the_codes() {
        let nuts: Vec<(&str, &str)> =
            OTHER_CODES.iter().zip(SHORT_NAMES).map(|(&(_, nuts, _), name)| (nuts, name)).collect();
        let letters: Vec<(&str, &str)> =
            OTHER_CODES.iter().zip(SHORT_NAMES).map(|(&(_, _, letter), name)| (letter, name)).collect();
        // Jämtland (the 19th) left out: twenty named, eleven named, ten named.
        let without_jamtland = |rows: &[(&'static str, &'static str)]| {
            rows.iter().enumerate().filter(|(at, _)| *at != 18).map(|(_, row)| *row).collect::<Vec<_>>()
        };
        for rows in [without_jamtland(&nuts), without_jamtland(&letters)] {
            assert!(matches!(kind(&rows), RecipientKind::Counties { .. }), "{rows:?}");
            assert!(matches!(kind(&rows[..11]), RecipientKind::Counties { .. }), "{rows:?}");
            assert_eq!(kind(&rows[..10]), RecipientKind::Other, "{rows:?}");
        }
        assert!(matches!(kind(&[("X", "Jämtland"), ("Y", "Jämtlands län")]), RecipientKind::Counties { .. }));
        assert_eq!(county_short_named("jämtland"), county_short_named("Jämtland Härjedalen"));
        // Eleven region names among many care units do not make a list of the regions.
        let mut units: Vec<(&str, &str)> = nuts[..11].to_vec();
        units.extend(std::iter::repeat_n(("VC7", "Vårdcentral"), 12));
        assert_eq!(kind(&units), RecipientKind::Other);
    }

    #[test]
    fn a_county_row_among_municipalities_is_a_subtotal_not_a_list_of_regions() {
        let rows =
            [("0114", "Upplands Väsby"), ("0115", "Vallentuna"), ("2361", "Härjedalen"), ("23", "Jämtlands län")];
        assert_eq!(kind(&rows), RecipientKind::Municipalities);
        let err = canonical_code(&RecipientKind::Municipalities, "23", "Jämtlands län").unwrap_err();
        assert!(
            err.starts_with("code `23` is Jämtlands län's, not a municipality's: the row looks like a county subtotal")
        );
        assert_eq!(kind(&[("0114", "a"), ("0115", "b"), ("SE322", "Jämtlands län")]), RecipientKind::Municipalities);
        assert_eq!(kind(&[("0114", "a"), ("0115", "b"), ("SE322", "Jämtland")]), RecipientKind::Municipalities);
        let err = canonical_code(&RecipientKind::Municipalities, "SE322", "Jämtland").unwrap_err();
        assert!(
            err.starts_with("`Jämtland` is Jämtlands län, not a municipality: the row looks like a county subtotal")
        );
        // Six of the municipalities are named like their region: still municipalities.
        let named = [("0180", "Stockholm"), ("0380", "Uppsala"), ("0680", "Jönköping"), ("0880", "Kalmar")];
        assert_eq!(kind(&named), RecipientKind::Municipalities);
        // A county's code padded to four digits, under its name: a subtotal too.
        assert_eq!(kind(&[("0114", "a"), ("0115", "b"), ("0100", "Stockholms län")]), RecipientKind::Municipalities);
        let err = canonical_code(&RecipientKind::Municipalities, "0100", "Stockholms län").unwrap_err();
        assert!(err.contains("looks like a county subtotal"), "{err}");
    }

    #[test]
    fn other_codes_of_a_region_are_refused_with_the_code_to_write() {
        let counties = RecipientKind::Counties { evidence: "test".into() };
        let err = canonical_code(&counties, "SE110", "Stockholm").unwrap_err();
        assert!(err.contains("Stockholms län's code is 01 (`SE110` is its NUTS code)"), "{err}");
        let err = canonical_code(&counties, "bd", "").unwrap_err();
        assert!(err.contains("Norrbottens län's code is 25 (`bd` is its county letter)"), "{err}");
        let err = canonical_code(&counties, "AB", "Uppsala").unwrap_err();
        assert!(err.contains("`AB` is the county letter of 01 Stockholms län, but the name `Uppsala` is 03"), "{err}");
    }

    #[test]
    fn codes_are_written_as_their_list_writes_them_or_refused() {
        let counties = RecipientKind::Counties { evidence: "test".into() };
        assert_eq!(canonical_code(&counties, "1", "Stockholms län"), Ok(Some("01".into())));
        assert_eq!(canonical_code(&counties, "001", ""), Ok(Some("01".into())));
        assert_eq!(canonical_code(&counties, "23", "Region Jämtland Härjedalen"), Ok(None));
        let err = canonical_code(&counties, "99", "Extra").unwrap_err();
        assert!(err.starts_with("code `99` is not one of Sweden's 21 county codes"), "{err}");
        let err = canonical_code(&counties, "1.0", "").unwrap_err();
        assert!(err.contains("Excel showed with decimals: format the code column as text and write 01"), "{err}");
        let err = canonical_code(&counties, "SE110", "Stockholms län").unwrap_err();
        assert!(err.contains("Stockholms län's code is 01"), "{err}");
        let err = canonical_code(&counties, "3", "Stockholms län").unwrap_err();
        assert!(err.contains("is 03 Uppsala län, but the name `Stockholms län` is 01 Stockholms län"), "{err}");
        let municipalities = RecipientKind::Municipalities;
        assert_eq!(canonical_code(&municipalities, "114", ""), Ok(Some("0114".into())));
        assert_eq!(canonical_code(&municipalities, "2584", ""), Ok(None));
        assert_eq!(canonical_code(&RecipientKind::Other, "7", ""), Ok(None));
    }
}
