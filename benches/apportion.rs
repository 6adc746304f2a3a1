//! The arithmetic core at the sizes fordela is used at: 21 regions, 290 municipalities, 10⁴ and
//! 10⁶ recipients, with totals of 10⁹ to 10¹³ units. Run with `cargo bench --bench apportion`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fordela::core::apportion::{Method, largest_remainder_narrow, narrow_sum};

/// Deterministic, uneven weights (a linear congruential sequence), like populations.
fn weights(count: usize) -> Vec<u64> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            1 + (state >> 40) % 2_000_000
        })
        .collect()
}

fn methods(c: &mut Criterion) {
    let methods = [
        ("largest-remainder", Method::LargestRemainder),
        ("dhondt", Method::DHondt),
        ("sainte-lague", Method::SainteLague),
        ("huntington-hill", Method::HuntingtonHill),
        ("adams", Method::Adams),
    ];
    // 10⁹ to 10¹³ units: with weights up to 2·10⁶, 10¹³ takes the 128-bit path and the
    // others the 64-bit one.
    let totals = [1_000_000_000u128, 100_000_000_000, 10_000_000_000_000];
    for count in [21, 290, 10_000, 1_000_000] {
        let weights = weights(count);
        let mut group = c.benchmark_group(format!("n={count}"));
        if count >= 1_000_000 {
            group.sample_size(10);
        }
        for &total in &totals {
            for (name, method) in methods {
                group.bench_with_input(BenchmarkId::new(name, format!("total={total:e}")), &total, |b, &total| {
                    b.iter(|| method.apportion(black_box(total), black_box(&weights)).unwrap());
                });
            }
        }
        group.finish();
    }
}

/// Largest remainder in 64-bit units, as `allocate` splits an area whose amount times every
/// key value fits in 64 bits (here 10⁹ and 10¹¹ units; 10¹³ times 2·10⁶ does not fit).
fn narrow(c: &mut Criterion) {
    for count in [21, 290, 10_000, 1_000_000] {
        let weights = weights(count);
        let mut group = c.benchmark_group(format!("n={count}"));
        if count >= 1_000_000 {
            group.sample_size(10);
        }
        for total in [1_000_000_000u64, 100_000_000_000] {
            let sum = narrow_sum(u128::from(total), &weights).expect("fits 64 bits");
            group.bench_with_input(
                BenchmarkId::new("largest-remainder-64-bit", format!("total={total:e}")),
                &total,
                |b, &total| b.iter(|| largest_remainder_narrow(black_box(total), black_box(&weights), sum).unwrap()),
            );
        }
        group.finish();
    }
}

criterion_group!(benches, methods, narrow);
criterion_main!(benches);
