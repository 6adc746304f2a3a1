//! A filter that selects nothing is bad input, never a result: `--object 9961` (for 9916), or a
//! period in which no row falls, would count no row and show every budget unspent, hiding any
//! overrun. Refused (exit 2), naming the filter and what the file holds: its objects, its first
//! and last dates. So is `--from` after `--until`. Figures expected are worked out here.

use crate::common::{Run, assert_refused, fordela_in, temp_files};

/// Strategi's budget: 1 tkr.
const PLAN: &str = "område;insats;belopp (tkr)\nomstallning;Strategi;1\n";

/// 600 kr in February and 700 kr in March on object 9916 (1 300 kr: 300 kr over budget), and
/// 50 kr in April on 9917.
const OUTCOME: &str = "insats;belopp;objekt;datum\nStrategi;600;9916;2019-02-01\nStrategi;700;9916;2019-03-01\n\
                       Strategi;50;9917;2019-04-01\n";

fn filtered(command: &str, args: &[&str]) -> Run {
    let dir = temp_files(&[("plan.csv", PLAN.as_bytes()), ("utfall.csv", OUTCOME.as_bytes())]);
    let mut all = vec![command, "plan.csv", "utfall.csv"];
    if command == "report" {
        all.extend(["-r", "23", "-o", "r.html"]);
    }
    all.extend(args);
    let run = fordela_in(dir.path(), &all, None);
    if run.code == 2 {
        assert!(!dir.path().join("r.html").exists(), "no report after bad input");
    }
    run
}

#[test]
fn an_object_no_row_is_booked_on_is_refused_naming_the_files_objects() {
    // The overrun the typo would hide: 1 300 kr on 9916 against 1 000 kr.
    let right = filtered("follow-up", &["--object", "9916", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&right.stdout).unwrap_or_else(|_| panic!("{}", right.stderr));
    assert_eq!(json["total"]["outcome"], "1.30");
    assert_eq!(right.code, 1, "over budget: {}", right.stderr);
    for command in ["follow-up", "report"] {
        let typo = filtered(command, &["--object", "9961"]);
        assert_refused(
            &typo,
            &["utfall.csv: --object 9961 selects no row", "booked on 9916 (2 row(s)), 9917 (1 row(s))"],
        );
    }
    // An object with a character that does not show is named as such, not as a typo.
    let hidden = filtered("follow-up", &["--object", "99\u{200b}16"]);
    assert_refused(&hidden, &["--object `99<U+200B>16` holds U+200B ZERO WIDTH SPACE"]);
}

#[test]
fn a_period_no_row_falls_in_is_refused_naming_the_first_and_last_dates() {
    // --until 2018-12-31 counts from 1 January 2018: no row.
    for command in ["follow-up", "report"] {
        let run = filtered(command, &["--until", "2018-12-31"]);
        assert_refused(
            &run,
            &[
                "utfall.csv: no row is dated in the period 2018-01-01 to 2018-12-31",
                "the file's rows are dated 2019-02-01 to 2019-04-01",
            ],
        );
    }
    let run = filtered("follow-up", &["--from", "2019-05-01"]);
    assert_refused(&run, &["no row is dated in the period from 2019-05-01 (--from)", "2019-02-01 to 2019-04-01"]);
    // The object's rows, when --object is given: 9917's only row is in April.
    let run = filtered("follow-up", &["--object", "9917", "--until", "2019-03-31"]);
    assert_refused(
        &run,
        &["no row of object 9917 is dated in the period", "rows of object 9917 are dated 2019-04-01;"],
    );
    // A period that holds rows counts them: February and March, 1 300 kr.
    let run = filtered("follow-up", &["--from", "2019-02-01", "--until", "2019-03-31", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    assert_eq!(json["total"]["outcome"], "1.30");
    assert_eq!(json["after_period"]["sum"], "0.05");
}

#[test]
fn from_after_until_is_refused() {
    for command in ["follow-up", "report"] {
        let run = filtered(command, &["--from", "2019-07-01", "--until", "2019-03-31"]);
        assert_refused(&run, &["--from 2019-07-01 is after --until 2019-03-31", "give --from on or before --until"]);
    }
    // One day is a period.
    let run = filtered("follow-up", &["--from", "2019-03-01", "--until", "2019-03-01", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    assert_eq!(json["total"]["outcome"], "0.70");
}

#[test]
fn audit_refuses_an_area_or_a_county_that_selects_nothing() {
    let population = "code,region,date,population\n01,Stockholms län,2018-12-31,1\n03,Uppsala län,2018-12-31,3\n";
    let agreement = "name = \"T\"\nunit = \"kr\"\ntotal = 100\npopulation_date = 2018-12-31\n\
                     [[areas]]\nid = \"a\"\nname = \"Omställning\"\nregions = 100\n";
    let table = "region;belopp\nStockholms län;25\nUppsala län;75\n";
    let dir = temp_files(&[
        ("pop.csv", population.as_bytes()),
        ("a.toml", agreement.as_bytes()),
        ("t.csv", table.as_bytes()),
    ]);
    let args = ["audit", "t.csv", "-a", "a.toml", "--unit", "kr", "--population", "pop.csv", "--area", "Omstallning 2"];
    assert_refused(
        &fordela_in(dir.path(), &args, None),
        &["--area `Omstallning 2` is not an area of T (its areas: a)"],
    );
    // --within a county none of whose municipalities the file lists.
    let municipalities = "code,municipality,date,population\n2380,Östersund,2018-12-31,100\n";
    let dir = temp_files(&[("pop.csv", municipalities.as_bytes()), ("t.csv", b"kod;belopp\n2380;100\n")]);
    let args = ["audit", "t.csv", "--total", "100", "--unit", "kr", "--population", "pop.csv", "--within", "01"];
    assert_refused(&fordela_in(dir.path(), &args, None), &["has no municipalities of county 01"]);
}
