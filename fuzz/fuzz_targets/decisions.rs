//! Any text as payout decisions and requests: the part before a line `---` read as a decisions
//! file (CSV, with and without the bundled agreement and a year; and as TOML), the part after
//! as requests; what reads is scheduled. Nothing may panic, and the schedule's total must pay
//! every decision's amount.
#![no_main]

use std::sync::OnceLock;

use fordela::commands::payouts::schedule::{read_decisions, read_requests, schedule};
use fordela::commands::payouts::toml_file;
use fordela::core::agreement::{Agreement, parse_agreement};
use fordela::core::quarter::PaymentDay;
use fordela::io::bundled;
use fordela::io::input::Input;
use libfuzzer_sys::fuzz_target;

fn agreement() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| {
        let file = bundled::agreement(bundled::DEFAULT_AGREEMENT).unwrap();
        parse_agreement(&Input::from_text(file.path, file.text)).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (decisions_text, requests_text) = text.split_once("\n---\n").unwrap_or((text, ""));
    let decisions_input = Input::from_text("beslut.csv", decisions_text);
    let requests_input = Input::from_text("rekvisitioner.csv", requests_text);
    for (agreement, year) in [(None, None), (Some(agreement()), Some(2019))] {
        let Ok((decisions, unit)) = read_decisions(&decisions_input, None, year, agreement) else { continue };
        let requests = read_requests(&requests_input, None, ("beslut.csv", unit), agreement).ok();
        let requests = requests.as_deref().map(|requests| ("rekvisitioner.csv", requests));
        if let Ok(schedule) = schedule("beslut.csv", &decisions, requests, PaymentDay::default()) {
            let decided = decisions.iter().try_fold(0u128, |sum, decision| sum.checked_add(decision.amount));
            assert_eq!(decided, Some(schedule.total.total), "{schedule:?}");
        }
    }
    let toml = Input::from_text("beslut.toml", decisions_text);
    if let Ok((decisions, requests, _)) = toml_file::read(&toml, None, None, None) {
        let _ = schedule("beslut.toml", &decisions, Some(("beslut.toml", &requests)), PaymentDay::default());
    }
});
