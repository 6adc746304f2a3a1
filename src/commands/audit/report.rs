//! `audit` reports: a table for people, CSV (one line per audited cell) and JSON for scripts,
//! each with what the amounts imply (`implied`): the rounding rule and the key.
//! Every figure is exact: a quota that is no finite decimal is shown to nine decimals past the
//! table's step and marked `…`, and given as a fraction (in steps) in CSV and JSON. Findings
//! are worded here from their data, in the job's language.

use super::compute::{AuditReport, ColumnAudit, DateChoice, Deviation, Finding, FindingKind, RowAudit, Step};
use super::implied::{ColumnExplained, Comparison};
use super::implied_words::{
    compared, key_lines, people, row_step, rule_id, rule_line, shown_rows, signed_amount, signed_people,
};
use super::steps::{show_steps, show_units};
use crate::core::amount::{Fraction, NumberStyle, Scaled};
use crate::core::findings::Severity;
use crate::io::lines::Lines;
use crate::lang::Lang;
use crate::output::dialect::{Dialect, spreadsheet_text};
use crate::output::grid::{Block, Grid};
use serde::Serialize;
use std::io;
use std::io::Write;

pub(crate) fn show_deviation(deviation: &Deviation, step: Step, style: NumberStyle) -> String {
    let size = show_steps(&deviation.size, step, style);
    if deviation.negative { format!("-{size}") } else { size }
}

/// The step in words: `1 kr`, `0,1 mkr`.
pub(crate) fn step_words(step: Step) -> String {
    format!("{} {}", show_units(1, step, NumberStyle::SWEDISH), step.unit)
}

/// How the row's amount relates to its quota: `floor`, `ceil`, `exact` or `NO`.
pub(crate) fn rounding_word(row: &RowAudit, lang: Lang) -> &'static str {
    if !row.valid_rounding {
        return lang.pick("NEJ", "NO");
    }
    let floor = row.quota.numerator / row.quota.denominator.max(1);
    if row.deviation.size.numerator == 0 {
        lang.pick("exakt", "exact")
    } else if row.published == floor {
        lang.pick("nedåt", "down")
    } else {
        lang.pick("uppåt", "up")
    }
}

pub(crate) fn yes_no(value: bool, lang: Lang) -> &'static str {
    if value { lang.pick("ja", "yes") } else { lang.pick("nej", "no") }
}

/// What a finding says, in the report's language, naming the table's places as lines or a
/// sheet's rows.
#[must_use]
pub fn message(finding: &Finding, report: &AuditReport, lang: Lang) -> String {
    report.table_lines.reword(&words(finding, report, lang))
}

