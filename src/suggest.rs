//! "Did you mean …?" for misspelt names.

/// The candidate closest to `wanted` (case-insensitive), if it is close enough to be a typo.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&wanted, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn typos_find_their_word_and_nonsense_finds_none() {
        assert_eq!(nearest("totl", ["name", "total", "unit"]), Some("total"));
        assert_eq!(
            nearest("Jämtland", ["Jämtlands län", "Stockholms län"]),
            Some("Jämtlands län")
        );
        assert_eq!(nearest("xyzzy", ["name", "total"]), None);
    }
}
