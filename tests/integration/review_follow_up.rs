//! Review fixes in follow-up, report, the municipal split and PX-Web reading: each case
//! reproduces a defect found by an outside review; expected figures are worked out here.

use std::fmt::Write as _;

use crate::common::{self, assert_refused, csv_rows, fordela, fordela_in, temp_files};

/// SCB's export layout with `title` above the header (none when empty), the bundled 2018
/// figures of the 21 counties.
fn px_export(title: &str) -> String {
    let mut text = String::new();
    if !title.is_empty() {
        let _ = write!(text, "\"{title}\"\r\n\r\n");
    }
    text.push_str("\"region\";\"2018\"\r\n");
    for (code, name, population) in common::bundled_counties("2018-12-31") {
        let _ = write!(text, "\"{code} {name}\";{population}\r\n");
    }
    text
}

fn allocate_with(name: &str, text: &str) -> common::Run {
    let dir = temp_files(&[(name, text.as_bytes())]);
    fordela_in(dir.path(), &["allocate", "--population", name, "--population-date", "2018", "-f", "csv"], None)
}

#[test]
fn a_px_web_export_is_read_only_when_it_says_it_is_the_population() {
    let long = fordela(&["allocate", "--population-date", "2018-12-31", "-f", "csv"]);
    assert_eq!(long.code, 0, "{}", long.stderr);
    for title in ["Folkmängden efter region och år", "Folkmängd efter region och år", "Population by region and year"]
    {
        let run = allocate_with("px.csv", &px_export(title));
        assert_eq!(run.code, 0, "{title}: {}", run.stderr);
        assert_eq!(run.stdout, long.stdout, "{title}");
    }
    // PX-Web's own header when the content is in the column: the header names it.
    let headed = px_export("").replace("\"2018\"", "\"Folkmängd 2018\"");
    assert_eq!(allocate_with("px.csv", &headed).stdout, long.stdout);
    // Same layout, other tables: births, the mean population, growth.
    for title in ["Levande födda efter region och år", "Medelfolkmängd efter region och år", "Folkökning efter region"]
    {
        let run = allocate_with("px.csv", &px_export(title));
        assert_refused(&run, &["px.csv, line 1: the title", title, "names another table than the population"]);
    }
    assert_refused(
        &allocate_with("px.csv", &px_export("Arbetslöshet efter region")),
        &["px.csv, line 1: the title `Arbetslöshet efter region` does not name the population"],
    );
    // No title: nothing says what the figures are.
    assert_refused(&allocate_with("px.csv", &px_export("")), &["px.csv, line 1: the export has no title line"]);
}

const AGREEMENT: &str = "god-och-nara-vard-2019";

fn follow_up(plan: &str, outcome: &str, extra: &[&str]) -> common::Run {
    let dir = temp_files(&[("plan.csv", plan.as_bytes()), ("utfall.csv", outcome.as_bytes())]);
    let mut args = vec!["follow-up", "plan.csv", "utfall.csv", "--plan-unit", "tkr", "-a", AGREEMENT];
    args.extend_from_slice(extra);
    fordela_in(dir.path(), &args, None)
}

#[test]
fn a_negative_plan_amount_is_refused_as_check_finds_it() {
    let plan = "område;insats;belopp\nomstallning;Alfa;-1\nomstallning;Beta;2\n";
    let run = follow_up(plan, "insats;belopp\nBeta;1000\n", &[]);
    assert_refused(&run, &["plan.csv, line 2: intervention `Alfa` has a negative amount, -1 tkr", "amount-negative"]);
    let dir = temp_files(&[("plan.csv", plan.as_bytes())]);
    let check =
        fordela_in(dir.path(), &["check", "plan.csv", "--unit", "tkr", "-a", AGREEMENT, "--region", "23"], None);
    assert!(check.stdout.contains("amount-negative"), "{}", check.stdout);
}

