//! `audit`: is a published distribution table a valid rounding of the exact split, and which
//! date of the population file was it computed from?
//!
//! What "consistent" means here. A recipient's exact quota is `total × weight / Σ weights`, in
//! steps of the table (one unit of its amounts, or a tenth, … when its amounts show decimals,
//! or the `--step` given, such as 1 000 kr for a table in kr rounded to thousands).
//! A published amount is a *valid rounding* when it is the quota rounded down or up to a whole
//! step (`floor` or `ceil`; an exact quota has one valid rounding). A table *adds up* when its
//! amounts sum to the total. A table is consistent when every row is a valid rounding and it
//! adds up. That is weaker than "fordela's result": largest remainder is one consistent
//! rounding among several, so a table rounded otherwise (half up, say) may be consistent and
//! still differ from fordela's in some rows; and a table of valid roundings is inconsistent
//! when they do not add up (half up often does not). Rows that are not valid roundings and a
//! table that does not add up are errors; being another consistent rounding is not a finding.
//!
//! What else a table states is checked too. A sum row (`Summa`, `Totalt`) adds up the rows of
//! its own block, since the previous sum row or the start; a sum row no recipient row follows
//! is the grand total and adds up every row above it (`sum_row_block`); set-asides count, rows
//! below never do. A stated population must be the file's on the audited date, a stated share
//! (per cent) the file's share rounded down or up to the decimals shown; stated populations
//! equal to a date's are the first evidence of the date, before the roundings (`best_date`).
//! A column paid at a rate per inhabitant has quota rate × figure exactly, and total rate × Σ.
//!
//! The work is pure: the published table (`published`) and the population of every date come
//! in, an `AuditReport` of typed rows, dates and findings goes out; renderers put it in words.

pub use super::published::{AuditError, Published, PublishedRow, RowKind};
use crate::core::amount::{Fraction, Scaled, Unit};
use crate::core::apportion::{Method, compare_products};
use crate::core::date::Date;
use crate::core::findings::Severity;
use crate::core::population::PopulationTable;
use crate::core::population::lookup::{RegionError, RegionIndex};
use crate::core::region::{code_value, is_numeric_code};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::HashMap;

/// What one amount column of the table is audited against: an area of an agreement, or a
/// total given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnBasis {
    /// The area's id (`amount` for a single column against `--total`).
    pub id: String,
    pub name: String,
    /// The population file's column the amount is divided by.
    pub key: String,
    /// How fordela itself divides it (for "equals fordela's result").
    pub method: Method,
    /// The amount divided among the recipients, in kronor exactly.
    pub total_kr: Scaled,
    /// Amounts set aside for named recipients (not divided), in kronor exactly.
    pub set_asides: Vec<(String, Scaled)>,
}

/// Where the audited population date came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "reason")]
pub enum DateChoice {
    /// The agreement's own `population_date`.
    Agreement,
    /// The agreement's stated substitute, with its reason.
    Substitute(String),
    /// `--population-date`.
    Flag,
    /// No agreement and no `--population-date`: the date of the file that fits the table best
    /// (most stated populations equal, then most valid roundings; on a draw the latest).
    BestFit,
}

/// The size of one step of the table: `10^-decimals` of its unit (below zero: a step of ten,
/// a hundred, … units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    pub unit: Unit,
    pub decimals: i32,
}

impl Step {
    /// The step in kronor as a power of ten (`-2` for öre, `3` for 1 tkr).
    #[must_use]
    pub fn exponent(self) -> i64 {
        i64::from(self.unit.exponent()) - i64::from(self.decimals)
    }
}

/// A signed exact difference, in steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deviation {
    pub negative: bool,
    pub size: Fraction,
}

impl Deviation {
    fn is_zero(&self) -> bool {
        self.size.numerator == 0
    }
}

/// One recipient's row of one amount column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowAudit {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub weight: u64,
    /// The exact quota, in steps.
    pub quota: Fraction,
    /// The published amount, in steps.
    pub published: u128,
    /// Published − quota, in steps.
    pub deviation: Deviation,
    /// Whether the published amount is the quota rounded down or up.
    pub valid_rounding: bool,
    /// fordela's own amount in steps, when the total is a whole number of steps.
    pub fordela: Option<u128>,
    /// The row's comment in the table, as written.
    pub comment: Option<String>,
}

impl RowAudit {
    #[must_use]
    pub fn equals_fordela(&self) -> Option<bool> {
        self.fordela.map(|units| units == self.published)
    }
}

/// A set-aside recipient's row: stated in the agreement, not divided, so it must match exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetAsideAudit {
    pub line: usize,
    pub recipient: String,
    /// The agreement's amount, in steps (a fraction when it is not a whole step).
    pub expected: Fraction,
    pub published: u128,
    /// The row's comment in the table, as written.
    pub comment: Option<String>,
}

