//! Workbooks of payouts, diff, follow-up, report, audit and allocate --nested, read back with
//! calamine: codes are text, amounts numbers, every sum a live `SUM` over exactly the cells it
//! adds, and the cached values, and the cells added up here in integers, equal figures worked
//! out by hand in this file (never copied from fordela's output).

use std::path::Path;

use calamine::{Data, Range};
use std::fmt::Write;

use crate::common::{self, fordela_in, temp_files};
use crate::read_back::{cell, exact, formula, number, open_file as open, sheet, text};

/// The row (0-based) whose column `column` reads `label`.
fn row_of(range: &Range<Data>, column: u32, label: &str) -> u32 {
    let height = range.end().unwrap().0 + 1;
    (0..height)
        .find(|&row| matches!(cell(range, row, column), Data::String(text) if text == label))
        .unwrap_or_else(|| panic!("no row with `{label}` in column {column}"))
}

/// Runs fordela in a fresh directory holding `files`; the workbook it wrote is `out`.
fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> (tempfile::TempDir, common::Run) {
    let dir = temp_files(files);
    let run = fordela_in(dir.path(), args, None);
    (dir, run)
}

fn manifest(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).to_str().unwrap().to_string()
}

// ---------------------------------------------------------------------------------------------
// payouts

const DECISIONS: &str = "provider,area,amount,from,to
Vårdcentral A,tillganglighet,1000001,2019Q1,2019Q4
Vårdcentral A,patientkontrakt,250001,2019-Q3,2019-Q4
Vårdcentral B,tillganglighet,600002,2019 kv1,2019 kv4
";