fn words(finding: &Finding, report: &AuditReport, lang: Lang) -> String {
    let step = report.step;
    let unit = step.unit;
    let amount = |units: u128| format!("{} {unit}", show_units(units, step, NumberStyle::SWEDISH));
    let exact = |fraction: &Fraction| format!("{} {unit}", show_steps(fraction, step, NumberStyle::SWEDISH));
    match (&finding.kind, lang) {
        (FindingKind::NotARounding { column, line, code, name, quota, published, deviation }, Lang::En) => format!(
            "`{column}`, line {line}, {code} {name}: {} is not the quota {} rounded down or up (deviation {} {unit})",
            amount(*published),
            exact(quota),
            show_deviation(deviation, step, NumberStyle::SWEDISH)
        ),
        (FindingKind::NotARounding { column, line, code, name, quota, published, deviation }, Lang::Sv) => format!(
            "`{column}`, rad {line}, {code} {name}: {} är inte kvoten {} avrundad nedåt eller uppåt (avvikelse {} {unit})",
            amount(*published),
            exact(quota),
            show_deviation(deviation, step, NumberStyle::SWEDISH)
        ),
        (FindingKind::TotalMismatch { column, total, published_sum }, Lang::En) => {
            format!("`{column}`: the amounts add up to {}, not to the total {}", amount(*published_sum), exact(total))
        }
        (FindingKind::TotalMismatch { column, total, published_sum }, Lang::Sv) => {
            format!("`{column}`: beloppen summerar till {}, inte till totalen {}", amount(*published_sum), exact(total))
        }
        (FindingKind::UnknownRecipient { line, written, reason }, Lang::En) => {
            format!("line {line}: `{written}` is not a recipient of the population file ({reason})")
        }
        (FindingKind::UnknownRecipient { line, written, reason }, Lang::Sv) => {
            format!("rad {line}: `{written}` finns inte i befolkningsfilen ({reason})")
        }
        (FindingKind::MissingRecipient { code, name }, Lang::En) => {
            format!("{code} {name} has no row in the table")
        }
        (FindingKind::MissingRecipient { code, name }, Lang::Sv) => {
            format!("{code} {name} saknar rad i tabellen")
        }
        (FindingKind::OtherDateFitsBetter { audited, audited_valid, best, best_valid, cells }, Lang::En) => format!(
            "the table fits the population of {best} better ({best_valid} of {cells} amounts valid roundings) than \
             that of {audited} ({audited_valid} of {cells}): was it computed from {best}'s figures?"
        ),
        (FindingKind::OtherDateFitsBetter { audited, audited_valid, best, best_valid, cells }, Lang::Sv) => format!(
            "tabellen passar befolkningen {best} bättre ({best_valid} av {cells} belopp giltiga avrundningar) än \
             den {audited} ({audited_valid} av {cells}): är den beräknad på siffrorna för {best}?"
        ),
        (FindingKind::SetAsideMismatch { column, line, recipient, expected, published }, Lang::En) => format!(
            "`{column}`, line {line}: {recipient} is given {}, but the agreement sets aside {}",
            amount(*published),
            exact(expected)
        ),
        (FindingKind::SetAsideMismatch { column, line, recipient, expected, published }, Lang::Sv) => format!(
            "`{column}`, rad {line}: {recipient} får {}, men överenskommelsen avsätter {}",
            amount(*published),
            exact(expected)
        ),
        (FindingKind::RowTotalMismatch { line, written, stated, sum }, Lang::En) => {
            format!(
                "line {line}, {written}: the total says {}, the amounts add up to {}",
                amount(*stated),
                amount(*sum)
            )
        }
        (FindingKind::RowTotalMismatch { line, written, stated, sum }, Lang::Sv) => {
            format!("rad {line}, {written}: totalen säger {}, beloppen summerar till {}", amount(*stated), amount(*sum))
        }
        (FindingKind::SumRowMismatch { column, line, stated, sum }, Lang::En) => format!(
            "`{column}`, line {line}: the sum row says {}, the rows add up to {}",
            amount(*stated),
            amount(*sum)
        ),
        (FindingKind::SumRowMismatch { column, line, stated, sum }, Lang::Sv) => format!(
            "`{column}`, rad {line}: summaraden säger {}, raderna summerar till {}",
            amount(*stated),
            amount(*sum)
        ),
        (
            FindingKind::PopulationMismatch { .. }
            | FindingKind::ShareMismatch { .. }
            | FindingKind::PopulationsOfOtherDate { .. },
            _,
        ) => stated_message(&finding.kind, report, lang),
    }
}

