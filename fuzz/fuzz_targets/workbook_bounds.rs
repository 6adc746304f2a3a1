//! Any bytes as a workbook (.xlsx, .ods, .xls; told apart by their first bytes), read as a
//! table's sheet, under limits small enough that a breach is quick to reach: the scan against
//! the limits must refuse, or the reader read, without a panic or an abort, within the memory
//! limit the fuzzer is run with.
#![no_main]

use fordela::io::input::ByteSize;
use fordela::io::sheet::read_sheet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fordela::io::limits::set(ByteSize(16 << 20), 200_000, ByteSize(64 << 10));
    let _ = read_sheet("book", data, None, "a workbook");
    let _ = read_sheet("book", data, Some("Blad1"), "a workbook");
});
