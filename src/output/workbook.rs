//! Workbooks (`.xlsx`): the pieces every command's workbook is made of. A sheet is a title,
//! typed columns (text, money, count, percent), rows of values, and optionally a total row of
//! live `SUM`s down the summed columns and a column of `SUM`s across each row. A command's
//! workbook renderer fills sheets from its result value and calls `write` (or
//! `write_with_charts`, for native bar charts on chart sheets that read a table's cells);
//! nothing here computes a figure, but every figure is checked before it is written.
//!
//! Exactness. A spreadsheet stores a number as a binary float (f64) and shows at most 15
//! significant digits. Every decimal of at most 15 significant digits survives the trip to the
//! nearest f64 and back (that is what the 15 of `DBL_DIG` means), so a number cell is written
//! as the nearest f64 of its exact decimal and shows that decimal exactly at its column's
//! decimals; whole kronor stay whole numbers. A value with more significant digits is an
//! error, never a rounded number. A `SUM` is recomputed by the spreadsheet in binary floating
//! point: a sum of whole numbers below 10^15 is exact; a sum of `n` decimals whose magnitudes
//! add up to `T` at `d` decimals is off by at most `n · 2^-53 · T`, which is below half the last
//! decimal when `n · T · 10^d < 2^52`: checked per summed column, an error when it fails. The
//! formulas' cached results are the exact totals of the result value, for readers that do not
//! recalculate.

use crate::io::input::InputHash;
use crate::lang::Lang;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartRange, ChartType, DocProperties, ExcelDateTime, Format, Formula, Workbook,
    Worksheet, XlsxError, cell_range, row_col_to_cell,
};
use std::ops::Range;

/// The most significant digits of a number cell: what a spreadsheet shows, and what an f64
/// carries exactly through decimal text.
pub const MAX_DIGITS: u32 = 15;

/// The rows of a worksheet.
const MAX_ROWS: usize = 1_048_576;

/// What a column holds, and how its numbers are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, also in a cell typed over later (`01` stays `01`).
    Text,
    /// Money with this many decimals (as many as exactness needs), thousands grouped.
    Money { decimals: u32 },
    /// A whole count (population, a line number).
    Count,
    /// A fraction of 1, shown as a percentage with this many decimals.
    Percent { decimals: u32 },
}

impl Kind {
    /// Decimals of the cell's value (a percentage's value has two more than it shows).
    fn value_decimals(self) -> u32 {
        match self {
            Kind::Text | Kind::Count => 0,
            Kind::Money { decimals } => decimals,
            Kind::Percent { decimals } => decimals + 2,
        }
    }

    /// The number format, written as the file stores it (`,` groups, `.` decimals); a
    /// spreadsheet in a Swedish locale shows `#,##0.0` as `1 234,5`.
    fn number_format(self) -> String {
        let decimals = |count: u32| {
            if count == 0 { String::new() } else { format!(".{}", "0".repeat(count as usize)) }
        };
        match self {
            Kind::Text => "@".to_string(),
            Kind::Money { decimals: count } => format!("#,##0{}", decimals(count)),
            Kind::Count => "#,##0".to_string(),
            Kind::Percent { decimals: count } => format!("0{}%", decimals(count)),
        }
    }
}

/// One column: its header, its kind, and which sums it takes part in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub kind: Kind,
    /// Summed down in the total row.
    pub summed: bool,
    /// Each row's cell is the `SUM` of these columns of the row.
    pub sum_of: Option<Range<usize>>,
}

impl Column {
    #[must_use]
    pub fn text(header: impl Into<String>) -> Column {
        Column { header: header.into(), kind: Kind::Text, summed: false, sum_of: None }
    }

    /// Money, summed down in the total row.
    #[must_use]
    pub fn money(header: impl Into<String>, decimals: u32) -> Column {
        Column { header: header.into(), kind: Kind::Money { decimals }, summed: true, sum_of: None }
    }

    /// Money shown as is, never summed (a difference, a declared total).
    #[must_use]
    pub fn money_unsummed(header: impl Into<String>, decimals: u32) -> Column {
        Column { summed: false, ..Column::money(header, decimals) }
    }

    #[must_use]
    pub fn count(header: impl Into<String>, summed: bool) -> Column {
        Column { header: header.into(), kind: Kind::Count, summed, sum_of: None }
    }

    #[must_use]
    pub fn percent(header: impl Into<String>, decimals: u32) -> Column {
        Column { header: header.into(), kind: Kind::Percent { decimals }, summed: true, sum_of: None }
    }

    /// This column's cells are `SUM`s of `columns` across each row.
    #[must_use]
    pub fn sum_of(mut self, columns: Range<usize>) -> Column {
        self.sum_of = Some(columns);
        self
    }
}

/// One cell's value, exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Number(Decimal),
    Empty,
    /// A live formula over other cells of the sheet, with its exact value as the cached
    /// result (checked to be what the formula computes).
    Live(Live, Decimal),
}

/// A formula a cell holds, by the cells it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// `SUM` of the cell's own column over these rows (indices into `Sheet::rows`): a subtotal
    /// of some rows, not of a range, written as exactly the cells it adds.
    SumOfRows(Vec<usize>),
    /// The cell's own row: column `minuend` minus column `subtrahend`.
    Difference { minuend: usize, subtrahend: usize },
}

