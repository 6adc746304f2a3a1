use super::*;
use crate::commands::follow_up::outcome::{read_outcome, read_outcome_in};
use crate::core::agreement::parse_agreement;
use crate::core::proposal::parse_proposal;
use crate::io::csvin::Stretches;
use crate::io::input::Input;
use proptest::prelude::*;
use std::fmt::Write as _;

/// The follow-up of every row, as the command runs it without `--from`.
fn follow_up(
    plan: &Proposal,
    unit: Unit,
    agreement: &Agreement,
    outcome: &Outcome,
    options: &Options,
) -> Result<FollowUpReport, FollowUpError> {
    follow_up_from(plan, unit, agreement, outcome, options, None)
}

const AGREEMENT: &str = "name = \"T\"\nunit = \"kr\"\ntotal = 1000\npopulation_date = 2020-12-31\n\
                         [[areas]]\nid = \"a\"\nname = \"Area A\"\nregions = 600\n\
                         [[areas]]\nid = \"b\"\nname = \"Area B\"\nregions = 400\n";

fn agreement() -> Agreement {
    parse_agreement(&Input::from_text("t.toml", AGREEMENT)).unwrap()
}

fn run(plan: &str, outcome: &str, options: &Options) -> Result<FollowUpReport, FollowUpError> {
    let plan = parse_proposal(&Input::from_text("plan.csv", plan)).unwrap();
    let outcome = read_outcome(&Input::from_text("utfall.csv", outcome), None).unwrap();
    follow_up(&plan, Unit::Tkr, &agreement(), &outcome, options)
}

const PLAN: &str = "område;insats;belopp\na;X;10\na;Y;5,5\nb;Z;4\n";

fn ids(report: &FollowUpReport) -> Vec<(&'static str, Severity)> {
    report.findings.iter().map(|finding| (finding.kind.id(), finding.severity)).collect()
}

#[test]
fn kronor_against_a_plan_in_tkr_are_kept_to_the_krona() {
    // X: 10 tkr budget, 4 000 + 6 500,50 kr = 10,5005 tkr: 0,5005 tkr over, with a decision.
    let outcome = "insats;belopp;beslut\nX;4000;\nX;6500,50;RS 1\nY;5500;\nZ;3999;\n";
    let report = run(PLAN, outcome, &Options::default()).unwrap();
    assert_eq!(report.decimals, 4);
    let x = &report.areas[0].interventions[0].figures;
    assert_eq!((x.budget, x.outcome, x.remaining), (Money(100_000), Money(105_005), Money(-5005)));
    assert_eq!(x.share, Some(Share(10_501)));
    assert_eq!(report.areas[0].figures.outcome, Money(160_005));
    assert_eq!(report.total.remaining, Money(195_000 - 199_995));
    assert_eq!(
        ids(&report),
        [("over-budget-decided", Severity::Note), ("area-over", Severity::Error), ("area-unspent", Severity::Warning),]
    );
    assert_eq!(report.show(report.total.remaining, NumberStyle::SWEDISH), "-0,4995");
}

#[test]
fn each_row_finds_its_intervention_or_a_finding() {
    let outcome = "insats;belopp;område\nx ;1000;\nYY;500;a\nZ;500;a\n";
    let report = run(PLAN, outcome, &Options::default()).unwrap();
    assert_eq!(report.unmatched.sum, Money(10));
    let unmatched: Vec<&FindingKind> =
        report.findings.iter().map(|f| &f.kind).filter(|k| k.id() == "outcome-unmatched").collect();
    assert_eq!(unmatched.len(), 2);
    let FindingKind::OutcomeUnmatched { suggestion, .. } = unmatched[0] else { unreachable!() };
    assert_eq!(suggestion.as_deref(), Some("Y"));
}

