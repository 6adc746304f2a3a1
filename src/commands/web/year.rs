//! The grant year's pages: an outcome followed up against a plan, payouts per quarter, a
//! published table audited, two versions of a plan compared, a region explained and its
//! targets. Each is its command run from the words a form gives: the command's own flags,
//! job, computation and renderers, on the page or as the file the command line writes.

use crate::commands::allocate::Shown;
use crate::commands::allocate::job::{AllocateArgs, AllocateJob};
use crate::commands::allocate::provenance;
use crate::commands::allocate::targets;
use crate::commands::allocate::view::RegionTargets;
use crate::commands::audit::Audited;
use crate::commands::audit::job::{AuditArgs, AuditJob};
use crate::commands::audit::report as audit_report;
use crate::commands::diff::compute::DiffReport;
use crate::commands::diff::job::{DiffArgs, DiffJob};
use crate::commands::diff::report::{self as diff_report, Grid};
use crate::commands::explain::job::{ExplainArgs, ExplainJob};
use crate::commands::follow_up::compute::{AreaLine, Figures, FollowUpReport};
use crate::commands::follow_up::job::{FollowUpArgs, FollowUpJob};
use crate::commands::follow_up::table::LISTED_ROWS;
use crate::commands::follow_up::words::{
    commented, comments_title, labels, message, more_rows, not_counted, place, result_line, share,
};
use crate::commands::missing::MissingFlags;
use crate::commands::payouts::job::{PayoutsArgs, PayoutsJob};
use crate::commands::payouts::report as payouts_report;
use crate::commands::payouts::schedule::Schedule;
use crate::commands::report::html::{capital, chart_pair};
use crate::commands::report::job::{ReportArgs, ReportJob};
use crate::commands::sources::compute;
use crate::commands::web::folder::{Entry, Kind};
use crate::commands::web::pages::{self, bdi, encode, severity_class};
use crate::commands::web::results::{
    AgreementChoice, Download, agreement_choices, agreement_word, as_given, chosen_agreement, parse, shown, stem,
};
use crate::core::amount::{NumberStyle, Scaled};
use crate::core::findings::Verdict;
use crate::lang::Lang;
use crate::output::chart::{self, Legend, Pair};
use crate::output::deliver::{Provenance, Render, rendered};
use crate::output::format::Format;
use crate::output::grid::Block;
use anyhow::{Context, anyhow};
use maud::{Markup, html};
use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt::Write;
use std::path::Path;

/// A page's result: shown, or the file a download asked for.
pub enum Made {
    Page(Markup),
    File(Vec<u8>),
}

/// `result` on the page (`page` draws it), or rendered as the command line renders it.
fn made<R: Render>(
    result: &R,
    format: Format,
    lang: Lang,
    made_from: Provenance<'_>,
    download: Option<Download>,
    page: impl FnOnce(&R) -> Markup,
) -> anyhow::Result<Made> {
    match download {
        Some(_) => Ok(Made::File(rendered(result, format, lang, made_from)?)),
        None => Ok(Made::Page(page(result))),
    }
}

/// A result as the command line prints it (its text report). Explain's page only: its report
/// is prose whose indentation carries the derivation; every other page draws its result.
fn printed<R: Render>(result: &R, lang: Lang) -> Markup {
    let mut out = Vec::new();
    let _ = result.write(Format::Table, lang, &mut out);
    html! { pre.result id="result" { (bdi(&String::from_utf8_lossy(&out))) } }
}

/// What a page of the folder's files is asked: the query's values, blanks left out.
pub struct Asked<'a> {
    params: &'a HashMap<String, String>,
}

impl<'a> Asked<'a> {
    #[must_use]
    pub fn new(params: &'a HashMap<String, String>) -> Asked<'a> {
        Asked { params }
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        self.params.get(key).map(|value| value.trim()).filter(|value| !value.is_empty())
    }

    /// `--flag=VALUE` for each key given, as one word each: a value is never read as a flag.
    fn flags(&self, words: &mut Vec<OsString>, pairs: &[(&str, &str)]) {
        for (key, flag) in pairs {
            if let Some(value) = self.get(key) {
                words.push(format!("{flag}={value}").into());
            }
        }
    }

    /// The query again, for a download's address: the keys of `keys` that were given.
    fn query(&self, keys: &[&str]) -> String {
        let mut query = String::new();
        for key in keys {
            if let Some(value) = self.get(key) {
                let _ = write!(query, "&{key}={}", encode(value));
            }
        }
        query
    }
}

/// The folder a page reads: as given, and as it is on disk.
pub struct Folder<'a> {
    pub dir: &'a Path,
    pub root: &'a Path,
    pub entries: Vec<Entry>,
}

impl Folder<'_> {
    fn of_kind(&self, kind: Kind) -> Vec<&str> {
        self.entries.iter().filter(|entry| entry.kind == kind).map(|entry| entry.name.as_str()).collect()
    }

    /// A file of `kind` the page asked for by name, among the folder's only.
    fn chosen(&self, kind: Kind, asked: Option<&str>, what: &str) -> anyhow::Result<Option<String>> {
        match asked {
            None => Ok(None),
            Some(name) if self.of_kind(kind).contains(&name) => Ok(Some(name.to_string())),
            Some(name) => Err(anyhow!("no {what} `{name}` in the folder: choose one of the list")),
        }
    }

    fn given(&self, name: &str) -> OsString {
        as_given(self.dir, name).into_os_string()
    }

    /// `--agreement=…` for the agreement asked for (none: the command's default).
    fn agreement(&self, asked: &Asked<'_>, flag: bool) -> anyhow::Result<Option<OsString>> {
        let choices = agreement_choices(&self.entries);
        let Some(choice) = chosen_agreement(&choices, asked.get("agreement"), None)? else { return Ok(None) };
        let word = agreement_word(self.dir, self.root, &choice)?;
        if !flag {
            return Ok(Some(word));
        }
        let mut flag = OsString::from("--agreement=");
        flag.push(word);
        Ok(Some(flag))
    }
}

