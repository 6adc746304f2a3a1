//! Any bytes as an OpenDocument sheet, read as every command reads a workbook: as the whole
//! file (the first byte even), or (odd) as `content.xml` and `styles.xml`, split at `\n--\n`,
//! packed into an otherwise sound `.ods`, so that the readers of values, number styles, hidden
//! rows and merged cells see the input rather than a broken zip. The first byte also picks
//! `--hidden`. No input may panic or run away; an error must name the file.
#![no_main]

use std::io::Write;

use fordela::io::sheet::{Hidden, read_sheet, set_hidden};
use libfuzzer_sys::fuzz_target;

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

fn ods(content: &[u8], styles: Option<&[u8]>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", MANIFEST.as_bytes()),
        ("content.xml", content),
    ];
    if let Some(styles) = styles {
        parts.push(("styles.xml", styles));
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
        match rest.windows(4).position(|window| window == b"\n--\n") {
            Some(at) => ods(&rest[..at], Some(&rest[at + 4..])),
            None => ods(rest, None),
        }
    };
    let sheet = if mode & 0x80 == 0 { None } else { Some("Blad1") };
    if let Err(err) = read_sheet("fuzz.ods", &bytes, sheet, "an OpenDocument spreadsheet") {
        assert!(err.file.starts_with("fuzz.ods"), "{err}");
    }
});
