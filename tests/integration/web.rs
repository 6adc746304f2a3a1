//! `fordela web` spoken to over HTTP: the real binary on a free port of 127.0.0.1, each
//! request written by hand on a `TcpStream`, so that every header (Host, Origin) is the
//! test's own.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub(crate) const EPOCH: &str = "1700000000";

/// `fordela` run in `dir` as the command line runs it, at the same moment as the server's.
pub(crate) fn cli(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_fordela"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stderr(Stdio::null())
        .output()
        .unwrap();
    out.stdout
}

pub(crate) const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

/// A server of `dir`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
}

impl Server {
    pub(crate) fn start(dir: &Path) -> Server {
        Server::spawn(&mut Command::new(env!("CARGO_BIN_EXE_fordela")), Some(dir))
    }

    /// A server of the folder it runs in (`fordela web` with no folder), which names its
    /// files as the command line run there does: by their bare names.
    pub(crate) fn start_in(dir: &Path) -> Server {
        Server::spawn(Command::new(env!("CARGO_BIN_EXE_fordela")).current_dir(dir), None)
    }

    fn spawn(command: &mut Command, dir: Option<&Path>) -> Server {
        command.args(["--lang", "sv", "web", "--no-open"]);
        if let Some(dir) = dir {
            command.arg(dir);
        }
        let mut child = command
            // A workbook says when it was made, to the second: the same moment for the page's
            // and the command line's, so that their bytes can be compared.
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("fordela web starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("the address on stdout: {line:?}"));
        Server { child, port }
    }

    pub(crate) fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A raw request, `{host}` standing for this server's Host.
    pub(crate) fn raw(&self, request: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.write_all(request).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        Answer::parse(&bytes)
    }

    pub(crate) fn get_with_host(&self, path: &str, host: &str) -> Answer {
        self.raw(format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
    }

    pub(crate) fn get(&self, path: &str) -> Answer {
        self.get_with_host(path, &self.host())
    }

    /// A form sent as a browser sends it, with `origin` (none when `None`).
    pub(crate) fn post_form(&self, parts: &[(&str, Option<&str>, &[u8])], origin: Option<&str>) -> Answer {
        let boundary = "fordelaTestBoundary7MA4YWxk";
        let mut body: Vec<u8> = Vec::new();
        for (name, file_name, value) in parts {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
            if let Some(file_name) = file_name {
                body.extend(format!("; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream").as_bytes());
            }
            body.extend(b"\r\n\r\n");
            body.extend(*value);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        let origin = origin.map_or(String::new(), |origin| format!("Origin: {origin}\r\n"));
        let mut request = format!(
            "POST /upload HTTP/1.1\r\nHost: {}\r\n{origin}Content-Type: multipart/form-data; boundary={boundary}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.host(),
            body.len()
        )
        .into_bytes();
        request.extend(body);
        self.raw(&request)
    }

    /// The run's token, read from the first page's form.
    pub(crate) fn token(&self) -> String {
        let page = self.get("/").text();
        let at = page.find("name=\"token\" value=\"").expect("the form has a token") + 20;
        page[at..at + 32].to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) struct Answer {
    pub(crate) status: u16,
    head: String,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    fn parse(bytes: &[u8]) -> Answer {
        let split = bytes.windows(4).position(|window| window == b"\r\n\r\n").expect("a head");
        let head = String::from_utf8_lossy(&bytes[..split]).to_lowercase();
        let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
        let mut body = bytes[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = unchunk(&body);
        }
        Answer { status, head, body }
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| line.strip_prefix(&format!("{name}: ")))
    }
}

fn unchunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = bytes.windows(2).position(|window| window == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&bytes[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend(&bytes[end + 2..end + 2 + size]);
        bytes = &bytes[end + 4 + size..];
    }
}

/// A folder as the issue has it: Jämtland's plan as CSV and TOML, and its outcome; no agreement.
pub(crate) fn jamtland_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["jamtland-harjedalen-2019.csv", "jamtland-harjedalen-2019.toml", "jamtland-harjedalen-2019-utfall.csv"]
    {
        std::fs::copy(Path::new(EXAMPLES).join(name), dir.path().join(name)).unwrap();
    }
    dir
}

pub(crate) fn canonical(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().canonicalize().unwrap()
}

#[test]
fn the_first_page_shows_the_bundled_split_and_links_every_file() {
    let dir = jamtland_folder();
    let server = Server::start(dir.path());
    let page = server.get("/");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("30 640 080"), "Jämtland's amount, Swedish style");
    assert!(text.contains("<svg class=\"chart\""), "an inline chart");
    for name in ["jamtland-harjedalen-2019.csv", "jamtland-harjedalen-2019.toml", "jamtland-harjedalen-2019-utfall.csv"]
    {
        assert!(text.contains(&format!("<a href=\"/file/{name}\">")), "a link to {name}");
    }
    assert!(text.contains("<td>utfall</td>") && text.contains("<td>plan</td>"), "files are named by what they hold");
    for attribute in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "url("] {
        assert!(!text.contains(attribute), "nothing from elsewhere: {attribute}");
    }
    // The plan's page is its check: the verdict and the figures of `fordela check`.
    let plan = server.get("/file/jamtland-harjedalen-2019.toml").text();
    assert!(plan.contains("id=\"verdict\">varning<"), "{plan}");
    assert!(plan.contains("30,640080") && plan.contains("30,6"), "the total's figures");
    assert!(plan.contains("allocation-under"), "a finding beside its row");
    // A CSV plan that does not say its region and unit is asked for them (the next test).
    let csv = server.get("/file/jamtland-harjedalen-2019.csv?region=23&unit=mkr");
    assert_eq!(csv.status, 200);
    assert!(csv.text().contains("id=\"verdict\""));
}

