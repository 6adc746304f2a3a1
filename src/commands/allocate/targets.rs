//! `allocate --region R --round STEP`: one region's targets, in every format. Each area's
//! exact amount beside its target, and the total; the targets add up to the total rounded.

use super::view::RegionTargets;
use super::words::population_words;
use crate::core::amount::{NumberStyle, Unit};
use crate::lang::Lang;
use crate::output::deliver::not_written;
use crate::output::dialect::Dialect;
use crate::output::format::Format;
use crate::output::grid::{Block, Grid};
use serde::Serialize;
use std::io;
use std::io::Write;

/// The rule in words, for every format that has room for it.
const TARGET_RULE_SV: &str = "varje område är sitt exakta belopp avrundat nedåt eller uppåt till steget, och \
                               tillsammans summerar de till regionens exakta summa avrundad till närmaste steg \
                               (ett halvt steg uppåt); områdena med störst rest avrundas uppåt, vid lika rest det \
                               tidigare området först";

/// The rule in words, for every format that has room for it.
pub const TARGET_RULE: &str = "each area is its exact amount rounded down or up to the step, and together they add \
                               up to the region's exact total rounded to the nearest step (a half step up); the \
                               areas with the largest remainders are rounded up, of equal remainders the earlier \
                               area first";

/// Formats the exact amounts and the targets, each with the decimals it needs.
struct Figures<'a> {
    targets: &'a RegionTargets<'a>,
    unit: Unit,
    exact_decimals: u32,
    target_decimals: u32,
}

impl<'a> Figures<'a> {
    fn new(targets: &'a RegionTargets<'a>, unit: Unit) -> Figures<'a> {
        let rounding = targets.agreement().rounding;
        let needed = |units: u128| rounding.scaled(units, unit).needed_decimals();
        let exact_decimals =
            targets.amounts.iter().copied().chain([targets.rounded.exact_total]).map(needed).max().unwrap_or(0);
        Figures { targets, unit, exact_decimals, target_decimals: needed(targets.step_units) }
    }

    fn exact(&self, units: u128, style: NumberStyle) -> String {
        self.targets.agreement().rounding.scaled(units, self.unit).format(self.exact_decimals, style)
    }

    fn target(&self, units: u128, style: NumberStyle) -> String {
        self.targets.agreement().rounding.scaled(units, self.unit).format(self.target_decimals, style)
    }

    /// Rows: area id, area name, exact, target; then the total.
    fn rows(&self, style: NumberStyle, lang: Lang) -> Vec<[String; 4]> {
        let targets = self.targets;
        let areas = targets.agreement().areas.iter().zip(&targets.amounts).zip(&targets.rounded.cells);
        let mut rows: Vec<[String; 4]> = areas
            .map(|((area, &exact), &target)| {
                [area.id.clone(), area.name.clone(), self.exact(exact, style), self.target(target, style)]
            })
            .collect();
        rows.push([
            lang.pick("totalt", "total").to_string(),
            String::new(),
            self.exact(targets.rounded.exact_total, style),
            self.target(targets.rounded.total, style),
        ]);
        rows
    }

    /// The tie decided by rule, in words; `None` when there was none.
    fn tie(&self, lang: Lang) -> Option<String> {
        let tie = self.targets.rounded.tie.as_ref()?;
        let ids = |indices: &[usize]| {
            let areas = &self.targets.agreement().areas;
            indices.iter().map(|&index| areas[index].id.as_str()).collect::<Vec<_>>().join(", ")
        };
        let (tied, winners) = (ids(&tie.tied), ids(&tie.winners));
        Some(match lang {
            Lang::Sv => format!("{tied} hade lika rester; steget gick till det tidigare: {winners}"),
            Lang::En => format!("{tied} had equal remainders; the step went to the earlier: {winners}"),
        })
    }
}

pub fn write(
    targets: &RegionTargets<'_>,
    format: Format,
    unit: Unit,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let figures = Figures::new(targets, unit);
    match format {
        Format::Table => table(&figures, lang, out),
        Format::Csv => csv(&figures, Dialect::PLAIN, lang, out),
        Format::Excel => csv(&figures, Dialect::EXCEL, lang, out),
        Format::Json => json(&figures, out),
        Format::Xlsx | Format::Html => Err(not_written(format)),
    }
}

fn table(figures: &Figures<'_>, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    Block::write_all(&figure_blocks(figures, lang), lang, out)
}

/// The targets for people, in order: the agreement, the region and step, the table of areas,
/// the rule, the sum a plan states, a tie, the population (the text report's and the page's).
#[must_use]
pub fn blocks(targets: &RegionTargets<'_>, unit: Unit, lang: Lang) -> Vec<Block> {
    figure_blocks(&Figures::new(targets, unit), lang)
}

