//! No input buys unbounded work: a workbook is held to what it may unpack to, the cells its
//! sheets may span and store, and a field to its length, each checked before the work is done
//! and each breach exit 2 naming the limit and how to raise it; name hints and rename matching
//! do bounded work whatever the names.
//!
//! The hostile files are built here. Each run is capped (memory, CPU time), so that a
//! regression fails the test (a killed run is not exit 2) instead of taking the machine.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};

use zip::write::SimpleFileOptions;

use crate::common::{Run, temp_files};

/// fordela in `dir`, with at most 1 GiB of memory and 120 s of CPU time.
fn capped(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fordela"));
    command.args(args).current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command.env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "C.UTF-8");
    for (name, value) in env {
        command.env(name, value);
    }
    // SAFETY: setrlimit is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            let memory = libc::rlimit { rlim_cur: 1 << 30, rlim_max: 1 << 30 };
            libc::setrlimit(libc::RLIMIT_AS, &raw const memory);
            let cpu = libc::rlimit { rlim_cur: 120, rlim_max: 120 };
            libc::setrlimit(libc::RLIMIT_CPU, &raw const cpu);
            Ok(())
        });
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        bytes: output.stdout,
    }
}

/// `check` of the plan `name` holding `bytes`, with `extra` arguments.
fn check(name: &str, bytes: &[u8], extra: &[&str]) -> Run {
    let dir = temp_files(&[(name, bytes)]);
    let mut args = vec!["check", name, "-r", "23", "-u", "mkr"];
    args.extend_from_slice(extra);
    capped(dir.path(), &args, &[])
}

