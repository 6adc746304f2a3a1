//! The population key behind a published table, found from its amounts alone, and the rounding
//! rule that turns that key into the table.
//!
//! Published tables give each recipient's amount `a_i` of a total `T`, seldom the key or its
//! date. If `a_i` is `T·p_i / P` (`P = Σ p_i`) rounded to a whole step, then for every candidate
//! national total `P` each row admits only the whole populations `p_i` whose quota lies within
//! one step of `a_i`:
//!
//! ```text
//!     |a_i − T·p_i / P| < 1 step   ⇔   (a_i − 1)·P / T  <  p_i  <  (a_i + 1)·P / T
//! ```
//!
//! Strictly less than one step, because that is exactly "`a_i` is the quota rounded down or up"
//! (an exact quota has one rounding, itself; any other amount is a whole step or more away). So
//! every rule that rounds each quota down or up is covered: floor, ceiling, half up, half even,
//! largest remainder (whatever its tie order), and corrections to make the sum as long as each
//! corrected row stays its quota rounded down or up. A row corrected beyond that is off at the
//! true total, which a near miss then names. The populations must also add up:
//! `Σ min_i ≤ P ≤ Σ max_i`. A row's interval is `2·P/T` people wide, so when the table pays at
//! least two steps per person it holds at most one whole population; with fewer, a row may
//! admit two, and below one step per person every row admits at least two, so the key cannot be
//! told apart from its neighbours.
//!
//! `recover_key` tries every `P` of a range the caller gives (say ±2 % around the population
//! file's totals) in exact integer arithmetic: the interval's ends are `⌊(a_i − 1)·P/T⌋ + 1` and
//! `⌈(a_i + 1)·P/T⌉ − 1`, computed by integer division. A candidate `P` is dropped as soon as
//! more rows admit no population than a near miss allows (`off_rows`), and at a wrong `P` a row
//! admits one with a chance of about `2·P/T`, so a real table costs about `off_rows + 1` row
//! checks per candidate whatever its number of rows: `O(candidates · (off_rows + 1))` expected,
//! `O(candidates · rows)` at worst (which `KeyLimits::work` bounds before the scan starts), plus
//! `O(rows)` at each total where every row fits.
//! `rounding_rules` then names the rules that give the table from the key found (or any key).
//!
//! Amounts and the total are in steps of the table (its unit, or the `--step` given): a table in
//! whole kronor has steps of 1 kr, one rounded to thousands steps of 1 000 kr. No floats.

use std::ops::RangeInclusive;

use serde::Serialize;
use thiserror::Error;

use crate::core::amount::Fraction;
use crate::core::apportion::largest_remainder;

use super::Step;

/// How much `recover_key` may do and keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyLimits {
    /// The most row checks the scan may need: candidate totals × rows, checked before it starts
    /// (the scan itself usually does far fewer).
    pub work: u128,
    /// Keys (and undetermined totals) counted before the scan stops: "at least this many".
    pub count: usize,
    /// Keys, undetermined totals and near misses kept in full (the first ones found).
    pub keep: usize,
    /// Rows that may admit no population in a near miss (and at most a quarter of the rows).
    pub off_rows: usize,
}

impl Default for KeyLimits {
    /// A billion row checks (10⁶ candidate totals × 1 000 rows), counts to 100, the first 5
    /// kept, near misses with up to 2 rows off.
    fn default() -> Self {
        KeyLimits { work: 1_000_000_000, count: 100, keep: 5, off_rows: 2 }
    }
}

/// A population key: a whole population per row (in the table's row order) and their sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Key {
    pub population: u128,
    pub weights: Vec<u64>,
}

/// What the amounts say about their key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum KeyOutcome {
    /// Exactly one national total in the range, with exactly one population per row.
    Unique { key: Key },
    /// Several totals each give exactly one population per row (a key's multiples, say, when
    /// the range is wide and the table small).
    Ambiguous {
        /// Keys found; `at_least` when the scan stopped at the limit's count.
        solutions: usize,
        at_least: bool,
        first: Vec<Key>,
    },
    /// The amounts are too small for the key to be determined: at some total in the range the
    /// rows admit several population vectors adding up to it (`steps_per_person` in the
    /// recovery says by how much too small).
    TooSmall {
        /// Totals with several population vectors; `at_least` when the scan stopped.
        totals: usize,
        at_least: bool,
        first: Vec<u128>,
        /// Rows admitting more than one population at the first such total.
        open_rows: usize,
        /// Totals with exactly one population vector, found as well.
        solutions: usize,
    },
    /// No population key at all.
    None { reason: NoKey },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum NoKey {
    /// The amounts add up to a whole step per row or more away from the total, which no
    /// rounding of any key does (whatever the range).
    OutOfReach { published_sum: u128, rows: usize },
    /// No total in the range gives every row a population adding up to it.
    NoTotal,
}

/// A total at which all rows but a few (`off`, none if the populations only fail to add up)
/// admit exactly one population. The off rows get the population nearest to `a_i·P/T`, or, when
/// a single row is off, `P` less the others' (then the weights add up by construction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    pub key: Key,
    pub off: Vec<usize>,
    pub adds_up: bool,
}