/// The findings on the populations and shares a table states.
fn stated_message(kind: &FindingKind, report: &AuditReport, lang: Lang) -> String {
    let people = |count: u128| Scaled { mantissa: count, scale: 0 }.format(0, NumberStyle::SWEDISH);
    let percent =
        |fraction: &Fraction| show_steps(fraction, Step { unit: report.step.unit, decimals: 0 }, NumberStyle::SWEDISH);
    match (kind, lang) {
        (FindingKind::PopulationMismatch { line, written, stated, file }, Lang::En) => format!(
            "line {line}, {written}: the table states a population of {}, the population file {} on {}",
            people(u128::from(*stated)),
            people(*file),
            report.population_date
        ),
        (FindingKind::PopulationMismatch { line, written, stated, file }, Lang::Sv) => format!(
            "rad {line}, {written}: tabellen anger befolkningen {}, befolkningsfilen {} den {}",
            people(u128::from(*stated)),
            people(*file),
            report.population_date
        ),
        (FindingKind::ShareMismatch { line, written, stated, exact }, Lang::En) => format!(
            "line {line}, {written}: the table states a share of {stated} %, which is not the population file's share \
             on {} ({} %) rounded down or up to the decimals shown",
            report.population_date,
            percent(exact)
        ),
        (FindingKind::ShareMismatch { line, written, stated, exact }, Lang::Sv) => format!(
            "rad {line}, {written}: tabellen anger andelen {stated} %, vilket inte är befolkningsfilens andel den {} \
             ({} %) avrundad nedåt eller uppåt till de decimaler som visas",
            report.population_date,
            percent(exact)
        ),
        (FindingKind::PopulationsOfOtherDate { audited, audited_matching, best, best_matching, stated }, Lang::En) => {
            format!(
                "{best_matching} of the {stated} populations the table states are those of {best}, \
                 {audited_matching} those of {audited}: was it computed from {best}'s figures?"
            )
        }
        (FindingKind::PopulationsOfOtherDate { audited, audited_matching, best, best_matching, stated }, Lang::Sv) => {
            format!(
                "{best_matching} av de {stated} befolkningstal tabellen anger är de för {best}, {audited_matching} \
                 de för {audited}: är den beräknad på siffrorna för {best}?"
            )
        }
        // Every other kind is worded by `message`, which sends only these here.
        _ => String::new(),
    }
}

pub(crate) fn date_words(report: &AuditReport, lang: Lang) -> String {
    let date = report.population_date;
    match (&report.date_choice, lang) {
        (DateChoice::Agreement, Lang::En) => format!("{date} (the agreement's date)"),
        (DateChoice::Agreement, Lang::Sv) => format!("{date} (överenskommelsens datum)"),
        (DateChoice::Substitute(reason), Lang::En) => format!("{date} (stated by the agreement: {reason})"),
        (DateChoice::Substitute(reason), Lang::Sv) => format!("{date} (anges i överenskommelsen: {reason})"),
        (DateChoice::Flag, Lang::En) => format!("{date} (chosen with --population-date)"),
        (DateChoice::Flag, Lang::Sv) => format!("{date} (valt med --population-date)"),
        (DateChoice::BestFit, Lang::En) => {
            format!(
                "{date} (no date was named: the date of the file that fits the table best; name one with --population-date)"
            )
        }
        (DateChoice::BestFit, Lang::Sv) => {
            format!(
                "{date} (inget datum angavs: det datum i filen som passar tabellen bäst; välj ett med --population-date)"
            )
        }
    }
}

pub(crate) fn against_words(report: &AuditReport, lang: Lang) -> String {
    match &report.against {
        super::compute::Against::Agreement { name, source } => format!("{name} ({source})"),
        super::compute::Against::Total => lang.pick("--total", "--total").to_string(),
        super::compute::Against::TotalRow { line, label } => report.table_lines.reword(&match lang {
            Lang::En => format!("the table's total row (`{label}`, line {line})"),
            Lang::Sv => format!("tabellens summarad (`{label}`, rad {line})"),
        }),
    }
}

