//! `payouts` schedules: a table for people, CSV (plain or Swedish Excel) and JSON for scripts.
//! Every renderer reads the same lines of the `Schedule` (decisions, then sums per area, per
//! provider and in all), so a workbook renderer is one more module over these rows.

use std::io::{self, Write};

use serde::Serialize;

use super::schedule::{Outcome, PayoutFinding, Schedule, ScheduleLine, kronor};
use crate::core::amount::NumberStyle;
use crate::core::quarter::PaymentDay;
use crate::lang::Lang;
use crate::output::dialect::Dialect;
use crate::output::dialect::spreadsheet_text;
use crate::output::grid::Grid;

/// What a line of the schedule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    Decision,
    Area,
    Provider,
    Total,
}

impl LineKind {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            LineKind::Decision => lang.pick("beslut", "decision"),
            LineKind::Area => lang.pick("område", "area"),
            LineKind::Provider => lang.pick("utförare", "provider"),
            LineKind::Total => lang.pick("totalt", "total"),
        }
    }
}

/// Every line of the schedule in the order each format shows them.
pub fn lines(schedule: &Schedule) -> impl Iterator<Item = (LineKind, &ScheduleLine)> {
    let decisions = schedule.decisions.iter().map(|line| (LineKind::Decision, line));
    let areas = schedule.areas.iter().map(|line| (LineKind::Area, line));
    let providers = schedule.providers.iter().map(|line| (LineKind::Provider, line));
    decisions.chain(areas).chain(providers).chain([(LineKind::Total, &schedule.total)])
}

/// The rule of the payment dates, in words.
#[must_use]
pub fn payment_rule(rule: PaymentDay, lang: Lang) -> &'static str {
    match rule {
        PaymentDay::FirstMonthEnd => {
            lang.pick("sista dagen i kvartalets första månad", "the last day of the quarter's first month")
        }
        PaymentDay::QuarterStart => lang.pick("kvartalets första dag", "the first day of the quarter"),
        PaymentDay::QuarterEnd => lang.pick("kvartalets sista dag", "the last day of the quarter"),
    }
}

fn outcome(outcome: Outcome, lang: Lang) -> &'static str {
    match outcome {
        Outcome::Accepted => lang.pick("godkänd", "accepted"),
        Outcome::Over => lang.pick("över beslutet", "over the decision"),
        Outcome::OutsidePeriod => lang.pick("utanför perioden", "outside the period"),
    }
}

/// What a finding of `schedule` says, in the report's language, naming the requests' places as
/// lines or a sheet's rows.
#[must_use]
pub fn finding_message(schedule: &Schedule, finding: &PayoutFinding, lang: Lang) -> String {
    schedule.requests_lines.reword(&message(finding, lang))
}

/// A finding in words, in the report's language.
#[must_use]
pub fn message(finding: &PayoutFinding, lang: Lang) -> String {
    let show = |amount: u128| format!("{} kr", kronor(amount, NumberStyle::SWEDISH));
    if lang == Lang::Sv {
        return match finding {
            PayoutFinding::RequestOver { provider, area, quarter, asked, left, line } => format!(
                "äskande på rad {line}: {provider} begär {} för {area} {quarter}, men bara {} återstår av beslutet",
                show(*asked),
                show(*left)
            ),
            PayoutFinding::RequestOutsidePeriod { provider, area, quarter, asked, first, last, line } => format!(
                "äskande på rad {line}: {provider} begär {} för {area} {quarter}, utanför beslutets period \
                 {first}–{last}",
                show(*asked)
            ),
        };
    }
    match finding {
        PayoutFinding::RequestOver { provider, area, quarter, asked, left, line } => format!(
            "request on line {line}: {provider} asks for {} for {area} in {quarter}, but only {} is left of the decision",
            show(*asked),
            show(*left)
        ),
        PayoutFinding::RequestOutsidePeriod { provider, area, quarter, asked, first, last, line } => format!(
            "request on line {line}: {provider} asks for {} for {area} in {quarter}, outside the decision's period \
             {first}–{last}",
            show(*asked)
        ),
    }
}

