//! The values of an `.xlsx` sheet kept by the limits' scan, which reads every cell of the
//! sheet's XML anyway: so that the sheet is read once, not a second time by calamine.
//!
//! They must be the values calamine would give, or fordela would read a file two ways. So the
//! scan keeps only cells in the shapes whose reading is plain (a number, a shared or inline
//! string of plain text, a boolean: what the spreadsheets and the Python writers put in a
//! ledger) and gives up on the sheet at the first cell in any other (a formula, an error, a
//! rich or phonetic string, a number written in an unusual way, an attribute it cannot read):
//! such a sheet is read by calamine, as before. What a number
//! stands for (a date or a number) is decided as calamine decides it, from its cell format
//! (`cellXfs`) and the format's code; `tests` compares both readings cell by cell.

use calamine::{Cell, Data, ExcelDateTime, ExcelDateTimeType, Range};

/// One cell kept: its place (row, column, from 0) and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub row: u32,
    pub column: u32,
    pub value: Value,
}

/// A cell's value before the styles and shared strings are known.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number, and its cell format (`s`, as calamine reads it; none without one).
    Number {
        value: f64,
        style: Option<u32>,
    },
    /// The shared string of this index.
    Shared(u32),
    /// An inline string's text.
    Text(Box<str>),
    Bool(bool),
}

/// The cells of one sheet kept by the scan, in the order the sheet holds them.
#[derive(Debug, Default)]
pub struct SheetValues {
    pub cells: Vec<Held>,
}

/// What calamine takes a number in a cell format to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Date,
    Duration,
}

/// The kind of a number shown in a format whose code is `code`, as the XML holds it (still
/// escaped: `&quot;` is not a quote here): a date if a date or time letter comes outside
/// quotes, brackets and escapes before the first section's end; a duration if a bracketed
/// `[h]`, `[m]`, `[s]` closes first.
#[must_use]
pub fn kind_of_code(code: &str) -> Kind {
    let (mut escaped, mut quoted, mut am_pm) = (false, false, false);
    let mut brackets = 0u8;
    let mut previous = ' ';
    let mut elapsed = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if c == '_' || c == '\\' {
            escaped = true;
        } else if quoted {
            if c == '"' {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
        } else if c == ';' {
            return Kind::Number;
        } else if c == '[' {
            // As calamine counts them (wrapping at 256, as its release build does).
            brackets = brackets.wrapping_add(1);
        } else if c == ']' && brackets == 1 && elapsed {
            return Kind::Duration;
        } else if c == ']' {
            brackets = brackets.saturating_sub(1);
        } else if brackets == 0 && !am_pm && matches!(c, 'a' | 'A') {
            am_pm = true;
        } else if brackets == 0
            && if am_pm {
                matches!(c, 'p' | 'm' | '/' | 'P' | 'M')
            } else {
                matches!(c.to_ascii_lowercase(), 'd' | 'm' | 'h' | 'y' | 's')
            }
        {
            return Kind::Date;
        } else if !(elapsed && c.eq_ignore_ascii_case(&previous)) {
            elapsed = previous == '[' && matches!(c.to_ascii_lowercase(), 'm' | 'h' | 's');
        }
        previous = c;
    }
    Kind::Number
}

/// The kind of a built-in format, by the `numFmtId` as written.
#[must_use]
pub fn kind_of_builtin(id: &[u8]) -> Kind {
    match id {
        b"14" | b"15" | b"16" | b"17" | b"18" | b"19" | b"20" | b"21" | b"22" | b"45" | b"47" => Kind::Date,
        b"46" => Kind::Duration,
        _ => Kind::Number,
    }
}

