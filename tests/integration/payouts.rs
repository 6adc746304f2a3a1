//! `fordela payouts`: instalments, requests and the schedule's sums, against figures worked
//! by hand here (or summed here from the decisions, never from fordela's sums). With an
//! agreement, an area written as its id and as its full name is one area (so one decision is
//! never counted twice); a requests file that does not say its unit beside decisions in tkr is
//! refused; comment columns are shown with their rows; a request exported twice is refused.

use proptest::prelude::*;

use crate::common::{self, assert_refused, csv_rows, fordela_in, temp_files};

/// Runs `payouts` on `decisions` (and `requests`) written to a temporary directory.
fn payouts(decisions: &str, requests: Option<&str>, args: &[&str]) -> common::Run {
    let mut files = vec![("decisions.csv", decisions.as_bytes())];
    if let Some(requests) = requests {
        files.push(("requests.csv", requests.as_bytes()));
    }
    let dir = temp_files(&files);
    let mut all = vec!["payouts", "decisions.csv"];
    if requests.is_some() {
        all.extend(["--requests", "requests.csv"]);
    }
    all.extend(args);
    fordela_in(dir.path(), &all, None)
}

const AGREEMENT: &str = "god-och-nara-vard-2019";
/// The bundled agreement's full name of `omstallning` (data/agreements/).
const OMSTALLNING: &str = "Omställning till god och nära vård";

/// A schedule row: kind, provider, area, and its amounts.
type Row = (String, String, String, Vec<u128>);

/// The data rows of a plain CSV schedule (the header and the payment-date row cut), each as
/// (kind, provider, area, amounts).
fn schedule_rows(stdout: &str) -> (Vec<String>, Vec<Row>) {
    let rows = csv_rows(stdout);
    let header = rows[0].clone();
    assert_eq!(rows[1][0], "payment-date");
    let data = rows[2..]
        .iter()
        .map(|row| {
            let amounts = row[5..].iter().map(|cell| cell.parse::<u128>().unwrap()).collect();
            (row[0].clone(), row[1].clone(), row[2].clone(), amounts)
        })
        .collect();
    (header, data)
}

const DECISIONS: &str = "provider,area,amount,from,to
Vårdcentral A,tillganglighet,1000001,2019Q1,2019Q4
Vårdcentral A,patientkontrakt,250001,2019-Q3,2019-Q4
Vårdcentral B,tillganglighet,600002,2019 kv1,2019 kv4
";

