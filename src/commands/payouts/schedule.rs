//! Payouts to external providers: decisions (provider, area, amount, period) split into
//! quarterly instalments that add up exactly to each decision, and requests checked against
//! what is left of it (seed 001: "from the decided areas, money is paid quarterly on request").
//!
//! Money is whole kronor (u128). A decision of `A` kr over `n` quarters pays `A / n` kr each
//! quarter and one krona more in the first `A mod n` quarters: the largest-remainder split of
//! equal shares, its odd kronor to the earliest quarters (the provider has the money sooner,
//! and the later quarters are what a revised decision can still change). Instalments differ by
//! at most one krona.

use crate::core::agreement::Agreement;
use crate::core::amount::{RoundingUnit, Unit, UnitsError};
use crate::core::date::Date;
use crate::core::findings::Severity;
use crate::core::quarter::{PaymentDay, Quarter};
use crate::io::csvin::{Column, CsvTable, OtherColumns, is_sum_label};
use crate::io::error::InputError;
use crate::io::input::Input;
use crate::io::number::{Comma, parse_unambiguous};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// One decision: a provider's money for one area over a run of quarters in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub provider: String,
    pub area: String,
    /// Whole kronor, more than zero.
    pub amount: u128,
    pub first: Quarter,
    pub last: Quarter,
    pub line: usize,
    pub comment: Option<String>,
}

/// A request a provider has made: money for one quarter of one decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub provider: String,
    pub area: String,
    pub quarter: Quarter,
    pub amount: u128,
    pub line: usize,
    /// The row's note (a comment column), kept with it.
    pub comment: Option<String>,
}

/// `amount` kr split into `quarters` instalments: equal, the first `amount mod quarters` one
/// krona more. They add up to `amount` and differ by at most one.
///
/// # Panics
/// Never: `quarters` is at least one for any period `Quarter::through` gives (callers check).
#[must_use]
pub fn instalments(amount: u128, quarters: usize) -> Vec<u128> {
    assert!(quarters > 0, "a period has at least one quarter");
    let count = quarters as u128;
    let (each, odd) = (amount / count, amount % count);
    (0..count).map(|index| each + u128::from(index < odd)).collect()
}

// ---------------------------------------------------------------------------------------------
// Reading

const PROVIDER: &[&str] = &["provider", "utförare", "utforare", "vårdgivare", "vardgivare", "leverantör"];
const AREA: &[&str] = &["area", "område", "omrade", "utvecklingsområde"];
const AMOUNT: &[&str] =
    &["amount", "belopp", "beslutat", "decided", "mkr", "tkr", "kr", "msek", "tsek", "sek", "kronor"];
const FROM: &[&str] = &["from", "från", "fran"];
const TO: &[&str] = &["to", "till"];
const QUARTER: &[&str] = &["quarter", "kvartal"];

/// What decides the unit of a table's amounts: the header, else `--unit`; the two disagreeing
/// is an error. `None` when neither says.
fn stated_unit(
    table: &CsvTable<'_>,
    column: usize,
    flag: Option<Unit>,
    input: &Input,
) -> Result<Option<Unit>, InputError> {
    let header_line = table.header_line().unwrap_or(1);
    let header = table.header(column).unwrap_or("");
    let from_header = match table.qualifier(column) {
        Some(addition) => {
            let word = addition.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']') || c.is_whitespace());
            Some(word.parse::<Unit>().map_err(|_| {
                InputError::at(
                    &input.label,
                    header_line,
                    None,
                    format!(
                        "the header `{header}` names the amount column, but fordela does not understand `{addition}` \
                         as its unit: write kr, tkr or mkr (e.g. `belopp (tkr)`), or name the column `belopp` and \
                         pass --unit"
                    ),
                )
            })?)
        }
        None => header.parse::<Unit>().ok(),
    };
    match (from_header, flag) {
        (Some(own), Some(flag)) if own != flag => Err(InputError::at(
            &input.label,
            header_line,
            None,
            format!(
                "the header `{header}` says the amounts are in {own}, but --unit says {flag}: drop --unit or correct the header"
            ),
        )),
        (Some(unit), _) | (None, Some(unit)) => Ok(Some(unit)),
        (None, None) => Ok(None),
    }
}

