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
use std::future::IntoFuture;
use std::io::Write;
use std::pin::{Pin, pin};
use std::process::ExitCode;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

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
        let (stop, stopping) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(listener, router(app)).with_graceful_shutdown(async {
            let _ = stopping.await;
        });
        let mut server = pin!(server.into_future());
        if let Some(ended) = first_of(server.as_mut(), tokio::signal::ctrl_c()).await {
            return ended;
        }
        // The first Ctrl-C: no new connection; the open ones have `GRACE` to finish (a
        // client that sent half a request and waits would otherwise hold the server for
        // ever), and a second Ctrl-C ends at once.
        let _ = stop.send(());
        eprintln!("fordela: stopping; Ctrl-C again stops at once");
        let stopped_or_grace = pin!(first_of(server.as_mut(), tokio::time::sleep(GRACE)));
        match first_of(stopped_or_grace, tokio::signal::ctrl_c()).await {
            Some(Some(ended)) => ended,
            _ => Ok(()),
        }
    })?;
    // Work still under way (a page being computed) is not waited for.
    runtime.shutdown_background();
    eprintln!("fordela: stopped");
    Ok(ExitCode::SUCCESS)
}

/// How long open connections have to finish after the first Ctrl-C.
const GRACE: Duration = Duration::from_secs(3);

/// `main`'s output if it ends first, `None` if `other` does. (`tokio::select!` without
/// tokio's macros.)
async fn first_of<T>(mut main: Pin<&mut impl Future<Output = T>>, other: impl Future) -> Option<T> {
    let mut other = pin!(other);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(ended) = main.as_mut().poll(cx) {
            return Poll::Ready(Some(ended));
        }
        other.as_mut().poll(cx).map(|_| None)
    })
    .await
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
