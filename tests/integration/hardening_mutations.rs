//! "No silent pass": plans and population files saved the many ways a spreadsheet saves them,
//! and damaged the ways exports get damaged. fordela may refuse any of them (exit 2), but it
//! must never answer "all is well" for a file whose money differs from the original's, and
//! when it does answer, the answer must be the original's.
//!
//! Each case is built from a model (the rows and their exact amounts) and a rendering (the
//! separator, decimal mark, header, code style, unit in the header) plus at most one damage;
//! whether the rendered file still means the same money is decided by the test from the model,
//! independently of fordela.

use crate::common;

use common::{fordela_in, temp_files};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Plans: `check` against a synthetic agreement whose exact split the plan states to the krona.

/// Synthetic agreement: 1 000 000 kr over three regions (a county list needs all 21, so the
/// population file below has all 21 county codes with synthetic populations).
const AGREEMENT: &str = "name = \"Syntetiskt avtal\"\nunit = \"kr\"\ntotal = 1000000\npopulation_date = 2020-12-31\n\
[[areas]]\nid = \"a\"\nregions = 700000\n[[areas]]\nid = \"b\"\nregions = 300000\n";

/// The 21 county codes.
const COUNTIES: [&str; 21] = [
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22", "23",
    "24", "25",
];

/// Synthetic populations, one per county, all different so that no tie decides a krona.
fn populations() -> Vec<u64> {
    (0..21u64).map(|i| 100_000 + i * 7_919 + i * i * 131).collect()
}

/// Largest remainder, independently of fordela: floors, then one unit each to the largest
/// remainders (populations are distinct; ties are not exercised here).
fn largest_remainder(total: u128, weights: &[u64]) -> Vec<u128> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut units: Vec<u128> = weights.iter().map(|&w| total * u128::from(w) / sum).collect();
    let left = total - units.iter().sum::<u128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((total * u128::from(weights[i])) % sum));
    for &i in order.iter().take(left as usize) {
        units[i] += 1;
    }
    units
}

fn population_csv(sep: char, code_style: CodeStyle, header: bool) -> String {
    let mut text = String::new();
    if header {
        text.push_str(&["code", "region", "date", "population"].join(&sep.to_string()));
        text.push('\n');
    }
    for (i, (code, population)) in COUNTIES.iter().zip(populations()).enumerate() {
        let code = code_style.write(code, i);
        text.push_str(
            &[code, format!("Län {i}"), "2020-12-31".to_string(), population.to_string()].join(&sep.to_string()),
        );
        text.push('\n');
    }
    text
}

/// How the county codes are written.
#[derive(Debug, Clone, Copy)]
enum CodeStyle {
    /// `01`, as SCB writes them.
    TwoDigits,
    /// `1`, as Excel saves a column it took for numbers.
    Excel,
    /// Some rows one way, some the other.
    Mixed,
}

impl CodeStyle {
    fn write(self, code: &str, row: usize) -> String {
        let stripped = code.trim_start_matches('0').to_string();
        let excel = match self {
            CodeStyle::TwoDigits => false,
            CodeStyle::Excel => true,
            CodeStyle::Mixed => row % 2 == 0,
        };
        if excel { stripped } else { code.to_string() }
    }
}

/// Jämtland (23) is the 19th county.
const REGION: usize = 18;

/// The plan's model: (area, intervention, amount in öre-free kr as integer hundredths of a
/// tkr, i.e. the amount in tkr times 1 000) — amounts are kept as exact integers of kr and
/// written in tkr with up to three decimals, so that the decimal mark matters.
fn plan_model() -> Vec<(String, String, u128)> {
    let a = largest_remainder(700_000, &populations())[REGION];
    let b = largest_remainder(300_000, &populations())[REGION];
    // Split each area's kr into two interventions whose tkr amounts need decimals.
    vec![
        ("a".into(), "Strategi för nära vård".into(), a / 2 + 3),
        ("a".into(), "Zamsynsdagar".into(), a - (a / 2 + 3)),
        ("b".into(), "Digitala kontaktvägar".into(), b / 3 + 7),
        ("b".into(), "Utökade öppettider".into(), b - (b / 3 + 7)),
    ]
}

