//! Any bytes as an `.xlsx` workbook's sheet, read as every command reads a workbook: as the
//! whole file (the first byte even), or (odd) as the sheet's XML and the workbook's styles,
//! split at `\n--\n`, packed into an otherwise sound `.xlsx`, so that the XML readers of
//! values, formats, hidden rows and merged cells see the input rather than a broken zip. The
//! first byte also picks `--hidden`. No input may panic or run away; an error must name the
//! file.
#![no_main]

use std::io::Write;

use fordela::io::sheet::{Hidden, read_sheet, set_hidden};
use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

fn xlsx(sheet: &[u8], styles: Option<&[u8]>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(styles) = styles {
        parts.push(("xl/styles.xml", styles));
    }
    for (name, bytes) in parts {
        zip.start_file(name, stored).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    set_hidden(match (mode >> 1) % 3 {
        0 => None,
        1 => Some(Hidden::Include),
        _ => Some(Hidden::Skip),
    });
    let bytes = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        let split = rest.windows(4).position(|window| window == b"\n--\n");
        match split {
            Some(at) => xlsx(&rest[..at], Some(&rest[at + 4..])),
            None => xlsx(rest, None),
        }
    };
    let sheet = if mode & 0x80 == 0 { None } else { Some("Blad1") };
    if let Err(err) = read_sheet("fuzz.xlsx", &bytes, sheet, "an Excel workbook") {
        assert!(err.file.starts_with("fuzz.xlsx"), "{err}");
    }
});
