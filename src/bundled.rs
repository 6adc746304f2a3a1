//! The real agreements and population tables in `data/`, compiled into the binary so an
//! installed fordela works from any directory.

/// One bundled file, named by its path in the repository.
#[derive(Debug, Clone, Copy)]
pub struct BundledFile {
    pub id: &'static str,
    pub path: &'static str,
    pub text: &'static str,
    /// The sidecar `.md` naming the sources of its figures.
    pub sources: &'static str,
}

pub const AGREEMENTS: &[BundledFile] = &[BundledFile {
    id: "god-och-nara-vard-2019",
    path: "data/agreements/god-och-nara-vard-2019.toml",
    text: include_str!("../data/agreements/god-och-nara-vard-2019.toml"),
    sources: include_str!("../data/agreements/god-och-nara-vard-2019.md"),
}];

pub const POPULATIONS: &[BundledFile] = &[BundledFile {
    id: "scb-county-population-31dec-2010-2019",
    path: "data/population/scb-county-population-31dec-2010-2019.csv",
    text: include_str!("../data/population/scb-county-population-31dec-2010-2019.csv"),
    sources: include_str!("../data/population/scb-county-population-31dec-2010-2019.md"),
}];

/// What `fordela allocate` with no agreement runs.
pub const DEFAULT_AGREEMENT: &str = "god-och-nara-vard-2019";
/// The regions' population when an agreement names none.
pub const DEFAULT_POPULATION: &str = "scb-county-population-31dec-2010-2019";

#[must_use]
pub fn agreement(id: &str) -> Option<&'static BundledFile> {
    AGREEMENTS.iter().find(|file| file.id == id)
}

/// A bundled population table by id or by repository path (`data/population/….csv`).
#[must_use]
pub fn population(id_or_path: &str) -> Option<&'static BundledFile> {
    POPULATIONS.iter().find(|file| file.id == id_or_path || file.path == id_or_path)
}

/// The path of `relative` as seen from the bundled file at `base`, with `..` resolved.
#[must_use]
pub fn resolve(base: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

impl BundledFile {
    /// The first `- Source:` line of the sidecar, for `fordela list`.
    #[must_use]
    pub fn source_line(&self) -> &'static str {
        self.sources.lines().find_map(|line| line.strip_prefix("- Source: ")).unwrap_or("see the sidecar .md")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_like_the_file_system() {
        assert_eq!(resolve("data/agreements/x.toml", "../population/p.csv"), "data/population/p.csv");
        assert!(
            population(&resolve(AGREEMENTS[0].path, "../population/scb-county-population-31dec-2010-2019.csv"))
                .is_some()
        );
    }
}