/// A page's spec, its result, and the words of the command line that writes its first download.
pub type Answer = (Spec, anyhow::Result<Made>, anyhow::Result<Vec<OsString>>);

/// One page: the command it runs, the words it runs it with, what it offers for download.
pub struct Spec {
    pub title: String,
    pub command: &'static str,
    pub stem: String,
    pub downloads: &'static [Download],
    /// The page's own address, downloads at `/download` before it.
    pub path: String,
    pub query: String,
    pub form: Markup,
    /// Why the page asks for a missing flag, where the command's own reason is not enough.
    pub why: Option<String>,
    /// The name an upload was sent with, when the page reads one rather than a folder's file.
    pub uploaded: Option<String>,
}

impl Spec {
    fn href(&self, download: Download) -> String {
        format!("/download{}?as={}{}", self.path, download.id(), self.query)
    }
}

/// A page's body: its heading, the result (or what stopped it, in the command line's own
/// words), the downloads and the command line, the form. The status says which.
pub fn body(
    spec: &Spec,
    lang: Lang,
    result: anyhow::Result<Markup>,
    words: anyhow::Result<Vec<OsString>>,
) -> (bool, Markup) {
    let first = spec.downloads.first().copied().unwrap_or(Download::Xlsx);
    let command = words.map(|words| shown(command_of(spec.command, first), &words, lang));
    if let Err(err) = &result
        && let Some(missing) = MissingFlags::of(err)
    {
        let why = spec.why.clone().unwrap_or_else(|| why(spec.command, lang, missing));
        return (true, pages::question(lang, missing, &spec.title, &why, &spec.form));
    }
    let ok = result.is_ok();
    let markup = html! {
        section id=(spec.command) {
            h1 { (bdi(&spec.title)) }
            @match (result, command) {
                (Ok(result), Ok(command)) => {
                    (pages::downloads_of(lang, spec.downloads, &|download| spec.href(download), &command, spec.uploaded.as_deref()))
                    (result)
                }
                (Err(err), _) | (_, Err(err)) => { (pages::problem(lang, &format!("{err:#}"))) }
            }
        }
        section.noprint { (spec.form) }
    };
    (ok, markup)
}

/// Why a page asks for `missing`: what its file does not say.
fn why(command: &str, lang: Lang, missing: &MissingFlags) -> String {
    let words = pages::flag_words(lang, missing);
    // A choice the page's link or form makes, not a flag a file leaves out.
    match missing.flags.as_slice() {
        ["plan"] => {
            return lang
                .pick(
                    "Mappen har flera planer, och ingen har utfallets namn: välj den som utfallet följer upp.",
                    "The folder holds several plans, none named as the outcome: choose the one it follows up.",
                )
                .to_string();
        }
        ["versions"] => {
            return lang
                .pick(
                    "Välj den gamla och den nya versionen av planen.",
                    "Choose the old and the new version of the plan.",
                )
                .to_string();
        }
        ["--region"] => {
            return lang
                .pick(
                    "Välj en region här, eller klicka på en regions namn på första sidan.",
                    "Choose a region here, or click a region's name on the first page.",
                )
                .to_string();
        }
        _ => {}
    }
    match (command, lang) {
        ("allocate", Lang::Sv) => {
            format!("Målen avrundas till det steg planen anger, t.ex. 0,1 mkr. Välj {words} här; inget gissas.")
        }
        ("allocate", Lang::En) => {
            format!(
                "The targets are rounded to the step the plan states, e.g. 0,1 mkr. Choose the {words} here; nothing is guessed."
            )
        }
        ("audit", Lang::Sv) => {
            format!("Tabellen säger inte sin {words} (i rubriken, t.ex. Belopp (tkr)). Välj här; inget gissas.")
        }
        ("audit", Lang::En) => {
            format!(
                "The table does not say its {words} (in its header, e.g. Amount (tkr)). Choose here; nothing is guessed."
            )
        }
        (_, Lang::Sv) => {
            format!("En plan i CSV eller en arbetsbok säger inte alltid sin enhet. Välj {words} här; inget gissas.")
        }
        (_, Lang::En) => {
            format!(
                "A plan in CSV or a workbook does not always say its unit. Choose the {words} here; nothing is guessed."
            )
        }
    }
}

/// The command a download is made by: follow-up's HTML report is `report`'s.
fn command_of(command: &'static str, download: Download) -> &'static str {
    if command == "follow-up" && download == Download::Html { "report" } else { command }
}

// ---- follow-up: an outcome against a plan ----

const FOLLOW_UP_DOWNLOADS: [Download; 4] = [Download::Xlsx, Download::Excel, Download::Csv, Download::Html];
const FOLLOW_UP_KEYS: [&str; 8] = ["plan", "agreement", "object", "from", "until", "unit", "plan_unit", "region"];

/// The plan an outcome is followed up against: the one asked for, else the folder's plan with
/// the longest name the outcome's begins with (`region-2020.csv` before `region.toml` for
/// `region-2020-utfall.csv`: the longer name is the nearer one; on a tie, TOML first, as it
/// says its unit), else the only one.
fn plan_for(folder: &Folder<'_>, outcome: &str, asked: &Asked<'_>) -> anyhow::Result<Option<String>> {
    if let Some(plan) = folder.chosen(Kind::Plan, asked.get("plan"), "plan")? {
        return Ok(Some(plan));
    }
    let plans = folder.of_kind(Kind::Plan);
    let outcome_stem = stem(outcome);
    // A plan's name is the outcome's up to a separator (`region` for `region-2020-utfall`), never
    // a part of one of its words (`jh-2` is not the plan of `jh-2019-utfall`).
    let begins_with = |plan: &str| {
        let plan = stem(plan);
        !plan.is_empty()
            && outcome_stem.starts_with(&plan)
            && outcome_stem[plan.len()..].chars().next().is_none_or(|next| matches!(next, '-' | '_'))
    };
    let mut named: Vec<&str> = plans.iter().copied().filter(|plan| begins_with(plan)).collect();
    named.sort_by_key(|plan| {
        (std::cmp::Reverse(stem(plan).chars().count()), !plan.to_ascii_lowercase().ends_with(".toml"), *plan)
    });
    Ok(named.first().or(if plans.len() == 1 { plans.first() } else { None }).map(|plan| (*plan).to_string()))
}

fn follow_up_words(
    folder: &Folder<'_>,
    outcome: &OsString,
    plan: &str,
    asked: &Asked<'_>,
    download: Option<Download>,
) -> anyhow::Result<Vec<OsString>> {
    let mut words = Vec::new();
    words.extend(folder.agreement(asked, true)?);
    let report = download == Some(Download::Html);
    let mut flags = vec![("object", "--object"), ("from", "--from"), ("until", "--until"), ("unit", "--unit")];
    flags.push(("plan_unit", "--plan-unit"));
    if report {
        flags.push(("region", "--region"));
    }
    asked.flags(&mut words, &flags);
    if let Some(download) = download {
        words.extend(download.flags(&stem(plan)));
    }
    words.extend(["--".into(), folder.given(plan), outcome.clone()]);
    Ok(words)
}

/// The file a page of the grant year reads: its name on the page, its name on the command line
/// (`given`), the page's own address, and whether it was uploaded rather than the folder's.
pub struct Source<'a> {
    pub name: &'a str,
    pub given: OsString,
    pub path: String,
    pub uploaded: bool,
}

