//! Every workbook fordela writes (`--format xlsx`), read back with calamine. Codes must be text,
//! amounts numbers, every total a live `SUM` over exactly the cells it adds, and the cells
//! (added up here, in integers) must equal the agreement's figures, which this file reads from
//! the agreement itself and splits with its own largest-remainder reference, or figures worked
//! out by hand here (never copied from fordela's output): allocate, check, explain and list
//! first, then payouts, follow-up, report, diff, audit and allocate --nested.

use std::path::Path;

use calamine::{Data, Range, Reader};
use std::fmt::Write;

use crate::common::{self, bundled_counties, fordela, fordela_in, grouped, temp_files};
use crate::read_back::{cell, exact, formula, number, open, open_file, sheet, text};

const AGREEMENT: &str = include_str!("../../data/agreements/god-och-nara-vard-2019.toml");
/// The bundled agreement's stated substitute date, whose figures it is split by.
const DATE: &str = "2018-12-31";

/// Largest remainder of `total` by `weights` (larger weight, then earlier row, first on equal
/// remainders): the reference the workbook's cells are checked against.
fn largest_remainder(total: u128, weights: &[u64]) -> Vec<u128> {
    let sum: u128 = weights.iter().map(|&weight| u128::from(weight)).sum();
    let mut parts: Vec<u128> = weights.iter().map(|&weight| total * u128::from(weight) / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    let remainder = |index: usize| total * u128::from(weights[index]) % sum;
    order.sort_by(|&a, &b| remainder(b).cmp(&remainder(a)).then(weights[b].cmp(&weights[a])).then(a.cmp(&b)));
    let left = total - parts.iter().sum::<u128>();
    for &index in order.iter().take(usize::try_from(left).unwrap()) {
        parts[index] += 1;
    }
    parts
}

/// Per area, in kr: the regions' money and the set-asides, from the agreement file (MSEK).
struct Area {
    regions: u128,
    set_aside: u128,
}

fn areas() -> Vec<Area> {
    let agreement: toml::Table = AGREEMENT.parse().unwrap();
    assert_eq!(agreement["unit"].as_str(), Some("MSEK"));
    let mkr = |value: &toml::Value| u128::try_from(value.as_integer().unwrap()).unwrap() * 1_000_000;
    agreement["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|area| Area {
            regions: mkr(&area["regions"]),
            set_aside: area
                .get("other")
                .and_then(toml::Value::as_array)
                .map_or(0, |other| other.iter().map(|entry| mkr(&entry["amount"])).sum()),
        })
        .collect()
}

fn agreement_total() -> u128 {
    let agreement: toml::Table = AGREEMENT.parse().unwrap();
    u128::try_from(agreement["total"].as_integer().unwrap()).unwrap() * 1_000_000
}

/// The reference split: per region (by code), per area, in kr.
fn reference() -> Vec<Vec<u128>> {
    let counties = bundled_counties(DATE);
    let weights: Vec<u64> = counties.iter().map(|(_, _, population)| *population).collect();
    let columns: Vec<Vec<u128>> = areas().iter().map(|area| largest_remainder(area.regions, &weights)).collect();
    (0..counties.len()).map(|region| columns.iter().map(|column| column[region]).collect()).collect()
}

/// Runs fordela in a fresh directory; returns it and the run.
fn run_in_temp(args: &[&str]) -> (tempfile::TempDir, common::Run) {
    let dir = temp_files(&[]);
    let run = fordela_in(dir.path(), args, None);
    (dir, run)
}

// Layout of the allocation sheet: a title row, the header, 21 regions, SKR, the total.
const HEADER: u32 = 1;
const FIRST: u32 = 2;
const REGIONS: u32 = 21;
const SKR: u32 = FIRST + REGIONS;
const TOTAL: u32 = SKR + 1;
const FIRST_AREA: u32 = 4;
const AREAS: u32 = 3;
const TOTAL_COLUMN: u32 = FIRST_AREA + AREAS;

fn column_letter(column: u32) -> char {
    char::from(b'A' + u8::try_from(column).unwrap())
}

/// The checks every allocation sheet passes, whatever its unit: codes are text, amounts are
/// numbers of `decimals` decimals, the total row and column are `SUM`s over the right ranges,
/// and everything adds up, both ways, to the agreement. The sheet's unit is `10^exponent` kr;
/// returns the cells in 10^-decimals of it.
fn check_allocation_sheet(
    values: &Range<Data>,
    formulas: &Range<String>,
    decimals: usize,
    exponent: u32,
) -> Vec<Vec<i128>> {
    let counties = bundled_counties(DATE);
    let areas = areas();
    let scale = 10i128.pow(u32::try_from(decimals).unwrap());
    let in_cells = |kr: u128| i128::try_from(kr).unwrap() * scale / 10i128.pow(exponent);
    let mut cells = Vec::new();
    for row in FIRST..TOTAL {
        let region = usize::try_from(row - FIRST).unwrap();
        if row < SKR {
            let (code, name, population) = &counties[region];
            assert_eq!(&text(values, row, 0), code, "codes are text: `01` stays `01`");
            assert_eq!(&text(values, row, 1), name);
            assert_eq!(exact(number(values, row, 2), 0), i128::from(*population));
        } else {
            assert_eq!(cell(values, row, 0), &Data::Empty);
            assert!(text(values, row, 1).starts_with("SKR"), "the set-aside row is labelled");
        }
        let amounts: Vec<i128> =
            (FIRST_AREA..TOTAL_COLUMN).map(|column| exact(number(values, row, column), decimals)).collect();
        let letter = |column| column_letter(column);
        assert_eq!(
            formula(formulas, row, TOTAL_COLUMN),
            format!("SUM({}{}:{}{})", letter(FIRST_AREA), row + 1, letter(TOTAL_COLUMN - 1), row + 1)
        );
        assert_eq!(exact(number(values, row, TOTAL_COLUMN), decimals), amounts.iter().sum::<i128>(), "row {row}");
        cells.push(amounts);
    }
    for (area_index, area) in areas.iter().enumerate() {
        let column = FIRST_AREA + u32::try_from(area_index).unwrap();
        let letter = column_letter(column);
        assert_eq!(formula(formulas, TOTAL, column), format!("SUM({letter}{}:{letter}{})", FIRST + 1, TOTAL));
        let cached = exact(number(values, TOTAL, column), decimals);
        let added: i128 = cells.iter().map(|row| row[area_index]).sum();
        assert_eq!(cached, in_cells(area.regions + area.set_aside), "{letter}: the cached total is the agreement's");
        assert_eq!(added, cached, "{letter}: the cells add up to it");
        let regions: i128 = cells[..21].iter().map(|row| row[area_index]).sum();
        assert_eq!(regions, in_cells(area.regions));
        assert_eq!(cells[21][area_index], in_cells(area.set_aside));
    }
    let letter = column_letter(TOTAL_COLUMN);
    assert_eq!(formula(formulas, TOTAL, TOTAL_COLUMN), format!("SUM({letter}{}:{letter}{})", FIRST + 1, TOTAL));
    assert_eq!(exact(number(values, TOTAL, TOTAL_COLUMN), decimals), in_cells(agreement_total()));
    let population: u64 = counties.iter().map(|(_, _, population)| population).sum();
    assert_eq!(formula(formulas, TOTAL, 2), format!("SUM(C{}:C{})", FIRST + 1, TOTAL));
    assert_eq!(exact(number(values, TOTAL, 2), 0), i128::from(population));
    cells
}

