//! Agreement TOML → validated `Agreement`: every amount an exact whole number of rounding
//! units, and the areas adding up to the total.

use crate::core::amount::{NumberStyle, RoundingUnit, Unit, UnitsError};
use crate::core::apportion::Method;
use crate::core::date::Date;
use crate::io::error::InputError;
use crate::io::input::Input;
use crate::io::names;
use crate::io::number::{Comma, parse_scientific, parse_unambiguous};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;
use toml::Spanned;

/// A validated agreement. Amounts are counts of `rounding` units.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub name: String,
    /// Where it was read from (path or `bundled:id`).
    pub source: String,
    /// The document the figures come from, if the file names it.
    pub reference: Option<String>,
    pub unit: Unit,
    pub rounding: RoundingUnit,
    pub total: u128,
    pub population_date: Date,
    /// Figures of another date to use, stated in the agreement file with its reason.
    pub substitute: Option<Substitute>,
    /// The `population` field as written (a path relative to the agreement file).
    pub population: Option<String>,
    pub areas: Vec<Area>,
    /// Default method of every area (largest remainder unless the file says otherwise).
    pub method: Method,
    pub ties: TiePolicy,
    pub eligibility: Option<Eligibility>,
}

/// What to do when equal claims decide a unit.
/// Also the values of `--ties`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TiePolicy {
    /// Decide by the documented rule and report it.
    #[default]
    Rule,
    /// Refuse: the agreement must be settled by people (or lots).
    Error,
}

/// Regions that get nothing (the 2018 payout paid only regions that met a requirement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eligibility {
    /// Codes or names, as written; resolved against the population table.
    pub excluded: Vec<String>,
    pub policy: ExclusionPolicy,
    pub reason: Option<String>,
    /// Where the names come from, so that an unknown one is blamed there.
    pub origin: ExclusionOrigin,
}

/// Where a list of excluded regions was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExclusionOrigin {
    /// The agreement's `excluded`: its file, and the line of each name.
    Agreement { file: String, lines: Vec<usize> },
    /// `--exclude`.
    CommandLine,
}

/// Also the values of `--exclusion-policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExclusionPolicy {
    /// Their share is divided among the others by the same key.
    Redistribute,
    /// Their share is kept back, on a line of its own.
    Withhold,
}

/// What an area is divided by: one integer column of the population file (`equal` gives every
/// region the same weight), or parts of the area each divided by its own key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Column(String),
    /// (weight of the part, key): the area is first split among the parts by their weights.
    Mix(Vec<(u64, String)>),
}

