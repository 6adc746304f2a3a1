//! How a number is written: Swedish (`1 250 000,50`) and plain (`1250000.50`) styles read
//! exactly into `Decimal`, ambiguous forms (`1,250` in a `,` file) refused with the reason.
//! The same rules for a CSV field, a TOML value and a workbook's text cell.

use rust_decimal::Decimal;
use thiserror::Error;

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
    match plain_amount(text.as_bytes()) {
        Some(value) => Ok(value),
        None => parse_amount_long(text),
    }
}

/// `parse_amount` for any text: the rule itself, which `plain_amount` shortens for the plain.
fn parse_amount_long(text: &str) -> Result<Decimal, AmountError> {
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

/// The amounts a ledger is made of, read from the bytes without a string made: ASCII digits,
/// grouped by single spaces in threes (`1 250 000`) or not at all, an optional leading `-`, and
/// an optional `,` or `.` with decimals, at most 18 digits in all. `None` for anything else
/// (other spaces, a sign or a separator out of place, a negative zero), which `parse_amount`
/// then reads the long way: the same value, or the error.
fn plain_amount(bytes: &[u8]) -> Option<Decimal> {
    // 18 digits, five group spaces, a sign and a separator at most.
    if bytes.len() > 25 {
        return None;
    }
    let (negative, body) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    let (whole, fraction) = match body.iter().position(|&b| b == b',' || b == b'.') {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let mut mantissa: i128 = 0;
    let mut digits = 0usize;
    let mut push = |byte: u8| {
        mantissa = mantissa * 10 + i128::from(byte - b'0');
        digits += 1;
    };
    // Groups of the whole part: the first of one to three digits when there are several, the
    // others of three.
    let mut groups = whole.split(|&b| b == b' ').peekable();
    let first = groups.next()?;
    let grouped = groups.peek().is_some();
    if first.is_empty() || (grouped && first.len() > 3) || !first.iter().all(u8::is_ascii_digit) {
        return None;
    }
    for &b in first {
        push(b);
    }
    for group in groups {
        if group.len() != 3 || !group.iter().all(u8::is_ascii_digit) {
            return None;
        }
        for &b in group {
            push(b);
        }
    }
    let scale = match fraction {
        None => 0,
        Some(fraction) if !fraction.is_empty() && fraction.len() <= 18 && fraction.iter().all(u8::is_ascii_digit) => {
            for &b in fraction {
                push(b);
            }
            u32::try_from(fraction.len()).ok()?
        }
        Some(_) => return None,
    };
    if digits > 18 || (negative && mantissa == 0) {
        return None;
    }
    Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale).ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The short way reads what the long way reads, to the scale (`1,50` keeps its two
        /// decimals), and leaves to it whatever it does not read.
        #[test]
        fn plain_amounts_read_as_the_rule_reads_them(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("[0-9]{1,4}").unwrap(),
                    proptest::string::string_regex("[ ,.\\-+]").unwrap(),
                    proptest::string::string_regex("[0-9]{3}").unwrap(),
                ],
                1..9,
            ),
        ) {
            let text: String = parts.concat();
            if let Some(value) = plain_amount(text.as_bytes()) {
                let long = parse_amount_long(&text);
                proptest::prop_assert_eq!(long.as_ref().map(|v| (v.mantissa(), v.scale())), Ok((value.mantissa(), value.scale())), "{}", text);
            }
        }
    }

    #[test]
    fn a_ledger_amount_is_read_the_short_way() {
        for (text, mantissa, scale) in
            [("1 250 000", 1_250_000, 0), ("-34,50", -3450, 2), ("0,5", 5, 1), ("12345", 12345, 0), ("7.25", 725, 2)]
        {
            let value = plain_amount(text.as_bytes()).unwrap();
            assert_eq!((value.mantissa(), value.scale()), (mantissa, scale), "{text}");
        }
        // Left to the rule: its words for the error, or a form the short way does not take.
        for text in
            ["1 25", " 1", "1 ", "-0", "+5", ",5", "5,", "1,2,3", "1\u{a0}250", "12 3456", "1234567890123456789"]
        {
            assert_eq!(plain_amount(text.as_bytes()), None, "{text:?}");
        }
    }

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
}