/// One amount column, audited against its basis on the audited date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnAudit {
    pub id: String,
    pub name: String,
    /// The column's header as written.
    pub header: String,
    /// The amount divided, in steps.
    pub total: Fraction,
    /// The recipients' published amounts added up, in steps.
    pub published_sum: u128,
    pub rows: Vec<RowAudit>,
    pub set_asides: Vec<SetAsideAudit>,
    /// The row of the largest deviation (either sign), by index into `rows`.
    pub largest_deviation: Option<usize>,
    /// The rate per inhabitant, in steps, when the column is paid at one (quota = rate × figure).
    pub rate: Option<Fraction>,
}

impl ColumnAudit {
    /// Whether the recipients' amounts add up to the total exactly.
    #[must_use]
    pub fn adds_up(&self) -> bool {
        self.total.denominator == 1 && self.total.numerator == self.published_sum
    }

    #[must_use]
    pub fn valid_roundings(&self) -> usize {
        self.rows.iter().filter(|row| row.valid_rounding).count()
    }

    /// Whether every row equals fordela's result (`None` when there is none to compare with).
    #[must_use]
    pub fn equals_fordela(&self) -> Option<bool> {
        self.rows.iter().map(RowAudit::equals_fordela).collect::<Option<Vec<bool>>>().map(|all| all.iter().all(|&b| b))
    }
}

/// How well the table fits one date of the population file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateFit {
    pub date: Date,
    /// Amounts audited: recipients' cells over every column (cells of rows unknown on this
    /// date count as audited and not valid).
    pub cells: usize,
    pub valid_roundings: usize,
    /// The largest deviation's size, in steps (none when no cell could be audited).
    pub largest_deviation: Option<Fraction>,
    /// Whether every column adds up and every cell is a valid rounding on this date.
    pub consistent: bool,
    /// How many of the populations the table states are this date's (none when it states
    /// none): the strongest evidence of the date, counted before the roundings.
    pub populations_matching: Option<usize>,
}

/// What the audit found, with its figures (in steps); the renderer words it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum FindingKind {
    /// A published amount that is neither the quota rounded down nor rounded up.
    NotARounding {
        column: String,
        line: usize,
        code: String,
        name: String,
        quota: Fraction,
        published: u128,
        deviation: Deviation,
    },
    /// The recipients' amounts of a column do not add up to its total.
    TotalMismatch { column: String, total: Fraction, published_sum: u128 },
    /// A row whose code or name is no recipient of the population file on the audited date.
    UnknownRecipient { line: usize, written: String, reason: String },
    /// A recipient of the population file with no row in the table.
    MissingRecipient { code: String, name: String },
    /// Another date of the population file fits the table better than the audited one.
    OtherDateFitsBetter { audited: Date, audited_valid: usize, best: Date, best_valid: usize, cells: usize },
    /// A set-aside recipient's amount differs from the agreement's.
    SetAsideMismatch { column: String, line: usize, recipient: String, expected: Fraction, published: u128 },
    /// A row's `total` cell is not the sum of its amounts.
    RowTotalMismatch { line: usize, written: String, stated: u128, sum: u128 },
    /// A sum row (`Totalt`, `Summa`) differs from the rows it adds up (set-asides included): its
    /// block's, or every row above it when it is the grand total (see `sum_row_block`).
    SumRowMismatch { column: String, line: usize, stated: u128, sum: u128 },
    /// A row's stated population is not the population file's on the audited date.
    PopulationMismatch { line: usize, written: String, stated: u64, file: u128 },
    /// A row's stated share (per cent) is not the file's population share rounded down or up
    /// to the decimals it shows; `exact` is that share in per cent.
    ShareMismatch { line: usize, written: String, stated: String, exact: Fraction },
    /// The populations the table states are another date's more than the audited one's.
    PopulationsOfOtherDate { audited: Date, audited_matching: usize, best: Date, best_matching: usize, stated: usize },
}

