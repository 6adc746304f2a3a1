//! The native charts of the allocation, follow-up and report workbooks: each on a chart sheet
//! of its own after the table it reads, its series ranges naming exactly the table's cells
//! (never figures of its own). The expected ranges are worked out here from the inputs (the 21
//! regions of the population table, the plan's interventions per area) and the sheets' layout,
//! and the cells they name are read back to be the regions' and areas' figures.

use calamine::Reader;
use std::io::Read;
use std::path::Path;

use crate::common::{bundled_counties, fordela_in, temp_files};
use crate::read_back::{open_file, sheet, text};

const PLAN: &str = "examples/jamtland-harjedalen-2019.toml";
const OUTCOME: &str = "examples/jamtland-harjedalen-2019-utfall.csv";

/// A part of the workbook, as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap_or_else(|err| panic!("{name}: {err}")).read_to_string(&mut text).unwrap();
    text
}

/// Every `<c:f>` formula of the chart, in order: per series its name, categories, values.
fn chart_formulas(chart: &str) -> Vec<String> {
    chart.split("<c:f>").skip(1).map(|rest| rest[..rest.find("</c:f>").unwrap()].replace("&apos;", "'")).collect()
}

/// Column letter of a 0-based column below 26.
fn letter(column: usize) -> char {
    char::from(b'A' + u8::try_from(column).unwrap())
}

/// Runs fordela in a fresh directory holding the examples (by absolute path) and returns it.
fn run(args: &[&str], out: &str) -> tempfile::TempDir {
    let dir = temp_files(&[]);
    let here = env!("CARGO_MANIFEST_DIR");
    let args: Vec<String> = args
        .iter()
        .map(|arg| if arg.starts_with("examples/") { format!("{here}/{arg}") } else { (*arg).to_string() })
        .chain(["-o".to_string(), out.to_string()])
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = fordela_in(dir.path(), &args, None);
    assert!(run.code <= 1, "{}", run.stderr);
    dir
}