/// What the scan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Work {
    /// Candidate totals tried.
    pub candidates: u128,
    /// Rows checked, over all candidates.
    pub row_checks: u128,
    /// Whether the scan stopped at the limit's count before the end of the range.
    pub stopped_early: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyRecovery {
    pub step: Step,
    pub range: RangeInclusive<u128>,
    /// `T / P` at the top of the range: the fewest steps the table pays per person. Below two a
    /// row may admit two populations, below one it always admits several.
    pub steps_per_person: Fraction,
    pub outcome: KeyOutcome,
    /// Near misses found (counted to the end of the scan) and the first ones.
    pub near_misses: usize,
    pub first_near_misses: Vec<NearMiss>,
    pub work: Work,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    #[error("there are no rows to find a key for")]
    NoRows,
    #[error("the total is zero, or has a zero denominator")]
    ZeroTotal,
    #[error("the range of national totals {start}–{end} is empty or starts at zero")]
    EmptyRange { start: u128, end: u128 },
    #[error(
        "{candidates} candidate totals × {rows} rows is {checks} row checks, more than the limit of \
         {limit}: narrow the range of national totals"
    )]
    TooMuchWork { candidates: u128, rows: usize, checks: u128, limit: u128 },
    #[error("an amount times a national total does not fit in 128 bits")]
    Overflow,
    #[error("a population does not fit in 64 bits")]
    PopulationTooLarge,
    #[error("the key has {weights} rows and the table {amounts}")]
    RowCount { weights: usize, amounts: usize },
    #[error("all weights of the key are zero")]
    ZeroWeights,
}

/// One row's interval factors: populations `p` with `low·P < N·p < high·P` (`T = N/D`).
struct Bounds {
    /// `(a − 1)·D`; `None` for an amount of zero, whose populations start at 0.
    low: Option<u128>,
    /// `(a + 1)·D`.
    high: u128,
    /// `2·a·D`, for the population nearest to `a·P/T`.
    twice: u128,
}

impl Bounds {
    /// The whole populations the row admits at national total `p`, or `None`.
    fn span(&self, p: u128, n: u128) -> Result<Option<(u128, u128)>, KeyError> {
        let min = match self.low {
            Some(low) => low.checked_mul(p).ok_or(KeyError::Overflow)? / n + 1,
            None => 0,
        };
        // high·p ≥ D·p ≥ 1, so ⌈high·p/n⌉ − 1 = ⌊(high·p − 1)/n⌋.
        let max = (self.high.checked_mul(p).ok_or(KeyError::Overflow)? - 1) / n;
        Ok((min <= max).then_some((min, max)))
    }

    /// The population nearest to `a·p/T` (half up).
    fn nearest(&self, p: u128, n: u128) -> Result<u128, KeyError> {
        let twice = self.twice.checked_mul(p).and_then(|x| x.checked_add(n)).ok_or(KeyError::Overflow)?;
        Ok(twice / n.checked_mul(2).ok_or(KeyError::Overflow)?)
    }
}

/// `[total − percent %, total + percent %]`, rounded outwards: the default range of national
/// totals around a population file's total. `None` when it passes 128 bits.
pub fn range_around(total: u128, percent: u128) -> Option<RangeInclusive<u128>> {
    let spread = total.checked_mul(percent)?.div_ceil(100);
    Some(total.saturating_sub(spread).max(1)..=total.checked_add(spread)?)
}

/// Finds the population keys that give `amounts` (in steps) as roundings of `total` (in steps,
/// exact) split by population, for every national total in `range`. See the module's notes.
pub fn recover_key(
    amounts: &[u128],
    total: &Fraction,
    step: Step,
    range: RangeInclusive<u128>,
    limits: KeyLimits,
) -> Result<KeyRecovery, KeyError> {
    if amounts.is_empty() {
        return Err(KeyError::NoRows);
    }
    let total = reduced(total).ok_or(KeyError::ZeroTotal)?;
    let (n, d) = (total.numerator, total.denominator);
    let (start, end) = (*range.start(), *range.end());
    if start == 0 || start > end {
        return Err(KeyError::EmptyRange { start, end });
    }
    let candidates = end - start + 1;
    let rows = amounts.len();
    let checks = u128::try_from(rows).ok().and_then(|rows| candidates.checked_mul(rows));
    match checks {
        Some(checks) if checks <= limits.work => {}
        _ => {
            let checks = checks.unwrap_or(u128::MAX);
            return Err(KeyError::TooMuchWork { candidates, rows, checks, limit: limits.work });
        }
    }
    let steps_per_person =
        reduced(&Fraction { numerator: n, denominator: d.checked_mul(end).ok_or(KeyError::Overflow)? })
            .ok_or(KeyError::Overflow)?;
    let mut recovery = KeyRecovery {
        step,
        range: range.clone(),
        steps_per_person,
        outcome: KeyOutcome::None { reason: NoKey::NoTotal },
        near_misses: 0,
        first_near_misses: Vec::new(),
        work: Work { candidates: 0, row_checks: 0, stopped_early: false },
    };

    // Σ min > (A − rows)·P/T and Σ max < (A + rows)·P/T: the populations can add up to P only
    // if |A − T| < rows steps, at every P.
    let published_sum = sum(amounts.iter().copied())?;
    let scaled_sum = published_sum.checked_mul(d).ok_or(KeyError::Overflow)?;
    let reach = (rows as u128).checked_mul(d).ok_or(KeyError::Overflow)?;
    if scaled_sum.abs_diff(n) >= reach {
        recovery.outcome = KeyOutcome::None { reason: NoKey::OutOfReach { published_sum, rows } };
        return Ok(recovery);
    }

    let mut scan = Scan::new(amounts, n, d, limits)?;
    for p in range {
        if scan.visit(p)? {
            break;
        }
    }
    recovery.outcome = scan.outcome();
    recovery.near_misses = scan.near_misses;
    recovery.first_near_misses = scan.first_near_misses;
    recovery.work = scan.work;
    Ok(recovery)
}