#[test]
fn a_name_in_two_areas_needs_the_area() {
    let plan = "område;insats;belopp\na;Samverkan;1\nb;Samverkan;2\n";
    let err = run(plan, "insats;belopp\nSamverkan;100\n", &Options::default()).unwrap_err();
    assert!(err.to_string().contains("more than one area of the plan (a, b)"), "{err}");
    let report = run(plan, "insats;belopp;område\nSamverkan;100;Area B\n", &Options::default()).unwrap();
    assert_eq!(report.areas[1].figures.outcome, Money(1));
    let plan = "område;insats;belopp\na;Samverkan;1\na;samverkan ;2\n";
    // One name twice in an area is refused with the plan, before any row is placed.
    let err = run(plan, "insats;belopp\nSamverkan;100\n", &Options::default()).unwrap_err();
    assert!(err.to_string().contains("appears twice in area `a` (first on line 2)"), "{err}");
}

#[test]
fn object_and_period_filters_list_what_they_leave_out() {
    let outcome = "insats;belopp;objekt;datum\nX;1000;9916;2019-03-31\nX;2000;9917;2019-01-01\n\
                   X;3000;9916;2019-04-01\n";
    let options = Options { object: Some("9916".into()), until: Date::new(2019, 3, 31), strict: false };
    let report = run(PLAN, outcome, &options).unwrap();
    assert_eq!(report.total.outcome, Money(10));
    assert_eq!((report.other_object.sum, report.after_period.sum), (Money(20), Money(30)));
    let err = run(PLAN, "insats;belopp;datum\nX;1;\n", &options).unwrap_err();
    assert!(err.to_string().contains("no `objekt`/`object` column"), "{err}");
    let only_until = Options { until: Date::new(2019, 3, 31), ..Options::default() };
    let err = run(PLAN, "insats;belopp;datum\nX;1;\n", &only_until).unwrap_err();
    assert!(err.to_string().contains("line 2: the row has no date"), "{err}");
}

#[test]
fn sum_rows_are_checked_never_added() {
    let report = run(PLAN, "insats;belopp\nX;1000;\nY;500\nTotalt;1500\n", &Options::default()).unwrap();
    assert_eq!(report.total.outcome, Money(15));
    // Subtotals per block, then a grand total: each is checked, none is added.
    let blocks = "insats;belopp\nX;1000\nY;500\nSumma;1500\nZ;200\nSumma;200\nTotalt;1700\n";
    assert_eq!(run(PLAN, blocks, &Options::default()).unwrap().total.outcome, Money(17));
    let err = run(PLAN, "insats;belopp\nX;1000;\nTotalt;1500\n", &Options::default()).unwrap_err();
    assert!(err.to_string().contains("the sum row says 1,5 tkr, but the rows above it add up to 1 tkr"), "{err}");
}

#[test]
fn a_plan_that_does_not_add_up_is_refused() {
    let plan = "område;insats;belopp\na;X;10\na;Totalt;11\n";
    let err = run(plan, "insats;belopp\nX;1\n", &Options::default()).unwrap_err();
    assert!(err.to_string().contains("declares 11 tkr but its interventions add up to 10 tkr"), "{err}");
}

#[test]
fn shares_round_half_away_from_zero() {
    assert_eq!(Share::of(Money(1), Money(3)), Some(Share(3333)));
    assert_eq!(Share::of(Money(2), Money(3)), Some(Share(6667)));
    assert_eq!(Share::of(Money(-1), Money(8)), Some(Share(-1250)));
    assert_eq!(Share::of(Money(1), Money(0)), None);
    assert_eq!(Share(10_417).show(NumberStyle::SWEDISH), "104,17");
}

