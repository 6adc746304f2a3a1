//! Plans as people write them: a TOML plan is TOML whatever its name or from standard input,
//! sum rows are sum rows however a spreadsheet spells them (and an intervention named like a
//! sum is refused), and an area's name pasted with non-breaking spaces is that area. Runs the
//! real binary; all data here is synthetic.
//!
//! Figures by hand: the bundled 2019 agreement gives Jämtland (23) 19,102294 mkr for
//! `omstallning` and 5,768893 mkr each for `tillganglighet` and `patientkontrakt`, 30,64008 mkr
//! in all (DESIGN.md's worked example: 19,10 + 5,77 + 5,77 = 30,64).

use crate::common;

use common::{Run, fordela_in, fordela_stdin, temp_files};

/// `fordela args…` in a directory holding `files`.
fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

/// `check NAME -r 23` on `text` saved as NAME, against the bundled agreement.
fn check(name: &str, text: &str) -> Run {
    run_in(&[(name, text.as_bytes())], &["check", name, "-r", "23"])
}

#[test]
fn a_toml_plan_with_inline_areas_is_read_as_toml_from_stdin_or_any_name() {
    // 19,10 / 5,77 / 5,77 to hundredths (±0,005): all within.
    let plan = "region = \"23\"\nunit = \"mkr\"\nareas = [\n  { id = \"omstallning\", amount = 19.10 },\n  \
                { id = \"tillganglighet\", amount = 5.77 },\n  { id = \"patientkontrakt\", amount = 5.77 },\n]\n";
    let run = fordela_stdin(&["check", "-"], plan.as_bytes());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("±0,005 mkr"), "{}", run.stdout);
    let run = run_in(&[("plan.txt", plan.as_bytes())], &["check", "plan.txt"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // A CSV whose names hold `=` and the plan's keys stays a CSV.
    let csv = "Område;Insats;Belopp (mkr)\nomstallning;\"Strategi = areas\";19,10\ntillganglighet;unit = A;5,77\n\
               patientkontrakt;B;5,77\n";
    let run = fordela_stdin(&["check", "-", "-r", "23"], csv.as_bytes());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("No findings"), "{}", run.stdout);
}

#[test]
fn sum_rows_with_a_colon_or_a_unit_are_sum_rows() {
    // Read as interventions they would double omstallning to 38,20.
    let plan = "Område;Insats;Belopp (mkr)\nomstallning;Strategi;19,10\nomstallning;Totalt:;19,10\n\
                tillganglighet;A;5,77\ntillganglighet;Totalt (mkr);5,77\npatientkontrakt;B;5,77\nSumma:;;30,64\n";
    let run = check("p.csv", plan);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("No findings"), "{}", run.stdout);
}

#[test]
fn a_toml_plan_intervention_called_like_a_sum_is_refused() {
    // Added to `Strategi` it would make omstallning 38,20.
    let plan = "region = \"23\"\nunit = \"mkr\"\n[[areas]]\nid = \"omstallning\"\n\
                [[areas.interventions]]\nname = \"Strategi\"\namount = 19.10\n\
                [[areas.interventions]]\nname = \"Totalt\"\namount = 19.10\n";
    common::assert_refused(
        &run_in(&[("plan.toml", plan.as_bytes())], &["check", "plan.toml"]),
        &["plan.toml, line 9", "intervention `Totalt` looks like a sum", "`amount = …`"],
    );
}

#[test]
fn other_sum_looking_rows_are_refused_naming_the_line() {
    let head =
        "Område;Insats;Belopp (mkr)\nomstallning;Strategi;19,10\ntillganglighet;A;5,77\npatientkontrakt;B;5,77\n";
    for row in [
        "Totalsumma;;30,64",
        "omstallning;Delsumma;19,10",
        "omstallning;Totalt omställning;19,10",
        "Σ;;30,64",
        "Summa totalt;;30,64",
    ] {
        let run = check("p.csv", &format!("{head}{row}\n"));
        common::assert_refused(&run, &["p.csv, line 5", "looks like a sum row", "name it `Totalt`"]);
    }
}

#[test]
fn an_area_name_with_a_non_breaking_space_is_that_area() {
    // The example plan's first area, its name pasted from a document with non-breaking spaces:
    // the same plan, so the same report as the plain one (one warning, exit 0).
    let plain =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/jamtland-harjedalen-2019.csv")).unwrap();
    let pasted = plain.replace("Omställning till god och nära vård", "Omställning\u{a0}till god\u{a0}och nära vård");
    assert_ne!(plain, pasted);
    let dir = temp_files(&[("plain.csv", plain.as_bytes()), ("pasted.csv", pasted.as_bytes())]);
    let run = |file: &str| fordela_in(dir.path(), &["check", file, "-r", "23", "-u", "mkr", "-f", "csv"], None);
    let (plain, pasted) = (run("plain.csv"), run("pasted.csv"));
    assert_eq!(pasted.code, 0, "{}", pasted.stderr);
    assert_eq!(pasted.stdout, plain.stdout);
}
