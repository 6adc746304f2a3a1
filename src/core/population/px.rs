//! SCB's PX-Web export of table BE0101N1 ("Folkmängd efter region och år") as a population
//! file, as a user downloads it from Statistikdatabasen: the wide layout, a column per year.
//!
//! ```text
//! "Folkmängden efter region och år"          ← title lines (optional)
//!
//! "region";"2018";"2019"                     ← header: `region` and the years
//! "01 Stockholms län";2344124;2377081        ← code and name in one cell
//! …
//!
//! "Källa: SCB"                               ← footer: blank lines and notes
//! ```
//!
//! It is rearranged into the long table (`code;region;date;population`) it stands for, each
//! year as 31 December (BE0101N1's reference time), each line mapped back to the line and
//! field it came from, and read by the long reader with all its checks. A row is a region, a
//! blank line or a note: a line that is none of them is an error, never skipped.

use crate::core::date::Date;
use crate::io::error::InputError;
use crate::io::input::Input;

/// Lines before the header that may be titles: a file whose `region` header is further down
/// is not an export.
const TITLE_LINES: usize = 5;

/// The long table a wide export stands for, or `None` when `input` is not one (its header is
/// not `region` followed by years).
pub fn long_form(input: &Input) -> Result<Option<Input>, InputError> {
    let label = input.label.as_str();
    let mut lines = input.text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).enumerate();
    let mut titles = 0;
    let (header_line, header, delimiter) = loop {
        let Some((at, line)) = lines.next() else { return Ok(None) };
        if line.trim().is_empty() {
            continue;
        }
        if let Some(delimiter) = region_header(line) {
            break (at + 1, line, delimiter);
        }
        titles += 1;
        if titles >= TITLE_LINES {
            return Ok(None);
        }
    };
    let fields = split(header, delimiter).map_err(|message| InputError::at(label, header_line, None, message))?;
    if !fields.iter().skip(1).any(|field| year(field).is_some()) {
        return Ok(None);
    }
    // An export: every title line is one field, and every header field past `region` a year.
    for (at, line) in input.text.split('\n').take(header_line - 1).enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if split(line, delimiter).is_ok_and(|fields| fields.iter().skip(1).any(|field| !field.is_empty())) {
            return Err(InputError::at(
                label,
                at + 1,
                None,
                format!(
                    "this line, above the header of SCB's export on line {header_line}, is not a title (a line of \
                     one cell): fordela reads nothing above the header but titles; delete the line"
                ),
            ));
        }
    }
    let mut years = Vec::with_capacity(fields.len() - 1);
    for (at, field) in fields.iter().enumerate().skip(1) {
        let date = year(field).ok_or_else(|| {
            InputError::at(
                label,
                header_line,
                None,
                format!(
                    "field {} of the header of SCB's export (`region` and the years) is `{field}`, not a year: \
                     fordela reads each column as the population on 31 December of its year (table BE0101N1); \
                     export the table with the years as columns and nothing else",
                    at + 1
                ),
            )
        })?;
        if let Some(first) = years.iter().position(|known| *known == date) {
            return Err(InputError::at(
                label,
                header_line,
                None,
                format!("the header names the year of {date} twice (fields {} and {})", first + 2, at + 1),
            ));
        }
        years.push(date);
    }
    let rows = region_rows(input, header_line, delimiter, years.len())?;
    check_content(input, header_line, delimiter, &fields)?;
    let mut text = String::from("code;region;date;population\n");
    let mut map = vec![(to_u32(header_line), 1)];
    for (column, date) in years.iter().enumerate() {
        for row in &rows {
            text.push_str(&row.code);
            text.push(';');
            push_field(&row.name, &mut text);
            text.push(';');
            text.push_str(&date.to_string());
            text.push(';');
            push_field(&row.figures[column], &mut text);
            text.push('\n');
            map.push((to_u32(row.line), to_u32(column + 2)));
        }
    }
    Ok(Some(input.rearranged(text, map)))
}

