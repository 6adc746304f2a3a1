//! A region's plan (proposal): TOML as in DESIGN.md, or the CSV a spreadsheet exports
//! (`area,intervention,amount` / `område;insats;belopp`, `Totalt` rows). Amounts stay exact
//! decimals in the plan's own unit; signs and sums are for `check` to judge.

use crate::core::agreement::{AmountReader, toml_error};
use crate::core::amount::Unit;
use crate::io::csvin::{Column, CsvTable, OtherColumns, is_sum_label};
use crate::io::error::InputError;
use crate::io::input::Input;
use crate::io::lines::Lines;
use crate::io::number::{Comma, parse_unambiguous};
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone)]
pub struct Proposal {
    pub source: String,
    /// The region as the plan names it (code or name); resolved by `check`.
    pub region: Option<String>,
    pub unit: Option<Unit>,
    /// Where the plan states its unit (`unit` in TOML, the amount column's header in CSV), for
    /// messages.
    pub unit_source: Option<String>,
    pub total: Option<Declared>,
    pub areas: Vec<ProposalArea>,
    /// Whether the plan's places are lines of a text or rows of a sheet, for messages.
    pub lines: crate::io::lines::Lines,
}

/// An amount the plan states, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub amount: Decimal,
    pub line: usize,
    /// True when it came from a `Totalt`/`Summa` row of a table.
    pub from_total_row: bool,
    /// The plan's note on that row (a CSV comment column).
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProposalArea {
    /// The area as the plan names it: an id or an area's name.
    pub name: String,
    pub line: usize,
    pub declared: Option<Declared>,
    pub interventions: Vec<Intervention>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intervention {
    /// The plan's own id of the intervention (`nr`, `id`), if it gives one: an outcome row may
    /// name the intervention by it.
    pub id: Option<String>,
    pub name: String,
    pub amount: Decimal,
    pub line: usize,
    /// The plan's note on it (a CSV comment column): kept, never read as money.
    pub comment: Option<String>,
}

impl Proposal {
    /// The finest number of decimals any amount in the plan is written with: as written, so
    /// `6,0` is one decimal (a plan in tenths), not none. The readers keep the written scale.
    #[must_use]
    pub fn decimals(&self) -> u32 {
        let declared = self.total.iter().chain(self.areas.iter().filter_map(|area| area.declared.as_ref()));
        let interventions = self.areas.iter().flat_map(|area| &area.interventions);
        declared
            .map(|declared| declared.amount.scale())
            .chain(interventions.map(|intervention| intervention.amount.scale()))
            .max()
            .unwrap_or(0)
    }
}

/// Reads a plan: TOML when the text looks like TOML (or the file ends in `.toml`), else CSV.
pub fn parse_proposal(input: &Input) -> Result<Proposal, InputError> {
    // A workbook's sheet is a table, whatever its cells say.
    let is_toml =
        !input.is_sheet() && (input.label.to_lowercase().ends_with(".toml") || input.text.lines().any(is_toml_line));
    let plan = if is_toml { parse_toml(input)? } else { parse_csv(input).map_err(|err| input.place(err))? };
    unique_ids(&plan).map_err(|err| if is_toml { err } else { input.place(err) })?;
    Ok(plan)
}

/// What an intervention's id is, however written: a number is its value (`01`, `1` and `1,0`
/// are one id; `1,1` and `1.10` are one: a spreadsheet drops leading zeros and writes a number
/// cell as it likes), any other id its words in any case.
#[must_use]
pub fn id_key(text: &str) -> String {
    let words = crate::io::names::key(text);
    let numeric = words.replace(',', ".");
    let is_number = !numeric.is_empty()
        && numeric.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && numeric.chars().filter(|&c| c == '.').count() <= 1;
    match numeric.parse::<Decimal>() {
        Ok(value) if is_number => value.normalize().to_string(),
        _ => words,
    }
}

/// An intervention's id names one intervention: the same id twice (however written, see
/// `id_key`) is an error naming both lines, never a guess at which was meant.
fn unique_ids(plan: &Proposal) -> Result<(), InputError> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for intervention in plan.areas.iter().flat_map(|area| &area.interventions) {
        let Some(id) = &intervention.id else { continue };
        let key = id_key(id);
        if let Some(first) = seen.insert(key, intervention.line) {
            return Err(InputError::at(
                &plan.source,
                intervention.line,
                None,
                format!("the id `{id}` is given to two interventions (the first on line {first}): an id names one"),
            ));
        }
    }
    Ok(())
}

