//! What a number cell shows under its number format, from the format itself: Excel's format
//! codes (`#,##0.00`, `#,##0,`, `0%`; `.xlsx` and `.xls`) and ODF number styles
//! (read in `ods.rs` into the same model). A number is read as the sheet shows it, with the
//! decimals its format shows (`6,0` under `0.0` is tenths: a plan's precision), or refused when
//! the sheet shows another figure than the cell holds (scaled, rounded, a date, hidden).

use rust_decimal::{Decimal, RoundingStrategy};

/// Excel keeps 15 significant digits: a typed figure never has more, so a number that needs
/// more to read back is what binary arithmetic made of a sum (`19.099999999999998`).
const EXCEL_DIGITS: usize = 15;

/// How one section of a number format shows a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// As the shortest decimal that is the value (Excel's `General`, Calc's
    /// `Standard`, a text format `@`).
    General,
    /// With at least `min_integer` integer digits (`0000` shows 114 as `0114`) and
    /// `min_decimals` to `max_decimals` decimals.
    Fixed { min_integer: u32, min_decimals: u32, max_decimals: u32 },
    /// Another figure than the value: a thousands scaling, a percentage (`how` says which).
    Scaled(String),
    /// In scientific notation (`1,23E+06`): the digits shown are not the value's.
    Scientific,
    /// As a fraction (`1 1/4`).
    Fraction,
    /// As a date or a time.
    DateTime,
    /// As no figure at all: `;;;` hides a value, a section of text only shows that text.
    Nothing,
    /// By a rule fordela does not read (a condition such as `[>=1000]`): `what` names it.
    Unknown(String),
}

/// A number format: how it shows a positive number, a negative one and zero (Excel's first,
/// second and third sections; ODF conditions on the value's sign).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    pub positive: Shown,
    pub negative: Shown,
    pub zero: Shown,
    /// The format as a person would look it up (`#,##0,`; for an ODF style, the Excel code it
    /// stands for).
    pub code: String,
}

impl NumberFormat {
    /// Excel's `General`: every number as its shortest decimal.
    #[must_use]
    pub fn general() -> NumberFormat {
        NumberFormat::all(Shown::General, "General")
    }

    /// One way of showing every number.
    #[must_use]
    pub fn all(shown: Shown, code: &str) -> NumberFormat {
        NumberFormat { positive: shown.clone(), negative: shown.clone(), zero: shown, code: code.to_string() }
    }

    /// A format fordela cannot read at all (a style the file names but does not hold).
    #[must_use]
    pub fn unknown(what: &str) -> NumberFormat {
        NumberFormat::all(Shown::Unknown(what.to_string()), what)
    }

    /// The format of an Excel format code (`#,##0.00;[Red]-#,##0.00`): sections for positive
    /// numbers, negative ones, zero (and text, which no number uses).
    #[must_use]
    pub fn from_code(code: &str) -> NumberFormat {
        let sections: Vec<Shown> = split_sections(code).iter().map(|section| section_shown(section)).collect();
        let (positive, negative, zero) = match sections.as_slice() {
            [] => (Shown::General, Shown::General, Shown::General),
            [all] => (all.clone(), all.clone(), all.clone()),
            [positive, negative] => (positive.clone(), negative.clone(), positive.clone()),
            [positive, negative, zero, ..] => (positive.clone(), negative.clone(), zero.clone()),
        };
        NumberFormat { positive, negative, zero, code: code.to_string() }
    }

