//! The look of an ODF (`.ods`) sheet: the number style of each number cell (data
//! styles such as `number:number-style` with `number:decimal-places` and
//! `number:display-factor`, `number:percentage-style`, scientific and fraction styles, with
//! their `style:map` conditions; found through the cell's style, its row's or column's
//! default, in `content.xml` and `styles.xml`), hidden rows and columns
//! (`table:visibility="collapse"` or `"filter"`, a group shown folded) and merged cells
//! (`table:number-rows-spanned`, `table:number-columns-spanned`).

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use crate::io::sheet::format::{NumberFormat, Shown};
use crate::io::sheet::look::{Area, Look, XmlPart, Zip, attribute, xml_part};

/// A data style as the file holds it.
#[derive(Debug, Default, Clone)]
struct DataStyle {
    kind: Kind,
    /// The `number:number` element: decimals shown (most, fewest), integer digits, grouping,
    /// display factor.
    number: Option<NumberPart>,
    scientific: bool,
    fraction: bool,
    /// `style:map`: the style applied when the condition holds, in order.
    maps: Vec<(String, String)>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Kind {
    #[default]
    Number,
    Currency,
    Percentage,
    Date,
    Time,
    Boolean,
    Text,
}

#[derive(Debug, Default, Clone)]
struct NumberPart {
    decimals: Option<u32>,
    min_decimals: Option<u32>,
    min_integer: u32,
    grouping: bool,
    factor: Option<String>,
}

/// A cell style: its parent and its data style.
#[derive(Debug, Default, Clone)]
struct CellStyle {
    parent: Option<String>,
    data_style: Option<String>,
}

/// Styles read so far: `styles.xml` first, then `content.xml`'s automatic ones.
#[derive(Debug, Default)]
struct Styles {
    data: HashMap<String, DataStyle>,
    cells: HashMap<String, CellStyle>,
    /// The data style of `style:default-style` for table cells.
    default_data: Option<String>,
}

/// The look of sheet `sheet` of the `.ods` in `zip`, or why it cannot be read.
pub fn look(zip: &mut Zip<'_>, sheet: &str) -> Result<Look, String> {
    let mut styles = Styles::default();
    if let Some(xml) = xml_part(zip, "styles.xml")? {
        read_styles(xml, &mut styles, None)?;
    }
    let xml = xml_part(zip, "content.xml")?.ok_or("its part content.xml is missing")?;
    let mut found = None;
    read_styles(xml, &mut styles, Some((sheet, &mut found)))?;
    found.ok_or_else(|| format!("content.xml holds no table named {sheet}"))
}

/// Whether the `content.xml` of an `.ods` in `zip` is well-formed XML: every element it opens
/// it closes, by its own name. calamine reads `content.xml` whole when it opens the file, and
/// in a table that a broken file never closes (cut short, or its closing tag taken for a
/// cell's) it reads on forever; in a well-formed one it always finds the table's end. Checked
/// before calamine opens the file.
pub fn well_formed(zip: &mut Zip<'_>) -> Result<(), String> {
    let Some(mut xml) = xml_part(zip, "content.xml")? else {
        return Ok(());
    };
    xml.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) if depth == 0 => return Ok(()),
            Ok(Event::Eof) => return Err("its content.xml ends inside an element (the file is cut short)".into()),
            Err(err) => return Err(format!("its content.xml is not well-formed XML ({err})")),
            _ => {}
        }
        buf.clear();
    }
}

