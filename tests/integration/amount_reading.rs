//! Amounts as they are written: a plan's precision is the decimals it is written with,
//! trailing zeros and exponent notation included, and a number that reads two ways, 1 000
//! times apart (`1.000`, `18,500`, a tab-separated English export with grouped thousands), is
//! refused, never guessed. Runs the real binary; all data here is synthetic.
//!
//! Figures by hand: the bundled 2019 agreement gives Jämtland (23) 19,102294 mkr for
//! `omstallning` and 5,768893 mkr each for `tillganglighet` and `patientkontrakt`, 30,64008 mkr
//! in all (DESIGN.md's worked example: 19,10 + 5,77 + 5,77 = 30,64).

use crate::common;

use common::{Run, fordela_in, temp_files};

/// `fordela args…` in a directory holding `files`.
fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

/// `check NAME -r 23` on `text` saved as NAME, against the bundled agreement.
fn check(name: &str, text: &str) -> Run {
    run_in(&[(name, text.as_bytes())], &["check", name, "-r", "23"])
}

// A plan's precision is the decimals it is written with, trailing zeros included.

#[test]
fn trailing_zeros_keep_the_plans_precision() {
    // 6,0 is written to tenths: 0,23 mkr above 5,768893 (5,8 to tenths) is far beyond ±0,05.
    let plan = "Område;Insats;Belopp (mkr)\nomstallning;Strategi;10,0\nomstallning;Zamsyn;9,0\n\
                tillganglighet;Väntetider;6,0\npatientkontrakt;Personcentrerad;6,0\nTotalt;;31,0\n";
    let run = check("f2.csv", plan);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("written to 1 decimal(s)"), "{}", run.stdout);
    assert!(run.stdout.contains("±0,05 mkr"), "{}", run.stdout);
    assert!(run.stdout.contains("error   allocation-over        tillganglighet (line 4)"), "{}", run.stdout);

    // `19,00` is hundredths: 19,102294 is 19,10, and 19,00 is 0,10 below (beyond ±0,005).
    let plan =
        "Område;Insats;Belopp (mkr)\nomstallning;Strategi;19,00\ntillganglighet;A;5,77\npatientkontrakt;B;5,77\n";
    let run = check("p.csv", plan);
    assert!(run.stdout.contains("±0,005 mkr"), "{}", run.stdout);
    assert!(run.stdout.contains("allocation-under       omstallning (line 2)"), "{}", run.stdout);
}

