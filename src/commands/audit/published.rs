//! The published table `audit` reads: recipients by code and/or name, and one amount column
//! per area (as `allocate` writes it) or a single amount column. Read through `CsvTable`, so
//! the header is matched by name, a unit in a header (`Belopp (tkr)`) is read, and no field is
//! dropped: a column fordela does not read is refused, `population` and `share` columns are
//! kept as "not audited" in the report.

use crate::core::amount::Unit;
use crate::core::date::Date;
use crate::core::proposal::unit_in_words;
use crate::io::csvin::{Column, CsvTable, OtherColumns, is_sum_label};
use crate::io::error::InputError;
use crate::io::input::Input;
use crate::io::number::{Comma, parse_unambiguous};
use rust_decimal::Decimal;

const CODE: &[&str] = &["code", "kod", "länskod", "regionkod", "kommunkod"];
const NAME: &[&str] = &["region", "name", "namn", "län", "county", "recipient", "mottagare", "kommun"];
const POPULATION: &[&str] = &["population", "befolkning", "folkmängd", "invånare"];
const SHARE: &[&str] = &["share", "andel"];
const TOTAL: &[&str] = &["total", "totalt"];
/// A single amount column's names: a plain word, or a unit alone (`tkr`); each may carry its
/// unit (`Summa (kr)`, `Fördelning, tkr`).
pub const AMOUNT: &[&str] = &[
    "amount",
    "belopp",
    "summa",
    "kronor",
    "fördelning",
    "tilldelning",
    "medel",
    "bidrag",
    "mkr",
    "tkr",
    "kr",
    "msek",
    "tsek",
    "sek",
];

/// The largest amount a table may state: 10¹⁸ of its unit, beyond any grant; at most 12
/// decimals, so that a step is a power of ten that sums stay exact in.
const LARGEST: u64 = 1_000_000_000_000_000_000;
const MOST_DECIMALS: u32 = 12;

/// The amount columns to look for: one per area (its id or its name), or a single one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountColumns {
    /// One per area, `(id, name)`, in the agreement's order; the table may hold some of them.
    Areas(Vec<(String, String)>),
    /// One amount column (`belopp`, `amount`, `Belopp (tkr)`, …).
    Single,
    /// The one amount column `--column` names (its unit left out: `Belopp (tkr)` is `Belopp`;
    /// matched in any case), in a table that may have others. Those are not read (they must hold numbers),
    /// and neither is a `total` column: it adds up columns that are not audited.
    Named(String),
}

