//! What `implied` found (a column's rounding rule and the key its amounts imply), in words, in
//! the report's language, for every renderer: one line for the rule, a few for the key.

use super::compute::{AuditReport, ColumnAudit, Step};
use super::implied::{ColumnExplained, Comparison, KeyFound, KeySearch, NotSearched, RuleFound, RuleKey};
use super::key::{Correction, KeyOutcome, KeyRecovery, NoKey, RoundingRule};
use super::steps::{show_steps, show_units};
use crate::core::amount::{NumberStyle, Scaled};
use crate::io::lines::Lines;
use crate::lang::Lang;

/// A count of people (or of a key's units), grouped: `10 230 185`.
pub(crate) fn people(count: u128) -> String {
    Scaled { mantissa: count, scale: 0 }.format(0, NumberStyle::SWEDISH)
}

/// A signed count of people: `+12`, `-3`, `0`.
pub(crate) fn signed_people(difference: i128) -> String {
    let size = people(difference.unsigned_abs());
    match difference.signum() {
        1 => format!("+{size}"),
        -1 => format!("-{size}"),
        _ => size,
    }
}

/// The stable id of a rule, for CSV.
#[must_use]
pub fn rule_id(rule: &RoundingRule) -> &'static str {
    match rule {
        RoundingRule::Exact => "exact",
        RoundingRule::LargestRemainder { .. } => "largest-remainder",
        RoundingRule::HalfUp => "half-up",
        RoundingRule::Floor => "floor",
        RoundingRule::HalfUpWithCorrections { .. } => "half-up-with-corrections",
        RoundingRule::FloorWithRemainder { .. } => "floor-with-remainder",
        RoundingRule::None { .. } => "none",
    }
}

/// The step the first rule with corrections moves row `row` by (signed, in steps).
#[must_use]
pub fn row_step(found: &RuleFound, row: usize) -> Option<i128> {
    found.rules.iter().find_map(|rule| match rule {
        RoundingRule::HalfUpWithCorrections { corrections, .. }
        | RoundingRule::FloorWithRemainder { remainder: corrections, .. } => {
            corrections.iter().find(|correction| correction.row == row).map(|correction| correction.steps)
        }
        _ => None,
    })
}

/// A signed number of steps in the table's unit: `+1 kr`, `-0,1 mkr`.
pub(crate) fn signed_amount(steps: i128, step: Step, style: NumberStyle) -> String {
    let size = show_units(steps.unsigned_abs(), step, style);
    if steps < 0 { format!("-{size}") } else { format!("+{size}") }
}

/// Words for one column: its rows named, the table's unit and step, the language.
struct Words<'a> {
    column: &'a ColumnAudit,
    step: Step,
    lines: Lines,
    lang: Lang,
}

