//! Two versions of a region's plan compared (seed 003: the region director may move money
//! between interventions within a development area). Amounts are exact decimals in one unit:
//! the finer of the two versions' units, to which the other converts exactly.
//!
//! Interventions are matched within their area (areas by name, case and spacing aside): by the
//! same name (case and runs of spaces aside) first; then, among those left, by name similarity: a pair whose normalised
//! Levenshtein similarity is at least `RENAME_THRESHOLD`, each the other's single best match,
//! is a rename. A name with a close match that is not so clearly paired is shown as removed and
//! added, with a note: a rename is never guessed.

use crate::commands::check::compute::{CheckError, Finding, internal_findings};
use crate::core::amount::Unit;
use crate::core::findings::Severity;
use crate::core::proposal::{Intervention, Proposal, ProposalArea};
use rust_decimal::Decimal;
use serde::Serialize;

/// Names at least this similar (normalised Levenshtein, case aside) may be a rename:
/// `Zamsynsdagar 22-23 oktober` → `Zamsyns-dagar 22-23 oktober` is 0,96; `Utökade öppettider` →
/// `Utökad tillgänglighet` is below.
pub const RENAME_THRESHOLD: f64 = 0.8;

/// What happened to one intervention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Unchanged,
    /// Same name, another amount.
    Changed,
    /// Another name (similar enough), any amount.
    Renamed,
    Added,
    Removed,
    /// The same name (case aside), or a clear rename of it, removed from one area and added to
    /// another: `old_area` says which. Its money moved across areas: a `moved-between-areas` finding, since the areas'
    /// amounts need not show it (something else may fill the gap).
    Moved,
}

/// One intervention in the old version, the new one, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterventionDiff {
    pub area: String,
    /// For a move, the area it was in.
    pub old_area: Option<String>,
    pub change: Change,
    pub old_name: Option<String>,
    pub new_name: Option<String>,
    pub old: Option<Decimal>,
    pub new: Option<Decimal>,
    /// `new − old`, absent counting as zero.
    pub delta: Decimal,
    pub old_line: Option<usize>,
    pub new_line: Option<usize>,
    /// Each version's note on the row (a CSV comment column), kept with it.
    pub old_comment: Option<String>,
    pub new_comment: Option<String>,
}

/// An area's (or the plan's) amount before and after: declared, else its interventions' sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountDiff {
    pub area: Option<String>,
    pub old: Option<Decimal>,
    pub new: Option<Decimal>,
    pub delta: Decimal,
    /// Each version's note on its sum row (a CSV comment column), kept with it.
    pub old_comment: Option<String>,
    pub new_comment: Option<String>,
}

impl DiffReport {
    /// Whether any row of either version has a note: the outputs then show them.
    #[must_use]
    pub fn has_comments(&self) -> bool {
        let interventions = self.interventions.iter().map(|i| (&i.old_comment, &i.new_comment));
        let amounts = self.areas.iter().chain([&self.total]).map(|a| (&a.old_comment, &a.new_comment));
        interventions.chain(amounts).any(|(old, new)| old.is_some() || new.is_some())
    }
}

/// What `diff` reports beyond the changes themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffFindingKind {
    /// An area's amount changed: money moved across areas (or into or out of the plan).
    AreaChanged { area: String, old: Decimal, new: Decimal, delta: Decimal, presence: Presence },
    /// The plan's total changed.
    TotalChanged { old: Decimal, new: Decimal, delta: Decimal },
    /// A name close to several, or whose match is closer to another: shown as removed and
    /// added, not as a rename.
    AmbiguousRename { area: String, name: String, candidates: Vec<String> },
    /// The new version does not add up (or has another of `check`'s own findings).
    Check(Finding),
    /// An intervention moved from one area to another: its money moved across areas, even
    /// when the areas' amounts stay the same (something else moved back).
    MovedBetweenAreas { name: String, from: String, to: String, old: Decimal, new: Decimal },
    /// The old version does not add up (or has another of `check`'s own findings): what it is
    /// compared with is not what its rows say.
    OldCheck(Finding),
    /// An intervention's own id changed (or was given or dropped): outcome rows booked by the id
    /// now go to whichever intervention has it.
    IdChanged { area: String, name: String, old: Option<String>, new: Option<String> },
}

