//! `allocate --format json`: the allocation with agreement metadata, population date, ties and
//! any substitution. Amounts are exact decimal strings in the chosen unit, never floats, and
//! every object that holds amounts says their unit in its own `unit` field: a script reads an
//! amount's unit beside it, not from some other part of the document. The agreement's figures
//! are converted to that unit too; the unit its file is written in is `agreement.file_unit`.

use std::io::{self, Write};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::MoneyFormat;
use crate::agreement::{Agreement, ExclusionPolicy};
use crate::allocation::Allocation;
use crate::amount::{NumberStyle, Unit};
use crate::apportion::Method;
use crate::date::Date;

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

/// The regions, then the set-aside recipients.
struct Recipients<'a> {
    allocation: &'a Allocation,
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
        let allocation = self.allocation;
        let mut sequence = serializer.serialize_seq(Some(allocation.region_count() + allocation.set_asides.len()))?;
        for row in allocation.regions() {
            sequence.serialize_element(&RecipientView {
                kind: "region",
                eligible: allocation.is_eligible(row.index()),
                code: Some(row.code()),
                name: row.name(),
                population: Some(row.population()),
                share_fraction: Some(format!("{}/{}", row.population(), allocation.population.total)),
                share_percent: Some(super::percent(row.share_millionths(), NumberStyle::PLAIN)),
                unit: self.unit,
                amounts: self.amounts(row.amounts()),
                total: self.money.show(row.total()),
            })?;
        }
        for row in &allocation.set_asides {
            sequence.serialize_element(&RecipientView {
                kind: "set-aside",
                eligible: true,
                code: None,
                name: &row.recipient,
                population: None,
                share_fraction: None,
                share_percent: None,
                unit: self.unit,
                amounts: self.amounts(row.amounts.iter().copied()),
                total: self.money.show(row.total),
            })?;
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

pub fn write(allocation: &Allocation, unit: Unit, out: &mut dyn Write) -> io::Result<()> {
    let money = MoneyFormat::new(allocation, unit, NumberStyle::PLAIN);
    let agreement = &allocation.agreement;
    let area_ids: Vec<&str> = agreement.areas.iter().map(|area| area.id.as_str()).collect();
    let recipients = Recipients { allocation, money: &money, unit, area_ids: &area_ids };
    let document = Document {
        fordela_version: env!("CARGO_PKG_VERSION"),
        agreement: agreement_view(agreement, &money, unit),
        population: PopulationView {
            source: &allocation.population.source,
            date_used: allocation.population.date,
            agreement_date: agreement.population_date,
            substitution: allocation.population.substitution.as_deref(),
            total: allocation.population.total,
        },
        unit,
        recipients,
        totals: Totals {
            unit,
            areas: Pairs(
                (0..area_ids.len())
                    .map(|index| (area_ids[index].to_string(), money.show(allocation.area_sum(index))))
                    .collect(),
            ),
            total: money.show(allocation.grand_total()),
        },
        ties: allocation
            .ties
            .iter()
            .map(|tie| TieView { area: &tie.area, tied: &tie.tied, winners: &tie.winners, rule: super::TIE_RULE })
            .collect(),
        methods: allocation.methods.clone(),
        display_rounding: allocation.display_step.map(super::rounding_note),
        eligibility: allocation.agreement.eligibility.as_ref().map(|eligibility| EligibilityView {
            excluded: allocation.excluded_codes().into_iter().map(str::to_string).collect(),
            policy: match eligibility.policy {
                ExclusionPolicy::Redistribute => "redistribute",
                ExclusionPolicy::Withhold => "withhold",
            },
            reason: eligibility.reason.clone(),
        }),
    };
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
                regions: money.show(area.regions),
                other: Pairs(
                    area.other
                        .iter()
                        .map(|set_aside| (set_aside.recipient.as_str(), money.show(set_aside.amount)))
                        .collect(),
                ),
                key: area.key.describe(),
                base: money.show(area.base),
                minimum: area.minimum.map(|units| money.show(units)),
                maximum: area.maximum.map(|units| money.show(units)),
            })
            .collect(),
    }
}
