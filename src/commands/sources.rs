//! What several commands share: where the agreement and the population come from, the rule
//! overrides, a region named by a flag or a plan, and the allocation they make together.

use crate::core::agreement::{Agreement, Eligibility, ExclusionOrigin, ExclusionPolicy, TiePolicy, parse_agreement};
use crate::core::allocation::{Allocation, AllocationError, allocate_with, population_date};
use crate::core::apportion::Method;
use crate::core::date::Date;
use crate::core::municipality::{Municipality, Scope, missing_municipalities, municipalities};
use crate::core::population::lookup::RegionError;
use crate::core::population::{PopulationTable, read_population_rows};
use crate::core::region::County;
use crate::io::bundled;
use crate::io::error::InputError;
use crate::io::input::{Input, InputHash};
use anyhow::{Context, anyhow};
use clap::Args;
use std::path::{Path, PathBuf};

/// An agreement and the input it came from.
pub struct LoadedAgreement {
    pub input: Input,
    pub agreement: Agreement,
    /// Set when the agreement is one of the bundled ones.
    pub bundled_path: Option<&'static str>,
}

/// `arg` is a path to a TOML file, `-`, or a bundled id; `None` is the bundled default. The
/// command line's `rules` take the place of the agreement's own as it is built.
pub fn load_agreement(arg: Option<&str>, rules: &RuleOverrides) -> anyhow::Result<LoadedAgreement> {
    let arg = arg.unwrap_or(bundled::DEFAULT_AGREEMENT);
    let path = Path::new(arg);
    let is_file = arg == "-"
        || path.exists()
        || Path::new(arg).extension().is_some_and(|ext| ext.eq_ignore_ascii_case("toml"))
        || arg.contains(['/', '\\']);
    let (input, bundled_path) = if is_file {
        (Input::read(path).context("reading agreement")?, None)
    } else {
        let file = bundled::agreement(arg).ok_or_else(|| {
            let known: Vec<&str> = bundled::AGREEMENTS.iter().map(|file| file.id).collect();
            anyhow!("no agreement file `{arg}` and no bundled agreement of that id (bundled: {})", known.join(", "))
        })?;
        (Input::from_text(&format!("bundled:{}", file.path), file.text), Some(file.path))
    };
    let agreement = rules.applied_to(parse_agreement(&input).context("invalid agreement")?);
    Ok(LoadedAgreement { input, agreement, bundled_path })
}

/// The population input: `--population` (a file, or a bundled table's id), else the
/// agreement's `population`, else the bundled county table.
pub fn population_input(loaded: &LoadedAgreement, chosen: Option<&Path>) -> anyhow::Result<Input> {
    population_input_sheet(loaded, chosen, None)
}

/// As `population_input`; a workbook is read at `sheet` (`--population-sheet`), else at its
/// first sheet.
pub fn population_input_sheet(
    loaded: &LoadedAgreement,
    chosen: Option<&Path>,
    sheet: Option<&str>,
) -> anyhow::Result<Input> {
    if let Some(path) = chosen {
        return population_file_or_bundled(path, sheet);
    }
    let Some(relative) = &loaded.agreement.population else {
        refuse_sheet_of_bundled(sheet)?;
        return bundled_population(bundled::DEFAULT_POPULATION);
    };
    if let Some(base) = loaded.bundled_path {
        refuse_sheet_of_bundled(sheet)?;
        let path = bundled::resolve(base, relative);
        let file = bundled::population(&path)
            .ok_or_else(|| anyhow!("bundled agreement names population `{relative}`, which is not bundled"))?;
        return bundled_population(file.id);
    }
    let base = loaded.input.path.as_deref().and_then(Path::parent).unwrap_or(Path::new("."));
    // A bundled table's id (`population = "scb-county-population-31dec-2010-2020"`), unless a
    // file of that name is beside the agreement.
    if !relative.contains(['/', '\\']) && !base.join(relative).exists() {
        if let Some(file) = bundled::population(relative) {
            refuse_sheet_of_bundled(sheet)?;
            return bundled_population(file.id);
        }
    }
    read_table(&base.join(relative), sheet)
        .with_context(|| format!("reading population `{relative}` named by {}", loaded.input.label))
}

/// `path` as a file; or, when no such file exists and it is written as a bare name, the bundled
/// table of that id (`scb-municipality-population-31dec-2017-2019`). A file of that name wins:
/// what is on disk is what the user sees.
pub fn population_file_or_bundled(path: &Path, sheet: Option<&str>) -> anyhow::Result<Input> {
    let text = path.to_string_lossy();
    let bare = !text.contains(['/', '\\']) && text != "-";
    if bare && !path.exists() {
        if let Some(file) = bundled::population(&text) {
            refuse_sheet_of_bundled(sheet)?;
            return bundled_population(file.id);
        }
    }
    read_table(path, sheet).context("reading population")
}