impl Value {
    pub fn text(text: impl Into<String>) -> Value {
        Value::Text(text.into())
    }

    fn number(&self) -> Option<Decimal> {
        match self {
            Value::Number(number) | Value::Live(_, number) => Some(*number),
            _ => None,
        }
    }
}

/// A sheet: title lines, the table, and lines below it.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    /// Lines above the table, the first in bold (what the sheet is: the agreement, the unit).
    pub title: Vec<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    /// The total row as the result gives it: text cells as they are; in summed columns, the
    /// exact totals, written as `SUM` formulas with these as their cached results (and
    /// checked to be the sums of the cells above).
    pub total: Option<Vec<Value>>,
    /// Lines below the table.
    pub footer: Vec<String>,
}

/// One finding as a row of a findings sheet: its stable id, its severity in words, the
/// command's own columns (area, place) and its message.
pub struct FindingRow {
    pub id: String,
    pub severity: String,
    pub own: Vec<Value>,
    pub message: String,
}

impl Sheet {
    /// The findings sheet of every command's workbook: No., Id, Severity, the command's `own`
    /// columns, Message; one finding a row, and `none` below the header when there is none.
    #[must_use]
    pub fn findings(lang: Lang, title: String, own: Vec<Column>, rows: Vec<FindingRow>, none: &str) -> Sheet {
        let mut columns = vec![
            Column::count(lang.pick("Nr", "No."), false),
            Column::text("Id"),
            Column::text(lang.pick("Allvarlighet", "Severity")),
        ];
        columns.extend(own);
        columns.push(Column::text(lang.pick("Meddelande", "Message")));
        let footer = if rows.is_empty() { vec![none.to_string()] } else { Vec::new() };
        Sheet {
            name: lang.pick("Avvikelser", "Findings").to_string(),
            title: vec![title],
            columns,
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(index, row)| {
                    let mut cells =
                        vec![Value::Number(Decimal::from(index + 1)), Value::Text(row.id), Value::Text(row.severity)];
                    cells.extend(row.own);
                    cells.push(Value::Text(row.message));
                    cells
                })
                .collect(),
            total: None,
            footer,
        }
    }

    /// A sheet of two text columns, label and value: notes, sources, hashes.
    #[must_use]
    pub fn pairs(name: &str, title: String, lang: Lang, pairs: Vec<(String, String)>) -> Sheet {
        Sheet {
            name: name.to_string(),
            title: vec![title],
            columns: vec![Column::text(lang.pick("Uppgift", "Item")), Column::text(lang.pick("Värde", "Value"))],
            rows: pairs.into_iter().map(|(label, value)| vec![Value::Text(label), Value::Text(value)]).collect(),
            total: None,
            footer: Vec::new(),
        }
    }

    /// The row of the sheet (0-based) the table's header is on.
    #[must_use]
    pub fn header_row(&self) -> usize {
        self.title.len()
    }
}

/// `sv` or `en`, for labels with figures in them (`Lang::pick` takes only fixed words).
pub fn choose<T>(lang: Lang, sv: T, en: T) -> T {
    match lang {
        Lang::Sv => sv,
        Lang::En => en,
    }
}

/// `mantissa × 10^-scale` as a number cell. A value no `Decimal` holds becomes `Decimal::MAX`,
/// which no cell fits: an error when the sheet is checked, never a wrong figure.
#[must_use]
pub fn number(mantissa: u128, scale: u32) -> Value {
    let exact = i128::try_from(mantissa).ok().and_then(|m| Decimal::try_from_i128_with_scale(m, scale).ok());
    Value::Number(exact.unwrap_or(Decimal::MAX))
}

/// Why a workbook cannot be written exactly.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error(
        "sheet {sheet}, cell {cell}: {value} has more than {MAX_DIGITS} significant digits at {decimals} decimal(s), \
         more than a spreadsheet shows or stores exactly; show the amounts in another unit (--unit), or write CSV \
         or JSON, which keep every digit"
    )]
    TooManyDigits { sheet: String, cell: String, value: Decimal, decimals: u32 },
    #[error(
        "sheet {sheet}, column {column}: a spreadsheet adds these {count} amounts as binary floats, and at {decimals} \
         decimal(s) their sum could be off in the last decimal; show them in another unit (--unit), or write CSV or \
         JSON"
    )]
    SumNotExact { sheet: String, column: String, count: usize, decimals: u32 },
    #[error("sheet {sheet}: {rows} rows do not fit in a worksheet (at most {MAX_ROWS}); write CSV instead")]
    TooManyRows { sheet: String, rows: usize },
    #[error(
        "sheet {sheet}, cell {cell}: the total {given} is not the sum {sum} of its cells (a bug: please report it)"
    )]
    Inconsistent { sheet: String, cell: String, given: Decimal, sum: String },
    #[error(
        "sheet {sheet}, cell {cell}: the formula adding {count} cells is longer than a spreadsheet takes; write CSV \
         or JSON instead"
    )]
    FormulaTooLong { sheet: String, cell: String, count: usize },
    #[error("writing the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// The workbook of `sheets`, in order, as the bytes of an `.xlsx` file.
///
/// A workbook says when it was made (its document properties, to the second); with
/// `SOURCE_DATE_EPOCH` set (seconds since 1970, the reproducible-builds convention) it says that
/// moment instead, so that the same inputs make the same bytes at any time.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>, WorkbookError> {
    write_with_charts(sheets, &[])
}

