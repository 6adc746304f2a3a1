//! Files and devices: text a spreadsheet would run as a formula, inputs that never end, and
//! what `--output` does to modes, links, devices, FIFOs and interrupted runs. The real binary;
//! the data are synthetic, the expected figures worked out by hand.
#![cfg(unix)]

use crate::common;

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::{csv_rows, fordela, fordela_in, temp_files};

/// Five recipients of 500, 300, 100, 60 and 40 people whose names a spreadsheet would run.
const FORMULA_POPULATION: &str = "code,region,date,population\n\
    1000001,\"=HYPERLINK(\"\"http://example.invalid/\"\",\"\"klicka\"\")\",2020-12-31,500\n\
    1000002,@SUM(A1),2020-12-31,300\n\
    1000003,+46 70 123,2020-12-31,100\n\
    1000004,-2+3,2020-12-31,60\n\
    1000005,Vanlig enhet,2020-12-31,40\n";

/// 1 000 kr by population (so each gets one krona per person) and 100 kr set aside for a
/// recipient whose name is a formula; the area id begins with `-`, as ids may.
const FORMULA_AGREEMENT: &str = "name = \"Formler (syntetisk)\"\nunit = \"kr\"\ntotal = 1100\n\
    population_date = 2020-12-31\npopulation = \"p.csv\"\n\
    [[areas]]\nid = \"-a\"\nregions = 1000\nother = [{ recipient = \"=cmd|' /C calc'!A0\", amount = 100 }]\n";

/// A plan for `-2+3` (60 kr) that spends 50: a warning, and a difference of −10 kr.
const FORMULA_PLAN: &str = "region = \"1000004\"\nunit = \"kr\"\ntotal = 50\n\
    [[areas]]\nid = \"-a\"\namount = 50\ninterventions = [{ name = \"=1+2\", amount = 50 }]\n";

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|row| row.iter().map(|cell| (*cell).to_string()).collect()).collect()
}

fn excel_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").expect("Excel CSV begins with a BOM");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).delimiter(b';').from_reader(body);
    reader.records().map(|record| record.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn names_a_spreadsheet_would_run_are_written_as_text_in_allocate_csv_and_excel() {
    let dir = temp_files(&[("p.csv", FORMULA_POPULATION.as_bytes()), ("a.toml", FORMULA_AGREEMENT.as_bytes())]);
    let hyperlink = "'=HYPERLINK(\"http://example.invalid/\",\"klicka\")";
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        csv_rows(&run.stdout),
        strings(&[
            &["code", "region", "population", "share", "'-a", "total"],
            &["1000001", hyperlink, "500", "50.0000", "500", "500"],
            &["1000002", "'@SUM(A1)", "300", "30.0000", "300", "300"],
            &["1000003", "'+46 70 123", "100", "10.0000", "100", "100"],
            &["1000004", "'-2+3", "60", "6.0000", "60", "60"],
            &["1000005", "Vanlig enhet", "40", "4.0000", "40", "40"],
            &["", "'=cmd|' /C calc'!A0", "", "", "100", "100"],
        ])
    );
    // In tkr every amount has two decimals, the fewest that show each exactly.
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--excel", "-u", "tkr"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        excel_rows(&run.bytes),
        strings(&[
            &["code", "region", "population", "share", "'-a", "total"],
            &["1000001", hyperlink, "500", "50,0000", "0,50", "0,50"],
            &["1000002", "'@SUM(A1)", "300", "30,0000", "0,30", "0,30"],
            &["1000003", "'+46 70 123", "100", "10,0000", "0,10", "0,10"],
            &["1000004", "'-2+3", "60", "6,0000", "0,06", "0,06"],
            &["1000005", "Vanlig enhet", "40", "4,0000", "0,04", "0,04"],
            &["", "'=cmd|' /C calc'!A0", "", "", "0,10", "0,10"],
        ])
    );
}

