//! The pages, through maud: every spliced text is escaped, and every text that came from an
//! input (names, areas, messages, paths) is isolated for direction in `<bdi>`.

use crate::commands::allocate::table;
use crate::commands::allocate::view::{AllocationView, RowKind};
use crate::commands::check::compute::{AreaRef, CheckReport};
use crate::commands::check::report;
use crate::commands::missing::MissingFlags;
use crate::commands::web::folder::{Entry, Kind};
use crate::commands::web::results::{AgreementChoice, Download, PlanChoices, lang_id};
use crate::core::amount::Unit;
use crate::core::findings::{Severity, Verdict, worst};
use crate::lang::Lang;
use crate::output::chart::{self, Bar};
use maud::{DOCTYPE, Markup, html};
use std::fmt::Write;

/// Text from an input, escaped and isolated, each bidi control in it shown as its code point
/// (`[U+202E]`): the rule of the charts and the HTML report (`chart::visible`), as a control
/// shown as itself would reorder what follows it.
pub fn bdi(text: &str) -> Markup {
    html! { bdi { (chart::visible(text)) } }
}

/// What a renderer writes as lines, as paragraphs.
pub fn lines(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> Markup {
    let mut out = Vec::new();
    let _ = write(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    html! { @for line in text.lines().filter(|line| !line.trim().is_empty()) { p { (bdi(line)) } } }
}

pub fn layout(title: &str, folder: &str, lang: Lang, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang_id(lang)) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (chart::visible(title)) " – fordela" }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                header.top {
                    a href="/" { "fordela" }
                    span.folder { (lang.pick("Mapp: ", "Folder: ")) (bdi(folder)) }
                }
                main { (body) }
                script src="/static/drop.js" {}
            }
        }
    }
}

/// A problem that stopped a result: the command line's own words.
pub fn problem(lang: Lang, message: &str) -> Markup {
    html! {
        section {
            h2 { (lang.pick("Kunde inte beräknas", "Could not be computed")) }
            p.problem id="problem" { (bdi(message)) }
        }
    }
}

/// What a page asks when the only thing missing is a flag its form gives (a CSV plan's region
/// and unit, a table's unit): not a failure but a question, the form first, nothing guessed.
/// `about` names the page's file (or the page), `why` says why it is asked.
pub fn question(lang: Lang, missing: &MissingFlags, about: &str, why: &str, form: &Markup) -> Markup {
    html! {
        section id="question" {
            h1 { (lang.pick("Välj ", "Choose the ")) (flag_words(lang, missing)) }
            p.muted { (bdi(about)) }
            p id="why" { (why) }
            (form)
        }
    }
}

/// The missing flags as a person names them: `region och enhet`.
pub fn flag_words(lang: Lang, missing: &MissingFlags) -> String {
    // In the order of the forms' fields: the region before the unit.
    let mut flags = missing.flags.clone();
    flags.sort_by_key(|flag| *flag != "--region");
    let words: Vec<&str> = flags
        .iter()
        .map(|flag| match *flag {
            "--region" => lang.pick("region", "region"),
            "--unit" => lang.pick("enhet", "unit"),
            "--plan-unit" => lang.pick("planens enhet", "plan's unit"),
            "--year" => lang.pick("år", "year"),
            "--round" => lang.pick("steg", "step"),
            "plan" => lang.pick("plan", "plan"),
            "versions" => lang.pick("versioner", "versions"),
            other => other,
        })
        .collect();
    words.join(lang.pick(" och ", " and "))
}

fn downloads(lang: Lang, href: &dyn Fn(Download) -> String, command: &str, uploaded: Option<&str>) -> Markup {
    downloads_of(lang, &Download::ALL, href, command, uploaded)
}

/// The files a result is offered as, and the command line that writes the first. For an
/// upload (`uploaded` is its name) the command names the uploaded file, which is not the
/// folder's file of that name, if it has one: the line says so.
pub fn downloads_of(
    lang: Lang,
    list: &[Download],
    href: &dyn Fn(Download) -> String,
    command: &str,
    uploaded: Option<&str>,
) -> Markup {
    html! {
        div.downloads {
            span.muted { (lang.pick("Ladda ner: ", "Download: ")) }
            @for download in list.iter().copied() {
                a href=(href(download)) download id={ "download-" (download.id()) } { (download.word(lang)) }
            }
        }
        @match uploaded {
            Some(name) => p.cli id="uploaded-command" {
                (lang.pick("Den uppladdade filen lästes, inte en fil i mappen. Samma fil som, med den uppladdade filen sparad som ",
                    "The uploaded file was read, not a file of the folder. The same file as, with the upload saved as "))
                code { (bdi(name)) } ": " code { (bdi(command)) }
            },
            None => p.cli { (lang.pick("Samma fil som: ", "The same file as: ")) code { (bdi(command)) } },
        }
    }
}

