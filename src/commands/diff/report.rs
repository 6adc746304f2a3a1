//! `diff` reports: the interventions that changed, each area's old and new amount, and the
//! findings. Amounts are exact, in the report's unit; the findings' words are in the report's
//! language, and `check`'s own findings are said in `check`'s words.

use super::compute::{AmountDiff, Change, DiffFinding, DiffFindingKind, DiffReport, InterventionDiff, Presence};
use crate::core::amount::{NumberStyle, Unit, format_decimal};
use crate::core::findings::Severity;
use crate::lang::Lang;
use crate::output::dialect::{Dialect, spreadsheet_text};
use rust_decimal::Decimal;
use serde::Serialize;
use std::io;
use std::io::Write;

fn change_label(change: Change, lang: Lang) -> &'static str {
    match change {
        Change::Unchanged => lang.pick("oförändrad", "unchanged"),
        Change::Changed => lang.pick("ändrad", "changed"),
        Change::Renamed => lang.pick("omdöpt", "renamed"),
        Change::Added => lang.pick("tillagd", "added"),
        Change::Removed => lang.pick("borttagen", "removed"),
        Change::Moved => lang.pick("flyttad", "moved"),
    }
}

/// The decimals every amount of the report is shown with: the most any needs, so columns align.
fn decimals(report: &DiffReport) -> u32 {
    let interventions = report.interventions.iter().flat_map(|i| [i.old, i.new, Some(i.delta)]);
    let areas = report.areas.iter().chain([&report.total]).flat_map(|a| [a.old, a.new, Some(a.delta)]);
    interventions.chain(areas).flatten().map(|value| value.normalize().scale()).max().unwrap_or(0)
}

fn amount(value: Option<Decimal>, decimals: u32, style: NumberStyle) -> String {
    value.map_or(String::new(), |value| format_decimal(value, decimals, style))
}

/// A signed change: `+0,2`, `-0,2`, `0`.
fn delta(value: Decimal, decimals: u32, style: NumberStyle) -> String {
    let text = format_decimal(value, decimals, style);
    if value > Decimal::ZERO { format!("+{text}") } else { text }
}

/// What a finding of `report` says, in the report's language, naming the new version's places
/// as lines or a sheet's rows.
#[must_use]
pub fn finding_message(report: &DiffReport, finding: &DiffFinding, lang: Lang) -> String {
    report.new_lines.reword(&message(finding, report.unit, lang))
}

/// What a finding says, in the report's language.
#[must_use]
pub fn message(finding: &DiffFinding, unit: Unit, lang: Lang) -> String {
    match lang {
        Lang::En => message_en(finding, unit),
        Lang::Sv => message_sv(finding, unit),
    }
}