#[test]
fn check_csv_guards_text_cells_and_leaves_a_negative_difference_a_number() {
    let dir = temp_files(&[
        ("p.csv", FORMULA_POPULATION.as_bytes()),
        ("a.toml", FORMULA_AGREEMENT.as_bytes()),
        ("plan.toml", FORMULA_PLAN.as_bytes()),
    ]);
    let run = fordela_in(dir.path(), &["check", "plan.toml", "-a", "a.toml", "-f", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[1][0], "'-a", "{}", run.stdout);
    assert_eq!(rows[2][0], "total", "{}", run.stdout);
    for row in &rows[1..] {
        // allocation 60, rounded 60, declared 50, interventions 50, difference −10: numbers.
        assert_eq!(row[1..6], ["60", "60", "50", "50", "-10"], "{}", run.stdout);
    }
    let run = fordela_in(dir.path(), &["check", "plan.toml", "-a", "a.toml", "-f", "excel"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = excel_rows(&run.bytes);
    assert_eq!(rows[1][0], "'-a", "{}", run.stdout);
    assert_eq!(rows[1][5], "-10", "{}", run.stdout);
    for row in &rows {
        for cell in [&row[0], &row[6], &row[7]] {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} in {}", run.stdout);
        }
    }
}

#[test]
fn commands_without_a_csv_form_refuse_csv_rather_than_write_text() {
    for (args, expected) in [
        (
            &["explain", "23", "-f", "excel"][..],
            "fordela: explain writes a text report (--format table) or JSON (--format json), not CSV; allocate and \
             check write CSV",
        ),
        (&["explain", "23", "-f", "csv"], "fordela: explain writes a text report"),
        (&["list", "-f", "csv"], "fordela: list writes a table (--format table) or JSON (--format json), not CSV"),
        (&["list", "-f", "excel"], "fordela: list writes a table"),
    ] {
        let run = fordela(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(run.stderr.starts_with(expected), "{args:?}: {}", run.stderr);
    }
}

/// The fordela binary, run in `dir` with a memory cap, so that a run that reads without end
/// fails instead of taking the machine's memory.
fn capped(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fordela"));
    command.args(args).current_dir(dir).stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: 1 << 30, rlim_max: 1 << 30 };
            libc::setrlimit(libc::RLIMIT_AS, &raw const limit);
            Ok(())
        });
    }
    command
}

#[test]
fn an_endless_device_is_refused_promptly_as_any_input() {
    let dir = temp_files(&[("p.csv", FORMULA_POPULATION.as_bytes()), ("a.toml", FORMULA_AGREEMENT.as_bytes())]);
    for (args, stdin_from_zero) in [
        (&["allocate", "a.toml", "--population", "/dev/zero"][..], false),
        (&["allocate", "/dev/zero", "--population", "p.csv"], false),
        (&["check", "/dev/zero", "-a", "a.toml", "-r", "1000001", "-u", "kr"], false),
        (&["allocate", "a.toml", "--population", "-"], true),
    ] {
        let started = Instant::now();
        let mut command = capped(dir.path(), args);
        command.stdin(if stdin_from_zero { Stdio::from(fs::File::open("/dev/zero").unwrap()) } else { Stdio::null() });
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(stderr.contains("holds a NUL byte, so it is not a text file"), "{args:?}: {stderr}");
        assert!(started.elapsed() < Duration::from_secs(20), "{args:?} took {:?}", started.elapsed());
    }
}