/// The agreement's split: the table the command line prints, a bar per region, the notes.
pub fn allocation(
    view: &AllocationView<'_>,
    unit: Unit,
    lang: Lang,
    href: &dyn Fn(Download) -> String,
    explain: &dyn Fn(&str) -> String,
    command: &str,
) -> Markup {
    let agreement = view.agreement();
    let (header, body) = table::cells(view, unit, lang);
    let first_amount = if view.grouped_by_county() { 3 } else { 2 };
    let mut bars = Vec::new();
    for (index, cells) in body.iter().enumerate() {
        let row = view.row(index);
        if let RowKind::Region { name, .. } = row.kind {
            let shown = format!("{} {unit}", cells.last().map_or("", String::as_str));
            bars.push(Bar { label: name.to_string(), value: row.amounts.total(), shown });
        }
    }
    let title = lang.pick("Belopp per region", "Amount per region");
    html! {
        section id="allocation" {
            h1 { (bdi(&agreement.name)) }
            p.muted { (bdi(&agreement.source)) }
            (downloads(lang, href, command, None))
            h2 { (title) }
            (chart::bars(title, &bars))
            table id="split" {
                thead { tr { @for (i, cell) in header.iter().enumerate() {
                    th class=[(i >= first_amount).then_some("num")] { (bdi(cell)) }
                } } }
                tbody { @for (index, cells) in body.iter().enumerate() {
                    @let kind = view.row(index).kind;
                    @let total = matches!(kind, RowKind::Total { .. });
                    // A region's name links to its explanation: the region picker.
                    @let region = match kind { RowKind::Region { code, name, .. } => Some((code, name)), _ => None };
                    tr class=[total.then_some("total")] { @for (i, cell) in cells.iter().enumerate() {
                        td class=[(i >= first_amount).then_some("num")] {
                            @match region {
                                Some((code, name)) if name == cell.as_str() && i < first_amount => {
                                    a.region href=(explain(code)) { (bdi(cell)) }
                                }
                                _ => { (bdi(cell)) }
                            }
                        }
                    } }
                } }
            }
            div.notes { (lines(|out| table::notes(view, unit, lang, out))) }
        }
    }
}

/// The agreements to choose from, the current one marked.
pub fn agreement_list(lang: Lang, choices: &[AgreementChoice], current: Option<&AgreementChoice>) -> Markup {
    html! {
        section.noprint {
            h2 { (lang.pick("Överenskommelse", "Agreement")) }
            ul.choices { @for choice in choices {
                @let word = match choice {
                    AgreementChoice::File(_) => lang.pick("i mappen", "in the folder"),
                    AgreementChoice::Bundled(_) => lang.pick("inbyggd", "bundled"),
                };
                li { a class=[(current == Some(choice)).then_some("current")] href={ "/?agreement=" (encode(choice.id())) } {
                    (bdi(choice.id())) } " (" (word) ")" }
            } }
        }
    }
}

/// The folder's files, each a link to its page, and what each holds.
pub fn files(lang: Lang, entries: &[Entry]) -> Markup {
    html! {
        section id="files" {
            h2 { (lang.pick("Filer i mappen", "Files in the folder")) }
            @if entries.is_empty() {
                p.muted { (lang.pick("Mappen har inga filer som fordela läser.", "The folder has no files fordela reads.")) }
            } @else {
                table { tbody { @for entry in entries {
                    tr { td { a href={ "/file/" (encode_path(&entry.name)) } { (bdi(&entry.name)) } } td { (entry.kind.word(lang)) } }
                } } }
            }
        }
    }
}

/// The form a plan is dropped on (or chosen with), checked in memory.
pub fn upload(lang: Lang, token: &str) -> Markup {
    html! {
        section.noprint id="upload" {
            h2 { (lang.pick("Släpp en fil", "Drop a file")) }
            form.drop method="post" action="/upload" enctype="multipart/form-data" {
                input type="hidden" name="token" value=(token);
                p { (lang.pick(
                    "Släpp en plan, ett utfall, beslut om utbetalning eller en publicerad tabell här (arbetsbok eller CSV), eller välj filen. Den läses i minnet och sparas aldrig i mappen.",
                    "Drop a plan, an outcome, payout decisions or a published table here (workbook or CSV), or choose the file. It is read in memory and never saved into the folder."
                )) }
                div.choose {
                    input type="file" name="plan" id="plan-file" required accept=".xlsx,.ods,.xls,.csv,.txt,.toml";
                    (region_unit_fields(lang, &PlanChoices::default()))
                    button type="submit" id="upload-submit" { (lang.pick("Läs filen", "Read the file")) }
                }
            }
        }
    }
}