impl AmountColumns {
    /// `--column NAME`: the header's name without a unit written after it (`Landsbygdssatsning
    /// (kr)` is `landsbygdssatsning`, whose unit the header then gives).
    #[must_use]
    pub fn named(name: &str) -> AmountColumns {
        let name = name.trim();
        let bare = name.split_once(['(', '[', ',']).map_or(name, |(bare, _)| bare).trim();
        AmountColumns::Named(bare.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Recipient,
    /// `Totalt`, `Summa`: checked against the rows, never read as a recipient.
    Sum,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRow {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub kind: RowKind,
    /// One amount per column, exactly as written (in the table's unit).
    pub amounts: Vec<Decimal>,
    /// The population the row states (a `population` column), checked against the file's.
    pub population: Option<u64>,
    /// The share the row states, in per cent as written (its decimals kept: `3.6790` is
    /// rounded to four), checked against the file's population share.
    pub share: Option<Decimal>,
    /// The row's comment columns (`kommentar`), kept with it into every output.
    pub comment: Option<String>,
}

impl PublishedRow {
    /// How the row names its recipient, for messages: `01 Stockholms län`, `1`, `SKR`.
    #[must_use]
    pub fn written(&self) -> String {
        match (self.code.is_empty(), self.name.is_empty()) {
            (false, false) => format!("{} {}", self.code, self.name),
            (false, true) => self.code.clone(),
            _ => self.name.clone(),
        }
    }
}

/// The table as read: its unit, the finest decimals it writes, the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub label: String,
    pub unit: Unit,
    /// The most decimals any amount shows (trailing zeros aside): the table's step is
    /// `10^-decimals` of its unit.
    pub decimals: u32,
    /// For each amount column, the index of its area in `AmountColumns::Areas` (0 for a single
    /// column), in the table's order of reading.
    pub areas: Vec<usize>,
    /// Each amount column's header as written.
    pub columns: Vec<String>,
    pub rows: Vec<PublishedRow>,
    /// Each row's `total` cell as written, when the table has that column.
    pub row_totals: Vec<Option<Decimal>>,
    /// Headers of columns read but not audited.
    pub not_audited: Vec<String>,
    /// Whether the rows' `line`s are lines of a text or rows of a sheet, for messages.
    pub lines: crate::io::lines::Lines,
}

impl Published {
    /// The grand total row, the last sum row when no recipient row follows it (as a sum row
    /// adds up, see `audit`): its line, its label as written, and its first amount.
    #[must_use]
    pub fn grand_total(&self) -> Option<(usize, String, Decimal)> {
        let last = self.rows.iter().rposition(|row| row.kind == RowKind::Sum)?;
        let row = &self.rows[last];
        let below = &self.rows[last + 1..];
        if below.iter().any(|row| row.kind == RowKind::Recipient) {
            return None;
        }
        let label = if row.code.is_empty() { row.name.clone() } else { row.code.clone() };
        Some((row.line, label, *row.amounts.first()?))
    }
}

/// Every row's amounts (one per column) and its `total` cell, in steps.
pub type InSteps = (Vec<Vec<u128>>, Vec<Option<u128>>);

impl Published {
    /// Every row's amounts, and its `total` cell, as whole steps of `10^-decimals` of the
    /// table's unit (`decimals` below zero for a step coarser than the unit). An amount that is
    /// not a whole step is an error: the table is not written to that step.
    pub fn cells_in_steps(&self, decimals: i32) -> Result<InSteps, AuditError> {
        let steps = |amount: Decimal, line: usize| {
            in_steps(amount, decimals).map_err(|why| AuditError::Row {
                table: self.label.clone(),
                line,
                message: format!("`{amount}` {why}"),
            })
        };
        let cells = self
            .rows
            .iter()
            .map(|row| row.amounts.iter().map(|&amount| steps(amount, row.line)).collect())
            .collect::<Result<Vec<Vec<u128>>, _>>()?;
        let totals = self
            .row_totals
            .iter()
            .zip(&self.rows)
            .map(|(total, row)| total.map(|amount| steps(amount, row.line)).transpose())
            .collect::<Result<Vec<Option<u128>>, _>>()?;
        Ok((cells, totals))
    }
}

/// `amount × 10^decimals` as a whole number, or why not.
fn in_steps(amount: Decimal, decimals: i32) -> Result<u128, &'static str> {
    const TOO_LARGE: &str = "is too large to audit exactly";
    let amount = amount.normalize();
    let mantissa = u128::try_from(amount.mantissa()).map_err(|_| "is negative")?;
    // amount = mantissa / 10^scale; in steps, mantissa · 10^(decimals − scale).
    let shift = i64::from(decimals) - i64::from(amount.scale());
    let power = |exponent: i64| u32::try_from(exponent).ok().and_then(|e| 10u128.checked_pow(e));
    if shift >= 0 {
        power(shift).and_then(|factor| mantissa.checked_mul(factor)).ok_or(TOO_LARGE)
    } else {
        match power(-shift) {
            Some(divisor) if mantissa % divisor == 0 => Ok(mantissa / divisor),
            // A power of ten past 128 bits divides no amount but zero.
            None if mantissa == 0 => Ok(0),
            _ => Err("is not a whole step of the table (see --step): it is written more finely than that"),
        }
    }
}

/// The unit a header's addition names, or an error naming the header.
fn header_unit(header: &str, addition: Option<&str>) -> Result<Option<Unit>, String> {
    match addition {
        None => Ok(header.parse::<Unit>().ok()),
        Some(addition) => unit_in_words(addition).map(Some).ok_or_else(|| {
            format!(
                "the header `{header}` names an amount column, but fordela does not understand `{addition}` as its \
                 unit: write kr, tkr or mkr (e.g. `Belopp (tkr)`), or leave the unit out and pass --unit"
            )
        }),
    }
}

/// The unit the amount (and `total`) columns' headers state, and --unit: they must be one.
fn table_unit(table: &CsvTable<'_>, amounts: impl Iterator<Item = usize>, flag: Option<Unit>) -> Result<Unit, String> {
    let mut units: Vec<(Unit, String)> = Vec::new();
    for index in amounts.chain(table.header(4).map(|_| 4)) {
        let header = table.header(index).unwrap_or_default().to_string();
        if let Some(found) = header_unit(&header, table.qualifier(index))? {
            units.push((found, header));
        }
    }
    if let Some(flag) = flag {
        units.push((flag, "--unit".to_string()));
    }
    let Some((unit, first_said)) = units.first().cloned() else {
        return Err("the table does not say its unit: pass --unit (kr, tkr or mkr), or write it in the header, e.g. \
                    `Belopp (tkr)`"
            .to_string());
    };
    if let Some((other, said_by)) = units.iter().find(|(other, _)| *other != unit) {
        return Err(format!(
            "`{first_said}` says {unit} but `{said_by}` says {other}: one table has one unit; correct the header or \
             --unit"
        ));
    }
    Ok(unit)
}

/// Why a header without an amount column cannot be read, and what it needs.
fn no_amount_column(wanted: &AmountColumns) -> String {
    let expected = match wanted {
        AmountColumns::Areas(areas) => {
            let ids: Vec<&str> = areas.iter().map(|(id, _)| id.as_str()).collect();
            format!("one column per area, headed by its id ({})", ids.join(", "))
        }
        AmountColumns::Single => "an amount column (`belopp`, `amount`, or e.g. `Belopp (tkr)`)".to_string(),
        AmountColumns::Named(name) => {
            return format!(
                "the header has no column `{name}` (--column): name one of its columns, as written in the header"
            );
        }
    };
    format!("the header has no amount column: expected {expected}")
}

/// The header fields of `input` that state a unit (`Befolkningsmängd (kr)`), read plainly from
/// its first line: only for the hint that a table of several amount columns needs `--column`.
fn unit_headers(input: &Input) -> Vec<String> {
    let Some(first) = input.text.lines().find(|line| !line.trim().is_empty()) else { return Vec::new() };
    let delimiter = char::from(crate::io::csvin::sniff_delimiter(first));
    first
        .split(delimiter)
        .map(|field| field.trim().trim_matches('"').trim())
        .filter(|field| {
            field.split_once('(').is_some_and(|(name, unit)| {
                let name = name.trim().to_lowercase();
                !name.is_empty()
                    && !TOTAL.contains(&name.as_str())
                    && unit_in_words(unit.trim_end_matches(')')).is_some()
            })
        })
        .map(ToString::to_string)
        .collect()
}

/// Opens the table. With a column chosen (`named`), the others (amounts of other grants, a
/// total) hold numbers and are left unread by the user's choice; otherwise every column is read
/// or refused, and a table refused for several amount columns is told about `--column`.
fn open<'a>(input: &'a Input, columns: &[Column<'_>], named: bool) -> Result<CsvTable<'a>, InputError> {
    let others = if named { OtherColumns::Numbers } else { OtherColumns::Refused };
    CsvTable::open(input, columns, others).map_err(|mut err| {
        let several = unit_headers(input);
        if !named && several.len() > 1 {
            err.message = format!(
                "{}; the table has {} amount columns ({}): audit one with --column NAME (against --total, \
                 --area, or the table's own total row)",
                err.message,
                several.len(),
                several.join(", ")
            );
        }
        err
    })
}

/// Reads `input`. `unit` is `--unit`: the unit of amounts whose headers do not say it; where a
/// header says it too, the two must agree.
pub fn read_published(input: &Input, wanted: &AmountColumns, unit: Option<Unit>) -> Result<Published, InputError> {
    let area_names: Vec<Vec<String>> = match wanted {
        AmountColumns::Areas(areas) => {
            // As a header is matched: in NFC, any case (`CsvTable`).
            let lower = |text: &str| crate::io::names::nfc(text.trim()).to_lowercase();
            areas.iter().map(|(id, name)| vec![lower(id), lower(name)]).collect()
        }
        AmountColumns::Single => vec![AMOUNT.iter().map(ToString::to_string).collect()],
        AmountColumns::Named(name) => vec![vec![name.to_lowercase()]],
    };
    let area_refs: Vec<Vec<&str>> = area_names.iter().map(|names| names.iter().map(String::as_str).collect()).collect();
    let named = matches!(wanted, AmountColumns::Named(_));
    // Recipient, not-audited and total columns first, then the amounts, whose order is the areas'.
    let mut columns = vec![
        Column::optional(CODE).holding_names(),
        Column::optional(NAME).holding_names(),
        Column::optional(POPULATION),
        Column::optional(SHARE),
        Column::optional(TOTAL).with_qualifier().with_decimals(),
    ];
    let first_amount = columns.len();
    columns.extend(area_refs.iter().map(|names| Column::optional(names).with_qualifier().with_decimals()));
    let mut table = open(input, &columns, named)?;
    let header_line = table.header_line().unwrap_or(1);
    let header_error = |message: String| InputError::at(&input.label, header_line, None, message);
    if table.header(0).is_none() && table.header(1).is_none() {
        return Err(header_error(
            "the header names no recipient column: write `code` (or `kod`) and/or `region` (or `namn`)".to_string(),
        ));
    }
    let present: Vec<usize> = (0..area_names.len()).filter(|&at| table.header(first_amount + at).is_some()).collect();
    if present.is_empty() {
        return Err(header_error(no_amount_column(wanted)));
    }
    let unit = table_unit(&table, present.iter().map(|&at| first_amount + at), unit).map_err(header_error)?;
    let not_audited = [2, 3].iter().filter_map(|&at| table.header(at).map(ToString::to_string)).collect();
    let headers: Vec<String> =
        present.iter().map(|&at| table.header(first_amount + at).unwrap_or_default().to_string()).collect();
    // A row's `total` adds up every amount column, so it is not checked when one is chosen
    // (its header's unit still must be the table's).
    let has_total = table.header(4).is_some() && !named;
    let comma = if matches!(table.delimiter(), b',' | b'\t') { Comma::Ambiguous } else { Comma::Decimal };
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    let mut decimals = 0u32;
    while let Some(record) = table.next_record()? {
        let line = record.line;
        let (code, name) = (record.field(0).to_string(), record.field(1).to_string());
        let kind = if is_sum_label(&code) || (code.is_empty() && is_sum_label(&name)) {
            RowKind::Sum
        } else {
            RowKind::Recipient
        };
        if kind == RowKind::Recipient && code.is_empty() && name.is_empty() {
            return Err(InputError::at(&input.label, line, None, "the row names no recipient: write its code or name"));
        }
        let mut amount_of = |index: usize, header: &str| -> Result<Decimal, InputError> {
            let text = record.field(index);
            let column = record.column(index);
            let at =
                |message: String| InputError::at(&input.label, line, column, format!("column `{header}`: {message}"));
            if text.is_empty() {
                return Err(at("empty amount: write 0 if the recipient gets nothing".to_string()));
            }
            let amount = parse_unambiguous(text, comma).map_err(|err| at(err.to_string()))?.normalize();
            if amount.is_sign_negative() && !amount.is_zero() {
                return Err(at(format!("`{text}` is negative; a distribution table pays out")));
            }
            if amount > Decimal::from(LARGEST) || amount.scale() > MOST_DECIMALS {
                return Err(at(format!("`{text}` is above 10^18 or has more than {MOST_DECIMALS} decimals")));
            }
            decimals = decimals.max(amount.scale());
            Ok(amount)
        };
        let amounts = present
            .iter()
            .zip(&headers)
            .map(|(&at, header)| amount_of(first_amount + at, header))
            .collect::<Result<Vec<_>, _>>()?;
        let total = if has_total { Some(amount_of(4, "total")?) } else { None };
        let (population, share) =
            stated(&record, comma).map_err(|message| InputError::at(&input.label, line, None, message))?;
        let comment = record.comment();
        rows.push(PublishedRow { line, code, name, kind, amounts, population, share, comment });
        totals.push(total);
    }
    if rows.iter().all(|row| row.kind == RowKind::Sum) {
        return Err(InputError::file(&input.label, "has no rows of recipients"));
    }
    Ok(Published {
        label: input.label.clone(),
        unit,
        decimals,
        areas: present,
        columns: headers,
        rows,
        row_totals: totals,
        not_audited,
        lines: input.lines(),
    })
}

/// A row's stated population (a whole number of people) and share (per cent, its written
/// decimals kept), when the table has those columns and the cell is not empty.
fn stated(record: &crate::io::csvin::Record<'_>, comma: Comma) -> Result<(Option<u64>, Option<Decimal>), String> {
    let read = |index: usize, header: &str| -> Result<Option<Decimal>, String> {
        let text = record.field(index);
        if text.is_empty() {
            return Ok(None);
        }
        let value = parse_unambiguous(text, comma).map_err(|err| format!("column `{header}`: {err}"))?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(format!("column `{header}`: `{text}` is negative"));
        }
        Ok(Some(value))
    };
    let population = read(2, "population")?
        .map(|people| {
            u64::try_from(people.normalize().mantissa())
                .ok()
                .filter(|_| people.normalize().scale() == 0)
                .ok_or_else(|| format!("column `population`: `{}` is not a whole number of people", record.field(2)))
        })
        .transpose()?;
    let share = read(3, "share")?;
    if share.is_some_and(|share| share > Decimal::ONE_HUNDRED) {
        return Err(format!("column `share`: `{}` is above 100 (a share is written in per cent)", record.field(3)));
    }
    Ok((population, share))
}

/// Why a table cannot be audited at all (bad input: exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    #[error("{table}, line {line}: {message}")]
    Row { table: String, line: usize, message: String },
    #[error(
        "column `{column}`: an amount times a population does not fit in 128 bits; write the table in a coarser unit"
    )]
    Overflow { column: String },
    #[error("{0}")]
    Apportion(String),
    #[error("the population has no figures for {date}")]
    NoFigures { date: Date },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, wanted: &AmountColumns, unit: Option<Unit>) -> Result<Published, InputError> {
        read_published(&Input::from_text("table.csv", text), wanted, unit)
    }

    #[test]
    fn a_unit_in_the_header_is_the_tables_and_must_agree_with_the_flag() {
        let table = read(
            "Kod;Region;Belopp (tkr)\n01;Stockholms län;1 234,5\n03;Uppsala län;17\n",
            &AmountColumns::Single,
            None,
        )
        .unwrap();
        assert_eq!((table.unit, table.decimals), (Unit::Tkr, 1));
        assert_eq!(table.cells_in_steps(1).unwrap().0, vec![vec![12_345], vec![170]]);
        // A step of 10 tkr: 17 tkr is no whole step, 1 234,5 not either.
        assert!(table.cells_in_steps(-1).unwrap_err().to_string().contains("line 2: `1234.5` is not a whole step"));
        let err = read("kod;belopp (tkr)\n01;5\n", &AmountColumns::Single, Some(Unit::Mkr)).unwrap_err();
        assert!(err.to_string().contains("says tkr but `--unit` says mkr"), "{err}");
        let err = read("kod;belopp\n01;5\n", &AmountColumns::Single, None).unwrap_err();
        assert!(err.to_string().contains("does not say its unit"), "{err}");
    }

    #[test]
    fn a_column_chosen_by_name_is_read_with_its_unit_and_the_others_left() {
        let text = "Län;Befolkningsmängd (kr);Landsbygdssatsning (kr);Totalt (kr)\nUppsala;10;5;15\nTotalt;10;5;15\n";
        for name in ["Landsbygdssatsning", "landsbygdssatsning (kr)", " LANDSBYGDSSATSNING, kr "] {
            let table = read(text, &AmountColumns::named(name), None).unwrap();
            assert_eq!(
                (table.unit, table.columns.as_slice()),
                (Unit::Kr, ["Landsbygdssatsning (kr)".to_string()].as_slice())
            );
            assert_eq!(table.rows[0].amounts, [Decimal::from(5)]);
            // The row's total adds up columns not audited: not checked.
            assert_eq!(table.row_totals, [None, None]);
            assert_eq!(table.grand_total(), Some((3, "Totalt".to_string(), Decimal::from(5))));
        }
        // Unchosen, the table's amount columns are named in the refusal.
        let err = read(text, &AmountColumns::Single, None).unwrap_err().to_string();
        assert!(
            err.contains("2 amount columns (Befolkningsmängd (kr), Landsbygdssatsning (kr)): audit one with --column"),
            "{err}"
        );
        let err = read(text, &AmountColumns::named("Landsbygd"), None).unwrap_err().to_string();
        assert!(err.contains("no column `Landsbygd` (--column)"), "{err}");
        // Common amount headers, each with its unit.
        for header in ["Summa (kr)", "Kronor", "Belopp, tkr", "Fördelning (kr)", "Tilldelning (mkr)"] {
            let table = read(&format!("region;{header}\nUppsala;5\n"), &AmountColumns::Single, None);
            assert!(table.is_ok(), "{header}: {table:?}");
        }
    }

    #[test]
    fn sum_rows_extra_columns_and_empty_cells() {
        let areas = AmountColumns::Areas(vec![("a".into(), "Område A".into()), ("b".into(), "Område B".into())]);
        let table = read("code,region,population,a,b\n01,X,5,1,2\n,Totalt,,1,2\n", &areas, Some(Unit::Kr)).unwrap();
        assert_eq!(table.rows[1].kind, RowKind::Sum);
        assert_eq!(table.not_audited, ["population"]);
        let err = read("code,region,a,extra\n01,X,1,2\n", &areas, Some(Unit::Kr)).unwrap_err();
        assert!(err.to_string().contains("`extra`"), "{err}");
        let err = read("code;a\n01;\n", &areas, Some(Unit::Kr)).unwrap_err();
        assert!(err.to_string().contains("line 2") && err.to_string().contains("empty amount"), "{err}");
        let err = read("code;a\n01;-5\n", &areas, Some(Unit::Kr)).unwrap_err();
        assert!(err.to_string().contains("negative"), "{err}");
    }
}