/// A native bar chart on a sheet of its own (a chart sheet), right after the sheet whose table
/// it reads. It holds no figure: its series are ranges of that table's cells, so it shows what
/// the cells hold, also after a cell is changed. A sheet of its own prints on a page of its own
/// and leaves the table's fitted print width as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartSheet {
    /// The chart sheet's tab.
    pub name: String,
    /// The chart's title.
    pub title: String,
    /// The sheet it reads, an index into the workbook's sheets.
    pub sheet: usize,
    /// The table's rows it shows (indices into `Sheet::rows`), in order: one bar, or one bar
    /// per series, each.
    pub rows: Vec<usize>,
    /// The column of the rows' labels.
    pub categories: usize,
    /// The columns drawn, one series each, named by their header cell.
    pub series: Vec<usize>,
}

/// The workbook of `sheets`, with the `charts` that read them, as the bytes of an `.xlsx` file.
pub fn write_with_charts(sheets: &[Sheet], charts: &[ChartSheet]) -> Result<Vec<u8>, WorkbookError> {
    let mut workbook = Workbook::new();
    if let Some(made) = source_date_epoch() {
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&made));
    }
    for (index, sheet) in sheets.iter().enumerate() {
        check(sheet)?;
        let worksheet = workbook.add_worksheet();
        fill(worksheet, sheet)?;
        for chart in charts.iter().filter(|chart| chart.sheet == index) {
            let drawn = bar_chart(sheet, chart)?;
            let chartsheet = workbook.add_chartsheet();
            chartsheet.set_name(&chart.name)?;
            chartsheet.set_paper_size(9);
            chartsheet.set_landscape();
            chartsheet.insert_chart(0, 0, &drawn)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// The cells of column `column` on `rows` of `sheet`'s table, as a chart's range: one range
/// where the rows are adjacent, else a list of cells.
fn chart_range(sheet: &Sheet, rows: &[usize], column: usize) -> ChartRange {
    let first = sheet.header_row() + 1;
    let adjacent = rows.windows(2).all(|pair| pair[0] + 1 == pair[1]);
    match (rows.first(), rows.last()) {
        (Some(&start), Some(&end)) if adjacent => ChartRange::new_from_range(
            &sheet.name,
            row_number(first + start),
            column_number(column),
            row_number(first + end),
            column_number(column),
        ),
        _ => {
            let name = quoted_sheet(&sheet.name);
            let cells: Vec<String> = rows
                .iter()
                .map(|&row| {
                    let cell = row_col_to_cell(row_number(first + row), column_number(column));
                    format!("{name}!{}", absolute(&cell))
                })
                .collect();
            ChartRange::new_from_string(&format!("=({})", cells.join(",")))
        }
    }
}

/// `'Ej räknade'` as a formula names a sheet: quoted, its quotes doubled.
fn quoted_sheet(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// `C7` as `$C$7`.
fn absolute(cell: &str) -> String {
    let split = cell.find(|c: char| c.is_ascii_digit()).unwrap_or(cell.len());
    format!("${}${}", &cell[..split], &cell[split..])
}

/// Horizontal bars (clustered where there are several series), the first row at the top, the
/// values' axis in the first series' number format.
fn bar_chart(sheet: &Sheet, spec: &ChartSheet) -> Result<Chart, WorkbookError> {
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name(&spec.title);
    let header = row_number(sheet.header_row());
    for &column in &spec.series {
        chart
            .add_series()
            .set_name((sheet.name.as_str(), header, column_number(column)))
            .set_categories(&chart_range(sheet, &spec.rows, spec.categories))
            .set_values(&chart_range(sheet, &spec.rows, column))
            .set_gap(60);
    }
    // Whole amounts grouped as in the table; amounts with decimals as few as the axis' steps
    // need (`General`), not every decimal of the cells (`2,00000`).
    let whole = spec.series.iter().all(|&column| {
        sheet.columns.get(column).is_some_and(|spec| matches!(spec.kind, Kind::Money { decimals: 0 } | Kind::Count))
    });
    chart.x_axis().set_num_format(if whole { "#,##0" } else { "General" });
    chart.y_axis().set_reverse();
    if spec.series.len() > 1 {
        chart.legend().set_position(ChartLegendPosition::Top);
    } else {
        chart.legend().set_hidden();
    }
    chart.validate()?;
    Ok(chart)
}

/// `SOURCE_DATE_EPOCH` as a moment, when it is set to whole seconds a workbook can show.
fn source_date_epoch() -> Option<ExcelDateTime> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    ExcelDateTime::from_timestamp(seconds).ok()
}

/// Column `column`, row `row` (0-based) as `C7`.
fn cell_name(row: usize, column: usize) -> String {
    row_col_to_cell(row_number(row), column_number(column))
}

// Rows and columns are checked against the sheet's limits (`check`) before they are narrowed.
#[allow(clippy::cast_possible_truncation)]
fn row_number(row: usize) -> u32 {
    row as u32
}

#[allow(clippy::cast_possible_truncation)]
fn column_number(column: usize) -> u16 {
    column as u16
}

/// Every number fits its cell exactly, every total is the sum of its cells, and every summed
/// column sums exactly in binary floating point.
fn check(sheet: &Sheet) -> Result<(), WorkbookError> {
    let first = sheet.header_row() + 1;
    let rows = first + sheet.rows.len() + usize::from(sheet.total.is_some()) + 1 + sheet.footer.len();
    if rows > MAX_ROWS || sheet.columns.len() > 16_384 {
        return Err(WorkbookError::TooManyRows { sheet: sheet.name.clone(), rows });
    }
    let all_rows = sheet.rows.iter().chain(&sheet.total).enumerate();
    for (offset, row) in all_rows {
        for (column, (value, spec)) in row.iter().zip(&sheet.columns).enumerate() {
            if let Some(number) = value.number() {
                fits(number, spec.kind.value_decimals()).map_err(|decimals| WorkbookError::TooManyDigits {
                    sheet: sheet.name.clone(),
                    cell: cell_name(first + offset, column),
                    value: number,
                    decimals,
                })?;
            }
        }
    }
    let inconsistent = |row: usize, column: usize, given: Decimal, sum: Option<Decimal>| WorkbookError::Inconsistent {
        sheet: sheet.name.clone(),
        cell: cell_name(row, column),
        given,
        sum: sum.map_or_else(|| "(too large)".to_string(), |sum| sum.to_string()),
    };
    check_live(sheet)?;
    for (column, spec) in sheet.columns.iter().enumerate() {
        let decimals = spec.kind.value_decimals();
        if let Some(range) = &spec.sum_of {
            for (offset, row) in sheet.rows.iter().chain(&sheet.total).enumerate() {
                let Some(given) = row.get(column).and_then(Value::number) else { continue };
                let cells: Vec<Decimal> = row[range.clone()].iter().filter_map(Value::number).collect();
                let sum = exact_sum(&cells);
                if sum != Some(given) {
                    return Err(inconsistent(first + offset, column, given, sum));
                }
                sums_exactly(&cells, decimals).map_err(|()| WorkbookError::SumNotExact {
                    sheet: sheet.name.clone(),
                    column: spec.header.clone(),
                    count: cells.len(),
                    decimals,
                })?;
            }
        }
        if !spec.summed {
            continue;
        }
        let Some(given) = sheet.total.as_ref().and_then(|total| total.get(column)).and_then(Value::number) else {
            continue;
        };
        let cells: Vec<Decimal> = sheet.rows.iter().filter_map(|row| row.get(column).and_then(Value::number)).collect();
        let sum = exact_sum(&cells);
        if sum != Some(given) {
            return Err(inconsistent(first + sheet.rows.len(), column, given, sum));
        }
        sums_exactly(&cells, decimals).map_err(|()| WorkbookError::SumNotExact {
            sheet: sheet.name.clone(),
            column: spec.header.clone(),
            count: cells.len(),
            decimals,
        })?;
    }
    Ok(())
}

/// Every live formula's cached value is what it computes from the cells it reads, exactly,
/// and in binary floating point too; and its text fits a cell.
fn check_live(sheet: &Sheet) -> Result<(), WorkbookError> {
    let first = sheet.header_row() + 1;
    // The total row too: a formula there is checked like any other.
    for (offset, row) in sheet.rows.iter().chain(&sheet.total).enumerate() {
        for (column, value) in row.iter().enumerate() {
            let Value::Live(live, given) = value else { continue };
            let decimals = sheet.columns.get(column).map_or(0, |spec| spec.kind.value_decimals());
            let cell = |row: &Vec<Value>, column: usize| row.get(column).and_then(Value::number);
            let (cells, result) = match live {
                Live::SumOfRows(rows) => {
                    let cells: Vec<Decimal> = rows
                        .iter()
                        .filter_map(|&index| sheet.rows.get(index))
                        .filter_map(|row| cell(row, column))
                        .collect();
                    let all = cells.len() == rows.len() && rows.iter().all(|&index| index != offset);
                    let sum = if all { exact_sum(&cells) } else { None };
                    (cells, sum)
                }
                Live::Difference { minuend, subtrahend } => match (cell(row, *minuend), cell(row, *subtrahend)) {
                    (Some(a), Some(b)) => (vec![a, b], a.checked_sub(b)),
                    _ => (Vec::new(), None),
                },
            };
            if result != Some(*given) {
                return Err(WorkbookError::Inconsistent {
                    sheet: sheet.name.clone(),
                    cell: cell_name(first + offset, column),
                    given: *given,
                    sum: result.map_or_else(|| "(too large)".to_string(), |sum| sum.to_string()),
                });
            }
            let magnitudes: Vec<Decimal> = cells.iter().map(Decimal::abs).collect();
            sums_exactly(&magnitudes, decimals).map_err(|()| WorkbookError::SumNotExact {
                sheet: sheet.name.clone(),
                column: sheet.columns.get(column).map_or_else(String::new, |spec| spec.header.clone()),
                count: cells.len(),
                decimals,
            })?;
            if let Live::SumOfRows(rows) = live {
                if formula_text(first, column, rows).len() > MAX_FORMULA {
                    return Err(WorkbookError::FormulaTooLong {
                        sheet: sheet.name.clone(),
                        cell: cell_name(first + offset, column),
                        count: rows.len(),
                    });
                }
            }
        }
    }
    Ok(())
}

/// The characters a spreadsheet takes in one formula.
const MAX_FORMULA: usize = 8_192;

/// The arguments a spreadsheet function takes.
const MAX_ARGUMENTS: usize = 255;

/// `=SUM(…)` of column `column` over `rows` (indices of data rows starting at sheet row
/// `first`): each run of adjacent rows one range, and more than a function takes nested.
fn formula_text(first: usize, column: usize, rows: &[usize]) -> String {
    let mut sorted = rows.to_vec();
    sorted.sort_unstable();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for row in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == row => *end = row,
            _ => runs.push((row, row)),
        }
    }
    let at_column = column_number(column);
    let arguments: Vec<String> = runs
        .iter()
        .map(|&(start, end)| {
            if start == end {
                cell_name(first + start, column)
            } else {
                cell_range(row_number(first + start), at_column, row_number(first + end), at_column)
            }
        })
        .collect();
    if arguments.len() <= MAX_ARGUMENTS {
        return format!("=SUM({})", arguments.join(","));
    }
    let parts: Vec<String> = arguments.chunks(MAX_ARGUMENTS).map(|chunk| format!("SUM({})", chunk.join(","))).collect();
    format!("=SUM({})", parts.join(","))
}

