//! Recipient codes as spreadsheets write them: a code is one identity however it is written
//! (`1` is `01`), and no code, however odd, switches off the check that a list of Sweden's
//! regions holds every region. Also the messages around naming a region.

use crate::common;

use std::fmt::Write as _;

use common::{csv_rows, fordela, fordela_in, temp_files};

const DATE: &str = "2018-12-31";

/// The bundled agreement's areas (kr to the regions), in its column order.
const AREAS: [(&str, u128); 3] =
    [("omstallning", 1_500_000_000), ("tillganglighet", 453_000_000), ("patientkontrakt", 453_000_000)];

/// A population file of `rows`, each code passed through `write_code` (Excel: drop the zero).
fn population(rows: &[(String, String, u64)], write_code: impl Fn(&str) -> String) -> String {
    let mut text = String::from("code,region,date,population\n");
    for (code, name, population) in rows {
        let _ = writeln!(text, "{},{name},{DATE},{population}", write_code(code));
    }
    text
}

fn excel(code: &str) -> String {
    code.trim_start_matches('0').to_string()
}

/// `fordela allocate` (the bundled agreement) on a population file with this text.
fn allocate(text: &str, extra: &[&str]) -> common::Run {
    let dir = temp_files(&[("p.csv", text.as_bytes())]);
    let mut args = vec!["allocate", "--population", "p.csv", "--format", "csv"];
    args.extend_from_slice(extra);
    fordela_in(dir.path(), &args, None)
}

/// Largest remainder by hand: `total · w / W` rounded down, the leftover units to the largest
/// remainders (no ties among these populations).
fn largest_remainder(total: u128, weights: &[u64]) -> Vec<u128> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut units: Vec<u128> = weights.iter().map(|&w| total * u128::from(w) / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(total * u128::from(weights[i]) % sum));
    let left = total - units.iter().sum::<u128>();
    for &i in order.iter().take(left as usize) {
        units[i] += 1;
    }
    units
}

#[test]
fn excel_codes_with_jamtland_missing_are_refused() {
    let without: Vec<_> = common::bundled_counties(DATE).into_iter().filter(|(code, ..)| code != "23").collect();
    let run = allocate(&population(&without, excel), &[]);
    let stderr = common::refused(&run);
    assert!(stderr.contains("lack 23 Jämtlands län"), "{stderr}");
    // The same without a name column: the codes alone make it a list of regions.
    let mut codes_only = String::from("code,date,population\n");
    for (code, _, people) in &without {
        let _ = writeln!(codes_only, "{},{DATE},{people}", excel(code));
    }
    let run = allocate(&codes_only, &[]);
    assert!(common::refused(&run).contains("lack 23 Jämtlands län"), "{}", run.stderr);
}

#[test]
fn excel_codes_are_the_two_digit_codes_and_get_the_same_money() {
    let rows = common::bundled_counties(DATE);
    let run = allocate(&population(&rows, excel), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("p.csv: 8 code(s) written without their leading zeros"), "{}", run.stderr);
    assert!(run.stderr.contains("`1` as 01 (line 2)"), "{}", run.stderr);
    let as_scb = allocate(&population(&rows, str::to_string), &[]);
    assert_eq!(run.stdout, as_scb.stdout, "the same regions, written two ways, must get the same money");

    let table = csv_rows(&run.stdout);
    let weights: Vec<u64> = rows.iter().map(|(_, _, people)| *people).collect();
    for (column, (area, total)) in AREAS.iter().enumerate() {
        assert_eq!(table[0][4 + column], *area);
        let expected = largest_remainder(*total, &weights);
        for (row, (code, ..)) in rows.iter().enumerate() {
            assert_eq!(table[1 + row][0], *code, "codes are shown two-digit");
            assert_eq!(table[1 + row][4 + column], expected[row].to_string(), "{area}, {code}");
        }
    }
}

#[test]
fn an_unknown_code_among_the_regions_is_refused() {
    let mut rows = common::bundled_counties(DATE);
    rows.push(("99".into(), "Extra".into(), 100));
    for write in [excel, str::to_string] {
        let run = allocate(&population(&rows, write), &[]);
        let stderr = common::refused(&run);
        assert!(stderr.contains("p.csv, line 23: code `99` is not one of Sweden's 21 county codes"), "{stderr}");
    }
    // A number Excel showed with decimals is not taken for a code, and says why.
    let run = allocate(&population(&common::bundled_counties(DATE), |code| format!("{}.0", excel(code))), &[]);
    let stderr = common::refused(&run);
    assert!(stderr.contains("line 2: code `1.0` is not one of Sweden's 21 county codes"), "{stderr}");
    assert!(stderr.contains("format the code column as text and write 01"), "{stderr}");
}

#[test]
fn a_code_beside_another_regions_name_is_refused() {
    let mut rows = common::bundled_counties(DATE);
    rows[1].0 = "04".into(); // Uppsala län's row with Södermanland's code …
    rows[2].0 = "03".into(); // … and the other way round
    let run = allocate(&population(&rows, excel), &[]);
    let stderr = common::refused(&run);
    assert!(
        stderr.contains("code `4` is 04 Södermanlands län, but the name `Uppsala län` is 03 Uppsala län"),
        "{stderr}"
    );
}

