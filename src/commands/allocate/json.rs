//! `allocate --format json`: the allocation with agreement metadata, population date, ties and
//! any substitution. Amounts are exact decimal strings in the chosen unit, never floats, and
//! every object that holds amounts says their unit in its own `unit` field: a script reads an
//! amount's unit beside it, not from some other part of the document. The agreement's figures
//! are converted to that unit too; the unit its file is written in is `agreement.file_unit`.

use std::io::{self, Write};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::view::{AllocationView, Note, Row, RowKind};
use super::words::MoneyFormat;
use crate::core::agreement::{Agreement, ExclusionPolicy};
use crate::core::amount::{NumberStyle, Unit};
use crate::core::apportion::Method;
use crate::core::date::Date;
use crate::lang::Lang;

#[derive(Serialize)]
struct Document<'a> {
    fordela_version: &'static str,
    agreement: AgreementView<'a>,
    population: PopulationView<'a>,
    unit: Unit,
    /// Written one by one as they are serialized: a million recipients never sit in memory
    /// as views.
    recipients: Recipients<'a>,
    totals: Totals,
    ties: Vec<TieView<'a>>,
    /// The method each area was split by, in area order.
    methods: Vec<Method>,
    eligibility: Option<EligibilityView>,
    /// Set when amounts were rounded to a coarser step for display (`--round`).
    display_rounding: Option<String>,
    /// Set when the recipients are municipalities taking their counties' amounts (`--within`,
    /// `--nested`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    county_level: Option<CountyLevelView<'a>>,
}

#[derive(Serialize)]
struct CountyLevelView<'a> {
    /// The county population the agreement was split by among the regions.
    population: PopulationView<'a>,
    /// `--within`: the county whose amount is split; `null` for every county (`--nested`).
    within: Option<CountyView<'a>>,
    /// Counties whose municipalities add up to another population than the county table's.
    population_differences: Vec<PopulationDifference<'a>>,
    /// How the municipal level divides each county's amount.
    rule: String,
}

#[derive(Serialize)]
struct CountyView<'a> {
    code: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct PopulationDifference<'a> {
    county: &'a str,
    county_table: u64,
    municipalities: u128,
}

#[derive(Serialize)]
struct EligibilityView {
    excluded: Vec<String>,
    policy: &'static str,
    reason: Option<String>,
}

#[derive(Serialize)]
struct AgreementView<'a> {
    name: &'a str,
    source: &'a str,
    reference: Option<&'a str>,
    /// The unit of `total` and of every area's amounts here (the output's unit).
    unit: Unit,
    /// The unit the agreement file writes its amounts in.
    file_unit: Unit,
    rounding_kr: String,
    total: String,
    population_date: Date,
    areas: Vec<AreaView<'a>>,
}

#[derive(Serialize)]
struct AreaView<'a> {
    id: &'a str,
    name: &'a str,
    unit: Unit,
    regions: String,
    other: Pairs<&'a str>,
    key: String,
    base: String,
    minimum: Option<String>,
    maximum: Option<String>,
    /// Set for an area paid per inhabitant: the rate in kr (a plain decimal string).
    #[serde(skip_serializing_if = "Option::is_none")]
    per_capita_kr: Option<String>,
}

#[derive(Serialize)]
struct PopulationView<'a> {
    source: &'a str,
    date_used: Date,
    agreement_date: Date,
    substitution: Option<&'a str>,
    total: u128,
}

#[derive(Serialize)]
struct RecipientView<'a> {
    kind: &'static str,
    eligible: bool,
    code: Option<&'a str>,
    name: &'a str,
    /// The municipality's county code, when the recipients are every county's municipalities.
    #[serde(skip_serializing_if = "Option::is_none")]
    county: Option<&'a str>,
    population: Option<u64>,
    /// Exact share as a fraction `population / total`.
    share_fraction: Option<String>,
    share_percent: Option<String>,
    unit: Unit,
    amounts: Pairs<&'a str>,
    total: String,
}

#[derive(Serialize)]
struct Totals {
    unit: Unit,
    areas: Pairs<String>,
    total: String,
}

#[derive(Serialize)]
struct TieView<'a> {
    area: &'a str,
    tied: &'a [String],
    winners: &'a [String],
    rule: &'static str,
}

/// The regions, then the set-aside recipients (the total row is `totals`).
struct Recipients<'a> {
    view: &'a AllocationView<'a>,
    money: &'a MoneyFormat,
    unit: Unit,
    area_ids: &'a [&'a str],
}

impl Recipients<'_> {
    fn amounts(&self, values: impl Iterator<Item = u128>) -> Pairs<&str> {
        Pairs(self.area_ids.iter().copied().zip(values.map(|units| self.money.show(units))).collect())
    }
}