#[test]
fn an_input_over_the_size_limit_is_refused_before_it_is_read_whole() {
    let dir = temp_files(&[("p.csv", FORMULA_POPULATION.as_bytes()), ("a.toml", FORMULA_AGREEMENT.as_bytes())]);
    // A stream of valid rows that never ends (the writer gives up after 64 MiB).
    let mut child = capped(dir.path(), &["allocate", "a.toml", "--population", "-", "--max-input-size", "1MiB"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut block = String::from("code,region,date,population\n");
        while block.len() < 1 << 16 {
            block.push_str("1000001,Enhet,2020-12-31,1\n");
        }
        for _ in 0..1024 {
            if stdin.write_all(block.as_bytes()).is_err() {
                return;
            }
        }
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr.trim_end(),
        "fordela: reading population: -: is larger than fordela's input limit of 1 MiB: check that this is the \
         file you meant, or raise the limit with --max-input-size (or FORDELA_MAX_INPUT), e.g. --max-input-size 4GiB"
    );

    // A regular file says its size, and the limit can come from the environment.
    let output = capped(dir.path(), &["allocate", "a.toml"]).env("FORDELA_MAX_INPUT", "100").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).lines().next().unwrap(),
        format!(
            "fordela: reading agreement: a.toml: is {} bytes, larger than fordela's input limit of 100 bytes: check \
             that this is the file you meant, or raise the limit with --max-input-size (or FORDELA_MAX_INPUT), e.g. \
             --max-input-size 4GiB",
            FORMULA_AGREEMENT.len()
        )
    );
    // At the limit exactly, the file is read.
    let limit = FORMULA_POPULATION.len().max(FORMULA_AGREEMENT.len()).to_string();
    let run = fordela_in(dir.path(), &["allocate", "a.toml", "--max-input-size", &limit], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn files_excel_cannot_save_as_text_are_named_for_what_they_are() {
    let dir = temp_files(&[
        ("a.toml", FORMULA_AGREEMENT.as_bytes()),
        ("utf16.csv", b"\xff\xfec\x00o\x00d\x00e\x00"),
        ("book.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"),
    ]);
    for (file, expected) in [
        ("utf16.csv", "is UTF-16 text (Excel's \"Unicode text\"), not a CSV or TOML text file"),
        ("book.xlsx", "is an Excel workbook (.xlsx, a zip archive), not a CSV or TOML text file"),
    ] {
        let run = fordela_in(dir.path(), &["allocate", "a.toml", "--population", file], None);
        assert_eq!(run.code, 2);
        assert!(run.stdout.is_empty());
        assert!(run.stderr.starts_with(&format!("fordela: reading population: {file}: {expected}")), "{}", run.stderr);
    }
}

/// The fordela binary in `dir` under `umask`, with the named temporary file of systems
/// without unnamed ones if `named`.
fn with_umask(dir: &Path, umask: u32, named: bool, args: &[&str]) -> ExitStatus {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fordela"));
    command.args(args).current_dir(dir).stdout(Stdio::null()).stderr(Stdio::null());
    if named {
        command.env("FORDELA_DEBUG_NAMED_TEMP_FILE", "1");
    }
    // SAFETY: umask is async-signal-safe.
    unsafe {
        command.pre_exec(move || {
            libc::umask(umask as libc::mode_t);
            Ok(())
        });
    }
    command.status().unwrap()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn output_gets_the_mode_a_shell_redirection_would() {
    let expected = fordela(&["allocate", "-f", "csv"]).stdout;
    for named in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        assert!(with_umask(dir.path(), 0o022, named, &["allocate", "-o", "new.csv", "-f", "csv"]).success());
        assert_eq!(mode(&dir.path().join("new.csv")), 0o644, "named temp file: {named}");
        assert!(with_umask(dir.path(), 0o002, named, &["allocate", "-o", "shared.csv", "-f", "csv"]).success());
        assert_eq!(mode(&dir.path().join("shared.csv")), 0o664, "named temp file: {named}");
        // An existing file keeps its own mode, whatever the umask.
        let kept = dir.path().join("kept.csv");
        fs::write(&kept, "old").unwrap();
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o640)).unwrap();
        assert!(with_umask(dir.path(), 0o077, named, &["allocate", "-o", "kept.csv", "-f", "csv"]).success());
        assert_eq!(mode(&kept), 0o640, "named temp file: {named}");
        assert_eq!(fs::read_to_string(&kept).unwrap(), expected);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3, "no temporary file left");
    }
}

#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = temp_files(&[("p.csv", FORMULA_POPULATION.as_bytes()), ("a.toml", FORMULA_AGREEMENT.as_bytes())]);
    let expected = fordela(&["allocate", "-f", "csv"]).stdout;
    fs::create_dir(dir.path().join("shared")).unwrap();
    fs::write(dir.path().join("shared/result.csv"), "old").unwrap();
    std::os::unix::fs::symlink("shared/result.csv", dir.path().join("link.csv")).unwrap();
    // A dangling link: the file it names is created, as a shell redirection would.
    std::os::unix::fs::symlink("shared/new.csv", dir.path().join("dangling.csv")).unwrap();
    for (link, target) in [("link.csv", "shared/result.csv"), ("dangling.csv", "shared/new.csv")] {
        let run = fordela_in(dir.path(), &["allocate", "-f", "csv", "-o", link], None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(fs::symlink_metadata(dir.path().join(link)).unwrap().file_type().is_symlink(), "{link}");
        assert_eq!(fs::read_to_string(dir.path().join(target)).unwrap(), expected, "{link}");
    }
    let mut left: Vec<String> = fs::read_dir(dir.path().join("shared"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["new.csv", "result.csv"]);

    // A link to an input is that input, and so is a hard link.
    std::os::unix::fs::symlink("p.csv", dir.path().join("to-input.csv")).unwrap();
    fs::hard_link(dir.path().join("p.csv"), dir.path().join("same-input.csv")).unwrap();
    for name in ["to-input.csv", "same-input.csv"] {
        let run = fordela_in(dir.path(), &["allocate", "a.toml", "-o", name], None);
        assert_eq!(run.code, 2);
        assert_eq!(run.stderr.trim_end(), format!("fordela: refusing to write {name}: it is one of the inputs"));
        assert_eq!(fs::read_to_string(dir.path().join("p.csv")).unwrap(), FORMULA_POPULATION);
    }
}

#[test]
fn output_to_a_device_is_written_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    // A null device of our own where we may make one (as root, where replacing the system's
    // /dev/null would be the very damage this guards against); else the system's.
    let private = dir.path().join("null");
    let path = std::ffi::CString::new(private.to_str().unwrap()).unwrap();
    // SAFETY: a valid path; makedev(1, 3) is the null device.
    let made = unsafe { libc::mknod(path.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) } == 0;
    let device = if made { private } else { PathBuf::from("/dev/null") };
    let run = fordela_in(dir.path(), &["allocate", "-o", device.to_str().unwrap()], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fs::symlink_metadata(&device).unwrap().file_type().is_char_device());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), usize::from(made), "nothing else left in the folder");
}

