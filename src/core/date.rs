//! Calendar dates (`YYYY-MM-DD`), validated: 2018-02-30 is an error, not 2 March.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("`{0}` is not a date, expected YYYY-MM-DD such as 2018-12-31")]
pub struct DateError(pub String);

const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil), for "nearest date" choices.
    #[must_use]
    pub fn day_number(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// 1 January of the date's year.
    #[must_use]
    pub fn start_of_year(self) -> Date {
        Date { year: self.year, month: 1, day: 1 }
    }

    /// The year, as `--population-date 2019` writes it.
    #[must_use]
    pub fn year_written(self) -> String {
        self.year.to_string()
    }

    /// `1 november 2018`: how the agreements write dates.
    #[must_use]
    pub fn swedish(self) -> String {
        format!("{} {} {}", self.day, MONTHS_SV[usize::from(self.month - 1)], self.year)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        let error = || DateError(text.to_string());
        if !shaped {
            return Err(error());
        }
        let year = text[0..4].parse().map_err(|_| error())?;
        let month = text[5..7].parse().map_err(|_| error())?;
        let day = text[8..10].parse().map_err(|_| error())?;
        Date::new(year, month, day).ok_or_else(error)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_that_do_not_exist_are_refused() {
        assert!("2018-02-30".parse::<Date>().is_err());
        assert!("2019-02-29".parse::<Date>().is_err());
        assert!("2020-02-29".parse::<Date>().is_ok());
        assert!("2018-13-01".parse::<Date>().is_err());
        assert!("2018-1-01".parse::<Date>().is_err());
        assert!("31/12/2018".parse::<Date>().is_err());
    }

    #[test]
    fn day_numbers_count_real_days() {
        let day = |s: &str| s.parse::<Date>().unwrap().day_number();
        assert_eq!(day("1970-01-01"), 0);
        assert_eq!(day("2018-12-31") - day("2018-11-01"), 60);
        assert_eq!(day("2019-01-01") - day("2018-01-01"), 365);
        assert_eq!(day("2021-01-01") - day("2020-01-01"), 366);
    }

    #[test]
    fn swedish_form_reads_like_the_agreements() {
        assert_eq!("2018-11-01".parse::<Date>().unwrap().swedish(), "1 november 2018");
    }
}
