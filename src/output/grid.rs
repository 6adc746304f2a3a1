//! A table as cells, shared by a text report (box lines) and `fordela web` (an HTML table):
//! both draw the same cells.

use crate::core::findings::Severity;
use crate::lang::Lang;
use comfy_table::{Cell, CellAlignment, Table, presets};
use std::io::{self, Write};

/// A table as cells: its header, its rows, and which columns hold amounts (set right). The text
/// reports draw it with box lines; `fordela web` as an HTML table.
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub right: Vec<bool>,
}

impl Grid {
    /// The table the text reports draw, with box lines.
    #[must_use]
    pub fn drawn(&self) -> Table {
        let cell = |(text, right): (&String, &bool)| {
            let cell = Cell::new(text);
            if *right { cell.set_alignment(CellAlignment::Right) } else { cell }
        };
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        table.set_header(self.header.iter().zip(&self.right).map(cell));
        for row in &self.rows {
            table.add_row(row.iter().zip(&self.right).map(cell));
        }
        table
    }
}

/// A text report as it reads, in order: lines of words, tables of cells, findings. The text
/// report writes them as lines (a table with box lines); `fordela web` shows the same blocks
/// as paragraphs, HTML tables and a list of findings.
pub enum Block {
    /// A line of words; an empty one parts what is above from what is below.
    Line(String),
    Grid(Grid),
    Finding {
        severity: Severity,
        id: &'static str,
        message: String,
    },
}

impl Block {
    /// The blocks as the text report prints them.
    ///
    /// # Errors
    /// When `out` cannot be written.
    pub fn write_all(blocks: &[Block], lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        for block in blocks {
            match block {
                Block::Line(line) => writeln!(out, "{line}")?,
                Block::Grid(grid) => writeln!(out, "{}", grid.drawn())?,
                Block::Finding { severity, id, message } => {
                    writeln!(out, "  {:<7} {:<28} {}", severity.word(lang), id, message)?;
                }
            }
        }
        Ok(())
    }
}
