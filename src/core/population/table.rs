//! The population table's layout: recipients of one date in code order, their codes and
//! names in one text arena laid out in that order, extra key values row by row. How the rows
//! are gathered from the file's stretches, sorted and laid out; nothing about what a field may
//! hold (that is `schema`).

use crate::core::date::Date;
use crate::core::region::{RecipientKind, code_order, code_value};
use crate::io::error::InputError;
use std::sync::{Arc, OnceLock};

/// One recipient on one date. Its code and name live in the table's text arena, so a million
/// recipients cost two allocations, not two million.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    start: usize,
    code_len: u32,
    name_len: u32,
    pub population: u64,
    /// Line of the file the figure came from, for errors and `explain` (32 bits: a file of
    /// four billion lines is not a population table, and the recipient stays 32 bytes).
    pub line: u32,
    /// Position among the rows of its date as read, where its extra key values are.
    row: u32,
}

/// The recipients of one date, sorted by code.
#[derive(Debug, Clone)]
pub struct PopulationTable {
    pub source: String,
    pub date: Date,
    pub recipients: Vec<Recipient>,
    pub total: u128,
    text: String,
    /// Extra key columns read, and their values row by row (`keys.len()` per row).
    keys: Vec<String>,
    extra: Vec<u64>,
    /// Every recipient's population as one column, made when first asked for and then shared
    /// by every split by population (a million recipients: one copy instead of one per area).
    populations: OnceLock<Arc<[u64]>>,
    /// What the table is a list of (Sweden's regions, municipalities, other).
    pub kind: RecipientKind,
    /// Codes read as another writing of themselves (`1` as `01`), for a note: never silently.
    pub rewritten_codes: Vec<CodeRewrite>,
    /// Whether `line`s are lines of a text or rows of a sheet, for messages.
    pub lines: crate::io::lines::Lines,
}

/// A code the file wrote otherwise than its list writes it (`1` for the county code `01`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRewrite {
    pub line: u32,
    pub written: String,
    pub read_as: String,
}

impl PopulationTable {
    /// Keeps only the recipients whose code `keep` accepts (a county's municipalities, for a
    /// split within it); the total is theirs.
    pub fn retain_codes(&mut self, keep: impl Fn(&str) -> bool) {
        let text = std::mem::take(&mut self.text);
        let code = |r: &Recipient| &text[r.start..r.start + r.code_len as usize];
        self.recipients.retain(|r| keep(code(r)));
        self.total = self.recipients.iter().map(|r| u128::from(r.population)).sum();
        self.text = text;
        self.populations = OnceLock::new();
    }

    #[must_use]
    pub fn code(&self, recipient: &Recipient) -> &str {
        &self.text[recipient.start..recipient.start + recipient.code_len as usize]
    }

    #[must_use]
    /// The recipient's weight by `key`: `population`, `equal` (1 each) or an extra column.
    pub fn weight(&self, recipient: &Recipient, key: &str) -> u64 {
        match key {
            "population" => recipient.population,
            "equal" => 1,
            _ => self
                .keys
                .iter()
                .position(|known| known == key)
                .map_or(0, |column| self.extra[recipient.row as usize * self.keys.len() + column]),
        }
    }

    /// Every recipient's population, in table order.
    #[must_use]
    pub fn populations(&self) -> Arc<[u64]> {
        Arc::clone(self.populations.get_or_init(|| self.recipients.iter().map(|r| r.population).collect()))
    }

    #[must_use]
    pub fn name(&self, recipient: &Recipient) -> &str {
        let start = recipient.start + recipient.code_len as usize;
        &self.text[start..start + recipient.name_len as usize]
    }