fn figure_blocks(figures: &Figures<'_>, lang: Lang) -> Vec<Block> {
    let targets = figures.targets;
    let agreement = targets.agreement();
    let style = NumberStyle::SWEDISH;
    let step = figures.target(targets.step_units, style);
    let unit = figures.unit;
    let mut blocks = vec![Block::Line(format!("{} ({})", agreement.name, agreement.source))];
    let (code, name) = (targets.code(), targets.name());
    blocks.push(Block::Line(match lang {
        Lang::Sv => format!("{code} {name}: mål till {step} {unit}"),
        Lang::En => format!("{code} {name}: targets to {step} {unit}"),
    }));
    // Area ids only, as `check`'s table: the names are in the agreement, CSV and JSON.
    let header = match lang {
        Lang::Sv => ["område", "exakt", "mål"],
        Lang::En => ["area", "exact", "target"],
    };
    let rows = figures.rows(style, lang).into_iter().map(|[id, _, exact, target]| vec![id, exact, target]).collect();
    blocks.push(Block::Grid(Grid {
        header: header.map(str::to_string).to_vec(),
        rows,
        right: vec![false, true, true],
    }));
    blocks.push(Block::Line(match lang {
        Lang::Sv => format!("Belopp i {unit}. Mål: {TARGET_RULE_SV}."),
        Lang::En => format!("Amounts in {unit}. Targets: {TARGET_RULE}."),
    }));
    let stated: Vec<String> = targets.rounded.cells.iter().map(|&units| figures.target(units, style)).collect();
    let (sum, total) = (stated.join(" + "), figures.target(targets.rounded.total, style));
    // `check` knows a plan's precision from its decimals alone: 1, 0,1, 0,01 … of the unit.
    // A step such as 0,5 mkr or 1 000 tkr is not one it can see, so promise nothing of it.
    let decimal_step =
        step == "1" || step.strip_prefix("0,").is_some_and(|decimals| decimals.trim_start_matches('0') == "1");
    blocks.push(Block::Line(match (decimal_step, lang) {
        (true, Lang::En) => {
            format!(
                "A plan written to {step} {unit} that states {sum} = {total} {unit} adds up to what the region gets."
            )
        }
        (true, Lang::Sv) => {
            format!(
                "En plan skriven till {step} {unit} som anger {sum} = {total} {unit} summerar till det regionen får."
            )
        }
        (false, Lang::En) => format!(
            "Together {sum} = {total} {unit}, the region's total rounded to {step} {unit}. `check` judges a plan by \
             the decimals it is written with (1, 0,1, 0,01 … {unit}), not by this step."
        ),
        (false, Lang::Sv) => format!(
            "Tillsammans {sum} = {total} {unit}, regionens summa avrundad till {step} {unit}. `check` bedömer en \
             plan efter de decimaler den skrivs med (1, 0,1, 0,01 … {unit}), inte efter detta steg."
        ),
    }));
    if let Some(tie) = figures.tie(lang) {
        blocks.push(Block::Line(format!("{}: {tie}.", lang.pick("Lika rester", "Tie"))));
    }
    let population = population_words(&targets.exact.population, agreement.population_date, lang);
    blocks.push(Block::Line(format!("{}: {population}.", lang.pick("Befolkning", "Population"))));
    blocks
}

/// The population note CSV has no room for (said on stderr, as `allocate`'s CSV does): only
/// when the figures are not of the agreement's own date.
#[must_use]
pub fn stderr_note(targets: &RegionTargets<'_>) -> Option<String> {
    let used = &targets.exact.population;
    used.substitution.as_ref()?;
    Some(format!("population: {}", population_words(used, targets.agreement().population_date, Lang::En)))
}

fn csv(figures: &Figures<'_>, dialect: Dialect, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let mut bytes = dialect.preamble.to_vec();
    let headers = match lang {
        Lang::Sv => ["område", "namn", "exakt", "mål"],
        Lang::En => ["area", "name", "exact", "target"],
    };
    dialect.record(headers, &mut bytes);
    for row in figures.rows(dialect.style, lang) {
        dialect.record(row.iter().map(String::as_str), &mut bytes);
    }
    out.write_all(&bytes)
}

#[derive(Serialize)]
struct Document<'a> {
    fordela_version: &'static str,
    agreement: &'a str,
    agreement_source: &'a str,
    region_code: &'a str,
    region_name: &'a str,
    /// The unit of every amount here.
    unit: Unit,
    step: String,
    rule: &'static str,
    areas: Vec<AreaTarget<'a>>,
    total: TotalTarget,
    tie: Option<TieView<'a>>,
    population: PopulationView<'a>,
}

#[derive(Serialize)]
struct PopulationView<'a> {
    source: &'a str,
    date_used: String,
    agreement_date: String,
    substitution: Option<&'a str>,
}

#[derive(Serialize)]
struct AreaTarget<'a> {
    id: &'a str,
    name: &'a str,
    exact: String,
    target: String,
}

#[derive(Serialize)]
struct TotalTarget {
    exact: String,
    target: String,
}

#[derive(Serialize)]
struct TieView<'a> {
    tied: Vec<&'a str>,
    winners: Vec<&'a str>,
}

fn json(figures: &Figures<'_>, out: &mut dyn Write) -> io::Result<()> {
    let targets = figures.targets;
    let agreement = targets.agreement();
    let style = NumberStyle::PLAIN;
    let areas = agreement
        .areas
        .iter()
        .zip(&targets.amounts)
        .zip(&targets.rounded.cells)
        .map(|((area, &exact), &target)| AreaTarget {
            id: &area.id,
            name: &area.name,
            exact: figures.exact(exact, style),
            target: figures.target(target, style),
        })
        .collect();
    let ids = |indices: &[usize]| indices.iter().map(|&index| agreement.areas[index].id.as_str()).collect();
    let document = Document {
        fordela_version: env!("CARGO_PKG_VERSION"),
        agreement: &agreement.name,
        agreement_source: &agreement.source,
        region_code: targets.code(),
        region_name: targets.name(),
        unit: figures.unit,
        step: figures.target(targets.step_units, style),
        rule: TARGET_RULE,
        areas,
        total: TotalTarget {
            exact: figures.exact(targets.rounded.exact_total, style),
            target: figures.target(targets.rounded.total, style),
        },
        tie: targets.rounded.tie.as_ref().map(|tie| TieView { tied: ids(&tie.tied), winners: ids(&tie.winners) }),
        population: PopulationView {
            source: &targets.exact.population.source,
            date_used: targets.exact.population.date.to_string(),
            agreement_date: agreement.population_date.to_string(),
            substitution: targets.exact.population.substitution.as_deref(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}
