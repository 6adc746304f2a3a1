//! Plan × outcome → follow-up: what each intervention of a region's plan has cost against its
//! budget, per area and in total, and what the follow-up finds (over budget with or without a
//! decision, areas over their amount, rows that match nothing, money unspent, interventions
//! without outcome, rows set aside by `--object` and `--until`).
//!
//! Every amount is an exact integer count of `10^-decimals` of the plan's unit (`Money`), where
//! `decimals` is the fewest that hold every amount of the plan and of the outcome exactly: an
//! outcome in kr against a plan in mkr is shown to the krona (`0,001234 mkr`), never rounded.
//! Columns therefore add up exactly, and remaining is budget − outcome exactly. Findings are
//! data; their words are the renderers'.

use super::outcome::{Outcome, OutcomeRow, Text};
use crate::commands::check::compute::{CheckError, area_key, match_areas};
use crate::core::agreement::Agreement;
use crate::core::amount::{NumberStyle, Scaled, Unit};
use crate::core::date::Date;
use crate::core::findings::Severity;
use crate::core::proposal::Proposal;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The most decimals of the plan's unit a follow-up keeps: beyond any öre in any unit.
pub const MAX_DECIMALS: u32 = 24;

/// An exact amount: a count of `10^-decimals` of the report's unit (the report says which).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(pub i128);

impl Money {
    pub const ZERO: Money = Money(0);

    /// The amount with no more decimals than it needs (`10`, `0,5`), for messages.
    #[must_use]
    pub fn brief(self, decimals: u32) -> String {
        match Decimal::try_from_i128_with_scale(self.0, decimals) {
            Ok(value) => crate::core::amount::format_decimal(value, 0, NumberStyle::SWEDISH),
            Err(_) => self.show(decimals, NumberStyle::SWEDISH),
        }
    }

    /// The amount as text with exactly `decimals` decimals (the report's), `-` for negatives.
    #[must_use]
    pub fn show(self, decimals: u32, style: NumberStyle) -> String {
        let text = Scaled { mantissa: self.0.unsigned_abs(), scale: decimals }.format(decimals, style);
        if self.0 < 0 { format!("-{text}") } else { text }
    }

    fn plus(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    fn minus(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }
}

/// A share used: outcome / budget in hundredths of a percent, rounded half away from zero
/// (a display figure, not money). `None` where the budget is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share(pub i128);

impl Share {
    fn of(outcome: Money, budget: Money) -> Option<Share> {
        if budget.0 == 0 {
            return None;
        }
        let numerator = outcome.0.checked_mul(10_000)?;
        let (n, d) = (numerator.unsigned_abs(), budget.0.unsigned_abs());
        let (mut quotient, rest) = (n / d, n % d);
        if rest.checked_mul(2)? >= d {
            quotient += 1;
        }
        let quotient = i128::try_from(quotient).ok()?;
        Some(Share(if (numerator < 0) == (budget.0 < 0) { quotient } else { -quotient }))
    }

    /// `104,17` (without the `%`).
    #[must_use]
    pub fn show(self, style: NumberStyle) -> String {
        Money(self.0).show(2, NumberStyle { group: None, ..style })
    }
}

/// What the follow-up is asked: which object, up to which date, and whether warnings fail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--object`: only rows booked on it count; the others are listed with their sum.
    pub object: Option<String>,
    /// `--until`: only rows dated up to it (inclusive) count; later ones are listed.
    pub until: Option<Date>,
    pub strict: bool,
}

/// Budget, outcome, what remains and the share used: one line of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub budget: Money,
    pub outcome: Money,
    /// budget − outcome; negative when over budget.
    pub remaining: Money,
    pub share: Option<Share>,
}

