//! Every command reads what Excel saves, as `check` does: each table input of `follow-up`,
//! `report`, `payouts`, `audit` and `diff` saved as a workbook (`.xlsx`, built here with
//! `rust_xlsxwriter`: number cells, a text cell holding a Swedish amount, a formula with its
//! stored value, date cells) and as Windows-1252 CSV gives the same output as its UTF-8 CSV
//! twin, the example file in `examples/`. A bad cell is named by sheet and cell, a row of a
//! sheet is called a row, and bytes neither UTF-8 nor Windows-1252 are refused everywhere.

use std::fmt::Write as _;

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

use crate::common::{self, Run, fordela_in, temp_files};

const PLAN_TOML: &str = include_str!("../../examples/jamtland-harjedalen-2019.toml");
const PLAN_CSV: &str = include_str!("../../examples/jamtland-harjedalen-2019.csv");
const REVISION_CSV: &str = include_str!("../../examples/jamtland-harjedalen-2019-revision.csv");
const OUTCOME_CSV: &str = include_str!("../../examples/jamtland-harjedalen-2019-utfall.csv");
const DECISIONS_CSV: &str = include_str!("../../examples/payouts-2019.csv");
const REQUESTS_CSV: &str = include_str!("../../examples/payout-requests-2019.csv");
const AUDIT_KR_CSV: &str = include_str!("../../examples/audit/omstallning-2017-figures.csv");
const AUDIT_MKR_CSV: &str = include_str!("../../examples/audit/tillganglighet-half-up-mkr.csv");

/// A CSV example's text without its BOM.
fn text(csv: &str) -> &str {
    csv.trim_start_matches('\u{feff}')
}

/// A CSV example's rows, split at its separator (`;`, else `,`).
fn rows(csv: &str) -> Vec<Vec<String>> {
    let csv = text(csv);
    let separator = if csv.lines().next().unwrap_or("").contains(';') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(separator).has_headers(false).flexible(true).from_reader(csv.as_bytes());
    reader.records().map(|record| record.unwrap().iter().map(str::to_string).collect()).collect()
}

/// Which columns of a table a workbook twin writes as what Excel would hold.
#[derive(Clone, Copy, Default)]
struct Layout {
    /// Amounts: numbers; the first one as a text cell holding the amount as written (`5,8`,
    /// `1 250 000`), the second as a formula with its value stored.
    amounts: &'static [usize],
    /// Dates (`2019-02-28`): date cells, shown as dates.
    dates: &'static [usize],
    /// Plain integers (an object `9916`): number cells.
    numbers: &'static [usize],
}

/// An amount as written in a Swedish CSV (`1 250 000`, `5,8`) as the number it stands for.
fn number(field: &str) -> Option<f64> {
    field.replace([' ', '\u{a0}'], "").replace(',', ".").parse().ok()
}

