//! Reading back the workbooks fordela writes: calamine's cached values and formulas, and a
//! cell's f64 as the exact decimal a spreadsheet shows. Shared by the workbook tests.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};

pub type Book = Xlsx<Cursor<Vec<u8>>>;

pub fn open(bytes: Vec<u8>) -> Book {
    Xlsx::new(Cursor::new(bytes)).expect("a workbook calamine reads")
}

pub fn open_file(path: &Path) -> Book {
    open(std::fs::read(path).unwrap())
}

/// A sheet's cached values and its formulas.
pub fn sheet(book: &mut Book, name: &str) -> (Range<Data>, Range<String>) {
    let values = book.worksheet_range(name).unwrap_or_else(|err| panic!("sheet {name}: {err}"));
    let formulas = book.worksheet_formula(name).unwrap();
    (values, formulas)
}

pub fn cell(range: &Range<Data>, row: u32, column: u32) -> &Data {
    range.get_value((row, column)).unwrap_or(&Data::Empty)
}

pub fn text(range: &Range<Data>, row: u32, column: u32) -> String {
    match cell(range, row, column) {
        Data::String(text) => text.clone(),
        other => panic!("cell ({row}, {column}) is not text: {other:?}"),
    }
}

pub fn number(range: &Range<Data>, row: u32, column: u32) -> f64 {
    match cell(range, row, column) {
        Data::Float(value) => *value,
        other => panic!("cell ({row}, {column}) is not a number: {other:?}"),
    }
}

pub fn formula(formulas: &Range<String>, row: u32, column: u32) -> String {
    formulas.get_value((row, column)).cloned().unwrap_or_default()
}

/// The cell as an exact count of `10^-decimals`: the f64 must be the nearest one to a decimal
/// of `decimals` decimals, the decimal the spreadsheet shows.
pub fn exact(value: f64, decimals: usize) -> i128 {
    let shown = format!("{value:.decimals$}");
    let back: f64 = shown.parse().unwrap();
    assert_eq!(back.to_bits(), value.to_bits(), "{value} is not a {decimals}-decimal number");
    shown.replace('.', "").parse().unwrap()
}
