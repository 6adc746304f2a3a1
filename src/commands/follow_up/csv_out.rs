//! `follow-up` as CSV: one row per intervention, one per area and one for the total, so that
//! the intervention rows of an area add up to its row and the area rows to the total. Amounts
//! are numbers in the report's unit, exact; text cells are guarded against formulas. The
//! findings, which CSV has no room for, go to stderr (`write_findings`).

use super::compute::{Figures, FindingKind, FollowUpReport};
use super::words::{labels, message, place, share};
use crate::lang::Lang;
use crate::output::dialect::{Dialect, spreadsheet_text};
use std::io;
use std::io::Write;

/// The level column's values: stable words scripts select rows by, in the report's language
/// as its header is (`total` is the same word in both).
#[must_use]
pub fn levels(lang: Lang) -> [&'static str; 3] {
    [lang.pick("insats", "intervention"), lang.pick("område", "area"), "total"]
}

pub fn write(report: &FollowUpReport, lang: Lang, dialect: Dialect, out: &mut dyn Write) -> io::Result<()> {
    let words = labels(lang);
    let [intervention_level, area_level, total_level] = levels(lang);
    let style = dialect.style;
    let mut writer = dialect.writer(out)?;
    writer.write_record([
        words.level,
        words.area,
        words.intervention,
        words.budget,
        words.outcome,
        words.remaining,
        words.share_used,
        words.rows,
        words.comment,
        words.decision,
        words.findings,
    ])?;
    let numbers = |figures: &Figures| -> [String; 4] {
        [
            report.show(figures.budget, style),
            report.show(figures.outcome, style),
            report.show(figures.remaining, style),
            share(figures.share, style),
        ]
    };
    let text = |value: &str| spreadsheet_text(value).into_owned();
    for area in &report.areas {
        let ids_for = |name: Option<&str>| {
            let ids: Vec<&str> = report
                .findings
                .iter()
                .filter(|finding| finding.area.as_deref() == Some(area.id.as_str()))
                .filter(|finding| match name {
                    Some(name) => finding.kind.intervention() == Some(name),
                    None => matches!(
                        finding.kind,
                        FindingKind::AreaOver { .. }
                            | FindingKind::AreaUnspent { .. }
                            | FindingKind::OutcomeNegative { intervention: None, .. }
                    ),
                })
                .map(|finding| finding.kind.id())
                .collect();
            ids.join(" ")
        };
        for line in &area.interventions {
            let comments: Vec<&str> = line.plan_comment.iter().chain(&line.comments).map(String::as_str).collect();
            let mut record = vec![intervention_level.to_string(), text(&area.id), text(&line.name)];
            record.extend(numbers(&line.figures));
            record.push(line.rows.len().to_string());
            record.push(text(&comments.join(" | ")));
            record.push(text(&line.decisions.join(", ")));
            record.push(text(&ids_for(Some(&line.name))));
            writer.write_record(&record)?;
        }
        let rows: usize = area.interventions.iter().map(|line| line.rows.len()).sum();
        let mut record = vec![area_level.to_string(), text(&area.id), String::new()];
        record.extend(numbers(&area.figures));
        record.extend([rows.to_string(), String::new(), String::new(), text(&ids_for(None))]);
        writer.write_record(&record)?;
    }
    let rows: usize = report.areas.iter().flat_map(|area| &area.interventions).map(|line| line.rows.len()).sum();
    let mut record = vec![total_level.to_string(), String::new(), String::new()];
    record.extend(numbers(&report.total));
    record.extend([rows.to_string(), String::new(), String::new(), String::new()]);
    writer.write_record(&record)?;
    writer.flush()
}

/// The findings in words, one `fordela: <severity>: <id>: …` line each.
pub fn write_findings(report: &FollowUpReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    for finding in &report.findings {
        let line = place(finding, report, lang).map_or(String::new(), |place| format!(" ({place})"));
        writeln!(
            out,
            "fordela: {}: {}{line}: {}",
            finding.severity.word(lang),
            finding.kind.id(),
            message(finding, report, lang)
        )?;
    }
    Ok(())
}
