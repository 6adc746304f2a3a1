//! `report -o FILE.xlsx`: the region's report as a workbook, with the content of the HTML
//! report: the agreement and the region's allocation (with the population date used), per
//! area the plan, the outcome and what is left (live `SUM`s and `plan − outcome`), the
//! interventions with their comments and decisions, the rows not counted, the findings (the
//! follow-up's and `check`'s of the plan) and the notes. Swedish labels unless `--lang en`.

use super::compute::RegionReport;
use crate::commands::check::compute::AreaRef;
use crate::commands::follow_up::compute::Money;
use crate::commands::follow_up::xlsx::{findings, follow_up_pairs, interventions, left_out};
use crate::io::input::InputHash;
use crate::lang::Lang;
use crate::output::workbook;
use crate::output::workbook::{Column, Live, Sheet, Value, WorkbookError, audit_pairs, choose, notes_sheet_name};
use rust_decimal::Decimal;

/// The columns of the summary: id, name, allocation, plan, then outcome and remaining.
const PLAN: usize = 3;
const OUTCOME: usize = 4;

pub fn workbook(report: &RegionReport, lang: Lang, inputs: &[InputHash]) -> Result<Vec<u8>, WorkbookError> {
    let follow = &report.follow_up;
    let mut sheets = vec![summary(report, lang), interventions(follow, lang, report.outcome_given)];
    if report.outcome_given {
        sheets.push(left_out(follow, lang));
    }
    sheets.push(all_findings(report, lang));
    sheets.push(notes(report, lang, inputs));
    workbook::write_with_charts(&sheets, &area_chart(report, lang))
}

/// Plan against outcome per area, clustered bars read from the summary's area rows (its first
/// sheet), on a chart sheet of its own; without an outcome there is nothing to set against the
/// plan.
fn area_chart(report: &RegionReport, lang: Lang) -> Vec<workbook::ChartSheet> {
    if !report.outcome_given || report.allocation.is_empty() {
        return Vec::new();
    }
    let unit = report.follow_up.unit;
    vec![workbook::ChartSheet {
        name: lang.pick("Diagram", "Chart").to_string(),
        title: choose(
            lang,
            format!("Plan och utfall per utvecklingsområde ({unit})"),
            format!("Plan and outcome per development area ({unit})"),
        ),
        sheet: 0,
        rows: (0..report.allocation.len()).collect(),
        // The areas' names.
        categories: 1,
        series: vec![PLAN, OUTCOME],
    }]
}

fn money(report: &RegionReport, amount: Money) -> Value {
    Value::Number(Decimal::try_from_i128_with_scale(amount.0, report.follow_up.decimals).unwrap_or(Decimal::MAX))
}

/// Per area: the allocation, the plan, the outcome and what is left; a total row of `SUM`s.
fn summary(report: &RegionReport, lang: Lang) -> Sheet {
    let follow = &report.follow_up;
    let unit = follow.unit;
    let outcome = report.outcome_given;
    let allocation_decimals =
        report.allocation.iter().map(|area| area.allocation.normalize().scale()).max().unwrap_or(0);
    let mut columns = vec![
        Column::text(lang.pick("Område", "Area")),
        Column::text(lang.pick("Utvecklingsområde", "Development area")),
        Column::money(format!("{} ({unit})", lang.pick("Tilldelning", "Allocation")), allocation_decimals),
        Column::money(format!("Plan ({unit})"), follow.decimals),
    ];
    if outcome {
        columns.push(Column::money(format!("{} ({unit})", lang.pick("Utfall", "Outcome")), follow.decimals));
        columns.push(Column::money(format!("{} ({unit})", lang.pick("Kvar", "Remaining")), follow.decimals));
    }
    let rows = report
        .allocation
        .iter()
        .map(|area| {
            let line = follow.areas.iter().find(|line| line.id == area.id);
            let mut row = vec![
                Value::text(&area.id),
                Value::text(&area.name),
                Value::Number(area.allocation),
                line.map_or(Value::Empty, |line| money(report, line.figures.budget)),
            ];
            if outcome {
                row.push(line.map_or(Value::Empty, |line| money(report, line.figures.outcome)));
                row.push(line.map_or(Value::Empty, |line| match money(report, line.figures.remaining) {
                    Value::Number(value) => Value::Live(Live::Difference { minuend: PLAN, subtrahend: OUTCOME }, value),
                    other => other,
                }));
            }
            row
        })
        .collect();
    let mut total = vec![
        Value::text(lang.pick("Totalt", "Total")),
        Value::Empty,
        Value::Number(report.allocation_total),
        money(report, follow.total.budget),
    ];
    if outcome {
        total.push(money(report, follow.total.outcome));
        total.push(money(report, follow.total.remaining));
    }
    let population = &report.population;
    let mut title = vec![
        choose(
            lang,
            format!("Redovisning {} – {} ({})", report.agreement, report.region_name, report.region_code),
            format!("Report {} – {} ({})", report.agreement, report.region_name, report.region_code),
        ),
        choose(
            lang,
            format!("Fördelat efter befolkningen den {} ({}); belopp i {unit}", population.date, population.source),
            format!("Divided by the population on {} ({}); amounts in {unit}", population.date, population.source),
        ),
    ];
    if let Some(reason) = &population.substitution {
        title.push(choose(
            lang,
            format!("I stället för överenskommelsens datum {}: {reason}", report.agreement_population_date),
            format!("Instead of the agreement's date {}: {reason}", report.agreement_population_date),
        ));
    }
    if let Some(reference) = &report.reference {
        title.push(format!("{}: {reference}", lang.pick("Källa", "Source")));
    }
    Sheet {
        name: lang.pick("Redovisning", "Report").to_string(),
        title,
        columns,
        rows,
        total: Some(total),
        footer: vec![if outcome {
            choose(
                lang,
                "Totalt är SUMMA av områdena; Kvar = plan − utfall. Insatserna: se bladet Uppföljning.".to_string(),
                "Total is the SUM of the areas; Remaining = plan − outcome. The interventions: see the sheet Follow-up."
                    .to_string(),
            )
        } else {
            choose(
                lang,
                "Totalt är SUMMA av områdena. Inget utfall angivet: rapporten visar planen. Insatserna: se bladet \
                 Uppföljning."
                    .to_string(),
                "Total is the SUM of the areas. No outcome given: the report shows the plan. The interventions: see the \
                 sheet Follow-up."
                    .to_string(),
            )
        }],
    }
}

