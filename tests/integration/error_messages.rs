//! Every bad-input case gives exit 2, nothing on stdout, and exactly this message on stderr.
//! The messages are part of the interface: change them here on purpose only.

use crate::common;

use common::{fordela, fordela_in, temp_files};

const HEAD: &str = "name = \"T\"\nunit = \"MSEK\"\npopulation_date = 2020-12-31\n";
const POPULATION: &str = "code,region,date,population\n01,A,2020-12-31,5\n02,B,2020-12-31,7\n";
const AGREEMENT: &str =
    "name = \"T\"\nunit = \"kr\"\ntotal = 1\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 1\n";

/// Runs `allocate a.toml --population p.csv` on the two texts and returns stderr.
fn allocate_error(agreement: &str, population: &[u8]) -> String {
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", population)]);
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--population", "p.csv"], None);
    assert_eq!(run.code, 2, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "nothing on stdout after an error: {}", run.stdout);
    run.stderr.trim_end().to_string()
}

fn agreement_error(body: &str) -> String {
    allocate_error(&format!("{HEAD}{body}"), POPULATION.as_bytes())
}

fn population_error(population: &[u8]) -> String {
    allocate_error(AGREEMENT, population)
}

#[test]
fn areas_that_do_not_add_up_show_both_sums_and_the_difference() {
    assert_eq!(
        agreement_error("total = 10\n[[areas]]\nid = \"a\"\nregions = 9.5\n"),
        "fordela: invalid agreement: a.toml, line 4, column 9: `total` is 10 mkr, but the areas \
         (regions and set-asides) add up to 9,5 mkr: difference -0,5 mkr"
    );
    assert_eq!(
        agreement_error(
            "total = \"2 430\"\n[[areas]]\nid = \"a\"\nregions = 2406\nother = [{ recipient = \"SKR\", amount = 25 }]\n"
        ),
        "fordela: invalid agreement: a.toml, line 4, column 9: `total` is 2 430 mkr, but the areas \
         (regions and set-asides) add up to 2 431 mkr: difference +1 mkr"
    );
}

#[test]
fn duplicate_area_id() {
    assert_eq!(
        agreement_error("total = 2\n[[areas]]\nid = \"a\"\nregions = 1\n[[areas]]\nid = \"a\"\nregions = 1\n"),
        "fordela: invalid agreement: a.toml, line 9, column 6: area id `a` is used twice"
    );
}

#[test]
fn negative_amount() {
    assert_eq!(
        agreement_error("total = 1\n[[areas]]\nid = \"a\"\nregions = -1\n"),
        "fordela: invalid agreement: a.toml, line 7, column 11: area `a`: `regions` = -1 mkr is negative: amounts cannot be below zero"
    );
}

#[test]
fn amount_not_a_multiple_of_the_rounding_unit() {
    assert_eq!(
        agreement_error("rounding = \"1000 kr\"\ntotal = 1.0005\n[[areas]]\nid = \"a\"\nregions = 1.0005\n"),
        "fordela: invalid agreement: a.toml, line 5, column 9: `total` = 1.0005 mkr is not a whole \
         multiple of the rounding unit (1 000 kr)"
    );
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    assert_eq!(
        agreement_error("total = = 1\n"),
        "fordela: invalid agreement: a.toml, line 4, column 9: extra `=`, expected nothing"
    );
}

#[test]
fn unknown_unit() {
    assert_eq!(
        allocate_error(&AGREEMENT.replace("\"kr\"", "\"EUR\""), POPULATION.as_bytes()),
        "fordela: invalid agreement: a.toml, line 2, column 8: unknown unit `EUR`, expected kr/SEK, tkr/TSEK or mkr/MSEK"
    );
}

#[test]
fn amount_that_is_not_a_number() {
    assert_eq!(
        agreement_error("total = \"tio\"\n[[areas]]\nid = \"a\"\nregions = 1\n"),
        "fordela: invalid agreement: a.toml, line 4, column 9: `total`: `tio` is not a number: \
         unexpected character `t` (expected digits, one `,` or `.`)"
    );
    assert_eq!(
        agreement_error("total = \"1.234,5\"\n[[areas]]\nid = \"a\"\nregions = 1\n"),
        "fordela: invalid agreement: a.toml, line 4, column 9: `total`: `1.234,5` mixes `.` and `,`: \
         write the decimal separator only (1234,5 or 1234.5)"
    );
}

#[test]
fn misspelt_field_gets_a_suggestion() {
    assert_eq!(
        agreement_error("total = 1\ntotl = 1\n[[areas]]\nid = \"a\"\nregions = 1\n"),
        "fordela: invalid agreement: a.toml, line 5, column 1: unknown field `totl`, expected one of \
         `name`, `unit`, `total`, `population_date`, `population`, `rounding`, `source`, \
         `population_date_substitute`, `method`, `ties`, `eligibility`, `areas`; did you mean `total`?"
    );
}

#[test]
fn date_that_does_not_exist() {
    assert_eq!(
        allocate_error(&AGREEMENT.replace("2020-12-31", "2018-02-30"), POPULATION.as_bytes()),
        "fordela: invalid agreement: a.toml, line 4, column 19: invalid date, expected day between 01 and 28"
    );
}

#[test]
fn agreement_without_areas() {
    assert_eq!(
        agreement_error("total = 1\n"),
        "fordela: invalid agreement: a.toml: has no [[areas]], expected at least one"
    );
}

