//! `explain --format xlsx`: one region's derivation per area, and the notes an auditor needs
//! (population, share, dates, version, each input's SHA-256).

use super::compute::{AreaExplanation, Explanation};
use super::text::{bound_words, exclusion_words, tie_words};
use crate::commands::allocate::words::method_label;
use crate::commands::allocate::xlsx::amount;
use crate::core::amount::{Fraction, NumberStyle, Scaled, Unit};
use crate::io::lines::Lines;
use crate::lang::Lang;
use crate::output::workbook;
use crate::output::workbook::{Column, Sheet, Value, WorkbookError, audit_pairs, choose, notes_sheet_name, number};
use rust_decimal::Decimal;

pub fn workbook(explanation: &Explanation, lang: Lang) -> Result<Vec<u8>, WorkbookError> {
    workbook::write(&[derivation(explanation, lang), notes(explanation, lang)])
}

fn derivation(explanation: &Explanation, lang: Lang) -> Sheet {
    let mark = choose(lang, ',', '.');
    // Figures in text cells: Swedish style in Swedish (grouped, decimal comma), as they were in
    // English.
    let figure = |value: u128| match lang {
        Lang::Sv => Scaled { mantissa: value, scale: 0 }.format(0, NumberStyle::SWEDISH),
        Lang::En => value.to_string(),
    };
    let exact = |fraction: &Fraction, decimals: usize| match lang {
        Lang::Sv => fraction.decimal_in(decimals, NumberStyle::SWEDISH),
        Lang::En => fraction.decimal(decimals, mark),
    };
    let rounding = explanation.rounding;
    let unit = Unit::Kr;
    let decimals = rounding.scaled(1, unit).needed_decimals();
    let money = |units: u128| Value::Number(amount(rounding, units, unit));
    let columns = vec![
        Column::text(lang.pick("Område", "Area")),
        Column::text(lang.pick("Namn", "Name")),
        Column::text(lang.pick("Metod", "Method")),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Till regionerna", "To the regions")), decimals),
        Column::money_unsummed(format!("{} ({unit})", lang.pick("Grundbelopp", "Base")), decimals),
        Column::text(lang.pick("Kvot (enheter)", "Quota (units)")),
        Column::count(lang.pick("Hela enheter", "Whole units"), false),
        Column::count(lang.pick("Restens plats", "Remainder rank"), false),
        Column::text(lang.pick("Gräns, lika rest, innehållet", "Bound, tie, withheld")),
        Column::money(format!("{} ({unit})", lang.pick("Belopp", "Amount")), decimals),
    ];
    let row = |area: &AreaExplanation| {
        let single = (area.parts.len() == 1).then(|| &area.parts[0]);
        let quota: Vec<String> = area
            .parts
            .iter()
            .map(|part| {
                let (units, weight, sum) =
                    (figure(part.units), figure(u128::from(part.weight)), figure(part.weight_sum));
                format!("{}: {units} × {weight} / {sum} = {}", part.key, exact(&part.quota, 6))
            })
            .collect();
        let whole = match single {
            Some(part) => number(part.whole_units, 0),
            None => {
                Value::Text(area.parts.iter().map(|part| part.whole_units.to_string()).collect::<Vec<_>>().join(" + "))
            }
        };
        let rank =
            single.and_then(|part| part.remainder_rank).map_or(Value::Empty, |rank| Value::Number(Decimal::from(rank)));
        let mut touched: Vec<String> = area.bound.iter().map(|&bound| bound_words(bound, lang)).collect();
        touched.extend(area.tie.iter().map(|tie| tie_words(tie, lang)));
        if area.withheld {
            touched.push(lang.pick("innehållet (ej stödberättigad)", "withheld (not eligible)").to_string());
        }
        vec![
            Value::text(&area.id),
            Value::text(&area.name),
            Value::text(method_label(area.method, lang)),
            money(area.regions_units),
            money(area.base),
            Value::Text(quota.join("; ")),
            whole,
            rank,
            Value::Text(touched.join("; ")),
            money(area.result),
        ]
    };
    let mut total = vec![Value::text(lang.pick("Totalt", "Total"))];
    total.resize(9, Value::Empty);
    total.push(money(explanation.total));
    Sheet {
        name: lang.pick("Härledning", "Derivation").to_string(),
        title: vec![
            format!("{}: {} {}", explanation.agreement, explanation.region_code, explanation.region_name),
            choose(
                lang,
                format!(
                    "Befolkning {} av {} ({}), andel {}; belopp i {unit}, en enhet = {} kr",
                    figure(u128::from(explanation.population)),
                    figure(explanation.population_total),
                    explanation.population_date,
                    explanation.share.decimal(10, ','),
                    explanation.amounts_in_units_of_kr
                ),
                format!(
                    "Population {} of {} ({}), share {}; amounts in {unit}, one unit = {} kr",
                    explanation.population,
                    explanation.population_total,
                    explanation.population_date,
                    explanation.share.decimal(10, '.'),
                    explanation.amounts_in_units_of_kr
                ),
            ),
        ],
        columns,
        rows: explanation.areas.iter().map(row).collect(),
        total: Some(total),
        footer: Vec::new(),
    }
}

fn notes(explanation: &Explanation, lang: Lang) -> Sheet {
    let mut pairs = vec![
        (lang.pick("Överenskommelse", "Agreement").to_string(), explanation.agreement.clone()),
        (lang.pick("Region", "Region").to_string(), format!("{} {}", explanation.region_code, explanation.region_name)),
        (lang.pick("Befolkning", "Population").to_string(), explanation.population.to_string()),
        (
            match explanation.population_lines {
                Lines::Text => lang.pick("Befolkning, rad i filen", "Population, line of the file"),
                Lines::Sheet => lang.pick("Befolkning, rad i filen", "Population, row of the file"),
            }
            .to_string(),
            explanation.population_line.to_string(),
        ),
        (lang.pick("Befolkning, totalt", "Population, total").to_string(), explanation.population_total.to_string()),
        (
            lang.pick("Andel", "Share").to_string(),
            format!(
                "{} / {} = {}",
                explanation.share.numerator,
                explanation.share.denominator,
                explanation.share.decimal(12, choose(lang, ',', '.'))
            ),
        ),
        (
            lang.pick("Befolkning, datum som använts", "Population date used").to_string(),
            explanation.population_date.clone(),
        ),
        (
            lang.pick("Annat datum och skäl", "Substitution and reason").to_string(),
            explanation.substitution.clone().unwrap_or_else(|| lang.pick("ingen", "none").into()),
        ),
        (
            lang.pick("Stödberättigad", "Eligible").to_string(),
            match &explanation.exclusion {
                Some(exclusion) => {
                    format!("{}: {}", lang.pick("nej", "no"), exclusion_words(exclusion, lang))
                }
                None => lang.pick("ja", "yes").to_string(),
            },
        ),
        (lang.pick("Enhet (kr)", "Unit (kr)").to_string(), explanation.amounts_in_units_of_kr.clone()),
    ];
    pairs.extend(audit_pairs(&explanation.inputs, lang));
    Sheet::pairs(
        notes_sheet_name(lang),
        lang.pick("Underlag för härledningen", "Sources of the derivation").into(),
        lang,
        pairs,
    )
}