/// The scan over candidate totals: the rows in the order they are checked, and what was found.
struct Scan {
    /// The total's numerator (`T = n/d`).
    n: u128,
    /// Row indices, largest amount first: every row's interval is equally narrow, but the
    /// large rows move fastest with P, so a near miss's off rows are rarely the first ones.
    order: Vec<usize>,
    /// Each row's interval factors, in `order`.
    bounds: Vec<Bounds>,
    /// Rows that may be off in a near miss.
    tolerated: usize,
    keep: usize,
    count: usize,
    /// At the current total: each row's populations (in `order`), and the rows admitting none.
    spans: Vec<(u128, u128)>,
    off: Vec<usize>,
    solutions: Vec<Key>,
    solution_count: usize,
    /// Totals with several population vectors, with their number of open rows.
    open_totals: Vec<(u128, usize)>,
    open_count: usize,
    near_misses: usize,
    first_near_misses: Vec<NearMiss>,
    work: Work,
}

impl Scan {
    fn new(amounts: &[u128], n: u128, d: u128, limits: KeyLimits) -> Result<Scan, KeyError> {
        let rows = amounts.len();
        let mut order: Vec<usize> = (0..rows).collect();
        order.sort_by(|&i, &j| amounts[j].cmp(&amounts[i]).then(i.cmp(&j)));
        let bounds = order
            .iter()
            .map(|&i| {
                let a = amounts[i];
                let low = if a == 0 { None } else { Some((a - 1).checked_mul(d).ok_or(KeyError::Overflow)?) };
                let high = a.checked_add(1).and_then(|x| x.checked_mul(d)).ok_or(KeyError::Overflow)?;
                let twice = a.checked_mul(2).and_then(|x| x.checked_mul(d)).ok_or(KeyError::Overflow)?;
                Ok(Bounds { low, high, twice })
            })
            .collect::<Result<Vec<_>, KeyError>>()?;
        Ok(Scan {
            n,
            order,
            bounds,
            tolerated: limits.off_rows.min(rows / 4),
            keep: limits.keep.max(1),
            count: limits.count,
            spans: vec![(0, 0); rows],
            off: Vec::new(),
            solutions: Vec::new(),
            solution_count: 0,
            open_totals: Vec::new(),
            open_count: 0,
            near_misses: 0,
            first_near_misses: Vec::new(),
            work: Work { candidates: 0, row_checks: 0, stopped_early: false },
        })
    }

    /// Tries the national total `p`; `true` when the scan should stop (the count is reached).
    fn visit(&mut self, p: u128) -> Result<bool, KeyError> {
        self.work.candidates += 1;
        self.off.clear();
        for (at, row) in self.bounds.iter().enumerate() {
            self.work.row_checks += 1;
            if let Some(span) = row.span(p, self.n)? {
                self.spans[at] = span;
            } else {
                self.off.push(at);
                if self.off.len() > self.tolerated {
                    return Ok(false);
                }
            }
        }
        let off = &self.off;
        let open = self.spans.iter().enumerate().filter(|(at, (min, max))| min < max && !off.contains(at)).count();
        if off.is_empty() {
            let low = sum(self.spans.iter().map(|span| span.0))?;
            let high = sum(self.spans.iter().map(|span| span.1))?;
            if low <= p && p <= high {
                self.fits(p, open, (low, high))?;
                if self.solution_count + self.open_count > self.count {
                    self.work.stopped_early = true;
                    return Ok(true);
                }
                return Ok(false);
            }
        }
        // A near miss: every row not off admits exactly one population.
        if open == 0 {
            self.near_misses += 1;
            if self.first_near_misses.len() < self.keep {
                let near = self.near_miss(p)?;
                self.first_near_misses.push(near);
            }
        }
        Ok(false)
    }

    /// Every row admits a population at `p` and they can add up to it (`low ≤ p ≤ high`).
    fn fits(&mut self, p: u128, open: usize, (low, high): (u128, u128)) -> Result<(), KeyError> {
        // One vector when every row is fixed, when P is at either end (all at their least or
        // most), or when one row is open (the sum fixes it); else several.
        if open <= 1 || p == low || p == high {
            self.solution_count += 1;
            if self.solutions.len() < self.keep {
                let values = self.spans.iter().map(|&(min, max)| {
                    if p == high {
                        max
                    } else if min == max || p == low {
                        min
                    } else {
                        min + (p - low)
                    }
                });
                let key = key_in_row_order(p, &self.order, values)?;
                self.solutions.push(key);
            }
        } else {
            self.open_count += 1;
            if self.open_totals.len() < self.keep {
                self.open_totals.push((p, open));
            }
        }
        Ok(())
    }

    /// The near miss at `p`: the off rows get the population nearest their amount, or a single
    /// one the rest of `p`.
    fn near_miss(&self, p: u128) -> Result<NearMiss, KeyError> {
        let mut values: Vec<u128> = self.spans.iter().map(|span| span.0).collect();
        for &at in &self.off {
            values[at] = self.bounds[at].nearest(p, self.n)?;
        }
        if let [single] = self.off[..] {
            let others = sum(values.iter().enumerate().filter(|&(at, _)| at != single).map(|(_, &v)| v))?;
            if let Some(rest) = p.checked_sub(others) {
                values[single] = rest;
            }
        }
        let adds_up = sum(values.iter().copied())? == p;
        let mut off: Vec<usize> = self.off.iter().map(|&at| self.order[at]).collect();
        off.sort_unstable();
        Ok(NearMiss { key: key_in_row_order(p, &self.order, values.into_iter())?, off, adds_up })
    }

    fn outcome(&mut self) -> KeyOutcome {
        let at_least = self.work.stopped_early;
        if self.open_count > 0 {
            KeyOutcome::TooSmall {
                totals: self.open_count,
                at_least,
                first: self.open_totals.iter().map(|&(p, _)| p).collect(),
                open_rows: self.open_totals.first().map_or(0, |&(_, open)| open),
                solutions: self.solution_count,
            }
        } else if self.solution_count == 1 && !at_least {
            KeyOutcome::Unique { key: self.solutions.remove(0) }
        } else if self.solution_count > 0 {
            let first = std::mem::take(&mut self.solutions);
            KeyOutcome::Ambiguous { solutions: self.solution_count, at_least, first }
        } else {
            KeyOutcome::None { reason: NoKey::NoTotal }
        }
    }
}

