//! Amounts and units: parsing Swedish and plain number styles exactly, and formatting exact
//! integer amounts back to text. No floats anywhere: text goes to `Decimal`, `Decimal` goes to
//! integer counts of the rounding unit, and display works on integers scaled by powers of ten.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use thiserror::Error;

/// The unit an amount is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Kr,
    Tkr,
    Mkr,
}

impl Unit {
    /// Power of ten that turns this unit into kronor.
    #[must_use]
    pub fn exponent(self) -> u32 {
        match self {
            Unit::Kr => 0,
            Unit::Tkr => 3,
            Unit::Mkr => 6,
        }
    }

    #[must_use]
    pub fn kronor(self) -> Decimal {
        Decimal::from(10u64.pow(self.exponent()))
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Unit::Kr => "kr",
            Unit::Tkr => "tkr",
            Unit::Mkr => "mkr",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Unit {
    type Err = AmountError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_lowercase().as_str() {
            "kr" | "sek" | "kronor" => Ok(Unit::Kr),
            "tkr" | "tsek" => Ok(Unit::Tkr),
            "mkr" | "msek" | "mnkr" => Ok(Unit::Mkr),
            _ => Err(AmountError::UnknownUnit(text.trim().to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AmountError {
    #[error("empty amount, expected a number such as 2 430 or 5,8")]
    Empty,
    #[error("`{0}` is not a number: unexpected character `{1}` (expected digits, one `,` or `.`)")]
    Character(String, char),
    #[error("`{0}` mixes `.` and `,`: write the decimal separator only (1234,5 or 1234.5)")]
    MixedSeparators(String),
    #[error("`{0}` has more than one decimal separator")]
    SeveralSeparators(String),
    #[error("`{0}` has a misplaced digit-group space: groups after the first must have 3 digits")]
    Grouping(String),
    #[error("{}", ambiguous_message(.0, *.1))]
    Ambiguous(String, char),
    #[error("`{0}` has too many digits to be held exactly")]
    TooLarge(String),
    #[error("unknown unit `{0}`, expected kr/SEK, tkr/TSEK or mkr/MSEK")]
    UnknownUnit(String),
    #[error("`{0}` is not a number (nan and inf are not amounts)")]
    NotFinite(String),
    #[error("rounding unit `{0}` must be more than zero")]
    NotPositive(String),
    #[error("rounding unit `{0}` is finer than 10^-22 kr, the finest fordela can show in every unit exactly")]
    TooFine(String),
}

/// Why a number shaped like `1.000` or `18,500` is refused, and what to write instead.
fn ambiguous_message(text: &str, separator: char) -> String {
    let (thousands, decimals, instead) = if separator == '.' {
        (
            "Swedish and German spreadsheets",
            "English ones",
            "a decimal number with the decimal comma (`2,344`) or a fourth decimal (`2.3440`)",
        )
    } else {
        (
            "English spreadsheets",
            "Swedish ones",
            "a decimal number with a fourth decimal (`2,3440`), or save the file with `;` as separator, where `,` \
             is the decimal comma",
        )
    };
    format!(
        "`{text}` could be read two ways, 1 000 times apart: with `{separator}` between thousands (as {thousands} \
         write it) or as a decimal mark (as {decimals} do); write a thousand without a separator (`1000` or \
         `1 000`), and {instead}"
    )
}

/// Characters Excel and word processors use between digit groups.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Parse an amount written by a person: `2430`, `2 430` (also with a non-breaking space),
/// `5,8`, `5.8`, `-5`, `−5` (Unicode minus, as Swedish Excel writes it).
/// Returns the exact value; sign checks are the caller's business.
pub fn parse_amount(text: &str) -> Result<Decimal, AmountError> {
    let original = text.trim_matches(|c: char| c.is_whitespace() || is_group_space(c));
    if original.is_empty() {
        return Err(AmountError::Empty);
    }
    let (negative, body) = match original.chars().next() {
        Some('-' | '\u{2212}') => (true, &original[original.chars().next().map_or(0, char::len_utf8)..]),
        Some('+') => (false, &original[1..]),
        _ => (false, original),
    };
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
        return Err(AmountError::NotFinite(original.to_string()));
    }
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    if commas > 0 && dots > 0 {
        return Err(AmountError::MixedSeparators(original.to_string()));
    }
    if commas + dots > 1 {
        return Err(AmountError::SeveralSeparators(original.to_string()));
    }
    let (int_part, frac_part) = match body.find([',', '.']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let digits = integer_digits(int_part, original)?;
    let mut plain = String::with_capacity(body.len() + 1);
    if negative {
        plain.push('-');
    }
    plain.push_str(if digits.is_empty() { "0" } else { &digits });
    if let Some(frac) = frac_part {
        if let Some(bad) = frac.chars().find(|c| !c.is_ascii_digit()) {
            return Err(AmountError::Character(original.to_string(), bad));
        }
        if digits.is_empty() && frac.is_empty() {
            return Err(AmountError::Character(original.to_string(), ','));
        }
        if !frac.is_empty() {
            plain.push('.');
            plain.push_str(frac);
        }
    } else if digits.is_empty() {
        return Err(AmountError::Empty);
    }
    Decimal::from_str_exact(&plain).map_err(|_| AmountError::TooLarge(original.to_string()))
}

/// What a `,` between digits means where a number was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comma {
    /// The Swedish decimal comma: a `;`- or tab-separated file, a TOML string (documented).
    Decimal,
    /// Either a decimal comma or an English thousands separator: a `,`-separated file, which
    /// is what an English-locale export writes (`"18,500"`).
    Ambiguous,
}

/// `text` read as `parse_amount` does, but refused when it could be read two ways: one to three
/// digits, a single `.` (or, where `comma` says so, a `,`) and exactly three digits (`1.000`,
/// `2.344`, `"18,500"`). That is a thousand to a Swedish or German writer and one to an English
/// one; either guess could be 1 000 times wrong, so the writer must say which.
pub fn parse_unambiguous(text: &str, comma: Comma) -> Result<Decimal, AmountError> {
    let value = parse_amount(text)?;
    match ambiguous_separator(text) {
        Some('.') => Err(AmountError::Ambiguous(text.trim().to_string(), '.')),
        Some(',') if comma == Comma::Ambiguous => Err(AmountError::Ambiguous(text.trim().to_string(), ',')),
        _ => Ok(value),
    }
}

/// The separator of a number shaped like a thousands group (`1.000`, `18,500`, `-2.344`): one to
/// three digits not starting with 0 (a thousands writer never writes `0.500`), one `.` or `,`,
/// exactly three digits. `12345.678` is not: a thousands writer would have grouped it all.
#[must_use]
pub fn ambiguous_separator(text: &str) -> Option<char> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || is_group_space(c));
    let body = text.strip_prefix(['-', '+', '\u{2212}']).unwrap_or(text);
    let at = body.find([',', '.'])?;
    let (whole, rest) = body.split_at(at);
    let fraction = &rest[1..];
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let grouped = (1..=3).contains(&whole.len())
        && !whole.starts_with('0')
        && digits(whole)
        && fraction.len() == 3
        && digits(fraction);
    grouped.then(|| rest.chars().next()).flatten()
}

/// Digits of the integer part with group spaces removed, checking that groups are 3 wide.
fn integer_digits(int_part: &str, original: &str) -> Result<String, AmountError> {
    let groups: Vec<&str> = int_part.split(is_group_space).collect();
    for (index, group) in groups.iter().enumerate() {
        if let Some(bad) = group.chars().find(|c| !c.is_ascii_digit()) {
            return Err(AmountError::Character(original.to_string(), bad));
        }
        let misplaced =
            if index == 0 { groups.len() > 1 && (group.is_empty() || group.len() > 3) } else { group.len() != 3 };
        if misplaced {
            return Err(AmountError::Grouping(original.to_string()));
        }
    }
    Ok(groups.concat())
}

/// An exact non-negative quantity written as `mantissa × 10^-scale`, formatted without
/// ever leaving integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scaled {
    pub mantissa: u128,
    pub scale: u32,
}

impl Scaled {
    /// Fewest decimals that show this value exactly.
    #[must_use]
    pub fn needed_decimals(self) -> u32 {
        let mut decimals = self.scale;
        let mut mantissa = self.mantissa;
        while decimals > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            decimals -= 1;
        }
        if mantissa == 0 { 0 } else { decimals }
    }

    /// Text with exactly `decimals` decimals (at least `needed_decimals`, so nothing is lost).
    #[must_use]
    pub fn format(self, decimals: u32, style: NumberStyle) -> String {
        let mut out = Vec::new();
        self.write(decimals, style, &mut out);
        // Only digits and the style's characters were written: always UTF-8.
        String::from_utf8(out).unwrap_or_default()
    }

    /// Appends the text of `format` to `out`, allocating nothing: a million-row CSV is mostly
    /// these numbers.
    pub fn write(self, decimals: u32, style: NumberStyle, out: &mut Vec<u8>) {
        let decimals = decimals.max(self.needed_decimals());
        // 64-bit arithmetic whenever the value fits: 128-bit division is a library call.
        let (integer, fraction) =
            if let (Ok(mantissa), Some(divisor)) = (u64::try_from(self.mantissa), 10u64.checked_pow(self.scale)) {
                (u128::from(mantissa / divisor), u128::from(mantissa % divisor))
            } else {
                let divisor = 10u128.pow(self.scale);
                (self.mantissa / divisor, self.mantissa % divisor)
            };
        let mut digits = itoa::Buffer::new();
        let integer_text = match u64::try_from(integer) {
            Ok(small) => digits.format(small),
            Err(_) => digits.format(integer),
        }
        .as_bytes();
        match style.group {
            Some(separator) if integer_text.len() > 3 => {
                let mut encoded = [0u8; 4];
                let separator = separator.encode_utf8(&mut encoded).as_bytes();
                for (index, &digit) in integer_text.iter().enumerate() {
                    if index > 0 && (integer_text.len() - index) % 3 == 0 {
                        out.extend_from_slice(separator);
                    }
                    out.push(digit);
                }
            }
            _ => out.extend_from_slice(integer_text),
        }
        if decimals == 0 {
            return;
        }
        let mut encoded = [0u8; 4];
        out.extend_from_slice(style.decimal.encode_utf8(&mut encoded).as_bytes());
        // `scale` digits with leading zeros, then cut or padded to `decimals`.
        let mut fraction_digits = itoa::Buffer::new();
        let fraction_text = fraction_digits.format(fraction).as_bytes();
        let scale = self.scale as usize;
        let leading_zeros = scale - fraction_text.len().min(scale);
        let decimals = decimals as usize;
        // A non-zero fraction's first digit is within `needed_decimals`, which `decimals` is at
        // least (see the top): so `leading_zeros < decimals`, and no digit is ever cut.
        let from_fraction = match decimals.checked_sub(leading_zeros) {
            Some(room) if fraction != 0 => fraction_text.len().min(room),
            _ => 0,
        };
        let zeros_before = leading_zeros.min(decimals);
        out.resize(out.len() + zeros_before, b'0');
        out.extend_from_slice(&fraction_text[..from_fraction]);
        out.resize(out.len() + decimals - zeros_before - from_fraction, b'0');
    }
}

/// An exact decimal as text with at least `decimals` decimals, `-` for negatives.
#[must_use]
pub fn format_decimal(value: Decimal, decimals: u32, style: NumberStyle) -> String {
    let value = value.normalize();
    let scaled = Scaled { mantissa: value.mantissa().unsigned_abs(), scale: value.scale() };
    let text = scaled.format(decimals, style);
    if value.is_sign_negative() && !value.is_zero() { format!("-{text}") } else { text }
}

/// A `Scaled` as a `Decimal`, if one holds it exactly (at most 28 decimals and 96 bits).
/// Amounts of a validated agreement always fit: `RoundingUnit::count` and `parse` see to it.
#[must_use]
pub fn scaled_to_decimal(scaled: Scaled) -> Option<Decimal> {
    let mantissa = i128::try_from(scaled.mantissa).ok()?;
    Decimal::try_from_i128_with_scale(mantissa, scaled.scale).ok()
}

/// The exact value of a number in exponent notation (`1.5e3`, `2E-2`), or `None` when it is
/// not one or has more digits than a `Decimal` holds exactly: the same number written out
/// (`1500`) is then refused as well, so nothing is rounded.
#[must_use]
pub fn parse_scientific(text: &str) -> Option<Decimal> {
    let (significand, exponent) = text.split_once(['e', 'E'])?;
    let exponent: i64 = exponent.strip_prefix('+').unwrap_or(exponent).parse().ok()?;
    let (negative, digits) = match significand.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, significand.strip_prefix('+').unwrap_or(significand)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The value is 0.`all` × 10^`point`: significant digits only, the point moved.
    let all = format!("{whole}{fraction}");
    let leading_zeros = all.len() - all.trim_start_matches('0').len();
    let all = all.trim_matches('0');
    if all.is_empty() {
        // Zero, with the decimals as written (`0.0e0` is tenths).
        let written = i64::try_from(fraction.len()).ok()?.checked_sub(exponent)?.clamp(0, 28);
        return Some(Decimal::new(0, u32::try_from(written).ok()?));
    }
    let point =
        i64::try_from(whole.len()).ok()?.checked_sub(i64::try_from(leading_zeros).ok()?)?.checked_add(exponent)?;
    // More than 29 integer digits or 28 decimals cannot be a `Decimal`: refuse before building
    // a string as long as the exponent.
    let length = i64::try_from(all.len()).ok()?;
    if point > 29 || length.checked_sub(point)? > 28 {
        return None;
    }
    let mut plain = String::with_capacity(all.len() + 40);
    if negative {
        plain.push('-');
    }
    if point <= 0 {
        plain.push_str("0.");
        plain.extend(std::iter::repeat_n('0', usize::try_from(-point).ok()?));
        plain.push_str(all);
    } else if point >= length {
        plain.push_str(all);
        plain.extend(std::iter::repeat_n('0', usize::try_from(point - length).ok()?));
    } else {
        let point = usize::try_from(point).ok()?;
        plain.push_str(&all[..point]);
        plain.push('.');
        plain.push_str(&all[point..]);
    }
    // The decimals as written count (`6.0e0` is tenths, `1.50e-1` thousandths): a plan's
    // precision is read from them. Zeros cut above are put back after the point.
    let written = i64::try_from(fraction.len()).ok()?.checked_sub(exponent)?;
    let decimals = i64::try_from(plain.split_once('.').map_or(0, |(_, after)| after.len())).ok()?;
    if written > decimals {
        if decimals == 0 {
            plain.push('.');
        }
        plain.extend(std::iter::repeat_n('0', usize::try_from(written - decimals).ok()?));
    }
    Decimal::from_str_exact(&plain).ok()
}

/// How numbers are written in one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberStyle {
    pub decimal: char,
    pub group: Option<char>,
}

