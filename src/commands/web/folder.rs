//! The folder served: its files found and recognised by what they hold, and the one rule for a
//! path asked for (inside the folder, or nothing).

use crate::io::input::Input;
use crate::io::names;
use crate::lang::Lang;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// What a file holds, recognised by its content, not its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Agreement,
    Plan,
    Outcome,
    Decisions,
    /// Payout requests: read beside a decisions file (`payouts --requests`).
    Requests,
    Published,
    Population,
    Other,
}

impl Kind {
    #[must_use]
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Kind::Agreement => lang.pick("överenskommelse", "agreement"),
            Kind::Plan => lang.pick("plan", "plan"),
            Kind::Outcome => lang.pick("utfall", "outcome"),
            Kind::Decisions => lang.pick("beslut om utbetalning", "payout decisions"),
            Kind::Requests => lang.pick("rekvisitioner", "payout requests"),
            Kind::Published => lang.pick("publicerad tabell", "published table"),
            Kind::Population => lang.pick("befolkning", "population"),
            Kind::Other => lang.pick("okänt innehåll", "not recognised"),
        }
    }

    /// The command that reads a file of this kind, as the command line names it.
    #[must_use]
    pub fn command(self) -> Option<&'static str> {
        match self {
            Kind::Agreement => Some("allocate"),
            Kind::Plan => Some("check"),
            Kind::Outcome => Some("follow-up"),
            Kind::Decisions => Some("payouts"),
            Kind::Requests => Some("payouts --requests"),
            Kind::Published => Some("audit"),
            Kind::Population => Some("allocate --population"),
            Kind::Other => None,
        }
    }
}

/// A file of the folder: its path inside it (with `/`), and what it holds.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub kind: Kind,
}

/// How deep into subfolders, and how many files, a listing goes.
const DEPTH: usize = 3;
pub const MAX_FILES: usize = 500;
/// Beyond this many files a listing stops counting what it leaves out (a folder of a million
/// files is said to have more than this many).
const COUNTED: usize = 100_000;
/// Recognising a file reads its head only (a population table of a million rows is listed at
/// once); a TOML file is read whole up to this size, a workbook up to `WORKBOOK_READ`.
const HEAD: u64 = 64 * 1024;
const WORKBOOK_READ: u64 = 16 * 1024 * 1024;
/// Files whose kind is remembered: more than a listing shows, few enough to stay small.
const KINDS_KEPT: usize = 4 * MAX_FILES;

/// The files of a folder a page lists, and how many more there are.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub entries: Vec<Entry>,
    /// Readable files of the folder beyond `MAX_FILES`, left out of `entries`.
    pub left_out: usize,
}

/// What each file of the folder was recognised as, by its path (links followed), size and
/// time of change: a workbook is read once, not at every page, and a file changed on disk is
/// read again at the next.
#[derive(Default)]
pub struct Kinds {
    known: Mutex<HashMap<PathBuf, Known>>,
}

/// A file's stamp when it was recognised, and what it was recognised as.
type Known = (Stamp, Kind);

/// What tells one version of a file from another: its size and time of change, and on Unix its
/// inode and the time the inode changed, which `touch`, `cp -p`, `rsync -t` or an unzip cannot set
/// back (a rewrite of the same size within a coarse timestamp's second is seen too).
type Stamp = (u64, Option<SystemTime>, u64, i64, i64);

fn stamp(meta: &std::fs::Metadata) -> Stamp {
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt;
        (meta.ino(), meta.ctime(), meta.ctime_nsec())
    };
    #[cfg(not(unix))]
    let inode = (0, 0, 0);
    (meta.len(), meta.modified().ok(), inode.0, inode.1, inode.2)
}