/// Populations given in scan order, put back in the table's row order.
fn key_in_row_order(population: u128, order: &[usize], values: impl Iterator<Item = u128>) -> Result<Key, KeyError> {
    let mut weights = vec![0u64; order.len()];
    for (&row, value) in order.iter().zip(values) {
        weights[row] = u64::try_from(value).map_err(|_| KeyError::PopulationTooLarge)?;
    }
    Ok(Key { population, weights })
}

fn sum(values: impl Iterator<Item = u128>) -> Result<u128, KeyError> {
    values.into_iter().try_fold(0u128, u128::checked_add).ok_or(KeyError::Overflow)
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The fraction in lowest terms; `None` for a zero numerator or denominator.
fn reduced(fraction: &Fraction) -> Option<Fraction> {
    if fraction.numerator == 0 || fraction.denominator == 0 {
        return None;
    }
    let divisor = gcd(fraction.numerator, fraction.denominator);
    Some(Fraction { numerator: fraction.numerator / divisor, denominator: fraction.denominator / divisor })
}

/// A row moved away from what a rule gives, by `steps` (signed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub row: usize,
    pub steps: i128,
}

/// Recipients whose remainders tied at the cutoff of largest remainder, of whom only some got
/// a step (rows in the table's order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemainderTie {
    pub tied: Vec<usize>,
    pub winners: Vec<usize>,
}

/// A rule that reproduces a table exactly from a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "rule")]
pub enum RoundingRule {
    /// Every quota is a whole number of steps and the table is the quotas: no rounding at all
    /// (every rule gives it, so it is named alone).
    Exact,
    /// Largest remainder (Hamilton): the floor of every quota, the steps left over one each to
    /// the largest remainders. `tie`: remainders equal at the cutoff, decided by some order;
    /// `fordela_ties`: the table is also what fordela's own tie rule gives (larger weight, then
    /// earlier row).
    LargestRemainder { tie: Option<RemainderTie>, fordela_ties: bool },
    /// Every quota rounded half up (whether or not that adds up).
    HalfUp,
    /// Every quota rounded down (whether or not that adds up).
    Floor,
    /// Half up, then the fewest steps, all in one direction, to make the sum (the usual
    /// practice is the last krona on the largest recipient). `on_largest`: the corrected rows
    /// are the largest weights. Named only when half up itself does not give the table.
    HalfUpWithCorrections { corrections: Vec<Correction>, on_largest: bool },
    /// Floor, with the steps left over placed on the named rows, not by remainder. Named only
    /// when no rule above gives the table (every table of roundings down or up that adds up is
    /// such a floor, so it says little more than that).
    FloorWithRemainder { remainder: Vec<Correction>, on_largest: bool },
    /// No rule above: `off` are the rows that are not their quota rounded down or up.
    None { off: Vec<usize>, adds_up: bool },
}

/// The rules that turn `weights` and `total` (in steps) into `amounts` (in steps), in
/// `RoundingRule`'s order: a table is often several at once (half up that adds up is largest
/// remainder, ties aside). `[Exact]` or `[None { .. }]` alone when so. Exact integer arithmetic.
pub fn rounding_rules(weights: &[u64], total: &Fraction, amounts: &[u128]) -> Result<Vec<RoundingRule>, KeyError> {
    if weights.len() != amounts.len() {
        return Err(KeyError::RowCount { weights: weights.len(), amounts: amounts.len() });
    }
    let total = reduced(total).ok_or(KeyError::ZeroTotal)?;
    let (n, d) = (total.numerator, total.denominator);
    let weight_sum = sum(weights.iter().map(|&w| u128::from(w)))?;
    if weight_sum == 0 {
        return Err(KeyError::ZeroWeights);
    }
    let denominator = d.checked_mul(weight_sum).ok_or(KeyError::Overflow)?;
    // Quota i = n·w_i / (d·W): its floor and remainder.
    let (floors, remainders): (Vec<u128>, Vec<u128>) = weights
        .iter()
        .map(|&w| n.checked_mul(u128::from(w)).map(|x| (x / denominator, x % denominator)))
        .collect::<Option<Vec<_>>>()
        .ok_or(KeyError::Overflow)?
        .into_iter()
        .unzip();
    let half_up: Vec<u128> =
        floors.iter().zip(&remainders).map(|(&floor, &rem)| floor + u128::from(rem >= denominator - rem)).collect();
    let adds_up = d == 1 && sum(amounts.iter().copied())? == n;

    if remainders.iter().all(|&r| r == 0) && amounts == floors.as_slice() {
        return Ok(vec![RoundingRule::Exact]);
    }
    let mut rules = Vec::new();
    if adds_up && let RemainderOrder::Yes(tie) = remainder_order(amounts, &floors, &remainders) {
        let fordela = largest_remainder(n, weights).map_err(|_| KeyError::Overflow)?;
        rules.push(RoundingRule::LargestRemainder { tie, fordela_ties: fordela.units == amounts });
    }
    if amounts == half_up.as_slice() {
        rules.push(RoundingRule::HalfUp);
    } else if adds_up && let Some(corrections) = one_direction(amounts, &half_up) {
        let on_largest = on_largest(weights, &corrections);
        rules.push(RoundingRule::HalfUpWithCorrections { corrections, on_largest });
    }
    if amounts == floors.as_slice() {
        rules.push(RoundingRule::Floor);
    } else if adds_up
        && rules.is_empty()
        && let Some(remainder) = one_direction(amounts, &floors).filter(|c| c.iter().all(|c| c.steps > 0))
    {
        let on_largest = on_largest(weights, &remainder);
        rules.push(RoundingRule::FloorWithRemainder { remainder, on_largest });
    }
    if rules.is_empty() {
        let off = (0..amounts.len())
            .filter(|&i| {
                let ceil = floors[i] + u128::from(remainders[i] != 0);
                amounts[i] != floors[i] && amounts[i] != ceil
            })
            .collect();
        rules.push(RoundingRule::None { off, adds_up });
    }
    Ok(rules)
}