/// One line summing a column up.
pub(crate) fn column_summary(column: &ColumnAudit, step: Step, lang: Lang) -> String {
    let unit = step.unit;
    let style = NumberStyle::SWEDISH;
    let adds = if column.adds_up() {
        lang.pick("går jämnt ut", "adds up")
    } else {
        lang.pick("GÅR INTE JÄMNT UT", "DOES NOT ADD UP")
    };
    let fordela = match column.equals_fordela() {
        Some(equal) => yes_no(equal, lang),
        None => lang.pick("– (totalen är inte hela steg)", "– (the total is not whole steps)"),
    };
    let largest = column.largest_deviation.map_or_else(
        || "0".to_string(),
        |at| {
            let row = &column.rows[at];
            format!("{} {unit} ({} {})", show_deviation(&row.deviation, step, style), row.code, row.name)
        },
    );
    match lang {
        Lang::En => format!(
            "`{}` ({}): total {} {unit}, published sum {} {unit}: {adds}; {} of {} rows valid roundings; equals \
             fordela's result: {fordela}; largest deviation {largest}.",
            column.id,
            column.name,
            show_steps(&column.total, step, style),
            show_units(column.published_sum, step, style),
            column.valid_roundings(),
            column.rows.len()
        ),
        Lang::Sv => format!(
            "`{}` ({}): totalt {} {unit}, publicerad summa {} {unit}: {adds}; {} av {} rader giltiga avrundningar; \
             lika med fordelas resultat: {fordela}; största avvikelse {largest}.",
            column.id,
            column.name,
            show_steps(&column.total, step, style),
            show_units(column.published_sum, step, style),
            column.valid_roundings(),
            column.rows.len()
        ),
    }
}

/// What the table is audited against, on which date, and what "consistent" means.
/// Whether the heading says why the step is what it is: a step finer than the table's unit
/// that no `--step` gave is read off the amounts, and a reader seeing `29713512.50` audited to
/// 0,1 kr needs to know that (one unit, or `--step`, needs no words).
fn step_explained(report: &AuditReport) -> bool {
    !report.step_given && report.step.decimals > 0
}

fn heading(report: &AuditReport, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    let step = report.step;
    let unit = step.unit;
    match lang {
        Lang::En => {
            let why = if step_explained(report) {
                " (the step: the finest the amounts need, by the most decimals any amount shows, trailing zeros \
                 aside; --step sets another)"
            } else {
                ""
            };
            lines.push(format!(
                "Audit of {} against {}; amounts in {unit}, rounded to {}{why}.",
                report.table,
                against_words(report, lang),
                step_words(step)
            ));
            lines.push(format!("Population: {}, {}.", report.population_source, date_words(report, lang)));
            lines.push(
                "Consistent means: every amount is its exact quota (total × population / sum of populations) rounded \
                 down or up to a whole step, and the amounts add up to the total. fordela's own result (largest \
                 remainder) is one consistent table; another rounding may be consistent too."
                    .to_string(),
            );
            if report.columns.iter().any(|column| column.rate.is_some()) {
                lines.push(
                    "A column paid at a rate per inhabitant: its quota is rate × population exactly, its total rate × \
                     the sum."
                        .to_string(),
                );
            }
        }
        Lang::Sv => {
            let why = if step_explained(report) {
                " (steget: det finaste beloppen behöver, efter flest decimaler något belopp visar, avslutande nollor \
                 oräknade; --step anger ett annat)"
            } else {
                ""
            };
            lines.push(format!(
                "Granskning av {} mot {}; belopp i {unit}, avrundade till {}{why}.",
                report.table,
                against_words(report, lang),
                step_words(step)
            ));
            lines.push(format!("Befolkning: {}, {}.", report.population_source, date_words(report, lang)));
            lines.push(
                "Konsistent betyder: varje belopp är sin exakta kvot (totalen × befolkning / summa befolkning) \
                 avrundad nedåt eller uppåt till helt steg, och beloppen summerar till totalen. fordelas eget \
                 resultat (största rest) är en konsistent tabell; en annan avrundning kan också vara det."
                    .to_string(),
            );
            if report.columns.iter().any(|column| column.rate.is_some()) {
                lines.push(
                    "En kolumn med belopp per invånare: kvoten är exakt beloppet × befolkningen, totalen beloppet × \
                     summan."
                        .to_string(),
                );
            }
        }
    }
    lines
}

