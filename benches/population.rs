//! The population reader, the first half of `allocate`'s time at scale: a synthetic
//! `code,region,date,population` text of 10⁴ to 10⁶ recipients in scrambled code order, read
//! (in stretches side by side), every field checked, sorted by code, laid out and checked for
//! duplicate codes; and a table's regions named by many names at once (`RegionIndex`).
//! Run with `cargo bench --bench population`.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fordela::core::population::lookup::RegionIndex;
use fordela::core::population::read_population;
use fordela::io::input::Input;

/// `count` rows with 7-digit codes in a scrambled order (synthetic, as benches/generate.py).
fn text(count: usize) -> String {
    let mut text = String::from("code,region,date,population\n");
    for index in 0..count {
        let code = 1_000_000 + (index * 7_919) % count;
        let _ = writeln!(text, "{code},Enhet {code},2020-12-31,{}", (code * 7_477) % 99_991 + 1);
    }
    text
}

fn read(c: &mut Criterion) {
    let date = "2020-12-31".parse().unwrap();
    let mut group = c.benchmark_group("read_population");
    group.sample_size(10);
    // Counts coprime to 7 919, so that the codes are a permutation.
    for count in [10_001, 100_001, 1_000_001] {
        let input = Input::from_text("population.csv", &text(count));
        group.bench_with_input(BenchmarkId::from_parameter(count), &input, |b, input| {
            b.iter(|| read_population(black_box(input), date).unwrap());
        });
    }
    group.finish();
}

fn names(c: &mut Criterion) {
    let date = "2020-12-31".parse().unwrap();
    let table = read_population(&Input::from_text("population.csv", &text(100_001)), date).unwrap();
    // Half by code, half by name in capitals, as an agreement's long `excluded` list may be.
    let wanted: Vec<String> = (1_000_000..1_100_001)
        .step_by(10)
        .enumerate()
        .map(|(at, code)| if at % 2 == 0 { code.to_string() } else { format!("ENHET {code}") })
        .collect();
    c.bench_function("region_index/10^4 names in 10^5 rows", |b| {
        b.iter(|| {
            let index = RegionIndex::new(black_box(&table));
            wanted.iter().map(|name| index.resolve(name).unwrap()).sum::<usize>()
        });
    });
}

criterion_group!(benches, read, names);
criterion_main!(benches);