/// Reads the styles of one part; in `content.xml` (`table` given) also the table named there.
fn read_styles(
    mut xml: XmlPart<'_, '_>,
    styles: &mut Styles,
    mut table: Option<(&str, &mut Option<Look>)>,
) -> Result<(), String> {
    let mut buf = Vec::new();
    // The data style being read, and its name.
    let mut current: Option<(String, DataStyle)> = None;
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|err| format!("its XML cannot be read ({err})"))?;
        match event {
            Event::Start(element) => {
                let name = element.name();
                let name = name.as_ref();
                if let Some(kind) = data_style_kind(name) {
                    let style_name = attribute(&element, b"style:name").unwrap_or_default();
                    current = Some((style_name, DataStyle { kind, ..DataStyle::default() }));
                } else if let Some((_, style)) = current.as_mut() {
                    data_style_part(&element, style);
                } else if name == b"style:style" {
                    if attribute(&element, b"style:family").as_deref() == Some("table-cell") {
                        let style_name = attribute(&element, b"style:name").unwrap_or_default();
                        let style = CellStyle {
                            parent: attribute(&element, b"style:parent-style-name"),
                            data_style: attribute(&element, b"style:data-style-name"),
                        };
                        styles.cells.insert(style_name, style);
                    }
                } else if name == b"style:default-style" {
                    if attribute(&element, b"style:family").as_deref() == Some("table-cell") {
                        styles.default_data = attribute(&element, b"style:data-style-name");
                    }
                } else if name == b"table:table"
                    && let Some((wanted, found)) = table.as_mut()
                {
                    let is_wanted = attribute(&element, b"table:name").as_deref() == Some(*wanted);
                    if is_wanted && found.is_none() {
                        **found = Some(read_table(&mut xml, styles)?);
                    } else {
                        // Another sheet: its rows are not this one's.
                        let end = element.name().as_ref().to_vec();
                        xml.read_to_end_into(quick_xml::name::QName(&end), &mut Vec::new())
                            .map_err(|err| format!("its XML cannot be read ({err})"))?;
                    }
                }
            }
            Event::End(element) => {
                if data_style_kind(element.name().as_ref()).is_some()
                    && let Some((name, style)) = current.take()
                {
                    styles.data.insert(name, style);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

fn data_style_kind(name: &[u8]) -> Option<Kind> {
    Some(match name {
        b"number:number-style" => Kind::Number,
        b"number:currency-style" => Kind::Currency,
        b"number:percentage-style" => Kind::Percentage,
        b"number:date-style" => Kind::Date,
        b"number:time-style" => Kind::Time,
        b"number:boolean-style" => Kind::Boolean,
        b"number:text-style" => Kind::Text,
        _ => return None,
    })
}

/// One element inside a data style.
fn data_style_part(element: &BytesStart<'_>, style: &mut DataStyle) {
    let number = |name: &[u8]| attribute(element, name).and_then(|value| value.parse::<u32>().ok());
    match element.name().as_ref() {
        b"number:number" => {
            style.number = Some(NumberPart {
                decimals: number(b"number:decimal-places"),
                min_decimals: number(b"number:min-decimal-places").or_else(|| number(b"loext:min-decimal-places")),
                min_integer: number(b"number:min-integer-digits").unwrap_or(0),
                grouping: attribute(element, b"number:grouping").as_deref() == Some("true"),
                factor: attribute(element, b"number:display-factor"),
            });
        }
        b"number:scientific-number" => style.scientific = true,
        b"number:fraction" => style.fraction = true,
        b"style:map" => {
            let condition = attribute(element, b"style:condition").unwrap_or_default();
            let applied = attribute(element, b"style:apply-style-name").unwrap_or_default();
            style.maps.push((condition, applied));
        }
        _ => {}
    }
}

impl DataStyle {
    /// How this style alone (its conditions aside) shows a number.
    fn shown(&self) -> Shown {
        match self.kind {
            Kind::Date | Kind::Time => return Shown::DateTime,
            Kind::Boolean => return Shown::Unknown("a format that shows TRUE or FALSE".to_string()),
            Kind::Percentage => return Shown::Scaled("a percentage shows a hundred times the value".to_string()),
            Kind::Number | Kind::Currency | Kind::Text => {}
        }
        if self.scientific {
            return Shown::Scientific;
        }
        if self.fraction {
            return Shown::Fraction;
        }
        let Some(number) = &self.number else {
            // A number under a text format is shown as LibreOffice's Standard; a number style
            // of text only shows that text.
            return if self.kind == Kind::Text { Shown::General } else { Shown::Nothing };
        };
        if let Some(factor) = number.factor.as_deref().filter(|factor| factor.trim() != "1") {
            return Shown::Scaled(format!("a display factor of {factor} shows the value divided by {factor}"));
        }
        match number.decimals {
            None => Shown::General,
            Some(decimals) => Shown::Fixed {
                min_integer: number.min_integer,
                min_decimals: number.min_decimals.unwrap_or(decimals).min(decimals),
                max_decimals: decimals,
            },
        }
    }

    /// The style as an Excel format code, for messages (`#,##0.00`, `#,##0,`, `0%`).
    fn code(&self) -> String {
        match self.kind {
            Kind::Date => return "a date format".to_string(),
            Kind::Time => return "a time format".to_string(),
            Kind::Boolean => return "a TRUE/FALSE format".to_string(),
            _ => {}
        }
        if self.scientific {
            return "0.00E+00".to_string();
        }
        if self.fraction {
            return "# ?/?".to_string();
        }
        let Some(number) = &self.number else {
            return if self.kind == Kind::Text { "@".to_string() } else { "\"text\"".to_string() };
        };
        let mut code = if number.grouping { "#,##".to_string() } else { String::new() };
        code.push_str(&"0".repeat(number.min_integer.clamp(1, 16) as usize));
        if let Some(decimals) = number.decimals.filter(|&decimals| decimals > 0) {
            let min = number.min_decimals.unwrap_or(decimals).min(decimals).min(30);
            code.push('.');
            code.push_str(&"0".repeat(min as usize));
            code.push_str(&"#".repeat(decimals.min(30).saturating_sub(min) as usize));
        } else if number.decimals.is_none() {
            return "General".to_string();
        }
        match number.factor.as_deref().map(str::trim) {
            Some("1000") => code.push(','),
            Some("1000000") => code.push_str(",,"),
            Some(factor) if factor != "1" => {
                code.push_str(" (divided by ");
                code.push_str(factor);
                code.push(')');
            }
            _ => {}
        }
        if self.kind == Kind::Percentage {
            code.push('%');
        }
        code
    }
}

/// A `style:condition` on the sign of the value (`value()>=0`, `value()<0`, `value()=0`): for
/// a positive number, a negative one and zero, whether it holds. `None` for any other.
fn sign_condition(condition: &str) -> Option<[bool; 3]> {
    let rest = condition.trim().strip_prefix("value()")?.trim();
    let (operator, bound) = ["<=", ">=", "!=", "<>", "<", ">", "="]
        .iter()
        .find_map(|operator| rest.strip_prefix(operator).map(|bound| (*operator, bound.trim())))?;
    if bound.parse::<f64>().ok()? != 0.0 {
        return None;
    }
    Some([1.0f64, -1.0, 0.0].map(|value| match operator {
        "<=" => value <= 0.0,
        ">=" => value >= 0.0,
        "!=" | "<>" => value != 0.0,
        "<" => value < 0.0,
        ">" => value > 0.0,
        _ => value == 0.0,
    }))
}

impl Styles {
    /// The data style of cell style `name`, through its parents.
    fn data_style_of(&self, name: Option<&str>) -> Option<&str> {
        let mut name = name;
        for _ in 0..32 {
            let Some(style) = name.and_then(|name| self.cells.get(name)) else {
                break;
            };
            if let Some(data) = style.data_style.as_deref() {
                return Some(data);
            }
            name = style.parent.as_deref();
        }
        self.default_data.as_deref()
    }

    /// The number format of cell style `name` (`None`: no style, the default).
    fn format(&self, name: Option<&str>) -> NumberFormat {
        let Some(data_name) = self.data_style_of(name) else {
            return NumberFormat::general();
        };
        let Some(data) = self.data.get(data_name) else {
            return NumberFormat::unknown(&format!("the number style {data_name}, which the file does not hold"));
        };
        let own = data.shown();
        let mut sections = [own.clone(), own.clone(), own];
        let mut taken = [false; 3];
        let mut code = data.code();
        for (condition, applied) in &data.maps {
            let applied = self.data.get(applied);
            let (Some(holds), Some(applied)) = (sign_condition(condition), applied) else {
                let what = format!("the condition `{condition}`");
                return NumberFormat::all(Shown::Unknown(what.clone()), &what);
            };
            for class in 0..3 {
                if holds[class] && !taken[class] {
                    sections[class] = applied.shown();
                    taken[class] = true;
                }
            }
            if holds[0] {
                code = applied.code();
            }
        }
        let [positive, negative, zero] = sections;
        NumberFormat { positive, negative, zero, code }
    }
}

/// A row or column count as the file writes it (`table:number-rows-repeated`).
fn repeats(element: &BytesStart<'_>, name: &[u8]) -> Result<u32, String> {
    match attribute(element, name) {
        None => Ok(1),
        Some(count) => count
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|&count| count > 0)
            .ok_or_else(|| format!("its XML repeats a row or column `{count}` times, which fordela cannot read")),
    }
}

/// Whether a row or column is hidden by its own attribute: collapsed by hand, filtered out.
fn hidden(element: &BytesStart<'_>) -> bool {
    matches!(attribute(element, b"table:visibility").as_deref(), Some("collapse" | "filter"))
}

/// Reads the table just opened, to its end.
fn read_table(xml: &mut XmlPart<'_, '_>, styles: &Styles) -> Result<Look, String> {
    let mut look = Look::new(Vec::new());
    let mut formats = Formats { styles, indices: HashMap::new(), percentage: None };
    let mut column_styles: Vec<(u32, u32, Option<String>)> = Vec::new();
    let (mut row, mut column, mut next_column) = (0u32, 0u32, 0u32);
    let mut row_repeats = 1u32;
    let mut row_style: Option<String> = None;
    // Whether each open row or column group is shown folded (`table:display="false"`).
    let mut groups: Vec<bool> = Vec::new();
    let mut buf = Vec::new();
    let read_error = |err: quick_xml::Error| format!("its XML cannot be read ({err})");
    loop {
        match xml.read_event_into(&mut buf).map_err(read_error)? {
            Event::Start(element) => match element.name().as_ref() {
                b"table:table-row-group" | b"table:table-column-group" => {
                    groups.push(attribute(&element, b"table:display").as_deref() == Some("false"));
                }
                b"table:table-column" => {
                    let count = repeats(&element, b"table:number-columns-repeated")?;
                    let last = next_column.saturating_add(count - 1);
                    if hidden(&element) || groups.contains(&true) {
                        look.hidden_columns.push(next_column, last);
                    }
                    if let Some(style) = attribute(&element, b"table:default-cell-style-name") {
                        column_styles.push((next_column, last, Some(style)));
                    }
                    next_column = last.saturating_add(1);
                }
                b"table:table-row" => {
                    row_repeats = repeats(&element, b"table:number-rows-repeated")?;
                    if hidden(&element) || groups.contains(&true) {
                        look.hidden_rows.push(row, row.saturating_add(row_repeats - 1));
                    }
                    row_style = attribute(&element, b"table:default-cell-style-name");
                    column = 0;
                }
                name @ (b"table:table-cell" | b"table:covered-table-cell") => {
                    let count = repeats(&element, b"table:number-columns-repeated")?;
                    let rows = (row, row.saturating_add(row_repeats - 1));
                    let columns = (column, column.saturating_add(count - 1));
                    let style = || {
                        attribute(&element, b"table:style-name")
                            .or_else(|| row_style.clone())
                            .or_else(|| column_style(&column_styles, column))
                    };
                    if let Some(index) = formats.of_cell(&element, style, &mut look) {
                        look.push_cells(rows, columns, index);
                    }
                    if name == b"table:table-cell" {
                        let spanned_rows = repeats(&element, b"table:number-rows-spanned")?;
                        let spanned_columns = repeats(&element, b"table:number-columns-spanned")?;
                        if spanned_rows > 1 || spanned_columns > 1 {
                            look.merged.push(Area {
                                top: row,
                                left: column,
                                bottom: row.saturating_add(spanned_rows - 1),
                                right: column.saturating_add(spanned_columns - 1),
                            });
                        }
                    }
                    column = columns.1.saturating_add(1);
                    // The cell's text and notes: nothing of the look.
                    let end = element.name().as_ref().to_vec();
                    xml.read_to_end_into(quick_xml::name::QName(&end), &mut Vec::new()).map_err(read_error)?;
                }
                // A table inside a cell (or a shape's): not rows of this sheet.
                b"table:table" | b"table:shapes" | b"office:annotation" => {
                    let end = element.name().as_ref().to_vec();
                    xml.read_to_end_into(quick_xml::name::QName(&end), &mut Vec::new()).map_err(read_error)?;
                }
                _ => {}
            },
            Event::End(element) => match element.name().as_ref() {
                b"table:table-row-group" | b"table:table-column-group" => {
                    groups.pop();
                }
                b"table:table-row" => {
                    row = row.saturating_add(row_repeats);
                    row_repeats = 1;
                    row_style = None;
                }
                b"table:table" => break,
                _ => {}
            },
            Event::Eof => return Err("its table ends before its end".to_string()),
            _ => {}
        }
        buf.clear();
    }
    look.finish();
    Ok(look)
}

/// The formats of a table's number cells, each style's once, by their index in the look.
struct Formats<'s> {
    styles: &'s Styles,
    indices: HashMap<Option<String>, u32>,
    percentage: Option<u32>,
}

impl Formats<'_> {
    /// The index of the format of the cell `element` (its style, if it has none of its own,
    /// from `style`), when it is a number cell.
    fn of_cell(
        &mut self,
        element: &BytesStart<'_>,
        style: impl FnOnce() -> Option<String>,
        look: &mut Look,
    ) -> Option<u32> {
        let value_type = attribute(element, b"office:value-type");
        let number = matches!(value_type.as_deref(), Some("float" | "currency" | "percentage"))
            || attribute(element, b"office:value").is_some();
        if !number {
            return None;
        }
        // A percentage cell shows a hundred times its value whatever its style says.
        if value_type.as_deref() == Some("percentage") {
            return Some(*self.percentage.get_or_insert_with(|| {
                look.formats.push(NumberFormat::all(
                    Shown::Scaled("a percentage shows a hundred times the value".to_string()),
                    "0%",
                ));
                to_u32(look.formats.len() - 1)
            }));
        }
        let style = style();
        if let Some(&index) = self.indices.get(&style) {
            return Some(index);
        }
        look.formats.push(self.styles.format(style.as_deref()));
        let index = to_u32(look.formats.len() - 1);
        self.indices.insert(style, index);
        Some(index)
    }
}