fn refuse_sheet_of_bundled(sheet: Option<&str>) -> anyhow::Result<()> {
    match sheet {
        Some(sheet) => Err(anyhow!(
            "--population-sheet `{sheet}` names a sheet, but the population is fordela's bundled table: give the \
             workbook with --population"
        )),
        None => Ok(()),
    }
}

/// A table file (population, plan): CSV in UTF-8 or Windows-1252, or a workbook's sheet;
/// how it was decoded, when not as UTF-8, is noted on stderr.
pub fn read_table(path: &Path, sheet: Option<&str>) -> anyhow::Result<Input> {
    let input = Input::read_table(path, sheet)?;
    if let Some(note) = input.note() {
        eprintln!("fordela: note: {note}");
    }
    Ok(input)
}

/// A bundled population table by id; an unknown id is an error, never another table.
pub(super) fn bundled_population(id: &str) -> anyhow::Result<Input> {
    let file = bundled::population(id).ok_or_else(|| anyhow!("no bundled population table `{id}`"))?;
    Ok(Input::from_text(&format!("bundled:{}", file.path), file.text))
}

/// Everything an allocation was computed from.
pub struct Computed {
    pub loaded: LoadedAgreement,
    /// The population file on disk, if any (its text is dropped once parsed).
    pub population_path: Option<PathBuf>,
    /// SHA-256 of the population file, when the sources ask for it (`explain`).
    pub population_hash: Option<String>,
    pub allocation: Allocation,
}

/// Loads the agreement and its population and splits it: the common start of `allocate`,
/// `check` and `explain`.
pub fn compute(sources: &Sources, rules: &RuleOverrides) -> anyhow::Result<Computed> {
    let loaded = load_agreement(sources.agreement.as_deref(), rules)?;
    let population_file =
        population_input_sheet(&loaded, sources.population.as_deref(), sources.population_sheet.as_deref())?;
    let (date, mut substitution) = population_date(&loaded.agreement, sources.population_date);
    let year_words = sources.population_date_from_year.then(|| year_end_words(date));
    if year_words.is_some() {
        if let Some(reason) = &mut substitution {
            *reason = format!("{reason} {}", date.year_written());
        }
    }
    let keys: Vec<&str> = loaded.agreement.areas.iter().flat_map(|area| area.key.columns()).collect();
    let rows = read_population_rows(&population_file, date, &keys)
        .map_err(|err| match &year_words {
            Some(words) => anyhow!(err).context(words.clone()),
            None => anyhow!(err),
        })
        .context("invalid population")?;
    if let Some(words) = &year_words {
        eprintln!("fordela: note: {words}");
    }
    if let Some(problem) = rows.fewer_recipients_than_other_dates()
        && !sources.allow_missing_regions
    {
        return Err(anyhow!(
            "invalid population: {}: {problem} Check the file's dates, or pass --allow-missing-regions if this is \
             intended",
            population_file.label
        ));
    }
    let population_path = population_file.path.clone();
    let population_hash = sources.hash_inputs.then(|| population_file.sha256());
    let label = population_file.label.clone();
    // The file's text is as large as the table made from it: free it before sorting.
    drop(population_file);
    let table = rows.into_table().context("invalid population")?;
    // Excel's dropped zeros, read as the codes they stand for: said, never silent.
    if let Some(note) = rewritten_codes_note(&table) {
        eprintln!("fordela: note: {note}");
    }
    let missing = absent_regions(&loaded.agreement, &table);
    if !missing.is_empty() && !sources.allow_missing_regions {
        let names: Vec<String> = missing.iter().map(|county| format!("{} {}", county.code, county.county)).collect();
        return Err(anyhow!(
            "{}: the regions on {} lack {}; a split among the regions needs all 21 (pass \
             --allow-missing-regions if this is intended)",
            label,
            table.date,
            names.join(", ")
        ));
    }
    let missing = absent_municipalities(&loaded.agreement, &table);
    if !missing.is_empty() && !sources.allow_missing_regions {
        return Err(anyhow!("{label}: {}", municipalities_missing_words(&table, &missing)));
    }
    let allocation = allocate_with(loaded.agreement.clone(), table, substitution, rules.method).map_err(|err| {
        // An unknown excluded region already says where it was named (`--exclude`, or the
        // agreement's line): "cannot split <agreement>" would blame the agreement for a flag.
        if matches!(err, AllocationError::Excluded { .. }) {
            anyhow!(err)
        } else {
            anyhow!(err).context(format!("cannot split {}", loaded.input.label))
        }
    })?;
    Ok(Computed { loaded, population_path, population_hash, allocation })
}

