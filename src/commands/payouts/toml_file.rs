//! Payout decisions as TOML, with each decision's requests beside it:
//!
//! ```toml
//! unit = "kr"      # optional: kr (default), tkr or mkr
//! year = 2019      # optional: the year of decisions without `from` and `to`
//!
//! [[decisions]]
//! provider = "Vårdcentral A"
//! area = "tillganglighet"
//! amount = 1000001             # or "1 000 001"
//! from = "2019Q1"
//! to = "2019Q4"
//! requests = [ { quarter = "2019Q1", amount = 250001 } ]
//! ```
//!
//! Every check is the CSV reader's (`payouts`): the same quarters, periods, amounts and
//! duplicates.

use super::schedule::{Decision, Request, add_decision, add_request, canonical_area, kronor_of, period};
use crate::core::agreement::{Agreement, AmountReader, toml_error};
use crate::core::amount::Unit;
use crate::core::quarter::Quarter;
use crate::io::error::{InputError, line_column};
use crate::io::input::Input;
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    unit: Option<Spanned<String>>,
    year: Option<Spanned<i64>>,
    #[serde(default)]
    decisions: Vec<RawDecision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    provider: Spanned<String>,
    area: Spanned<String>,
    amount: Spanned<toml::Value>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
    #[serde(default)]
    requests: Vec<RawRequest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    quarter: Spanned<String>,
    amount: Spanned<toml::Value>,
}

/// Whether `input` is a TOML decisions file: named `.toml`, or with a `[[decisions]]` table.
#[must_use]
pub fn is_toml(input: &Input) -> bool {
    input.label.to_lowercase().ends_with(".toml")
        || input.text.lines().any(|line| line.trim_start().starts_with("[[decisions"))
}

/// The decisions read, their requests, and the unit the file's amounts are in.
pub type Read = (Vec<Decision>, Vec<Request>, Unit);

/// Reads the decisions and their requests; `unit` and `year` are the flags, which the file's
/// own must not contradict. With an agreement, areas are its ids (as the CSV reader's).
pub fn read(
    input: &Input,
    unit: Option<Unit>,
    year: Option<u16>,
    agreement: Option<&Agreement>,
) -> Result<Read, InputError> {
    let raw: RawFile = toml::from_str(&input.text).map_err(|err| toml_error(input, &err))?;
    let reader = AmountReader { input };
    let line = |start: usize| line_column(&input.text, start).0;
    let own_unit = raw
        .unit
        .as_ref()
        .map(|text| text.get_ref().parse::<Unit>().map_err(|err| reader.error(text.span(), err.to_string())))
        .transpose()?;
    let unit = match (own_unit, unit) {
        (Some(own), Some(flag)) if own != flag => {
            let span = raw.unit.as_ref().map_or(0..0, Spanned::span);
            return Err(reader.error(
                span,
                format!("the file says its unit is {own}, but --unit says {flag}: drop --unit or correct the file"),
            ));
        }
        (Some(unit), _) | (None, Some(unit)) => unit,
        (None, None) => Unit::Kr,
    };
    let own_year = raw
        .year
        .as_ref()
        .map(|value| {
            u16::try_from(*value.get_ref())
                .ok()
                .filter(|year| (1900..=9999).contains(year))
                .ok_or_else(|| reader.error(value.span(), "`year`: expected a year such as 2019"))
        })
        .transpose()?;
    let year = match (own_year, year) {
        (Some(own), Some(flag)) if own != flag => {
            let span = raw.year.as_ref().map_or(0..0, Spanned::span);
            return Err(reader.error(span, format!("the file says its year is {own}, but --year says {flag}")));
        }
        (own, flag) => own.or(flag),
    };
    let amount = |field: &str, value: &Spanned<toml::Value>| -> Result<u128, InputError> {
        let exact = reader.decimal(field, value)?;
        kronor_of(exact, &exact.to_string(), unit)
            .map_err(|message| reader.error(value.span(), format!("`{field}`: {message}")))
    };
    let mut decisions = super::schedule::Decisions::default();
    let mut requests = super::schedule::Requests::default();
    for decision in &raw.decisions {
        let at = line(decision.provider.span().start);
        let (provider, area) = (decision.provider.get_ref().trim(), decision.area.get_ref().trim());
        if provider.is_empty() || area.is_empty() {
            let (field, span) = if provider.is_empty() {
                ("provider", decision.provider.span())
            } else {
                ("area", decision.area.span())
            };
            return Err(reader.error(span, format!("`{field}` is empty")));
        }
        // Names as the CSV reader takes them: a character that does not show is refused here.
        for (field, value) in [("provider", &decision.provider), ("area", &decision.area)] {
            crate::io::names::check(value.get_ref().trim())
                .map_err(|err| reader.error(value.span(), format!("`{field}`: {err}")))?;
        }
        let text =
            |value: &Option<Spanned<String>>| value.as_ref().map_or(String::new(), |value| value.get_ref().clone());
        let (first, last) = period(input, at, [None, None], (&text(&decision.from), &text(&decision.to)), year)?;
        let area = canonical_area(area, agreement, input, at)?;
        let decided = Decision {
            provider: provider.to_string(),
            area: area.clone(),
            amount: amount("amount", &decision.amount)?,
            first,
            last,
            line: at,
            comment: None,
        };
        add_decision(&mut decisions, decided, input)?;
        for request in &decision.requests {
            let quarter = Quarter::parse(request.quarter.get_ref())
                .map_err(|err| reader.error(request.quarter.span(), format!("`quarter`: {err}")))?;
            let request = Request {
                provider: provider.to_string(),
                area: area.clone(),
                quarter,
                amount: amount("amount", &request.amount)?,
                line: line(request.quarter.span().start),
                comment: None,
            };
            add_request(&mut requests, request, input)?;
        }
    }
    if decisions.list.is_empty() {
        return Err(InputError::file(&input.label, "has no [[decisions]], expected at least one"));
    }
    Ok((decisions.list, requests.list, unit))
}
