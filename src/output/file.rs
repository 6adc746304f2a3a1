//! Where output goes: stdout (a closed pipe is a quiet success), a device or FIFO (written to
//! directly, as a shell redirection would), or a regular file, replaced atomically and never
//! one of the inputs.
//!
//! A regular file is written to a temporary file in its directory and renamed over it only when
//! complete, so a reader sees the old file or the whole new one. On Linux the temporary file has
//! no name until then (`O_TMPFILE`), so even `kill -9` leaves nothing behind; elsewhere it is a
//! hidden file that SIGINT, SIGTERM and SIGHUP remove. The new file gets the mode a shell
//! redirection would give it (0666 less the umask), or keeps the mode of the file it replaces;
//! a symbolic link is kept and the file it points to written.

use std::fs::{self, File, Metadata, OpenOptions};
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

/// A reader that went away (`fordela … | head`). Writers wrap the io error in their own (csv,
/// JSON, a renderer's `io::Error::other`), so the whole chain of causes is searched.
fn is_broken_pipe(err: &io::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = cause {
        let broken = if let Some(io_error) = current.downcast_ref::<io::Error>() {
            io_error.kind() == io::ErrorKind::BrokenPipe
                || io_error.get_ref().is_some_and(|inner| is_broken_pipe_cause(inner))
        } else {
            is_broken_pipe_cause(current)
        };
        if broken {
            return true;
        }
        cause = current.source();
    }
    false
}

/// Writer errors that keep an io error without giving it as their `source`.
fn is_broken_pipe_cause(err: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(json) = err.downcast_ref::<serde_json::Error>() {
        return json.io_error_kind() == Some(io::ErrorKind::BrokenPipe);
    }
    if let Some(csv_error) = err.downcast_ref::<csv::Error>() {
        return matches!(csv_error.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe);
    }
    err.downcast_ref::<io::Error>().is_some_and(|io_error| io_error.kind() == io::ErrorKind::BrokenPipe)
}

/// Every message names `path` as the user gave it, never the temporary file.
fn to_file(
    path: &Path,
    inputs: &[PathBuf],
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    let shown = path.display();
    // A pipe, device or socket, however reached (`/dev/stdout` is a link to
    // `/proc/self/fd/1`, whose "target" `pipe:[…]` is no path): written to as given.
    if let Ok(metadata) = fs::metadata(path) {
        if !metadata.is_file() && !metadata.is_dir() {
            if inputs.iter().any(|input| same_file(input, path, Some(&metadata))) {
                bail!("refusing to write {shown}: it is one of the inputs");
            }
            return write_in_place(path, render);
        }
    }
    let target = follow_links(path).with_context(|| format!("cannot write {shown}"))?;
    let existing = match fs::metadata(&target) {
        Ok(metadata) => Some(metadata),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(err).with_context(|| format!("cannot write {shown}")),
    };
    if existing.as_ref().is_some_and(Metadata::is_dir) {
        bail!("cannot write {shown}: it is a directory");
    }
    if inputs.iter().any(|input| same_file(input, &target, existing.as_ref())) {
        bail!("refusing to write {shown}: it is one of the inputs");
    }
    match &existing {
        // A device or FIFO (`/dev/null`, `>(…)`) is written to, not replaced by a regular file.
        Some(metadata) if !metadata.is_file() => write_in_place(&target, render),
        _ => {
            let directory = match target.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            let temp = TempFile::new(directory)
                .with_context(|| format!("cannot write {shown}: cannot create a file in {}", directory.display()))?;
            replace(temp, &target, existing.as_ref(), render).with_context(|| format!("writing {shown}"))
        }
    }
}

/// Writes to a file that is not a regular file (a device, pipe or socket) directly: there is
/// nothing to replace, and a reader that goes away is not an error (as on standard output).
fn write_in_place(path: &Path, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    let shown = path.display();
    let file = OpenOptions::new().write(true).open(path).with_context(|| format!("cannot write {shown}"))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    match render(&mut out).and_then(|()| out.flush()) {
        Err(err) if is_broken_pipe(&err) => Ok(()),
        other => other.with_context(|| format!("writing {shown}")),
    }
}

/// Writes the new `target` into `temp`, beside the old one, and puts it in place only when
/// complete.
fn replace(
    temp: TempFile,
    target: &Path,
    existing: Option<&Metadata>,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if let Some(metadata) = existing {
        keep_owner_and_mode(&temp.file, metadata);
    }
    let mut out = BufWriter::with_capacity(1 << 16, &temp.file);
    render(&mut out)?;
    out.flush()?;
    drop(out);
    temp.file.sync_all()?;
    temp.persist(target)
}