impl SheetValues {
    /// The sheet as calamine's range, each number made a date by its format's kind (`kinds`, by
    /// cell format), each shared string its text; `None` when a cell names a shared string the
    /// workbook does not hold (calamine refuses the sheet, in its words).
    #[must_use]
    pub fn into_range(self, kinds: &[Kind], strings: &[String], is_1904: bool) -> Option<Range<Data>> {
        let mut cells = Vec::with_capacity(self.cells.len());
        for Held { row, column, value } in self.cells {
            let data = match value {
                Value::Number { value, style } => {
                    let kind = match style {
                        None => Kind::Number,
                        Some(style) => {
                            usize::try_from(style).ok().and_then(|s| kinds.get(s)).copied().unwrap_or(Kind::Number)
                        }
                    };
                    match kind {
                        Kind::Number => Data::Float(value),
                        Kind::Date => Data::DateTime(ExcelDateTime::new(value, ExcelDateTimeType::DateTime, is_1904)),
                        Kind::Duration => {
                            Data::DateTime(ExcelDateTime::new(value, ExcelDateTimeType::TimeDelta, is_1904))
                        }
                    }
                }
                Value::Shared(index) => Data::String(strings.get(usize::try_from(index).ok()?)?.clone()),
                Value::Text(text) => Data::String(text.into()),
                Value::Bool(value) => Data::Bool(value),
            };
            cells.push(Cell::new((row, column), data));
        }
        Some(Range::from_sparse(cells))
    }
}

/// A string's text event added to `out` as calamine reads it: line ends made `\n` as XML 1.0
/// reads them, then each `_x00HH_` escape (how Excel writes a control character) undone into
/// its character, within this one event; false for a text that is not UTF-8.
pub fn push_text(content: &quick_xml::events::BytesText<'_>, out: &mut String) -> bool {
    let Ok(text) = content.xml10_content() else { return false };
    let bytes = text.as_bytes();
    let (mut from, mut copied) = (0, 0);
    while let Some(found) = memchr::memmem::find(&bytes[from..], b"_x00") {
        let at = from + found;
        // Two hex digits, or as Rust's radix parser takes them, a `+` and one.
        let hex = |byte: u8| char::from(byte).to_digit(16);
        let digits = match (bytes.get(at + 4), bytes.get(at + 5), bytes.get(at + 6)) {
            (Some(&b'+'), Some(&low), Some(&b'_')) => hex(low),
            (Some(&high), Some(&low), Some(&b'_')) => hex(high).zip(hex(low)).map(|(high, low)| high * 16 + low),
            _ => None,
        };
        match digits.and_then(|value| u8::try_from(value).ok()) {
            Some(value) => {
                out.push_str(&text[copied..at]);
                out.push(char::from(value));
                from = at + 7;
                copied = from;
            }
            None => from = at + 1,
        }
    }
    out.push_str(&text[copied..]);
    true
}

/// A string's entity (`&amp;`, `&#229;`) added to `out` as calamine resolves it: one of XML's
/// five, else a character reference; false for any other (calamine refuses it).
pub fn push_entity(name: &quick_xml::events::BytesRef<'_>, out: &mut String) -> bool {
    let Ok(decoded) = name.decode() else { return false };
    if let Some(entity) = quick_xml::escape::resolve_xml_entity(&decoded) {
        out.push_str(entity);
        true
    } else if let Ok(Some(character)) = name.resolve_char_ref() {
        out.push(character);
        true
    } else {
        false
    }
}