#[test]
fn a_plan_that_does_not_say_its_region_and_unit_is_asked_for_them_and_a_bad_one_is_refused() {
    let dir = jamtland_folder();
    let server = Server::start(dir.path());
    // The CSV plan states neither (its header is `Område;Insats;Belopp`, no unit, no region).
    let page = server.get("/file/jamtland-harjedalen-2019.csv");
    assert_eq!(page.status, 200, "a question, not a failure: {}", page.text());
    let text = page.text();
    assert!(!text.contains("Kunde inte beräknas"), "{text}");
    let question = &text[text.find("id=\"question\"").expect("the question")..];
    assert!(question.contains("<h1>Välj region och enhet</h1>"), "{question}");
    assert!(question.contains("TOML-plan"), "why: the CSV does not say them, a TOML plan does");
    // The form first: the region's and the unit's selects before anything else, nothing chosen.
    let form = &question[question.find("<form").unwrap()..question.find("</form>").unwrap()];
    let (region, unit, agreement) = (
        form.find("name=\"region\"").unwrap(),
        form.find("name=\"unit\"").unwrap(),
        form.find("name=\"agreement\"").unwrap(),
    );
    assert!(region < unit && unit < agreement, "{form}");
    assert_eq!(form.matches(" selected").count(), 3, "only the blank choices: nothing guessed: {form}");
    assert_eq!(text.matches("name=\"region\"").count(), 1, "the form once, in the question: {text}");
    // Given the region only, the unit is what is left to ask.
    let page = server.get("/file/jamtland-harjedalen-2019.csv?region=23");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<h1>Välj enhet</h1>"), "{}", page.text());
    // A unit that contradicts the TOML plan's is bad input: the command line's words, 422.
    let page = server.get("/file/jamtland-harjedalen-2019.toml?unit=tkr");
    assert_eq!(page.status, 422);
    assert!(page.text().contains("but --unit says tkr") && !page.text().contains("id=\"question\""));
}

#[test]
fn every_answer_carries_a_strict_content_security_policy() {
    let server = Server::start(Path::new(EXAMPLES));
    for path in ["/", "/file/jamtland-harjedalen-2019.toml", "/static/style.css", "/nothing"] {
        let answer = server.get(path);
        let policy = answer.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(policy.starts_with("default-src 'none'"), "{path}: {policy}");
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    }
    // Refusals carry it too.
    let refused = server.get_with_host("/", "evil.example");
    assert!(refused.header("content-security-policy").is_some());
}