impl Figures {
    fn new(budget: Money, outcome: Money) -> Option<Figures> {
        Some(Figures { budget, outcome, remaining: budget.minus(outcome)?, share: Share::of(outcome, budget) })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterventionLine {
    pub name: String,
    /// The plan's line.
    pub line: usize,
    pub figures: Figures,
    /// The outcome rows counted for it, by line.
    pub rows: Vec<usize>,
    /// The rows' comments and decision references, each once, in the order of the rows.
    pub comments: Vec<String>,
    pub decisions: Vec<String>,
    /// The plan's own note on it.
    pub plan_comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaLine {
    /// The agreement's id and full name of the area.
    pub id: String,
    pub name: String,
    pub figures: Figures,
    pub interventions: Vec<InterventionLine>,
}

/// An outcome row listed rather than counted (another object, after the period, no match).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedRow {
    pub line: usize,
    /// Texts shared with the outcome's: a ledger lists hundreds of thousands of rows, of a few
    /// dozen texts.
    pub intervention: Arc<str>,
    pub area: Option<Arc<str>>,
    pub date: Option<Date>,
    pub object: Option<Arc<str>>,
    pub amount: Money,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowGroup {
    pub rows: Vec<ListedRow>,
    pub sum: Money,
}

impl RowGroup {
    fn push(&mut self, shared: &mut SharedTexts<'_>, row: &OutcomeRow, amount: Money) -> Option<()> {
        self.sum = self.sum.plus(amount)?;
        self.rows.push(ListedRow {
            line: row.line,
            intervention: shared.get(row.intervention),
            area: row.area.map(|text| shared.get(text)),
            date: row.date,
            object: row.object.map(|text| shared.get(text)),
            amount,
        });
        Some(())
    }
}

/// The outcome's texts as listed rows share them, made once per text by each thread that
/// places rows: threads cloning one `Arc` fight over its count (a cache line passed between
/// cores for each of 200 000 listed rows), which made placing in parts no faster than in one.
struct SharedTexts<'a> {
    outcome: &'a Outcome,
    made: Vec<Option<Arc<str>>>,
}

impl<'a> SharedTexts<'a> {
    fn new(outcome: &'a Outcome) -> SharedTexts<'a> {
        SharedTexts { outcome, made: vec![None; outcome.texts.len()] }
    }

    fn get(&mut self, text: Text) -> Arc<str> {
        Arc::clone(self.made[text.index()].get_or_insert_with(|| Arc::from(self.outcome.text(text))))
    }
}

/// The kinds of finding, with the figures that explain them (in the report's unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingKind {
    /// An intervention over its budget with no decision on any of its rows.
    OverBudget { intervention: String, budget: Money, outcome: Money, over: Money },
    /// An intervention over its budget whose rows without a decision (`undecided`) are over it
    /// by themselves: the decisions some rows cite do not cover them. An error, as over-budget.
    OverBudgetUndecidedRows {
        intervention: String,
        budget: Money,
        outcome: Money,
        over: Money,
        undecided: Money,
        decisions: Vec<String>,
    },
    /// An intervention over its budget, with the decisions its rows cite, the rows without one
    /// being within it.
    OverBudgetDecided { intervention: String, budget: Money, outcome: Money, over: Money, decisions: Vec<String> },
    /// An area over its amount: an error even when each intervention has a decision.
    AreaOver { budget: Money, outcome: Money, over: Money },
    /// An outcome row that matches no intervention of the plan.
    OutcomeUnmatched { intervention: String, area: Option<String>, amount: Money, suggestion: Option<String> },
    /// Money of an area not spent by the end of the period.
    AreaUnspent { budget: Money, outcome: Money, unspent: Money },
    /// An intervention of the plan with no outcome row.
    NoOutcome { intervention: String, budget: Money },
    /// Rows booked on another object than `--object`.
    RowsOtherObject { object: String, rows: usize, sum: Money },
    /// Rows dated after `--until`.
    RowsAfterPeriod { until: Date, rows: usize, sum: Money },
    /// Rows dated before `--from` (by default 1 January of `--until`'s year).
    RowsBeforePeriod { from: Date, rows: usize, sum: Money },
    /// An intervention (or, with `intervention` none, an area) whose rows net below zero: more
    /// credited than spent. An error: a budget cannot be "unspent" by more than it holds, so the
    /// rows are a booking error or a refund of another period, and the figures mean nothing.
    OutcomeNegative { intervention: Option<String>, outcome: Money },
}

impl FindingKind {
    /// The stable id scripts read.
    #[must_use]
    pub fn id(&self) -> &'static str {
        match self {
            FindingKind::OverBudget { .. } | FindingKind::OverBudgetUndecidedRows { .. } => "over-budget",
            FindingKind::OverBudgetDecided { .. } => "over-budget-decided",
            FindingKind::AreaOver { .. } => "area-over",
            FindingKind::OutcomeUnmatched { .. } => "outcome-unmatched",
            FindingKind::AreaUnspent { .. } => "area-unspent",
            FindingKind::NoOutcome { .. } => "no-outcome",
            FindingKind::RowsOtherObject { .. } => "rows-other-object",
            FindingKind::RowsAfterPeriod { .. } => "rows-after-period",
            FindingKind::RowsBeforePeriod { .. } => "rows-before-period",
            FindingKind::OutcomeNegative { .. } => "outcome-negative",
        }
    }

    /// The plan's intervention the finding is about, if it is about one.
    #[must_use]
    pub fn intervention(&self) -> Option<&str> {
        match self {
            FindingKind::OverBudget { intervention, .. }
            | FindingKind::OverBudgetUndecidedRows { intervention, .. }
            | FindingKind::OverBudgetDecided { intervention, .. }
            | FindingKind::NoOutcome { intervention, .. } => Some(intervention),
            FindingKind::OutcomeNegative { intervention, .. } => intervention.as_deref(),
            _ => None,
        }
    }

    /// The kind's own severity (a warning is an error under `--strict`).
    #[must_use]
    pub fn severity(&self) -> Severity {
        match self {
            FindingKind::OverBudget { .. }
            | FindingKind::OverBudgetUndecidedRows { .. }
            | FindingKind::AreaOver { .. }
            | FindingKind::OutcomeUnmatched { .. }
            | FindingKind::OutcomeNegative { .. } => Severity::Error,
            FindingKind::AreaUnspent { .. } | FindingKind::NoOutcome { .. } => Severity::Warning,
            FindingKind::OverBudgetDecided { .. }
            | FindingKind::RowsOtherObject { .. }
            | FindingKind::RowsAfterPeriod { .. }
            | FindingKind::RowsBeforePeriod { .. } => Severity::Note,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub kind: FindingKind,
    /// The area's id, when the finding is about one.
    pub area: Option<String>,
    /// The line it points at: the outcome's for a row, the plan's for an intervention.
    pub line: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct FollowUpReport {
    pub plan: String,
    pub outcome: String,
    pub agreement: String,
    /// The plan's unit: every amount of the report is in it.
    pub unit: Unit,
    /// Decimals of every amount: the fewest that hold them all exactly.
    pub decimals: u32,
    /// The unit the outcome file's amounts were written in.
    pub outcome_unit: Unit,
    pub object: Option<String>,
    pub until: Option<Date>,
    /// `--from`: rows dated before it are listed in `before_period`.
    pub from: Option<Date>,
    pub areas: Vec<AreaLine>,
    pub total: Figures,
    pub other_object: RowGroup,
    pub after_period: RowGroup,
    pub before_period: RowGroup,
    pub unmatched: RowGroup,
    pub findings: Vec<Finding>,
    /// Whether the plan's and the outcome's `line`s are lines of a text or rows of a sheet.
    pub plan_lines: crate::io::lines::Lines,
    pub outcome_lines: crate::io::lines::Lines,
}

impl FollowUpReport {
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|finding| finding.severity == severity).count()
    }

    /// The period's first day as the scope line names it: `--from`, or its default (1 January
    /// of `--until`'s year) when it left rows out; a default that changed nothing goes unsaid.
    #[must_use]
    pub fn from_named(&self) -> Option<Date> {
        let default = self.until.map(Date::start_of_year);
        self.from.filter(|_| default != self.from || !self.before_period.rows.is_empty())
    }

    /// The report's amount as text in `style`.
    #[must_use]
    pub fn show(&self, money: Money, style: NumberStyle) -> String {
        money.show(self.decimals, style)
    }
}

/// Why a follow-up cannot be made at all (bad input: exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error(transparent)]
    Plan(#[from] CheckError),
    /// As `check`'s intervention-duplicate: one name twice in an area is two budgets a reader
    /// of the report cannot tell apart, ids or not.
    #[error(
        "{plan}, line {line}: intervention `{intervention}` appears twice in area `{area}` (first on line {first}): \
         `fordela check` reports it as intervention-duplicate; give each intervention its own name"
    )]
    PlanDuplicate { plan: String, line: usize, first: usize, intervention: String, area: String },
    /// As `check`'s amount-negative: a plan gives money, so a negative budget is no budget.
    #[error(
        "{plan}, line {line}: intervention `{intervention}` has a negative amount, {amount} {unit}: a plan gives \
         money to each intervention, so a follow-up needs every amount zero or more (`fordela check` reports it as \
         amount-negative); correct the plan"
    )]
    NegativeBudget { plan: String, line: usize, intervention: String, amount: String, unit: Unit },
    #[error(
        "{plan}, line {line}: area `{area}` declares {declared} {unit} but its interventions add up to {sum} {unit}: \
         a follow-up needs a plan that adds up (see `fordela check`)"
    )]
    PlanDoesNotAddUp { plan: String, line: usize, area: String, declared: String, sum: String, unit: Unit },
    #[error("{outcome}: --object {object} asks for rows of one object, but the file has no `objekt`/`object` column")]
    NoObjectColumn { outcome: String, object: String },
    #[error("{outcome}: --until asks for the outcome up to a date, but the file has no `datum`/`date` column")]
    NoDateColumn { outcome: String },
    /// A row with an empty object (or `-`, `Saknas`) under `--object`: neither counted nor set
    /// aside by a guess.
    #[error(
        "{outcome}, line {line}: the object is {}, so fordela cannot tell whether the row is booked on {object} \
         (--object {object}): fill in the row's object",
        .written.as_ref().map_or_else(|| "empty".to_string(), |written| format!("`{written}`, which names none"))
    )]
    NoObject { outcome: String, line: usize, object: String, written: Option<String> },
    /// `--object` holding a character that does not show (or a bidi control).
    #[error("--object {0}")]
    ObjectFlag(crate::io::names::HiddenCharacter),
    /// `--from` after `--until`: a period of no day, which would count nothing.
    #[error(
        "--from {from} is after --until {until}: the period holds no day, so no row would be counted; give --from \
         on or before --until"
    )]
    PeriodBackwards { from: Date, until: Date },
    /// `--object` that no row is booked on (a mistyped number): a follow-up of nothing would
    /// show every budget unspent and hide an overrun.
    #[error(
        "{outcome}: --object {object} selects no row: the file's rows are booked on {objects}; give one of its \
         objects (a mistyped number?)"
    )]
    ObjectSelectsNothing { outcome: String, object: String, objects: String },
    /// A period in which no row (of `--object`, when given) falls.
    #[error(
        "{outcome}: no row{of_object} is dated in the period {period}: the file's rows{of_object} are dated \
         {dates}; give a period that holds them",
        of_object = .object.as_ref().map_or_else(String::new, |object| format!(" of object {object}")),
        dates = if .first == .last { .first.to_string() } else { format!("{} to {}", .first, .last) }
    )]
    PeriodSelectsNothing { outcome: String, object: Option<String>, period: String, first: Date, last: Date },
    #[error(
        "{outcome}, line {line}: the row has no date, and --until {until} asks for the outcome up to a date: a row \
         without a date cannot be placed in the period; give every row its date, or leave out --until"
    )]
    Undated { outcome: String, line: usize, until: Date },
    #[error(
        "{outcome}, line {line}: the row has no date, and --from {from} asks for the outcome from a date (with \
         --until, 1 January of its year): a row without a date cannot be placed in the period; give every row its \
         date"
    )]
    UndatedFrom { outcome: String, line: usize, from: Date },
    #[error(
        "{outcome}, line {line}: intervention `{intervention}` is in more than one area of the plan ({}): add an \
         `område`/`area` column that says which",
        areas.join(", ")
    )]
    Ambiguous { outcome: String, line: usize, intervention: String, areas: Vec<String> },
    #[error(
        "{outcome}, line {line}: `{intervention}` names two interventions in area `{area}` of the plan (the id of \
         one and the name of another): give the plan ids that are no intervention's name, or book the row by the \
         other"
    )]
    TwiceInArea { outcome: String, line: usize, intervention: String, area: String },
    #[error(
        "{outcome}, line {line}: the sum row says {said} {unit}, but the rows above it add up to {sum} {unit}: \
         correct the row or remove it"
    )]
    SumRow { outcome: String, line: usize, said: String, sum: String, unit: Unit },
    #[error("{source_file}: an amount needs more than {MAX_DECIMALS} decimals of {unit} to be held exactly")]
    TooFine { source_file: String, unit: Unit },
    #[error("{source_file}: its amounts are too large to add up exactly")]
    TooLarge { source_file: String },
}