/// The page of an outcome (`follow-up`), payout decisions (`payouts`) or a published table
/// (`audit`), the one place a file's kind chooses its page; `None` for any other kind.
pub fn file_page(
    kind: Kind,
    folder: &Folder<'_>,
    source: &Source<'_>,
    asked: &Asked<'_>,
    lang: Lang,
    download: Option<Download>,
) -> Option<Answer> {
    let mut answer = match kind {
        Kind::Outcome => follow_up(folder, source, asked, lang, download),
        Kind::Decisions => payouts(folder, source, asked, lang, download),
        Kind::Published => audit(folder, source, asked, lang, download),
        _ => return None,
    };
    if source.uploaded {
        answer.0.uploaded = Some(source.name.to_string());
    }
    Some(answer)
}

/// `follow-up` of the outcome `name` (as the page names it; `given`: as the command line does).
fn follow_up(
    folder: &Folder<'_>,
    source: &Source<'_>,
    asked: &Asked<'_>,
    lang: Lang,
    download: Option<Download>,
) -> Answer {
    let (name, given, path) = (source.name, &source.given, source.path.clone());
    let plan = plan_for(folder, name, asked);
    let current = plan.as_ref().ok().cloned().flatten();
    let mut query = asked.query(&FOLLOW_UP_KEYS);
    // The plan the page found is named in its links, so that a download follows up the outcome
    // against the plan shown even if another file that could match appears in between.
    if asked.get("plan").is_none()
        && let Some(plan) = &current
    {
        let _ = write!(query, "&plan={}", encode(plan));
    }
    let spec = Spec {
        uploaded: None,
        why: None,
        title: format!("{}{name}", lang.pick("Uppföljning av utfallet ", "Follow-up of the outcome ")),
        command: "follow-up",
        stem: stem(current.as_deref().unwrap_or(name)),
        downloads: &FOLLOW_UP_DOWNLOADS,
        path,
        query,
        form: follow_up_form(folder, lang, asked, current.as_deref()),
    };
    let result = plan.and_then(|plan| {
        let plan = plan.ok_or_else(|| {
            if folder.of_kind(Kind::Plan).is_empty() {
                anyhow!("the folder holds no plan to follow this outcome up against: put the plan in the folder")
            } else {
                MissingFlags::error(
                    vec!["plan"],
                    "the folder holds several plans: choose the one this outcome follows up (the form below)",
                )
            }
        })?;
        let words = follow_up_words(folder, given, &plan, asked, download)?;
        if download == Some(Download::Html) {
            let job = ReportJob::resolve(&parse::<ReportArgs>("report", &words, lang)?, lang)?;
            let (report, _paths, hashes) = crate::commands::report::made(&job)?;
            return Ok(Made::File(rendered(
                &report,
                job.target.format,
                lang,
                Provenance { paths: Vec::new(), hashes: Box::new(|| hashes) },
            )?));
        }
        let job = FollowUpJob::resolve(&parse::<FollowUpArgs>("follow-up", &words, lang)?, lang)?;
        let (report, _paths, hashes) = crate::commands::follow_up::build(&job.sources, job.target.format)?;
        let made_from = Provenance { paths: Vec::new(), hashes: Box::new(|| hashes) };
        made(&report, job.target.format, lang, made_from, download, |report| follow_up_page(report, lang))
    });
    let words = current.map_or_else(
        || Err(anyhow!("no plan")),
        |plan| follow_up_words(folder, given, &plan, asked, Some(Download::Xlsx)),
    );
    (spec, result, words)
}

const STYLE: NumberStyle = NumberStyle::SWEDISH;