/// The column headers after `provider`, `area` and the period: quarters, years (when more
/// than one), the total, and with requests what was requested and is left.
fn amount_headers(schedule: &Schedule, lang: Lang) -> Vec<String> {
    let mut headers: Vec<String> = schedule.quarters.iter().map(ToString::to_string).collect();
    if schedule.years.len() > 1 {
        headers.extend(schedule.years.iter().map(ToString::to_string));
    }
    headers.push(lang.pick("summa", "total").to_string());
    if schedule.with_requests {
        headers.push(lang.pick("begärt", "requested").to_string());
        headers.push(lang.pick("kvar", "left").to_string());
    }
    headers
}

fn amounts(schedule: &Schedule, line: &ScheduleLine, style: NumberStyle) -> Vec<String> {
    let mut cells: Vec<String> = line.cells.iter().map(|&cell| kronor(cell, style)).collect();
    if schedule.years.len() > 1 {
        cells.extend(line.by_year.iter().map(|&cell| kronor(cell, style)));
    }
    cells.push(kronor(line.total, style));
    if schedule.with_requests {
        cells
            .extend([line.requested, line.left].map(|value| value.map_or(String::new(), |value| kronor(value, style))));
    }
    cells
}

/// Whether a decision has a note (a comment column): the outputs then show the notes, with
/// their decisions; without, they stay as they were.
fn has_comments(schedule: &Schedule) -> bool {
    schedule.decisions.iter().any(|line| line.comment.is_some())
}

fn period(line: &ScheduleLine) -> String {
    line.period.map_or(
        String::new(),
        |(first, last)| if first == last { first.to_string() } else { format!("{first}–{last}") },
    )
}

/// Every request and what became of it, with its note if the file has a comment column.
#[must_use]
pub fn ledger_grid(schedule: &Schedule, lang: Lang) -> Grid {
    let request_comments = schedule.ledger.iter().any(|entry| entry.comment.is_some());
    let mut header: Vec<String> = [
        lang.pick("utförare", "provider"),
        lang.pick("område", "area"),
        lang.pick("kvartal", "quarter"),
        lang.pick("begärt", "asked"),
        lang.pick("utfall", "outcome"),
        lang.pick("kvar efter", "left after"),
        schedule.requests_lines.word(lang),
    ]
    .map(str::to_string)
    .to_vec();
    let mut right = vec![false, false, false, true, false, true, true];
    if request_comments {
        header.push(lang.pick("kommentar", "comment").to_string());
        right.push(false);
    }
    let rows = schedule
        .ledger
        .iter()
        .map(|entry| {
            let mut row = vec![
                entry.provider.clone(),
                entry.area.clone(),
                entry.quarter.to_string(),
                kronor(entry.asked, NumberStyle::SWEDISH),
                outcome(entry.outcome, lang).to_string(),
                kronor(entry.left_after, NumberStyle::SWEDISH),
                entry.line.to_string(),
            ];
            if request_comments {
                row.push(entry.comment.clone().unwrap_or_default());
            }
            row
        })
        .collect();
    Grid { header, rows, right }
}

/// The report's first line: the decisions' file and the unit.
#[must_use]
pub fn heading(schedule: &Schedule, lang: Lang) -> String {
    format!(
        "{} {}; {}",
        lang.pick("Utbetalningar enligt", "Payouts by"),
        schedule.source,
        lang.pick("belopp i kr.", "amounts in kr.")
    )
}