#[test]
fn trailing_zeros_count_in_toml_floats_and_strings() {
    // `19.0` and `"6,0"` are tenths, `6.0` too: 6,0 against 5,8 is an error either way.
    let plan = "region = \"23\"\nunit = \"mkr\"\n\
                [[areas]]\nid = \"omstallning\"\n[[areas.interventions]]\nname = \"Strategi\"\namount = 19.0\n\
                [[areas]]\nid = \"tillganglighet\"\n[[areas.interventions]]\nname = \"A\"\namount = \"6,0\"\n\
                [[areas]]\nid = \"patientkontrakt\"\n[[areas.interventions]]\nname = \"B\"\namount = 6.0\n";
    let run = run_in(&[("plan.toml", plan.as_bytes())], &["check", "plan.toml"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("±0,05 mkr"), "{}", run.stdout);
    assert!(run.stdout.contains("allocation-over        tillganglighet"), "{}", run.stdout);
    assert!(run.stdout.contains("allocation-over        patientkontrakt"), "{}", run.stdout);
}

#[test]
fn exponent_notation_keeps_its_written_decimals() {
    // `6.0e0` is 6,0: tenths, so 6,0 against 5,768893 (5,8 to tenths) is over by more than
    // ±0,05. Read as whole mkr, 6 would match 6 and 19 would match 19.
    let plan = "region = \"23\"\nunit = \"mkr\"\n[[areas]]\nid = \"omstallning\"\namount = 19.0e0\n\
                [[areas]]\nid = \"tillganglighet\"\namount = 6.0e0\n[[areas]]\nid = \"patientkontrakt\"\n\
                amount = 0.60e1\n";
    let run = run_in(&[("plan.toml", plan.as_bytes())], &["check", "plan.toml"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("±0,05 mkr"), "{}", run.stdout);
    assert!(run.stdout.contains("allocation-over        tillganglighet"), "{}", run.stdout);
    assert!(run.stdout.contains("allocation-over        patientkontrakt"), "{}", run.stdout);
}

// Numbers that read two ways, 1 000 times apart, are refused.

#[test]
fn a_dot_before_three_digits_is_refused_in_a_plan() {
    let plan = "Område;Insats;Belopp (tkr)\nomstallning;Strategi;18 500\nomstallning;Zamsyn;1.000\n\
                tillganglighet;A;5 769\npatientkontrakt;B;5 769\n";
    common::assert_refused(
        &check("amb2.csv", plan),
        &["amb2.csv, line 3", "`1.000` could be read two ways", "`1 000`"],
    );
}

#[test]
fn an_english_export_with_grouped_thousands_is_refused() {
    let plan = "Area,Intervention,Belopp (tkr)\nomstallning,Strategi,\"18,500\"\nomstallning,Zamsyn,\"600\"\n\
                tillganglighet,A,\"5,769\"\npatientkontrakt,B,\"5,769\"\n";
    common::assert_refused(
        &check("en.csv", plan),
        &["en.csv, line 2", "`18,500` could be read two ways", "`;` as separator"],
    );
}

#[test]
fn a_decimal_comma_before_three_digits_stays_a_decimal_where_it_is_one() {
    // `;` file: `19,102` is 19,102 mkr. Against 19,102294 at three decimals (±0,0005): fine.
    let plan = "Område;Insats;Belopp (mkr)\nomstallning;S;19,102\ntillganglighet;A;5,769\npatientkontrakt;B;5,769\n";
    let run = check("p.csv", plan);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("±0,0005 mkr"), "{}", run.stdout);
    // A number that no thousands writer would write stays a decimal: `0.500`, `19102.294`.
    let plan = "Area,Intervention,Amount (tkr)\nomstallning,S,19102.294\ntillganglighet,A,5768.893\n\
                patientkontrakt,B,5768.893\n";
    let run = check("p.csv", plan);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_dot_before_three_digits_is_refused_in_toml_strings() {
    let plan = "region = \"23\"\nunit = \"tkr\"\n[[areas]]\nid = \"omstallning\"\namount = \"19.102\"\n";
    common::assert_refused(
        &run_in(&[("plan.toml", plan.as_bytes())], &["check", "plan.toml"]),
        &["plan.toml, line 5", "`19.102` could be read two ways"],
    );
    // A TOML float is a decimal by the format's own rule: `19.102` mkr is read as written.
    let plan = "region = \"23\"\nunit = \"mkr\"\n[[areas]]\nid = \"omstallning\"\namount = 19.102\n\
                [[areas]]\nid = \"tillganglighet\"\namount = \"5,769\"\n[[areas]]\nid = \"patientkontrakt\"\n\
                amount = 5.769\n";
    let run = run_in(&[("plan.toml", plan.as_bytes())], &["check", "plan.toml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    let agreement = "name = \"T\"\nunit = \"mkr\"\npopulation_date = 2018-12-31\ntotal = \"2.000\"\n\
                     [[areas]]\nid = \"a\"\nregions = \"2.000\"\n";
    common::assert_refused(
        &run_in(&[("a.toml", agreement.as_bytes())], &["allocate", "a.toml"]),
        &["a.toml, line 4", "`2.000` could be read two ways"],
    );
}

#[test]
fn a_tab_separated_english_plan_with_grouped_thousands_is_refused() {
    // Meant: 10 000 + 9 900 tkr for omstallning, far above Jämtland's 19 102,294 tkr. Read with
    // the comma as a decimal it would be 19,9 tkr: a plan a thousand times too small.
    let plan = "Area\tIntervention\tAmount\nomstallning\tA\t10,000\nomstallning\tB\t9,900\n\
                tillganglighet\tC\t5,800\npatientkontrakt\tD\t5,800\n";
    let dir = temp_files(&[("plan.txt", plan.as_bytes()), ("sep.txt", format!("sep=\t\n{plan}").as_bytes())]);
    for file in ["plan.txt", "sep.txt"] {
        let run = fordela_in(dir.path(), &["check", file, "-r", "23", "-u", "tkr"], None);
        let stderr = common::refused(&run);
        assert!(stderr.contains(&format!("{file}, line")) && stderr.contains("10,000"), "{stderr}");
    }
    // A tab-separated plan whose decimals are not groups of three still reads: 1,5 is 1,5.
    let plan = "omstallning\tA\t19102,3\ntillganglighet\tC\t5768,9\npatientkontrakt\tD\t5768,9\n";
    let dir = temp_files(&[("plan.txt", plan.as_bytes())]);
    let run = fordela_in(dir.path(), &["check", "plan.txt", "-r", "23", "-u", "tkr"], None);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
}