impl NumberStyle {
    /// For people: `19 105 162`, `30,64`.
    pub const SWEDISH: NumberStyle = NumberStyle { decimal: ',', group: Some(' ') };
    /// For Swedish Excel: decimal comma, no grouping (a grouped number is read as text).
    pub const EXCEL: NumberStyle = NumberStyle { decimal: ',', group: None };
    /// For programs: `19105162`, `30.64`.
    pub const PLAIN: NumberStyle = NumberStyle { decimal: '.', group: None };
}

/// The unit all money is counted in internally: an exact amount of kronor, as
/// `mantissa × 10^-scale` kr (1 kr, 1000 kr, 0.1 MSEK = 100 000 kr, 0.01 kr).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundingUnit {
    kronor: Decimal,
}

impl RoundingUnit {
    pub const KRONA: RoundingUnit = RoundingUnit { kronor: Decimal::ONE };

    /// Decimals of a krona a rounding unit may have: 22, so that an amount shown in mkr has at
    /// most the 28 decimals a `Decimal` holds (plans are compared with it as a `Decimal`).
    pub const MAX_DECIMALS: u32 = 22;

    /// The largest exact amount shown, as `mantissa × 10^-scale`: the largest mantissa of a
    /// `Decimal` (2⁹⁶ − 1), so that every amount is also a `Decimal`, whatever the unit.
    pub const MAX_MANTISSA: u128 = (1 << 96) - 1;

