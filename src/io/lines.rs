//! What a place in an input is called: a text file has lines, a workbook's sheet has rows.
//! Every message and report that names a place in an input says it with `Lines`, so that a
//! user looking for "line 7" in Excel finds row 7.

use crate::lang::Lang;

/// How an input's places are numbered (the number is the same: line 7 of a sheet's text is
/// row 7 of the sheet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lines {
    /// A text file (CSV, TOML): lines.
    #[default]
    Text,
    /// A workbook's sheet: rows.
    Sheet,
}

impl Lines {
    /// The word for one place, in `lang` (Swedish says `rad` for both).
    #[must_use]
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Lines::Text => lang.pick("rad", "line"),
            Lines::Sheet => lang.pick("rad", "row"),
        }
    }

    /// `message` (English, as errors are) with each `line N` and `lines N` said as this
    /// input's places: `row N` for a sheet. A `line` not followed by a number (`a line break`)
    /// is left alone.
    #[must_use]
    pub fn reword(self, message: &str) -> String {
        if self == Lines::Text {
            return message.to_string();
        }
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(at) = rest.find("line") {
            let (before, from) = rest.split_at(at);
            out.push_str(before);
            let word_start = before.chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let (word, after) = if from.starts_with("lines ") { ("rows", &from[5..]) } else { ("row", &from[4..]) };
            let numbered = after.strip_prefix(' ').is_some_and(|tail| tail.starts_with(|c: char| c.is_ascii_digit()));
            if word_start && numbered {
                out.push_str(word);
                rest = after;
            } else {
                out.push_str("line");
                rest = &from[4..];
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_s_lines_are_rows_and_other_lines_stay() {
        let sheet = Lines::Sheet;
        assert_eq!(
            sheet.reword("this row repeats the header of line 1 (`a;b`)"),
            "this row repeats the header of row 1 (`a;b`)"
        );
        assert_eq!(sheet.reword("the first is on line 12; lines 3 to 4"), "the first is on row 12; rows 3 to 4");
        assert_eq!(sheet.reword("a line break in a headline 5"), "a line break in a headline 5");
        assert_eq!(sheet.reword("line"), "line");
        assert_eq!(Lines::Text.reword("on line 3"), "on line 3");
        assert_eq!(sheet.word(Lang::En), "row");
        assert_eq!(Lines::Text.word(Lang::En), "line");
        assert_eq!(sheet.word(Lang::Sv), "rad");
    }
}