/// Which versions have an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Both,
    OldOnly,
    NewOnly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffFinding {
    pub severity: Severity,
    pub kind: DiffFindingKind,
}

impl DiffFindingKind {
    #[must_use]
    pub fn id(&self) -> &'static str {
        match self {
            DiffFindingKind::AreaChanged { .. } => "area-changed",
            DiffFindingKind::TotalChanged { .. } => "total-changed",
            DiffFindingKind::AmbiguousRename { .. } => "rename-ambiguous",
            DiffFindingKind::Check(finding) | DiffFindingKind::OldCheck(finding) => finding.kind.id(),
            DiffFindingKind::MovedBetweenAreas { .. } => "moved-between-areas",
            DiffFindingKind::IdChanged { .. } => "id-changed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct DiffReport {
    pub old_source: String,
    pub new_source: String,
    pub unit: Unit,
    pub interventions: Vec<InterventionDiff>,
    pub areas: Vec<AmountDiff>,
    pub total: AmountDiff,
    pub findings: Vec<DiffFinding>,
    /// Whether the new version's places are lines of a text or rows of a sheet: its `check`
    /// findings name them.
    pub new_lines: crate::io::lines::Lines,
}

impl DiffReport {
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|finding| finding.severity == severity).count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    #[error("{0}: its amounts are too large to compare exactly")]
    TooLarge(String),
    #[error(transparent)]
    Check(#[from] CheckError),
    #[error(
        "the old version {old_source} is for region {old}, the new version {new_source} for region {new}: diff \
         compares two versions of one region's plan; compare each with its own earlier version"
    )]
    OtherRegion { old_source: String, old: String, new_source: String, new: String },
}

/// The two versions are of one region: both name it (as `region`), by code or name, and it is
/// the same one of Sweden's 21 (a name fordela does not know is compared as written, case and
/// spacing aside). A version naming none (a CSV plan has no room for it) is taken as the
/// other's.
pub fn same_region(old: &Proposal, new: &Proposal) -> Result<(), DiffError> {
    let (Some(old_region), Some(new_region)) = (&old.region, &new.region) else {
        return Ok(());
    };
    let (old_county, new_county) = (crate::core::region::county(old_region), crate::core::region::county(new_region));
    let same = match (old_county, new_county) {
        (Some(a), Some(b)) => a.code == b.code,
        _ => normalised(old_region) == normalised(new_region),
    };
    if same {
        return Ok(());
    }
    let shown = |written: &str, county: Option<&crate::core::region::County>| match county {
        Some(county) => format!("`{written}` ({} {})", county.code, county.county),
        None => format!("`{written}`"),
    };
    Err(DiffError::OtherRegion {
        old_source: old.source.clone(),
        old: shown(old_region, old_county),
        new_source: new.source.clone(),
        new: shown(new_region, new_county),
    })
}

/// A version with its unit, as the job resolved it.
pub struct Version<'a> {
    pub plan: &'a Proposal,
    pub unit: Unit,
}

