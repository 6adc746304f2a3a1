//! Proposal × allocation → findings: does the plan add up, and does it match what the region
//! gets? Everything is compared exactly, in the plan's unit.
//!
//! Precision rule: a plan written to `d` decimals (the finest amount anywhere in it) can only
//! match an allocation to half a step, `0,5 · 10^-d`: 30,6 mkr matches 30,640080 mkr, 19 mkr in
//! a plan that also writes 5,8 does not match 19,102294 mkr. A plan above its allocation beyond
//! that is an error (it spends money the region does not get); below is a warning (money left
//! unplanned), an error with `--strict`.

use std::collections::HashMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::agreement::{Agreement, Area};
use crate::allocation::Allocation;
use crate::amount::Unit;
use crate::input::InputError;
use crate::proposal::{Declared, Intervention, Proposal, ProposalArea};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Warning,
    Error,
}

impl Severity {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing `check` reports, with a stable id for scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub id: &'static str,
    /// Area id, or `total` for the plan as a whole.
    pub area: String,
    pub line: Option<usize>,
    pub message: String,
}

/// One line of the report: an area, or the plan's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    pub area: String,
    /// The region's exact allocation, in the plan's unit.
    pub allocation: Decimal,
    /// The allocation rounded to the plan's precision.
    pub allocation_rounded: Decimal,
    pub declared: Option<Decimal>,
    /// Sum of the interventions (of the areas' amounts, for the total).
    pub parts: Option<Decimal>,
    /// What the plan puts in: declared, else the parts' sum; minus the allocation.
    pub difference: Option<Decimal>,
    pub verdict: Severity,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub plan: String,
    pub agreement: String,
    pub region_code: String,
    pub region_name: String,
    pub unit: Unit,
    /// Decimals the plan is written with, and the tolerance that follows from them.
    pub plan_decimals: u32,
    pub tolerance: Decimal,
    pub areas: Vec<ReportLine>,
    pub total: ReportLine,
    pub findings: Vec<Finding>,
}

impl CheckReport {
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|finding| finding.severity == severity).count()
    }
}

/// Shows a decimal exactly, `-0,5` style, for messages.
fn show(value: Decimal, unit: Unit) -> String {
    format!("{} {unit}", crate::amount::format_decimal(value, 0, crate::amount::NumberStyle::SWEDISH))
}

struct Checker {
    unit: Unit,
    tolerance: Decimal,
    decimals: u32,
    strict: bool,
    findings: Vec<Finding>,
}

impl Checker {
    fn report(&mut self, severity: Severity, id: &'static str, area: &str, line: Option<usize>, message: String) {
        let severity = if self.strict && severity == Severity::Warning { Severity::Error } else { severity };
        self.findings.push(Finding { severity, id, area: area.to_string(), line, message });
    }

    /// Compares what the plan puts in with the allocation, to the plan's precision.
    fn against_allocation(&mut self, area: &str, planned: Decimal, allocation: Decimal, line: Option<usize>) {
        let difference = planned.saturating_sub(allocation);
        if difference.abs() <= self.tolerance {
            return;
        }
        let rounded = allocation.round_dp_with_strategy(self.decimals, RoundingStrategy::MidpointAwayFromZero);
        let what = if area == "total" { "the plan's total".to_string() } else { format!("area `{area}`") };
        let (severity, id, side) = if difference > Decimal::ZERO {
            (Severity::Error, "allocation-over", "above")
        } else {
            (Severity::Warning, "allocation-under", "below")
        };
        let message = format!(
            "{what} plans {}, {} {side} the allocation of {} ({} to the plan's precision; tolerance ±{})",
            show(planned, self.unit),
            show(difference.abs(), self.unit),
            show(allocation, self.unit),
            show(rounded, self.unit),
            show(self.tolerance, self.unit),
        );
        self.report(severity, id, area, line, message);
    }