#[test]
fn one_code_written_two_ways_is_one_region_paid_once() {
    let mut rows = common::bundled_counties(DATE);
    rows.push(("1".into(), "Stockholms län".into(), 100));
    let run = allocate(&population(&rows, str::to_string), &[]);
    let stderr = common::refused(&run);
    assert!(
        stderr.contains("p.csv, line 23: code `1` is the same code as `01` on line 2 (Stockholms län on 2018-12-31)"),
        "{stderr}"
    );
}

/// A synthetic list of municipalities (codes are SCB's, populations invented).
const MUNICIPALITIES: &str = "code,region,date,population\n\
    114,Upplands Väsby,2018-12-31,100\n\
    0180,Stockholm,2018-12-31,300\n\
    1280,Malmö,2018-12-31,200\n";
const MUNICIPAL_AGREEMENT: &str = "name = \"M\"\nunit = \"kr\"\ntotal = 600\npopulation_date = 2018-12-31\n\
    population = \"p.csv\"\n[[areas]]\nid = \"a\"\nregions = 600\n";

#[test]
fn municipal_codes_are_four_digits_however_written() {
    let dir = temp_files(&[("a.toml", MUNICIPAL_AGREEMENT.as_bytes()), ("p.csv", MUNICIPALITIES.as_bytes())]);
    // Three of the 290: a list of municipalities lacking some needs --allow-missing (issue 15).
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--format", "csv", "--allow-missing"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let table = csv_rows(&run.stdout);
    let rows: Vec<(&str, &str)> = table[1..].iter().map(|row| (row[0].as_str(), row[4].as_str())).collect();
    // 600 kr by 100 : 300 : 200 is exact.
    assert_eq!(rows, [("0114", "100"), ("0180", "300"), ("1280", "200")]);
    assert!(run.stderr.contains("`114` as 0114 (line 2)"), "{}", run.stderr);

    let twice = format!("{MUNICIPALITIES}0114,Upplands Väsby,2018-12-31,100\n");
    let dir = temp_files(&[("a.toml", MUNICIPAL_AGREEMENT.as_bytes()), ("p.csv", twice.as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "a.toml"], None);
    let stderr = common::refused(&run);
    assert!(stderr.contains("p.csv, line 5: code `0114` is the same code as `114` on line 2"), "{stderr}");
}

#[test]
fn numeric_and_other_codes_in_one_list_do_not_crash_the_sort() {
    // `2` < `10` (numbers) < `1A` < `2` (text) was a cycle, which the sort may answer with a panic.
    let mut text = String::from("code,region,date,population\n");
    for i in 1..=300 {
        let _ = write!(text, "{i},N{i},2018-12-31,{i}\n{i}A,A{i},2018-12-31,{i}\nA{i},B{i},2018-12-31,{i}\n");
    }
    let total: u128 = (1..=300u128).sum::<u128>() * 3;
    let agreement = format!(
        "name = \"M\"\nunit = \"kr\"\ntotal = {total}\npopulation_date = 2018-12-31\npopulation = \"p.csv\"\n\
         [[areas]]\nid = \"a\"\nregions = {total}\n"
    );
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", text.as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--format", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let table = csv_rows(&run.stdout);
    // Numbers first, by value; then the others as text. Every one gets exactly its population.
    assert_eq!(table[1][0], "1");
    assert_eq!(table[300][0], "300");
    assert_eq!(table[301][0], "100A");
    assert!(table[1..].iter().all(|row| row[4] == row[2]), "each gets its population in kr");
}

#[test]
fn a_region_named_by_an_unpadded_code_is_that_region() {
    let rows = common::bundled_counties(DATE);
    let stockholm = csv_rows(&allocate(&population(&rows, str::to_string), &[]).stdout)[1].clone();
    let plan = |region: &str| {
        format!(
            "region = {region}\nunit = \"kr\"\n[[areas]]\nid = \"omstallning\"\n\
             interventions = [{{ name = \"x\", amount = {} }}]\n",
            stockholm[4]
        )
    };
    for (plan, args) in [(plan("1"), vec![]), (plan("\"1\""), vec![]), (plan("\"01\""), vec!["--region", "1"])] {
        let dir = temp_files(&[("p.toml", plan.as_bytes())]);
        let mut all = vec!["check", "p.toml", "--format", "json"];
        all.extend_from_slice(&args);
        let run = fordela_in(dir.path(), &all, None);
        assert!(run.code == 0 || run.code == 1, "{plan}: {}", run.stderr);
        assert!(run.stdout.contains("Stockholms län"), "{plan}: {}", run.stdout);
    }
    let run = fordela(&["explain", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("how Stockholms län (01) gets"), "{}", run.stdout);
}

#[test]
fn excluding_a_code_however_written() {
    let rows = common::bundled_counties(DATE);
    // `--exclude 1` on a file of Excel codes: Stockholm gets nothing.
    let run = allocate(&population(&rows, excel), &["--exclude", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let table = csv_rows(&run.stdout);
    assert_eq!((table[1][0].as_str(), table[1][7].as_str()), ("01", "0"));
    assert!(run.stderr.contains("not eligible: 01 (excluded with --exclude)"), "{}", run.stderr);

    // A region excluded and absent from the file: the others get what they get with it present
    // and excluded (its share goes to them either way).
    let without: Vec<_> = rows.iter().filter(|(code, ..)| code != "23").cloned().collect();
    let absent = allocate(&population(&without, excel), &["--exclude", "23"]);
    assert_eq!(absent.code, 0, "{}", absent.stderr);
    assert!(absent.stderr.contains("not eligible: 23 (excluded with --exclude)"), "{}", absent.stderr);
    let present = allocate(&population(&rows, str::to_string), &["--exclude", "Jämtlands län"]);
    let amounts = |text: &str| -> Vec<Vec<String>> {
        csv_rows(text)[1..].iter().filter(|row| row[0] != "23").map(|row| row[4..].to_vec()).collect()
    };
    assert_eq!(amounts(&absent.stdout), amounts(&present.stdout));

    // Withholding needs the absent region's population; an unknown code is never ignored.
    let run = allocate(
        &population(&without, excel),
        &["--exclude", "23", "--exclusion-policy", "withhold", "--allow-missing-regions"],
    );
    assert!(
        common::refused(&run).contains("--exclude: region `23` (23 Jämtlands län) has no row in p.csv"),
        "{}",
        run.stderr
    );
    let run = allocate(&population(&rows, excel), &["--exclude", "99"]);
    assert!(common::refused(&run).contains("--exclude: unknown region `99`"), "{}", run.stderr);
}

#[test]
fn explain_names_the_region_argument_as_given() {
    let run = fordela(&["explain", "99"]);
    let stderr = common::refused(&run);
    assert!(!stderr.contains("--region"), "no --region was given: {stderr}");
    assert!(stderr.starts_with("fordela: explain `99`: unknown region `99`"), "{stderr}");
}

#[test]
fn explain_of_a_withheld_region_says_it_gets_nothing_without_a_derivation() {
    let run = fordela(&["explain", "23", "--exclude", "23", "--exclusion-policy", "withhold"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("ranks"), "{}", run.stdout);
    assert!(!run.stdout.contains("got one of them"), "{}", run.stdout);
    assert!(run.stdout.contains("Not eligible: its share is withheld"), "{}", run.stdout);
    let run = fordela(&["explain", "23", "--exclude", "23"]);
    assert!(run.stdout.contains("Not eligible: it takes no part"), "{}", run.stdout);
    assert!(!run.stdout.contains("ranks"), "{}", run.stdout);
}

#[test]
fn population_date_note_says_instead_once() {
    let run = fordela(&["allocate", "--population-date", "2017-12-31", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("instead of the agreement's").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("instead of the agreement's 2018-11-01: chosen with --population-date"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_misspelt_key_column_gets_a_suggestion() {
    let agreement = "name = \"K\"\nunit = \"kr\"\ntotal = 10\npopulation_date = 2018-12-31\npopulation = \"p.csv\"\n\
        [[areas]]\nid = \"a\"\nregions = 10\nkey = \"barn0_5\"\n";
    let text = "code,region,date,population,barn0_6\n01,A,2018-12-31,5,1\n02,B,2018-12-31,7,2\n";
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", text.as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "a.toml"], None);
    assert!(common::refused(&run).contains("the header has no `barn0_5` column"), "{}", run.stderr);
    assert!(run.stderr.trim_end().ends_with("did you mean `barn0_6`?"), "{}", run.stderr);
}

#[test]
fn a_population_written_with_a_thousands_mark_is_refused_not_read_as_hundreds() {
    // `100,000` is a hundred thousand to an English export and 100 to a Swedish reader: a count
    // of people has no decimals, so a mark in it cannot be read safely either way.
    let rows = common::bundled_counties(DATE);
    for (written, separator) in [("\"2,344,124\"", ','), ("\"2,344\"", ','), ("2.344.124", ','), ("\"2,000\"", ';')] {
        let mut text = population(&rows, str::to_string);
        let stockholm = format!("{DATE},{}", rows[0].2);
        text = text.replacen(&stockholm, &format!("{DATE},{written}"), 1);
        if separator == ';' {
            text = text.replace(',', ";").replace("\"2;000\"", "\"2,000\"");
        }
        let run = allocate(&text, &[]);
        let stderr = common::refused(&run);
        assert!(stderr.contains("p.csv, line 2: field `population`"), "{written}: {stderr}");
        assert!(stderr.contains("could be read two ways"), "{written}: {stderr}");
    }
    // Spaces between thousands are one reading only, and read.
    let text = population(&rows, str::to_string).replacen("2344124", "\"2 344 124\"", 1);
    let run = allocate(&text, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, allocate(&population(&rows, str::to_string), &[]).stdout);
}