/// Compares `old` with `new`; money moved across areas is a warning instead of an error when
/// `allow_between_areas` (a changed total stays an error).
pub fn diff(old: &Version<'_>, new: &Version<'_>, allow_between_areas: bool) -> Result<DiffReport, DiffError> {
    same_region(old.plan, new.plan)?;
    // The finer unit: converting to it multiplies by a power of ten, exactly.
    let unit = if old.unit.exponent() <= new.unit.exponent() { old.unit } else { new.unit };
    let old_plan = converted(old.plan, old.unit, unit)?;
    let new_plan = converted(new.plan, new.unit, unit)?;
    let too_large = || DiffError::TooLarge(new_plan.source.clone());
    let mut interventions = Vec::new();
    let mut areas = Vec::new();
    let mut findings = Vec::new();
    let mut names: Vec<&str> = old_plan.areas.iter().map(|area| area.name.as_str()).collect();
    for area in &new_plan.areas {
        if !names.iter().any(|name| same(name, &area.name)) {
            names.push(&area.name);
        }
    }
    for name in names {
        let before = old_plan.areas.iter().find(|area| same(&area.name, name));
        let after = new_plan.areas.iter().find(|area| same(&area.name, name));
        let empty = Vec::new();
        let (old_list, new_list) =
            (before.map_or(&empty, |area| &area.interventions), after.map_or(&empty, |area| &area.interventions));
        let (matched, ambiguous) = match_interventions(old_list, new_list);
        for (name_in_old, candidates) in ambiguous {
            let kind = DiffFindingKind::AmbiguousRename { area: name.to_string(), name: name_in_old, candidates };
            findings.push(DiffFinding { severity: Severity::Warning, kind });
        }
        for (old_index, new_index) in matched {
            if let (Some(before), Some(after)) = (old_index.map(|i| &old_list[i]), new_index.map(|i| &new_list[i])) {
                findings.extend(id_change(name, before, after));
            }
            interventions.push(intervention_diff(
                name,
                old_index.map(|i| &old_list[i]),
                new_index.map(|i| &new_list[i]),
            )?);
        }
        let (old_amount, new_amount) = (before.and_then(planned), after.and_then(planned));
        let delta = minus(new_amount, old_amount).ok_or_else(too_large)?;
        if !delta.is_zero() || before.is_some() != after.is_some() {
            let presence = match (before, after) {
                (Some(_), None) => Presence::OldOnly,
                (None, Some(_)) => Presence::NewOnly,
                _ => Presence::Both,
            };
            let kind = DiffFindingKind::AreaChanged {
                area: name.to_string(),
                old: old_amount.unwrap_or_default(),
                new: new_amount.unwrap_or_default(),
                delta,
                presence,
            };
            let severity = if allow_between_areas { Severity::Warning } else { Severity::Error };
            findings.push(DiffFinding { severity, kind });
        }
        let note = |area: Option<&ProposalArea>| area.and_then(|area| area.declared.as_ref()?.comment.clone());
        areas.push(AmountDiff {
            area: Some(name.to_string()),
            old: old_amount,
            new: new_amount,
            delta,
            old_comment: note(before),
            new_comment: note(after),
        });
    }
    let interventions = moves_between_areas(interventions, &new_plan.source)?;
    findings.extend(move_findings(&interventions, allow_between_areas));
    let (old_total, new_total) = (plan_total(&old_plan), plan_total(&new_plan));
    let total_delta = minus(new_total, old_total).ok_or_else(too_large)?;
    if !total_delta.is_zero() {
        let kind = DiffFindingKind::TotalChanged {
            old: old_total.unwrap_or_default(),
            new: new_total.unwrap_or_default(),
            delta: total_delta,
        };
        findings.push(DiffFinding { severity: Severity::Error, kind });
    }
    // The old version gets the same checks as the new: a duplicate or a wrong sum there makes
    // every difference from it suspect.
    for finding in internal_findings(&old_plan)? {
        findings.push(DiffFinding { severity: finding.severity, kind: DiffFindingKind::OldCheck(finding) });
    }
    for finding in internal_findings(&new_plan)? {
        findings.push(DiffFinding { severity: finding.severity, kind: DiffFindingKind::Check(finding) });
    }
    Ok(DiffReport {
        old_source: old_plan.source.clone(),
        new_source: new_plan.source.clone(),
        unit,
        interventions,
        areas,
        total: AmountDiff {
            area: None,
            old: old_total,
            new: new_total,
            delta: total_delta,
            old_comment: old_plan.total.as_ref().and_then(|total| total.comment.clone()),
            new_comment: new_plan.total.as_ref().and_then(|total| total.comment.clone()),
        },
        findings,
        new_lines: new_plan.lines,
    })
}

