//! `follow-up` as JSON for scripts. Amounts are strings with a decimal point, exact (as
//! `check` writes them); findings carry their stable id, severity and words.

use super::compute::{Figures, FollowUpReport, Money, RowGroup};
use super::words::message;
use crate::core::amount::{NumberStyle, Unit};
use crate::core::date::Date;
use crate::core::findings::Severity;
use crate::lang::Lang;
use serde::Serialize;
use std::io;
use std::io::Write;

#[derive(Serialize)]
struct JsonReport<'a> {
    fordela_version: &'static str,
    ok: bool,
    errors: usize,
    warnings: usize,
    notes: usize,
    plan: &'a str,
    outcome: &'a str,
    agreement: &'a str,
    unit: Unit,
    decimals: u32,
    outcome_unit: Unit,
    object: Option<&'a str>,
    until: Option<Date>,
    from: Option<Date>,
    areas: Vec<JsonArea<'a>>,
    total: JsonFigures,
    other_object: JsonRows<'a>,
    after_period: JsonRows<'a>,
    before_period: JsonRows<'a>,
    unmatched: JsonRows<'a>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFigures {
    budget: String,
    outcome: String,
    remaining: String,
    /// Percent with two decimals; `null` where the budget is zero.
    share_used: Option<String>,
}

#[derive(Serialize)]
struct JsonArea<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(flatten)]
    figures: JsonFigures,
    interventions: Vec<JsonIntervention<'a>>,
}

#[derive(Serialize)]
struct JsonIntervention<'a> {
    name: &'a str,
    plan_line: usize,
    #[serde(flatten)]
    figures: JsonFigures,
    outcome_lines: &'a [usize],
    plan_comment: Option<&'a str>,
    comments: &'a [String],
    decisions: &'a [String],
}

#[derive(Serialize)]
struct JsonRows<'a> {
    sum: String,
    rows: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    line: usize,
    intervention: &'a str,
    area: Option<&'a str>,
    date: Option<Date>,
    object: Option<&'a str>,
    amount: String,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: &'static str,
    id: &'static str,
    area: Option<&'a str>,
    line: Option<usize>,
    message: String,
}

pub fn write(report: &FollowUpReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let money = |money: Money| report.show(money, NumberStyle::PLAIN);
    let figures = |figures: &Figures| JsonFigures {
        budget: money(figures.budget),
        outcome: money(figures.outcome),
        remaining: money(figures.remaining),
        share_used: figures.share.map(|share| share.show(NumberStyle::PLAIN)),
    };
    let areas = report
        .areas
        .iter()
        .map(|area| JsonArea {
            id: &area.id,
            name: &area.name,
            figures: figures(&area.figures),
            interventions: area
                .interventions
                .iter()
                .map(|line| JsonIntervention {
                    name: &line.name,
                    plan_line: line.line,
                    figures: figures(&line.figures),
                    outcome_lines: &line.rows,
                    plan_comment: line.plan_comment.as_deref(),
                    comments: &line.comments,
                    decisions: &line.decisions,
                })
                .collect(),
        })
        .collect();
    let findings = report
        .findings
        .iter()
        .map(|finding| JsonFinding {
            severity: finding.severity.id(),
            id: finding.kind.id(),
            area: finding.area.as_deref(),
            line: finding.line,
            message: message(finding, report, lang),
        })
        .collect();
    let errors = report.count(Severity::Error);
    let document = JsonReport {
        fordela_version: env!("CARGO_PKG_VERSION"),
        ok: errors == 0,
        errors,
        warnings: report.count(Severity::Warning),
        notes: report.count(Severity::Note),
        plan: &report.plan,
        outcome: &report.outcome,
        agreement: &report.agreement,
        unit: report.unit,
        decimals: report.decimals,
        outcome_unit: report.outcome_unit,
        object: report.object.as_deref(),
        until: report.until,
        from: report.from,
        areas,
        total: figures(&report.total),
        other_object: rows(report, &report.other_object),
        after_period: rows(report, &report.after_period),
        before_period: rows(report, &report.before_period),
        unmatched: rows(report, &report.unmatched),
        findings,
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}

fn rows<'a>(report: &FollowUpReport, group: &'a RowGroup) -> JsonRows<'a> {
    let money = |money: Money| report.show(money, NumberStyle::PLAIN);
    JsonRows {
        sum: money(group.sum),
        rows: group
            .rows
            .iter()
            .map(|row| JsonRow {
                line: row.line,
                intervention: &row.intervention,
                area: row.area.as_deref(),
                date: row.date,
                object: row.object.as_deref(),
                amount: money(row.amount),
            })
            .collect(),
    }
}