/// What `--population-date YYYY` was read as.
fn year_end_words(date: crate::core::date::Date) -> String {
    format!(
        "--population-date {} is read as {date}, 31 December of that year (SCB's year-end figures)",
        date.year_written()
    )
}

/// The regions missing from a list of Sweden's regions, less those the agreement excludes and
/// whose share goes to the others anyway (a region with no row gets nothing either way).
fn absent_regions(agreement: &Agreement, table: &PopulationTable) -> Vec<&'static County> {
    let eligibility =
        agreement.eligibility.as_ref().filter(|eligibility| eligibility.policy == ExclusionPolicy::Redistribute);
    let Some(eligibility) = eligibility else {
        return crate::core::population::lookup::missing_regions(table);
    };
    // One index for every name: thousands of exclusions in a large table stay linear.
    let index = crate::core::population::lookup::RegionIndex::for_names(table, eligibility.excluded.len());
    let excluded: Vec<&'static County> = eligibility
        .excluded
        .iter()
        .filter_map(|name| match index.resolve(name) {
            Err(RegionError::Absent { county, .. }) => Some(county),
            _ => None,
        })
        .collect();
    crate::core::population::lookup::missing_regions(table)
        .into_iter()
        .filter(|county| !excluded.contains(county))
        .collect()
}

/// The municipalities missing from a list of municipalities (see `missing_municipalities`),
/// less those the agreement excludes by code or name.
pub(super) fn absent_municipalities(agreement: &Agreement, table: &PopulationTable) -> Vec<&'static Municipality> {
    let excluded: Vec<&str> =
        agreement.eligibility.iter().flat_map(|eligibility| &eligibility.excluded).map(String::as_str).collect();
    missing_municipalities(table)
        .1
        .into_iter()
        .filter(|m| !excluded.iter().any(|name| *name == m.code || crate::io::names::same(name, &m.name)))
        .collect()
}

/// Why a list of municipalities is refused: which are missing (the first ones by name), of
/// which list.
pub(super) fn municipalities_missing_words(table: &PopulationTable, missing: &[&Municipality]) -> String {
    const SHOWN: usize = 10;
    let names: Vec<String> = missing.iter().take(SHOWN).map(|m| format!("{} {}", m.code, m.name)).collect();
    let more = if missing.len() > SHOWN { format!(" and {} more", missing.len() - SHOWN) } else { String::new() };
    let whole = match missing_municipalities(table).0 {
        Scope::Sweden => "a split among the municipalities needs all 290".to_string(),
        Scope::County(county) => {
            let count = municipalities().iter().filter(|m| m.county_code() == county).count();
            format!("a split among the municipalities of county {county} needs all {count} of them")
        }
    };
    format!(
        "the municipalities on {} lack {}{more}; {whole} (pass --allow-missing if this is intended)",
        table.date,
        names.join(", ")
    )
}

/// Which codes were read as another writing of themselves (`1` as `01`), in a line.
pub(super) fn rewritten_codes_note(table: &PopulationTable) -> Option<String> {
    const SHOWN: usize = 5;
    let rewrites = &table.rewritten_codes;
    let first = rewrites.first()?;
    let word = table.lines.word(crate::lang::Lang::En);
    let list: Vec<String> = rewrites
        .iter()
        .take(SHOWN)
        .map(|r| format!("`{}` as {} ({} {})", r.written, r.read_as, word, r.line))
        .collect();
    let more = if rewrites.len() > SHOWN { format!(" and {} more", rewrites.len() - SHOWN) } else { String::new() };
    let width = first.read_as.len();
    Some(format!(
        "{}: {} code(s) written without their leading zeros (as Excel saves them) read as the {width}-digit codes \
         of the list: {}{more}",
        table.source,
        rewrites.len(),
        list.join(", ")
    ))
}

/// Each input's label and SHA-256, for a report's audit trail: `inputs` (the plan, the
/// agreement), then the population, which `compute` hashed when the sources asked for it.
#[must_use]
pub fn input_hashes(inputs: &[&Input], allocation: &Allocation, population_hash: Option<String>) -> Vec<InputHash> {
    let mut hashes = crate::io::input::hashes(inputs);
    hashes.push(InputHash { label: allocation.population.source.clone(), sha256: population_hash.unwrap_or_default() });
    hashes
}

