//! Proposal × allocation → findings: does the plan add up, and does it match what the region
//! gets? Everything is compared exactly, in the plan's unit. Findings are data (a kind and its
//! figures); their words are the renderer's (`check::report`).
//!
//! Precision rule: a plan written to `d` decimals (the finest amount anywhere in it) can only
//! match an allocation to half a step, `0,5 · 10^-d`: 30,6 mkr matches 30,640080 mkr, 19 mkr in
//! a plan that also writes 5,8 does not match 19,102294 mkr. A plan above its allocation beyond
//! that is an error (it spends money the region does not get); below is a warning (money left
//! unplanned), an error with `--strict`.

use crate::core::agreement::{Agreement, Area};
use crate::core::allocation::Allocation;
use crate::core::amount::Unit;
use crate::core::apportion::{RoundedRow, round_row};
use crate::core::findings::{Severity, Verdict};
use crate::core::proposal::{Declared, Intervention, Proposal, ProposalArea};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// What a line of the report, or a finding, is about: one of the agreement's areas, or the
/// plan as a whole. A type, not a word: an agreement may well call an area `total`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AreaRef {
    /// The agreement's area with this id.
    Area(String),
    /// The whole plan: its declared total, or the sum of its areas.
    Total,
}

/// One thing `check` reports: what (with its figures), where, and how bad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The kind's own severity, or error for a warning under `--strict`.
    pub severity: Severity,
    pub kind: FindingKind,
    pub area: AreaRef,
    /// The plan's line the finding points at, when there is one.
    pub line: Option<usize>,
}

/// The kinds of finding, each with the figures that explain it. Amounts are in the plan's
/// unit, exact. In the sums, `difference` is `sum − declared`; against the allocation, it is
/// how far the plan is from it (never negative: the kind says which side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingKind {
    /// An area's interventions do not add up to its declared `amount`.
    InterventionsSum { declared: Decimal, sum: Decimal, difference: Decimal },
    /// A `Totalt`/`Summa` row (an area's, or the plan's) disagrees with the rows above it.
    TotalRow { declared: Decimal, sum: Decimal, difference: Decimal },
    /// The areas' amounts do not add up to the declared `total`.
    AreasSum { declared: Decimal, sum: Decimal, difference: Decimal },
    /// Planned above the allocation beyond the plan's precision; `rounded` is the allocation
    /// to the plan's precision, `targets` the amounts the plan can state instead.
    AllocationOver {
        planned: Decimal,
        allocation: Decimal,
        rounded: Decimal,
        tolerance: Decimal,
        difference: Decimal,
        targets: Option<Targets>,
    },
    /// Planned below the allocation beyond the plan's precision.
    AllocationUnder {
        planned: Decimal,
        allocation: Decimal,
        rounded: Decimal,
        tolerance: Decimal,
        difference: Decimal,
        targets: Option<Targets>,
    },
    /// An area of the agreement that the plan does not have; `name` is the area's full name.
    AreaMissing { name: String, allocation: Decimal },
    /// An area with neither an amount nor interventions.
    AreaEmpty,
    /// A negative amount: an intervention's, or (no `intervention`) the area's declared one.
    AmountNegative { intervention: Option<String>, amount: Decimal },
    /// An intervention of zero.
    AmountZero { intervention: String },
    /// The same intervention name twice in an area (as names are compared: `io::names`).
    InterventionDuplicate { name: String, first_line: usize },
}

impl FindingKind {
    /// The stable id scripts read (docs/check.md, "Findings").
    #[must_use]
    pub fn id(&self) -> &'static str {
        match self {
            FindingKind::InterventionsSum { .. } => "interventions-sum",
            FindingKind::TotalRow { .. } => "total-row",
            FindingKind::AreasSum { .. } => "areas-sum",
            FindingKind::AllocationOver { .. } => "allocation-over",
            FindingKind::AllocationUnder { .. } => "allocation-under",
            FindingKind::AreaMissing { .. } => "area-missing",
            FindingKind::AreaEmpty => "area-empty",
            FindingKind::AmountNegative { .. } => "amount-negative",
            FindingKind::AmountZero { .. } => "amount-zero",
            FindingKind::InterventionDuplicate { .. } => "intervention-duplicate",
        }
    }

    /// How bad the kind is without `--strict`: money unplanned or a plan that says nothing is a
    /// warning; a plan that does not add up or spends money the region does not get, an error.
    #[must_use]
    pub fn severity(&self) -> Severity {
        match self {
            FindingKind::AllocationUnder { .. } | FindingKind::AreaEmpty | FindingKind::AmountZero { .. } => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }
}