impl Serialize for Recipients<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let view = self.view;
        let population_total = view.population().total;
        let mut sequence = serializer.serialize_seq(Some(view.row_count() - 1))?;
        for Row { kind, amounts } in view.rows() {
            let recipient = match kind {
                RowKind::Region { index, code, name, population, share_millionths, eligible } => RecipientView {
                    kind: "region",
                    eligible,
                    code: Some(code),
                    name,
                    county: view.county_of(index),
                    population: Some(population),
                    share_fraction: Some(format!("{population}/{population_total}")),
                    share_percent: Some(super::words::percent(share_millionths, NumberStyle::PLAIN)),
                    unit: self.unit,
                    amounts: self.amounts(amounts.iter()),
                    total: self.money.show(amounts.total()),
                },
                RowKind::SetAside { .. } | RowKind::Withheld => RecipientView {
                    kind: "set-aside",
                    eligible: true,
                    code: None,
                    name: kind.name(),
                    county: None,
                    population: None,
                    share_fraction: None,
                    share_percent: None,
                    unit: self.unit,
                    amounts: self.amounts(amounts.iter()),
                    total: self.money.show(amounts.total()),
                },
                RowKind::Total { .. } => continue,
            };
            sequence.serialize_element(&recipient)?;
        }
        sequence.end()
    }
}

/// Key–value pairs that serialize as a JSON object in their own order (area order).
struct Pairs<K>(Vec<(K, String)>);

impl<K: Serialize> Serialize for Pairs<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

pub fn write(view: &AllocationView<'_>, unit: Unit, out: &mut dyn Write) -> io::Result<()> {
    let money = MoneyFormat::new(view, unit, NumberStyle::PLAIN);
    let agreement = view.agreement();
    let area_ids: Vec<&str> = agreement.areas.iter().map(|area| area.id.as_str()).collect();
    let recipients = Recipients { view, money: &money, unit, area_ids: &area_ids };
    let population = view.population();
    let total = view.total().amounts;
    let mut document = Document {
        fordela_version: env!("CARGO_PKG_VERSION"),
        agreement: agreement_view(agreement, &money, unit),
        population: PopulationView {
            source: &population.source,
            date_used: population.date,
            agreement_date: agreement.population_date,
            substitution: population.substitution.as_deref(),
            total: population.total,
        },
        unit,
        recipients,
        totals: Totals {
            unit,
            areas: Pairs(
                area_ids.iter().map(|id| (*id).to_string()).zip(total.iter().map(|units| money.show(units))).collect(),
            ),
            total: money.show(total.total()),
        },
        ties: Vec::new(),
        methods: view.methods().to_vec(),
        display_rounding: None,
        eligibility: None,
        county_level: None,
    };
    for note in view.notes() {
        match note {
            Note::Rounding { step } => document.display_rounding = Some(super::words::rounding_note(*step, Lang::En)),
            Note::Eligibility { excluded, policy, reason } => {
                document.eligibility = Some(EligibilityView {
                    excluded: excluded.iter().map(ToString::to_string).collect(),
                    policy: match policy {
                        ExclusionPolicy::Redistribute => "redistribute",
                        ExclusionPolicy::Withhold => "withhold",
                    },
                    reason: reason.map(str::to_string),
                });
            }
            Note::Tie(tie) => document.ties.push(TieView {
                area: &tie.area,
                tied: &tie.tied,
                winners: &tie.winners,
                rule: super::words::TIE_RULE,
            }),
            Note::CountyLevel { level, agreement_date } => {
                document.county_level = Some(CountyLevelView {
                    population: PopulationView {
                        source: &level.population.source,
                        date_used: level.population.date,
                        agreement_date: *agreement_date,
                        substitution: level.population.substitution.as_deref(),
                        total: level.population.total,
                    },
                    within: level.within.as_ref().map(|(code, name)| CountyView { code, name }),
                    population_differences: level
                        .differences
                        .iter()
                        .map(|(county, county_table, municipalities)| PopulationDifference {
                            county,
                            county_table: *county_table,
                            municipalities: *municipalities,
                        })
                        .collect(),
                    rule: super::words::county_level_words(level, *agreement_date, Lang::En),
                });
            }
            // The agreement's areas and the population are in the document as data already.
            Note::AreaRule { .. } | Note::Population { .. } => {}
        }
    }
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}

fn agreement_view<'a>(agreement: &'a Agreement, money: &MoneyFormat, unit: Unit) -> AgreementView<'a> {
    AgreementView {
        name: &agreement.name,
        source: &agreement.source,
        reference: agreement.reference.as_deref(),
        unit,
        file_unit: agreement.unit,
        rounding_kr: agreement.rounding.kronor().to_string(),
        total: money.show(agreement.total),
        population_date: agreement.population_date,
        areas: agreement
            .areas
            .iter()
            .map(|area| AreaView {
                id: &area.id,
                name: &area.name,
                unit,
                regions: money.show(area.to_regions),
                other: Pairs(
                    area.set_asides
                        .iter()
                        .map(|set_aside| (set_aside.recipient.as_str(), money.show(set_aside.amount)))
                        .collect(),
                ),
                key: area.key.describe(),
                base: money.show(area.base),
                minimum: area.minimum.map(|units| money.show(units)),
                maximum: area.maximum.map(|units| money.show(units)),
                per_capita_kr: area.per_capita.as_ref().map(|rate| rate.kronor.normalize().to_string()),
            })
            .collect(),
    }
}
