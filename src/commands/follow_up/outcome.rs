//! The outcome a finance system exports: one row per transaction (or per intervention), with
//! the intervention it was booked on, its amount, and optionally its date, object, account,
//! area, a comment and a decision reference. Read through `CsvTable`, so headers are matched by
//! name (Swedish or English) and no field is dropped. Amounts stay exact decimals in the
//! outcome's own unit; `follow_up` converts them to the plan's.

use crate::core::amount::Unit;
use crate::core::date::Date;
use crate::core::proposal::unit_in_words;
use crate::io::csvin::{Column, CsvTable, OtherColumns, Record, Stretches, is_sum_label, read_in_stretches};
use crate::io::error::InputError;
use crate::io::input::Input;
use crate::io::number::{Comma, parse_unambiguous};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;

/// A text of the outcome (an intervention, an object, a comment), held once in `Outcome::texts`
/// however many rows repeat it: a ledger of a million rows names a few dozen interventions and
/// objects, so a row is a few numbers, and what is worked out from a text (its name's key, its
/// intervention) is worked out once per text, not once per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(NonZeroU32);

impl Text {
    /// Its place in `Texts`, from 0: for tables indexed by text.
    #[must_use]
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// The distinct texts of an outcome's rows, each once.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    all: Vec<Arc<str>>,
    /// Hashed by foldhash, not `SipHash`: a million lookups were a tenth of a ledger's read, and
    /// its seeds are random per process and per map, so a file cannot be written to collide.
    index: HashMap<Arc<str>, Text, foldhash::fast::RandomState>,
}

impl Texts {
    /// The text's handle, added when it is new.
    ///
    /// # Panics
    /// Past 2³² − 1 distinct texts, which a file within the input limits cannot hold.
    pub fn add(&mut self, text: &str) -> Text {
        if let Some(&known) = self.index.get(text) {
            return known;
        }
        let id = u32::try_from(self.all.len() + 1).ok().and_then(NonZeroU32::new).expect("fewer than 2^32 texts");
        let text: Arc<str> = Arc::from(text);
        self.all.push(Arc::clone(&text));
        self.index.insert(text, Text(id));
        Text(id)
    }

    #[must_use]
    pub fn get(&self, text: Text) -> &str {
        &self.all[text.index()]
    }

    /// How many distinct texts there are: every `Text::index` is below it.
    #[must_use]
    pub fn len(&self) -> usize {
        self.all.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

/// One booked amount. Its texts are handles into the outcome's `texts` (`Outcome::text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRow {
    pub line: usize,
    /// The intervention as the export names it.
    pub intervention: Text,
    /// The area as the export names it, when it has an area column and the row fills it.
    pub area: Option<Text>,
    /// Exact, in the outcome's unit; negative for a credit or a correction.
    pub amount: Decimal,
    pub date: Option<Date>,
    pub object: Option<Text>,
    pub account: Option<Text>,
    pub comment: Option<Text>,
    pub decision: Option<Text>,
}

/// A sum row of the export (`Totalt;…;1 234`): checked against the rows, never added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumRow {
    pub line: usize,
    pub amount: Decimal,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub source: String,
    /// The unit of every amount: the header's, `--unit`, else kr.
    pub unit: Unit,
    /// The rows in file order, in the parts they were read in (`rows`).
    parts: Vec<Vec<OutcomeRow>>,
    /// The rows' texts, each once.
    pub texts: Texts,
    pub sum_rows: Vec<SumRow>,
    /// Which optional columns the file has: a filter on a column the file lacks is an error.
    pub has_date: bool,
    pub has_object: bool,
    /// Whether the rows' `line`s are lines of a text or rows of a sheet, for messages.
    pub lines: crate::io::lines::Lines,
}