#[test]
fn the_allocation_workbook_has_text_codes_number_amounts_and_sums_that_are_the_agreements() {
    let (dir, run) = run_in_temp(&["allocate", "-o", "fordela.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty() && run.stderr.is_empty(), "the notes are in the workbook: {}", run.stderr);
    let mut book = open_file(&dir.path().join("fordela.xlsx"));
    assert_eq!(book.sheet_names(), ["Allocation", "Chart", "Notes"]);
    let (values, formulas) = sheet(&mut book, "Allocation");
    assert!(text(&values, 0, 0).starts_with("God och nära vård 2019"), "a title naming the agreement");
    assert!(text(&values, 0, 0).ends_with("amounts in kr"));
    assert_eq!(text(&values, HEADER, 0), "Code");
    assert_eq!(text(&values, HEADER, FIRST_AREA), "Omställning till god och nära vård (kr)");
    assert_eq!(text(&values, HEADER, TOTAL_COLUMN), "Total (kr)");
    assert_eq!(text(&values, TOTAL, 1), "Total");
    let cells = check_allocation_sheet(&values, &formulas, 0, 0);
    // Every region's cell is the reference split's, to the krona.
    for (region, expected) in reference().iter().enumerate() {
        let expected: Vec<i128> = expected.iter().map(|&kr| i128::try_from(kr).unwrap()).collect();
        assert_eq!(cells[region], expected, "region {region}");
    }
    // Shares are fractions of 1 that add up to exactly 100 %.
    let shares: i128 = (FIRST..SKR).map(|row| exact(number(&values, row, 3), 6)).sum();
    assert_eq!(shares, 1_000_000);
    assert_eq!(formula(&formulas, TOTAL, 3), format!("SUM(D{}:D{})", FIRST + 1, TOTAL));
}

#[test]
fn the_notes_sheet_says_what_an_auditor_needs() {
    let (dir, run) = run_in_temp(&["allocate", "-o", "fordela.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("fordela.xlsx"));
    let (values, _) = sheet(&mut book, "Notes");
    let pairs: Vec<(String, String)> = values
        .rows()
        .filter_map(|row| match row {
            [Data::String(label), Data::String(value), ..] => Some((label.clone(), value.clone())),
            _ => None,
        })
        .collect();
    let value = |label: &str| {
        pairs
            .iter()
            .find(|(name, _)| name == label)
            .map_or_else(|| panic!("no `{label}` in {pairs:?}"), |(_, value)| value.clone())
    };
    assert_eq!(value("Agreement"), "God och nära vård 2019");
    assert!(value("Source").starts_with("SKR, Överenskommelse om en god och nära vård (2019)"));
    assert_eq!(value("Population date used"), DATE);
    assert_eq!(value("Agreement's population date"), "2018-11-01");
    assert!(value("Substitution and reason").contains("not bundled"));
    assert!(value("Method: omstallning").contains("largest remainder"));
    assert_eq!(value("Ties"), "none");
    assert_eq!(value("Excluded regions"), "none");
    assert_eq!(value("fordela version"), env!("CARGO_PKG_VERSION"));
    // Each input by its SHA-256, computed here from the bundled files' bytes.
    let agreement_hash = sha256_hex(AGREEMENT.as_bytes());
    let population_hash = sha256_hex(include_bytes!("../../data/population/scb-county-population-31dec-2010-2020.csv"));
    assert_eq!(value("SHA-256: bundled:data/agreements/god-och-nara-vard-2019.toml"), agreement_hash);
    assert_eq!(value("SHA-256: bundled:data/population/scb-county-population-31dec-2010-2020.csv"), population_hash);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().fold(String::new(), |mut hex, byte| {
        use std::fmt::Write;
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

#[test]
fn in_mkr_the_amounts_are_six_decimal_numbers_that_still_add_up_exactly() {
    let (dir, run) = run_in_temp(&["allocate", "--unit", "mkr", "-o", "mkr.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("mkr.xlsx"));
    let (values, formulas) = sheet(&mut book, "Allocation");
    assert_eq!(text(&values, HEADER, FIRST_AREA), "Omställning till god och nära vård (mkr)");
    // In millionths of a mkr: kronor.
    let cells = check_allocation_sheet(&values, &formulas, 6, 6);
    for (region, expected) in reference().iter().enumerate() {
        let expected: Vec<i128> = expected.iter().map(|&kr| i128::try_from(kr).unwrap()).collect();
        assert_eq!(cells[region], expected, "region {region}");
    }
    // The floating-point sum a spreadsheet computes shows the exact total at six decimals.
    let column: f64 = (FIRST..TOTAL).map(|row| number(&values, row, FIRST_AREA)).sum();
    assert_eq!(format!("{column:.6}"), "1515.000000");
}

#[test]
fn rounded_to_a_tenth_of_a_mkr_the_sums_add_up_both_ways() {
    let (dir, run) = run_in_temp(&["allocate", "--round", "0.1mkr", "--unit", "mkr", "-o", "rounded.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("rounded.xlsx"));
    let (values, formulas) = sheet(&mut book, "Allocation");
    assert!(text(&values, 1, 0).starts_with("Rounded to 100 000 kr"), "{}", text(&values, 1, 0));
    // One more title line: everything one row down.
    let shifted = |row: u32| row + 1;
    let mut area_sums = [0i128; 3];
    let mut grand = 0;
    for row in shifted(FIRST)..shifted(TOTAL) {
        let cells: Vec<i128> =
            (FIRST_AREA..TOTAL_COLUMN).map(|column| exact(number(&values, row, column), 1)).collect();
        let row_total = exact(number(&values, row, TOTAL_COLUMN), 1);
        assert_eq!(row_total, cells.iter().sum::<i128>(), "row {row} adds up across");
        assert_eq!(formula(&formulas, row, TOTAL_COLUMN), format!("SUM(E{0}:G{0})", row + 1));
        for (sum, cell) in area_sums.iter_mut().zip(&cells) {
            *sum += cell;
        }
        grand += row_total;
    }
    let tenths = |kr: u128| i128::try_from(kr / 100_000).unwrap();
    for (index, area) in areas().iter().enumerate() {
        let column = FIRST_AREA + u32::try_from(index).unwrap();
        assert_eq!(area_sums[index], tenths(area.regions + area.set_aside), "column {column} adds up down");
        assert_eq!(exact(number(&values, shifted(TOTAL), column), 1), area_sums[index]);
        let letter = column_letter(column);
        assert_eq!(
            formula(&formulas, shifted(TOTAL), column),
            format!("SUM({letter}{}:{letter}{})", shifted(FIRST) + 1, shifted(TOTAL))
        );
    }
    assert_eq!(grand, tenths(agreement_total()));
    assert_eq!(exact(number(&values, shifted(TOTAL), TOTAL_COLUMN), 1), grand);
    // Each rounded cell is its exact amount rounded down or up.
    for (region, exact_row) in reference().iter().enumerate() {
        let row = shifted(FIRST) + u32::try_from(region).unwrap();
        for (index, &kr) in exact_row.iter().enumerate() {
            let shown = exact(number(&values, row, FIRST_AREA + u32::try_from(index).unwrap()), 1);
            let down = tenths(kr);
            assert!(shown == down || shown == down + 1, "region {region}, area {index}: {shown} for {kr} kr");
        }
    }
}

#[test]
fn one_regions_targets_as_a_workbook_add_up_to_its_total_rounded() {
    let (dir, run) = run_in_temp(&["allocate", "--region", "23", "--round", "0.1mkr", "-o", "targets.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("targets.xlsx"));
    assert_eq!(book.sheet_names(), ["Targets", "Notes"]);
    let (values, formulas) = sheet(&mut book, "Targets");
    // Two title lines, the header, three areas, the total.
    let (first, total) = (3, 6);
    let jamtland = &reference()[bundled_counties(DATE).iter().position(|(code, ..)| code == "23").unwrap()];
    let mut exact_sum = 0;
    let mut target_sum = 0;
    for (index, row) in (first..total).enumerate() {
        let exact_cell = exact(number(&values, row, 2), 6);
        assert_eq!(exact_cell, i128::try_from(jamtland[index]).unwrap(), "the exact amount, in mkr");
        let target = exact(number(&values, row, 3), 1);
        let down = i128::try_from(jamtland[index] / 100_000).unwrap();
        assert!(target == down || target == down + 1);
        exact_sum += exact_cell;
        target_sum += target;
    }
    assert_eq!(text(&values, 3, 0), "omstallning");
    assert_eq!(formula(&formulas, total, 2), "SUM(C4:C6)");
    assert_eq!(formula(&formulas, total, 3), "SUM(D4:D6)");
    assert_eq!(exact(number(&values, total, 2), 6), exact_sum);
    // 30,640080 mkr rounds to 30,6: the targets (19,1 / 5,8 / 5,7, see the seed) add up to it.
    assert_eq!(exact(number(&values, total, 3), 1), 306);
    assert_eq!(target_sum, 306);
}

#[test]
fn the_check_workbook_has_the_area_table_and_one_finding_a_row_with_its_id() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jamtland-harjedalen-2019.toml");
    let (dir, run) = run_in_temp(&["check", plan.to_str().unwrap(), "-o", "check.xlsx"]);
    assert_eq!(run.code, 0, "a warning only: {}", run.stderr);
    let mut book = open_file(&dir.path().join("check.xlsx"));
    assert_eq!(book.sheet_names(), ["Check", "Findings", "Notes"]);
    let (values, _) = sheet(&mut book, "Check");
    assert_eq!(text(&values, 2, 0), "Area");
    assert_eq!(text(&values, 3, 0), "omstallning");
    // The allocation in mkr, exactly; the plan's figures as numbers.
    let jamtland = &reference()[bundled_counties(DATE).iter().position(|(code, ..)| code == "23").unwrap()];
    assert_eq!(exact(number(&values, 3, 1), 6), i128::try_from(jamtland[0]).unwrap());
    assert_eq!(exact(number(&values, 3, 3), 1), 190);
    assert_eq!(exact(number(&values, 6, 1), 6), i128::try_from(jamtland.iter().sum::<u128>()).unwrap());
    assert!(number(&values, 3, 5) < 0.0, "a negative difference stays a negative number");
    assert_eq!(text(&values, 3, 7), "allocation-under");
    let (findings, _) = sheet(&mut book, "Findings");
    assert_eq!(text(&findings, 1, 1), "Id");
    assert_eq!(text(&findings, 2, 1), "allocation-under");
    assert_eq!(text(&findings, 2, 2), "warning");
    assert_eq!(text(&findings, 2, 3), "omstallning");
    assert!(text(&findings, 2, 5).contains("19,1 / 5,8 / 5,7"));
    assert_eq!(cell(&findings, 3, 1), &Data::Empty, "one finding, one row");
}

#[test]
fn explain_and_list_write_workbooks_too() {
    let (dir, run) = run_in_temp(&["explain", "23", "-o", "explain.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("explain.xlsx"));
    assert_eq!(book.sheet_names(), ["Derivation", "Notes"]);
    let (values, formulas) = sheet(&mut book, "Derivation");
    let jamtland = &reference()[bundled_counties(DATE).iter().position(|(code, ..)| code == "23").unwrap()];
    for (index, &kr) in jamtland.iter().enumerate() {
        let row = 3 + u32::try_from(index).unwrap();
        assert_eq!(exact(number(&values, row, 9), 0), i128::try_from(kr).unwrap());
    }
    assert_eq!(formula(&formulas, 6, 9), "SUM(J4:J6)");
    assert_eq!(exact(number(&values, 6, 9), 0), i128::try_from(jamtland.iter().sum::<u128>()).unwrap());

    let (dir, run) = run_in_temp(&["list", "-o", "list.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("list.xlsx"));
    assert_eq!(book.sheet_names(), ["Agreements", "Population tables"]);
    let (values, _) = sheet(&mut book, "Agreements");
    assert_eq!(text(&values, 2, 0), "god-och-nara-vard-2019");
    assert_eq!(exact(number(&values, 2, 2), 0), 2430);
    assert_eq!(text(&values, 2, 3), "mkr");
}

#[test]
fn the_swedish_explain_workbook_names_its_method_and_figures_in_swedish() {
    let (dir, run) = run_in_temp(&["--lang", "sv", "explain", "23", "-o", "sv.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("sv.xlsx"));
    assert_eq!(book.sheet_names(), ["Härledning", "Underlag"]);
    let (values, _) = sheet(&mut book, "Härledning");
    let counties = bundled_counties(DATE);
    let people = u128::from(counties.iter().find(|(code, ..)| code == "23").unwrap().2);
    let total: u128 = counties.iter().map(|(_, _, people)| u128::from(*people)).sum();
    assert!(text(&values, 1, 0).starts_with(&format!("Befolkning {} av {} ", grouped(people), grouped(total))));
    for (area, regions) in areas().iter().enumerate() {
        let row = 3 + u32::try_from(area).unwrap();
        assert_eq!(text(&values, row, 2), "största rest");
        let quota = text(&values, row, 5);
        let whole = regions.regions * people / total;
        let expected = format!(
            "population: {} × {} / {} = {},",
            grouped(regions.regions),
            grouped(people),
            grouped(total),
            grouped(whole)
        );
        assert!(quota.starts_with(&expected), "{quota} does not start with {expected}");
    }
    let (notes, _) = sheet(&mut book, "Underlag");
    let share = (0..notes.height() as u32).find(|&row| text(&notes, row, 0) == "Andel").map(|row| text(&notes, row, 1));
    // 130280 / 10230185 = 0,0127…: the decimal comma, as the sheet's other figures.
    assert!(
        share.as_deref().is_some_and(|share| share.starts_with(&format!("{people} / {total} = 0,0127"))),
        "{share:?}"
    );
}

#[test]
fn swedish_labels_name_the_sheets_and_columns() {
    let (dir, run) = run_in_temp(&["--lang", "sv", "allocate", "-o", "sv.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("sv.xlsx"));
    assert_eq!(book.sheet_names(), ["Fördelning", "Diagram", "Underlag"]);
    let (values, formulas) = sheet(&mut book, "Fördelning");
    assert_eq!(text(&values, HEADER, 0), "Kod");
    assert_eq!(text(&values, HEADER, TOTAL_COLUMN), "Totalt (kr)");
    assert_eq!(text(&values, TOTAL, 1), "Totalt");
    assert_eq!(text(&values, SKR, 1), "SKR (avsatt)");
    check_allocation_sheet(&values, &formulas, 0, 0);
}

#[test]
fn a_workbook_to_a_redirected_stdout_is_the_same_workbook() {
    let run = fordela(&["allocate", "--format", "xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.bytes.starts_with(b"PK"), "a zip file");
    let mut book = open(run.bytes);
    let (values, formulas) = sheet(&mut book, "Allocation");
    check_allocation_sheet(&values, &formulas, 0, 0);
}

#[test]
fn a_format_that_disagrees_with_the_files_name_is_refused_and_writes_nothing() {
    for args in [
        &["allocate", "--format", "csv", "-o", "out.xlsx"][..],
        &["allocate", "--excel", "-o", "out.xlsx"],
        &["allocate", "--format", "xlsx", "-o", "out.csv"],
        &["list", "--format", "json", "-o", "out.xlsx"],
    ] {
        let (dir, run) = run_in_temp(args);
        common::refused(&run);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "{args:?} wrote a file");
    }
}

#[test]
fn a_failed_run_leaves_no_workbook_and_the_old_one_as_it_was() {
    let dir = temp_files(&[("bad.csv", b"code,region,date,population\n01,Stockholms l\xc3\xa4n,2018-12-31,x\n")]);
    let run = fordela_in(dir.path(), &["allocate", "--population", "bad.csv", "-o", "new.xlsx"], None);
    common::refused(&run);
    assert!(!dir.path().join("new.xlsx").exists());
    std::fs::write(dir.path().join("old.xlsx"), b"the old file").unwrap();
    let run = fordela_in(dir.path(), &["allocate", "--population", "bad.csv", "-o", "old.xlsx"], None);
    common::refused(&run);
    assert_eq!(std::fs::read(dir.path().join("old.xlsx")).unwrap(), b"the old file");
}

#[test]
fn an_amount_a_spreadsheet_cannot_hold_exactly_is_an_error_not_a_rounded_number() {
    // Synthetic: 20 000 000 000 000 000 kr (17 digits) over the bundled counties. CSV keeps
    // every digit; a workbook cannot, and says so.
    let agreement = "name = \"Synthetic, too large for a spreadsheet\"\nunit = \"kr\"\ntotal = 20000000000000000\n\
                     population_date = 2018-12-31\n\n[[areas]]\nid = \"all\"\nname = \"All\"\nregions = 20000000000000000\n";
    let dir = temp_files(&[("huge.toml", agreement.as_bytes())]);
    let csv = fordela_in(dir.path(), &["allocate", "huge.toml", "--format", "csv"], None);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let run = fordela_in(dir.path(), &["allocate", "huge.toml", "-o", "huge.xlsx"], None);
    common::assert_refused(&run, &["significant digits", "cell"]);
    assert!(!dir.path().join("huge.xlsx").exists());
}

#[test]
fn a_withheld_share_is_a_labelled_row_and_the_columns_still_add_up_to_the_agreement() {
    let (dir, run) =
        run_in_temp(&["allocate", "--exclude", "23", "--exclusion-policy", "withhold", "-o", "withheld.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("withheld.xlsx"));
    let (values, formulas) = sheet(&mut book, "Allocation");
    // 21 regions, SKR, the withheld row, the total.
    let (withheld, total) = (SKR + 1, SKR + 2);
    assert_eq!(text(&values, withheld, 1), "Withheld (not eligible)");
    let jamtland = &reference()[bundled_counties(DATE).iter().position(|(code, ..)| code == "23").unwrap()];
    let row23 =
        FIRST + u32::try_from(bundled_counties(DATE).iter().position(|(code, ..)| code == "23").unwrap()).unwrap();
    for (index, area) in areas().iter().enumerate() {
        let column = FIRST_AREA + u32::try_from(index).unwrap();
        assert_eq!(exact(number(&values, row23, column), 0), 0, "the excluded region gets nothing");
        // Withholding keeps the others' amounts as they were: what is withheld is 23's share.
        assert_eq!(exact(number(&values, withheld, column), 0), i128::try_from(jamtland[index]).unwrap());
        let added: i128 = (FIRST..total).map(|row| exact(number(&values, row, column), 0)).sum();
        assert_eq!(added, i128::try_from(area.regions + area.set_aside).unwrap());
        assert_eq!(exact(number(&values, total, column), 0), added);
        let letter = column_letter(column);
        assert_eq!(formula(&formulas, total, column), format!("SUM({letter}{}:{letter}{})", FIRST + 1, total));
    }
    let (notes, _) = sheet(&mut book, "Notes");
    let excluded = notes.rows().find(|row| matches!(&row[0], Data::String(label) if label == "Excluded regions"));
    assert!(matches!(excluded, Some([_, Data::String(words), ..]) if words.contains("23")), "{excluded:?}");
}

// ---------------------------------------------------------------------------------------------
// payouts, follow-up, report, diff, audit and allocate --nested

/// The row (0-based) whose column `column` reads `label`.
fn row_of(range: &Range<Data>, column: u32, label: &str) -> u32 {
    let height = range.end().unwrap().0 + 1;
    (0..height)
        .find(|&row| matches!(cell(range, row, column), Data::String(text) if text == label))
        .unwrap_or_else(|| panic!("no row with `{label}` in column {column}"))
}

/// Runs fordela in a fresh directory holding `files`; the workbook it wrote is `out`.
fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> (tempfile::TempDir, common::Run) {
    let dir = temp_files(files);
    let run = fordela_in(dir.path(), args, None);
    (dir, run)
}

fn manifest(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).to_str().unwrap().to_string()
}

// ---------------------------------------------------------------------------------------------
// payouts

const DECISIONS: &str = "provider,area,amount,from,to
Vårdcentral A,tillganglighet,1000001,2019Q1,2019Q4
Vårdcentral A,patientkontrakt,250001,2019-Q3,2019-Q4
Vårdcentral B,tillganglighet,600002,2019 kv1,2019 kv4
";

#[test]
fn payouts_workbook_sums_exactly_the_decision_cells_both_ways() {
    let (dir, run) = run_in(&[("d.csv", DECISIONS.as_bytes())], &["payouts", "d.csv", "-o", "p.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let mut book = open_file(&dir.path().join("p.xlsx"));
    let (values, formulas) = sheet(&mut book, "Payouts");
    // Two title lines, the header on row 2 (C3 in the sheet), quarters from column F (5).
    assert_eq!(text(&values, 2, 0), "Kind");
    assert_eq!(text(&values, 2, 5), "2019Q1\n2019-01-31", "the payment date under the quarter");
    assert_eq!(text(&values, 2, 8), "2019Q4\n2019-10-31");
    // By hand: 1 000 001 = 250 001 + 3 · 250 000; 250 001 over Q3–Q4 = 125 001 + 125 000;
    // 600 002 = 150 001 + 150 001 + 150 000 + 150 000.
    let decisions: [[i128; 4]; 3] =
        [[250_001, 250_000, 250_000, 250_000], [0, 0, 125_001, 125_000], [150_001, 150_001, 150_000, 150_000]];
    for (offset, expected) in decisions.iter().enumerate() {
        let row = 3 + u32::try_from(offset).unwrap();
        assert_eq!(text(&values, row, 0), "decision");
        let cells: Vec<i128> = (5..9).map(|column| exact(number(&values, row, column), 0)).collect();
        assert_eq!(cells, expected);
        assert_eq!(formula(&formulas, row, 9), format!("SUM(F{0}:I{0})", row + 1), "the total across the quarters");
        assert_eq!(exact(number(&values, row, 9), 0), expected.iter().sum::<i128>());
    }
    assert_eq!(exact(number(&values, 3, 9), 0), 1_000_001);
    // Sum lines: tillganglighet is decisions 1 and 3 (sheet rows 4 and 6), Vårdcentral A
    // decisions 1 and 2, the total all three: each a SUM of exactly those cells.
    let lines = [
        ("area", "all", "tillganglighet", vec![0, 2], "SUM({c}4,{c}6)"),
        ("area", "all", "patientkontrakt", vec![1], "SUM({c}5)"),
        ("provider", "Vårdcentral A", "all", vec![0, 1], "SUM({c}4:{c}5)"),
        ("provider", "Vårdcentral B", "all", vec![2], "SUM({c}6)"),
        ("total", "", "", vec![0, 1, 2], "SUM({c}4:{c}6)"),
    ];
    for (offset, (kind, provider, area, members, shape)) in lines.iter().enumerate() {
        let row = 6 + u32::try_from(offset).unwrap();
        assert_eq!(text(&values, row, 0), *kind);
        if !provider.is_empty() {
            assert_eq!((text(&values, row, 1), text(&values, row, 2)), (provider.to_string(), area.to_string()));
        }
        for (quarter, letter) in ["F", "G", "H", "I"].iter().enumerate() {
            let column = 5 + u32::try_from(quarter).unwrap();
            assert_eq!(formula(&formulas, row, column), shape.replace("{c}", letter), "{kind} {provider} {area}");
            let expected: i128 = members.iter().map(|&member: &usize| decisions[member][quarter]).sum();
            assert_eq!(exact(number(&values, row, column), 0), expected, "{kind} {provider} {area} Q{}", quarter + 1);
            // The cells the formula names, added up here, give the same.
            let added: i128 = members
                .iter()
                .map(|&member| exact(number(&values, 3 + u32::try_from(member).unwrap(), column), 0))
                .sum();
            assert_eq!(added, expected);
        }
        assert_eq!(formula(&formulas, row, 9), format!("SUM(F{0}:I{0})", row + 1));
    }
    // The year: 1 000 001 + 250 001 + 600 002.
    assert_eq!(exact(number(&values, 10, 9), 0), 1_850_004);
    let (notes, _) = sheet(&mut book, "Notes");
    assert_eq!(text(&notes, 1, 0), "Item");
    let (findings, _) = sheet(&mut book, "Findings");
    assert_eq!(text(&findings, 3, 0), "No findings.");
}

#[test]
fn payouts_workbook_with_requests_has_the_ledger_and_the_finding() {
    // 1 000 001 − 250 001 = 750 000 left when 800 000 is asked in Q2: refused.
    let requests = "provider,area,quarter,amount\nVårdcentral A,tillganglighet,2019Q1,250001\n\
                    Vårdcentral A,tillganglighet,2019Q2,800000\n";
    let (dir, run) = run_in(
        &[("d.csv", DECISIONS.as_bytes()), ("r.csv", requests.as_bytes())],
        &["--lang", "sv", "payouts", "d.csv", "--requests", "r.csv", "-o", "p.xlsx"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("p.xlsx"));
    let (values, formulas) = sheet(&mut book, "Utbetalningar");
    assert_eq!(text(&values, 2, 10), "Begärt (kr)");
    assert_eq!(text(&values, 2, 11), "Kvar (kr)");
    // Decision 1: 250 001 accepted, 750 000 left; the others nothing asked.
    assert_eq!(exact(number(&values, 3, 10), 0), 250_001);
    assert_eq!(exact(number(&values, 3, 11), 0), 750_000);
    let total = row_of(&values, 0, "totalt");
    assert_eq!(formula(&formulas, total, 11), format!("SUM(L4:L6)"));
    // Left in all: 750 000 + 250 001 + 600 002.
    assert_eq!(exact(number(&values, total, 11), 0), 1_600_003);
    let (ledger, _) = sheet(&mut book, "Rekvisitioner");
    assert_eq!(text(&ledger, 1, 4), "Utfall");
    assert_eq!(text(&ledger, 3, 4), "över beslutet");
    assert_eq!(exact(number(&ledger, 3, 3), 0), 800_000);
    assert_eq!(exact(number(&ledger, 3, 5), 0), 750_000);
    let (findings, _) = sheet(&mut book, "Avvikelser");
    assert_eq!(text(&findings, 2, 1), "request-over");
}

#[test]
fn payouts_refuse_a_workbook_to_a_terminal_name_and_a_csv_named_xlsx() {
    let (_dir, run) = run_in(&[("d.csv", DECISIONS.as_bytes())], &["payouts", "d.csv", "-f", "xlsx", "-o", "p.csv"]);
    common::assert_refused(&run, &["name the file .xlsx"]);
    let (_dir, run) = run_in(&[("d.csv", DECISIONS.as_bytes())], &["payouts", "d.csv", "--excel", "-o", "p.xlsx"]);
    common::assert_refused(&run, &["cannot be written to p.xlsx"]);
    let (_dir, run) = run_in(&[("d.csv", DECISIONS.as_bytes())], &["payouts", "d.csv", "-f", "xlsx", "-o", "/dev/tty"]);
    common::assert_refused(&run, &["not written to a terminal"]);
}

// ---------------------------------------------------------------------------------------------
// follow-up

const PLAN: &str = "examples/jamtland-harjedalen-2019.toml";
const OUTCOME: &str = "examples/jamtland-harjedalen-2019-utfall.csv";

/// The example's rows read here, by splitting the file: (intervention, kr, date, object).
fn example_rows() -> Vec<(String, i128, String, String)> {
    let text = std::fs::read_to_string(manifest(OUTCOME)).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split(';').collect();
            (fields[0].to_string(), fields[1].replace(' ', "").parse().unwrap(), fields[2].into(), fields[3].into())
        })
        .collect()
}

#[test]
fn follow_up_workbook_has_live_remaining_subtotals_and_totals_worked_by_hand() {
    let out = ["follow-up", &manifest(PLAN), &manifest(OUTCOME), "--object", "9916", "--until", "2019-12-31"];
    let (dir, run) = run_in(&[], &[&out[..], &["-o", "f.xlsx"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("f.xlsx"));
    let (values, formulas) = sheet(&mut book, "Follow-up");
    let header = row_of(&values, 0, "Area");
    assert_eq!(text(&values, header, 2), "Budget (mkr)");
    let kr = |row: u32, column: u32| exact(number(&values, row, column), 6);
    // Every intervention: outcome added up here from the file's rows; remaining = C − D live.
    let counted: Vec<_> = example_rows()
        .into_iter()
        .filter(|(_, _, date, object)| object == "9916" && date.as_str() <= "2019-12-31")
        .collect();
    let total = row_of(&values, 0, "Total");
    let mut interventions = Vec::new();
    for row in header + 1..total {
        if text(&values, row, 1) == "Area total" {
            continue;
        }
        interventions.push(row);
        let name = text(&values, row, 1);
        let spent: i128 = counted.iter().filter(|entry| entry.0 == name).map(|entry| entry.1).sum();
        assert_eq!(kr(row, 3), spent, "{name}");
        assert_eq!(formula(&formulas, row, 4), format!("C{0}-D{0}", row + 1));
        assert_eq!(kr(row, 4), kr(row, 2) - spent, "{name}");
    }
    assert_eq!(interventions.len(), 14);
    // The omstallning subtotal: the five rows above it, exactly.
    let first_subtotal = row_of(&values, 1, "Area total");
    assert_eq!(formula(&formulas, first_subtotal, 2), format!("SUM(C{}:C{})", header + 2, first_subtotal));
    assert_eq!(kr(first_subtotal, 2), 19_000_000);
    // The total: a SUM of the interventions' cells only, never of the subtotals.
    let shape = formula(&formulas, total, 3);
    assert!(shape.starts_with("SUM(D") && !shape.contains(&format!("D{}", first_subtotal + 1)), "{shape}");
    let added = |column: u32| interventions.iter().map(|&row| kr(row, column)).sum::<i128>();
    // By hand (tests/integration/follow_up.rs): 30,6 mkr budget, 17 612 550 + 4 445 000 +
    // 5 310 000 = 27 367 550 kr outcome, 3 232 450 kr left.
    assert_eq!((kr(total, 2), kr(total, 3), kr(total, 4)), (30_600_000, 27_367_550, 3_232_450));
    assert_eq!((added(2), added(3), added(4)), (30_600_000, 27_367_550, 3_232_450));
    // Share used as a number: 27 367 550 / 30 600 000 = 89,436…% → 0,8944.
    assert_eq!(exact(number(&values, total, 5), 4), 8944);
    // Comments and decisions are text.
    let zamsyn = row_of(&values, 1, "Zamsynsdagar 22-23 oktober");
    assert_eq!(text(&values, zamsyn, 6), "HSN 2019-09-17 § 88");
    // Rows not counted: 250 000 + 95 000 + 42 500 kr on other objects; 120 000 kr after the year.
    let (left, left_formulas) = sheet(&mut book, "Not counted");
    let sums: Vec<(String, i128)> = (2..12)
        .filter(|&row| matches!(cell(&left, row, 2), Data::String(text) if text == "Total"))
        .map(|row| (formula(&left_formulas, row, 6), exact(number(&left, row, 6), 6)))
        .collect();
    assert_eq!(sums, [("SUM(G3:G5)".to_string(), 387_500), ("SUM(G7)".to_string(), 120_000)]);
    let (findings, _) = sheet(&mut book, "Findings");
    let ids: Vec<String> = (2..20)
        .filter_map(|row| match cell(&findings, row, 1) {
            Data::String(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    assert!(
        ids.contains(&"over-budget-decided".to_string()) && ids.contains(&"rows-after-period".to_string()),
        "{ids:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// report

#[test]
fn report_as_a_workbook_in_swedish_with_the_allocation_and_sums() {
    let (dir, run) = run_in(&[], &["report", &manifest(PLAN), &manifest(OUTCOME), "--object", "9916", "-o", "r.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let mut book = open_file(&dir.path().join("r.xlsx"));
    let (values, formulas) = sheet(&mut book, "Redovisning");
    let header = row_of(&values, 0, "Område");
    assert_eq!(text(&values, header, 2), "Tilldelning (mkr)");
    assert!(text(&values, 1, 0).contains("2018-12-31"), "the population date used");
    let total = row_of(&values, 0, "Totalt");
    assert_eq!(total, header + 4);
    let mkr6 = |row: u32, column: u32| exact(number(&values, row, column), 6);
    // Jämtland's exact parts (issue 14): 19,102294 + 5,768893 + 5,768893 = 30,640080 mkr.
    assert_eq!(
        (mkr6(header + 1, 2), mkr6(header + 2, 2), mkr6(header + 3, 2), mkr6(total, 2)),
        (19_102_294, 5_768_893, 5_768_893, 30_640_080)
    );
    assert_eq!(formula(&formulas, total, 2), format!("SUM(C{}:C{})", header + 2, header + 4));
    assert_eq!(formula(&formulas, header + 1, 5), format!("D{0}-E{0}", header + 2));
    // Plan 30,6 mkr; outcome on 9916, January's 120 000 kr included: 27 367 550 + 120 000 kr.
    assert_eq!((mkr6(total, 3), mkr6(total, 4), mkr6(total, 5)), (30_600_000, 27_487_550, 3_112_450));
    let added: i128 = (header + 1..total).map(|row| mkr6(row, 4)).sum();
    assert_eq!(added, 27_487_550);
    let (interventions, _) = sheet(&mut book, "Uppföljning");
    assert_eq!(text(&interventions, row_of(&interventions, 0, "Område"), 1), "Insats");
    let (findings, _) = sheet(&mut book, "Avvikelser");
    assert!((2..20).any(|row| matches!(cell(&findings, row, 1), Data::String(id) if id == "over-budget")));
    let (notes, _) = sheet(&mut book, "Underlag");
    assert!((2..40).any(|row| matches!(cell(&notes, row, 0), Data::String(label) if label.starts_with("SHA-256"))));
}

// ---------------------------------------------------------------------------------------------
// diff

#[test]
fn diff_workbook_shows_the_move_with_live_differences_and_summed_areas() {
    let plan = std::fs::read_to_string(manifest("examples/jamtland-harjedalen-2019.csv")).unwrap();
    // 0,2 mkr moved within tillganglighet: Utökade öppettider 1 → 0,8, Förändrade arbetssätt 1,8 → 2.
    let new = plan.replacen("Utökade öppettider;1", "Utökade öppettider;0,8", 1).replacen(
        "Förändrade arbetssätt;1,8",
        "Förändrade arbetssätt;2",
        1,
    );
    assert_ne!(new, plan);
    let (dir, run) = run_in(
        &[("old.csv", plan.as_bytes()), ("new.csv", new.as_bytes())],
        &["diff", "old.csv", "new.csv", "--unit", "mkr", "-o", "d.xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("d.xlsx"));
    let (values, formulas) = sheet(&mut book, "Interventions");
    let row = row_of(&values, 3, "Utökade öppettider");
    assert_eq!(text(&values, row, 2), "changed");
    assert_eq!((exact(number(&values, row, 5), 1), exact(number(&values, row, 6), 1)), (10, 8));
    assert_eq!(formula(&formulas, row, 7), format!("G{0}-F{0}", row + 1));
    assert_eq!(exact(number(&values, row, 7), 1), -2);
    let (areas, area_formulas) = sheet(&mut book, "Areas");
    let total = row_of(&areas, 0, "Total");
    assert_eq!(formula(&area_formulas, total, 1), format!("SUM(B3:B{total})"));
    assert_eq!(formula(&area_formulas, total, 2), format!("SUM(C3:C{total})"));
    // 19 + 5,8 + 5,8 both before and after.
    let added: i128 = (2..total).map(|row| exact(number(&areas, row, 2), 1)).sum();
    assert_eq!((exact(number(&areas, total, 2), 1), added), (306, 306));
}

// ---------------------------------------------------------------------------------------------
// audit

#[test]
fn audit_workbook_has_codes_as_text_quotas_exact_or_marked_and_the_published_sum_live() {
    // A table of 21 rows adding up to 454 mkr against tillganglighet's 453: a row changed by one.
    let (dir, run) = run_in(
        &[],
        &[
            "audit",
            &manifest("examples/audit/tillganglighet-half-up-mkr.csv"),
            "--area",
            "tillganglighet",
            "-o",
            "a.xlsx",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("a.xlsx"));
    let (values, formulas) = sheet(&mut book, "Audit");
    let header = row_of(&values, 0, "Column");
    assert_eq!(text(&values, header + 1, 2), "01", "codes are text");
    assert!(text(&values, header + 1, 5).ends_with('…'), "a quota that is no short decimal is marked text");
    let published: Vec<i128> = (header + 1..header + 22).map(|row| exact(number(&values, row, 6), 0)).collect();
    // The file's amounts, read here.
    let file = std::fs::read_to_string(manifest("examples/audit/tillganglighet-half-up-mkr.csv")).unwrap();
    let from_file: Vec<i128> = file
        .lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| line.split(';').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(published, from_file);
    let sum = header + 22;
    assert_eq!(formula(&formulas, sum, 6), format!("SUM(G{}:G{})", header + 2, header + 22));
    assert_eq!(exact(number(&values, sum, 6), 0), from_file.iter().sum::<i128>());
    assert_eq!(exact(number(&values, sum, 5), 0), 453, "the area's total");
    let (dates, _) = sheet(&mut book, "Dates");
    assert_eq!(text(&dates, 2, 0), "2010-12-31");
    let (findings, _) = sheet(&mut book, "Findings");
    assert!((2..40).any(|row| matches!(cell(&findings, row, 1), Data::String(id) if id == "audit-total-mismatch")));
}

// ---------------------------------------------------------------------------------------------
// allocate --nested

#[test]
fn nested_allocation_workbook_shows_each_county_and_still_adds_up() {
    let (dir, run) = run_in(
        &[],
        &["allocate", "--nested", "--population", "scb-municipality-population-31dec-2017-2019", "-o", "n.xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("n.xlsx"));
    let (values, formulas) = sheet(&mut book, "Allocation");
    assert_eq!(text(&values, 1, 2), "County");
    assert_eq!((text(&values, 2, 0), text(&values, 2, 2)), ("0114".to_string(), "01".to_string()));
    let total = row_of(&values, 1, "Total");
    // 290 municipalities and SKR's set-aside row above the total.
    assert_eq!(total, 2 + 290 + 1);
    // Per area, the agreement's figures in MSEK: 1 500 + 15 set aside, 453, 453 + 9.
    for (column, letter, mkr) in [(5, "F", 1_515), (6, "G", 453), (7, "H", 462)] {
        assert_eq!(formula(&formulas, total, column), format!("SUM({letter}3:{letter}{total})"));
        let added: i128 = (2..total).map(|row| exact(number(&values, row, column), 0)).sum();
        assert_eq!((added, exact(number(&values, total, column), 0)), (mkr * 1_000_000, mkr * 1_000_000));
    }
    // Jämtland's municipalities (county 23) add up to its amounts (issue 14): 19 102 294 kr,
    // 5 768 893 kr, 5 768 893 kr.
    let jamtland: Vec<u32> =
        (2..total).filter(|&row| matches!(cell(&values, row, 2), Data::String(county) if county == "23")).collect();
    assert_eq!(jamtland.len(), 8);
    let sums: Vec<i128> =
        (5..8).map(|column| jamtland.iter().map(|&row| exact(number(&values, row, column), 0)).sum()).collect();
    assert_eq!(sums, [19_102_294, 5_768_893, 5_768_893]);
    let (notes, _) = sheet(&mut book, "Notes");
    assert!((2..40).any(|row| matches!(cell(&notes, row, 0), Data::String(label) if label == "Counties")));
}

// ---------------------------------------------------------------------------------------------
// hostile inputs

#[test]
fn an_amount_no_cell_holds_exactly_is_an_error_with_nothing_written() {
    // 1 000 000 000 000 001 kr: 16 digits, more than a cell holds exactly (its instalments fit).
    let decisions = "provider,area,amount,from,to\nA,x,1000000000000001,2019Q1,2019Q4\n";
    let (dir, run) = run_in(&[("d.csv", decisions.as_bytes())], &["payouts", "d.csv", "-o", "p.xlsx"]);
    common::assert_refused(&run, &["sheet Payouts, cell J4", "more than 15 significant digits"]);
    assert!(!dir.path().join("p.xlsx").exists(), "no partial file");
    // The same decision as CSV keeps every digit.
    let (_dir, run) = run_in(&[("d.csv", decisions.as_bytes())], &["payouts", "d.csv", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("1000000000000001"), "{}", run.stdout);
    // An outcome in öre against a plan in mkr needs 8 decimals: 99 999 999,99 kr is
    // 99,99999999 mkr (10 digits), which fits; its remaining is a live formula.
    let plan = "område;insats;belopp\nomstallning;A;100\n";
    let outcome = "insats;belopp\nA;99 999 999,99\n";
    let (dir, run) = run_in(
        &[("plan.csv", plan.as_bytes()), ("u.csv", outcome.as_bytes())],
        &["follow-up", "plan.csv", "u.csv", "--plan-unit", "mkr", "-o", "f.xlsx"],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("f.xlsx"));
    let (values, formulas) = sheet(&mut book, "Follow-up");
    let row = row_of(&values, 1, "A");
    assert_eq!(exact(number(&values, row, 3), 8), 9_999_999_999);
    assert_eq!(formula(&formulas, row, 4), format!("C{0}-D{0}", row + 1));
    // 100 − 99,99999999 = 0,00000001 mkr: one öre.
    assert_eq!(exact(number(&values, row, 4), 8), 1);
}

#[test]
fn report_of_a_plan_alone_shows_the_plan_and_check_s_findings() {
    let (dir, run) = run_in(&[], &["report", &manifest(PLAN), "-o", "plan.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("plan.xlsx"));
    let (values, formulas) = sheet(&mut book, "Redovisning");
    let header = row_of(&values, 0, "Område");
    assert_eq!(text(&values, header, 3), "Plan (mkr)");
    assert!(matches!(cell(&values, header, 4), Data::Empty), "no outcome column without an outcome");
    let total = row_of(&values, 0, "Totalt");
    assert_eq!(formula(&formulas, total, 3), format!("SUM(D{}:D{})", header + 2, header + 4));
    // 19 + 5,8 + 5,8 mkr, as the plan writes them.
    assert_eq!(exact(number(&values, total, 3), 1), 306);
    // The plan writes 19 mkr for omstallning, 0,102294 under its 19,102294: check's warning.
    let (findings, _) = sheet(&mut book, "Avvikelser");
    let row = row_of(&findings, 1, "allocation-under");
    assert_eq!(text(&findings, row, 2), "varning");
}

/// The letters of a column (0-based), as a formula names it.
fn letter(column: u32) -> String {
    let mut name = String::new();
    let mut rest = column + 1;
    while rest > 0 {
        let digit = u8::try_from((rest - 1) % 26).unwrap();
        name.insert(0, char::from(b'A' + digit));
        rest = (rest - 1) / 26;
    }
    name
}

/// The cells a `SUM(…)` of one column names (`F4,F6:F7` → rows 4, 6, 7), in sheet rows.
fn summed_rows(formula: &str, column: &str) -> Vec<u32> {
    let inner = formula.strip_prefix("SUM(").and_then(|rest| rest.strip_suffix(')')).expect(formula);
    let mut rows = Vec::new();
    for part in inner.split(',') {
        let row = |cell: &str| -> u32 { cell.strip_prefix(column).expect(formula).parse().unwrap() };
        match part.split_once(':') {
            Some((from, to)) => rows.extend(row(from)..=row(to)),
            None => rows.push(row(part)),
        }
    }
    rows
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 16, ..Default::default() })]

    /// No silent pass: for random decisions, every sum line of the payouts workbook is a SUM of
    /// exactly the decisions of its area, of its provider, or all of them (worked out here from
    /// the decisions), and its cached value is what those cells add up to.
    #[test]
    fn every_sum_line_adds_exactly_its_decisions(
        chosen in proptest::collection::btree_map((0usize..3, 0usize..2), (1u64..1_000_000_000_000, 1u8..=4, 1u8..=4), 1..7)
    ) {
        // One decision per provider and area: fordela refuses two over the same quarters.
        let decisions: Vec<(usize, usize, u64, u8, u8)> =
            chosen.into_iter().map(|((provider, area), (amount, a, b))| (provider, area, amount, a, b)).collect();
        let providers = ["Alfa", "Beta", "Gamma"];
        let areas = ["tillganglighet", "patientkontrakt"];
        let mut file = String::from("provider,area,amount,from,to\n");
        for &(provider, area, amount, a, b) in &decisions {
            let (from, to) = (a.min(b), a.max(b));
            writeln!(file, "{},{},{amount},2019Q{from},2019Q{to}", providers[provider], areas[area]).unwrap();
        }
        let (dir, run) = run_in(&[("d.csv", file.as_bytes())], &["payouts", "d.csv", "-o", "p.xlsx"]);
        proptest::prop_assert_eq!(run.code, 0, "{}", run.stderr);
        let mut book = open_file(&dir.path().join("p.xlsx"));
        let (values, formulas) = sheet(&mut book, "Payouts");
        let quarters: u32 = (5..9).take_while(|&column| matches!(cell(&values, 2, column), Data::String(h) if h.starts_with("2019Q"))).map(|_| 1).sum();
        let total_column = 5 + quarters;
        let first = 3u32;
        let count = u32::try_from(decisions.len()).unwrap();
        // Each decision's instalments add up to it.
        for (offset, decision) in decisions.iter().enumerate() {
            let row = first + u32::try_from(offset).unwrap();
            let cells: i128 = (5..total_column).map(|column| exact(number(&values, row, column), 0)).sum();
            proptest::prop_assert_eq!(cells, i128::from(decision.2));
            proptest::prop_assert_eq!(exact(number(&values, row, total_column), 0), i128::from(decision.2));
        }
        let height = values.end().unwrap().0;
        for row in first + count..=height {
            let Data::String(kind) = cell(&values, row, 0) else { continue };
            let members: Vec<u32> = match kind.as_str() {
                "area" => { let area = text(&values, row, 2); decisions.iter().enumerate().filter(|(_, d)| areas[d.1] == area).map(|(i, _)| first + u32::try_from(i).unwrap()).collect() }
                "provider" => { let provider = text(&values, row, 1); decisions.iter().enumerate().filter(|(_, d)| providers[d.0] == provider).map(|(i, _)| first + u32::try_from(i).unwrap()).collect() }
                "total" => (first..first + count).collect(),
                _ => continue,
            };
            for column in 5..total_column {
                let shape = formula(&formulas, row, column);
                let mut named: Vec<u32> = summed_rows(&shape, &letter(column)).into_iter().map(|r| r - 1).collect();
                named.sort_unstable();
                proptest::prop_assert_eq!(&named, &members, "{} {}", kind, shape);
                let added: i128 = members.iter().map(|&member| exact(number(&values, member, column), 0)).sum();
                proptest::prop_assert_eq!(exact(number(&values, row, column), 0), added);
            }
        }
    }
}

#[test]
fn source_date_epoch_makes_a_workbook_the_same_bytes_at_any_time() {
    let dir = tempfile::tempdir().unwrap();
    let made = |name: &str| {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_fordela"))
            .args(["allocate", "-o", name])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::read(dir.path().join(name)).unwrap()
    };
    let first = made("a.xlsx");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(first == made("b.xlsx"), "a second later, the same bytes");
}
