//! `follow-up` for people: one table of interventions, area totals and the total, then the
//! rows that were not counted (listed, with their sums), the findings and the result.

use super::compute::{Figures, FollowUpReport, RowGroup};
use super::words::{self, Labels, labels, message, place, result_line, share};
use crate::core::amount::NumberStyle;
use crate::lang::Lang;
use comfy_table::{Cell, CellAlignment, Table, presets};
use std::io;
use std::io::Write;

const STYLE: NumberStyle = NumberStyle::SWEDISH;

fn figures_cells(report: &FollowUpReport, figures: &Figures) -> Vec<Cell> {
    [figures.budget, figures.outcome, figures.remaining]
        .into_iter()
        .map(|money| report.show(money, STYLE))
        .chain([share(figures.share, STYLE)])
        .map(|text| Cell::new(text).set_alignment(CellAlignment::Right))
        .collect()
}

/// The rows listed rather than counted, each group under its reason.
fn not_counted(report: &FollowUpReport, lang: Lang, words: &Labels, out: &mut dyn Write) -> io::Result<()> {
    for (title, group) in words::not_counted(report, lang) {
        listed(report, &title, group, words, lang, out)?;
    }
    Ok(())
}

/// Rows a screen lists of each group left out; the rest are counted on one line, and every row
/// is in the CSV, JSON and workbook. A ledger of a million rows leaves out a hundred thousand:
/// a person reads the count, the sum and the first rows, and opens the workbook for the rest.
pub const LISTED_ROWS: usize = 20;

fn listed(
    report: &FollowUpReport,
    title: &str,
    group: &RowGroup,
    words: &Labels,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    if group.rows.is_empty() {
        return Ok(());
    }
    let unit = report.unit;
    writeln!(out, "{title}:")?;
    for row in group.rows.iter().take(LISTED_ROWS) {
        let date = row.date.map_or(String::new(), |date| format!(" {date}"));
        let object = row.object.as_ref().map_or(String::new(), |object| format!(" {} {object}", words.object));
        writeln!(
            out,
            "  {} {:>5}{date}{object}  {}  {} {unit}",
            words.outcome_line(report),
            row.line,
            row.intervention,
            report.show(row.amount, STYLE)
        )?;
    }
    if let Some(more) = group.rows.len().checked_sub(LISTED_ROWS).filter(|more| *more > 0) {
        writeln!(out, "  {}", words::more_rows(lang, more, group.rows.len()))?;
    }
    writeln!(out, "  {}: {} {unit}", words.total, report.show(group.sum, STYLE))
}

/// What was followed up against what, in which unit, and the scope (object, dates, units).
pub fn heading(report: &FollowUpReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let unit = report.unit;
    let sv = lang == Lang::Sv;
    if sv {
        writeln!(
            out,
            "Uppföljning av {} mot utfallet {}, {}; belopp i {unit}.",
            report.plan, report.outcome, report.agreement
        )?;
    } else {
        writeln!(
            out,
            "Follow-up of {} against the outcome {}, {}; amounts in {unit}.",
            report.plan, report.outcome, report.agreement
        )?;
    }
    let mut scope = Vec::new();
    if let Some(object) = &report.object {
        scope.push(format!("{} {object}", lang.pick("endast objekt", "object")));
    }
    if let Some(from) = report.from_named() {
        scope.push(format!("{} {from}", lang.pick("från och med", "from")));
    }
    if let Some(until) = report.until {
        scope.push(format!("{} {until}", lang.pick("till och med", "up to")));
    }
    if report.outcome_unit != unit {
        scope.push(format!("{} {}", lang.pick("utfallet i", "outcome in"), report.outcome_unit));
    }
    if !scope.is_empty() {
        writeln!(out, "{}.", scope.join("; "))?;
    }
    Ok(())
}

pub fn write(report: &FollowUpReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let words = labels(lang);
    heading(report, lang, out)?;
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    let headers = [
        words.area,
        words.intervention,
        words.budget,
        words.outcome,
        words.remaining,
        words.share_used,
        words.decision,
    ];
    table.set_header(headers.iter().enumerate().map(|(index, header)| {
        let cell = Cell::new(header);
        if (2..6).contains(&index) { cell.set_alignment(CellAlignment::Right) } else { cell }
    }));
    for area in &report.areas {
        for line in &area.interventions {
            let mut row = vec![Cell::new(&area.id), Cell::new(&line.name)];
            row.extend(figures_cells(report, &line.figures));
            row.push(Cell::new(line.decisions.join(", ")));
            table.add_row(row);
        }
        let mut row = vec![Cell::new(&area.id), Cell::new(words.area_total)];
        row.extend(figures_cells(report, &area.figures));
        table.add_row(row);
    }
    let mut row = vec![Cell::new(words.total), Cell::new("")];
    row.extend(figures_cells(report, &report.total));
    table.add_row(row);
    writeln!(out, "{table}")?;
    // Comments below the table, one intervention a line: a column of them would make the table
    // as wide as the longest.
    let commented = words::commented(report);
    if !commented.is_empty() {
        writeln!(out, "{}:", words::comments_title(lang))?;
        for (name, comments) in commented {
            writeln!(out, "  {name}: {}", comments.join(" | "))?;
        }
    }
    not_counted(report, lang, &words, out)?;
    if report.findings.is_empty() {
        writeln!(out, "{}", lang.pick("Inga fynd.", "No findings."))?;
    } else {
        writeln!(out, "{}:", lang.pick("Fynd", "Findings"))?;
        for finding in &report.findings {
            let area = finding.area.as_deref().map_or(String::new(), |area| format!(" {area}"));
            let place = place(finding, report, lang).map_or(String::new(), |place| format!(" ({place})"));
            let head = format!("{:<8} {:<20}{area}{place}", finding.severity.word(lang), finding.kind.id());
            writeln!(out, "  {}: {}", head.trim_end(), message(finding, report, lang))?;
        }
    }
    writeln!(out, "{}", result_line(report, lang))
}