/// A line only a TOML plan has: an `[[areas]]` table, or one of the plan's keys set with `=`
/// (`areas = [ … ]` inline, `region = "23"`). A CSV row starts with a field, never `key =`.
fn is_toml_line(line: &str) -> bool {
    const KEYS: &[&str] = &["region", "unit", "total", "areas"];
    let line = line.trim_start();
    line.starts_with("[[areas")
        || line.starts_with("[areas")
        || KEYS.iter().any(|key| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('=') && !rest.trim_start().starts_with("=="))
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProposal {
    /// A string, or an integer code (`region = 1`, as a spreadsheet-minded writer puts it).
    region: Option<Spanned<toml::Value>>,
    unit: Option<Spanned<String>>,
    total: Option<Spanned<toml::Value>>,
    #[serde(default)]
    areas: Vec<RawArea>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    id: Spanned<String>,
    amount: Option<Spanned<toml::Value>>,
    #[serde(default)]
    interventions: Vec<RawIntervention>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntervention {
    id: Option<Spanned<toml::Value>>,
    name: Spanned<String>,
    amount: Spanned<toml::Value>,
}

fn parse_toml(input: &Input) -> Result<Proposal, InputError> {
    let raw: RawProposal = toml::from_str(&input.text).map_err(|err| toml_error(input, &err))?;
    let reader = AmountReader { input };
    let line = |span: std::ops::Range<usize>| crate::io::error::line_column(&input.text, span.start).0;
    let unit = match &raw.unit {
        Some(unit) => Some(unit.get_ref().parse::<Unit>().map_err(|err| reader.error(unit.span(), err.to_string()))?),
        None => None,
    };
    let unit_source =
        raw.unit.as_ref().map(|unit| format!("`unit = \"{}\"` on line {}", unit.get_ref(), line(unit.span())));
    let declared = |field: &str, value: &Spanned<toml::Value>| -> Result<Declared, InputError> {
        let amount = reader.decimal(field, value)?;
        let amount = plan_amount(amount, &amount)
            .map_err(|message| reader.error(value.span(), format!("`{field}`: {message}")))?;
        Ok(Declared { amount, line: line(value.span()), from_total_row: false, comment: None })
    };
    let total = raw.total.as_ref().map(|total| declared("total", total)).transpose()?;
    let mut areas = Vec::with_capacity(raw.areas.len());
    for area in &raw.areas {
        let mut interventions = Vec::with_capacity(area.interventions.len());
        for intervention in &area.interventions {
            // In TOML an area's sum is its `amount`: an intervention called `Totalt` would be
            // added to the others.
            let name = intervention.name.get_ref().trim();
            visible_name(&reader, "name", &intervention.name)?;
            if is_total_word(name) || looks_like_sum(name) {
                return Err(reader.error(
                    intervention.name.span(),
                    format!(
                        "intervention `{name}` looks like a sum, and would be added to the area's interventions: \
                         give the area's total as `amount = …` in its [[areas]] table, or rename the intervention"
                    ),
                ));
            }
            let id = match &intervention.id {
                None => None,
                Some(id) => Some(match id.get_ref() {
                    toml::Value::String(text) if !text.trim().is_empty() => {
                        crate::io::names::check(text.trim())
                            .map_err(|err| reader.error(id.span(), format!("`id`: {err}")))?;
                        if crate::io::names::is_placeholder(text) {
                            return Err(reader.error(id.span(), format!("`id`: {}", no_id(text.trim()))));
                        }
                        text.trim().to_string()
                    }
                    toml::Value::Integer(number) => number.to_string(),
                    _ => {
                        return Err(reader.error(
                            id.span(),
                            "`id`: expected the intervention's id as text or a whole number, e.g. \"1.2\"".to_string(),
                        ));
                    }
                }),
            };
            interventions.push(Intervention {
                id,
                name: intervention.name.get_ref().trim().to_string(),
                amount: {
                    let amount = reader.decimal("amount", &intervention.amount)?;
                    plan_amount(amount, &amount)
                        .map_err(|message| reader.error(intervention.amount.span(), format!("`amount`: {message}")))?
                },
                line: line(intervention.name.span()),
                // TOML has its own `#` comments.
                comment: None,
            });
        }
        visible_name(&reader, "id", &area.id)?;
        areas.push(ProposalArea {
            name: area.id.get_ref().trim().to_string(),
            line: line(area.id.span()),
            declared: area.amount.as_ref().map(|amount| declared("amount", amount)).transpose()?,
            interventions,
        });
    }
    if areas.is_empty() {
        return Err(InputError::file(&input.label, "has no [[areas]], expected at least one"));
    }
    let region = match raw.region {
        None => None,
        Some(region) => match region.get_ref() {
            toml::Value::String(text) => {
                crate::io::names::check(text.trim())
                    .map_err(|err| reader.error(region.span(), format!("`region`: {err}")))?;
                Some(text.clone())
            }
            toml::Value::Integer(code) => Some(code.to_string()),
            _ => return Err(reader.error(region.span(), "`region`: expected a code or name, e.g. \"23\"".to_string())),
        },
    };
    Ok(Proposal { source: input.label.clone(), region, unit, unit_source, total, areas, lines: Lines::Text })
}

/// Why an id that says there is none (`-`, `Saknas`) is refused: an outcome row naming its
/// intervention `-` would be booked on it.
fn no_id(written: &str) -> String {
    format!(
        "`{written}` says there is no id, but fordela would read it as one (an outcome row written `{written}` \
         would be booked on this intervention): leave the id out for an intervention without one"
    )
}

/// A TOML string that names something (an area, an intervention): refused at its place if it
/// holds a character that does not show, or a bidi control (see `io::names`).
fn visible_name(reader: &AmountReader<'_>, field: &str, name: &Spanned<String>) -> Result<(), InputError> {
    crate::io::names::check(name.get_ref().trim())
        .map(|_| ())
        .map_err(|err| reader.error(name.span(), format!("`{field}`: {err}")))
}

const AREA: &[&str] = &["area", "område", "utvecklingsområde", "omrade"];
const INTERVENTION: &[&str] = &["intervention", "insats", "åtgärd", "aktivitet"];
/// The amount column's names: a plain word, or a unit alone (`Mkr`). Its header may add the
/// unit to a plain word (`Belopp (tkr)`, `Amount, MSEK`, `Belopp i miljoner kronor`).
const AMOUNT: &[&str] = &["amount", "belopp", "summa", "mkr", "tkr", "kr", "msek", "tsek", "sek", "kronor"];
/// An intervention's own id, read where a header names it (never guessed from a field's place).
const ID: &[&str] = &["id", "nr", "insatsnr", "insatsnummer", "insats-id"];
const COLUMNS: [Column<'static>; 4] = [
    Column::required(AREA).holding_names(),
    Column::required(INTERVENTION).holding_names(),
    Column::required(AMOUNT).with_qualifier().with_decimals(),
    Column::optional(ID).holding_names(),
];

/// The largest amount a plan may state: 10¹⁸ of its unit, beyond any grant, and small enough
/// that sums of any number of them stay exact (a `Decimal` holds 7,9·10²⁸). At most 12
/// decimals (a hundredth of an öre in mkr), so that the plan's precision can be computed.
fn plan_amount(amount: Decimal, text: &dyn std::fmt::Display) -> Result<Decimal, String> {
    if amount.abs() > Decimal::from(1_000_000_000_000_000_000u64) {
        Err(format!("`{text}` is too large for a plan (more than 10^18)"))
    } else if amount.scale() > 12 {
        Err(format!("`{text}` has more than 12 decimals"))
    } else {
        Ok(amount)
    }
}

/// Whether a name is a total word as a spreadsheet writes it: `Totalt`, `Summa:`, `Totalt (mkr)`.
fn is_total_word(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    let lower = lower.strip_suffix(':').unwrap_or(&lower).trim_end();
    // A unit in brackets after the word: `Totalt (mkr)`, `Summa [tkr]`.
    let word = match lower.split_once(['(', '[']) {
        Some((word, unit)) if unit.ends_with([')', ']']) && unit_in_words(unit).is_some() => word.trim_end(),
        _ => lower,
    };
    is_sum_label(word)
}

/// A name that is not a total word but reads like a sum (`Totalsumma`, `Delsumma`, `Totalt
/// omställning`, `Σ`): counted as an intervention it would add the area's money to itself.
fn looks_like_sum(text: &str) -> bool {
    if is_total_word(text) {
        return false;
    }
    let lower = text.trim().to_lowercase();
    let first_word = lower.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    is_sum_label(first_word)
        || lower.starts_with(['Σ', 'σ', '∑'])
        || first_word.starts_with("summa")
        || first_word.ends_with("summa")
}

/// Refuses a field that looks like a sum row but is not one fordela reads as such.
fn refuse_sum_lookalike(input: &Input, line: usize, field: &str, text: &str) -> Result<(), InputError> {
    if looks_like_sum(text) {
        return Err(InputError::at(
            &input.label,
            line,
            None,
            format!(
                "field `{field}`: `{text}` looks like a sum row; fordela reads `Totalt` rows as the area's declared \
                 amount (and a `Totalt` row with no area as the plan's): name it `Totalt` or remove the row"
            ),
        ));
    }
    Ok(())
}

fn parse_csv(input: &Input) -> Result<Proposal, InputError> {
    let mut table = CsvTable::open_optional_header(input, &COLUMNS, OtherColumns::Refused)?;
    let unit = header_unit(&table)
        .map_err(|message| InputError::at(&input.label, table.header_line().unwrap_or(1), None, message))?;
    let unit_source = unit
        .and(table.header(2))
        .map(|header| format!("its header `{header}` on line {}", table.header_line().unwrap_or(1)));
    // An English-locale export groups thousands with `,`, whether it separates fields with `,`
    // or with tabs ("Text (Tab delimited)"); Swedish Excel's `;` files use it as the decimal.
    let comma = if matches!(table.delimiter(), b',' | b'\t') { Comma::Ambiguous } else { Comma::Decimal };
    let mut areas: Vec<ProposalArea> = Vec::new();
    // Each area's place by its name in ASCII lower case (as it is compared): a plan of many
    // areas is not read in time squared.
    let mut area_at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut total: Option<Declared> = None;
    while let Some(record) = table.next_record()? {
        let line = record.line;
        let (area, intervention, amount_text) = (record.field(0), record.field(1), record.field(2));
        refuse_sum_lookalike(input, line, "area", area)?;
        refuse_sum_lookalike(input, line, "intervention", intervention)?;
        let amount = parse_unambiguous(amount_text, comma)
            .map_err(|err| err.to_string())
            .and_then(|amount| plan_amount(amount, &amount_text))
            .map_err(|err| InputError::at(&input.label, line, record.column(2), format!("field `amount`: {err}")))?;
        // A plan-wide sum row: `Totalt;;30,6` or `Totalt;Totalt;30,6`.
        if is_total_word(area) && (intervention.is_empty() || is_total_word(intervention)) {
            if let Some(first) = &total {
                return Err(InputError::at(
                    &input.label,
                    line,
                    None,
                    format!("a second plan total (the first is on line {})", first.line),
                ));
            }
            total = Some(Declared { amount, line, from_total_row: true, comment: record.comment() });
            continue;
        }
        if area.is_empty() {
            let column = record.column(0);
            return Err(InputError::at(
                &input.label,
                line,
                column,
                "field `area` is empty, expected an area id or name",
            ));
        }
        // One area however its name is written (case, spacing, composed letters): found in a map
        // by its key, not by a search per row.
        let index = *area_at.entry(crate::io::names::key(area)).or_insert_with(|| {
            areas.push(ProposalArea { name: area.to_string(), line, declared: None, interventions: Vec::new() });
            areas.len() - 1
        });
        let entry = &mut areas[index];
        if is_total_word(intervention) {
            if let Some(first) = &entry.declared {
                return Err(InputError::at(
                    &input.label,
                    line,
                    None,
                    format!("a second `{intervention}` row for area `{area}` (the first is on line {})", first.line),
                ));
            }
            entry.declared = Some(Declared { amount, line, from_total_row: true, comment: record.comment() });
        } else if intervention.is_empty() {
            return Err(InputError::at(
                &input.label,
                line,
                None,
                "field `intervention` is empty, expected a name or `Totalt`",
            ));
        } else {
            let id = record.field(3);
            if crate::io::names::is_placeholder(id) {
                return Err(InputError::at(&input.label, line, record.column(3), format!("field `id`: {}", no_id(id))));
            }
            entry.interventions.push(Intervention {
                id: (!id.is_empty()).then(|| id.to_string()),
                name: intervention.to_string(),
                amount,
                line,
                comment: record.comment(),
            });
        }
    }
    if areas.is_empty() {
        return Err(InputError::file(&input.label, "has no rows, expected `area;intervention;amount` rows"));
    }
    Ok(Proposal { source: input.label.clone(), region: None, unit, unit_source, total, areas, lines: input.lines() })
}

/// The unit the amount column's header names, if any: `Mkr`, `Belopp (tkr)`, `Amount (MSEK)`,
/// `Belopp i miljoner kronor`. A header that adds something other than a unit is an error:
/// fordela must not read `Belopp (EUR)` or `Belopp 2020` as a plain amount.
fn header_unit(table: &CsvTable<'_>) -> Result<Option<Unit>, String> {
    let Some(header) = table.header(2) else { return Ok(None) };
    match table.qualifier(2) {
        None => Ok(header.parse::<Unit>().ok()),
        Some(addition) => unit_in_words(addition).map(Some).ok_or_else(|| {
            format!(
                "the header `{header}` names the amount column, but fordela does not understand `{addition}` as \
                 its unit: write kr, tkr or mkr (e.g. `Belopp (mkr)`), or name the column `belopp` and pass --unit"
            )
        }),
    }
}

/// A unit written out in words: `mkr`, `(MSEK)`, `i miljoner kronor`, `SEK thousands`,
/// `tusental kr`.
pub fn unit_in_words(text: &str) -> Option<Unit> {
    const FILLER: &[&str] = &["i", "in", "of", "av"];
    const THOUSANDS: &[&str] = &["tusen", "tusental", "tusentals", "thousand", "thousands", "k", "t", "000", "1000"];
    const MILLIONS: &[&str] =
        &["miljon", "miljoner", "miljontals", "milj", "mn", "mnkr", "mio", "mln", "m", "million", "millions"];
    const CURRENCY: &[&str] = &["kr", "kronor", "sek"];
    let text = text.to_lowercase();
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty() && !FILLER.contains(word)).collect();
    match words.as_slice() {
        ["ksek"] => Some(Unit::Tkr),
        [single] => single.parse().ok(),
        [scale, currency] | [currency, scale] if CURRENCY.contains(currency) => {
            if THOUSANDS.contains(scale) {
                Some(Unit::Tkr)
            } else if MILLIONS.contains(scale) {
                Some(Unit::Mkr)
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn excel_csv_with_swedish_header_and_total_rows() {
        let text = "\u{feff}Område;Insats;Belopp\r\nomstallning;Zamsyn;1\r\nomstallning;Strategi;10,5\r\nomstallning;Totalt;11,5\r\n\r\n;;\r\nTotalt;;11,5\r\n";
        let proposal = parse_proposal(&Input::from_text("plan.csv", text)).unwrap();
        assert_eq!(proposal.areas.len(), 1);
        let area = &proposal.areas[0];
        assert_eq!(area.interventions[1].amount, dec("10.5"));
        assert_eq!(area.interventions[1].line, 3);
        assert_eq!(area.declared.as_ref().unwrap().amount, dec("11.5"));
        assert_eq!(proposal.total.as_ref().unwrap().line, 7);
        assert_eq!(proposal.decimals(), 1);
    }

    #[test]
    fn headerless_csv_is_read_in_column_order() {
        let proposal = parse_proposal(&Input::from_text("p.csv", "a;x;1,25\na;y;2\n")).unwrap();
        assert_eq!(proposal.areas[0].interventions.len(), 2);
        assert_eq!(proposal.decimals(), 2);
    }

    #[test]
    fn units_in_words() {
        for (text, unit) in [
            ("(mkr)", Some(Unit::Mkr)),
            ("(MSEK)", Some(Unit::Mkr)),
            ("i miljoner kronor", Some(Unit::Mkr)),
            ("SEK m", Some(Unit::Mkr)),
            ("millions of SEK", Some(Unit::Mkr)),
            ("tkr", Some(Unit::Tkr)),
            ("(tusental kr)", Some(Unit::Tkr)),
            ("SEK thousands", Some(Unit::Tkr)),
            ("KSEK", Some(Unit::Tkr)),
            ("(SEK 000)", Some(Unit::Tkr)),
            ("kr", Some(Unit::Kr)),
            ("i kronor", Some(Unit::Kr)),
            ("(EUR)", None),
            ("2019", None),
            ("(mkr, 2019)", None),
            ("miljoner", None),
        ] {
            assert_eq!(unit_in_words(text), unit, "{text}");
        }
    }

    #[test]
    fn comment_column_is_kept_as_text() {
        let text = "Område;Insats;Belopp;Kommentar\na;x;1,5;första\na;Totalt;1,5;summa\n";
        let proposal = parse_proposal(&Input::from_text("p.csv", text)).unwrap();
        let area = &proposal.areas[0];
        assert_eq!(area.interventions[0].amount, dec("1.5"));
        assert_eq!(area.interventions[0].comment.as_deref(), Some("första"));
        assert_eq!(area.declared.as_ref().unwrap().comment.as_deref(), Some("summa"));
        assert_eq!(proposal.unit, None);
    }

    #[test]
    fn toml_floats_stay_exact() {
        let text = "region = \"23\"\nunit = \"MSEK\"\ntotal = 5.8\n[[areas]]\nid = \"a\"\namount = 5.8\ninterventions = [{ name = \"x\", amount = 0.8 }, { name = \"y\", amount = \"5\" }]\n";
        let proposal = parse_proposal(&Input::from_text("p.toml", text)).unwrap();
        assert_eq!(proposal.total.unwrap().amount, dec("5.8"));
        assert_eq!(proposal.areas[0].interventions[0].amount, dec("0.8"));
        assert_eq!(proposal.areas[0].interventions[1].line, 7);
    }
}
