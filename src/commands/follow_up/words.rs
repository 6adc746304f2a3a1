//! The words of a follow-up, in Swedish and English: column labels and what each finding
//! says, from the finding's data. Shared by every follow-up format and by the region's report.

use super::compute::{Finding, FindingKind, FollowUpReport, Money, RowGroup, Share};
use crate::core::amount::NumberStyle;
use crate::core::findings::Severity;
use crate::lang::Lang;

/// The labels of a follow-up's columns and lines.
pub struct Labels {
    pub level: &'static str,
    pub area: &'static str,
    pub intervention: &'static str,
    pub budget: &'static str,
    pub outcome: &'static str,
    pub remaining: &'static str,
    pub share_used: &'static str,
    pub rows: &'static str,
    pub comment: &'static str,
    pub decision: &'static str,
    pub findings: &'static str,
    pub total: &'static str,
    pub area_total: &'static str,
    pub line: &'static str,
    /// What `line` is called where the outcome is a sheet.
    pub row: &'static str,
    pub date: &'static str,
    pub object: &'static str,
    pub amount: &'static str,
}

#[must_use]
pub fn labels(lang: Lang) -> Labels {
    Labels {
        level: lang.pick("nivå", "level"),
        area: lang.pick("område", "area"),
        intervention: lang.pick("insats", "intervention"),
        budget: "budget",
        outcome: lang.pick("utfall", "outcome"),
        remaining: lang.pick("kvar", "remaining"),
        share_used: lang.pick("förbrukat %", "used %"),
        rows: lang.pick("rader", "rows"),
        comment: lang.pick("kommentar", "comment"),
        decision: lang.pick("beslut", "decision"),
        findings: lang.pick("fynd", "findings"),
        total: lang.pick("Totalt", "Total"),
        area_total: lang.pick("Summa område", "Area total"),
        line: lang.pick("rad", "line"),
        row: lang.pick("rad", "row"),
        date: lang.pick("datum", "date"),
        object: lang.pick("objekt", "object"),
        amount: lang.pick("belopp", "amount"),
    }
}

impl Labels {
    /// The word for a place in the outcome: its line, or its row where it is a sheet.
    #[must_use]
    pub fn outcome_line(&self, report: &FollowUpReport) -> &'static str {
        match report.outcome_lines {
            crate::io::lines::Lines::Text => self.line,
            crate::io::lines::Lines::Sheet => self.row,
        }
    }
}

/// The groups of rows listed rather than counted, each under its title, in the order every
/// screen shows them; a group with no rows is left out.
#[must_use]
pub fn not_counted(report: &FollowUpReport, lang: Lang) -> Vec<(String, &RowGroup)> {
    let other = match &report.object {
        Some(object) => format!("{} {object}", lang.pick("Rader på annat objekt än", "Rows on another object than")),
        None => String::new(),
    };
    let after = report
        .until
        .map_or(String::new(), |until| format!("{} {until}", lang.pick("Rader daterade efter", "Rows dated after")));
    let before = report
        .from
        .map_or(String::new(), |from| format!("{} {from}", lang.pick("Rader daterade före", "Rows dated before")));
    let unmatched = lang.pick("Rader utan insats i planen", "Rows matching no intervention").to_string();
    [
        (other, &report.other_object),
        (after, &report.after_period),
        (before, &report.before_period),
        (unmatched, &report.unmatched),
    ]
    .into_iter()
    .filter(|(_, group)| !group.rows.is_empty())
    .collect()
}

/// What a screen that lists only the first rows of a group says of the rest.
#[must_use]
pub fn more_rows(lang: Lang, more: usize, rows: usize) -> String {
    match lang {
        Lang::Sv => format!("… och {more} rader till ({rows} i allt): alla listas med --format csv, json eller xlsx"),
        Lang::En => {
            format!("… and {more} more row(s) ({rows} in all): every row is listed by --format csv, json or xlsx")
        }
    }
}

/// The heading of the comments below a follow-up's table.
#[must_use]
pub fn comments_title(lang: Lang) -> &'static str {
    lang.pick("Kommentarer", "Comments")
}