/// A number's text as calamine reads it, when both readings agree for sure: digits with an
/// optional sign, fraction and exponent (`-1250000.5`, `1.5E-2`), parsed to the nearest
/// double as every correct parser does; `None` for any other spelling (`.5`, `1.`, `inf`).
#[must_use]
pub fn plain_number(text: &[u8]) -> Option<f64> {
    let mut at = 0;
    let digits = |at: &mut usize| {
        let start = *at;
        while text.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at > start
    };
    if text.first() == Some(&b'-') {
        at += 1;
    }
    if !digits(&mut at) {
        return None;
    }
    if text.get(at) == Some(&b'.') {
        at += 1;
        if !digits(&mut at) {
            return None;
        }
    }
    if matches!(text.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(text.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if !digits(&mut at) {
            return None;
        }
    }
    if at != text.len() {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// An index or cell format written as plain decimal digits without a leading zero (`0` aside),
/// as calamine reads it; `None` for any other spelling.
#[must_use]
pub fn plain_index(text: &[u8]) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.iter().all(u8::is_ascii_digit) || (text[0] == b'0' && text.len() > 1)
    {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_taken_only_in_the_plain_spellings() {
        assert_eq!(plain_number(b"1250000"), Some(1_250_000.0));
        assert_eq!(plain_number(b"-0.1"), Some(-0.1));
        assert_eq!(plain_number(b"1.5E-2"), Some(0.015));
        assert_eq!(plain_number(b"2e+3"), Some(2000.0));
        for odd in [&b""[..], b".5", b"1.", b"+1", b"inf", b"NaN", b"1e", b" 1", b"1 ", b"0x10", b"1_000"] {
            assert_eq!(plain_number(odd), None, "{}", String::from_utf8_lossy(odd));
        }
        assert_eq!(plain_index(b"0"), Some(0));
        assert_eq!(plain_index(b"17"), Some(17));
        for odd in [&b""[..], b"07", b"-1", b"+1", b"1234567890", b"1a"] {
            assert_eq!(plain_index(odd), None);
        }
    }

    #[test]
    fn format_codes_are_dates_durations_or_numbers_as_calamine_tells_them() {
        // calamine's own examples (ported by it from openpyxl) and a Swedish ledger's formats.
        for (code, kind) in [
            ("DD/MM/YY", Kind::Date),
            ("H:MM:SS;@", Kind::Date),
            ("#,##0\\ [$\\u20bd-46D]", Kind::Number),
            ("m\"M\"d\"D\";@", Kind::Date),
            ("[h]:mm:ss", Kind::Duration),
            ("\"Y: \"0.00\"m\";\"Y: \"-0.00\"m\";\"Y: <num>m\";@", Kind::Number),
            ("\"$\"#,##0_);[Red](\"$\"#,##0)", Kind::Number),
            ("[$-404]e\"\\xfc\"m\"\\xfc\"d\"\\xfc\"", Kind::Date),
            ("0_ ;[Red]\\-0\\ ", Kind::Number),
            ("\\Y000000", Kind::Number),
            ("#,##0.0####\" YMD\"", Kind::Number),
            ("[h]", Kind::Duration),
            ("[ss]", Kind::Duration),
            ("[s].000", Kind::Duration),
            ("[mm]", Kind::Duration),
            ("[>=100][Magenta][s].00", Kind::Duration),
            ("[>=100][Magenta].00", Kind::Number),
            ("[>=100][Magenta]General", Kind::Number),
            ("ha/p\\\\m", Kind::Date),
            ("#,##0.00\\ _M\"H\"_);[Red]#,##0.00\\ _M\"S\"_)", Kind::Number),
            ("yyyy-mm-dd", Kind::Date),
            ("#,##0 &quot;kr&quot;", Kind::Number),
            ("General", Kind::Number),
            ("0.0", Kind::Number),
        ] {
            assert_eq!(kind_of_code(code), kind, "{code}");
        }
        assert_eq!(kind_of_builtin(b"14"), Kind::Date);
        assert_eq!(kind_of_builtin(b"46"), Kind::Duration);
        assert_eq!(kind_of_builtin(b"014"), Kind::Number);
        assert_eq!(kind_of_builtin(b"3"), Kind::Number);
    }
}

/// Both readings of every sheet of a workbook compared: the values the scan kept against
/// calamine's reading of the same sheet.
#[cfg(test)]
mod against_calamine {
    use super::super::test_parts::{part_text, with_added, with_part};
    use proptest::prelude::*;
    use rust_xlsxwriter::{ExcelDateTime as Date, Format, Workbook};

    /// Each sheet's name, the scan's values (if it kept them) and calamine's (or its refusal).
    fn both(bytes: &[u8]) -> Vec<(String, Option<String>, Result<String, String>)> {
        super::super::both_readings(bytes)
    }

    /// Asserts that where the scan kept a sheet's values, they are calamine's; and returns how
    /// many sheets it kept.
    fn same(bytes: &[u8]) -> usize {
        let mut kept = 0;
        for (sheet, held, read) in both(bytes) {
            if let Some(held) = held {
                kept += 1;
                assert_eq!(Ok(held), read, "sheet {sheet}");
            }
        }
        kept
    }

    /// The number formats of a ledger and of the date and time formats calamine tells apart.
    const FORMATS: &[&str] = &[
        "General",
        "0",
        "0.0",
        "#,##0",
        "# ##0 \"kr\"",
        "#,##0,",
        "0%",
        "yyyy-mm-dd",
        "d/m/yyyy h:mm",
        "[h]:mm:ss",
        "mmm yy",
        "[$-41D]d mmmm yyyy",
        "hh:mm AM/PM",
        "\"Datum\" 0",
        "0.00_);[Red](0.00)",
        "[Blue]#,##0;[Red]-#,##0",
        "@",
    ];

    /// A workbook of shared strings (with `&`, `<`, quotes, line breaks, `_x0041_`, bidi
    /// controls), numbers in every format above, dates, booleans, a hidden row and a second sheet.
    fn workbook() -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("Blad1").unwrap();
        let texts = [
            "Insats",
            "Hälso- & sjukvård",
            "<b>",
            "\"citat\" 'apostrof'",
            "två\nrader",
            "cr\r\nlf",
            "_x0041_",
            " inledande",
            "",
            "\u{202E}höger",
            "Jämtland Härjedalen",
        ];
        for (row, text) in texts.iter().enumerate() {
            sheet.write_string(u32::try_from(row).unwrap(), 0, *text).unwrap();
        }
        let numbers = [0.0, 1.0, -1.0, 0.1, 1_250_000.0, 1_250_000.5, 1e-7, 1e20, 123_456_789.123, -0.0, 45_000.0];
        for (column, code) in FORMATS.iter().enumerate() {
            let format = Format::new().set_num_format(*code);
            for (row, number) in numbers.iter().enumerate() {
                let (row, column) = (u32::try_from(row).unwrap(), u16::try_from(column + 1).unwrap());
                sheet.write_number_with_format(row + 1, column, *number, &format).unwrap();
            }
        }
        let date = Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_datetime_with_format(20, 1, Date::from_ymd(2019, 12, 31).unwrap(), &date).unwrap();
        sheet.write_boolean(20, 2, true).unwrap();
        sheet.write_boolean(20, 3, false).unwrap();
        sheet.write_number_with_format(21, 1, 43_830.0, &Format::new().set_num_format_index(14)).unwrap();
        sheet.write_number_with_format(21, 2, 0.5, &Format::new().set_num_format_index(46)).unwrap();
        sheet.set_row_hidden(5).unwrap();
        let other = book.add_worksheet().set_name("Blad2").unwrap();
        other.write_string(3, 3, "ensam").unwrap();
        other.write_number(4, 3, 7.0).unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn the_values_kept_by_the_scan_are_calamines_for_a_workbook_excel_would_write() {
        let bytes = workbook();
        assert_eq!(same(&bytes), 2, "both sheets' values kept");
        // In the 1904 date system too.
        let in_1904 =
            with_part(&bytes, "xl/workbook.xml", |xml| xml.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1));
        assert_eq!(same(&in_1904), 2);
    }

    /// Sheet 1 of `workbook()` with its cells replaced by `cells` (the XML of its rows).
    fn with_cells(cells: &str) -> Vec<u8> {
        with_part(&workbook(), "xl/worksheets/sheet1.xml", |xml| {
            let start = xml.find("<sheetData>").unwrap() + "<sheetData>".len();
            let end = xml.find("</sheetData>").unwrap();
            format!("{}{cells}{}", &xml[..start], &xml[end..])
        })
    }

    #[test]
    fn a_cell_of_a_shape_the_scan_does_not_take_leaves_the_sheet_to_calamine() {
        // Each shape, and whether the scan keeps the sheet's values (then they must be
        // calamine's) or leaves it to calamine.
        for (cells, kept) in [
            (r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a &amp; b</t><t>c</t></is></c></row>"#, true),
            (r#"<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c></row>"#, true),
            (r#"<row r="1"><c r="A1" t="inlineStr"><is></is></c><c r="C1" t="inlineStr"><v>9</v></c></row>"#, true),
            (r#"<row r="1"><c r="A1" t="inlineStr"><is><t>&#229;&#x00E4;</t></is></c></row>"#, true),
            (r#"<row r="1"><c r="A1" t="inlineStr"><is><t>rad&#13;&#10;två</t></is></c></row>"#, true),
            ("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>cr\r\nlf</t></is></c></row>", true),
            (r#"<row><c><v>1</v></c><c/><c s="2"><v>2.5</v></c></row><row><c t="b"><v>0</v></c></row>"#, true),
            ("<row r=\"1\">\n  <c r=\"B1\">\n    <v>3</v>\n  </c>\n</row>", true),
            (r#"<row r="1"><c r="A1" s="99"><v>3</v></c><c r="B1" t="n"><v></v></c></row>"#, true),
            (r#"<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v></v></c></row>"#, true),
            (r#"<row r="1"><c r="A1"><v>.5</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1"><v>1,5</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1"><v>&#49;</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1"><v>1</v><v>2</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" t="e"><v>#DIV/0!</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" t="str"><v>text</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" t="d"><v>2019-12-31</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" s="01"><v>2</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" t="s"><v>01</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" t="inlineStr"><is><r><t>rik</t></r></is></c></row>"#, false),
            (
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>_x0041_ _x00e5_ _x+a_ _x00G1_ _x005F_x0041_ _x00_</t></is></c></row>"#,
                true,
            ),
            (r#"<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[x]]></t></is></c></row>"#, false),
            (r#"<row r="1"><c r="A1"><v><!-- x -->1</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" r="B1"><v>1</v></c></row>"#, false),
            (r#"<row r="1"><c r="A1"><x:v>1</x:v></c></row>"#, false),
            // A `<v>` of a type calamine reads its own way, even empty.
            (r#"<row r="1"><c r="A1"><v>19</v></c><c r="A1" t="str"><v></v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" t="x"><v/></c></row>"#, false),
            (r#"<row r="1"><c r="A1" t=""><v></v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" t="d"><v></v></c></row>"#, false),
            (r#"<row r="1"><c r="A1" t="e"></c><c r="B1" t="x"/></row>"#, true),
        ] {
            let bytes = with_cells(cells);
            let found = both(&bytes);
            let (_, held, read) = &found[0];
            assert_eq!(held.is_some(), kept, "{cells}: {read:?}");
            if let Some(held) = held {
                assert_eq!(Ok(held.clone()), read.clone(), "{cells}");
            }
        }
    }

    #[test]
    fn where_calamine_would_read_the_sheet_or_its_styles_otherwise_it_reads_them() {
        let sheet = |xml: &str| with_part(&workbook(), "xl/worksheets/sheet1.xml", |_| xml.to_string());
        let styles = |edit: &dyn Fn(&str) -> String| with_part(&workbook(), "xl/styles.xml", |xml| edit(xml));
        let sheet_xml = part_text(&workbook(), "xl/worksheets/sheet1.xml");
        let styles_xml = part_text(&workbook(), "xl/styles.xml");
        let numbers_as_dates = styles_xml.replace("<numFmts", "<numFmtsX").replace("</numFmts>", "</numFmtsX>");
        for (what, bytes) in [
            (
                "a dimension with an attribute calamine cannot read",
                sheet(&sheet_xml.replace("<dimension ", "<dimension x ")),
            ),
            ("a dimension whose ref has a prefix", sheet(&sheet_xml.replace("<dimension ref=", "<dimension o:ref="))),
            (
                "a relation's target written with a character reference",
                with_part(&workbook(), "xl/_rels/workbook.xml.rels", |xml| {
                    xml.replace("worksheets/sheet1.xml", "worksheets/sheet&#49;.xml")
                }),
            ),
            (
                "a sheet with two ids",
                with_part(&workbook(), "xl/workbook.xml", |xml| {
                    xml.replacen("r:id=\"rId1\"", "r:id=\"rId1\" o:id=\"rId2\"", 1)
                }),
            ),
            (
                "a sheet part twice, in two cases",
                with_added(&workbook(), "xl/worksheets/Sheet1.xml", &sheet_xml.replace("<v>1</v>", "<v>7</v>")),
            ),
            ("the styles twice, in two cases", with_added(&workbook(), "xl/Styles.xml", &numbers_as_dates)),
            (
                "number formats inside the cell formats",
                styles(&|xml: &str| {
                    xml.replace("<cellXfs count=", "<cellXfs><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy\"/></numFmts></cellXfs><cellXfs count=")
                }),
            ),
            ("number formats whose end is misspelled", styles(&|xml: &str| xml.replace("</numFmts>", "</numFmtz>"))),
            (
                "cell formats after the styles' end",
                styles(&|xml: &str| {
                    xml.replace("</styleSheet>", "</styleSheet><cellXfs><xf numFmtId=\"14\"/></cellXfs>")
                }),
            ),
        ] {
            for (sheet, held, read) in both(&bytes) {
                if let Some(held) = held {
                    assert_eq!(Ok(held), read, "{what}, sheet {sheet}");
                }
            }
        }
    }

    #[test]
    fn shared_strings_the_scan_does_not_take_leave_their_cells_to_calamine() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let bold = Format::new().set_bold();
        sheet.write_rich_string(0, 0, &[(&bold, "rik"), (&Format::default(), " text")]).unwrap();
        sheet.write_string(1, 0, "enkel").unwrap();
        sheet.write_number(2, 0, 1.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(same(&bytes), 0, "a rich string leaves the sheet to calamine");
        let mut book = Workbook::new();
        book.add_worksheet().write_number(0, 0, 1.0).unwrap();
        assert_eq!(same(&book.save_to_buffer().unwrap()), 1, "a sheet without strings is kept");
    }

    /// One cell's value for the property test.
    #[derive(Debug, Clone)]
    enum Written {
        Text(String),
        Number(f64, usize),
        Bool(bool),
        Blank,
    }

    fn written() -> impl Strategy<Value = Written> {
        prop_oneof![
            "[a-zA-ZåäöÅÄÖ0-9 ,.;:&<>\"'_\\-\n\u{202E}\u{00A0}]{0,12}".prop_map(Written::Text),
            (any::<f64>().prop_filter("finite", |n| n.is_finite()), 0..FORMATS.len())
                .prop_map(|(n, f)| Written::Number(n, f)),
            ((-1_000_000_000i32..1_000_000_000), 0..FORMATS.len())
                .prop_map(|(n, f)| Written::Number(f64::from(n) / 100.0, f)),
            any::<bool>().prop_map(Written::Bool),
            Just(Written::Blank),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn any_sheet_of_text_numbers_dates_and_booleans_reads_as_calamine_reads_it(
            cells in proptest::collection::vec((0u32..30, 0u16..8, written()), 1..60),
        ) {
            let mut book = Workbook::new();
            let sheet = book.add_worksheet();
            let formats: Vec<Format> = FORMATS.iter().map(|code| Format::new().set_num_format(*code)).collect();
            for (row, column, value) in &cells {
                match value {
                    Written::Text(text) => sheet.write_string(*row, *column, text).map(|_| ()),
                    Written::Number(n, f) => sheet.write_number_with_format(*row, *column, *n, &formats[*f]).map(|_| ()),
                    Written::Bool(b) => sheet.write_boolean(*row, *column, *b).map(|_| ()),
                    Written::Blank => sheet.write_blank(*row, *column, &formats[1]).map(|_| ()),
                }
                .unwrap();
            }
            let bytes = book.save_to_buffer().unwrap();
            prop_assert_eq!(same(&bytes), 1);
        }
    }
}
