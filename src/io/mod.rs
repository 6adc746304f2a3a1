//! The border: every input is read here, bounded, decoded and placed (file, line, sheet, cell),
//! whatever its format, before any command sees it.

pub mod bundled;
pub mod csvin;
pub mod error;
pub mod input;
pub mod limits;
pub mod lines;
pub mod names;
pub mod number;
pub mod sheet;
pub mod suggest;
