//! The server: loopback only, every request's Host checked (DNS rebinding), every request
//! that changes something checked for its Origin and the run's token (CSRF), a strict
//! Content-Security-Policy on every answer, bodies limited, nothing outside the folder read.

use crate::commands::allocate::Shown;
use crate::commands::allocate::provenance;
use crate::commands::allocate::view::AllocationView;
use crate::commands::check::checked;
use crate::commands::missing::MissingFlags;
use crate::commands::sources::compute;
use crate::commands::web::folder::{self, Kind};
use crate::commands::web::job::WebJob;
use crate::commands::web::pages::{self, encode, encode_path};
use crate::commands::web::results::{
    AgreementChoice, Download, PlanChoices, agreement_choices, allocate_job, allocate_words, as_given, check_job,
    check_words, chosen_agreement, shown, stem, upload_name,
};
use crate::commands::web::year;
use crate::lang::Lang;
use crate::output::deliver::rendered;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::Markup;
use std::collections::{HashMap, VecDeque};
use std::ffi::OsString;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

/// The largest file sent to the page: a plan is a few kilobytes; a workbook of one, well under
/// a megabyte. Whatever comes in is also read under `--max-input-size`, as a file is.
pub const UPLOAD_LIMIT: usize = 4 * 1024 * 1024;
/// What a form adds around its file (boundaries, field heads, the token, region, unit and
/// sheet): the request may be this much larger than the file, so that a file of exactly
/// `UPLOAD_LIMIT` bytes is taken, as the page says.
const FORM_OVERHEAD: usize = 64 * 1024;
/// Uploads kept for their pages and downloads, the oldest forgotten first.
const UPLOADS_KEPT: usize = 16;

/// What every request is answered from.
pub struct App {
    pub job: WebJob,
    /// The secret of this run, in every form that changes something.
    pub token: String,
    /// `127.0.0.1:PORT` and `localhost:PORT`: the only Host headers answered.
    pub hosts: [String; 2],
    uploads: Mutex<VecDeque<Upload>>,
    /// What the folder's files hold, remembered by version (`folder::Kinds`).
    kinds: folder::Kinds,
}

#[derive(Clone)]
struct Upload {
    id: String,
    name: String,
    bytes: Arc<Vec<u8>>,
    choices: PlanChoices,
    /// What it holds, recognised as a file of the folder is.
    kind: Kind,
}

impl App {
    #[must_use]
    pub fn new(job: WebJob, port: u16) -> App {
        App {
            job,
            token: random_hex(),
            hosts: [format!("127.0.0.1:{port}"), format!("localhost:{port}")],
            uploads: Mutex::new(VecDeque::new()),
            kinds: folder::Kinds::default(),
        }
    }

    fn lang(&self) -> Lang {
        self.job.lang
    }

    fn folder_name(&self) -> String {
        self.job.dir.display().to_string()
    }

    /// The folder's files, listed once for a request. When the list is cut, a file the request
    /// names in its parameters (`agreement`, `plan`, `requests`, `old`, `new`) is added if it is
    /// a file of the folder: one left off the list can still be chosen by name.
    fn listing(&self, params: &HashMap<String, String>) -> folder::Listing {
        let mut listing = folder::list(&self.job.root, &self.kinds);
        if listing.left_out > 0 {
            for key in ["agreement", "plan", "requests", "old", "new"] {
                let Some(asked) = params.get(key) else { continue };
                if listing.entries.iter().any(|entry| entry.name == *asked) {
                    continue;
                }
                if let Some((name, path)) = folder::resolve_name(&self.job.root, asked) {
                    if name == *asked {
                        listing.entries.push(folder::Entry { kind: self.kinds.of(&path), name });
                    }
                }
            }
        }
        listing
    }

