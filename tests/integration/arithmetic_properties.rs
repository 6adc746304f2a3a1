//! Property tests of the arithmetic, against facts checked independently of fordela's code.

use fordela::core::agreement::parse_agreement;
use fordela::core::allocation::allocate;
use fordela::core::apportion::largest_remainder;
use fordela::core::population::read_population;
use fordela::io::input::Input;
use proptest::prelude::*;

fn weights() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0u64..10_000_000, 1..40).prop_filter("some weight", |w| w.iter().any(|&x| x > 0))
}

proptest! {
    #[test]
    fn parts_add_up_to_the_total(total in 0u128..10_000_000_000_000, weights in weights()) {
        let result = largest_remainder(total, &weights).unwrap();
        prop_assert_eq!(result.units.iter().sum::<u128>(), total);
    }

    #[test]
    fn each_part_is_floor_or_ceiling_of_its_exact_quota(total in 0u128..10_000_000_000_000, weights in weights()) {
        let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        let result = largest_remainder(total, &weights).unwrap();
        for (units, &weight) in result.units.iter().zip(&weights) {
            // Quota q = total·w/sum; floor ≤ units ≤ ceil  ⇔  units·sum < total·w + sum
            // and units·sum > total·w − sum.
            let scaled = total * u128::from(weight);
            prop_assert!(units * sum < scaled + sum);
            prop_assert!(units * sum + sum > scaled);
        }
    }

    #[test]
    fn more_weight_never_fewer_units(total in 0u128..1_000_000_000, weights in weights()) {
        let result = largest_remainder(total, &weights).unwrap();
        for i in 0..weights.len() {
            for j in 0..weights.len() {
                if weights[i] > weights[j] {
                    prop_assert!(result.units[i] >= result.units[j], "{:?} -> {:?}", weights, result.units);
                }
            }
        }
    }

    #[test]
    fn leftover_units_go_to_the_largest_remainders(total in 0u128..1_000_000, weights in weights()) {
        let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        let result = largest_remainder(total, &weights).unwrap();
        let got_extra = |i: usize| result.units[i] * sum > total * u128::from(weights[i]);
        let remainder = |i: usize| (total * u128::from(weights[i])) % sum;
        for winner in (0..weights.len()).filter(|&i| got_extra(i)) {
            for loser in (0..weights.len()).filter(|&i| !got_extra(i)) {
                prop_assert!(remainder(winner) >= remainder(loser));
            }
        }
        // A tie is reported exactly when a winner and a loser share the cut-off remainder.
        let contested = (0..weights.len()).any(|w| got_extra(w)
            && (0..weights.len()).any(|l| !got_extra(l) && remainder(l) == remainder(w)));
        prop_assert_eq!(!result.ties.is_empty(), contested);
    }

    #[test]
    fn shuffling_the_population_file_permutes_nothing_but_the_rows(
        populations in prop::collection::vec(0u64..1000, 2..12),
        total in 1u128..100_000,
        seed in any::<u64>(),
    ) {
        prop_assume!(populations.iter().any(|&p| p > 0));
        let rows: Vec<String> = populations
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:02},R{i},2020-12-31,{p}", i + 1))
            .collect();
        let mut shuffled = rows.clone();
        // Deterministic shuffle from the seed (Fisher–Yates with an LCG).
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let j = usize::try_from(state >> 33).unwrap() % (i + 1);
            shuffled.swap(i, j);
        }
        let agreement = parse_agreement(&Input::from_text("a.toml", &format!(
            "name = \"P\"\nunit = \"kr\"\ntotal = {total}\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = {total}\n"
        ))).unwrap();
        let split = |rows: &[String]| {
            let text = format!("code,region,date,population\n{}\n", rows.join("\n"));
            let table = read_population(&Input::from_text("p.csv", &text), "2020-12-31".parse().unwrap()).unwrap();
            let allocation = allocate(agreement.clone(), table, None).unwrap();
            allocation.regions().map(|row| (row.code().to_string(), row.population(), row.amounts().collect::<Vec<_>>())).collect::<Vec<_>>()
        };
        prop_assert_eq!(split(&rows), split(&shuffled));
    }
}

