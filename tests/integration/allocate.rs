//! `fordela allocate` on the bundled agreement and on synthetic fixtures. Expected figures are
//! computed by hand (in the comments) or by an independent Python script (bundled agreement),
//! never copied from fordela's own output. Every format shows the same rows and says the same
//! notes.

use crate::common;

use std::fmt::Write as _;
use std::io::Read;
use std::process::{Command, Stdio};

use common::{Run, csv_rows, data, fordela, fordela_in, temp_files};
use fordela::core::amount::{NumberStyle, Scaled};

/// Independently computed split of the bundled 2019 agreement (31 Dec 2018 populations,
/// largest remainder in whole kronor), by a Python script using integer arithmetic only.
const BUNDLED_EXPECTED: &[(&str, [u128; 3])] = &[
    ("01", [343_706_981, 103_799_508, 103_799_508]),
    ("03", [55_182_873, 16_665_228, 16_665_228]),
    ("04", [43_209_629, 13_049_308, 13_049_308]),
    ("05", [67_679_568, 20_439_229, 20_439_229]),
    ("06", [52_905_935, 15_977_592, 15_977_592]),
    ("07", [29_308_268, 8_851_097, 8_851_097]),
    ("08", [35_874_718, 10_834_165, 10_834_165]),
    ("09", [8_687_379, 2_623_589, 2_623_589]),
    ("10", [23_413_653, 7_070_923, 7_070_923]),
    ("12", [199_727_180, 60_317_608, 60_317_608]),
    ("13", [48_291_209, 14_583_945, 14_583_945]),
    ("14", [250_701_331, 75_711_802, 75_711_802]),
    ("17", [41_272_274, 12_464_227, 12_464_227]),
    ("18", [44_317_674, 13_383_937, 13_383_937]),
    ("19", [40_164_816, 12_129_774, 12_129_774]),
    ("20", [42_109_356, 12_717_025, 12_717_025]),
    ("21", [42_014_929, 12_688_509, 12_688_509]),
    ("22", [35_989_525, 10_868_837, 10_868_837]),
    ("23", [19_102_294, 5_768_893, 5_768_893]),
    ("24", [39_611_307, 11_962_615, 11_962_615]),
    ("25", [36_729_101, 11_092_189, 11_092_189]),
];