/// What an export's title or header says it counts: fordela reads only BE0101N1, the population
/// on 31 December. SCB's other tables by region and year (Medelfolkmängd, Levande födda,
/// Folkökning …) have the same layout, so the layout alone is no evidence.
fn check_content(input: &Input, header_line: usize, delimiter: char, header: &[String]) -> Result<(), InputError> {
    let label = input.label.as_str();
    let titles = input
        .text
        .split('\n')
        .take(header_line - 1)
        .enumerate()
        .filter_map(|(at, line)| {
            let field = split(line.strip_suffix('\r').unwrap_or(line), delimiter).ok()?.into_iter().next()?;
            let field = field.trim_start_matches('\u{feff}').trim().to_string();
            (!field.is_empty()).then_some((at + 1, field))
        })
        .collect::<Vec<_>>();
    let named_in_header = header.iter().skip(1).all(|field| field.trim().to_lowercase().starts_with("folkmängd "));
    if let Some((line, title)) = titles.iter().find(|(_, title)| other_table(title)) {
        return Err(InputError::at(
            label,
            *line,
            None,
            format!(
                "the title `{title}` names another table than the population (Folkmängd, table BE0101N1, the \
                 population on 31 December): fordela divides by population only; export BE0101N1 \
                 (\"Folkmängden efter region och år\") from SCB's Statistikdatabasen"
            ),
        ));
    }
    if named_in_header || titles.iter().any(|(_, title)| population_table(title)) {
        return Ok(());
    }
    let message = match titles.first() {
        Some((_, title)) => format!(
            "the title `{title}` does not name the population (Folkmängd, table BE0101N1): fordela reads only \
             SCB's export of BE0101N1, titled \"Folkmängden efter region och år\"; export that table, or keep \
             its title line above the header"
        ),
        None => "the export has no title line above the header, so nothing says which table it is: fordela \
                 reads only SCB's export of BE0101N1, titled \"Folkmängden efter region och år\" (or with \
                 headers `Folkmängd 2018` …); keep the title line SCB writes above the header"
            .to_string(),
    };
    Err(InputError::at(label, titles.first().map_or(header_line, |(line, _)| *line), None, message))
}

/// A title naming table BE0101N1: `Folkmängden efter region och år`, `Folkmängd efter …`,
/// `Population by region and year`, or the table's id.
fn population_table(title: &str) -> bool {
    let lower = title.to_lowercase();
    lower.contains("be0101n1")
        || lower.starts_with("folkmängd")
        || lower.starts_with("population by region")
        || lower.starts_with("population ")
}

