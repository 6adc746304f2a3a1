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
    text: include_str!("../../data/agreements/god-och-nara-vard-2019.toml"),
    sources: include_str!("../../data/agreements/god-och-nara-vard-2019.md"),
}];

pub const POPULATIONS: &[BundledFile] = &[
    BundledFile {
        id: "scb-county-population-31dec-2010-2020",
        path: "data/population/scb-county-population-31dec-2010-2020.csv",
        text: include_str!("../../data/population/scb-county-population-31dec-2010-2020.csv"),
        sources: include_str!("../../data/population/scb-county-population-31dec-2010-2020.md"),
    },
    BundledFile {
        id: "scb-municipality-population-31dec-2017-2019",
        path: "data/population/scb-municipality-population-31dec-2017-2019.csv",
        text: include_str!("../../data/population/scb-municipality-population-31dec-2017-2019.csv"),
        sources: include_str!("../../data/population/scb-municipality-population-31dec-2017-2019.md"),
    },
];

/// Ids and paths of bundled tables since replaced, and the table that holds their figures
/// now: a script or an agreement naming the old one keeps working, on the same rows.
const REPLACED_POPULATIONS: &[(&str, &str)] = &[
    ("scb-county-population-31dec-2010-2019", "scb-county-population-31dec-2010-2020"),
    ("data/population/scb-county-population-31dec-2010-2019.csv", "scb-county-population-31dec-2010-2020"),
];

/// What `fordela allocate` with no agreement runs.
pub const DEFAULT_AGREEMENT: &str = "god-och-nara-vard-2019";
/// The regions' population when an agreement names none.
pub const DEFAULT_POPULATION: &str = "scb-county-population-31dec-2010-2020";

#[must_use]
pub fn agreement(id: &str) -> Option<&'static BundledFile> {
    AGREEMENTS.iter().find(|file| file.id == id)
}

/// A bundled population table by id or by repository path (`data/population/….csv`).
#[must_use]
pub fn population(id_or_path: &str) -> Option<&'static BundledFile> {
    let wanted = REPLACED_POPULATIONS.iter().find(|(old, _)| *old == id_or_path).map_or(id_or_path, |(_, new)| *new);
    POPULATIONS.iter().find(|file| file.id == wanted || file.path == wanted)
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
            population(&resolve(AGREEMENTS[0].path, "../population/scb-county-population-31dec-2010-2020.csv"))
                .is_some()
        );
    }

    #[test]
    fn a_replaced_table_is_found_by_its_old_id_as_the_table_that_holds_its_rows() {
        let new = population("scb-county-population-31dec-2010-2020").unwrap();
        for old in
            ["scb-county-population-31dec-2010-2019", "data/population/scb-county-population-31dec-2010-2019.csv"]
        {
            assert_eq!(population(old).unwrap().id, new.id);
        }
        assert!(population("scb-municipality-population-31dec-2017-2019").is_some());
    }
}
