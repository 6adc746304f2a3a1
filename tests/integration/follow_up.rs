//! `fordela follow-up`: the synthetic outcome of Jämtland Härjedalen's real 2019 plan, and
//! hand-made cases whose figures are worked out here, not taken from fordela's output; outcome
//! rows naming an intervention by the plan's own id.

use std::fmt::Write as _;

use rust_xlsxwriter::Workbook;

use crate::common::{self, Run, assert_refused, csv_rows, fordela, fordela_in, temp_files};

const PLAN: &str = "examples/jamtland-harjedalen-2019.toml";
const OUTCOME: &str = "examples/jamtland-harjedalen-2019-utfall.csv";

/// The plan's budgets in kr, as the seed writes them (19 / 5,8 / 5,8 mkr), by hand.
const BUDGETS: [(&str, &str, i64); 14] = [
    ("omstallning", "Påbörjat arbete med Region Jämtland Härjedalens strategi för nära vård", 10_000_000),
    ("omstallning", "Zamsynsdagar 22-23 oktober", 1_000_000),
    ("omstallning", "Digitalisering och införande av ny teknik", 5_000_000),
    ("omstallning", "Utveckling av hälsofrämjande och förebyggande insatser", 2_000_000),
    ("omstallning", "Samverkan med kommunerna", 1_000_000),
    ("tillganglighet", "Förbättrad väntetidsuppföljning", 1_000_000),
    ("tillganglighet", "Digitala kontaktvägar (ex digitala vårdgivare)", 2_000_000),
    ("tillganglighet", "Utökade öppettider", 1_000_000),
    ("tillganglighet", "Förändrade arbetssätt", 1_800_000),
    ("patientkontrakt", "Personcentrerad vård", 1_000_000),
    ("patientkontrakt", "Rutiner för fast vårdkontakt", 800_000),
    ("patientkontrakt", "Fortsatt arbete breddinförande webbtidbok", 1_500_000),
    ("patientkontrakt", "Förbättringsarbete samordning och samverkan", 1_000_000),
    ("patientkontrakt", "Utveckling av patientkontrakt", 1_500_000),
];

/// A plain decimal as fordela's CSV writes it (`-0.18435`), scaled to `decimals` digits: an
/// exact integer, no float.
fn scaled(text: &str, decimals: usize) -> i64 {
    let (negative, digits) = text.strip_prefix('-').map_or((false, text), |rest| (true, rest));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(fraction.len() <= decimals, "{text}");
    let value: i64 = format!("{whole}{fraction:0<decimals$}").parse().unwrap();
    if negative { -value } else { value }
}

/// Kronor from an amount in mkr as written by fordela.
fn mkr_in_kr(text: &str) -> i64 {
    scaled(text, 6)
}

/// The example's rows read here, by splitting the file: (intervention, kr, date, object).
fn example_rows() -> Vec<(String, i64, String, String)> {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(OUTCOME)).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split(';').collect();
            let kr: i64 = fields[1].replace(' ', "").parse().unwrap();
            (fields[0].to_string(), kr, fields[2].to_string(), fields[3].to_string())
        })
        .collect()
}

/// Sums each numeric column of the CSV's rows of `level`.
fn column_sums(rows: &[Vec<String>], level: &str, area: Option<&str>) -> [i64; 3] {
    let mut sums = [0; 3];
    for row in rows.iter().filter(|row| row[0] == level && area.is_none_or(|area| row[1] == area)) {
        for (sum, cell) in sums.iter_mut().zip(&row[3..6]) {
            *sum += mkr_in_kr(cell);
        }
    }
    sums
}