/// The area a decision or request names: with an agreement, the id of the area it names by id
/// or by name (case and spacing aside), so that `omstallning` and `Omställning till god och
/// nära vård` are one area; without one, as written. An area the agreement does not have is an
/// error.
pub(crate) fn canonical_area(
    area: &str,
    agreement: Option<&Agreement>,
    input: &Input,
    line: usize,
) -> Result<String, InputError> {
    let Some(agreement) = agreement else {
        return Ok(area.to_string());
    };
    if let Some(known) = agreement.areas.iter().find(|known| same(&known.id, area) || same(&known.name, area)) {
        return Ok(known.id.clone());
    }
    let ids: Vec<&str> = agreement.areas.iter().map(|known| known.id.as_str()).collect();
    let hint = crate::io::suggest::nearest(area, ids.iter().copied())
        .map_or(String::new(), |near| format!("; did you mean `{near}`?"));
    Err(InputError::at(
        &input.label,
        line,
        None,
        format!("field `area`: `{area}` is not an area of {} (its areas: {}){hint}", agreement.name, ids.join(", ")),
    ))
}

/// An amount field in whole kronor, more than zero.
/// `column` names the field's cell, when the input is a sheet.
fn read_amount(
    input: &Input,
    (line, column): (usize, Option<usize>),
    text: &str,
    comma: Comma,
    unit: Unit,
) -> Result<u128, InputError> {
    let error = |message: String| InputError::at(&input.label, line, column, format!("field `amount`: {message}"));
    let value = parse_unambiguous(text, comma).map_err(|err| error(err.to_string()))?;
    kronor_of(value, text, unit).map_err(error)
}

/// An exact amount (written `text`) as whole kronor, more than zero; else why not.
pub(crate) fn kronor_of(value: Decimal, text: &str, unit: Unit) -> Result<u128, String> {
    if value.is_zero() {
        return Err(format!("`{text}` is zero: a decision or request pays something; remove it"));
    }
    RoundingUnit::KRONA.count(value, unit).map_err(|err| match err {
        UnitsError::Negative => format!("`{text}` is negative: write what is paid, more than zero"),
        UnitsError::NotMultiple => format!("`{text}` {unit} is not a whole number of kronor: payouts are whole kronor"),
        UnitsError::TooLarge => format!("`{text}` {unit} is too large to be held exactly"),
    })
}

/// A provider and an area as they are compared: by the names rule.
type Pair = (String, String);

fn pair(provider: &str, area: &str) -> Pair {
    (crate::io::names::key(provider), crate::io::names::key(area))
}

/// Decisions as they are read, each checked against those of its provider and area only: a
/// file of many rows is not read in time squared.
#[derive(Debug, Default)]
pub(crate) struct Decisions {
    pub(crate) list: Vec<Decision>,
    by_pair: HashMap<Pair, Vec<usize>>,
}

/// Adds `decision`, unless one of the same provider and area overlaps its period: decisions
/// are never added together silently.
pub(crate) fn add_decision(decisions: &mut Decisions, decision: Decision, input: &Input) -> Result<(), InputError> {
    let key = pair(&decision.provider, &decision.area);
    let same_pair = decisions.by_pair.get(&key).map_or(&[][..], Vec::as_slice);
    // The first overlapping one in the file, as a search from the top finds it.
    let overlapping = same_pair
        .iter()
        .map(|&at| &decisions.list[at])
        .find(|known| known.first <= decision.last && decision.first <= known.last);
    if let Some(known) = overlapping {
        return Err(InputError::at(
            &input.label,
            decision.line,
            None,
            format!(
                "a second decision for `{}` in `{}` over the same quarters (the first is on line {}): fordela does \
                 not add decisions together; write their sum as one decision, or make their periods distinct",
                decision.provider, decision.area, known.line
            ),
        ));
    }
    decisions.by_pair.entry(key).or_default().push(decisions.list.len());
    decisions.list.push(decision);
    Ok(())
}

