//! The CSV and plan readers never drop a field or a unit silently: what a spreadsheet export
//! really looks like either reads as the same money or stops the run (exit 2, nothing on
//! stdout, the file and line named). Runs the real binary.

use crate::common;

use common::{Run, fordela_in, temp_files};

/// Region Jämtland Härjedalen's 2019 plan as the region wrote it (`examples/`), in mkr.
fn example_plan() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/jamtland-harjedalen-2019.csv")).unwrap()
}

/// The bundled county population table, to change into a file of one's own.
fn bundled_population() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/population/scb-county-population-31dec-2010-2020.csv"
    ))
    .unwrap()
}

/// `fordela args…` in a directory holding `files`.
fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = temp_files(files);
    fordela_in(dir.path(), args, None)
}

/// `check NAME -r 23 extra…` on `text` saved as NAME.
fn check(name: &str, text: &str, extra: &[&str]) -> Run {
    let mut args = vec!["check", name, "-r", "23"];
    args.extend_from_slice(extra);
    run_in(&[(name, text.as_bytes())], &args)
}

/// Region 23 gets about 19,1 mkr for `omstallning` (the region itself planned 19). This plan,
/// headerless and `,`-separated with decimal commas, spends 10,6 + 9,9 = 20,5 mkr on it: more
/// than it gets. Read as 10 + 9 = 19 with the `,6` and `,9` dropped, it passed.
const OVERSPENDING_COMMA_PLAN: &str = "omstallning,Strategi,10,6\nomstallning,Zamsyn,9,9\n\
                                       tillganglighet,Tider,5,8\npatientkontrakt,Kontrakt,5,8\n";