#[test]
fn jamtland_2019_on_object_9916_for_the_year_adds_up_to_the_krona() {
    let run = fordela(&["follow-up", PLAN, OUTCOME, "--object", "9916", "--until", "2019-12-31", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0][..6], ["level", "area", "intervention", "budget", "outcome", "remaining"]);
    let counted: Vec<_> = example_rows()
        .into_iter()
        .filter(|(_, _, date, object)| object == "9916" && date.as_str() <= "2019-12-31")
        .collect();
    for (area, name, budget) in BUDGETS {
        let row = rows.iter().find(|row| row[0] == "intervention" && row[2] == name).expect(name);
        assert_eq!(row[1], area);
        let spent: i64 = counted.iter().filter(|row| row.0 == name).map(|row| row.1).sum();
        assert_eq!((mkr_in_kr(&row[3]), mkr_in_kr(&row[4])), (budget, spent), "{name}");
        assert_eq!(mkr_in_kr(&row[5]), budget - spent, "{name}");
    }
    // Every column adds up: interventions to their area, areas to the total.
    for area in ["omstallning", "tillganglighet", "patientkontrakt"] {
        assert_eq!(column_sums(&rows, "intervention", Some(area)), column_sums(&rows, "area", Some(area)), "{area}");
    }
    assert_eq!(column_sums(&rows, "area", None), column_sums(&rows, "total", None));
    // Worked by hand from the example: 17 612 550 + 4 445 000 + 5 310 000 kr.
    assert_eq!(column_sums(&rows, "total", None), [30_600_000, 27_367_550, 3_232_450]);
    // The rows left out are said, with their sums: 250 000 + 95 000 + 42 500 kr, and 120 000 kr.
    assert!(run.stderr.contains("3 row(s) booked on another object than 9916, 0,3875 mkr in all"), "{}", run.stderr);
    assert!(run.stderr.contains("1 row(s) dated after 2019-12-31, 0,12 mkr in all"), "{}", run.stderr);
    assert!(run.stderr.contains("over-budget-decided"), "{}", run.stderr);
    assert!(run.stderr.contains("HSN 2019-09-17 § 88"), "{}", run.stderr);
}