#[test]
fn output_to_a_fifo_is_written_to_its_reader() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid path.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let (sender, received) = std::sync::mpsc::channel();
    let reader_path = fifo.clone();
    // Left blocked, not joined, if fordela never opens the FIFO.
    std::thread::spawn(move || {
        let mut text = String::new();
        fs::File::open(reader_path).unwrap().read_to_string(&mut text).unwrap();
        let _ = sender.send(text);
    });
    let run = fordela_in(dir.path(), &["allocate", "-f", "csv", "-o", "fifo"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO was replaced by a file");
    let text = received.recv_timeout(Duration::from_secs(20)).expect("the reader got the output");
    assert_eq!(text, fordela(&["allocate", "-f", "csv"]).stdout);
}

#[test]
fn a_write_error_names_the_users_path_and_leaves_nothing() {
    for named in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_fordela"));
        command.args(["allocate", "-f", "csv", "-o", "out.csv"]).current_dir(dir.path());
        if named {
            command.env("FORDELA_DEBUG_NAMED_TEMP_FILE", "1");
        }
        // Files may not grow past 1 KiB: the write fails (EFBIG) partway.
        // SAFETY: setrlimit and signal are async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let limit = libc::rlimit { rlim_cur: 1024, rlim_max: 1024 };
                libc::setrlimit(libc::RLIMIT_FSIZE, &raw const limit);
                Ok(())
            });
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(output.stdout.is_empty());
        assert_eq!(stderr.lines().last(), Some("fordela: writing out.csv: File too large (os error 27)"), "{stderr}");
        assert!(!stderr.contains(".fordela") && !stderr.contains('#'), "{stderr}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "named temp file: {named}");
    }
}

/// A population of `rows` synthetic recipients (shaped as benches/generate.py writes them)
/// and an agreement splitting 10¹¹ kr among them: enough that writing the CSV takes a while.
fn large_inputs(rows: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut population = String::with_capacity(rows as usize * 40);
    population.push_str("code,region,date,population\n");
    for index in 0..rows {
        use std::fmt::Write as _;
        let code = 1_000_000 + index * 7;
        writeln!(population, "{code},Enhet {code},2020-12-31,{}", 1 + index % 99_991).unwrap();
    }
    fs::write(dir.path().join("p.csv"), population).unwrap();
    fs::write(
        dir.path().join("a.toml"),
        "name = \"Skala (syntetisk)\"\nunit = \"kr\"\ntotal = 100000000000\npopulation_date = 2020-12-31\n\
         population = \"p.csv\"\n[[areas]]\nid = \"a\"\nregions = 50000000000\n\
         [[areas]]\nid = \"b\"\nregions = 50000000000\n",
    )
    .unwrap();
    dir
}

/// Whether process `pid` holds a file open in `dir` other than the inputs: its output.
fn writing_in(pid: u32, dir: &Path) -> bool {
    let Ok(descriptors) = fs::read_dir(format!("/proc/{pid}/fd")) else { return false };
    descriptors
        .flatten()
        .filter_map(|fd| fs::read_link(fd.path()).ok())
        .any(|file| file.starts_with(dir) && file != dir.join("p.csv") && file != dir.join("a.toml") && file != dir)
}