    /// The table of `rows`, sorted by code, its text laid out in that order (so whatever reads
    /// the table row by row reads memory in order: at a million rows, chasing names across the
    /// text costs more than the sort). Not yet checked: see `schema`.
    pub(super) fn lay_out(
        source: String,
        date: Date,
        total: u128,
        keys: Vec<String>,
        rows: Rows,
    ) -> Result<PopulationTable, InputError> {
        let order = rows.sorted_order();
        let mut table = PopulationTable {
            source,
            date,
            recipients: rows.recipients,
            total,
            text: rows.text,
            keys,
            extra: rows.extra,
            populations: OnceLock::new(),
            kind: RecipientKind::Other,
            rewritten_codes: Vec::new(),
            lines: crate::io::lines::Lines::Text,
        };
        // Each recipient's `row` is its position already (`Rows::push`, `concatenate`), and
        // `gather_text` makes it the new one.
        if let Some(order) = order {
            table.recipients = gather(&table.recipients, &order);
            drop(order);
            gather_text(&mut table)?;
        }
        Ok(table)
    }

    /// Takes the list's kind and writes the codes `rewrites` names (by position, in table
    /// order) as they read.
    pub(super) fn write_codes(&mut self, kind: RecipientKind, rewrites: Vec<(usize, CodeRewrite)>) {
        self.kind = kind;
        if rewrites.is_empty() {
            return;
        }
        // Few rows (a list of counties or municipalities): lay the text out again.
        let mut text = String::with_capacity(self.text.len() + rewrites.len() * 4);
        let mut next = rewrites.iter().peekable();
        for (index, recipient) in self.recipients.iter_mut().enumerate() {
            let name_start = recipient.start + recipient.code_len as usize;
            let name = &self.text[name_start..name_start + recipient.name_len as usize];
            let start = text.len();
            match next.next_if(|(at, _)| *at == index) {
                Some((_, rewrite)) => text.push_str(&rewrite.read_as),
                None => text.push_str(&self.text[recipient.start..name_start]),
            }
            recipient.code_len = u32::try_from(text.len() - start).unwrap_or(u32::MAX);
            recipient.start = start;
            text.push_str(name);
        }
        self.text = text;
        self.rewritten_codes = rewrites.into_iter().map(|(_, rewrite)| rewrite).collect();
    }
}

/// The rows of the wanted date as read from one stretch of the file (or, concatenated, from
/// all of them), in file order.
#[derive(Debug, Default)]
pub(super) struct Rows {
    recipients: Vec<Recipient>,
    /// Codes and names of `recipients`, back to back.
    text: String,
    /// Values of the extra key columns, `keys.len()` per recipient.
    extra: Vec<u64>,
    /// Each recipient's code as a number, as long as every code so far is numeric: sorting
    /// integers is several times faster than comparing a million strings.
    codes: Option<Vec<u64>>,
}

impl Rows {
    /// Room for `capacity` rows. One recipient per line at most: reserving once avoids a
    /// doubling that would hold the old and the new vector at once (pages never written are
    /// never resident).
    pub(super) fn with_capacity(capacity: usize) -> Rows {
        Rows { recipients: Vec::with_capacity(capacity), codes: Some(Vec::with_capacity(capacity)), ..Rows::default() }
    }

    /// Adds one recipient, with its values of the extra key columns.
    pub(super) fn push(&mut self, code: &str, name: &str, population: u64, line: usize, extra: &[u64]) {
        self.extra.extend_from_slice(extra);
        let start = self.text.len();
        self.text.push_str(code);
        self.text.push_str(name);
        if let Some(codes) = &mut self.codes {
            match code_value(code) {
                Some(value) => codes.push(value),
                None => self.codes = None,
            }
        }
        self.recipients.push(Recipient {
            start,
            // Fields are at most the file's size; a code or name over 4 GB is not a field.
            code_len: u32::try_from(code.len()).unwrap_or(u32::MAX),
            name_len: u32::try_from(name.len()).unwrap_or(u32::MAX),
            population,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            // Positions fit in u32: the reader refuses more rows.
            row: self.recipients.len() as u32,
        });
    }

