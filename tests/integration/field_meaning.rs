//! A field's presence is not its meaning. A decision cell reading `Nej`, `-` or `Inget beslut`
//! is no decision, and would turn an overrun into a note; an object or an id written `-` names
//! none. Each is refused at its line (or cell), saying the rule, in every command that reads
//! the column. Figures expected are worked out here.

use rust_xlsxwriter::Workbook;

use crate::common::{Run, assert_refused, fordela_in, temp_files};

fn run_with(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

/// Strategi's budget is 1 tkr (1 000 kr); the area's 3 tkr.
const PLAN: &str = "område;insats;belopp (tkr)\nomstallning;Strategi;1\nomstallning;Zamsyn;2\n";

/// An outcome of 1 500 kr on Strategi, 500 kr over its budget, and 1 000 kr on Zamsyn (within
/// the area's 3 tkr: 2 500 kr), with `decision` on the Strategi row.
fn outcome(decision: &str) -> String {
    format!("insats;belopp;beslut\nStrategi;1500;{decision}\nZamsyn;1000;\n")
}

fn follow_up(outcome: &str) -> Run {
    run_with(
        &[("plan.csv", PLAN.as_bytes()), ("utfall.csv", outcome.as_bytes())],
        &["follow-up", "plan.csv", "utfall.csv"],
    )
}

/// What people write in a decision cell when there is no decision.
const PLACEHOLDERS: [&str; 9] =
    ["Nej", "-", "–", "Saknas", "Inget beslut", "0", "ej beslutat", "N/A", "Avslag 2019-05-12"];

#[test]
fn a_decision_placeholder_is_refused_not_read_as_a_decision() {
    // Without a decision: 500 kr over, an error (exit 1).
    let none = follow_up(&outcome(""));
    assert_eq!(none.code, 1, "{}{}", none.stdout, none.stderr);
    assert!(none.stdout.contains("over-budget"), "{}", none.stdout);
    // With a real reference: decided, a note; the area stays within 3 tkr, so exit 0.
    let decided = follow_up(&outcome("RS 2019/12"));
    assert_eq!(decided.code, 0, "{}{}", decided.stdout, decided.stderr);
    assert!(decided.stdout.contains("over-budget-decided"), "{}", decided.stdout);
    // A placeholder would have made it a note too: refused at its line, with the rule.
    for placeholder in PLACEHOLDERS {
        let run = follow_up(&outcome(placeholder));
        assert_refused(
            &run,
            &[
                &format!("utfall.csv, line 2: field `decision`: `{placeholder}` is not a decision reference"),
                "a reference has a digit other than 0",
                "Leave the cell empty for a row without a decision",
            ],
        );
    }
}

/// What a decision cell says when there is no decision yet, none any more, or never was: an
/// application, a case in preparation, a refusal, a withdrawal, words run together with a year,
/// full-width letters, a year alone.
const NOT_YET_OR_NEVER: [&str; 17] = [
    "Ansökt 2019-05-12",
    "Ansökan dnr 2019/45",
    "Under beredning 2019",
    "Avslås 2019-05-12",
    "Nekat 2019-05-12",
    "Inte beslutat 2019",
    "Inte beviljat 2019-05-12",
    "Upphävt beslut 2019-05-12",
    "Återkallat 2019-05-12",
    "NEJ2019",
    "\u{ff2e}\u{ff45}\u{ff4a} 2019",
    "Ingetbeslut 2019",
    "N/A 2019",
    "TBD 2019",
    "No decision 2019",
    "not decided 2019",
    "2019",
];

#[test]
fn a_decision_not_yet_made_or_refused_is_no_decision() {
    for written in NOT_YET_OR_NEVER {
        let run = follow_up(&outcome(written));
        assert_refused(&run, &[&format!("`{written}` is not a decision reference"), "Leave the cell empty"]);
    }
    // References as registrars write them still pass.
    for reference in ["HSN 2019-17 § 88", "Dnr 2019-00045", "Beslut RS 2019/12", "2019-05-12"] {
        let run = follow_up(&outcome(reference));
        assert_eq!(run.code, 0, "{reference}: {}", run.stderr);
        assert!(run.stdout.contains("over-budget-decided"), "{reference}: {}", run.stdout);
    }
}

#[test]
fn report_refuses_a_decision_placeholder_too() {
    let args = ["report", "plan.csv", "utfall.csv", "-r", "23", "-o", "r.html"];
    for placeholder in ["Nej", "Inget beslut"] {
        let outcome = outcome(placeholder);
        let dir = temp_files(&[("plan.csv", PLAN.as_bytes()), ("utfall.csv", outcome.as_bytes())]);
        let run = fordela_in(dir.path(), &args, None);
        assert_refused(&run, &["utfall.csv, line 2: field `decision`", "is not a decision reference"]);
        assert!(!dir.path().join("r.html").exists(), "no report after bad input");
    }
}

#[test]
fn a_decision_placeholder_in_a_workbook_is_refused_at_its_cell() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Utfall").unwrap();
    for (column, header) in ["Insats", "Belopp", "Beslut"].iter().enumerate() {
        sheet.write_string(0, u16::try_from(column).unwrap(), *header).unwrap();
    }
    sheet.write_string(1, 0, "Strategi").unwrap();
    sheet.write_number(1, 1, 1500).unwrap();
    sheet.write_string(1, 2, "Saknas").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let run =
        run_with(&[("plan.csv", PLAN.as_bytes()), ("utfall.xlsx", &bytes)], &["follow-up", "plan.csv", "utfall.xlsx"]);
    assert_refused(&run, &["utfall.xlsx", "C2", "`Saknas` is not a decision reference"]);
}