/// The follow-up from its result: the table per area and intervention, a budget-against-outcome
/// chart per area (the report's chart), the comments, the rows not counted, the findings.
fn follow_up_page(report: &FollowUpReport, lang: Lang) -> Markup {
    let words = labels(lang);
    let worst = crate::core::findings::worst(report.findings.iter().map(|finding| finding.severity));
    let figures = |figures: &Figures| -> Markup {
        html! {
            @for money in [figures.budget, figures.outcome, figures.remaining] {
                td.num { (report.show(money, STYLE)) }
            }
            td.num { (share(figures.share, STYLE)) }
        }
    };
    let unit = report.unit;
    let commented = commented(report);
    html! {
        p {
            span class={ "verdict " (severity_class(worst)) } id="verdict" { (Verdict(worst).word(lang)) }
            " " span id="result" { (bdi(&result_line(report, lang))) }
        }
        div.muted { (pages::lines(|out| crate::commands::follow_up::table::heading(report, lang, out))) }
        table id="follow-up" {
            thead { tr {
                th { (words.area) } th { (words.intervention) }
                th.num { (words.budget) } th.num { (words.outcome) } th.num { (words.remaining) } th.num { (words.share_used) }
                th { (words.decision) }
            } }
            tbody {
                @for area in &report.areas {
                    @for line in &area.interventions {
                        tr { td { (bdi(&area.id)) } td { (bdi(&line.name)) } (figures(&line.figures)) td { (bdi(&line.decisions.join(", "))) } }
                    }
                    tr.subtotal { td { (bdi(&area.id)) } td { (words.area_total) } (figures(&area.figures)) td {} }
                }
                tr.total { td { (words.total) } td {} (figures(&report.total)) td {} }
            }
        }
        h2 { (lang.pick("Budget och utfall per område", "Budget and outcome per area")) }
        div.charts {
            @for area in &report.areas {
                figure.chart { figcaption { (bdi(&area.name)) } (area_chart(report, lang, area)) }
            }
        }
        @if !commented.is_empty() {
            h2 { (comments_title(lang)) }
            table id="comments" {
                thead { tr { th { (words.intervention) } th { (words.comment) } } }
                tbody { @for (name, comments) in &commented {
                    tr { td { (bdi(name)) } td { @for (at, comment) in comments.iter().enumerate() {
                        @if at > 0 { br; } (bdi(comment))
                    } } }
                } }
            }
        }
        @for (title, group) in not_counted(report, lang) {
            h2 { (bdi(&title)) }
            table.not-counted {
                thead { tr {
                    th.num { (words.outcome_line(report)) } th { (words.date) } th { (words.object) }
                    th { (words.intervention) } th.num { (words.amount) " (" (unit) ")" }
                } }
                tbody {
                    @for row in group.rows.iter().take(LISTED_ROWS) {
                        tr {
                            td.num { (row.line) }
                            td { @if let Some(date) = row.date { (date.to_string()) } }
                            td { @if let Some(object) = &row.object { (bdi(object)) } }
                            td { (bdi(&row.intervention)) }
                            td.num { (report.show(row.amount, STYLE)) }
                        }
                    }
                    @if let Some(more) = group.rows.len().checked_sub(LISTED_ROWS).filter(|more| *more > 0) {
                        tr { td colspan="5" { (more_rows(lang, more, group.rows.len())) } }
                    }
                    tr.total { td { (words.total) } td {} td {} td {} td.num { (report.show(group.sum, STYLE)) } }
                }
            }
        }
        @if !report.findings.is_empty() {
            h2 { (lang.pick("Fynd", "Findings")) }
            ul.findings { @for finding in &report.findings {
                li class={ "finding " (severity_class(Some(finding.severity))) } {
                    (finding.severity.word(lang)) " · " code { (finding.kind.id()) }
                    @if let Some(area) = &finding.area { " " (bdi(area)) }
                    @if let Some(place) = place(finding, report, lang) { " (" (bdi(&place)) ")" }
                    ": " (bdi(&message(finding, report, lang)))
                }
            } }
        }
    }
}

/// An area's interventions, each its budget against its outcome: the chart the HTML report
/// draws (`output::chart::budget_outcome`), titled by the area.
fn area_chart(report: &FollowUpReport, lang: Lang, area: &AreaLine) -> Markup {
    let words = labels(lang);
    let pairs: Vec<Pair> =
        area.interventions.iter().map(|line| chart_pair(report, &line.name, &line.figures)).collect();
    let (budget, outcome) = (capital(words.budget), capital(words.outcome));
    chart::budget_outcome(&Legend { title: &area.name, budget: &budget, outcome: &outcome }, &pairs)
}

fn follow_up_form(folder: &Folder<'_>, lang: Lang, asked: &Asked<'_>, plan: Option<&str>) -> Markup {
    html! {
        form.choose method="get" {
            (select(lang.pick("Plan", "Plan"), "plan", &folder.of_kind(Kind::Plan), plan, true))
            (agreement_select(folder, lang, asked))
            (text_field(lang, lang.pick("Objekt (--object)", "Object (--object)"), "object", asked, "9916"))
            (text_field(lang, lang.pick("Från (--from)", "From (--from)"), "from", asked, "2019-01-01"))
            (text_field(lang, lang.pick("Till och med (--until)", "Up to (--until)"), "until", asked, "2019-06-30"))
            (unit_select(lang.pick("Utfallets enhet (--unit)", "Outcome's unit (--unit)"), "unit", asked))
            (unit_select(lang.pick("Planens enhet (--plan-unit)", "Plan's unit (--plan-unit)"), "plan_unit", asked))
            (region_select(lang.pick("Region (rapporten, CSV-plan)", "Region (the report, CSV plan)"), asked))
            button type="submit" { (lang.pick("Visa", "Show")) }
        }
    }
}

// ---- payouts: decisions per quarter ----

const PAYOUTS_KEYS: [&str; 3] = ["year", "unit", "agreement"];

/// The requests file decisions are read against: the one the form chose, or none if it chose
/// "–"; not asked, the folder's only requests file when the decisions are a table (a TOML file
/// holds its requests beside its decisions, and the command line refuses both). Whichever it
/// is, it is `--requests` in the command line the page shows: nothing is read that it does not.
fn requests_for(folder: &Folder<'_>, name: &str, asked: &Asked<'_>) -> anyhow::Result<Option<String>> {
    if asked.params.contains_key("requests") {
        return folder.chosen(Kind::Requests, asked.get("requests"), "requests file");
    }
    let table = !name.to_ascii_lowercase().ends_with(".toml");
    Ok(match folder.of_kind(Kind::Requests).as_slice() {
        [only] if table => Some((*only).to_string()),
        _ => None,
    })
}

/// The year the chosen agreement's name ends with (`God och nära vård 2019`), and the name: a
/// suggestion for `--year` the form shows as one, used only once the person sends it.
fn agreement_year(folder: &Folder<'_>, asked: &Asked<'_>) -> Option<(String, u16)> {
    let word = folder.agreement(asked, false).ok()?;
    let rules = crate::commands::sources::RuleOverrides::default();
    let loaded = crate::commands::sources::load_agreement(word.as_ref().and_then(|word| word.to_str()), &rules).ok()?;
    let last = loaded.agreement.name.split_whitespace().last()?;
    let year = last.parse::<u16>().ok().filter(|year| (1900..=9999).contains(year))?;
    Some((loaded.agreement.name, year))
}

