//! One folder per command: its job (flags resolved), its computation and result, its own
//! readers and its renderers. Shared here: where the agreement and the population come from.

pub mod allocate;
pub mod audit;
pub mod check;
pub mod diff;
pub mod explain;
pub mod follow_up;
pub mod list;
pub mod missing;
pub mod payouts;
pub mod report;
pub mod shell;
pub mod sources;
pub mod web;