    /// The format of an Excel built-in format id (`numFmtId`, `ifmt`) that the file does not
    /// spell out; `None` for an id Excel does not define.
    #[must_use]
    pub fn builtin(id: u32) -> Option<NumberFormat> {
        let code = match id {
            0 => "General",
            1 => "0",
            2 => "0.00",
            3 => "#,##0",
            4 => "#,##0.00",
            // The currency formats in the machine's currency: kr in Swedish Excel.
            5 => "\"kr\"#,##0_);(\"kr\"#,##0)",
            6 => "\"kr\"#,##0_);[Red](\"kr\"#,##0)",
            7 => "\"kr\"#,##0.00_);(\"kr\"#,##0.00)",
            8 => "\"kr\"#,##0.00_);[Red](\"kr\"#,##0.00)",
            9 => "0%",
            10 => "0.00%",
            11 => "0.00E+00",
            12 => "# ?/?",
            13 => "# ??/??",
            // Dates and times, some in the machine's own order (East Asian ones too).
            14..=22 | 27..=36 | 45..=47 | 50..=58 => "yyyy-mm-dd",
            37 => "#,##0_);(#,##0)",
            38 => "#,##0_);[Red](#,##0)",
            39 => "#,##0.00_);(#,##0.00)",
            40 => "#,##0.00_);[Red](#,##0.00)",
            41 => "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)",
            42 => "_(\"kr\"* #,##0_);_(\"kr\"* \\(#,##0\\);_(\"kr\"* \"-\"_);_(@_)",
            43 => "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"??_);_(@_)",
            44 => "_(\"kr\"* #,##0.00_);_(\"kr\"* \\(#,##0.00\\);_(\"kr\"* \"-\"??_);_(@_)",
            48 => "##0.0E+0",
            49 => "@",
            _ => return None,
        };
        Some(NumberFormat::from_code(code))
    }

    /// How the number `value` is shown.
    #[must_use]
    pub fn section(&self, value: f64) -> &Shown {
        if value > 0.0 {
            &self.positive
        } else if value < 0.0 {
            &self.negative
        } else {
            &self.zero
        }
    }

    /// `value` as the text the sheet shows it as, for a reader of `;`-separated text: the
    /// decimals the format shows, with a decimal comma (a number cell is never ambiguous); or
    /// why fordela does not read it.
    pub fn show(&self, value: f64) -> Result<String, String> {
        let text = number_text(value)?;
        let shown = self.section(value);
        let code = &self.code;
        match shown {
            Shown::General => Ok(text.replace('.', ",")),
            Shown::Fixed { min_integer, min_decimals, max_decimals } => {
                let (sign, body) = match text.strip_prefix('-') {
                    Some(body) => ("-", body),
                    None => ("", text.as_str()),
                };
                let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
                let max = *max_decimals as usize;
                if fraction.len() > max {
                    let rounded = Decimal::from_str_exact(&text)
                        .map(|exact| {
                            let mut rounded =
                                exact.round_dp_with_strategy(*max_decimals, RoundingStrategy::MidpointAwayFromZero);
                            rounded.rescale(*max_decimals);
                            rounded.to_string().replace('.', ",")
                        })
                        .unwrap_or_default();
                    return Err(format!(
                        "holds {text}, but its number format (`{code}`) shows {max} decimal{s}, so the sheet shows \
                         {rounded}: fordela reads the figure the sheet shows or none, and does not round; round \
                         the value in the sheet (=AVRUNDA(…; {max}), =ROUND(…; {max})), or give the cell a format \
                         that shows every decimal",
                        s = if max == 1 { "" } else { "s" },
                    ));
                }
                let mut out = String::with_capacity(text.len() + 8);
                out.push_str(sign);
                for _ in whole.len()..(*min_integer as usize).min(64) {
                    out.push('0');
                }
                out.push_str(whole);
                let decimals = fraction.len().max((*min_decimals as usize).min(max));
                if decimals > 0 {
                    out.push(',');
                    out.push_str(fraction);
                    for _ in fraction.len()..decimals {
                        out.push('0');
                    }
                }
                Ok(out)
            }
            // Zero shown as a dash (accounting formats) or not at all is zero.
            Shown::Nothing if value == 0.0 => Ok("0".to_string()),
            Shown::Nothing => Err(format!(
                "holds {text}, but its number format (`{code}`) shows no figure for it (a format such as `;;;` \
                 hides the value, one of text only shows the text): fordela does not read a figure the sheet \
                 hides; give the cell a number format that shows it"
            )),
            Shown::Scaled(how) => Err(format!(
                "holds {text}, but its number format (`{code}`) shows it scaled ({how}): the sheet shows another \
                 figure than the cell holds, and fordela does not guess which is meant; give the cell a plain \
                 number format (and the column's unit in its header), or type the figure as shown"
            )),
            Shown::Scientific => Err(format!(
                "holds {text}, but its number format (`{code}`) shows it in scientific notation, rounded to the \
                 digits it shows: give the cell a plain number format"
            )),
            Shown::Fraction => Err(format!(
                "holds {text}, but its number format (`{code}`) shows it as a fraction: give the cell a plain \
                 number format"
            )),
            Shown::DateTime => Err(format!(
                "holds the number {text}, but its number format (`{code}`) shows it as a date or time: Excel turns \
                 some typed figures into dates (1/3, 1-3); if a figure is meant, give the cell a number format and \
                 type the figure again, if a date is meant, type it as 2019-03-01"
            )),
            Shown::Unknown(what) => Err(format!(
                "holds {text} under a number format fordela cannot read ({what}), so it cannot tell what the sheet \
                 shows: give the cell a plain number format"
            )),
        }
    }
}