/// Decimals `amount` (in `from`) needs in `to` to be exact: 100 kr is 0,1 tkr, one decimal.
fn needed_decimals(amount: Decimal, from: Unit, to: Unit) -> u32 {
    let mut mantissa = amount.mantissa();
    let mut trailing_zeros = 0i64;
    // Nearly every amount fits 64 bits, whose division is the processor's own (a million rows).
    if let Ok(mut small) = i64::try_from(mantissa) {
        while small != 0 && small % 10 == 0 {
            small /= 10;
            trailing_zeros += 1;
        }
        mantissa = 0;
    }
    while mantissa != 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        trailing_zeros += 1;
    }
    let scale = i64::from(amount.scale()) + i64::from(to.exponent()) - i64::from(from.exponent()) - trailing_zeros;
    u32::try_from(scale.max(0)).unwrap_or(u32::MAX)
}

/// `amount` (in `from`) as a count of `10^-decimals` of `to`; `None` if it does not fit, or
/// would need more decimals (which `needed_decimals` rules out).
fn to_money(amount: Decimal, from: Unit, to: Unit, decimals: u32) -> Option<Money> {
    let exponent =
        i64::from(decimals) + i64::from(from.exponent()) - i64::from(to.exponent()) - i64::from(amount.scale());
    let power = 10i128.checked_pow(u32::try_from(exponent.unsigned_abs()).ok()?)?;
    if exponent >= 0 {
        amount.mantissa().checked_mul(power).map(Money)
    } else if let (Ok(mantissa), Ok(power)) = (i64::try_from(amount.mantissa()), i64::try_from(power)) {
        // As below, in 64 bits (the processor's own division) where the amount fits.
        (mantissa % power == 0).then(|| Money(i128::from(mantissa / power)))
    } else if amount.mantissa() % power == 0 {
        Some(Money(amount.mantissa() / power))
    } else {
        None
    }
}