#[test]
fn an_outcome_netting_below_zero_is_an_error_not_money_unspent() {
    // Beta's budget 2 tkr; its rows 3 000 − 8 000 = −5 000 kr = −5 tkr.
    let plan = "område;insats;belopp\nomstallning;Beta;2\nomstallning;Gamma;1\n";
    let outcome = "insats;belopp\nBeta;3000\nBeta;-8000\nGamma;500\n";
    let run = follow_up(plan, outcome, &["-f", "csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[1][..5], ["intervention", "omstallning", "Beta", "2.0", "-5.0"]);
    assert_eq!(rows[1][10], "outcome-negative");
    // Every amount with the one decimal Gamma's 0,5 tkr needs. The area: 3 tkr against −4,5
    // tkr; no "unspent" warning for it.
    assert_eq!(rows[3][..5], ["area", "omstallning", "", "3.0", "-4.5"]);
    assert_eq!(rows[3][10], "outcome-negative");
    assert!(!run.stderr.contains("area-unspent"), "{}", run.stderr);
    assert!(
        run.stderr.contains("error: outcome-negative (plan line 2): intervention `Beta`: its rows net to -5 tkr,"),
        "{}",
        run.stderr
    );
    // Nets to zero or more: no such finding.
    let run = follow_up(plan, "insats;belopp\nBeta;3000\nBeta;-3000\nGamma;1000\n", &["-f", "csv"]);
    assert!(!run.stderr.contains("outcome-negative"), "{}", run.stderr);
}

#[test]
fn swedish_levels_and_severity_words() {
    let plan = "område;insats;belopp\nomstallning;Beta;2\n";
    let run = follow_up(plan, "insats;belopp\nBeta;1000\n", &["-f", "csv", "--lang", "sv"]);
    let rows = csv_rows(&run.stdout);
    let levels: Vec<&str> = rows.iter().skip(1).map(|row| row[0].as_str()).collect();
    assert_eq!(levels, ["insats", "område", "total"]);
}

#[test]
fn within_an_excluded_county_is_refused() {
    for policy in ["withhold", "redistribute"] {
        let run = fordela(&["allocate", "--within", "23", "--exclude", "23", "--exclusion-policy", policy]);
        assert_refused(&run, &["--within 23: Jämtlands län (23) is not eligible", "nothing to split"]);
    }
}

#[test]
fn nested_with_an_excluded_county_withholds_its_whole_amount() {
    let run = fordela(&["allocate", "--nested", "--exclude", "23", "--exclusion-policy", "withhold", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    // The agreement by hand: omställning 1 500 + 15 (SKR), tillgänglighet 453, patientkontrakt
    // 453 + 9 (SKR) mkr.
    let agreement: [u128; 3] = [1_515_000_000, 453_000_000, 462_000_000];
    let column = |label: &str| rows[0].iter().position(|field| field == label).unwrap();
    let columns = [column("omstallning"), column("tillganglighet"), column("patientkontrakt")];
    let withheld = rows.iter().find(|row| row[1].starts_with("Withheld")).expect("a withheld line");
    let note = "not eligible: 2303, 2305, 2309, 2313, 2321, 2326, 2361, 2380 (the municipalities of 23, excluded with \
                --exclude); their share is withheld, on a line of its own";
    assert!(run.stderr.contains(note), "{}", run.stderr);
    for (area, (&at, &whole)) in columns.iter().zip(&agreement).enumerate() {
        let sum: u128 = rows[1..].iter().map(|row| row[at].parse::<u128>().unwrap()).sum();
        assert_eq!(sum, whole, "area {area}");
        // Jämtland's municipalities get nothing.
        assert!(rows.iter().filter(|row| row[2] == "23").all(|row| row[at] == "0"));
    }
    // What is withheld is Jämtland's share of the regions' amounts by population: largest
    // remainder gives it the floor of its quota or one unit more.
    let counties = common::bundled_counties("2018-12-31");
    let everyone: u128 = counties.iter().map(|(_, _, population)| u128::from(*population)).sum();
    let jamtland = u128::from(counties.iter().find(|(code, ..)| code == "23").unwrap().2);
    for (&at, regions) in columns.iter().zip([1_500_000_000u128, 453_000_000, 453_000_000]) {
        let floor = regions * jamtland / everyone;
        let held: u128 = withheld[at].parse().unwrap();
        assert!(held == floor || held == floor + 1, "{held} against quota floor {floor}");
    }
}

#[test]
fn an_outcome_with_only_a_header_is_refused() {
    let plan = "område;insats;belopp\nomstallning;Beta;2\n";
    for outcome in ["insats;belopp\n", "insats;belopp", "\u{feff}insats;belopp\r\n\r\n"] {
        let run = follow_up(plan, outcome, &[]);
        assert_refused(&run, &["utfall.csv, line 1: the outcome has a header but no rows"]);
    }
}

#[test]
fn an_object_is_one_number_however_many_leading_zeros() {
    let plan = "område;insats;belopp\nomstallning;Alfa;1\n";
    // 100 kr on `09916` and 7 kr on `9916` are both object 9916: 107 kr = 0,107 tkr; 50 kr on
    // 9917 is another object.
    let outcome =
        "insats;belopp;område;objekt\nAlfa;100;omstallning;09916\nAlfa;7;omstallning;9916\nAlfa;50;omstallning;9917\n";
    for object in ["9916", "09916"] {
        let run = follow_up(plan, outcome, &["--object", object, "-f", "csv"]);
        let rows = csv_rows(&run.stdout);
        assert_eq!(rows[1][..5], ["intervention", "omstallning", "Alfa", "1.000", "0.107"], "{}", run.stderr);
        assert!(run.stderr.contains("1 row(s) booked on another object than"), "{}", run.stderr);
    }
    // A row without an object cannot be placed under --object; without --object it counts.
    let empty = format!("{outcome}Alfa;3;omstallning;\n");
    let run = follow_up(plan, &empty, &["--object", "9916"]);
    assert_refused(&run, &["utfall.csv, line 5: the object is empty", "--object 9916"]);
    let run = follow_up(plan, &empty, &["-f", "csv"]);
    assert_eq!(csv_rows(&run.stdout)[1][4], "0.160", "{}", run.stderr);
}

#[test]
fn rows_before_the_period_are_listed_not_counted() {
    let plan = "område;insats;belopp\nomstallning;Alfa;1\n";
    // 100 kr in 2018, 200 kr and 400 kr in 2019.
    let outcome = "insats;belopp;datum\nAlfa;100;2018-06-30\nAlfa;200;2019-03-31\nAlfa;400;2019-07-01\n";
    // --until 2019-12-31: from 1 January 2019 by default; 600 kr = 0,6 tkr counted.
    for extra in [&["--until", "2019-12-31"][..], &["--from", "2019-01-01"][..]] {
        let mut args = extra.to_vec();
        args.extend(["-f", "csv"]);
        let run = follow_up(plan, outcome, &args);
        assert_eq!(csv_rows(&run.stdout)[1][4], "0.6", "{extra:?}: {}", run.stderr);
        let note = "note: rows-before-period: 1 row(s) dated before 2019-01-01, 0,1 tkr in all, not counted";
        assert!(run.stderr.contains(note), "{}", run.stderr);
    }
    // An earlier --from counts the 2018 row: 0,7 tkr; the table names the period.
    let run = follow_up(plan, outcome, &["--until", "2019-12-31", "--from", "2018-01-01"]);
    assert!(run.stdout.contains("from 2018-01-01; up to 2019-12-31"), "{}", run.stdout);
    assert!(run.stdout.contains("0,7"), "{}", run.stdout);
    // A row without a date cannot be placed after --from.
    let run = follow_up(plan, "insats;belopp;datum\nAlfa;100;\n", &["--from", "2019-01-01"]);
    assert_refused(&run, &["utfall.csv, line 2: the row has no date, and --from 2019-01-01"]);
}

#[test]
fn a_decision_covers_only_the_rows_that_cite_it() {
    let plan = "område;insats;belopp\nomstallning;Alfa;1\n";
    // 1 500 kr without a decision is over the 1 000 kr budget by itself: the 1 kr row's
    // decision does not cover it.
    let run = follow_up(plan, "insats;belopp;beslut\nAlfa;1500;\nAlfa;1;B1\n", &[]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("its rows without a decision come to 1,5 tkr by themselves"), "{}", run.stdout);
    assert!(run.stdout.contains("error    over-budget"), "{}", run.stdout);
    // 900 kr without one is within the budget; the 600 kr row with B1 carries the overrun.
    let run = follow_up(plan, "insats;belopp;beslut\nAlfa;900;\nAlfa;600;B1\n", &[]);
    assert!(run.stdout.contains("note     over-budget-decided"), "{}", run.stdout);
    assert!(
        run.stdout.contains("0,5 tkr over its budget of 1 tkr (outcome 1,5 tkr), by decision B1"),
        "{}",
        run.stdout
    );
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

#[test]
fn within_a_county_rounding_names_the_county_s_amount() {
    let run = fordela(&["allocate", "--within", "23", "--round", "0.1mkr"]);
    assert_refused(&run, &["the amount of Jämtlands län (23) in area `omstallning`", "not a whole number of steps"]);
}

/// A synthetic agreement of one area paid per inhabitant (rates invented for the test).
fn per_capita(rate: &str, total: &str) -> String {
    format!(
        "name = \"pc\"\nunit = \"kr\"\ntotal = \"{total}\"\nrounding = \"0.01 kr\"\npopulation_date = 2019-12-31\n\
         population = \"scb-county-population-31dec-2010-2020\"\n[[areas]]\nid = \"pc\"\nname = \"pc\"\n\
         per_capita = \"{rate}\"\n"
    )
}

#[test]
fn per_capita_messages_suggest_what_works_and_blame_the_exclusion() {
    // 12,505 kr × Stockholm's 2 377 081 = 29 725 397,905 kr: three decimals, so 0.001 kr.
    let stockholm = common::bundled_counties("2019-12-31")[0].2;
    assert_eq!(stockholm * 12_505, 29_725_397_905);
    let dir = temp_files(&[("pc.toml", per_capita("12,505", "1").as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "pc.toml"], None);
    assert_refused(&run, &["= 29 725 397,905 kr", "(0,01 kr): set a finer `rounding` (e.g. \"0.001 kr\")"]);
    // 12,50 kr × the whole 2019 population, as `total`: right for every region, not with one out.
    let everyone: u64 = common::bundled_counties("2019-12-31").iter().map(|(_, _, population)| population).sum();
    let total = format!("{},{:02}", everyone * 1250 / 100, everyone * 1250 % 100);
    let dir = temp_files(&[("pc.toml", per_capita("12,50", &total).as_bytes())]);
    assert_eq!(fordela_in(dir.path(), &["allocate", "pc.toml"], None).code, 0);
    let run = fordela_in(dir.path(), &["allocate", "pc.toml", "--exclude", "23"], None);
    assert_refused(&run, &["with 23 excluded", "a rate pays an excluded region nothing"]);
}

#[test]
fn the_swedish_report_words_check_s_severities_in_swedish() {
    // 1 mkr planned of Jämtland's 30,6: under the allocation (a warning), two areas missing.
    let plan = "område;insats;belopp\nomstallning;Alfa;1\n";
    let dir = temp_files(&[("plan.csv", plan.as_bytes())]);
    let args = ["report", "plan.csv", "--plan-unit", "mkr", "--region", "23", "-o", "r.html"];
    let run = fordela_in(dir.path(), &args, None);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("<li class=\"warning\">varning <code>allocation-under</code>"), "{html}");
    assert!(html.contains("<li class=\"error\">fel <code>area-missing</code>"), "{html}");
    assert!(!html.contains(">warning <code>"), "{html}");
}