    fn page(&self, status: StatusCode, title: &str, body: &Markup) -> Response {
        let html = pages::layout(title, &self.folder_name(), self.lang(), body).into_string();
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
    }
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/file/{*name}", get(file_page))
        .route("/download/allocate", get(download_allocation))
        .route("/download/file/{*name}", get(download_file))
        .route(
            "/explain",
            get(|state: State<Arc<App>>, query: Params| one_region(state, query, Region::Explain, false)),
        )
        .route(
            "/download/explain",
            get(|state: State<Arc<App>>, query: Params| one_region(state, query, Region::Explain, true)),
        )
        .route(
            "/targets",
            get(|state: State<Arc<App>>, query: Params| one_region(state, query, Region::Targets, false)),
        )
        .route(
            "/download/targets",
            get(|state: State<Arc<App>>, query: Params| one_region(state, query, Region::Targets, true)),
        )
        .route("/diff", get(|state: State<Arc<App>>, query: Params| diff_page(state, query, false)))
        .route("/download/diff", get(|state: State<Arc<App>>, query: Params| diff_page(state, query, true)))
        .route(
            "/upload",
            post(upload)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT + FORM_OVERHEAD))
                .layer(middleware::from_fn_with_state(app.clone(), too_large_page)),
        )
        .route("/upload/{id}", get(upload_page))
        .route("/download/upload/{id}", get(download_upload))
        .route(
            "/static/style.css",
            get(|| async { asset("text/css; charset=utf-8", include_str!("assets/style.css")) }),
        )
        .route(
            "/static/drop.js",
            get(|| async { asset("text/javascript; charset=utf-8", include_str!("assets/drop.js")) }),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// An upload refused for its size (the request over its limit, or the file over
/// `UPLOAD_LIMIT`), said on a page in the page's language.
async fn too_large_page(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let lang = app.lang();
    let title = lang.pick("Filen är för stor", "The file is too large");
    let text = lang.pick(
        "Filen är större än 4 MiB, det största som tas emot här. En plan är några kilobyte: har du valt rätt fil? \
         En större fil läses från mappen: lägg den där och öppna den i listan.",
        "The file is larger than 4 MiB, the most taken here. A plan is a few kilobytes: is this the right file? A \
         larger file is read from the folder: put it there and open it from the list.",
    );
    let body = maud::html! { section { h1 { (title) } p.problem id="problem" { (text) } } };
    app.page(StatusCode::PAYLOAD_TOO_LARGE, title, &body)
}

fn asset(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}

/// Every request: refused unless its Host is this server's loopback name and port; one that
/// changes something, unless its Origin is this server. Every answer carries the headers
/// that keep the page to itself.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|value| value.to_str().ok()).map(str::to_owned);
    // One Host, and a request line that names no other: with two Host headers, or an address
    // in the request line (`GET http://evil/ HTTP/1.1`), which of them names the server
    // depends on who reads it, so neither is believed.
    let ambiguous = request.headers().get_all(header::HOST).iter().count() > 1
        || request.uri().scheme().is_some()
        || request.uri().authority().is_some();
    let mut response = match host.filter(|host| app.hosts.iter().any(|ok| ok.eq_ignore_ascii_case(host))) {
        _ if ambiguous => refuse(StatusCode::BAD_REQUEST, "one Host header, and a request line with a path only"),
        None => refuse(StatusCode::FORBIDDEN, "Host is not this server: only 127.0.0.1 or localhost is answered"),
        Some(host) if !safe(request.method()) && !same_origin(request.headers(), &host) => {
            refuse(StatusCode::FORBIDDEN, "a request that changes something must come from this server's own page")
        }
        Some(_) => next.run(request).await,
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    response
}

fn safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

/// The Origin is `http://` and the Host served, and a browser's Sec-Fetch-Site, if it says
/// one, is same-origin.
fn same_origin(headers: &HeaderMap, host: &str) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok());
    let site = headers.get("sec-fetch-site").and_then(|value| value.to_str().ok());
    origin.is_some_and(|origin| origin.eq_ignore_ascii_case(&format!("http://{host}")))
        && site.is_none_or(|site| site == "same-origin")
}