/// Where each intervention of the plan is: (area index in the plan, intervention index).
type Place = (usize, usize);

/// Where each intervention name (as `area_key` writes it) is in the plan.
type NameIndex = HashMap<String, Vec<Place>>;

/// Where an id is kept in the index: apart from the names (a NUL never starts a name), by its
/// value however written (`1,10` and the number cell 1.1 are one id).
fn by_id_key(text: &str) -> String {
    format!("\0{}", crate::core::proposal::id_key(text))
}

fn too_large(source: &str) -> FollowUpError {
    FollowUpError::TooLarge { source_file: source.to_string() }
}

struct Builder<'a> {
    plan: &'a Proposal,
    outcome: &'a Outcome,
    agreement: &'a Agreement,
    /// The agreement's area for each of the plan's areas.
    matched: Vec<usize>,
    unit: Unit,
    decimals: u32,
    strict: bool,
    findings: Vec<Finding>,
}

/// What an intervention's counted rows show: their lines, and their comments and decisions each
/// once in the order first met. Gathered as the rows are placed, while each row is at hand: a
/// pass after over the rows, far apart in memory, took 15 ms of a ledger's follow-up on the main
/// thread.
#[derive(Debug, Default)]
struct Counted {
    lines: Vec<usize>,
    comments: Vec<Text>,
    decisions: Vec<Text>,
    /// The comments and decisions met, by text (the same text may be both).
    seen_comments: HashSet<Text, foldhash::fast::RandomState>,
    seen_decisions: HashSet<Text, foldhash::fast::RandomState>,
}

impl Counted {
    fn push(&mut self, row: &OutcomeRow) {
        self.lines.push(row.line);
        if let Some(comment) = row.comment
            && self.seen_comments.insert(comment)
        {
            self.comments.push(comment);
        }
        if let Some(decision) = row.decision
            && self.seen_decisions.insert(decision)
        {
            self.decisions.push(decision);
        }
    }

    /// `next`, the rows after these in the file, joined to them: what it met first that these
    /// had not met comes after what these met.
    fn join(&mut self, mut next: Counted) {
        self.lines.append(&mut next.lines);
        for comment in next.comments {
            if self.seen_comments.insert(comment) {
                self.comments.push(comment);
            }
        }
        for decision in next.decisions {
            if self.seen_decisions.insert(decision) {
                self.decisions.push(decision);
            }
        }
    }
}

/// The outcome rows, sorted: counted per intervention, or listed with the reason.
struct Placed {
    counted: Vec<Vec<Counted>>,
    outcomes: Vec<Vec<Money>>,
    /// The sum of the counted rows without a decision; `None` past `Money`'s range, an
    /// error only where the sum is needed (an intervention over its budget).
    undecided: Vec<Vec<Option<Money>>>,
    other_object: RowGroup,
    after_period: RowGroup,
    before_period: RowGroup,
    unmatched: RowGroup,
}

impl Placed {
    /// Nothing placed yet, for a plan of `budgets`.
    fn empty(budgets: &[Vec<Money>]) -> Placed {
        Placed {
            counted: budgets.iter().map(|area| area.iter().map(|_| Counted::default()).collect()).collect(),
            outcomes: budgets.iter().map(|area| vec![Money::ZERO; area.len()]).collect(),
            undecided: budgets.iter().map(|area| vec![Some(Money::ZERO); area.len()]).collect(),
            other_object: RowGroup::default(),
            after_period: RowGroup::default(),
            before_period: RowGroup::default(),
            unmatched: RowGroup::default(),
        }
    }

    /// `next`, the rows after these in the file, joined to them: its rows after these, its sums
    /// added; `None` past `Money`'s range.
    fn join(&mut self, next: Placed) -> Option<()> {
        for (area, next) in self.counted.iter_mut().zip(next.counted) {
            for (counted, next) in area.iter_mut().zip(next) {
                counted.join(next);
            }
        }
        for (area, next) in self.outcomes.iter_mut().zip(next.outcomes) {
            for (sum, next) in area.iter_mut().zip(next) {
                *sum = sum.plus(next)?;
            }
        }
        for (area, next) in self.undecided.iter_mut().zip(next.undecided) {
            for (sum, next) in area.iter_mut().zip(next) {
                *sum = sum.zip(next).and_then(|(sum, next)| sum.plus(next));
            }
        }
        for (group, next) in [
            (&mut self.other_object, next.other_object),
            (&mut self.after_period, next.after_period),
            (&mut self.before_period, next.before_period),
            (&mut self.unmatched, next.unmatched),
        ] {
            group.sum = group.sum.plus(next.sum)?;
            group.rows.extend(next.rows);
        }
        Some(())
    }

    /// Counts `row` (of `amount`) for the intervention at `place`; `None` past `Money`'s range.
    fn count(&mut self, (area, index): Place, row: &OutcomeRow, amount: Money) -> Option<()> {
        let sum = &mut self.outcomes[area][index];
        *sum = sum.plus(amount)?;
        if row.decision.is_none() {
            let undecided = &mut self.undecided[area][index];
            *undecided = undecided.and_then(|undecided| undecided.plus(amount));
        }
        self.counted[area][index].push(row);
        Some(())
    }
}

impl<'a> Builder<'a> {
    fn report(&mut self, area: Option<&str>, line: Option<usize>, kind: FindingKind) {
        let finding = self.finding(area, line, kind);
        self.findings.push(finding);
    }

    fn finding(&self, area: Option<&str>, line: Option<usize>, kind: FindingKind) -> Finding {
        let severity = match kind.severity() {
            Severity::Warning if self.strict => Severity::Error,
            severity => severity,
        };
        Finding { severity, kind, area: area.map(str::to_string), line }
    }

    fn plan_money(&self, amount: Decimal) -> Result<Money, FollowUpError> {
        to_money(amount, self.unit, self.unit, self.decimals).ok_or_else(|| too_large(&self.plan.source))
    }

    fn outcome_money(&self, amount: Decimal) -> Result<Money, FollowUpError> {
        to_money(amount, self.outcome.unit, self.unit, self.decimals).ok_or_else(|| too_large(&self.outcome.source))
    }