/// Why the payouts page asks for the year, and where its suggestion comes from.
fn why_year(lang: Lang, suggested: Option<&(String, u16)>) -> String {
    let mut why = lang
        .pick(
            "Ett beslut utan kvartal (tomma från och till) gäller ett helt år, och filen säger inte vilket (--year).",
            "A decision without quarters (`from` and `to` empty) is for a whole year, and the file does not say which (--year).",
        )
        .to_string();
    match suggested {
        Some((name, year)) => {
            let _ = match lang {
                Lang::Sv => write!(
                    why,
                    " Förslaget {year} är året i överenskommelsens namn ({name}): bekräfta det eller skriv ett annat."
                ),
                Lang::En => {
                    write!(
                        why,
                        " The suggestion {year} is the year in the agreement's name ({name}): confirm it or write another."
                    )
                }
            };
        }
        None => why.push_str(lang.pick(" Skriv året; inget gissas.", " Write the year; nothing is guessed.")),
    }
    why
}

fn payouts(
    folder: &Folder<'_>,
    source: &Source<'_>,
    asked: &Asked<'_>,
    lang: Lang,
    download: Option<Download>,
) -> Answer {
    let (name, given, path) = (source.name, &source.given, source.path.clone());
    let requests = requests_for(folder, name, asked);
    // Several requests files and none chosen: none is read, and the page must say so, or a
    // schedule checked against no request would pass for one checked against them.
    let requests_files = folder.of_kind(Kind::Requests).len();
    let unread = matches!(requests, Ok(None)) && !asked.params.contains_key("requests") && requests_files > 1;
    let words = |download: Option<Download>| -> anyhow::Result<Vec<OsString>> {
        let mut words = Vec::new();
        words.extend(folder.agreement(asked, true)?);
        if let Some(requests) = requests.as_ref().map_err(|err| anyhow!("{err}"))? {
            let mut flag = OsString::from("--requests=");
            flag.push(folder.given(requests));
            words.push(flag);
        }
        asked.flags(&mut words, &[("year", "--year"), ("unit", "--unit")]);
        if let Some(download) = download {
            words.extend(download.flags(&stem(name)));
        }
        words.extend(["--".into(), given.clone()]);
        Ok(words)
    };
    let result = words(download).and_then(|words| {
        let job = PayoutsJob::resolve(&parse::<PayoutsArgs>("payouts", &words, lang)?, lang)?;
        let made_schedule = crate::commands::payouts::scheduled(&job)?;
        made(&made_schedule.result, job.target.format, lang, made_schedule.provenance(), download, |schedule| {
            let title = lang.pick("Utbetalt per kvartal", "Paid per quarter");
            let bars: Vec<crate::output::chart::Bar> = schedule
                .quarters
                .iter()
                .zip(&schedule.total.cells)
                .map(|(quarter, &kronor)| crate::output::chart::Bar {
                    label: quarter.to_string(),
                    value: kronor,
                    shown: format!("{} kr", Scaled { mantissa: kronor, scale: 0 }.format(0, STYLE)),
                })
                .collect();
            html! {
                @if unread {
                    p.note id="requests-unread" {
                        (match lang {
                            Lang::Sv => format!("Mappen har {requests_files} filer med rekvisitioner, och ingen har lästs: välj en i formuläret för att pröva utbetalningarna mot den."),
                            Lang::En => format!("The folder holds {requests_files} requests files, and none was read: choose one in the form to check the payouts against it."),
                        })
                    }
                }
                h2 { (title) }
                (crate::output::chart::bars(title, &bars))
                (payouts_page(schedule, lang))
            }
        })
    });
    // Only the year missing: the form asks for it, the agreement's year filled in as a suggestion.
    let year_asked =
        result.as_ref().err().and_then(MissingFlags::of).is_some_and(|missing| missing.flags == ["--year"]);
    let suggested = if year_asked { agreement_year(folder, asked) } else { None };
    let year = asked.get("year").map(String::from).or_else(|| suggested.as_ref().map(|(_, year)| year.to_string()));
    let current = requests.as_ref().ok().cloned().flatten();
    let mut query = asked.query(&PAYOUTS_KEYS);
    match &current {
        Some(requests) => {
            let _ = write!(query, "&requests={}", encode(requests));
        }
        // None chosen is said, so that a download does not choose the folder's only one.
        None if !folder.of_kind(Kind::Requests).is_empty() => query.push_str("&requests="),
        None => {}
    }
    let spec = Spec {
        uploaded: None,
        title: format!("{}{name}", lang.pick("Utbetalningar per kvartal: ", "Payouts per quarter: ")),
        command: "payouts",
        stem: stem(name),
        downloads: &Download::ALL,
        path,
        query,
        form: html! {
            form.choose method="get" {
                label { (lang.pick("År (--year)", "Year (--year)"))
                    input type="text" name="year" id="year" value=(year.unwrap_or_default())
                        placeholder={ (lang.pick("t.ex.", "e.g.")) " 2019" } size="14" autofocus[year_asked];
                }
                (select(lang.pick("Rekvisitioner (--requests)", "Requests (--requests)"), "requests", &folder.of_kind(Kind::Requests), current.as_deref(), false))
                (unit_select(lang.pick("Enhet (--unit)", "Unit (--unit)"), "unit", asked))
                (agreement_select(folder, lang, asked))
                button type="submit" { (lang.pick("Visa", "Show")) }
            }
        },
        why: year_asked.then(|| why_year(lang, suggested.as_ref())),
    };
    (spec, result, words(Some(Download::Xlsx)))
}

