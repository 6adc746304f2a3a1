//! What a population file is a list of, decided from what its rows say: the regions under
//! short names with NUTS codes, county letters or codes padded to four digits, the lists
//! statistics downloads write, a county subtotal among municipalities. A sum row labelled
//! `Totalt:` is a sum row; a recipient missing on the date read, and a code written two ways
//! across dates, are refused. All files here are synthetic, written by the tests, or the
//! bundled data.

use crate::common;

use std::fmt::Write as _;

use common::{Run, assert_refused, fordela_in, temp_files};

const DATE: &str = "2018-12-31";

/// The 21 regions as (SCB code, NUTS 2016 code, county letter, short name), and a made-up
/// population for each.
const REGIONS: [(&str, &str, &str, &str); 21] = [
    ("01", "SE110", "AB", "Stockholm"),
    ("03", "SE121", "C", "Uppsala"),
    ("04", "SE122", "D", "Södermanland"),
    ("05", "SE123", "E", "Östergötland"),
    ("06", "SE211", "F", "Jönköping"),
    ("07", "SE212", "G", "Kronoberg"),
    ("08", "SE213", "H", "Kalmar"),
    ("09", "SE214", "I", "Gotland"),
    ("10", "SE221", "K", "Blekinge"),
    ("12", "SE224", "M", "Skåne"),
    ("13", "SE231", "N", "Halland"),
    ("14", "SE232", "O", "Västra Götaland"),
    ("17", "SE311", "S", "Värmland"),
    ("18", "SE124", "T", "Örebro"),
    ("19", "SE125", "U", "Västmanland"),
    ("20", "SE312", "W", "Dalarna"),
    ("21", "SE313", "X", "Gävleborg"),
    ("22", "SE321", "Y", "Västernorrland"),
    ("23", "SE322", "Z", "Jämtland"),
    ("24", "SE331", "AC", "Västerbotten"),
    ("25", "SE332", "BD", "Norrbotten"),
];

/// `fordela allocate` (the bundled agreement) on a population file with this text.
fn allocate(text: &str, extra: &[&str]) -> common::Run {
    let dir = temp_files(&[("p.csv", text.as_bytes())]);
    let mut args = vec!["allocate", "--population", "p.csv", "--format", "csv"];
    args.extend_from_slice(extra);
    fordela_in(dir.path(), &args, None)
}

/// A population file of the regions but Jämtland, coded by `code`, under their short names.
fn without_jamtland(code: impl Fn(&(&str, &str, &str, &str)) -> String) -> String {
    let mut text = String::from("code,region,date,population\n");
    for (at, region) in REGIONS.iter().enumerate().filter(|(_, region)| region.0 != "23") {
        let _ = writeln!(text, "{},{},{DATE},{}", code(region), region.3, 100_000 + at * 1_000);
    }
    text
}

#[test]
fn regions_under_short_names_with_nuts_codes_are_a_list_of_regions_and_refused() {
    // On 8724dde: exit 0, the twenty named regions sharing Jämtland's money.
    let run = allocate(&without_jamtland(|region| region.1.to_string()), &[]);
    let stderr = common::refused(&run);
    assert!(stderr.contains("p.csv, line 2: code `SE110` is not one of Sweden's 21 county codes"), "{stderr}");
    assert!(stderr.contains("20 of the 21 regions are named"), "{stderr}");
    assert!(stderr.contains("Stockholms län's code is 01 (`SE110` is its NUTS code)"), "{stderr}");
}

#[test]
fn regions_under_short_names_with_county_letters_are_a_list_of_regions_and_refused() {
    let run = allocate(&without_jamtland(|region| region.2.to_string()), &[]);
    let stderr = common::refused(&run);
    assert!(stderr.contains("p.csv, line 2: code `AB` is not one of Sweden's 21 county codes"), "{stderr}");
    assert!(stderr.contains("Stockholms län's code is 01 (`AB` is its county letter)"), "{stderr}");
}

#[test]
fn regions_with_codes_padded_to_four_digits_are_a_list_of_regions_and_refused() {
    // `0100 Stockholm`: no municipality's code ends in 00. On 8724dde: read as municipalities,
    // exit 0, Jämtland's money shared by the twenty.
    let run = allocate(&without_jamtland(|region| format!("{}00", region.0)), &[]);
    let stderr = common::refused(&run);
    assert!(stderr.contains("p.csv, line 2: code `0100` is not one of Sweden's 21 county codes"), "{stderr}");
    assert!(stderr.contains("Stockholms län's code is 01"), "{stderr}");
}