fn refuse(status: StatusCode, why: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{why}\n")).into_response()
}

async fn not_found(State(app): State<Arc<App>>) -> Response {
    let lang = app.lang();
    app.page(StatusCode::NOT_FOUND, lang.pick("Finns inte", "Not found"), &pages::not_found(lang))
}

/// Work that reads files and computes, off the server's thread.
async fn blocking(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|_| refuse(StatusCode::INTERNAL_SERVER_ERROR, "the computation stopped unexpectedly"))
}

type Params = Query<HashMap<String, String>>;

/// The first page: the agreement's split, the folder's files, the upload form.
async fn index(State(app): State<Arc<App>>, Query(params): Params) -> Response {
    blocking(move || {
        let lang = app.lang();
        let listing = app.listing(&params);
        let entries = &listing.entries;
        let choices = agreement_choices(entries);
        let default = choices.first().filter(|choice| matches!(choice, AgreementChoice::File(_)));
        let mut body = Vec::new();
        let mut status = StatusCode::OK;
        let chosen = chosen_agreement(&choices, params.get("agreement").map(String::as_str), default);
        let current = chosen.as_ref().ok().cloned().flatten();
        if choices.len() > 1 {
            let shown_choice =
                current.clone().or_else(|| choices.iter().find(|c| matches!(c, AgreementChoice::Bundled(_))).cloned());
            body.push(pages::agreement_list(lang, &choices, shown_choice.as_ref()));
        }
        match chosen.and_then(|chosen| allocation_section(&app, chosen.as_ref())) {
            Ok(section) => body.push(section),
            Err(err) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                body.push(pages::problem(lang, &format!("{err:#}")));
            }
        }
        body.push(pages::files(lang, entries));
        if listing.left_out > 0 {
            body.push(left_out(lang, listing.left_out));
        }
        body.push(pages::upload(lang, &app.token));
        let body = maud::html! { @for part in &body { (part) } };
        app.page(status, lang.pick("Fördelning", "Allocation"), &body)
    })
    .await
}

fn allocation_section(app: &App, agreement: Option<&AgreementChoice>) -> anyhow::Result<Markup> {
    let lang = app.lang();
    let words = allocate_words(&app.job.dir, &app.job.root, agreement, None)?;
    let job = allocate_job(&words, lang)?;
    let computed = compute(&job.sources, &job.rules)?;
    let view = AllocationView::exact(&computed.allocation);
    let query = agreement.map_or(String::new(), |choice| format!("&agreement={}", encode(choice.id())));
    let href = |download: Download| format!("/download/allocate?as={}{query}", download.id());
    let explain = |code: &str| format!("/explain?region={}{query}", encode(code));
    let download_words = allocate_words(&app.job.dir, &app.job.root, agreement, Some(Download::Xlsx))?;
    Ok(pages::allocation(&view, job.unit, lang, &href, &explain, &shown("allocate", &download_words, lang)))
}

fn download_of(params: &HashMap<String, String>) -> Option<Download> {
    Download::parse(params.get("as").map_or("xlsx", String::as_str))
}