impl Kinds {
    /// What the file at `path` holds, recognised once for each version of it on disk.
    pub fn of(&self, path: &Path) -> Kind {
        let Ok(resolved) = path.canonicalize() else { return Kind::Other };
        let Ok(meta) = std::fs::metadata(&resolved) else { return Kind::Other };
        let stamp = stamp(&meta);
        if let Some(&(known, kind)) = self.known.lock().ok().as_ref().and_then(|known| known.get(&resolved)) {
            if known == stamp {
                return kind;
            }
        }
        let kind = recognise(&resolved);
        if let Ok(mut known) = self.known.lock() {
            // Bounded: forgotten all at once when full, and recognised again as pages ask.
            if known.len() >= KINDS_KEPT {
                known.clear();
            }
            known.insert(resolved, (stamp, kind));
        }
        kind
    }
}

/// Every file of the folder that fordela might read, recognised, in name order, the first
/// `MAX_FILES` of them. Hidden files and folders, links leading out of the folder, and a
/// folder reached a second time (by a link back into the folder) are left out.
#[must_use]
pub fn list(root: &Path, kinds: &Kinds) -> Listing {
    let mut names = Vec::new();
    let mut counted = 0;
    let mut visited = HashSet::from([root.to_path_buf()]);
    walk(root, root, 0, &mut visited, &mut names, &mut counted);
    names.sort();
    let entries = names.into_iter().map(|name| Entry { kind: kinds.of(&root.join(&name)), name }).collect();
    Listing { entries, left_out: counted.saturating_sub(MAX_FILES) }
}

/// Each folder's entries in name order, so that the files kept when there are too many are
/// always the same ones.
fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    visited: &mut HashSet<PathBuf>,
    names: &mut Vec<String>,
    counted: &mut usize,
) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|entry| entry.file_name()).collect();
    entries.sort();
    for file_name in entries {
        if *counted >= COUNTED {
            return;
        }
        let Some(text) = file_name.to_str() else { continue };
        if text.starts_with('.') {
            continue;
        }
        let path = dir.join(text);
        let Some(inside) = contained(root, &path) else { continue };
        if inside.is_dir() {
            if depth + 1 < DEPTH && visited.insert(inside) {
                walk(root, &path, depth + 1, visited, names, counted);
            }
        } else if inside.is_file() && readable_name(text) {
            *counted += 1;
            if names.len() >= MAX_FILES {
                continue;
            }
            if let Ok(relative) = path.strip_prefix(root) {
                let parts: Option<Vec<&str>> = relative.components().map(|part| part.as_os_str().to_str()).collect();
                if let Some(parts) = parts {
                    names.push(parts.join("/"));
                }
            }
        }
    }
}

/// The extensions of what fordela reads: TOML, CSV and text, workbooks.
fn readable_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".toml", ".csv", ".txt", ".tsv", ".xlsx", ".ods", ".xls"].iter().any(|ext| lower.ends_with(ext))
}

/// `path` resolved (links followed), if it is inside `root` and not hidden there: a link
/// named plainly that leads to `.secrets/plan.csv` is as hidden as the file it leads to.
fn contained(root: &Path, path: &Path) -> Option<PathBuf> {
    let resolved = path.canonicalize().ok()?;
    let inside = resolved.strip_prefix(root).ok()?;
    let hidden = inside.components().any(|part| part.as_os_str().to_str().is_none_or(|text| text.starts_with('.')));
    (!hidden).then_some(resolved)
}

/// The file a page asks for by `name` (its path inside the folder, `/`-separated): `None`
/// unless every part is a plain name (no `..`, no root, no drive, no hidden part, no NUL) and
/// the file, links followed, is a file inside the folder. Checked before anything else is
/// done with the path.
#[must_use]
pub fn resolve(root: &Path, name: &str) -> Option<PathBuf> {
    resolve_name(root, name).map(|(_, path)| path)
}