impl FindingKind {
    /// The stable id scripts match on.
    #[must_use]
    pub fn id(&self) -> &'static str {
        match self {
            FindingKind::NotARounding { .. } => "audit-not-a-rounding",
            FindingKind::TotalMismatch { .. } => "audit-total-mismatch",
            FindingKind::UnknownRecipient { .. } => "audit-unknown-recipient",
            FindingKind::MissingRecipient { .. } => "audit-missing-recipient",
            FindingKind::OtherDateFitsBetter { .. } => "audit-other-date-fits-better",
            FindingKind::SetAsideMismatch { .. } => "audit-set-aside-mismatch",
            FindingKind::RowTotalMismatch { .. } => "audit-row-total-mismatch",
            FindingKind::SumRowMismatch { .. } => "audit-sum-row-mismatch",
            FindingKind::PopulationMismatch { .. } => "audit-population-mismatch",
            FindingKind::ShareMismatch { .. } => "audit-share-mismatch",
            FindingKind::PopulationsOfOtherDate { .. } => "audit-populations-of-other-date",
        }
    }

    fn severity(&self) -> Severity {
        match self {
            FindingKind::OtherDateFitsBetter { .. } | FindingKind::PopulationsOfOtherDate { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub severity: Severity,
    #[serde(flatten)]
    pub kind: FindingKind,
}

impl Finding {
    fn new(kind: FindingKind, strict: bool) -> Finding {
        let severity = if strict { Severity::Error } else { kind.severity() };
        Finding { id: kind.id(), severity, kind }
    }
}

/// What the table is audited against, for the report's heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Against {
    Agreement {
        name: String,
        source: String,
    },
    Total,
    /// The table's own grand total row (`--column` with no `--total`): its line and label.
    TotalRow {
        line: usize,
        label: String,
    },
}

/// The whole audit: the result value every renderer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub table: String,
    pub against: Against,
    pub step: Step,
    /// Whether the step is `--step`'s; else it is the finest the amounts need (the most
    /// decimals any amount shows, trailing zeros aside).
    pub step_given: bool,
    pub population_source: String,
    /// The date the rows are audited on, and why that one.
    pub population_date: Date,
    pub date_choice: DateChoice,
    pub columns: Vec<ColumnAudit>,
    /// Every date of the population file, in date order.
    pub dates: Vec<DateFit>,
    /// The date that fits best: most valid roundings, then (on a draw) the audited date, then
    /// the smallest largest deviation, then the latest.
    pub best_date: Date,
    /// Columns of the table beside the amounts (`population`, `share`), by header: not audited
    /// as amounts, but checked against the population file (`audit-population-mismatch`,
    /// `audit-share-mismatch`) and used as evidence of the date.
    pub not_audited: Vec<String>,
    pub findings: Vec<Finding>,
    /// Whether the table's `line`s are lines of a text or rows of a sheet, for messages.
    #[serde(skip)]
    pub table_lines: crate::io::lines::Lines,
}

impl AuditReport {
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|finding| finding.severity == severity).count()
    }
}

/// How an audit is done: to which step, on which date and why, against what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub step: Step,
    /// The date the rows are audited on in full.
    pub audited: Date,
    pub date_choice: DateChoice,
    pub against: Against,
    /// Warnings count as errors.
    pub strict: bool,
}

/// A published row resolved against one date's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolved {
    Recipient(usize),
    SetAside,
    Sum,
    Unknown,
}

/// Audits `published` against `bases` (one per published column, in order) on every date of
/// `tables` (in date order), reporting in full on the settings' date.
pub fn audit(
    published: &Published,
    bases: &[ColumnBasis],
    tables: &[PopulationTable],
    settings: Settings,
) -> Result<AuditReport, AuditError> {
    audit_with_rates(published, bases, &vec![None; bases.len()], tables, settings)
}

/// As `audit`, where a column may be paid at a rate per inhabitant (`rates`, one per basis, in
/// kronor exactly): its quota is then rate × the recipient's figure, and its total rate × their
/// sum on each date (the basis's `total_kr` is not used).
pub fn audit_with_rates(
    published: &Published,
    bases: &[ColumnBasis],
    rates: &[Option<Scaled>],
    tables: &[PopulationTable],
    settings: Settings,
) -> Result<AuditReport, AuditError> {
    let Settings { step, audited, date_choice, against, strict } = settings;
    if !tables.iter().any(|table| table.date == audited) {
        return Err(AuditError::NoFigures { date: audited });
    }
    let (cells, row_totals) = published.cells_in_steps(step.decimals)?;
    let mut findings = Vec::new();
    let mut dates = Vec::new();
    let mut columns = Vec::new();
    let audited_index = tables.iter().position(|table| table.date == audited).unwrap_or(0);
    for (index, table) in tables.iter().enumerate() {
        let is_audited = index == audited_index;
        let resolved = resolve_rows(published, bases, table, is_audited, &mut findings, strict)?;
        let audits: Vec<ColumnAudit> = bases
            .iter()
            .enumerate()
            .map(|(column, basis)| {
                let rate = rates.get(column).copied().flatten();
                audit_column(published, &cells, column, (basis, rate), table, &resolved, step)
            })
            .collect::<Result<_, _>>()?;
        let unknown = resolved.iter().filter(|r| matches!(r, Resolved::Unknown)).count() * bases.len();
        let fit = DateFit {
            date: table.date,
            cells: audits.iter().map(|c| c.rows.len()).sum::<usize>() + unknown,
            valid_roundings: audits.iter().map(ColumnAudit::valid_roundings).sum(),
            largest_deviation: audits
                .iter()
                .filter_map(|c| c.largest_deviation.map(|at| c.rows[at].deviation.size.clone()))
                .max_by(compare_fractions),
            consistent: unknown == 0 && audits.iter().all(|c| c.adds_up() && c.valid_roundings() == c.rows.len()),
            populations_matching: populations_matching(published, table, &resolved),
        };
        dates.push(fit);
        if is_audited {
            columns = audits;
            missing(table, &resolved, &mut findings, strict);
            stated_figures(published, table, &resolved, &mut findings, strict);
        }
    }
    column_findings(published, &cells, &row_totals, &columns, &mut findings, strict)?;
    let best = best_date(&dates, audited);
    let audited_fit = &dates[audited_index];
    if let Some(best_fit) = dates.iter().find(|fit| fit.date == best)
        && best != audited
        && best_fit.valid_roundings > audited_fit.valid_roundings
    {
        findings.push(Finding::new(
            FindingKind::OtherDateFitsBetter {
                audited,
                audited_valid: audited_fit.valid_roundings,
                best,
                best_valid: best_fit.valid_roundings,
                cells: best_fit.cells,
            },
            strict,
        ));
    }
    if let (Some(best_fit), Some(audited_matching)) =
        (dates.iter().find(|fit| fit.date == best), audited_fit.populations_matching)
        && let Some(best_matching) = best_fit.populations_matching
        && best_matching > audited_matching
    {
        let stated = published.rows.iter().filter(|row| row.population.is_some()).count();
        findings.push(Finding::new(
            FindingKind::PopulationsOfOtherDate { audited, audited_matching, best, best_matching, stated },
            strict,
        ));
    }
    // The date first (it explains every row that follows), then whether the columns add up.
    findings.sort_by_key(|finding| match finding.kind {
        FindingKind::OtherDateFitsBetter { .. } | FindingKind::PopulationsOfOtherDate { .. } => 0,
        FindingKind::TotalMismatch { .. } => 1,
        _ => 2,
    });
    let population_source = tables.get(audited_index).map(|table| table.source.clone()).unwrap_or_default();
    Ok(AuditReport {
        table: published.label.clone(),
        against,
        step,
        step_given: false,
        population_source,
        population_date: audited,
        date_choice,
        columns,
        dates,
        best_date: best,
        not_audited: published.not_audited.clone(),
        findings,
        table_lines: published.lines,
    })
}