/// Each intervention that has a comment, with its comments: the plan's, then the outcome's.
#[must_use]
pub fn commented(report: &FollowUpReport) -> Vec<(&str, Vec<&str>)> {
    report
        .areas
        .iter()
        .flat_map(|area| &area.interventions)
        .filter(|line| line.plan_comment.is_some() || !line.comments.is_empty())
        .map(|line| (line.name.as_str(), line.plan_comment.iter().chain(&line.comments).map(String::as_str).collect()))
        .collect()
}

/// Where a finding points: the plan's line for an intervention, the outcome's for a row (a
/// row of a sheet where the file is a workbook).
#[must_use]
pub fn place(finding: &Finding, report: &FollowUpReport, lang: Lang) -> Option<String> {
    let line = finding.line?;
    Some(if finding.kind.intervention().is_some() {
        format!("{} {} {line}", lang.pick("planens", "plan"), report.plan_lines.word(lang))
    } else {
        format!("{} {} {line}", lang.pick("utfallets", "outcome"), report.outcome_lines.word(lang))
    })
}

/// A share as shown in a table: `104,17 %`, or empty where the budget is zero.
#[must_use]
pub fn share(share: Option<Share>, style: NumberStyle) -> String {
    share.map_or(String::new(), |share| share.show(style))
}

/// What a finding says, in `lang`.
#[must_use]
pub fn message(finding: &Finding, report: &FollowUpReport, lang: Lang) -> String {
    let unit = report.unit;
    let show = |money: Money| format!("{} {unit}", money.brief(report.decimals));
    let sv = lang == Lang::Sv;
    let area = finding.area.as_deref().unwrap_or("");
    match &finding.kind {
        FindingKind::OverBudget { .. }
        | FindingKind::OverBudgetUndecidedRows { .. }
        | FindingKind::OverBudgetDecided { .. }
        | FindingKind::NoOutcome { .. } => intervention_message(&finding.kind, &show, sv),
        FindingKind::AreaOver { budget, outcome, over } => {
            if sv {
                format!(
                    "området `{area}` överskrider sitt belopp: utfall {} mot {}, {} över",
                    show(*outcome),
                    show(*budget),
                    show(*over)
                )
            } else {
                format!(
                    "area `{area}` is over its amount: outcome {} against {}, {} over",
                    show(*outcome),
                    show(*budget),
                    show(*over)
                )
            }
        }
        FindingKind::OutcomeUnmatched { intervention, area: written, amount, suggestion } => {
            let place = written.as_ref().map_or(String::new(), |area| {
                if sv { format!(" (område `{area}`)") } else { format!(" (area `{area}`)") }
            });
            let hint = suggestion.as_ref().map_or(String::new(), |name| {
                if sv { format!("; menade du `{name}`?") } else { format!("; did you mean `{name}`?") }
            });
            if sv {
                format!("raden för `{intervention}`{place} på {} motsvarar ingen insats i planen{hint}", show(*amount))
            } else {
                format!(
                    "the row for `{intervention}`{place} of {} matches no intervention of the plan{hint}",
                    show(*amount)
                )
            }
        }
        FindingKind::AreaUnspent { budget, outcome, unspent } => {
            let by = report
                .until
                .map_or(String::new(), |until| if sv { format!(" per {until}") } else { format!(" by {until}") });
            if sv {
                format!(
                    "området `{area}`: {} av {} outnyttjat{by} (utfall {})",
                    show(*unspent),
                    show(*budget),
                    show(*outcome)
                )
            } else {
                format!(
                    "area `{area}`: {} of {} unspent{by} (outcome {})",
                    show(*unspent),
                    show(*budget),
                    show(*outcome)
                )
            }
        }
        FindingKind::OutcomeNegative { intervention, outcome } => {
            let what = match (intervention, sv) {
                (Some(name), true) => format!("insatsen `{name}`"),
                (Some(name), false) => format!("intervention `{name}`"),
                (None, true) => format!("området `{area}`"),
                (None, false) => format!("area `{area}`"),
            };
            if sv {
                format!(
                    "{what}: raderna summerar till {}, under noll (mer krediterat än bokfört); rätta utfallet eller \
                     förklara krediteringen",
                    show(*outcome)
                )
            } else {
                format!(
                    "{what}: its rows net to {}, below zero (more credited than spent); correct the outcome or \
                     explain the credit",
                    show(*outcome)
                )
            }
        }
        FindingKind::RowsOtherObject { .. }
        | FindingKind::RowsAfterPeriod { .. }
        | FindingKind::RowsBeforePeriod { .. } => rows_message(&finding.kind, &show, sv),
    }
}