    /// One agreement area against the plan's table for it (if any).
    fn area(&mut self, known: &Area, plan_area: Option<&ProposalArea>, allocation: Decimal) -> ReportLine {
        let Some(area) = plan_area else {
            let message = format!(
                "area `{}` ({}) is missing from the plan; the region gets {} for it",
                known.id,
                known.name,
                show(allocation, self.unit)
            );
            self.report(Severity::Error, "area-missing", &known.id, None, message);
            return line_for(&known.id, allocation, self.decimals, None, None);
        };
        self.interventions(&known.id, &area.interventions);
        let parts = (!area.interventions.is_empty())
            .then(|| area.interventions.iter().fold(Decimal::ZERO, |sum, i| sum.saturating_add(i.amount)));
        if let Some(declared) = &area.declared {
            if let Some(parts) = parts {
                self.declared_against_parts(&known.id, declared, parts, "interventions-sum");
            }
            if declared.amount < Decimal::ZERO {
                let message =
                    format!("area `{}` declares a negative amount, {}", known.id, show(declared.amount, self.unit));
                self.report(Severity::Error, "amount-negative", &known.id, Some(declared.line), message);
            }
        }
        let declared = area.declared.as_ref().map(|declared| declared.amount);
        if let Some(planned) = declared.or(parts) {
            let line = area.declared.as_ref().map_or(area.line, |declared| declared.line);
            self.against_allocation(&known.id, planned, allocation, Some(line));
        } else {
            let message = format!("area `{}` has neither an amount nor interventions", known.id);
            self.report(Severity::Warning, "area-empty", &known.id, Some(area.line), message);
        }
        line_for(&known.id, allocation, self.decimals, declared, parts)
    }

    /// Signs and duplicate names among one area's interventions.
    fn interventions(&mut self, area: &str, interventions: &[Intervention]) {
        let mut names: HashMap<String, usize> = HashMap::new();
        for intervention in interventions {
            if intervention.amount < Decimal::ZERO {
                self.report(
                    Severity::Error,
                    "amount-negative",
                    area,
                    Some(intervention.line),
                    format!(
                        "intervention `{}` has a negative amount, {}",
                        intervention.name,
                        show(intervention.amount, self.unit)
                    ),
                );
            } else if intervention.amount.is_zero() {
                self.report(
                    Severity::Warning,
                    "amount-zero",
                    area,
                    Some(intervention.line),
                    format!("intervention `{}` has the amount zero", intervention.name),
                );
            }
            if let Some(first) = names.insert(intervention.name.to_lowercase(), intervention.line) {
                self.report(
                    Severity::Error,
                    "intervention-duplicate",
                    area,
                    Some(intervention.line),
                    format!(
                        "intervention `{}` appears twice in area `{}` (first on line {first})",
                        intervention.name, area
                    ),
                );
            }
        }
    }

    /// A declared sum against the sum of its parts.
    fn declared_against_parts(&mut self, area: &str, declared: &Declared, parts: Decimal, id_for_field: &'static str) {
        if declared.amount == parts {
            return;
        }
        let (id, said) =
            if declared.from_total_row { ("total-row", "the sum row says") } else { (id_for_field, "it declares") };
        let what = if area == "total" {
            "the areas add up to".to_string()
        } else {
            format!("area `{area}`: the interventions add up to")
        };
        let message = format!(
            "{what} {}, but {said} {}: difference {}",
            show(parts, self.unit),
            show(declared.amount, self.unit),
            show(parts.saturating_sub(declared.amount), self.unit),
        );
        self.report(Severity::Error, id, area, Some(declared.line), message);
    }
}

/// The tolerance for a plan written to `decimals` decimals: half its last step.
#[must_use]
pub fn tolerance(decimals: u32) -> Decimal {
    Decimal::new(5, decimals + 1)
}

