//! Two versions of a region's plan compared (seed 003: the region director may move money
//! between interventions within a development area). Amounts are exact decimals in one unit:
//! the finer of the two versions' units, to which the other converts exactly.
//!
//! Interventions are matched within their area (areas by name, case and spacing aside): by the
//! same name (case and runs of spaces aside) first; then, among those left, by name similarity: a pair whose normalised
//! Levenshtein similarity is at least `RENAME_THRESHOLD`, each the other's single best match,
//! is a rename. A name with a close match that is not so clearly paired is shown as removed and
//! added, with a note: a rename is never guessed.

use std::collections::HashMap;

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

/// Renames are looked for among at most this many pairs of names (500 removed × 500 added)…
pub const RENAME_PAIRS: u64 = 250_000;

/// …and at most this many pairs of characters, the names' lengths summed on each side and
/// multiplied: an edit distance costs the product of two names' lengths. Beyond either, no
/// rename is looked for and a warning says so: the names show as removed and added.
pub const RENAME_WORK: u64 = 100_000_000;

/// A name longer than this is never taken for a rename (no typo is that long, and it would
/// cost the square of its length): it shows as removed and added.
pub const RENAME_MAX_CHARS: usize = 200;

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
    /// Too many names were left unmatched to compare them for renames (or, with no area, for
    /// moves under another name): `removed` and `added` show as such.
    RenamesNotSought { area: Option<String>, removed: usize, added: usize },
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
            DiffFindingKind::RenamesNotSought { .. } => "renames-not-sought",
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