/// As `resolve`, with the name as it is on disk: a part not found as written is the one entry
/// of its folder that is the same name by the names rule (`io::names`: a name typed in NFC
/// finds the file whose name is stored decomposed, as macOS writes it); two such entries, and
/// the name is refused.
#[must_use]
pub fn resolve_name(root: &Path, name: &str) -> Option<(String, PathBuf)> {
    if name.is_empty() || name.contains(['\\', '\0', ':']) || name.starts_with('/') {
        return None;
    }
    let relative = Path::new(name);
    let mut parts = Vec::new();
    for part in relative.components() {
        match part {
            Component::Normal(part) => match part.to_str() {
                Some(text) if !text.starts_with('.') => parts.push(text),
                _ => return None,
            },
            _ => return None,
        }
    }
    let exact = root.join(relative);
    if std::fs::symlink_metadata(&exact).is_ok() {
        let inside = contained(root, &exact)?;
        return inside.is_file().then(|| (name.to_string(), inside));
    }
    let mut on_disk = root.to_path_buf();
    let mut found = Vec::new();
    for part in parts {
        let next = if std::fs::symlink_metadata(on_disk.join(part)).is_ok() {
            part.to_string()
        } else {
            let wanted = names::key(part);
            let mut same = std::fs::read_dir(&on_disk)
                .ok()?
                .flatten()
                .filter_map(|entry| entry.file_name().into_string().ok())
                .filter(|entry| !entry.starts_with('.') && names::key(entry) == wanted);
            let one = same.next()?;
            if same.next().is_some() {
                return None;
            }
            one
        };
        on_disk.push(&next);
        found.push(next);
    }
    let inside = contained(root, &on_disk)?;
    inside.is_file().then(|| (found.join("/"), inside))
}

/// What the file at `path` holds, by its content: a TOML document by its keys, a table by
/// its header's words.
#[must_use]
pub fn recognise(path: &Path) -> Kind {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else { return Kind::Other };
    let size = file.metadata().map_or(0, |meta| meta.len());
    let mut head = Vec::new();
    if file.take(HEAD).read_to_end(&mut head).is_err() {
        return Kind::Other;
    }
    recognise_head(path, &head, size)
}

/// What a file sent to the page holds, read as a file of the folder is (`name` is the name it
/// was sent with, held in memory by the caller: `io::input::with_file_in_memory`; a workbook's
/// `sheet` as the form gives it), or why it is none of the kinds fordela reads.
pub fn recognise_sent(name: &Path, bytes: &[u8], sheet: Option<&str>) -> Result<Kind, String> {
    let head = &bytes[..bytes.len().min(usize::try_from(HEAD).unwrap_or(usize::MAX))];
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let first_line = |text: &str| {
        let line = text.trim_start_matches('\u{feff}').lines().find(|line| !line.trim().is_empty());
        let line: String = line.unwrap_or_default().chars().take(120).collect();
        format!(
            "its first line, `{line}`, names none of the columns of a plan, an outcome, payout decisions or requests, a published table or a population"
        )
    };
    if is_workbook(head) {
        // Read whole (the sheet asked for, else the first): the reader says what stops it.
        let input = Input::read_table(name, sheet).map_err(|err| format!("{err:#}"))?;
        return match recognise_table(&input.text) {
            Kind::Other => Err(first_line(&input.text)),
            kind => Ok(kind),
        };
    }
    match recognise_head(name, head, size) {
        Kind::Other => {
            let text = String::from_utf8_lossy(head);
            if size <= HEAD && text.trim_start_matches('\u{feff}').parse::<toml::Table>().is_ok() {
                Err("a TOML file that is no agreement (`name` and `[[areas]]`), no plan (`region`, or areas with \
                     `interventions`) and no payout decisions (`[[decisions]]`)"
                    .to_string())
            } else {
                Err(first_line(&text))
            }
        }
        kind => Ok(kind),
    }
}

fn is_workbook(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xd0\xcf\x11\xe0")
}

/// What a file holds, from its first bytes and its size; a workbook is read whole, from `path`.
fn recognise_head(path: &Path, head: &[u8], size: u64) -> Kind {
    if is_workbook(head) {
        if size > WORKBOOK_READ {
            return Kind::Other;
        }
        return match Input::read_table(path, None) {
            Ok(input) => recognise_table(&input.text),
            Err(_) => Kind::Other,
        };
    }
    let text = String::from_utf8_lossy(head);
    if size <= HEAD {
        if let Ok(table) = text.trim_start_matches('\u{feff}').parse::<toml::Table>() {
            return recognise_toml(&table);
        }
    }
    recognise_table(&text)
}