/// A finding per intervention moved to another area: money moved across areas, an error
/// unless allowed.
fn move_findings(interventions: &[InterventionDiff], allow_between_areas: bool) -> Vec<DiffFinding> {
    let severity = if allow_between_areas { Severity::Warning } else { Severity::Error };
    interventions
        .iter()
        .filter(|intervention| intervention.change == Change::Moved)
        .map(|moved| DiffFinding {
            severity,
            kind: DiffFindingKind::MovedBetweenAreas {
                name: moved.new_name.clone().unwrap_or_default(),
                from: moved.old_area.clone().unwrap_or_default(),
                to: moved.area.clone(),
                old: moved.old.unwrap_or_default(),
                new: moved.new.unwrap_or_default(),
            },
        })
        .collect()
}

/// Each removed intervention whose name (case aside) was added in another area, and only
/// there, becomes one move, in the place of the addition; then each whose clear rename was.
fn moves_between_areas(
    mut interventions: Vec<InterventionDiff>,
    plan: &str,
) -> Result<Vec<InterventionDiff>, DiffError> {
    let name = |diff: &InterventionDiff, change: Change| {
        let name = if change == Change::Removed { &diff.old_name } else { &diff.new_name };
        (diff.change == change).then(|| normalised(name.as_deref().unwrap_or("")))
    };
    let mut index = 0;
    while index < interventions.len() {
        if let Some(removed) = name(&interventions[index], Change::Removed) {
            let added: Vec<usize> = (0..interventions.len())
                .filter(|&at| name(&interventions[at], Change::Added).as_ref() == Some(&removed))
                .filter(|&at| !same(&interventions[at].area, &interventions[index].area))
                .collect();
            let removals = (0..interventions.len())
                .filter(|&at| name(&interventions[at], Change::Removed).as_ref() == Some(&removed))
                .count();
            if let ([at], 1) = (added.as_slice(), removals) {
                merge_move(&mut interventions, index, *at, plan)?;
                continue;
            }
        }
        index += 1;
    }
    // Then a removed name whose clear match (as a rename within an area is found) was added in
    // another area: moved and renamed, not removed here and added there unremarked.
    let similarity = |a: &Option<String>, b: &Option<String>| {
        strsim::normalized_levenshtein(&normalised(a.as_deref().unwrap_or("")), &normalised(b.as_deref().unwrap_or("")))
    };
    loop {
        let of = |change: Change| -> Vec<usize> {
            (0..interventions.len()).filter(|&at| interventions[at].change == change).collect()
        };
        let (removed, added) = (of(Change::Removed), of(Change::Added));
        let elsewhere = |a: usize, b: usize| !same(&interventions[a].area, &interventions[b].area);
        let pair = removed.iter().find_map(|&from| {
            let scores = added
                .iter()
                .filter(|&&to| elsewhere(from, to))
                .map(|&to| (to, similarity(&interventions[from].old_name, &interventions[to].new_name)))
                .collect();
            let to = single_best(scores)?;
            let back = removed
                .iter()
                .filter(|&&other| elsewhere(other, to))
                .map(|&other| (other, similarity(&interventions[other].old_name, &interventions[to].new_name)))
                .collect();
            (single_best(back) == Some(from)).then_some((from, to))
        });
        let Some((from, to)) = pair else { break };
        merge_move(&mut interventions, from, to, plan)?;
    }
    Ok(interventions)
}

/// The removal at `from` and the addition at `to` made one move, in the addition's place.
fn merge_move(interventions: &mut Vec<InterventionDiff>, from: usize, to: usize, plan: &str) -> Result<(), DiffError> {
    let removed = interventions.remove(from);
    let to = if to > from { to - 1 } else { to };
    let moved = &mut interventions[to];
    moved.change = Change::Moved;
    moved.old_area = Some(removed.area);
    moved.old_name = removed.old_name;
    moved.old = removed.old;
    moved.old_line = removed.old_line;
    moved.old_comment = removed.old_comment;
    moved.delta = minus(moved.new, moved.old).ok_or_else(|| DiffError::TooLarge(plan.to_string()))?;
    Ok(())
}