/// One column's rows.
fn column_grid(column: &ColumnAudit, step: Step, lines: Lines, lang: Lang) -> Grid {
    let style = NumberStyle::SWEDISH;
    let mut header: Vec<String> = [
        lines.word(lang),
        lang.pick("kod", "code"),
        lang.pick("mottagare", "recipient"),
        lang.pick("befolkning", "population"),
        lang.pick("exakt kvot", "exact quota"),
        lang.pick("publicerat", "published"),
        lang.pick("avvikelse", "deviation"),
        lang.pick("avrundning", "rounding"),
        "fordela",
    ]
    .map(str::to_string)
    .to_vec();
    let mut right = vec![true, false, false, true, true, true, true, false, true];
    // The table's comments, kept with their rows, in a column of their own when there are any.
    let comments = column.rows.iter().any(|row| row.comment.is_some())
        || column.set_asides.iter().any(|set_aside| set_aside.comment.is_some());
    if comments {
        header.push(lang.pick("kommentar", "comment").to_string());
        right.push(false);
    }
    let comment_cell = |comment: &Option<String>| comments.then(|| comment.clone().unwrap_or_default());
    let mut rows = Vec::new();
    for row in &column.rows {
        let fordela = match row.fordela {
            Some(units) if units == row.published => "=".to_string(),
            Some(units) => show_units(units, step, style),
            None => "–".to_string(),
        };
        let mut cells = vec![
            row.line.to_string(),
            row.code.clone(),
            row.name.clone(),
            crate::core::amount::Scaled { mantissa: u128::from(row.weight), scale: 0 }.format(0, style),
            show_steps(&row.quota, step, style),
            show_units(row.published, step, style),
            show_deviation(&row.deviation, step, style),
            rounding_word(row, lang).to_string(),
            fordela,
        ];
        cells.extend(comment_cell(&row.comment));
        rows.push(cells);
    }
    for set_aside in &column.set_asides {
        let mut cells = vec![
            set_aside.line.to_string(),
            String::new(),
            set_aside.recipient.clone(),
            String::new(),
            show_steps(&set_aside.expected, step, style),
            show_units(set_aside.published, step, style),
            String::new(),
            lang.pick("avsatt", "set aside").to_string(),
            String::new(),
        ];
        cells.extend(comment_cell(&set_aside.comment));
        rows.push(cells);
    }
    Grid { header, rows, right }
}

/// Every date of the population file.
fn dates_grid(report: &AuditReport, lang: Lang) -> Grid {
    let (step, style, unit) = (report.step, NumberStyle::SWEDISH, report.step.unit);
    let mut header = vec![
        lang.pick("datum", "date").to_string(),
        lang.pick("giltiga avrundningar", "valid roundings").to_string(),
        format!("{} ({unit})", lang.pick("största avvikelse", "largest deviation")),
        lang.pick("konsistent", "consistent").to_string(),
        String::new(),
    ];
    let mut right = vec![false, true, true, false, false];
    let matching = report.dates.iter().any(|fit| fit.populations_matching.is_some());
    if matching {
        header.push(lang.pick("angivna befolkningstal lika", "stated populations equal").to_string());
        right.push(true);
    }
    let best_valid = report.dates.iter().find(|fit| fit.date == report.best_date).map(|fit| fit.valid_roundings);
    let mut rows = Vec::new();
    for fit in &report.dates {
        let mut marks = Vec::new();
        if fit.date == report.population_date {
            marks.push(lang.pick("granskat", "audited"));
        }
        if fit.date == report.best_date {
            marks.push(lang.pick("passar bäst", "fits best"));
        } else if Some(fit.valid_roundings) == best_valid {
            marks.push(lang.pick("passar lika bra", "fits as well"));
        }
        let mut row = vec![
            fit.date.to_string(),
            format!("{} {} {}", fit.valid_roundings, lang.pick("av", "of"), fit.cells),
            fit.largest_deviation.as_ref().map_or_else(|| "0".to_string(), |size| show_steps(size, step, style)),
            yes_no(fit.consistent, lang).to_string(),
            marks.join(", "),
        ];
        // The stated populations equal to the date's: the strongest evidence of the date.
        if let Some(matching) = fit.populations_matching {
            row.push(matching.to_string());
        }
        rows.push(row);
    }
    Grid { header, rows, right }
}