/// What a finding about rows not counted says.
fn rows_message(kind: &FindingKind, show: &dyn Fn(Money) -> String, sv: bool) -> String {
    match kind {
        FindingKind::RowsOtherObject { object, rows, sum } => {
            if sv {
                format!("{rows} rad(er) bokförda på annat objekt än {object}, sammanlagt {}, räknas inte", show(*sum))
            } else {
                format!("{rows} row(s) booked on another object than {object}, {} in all, not counted", show(*sum))
            }
        }
        FindingKind::RowsAfterPeriod { until, rows, sum } => {
            if sv {
                format!("{rows} rad(er) daterade efter {until}, sammanlagt {}, räknas inte", show(*sum))
            } else {
                format!("{rows} row(s) dated after {until}, {} in all, not counted", show(*sum))
            }
        }
        FindingKind::RowsBeforePeriod { from, rows, sum } => {
            if sv {
                format!("{rows} rad(er) daterade före {from}, sammanlagt {}, räknas inte", show(*sum))
            } else {
                format!("{rows} row(s) dated before {from}, {} in all, not counted", show(*sum))
            }
        }
        _ => String::new(),
    }
}

/// What a finding about one intervention says.
fn intervention_message(kind: &FindingKind, show: &dyn Fn(Money) -> String, sv: bool) -> String {
    match kind {
        FindingKind::OverBudget { intervention, budget, outcome, over } => {
            if sv {
                format!(
                    "insatsen `{intervention}` överskrider sin budget: utfall {} mot budget {}, {} över, och ingen rad \
                     anger ett beslut som medger det",
                    show(*outcome),
                    show(*budget),
                    show(*over)
                )
            } else {
                format!(
                    "intervention `{intervention}` is over its budget: outcome {} against a budget of {}, {} over, \
                     and no row cites a decision that allows it",
                    show(*outcome),
                    show(*budget),
                    show(*over)
                )
            }
        }
        FindingKind::OverBudgetUndecidedRows { intervention, budget, outcome, over, undecided, decisions } => {
            let decisions = decisions.join(", ");
            if sv {
                format!(
                    "insatsen `{intervention}` överskrider sin budget: utfall {} mot budget {}, {} över; raderna utan \
                     beslut är ensamma {}, över budgeten, så beslut {decisions} täcker inte överskridandet",
                    show(*outcome),
                    show(*budget),
                    show(*over),
                    show(*undecided)
                )
            } else {
                format!(
                    "intervention `{intervention}` is over its budget: outcome {} against a budget of {}, {} over; its \
                     rows without a decision come to {} by themselves, over the budget, so decision {decisions} does \
                     not cover the overrun",
                    show(*outcome),
                    show(*budget),
                    show(*over),
                    show(*undecided)
                )
            }
        }
        FindingKind::OverBudgetDecided { intervention, budget, outcome, over, decisions } => {
            let decisions = decisions.join(", ");
            if sv {
                format!(
                    "insatsen `{intervention}` överskrider sin budget på {} med {} (utfall {}) enligt beslut {decisions}",
                    show(*budget),
                    show(*over),
                    show(*outcome)
                )
            } else {
                format!(
                    "intervention `{intervention}` is {} over its budget of {} (outcome {}), by decision {decisions}",
                    show(*over),
                    show(*budget),
                    show(*outcome)
                )
            }
        }
        FindingKind::NoOutcome { intervention, budget } => {
            if sv {
                format!("insatsen `{intervention}` (budget {}) har inget utfall", show(*budget))
            } else {
                format!("intervention `{intervention}` (budget {}) has no outcome", show(*budget))
            }
        }
        _ => String::new(),
    }
}

/// The closing line: errors, warnings, notes.
#[must_use]
pub fn result_line(report: &FollowUpReport, lang: Lang) -> String {
    let (errors, warnings, notes) =
        (report.count(Severity::Error), report.count(Severity::Warning), report.count(Severity::Note));
    if lang == Lang::Sv {
        format!("Resultat: {errors} fel, {warnings} varning(ar), {notes} notering(ar).")
    } else {
        format!("Result: {errors} error(s), {warnings} warning(s), {notes} note(s).")
    }
}
