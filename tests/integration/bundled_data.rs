//! The bundled data is what its sidecars say: SCB's published national totals, 21 regions a
//! date, and the agreement's figures from the seed documents.

use fordela::core::agreement::parse_agreement;
use fordela::core::population::{read_population, summarize};
use fordela::io::bundled;
use fordela::io::input::Input;

#[test]
fn county_populations_add_up_to_scbs_national_totals() {
    let file = bundled::population(bundled::DEFAULT_POPULATION).unwrap();
    let input = Input::from_text(file.path, file.text);
    let summaries = summarize(&input).unwrap();
    assert_eq!(summaries.len(), 11);
    assert!(summaries.iter().all(|summary| summary.recipients == 21));
    // SCB's published totals for Sweden (see the sidecar .md).
    for (date, total) in
        [("2010-12-31", 9_415_570), ("2018-12-31", 10_230_185), ("2019-12-31", 10_327_589), ("2020-12-31", 10_379_295)]
    {
        let table = read_population(&input, date.parse().unwrap()).unwrap();
        assert_eq!(table.total, total, "{date}");
    }
}

#[test]
fn god_och_nara_vard_2019_has_the_seed_documents_figures() {
    let file = bundled::agreement("god-och-nara-vard-2019").unwrap();
    let agreement = parse_agreement(&Input::from_text(file.path, file.text)).unwrap();
    assert_eq!(agreement.total, 2_430_000_000);
    let regions: Vec<u128> = agreement.areas.iter().map(|area| area.to_regions).collect();
    assert_eq!(regions, vec![1_500_000_000, 453_000_000, 453_000_000]);
    let skr: u128 = agreement.areas.iter().flat_map(|area| &area.set_asides).map(|set_aside| set_aside.amount).sum();
    assert_eq!(skr, 24_000_000);
    assert_eq!(agreement.population_date.to_string(), "2018-11-01");
    assert_eq!(agreement.substitute.unwrap().date.to_string(), "2018-12-31");
    for needle in ["000_4dc873f1a4bc71eb", "001_a537053e5bbae49e", "1 november 2018"] {
        assert!(file.sources.contains(needle), "sidecar names {needle}");
    }
}
