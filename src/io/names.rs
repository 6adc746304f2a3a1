//! How names people write are compared: one rule for every name fordela compares (regions,
//! areas, interventions, providers, decisions, ids), in every command.
//!
//! - Unicode NFC: `å` typed as one character (U+00E5) and as `a` plus a combining ring (U+030A,
//!   as macOS, some web forms and text copied from a PDF write it) are one name.
//! - Any case, and any run of whitespace (a double or trailing space, a non-breaking space
//!   copied from a web page or Word) as one space.
//! - A name holding a character that does not show (a soft hyphen, a zero-width space, a stray
//!   byte order mark, a control character) or that reorders the text shown after it (a bidi
//!   control) is refused where it was read, naming the character: two copies of a name, one
//!   with it and one without, look alike but are different strings, so they would count as two
//!   names; and no rule that quietly drops such characters can know that they meant nothing.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `text` in Unicode NFC; most names (ASCII, or already composed) are returned as they are.
#[must_use]
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// The form two names are compared in: NFC, lowercase, runs of whitespace as one space.
#[must_use]
pub fn key(name: &str) -> String {
    let composed = nfc(name);
    let mut key = String::with_capacity(composed.len());
    for word in composed.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    // Lowercasing may leave a character decomposed (`İ` is `i` and a combining dot): composed
    // again, so that every key is in one form.
    match nfc(&key) {
        Cow::Borrowed(_) => key,
        Cow::Owned(composed) => composed,
    }
}

/// Whether two names are the same name.
#[must_use]
pub fn same(a: &str, b: &str) -> bool {
    // Most comparisons are of ASCII names: compared without building either key.
    if a.is_ascii() && b.is_ascii() {
        let mut words = (a.split_whitespace(), b.split_whitespace());
        loop {
            match (words.0.next(), words.1.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
                _ => return false,
            }
        }
    }
    key(a) == key(b)
}

/// Whether a field's text says that there is nothing there: punctuation alone (`-`, `–`, `—`,
/// `?`, `.`), or a word for none (`Nej`, `Saknas`, `Inget beslut`, `N/A`, `None`). An empty
/// field is empty, not a placeholder. A field whose meaning is its presence (a decision, an
/// object) must not read such a text as a value.
#[must_use]
pub fn is_placeholder(text: &str) -> bool {
    /// Words for none, as the names rule writes them (lowercase, one space).
    const NONE: &[&str] = &[
        "nej",
        "no",
        "ej",
        "ingen",
        "inget",
        "inga",
        "saknas",
        "saknar",
        "finns ej",
        "finns inte",
        "inget beslut",
        "ingen uppgift",
        "uppgift saknas",
        "ej beslutat",
        "ej aktuellt",
        "ej tillämpligt",
        "okänt",
        "okänd",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "missing",
        "unknown",
        "not applicable",
        "tbd",
    ];
    let text = text.trim();
    !text.is_empty() && (!text.chars().any(char::is_alphanumeric) || NONE.contains(&key(text).as_str()))
}

/// A character in a name that does not show, or that reorders what is shown after it, and
/// where it is (counted in characters from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hidden {
    pub character: char,
    pub position: usize,
}

/// The first character of `name` that a name may not hold (see the module's rule), if any.
#[must_use]
pub fn hidden(name: &str) -> Option<Hidden> {
    // Printable ASCII and the letters of U+00C0–U+033F (Latin-1's and Latin Extended letters,
    // the combining accents of a decomposed `å`), most names and every code, hold none: one
    // pass over the bytes, which a million-row population file makes worth it. In UTF-8 those
    // are the bytes 0x20–0x7E, continuation bytes, and the lead bytes 0xC3–0xCC.
    if name.bytes().all(|byte| matches!(byte, 0x20..=0x7e | 0x80..=0xbf | 0xc3..=0xcc)) {
        return None;
    }
    name.chars()
        .enumerate()
        .find(|&(_, character)| is_hidden(character))
        .map(|(at, character)| Hidden { character, position: at + 1 })
}