fn exact_sum(cells: &[Decimal]) -> Option<Decimal> {
    cells.iter().try_fold(Decimal::ZERO, |sum, cell| sum.checked_add(*cell))
}

/// `value`'s mantissa at `decimals` decimals, if it has no more decimals than that.
fn mantissa_at(value: Decimal, decimals: u32) -> Option<u128> {
    let value = value.normalize();
    let scale = value.scale();
    let up = decimals.checked_sub(scale)?;
    value.mantissa().unsigned_abs().checked_mul(10u128.checked_pow(up)?)
}

/// Whether `value` is shown exactly at `decimals` decimals in at most `MAX_DIGITS` significant
/// digits; the error is the decimals it was to be shown with.
fn fits(value: Decimal, decimals: u32) -> Result<(), u32> {
    match mantissa_at(value, decimals) {
        Some(mantissa) if mantissa < 10u128.pow(MAX_DIGITS) => Ok(()),
        _ => Err(decimals),
    }
}

/// Whether a spreadsheet's floating-point `SUM` of `cells` shows their exact sum at `decimals`
/// decimals (see the module's note).
fn sums_exactly(cells: &[Decimal], decimals: u32) -> Result<(), ()> {
    let total = cells.iter().try_fold(0u128, |sum, &cell| {
        mantissa_at(cell, decimals).and_then(|mantissa| sum.checked_add(mantissa)).ok_or(())
    })?;
    if decimals == 0 {
        return if total < 10u128.pow(MAX_DIGITS) { Ok(()) } else { Err(()) };
    }
    let count = u128::try_from(cells.len()).map_err(|_| ())?;
    match count.checked_mul(total) {
        Some(bound) if bound < 1 << 52 => Ok(()),
        _ => Err(()),
    }
}