    /// The stretches' rows as one, in file order, each recipient's `row` its position.
    pub(super) fn concatenate(parts: impl IntoIterator<Item = Rows>) -> Rows {
        let mut parts = parts.into_iter();
        let mut whole = parts.next().unwrap_or_default();
        for part in parts {
            let (text_base, row_base) = (whole.text.len(), whole.recipients.len() as u32);
            whole.text.push_str(&part.text);
            whole.extra.extend_from_slice(&part.extra);
            whole.codes = whole.codes.zip(part.codes).map(|(mut codes, more)| {
                codes.extend_from_slice(&more);
                codes
            });
            whole.recipients.extend(part.recipients.iter().map(|recipient| Recipient {
                start: recipient.start + text_base,
                row: recipient.row + row_base,
                ..*recipient
            }));
        }
        whole
    }

    /// Positions in order of code, then of line, so duplicates sit side by side in file
    /// order; `None` when the rows are in that order already.
    fn sorted_order(&self) -> Option<Vec<u32>> {
        // Positions fit in u32: the reader refuses more rows.
        if let Some(codes) = &self.codes {
            // Numeric codes of up to 19 digits as integers: value order is `code_order`'s
            // order, and among equal values (`01`, `1`) more leading zeros come first, as in
            // text order. The radix sort is stable, so equal codes stay in file order.
            return match packed_order(codes, &self.recipients) {
                Packed::Sorted => None,
                Packed::Order(order) => Some(order),
                Packed::TooLarge => numeric_order(codes, &self.recipients),
            };
        }
        let code = |position: u32| {
            let recipient = &self.recipients[position as usize];
            &self.text[recipient.start..recipient.start + recipient.code_len as usize]
        };
        let by_code = |a: &u32, b: &u32| code_order(code(*a), code(*b)).then(a.cmp(b));
        let mut order: Vec<u32> = (0..self.recipients.len() as u32).collect();
        if order.is_sorted_by(|a, b| by_code(a, b).is_le()) {
            return None;
        }
        order.sort_unstable_by(by_code);
        Some(order)
    }
}

/// What sorting numeric codes by packed keys gave.
#[derive(Debug, PartialEq, Eq)]
enum Packed {
    /// The rows are in code order already.
    Sorted,
    /// Positions in code order.
    Order(Vec<u32>),
    /// A value is too large to share 64 bits with a position (codes of more than about ten
    /// digits at a million rows): `numeric_order` sorts them.
    TooLarge,
}

/// `numeric_order` with each key packed into 64 bits (the code's value, its leading zeros,
/// its position in the low bits): half the memory the sort moves, and half the fresh memory,
/// of 16-byte keys.
fn packed_order(codes: &[u64], recipients: &[Recipient]) -> Packed {
    // Bits for a position (at least one), then 8 for the leading zeros, the rest the value.
    let position_bits = usize::BITS - recipients.len().saturating_sub(1).max(1).leading_zeros();
    let value_bits = 64 - 8 - position_bits;
    if codes.iter().any(|&value| value >> value_bits != 0) {
        return Packed::TooLarge;
    }
    let mut keys: Vec<u64> = codes
        .iter()
        .zip(recipients)
        .enumerate()
        .map(|(position, (&value, recipient))| {
            (value << (8 + position_bits)) | (u64::from(longer_first(recipient)) << position_bits) | position as u64
        })
        .collect();
    let sort_key = |key: &u64| key >> position_bits;
    if keys.is_sorted_by_key(sort_key) {
        return Packed::Sorted;
    }
    radsort::sort_by_key(&mut keys, sort_key);
    let mask = (1u64 << position_bits) - 1;
    Packed::Order(keys.into_iter().map(|key| (key & mask) as u32).collect())
}

/// Among codes of equal value (`01`, `1`), more leading zeros first, as in text order.
fn longer_first(recipient: &Recipient) -> u8 {
    u8::MAX - recipient.code_len.min(u32::from(u8::MAX)) as u8
}