/// Whether `character` is a control character other than whitespace, a format character
/// (Unicode category Cf), or another code point that is ignored when text is shown
/// (`Default_Ignorable_Code_Point`: variation selectors, Hangul fillers, tags), or a character
/// that shows as blank without being whitespace (U+2800 BRAILLE PATTERN BLANK): a name holding
/// one looks like another and would be a second name.
fn is_hidden(character: char) -> bool {
    match u32::from(character) {
        // Whitespace (tab, line ends) is compared as a space; other controls are refused.
        0x00..=0x1f | 0x7f..=0x9f => !character.is_whitespace(),
        0xad
        | 0x34f
        | 0x600..=0x605
        | 0x61c
        | 0x6dd
        | 0x70f
        | 0x890..=0x891
        | 0x8e2
        | 0x115f..=0x1160
        | 0x17b4..=0x17b5
        | 0x180b..=0x180f
        | 0x200b..=0x200f
        | 0x202a..=0x202e
        | 0x2060..=0x206f
        | 0x2800
        | 0x3164
        | 0xfe00..=0xfe0f
        | 0xfeff
        | 0xffa0
        | 0xfff0..=0xfffb
        | 0x110bd
        | 0x110cd
        | 0x13430..=0x1343f
        | 0x1bca0..=0x1bca3
        | 0x1d173..=0x1d17a
        | 0xe0000..=0xe0fff => true,
        _ => false,
    }
}

/// Whether `character` sets or changes the direction of the text after it (the bidi controls:
/// embeddings, overrides, isolates and marks). Shown as they are, they can make `612` read
/// `216`.
#[must_use]
pub fn is_bidi_control(character: char) -> bool {
    matches!(u32::from(character), 0x61c | 0x200e | 0x200f | 0x202a..=0x202e | 0x2066..=0x2069)
}

impl Hidden {
    /// `U+00AD SOFT HYPHEN`: the code point, and its Unicode name where it is a common one.
    #[must_use]
    pub fn code_point(&self) -> String {
        match unicode_name(self.character) {
            Some(name) => format!("U+{:04X} {name}", u32::from(self.character)),
            None => format!("U+{:04X}", u32::from(self.character)),
        }
    }

    /// What kind of character it is, for a message.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        if is_bidi_control(self.character) {
            "a direction control, which reorders the text shown after it"
        } else if self.character.is_control() {
            "a control character"
        } else {
            "a character that does not show"
        }
    }
}

/// The Unicode names of the characters that reach names in practice (from Word, web pages,
/// PDF copies, joined files, and text written to mislead).
fn unicode_name(character: char) -> Option<&'static str> {
    Some(match u32::from(character) {
        0x00 => "NULL",
        0x08 => "BACKSPACE",
        0x1b => "ESCAPE",
        0x7f => "DELETE",
        0xad => "SOFT HYPHEN",
        0x34f => "COMBINING GRAPHEME JOINER",
        0x61c => "ARABIC LETTER MARK",
        0x180e => "MONGOLIAN VOWEL SEPARATOR",
        0x200b => "ZERO WIDTH SPACE",
        0x200c => "ZERO WIDTH NON-JOINER",
        0x200d => "ZERO WIDTH JOINER",
        0x200e => "LEFT-TO-RIGHT MARK",
        0x200f => "RIGHT-TO-LEFT MARK",
        0x202a => "LEFT-TO-RIGHT EMBEDDING",
        0x202b => "RIGHT-TO-LEFT EMBEDDING",
        0x202c => "POP DIRECTIONAL FORMATTING",
        0x202d => "LEFT-TO-RIGHT OVERRIDE",
        0x202e => "RIGHT-TO-LEFT OVERRIDE",
        0x2060 => "WORD JOINER",
        0x2061 => "FUNCTION APPLICATION",
        0x2062 => "INVISIBLE TIMES",
        0x2063 => "INVISIBLE SEPARATOR",
        0x2064 => "INVISIBLE PLUS",
        0x2800 => "BRAILLE PATTERN BLANK",
        0x2066 => "LEFT-TO-RIGHT ISOLATE",
        0x2067 => "RIGHT-TO-LEFT ISOLATE",
        0x2068 => "FIRST STRONG ISOLATE",
        0x2069 => "POP DIRECTIONAL ISOLATE",
        0xfe0f => "VARIATION SELECTOR-16",
        0xfeff => "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        _ => return None,
    })
}