/// The f64 a number cell holds: the nearest to the exact decimal (Rust's parsing rounds
/// correctly), which `check` has seen has at most `MAX_DIGITS` significant digits.
fn float(value: Decimal) -> f64 {
    value.to_string().parse().unwrap_or(f64::NAN)
}

fn fill(worksheet: &mut Worksheet, sheet: &Sheet) -> Result<(), WorkbookError> {
    worksheet.set_name(&sheet.name)?;
    let bold = Format::new().set_bold();
    for (row, line) in sheet.title.iter().enumerate() {
        let format = if row == 0 { bold.clone().set_font_size(13) } else { Format::new() };
        worksheet.write_string_with_format(row_number(row), 0, line, &format)?;
    }
    let header = sheet.header_row();
    let header_format = Format::new().set_bold().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
    let formats: Vec<Format> =
        sheet.columns.iter().map(|column| Format::new().set_num_format(column.kind.number_format())).collect();
    for (column, spec) in sheet.columns.iter().enumerate() {
        let format = match spec.kind {
            Kind::Text => header_format.clone(),
            _ => header_format.clone().set_align(rust_xlsxwriter::FormatAlign::Right),
        };
        worksheet.write_string_with_format(row_number(header), column_number(column), &spec.header, &format)?;
    }
    let first = header + 1;
    for (offset, row) in sheet.rows.iter().enumerate() {
        write_row(worksheet, sheet, first + offset, row, &formats, false)?;
    }
    let last = first + sheet.rows.len();
    if let Some(total) = &sheet.total {
        let formats: Vec<Format> = formats.iter().map(|format| format.clone().set_bold()).collect();
        write_row(worksheet, sheet, last, total, &formats, true)?;
    }
    let footer = last + usize::from(sheet.total.is_some()) + 1;
    for (offset, line) in sheet.footer.iter().enumerate() {
        worksheet.write_string(row_number(footer + offset), 0, line)?;
    }
    worksheet.set_freeze_panes(row_number(first), 0)?;
    let widths: Vec<f64> = sheet.columns.iter().enumerate().map(|(column, spec)| width(sheet, column, spec)).collect();
    for (column, width) in widths.iter().enumerate() {
        worksheet.set_column_width(column_number(column), *width)?;
    }
    print_setup(worksheet, &widths, header)
}

