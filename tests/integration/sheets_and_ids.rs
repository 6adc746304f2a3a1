//! Which sheet of a workbook is read when none is named (never one of several by guess, never
//! a hidden one), and interventions named in an outcome by the plan's own ids.

use rust_xlsxwriter::{Workbook, Worksheet};

use crate::common::{Run, assert_refused, fordela_in, temp_files};

const PLAN_CSV: &str = include_str!("../../examples/jamtland-harjedalen-2019.csv");

fn write_rows(sheet: &mut Worksheet, text: &str) {
    for (r, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        for (c, field) in line.split(';').enumerate() {
            if !field.is_empty() {
                sheet.write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), field).unwrap();
            }
        }
    }
}

fn run(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

/// The example plan with omstallning's first intervention raised to 25 mkr: 6 mkr over its
/// area, so `check` fails (exit 1) where the example passes (exit 0).
fn raised_plan() -> String {
    let raised = PLAN_CSV.replacen(";10\r\n", ";16\r\n", 1).replacen(";10\n", ";16\n", 1);
    assert_ne!(raised, PLAN_CSV, "the example's first amount is 10");
    raised
}

#[test]
fn a_hidden_sheet_is_never_read_by_default() {
    // The old plan on a hidden first sheet, the current one (6 mkr more) on the visible second.
    let mut book = Workbook::new();
    let old = book.add_worksheet().set_name("Gammal").unwrap();
    write_rows(old, PLAN_CSV);
    old.set_hidden(true);
    // The sheet shown when the file opens (a spreadsheet never hides the active one).
    let current = book.add_worksheet().set_name("Plan").unwrap();
    write_rows(current, &raised_plan());
    current.set_active(true);
    let bytes = book.save_to_buffer().unwrap();
    let args = ["check", "plan.xlsx", "-r", "23", "-u", "mkr"];
    assert_refused(&run(&[("plan.xlsx", &bytes)], &args), &["2 sheets with cells", "`Gammal` (hidden)", "`Plan`"]);
    // Named, either is read: the visible one fails the check, the hidden old one passes.
    assert_eq!(run(&[("plan.xlsx", &bytes)], &[&args[..], &["--sheet", "Plan"]].concat()).code, 1);
    assert_eq!(run(&[("plan.xlsx", &bytes)], &[&args[..], &["--sheet", "Gammal"]].concat()).code, 0);

    // Cells only on a hidden sheet: refused unless named.
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Tom").unwrap();
    let only = book.add_worksheet().set_name("Dold").unwrap();
    write_rows(only, PLAN_CSV);
    only.set_hidden(true);
    let bytes = book.save_to_buffer().unwrap();
    assert_refused(&run(&[("plan.xlsx", &bytes)], &args), &["only on the hidden sheet `Dold`"]);
}

#[test]
fn an_outcome_on_two_sheets_is_refused_and_empty_sheets_beside_one_table_are_no_matter() {
    let plan = "område;insats;belopp (mkr)\nomstallning;A;1\nomstallning;Totalt;1\n";
    // Q1 500 000 kr, Q2 900 000 kr: 1,4 mkr against 1 mkr. Reading Q1 alone would say 50 % used.
    let mut book = Workbook::new();
    write_rows(book.add_worksheet().set_name("Q1").unwrap(), "insats;belopp\nA;500000\n");
    write_rows(book.add_worksheet().set_name("Q2").unwrap(), "insats;belopp\nA;900000\n");
    let bytes = book.save_to_buffer().unwrap();
    let files: [(&str, &[u8]); 2] = [("plan.csv", plan.as_bytes()), ("utfall.xlsx", &bytes)];
    let args = ["follow-up", "plan.csv", "utfall.xlsx"];
    assert_refused(&run(&files, &args), &["utfall.xlsx: has 2 sheets with cells: `Q1`, `Q2`"]);
    let q2 = run(&files, &[&args[..], &["--outcome-sheet", "Q2", "-f", "csv"]].concat());
    assert_eq!(q2.code, 0, "{}", q2.stderr);
    assert!(q2.stdout.contains(",1.0,0.9,0.1,"), "{}", q2.stdout);

    // Empty sheets around the one table: the table is read.
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Blad1").unwrap();
    write_rows(book.add_worksheet().set_name("Utfall").unwrap(), "insats;belopp\nA;900000\n");
    book.add_worksheet().set_name("Blad3").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let one = run(&[("plan.csv", plan.as_bytes()), ("utfall.xlsx", &bytes)], &[&args[..], &["-f", "csv"]].concat());
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert!(one.stdout.contains(",1.0,0.9,0.1,"), "{}", one.stdout);
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
fn a_sheet_that_cannot_be_read_is_an_error_not_an_empty_sheet() {
    let path = crate::common::data("plan-second-sheet-unreadable.xlsx");
    let path = path.to_str().unwrap();
    let run = crate::common::fordela(&["check", path, "-r", "23", "--unit", "mkr"]);
    assert_refused(&run, &["sheet Tillägg: cannot be read"]);
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

#[test]
fn diff_reports_an_id_that_moved_to_another_intervention() {
    // The revision swaps the ids of Alfa and Beta: outcome rows booked on `1` now count for Beta.
    let old = "område;nr;insats;belopp (kr)\nomstallning;1;Alfa;100\nomstallning;2;Beta;200\n";
    let new = "område;nr;insats;belopp (kr)\nomstallning;2;Alfa;100\nomstallning;1;Beta;200\n";
    let run =
        run(&[("old.csv", old.as_bytes()), ("new.csv", new.as_bytes())], &["diff", "old.csv", "new.csv", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let changed: Vec<&str> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["id"] == "id-changed")
        .map(|finding| finding["message"].as_str().unwrap())
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed[0].contains("`Alfa` has id `1` in the old version and `2` in the new"), "{changed:?}");
}

/// A cell shown in thousands by its format (`#,##0,`: 1 250 000 shown as `1 250`) under a
/// header in tkr would pay a thousand times the decision: refused at the cell. A plain format
/// (`#,##0`) is read as it is.
#[test]
fn a_number_shown_scaled_by_its_format_is_refused_at_its_cell() {
    let decisions = |format: &str| {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("Beslut").unwrap();
        for (c, header) in ["utförare", "område", "belopp (tkr)", "från", "till"].iter().enumerate() {
            sheet.write_string(0, u16::try_from(c).unwrap(), *header).unwrap();
        }
        let shown = rust_xlsxwriter::Format::new().set_num_format(format);
        sheet.write_string(1, 0, "VC Norr").unwrap();
        sheet.write_string(1, 1, "tillganglighet").unwrap();
        sheet.write_number_with_format(1, 2, 1_250_000, &shown).unwrap();
        sheet.write_string(1, 3, "2019Q1").unwrap();
        sheet.write_string(1, 4, "2019Q4").unwrap();
        book.save_to_buffer().unwrap()
    };
    let thousands = decisions("#,##0,");
    assert_refused(
        &run(&[("beslut.xlsx", &thousands)], &["payouts", "beslut.xlsx"]),
        &["beslut.xlsx, sheet Beslut, cell C2: holds 1250000, but its number format (`#,##0,`) shows it scaled"],
    );
    let percent = decisions("0%");
    assert_refused(&run(&[("beslut.xlsx", &percent)], &["payouts", "beslut.xlsx"]), &["cell C2"]);
    // Shown as stored: 1 250 000 tkr, a quarter each 312 500 000 kr.
    let plain = decisions("#,##0");
    let paid = run(&[("beslut.xlsx", &plain)], &["payouts", "beslut.xlsx", "-f", "csv"]);
    assert_eq!(paid.code, 0, "{}", paid.stderr);
    assert!(paid.stdout.contains("312500000"), "{}", paid.stdout);
}
