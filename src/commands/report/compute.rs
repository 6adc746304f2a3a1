//! The region's report for the year (redovisning per utvecklingsområde): the agreement, the
//! region's allocation with the population date it was computed from, and the follow-up of
//! its plan (per area the plan, the outcome and what is left, each intervention's comment, the
//! findings). A result value: `report::html` writes it, and `report::xlsx` is a
//! second renderer of the same value.

use rust_decimal::Decimal;

use crate::commands::check::compute::{AreaRef, CheckReport};
use crate::commands::follow_up::compute::FollowUpReport;
use crate::core::allocation::PopulationUse;
use crate::core::date::Date;

/// One of the agreement's areas and what the region gets for it, exact, in the plan's unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaAllocation {
    pub id: String,
    pub name: String,
    pub allocation: Decimal,
}

#[derive(Debug, Clone)]
pub struct RegionReport {
    pub agreement: String,
    /// The document the agreement's figures come from, if its file names it.
    pub reference: Option<String>,
    pub region_code: String,
    /// The region's own name (`Region Jämtland Härjedalen`) where the code is one of Sweden's
    /// 21, else the name the population table gives.
    pub region_name: String,
    pub population: PopulationUse,
    pub agreement_population_date: Date,
    pub allocation: Vec<AreaAllocation>,
    pub allocation_total: Decimal,
    pub follow_up: FollowUpReport,
    /// What `check` finds in the plan against the allocation: the report says it too.
    pub plan_findings: Vec<crate::commands::check::compute::Finding>,
    /// Whether the plan's places are lines of a text or rows of a sheet.
    pub plan_lines: crate::io::lines::Lines,
    /// Whether an outcome file was given: without one the report is the plan alone.
    pub outcome_given: bool,
}

impl RegionReport {
    /// The region's allocation for an area of the follow-up, by id.
    #[must_use]
    pub fn allocation_of(&self, id: &str) -> Option<Decimal> {
        self.allocation.iter().find(|area| area.id == id).map(|area| area.allocation)
    }
}

/// The report from what `check` computed of the allocation (the same figures `check` shows)
/// and the follow-up.
#[must_use]
pub fn region_report(
    check: &CheckReport,
    agreement: &crate::core::agreement::Agreement,
    follow_up: FollowUpReport,
    outcome_given: bool,
) -> RegionReport {
    let allocation = check
        .areas
        .iter()
        .filter_map(|line| match &line.area {
            AreaRef::Area(id) => {
                let name = agreement.areas.iter().find(|area| &area.id == id).map_or(id.as_str(), |area| &area.name);
                Some(AreaAllocation { id: id.clone(), name: name.to_string(), allocation: line.allocation })
            }
            AreaRef::Total => None,
        })
        .collect();
    RegionReport {
        agreement: check.agreement.clone(),
        reference: agreement.reference.clone(),
        region_code: check.region_code.clone(),
        region_name: crate::core::region::counties()
            .iter()
            .find(|county| crate::core::region::same_code(county.code, &check.region_code))
            .map_or_else(|| check.region_name.clone(), |county| county.region.to_string()),
        population: check.population.clone(),
        agreement_population_date: check.agreement_population_date,
        allocation,
        allocation_total: check.total.allocation,
        follow_up,
        plan_findings: check.findings.clone(),
        plan_lines: check.plan_lines,
        outcome_given,
    }
}
