//! `allocate --format table`: regions by code, then set-aside recipients, then a total row;
//! Swedish digit grouping; notes on population, rounding and ties below.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::view::{AllocationView, Note, Row, RowKind};
use super::words::MoneyFormat;
use super::words::area_rule;
use super::words::county_level_words;
use super::words::eligibility_words;
use super::words::percent;
use super::words::population_words;
use super::words::rounding_note;
use super::words::tie_rule;
use crate::core::amount::{NumberStyle, Unit};
use crate::lang::Lang;

/// The table is streamed, two passes over the rows (widths, then lines): a million regions
/// held as table cells would take gigabytes.
pub fn write(view: &AllocationView<'_>, unit: Unit, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let style = NumberStyle::SWEDISH;
    let money = MoneyFormat::new(view, unit, style);
    let agreement = view.agreement();
    let rows = Rows { view, money: &money, style, lang };

    writeln!(out, "{} ({})", agreement.name, agreement.source)?;
    let mut header = Vec::new();
    rows.header(&mut header);
    StreamedTable::new(rows.columns()).draw(&header, view.row_count(), |index, cells| rows.fill(index, cells), out)?;
    notes(view, unit, lang, out)
}

/// The table's header and every row as the text cells the terminal shows, for a page that
/// draws the same table (`web`); the amounts' columns are right-aligned from the third on
/// (the fourth when grouped by county).
#[must_use]
pub fn cells(view: &AllocationView<'_>, unit: Unit, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    let style = NumberStyle::SWEDISH;
    let money = MoneyFormat::new(view, unit, style);
    let rows = Rows { view, money: &money, style, lang };
    let mut header = Vec::new();
    rows.header(&mut header);
    let body = (0..view.row_count())
        .map(|index| {
            let mut cells = Vec::new();
            rows.fill(index, &mut cells);
            cells
        })
        .collect();
    (header, body)
}

/// The notes below the table: the unit, the shares, the population, the areas' rules, ties.
pub fn notes(view: &AllocationView<'_>, unit: Unit, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let money = MoneyFormat::new(view, unit, NumberStyle::SWEDISH);
    let agreement = view.agreement();
    let notes = view.notes();
    let units = agreement.rounding.describe();
    match (view.rounding(), lang) {
        (None, Lang::En) => writeln!(
            out,
            "Amounts in {unit}, exact: each region's part of an area is its share by the area's key, in whole \
             units of {units}, so every column adds up."
        )?,
        (None, Lang::Sv) => writeln!(
            out,
            "Belopp i {unit}, exakta: varje regions del av ett område är dess andel efter områdets nyckel, i hela \
             enheter om {units}, så att varje kolumn summerar."
        )?,
        (Some(_), Lang::En) => {
            writeln!(out, "Amounts in {unit}, rounded for display (see below); every column still adds up.")?;
        }
        (Some(_), Lang::Sv) => {
            writeln!(out, "Belopp i {unit}, avrundade för visning (se nedan); varje kolumn summerar ändå.")?;
        }
    }
    writeln!(
        out,
        "{}",
        lang.pick(
            "Andelarna avrundas på samma sätt och summerar till 100 %.",
            "Shares are rounded the same way and add up to 100 %."
        )
    )?;
    for note in notes {
        if let Note::Rounding { step } = note {
            writeln!(out, "{}: {}.", lang.pick("Visning", "Display"), rounding_note(*step, lang))?;
        }
    }
    for note in notes {
        if let Note::Population { used, agreement_date } = note {
            writeln!(
                out,
                "{}: {}.",
                lang.pick("Befolkning", "Population"),
                population_words(used, *agreement_date, lang)
            )?;
        }
    }
    for note in notes {
        if let Note::CountyLevel { level, agreement_date } = note {
            let words = county_level_words(level, *agreement_date, lang);
            writeln!(out, "{}: {words}.", lang.pick("Län", "Counties"))?;
        }
    }
    for note in notes {
        if let Note::AreaRule { area, .. } = note {
            writeln!(out, "  {}: {} ({})", area.id, area.name, area_rule(note, &money, unit, lang))?;
        }
    }
    for note in notes {
        if let Note::Eligibility { excluded, policy, reason } = note {
            let words = eligibility_words(excluded, *policy, *reason, lang);
            writeln!(out, "{}: {words}.", lang.pick("Berättigande", "Eligibility"))?;
        }
    }
    let ties: Vec<_> =
        notes.iter().filter_map(|note| if let Note::Tie(tie) = note { Some(tie) } else { None }).collect();
    if ties.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick(
                "Lika anspråk: inga (ingen enhet avgjordes av regeln för lika anspråk).",
                "Ties: none (no unit was decided by the tie rule)."
            )
        )?;
    } else {
        writeln!(
            out,
            "{} ({}):",
            lang.pick("Lika anspråk avgjorda enligt regel", "Ties decided by rule"),
            tie_rule(lang)
        )?;
        for tie in ties {
            let (equal, given) = (tie.tied.join(", "), tie.winners.join(", "));
            match lang {
                Lang::Sv => writeln!(out, "  {}: {equal} lika, enheten gick till {given}", tie.area)?,
                Lang::En => writeln!(out, "  {}: {equal} tied, the unit went to {given}", tie.area)?,
            }
        }
    }
    Ok(())
}

