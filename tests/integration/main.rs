//! Every integration test in one binary: one link instead of one per file, which is most of a
//! cold `cargo test`. Each module runs the real `fordela` binary.

mod allocate;
mod amount_reading;
mod arithmetic_properties;
mod audit;
mod bad_inputs;
mod bundled_data;
mod check;
mod common;
mod csv_reading;
mod diff;
mod error_messages;
mod explain;
mod follow_up;
mod hardening_arithmetic;
mod hardening_codes;
mod hardening_files;
mod hardening_large_inputs;
mod hardening_mutations;
mod hardening_readers;
mod language;
mod list;
mod municipalities;
mod payouts;
mod plan_files;
mod population_files;
mod px_web;
mod read_back;
mod readers_everywhere;
mod readme;
mod report;
mod rules;
mod shell;
mod targets;
mod workbook_output;
mod workbook_reading;
