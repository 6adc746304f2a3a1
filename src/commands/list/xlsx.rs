//! `list --format xlsx`: the bundled agreements and population tables, one sheet each.

use rust_decimal::Decimal;

use crate::core::amount::Unit;
use crate::lang::Lang;
use crate::output::workbook::{self, Column, Sheet, Value, WorkbookError};

/// One bundled agreement as `list` shows it.
#[derive(Debug, Clone)]
pub struct ListedAgreement {
    pub id: &'static str,
    pub name: String,
    /// The exact total, in `unit`.
    pub total: Decimal,
    pub unit: Unit,
    /// The population date, and the figures used instead, in words.
    pub population_date: String,
}

/// One bundled population table as `list` shows it.
#[derive(Debug, Clone)]
pub struct ListedPopulation {
    pub id: &'static str,
    pub dates: Vec<String>,
    pub recipients: usize,
    pub source: &'static str,
}

pub fn workbook(
    agreements: &[ListedAgreement],
    populations: &[ListedPopulation],
    lang: Lang,
) -> Result<Vec<u8>, WorkbookError> {
    // The totals are in each agreement's own unit: shown with the decimals the finest needs.
    let decimals = agreements.iter().map(|agreement| agreement.total.normalize().scale()).max().unwrap_or(0);
    let agreements = Sheet {
        name: lang.pick("Överenskommelser", "Agreements").to_string(),
        title: vec![lang.pick("Överenskommelser i fordela", "Agreements bundled with fordela").to_string()],
        columns: vec![
            Column::text("Id"),
            Column::text(lang.pick("Namn", "Name")),
            Column::money_unsummed(lang.pick("Totalt", "Total"), decimals),
            Column::text(lang.pick("Enhet", "Unit")),
            Column::text(lang.pick("Befolkningsdatum", "Population date")),
        ],
        rows: agreements
            .iter()
            .map(|agreement| {
                vec![
                    Value::text(agreement.id),
                    Value::text(&agreement.name),
                    Value::Number(agreement.total),
                    Value::text(agreement.unit.label()),
                    Value::text(&agreement.population_date),
                ]
            })
            .collect(),
        total: None,
        footer: Vec::new(),
    };
    let populations = Sheet {
        name: lang.pick("Befolkningstabeller", "Population tables").to_string(),
        title: vec![lang.pick("Befolkningstabeller i fordela", "Population tables bundled with fordela").to_string()],
        columns: vec![
            Column::text("Id"),
            Column::count(lang.pick("Datum", "Dates"), false),
            Column::text(lang.pick("Första", "First")),
            Column::text(lang.pick("Sista", "Last")),
            Column::count(lang.pick("Mottagare", "Recipients"), false),
            Column::text(lang.pick("Källa", "Source")),
        ],
        rows: populations
            .iter()
            .map(|table| {
                let date = |date: Option<&String>| date.map_or(Value::Empty, Value::text);
                vec![
                    Value::text(table.id),
                    Value::Number(Decimal::from(table.dates.len())),
                    date(table.dates.first()),
                    date(table.dates.last()),
                    Value::Number(Decimal::from(table.recipients)),
                    Value::text(table.source),
                ]
            })
            .collect(),
        total: None,
        footer: Vec::new(),
    };
    workbook::write(&[agreements, populations])
}