#[test]
fn it_listens_on_loopback_only() {
    let server = Server::start(Path::new(EXAMPLES));
    // The machine's own address towards the outside (no packet is sent by a UDP connect).
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    if socket.connect("192.0.2.1:9").is_ok() {
        let own = socket.local_addr().unwrap().ip();
        if !own.is_loopback() && !own.is_unspecified() {
            let timeout = std::time::Duration::from_secs(2);
            let reached = TcpStream::connect_timeout(&(own, server.port).into(), timeout);
            assert!(reached.is_err(), "reachable at {own}");
        }
    }
    assert!(TcpStream::connect(("::1", server.port)).is_err(), "not on IPv6 loopback either");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_foreign_host_is_refused() {
    let server = Server::start(Path::new(EXAMPLES));
    assert_eq!(server.get_with_host("/", &format!("localhost:{}", server.port)).status, 200);
    assert_eq!(server.get_with_host("/", &format!("LOCALHOST:{}", server.port)).status, 200);
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{}", server.port),
        format!("127.0.0.1:{}", server.port.wrapping_add(1)),
        "127.0.0.1".to_string(),
        format!("127.0.0.1.evil.example:{}", server.port),
    ] {
        let answer = server.get_with_host("/", &host);
        assert_eq!(answer.status, 403, "{host}");
        assert!(!answer.text().contains("30 640 080"), "no figure for {host}");
    }
    // No Host at all: HTTP/1.0 without one.
    let answer = server.raw(b"GET / HTTP/1.0\r\n\r\n");
    assert!(answer.status == 403 || answer.status == 400, "{}", answer.status);
}

#[test]
fn nothing_outside_the_folder_is_served_or_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(Path::new(EXAMPLES).join("jamtland-harjedalen-2019.toml"), outside.path().join("secret.toml"))
        .unwrap();
    let dir = jamtland_folder();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path().join("secret.toml"), dir.path().join("link.toml")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("linked-folder")).unwrap();
    }
    let server = Server::start(dir.path());
    let listing = server.get("/").text();
    assert!(!listing.contains("link.toml") && !listing.contains("secret"), "links out are not listed");
    let secret = outside.path().join("secret.toml").display().to_string();
    for path in [
        "/file/../jamtland-harjedalen-2019.toml".to_string(),
        "/file/..%2fjamtland-harjedalen-2019.toml".to_string(),
        "/file/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/file/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd".to_string(),
        "/file//etc/passwd".to_string(),
        "/file/%2Fetc%2Fpasswd".to_string(),
        format!("/file/{secret}"),
        "/file/link.toml".to_string(),
        "/file/linked-folder/secret.toml".to_string(),
        "/download/file/link.toml?as=xlsx".to_string(),
        "/download/file/..%2f..%2fetc%2fpasswd?as=csv".to_string(),
        "/../../etc/passwd".to_string(),
        "/static/../../Cargo.toml".to_string(),
    ] {
        let answer = server.get(&path);
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.text().contains("Jämtland Härjedalen ("), "{path} read the plan");
    }
    // An agreement is chosen from the folder's and the bundled ones, never by a path.
    for agreement in [secret.as_str(), "/etc/passwd", "../x.toml"] {
        let answer = server.get(&format!("/?agreement={agreement}"));
        assert_eq!(answer.status, 422, "{agreement}");
        assert!(answer.text().contains("no agreement"), "{agreement}");
        let answer = server.get(&format!("/download/allocate?as=csv&agreement={agreement}"));
        assert_eq!(answer.status, 422, "{agreement}");
    }
}

