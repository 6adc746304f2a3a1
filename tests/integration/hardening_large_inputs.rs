//! Files large enough to be read in parallel stretches (over 1 MB) must give exactly what a
//! line-by-line read gives: the same figures, and errors on the same line. The line-by-line
//! read is forced by one quoted field (a quote may hide a line break, so such a file is never
//! split). (The 200 MB file whose memory is measured is in `tests/memory.rs`.) All data here
//! is synthetic.

use crate::common;

use std::fmt::Write as _;

use common::{fordela_in, temp_files};

const AGREEMENT: &str = "name = \"Large input test (synthetic)\"\nunit = \"kr\"\ntotal = 100000000000\n\
    population_date = 2020-12-31\npopulation = \"population.csv\"\n\
    [[areas]]\nid = \"a\"\nregions = 60000000000\n[[areas]]\nid = \"b\"\nregions = 40000000000\n";

/// About 3 MB of rows in a scrambled order, with the things a spreadsheet export holds:
/// CRLF, blank lines, another date's rows, padded and grouped numbers, and a sum row.
fn population(rows: usize) -> (String, u64) {
    let mut text = String::from("Kod;Namn;Datum;Befolkning\r\n");
    let mut total = 0;
    for index in 0..rows {
        // A permutation of 0..rows (rows is odd, 7919 prime and coprime to it).
        let code = 1_000_000 + (index * 7919) % rows;
        let people = (code * 7_477) % 99_991 + 1;
        total += people as u64;
        let people_text =
            if index % 97 == 0 { format!(" {} {:03} ", people / 1000, people % 1000) } else { people.to_string() };
        let _ = write!(text, "{code};Enhet {code};2020-12-31;{people_text}\r\n");
        if index % 1000 == 0 {
            let _ = write!(text, "{code};Enhet {code};2019-12-31;5\r\n\r\n");
        }
    }
    let _ = write!(text, ";Totalt;2020-12-31;{total}\r\n");
    (text, total)
}

fn run(population: &str, args: &[&str]) -> common::Run {
    let dir = temp_files(&[("agreement.toml", AGREEMENT.as_bytes()), ("population.csv", population.as_bytes())]);
    let mut all = vec!["allocate", "agreement.toml"];
    all.extend_from_slice(args);
    fordela_in(dir.path(), &all, None)
}

/// The same file, read line by line: one name quoted (same text once unquoted).
fn unsplittable(text: &str) -> String {
    text.replacen("Enhet 1000000;", "\"Enhet 1000000\";", 1)
}

#[test]
fn a_large_file_gives_the_figures_a_line_by_line_read_gives() {
    let (text, total) = population(120_001);
    assert!(text.len() > 3_000_000);
    let split = run(&text, &["--format", "csv"]);
    let whole = run(&unsplittable(&text), &["--format", "csv"]);
    assert_eq!(split.code, 0, "{}", split.stderr);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert_eq!(split.stdout, whole.stdout);
    let rows = common::csv_rows(&split.stdout);
    assert_eq!(rows.len(), 120_001 + 1);
    // Sorted by code, every code once, and populations as written.
    for (index, row) in rows[1..].iter().enumerate() {
        assert_eq!(row[0], (1_000_000 + index).to_string());
        assert_eq!(row[2], (((1_000_000 + index) * 7_477) % 99_991 + 1).to_string());
    }
    let people: u64 = rows[1..].iter().map(|row| row[2].parse::<u64>().unwrap()).sum();
    assert_eq!(people, total);
    let column = |index: usize| rows[1..].iter().map(|row| row[index].parse::<u128>().unwrap()).sum::<u128>();
    assert_eq!(column(4), 60_000_000_000);
    assert_eq!(column(5), 40_000_000_000);
}

#[test]
fn errors_late_in_a_large_file_name_their_line() {
    let (text, _) = population(120_001);
    let lines: Vec<&str> = text.split("\r\n").collect();
    // Far into the second half, wherever the file is cut.
    let at = lines.len() - 5_000;
    for (bad_line, expected) in [
        ("1234567;X;2020-12-31;12,5", "is not a whole number"),
        ("1234567;X;2020-12-31", "this row has 3 fields, the header has 4"),
        ("1234567;X;2020-13-31;12", "field `date`"),
        (";;2020-12-31;12", "field `code` is empty"),
    ] {
        let mut broken: Vec<&str> = lines.clone();
        broken[at] = bad_line;
        let broken = broken.join("\r\n");
        for file in [broken.clone(), unsplittable(&broken)] {
            let run = run(&file, &[]);
            assert_eq!(run.code, 2, "{bad_line}: {}", run.stderr);
            assert!(run.stderr.contains(&format!("population.csv, line {}:", at + 1)), "{bad_line}: {}", run.stderr);
            assert!(run.stderr.contains(expected), "{bad_line}: {}", run.stderr);
        }
    }
}