impl Words<'_> {
    /// The words in the report's language; in English a sheet's `line 4` is `row 4`.
    fn pick(&self, sv: String, en: String) -> String {
        match (self.lang, self.lines) {
            (Lang::Sv, _) => sv,
            (Lang::En, Lines::Text) => en,
            (Lang::En, Lines::Sheet) => self.lines.reword(&en),
        }
    }

    /// `12 Skåne län (line 11)`.
    fn row(&self, at: usize) -> String {
        let Some(row) = self.column.rows.get(at) else { return format!("#{at}") };
        self.pick(
            format!("{} {} (rad {})", row.code, row.name, row.line),
            format!("{} {} (line {})", row.code, row.name, row.line),
        )
    }

    fn rows(&self, rows: &[usize]) -> String {
        rows.iter().map(|&at| self.row(at)).collect::<Vec<_>>().join(", ")
    }

    fn amount(&self, units: u128) -> String {
        format!("{} {}", show_units(units, self.step, NumberStyle::SWEDISH), self.step.unit)
    }

    fn corrections(&self, corrections: &[Correction]) -> String {
        corrections
            .iter()
            .map(|c| {
                let amount = format!("{} {}", signed_amount(c.steps, self.step, NumberStyle::SWEDISH), self.step.unit);
                self.pick(format!("{amount} på {}", self.row(c.row)), format!("{amount} on {}", self.row(c.row)))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn largest(&self, count: usize, on_largest: bool) -> String {
        let (sv, en) = match (count > 1, on_largest) {
            (false, true) => ("på den största mottagaren", "on the largest recipient"),
            (true, true) => ("på de största mottagarna", "on the largest recipients"),
            (false, false) => ("inte på den största mottagaren", "not on the largest recipient"),
            (true, false) => ("inte på de största mottagarna", "not on the largest recipients"),
        };
        self.pick(sv.to_string(), en.to_string())
    }

    fn rule(&self, rule: &RoundingRule) -> String {
        match rule {
            RoundingRule::Exact => self.pick(
                "ingen avrundning: varje kvot är ett helt antal steg".to_string(),
                "no rounding: every quota is a whole number of steps".to_string(),
            ),
            RoundingRule::LargestRemainder { tie: None, .. } => {
                self.pick("största rest".to_string(), "largest remainder".to_string())
            }
            RoundingRule::LargestRemainder { tie: Some(tie), fordela_ties } => {
                let (tied, winners) = (self.rows(&tie.tied), self.rows(&tie.winners));
                let (sv, en) = if *fordela_ties {
                    (
                        "som fordela avgör det: större nyckel, sedan tidigare rad",
                        "as fordela settles it: larger key, then earlier row",
                    )
                } else {
                    ("inte som fordela avgör det", "not as fordela settles it")
                };
                self.pick(
                    format!(
                        "största rest, där lika rester vid sista steget mellan {tied} avgjorts för {winners} ({sv})"
                    ),
                    format!("largest remainder, the tie at the last step between {tied} settled for {winners} ({en})"),
                )
            }
            RoundingRule::HalfUp => self.pick("halva uppåt".to_string(), "half up".to_string()),
            RoundingRule::Floor => self.pick("avrundat nedåt".to_string(), "rounded down".to_string()),
            RoundingRule::HalfUpWithCorrections { corrections, on_largest } => {
                let (count, list) = (corrections.len(), self.corrections(corrections));
                let largest = self.largest(count, *on_largest);
                let (sv, en) = if count == 1 { ("1 justering", "1 correction") } else { ("", "") };
                self.pick(
                    format!(
                        "halva uppåt, med {} så att summan stämmer: {list}; {largest}",
                        if count == 1 { sv.to_string() } else { format!("{count} justeringar") }
                    ),
                    format!(
                        "half up, with {} to make it add up: {list}; {largest}",
                        if count == 1 { en.to_string() } else { format!("{count} corrections") }
                    ),
                )
            }
            RoundingRule::FloorWithRemainder { remainder, on_largest } => {
                let (count, list) = (remainder.len(), self.corrections(remainder));
                let largest = self.largest(count, *on_largest);
                self.pick(
                    format!(
                        "avrundat nedåt, med resterande steg utlagda för hand (inte efter rest): {list}; {largest}"
                    ),
                    format!("rounded down, the steps left over placed by hand (not by remainder): {list}; {largest}"),
                )
            }
            RoundingRule::None { off, adds_up } => {
                let sum = if *adds_up {
                    (String::new(), String::new())
                } else {
                    (
                        "; beloppen summerar inte till totalen".to_string(),
                        "; the amounts do not add up to the total".to_string(),
                    )
                };
                if off.is_empty() {
                    self.pick(
                        format!("ingen regel ovan ger tabellen{}", sum.0),
                        format!("no rule above gives the table{}", sum.1),
                    )
                } else {
                    let list = self.rows(off);
                    let (sv, en) = match off.len() {
                        1 => (
                            "1 rad är ingen avrundning av sin kvot".to_string(),
                            "1 row is no rounding of its quota".to_string(),
                        ),
                        count => (
                            format!("{count} rader är ingen avrundning av sin kvot"),
                            format!("{count} rows are no rounding of their quota"),
                        ),
                    };
                    self.pick(format!("ingen: {sv}: {list}{}", sum.0), format!("none: {en}: {list}{}", sum.1))
                }
            }
        }
    }

    fn key_of(&self, key: &RuleKey) -> String {
        match key {
            RuleKey::Date { date } => self.pick(format!("på siffrorna för {date}"), format!("on {date}'s figures")),
            RuleKey::Recovered { population } => self.pick(
                format!("på nyckeln som återvunnits ur beloppen (total befolkning {})", people(*population)),
                format!("on the key recovered from the amounts (total population {})", people(*population)),
            ),
        }
    }
}

/// `Rounding rule, on 2018-12-31's figures: largest remainder (the same table is also half up).`
#[must_use]
pub fn rule_line(found: &RuleFound, column: &ColumnAudit, report: &AuditReport, lang: Lang) -> String {
    let words = Words { column, step: report.step, lines: report.table_lines, lang };
    let mut rules = found.rules.iter().map(|rule| words.rule(rule));
    let first = rules.next().unwrap_or_default();
    let others: Vec<String> = rules.collect();
    let also = if others.is_empty() {
        String::new()
    } else {
        words.pick(
            format!(" (samma tabell är också {})", others.join(" och ")),
            format!(" (the same table is also {})", others.join(" and ")),
        )
    };
    let key = words.key_of(&found.key);
    words.pick(format!("Avrundningsregel, {key}: {first}{also}."), format!("Rounding rule, {key}: {first}{also}."))
}

/// What the key search of one column found, in a few sentences.
#[must_use]
pub fn key_lines(explained: &ColumnExplained, column: &ColumnAudit, report: &AuditReport, lang: Lang) -> Vec<String> {
    let words = Words { column, step: report.step, lines: report.table_lines, lang };
    let id = &column.id;
    match &explained.key {
        None => Vec::new(),
        Some(KeySearch::NotSearched(reason)) => vec![not_searched(&words, id, reason)],
        Some(KeySearch::Searched(found)) => searched(&words, id, found),
    }
}

fn not_searched(words: &Words<'_>, id: &str, reason: &NotSearched) -> String {
    let (sv, en) = match reason {
        NotSearched::PerCapita => (
            "betalas per invånare (varje tal är beloppet delat med beloppet per invånare)".to_string(),
            "is paid per inhabitant (each figure is its amount over the rate)".to_string(),
        ),
        NotSearched::RowsIncomplete => (
            "har rader som saknas eller är okända, så beloppen är inte hela fördelningen".to_string(),
            "has rows missing or unknown, so its amounts are not the whole split".to_string(),
        ),
        NotSearched::TooMuchWork { candidates, rows } => (
            format!(
                "skulle kräva {} totaler × {rows} rader, fler än fordela söker utan --key-range LÄGST..HÖGST",
                people(*candidates)
            ),
            format!(
                "would take {} totals × {rows} rows, more than fordela searches without --key-range LOW..HIGH",
                people(*candidates)
            ),
        ),
        NotSearched::Failed { message } => {
            (format!("kunde inte sökas: {message}"), format!("could not be searched: {message}"))
        }
    };
    words.pick(
        format!("Nyckeln bakom `{id}` har inte sökts: kolumnen {sv}."),
        format!("The key behind `{id}` was not searched for: the column {en}."),
    )
}

fn searched(words: &Words<'_>, id: &str, found: &KeyFound) -> Vec<String> {
    let recovery = &found.recovery;
    let (start, end) = (people(*recovery.range.start()), people(*recovery.range.end()));
    let tried = people(recovery.work.candidates);
    let (stopped_sv, stopped_en) =
        if recovery.work.stopped_early { (", sedan avbrutet", ", then stopped") } else { ("", "") };
    let (range_sv, range_en) = if found.range_given {
        ("--key-range", "--key-range")
    } else {
        ("2 % kring varje datums total i befolkningsfilen", "2 % around each date's total of the population file")
    };
    let heading = words.pick(
        format!(
            "Nyckeln som beloppen i `{id}` ger, sökt exakt över totala befolkningar {start}–{end} ({tried} prövade{stopped_sv}; \
             {range_sv}):"
        ),
        format!(
            "The key the amounts of `{id}` imply, searched exactly over total populations {start}–{end} ({tried} \
             tried{stopped_en}; {range_en}):"
        ),
    );
    let rows = words.column.rows.len();
    let outcome = match &recovery.outcome {
        KeyOutcome::Unique { key } => {
            let compared = found.compared.as_ref();
            let (sv, en) = compared.map_or_else(|| (String::new(), String::new()), |c| matches(c, rows));
            words.pick(
                format!("en nyckel: total befolkning {}, vars befolkningar {sv}.", people(key.population)),
                format!("one key: a total population of {}, whose populations {en}.", people(key.population)),
            )
        }
        KeyOutcome::Ambiguous { solutions, at_least, first } => {
            let listed: Vec<String> = first
                .iter()
                .zip(found.first_equal.iter().chain(std::iter::repeat(&None)))
                .map(|(key, equal)| match equal {
                    Some(date) => format!("{} ({date})", people(key.population)),
                    None => people(key.population),
                })
                .collect();
            let listed = format!("{}{}", listed.join(", "), if *solutions > first.len() { ", …" } else { "" });
            let (more_sv, more_en) = if *at_least { ("minst ", "at least ") } else { ("", "") };
            words.pick(
                format!(
                    "{more_sv}{solutions} nycklar, som beloppen inte skiljer åt (totala befolkningar {listed}); smalna \
                     av --key-range."
                ),
                format!(
                    "{more_en}{solutions} keys, which the amounts cannot tell apart (total populations {listed}); \
                     narrow --key-range."
                ),
            )
        }
        KeyOutcome::TooSmall { totals, at_least, first, open_rows, .. } => {
            too_small(words, recovery, (*totals, *at_least, first.first().copied(), *open_rows))
        }
        KeyOutcome::None { reason: NoKey::OutOfReach { published_sum, rows } } => {
            let (sum, total) = (
                words.amount(*published_sum),
                format!("{} {}", show_steps(&words.column.total, words.step, NumberStyle::SWEDISH), words.step.unit),
            );
            words.pick(
                format!(
                    "ingen nyckel: beloppen summerar till {sum}, minst ett steg per rad ({rows} rader) från totalen \
                     {total}, vilket ingen avrundning av någon nyckel gör."
                ),
                format!(
                    "no key: the amounts add up to {sum}, a step a row ({rows} rows) or more from the total {total}, \
                     which no rounding of any key does."
                ),
            )
        }
        KeyOutcome::None { reason: NoKey::NoTotal } => match found.compared.as_ref() {
            None => words.pick(
                "ingen nyckel: vid ingen total i intervallet är varje belopp en avrundning av sin kvot.".to_string(),
                "no key: at no total of the range is every amount a rounding of its quota.".to_string(),
            ),
            Some(near) => near_miss(words, near, recovery.near_misses),
        },
    };
    vec![heading, outcome]
}

/// The amounts cannot fix the key: `(totals, at_least, first, open_rows)` as the search found.
fn too_small(
    words: &Words<'_>,
    recovery: &KeyRecovery,
    (totals, at_least, first, open_rows): (usize, bool, Option<u128>, usize),
) -> String {
    let per_person =
        format!("{} {}", show_steps(&recovery.steps_per_person, words.step, NumberStyle::SWEDISH), words.step.unit);
    let two = words.amount(2);
    let first = first.map_or_else(String::new, people);
    let (more_sv, more_en) = if at_least { (" eller fler", " or more") } else { ("", "") };
    words.pick(
        format!(
            "beloppen är för små för att bestämma nyckeln: vid {totals}{more_sv} totaler (den första {first}) \
             tillåter {open_rows} rader var mer än en befolkning; tabellen betalar högst {per_person} per person, och \
             en rad bestämmer sin befolkning först från 2 steg ({two}) per person."
        ),
        format!(
            "the amounts are too small for the key to be determined: at {totals}{more_en} totals (the first {first}) \
             {open_rows} rows each allow more than one population; the table pays at most {per_person} a person, and \
             a row fixes its population only from 2 steps ({two}) a person."
        ),
    )
}

/// No key, and a total where all rows but a few fit: those rows named.
fn near_miss(words: &Words<'_>, near: &Comparison, count: usize) -> String {
    let (sv, en) = matches(near, words.column.rows.len());
    let population = people(near.key.population);
    let off = words.rows(&near.off);
    let (lead_sv, lead_en) = match count {
        1 => ("En nära träff".to_string(), "One near miss".to_string()),
        count => (format!("{count} nära träffar, den första"), format!("{count} near misses, the first")),
    };
    let (fits_sv, fits_en, given_sv, given_en) = match near.off.len() {
        0 => (
            "varje rad passar, men befolkningarna summerar inte till den".to_string(),
            "every row fits, but the populations do not add up to it".to_string(),
            "",
            "",
        ),
        1 => (
            format!("passar alla rader utom en, som inte är någon avrundning där: {off}"),
            format!("every row fits but one, which is no rounding there: {off}"),
            "; med befolkningen närmast beloppet för den",
            "; with that row given the population nearest its amount",
        ),
        k => (
            format!("passar alla rader utom {k}, som inte är någon avrundning där: {off}"),
            format!("every row fits but {k}, which are no rounding there: {off}"),
            "; med befolkningen närmast beloppet för dem",
            "; with those given the population nearest their amount",
        ),
    };
    words.pick(
        format!(
            "ingen nyckel ger varje belopp som en avrundning av sin kvot. {lead_sv}: vid total befolkning {population} \
             {fits_sv}{given_sv}: befolkningarna {sv}."
        ),
        format!(
            "no key gives every amount as a rounding of its quota. {lead_en}: at a total population of {population} \
             {fits_en}{given_en}, the populations {en}."
        ),
    )
}

/// What the key's populations are: `are 2018-12-31's figures row for row`, or `are no date's
/// figures … (nearest …)`.
fn matches(compared: &Comparison, rows: usize) -> (String, String) {
    if let Some(date) = compared.equals {
        return (format!("är siffrorna för {date} rad för rad"), format!("are {date}'s figures row for row"));
    }
    let Some(nearest) = compared.nearest.and_then(|date| compared.dates.iter().find(|d| d.date == date)) else {
        return ("är inget datums siffror".to_string(), "are no date's figures".to_string());
    };
    let (date, equal, total) = (nearest.date, nearest.rows_equal, signed_people(nearest.difference));
    (
        format!(
            "är inget datums siffror i befolkningsfilen (närmast {date}: {equal} av {rows} rader lika, totalen \
             {total})"
        ),
        format!(
            "are no date's figures in the population file (nearest {date}: {equal} of {rows} rows equal, total \
             {total})"
        ),
    )
}

/// The comparison whose rows a renderer shows: a key, or a near miss, that is no date's figures.
#[must_use]
pub fn shown_rows(explained: &ColumnExplained) -> Option<&Comparison> {
    match &explained.key {
        Some(KeySearch::Searched(found)) => found.compared.as_ref().filter(|compared| compared.equals.is_none()),
        _ => None,
    }
}

/// The comparison of a column's key, whatever it equals.
#[must_use]
pub fn compared(explained: &ColumnExplained) -> Option<&Comparison> {
    match &explained.key {
        Some(KeySearch::Searched(found)) => found.compared.as_ref(),
        _ => None,
    }
}