/// The sections of a format code, split at `;` outside quotes, brackets and escapes.
fn split_sections(code: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        let last = sections.last_mut().expect("one section at least");
        if escaped {
            escaped = false;
        } else if quoted {
            quoted = c != '"';
        } else if bracket {
            bracket = c != ']';
        } else {
            match c {
                '"' => quoted = true,
                '[' => bracket = true,
                '\\' | '_' | '*' => escaped = true,
                ';' => {
                    sections.push(String::new());
                    continue;
                }
                _ => {}
            }
        }
        last.push(c);
    }
    sections
}

/// How one section of an Excel format code shows a number.
fn section_shown(section: &str) -> Shown {
    let chars: Vec<char> = section.chars().collect();
    let (mut min_integer, mut min_decimals, mut max_decimals) = (0u32, 0u32, 0u32);
    let (mut digits, mut in_fraction, mut pending_comma) = (false, false, false);
    let (mut scaled, mut scientific, mut fraction, mut date, mut general) = (None, false, false, false, false);
    // `@`, the text itself: a number in a text format is shown as under `General`.
    let mut text = false;
    let mut unknown = None;
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        at += 1;
        match c {
            '"' => {
                while at < chars.len() && chars[at] != '"' {
                    at += 1;
                }
                at += 1;
            }
            // An escaped character, the width of one (`_)`), a fill character (`* `).
            '\\' | '_' | '*' => at += 1,
            '[' => {
                let start = at;
                while at < chars.len() && chars[at] != ']' {
                    at += 1;
                }
                let inside: String = chars[start..at.min(chars.len())].iter().collect();
                at += 1;
                match bracket(&inside) {
                    Bracket::Ignored => {}
                    Bracket::Elapsed => date = true,
                    Bracket::Unknown(what) => unknown = Some(what),
                }
            }
            '0' | '#' | '?' => {
                pending_comma = false;
                digits = true;
                if in_fraction {
                    max_decimals = max_decimals.saturating_add(1);
                    if c == '0' {
                        min_decimals = max_decimals;
                    }
                } else if c == '0' {
                    min_integer = min_integer.saturating_add(1);
                }
            }
            '.' if !in_fraction => {
                if pending_comma {
                    scaled = Some("a `,` before the decimal point shows thousands".to_string());
                }
                in_fraction = true;
            }
            // After a digit: between digits it groups them; after the last it divides by 1 000.
            ',' if digits => pending_comma = true,
            '%' => scaled = Some("a percentage shows a hundred times the value".to_string()),
            '\u{2030}' => scaled = Some("per mille shows a thousand times the value".to_string()),
            'E' | 'e' if matches!(chars.get(at), Some('+' | '-')) => {
                scientific = true;
                at += 1;
            }
            '/' if digits => fraction = true,
            '@' => text = true,
            'G' | 'g' if chars[at - 1..].iter().take(7).collect::<String>().eq_ignore_ascii_case("general") => {
                general = true;
                at += 6;
            }
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' | 'e' | 'g' | 'G' => date = true,
            'A' | 'a' if matches!(chars.get(at), Some('/' | 'M' | 'm')) => date = true,
            _ => {}
        }
    }
    if pending_comma {
        scaled = Some("a `,` after the last digit shows thousands (`,,` millions)".to_string());
    }
    if let Some(what) = unknown {
        Shown::Unknown(what)
    } else if date {
        Shown::DateTime
    } else if let Some(how) = scaled {
        Shown::Scaled(how)
    } else if scientific {
        Shown::Scientific
    } else if fraction {
        Shown::Fraction
    } else if general || (text && !digits) {
        Shown::General
    } else if !digits {
        Shown::Nothing
    } else {
        Shown::Fixed { min_integer, min_decimals, max_decimals }
    }
}