/// The schedule: a row per decision, then the sums per area, per provider and in all; a column
/// per quarter (its payment date under it), per year (when more than one), the total, and with
/// requests what was requested and is left.
#[must_use]
pub fn schedule_grid(schedule: &Schedule, lang: Lang) -> Grid {
    let mut header: Vec<String> =
        [lang.pick("utförare", "provider"), lang.pick("område", "area"), lang.pick("period", "period")]
            .map(str::to_string)
            .to_vec();
    // Each quarter's column says its payment date under it.
    let quarters =
        schedule.quarters.iter().zip(&schedule.payment_dates).map(|(quarter, date)| format!("{quarter}\n{date}"));
    let others = amount_headers(schedule, lang).into_iter().skip(schedule.quarters.len());
    header.extend(quarters.chain(others));
    let mut right = vec![false; 3];
    right.resize(header.len(), true);
    let comments = has_comments(schedule);
    if comments {
        header.push(lang.pick("kommentar", "comment").to_string());
        right.push(false);
    }
    let everyone = lang.pick("alla", "all");
    let rows = lines(schedule)
        .map(|(kind, line)| {
            let (provider, area) = match kind {
                LineKind::Decision => (line.provider.clone(), line.area.clone()),
                LineKind::Area => (everyone.to_string(), line.area.clone()),
                LineKind::Provider => (line.provider.clone(), everyone.to_string()),
                LineKind::Total => (LineKind::Total.label(lang).to_string(), String::new()),
            };
            let mut row = vec![provider, area, period(line)];
            row.extend(amounts(schedule, line, NumberStyle::SWEDISH));
            if comments {
                row.push(line.comment.clone().unwrap_or_default());
            }
            row
        })
        .collect();
    Grid { header, rows, right }
}

/// The rule of the payment day and of the odd kronor, as the report's line says it.
#[must_use]
pub fn payment_line(schedule: &Schedule, lang: Lang) -> String {
    format!(
        "{}: {}. {}",
        lang.pick("Utbetalningsdag", "Payment day"),
        payment_rule(schedule.payment_day, lang),
        lang.pick(
            "Udda kronor går till de tidigaste kvartalen; delbetalningarna skiljer sig med högst 1 kr.",
            "Odd kronor go to the earliest quarters; instalments differ by at most 1 kr."
        )
    )
}

/// The title over the requests' table.
#[must_use]
pub fn requests_title(lang: Lang) -> &'static str {
    lang.pick("Rekvisitioner", "Requests")
}

/// Said when requests were given and each fits its decision.
#[must_use]
pub fn all_fit(lang: Lang) -> &'static str {
    lang.pick("Alla rekvisitioner ryms i besluten.", "Every request fits its decision.")
}

pub fn table(schedule: &Schedule, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", heading(schedule, lang))?;
    writeln!(out, "{}", schedule_grid(schedule, lang).drawn())?;
    writeln!(out, "{}", payment_line(schedule, lang))?;
    if !schedule.ledger.is_empty() {
        writeln!(out, "{}:", requests_title(lang))?;
        writeln!(out, "{}", ledger_grid(schedule, lang).drawn())?;
    }
    if schedule.findings.is_empty() {
        if schedule.with_requests {
            writeln!(out, "{}", all_fit(lang))?;
        }
    } else {
        writeln!(out, "{}:", lang.pick("Anmärkningar", "Findings"))?;
        for finding in &schedule.findings {
            writeln!(
                out,
                "  {} [{}] {}",
                lang.pick("fel", "error"),
                finding.id(),
                finding_message(schedule, finding, lang)
            )?;
        }
    }
    Ok(())
}