#[test]
fn the_allocation_workbook_charts_each_region_s_total_from_the_total_column() {
    let dir = run(&["allocate"], "a.xlsx");
    let path = dir.path().join("a.xlsx");
    let regions = bundled_counties("2018-12-31").len();
    assert_eq!(regions, 21);
    // Title on row 1, header on row 2, the regions from row 3; columns code, region,
    // population, share, the agreement's three areas, then the total.
    let (first, last) = (3, 2 + regions);
    let total = letter(4 + 3);
    assert_eq!(
        chart_formulas(&part(&path, "xl/charts/chart1.xml")),
        [
            format!("Allocation!${total}$2"),
            format!("Allocation!$B${first}:$B${last}"),
            format!("Allocation!${total}${first}:${total}${last}")
        ]
    );
    let mut book = open_file(&path);
    assert_eq!(book.sheet_names(), ["Allocation", "Chart", "Notes"]);
    let (values, _) = sheet(&mut book, "Allocation");
    assert_eq!(text(&values, 1, 7), "Total (kr)");
    let counties = bundled_counties("2018-12-31");
    assert_eq!(text(&values, 2, 1), counties[0].1, "the first bar is the first region");
    assert_eq!(text(&values, u32::try_from(last - 1).unwrap(), 1), counties[regions - 1].1);
    // The set-aside row just below the regions is not charted.
    assert_eq!(text(&values, u32::try_from(last).unwrap(), 1), "SKR (set aside)");
    // The chart sheet prints on A4, landscape.
    let page = part(&path, "xl/chartsheets/sheet1.xml");
    assert!(page.contains(r#"paperSize="9""#) && page.contains(r#"orientation="landscape""#), "{page}");
}

#[test]
fn a_municipal_allocation_has_no_chart_of_its_290_bars() {
    let dir = run(&["allocate", "--nested"], "m.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(dir.path().join("m.xlsx")).unwrap()).unwrap();
    assert!(zip.by_name("xl/charts/chart1.xml").is_err());
}

/// The plan's interventions per area, counted from the plan file itself.
fn interventions_per_area() -> Vec<usize> {
    let plan: toml::Value = toml::from_str(&std::fs::read_to_string(PLAN).unwrap()).unwrap();
    plan["areas"].as_array().unwrap().iter().map(|area| area["interventions"].as_array().unwrap().len()).collect()
}

#[test]
fn the_follow_up_workbook_charts_budget_against_outcome_from_the_areas_subtotals() {
    let dir = run(&["follow-up", PLAN, OUTCOME, "--object", "9916", "--until", "2019-12-31"], "f.xlsx");
    let path = dir.path().join("f.xlsx");
    // Two title lines (the files, then the object and date), the header on row 3, the
    // interventions from row 4, each area's subtotal after its interventions.
    let counts = interventions_per_area();
    assert_eq!(counts, [5, 4, 5]);
    let mut rows = Vec::new();
    let mut next = 4;
    for count in counts {
        next += count;
        rows.push(next);
        next += 1;
    }
    let cells = |column: char| {
        let cells: Vec<String> = rows.iter().map(|row| format!("'Follow-up'!${column}${row}")).collect();
        format!("({})", cells.join(","))
    };
    assert_eq!(
        chart_formulas(&part(&path, "xl/charts/chart1.xml")),
        [
            "'Follow-up'!$C$3".to_string(),
            cells('A'),
            cells('C'),
            "'Follow-up'!$D$3".to_string(),
            cells('A'),
            cells('D')
        ]
    );
    assert!(part(&path, "xl/charts/chart1.xml").contains(r#"<c:barDir val="bar"/><c:grouping val="clustered"/>"#));
    let mut book = open_file(&path);
    assert_eq!(book.sheet_names(), ["Follow-up", "Chart", "Not counted", "Findings", "Notes"]);
    let (values, _) = sheet(&mut book, "Follow-up");
    assert_eq!(text(&values, 2, 2), "Budget (mkr)");
    assert_eq!(text(&values, 2, 3), "Outcome (mkr)");
    for (row, id) in rows.iter().zip(["omstallning", "tillganglighet", "patientkontrakt"]) {
        let row = u32::try_from(row - 1).unwrap();
        assert_eq!(text(&values, row, 0), id);
        assert_eq!(text(&values, row, 1), "Area total");
    }
}

#[test]
fn the_report_workbook_charts_plan_against_outcome_from_the_summary_rows() {
    let dir = run(&["report", PLAN, OUTCOME, "--object", "9916", "--until", "2019-12-31"], "r.xlsx");
    let path = dir.path().join("r.xlsx");
    let mut book = open_file(&path);
    assert_eq!(book.sheet_names(), ["Redovisning", "Diagram", "Uppföljning", "Ej räknade", "Avvikelser", "Underlag"]);
    let (values, _) = sheet(&mut book, "Redovisning");
    // The header is found by its words; the agreement's three areas follow it.
    let header = (0..20).find(|&row| {
        values.get_value((row, 3)).is_some_and(|cell| *cell == calamine::Data::String("Plan (mkr)".into()))
    });
    let header = header.expect("the summary's header") + 1;
    let (first, last) = (header + 1, header + 3);
    assert_eq!(
        chart_formulas(&part(&path, "xl/charts/chart1.xml")),
        [
            format!("Redovisning!$D${header}"),
            format!("Redovisning!$B${first}:$B${last}"),
            format!("Redovisning!$D${first}:$D${last}"),
            format!("Redovisning!$E${header}"),
            format!("Redovisning!$B${first}:$B${last}"),
            format!("Redovisning!$E${first}:$E${last}"),
        ]
    );
    assert_eq!(text(&values, header - 1, 4), "Utfall (mkr)");
    assert_eq!(text(&values, first - 1, 1), "Omställning till god och nära vård");
    assert_eq!(text(&values, last, 0), "Totalt", "the total row is not charted");
    // A report of the plan alone has nothing to set against it: no chart.
    let dir = run(&["report", PLAN], "p.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(dir.path().join("p.xlsx")).unwrap()).unwrap();
    assert!(zip.by_name("xl/charts/chart1.xml").is_err());
}
