//! The floor for `benches/ledger_xlsx.sh`: open a workbook's first sheet with calamine and touch
//! every cell (its text's length, or its number), nothing else: no checks, no follow-up. Build
//! with `cargo build --release --example bare_read_xlsx`.

use calamine::{Data, Reader, open_workbook_auto};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: bare_read_xlsx LEDGER.xlsx")?;
    let mut workbook = open_workbook_auto(path)?;
    let sheet = workbook.sheet_names().first().cloned().ok_or("no sheet")?;
    let range = workbook.worksheet_range(&sheet)?;
    // Numbers are only touched (summed as floats, as calamine holds them), never money here.
    let (mut cells, mut bytes, mut sum, mut integers) = (0usize, 0usize, 0f64, 0i64);
    for row in range.rows() {
        for cell in row {
            cells += 1;
            match cell {
                Data::String(text) => bytes += text.len(),
                Data::Float(value) => sum += value,
                Data::Int(value) => integers = integers.wrapping_add(*value),
                Data::DateTime(value) => sum += value.as_f64(),
                _ => {}
            }
        }
    }
    println!("{cells} cells, {bytes} bytes of text, {sum} and {integers} in numbers");
    Ok(())
}