#[test]
fn instalments_of_amounts_that_do_not_divide_give_the_odd_kronor_to_the_earliest_quarters() {
    let run = payouts(DECISIONS, None, &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (header, rows) = schedule_rows(&run.stdout);
    assert_eq!(header, ["kind", "provider", "area", "from", "to", "2019Q1", "2019Q2", "2019Q3", "2019Q4", "total"]);
    // By hand: 1 000 001 = 4 · 250 000 + 1; 250 001 over two quarters = 2 · 125 000 + 1;
    // 600 002 = 4 · 150 000 + 2.
    assert_eq!(rows[0].3, [250_001, 250_000, 250_000, 250_000, 1_000_001]);
    assert_eq!(rows[1].3, [0, 0, 125_001, 125_000, 250_001]);
    assert_eq!(rows[2].3, [150_001, 150_001, 150_000, 150_000, 600_002]);
    // Payment dates: the last day of each quarter's first month.
    let dates = &csv_rows(&run.stdout)[1][5..9];
    assert_eq!(dates, ["2019-01-31", "2019-04-30", "2019-07-31", "2019-10-31"]);
}

#[test]
fn the_schedule_adds_up_per_provider_per_quarter_per_area_and_in_all() {
    let run = payouts(DECISIONS, None, &["-f", "csv"]);
    let (_, rows) = schedule_rows(&run.stdout);
    let decisions: Vec<_> = rows.iter().filter(|row| row.0 == "decision").collect();
    assert_eq!(decisions.len(), 3);
    let columns = decisions[0].3.len();
    // Each decision: its quarters add up to its amount, as the file says it.
    for (row, decided) in decisions.iter().zip([1_000_001u128, 250_001, 600_002]) {
        assert_eq!(row.3[..columns - 1].iter().sum::<u128>(), decided);
        assert_eq!(row.3[columns - 1], decided);
    }
    // Each area, provider and the total: the cell-by-cell sums of their decisions.
    let sum_of = |pick: &dyn Fn(&&&Row) -> bool| -> Vec<u128> {
        (0..columns).map(|col| decisions.iter().filter(|row| pick(row)).map(|row| row.3[col]).sum()).collect()
    };
    for row in &rows {
        let expected = match row.0.as_str() {
            "area" => sum_of(&|decision| decision.2 == row.2),
            "provider" => sum_of(&|decision| decision.1 == row.1),
            "total" => sum_of(&|_| true),
            _ => continue,
        };
        assert_eq!(row.3, expected, "{row:?}");
    }
    let total = rows.iter().find(|row| row.0 == "total").unwrap();
    assert_eq!(total.3, [400_002, 400_001, 525_001, 525_000, 1_850_004]);
    assert_eq!(rows.iter().filter(|row| row.0 == "area").count(), 2);
    assert_eq!(rows.iter().filter(|row| row.0 == "provider").count(), 2);
}

#[test]
fn a_request_that_overdraws_is_an_error_naming_provider_quarter_asked_and_left() {
    let requests = "provider,area,quarter,amount
Vårdcentral A,tillganglighet,2019Q1,250001
Vårdcentral A,tillganglighet,2019Q2,400000
Vårdcentral A,tillganglighet,2019Q3,400000
";
    let run = payouts(DECISIONS, Some(requests), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // 1 000 001 − 250 001 − 400 000 = 350 000 left when 400 000 is asked in Q3.
    assert!(run.stdout.contains("request-over"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "Vårdcentral A asks for 400 000 kr for tillganglighet in 2019Q3, but only 350 000 kr is left of the decision"
        ),
        "{}",
        run.stdout
    );
    // What is left: the refused request pays nothing.
    let json = payouts(DECISIONS, Some(requests), &["-f", "json"]);
    assert_eq!(json.code, 1);
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let first = &document["lines"][0];
    assert_eq!(first["requested"], "650001");
    assert_eq!(first["left"], "350000");
    assert_eq!(document["findings"][0]["id"], "request-over");
    assert_eq!(document["findings"][0]["asked"], "400000");
    assert_eq!(document["findings"][0]["left"], "350000");
    // The ledger: 1 000 001 − 250 001 = 750 000; − 400 000 = 350 000; the third refused.
    let ledger: Vec<(&str, &str)> = document["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| (entry["outcome"].as_str().unwrap(), entry["left_after"].as_str().unwrap()))
        .collect();
    assert_eq!(ledger, [("accepted", "750000"), ("accepted", "350000"), ("over", "350000")]);
    // In CSV the finding is said on stderr, and the exit code still fails.
    let csv = payouts(DECISIONS, Some(requests), &["-f", "csv"]);
    assert_eq!(csv.code, 1);
    assert!(csv.stderr.contains("request-over"), "{}", csv.stderr);
    // In Swedish: the same id and figures, Swedish words.
    let swedish = payouts(DECISIONS, Some(requests), &["--lang", "sv"]);
    assert_eq!(swedish.code, 1);
    assert!(
        swedish.stdout.contains(
            "fel [request-over] äskande på rad 4: Vårdcentral A begär 400 000 kr för tillganglighet 2019Q3, men \
             bara 350 000 kr återstår av beslutet"
        ),
        "{}",
        swedish.stdout
    );
}

#[test]
fn requests_within_the_decision_pass_and_show_what_is_left() {
    let requests = "utförare;område;kvartal;belopp\nVårdcentral A;tillganglighet;2019Q1;250 001\n";
    let run = payouts(DECISIONS, Some(requests), &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(&rows[0][10..], ["requested", "left"]);
    assert_eq!(&rows[2][10..], ["250001", "750000"]);
}

#[test]
fn a_request_outside_the_period_is_an_error() {
    let requests = "provider,area,quarter,amount\nVårdcentral A,patientkontrakt,2019Q1,100\n";
    let run = payouts(DECISIONS, Some(requests), &[]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("request-outside-period"), "{}", run.stdout);
    assert!(run.stdout.contains("outside the decision's period 2019Q3–2019Q4"), "{}", run.stdout);
}

#[test]
fn a_request_for_no_decision_is_refused_with_a_suggestion() {
    let requests = "provider,area,quarter,amount\nVårdcentral C,tillganglighet,2019Q1,100\n";
    let run = payouts(DECISIONS, Some(requests), &[]);
    assert_refused(&run, &["requests.csv, line 2", "no decision for that provider and area"]);
}

#[test]
fn units_come_from_the_header_or_the_flag_and_never_disagree() {
    let tkr = "utförare;område;belopp (tkr);från;till\nA;x;1000,001;2019Q1;2019Q4\n";
    let run = payouts(tkr, None, &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(schedule_rows(&run.stdout).1[0].3, [250_001, 250_000, 250_000, 250_000, 1_000_001]);
    assert_refused(&payouts(tkr, None, &["--unit", "mkr"]), &["tkr", "--unit says mkr"]);
    let flag = "utförare;område;belopp;från;till\nA;x;1,000001;2019Q1;2019Q4\n";
    let run = payouts(flag, None, &["-f", "csv", "--unit", "mkr"]);
    assert_eq!(schedule_rows(&run.stdout).1[0].3[4], 1_000_001);
    // Less than a krona is not a payout.
    assert_refused(
        &payouts("provider,area,amount,from,to\nA,x,10.5,2019Q1,2019Q4\n", None, &[]),
        &["line 2", "not a whole number of kronor"],
    );
}

#[test]
fn bad_decisions_are_refused_naming_line_and_field() {
    let header = "provider,area,amount,from,to\n";
    for (row, needles) in [
        ("A,x,100,Q1 2019,2019Q4", &["line 2", "field `from`", "`Q1 2019` is not a quarter"][..]),
        ("A,x,100,2019Q1,2019 Q5", &["line 2", "field `to`"]),
        ("A,x,100,2019Q3,2019Q1", &["line 2", "runs backwards"]),
        ("A,x,100,2019Q3,2020Q1", &["line 2", "spans several years"]),
        ("A,x,-100,2019Q1,2019Q4", &["line 2", "negative"]),
        ("A,x,0,2019Q1,2019Q4", &["line 2", "zero"]),
        ("A,x,,2019Q1,2019Q4", &["line 2", "empty amount"]),
        ("A,x,100,,2019Q4", &["line 2", "`from` is empty"]),
        ("A,x,100,,", &["line 2", "no --year"]),
        ("A,x,123456789012345678901234567890123456789,2019Q1,2019Q4", &["line 2", "too many digits"]),
        (",x,100,2019Q1,2019Q4", &["line 2", "`provider` is empty"]),
    ] {
        let run = payouts(&format!("{header}{row}\n"), None, &[]);
        assert_refused(&run, needles);
    }
    // A second decision for the same provider and area over the same quarters: never added.
    let twice = format!("{header}A,x,100,2019Q1,2019Q4\nA,x,200,2019Q2,2019Q2\n");
    assert_refused(&payouts(&twice, None, &[]), &["line 3", "a second decision", "first is on line 2"]);
    // Distinct periods are distinct decisions.
    let years = format!("{header}A,x,100,2019Q1,2019Q4\nA,x,200,2020Q1,2020Q2\n");
    let run = payouts(&years, None, &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Two years: a column per year after the quarters.
    let rows = csv_rows(&run.stdout);
    assert_eq!(&rows[0][11..], ["2019", "2020", "total"]);
    // An unknown column is refused, not dropped.
    assert_refused(&payouts("provider,area,amount,from,to,moms\nA,x,100,2019Q1,2019Q4,25\n", None, &[]), &["moms"]);
    // A sum row must be the decisions' sum.
    let summed = format!("{header}A,x,100,2019Q1,2019Q4\nB,x,200,2019Q1,2019Q4\nTotalt,,301,,\n");
    assert_refused(&payouts(&summed, None, &[]), &["line 4", "301 kr", "300 kr"]);
    let right = format!("{header}A,x,100,2019Q1,2019Q4\nB,x,200,2019Q1,2019Q4\nTotalt,,300,,\n");
    assert_eq!(payouts(&right, None, &[]).code, 0);
}

#[test]
fn empty_periods_are_the_whole_year_and_areas_can_be_checked_against_an_agreement() {
    let decisions = "provider,area,amount,from,to\nA,tillganglighet,8,,\n";
    let run = payouts(decisions, None, &["--year", "2019", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(schedule_rows(&run.stdout).1[0].3, [2, 2, 2, 2, 8]);
    let run = payouts(decisions, None, &["--year", "2019", "--agreement", "god-och-nara-vard-2019"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let typo = "provider,area,amount,from,to\nA,tillganglihet,8,,\n";
    let run = payouts(typo, None, &["--year", "2019", "--agreement", "god-och-nara-vard-2019"]);
    assert_refused(&run, &["line 2", "`tillganglihet` is not an area", "did you mean `tillganglighet`?"]);
}

#[test]
fn swedish_excel_and_atomic_output() {
    let dir = temp_files(&[("decisions.csv", DECISIONS.as_bytes())]);
    let run = fordela_in(dir.path(), &["payouts", "decisions.csv", "--excel", "--lang", "sv", "-o", "ut.csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let bytes = std::fs::read(dir.path().join("ut.csv")).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbftyp;utf\xc3\xb6rare;omr\xc3\xa5de;"), "{:?}", &bytes[..30]);
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains("\r\nbeslut;Vårdcentral A;tillganglighet;2019Q1;2019Q4;250001;250000;250000;250000;1000001\r\n")
    );
    // The table labels follow --lang.
    let run = fordela_in(dir.path(), &["payouts", "decisions.csv", "--lang", "sv"], None);
    assert!(run.stdout.contains("utförare") && run.stdout.contains("Utbetalningsdag"), "{}", run.stdout);
    // --payment-day moves the dates.
    let run = fordela_in(dir.path(), &["payouts", "decisions.csv", "-f", "csv", "--payment-day", "quarter-end"], None);
    assert_eq!(&csv_rows(&run.stdout)[1][5..9], ["2019-03-31", "2019-06-30", "2019-09-30", "2019-12-31"]);
}

#[test]
fn toml_decisions_hold_their_requests() {
    let toml = r#"# synthetic
year = 2019
unit = "tkr"

[[decisions]]
provider = "Vårdcentral A"
area = "tillganglighet"
amount = "1 000,001"
requests = [ { quarter = "2019Q1", amount = 250.001 }, { quarter = "2019 kv2", amount = 800 } ]

[[decisions]]
provider = "Vårdcentral B"
area = "patientkontrakt"
amount = 250.001
from = "2019Q3"
to = "2019Q4"
"#;
    let dir = temp_files(&[("decisions.toml", toml.as_bytes())]);
    let run = fordela_in(dir.path(), &["payouts", "decisions.toml", "-f", "json"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // 1 000,001 tkr = 1 000 001 kr: 250 001 + 3 · 250 000; 250,001 tkr over Q3–Q4: 125 001 + 125 000.
    assert_eq!(document["lines"][0]["instalments"], serde_json::json!(["250001", "250000", "250000", "250000"]));
    assert_eq!(document["lines"][1]["instalments"], serde_json::json!(["0", "0", "125001", "125000"]));
    // 1 000 001 − 250 001 = 750 000 left when 800 000 is asked in Q2.
    assert_eq!(document["findings"][0]["asked"], "800000");
    assert_eq!(document["findings"][0]["left"], "750000");
    // The file's own unit and a contradicting flag; a quarter written another way; requests twice.
    assert_refused(
        &fordela_in(dir.path(), &["payouts", "decisions.toml", "--unit", "kr"], None),
        &["says its unit is tkr"],
    );
    let dir = temp_files(&[
        (
            "bad.toml",
            b"[[decisions]]\nprovider = \"A\"\narea = \"x\"\namount = 4\nfrom = \"Q1 2019\"\nto = \"2019Q4\"\n",
        ),
        ("requests.csv", b"provider,area,quarter,amount\nA,x,2019Q1,1\n"),
    ]);
    assert_refused(
        &fordela_in(dir.path(), &["payouts", "bad.toml"], None),
        &["bad.toml", "`Q1 2019` is not a quarter"],
    );
    let own = "[[decisions]]\nprovider = \"A\"\narea = \"x\"\namount = 4\nfrom = \"2019Q1\"\nto = \"2019Q4\"\nrequests = [{ quarter = \"2019Q1\", amount = 1 }]\n";
    std::fs::write(dir.path().join("own.toml"), own).unwrap();
    let run = fordela_in(dir.path(), &["payouts", "own.toml", "--requests", "requests.csv"], None);
    assert_refused(&run, &["keep the requests in one place"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn instalments_add_up_to_the_decision_and_differ_by_at_most_one(amount in 1u128..u128::MAX, quarters in 1usize..=4) {
        let parts = fordela::commands::payouts::schedule::instalments(amount, quarters);
        prop_assert_eq!(parts.len(), quarters);
        prop_assert_eq!(parts.iter().try_fold(0u128, |sum, part| sum.checked_add(*part)), Some(amount));
        let (low, high) = (parts.iter().min().unwrap(), parts.iter().max().unwrap());
        prop_assert!(high - low <= 1);
        // The odd units go first: never a larger instalment after a smaller one.
        prop_assert!(parts.windows(2).all(|pair| pair[0] >= pair[1]));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Through the binary: any decision, any period within a year, the row adds up.
    #[test]
    fn the_binary_schedule_adds_up_for_any_decision(amount in 1u128..10u128.pow(20), first in 1u8..=4, span in 0u8..4) {
        let last = (first + span).min(4);
        let decisions = format!("provider,area,amount,from,to\nA,x,{amount},2021Q{first},2021Q{last}\n");
        let run = payouts(&decisions, None, &["-f", "csv"]);
        prop_assert_eq!(run.code, 0, "{}", run.stderr);
        let (_, rows) = schedule_rows(&run.stdout);
        let cells = &rows[0].3;
        prop_assert_eq!(cells[..cells.len() - 1].iter().sum::<u128>(), amount);
        // One decision: every column is one of its quarters.
        prop_assert_eq!(cells.len() - 1, usize::from(last - first + 1));
        let paid = &cells[..cells.len() - 1];
        prop_assert!(paid.iter().max().unwrap() - paid.iter().min().unwrap() <= 1);
    }
}

#[test]
fn the_examples_read() {
    let run = common::fordela(&["payouts", "examples/payouts-2019.toml", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Requests 250 001 + 250 000 of 1 000 001: 500 000 left.
    assert_eq!(&csv_rows(&run.stdout)[2][10..], ["500001", "500000"]);
    let run = common::fordela(&[
        "payouts",
        "examples/payouts-2019.csv",
        "--year",
        "2019",
        "--requests",
        "examples/payout-requests-2019.csv",
    ]);
    // The CSV example's third request overdraws on purpose: 1 000 001 − 250 001 − 400 000 = 350 000.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("only 350 000 kr is left"), "{}", run.stdout);
}

#[test]
fn names_that_a_spreadsheet_would_run_are_guarded() {
    let decisions = "provider,area,amount,from,to\n\"=HYPERLINK(\"\"x\"\")\",x,4,2019Q1,2019Q4\n";
    let run = payouts(decisions, None, &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("'=HYPERLINK"), "{}", run.stdout);
}

#[test]
fn a_request_row_exported_twice_is_refused_not_paid_twice() {
    let requests = "provider,area,quarter,amount\nVårdcentral A,tillganglighet,2019Q1,100\nVårdcentral A,tillganglighet,2019Q1,100\n";
    assert_refused(&payouts(DECISIONS, Some(requests), &[]), &["requests.csv, line 3", "the same request as line 2"]);
    // Two different requests in one quarter are two requests: 100 + 200 of 1 000 001.
    let two = "provider,area,quarter,amount\nVårdcentral A,tillganglighet,2019Q1,100\nVårdcentral A,tillganglighet,2019Q1,200\n";
    let run = payouts(DECISIONS, Some(two), &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(&csv_rows(&run.stdout)[2][10..], ["300", "999701"]);
}

#[test]
fn an_area_written_as_id_and_as_name_is_one_area_with_an_agreement() {
    // The same decision twice, the area written two ways: refused as a second decision over
    // the same quarters, as when it is written the same way twice.
    let twice =
        format!("provider;area;amount;from;to\nA;omstallning;1000;2019Q1;2019Q4\nA;{OMSTALLNING};1000;2019Q1;2019Q4\n");
    let run = payouts(&twice, None, &["--agreement", AGREEMENT, "-f", "csv"]);
    assert_refused(&run, &["decisions.csv, line 3", "a second decision for `A` in `omstallning`", "line 2"]);
    // Periods that overlap in 2019Q2 only.
    let overlap =
        format!("provider;area;amount;from;to\nA;{OMSTALLNING};1000;2019Q1;2019Q2\nA;OMSTALLNING;1000;2019Q2;2019Q3\n");
    assert_refused(&payouts(&overlap, None, &["--agreement", AGREEMENT]), &["line 3", "the same quarters"]);
    // The same in TOML.
    let toml = format!(
        "[[decisions]]\nprovider = \"A\"\narea = \"omstallning\"\namount = 1000\nfrom = \"2019Q1\"\nto = \"2019Q4\"\n\n\
         [[decisions]]\nprovider = \"A\"\narea = \"{OMSTALLNING}\"\namount = 1000\nfrom = \"2019Q1\"\nto = \"2019Q4\"\n"
    );
    let dir = temp_files(&[("decisions.toml", toml.as_bytes())]);
    let run = fordela_in(dir.path(), &["payouts", "decisions.toml", "--agreement", AGREEMENT], None);
    assert_refused(&run, &["a second decision for `A` in `omstallning`"]);

    // One decision in full name, its requests by id and in full: one area. 1 000 kr over four
    // quarters; requests 300 (by id) and 600 (in full) in 2019Q1 leave 1 000 − 900 = 100.
    let decision = format!("provider;area;amount;from;to\nA;{OMSTALLNING};1000;2019Q1;2019Q4\n");
    let requests = format!("provider;area;quarter;amount\nA;omstallning;2019Q1;300\nA;{OMSTALLNING};2019Q1;600\n");
    let run = payouts(&decision, Some(&requests), &["--agreement", AGREEMENT, "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0][10..], ["requested", "left"]);
    assert_eq!(rows[2][..3], ["decision", "A", "omstallning"]);
    assert_eq!(rows[2][5..], ["250", "250", "250", "250", "1000", "900", "100"]);
    // The same request twice, its area written two ways: the second is refused as a twin.
    let twin = format!("provider;area;quarter;amount\nA;{OMSTALLNING};2019Q1;600\nA;omstallning;2019Q1;600\n");
    let run = payouts(&decision, Some(&twin), &["--agreement", AGREEMENT]);
    assert_refused(&run, &["requests.csv, line 3", "the same request as line 2"]);
    // An area the agreement does not have, in the requests: named with its line.
    let stray = "provider;area;quarter;amount\nA;tillganglihet;2019Q1;600\n";
    let run = payouts(&decision, Some(stray), &["--agreement", AGREEMENT]);
    assert_refused(&run, &["requests.csv, line 2", "`tillganglihet`", "did you mean `tillganglighet`?"]);

    // Without an agreement, areas are free text: the two spellings are two areas, as the
    // help says; runs of spaces and case aside they are compared as written.
    let run = payouts(&twice, None, &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let spaced = "provider;area;amount;from;to\nA;Nära  vård;1000;2019Q1;2019Q4\nA;nära vård;1000;2019Q1;2019Q4\n";
    assert_refused(&payouts(spaced, None, &[]), &["a second decision"]);
    let help = common::fordela(&["payouts", "--help"]);
    assert!(help.stdout.contains("compared as written"), "{}", help.stdout);
}

#[test]
fn a_requests_file_without_a_unit_beside_decisions_in_tkr_is_refused() {
    // Decisions 1 000 tkr; a request `1` could be 1 kr or 1 tkr.
    let decisions = "provider,area,amount (tkr),from,to\nA,x,1000,2019Q1,2019Q4\n";
    let requests = "provider,area,quarter,amount\nA,x,2019Q1,1\n";
    let run = payouts(decisions, Some(requests), &[]);
    assert_refused(&run, &["requests.csv, line 1", "do not say their unit", "decisions.csv", "tkr", "--unit"]);
    // Said in the header: 1 tkr = 1 000 kr of 1 000 000 kr; 999 000 left.
    let stated = "provider,area,quarter,amount (tkr)\nA,x,2019Q1,1\n";
    let run = payouts(decisions, Some(stated), &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(csv_rows(&run.stdout)[2][9..], ["1000000", "1000", "999000"]);
    // Said in kr: 1 kr; 999 999 left.
    let in_kr = "provider,area,quarter,amount (kr)\nA,x,2019Q1,1\n";
    let run = payouts(decisions, Some(in_kr), &["-f", "csv"]);
    assert_eq!(csv_rows(&run.stdout)[2][9..], ["1000000", "1", "999999"]);
    // --unit tkr says it for both files.
    let run = payouts(decisions, Some(requests), &["-f", "csv", "--unit", "tkr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(csv_rows(&run.stdout)[2][9..], ["1000000", "1000", "999000"]);
    // A TOML decisions file in tkr: the same.
    let toml = "unit = \"tkr\"\n[[decisions]]\nprovider = \"A\"\narea = \"x\"\namount = 1000\nfrom = \"2019Q1\"\nto = \"2019Q4\"\n";
    let dir = temp_files(&[("decisions.toml", toml.as_bytes()), ("requests.csv", requests.as_bytes())]);
    let run = fordela_in(dir.path(), &["payouts", "decisions.toml", "--requests", "requests.csv"], None);
    assert_refused(&run, &["requests.csv, line 1", "do not say their unit", "decisions.toml", "tkr"]);
    // Decisions in kr (said or not), requests not saying: kr, as before.
    let plain = "provider,area,amount,from,to\nA,x,1000,2019Q1,2019Q4\n";
    let run = payouts(plain, Some(requests), &["-f", "csv"]);
    assert_eq!(csv_rows(&run.stdout)[2][9..], ["1000", "1", "999"]);
}

#[test]
fn comment_columns_are_shown_with_their_rows() {
    let decisions =
        "provider;area;amount;from;to;kommentar\nA;x;1000;2019Q1;2019Q4;beslut 12\nB;x;400;2019Q1;2019Q2;\n";
    let requests = "provider;area;quarter;amount;kommentar\nA;x;2019Q1;100;första\n";
    let run = payouts(decisions, Some(requests), &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0].last().unwrap(), "comment");
    assert_eq!((rows[2][1].as_str(), rows[2].last().unwrap().as_str()), ("A", "beslut 12"));
    assert_eq!((rows[3][1].as_str(), rows[3].last().unwrap().as_str()), ("B", ""));
    let run = payouts(decisions, Some(requests), &["-f", "json"]);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["lines"][0]["comment"], "beslut 12");
    assert!(document["lines"][1].get("comment").is_none());
    assert_eq!(document["requests"][0]["comment"], "första");
    let run = payouts(decisions, Some(requests), &[]);
    assert!(run.stdout.contains("beslut 12") && run.stdout.contains("första"), "{}", run.stdout);
    // Without a comment column the CSV is as before: no `comment` column.
    let run = payouts("provider;area;amount;from;to\nA;x;1000;2019Q1;2019Q4\n", None, &["-f", "csv"]);
    assert_eq!(csv_rows(&run.stdout)[0].last().unwrap(), "total");
}

#[test]
fn a_request_exported_twice_is_refused_and_two_requests_in_a_quarter_are_two() {
    let decisions = "provider,area,amount,from,to\nA,x,1000,2019Q1,2019Q4\n";
    // The identical row twice (the reviewer's case), also with other case and spaces, or its
    // quarter and amount written otherwise.
    for requests in [
        "provider,area,quarter,amount\nA,x,2019Q1,100\nA,x,2019Q1,100\n",
        "provider,area,quarter,amount\nA,x,2019Q1,100\na , X ,2019Q1,100\n",
        "provider;area;quarter;amount\nA;x;2019Q1;100\nA;x;2019-Q1;100,0\n",
    ] {
        let run = payouts(decisions, Some(requests), &[]);
        assert_refused(&run, &["requests.csv, line 3", "the same request as line 2"]);
    }
    // Two different requests in one quarter (600 and 300) are two requests: 900 of 1 000.
    let two = "provider,area,quarter,amount\nA,x,2019Q1,600\nA,x,2019Q1,300\n";
    let run = payouts(decisions, Some(two), &["-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(csv_rows(&run.stdout)[2][9..], ["1000", "900", "100"]);
}
