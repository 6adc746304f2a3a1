//! `--format xlsx`: every workbook fordela writes, read back with calamine. Codes must be text,
//! amounts numbers, totals live `SUM`s over the right ranges, and the cells (added up here, in
//! integers) must equal the agreement's figures, which this file reads from the agreement
//! itself and splits with its own largest-remainder reference.

use std::path::Path;

use calamine::{Data, Range, Reader};

use crate::common::{self, bundled_counties, fordela, fordela_in, temp_files};
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
    assert_eq!(book.sheet_names(), ["Allocation", "Notes"]);
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
fn swedish_labels_name_the_sheets_and_columns() {
    let (dir, run) = run_in_temp(&["--lang", "sv", "allocate", "-o", "sv.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open_file(&dir.path().join("sv.xlsx"));
    assert_eq!(book.sheet_names(), ["Fördelning", "Underlag"]);
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
