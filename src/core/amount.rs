//! Amounts and units: parsing Swedish and plain number styles exactly, and formatting exact
//! integer amounts back to text. No floats anywhere: text goes to `Decimal`, `Decimal` goes to
//! integer counts of the rounding unit, and display works on integers scaled by powers of ten.

use crate::io::number::{AmountError, Comma, parse_amount, parse_unambiguous};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;
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

/// An exact fraction, with its decimal expansion for reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fraction {
    pub numerator: u128,
    pub denominator: u128,
}

impl Fraction {
    /// `decimals` digits after the point, truncated, with `…` when the expansion goes on.
    #[must_use]
    pub fn decimal(&self, decimals: usize, decimal_mark: char) -> String {
        if self.denominator == 0 {
            return "∞".to_string();
        }
        let mut text = (self.numerator / self.denominator).to_string();
        let mut remainder = self.numerator % self.denominator;
        if remainder == 0 {
            return text;
        }
        text.push(decimal_mark);
        for _ in 0..decimals {
            remainder *= 10;
            text.push(char::from(b'0' + (remainder / self.denominator) as u8));
            remainder %= self.denominator;
            if remainder == 0 {
                return text;
            }
        }
        text.push('…');
        text
    }

    /// As [`Fraction::decimal`], in `style`: the integer part grouped as `style` groups it.
    #[must_use]
    pub fn decimal_in(&self, decimals: usize, style: NumberStyle) -> String {
        let text = self.decimal(decimals, style.decimal);
        // `∞` has no digits to group; everything else starts with the integer part's.
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let Ok(whole) = text[..digits].parse::<u128>() else { return text };
        format!("{}{}", Scaled { mantissa: whole, scale: 0 }.format(0, style), &text[digits..])
    }
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