/// The follow-up's findings, then what `check` finds in the plan against the allocation.
fn all_findings(report: &RegionReport, lang: Lang) -> Sheet {
    let follow = &report.follow_up;
    let mut sheet = findings(follow, lang);
    let first = sheet.rows.len();
    for (offset, finding) in report.plan_findings.iter().enumerate() {
        let area = match &finding.area {
            AreaRef::Area(id) => id.clone(),
            AreaRef::Total => lang.pick("Totalt", "Total").to_string(),
        };
        sheet.rows.push(vec![
            Value::Number(Decimal::from(first + offset + 1)),
            Value::text(finding.kind.id()),
            Value::text(finding.severity.word(lang)),
            Value::Text(area),
            finding.line.map_or(Value::Empty, |line| {
                Value::Text(format!("{} {} {line}", lang.pick("planens", "plan"), report.plan_lines.word(lang)))
            }),
            Value::Text(format!(
                "{}: {}",
                lang.pick("Planen mot tilldelningen", "The plan against the allocation"),
                report.plan_lines.reword(&crate::commands::check::report::message(finding, follow.unit, lang))
            )),
        ]);
    }
    if report.plan_findings.is_empty() {
        sheet.footer.push(
            lang.pick(
                "Planen summerar rätt och stämmer med tilldelningen (fordela check: inga fynd).",
                "The plan adds up and matches the allocation (fordela check: no findings).",
            )
            .to_string(),
        );
    } else {
        sheet.footer.clear();
    }
    sheet
}

fn notes(report: &RegionReport, lang: Lang, inputs: &[InputHash]) -> Sheet {
    let population = &report.population;
    let mut pairs = vec![
        (lang.pick("Överenskommelse", "Agreement").to_string(), report.agreement.clone()),
        (
            lang.pick("Källa", "Source").to_string(),
            report
                .reference
                .clone()
                .unwrap_or_else(|| lang.pick("(anges inte i filen)", "(not named in the file)").into()),
        ),
        (lang.pick("Region", "Region").to_string(), format!("{} {}", report.region_code, report.region_name)),
        (lang.pick("Befolkning, fil", "Population file").to_string(), population.source.clone()),
        (lang.pick("Befolkning, datum som använts", "Population date used").to_string(), population.date.to_string()),
        (
            lang.pick("Överenskommelsens befolkningsdatum", "Agreement's population date").to_string(),
            report.agreement_population_date.to_string(),
        ),
        (
            lang.pick("Annat datum och skäl", "Substitution and reason").to_string(),
            population.substitution.clone().unwrap_or_else(|| lang.pick("ingen", "none").into()),
        ),
    ];
    pairs.extend(follow_up_pairs(&report.follow_up, lang));
    pairs.extend(audit_pairs(inputs, lang));
    Sheet::pairs(
        notes_sheet_name(lang),
        lang.pick("Underlag för redovisningen", "How the report was made").into(),
        lang,
        pairs,
    )
}