/// One row per line (`kind` says which), then a `payment-date` row under the quarters. The
/// findings, which have no room here, are the caller's to say on stderr.
pub fn csv(schedule: &Schedule, lang: Lang, dialect: Dialect, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = dialect.writer(out)?;
    let mut header: Vec<String> = [
        lang.pick("typ", "kind"),
        lang.pick("utförare", "provider"),
        lang.pick("område", "area"),
        lang.pick("från", "from"),
        lang.pick("till", "to"),
    ]
    .map(str::to_string)
    .to_vec();
    header.extend(amount_headers(schedule, lang));
    let comments = has_comments(schedule);
    if comments {
        header.push(lang.pick("kommentar", "comment").to_string());
    }
    writer.write_record(&header)?;
    let mut dates = vec![lang.pick("utbetalningsdag", "payment-date").to_string()];
    dates.extend(std::iter::repeat_n(String::new(), 4));
    dates.extend(schedule.payment_dates.iter().map(ToString::to_string));
    dates.resize(header.len(), String::new());
    writer.write_record(&dates)?;
    for (kind, line) in lines(schedule) {
        let (from, to) = line.period.map_or((String::new(), String::new()), |(f, t)| (f.to_string(), t.to_string()));
        let mut row = vec![
            kind.label(lang).to_string(),
            spreadsheet_text(&line.provider).into_owned(),
            spreadsheet_text(&line.area).into_owned(),
            from,
            to,
        ];
        row.extend(amounts(schedule, line, dialect.style));
        if comments {
            row.push(spreadsheet_text(line.comment.as_deref().unwrap_or("")).into_owned());
        }
        writer.write_record(&row)?;
    }
    writer.flush()
}

#[derive(Serialize)]
struct Document<'a> {
    fordela_version: &'static str,
    source: &'a str,
    unit: &'static str,
    payment_day: PaymentDay,
    quarters: Vec<QuarterView>,
    years: &'a [u16],
    lines: Vec<LineView<'a>>,
    requests: Vec<RequestView<'a>>,
    findings: Vec<FindingView<'a>>,
}

#[derive(Serialize)]
struct RequestView<'a> {
    provider: &'a str,
    area: &'a str,
    quarter: String,
    asked: String,
    outcome: Outcome,
    left_after: String,
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
}

#[derive(Serialize)]
struct QuarterView {
    quarter: String,
    payment_date: String,
}

/// Amounts are exact whole kronor as decimal strings, never floats.
#[derive(Serialize)]
struct LineView<'a> {
    kind: LineKind,
    provider: &'a str,
    area: &'a str,
    from: Option<String>,
    to: Option<String>,
    line: Option<usize>,
    instalments: Vec<String>,
    by_year: Vec<String>,
    total: String,
    requested: Option<String>,
    left: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
}

#[derive(Serialize)]
struct FindingView<'a> {
    severity: &'static str,
    #[serde(flatten)]
    finding: &'a PayoutFinding,
    message: String,
}

pub fn json(schedule: &Schedule, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let string = |amount: u128| amount.to_string();
    let document = Document {
        fordela_version: env!("CARGO_PKG_VERSION"),
        source: &schedule.source,
        unit: "kr",
        payment_day: schedule.payment_day,
        quarters: schedule
            .quarters
            .iter()
            .zip(&schedule.payment_dates)
            .map(|(quarter, date)| QuarterView { quarter: quarter.to_string(), payment_date: date.to_string() })
            .collect(),
        years: &schedule.years,
        lines: lines(schedule)
            .map(|(kind, line)| LineView {
                kind,
                provider: &line.provider,
                area: &line.area,
                from: line.period.map(|(first, _)| first.to_string()),
                to: line.period.map(|(_, last)| last.to_string()),
                line: line.line,
                instalments: line.cells.iter().map(|&cell| string(cell)).collect(),
                by_year: line.by_year.iter().map(|&cell| string(cell)).collect(),
                total: string(line.total),
                requested: line.requested.map(string),
                left: line.left.map(string),
                comment: line.comment.as_deref(),
            })
            .collect(),
        requests: schedule
            .ledger
            .iter()
            .map(|entry| RequestView {
                provider: &entry.provider,
                area: &entry.area,
                quarter: entry.quarter.to_string(),
                asked: string(entry.asked),
                outcome: entry.outcome,
                left_after: string(entry.left_after),
                line: entry.line,
                comment: entry.comment.as_deref(),
            })
            .collect(),
        findings: schedule
            .findings
            .iter()
            .map(|finding| FindingView {
                severity: "error",
                finding,
                message: finding_message(schedule, finding, lang),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}