impl Outcome {
    /// No rows at all: `report` without an outcome file.
    #[must_use]
    pub fn none(plan_unit: Unit) -> Outcome {
        Outcome {
            source: String::new(),
            unit: plan_unit,
            parts: Vec::new(),
            texts: Texts::default(),
            sum_rows: Vec::new(),
            has_date: false,
            has_object: false,
            lines: crate::io::lines::Lines::Text,
        }
    }

    /// Whether this is `none`: no outcome file, so nothing can be missing from it.
    #[must_use]
    pub fn is_none(&self) -> bool {
        self.source.is_empty()
    }

    /// Every row, in file order.
    pub fn rows(&self) -> impl Iterator<Item = &OutcomeRow> + Clone {
        self.parts.iter().flatten()
    }

    /// The rows in file order, in the parts they were read in: placed part by part.
    #[must_use]
    pub fn parts(&self) -> &[Vec<OutcomeRow>] {
        &self.parts
    }

    /// How many rows there are (sum rows aside).
    #[must_use]
    pub fn row_count(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    /// Whether there is no row (sum rows aside).
    #[must_use]
    pub fn has_no_rows(&self) -> bool {
        self.parts.iter().all(Vec::is_empty)
    }

    /// A row's text.
    #[must_use]
    pub fn text(&self, text: Text) -> &str {
        self.texts.get(text)
    }

    /// A row's text, shared (for a listed row).
    #[must_use]
    pub fn shared(&self, text: Text) -> Arc<str> {
        Arc::clone(&self.texts.all[text.index()])
    }

    /// A row's optional text, as an owned string (for a message).
    #[must_use]
    pub fn owned(&self, text: Option<Text>) -> Option<String> {
        text.map(|text| self.text(text).to_string())
    }
}

const INTERVENTION: &[&str] = &["intervention", "insats", "åtgärd", "aktivitet"];
/// The amount column: a plain word, or a unit alone; the header may add its unit
/// (`Belopp (tkr)`).
const AMOUNT: &[&str] =
    &["amount", "belopp", "utfall", "outcome", "kostnad", "cost", "mkr", "tkr", "kr", "msek", "tsek", "sek", "kronor"];
const DATE: &[&str] = &["datum", "date", "bokföringsdatum", "transaktionsdatum", "verifikationsdatum"];
const OBJECT: &[&str] = &["objekt", "object", "objektnummer"];
const ACCOUNT: &[&str] = &["konto", "account"];
const AREA: &[&str] = &["område", "area", "utvecklingsområde", "omrade"];
const DECISION: &[&str] = &["beslut", "decision", "beslutsreferens", "diarienummer", "dnr"];

const COLUMNS: [Column<'static>; 7] = [
    Column::required(INTERVENTION).holding_names(),
    Column::required(AMOUNT).with_qualifier().with_decimals(),
    Column::optional(DATE),
    Column::optional(OBJECT).holding_names(),
    Column::optional(ACCOUNT).holding_names(),
    Column::optional(AREA).holding_names(),
    // A decision reference is compared (each listed once) and decides a verdict.
    Column::optional(DECISION).holding_names(),
];

/// The largest amount a row may hold: 10¹⁸ of its unit, beyond any grant; at most 12 decimals.
/// Within these, conversions between units and sums of any number of rows stay exact in `i128`.
fn row_amount(amount: Decimal, text: &str) -> Result<Decimal, String> {
    if amount.abs() > Decimal::from(1_000_000_000_000_000_000u64) {
        Err(format!("`{text}` is too large for an outcome row (more than 10^18)"))
    } else if amount.normalize().scale() > 12 {
        Err(format!("`{text}` has more than 12 decimals"))
    } else {
        Ok(amount.normalize())
    }
}

/// Reads an outcome export. `flag` is `--unit`: it must agree with a unit the header names.
pub fn read_outcome(input: &Input, flag: Option<Unit>) -> Result<Outcome, InputError> {
    read_outcome_in(input, flag, Stretches::for_this_machine())
}

/// `read_outcome`, reading the rows in `stretches`.
pub(super) fn read_outcome_in(input: &Input, flag: Option<Unit>, stretches: Stretches) -> Result<Outcome, InputError> {
    let table = CsvTable::open(input, &COLUMNS, OtherColumns::Refused)?;
    let header_line = table.header_line().unwrap_or(1);
    let at_header = |message: String| InputError::at(&input.label, header_line, None, message);
    let header = table.header(1).unwrap_or("belopp").to_string();
    let own = match table.qualifier(1) {
        None => header.parse::<Unit>().ok(),
        Some(addition) => Some(unit_in_words(addition).ok_or_else(|| {
            at_header(format!(
                "the header `{header}` names the amount column, but fordela does not understand `{addition}` as its \
                 unit: write kr, tkr or mkr (e.g. `Belopp (tkr)`), or name the column `belopp` and pass --unit"
            ))
        })?),
    };
    let unit = match (own, flag) {
        (Some(own), Some(flag)) if own != flag => {
            return Err(at_header(format!(
                "the header `{header}` says the amounts are in {own}, but --unit says {flag}: drop --unit or correct \
                 the header"
            )));
        }
        (Some(unit), _) | (None, Some(unit)) => unit,
        (None, None) => Unit::Kr,
    };
    let (has_date, has_object) = (table.header(2).is_some(), table.header(3).is_some());
    // As for plans: `,` and tab files may group thousands with `,`; `;` files use it as decimal.
    let comma = if matches!(table.delimiter(), b',' | b'\t') { Comma::Ambiguous } else { Comma::Decimal };
    let label = input.label.as_str();
    // A ledger of a million rows is read in stretches side by side (each with its own texts,
    // made one after), as a population file is; a small file, or one with a quote, line by line.
    let parts =
        read_in_stretches(table, stretches, Part::with_capacity, |part, record| read_row(part, &record, label, comma))?;
    let mut parts = parts.into_iter();
    let mut first = parts.next().unwrap_or_else(|| Part::with_capacity(0));
    let (mut texts, mut sum_rows) = (std::mem::take(&mut first.texts), std::mem::take(&mut first.sum_rows));
    let mut rows = vec![first.rows];
    for mut part in parts {
        let global: Vec<Text> = part.texts.all.iter().map(|text| texts.add(text)).collect();
        let to = |text: Text| global[text.index()];
        for row in &mut part.rows {
            row.intervention = to(row.intervention);
            for text in [&mut row.area, &mut row.object, &mut row.account, &mut row.comment, &mut row.decision] {
                *text = text.map(to);
            }
        }
        sum_rows.append(&mut part.sum_rows);
        rows.push(part.rows);
    }
    let lines = input.lines();
    Ok(Outcome { source: input.label.clone(), unit, parts: rows, texts, sum_rows, has_date, has_object, lines })
}

/// The rows of one stretch of an outcome file, with their texts.
struct Part {
    rows: Vec<OutcomeRow>,
    texts: Texts,
    sum_rows: Vec<SumRow>,
}

impl Part {
    /// For a stretch of `lines` lines: at most one row a line, reserved once, not grown by copies.
    fn with_capacity(lines: usize) -> Part {
        Part { rows: Vec::with_capacity(lines), texts: Texts::default(), sum_rows: Vec::new() }
    }
}

/// Reads one row of an outcome into `part`: every field checked, the texts held once.
fn read_row(part: &mut Part, record: &Record<'_>, label: &str, comma: Comma) -> Result<(), InputError> {
    let line = record.line;
    // A sheet's error names the cell: the requested column's index names it.
    let error = |field: &str, index: usize, message: String| {
        InputError::at(label, line, record.column(index), format!("field `{field}`: {message}"))
    };
    let written = |index: usize| Some(record.field(index)).filter(|text| !text.is_empty());
    let intervention = record.field(0);
    let amount_text = record.field(1);
    let amount = parse_unambiguous(amount_text, comma)
        .map_err(|err| err.to_string())
        .and_then(|amount| row_amount(amount, amount_text))
        .map_err(|message| error("amount", 1, message))?;
    if is_sum_label(intervention) {
        part.sum_rows.push(SumRow { line, amount });
        return Ok(());
    }
    if intervention.is_empty() {
        return Err(error("intervention", 0, "is empty, expected the name of one of the plan's interventions".into()));
    }
    let decision = written(6);
    if let Some(written) = decision {
        decision_reference(written).map_err(|message| error("decision", 6, message))?;
    }
    let date = match written(2) {
        Some(written) => Some(written.parse::<Date>().map_err(|_| {
            error("date", 2, format!("`{written}` is not a date: write it as YYYY-MM-DD, e.g. 2019-03-31"))
        })?),
        None => None,
    };
    let texts = &mut part.texts;
    let intervention = texts.add(intervention);
    let mut add = |text: Option<&str>| text.map(|text| texts.add(text));
    let row = OutcomeRow {
        line,
        intervention,
        area: add(written(5)),
        amount,
        date,
        object: add(written(3)),
        account: add(written(4)),
        comment: add(record.comment_text().as_deref()),
        decision: add(decision),
    };
    part.rows.push(row);
    Ok(())
}

/// Words that say a decision cell holds no decision, wherever they stand in it: none (`Ej
/// beslutat`, `Inget beslut`, `Saknas`, `No decision`), not yet (`Ansökt`, `Under beredning`,
/// `Inväntar beslut 2019`), or not any more or never (`Avslag`, `Nekat`, `Återkallat`,
/// `Upphävt`), none of which allows an overrun. Whole words:
const NOT_A_DECISION: &[&str] =
    &["nej", "ej", "inte", "icke", "ingen", "inget", "inga", "no", "not", "none", "nil", "saknas", "saknar", "tbd"];

/// … and the beginnings of words (`ingetbeslut`, `ansökan`, `avslås`, `nekat`, `upphävt`).
const NOT_A_DECISION_STEMS: &[&str] = &[
    "ingen",
    "inget",
    "saknas",
    "missing",
    "pending",
    "invänt",
    "vänta",
    "väntar",
    "ansök",
    "ansok",
    "bered",
    "avsl",
    "nekad",
    "nekat",
    "neka",
    "återkall",
    "aterkall",
    "återtag",
    "upphäv",
    "upphav",
    "reject",
    "denied",
    "deny",
    "refus",
    "withdraw",
    "undecided",
    "notdecided",
    "nodecision",
];

/// A decision reference looks like one or is refused: its presence alone turns an overrun into
/// a note (`over-budget-decided`), so a cell reading `Nej`, `-`, `Saknas` or `Inget beslut`
/// must not count as a decision. The rule: a reference has a digit other than 0 (a diary number
/// such as `RS 2019/123` or `Dnr 2019-00045`, a paragraph `§ 45`, the decision's date), is more
/// than a year alone (`2019`), and has no word of `NOT_A_DECISION` nor a word beginning as one
/// of `NOT_A_DECISION_STEMS`, read after compatibility folding (full-width `Ｎｅｊ` is `nej`) and
/// with letters and digits apart (`NEJ2019` says `nej`). A row without a decision leaves the
/// cell empty.
pub fn decision_reference(text: &str) -> Result<(), String> {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = text.nfkc().collect::<String>().to_lowercase();
    let words = folded.split(|c: char| !c.is_alphabetic()).filter(|word| !word.is_empty());
    let denial = words
        .clone()
        .find(|word| NOT_A_DECISION.contains(word) || NOT_A_DECISION_STEMS.iter().any(|stem| word.starts_with(stem)))
        .or_else(|| ["n/a", "n.a."].into_iter().find(|abbreviation| folded.contains(abbreviation)));
    let has_digit = text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let year_alone = words.clone().next().is_none()
        && digits.len() == 4
        && text.trim().len() == 4
        && matches!(digits.get(..2), Some("19" | "20"));
    let why = match denial {
        Some(word) => format!("the word `{word}` says there is no decision"),
        None if !has_digit => "it has no digit other than 0".to_string(),
        None if year_alone => "a year alone names no decision".to_string(),
        None => return Ok(()),
    };
    Err(format!(
        "`{text}` is not a decision reference ({why}): a reference has a digit other than 0 (a diary number such as \
         `RS 2019/123`, or the decision's date) and no word saying there is none or not yet (`nej`, `ej`, `inte`, \
         `saknas`, `inget`, `ansökt`, `avslag`, …), since a decision on a row lets its overrun pass as decided. Leave \
         the cell empty for a row without a decision, or write the decision's reference"
    ))
}

/// An outcome export with rows: one with a header only would make a follow-up of nothing, every
/// budget "unspent", where a failed export is more likely. The commands read outcomes with it.
pub fn read_outcome_rows(input: &Input, flag: Option<Unit>) -> Result<Outcome, InputError> {
    let outcome = read_outcome(input, flag)?;
    if outcome.has_no_rows() && outcome.sum_rows.is_empty() {
        let header_line = CsvTable::open(input, &COLUMNS, OtherColumns::Refused)?.header_line().unwrap_or(1);
        return Err(InputError::at(
            &input.label,
            header_line,
            None,
            "the outcome has a header but no rows: export the rows, or, if nothing was spent, write one row per \
             intervention with the amount 0",
        ));
    }
    Ok(outcome)
}

/// Whether an outcome row's object is `wanted`: both being digits, the same number (`09916` is
/// `9916`, as a region code `01` is `1`); else the same name (`io::names`).
#[must_use]
pub fn same_object(written: &str, wanted: &str) -> bool {
    // An object number is a code: numeric codes match by value, as region codes do.
    if crate::core::region::is_numeric_code(written) && crate::core::region::is_numeric_code(wanted) {
        crate::core::region::same_code(written, wanted)
    } else {
        crate::io::names::same(written, wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, flag: Option<Unit>) -> Result<Outcome, InputError> {
        read_outcome(&Input::from_text("utfall.csv", text), flag)
    }

    #[test]
    fn swedish_export_with_every_column() {
        let text = "\u{feff}Insats;Belopp;Datum;Objekt;Område;Kommentar;Beslut\r\n\
                    Zamsyn;1 234,50;2019-10-23;9916;omstallning;lokal;\r\n\
                    Zamsyn;−34,5;2019-10-30;9916;;kreditering;RS 2019/12\r\n\
                    Totalt;1 200;;;;;\r\n";
        let outcome = read(text, None).unwrap();
        assert_eq!(outcome.unit, Unit::Kr);
        let rows: Vec<&OutcomeRow> = outcome.rows().collect();
        assert_eq!(rows.len(), 2);
        let first = rows[0];
        assert_eq!(first.amount, Decimal::new(123_450, 2).normalize());
        assert_eq!(first.date, Date::new(2019, 10, 23));
        assert_eq!(outcome.owned(first.object).as_deref(), Some("9916"));
        assert_eq!(outcome.owned(first.area).as_deref(), Some("omstallning"));
        assert_eq!(outcome.owned(first.comment).as_deref(), Some("lokal"));
        assert_eq!(rows[1].amount, Decimal::new(-345, 1));
        assert_eq!(outcome.owned(rows[1].decision).as_deref(), Some("RS 2019/12"));
        // A text repeated on rows is held once.
        assert_eq!(first.intervention, rows[1].intervention);
        assert_eq!(outcome.text(first.intervention), "Zamsyn");
        assert_eq!(outcome.sum_rows, [SumRow { line: 4, amount: Decimal::from(1200) }]);
        assert!(outcome.has_date && outcome.has_object);
    }

    use std::fmt::Write as _;

    /// Every row with its texts, as read in `stretches`.
    fn rows_read_in(text: &str, stretches: Stretches) -> Result<Vec<String>, InputError> {
        let outcome = read_outcome_in(&Input::from_text("utfall.csv", text), None, stretches)?;
        let shown = |text: Option<Text>| outcome.owned(text).unwrap_or_default();
        let rows = outcome.rows().map(|row| {
            let texts = [Some(row.intervention), row.area, row.object, row.account, row.comment, row.decision];
            format!("{} {} {:?} {:?}", row.line, row.amount, row.date, texts.map(shown))
        });
        Ok(rows.chain(outcome.sum_rows.iter().map(|sum| format!("sum {} {}", sum.line, sum.amount))).collect())
    }

    proptest::proptest! {
        /// Read in stretches side by side, each with texts of its own, an outcome is the one read
        /// line by line: the same rows, the same texts, the same first error.
        #[test]
        fn an_outcome_read_in_stretches_is_the_one_read_line_by_line(
            rows in proptest::collection::vec((0usize..5, 0usize..4, -50i32..500, 0usize..4), 0..40),
            parts in 2usize..5,
        ) {
            let names = ["X", "Y", "Zamsyn", "Totalt", ""];
            let objects = ["9916", "9917", "", "09916"];
            let comments = ["", "lokal", "resa", "lokal"];
            let mut text = String::from("insats;belopp;datum;objekt;kommentar\n");
            for (name, object, kr, comment) in &rows {
                let day = kr.rem_euclid(28) + 1;
                writeln!(text, "{};{kr};2019-03-{day:02};{};{}", names[*name], objects[*object], comments[*comment]).unwrap();
            }
            let whole = rows_read_in(&text, Stretches::LINE_BY_LINE);
            let split = rows_read_in(&text, Stretches::always(parts));
            proptest::prop_assert_eq!(whole, split, "{}", text);
        }
    }

    #[test]
    fn the_unit_comes_from_the_header_or_the_flag_and_they_must_agree() {
        assert_eq!(read("insats;belopp (tkr)\na;1,5\n", None).unwrap().unit, Unit::Tkr);
        assert_eq!(read("insats;belopp\na;1,5\n", Some(Unit::Mkr)).unwrap().unit, Unit::Mkr);
        let err = read("insats;belopp (tkr)\na;1\n", Some(Unit::Kr)).unwrap_err().to_string();
        assert!(err.contains("says the amounts are in tkr, but --unit says kr"), "{err}");
        let err = read("insats;belopp (EUR)\na;1\n", None).unwrap_err().to_string();
        assert!(err.contains("does not understand `(EUR)`"), "{err}");
    }

    #[test]
    fn a_decision_reference_looks_like_one() {
        for reference in ["RS 2019/12", "Dnr 2019-00045", "§ 45", "2019-05-12", "KS/2019:123", "Beslut 7", "rs 2019/12"]
        {
            assert_eq!(decision_reference(reference), Ok(()), "{reference}");
        }
        for placeholder in
            ["Nej", "-", "–", "Saknas", "Inget beslut", "0", "000", "Ja", "x", "Ej beslutat 2019", "Avslag 2019-05-12"]
        {
            assert!(decision_reference(placeholder).is_err(), "{placeholder}");
        }
        let err = read(
            "insats;belopp;beslut
a;1;RS 2019/12
a;2;Inget beslut
",
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("utfall.csv, line 3: field `decision`: `Inget beslut` is not a decision reference"),
            "{err}"
        );
        assert!(err.contains("the word `inget` says there is no decision"), "{err}");
    }

    #[test]
    fn bad_fields_name_their_line() {
        let err = read("insats;belopp;datum\na;1;31/3/2019\n", None).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("not a date"), "{err}");
        let err = read("insats;belopp\n;1\n", None).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("`intervention`"), "{err}");
        let err = read("insats;belopp;ansvar\na;1;17\n", None).unwrap_err().to_string();
        assert!(err.contains("ansvar"), "{err}");
        let err = read("insats,belopp\na,\"1,500\"\n", None).unwrap_err().to_string();
        assert!(err.contains("could be read two ways"), "{err}");
    }
}
