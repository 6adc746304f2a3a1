//! `explain` in words (text) or as data (JSON).

use super::compute::{AreaExplanation, Explanation, Tie};
use crate::commands::allocate::view::RowKind;
use crate::commands::allocate::words::{eligibility_words, method_label, tie_rule};
use crate::commands::explain::compute::Exclusion;
use crate::core::allocation::Bound;
use crate::core::amount::{Fraction, NumberStyle, Scaled};
use crate::core::apportion::Method;
use crate::lang::Lang;
use serde::Serialize;
use std::io;
use std::io::Write;

fn grouped(value: u128) -> String {
    Scaled { mantissa: value, scale: 0 }.format(0, NumberStyle::SWEDISH)
}

/// An exact quota or percentage: the integer part grouped in Swedish (`19 102 293,849035…`, as
/// the whole amounts beside it are), left as it always was in English.
fn exact(fraction: &Fraction, decimals: usize, lang: Lang) -> String {
    match lang {
        Lang::Sv => fraction.decimal_in(decimals, NumberStyle::SWEDISH),
        Lang::En => fraction.decimal(decimals, ','),
    }
}

pub fn text(explanation: &Explanation, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let rounding = explanation.rounding;
    // Amounts are counts of the rounding unit; say which.
    let unit = if rounding.kronor() == rust_decimal::Decimal::ONE {
        "kr".to_string()
    } else {
        format!("{} {}", lang.pick("enheter om", "units of"), rounding.describe())
    };
    let e = explanation;
    let (total, code) = (grouped(e.total), &e.region_code);
    match lang {
        Lang::Sv => writeln!(
            out,
            "fordela {}: så får {} ({code}) {total} {unit} av {}",
            e.fordela_version, e.region_name, e.agreement
        )?,
        Lang::En => writeln!(
            out,
            "fordela {}: how {} ({code}) gets {total} {unit} of {}",
            e.fordela_version, e.region_name, e.agreement
        )?,
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        lang.pick(
            "Underlag (SHA-256, för att kunna stämma av dem om ett år):",
            "Inputs (SHA-256, to check them against a year from now):"
        )
    )?;
    for input in &e.inputs {
        writeln!(out, "  {}  {}", input.sha256, input.label)?;
    }
    writeln!(out)?;
    population_and_share(e, lang, out)?;
    for area in &e.areas {
        writeln!(out)?;
        if per_capita_area(area, &unit, lang, out)? {
            continue;
        }
        area_lines(area, &unit, lang, out)?;
        what_else(explanation, area, &unit, lang, out)?;
        writeln!(out, "  {}: {} {unit}.", lang.pick("Resultat", "Result"), grouped(area.result))?;
    }
    writeln!(out)?;
    writeln!(out, "{}: {} {unit}.", lang.pick("Totalt", "Total"), grouped(e.total))
}

/// The region's population, the total it is divided by, its share and any exclusion.
fn population_and_share(e: &Explanation, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let (people, line, of) = (grouped(u128::from(e.population)), e.population_line, grouped(e.population_total));
    let (lines, date) = (e.population_lines.word(lang), &e.population_date);
    match lang {
        Lang::Sv => {
            writeln!(out, "Befolkning: {people} invånare ({lines} {line} i befolkningsfilen) av {of} den {date}.")?;
        }
        Lang::En => {
            writeln!(out, "Population: {people} people ({lines} {line} of the population file) of {of} on {date}.")?;
        }
    }
    if let Some(reason) = &e.substitution {
        match lang {
            Lang::Sv => writeln!(out, "  Detta datum används i stället för avtalets eget: {reason}.")?,
            Lang::En => writeln!(out, "  This date is used instead of the agreement's own: {reason}.")?,
        }
    }
    let percent = Fraction { numerator: e.share.numerator * 100, denominator: e.share.denominator };
    match lang {
        Lang::Sv => writeln!(
            out,
            "Andel: {} / {} = {} %.",
            grouped(e.share.numerator),
            grouped(e.share.denominator),
            exact(&percent, 8, lang)
        )?,
        Lang::En => {
            writeln!(out, "Share: {}/{} = {} %.", e.share.numerator, e.share.denominator, exact(&percent, 8, lang))?;
        }
    }
    if let Some(exclusion) = &e.exclusion {
        writeln!(out, "{}: {}.", lang.pick("Berättigande", "Eligibility"), exclusion_words(exclusion, lang))?;
    }
    Ok(())
}