#[test]
fn missing_population_date_lists_the_dates_and_the_nearest() {
    assert_eq!(
        allocate_error(&AGREEMENT.replace("2020-12-31", "2020-11-01"), POPULATION.as_bytes()),
        "fordela: invalid population: p.csv: has no figures for 2020-11-01; it has 2020-12-31; the \
         nearest is 2020-12-31: use it with --population-date 2020-12-31, or name it in the \
         agreement as population_date_substitute"
    );
}

#[test]
fn duplicate_code_on_a_date() {
    assert_eq!(
        population_error(b"code,region,date,population\n01,A,2020-12-31,5\n02,B,2020-12-31,5\n01,A,2020-12-31,6\n"),
        "fordela: invalid population: p.csv, line 4: code `01` appears twice on 2020-12-31 (first on line 2)"
    );
}

#[test]
fn negative_population() {
    assert_eq!(
        population_error(b"code,region,date,population\n01,A,2020-12-31,-5\n"),
        "fordela: invalid population: p.csv, line 2: field `population`: `-5` is negative, expected a whole number of people"
    );
}

#[test]
fn non_integer_population() {
    assert_eq!(
        population_error(b"code;region;date;population\r\n01;A;2020-12-31;5,5\r\n"),
        "fordela: invalid population: p.csv, line 2: field `population`: `5,5` is not a whole number, expected a count of people"
    );
    assert_eq!(
        population_error(b"code,region,date,population\n\n01,A,2020-12-31,5,5\n"),
        "fordela: invalid population: p.csv, line 3: field 5 (`5`) has no column header, so fordela would ignore \
         it: give the column a header such as `kommentar` to keep it as a comment, or delete it"
    );
    assert_eq!(
        population_error(b"code,region,date,population\n01,A,2020-12-31,many\n"),
        "fordela: invalid population: p.csv, line 2: field `population`: `many` is not a number: \
         unexpected character `m` (expected digits, one `,` or `.`)"
    );
}

#[test]
fn missing_column() {
    assert_eq!(
        population_error(b"code,region,date\n01,A,2020-12-31\n"),
        "fordela: invalid population: p.csv, line 1: the header has no `population` column (it has: \
         code, region, date), expected `code,region,date,population`"
    );
}

#[test]
fn empty_population_file() {
    assert_eq!(
        population_error(b""),
        "fordela: invalid population: p.csv: is empty, expected a header line `code,region,date,population` and rows"
    );
    assert_eq!(
        population_error(b"\xef\xbb\xbfcode,region,date,population\r\n\r\n"),
        "fordela: invalid population: p.csv: has a header but no data rows, expected rows such as \
         01,Stockholms län,2018-12-31,2344124"
    );
}

#[test]
fn non_utf8_population_names_the_line() {
    assert_eq!(
        population_error(b"code,region,date,population\n01,J\x90mtland,2020-12-31,5\n"),
        "fordela: reading population: p.csv, line 2: is neither UTF-8 nor Windows-1252 (byte 0x90 at offset 32 \
         is undefined in Windows-1252): save it again as UTF-8 (in Excel: \"CSV UTF-8\")"
    );
}

#[test]
fn all_zero_populations() {
    assert_eq!(
        population_error(b"code,region,date,population\n01,A,2020-12-31,0\n02,B,2020-12-31,0\n"),
        "fordela: invalid population: p.csv: every population on 2020-12-31 is zero, so there is no share to divide by"
    );
}

#[test]
fn unknown_agreement_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = fordela_in(dir.path(), &["allocate", "gnv-2019"], None);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim_end(),
        "fordela: no agreement file `gnv-2019` and no bundled agreement of that id (bundled: god-och-nara-vard-2019)"
    );
    let run = fordela_in(dir.path(), &["allocate", "missing.toml"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("fordela: reading agreement: missing.toml: cannot read: "), "{}", run.stderr);
    let run = fordela_in(dir.path(), &["allocate", "."], None);
    assert_eq!(run.stderr.trim_end(), "fordela: reading agreement: .: is a directory, expected a file");
}

#[test]
fn output_never_overwrites_an_input() {
    let dir = temp_files(&[("a.toml", AGREEMENT.as_bytes()), ("p.csv", POPULATION.as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--population", "p.csv", "-o", "./p.csv"], None);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.trim_end(), "fordela: refusing to write ./p.csv: it is one of the inputs");
    assert_eq!(std::fs::read_to_string(dir.path().join("p.csv")).unwrap(), POPULATION);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = fordela_in(dir.path(), &["allocate", "--excel", "--format", "json"], None);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.trim_end(), "fordela: --excel writes CSV and cannot be combined with another --format");
    let run = fordela_in(dir.path(), &["allocate", "--unit", "EUR"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown unit `EUR`"), "{}", run.stderr);
}

#[test]
fn write_error_is_reported() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let file = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let output =
        std::process::Command::new(env!("CARGO_BIN_EXE_fordela")).args(["allocate"]).stdout(file).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).starts_with("fordela: writing to standard output: "),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_unknown_format_is_a_usage_error_that_lists_the_commands_own_formats() {
    for (args, values) in [
        (&["explain", "23", "-f", "xml"][..], "[possible values: table, json, xlsx]"),
        (&["list", "-f", "xml"], "[possible values: table, json, xlsx]"),
        (&["check", "plan.toml", "-f", "xml"], "[possible values: table, csv, excel, json, xlsx]"),
        (&["allocate", "-f", "xml"], "[possible values: table, csv, excel, json, xlsx]"),
    ] {
        let run = fordela(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(values), "{args:?}: {}", run.stderr);
    }
}