/// A key's rows against the date nearest it: line, code, recipient, published, the implied
/// population, the date's figure and the difference; rows off a near miss marked.
fn key_grid(column: &ColumnAudit, compared: &Comparison, step: Step, lines: Lines, lang: Lang) -> Grid {
    let style = NumberStyle::SWEDISH;
    let nearest = compared.nearest.and_then(|date| compared.dates.iter().find(|d| d.date == date));
    let mut header = vec![
        lines.word(lang).to_string(),
        lang.pick("kod", "code").to_string(),
        lang.pick("mottagare", "recipient").to_string(),
        lang.pick("publicerat", "published").to_string(),
        lang.pick("befolkning enligt beloppen", "implied population").to_string(),
    ];
    let mut right = vec![true, false, false, true, true];
    if let Some(date) = nearest {
        header.push(date.date.to_string());
        header.push(lang.pick("skillnad", "difference").to_string());
        right.extend([true, true]);
    }
    if compared.near_miss {
        header.push(String::new());
        right.push(false);
    }
    let mut rows = Vec::new();
    for (at, row) in column.rows.iter().enumerate() {
        let implied = compared.key.weights.get(at).copied().unwrap_or(0);
        let mut cells = vec![
            row.line.to_string(),
            row.code.clone(),
            row.name.clone(),
            show_units(row.published, step, style),
            people(u128::from(implied)),
        ];
        if let Some(date) = nearest {
            let difference = date.differences.get(at).copied().flatten();
            let figure = difference.and_then(|d| i128::from(implied).checked_sub(d));
            cells
                .push(figure.map_or_else(|| "–".to_string(), |f| signed_people(f).trim_start_matches('+').to_string()));
            cells.push(difference.map_or_else(|| "–".to_string(), signed_people));
        }
        if compared.near_miss {
            let off = compared.off.contains(&at);
            cells.push(if off { lang.pick("ingen avrundning", "no rounding") } else { "" }.to_string());
        }
        rows.push(cells);
    }
    Grid { header, rows, right }
}

/// The report for people, in order: the heading, each column's summary and rows, every date of
/// the population file, what the amounts imply, the findings and the result.
pub fn blocks(report: &AuditReport, explained: &[ColumnExplained], lang: Lang) -> Vec<Block> {
    let step = report.step;
    let mut blocks: Vec<Block> = heading(report, lang).into_iter().map(Block::Line).collect();
    for (at, column) in report.columns.iter().enumerate() {
        blocks.push(Block::Line(String::new()));
        blocks.push(Block::Line(column_summary(column, step, lang)));
        if let Some(found) = explained.get(at).and_then(|explained| explained.rule.as_ref()) {
            blocks.push(Block::Line(rule_line(found, column, report, lang)));
        }
        blocks.push(Block::Grid(column_grid(column, step, report.table_lines, lang)));
    }
    blocks.push(Block::Line(String::new()));
    blocks.push(Block::Line(
        lang.pick("Varje datum i befolkningsfilen:", "Every date of the population file:").to_string(),
    ));
    blocks.push(Block::Grid(dates_grid(report, lang)));
    for (column, explained) in report.columns.iter().zip(explained) {
        blocks.extend(key_lines(explained, column, report, lang).into_iter().map(Block::Line));
        if let Some(compared) = shown_rows(explained) {
            blocks.push(Block::Grid(key_grid(column, compared, step, report.table_lines, lang)));
        }
    }
    if !report.not_audited.is_empty() {
        blocks.push(Block::Line(format!(
            "{} {}.",
            lang.pick(
                "Kolumner utöver beloppen, prövade mot befolkningsfilen på det granskade datumet:",
                "Columns beside the amounts, checked against the population file on the audited date:"
            ),
            report.not_audited.join(", ")
        )));
    }
    if report.findings.is_empty() {
        blocks.push(Block::Line(
            lang.pick("Inga fynd: tabellen är konsistent.", "No findings: the table is consistent.").to_string(),
        ));
    } else {
        blocks.push(Block::Line(lang.pick("Fynd:", "Findings:").to_string()));
        for finding in &report.findings {
            blocks.push(Block::Finding {
                severity: finding.severity,
                id: finding.id,
                message: message(finding, report, lang),
            });
        }
    }
    let (errors, warnings) = (report.count(Severity::Error), report.count(Severity::Warning));
    blocks.push(Block::Line(match lang {
        Lang::En => format!("Result: {errors} error(s), {warnings} warning(s)."),
        Lang::Sv => format!("Resultat: {errors} fel, {warnings} varning(ar)."),
    }));
    blocks
}