/// Positions in order of numeric code value, then of leading zeros, then of position;
/// `None` when the rows are in that order already.
fn numeric_order(codes: &[u64], recipients: &[Recipient]) -> Option<Vec<u32>> {
    let mut keys: Vec<NumericKey> = codes
        .iter()
        .zip(recipients)
        .enumerate()
        .map(|(position, (&value, recipient))| NumericKey {
            value,
            longer_first: longer_first(recipient),
            position: position as u32,
        })
        .collect();
    let sort_key = |key: &NumericKey| (key.value, key.longer_first);
    if keys.is_sorted_by_key(sort_key) {
        return None;
    }
    radsort::sort_by_key(&mut keys, sort_key);
    Some(keys.into_iter().map(|key| key.position).collect())
}

#[derive(Clone, Copy)]
struct NumericKey {
    value: u64,
    longer_first: u8,
    position: u32,
}

/// `items[order[i]]` at position `i`, in a new vector. Each read is independent of the
/// others, so the processor has many in flight; following the permutation's cycles in place
/// saved the copy (32 MB at a million recipients) but waited on one cache miss after another,
/// three to four times slower.
fn gather<T: Copy>(items: &[T], order: &[u32]) -> Vec<T> {
    order.iter().map(|&from| items[from as usize]).collect()
}

/// Lays the text and the extra key values out in the recipients' (new) order. This reads all
/// over the old text, so a large table is done in two halves side by side, each writing its
/// own part of one buffer (no second copy to join).
fn gather_text(table: &mut PopulationTable) -> Result<(), InputError> {
    const PARALLEL_FROM: usize = 100_000;
    // The old text is read in random order: each recipient's is asked for `AHEAD` recipients
    // before it is copied, so that the copies do not wait on one cache miss after another.
    const AHEAD: usize = 16;
    let PopulationTable { source, recipients, text: old_text, extra: old_extra, keys, .. } = table;
    let width = keys.len();
    let text_len = |recipients: &[Recipient]| -> usize {
        recipients.iter().map(|recipient| recipient.code_len as usize + recipient.name_len as usize).sum()
    };
    let half = if recipients.len() >= PARALLEL_FROM { recipients.len() / 2 } else { recipients.len() };
    let (first, second) = recipients.split_at_mut(half);
    let first_len = text_len(first);
    let mut text = vec![0u8; first_len + text_len(second)];
    let mut extra = vec![0u64; old_extra.len()];
    let (first_text, second_text) = text.split_at_mut(first_len);
    let (first_extra, second_extra) = extra.split_at_mut(half * width);
    // Copies each recipient's text to `into` (which starts at byte `base` of the new text),
    // and its key values; its `row` becomes its new position (`first` is the slice's first).
    let old_bytes = old_text.as_bytes();
    let gather = |recipients: &mut [Recipient], into: &mut [u8], extra: &mut [u64], base: usize, first: usize| {
        let mut at = 0;
        for index in 0..recipients.len() {
            if let Some(ahead) = recipients.get(index + AHEAD) {
                prefetch(old_bytes, ahead.start);
            }
            let recipient = &mut recipients[index];
            let len = recipient.code_len as usize + recipient.name_len as usize;
            into[at..at + len].copy_from_slice(&old_bytes[recipient.start..recipient.start + len]);
            recipient.start = base + at;
            at += len;
            if width > 0 {
                let row = recipient.row as usize;
                extra[index * width..(index + 1) * width].copy_from_slice(&old_extra[row * width..(row + 1) * width]);
            }
            recipient.row = (first + index) as u32;
        }
    };
    let finished = std::thread::scope(|scope| {
        let second_half =
            (!second.is_empty()).then(|| scope.spawn(|| gather(second, second_text, second_extra, first_len, half)));
        gather(first, first_text, first_extra, 0, 0);
        second_half.is_none_or(|handle| handle.join().is_ok())
    });
    // A half that was not laid out leaves the table unusable: say so, as the reading threads do.
    if !finished {
        return Err(InputError::file(source, "a sorting thread failed"));
    }
    // Whole fields of a valid text, copied whole: valid UTF-8 still.
    *old_text = String::from_utf8(text).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
    *old_extra = extra;
    Ok(())
}

