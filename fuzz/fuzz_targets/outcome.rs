//! Any text as an outcome export, read with and without a unit flag; what reads is followed up
//! against the example plan for Jämtland Härjedalen and the bundled 2019 agreement, with and
//! without an object and a period. Nothing may panic, and the report's total must be its
//! areas' sum.
#![no_main]

use std::sync::OnceLock;

use fordela::commands::follow_up::compute::{Options, follow_up_from};
use fordela::commands::follow_up::outcome::read_outcome_rows;
use fordela::core::agreement::{Agreement, parse_agreement};
use fordela::core::amount::Unit;
use fordela::core::proposal::{Proposal, parse_proposal};
use fordela::io::bundled;
use fordela::io::input::Input;
use libfuzzer_sys::fuzz_target;

fn plan() -> &'static (Proposal, Agreement) {
    static PLAN: OnceLock<(Proposal, Agreement)> = OnceLock::new();
    PLAN.get_or_init(|| {
        let text = include_str!("../../examples/jamtland-harjedalen-2019.toml");
        let plan = parse_proposal(&Input::from_text("plan.toml", text)).unwrap();
        let file = bundled::agreement(bundled::DEFAULT_AGREEMENT).unwrap();
        (plan, parse_agreement(&Input::from_text(file.path, file.text)).unwrap())
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let input = Input::from_text("utfall.csv", text);
    let (plan, agreement) = plan();
    for flag in [None, Some(Unit::Kr), Some(Unit::Mkr)] {
        let Ok(outcome) = read_outcome_rows(&input, flag) else { continue };
        let until = "2019-12-31".parse().ok();
        for (object, until, from) in [(None, None, None), (Some("9916".to_string()), until, "2019-01-01".parse().ok())] {
            let options = Options { object, until, strict: false };
            let unit = plan.unit.unwrap_or(Unit::Mkr);
            if let Ok(report) = follow_up_from(plan, unit, agreement, &outcome, &options, from) {
                let areas = report.areas.iter().try_fold(0i128, |sum, area| sum.checked_add(area.figures.outcome.0));
                assert_eq!(areas, Some(report.total.outcome.0), "{report:?}");
            }
        }
    }
});