/// `kr` written in tkr with a decimal mark (no trailing zeros).
fn tkr(kr: u128, comma: bool) -> String {
    let whole = kr / 1000;
    let fraction = kr % 1000;
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:03}");
    let digits = digits.trim_end_matches('0');
    format!("{whole}{}{digits}", if comma { ',' } else { '.' })
}

#[derive(Debug, Clone)]
struct PlanRendering {
    separator: char,
    decimal_comma: bool,
    quote_amounts: bool,
    /// `None`: no header line; else the amount column's header text.
    header: Option<&'static str>,
    /// The unit the header's text states, if any (`None` for `Belopp`).
    header_unit: Option<&'static str>,
    /// `--unit` on the command line.
    flag_unit: Option<&'static str>,
    crlf: bool,
    damage: PlanDamage,
}

#[derive(Debug, Clone)]
enum PlanDamage {
    None,
    /// A field removed from data row `n` (modulo the rows).
    DropField(usize),
    /// A field appended to data row `n`.
    AddField(usize, &'static str),
    /// A comment column fordela knows, with text in every row: the money is the same.
    CommentColumn,
    /// A column fordela does not know, holding numbers.
    UnknownColumn,
    /// An intervention's amount multiplied by 10 (a digit typed twice).
    TenTimes(usize),
}

fn plan_rendering() -> impl Strategy<Value = PlanRendering> {
    let headers = prop::sample::select(vec![
        (None, None),
        (Some("Belopp"), None),
        (Some("amount"), None),
        (Some("Belopp (tkr)"), Some("tkr")),
        (Some("Amount (TSEK)"), Some("tkr")),
        (Some("tkr"), Some("tkr")),
        (Some("Belopp (mkr)"), Some("mkr")),
        (Some("Amount (MSEK)"), Some("mkr")),
        (Some("Belopp (kr)"), Some("kr")),
    ]);
    let damage = prop_oneof![
        3 => Just(PlanDamage::None),
        1 => (0usize..8).prop_map(PlanDamage::DropField),
        1 => (0usize..8, prop::sample::select(vec!["5", "x", "1,5", "0"])).prop_map(|(n, t)| PlanDamage::AddField(n, t)),
        1 => Just(PlanDamage::CommentColumn),
        1 => Just(PlanDamage::UnknownColumn),
        1 => (0usize..4).prop_map(PlanDamage::TenTimes),
    ];
    (
        prop::sample::select(vec![';', ',', '\t']),
        any::<bool>(),
        any::<bool>(),
        headers,
        prop::sample::select(vec![None, Some("tkr"), Some("mkr"), Some("kr")]),
        any::<bool>(),
        damage,
    )
        .prop_map(|(separator, decimal_comma, quote_amounts, (header, header_unit), flag_unit, crlf, damage)| {
            PlanRendering { separator, decimal_comma, quote_amounts, header, header_unit, flag_unit, crlf, damage }
        })
}

impl PlanRendering {
    fn render(&self) -> String {
        let sep = self.separator.to_string();
        let comment = matches!(self.damage, PlanDamage::CommentColumn);
        let unknown = matches!(self.damage, PlanDamage::UnknownColumn);
        let mut lines: Vec<String> = Vec::new();
        if let Some(amount) = self.header {
            let mut fields = vec!["Område".to_string(), "Insats".to_string(), amount.to_string()];
            if comment {
                fields.push("Kommentar".into());
            }
            if unknown {
                fields.push("Budget 2020".into());
            }
            lines.push(fields.join(&sep));
        }
        for (row, (area, intervention, kr)) in plan_model().iter().enumerate() {
            let kr = match self.damage {
                PlanDamage::TenTimes(n) if n == row => kr * 10,
                _ => *kr,
            };
            let amount = tkr(kr, self.decimal_comma);
            let amount = if self.quote_amounts { format!("\"{amount}\"") } else { amount };
            let mut fields = vec![area.clone(), intervention.clone(), amount];
            if comment {
                fields.push(format!("Beslut RS {row}"));
            }
            if unknown {
                fields.push("12".into());
            }
            match self.damage {
                PlanDamage::DropField(n) if n % 4 == row => {
                    fields.pop();
                }
                PlanDamage::AddField(n, text) if n % 4 == row => fields.push(text.to_string()),
                _ => {}
            }
            lines.push(fields.join(&sep));
        }
        let newline = if self.crlf { "\r\n" } else { "\n" };
        lines.join(newline) + newline
    }

