//! The output kit: every command's results leave through here. One `Format` resolve rule, the
//! CSV dialect and its formula guard, the workbook model and writer, atomic file output, and
//! the charts fordela draws as inline SVG.

pub mod chart;
pub mod deliver;
pub mod dialect;
pub mod file;
pub mod format;
pub mod grid;
pub mod workbook;