#[test]
fn an_upload_needs_the_runs_token_and_this_pages_origin() {
    let server = Server::start(Path::new(EXAMPLES));
    let token = server.token();
    let plan = std::fs::read(Path::new(EXAMPLES).join("jamtland-harjedalen-2019.toml")).unwrap();
    let origin = format!("http://{}", server.host());
    let with = |token: &str| -> Vec<(&str, Option<&str>, Vec<u8>)> {
        vec![("token", None, token.as_bytes().to_vec()), ("plan", Some("plan.toml"), plan.clone())]
    };
    let send = |parts: &[(&str, Option<&str>, Vec<u8>)], origin: Option<&str>| {
        let parts: Vec<(&str, Option<&str>, &[u8])> =
            parts.iter().map(|(name, file, value)| (*name, *file, value.as_slice())).collect();
        server.post_form(&parts, origin)
    };
    assert_eq!(send(&with(&token), Some("http://evil.example")).status, 403, "a foreign page");
    assert_eq!(send(&with(&token), None).status, 403, "no Origin");
    assert_eq!(send(&with(&"0".repeat(32)), Some(&origin)).status, 403, "another token");
    assert_eq!(send(&with(""), Some(&origin)).status, 403, "no token");
    let accepted = send(&with(&token), Some(&origin));
    assert_eq!(accepted.status, 303);
    let location = accepted.header("location").expect("the upload's page").to_string();
    let page = server.get(&location);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("id=\"verdict\">varning<"), "{}", page.text());
    // A GET changes nothing: the upload route answers only POST.
    assert_eq!(server.get("/upload").status, 405);
}

#[test]
fn an_upload_is_limited_in_size() {
    let server = Server::start(Path::new(EXAMPLES));
    let token = server.token();
    let origin = format!("http://{}", server.host());
    let large = vec![b'x'; 5 * 1024 * 1024];
    let answer =
        server.post_form(&[("token", None, token.as_bytes()), ("plan", Some("big.csv"), &large)], Some(&origin));
    assert_eq!(answer.status, 413);
}

#[test]
fn downloads_are_the_bytes_the_command_line_writes() {
    let dir = jamtland_folder();
    let root = canonical(&dir);
    let server = Server::start(&root);
    let plan = root.join("jamtland-harjedalen-2019.toml");
    let plan = plan.to_str().unwrap();
    for (download, flags) in [("xlsx", &["-o", "x.xlsx"][..]), ("excel", &["--excel"]), ("csv", &["--format", "csv"])] {
        let answer = server.get(&format!("/download/file/jamtland-harjedalen-2019.toml?as={download}"));
        assert_eq!(answer.status, 200, "{download}");
        let out = tempfile::tempdir().unwrap();
        let printed = cli(out.path(), &[&["--lang", "sv", "check"], flags, &["--", plan]].concat());
        let written = if download == "xlsx" { std::fs::read(out.path().join("x.xlsx")).unwrap() } else { printed };
        assert!(answer.body == written, "{download}: the page's file differs from the command line's");
    }
    let answer = server.get("/download/allocate?as=xlsx");
    assert_eq!(answer.header("content-disposition"), Some("attachment; filename=\"fordelning.xlsx\""));
    let out = tempfile::tempdir().unwrap();
    cli(out.path(), &["--lang", "sv", "allocate", "-o", "f.xlsx"]);
    assert!(answer.body == std::fs::read(out.path().join("f.xlsx")).unwrap(), "the split's workbook");
}

#[test]
fn an_uploaded_workbook_is_checked_in_memory_and_downloads_as_the_command_lines() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let token = server.token();
    let origin = format!("http://{}", server.host());
    let ods = std::fs::read(crate::common::data("jamtland-plan-libreoffice.ods")).unwrap();
    let answer = server.post_form(
        &[
            ("token", None, token.as_bytes()),
            ("region", None, b"23"),
            ("unit", None, b"mkr"),
            ("plan", Some("C:\\Users\\a\\jamtland-plan-libreoffice.ods"), &ods),
        ],
        Some(&origin),
    );
    assert_eq!(answer.status, 303);
    let location = answer.header("location").unwrap().to_string();
    let page = server.get(&location).text();
    assert!(page.contains("id=\"verdict\""), "{page}");
    assert!(page.contains("jamtland-plan-libreoffice.ods"), "named as sent, without its folders");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written into the folder");
    let id = location.rsplit('/').next().unwrap();
    let workbook = server.get(&format!("/download/upload/{id}?as=xlsx"));
    assert_eq!(workbook.status, 200);
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("jamtland-plan-libreoffice.ods"), &ods).unwrap();
    let args =
        ["--lang", "sv", "check", "--region=23", "--unit=mkr", "-o", "x.xlsx", "--", "jamtland-plan-libreoffice.ods"];
    cli(out.path(), &args);
    assert!(workbook.body == std::fs::read(out.path().join("x.xlsx")).unwrap(), "the upload's workbook");
}