    fn sum(&self, amounts: impl IntoIterator<Item = Money>) -> Result<Money, FollowUpError> {
        amounts.into_iter().try_fold(Money::ZERO, Money::plus).ok_or_else(|| too_large(&self.outcome.source))
    }

    fn figures(&self, budget: Money, outcome: Money) -> Result<Figures, FollowUpError> {
        Figures::new(budget, outcome).ok_or_else(|| too_large(&self.plan.source))
    }

    fn area_id(&self, area_index: usize) -> &'a str {
        &self.agreement.areas[self.matched[area_index]].id
    }

    /// An outcome row's area: the plan's name for it, or the agreement's id or name.
    fn area_of(&self, written: &str) -> Option<usize> {
        let wanted = area_key(written);
        (0..self.plan.areas.len()).find(|&index| {
            let known = &self.agreement.areas[self.matched[index]];
            [self.plan.areas[index].name.as_str(), known.id.as_str(), known.name.as_str()]
                .iter()
                .any(|name| area_key(name) == wanted)
        })
    }

    /// Each intervention's budget, and where each name is; a plan whose areas do not add up to
    /// what they declare is refused (a follow-up of it would not add up either).
    fn budgets(&self) -> Result<(Vec<Vec<Money>>, NameIndex), FollowUpError> {
        let plan = self.plan;
        let mut budgets: Vec<Vec<Money>> = Vec::with_capacity(plan.areas.len());
        let mut names: NameIndex = HashMap::new();
        for (area_index, area) in plan.areas.iter().enumerate() {
            let amounts =
                area.interventions.iter().map(|i| self.plan_money(i.amount)).collect::<Result<Vec<Money>, _>>()?;
            let sum = self.sum(amounts.iter().copied())?;
            if let Some(declared) = &area.declared {
                self.declared_against(declared.amount, declared.line, &area.name, sum)?;
            }
            let mut seen: HashMap<String, usize> = HashMap::new();
            for (index, intervention) in area.interventions.iter().enumerate() {
                if let Some(first) = seen.insert(area_key(&intervention.name), intervention.line) {
                    return Err(FollowUpError::PlanDuplicate {
                        plan: plan.source.clone(),
                        line: intervention.line,
                        first,
                        intervention: intervention.name.clone(),
                        area: area.name.clone(),
                    });
                }
                if amounts[index] < Money::ZERO {
                    return Err(FollowUpError::NegativeBudget {
                        plan: plan.source.clone(),
                        line: intervention.line,
                        intervention: intervention.name.clone(),
                        amount: amounts[index].brief(self.decimals),
                        unit: self.unit,
                    });
                }
                names.entry(area_key(&intervention.name)).or_default().push((area_index, index));
                // An outcome row may name it by the plan's id instead (`1.2`); a text that is one
                // intervention's id and another's name matches both, an error, never a guess.
                if let Some(id) = &intervention.id {
                    let by_id = names.entry(by_id_key(id)).or_default();
                    if !by_id.contains(&(area_index, index)) {
                        by_id.push((area_index, index));
                    }
                }
            }
            budgets.push(amounts);
        }
        Ok((budgets, names))
    }

    fn declared_against(&self, declared: Decimal, line: usize, area: &str, sum: Money) -> Result<(), FollowUpError> {
        let declared = self.plan_money(declared)?;
        if declared == sum {
            return Ok(());
        }
        Err(FollowUpError::PlanDoesNotAddUp {
            plan: self.plan.source.clone(),
            line,
            area: area.to_string(),
            declared: declared.brief(self.decimals),
            sum: sum.brief(self.decimals),
            unit: self.unit,
        })
    }

    /// Sorts every outcome row: another object, after the period, one intervention, or none.
    /// A ledger read in stretches is placed in those parts side by side, each on its own thread,
    /// and the parts are joined in file order (rows, listings, findings) with their sums added:
    /// exact integers add in any order. The join is taken only when every part placed all its
    /// rows and no running sum can have left `Money`'s range (the rows' sizes add up within
    /// it); otherwise the rows are placed again one by one, so that an error is the first one
    /// in file order, as before.
    fn place(
        &mut self,
        budgets: &[Vec<Money>],
        names: &NameIndex,
        options: &Options,
        from: Option<Date>,
    ) -> Result<Placed, FollowUpError> {
        let outcome = self.outcome;
        let parts = outcome.parts();
        if parts.len() > 1
            && let Some((placed, findings)) = self.place_in_parts(parts, budgets, names, options, from)
        {
            self.findings.extend(findings);
            return Ok(placed);
        }
        let mut placed = Placed::empty(budgets);
        let mut findings = Vec::new();
        self.place_rows(outcome.rows(), &mut placed, &mut findings, names, options, from)?;
        self.findings.extend(findings);
        Ok(placed)
    }

    /// Each part placed on a thread (the first on this one), joined in file order; `None` if a
    /// part met an error, or the sizes of the rows add up past `Money`'s range.
    fn place_in_parts(
        &self,
        parts: &'a [Vec<OutcomeRow>],
        budgets: &[Vec<Money>],
        names: &NameIndex,
        options: &Options,
        from: Option<Date>,
    ) -> Option<(Placed, Vec<Finding>)> {
        let place_part = |rows: &'a [OutcomeRow]| {
            let mut placed = Placed::empty(budgets);
            let mut findings = Vec::new();
            let size = self.place_rows(rows.iter(), &mut placed, &mut findings, names, options, from).ok()?;
            Some((placed, findings, size))
        };
        let results: Vec<_> = std::thread::scope(|scope| {
            let place_part = &place_part;
            let handles: Vec<_> = parts[1..].iter().map(|rows| scope.spawn(move || place_part(rows))).collect();
            let mut results = vec![place_part(&parts[0])];
            results.extend(handles.into_iter().map(|handle| handle.join().ok().flatten()));
            results
        });
        let mut results = results.into_iter();
        let (mut placed, mut findings, mut size) = results.next()??;
        for result in results {
            let (part, part_findings, part_size) = result?;
            size = size.checked_add(part_size)?;
            placed.join(part)?;
            findings.extend(part_findings);
        }
        // Below this no running sum of the rows in file order can have overflowed.
        (size <= i128::MAX.unsigned_abs()).then_some((placed, findings))
    }

    /// Places `rows` into `placed`, the findings of unmatched rows into `findings`, in order.
    /// Returns the sum of the rows' sizes (`|amount|`), which bounds every running sum, or
    /// `u128::MAX` past it.
    fn place_rows(
        &self,
        rows: impl Iterator<Item = &'a OutcomeRow>,
        placed: &mut Placed,
        findings: &mut Vec<Finding>,
        names: &NameIndex,
        options: &Options,
        from: Option<Date>,
    ) -> Result<u128, FollowUpError> {
        let outcome = self.outcome;
        let overflow = || too_large(&outcome.source);
        let mut size = 0u128;
        // What each text of the outcome is worked out once, however many rows repeat it: an
        // object is the one asked for, another, or none; an intervention's name where it is in
        // the plan; an area's name which area.
        let mut objects: Vec<Option<ObjectIs>> = vec![None; outcome.texts.len()];
        let mut interventions: Vec<Option<Vec<Place>>> = vec![None; outcome.texts.len()];
        let mut areas: Vec<Option<Option<usize>>> = vec![None; outcome.texts.len()];
        let mut shared = SharedTexts::new(outcome);
        for row in rows {
            let amount = self.outcome_money(row.amount)?;
            size = size.saturating_add(amount.0.unsigned_abs());
            if let Some(object) = &options.object {
                let is = object_is(outcome, &mut objects, row.object, object);
                match is {
                    ObjectIs::Unknown => {
                        return Err(FollowUpError::NoObject {
                            outcome: outcome.source.clone(),
                            line: row.line,
                            object: object.clone(),
                            written: outcome.owned(row.object),
                        });
                    }
                    ObjectIs::Other => {
                        placed.other_object.push(&mut shared, row, amount).ok_or_else(overflow)?;
                        continue;
                    }
                    ObjectIs::Wanted => {}
                }
            }
            if let Some(until) = options.until {
                let Some(date) = row.date else {
                    return Err(FollowUpError::Undated { outcome: outcome.source.clone(), line: row.line, until });
                };
                if date > until {
                    placed.after_period.push(&mut shared, row, amount).ok_or_else(overflow)?;
                    continue;
                }
            }
            if let Some(from) = from {
                let Some(date) = row.date else {
                    return Err(FollowUpError::UndatedFrom { outcome: outcome.source.clone(), line: row.line, from });
                };
                if date < from {
                    placed.before_period.push(&mut shared, row, amount).ok_or_else(overflow)?;
                    continue;
                }
            }
            let found = interventions[row.intervention.index()].get_or_insert_with(|| {
                let written = outcome.text(row.intervention);
                let by_name = names.get(&area_key(written)).map_or(&[][..], Vec::as_slice);
                let by_id = names.get(&by_id_key(written)).map_or(&[][..], Vec::as_slice);
                let mut found: Vec<Place> = by_name.to_vec();
                found.extend(by_id.iter().filter(|place| !by_name.contains(place)));
                found
            });
            let area =
                row.area.map(|text| *areas[text.index()].get_or_insert_with(|| self.area_of(outcome.text(text))));
            // Borrowed where the row names no area: a vector made per row was a million
            // allocations and frees on the main thread.
            let in_area: Vec<Place>;
            let candidates: &[Place] = match area {
                Some(Some(wanted)) => {
                    in_area = found.iter().copied().filter(|&(area, _)| area == wanted).collect();
                    &in_area
                }
                Some(None) => &[],
                None => found,
            };
            match candidates {
                [place] => placed.count(*place, row, amount).ok_or_else(overflow)?,
                [] => {
                    placed.unmatched.push(&mut shared, row, amount).ok_or_else(overflow)?;
                    findings.push(self.unmatched(row, area.flatten(), amount));
                }
                several => {
                    let mut areas: Vec<String> =
                        several.iter().map(|&(area, _)| self.area_id(area).to_string()).collect();
                    areas.dedup();
                    if let [area] = areas.as_slice() {
                        return Err(FollowUpError::TwiceInArea {
                            outcome: outcome.source.clone(),
                            line: row.line,
                            intervention: outcome.text(row.intervention).to_string(),
                            area: area.clone(),
                        });
                    }
                    return Err(FollowUpError::Ambiguous {
                        outcome: outcome.source.clone(),
                        line: row.line,
                        intervention: outcome.text(row.intervention).to_string(),
                        areas,
                    });
                }
            }
        }
        Ok(size)
    }

    /// A row that matches no intervention: a finding, with the nearest name of its area (or of
    /// the plan, when the row names no area the plan has).
    fn unmatched(&self, row: &OutcomeRow, area: Option<usize>, amount: Money) -> Finding {
        let plan = self.plan;
        // Handed over as they are read, not collected: the hint's work is bounded where it
        // is done (`suggest`), and one row's look at a long plan must not cost more.
        let areas = match area {
            Some(wanted) => &plan.areas[wanted..=wanted],
            None => &plan.areas[..],
        };
        let names = areas.iter().flat_map(|area| &area.interventions).map(|i| i.name.as_str());
        let written = self.outcome.text(row.intervention);
        let suggestion = crate::io::suggest::nearest(written, names).map(str::to_string);
        let kind = FindingKind::OutcomeUnmatched {
            intervention: written.to_string(),
            area: self.outcome.owned(row.area),
            amount,
            suggestion,
        };
        let area = area.map(|index| self.area_id(index));
        self.finding(area, Some(row.line), kind)
    }

    /// One intervention's line, and its findings.
    fn intervention(
        &mut self,
        area_index: usize,
        index: usize,
        budget: Money,
        spent: Money,
        rows: Counted,
        undecided: Option<Money>,
    ) -> Result<InterventionLine, FollowUpError> {
        let intervention = &self.plan.areas[area_index].interventions[index];
        let id = self.area_id(area_index);
        let outcome = self.outcome;
        let Counted { lines, comments, decisions, .. } = rows;
        let comments = once(outcome, comments, str::to_string);
        // A decision is a name: `RS 2019/12` and `rs 2019/12` are one decision.
        let decisions = once(outcome, decisions, crate::io::names::key);
        let name = intervention.name.clone();
        if lines.is_empty() && !self.outcome.is_none() {
            self.report(
                Some(id),
                Some(intervention.line),
                FindingKind::NoOutcome { intervention: name.clone(), budget },
            );
        }
        let figures = self.figures(budget, spent)?;
        if spent < Money::ZERO {
            let kind = FindingKind::OutcomeNegative { intervention: Some(name.clone()), outcome: spent };
            self.report(Some(id), Some(intervention.line), kind);
        }
        if spent > budget {
            let over = Money(-figures.remaining.0);
            // A decision allows the rows that cite it, not the others: the overrun is decided
            // only when the rows without a decision stay within the budget, so that the rows
            // with one carry the whole overrun.
            let undecided = undecided.ok_or_else(|| too_large(&self.outcome.source))?;
            let kind = if decisions.is_empty() {
                FindingKind::OverBudget { intervention: name.clone(), budget, outcome: spent, over }
            } else if undecided > budget {
                FindingKind::OverBudgetUndecidedRows {
                    intervention: name.clone(),
                    budget,
                    outcome: spent,
                    over,
                    undecided,
                    decisions: decisions.clone(),
                }
            } else {
                FindingKind::OverBudgetDecided {
                    intervention: name.clone(),
                    budget,
                    outcome: spent,
                    over,
                    decisions: decisions.clone(),
                }
            };
            self.report(Some(id), Some(intervention.line), kind);
        }
        Ok(InterventionLine {
            name,
            line: intervention.line,
            figures,
            rows: lines,
            comments,
            decisions,
            plan_comment: intervention.comment.clone(),
        })
    }

    /// One area's line with its interventions', and the area's findings.
    fn area(&mut self, area_index: usize, budgets: &[Money], placed: &mut Placed) -> Result<AreaLine, FollowUpError> {
        let mut lines = Vec::with_capacity(budgets.len());
        for (index, &budget) in budgets.iter().enumerate() {
            let rows = std::mem::take(&mut placed.counted[area_index][index]);
            let (spent, undecided) = (placed.outcomes[area_index][index], placed.undecided[area_index][index]);
            lines.push(self.intervention(area_index, index, budget, spent, rows, undecided)?);
        }
        let budget = self.sum(lines.iter().map(|line| line.figures.budget))?;
        let spent = self.sum(lines.iter().map(|line| line.figures.outcome))?;
        let figures = self.figures(budget, spent)?;
        let id = self.area_id(area_index);
        if spent > budget {
            self.report(
                Some(id),
                None,
                FindingKind::AreaOver { budget, outcome: spent, over: Money(-figures.remaining.0) },
            );
        } else if spent < Money::ZERO {
            self.report(Some(id), None, FindingKind::OutcomeNegative { intervention: None, outcome: spent });
        } else if spent < budget && !self.outcome.is_none() {
            self.report(
                Some(id),
                None,
                FindingKind::AreaUnspent { budget, outcome: spent, unspent: figures.remaining },
            );
        }
        let known = &self.agreement.areas[self.matched[area_index]];
        Ok(AreaLine { id: known.id.clone(), name: known.name.clone(), figures, interventions: lines })
    }
}