/// Checks `proposal` for the region at `region_index` of `allocation`. Areas the agreement
/// does not know are input errors (with a suggestion), not findings: nothing else in such a
/// plan can be trusted to be checked against the right figures.
pub fn check(
    proposal: &Proposal,
    allocation: &Allocation,
    region_index: usize,
    unit: Unit,
    strict: bool,
) -> Result<CheckReport, InputError> {
    let agreement = &allocation.agreement;
    let region = allocation.region(region_index);
    // Fits by construction (see `RoundingUnit::max_count`); an error, never a wrong figure.
    let to_unit = |units: u128| {
        agreement.rounding.try_scaled(units, unit).and_then(crate::amount::scaled_to_decimal).ok_or_else(|| {
            InputError::file(&agreement.source, format!("{units} units cannot be compared exactly in {unit}"))
        })
    };
    let decimals = proposal.decimals();
    let mut checker = Checker { unit, tolerance: tolerance(decimals), decimals, strict, findings: Vec::new() };
    let matched = match_areas(proposal, agreement)?;

    let mut lines = Vec::with_capacity(agreement.areas.len());
    let mut planned_sum: Option<Decimal> = None;
    for (index, known) in agreement.areas.iter().enumerate() {
        let plan_area = matched.iter().position(|&m| m == index).map(|at| &proposal.areas[at]);
        let line = checker.area(known, plan_area, to_unit(region.amount(index))?);
        if let Some(planned) = line.declared.or(line.parts) {
            let sum = planned_sum.get_or_insert(Decimal::ZERO);
            *sum = sum.saturating_add(planned);
        }
        lines.push(line);
    }

    let total_allocation = to_unit(region.total())?;
    if let (Some(declared), Some(parts)) = (&proposal.total, planned_sum) {
        checker.declared_against_parts("total", declared, parts, "areas-sum");
    }
    let declared_total = proposal.total.as_ref().map(|declared| declared.amount);
    if let Some(planned) = declared_total.or(planned_sum) {
        let line = proposal.total.as_ref().map(|declared| declared.line);
        checker.against_allocation("total", planned, total_allocation, line);
    }
    let mut total = line_for("total", total_allocation, decimals, declared_total, planned_sum);

    let findings = checker.findings;
    let worst =
        |area: &str| findings.iter().filter(|f| f.area == area).map(|f| f.severity).max().unwrap_or(Severity::Ok);
    for line in &mut lines {
        line.verdict = worst(&line.area);
    }
    total.verdict = worst("total");
    Ok(CheckReport {
        plan: proposal.source.clone(),
        agreement: agreement.name.clone(),
        region_code: region.code().to_string(),
        region_name: region.name().to_string(),
        unit,
        plan_decimals: decimals,
        tolerance: tolerance(decimals),
        areas: lines,
        total,
        findings,
    })
}

/// Which agreement area each plan area is, by id or by name (case-insensitive).
fn match_areas(proposal: &Proposal, agreement: &Agreement) -> Result<Vec<usize>, InputError> {
    let mut seen: HashMap<usize, usize> = HashMap::new();
    let mut matched = Vec::with_capacity(proposal.areas.len());
    for area in &proposal.areas {
        let wanted = area.name.to_lowercase();
        let index = agreement
            .areas
            .iter()
            .position(|known| known.id.to_lowercase() == wanted || known.name.to_lowercase() == wanted)
            .ok_or_else(|| {
                let names = agreement.areas.iter().map(|known| known.id.as_str());
                let hint = crate::suggest::nearest(&area.name, names)
                    .map_or(String::new(), |name| format!("; did you mean `{name}`?"));
                let ids: Vec<&str> = agreement.areas.iter().map(|known| known.id.as_str()).collect();
                InputError::at(
                    &proposal.source,
                    area.line,
                    None,
                    format!("area `{}` is not in {} (its areas: {}){hint}", area.name, agreement.name, ids.join(", ")),
                )
            })?;
        if let Some(first) = seen.insert(index, area.line) {
            return Err(InputError::at(
                &proposal.source,
                area.line,
                None,
                format!("area `{}` appears twice (first on line {first})", agreement.areas[index].id),
            ));
        }
        matched.push(index);
    }
    Ok(matched)
}

fn line_for(
    area: &str,
    allocation: Decimal,
    decimals: u32,
    declared: Option<Decimal>,
    parts: Option<Decimal>,
) -> ReportLine {
    let planned = declared.or(parts);
    ReportLine {
        area: area.to_string(),
        allocation,
        allocation_rounded: allocation.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero),
        declared,
        parts,
        difference: planned.map(|planned| planned.saturating_sub(allocation)),
        verdict: Severity::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_half_the_last_step() {
        assert_eq!(tolerance(0), Decimal::new(5, 1));
        assert_eq!(tolerance(1), Decimal::new(5, 2));
        assert_eq!(tolerance(6), Decimal::new(5, 7));
    }
}
