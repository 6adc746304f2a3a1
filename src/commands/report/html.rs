//! The region's report as one self-contained HTML page: inline CSS, no scripts, no external
//! assets, laid out to print on A4 (page margins, table headers repeated on each page, rows
//! never split). Every text that comes from an input file (names, comments, decisions, file
//! names) is escaped: an intervention called `<script>` shows as that text. And it is isolated
//! (`<bdi>`, `unicode-bidi: isolate`): a name's own direction (a right-to-left script, or a bidi
//! control the readers let through) can never reorder the figures or words around it, so `612
//! kr` never shows as `216 kr`. A bidi control itself is shown as its code point.

use super::compute::RegionReport;
use crate::commands::follow_up::compute::{Figures, FollowUpReport, RowGroup};
use crate::commands::follow_up::table::LISTED_ROWS;
use crate::commands::follow_up::words::{Labels, labels, message, place, result_line, share};
use crate::core::amount::{NumberStyle, format_decimal};
use crate::lang::Lang;
use rust_decimal::Decimal;
use std::fmt::Write as _;
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
";

/// `text` with `&`, `<`, `>`, `\"` and `'` as entities: safe in text and in attributes. A bidi
/// control (U+202E and its kin) is written as its code point, `[U+202E]`: shown as itself it
/// would reorder the text after it, figures included, where no `<bdi>` can hold it (a title, a
/// sentence that quotes a name).
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::io::names::is_bidi_control(c) => {
                let _ = write!(out, "[U+{:04X}]", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// An input's text (a name, a comment, a file name) escaped and isolated in `<bdi>`: its own
/// direction stays inside it.
#[must_use]
pub fn isolated(text: &str) -> String {
    format!("<bdi>{}</bdi>", escape(text))
}

/// A sentence that quotes input texts in backticks (`` intervention `Zamsyn` is over ``), escaped,
/// each quoted text isolated as `isolated` does.
#[must_use]
pub fn isolated_quotes(sentence: &str) -> String {
    let parts: Vec<&str> = sentence.split('`').collect();
    let mut out = String::with_capacity(sentence.len() + 16);
    for (at, part) in parts.iter().enumerate() {
        // Odd parts are quoted, when their closing backtick follows.
        if at % 2 == 1 && at + 1 < parts.len() {
            let _ = write!(out, "`{}`", isolated(part));
        } else {
            if at % 2 == 1 {
                out.push('`');
            }
            out.push_str(&escape(part));
        }
    }
    out
}

fn decimal(value: Decimal) -> String {
    format_decimal(value, 0, STYLE)
}

fn money_cells(report: &FollowUpReport, figures: &Figures, outcome: bool) -> String {
    let mut cells = format!("<td class=\"n\">{}</td>", report.show(figures.budget, STYLE));
    if outcome {
        for money in [figures.outcome, figures.remaining] {
            let _ = write!(cells, "<td class=\"n\">{}</td>", report.show(money, STYLE));
        }
        let _ = write!(cells, "<td class=\"n\">{}</td>", share(figures.share, STYLE));
    }
    cells
}

/// A label as a heading: its first letter capital (`utfall` → `Utfall`).
fn capital(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

fn money_headers(report: &FollowUpReport, words: &Labels, outcome: bool) -> String {
    let unit = report.unit;
    let mut cells = format!("<th class=\"n\">{} ({unit})</th>", capital(words.budget));
    if outcome {
        let _ = write!(
            cells,
            "<th class=\"n\">{} ({unit})</th><th class=\"n\">{} ({unit})</th><th class=\"n\">{}</th>",
            capital(words.outcome),
            capital(words.remaining),
            capital(words.share_used)
        );
    }
    cells
}

fn allocation_section(report: &RegionReport, lang: Lang, out: &mut String) {
    let follow = &report.follow_up;
    let unit = follow.unit;
    let _ = writeln!(out, "<h2>{}</h2>", lang.pick("Överenskommelse och tilldelning", "Agreement and allocation"));
    let _ = write!(out, "<p>{} <b>{}</b>", lang.pick("Överenskommelse:", "Agreement:"), isolated(&report.agreement));
    if let Some(reference) = &report.reference {
        let _ = write!(out, " ({})", isolated(reference));
    }
    let _ = writeln!(out, ".</p>");
    let population = &report.population;
    let _ = write!(
        out,
        "<p>{} {} ({}).",
        lang.pick("Fördelat efter befolkningen den", "Divided by the population on"),
        population.date,
        isolated(&population.source)
    );
    if let Some(reason) = &population.substitution {
        let _ = write!(
            out,
            " {} {}: {}.",
            lang.pick("I stället för överenskommelsens datum", "Instead of the agreement's date"),
            report.agreement_population_date,
            isolated(reason)
        );
    }
    let _ = writeln!(out, "</p>");
    let _ = writeln!(
        out,
        "<table class=\"allocation\"><thead><tr><th>{}</th><th class=\"n\">{} ({unit})</th><th class=\"n\">{} ({unit})</th></tr></thead><tbody>",
        lang.pick("Utvecklingsområde", "Development area"),
        lang.pick("Tilldelning", "Allocation"),
        lang.pick("Plan", "Plan"),
    );
    for area in &report.allocation {
        let planned = follow.areas.iter().find(|line| line.id == area.id).map(|line| line.figures.budget);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            isolated(&area.name),
            decimal(area.allocation),
            planned.map_or(String::new(), |money| follow.show(money, STYLE))
        );
    }
    let _ = writeln!(
        out,
        "<tr class=\"sum\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr></tbody></table>",
        labels(lang).total,
        decimal(report.allocation_total),
        follow.show(follow.total.budget, STYLE)
    );
}

fn areas_section(report: &RegionReport, lang: Lang, out: &mut String) {
    let follow = &report.follow_up;
    let words = labels(lang);
    let outcome = report.outcome_given;
    let _ = writeln!(
        out,
        "<h2>{}</h2>",
        lang.pick("Plan och utfall per utvecklingsområde", "Plan and outcome per development area")
    );
    for area in &follow.areas {
        let _ = writeln!(out, "<h3>{} <span class=\"meta\">({})</span></h3>", isolated(&area.name), isolated(&area.id));
        // The allocation as the table's caption, so that heading, caption and the first rows
        // stay on one page.
        let caption = report.allocation_of(&area.id).map_or(String::new(), |allocation| {
            format!(
                "<caption>{} {} {}.</caption>",
                lang.pick("Tilldelning", "Allocation"),
                decimal(allocation),
                follow.unit
            )
        });
        let _ = writeln!(
            out,
            "<table>{caption}<thead><tr><th>{}</th>{}<th>{}</th></tr></thead><tbody>",
            lang.pick("Insats", "Intervention"),
            money_headers(follow, &words, outcome),
            lang.pick("Kommentar och beslut", "Comment and decision"),
        );
        for line in &area.interventions {
            let mut notes: Vec<String> =
                line.plan_comment.iter().chain(&line.comments).map(|text| isolated(text)).collect();
            if !line.decisions.is_empty() {
                let decisions: Vec<String> = line.decisions.iter().map(|text| isolated(text)).collect();
                notes.push(format!("{}: {}", lang.pick("Beslut", "Decision"), decisions.join(", ")));
            }
            let _ = writeln!(
                out,
                "<tr><td class=\"name\">{}</td>{}<td class=\"note\">{}</td></tr>",
                isolated(&line.name),
                money_cells(follow, &line.figures, outcome),
                notes.join("<br>")
            );
        }
        let _ = writeln!(
            out,
            "<tr class=\"sum\"><td>{}</td>{}<td></td></tr></tbody></table>",
            words.area_total,
            money_cells(follow, &area.figures, outcome)
        );
    }
}

fn summary_section(report: &RegionReport, lang: Lang, out: &mut String) {
    let follow = &report.follow_up;
    let words = labels(lang);
    let outcome = report.outcome_given;
    let _ = writeln!(out, "<h2>{}</h2>", lang.pick("Sammanställning", "Summary"));
    let _ = writeln!(
        out,
        "<table class=\"summary\"><thead><tr><th>{}</th>{}</tr></thead><tbody>",
        lang.pick("Utvecklingsområde", "Development area"),
        money_headers(follow, &words, outcome)
    );
    for area in &follow.areas {
        let _ =
            writeln!(out, "<tr><td>{}</td>{}</tr>", isolated(&area.name), money_cells(follow, &area.figures, outcome));
    }
    let _ = writeln!(
        out,
        "<tr class=\"sum\"><td>{}</td>{}</tr></tbody></table>",
        words.total,
        money_cells(follow, &follow.total, outcome)
    );
}

/// The rows of `group` under the heading `title` (HTML: its input texts already isolated).
fn listed(follow: &FollowUpReport, title: &str, group: &RowGroup, words: &Labels, lang: Lang, out: &mut String) {
    if group.rows.is_empty() {
        return;
    }
    let unit = follow.unit;
    let _ = writeln!(out, "<h3>{title}</h3>");
    let _ = writeln!(
        out,
        "<table><thead><tr><th class=\"n\">{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"n\">{} ({unit})</th></tr></thead><tbody>",
        capital(words.outcome_line(follow)),
        capital(words.intervention),
        capital(words.date),
        capital(words.object),
        capital(words.amount)
    );
    // A printed report lists the first rows of a group and counts the rest, as the table does.
    for row in group.rows.iter().take(LISTED_ROWS) {
        let _ = writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            row.line,
            isolated(&row.intervention),
            row.date.map_or(String::new(), |date| date.to_string()),
            isolated(row.object.as_deref().unwrap_or("")),
            follow.show(row.amount, STYLE)
        );
    }
    if let Some(more) = group.rows.len().checked_sub(LISTED_ROWS).filter(|more| *more > 0) {
        let rows = group.rows.len();
        let words = match lang {
            Lang::Sv => format!("… och {more} rader till ({rows} i allt): alla listas i arbetsboken (-o rapport.xlsx)"),
            Lang::En => {
                format!("… and {more} more row(s) ({rows} in all): the workbook lists them all (-o report.xlsx)")
            }
        };
        let _ = writeln!(out, "<tr><td></td><td colspan=\"4\">{words}</td></tr>");
    }
    let _ = writeln!(
        out,
        "<tr class=\"sum\"><td></td><td>{}</td><td></td><td></td><td class=\"n\">{}</td></tr></tbody></table>",
        words.total,
        follow.show(group.sum, STYLE)
    );
}

fn rows_section(report: &RegionReport, lang: Lang, out: &mut String) {
    let follow = &report.follow_up;
    let groups = [&follow.other_object, &follow.after_period, &follow.before_period, &follow.unmatched];
    if groups.iter().all(|group| group.rows.is_empty()) {
        return;
    }
    let words = labels(lang);
    let _ = writeln!(out, "<h2>{}</h2>", lang.pick("Rader som inte räknats", "Rows not counted"));
    if let Some(object) = &follow.object {
        let title = format!(
            "{} {}",
            lang.pick("Bokförda på annat objekt än", "Booked on another object than"),
            isolated(object)
        );
        listed(follow, &title, &follow.other_object, &words, lang, out);
    }
    if let Some(until) = follow.until {
        let title = format!("{} {until}", lang.pick("Daterade efter", "Dated after"));
        listed(follow, &title, &follow.after_period, &words, lang, out);
    }
    if let Some(from) = follow.from {
        let title = format!("{} {from}", lang.pick("Daterade före", "Dated before"));
        listed(follow, &title, &follow.before_period, &words, lang, out);
    }
    let title = lang.pick("Utan motsvarande insats i planen", "Matching no intervention of the plan");
    listed(follow, title, &follow.unmatched, &words, lang, out);
}

fn findings_section(report: &RegionReport, lang: Lang, out: &mut String) {
    let follow = &report.follow_up;
    let _ = writeln!(out, "<h2>{}</h2>", lang.pick("Fynd", "Findings"));
    if follow.findings.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", lang.pick("Inga fynd.", "No findings."));
    } else {
        let _ = writeln!(out, "<ul class=\"findings\">");
        for finding in &follow.findings {
            let class = finding.severity.id();
            let where_ = place(finding, follow, lang).map_or(String::new(), |place| format!(" ({place})"));
            let _ = writeln!(
                out,
                "<li class=\"{class}\">{} <code>{}</code>{where_}: {}</li>",
                finding.severity.word(lang),
                finding.kind.id(),
                isolated_quotes(&message(finding, follow, lang))
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "<p>{}</p>", isolated_quotes(&result_line(follow, lang)));
    plan_check(report, lang, out);
}

/// What `check` says of the plan against the allocation, in the report's language.
fn plan_check(report: &RegionReport, lang: Lang, out: &mut String) {
    let _ = writeln!(out, "<h3>{}</h3>", lang.pick("Planen mot tilldelningen", "The plan against the allocation"));
    if report.plan_findings.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            lang.pick(
                "Planen summerar rätt och stämmer med tilldelningen (fordela check: inga fynd).",
                "The plan adds up and matches the allocation (fordela check: no findings)."
            )
        );
        return;
    }
    let _ = writeln!(out, "<ul class=\"findings\">");
    for finding in &report.plan_findings {
        // The class is the stable English label the style sheet selects; the word is the report's.
        let class = finding.severity.id();
        let _ = writeln!(
            out,
            "<li class=\"{class}\">{} <code>{}</code>: {}</li>",
            finding.severity.word(lang),
            finding.kind.id(),
            isolated_quotes(&report.plan_lines.reword(&crate::commands::check::report::message(
                finding,
                report.follow_up.unit,
                lang
            )))
        );
    }
    let _ = writeln!(out, "</ul>");
}