/// The payouts from their result: the schedule and the requests as tables (the cells the text
/// report draws), the payment day, the findings.
fn payouts_page(schedule: &Schedule, lang: Lang) -> Markup {
    let worst = schedule.worst();
    let decisions = schedule.decisions.len();
    let sums = decisions + schedule.areas.len() + schedule.providers.len();
    let schedule_row = |at: usize| match at {
        at if at < decisions => None,
        at if at < sums => Some("subtotal"),
        _ => Some("total"),
    };
    html! {
        p { span class={ "verdict " (severity_class(worst)) } id="verdict" { (Verdict(worst).word(lang)) } }
        div id="result" {
            p.muted { (bdi(&payouts_report::heading(schedule, lang))) }
            (grid_table("schedule", &payouts_report::schedule_grid(schedule, lang), &schedule_row))
            p { (payouts_report::payment_line(schedule, lang)) }
            @if !schedule.ledger.is_empty() {
                h2 { (payouts_report::requests_title(lang)) }
                (grid_table("requests", &payouts_report::ledger_grid(schedule, lang), &|_| None))
            }
            @if schedule.findings.is_empty() {
                @if schedule.with_requests { p { (payouts_report::all_fit(lang)) } }
            } @else {
                h2 { (lang.pick("Anmärkningar", "Findings")) }
                ul.findings { @for finding in &schedule.findings {
                    li class={ "finding " (severity_class(Some(finding.severity()))) } {
                        (finding.severity().word(lang)) " · " code { (finding.id()) } ": "
                        (bdi(&payouts_report::finding_message(schedule, finding, lang)))
                    }
                } }
            }
        }
    }
}

// ---- audit: a published table ----

const AUDIT_KEYS: [&str; 6] = ["agreement", "area", "total", "column", "unit", "step"];

fn audit(
    folder: &Folder<'_>,
    source: &Source<'_>,
    asked: &Asked<'_>,
    lang: Lang,
    download: Option<Download>,
) -> Answer {
    let (name, given, path) = (source.name, &source.given, source.path.clone());
    let words = |download: Option<Download>| -> anyhow::Result<Vec<OsString>> {
        let mut words = Vec::new();
        words.extend(folder.agreement(asked, true)?);
        let flags =
            [("area", "--area"), ("total", "--total"), ("column", "--column"), ("unit", "--unit"), ("step", "--step")];
        asked.flags(&mut words, &flags);
        if let Some(download) = download {
            words.extend(download.flags(&stem(name)));
        }
        words.extend(["--".into(), given.clone()]);
        Ok(words)
    };
    let spec = Spec {
        uploaded: None,
        why: None,
        title: format!("{}{name}", lang.pick("Granskning av ", "Audit of ")),
        command: "audit",
        stem: stem(name),
        downloads: &Download::ALL,
        path,
        query: asked.query(&AUDIT_KEYS),
        form: html! {
            form.choose method="get" {
                (agreement_select(folder, lang, asked))
                (text_field(lang, lang.pick("Område (--area)", "Area (--area)"), "area", asked, "omstallning"))
                (text_field(lang, lang.pick("Total (--total)", "Total (--total)"), "total", asked, "1500"))
                (text_field(lang, lang.pick("Kolumn (--column)", "Column (--column)"), "column", asked, ""))
                (unit_select(lang.pick("Enhet (--unit)", "Unit (--unit)"), "unit", asked))
                (text_field(lang, lang.pick("Steg (--step)", "Step (--step)"), "step", asked, "1000kr"))
                button type="submit" { (lang.pick("Granska", "Audit")) }
            }
        },
    };
    let result = words(download).and_then(|words| {
        let job = AuditJob::resolve(&parse::<AuditArgs>("audit", &words, lang)?, lang)?;
        let audited = crate::commands::audit::audited(&job)?;
        made(&audited.result, job.target.format, lang, audited.provenance(), download, |result| {
            audit_page(result, lang)
        })
    });
    (spec, result, words(Some(Download::Xlsx)))
}

/// The audit from its result: the blocks the text report prints, its tables as HTML tables
/// and its findings as a list.
fn audit_page(audited: &Audited, lang: Lang) -> Markup {
    let worst = audited.worst();
    let blocks = audit_report::blocks(&audited.report, &audited.explained, lang);
    html! {
        p { span class={ "verdict " (severity_class(worst)) } id="verdict" { (Verdict(worst).word(lang)) } }
        div id="result" { (blocks_html("audit", &blocks, lang)) }
    }
}

/// A text report's blocks as HTML: a line as a paragraph (an empty one parts nothing here),
/// a table of cells as a table (`{id}-1`, `{id}-2`, … in order), findings side by side as one
/// list.
fn blocks_html(id: &str, blocks: &[Block], lang: Lang) -> Markup {
    // Findings that follow each other are one list; tables are numbered in order.
    let mut parts: Vec<(usize, &[Block])> = Vec::new();
    let mut tables = 0;
    for (at, block) in blocks.iter().enumerate() {
        let joins = matches!(block, Block::Finding { .. }) && at > 0 && matches!(blocks[at - 1], Block::Finding { .. });
        match parts.last_mut() {
            Some((_, last)) if joins => *last = &blocks[at - last.len()..=at],
            _ => {
                tables += usize::from(matches!(block, Block::Grid(_)));
                parts.push((tables, &blocks[at..=at]));
            }
        }
    }
    html! {
        @for (table, part) in parts {
            @match part {
                [Block::Line(line)] => { @if !line.is_empty() { p { (bdi(line)) } } }
                [Block::Grid(grid)] => { (grid_table(&format!("{id}-{table}"), grid, &|_| None)) }
                findings => {
                    ul.findings { @for block in findings { @if let Block::Finding { severity, id, message } = block {
                        li class={ "finding " (severity_class(Some(*severity))) } {
                            (severity.word(lang)) " · " code { (id) } ": " (bdi(message))
                        }
                    } } }
                }
            }
        }
    }
}

// ---- diff: two versions of a plan ----

const DIFF_KEYS: [&str; 5] = ["old", "new", "unit", "agreement", "allow"];