    /// The unit fordela should read the amounts in, when the file and flags determine one.
    fn unit(&self) -> Option<&'static str> {
        match (self.header_unit, self.flag_unit) {
            (Some(header), Some(flag)) if header != flag => None,
            (Some(unit), _) | (None, Some(unit)) => Some(unit),
            (None, None) => None,
        }
    }

    /// Whether the file, read as written, states exactly the model's money.
    fn money_unchanged(&self) -> bool {
        let split_by_decimal_comma = self.separator == ',' && self.decimal_comma && !self.quote_amounts;
        let damaged = !matches!(self.damage, PlanDamage::None | PlanDamage::CommentColumn);
        self.unit() == Some("tkr") && !split_by_decimal_comma && !damaged
    }
}

fn plan_files(rendering: &PlanRendering) -> tempfile::TempDir {
    let population = population_csv(',', CodeStyle::TwoDigits, true);
    temp_files(&[
        ("avtal.toml", AGREEMENT.as_bytes()),
        ("befolkning.csv", population.as_bytes()),
        ("plan.csv", rendering.render().as_bytes()),
    ])
}

fn check(rendering: &PlanRendering) -> common::Run {
    let dir = plan_files(rendering);
    let mut args =
        vec!["check", "plan.csv", "-a", "avtal.toml", "--population", "befolkning.csv", "-r", "23", "-f", "json"];
    if let Some(unit) = rendering.flag_unit {
        args.extend(["--unit", unit]);
    }
    fordela_in(dir.path(), &args, None)
}

/// A run that says all is well: exit 0 and no finding at all.
fn clean(run: &common::Run) -> bool {
    run.code == 0 && run.stdout.contains("\"findings\": []")
}