#[test]
fn no_overflow_at_1e13_units_and_1e7_weights() {
    let result = largest_remainder(10_000_000_000_000, &[10_000_000, 9_999_999, 1]).unwrap();
    assert_eq!(result.units.iter().sum::<u128>(), 10_000_000_000_000);
}

mod divisor_methods {
    use fordela::core::apportion::Method;
    use proptest::prelude::*;

    const METHODS: [Method; 4] = [Method::DHondt, Method::SainteLague, Method::HuntingtonHill, Method::Adams];

    /// The textbook procedure, one unit at a time: the next unit goes to the strongest claim
    /// w / s(a), ties to the larger weight, then the lower index. Claims are compared as
    /// fractions by cross-multiplication in f64-free integers (small inputs only).
    fn one_at_a_time(method: Method, total: u128, weights: &[u64]) -> Vec<u128> {
        let mut held = vec![0u128; weights.len()];
        // (numerator, denominator) of the claim; denominator 0 is infinite.
        let claim = |w: u64, a: u128| -> (u128, u128) {
            let w = u128::from(w);
            match method {
                Method::DHondt => (w, a + 1),
                Method::SainteLague => (2 * w, 2 * a + 1),
                Method::HuntingtonHill => (w * w, a * (a + 1)),
                Method::Adams => (w, a),
                Method::LargestRemainder => unreachable!(),
            }
        };
        for _ in 0..total {
            let mut best: Option<usize> = None;
            for i in 0..weights.len() {
                if weights[i] == 0 {
                    continue;
                }
                let Some(b) = best else {
                    best = Some(i);
                    continue;
                };
                let (n1, d1) = claim(weights[i], held[i]);
                let (n2, d2) = claim(weights[b], held[b]);
                let stronger = match (d1 == 0, d2 == 0) {
                    (true, true) => None,
                    (true, false) => Some(true),
                    (false, true) => Some(false),
                    (false, false) if n1 * d2 == n2 * d1 => None,
                    (false, false) => Some(n1 * d2 > n2 * d1),
                };
                let stronger = stronger.unwrap_or(weights[i] > weights[b]);
                if stronger {
                    best = Some(i);
                }
            }
            held[best.unwrap()] += 1;
        }
        held
    }

    fn weights() -> impl Strategy<Value = Vec<u64>> {
        prop::collection::vec(0u64..2_000, 1..12).prop_filter("some weight", |w| w.iter().any(|&x| x > 0))
    }

    proptest! {
        #[test]
        fn same_as_one_unit_at_a_time(total in 0u128..300, weights in weights()) {
            for method in METHODS {
                let fast = method.apportion(total, &weights).unwrap().units;
                prop_assert_eq!(&fast, &one_at_a_time(method, total, &weights), "{:?}", method);
            }
        }

        /// Many recipients with small, often equal weights: the units moved after the jump
        /// are chosen among many claims, ties everywhere.
        #[test]
        fn same_as_one_unit_at_a_time_with_many_ties(
            total in 0u128..500,
            weights in prop::collection::vec(0u64..8, 10..60).prop_filter("some weight", |w| w.iter().any(|&x| x > 0)),
        ) {
            for method in METHODS {
                let fast = method.apportion(total, &weights).unwrap().units;
                prop_assert_eq!(&fast, &one_at_a_time(method, total, &weights), "{:?}", method);
            }
        }

        #[test]
        fn parts_add_up(total in 0u128..10_000_000_000_000, weights in prop::collection::vec(0u64..10_000_000, 1..50)
            .prop_filter("some weight", |w| w.iter().any(|&x| x > 0))) {
            for method in METHODS {
                let units = method.apportion(total, &weights).unwrap().units;
                prop_assert_eq!(units.iter().sum::<u128>(), total, "{:?}", method);
            }
        }

        #[test]
        fn a_larger_total_never_gives_anyone_less(total in 0u128..100_000, weights in weights()) {
            for method in METHODS {
                let before = method.apportion(total, &weights).unwrap().units;
                let after = method.apportion(total + 1, &weights).unwrap().units;
                for (b, a) in before.iter().zip(&after) {
                    prop_assert!(a >= b, "{:?}: {:?} -> {:?}", method, before, after);
                }
            }
        }
    }
}