pub fn diff(folder: &Folder<'_>, asked: &Asked<'_>, lang: Lang, download: Option<Download>) -> Answer {
    let old = folder.chosen(Kind::Plan, asked.get("old"), "plan");
    let new = folder.chosen(Kind::Plan, asked.get("new"), "plan");
    let diff_stem = match (&old, &new) {
        (Ok(Some(old)), Ok(Some(new))) => format!("{}-{}", stem(old), stem(new)),
        _ => "diff".to_string(),
    };
    let words = |download: Option<Download>| -> anyhow::Result<Vec<OsString>> {
        let (Some(old), Some(new)) =
            (old.as_ref().map_err(|err| anyhow!("{err}"))?, new.as_ref().map_err(|err| anyhow!("{err}"))?)
        else {
            return Err(MissingFlags::error(
                vec!["versions"],
                "choose the two versions of the plan to compare (the form below)",
            ));
        };
        let mut words = Vec::new();
        words.extend(folder.agreement(asked, true)?);
        asked.flags(&mut words, &[("unit", "--unit")]);
        if asked.get("allow").is_some() {
            words.push("--allow-between-areas".into());
        }
        if let Some(download) = download {
            words.extend(download.flags(&diff_stem));
        }
        words.extend(["--".into(), folder.given(old), folder.given(new)]);
        Ok(words)
    };
    let plans = folder.of_kind(Kind::Plan);
    let spec = Spec {
        uploaded: None,
        why: None,
        title: lang.pick("Jämförelse av två versioner av en plan", "Two versions of a plan compared").to_string(),
        command: "diff",
        stem: diff_stem.clone(),
        downloads: &Download::ALL,
        path: "/diff".to_string(),
        query: asked.query(&DIFF_KEYS),
        form: html! {
            form.choose method="get" action="/diff" {
                (select(lang.pick("Gammal version", "Old version"), "old", &plans, asked.get("old"), true))
                (select(lang.pick("Ny version", "New version"), "new", &plans, asked.get("new"), true))
                (unit_select(lang.pick("Enhet (--unit)", "Unit (--unit)"), "unit", asked))
                (agreement_select(folder, lang, asked))
                label { (lang.pick("Tillåt flytt mellan områden", "Allow moves between areas"))
                    input type="checkbox" name="allow" value="1" checked[asked.get("allow").is_some()]; }
                button type="submit" { (lang.pick("Jämför", "Compare")) }
            }
        },
    };
    let result = words(download).and_then(|words| {
        let job = DiffJob::resolve(&parse::<DiffArgs>("diff", &words, lang)?, lang)?;
        let diffed = crate::commands::diff::diffed(&job)?;
        made(&diffed.result, job.target.format, lang, diffed.provenance(), download, |report| diff_page(report, lang))
    });
    (spec, result, words(Some(Download::Xlsx)))
}

/// The diff from its result: the changed interventions and the areas as tables (the cells the
/// text report draws), the findings.
fn diff_page(report: &DiffReport, lang: Lang) -> Markup {
    let worst = crate::core::findings::worst(report.findings.iter().map(|finding| finding.severity));
    let area_grid = diff_report::area_grid(report, lang);
    html! {
        p { span class={ "verdict " (severity_class(worst)) } id="verdict" { (Verdict(worst).word(lang)) } }
        div id="result" {
            p.muted { (bdi(&diff_report::heading(report, lang))) }
            @match diff_report::changed_grid(report, lang) {
                Some(grid) => { (grid_table("changed", &grid, &|_| None)) }
                None => { p { (diff_report::nothing_changed(lang)) } }
            }
            p { (diff_report::unchanged_line(report, lang)) }
            (grid_table("areas", &area_grid, &|at| (at + 1 == area_grid.rows.len()).then_some("total")))
            @if report.findings.is_empty() {
                p { (diff_report::no_findings(lang)) }
            } @else {
                h2 { (lang.pick("Fynd", "Findings")) }
                ul.findings { @for finding in &report.findings {
                    li class={ "finding " (severity_class(Some(finding.severity))) } {
                        (finding.severity.word(lang)) " · " code { (finding.kind.id()) } ": "
                        (bdi(&diff_report::finding_message(report, finding, lang)))
                    }
                } }
            }
        }
    }
}

/// A table of cells as HTML, its amount columns set right; `row_class`: a row's class by its
/// place (a sum, the total). A header's lines (a quarter over its payment date) kept as lines.
fn grid_table(id: &str, grid: &Grid, row_class: &dyn Fn(usize) -> Option<&'static str>) -> Markup {
    html! {
        table id=(id) {
            thead { tr { @for (cell, right) in grid.header.iter().zip(&grid.right) {
                th class=[right.then_some("num")] { @for (at, line) in cell.lines().enumerate() { @if at > 0 { br; } (line) } }
            } } }
            tbody { @for (at, row) in grid.rows.iter().enumerate() {
                tr class=[row_class(at)] { @for (cell, right) in row.iter().zip(&grid.right) {
                    td class=[right.then_some("num")] { (bdi(cell)) }
                } }
            } }
        }
    }
}

// ---- explain and targets: one region ----

const EXPLAIN_DOWNLOADS: [Download; 2] = [Download::Xlsx, Download::Text];

pub fn explain(folder: &Folder<'_>, asked: &Asked<'_>, lang: Lang, download: Option<Download>) -> Answer {
    let region = asked.get("region").unwrap_or_default();
    let explain_stem = format!("forklaring-{}", stem(region));
    let words = |download: Option<Download>| -> anyhow::Result<Vec<OsString>> {
        if region.is_empty() {
            return Err(MissingFlags::error(
                vec!["--region"],
                "choose a region (the form below, or a region's name on the first page)",
            ));
        }
        let mut words = Vec::new();
        if let Some(download) = download {
            words.extend(download.flags(&explain_stem));
        }
        words.extend(["--".into(), region.into()]);
        words.extend(folder.agreement(asked, false)?);
        Ok(words)
    };
    let query = asked.query(&["region", "agreement"]);
    let spec = Spec {
        uploaded: None,
        why: None,
        title: format!("{}{region}", lang.pick("Härledning för region ", "Derivation for region ")),
        command: "explain",
        stem: explain_stem.clone(),
        downloads: &EXPLAIN_DOWNLOADS,
        path: "/explain".to_string(),
        query: query.clone(),
        form: html! {
            p { a.button href={ "/targets?" (query.trim_start_matches('&')) } id="targets-link" { (lang.pick("Regionens mål (allocate --region --round)", "The region's targets (allocate --region --round)")) } }
            form.choose method="get" action="/explain" {
                (region_select(lang.pick("Region", "Region"), asked))
                (agreement_select(folder, lang, asked))
                button type="submit" { (lang.pick("Visa", "Show")) }
            }
        },
    };
    let result = words(download).and_then(|words| {
        let job = ExplainJob::resolve(&parse::<ExplainArgs>("explain", &words, lang)?, lang)?;
        let (explanation, _paths) = crate::commands::explain::explained(&job)?;
        let made_from = Provenance { paths: Vec::new(), hashes: Box::new(Vec::new) };
        made(&explanation, job.target.format, lang, made_from, download, |result| printed(result, lang))
    });
    (spec, result, words(Some(Download::Xlsx)))
}