/// The amounts a plan written to its own precision can state and still add up to what the
/// region gets: the region's areas rounded down or up to the plan's step, adding up to its
/// total rounded (`apportion::round_row`: largest remainders rounded up, of equal remainders
/// the earlier area; the total's half step up). Jämtland Härjedalen 2019 to 0,1 mkr:
/// 19,1 / 5,8 / 5,7 = 30,6.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Targets {
    /// The plan's step, `10^-decimals` of its unit.
    pub step: Decimal,
    /// Decimals the plan is written with, for showing the targets.
    #[serde(skip)]
    pub decimals: u32,
    /// Each of the agreement's areas and its target, in the agreement's order.
    pub areas: Vec<AreaTarget>,
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaTarget {
    pub area: String,
    pub target: Decimal,
}

/// One line of the report: an area, or the plan's total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub area: AreaRef,
    /// The region's exact allocation, in the plan's unit.
    pub allocation: Decimal,
    /// The allocation rounded to the plan's precision.
    pub allocation_rounded: Decimal,
    pub declared: Option<Decimal>,
    /// Sum of the interventions (of the areas' amounts, for the total).
    pub parts: Option<Decimal>,
    /// What the plan puts in: declared, else the parts' sum; minus the allocation.
    pub difference: Option<Decimal>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone)]
pub struct CheckReport {
    pub plan: String,
    pub agreement: String,
    pub region_code: String,
    pub region_name: String,
    pub unit: Unit,
    /// Decimals the plan is written with, and the tolerance that follows from them.
    pub plan_decimals: u32,
    pub tolerance: Decimal,
    /// The targets for the plan's precision; `None` unless its step is a whole number of the
    /// agreement's rounding units above one (a finer plan can state the exact amounts).
    pub targets: Option<Targets>,
    pub areas: Vec<ReportLine>,
    pub total: ReportLine,
    pub findings: Vec<Finding>,
    /// The population figures the allocation used, and the agreement's own date, for the
    /// report's note on them.
    pub population: crate::core::allocation::PopulationUse,
    pub agreement_population_date: crate::core::date::Date,
    /// Whether the plan's places are lines of a text or rows of a sheet.
    pub plan_lines: crate::io::lines::Lines,
}

impl CheckReport {
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|finding| finding.severity == severity).count()
    }

    /// The findings about one line of the report.
    pub fn findings_for<'a>(&'a self, area: &'a AreaRef) -> impl Iterator<Item = &'a Finding> {
        self.findings.iter().filter(move |finding| &finding.area == area)
    }
}

/// Why a plan cannot be checked at all (as opposed to a finding, which is checked and reported).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// A plan area the agreement does not have: nothing else in such a plan can be trusted to
    /// be checked against the right figures.
    UnknownArea(Box<UnknownArea>),
    /// Two tables of the plan for one agreement area.
    AreaTwice { plan: String, line: usize, id: String, first_line: usize },
    /// An allocation that the plan's unit cannot show exactly. Cannot happen with a validated
    /// agreement (see `RoundingUnit::max_count`): an error, never a wrong figure.
    Inexact { agreement_file: String, units: u128, unit: Unit },
    /// Sums past what a decimal holds. Cannot happen within the plan's limits on amounts and
    /// the input size: an error, never a wrong figure.
    TooLarge { plan: String },
}

/// A plan's area that is not one of the agreement's, and what it might have meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownArea {
    pub plan: String,
    pub line: usize,
    pub name: String,
    pub agreement: String,
    /// The agreement's area ids, and the one nearest `name`.
    pub known: Vec<String>,
    pub suggestion: Option<String>,
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::UnknownArea(unknown) => {
                let UnknownArea { plan, line, name, agreement, known, suggestion } = unknown.as_ref();
                write!(
                    f,
                    "{plan}, line {line}: area `{name}` is not in {agreement} (its areas: {})",
                    known.join(", ")
                )?;
                match suggestion {
                    Some(suggestion) => write!(f, "; did you mean `{suggestion}`?"),
                    None => Ok(()),
                }
            }
            CheckError::AreaTwice { plan, line, id, first_line } => {
                write!(f, "{plan}, line {line}: area `{id}` appears twice (first on line {first_line})")
            }
            CheckError::Inexact { agreement_file, units, unit } => {
                write!(f, "{agreement_file}: {units} units cannot be compared exactly in {unit}")
            }
            CheckError::TooLarge { plan } => write!(f, "{plan}: its amounts are too large to add up exactly"),
        }
    }
}