mod controlled_rounding {
    use fordela::core::apportion::controlled_round;
    use proptest::prelude::*;

    /// A table whose columns add up to whole steps: random cells, the last row topping up.
    fn table(step: u128) -> impl Strategy<Value = Vec<Vec<u128>>> {
        (1usize..6, 1usize..4).prop_flat_map(move |(rows, columns)| {
            prop::collection::vec(prop::collection::vec(0u128..5_000, columns), rows).prop_map(move |mut cells| {
                let filler: Vec<u128> = (0..cells[0].len())
                    .map(|column| {
                        let sum: u128 = cells.iter().map(|row| row[column]).sum();
                        (step - sum % step) % step
                    })
                    .collect();
                cells.push(filler);
                cells
            })
        })
    }

    fn distance(cells: &[Vec<u128>], rounded: &[Vec<u128>], step: u128) -> u128 {
        cells
            .iter()
            .zip(rounded)
            .flat_map(|(row, steps)| row.iter().zip(steps).map(move |(&v, &r)| (r * step).abs_diff(v)))
            .sum()
    }

    proptest! {
        #[test]
        fn cells_columns_rows_and_total_all_hold(cells in table(100)) {
            let step = 100;
            let rounded = controlled_round(&cells, step).unwrap();
            for (row, steps) in cells.iter().zip(&rounded) {
                for (&value, &count) in row.iter().zip(steps) {
                    prop_assert!(count == value / step || count == value / step + 1);
                    prop_assert!(count * step >= value || value - count * step < step);
                }
                let exact: u128 = row.iter().sum();
                let shown: u128 = steps.iter().sum();
                prop_assert!(shown == exact / step || shown == exact.div_ceil(step), "row {} -> {}", exact, shown);
            }
            for column in 0..cells[0].len() {
                let exact: u128 = cells.iter().map(|row| row[column]).sum();
                let shown: u128 = rounded.iter().map(|row| row[column]).sum();
                prop_assert_eq!(shown * step, exact);
            }
        }

        #[test]
        fn no_valid_rounding_is_closer(cells in table(10).prop_filter("small", |c| c.len() * c[0].len() <= 12)) {
            let step = 10;
            let rounded = controlled_round(&cells, step).unwrap();
            // Brute force over every choice of up/down per cell that keeps the constraints.
            let flat: Vec<(usize, usize)> = (0..cells.len())
                .flat_map(|r| (0..cells[0].len()).map(move |c| (r, c)))
                .filter(|&(r, c)| cells[r][c] % step != 0)
                .collect();
            let mut best = u128::MAX;
            for mask in 0u32..(1 << flat.len()) {
                let mut candidate: Vec<Vec<u128>> = cells.iter().map(|row| row.iter().map(|v| v / step).collect()).collect();
                for (bit, &(r, c)) in flat.iter().enumerate() {
                    if mask & (1 << bit) != 0 {
                        candidate[r][c] += 1;
                    }
                }
                let rows_ok = cells.iter().zip(&candidate).all(|(row, steps)| {
                    let exact: u128 = row.iter().sum();
                    let shown: u128 = steps.iter().sum();
                    shown == exact / step || shown == exact.div_ceil(step)
                });
                let columns_ok = (0..cells[0].len()).all(|c| {
                    cells.iter().map(|row| row[c]).sum::<u128>() == candidate.iter().map(|row| row[c]).sum::<u128>() * step
                });
                if rows_ok && columns_ok {
                    best = best.min(distance(&cells, &candidate, step));
                }
            }
            prop_assert_eq!(distance(&cells, &rounded, step), best);
        }
    }
}

