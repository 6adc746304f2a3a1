//! The words of an allocation shared by its renderers: amounts in one format, notes, rules.

use super::view::{AllocationView, Note};
use crate::core::agreement::ExclusionPolicy;
use crate::core::allocation::PopulationUse;
use crate::core::amount::{NumberStyle, Unit};
use crate::core::apportion::Method;
use crate::core::date::Date;
use crate::lang::Lang;
use std::io;
use std::io::Write;

/// Formats amounts of one allocation in one unit, with the same number of decimals everywhere
/// (the fewest that keep every amount exact), so columns line up and nothing is rounded.
pub struct MoneyFormat {
    rounding: crate::core::amount::RoundingUnit,
    unit: Unit,
    decimals: u32,
    style: NumberStyle,
    /// One unit is one of the shown unit and no decimals are needed: amounts are their counts.
    plain_integers: bool,
}

impl MoneyFormat {
    #[must_use]
    pub fn new(view: &AllocationView<'_>, unit: Unit, style: NumberStyle) -> MoneyFormat {
        let agreement = view.agreement();
        let rounding = agreement.rounding;
        let needed = |units: u128| rounding.scaled(units, unit).needed_decimals();
        let one = rounding.scaled(1, unit);
        // A unit that is a whole number of the shown unit never needs decimals: no need to
        // look at a million amounts to find that out.
        let decimals = if one.scale == 0 {
            0
        } else {
            view.cells().chain(agreement.areas.iter().map(|area| area.to_regions)).map(needed).max().unwrap_or(0)
        };
        let plain_integers = one == crate::core::amount::Scaled { mantissa: 1, scale: 0 } && style.group.is_none();
        MoneyFormat { rounding, unit, decimals, style, plain_integers }
    }

    /// Appends the amount to `out` (for writers that reuse one buffer per row).
    pub fn write(&self, units: u128, out: &mut Vec<u8>) {
        // Whole kronor in kronor, the usual case, print as they are.
        if self.plain_integers {
            if let Ok(units) = u64::try_from(units) {
                out.extend_from_slice(itoa::Buffer::new().format(units).as_bytes());
                return;
            }
        }
        self.rounding.scaled(units, self.unit).write(self.decimals, self.style, out);
    }

    /// The decimals every amount is shown with.
    #[must_use]
    pub fn decimals(&self) -> u32 {
        self.decimals
    }

    #[must_use]
    pub fn show(&self, units: u128) -> String {
        self.rounding.scaled(units, self.unit).format(self.decimals, self.style)
    }
}

/// A share in millionths of 100 %, as a percentage with four decimals.
#[must_use]
pub fn percent(millionths: u128, style: NumberStyle) -> String {
    crate::core::amount::Scaled { mantissa: millionths, scale: 4 }.format(4, style)
}

/// How one area was divided, in words: key, method, base, bounds.
#[must_use]
pub fn area_rule(note: &Note<'_>, money: &MoneyFormat, unit: Unit, lang: Lang) -> String {
    let Note::AreaRule { area, method, .. } = note else { return String::new() };
    if let Some(rate) = &area.per_capita {
        let rate = per_capita_rate(rate);
        return match lang {
            Lang::Sv => format!("{rate} kr per invånare: varje regions belopp är satsen gånger dess folkmängd, exakt"),
            Lang::En => {
                format!("{rate} kr per inhabitant: each region's amount is the rate times its population, exactly")
            }
        };
    }
    let method = method_label(*method, lang);
    let mut parts = vec![format!("{} {}", lang.pick("efter", "by"), area.key.describe()), method.to_string()];
    if area.base > 0 {
        let base = money.show(area.base);
        parts.push(match lang {
            Lang::Sv => format!("efter ett grundbelopp på {base} {unit} per region"),
            Lang::En => format!("after a base of {base} {unit} per region"),
        });
    }
    if let Some(minimum) = area.minimum {
        parts.push(format!("{} {} {unit}", lang.pick("minst", "at least"), money.show(minimum)));
    }
    if let Some(maximum) = area.maximum {
        parts.push(format!("{} {} {unit}", lang.pick("högst", "at most"), money.show(maximum)));
    }
    parts.join(", ")
}

/// An apportionment method's name in `lang`: the divisor methods keep their inventors' names.
#[must_use]
pub fn method_label(method: Method, lang: Lang) -> &'static str {
    match (lang, method) {
        (Lang::Sv, Method::LargestRemainder) => "största rest",
        (_, method) => method.label(),
    }
}

/// A rate per inhabitant in kronor, as the agreement wrote it (`12,50`), with the decimal comma.
#[must_use]
pub fn per_capita_rate(rate: &crate::core::agreement::PerCapita) -> String {
    let kronor = rate.kronor;
    let decimals = kronor.scale().max(2);
    crate::core::amount::Scaled { mantissa: kronor.mantissa().unsigned_abs(), scale: kronor.scale() }
        .format(decimals, NumberStyle::SWEDISH)
}

/// The regions excluded, and what happens to their share, in words.
#[must_use]
pub fn eligibility_words(excluded: &[&str], policy: ExclusionPolicy, reason: Option<&str>, lang: Lang) -> String {
    let policy = match policy {
        ExclusionPolicy::Redistribute => lang.pick(
            "deras andel fördelas mellan de övriga efter samma nyckel",
            "their share is divided among the others by the same key",
        ),
        ExclusionPolicy::Withhold => {
            lang.pick("deras andel hålls inne, på en egen rad", "their share is withheld, on a line of its own")
        }
    };
    let reason = reason.map_or(String::new(), |reason| format!(" ({reason})"));
    if excluded.is_empty() {
        return match lang {
            Lang::Sv => format!("alla regioner är berättigade (avtalets lista `excluded` är tom){reason}"),
            Lang::En => format!("every region is eligible (the agreement's `excluded` list is empty){reason}"),
        };
    }
    format!("{}: {}{reason}; {policy}", lang.pick("ej berättigade", "not eligible"), excluded.join(", "))
}