fn message_sv(finding: &DiffFinding, unit: Unit) -> String {
    let show = |value: Decimal| format!("{} {unit}", format_decimal(value, 0, NumberStyle::SWEDISH));
    let signed = |value: Decimal| format!("{} {unit}", delta(value, 0, NumberStyle::SWEDISH));
    match &finding.kind {
        DiffFindingKind::AreaChanged { area, old, new, delta, presence } => {
            let only = match presence {
                Presence::Both => "",
                Presence::OldOnly => " (bara den gamla versionen har detta område",
                Presence::NewOnly => " (bara den nya versionen har detta område",
            };
            let matched = if *presence == Presence::Both {
                ""
            } else {
                "; områden matchas efter de namn planerna skriver: ange --agreement för att matcha id mot namn)"
            };
            let allow = if finding.severity == Severity::Error {
                "; ange --allow-between-areas om det är avsikten"
            } else {
                ""
            };
            format!(
                "området `{area}` ändrades från {} till {} ({}){only}{matched}: pengar flyttade mellan områden{allow}",
                show(*old),
                show(*new),
                signed(*delta),
            )
        }
        DiffFindingKind::TotalChanged { old, new, delta } => {
            format!("planens summa ändrades från {} till {} ({})", show(*old), show(*new), signed(*delta))
        }
        DiffFindingKind::AmbiguousRename { area, name, candidates } => format!(
            "området `{area}`: `{name}` liknar {}, men inte tydligt en av dem: visas som borttagen och tillagd, inte \
             som omdöpt",
            candidates.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(" och ")
        ),
        DiffFindingKind::RenamesNotSought { area, removed, added } => format!(
            "{}{removed} borttagna och {added} tillagda insatser är fler än fordela jämför för att hitta omdöpta{}: \
             de visas som borttagna och tillagda (fordela jämför högst {} par av namn på högst {} tecken)",
            area.as_ref().map_or(String::new(), |area| format!("området `{area}`: ")),
            if area.is_none() { " och flyttade mellan områden" } else { "" },
            super::compute::RENAME_PAIRS,
            super::compute::RENAME_MAX_CHARS
        ),
        DiffFindingKind::Check(inner) => {
            format!("nya versionen: {}", crate::commands::check::report::message(inner, unit, Lang::Sv))
        }
        DiffFindingKind::OldCheck(inner) => {
            format!("gamla versionen: {}", crate::commands::check::report::message(inner, unit, Lang::Sv))
        }
        DiffFindingKind::MovedBetweenAreas { name, from, to, old, new } => format!(
            "insatsen `{name}` flyttades från området `{from}` ({}) till `{to}` ({}): pengar flyttade mellan \
             områden{}",
            show(*old),
            show(*new),
            if finding.severity == Severity::Error { "; ange --allow-between-areas om det är avsikten" } else { "" }
        ),
        DiffFindingKind::IdChanged { area, name, old, new } => format!(
            "området `{area}`: insatsen `{name}` har id {} i den gamla versionen och {} i den nya: utfall bokade på \
             id:t följer id:t",
            old.as_deref().map_or("inget".to_string(), |id| format!("`{id}`")),
            new.as_deref().map_or("inget".to_string(), |id| format!("`{id}`")),
        ),
    }
}

fn message_en(finding: &DiffFinding, unit: Unit) -> String {
    let show = |value: Decimal| format!("{} {unit}", format_decimal(value, 0, NumberStyle::SWEDISH));
    let signed = |value: Decimal| format!("{} {unit}", delta(value, 0, NumberStyle::SWEDISH));
    match &finding.kind {
        DiffFindingKind::AreaChanged { area, old, new, delta, presence } => {
            let only = match presence {
                Presence::Both => "",
                Presence::OldOnly => " (only the old version has this area",
                Presence::NewOnly => " (only the new version has this area",
            };
            let matched = if *presence == Presence::Both {
                String::new()
            } else {
                "; areas are matched by the names the plans write: pass --agreement to match ids with names)"
                    .to_string()
            };
            format!(
                "area `{area}` changed from {} to {} ({}){only}{matched}: money moved across areas{}",
                show(*old),
                show(*new),
                signed(*delta),
                if finding.severity == Severity::Error {
                    "; pass --allow-between-areas if this is intended"
                } else {
                    ""
                }
            )
        }
        DiffFindingKind::TotalChanged { old, new, delta } => {
            format!("the plan's total changed from {} to {} ({})", show(*old), show(*new), signed(*delta))
        }
        DiffFindingKind::AmbiguousRename { area, name, candidates } => format!(
            "area `{area}`: `{name}` is close to {}, not clearly one of them: shown as removed and added, not as a rename",
            candidates.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(" and ")
        ),
        DiffFindingKind::RenamesNotSought { area, removed, added } => format!(
            "{}{removed} interventions removed and {added} added are more than fordela compares to find renames{}: \
             they are shown as removed and added (fordela compares at most {} pairs of names of at most {} characters)",
            area.as_ref().map_or(String::new(), |area| format!("area `{area}`: ")),
            if area.is_none() { " and moves between areas" } else { "" },
            super::compute::RENAME_PAIRS,
            super::compute::RENAME_MAX_CHARS
        ),
        DiffFindingKind::Check(inner) => {
            format!("new version: {}", crate::commands::check::report::message(inner, unit, Lang::En))
        }
        DiffFindingKind::OldCheck(inner) => {
            format!("old version: {}", crate::commands::check::report::message(inner, unit, Lang::En))
        }
        DiffFindingKind::MovedBetweenAreas { name, from, to, old, new } => format!(
            "intervention `{name}` moved from area `{from}` ({}) to `{to}` ({}): money moved across areas{}",
            show(*old),
            show(*new),
            if finding.severity == Severity::Error { "; pass --allow-between-areas if this is intended" } else { "" }
        ),
        DiffFindingKind::IdChanged { area, name, old, new } => format!(
            "area `{area}`: intervention `{name}` has id {} in the old version and {} in the new: outcome rows \
             booked by id follow the id",
            old.as_deref().map_or("none".to_string(), |id| format!("`{id}`")),
            new.as_deref().map_or("none".to_string(), |id| format!("`{id}`")),
        ),
    }
}