struct Checker<'a> {
    /// The plan's label, for the one error sums can give.
    plan: &'a str,
    tolerance: Decimal,
    decimals: u32,
    strict: bool,
    targets: Option<Targets>,
    findings: Vec<Finding>,
}

impl Checker<'_> {
    fn report(&mut self, area: &AreaRef, line: Option<usize>, kind: FindingKind) {
        let severity = match kind.severity() {
            Severity::Warning if self.strict => Severity::Error,
            severity => severity,
        };
        self.findings.push(Finding { severity, kind, area: area.clone(), line });
    }

    fn too_large(&self) -> CheckError {
        CheckError::TooLarge { plan: self.plan.to_string() }
    }

    fn minus(&self, a: Decimal, b: Decimal) -> Result<Decimal, CheckError> {
        a.checked_sub(b).ok_or_else(|| self.too_large())
    }

    fn sum(&self, amounts: impl IntoIterator<Item = Decimal>) -> Result<Decimal, CheckError> {
        amounts.into_iter().try_fold(Decimal::ZERO, Decimal::checked_add).ok_or_else(|| self.too_large())
    }

    fn rounded(&self, amount: Decimal) -> Decimal {
        amount.round_dp_with_strategy(self.decimals, RoundingStrategy::MidpointAwayFromZero)
    }

    /// Compares what the plan puts in with the allocation, to the plan's precision. Its
    /// target (`target`) is accepted too: a target can be a step from the allocation, since
    /// the targets add up where amounts rounded one by one would not.
    fn against_allocation(
        &mut self,
        area: &AreaRef,
        planned: Decimal,
        allocation: Decimal,
        target: Option<Decimal>,
        line: Option<usize>,
    ) -> Result<(), CheckError> {
        let signed = self.minus(planned, allocation)?;
        let difference = signed.abs();
        if difference <= self.tolerance || target == Some(planned) {
            return Ok(());
        }
        let (rounded, tolerance, targets) = (self.rounded(allocation), self.tolerance, self.targets.clone());
        let kind = if signed > Decimal::ZERO {
            FindingKind::AllocationOver { planned, allocation, rounded, tolerance, difference, targets }
        } else {
            FindingKind::AllocationUnder { planned, allocation, rounded, tolerance, difference, targets }
        };
        self.report(area, line, kind);
        Ok(())
    }

    /// One agreement area against the plan's table for it (if any).
    fn area(
        &mut self,
        known: &Area,
        plan_area: Option<&ProposalArea>,
        allocation: Decimal,
        target: Option<Decimal>,
    ) -> Result<ReportLine, CheckError> {
        let at = AreaRef::Area(known.id.clone());
        let Some(area) = plan_area else {
            self.report(&at, None, FindingKind::AreaMissing { name: known.name.clone(), allocation });
            return self.line(at, allocation, None, None);
        };
        let parts = self.own_sums(&at, area)?;
        let declared = area.declared.as_ref().map(|declared| declared.amount);
        if let Some(planned) = declared.or(parts) {
            let line = area.declared.as_ref().map_or(area.line, |declared| declared.line);
            self.against_allocation(&at, planned, allocation, target, Some(line))?;
        } else {
            self.report(&at, Some(area.line), FindingKind::AreaEmpty);
        }
        self.line(at, allocation, declared, parts)
    }

    /// An area's table against itself: its interventions' signs and names, and its declared
    /// amount against their sum. Returns the sum (`None` without interventions).
    fn own_sums(&mut self, at: &AreaRef, area: &ProposalArea) -> Result<Option<Decimal>, CheckError> {
        self.interventions(at, &area.interventions);
        let parts = if area.interventions.is_empty() {
            None
        } else {
            Some(self.sum(area.interventions.iter().map(|intervention| intervention.amount))?)
        };
        if let Some(declared) = &area.declared {
            if let Some(parts) = parts {
                self.declared_against_parts(at, declared, parts)?;
            }
            if declared.amount < Decimal::ZERO {
                let kind = FindingKind::AmountNegative { intervention: None, amount: declared.amount };
                self.report(at, Some(declared.line), kind);
            }
        }
        Ok(parts)
    }

    /// Signs and duplicate names among one area's interventions.
    fn interventions(&mut self, area: &AreaRef, interventions: &[Intervention]) {
        let mut names: HashMap<String, usize> = HashMap::new();
        for intervention in interventions {
            let line = Some(intervention.line);
            if intervention.amount < Decimal::ZERO {
                let kind = FindingKind::AmountNegative {
                    intervention: Some(intervention.name.clone()),
                    amount: intervention.amount,
                };
                self.report(area, line, kind);
            } else if intervention.amount.is_zero() {
                self.report(area, line, FindingKind::AmountZero { intervention: intervention.name.clone() });
            }
            // One name however written (`io::names`): `Zamsyn` twice, once with a decomposed
            // letter or a double space, is a duplicate, not two interventions.
            if let Some(first_line) = names.insert(area_key(&intervention.name), intervention.line) {
                let kind = FindingKind::InterventionDuplicate { name: intervention.name.clone(), first_line };
                self.report(area, line, kind);
            }
        }
    }

    /// A declared sum (an area's amount, or the plan's total) against the sum of its parts.
    fn declared_against_parts(
        &mut self,
        area: &AreaRef,
        declared: &Declared,
        parts: Decimal,
    ) -> Result<(), CheckError> {
        if declared.amount == parts {
            return Ok(());
        }
        let (declared_amount, sum, difference) = (declared.amount, parts, self.minus(parts, declared.amount)?);
        let kind = match area {
            _ if declared.from_total_row => FindingKind::TotalRow { declared: declared_amount, sum, difference },
            AreaRef::Total => FindingKind::AreasSum { declared: declared_amount, sum, difference },
            AreaRef::Area(_) => FindingKind::InterventionsSum { declared: declared_amount, sum, difference },
        };
        self.report(area, Some(declared.line), kind);
        Ok(())
    }

    fn line(
        &self,
        area: AreaRef,
        allocation: Decimal,
        declared: Option<Decimal>,
        parts: Option<Decimal>,
    ) -> Result<ReportLine, CheckError> {
        let difference = declared.or(parts).map(|planned| self.minus(planned, allocation)).transpose()?;
        Ok(ReportLine {
            area,
            allocation,
            allocation_rounded: self.rounded(allocation),
            declared,
            parts,
            difference,
            verdict: Verdict::OK,
        })
    }
}