/// `path`, or the file its chain of symbolic links ends at (which need not exist yet: a shell
/// redirection to a dangling link creates its target).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Linux's own limit on a chain of links.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                // A relative link is relative to the link's directory; `join` keeps an absolute one.
                current = current.parent().map_or_else(|| link.clone(), |directory| directory.join(&link));
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Whether `input` and `target` name one file: by path (through links), and on Unix also by
/// device and inode (a hard link, another mount of the same folder).
fn same_file(input: &Path, target: &Path, target_metadata: Option<&Metadata>) -> bool {
    if comparable(input) == comparable(target) {
        return true;
    }
    #[cfg(unix)]
    if let (Some(target), Ok(input)) = (target_metadata, fs::metadata(input)) {
        use std::os::unix::fs::MetadataExt;
        return input.dev() == target.dev() && input.ino() == target.ino();
    }
    let _ = target_metadata;
    false
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

/// The replacement keeps the replaced file's owner and group where allowed (as an editor
/// does; only root may give a file away, so this is best effort) and its mode.
#[cfg(unix)]
fn keep_owner_and_mode(file: &File, metadata: &Metadata) {
    use std::os::unix::fs::{MetadataExt, fchown};
    if fchown(file, Some(metadata.uid()), Some(metadata.gid())).is_err() {
        let _ = fchown(file, None, Some(metadata.gid()));
    }
    // After the owner: changing it clears set-id bits.
    let _ = file.set_permissions(metadata.permissions());
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &File, metadata: &Metadata) {
    let _ = file.set_permissions(metadata.permissions());
}

/// A file being written in a directory, not yet in place. Dropped before `persist`, it leaves
/// nothing behind.
struct TempFile {
    file: File,
    /// Where it is, for naming it once complete (only an unnamed file needs it).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    directory: PathBuf,
    /// Its name, when it has one; `None` for a Linux unnamed file.
    name: Option<PathBuf>,
}

/// Hidden names of temporary files begin with this.
const TEMP_PREFIX: &str = ".fordela-";

impl TempFile {
    fn new(directory: &Path) -> io::Result<TempFile> {
        #[cfg(target_os = "linux")]
        if !force_named_temp_file() {
            if let Some(file) = unnamed::create(directory) {
                return Ok(TempFile { file, directory: directory.to_path_buf(), name: None });
            }
        }
        let (file, name) = create_named(directory)?;
        Ok(TempFile { file, directory: directory.to_path_buf(), name: Some(name) })
    }

    /// Puts the complete file at `target`, replacing what is there in one step.
    fn persist(mut self, target: &Path) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        if self.name.is_none() {
            match unnamed::link(&self.file, &self.directory, target) {
                Ok(()) => return Ok(()),
                // Linking through /proc failed: copy into a named file instead.
                Err(_) => self = self.into_named()?,
            }
        }
        match self.name.take() {
            Some(name) => {
                let renamed = fs::rename(&name, target);
                if renamed.is_err() {
                    let _ = fs::remove_file(&name);
                }
                signal_cleanup::clear();
                renamed
            }
            None => Err(io::Error::other("the temporary file has no name to rename")),
        }
    }

    #[cfg(target_os = "linux")]
    fn into_named(self) -> io::Result<TempFile> {
        use std::io::{Seek, SeekFrom};
        let (mut copy, name) = create_named(&self.directory)?;
        let named = TempFile { file: copy.try_clone()?, directory: self.directory.clone(), name: Some(name) };
        if let Ok(metadata) = self.file.metadata() {
            let _ = copy.set_permissions(metadata.permissions());
        }
        let mut source = &self.file;
        source.seek(SeekFrom::Start(0))?;
        io::copy(&mut source, &mut copy)?;
        copy.sync_all()?;
        Ok(named)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(name) = self.name.take() {
            let _ = fs::remove_file(name);
            signal_cleanup::clear();
        }
    }
}

/// Creates a new hidden file with a unique name in `directory`, with the mode a shell would
/// give a new file (0666 less the umask, which the system applies), and registers it for
/// removal should a signal stop the run.
fn create_named(directory: &Path) -> io::Result<(File, PathBuf)> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
    loop {
        let name = directory.join(format!("{TEMP_PREFIX}{:016x}", random()));
        // Registered before it exists, so that no moment has it on disk and unregistered.
        signal_cleanup::register(&name);
        match options.open(&name) {
            Ok(file) => return Ok((file, name)),
            Err(err) => {
                signal_cleanup::clear();
                if err.kind() != io::ErrorKind::AlreadyExists {
                    return Err(err);
                }
            }
        }
    }
}

/// A number unlikely to repeat, for temporary names (the standard library's hash keys are
/// random per process and per call).
fn random() -> u64 {
    use std::hash::BuildHasher;
    std::hash::RandomState::new().hash_one(std::process::id())
}