/// Compares two non-negative fractions exactly.
fn compare_fractions(a: &Fraction, b: &Fraction) -> Ordering {
    compare_products(&[a.numerator, b.denominator], &[b.numerator, a.denominator])
}

/// Most stated populations equal to the date's (when the table states them: a population
/// that is a date's own figure is near proof of the date, a rounding only a hint); then most
/// valid roundings; on a draw the audited date (a coarse table may be a valid rounding of
/// several dates' quotas, and then nothing speaks against the date it names), then the smallest
/// largest deviation, then the latest.
fn best_date(dates: &[DateFit], audited: Date) -> Date {
    let better = |a: &DateFit, b: &DateFit| -> Ordering {
        a.populations_matching
            .cmp(&b.populations_matching)
            .then_with(|| a.valid_roundings.cmp(&b.valid_roundings))
            .then_with(|| (a.date == audited).cmp(&(b.date == audited)))
            .then_with(|| match (&a.largest_deviation, &b.largest_deviation) {
                (Some(x), Some(y)) => compare_fractions(y, x),
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| a.date.cmp(&b.date))
    };
    dates.iter().max_by(|a, b| better(a, b)).map_or(audited, |fit| fit.date)
}

/// Each published row as a recipient of `table`, a set-aside, a sum row or unknown. Two rows
/// of one recipient, and a code and name that name different recipients, are errors; an
/// unknown row is a finding (on the audited date).
fn resolve_rows(
    published: &Published,
    bases: &[ColumnBasis],
    table: &PopulationTable,
    is_audited: bool,
    findings: &mut Vec<Finding>,
    strict: bool,
) -> Result<Vec<Resolved>, AuditError> {
    let mut resolved = Vec::with_capacity(published.rows.len());
    let mut seen: Vec<Option<usize>> = vec![None; table.recipients.len()];
    let mut set_asides_seen: HashMap<String, usize> = HashMap::new();
    // Codes and names as the population file writes them, looked up at once: resolving every
    // row by the general resolver would cost a pass over the table per row. Anything else (a
    // county's other names, a misspelling for the message) goes to the resolver.
    let key =
        |code: &str| if is_numeric_code(code) { code.trim_start_matches('0').to_string() } else { code.to_string() };
    let by_code_text: HashMap<String, usize> =
        table.recipients.iter().enumerate().map(|(at, r)| (key(table.code(r)), at)).collect();
    let by_name_text: HashMap<&str, usize> =
        table.recipients.iter().enumerate().map(|(at, r)| (table.name(r), at)).collect();
    // The rest through one index, made when first needed: a row resolved by a scan of the
    // table each made a published table of many such rows quadratic.
    let index = std::cell::OnceCell::new();
    let general = |wanted: &str| index.get_or_init(|| RegionIndex::new(table)).resolve(wanted);
    let code_of = |code: &str| match by_code_text.get(&key(code)) {
        Some(&at) => Ok(at),
        None => general(code),
    };
    let name_of = |name: &str| match by_name_text.get(name) {
        Some(&at) => Ok(at),
        None => general(name),
    };
    for (at, row) in published.rows.iter().enumerate() {
        if row.kind == RowKind::Sum {
            resolved.push(Resolved::Sum);
            continue;
        }
        let is_set_aside = row.code.is_empty()
            && bases.iter().any(|basis| basis.set_asides.iter().any(|(name, _)| same_name(name, &row.name)));
        if is_set_aside {
            once_set_aside(published, at, &mut set_asides_seen)?;
            resolved.push(Resolved::SetAside);
            continue;
        }
        let by_code = (!row.code.is_empty()).then(|| code_of(&row.code));
        let by_name = (!row.name.is_empty()).then(|| name_of(&row.name));
        let found = match (by_code, by_name) {
            (Some(Ok(a)), Some(Ok(b))) if a != b => {
                let (first, second) = (&table.recipients[a], &table.recipients[b]);
                return Err(AuditError::Row {
                    table: published.label.clone(),
                    line: row.line,
                    message: format!(
                        "code `{}` is {} {}, but the name `{}` is {} {}: which recipient is it? Correct the row",
                        row.code,
                        table.code(first),
                        table.name(first),
                        row.name,
                        table.code(second),
                        table.name(second)
                    ),
                });
            }
            (Some(Ok(index)), Some(Err(_))) if code_value(&row.name).is_none() => {
                // A known code beside a name that names nothing: the name is not guessed away.
                return Err(AuditError::Row {
                    table: published.label.clone(),
                    line: row.line,
                    message: format!(
                        "code `{}` is {} {}, but `{}` is not a name of it; correct the name or leave it empty",
                        row.code,
                        table.code(&table.recipients[index]),
                        table.name(&table.recipients[index]),
                        row.name
                    ),
                });
            }
            (Some(Ok(index)), _) | (None, Some(Ok(index))) => Ok(index),
            (Some(Err(err)), _) | (None, Some(Err(err))) => Err(err),
            (None, None) => Err(RegionError::Empty),
        };
        match found {
            Ok(index) => {
                if let Some(first) = seen[index] {
                    return Err(second_row(published, table, (first, at), index));
                }
                seen[index] = Some(at);
                resolved.push(Resolved::Recipient(index));
            }
            Err(err) => {
                if is_audited {
                    findings.push(Finding::new(
                        FindingKind::UnknownRecipient {
                            line: row.line,
                            written: row.written(),
                            reason: err.to_string(),
                        },
                        strict,
                    ));
                }
                resolved.push(Resolved::Unknown);
            }
        }
    }
    Ok(resolved)
}

/// Row `rows.1` names recipient `index`, which row `rows.0` already gave.
fn second_row(published: &Published, table: &PopulationTable, rows: (usize, usize), index: usize) -> AuditError {
    let (first_row, row) = (&published.rows[rows.0], &published.rows[rows.1]);
    let recipient = &table.recipients[index];
    AuditError::Row {
        table: published.label.clone(),
        line: row.line,
        message: format!(
            "`{}` is {} {}, which line {} already gives as `{}`; a recipient has one row: remove one",
            row.written(),
            table.code(recipient),
            table.name(recipient),
            first_row.line,
            first_row.written()
        ),
    }
}

/// Notes row `at` as a set-aside; a second row of one set-aside is an error naming both lines,
/// as for a region: it would pay the recipient twice.
fn once_set_aside(published: &Published, at: usize, seen: &mut HashMap<String, usize>) -> Result<(), AuditError> {
    let row = &published.rows[at];
    if let Some(&first) = seen.get(&crate::io::names::key(&row.name)) {
        let first_row = &published.rows[first];
        return Err(AuditError::Row {
            table: published.label.clone(),
            line: row.line,
            message: format!(
                "`{}` is set aside by the agreement, and line {} already gives it as `{}`; a recipient has one row: \
                 remove one",
                row.written(),
                first_row.line,
                first_row.written()
            ),
        });
    }
    seen.insert(crate::io::names::key(&row.name), at);
    Ok(())
}

/// A set-aside's name as every name is compared (`io::names`).
fn same_name(a: &str, b: &str) -> bool {
    crate::io::names::same(a, b)
}

/// Recipients of `table` no row names.
fn missing(table: &PopulationTable, resolved: &[Resolved], findings: &mut Vec<Finding>, strict: bool) {
    let mut present = vec![false; table.recipients.len()];
    for row in resolved {
        if let Resolved::Recipient(index) = row {
            present[*index] = true;
        }
    }
    for (recipient, _) in table.recipients.iter().zip(&present).filter(|(_, present)| !**present) {
        findings.push(Finding::new(
            FindingKind::MissingRecipient {
                code: table.code(recipient).to_string(),
                name: table.name(recipient).to_string(),
            },
            strict,
        ));
    }
}

/// How many recipients' rows state this date's population (none when no row states one).
fn populations_matching(published: &Published, table: &PopulationTable, resolved: &[Resolved]) -> Option<usize> {
    if published.rows.iter().all(|row| row.population.is_none()) {
        return None;
    }
    let matching = published
        .rows
        .iter()
        .zip(resolved)
        .filter(|(row, resolved)| match resolved {
            Resolved::Recipient(index) => row.population == Some(table.recipients[*index].population),
            _ => false,
        })
        .count();
    Some(matching)
}

/// Stated populations that are not the file's, and stated shares that are not the file's
/// population share rounded down or up to the decimals they show.
fn stated_figures(
    published: &Published,
    table: &PopulationTable,
    resolved: &[Resolved],
    findings: &mut Vec<Finding>,
    strict: bool,
) {
    let people: u128 = table.recipients.iter().map(|r| u128::from(r.population)).sum();
    let population_of = |at: usize| match resolved[at] {
        Resolved::Recipient(index) => Some(u128::from(table.recipients[index].population)),
        _ => None,
    };
    for (at, row) in published.rows.iter().enumerate() {
        // A recipient's own figure; a sum row's, the figures of the rows it adds up (by the
        // rule of `sum_row_block`); a set-aside has no population.
        let file = match resolved[at] {
            Resolved::Recipient(_) => population_of(at).unwrap_or(0),
            Resolved::Sum => sum_row_block(&published.rows, at).filter_map(population_of).sum(),
            Resolved::SetAside => 0,
            Resolved::Unknown => continue,
        };
        if let Some(stated) = row.population
            && u128::from(stated) != file
        {
            findings.push(Finding::new(
                FindingKind::PopulationMismatch { line: row.line, written: row.written(), stated, file },
                strict,
            ));
        }
        // A sum of u64 populations times 100 is far within 128 bits.
        if let (Some(share), Some(hundredfold)) = (row.share, file.checked_mul(100)) {
            if !share_rounds(share, hundredfold, people) {
                findings.push(Finding::new(
                    FindingKind::ShareMismatch {
                        line: row.line,
                        written: row.written(),
                        stated: share.to_string(),
                        exact: reduced(hundredfold, people.max(1)),
                    },
                    strict,
                ));
            }
        }
    }
}

/// Whether `share` (per cent) is `hundredfold / people` rounded down or up to the decimals it
/// shows: share·10^d is the floor or the ceiling of hundredfold·10^d / people.
fn share_rounds(share: rust_decimal::Decimal, hundredfold: u128, people: u128) -> bool {
    let shown = share.mantissa().unsigned_abs();
    let people = people.max(1);
    let exact = power_of_ten(share.scale())
        .and_then(|scale| hundredfold.checked_mul(scale))
        .map(|numerator| (numerator / people, numerator % people != 0));
    exact.is_some_and(|(floor, inexact)| shown == floor || (inexact && shown == floor + 1))
}

/// `10^exponent`, checked.
fn power_of_ten(exponent: u32) -> Option<u128> {
    10u128.checked_pow(exponent)
}

/// `total_kr` in steps of `step`, as a fraction over a power of ten (reduced when whole).
fn total_in_steps(total_kr: Scaled, step: Step) -> Option<Fraction> {
    // total_kr = mantissa / 10^scale kr; a step is 10^exponent kr.
    let shift = i64::from(total_kr.scale) + step.exponent();
    let fraction = if shift >= 0 {
        Fraction { numerator: total_kr.mantissa, denominator: power_of_ten(u32::try_from(shift).ok()?)? }
    } else {
        let factor = power_of_ten(u32::try_from(-shift).ok()?)?;
        Fraction { numerator: total_kr.mantissa.checked_mul(factor)?, denominator: 1 }
    };
    Some(reduced(fraction.numerator, fraction.denominator))
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn reduced(numerator: u128, denominator: u128) -> Fraction {
    let divisor = gcd(numerator, denominator).max(1);
    Fraction { numerator: numerator / divisor, denominator: denominator / divisor }
}

fn audit_column(
    published: &Published,
    cells: &[Vec<u128>],
    column: usize,
    (basis, rate): (&ColumnBasis, Option<Scaled>),
    table: &PopulationTable,
    resolved: &[Resolved],
    step: Step,
) -> Result<ColumnAudit, AuditError> {
    let overflow = || AuditError::Overflow { column: basis.id.clone() };
    let weights: Vec<u64> = table.recipients.iter().map(|r| table.weight(r, &basis.key)).collect();
    let weight_sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    // A rate's total is rate × Σ figures on this date, so that total × figure / Σ is rate ×
    // figure exactly.
    let total = match rate {
        Some(rate) => {
            let rate = total_in_steps(rate, step).ok_or_else(overflow)?;
            reduced(rate.numerator.checked_mul(weight_sum).ok_or_else(overflow)?, rate.denominator)
        }
        None => total_in_steps(basis.total_kr, step).ok_or_else(overflow)?,
    };
    let denominator = total.denominator.checked_mul(weight_sum).ok_or_else(overflow)?;
    // fordela's own split, when the total is whole steps: what `allocate` gives at this step
    // (for a rate, each quota itself, when it is whole steps; see below).
    let fordela = if total.denominator == 1 && rate.is_none() {
        Some(
            basis
                .method
                .apportion(total.numerator, &weights)
                .map_err(|err| AuditError::Apportion(format!("column `{}`: {err}", basis.id)))?
                .units,
        )
    } else {
        None
    };
    let mut rows = Vec::new();
    let mut set_asides = Vec::new();
    for (at, row) in published.rows.iter().enumerate() {
        let published_units = cells[at][column];
        match resolved[at] {
            Resolved::Recipient(index) => {
                let weight = weights[index];
                let numerator = total.numerator.checked_mul(u128::from(weight)).ok_or_else(overflow)?;
                let quota = reduced(numerator, denominator);
                let scaled = published_units.checked_mul(quota.denominator).ok_or_else(overflow)?;
                let deviation = reduced_deviation(scaled, quota.numerator, quota.denominator);
                let floor = quota.numerator / quota.denominator;
                let ceil = floor + u128::from(quota.numerator % quota.denominator != 0);
                let recipient = &table.recipients[index];
                let own = match rate {
                    Some(_) => (quota.denominator == 1).then_some(quota.numerator),
                    None => fordela.as_ref().map(|units| units[index]),
                };
                rows.push(RowAudit {
                    line: row.line,
                    code: table.code(recipient).to_string(),
                    name: table.name(recipient).to_string(),
                    weight,
                    quota,
                    published: published_units,
                    deviation,
                    valid_rounding: published_units == floor || published_units == ceil,
                    fordela: own,
                    comment: row.comment.clone(),
                });
            }
            Resolved::SetAside => {
                let expected = basis
                    .set_asides
                    .iter()
                    .find(|(name, _)| same_name(name, &row.name))
                    .map_or(Some(Fraction { numerator: 0, denominator: 1 }), |(_, kr)| total_in_steps(*kr, step))
                    .ok_or_else(overflow)?;
                set_asides.push(SetAsideAudit {
                    line: row.line,
                    recipient: row.name.clone(),
                    expected,
                    published: published_units,
                    comment: row.comment.clone(),
                });
            }
            Resolved::Sum | Resolved::Unknown => {}
        }
    }
    let published_sum = rows.iter().map(|row| row.published).try_fold(0u128, u128::checked_add).ok_or_else(overflow)?;
    let largest_deviation = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| !row.deviation.is_zero())
        .max_by(|(_, a), (_, b)| compare_fractions(&a.deviation.size, &b.deviation.size))
        .map(|(at, _)| at);
    let header = published.columns.get(column).cloned().unwrap_or_default();
    Ok(ColumnAudit {
        id: basis.id.clone(),
        name: basis.name.clone(),
        header,
        total,
        published_sum,
        rows,
        set_asides,
        largest_deviation,
        rate: rate.and_then(|rate| total_in_steps(rate, step)),
    })
}

/// `(scaled − numerator) / denominator`, signed and reduced.
fn reduced_deviation(scaled: u128, numerator: u128, denominator: u128) -> Deviation {
    let (negative, difference) =
        if scaled >= numerator { (false, scaled - numerator) } else { (true, numerator - scaled) };
    Deviation { negative, size: reduced(difference, denominator) }
}

/// The findings of the audited date's columns: rows that are no rounding, columns that do not
/// add up, set-asides that differ, row totals and sum rows that disagree.
fn column_findings(
    published: &Published,
    cells: &[Vec<u128>],
    row_totals: &[Option<u128>],
    columns: &[ColumnAudit],
    findings: &mut Vec<Finding>,
    strict: bool,
) -> Result<(), AuditError> {
    for column in columns {
        for row in column.rows.iter().filter(|row| !row.valid_rounding) {
            findings.push(Finding::new(
                FindingKind::NotARounding {
                    column: column.id.clone(),
                    line: row.line,
                    code: row.code.clone(),
                    name: row.name.clone(),
                    quota: row.quota.clone(),
                    published: row.published,
                    deviation: row.deviation.clone(),
                },
                strict,
            ));
        }
        if !column.adds_up() {
            findings.push(Finding::new(
                FindingKind::TotalMismatch {
                    column: column.id.clone(),
                    total: column.total.clone(),
                    published_sum: column.published_sum,
                },
                strict,
            ));
        }
        for set_aside in &column.set_asides {
            let exact = set_aside.expected.denominator == 1 && set_aside.expected.numerator == set_aside.published;
            if !exact {
                findings.push(Finding::new(
                    FindingKind::SetAsideMismatch {
                        column: column.id.clone(),
                        line: set_aside.line,
                        recipient: set_aside.recipient.clone(),
                        expected: set_aside.expected.clone(),
                        published: set_aside.published,
                    },
                    strict,
                ));
            }
        }
    }
    // Row totals and sum rows: sums of what the table itself states, whatever the date.
    let overflow = || AuditError::Overflow { column: "total".to_string() };
    for (at, row) in published.rows.iter().enumerate() {
        if let Some(stated) = row_totals[at] {
            let sum = cells[at].iter().try_fold(0u128, |sum, &cell| sum.checked_add(cell)).ok_or_else(overflow)?;
            if sum != stated {
                findings.push(Finding::new(
                    FindingKind::RowTotalMismatch { line: row.line, written: row.written(), stated, sum },
                    strict,
                ));
            }
        }
        if row.kind == RowKind::Sum {
            let counted = sum_row_block(&published.rows, at);
            for (column, id) in columns.iter().map(|column| column.id.clone()).enumerate() {
                let sum = counted
                    .clone()
                    .filter(|&other| published.rows[other].kind == RowKind::Recipient)
                    .try_fold(0u128, |sum, other| sum.checked_add(cells[other][column]))
                    .ok_or_else(overflow)?;
                let stated = cells[at][column];
                if sum != stated {
                    findings.push(Finding::new(
                        FindingKind::SumRowMismatch { column: id, line: row.line, stated, sum },
                        strict,
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The rows a sum row adds up, by index. A sum row with no recipient row below it is the
/// grand total: every row above it. Any other is a subtotal: the rows of its own block, since
/// the previous sum row (or the start). A sum row never counts rows below it.
fn sum_row_block(rows: &[PublishedRow], at: usize) -> std::ops::Range<usize> {
    let grand_total = rows[at + 1..].iter().all(|row| row.kind == RowKind::Sum);
    let start =
        if grand_total { 0 } else { rows[..at].iter().rposition(|row| row.kind == RowKind::Sum).map_or(0, |p| p + 1) };
    start..at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_in_steps_are_exact_fractions() {
        let tkr = Step { unit: Unit::Tkr, decimals: 0 };
        // 1 500 000 000 kr in tkr: 1 500 000 steps.
        let total = total_in_steps(Scaled { mantissa: 1_500_000_000, scale: 0 }, tkr).unwrap();
        assert_eq!((total.numerator, total.denominator), (1_500_000, 1));
        // 1 234,5 kr in tkr: 2469/2000 steps.
        let total = total_in_steps(Scaled { mantissa: 12_345, scale: 1 }, tkr).unwrap();
        assert_eq!((total.numerator, total.denominator), (2469, 2000));
        // 3 kr in öre steps (kr with two decimals): 300.
        let ore = Step { unit: Unit::Kr, decimals: 2 };
        let total = total_in_steps(Scaled { mantissa: 3, scale: 0 }, ore).unwrap();
        assert_eq!((total.numerator, total.denominator), (300, 1));
    }

    proptest::proptest! {
        /// A share written to d decimals passes exactly when it is the exact share rounded down
        /// or up there, which is (no division) |shown·people − 100·part·10^d| < people.
        #[test]
        fn a_share_passes_only_as_a_rounding_of_the_exact_share(
            part in 0u128..20_000_000,
            extra in 0u128..20_000_000,
            decimals in 0u32..6,
            offset in -3i64..=3,
        ) {
            let people = part + extra + 1;
            let exact = 100 * part * 10u128.pow(decimals);
            let Some(shown) = (exact / people).checked_add_signed(i128::from(offset)) else { return Ok(()) };
            let share = rust_decimal::Decimal::from_i128_with_scale(i128::try_from(shown).unwrap(), decimals);
            let expected = (shown * people).abs_diff(exact) < people;
            proptest::prop_assert_eq!(share_rounds(share, 100 * part, people), expected);
        }
    }

    #[test]
    fn deviations_are_signed_and_reduced() {
        // 7 steps against a quota of 20/3: +1/3.
        let deviation = reduced_deviation(21, 20, 3);
        assert_eq!((deviation.negative, deviation.size.numerator, deviation.size.denominator), (false, 1, 3));
        // 6 steps against 20/3: −2/3.
        let deviation = reduced_deviation(18, 20, 3);
        assert_eq!((deviation.negative, deviation.size.numerator, deviation.size.denominator), (true, 2, 3));
    }

    #[test]
    fn the_best_date_has_most_valid_roundings_then_the_smallest_deviation() {
        let date = |text: &str| text.parse::<Date>().unwrap();
        let fit = |day: &str, valid: usize, largest: (u128, u128)| DateFit {
            date: date(day),
            cells: 21,
            valid_roundings: valid,
            largest_deviation: Some(Fraction { numerator: largest.0, denominator: largest.1 }),
            consistent: false,
            populations_matching: None,
        };
        let dates = [fit("2017-12-31", 3, (5, 1)), fit("2018-12-31", 21, (1, 2)), fit("2019-12-31", 21, (1, 3))];
        assert_eq!(best_date(&dates, date("2017-12-31")), date("2019-12-31"));
        // A draw on valid roundings goes to the audited date, whatever the deviations.
        let dates = [fit("2018-12-31", 21, (1, 2)), fit("2019-12-31", 21, (1, 3))];
        assert_eq!(best_date(&dates, date("2018-12-31")), date("2018-12-31"));
        assert_eq!(best_date(&dates, date("2019-12-31")), date("2019-12-31"));
    }
}