/// The tolerance for a plan written to `decimals` decimals: half its last step.
#[must_use]
pub fn tolerance(decimals: u32) -> Decimal {
    Decimal::new(5, decimals + 1)
}

/// The findings of a plan against itself alone, without an allocation: each area's table (as
/// `check` judges it: sums, signs, duplicate names, an empty area) and the areas against the
/// plan's total. Areas are named as the plan names them. `diff` reports a new version's.
pub fn internal_findings(proposal: &Proposal) -> Result<Vec<Finding>, CheckError> {
    let decimals = proposal.decimals();
    let mut checker = Checker {
        plan: &proposal.source,
        tolerance: tolerance(decimals),
        decimals,
        strict: false,
        targets: None,
        findings: Vec::new(),
    };
    let mut planned = Vec::new();
    for area in &proposal.areas {
        let at = AreaRef::Area(area.name.clone());
        let parts = checker.own_sums(&at, area)?;
        match area.declared.as_ref().map(|declared| declared.amount).or(parts) {
            Some(amount) => planned.push(amount),
            None => checker.report(&at, Some(area.line), FindingKind::AreaEmpty),
        }
    }
    if let Some(declared) = &proposal.total
        && !planned.is_empty()
    {
        let sum = checker.sum(planned)?;
        checker.declared_against_parts(&AreaRef::Total, declared, sum)?;
    }
    Ok(checker.findings)
}

