//! Any text as an agreement file: parse, and when it parses, split it among three regions.
#![no_main]

use fordela::core::agreement::parse_agreement;
use fordela::core::allocation::allocate;
use fordela::io::input::Input;
use fordela::core::population::read_population_keys;
use libfuzzer_sys::fuzz_target;

const POPULATION: &str = "code,region,date,population,kids\n01,A,2020-12-31,5,1\n02,B,2020-12-31,7,0\n03,C,2020-12-31,0,4\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(agreement) = parse_agreement(&Input::from_text("a.toml", text)) else { return };
    let keys: Vec<&str> = agreement.areas.iter().flat_map(|area| area.key.columns()).collect();
    let population = Input::from_text("p.csv", POPULATION);
    if let Ok(table) = read_population_keys(&population, agreement.population_date, &keys) {
        if let Ok(allocation) = allocate(agreement.clone(), table, None) {
            // The parts must add up to the whole, whatever the rules.
            assert_eq!(allocation.grand_total(), agreement.total);
        }
    }
});