/// Paths of the inputs on disk, which `--output` must not overwrite.
#[must_use]
pub fn disk_paths(inputs: &[&Input], others: &[&Option<PathBuf>]) -> Vec<PathBuf> {
    let others = others.iter().filter_map(|path| (*path).clone());
    inputs.iter().filter_map(|input| input.path.clone()).chain(others).collect()
}

/// Where the agreement and its population come from; the default is the bundled agreement and
/// its population.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sources {
    /// A TOML file, `-`, or a bundled id; `None` is the bundled default.
    pub agreement: Option<String>,
    /// `--population`; `None` is the agreement's own, else the bundled county table.
    pub population: Option<PathBuf>,
    /// `--population-date`; `None` is the agreement's date (or its stated substitute).
    pub population_date: Option<Date>,
    /// `--population-date` was a bare year, read as its 31 December (said in a note).
    pub population_date_from_year: bool,
    pub allow_missing_regions: bool,
    /// Whether the inputs' SHA-256 is needed (an audit trail): hashing a large file is not free.
    pub hash_inputs: bool,
    /// `--population-sheet`: the sheet of a population workbook; `None` is its first.
    pub population_sheet: Option<String>,
}

impl Sources {
    pub(crate) fn new(agreement: Option<&str>, population: &PopulationArgs) -> Sources {
        Sources {
            agreement: agreement.map(str::to_string),
            population: population.population.clone(),
            population_date: population.population_date.map(|chosen| chosen.date),
            population_date_from_year: population.population_date.is_some_and(|chosen| chosen.year_only),
            allow_missing_regions: population.allow_missing_regions,
            hash_inputs: false,
            population_sheet: population.population_sheet.clone(),
        }
    }
}

/// The command line's rules over the agreement's own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleOverrides {
    /// One method for every area.
    pub method: Option<Method>,
    pub ties: Option<TiePolicy>,
    /// Regions excluded with `--exclude`, and what happens to their share.
    pub exclusion: Option<Eligibility>,
}

impl RuleOverrides {
    pub(crate) fn new(rules: &RuleArgs) -> RuleOverrides {
        let exclusion = (!rules.exclude.is_empty()).then(|| Eligibility {
            excluded: rules.exclude.iter().map(|name| name.trim().to_string()).collect(),
            policy: rules.exclusion_policy.unwrap_or(ExclusionPolicy::Redistribute),
            reason: Some("excluded with --exclude".to_string()),
            origin: ExclusionOrigin::CommandLine,
        });
        RuleOverrides { method: rules.method, ties: rules.ties, exclusion }
    }

    /// The agreement with these rules in place of its own, built while it is being loaded and
    /// before anything is computed from it. It stays valid: the overrides are the same kinds
    /// of value the agreement file gives (a tie policy, an exclusion list as written), each
    /// already checked by the parser of the flags; the excluded names are checked against the
    /// population table by the split, exactly as the file's own list is. The method override
    /// is not written into the agreement: the split applies it, so that the agreement still
    /// says which method its areas name.
    #[must_use]
    pub fn applied_to(&self, mut agreement: Agreement) -> Agreement {
        if let Some(ties) = self.ties {
            agreement.ties = ties;
        }
        if let Some(exclusion) = &self.exclusion {
            agreement.eligibility = Some(exclusion.clone());
        }
        agreement
    }
}