/// Checks `proposal` for the region at `region_index` of `allocation`. Areas the agreement
/// does not know are errors (with a suggestion), not findings: nothing else in such a plan can
/// be trusted to be checked against the right figures.
pub fn check(
    proposal: &Proposal,
    allocation: &Allocation,
    region_index: usize,
    unit: Unit,
    strict: bool,
) -> Result<CheckReport, CheckError> {
    let agreement = &allocation.agreement;
    let region = allocation.region(region_index);
    // Fits by construction (see `RoundingUnit::max_count`); an error, never a wrong figure.
    let to_unit = |units: u128| {
        agreement
            .rounding
            .try_scaled(units, unit)
            .and_then(crate::core::amount::scaled_to_decimal)
            .ok_or_else(|| CheckError::Inexact { agreement_file: agreement.source.clone(), units, unit })
    };
    let decimals = proposal.decimals();
    // A target is a whole number of the plan's steps: written with the plan's decimals.
    let to_step = |units: u128| {
        to_unit(units).map(|mut value| {
            value.rescale(decimals);
            value
        })
    };
    let targets = targets(allocation, region_index, unit, decimals)
        .map(|rounded| -> Result<Targets, CheckError> {
            let areas = agreement
                .areas
                .iter()
                .zip(&rounded.cells)
                .map(|(area, &units)| Ok(AreaTarget { area: area.id.clone(), target: to_step(units)? }))
                .collect::<Result<_, CheckError>>()?;
            Ok(Targets { step: Decimal::new(1, decimals), decimals, areas, total: to_step(rounded.total)? })
        })
        .transpose()?;
    let mut checker = Checker {
        plan: &proposal.source,
        tolerance: tolerance(decimals),
        decimals,
        strict,
        targets: targets.clone(),
        findings: Vec::new(),
    };
    let matched = match_areas(proposal, agreement)?;
    let plan_area = |index: usize| matched.iter().position(|&m| m == index).map(|at| &proposal.areas[at]);
    let exact = (0..agreement.areas.len()).map(|index| to_unit(region.amount(index))).collect::<Result<Vec<_>, _>>()?;
    // Each area's accepted target: the plan's own amounts where they are a rounding as close
    // as the targets (equal remainders decided the other way), else the targets.
    let area_targets: Option<Vec<Decimal>> = targets.as_ref().map(|targets| {
        let planned: Option<Vec<Decimal>> =
            (0..agreement.areas.len()).map(|index| plan_area(index).and_then(planned_amount)).collect();
        match planned {
            Some(planned) if as_close_as(&planned, &exact, targets) => planned,
            _ => targets.areas.iter().map(|area| area.target).collect(),
        }
    });

    let mut lines = Vec::with_capacity(agreement.areas.len());
    let mut planned: Vec<Decimal> = Vec::new();
    for (index, known) in agreement.areas.iter().enumerate() {
        let target = area_targets.as_ref().map(|targets| targets[index]);
        let line = checker.area(known, plan_area(index), exact[index], target)?;
        planned.extend(line.declared.or(line.parts));
        lines.push(line);
    }
    // The areas' sum, when any area says an amount.
    let planned_sum = if planned.is_empty() { None } else { Some(checker.sum(planned)?) };

    let total_allocation = to_unit(region.total())?;
    if let (Some(declared), Some(parts)) = (&proposal.total, planned_sum) {
        checker.declared_against_parts(&AreaRef::Total, declared, parts)?;
    }
    let declared_total = proposal.total.as_ref().map(|declared| declared.amount);
    if let Some(planned) = declared_total.or(planned_sum) {
        let line = proposal.total.as_ref().map(|declared| declared.line);
        let target = targets.as_ref().map(|targets| targets.total);
        checker.against_allocation(&AreaRef::Total, planned, total_allocation, target, line)?;
    }
    let mut total = checker.line(AreaRef::Total, total_allocation, declared_total, planned_sum)?;

    let findings = checker.findings;
    let worst = |area: &AreaRef| findings.iter().filter(|f| &f.area == area).map(|f| f.severity).max();
    for line in lines.iter_mut().chain([&mut total]) {
        line.verdict = Verdict(worst(&line.area));
    }
    Ok(CheckReport {
        plan: proposal.source.clone(),
        agreement: agreement.name.clone(),
        region_code: region.code().to_string(),
        region_name: region.name().to_string(),
        unit,
        plan_decimals: decimals,
        tolerance: tolerance(decimals),
        targets,
        areas: lines,
        total,
        findings,
        population: allocation.population.clone(),
        agreement_population_date: agreement.population_date,
        plan_lines: proposal.lines,
    })
}

/// What a plan's area puts in: its declared amount, else its interventions' sum; `None` when
/// it says neither (or the sum overflows).
fn planned_amount(area: &ProposalArea) -> Option<Decimal> {
    match &area.declared {
        Some(declared) => Some(declared.amount),
        None if area.interventions.is_empty() => None,
        None => area.interventions.iter().try_fold(Decimal::ZERO, |sum, part| sum.checked_add(part.amount)),
    }
}

