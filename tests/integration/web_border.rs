//! `fordela web` at its border: what a folder's links, names and sizes, a request's headers
//! and a stalled client can and cannot make the server do. Every file here is SYNTHETIC,
//! written by the tests.

use crate::web::{EXAMPLES, Server};
use std::path::Path;

/// The synthetic per-capita agreement of `examples/`, naming `population` as its population.
fn agreement_naming(population: &str) -> String {
    let text = std::fs::read_to_string(Path::new(EXAMPLES).join("per-capita-synthetic.toml")).unwrap();
    text.replace("population = \"scb-county-population-31dec-2010-2020\"", &format!("population = \"{population}\""))
}

/// A synthetic population table whose one cell says `secret`.
const SECRET_POPULATION: &str = "code,region,date,population\n01,Stockholms län,2019-12-31,lösenord=Hunter2\n";

#[cfg(unix)]
#[test]
fn a_linked_agreement_cannot_name_a_population_outside_the_folder() {
    // outer/pop.csv is outside the folder served (outer/served); the agreement is reached by
    // a link served/agr.toml -> sub/real.toml, and names `../pop.csv`: from the link's folder
    // that is outer/pop.csv, which is what the loader would open.
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("served");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(outer.path().join("pop.csv"), SECRET_POPULATION).unwrap();
    std::fs::write(dir.join("pop.csv"), SECRET_POPULATION.replace("lösenord=Hunter2", "5")).unwrap();
    std::fs::write(dir.join("sub/real.toml"), agreement_naming("../pop.csv")).unwrap();
    std::os::unix::fs::symlink("sub/real.toml", dir.join("agr.toml")).unwrap();
    std::fs::copy(Path::new(EXAMPLES).join("jamtland-harjedalen-2019.csv"), dir.join("plan.csv")).unwrap();
    let server = Server::start(&dir);
    for path in [
        "/?agreement=agr.toml",
        "/download/allocate?as=csv&agreement=agr.toml",
        "/explain?region=01&agreement=agr.toml",
        "/targets?region=01&round=0.1mkr&agreement=agr.toml",
        "/file/plan.csv?agreement=agr.toml&region=23",
    ] {
        let answer = server.get(path);
        let text = answer.text();
        assert!(!text.contains("Hunter2") && !text.contains("lösenord"), "{path} read the file outside: {text}");
        assert!(text.contains("not a file of the folder"), "{path} says why: {text}");
    }
}