enum Bracket {
    /// A colour (`[Red]`), a currency or locale (`[$kr-41D]`): no change to the figure.
    Ignored,
    /// Elapsed time (`[h]`).
    Elapsed,
    Unknown(String),
}

fn bracket(inside: &str) -> Bracket {
    const COLOURS: [&str; 8] = ["black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"];
    let lower = inside.to_ascii_lowercase();
    if lower.starts_with('$') || COLOURS.contains(&lower.as_str()) || lower.starts_with("color") {
        Bracket::Ignored
    } else if !lower.is_empty() && lower.chars().all(|c| matches!(c, 'h' | 'm' | 's')) {
        Bracket::Elapsed
    } else if lower.starts_with(['<', '>', '=']) {
        Bracket::Unknown(format!("the condition `[{inside}]`"))
    } else {
        Bracket::Unknown(format!("`[{inside}]`"))
    }
}

/// The shortest decimal that reads back to `number` (Rust's `Display` of an `f64` is exactly
/// that), or why the number is not a figure anyone typed.
pub fn number_text(number: f64) -> Result<String, String> {
    if !number.is_finite() {
        return Err(format!("holds {number}, which is not a figure"));
    }
    // -0 is zero: nobody types a negative zero.
    let number = if number == 0.0 { 0.0 } else { number };
    let text = format!("{number}");
    let digits = significant_digits(&text);
    if digits > EXCEL_DIGITS {
        return Err(format!(
            "holds {text}, a number of {digits} significant digits: binary arithmetic makes such numbers of a sum \
             or product (19,1 as 19.099999999999998), and Excel shows at most {EXCEL_DIGITS}, so it is not the \
             figure the sheet shows. fordela does not round it: round it in the sheet (=AVRUNDA(…; 1), \
             =ROUND(…; 1)) or type the figure"
        ));
    }
    Ok(text)
}