#[test]
fn a_duplicate_code_across_the_halves_is_found() {
    let (text, _) = population(120_001);
    let lines: Vec<&str> = text.split("\r\n").collect();
    let first = lines.iter().position(|line| line.starts_with("1000001;")).unwrap();
    let late = lines.len() - 10;
    let mut broken: Vec<String> = lines.iter().map(ToString::to_string).collect();
    // Keeps the replaced row's population, so the sum row still holds.
    let people = broken[late].rsplit(';').next().unwrap().to_string();
    broken[late] = format!("1000001;Dubblett;2020-12-31;{people}");
    let run = run(&broken.join("\r\n"), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let expected =
        format!("line {}: code `1000001` appears twice on 2020-12-31 (first on line {})", late + 1, first + 1);
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
}

#[test]
fn explain_in_a_large_file_counts_the_leftover_independently() {
    let (text, total) = population(120_001);
    let dir = temp_files(&[("agreement.toml", AGREEMENT.as_bytes()), ("population.csv", text.as_bytes())]);
    let run = fordela_in(dir.path(), &["explain", "1000000", "agreement.toml"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Units left after every region's whole part, computed here from the generated figures.
    let floors: u128 = (0..120_001u128)
        .map(|index| 60_000_000_000 * (((1_000_000 + index) * 7_477) % 99_991 + 1) / u128::from(total))
        .sum();
    let leftover = 60_000_000_000 - floors;
    assert!(leftover > 1000, "a large file leaves thousands of units: {leftover}");
    let grouped = leftover
        .to_string()
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|digits| std::str::from_utf8(digits).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(run.stdout.contains(&format!("; {grouped} kr were left over")), "{grouped}: {}", run.stdout);
}

#[test]
fn an_extra_key_column_follows_its_rows_through_the_sort() {
    // 120 001 rows in scrambled order with a `kids` column; one area split by it. Checked
    // against largest remainder computed here, with the tie rule docs/exactness.md states.
    let rows = 120_001usize;
    let kids_of = |code: usize| (code * 31) % 97 + 1;
    let mut text = String::from("code,region,date,population,kids\n");
    for index in 0..rows {
        let code = 1_000_000 + (index * 7919) % rows;
        let _ = writeln!(text, "{code},Enhet {code},2020-12-31,{},{}", code % 1000 + 1, kids_of(code));
    }
    let agreement = "name = \"Kids (synthetic)\"\nunit = \"kr\"\ntotal = 1000000007\npopulation_date = 2020-12-31\n\
        population = \"population.csv\"\n[[areas]]\nid = \"kids\"\nregions = 1000000007\nkey = \"kids\"\n";
    let dir = temp_files(&[("agreement.toml", agreement.as_bytes()), ("population.csv", text.as_bytes())]);
    let split = fordela_in(dir.path(), &["allocate", "agreement.toml", "--format", "csv"], None);
    assert_eq!(split.code, 0, "{}", split.stderr);

    let weights: Vec<u128> = (0..rows).map(|index| kids_of(1_000_000 + index) as u128).collect();
    let sum: u128 = weights.iter().sum();
    let total = 1_000_000_007u128;
    let mut expected: Vec<u128> = weights.iter().map(|w| total * w / sum).collect();
    let mut order: Vec<usize> = (0..rows).collect();
    // Larger remainder, then larger weight, then lower code.
    order.sort_by_key(|&i| (std::cmp::Reverse(total * weights[i] % sum), std::cmp::Reverse(weights[i]), i));
    let left = (total - expected.iter().sum::<u128>()) as usize;
    for &i in &order[..left] {
        expected[i] += 1;
    }
    let rows_out = common::csv_rows(&split.stdout);
    for (index, row) in rows_out[1..].iter().enumerate() {
        assert_eq!(row[0], (1_000_000 + index).to_string());
        assert_eq!(row[4].parse::<u128>().unwrap(), expected[index], "row {index}");
    }
}

/// An agreement excluding thousands of a large table's recipients, by code and by name in
/// another case: each is found (one index of the table, not a pass over it per name).
#[test]
fn thousands_of_exclusions_in_a_large_file_are_each_found() {
    let (text, _) = population(120_001);
    // Every sixth recipient: by code, or by its name in capitals.
    let excluded: Vec<usize> = (1_000_000..1_120_001).step_by(6).collect();
    let names: Vec<String> = excluded
        .iter()
        .enumerate()
        .map(|(at, code)| if at % 2 == 0 { format!("\"{code}\"") } else { format!("\"ENHET {code}\"") })
        .collect();
    let eligibility = format!("[eligibility]\nexcluded = [{}]\npolicy = \"redistribute\"\n", names.join(", "));
    let agreement = AGREEMENT.replacen("[[areas]]", &format!("{eligibility}[[areas]]"), 1);
    let dir = temp_files(&[("agreement.toml", agreement.as_bytes()), ("population.csv", text.as_bytes())]);
    let run = fordela_in(dir.path(), &["allocate", "agreement.toml", "--format", "csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = common::csv_rows(&run.stdout);
    assert_eq!(rows.len(), 120_001 + 1);
    let mut paid_nothing = 0;
    for row in &rows[1..] {
        let code: usize = row[0].parse().unwrap();
        let is_excluded = (code - 1_000_000) % 6 == 0;
        assert_eq!(row[row.len() - 1] == "0", is_excluded, "{row:?}");
        paid_nothing += usize::from(is_excluded);
    }
    assert_eq!(paid_nothing, excluded.len());
}