/// A title naming one of SCB's other tables by region and year.
fn other_table(title: &str) -> bool {
    let lower = title.to_lowercase();
    [
        "medelfolkmängd",
        "folkökning",
        "födda",
        "döda",
        "flytt",
        "invandr",
        "utvandr",
        "mean population",
        "average population",
        "births",
        "deaths",
        "migration",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

fn to_u32(number: usize) -> u32 {
    u32::try_from(number).unwrap_or(u32::MAX)
}

/// One region's row: its code and name, its figures by year column, and its line.
struct RegionRow {
    code: String,
    name: String,
    figures: Vec<String>,
    line: usize,
}

/// The region rows below the header on `header_line`, each with `years` figures; blank lines
/// and notes after them are the footer.
fn region_rows(input: &Input, header_line: usize, delimiter: char, years: usize) -> Result<Vec<RegionRow>, InputError> {
    let label = input.label.as_str();
    let mut rows = Vec::new();
    // The first line of the footer, once seen: no region row may follow it.
    let mut footer: Option<usize> = None;
    for (at, line) in input.text.split('\n').enumerate().skip(header_line) {
        let number = at + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let fields = split(line, delimiter).map_err(|message| InputError::at(label, number, None, message))?;
        let filled = fields.iter().filter(|field| !field.is_empty()).count();
        if filled == 0 {
            if !rows.is_empty() {
                footer.get_or_insert(number);
            }
            continue;
        }
        let first = fields[0].as_str();
        let Some((code, name)) = code_and_name(first) else {
            if filled == 1 && !first.is_empty() {
                // A note, a source line: the footer.
                footer.get_or_insert(number);
                continue;
            }
            return Err(InputError::at(
                label,
                number,
                None,
                format!(
                    "this line of SCB's export is neither a region's row (`01 Stockholms län` and its figures) nor \
                     a note (one cell): its first field is `{first}`. fordela drops no row: correct the line or \
                     delete it"
                ),
            ));
        };
        if let Some(footer) = footer {
            return Err(InputError::at(
                label,
                number,
                None,
                format!(
                    "the row of `{first}` comes after the footer that begins on line {footer} (a blank line or a \
                     note ends the regions of SCB's export): move the row up to the others, or delete what is \
                     between"
                ),
            ));
        }
        if let Some(extra) = fields.iter().skip(years + 1).position(|field| !field.is_empty()) {
            return Err(InputError::at(
                label,
                number,
                None,
                format!(
                    "field {} (`{}`) is beyond the {years} year columns of the header and would be ignored: \
                     delete it, or give its column a year in the header",
                    years + extra + 2,
                    fields[years + 1 + extra]
                ),
            ));
        }
        let (code, name) = if code == "00" || code.is_empty() {
            // The whole country (`00 Riket`) is the long table's sum row, checked against the rest.
            (String::new(), name.to_string())
        } else {
            (code.to_string(), name.to_string())
        };
        let mut figures: Vec<String> = fields.into_iter().skip(1).take(years).collect();
        figures.resize(years, String::new());
        rows.push(RegionRow { code, name, figures, line: number });
    }
    if rows.is_empty() {
        return Err(InputError::at(
            label,
            header_line,
            None,
            "SCB's export has a header but no region rows below it (`01 Stockholms län` and its figures)",
        ));
    }
    Ok(rows)
}

/// The code and name of a first field `01 Stockholms län` (`0114 Upplands Väsby`); a sum row's
/// `Riket` or `Totalt` has no code.
fn code_and_name(field: &str) -> Option<(&str, &str)> {
    if crate::io::csvin::is_sum_label(field) || field.eq_ignore_ascii_case("riket") {
        return Some(("", field));
    }
    let (code, name) = field.split_once(char::is_whitespace)?;
    let name = name.trim();
    (!code.is_empty() && code.bytes().all(|byte| byte.is_ascii_digit()) && !name.is_empty()).then_some((code, name))
}

/// The separator after a first field `region` (quoted or not), when `line` is an export's
/// header.
fn region_header(line: &str) -> Option<char> {
    let line = line.trim_start_matches('\u{feff}').trim_start();
    let rest = match line.strip_prefix('"') {
        Some(quoted) => quoted.get(..6).filter(|word| word.eq_ignore_ascii_case("region"))?.len() + 2,
        None => line.get(..6).filter(|word| word.eq_ignore_ascii_case("region"))?.len(),
    };
    let delimiter = line[rest..].trim_start_matches(' ').chars().next()?;
    matches!(delimiter, ';' | ',' | '\t').then_some(delimiter)
}

/// 31 December of the year a header field names: `2018`, or `Folkmängd 2018` as PX-Web heads
/// a column when the table's content is in the header.
fn year(field: &str) -> Option<Date> {
    let lower = field.trim().to_lowercase();
    let digits = ["folkmängd ", "befolkning ", "population "]
        .iter()
        .find_map(|word| lower.strip_prefix(word))
        .unwrap_or(&lower)
        .trim();
    if digits.len() != 4 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    Date::new(digits.parse().ok()?, 12, 31)
}

/// The fields of one line, trimmed, quotes removed (`""` inside quotes is one `"`).
fn split(line: &str, delimiter: char) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.trim().is_empty() {
            field.clear();
            quoted = true;
        } else if c == delimiter {
            fields.push(field.trim().to_string());
            field.clear();
        } else {
            field.push(c);
        }
    }
    if quoted {
        return Err(format!(
            "field {} opens a quote `\"` that is not closed on this line: close it, or delete it",
            fields.len() + 1
        ));
    }
    fields.push(field.trim().to_string());
    Ok(fields)
}