proptest! {
    /// For any plan and outcome, the columns add up and remaining is budget − outcome.
    #[test]
    fn columns_add_up_and_remaining_is_exact(
        budgets in proptest::collection::vec(0u64..10_000_000, 1..6),
        rows in proptest::collection::vec((0usize..6, -1_000_000i64..100_000_000, 0u32..3), 0..40),
    ) {
        let mut plan = String::from("område;insats;belopp\n");
        for (index, budget) in budgets.iter().enumerate() {
            let area = if index % 2 == 0 { "a" } else { "b" };
            writeln!(plan, "{area};I{index};{},{:03}", budget / 1000, budget % 1000).unwrap();
        }
        let mut outcome = String::from("insats;belopp\n");
        let mut expected = vec![0i128; budgets.len()];
        for (target, ore, _) in &rows {
            let name = if *target < budgets.len() { format!("I{target}") } else { "okänd".to_string() };
            let sign = if *ore < 0 { "-" } else { "" };
            writeln!(outcome, "{name};{sign}{},{:02}", ore.unsigned_abs() / 100, ore.unsigned_abs() % 100).unwrap();
            if *target < budgets.len() {
                expected[*target] += i128::from(*ore);
            }
        }
        let plan = parse_proposal(&Input::from_text("plan.csv", &plan)).unwrap();
        let outcome = read_outcome(&Input::from_text("utfall.csv", &outcome), None).unwrap();
        let report = follow_up(&plan, Unit::Tkr, &agreement(), &outcome, &Options::default()).unwrap();
        // Öre in tkr: 5 decimals.
        prop_assert!(report.decimals <= 5);
        let scale = 10i128.pow(5 - report.decimals);
        let mut total = (Money::ZERO, Money::ZERO, Money::ZERO);
        for area in &report.areas {
            let (mut budget, mut spent, mut left) = (0, 0, 0);
            for line in &area.interventions {
                let f = line.figures;
                prop_assert_eq!(f.remaining.0, f.budget.0 - f.outcome.0);
                let index: usize = line.name[1..].parse().unwrap();
                prop_assert_eq!(f.outcome.0 * scale, expected[index]);
                prop_assert_eq!(f.budget.0 * scale, i128::from(budgets[index]) * 100);
                budget += f.budget.0;
                spent += f.outcome.0;
                left += f.remaining.0;
            }
            prop_assert_eq!((area.figures.budget.0, area.figures.outcome.0, area.figures.remaining.0), (budget, spent, left));
            total = (Money(total.0.0 + budget), Money(total.1.0 + spent), Money(total.2.0 + left));
        }
        prop_assert_eq!((report.total.budget, report.total.outcome, report.total.remaining), total);
        let unmatched: i128 = rows.iter().filter(|(t, _, _)| *t >= budgets.len()).map(|(_, ore, _)| i128::from(*ore)).sum();
        prop_assert_eq!(report.unmatched.sum.0 * scale, unmatched);
    }
}

proptest! {
    /// No row is lost: with any object filter and period cut, every row's amount is counted,
    /// or listed as another object's, a later one's, or unmatched, and the four add up to the
    /// file's total.
    #[test]
    fn every_row_is_counted_or_listed(
        rows in proptest::collection::vec((0usize..4, -100_000i64..1_000_000, 0u8..3, 1u8..13), 0..60),
    ) {
        let mut outcome = String::from("insats;belopp;objekt;datum\n");
        let names = ["X", "Y", "Z", "okänd"];
        for (name, kr, object, month) in &rows {
            writeln!(outcome, "{};{kr};{};2019-{month:02}-15", names[*name], 9915 + u32::from(*object)).unwrap();
        }
        let plan = parse_proposal(&Input::from_text("plan.csv", PLAN)).unwrap();
        let outcome = read_outcome(&Input::from_text("utfall.csv", &outcome), None).unwrap();
        let options = Options { object: Some("9916".into()), until: Date::new(2019, 6, 30), strict: false };
        // Rows of object 9916 dated by 30 June: none, and the filters select nothing, which is
        // refused rather than followed up as nothing spent.
        let selected = rows.iter().filter(|(_, _, object, month)| *object == 1 && *month <= 6).count();
        let report = match follow_up(&plan, Unit::Tkr, &agreement(), &outcome, &options) {
            Err(err) => {
                prop_assert!(selected == 0 && !rows.is_empty(), "{err}");
                let empty = matches!(err, FollowUpError::ObjectSelectsNothing { .. } | FollowUpError::PeriodSelectsNothing { .. });
                prop_assert!(empty, "{err}");
                return Ok(());
            }
            Ok(report) => report,
        };
        prop_assert!(selected > 0 || rows.is_empty());
        let all: i128 = rows.iter().map(|row| i128::from(row.1)).sum();
        let listed = report.other_object.sum.0 + report.after_period.sum.0 + report.unmatched.sum.0;
        // Counts of 10^-decimals tkr, against kronor: 1 kr is 10^decimals / 1000 of them.
        prop_assert_eq!((report.total.outcome.0 + listed) * 1000, all * 10i128.pow(report.decimals));
        let listed_rows = report.other_object.rows.len() + report.after_period.rows.len() + report.unmatched.rows.len();
        let counted: usize = report.areas.iter().flat_map(|area| &area.interventions).map(|line| line.rows.len()).sum();
        prop_assert_eq!(counted + listed_rows, rows.len());
    }
}