fn column_style(styles: &[(u32, u32, Option<String>)], column: u32) -> Option<String> {
    let after = styles.partition_point(|&(first, _, _)| first <= column);
    styles[..after].last().filter(|(_, last, _)| *last >= column).and_then(|(_, _, style)| style.clone())
}

fn to_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(decimals: Option<u32>, factor: Option<&str>) -> DataStyle {
        DataStyle {
            number: Some(NumberPart {
                decimals,
                min_decimals: decimals,
                min_integer: 1,
                grouping: true,
                factor: factor.map(str::to_string),
            }),
            ..DataStyle::default()
        }
    }

    #[test]
    fn number_styles_show_as_excel_codes_do() {
        assert_eq!(number(Some(2), None).shown(), Shown::Fixed { min_integer: 1, min_decimals: 2, max_decimals: 2 });
        assert_eq!(number(Some(2), None).code(), "#,##0.00");
        assert_eq!(number(None, None).shown(), Shown::General);
        assert!(matches!(number(Some(0), Some("1000")).shown(), Shown::Scaled(_)));
        assert_eq!(number(Some(0), Some("1000")).code(), "#,##0,");
        assert_eq!(
            number(Some(0), Some("1")).shown(),
            Shown::Fixed { min_integer: 1, min_decimals: 0, max_decimals: 0 }
        );
        let percent = DataStyle { kind: Kind::Percentage, ..number(Some(0), None) };
        assert!(matches!(percent.shown(), Shown::Scaled(_)));
        assert_eq!(DataStyle { number: None, ..DataStyle::default() }.shown(), Shown::Nothing);
    }

    #[test]
    fn conditions_on_the_sign_pick_the_section_and_others_are_unread() {
        assert_eq!(sign_condition("value()>=0"), Some([true, false, true]));
        assert_eq!(sign_condition("value()<0"), Some([false, true, false]));
        assert_eq!(sign_condition("value() = 0"), Some([false, false, true]));
        assert_eq!(sign_condition("value()>=1000"), None);
        let mut styles = Styles::default();
        styles.data.insert("N5P0".into(), number(Some(0), Some("1000")));
        let mut negative = number(Some(2), None);
        negative.maps.push(("value()>=0".into(), "N5P0".into()));
        styles.data.insert("N5".into(), negative);
        styles.cells.insert("ce1".into(), CellStyle { parent: None, data_style: Some("N5".into()) });
        let format = styles.format(Some("ce1"));
        assert!(matches!(format.positive, Shown::Scaled(_)));
        assert!(matches!(format.zero, Shown::Scaled(_)));
        assert_eq!(format.negative, Shown::Fixed { min_integer: 1, min_decimals: 2, max_decimals: 2 });
        assert_eq!(format.code, "#,##0,");
        assert_eq!(styles.format(None), NumberFormat::general());
        assert!(matches!(styles.format(Some("nowhere")).positive, Shown::General));
    }
}
