//! `fordela web`: the grant year in a browser. The pages are one more rendering of the same
//! results: each command's own flags, job, computation and renderers, the downloads the very
//! bytes the command line writes.

pub mod folder;
pub mod job;
pub mod pages;
pub mod results;
pub mod server;
pub mod year;

use crate::commands::web::job::WebJob;
use crate::commands::web::server::{App, router};
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

pub fn run(job: &WebJob) -> anyhow::Result<ExitCode> {
    // Loopback only: the pages show a region's figures, and nobody else's machine should see them.
    let listener = std::net::TcpListener::bind(("127.0.0.1", job.port)).map_err(|err| {
        if err.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!("port {} is in use: pass another --port, or none for a free one", job.port)
        } else {
            anyhow::anyhow!("cannot listen on 127.0.0.1:{}: {err}", job.port)
        }
    })?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    let address = format!("http://127.0.0.1:{port}/");
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{address}")?;
        out.flush()?;
    }
    eprintln!("fordela: serving {} at {address}; Ctrl-C stops", job.dir.display());
    if job.open {
        open_browser(&address);
    }
    let app = Arc::new(App::new(job.clone(), port));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting the server")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })?;
    eprintln!("fordela: stopped");
    Ok(ExitCode::SUCCESS)
}

/// The system's browser at `address`; one that does not open is a note, not an error.
fn open_browser(address: &str) {
    let opener = if cfg!(target_os = "macos") {
        ("open", vec![address])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", address])
    } else {
        ("xdg-open", vec![address])
    };
    let started = std::process::Command::new(opener.0)
        .args(&opener.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match started {
        // Waited for on a thread of its own, so that it leaves no zombie behind.
        Ok(mut child) => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|status| status.success()) {
                    eprintln!("fordela: note: the browser did not open; open the address above yourself");
                }
            });
        }
        Err(_) => {
            eprintln!("fordela: note: no browser could be opened ({} not found); open the address above", opener.0);
        }
    }
}