fn comma_of(table: &CsvTable<'_>) -> Comma {
    // As the plan reader: `,` and tab files from English locales group thousands with `,`.
    if matches!(table.delimiter(), b',' | b'\t') { Comma::Ambiguous } else { Comma::Decimal }
}

fn quarter_field(
    input: &Input,
    (line, column): (usize, Option<usize>),
    field: &str,
    text: &str,
) -> Result<Quarter, InputError> {
    Quarter::parse(text).map_err(|err| InputError::at(&input.label, line, column, format!("field `{field}`: {err}")))
}

/// Reads decisions from CSV (`provider,area,amount,from,to` or `utförare;område;belopp;från;till`).
/// An empty `from` and `to` is the whole of `year`; a sum row (`Totalt`) must equal the
/// decisions above it. With an agreement, areas are its ids (see `canonical_area`). Returns
/// the decisions and the unit of their amounts (the header's, `unit`, else kr).
pub fn read_decisions(
    input: &Input,
    unit: Option<Unit>,
    year: Option<u16>,
    agreement: Option<&Agreement>,
) -> Result<(Vec<Decision>, Unit), InputError> {
    let columns = [
        Column::required(PROVIDER).holding_names(),
        Column::required(AREA).holding_names(),
        Column::required(AMOUNT).with_qualifier().with_decimals(),
        Column::optional(FROM),
        Column::optional(TO),
    ];
    let mut table = CsvTable::open(input, &columns, OtherColumns::Refused)?;
    let unit = stated_unit(&table, 2, unit, input)?.unwrap_or(Unit::Kr);
    let comma = comma_of(&table);
    let mut read = Decisions::default();
    let mut total_row: Option<(usize, u128)> = None;
    while let Some(record) = table.next_record()? {
        let line = record.line;
        let at = |message: String| InputError::at(&input.label, line, None, message);
        let (provider, area, amount, from, to) =
            (record.field(0), record.field(1), record.field(2), record.field(3), record.field(4));
        if is_sum_label(provider) {
            if let Some((first, _)) = total_row {
                return Err(at(format!("a second sum row (the first is on line {first})")));
            }
            total_row = Some((line, read_amount(input, (line, record.column(2)), amount, comma, unit)?));
            continue;
        }
        if provider.is_empty() {
            return Err(at("field `provider` is empty, expected the provider's name".to_string()));
        }
        if area.is_empty() {
            return Err(at("field `area` is empty, expected the decided area".to_string()));
        }
        let amount = read_amount(input, (line, record.column(2)), amount, comma, unit)?;
        let (first, last) = period(input, line, [record.column(3), record.column(4)], (from, to), year)?;
        let decision = Decision {
            provider: provider.to_string(),
            area: canonical_area(area, agreement, input, line)?,
            amount,
            first,
            last,
            line,
            comment: record.comment(),
        };
        add_decision(&mut read, decision, input)?;
    }
    let decisions = read.list;
    if decisions.is_empty() {
        return Err(InputError::file(&input.label, "has no decisions, expected `provider,area,amount,from,to` rows"));
    }
    if let Some((line, declared)) = total_row {
        let sum = checked_sum(decisions.iter().map(|decision| decision.amount))
            .ok_or_else(|| InputError::file(&input.label, "its amounts are too large to add up exactly"))?;
        if sum != declared {
            return Err(InputError::at(
                &input.label,
                line,
                None,
                format!(
                    "the sum row says {declared} kr, but the decisions above it add up to {sum} kr: correct the row or the decisions"
                ),
            ));
        }
    }
    Ok((decisions, unit))
}