pub fn table(report: &AuditReport, explained: &[ColumnExplained], lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    Block::write_all(&blocks(report, explained, lang), lang, out)
}

/// One line per audited cell (`quota_numerator / quota_denominator` is the quota exactly, in
/// steps of the table); the dates and findings (which CSV has no room for) go to stderr
/// as notes (`stderr_notes`).
pub fn csv(
    report: &AuditReport,
    explained: &[ColumnExplained],
    lang: Lang,
    dialect: Dialect,
    out: &mut dyn Write,
) -> io::Result<()> {
    let style = dialect.style;
    let step = report.step;
    let mut writer = dialect.writer(out)?;
    let header: [&str; 16] = match lang {
        Lang::En => [
            "area",
            "line",
            "code",
            "recipient",
            "population",
            "quota",
            "quota_numerator",
            "quota_denominator",
            "published",
            "deviation",
            "valid_rounding",
            "fordela",
            "equals_fordela",
            "rounding_rule",
            "rule_step",
            "implied_population",
        ],
        Lang::Sv => [
            "område",
            "rad",
            "kod",
            "mottagare",
            "befolkning",
            "kvot",
            "kvot_täljare",
            "kvot_nämnare",
            "publicerat",
            "avvikelse",
            "giltig_avrundning",
            "fordela",
            "lika_med_fordela",
            "avrundningsregel",
            "regelns_steg",
            "befolkning_enligt_beloppen",
        ],
    };
    // A comment column only when the table has comments, so that other tables' CSV is as before.
    let comments = report.columns.iter().flat_map(|column| &column.rows).any(|row| row.comment.is_some());
    let comment_header = [lang.pick("kommentar", "comment")];
    let shown: &[&str] = if comments { &comment_header } else { &[] };
    writer.write_record(header.iter().chain(shown))?;
    for (column, explained) in report.columns.iter().zip(explained) {
        // The rule's ids (`largest-remainder|half-up`), each row's correction under it, and
        // the population the key (or near miss) gives the row.
        let rule = explained.rule.as_ref();
        let rule_ids =
            rule.map_or(String::new(), |found| found.rules.iter().map(rule_id).collect::<Vec<_>>().join("|"));
        let key = compared(explained);
        for (at, row) in column.rows.iter().enumerate() {
            let comment = comments.then(|| spreadsheet_text(row.comment.as_deref().unwrap_or("")).into_owned());
            let fields = [
                spreadsheet_text(&column.id).into_owned(),
                row.line.to_string(),
                spreadsheet_text(&row.code).into_owned(),
                spreadsheet_text(&row.name).into_owned(),
                row.weight.to_string(),
                show_steps(&row.quota, step, style),
                row.quota.numerator.to_string(),
                row.quota.denominator.to_string(),
                show_units(row.published, step, style),
                show_deviation(&row.deviation, step, style),
                yes_no(row.valid_rounding, lang).to_string(),
                row.fordela.map_or(String::new(), |units| show_units(units, step, style)),
                row.equals_fordela().map_or(String::new(), |equal| yes_no(equal, lang).to_string()),
                rule_ids.clone(),
                rule.and_then(|found| row_step(found, at))
                    .map_or(String::new(), |steps| signed_amount(steps, step, style)),
                key.and_then(|key| key.key.weights.get(at)).map_or(String::new(), ToString::to_string),
            ];
            writer.write_record(fields.into_iter().chain(comment))?;
        }
    }
    writer.flush()
}