/// Digits of a plain decimal (`-0.0012`, `2344124`, `1000000`) from its first to its last
/// non-zero digit.
fn significant_digits(text: &str) -> usize {
    // Trailing zeros of an integer are its magnitude; zeros inside it count.
    // (Counted in place: once for every number cell of a sheet.)
    let (mut first, mut last) = (None, 0);
    for (at, digit) in text.bytes().filter(u8::is_ascii_digit).enumerate() {
        if digit != b'0' {
            first.get_or_insert(at);
            last = at;
        }
    }
    first.map_or(0, |first| last - first + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits_run_from_the_first_to_the_last_non_zero_digit() {
        for (text, digits) in
            [("0", 0), ("-0.0012", 2), ("2344124", 7), ("1000000", 1), ("1020", 3), ("19.099999999999998", 17)]
        {
            assert_eq!(significant_digits(text), digits, "{text}");
        }
    }

    fn shown(code: &str, value: f64) -> Result<String, String> {
        NumberFormat::from_code(code).show(value)
    }

    #[test]
    fn numbers_read_as_the_shortest_decimal_or_are_refused() {
        assert_eq!(number_text(1.8).unwrap(), "1.8");
        assert_eq!(number_text(2_344_124.0).unwrap(), "2344124");
        assert_eq!(number_text(0.000_001).unwrap(), "0.000001");
        assert_eq!(number_text(1e21).unwrap(), "1000000000000000000000");
        assert_eq!(number_text(-5.8).unwrap(), "-5.8");
        assert_eq!(number_text(-0.0).unwrap(), "0");
        assert_eq!(number_text(123_456_789_012.345).unwrap(), "123456789012.345");
        let err = number_text(19.099_999_999_999_998).unwrap_err();
        assert!(err.starts_with("holds 19.099999999999998, a number of 17 significant digits"), "{err}");
        assert!(number_text(0.1 + 0.2).is_err());
        assert!(number_text(f64::NAN).is_err());
    }

    #[test]
    fn a_number_shows_the_decimals_its_format_shows() {
        assert_eq!(shown("General", 1234.5).unwrap(), "1234,5");
        assert_eq!(shown("0.00", 6.0).unwrap(), "6,00");
        assert_eq!(shown("#,##0.0", 19.1).unwrap(), "19,1");
        assert_eq!(shown("#,##0.00\" kr\"", 19.1).unwrap(), "19,10");
        assert_eq!(shown("0.0##", 19.0).unwrap(), "19,0");
        assert_eq!(shown("0.0##", 19.125).unwrap(), "19,125");
        assert_eq!(shown("0000", 114.0).unwrap(), "0114");
        assert_eq!(shown("#,##0;[Red]-#,##0", -5.0).unwrap(), "-5");
        assert_eq!(shown("#,##0.00;(#,##0.00);\"-\"", 0.0).unwrap(), "0");
        assert_eq!(shown("_-* #,##0 _k_r_-;-* #,##0 _k_r_-;_-* \"-\" _k_r_-;_-@_-", 1200.0).unwrap(), "1200");
        assert_eq!(shown("@", 5.8).unwrap(), "5,8");
        assert_eq!(shown("[$-41D]#,##0.00", 2.5).unwrap(), "2,50");
        assert_eq!(shown("\\ * #,##0\"     \";\\-* #,##0\"     \";\\ * \"-     \";\\ @\\ ", -7.0).unwrap(), "-7");
        let rounded = shown("#,##0", 1234.5).unwrap_err();
        assert!(rounded.contains("holds 1234.5, but its number format (`#,##0`) shows 0 decimals"), "{rounded}");
        assert!(rounded.contains("the sheet shows 1235"), "{rounded}");
        assert!(shown("0.00", 1.005).unwrap_err().contains("shows 1,01"));
    }

    #[test]
    fn scaled_hidden_dated_and_unreadable_formats_are_refused() {
        for code in ["#,##0,", "#,##0,,", "0%", "0.00%", "#,##0,\" tkr\"", "# ##0,;-# ##0,", "0,.00"] {
            assert!(matches!(NumberFormat::from_code(code).positive, Shown::Scaled(_)), "{code}");
        }
        for code in ["#,##0", "0.00", "General", "#,##0.000000", "\"%\"0", "[Red]#,##0", "0\\%"] {
            assert!(!matches!(NumberFormat::from_code(code).positive, Shown::Scaled(_)), "{code}");
        }
        assert_eq!(NumberFormat::from_code("0.00E+00").positive, Shown::Scientific);
        assert_eq!(NumberFormat::from_code("# ?/?").positive, Shown::Fraction);
        assert_eq!(NumberFormat::from_code("yyyy-mm-dd").positive, Shown::DateTime);
        assert_eq!(NumberFormat::from_code("[h]:mm").positive, Shown::DateTime);
        assert_eq!(NumberFormat::from_code(";;;").positive, Shown::Nothing);
        assert!(matches!(NumberFormat::from_code("[>=1000]#,##0,;0").positive, Shown::Unknown(_)));
        assert!(shown(";;;", 5.0).unwrap_err().contains("shows no figure"));
        assert_eq!(shown(";;;", 0.0).unwrap(), "0");
        assert!(shown("0%", 0.5).unwrap_err().contains("percentage"));
        assert!(NumberFormat::builtin(9).unwrap().show(0.5).is_err());
        assert_eq!(NumberFormat::builtin(4).unwrap().show(2.0).unwrap(), "2,00");
        assert!(NumberFormat::builtin(14).unwrap().show(40000.0).is_err());
        assert!(NumberFormat::builtin(200).is_none());
    }
}
