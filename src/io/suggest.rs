//! "Did you mean …?" for misspelt names.
//!
//! Comparing two names costs the product of their lengths, and a run may look for a hint for
//! every row it cannot place among every name it knows: a 300 000-character name, or a
//! hundred thousand unknown rows, would keep a run busy for minutes for a hint. So the work is
//! bounded. A name longer than `MAX_CHARS` gets no hint and is offered as none (no typo of a
//! name is that long), and a run compares at most `BUDGET` pairs of characters for hints:
//! messages after that have no hint. A hint is help, never part of a result.

use std::sync::atomic::{AtomicU64, Ordering};

/// The longest name compared for a hint, in characters.
pub const MAX_CHARS: usize = 200;

/// Pairs of characters a run may compare for hints (about a second of work).
pub const BUDGET: u64 = 1_000_000_000;

static SPENT: AtomicU64 = AtomicU64::new(0);

/// Takes `work` from the run's budget; false once it is spent.
fn spend(work: u64) -> bool {
    SPENT.fetch_add(work, Ordering::Relaxed).saturating_add(work) <= BUDGET
}

/// `name` in lower case, if it is short enough to compare: its length in bytes rules out most
/// long names without a look at their characters.
fn comparable(name: &str) -> Option<String> {
    if name.len() > 4 * MAX_CHARS || name.chars().count() > MAX_CHARS {
        return None;
    }
    Some(name.to_lowercase())
}

/// The candidate closest to `wanted` (case-insensitive), if it is close enough to be a typo.
/// Candidates are read one by one, and no more of them once the budget is spent.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = comparable(wanted)?;
    let wanted_chars = wanted.chars().count() as u64;
    // A name typed short ("Region Jämtland") means the shortest name it begins.
    let mut extended: Option<&'a str> = None;
    let mut closest: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        // Even a name passed over costs a look at its length.
        if !spend(1 + candidate.len().min(4 * MAX_CHARS) as u64) {
            return None;
        }
        let Some(lower) = comparable(candidate) else { continue };
        if lower.starts_with(&wanted) {
            if extended.is_none_or(|known| candidate.len() < known.len()) {
                extended = Some(candidate);
            }
            continue;
        }
        // Once a name begins with `wanted`, no similar one is given instead.
        if extended.is_some() {
            continue;
        }
        if !spend(wanted_chars * lower.chars().count() as u64) {
            return None;
        }
        let score = strsim::jaro_winkler(&wanted, &lower);
        if score >= 0.8 && closest.is_none_or(|(best, _)| score >= best) {
            closest = Some((score, candidate));
        }
    }
    extended.or(closest.map(|(_, candidate)| candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word_and_nonsense_finds_none() {
        assert_eq!(nearest("totl", ["name", "total", "unit"]), Some("total"));
        assert_eq!(nearest("Jämtland", ["Jämtlands län", "Stockholms län"]), Some("Jämtlands län"));
        assert_eq!(nearest("xyzzy", ["name", "total"]), None);
        // The shortest name it begins, the last of equally close ones.
        assert_eq!(nearest("ab", ["abcd", "abc", "abx"]), Some("abc"));
        assert_eq!(nearest("abcdefgh", ["abcdefgx", "abcdefgy"]), Some("abcdefgy"));
    }

    #[test]
    fn a_name_too_long_to_be_a_typo_gets_no_hint_and_is_none() {
        let long = "a".repeat(MAX_CHARS + 1);
        let near = format!("{}b", "a".repeat(MAX_CHARS));
        assert_eq!(nearest(&long, [near.as_str(), "aaa"]), None);
        assert_eq!(nearest("aaaa", [long.as_str()]), None);
        // At the bound itself, names are still compared.
        let at = "a".repeat(MAX_CHARS);
        assert_eq!(nearest(&at[1..], [at.as_str()]), Some(at.as_str()));
    }
}