/// Starts `allocate -o out.csv`, sends `signal` once it is writing, and returns how it ended.
fn interrupt_mid_write(dir: &Path, signal: i32, named: bool) -> ExitStatus {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fordela"));
    command
        .args(["allocate", "a.toml", "-f", "csv", "-o", "out.csv"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if named {
        command.env("FORDELA_DEBUG_NAMED_TEMP_FILE", "1");
    }
    let mut child = command.spawn().unwrap();
    let pid = child.id();
    let started = Instant::now();
    while !writing_in(pid, dir) {
        assert!(child.try_wait().unwrap().is_none(), "fordela finished before it could be stopped mid-write");
        assert!(started.elapsed() < Duration::from_secs(120), "fordela never started writing");
        std::thread::sleep(Duration::from_millis(1));
    }
    // A moment into the writing.
    std::thread::sleep(Duration::from_millis(50));
    // SAFETY: sending a signal to our own child.
    assert_eq!(unsafe { libc::kill(libc::pid_t::try_from(pid).unwrap(), signal) }, 0);
    child.wait().unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

#[test]
fn a_run_stopped_mid_write_leaves_no_file_behind() {
    let dir = large_inputs(400_000);
    let dir = dir.path().canonicalize().unwrap();
    for (signal, named, existing) in [
        (libc::SIGINT, false, false),
        (libc::SIGTERM, false, true),
        (libc::SIGKILL, false, false),
        (libc::SIGKILL, false, true),
        // Where the system has no unnamed files, a named one is removed on SIGINT, SIGTERM and
        // SIGHUP (a closed terminal).
        (libc::SIGINT, true, false),
        (libc::SIGTERM, true, true),
        (libc::SIGHUP, true, false),
    ] {
        let out = dir.join("out.csv");
        if existing {
            fs::write(&out, "the previous result\n").unwrap();
        }
        let status = interrupt_mid_write(&dir, signal, named);
        let case = format!("signal {signal}, named temp file {named}, existing output {existing}");
        // Ended by the signal itself, as the shell expects, not by finishing.
        assert_eq!(status.signal(), Some(signal), "{case}: {status:?}");
        if existing {
            assert_eq!(fs::read_to_string(&out).unwrap(), "the previous result\n", "{case}");
            fs::remove_file(&out).unwrap();
        }
        assert_eq!(files_in(&dir), ["a.toml", "p.csv"], "{case}");
    }
}

#[test]
fn output_to_dev_stdout_reaches_a_pipe() {
    let output = Command::new(env!("CARGO_BIN_EXE_fordela"))
        .args(["allocate", "-f", "csv", "-o", "/dev/stdout"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), common::fordela(&["allocate", "-f", "csv"]).stdout);
}

const AGREEMENT: &str =
    "name = \"T\"\nunit = \"kr\"\ntotal = 10\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 10\n";

#[test]
fn a_process_killed_mid_write_leaves_the_previous_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let mut population = String::from("code,region,date,population\n");
    for code in 0..400_000u32 {
        use std::fmt::Write as _;
        writeln!(population, "{code:07},Enhet {code},2020-12-31,{}", 1 + code % 977).unwrap();
    }
    std::fs::write(dir.path().join("p.csv"), population).unwrap();
    std::fs::write(dir.path().join("a.toml"), AGREEMENT.replace("10", "1000000000")).unwrap();
    std::fs::write(dir.path().join("out.csv"), "the previous result\n").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fordela"))
        .args(["allocate", "a.toml", "--population", "p.csv", "-f", "csv", "-o", "out.csv"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as its temporary file exists: it is writing. On Linux that file has no
    // name, and shows only among the process's open files.
    let started = std::time::Instant::now();
    let folder = dir.path().canonicalize().unwrap();
    let caught_writing = loop {
        let named = std::fs::read_dir(dir.path())
            .unwrap()
            .any(|entry| entry.unwrap().file_name().to_string_lossy().starts_with(".fordela-"));
        let unnamed = std::fs::read_dir(format!("/proc/{}/fd", child.id())).is_ok_and(|descriptors| {
            descriptors.flatten().filter_map(|fd| std::fs::read_link(fd.path()).ok()).any(|file| {
                file.starts_with(&folder)
                    && file.file_name().is_some_and(|name| name.to_string_lossy().starts_with('#'))
            })
        });
        let writing = named || unnamed;
        if writing {
            child.kill().unwrap();
            break true;
        }
        if child.try_wait().unwrap().is_some() || started.elapsed().as_secs() > 60 {
            break false;
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    };
    child.wait().unwrap();
    assert!(caught_writing, "the process finished before it could be killed mid-write");
    assert_eq!(std::fs::read_to_string(dir.path().join("out.csv")).unwrap(), "the previous result\n");
}
