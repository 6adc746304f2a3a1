//! Calendar quarters as decisions write them: `2019Q1`, `2019-Q1`, `2019 Q1`, `2019 kv1`
//! (also `2019-kv1`, `2019kv1`, any case). Nothing else is read: `Q1 2019` or `1/2019` is an
//! error with the forms fordela reads, never a guess.

use std::fmt;

use serde::{Serialize, Serializer};
use thiserror::Error;

use crate::core::date::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: u16,
    /// 1 to 4.
    pub number: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("`{0}` is not a quarter: write the year and the quarter, e.g. 2019Q1, 2019-Q1, 2019 Q1 or 2019 kv1")]
pub struct QuarterError(pub String);

impl Quarter {
    #[must_use]
    pub fn new(year: u16, number: u8) -> Option<Quarter> {
        (1..=4).contains(&number).then_some(Quarter { year, number })
    }

    pub fn parse(text: &str) -> Result<Quarter, QuarterError> {
        let error = || QuarterError(text.trim().to_string());
        let trimmed = text.trim();
        let (year, rest) = trimmed.split_at_checked(4).ok_or_else(error)?;
        if !year.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(error());
        }
        let year: u16 = year.parse().map_err(|_| error())?;
        let rest = rest.strip_prefix(['-', ' ']).unwrap_or(rest).to_lowercase();
        let number = rest.strip_prefix("kv").or_else(|| rest.strip_prefix('q')).ok_or_else(error)?;
        let number = match number {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            "4" => 4,
            _ => return Err(error()),
        };
        // Years before the Gregorian reform, or five-digit ones, are typos.
        if !(1900..=9999).contains(&year) {
            return Err(error());
        }
        Ok(Quarter { year, number })
    }

    /// The quarters from `self` to `last`, both included (none when `last` is earlier).
    #[must_use]
    pub fn through(self, last: Quarter) -> Vec<Quarter> {
        let mut quarters = Vec::new();
        let mut current = self;
        while current <= last {
            quarters.push(current);
            current = current.next();
        }
        quarters
    }

    #[must_use]
    pub fn next(self) -> Quarter {
        if self.number == 4 {
            Quarter { year: self.year + 1, number: 1 }
        } else {
            Quarter { number: self.number + 1, ..self }
        }
    }

    /// The first month of the quarter, 1, 4, 7 or 10.
    #[must_use]
    pub fn first_month(self) -> u8 {
        3 * (self.number - 1) + 1
    }

    /// The day a quarter's instalment is paid, by `rule`.
    #[must_use]
    pub fn payment_date(self, rule: PaymentDay) -> Date {
        let first = self.first_month();
        let last_day = |month: u8| (28..=31).rev().find_map(|day| Date::new(self.year, month, day));
        let date = match rule {
            PaymentDay::FirstMonthEnd => last_day(first),
            PaymentDay::QuarterStart => Date::new(self.year, first, 1),
            PaymentDay::QuarterEnd => last_day(first + 2),
        };
        // Every month has a 28th: never reached.
        date.unwrap_or_else(|| unreachable!("month {first} of {} has days", self.year))
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.number)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Which day of its quarter an instalment is paid. The default, the last day of the quarter's
/// first month, gives a provider its money within the quarter it is for, after a month's
/// requests are in (seed 001: "paid quarterly on request").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaymentDay {
    /// The last day of the quarter's first month: 31 January, 30 April, 31 July, 31 October.
    #[default]
    FirstMonthEnd,
    /// The first day of the quarter.
    QuarterStart,
    /// The last day of the quarter.
    QuarterEnd,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_forms_are_read_and_nothing_else() {
        let q1 = Quarter { year: 2019, number: 1 };
        for text in ["2019Q1", "2019-Q1", "2019 Q1", "2019 kv1", "2019-KV1", "2019kv1", " 2019q1 "] {
            assert_eq!(Quarter::parse(text), Ok(q1), "{text}");
        }
        for text in ["Q1 2019", "2019Q5", "2019Q0", "2019", "19Q1", "2019 Q 1", "2019/Q1", "2019-01", "", "1899Q1"] {
            assert!(Quarter::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn payment_days() {
        let q1 = Quarter::new(2020, 1).unwrap();
        assert_eq!(q1.payment_date(PaymentDay::FirstMonthEnd).to_string(), "2020-01-31");
        assert_eq!(Quarter::new(2020, 2).unwrap().payment_date(PaymentDay::FirstMonthEnd).to_string(), "2020-04-30");
        assert_eq!(q1.payment_date(PaymentDay::QuarterEnd).to_string(), "2020-03-31");
        assert_eq!(Quarter::new(2020, 4).unwrap().payment_date(PaymentDay::QuarterStart).to_string(), "2020-10-01");
        assert_eq!(q1.through(Quarter::new(2020, 3).unwrap()).len(), 3);
    }
}