#[test]
fn an_object_written_as_a_placeholder_names_no_object() {
    // Under --object a row must say its object: `-` says it does not know it, so the row can be
    // neither counted nor set aside as another object's.
    let outcome = "insats;belopp;objekt\nStrategi;500;9916\nZamsyn;700;-\n";
    let dir = temp_files(&[("plan.csv", PLAN.as_bytes()), ("utfall.csv", outcome.as_bytes())]);
    let run = fordela_in(dir.path(), &["follow-up", "plan.csv", "utfall.csv", "--object", "9916"], None);
    assert_refused(&run, &["utfall.csv, line 3: the object is `-`, which names none", "--object 9916"]);
    // Without --object no row is chosen by its object: both count, 1 200 kr = 1,2 tkr.
    let run = fordela_in(dir.path(), &["follow-up", "plan.csv", "utfall.csv", "-f", "json"], None);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    assert_eq!(json["total"]["outcome"], "1.2");
}

#[test]
fn an_id_written_as_a_placeholder_is_refused() {
    // An id `-` would book an outcome row written `-` on its intervention.
    let plan = "område;insats;belopp;nr\nomstallning;Strategi;19;-\n";
    let run = run_with(&[("plan.csv", plan.as_bytes())], &["check", "plan.csv", "-r", "23", "-u", "mkr"]);
    assert_refused(&run, &["plan.csv, line 2: field `id`: `-` says there is no id"]);
    let plan = "unit = \"mkr\"\n[[areas]]\nid = \"omstallning\"\ninterventions = [{ id = \"Saknas\", name = \"A\", amount = 19 }]\n";
    let run = run_with(&[("plan.toml", plan.as_bytes())], &["check", "plan.toml", "-r", "23"]);
    assert_refused(&run, &["plan.toml, line 4", "`id`: `Saknas` says there is no id"]);
}

#[test]
fn a_quarter_written_as_a_placeholder_is_refused_in_payouts() {
    // An empty `from` and `to` is the whole --year; `–` is not empty, and no quarter.
    let decisions = "utförare;område;belopp;från;till\nA;tillganglighet;1000;–;–\n";
    let run = run_with(&[("d.csv", decisions.as_bytes())], &["payouts", "d.csv", "--year", "2019"]);
    assert_refused(&run, &["d.csv, line 2", "field `from`"]);
}