/// Width units an A4 page holds across in portrait, at the default margins; wider sheets print
/// in landscape.
const PORTRAIT_WIDTH: f64 = 90.0;

/// How a sheet prints: on A4, landscape when its columns are wider than a portrait page, every
/// column on one page's width (never a figure cut across pages), the header row repeated on
/// every page.
fn print_setup(worksheet: &mut Worksheet, widths: &[f64], header: usize) -> Result<(), WorkbookError> {
    const A4: u8 = 9;
    worksheet.set_paper_size(A4);
    if widths.iter().sum::<f64>() > PORTRAIT_WIDTH {
        worksheet.set_landscape();
    }
    worksheet.set_print_fit_to_pages(1, 0);
    worksheet.set_repeat_rows(row_number(header), row_number(header))?;
    Ok(())
}

/// Writes one row; in the total row, summed columns are `SUM`s down the data rows.
fn write_row(
    worksheet: &mut Worksheet,
    sheet: &Sheet,
    row: usize,
    values: &[Value],
    formats: &[Format],
    is_total: bool,
) -> Result<(), WorkbookError> {
    let first = sheet.header_row() + 1;
    let last = first + sheet.rows.len();
    for (column, (value, spec)) in values.iter().zip(&sheet.columns).enumerate() {
        let (at_row, at_column, format) = (row_number(row), column_number(column), &formats[column]);
        let sum = match (&spec.sum_of, is_total && spec.summed) {
            // The total row adds up the column, the total column too: both ways.
            (_, true) if !sheet.rows.is_empty() => {
                Some(cell_range(row_number(first), at_column, row_number(last - 1), at_column))
            }
            (Some(range), _) if !range.is_empty() => {
                Some(cell_range(at_row, column_number(range.start), at_row, column_number(range.end - 1)))
            }
            _ => None,
        };
        match (value, sum) {
            (Value::Live(live, number), _) => {
                let text = match live {
                    Live::SumOfRows(rows) => formula_text(first, column, rows),
                    Live::Difference { minuend, subtrahend } => {
                        format!("={}-{}", cell_name(row, *minuend), cell_name(row, *subtrahend))
                    }
                };
                let formula = Formula::new(text).set_result(number.normalize().to_string());
                worksheet.write_formula_with_format(at_row, at_column, formula, format)?;
            }
            (Value::Number(number), Some(range)) => {
                let formula = Formula::new(format!("=SUM({range})")).set_result(number.normalize().to_string());
                worksheet.write_formula_with_format(at_row, at_column, formula, format)?;
            }
            (Value::Number(number), None) => {
                worksheet.write_number_with_format(at_row, at_column, float(*number), format)?;
            }
            (Value::Text(text), _) => {
                worksheet.write_string_with_format(at_row, at_column, text, format)?;
            }
            (Value::Empty, _) => {}
        }
    }
    Ok(())
}

/// A width that shows every value and the header's longest word (headers wrap).
fn width(sheet: &Sheet, column: usize, spec: &Column) -> f64 {
    let header = &spec.header;
    let longest_word = header.split_whitespace().map(|word| word.chars().count()).max().unwrap_or(0);
    let values = sheet.rows.iter().chain(&sheet.total).filter_map(|row| row.get(column)).map(|value| match value {
        Value::Text(text) => text.chars().count(),
        Value::Number(number) | Value::Live(_, number) => shown_width(*number, spec.kind),
        Value::Empty => 0,
    });
    let widest = values.max().unwrap_or(0).max(longest_word).max(header.chars().count().min(24));
    // Characters to Excel's width units, roughly; text is capped, numbers never cut.
    let cap = if spec.kind == Kind::Text { 70 } else { 40 };
    #[allow(clippy::cast_precision_loss)]
    let width = (widest.min(cap) + 2) as f64;
    width.max(6.0)
}

/// Characters of a number as its format shows it: digits, group spaces, decimals, sign.
fn shown_width(number: Decimal, kind: Kind) -> usize {
    let sign = usize::from(number.is_sign_negative());
    // A percentage shows a hundred times its value, ungrouped, and `%`: 1 is `100.0000%`.
    if let Kind::Percent { decimals } = kind {
        let integer = (number * Decimal::ONE_HUNDRED).abs().trunc().to_string().len();
        return integer + decimals as usize + usize::from(decimals > 0) + 1 + sign;
    }
    let integer = number.abs().trunc().to_string().len();
    let decimals = kind.value_decimals() as usize;
    integer + (integer - 1) / 3 + decimals + usize::from(decimals > 0) + sign
}

/// The name of the notes sheet.
#[must_use]
pub fn notes_sheet_name(lang: Lang) -> &'static str {
    lang.pick("Underlag", "Notes")
}

