//! `allocate --format xlsx`: the allocation as a workbook. Sheet one is the table (codes as
//! text, amounts as numbers, one column per area headed by its name and unit, a total row and
//! a total column of live `SUM`s); sheet two, "Underlag"/"Notes", says what an auditor needs
//! to redo it. `--region R --round STEP` gives the region's targets the same way.

use super::targets::TARGET_RULE;
use super::view::{AllocationView, Note, RegionTargets, RowKind};
use super::words::{
    MoneyFormat, TIE_RULE, area_rule, county_level_words, eligibility_words, population_words, rounding_note,
};
use crate::core::agreement::Agreement;
use crate::core::allocation::PopulationUse;
use crate::core::amount::{NumberStyle, RoundingUnit, Unit, scaled_to_decimal};
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::workbook;
use crate::output::workbook::{Column, Sheet, Value, WorkbookError, audit_pairs, choose, notes_sheet_name, number};
use rust_decimal::Decimal;

/// `units` of the agreement's rounding unit as an exact decimal of `unit`. Every amount of a
/// validated agreement is at most `max_count` units, which a `Decimal` holds; one that is not
/// becomes `Decimal::MAX`, which no cell fits: an error when the sheet is checked, never a
/// panic or a wrong figure.
pub(crate) fn amount(rounding: RoundingUnit, units: u128, unit: Unit) -> Decimal {
    rounding.try_scaled(units, unit).and_then(scaled_to_decimal).unwrap_or(Decimal::MAX)
}

/// The workbook of an allocation, exact or rounded (`--round`).
pub fn workbook(
    view: &AllocationView<'_>,
    unit: Unit,
    lang: Lang,
    inputs: &[InputHash],
) -> Result<Vec<u8>, WorkbookError> {
    let table = table(view, unit, lang);
    let charts = region_chart(view, &table, unit, lang);
    workbook::write_with_charts(&[table, notes(view, unit, lang, inputs)], &charts)
}

/// The most recipients a chart of their totals shows: a bar per region reads on a page; a bar
/// per municipality (290) would not.
const CHARTED: usize = 30;

/// A bar per region (or municipality of one county), as long as its total: the total column of the allocation sheet's region
/// rows (never the set-aside, withheld or total rows), on a chart sheet of its own, so that the
/// table keeps its print width.
fn region_chart(view: &AllocationView<'_>, table: &Sheet, unit: Unit, lang: Lang) -> Vec<workbook::ChartSheet> {
    let regions = view.region_count();
    if regions == 0 || regions > CHARTED {
        return Vec::new();
    }
    // `--within`: the recipients are one county's municipalities.
    let municipal = view.notes().iter().any(|note| matches!(note, Note::CountyLevel { .. }));
    vec![workbook::ChartSheet {
        name: lang.pick("Diagram", "Chart").to_string(),
        title: if municipal {
            choose(lang, format!("Totalt per kommun ({unit})"), format!("Total per municipality ({unit})"))
        } else {
            choose(lang, format!("Totalt per region ({unit})"), format!("Total per region ({unit})"))
        },
        sheet: 0,
        rows: (0..regions).collect(),
        // Region names; the total is the last column.
        categories: 1,
        series: vec![table.columns.len() - 1],
    }]
}

fn table(view: &AllocationView<'_>, unit: Unit, lang: Lang) -> Sheet {
    let agreement = view.agreement();
    let money = MoneyFormat::new(view, unit, NumberStyle::SWEDISH);
    let decimals = money.decimals();
    let rounding = agreement.rounding;
    let areas = agreement.areas.len();
    let mut columns = vec![Column::text(lang.pick("Kod", "Code")), Column::text(lang.pick("Region", "Region"))];
    // `--nested`: each municipality's county, as the table and the CSV show it.
    let by_county = view.grouped_by_county();
    if by_county {
        columns.push(Column::text(lang.pick("Län", "County")));
    }
    columns.extend([
        Column::count(lang.pick("Befolkning", "Population"), true),
        Column::percent(lang.pick("Andel", "Share"), 4),
    ]);
    let first_area = columns.len();
    columns.extend(agreement.areas.iter().map(|area| Column::money(format!("{} ({unit})", area.name), decimals)));
    columns.push(
        Column::money(format!("{} ({unit})", lang.pick("Totalt", "Total")), decimals)
            .sum_of(first_area..first_area + areas),
    );
    let money_cells = |amounts: super::view::RowAmounts<'_>| -> Vec<Value> {
        let mut cells: Vec<Value> = amounts.iter().map(|units| Value::Number(amount(rounding, units, unit))).collect();
        cells.push(Value::Number(amount(rounding, amounts.total(), unit)));
        cells
    };
    let share = |millionths: u128| number(millionths, 6);
    let mut rows = Vec::with_capacity(view.row_count());
    let mut total = None;
    for row in view.rows() {
        let mut cells = match row.kind {
            RowKind::Region { code, name, population, share_millionths, .. } => vec![
                Value::text(code),
                Value::text(name),
                Value::Number(Decimal::from(population)),
                share(share_millionths),
            ],
            RowKind::SetAside { recipient } => vec![
                Value::Empty,
                Value::Text(format!("{recipient} ({})", lang.pick("avsatt", "set aside"))),
                Value::Empty,
                Value::Empty,
            ],
            RowKind::Withheld => vec![
                Value::Empty,
                Value::text(lang.pick("Innehållet (ej stödberättigade regioner)", "Withheld (not eligible)")),
                Value::Empty,
                Value::Empty,
            ],
            RowKind::Total { population, share_millionths } => vec![
                Value::Empty,
                Value::text(lang.pick("Totalt", "Total")),
                number(population, 0),
                share(share_millionths),
            ],
        };
        if by_county {
            let county = match row.kind {
                RowKind::Region { index, .. } => view.county_of(index).map_or(Value::Empty, Value::text),
                _ => Value::Empty,
            };
            cells.insert(2, county);
        }
        cells.extend(money_cells(row.amounts));
        if matches!(row.kind, RowKind::Total { .. }) {
            total = Some(cells);
        } else {
            rows.push(cells);
        }
    }
    let title = title(view, unit, lang);
    Sheet {
        name: lang.pick("Fördelning", "Allocation").to_string(),
        title,
        columns,
        rows,
        total,
        footer: vec![choose(
            lang,
            format!("Belopp i {unit}. Metod, befolkningsdatum och källor: se bladet Underlag."),
            format!("Amounts in {unit}. Method, population date and sources: see the sheet Notes."),
        )],
    }
}