/// A row's notes for the table: the one, or `old → new` when the versions' differ.
fn note(old: Option<&str>, new: Option<&str>) -> String {
    match (old, new) {
        (Some(old), Some(new)) if old != new => format!("{old} → {new}"),
        (Some(old), None) => format!("{old} → –"),
        (None, Some(new)) | (Some(new), _) => new.to_string(),
        (None, None) => String::new(),
    }
}

pub use crate::output::grid::Grid;

/// Each area's amount, and the plan's, before and after (with their sum rows' notes, if any).
#[must_use]
pub fn area_grid(report: &DiffReport, lang: Lang) -> Grid {
    let (d, style) = (decimals(report), NumberStyle::SWEDISH);
    let area_comments =
        report.areas.iter().chain([&report.total]).any(|a| a.old_comment.is_some() || a.new_comment.is_some());
    let mut header: Vec<String> = [lang.pick("område", "area"), lang.pick("före", "old"), lang.pick("efter", "new")]
        .into_iter()
        .chain([lang.pick("skillnad", "difference")])
        .map(str::to_string)
        .collect();
    let mut right = vec![false, true, true, true];
    if area_comments {
        header.push(lang.pick("kommentar", "comment").to_string());
        right.push(false);
    }
    let rows = report
        .areas
        .iter()
        .chain([&report.total])
        .map(|line| {
            let name = line.area.clone().unwrap_or_else(|| lang.pick("totalt", "total").to_string());
            let mut row =
                vec![name, amount(line.old, d, style), amount(line.new, d, style), delta(line.delta, d, style)];
            if area_comments {
                row.push(note(line.old_comment.as_deref(), line.new_comment.as_deref()));
            }
            row
        })
        .collect();
    Grid { header, rows, right }
}

/// The interventions that changed (or whose note did), one row each; `None` when none did.
#[must_use]
pub fn changed_grid(report: &DiffReport, lang: Lang) -> Option<Grid> {
    let (d, style) = (decimals(report), NumberStyle::SWEDISH);
    // A note is shown with its row: an intervention whose note alone changed is listed too.
    let comments = report.interventions.iter().any(|i| i.old_comment.is_some() || i.new_comment.is_some());
    let changed: Vec<&InterventionDiff> = report
        .interventions
        .iter()
        .filter(|i| i.change != Change::Unchanged || i.old_comment != i.new_comment)
        .collect();
    if changed.is_empty() {
        return None;
    }
    let mut header: Vec<String> = [
        lang.pick("område", "area"),
        lang.pick("ändring", "change"),
        lang.pick("insats", "intervention"),
        lang.pick("före", "old"),
        lang.pick("efter", "new"),
        lang.pick("skillnad", "difference"),
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    let mut right = vec![false, false, false, true, true, true];
    if comments {
        header.push(lang.pick("kommentar", "comment").to_string());
        right.push(false);
    }
    let rows = changed
        .into_iter()
        .map(|intervention| {
            let name = match (&intervention.old_name, &intervention.new_name) {
                (Some(old), Some(new)) if old != new => format!("{old} → {new}"),
                (Some(name), _) | (None, Some(name)) => name.clone(),
                (None, None) => String::new(),
            };
            let area = match &intervention.old_area {
                Some(old) => format!("{old} → {}", intervention.area),
                None => intervention.area.clone(),
            };
            let mut row = vec![
                area,
                change_label(intervention.change, lang).to_string(),
                name,
                amount(intervention.old, d, style),
                amount(intervention.new, d, style),
                delta(intervention.delta, d, style),
            ];
            if comments {
                row.push(note(intervention.old_comment.as_deref(), intervention.new_comment.as_deref()));
            }
            row
        })
        .collect();
    Some(Grid { header, rows, right })
}

/// The report's first line: which two versions, in which unit.
#[must_use]
pub fn heading(report: &DiffReport, lang: Lang) -> String {
    format!(
        "{} {} → {}; {} {}.",
        lang.pick("Plan", "Plan"),
        report.old_source,
        report.new_source,
        lang.pick("belopp i", "amounts in"),
        report.unit
    )
}

/// What is said where no intervention changed.
#[must_use]
pub fn nothing_changed(lang: Lang) -> &'static str {
    lang.pick("Inga insatser har ändrats.", "No intervention changed.")
}