mod format_then_parse {
    use fordela::core::amount::{NumberStyle, RoundingUnit, Unit};
    use fordela::io::number::parse_amount;
    use proptest::prelude::*;

    proptest! {
        /// Every amount fordela prints reads back as exactly the same amount, in every unit,
        /// rounding unit and number style.
        #[test]
        fn printed_amounts_read_back_equal(
            count in 0u128..1_000_000_000_000_000,
            rounding in prop::sample::select(vec!["1 kr", "1000 kr", "0,01 kr", "0.1 MSEK"]),
            unit in prop::sample::select(vec![Unit::Kr, Unit::Tkr, Unit::Mkr]),
            style in prop::sample::select(vec![NumberStyle::SWEDISH, NumberStyle::PLAIN, NumberStyle::EXCEL]),
            extra_decimals in 0u32..4,
        ) {
            let rounding = RoundingUnit::parse(rounding).unwrap();
            let scaled = rounding.scaled(count, unit);
            let text = scaled.format(scaled.needed_decimals() + extra_decimals, style);
            let parsed = parse_amount(&text).unwrap();
            // Back to a count of rounding units, through the unit: the same count.
            prop_assert_eq!(rounding.count(parsed, unit), Ok(count), "{}", text);
        }

        /// Swedish text with a non-breaking space or a narrow one groups the same way.
        #[test]
        fn any_group_space_reads_the_same(value in 1_000u64..u64::MAX / 2) {
            for separator in [' ', '\u{a0}', '\u{202f}'] {
                let grouped = crate::common::grouped_by(value, separator);
                prop_assert_eq!(parse_amount(&grouped).unwrap(), rust_decimal::Decimal::from(value));
            }
        }
    }
}

mod bounds {
    use fordela::core::agreement::parse_agreement;
    use fordela::core::allocation::allocate;
    use fordela::core::population::read_population;
    use fordela::io::input::Input;
    use proptest::prelude::*;

    proptest! {
        /// Any feasible minimum and maximum: every region within them, the area exact.
        #[test]
        fn bounded_splits_stay_in_bounds_and_add_up(
            populations in prop::collection::vec(0u64..1000, 2..9),
            low in 0u32..50,
            width in 0u32..200,
            fraction in 0u32..=1000,
        ) {
            prop_assume!(populations.iter().any(|&p| p > 0));
            let count = u32::try_from(populations.len()).unwrap();
            let high = low + width;
            // Feasible totals only: at least everyone's minimum, at most what the regions can
            // hold (a region with no population takes only its minimum).
            let zero = u32::try_from(populations.iter().filter(|&&p| p == 0).count()).unwrap();
            let (least, most) = (low * count, high * (count - zero) + low * zero);
            let total = least + (most - least) * fraction / 1000;
            prop_assume!(total > 0);
            let rows: Vec<String> = populations.iter().enumerate()
                .map(|(i, p)| format!("{:03},R{i},2020-12-31,{p}\n", i + 1)).collect();
            let rows = rows.concat();
            let table = read_population(&Input::from_text("p.csv", &format!("code,region,date,population\n{rows}")),
                "2020-12-31".parse().unwrap()).unwrap();
            let agreement = parse_agreement(&Input::from_text("a.toml", &format!(
                "name = \"B\"\nunit = \"kr\"\ntotal = {total}\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = {total}\nminimum = {low}\nmaximum = {high}\n"
            ))).unwrap();
            let allocation = allocate(agreement, table, None).unwrap();
            let column = allocation.column(0).to_vec();
            prop_assert_eq!(column.iter().sum::<u128>(), u128::from(total));
            for &units in &column {
                prop_assert!(units >= u128::from(low) && units <= u128::from(high), "{:?}", column);
            }
        }
    }
}
