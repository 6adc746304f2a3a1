//! The region's report as one self-contained HTML page: inline CSS, no scripts, no external
//! assets, laid out to print on A4 (page margins, table headers repeated on each page, rows
//! never split). Every text that comes from an input file (names, comments, decisions, file
//! names) is escaped: an intervention called `<script>` shows as that text. And it is isolated
//! (`<bdi>`, `unicode-bidi: isolate`): a name's own direction (a right-to-left script, or a bidi
//! control the readers let through) can never reorder the figures or words around it, so `612
//! kr` never shows as `216 kr`. A bidi control itself is shown as its code point.
//!
//! Written through maud's templates, which escape every spliced text. The summary draws each
//! area's budget against its outcome (`output::chart::budget_outcome`, inline SVG, the same
//! chart the web page draws) when an outcome is given.

use super::compute::RegionReport;
use crate::commands::follow_up::compute::{Figures, FollowUpReport, Money, RowGroup};
use crate::commands::follow_up::table::LISTED_ROWS;
use crate::commands::follow_up::words::{Labels, labels, message, place, result_line, share};
use crate::core::amount::{NumberStyle, format_decimal};
use crate::lang::Lang;
use crate::output::chart::{self, Legend, Pair, visible};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use rust_decimal::Decimal;
use std::io;
use std::io::Write;

const STYLE: NumberStyle = NumberStyle::SWEDISH;