/// The table's title: the agreement and the unit, and the rounding when there is one.
fn title(view: &AllocationView<'_>, unit: Unit, lang: Lang) -> Vec<String> {
    let agreement = view.agreement();
    let mut title = vec![format!(
        "{}: {}",
        agreement.name,
        choose(
            lang,
            format!("fördelning per region, belopp i {unit}"),
            format!("allocation by region, amounts in {unit}")
        )
    )];
    if let Some(step) = view.rounding() {
        title.push(match lang {
            Lang::Sv => format!(
                "Avrundat till {} med kontrollerad avrundning: kolumnerna summerar till områdenas belopp",
                step.describe()
            ),
            Lang::En => {
                format!("Rounded to {} by controlled rounding: the columns add up to the areas", step.describe())
            }
        });
    }
    title
}

/// What an auditor needs to redo the split: sources, dates, rules, ties, version, hashes.
fn notes(view: &AllocationView<'_>, unit: Unit, lang: Lang, inputs: &[InputHash]) -> Sheet {
    let agreement = view.agreement();
    let money = MoneyFormat::new(view, unit, NumberStyle::SWEDISH);
    let mut pairs = agreement_pairs(agreement, lang);
    pairs.extend(population_pairs(view.population(), agreement, lang));
    for note in view.notes() {
        match note {
            Note::Rounding { step } => {
                pairs.push((lang.pick("Avrundning", "Rounding").into(), rounding_note(*step, lang)));
            }
            Note::Eligibility { excluded, policy, reason } => pairs.push((
                lang.pick("Uteslutna regioner", "Excluded regions").into(),
                eligibility_words(excluded, *policy, *reason, lang),
            )),
            Note::AreaRule { area, .. } => pairs.push((
                format!("{}: {}", lang.pick("Metod", "Method"), area.id),
                format!("{}: {}", area.name, area_rule(note, &money, unit, lang)),
            )),
            Note::Tie(tie) => pairs.push((
                format!("{}: {}", lang.pick("Lika rester", "Tie"), tie.area),
                format!(
                    "{} had equal remainders; the unit went to {} ({TIE_RULE})",
                    tie.tied.join(", "),
                    tie.winners.join(", ")
                ),
            )),
            Note::CountyLevel { level, agreement_date } => {
                pairs.push((lang.pick("Län", "Counties").into(), county_level_words(level, *agreement_date, lang)));
            }
            Note::Population { .. } => {}
        }
    }
    if !view.notes().iter().any(|note| matches!(note, Note::Tie(_))) {
        pairs.push((lang.pick("Lika rester", "Ties").into(), lang.pick("inga", "none").into()));
    }
    if !view.notes().iter().any(|note| matches!(note, Note::Eligibility { .. })) {
        pairs.push((lang.pick("Uteslutna regioner", "Excluded regions").into(), lang.pick("inga", "none").into()));
    }
    pairs.extend(audit_pairs(inputs, lang));
    Sheet::pairs(
        notes_sheet_name(lang),
        lang.pick("Underlag för fördelningen", "How the allocation was made").into(),
        lang,
        pairs,
    )
}