/// Whether `planned` is a rounding of the `exact` areas as good as `targets`: whole steps, each
/// less than a step from its exact amount, adding up to the targets' total, and as close to the
/// exact amounts (the same sum of absolute differences). Only equal remainders decided the
/// other way give another such rounding: 19,1 + 5,7 + 5,8 for Jämtland's 19,1 + 5,8 + 5,7.
fn as_close_as(planned: &[Decimal], exact: &[Decimal], targets: &Targets) -> bool {
    let distance = |amounts: &mut dyn Iterator<Item = Decimal>| {
        amounts
            .zip(exact)
            .try_fold(Decimal::ZERO, |sum, (amount, &exact)| sum.checked_add(amount.checked_sub(exact)?.abs()))
    };
    let whole = planned.iter().zip(exact).all(|(&amount, &exact)| {
        amount.checked_rem(targets.step).is_some_and(|rest| rest.is_zero())
            && amount.checked_sub(exact).is_some_and(|off| off.abs() < targets.step)
    });
    let sum = planned.iter().try_fold(Decimal::ZERO, |sum, &amount| sum.checked_add(amount));
    let own = distance(&mut planned.iter().copied());
    whole
        && sum == Some(targets.total)
        && own.is_some()
        && own == distance(&mut targets.areas.iter().map(|area| area.target))
}

/// The region's areas rounded to a plan's step, `10^-decimals` of `unit`, in the agreement's
/// rounding units. `None` unless the step is a whole number of units above one: a plan written
/// as finely as the allocation can state its exact amounts, which the report shows already.
fn targets(allocation: &Allocation, region_index: usize, unit: Unit, decimals: u32) -> Option<RoundedRow> {
    let rounding = allocation.agreement.rounding.kronor();
    let step = Decimal::new(1, decimals).checked_mul(unit.kronor())?;
    let units = step.checked_div(rounding)?;
    if units <= Decimal::ONE || !units.fract().is_zero() {
        return None;
    }
    let step_units = u128::try_from(units).ok()?;
    let amounts: Vec<u128> = allocation.region(region_index).amounts().collect();
    round_row(&amounts, step_units).ok()
}

/// An area's id or name as plans are matched to it: the names rule (`names::key`).
pub fn area_key(name: &str) -> String {
    crate::io::names::key(name)
}