const CSS: &str = "\
@page { size: A4; margin: 18mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 9.5pt; color: #000; \
margin: 0 auto; max-width: 190mm; line-height: 1.3; }
h1 { font-size: 16pt; margin: 0 0 2pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; border-bottom: 1pt solid #000; break-after: avoid; \
page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 10pt 0 3pt; break-after: avoid; page-break-after: avoid; }
p { margin: 2pt 0 6pt; }
.sub { font-size: 11pt; margin-bottom: 8pt; }
table { border-collapse: collapse; width: 100%; margin: 0 0 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border-bottom: 0.5pt solid #999; padding: 2pt 3pt; text-align: left; vertical-align: top; \
overflow-wrap: anywhere; }
th { border-bottom: 1pt solid #000; font-weight: bold; }
.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.sum td { font-weight: bold; border-top: 1pt solid #000; border-bottom: 1pt solid #000; }
td.note { font-size: 8.5pt; color: #222; width: 24%; }
td.name { width: 30%; }
.error { color: #9b0000; font-weight: bold; }
.warning { color: #7a4b00; }
.meta { font-size: 8.5pt; color: #333; }
caption { text-align: left; font-size: 8.5pt; color: #333; padding-bottom: 2pt; }
ul.findings { padding-left: 14pt; margin: 2pt 0 6pt; }
ul.findings li { margin-bottom: 2pt; break-inside: avoid; page-break-inside: avoid; overflow-wrap: anywhere; }
bdi { unicode-bidi: isolate; }
figure.chart { margin: 4pt 0 10pt; break-inside: avoid; page-break-inside: avoid; }
svg.chart { width: 100%; height: auto; }
svg text { unicode-bidi: isolate; }
";

/// An input's text (a name, a comment, a file name) escaped by the template and isolated in
/// `<bdi>`: its own direction stays inside it, and a bidi control in it is shown as its code point.
fn bdi(text: &str) -> Markup {
    html! { bdi { (visible(text)) } }
}

/// A sentence that quotes input texts in backticks (`` intervention `Zamsyn` is over ``), escaped,
/// each quoted text isolated as `bdi` does; the rest with its bidi controls shown too (no
/// `<bdi>` can hold a control in a sentence).
fn isolated_quotes(sentence: &str) -> Markup {
    let parts: Vec<&str> = sentence.split('`').collect();
    html! {
        @for (at, part) in parts.iter().enumerate() {
            // Odd parts are quoted, when their closing backtick follows.
            @if at % 2 == 1 && at + 1 < parts.len() {
                "`" (bdi(part)) "`"
            } @else {
                @if at % 2 == 1 { "`" }
                (visible(part))
            }
        }
    }
}

fn decimal(value: Decimal) -> String {
    format_decimal(value, 0, STYLE)
}

fn money_cells(report: &FollowUpReport, figures: &Figures, outcome: bool) -> Markup {
    html! {
        td.n { (report.show(figures.budget, STYLE)) }
        @if outcome {
            td.n { (report.show(figures.outcome, STYLE)) }
            td.n { (report.show(figures.remaining, STYLE)) }
            td.n { (share(figures.share, STYLE)) }
        }
    }
}

/// A label as a heading: its first letter capital (`utfall` → `Utfall`).
pub fn capital(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

fn money_headers(report: &FollowUpReport, words: &Labels, outcome: bool) -> Markup {
    let unit = report.unit;
    html! {
        th.n { (capital(words.budget)) " (" (unit) ")" }
        @if outcome {
            th.n { (capital(words.outcome)) " (" (unit) ")" }
            th.n { (capital(words.remaining)) " (" (unit) ")" }
            th.n { (capital(words.share_used)) }
        }
    }
}

fn allocation_section(report: &RegionReport, lang: Lang) -> Markup {
    let follow = &report.follow_up;
    let unit = follow.unit;
    let population = &report.population;
    html! {
        h2 { (lang.pick("Överenskommelse och tilldelning", "Agreement and allocation")) } "\n"
        p {
            (lang.pick("Överenskommelse:", "Agreement:")) " " b { (bdi(&report.agreement)) }
            @if let Some(reference) = &report.reference { " (" (bdi(reference)) ")" }
            "."
        } "\n"
        p {
            (lang.pick("Fördelat efter befolkningen den", "Divided by the population on")) " "
            (population.date) " (" (bdi(&population.source)) ")."
            @if let Some(reason) = &population.substitution {
                " " (lang.pick("I stället för överenskommelsens datum", "Instead of the agreement's date")) " "
                (report.agreement_population_date) ": " (bdi(reason)) "."
            }
        } "\n"
        table.allocation {
            thead { tr {
                th { (lang.pick("Utvecklingsområde", "Development area")) }
                th.n { (lang.pick("Tilldelning", "Allocation")) " (" (unit) ")" }
                th.n { (lang.pick("Plan", "Plan")) " (" (unit) ")" }
            } }
            tbody {
                @for area in &report.allocation {
                    @let planned = follow.areas.iter().find(|line| line.id == area.id).map(|line| line.figures.budget);
                    "\n" tr {
                        td { (bdi(&area.name)) }
                        td.n { (decimal(area.allocation)) }
                        td.n { @if let Some(money) = planned { (follow.show(money, STYLE)) } }
                    }
                }
                "\n" tr.sum {
                    td { (labels(lang).total) }
                    td.n { (decimal(report.allocation_total)) }
                    td.n { (follow.show(follow.total.budget, STYLE)) }
                }
            }
        } "\n"
    }
}

fn areas_section(report: &RegionReport, lang: Lang) -> Markup {
    let follow = &report.follow_up;
    let words = labels(lang);
    let outcome = report.outcome_given;
    html! {
        h2 { (lang.pick("Plan och utfall per utvecklingsområde", "Plan and outcome per development area")) } "\n"
        @for area in &follow.areas {
            h3 { (bdi(&area.name)) " " span.meta { "(" (bdi(&area.id)) ")" } } "\n"
            table {
                // The allocation as the table's caption, so that heading, caption and the first
                // rows stay on one page.
                @if let Some(allocation) = report.allocation_of(&area.id) {
                    caption { (lang.pick("Tilldelning", "Allocation")) " " (decimal(allocation)) " " (follow.unit) "." }
                }
                thead { tr {
                    th { (lang.pick("Insats", "Intervention")) }
                    (money_headers(follow, &words, outcome))
                    th { (lang.pick("Kommentar och beslut", "Comment and decision")) }
                } }
                tbody {
                    @for line in &area.interventions {
                        "\n" tr {
                            td.name { (bdi(&line.name)) }
                            (money_cells(follow, &line.figures, outcome))
                            td.note {
                                @for (at, text) in line.plan_comment.iter().chain(&line.comments).enumerate() {
                                    @if at > 0 { br; }
                                    (bdi(text))
                                }
                                @if !line.decisions.is_empty() {
                                    @if line.plan_comment.is_some() || !line.comments.is_empty() { br; }
                                    (lang.pick("Beslut", "Decision")) ": "
                                    @for (at, text) in line.decisions.iter().enumerate() {
                                        @if at > 0 { ", " }
                                        (bdi(text))
                                    }
                                }
                            }
                        }
                    }
                    "\n" tr.sum { td { (words.area_total) } (money_cells(follow, &area.figures, outcome)) td {} }
                }
            } "\n"
        }
    }
}

/// One line's budget against its outcome, for `chart::budget_outcome`: lengths in the
/// follow-up's exact units, figures as its tables show them. Shared with the web page's chart.
pub fn chart_pair(follow: &FollowUpReport, label: &str, figures: &Figures) -> Pair {
    // A bar is as long as its amount; a negative amount (credits beyond the costs) draws none.
    let length = |money: Money| u128::try_from(money.0).unwrap_or(0);
    let unit = follow.unit;
    Pair {
        label: label.to_string(),
        budget: length(figures.budget),
        outcome: length(figures.outcome),
        budget_shown: format!("{} {unit}", follow.show(figures.budget, STYLE)),
        outcome_shown: format!("{} {unit}", follow.show(figures.outcome, STYLE)),
    }
}

/// Each area's budget against its outcome as paired bars, lengths in the report's exact units.
fn areas_chart(report: &RegionReport, lang: Lang) -> Markup {
    let follow = &report.follow_up;
    let words = labels(lang);
    let pairs: Vec<Pair> = follow.areas.iter().map(|area| chart_pair(follow, &area.name, &area.figures)).collect();
    let title = lang.pick("Budget och utfall per utvecklingsområde", "Budget and outcome per development area");
    let budget = capital(words.budget);
    let outcome = capital(words.outcome);
    chart::budget_outcome(&Legend { title, budget: &budget, outcome: &outcome }, &pairs)
}

fn summary_section(report: &RegionReport, lang: Lang) -> Markup {
    let follow = &report.follow_up;
    let words = labels(lang);
    let outcome = report.outcome_given;
    html! {
        h2 { (lang.pick("Sammanställning", "Summary")) } "\n"
        // Without an outcome there is nothing to set against the budgets.
        @if outcome && !follow.areas.is_empty() {
            figure.chart { (areas_chart(report, lang)) } "\n"
        }
        table.summary {
            thead { tr { th { (lang.pick("Utvecklingsområde", "Development area")) } (money_headers(follow, &words, outcome)) } }
            tbody {
                @for area in &follow.areas {
                    "\n" tr { td { (bdi(&area.name)) } (money_cells(follow, &area.figures, outcome)) }
                }
                "\n" tr.sum { td { (words.total) } (money_cells(follow, &follow.total, outcome)) }
            }
        } "\n"
    }
}

/// The rows of `group` under the heading `title` (its input texts already isolated).
fn listed(follow: &FollowUpReport, title: &Markup, group: &RowGroup, words: &Labels, lang: Lang) -> Markup {
    if group.rows.is_empty() {
        return html! {};
    }
    let unit = follow.unit;
    let rows = group.rows.len();
    // A printed report lists the first rows of a group and counts the rest, as the table does.
    let more = rows.checked_sub(LISTED_ROWS).filter(|more| *more > 0).map(|more| match lang {
        Lang::Sv => format!("… och {more} rader till ({rows} i allt): alla listas i arbetsboken (-o rapport.xlsx)"),
        Lang::En => format!("… and {more} more row(s) ({rows} in all): the workbook lists them all (-o report.xlsx)"),
    });
    html! {
        h3 { (title) } "\n"
        table {
            thead { tr {
                th.n { (capital(words.outcome_line(follow))) }
                th { (capital(words.intervention)) }
                th { (capital(words.date)) }
                th { (capital(words.object)) }
                th.n { (capital(words.amount)) " (" (unit) ")" }
            } }
            tbody {
                @for row in group.rows.iter().take(LISTED_ROWS) {
                    "\n" tr {
                        td.n { (row.line) }
                        td { (bdi(&row.intervention)) }
                        td { @if let Some(date) = row.date { (date) } }
                        td { (bdi(row.object.as_deref().unwrap_or(""))) }
                        td.n { (follow.show(row.amount, STYLE)) }
                    }
                }
                @if let Some(more) = more { "\n" tr { td {} td colspan="4" { (more) } } }
                "\n" tr.sum { td {} td { (words.total) } td {} td {} td.n { (follow.show(group.sum, STYLE)) } }
            }
        } "\n"
    }
}

fn rows_section(report: &RegionReport, lang: Lang) -> Markup {
    let follow = &report.follow_up;
    let groups = [&follow.other_object, &follow.after_period, &follow.before_period, &follow.unmatched];
    if groups.iter().all(|group| group.rows.is_empty()) {
        return html! {};
    }
    let words = labels(lang);
    html! {
        h2 { (lang.pick("Rader som inte räknats", "Rows not counted")) } "\n"
        @if let Some(object) = &follow.object {
            (listed(follow, &html! { (lang.pick("Bokförda på annat objekt än", "Booked on another object than")) " " (bdi(object)) },
                &follow.other_object, &words, lang))
        }
        @if let Some(until) = follow.until {
            (listed(follow, &html! { (lang.pick("Daterade efter", "Dated after")) " " (until) }, &follow.after_period, &words, lang))
        }
        @if let Some(from) = follow.from {
            (listed(follow, &html! { (lang.pick("Daterade före", "Dated before")) " " (from) }, &follow.before_period, &words, lang))
        }
        (listed(follow, &html! { (lang.pick("Utan motsvarande insats i planen", "Matching no intervention of the plan")) },
            &follow.unmatched, &words, lang))
    }
}

fn findings_section(report: &RegionReport, lang: Lang) -> Markup {
    let follow = &report.follow_up;
    html! {
        h2 { (lang.pick("Fynd", "Findings")) } "\n"
        @if follow.findings.is_empty() {
            p { (lang.pick("Inga fynd.", "No findings.")) } "\n"
        } @else {
            ul.findings {
                @for finding in &follow.findings {
                    "\n" li class=(finding.severity.id()) {
                        (finding.severity.word(lang)) " " code { (finding.kind.id()) }
                        @if let Some(place) = place(finding, follow, lang) { " (" (place) ")" }
                        ": " (isolated_quotes(&message(finding, follow, lang)))
                    }
                }
            } "\n"
        }
        p { (isolated_quotes(&result_line(follow, lang))) } "\n"
        (plan_check(report, lang))
    }
}

/// What `check` says of the plan against the allocation, in the report's language.
fn plan_check(report: &RegionReport, lang: Lang) -> Markup {
    html! {
        h3 { (lang.pick("Planen mot tilldelningen", "The plan against the allocation")) } "\n"
        @if report.plan_findings.is_empty() {
            p { (lang.pick(
                "Planen summerar rätt och stämmer med tilldelningen (fordela check: inga fynd).",
                "The plan adds up and matches the allocation (fordela check: no findings)."
            )) } "\n"
        } @else {
            ul.findings {
                @for finding in &report.plan_findings {
                    // The class is the stable English label the style sheet selects; the word is the report's.
                    "\n" li class=(finding.severity.id()) {
                        (finding.severity.word(lang)) " " code { (finding.kind.id()) } ": "
                        (isolated_quotes(&report.plan_lines.reword(&crate::commands::check::report::message(
                            finding,
                            report.follow_up.unit,
                            lang
                        ))))
                    }
                }
            } "\n"
        }
    }
}

/// The page's scope: the plan, and the outcome with what was asked of it.
fn scope(report: &RegionReport, lang: Lang) -> Vec<Markup> {
    let follow = &report.follow_up;
    let mut scope = vec![html! { (lang.pick("Plan", "Plan")) ": " (bdi(&follow.plan)) }];
    if report.outcome_given {
        scope.push(html! { (lang.pick("Utfall", "Outcome")) ": " (bdi(&follow.outcome)) });
        if let Some(object) = &follow.object {
            scope.push(html! { (lang.pick("objekt", "object")) " " (bdi(object)) });
        }
        if let Some(from) = follow.from_named() {
            scope.push(html! { (lang.pick("från och med", "from")) " " (from) });
        }
        if let Some(until) = follow.until {
            scope.push(html! { (lang.pick("till och med", "up to")) " " (until) });
        }
    } else {
        scope.push(html! { (lang.pick("inget utfall angivet", "no outcome given")) });
    }
    scope
}

pub fn write(report: &RegionReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let follow = &report.follow_up;
    let title = format!("{} {} – {}", lang.pick("Redovisning", "Report"), report.agreement, report.region_name);
    let page = html! {
        (DOCTYPE) "\n"
        html lang=(lang.pick("sv", "en")) {
            "\n"
            head { meta charset="utf-8"; title { (visible(&title)) } style { "\n" (PreEscaped(CSS)) } } "\n"
            body {
                "\n"
                h1 { (lang.pick("Redovisning", "Report")) " " (bdi(&report.agreement)) " – " (bdi(&report.region_name)) } "\n"
                p.sub {
                    (lang.pick("Redovisning per utvecklingsområde för", "Report per development area for")) " "
                    (bdi(&report.region_name)) " (" (bdi(&report.region_code)) "). "
                    (lang.pick("Belopp i", "Amounts in")) " " (follow.unit) "."
                } "\n"
                p.meta { @for (at, part) in scope(report, lang).iter().enumerate() { @if at > 0 { "; " } (part) } "." } "\n"
                (allocation_section(report, lang))
                (areas_section(report, lang))
                (summary_section(report, lang))
                (rows_section(report, lang))
                (findings_section(report, lang))
                p.meta { (lang.pick("Framtagen med", "Made with")) " fordela " (env!("CARGO_PKG_VERSION")) "." } "\n"
            } "\n"
        } "\n"
    };
    out.write_all(page.into_string().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::{bdi, isolated_quotes};

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            bdi("<script>alert('x & \"y\"')</script>").into_string(),
            "<bdi>&lt;script&gt;alert('x &amp; &quot;y&quot;')&lt;/script&gt;</bdi>"
        );
        assert_eq!(bdi("Zamsynsdagar 22–23 oktober").into_string(), "<bdi>Zamsynsdagar 22–23 oktober</bdi>");
    }

    #[test]
    fn input_texts_are_isolated_and_bidi_controls_shown() {
        assert_eq!(bdi("a\u{202e}612").into_string(), "<bdi>a[U+202E]612</bdi>");
        assert_eq!(bdi("<b>").into_string(), "<bdi>&lt;b&gt;</bdi>");
        assert_eq!(
            isolated_quotes("intervention `Zam<syn` is over, `x` and ` open \u{202e}").into_string(),
            "intervention `<bdi>Zam&lt;syn</bdi>` is over, `<bdi>x</bdi>` and ` open [U+202E]"
        );
    }
}