/// What `--round` did, in words.
#[must_use]
pub fn rounding_note(step: crate::core::amount::RoundingUnit, lang: Lang) -> String {
    let step = step.describe();
    match lang {
        Lang::Sv => format!(
            "avrundat till {step} med kontrollerad avrundning: varje belopp är sitt exakta värde avrundat nedåt eller \
             uppåt, varje områdeskolumn summerar fortfarande till sitt område, varje rad till sin exakta summa \
             avrundad nedåt eller uppåt"
        ),
        Lang::En => format!(
            "rounded to {step} by controlled rounding: each amount is its exact value rounded down or up, \
             every area column still adds up to its area, every row to its exact total rounded down or up"
        ),
    }
}

/// The tie rule, in words.
pub const TIE_RULE: &str = "equal claims: larger key first, then lower code";

/// The tie rule in the report's language.
#[must_use]
pub fn tie_rule(lang: Lang) -> &'static str {
    lang.pick("lika anspråk: större nyckel först, sedan lägre kod", TIE_RULE)
}

/// Which population figures were used, and any substitution, in words.
#[must_use]
pub fn population_words(used: &PopulationUse, own: Date, lang: Lang) -> String {
    let (date, source) = (used.date, &used.source);
    match (&used.substitution, lang) {
        (Some(reason), Lang::Sv) => {
            format!("siffror per {date} från {source}, använda i stället för avtalets {own}: {reason}")
        }
        (Some(reason), Lang::En) => {
            format!("figures of {date} from {source}, used instead of the agreement's {own}: {reason}")
        }
        (None, Lang::Sv) => format!("siffror per {date} från {source}"),
        (None, Lang::En) => format!("figures of {date} from {source}"),
    }
}

/// A note in the words of a line of its own (CSV's notes on stderr).
///
/// Notes on stderr are diagnostics, and diagnostics are English, as errors are.
#[must_use]
pub fn note_line(note: &Note<'_>, money: &MoneyFormat, unit: Unit) -> String {
    let lang = Lang::En;
    match note {
        Note::Rounding { step } => rounding_note(*step, lang),
        Note::Eligibility { excluded, policy, reason } => eligibility_words(excluded, *policy, *reason, lang),
        Note::AreaRule { area, .. } => format!("area {}: {}", area.id, area_rule(note, money, unit, lang)),
        Note::Population { used, agreement_date } => population_words(used, *agreement_date, lang),
        Note::Tie(tie) => format!(
            "tie in {}: {} had equal remainders; the unit went to {}",
            tie.area,
            tie.tied.join(", "),
            tie.winners.join(", ")
        ),
        Note::CountyLevel { level, agreement_date } => county_level_words(level, *agreement_date, lang),
    }
}

/// How the counties got the amounts their municipalities share, in words.
#[must_use]
pub fn county_level_words(level: &crate::core::allocation::CountyLevel, agreement_date: Date, lang: Lang) -> String {
    let counties = population_words(&level.population, agreement_date, lang);
    let split = match (&level.within, lang) {
        (Some((code, name)), Lang::Sv) => format!(
            "{name} ({code}) får dessa belopp ur avtalets fördelning mellan regionerna ({counties}); de fördelas \
             mellan dess kommuner efter folkmängd, största rest, så att dess kommuner summerar till dess belopp i \
             varje område"
        ),
        (None, Lang::Sv) => format!(
            "varje läns belopp är avtalets fördelning mellan regionerna ({counties}); vart och ett fördelas mellan \
             länets kommuner efter folkmängd, största rest, så att varje läns kommuner summerar till dess belopp i \
             varje område, och varje kolumn till avtalet"
        ),
        (Some((code, name)), Lang::En) => format!(
            "{name} ({code}) gets these amounts from the agreement's split among the regions ({counties}); they are \
             split among its municipalities by population, largest remainder, so its municipalities add up to its \
             amount in every area"
        ),
        (None, Lang::En) => format!(
            "every county's amount is the agreement's split among the regions ({counties}); each is split among the \
             county's municipalities by population, largest remainder, so every county's municipalities add up to \
             its amount in every area, and every column to the agreement"
        ),
    };
    if level.differences.is_empty() {
        return split;
    }
    let differences: Vec<String> = level
        .differences
        .iter()
        .map(|(code, county, municipal)| {
            let grouped =
                |count: u128| crate::core::amount::Scaled { mantissa: count, scale: 0 }.format(0, NumberStyle::SWEDISH);
            format!(
                "county {code}: {} in the county table, {} in the municipalities'",
                grouped(u128::from(*county)),
                grouped(*municipal)
            )
        })
        .collect();
    format!(
        "{split}. The two tables give different populations for {} (the municipalities' own figures divide each \
         county's amount)",
        differences.join("; ")
    )
}

/// The notes a format without room for them cannot leave out, one `fordela: note:` line each.
pub fn write_notes(view: &AllocationView<'_>, unit: Unit, out: &mut dyn Write) -> io::Result<()> {
    let money = MoneyFormat::new(view, unit, NumberStyle::SWEDISH);
    for note in view.notes().iter().filter(|note| note.needs_saying()) {
        writeln!(out, "fordela: note: {}", note_line(note, &money, unit))?;
    }
    Ok(())
}