fn region_unit_fields(lang: Lang, choices: &PlanChoices) -> Markup {
    let region = choices.region.as_deref().unwrap_or("");
    let unit = choices.unit.as_deref().unwrap_or("");
    html! {
        label { (lang.pick("Region (om planen inte säger den)", "Region (if the plan does not say)"))
            select name="region" id="region" {
                option value="" selected[region.is_empty()] { "–" }
                @for county in crate::core::region::counties() {
                    option value=(county.code) selected[region == county.code] { (county.code) " " (county.region) }
                }
            }
        }
        label { (lang.pick("Enhet (om planen inte säger den)", "Unit (if the plan does not say)"))
            select name="unit" id="unit" {
                option value="" selected[unit.is_empty()] { "–" }
                @for choice in ["kr", "tkr", "mkr"] { option value=(choice) selected[unit == choice] { (choice) } }
            }
        }
    }
}

/// The GET form that checks the plan again with other choices; `asking` for the region and
/// unit the plan does not say, those first.
pub fn plan_choices(lang: Lang, agreements: &[AgreementChoice], choices: &PlanChoices, asking: bool) -> Markup {
    let current = choices.agreement.as_ref().map_or("", AgreementChoice::id);
    html! {
        form.choose method="get" {
            @if asking { (region_unit_fields(lang, choices)) }
            label { (lang.pick("Överenskommelse", "Agreement"))
                select name="agreement" {
                    option value="" selected[current.is_empty()] { (lang.pick("inbyggd standard", "bundled default")) }
                    @for choice in agreements { option value=(choice.id()) selected[current == choice.id()] { (choice.id()) } }
                }
            }
            @if !asking { (region_unit_fields(lang, choices)) }
            button type="submit" {
                (if asking { lang.pick("Kontrollera", "Check") } else { lang.pick("Kontrollera igen", "Check again") })
            }
        }
    }
}

pub fn severity_class(severity: Option<Severity>) -> &'static str {
    match severity {
        None | Some(Severity::Note) => "ok",
        Some(Severity::Warning) => "warning",
        Some(Severity::Error) => "error",
    }
}

/// A plan's check: the verdict, the table the command line prints with each finding under the
/// row it is about, the notes.
pub fn check(
    report: &CheckReport,
    lang: Lang,
    href: &dyn Fn(Download) -> String,
    command: &str,
    uploaded: Option<&str>,
) -> Markup {
    let worst = worst(report.findings.iter().map(|finding| finding.severity));
    let rows = report::rows(report, lang);
    let shown_areas: Vec<&AreaRef> = rows.iter().map(|(line, _)| &line.area).collect();
    let elsewhere: Vec<_> = report.findings.iter().filter(|finding| !shown_areas.contains(&&finding.area)).collect();
    html! {
        section id="check" {
            h1 { (lang.pick("Kontroll av plan ", "Check of plan ")) (bdi(&report.plan)) }
            div.heading { (lines(|out| report::heading(report, lang, out))) }
            p {
                span class={ "verdict " (severity_class(worst)) } id="verdict" { (Verdict(worst).word(lang)) }
                " " span id="result" { (lines(|out| report::result_line(report, lang, out))) }
            }
            (downloads(lang, href, command, uploaded))
            table id="figures" {
                thead { tr { @for (i, header) in report::headers(lang).iter().enumerate() {
                    th class=[(1..6).contains(&i).then_some("num")] { (header) }
                } } }
                tbody { @for (line, cells) in &rows {
                    @let total = line.area == AreaRef::Total;
                    tr class=[total.then_some("total")] data-area=(report::area_label(&line.area, Lang::En)) {
                        @for (i, cell) in cells.iter().enumerate() {
                            @if i == 6 {
                                td class={ "v-" (severity_class(line.verdict.0)) } { (cell) }
                            } @else {
                                td class=[(1..6).contains(&i).then_some("num")] { (bdi(cell)) }
                            }
                        }
                    }
                    @for finding in report.findings_for(&line.area) {
                        tr class={ "finding " (severity_class(Some(finding.severity))) } {
                            td colspan="7" {
                                (finding.severity.word(lang)) " · " code { (finding.kind.id()) } (report::place(report, finding, lang)) ": "
                                (bdi(&report::finding_message(report, finding, lang)))
                            }
                        }
                    }
                } }
            }
            @for finding in elsewhere {
                p class={ "finding " (severity_class(Some(finding.severity))) } {
                    (finding.severity.word(lang)) " · " (bdi(&report::finding_message(report, finding, lang)))
                }
            }
            div.notes { (lines(|out| report::below_table(report, lang, out))) }
        }
    }
}

