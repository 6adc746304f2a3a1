//! `allocate --within COUNTY` and `allocate --nested`: the agreement split among the regions as
//! usual, then each county's amounts among its municipalities.
//!
//! Both levels use one date: the date the county level uses (the agreement's, its stated
//! substitute, or `--population-date`); the table of municipalities must have figures for it,
//! and every output says which figures each level used.

use crate::commands::allocate::job::MunicipalSplit;
use crate::commands::sources::{
    Computed, RuleOverrides, Sources, absent_municipalities, bundled_population, compute, municipalities_missing_words,
    population_file_or_bundled, rewritten_codes_note,
};
use crate::core::allocation::split_among_municipalities;
use crate::core::population::read_population_rows;
use crate::core::region::RecipientKind;
use anyhow::{Context, anyhow};

/// The bundled table of municipalities, when `--population` names none.
pub const DEFAULT_MUNICIPALITIES: &str = "scb-municipality-population-31dec-2017-2019";

/// The county level (`compute` on the agreement's own population), then the municipalities of
/// one county or of all of them, by population on the county level's date.
pub fn compute_municipal(sources: &Sources, rules: &RuleOverrides, split: &MunicipalSplit) -> anyhow::Result<Computed> {
    // `--population` names the municipalities here; the counties are the agreement's.
    let county_sources = Sources { population: None, ..sources.clone() };
    let counties = compute(&county_sources, rules)?;
    let input = match &sources.population {
        Some(path) => population_file_or_bundled(path, sources.population_sheet.as_deref())?,
        None => bundled_population(DEFAULT_MUNICIPALITIES)?,
    };
    let used = &counties.allocation.population;
    let rows = read_population_rows(&input, used.date, &[])
        .with_context(|| format!("the municipalities must have figures of the date the counties use, {}", used.date))
        .context("invalid population of municipalities")?;
    if let Some(problem) = rows.fewer_recipients_than_other_dates()
        && !sources.allow_missing_regions
    {
        return Err(anyhow!(
            "invalid population of municipalities: {}: {problem} Check the file's dates, or pass --allow-missing if \
             this is intended",
            input.label
        ));
    }
    let population_path = input.path.clone();
    drop(input);
    let mut table = rows.into_table().context("invalid population of municipalities")?;
    if table.kind != RecipientKind::Municipalities {
        return Err(anyhow!(
            "{}: --within and --nested need a table of municipalities (SCB's four-digit codes, such as 2380 \
             Östersund), and this is read as {}",
            table.source,
            match &table.kind {
                RecipientKind::Counties { .. } => "a table of the regions",
                _ => "another list",
            }
        ));
    }
    if let Some(note) = rewritten_codes_note(&table) {
        eprintln!("fordela: note: {note}");
    }
    let within = match split {
        MunicipalSplit::Within(county) => {
            let index = county.resolve(counties.allocation.table())?;
            let code = counties.allocation.region(index).code().to_string();
            // An excluded county gets nothing: a split of nothing would show its municipalities
            // with zeros and notes about a share that is not theirs to divide.
            if !counties.allocation.is_eligible(index) {
                let row = counties.allocation.region(index);
                return Err(anyhow!(
                    "--within {code}: {} ({code}) is not eligible (excluded by the agreement or --exclude), so it \
                     gets nothing from the agreement and there is nothing to split among its municipalities; drop \
                     --within, or the exclusion",
                    row.name()
                ));
            }
            table.retain_codes(|municipality| municipality.starts_with(code.as_str()));
            Some(index)
        }
        MunicipalSplit::Nested => None,
    };
    let missing = absent_municipalities(&counties.loaded.agreement, &table);
    if !missing.is_empty() && !sources.allow_missing_regions {
        return Err(anyhow!("{}: {}", table.source, municipalities_missing_words(&table, &missing)));
    }
    let substitution = used.substitution.clone();
    let allocation = split_among_municipalities(&counties.allocation, table, within, substitution).map_err(|err| {
        anyhow!(err).context(format!("cannot split {} among municipalities", counties.loaded.input.label))
    })?;
    Ok(Computed { loaded: counties.loaded, population_path, population_hash: None, allocation })
}