/// The agreement's name, source, total and rounding unit.
pub(crate) fn agreement_pairs(agreement: &Agreement, lang: Lang) -> Vec<(String, String)> {
    let total = agreement.rounding.scaled(agreement.total, agreement.unit).format(0, NumberStyle::SWEDISH);
    vec![
        (lang.pick("Överenskommelse", "Agreement").into(), agreement.name.clone()),
        (lang.pick("Fil", "Agreement file").into(), agreement.source.clone()),
        (
            lang.pick("Källa", "Source").into(),
            agreement
                .reference
                .clone()
                .unwrap_or_else(|| lang.pick("(anges inte i filen)", "(not named in the file)").into()),
        ),
        (lang.pick("Totalt", "Total").into(), format!("{total} {}", agreement.unit)),
        (lang.pick("Avrundningsenhet", "Rounding unit").into(), agreement.rounding.describe()),
    ]
}

/// The population file, the date used, the agreement's own date, and any substitution.
pub(crate) fn population_pairs(used: &PopulationUse, agreement: &Agreement, lang: Lang) -> Vec<(String, String)> {
    vec![
        (lang.pick("Befolkning, fil", "Population file").into(), used.source.clone()),
        (lang.pick("Befolkning, datum som använts", "Population date used").into(), used.date.to_string()),
        (
            lang.pick("Överenskommelsens befolkningsdatum", "Agreement's population date").into(),
            agreement.population_date.to_string(),
        ),
        (
            lang.pick("Annat datum och skäl", "Substitution and reason").into(),
            used.substitution.clone().unwrap_or_else(|| lang.pick("ingen", "none").into()),
        ),
        (lang.pick("Befolkning", "Population").into(), population_words(used, agreement.population_date, lang)),
    ]
}

/// The workbook of one region's targets (`--region R --round STEP`).
pub fn targets_workbook(
    targets: &RegionTargets<'_>,
    unit: Unit,
    lang: Lang,
    inputs: &[InputHash],
) -> Result<Vec<u8>, WorkbookError> {
    let agreement = targets.agreement();
    let rounding = agreement.rounding;
    let needed = |units: u128| rounding.scaled(units, unit).needed_decimals();
    let exact_decimals =
        targets.amounts.iter().copied().chain([targets.rounded.exact_total]).map(needed).max().unwrap_or(0);
    let target_decimals = needed(targets.step_units);
    let value = |units: u128| Value::Number(amount(rounding, units, unit));
    let columns = vec![
        Column::text(lang.pick("Område", "Area")),
        Column::text(lang.pick("Namn", "Name")),
        Column::money(format!("{} ({unit})", lang.pick("Exakt", "Exact")), exact_decimals),
        Column::money(format!("{} ({unit})", lang.pick("Mål", "Target")), target_decimals),
    ];
    let rows = agreement
        .areas
        .iter()
        .zip(&targets.amounts)
        .zip(&targets.rounded.cells)
        .map(|((area, &exact), &target)| {
            vec![Value::text(&area.id), Value::text(&area.name), value(exact), value(target)]
        })
        .collect();
    let total = vec![
        Value::text(lang.pick("Totalt", "Total")),
        Value::Empty,
        value(targets.rounded.exact_total),
        value(targets.rounded.total),
    ];
    let step = rounding.scaled(targets.step_units, unit).format(target_decimals, NumberStyle::SWEDISH);
    let sheet = Sheet {
        name: lang.pick("Mål", "Targets").to_string(),
        title: vec![
            format!("{}: {} {}", agreement.name, targets.code(), targets.name()),
            choose(
                lang,
                format!("Mål till {step} {unit}, belopp i {unit}"),
                format!("Targets to {step} {unit}, amounts in {unit}"),
            ),
        ],
        columns,
        rows,
        total: Some(total),
        footer: vec![format!("{}: {TARGET_RULE}.", lang.pick("Regel", "Rule"))],
    };
    let mut pairs = agreement_pairs(agreement, lang);
    pairs.push((lang.pick("Region", "Region").into(), format!("{} {}", targets.code(), targets.name())));
    pairs.push((lang.pick("Steg", "Step").into(), format!("{step} {unit}")));
    pairs.push((lang.pick("Regel", "Rule").into(), TARGET_RULE.into()));
    if let Some(tie) = &targets.rounded.tie {
        let ids = |indices: &[usize]| {
            indices.iter().map(|&index| agreement.areas[index].id.as_str()).collect::<Vec<_>>().join(", ")
        };
        pairs.push((
            lang.pick("Lika rester", "Tie").into(),
            format!("{} had equal remainders; the step went to the earlier: {}", ids(&tie.tied), ids(&tie.winners)),
        ));
    }
    pairs.extend(population_pairs(&targets.exact.population, agreement, lang));
    pairs.extend(audit_pairs(inputs, lang));
    let notes = Sheet::pairs(
        notes_sheet_name(lang),
        lang.pick("Underlag för målen", "How the targets were made").into(),
        lang,
        pairs,
    );
    workbook::write(&[sheet, notes])
}