fn grouped(count: u128) -> String {
    crate::core::amount::Scaled { mantissa: count, scale: 0 }.format(0, NumberStyle::SWEDISH)
}

/// The result's rows as text cells.
struct Rows<'a> {
    view: &'a AllocationView<'a>,
    money: &'a MoneyFormat,
    style: NumberStyle,
    lang: Lang,
}

impl Rows<'_> {
    fn columns(&self) -> Vec<Alignment> {
        let mut columns = vec![Alignment::Left, Alignment::Left];
        if self.view.grouped_by_county() {
            columns.push(Alignment::Left);
        }
        columns.resize(columns.len() + self.view.agreement().areas.len() + 3, Alignment::Right);
        columns
    }

    fn header(&self, cells: &mut Vec<String>) {
        cells.clear();
        let lang = self.lang;
        cells.extend([lang.pick("kod", "code"), "region"].map(String::from));
        if self.view.grouped_by_county() {
            cells.push(lang.pick("län", "county").into());
        }
        cells.extend([lang.pick("folkmängd", "population"), lang.pick("andel %", "share %")].map(String::from));
        cells.extend(self.view.agreement().areas.iter().map(|area| area.id.clone()));
        cells.push(self.lang.pick("totalt", "total").into());
    }

    /// Row `index` into `cells`.
    fn fill(&self, index: usize, cells: &mut Vec<String>) {
        let money = self.money;
        cells.clear();
        let Row { kind, amounts } = self.view.row(index);
        match kind {
            RowKind::Region { code, name, population, share_millionths, eligible, .. } => {
                cells.push(code.to_string());
                cells.push(if eligible {
                    name.to_string()
                } else {
                    format!("{name} ({})", self.lang.pick("ej berättigad", "not eligible"))
                });
                if let Some(county) = self.view.county_of(index) {
                    cells.push(county.to_string());
                }
                cells.push(grouped(u128::from(population)));
                cells.push(percent(share_millionths, self.style));
            }
            RowKind::SetAside { .. } | RowKind::Withheld => {
                cells.extend([String::new(), kind.label(self.lang).to_string(), String::new(), String::new()]);
                if self.view.grouped_by_county() {
                    cells.push(String::new());
                }
            }
            RowKind::Total { population, share_millionths } => {
                cells.extend([String::new(), kind.label(self.lang).to_string()]);
                if self.view.grouped_by_county() {
                    cells.push(String::new());
                }
                cells.push(grouped(population));
                cells.push(percent(share_millionths, self.style));
            }
        }
        cells.extend(amounts.iter().map(|units| money.show(units)));
        cells.push(money.show(amounts.total()));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alignment {
    Left,
    Right,
}

/// A table drawn as comfy-table's `UTF8_FULL_CONDENSED` draws it (the other tables of fordela
/// are comfy-table's), one row at a time: column widths are measured over every row first.
struct StreamedTable {
    alignments: Vec<Alignment>,
    widths: Vec<usize>,
    line: String,
}

impl StreamedTable {
    fn new(alignments: Vec<Alignment>) -> StreamedTable {
        let widths = vec![0; alignments.len()];
        StreamedTable { alignments, widths, line: String::new() }
    }

    /// The header and `count` rows, each put into its cells by `fill` (twice: once to measure
    /// the columns, once to draw).
    fn draw(
        &mut self,
        header: &[String],
        count: usize,
        mut fill: impl FnMut(usize, &mut Vec<String>),
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut cells = Vec::new();
        self.measure(header);
        for index in 0..count {
            fill(index, &mut cells);
            self.measure(&cells);
        }
        self.top(out)?;
        self.row(header, out)?;
        self.header_separator(out)?;
        for index in 0..count {
            fill(index, &mut cells);
            self.row(&cells, out)?;
        }
        self.bottom(out)
    }

    fn measure(&mut self, cells: &[String]) {
        for (width, cell) in self.widths.iter_mut().zip(cells) {
            *width = cell.split('\n').map(UnicodeWidthStr::width).fold(*width, usize::max);
        }
    }

    fn border(&self, out: &mut dyn Write, [left, fill, joint, right]: [char; 4]) -> io::Result<()> {
        let mut line = String::new();
        line.push(left);
        for (index, width) in self.widths.iter().enumerate() {
            if index > 0 {
                line.push(joint);
            }
            line.extend(std::iter::repeat_n(fill, width + 2));
        }
        line.push(right);
        writeln!(out, "{line}")
    }

    fn top(&self, out: &mut dyn Write) -> io::Result<()> {
        self.border(out, ['┌', '─', '┬', '┐'])
    }

    fn header_separator(&self, out: &mut dyn Write) -> io::Result<()> {
        self.border(out, ['╞', '═', '╪', '╡'])
    }

    fn bottom(&self, out: &mut dyn Write) -> io::Result<()> {
        self.border(out, ['└', '─', '┴', '┘'])
    }

    /// One row: as many lines as its tallest cell (a cell's line breaks are kept).
    fn row(&mut self, cells: &[String], out: &mut dyn Write) -> io::Result<()> {
        let height = cells.iter().map(|cell| cell.split('\n').count()).max().unwrap_or(1);
        for line_index in 0..height {
            self.line.clear();
            self.line.push('│');
            for (column, cell) in cells.iter().enumerate() {
                if column > 0 {
                    self.line.push('┆');
                }
                let text = cell.split('\n').nth(line_index).unwrap_or("");
                // Spaces to fill, never a figure: every cell was measured into `widths`, so the
                // text is never wider; were it, the cell would show whole, only unaligned.
                let padding = self.widths[column].saturating_sub(text.width());
                self.line.push(' ');
                match self.alignments[column] {
                    Alignment::Left => {
                        self.line.push_str(text);
                        self.line.extend(std::iter::repeat_n(' ', padding));
                    }
                    Alignment::Right => {
                        self.line.extend(std::iter::repeat_n(' ', padding));
                        self.line.push_str(text);
                    }
                }
                self.line.push(' ');
            }
            self.line.push('│');
            self.line.push('\n');
            out.write_all(self.line.as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use comfy_table::{Cell, CellAlignment, Table, presets};

    use super::*;

    /// What comfy-table draws for the same cells.
    fn comfy(alignments: &[Alignment], header: &[&str], rows: &[Vec<String>]) -> String {
        let cell = |text: &str, alignment: Alignment| {
            let cell = Cell::new(text);
            if alignment == Alignment::Right { cell.set_alignment(CellAlignment::Right) } else { cell }
        };
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        table.set_header(header.iter().zip(alignments).map(|(text, &alignment)| cell(text, alignment)));
        for row in rows {
            table.add_row(row.iter().zip(alignments).map(|(text, &alignment)| cell(text, alignment)));
        }
        format!("{table}\n")
    }

    fn streamed(alignments: &[Alignment], header: &[&str], rows: &[Vec<String>]) -> String {
        let header: Vec<String> = header.iter().map(ToString::to_string).collect();
        let mut out = Vec::new();
        StreamedTable::new(alignments.to_vec())
            .draw(&header, rows.len(), |index, cells| cells.clone_from(&rows[index]), &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn streamed_table_draws_what_comfy_table_draws() {
        let alignments = [Alignment::Left, Alignment::Left, Alignment::Right, Alignment::Right];
        let header = ["code", "region", "population", "total"];
        let row = |cells: [&str; 4]| cells.map(String::from).to_vec();
        let cases = vec![
            vec![row(["01", "Stockholms län", "2 344 124", "551 305 997"])],
            vec![
                row(["23", "Jämtlands län", "130 280", "30 640 080"]),
                row(["", "SKR", "", "24 000 000"]),
                row(["", "Total", "10 230 185", "2 430 000 000"]),
            ],
            // Wide characters, an empty row, a cell over two lines.
            vec![row(["9", "東京 Region", "1", "2"]), row(["", "", "", ""]), row(["7", "två\nrader", "3", "4"])],
        ];
        for rows in cases {
            assert_eq!(streamed(&alignments, &header, &rows), comfy(&alignments, &header, &rows));
        }
    }
}