#[test]
fn two_host_headers_or_an_address_in_the_request_line_are_refused() {
    let server = Server::start(Path::new(EXAMPLES));
    let host = server.host();
    let two = format!("GET / HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(server.raw(two.as_bytes()).status, 400, "two Host headers");
    let absolute = format!("GET http://evil.example/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let answer = server.raw(absolute.as_bytes());
    assert_eq!(answer.status, 400, "an address in the request line");
    assert!(!answer.text().contains("30 640 080"), "no figure");
    let own = format!("GET http://{host}/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    assert_eq!(server.raw(own.as_bytes()).status, 400, "even this server's own address: a browser sends a path");
    assert_eq!(server.get("/").status, 200, "one Host and a path");
}

#[test]
fn a_file_rewritten_with_its_old_size_and_time_of_change_is_recognised_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.csv");
    // Same length: a plan's header, then a header of nothing fordela reads.
    std::fs::write(&path, "Område;Insats;Belopp\nx;y;1\n").unwrap();
    let server = Server::start(dir.path());
    assert!(server.get("/").text().contains("<td>plan</td>"), "recognised as a plan");
    // Rewritten and its time of change set back, as `cp -p`, `rsync -t` or an unzip do: the
    // kind remembered must not outlive the content (the inode's own time of change moved).
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, "Qmråde;Qnsats;Qelopp\nx;y;1\n").unwrap();
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
    let page = server.get("/").text();
    assert!(!page.contains("<td>plan</td>") && page.contains("<td>okänt innehåll</td>"), "read again: {page}");
    // Back to a plan, at a new time of change: read again at the next load.
    std::fs::write(&path, "Område;Insats;Belopp\nx;y;1\n").unwrap();
    assert!(server.get("/").text().contains("<td>plan</td>"), "read again");
}

#[test]
fn a_cut_list_is_the_first_files_by_name_says_so_and_a_file_left_off_can_be_named() {
    let dir = tempfile::tempdir().unwrap();
    // More than twice the 500 listed, made in name order: a folder that gives its entries
    // newest first would have left the first names out.
    for at in 0..1100 {
        std::fs::write(dir.path().join(format!("f{at:04}.csv")), "a;b\n").unwrap();
    }
    std::fs::write(dir.path().join("zz-agreement.toml"), agreement_naming("scb-county-population-31dec-2010-2020"))
        .unwrap();
    let server = Server::start(dir.path());
    let page = server.get("/").text();
    assert!(page.contains("href=\"/file/f0000.csv\"") && page.contains("href=\"/file/f0499.csv\""), "the first 500");
    assert!(!page.contains("href=\"/file/f0500.csv\"") && !page.contains("zz-agreement"), "no more");
    assert!(page.contains("601 filer till i mappen visas inte"), "the cut is said: {page}");
    let chosen = server.get("/?agreement=zz-agreement.toml");
    assert_eq!(chosen.status, 200, "{}", chosen.text());
    // 12,50 kr × 10 327 589 inhabitants + 1 000 000 kr: the synthetic agreement's own total.
    assert!(chosen.text().contains("130 094 862"), "{}", chosen.text());
    assert_eq!(server.get("/?agreement=f0700.csv").status, 422, "named, but not an agreement");
}

#[cfg(unix)]
#[test]
fn links_back_into_the_folder_list_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::copy(Path::new(EXAMPLES).join("jamtland-harjedalen-2019.csv"), root.join("plan.csv")).unwrap();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::os::unix::fs::symlink(".", root.join("self")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("abs-self")).unwrap();
    std::os::unix::fs::symlink("..", root.join("sub/up")).unwrap();
    let server = Server::start(&root);
    let page = server.get("/").text();
    assert_eq!(page.matches("href=\"/file/").count(), 1, "plan.csv once: {page}");
    assert!(page.contains("href=\"/file/plan.csv\""));
}

#[test]
fn a_name_typed_composed_opens_the_file_stored_decomposed() {
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read(Path::new(EXAMPLES).join("jamtland-harjedalen-2019.csv")).unwrap();
    // `Ö` as `O` and a combining diaeresis (U+0308), as macOS stores it.
    std::fs::write(dir.path().join("O\u{308}stersund.csv"), &plan).unwrap();
    let server = Server::start(dir.path());
    let answer = server.get("/file/%C3%96stersund.csv?region=23&unit=mkr");
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer.text().contains("id=\"verdict\""), "checked as a plan: {}", answer.text());
    let download = server.get("/download/file/%C3%96stersund.csv?as=csv&region=23&unit=mkr");
    assert_eq!(download.status, 200, "{}", download.text());
    // Two files that are the same name by the rule: neither is chosen.
    std::fs::write(dir.path().join("o\u{308}rnsköldsvik.csv"), &plan).unwrap();
    std::fs::write(dir.path().join("\u{d6}rnsköldsvik.csv"), &plan).unwrap();
    assert_eq!(server.get("/file/%C3%B6rnsk%C3%B6ldsvik.csv").status, 404, "two files match");
}