#[test]
fn headerless_comma_plan_with_decimal_commas_is_refused_with_advice() {
    let run = check("c.csv", OVERSPENDING_COMMA_PLAN, &["-u", "mkr"]);
    common::assert_refused(&run, &["c.csv, line 1", "`10,6`", "`;` as separator", "quote the amounts"]);
    // Quoting the amounts, as advised, reads them whole and finds the overspending.
    let quoted = "omstallning,Strategi,\"10,6\"\nomstallning,Zamsyn,\"9,9\"\n\
                  tillganglighet,Tider,\"5,8\"\npatientkontrakt,Kontrakt,\"5,8\"\n";
    let run = check("c.csv", quoted, &["-u", "mkr"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("20,5 mkr"), "{}", run.stdout);
}

#[test]
fn a_comma_plan_with_a_comment_column_and_decimal_commas_is_refused() {
    let plan = format!("area,intervention,amount,kommentar\n{OVERSPENDING_COMMA_PLAN}");
    let run = check("c.csv", &plan, &["-u", "mkr"]);
    common::assert_refused(&run, &["c.csv, line 2", "`10,6`", "`;` as separator"]);
}

#[test]
fn an_extra_column_must_be_a_comment_column() {
    let with_status =
        example_plan().replacen("Belopp", "Belopp;Status", 1).replace('\n', ";x\n").replacen(";x\n", "\n", 1);
    let run = check("plan.csv", &with_status, &["-u", "mkr"]);
    common::assert_refused(&run, &["plan.csv, line 1", "`Status`", "kommentar"]);
    // Without a header, a fourth field that is not empty is refused on its line.
    let run = check("plan.csv", "omstallning;Strategi;19;klar\n", &["-u", "mkr"]);
    common::assert_refused(&run, &["plan.csv, line 1", "`klar`"]);
    // A comment column is kept as text, not read as money, whatever it holds.
    let plain = example_plan();
    let commented: String = plain
        .lines()
        .enumerate()
        .map(|(index, line)| match index {
            0 => format!("{line};Kommentar\n"),
            // Comments that look like money must stay comments.
            1 => format!("{line};99\n"),
            2 => format!("{line};\"uppskattat; ej beslutat\"\n"),
            _ => format!("{line};\n"),
        })
        .collect();
    let base = check("plan.csv", &plain, &["-u", "mkr"]);
    let with_comments = check("plan.csv", &commented, &["-u", "mkr"]);
    assert_eq!(base.code, 0, "{}", base.stderr);
    assert_eq!(with_comments.code, 0, "{}", with_comments.stderr);
    assert_eq!(with_comments.stdout, base.stdout);
}

#[test]
fn empty_fields_excel_adds_at_the_end_of_rows_are_not_data() {
    let plain = example_plan();
    let padded: String = plain
        .lines()
        .enumerate()
        .map(|(i, line)| if i == 0 { format!("{line}\n") } else { format!("{line};;\n") })
        .collect();
    let base = check("plan.csv", &plain, &["-u", "mkr"]);
    let run = check("plan.csv", &padded, &["-u", "mkr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, base.stdout);
    // A filled field past the header is not padding.
    let filled = padded.replacen(";;\n", ";;5\n", 2).replacen(";;5\n", ";;\n", 1);
    let run = check("plan.csv", &filled, &["-u", "mkr"]);
    common::assert_refused(&run, &["plan.csv, line 3", "`5`"]);
}

#[test]
fn a_unit_in_the_amount_header_is_the_plans_unit() {
    let plain = example_plan();
    let with_flag = check("plan.csv", &plain, &["-u", "mkr"]);
    assert_eq!(with_flag.code, 0, "{}", with_flag.stderr);
    for header in ["Amount (MSEK)", "Belopp (mkr)", "Mkr", "Belopp i miljoner kronor", "Belopp, MSEK", "Summa mkr"] {
        let labelled = plain.replacen("Belopp", header, 1);
        let run = check("plan.csv", &labelled, &[]);
        assert_eq!(run.code, 0, "{header}: {}", run.stderr);
        assert_eq!(run.stdout, with_flag.stdout, "{header}");
        // The same unit given again is no conflict.
        assert_eq!(check("plan.csv", &labelled, &["-u", "MSEK"]).stdout, with_flag.stdout, "{header}");
    }
}

#[test]
fn the_english_header_with_msek_is_understood() {
    let run = check("p.csv", "Area;Intervention;Amount (MSEK)\nomstallning;A;19\n", &[]);
    assert!(run.stdout.contains("amounts in mkr"), "{}{}", run.stdout, run.stderr);
}

/// The same plan in tkr (amounts × 1 000) with a tkr header reads as the mkr plan does.
#[test]
fn a_tkr_header_scales_like_the_tkr_flag() {
    let in_tkr = "Område;Insats;Belopp\nomstallning;A;19000\ntillganglighet;B;5800\npatientkontrakt;C;5800\n";
    let with_flag = check("p.csv", in_tkr, &["-u", "tkr"]);
    assert!(with_flag.stdout.contains("amounts in tkr"), "{}", with_flag.stderr);
    for header in ["Belopp (tkr)", "Belopp, tkr", "Tkr", "Amount (SEK thousands)", "Belopp i tusentals kronor"] {
        let run = check("p.csv", &in_tkr.replacen("Belopp", header, 1), &[]);
        assert_eq!((run.code, &run.stdout), (with_flag.code, &with_flag.stdout), "{header}: {}", run.stderr);
    }
}

#[test]
fn a_header_unit_that_conflicts_with_the_flag_is_an_error() {
    let plan = example_plan().replacen("Belopp", "Mkr", 1);
    let run = check("plan.csv", &plan, &["-u", "tkr"]);
    common::assert_refused(&run, &["plan.csv", "`Mkr`", "--unit says tkr"]);
    let toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/jamtland-harjedalen-2019.toml"))
        .unwrap();
    let run = check("plan.toml", &toml, &["-u", "tkr"]);
    common::assert_refused(&run, &["plan.toml", "line 5", "--unit says tkr"]);
}

#[test]
fn an_amount_header_fordela_does_not_understand_is_named() {
    for header in ["Belopp (EUR)", "Belopp 2019", "Kostnad (mkr)"] {
        let plan = example_plan().replacen("Belopp", header, 1);
        let run = check("plan.csv", &plan, &["-u", "mkr"]);
        common::assert_refused(&run, &["plan.csv, line 1", &format!("`{header}`")]);
    }
    // Two amount columns: which one is meant is not for fordela to guess.
    let plan = example_plan().replacen("Belopp", "Belopp;Mkr", 1).replace('\n', ";1\n").replacen(";1\n", "\n", 1);
    common::assert_refused(&check("plan.csv", &plan, &["-u", "mkr"]), &["twice", "`Belopp`", "`Mkr`"]);
}

#[test]
fn a_plan_missing_its_unit_and_its_region_names_both() {
    let run = run_in(&[("plan.csv", example_plan().as_bytes())], &["check", "plan.csv"]);
    common::assert_refused(&run, &["plan.csv", "--unit", "--region"]);
}

#[test]
fn a_workbook_is_called_a_workbook() {
    // The first bytes of an .xlsx (a zip archive) and of an .xls (an OLE file), then binary.
    let xlsx: &[u8] = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe[Content_Types].xml";
    let xls: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00\xff";
    let run = run_in(&[("plan.xlsx", xlsx)], &["check", "plan.xlsx", "-r", "23", "-u", "mkr"]);
    common::assert_refused(&run, &["plan.xlsx", "Excel workbook", "CSV UTF-8"]);
    let run = run_in(&[("pop.xlsx", xlsx)], &["allocate", "--population", "pop.xlsx"]);
    common::assert_refused(&run, &["pop.xlsx", "Excel workbook"]);
    let run = run_in(&[("pop.xls", xls)], &["allocate", "--population", "pop.xls"]);
    common::assert_refused(&run, &["pop.xls", "Excel workbook (.xls)"]);
    let run = run_in(&[("a.xlsx", xlsx)], &["allocate", "a.xlsx"]);
    common::assert_refused(&run, &["a.xlsx", "Excel workbook"]);
}

/// Adds a column named `header` to every row of the bundled population, `value` on each.
fn population_with_column(header: &str, value: &str) -> String {
    let text = bundled_population();
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    let rows = lines.map(|line| format!("{line},{value}\n"));
    std::iter::once(format!("{first},{header}\n")).chain(rows).collect()
}

#[test]
fn a_population_column_must_be_a_comment_or_hold_figures() {
    let text = population_with_column("kommun", "Solna");
    let run = run_in(&[("p.csv", text.as_bytes())], &["allocate", "--population", "p.csv"]);
    common::assert_refused(&run, &["p.csv, line 2", "`kommun`", "`Solna`"]);
    // A comment column, or a figure column (an extra key), reads as before.
    let base = run_in(&[], &["allocate", "--format", "csv"]);
    assert_eq!(base.code, 0, "{}", base.stderr);
    for (header, value) in [("kommentar", "\"SCB, hämtad 2019\""), ("barn_0_5", "12")] {
        let text = population_with_column(header, value);
        let run = run_in(&[("p.csv", text.as_bytes())], &["allocate", "--population", "p.csv", "--format", "csv"]);
        assert_eq!(run.code, 0, "{header}: {}", run.stderr);
        assert_eq!(run.stdout, base.stdout, "{header}");
    }
}

#[test]
fn a_population_header_with_a_scale_is_refused_not_misread() {
    // Both columns present: before, the scaled one was dropped without a word.
    let text = population_with_column("population (tusental)", "2");
    let run = run_in(&[("p.csv", text.as_bytes())], &["allocate", "--population", "p.csv"]);
    common::assert_refused(&run, &["p.csv, line 1", "`population (tusental)`", "not thousands"]);
}

/// Mutations of a valid plan in the ways spreadsheets and people change files, several at
/// once: whatever fordela answers other than a refusal must read the same money as the plan
/// before.
mod mutated_plans {
    use std::str::FromStr;

    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::{check, example_plan};

    #[derive(Debug, Clone, Copy)]
    enum Separator {
        Semicolon,
        /// `,` with the fields left as they are (a decimal comma then splits an amount).
        Comma,
        /// `,` with every field quoted, as a careful export does.
        QuotedComma,
        Tab,
    }

    #[derive(Debug, Clone, Copy)]
    enum Decimals {
        AsWritten,
        /// Every amount with a decimal part (`10` → `10,0`): every row then splits alike.
        AllWithComma,
        Point,
    }

    #[derive(Debug, Clone, Copy)]
    enum Header {
        Kept,
        Dropped,
        /// The amount header names `unit` in the form `form` (`Belopp (tkr)`, `Tkr`, …); the
        /// amounts are rescaled to it unless the header is wrong on purpose (`rescale` false,
        /// only with `--unit`, where the conflict must be found).
        Unit {
            unit: &'static str,
            form: usize,
            rescale: bool,
        },
    }

    #[derive(Debug, Clone, Copy)]
    enum Extra {
        Nothing,
        /// One more field on one row: empty, a figure or text.
        Field {
            row: usize,
            value: &'static str,
        },
        /// One row's last field lost.
        Dropped {
            row: usize,
        },
        /// Excel's empty fields at the end of every row.
        Padding,
        /// A `Kommentar` column, with `value` on every row.
        Comment {
            value: &'static str,
        },
        /// A `Kommentar` header over rows that have no such field.
        CommentHeaderOnly,
    }

    #[derive(Debug, Clone, Copy)]
    struct Mutation {
        separator: Separator,
        decimals: Decimals,
        header: Header,
        extra: Extra,
        /// `--unit mkr` given (else the plan's header is the only word on the unit).
        flag: bool,
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        let separator = prop_oneof![
            Just(Separator::Semicolon),
            Just(Separator::Comma),
            Just(Separator::QuotedComma),
            Just(Separator::Tab)
        ];
        let decimals = prop_oneof![Just(Decimals::AsWritten), Just(Decimals::AllWithComma), Just(Decimals::Point)];
        let header = prop_oneof![
            Just(Header::Kept),
            Just(Header::Dropped),
            (prop::sample::select(vec!["mkr", "tkr", "kr"]), 0usize..4, any::<bool>())
                .prop_map(|(unit, form, rescale)| Header::Unit { unit, form, rescale }),
        ];
        let extra = prop_oneof![
            Just(Extra::Nothing),
            (1usize..22, prop::sample::select(vec!["", "7", "0", "klar"]))
                .prop_map(|(row, value)| Extra::Field { row, value }),
            (1usize..22).prop_map(|row| Extra::Dropped { row }),
            Just(Extra::Padding),
            prop::sample::select(vec!["", "7", "ok"]).prop_map(|value| Extra::Comment { value }),
            Just(Extra::CommentHeaderOnly),
        ];
        (separator, decimals, header, extra, any::<bool>()).prop_map(|(separator, decimals, header, extra, flag)| {
            // Without --unit a header that names the wrong unit is the file's own word.
            let header = match header {
                Header::Unit { unit, form, rescale } => Header::Unit { unit, form, rescale: rescale || !flag },
                other => other,
            };
            Mutation { separator, decimals, header, extra, flag }
        })
    }

    /// Rows of fields of the example plan (`;`-separated, no quotes in it).
    fn rows() -> Vec<Vec<String>> {
        example_plan()
            .trim_start_matches('\u{feff}')
            .lines()
            .map(|line| line.split(';').map(str::to_string).collect())
            .collect()
    }

    /// `amount` (decimal comma) times 10^`power`, written with a decimal comma.
    fn rescaled(amount: &str, power: u32) -> String {
        let value = Decimal::from_str(&amount.replace(',', ".")).unwrap() * Decimal::from(10u64.pow(power));
        value.normalize().to_string().replace('.', ",")
    }

    /// The plan's text and the flags it is checked with.
    fn apply(mutation: &Mutation) -> (String, Vec<&'static str>) {
        let mut rows = rows();
        let amounts = |rows: &mut Vec<Vec<String>>, change: &dyn Fn(&str) -> String| {
            for row in rows.iter_mut().skip(1).filter(|row| !row[2].is_empty()) {
                row[2] = change(&row[2]);
            }
        };
        if let Header::Unit { unit, form, rescale } = mutation.header {
            let power = match unit {
                "kr" => 6,
                "tkr" => 3,
                _ => 0,
            };
            let capitalised = format!("{}{}", unit[..1].to_uppercase(), &unit[1..]);
            rows[0][2] = match form {
                0 => format!("Belopp ({unit})"),
                1 => capitalised,
                2 => format!("Amount ({})", unit.replace("kr", "SEK").to_uppercase()),
                _ => format!("Belopp, {unit}"),
            };
            if rescale {
                amounts(&mut rows, &|amount| rescaled(amount, power));
            }
        }
        match mutation.decimals {
            Decimals::AsWritten => {}
            Decimals::AllWithComma => amounts(&mut rows, &|amount| {
                if amount.contains(',') { amount.to_string() } else { format!("{amount},0") }
            }),
            Decimals::Point => amounts(&mut rows, &|amount| amount.replace(',', ".")),
        }
        match mutation.extra {
            Extra::Nothing => {}
            Extra::Field { row, value } => {
                let row = row % rows.len();
                rows[row].push(value.to_string());
            }
            Extra::Dropped { row } => {
                let row = row % rows.len();
                rows[row].pop();
            }
            Extra::Padding => {
                for row in rows.iter_mut().skip(1) {
                    row.extend([String::new(), String::new()]);
                }
            }
            Extra::Comment { value } => {
                rows[0].push("Kommentar".to_string());
                for row in rows.iter_mut().skip(1) {
                    row.push(value.to_string());
                }
            }
            Extra::CommentHeaderOnly => rows[0].push("Kommentar".to_string()),
        }
        if let Header::Dropped = mutation.header {
            rows.remove(0);
        }
        let (separator, quote) = match mutation.separator {
            Separator::Semicolon => (";", ""),
            Separator::Comma => (",", ""),
            Separator::QuotedComma => (",", "\""),
            Separator::Tab => ("\t", ""),
        };
        let text = rows
            .iter()
            .map(|row| {
                row.iter().map(|field| format!("{quote}{field}{quote}")).collect::<Vec<_>>().join(separator) + "\n"
            })
            .collect();
        (text, if mutation.flag { vec!["-u", "mkr"] } else { Vec::new() })
    }

    /// Every amount the check read, in kronor: per area, what it declares and what its
    /// interventions add up to, and the same for the plan.
    fn money_read(json: &str) -> Vec<(String, Option<Decimal>, Option<Decimal>)> {
        let report: serde_json::Value = serde_json::from_str(json).unwrap();
        let scale = Decimal::from(match report["unit"].as_str().unwrap() {
            "kr" => 1u64,
            "tkr" => 1_000,
            "mkr" => 1_000_000,
            other => panic!("unit {other}"),
        });
        let kronor = |value: &serde_json::Value| value.as_str().map(|text| Decimal::from_str(text).unwrap() * scale);
        let areas = report["areas"].as_array().unwrap().iter().chain([&report["total"]]);
        areas
            .map(|area| (area["area"].as_str().unwrap().to_string(), kronor(&area["declared"]), kronor(&area["parts"])))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn a_mutated_plan_is_refused_or_reads_the_same_money(mutation in mutation()) {
            let base = check("plan.csv", &example_plan(), &["-u", "mkr", "--format", "json"]);
            prop_assert_eq!(base.code, 0, "{}", base.stderr);
            let (text, mut flags) = apply(&mutation);
            flags.extend(["--format", "json"]);
            let run = check("plan.csv", &text, &flags);
            if run.code == 2 {
                prop_assert!(run.stdout.is_empty());
                prop_assert!(run.stderr.contains("plan.csv"), "{}", run.stderr);
            } else {
                prop_assert!(run.code <= 1, "{:?}: {}", mutation, run.stderr);
                prop_assert_eq!(money_read(&run.stdout), money_read(&base.stdout), "{:?}\n{}", mutation, text);
            }
        }
    }

    /// The shapes the issue names, whatever the random cases pick.
    #[test]
    fn the_named_shapes_are_refused() {
        let shapes = [
            Mutation {
                separator: Separator::Comma,
                decimals: Decimals::AllWithComma,
                header: Header::Dropped,
                extra: Extra::Nothing,
                flag: true,
            },
            Mutation {
                separator: Separator::Comma,
                decimals: Decimals::AllWithComma,
                header: Header::Kept,
                extra: Extra::CommentHeaderOnly,
                flag: true,
            },
            Mutation {
                separator: Separator::Semicolon,
                decimals: Decimals::AsWritten,
                header: Header::Unit { unit: "tkr", form: 1, rescale: true },
                extra: Extra::Nothing,
                flag: true,
            },
        ];
        for mutation in shapes {
            let (text, flags) = apply(&mutation);
            let run = check("plan.csv", &text, &flags);
            assert_eq!(run.code, 2, "{mutation:?}: {}{}", run.stdout, run.stderr);
        }
    }
}

/// The same for a population file: a mutation is refused or splits the money as before.
mod mutated_populations {
    use proptest::prelude::*;

    use super::{bundled_population, run_in};

    #[derive(Debug, Clone)]
    enum Mutation {
        Semicolons,
        Tabs,
        /// A column added to every row: `header` and its `value`.
        Column {
            header: &'static str,
            value: &'static str,
        },
        /// One row with one more field.
        AddField {
            row: usize,
            value: &'static str,
        },
        /// The population header with a scale, and the figures in thousands.
        HeaderScale {
            header: &'static str,
        },
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            Just(Mutation::Semicolons),
            Just(Mutation::Tabs),
            (
                prop::sample::select(vec!["kommentar", "kommun", "barn_0_5", ""]),
                prop::sample::select(vec!["", "12", "Solna", "1,5"])
            )
                .prop_map(|(header, value)| Mutation::Column { header, value }),
            (1usize..232, prop::sample::select(vec!["", "7", "x"]))
                .prop_map(|(row, value)| Mutation::AddField { row, value }),
            prop::sample::select(vec!["population (tusental)", "population, 1000-tal", "befolkning i tusental"])
                .prop_map(|header| Mutation::HeaderScale { header }),
        ]
    }

    fn apply(mutation: &Mutation) -> String {
        let text = bundled_population();
        let rows: Vec<&str> = text.lines().collect();
        let map =
            |f: &dyn Fn(usize, &str) -> String| rows.iter().enumerate().map(|(i, row)| f(i, row) + "\n").collect();
        match mutation {
            Mutation::Semicolons => map(&|_, row| row.replace(',', ";")),
            Mutation::Tabs => map(&|_, row| row.replace(',', "\t")),
            Mutation::Column { header, value } => {
                // A value with a comma is quoted, as a spreadsheet quotes it.
                let value = if value.contains(',') { format!("\"{value}\"") } else { (*value).to_string() };
                map(&|i, row| if i == 0 { format!("{row},{header}") } else { format!("{row},{value}") })
            }
            Mutation::AddField { row, value } => {
                let at = row % rows.len();
                map(&|i, line| if i == at { format!("{line},{value}") } else { line.to_string() })
            }
            Mutation::HeaderScale { header } => map(&|i, row| {
                if i == 0 {
                    row.replace("population", header)
                } else {
                    // 2054343 persons → 2054 thousand: what a scaled column would hold.
                    let (rest, figure) = row.rsplit_once(',').unwrap();
                    format!("{rest},{}", figure.parse::<u64>().unwrap() / 1000)
                }
            }),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn a_mutated_population_is_refused_or_splits_the_same(mutation in mutation()) {
            let base = run_in(&[], &["allocate", "--format", "csv"]);
            prop_assert_eq!(base.code, 0, "{}", base.stderr);
            let text = apply(&mutation);
            let run = run_in(&[("p.csv", text.as_bytes())], &["allocate", "--population", "p.csv", "--format", "csv"]);
            if run.code == 2 {
                prop_assert!(run.stdout.is_empty());
                prop_assert!(run.stderr.contains("p.csv"), "{}", run.stderr);
            } else {
                prop_assert_eq!(run.code, 0, "{:?}: {}", mutation, run.stderr);
                prop_assert_eq!(&run.stdout, &base.stdout, "{:?}", mutation);
            }
        }
    }
}

#[test]
fn a_doubled_byte_order_mark_reads_the_same_with_or_without_a_quote_in_the_file() {
    // A file saved twice with a mark (a BOM, then another): the first is the file's, the second
    // starts its text. One quote elsewhere in the file must not change how the header reads
    // (the reader splits a text without quotes by hand, one with quotes through the csv crate).
    let plan = example_plan();
    let plan = plan.trim_start_matches('\u{feff}');
    let quoted = plan.replacen("Samverkan med kommunerna", "\"Samverkan med kommunerna\"", 1);
    assert_ne!(quoted, plan, "the example names that intervention");
    let runs: Vec<Run> = [plan.to_string(), quoted]
        .iter()
        .map(|text| check("plan.csv", &format!("\u{feff}\u{feff}{text}"), &["--unit", "mkr"]))
        .collect();
    assert_eq!(runs[0].code, runs[1].code, "{}\n---\n{}", runs[0].stderr, runs[1].stderr);
    assert_eq!(runs[0].stdout, runs[1].stdout);
    assert_eq!(runs[0].stderr, runs[1].stderr);
    // And as the file without the second mark reads.
    let single = check("plan.csv", &format!("\u{feff}{plan}"), &["--unit", "mkr"]);
    assert_eq!((runs[0].code, &runs[0].stdout), (single.code, &single.stdout), "{}", runs[0].stderr);
}
