//! "Did you mean …?" for misspelt names.

/// The candidate closest to `wanted` (case-insensitive), if it is close enough to be a typo.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // A name typed short ("Region Jämtland") means the name it begins.
    let extended = candidates
        .iter()
        .filter(|candidate| candidate.to_lowercase().starts_with(&wanted))
        .min_by_key(|candidate| candidate.len());
    if let Some(candidate) = extended {
        return Some(candidate);
    }
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&wanted, &candidate.to_lowercase()), candidate))
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
        assert_eq!(nearest("Jämtland", ["Jämtlands län", "Stockholms län"]), Some("Jämtlands län"));
        assert_eq!(nearest("xyzzy", ["name", "total"]), None);
    }
}
