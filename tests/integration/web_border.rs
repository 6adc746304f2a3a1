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
        "/targets?region=01&agreement=agr.toml",
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
