//! For the tests: a workbook's zip with one part edited, added or read, so that a test can
//! build the file shape it pins from a sound workbook.

use std::io::{Cursor, Read, Write};

/// `bytes` with the part `name` edited by `edit`.
pub fn with_part(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..zip.len() {
        let mut file = zip.by_index(index).unwrap();
        let part = file.name().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if part == name {
            data = edit(&String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(part, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// `bytes` with the part `name` added, holding `content`.
pub fn with_added(bytes: &[u8], name: &str, content: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..zip.len() {
        out.raw_copy_file(zip.by_index(index).unwrap()).unwrap();
    }
    out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
    out.write_all(content.as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

/// The text of the part `name` of `bytes`.
pub fn part_text(bytes: &[u8], name: &str) -> String {
    let mut text = String::new();
    zip::ZipArchive::new(Cursor::new(bytes)).unwrap().by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}