fn push_field(field: &str, text: &mut String) {
    if field.contains([';', '"']) {
        text.push('"');
        text.push_str(&field.replace('"', "\"\""));
        text.push('"');
    } else {
        text.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(text: &str) -> Result<Option<String>, InputError> {
        Ok(long_form(&Input::from_text("px.csv", text))?.map(|input| input.text))
    }

    #[test]
    fn a_wide_export_is_its_long_table() {
        let text = "\"Folkmängden efter region och år\"\r\n\r\n\"region\";\"2018\";\"2019\"\r\n\"01 Stockholms \
                    län\";2344124;2377081\r\n\"03 Uppsala län\";376354;383593\r\n\r\n\"Källa: SCB\"\r\n";
        assert_eq!(
            long(text).unwrap().unwrap(),
            "code;region;date;population\n01;Stockholms län;2018-12-31;2344124\n03;Uppsala \
             län;2018-12-31;376354\n01;Stockholms län;2019-12-31;2377081\n03;Uppsala län;2019-12-31;383593\n"
        );
    }

    #[test]
    fn other_files_are_not_exports() {
        for text in
            ["code,region,date,population\n01,A,2018-12-31,1\n", "region;code;date\n", "a\nb\nc\nd\ne\nregion;2018\n"]
        {
            assert_eq!(long(text).unwrap(), None, "{text}");
        }
    }

    #[test]
    fn no_row_is_dropped() {
        for (text, line) in [
            ("region;2018;x\n01 A;1;2\n", 1),
            ("region;2018\n01 A;1\n\nNot\n02 B;2\n", 5),
            ("region;2018\n01 A;1\nA;B\n", 3),
            ("region;2018\n01 A;1;5\n", 2),
            ("Title;more\nregion;2018\n01 A;1\n", 1),
            ("region;2018;2018\n01 A;1;1\n", 1),
            ("region;2018\n\n\"Källa: SCB\"\n", 1),
        ] {
            let err = long(text).unwrap_err();
            assert_eq!(err.line, Some(line), "{text:?}: {err}");
        }
    }

    #[test]
    fn headers_and_codes() {
        assert_eq!(region_header("\"region\";\"2018\""), Some(';'));
        assert_eq!(region_header("Region,2018"), Some(','));
        assert_eq!(region_header("regions;2018"), None);
        assert_eq!(year("Folkmängd 2019"), "2019-12-31".parse().ok());
        assert_eq!(year("2019x"), None);
        assert_eq!(code_and_name("0114 Upplands Väsby"), Some(("0114", "Upplands Väsby")));
        assert_eq!(code_and_name("Riket"), Some(("", "Riket")));
        assert_eq!(code_and_name("Stockholm"), None);
    }

    #[test]
    fn only_a_population_export_is_read() {
        let body = "\"region\";\"2018\"\n\"01 Stockholms län\";2344124\n";
        for title in [
            "Folkmängden efter region och år",
            "Folkmängd efter region och år",
            "BE0101N1",
            "Population by region and year",
        ] {
            assert!(long(&format!("\"{title}\"\n\n{body}")).unwrap().is_some(), "{title}");
        }
        assert!(long("region;Folkmängd 2018\n01 A;1\n").unwrap().is_some());
        for (text, line) in [
            (format!("\"Levande födda efter region och år\"\n\n{body}"), 1),
            (format!("\"Medelfolkmängd efter region och år\"\n\n{body}"), 1),
            (format!("\"Folkmängden efter region och år\"\n\"Medelfolkmängd\"\n{body}"), 2),
            (format!("\"Arbetslöshet\"\n{body}"), 1),
            (format!("\n{body}"), 2),
        ] {
            let err = long(&text).unwrap_err();
            assert_eq!(err.line, Some(line), "{text:?}: {err}");
        }
    }
}
