//! How names people write are compared: in any case, and any run of whitespace (a double or
//! trailing space, a non-breaking space copied from a web page or Word) as one space. Areas,
//! interventions, providers and regions are all matched by this one rule.

/// The form two names are compared in.
#[must_use]
pub fn key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether two names are the same name.
#[must_use]
pub fn same(a: &str, b: &str) -> bool {
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_runs_of_whitespace_do_not_make_another_name() {
        assert!(same("Samverkan  med\u{a0}kommunerna ", "samverkan med Kommunerna"));
        assert!(!same("Projekt 1", "Projekt 2"));
        assert_eq!(key(" Omställning\ttill  vård"), "omställning till vård");
    }
}