/// A region named on the command line or in a plan, with where it was named, so that an
/// unknown name is reported against what the user wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionName {
    pub text: String,
    pub named_by: NamedBy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamedBy {
    /// `--region`.
    Flag,
    /// The command's argument (`explain REGION`).
    Argument { command: &'static str },
    /// The plan itself, read from this input.
    Plan { label: String },
}

impl RegionName {
    /// The region's row in `table`; an unknown or ambiguous name is an error that says where
    /// the name came from.
    pub fn resolve(&self, table: &PopulationTable) -> anyhow::Result<usize> {
        let found = crate::core::population::lookup::resolve(&self.text, table);
        match &self.named_by {
            NamedBy::Flag => found.with_context(|| format!("--region `{}`", self.text.trim())),
            NamedBy::Argument { command } => found.with_context(|| format!("{command} `{}`", self.text.trim())),
            NamedBy::Plan { label } => {
                found.map_err(|err| InputError::file(label, err.to_string())).context("invalid plan")
            }
        }
    }
}

/// The names of a plan's region: the plan's own (read from `label`), then `--region`.
pub(crate) fn plan_regions(own: Option<&str>, label: &str, flag: Option<&str>) -> Vec<RegionName> {
    let own =
        own.map(|text| RegionName { text: text.to_string(), named_by: NamedBy::Plan { label: label.to_string() } });
    let flag = flag.map(|text| RegionName { text: text.to_string(), named_by: NamedBy::Flag });
    own.into_iter().chain(flag).collect()
}

/// The region a plan is for, as a row of `table`: each name resolved in turn (the plan's
/// first), and two that name different regions an error.
pub(crate) fn plan_region(regions: &[RegionName], table: &PopulationTable, label: &str) -> anyhow::Result<usize> {
    let found = regions.iter().map(|name| name.resolve(table)).collect::<anyhow::Result<Vec<usize>>>()?;
    match (found.as_slice(), regions) {
        ([own, flag], [own_name, flag_name]) if own != flag => Err(anyhow!(
            "the plan is for region `{}`, but --region says `{}`",
            own_name.text.trim(),
            flag_name.text.trim()
        )),
        // The jobs refuse a plan with no region at all; kept as an error, never a panic.
        ([], _) => Err(anyhow!("{label}: the plan does not say its region")),
        ([index, ..], _) => Ok(*index),
    }
}

/// Overrides of the agreement's allocation rules.
#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    /// Method for every area: largest-remainder, dhondt, sainte-lague, huntington-hill, adams
    #[arg(long, value_name = "METHOD", value_parser = parse_method)]
    pub method: Option<Method>,
    /// `error` makes a tie that decides a unit an error instead of deciding it by rule
    #[arg(long, value_enum, value_name = "POLICY")]
    pub ties: Option<TiePolicy>,
    /// Exclude regions (codes or names, comma-separated): they get nothing
    #[arg(long, value_name = "REGIONS", value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// What happens to excluded regions' share: redistribute (default) or withhold
    #[arg(long, value_enum, value_name = "POLICY", requires = "exclude")]
    pub exclusion_policy: Option<ExclusionPolicy>,
}

fn parse_method(text: &str) -> Result<Method, String> {
    Method::parse(text).ok_or_else(|| format!("unknown method `{text}`, expected one of: {}", Method::NAMES))
}

#[derive(Debug, Args)]
pub struct PopulationArgs {
    /// Population CSV (code,region,date,population), a workbook, or SCB's PX-Web export (a
    /// column per year); default: the agreement's, else SCB's
    /// county table bundled with fordela
    #[arg(long, value_name = "FILE")]
    pub population: Option<PathBuf>,
    /// Use the population of this date instead of the agreement's (shown in every output); a
    /// bare year (2019) means 31 December of that year, the date of SCB's year-end figures
    #[arg(long, value_name = "YYYY-MM-DD|YYYY", value_parser = parse_population_date)]
    pub population_date: Option<PopulationDate>,
    /// Allow a population table of regions that lacks some of Sweden's 21, of municipalities
    /// that lacks some of the 290 (or of its one county's), or that lacks on its date
    /// recipients the file lists on another date (an error otherwise). Also spelt
    /// --allow-missing-regions
    #[arg(long = "allow-missing", visible_alias = "allow-missing-regions")]
    pub allow_missing_regions: bool,
    /// The sheet of a population workbook (.xlsx, .ods, .xls) to read; default the only sheet with cells
    #[arg(long, value_name = "NAME")]
    pub population_sheet: Option<String>,
}

/// A `--population-date` as written: a date, or a year read as its 31 December.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopulationDate {
    pub date: Date,
    /// Written as a bare year (`2019`), so `date` is that year's 31 December.
    pub year_only: bool,
}

fn parse_population_date(text: &str) -> Result<PopulationDate, String> {
    let trimmed = text.trim();
    if trimmed.len() == 4 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let year: u16 = trimmed.parse().map_err(|_| format!("`{trimmed}` is not a year"))?;
        let date = Date::new(year, 12, 31).ok_or_else(|| format!("`{trimmed}` is not a year"))?;
        return Ok(PopulationDate { date, year_only: true });
    }
    let date = trimmed.parse::<Date>().map_err(|err| err.to_string())?;
    Ok(PopulationDate { date, year_only: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_population_date_is_a_date_or_a_year_read_as_its_31_december() {
        let year = parse_population_date("2019").unwrap();
        assert_eq!((year.date.to_string(), year.year_only), ("2019-12-31".to_string(), true));
        let day = parse_population_date("2018-11-01").unwrap();
        assert_eq!((day.date.to_string(), day.year_only), ("2018-11-01".to_string(), false));
        for bad in ["19", "2019-13-01", "twenty", "20190"] {
            assert!(parse_population_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_unknown_bundled_population_is_an_error_not_another_table() {
        assert!(bundled_population(bundled::DEFAULT_POPULATION).is_ok());
        let err = bundled_population("no-such-table").unwrap_err();
        assert_eq!(err.to_string(), "no bundled population table `no-such-table`");
    }
}