/// `text` with every character a name may not hold written as its code point (`Zam<U+00AD>syn`),
/// so that a message shows where it is and is not itself reordered by it.
#[must_use]
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        if is_hidden(character) {
            let _ = write!(out, "<U+{:04X}>", u32::from(character));
        } else {
            out.push(character);
        }
    }
    out
}

/// A name refused for a character it may not hold: the name (as `shown`) and the character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct HiddenCharacter {
    pub name: String,
    pub hidden: Hidden,
}

impl fmt::Display for HiddenCharacter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` holds {}, {}, as character {}: the same name without it would look alike and still count as \
             another name; delete the character (retype the name)",
            self.name,
            self.hidden.code_point(),
            self.hidden.kind(),
            self.hidden.position
        )
    }
}

/// `name`, refused if it holds a character a name may not hold (see the module's rule).
pub fn check(name: &str) -> Result<&str, HiddenCharacter> {
    match hidden(name) {
        None => Ok(name),
        Some(hidden) => Err(HiddenCharacter { name: shown(name), hidden }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn case_and_runs_of_whitespace_do_not_make_another_name() {
        assert!(same("Samverkan  med\u{a0}kommunerna ", "samverkan med Kommunerna"));
        assert!(!same("Projekt 1", "Projekt 2"));
        assert!(!same("Projekt", "Projekt 1"));
        assert_eq!(key(" Omställning\ttill  vård"), "omställning till vård");
    }

    #[test]
    fn composed_and_decomposed_letters_are_one_name() {
        // `å` as U+00E5 and as `a` + U+030A COMBINING RING ABOVE; `Ö` as `O` + U+0308.
        assert!(same("Utökad tillgänglighet på Åre", "Uto\u{308}kad tillga\u{308}nglighet pa\u{30a} A\u{30a}re"));
        assert_eq!(key("O\u{308}STERSUND"), "östersund");
        assert!(!same("Åre", "Are"));
    }

    #[test]
    fn placeholders_say_there_is_nothing() {
        for text in
            ["-", "–", "—", " - ", "?", "...", "Nej", "NEJ", "Saknas", "Inget beslut", "inget  beslut", "N/A", "None"]
        {
            assert!(is_placeholder(text), "{text:?}");
        }
        for text in ["", "RS 2019/12", "9916", "0", "Nejlika", "Ingen-ting AB", "Saknas ej 2019"] {
            assert!(!is_placeholder(text), "{text:?}");
        }
    }

    #[test]
    fn characters_that_do_not_show_are_named() {
        let err = check("Zam\u{ad}syn").unwrap_err();
        assert_eq!(err.hidden, Hidden { character: '\u{ad}', position: 4 });
        let message = err.to_string();
        assert!(message.starts_with("`Zam<U+00AD>syn` holds U+00AD SOFT HYPHEN, a character that does not show"));
        assert!(message.contains("as character 4"), "{message}");
        assert_eq!(hidden("Zamsyn\u{200b}").map(|h| h.code_point()), Some("U+200B ZERO WIDTH SPACE".to_string()));
        assert!(hidden("\u{feff}Zamsyn").is_some());
        let bidi = check("Zamsyn \u{202e}612").unwrap_err();
        assert!(bidi.to_string().contains("U+202E RIGHT-TO-LEFT OVERRIDE, a direction control"), "{bidi}");
        assert_eq!(hidden("a\u{7}b").map(|h| h.code_point()), Some("U+0007".to_string()));
        // The byte shortcut's edges: U+00BF and U+033F pass, U+00AD and U+034F do not.
        assert_eq!(hidden("¿Ő\u{33f}"), None);
        assert_eq!(hidden("a\u{34f}b").map(|h| h.position), Some(2));
        // Whitespace, letters of any script and visible punctuation are names' own.
        for fine in ["Zamsyn", "Omställning\ttill vård", "Vård\u{a0}och omsorg", "Région – 22–23 okt.", "שלום", ""]
        {
            assert_eq!(check(fine), Ok(fine), "{fine:?}");
        }
    }

    /// A character of a name as people write it: letters (Swedish ones too, composed or not),
    /// digits, spaces and punctuation.
    fn name_character() -> impl Strategy<Value = char> {
        prop_oneof![
            proptest::char::range('a', 'z'),
            proptest::char::range('A', 'Z'),
            proptest::char::range('0', '9'),
            proptest::sample::select(vec![
                'å', 'ä', 'ö', 'Å', 'Ä', 'Ö', 'é', 'ü', 'ñ', 'ø', 'ß', 'İ', 'ǅ', 'ﬁ', ' ', '\u{a0}', '\t', '-', '–',
                '.', '/', '\u{301}', '\u{308}', '\u{30a}', '\u{327}', 'ḗ', 'ự', '한', 'Ω', 'Å'
            ]),
        ]
    }

    /// The characters a name may not hold, each of the kinds the rule names.
    fn refused_character() -> impl Strategy<Value = char> {
        prop_oneof![
            proptest::sample::select(vec![
                '\u{ad}',
                '\u{200b}',
                '\u{200c}',
                '\u{200d}',
                '\u{200e}',
                '\u{200f}',
                '\u{202a}',
                '\u{202b}',
                '\u{202c}',
                '\u{202d}',
                '\u{202e}',
                '\u{2060}',
                '\u{2066}',
                '\u{2067}',
                '\u{2068}',
                '\u{2069}',
                '\u{feff}',
                '\u{61c}',
                '\u{180e}',
                '\u{0}',
                '\u{7}',
                '\u{1b}',
                '\u{7f}',
                '\u{9b}',
                '\u{e0041}',
                '\u{fe0f}'
            ]),
            proptest::char::range('\u{e0020}', '\u{e007f}'),
        ]
    }

    proptest! {
        #[test]
        fn a_name_and_its_decomposed_form_are_one_name(
            name in proptest::collection::vec(name_character(), 0..24).prop_map(String::from_iter),
        ) {
            let decomposed: String = name.nfd().collect();
            prop_assert!(same(&name, &decomposed), "{name:?} / {decomposed:?}");
            prop_assert_eq!(key(&name), key(&decomposed));
            prop_assert_eq!(key(&name), key(&name.nfc().collect::<String>()));
            prop_assert!(same(&name.to_uppercase(), &decomposed.to_lowercase()) || name.contains(['ß', 'İ', 'ǅ', 'ﬁ']));
            prop_assert_eq!(check(&name).is_ok(), check(&decomposed).is_ok());
        }

        #[test]
        fn same_is_equal_keys(
            a in proptest::collection::vec(name_character(), 0..12).prop_map(String::from_iter),
            b in proptest::collection::vec(name_character(), 0..12).prop_map(String::from_iter),
        ) {
            // The ASCII shortcut answers as the keys do.
            prop_assert_eq!(same(&a, &b), key(&a) == key(&b));
            let (a, b) = (a.replace(|c: char| !c.is_ascii(), "x"), b.replace(|c: char| !c.is_ascii(), "x"));
            prop_assert_eq!(same(&a, &b), key(&a) == key(&b));
            let (upper, padded) = (a.to_uppercase(), format!(" {a}\t"));
            prop_assert!(same(&a, &upper) && same(&padded, &a));
        }

        #[test]
        fn a_name_with_a_hidden_character_inserted_is_refused(
            name in proptest::collection::vec(name_character(), 0..24).prop_map(String::from_iter),
            at in 0usize..25,
            inserted in refused_character(),
        ) {
            let mut chars: Vec<char> = name.chars().collect();
            let at = at.min(chars.len());
            chars.insert(at, inserted);
            let with: String = chars.into_iter().collect();
            let err = check(&with).unwrap_err();
            prop_assert_eq!(err.hidden, Hidden { character: inserted, position: at + 1 });
            let (message, code_point) = (err.to_string(), format!("U+{:04X}", u32::from(inserted)));
            prop_assert!(message.contains(&code_point));
            prop_assert!(!message.contains(inserted), "the message shows the code point, not the character");
            prop_assert!(check(&name).is_ok());
        }
    }
}