#[test]
fn a_county_subtotal_among_municipalities_is_refused_on_its_own_line() {
    let text = format!(
        "code,region,date,population\n2361,Härjedalen,{DATE},10000\n2380,Östersund,{DATE},60000\n\
         0114,Upplands Väsby,{DATE},45000\n23,Jämtlands län,{DATE},70000\n"
    );
    let run = allocate(&text, &[]);
    let stderr = common::refused(&run);
    // On 8724dde: line 2 (a valid municipality) was blamed as "not one of Sweden's 21 county codes".
    assert!(
        stderr.contains(
            "p.csv, line 5: code `23` is Jämtlands län's, not a municipality's: the row looks like a county subtotal"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("line 2"), "{stderr}");
    // The same subtotal under another code and the short name: on 8724dde, exit 0 with the
    // county paid beside its own municipalities.
    let run = allocate(&text.replace("\n23,Jämtlands län,", "\nSE322,Jämtland,"), &[]);
    let stderr = common::refused(&run);
    assert!(
        stderr.contains("p.csv, line 5: `Jämtland` is Jämtlands län, not a municipality: the row looks like a county"),
        "{stderr}"
    );
    // Without the subtotal the municipalities are split (4-digit codes kept).
    let without: String = text.lines().take(4).flat_map(|line| [line, "\n"]).collect();
    // Three of the 290: a list of municipalities lacking some needs --allow-missing (issue 15).
    let run = allocate(&without, &["--allow-missing"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n0114,"), "{}", run.stdout);
}

#[test]
fn a_population_file_writing_a_code_two_ways_across_dates_is_refused() {
    // The bundled municipalities, with the 2017 rows' codes saved as Excel saves them (`114`):
    // 2018 and 2019 still write `0114`.
    let bundled = include_str!("../../data/population/scb-municipality-population-31dec-2017-2019.csv");
    let mut mixed = String::new();
    let mut first_short = None;
    for (at, line) in bundled.lines().enumerate() {
        let cut = line.strip_prefix('0').filter(|_| line.contains(",2017-12-31,"));
        if let Some(rest) = cut {
            first_short.get_or_insert((at + 1, rest.split(',').next().unwrap().to_string()));
        }
        mixed.push_str(cut.unwrap_or(line));
        mixed.push('\n');
    }
    let (line, code) = first_short.expect("a 2017 code with a leading zero");
    let dir = temp_files(&[("m.csv", mixed.as_bytes())]);
    for date in ["2017", "2018"] {
        let args = ["allocate", "--within", "01", "--population", "m.csv", "--population-date", date, "-f", "csv"];
        let run = fordela_in(dir.path(), &args, None);
        let place = format!("m.csv, line {line}: code `{code}` on 2017-12-31 is written without its leading zero");
        assert_refused(&run, &[&place, "write their codes in full"]);
    }
    // Every date short (as Excel saves a whole file) is read, with the note, as before.
    let mut short = String::new();
    for line in bundled.lines() {
        let _ = writeln!(short, "{}", line.strip_prefix('0').unwrap_or(line));
    }
    let dir = temp_files(&[("m.csv", short.as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "--within", "01", "--population", "m.csv", "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("written without their leading zeros"), "{}", run.stderr);
}

/// `fordela ARGS` in a directory holding `files`.
fn run(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

/// Jämtland's municipalities for 2017 and 2018 (synthetic figures), Östersund's 2018 row
/// dated `2018_osd`.
fn municipalities(osd_2018: &str) -> String {
    let names = [
        ("2303", "Ragunda"),
        ("2305", "Bräcke"),
        ("2309", "Krokom"),
        ("2313", "Strömsund"),
        ("2321", "Åre"),
        ("2326", "Berg"),
        ("2361", "Härjedalen"),
        ("2380", "Östersund"),
    ];
    let mut text = String::from("code,region,date,population\n");
    for (year, date) in [(0, "2017-12-31"), (1, "2018-12-31")] {
        for (index, (code, name)) in names.iter().enumerate() {
            let date = if *code == "2380" && year == 1 { osd_2018 } else { date };
            let _ = writeln!(text, "{code},{name},{date},{}", 1000 + 100 * index + year);
        }
    }
    text
}

const MUNICIPAL_AGREEMENT: &str =
    "name = \"M\"\nunit = \"kr\"\ntotal = 800\npopulation_date = 2018-12-31\n[[areas]]\nid = \"a\"\nregions = 800\n";

#[test]
fn a_recipient_missing_on_the_date_read_is_refused() {
    let population = municipalities("2018-12-30");
    let files: [(&str, &[u8]); 2] = [("m.toml", MUNICIPAL_AGREEMENT.as_bytes()), ("p.csv", population.as_bytes())];
    let message = common::refused(&run(&files, &["allocate", "m.toml", "--population", "p.csv"])).to_string();
    assert!(message.contains("lists 7 recipients on 2018-12-31 but 8 on 2017-12-31"), "{message}");
    // The odd date, and where it is: Östersund's 2018 row is line 17.
    assert!(message.contains("2018-12-30 has only 1 row (the first on line 17)"), "{message}");
    // The flag says the gap is meant: the seven share the 800 kr.
    let allowed = run(&files, &["allocate", "m.toml", "--population", "p.csv", "--allow-missing-regions"]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert!(!allowed.stdout.contains("Östersund"), "{}", allowed.stdout);
    // With every row dated right, no refusal.
    let population = municipalities("2018-12-31");
    let files: [(&str, &[u8]); 2] = [("m.toml", MUNICIPAL_AGREEMENT.as_bytes()), ("p.csv", population.as_bytes())];
    let whole = run(&files, &["allocate", "m.toml", "--population", "p.csv"]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert!(whole.stdout.contains("Östersund"), "{}", whole.stdout);
}

/// Writes row `i`'s code cell and name cell.
type WriteRow<'a> = dyn Fn(usize) -> (String, String) + 'a;

#[test]
fn lists_of_the_regions_written_by_statistics_downloads_are_checked_whole() {
    let rows = common::bundled_counties(DATE);
    let nuts = [
        "SE110", "SE121", "SE122", "SE123", "SE211", "SE212", "SE213", "SE214", "SE221", "SE224", "SE231", "SE232",
        "SE311", "SE124", "SE125", "SE312", "SE313", "SE321", "SE322", "SE331", "SE332",
    ];
    let letters =
        ["AB", "C", "D", "E", "F", "G", "H", "I", "K", "M", "N", "O", "S", "T", "U", "W", "X", "Y", "Z", "AC", "BD"];
    let stem = |county: &str| {
        let stem = county.strip_suffix(" län").unwrap();
        stem.strip_suffix('s').unwrap_or(stem).to_string()
    };
    // (description, code cell, name cell) for row `i`; Jämtland (the 19th row) is left out.
    let shapes: [(&str, Box<WriteRow>); 5] = [
        ("code and name in one cell", Box::new(|i| (format!("{} {}", rows[i].0, rows[i].1), String::new()))),
        ("name in the code column", Box::new(|i| (rows[i].1.clone(), String::new()))),
        ("NUTS codes, English names", Box::new(|i| (nuts[i].to_string(), format!("{} County", stem(&rows[i].1))))),
        (
            "county letters, English names",
            Box::new(|i| (letters[i].to_string(), format!("{} County", stem(&rows[i].1)))),
        ),
        ("NUTS codes, no name", Box::new(|i| (nuts[i].to_string(), String::new()))),
    ];
    for (shape, write) in &shapes {
        let mut text = String::from("code,region,date,population\n");
        for (i, row) in rows.iter().enumerate().filter(|(i, _)| *i != 18) {
            let (code, name) = write(i);
            let _ = writeln!(text, "\"{code}\",\"{name}\",{DATE},{}", row.2);
        }
        let dir = temp_files(&[("p.csv", text.as_bytes())]);
        let run = fordela_in(dir.path(), &["allocate", "--population", "p.csv", "-f", "csv"], None);
        let stderr = common::refused(&run);
        assert!(stderr.contains("p.csv, line 2"), "{shape}: {stderr}");
        assert!(stderr.contains("Stockholms län") && stderr.contains("01"), "{shape}: {stderr}");
    }
}

#[test]
fn a_population_sum_row_labelled_with_a_colon_is_a_sum_row() {
    let rows = common::bundled_counties(DATE);
    let total: u64 = rows.iter().map(|row| row.2).sum();
    let mut text = String::from("code,region,date,population\n");
    for (code, name, population) in &rows {
        let _ = writeln!(text, "{code},{name},{DATE},{population}");
    }
    let plain = text.clone();
    let _ = writeln!(text, "Totalt:,,{DATE},{total}");
    let wrong = format!("{plain}Totalt:,,{DATE},{}\n", total + 1);
    let dir =
        temp_files(&[("p.csv", text.as_bytes()), ("plain.csv", plain.as_bytes()), ("wrong.csv", wrong.as_bytes())]);
    let run = |file: &str| fordela_in(dir.path(), &["allocate", "--population", file, "-f", "csv"], None);
    let (with_sum, without) = (run("p.csv"), run("plain.csv"));
    assert_eq!(with_sum.code, 0, "{}", with_sum.stderr);
    assert_eq!(with_sum.stdout, without.stdout);
    // A sum that disagrees with its rows is refused, as a `Totalt` row's is.
    common::refused(&run("wrong.csv"));
}
