//! Any bytes as an Excel 97–2003 (`.xls`) workbook, read as every command reads a workbook
//! (the first byte picks `--hidden` and whether the sheet is named). The compound file and its
//! BIFF records are read by fordela for the look and by calamine for the values: no input may
//! panic or run away; an error must name the file.
#![no_main]

use fordela::io::sheet::{Hidden, read_sheet, set_hidden};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else { return };
    set_hidden(match mode % 3 {
        0 => None,
        1 => Some(Hidden::Include),
        _ => Some(Hidden::Skip),
    });
    // The look alone, on every input: fordela's own reader of the compound file.
    let _ = fordela::io::sheet::xls::look(bytes, "Blad1");
    let sheet = if mode & 0x80 == 0 { None } else { Some("Blad1") };
    if let Err(err) = read_sheet("fuzz.xls", bytes, sheet, "an Excel 97-2003 workbook") {
        assert!(err.file.starts_with("fuzz.xls"), "{err}");
    }
});