/// `rows` as the sheet `Blad1` of a workbook, each cell as `layout` says (text otherwise).
fn workbook(rows: &[Vec<String>], layout: Layout) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Blad1").unwrap();
    let date_style = Format::new().set_num_format("yyyy-mm-dd");
    let mut amounts_written = 0;
    for (at, row) in rows.iter().enumerate() {
        let r = u32::try_from(at).unwrap();
        for (column, field) in row.iter().enumerate() {
            let c = u16::try_from(column).unwrap();
            if field.is_empty() {
                continue;
            }
            let data = at > 0;
            if data && layout.amounts.contains(&column) && number(field).is_some() {
                let value = number(field).unwrap();
                amounts_written += 1;
                match amounts_written {
                    1 => sheet.write_string(r, c, field).unwrap(),
                    2 => {
                        let formula = Formula::new(format!("={value}*1")).set_result(value.to_string());
                        sheet.write_formula(r, c, formula).unwrap()
                    }
                    _ => sheet.write_number(r, c, value).unwrap(),
                };
            } else if data && layout.dates.contains(&column) {
                let parts: Vec<u16> = field.split('-').map(|part| part.parse().unwrap()).collect();
                let day =
                    ExcelDateTime::from_ymd(parts[0], u8::try_from(parts[1]).unwrap(), u8::try_from(parts[2]).unwrap())
                        .unwrap();
                sheet.write_datetime_with_format(r, c, &day, &date_style).unwrap();
            } else if data && layout.numbers.contains(&column) && field.parse::<u32>().is_ok() {
                sheet.write_number(r, c, f64::from(field.parse::<u32>().unwrap())).unwrap();
            } else {
                sheet.write_string(r, c, field).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// `text` in Windows-1252, as Swedish Excel saves "CSV (semikolonavgränsad)".
fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    let bytes = bytes.into_owned();
    assert!(std::str::from_utf8(&bytes).is_err(), "the file holds å, ä or ö: {text}");
    bytes
}

/// Runs `args` in a fresh directory holding `files`.
fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

/// The same table in its three forms: the UTF-8 CSV twin (`NAME.csv`), the workbook
/// (`NAME.xlsx`) and Windows-1252 CSV (`NAME.csv` too).
struct Forms {
    csv: Vec<u8>,
    xlsx: Vec<u8>,
    cp1252: Vec<u8>,
}

fn forms(csv: &str, layout: Layout) -> Forms {
    Forms { csv: csv.as_bytes().to_vec(), xlsx: workbook(&rows(csv), layout), cp1252: windows_1252(text(csv)) }
}

/// Which form of a table a run reads.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Form {
    Csv,
    Xlsx,
    Cp1252,
}

impl Forms {
    /// The file name and bytes of `form`, for a table named `stem`.
    fn file(&self, stem: &str, form: Form) -> (String, &[u8]) {
        match form {
            Form::Csv => (format!("{stem}.csv"), &self.csv),
            Form::Xlsx => (format!("{stem}.xlsx"), &self.xlsx),
            Form::Cp1252 => (format!("{stem}.csv"), &self.cp1252),
        }
    }
}

/// Runs `args` (`{stem}` standing for each table's file) with every table in `form`; the
/// workbooks' names are written as the CSV twins' in stdout, so that the outputs compare.
fn run_as(tables: &[(&str, &Forms)], form: Form, args: &[&str], extra: &[(&str, &[u8])]) -> Run {
    let files: Vec<(String, &[u8])> = tables.iter().map(|(stem, forms)| forms.file(stem, form)).collect();
    let mut all: Vec<(&str, &[u8])> = files.iter().map(|(name, bytes)| (name.as_str(), *bytes)).collect();
    all.extend_from_slice(extra);
    let args: Vec<String> = args
        .iter()
        .map(|arg| {
            let mut arg = (*arg).to_string();
            for ((stem, _), (name, _)) in tables.iter().zip(&files) {
                arg = arg.replace(&format!("{{{stem}}}"), name);
            }
            arg
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut run = run_in(&all, &args);
    for (stem, _) in tables {
        run.stdout = run.stdout.replace(&format!("{stem}.xlsx"), &format!("{stem}.csv"));
    }
    run
}

/// `text` without box-drawing characters and spaces: a report's content, whatever the
/// widths of its columns (a column headed `row` is narrower than one headed `line`).
fn content(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && !('\u{2500}'..='\u{257f}').contains(c)).collect()
}

/// The run of every form gives the twin's exit code and stdout; for the workbook, each place
/// the twin calls a line is called a row (`rows`: the twin's words and the sheet's, which the
/// workbook's stdout must hold). Windows-1252 is noted on stderr. Returns the twin's run.
fn assert_twins(tables: &[(&str, &Forms)], args: &[&str], extra: &[(&str, &[u8])], rows: &[(&str, &str)]) -> Run {
    let twin = run_as(tables, Form::Csv, args, extra);
    assert!(twin.code == 0 || twin.code == 1, "{args:?}: {}", twin.stderr);
    for form in [Form::Xlsx, Form::Cp1252] {
        let run = run_as(tables, form, args, extra);
        assert_eq!(run.code, twin.code, "{form:?} {args:?}\nstderr: {}\ntwin's: {}", run.stderr, twin.stderr);
        if form == Form::Xlsx && !rows.is_empty() {
            let mut expected = twin.stdout.clone();
            for (line, row) in rows {
                assert!(expected.contains(line), "`{line}` not in the twin's {args:?}: {}", twin.stdout);
                expected = expected.replace(line, row);
                assert!(run.stdout.contains(row.trim()), "`{row}` not in {args:?}: {}", run.stdout);
            }
            assert_eq!(content(&run.stdout), content(&expected), "{form:?} {args:?}\nstderr: {}", run.stderr);
        } else {
            assert_eq!(run.stdout, twin.stdout, "{form:?} {args:?}\nstderr: {}", run.stderr);
        }
        if form == Form::Cp1252 {
            assert!(run.stderr.contains("is not UTF-8 and was read as Windows-1252"), "{}", run.stderr);
        }
    }
    twin
}

const OUTCOME: Layout = Layout { amounts: &[1], dates: &[2], numbers: &[3] };
const PLAN: Layout = Layout { amounts: &[2], dates: &[], numbers: &[] };
const DECISIONS: Layout = Layout { amounts: &[2], dates: &[], numbers: &[] };
const REQUESTS: Layout = Layout { amounts: &[3], dates: &[], numbers: &[] };
const AUDIT_KR: Layout = Layout { amounts: &[2], dates: &[], numbers: &[] };
const AUDIT_MKR: Layout = Layout { amounts: &[1], dates: &[], numbers: &[] };

#[test]
fn follow_up_reads_an_outcome_and_a_plan_as_excel_saves_them() {
    let outcome = forms(OUTCOME_CSV, OUTCOME);
    let toml: &[(&str, &[u8])] = &[("plan.toml", PLAN_TOML.as_bytes())];
    for (format, rows) in [("table", &[("  line ", "  row ")][..]), ("csv", &[]), ("json", &[])] {
        let args = ["follow-up", "plan.toml", "{utfall}", "--object", "9916", "-f", format];
        let twin = assert_twins(&[("utfall", &outcome)], &args, toml, rows);
        assert_eq!(twin.code, 1, "the example has an over-budget intervention");
    }
    // The plan as a workbook too (a CSV plan says no unit: --plan-unit).
    let plan = forms(PLAN_CSV, PLAN);
    let args = ["follow-up", "{plan}", "{utfall}", "--plan-unit", "mkr", "-f", "csv"];
    assert_twins(&[("plan", &plan), ("utfall", &outcome)], &args, &[], &[]);
}

#[test]
fn report_reads_an_outcome_and_a_plan_as_excel_saves_them() {
    let outcome = forms(OUTCOME_CSV, OUTCOME);
    let plan = forms(PLAN_CSV, PLAN);
    let args = ["report", "{plan}", "{utfall}", "--plan-unit", "mkr", "-r", "23", "--object", "9916", "--lang", "en"];
    // The outcome's rows and the plan's are a sheet's: rows.
    let rows = [(">Line<", ">Row<"), ("(plan line ", "(plan row ")];
    let twin = assert_twins(&[("plan", &plan), ("utfall", &outcome)], &args, &[], &rows);
    assert!(twin.stdout.starts_with("<!DOCTYPE html>"), "{}", twin.stdout);
}

#[test]
fn payouts_reads_decisions_and_requests_as_excel_saves_them() {
    let decisions = forms(DECISIONS_CSV, DECISIONS);
    let requests = forms(REQUESTS_CSV, REQUESTS);
    let request_row = ("request on line 4", "request on row 4");
    let table = [("┆ line │", "┆ row │"), request_row];
    for (format, rows) in [("table", &table[..]), ("csv", &[]), ("json", &[request_row][..])] {
        let args = ["payouts", "{beslut}", "--year", "2019", "--requests", "{rekvisitioner}", "-f", format];
        let twin = assert_twins(&[("beslut", &decisions), ("rekvisitioner", &requests)], &args, &[], rows);
        assert_eq!(twin.code, 1, "the example has a request over its decision");
    }
}

#[test]
fn audit_reads_a_published_table_as_excel_saves_it() {
    let kr = forms(AUDIT_KR_CSV, AUDIT_KR);
    let args = ["audit", "{tabell}", "--unit", "kr"];
    let rows = [("│ line ┆", "│ row ┆"), ("`omstallning`, line ", "`omstallning`, row "), ("län (line ", "län (row ")];
    let twin = assert_twins(&[("tabell", &kr)], &args, &[], &rows);
    assert_eq!(twin.code, 1, "{}", twin.stdout);
    let mkr = forms(AUDIT_MKR_CSV, AUDIT_MKR);
    for (format, rows) in [("table", &rows[..1]), ("json", &[])] {
        let args = ["audit", "{tabell}", "--area", "tillganglighet", "-f", format];
        assert_twins(&[("tabell", &mkr)], &args, &[], rows);
    }
}

#[test]
fn diff_reads_both_versions_as_excel_saves_them() {
    let old = forms(PLAN_CSV, PLAN);
    let new = forms(REVISION_CSV, PLAN);
    for format in ["table", "csv", "json"] {
        let args = ["diff", "{old}", "{new}", "--unit", "mkr", "-f", format];
        let twin = assert_twins(&[("old", &old), ("new", &new)], &args, &[], &[]);
        assert_eq!(twin.code, 0, "{}", twin.stderr);
        assert!(twin.stdout.contains("Zamsyns-dagar"), "{}", twin.stdout);
    }
}

#[test]
fn two_versions_in_one_workbook_are_read_by_their_sheets() {
    let mut book = Workbook::new();
    for (name, csv) in [("v1", PLAN_CSV), ("v2", REVISION_CSV)] {
        let sheet = book.add_worksheet().set_name(name).unwrap();
        for (r, row) in rows(csv).iter().enumerate() {
            for (c, field) in row.iter().enumerate() {
                let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
                match number(field).filter(|_| r > 0 && c == 2) {
                    Some(value) => sheet.write_number(r, c, value).unwrap(),
                    None => sheet.write_string(r, c, field).unwrap(),
                };
            }
        }
    }
    let book = book.save_to_buffer().unwrap();
    let twin = run_in(
        &[("old.csv", PLAN_CSV.as_bytes()), ("new.csv", REVISION_CSV.as_bytes())],
        &["diff", "old.csv", "new.csv", "--unit", "mkr", "-f", "csv"],
    );
    let run = run_in(
        &[("plan.xlsx", &book)],
        &["diff", "plan.xlsx", "plan.xlsx", "--old-sheet", "v1", "--new-sheet", "v2", "--unit", "mkr", "-f", "csv"],
    );
    assert_eq!((run.code, &run.stdout), (twin.code, &twin.stdout), "{}", run.stderr);
    // A sheet that is not there is named, with the sheets there are.
    let run = run_in(
        &[("plan.xlsx", &book)],
        &["diff", "plan.xlsx", "plan.xlsx", "--old-sheet", "v1", "--new-sheet", "v3", "--unit", "mkr"],
    );
    common::assert_refused(&run, &["plan.xlsx", "has no sheet `v3`; its sheets are `v1`, `v2`"]);
}

#[test]
fn sheets_are_chosen_by_flags_that_text_files_refuse() {
    // Each command's sheet flag on a CSV file is refused, not ignored.
    let cases: [&[&str]; 5] = [
        &["follow-up", "plan.toml", "utfall.csv", "--outcome-sheet", "Blad1"],
        &["follow-up", "plan.csv", "utfall.csv", "--plan-unit", "mkr", "--plan-sheet", "Blad1"],
        &["payouts", "beslut.csv", "--year", "2019", "--sheet", "Blad1"],
        &["audit", "beslut.csv", "--sheet", "Blad1"],
        &["diff", "plan.csv", "plan.csv", "--unit", "mkr", "--old-sheet", "Blad1"],
    ];
    let files: &[(&str, &[u8])] = &[
        ("plan.toml", PLAN_TOML.as_bytes()),
        ("plan.csv", PLAN_CSV.as_bytes()),
        ("utfall.csv", OUTCOME_CSV.as_bytes()),
        ("beslut.csv", DECISIONS_CSV.as_bytes()),
    ];
    for args in cases {
        let run = run_in(files, args);
        common::assert_refused(&run, &["Blad1"]);
    }
    // --requests-sheet without --requests has nothing to read.
    let run = run_in(files, &["payouts", "beslut.csv", "--year", "2019", "--requests-sheet", "Blad1"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// `rows` with the field at `row`, `column` (0-based) replaced by `field`.
fn with_field(csv: &str, row: usize, column: usize, field: &str) -> Vec<Vec<String>> {
    let mut rows = rows(csv);
    rows[row][column] = field.to_string();
    rows
}

#[test]
fn a_bad_cell_is_named_by_its_sheet_and_cell_in_every_command() {
    let toml: (&str, &[u8]) = ("plan.toml", PLAN_TOML.as_bytes());
    // Row 5 (0-based 4) of each table, its amount column made `12x`.
    let outcome = workbook(&with_field(OUTCOME_CSV, 4, 1, "12x"), OUTCOME);
    let run = run_in(&[toml, ("utfall.xlsx", &outcome)], &["follow-up", "plan.toml", "utfall.xlsx"]);
    common::assert_refused(&run, &["invalid outcome: utfall.xlsx, sheet Blad1, cell B5: field `amount`"]);
    let run = run_in(&[toml, ("utfall.xlsx", &outcome)], &["report", "plan.toml", "utfall.xlsx"]);
    common::assert_refused(&run, &["utfall.xlsx, sheet Blad1, cell B5"]);

    let plan = workbook(&with_field(PLAN_CSV, 4, 2, "12x"), PLAN);
    let good = workbook(&rows(PLAN_CSV), PLAN);
    let run = run_in(&[("old.xlsx", &good), ("new.xlsx", &plan)], &["diff", "old.xlsx", "new.xlsx", "--unit", "mkr"]);
    common::assert_refused(&run, &["invalid plan: new.xlsx, sheet Blad1, cell C5: field `amount`"]);
    let run = run_in(&[toml, ("plan.xlsx", &plan)], &["follow-up", "plan.xlsx", "plan.toml", "--plan-unit", "mkr"]);
    common::assert_refused(&run, &["invalid plan: plan.xlsx, sheet Blad1, cell C5: field `amount`"]);

    let decisions = workbook(&with_field(DECISIONS_CSV, 3, 2, "12x"), DECISIONS);
    let run = run_in(&[("beslut.xlsx", &decisions)], &["payouts", "beslut.xlsx", "--year", "2019"]);
    common::assert_refused(&run, &["invalid decisions: beslut.xlsx, sheet Blad1, cell C4: field `amount`"]);
    let requests = workbook(&with_field(REQUESTS_CSV, 4, 3, "12x"), REQUESTS);
    let run = run_in(
        &[("beslut.csv", DECISIONS_CSV.as_bytes()), ("rek.xlsx", &requests)],
        &["payouts", "beslut.csv", "--year", "2019", "--requests", "rek.xlsx"],
    );
    common::assert_refused(&run, &["invalid requests: rek.xlsx, sheet Blad1, cell D5: field `amount`"]);

    let table = workbook(&with_field(AUDIT_MKR_CSV, 4, 1, "12x"), AUDIT_MKR);
    let run = run_in(&[("tabell.xlsx", &table)], &["audit", "tabell.xlsx", "--area", "tillganglighet"]);
    common::assert_refused(&run, &["invalid table: tabell.xlsx, sheet Blad1, cell B5"]);
}

/// The files of a run, and its arguments.
type Case<'a> = (Vec<(&'a str, &'a [u8])>, Vec<&'a str>);

#[test]
fn bytes_neither_utf8_nor_windows_1252_are_refused_by_every_command() {
    // 0x81 is undefined in Windows-1252 and no UTF-8: after the header of each table.
    let broken = |csv: &str| {
        let text = text(csv);
        let at = text.find('\n').unwrap() + 1;
        let mut bytes = windows_1252(text);
        bytes.insert(at, 0x81);
        bytes
    };
    let toml: (&str, &[u8]) = ("plan.toml", PLAN_TOML.as_bytes());
    let (outcome, plan, decisions, requests, table) =
        (broken(OUTCOME_CSV), broken(PLAN_CSV), broken(DECISIONS_CSV), broken(REQUESTS_CSV), broken(AUDIT_MKR_CSV));
    let good_decisions: (&str, &[u8]) = ("ok.csv", DECISIONS_CSV.as_bytes());
    let cases: Vec<Case> = vec![
        (vec![toml, ("x.csv", &outcome)], vec!["follow-up", "plan.toml", "x.csv"]),
        (vec![toml, ("x.csv", &outcome)], vec!["report", "plan.toml", "x.csv"]),
        (vec![toml, ("x.csv", &plan)], vec!["follow-up", "x.csv", "plan.toml", "--plan-unit", "mkr"]),
        (vec![("x.csv", &plan), ("y.csv", PLAN_CSV.as_bytes())], vec!["diff", "y.csv", "x.csv", "--unit", "mkr"]),
        (vec![("x.csv", &decisions)], vec!["payouts", "x.csv", "--year", "2019"]),
        (
            vec![good_decisions, ("x.csv", &requests)],
            vec!["payouts", "ok.csv", "--year", "2019", "--requests", "x.csv"],
        ),
        (vec![("x.csv", &table)], vec!["audit", "x.csv", "--area", "tillganglighet"]),
        (vec![("x.csv", &plan)], vec!["check", "x.csv", "-r", "23", "-u", "mkr"]),
    ];
    for (files, args) in cases {
        let run = run_in(&files, &args);
        common::assert_refused(&run, &["x.csv, line 2: is neither UTF-8 nor Windows-1252 (byte 0x81"]);
    }
}

/// An outcome of `rows` (intervention index into `names`, amount in öre, day of 2019) as
/// UTF-8 CSV, and as the workbook Excel would save of it (amounts as numbers, dates as dates).
fn random_outcome(entries: &[(usize, u64, u16)]) -> (String, Vec<u8>) {
    const NAMES: [&str; 4] = [
        "Förbättrad väntetidsuppföljning",
        "Förändrade arbetssätt",
        "Samverkan med kommunerna",
        "Personcentrerad vård",
    ];
    let mut csv = String::from("Insats;Belopp;Datum;Objekt\n");
    for &(name, ore, day) in entries {
        let (kronor, rest) = (ore / 100, ore % 100);
        let amount = if rest == 0 {
            kronor.to_string()
        } else {
            format!("{kronor},{rest:02}").trim_end_matches('0').to_string()
        };
        let month = 1 + (day % 12);
        let date = format!("2019-{month:02}-{:02}", 1 + day % 28);
        let _ = writeln!(csv, "{};{amount};{date};9916", NAMES[name % NAMES.len()]);
    }
    let book = workbook(&rows(&csv), OUTCOME);
    (csv, book)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 10, ..Default::default() })]
    #[test]
    fn any_outcome_as_a_workbook_follows_up_as_its_csv_twin(
        entries in proptest::collection::vec((0usize..4, 0u64..500_000_000, 0u16..365), 1..12),
    ) {
        let (csv, book) = random_outcome(&entries);
        let toml: (&str, &[u8]) = ("plan.toml", PLAN_TOML.as_bytes());
        let args = |name: &'static str| vec!["follow-up", "plan.toml", name, "--object", "9916", "-f", "json"];
        let twin = run_in(&[toml, ("utfall.csv", csv.as_bytes())], &args("utfall.csv"));
        let mut run = run_in(&[toml, ("utfall.xlsx", &book)], &args("utfall.xlsx"));
        run.stdout = run.stdout.replace("utfall.xlsx", "utfall.csv");
        proptest::prop_assert!(twin.code == 0 || twin.code == 1, "{}", twin.stderr);
        proptest::prop_assert_eq!(run.code, twin.code, "{} / {}", run.stderr, twin.stderr);
        proptest::prop_assert_eq!(run.stdout, twin.stdout);
    }
}

const MUNICIPALITIES_CSV: &str = include_str!("../../data/population/scb-municipality-population-31dec-2017-2019.csv");

#[test]
fn allocate_within_a_county_reads_municipalities_as_excel_saves_them() {
    // Codes stay text (`0114`), populations are numbers, dates are date cells.
    let layout = Layout { amounts: &[4], dates: &[3], numbers: &[] };
    let municipalities = forms(MUNICIPALITIES_CSV, layout);
    for split in [&["--within", "23"][..], &["--nested"][..]] {
        let mut args = vec!["allocate", "--population", "{kommuner}", "-f", "csv"];
        args.extend_from_slice(split);
        let twin = assert_twins(&[("kommuner", &municipalities)], &args, &[], &[]);
        assert_eq!(twin.code, 0, "{}", twin.stderr);
        assert!(twin.stdout.contains("Östersund"), "{}", twin.stdout);
    }
}

#[test]
fn a_place_in_a_sheet_is_a_row_and_in_a_text_a_line() {
    // check: a finding's place in the plan.
    let plan_rows = rows(PLAN_CSV);
    let plan = workbook(&plan_rows, PLAN);
    let run = run_in(&[("plan.xlsx", &plan)], &["check", "plan.xlsx", "-r", "23", "-u", "mkr"]);
    assert!(run.stdout.contains("omstallning (row 7): area `omstallning` plans 19 mkr"), "{}", run.stdout);
    let run = run_in(&[("plan.csv", PLAN_CSV.as_bytes())], &["check", "plan.csv", "-r", "23", "-u", "mkr"]);
    assert!(run.stdout.contains("omstallning (line 7): area"), "{}", run.stdout);
    let run = run_in(&[("plan.xlsx", &plan)], &["check", "plan.xlsx", "-r", "23", "-u", "mkr", "--lang", "sv"]);
    assert!(run.stdout.contains("omstallning (rad 7)"), "{}", run.stdout);

    // The table reader: a header repeated down the sheet.
    let mut repeated = plan_rows.clone();
    repeated.insert(5, plan_rows[0].clone());
    let run = run_in(&[("plan.xlsx", &workbook(&repeated, PLAN))], &["check", "plan.xlsx", "-r", "23", "-u", "mkr"]);
    common::assert_refused(&run, &["plan.xlsx, sheet Blad1, row 6: this row repeats the header of row 1"]);
    let text: String = repeated.iter().map(|row| row.join(";") + "\n").collect();
    let run = run_in(&[("plan.csv", text.as_bytes())], &["check", "plan.csv", "-r", "23", "-u", "mkr"]);
    common::assert_refused(&run, &["plan.csv, line 6: this row repeats the header of line 1"]);

    // payouts: a request exported twice.
    let mut twice = rows(REQUESTS_CSV);
    twice.push(twice[2].clone());
    let run = run_in(
        &[("beslut.csv", DECISIONS_CSV.as_bytes()), ("rek.xlsx", &workbook(&twice, Layout::default()))],
        &["payouts", "beslut.csv", "--year", "2019", "--requests", "rek.xlsx"],
    );
    common::assert_refused(&run, &["invalid requests: rek.xlsx, sheet Blad1, row 6: the same request as row 3:"]);

    // follow-up: a sum row of the outcome that does not add up (not a reader's error: the
    // follow-up's own).
    let mut outcome = rows(OUTCOME_CSV);
    outcome.insert(3, vec!["Totalt".into(), "1".into(), String::new(), String::new(), String::new(), String::new()]);
    let run = run_in(
        &[("plan.toml", PLAN_TOML.as_bytes()), ("utfall.xlsx", &workbook(&outcome, OUTCOME))],
        &["follow-up", "plan.toml", "utfall.xlsx"],
    );
    common::assert_refused(&run, &["utfall.xlsx, sheet Blad1, row 4: the sum row says"]);

    // payouts: a request with no decision (the schedule's error, not the reader's).
    let mut stranger = rows(REQUESTS_CSV);
    stranger[2][0] = "Okänd AB".to_string();
    let run = run_in(
        &[("beslut.csv", DECISIONS_CSV.as_bytes()), ("rek.xlsx", &workbook(&stranger, REQUESTS))],
        &["payouts", "beslut.csv", "--year", "2019", "--requests", "rek.xlsx"],
    );
    common::assert_refused(&run, &["rek.xlsx, sheet Blad1, row 3: a request from `Okänd AB`"]);

    // A population workbook whose codes lost their zeros: the note names rows.
    let layout = Layout { amounts: &[4], dates: &[3], numbers: &[0] };
    let book = workbook(&rows(MUNICIPALITIES_CSV), layout);
    let run = run_in(&[("kommuner.xlsx", &book)], &["allocate", "--population", "kommuner.xlsx", "--within", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The county level uses 31 December 2018: the rows of that date start at row 292.
    assert!(run.stderr.contains("kommuner.xlsx: 90 code(s) written without"), "{}", run.stderr);
    assert!(run.stderr.contains("`114` as 0114 (row 292)"), "{}", run.stderr);
}

#[test]
fn diff_names_the_new_version_s_rows_in_check_s_findings() {
    let mut revision = rows(REVISION_CSV);
    let mut twice = revision[1].clone();
    twice[2] = "0".to_string();
    revision.insert(3, twice);
    let new = workbook(&revision, PLAN);
    let run = run_in(
        &[("old.csv", PLAN_CSV.as_bytes()), ("new.xlsx", &new)],
        &["diff", "old.csv", "new.xlsx", "--unit", "mkr"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("[intervention-duplicate] new version: intervention"), "{}", run.stdout);
    assert!(run.stdout.contains("(first on row 2)"), "{}", run.stdout);
}

const COUNTIES_CSV: &str = include_str!("../../data/population/scb-county-population-31dec-2010-2020.csv");

#[test]
fn audit_against_a_total_reads_a_population_workbook_at_its_sheet() {
    // The population as the second sheet of a workbook: --population-sheet names it.
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Om").unwrap().write_string(0, 0, "SCB, folkmängd 31 december").unwrap();
    let sheet = book.add_worksheet().set_name("Folkmängd").unwrap();
    for (r, row) in rows(COUNTIES_CSV).iter().enumerate() {
        for (c, field) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            match field.parse::<u32>().ok().filter(|_| r > 0 && c == 3) {
                Some(people) => sheet.write_number(r, c, f64::from(people)).unwrap(),
                None => sheet.write_string(r, c, field).unwrap(),
            };
        }
    }
    let population = book.save_to_buffer().unwrap();
    // explain names the region's row of the sheet, where the CSV's line is the same number.
    let explain = |name: &str, file: &[u8]| {
        let args = ["explain", "23", "--population", name, "--population-sheet", "Folkmängd"];
        run_in(&[(name, file)], if name.ends_with("csv") { &args[..4] } else { &args })
    };
    let run = explain("pop.xlsx", &population);
    assert!(run.stdout.contains("130 280 people (row 188 of the population file)"), "{}{}", run.stdout, run.stderr);
    let run = explain("pop.csv", COUNTIES_CSV.as_bytes());
    assert!(run.stdout.contains("130 280 people (line 188 of the population file)"), "{}{}", run.stdout, run.stderr);
    let table = forms(AUDIT_MKR_CSV, AUDIT_MKR);
    let args = ["audit", "{tabell}", "--total", "453", "--unit", "mkr", "--population", "pop.csv"];
    let population_csv: (&str, &[u8]) = ("pop.csv", COUNTIES_CSV.as_bytes());
    let twin = assert_twins(&[("tabell", &table)], &args, &[population_csv], &[("│ line ┆", "│ row ┆")]);
    let run = run_in(
        &[("tabell.csv", AUDIT_MKR_CSV.as_bytes()), ("pop.xlsx", &population)],
        &[
            "audit",
            "tabell.csv",
            "--total",
            "453",
            "--unit",
            "mkr",
            "--population",
            "pop.xlsx",
            "--population-sheet",
            "Folkmängd",
        ],
    );
    assert_eq!((run.code, run.stdout.replace("pop.xlsx", "pop.csv")), (twin.code, twin.stdout), "{}", run.stderr);
}