/// An area's rule and the region's quota and units in it, up to what else touched it.
fn area_lines(area: &AreaExplanation, unit: &str, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let (id, name, to_regions) = (&area.id, &area.name, grouped(area.regions_units));
    let method = method_label(area.method, lang);
    match lang {
        Lang::Sv => writeln!(out, "Område {id} ({name}): {to_regions} {unit} till regionerna, {method}.")?,
        Lang::En => writeln!(out, "Area {id} ({name}): {to_regions} {unit} to the regions, {method}.")?,
    }
    if area.base > 0 {
        let base = grouped(area.base);
        match lang {
            Lang::Sv => writeln!(out, "  Grundbelopp: varje region får först {base} {unit}.")?,
            Lang::En => writeln!(out, "  Base: every region first gets {base} {unit}.")?,
        }
    }
    for part in &area.parts {
        let (units, weight, sum) = (grouped(part.units), grouped(u128::from(part.weight)), grouped(part.weight_sum));
        let (key, quota) = (&part.key, exact(&part.quota, 6, lang));
        match lang {
            Lang::Sv => writeln!(out, "  Efter {key}: {units} {unit} × {weight} / {sum} = {quota} {unit} exakt.")?,
            Lang::En => writeln!(out, "  By {key}: {units} {unit} × {weight} / {sum} = {quota} {unit} exactly.")?,
        }
        let got = grouped(part.got);
        match (part.remainder_rank, part.leftover_units) {
            (Some(rank), Some(leftover)) => {
                let (whole, one) = (grouped(part.whole_units), rank as u128 <= leftover);
                let (rank, leftover) = (grouped(rank as u128), grouped(leftover));
                match lang {
                    Lang::Sv => writeln!(
                        out,
                        "  Hela enheter {whole} {unit}; {leftover} {unit} blev över när varje region fått sina hela \
                         enheter, och regionens rest har plats {rank} (största först), så den {}: {got} {unit}.",
                        if one { "fick en av dem" } else { "fick ingen" },
                    )?,
                    Lang::En => writeln!(
                        out,
                        "  Whole part {whole} {unit}; {leftover} {unit} were left over after every region's whole \
                         part, and this region's remainder ranks {rank}, so it {}: {got} {unit}.",
                        if one { "got one of them" } else { "got none" },
                    )?,
                }
            }
            _ if area.method == Method::LargestRemainder => match lang {
                Lang::Sv => writeln!(out, "  Den deltar inte här: {got} {unit}.")?,
                Lang::En => writeln!(out, "  It takes no part here: {got} {unit}.")?,
            },
            _ => match lang {
                Lang::Sv => writeln!(
                    out,
                    "  {method} ger den {got} {unit}: enheterna delas ut en i taget till det starkaste anspråket \
                     vikt / delningstal, med början i kvoterna avrundade enligt metoden och justerade till den \
                     exakta summan."
                )?,
                Lang::En => writeln!(
                    out,
                    "  {method} gives it {got} {unit}: the units go one by one to the strongest claim weight / \
                     signpost, started from the quotas rounded by the method and corrected to the exact total."
                )?,
            },
        }
    }
    Ok(())
}

/// What else touched the region in one area: a bound, a tie, its exclusion.
fn what_else(e: &Explanation, area: &AreaExplanation, unit: &str, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    if let Some(bound) = area.bound {
        let bound = bound_words(bound, lang);
        match lang {
            Lang::Sv => writeln!(out, "  Gräns: {bound}; resten gick till de övriga.")?,
            Lang::En => writeln!(out, "  Bound: {bound}; the rest went to the others.")?,
        }
    }
    if let Some(tie) = &area.tie {
        let (label, tie) = (lang.pick("Lika anspråk", "Tie"), tie_words(tie, lang));
        writeln!(out, "  {label}: {tie} ({}).", tie_rule(lang))?;
    }
    let withheld = RowKind::Withheld.label(lang);
    match (lang, area.withheld, e.eligible) {
        (Lang::Sv, true, _) => {
            writeln!(out, "  Ej berättigad: dess andel hålls inne (raden `{withheld}`), så den får 0 {unit}.")?;
        }
        (Lang::En, true, _) => {
            writeln!(out, "  Not eligible: its share is withheld (the line `{withheld}`), so it gets 0 {unit}.")?;
        }
        (Lang::Sv, false, false) => writeln!(
            out,
            "  Ej berättigad: den deltar inte; dess andel fördelas mellan de övriga, så den får 0 {unit}."
        )?,
        (Lang::En, false, false) => writeln!(
            out,
            "  Not eligible: it takes no part; its share is divided among the others, so it gets 0 {unit}."
        )?,
        (_, false, true) => {}
    }
    Ok(())
}