/// The form that compares a plan with another version of it in the folder (`diff`).
pub fn diff_with(lang: Lang, plan: &str, others: &[String]) -> Markup {
    html! {
        h2 { (lang.pick("Jämför med en annan version", "Compare with another version")) }
        form.choose method="get" action="/diff" {
            input type="hidden" name="old" value=(plan);
            label { (lang.pick("Ny version", "New version"))
                select name="new" id="diff-new" { @for other in others { option value=(other) { (other) } } }
            }
            button type="submit" id="diff-submit" { (lang.pick("Jämför (diff)", "Compare (diff)")) }
        }
    }
}

/// A file with no page of its own yet: what it is, and the command that reads it.
pub fn other(lang: Lang, name: &str, kind: Kind, command: Option<String>, decisions: &[String]) -> Markup {
    html! {
        section {
            h1 { (bdi(name)) }
            p { (lang.pick("Innehåll: ", "Holds: ")) (kind.word(lang)) }
            @if kind == Kind::Requests {
                // Requests are read beside the decisions they draw on.
                p { (lang.pick("Rekvisitioner läses mot besluten (payouts --requests):", "Requests are read against the decisions (payouts --requests):")) }
                ul.choices { @for decision in decisions {
                    li { a href={ "/file/" (encode_path(decision)) "?requests=" (encode(name)) } { (bdi(decision)) } }
                } }
            } @else if let Some(command) = command {
                p { (lang.pick("Den här sidan visar inte filen; på kommandoraden: ", "This page does not show the file; on the command line: "))
                    code { (bdi(&command)) } }
            }
        }
    }
}

/// A file sent to the page that is not shown on a page of its own: what it holds.
pub fn other_upload(lang: Lang, name: &str, kind: Kind) -> Markup {
    html! {
        section {
            h1 { (bdi(name)) }
            p { (lang.pick("Innehåll: ", "Holds: ")) (kind.word(lang)) }
            p { (lang.pick(
                "En plan, ett utfall, beslut om utbetalning och en publicerad tabell visas här; lägg den här filen i mappen för att läsa den med de andra.",
                "A plan, an outcome, payout decisions and a published table are shown here; put this file in the folder to read it with the others."
            )) }
        }
    }
}

/// A file sent to the page that is none of the kinds fordela reads: refused, with why and
/// with what it reads.
pub fn unrecognised_upload(lang: Lang, name: &str, reason: &str) -> Markup {
    html! {
        section id="unrecognised" {
            h1 { (lang.pick("Känns inte igen: ", "Not recognised: ")) (bdi(name)) }
            p.problem id="problem" { (bdi(reason)) }
            p { (lang.pick("fordela läser, som CSV, arbetsbok (.xlsx, .ods, .xls) eller TOML:", "fordela reads, as CSV, a workbook (.xlsx, .ods, .xls) or TOML:")) }
            ul {
                li { (lang.pick("en plan (kolumnerna insats och belopp, eller TOML med region och insatser)", "a plan (columns intervention and amount, or TOML with a region and interventions)")) }
                li { (lang.pick("ett utfall (insats, belopp och datum)", "an outcome (intervention, amount and date)")) }
                li { (lang.pick("beslut om utbetalning (utförare, område, belopp, från, till) och rekvisitioner (med kvartal)", "payout decisions (provider, area, amount, from, to) and requests (with quarter)")) }
                li { (lang.pick("en publicerad tabell (kod eller län, och belopp)", "a published table (code or county, and amounts)")) }
                li { (lang.pick("en överenskommelse (TOML: name och [[areas]]) och befolkning (folkmängd per region)", "an agreement (TOML: name and [[areas]]) and a population (population per region)")) }
            }
            p { a href="/" { (lang.pick("Tillbaka", "Back")) } }
        }
    }
}

pub fn not_found(lang: Lang) -> Markup {
    html! { section { h1 { (lang.pick("Finns inte", "Not found")) } p { a href="/" { (lang.pick("Till början", "To the start")) } } } }
}

/// `text` as a URL's query value.
#[must_use]
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A `/`-separated path as a URL's path, each part encoded.
#[must_use]
pub fn encode_path(path: &str) -> String {
    path.split('/').map(encode).collect::<Vec<_>>().join("/")
}