impl Key {
    /// The population-file columns this key reads.
    pub fn columns(&self) -> Vec<&str> {
        match self {
            Key::Column(column) => vec![column.as_str()],
            Key::Mix(parts) => parts.iter().map(|(_, column)| column.as_str()).collect(),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Key::Column(column) => column.clone(),
            Key::Mix(parts) => {
                // Summed in 128 bits: three weights near 2⁶⁴ would wrap in 64.
                let total: u128 = parts.iter().map(|(weight, _)| u128::from(*weight)).sum();
                let text: Vec<String> =
                    parts.iter().map(|(weight, column)| format!("{weight}/{total} by {column}")).collect();
                text.join(", ")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitute {
    pub date: Date,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub id: String,
    pub name: String,
    /// The amount divided among the regions by the area's key (the file's `regions`).
    pub to_regions: u128,
    /// Amounts set aside for named recipients, not divided (the file's `other`).
    pub set_asides: Vec<SetAside>,
    /// This area's method, if not the agreement's.
    pub method: Option<Method>,
    pub key: Key,
    /// Units every eligible region gets before the rest is divided by key.
    pub base: u128,
    /// Least and most units any eligible region may get (base included).
    pub minimum: Option<u128>,
    pub maximum: Option<u128>,
    /// A rate per inhabitant (`per_capita`) instead of an amount: each region gets rate ×
    /// population exactly, and `to_regions` is their sum once the population is known.
    pub per_capita: Option<PerCapita>,
}

/// An area paid "in kronor per inhabitant".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerCapita {
    /// The rate in kronor, exact (`12,50` kr).
    pub kronor: Decimal,
    /// The unit the rate was written in (the file's, or its own suffix: `"12,50 kr"`).
    pub written_in: Unit,
    /// The area's amount as the file also states it (`regions`), in units: the sum of rate ×
    /// population must be this.
    pub declared: Option<u128>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub recipient: String,
    pub amount: u128,
}

impl Area {
    #[must_use]
    pub fn total(&self) -> u128 {
        self.to_regions + self.set_asides.iter().map(|set_aside| set_aside.amount).sum::<u128>()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreement {
    name: String,
    unit: Spanned<String>,
    total: Spanned<toml::Value>,
    population_date: Spanned<toml::value::Datetime>,
    population: Option<String>,
    rounding: Option<Spanned<String>>,
    source: Option<String>,
    population_date_substitute: Option<RawSubstitute>,
    method: Option<Spanned<String>>,
    ties: Option<Spanned<String>>,
    eligibility: Option<RawEligibility>,
    #[serde(default)]
    areas: Vec<Spanned<RawArea>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEligibility {
    excluded: Vec<Spanned<String>>,
    policy: Spanned<String>,
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    key: String,
    weight: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubstitute {
    date: Spanned<toml::value::Datetime>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    id: Spanned<String>,
    name: Option<Spanned<String>>,
    /// Required unless `per_capita` is given.
    regions: Option<Spanned<toml::Value>>,
    #[serde(default)]
    other: Vec<RawSetAside>,
    method: Option<Spanned<String>>,
    key: Option<String>,
    mix: Option<Spanned<Vec<RawPart>>>,
    base: Option<Spanned<toml::Value>>,
    minimum: Option<Spanned<toml::Value>>,
    maximum: Option<Spanned<toml::Value>>,
    /// A rate per inhabitant instead of (or beside) `regions`.
    per_capita: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSetAside {
    recipient: Spanned<String>,
    amount: Spanned<toml::Value>,
}

/// Reads TOML amounts exactly: integers, floats as their source text, Swedish strings.
pub struct AmountReader<'a> {
    pub input: &'a Input,
}

impl AmountReader<'_> {
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> InputError {
        InputError::at_offset(&self.input.label, &self.input.text, span.start, message)
    }

    /// The exact value of a TOML amount. A float is re-read from the file's text, so `5.8`
    /// is 5.8 and never 5.7999….
    pub fn decimal(&self, field: &str, value: &Spanned<toml::Value>) -> Result<Decimal, InputError> {
        let span = value.span();
        let fail = |message: String| self.error(span.clone(), format!("`{field}`: {message}"));
        match value.get_ref() {
            toml::Value::Integer(integer) => Ok(Decimal::from(*integer)),
            toml::Value::Float(_) => {
                let literal: String = self.input.text[span.clone()].chars().filter(|&c| c != '_').collect();
                // Exponent notation is shifted exactly, never rounded: a number with more digits
                // than a `Decimal` holds is refused with or without an exponent.
                let parsed = if literal.contains(['e', 'E']) {
                    parse_scientific(&literal)
                } else {
                    Decimal::from_str_exact(&literal).ok()
                };
                parsed.ok_or_else(|| fail(format!("{literal} cannot be held exactly")))
            }
            // A string is a person's number: `,` is the decimal comma, `1.000` is refused.
            toml::Value::String(text) => parse_unambiguous(text, Comma::Decimal).map_err(|err| fail(err.to_string())),
            other => Err(fail(format!(
                "expected an amount (a number, or a string such as \"2 430\"), found a {}",
                other.type_str()
            ))),
        }
    }

    /// The amount as a whole count of rounding units.
    pub fn units(
        &self,
        field: &str,
        value: &Spanned<toml::Value>,
        unit: Unit,
        rounding: RoundingUnit,
    ) -> Result<u128, InputError> {
        let amount = self.decimal(field, value)?;
        rounding.count(amount, unit).map_err(|err| {
            let why = match err {
                UnitsError::NotMultiple => format!("{err} ({})", rounding.describe()),
                UnitsError::Negative => format!("{err}: amounts cannot be below zero"),
                UnitsError::TooLarge => format!(
                    "{err}: with a rounding unit of {} an amount is at most {} {unit}, so that every figure \
                     stays exact (use a coarser `rounding`)",
                    rounding.describe(),
                    rounding.scaled(rounding.max_count(), unit).format(0, NumberStyle::SWEDISH)
                ),
            };
            self.error(value.span(), format!("`{field}` = {amount} {unit} {why}"))
        })
    }
}

pub fn date_of(input: &Input, value: &Spanned<toml::value::Datetime>) -> Result<Date, InputError> {
    let datetime = value.get_ref();
    match (datetime.date, datetime.time, datetime.offset) {
        (Some(date), None, None) => Date::new(date.year, date.month, date.day)
            .ok_or_else(|| InputError::at_offset(&input.label, &input.text, value.span().start, "not a real date")),
        _ => Err(InputError::at_offset(
            &input.label,
            &input.text,
            value.span().start,
            format!("expected a date such as 2018-11-01, found {datetime}"),
        )),
    }
}

/// Turns a TOML syntax or type error into an error pointing at its line and column.
pub fn toml_error(input: &Input, err: &toml::de::Error) -> InputError {
    let message = with_suggestion(err.message().trim());
    match err.span() {
        Some(span) => InputError::at_offset(&input.label, &input.text, span.start, message),
        None if message == "recursion limit" => deep_key_error(input),
        None => InputError::file(&input.label, message),
    }
}

/// Key parts the TOML reader follows before it gives up (its own limit, without a position).
const TOML_KEY_DEPTH: usize = 80;

/// The TOML reader stops at a dotted key of `TOML_KEY_DEPTH` parts without saying where: find
/// the first such line (its dots before `=`, or inside a `[table]` header).
fn deep_key_error(input: &Input) -> InputError {
    let deepest = input.text.lines().enumerate().find(|(_, line)| {
        let key = line.trim_start();
        let key = key.strip_prefix('[').unwrap_or_else(|| key.split('=').next().unwrap_or(""));
        key.matches('.').count() + 1 >= TOML_KEY_DEPTH
    });
    let message = format!(
        "a dotted key of {TOML_KEY_DEPTH} or more parts (`a.b.c…`) is nested deeper than the TOML reader follows; \
         no field of this file is nested more than two deep"
    );
    match deepest {
        Some((index, _)) => InputError::at(&input.label, index + 1, Some(1), message),
        None => InputError::file(&input.label, message),
    }
}

/// serde's "unknown field `totl`, expected one of `total`, …" plus the nearest name.
fn with_suggestion(message: &str) -> String {
    // Every way the TOML reader says an integer is out of its range (i64; u64 where a field is
    // u64): the same hint, since a string holds any amount.
    let integer_too_large = (message.starts_with("invalid type: integer") && message.contains("as i128"))
        || message == "u64 value was too large"
        || message == "integer number overflowed"
        || message.contains("number too large to fit in target type")
        || message.contains("number too small to fit in target type");
    if integer_too_large {
        return "the number is outside what a TOML integer holds (-9223372036854775808 to 9223372036854775807): \
                write it as a string, e.g. \"99 999 999 999 999 999 999\""
            .to_string();
    }
    if message.ends_with("expected a TOML datetime") {
        let hint = if message.starts_with("invalid type: string") {
            "a date is written without quotes, e.g. population_date = 2018-11-01"
        } else {
            "write the date as a TOML date, without quotes, e.g. population_date = 2018-11-01"
        };
        return format!("{message}: {hint}");
    }
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some((unknown, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match crate::io::suggest::nearest(unknown, candidates.iter().copied()) {
        Some(name) => format!("{message}; did you mean `{name}`?"),
        None => message.to_string(),
    }
}

/// Words a plan's table reads as its sum rows: an area called so could not be planned.
const PLAN_TOTAL_WORDS: &[&str] = &["total", "totalt", "summa", "sum"];

/// A plan names an area by its id or its name, as names are compared (`io::names`): each
/// must lead to one area, and none may read as a plan's `Totalt` row.
fn distinct_area_names(reader: &AmountReader<'_>, raw: &[Spanned<RawArea>], areas: &[Area]) -> Result<(), InputError> {
    for (index, area) in areas.iter().enumerate() {
        let span = raw[index].get_ref().id.span();
        if PLAN_TOTAL_WORDS.iter().any(|word| names::same(&area.id, word) || names::same(&area.name, word)) {
            return Err(reader.error(
                span,
                format!(
                    "area `{}` is called `{}`, which a plan's table reads as a sum row ({}): choose another name",
                    area.id,
                    if PLAN_TOTAL_WORDS.iter().any(|word| names::same(&area.id, word)) { &area.id } else { &area.name },
                    PLAN_TOTAL_WORDS.join(", ")
                ),
            ));
        }
        for earlier in &areas[..index] {
            let same = names::same;
            let clash = if same(&area.name, &earlier.id) {
                Some(format!("its name `{}` is the id of area `{}`", area.name, earlier.id))
            } else if same(&area.id, &earlier.name) {
                Some(format!("its id is the name `{}` of area `{}`", earlier.name, earlier.id))
            } else if same(&area.name, &earlier.name) {
                Some(format!("its name `{}` is also the name of area `{}`", area.name, earlier.id))
            } else {
                None
            };
            if let Some(clash) = clash {
                return Err(reader.error(
                    span,
                    format!("area `{}`: {clash}, and a plan names areas by id or name: rename one", area.id),
                ));
            }
        }
    }
    Ok(())
}

/// The fixed columns of the allocation's CSV and table: an area id is a column beside them.
const RESERVED_COLUMNS: &[&str] = &["code", "region", "population", "share", "total"];

/// Why a set-aside recipient's name cannot be used: it would read as one of the output's
/// total rows, or as one of the regions the area is divided among.
fn reserved_recipient(recipient: &str) -> Option<String> {
    const TOTAL_WORDS: &[&str] = &["total", "totalt", "summa", "sum", "withheld"];
    let first_word = recipient.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_lowercase();
    if TOTAL_WORDS.contains(&first_word.as_str()) {
        return Some(
            "reads like one of the output's total rows (`Total`, `Withheld (not eligible)`): name the recipient \
             itself"
                .to_string(),
        );
    }
    if crate::core::region::is_formal_county_name(recipient) {
        return Some(
            "is the name of a region, which the area's `regions` amount already pays by population: name the other \
             recipient, or raise `regions`"
                .to_string(),
        );
    }
    None
}

/// One `[[areas]]` table, validated.
fn parse_area(
    reader: &AmountReader<'_>,
    area: &RawArea,
    unit: Unit,
    rounding: RoundingUnit,
    seen: &mut HashSet<String>,
) -> Result<Area, InputError> {
    let id = area.id.get_ref().trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return Err(reader.error(
            area.id.span(),
            format!("area id `{id}` must be short ascii (letters, digits, `_`, `-`): it names a CSV column"),
        ));
    }
    if RESERVED_COLUMNS.iter().any(|reserved| id.eq_ignore_ascii_case(reserved)) {
        return Err(reader.error(
            area.id.span(),
            format!(
                "area id `{id}` is the name of one of the output's fixed columns ({}), so its column could not be \
                 told from that one: choose another id",
                RESERVED_COLUMNS.join(", ")
            ),
        ));
    }
    // Plans name an area by id or name, in any case: two areas that read alike could never be
    // told apart.
    if let Some(other) = seen.iter().find(|known| names::same(known, id)) {
        let message = if other == id {
            format!("area id `{id}` is used twice")
        } else {
            format!("area id `{id}` differs from `{other}` only in case: plans could not tell them apart")
        };
        return Err(reader.error(area.id.span(), message));
    }
    seen.insert(id.to_string());
    if let Some(name) = &area.name {
        names::check(name.get_ref().trim())
            .map_err(|err| reader.error(name.span(), format!("area `{id}`: `name`: {err}")))?;
    }
    // Every later error names the area: line and column alone do not say which one it is.
    area_fields(reader, area, id, unit, rounding)
        .map_err(|err| InputError { message: format!("area `{id}`: {}", err.message), ..err })
}

/// The fields of one `[[areas]]` table after its id, validated.
fn area_fields(
    reader: &AmountReader<'_>,
    area: &RawArea,
    id: &str,
    unit: Unit,
    rounding: RoundingUnit,
) -> Result<Area, InputError> {
    let declared = area.regions.as_ref().map(|value| reader.units("regions", value, unit, rounding)).transpose()?;
    let per_capita =
        area.per_capita.as_ref().map(|rate| per_capita_of(reader, area, rate, unit, declared)).transpose()?;
    // A rate's amount is known once the population is: its sum replaces this then.
    let to_regions = declared.unwrap_or(0);
    let mut set_asides = Vec::with_capacity(area.other.len());
    for set_aside in &area.other {
        let recipient = set_aside.recipient.get_ref().trim();
        names::check(recipient)
            .map_err(|err| reader.error(set_aside.recipient.span(), format!("set-aside recipient: {err}")))?;
        if let Some(why) = reserved_recipient(recipient) {
            return Err(reader.error(set_aside.recipient.span(), format!("set-aside recipient `{recipient}` {why}")));
        }
        // A table (and `audit`) knows a set-aside by its recipient's name: two of one name in
        // an area could not be told apart.
        if let Some(first) = set_asides.iter().find(|known: &&SetAside| names::same(&known.recipient, recipient)) {
            return Err(reader.error(
                set_aside.recipient.span(),
                format!(
                    "set-aside recipient `{recipient}` is also `{}` above: one recipient has one set-aside in an \
                     area; write their sum as one",
                    first.recipient
                ),
            ));
        }
        set_asides.push(SetAside {
            recipient: recipient.to_string(),
            amount: reader.units("amount", &set_aside.amount, unit, rounding)?,
        });
    }
    let units = |field: &str, value: &Option<Spanned<toml::Value>>| -> Result<Option<u128>, InputError> {
        value.as_ref().map(|value| reader.units(field, value, unit, rounding)).transpose()
    };
    let key = match (&area.key, &area.mix) {
        (Some(_), Some(mix)) => {
            return Err(reader.error(mix.span(), "give `key` or `mix`, not both"));
        }
        (_, Some(mix)) => {
            if mix.get_ref().is_empty() || mix.get_ref().iter().all(|part| part.weight == 0) {
                return Err(reader.error(mix.span(), "`mix` needs at least one part with a weight above zero"));
            }
            Key::Mix(mix.get_ref().iter().map(|part| (part.weight, part.key.trim().to_string())).collect())
        }
        (Some(key), None) => Key::Column(key.trim().to_string()),
        (None, None) => Key::Column("population".to_string()),
    };
    let (minimum, maximum) = (units("minimum", &area.minimum)?, units("maximum", &area.maximum)?);
    if let (Some(low), Some(high)) = (minimum, maximum) {
        if low > high {
            let span = area.minimum.as_ref().map_or(0..0, Spanned::span);
            return Err(reader.error(span, "`minimum` is above `maximum`"));
        }
    }
    if matches!(key, Key::Mix(_)) && (minimum.is_some() || maximum.is_some()) {
        return Err(reader.error(area.id.span(), "`minimum`/`maximum` work with one `key`, not with a `mix`"));
    }
    Ok(Area {
        id: id.to_string(),
        name: area.name.as_ref().map_or_else(|| id.to_string(), |name| name.get_ref().clone()),
        to_regions,
        set_asides,
        method: area.method.as_ref().map(|text| method_of(reader, text)).transpose()?,
        key,
        base: units("base", &area.base)?.unwrap_or(0),
        minimum,
        maximum,
        per_capita,
    })
}

/// `per_capita = "12,50"` (in the file's unit) or `"12,50 kr"` (in its own): a rate, which
/// takes the place of a key and its rules.
fn per_capita_of(
    reader: &AmountReader<'_>,
    area: &RawArea,
    rate: &Spanned<toml::Value>,
    unit: Unit,
    declared: Option<u128>,
) -> Result<PerCapita, InputError> {
    let fail = |message: String| reader.error(rate.span(), format!("`per_capita`: {message}"));
    let ruled_out = [
        ("key", area.key.is_some()),
        ("mix", area.mix.is_some()),
        ("method", area.method.is_some()),
        ("base", area.base.is_some()),
        ("minimum", area.minimum.is_some()),
        ("maximum", area.maximum.is_some()),
    ];
    if let Some((field, _)) = ruled_out.iter().find(|(_, given)| *given) {
        return Err(fail(format!(
            "a rate per inhabitant pays each region rate × population, so `{field}` has nothing to do here: remove \
             one of the two"
        )));
    }
    let (value, written_in) = match rate.get_ref() {
        toml::Value::String(text) => {
            let trimmed = text.trim();
            let split = trimmed.rfind(|c: char| c.is_ascii_digit()).map_or(0, |at| at + 1);
            let (number, suffix) = trimmed.split_at(split);
            let written_in = if suffix.trim().is_empty() {
                unit
            } else {
                suffix.trim().parse().map_err(|err: crate::io::number::AmountError| fail(err.to_string()))?
            };
            let value = parse_unambiguous(number, Comma::Decimal).map_err(|err| fail(err.to_string()))?;
            (value, written_in)
        }
        _ => (reader.decimal("per_capita", rate)?, unit),
    };
    if value.is_sign_negative() || value.is_zero() {
        return Err(fail(format!("the rate is {value} {written_in}, expected a rate above zero")));
    }
    let kronor =
        value.checked_mul(written_in.kronor()).ok_or_else(|| fail(format!("{value} {written_in} is too large")))?;
    Ok(PerCapita { kronor: kronor.normalize(), written_in, declared })
}

fn method_of(reader: &AmountReader<'_>, text: &Spanned<String>) -> Result<Method, InputError> {
    Method::parse(text.get_ref()).ok_or_else(|| {
        reader.error(text.span(), format!("unknown method `{}`, expected one of: {}", text.get_ref(), Method::NAMES))
    })
}

/// The agreement's `rounding`, 1 kr when absent. A bare `0,1` would be read in kr whatever
/// `unit` says: in an mkr agreement a step a million times finer than meant, so a unit is
/// required unless the amounts are in kr.
fn rounding_of(
    reader: &AmountReader<'_>,
    text: Option<&Spanned<String>>,
    unit: Unit,
) -> Result<RoundingUnit, InputError> {
    let Some(text) = text else { return Ok(RoundingUnit::KRONA) };
    if unit != Unit::Kr && !RoundingUnit::names_unit(text.get_ref()) {
        return Err(reader.error(
            text.span(),
            format!(
                "`rounding = \"{}\"` has no unit, and this agreement's amounts are in {unit}: write {}",
                text.get_ref(),
                RoundingUnit::unit_hint(text.get_ref(), unit)
            ),
        ));
    }
    RoundingUnit::parse(text.get_ref()).map_err(|err| reader.error(text.span(), format!("`rounding`: {err}")))
}

fn eligibility_of(reader: &AmountReader<'_>, eligibility: &RawEligibility) -> Result<Eligibility, InputError> {
    let input = reader.input;
    for name in &eligibility.excluded {
        names::check(name.get_ref().trim()).map_err(|err| reader.error(name.span(), format!("`excluded`: {err}")))?;
    }
    Ok(Eligibility {
        excluded: eligibility.excluded.iter().map(|name| name.get_ref().trim().to_string()).collect(),
        policy: match eligibility.policy.get_ref().trim() {
            "redistribute" => ExclusionPolicy::Redistribute,
            "withhold" => ExclusionPolicy::Withhold,
            other => {
                return Err(reader.error(
                    eligibility.policy.span(),
                    format!("`policy` is `{other}`, expected \"redistribute\" or \"withhold\""),
                ));
            }
        },
        reason: eligibility.reason.clone(),
        origin: ExclusionOrigin::Agreement {
            file: input.label.clone(),
            lines: eligibility
                .excluded
                .iter()
                .map(|name| input.text[..name.span().start].matches('\n').count() + 1)
                .collect(),
        },
    })
}

pub fn parse_agreement(input: &Input) -> Result<Agreement, InputError> {
    let raw: RawAgreement = toml::from_str(&input.text).map_err(|err| toml_error(input, &err))?;
    let reader = AmountReader { input };
    let unit: Unit = raw
        .unit
        .get_ref()
        .parse()
        .map_err(|err: crate::io::number::AmountError| reader.error(raw.unit.span(), err.to_string()))?;
    let rounding = rounding_of(&reader, raw.rounding.as_ref(), unit)?;
    let total = reader.units("total", &raw.total, unit, rounding)?;
    let population_date = date_of(input, &raw.population_date)?;
    let substitute = match &raw.population_date_substitute {
        Some(substitute) => {
            Some(Substitute { date: date_of(input, &substitute.date)?, reason: substitute.reason.clone() })
        }
        None => None,
    };

    if raw.areas.is_empty() {
        return Err(InputError::file(&input.label, "has no [[areas]], expected at least one"));
    }
    let mut seen = HashSet::new();
    let mut areas = Vec::with_capacity(raw.areas.len());
    for area in &raw.areas {
        if area.get_ref().regions.is_none() && area.get_ref().per_capita.is_none() {
            // As the TOML reader says it of any other field, where the area's table begins.
            return Err(reader.error(area.span(), "missing field `regions`"));
        }
        areas.push(parse_area(&reader, area.get_ref(), unit, rounding, &mut seen)?);
    }
    distinct_area_names(&reader, &raw.areas, &areas)?;

    // Each amount is at most `max_count` (below 2⁹⁶) units: the sum of a file's worth fits.
    let sum: u128 = areas.iter().map(Area::total).sum();
    // A rate's amount is known once the population is: then the split checks the total.
    let rates_open = areas.iter().any(|area| area.per_capita.as_ref().is_some_and(|rate| rate.declared.is_none()));
    if sum != total && !rates_open {
        // The sum (and so the difference) may pass what can be shown exactly: say so instead.
        let show = |units: u128| match rounding.try_scaled(units, unit) {
            Some(scaled) => scaled.format(0, NumberStyle::SWEDISH),
            None => {
                format!("more than {}", rounding.scaled(rounding.max_count(), unit).format(0, NumberStyle::SWEDISH))
            }
        };
        let (sign, difference) = if sum > total { ("+", sum - total) } else { ("-", total - sum) };
        return Err(reader.error(
            raw.total.span(),
            format!(
                "`total` is {} {unit}, but the areas (regions and set-asides) add up to {} {unit}: \
                 difference {sign}{} {unit}",
                show(total),
                show(sum),
                show(difference)
            ),
        ));
    }
    if areas.iter().all(|area| area.to_regions == 0 && area.per_capita.is_none()) {
        return Err(reader.error(
            raw.total.span(),
            "no area gives the regions anything (every `regions` is zero): there is nothing to divide",
        ));
    }
    if total == 0 {
        return Err(reader.error(raw.total.span(), "`total` is zero: there is nothing to divide"));
    }

    let method = raw.method.as_ref().map(|text| method_of(&reader, text)).transpose()?.unwrap_or_default();
    let ties = match &raw.ties {
        None => TiePolicy::Rule,
        Some(text) => match text.get_ref().trim() {
            "rule" => TiePolicy::Rule,
            "error" => TiePolicy::Error,
            other => {
                return Err(reader.error(text.span(), format!("`ties` is `{other}`, expected \"rule\" or \"error\"")));
            }
        },
    };
    let eligibility = raw.eligibility.as_ref().map(|eligibility| eligibility_of(&reader, eligibility)).transpose()?;
    Ok(Agreement {
        method,
        ties,
        eligibility,
        name: raw.name,
        source: input.label.clone(),
        reference: raw.source,
        unit,
        rounding,
        total,
        population_date,
        substitute,
        population: raw.population,
        areas,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Agreement, InputError> {
        parse_agreement(&Input::from_text("a.toml", text))
    }

    const HEAD: &str = "name = \"T\"\nunit = \"MSEK\"\npopulation_date = 2018-12-31\n";

    #[test]
    fn floats_are_read_as_written() {
        let agreement = parse(&format!(
            "{HEAD}total = 11.6\n[[areas]]\nid = \"a\"\nregions = 5.8\n[[areas]]\nid = \"b\"\nregions = \"5,8\"\n"
        ))
        .unwrap();
        assert_eq!(agreement.total, 11_600_000);
        assert_eq!(agreement.areas[0].to_regions, 5_800_000);
        assert_eq!(agreement.areas[1].to_regions, 5_800_000);
    }

    #[test]
    fn areas_must_add_up_to_total() {
        let err = parse(&format!("{HEAD}total = 10\n[[areas]]\nid = \"a\"\nregions = 9.5\n")).unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(err.message.contains("10 mkr"), "{}", err.message);
        assert!(err.message.contains("9,5 mkr"), "{}", err.message);
        assert!(err.message.contains("-0,5 mkr"), "{}", err.message);
    }

    #[test]
    fn amounts_must_be_whole_rounding_units() {
        let err =
            parse(&format!("{HEAD}rounding = \"1000 kr\"\ntotal = 1.0005\n[[areas]]\nid = \"a\"\nregions = 1.0005\n"))
                .unwrap_err();
        assert!(err.message.contains("not a whole multiple"), "{}", err.message);
        assert_eq!((err.line, err.column), (Some(5), Some(9)));
    }
}