#[test]
fn an_unrecognised_upload_is_refused_with_what_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let token = server.token();
    let origin = format!("http://{}", server.host());
    let send = |name: &str, bytes: &[u8]| {
        server.post_form(&[("token", None, token.as_bytes()), ("plan", Some(name), bytes)], Some(&origin))
    };
    // A table whose header names none of the columns fordela reads: refused, not checked as a plan.
    let answer = send("notes.csv", "färg;vikt\nröd;3\n".as_bytes());
    assert_eq!(answer.status, 422, "{}", answer.text());
    let text = answer.text();
    assert!(text.contains("Känns inte igen") && text.contains("`färg;vikt`"), "{text}");
    assert!(
        text.contains("en plan (kolumnerna insats och belopp") && text.contains("ett utfall"),
        "what is read: {text}"
    );
    assert!(!text.contains("id=\"verdict\""), "no check of it: {text}");
    // A TOML document of other keys, and a workbook that cannot be read: each said why.
    let answer = send("config.toml", b"[server]\nport = 80\n");
    assert_eq!(answer.status, 422);
    assert!(answer.text().contains("a TOML file that is no agreement"), "{}", answer.text());
    let answer = send("broken.xlsx", b"PK\x03\x04 not a zip");
    assert_eq!(answer.status, 422);
    assert!(answer.text().contains("broken.xlsx"), "{}", answer.text());
    // A CSV plan sent without its region and unit is a plan, and asked for them.
    let plan = std::fs::read(Path::new(EXAMPLES).join("jamtland-harjedalen-2019.csv")).unwrap();
    let answer = send("jamtland-harjedalen-2019.csv", &plan);
    assert_eq!(answer.status, 303);
    let page = server.get(answer.header("location").unwrap());
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<h1>Välj region och enhet</h1>"), "{}", page.text());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written into the folder");
}

#[test]
fn a_bidi_control_in_an_input_text_is_shown_as_its_code_point_as_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let token = server.token();
    let origin = format!("http://{}", server.host());
    let plan = std::fs::read(Path::new(EXAMPLES).join("jamtland-harjedalen-2019.toml")).unwrap();
    // U+202E RIGHT-TO-LEFT OVERRIDE in the name a plan is sent with: shown, it would reverse what follows.
    let name = "plan\u{202e}lmot.toml";
    let answer = server.post_form(&[("token", None, token.as_bytes()), ("plan", Some(name), &plan)], Some(&origin));
    assert_eq!(answer.status, 303);
    let page = server.get(answer.header("location").unwrap());
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(!text.contains('\u{202e}'), "no control reaches the page, its title included");
    assert!(text.contains("<bdi>plan[U+202E]lmot.toml</bdi>"), "{text}");
}

#[test]
fn concurrent_requests_are_each_answered_in_full() {
    let server = Server::start(Path::new(EXAMPLES));
    let first = server.get("/").body;
    let plan = server.get("/file/jamtland-harjedalen-2019.toml").body;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..12)
            .map(|at| {
                let server = &server;
                scope.spawn(move || {
                    if at % 2 == 0 {
                        server.get("/").body
                    } else {
                        server.get("/file/jamtland-harjedalen-2019.toml").body
                    }
                })
            })
            .collect();
        for (at, handle) in handles.into_iter().enumerate() {
            let body = handle.join().unwrap();
            assert!(body == if at % 2 == 0 { first.clone() } else { plan.clone() }, "request {at}");
        }
    });
}

#[test]
fn a_file_changed_on_disk_shows_at_the_next_load() {
    let dir = jamtland_folder();
    let server = Server::start(dir.path());
    let path = dir.path().join("jamtland-harjedalen-2019.toml");
    assert!(server.get("/file/jamtland-harjedalen-2019.toml").text().contains("id=\"verdict\">varning<"));
    let text = std::fs::read_to_string(&path).unwrap().replace("amount = 19\n", "amount = 25\n");
    std::fs::write(&path, text).unwrap();
    assert!(server.get("/file/jamtland-harjedalen-2019.toml").text().contains("id=\"verdict\">fel<"));
}
