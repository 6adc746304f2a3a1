//! Every integration test in one binary: one link instead of one per file, which is most of a
//! cold `cargo test`. Each module runs the real `fordela` binary.

mod allocate;
mod arithmetic_properties;
mod bad_inputs;
mod bundled_data;
mod check;
mod common;
mod error_messages;
mod explain;
mod hardening_arithmetic;
mod hardening_codes;
mod hardening_files;
mod hardening_mutations;
mod hardening_readers;
mod large_inputs;
mod municipalities;
mod readme;
mod reshape_findings;
mod reshape_mid;
mod review2_fixes;
mod review_fixes_amounts;
mod review_fixes_csv;
mod review_fixes_lists;
mod rules;
mod targets;