#[test]
fn payouts_workbook_sums_exactly_the_decision_cells_both_ways() {
    let (dir, run) = run_in(&[("d.csv", DECISIONS.as_bytes())], &["payouts", "d.csv", "-o", "p.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let mut book = open(&dir.path().join("p.xlsx"));
    let (values, formulas) = sheet(&mut book, "Payouts");
    // Two title lines, the header on row 2 (C3 in the sheet), quarters from column F (5).
    assert_eq!(text(&values, 2, 0), "Kind");
    assert_eq!(text(&values, 2, 5), "2019Q1\n2019-01-31", "the payment date under the quarter");
    assert_eq!(text(&values, 2, 8), "2019Q4\n2019-10-31");
    // By hand: 1 000 001 = 250 001 + 3 · 250 000; 250 001 over Q3–Q4 = 125 001 + 125 000;
    // 600 002 = 150 001 + 150 001 + 150 000 + 150 000.
    let decisions: [[i128; 4]; 3] =
        [[250_001, 250_000, 250_000, 250_000], [0, 0, 125_001, 125_000], [150_001, 150_001, 150_000, 150_000]];
    for (offset, expected) in decisions.iter().enumerate() {
        let row = 3 + u32::try_from(offset).unwrap();
        assert_eq!(text(&values, row, 0), "decision");
        let cells: Vec<i128> = (5..9).map(|column| exact(number(&values, row, column), 0)).collect();
        assert_eq!(cells, expected);
        assert_eq!(formula(&formulas, row, 9), format!("SUM(F{0}:I{0})", row + 1), "the total across the quarters");
        assert_eq!(exact(number(&values, row, 9), 0), expected.iter().sum::<i128>());
    }
    assert_eq!(exact(number(&values, 3, 9), 0), 1_000_001);
    // Sum lines: tillganglighet is decisions 1 and 3 (sheet rows 4 and 6), Vårdcentral A
    // decisions 1 and 2, the total all three: each a SUM of exactly those cells.
    let lines = [
        ("area", "all", "tillganglighet", vec![0, 2], "SUM({c}4,{c}6)"),
        ("area", "all", "patientkontrakt", vec![1], "SUM({c}5)"),
        ("provider", "Vårdcentral A", "all", vec![0, 1], "SUM({c}4:{c}5)"),
        ("provider", "Vårdcentral B", "all", vec![2], "SUM({c}6)"),
        ("total", "", "", vec![0, 1, 2], "SUM({c}4:{c}6)"),
    ];
    for (offset, (kind, provider, area, members, shape)) in lines.iter().enumerate() {
        let row = 6 + u32::try_from(offset).unwrap();
        assert_eq!(text(&values, row, 0), *kind);
        if !provider.is_empty() {
            assert_eq!((text(&values, row, 1), text(&values, row, 2)), (provider.to_string(), area.to_string()));
        }
        for (quarter, letter) in ["F", "G", "H", "I"].iter().enumerate() {
            let column = 5 + u32::try_from(quarter).unwrap();
            assert_eq!(formula(&formulas, row, column), shape.replace("{c}", letter), "{kind} {provider} {area}");
            let expected: i128 = members.iter().map(|&member: &usize| decisions[member][quarter]).sum();
            assert_eq!(exact(number(&values, row, column), 0), expected, "{kind} {provider} {area} Q{}", quarter + 1);
            // The cells the formula names, added up here, give the same.
            let added: i128 = members
                .iter()
                .map(|&member| exact(number(&values, 3 + u32::try_from(member).unwrap(), column), 0))
                .sum();
            assert_eq!(added, expected);
        }
        assert_eq!(formula(&formulas, row, 9), format!("SUM(F{0}:I{0})", row + 1));
    }
    // The year: 1 000 001 + 250 001 + 600 002.
    assert_eq!(exact(number(&values, 10, 9), 0), 1_850_004);
    let (notes, _) = sheet(&mut book, "Notes");
    assert_eq!(text(&notes, 1, 0), "Item");
    let (findings, _) = sheet(&mut book, "Findings");
    assert_eq!(text(&findings, 3, 0), "No findings.");
}

#[test]
fn payouts_workbook_with_requests_has_the_ledger_and_the_finding() {
    // 1 000 001 − 250 001 = 750 000 left when 800 000 is asked in Q2: refused.
    let requests = "provider,area,quarter,amount\nVårdcentral A,tillganglighet,2019Q1,250001\n\
                    Vårdcentral A,tillganglighet,2019Q2,800000\n";
    let (dir, run) = run_in(
        &[("d.csv", DECISIONS.as_bytes()), ("r.csv", requests.as_bytes())],
        &["--lang", "sv", "payouts", "d.csv", "--requests", "r.csv", "-o", "p.xlsx"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut book = open(&dir.path().join("p.xlsx"));
    let (values, formulas) = sheet(&mut book, "Utbetalningar");
    assert_eq!(text(&values, 2, 10), "Begärt (kr)");
    assert_eq!(text(&values, 2, 11), "Kvar (kr)");
    // Decision 1: 250 001 accepted, 750 000 left; the others nothing asked.
    assert_eq!(exact(number(&values, 3, 10), 0), 250_001);
    assert_eq!(exact(number(&values, 3, 11), 0), 750_000);
    let total = row_of(&values, 0, "totalt");
    assert_eq!(formula(&formulas, total, 11), format!("SUM(L4:L6)"));
    // Left in all: 750 000 + 250 001 + 600 002.
    assert_eq!(exact(number(&values, total, 11), 0), 1_600_003);
    let (ledger, _) = sheet(&mut book, "Rekvisitioner");
    assert_eq!(text(&ledger, 1, 4), "Utfall");
    assert_eq!(text(&ledger, 3, 4), "över beslutet");
    assert_eq!(exact(number(&ledger, 3, 3), 0), 800_000);
    assert_eq!(exact(number(&ledger, 3, 5), 0), 750_000);
    let (findings, _) = sheet(&mut book, "Avvikelser");
    assert_eq!(text(&findings, 2, 1), "request-over");
}

#[test]
fn payouts_refuse_a_workbook_to_a_terminal_name_and_a_csv_named_xlsx() {
    let (_dir, run) = run_in(&[("d.csv", DECISIONS.as_bytes())], &["payouts", "d.csv", "-f", "xlsx", "-o", "p.csv"]);
    common::assert_refused(&run, &["name the file .xlsx"]);
    let (_dir, run) = run_in(&[("d.csv", DECISIONS.as_bytes())], &["payouts", "d.csv", "--excel", "-o", "p.xlsx"]);
    common::assert_refused(&run, &["cannot be written to p.xlsx"]);
    let (_dir, run) = run_in(&[("d.csv", DECISIONS.as_bytes())], &["payouts", "d.csv", "-f", "xlsx", "-o", "/dev/tty"]);
    common::assert_refused(&run, &["not written to a terminal"]);
}

// ---------------------------------------------------------------------------------------------
// follow-up

const PLAN: &str = "examples/jamtland-harjedalen-2019.toml";
const OUTCOME: &str = "examples/jamtland-harjedalen-2019-utfall.csv";

/// The example's rows read here, by splitting the file: (intervention, kr, date, object).
fn example_rows() -> Vec<(String, i128, String, String)> {
    let text = std::fs::read_to_string(manifest(OUTCOME)).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split(';').collect();
            (fields[0].to_string(), fields[1].replace(' ', "").parse().unwrap(), fields[2].into(), fields[3].into())
        })
        .collect()
}

#[test]
fn follow_up_workbook_has_live_remaining_subtotals_and_totals_worked_by_hand() {
    let out = ["follow-up", &manifest(PLAN), &manifest(OUTCOME), "--object", "9916", "--until", "2019-12-31"];
    let (dir, run) = run_in(&[], &[&out[..], &["-o", "f.xlsx"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open(&dir.path().join("f.xlsx"));
    let (values, formulas) = sheet(&mut book, "Follow-up");
    let header = row_of(&values, 0, "Area");
    assert_eq!(text(&values, header, 2), "Budget (mkr)");
    let kr = |row: u32, column: u32| exact(number(&values, row, column), 6);
    // Every intervention: outcome added up here from the file's rows; remaining = C − D live.
    let counted: Vec<_> = example_rows()
        .into_iter()
        .filter(|(_, _, date, object)| object == "9916" && date.as_str() <= "2019-12-31")
        .collect();
    let total = row_of(&values, 0, "Total");
    let mut interventions = Vec::new();
    for row in header + 1..total {
        if text(&values, row, 1) == "Area total" {
            continue;
        }
        interventions.push(row);
        let name = text(&values, row, 1);
        let spent: i128 = counted.iter().filter(|entry| entry.0 == name).map(|entry| entry.1).sum();
        assert_eq!(kr(row, 3), spent, "{name}");
        assert_eq!(formula(&formulas, row, 4), format!("C{0}-D{0}", row + 1));
        assert_eq!(kr(row, 4), kr(row, 2) - spent, "{name}");
    }
    assert_eq!(interventions.len(), 14);
    // The omstallning subtotal: the five rows above it, exactly.
    let first_subtotal = row_of(&values, 1, "Area total");
    assert_eq!(formula(&formulas, first_subtotal, 2), format!("SUM(C{}:C{})", header + 2, first_subtotal));
    assert_eq!(kr(first_subtotal, 2), 19_000_000);
    // The total: a SUM of the interventions' cells only, never of the subtotals.
    let shape = formula(&formulas, total, 3);
    assert!(shape.starts_with("SUM(D") && !shape.contains(&format!("D{}", first_subtotal + 1)), "{shape}");
    let added = |column: u32| interventions.iter().map(|&row| kr(row, column)).sum::<i128>();
    // By hand (tests/integration/follow_up.rs): 30,6 mkr budget, 17 612 550 + 4 445 000 +
    // 5 310 000 = 27 367 550 kr outcome, 3 232 450 kr left.
    assert_eq!((kr(total, 2), kr(total, 3), kr(total, 4)), (30_600_000, 27_367_550, 3_232_450));
    assert_eq!((added(2), added(3), added(4)), (30_600_000, 27_367_550, 3_232_450));
    // Share used as a number: 27 367 550 / 30 600 000 = 89,436…% → 0,8944.
    assert_eq!(exact(number(&values, total, 5), 4), 8944);
    // Comments and decisions are text.
    let zamsyn = row_of(&values, 1, "Zamsynsdagar 22-23 oktober");
    assert_eq!(text(&values, zamsyn, 6), "HSN 2019-09-17 § 88");
    // Rows not counted: 250 000 + 95 000 + 42 500 kr on other objects; 120 000 kr after the year.
    let (left, left_formulas) = sheet(&mut book, "Not counted");
    let sums: Vec<(String, i128)> = (2..12)
        .filter(|&row| matches!(cell(&left, row, 2), Data::String(text) if text == "Total"))
        .map(|row| (formula(&left_formulas, row, 6), exact(number(&left, row, 6), 6)))
        .collect();
    assert_eq!(sums, [("SUM(G3:G5)".to_string(), 387_500), ("SUM(G7)".to_string(), 120_000)]);
    let (findings, _) = sheet(&mut book, "Findings");
    let ids: Vec<String> = (2..20)
        .filter_map(|row| match cell(&findings, row, 1) {
            Data::String(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    assert!(
        ids.contains(&"over-budget-decided".to_string()) && ids.contains(&"rows-after-period".to_string()),
        "{ids:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// report

#[test]
fn report_as_a_workbook_in_swedish_with_the_allocation_and_sums() {
    let (dir, run) = run_in(&[], &["report", &manifest(PLAN), &manifest(OUTCOME), "--object", "9916", "-o", "r.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let mut book = open(&dir.path().join("r.xlsx"));
    let (values, formulas) = sheet(&mut book, "Redovisning");
    let header = row_of(&values, 0, "Område");
    assert_eq!(text(&values, header, 2), "Tilldelning (mkr)");
    assert!(text(&values, 1, 0).contains("2018-12-31"), "the population date used");
    let total = row_of(&values, 0, "Totalt");
    assert_eq!(total, header + 4);
    let mkr6 = |row: u32, column: u32| exact(number(&values, row, column), 6);
    // Jämtland's exact parts (issue 14): 19,102294 + 5,768893 + 5,768893 = 30,640080 mkr.
    assert_eq!(
        (mkr6(header + 1, 2), mkr6(header + 2, 2), mkr6(header + 3, 2), mkr6(total, 2)),
        (19_102_294, 5_768_893, 5_768_893, 30_640_080)
    );
    assert_eq!(formula(&formulas, total, 2), format!("SUM(C{}:C{})", header + 2, header + 4));
    assert_eq!(formula(&formulas, header + 1, 5), format!("D{0}-E{0}", header + 2));
    // Plan 30,6 mkr; outcome on 9916, January's 120 000 kr included: 27 367 550 + 120 000 kr.
    assert_eq!((mkr6(total, 3), mkr6(total, 4), mkr6(total, 5)), (30_600_000, 27_487_550, 3_112_450));
    let added: i128 = (header + 1..total).map(|row| mkr6(row, 4)).sum();
    assert_eq!(added, 27_487_550);
    let (interventions, _) = sheet(&mut book, "Uppföljning");
    assert_eq!(text(&interventions, row_of(&interventions, 0, "Område"), 1), "Insats");
    let (findings, _) = sheet(&mut book, "Avvikelser");
    assert!((2..20).any(|row| matches!(cell(&findings, row, 1), Data::String(id) if id == "over-budget")));
    let (notes, _) = sheet(&mut book, "Underlag");
    assert!((2..40).any(|row| matches!(cell(&notes, row, 0), Data::String(label) if label.starts_with("SHA-256"))));
}

// ---------------------------------------------------------------------------------------------
// diff

#[test]
fn diff_workbook_shows_the_move_with_live_differences_and_summed_areas() {
    let plan = std::fs::read_to_string(manifest("examples/jamtland-harjedalen-2019.csv")).unwrap();
    // 0,2 mkr moved within tillganglighet: Utökade öppettider 1 → 0,8, Förändrade arbetssätt 1,8 → 2.
    let new = plan.replacen("Utökade öppettider;1", "Utökade öppettider;0,8", 1).replacen(
        "Förändrade arbetssätt;1,8",
        "Förändrade arbetssätt;2",
        1,
    );
    assert_ne!(new, plan);
    let (dir, run) = run_in(
        &[("old.csv", plan.as_bytes()), ("new.csv", new.as_bytes())],
        &["diff", "old.csv", "new.csv", "--unit", "mkr", "-o", "d.xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open(&dir.path().join("d.xlsx"));
    let (values, formulas) = sheet(&mut book, "Interventions");
    let row = row_of(&values, 3, "Utökade öppettider");
    assert_eq!(text(&values, row, 2), "changed");
    assert_eq!((exact(number(&values, row, 5), 1), exact(number(&values, row, 6), 1)), (10, 8));
    assert_eq!(formula(&formulas, row, 7), format!("G{0}-F{0}", row + 1));
    assert_eq!(exact(number(&values, row, 7), 1), -2);
    let (areas, area_formulas) = sheet(&mut book, "Areas");
    let total = row_of(&areas, 0, "Total");
    assert_eq!(formula(&area_formulas, total, 1), format!("SUM(B3:B{total})"));
    assert_eq!(formula(&area_formulas, total, 2), format!("SUM(C3:C{total})"));
    // 19 + 5,8 + 5,8 both before and after.
    let added: i128 = (2..total).map(|row| exact(number(&areas, row, 2), 1)).sum();
    assert_eq!((exact(number(&areas, total, 2), 1), added), (306, 306));
}

// ---------------------------------------------------------------------------------------------
// audit

#[test]
fn audit_workbook_has_codes_as_text_quotas_exact_or_marked_and_the_published_sum_live() {
    // A table of 21 rows adding up to 454 mkr against tillganglighet's 453: a row changed by one.
    let (dir, run) = run_in(
        &[],
        &[
            "audit",
            &manifest("examples/audit/tillganglighet-half-up-mkr.csv"),
            "--area",
            "tillganglighet",
            "-o",
            "a.xlsx",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut book = open(&dir.path().join("a.xlsx"));
    let (values, formulas) = sheet(&mut book, "Audit");
    let header = row_of(&values, 0, "Column");
    assert_eq!(text(&values, header + 1, 2), "01", "codes are text");
    assert!(text(&values, header + 1, 5).ends_with('…'), "a quota that is no short decimal is marked text");
    let published: Vec<i128> = (header + 1..header + 22).map(|row| exact(number(&values, row, 6), 0)).collect();
    // The file's amounts, read here.
    let file = std::fs::read_to_string(manifest("examples/audit/tillganglighet-half-up-mkr.csv")).unwrap();
    let from_file: Vec<i128> = file
        .lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| line.split(';').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(published, from_file);
    let sum = header + 22;
    assert_eq!(formula(&formulas, sum, 6), format!("SUM(G{}:G{})", header + 2, header + 22));
    assert_eq!(exact(number(&values, sum, 6), 0), from_file.iter().sum::<i128>());
    assert_eq!(exact(number(&values, sum, 5), 0), 453, "the area's total");
    let (dates, _) = sheet(&mut book, "Dates");
    assert_eq!(text(&dates, 2, 0), "2010-12-31");
    let (findings, _) = sheet(&mut book, "Findings");
    assert!((2..40).any(|row| matches!(cell(&findings, row, 1), Data::String(id) if id == "audit-total-mismatch")));
}

// ---------------------------------------------------------------------------------------------
// allocate --nested

#[test]
fn nested_allocation_workbook_shows_each_county_and_still_adds_up() {
    let (dir, run) = run_in(
        &[],
        &["allocate", "--nested", "--population", "scb-municipality-population-31dec-2017-2019", "-o", "n.xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open(&dir.path().join("n.xlsx"));
    let (values, formulas) = sheet(&mut book, "Allocation");
    assert_eq!(text(&values, 1, 2), "County");
    assert_eq!((text(&values, 2, 0), text(&values, 2, 2)), ("0114".to_string(), "01".to_string()));
    let total = row_of(&values, 1, "Total");
    // 290 municipalities and SKR's set-aside row above the total.
    assert_eq!(total, 2 + 290 + 1);
    // Per area, the agreement's figures in MSEK: 1 500 + 15 set aside, 453, 453 + 9.
    for (column, letter, mkr) in [(5, "F", 1_515), (6, "G", 453), (7, "H", 462)] {
        assert_eq!(formula(&formulas, total, column), format!("SUM({letter}3:{letter}{total})"));
        let added: i128 = (2..total).map(|row| exact(number(&values, row, column), 0)).sum();
        assert_eq!((added, exact(number(&values, total, column), 0)), (mkr * 1_000_000, mkr * 1_000_000));
    }
    // Jämtland's municipalities (county 23) add up to its amounts (issue 14): 19 102 294 kr,
    // 5 768 893 kr, 5 768 893 kr.
    let jamtland: Vec<u32> =
        (2..total).filter(|&row| matches!(cell(&values, row, 2), Data::String(county) if county == "23")).collect();
    assert_eq!(jamtland.len(), 8);
    let sums: Vec<i128> =
        (5..8).map(|column| jamtland.iter().map(|&row| exact(number(&values, row, column), 0)).sum()).collect();
    assert_eq!(sums, [19_102_294, 5_768_893, 5_768_893]);
    let (notes, _) = sheet(&mut book, "Notes");
    assert!((2..40).any(|row| matches!(cell(&notes, row, 0), Data::String(label) if label == "Counties")));
}

// ---------------------------------------------------------------------------------------------
// hostile inputs

#[test]
fn an_amount_no_cell_holds_exactly_is_an_error_with_nothing_written() {
    // 1 000 000 000 000 001 kr: 16 digits, more than a cell holds exactly (its instalments fit).
    let decisions = "provider,area,amount,from,to\nA,x,1000000000000001,2019Q1,2019Q4\n";
    let (dir, run) = run_in(&[("d.csv", decisions.as_bytes())], &["payouts", "d.csv", "-o", "p.xlsx"]);
    common::assert_refused(&run, &["sheet Payouts, cell J4", "more than 15 significant digits"]);
    assert!(!dir.path().join("p.xlsx").exists(), "no partial file");
    // The same decision as CSV keeps every digit.
    let (_dir, run) = run_in(&[("d.csv", decisions.as_bytes())], &["payouts", "d.csv", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("1000000000000001"), "{}", run.stdout);
    // An outcome in öre against a plan in mkr needs 8 decimals: 99 999 999,99 kr is
    // 99,99999999 mkr (10 digits), which fits; its remaining is a live formula.
    let plan = "område;insats;belopp\nomstallning;A;100\n";
    let outcome = "insats;belopp\nA;99 999 999,99\n";
    let (dir, run) = run_in(
        &[("plan.csv", plan.as_bytes()), ("u.csv", outcome.as_bytes())],
        &["follow-up", "plan.csv", "u.csv", "--plan-unit", "mkr", "-o", "f.xlsx"],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    let mut book = open(&dir.path().join("f.xlsx"));
    let (values, formulas) = sheet(&mut book, "Follow-up");
    let row = row_of(&values, 1, "A");
    assert_eq!(exact(number(&values, row, 3), 8), 9_999_999_999);
    assert_eq!(formula(&formulas, row, 4), format!("C{0}-D{0}", row + 1));
    // 100 − 99,99999999 = 0,00000001 mkr: one öre.
    assert_eq!(exact(number(&values, row, 4), 8), 1);
}

#[test]
fn report_of_a_plan_alone_shows_the_plan_and_check_s_findings() {
    let (dir, run) = run_in(&[], &["report", &manifest(PLAN), "-o", "plan.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = open(&dir.path().join("plan.xlsx"));
    let (values, formulas) = sheet(&mut book, "Redovisning");
    let header = row_of(&values, 0, "Område");
    assert_eq!(text(&values, header, 3), "Plan (mkr)");
    assert!(matches!(cell(&values, header, 4), Data::Empty), "no outcome column without an outcome");
    let total = row_of(&values, 0, "Totalt");
    assert_eq!(formula(&formulas, total, 3), format!("SUM(D{}:D{})", header + 2, header + 4));
    // 19 + 5,8 + 5,8 mkr, as the plan writes them.
    assert_eq!(exact(number(&values, total, 3), 1), 306);
    // The plan writes 19 mkr for omstallning, 0,102294 under its 19,102294: check's warning.
    let (findings, _) = sheet(&mut book, "Avvikelser");
    let row = row_of(&findings, 1, "allocation-under");
    assert_eq!(text(&findings, row, 2), "varning");
}

/// The letters of a column (0-based), as a formula names it.
fn letter(column: u32) -> String {
    let mut name = String::new();
    let mut rest = column + 1;
    while rest > 0 {
        let digit = u8::try_from((rest - 1) % 26).unwrap();
        name.insert(0, char::from(b'A' + digit));
        rest = (rest - 1) / 26;
    }
    name
}

/// The cells a `SUM(…)` of one column names (`F4,F6:F7` → rows 4, 6, 7), in sheet rows.
fn summed_rows(formula: &str, column: &str) -> Vec<u32> {
    let inner = formula.strip_prefix("SUM(").and_then(|rest| rest.strip_suffix(')')).expect(formula);
    let mut rows = Vec::new();
    for part in inner.split(',') {
        let row = |cell: &str| -> u32 { cell.strip_prefix(column).expect(formula).parse().unwrap() };
        match part.split_once(':') {
            Some((from, to)) => rows.extend(row(from)..=row(to)),
            None => rows.push(row(part)),
        }
    }
    rows
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 16, ..Default::default() })]

    /// No silent pass: for random decisions, every sum line of the payouts workbook is a SUM of
    /// exactly the decisions of its area, of its provider, or all of them (worked out here from
    /// the decisions), and its cached value is what those cells add up to.
    #[test]
    fn every_sum_line_adds_exactly_its_decisions(
        chosen in proptest::collection::btree_map((0usize..3, 0usize..2), (1u64..1_000_000_000_000, 1u8..=4, 1u8..=4), 1..7)
    ) {
        // One decision per provider and area: fordela refuses two over the same quarters.
        let decisions: Vec<(usize, usize, u64, u8, u8)> =
            chosen.into_iter().map(|((provider, area), (amount, a, b))| (provider, area, amount, a, b)).collect();
        let providers = ["Alfa", "Beta", "Gamma"];
        let areas = ["tillganglighet", "patientkontrakt"];
        let mut file = String::from("provider,area,amount,from,to\n");
        for &(provider, area, amount, a, b) in &decisions {
            let (from, to) = (a.min(b), a.max(b));
            writeln!(file, "{},{},{amount},2019Q{from},2019Q{to}", providers[provider], areas[area]).unwrap();
        }
        let (dir, run) = run_in(&[("d.csv", file.as_bytes())], &["payouts", "d.csv", "-o", "p.xlsx"]);
        proptest::prop_assert_eq!(run.code, 0, "{}", run.stderr);
        let mut book = open(&dir.path().join("p.xlsx"));
        let (values, formulas) = sheet(&mut book, "Payouts");
        let quarters: u32 = (5..9).take_while(|&column| matches!(cell(&values, 2, column), Data::String(h) if h.starts_with("2019Q"))).map(|_| 1).sum();
        let total_column = 5 + quarters;
        let first = 3u32;
        let count = u32::try_from(decisions.len()).unwrap();
        // Each decision's instalments add up to it.
        for (offset, decision) in decisions.iter().enumerate() {
            let row = first + u32::try_from(offset).unwrap();
            let cells: i128 = (5..total_column).map(|column| exact(number(&values, row, column), 0)).sum();
            proptest::prop_assert_eq!(cells, i128::from(decision.2));
            proptest::prop_assert_eq!(exact(number(&values, row, total_column), 0), i128::from(decision.2));
        }
        let height = values.end().unwrap().0;
        for row in first + count..=height {
            let Data::String(kind) = cell(&values, row, 0) else { continue };
            let members: Vec<u32> = match kind.as_str() {
                "area" => { let area = text(&values, row, 2); decisions.iter().enumerate().filter(|(_, d)| areas[d.1] == area).map(|(i, _)| first + u32::try_from(i).unwrap()).collect() }
                "provider" => { let provider = text(&values, row, 1); decisions.iter().enumerate().filter(|(_, d)| providers[d.0] == provider).map(|(i, _)| first + u32::try_from(i).unwrap()).collect() }
                "total" => (first..first + count).collect(),
                _ => continue,
            };
            for column in 5..total_column {
                let shape = formula(&formulas, row, column);
                let mut named: Vec<u32> = summed_rows(&shape, &letter(column)).into_iter().map(|r| r - 1).collect();
                named.sort_unstable();
                proptest::prop_assert_eq!(&named, &members, "{} {}", kind, shape);
                let added: i128 = members.iter().map(|&member| exact(number(&values, member, column), 0)).sum();
                proptest::prop_assert_eq!(exact(number(&values, row, column), 0), added);
            }
        }
    }
}