/// How many interventions are the same in both versions.
#[must_use]
pub fn unchanged_line(report: &DiffReport, lang: Lang) -> String {
    let unchanged = report.interventions.iter().filter(|i| i.change == Change::Unchanged).count();
    format!("{} {unchanged}.", lang.pick("Oförändrade insatser:", "Interventions unchanged:"))
}

/// What is said where nothing was found.
#[must_use]
pub fn no_findings(lang: Lang) -> &'static str {
    lang.pick(
        "Inga fynd: varje område har samma belopp och den nya versionen går ihop.",
        "No findings: every area keeps its amount and the new version adds up.",
    )
}

pub fn table(report: &DiffReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", heading(report, lang))?;
    match changed_grid(report, lang) {
        None => writeln!(out, "{}", nothing_changed(lang))?,
        Some(grid) => writeln!(out, "{}", grid.drawn())?,
    }
    writeln!(out, "{}", unchanged_line(report, lang))?;
    writeln!(out, "{}", area_grid(report, lang).drawn())?;
    if report.findings.is_empty() {
        writeln!(out, "{}", no_findings(lang))?;
    } else {
        writeln!(out, "{}:", lang.pick("Fynd", "Findings"))?;
        for finding in &report.findings {
            writeln!(
                out,
                "  {} [{}] {}",
                finding.severity.word(lang),
                finding.kind.id(),
                finding_message(report, finding, lang)
            )?;
        }
    }
    Ok(())
}

/// One row per intervention, per area and for the total (`kind` says which). The findings,
/// which have no room here, are the caller's to say on stderr.
pub fn csv(report: &DiffReport, lang: Lang, dialect: Dialect, out: &mut dyn Write) -> io::Result<()> {
    let (d, style) = (decimals(report), dialect.style);
    let mut writer = dialect.writer(out)?;
    // The notes' columns only when a version has notes, so a plan without stays as it was.
    let comments = report.has_comments();
    let notes = |old: &Option<String>, new: &Option<String>| -> Vec<String> {
        if comments {
            [old, new].map(|note| spreadsheet_text(note.as_deref().unwrap_or("")).into_owned()).to_vec()
        } else {
            Vec::new()
        }
    };
    let mut header: Vec<&str> = vec![
        lang.pick("typ", "kind"),
        lang.pick("område", "area"),
        lang.pick("ändring", "change"),
        lang.pick("insats före", "old_name"),
        lang.pick("insats efter", "new_name"),
        lang.pick("före", "old"),
        lang.pick("efter", "new"),
        lang.pick("skillnad", "difference"),
        lang.pick("flyttad från", "moved_from"),
    ];
    if comments {
        header.extend([lang.pick("kommentar före", "old_comment"), lang.pick("kommentar efter", "new_comment")]);
    }
    writer.write_record(&header)?;
    let text = |value: &str| spreadsheet_text(value).into_owned();
    for intervention in &report.interventions {
        let mut row = vec![
            lang.pick("insats", "intervention").to_string(),
            text(&intervention.area),
            change_label(intervention.change, lang).to_string(),
            text(intervention.old_name.as_deref().unwrap_or("")),
            text(intervention.new_name.as_deref().unwrap_or("")),
            amount(intervention.old, d, style),
            amount(intervention.new, d, style),
            format_decimal(intervention.delta, d, style),
            text(intervention.old_area.as_deref().unwrap_or("")),
        ];
        row.extend(notes(&intervention.old_comment, &intervention.new_comment));
        writer.write_record(&row)?;
    }
    for line in report.areas.iter().chain([&report.total]) {
        let kind = if line.area.is_some() { lang.pick("område", "area") } else { lang.pick("totalt", "total") };
        let mut row = vec![
            kind.to_string(),
            text(line.area.as_deref().unwrap_or("")),
            String::new(),
            String::new(),
            String::new(),
            amount(line.old, d, style),
            amount(line.new, d, style),
            format_decimal(line.delta, d, style),
            String::new(),
        ];
        row.extend(notes(&line.old_comment, &line.new_comment));
        writer.write_record(&row)?;
    }
    writer.flush()
}