/// The distinct `texts` (each once already, in the order first written) each once as `key`
/// tells them apart: `key` is worked out once per text, not per row.
fn once(outcome: &Outcome, texts: Vec<Text>, key: impl Fn(&str) -> String) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    texts.into_iter().map(|text| outcome.text(text)).filter(|text| seen.insert(key(text))).map(str::to_string).collect()
}

/// What the object `text` is to `--object` (`wanted`), worked out once per text into `known`.
fn object_is(outcome: &Outcome, known: &mut [Option<ObjectIs>], text: Option<Text>, wanted: &str) -> ObjectIs {
    let Some(text) = text else { return ObjectIs::Unknown };
    *known[text.index()].get_or_insert_with(|| {
        let written = outcome.text(text);
        // `-` or `Saknas` says the object is not known: as an empty cell, never "another
        // object" (which would set the row aside as if it were known to be one).
        if crate::io::names::is_placeholder(written) {
            ObjectIs::Unknown
        } else if super::outcome::same_object(written, wanted) {
            ObjectIs::Wanted
        } else {
            ObjectIs::Other
        }
    })
}

/// What a row's object is to `--object`.
#[derive(Debug, Clone, Copy)]
enum ObjectIs {
    Wanted,
    Other,
    /// Empty, or a placeholder (`-`, `Saknas`): an error under `--object`.
    Unknown,
}