/// Whether a table is largest remainder for some tie order, and the tie at the cutoff if one
/// was decided.
enum RemainderOrder {
    No,
    Yes(Option<RemainderTie>),
}

/// Whether `amounts` (which add up to a whole total) is largest remainder for some tie order:
/// every row its floor or one step more, and every row given the step has a remainder above
/// zero and no smaller than any row's not given one.
fn remainder_order(amounts: &[u128], floors: &[u128], remainders: &[u128]) -> RemainderOrder {
    let mut stepped_least: Option<u128> = None;
    let mut kept_most: Option<u128> = None;
    for ((&a, &floor), &rem) in amounts.iter().zip(floors).zip(remainders) {
        if a == floor + 1 {
            stepped_least = Some(stepped_least.map_or(rem, |least| least.min(rem)));
        } else if a == floor {
            kept_most = Some(kept_most.map_or(rem, |most| most.max(rem)));
        } else {
            return RemainderOrder::No;
        }
    }
    match (stepped_least, kept_most) {
        (Some(0), _) => RemainderOrder::No,
        (Some(cutoff), Some(most)) if cutoff < most => RemainderOrder::No,
        (Some(cutoff), Some(most)) if cutoff == most => {
            let tied: Vec<usize> = (0..amounts.len()).filter(|&i| remainders[i] == cutoff).collect();
            let winners = tied.iter().copied().filter(|&i| amounts[i] > floors[i]).collect();
            RemainderOrder::Yes(Some(RemainderTie { tied, winners }))
        }
        _ => RemainderOrder::Yes(None),
    }
}

/// The rows where `amounts` differs from `rule`, if all differ in the same direction.
fn one_direction(amounts: &[u128], rule: &[u128]) -> Option<Vec<Correction>> {
    let corrections: Vec<Correction> = amounts
        .iter()
        .zip(rule)
        .enumerate()
        .filter(|(_, (a, r))| a != r)
        .map(|(row, (&a, &r))| {
            let steps = if a > r { i128::try_from(a - r).ok()? } else { -i128::try_from(r - a).ok()? };
            Some(Correction { row, steps })
        })
        .collect::<Option<_>>()?;
    let up = corrections.iter().all(|c| c.steps > 0);
    let down = corrections.iter().all(|c| c.steps < 0);
    (up || down).then_some(corrections)
}