proptest! {
    /// A ledger placed in parts side by side (each stretch's rows on its own thread, the sums
    /// added after) gives the report of the rows placed one by one, or the same first error:
    /// the same figures, listed rows, comments, decisions and findings, in file order.
    #[test]
    fn placing_in_parts_is_placing_row_by_row(
        rows in proptest::collection::vec(
            (0usize..5, 0usize..4, -100_000i64..1_000_000, 0usize..2, 1u8..13, 0usize..3, 0usize..3, 0u8..60),
            0..60,
        ),
        parts in 2usize..5,
        filters in (proptest::bool::ANY, proptest::bool::ANY, proptest::bool::ANY, proptest::bool::ANY),
    ) {
        // Y is in both areas: a row naming it and no area is ambiguous, one naming its area is not.
        let plan = "område;insats;belopp\na;X;10\na;Y;5,5\nb;Z;4\nb;Y;2\n";
        let names = ["X", "Y", "Z", "okänd", "y "];
        let areas = ["", "a", "b", "c"];
        let comments = ["", "ok", "Ok"];
        let decisions = ["", "RS 1", "rs 1"];
        let mut outcome = String::from("insats;område;belopp;objekt;datum;kommentar;beslut\n");
        for &(name, area, kr, object, month, comment, decision, odd) in &rows {
            // Now and then a row that is an error under some options: no object, no date, Y
            // with no area.
            let object = match odd { 0 => "", 1 => "-", _ => ["9916", "9915"][object] };
            let date = if odd == 2 { String::new() } else { format!("2019-{month:02}-15") };
            let area = if names[name] == "Y" && odd != 3 && area == 0 { "a" } else { areas[area] };
            writeln!(outcome, "{};{area};{kr};{object};{date};{};{}", names[name], comments[comment], decisions[decision])
                .unwrap();
        }
        let (object, until, from, strict) = filters;
        let options = Options {
            object: object.then(|| "9916".to_string()),
            until: if until { Date::new(2019, 9, 30) } else { None },
            strict,
        };
        let from = if from { Date::new(2019, 3, 1) } else { None };
        let plan = parse_proposal(&Input::from_text("plan.csv", plan)).unwrap();
        let input = Input::from_text("utfall.csv", &outcome);
        let whole = read_outcome_in(&input, None, Stretches::LINE_BY_LINE).unwrap();
        let split = read_outcome_in(&input, None, Stretches::always(parts)).unwrap();
        prop_assert_eq!(whole.parts().len(), 1);
        // Not vacuous: a ledger of a few rows a part is read in parts.
        prop_assert!(rows.len() < 2 * parts || split.parts().len() > 1);
        let run = |outcome: &Outcome| {
            format!("{:?}", follow_up_from(&plan, Unit::Tkr, &agreement(), outcome, &options, from))
        };
        prop_assert_eq!(run(&whole), run(&split), "{} parts of\n{}", split.parts().len(), outcome);
    }
}