/// What CSV has no room for: each column's summary, the date that fits best, the findings.
pub fn stderr_notes(
    report: &AuditReport,
    explained: &[ColumnExplained],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    for (column, explained) in report.columns.iter().zip(explained) {
        writeln!(out, "fordela: note: {}", column_summary(column, report.step, lang))?;
        if let Some(found) = &explained.rule {
            writeln!(out, "fordela: note: {}", rule_line(found, column, report, lang))?;
        }
        let key = key_lines(explained, column, report, lang);
        if !key.is_empty() {
            writeln!(out, "fordela: note: {}", key.join(" "))?;
        }
    }
    let best = match lang {
        Lang::En => format!("audited on {}; the date that fits best is {}", date_words(report, lang), report.best_date),
        Lang::Sv => format!("granskat mot {}; bäst passar {}", date_words(report, lang), report.best_date),
    };
    writeln!(out, "fordela: note: {best}")?;
    for finding in &report.findings {
        writeln!(out, "fordela: {}: {}: {}", finding.severity.word(lang), finding.id, message(finding, report, lang))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    fordela_version: &'static str,
    ok: bool,
    errors: usize,
    warnings: usize,
    consistent: bool,
    /// Amounts (`published`, `fordela`, `published_sum`) and fractions (`quota`, `deviation`,
    /// `total`) count steps of the report's `step`: `10^-decimals` of its `unit`.
    #[serde(flatten)]
    report: &'a AuditReport,
    findings_in_words: Vec<JsonFinding>,
    /// Per column: the rule that gives it and the key its amounts imply (rows are indices into
    /// the column's `rows`), and the same in words.
    explained: &'a [ColumnExplained],
    explained_in_words: Vec<JsonExplained>,
}

#[derive(Serialize)]
struct JsonExplained {
    column: String,
    rule: Option<String>,
    key: Vec<String>,
}

#[derive(Serialize)]
struct JsonFinding {
    id: &'static str,
    severity: Severity,
    message: String,
}

pub fn json(report: &AuditReport, explained: &[ColumnExplained], lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let errors = report.count(Severity::Error);
    // Every finding but the date's says the table is not a valid rounding that adds up.
    let consistent =
        report.findings.iter().all(|finding| matches!(finding.kind, FindingKind::OtherDateFitsBetter { .. }));
    let document = JsonReport {
        fordela_version: env!("CARGO_PKG_VERSION"),
        ok: errors == 0,
        errors,
        warnings: report.count(Severity::Warning),
        consistent,
        report,
        findings_in_words: report
            .findings
            .iter()
            .map(|finding| JsonFinding {
                id: finding.id,
                severity: finding.severity,
                message: message(finding, report, lang),
            })
            .collect(),
        explained,
        explained_in_words: report
            .columns
            .iter()
            .zip(explained)
            .map(|(column, explained)| JsonExplained {
                column: column.id.clone(),
                rule: explained.rule.as_ref().map(|found| rule_line(found, column, report, lang)),
                key: key_lines(explained, column, report, lang),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::amount::Unit;

    #[test]
    fn quotas_show_exactly_or_cut_and_marked() {
        let kr = Step { unit: Unit::Kr, decimals: 0 };
        let third = Fraction { numerator: 10, denominator: 3 };
        assert_eq!(show_steps(&third, kr, NumberStyle::SWEDISH), "3,333333333…");
        let half = Fraction { numerator: 2_469_001, denominator: 2 };
        assert_eq!(show_steps(&half, kr, NumberStyle::SWEDISH), "1 234 500,5");
        let tenth_mkr = Step { unit: Unit::Mkr, decimals: 1 };
        assert_eq!(show_steps(&Fraction { numerator: 191, denominator: 1 }, tenth_mkr, NumberStyle::PLAIN), "19.1");
        assert_eq!(show_steps(&Fraction { numerator: 0, denominator: 7 }, kr, NumberStyle::PLAIN), "0");
    }
}