/// Whether the corrected rows are the largest weights (none larger left uncorrected).
fn on_largest(weights: &[u64], corrections: &[Correction]) -> bool {
    let corrected = |i: usize| corrections.iter().any(|c| c.row == i);
    let least = corrections.iter().map(|c| weights[c.row]).min().unwrap_or(u64::MAX);
    (0..weights.len()).filter(|&i| !corrected(i)).all(|i| weights[i] <= least)
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;
    use std::time::Instant;

    use super::*;
    use crate::core::amount::Unit;

    const COUNTIES: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/population/scb-county-population-31dec-2010-2020.csv"));
    const MUNICIPALITIES: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/population/scb-municipality-population-31dec-2017-2019.csv"
    ));
    const TABLE_2020: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/tables/skr-kvinnors-halsa-2020.csv"));

    fn kr() -> Step {
        Step { unit: Unit::Kr, decimals: 0 }
    }

    fn whole(total: u128) -> Fraction {
        Fraction { numerator: total, denominator: 1 }
    }

    /// The populations of one date of a bundled SCB file (date and population are its last two
    /// fields), in the file's order.
    fn figures(file: &str, date: &str) -> Vec<u64> {
        file.lines()
            .skip(1)
            .filter_map(|line| {
                let mut fields = line.rsplit(',');
                let population = fields.next()?;
                (fields.next()? == date).then(|| population.parse().unwrap())
            })
            .collect()
    }

    fn county_dates() -> Vec<String> {
        let mut dates: Vec<String> =
            COUNTIES.lines().skip(1).map(|line| line.split(',').nth(2).unwrap().to_string()).collect();
        dates.dedup();
        dates
    }

    /// A made-up key: not a population of anywhere, just 21 numbers of a county's size.
    fn synthetic(rows: u64) -> Vec<u64> {
        (0..rows).map(|i| 60_000 + (i * i * 7_919 + i * 104_729) % 900_000).collect()
    }

    /// Largest remainder the plain way, independently of `apportion`: floors, then the leftover
    /// one each in order of remainder (larger weight, then earlier row, on a tie).
    fn plain_largest_remainder(total: u128, weights: &[u64]) -> Vec<u128> {
        let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        let mut amounts: Vec<u128> = weights.iter().map(|&w| total * u128::from(w) / sum).collect();
        let left = total - amounts.iter().sum::<u128>();
        let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
        by_remainder.sort_by_key(|&i| (Reverse(total * u128::from(weights[i]) % sum), Reverse(weights[i]), i));
        for &i in by_remainder.iter().take(left as usize) {
            amounts[i] += 1;
        }
        amounts
    }

    fn plain_half_up(total: u128, weights: &[u64]) -> Vec<u128> {
        let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        weights.iter().map(|&w| (2 * total * u128::from(w) + sum) / (2 * sum)).collect()
    }

    fn population(weights: &[u64]) -> u128 {
        weights.iter().map(|&w| u128::from(w)).sum()
    }

    fn recover(amounts: &[u128], total: u128, range: RangeInclusive<u128>) -> KeyRecovery {
        recover_key(amounts, &whole(total), kr(), range, KeyLimits::default()).unwrap()
    }

    fn unique(recovery: &KeyRecovery) -> &Key {
        match &recovery.outcome {
            KeyOutcome::Unique { key } => key,
            other => panic!("expected one key, got {other:?}"),
        }
    }

    #[test]
    fn a_key_of_no_file_date_is_recovered_and_is_the_only_one() {
        let weights = synthetic(21);
        let p = population(&weights);
        let amounts = plain_largest_remainder(700_000_000, &weights);
        let recovery = recover(&amounts, 700_000_000, range_around(p, 2).unwrap());
        let key = unique(&recovery);
        assert_eq!(key.population, p);
        assert_eq!(key.weights, weights);
        for date in county_dates() {
            assert_ne!(figures(COUNTIES, &date), weights, "{date}");
        }
        assert_eq!(recovery.near_misses, 0);
        assert!(recovery.work.row_checks < 4 * recovery.work.candidates, "{:?}", recovery.work);
        // Half up happens to add up here, so it gives the same table.
        assert_eq!(
            rounding_rules(&key.weights, &whole(700_000_000), &amounts).unwrap(),
            [RoundingRule::LargestRemainder { tie: None, fordela_ties: true }, RoundingRule::HalfUp]
        );
    }

    #[test]
    fn scb_counties_on_31_december_2018_come_back_row_for_row() {
        let weights = figures(COUNTIES, "2018-12-31");
        assert_eq!(weights.len(), 21);
        let p = population(&weights);
        assert_eq!(p, 10_230_185);
        let amounts = plain_largest_remainder(453_000_000, &weights);
        assert_eq!(amounts.iter().sum::<u128>(), 453_000_000);
        let recovery = recover(&amounts, 453_000_000, range_around(p, 2).unwrap());
        assert_eq!(unique(&recovery), &Key { population: p, weights: weights.clone() });
        // Half up happens to add up here, so it gives the same table.
        assert_eq!(
            rounding_rules(&weights, &whole(453_000_000), &amounts).unwrap(),
            [RoundingRule::LargestRemainder { tie: None, fordela_ties: true }, RoundingRule::HalfUp]
        );

        // Every national total of 2010–2020 and more (a million candidates): still one key.
        let started = Instant::now();
        let wide = recover(&amounts, 453_000_000, 9_400_000..=10_400_000);
        let elapsed = started.elapsed();
        assert_eq!(unique(&wide).weights, weights);
        println!("21 rows, {} candidate totals: {:?}, {:?}", wide.work.candidates, elapsed, wide.work);
    }

    #[test]
    fn municipalities_come_back_row_for_row() {
        let weights = figures(MUNICIPALITIES, "2019-12-31");
        assert_eq!(weights.len(), 290);
        let p = population(&weights);
        for total in [2_000_000_000, 500_000_000] {
            let amounts = plain_largest_remainder(total, &weights);
            let range = range_around(p, 2).unwrap();
            let started = Instant::now();
            let recovery = recover(&amounts, total, range);
            let elapsed = started.elapsed();
            assert_eq!(unique(&recovery), &Key { population: p, weights: weights.clone() });
            println!(
                "290 rows, {total} kr, {} candidate totals: {elapsed:?}, {:?}",
                recovery.work.candidates, recovery.work
            );
        }
    }

    #[test]
    fn half_up_with_the_last_krona_off_the_largest_row() {
        let weights: Vec<u64> = synthetic(21).iter().map(|w| w + 13).collect();
        let largest = (0..weights.len()).max_by_key(|&i| weights[i]).unwrap();
        let sum = population(&weights);
        let remainder = |total: u128, i: usize| total * u128::from(weights[i]) % sum;
        // The first total from 600 000 000 kr on where half up hands out one krona too many,
        // the largest row's quota was rounded up (taking the krona back leaves a valid
        // rounding), and some other row rounded up has a smaller remainder (so the result is
        // not largest remainder as well).
        let total = (600_000_000..600_010_000)
            .find(|&total| {
                let rounded = plain_half_up(total, &weights);
                let own = remainder(total, largest);
                let up = |i: usize| 2 * remainder(total, i) >= sum;
                rounded.iter().sum::<u128>() == total + 1
                    && own != 0
                    && up(largest)
                    && (0..weights.len()).any(|i| i != largest && up(i) && remainder(total, i) < own)
            })
            .unwrap();
        let mut amounts = plain_half_up(total, &weights);
        amounts[largest] -= 1;
        assert_eq!(
            rounding_rules(&weights, &whole(total), &amounts).unwrap(),
            [RoundingRule::HalfUpWithCorrections {
                corrections: vec![Correction { row: largest, steps: -1 }],
                on_largest: true
            }]
        );
        let recovery = recover(&amounts, total, range_around(sum, 2).unwrap());
        assert_eq!(unique(&recovery).weights, weights);
    }

    #[test]
    fn rules_are_named_exactly() {
        let rules =
            |weights: &[u64], total: u128, amounts: &[u128]| rounding_rules(weights, &whole(total), amounts).unwrap();
        let rule = |weights: &[u64], total: u128, amounts: &[u128]| {
            let rules = rules(weights, total, amounts);
            assert_eq!(rules.len(), 1, "{rules:?}");
            rules[0].clone()
        };
        assert_eq!(rule(&[1, 2, 3], 60, &[10, 20, 30]), RoundingRule::Exact);
        // 2 by 1:1:2: quotas ½, ½, 1; one step left, the two halves tie. Half up gives 1, 1,
        // 1, one step too many, taken off the loser of the tie.
        let tie = |winner| Some(RemainderTie { tied: vec![0, 1], winners: vec![winner] });
        let taken_off = |row| RoundingRule::HalfUpWithCorrections {
            corrections: vec![Correction { row, steps: -1 }],
            on_largest: false,
        };
        assert_eq!(
            rules(&[1, 1, 2], 2, &[1, 0, 1]),
            [RoundingRule::LargestRemainder { tie: tie(0), fordela_ties: true }, taken_off(1)]
        );
        assert_eq!(
            rules(&[1, 1, 2], 2, &[0, 1, 1]),
            [RoundingRule::LargestRemainder { tie: tie(1), fordela_ties: false }, taken_off(0)]
        );
        // 10 by 34:34:32: quotas 3.4, 3.4, 3.2; half up and floor give 3, 3, 3, short by one.
        assert_eq!(rules(&[34, 34, 32], 10, &[3, 3, 3]), [RoundingRule::HalfUp, RoundingRule::Floor]);
        assert_eq!(
            rules(&[34, 34, 32], 10, &[4, 3, 3]),
            [
                RoundingRule::LargestRemainder { tie: tie(0), fordela_ties: true },
                RoundingRule::HalfUpWithCorrections {
                    corrections: vec![Correction { row: 0, steps: 1 }],
                    on_largest: true
                }
            ]
        );
        // 10 by 36:36:28: quotas 3.6, 3.6, 2.8; floor 3, 3, 2; half up 4, 4, 3; largest
        // remainder 3, 3, 2 and two steps, to 2.8 and then one of the tied 0.6s. Half up with a
        // step off the smallest row is not largest remainder.
        assert_eq!(rule(&[36, 36, 28], 10, &[3, 3, 2]), RoundingRule::Floor);
        assert_eq!(
            rule(&[36, 36, 28], 10, &[4, 4, 2]),
            RoundingRule::HalfUpWithCorrections {
                corrections: vec![Correction { row: 2, steps: -1 }],
                on_largest: false
            }
        );
        assert_eq!(
            rule(&[36, 36, 28], 10, &[5, 3, 2]),
            RoundingRule::FloorWithRemainder { remainder: vec![Correction { row: 0, steps: 2 }], on_largest: true }
        );
        assert_eq!(
            rule(&[36, 36, 28], 10, &[3, 3, 4]),
            RoundingRule::FloorWithRemainder { remainder: vec![Correction { row: 2, steps: 2 }], on_largest: false }
        );
        // 4, 3, 3 is largest remainder too: rows 0 and 1 tie at 0.6.
        assert_eq!(
            rules(&[36, 36, 28], 10, &[4, 3, 3]),
            [
                RoundingRule::LargestRemainder { tie: tie(0), fordela_ties: true },
                RoundingRule::HalfUpWithCorrections {
                    corrections: vec![Correction { row: 1, steps: -1 }],
                    on_largest: true
                }
            ]
        );
        assert_eq!(rule(&[36, 36, 28], 10, &[2, 4, 4]), RoundingRule::None { off: vec![0, 2], adds_up: true });
        assert_eq!(rule(&[36, 36, 28], 10, &[4, 4, 4]), RoundingRule::None { off: vec![2], adds_up: false });
        // A total that is not whole steps: half up still applies, largest remainder cannot.
        let half = Fraction { numerator: 21, denominator: 2 };
        assert_eq!(rounding_rules(&[1, 1, 1], &half, &[4, 4, 4]).unwrap(), [RoundingRule::HalfUp]);
        assert_eq!(rounding_rules(&[1, 1], &whole(3), &[1]), Err(KeyError::RowCount { weights: 2, amounts: 1 }));
        assert_eq!(rounding_rules(&[0, 0], &whole(3), &[1, 2]), Err(KeyError::ZeroWeights));
    }

    #[test]
    fn a_tampered_row_leaves_no_key_and_is_named_by_the_near_miss() {
        let weights = synthetic(21);
        let p = population(&weights);
        let range = range_around(p, 2).unwrap();
        let amounts = plain_largest_remainder(700_000_000, &weights);

        let mut tampered = amounts.clone();
        tampered[5] += 7;
        let recovery = recover(&tampered, 700_000_000, range.clone());
        assert_eq!(recovery.outcome, KeyOutcome::None { reason: NoKey::NoTotal });
        assert_eq!(recovery.near_misses, 1);
        let near = &recovery.first_near_misses[0];
        assert_eq!((near.off.as_slice(), near.adds_up), ([5].as_slice(), true));
        assert_eq!(near.key, Key { population: p, weights: weights.clone() });

        // 1 000 kr moved from one row to another: the two rows are named, the others keep their
        // populations (the two off rows get the populations nearest their amounts, some 14
        // people away from their own at about 70 kr a person).
        let mut moved = amounts.clone();
        moved[2] -= 1_000;
        moved[9] += 1_000;
        let recovery = recover(&moved, 700_000_000, range.clone());
        assert_eq!(recovery.outcome, KeyOutcome::None { reason: NoKey::NoTotal });
        assert_eq!(recovery.near_misses, 1);
        let near = &recovery.first_near_misses[0];
        assert_eq!((near.key.population, near.off.as_slice()), (p, [2, 9].as_slice()));
        for row in (0..21).filter(|&row| row != 2 && row != 9) {
            assert_eq!(near.key.weights[row], weights[row]);
        }
        assert!(near.key.weights[2] < weights[2] && near.key.weights[9] > weights[9]);

        // 1 000 kr added: the amounts no longer add up to within a step a row of the total.
        let mut added = amounts;
        added[5] += 1_000;
        let recovery = recover(&added, 700_000_000, range);
        assert_eq!(
            recovery.outcome,
            KeyOutcome::None { reason: NoKey::OutOfReach { published_sum: 700_001_000, rows: 21 } }
        );
        assert_eq!(recovery.work.candidates, 0);
    }

    #[test]
    fn too_few_kronor_per_person_leave_the_key_undetermined() {
        let weights = synthetic(21);
        let p = population(&weights);
        // About a third of a krona per person.
        let total = p / 3;
        let amounts = plain_largest_remainder(total, &weights);
        let recovery = recover(&amounts, total, range_around(p, 2).unwrap());
        let KeyOutcome::TooSmall { totals, at_least, open_rows, .. } = recovery.outcome else {
            panic!("expected too small, got {:?}", recovery.outcome)
        };
        assert!(at_least && totals > KeyLimits::default().count.saturating_sub(1));
        assert_eq!(open_rows, 21);
        assert!(recovery.work.stopped_early);
        assert!(recovery.steps_per_person.numerator < recovery.steps_per_person.denominator);
    }

    #[test]
    fn several_totals_that_each_fix_the_key_are_ambiguous() {
        // 10 and 20 of 30: one person and two, two and four, … each a key of its own.
        let amounts = [10, 20];
        let recovery = recover(&amounts, 30, 1..=15);
        // Every (P, p) with both rows within a step of their quota, by brute force.
        let brute: Vec<Key> = (1..=15u128)
            .flat_map(|p| (0..=p).map(move |first| (p, first, p - first)))
            .filter(|&(p, first, second)| (10 * p).abs_diff(30 * first) < p && (20 * p).abs_diff(30 * second) < p)
            .map(|(p, first, second)| Key { population: p, weights: vec![first as u64, second as u64] })
            .collect();
        let KeyOutcome::Ambiguous { solutions, at_least, first } = recovery.outcome else {
            panic!("expected several keys, got {:?}", recovery.outcome)
        };
        assert_eq!((solutions, at_least), (brute.len(), false));
        assert_eq!(first, brute[..first.len()]);
        assert_eq!(first[0], Key { population: 3, weights: vec![1, 2] });
    }

    /// The bundled SKR table: its rows' amounts (spaces between thousands) and its `Totalt`.
    fn table_2020() -> (Vec<u128>, u128) {
        let amount = |text: &str| text.replace(' ', "").parse::<u128>().unwrap();
        let mut amounts = Vec::new();
        let mut total = 0;
        for line in TABLE_2020.lines().skip(1) {
            let (name, written) = line.split_once(';').unwrap();
            if name == "Totalt" {
                total = amount(written);
            } else {
                amounts.push(amount(written));
            }
        }
        (amounts, total)
    }

    #[test]
    fn the_bundled_2020_table_is_the_2018_key_with_two_rows_a_krona_over() {
        let (amounts, total) = table_2020();
        assert_eq!((amounts.len(), total), (21, 937_000_000));
        // Every national total from below 2010's to above 2020's.
        let recovery = recover(&amounts, total, 9_400_000..=10_400_000);
        assert_eq!(recovery.outcome, KeyOutcome::None { reason: NoKey::NoTotal });
        // The one total at which all rows but two admit a population is SCB's on 31 December
        // 2018, and so are the populations, those two rows' included (nearest their amounts).
        let names: Vec<&str> = TABLE_2020.lines().skip(1).map(|line| line.split(';').next().unwrap()).collect();
        let weights = figures(COUNTIES, "2018-12-31");
        assert_eq!(recovery.near_misses, 1);
        let near = &recovery.first_near_misses[0];
        assert_eq!(near.key, Key { population: 10_230_185, weights: weights.clone() });
        assert_eq!(near.off.iter().map(|&row| names[row]).collect::<Vec<_>>(), ["Skåne", "Västernorrland"]);
        assert!(near.adds_up);
        // Half up falls two kronor short; they went to those two rows, which is no rounding of
        // their quotas (each is a krona above its quota rounded up).
        let population = population(&weights);
        for row in [9, 17] {
            let ceil = (total * u128::from(weights[row])).div_ceil(population);
            assert_eq!(amounts[row], ceil + 1, "{}", names[row]);
        }
        let rules = rounding_rules(&weights, &whole(total), &amounts).unwrap();
        assert_eq!(
            rules,
            [RoundingRule::HalfUpWithCorrections {
                corrections: vec![Correction { row: 9, steps: 1 }, Correction { row: 17, steps: 1 }],
                on_largest: false
            }]
        );
    }

    #[test]
    fn a_total_that_is_not_whole_steps_is_divided_exactly() {
        // 10½ steps by 1:2: quotas 3½ and 7; 4 and 7 are roundings of them, and only the key
        // 1:2 among totals up to 3 gives them.
        let half = Fraction { numerator: 21, denominator: 2 };
        let recovery = recover_key(&[4, 7], &half, kr(), 1..=3, KeyLimits::default()).unwrap();
        assert_eq!(unique(&recovery), &Key { population: 3, weights: vec![1, 2] });
        assert_eq!(recovery.steps_per_person, Fraction { numerator: 7, denominator: 2 });
        // 3 and 8 are not: 8 is a whole step above 7.
        let recovery = recover_key(&[3, 8], &half, kr(), 1..=3, KeyLimits::default()).unwrap();
        assert_eq!(recovery.outcome, KeyOutcome::None { reason: NoKey::NoTotal });
    }

    #[test]
    fn inputs_and_work_are_bounded() {
        let limits = KeyLimits { work: 1_000, ..KeyLimits::default() };
        assert_eq!(
            recover_key(&[1, 2], &whole(3), kr(), 1..=501, limits),
            Err(KeyError::TooMuchWork { candidates: 501, rows: 2, checks: 1_002, limit: 1_000 })
        );
        assert_eq!(
            recover_key(&[1, 2], &whole(3), kr(), 0..=10, limits),
            Err(KeyError::EmptyRange { start: 0, end: 10 })
        );
        assert_eq!(recover_key(&[], &whole(3), kr(), 1..=10, limits), Err(KeyError::NoRows));
        assert_eq!(recover_key(&[1], &whole(0), kr(), 1..=10, limits), Err(KeyError::ZeroTotal));
        assert_eq!(range_around(1_000, 2), Some(980..=1_020));
        assert_eq!(range_around(10, 2), Some(9..=11));
    }
}
