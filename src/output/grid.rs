//! A table as cells, shared by a text report (box lines) and `fordela web` (an HTML table):
//! both draw the same cells.

use comfy_table::{Cell, CellAlignment, Table, presets};

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