/// The single best of `scores` at or above `RENAME_THRESHOLD`: none when two share the best.
fn single_best(scores: Vec<(usize, f64)>) -> Option<usize> {
    let mut close: Vec<(usize, f64)> = scores.into_iter().filter(|(_, score)| *score >= RENAME_THRESHOLD).collect();
    close.sort_by(|a, b| b.1.total_cmp(&a.1));
    match close.as_slice() {
        [(best, _)] => Some(*best),
        [(best, top), (_, second), ..] if top > second => Some(*best),
        _ => None,
    }
}

/// `plan` with every amount in `to` instead of `from` (a finer or the same unit), exactly.
fn converted(plan: &Proposal, from: Unit, to: Unit) -> Result<Proposal, DiffError> {
    let factor = Decimal::from(10u64.pow(from.exponent() - to.exponent()));
    let scale = |amount: Decimal| amount.checked_mul(factor).ok_or_else(|| DiffError::TooLarge(plan.source.clone()));
    let mut plan = plan.clone();
    if let Some(total) = &mut plan.total {
        total.amount = scale(total.amount)?;
    }
    for area in &mut plan.areas {
        if let Some(declared) = &mut area.declared {
            declared.amount = scale(declared.amount)?;
        }
        for intervention in &mut area.interventions {
            intervention.amount = scale(intervention.amount)?;
        }
    }
    plan.unit = Some(to);
    Ok(plan)
}

/// What an area puts in: declared, else its interventions' sum.
fn planned(area: &ProposalArea) -> Option<Decimal> {
    match &area.declared {
        Some(declared) => Some(declared.amount),
        None if area.interventions.is_empty() => None,
        None => area.interventions.iter().try_fold(Decimal::ZERO, |sum, part| sum.checked_add(part.amount)),
    }
}

/// The plan's total: declared, else its areas' sum.
fn plan_total(plan: &Proposal) -> Option<Decimal> {
    plan.total.as_ref().map(|declared| declared.amount).or_else(|| {
        let amounts: Vec<Decimal> = plan.areas.iter().filter_map(planned).collect();
        if amounts.is_empty() { None } else { amounts.into_iter().try_fold(Decimal::ZERO, Decimal::checked_add) }
    })
}

/// A warning when one intervention's own id differs between the versions (however written,
/// `01` and `1` are one id): outcome rows booked by the id go where the id now is.
fn id_change(area: &str, before: &Intervention, after: &Intervention) -> Option<DiffFinding> {
    let key = |id: &Option<String>| id.as_deref().map(crate::core::proposal::id_key);
    (key(&before.id) != key(&after.id)).then(|| DiffFinding {
        severity: Severity::Warning,
        kind: DiffFindingKind::IdChanged {
            area: area.to_string(),
            name: after.name.clone(),
            old: before.id.clone(),
            new: after.id.clone(),
        },
    })
}

fn minus(new: Option<Decimal>, old: Option<Decimal>) -> Option<Decimal> {
    new.unwrap_or_default().checked_sub(old.unwrap_or_default())
}

/// A name as people mean it: case and runs of spaces aside (a spreadsheet cell easily gets a
/// double or trailing space).
fn normalised(name: &str) -> String {
    crate::io::names::key(name)
}

fn same(a: &str, b: &str) -> bool {
    crate::io::names::same(a, b)
}

fn intervention_diff(
    area: &str,
    old: Option<&Intervention>,
    new: Option<&Intervention>,
) -> Result<InterventionDiff, DiffError> {
    let (old_amount, new_amount) = (old.map(|i| i.amount), new.map(|i| i.amount));
    let change = match (old, new) {
        (Some(old), Some(new)) if !same(&old.name, &new.name) => Change::Renamed,
        (Some(old), Some(new)) if old.amount == new.amount => Change::Unchanged,
        (Some(_), Some(_)) => Change::Changed,
        (Some(_), None) => Change::Removed,
        (None, _) => Change::Added,
    };
    Ok(InterventionDiff {
        area: area.to_string(),
        old_area: None,
        change,
        old_name: old.map(|i| i.name.clone()),
        new_name: new.map(|i| i.name.clone()),
        old: old_amount,
        new: new_amount,
        delta: minus(new_amount, old_amount).ok_or_else(|| DiffError::TooLarge(area.to_string()))?,
        old_line: old.map(|i| i.line),
        new_line: new.map(|i| i.line),
        old_comment: old.and_then(|i| i.comment.clone()),
        new_comment: new.and_then(|i| i.comment.clone()),
    })
}

