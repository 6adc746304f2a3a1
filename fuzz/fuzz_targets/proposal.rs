//! Any text as a region's plan, read as TOML and as CSV, then checked against the bundled
//! 2019 agreement for region 23.
#![no_main]

use std::sync::OnceLock;

use fordela::core::allocation::{Allocation, allocate, population_date};
use fordela::core::amount::Unit;
use fordela::io::bundled;
use fordela::commands::check::compute::check;
use fordela::io::input::Input;
use fordela::core::population::read_population;
use fordela::core::proposal::parse_proposal;
use libfuzzer_sys::fuzz_target;

fn allocation() -> &'static Allocation {
    static ALLOCATION: OnceLock<Allocation> = OnceLock::new();
    ALLOCATION.get_or_init(|| {
        let file = bundled::agreement(bundled::DEFAULT_AGREEMENT).unwrap();
        let agreement = fordela::core::agreement::parse_agreement(&Input::from_text(file.path, file.text)).unwrap();
        let population = bundled::population(bundled::DEFAULT_POPULATION).unwrap();
        let (date, note) = population_date(&agreement, None);
        let table = read_population(&Input::from_text(population.path, population.text), date).unwrap();
        allocate(agreement, table, note).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for label in ["plan.toml", "plan.csv"] {
        if let Ok(proposal) = parse_proposal(&Input::from_text(label, text)) {
            let unit = proposal.unit.unwrap_or(Unit::Mkr);
            let _ = check(&proposal, allocation(), 18, unit, false);
        }
    }
});