#[test]
fn the_unmutated_plan_is_clean() {
    let rendering = PlanRendering {
        separator: ';',
        decimal_comma: true,
        quote_amounts: false,
        header: Some("Belopp"),
        header_unit: None,
        flag_unit: Some("tkr"),
        crlf: true,
        damage: PlanDamage::None,
    };
    assert!(rendering.money_unchanged());
    let run = check(&rendering);
    assert!(clean(&run), "{}\n{}\n{}", rendering.render(), run.stdout, run.stderr);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_plan_whose_money_changed_never_passes_clean(rendering in plan_rendering()) {
        let run = check(&rendering);
        if run.code == 2 {
            prop_assert!(run.stdout.is_empty(), "stdout after an error: {}", run.stdout);
        }
        if rendering.money_unchanged() {
            // Refusing is allowed (e.g. a header fordela cannot be sure of); a wrong verdict is not.
            prop_assert!(run.code == 2 || clean(&run),
                "same money, yet findings:\n{}\n{}\n{}", rendering.render(), run.stdout, run.stderr);
        } else {
            prop_assert!(!clean(&run),
                "changed money passed clean:\n{:?}\n{}\n{}\n{}", rendering, rendering.render(), run.stdout, run.stderr);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Population files: `allocate` must give the original's split or refuse.

#[derive(Debug, Clone)]
struct PopulationRendering {
    separator: char,
    header: bool,
    code_style: CodeStyle,
    damage: PopulationDamage,
}

#[derive(Debug, Clone)]
enum PopulationDamage {
    None,
    /// A county's row removed.
    DeleteRow(usize),
    /// A county written a second time in the other code style (`1` beside `01`).
    SecondStyle(usize),
    /// A recipient no county list has.
    UnknownCode(&'static str),
    /// A field appended to one row.
    AddField(usize),
    /// A population split by a decimal-comma style thousands group (`2,344` in a `,` file).
    ThousandsComma(usize),
}

fn population_rendering() -> impl Strategy<Value = PopulationRendering> {
    let code_style = prop::sample::select(vec![CodeStyle::TwoDigits, CodeStyle::Excel, CodeStyle::Mixed]);
    let damage = prop_oneof![
        2 => Just(PopulationDamage::None),
        1 => (0usize..21).prop_map(PopulationDamage::DeleteRow),
        1 => (0usize..9).prop_map(PopulationDamage::SecondStyle),
        1 => prop::sample::select(vec!["99", "00", "2", "11", "26"]).prop_map(PopulationDamage::UnknownCode),
        1 => (0usize..21).prop_map(PopulationDamage::AddField),
        1 => (0usize..21).prop_map(PopulationDamage::ThousandsComma),
    ];
    (prop::sample::select(vec![',', ';', '\t']), any::<bool>(), code_style, damage).prop_map(
        |(separator, header, code_style, damage)| PopulationRendering { separator, header, code_style, damage },
    )
}

impl PopulationRendering {
    fn render(&self) -> String {
        let base = population_csv(self.separator, self.code_style, self.header);
        let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
        let first_data = usize::from(self.header);
        let sep = self.separator;
        match &self.damage {
            PopulationDamage::None => {}
            PopulationDamage::DeleteRow(n) => {
                lines.remove(first_data + n);
            }
            PopulationDamage::SecondStyle(n) => {
                // Counties 01…09 are the first nine rows; write the other style of the code.
                let code = COUNTIES[*n];
                let other = if lines[first_data + n].starts_with('0') { code.trim_start_matches('0') } else { code };
                lines.push(format!("{other}{sep}Dubblett{sep}2020-12-31{sep}1000"));
            }
            PopulationDamage::UnknownCode(code) => lines.push(format!("{code}{sep}Okänd{sep}2020-12-31{sep}5000")),
            PopulationDamage::AddField(n) => {
                let line = &mut lines[first_data + n];
                line.push(sep);
                line.push('7');
            }
            PopulationDamage::ThousandsComma(n) => {
                let line = &mut lines[first_data + n];
                let population = line.rsplit(sep).next().unwrap().to_string();
                let (high, low) = population.split_at(population.len() - 3);
                let written = format!("{high},{low}");
                let written = if sep == ',' { written } else { format!("\"{written}\"") };
                let cut = line.len() - population.len();
                line.truncate(cut);
                line.push_str(&written);
            }
        }
        lines.join("\n") + "\n"
    }

    fn money_unchanged(&self) -> bool {
        matches!(self.damage, PopulationDamage::None)
    }
}

/// The expected CSV amounts of the 21 counties, computed here: (code, a, b, total).
fn expected_split() -> Vec<(String, u128, u128)> {
    let a = largest_remainder(700_000, &populations());
    let b = largest_remainder(300_000, &populations());
    COUNTIES.iter().enumerate().map(|(i, code)| ((*code).to_string(), a[i], b[i])).collect()
}

fn allocate(population: &str) -> common::Run {
    let dir = temp_files(&[("avtal.toml", AGREEMENT.as_bytes()), ("befolkning.csv", population.as_bytes())]);
    fordela_in(dir.path(), &["allocate", "avtal.toml", "--population", "befolkning.csv", "-f", "csv"], None)
}

/// (code, a, b) of each CSV row, from fordela's output.
fn split_of(run: &common::Run) -> Vec<(String, u128, u128)> {
    let rows = common::csv_rows(&run.stdout);
    let header = &rows[0];
    let column = |name: &str| header.iter().position(|field| field == name).unwrap();
    let (code, a, b) = (column("code"), column("a"), column("b"));
    rows[1..].iter().map(|row| (row[code].clone(), row[a].parse().unwrap(), row[b].parse().unwrap())).collect()
}

#[test]
fn the_unmutated_population_gives_the_reference_split() {
    let run = allocate(&population_csv(',', CodeStyle::TwoDigits, true));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(split_of(&run), expected_split());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_population_file_gives_the_original_split_or_is_refused(rendering in population_rendering()) {
        let text = rendering.render();
        let run = allocate(&text);
        if rendering.money_unchanged() {
            prop_assert!(run.code == 0 || run.code == 2, "{}", run.stderr);
        } else {
            prop_assert_eq!(run.code, 2, "damaged population passed:\n{:?}\n{}\n{}", rendering, text, run.stdout);
        }
        if run.code == 0 {
            prop_assert_eq!(split_of(&run), expected_split(), "{:?}\n{}", rendering, text);
        } else {
            prop_assert!(run.stdout.is_empty(), "stdout after an error: {}", run.stdout);
        }
    }
}
