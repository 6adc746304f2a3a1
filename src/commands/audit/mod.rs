//! `fordela audit`: a published table against the agreement (or `--total`) on every date of
//! the population file.

pub mod compute;
pub mod implied;
pub mod implied_words;
pub mod job;
pub mod key;
pub mod published;
pub mod report;
pub mod steps;
pub mod xlsx;

use crate::commands::allocate::municipal::DEFAULT_MUNICIPALITIES;
use crate::commands::audit::compute::{
    Against, AuditReport, ColumnBasis, DateChoice, FindingKind, Settings, Step, audit, audit_with_rates,
};
use crate::commands::audit::implied::ColumnExplained;
use crate::commands::audit::job::{AuditBasis, AuditJob};
use crate::commands::audit::published::{AmountColumns, Published, read_published};
use crate::commands::missing::MissingFlags;
use crate::commands::sources::{
    LoadedAgreement, RegionName, RuleOverrides, bundled_population, load_agreement, population_file_or_bundled,
    population_input_sheet,
};
use crate::core::agreement::{Agreement, Key};
use crate::core::allocation::population_date;
use crate::core::amount::{Scaled, Unit};
use crate::core::apportion::Method;
use crate::core::date::Date;
use crate::core::findings;
use crate::core::findings::Severity;
use crate::core::population::{PopulationTable, read_population, read_population_keys, summarize};
use crate::core::region::RecipientKind;
use crate::io::bundled;
use crate::io::input::{Input, InputHash};
use crate::lang::Lang;
use crate::output::deliver::{Made, Render, deliver, not_written};
use crate::output::dialect::Dialect;
use crate::output::format::Format;
use crate::output::workbook::WorkbookError;
use anyhow::{Context, anyhow};
use rust_decimal::Decimal;
use std::io;
use std::io::Write;
use std::process::ExitCode;

pub fn run(job: &AuditJob) -> anyhow::Result<ExitCode> {
    let made = audited(job)?;
    deliver(&made.result, &job.target, made.provenance())
}

/// The job's table audited and explained, with the inputs read.
pub fn audited(job: &AuditJob) -> anyhow::Result<Made<Audited>> {
    let table_input =
        crate::commands::sources::read_table(&job.table, job.sheet.as_deref()).context("reading table")?;
    let (report, agreement_input, population_input) = match &job.basis {
        AuditBasis::Agreement { agreement, area } => {
            against_agreement(job, &table_input, agreement.as_deref(), area.as_deref())?
        }
        AuditBasis::Total(total) => against_total(job, &table_input, Some(*total))?,
        AuditBasis::TotalRow => against_total(job, &table_input, None)?,
    };
    let mut audited = report;
    audited.report.step_given = job.step.is_some();
    if job.sources.allow_missing_regions {
        refuse_quotas_over_unlisted(&audited.report, job.within.is_some())?;
    }
    let inputs: Vec<Input> =
        [Some(table_input), agreement_input, Some(population_input)].into_iter().flatten().collect();
    Ok(Made { result: audited, inputs })
}

/// The audit and what the amounts imply (key and rounding rule), as every format shows them.
pub struct Audited {
    pub report: AuditReport,
    /// One per column of the report.
    pub explained: Vec<ColumnExplained>,
}

impl Render for Audited {
    fn write(&self, format: Format, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
        let (report, explained) = (&self.report, self.explained.as_slice());
        match format {
            Format::Table => report::table(report, explained, lang, out),
            Format::Csv => report::csv(report, explained, lang, Dialect::PLAIN, out),
            Format::Excel => report::csv(report, explained, lang, Dialect::EXCEL, out),
            Format::Json => report::json(report, explained, lang, out),
            Format::Xlsx | Format::Html => Err(not_written(format)),
        }
    }

    fn workbook(&self, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
        xlsx::workbook(&self.report, &self.explained, lang, inputs)
    }

    fn beside_csv(&self, lang: Lang, err: &mut dyn Write) -> io::Result<()> {
        report::stderr_notes(&self.report, &self.explained, lang, err)
    }

    fn worst(&self) -> Option<Severity> {
        findings::worst(self.report.findings.iter().map(|finding| finding.severity))
    }
}

/// `report` explained: its key searched for (see `implied`) and its rounding rule named.
fn explained(
    job: &AuditJob,
    report: AuditReport,
    bases: &[ColumnBasis],
    tables: &[PopulationTable],
) -> anyhow::Result<Audited> {
    let explained = implied::explain(&report, bases, tables, &job.key_range).context("--key-range")?;
    Ok(Audited { report, explained })
}

