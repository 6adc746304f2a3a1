//! Reading a large table in stretches side by side: the rows not read yet are cut at line
//! breaks into consecutive stretches, each read on its own thread into a part of the caller's
//! making, and the parts come back in file order. A reader says how to start a part and how to
//! add one row to it; what a row holds (its columns, its checks) never meets the threads.

use super::{CsvTable, Record};
use crate::io::error::InputError;

/// How a table is read: in up to `parts` stretches side by side, once it has `min_len` bytes
/// left to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretches {
    pub parts: usize,
    pub min_len: usize,
}

impl Stretches {
    /// One stretch whatever the size: the line-by-line read that the parallel one must equal.
    pub const LINE_BY_LINE: Stretches = Stretches { parts: 1, min_len: usize::MAX };

    /// One per core (at most eight) for tables over a megabyte: below that, threads cost more
    /// than they save.
    #[must_use]
    pub fn for_this_machine() -> Stretches {
        let parts = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
        Stretches { parts, min_len: 1 << 20 }
    }

    /// `parts` stretches whatever the size (for tests and fuzzing, which hold the parallel
    /// read to the line-by-line one on small inputs).
    #[must_use]
    pub fn always(parts: usize) -> Stretches {
        Stretches { parts, min_len: 0 }
    }
}

/// Reads every row `table` has left, in `stretches`: each stretch into a part made by
/// `start` (given the stretch's line count, an upper bound on its rows, for reserving) and
/// filled by `per_row`. Returns the parts in file order, or the first error in file order, as
/// a reader going line by line would report it.
pub fn read_in_stretches<P: Send>(
    table: CsvTable<'_>,
    stretches: Stretches,
    start: impl Fn(usize) -> P + Sync,
    per_row: impl Fn(&mut P, Record<'_>) -> Result<(), InputError> + Sync,
) -> Result<Vec<P>, InputError> {
    let label = table.label;
    let read = |mut table: CsvTable<'_>| -> Result<P, InputError> {
        let mut part = start(table.lines_left());
        while let Some(record) = table.next_record()? {
            per_row(&mut part, record)?;
        }
        Ok(part)
    };
    let tables = table.split(stretches.parts, stretches.min_len);
    let results: Vec<Result<P, InputError>> = if tables.len() == 1 {
        tables.into_iter().map(read).collect()
    } else {
        std::thread::scope(|scope| {
            let read = &read;
            let handles: Vec<_> = tables.into_iter().map(|table| scope.spawn(move || read(table))).collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap_or_else(|_| Err(InputError::file(label, "a reading thread failed"))))
                .collect()
        })
    };
    results.into_iter().collect()
}

impl<'a> CsvTable<'a> {
    /// The rows not read yet, as up to `parts` tables over consecutive stretches of the text,
    /// to be read in parallel. A stretch ends at a line break, so the text is split only when
    /// it holds no quote (a quoted field may span lines) and has at least `min_len` bytes left.
    #[must_use]
    fn split(self, parts: usize, min_len: usize) -> Vec<CsvTable<'a>> {
        let start = self.unread_at();
        let rest = &self.text.as_bytes()[start..];
        let quoted = self.has_quote && rest.contains(&b'"');
        if self.pending || parts < 2 || rest.len() < min_len || rest.is_empty() || quoted {
            return vec![self];
        }
        let mut bounds = vec![start];
        for part in 1..parts {
            let target = start + rest.len() * part / parts;
            let Some(newline) = self.text.as_bytes()[target..].iter().position(|&b| b == b'\n') else { break };
            let bound = target + newline + 1;
            if bound > *bounds.last().unwrap_or(&start) && bound < self.text.len() {
                bounds.push(bound);
            }
        }
        bounds.push(self.text.len());
        let mut line = self.line_at_offset(start);
        let mut tables = Vec::with_capacity(bounds.len() - 1);
        for range in bounds.windows(2) {
            let text = &self.text[range[0]..range[1]];
            // No stretch holds a quote: not looked for again.
            let mut table = CsvTable::over_quoted(self.label, text, line, self.delimiter, self.lone_returns, false);
            table.columns.clone_from(&self.columns);
            table.unread.clone_from(&self.unread);
            table.comments.clone_from(&self.comments);
            table.decimal_fields.clone_from(&self.decimal_fields);
            table.header_names.clone_from(&self.header_names);
            table.header_text.clone_from(&self.header_text);
            table.header_line = self.header_line;
            table.field_count = self.field_count;
            table.fields = self.fields;
            line += self.line_ends(self.text.as_bytes(), range[0], range[1]);
            tables.push(table);
        }
        tables
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::csvin::{Column, OtherColumns};
    use crate::io::input::Input;

    /// Every row's line and fields, read in `stretches`.
    fn rows(text: &str, stretches: Stretches) -> Result<Vec<(usize, String, String)>, InputError> {
        let input = Input::from_text("t.csv", text);
        let columns = [Column::required(&["a"]), Column::required(&["b"])];
        let table = CsvTable::open(&input, &columns, OtherColumns::Numbers)?;
        let parts = read_in_stretches(table, stretches, Vec::with_capacity, |rows, record| {
            if record.field(1) == "bad" {
                return Err(InputError::at("t.csv", record.line, None, "bad"));
            }
            rows.push((record.line, record.field(0).to_string(), record.field(1).to_string()));
            Ok(())
        })?;
        Ok(parts.into_iter().flatten().collect())
    }

    proptest::proptest! {
        #[test]
        fn any_reader_reads_in_stretches_what_it_reads_line_by_line(
            lines in proptest::collection::vec((0u8..9, 0u16..500), 0..40),
            ends in proptest::collection::vec(0usize..3, 1..4),
            parts in 2usize..6,
        ) {
            // Line ends as files have them, lone `\r` (old Mac) among them, mixed.
            let end = |at: usize| ["\n", "\r\n", "\r"][ends[at % ends.len()]];
            let mut text = format!("a;b{}", end(0));
            for (at, (kind, value)) in lines.into_iter().enumerate() {
                let end = end(at + 1);
                let line = match kind {
                    0 => String::new(),
                    1 => ";".to_string(),
                    2 => format!("{value};bad"),
                    3 => format!("{value};1;2"),
                    // A quote not closed on its line (the whole file is then read on one thread).
                    4 => format!("{value};\"{value}"),
                    _ => format!("{value};{}", value / 7),
                };
                text.push_str(&line);
                text.push_str(end);
            }
            let whole = rows(&text, Stretches::LINE_BY_LINE);
            proptest::prop_assert_eq!(whole, rows(&text, Stretches::always(parts)), "{}", text);
        }
    }
}