/// A decision with no quarters and no year: the one error whose cure is `--year` alone.
pub(crate) const NO_YEAR: &str =
    "fields `from` and `to` are empty and no --year is given: write the quarters (2019Q1, 2019Q4) or pass --year";

/// A decision's first and last quarter: both written, or both empty for the whole `year`; in
/// order, and within one year. `columns` name the two fields' cells, when the input is a sheet.
pub(crate) fn period(
    input: &Input,
    line: usize,
    columns: [Option<usize>; 2],
    (from, to): (&str, &str),
    year: Option<u16>,
) -> Result<(Quarter, Quarter), InputError> {
    let at = |message: String| InputError::at(&input.label, line, None, message);
    let (first, last) = match (from.is_empty(), to.is_empty()) {
        (true, true) => {
            let year = year.ok_or_else(|| at(NO_YEAR.to_string()))?;
            (Quarter { year, number: 1 }, Quarter { year, number: 4 })
        }
        (false, false) => (
            quarter_field(input, (line, columns[0]), "from", from)?,
            quarter_field(input, (line, columns[1]), "to", to)?,
        ),
        (true, false) => {
            return Err(at(
                "field `from` is empty but `to` is not: write both quarters, or neither for the whole --year"
                    .to_string(),
            ));
        }
        (false, true) => {
            return Err(at(
                "field `to` is empty but `from` is not: write both quarters, or neither for the whole --year"
                    .to_string(),
            ));
        }
    };
    if first > last {
        return Err(at(format!("the period runs backwards: `from` {first} is after `to` {last}")));
    }
    if first.year != last.year {
        return Err(at(format!(
            "the period {first}–{last} spans several years: a decision is for one year's grant; write one row per year"
        )));
    }
    Ok((first, last))
}

/// Reads requests from CSV (`provider,area,quarter,amount` or `utförare;område;kvartal;belopp`).
/// Their unit is the header's or `unit`; a file saying neither is in the decisions' unit only
/// when that is kr (the default of both): a decisions file in tkr beside a requests file that
/// does not say is refused, never read one way or the other by guess. With an agreement,
/// areas are its ids, as the decisions'.
pub fn read_requests(
    input: &Input,
    unit: Option<Unit>,
    decisions: (&str, Unit),
    agreement: Option<&Agreement>,
) -> Result<Vec<Request>, InputError> {
    let columns = [
        Column::required(PROVIDER).holding_names(),
        Column::required(AREA).holding_names(),
        Column::required(QUARTER),
        Column::required(AMOUNT).with_qualifier().with_decimals(),
    ];
    let mut table = CsvTable::open(input, &columns, OtherColumns::Refused)?;
    let unit = match stated_unit(&table, 3, unit, input)? {
        Some(unit) => unit,
        None if decisions.1 == Unit::Kr => Unit::Kr,
        None => {
            let (label, unit) = decisions;
            return Err(InputError::at(
                &input.label,
                table.header_line().unwrap_or(1),
                None,
                format!(
                    "the requests do not say their unit, and the decisions ({label}) are in {unit}: write the unit \
                     in the header (e.g. `belopp ({unit})`) or pass --unit"
                ),
            ));
        }
    };
    let comma = comma_of(&table);
    let mut requests = Requests::default();
    while let Some(record) = table.next_record()? {
        let line = record.line;
        let (provider, area) = (record.field(0), record.field(1));
        if provider.is_empty() || area.is_empty() {
            let field = if provider.is_empty() { "provider" } else { "area" };
            return Err(InputError::at(&input.label, line, None, format!("field `{field}` is empty")));
        }
        let quarter = quarter_field(input, (line, record.column(2)), "quarter", record.field(2))?;
        let amount = read_amount(input, (line, record.column(3)), record.field(3), comma, unit)?;
        let request = Request {
            provider: provider.to_string(),
            area: canonical_area(area, agreement, input, line)?,
            quarter,
            amount,
            line,
            comment: record.comment(),
        };
        add_request(&mut requests, request, input)?;
    }
    Ok(requests.list)
}