/// Debug builds only: the named temporary file that systems without `O_TMPFILE` get, so that
/// the tests can exercise it on a system that has `O_TMPFILE`.
#[cfg(target_os = "linux")]
fn force_named_temp_file() -> bool {
    cfg!(debug_assertions) && std::env::var_os("FORDELA_DEBUG_NAMED_TEMP_FILE").is_some()
}

/// Linux: a file with no name until it is complete, so that nothing is left however the run ends.
#[cfg(target_os = "linux")]
mod unnamed {
    use std::ffi::CString;
    use std::fs::{File, OpenOptions};
    use std::io;
    use std::os::fd::AsRawFd;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;

    /// An unnamed file in `directory`, or `None` where the file system does not have them
    /// (or `/proc`, needed to name it later, is missing).
    pub fn create(directory: &Path) -> Option<File> {
        if !Path::new("/proc/self/fd").is_dir() {
            return None;
        }
        // The mode gets the umask applied, as for any new file.
        OpenOptions::new().read(true).write(true).mode(0o666).custom_flags(libc::O_TMPFILE).open(directory).ok()
    }

    /// Gives `file` the name `target`: directly when `target` does not exist; else under a
    /// temporary name that is then renamed over it (a link cannot replace a file), the name
    /// removed by a signal in that moment.
    pub fn link(file: &File, directory: &Path, target: &Path) -> io::Result<()> {
        let source = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd())).map_err(io::Error::other)?;
        match link_at(&source, target) {
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            other => return other,
        }
        loop {
            let name = directory.join(format!("{}{:016x}", super::TEMP_PREFIX, super::random()));
            super::signal_cleanup::register(&name);
            match link_at(&source, &name) {
                Ok(()) => {
                    let renamed = std::fs::rename(&name, target);
                    if renamed.is_err() {
                        let _ = std::fs::remove_file(&name);
                    }
                    super::signal_cleanup::clear();
                    return renamed;
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => super::signal_cleanup::clear(),
                Err(err) => {
                    super::signal_cleanup::clear();
                    return Err(err);
                }
            }
        }
    }

    fn link_at(source: &CString, name: &Path) -> io::Result<()> {
        let name = CString::new(name.as_os_str().as_bytes()).map_err(io::Error::other)?;
        // SAFETY: both are valid NUL-terminated paths that outlive the call.
        let result = unsafe {
            libc::linkat(libc::AT_FDCWD, source.as_ptr(), libc::AT_FDCWD, name.as_ptr(), libc::AT_SYMLINK_FOLLOW)
        };
        if result == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
    }
}

/// Removes the one named temporary file that may exist when SIGINT, SIGTERM or SIGHUP stops
/// the run, then lets the signal end the process as it would have (so the shell sees it).
#[cfg(unix)]
mod signal_cleanup {
    use std::ffi::{CString, c_char, c_int};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr::null_mut;
    use std::sync::Once;
    use std::sync::atomic::{AtomicPtr, Ordering};

    /// The path to remove, owned by whoever swaps it out (the handler never frees it: the
    /// process is ending).
    static PENDING: AtomicPtr<c_char> = AtomicPtr::new(null_mut());
    static INSTALL: Once = Once::new();

    pub fn register(path: &Path) {
        INSTALL.call_once(install);
        let Ok(path) = CString::new(path.as_os_str().as_bytes()) else { return };
        free(PENDING.swap(path.into_raw(), Ordering::SeqCst));
    }

    pub fn clear() {
        free(PENDING.swap(null_mut(), Ordering::SeqCst));
    }

    fn free(path: *mut c_char) {
        if !path.is_null() {
            // SAFETY: every non-null pointer in PENDING came from `CString::into_raw`, and was
            // swapped out, so this is its only owner.
            drop(unsafe { CString::from_raw(path) });
        }
    }

    fn install() {
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: sigaction with zeroed structures; the handler only makes async-signal-
            // safe calls (unlink, signal, raise).
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                libc::sigaction(signal, std::ptr::null(), &raw mut old);
                // A run started with the signal ignored (`nohup`, a background job) keeps it so.
                if old.sa_sigaction == libc::SIG_IGN {
                    continue;
                }
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as extern "C" fn(c_int) as libc::sighandler_t;
                libc::sigemptyset(&raw mut action.sa_mask);
                libc::sigaction(signal, &raw const action, std::ptr::null_mut());
            }
        }
    }

    extern "C" fn on_signal(signal: c_int) {
        let path = PENDING.swap(null_mut(), Ordering::SeqCst);
        // SAFETY: async-signal-safe calls only; `path` is a valid C string (see `register`).
        unsafe {
            if !path.is_null() {
                libc::unlink(path);
            }
            // The default action, once this handler returns and unblocks the signal.
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

#[cfg(not(unix))]
mod signal_cleanup {
    pub fn register(_: &std::path::Path) {}
    pub fn clear() {}
}