fn attachment(download: Download, stem: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", download.file_name(stem));
    ([(header::CONTENT_TYPE, download.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

async fn download_allocation(State(app): State<Arc<App>>, Query(params): Params) -> Response {
    blocking(move || {
        let lang = app.lang();
        let Some(download) = download_of(&params) else { return refuse(StatusCode::BAD_REQUEST, "unknown download") };
        let entries = app.listing(&params).entries;
        let choices = agreement_choices(&entries);
        let default = choices.first().filter(|choice| matches!(choice, AgreementChoice::File(_)));
        let made =
            chosen_agreement(&choices, params.get("agreement").map(String::as_str), default).and_then(|chosen| {
                let words = allocate_words(&app.job.dir, &app.job.root, chosen.as_ref(), Some(download))?;
                let job = allocate_job(&words, lang)?;
                let computed = compute(&job.sources, &job.rules)?;
                let shown = Shown { result: AllocationView::exact(&computed.allocation), unit: job.unit };
                let made_from = provenance(
                    &computed.loaded,
                    &computed.population_path,
                    &computed.allocation,
                    computed.population_hash.as_ref(),
                );
                rendered(&shown, job.target.format, lang, made_from)
            });
        match made {
            Ok(bytes) => attachment(download, "fordelning", bytes),
            Err(err) => {
                app.page(StatusCode::UNPROCESSABLE_ENTITY, "fordela", &pages::problem(lang, &format!("{err:#}")))
            }
        }
    })
    .await
}

/// The choices a plan page was asked for; an agreement that is not one of the list is an error.
fn plan_choices(params: &HashMap<String, String>, agreements: &[AgreementChoice]) -> anyhow::Result<PlanChoices> {
    let text = |key: &str| params.get(key).filter(|value| !value.trim().is_empty()).cloned();
    Ok(PlanChoices {
        agreement: chosen_agreement(agreements, params.get("agreement").map(String::as_str), None)?,
        region: text("region"),
        unit: text("unit"),
        sheet: text("sheet"),
    })
}

/// Where a plan comes from: a file of the folder, or an upload held in memory.
enum Plan {
    File { name: String },
    Upload(Upload),
}

impl Plan {
    fn name(&self) -> &str {
        match self {
            Plan::File { name } | Plan::Upload(Upload { name, .. }) => name,
        }
    }

    fn download_href(&self, download: Download, choices: &PlanChoices) -> String {
        let mut query = format!("?as={}", download.id());
        if let Some(agreement) = &choices.agreement {
            let _ = write!(query, "&agreement={}", encode(agreement.id()));
        }
        for (key, value) in [("region", &choices.region), ("unit", &choices.unit), ("sheet", &choices.sheet)] {
            if let Some(value) = value {
                let _ = write!(query, "&{key}={}", encode(value));
            }
        }
        match self {
            Plan::File { name } => format!("/download/file/{}{query}", encode_path(name)),
            Plan::Upload(upload) => format!("/download/upload/{}{query}", upload.id),
        }
    }

    fn words(&self, app: &App, choices: &PlanChoices, download: Option<Download>) -> anyhow::Result<Vec<OsString>> {
        let proposal = match self {
            Plan::File { name } => as_given(&app.job.dir, name).into_os_string(),
            Plan::Upload(upload) => upload.name.clone().into(),
        };
        check_words(&app.job.dir, &app.job.root, proposal, &stem(self.name()), choices, download)
    }
}

fn plan_page(app: &App, plan: &Plan, params: &HashMap<String, String>) -> Response {
    let lang = app.lang();
    let entries = app.listing(params).entries;
    let agreements = agreement_choices(&entries);
    let mut status = StatusCode::OK;
    let (choices, result) = match plan_choices(params, &agreements) {
        Ok(choices) => {
            let result = plan.words(app, &choices, None).and_then(|words| {
                let job = check_job(&words, lang)?;
                let checked = checked(&job)?;
                let href = |download: Download| plan.download_href(download, &choices);
                let download_words = plan.words(app, &choices, Some(Download::Xlsx))?;
                let uploaded = match plan {
                    Plan::Upload(upload) => Some(upload.name.as_str()),
                    Plan::File { .. } => None,
                };
                Ok(pages::check(&checked.report, lang, &href, &shown("check", &download_words, lang), uploaded))
            });
            (choices, result)
        }
        Err(err) => (PlanChoices::default(), Err(err)),
    };
    let mut asked = false;
    let result = result.unwrap_or_else(|err| {
        if let Some(missing) = MissingFlags::of(&err) {
            asked = true;
            let words = pages::flag_words(lang, missing);
            let why = match lang {
                Lang::Sv => format!(
                    "Planen säger inte sin {words}: det gör en TOML-plan, men inte en CSV-fil eller arbetsbok. \
                     Välj här; inget gissas."
                ),
                Lang::En => format!(
                    "The plan does not say its {words}: a TOML plan does, a CSV file or workbook does not. \
                     Choose here; nothing is guessed."
                ),
            };
            return pages::question(
                lang,
                missing,
                plan.name(),
                &why,
                &pages::plan_choices(lang, &agreements, &choices, true),
            );
        }
        status = StatusCode::UNPROCESSABLE_ENTITY;
        maud::html! {
            h1 { (lang.pick("Kontroll av plan ", "Check of plan ")) (pages::bdi(plan.name())) }
            (pages::problem(lang, &format!("{err:#}")))
        }
    });
    let others: Vec<String> = match plan {
        Plan::File { name } => entries
            .into_iter()
            .filter(|entry| entry.kind == Kind::Plan && entry.name != *name)
            .map(|entry| entry.name)
            .collect(),
        Plan::Upload(_) => Vec::new(),
    };
    let body = maud::html! {
        (result)
        @if !asked { section.noprint { (pages::plan_choices(lang, &agreements, &choices, false)) } }
        @if !others.is_empty() { section.noprint { (pages::diff_with(lang, plan.name(), &others)) } }
    };
    app.page(status, plan.name(), &body)
}

fn plan_download(app: &App, plan: &Plan, params: &HashMap<String, String>) -> Response {
    let lang = app.lang();
    let Some(download) = download_of(params) else { return refuse(StatusCode::BAD_REQUEST, "unknown download") };
    let agreements = agreement_choices(&app.listing(params).entries);
    let made = plan_choices(params, &agreements).and_then(|choices| {
        let words = plan.words(app, &choices, Some(download))?;
        let job = check_job(&words, lang)?;
        let checked = checked(&job)?;
        rendered(&checked.report, job.target.format, lang, checked.provenance(&job))
    });
    match made {
        Ok(bytes) => attachment(download, &stem(plan.name()), bytes),
        Err(err) => app.page(StatusCode::UNPROCESSABLE_ENTITY, plan.name(), &pages::problem(lang, &format!("{err:#}"))),
    }
}

async fn file_page(State(app): State<Arc<App>>, UrlPath(name): UrlPath<String>, Query(params): Params) -> Response {
    blocking(move || {
        let lang = app.lang();
        let Some((name, path)) = folder::resolve_name(&app.job.root, &name) else {
            return app.page(StatusCode::NOT_FOUND, lang.pick("Finns inte", "Not found"), &pages::not_found(lang));
        };
        match app.kinds.of(&path) {
            Kind::Plan => plan_page(&app, &Plan::File { name }, &params),
            Kind::Agreement => Response::builder()
                .status(StatusCode::SEE_OTHER)
                .header(header::LOCATION, format!("/?agreement={}", encode(&name)))
                .body(Body::empty())
                .unwrap_or_else(|_| refuse(StatusCode::INTERNAL_SERVER_ERROR, "no answer")),
            kind @ (Kind::Outcome | Kind::Decisions | Kind::Published) => {
                year_file(&app, kind, &name, &params, None).unwrap_or_else(|| not_found_page(&app))
            }
            kind => {
                let given = as_given(&app.job.dir, &name);
                let command =
                    kind.command().map(|command| shown(command, &[OsString::from("--"), given.into_os_string()], lang));
                let decisions: Vec<String> = app
                    .listing(&params)
                    .entries
                    .into_iter()
                    .filter(|entry| entry.kind == Kind::Decisions)
                    .map(|entry| entry.name)
                    .collect();
                app.page(StatusCode::OK, &name, &pages::other(lang, &name, kind, command, &decisions))
            }
        }
    })
    .await
}

async fn download_file(State(app): State<Arc<App>>, UrlPath(name): UrlPath<String>, Query(params): Params) -> Response {
    blocking(move || {
        let Some((name, path)) = folder::resolve_name(&app.job.root, &name) else {
            return refuse(StatusCode::NOT_FOUND, "no such file in the folder");
        };
        match Some(app.kinds.of(&path)) {
            Some(Kind::Plan) => plan_download(&app, &Plan::File { name }, &params),
            Some(kind @ (Kind::Outcome | Kind::Decisions | Kind::Published)) => {
                let Some(download) = download_of(&params) else {
                    return refuse(StatusCode::BAD_REQUEST, "unknown download");
                };
                year_file(&app, kind, &name, &params, Some(download))
                    .unwrap_or_else(|| refuse(StatusCode::NOT_FOUND, "no such file in the folder"))
            }
            _ => refuse(StatusCode::NOT_FOUND, "no such file in the folder"),
        }
    })
    .await
}

/// The page (or a download) of an outcome, a decisions file or a published table of the folder.
fn year_file(
    app: &App,
    kind: Kind,
    name: &str,
    params: &HashMap<String, String>,
    download: Option<Download>,
) -> Option<Response> {
    let folder = year::Folder { dir: &app.job.dir, root: &app.job.root, entries: app.listing(params).entries };
    let asked = year::Asked::new(params);
    let source = year::Source {
        name,
        given: as_given(&app.job.dir, name).into_os_string(),
        path: format!("/file/{}", encode_path(name)),
        uploaded: false,
    };
    let answer = year::file_page(kind, &folder, &source, &asked, app.lang(), download)?;
    Some(answer_of(app, answer, download))
}

/// A year page's answer: the page, or the file asked for; what stopped it in the command
/// line's own words (422), never a server error.
fn answer_of(app: &App, answer: year::Answer, download: Option<Download>) -> Response {
    let lang = app.lang();
    let (spec, result, words) = answer;
    if let Some(download) = download {
        return match result {
            Ok(year::Made::File(bytes)) => attachment(download, &spec.stem, bytes),
            Ok(year::Made::Page(_)) => refuse(StatusCode::BAD_REQUEST, "unknown download"),
            Err(err) => {
                app.page(StatusCode::UNPROCESSABLE_ENTITY, &spec.title, &pages::problem(lang, &format!("{err:#}")))
            }
        };
    }
    let result = result.map(|made| match made {
        year::Made::Page(markup) => markup,
        year::Made::File(_) => maud::html! {},
    });
    let (ok, body) = year::body(&spec, lang, result, words);
    let status = if ok { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    app.page(status, &spec.title, &body)
}

#[derive(Clone, Copy)]
enum Region {
    Explain,
    Targets,
}

/// One region of the chosen agreement: `explain`, or its targets (`allocate --region --round`).
async fn one_region(State(app): State<Arc<App>>, Query(params): Params, page: Region, download: bool) -> Response {
    blocking(move || {
        let download = match download.then(|| download_of(&params)) {
            Some(None) => return refuse(StatusCode::BAD_REQUEST, "unknown download"),
            Some(download) => download,
            None => None,
        };
        let folder = year::Folder { dir: &app.job.dir, root: &app.job.root, entries: app.listing(&params).entries };
        let asked = year::Asked::new(&params);
        let answer = match page {
            Region::Explain => year::explain(&folder, &asked, app.lang(), download),
            Region::Targets => year::targets(&folder, &asked, app.lang(), download),
        };
        answer_of(&app, answer, download)
    })
    .await
}

/// Two versions of a plan of the folder compared (`diff`).
async fn diff_page(State(app): State<Arc<App>>, Query(params): Params, download: bool) -> Response {
    blocking(move || {
        let download = match download.then(|| download_of(&params)) {
            Some(None) => return refuse(StatusCode::BAD_REQUEST, "unknown download"),
            Some(download) => download,
            None => None,
        };
        let folder = year::Folder { dir: &app.job.dir, root: &app.job.root, entries: app.listing(&params).entries };
        let answer = year::diff(&folder, &year::Asked::new(&params), app.lang(), download);
        answer_of(&app, answer, download)
    })
    .await
}

fn find_upload(app: &App, id: &str) -> Option<Upload> {
    let uploads = app.uploads.lock().ok()?;
    uploads.iter().find(|upload| upload.id == id).cloned()
}

async fn upload_page(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>, Query(params): Params) -> Response {
    blocking(move || match find_upload(&app, &id) {
        Some(upload) => match upload.kind {
            Kind::Plan => held(&upload, || plan_page(&app, &Plan::Upload(upload.clone()), &sent_with(params, &upload))),
            Kind::Outcome | Kind::Decisions | Kind::Published => year_upload(&app, &upload, &params, None),
            kind => {
                let lang = app.lang();
                app.page(StatusCode::OK, &upload.name, &pages::other_upload(lang, &upload.name, kind))
            }
        },
        None => not_found_page(&app),
    })
    .await
}

/// The page (or a download) of an outcome, decisions or a published table sent to the page:
/// held in memory under the name it was sent with while its command reads it.
fn year_upload(app: &App, upload: &Upload, params: &HashMap<String, String>, download: Option<Download>) -> Response {
    let folder = year::Folder { dir: &app.job.dir, root: &app.job.root, entries: app.listing(params).entries };
    let asked = year::Asked::new(params);
    let source = year::Source {
        name: &upload.name,
        given: OsString::from(&upload.name),
        path: format!("/upload/{}", upload.id),
        uploaded: true,
    };
    held(upload, || match year::file_page(upload.kind, &folder, &source, &asked, app.lang(), download) {
        Some(answer) => answer_of(app, answer, download),
        None => not_found_page(app),
    })
}

/// `work` with the upload read wherever its name is: one path for every kind sent, by the same
/// readers and under the same limits as a file of the folder.
fn held<T>(upload: &Upload, work: impl FnOnce() -> T) -> T {
    crate::io::input::with_file_in_memory(std::path::Path::new(&upload.name), upload.bytes.clone(), work)
}

/// The region and unit sent with an upload, unless the address asks for others.
fn sent_with(mut params: HashMap<String, String>, upload: &Upload) -> HashMap<String, String> {
    for (key, value) in
        [("region", &upload.choices.region), ("unit", &upload.choices.unit), ("sheet", &upload.choices.sheet)]
    {
        if let Some(value) = value {
            params.entry(key.to_string()).or_insert_with(|| value.clone());
        }
    }
    params
}

/// The note under a list that was cut: how many files are not in it, and how to reach them.
fn left_out(lang: Lang, count: usize) -> Markup {
    let text = match lang {
        Lang::Sv => format!(
            "{count} filer till i mappen visas inte: listan visar de första {}. En fil som inte visas öppnas med sin \
             adress, /file/ och dess namn i mappen.",
            folder::MAX_FILES
        ),
        Lang::En => format!(
            "{count} files more in the folder are not listed: the list shows the first {}. A file not listed opens \
             at its address, /file/ and its name in the folder.",
            folder::MAX_FILES
        ),
    };
    maud::html! { p.note id="left-out" { (text) } }
}

fn not_found_page(app: &App) -> Response {
    let lang = app.lang();
    app.page(StatusCode::NOT_FOUND, lang.pick("Finns inte", "Not found"), &pages::not_found(lang))
}

async fn download_upload(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>, Query(params): Params) -> Response {
    blocking(move || match find_upload(&app, &id) {
        Some(upload) => match upload.kind {
            Kind::Plan => {
                held(&upload, || plan_download(&app, &Plan::Upload(upload.clone()), &sent_with(params, &upload)))
            }
            Kind::Outcome | Kind::Decisions | Kind::Published => match download_of(&params) {
                Some(download) => year_upload(&app, &upload, &params, Some(download)),
                None => refuse(StatusCode::BAD_REQUEST, "unknown download"),
            },
            _ => refuse(StatusCode::NOT_FOUND, "no download for this file"),
        },
        None => refuse(StatusCode::NOT_FOUND, "no such upload"),
    })
    .await
}

/// A plan sent with the page's form: kept in memory only, then shown at its own address.
async fn upload(State(app): State<Arc<App>>, mut multipart: Multipart) -> Response {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return refuse(err.status(), "the upload could not be read (larger than 4 MiB?)"),
        };
        let name = field.name().unwrap_or_default().to_string();
        let sent_name = field.file_name().map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(err) => return refuse(err.status(), "the upload could not be read (larger than 4 MiB?)"),
        };
        // The token is checked before anything sent with it is used.
        if name == "plan" {
            file = Some((upload_name(sent_name.as_deref().unwrap_or_default()), bytes.to_vec()));
        } else if ["token", "region", "unit", "sheet"].contains(&name.as_str()) && bytes.len() < 200 {
            fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    if !fields.get("token").is_some_and(|token| same_secret(token, &app.token)) {
        return refuse(StatusCode::FORBIDDEN, "the form's token is not this run's: reload the page and send it again");
    }
    let Some((name, bytes)) = file else { return refuse(StatusCode::BAD_REQUEST, "no file was sent") };
    if bytes.len() > UPLOAD_LIMIT {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "the file is larger than 4 MiB");
    }
    let text = |key: &str| fields.get(key).filter(|value| !value.trim().is_empty()).cloned();
    let id = random_hex();
    let bytes = Arc::new(bytes);
    let sent = (name.clone(), bytes.clone());
    // Recognised as a file of the folder is, by the same readers (a workbook is read whole).
    let sheet = text("sheet");
    let recognised = tokio::task::spawn_blocking(move || {
        let (name, bytes) = sent;
        let path = std::path::Path::new(&name);
        crate::io::input::with_file_in_memory(path, bytes.clone(), || {
            folder::recognise_sent(path, &bytes, sheet.as_deref())
        })
    })
    .await
    .unwrap_or_else(|_| Err(String::new()));
    // What is not recognised is refused, with what is: a guess would check it as the wrong thing.
    let kind = match recognised {
        Ok(kind) => kind,
        Err(reason) => {
            let lang = app.lang();
            let body = pages::unrecognised_upload(lang, &name, &reason);
            return app.page(StatusCode::UNPROCESSABLE_ENTITY, &name, &body);
        }
    };
    let upload = Upload {
        id: id.clone(),
        name,
        bytes,
        choices: PlanChoices { agreement: None, region: text("region"), unit: text("unit"), sheet: text("sheet") },
        kind,
    };
    if let Ok(mut uploads) = app.uploads.lock() {
        uploads.push_back(upload);
        while uploads.len() > UPLOADS_KEPT {
            uploads.pop_front();
        }
    }
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, format!("/upload/{id}"))
        .body(Body::empty())
        .unwrap_or_else(|_| refuse(StatusCode::INTERNAL_SERVER_ERROR, "no answer"))
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(given: &str, secret: &str) -> bool {
    given.len() == secret.len() && given.bytes().zip(secret.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// 128 random bits in hex: the system's random source, else std's randomly seeded hasher.
fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let from_system = std::fs::File::open("/dev/urandom").and_then(|mut file| file.read_exact(&mut bytes)).is_ok();
    if !from_system {
        let state = std::collections::hash_map::RandomState::new();
        for (at, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut hasher = state.build_hasher();
            hasher.write_usize(at);
            hasher.write_u128(std::time::SystemTime::now().elapsed().map_or(0, |d| d.as_nanos()));
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}