/// Asks the processor to bring `bytes[at]` into its cache. A hint only: it reads nothing the
/// program sees, and an `at` past the end asks for nothing.
#[inline]
fn prefetch(bytes: &[u8], at: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(byte) = bytes.get(at) {
        // SAFETY: a prefetch cannot fault or change memory, and SSE is part of every x86-64;
        // the intrinsic is `unsafe` only because it names a target feature.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(std::ptr::from_ref(byte).cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (bytes, at);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recipients whose codes have the given lengths (only `code_len` matters to the order).
    fn of_lengths(lengths: &[u32]) -> Vec<Recipient> {
        lengths
            .iter()
            .map(|&code_len| Recipient { start: 0, code_len, name_len: 0, population: 0, line: 0, row: 0 })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn packed_keys_sort_as_the_16_byte_keys_do(
            rows in proptest::collection::vec((0u64..40, 1u32..5), 1..300),
        ) {
            let (codes, lengths): (Vec<u64>, Vec<u32>) = rows.into_iter().unzip();
            let recipients = of_lengths(&lengths);
            let expected = match numeric_order(&codes, &recipients) {
                None => Packed::Sorted,
                Some(order) => Packed::Order(order),
            };
            proptest::prop_assert_eq!(packed_order(&codes, &recipients), expected);
        }
    }

    #[test]
    fn codes_too_large_to_pack_are_sorted_with_16_byte_keys() {
        // Four rows leave 64 − 8 − 2 = 54 bits for a value: 2⁵⁴ − 1 packs, 2⁵⁴ does not.
        let recipients = of_lengths(&[17, 17, 1, 2]);
        assert_eq!(packed_order(&[(1 << 54) - 1, 5, 7, 7], &recipients), Packed::Order(vec![1, 3, 2, 0]));
        let codes = [1 << 54, 5, 7, 7];
        assert_eq!(packed_order(&codes, &recipients), Packed::TooLarge);
        assert_eq!(numeric_order(&codes, &recipients), Some(vec![1, 3, 2, 0]));
    }

    /// `sizes` stretches of rows, and the same rows read as one stretch; the row at `text_at`
    /// has a code that is not a number.
    fn stretches(sizes: &[usize], text_at: Option<usize>) -> (Vec<Rows>, Rows) {
        let mut whole = Rows::with_capacity(0);
        let mut parts = Vec::new();
        let mut at = 0;
        for &size in sizes {
            let mut part = Rows::with_capacity(size);
            for _ in 0..size {
                let code = if Some(at) == text_at { "A1".to_string() } else { (1_000_000 + at * 7 % 999).to_string() };
                let name = format!("R{at}");
                for rows in [&mut part, &mut whole] {
                    rows.push(&code, &name, at as u64, at + 2, &[at as u64 * 3]);
                }
                at += 1;
            }
            parts.push(part);
        }
        (parts, whole)
    }

    #[test]
    fn stretches_joined_are_the_rows_read_as_one() {
        for (sizes, text_at) in [(&[3, 1_000, 7][..], None), (&[3, 1_000, 7], Some(1_001)), (&[2, 3, 1], Some(5))] {
            let (parts, whole) = stretches(sizes, text_at);
            let joined = Rows::concatenate(parts);
            assert_eq!(joined.recipients, whole.recipients);
            assert_eq!(joined.text, whole.text);
            assert_eq!(joined.extra, whole.extra);
            assert_eq!(joined.codes, whole.codes);
            assert_eq!(joined.codes.is_none(), text_at.is_some());
        }
    }

    #[test]
    fn gathering_puts_each_item_where_the_order_says() {
        let items = vec!['a', 'b', 'c', 'd', 'e'];
        assert_eq!(gather(&items, &[3, 0, 4, 1, 2]), vec!['d', 'a', 'e', 'b', 'c']);
    }
}