/// Pairs of (old index, new index), in the old version's order then the added ones; and the
/// old names left unpaired although close to some new name (with those names).
type Matching = (Vec<(Option<usize>, Option<usize>)>, Vec<(String, Vec<String>)>);

/// Matches one area's interventions: same name first, then clear renames (see the module).
#[must_use]
pub fn match_interventions(old: &[Intervention], new: &[Intervention]) -> Matching {
    let mut partner: Vec<Option<usize>> = vec![None; old.len()];
    let mut taken = vec![false; new.len()];
    for (index, intervention) in old.iter().enumerate() {
        if let Some(at) = (0..new.len()).find(|&at| !taken[at] && same(&new[at].name, &intervention.name)) {
            partner[index] = Some(at);
            taken[at] = true;
        }
    }
    let similarity = |a: &str, b: &str| strsim::normalized_levenshtein(&normalised(a), &normalised(b));
    let open_old: Vec<usize> = (0..old.len()).filter(|&i| partner[i].is_none()).collect();
    let open_new: Vec<usize> = (0..new.len()).filter(|&i| !taken[i]).collect();
    let mut ambiguous = Vec::new();
    let mut renames = Vec::new();
    for &o in &open_old {
        let scores: Vec<(usize, f64)> = open_new.iter().map(|&n| (n, similarity(&old[o].name, &new[n].name))).collect();
        let close: Vec<String> =
            scores.iter().filter(|(_, score)| *score >= RENAME_THRESHOLD).map(|(n, _)| new[*n].name.clone()).collect();
        let paired = single_best(scores).filter(|&n| {
            let back = open_old.iter().map(|&other| (other, similarity(&old[other].name, &new[n].name))).collect();
            single_best(back) == Some(o)
        });
        match paired {
            Some(n) => renames.push((o, n)),
            None if !close.is_empty() => ambiguous.push((old[o].name.clone(), close)),
            None => {}
        }
    }
    for (o, n) in renames {
        partner[o] = Some(n);
        taken[n] = true;
    }
    let mut pairs: Vec<(Option<usize>, Option<usize>)> =
        partner.iter().enumerate().map(|(index, partner)| (Some(index), *partner)).collect();
    pairs.extend((0..new.len()).filter(|&at| !taken[at]).map(|at| (None, Some(at))));
    (pairs, ambiguous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(names: &[&str]) -> Vec<Intervention> {
        names
            .iter()
            .enumerate()
            .map(|(line, name)| Intervention {
                id: None,
                name: (*name).to_string(),
                amount: Decimal::ONE,
                line,
                comment: None,
            })
            .collect()
    }

    #[test]
    fn renames_are_clear_or_not_made() {
        let old = named(&["Zamsynsdagar 22-23 oktober", "Samverkan med kommunerna"]);
        let new = named(&["Samverkan med kommunerna", "Zamsyns-dagar 22-23 oktober"]);
        let (pairs, ambiguous) = match_interventions(&old, &new);
        assert_eq!(pairs, [(Some(0), Some(1)), (Some(1), Some(0))]);
        assert!(ambiguous.is_empty());
        // Two new names equally close to one old name: removed and added, with a note.
        let old = named(&["Insats A"]);
        let new = named(&["Insats B", "Insats C"]);
        let (pairs, ambiguous) = match_interventions(&old, &new);
        assert_eq!(pairs, [(Some(0), None), (None, Some(0)), (None, Some(1))]);
        assert_eq!(ambiguous.len(), 1);
        // Unrelated names are removed and added, without a note.
        let (pairs, ambiguous) =
            match_interventions(&named(&["Utökade öppettider"]), &named(&["Personcentrerad vård"]));
        assert_eq!(pairs, [(Some(0), None), (None, Some(0))]);
        assert!(ambiguous.is_empty());
    }
}