const TARGETS_KEYS: [&str; 4] = ["region", "round", "unit", "agreement"];

pub fn targets(folder: &Folder<'_>, asked: &Asked<'_>, lang: Lang, download: Option<Download>) -> Answer {
    let region = asked.get("region").unwrap_or_default();
    let targets_stem = format!("mal-{}", stem(region));
    let words = |download: Option<Download>| -> anyhow::Result<Vec<OsString>> {
        if region.is_empty() {
            return Err(MissingFlags::error(vec!["--region"], "choose a region (the form below)"));
        }
        // `--region` requires `--round`: without it, a question, not the parser's refusal.
        if asked.get("round").is_none() {
            return Err(MissingFlags::error(
                vec!["--round"],
                "a region's targets need --round: give the step the plan states, e.g. 0.1mkr",
            ));
        }
        let mut words = Vec::new();
        asked.flags(&mut words, &[("region", "--region"), ("round", "--round"), ("unit", "--unit")]);
        if let Some(download) = download {
            words.extend(download.flags(&targets_stem));
        }
        words.push("--".into());
        words.extend(folder.agreement(asked, false)?);
        Ok(words)
    };
    let spec = Spec {
        uploaded: None,
        why: None,
        title: format!("{}{region}", lang.pick("Mål för region ", "Targets for region ")),
        command: "allocate",
        stem: targets_stem.clone(),
        downloads: &Download::ALL,
        path: "/targets".to_string(),
        query: asked.query(&TARGETS_KEYS),
        form: html! {
            form.choose method="get" action="/targets" {
                (region_select(lang.pick("Region", "Region"), asked))
                (text_field(lang, lang.pick("Steg (--round)", "Step (--round)"), "round", asked, "0,1 mkr"))
                (unit_select(lang.pick("Enhet (--unit)", "Unit (--unit)"), "unit", asked))
                (agreement_select(folder, lang, asked))
                button type="submit" { (lang.pick("Visa", "Show")) }
            }
        },
    };
    let result = words(download).and_then(|words| {
        let job = AllocateJob::resolve(&parse::<AllocateArgs>("allocate", &words, lang)?, lang)?;
        let (Some(region), Some(step)) = (&job.region, job.round) else {
            return Err(anyhow!("a region's targets need --round: give the step the plan states, e.g. 0.1mkr"));
        };
        let computed = compute(&job.sources, &job.rules)?;
        let index = region.resolve(computed.allocation.table())?;
        let targets = RegionTargets::new(&computed.allocation, index, step)
            .with_context(|| format!("--round {}", step.describe()))?;
        let shown = Shown { result: targets, unit: job.unit };
        let made_from = provenance(
            &computed.loaded,
            &computed.population_path,
            &computed.allocation,
            computed.population_hash.as_ref(),
        );
        made(&shown, job.target.format, lang, made_from, download, |shown| {
            html! { div id="result" { (blocks_html("targets", &targets::blocks(&shown.result, shown.unit, lang), lang)) } }
        })
    });
    (spec, result, words(Some(Download::Xlsx)))
}

// ---- form fields ----

fn text_field(lang: Lang, label: &str, name: &str, asked: &Asked<'_>, example: &str) -> Markup {
    // An example said as one, so that it is not taken for a value given.
    let example = if example.is_empty() { String::new() } else { format!("{} {example}", lang.pick("t.ex.", "e.g.")) };
    html! {
        label { (label)
            input type="text" name=(name) value=(asked.get(name).unwrap_or_default()) placeholder=(example) size="14";
        }
    }
}

fn select(label: &str, name: &str, options: &[&str], current: Option<&str>, required: bool) -> Markup {
    html! {
        label { (label)
            select name=(name) id=(name) {
                @if !required || current.is_none() { option value="" selected[current.is_none()] { "–" } }
                @for option in options { option value=(option) selected[current == Some(*option)] { (crate::output::chart::visible(option)) } }
            }
        }
    }
}

fn unit_select(label: &str, name: &str, asked: &Asked<'_>) -> Markup {
    let current = asked.get(name).unwrap_or_default();
    html! {
        label { (label)
            select name=(name) {
                option value="" selected[current.is_empty()] { "–" }
                @for unit in ["kr", "tkr", "mkr"] { option value=(unit) selected[current == unit] { (unit) } }
            }
        }
    }
}

fn region_select(label: &str, asked: &Asked<'_>) -> Markup {
    let current = asked.get("region").unwrap_or_default();
    html! {
        label { (label)
            select name="region" id="region" {
                option value="" selected[current.is_empty()] { "–" }
                @for county in crate::core::region::counties() {
                    option value=(county.code) selected[current == county.code] { (county.code) " " (county.region) }
                }
            }
        }
    }
}

fn agreement_select(folder: &Folder<'_>, lang: Lang, asked: &Asked<'_>) -> Markup {
    let current = asked.get("agreement").unwrap_or_default();
    let choices = agreement_choices(&folder.entries);
    html! {
        label { (lang.pick("Överenskommelse", "Agreement"))
            select name="agreement" {
                option value="" selected[current.is_empty()] { (lang.pick("inbyggd standard", "bundled default")) }
                @for choice in &choices {
                    option value=(choice.id()) selected[current == choice.id()] {
                        (choice.id()) @if matches!(choice, AgreementChoice::File(_)) { " " (lang.pick("(i mappen)", "(in the folder)")) }
                    }
                }
            }
        }
    }
}