fn recognise_toml(table: &toml::Table) -> Kind {
    if table.contains_key("decisions") {
        return Kind::Decisions;
    }
    let Some(areas) = table.get("areas").and_then(toml::Value::as_array) else { return Kind::Other };
    let has_interventions =
        areas.iter().any(|area| area.as_table().is_some_and(|area| area.contains_key("interventions")));
    if table.contains_key("region") || has_interventions {
        Kind::Plan
    } else if table.contains_key("name") {
        Kind::Agreement
    } else {
        Kind::Other
    }
}

/// A table by its header's words (Swedish or English, any case).
fn recognise_table(text: &str) -> Kind {
    let text = text.trim_start_matches('\u{feff}');
    let Some(header) = text.lines().find(|line| !line.trim().is_empty()) else { return Kind::Other };
    let words: Vec<String> =
        header.split([';', ',', '\t']).map(|word| word.trim().trim_matches('"').to_lowercase()).collect();
    let has = |names: &[&str]| words.iter().any(|word| names.iter().any(|name| word.starts_with(name)));
    if has(&["utförare", "provider"]) && has(&["kvartal", "quarter"]) && !has(&["från", "from"]) {
        Kind::Requests
    } else if has(&["utförare", "provider"]) {
        Kind::Decisions
    } else if has(&["insats", "intervention"]) && has(&["datum", "date"]) {
        Kind::Outcome
    } else if has(&["insats", "intervention"]) && has(&["belopp", "amount"]) {
        Kind::Plan
    } else if has(&["folkmängd", "population", "befolkning"]) {
        Kind::Population
    } else if has(&["kod", "code", "län", "region"]) && words.len() >= 2 {
        Kind::Published
    } else {
        Kind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_recognised_by_their_header() {
        assert_eq!(recognise_table("\u{feff}Område;Insats;Belopp\nx;y;1"), Kind::Plan);
        assert_eq!(recognise_table("\u{feff}Insats;Belopp;Datum;Objekt\n"), Kind::Outcome);
        assert_eq!(recognise_table("provider,area,quarter,amount\n"), Kind::Requests);
        assert_eq!(recognise_table("utförare;område;belopp;från;till\n"), Kind::Decisions);
        assert_eq!(recognise_table("code,region,date,population\n"), Kind::Population);
        assert_eq!(recognise_table("Län;Belopp (mkr)\n"), Kind::Published);
        assert_eq!(recognise_table("a;b\n"), Kind::Other);
    }

    #[test]
    fn a_name_with_a_way_out_resolves_to_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("plan.csv"), "x").unwrap();
        assert!(resolve(&root, "plan.csv").is_some());
        for name in ["", "/etc/passwd", "../plan.csv", "a/../plan.csv", "./plan.csv", ".hidden", "c:plan.csv"] {
            assert!(resolve(&root, name).is_none(), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_plain_link_to_a_hidden_file_is_neither_listed_nor_served() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join(".private")).unwrap();
        std::fs::write(root.join(".private/plan.csv"), "Insats;Belopp\nx;1\n").unwrap();
        std::fs::write(root.join(".hidden.csv"), "Insats;Belopp\nx;1\n").unwrap();
        std::fs::write(root.join("open.csv"), "Insats;Belopp\nx;1\n").unwrap();
        std::os::unix::fs::symlink(root.join(".private/plan.csv"), root.join("plan.csv")).unwrap();
        std::os::unix::fs::symlink(root.join(".hidden.csv"), root.join("shown.csv")).unwrap();
        std::os::unix::fs::symlink(root.join(".private"), root.join("private")).unwrap();
        let listed: Vec<String> = list(&root, &Kinds::default()).entries.into_iter().map(|entry| entry.name).collect();
        assert_eq!(listed, vec!["open.csv"]);
        for name in ["plan.csv", "shown.csv", "private/plan.csv"] {
            assert!(resolve(&root, name).is_none(), "{name}");
        }
        assert!(resolve(&root, "open.csv").is_some());
    }
}