/// Requests as they are read, each checked against its identical twin only.
#[derive(Debug, Default)]
pub(crate) struct Requests {
    pub(crate) list: Vec<Request>,
    first: HashMap<(Pair, Quarter, u128), usize>,
}

/// Adds `request`, unless an identical one (provider, area, quarter and amount) is there: a
/// row exported twice would otherwise be paid twice.
pub(crate) fn add_request(requests: &mut Requests, request: Request, input: &Input) -> Result<(), InputError> {
    let key = (pair(&request.provider, &request.area), request.quarter, request.amount);
    if let Some(&twin) = requests.first.get(&key) {
        let twin = &requests.list[twin];
        return Err(InputError::at(
            &input.label,
            request.line,
            None,
            format!(
                "the same request as line {}: {} for {} in {}, {} kr; a row exported twice would be paid twice: \
                 remove it, or if both are meant, write their sum on one row",
                twin.line, request.provider, request.area, request.quarter, request.amount
            ),
        ));
    }
    requests.first.insert(key, requests.list.len());
    requests.list.push(request);
    Ok(())
}

fn checked_sum(amounts: impl IntoIterator<Item = u128>) -> Option<u128> {
    amounts.into_iter().try_fold(0u128, u128::checked_add)
}

// ---------------------------------------------------------------------------------------------
// The schedule

/// Something the schedule found about the requests: each an error (exit 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum PayoutFinding {
    /// A request for more than is left of its decision, after the requests before it.
    RequestOver {
        provider: String,
        area: String,
        quarter: Quarter,
        #[serde(serialize_with = "as_text")]
        asked: u128,
        #[serde(serialize_with = "as_text")]
        left: u128,
        line: usize,
    },
    /// A request for a quarter outside its decision's period.
    RequestOutsidePeriod {
        provider: String,
        area: String,
        quarter: Quarter,
        #[serde(serialize_with = "as_text")]
        asked: u128,
        first: Quarter,
        last: Quarter,
        line: usize,
    },
}

/// Amounts in JSON are exact decimal strings, as everywhere in fordela's JSON.
fn as_text<S: serde::Serializer>(amount: &u128, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(amount)
}

impl PayoutFinding {
    /// Every payout finding is an error: a request beyond its decision, or outside its period,
    /// asks for money the decision does not give.
    #[must_use]
    pub fn severity(&self) -> Severity {
        Severity::Error
    }

    #[must_use]
    pub fn id(&self) -> &'static str {
        match self {
            PayoutFinding::RequestOver { .. } => "request-over",
            PayoutFinding::RequestOutsidePeriod { .. } => "request-outside-period",
        }
    }
}

/// What became of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Within what was left: paid.
    Accepted,
    /// More than was left: refused (a `request-over` finding).
    Over,
    /// For a quarter outside the decision's period: refused.
    OutsidePeriod,
}

/// One request in the ledger: in its decision's order (quarter, then file order), with what is
/// left of the decision after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerLine {
    pub provider: String,
    pub area: String,
    pub quarter: Quarter,
    pub asked: u128,
    pub line: usize,
    pub outcome: Outcome,
    pub left_after: u128,
    /// The request's note (a comment column).
    pub comment: Option<String>,
}

/// One line of the schedule: a decision, or a sum of decisions (an area, a provider, all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleLine {
    pub provider: String,
    pub area: String,
    /// Instalment per quarter of `Schedule::quarters` (zero outside the decision's period).
    pub cells: Vec<u128>,
    /// Per year of `Schedule::years`.
    pub by_year: Vec<u128>,
    /// The decision (or the sum of decisions): the sum of `cells`.
    pub total: u128,
    /// With requests: what was accepted so far, and what is left of the decision.
    pub requested: Option<u128>,
    pub left: Option<u128>,
    /// The decision's period and line in the file (decision lines only).
    pub period: Option<(Quarter, Quarter)>,
    pub line: Option<usize>,
    /// The decision's note (a comment column; decision lines only).
    pub comment: Option<String>,
}

