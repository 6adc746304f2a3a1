//! The domain: exact amounts and dates, names and regions, population tables, agreements and
//! plans, and the apportionment that splits money exactly. Pure: no output, no flags.

pub mod agreement;
pub mod allocation;
pub mod amount;
pub mod apportion;
pub mod date;
pub mod findings;
pub mod municipality;
pub mod population;
pub mod proposal;
pub mod quarter;
pub mod region;