/// Follows `outcome` up against `plan` (in `unit`), whose areas are the agreement's, counting
/// only rows dated from `from` (`--from`, all rows when `None`); earlier rows are listed.
pub fn follow_up_from(
    plan: &Proposal,
    unit: Unit,
    agreement: &Agreement,
    outcome: &Outcome,
    options: &Options,
    from: Option<Date>,
) -> Result<FollowUpReport, FollowUpError> {
    if let (Some(from), Some(until)) = (from, options.until)
        && from > until
    {
        return Err(FollowUpError::PeriodBackwards { from, until });
    }
    if let Some(object) = &options.object {
        // Named as the file's objects are read: a character that does not show is refused.
        crate::io::names::check(object).map_err(FollowUpError::ObjectFlag)?;
    }
    let matched = match_areas(plan, agreement)?;
    if let Some(object) = &options.object
        && !outcome.has_object
        && !outcome.has_no_rows()
    {
        return Err(FollowUpError::NoObjectColumn { outcome: outcome.source.clone(), object: object.clone() });
    }
    if (options.until.is_some() || from.is_some()) && !outcome.has_date && !outcome.has_no_rows() {
        return Err(FollowUpError::NoDateColumn { outcome: outcome.source.clone() });
    }
    let amounts = outcome.rows().map(|row| row.amount).chain(outcome.sum_rows.iter().map(|row| row.amount));
    let decimals =
        amounts.map(|amount| needed_decimals(amount, outcome.unit, unit)).max().unwrap_or(0).max(plan.decimals());
    if decimals > MAX_DECIMALS {
        return Err(FollowUpError::TooFine { source_file: outcome.source.clone(), unit });
    }
    let mut builder =
        Builder { plan, outcome, agreement, matched, unit, decimals, strict: options.strict, findings: Vec::new() };
    check_sum_rows(&builder)?;
    let (budgets, names) = builder.budgets()?;
    let mut placed = builder.place(&budgets, &names, options, from)?;
    selects_something(outcome, &placed, options, from)?;
    let areas = budgets
        .iter()
        .enumerate()
        .map(|(area_index, budgets)| builder.area(area_index, budgets, &mut placed))
        .collect::<Result<Vec<AreaLine>, _>>()?;
    let budget = builder.sum(areas.iter().map(|area| area.figures.budget))?;
    if let Some(declared) = &plan.total {
        builder.declared_against(declared.amount, declared.line, "total", budget)?;
    }
    let spent = builder.sum(areas.iter().map(|area| area.figures.outcome))?;
    let total = builder.figures(budget, spent)?;
    let Placed { other_object, after_period, before_period, unmatched, .. } = placed;
    if let Some(object) = &options.object
        && !other_object.rows.is_empty()
    {
        let (rows, sum) = (other_object.rows.len(), other_object.sum);
        builder.report(None, None, FindingKind::RowsOtherObject { object: object.clone(), rows, sum });
    }
    if let Some(until) = options.until
        && !after_period.rows.is_empty()
    {
        let (rows, sum) = (after_period.rows.len(), after_period.sum);
        builder.report(None, None, FindingKind::RowsAfterPeriod { until, rows, sum });
    }
    if let Some(from) = from
        && !before_period.rows.is_empty()
    {
        let (rows, sum) = (before_period.rows.len(), before_period.sum);
        builder.report(None, None, FindingKind::RowsBeforePeriod { from, rows, sum });
    }
    Ok(FollowUpReport {
        plan: plan.source.clone(),
        outcome: outcome.source.clone(),
        agreement: agreement.name.clone(),
        unit,
        decimals,
        outcome_unit: outcome.unit,
        object: options.object.clone(),
        until: options.until,
        from,
        areas,
        total,
        other_object,
        after_period,
        before_period,
        unmatched,
        findings: builder.findings,
        plan_lines: plan.lines,
        outcome_lines: outcome.lines,
    })
}