/// Each area once, in the old version's order then the new one's, with its version in each
/// plan (the first of its name there). Found by its name's key, not by comparing every area
/// with every other, which a plan of many areas makes slow. Every old area is listed, as
/// before: a name written twice is compared twice.
fn areas_of<'p>(
    old: &'p Proposal,
    new: &'p Proposal,
) -> Vec<(&'p str, Option<&'p ProposalArea>, Option<&'p ProposalArea>)> {
    let mut names: Vec<&str> = Vec::new();
    let mut by_key: HashMap<String, (Option<&ProposalArea>, Option<&ProposalArea>)> = HashMap::new();
    for area in &old.areas {
        names.push(&area.name);
        by_key.entry(normalised(&area.name)).or_insert((None, None)).0.get_or_insert(area);
    }
    for area in &new.areas {
        let entry = by_key.entry(normalised(&area.name)).or_insert_with(|| {
            names.push(&area.name);
            (None, None)
        });
        entry.1.get_or_insert(area);
    }
    names
        .into_iter()
        .map(|name| {
            let (before, after) = by_key[&normalised(name)];
            (name, before, after)
        })
        .collect()
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
    for (name, before, after) in areas_of(&old_plan, &new_plan) {
        let empty = Vec::new();
        let (old_list, new_list) =
            (before.map_or(&empty, |area| &area.interventions), after.map_or(&empty, |area| &area.interventions));
        let Matching { pairs: matched, ambiguous, not_sought } = match_interventions(old_list, new_list);
        for (name_in_old, candidates) in ambiguous {
            let kind = DiffFindingKind::AmbiguousRename { area: name.to_string(), name: name_in_old, candidates };
            findings.push(DiffFinding { severity: Severity::Warning, kind });
        }
        if let Some((removed, added)) = not_sought {
            let kind = DiffFindingKind::RenamesNotSought { area: Some(name.to_string()), removed, added };
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
    let (interventions, not_sought) = moves_between_areas(interventions, &new_plan.source)?;
    findings.extend(move_findings(&interventions, allow_between_areas));
    if let Some((removed, added)) = not_sought {
        let kind = DiffFindingKind::RenamesNotSought { area: None, removed, added };
        findings.push(DiffFinding { severity: Severity::Warning, kind });
    }
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

/// The interventions with moves made, and how many were left removed and added when too many
/// to compare for moves under another name.
type Moves = (Vec<InterventionDiff>, Option<(usize, usize)>);

/// Each removed intervention whose name (case aside) was added in another area, and only
/// there, becomes one move, in the place of the addition; then each whose clear rename was.
/// With the second's pairs too many to compare, none is looked for: `Some((removed, added))`.
fn moves_between_areas(interventions: Vec<InterventionDiff>, plan: &str) -> Result<Moves, DiffError> {
    let name = |diff: &InterventionDiff, change: Change| {
        let name = if change == Change::Removed { &diff.old_name } else { &diff.new_name };
        (diff.change == change).then(|| normalised(name.as_deref().unwrap_or("")))
    };
    // A name removed once and added once, in another area: a move. Each name's pair is its
    // own, so all are found from the names' keys at once.
    let mut removed: HashMap<String, Vec<usize>> = HashMap::new();
    let mut added: HashMap<String, Vec<usize>> = HashMap::new();
    for (at, diff) in interventions.iter().enumerate() {
        if let Some(key) = name(diff, Change::Removed) {
            removed.entry(key).or_default().push(at);
        } else if let Some(key) = name(diff, Change::Added) {
            added.entry(key).or_default().push(at);
        }
    }
    let mut pairs = Vec::new();
    for (key, removals) in &removed {
        let [from] = removals.as_slice() else { continue };
        let elsewhere: Vec<usize> = added
            .get(key)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&to| !same(&interventions[to].area, &interventions[*from].area))
            .collect();
        if let [to] = elsewhere.as_slice() {
            pairs.push((*from, *to));
        }
    }
    let interventions = merge_moves(interventions, &pairs, plan)?;
    // Then a removed name whose clear match (as a rename within an area is found) was added in
    // another area: moved and renamed, not removed here and added there unremarked.
    let of = |change: Change| -> Vec<usize> {
        (0..interventions.len())
            .filter(|&at| interventions[at].change == change)
            .filter(|&at| {
                let name =
                    if change == Change::Removed { &interventions[at].old_name } else { &interventions[at].new_name };
                name.as_deref().unwrap_or("").chars().nth(RENAME_MAX_CHARS).is_none()
            })
            .collect()
    };
    let (removed, added) = (of(Change::Removed), of(Change::Added));
    let keys = |list: &[usize], change: Change| -> Vec<String> {
        list.iter().map(|&at| name(&interventions[at], change).unwrap_or_default()).collect()
    };
    let (removed_keys, added_keys) = (keys(&removed, Change::Removed), keys(&added, Change::Added));
    if !affordable(&removed_keys, &added_keys) {
        let count = |change: Change| interventions.iter().filter(|diff| diff.change == change).count();
        let left = (count(Change::Removed), count(Change::Added));
        return Ok((interventions, Some(left)));
    }
    // Each pair's similarity once; `None` for two in the same area, which are not a move.
    let scores: Vec<Vec<Option<f64>>> = removed
        .iter()
        .zip(&removed_keys)
        .map(|(&from, from_key)| {
            added
                .iter()
                .zip(&added_keys)
                .map(|(&to, to_key)| {
                    (!same(&interventions[from].area, &interventions[to].area))
                        .then(|| strsim::normalized_levenshtein(from_key, to_key))
                })
                .collect()
        })
        .collect();
    let (mut removed_left, mut added_left) = (vec![true; removed.len()], vec![true; added.len()]);
    let mut pairs = Vec::new();
    // As often as one pair is made, the first removed name (in order) whose clear match is
    // clearly matched back: a pair made can make another clear.
    loop {
        let pair = (0..removed.len()).filter(|&r| removed_left[r]).find_map(|r| {
            let forward =
                (0..added.len()).filter(|&a| added_left[a]).filter_map(|a| scores[r][a].map(|score| (a, score)));
            let a = single_best(forward.collect())?;
            let back = (0..removed.len()).filter(|&other| removed_left[other]);
            let back = back.filter_map(|other| scores[other][a].map(|score| (other, score)));
            (single_best(back.collect()) == Some(r)).then_some((r, a))
        });
        let Some((r, a)) = pair else { break };
        removed_left[r] = false;
        added_left[a] = false;
        pairs.push((removed[r], added[a]));
    }
    Ok((merge_moves(interventions, &pairs, plan)?, None))
}

/// Whether renames may be looked for between `old` and `new` names (keys): see `RENAME_PAIRS`
/// and `RENAME_WORK`.
fn affordable(old: &[String], new: &[String]) -> bool {
    let chars = |names: &[String]| names.iter().map(|name| name.chars().count() as u64 + 1).sum::<u64>();
    (old.len() as u64).saturating_mul(new.len() as u64) <= RENAME_PAIRS
        && chars(old).saturating_mul(chars(new)) <= RENAME_WORK
}

/// The removals at `from` and the additions at `to` of `pairs` made moves, each in its
/// addition's place.
fn merge_moves(
    interventions: Vec<InterventionDiff>,
    pairs: &[(usize, usize)],
    plan: &str,
) -> Result<Vec<InterventionDiff>, DiffError> {
    if pairs.is_empty() {
        return Ok(interventions);
    }
    let mut removal_of: HashMap<usize, usize> = pairs.iter().map(|&(from, to)| (to, from)).collect();
    let froms: std::collections::HashSet<usize> = pairs.iter().map(|&(from, _)| from).collect();
    let mut taken: Vec<Option<InterventionDiff>> = interventions.into_iter().map(Some).collect();
    let mut merged = Vec::with_capacity(taken.len() - pairs.len());
    for at in 0..taken.len() {
        if froms.contains(&at) {
            continue;
        }
        let Some(mut moved) = taken[at].take() else { continue };
        if let Some(from) = removal_of.remove(&at)
            && let Some(removed) = taken[from].take()
        {
            moved.change = Change::Moved;
            moved.old_area = Some(removed.area);
            moved.old_name = removed.old_name;
            moved.old = removed.old;
            moved.old_line = removed.old_line;
            moved.old_comment = removed.old_comment;
            moved.delta = minus(moved.new, moved.old).ok_or_else(|| DiffError::TooLarge(plan.to_string()))?;
        }
        merged.push(moved);
    }
    Ok(merged)
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

/// One area's interventions matched: pairs of (old index, new index), in the old version's
/// order then the added ones; the old names left unpaired although close to some new name
/// (with those names); and, when the names left were too many to compare for renames, how
/// many were left on each side.
#[derive(Debug)]
pub struct Matching {
    pub pairs: Vec<(Option<usize>, Option<usize>)>,
    pub ambiguous: Vec<(String, Vec<String>)>,
    pub not_sought: Option<(usize, usize)>,
}

/// Matches one area's interventions: same name first, then clear renames (see the module).
#[must_use]
pub fn match_interventions(old: &[Intervention], new: &[Intervention]) -> Matching {
    let mut partner: Vec<Option<usize>> = vec![None; old.len()];
    let mut taken = vec![false; new.len()];
    // Each old name takes the first new one of its key not taken yet: by key, not by
    // comparing every pair.
    let mut by_key: HashMap<String, std::collections::VecDeque<usize>> = HashMap::new();
    for (at, intervention) in new.iter().enumerate() {
        by_key.entry(normalised(&intervention.name)).or_default().push_back(at);
    }
    for (index, intervention) in old.iter().enumerate() {
        if let Some(at) =
            by_key.get_mut(&normalised(&intervention.name)).and_then(std::collections::VecDeque::pop_front)
        {
            partner[index] = Some(at);
            taken[at] = true;
        }
    }
    let short = |name: &str| name.chars().nth(RENAME_MAX_CHARS).is_none();
    let open_old: Vec<usize> = (0..old.len()).filter(|&i| partner[i].is_none() && short(&old[i].name)).collect();
    let open_new: Vec<usize> = (0..new.len()).filter(|&i| !taken[i] && short(&new[i].name)).collect();
    let old_keys: Vec<String> = open_old.iter().map(|&o| normalised(&old[o].name)).collect();
    let new_keys: Vec<String> = open_new.iter().map(|&n| normalised(&new[n].name)).collect();
    let mut ambiguous = Vec::new();
    let mut renames = Vec::new();
    let mut not_sought = None;
    if affordable(&old_keys, &new_keys) {
        // Each pair's similarity once, for the look forward and the look back.
        let scores: Vec<Vec<f64>> =
            old_keys.iter().map(|o| new_keys.iter().map(|n| strsim::normalized_levenshtein(o, n)).collect()).collect();
        for (row, &o) in open_old.iter().enumerate() {
            let forward: Vec<(usize, f64)> = (0..open_new.len()).map(|column| (column, scores[row][column])).collect();
            let close: Vec<String> = forward
                .iter()
                .filter(|(_, score)| *score >= RENAME_THRESHOLD)
                .map(|(column, _)| new[open_new[*column]].name.clone())
                .collect();
            let paired = single_best(forward).filter(|&column| {
                let back = (0..open_old.len()).map(|other| (other, scores[other][column])).collect();
                single_best(back) == Some(row)
            });
            match paired {
                Some(column) => renames.push((o, open_new[column])),
                None if !close.is_empty() => ambiguous.push((old[o].name.clone(), close)),
                None => {}
            }
        }
    } else {
        let left_old = partner.iter().filter(|partner| partner.is_none()).count();
        not_sought = Some((left_old, taken.iter().filter(|taken| !**taken).count()));
    }
    for (o, n) in renames {
        partner[o] = Some(n);
        taken[n] = true;
    }
    let mut pairs: Vec<(Option<usize>, Option<usize>)> =
        partner.iter().enumerate().map(|(index, partner)| (Some(index), *partner)).collect();
    pairs.extend((0..new.len()).filter(|&at| !taken[at]).map(|at| (None, Some(at))));
    Matching { pairs, ambiguous, not_sought }
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
        let Matching { pairs, ambiguous, .. } = match_interventions(&old, &new);
        assert_eq!(pairs, [(Some(0), Some(1)), (Some(1), Some(0))]);
        assert!(ambiguous.is_empty());
        // Two new names equally close to one old name: removed and added, with a note.
        let old = named(&["Insats A"]);
        let new = named(&["Insats B", "Insats C"]);
        let Matching { pairs, ambiguous, .. } = match_interventions(&old, &new);
        assert_eq!(pairs, [(Some(0), None), (None, Some(0)), (None, Some(1))]);
        assert_eq!(ambiguous.len(), 1);
        // Unrelated names are removed and added, without a note.
        let Matching { pairs, ambiguous, .. } =
            match_interventions(&named(&["Utökade öppettider"]), &named(&["Personcentrerad vård"]));
        assert_eq!(pairs, [(Some(0), None), (None, Some(0))]);
        assert!(ambiguous.is_empty());
    }

    /// The moves as they were found before they were found by key: every removal compared
    /// with every addition, one merge at a time. The keyed search must find the same.
    fn moves_one_at_a_time(mut interventions: Vec<InterventionDiff>) -> Vec<InterventionDiff> {
        let name = |diff: &InterventionDiff, change: Change| {
            let name = if change == Change::Removed { &diff.old_name } else { &diff.new_name };
            (diff.change == change).then(|| normalised(name.as_deref().unwrap_or("")))
        };
        let merge = |interventions: &mut Vec<InterventionDiff>, from: usize, to: usize| {
            let removed = interventions.remove(from);
            let to = if to > from { to - 1 } else { to };
            let moved = &mut interventions[to];
            moved.change = Change::Moved;
            moved.old_area = Some(removed.area);
            moved.old_name = removed.old_name;
            moved.old = removed.old;
            moved.old_line = removed.old_line;
            moved.old_comment = removed.old_comment;
            moved.delta = minus(moved.new, moved.old).unwrap();
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
                    merge(&mut interventions, index, *at);
                    continue;
                }
            }
            index += 1;
        }
        let similarity = |a: &Option<String>, b: &Option<String>| {
            strsim::normalized_levenshtein(
                &normalised(a.as_deref().unwrap_or("")),
                &normalised(b.as_deref().unwrap_or("")),
            )
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
            merge(&mut interventions, from, to);
        }
        interventions
    }

    proptest::proptest! {
        #[test]
        fn moves_found_by_key_are_the_moves_found_one_at_a_time(
            rows in proptest::collection::vec((0..3usize, 0..3usize, 0..8usize, 1..5i64), 0..14)
        ) {
            const NAMES: [&str; 8] = [
                "Insats A", "insats  a", "Insats B", "Insatz A", "Samverkan", "Samverkan med kommunerna",
                "Samverkan med kommuner", "Utökade öppettider",
            ];
            let interventions: Vec<InterventionDiff> = rows
                .iter()
                .enumerate()
                .map(|(line, &(area, change, name, amount))| {
                    let change = [Change::Removed, Change::Added, Change::Unchanged][change];
                    let amount = Some(Decimal::from(amount));
                    let name = Some(NAMES[name].to_string());
                    let (old, new) = match change {
                        Change::Removed => ((name, amount), (None, None)),
                        Change::Added => ((None, None), (name, amount)),
                        _ => ((name.clone(), amount), (name, amount)),
                    };
                    InterventionDiff {
                        area: ["omstallning", "Omställning", "tillganglighet"][area].to_string(),
                        old_area: None,
                        change,
                        old_name: old.0,
                        new_name: new.0,
                        old: old.1,
                        new: new.1,
                        delta: minus(new.1, old.1).unwrap(),
                        old_line: Some(line),
                        new_line: Some(line),
                        old_comment: None,
                        new_comment: None,
                    }
                })
                .collect();
            let (found, not_sought) = moves_between_areas(interventions.clone(), "plan.csv").unwrap();
            proptest::prop_assert!(not_sought.is_none());
            proptest::prop_assert_eq!(found, moves_one_at_a_time(interventions));
        }
    }

    /// An area's interventions as they were matched before they were matched by key: every
    /// old name compared with every new one.
    fn matched_pair_by_pair(old: &[Intervention], new: &[Intervention]) -> Matching {
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
            let scores: Vec<(usize, f64)> =
                open_new.iter().map(|&n| (n, similarity(&old[o].name, &new[n].name))).collect();
            let close: Vec<String> = scores
                .iter()
                .filter(|(_, score)| *score >= RENAME_THRESHOLD)
                .map(|(n, _)| new[*n].name.clone())
                .collect();
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
        Matching { pairs, ambiguous, not_sought: None }
    }

    proptest::proptest! {
        #[test]
        fn interventions_matched_by_key_are_matched_as_pair_by_pair(
            old in proptest::collection::vec(0..8usize, 0..10),
            new in proptest::collection::vec(0..8usize, 0..10),
        ) {
            const NAMES: [&str; 8] = [
                "Insats A", "insats  a", "Insats B", "Insatz A", "Samverkan", "Samverkan med kommunerna",
                "Samverkan med kommuner", "Utökade öppettider",
            ];
            let names = |list: &[usize]| list.iter().map(|&name| NAMES[name]).collect::<Vec<_>>();
            let (old, new) = (named(&names(&old)), named(&names(&new)));
            let (found, reference) = (match_interventions(&old, &new), matched_pair_by_pair(&old, &new));
            proptest::prop_assert_eq!(found.pairs, reference.pairs);
            proptest::prop_assert_eq!(found.ambiguous, reference.ambiguous);
            proptest::prop_assert!(found.not_sought.is_none());
        }
    }
}