/// The table's step: `--step`, else one unit or the finest decimal its amounts show.
fn step(job: &AuditJob, published: &Published) -> anyhow::Result<Step> {
    let unit = published.unit;
    let Some(step) = job.step else {
        let decimals = i32::try_from(published.decimals).map_err(|_| anyhow!("too many decimals"))?;
        return Ok(Step { unit, decimals });
    };
    // A power of ten of kronor, as the job checked: 10^exponent kr.
    let kronor = step.kronor().normalize();
    let exponent = -i64::from(kronor.scale()) + i64::from(kronor.mantissa().unsigned_abs().ilog10());
    let decimals =
        i32::try_from(i64::from(unit.exponent()) - exponent).map_err(|_| anyhow!("--step is out of range"))?;
    Ok(Step { unit, decimals })
}

/// An amount of kronor as `mantissa / 10^scale`.
fn scaled_kr(kronor: Decimal) -> Scaled {
    let kronor = kronor.normalize();
    Scaled { mantissa: kronor.mantissa().unsigned_abs(), scale: kronor.scale() }
}

fn against_agreement(
    job: &AuditJob,
    table_input: &Input,
    agreement: Option<&str>,
    area: Option<&str>,
) -> anyhow::Result<(Audited, Option<Input>, Input)> {
    let loaded: LoadedAgreement = load_agreement(agreement, &RuleOverrides::default())?;
    let agreement = &loaded.agreement;
    refuse_other_rules(agreement)?;
    let single: Option<usize> = match area {
        Some(wanted) => {
            let wanted = wanted.trim();
            let same = crate::io::names::same;
            let found = agreement.areas.iter().position(|area| same(&area.id, wanted) || same(&area.name, wanted));
            let ids: Vec<&str> = agreement.areas.iter().map(|area| area.id.as_str()).collect();
            Some(found.ok_or_else(|| {
                anyhow!("--area `{wanted}` is not an area of {} (its areas: {})", agreement.name, ids.join(", "))
            })?)
        }
        None => None,
    };
    let wanted = match (area, &job.column) {
        (Some(_), Some(column)) => AmountColumns::named(column),
        (Some(_), None) => AmountColumns::Single,
        (None, _) => {
            AmountColumns::Areas(agreement.areas.iter().map(|area| (area.id.clone(), area.name.clone())).collect())
        }
    };
    let published = published_table(table_input, &wanted, job.unit)?;
    let kronor = |units: u128| {
        agreement.rounding.try_scaled(units, Unit::Kr).ok_or_else(|| anyhow!("an amount of the agreement is too large"))
    };
    let mut bases = Vec::new();
    let mut rates = Vec::new();
    for &column in &published.areas {
        let area = &agreement.areas[single.unwrap_or(column)];
        let key = match &area.key {
            Key::Column(key) => key.clone(),
            // Refused above with its reason; an error here too, never a panic.
            Key::Mix(_) => return Err(anyhow!("area `{}` has a mixed key, which audit does not check", area.id)),
        };
        let set_asides = area
            .set_asides
            .iter()
            .map(|set_aside| Ok((set_aside.recipient.clone(), kronor(set_aside.amount)?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        bases.push(ColumnBasis {
            id: area.id.clone(),
            name: area.name.clone(),
            key,
            method: area.method.unwrap_or(agreement.method),
            total_kr: kronor(area.to_regions)?,
            set_asides,
        });
        rates.push(area.per_capita.as_ref().map(|rate| scaled_kr(rate.kronor)));
    }
    // The set-asides' names, so that a row `SKR` reads as one in every column.
    let every_set_aside: Vec<String> =
        agreement.areas.iter().flat_map(|area| area.set_asides.iter().map(|s| s.recipient.clone())).collect();
    for basis in &mut bases {
        for name in &every_set_aside {
            if !basis.set_asides.iter().any(|(known, _)| crate::io::names::same(known, name)) {
                basis.set_asides.push((name.clone(), Scaled { mantissa: 0, scale: 0 }));
            }
        }
    }
    let population =
        population_input_sheet(&loaded, job.sources.population.as_deref(), job.sources.population_sheet.as_deref())?;
    let (date, substitution) = population_date(agreement, job.sources.population_date);
    let choice = match (job.sources.population_date, substitution) {
        (Some(_), Some(_)) => DateChoice::Flag,
        (None, Some(reason)) => DateChoice::Substitute(reason),
        (_, None) => DateChoice::Agreement,
    };
    let tables = every_date(&population, &bases, date)?;
    let against = Against::Agreement { name: agreement.name.clone(), source: loaded.input.label.clone() };
    let settings =
        Settings { step: step(job, &published)?, audited: date, date_choice: choice, against, strict: job.strict };
    let report = audit_with_rates(&published, &bases, &rates, &tables, settings)
        .map_err(|err| anyhow!(table_input.placed_message(&err.to_string())))
        .context("cannot audit the table")?;
    let agreement_input = loaded.input.path.is_some().then(|| loaded.input.clone());
    Ok((explained(job, report, &bases, &tables)?, agreement_input, population))
}

/// Audits a split by one key: bases, floors, bounds, mixes and exclusions change the quota, and
/// an audit against the plain one would call every such row wrong.
fn refuse_other_rules(agreement: &Agreement) -> anyhow::Result<()> {
    if agreement.eligibility.is_some() {
        return Err(anyhow!(
            "{}: audit checks splits by a key alone, and this agreement excludes regions; audit a table against \
             --total instead",
            agreement.source
        ));
    }
    for area in &agreement.areas {
        let method = area.method.unwrap_or(agreement.method);
        let rule = if matches!(area.key, Key::Mix(_)) {
            Some("a mixed key")
        } else if area.base > 0 {
            Some("a base amount")
        } else if area.minimum.is_some() || area.maximum.is_some() {
            Some("a minimum or maximum")
        } else if method != Method::LargestRemainder {
            // A divisor method may give a region more than its quota rounded up (or less than
            // rounded down): "a valid rounding of its quota" is largest remainder's property.
            Some("a divisor method (its amounts need not be their quotas rounded down or up)")
        } else {
            None
        };
        if let Some(rule) = rule {
            return Err(anyhow!(
                "{}: area `{}` has {rule}; audit checks splits by a key alone (a quota there is not total × key / sum)",
                agreement.source,
                area.id
            ));
        }
    }
    Ok(())
}

/// Audits the table's one amount column (`--column`'s, else the only one) against `total`
/// (`--total`, in the table's unit), or, when there is none, against the table's own total row.
/// The published table read; where its one problem is a unit it does not say and --unit was not
/// given (read with one it would be read: asked, never assumed), a `MissingFlags` in the same words.
fn published_table(table_input: &Input, wanted: &AmountColumns, unit: Option<Unit>) -> anyhow::Result<Published> {
    read_published(table_input, wanted, unit)
        .map_err(|err| {
            let err = table_input.place(err);
            if unit.is_none() && read_published(table_input, wanted, Some(Unit::Kr)).is_ok() {
                MissingFlags::error(vec!["--unit"], err)
            } else {
                anyhow::Error::new(err)
            }
        })
        .context("invalid table")
}

fn against_total(
    job: &AuditJob,
    table_input: &Input,
    total: Option<Decimal>,
) -> anyhow::Result<(Audited, Option<Input>, Input)> {
    let wanted = job.column.as_deref().map_or(AmountColumns::Single, AmountColumns::named);
    let published = published_table(table_input, &wanted, job.unit)?;
    let (total, against, name) = if let Some(total) = total {
        (total, Against::Total, "--total".to_string())
    } else {
        total_row(job, table_input, &published)?
    };
    let total_kr = total.checked_mul(published.unit.kronor()).ok_or_else(|| anyhow!("--total is too large"))?;
    // With --column, the column is named by its header as the table writes it.
    let id = match &job.column {
        Some(_) => published.columns.first().cloned().unwrap_or_default(),
        None => "amount".to_string(),
    };
    let basis = ColumnBasis {
        id,
        name,
        key: "population".to_string(),
        method: Method::LargestRemainder,
        total_kr: scaled_kr(total_kr),
        set_asides: Vec::new(),
    };
    // As allocate reads it: a file, or a bundled table's id (`--population scb-…`); a county's
    // municipalities by default under --within.
    let population = if let Some(path) = &job.sources.population {
        population_file_or_bundled(path, job.sources.population_sheet.as_deref())?
    } else if job.within.is_some() {
        bundled_population(DEFAULT_MUNICIPALITIES)?
    } else {
        let file = bundled::population(bundled::DEFAULT_POPULATION)
            .ok_or_else(|| anyhow!("no bundled population table `{}`", bundled::DEFAULT_POPULATION))?;
        Input::from_text(&format!("bundled:{}", file.path), file.text)
    };
    // With no date named, the table is first audited on the file's latest date, which decides
    // a draw, and then on the date that fits it best: what a user who names no date wants to
    // know is whether the table is right on the figures it was computed from.
    let (date, choice) = if let Some(date) = job.sources.population_date {
        (date, DateChoice::Flag)
    } else {
        let dates = summarize(&population).context("invalid population")?;
        let latest = dates.last().ok_or_else(|| anyhow!("{}: has no dates", population.label))?;
        (latest.date, DateChoice::BestFit)
    };
    let column_bases = [basis];
    let mut tables = every_date(&population, &column_bases, date)?;
    let within = job.within.as_ref().map(|county| within_county(&mut tables, county)).transpose()?;
    let settings = |audited: Date| -> anyhow::Result<Settings> {
        Ok(Settings {
            step: step(job, &published)?,
            audited,
            date_choice: choice.clone(),
            against: against.clone(),
            strict: job.strict,
        })
    };
    let run = |audited: Date| {
        audit(&published, &column_bases, &tables, settings(audited)?)
            .map_err(|err| anyhow!(table_input.placed_message(&err.to_string())))
            .context("cannot audit the table")
    };
    let mut report = run(date)?;
    if choice == DateChoice::BestFit && report.best_date != date {
        report = run(report.best_date)?;
    }
    if let Some(code) = within {
        report.population_source = format!("{} (--within {code}: its municipalities only)", report.population_source);
    }
    Ok((explained(job, report, &column_bases, &tables)?, None, population))
}

/// `--column` with no `--total`: the total is the table's grand total row in that column.
fn total_row(job: &AuditJob, table_input: &Input, published: &Published) -> anyhow::Result<(Decimal, Against, String)> {
    let column = job.column.as_deref().unwrap_or_default();
    let (line, label, total) = published.grand_total().ok_or_else(|| {
        anyhow!(table_input.placed_message(&format!(
            "{}: --column `{column}` with no --total: the table has no total row (`Totalt`, `Summa`) below its \
             rows to take the total from; pass --total",
            table_input.label
        )))
    })?;
    if total.is_zero() {
        return Err(anyhow!(table_input.placed_message(&format!(
            "{}, line {line}: the total row `{label}` says 0, and there is nothing to divide; pass --total",
            table_input.label
        ))));
    }
    Ok((total, Against::TotalRow { line, label: label.clone() }, label))
}

/// The population on every date of the file. A file without the audited date is the reader's
/// own error (naming the dates there are).
fn every_date(population: &Input, bases: &[ColumnBasis], audited: Date) -> anyhow::Result<Vec<PopulationTable>> {
    let keys: Vec<&str> = bases.iter().map(|basis| basis.key.as_str()).collect();
    let dates = summarize(population).context("invalid population")?;
    if !dates.iter().any(|summary| summary.date == audited) {
        read_population_keys(population, audited, &keys).context("invalid population")?;
    }
    dates
        .iter()
        .map(|summary| read_population_keys(population, summary.date, &keys).context("invalid population"))
        .collect()
}

/// Keeps, on every date, the municipalities of `county` (resolved against the bundled counties):
/// a within-county table's quotas are over that county's municipalities, not the country's.
/// Returns the county's code.
fn within_county(tables: &mut [PopulationTable], county: &RegionName) -> anyhow::Result<String> {
    let counties = bundled::population(bundled::DEFAULT_POPULATION)
        .ok_or_else(|| anyhow!("no bundled population table `{}`", bundled::DEFAULT_POPULATION))?;
    let counties = Input::from_text(&format!("bundled:{}", counties.path), counties.text);
    let latest = summarize(&counties).context("bundled counties")?.last().map(|summary| summary.date);
    let latest = latest.ok_or_else(|| anyhow!("the bundled counties have no dates"))?;
    let counties = read_population(&counties, latest).context("bundled counties")?;
    let code = counties.code(&counties.recipients[county.resolve(&counties)?]).to_string();
    for table in tables {
        if table.kind != RecipientKind::Municipalities {
            return Err(anyhow!(
                "{}: --within needs a table of municipalities (SCB's four-digit codes, such as 2380 Östersund)",
                table.source
            ));
        }
        table.retain_codes(|municipality| municipality.starts_with(code.as_str()));
        if table.recipients.is_empty() {
            return Err(anyhow!("{}: has no municipalities of county {code} on {}", table.source, table.date));
        }
    }
    Ok(code)
}

/// `--allow-missing` with recipients the table does not list: their quotas would still be in
/// every listed row's divisor, so no row could be audited as the table's own split. A table of
/// part of the recipients is audited over those it splits among (`--within` for one county's
/// municipalities, or a population file of those recipients), not with the rest let off.
fn refuse_quotas_over_unlisted(report: &AuditReport, within: bool) -> anyhow::Result<()> {
    let missing: Vec<String> = report
        .findings
        .iter()
        .filter_map(|finding| match &finding.kind {
            FindingKind::MissingRecipient { code, name } => Some(format!("{code} {name}")),
            _ => None,
        })
        .collect();
    let Some(first) = missing.first() else { return Ok(()) };
    let hint = if within {
        "give a population file of the recipients it lists"
    } else {
        "for one county's municipalities pass --within COUNTY; else give a population file of the recipients it lists"
    };
    Err(anyhow!(
        "{}: --allow-missing: the table has no row for {} recipient(s) of the population file (first {first}), and \
         the quotas would be over them too, so no row could be audited as the table's own split; {hint}",
        report.table,
        missing.len()
    ))
}
