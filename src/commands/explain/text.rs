//! `explain` in words (text) or as data (JSON).

use super::compute::{AreaExplanation, Explanation};
use crate::commands::allocate::words::eligibility_words;
use crate::commands::explain::compute::Exclusion;
use crate::core::allocation::WITHHELD;
use crate::core::amount::{NumberStyle, Scaled};
use crate::core::apportion::Method;
use crate::lang::Lang;
use serde::Serialize;
use std::io;
use std::io::Write;

fn grouped(value: u128) -> String {
    Scaled { mantissa: value, scale: 0 }.format(0, NumberStyle::SWEDISH)
}

pub fn text(explanation: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    let rounding = explanation.rounding;
    // Amounts are counts of the rounding unit; say which.
    let unit = if rounding.kronor() == rust_decimal::Decimal::ONE {
        "kr".to_string()
    } else {
        format!("units of {}", rounding.describe())
    };
    let e = explanation;
    writeln!(
        out,
        "fordela {}: how {} ({}) gets {} {unit} of {}",
        e.fordela_version,
        e.region_name,
        e.region_code,
        grouped(e.total),
        e.agreement
    )?;
    writeln!(out)?;
    writeln!(out, "Inputs (SHA-256, to check them against a year from now):")?;
    for input in &e.inputs {
        writeln!(out, "  {}  {}", input.sha256, input.label)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Population: {} people ({} {} of the population file) of {} on {}.",
        grouped(u128::from(e.population)),
        e.population_lines.word(crate::lang::Lang::En),
        e.population_line,
        grouped(e.population_total),
        e.population_date
    )?;
    if let Some(reason) = &e.substitution {
        writeln!(out, "  This date is used instead of the agreement's own: {reason}.")?;
    }
    let percent =
        crate::core::amount::Fraction { numerator: e.share.numerator * 100, denominator: e.share.denominator };
    writeln!(out, "Share: {}/{} = {} %.", e.share.numerator, e.share.denominator, percent.decimal(8, ','))?;
    if let Some(exclusion) = &e.exclusion {
        writeln!(out, "Eligibility: {}.", exclusion_words(exclusion, Lang::En))?;
    }
    for area in &e.areas {
        writeln!(out)?;
        if per_capita_area(area, &unit, out)? {
            continue;
        }
        writeln!(
            out,
            "Area {} ({}): {} {unit} to the regions, {}.",
            area.id,
            area.name,
            grouped(area.regions_units),
            area.method.label()
        )?;
        if area.base > 0 {
            writeln!(out, "  Base: every region first gets {} {unit}.", grouped(area.base))?;
        }
        for part in &area.parts {
            writeln!(
                out,
                "  By {}: {} {unit} × {} / {} = {} {unit} exactly.",
                part.key,
                grouped(part.units),
                grouped(u128::from(part.weight)),
                grouped(part.weight_sum),
                part.quota.decimal(6, ',')
            )?;
            match (part.remainder_rank, part.leftover_units) {
                (Some(rank), Some(leftover)) => writeln!(
                    out,
                    "  Whole part {} {unit}; {} {unit} were left over after every region's whole part, and \
                     this region's remainder ranks {}, so it {}: {} {unit}.",
                    grouped(part.whole_units),
                    grouped(leftover),
                    grouped(rank as u128),
                    if rank as u128 <= leftover { "got one of them" } else { "got none" },
                    grouped(part.got)
                )?,
                _ if area.method == Method::LargestRemainder => {
                    writeln!(out, "  It takes no part here: {} {unit}.", grouped(part.got))?;
                }
                _ => writeln!(
                    out,
                    "  {} gives it {} {unit}: the units go one by one to the strongest claim weight / signpost, \
                     started from the quotas rounded by the method and corrected to the exact total.",
                    area.method.label(),
                    grouped(part.got)
                )?,
            }
        }
        what_else(explanation, area, &unit, out)?;
        writeln!(out, "  Result: {} {unit}.", grouped(area.result))?;
    }
    writeln!(out)?;
    writeln!(out, "Total: {} {unit}.", grouped(e.total))
}

/// What else touched the region in one area: a bound, a tie, its exclusion.
fn what_else(e: &Explanation, area: &AreaExplanation, unit: &str, out: &mut dyn Write) -> io::Result<()> {
    if let Some(bound) = &area.bound {
        writeln!(out, "  Bound: {bound}; the rest went to the others.")?;
    }
    if let Some(tie) = &area.tie {
        writeln!(out, "  Tie: {tie} ({}).", crate::commands::allocate::words::TIE_RULE)?;
    }
    if area.withheld {
        writeln!(out, "  Not eligible: its share is withheld (the line `{WITHHELD}`), so it gets 0 {unit}.")?;
    } else if !e.eligible {
        writeln!(out, "  Not eligible: it takes no part; its share is divided among the others, so it gets 0 {unit}.")?;
    }
    Ok(())
}

pub fn json(explanation: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, explanation).map_err(io::Error::other)?;
    writeln!(out)
}

/// An area paid per inhabitant, in its two lines; `false` (nothing written) for any other.
fn per_capita_area(area: &super::compute::AreaExplanation, unit: &str, out: &mut dyn Write) -> io::Result<bool> {
    let Some(rate) = &area.per_capita_kr else { return Ok(false) };
    writeln!(
        out,
        "Area {} ({}): {} {unit} to the regions, {rate} kr per inhabitant (the rate times the population, exactly).",
        area.id,
        area.name,
        grouped(area.regions_units),
        rate = rate.replace('.', ","),
    )?;
    writeln!(out, "  Result: {} {unit}.", grouped(area.result))?;
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