/// The provider × quarter schedule, with its sums both ways.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub source: String,
    pub quarters: Vec<Quarter>,
    pub payment_dates: Vec<Date>,
    pub payment_day: PaymentDay,
    pub years: Vec<u16>,
    pub decisions: Vec<ScheduleLine>,
    /// Sums per area, per provider (in order of first appearance), and of everything.
    pub areas: Vec<ScheduleLine>,
    pub providers: Vec<ScheduleLine>,
    pub total: ScheduleLine,
    /// Whether requests were given (the `requested` and `left` columns).
    pub with_requests: bool,
    /// Every request and what became of it, decision by decision.
    pub ledger: Vec<LedgerLine>,
    pub findings: Vec<PayoutFinding>,
    /// Whether the requests' `line`s are lines of a text or rows of a sheet, for messages.
    pub requests_lines: crate::io::lines::Lines,
}

impl Schedule {
    /// The decisions (indices into `decisions`) a sum line adds up: those of its area, of its
    /// provider, or all of them for the total; a decision line is only itself.
    #[must_use]
    pub fn decisions_of(&self, line: &ScheduleLine) -> Vec<usize> {
        if line.line.is_some() {
            return self.decisions.iter().position(|decision| decision == line).into_iter().collect();
        }
        let matches = |name: &str, own: &str| name.is_empty() || same(name, own);
        (0..self.decisions.len())
            .filter(|&index| {
                let decision = &self.decisions[index];
                matches(&line.area, &decision.area) && matches(&line.provider, &decision.provider)
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error(
        "{file}, line {line}: a request from `{provider}` for `{area}`, but no decision for that provider and area{hint}"
    )]
    NoDecision { file: String, line: usize, provider: String, area: String, hint: String },
    #[error("the schedule's sums are too large to be held exactly")]
    TooLarge,
    /// Cannot happen: the columns are every decision's quarters. An error, never a panic.
    #[error("the schedule has no column for {0}")]
    NoColumn(Quarter),
}

/// The schedule's columns: the quarters any decision pays in, and their years.
struct Columns {
    quarters: Vec<Quarter>,
    years: Vec<u16>,
}

impl Columns {
    fn by_year(&self, cells: &[u128]) -> Result<Vec<u128>, ScheduleError> {
        self.years
            .iter()
            .map(|&year| {
                let of_year = self.quarters.iter().zip(cells).filter(|(quarter, _)| quarter.year == year);
                checked_sum(of_year.map(|(_, &cell)| cell)).ok_or(ScheduleError::TooLarge)
            })
            .collect()
    }

    /// A decision's line: its instalments in its quarters' columns.
    fn decision(&self, decision: &Decision, accepted: Option<u128>) -> Result<ScheduleLine, ScheduleError> {
        let period = decision.first.through(decision.last);
        let mut cells = vec![0u128; self.quarters.len()];
        for (quarter, instalment) in period.iter().zip(instalments(decision.amount, period.len())) {
            let column = self.quarters.binary_search(quarter).map_err(|_| ScheduleError::NoColumn(*quarter))?;
            cells[column] = instalment;
        }
        Ok(ScheduleLine {
            provider: decision.provider.clone(),
            area: decision.area.clone(),
            by_year: self.by_year(&cells)?,
            cells,
            total: decision.amount,
            requested: accepted,
            left: accepted.map(|accepted| decision.amount - accepted),
            period: Some((decision.first, decision.last)),
            line: Some(decision.line),
            comment: decision.comment.clone(),
        })
    }

    /// The sum of `members`, cell by cell and in each total.
    fn sum(&self, members: &[&ScheduleLine], provider: &str, area: &str) -> Result<ScheduleLine, ScheduleError> {
        let cells = (0..self.quarters.len())
            .map(|index| checked_sum(members.iter().map(|line| line.cells[index])).ok_or(ScheduleError::TooLarge))
            .collect::<Result<Vec<_>, _>>()?;
        let optional = |pick: fn(&ScheduleLine) -> Option<u128>| -> Result<Option<u128>, ScheduleError> {
            let values: Option<Vec<u128>> = members.iter().map(|line| pick(line)).collect();
            values.map(|values| checked_sum(values).ok_or(ScheduleError::TooLarge)).transpose()
        };
        Ok(ScheduleLine {
            provider: provider.to_string(),
            area: area.to_string(),
            by_year: self.by_year(&cells)?,
            total: checked_sum(members.iter().map(|line| line.total)).ok_or(ScheduleError::TooLarge)?,
            cells,
            requested: optional(|line| line.requested)?,
            left: optional(|line| line.left)?,
            period: None,
            line: None,
            comment: None,
        })
    }
}

/// The decision each request belongs to: of its provider and area, the one whose period holds
/// its quarter, else the one of its year, else the first (which reports it as outside its
/// period). A request of no decision is an error: none is left out.
fn owners(decisions: &[Decision], file: &str, requests: &[Request]) -> Result<Vec<usize>, ScheduleError> {
    // Each request looks among its provider and area's decisions only.
    let mut by_pair: HashMap<Pair, Vec<usize>> = HashMap::new();
    for (index, decision) in decisions.iter().enumerate() {
        by_pair.entry(pair(&decision.provider, &decision.area)).or_default().push(index);
    }
    requests
        .iter()
        .map(|request| {
            let candidates: &[usize] = by_pair.get(&pair(&request.provider, &request.area)).map_or(&[], Vec::as_slice);
            let holds =
                |index: &&usize| (decisions[**index].first..=decisions[**index].last).contains(&request.quarter);
            let of_year = |index: &&usize| decisions[**index].first.year == request.quarter.year;
            let chosen =
                candidates.iter().find(holds).or_else(|| candidates.iter().find(of_year)).or(candidates.first());
            if let Some(&index) = chosen {
                return Ok(index);
            }
            let keys: Vec<String> = decisions.iter().map(|d| format!("{} / {}", d.provider, d.area)).collect();
            let wanted = format!("{} / {}", request.provider, request.area);
            let hint = crate::io::suggest::nearest(&wanted, keys.iter().map(String::as_str))
                .map_or(String::new(), |near| format!("; did you mean `{near}`?"));
            Err(ScheduleError::NoDecision {
                file: file.to_string(),
                line: request.line,
                provider: request.provider.clone(),
                area: request.area.clone(),
                hint,
            })
        })
        .collect()
}

/// The names in `lines` by `pick`, each once (case aside), in order of first appearance, each
/// with its lines: grouped by the name's key, not by comparing every line with every name.
fn grouped(lines: &[ScheduleLine], pick: fn(&ScheduleLine) -> &str) -> Vec<(&str, Vec<&ScheduleLine>)> {
    let mut groups: Vec<(&str, Vec<&ScheduleLine>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for line in lines {
        let name = pick(line);
        let index = *at.entry(crate::io::names::key(name)).or_insert_with(|| {
            groups.push((name, Vec::new()));
            groups.len() - 1
        });
        groups[index].1.push(line);
    }
    groups
}

/// The schedule of `decisions`; `requests` (with their file's label) are checked against it.
pub fn schedule(
    source: &str,
    decisions: &[Decision],
    requests: Option<(&str, &[Request])>,
    payment_day: PaymentDay,
) -> Result<Schedule, ScheduleError> {
    let quarters: Vec<Quarter> = decisions
        .iter()
        .flat_map(|decision| decision.first.through(decision.last))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let years = quarters.iter().map(|quarter| quarter.year).collect::<BTreeSet<_>>().into_iter().collect();
    let columns = Columns { quarters, years };
    let owners = requests.map(|(file, requests)| owners(decisions, file, requests)).transpose()?;
    // Each decision's requests, in file order, handed out once (not looked for per decision).
    let mut own: Vec<Vec<&Request>> = vec![Vec::new(); decisions.len()];
    if let (Some((_, requests)), Some(owners)) = (requests, owners.as_ref()) {
        for (request, &owner) in requests.iter().zip(owners) {
            own[owner].push(request);
        }
    }
    let mut findings = Vec::new();
    let mut ledger = Vec::new();
    let mut lines = Vec::with_capacity(decisions.len());
    for (decision, own) in decisions.iter().zip(own) {
        let accepted = requests.is_some().then(|| check_requests(decision, own, &mut findings, &mut ledger));
        lines.push(columns.decision(decision, accepted)?);
    }
    let areas = grouped(&lines, |line| &line.area)
        .into_iter()
        .map(|(name, members)| columns.sum(&members, "", name))
        .collect::<Result<Vec<_>, _>>()?;
    let providers = grouped(&lines, |line| &line.provider)
        .into_iter()
        .map(|(name, members)| columns.sum(&members, name, ""))
        .collect::<Result<Vec<_>, _>>()?;
    let total = columns.sum(&lines.iter().collect::<Vec<_>>(), "", "")?;
    Ok(Schedule {
        source: source.to_string(),
        payment_dates: columns.quarters.iter().map(|quarter| quarter.payment_date(payment_day)).collect(),
        quarters: columns.quarters,
        payment_day,
        years: columns.years,
        decisions: lines,
        areas,
        providers,
        total,
        with_requests: requests.is_some(),
        ledger,
        findings,
        requests_lines: crate::io::lines::Lines::Text,
    })
}

/// Names compared as people write them: case and runs of spaces aside.
fn same(a: &str, b: &str) -> bool {
    crate::io::names::same(a, b)
}

/// The requests for `decision`, in quarter order (then file order), each against what is left
/// after those before it; returns what was accepted. A refused request is a finding and pays
/// nothing.
fn check_requests(
    decision: &Decision,
    mut own: Vec<&Request>,
    findings: &mut Vec<PayoutFinding>,
    ledger: &mut Vec<LedgerLine>,
) -> u128 {
    own.sort_by_key(|request| (request.quarter, request.line));
    let mut left = decision.amount;
    for request in own {
        let (provider, area) = (decision.provider.clone(), decision.area.clone());
        let outcome = if !(decision.first..=decision.last).contains(&request.quarter) {
            findings.push(PayoutFinding::RequestOutsidePeriod {
                provider: provider.clone(),
                area: area.clone(),
                quarter: request.quarter,
                asked: request.amount,
                first: decision.first,
                last: decision.last,
                line: request.line,
            });
            Outcome::OutsidePeriod
        } else if request.amount > left {
            findings.push(PayoutFinding::RequestOver {
                provider: provider.clone(),
                area: area.clone(),
                quarter: request.quarter,
                asked: request.amount,
                left,
                line: request.line,
            });
            Outcome::Over
        } else {
            left -= request.amount;
            Outcome::Accepted
        };
        ledger.push(LedgerLine {
            provider,
            area,
            quarter: request.quarter,
            asked: request.amount,
            line: request.line,
            outcome,
            left_after: left,
            comment: request.comment.clone(),
        });
    }
    decision.amount - left
}

/// An amount in whole kronor shown in `style` (the schedule's amounts are whole kronor).
#[must_use]
pub fn kronor(amount: u128, style: crate::core::amount::NumberStyle) -> String {
    crate::core::amount::Scaled { mantissa: amount, scale: 0 }.format(0, style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_kronor_go_to_the_earliest_quarters() {
        assert_eq!(instalments(1_000_001, 4), [250_001, 250_000, 250_000, 250_000]);
        assert_eq!(instalments(1_000_003, 4), [250_001, 250_001, 250_001, 250_000]);
        assert_eq!(instalments(5, 2), [3, 2]);
        assert_eq!(instalments(u128::MAX, 3).iter().try_fold(0u128, |a, b| a.checked_add(*b)), Some(u128::MAX));
    }
}