/// A filter (`--object`, `--from`, `--until`) that leaves no row to count is bad input, never a
/// follow-up of nothing: that would show every budget unspent and hide any overrun. The error
/// names what the file holds: its objects, or its first and last dates.
fn selects_something(
    outcome: &Outcome,
    placed: &Placed,
    options: &Options,
    from: Option<Date>,
) -> Result<(), FollowUpError> {
    let set_aside = placed.other_object.rows.len() + placed.after_period.rows.len() + placed.before_period.rows.len();
    if outcome.has_no_rows() || set_aside < outcome.row_count() {
        return Ok(());
    }
    let of_object = |row: &&OutcomeRow| match (&options.object, row.object) {
        (Some(object), Some(written)) => super::outcome::same_object(outcome.text(written), object),
        (Some(_), None) => false,
        (None, _) => true,
    };
    if let Some(object) = &options.object
        && !outcome.rows().any(|row| of_object(&row))
    {
        return Err(FollowUpError::ObjectSelectsNothing {
            outcome: outcome.source.clone(),
            object: object.clone(),
            objects: objects_held(outcome),
        });
    }
    let dates = outcome.rows().filter(of_object).filter_map(|row| row.date);
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
        // Every row was set aside by a filter, and each filter checks what it needs (an object,
        // a date): not reached; an error, never a follow-up of nothing.
        return Err(FollowUpError::NoDateColumn { outcome: outcome.source.clone() });
    };
    let period = match (from, options.until) {
        (Some(from), Some(until)) if from == Date::start_of_year(until) => {
            format!("{from} to {until} (--until {until}, from 1 January of its year unless --from says otherwise)")
        }
        (Some(from), Some(until)) => format!("{from} to {until} (--from, --until)"),
        (Some(from), None) => format!("from {from} (--from)"),
        (None, Some(until)) => format!("up to {until} (--until)"),
        (None, None) => String::new(),
    };
    Err(FollowUpError::PeriodSelectsNothing {
        outcome: outcome.source.clone(),
        object: options.object.clone(),
        period,
        first,
        last,
    })
}

/// The objects an outcome's rows are booked on, for a message: each once with its count of
/// rows, in the order first met, the first ten named.
fn objects_held(outcome: &Outcome) -> String {
    const SHOWN: usize = 10;
    let mut objects: Vec<(&str, usize)> = Vec::new();
    // Each object by what `same_object` compares (a number's value, else the name's key): one
    // look-up a row, however many objects.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut without = 0usize;
    for row in outcome.rows() {
        let Some(written) = row.object.map(|text| outcome.text(text)) else {
            without += 1;
            continue;
        };
        let key = if crate::core::region::is_numeric_code(written) {
            written.trim_start_matches('0').to_string()
        } else {
            crate::io::names::key(written)
        };
        let at = *index.entry(key).or_insert_with(|| {
            objects.push((written, 0));
            objects.len() - 1
        });
        objects[at].1 += 1;
    }
    let mut parts: Vec<String> =
        objects.iter().take(SHOWN).map(|(object, rows)| format!("{object} ({rows} row(s))")).collect();
    if objects.len() > SHOWN {
        parts.push(format!("{} more object(s)", objects.len() - SHOWN));
    }
    if without > 0 {
        parts.push(format!("no object ({without} row(s))"));
    }
    parts.join(", ")
}

/// Each sum row of the export against the rows above it: those since the previous sum row (a
/// block's subtotal), or all of them (a grand total). Any other figure is an error. One pass:
/// the rows and the sum rows are each in line order.
fn check_sum_rows(builder: &Builder<'_>) -> Result<(), FollowUpError> {
    let outcome = builder.outcome;
    let mut rows = outcome.rows().peekable();
    let (mut all, mut block) = (Money::ZERO, Money::ZERO);
    for sum_row in &outcome.sum_rows {
        while let Some(row) = rows.next_if(|row| row.line < sum_row.line) {
            let amount = builder.outcome_money(row.amount)?;
            all = all.plus(amount).ok_or_else(|| too_large(&outcome.source))?;
            block = block.plus(amount).ok_or_else(|| too_large(&outcome.source))?;
        }
        let said = builder.outcome_money(sum_row.amount)?;
        if said != block && said != all {
            return Err(FollowUpError::SumRow {
                outcome: outcome.source.clone(),
                line: sum_row.line,
                said: said.brief(builder.decimals),
                sum: block.brief(builder.decimals),
                unit: builder.unit,
            });
        }
        block = Money::ZERO;
    }
    Ok(())
}

// The tests sit beside this file, as its own child module.
#[cfg(test)]
#[path = "tests.rs"]
mod tests;