pub fn write(report: &RegionReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let follow = &report.follow_up;
    let mut html = String::with_capacity(1 << 16);
    let title = format!("{} {} – {}", lang.pick("Redovisning", "Report"), report.agreement, report.region_name);
    let _ = writeln!(html, "<!DOCTYPE html>");
    let _ = writeln!(html, "<html lang=\"{}\">", lang.pick("sv", "en"));
    let _ =
        writeln!(html, "<head><meta charset=\"utf-8\"><title>{}</title><style>\n{CSS}</style></head>", escape(&title));
    let _ = writeln!(html, "<body>");
    let _ = writeln!(
        html,
        "<h1>{} {} – {}</h1>",
        lang.pick("Redovisning", "Report"),
        isolated(&report.agreement),
        isolated(&report.region_name)
    );
    let _ = writeln!(
        html,
        "<p class=\"sub\">{} {} ({}). {} {}.</p>",
        lang.pick("Redovisning per utvecklingsområde för", "Report per development area for"),
        isolated(&report.region_name),
        isolated(&report.region_code),
        lang.pick("Belopp i", "Amounts in"),
        follow.unit
    );
    let mut scope = vec![format!("{}: {}", lang.pick("Plan", "Plan"), isolated(&follow.plan))];
    if report.outcome_given {
        scope.push(format!("{}: {}", lang.pick("Utfall", "Outcome"), isolated(&follow.outcome)));
        if let Some(object) = &follow.object {
            scope.push(format!("{} {}", lang.pick("objekt", "object"), isolated(object)));
        }
        if let Some(from) = follow.from_named() {
            scope.push(format!("{} {from}", lang.pick("från och med", "from")));
        }
        if let Some(until) = follow.until {
            scope.push(format!("{} {until}", lang.pick("till och med", "up to")));
        }
    } else {
        scope.push(lang.pick("inget utfall angivet", "no outcome given").to_string());
    }
    let _ = writeln!(html, "<p class=\"meta\">{}.</p>", scope.join("; "));
    allocation_section(report, lang, &mut html);
    areas_section(report, lang, &mut html);
    summary_section(report, lang, &mut html);
    rows_section(report, lang, &mut html);
    findings_section(report, lang, &mut html);
    let _ = writeln!(
        html,
        "<p class=\"meta\">{} fordela {}.</p>",
        lang.pick("Framtagen med", "Made with"),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(html, "</body>\n</html>");
    out.write_all(html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::{escape, isolated, isolated_quotes};

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            escape("<script>alert('x & \"y\"')</script>"),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("Zamsynsdagar 22–23 oktober"), "Zamsynsdagar 22–23 oktober");
    }

    #[test]
    fn input_texts_are_isolated_and_bidi_controls_shown() {
        assert_eq!(escape("a\u{202e}612"), "a[U+202E]612");
        assert_eq!(isolated("<b>"), "<bdi>&lt;b&gt;</bdi>");
        assert_eq!(
            isolated_quotes("intervention `Zam<syn` is over, `x` and ` open"),
            "intervention `<bdi>Zam&lt;syn</bdi>` is over, `<bdi>x</bdi>` and ` open"
        );
    }
}
