//! Every integration test in one binary: one link instead of one per file, which is most of a
//! cold `cargo test`. Each module runs the real `fordela` binary.

mod allocate;
mod arithmetic_properties;
mod audit;
mod audit_published;
mod bad_inputs;
mod bundled_data;
mod check;
mod common;
mod diff;
mod error_messages;
mod excel_readers;
mod explain;
mod follow_up;
mod hardening_arithmetic;
mod hardening_codes;
mod hardening_files;
mod hardening_mutations;
mod hardening_readers;
mod language;
mod large_inputs;
mod municipalities;
mod payouts;
mod readme;
mod report;
mod reshape_findings;
mod reshape_mid;
mod review2_fixes;
mod review_fixes_amounts;
mod review_fixes_csv;
mod review_fixes_lists;
mod review_follow_up;
mod rules;
mod shell;
mod targets;
mod workbooks;
