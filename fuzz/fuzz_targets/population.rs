//! Any bytes as a population CSV (with and without an extra key column); read line by line
//! and in stretches side by side, the table (or the error) must be the same.
#![no_main]

use fordela::io::input::Input;
use fordela::core::population::{read_population_in_parts, read_population_keys, summarize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let input = Input::from_text("p.csv", text);
    let _ = summarize(&input);
    let date = "2020-12-31".parse().unwrap();
    let whole = read_population_keys(&input, date, &["kids"]);
    let split = read_population_in_parts(&input, date, &["kids"], 3);
    assert_eq!(format!("{whole:?}"), format!("{split:?}"));
    if let Ok(table) = whole {
        let sum: u128 = table.recipients.iter().map(|r| u128::from(r.population)).sum();
        assert_eq!(sum, table.total);
    }
});
