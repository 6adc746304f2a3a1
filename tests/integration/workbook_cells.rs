//! A workbook cell is what the sheet shows, in every workbook format fordela reads and in every
//! command that reads a workbook: a number with the decimals its format shows (a plan's
//! precision), refused when the format shows another figure (thousands, a percentage, rounded),
//! hidden rows and columns refused unless `--hidden` says what is meant, text that reads two
//! ways refused as in a `,`-separated file, merged cells shown on rows they do not hold refused.
//! The `.xlsx` twins are built with `rust_xlsxwriter`, the `.ods` ones written here as XML, the
//! `.xls` ones are `LibreOffice`'s (`tests/data/`); each is held to its CSV twin.

use std::fmt::Write as _;
use std::io::Write as _;

use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook};

use crate::common::{self, Run, assert_refused, fordela_in, temp_files};

const PLAN_CSV: &str = include_str!("../../examples/jamtland-harjedalen-2019.csv");
const REVISION_CSV: &str = include_str!("../../examples/jamtland-harjedalen-2019-revision.csv");
const PLAN_TOML: &str = include_str!("../../examples/jamtland-harjedalen-2019.toml");
const OUTCOME_CSV: &str = include_str!("../../examples/jamtland-harjedalen-2019-utfall.csv");
const DECISIONS_CSV: &str = include_str!("../../examples/payouts-2019.csv");
const REQUESTS_CSV: &str = include_str!("../../examples/payout-requests-2019.csv");
const AUDIT_CSV: &str = include_str!("../../examples/audit/omstallning-2017-figures.csv");

/// One cell of a sheet built here.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    /// A number and its number format, as an Excel code (the `.ods` twin gets the same style).
    Number(f64, &'static str),
}

/// A sheet `Blad1` to write as `.xlsx` and as `.ods`.
#[derive(Clone, Debug, Default)]
struct Sheet {
    rows: Vec<Vec<Cell>>,
    hidden_rows: Vec<u32>,
    hidden_columns: Vec<u16>,
    /// Merged areas: first row, first column, last row, last column.
    merged: Vec<(u32, u16, u32, u16)>,
}

/// An amount as written in a CSV (`1 250 000`, `5,8`): its value and decimals.
fn written_number(field: &str) -> Option<(f64, usize)> {
    let plain = field.replace([' ', '\u{a0}'], "").replace(',', ".");
    let value = plain.parse::<f64>().ok()?;
    Some((value, plain.split_once('.').map_or(0, |(_, decimals)| decimals.len())))
}

/// The format that shows `decimals` decimals: `0`, `0.0`, `0.00`.
fn decimals_format(decimals: usize) -> &'static str {
    ["0", "0.0", "0.00", "0.000"][decimals.min(3)]
}

/// The rows of a CSV text (`;`-separated, else `,`), BOM aside.
fn csv_fields(csv: &str) -> Vec<Vec<String>> {
    let csv = csv.trim_start_matches('\u{feff}');
    let separator = if csv.lines().next().unwrap_or("").contains(';') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(separator).has_headers(false).flexible(true).from_reader(csv.as_bytes());
    reader.records().map(|record| record.unwrap().iter().map(str::to_string).collect()).collect()
}

impl Sheet {
    /// The CSV `csv` as Excel holds it when typed in: column `amounts` of every row but the
    /// header as number cells showing the decimals written, the rest as text.
    fn from_csv(csv: &str, amounts: usize) -> Sheet {
        let rows = csv_fields(csv)
            .into_iter()
            .enumerate()
            .map(|(at, row)| {
                row.into_iter()
                    .enumerate()
                    .map(|(column, field)| match written_number(&field) {
                        _ if field.is_empty() => Cell::Empty,
                        Some((value, decimals)) if at > 0 && column == amounts => {
                            Cell::Number(value, decimals_format(decimals))
                        }
                        _ => Cell::Text(field),
                    })
                    .collect()
            })
            .collect();
        Sheet { rows, ..Sheet::default() }
    }

    fn cell(&mut self, row: usize, column: usize) -> &mut Cell {
        let cells = &mut self.rows[row];
        if cells.len() <= column {
            cells.resize(column + 1, Cell::Empty);
        }
        &mut cells[column]
    }

    fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    fn xlsx(&self) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("Blad1").unwrap();
        for &(top, left, bottom, right) in &self.merged {
            let text = match &self.rows[top as usize][left as usize] {
                Cell::Text(text) => text.clone(),
                _ => String::new(),
            };
            sheet.merge_range(top, left, bottom, right, &text, &Format::new()).unwrap();
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r).unwrap();
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap();
                let top_left = self.merged.iter().any(|&(top, left, ..)| (top, left) == (r, c));
                match cell {
                    Cell::Empty => {}
                    Cell::Text(_) if top_left => {}
                    Cell::Text(text) => {
                        sheet.write_string(r, c, text).unwrap();
                    }
                    Cell::Number(value, "General") => {
                        sheet.write_number(r, c, *value).unwrap();
                    }
                    Cell::Number(value, code) => {
                        sheet.write_number_with_format(r, c, *value, &Format::new().set_num_format(*code)).unwrap();
                    }
                }
            }
        }
        for &row in &self.hidden_rows {
            sheet.set_row_hidden(row).unwrap();
        }
        for &column in &self.hidden_columns {
            sheet.set_column_hidden(column).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    /// The sheet as an `OpenDocument` spreadsheet, as `LibreOffice` writes one: number styles
    /// (`number:decimal-places`, `number:display-factor`, a percentage style) in
    /// `content.xml`, hidden rows and columns as `table:visibility="collapse"`, merged cells
    /// as spans over covered cells.
    fn ods(&self) -> Vec<u8> {
        let mut codes: Vec<&str> = Vec::new();
        for cell in self.rows.iter().flatten() {
            if let Cell::Number(_, code) = cell
                && !codes.contains(code)
            {
                codes.push(code);
            }
        }
        let mut content = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.3"><office:automatic-styles>"#,
        );
        for (index, code) in codes.iter().enumerate() {
            content.push_str(&ods_number_style(&format!("N{index}"), code));
            let _ = write!(
                content,
                r#"<style:style style:name="ce{index}" style:family="table-cell" style:data-style-name="N{index}"/>"#
            );
        }
        content
            .push_str(r#"</office:automatic-styles><office:body><office:spreadsheet><table:table table:name="Blad1">"#);
        for column in 0..self.width().max(1) {
            let hidden = self.hidden_columns.contains(&u16::try_from(column).unwrap());
            content.push_str(if hidden {
                r#"<table:table-column table:visibility="collapse"/>"#
            } else {
                "<table:table-column/>"
            });
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r).unwrap();
            content.push_str(if self.hidden_rows.contains(&r) {
                r#"<table:table-row table:visibility="collapse">"#
            } else {
                "<table:table-row>"
            });
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap();
                let spans = self.merged.iter().find(|&&(top, left, ..)| (top, left) == (r, c));
                let covered = self.merged.iter().any(|&(top, left, bottom, right)| {
                    (top..=bottom).contains(&r) && (left..=right).contains(&c) && (top, left) != (r, c)
                });
                let element = if covered { "table:covered-table-cell" } else { "table:table-cell" };
                let mut attributes = String::new();
                if let Some(&(top, left, bottom, right)) = spans {
                    let _ = write!(
                        attributes,
                        r#" table:number-rows-spanned="{}" table:number-columns-spanned="{}""#,
                        bottom - top + 1,
                        right - left + 1
                    );
                }
                match cell {
                    Cell::Empty => {
                        let _ = write!(content, "<{element}{attributes}/>");
                    }
                    Cell::Text(text) => {
                        let _ = write!(
                            content,
                            r#"<{element}{attributes} office:value-type="string"><text:p>{}</text:p></{element}>"#,
                            escape(text)
                        );
                    }
                    Cell::Number(value, code) => {
                        let index = codes.iter().position(|known| known == code).unwrap();
                        let kind = if code.contains('%') { "percentage" } else { "float" };
                        let _ = write!(
                            content,
                            r#"<{element}{attributes} table:style-name="ce{index}" office:value-type="{kind}" office:value="{value}"><text:p>{value}</text:p></{element}>"#
                        );
                    }
                }
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
        ods_zip(&content)
    }
}