#[test]
fn bundled_agreement_csv_matches_independent_computation_and_adds_up() {
    let run = fordela(&["allocate", "god-och-nara-vard-2019", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(
        rows[0],
        ["code", "region", "population", "share", "omstallning", "tillganglighet", "patientkontrakt", "total"]
    );
    for (row, (code, amounts)) in rows[1..22].iter().zip(BUNDLED_EXPECTED) {
        assert_eq!(row[0], *code);
        for (field, expected) in row[4..7].iter().zip(amounts) {
            assert_eq!(field.parse::<u128>().unwrap(), *expected, "region {code}");
        }
        assert_eq!(row[7].parse::<u128>().unwrap(), amounts.iter().sum::<u128>());
    }
    assert_eq!(rows[22][..4], ["", "SKR", "", ""]);
    assert_eq!(rows[22][4..], ["15000000", "0", "9000000", "24000000"]);
    assert_eq!(rows.len(), 23, "no total row in CSV");
    // The agreement's figures (SKR's page): 1 515, 453 and 462 MSEK per area, 2 430 in all.
    let column_sum = |index: usize| rows[1..].iter().map(|row| row[index].parse::<u128>().unwrap()).sum::<u128>();
    assert_eq!(column_sum(4), 1_515_000_000);
    assert_eq!(column_sum(5), 453_000_000);
    assert_eq!(column_sum(6), 462_000_000);
    assert_eq!(column_sum(7), 2_430_000_000);
    let shares: u128 = rows[1..22].iter().map(|row| row[3].replace('.', "").parse::<u128>().unwrap()).sum();
    assert_eq!(shares, 1_000_000, "shares add up to 100.0000 %");
    assert!(run.stderr.contains("2018-12-31") && run.stderr.contains("2018-11-01"), "{}", run.stderr);
}

#[test]
fn jamtland_gets_the_30_6_mkr_of_its_own_plan() {
    let run = fordela(&["allocate", "--format", "csv", "--unit", "mkr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = csv_rows(&run.stdout).into_iter().find(|row| row[0] == "23").unwrap();
    assert_eq!(row[1], "Jämtlands län");
    assert_eq!(row[4..], ["19.102294", "5.768893", "5.768893", "30.640080"]);
}

#[test]
fn default_table_shows_grouped_totals_and_the_substitution() {
    let run = fordela(&["allocate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let total_row = run.stdout.lines().find(|line| line.contains("Total")).unwrap();
    for expected in ["10 230 185", "100,0000", "1 515 000 000", "453 000 000", "462 000 000", "2 430 000 000"] {
        assert!(total_row.contains(expected), "{expected} missing in {total_row}");
    }
    assert!(run.stdout.contains("30 640 080"));
    assert!(run.stdout.contains("used instead of the agreement's 2018-11-01"), "{}", run.stdout);
    assert!(run.stdout.contains("Ties: none"));
}

#[test]
fn excel_output_is_what_swedish_excel_opens() {
    let run = fordela(&["allocate", "--excel", "--unit", "mkr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.bytes.starts_with(b"\xef\xbb\xbfcode;region;population;share;"));
    let text = &run.stdout['\u{feff}'.len_utf8()..];
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches("\r\n").count(), text.matches('\n').count(), "every line ends CRLF");
    assert!(text.contains("\r\n23;Jämtlands län;130280;1,2735;19,102294;5,768893;5,768893;30,640080\r\n"), "{text}");
}

#[test]
fn json_carries_metadata_dates_and_exact_strings() {
    let run = fordela(&["allocate", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["agreement"]["name"], "God och nära vård 2019");
    assert_eq!(json["agreement"]["total"], "2430000000");
    assert_eq!(json["population"]["date_used"], "2018-12-31");
    assert_eq!(json["population"]["agreement_date"], "2018-11-01");
    assert!(json["population"]["substitution"].as_str().unwrap().contains("1 November"));
    let jamtland = json["recipients"].as_array().unwrap().iter().find(|r| r["code"] == "23").unwrap();
    assert_eq!(jamtland["share_fraction"], "130280/10230185");
    assert_eq!(jamtland["amounts"]["omstallning"], "19102294");
    assert_eq!(json["totals"]["total"], "2430000000");
    assert_eq!(json["ties"].as_array().unwrap().len(), 0);
}

#[test]
fn swedish_amounts_set_asides_and_a_1000_kr_rounding_unit() {
    // Area a: 7 001 units of 1 000 kr by 500:301:199 (W = 1000): quotas 3500.5, 2107.301,
    // 1393.199; floors 7 000, one unit to the largest remainder (Alfa). Area b: 3 000 units,
    // exact: 1 500, 903, 597. SKR's 0,5 MSEK set-aside stays whole.
    let run = fordela(&["allocate", data("swedish-amounts.toml").to_str().unwrap(), "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[1][..2], ["01", "Alfa"]);
    assert_eq!(rows[1][4..], ["3501000", "1500000", "5001000"]);
    assert_eq!(rows[2][4..], ["2107000", "903000", "3010000"]);
    assert_eq!(rows[3][4..], ["1393000", "597000", "1990000"]);
    assert_eq!(rows[4][1..], ["SKR", "", "", "500000", "0", "500000"]);
    assert!(run.stderr.is_empty(), "no substitution, no tie: {}", run.stderr);
}

#[test]
fn another_date_of_the_same_file_is_chosen_and_shown() {
    // 2021-12-31, populations 333:333:334: area a quotas 2331.333, 2331.333, 2338.334 -> the
    // one unit left goes to Gamma; area b 999, 999, 1002 exactly.
    let agreement = data("swedish-amounts.toml");
    let run =
        fordela(&["allocate", agreement.to_str().unwrap(), "--population-date", "2021-12-31", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["population"]["date_used"], "2021-12-31");
    assert!(json["population"]["substitution"].as_str().unwrap().contains("--population-date"));
    let amounts: Vec<(String, String)> = json["recipients"].as_array().unwrap()[..3]
        .iter()
        .map(|r| (r["amounts"]["a"].as_str().unwrap().to_string(), r["amounts"]["b"].as_str().unwrap().to_string()))
        .collect();
    let expected = [("2331000", "999000"), ("2331000", "999000"), ("2339000", "1002000")];
    for ((a, b), (ea, eb)) in amounts.iter().zip(expected) {
        assert_eq!((a.as_str(), b.as_str()), (ea, eb));
    }
}

#[test]
fn ties_that_decide_a_unit_are_reported_in_every_format() {
    // 2 kr by 100:100:200: quotas 0.5, 0.5, 1 -> Gamma 1, one krona left, Alfa and Beta tie at
    // remainder 1/2 with equal populations: the lower code (Alfa) gets it.
    let agreement = data("tie.toml");
    let agreement = agreement.to_str().unwrap();
    let csv = fordela(&["allocate", agreement, "--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let rows = csv_rows(&csv.stdout);
    assert_eq!((rows[1][4].as_str(), rows[2][4].as_str(), rows[3][4].as_str()), ("1", "0", "1"));
    assert!(csv.stderr.contains("tie in only: 01, 02 had equal remainders; the unit went to 01"), "{}", csv.stderr);
    let table = fordela(&["allocate", agreement]);
    assert!(table.stdout.contains("only: 01, 02 tied, the unit went to 01"), "{}", table.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&fordela(&["allocate", agreement, "-f", "json"]).stdout).unwrap();
    assert_eq!(json["ties"][0]["tied"], serde_json::json!(["01", "02"]));
    assert_eq!(json["ties"][0]["winners"], serde_json::json!(["01"]));
}

#[test]
fn population_file_row_order_does_not_change_the_result() {
    let shuffled =
        "code,region,date,population\n03,Gamma,2020-12-31,199\n01,Alfa,2020-12-31,500\n02,Beta,2020-12-31,301\n";
    let agreement = std::fs::read(data("swedish-amounts.toml")).unwrap();
    let dir = temp_files(&[("population-small.csv", shuffled.as_bytes()), ("a.toml", &agreement)]);
    let shuffled_run = common::fordela_in(dir.path(), &["allocate", "a.toml", "-f", "csv"], None);
    let original = fordela(&["allocate", data("swedish-amounts.toml").to_str().unwrap(), "-f", "csv"]);
    assert_eq!(shuffled_run.code, 0, "{}", shuffled_run.stderr);
    assert_eq!(shuffled_run.stdout, original.stdout);
}

#[test]
fn output_file_is_written_whole_and_matches_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("fordela.csv");
    let run = fordela(&["allocate", "--format", "csv", "--output", target.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    assert_eq!(written, fordela(&["allocate", "--format", "csv"]).stdout);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn agreement_from_stdin_with_bom_and_crlf() {
    let text = std::fs::read_to_string(data("tie.toml")).unwrap().replace('\n', "\r\n");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(text.replace("population = \"population-small.csv\"", "").as_bytes());
    let population = data("population-small.csv");
    let run =
        common::fordela_stdin(&["allocate", "-", "--population", population.to_str().unwrap(), "-f", "csv"], &bytes);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(csv_rows(&run.stdout).len(), 4);
}

#[test]
fn closed_stdout_is_not_an_error() {
    // Enough recipients that the output overflows the pipe buffer after the reader is gone.
    let mut population = String::from("code,region,date,population\n");
    for code in 0..20_000 {
        writeln!(population, "{code:06},Unit {code},2020-12-31,{}", 1000 + code).unwrap();
    }
    let agreement = "name = \"Big\"\nunit = \"kr\"\ntotal = 1000000000\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 1000000000\n";
    let dir = temp_files(&[("p.csv", population.as_bytes()), ("a.toml", agreement.as_bytes())]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fordela"))
        .args(["allocate", "a.toml", "--population", "p.csv", "-f", "csv"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn installed_binary_works_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let run = common::fordela_in(dir.path(), &["allocate", "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(csv_rows(&run.stdout).len(), 23);
}

/// Notes the CSV cannot hold go to stderr: exactly those that are not the default, in words
/// the table uses too.
#[test]
fn csv_notes_on_stderr_are_the_tables_notes_that_need_saying() {
    let args = ["allocate", "--exclude", "23", "--method", "dhondt"];
    let csv = fordela(&[&args[..], &["-f", "csv"]].concat());
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let table = fordela(&args);
    let notes: Vec<&str> = csv.stderr.lines().map(|line| line.strip_prefix("fordela: note: ").unwrap()).collect();
    // Eligibility, the three areas (not split by largest remainder), the substituted date.
    assert_eq!(notes.len(), 5, "{}", csv.stderr);
    assert!(notes[0].starts_with("not eligible: 23 (excluded with --exclude)"), "{}", notes[0]);
    for (note, area) in notes[1..4].iter().zip(["omstallning", "tillganglighet", "patientkontrakt"]) {
        assert_eq!(*note, format!("area {area}: by population, D'Hondt"));
        assert!(table.stdout.contains(&format!("  {area}: ")), "{area}");
    }
    assert!(table.stdout.contains(&format!("Population: {}.", notes[4])), "{}", table.stdout);
    assert!(table.stdout.contains(&format!("Eligibility: {}.", notes[0])), "{}", table.stdout);
    // The table and the JSON have their notes in themselves.
    assert!(table.stderr.is_empty(), "{}", table.stderr);
    assert!(fordela(&[&args[..], &["-f", "json"]].concat()).stderr.is_empty());
    // A plain split of the bundled agreement says only its substituted date.
    assert_eq!(fordela(&["allocate", "-f", "csv"]).stderr.lines().count(), 1);
}

/// The rows of the table, the CSV and the JSON are the same rows: regions, then set-asides
/// (CSV and JSON have no total row; the JSON's totals are the table's total row).
#[test]
fn every_format_shows_the_same_rows() {
    let csv =
        csv_rows(&fordela(&["allocate", "--exclude", "01", "--exclusion-policy", "withhold", "-f", "csv"]).stdout);
    let json: serde_json::Value = serde_json::from_str(
        &fordela(&["allocate", "--exclude", "01", "--exclusion-policy", "withhold", "-f", "json"]).stdout,
    )
    .unwrap();
    let recipients = json["recipients"].as_array().unwrap();
    assert_eq!(csv.len() - 1, recipients.len());
    for (row, recipient) in csv[1..].iter().zip(recipients) {
        assert_eq!(row[1], recipient["name"].as_str().unwrap());
        assert_eq!(row.last().unwrap(), recipient["total"].as_str().unwrap());
    }
    assert_eq!(csv.last().unwrap()[1], "Withheld (not eligible)");
    let table = fordela(&["allocate", "--exclude", "01", "--exclusion-policy", "withhold", "-u", "kr"]).stdout;
    let total = json["totals"]["total"].as_str().unwrap().parse::<u128>().unwrap();
    let grouped = Scaled { mantissa: total, scale: 0 }.format(0, NumberStyle::SWEDISH);
    assert!(table.lines().any(|line| line.contains("Total") && line.contains(&grouped)), "{grouped}\n{table}");
}

/// `fordela args…` in a directory holding `files`.
fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

fn agreement_with(areas: &str) -> String {
    format!("name = \"T\"\nunit = \"mkr\"\npopulation_date = 2018-12-31\ntotal = 2\n{areas}")
}

#[test]
fn colliding_area_and_recipient_names_are_refused() {
    for (areas, parts) in [
        (
            "[[areas]]\nid = \"Share\"\nregions = 1\n[[areas]]\nid = \"b\"\nregions = 1\n",
            &["`Share`", "code, region"][..],
        ),
        ("[[areas]]\nid = \"total\"\nregions = 1\n[[areas]]\nid = \"b\"\nregions = 1\n", &["`total`", "fixed columns"]),
        ("[[areas]]\nid = \"a\"\nregions = 1\n[[areas]]\nid = \"A\"\nregions = 1\n", &["`A`", "only in case"]),
        (
            "[[areas]]\nid = \"a\"\nregions = 1\n[[areas]]\nid = \"b\"\nname = \"A\"\nregions = 1\n",
            &["area `b`", "name `A` is the id of area `a`"],
        ),
        ("[[areas]]\nid = \"totalt\"\nregions = 2\n", &["`totalt`", "sum row"]),
        (
            "[[areas]]\nid = \"a\"\nregions = 1\nother = [{ recipient = \"Totalt\", amount = 1 }]\n",
            &["recipient `Totalt`", "total rows"],
        ),
        (
            "[[areas]]\nid = \"a\"\nregions = 1\nother = [{ recipient = \"Withheld (not eligible)\", amount = 1 }]\n",
            &["recipient `Withheld (not eligible)`"],
        ),
        (
            "[[areas]]\nid = \"a\"\nregions = 1\nother = [{ recipient = \"Region Stockholm\", amount = 1 }]\n",
            &["recipient `Region Stockholm`", "name of a region"],
        ),
        (
            "[[areas]]\nid = \"a\"\nregions = 1\nother = [{ recipient = \"stockholms län\", amount = 1 }]\n",
            &["recipient `stockholms län`", "name of a region"],
        ),
    ] {
        let agreement = agreement_with(areas);
        let run = run_in(&[("a.toml", agreement.as_bytes())], &["allocate", "a.toml"]);
        let mut parts = parts.to_vec();
        parts.push("a.toml, line");
        common::assert_refused(&run, &parts);
    }
    // Distinct names, and a recipient that is no region: fine.
    let agreement = agreement_with(
        "[[areas]]\nid = \"a\"\nname = \"Alfa\"\nregions = 1\n[[areas]]\nid = \"b\"\nregions = 0\n\
         other = [{ recipient = \"SKR\", amount = 1 }]\n",
    );
    let run = run_in(&[("a.toml", agreement.as_bytes())], &["allocate", "a.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_rounding_step_without_a_unit_is_refused_unless_the_amounts_are_in_kr() {
    let agreement = "name = \"T\"\nunit = \"mkr\"\nrounding = \"0,1\"\npopulation_date = 2018-12-31\ntotal = 10\n\
                     [[areas]]\nid = \"a\"\nregions = 10\n";
    // 0,1 mkr is 100 000 kr.
    common::assert_refused(
        &run_in(&[("a.toml", agreement.as_bytes())], &["allocate", "a.toml"]),
        &["a.toml, line 3", "has no unit", "`0,1 mkr`", "`100 000 kr`"],
    );
    let agreement = "name = \"T\"\nunit = \"kr\"\nrounding = \"1000\"\npopulation_date = 2018-12-31\n\
                     total = 10000000\n[[areas]]\nid = \"a\"\nregions = 10000000\n";
    let run = run_in(&[("a.toml", agreement.as_bytes())], &["allocate", "a.toml", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let run = common::fordela(&["allocate", "--round", "0.1"]);
    common::assert_refused(&run, &["`0.1` has no unit", "`0.1mkr`"]);
}

#[test]
fn a_reader_that_stops_early_is_no_error_for_json_either() {
    let mut population = String::from("code,region,date,population\n");
    let mut total = 0u64;
    for index in 0..300_000u64 {
        let people = index % 1000 + 1;
        total += people;
        let _ = writeln!(population, "{},Enhet {index},2020-12-31,{people}", 1_000_000 + index);
    }
    assert!(total > 0);
    let agreement = "name = \"T\"\nunit = \"kr\"\ntotal = 1000000000\npopulation_date = 2020-12-31\n\
                     population = \"p.csv\"\n[[areas]]\nid = \"a\"\nregions = 1000000000\n";
    let dir = temp_files(&[("a.toml", agreement.as_bytes()), ("p.csv", population.as_bytes())]);
    for format in ["json", "csv", "table"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fordela"))
            .args(["allocate", "a.toml", "-f", format])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut head = [0u8; 4096];
        stdout.read_exact(&mut head).unwrap();
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
        // (Notes about ties may be there; no error.)
        assert!(!stderr.contains("pipe") && !stderr.contains("writing"), "{format}: {stderr}");
    }
}