    /// The most units of this rounding unit an amount may hold: beyond, its exact value in
    /// kronor would need more than `MAX_MANTISSA` digits' worth of mantissa.
    #[must_use]
    pub fn max_count(self) -> u128 {
        Self::MAX_MANTISSA / self.mantissa()
    }

    fn mantissa(self) -> u128 {
        // Positive by construction (`parse` refuses zero and below).
        self.kronor.mantissa().unsigned_abs()
    }

    /// Parse `"1 kr"`, `"1000 kr"`, `"0.1 MSEK"`, `"0,1 mkr"`.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        let trimmed = text.trim();
        let split = trimmed.rfind(|c: char| c.is_ascii_digit()).map_or(0, |at| at + 1);
        let (number, unit) = trimmed.split_at(split);
        let unit: Unit = if unit.trim().is_empty() { Unit::Kr } else { unit.parse()? };
        let value = parse_unambiguous(number, Comma::Decimal)?;
        let kronor =
            value.checked_mul(unit.kronor()).ok_or_else(|| AmountError::TooLarge(trimmed.to_string()))?.normalize();
        if kronor <= Decimal::ZERO {
            return Err(AmountError::NotPositive(trimmed.to_string()));
        }
        if kronor.scale() > Self::MAX_DECIMALS {
            return Err(AmountError::TooFine(trimmed.to_string()));
        }
        Ok(RoundingUnit { kronor })
    }

    /// Whether `text` names its unit (`0,1 mkr`, not `0,1`): a bare step is read in kr, which
    /// is right only where the amounts are in kr too.
    #[must_use]
    pub fn names_unit(text: &str) -> bool {
        text.trim().ends_with(|c: char| !c.is_ascii_digit())
    }

    /// A hint for a step written without a unit, `number` being what was written: the step as
    /// tenths of `unit` would read, and the same in kr.
    #[must_use]
    pub fn unit_hint(number: &str, unit: Unit) -> String {
        let number = number.trim();
        match parse_amount(number).ok().and_then(|value| value.checked_mul(unit.kronor())) {
            Some(kronor) if unit != Unit::Kr => {
                let kronor = kronor.normalize();
                let scaled = Scaled { mantissa: kronor.mantissa().unsigned_abs(), scale: kronor.scale() };
                format!("`{number} {unit}` or `{} kr`", scaled.format(0, NumberStyle::SWEDISH))
            }
            _ => format!("`{number} {unit}` or `{number} kr`"),
        }
    }

    #[must_use]
    pub fn kronor(self) -> Decimal {
        self.kronor
    }

    /// The number of rounding units in `amount` of `unit`, if it is a whole, non-negative count.
    pub fn count(self, amount: Decimal, unit: Unit) -> Result<u128, UnitsError> {
        let kronor = amount.checked_mul(unit.kronor()).ok_or(UnitsError::TooLarge)?;
        if kronor.is_sign_negative() && !kronor.is_zero() {
            return Err(UnitsError::Negative);
        }
        let count = kronor.checked_div(self.kronor).ok_or(UnitsError::TooLarge)?;
        // The division rounds when the result does not terminate; multiplying back proves
        // the count exact.
        let exact = count.fract().is_zero() && count.checked_mul(self.kronor) == Some(kronor);
        if !exact {
            return Err(UnitsError::NotMultiple);
        }
        count.to_u128().filter(|&count| count <= self.max_count()).ok_or(UnitsError::TooLarge)
    }

    /// `count` rounding units expressed in `unit`, exactly; `None` past `max_count`.
    #[must_use]
    pub fn try_scaled(self, count: u128, unit: Unit) -> Option<Scaled> {
        let mantissa = count.checked_mul(self.mantissa()).filter(|&mantissa| mantissa <= Self::MAX_MANTISSA)?;
        Some(Scaled { mantissa, scale: self.kronor.scale() + unit.exponent() })
    }

    /// `count` rounding units expressed in `unit`, exactly.
    ///
    /// # Panics
    /// If `count` is above `max_count`. Every amount of a validated agreement, and every sum
    /// of an allocation, is at most the agreement's total, which `count` has checked.
    #[must_use]
    pub fn scaled(self, count: u128, unit: Unit) -> Scaled {
        self.try_scaled(count, unit).expect("amounts are validated to be at most `max_count` units")
    }

    /// Human text such as `1 kr` or `100 000 kr`.
    #[must_use]
    pub fn describe(self) -> String {
        let scaled = self.scaled(1, Unit::Kr);
        format!("{} kr", scaled.format(0, NumberStyle::SWEDISH))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum UnitsError {
    #[error("is negative")]
    Negative,
    #[error("is not a whole multiple of the rounding unit")]
    NotMultiple,
    #[error("is too large")]
    TooLarge,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Whatever `decimals` is asked for, the text reads back as the same value: no digit is
        /// ever cut, only zeros added.
        #[test]
        fn formatting_never_loses_a_digit(mantissa in any::<u128>(), scale in 0u32..=28, decimals in 0u32..=30) {
            let scaled = Scaled { mantissa, scale };
            let text = scaled.format(decimals, NumberStyle::PLAIN);
            let written_scale = text.split_once('.').map_or(0, |(_, fraction)| fraction.len());
            prop_assert!(written_scale >= decimals.max(scaled.needed_decimals()) as usize, "{text}");
            // The same value as the mantissa with its point put in by hand, once zeros at either
            // end (which do not change a value) are taken off both.
            let scale = scale as usize;
            let padded = format!("{mantissa:0>width$}", width = scale + 1);
            let by_hand = format!("{}.{}", &padded[..padded.len() - scale], &padded[padded.len() - scale..]);
            let canonical = |text: &str| {
                let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { text };
                text.trim_start_matches('0').to_string()
            };
            prop_assert_eq!(canonical(&text), canonical(&by_hand), "{} at scale {} with {} decimals", mantissa, scale, decimals);
        }
    }

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn swedish_and_plain_styles_parse_exactly() {
        assert_eq!(parse_amount("5,8"), Ok(dec("5.8")));
        assert_eq!(parse_amount("5.8"), Ok(dec("5.8")));
        assert_eq!(parse_amount("2 430"), Ok(dec("2430")));
        assert_eq!(parse_amount("2\u{a0}430"), Ok(dec("2430")));
        assert_eq!(parse_amount("1\u{202f}234\u{202f}567,25"), Ok(dec("1234567.25")));
        assert_eq!(parse_amount(" 19 "), Ok(dec("19")));
        assert_eq!(parse_amount("−5"), Ok(dec("-5")));
        assert_eq!(parse_amount("+0,8"), Ok(dec("0.8")));
        assert_eq!(parse_amount(",5"), Ok(dec("0.5")));
    }

    #[test]
    fn malformed_numbers_are_rejected_with_reason() {
        assert!(matches!(parse_amount("1.234,5"), Err(AmountError::MixedSeparators(_))));
        assert!(matches!(parse_amount("1,2,3"), Err(AmountError::SeveralSeparators(_))));
        assert!(matches!(parse_amount("5.8.1"), Err(AmountError::SeveralSeparators(_))));
        assert!(matches!(parse_amount("24 30"), Err(AmountError::Grouping(_))));
        assert!(matches!(parse_amount("tio"), Err(AmountError::Character(_, 't'))));
        assert!(matches!(parse_amount(""), Err(AmountError::Empty)));
        assert!(matches!(parse_amount("-"), Err(AmountError::Empty)));
        assert!(matches!(parse_amount(","), Err(AmountError::Character(..))));
        assert!(matches!(parse_amount("nan"), Err(AmountError::NotFinite(_))));
        assert!(matches!(parse_amount("123456789012345678901234567890"), Err(AmountError::TooLarge(_))));
    }

    #[test]
    fn exponent_notation_keeps_the_decimals_as_written() {
        assert_eq!(parse_scientific("6.0e0").map(|value| value.scale()), Some(1));
        assert_eq!(parse_scientific("1.50e-1").map(|value| value.scale()), Some(3));
        assert_eq!(parse_scientific("1.50e3"), Some(dec("1500")));
        assert_eq!(parse_scientific("1.50e3").map(|value| value.scale()), Some(0));
        assert_eq!(parse_scientific("0.0e0").map(|value| value.scale()), Some(1));
    }

    #[test]
    fn numbers_shaped_like_a_thousands_group_are_ambiguous() {
        for text in ["1.000", "2.344", "-1.000", "999.999", " 18,500 "] {
            assert!(ambiguous_separator(text).is_some(), "{text}");
        }
        for text in ["0.500", "12345.678", "1.0", "1.0000", "1 000.500", "1000", "1.000.000", ","] {
            assert_eq!(ambiguous_separator(text), None, "{text}");
        }
        assert!(matches!(parse_unambiguous("1.000", Comma::Decimal), Err(AmountError::Ambiguous(..))));
        assert_eq!(parse_unambiguous("1,000", Comma::Decimal), Ok(dec("1.000")));
        assert!(matches!(parse_unambiguous("1,000", Comma::Ambiguous), Err(AmountError::Ambiguous(..))));
        assert_eq!(parse_unambiguous("1,5", Comma::Ambiguous), Ok(dec("1.5")));
    }

    #[test]
    fn rounding_units_parse_in_any_unit() {
        assert_eq!(RoundingUnit::parse("1 kr").unwrap().kronor(), dec("1"));
        assert_eq!(RoundingUnit::parse("1000 kr").unwrap().kronor(), dec("1000"));
        assert_eq!(RoundingUnit::parse("0.1 MSEK").unwrap().kronor(), dec("100000"));
        assert_eq!(RoundingUnit::parse("0,01 kr").unwrap().kronor(), dec("0.01"));
        assert!(RoundingUnit::parse("0 kr").is_err());
        assert!(RoundingUnit::parse("1 euro").is_err());
    }

    #[test]
    fn counts_are_exact_or_refused() {
        let thousand = RoundingUnit::parse("1000 kr").unwrap();
        assert_eq!(thousand.count(dec("5.8"), Unit::Mkr), Ok(5800));
        assert_eq!(thousand.count(dec("1500"), Unit::Kr), Err(UnitsError::NotMultiple));
        assert_eq!(thousand.count(dec("-1"), Unit::Mkr), Err(UnitsError::Negative));
        let third = RoundingUnit { kronor: dec("3") };
        assert_eq!(third.count(dec("10"), Unit::Kr), Err(UnitsError::NotMultiple));
    }

    #[test]
    fn scaled_values_format_exactly_in_each_style() {
        let krona = RoundingUnit::KRONA;
        let jamtland = krona.scaled(30_642_567, Unit::Mkr);
        assert_eq!(jamtland.needed_decimals(), 6);
        assert_eq!(jamtland.format(0, NumberStyle::SWEDISH), "30,642567");
        assert_eq!(jamtland.format(0, NumberStyle::PLAIN), "30.642567");
        assert_eq!(krona.scaled(19_105_162, Unit::Kr).format(0, NumberStyle::SWEDISH), "19 105 162");
        assert_eq!(krona.scaled(1_500_000_000, Unit::Mkr).format(2, NumberStyle::EXCEL), "1500,00");
        assert_eq!(krona.scaled(5, Unit::Tkr).format(0, NumberStyle::PLAIN), "0.005");
        assert_eq!(krona.scaled(0, Unit::Mkr).format(0, NumberStyle::PLAIN), "0");
        let ore = RoundingUnit::parse("0.01 kr").unwrap();
        assert_eq!(ore.scaled(12_345, Unit::Kr).format(0, NumberStyle::SWEDISH), "123,45");
    }
}
