//! Any bytes as a population CSV (with and without an extra key column).
#![no_main]

use fordela::input::Input;
use fordela::population::{read_population_keys, summarize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let input = Input::from_text("p.csv", text);
    let _ = summarize(&input);
    if let Ok(table) = read_population_keys(&input, "2020-12-31".parse().unwrap(), &["kids"]) {
        let sum: u128 = table.recipients.iter().map(|r| u128::from(r.population)).sum();
        assert_eq!(sum, table.total);
    }
});