#[test]
fn jamtland_2019_without_filters_counts_every_row_and_finds_two_overruns() {
    let run = fordela(&["follow-up", PLAN, OUTCOME, "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let all: i64 = example_rows().iter().map(|row| row.1).sum();
    assert_eq!(mkr_in_kr(json["total"]["outcome"].as_str().unwrap()), all);
    let ids: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    // Personcentrerad vård: 480 000 + 42 500 + 505 000 = 1 027 500 kr > 1 mkr; the web booking:
    // 500 000 + 600 000 + 380 000 + 120 000 = 1 600 000 kr > 1,5 mkr. Neither cites a decision.
    assert_eq!(ids.iter().filter(|id| **id == ("over-budget", "error")).count(), 2, "{ids:?}");
    let over: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "over-budget")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(over[0].contains("`Personcentrerad vård`") && over[0].contains("0,0275 mkr over"), "{over:?}");
    assert!(over[1].contains("breddinförande webbtidbok") && over[1].contains("0,1 mkr over"), "{over:?}");
    assert!(!ids.iter().any(|(id, _)| id.starts_with("rows-")), "no filter, nothing left out: {ids:?}");
}

/// A plan in tkr over the bundled agreement's areas, worked by hand below.
const HAND_PLAN: &str = "område;insats;belopp (tkr)\n\
                         omstallning;Strategi;10\n\
                         omstallning;Zamsyn;5\n\
                         tillganglighet;Väntetider;4\n\
                         patientkontrakt;Kontrakt;2\n";

fn hand(outcome: &str, args: &[&str]) -> common::Run {
    let dir = common::temp_files(&[("plan.csv", HAND_PLAN.as_bytes()), ("utfall.csv", outcome.as_bytes())]);
    let mut all = vec!["follow-up", "plan.csv", "utfall.csv"];
    all.extend(args);
    common::fordela_in(dir.path(), &all, None)
}

#[test]
fn each_finding_with_its_figures() {
    // Strategi 12 000 kr against 10 tkr: 2 tkr over, no decision. Zamsyn 6 000 kr against 5 tkr
    // with decision D1. omstallning: 18 tkr against 15 tkr, 3 tkr over though one has a
    // decision. Väntetider 1 000 kr of 4 tkr: 3 tkr unspent. Kontrakt: no rows, 2 tkr unspent.
    // `Strategin` matches nothing (500 kr); the nearest name is Strategi.
    let outcome = "Insats;Belopp;Beslut;Kommentar\n\
                   Strategi;12 000;;konsulter\n\
                   Zamsyn;6000;D1;fler deltagare\n\
                   Väntetider;1000;;\n\
                   Strategin;500;;\n";
    let run = hand(outcome, &["-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().into(),
                f["severity"].as_str().unwrap().into(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    let said =
        |id: &str| findings.iter().filter(|f| f.0 == id).map(|f| (f.1.as_str(), f.2.as_str())).collect::<Vec<_>>();
    assert_eq!(
        said("over-budget"),
        [(
            "error",
            "intervention `Strategi` is over its budget: outcome 12 tkr against a budget of 10 tkr, 2 tkr over, and no row cites a decision that allows it"
        )]
    );
    assert_eq!(
        said("over-budget-decided"),
        [("note", "intervention `Zamsyn` is 1 tkr over its budget of 5 tkr (outcome 6 tkr), by decision D1")]
    );
    assert_eq!(
        said("area-over"),
        [("error", "area `omstallning` is over its amount: outcome 18 tkr against 15 tkr, 3 tkr over")]
    );
    assert_eq!(
        said("outcome-unmatched"),
        [("error", "the row for `Strategin` of 0,5 tkr matches no intervention of the plan; did you mean `Strategi`?")]
    );
    assert_eq!(
        said("area-unspent"),
        [
            ("warning", "area `tillganglighet`: 3 tkr of 4 tkr unspent (outcome 1 tkr)"),
            ("warning", "area `patientkontrakt`: 2 tkr of 2 tkr unspent (outcome 0 tkr)"),
        ]
    );
    assert_eq!(said("no-outcome"), [("warning", "intervention `Kontrakt` (budget 2 tkr) has no outcome")]);
    assert_eq!(json["unmatched"]["sum"], "0.5");
    assert_eq!(json["total"]["outcome"], "19.0", "12 + 6 + 1 tkr; the unmatched row is not counted");
    assert_eq!(json["total"]["remaining"], "2.0");
    assert_eq!(json["areas"][0]["interventions"][1]["decisions"][0], "D1");
    assert_eq!(json["areas"][0]["interventions"][0]["comments"][0], "konsulter");
    assert_eq!(json["areas"][0]["share_used"], "120.00");
}

#[test]
fn warnings_fail_only_with_strict() {
    let outcome = "insats;belopp\nStrategi;10000\nZamsyn;5000\nVäntetider;4000\nKontrakt;1000\n";
    let run = hand(outcome, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("area-unspent"), "{}", run.stdout);
    let strict = hand(outcome, &["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
}

#[test]
fn the_object_filter_and_the_period_cut() {
    // Counted: Strategi 1 000 kr (9916, March). Left out: 2 000 kr on 9917, 4 000 kr in April.
    let outcome = "insats;belopp;objekt;datum\nStrategi;1000;9916;2019-03-31\nStrategi;2000;9917;2019-03-01\n\
                   Strategi;4000;9916;2019-04-01\n";
    let run = hand(outcome, &["--object", "9916", "--until", "2019-03-31", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["areas"][0]["interventions"][0]["outcome"], "1");
    assert_eq!(json["other_object"]["sum"], "2");
    assert_eq!(json["after_period"]["sum"], "4");
    assert_eq!(json["other_object"]["rows"][0]["line"], 3);
    // Without the cut the April row counts; without the filter the 9917 row does.
    let json: serde_json::Value =
        serde_json::from_str(&hand(outcome, &["--object", "9916", "-f", "json"]).stdout).unwrap();
    assert_eq!(json["areas"][0]["interventions"][0]["outcome"], "5");
    let json: serde_json::Value = serde_json::from_str(&hand(outcome, &["-f", "json"]).stdout).unwrap();
    assert_eq!(json["areas"][0]["interventions"][0]["outcome"], "7");
}

#[test]
fn a_screen_lists_the_first_rows_left_out_and_counts_the_rest_the_json_lists_all() {
    // 25 rows on another object (k × 10 kr for k = 1..=25, 3 250 kr in all) and one counted.
    let mut outcome = String::from("insats;belopp;objekt;datum\nStrategi;1000;9916;2019-03-31\n");
    for k in 1..=25 {
        writeln!(outcome, "Strategi;{};9917;2019-03-{:02}", k * 10, k).unwrap();
    }
    let left_out: i64 = (1..=25).map(|k| k * 10).sum();
    let table = hand(&outcome, &["--object", "9916", "--lang", "en"]);
    let listed = table.stdout.lines().filter(|line| line.contains("object 9917")).count();
    assert_eq!(listed, 20, "{}", table.stdout);
    assert!(
        table.stdout.contains("… and 5 more row(s) (25 in all): every row is listed by --format csv"),
        "{}",
        table.stdout
    );
    // The total still counts every row, not only those listed: 3 250 kr is 3,25 tkr.
    let total = format!("  Total: {},{:02} tkr", left_out / 1000, left_out % 1000 / 10);
    assert!(table.stdout.lines().any(|line| line == total), "{total}\n{}", table.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&hand(&outcome, &["--object", "9916", "-f", "json"]).stdout).unwrap();
    assert_eq!(json["other_object"]["rows"].as_array().unwrap().len(), 25);
}

#[test]
fn rows_that_cannot_be_placed_are_errors_not_guesses() {
    assert_refused(
        &hand("insats;belopp;datum\nStrategi;1000;2019-01-01\nStrategi;5;\n", &["--until", "2019-06-30"]),
        &["utfall.csv, line 3: the row has no date", "--until 2019-06-30"],
    );
    assert_refused(&hand("insats;belopp\nStrategi;1\n", &["--object", "9916"]), &["no `objekt`/`object` column"]);
    assert_refused(&hand("insats;belopp;ansvar\nStrategi;1;17\n", &[]), &["utfall.csv", "ansvar"]);
    assert_refused(
        &hand("insats;belopp\nStrategi;1\nTotalt;2\n", &[]),
        &["line 3: the sum row says 0,002 tkr", "0,001 tkr"],
    );
    assert_refused(&hand("insats;belopp (EUR)\nStrategi;1\n", &[]), &["`(EUR)`"]);
    assert_refused(
        &hand("insats;belopp (tkr)\nStrategi;1\n", &["--unit", "kr"]),
        &["says the amounts are in tkr, but --unit says kr"],
    );
    assert_refused(&hand("insats;belopp\nStrategi;12345678901234567890123\n", &[]), &["line 2", "field `amount`"]);
    assert_refused(&hand("insats;belopp\nStrategi;0,0000000000001\n", &[]), &["line 2", "more than 12 decimals"]);
    assert_refused(&hand("insats;belopp\nStrategi;\n", &[]), &["line 2", "empty amount"]);
    // A name in two areas needs the area column.
    let plan = "område;insats;belopp\nomstallning;Samverkan;1\npatientkontrakt;Samverkan;1\n";
    let dir = common::temp_files(&[("plan.csv", plan.as_bytes()), ("u.csv", b"insats;belopp\nSamverkan;5\n")]);
    let run = common::fordela_in(dir.path(), &["follow-up", "plan.csv", "u.csv", "--plan-unit", "mkr"], None);
    assert_refused(
        &run,
        &[
            "u.csv, line 2: intervention `Samverkan` is in more than one area of the plan (omstallning, patientkontrakt)",
        ],
    );
    let dir = common::temp_files(&[
        ("plan.csv", plan.as_bytes()),
        ("u.csv", "insats;belopp;område\nSamverkan;5;Patientkontrakt\n".as_bytes()),
    ]);
    let run =
        common::fordela_in(dir.path(), &["follow-up", "plan.csv", "u.csv", "--plan-unit", "mkr", "-f", "json"], None);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["areas"][1]["outcome"], "0.000005");
    // A CSV plan must say its unit.
    let run = common::fordela_in(dir.path(), &["follow-up", "plan.csv", "u.csv"], None);
    assert_refused(&run, &["pass --plan-unit"]);
}

#[test]
fn excel_csv_and_an_atomic_output_file() {
    let dir = common::temp_files(&[]);
    let out = dir.path().join("uppföljning.csv");
    let run = fordela(&[
        "follow-up",
        PLAN,
        OUTCOME,
        "--object",
        "9916",
        "-f",
        "excel",
        "--lang",
        "sv",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.stdout.is_empty());
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "BOM");
    let text = String::from_utf8(bytes).unwrap();
    let first = text.trim_start_matches('\u{feff}').split("\r\n").next().unwrap();
    assert_eq!(first, "nivå;område;insats;budget;utfall;kvar;förbrukat %;rader;kommentar;beslut;fynd");
    // 27 367 550 kr counted for the year, and the 120 000 kr booked in January: 27 487 550 kr.
    assert!(text.contains("\r\ntotal;;;30,60000;27,48755;3,11245;89,83;"), "{text}");
    assert!(run.stderr.contains("fordela: notering: rows-other-object"), "{}", run.stderr);
}

fn run(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

#[test]
fn outcome_rows_may_name_an_intervention_by_the_plans_id() {
    // Budgets 600 + 400 kr; the outcome books 250 on `1.1` by id, 100 on `Beta` by name, and
    // 50 on ` 1.2 ` by id: Alfa 250 of 600, Beta 150 of 400, in all 400 of 1 000.
    let plan = "område;nr;insats;belopp (kr)\nomstallning;1.1;Alfa;600\nomstallning;1.2;Beta;400\n";
    let outcome = "insats;belopp\n1.1;250\nBeta;100\n 1.2 ;50\n";
    let files: [(&str, &[u8]); 2] = [("plan.csv", plan.as_bytes()), ("utfall.csv", outcome.as_bytes())];
    let run_csv = run(&files, &["follow-up", "plan.csv", "utfall.csv", "-f", "csv"]);
    assert_eq!(run_csv.code, 0, "{}", run_csv.stderr);
    let rows = crate::common::csv_rows(&run_csv.stdout);
    let figures = |name: &str| {
        let row = rows.iter().find(|row| row[2] == name).unwrap_or_else(|| panic!("{name}: {rows:?}"));
        (row[3].clone(), row[4].clone())
    };
    assert_eq!(figures("Alfa"), ("600".to_string(), "250".to_string()));
    assert_eq!(figures("Beta"), ("400".to_string(), "150".to_string()));

    // The same as TOML, ids as text or whole numbers.
    let toml = "unit = \"kr\"\n[[areas]]\nid = \"omstallning\"\ninterventions = [\n  { id = \"1.1\", name = \"Alfa\", amount = 600 },\n  { id = 2, name = \"Beta\", amount = 400 },\n]\n";
    let outcome = "insats;belopp\n1.1;250\n2;150\n";
    let toml_run = run(
        &[("plan.toml", toml.as_bytes()), ("utfall.csv", outcome.as_bytes())],
        &["follow-up", "plan.toml", "utfall.csv", "-f", "csv"],
    );
    assert_eq!(toml_run.code, 0, "{}", toml_run.stderr);
    assert!(toml_run.stdout.contains("Beta,400,150"), "{}", toml_run.stdout);

    // An id given twice is an error naming both lines; a text that is one intervention's id and
    // another's name is refused, never a guess.
    let twice = "område;nr;insats;belopp (kr)\nomstallning;1;Alfa;600\nomstallning;1;Beta;400\n";
    let refused = run(
        &[("plan.csv", twice.as_bytes()), ("utfall.csv", b"insats;belopp\nAlfa;1\n")],
        &["follow-up", "plan.csv", "utfall.csv"],
    );
    assert_refused(&refused, &["plan.csv, line 3", "the id `1` is given to two interventions (the first on line 2)"]);
    let clash = "område;nr;insats;belopp (kr)\nomstallning;Beta;Alfa;600\nomstallning;2;Beta;400\n";
    let refused = run(
        &[("plan.csv", clash.as_bytes()), ("utfall.csv", b"insats;belopp\nBeta;1\n")],
        &["follow-up", "plan.csv", "utfall.csv"],
    );
    assert_refused(
        &refused,
        &["utfall.csv, line 2: `Beta` names two interventions", "the id of one and the name of another"],
    );

    // Without a header a fourth field is never taken for an id: it is refused as before.
    let headerless = "omstallning;Alfa;600;1.1\n";
    let refused = run(&[("plan.csv", headerless.as_bytes())], &["check", "plan.csv", "-r", "23", "-u", "kr"]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
}

#[test]
fn an_id_is_its_value_however_a_spreadsheet_writes_it() {
    // `1` and `01` are one id (a spreadsheet drops the zero): a plan giving both is refused.
    let both = "område;nr;insats;belopp (kr)\nomstallning;1;Alfa;200\nomstallning;01;Beta;200\n";
    let refused = run(
        &[("plan.csv", both.as_bytes()), ("utfall.csv", b"insats;belopp\nAlfa;1\n")],
        &["follow-up", "plan.csv", "utfall.csv"],
    );
    assert_refused(&refused, &["the id `01` is given to two interventions (the first on line 2)"]);
    let tenths = "område;nr;insats;belopp (kr)\nomstallning;1,1;Alfa;200\nomstallning;1,10;Beta;200\n";
    let refused = run(
        &[("plan.csv", tenths.as_bytes()), ("utfall.csv", b"insats;belopp\nAlfa;1\n")],
        &["follow-up", "plan.csv", "utfall.csv"],
    );
    assert_refused(&refused, &["the id `1,10` is given to two interventions"]);
    // An outcome naming `1,2` as a number cell (1.2) books on the id `1,2`: 50 + 150 = 200 kr.
    let plan = "område;nr;insats;belopp (kr)\nomstallning;1,1;Alfa;200\nomstallning;1,2;Beta;300\n";
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "insats").unwrap();
    sheet.write_string(0, 1, "belopp").unwrap();
    sheet.write_string(1, 0, "1,2").unwrap();
    sheet.write_number(1, 1, 50).unwrap();
    sheet.write_number(2, 0, 1.2).unwrap();
    sheet.write_number(2, 1, 150).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let booked = run(
        &[("plan.csv", plan.as_bytes()), ("utfall.xlsx", &bytes)],
        &["follow-up", "plan.csv", "utfall.xlsx", "-f", "csv"],
    );
    assert_eq!(booked.code, 0, "{}", booked.stderr);
    assert!(booked.stdout.contains("Beta,300,200,100"), "{}", booked.stdout);
    assert!(booked.stdout.contains("Alfa,200,0,200"), "{}", booked.stdout);
}

#[test]
fn a_plan_naming_one_intervention_twice_in_an_area_is_refused_as_check_reports_it() {
    let plan = "område;nr;insats;belopp (kr)\nomstallning;1;Alfa;200\nomstallning;2;Alfa;300\n";
    let refused = run(
        &[("plan.csv", plan.as_bytes()), ("utfall.csv", b"insats;belopp\n1;100\n")],
        &["follow-up", "plan.csv", "utfall.csv"],
    );
    assert_refused(&refused, &["plan.csv, line 3", "`Alfa` appears twice", "intervention-duplicate"]);
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