/// The number style `LibreOffice` writes for an Excel format code (the codes these tests use).
fn ods_number_style(name: &str, code: &str) -> String {
    let (decimals, grouping, factor) = match code {
        "General" => {
            return format!(
                r#"<number:number-style style:name="{name}"><number:number number:min-integer-digits="1"/></number:number-style>"#
            );
        }
        "0%" => {
            return format!(
                r#"<number:percentage-style style:name="{name}"><number:number number:decimal-places="0" number:min-decimal-places="0" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>"#
            );
        }
        "0.00E+00" => {
            return format!(
                r#"<number:number-style style:name="{name}"><number:scientific-number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:min-exponent-digits="2"/></number:number-style>"#
            );
        }
        "@" => {
            return format!(r#"<number:text-style style:name="{name}"><number:text-content/></number:text-style>"#);
        }
        "#,##0," => (0, true, Some("1000")),
        "#,##0,," => (0, true, Some("1000000")),
        "#,##0" => (0, true, None),
        "#,##0.00" => (2, true, None),
        other => (other.split_once('.').map_or(0, |(_, decimals)| decimals.len()), false, None),
    };
    let factor = factor.map(|factor| format!(r#" number:display-factor="{factor}""#)).unwrap_or_default();
    // `00` shows 1 as `01`.
    let integer = code.split('.').next().unwrap_or("").matches('0').count().max(1);
    format!(
        r#"<number:number-style style:name="{name}"><number:number number:decimal-places="{decimals}" number:min-decimal-places="{decimals}" number:min-integer-digits="{integer}" number:grouping="{grouping}"{factor}/></number:number-style>"#
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An `.ods` file around `content`: the `mimetype` first and stored, as the format asks.
fn ods_zip(content: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// `A` for column 0, as spreadsheets name columns (the tables here are narrow).
fn column_letter(column: usize) -> char {
    char::from(b'A' + u8::try_from(column).unwrap())
}

/// Runs `args` (`{file}` standing for the table's file) in a fresh directory holding the table
/// as `name` and the `extra` files.
fn run_named(name: &str, table: &[u8], args: &[&str], extra: &[(&str, &[u8])]) -> Run {
    let mut files: Vec<(&str, &[u8])> = vec![(name, table)];
    files.extend_from_slice(extra);
    let dir = temp_files(&files);
    let args: Vec<String> = args.iter().map(|arg| arg.replace("{file}", name)).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    fordela_in(dir.path(), &args, None)
}

/// A run's stdout with its places in the file said as a CSV's: the workbook's name as the
/// twin's, a sheet's rows as lines; its inputs' digests aside (the files differ).
fn as_csv_twin(run: &Run, stem: &str) -> String {
    let mut text = run.stdout.clone();
    for extension in ["xlsx", "ods", "xls"] {
        text = text.replace(&format!("{stem}.{extension}"), &format!("{stem}.csv"));
    }
    text.replace(", sheet Blad1", "")
        .replace(" rows ", " lines ")
        .replace("(row ", "(line ")
        .replace(" row ", " line ")
        .lines()
        .filter(|line| !line.contains("sha256"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A table a command reads, and how the tests below vary it.
struct Sibling<'a> {
    /// The table's CSV twin as written.
    csv: String,
    /// Its file's name without extension.
    stem: &'a str,
    /// The amount column (0-based).
    amounts: usize,
    /// A data row (0-based) to hide, break or merge.
    row: usize,
    /// The command, `{file}` standing for the table's file.
    args: &'a [&'a str],
    /// Other inputs of the command.
    extra: &'a [(&'a str, &'a [u8])],
}

impl Sibling<'_> {
    fn run(&self, extension: &str, bytes: &[u8], more: &[&str]) -> Run {
        let args: Vec<&str> = self.args.iter().chain(more).copied().collect();
        run_named(&format!("{}.{extension}", self.stem), bytes, &args, self.extra)
    }

    /// The CSV twin's run, with line `row` blanked (a hidden row skipped) when asked.
    fn twin(&self, blank: Option<usize>, more: &[&str]) -> Run {
        let csv: String = self
            .csv
            .split_inclusive('\n')
            .enumerate()
            .map(|(at, line)| if Some(at) == blank { "\n" } else { line })
            .collect();
        let twin = self.run("csv", csv.as_bytes(), more);
        assert!(twin.code == 0 || twin.code == 1, "{:?}: {}", self.args, twin.stderr);
        twin
    }

    fn assert_same(&self, run: &Run, twin: &Run, what: &str) {
        assert_eq!(run.code, twin.code, "{what} {:?}\nstderr: {}\ntwin's: {}", self.args, run.stderr, twin.stderr);
        assert_eq!(as_csv_twin(run, self.stem), as_csv_twin(twin, self.stem), "{what} {:?}", self.args);
    }

    /// The place of the amount cell of `self.row` in a message.
    fn cell(&self, extension: &str) -> String {
        format!("{}.{extension}, sheet Blad1, cell {}{}", self.stem, column_letter(self.amounts), self.row + 1)
    }

    /// Every workbook form of the table is read as the sheet shows it, in `.xlsx` and `.ods`:
    /// shown as written, it gives the twin's output; a number shown in thousands or rounded, a
    /// hidden row, text reading two ways or a value merged down rows are refused at their
    /// place; `--hidden skip` and `--hidden include` give the twin without and with the row.
    fn assert_read_as_shown(&self) {
        let sheet = Sheet::from_csv(&self.csv, self.amounts);
        let Cell::Number(value, _) = sheet.rows[self.row][self.amounts].clone() else {
            panic!("row {} of {} holds no amount", self.row, self.stem);
        };
        let twin = self.twin(None, &[]);
        let write = |sheet: &Sheet| [("xlsx", sheet.xlsx()), ("ods", sheet.ods())];
        for (extension, bytes) in write(&sheet) {
            self.assert_same(&self.run(extension, &bytes, &[]), &twin, extension);
        }

        // Shown in thousands (`#,##0,`; in `.ods` a display factor of 1000): refused at the cell.
        let mut thousands = sheet.clone();
        *thousands.cell(self.row, self.amounts) = Cell::Number(value * 1000.0, "#,##0,");
        for (extension, bytes) in write(&thousands) {
            let run = self.run(extension, &bytes, &[]);
            assert_refused(&run, &[&self.cell(extension), "(`#,##0,`) shows it scaled"]);
        }
        // More decimals than the format shows: the sheet shows a rounded figure.
        let mut rounded = sheet.clone();
        *rounded.cell(self.row, self.amounts) = Cell::Number(value + 0.25, "0.0");
        for (extension, bytes) in write(&rounded) {
            let run = self.run(extension, &bytes, &[]);
            assert_refused(&run, &[&self.cell(extension), "(`0.0`) shows 1 decimal, so the sheet shows"]);
        }
        // A percentage shows a hundred times the value.
        let mut percent = sheet.clone();
        *percent.cell(self.row, self.amounts) = Cell::Number(value / 100.0, "0%");
        for (extension, bytes) in write(&percent) {
            assert_refused(&self.run(extension, &bytes, &[]), &[&self.cell(extension), "a percentage"]);
        }

        // A hidden row: refused naming it, read as shown or as held when told.
        let mut hidden = sheet.clone();
        hidden.hidden_rows.push(u32::try_from(self.row).unwrap());
        let without = self.twin(Some(self.row), &[]);
        for (extension, bytes) in write(&hidden) {
            let run = self.run(extension, &bytes, &[]);
            let named = format!("{}.{extension}, sheet Blad1: row {} is hidden", self.stem, self.row + 1);
            assert_refused(&run, &[&named, "--hidden include", "--hidden skip"]);
            let included = self.run(extension, &bytes, &["--hidden", "include"]);
            self.assert_same(&included, &twin, extension);
            let skipped = self.run(extension, &bytes, &["--hidden", "skip"]);
            self.assert_same(&skipped, &without, extension);
            // Either way the person is told which rows made the sum.
            assert!(included.stderr.contains(&format!("{named} and read as if shown")), "{}", included.stderr);
            assert!(skipped.stderr.contains(&format!("{named} and left out")), "{}", skipped.stderr);
        }
        // A hidden column holding cells: refused naming it.
        let mut hidden_column = sheet.clone();
        let last = sheet.width();
        *hidden_column.cell(self.row, last) = Cell::Text("dold anteckning".to_string());
        hidden_column.hidden_columns.push(u16::try_from(last).unwrap());
        for (extension, bytes) in write(&hidden_column) {
            let named = format!("column {} is hidden", column_letter(last));
            assert_refused(&self.run(extension, &bytes, &[]), &[&named]);
            self.assert_same(&self.run(extension, &bytes, &["--hidden", "skip"]), &twin, extension);
        }

        // Text that reads two ways, as in a `,`-separated file.
        let mut ambiguous = sheet.clone();
        *ambiguous.cell(self.row, self.amounts) = Cell::Text("18,500".to_string());
        for (extension, bytes) in write(&ambiguous) {
            assert_refused(
                &self.run(extension, &bytes, &[]),
                &[&self.cell(extension), "`18,500`, which reads two ways"],
            );
        }

        // The first column merged down over the next row: shown on both, held by one.
        let mut merged = sheet.clone();
        let top = u32::try_from(self.row).unwrap();
        merged.merged.push((top, 0, top + 1, 0));
        for (extension, bytes) in write(&merged) {
            let run = self.run(extension, &bytes, &[]);
            let place = format!("{}.{extension}, sheet Blad1, cell A", self.stem);
            assert_refused(&run, &[&place, "merged"]);
        }
    }
}

#[test]
fn check_reads_a_plan_workbook_as_the_sheet_shows_it() {
    let sibling = Sibling {
        csv: PLAN_CSV.to_string(),
        stem: "plan",
        amounts: 2,
        row: 2,
        args: &["check", "{file}", "-r", "23", "-u", "mkr", "-f", "json"],
        extra: &[],
    };
    sibling.assert_read_as_shown();
}

#[test]
fn follow_up_and_report_read_an_outcome_workbook_as_the_sheet_shows_it() {
    let plan: &[(&str, &[u8])] = &[("plan.toml", PLAN_TOML.as_bytes())];
    for command in ["follow-up", "report"] {
        let sibling = Sibling {
            csv: OUTCOME_CSV.to_string(),
            stem: "utfall",
            amounts: 1,
            row: 2,
            args: if command == "report" {
                &["report", "plan.toml", "{file}", "--object", "9916"]
            } else {
                &["follow-up", "plan.toml", "{file}", "--object", "9916", "-f", "json"]
            },
            extra: plan,
        };
        sibling.assert_read_as_shown();
    }
}

#[test]
fn follow_up_reads_a_plan_workbook_as_the_sheet_shows_it() {
    let outcome: &[(&str, &[u8])] = &[("utfall.csv", OUTCOME_CSV.as_bytes())];
    let sibling = Sibling {
        csv: PLAN_CSV.to_string(),
        stem: "plan",
        amounts: 2,
        // The area's sum row: a follow-up needs a plan that adds up, with or without it.
        row: 6,
        args: &["follow-up", "{file}", "utfall.csv", "--plan-unit", "mkr", "--object", "9916", "-f", "json"],
        extra: outcome,
    };
    sibling.assert_read_as_shown();
}

#[test]
fn payouts_reads_decisions_and_requests_workbooks_as_the_sheet_shows_them() {
    let decisions = Sibling {
        csv: DECISIONS_CSV.to_string(),
        stem: "beslut",
        amounts: 2,
        row: 3,
        args: &["payouts", "{file}", "--year", "2019", "-f", "json"],
        extra: &[],
    };
    decisions.assert_read_as_shown();
    let beslut: &[(&str, &[u8])] = &[("beslut.csv", DECISIONS_CSV.as_bytes())];
    let requests = Sibling {
        csv: REQUESTS_CSV.to_string(),
        stem: "rekvisitioner",
        amounts: 3,
        row: 2,
        args: &["payouts", "beslut.csv", "--year", "2019", "--requests", "{file}", "-f", "json"],
        extra: beslut,
    };
    requests.assert_read_as_shown();
}

#[test]
fn audit_reads_a_published_workbook_as_the_sheet_shows_it() {
    let sibling = Sibling {
        csv: AUDIT_CSV.to_string(),
        stem: "tabell",
        amounts: 2,
        row: 5,
        args: &["audit", "{file}", "--unit", "kr", "-f", "json"],
        extra: &[],
    };
    sibling.assert_read_as_shown();
}

#[test]
fn diff_reads_both_versions_as_the_sheets_show_them() {
    let old: &[(&str, &[u8])] = &[("old.csv", PLAN_CSV.as_bytes())];
    let sibling = Sibling {
        csv: REVISION_CSV.to_string(),
        stem: "new",
        amounts: 2,
        row: 4,
        args: &["diff", "old.csv", "{file}", "--unit", "mkr", "-f", "json"],
        extra: old,
    };
    sibling.assert_read_as_shown();
}

/// The bundled counties on two dates as the long population table.
fn population_csv() -> String {
    let mut text = String::from("code,region,date,population\n");
    for date in ["2018-12-31", "2019-12-31"] {
        for (code, name, population) in common::bundled_counties(date) {
            let _ = writeln!(text, "{code},{name},{date},{population}");
        }
    }
    text
}

#[test]
fn allocate_reads_a_population_workbook_as_the_sheet_shows_it() {
    let sibling = Sibling {
        csv: population_csv(),
        stem: "folkmangd",
        amounts: 3,
        row: 25,
        args: &["allocate", "--population", "{file}", "--allow-missing-regions", "-f", "csv"],
        extra: &[],
    };
    sibling.assert_read_as_shown();
}

/// `check` of the plan `name` (bytes) with `more` flags, as JSON.
fn check(name: &str, bytes: &[u8], more: &[&str]) -> Run {
    let args: Vec<&str> =
        ["check", "{file}", "-r", "23", "-u", "mkr", "-f", "json"].iter().chain(more).copied().collect();
    run_named(name, bytes, &args, &[])
}

/// The example plan with every amount written with two decimals (`10,00`).
fn plan_with_two_decimals() -> String {
    PLAN_CSV
        .lines()
        .map(|line| match line.rsplit_once(';') {
            Some((rest, amount)) if written_number(amount).is_some() => {
                let (value, _) = written_number(amount).unwrap();
                format!("{rest};{}\n", format!("{value:.2}").replace('.', ","))
            }
            _ => format!("{line}\n"),
        })
        .collect()
}

#[test]
fn a_plan_claims_the_precision_its_cells_show_not_the_float_behind_them() {
    // The same values shown with two decimals claim hundredths, as the CSV written so does.
    let twin = check("plan.csv", plan_with_two_decimals().as_bytes(), &[]);
    assert!(twin.stdout.contains("\"plan_decimals\": 2"), "{}", twin.stdout);
    let mut sheet = Sheet::from_csv(PLAN_CSV, 2);
    for row in &mut sheet.rows {
        if let Some(Cell::Number(_, format)) = row.get_mut(2) {
            *format = "0.00";
        }
    }
    for (name, bytes) in [("plan.xlsx", sheet.xlsx()), ("plan.ods", sheet.ods())] {
        let run = check(name, &bytes, &[]);
        assert_eq!(as_csv_twin(&run, "plan"), as_csv_twin(&twin, "plan"), "{name}: {}", run.stderr);
    }
    let bytes = std::fs::read(common::data("plan-two-decimals.xls")).unwrap();
    let run = check("plan.xls", &bytes, &[]);
    assert_eq!(as_csv_twin(&run, "plan"), as_csv_twin(&twin, "plan"), "{}", run.stderr);
    // Under `General` the shortest decimal is what the sheet shows: tenths, as the example.
    for row in &mut sheet.rows {
        if let Some(Cell::Number(_, format)) = row.get_mut(2) {
            *format = "General";
        }
    }
    let run = check("plan.xlsx", &sheet.xlsx(), &[]);
    assert!(run.stdout.contains("\"plan_decimals\": 1"), "{}", run.stdout);
}

#[test]
fn libreoffice_xls_files_are_read_as_the_sheet_shows_them() {
    // The issue's decisions: 1 000 and 600 shown under `belopp (tkr)`, 1 000 000 and 600 000
    // held. Read by value they would pay 1 600 000 000 kr; they are refused at the cell.
    let bytes = std::fs::read(common::data("decisions-thousands-format.xls")).unwrap();
    let run = run_named("beslut.xls", &bytes, &["payouts", "{file}", "--year", "2019"], &[]);
    assert_refused(&run, &["beslut.xls, sheet Beslut, cell C2: holds 1000000", "(`#,##0,`) shows it scaled"]);
    // Row 3 hidden: refused, or read as shown or as held when told, as the CSV twins are.
    let bytes = std::fs::read(common::data("plan-hidden-row.xls")).unwrap();
    assert_refused(
        &check("plan.xls", &bytes, &[]),
        &["plan.xls, sheet Blad1: row 3 is hidden (by a filter or by hand)", "--hidden skip"],
    );
    let without: String =
        PLAN_CSV.split_inclusive('\n').enumerate().map(|(at, line)| if at == 2 { "\n" } else { line }).collect();
    for (flag, csv) in [("include", PLAN_CSV.to_string()), ("skip", without)] {
        let twin = check("plan.csv", csv.as_bytes(), &[]);
        let run = check("plan.xls", &bytes, &["--hidden", flag]);
        assert_eq!(run.code, twin.code, "{flag}: {}", run.stderr);
        assert_eq!(as_csv_twin(&run, "plan"), as_csv_twin(&twin, "plan"), "{flag}");
    }
}

#[test]
fn a_figure_excel_turned_into_a_date_is_refused_saying_what_excel_did() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Blad1").unwrap();
    for (c, header) in ["område", "insats", "belopp"].iter().enumerate() {
        sheet.write_string(0, u16::try_from(c).unwrap(), *header).unwrap();
    }
    sheet.write_string(1, 0, "omstallning").unwrap();
    sheet.write_string(1, 1, "Alfa").unwrap();
    // `1,3` typed as `1/3`: Excel stores the 1st of March.
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2019, 3, 1).unwrap();
    sheet.write_datetime_with_format(1, 2, &date, &Format::new().set_num_format("d mmm")).unwrap();
    let run = check("plan.xlsx", &book.save_to_buffer().unwrap(), &[]);
    assert_refused(
        &run,
        &["plan.xlsx, sheet Blad1, cell C2: ", "2019-03-01", "the cell holds a date: Excel makes a date"],
    );
}

#[test]
fn codes_stored_as_numbers_read_as_their_format_shows_them() {
    // `01` typed into a cell formatted `00` is the number 1 shown as `01`: read as `01`, with no
    // note that a code lost its zero (the CSV twin has none either).
    let csv = population_csv();
    let mut sheet = Sheet::from_csv(&csv, 3);
    for row in sheet.rows.iter_mut().skip(1) {
        if let Cell::Text(code) = row[0].clone() {
            row[0] = Cell::Number(code.parse().unwrap(), "00");
        }
    }
    let args = ["allocate", "--population", "{file}", "-f", "csv"];
    let twin = run_named("folkmangd.csv", csv.as_bytes(), &args, &[]);
    assert_eq!(twin.code, 0, "{}", twin.stderr);
    for (name, bytes) in [("folkmangd.xlsx", sheet.xlsx()), ("folkmangd.ods", sheet.ods())] {
        let run = run_named(name, &bytes, &args, &[]);
        let stderr = run.stderr.replace(name, "folkmangd.csv");
        assert_eq!((run.code, run.stdout.as_str(), stderr.as_str()), (0, twin.stdout.as_str(), twin.stderr.as_str()));
    }
}

/// `bytes` (a zip) with its part `name` edited by `edit`, which must change it.
fn with_part(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..zip.len() {
        let mut file = zip.by_index(index).unwrap();
        let part = file.name().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut data).unwrap();
        if part == name {
            let text = String::from_utf8(data).unwrap();
            let edited = edit(&text);
            assert_ne!(edited, text, "{name} unchanged");
            data = edited.into_bytes();
        }
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        out.start_file(part, stored).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_cell_naming_a_format_the_workbook_does_not_hold_is_refused() {
    let mut sheet = Sheet::from_csv(PLAN_CSV, 2);
    *sheet.cell(1, 2) = Cell::Number(10.0, "0.0");
    // The cell's style index pointed past the workbook's cell formats, as a broken writer leaves it.
    let bytes = with_part(&sheet.xlsx(), "xl/worksheets/sheet1.xml", |xml| {
        xml.replacen(r#"<c r="C2" s="1""#, r#"<c r="C2" s="77""#, 1)
    });
    assert_refused(
        &check("plan.xlsx", &bytes, &[]),
        &["plan.xlsx, sheet Blad1, cell C2: holds 10 under a number format fordela cannot read"],
    );
}

/// How a generated plan's amount cell is written in its workbook twins.
#[derive(Clone, Copy, Debug)]
enum Written {
    /// A number shown with the decimals written: the CSV's figure.
    Shown,
    /// A text cell holding the figure as written.
    Text,
    /// A number under `General` (a twin when the written figure is its shortest decimal).
    General,
    /// Held a thousand times larger, shown in thousands (`#,##0,`): refused.
    Thousands,
    /// Held with a hundredth more than its format shows: refused.
    Rounded,
    /// A percentage of a hundredth of it: refused.
    Percent,
    /// A text cell reading two ways (`1,500`): refused.
    Ambiguous,
}

impl Written {
    fn refused(self) -> bool {
        matches!(self, Written::Thousands | Written::Rounded | Written::Percent | Written::Ambiguous)
    }
}

fn written() -> impl Strategy<Value = Written> {
    prop_oneof![
        6 => Just(Written::Shown),
        3 => Just(Written::Text),
        3 => Just(Written::General),
        1 => Just(Written::Thousands),
        1 => Just(Written::Rounded),
        1 => Just(Written::Percent),
        1 => Just(Written::Ambiguous),
    ]
}

/// An area's id, its interventions (tenths of a million, written without a decimal when whole
/// if `true`) and its total row's figure, if it has one.
type Area = (&'static str, Vec<(u32, bool)>, Option<u32>);

/// A plan of the bundled agreement's areas: per area some interventions of whole tenths of a
/// million, each written with 0 or 1 decimals, and sometimes the area's total row (at times
/// not their sum).
fn plan_rows() -> impl Strategy<Value = Vec<Area>> {
    let area = |id| {
        (prop::collection::vec((0u32..250, any::<bool>()), 1..4), any::<bool>(), 0u32..3).prop_map(
            move |(interventions, total, off)| {
                let sum: u32 = interventions.iter().map(|(tenths, _)| tenths).sum();
                (id, interventions, total.then_some(sum + off))
            },
        )
    };
    (area("omstallning"), area("tillganglighet"), area("patientkontrakt")).prop_map(|(a, b, c)| vec![a, b, c])
}

/// Tenths written with a decimal (`1,0`) or, when whole, without (`1`) when `plain`.
fn tenths(value: u32, plain: bool) -> String {
    if plain && value % 10 == 0 { (value / 10).to_string() } else { format!("{},{}", value / 10, value % 10) }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Workbook twins of a CSV plan (`.xlsx`, `.ods`), its amounts written each way a sheet
    /// holds them and a hidden row added, give the CSV's verdict or are refused, never another:
    /// refused exactly when a cell shows another figure than it holds or the sheet hides a row
    /// (unless `--hidden skip`, which gives the CSV's verdict).
    #[test]
    fn workbook_twins_of_a_csv_plan_give_its_verdict_or_are_refused(
        areas in plan_rows(),
        ways in prop::collection::vec(written(), 16),
        hidden in prop::option::of(0u32..250),
    ) {
        let mut csv = String::from("Område;Insats;Belopp\n");
        let mut sheet = Sheet { rows: vec![["Område", "Insats", "Belopp"].map(|h| Cell::Text(h.into())).to_vec()], ..Sheet::default() };
        let mut refused = false;
        let mut way = ways.iter().cycle();
        for (area, interventions, total) in &areas {
            let rows = interventions.iter().enumerate().map(|(at, &(value, plain))| (format!("Insats {at}"), value, plain));
            for (name, value, plain) in rows.chain(total.map(|total| ("Totalt".to_string(), total, false))) {
                let text = tenths(value, plain);
                let _ = writeln!(csv, "{area};{name};{text}");
                let number = f64::from(value) / 10.0;
                let decimals = usize::from(text.contains(','));
                let how = *way.next().unwrap();
                // `General` shows the shortest decimal: a twin only where that is what is written.
                let how = if matches!(how, Written::General) && text.ends_with(",0") { Written::Shown } else { how };
                refused |= how.refused();
                let cell = match how {
                    Written::Shown => Cell::Number(number, decimals_format(decimals)),
                    Written::Text => Cell::Text(text.clone()),
                    Written::General => Cell::Number(number, "General"),
                    Written::Thousands => Cell::Number(number * 1000.0, "#,##0,"),
                    Written::Rounded => Cell::Number(number + 0.01, decimals_format(decimals)),
                    Written::Percent => Cell::Number(number / 100.0, "0%"),
                    Written::Ambiguous => Cell::Text("1,500".to_string()),
                };
                sheet.rows.push(vec![Cell::Text((*area).to_string()), Cell::Text(name), cell]);
            }
        }
        let args = ["check", "{file}", "-r", "23", "-u", "mkr", "-f", "json"];
        let twin = run_named("plan.csv", csv.as_bytes(), &args, &[]);
        prop_assert!(twin.code == 0 || twin.code == 1, "{}\n{}", csv, twin.stderr);
        if let Some(value) = hidden {
            // A row the sheet hides, below the table: counted it would change the money.
            sheet.rows.push(vec![Cell::Text("omstallning".into()), Cell::Text("Dold".into()), Cell::Number(f64::from(value) / 10.0, "0.0")]);
            sheet.hidden_rows.push(u32::try_from(sheet.rows.len() - 1).unwrap());
        }
        for (extension, bytes) in [("xlsx", sheet.xlsx()), ("ods", sheet.ods())] {
            let name = format!("plan.{extension}");
            let run = run_named(&name, &bytes, &args, &[]);
            if refused || hidden.is_some() {
                prop_assert_eq!(run.code, 2, "{} {}\n{}", extension, csv, run.stdout);
                prop_assert!(run.stdout.is_empty());
            } else {
                prop_assert_eq!(run.code, twin.code, "{} {}\n{}", extension, csv, run.stderr);
                prop_assert_eq!(as_csv_twin(&run, "plan"), as_csv_twin(&twin, "plan"));
            }
            if hidden.is_some() && !refused {
                let skipped = run_named(&name, &bytes, &[&args[..], &["--hidden", "skip"]].concat(), &[]);
                prop_assert_eq!(skipped.code, twin.code, "{} {}\n{}", extension, csv, skipped.stderr);
                prop_assert_eq!(as_csv_twin(&skipped, "plan"), as_csv_twin(&twin, "plan"));
            }
        }
    }
}

/// Inputs the workbook fuzz targets found: each once panicked or ran forever in the reader of
/// values (calamine), which now never sees them.
#[test]
fn workbooks_the_fuzzers_found_are_refused_at_once() {
    let plan = Sheet::from_csv(PLAN_CSV, 2).xlsx();
    // A cell reference of more letters than any column (its column overflowed).
    let long =
        with_part(&plan, "xl/worksheets/sheet1.xml", |xml| xml.replacen(r#"r="B1""#, r#"r="TTTTTTTTTTTTTTB1""#, 1));
    assert_refused(&check("plan.xlsx", &long, &[]), &["plan.xlsx, sheet Blad1: is damaged", "`TTTTTTTTTTTTTTB1`"]);
    // A dimension whose last cell comes before its first (its size underflowed).
    let backwards = with_part(&plan, "xl/worksheets/sheet1.xml", |xml| {
        let at = xml.find("<dimension ref=\"").unwrap() + "<dimension ref=\"".len();
        let end = at + xml[at..].find('"').unwrap();
        format!("{}C22:A1{}", &xml[..at], &xml[end..])
    });
    assert_refused(&check("plan.xlsx", &backwards, &[]), &["is damaged: it declares the range C22:A1"]);
    // An .ods cut short inside its table (read on forever).
    let ods = Sheet::from_csv(PLAN_CSV, 2).ods();
    let cut = with_part(&ods, "content.xml", |xml| xml[..xml.find("</table:table>").unwrap()].to_string());
    let started = std::time::Instant::now();
    assert_refused(
        &check("plan.ods", &cut, &[]),
        // The limits' scan, before the library, finds it first.
        &["plan.ods, sheet Blad1: is damaged: its table never ends (content.xml stops inside it)"],
    );
    // A text cell whose end tag is broken swallows the end of a table inside it: the sheet's
    // own table is never closed (read on forever).
    let text = Sheet { rows: vec![vec![Cell::Text("a".into()), Cell::Text("b".into())]], ..Sheet::default() }.ods();
    let swallowed = with_part(&text, "content.xml", |xml| {
        xml.replacen(
            "</table:table-cell></table:table-row></table:table>",
            "</table:cellx><table:table/><table:table-cell/></table:table-row>",
            1,
        )
    });
    assert_refused(&check("plan.ods", &swallowed, &[]), &["plan.ods, sheet Blad1: is damaged: its table never ends"]);
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn a_broken_xls_is_refused_before_it_is_read() {
    let plan = std::fs::read(common::data("plan-two-decimals.xls")).unwrap();
    // Cut short: a sector of the compound file lies past its end.
    let cut = &plan[..plan.len() - 700];
    assert_refused(
        &check("plan.xls", cut, &[]),
        // The limits' scan, before the library, finds it first.
        &["plan.xls: is damaged: its directory is cut short"],
    );
    // A text cell in column 32 770 of a sheet that has 256: read as it stands, the stray cell
    // would make every place between it and the table a cell, gigabytes of them.
    let label = [0xFD, 0x00, 0x0A, 0x00];
    let at = plan.windows(4).enumerate().filter(|(_, window)| *window == label).nth(1).unwrap().0;
    let mut stray = plan.clone();
    stray[at + 6..at + 8].copy_from_slice(&[0x01, 0x80]);
    assert_refused(&check("plan.xls", &stray, &[]), &["has a cell in column 32770, past the 256 columns of an .xls"]);
}