/// Amounts are exact decimal strings, never floats.
#[derive(Serialize)]
struct Document<'a> {
    fordela_version: &'static str,
    ok: bool,
    errors: usize,
    warnings: usize,
    old: &'a str,
    new: &'a str,
    unit: Unit,
    interventions: Vec<InterventionView<'a>>,
    areas: Vec<AmountView<'a>>,
    total: AmountView<'a>,
    findings: Vec<FindingView>,
}

#[derive(Serialize)]
struct InterventionView<'a> {
    area: &'a str,
    /// For a move, the area it was in.
    old_area: Option<&'a str>,
    change: Change,
    old_name: Option<&'a str>,
    new_name: Option<&'a str>,
    old: Option<String>,
    new: Option<String>,
    difference: String,
    old_line: Option<usize>,
    new_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    old_comment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_comment: Option<&'a str>,
}

#[derive(Serialize)]
struct AmountView<'a> {
    area: Option<&'a str>,
    old: Option<String>,
    new: Option<String>,
    difference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    old_comment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_comment: Option<&'a str>,
}

#[derive(Serialize)]
struct FindingView {
    severity: Severity,
    id: &'static str,
    /// For `check`'s own findings, which version has it: `old` or `new`.
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'static str>,
    message: String,
}

fn exact(value: Decimal) -> String {
    format_decimal(value, 0, NumberStyle::PLAIN)
}

impl<'a> AmountView<'a> {
    fn new(line: &'a AmountDiff) -> AmountView<'a> {
        AmountView {
            area: line.area.as_deref(),
            old: line.old.map(exact),
            new: line.new.map(exact),
            difference: exact(line.delta),
            old_comment: line.old_comment.as_deref(),
            new_comment: line.new_comment.as_deref(),
        }
    }
}

pub fn json(report: &DiffReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let errors = report.count(Severity::Error);
    let document = Document {
        fordela_version: env!("CARGO_PKG_VERSION"),
        ok: errors == 0,
        errors,
        warnings: report.count(Severity::Warning),
        old: &report.old_source,
        new: &report.new_source,
        unit: report.unit,
        interventions: report
            .interventions
            .iter()
            .map(|intervention| InterventionView {
                area: &intervention.area,
                old_area: intervention.old_area.as_deref(),
                change: intervention.change,
                old_name: intervention.old_name.as_deref(),
                new_name: intervention.new_name.as_deref(),
                old: intervention.old.map(exact),
                new: intervention.new.map(exact),
                difference: exact(intervention.delta),
                old_line: intervention.old_line,
                new_line: intervention.new_line,
                old_comment: intervention.old_comment.as_deref(),
                new_comment: intervention.new_comment.as_deref(),
            })
            .collect(),
        areas: report.areas.iter().map(AmountView::new).collect(),
        total: AmountView::new(&report.total),
        findings: report
            .findings
            .iter()
            .map(|finding| FindingView {
                severity: finding.severity,
                id: finding.kind.id(),
                version: match finding.kind {
                    DiffFindingKind::OldCheck(_) => Some("old"),
                    DiffFindingKind::Check(_) => Some("new"),
                    _ => None,
                },
                message: finding_message(report, finding, lang),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}