/// The agreement's area each of the plan's areas is (by id or name), in the plan's order; an
/// unknown area or one named twice is an error. `diff --agreement` names areas by these too.
pub fn match_areas(proposal: &Proposal, agreement: &Agreement) -> Result<Vec<usize>, CheckError> {
    let mut seen: HashMap<usize, usize> = HashMap::new();
    let mut matched = Vec::with_capacity(proposal.areas.len());
    for area in &proposal.areas {
        let wanted = area_key(&area.name);
        let index = agreement
            .areas
            .iter()
            .position(|known| area_key(&known.id) == wanted || area_key(&known.name) == wanted)
            .ok_or_else(|| {
                let known: Vec<String> = agreement.areas.iter().map(|known| known.id.clone()).collect();
                CheckError::UnknownArea(Box::new(UnknownArea {
                    plan: proposal.source.clone(),
                    line: area.line,
                    name: area.name.clone(),
                    agreement: agreement.name.clone(),
                    suggestion: crate::io::suggest::nearest(&area.name, known.iter().map(String::as_str))
                        .map(str::to_string),
                    known,
                }))
            })?;
        if let Some(first_line) = seen.insert(index, area.line) {
            return Err(CheckError::AreaTwice {
                plan: proposal.source.clone(),
                line: area.line,
                id: agreement.areas[index].id.clone(),
                first_line,
            });
        }
        matched.push(index);
    }
    Ok(matched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::agreement::parse_agreement;
    use crate::core::allocation::allocate;
    use crate::core::population::read_population;
    use crate::core::proposal::parse_proposal;
    use crate::io::input::Input;

    /// Beta (301 of 1000 people) gets 181 kr of area `stod` (600 kr) and 120 kr of `b`
    /// (400 kr): 301 kr in all (worked by hand in `tests/reshape_findings.rs`).
    const AGREEMENT: &str = "name = \"T\"\nunit = \"kr\"\ntotal = 1000\npopulation_date = 2020-12-31\n\
                             [[areas]]\nid = \"stod\"\nname = \"Totalt stöd\"\nregions = 600\n\
                             [[areas]]\nid = \"b\"\nregions = 400\n";
    const POPULATION: &str = "code,region,date,population\n01,Alfa,2020-12-31,500\n02,Beta,2020-12-31,301\n\
                              03,Gamma,2020-12-31,199\n";

    fn allocation() -> Allocation {
        let agreement = parse_agreement(&Input::from_text("a.toml", AGREEMENT)).unwrap();
        let date = agreement.population_date;
        let table = read_population(&Input::from_text("p.csv", POPULATION), date).unwrap();
        allocate(agreement, table, None).unwrap()
    }

    fn run(label: &str, plan: &str, strict: bool) -> Result<CheckReport, CheckError> {
        let proposal = parse_proposal(&Input::from_text(label, plan)).unwrap();
        // Beta, the second region by code.
        check(&proposal, &allocation(), 1, Unit::Kr, strict)
    }

    fn amount(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn tolerance_is_half_the_last_step() {
        assert_eq!(tolerance(0), Decimal::new(5, 1));
        assert_eq!(tolerance(1), Decimal::new(5, 2));
        assert_eq!(tolerance(6), Decimal::new(5, 7));
    }

    #[test]
    fn an_area_line_is_not_the_plans_total() {
        let plan = "unit = \"kr\"\ntotal = 301\n[[areas]]\nid = \"stod\"\namount = \"190,5\"\n\
                    [[areas]]\nid = \"b\"\namount = \"110,5\"\n";
        let report = run("plan.toml", plan, false).unwrap();
        let area = AreaRef::Area("stod".to_string());
        assert_eq!(
            report.findings,
            [
                Finding {
                    severity: Severity::Error,
                    kind: FindingKind::AllocationOver {
                        planned: amount("190.5"),
                        allocation: amount("181"),
                        rounded: amount("181"),
                        tolerance: amount("0.05"),
                        difference: amount("9.5"),
                        targets: None,
                    },
                    area: area.clone(),
                    line: Some(5),
                },
                Finding {
                    severity: Severity::Warning,
                    kind: FindingKind::AllocationUnder {
                        planned: amount("110.5"),
                        allocation: amount("120"),
                        rounded: amount("120"),
                        tolerance: amount("0.05"),
                        difference: amount("9.5"),
                        targets: None,
                    },
                    area: AreaRef::Area("b".to_string()),
                    line: Some(8),
                },
            ]
        );
        // 301 planned for 301: the plan's total is fine although the area `total` is not.
        assert_eq!((report.areas[0].area.clone(), report.areas[0].verdict), (area, Verdict(Some(Severity::Error))));
        assert_eq!((report.total.area.clone(), report.total.verdict), (AreaRef::Total, Verdict::OK));
        assert_eq!(report.total.difference, Some(Decimal::ZERO));
    }

    #[test]
    fn sums_are_told_apart_by_where_the_declared_amount_stands() {
        // TOML: a declared `amount` and `total`; CSV: `Totalt` rows.
        let plan = "unit = \"kr\"\ntotal = 300\n[[areas]]\nid = \"stod\"\namount = 181\n\
                    interventions = [{ name = \"X\", amount = 180 }]\n[[areas]]\nid = \"b\"\namount = 120\n";
        let report = run("plan.toml", plan, false).unwrap();
        let kinds: Vec<(&FindingKind, &AreaRef)> = report.findings.iter().map(|f| (&f.kind, &f.area)).collect();
        let total_area = AreaRef::Area("stod".to_string());
        assert_eq!(
            kinds,
            [
                (
                    &FindingKind::InterventionsSum {
                        declared: amount("181"),
                        sum: amount("180"),
                        difference: amount("-1")
                    },
                    &total_area
                ),
                (
                    &FindingKind::AreasSum { declared: amount("300"), sum: amount("301"), difference: amount("1") },
                    &AreaRef::Total
                ),
                (
                    &FindingKind::AllocationUnder {
                        planned: amount("300"),
                        allocation: amount("301"),
                        rounded: amount("301"),
                        tolerance: amount("0.5"),
                        difference: amount("1"),
                        targets: None,
                    },
                    &AreaRef::Total
                ),
            ]
        );
        // (`total;Totalt;…` would be the plan's own total row, as docs/file-formats.md says.)
        let csv = "area;intervention;amount\nstod;X;181\nb;Y;119\nb;Summa;120\nTotalt;;300\n";
        let report = run("plan.csv", csv, false).unwrap();
        let ids: Vec<(&str, &AreaRef, Option<usize>)> =
            report.findings.iter().map(|f| (f.kind.id(), &f.area, f.line)).collect();
        assert_eq!(
            ids,
            [
                ("total-row", &AreaRef::Area("b".to_string()), Some(4)),
                ("total-row", &AreaRef::Total, Some(5)),
                ("allocation-under", &AreaRef::Total, Some(5)),
            ]
        );
    }

    #[test]
    fn interventions_are_judged_one_by_one() {
        let plan = "unit = \"kr\"\n[[areas]]\nid = \"b\"\ninterventions = [\n\
                    { name = \"Lots\", amount = 121 },\n{ name = \"Nothing\", amount = 0 },\n\
                    { name = \"lots\", amount = -1 },\n]\n";
        let report = run("plan.toml", plan, true).unwrap();
        let b = AreaRef::Area("b".to_string());
        let found: Vec<(Severity, &FindingKind, Option<usize>)> =
            report.findings.iter().filter(|f| f.area == b).map(|f| (f.severity, &f.kind, f.line)).collect();
        assert_eq!(
            found,
            [
                // A warning made an error by `--strict`.
                (Severity::Error, &FindingKind::AmountZero { intervention: "Nothing".to_string() }, Some(6)),
                (
                    Severity::Error,
                    &FindingKind::AmountNegative { intervention: Some("lots".to_string()), amount: amount("-1") },
                    Some(7)
                ),
                (
                    Severity::Error,
                    &FindingKind::InterventionDuplicate { name: "lots".to_string(), first_line: 5 },
                    Some(7)
                ),
            ]
        );
        // 121 + 0 - 1 = 120: the area matches its allocation. The area `stod` is missing.
        assert_eq!(report.areas[1].parts, Some(amount("120")));
        let missing = report.findings.iter().find(|f| f.area == AreaRef::Area("stod".to_string())).unwrap();
        assert_eq!(
            missing.kind,
            FindingKind::AreaMissing { name: "Totalt stöd".to_string(), allocation: amount("181") }
        );
        assert_eq!(missing.kind.id(), "area-missing");
    }

    #[test]
    fn an_unknown_or_repeated_area_is_an_error_not_a_finding() {
        let err = run("plan.toml", "unit = \"kr\"\n[[areas]]\nid = \"stdo\"\namount = 1\n", false).unwrap_err();
        let CheckError::UnknownArea(unknown) = &err else { panic!("{err:?}") };
        assert_eq!((unknown.line, unknown.suggestion.as_deref()), (3, Some("stod")));
        assert_eq!(unknown.known, ["stod", "b"]);
        assert_eq!(
            err.to_string(),
            "plan.toml, line 3: area `stdo` is not in T (its areas: stod, b); did you mean `stod`?"
        );
        let twice = "unit = \"kr\"\n[[areas]]\nid = \"b\"\n[[areas]]\nid = \"B\"\n";
        assert_eq!(
            run("plan.toml", twice, false).unwrap_err(),
            CheckError::AreaTwice { plan: "plan.toml".to_string(), line: 5, id: "b".to_string(), first_line: 3 }
        );
    }

    #[test]
    fn targets_are_to_the_plans_step_or_exact_where_it_is_finer() {
        let allocation = allocation();
        // To 1 kr or 0,1 kr (no coarser than the agreement's 1 kr): the exact amounts are the
        // targets, and the report has them already.
        assert_eq!(targets(&allocation, 1, Unit::Kr, 0), None);
        assert_eq!(targets(&allocation, 1, Unit::Kr, 1), None);
        // To 0,1 tkr (100 kr): 301 → 300; rounded down 100 + 100, one step short, to the
        // larger remainder (81 of `stod`).
        let rounded = targets(&allocation, 1, Unit::Tkr, 1).unwrap();
        assert_eq!((rounded.cells, rounded.total), (vec![200, 100], 300));
        let tkr = "unit = \"tkr\"\ntotal = \"0,3\"\n[[areas]]\nid = \"stod\"\namount = \"0,2\"\n\
                   [[areas]]\nid = \"b\"\namount = \"0,1\"\n";
        let proposal = parse_proposal(&Input::from_text("plan.toml", tkr)).unwrap();
        let report = check(&proposal, &allocation, 1, Unit::Tkr, true).unwrap();
        let targets = report.targets.clone().unwrap();
        assert_eq!(targets.areas.iter().map(|area| area.target).collect::<Vec<_>>(), [amount("0.2"), amount("0.1")]);
        assert_eq!((targets.total, targets.step), (amount("0.3"), amount("0.1")));
        assert_eq!(report.findings, []);
    }
}