/// fordela's version and each input's SHA-256, for a workbook's notes sheet.
#[must_use]
pub fn audit_pairs(inputs: &[InputHash], lang: Lang) -> Vec<(String, String)> {
    let mut pairs = vec![(lang.pick("fordela, version", "fordela version").into(), env!("CARGO_PKG_VERSION").into())];
    pairs.extend(inputs.iter().map(|input| (format!("SHA-256: {}", input.label), input.sha256.clone())));
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn fifteen_significant_digits_fit_and_sixteen_do_not() {
        assert_eq!(fits(dec("999999999999999"), 0), Ok(()));
        assert_eq!(fits(dec("1000000000000000"), 0), Err(0));
        assert_eq!(fits(dec("2430.000000"), 6), Ok(()));
        assert_eq!(fits(dec("123456789.123456"), 6), Ok(()), "15 digits, 9 before the point");
        assert_eq!(fits(dec("1234567890.123456"), 6), Err(6), "16 digits");
        assert_eq!(fits(dec("0.1234567"), 6), Err(6), "a digit the format would hide");
        // What fits comes back from the f64 unchanged at its decimals.
        for text in ["97.123456", "0.000001", "999999999.999999", "2430", "19.1"] {
            let value = dec(text);
            assert_eq!(format!("{:.6}", float(value)).parse::<Decimal>().unwrap(), value, "{text}");
        }
    }

    #[test]
    fn a_sum_a_spreadsheet_might_get_wrong_is_refused() {
        assert_eq!(sums_exactly(&[dec("2430000000"), dec("1")], 0), Ok(()));
        assert_eq!(sums_exactly(&[dec("999999999999999"), dec("1")], 0), Err(()));
        let tenths: Vec<Decimal> = (0..30).map(|_| dec("97.1")).collect();
        assert_eq!(sums_exactly(&tenths, 6), Ok(()));
        let large: Vec<Decimal> = (0..30).map(|_| dec("99999999.999999")).collect();
        assert_eq!(sums_exactly(&large, 6), Err(()));
    }

    proptest::proptest! {
        /// No silent pass: a value either fits, and then the f64 written shows exactly its
        /// decimal at the column's decimals, or it is refused.
        #[test]
        fn a_number_cell_is_its_exact_decimal_or_an_error(mantissa in 0u64..100_000_000_000_000_000, scale in 0u32..=8) {
            let value = Decimal::from_i128_with_scale(i128::from(mantissa), scale);
            let decimals = scale as usize;
            match fits(value, scale) {
                Ok(()) => {
                    proptest::prop_assert!(mantissa < 1_000_000_000_000_000);
                    let shown: Decimal = format!("{:.decimals$}", float(value)).parse().unwrap();
                    proptest::prop_assert_eq!(shown, value);
                }
                Err(_) => proptest::prop_assert!(mantissa >= 1_000_000_000_000_000),
            }
        }

        /// A column `sums_exactly` lets through is summed by floating point, in order as a
        /// spreadsheet does, to a value that shows its exact sum at the column's decimals.
        #[test]
        fn a_sum_let_through_shows_its_exact_total(
            mantissas in proptest::collection::vec(0u64..2_000_000_000_000, 1..300),
            decimals in 0u32..=6,
        ) {
            let cells: Vec<Decimal> =
                mantissas.iter().map(|&m| Decimal::from_i128_with_scale(i128::from(m), decimals)).collect();
            if sums_exactly(&cells, decimals).is_ok() {
                let float_sum: f64 = cells.iter().map(|&cell| float(cell)).sum();
                let exact: Decimal = cells.iter().sum();
                let shown: Decimal = format!("{:.width$}", float_sum, width = decimals as usize).parse().unwrap();
                proptest::prop_assert_eq!(shown, exact);
            }
        }
    }

    #[test]
    fn a_column_is_as_wide_as_its_figures_show_percentages_included() {
        // `100.0000%`: a hundred times the value, four decimals and the sign; never `###`.
        assert_eq!(shown_width(dec("1"), Kind::Percent { decimals: 4 }), 9);
        assert_eq!(shown_width(dec("0.229138"), Kind::Percent { decimals: 4 }), 8);
        // `2 430 000 000`: thirteen characters with its group spaces.
        assert_eq!(shown_width(dec("2430000000"), Kind::Money { decimals: 0 }), 13);
        assert_eq!(shown_width(dec("-1.5"), Kind::Money { decimals: 1 }), 4);
    }

    #[test]
    fn a_wide_sheet_prints_landscape_one_page_wide_with_its_header_on_every_page() {
        let sheet = |columns: usize| Sheet {
            name: "S".into(),
            title: vec!["t".into()],
            columns: (0..columns).map(|column| Column::money(format!("column {column}"), 0)).collect(),
            rows: vec![(0..columns).map(|_| Value::Number(dec("1234567890"))).collect()],
            total: None,
            footer: Vec::new(),
        };
        let part = |bytes: &[u8], name: &str| {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            std::io::read_to_string(zip.by_name(name).unwrap()).unwrap()
        };
        let wide = write(&[sheet(9)]).unwrap();
        let page = part(&wide, "xl/worksheets/sheet1.xml");
        assert!(page.contains(r#"paperSize="9""#) && page.contains(r#"orientation="landscape""#), "{page}");
        // Fit to a page (one page wide is the default width, so not written), any pages tall.
        assert!(page.contains(r#"fitToPage="1""#) && page.contains(r#"fitToHeight="0""#), "{page}");
        assert!(part(&wide, "xl/workbook.xml").contains("_xlnm.Print_Titles"), "the header row repeats");
        let narrow = part(&write(&[sheet(2)]).unwrap(), "xl/worksheets/sheet1.xml");
        assert!(!narrow.contains("landscape") && narrow.contains(r#"fitToPage="1""#), "{narrow}");
    }

    #[test]
    fn a_chart_reads_adjacent_rows_as_a_range_and_others_cell_by_cell() {
        let sheet = Sheet {
            name: "Ej rä'knade".into(),
            title: vec!["t".into()],
            columns: vec![Column::text("a"), Column::money_unsummed("b", 0)],
            rows: (0..4).map(|row| vec![Value::Text(format!("r{row}")), Value::Number(Decimal::from(row))]).collect(),
            total: None,
            footer: Vec::new(),
        };
        let chart = |rows: Vec<usize>| {
            let spec =
                ChartSheet { name: "C".into(), title: "T".into(), sheet: 0, rows, categories: 0, series: vec![1] };
            let bytes = write_with_charts(std::slice::from_ref(&sheet), &[spec]).unwrap();
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            std::io::read_to_string(zip.by_name("xl/charts/chart1.xml").unwrap()).unwrap().replace("&apos;", "'")
        };
        // The title on sheet row 1, the header on 2, the rows from 3.
        let adjacent = chart(vec![1, 2]);
        assert!(adjacent.contains("<c:f>'Ej rä''knade'!$B$4:$B$5</c:f>"), "{adjacent}");
        assert!(adjacent.contains("<c:f>'Ej rä''knade'!$B$2</c:f>"), "the series is named by its header: {adjacent}");
        let apart = chart(vec![0, 2]);
        assert!(apart.contains("<c:f>('Ej rä''knade'!$B$3,'Ej rä''knade'!$B$5)</c:f>"), "{apart}");
        assert!(apart.contains("<c:f>('Ej rä''knade'!$A$3,'Ej rä''knade'!$A$5)</c:f>"), "{apart}");
    }

    #[test]
    fn formats_are_written_as_excel_stores_them() {
        assert_eq!(Kind::Money { decimals: 0 }.number_format(), "#,##0");
        assert_eq!(Kind::Money { decimals: 6 }.number_format(), "#,##0.000000");
        assert_eq!(Kind::Percent { decimals: 4 }.number_format(), "0.0000%");
        assert_eq!(Kind::Text.number_format(), "@");
    }

    #[test]
    fn a_total_that_is_not_the_sum_of_its_cells_is_refused() {
        let sheet = Sheet {
            name: "S".into(),
            title: vec!["t".into()],
            columns: vec![Column::text("a"), Column::money("b", 0)],
            rows: vec![
                vec![Value::text("x"), Value::Number(dec("1"))],
                vec![Value::text("y"), Value::Number(dec("2"))],
            ],
            total: Some(vec![Value::text("Total"), Value::Number(dec("4"))]),
            footer: Vec::new(),
        };
        let err = write(&[sheet]).unwrap_err();
        assert!(matches!(&err, WorkbookError::Inconsistent { cell, .. } if cell == "B5"), "{err}");
    }

    fn live_sheet(cached: &str) -> Sheet {
        let row = |name: &str, amount: &str| vec![Value::text(name), Value::Number(dec(amount))];
        Sheet {
            name: "S".into(),
            title: vec!["t".into()],
            columns: vec![Column::text("a"), Column::money_unsummed("b", 1)],
            rows: vec![
                row("x", "1.5"),
                row("y", "2"),
                row("z", "4.1"),
                vec![Value::text("x+z"), Value::Live(Live::SumOfRows(vec![0, 2]), dec(cached))],
            ],
            total: None,
            footer: Vec::new(),
        }
    }

    #[test]
    fn a_live_sum_is_written_over_exactly_its_cells_and_checked() {
        assert!(write(&[live_sheet("5.6")]).is_ok());
        let err = write(&[live_sheet("7.6")]).unwrap_err();
        assert!(matches!(&err, WorkbookError::Inconsistent { cell, .. } if cell == "B6"), "{err}");
        // Rows 0 and 2 of data starting on sheet row 2 (0-based): B3 and B5, never the range.
        assert_eq!(formula_text(2, 1, &[0, 2]), "=SUM(B3,B5)");
        assert_eq!(formula_text(2, 1, &[2, 0, 1]), "=SUM(B3:B5)");
        // More runs than a function takes arguments are nested, never dropped.
        let scattered: Vec<usize> = (0..600).map(|index| index * 2).collect();
        let text = formula_text(1, 0, &scattered);
        assert!(text.starts_with("=SUM(SUM(A2,A4,"), "{text}");
        assert_eq!(text.matches("SUM(").count(), 1 + 3);
        // 600 cells in three SUMs: 597 commas inside them, two between them.
        assert_eq!(text.matches(',').count(), 599, "every cell once");
    }

    #[test]
    fn a_live_difference_reads_its_row() {
        let mut sheet = live_sheet("5.6");
        sheet.columns.push(Column::money_unsummed("c", 1));
        sheet.columns.push(Column::money_unsummed("d", 1));
        for row in &mut sheet.rows {
            row.resize(2, Value::Empty);
        }
        sheet.rows[0].extend([
            Value::Number(dec("0.4")),
            Value::Live(Live::Difference { minuend: 1, subtrahend: 2 }, dec("1.1")),
        ]);
        assert!(write(&[sheet.clone()]).is_ok());
        sheet.rows[0][3] = Value::Live(Live::Difference { minuend: 1, subtrahend: 2 }, dec("1.2"));
        assert!(matches!(write(&[sheet]).unwrap_err(), WorkbookError::Inconsistent { .. }));
    }
}
