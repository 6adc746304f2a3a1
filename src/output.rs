//! Where output goes: stdout (a closed pipe is a quiet success) or a file written atomically
//! (temp file in the same directory, then rename), never over one of the inputs.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Writes with `render` to `target` (stdout when `None` or `-`).
pub fn emit(
    target: Option<&Path>,
    inputs: &[PathBuf],
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    match target {
        None => to_stdout(render),
        Some(path) if path.as_os_str() == "-" => to_stdout(render),
        Some(path) => to_file(path, inputs, render),
    }
}

fn to_stdout(render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = render(&mut out).and_then(|()| out.flush());
    match result {
        Err(err) if is_broken_pipe(&err) => Ok(()),
        other => other.context("writing to standard output"),
    }
}

/// A reader that went away (`fordela … | head`); the csv writer hides it inside its own error.
fn is_broken_pipe(err: &io::Error) -> bool {
    if err.kind() == io::ErrorKind::BrokenPipe {
        return true;
    }
    match err.get_ref().and_then(|inner| inner.downcast_ref::<csv::Error>()) {
        Some(csv_error) => {
            matches!(csv_error.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
        }
        None => false,
    }
}

fn to_file(
    path: &Path,
    inputs: &[PathBuf],
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    let shown = path.display();
    if path.is_dir() {
        bail!("cannot write {shown}: it is a directory");
    }
    let target = comparable(path);
    if inputs.iter().any(|input| comparable(input) == target) {
        bail!("refusing to write {shown}: it is one of the inputs");
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".fordela-")
        .tempfile_in(directory)
        .with_context(|| format!("cannot write {shown}: cannot create a file in {}", directory.display()))?;
    let mut out = BufWriter::new(temp);
    render(&mut out).and_then(|()| out.flush()).with_context(|| format!("writing {shown}"))?;
    let temp = out.into_inner().map_err(io::IntoInnerError::into_error).with_context(|| format!("writing {shown}"))?;
    temp.as_file().sync_all().with_context(|| format!("writing {shown}"))?;
    temp.persist(path).with_context(|| format!("writing {shown}"))?;
    Ok(())
}

/// A path in a form two names of the same file share, even before the file exists.
fn comparable(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
            parent.canonicalize().map_or_else(|_| path.to_path_buf(), |dir| dir.join(name))
        }
        _ => path.to_path_buf(),
    }
}