/// The stderr of a run refused as bad input (exit 2, nothing on stdout), holding each needle.
fn refused(run: &Run, needles: &[&str]) -> String {
    assert_eq!(run.code, 2, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    for needle in needles {
        assert!(run.stderr.contains(needle), "`{needle}` not in: {}", run.stderr);
    }
    run.stderr.clone()
}

// -------------------------------------------------------------------------------------------
// Workbooks built here

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A zip of `parts`, deflated (the first stored, as `.ods` wants its `mimetype`).
fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (index, (name, bytes)) in parts.iter().enumerate() {
        let method = if index == 0 { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        zip.start_file(*name, SimpleFileOptions::default().compression_method(method)).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An `.xlsx` whose one sheet `Blad1` holds `rows` (the XML inside `<sheetData>`), with
/// `strings` as its shared strings part when given.
fn xlsx(rows: &str, strings: Option<&str>) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(strings) = strings {
        parts.push(("xl/sharedStrings.xml", strings.as_bytes()));
    }
    zip(&parts)
}

/// The header row of a plan and one intervention, as sheet XML (inline strings).
fn plan_rows() -> String {
    let text = |cell: &str, value: &str| format!(r#"<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>"#);
    format!(
        r#"<row r="1">{}{}{}</row><row r="2">{}{}<c r="C2"><v>1.5</v></c></row>"#,
        text("A1", "område"),
        text("B1", "insats"),
        text("C1", "belopp"),
        text("A2", "omstallning"),
        text("B2", "Insats")
    )
}

/// An `.ods` whose one table `Blad1` holds `rows` (the XML inside `<table:table>`).
fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Blad1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    ods_content(&content)
}

fn ods_content(content: &str) -> Vec<u8> {
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}

const ODS_NUMBER: &str = r#"<table:table-cell office:value-type="float" office:value="1"/>"#;

/// Sets the size `zip` declares for its part `name` (in its local header and its central
/// directory) to `size`: a file that says less than it holds.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46) {
        let (signature, name_at, size_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => ("local", 30, 22),
            b"PK\x01\x02" => ("central", 46, 24),
            _ => continue,
        };
        let length_at = if signature == "local" { 26 } else { 28 };
        let length = usize::from(u16::from_le_bytes([zip[at + length_at], zip[at + length_at + 1]]));
        if zip.get(at + name_at..at + name_at + length) == Some(name.as_bytes()) {
            zip[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "{name} not found in the zip");
}

// -------------------------------------------------------------------------------------------
// What a workbook unpacks to

/// Rows of one number each, `count` of them, without cell references (the reader places them).
fn number_rows(count: usize) -> String {
    "<row><c><v>1</v></c></row>".repeat(count)
}

#[test]
fn a_workbook_that_unpacks_past_the_limit_is_refused_from_the_sizes_it_declares() {
    // 2 MiB of rows, which deflate to a few kilobytes.
    let book = xlsx(&number_rows(80_000), None);
    assert!(book.len() < 100_000, "{}", book.len());
    let run = check("plan.xlsx", &book, &["--max-unpacked-size", "1MiB"]);
    refused(
        &run,
        &[
            "plan.xlsx: unpacks to ",
            "fordela's limit for what a workbook unpacks to is 1 MiB",
            "--max-unpacked-size (or FORDELA_MAX_UNPACKED), e.g. --max-unpacked-size 1GiB",
        ],
    );
    // The limit from the environment, as every limit can be given.
    let dir = temp_files(&[("plan.xlsx", &book)]);
    let run = capped(dir.path(), &["check", "plan.xlsx", "-r", "23", "-u", "mkr"], &[("FORDELA_MAX_UNPACKED", "1MiB")]);
    refused(&run, &["limit for what a workbook unpacks to is 1 MiB"]);
}

#[test]
fn a_part_that_unpacks_past_the_size_it_declares_is_refused_while_it_inflates() {
    // The zip says the sheet is 1000 bytes; it inflates to 2 MiB. The library would read on.
    let mut book = xlsx(&number_rows(80_000), None);
    declare_size(&mut book, "xl/worksheets/sheet1.xml", 1000);
    let run = check("plan.xlsx", &book, &[]);
    refused(
        &run,
        &[
            "plan.xlsx: is damaged: its part `xl/worksheets/sheet1.xml` unpacks to more than the 1000 bytes the file declares",
        ],
    );
}

// -------------------------------------------------------------------------------------------
// Cells a sheet spans and stores

#[test]
fn one_stray_cell_at_xfd1048576_is_refused_naming_the_range_and_the_cell_limit() {
    // Before: the reader set aside memory for 17 billion cells and the process aborted.
    let rows = format!(r#"{}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#, plan_rows());
    let run = check("plan.xlsx", &xlsx(&rows, None), &[]);
    refused(
        &run,
        &[
            "plan.xlsx, sheet Blad1: has cells from A1 to at least XFD1048576 (reading stops at the limit), a range of at least 17179869184 cells: fordela reads at \
             most 5000000 cells of a workbook",
            "Ctrl+End",
            "--max-cells (or FORDELA_MAX_CELLS), e.g. --max-cells 20000000",
        ],
    );
    // A formula alone far out spans the same range (its cell has no value).
    let rows = format!(r#"{}<row r="900000"><c r="ZZ900000"><f>1+1</f></c></row>"#, plan_rows());
    refused(&check("plan.xlsx", &xlsx(&rows, None), &[]), &["has cells from A1 to at least ZZ900000"]);
    // Within the limit the sheet is read, and its stray cell is what the plan's reader says.
    let rows = format!(r#"{}<row r="40"><c r="E40"><v>1</v></c></row>"#, plan_rows());
    let run = check("plan.xlsx", &xlsx(&rows, None), &[]);
    assert!(!run.stderr.contains("cells of a workbook"), "{}", run.stderr);
    assert_ne!(run.code, -1, "{}", run.stderr);
}

#[test]
fn a_sheet_storing_more_cells_than_the_limit_is_refused_while_they_are_counted() {
    let run = check("plan.xlsx", &xlsx(&number_rows(3000), None), &["--max-cells", "2000"]);
    refused(&run, &["plan.xlsx, sheet Blad1: stores more than 2000 cells", "--max-cells"]);
}

/// Rows of one number each, `count` of them from row 1, each saying its place: a sheet of
/// 100 000 of them is some 5 MB of XML, which is read in two halves side by side.
fn placed_rows(count: usize) -> String {
    (1..=count).fold(String::new(), |mut rows, row| {
        let _ = write!(rows, r#"<row r="{row}"><c r="A{row}"><v>1</v></c></row>"#);
        rows
    })
}

#[test]
fn a_sheet_read_in_two_halves_is_refused_where_its_cells_pass_the_limit_together() {
    // Each half stores 50 000 cells, under the limit; together they pass it.
    let run = check("plan.xlsx", &xlsx(&placed_rows(100_000), None), &["--max-cells", "80000"]);
    refused(&run, &["plan.xlsx, sheet Blad1: stores more than 80000 cells", "--max-cells"]);
}

#[test]
fn a_large_part_that_unpacks_past_the_size_it_declares_is_refused_as_a_small_one_is() {
    // Read whole (it says 4,5 MB), it unpacks to more: refused as it inflates, as before.
    let rows = placed_rows(100_000);
    assert!(rows.len() > 4_600_000, "{}", rows.len());
    let mut book = xlsx(&rows, None);
    declare_size(&mut book, "xl/worksheets/sheet1.xml", 4_500_000);
    refused(
        &check("plan.xlsx", &book, &[]),
        &[
            "plan.xlsx: is damaged: its part `xl/worksheets/sheet1.xml` unpacks to more than the 4500000 bytes the file \
             declares",
        ],
    );
}

#[test]
fn a_shared_formula_over_the_whole_sheet_is_refused_before_the_reader_maps_it() {
    // The reader maps every cell of a shared formula's range before it reads on.
    let rows = format!(
        r#"{}<row r="3"><c r="A3"><f t="shared" ref="A3:XFD1048576" si="0">1+1</f><v>2</v></c></row>"#,
        plan_rows()
    );
    refused(
        &check("plan.xlsx", &xlsx(&rows, None), &[]),
        &["has a shared formula over 17179836416 cells (A3:XFD1048576)", "--max-cells"],
    );
    // Ranges under the limit each, over it together.
    let rows = format!(
        r#"{}<row r="3"><c r="A3"><f t="shared" ref="A3:A62" si="0">1+1</f><v>2</v></c><c r="B3"><f t="shared" ref="B3:B62" si="1">1+1</f><v>2</v></c></row>"#,
        plan_rows()
    );
    refused(
        &check("plan.xlsx", &xlsx(&rows, None), &["--max-cells", "100"]),
        &["has shared formulas over 120 cells (the last at B3:B62)", "--max-cells"],
    );
}

#[test]
fn a_range_beyond_the_edge_of_a_sheet_is_refused_as_damage() {
    let rows = format!(r#"{}<row r="3"><c r="A99999999999"><v>1</v></c></row>"#, plan_rows());
    refused(
        &check("plan.xlsx", &xlsx(&rows, None), &[]),
        &["is damaged: the cell reference `A99999999999` lies beyond any sheet"],
    );
}

#[test]
fn shared_strings_are_counted_as_each_cell_that_names_one_gets_a_copy() {
    // A string of 100 kB named by 30 cells: 3 MB of text from a file of kilobytes.
    let strings = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "x".repeat(100_000)
    );
    let rows = (1..=30).fold(String::new(), |mut rows, row| {
        let _ = write!(rows, r#"<row r="{row}"><c r="A{row}" t="s"><v>0</v></c></row>"#);
        rows
    });
    let run = check("plan.xlsx", &xlsx(&rows, Some(&strings)), &["--max-unpacked-size", "2MiB"]);
    refused(
        &run,
        &[
            "plan.xlsx, sheet Blad1: has cells holding more than 2 MiB of text once its shared strings",
            "--max-unpacked-size",
        ],
    );
    // A count of strings the reader would set memory aside for, declared and not there.
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
    refused(
        &check("plan.xlsx", &xlsx(&plan_rows(), Some(strings)), &[]),
        &["plan.xlsx, part xl/sharedStrings.xml: declares 4000000000 strings", "--max-cells"],
    );
}

#[test]
fn ods_repeats_are_counted_as_the_reader_writes_them_out() {
    // One value, an empty row repeated 6000 times, and a row 16 384 cells wide: the reader
    // fills a range of 98 million cells (6 GB) from a file of under a kilobyte.
    let rows = format!(
        r#"<table:table-row>{ODS_NUMBER}</table:table-row><table:table-row table:number-rows-repeated="6000"><table:table-cell/></table:table-row><table:table-row>{ODS_NUMBER}<table:table-cell table:number-columns-repeated="16382"/>{ODS_NUMBER}</table:table-row>"#
    );
    refused(
        &check("plan.ods", &ods(&rows), &[]),
        &[
            "plan.ods, sheet Blad1: has cells from A1 to at least XFD6002 (reading stops at the limit), a range of at least 98336768 cells",
            "--max-cells",
        ],
    );
    // A value repeated across 16 384 columns, row after row: stored as written out.
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
    refused(
        &check("plan.ods", &ods(&row.repeat(400)), &[]),
        &["plan.ods, sheet Blad1: stores more than 5000000 cells"],
    );
    // A text cell repeated: each copy holds the text.
    let cell = format!(
        r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
        "y".repeat(1000)
    );
    refused(
        &check("plan.ods", &ods(&cell), &["--max-unpacked-size", "8MiB"]),
        &[
            "plan.ods, sheet Blad1, cell A1: makes the workbook's cells hold more than 8 MiB of text once its repeated cells",
        ],
    );
}

#[test]
fn an_ods_space_count_is_a_field_length_and_held_to_the_field_limit() {
    // `<text:s text:c="…"/>` is that many spaces: the reader wrote two billion of them.
    let rows = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>"#;
    refused(
        &check("plan.ods", &ods(rows), &[]),
        &[
            "plan.ods, sheet Blad1, cell A1: holds 2000000001 bytes of text, more than fordela's limit of 64 KiB for one field",
            "--max-field-size",
        ],
    );
    // Also when the file stops inside the cell: the reader has written the spaces out by then.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Blad1"><table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>"#;
    refused(
        &check("plan.ods", &ods_content(content), &[]),
        &["plan.ods, sheet Blad1, cell A1: holds 2000000001 bytes"],
    );
}

#[test]
fn a_zip_after_other_bytes_is_scanned_as_the_reader_finds_it() {
    // The reader finds a zip from its end, whatever comes first: here the first bytes of an
    // .xls, so that fordela takes the file for a workbook, then an .ods of two billion spaces.
    let rows = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>"#;
    let mut book = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    book.resize(512, 0);
    book.extend(ods(rows));
    refused(&check("plan.xls", &book, &[]), &["plan.xls, sheet Blad1, cell A1: holds 2000000001 bytes of text"]);
}

#[test]
fn an_ods_table_that_never_ends_is_refused_not_read_for_ever() {
    // The reader looked for the table's end past the end of the file, for ever.
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="Blad1"><table:table-row>{ODS_NUMBER}</table:table-row>"#
    );
    refused(
        &check("plan.ods", &ods_content(&content), &[]),
        &["plan.ods, sheet Blad1: is damaged: its table never ends"],
    );
}

#[test]
fn a_binary_workbook_is_named_and_refused() {
    let book = zip(&[("[Content_Types].xml", CONTENT_TYPES.as_bytes()), ("xl/workbook.bin", b"\x83\x01\x00")]);
    refused(&check("plan.xlsb", &book, &[]), &["is an Excel binary workbook (.xlsb), which fordela does not read"]);
}

// -------------------------------------------------------------------------------------------
// .xls, built here: a compound file of 512-byte sectors holding a BIFF8 workbook stream

/// One BIFF record.
fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut bytes = kind.to_le_bytes().to_vec();
    bytes.extend_from_slice(&u16::try_from(data.len()).unwrap().to_le_bytes());
    bytes.extend_from_slice(data);
    bytes
}

/// A workbook stream: the globals (`globals` records after the BOF, then one sheet `Blad1`)
/// and the sheet's `cells` records.
fn workbook_stream(globals: &[Vec<u8>], cells: &[Vec<u8>]) -> Vec<u8> {
    let bof = |kind: u16| record(0x0809, &[&0x0600u16.to_le_bytes()[..], &kind.to_le_bytes(), &[0; 12]].concat());
    let name = b"Blad1";
    let mut head = bof(0x0005);
    for global in globals {
        head.extend_from_slice(global);
    }
    let sheet_record_len = 4 + 8 + name.len();
    let sheet_at = u32::try_from(head.len() + sheet_record_len + 4).unwrap();
    let mut boundsheet = sheet_at.to_le_bytes().to_vec();
    boundsheet.extend_from_slice(&[0, 0, u8::try_from(name.len()).unwrap(), 0]);
    boundsheet.extend_from_slice(name);
    head.extend(record(0x0085, &boundsheet));
    head.extend(record(0x000A, &[]));
    assert_eq!(head.len(), sheet_at as usize);
    head.extend(bof(0x0010));
    for cell in cells {
        head.extend_from_slice(cell);
    }
    head.extend(record(0x000A, &[]));
    // Past the mini stream's 4096 bytes, so that it lies in sectors of its own.
    head.resize(head.len().max(4096), 0);
    head
}

/// A compound file holding `stream` as `Workbook`; `fat` may rewrite its sector table.
fn compound(stream: &[u8], fat: impl FnOnce(&mut Vec<u32>)) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    let sectors = stream.len().div_ceil(512);
    let mut table = vec![0xFFFF_FFFD, END];
    table.extend((0..sectors).map(|at| if at + 1 == sectors { END } else { u32::try_from(at + 3).unwrap() }));
    fat(&mut table);
    table.resize(128, 0xFFFF_FFFF);
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    header[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    header[26..28].copy_from_slice(&3u16.to_le_bytes());
    header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    header[30..32].copy_from_slice(&9u16.to_le_bytes());
    header[32..34].copy_from_slice(&6u16.to_le_bytes());
    header[44..48].copy_from_slice(&1u32.to_le_bytes());
    header[48..52].copy_from_slice(&1u32.to_le_bytes());
    header[56..60].copy_from_slice(&4096u32.to_le_bytes());
    header[60..64].copy_from_slice(&END.to_le_bytes());
    header[68..72].copy_from_slice(&END.to_le_bytes());
    for slot in header[76..512].chunks_exact_mut(4) {
        slot.copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    header[76..80].copy_from_slice(&0u32.to_le_bytes());
    let mut file = header;
    file.extend(table.iter().flat_map(|entry| entry.to_le_bytes()));
    let entry = |name: &str, kind: u8, start: u32, size: u32| {
        let mut entry = vec![0u8; 128];
        let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        entry[..units.len()].copy_from_slice(&units);
        entry[64..66].copy_from_slice(&u16::try_from(units.len() + 2).unwrap().to_le_bytes());
        entry[66] = kind;
        entry[68..80].copy_from_slice(&[0xFF; 12]);
        entry[116..120].copy_from_slice(&start.to_le_bytes());
        entry[120..124].copy_from_slice(&size.to_le_bytes());
        entry
    };
    file.extend(entry("Root Entry", 5, END, 0));
    file.extend(entry("Workbook", 2, 2, u32::try_from(stream.len()).unwrap()));
    file.extend([0u8; 256]);
    let mut body = stream.to_vec();
    body.resize(sectors * 512, 0);
    file.extend(body);
    file
}

/// A NUMBER record at (row, column).
fn number(row: u16, column: u16) -> Vec<u8> {
    record(0x0203, &[&row.to_le_bytes()[..], &column.to_le_bytes(), &[0, 0], &1.5f64.to_le_bytes()].concat())
}

#[test]
fn an_xls_built_here_is_read_so_that_the_refusals_below_are_the_limits_own() {
    let run = check("plan.xls", &compound(&workbook_stream(&[], &[number(0, 0), number(3, 2)]), |_| {}), &[]);
    assert!(!run.stderr.contains("damaged") && !run.stderr.contains("limit"), "{}", run.stderr);
    assert!(run.stderr.contains("plan.xls, sheet Blad1"), "{}", run.stderr);
}

#[test]
fn an_xls_cell_far_out_is_refused_before_the_reader_fills_its_range() {
    // Columns are 16 bits in a record: the range would be 4 billion cells.
    let stream = workbook_stream(&[], &[number(0, 0), number(65_535, 65_535)]);
    refused(
        &check("plan.xls", &compound(&stream, |_| {}), &[]),
        &[
            "plan.xls, sheet Blad1: has cells from A1 to at least ",
            "a range of at least 4294967296 cells",
            "--max-cells",
        ],
    );
}

#[test]
fn an_xls_declaring_a_range_that_ends_before_it_begins_is_refused_as_damage() {
    // The reader sets memory aside for the declared range, counting in 32 bits.
    let dimensions = record(
        0x0200,
        &[&10u32.to_le_bytes()[..], &5u32.to_le_bytes(), &0u16.to_le_bytes(), &2u16.to_le_bytes(), &[0, 0]].concat(),
    );
    let stream = workbook_stream(&[], &[dimensions, number(0, 0)]);
    refused(
        &check("plan.xls", &compound(&stream, |_| {}), &[]),
        &["plan.xls, sheet Blad1: is damaged: it declares the range"],
    );
}

#[test]
fn an_xls_sector_chain_in_a_circle_is_refused_not_followed_for_ever() {
    // The directory's sector points at itself: the reader follows the chain without end (and
    // without a bound on its length), holding every lap.
    let book = compound(&workbook_stream(&[], &[number(0, 0)]), |table| table[1] = 1);
    refused(&check("plan.xls", &book, &[]), &["plan.xls: is damaged: a chain of its sectors runs in a circle"]);
    // A stream's chain in a circle ends where the stream's length does: read as it is.
    let stream = workbook_stream(&[], &[number(0, 0)]);
    let book = compound(&stream, |table| {
        let last = table.len() - 1;
        table[last] = 2;
    });
    assert!(!check("plan.xls", &book, &[]).stderr.contains("damaged"));
}

#[test]
fn an_xls_shared_string_is_counted_in_each_cell_that_names_it() {
    // One string of 8000 characters (one record holds it), named by 1000 cells.
    let mut sst = [&1000u32.to_le_bytes()[..], &1u32.to_le_bytes(), &8000u16.to_le_bytes(), &[0]].concat();
    sst.extend_from_slice("z".repeat(8000).as_bytes());
    let records = record(0x00FC, &sst);
    let cells: Vec<Vec<u8>> = (0..1000u16)
        .map(|row| {
            record(0x00FD, &[&row.to_le_bytes()[..], &0u16.to_le_bytes(), &[0, 0], &0u32.to_le_bytes()].concat())
        })
        .collect();
    let stream = workbook_stream(&[records], &cells);
    refused(
        &check("plan.xls", &compound(&stream, |_| {}), &["--max-unpacked-size", "16MiB"]),
        &["plan.xls, sheet Blad1, cell A", "more than 16 MiB of text once its shared strings", "--max-unpacked-size"],
    );
}

// -------------------------------------------------------------------------------------------
// A field's length

#[test]
fn a_csv_field_of_megabytes_is_refused_at_its_line_and_field() {
    let plan = format!("område;insats;belopp\nomstallning;{};1,5\n", "w".repeat(2_000_000));
    let run = check("plan.csv", plan.as_bytes(), &[]);
    refused(
        &run,
        &[
            "plan.csv, line 2: field 2 holds 2000000 bytes of text, more than fordela's limit of 64 KiB for one field",
            "--max-field-size (or FORDELA_MAX_FIELD), e.g. --max-field-size 1MiB",
        ],
    );
    // Raised, the field is read (and the plan checked).
    let run = check("plan.csv", plan.as_bytes(), &["--max-field-size", "4MiB"]);
    assert!(!run.stderr.contains("for one field"), "{}", run.stderr);
    assert_ne!(run.code, 2, "{}", run.stderr);
}

#[test]
fn a_workbook_cell_of_megabytes_is_refused_at_its_cell() {
    let rows = format!(
        r#"{}<row r="3"><c r="B3" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        plan_rows(),
        "v".repeat(200_000)
    );
    refused(
        &check("plan.xlsx", &xlsx(&rows, None), &[]),
        &["plan.xlsx, sheet Blad1, cell B3: holds 200000 bytes of text, more than fordela's limit of 64 KiB"],
    );
}

// -------------------------------------------------------------------------------------------
// Names

/// `follow-up` of a one-intervention plan named `planned` and an outcome row named `booked`.
fn follow_up(planned: &str, booked: &str, extra: &[&str]) -> Run {
    let plan = format!("område;insats;belopp\nomstallning;{planned};100\nomstallning;Insats två;200\n");
    let outcome = format!("insats;belopp;datum\n{booked};10;2019-03-02\n");
    let dir = temp_files(&[("plan.csv", plan.as_bytes()), ("utfall.csv", outcome.as_bytes())]);
    let mut args = vec!["follow-up", "plan.csv", "utfall.csv", "--plan-unit", "kr", "-f", "json"];
    args.extend_from_slice(extra);
    capped(dir.path(), &args, &[])
}

#[test]
fn a_300_000_character_name_is_refused_at_the_border_in_the_plan_and_the_outcome() {
    let long = "a".repeat(300_000);
    refused(
        &follow_up(&long, "Insats två", &[]),
        &["plan.csv, line 2: field 2 holds 300000 bytes", "--max-field-size"],
    );
    refused(
        &follow_up("Insats ett", &long, &[]),
        &["utfall.csv, line 2: field 1 holds 300000 bytes", "--max-field-size"],
    );
}

#[test]
fn a_long_name_gets_no_hint_and_costs_no_comparison() {
    // Two names of 50 000 characters a letter apart: comparing them for a hint is billions of
    // steps (minutes, before), so none is looked for and the row is unmatched without one.
    let planned = "a".repeat(50_000);
    let booked = format!("{}b", "a".repeat(49_999));
    let run = follow_up(&planned, &booked, &["--max-field-size", "1MiB"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let unmatched: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|finding| finding["id"] == "outcome-unmatched").collect();
    assert_eq!(unmatched.len(), 1, "{}", run.stdout);
    assert!(!unmatched[0]["message"].as_str().unwrap().contains("did you mean"), "{}", unmatched[0]);
    // A short typo still gets its hint.
    let run = follow_up("Samverkan med kommunerna", "Samverkan med komunerna", &[]);
    assert!(run.stdout.contains("did you mean `Samverkan med kommunerna`?"), "{}", run.stdout);
}

#[test]
fn too_many_unmatched_names_for_rename_matching_are_shown_as_removed_and_added_with_a_warning() {
    // 600 names removed and 600 others added in one area: 360 000 pairs, more than the
    // 250 000 compared for renames. The area's total is unchanged.
    let rows = |name: &str| {
        (0..600).fold(String::new(), |mut rows, n| {
            let _ = writeln!(rows, "omstallning;{};1", name.replace('#', &n.to_string()));
            rows
        })
    };
    let (old, new) = (rows("Gammal insats nummer #"), rows("Ny satsning # i länet"));
    let (old, new) = (format!("område;insats;belopp\n{old}"), format!("område;insats;belopp\n{new}"));
    let dir = temp_files(&[("old.csv", old.as_bytes()), ("new.csv", new.as_bytes())]);
    let run = capped(dir.path(), &["diff", "old.csv", "new.csv", "-u", "mkr"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "[renames-not-sought] area `omstallning`: 600 interventions removed and 600 added are more than fordela \
             compares to find renames"
        ),
        "{}",
        run.stdout
    );
    // Names over 200 characters are never taken for renames, however close.
    let long = "x".repeat(300);
    let old = format!("område;insats;belopp\nomstallning;{long}a;1\n");
    let new = format!("område;insats;belopp\nomstallning;{long}b;1\n");
    let dir = temp_files(&[("old.csv", old.as_bytes()), ("new.csv", new.as_bytes())]);
    let run = capped(dir.path(), &["diff", "old.csv", "new.csv", "-u", "mkr", "-f", "csv"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("removed") && run.stdout.contains("added"), "{}", run.stdout);
    assert!(!run.stdout.contains("renamed"), "{}", run.stdout);
}

// -------------------------------------------------------------------------------------------
// Duplicate checks and sums

#[test]
fn many_decisions_and_requests_are_checked_for_twins_by_key_not_pair_by_pair() {
    // 20 000 providers, each with a decision and a request: every row was compared with every
    // row before it (200 million name comparisons).
    let providers = 20_000;
    let mut decisions = String::from("utförare;område;belopp;från;till\n");
    let mut requests = String::from("provider;area;quarter;amount\n");
    for n in 0..providers {
        let _ = writeln!(decisions, "Vårdgivare {n};tillganglighet;4000;2019Q1;2019Q4");
        let _ = writeln!(requests, "Vårdgivare {n};tillganglighet;2019Q1;1000");
    }
    let dir = temp_files(&[("beslut.csv", decisions.as_bytes()), ("rekv.csv", requests.as_bytes())]);
    let run = capped(dir.path(), &["payouts", "beslut.csv", "--requests", "rekv.csv", "-f", "json"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let lines = report["lines"].as_array().unwrap();
    let total = lines.iter().find(|line| line["kind"] == "total").unwrap();
    assert_eq!(total["total"], serde_json::json!((providers * 4000).to_string()), "{total}");
    assert_eq!(lines.iter().filter(|line| line["kind"] == "provider").count(), providers);
    // A twin is still found, naming the first of the two.
    let _ = writeln!(requests, "vårdgivare  7;Tillganglighet;2019Q1;1000");
    let dir = temp_files(&[("beslut.csv", decisions.as_bytes()), ("rekv.csv", requests.as_bytes())]);
    let run = capped(dir.path(), &["payouts", "beslut.csv", "--requests", "rekv.csv"], &[]);
    refused(&run, &[&format!("rekv.csv, line {}: the same request as line 9", providers + 2)]);
}

#[test]
fn a_plan_of_many_areas_is_read_and_compared_by_key_not_area_by_area() {
    // 20 000 areas, written in another case in the new version: each looked up among all the
    // others, row by row and area by area, before.
    let areas = 20_000;
    let rows = |area: &str| {
        (0..areas).fold(String::from("område;insats;belopp\n"), |mut rows, n| {
            let _ = writeln!(rows, "{area} {n};Insats;1");
            rows
        })
    };
    let (old, new) = (rows("Område"), rows("OMRÅDE"));
    let dir = temp_files(&[("old.csv", old.as_bytes()), ("new.csv", new.as_bytes())]);
    let run = capped(dir.path(), &["diff", "old.csv", "new.csv", "-u", "mkr", "-f", "csv"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let unchanged = run.stdout.lines().filter(|line| line.contains(",unchanged,")).count();
    assert_eq!(unchanged, areas, "{}", &run.stdout[..run.stdout.len().min(2000)]);
}