#[test]
fn a_file_of_exactly_the_upload_limit_is_accepted_and_one_byte_more_is_refused_in_the_pages_language() {
    let server = Server::start(Path::new(EXAMPLES));
    let token = server.token();
    let origin = format!("http://{}", server.host());
    let limit = 4 * 1024 * 1024;
    let exact = vec![b'x'; limit];
    let answer =
        server.post_form(&[("token", None, token.as_bytes()), ("plan", Some("big.csv"), &exact)], Some(&origin));
    // Taken and read: refused for what it holds (no column fordela knows), not for its size.
    assert_eq!(answer.status, 422, "4 MiB is allowed: {}", answer.text());
    assert!(answer.text().contains("id=\"unrecognised\""), "read as a file: {}", answer.text());
    let over = vec![b'x'; limit + 1];
    let answer =
        server.post_form(&[("token", None, token.as_bytes()), ("plan", Some("big.csv"), &over)], Some(&origin));
    assert_eq!(answer.status, 413);
    assert!(answer.header("content-type").is_some_and(|kind| kind.starts_with("text/html")), "a page");
    assert!(answer.text().contains("lang=\"sv\"") && answer.text().contains("4 MiB"), "{}", answer.text());
    let far_over = vec![b'x'; 5 * limit / 4];
    let answer =
        server.post_form(&[("token", None, token.as_bytes()), ("plan", Some("big.csv"), &far_over)], Some(&origin));
    assert_eq!(answer.status, 413);
    assert!(answer.text().contains("lang=\"sv\""), "{}", answer.text());
}

/// `fordela web` of `dir` as a child of the test, and its port.
#[cfg(unix)]
fn spawned(dir: &Path) -> (std::process::Child, u16) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fordela"))
        .args(["--lang", "sv", "web", "--no-open"])
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port = line.trim().trim_start_matches("http://127.0.0.1:").trim_end_matches('/').parse().unwrap();
    (child, port)
}

#[cfg(unix)]
fn interrupt(child: &std::process::Child) {
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

/// How long the child takes to end, up to `limit` (then it is killed, and `None`).
#[cfg(unix)]
fn ended_within(child: &mut std::process::Child, limit: std::time::Duration) -> Option<std::time::Duration> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(start.elapsed());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// A connection that has sent half a request's head.
#[cfg(unix)]
fn half_request(port: u16) -> std::net::TcpStream {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Half: ").as_bytes()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    stream
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_while_a_request_is_half_sent() {
    let (mut child, port) = spawned(Path::new(EXAMPLES));
    let _held = half_request(port);
    interrupt(&child);
    // Open connections are given a short while (3 s) to finish, then the server ends.
    let took = ended_within(&mut child, std::time::Duration::from_secs(10));
    assert!(took.is_some(), "still running 10 s after Ctrl-C");
}

#[cfg(unix)]
#[test]
fn a_second_ctrl_c_stops_the_server_at_once() {
    let (mut child, port) = spawned(Path::new(EXAMPLES));
    let _held = half_request(port);
    interrupt(&child);
    std::thread::sleep(std::time::Duration::from_millis(300));
    interrupt(&child);
    let took = ended_within(&mut child, std::time::Duration::from_secs(10));
    assert!(took.is_some_and(|took| took < std::time::Duration::from_secs(2)), "{took:?} after the second Ctrl-C");
}

#[test]
fn an_upload_named_as_a_folders_file_says_its_command_reads_the_upload() {
    // The folder holds a plan and an outcome; the same names are sent as uploads. The command
    // line shown beside an upload's result names that file, which in the folder is another
    // file: the page says the upload was read, and the folder's pages do not.
    let dir = crate::web::jamtland_folder();
    let root = crate::web::canonical(&dir);
    let server = Server::start_in(&root);
    let token = server.token();
    let origin = format!("http://{}", server.host());
    for name in ["jamtland-harjedalen-2019.toml", "jamtland-harjedalen-2019-utfall.csv"] {
        let bytes = std::fs::read(Path::new(EXAMPLES).join(name)).unwrap();
        let sent = server.post_form(&[("token", None, token.as_bytes()), ("plan", Some(name), &bytes)], Some(&origin));
        assert_eq!(sent.status, 303, "{name}");
        let upload = server.get(sent.header("location").unwrap()).text();
        let said = upload.find("id=\"uploaded-command\"").unwrap_or_else(|| panic!("{name}: {upload}"));
        let line = &upload[said..said + upload[said..].find("</p>").unwrap()];
        assert!(line.contains("Den uppladdade filen lästes, inte en fil i mappen"), "{line}");
        assert!(line.contains(name), "{line}");
        let folders = server.get(&format!("/file/{name}")).text();
        assert!(folders.contains("Samma fil som: ") && !folders.contains("uploaded-command"), "{folders}");
    }
}
