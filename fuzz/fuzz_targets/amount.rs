//! Any text as an amount or a rounding unit; what parses must print and parse back equal.
#![no_main]

use fordela::core::amount::{NumberStyle, RoundingUnit, Unit, format_decimal};
use fordela::io::number::parse_amount;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(value) = parse_amount(text) {
        for style in [NumberStyle::SWEDISH, NumberStyle::PLAIN, NumberStyle::EXCEL] {
            let printed = format_decimal(value, 0, style);
            assert_eq!(parse_amount(&printed).unwrap(), value, "{text:?} -> {printed:?}");
        }
    }
    if let Ok(rounding) = RoundingUnit::parse(text) {
        for unit in [Unit::Kr, Unit::Tkr, Unit::Mkr] {
            let _ = rounding.scaled(12_345, unit).format(0, NumberStyle::SWEDISH);
        }
    }
});