/// A bound that held the region, in `lang`.
#[must_use]
pub fn bound_words(bound: Bound, lang: Lang) -> String {
    match (bound, lang) {
        (Bound::Minimum(units), Lang::Sv) => format!("hålls vid minimibeloppet {units} enheter"),
        (Bound::Maximum(units), Lang::Sv) => format!("hålls vid maxbeloppet {units} enheter"),
        (Bound::Minimum(units), Lang::En) => format!("held at the minimum of {units} units"),
        (Bound::Maximum(units), Lang::En) => format!("held at the maximum of {units} units"),
    }
}

/// A tie for the last unit(s), in `lang`.
#[must_use]
pub fn tie_words(tie: &Tie, lang: Lang) -> String {
    let others = tie.others.join(", ");
    match (lang, tie.won) {
        (Lang::Sv, true) => {
            format!("samma anspråk som {others} på den sista enheten; regeln för lika anspråk gav den enheten")
        }
        (Lang::Sv, false) => {
            format!(
                "samma anspråk som {others} på den sista enheten; regeln för lika anspråk gav enheten till en annan"
            )
        }
        (Lang::En, true) => format!("tied with {others} for the last unit(s); the tie rule gave it the unit"),
        (Lang::En, false) => {
            format!("tied with {others} for the last unit(s); the tie rule gave the unit to another")
        }
    }
}

pub fn json(explanation: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, explanation).map_err(io::Error::other)?;
    writeln!(out)
}

/// An area paid per inhabitant, in its two lines; `false` (nothing written) for any other.
fn per_capita_area(area: &AreaExplanation, unit: &str, lang: Lang, out: &mut dyn Write) -> io::Result<bool> {
    let Some(rate) = &area.per_capita_kr else { return Ok(false) };
    let (id, name, to_regions, rate) = (&area.id, &area.name, grouped(area.regions_units), rate.replace('.', ","));
    match lang {
        Lang::Sv => writeln!(
            out,
            "Område {id} ({name}): {to_regions} {unit} till regionerna, {rate} kr per invånare (satsen gånger \
             folkmängden, exakt)."
        )?,
        Lang::En => writeln!(
            out,
            "Area {id} ({name}): {to_regions} {unit} to the regions, {rate} kr per inhabitant (the rate times the \
             population, exactly)."
        )?,
    }
    writeln!(out, "  {}: {} {unit}.", lang.pick("Resultat", "Result"), grouped(area.result))?;
    Ok(true)
}

/// Who is excluded and what happens to their share, in `lang`.
#[must_use]
pub fn exclusion_words(exclusion: &Exclusion, lang: Lang) -> String {
    let Some(eligibility) = &exclusion.eligibility else { return String::new() };
    let excluded: Vec<&str> = exclusion.excluded.iter().map(String::as_str).collect();
    eligibility_words(&excluded, eligibility.policy, eligibility.reason.as_deref(), lang)
}

/// JSON keeps the words it always had: the exclusion in English.
impl Serialize for Exclusion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&exclusion_words(self, Lang::En))
    }
}

/// JSON keeps the words it always had: the tie in English.
impl Serialize for Tie {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&tie_words(self, Lang::En))
    }
}

/// JSON keeps the words it always had: the bound in English (`serialize_with` hands it the
/// field as it is).
#[allow(clippy::ref_option)]
pub fn bound_json<S: serde::Serializer>(bound: &Option<Bound>, serializer: S) -> Result<S::Ok, S::Error> {
    bound.map(|bound| bound_words(bound, Lang::En)).serialize(serializer)
}
