//! Peak memory of fordela on large inputs, measured by the kernel for the one child process.
//!
//! A test binary of its own: Linux gives a child the peak resident size of the process that
//! spawned it (the child starts in the parent's memory until it runs fordela), so a child
//! spawned by the main test binary, where other tests hold hundreds of megabytes at once,
//! would be charged with theirs. Here the spawning process holds a few megabytes.

/// A one-area agreement of 10 kr on 2020-12-31.
const SMALL_AGREEMENT: &str =
    "name = \"T\"\nunit = \"kr\"\ntotal = 10\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 10\n";

#[test]
fn a_200_mb_population_file_streams_without_blowing_up() {
    // 200 MB of rows for another date: fordela reads them, keeps none, and says the date is
    // missing. Peak memory is the file's size plus little (the check runs the real binary).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(out, "code,region,date,population").unwrap();
        let row = "1234567,Vårdenhet med ett långt namn för att fylla raden ut,2019-12-31,12345\n";
        for _ in 0..(200_000_000 / row.len()) {
            out.write_all(row.as_bytes()).unwrap();
        }
    }
    std::fs::write(dir.path().join("a.toml"), SMALL_AGREEMENT).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let (code, stderr, peak) = run_measured(dir.path(), &["allocate", "a.toml", "--population", "big.csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("fordela: invalid population: big.csv: has no figures for 2020-12-31; it has 2019-12-31"),
        "{stderr}"
    );
    // The text is held once (the rows of other dates are skipped, not kept): the file's size
    // plus a little, never a multiple of it.
    assert!(peak < size + size / 4 + (32 << 20), "peak {peak} bytes for a file of {size} bytes");
}

/// Runs fordela in `dir` and returns its exit code, its stderr and its own peak resident memory
/// in bytes, from the kernel's accounting of that one child (`wait4`), not of the whole test.
fn run_measured(dir: &std::path::Path, args: &[&str]) -> (i32, String, u64) {
    use std::io::Read;
    // Reaped by `wait4` below, which also gives its resource usage; `Child::wait` cannot.
    #[allow(clippy::zombie_processes)]
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fordela"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct the kernel fills; `pid` is our own unreaped child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(reaped, pid);
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    // Linux counts ru_maxrss in KiB.
    (code, stderr, u64::try_from(usage.ru_maxrss).unwrap() * 1024)
}
