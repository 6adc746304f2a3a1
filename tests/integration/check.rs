//! `fordela check` on the real Jämtland Härjedalen 2019 plan, on mutated copies of a clean
//! synthetic plan (each mutation's findings worked out by hand), and on bad plans; an area's
//! line and findings kept apart from the plan's total.
//!
//! Region 23's allocation (computed independently, see tests/allocate.rs): omstallning
//! 19,102294, tillganglighet 5,768893, patientkontrakt 5,768893, total 30,640080 mkr.

use crate::common;

use common::{csv_rows, data, fordela_in, fordela_stdin, temp_files};

fn root() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A synthetic plan for region 23 in whole MSEK (tolerance ±0,5): every table adds up and
/// every amount is within 0,5 of its allocation, so it has no findings.
const CLEAN: &str = r#"region = "23"
unit = "MSEK"
total = 31
[[areas]]
id = "omstallning"
amount = 19
interventions = [{ name = "A", amount = 10 }, { name = "B", amount = 9 }]
[[areas]]
id = "tillganglighet"
amount = 6
interventions = [{ name = "C", amount = 6 }]
[[areas]]
id = "patientkontrakt"
amount = 6
interventions = [{ name = "D", amount = 2 }, { name = "E", amount = 4 }]
"#;

struct Checked {
    code: i32,
    findings: Vec<(String, String)>,
    json: serde_json::Value,
    stderr: String,
}

fn check_text(name: &str, plan: &str, extra: &[&str]) -> Checked {
    let dir = temp_files(&[(name, plan.as_bytes())]);
    let mut args = vec!["check", name, "--format", "json"];
    args.extend_from_slice(extra);
    let run = fordela_in(dir.path(), &args, None);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or(serde_json::Value::Null);
    let mut findings: Vec<(String, String)> = json["findings"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|f| (f["id"].as_str().unwrap().to_string(), f["area"].as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default();
    findings.sort();
    Checked { code: run.code, findings, json, stderr: run.stderr }
}

fn ids(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = pairs.iter().map(|(a, b)| ((*a).to_string(), (*b).to_string())).collect();
    list.sort();
    list
}

#[test]
fn clean_plan_has_no_findings() {
    let checked = check_text("plan.toml", CLEAN, &[]);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert_eq!(checked.findings, vec![]);
    assert_eq!(checked.json["ok"], true);
    assert_eq!(checked.json["tolerance"], "0.5");
}

/// A change to the clean plan and the findings (id, area) it must give.
struct Mutation {
    what: &'static str,
    edits: &'static [(&'static str, &'static str)],
    expected: &'static [(&'static str, &'static str)],
    code: i32,
}

const MUTATIONS: &[Mutation] = &[
    // Interventions 11 + 9 = 20, declared 19.
    Mutation {
        what: "interventions don't add up",
        edits: &[("\"A\", amount = 10", "\"A\", amount = 11")],
        expected: &[("interventions-sum", "omstallning")],
        code: 1,
    },
    // Areas 19 + 6 + 6 = 31, declared 30; and 30 is 0,64 below 30,640080 (> 0,5).
    Mutation {
        what: "declared total off",
        edits: &[("total = 31", "total = 30")],
        expected: &[("areas-sum", "total"), ("allocation-under", "total")],
        code: 1,
    },
    // 7 is 1,23 above 5,768893; the total 32 is 1,36 above 30,640080.
    Mutation {
        what: "over the allocation",
        edits: &[
            (
                "amount = 6\ninterventions = [{ name = \"C\", amount = 6 }]",
                "amount = 7\ninterventions = [{ name = \"C\", amount = 7 }]",
            ),
            ("total = 31", "total = 32"),
        ],
        expected: &[("allocation-over", "tillganglighet"), ("allocation-over", "total")],
        code: 1,
    },
    // 5 is 0,77 below 5,768893; 30 is 0,64 below 30,640080: warnings only, exit 0.
    Mutation {
        what: "under the allocation",
        edits: &[
            ("amount = 6\ninterventions = [{ name = \"D\"", "amount = 5\ninterventions = [{ name = \"D\""),
            ("\"E\", amount = 4", "\"E\", amount = 3"),
            ("total = 31", "total = 30"),
        ],
        expected: &[("allocation-under", "patientkontrakt"), ("allocation-under", "total")],
        code: 0,
    },
    // -2 + 8 = 6 adds up, but a negative intervention is an error.
    Mutation {
        what: "negative amount",
        edits: &[("\"D\", amount = 2", "\"D\", amount = -2"), ("\"E\", amount = 4", "\"E\", amount = 8")],
        expected: &[("amount-negative", "patientkontrakt")],
        code: 1,
    },
    Mutation {
        what: "zero amount",
        edits: &[("{ name = \"E\", amount = 4 }", "{ name = \"E\", amount = 4 }, { name = \"F\", amount = 0 }")],
        expected: &[("amount-zero", "patientkontrakt")],
        code: 0,
    },
    Mutation {
        what: "duplicate name",
        edits: &[("\"E\", amount = 4", "\"d\", amount = 4")],
        expected: &[("intervention-duplicate", "patientkontrakt")],
        code: 1,
    },
    // Without patientkontrakt and without a declared total: 19 + 6 = 25, 5,64 below.
    Mutation {
        what: "missing area",
        edits: &[
            ("total = 31\n", ""),
            (
                "[[areas]]\nid = \"patientkontrakt\"\namount = 6\ninterventions = [{ name = \"D\", amount = 2 }, { name = \"E\", amount = 4 }]\n",
                "",
            ),
        ],
        expected: &[("area-missing", "patientkontrakt"), ("allocation-under", "total")],
        code: 1,
    },
    // An area with neither amount nor interventions; the declared 31 is then 6 more than 25.
    Mutation {
        what: "empty area",
        edits: &[("amount = 6\ninterventions = [{ name = \"C\", amount = 6 }]", "")],
        expected: &[("area-empty", "tillganglighet"), ("areas-sum", "total")],
        code: 1,
    },
];

#[test]
fn each_mutation_gives_its_findings() {
    for Mutation { what, edits, expected, code } in MUTATIONS {
        let mut plan = CLEAN.to_string();
        for (from, to) in *edits {
            assert!(plan.contains(from), "{what}: `{from}` not in the plan");
            plan = plan.replace(from, to);
        }
        let checked = check_text("plan.toml", &plan, &[]);
        assert_eq!(checked.findings, ids(expected), "{what}");
        assert_eq!(checked.code, *code, "{what}: {}", checked.stderr);
    }
}

#[test]
fn strict_makes_warnings_fail() {
    let plan = CLEAN
        .replace("total = 31", "total = 30")
        .replace("amount = 6\ninterventions = [{ name = \"D\"", "amount = 5\ninterventions = [{ name = \"D\"")
        .replace("\"E\", amount = 4", "\"E\", amount = 3");
    assert_eq!(check_text("plan.toml", &plan, &[]).code, 0);
    let strict = check_text("plan.toml", &plan, &["--strict"]);
    assert_eq!(strict.code, 1);
    assert_eq!(strict.json["findings"][0]["severity"], "error");
}

#[test]
fn a_totalt_row_that_disagrees_with_its_rows() {
    let plan = "område;insats;belopp\nomstallning;A;11\nomstallning;B;9\nomstallning;Totalt;19\ntillganglighet;C;6\npatientkontrakt;D;6\n";
    let checked = check_text("plan.csv", plan, &["--region", "23", "--unit", "MSEK"]);
    assert_eq!(checked.findings, ids(&[("total-row", "omstallning")]));
    assert_eq!(checked.code, 1);
    let message = checked.json["findings"][0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "area `omstallning`: the interventions add up to 20 mkr, but the sum row says 19 mkr: difference 1 mkr"
    );
    assert_eq!(checked.json["findings"][0]["line"], 4);
}

#[test]
fn real_jamtland_plan_finds_the_rounded_down_area() {
    let run = fordela_in(root(), &["check", "examples/jamtland-harjedalen-2019.toml", "--format", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["region_code"], "23");
    assert_eq!(json["plan_decimals"], 1);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["id"], "allocation-under");
    assert_eq!(findings[0]["area"], "omstallning");
    assert_eq!(findings[0]["severity"], "warning");
    // 19 declared against 19,102294: 0,102294 below, beyond the ±0,05 a 0,1-precision plan allows.
    assert_eq!(json["areas"][0]["difference"], "-0.102294");
    assert_eq!(json["total"]["allocation"], "30.640080");
    assert_eq!(json["total"]["allocation_rounded"], "30.6");
}

#[test]
fn the_excel_csv_of_the_real_plan_gives_the_same_report() {
    let toml = fordela_in(root(), &["check", "examples/jamtland-harjedalen-2019.toml", "-f", "csv"], None);
    let csv = fordela_in(
        root(),
        &[
            "check",
            "examples/jamtland-harjedalen-2019.csv",
            "--region",
            "Jämtland Härjedalen",
            "--unit",
            "MSEK",
            "-f",
            "csv",
        ],
        None,
    );
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert_eq!(csv.stdout, toml.stdout);
    assert!(
        csv.stdout
            .starts_with("area,allocation,allocation_rounded,declared,interventions,difference,verdict,findings\n")
    );
    assert!(csv.stdout.contains("\nomstallning,19.102294,19.1,19.0,19.0,-0.102294,warning,allocation-under\n"));
}

#[test]
fn csv_forms_from_other_spreadsheets() {
    // Written to 0,01 mkr, so every area matches its allocation within ±0,005 mkr.
    let forms = [
        // English header, `,` and decimal point, `Total` rows.
        "area,intervention,amount\nomstallning,A,10\nomstallning,B,9.10\nomstallning,Total,19.1\ntillganglighet,C,5.77\npatientkontrakt,D,2.5\npatientkontrakt,E,3.27\n",
        // No header, `;`, decimal comma, CRLF, trailing spaces, a `Summa` row for the plan.
        "omstallning ; A ; 10\r\nomstallning;B;9,10 \r\n\r\ntillganglighet;C;5,77\r\npatientkontrakt;D;2,5\r\npatientkontrakt;E;3,27\r\nSumma;;30,64\r\n",
    ];
    for form in forms {
        let checked = check_text("plan.csv", form, &["--region", "Jämtlands län", "--unit", "mkr"]);
        assert_eq!(checked.code, 0, "{form}: {}", checked.stderr);
        assert_eq!(checked.findings, vec![], "{form}");
        // To 0,01 mkr (tolerance ±0,005): 19,10 / 5,77 / 5,77 / 30,64 all match.
        assert_eq!(checked.json["total"]["parts"], "30.64");
    }
}

fn check_error(name: &str, plan: &str, extra: &[&str]) -> String {
    let dir = temp_files(&[(name, plan.as_bytes())]);
    let mut args = vec!["check", name];
    args.extend_from_slice(extra);
    let run = fordela_in(dir.path(), &args, None);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.is_empty());
    run.stderr.trim_end().to_string()
}

#[test]
fn bad_plans_are_input_errors() {
    assert_eq!(
        check_error("p.csv", "område;insats;belopp\nomstallning;A;tio\n", &["-r", "23", "-u", "MSEK"]),
        "fordela: invalid plan: p.csv, line 2: field `amount`: `tio` is not a number: unexpected character `t` (expected digits, one `,` or `.`)"
    );
    assert_eq!(
        check_error("p.toml", &CLEAN.replace("\"MSEK\"", "\"miljoner\""), &[]),
        "fordela: invalid plan: p.toml, line 2, column 8: unknown unit `miljoner`, expected kr/SEK, tkr/TSEK or mkr/MSEK"
    );
    assert_eq!(
        check_error("p.toml", &CLEAN.replace("\"23\"", "\"Region Jämtland\""), &[]),
        "fordela: invalid plan: p.toml: unknown region `Region Jämtland`: not a code or name of a region in \
         bundled:data/population/scb-county-population-31dec-2010-2020.csv; did you mean `Region Jämtland Härjedalen` (23)?"
    );
    assert_eq!(
        check_error("p.toml", &CLEAN.replace("id = \"omstallning\"", "id = \"omstalning\""), &[]),
        "fordela: invalid plan: p.toml, line 5: area `omstalning` is not in God och nära vård 2019 (its areas: \
         omstallning, tillganglighet, patientkontrakt); did you mean `omstallning`?"
    );
    assert_eq!(
        check_error("p.csv", "omstallning;A;19\n", &["--region", "23"]),
        "fordela: p.csv: the plan does not say its unit: pass --unit (kr, tkr or mkr), e.g. --unit MSEK"
    );
    assert_eq!(
        check_error("p.toml", CLEAN, &["--region", "24"]),
        "fordela: the plan is for region `23`, but --region says `24`"
    );
}

#[test]
fn standard_input_for_two_inputs_is_refused() {
    let plan = "Område;Insats;Belopp (mkr)\nomstallning;S;19,10\ntillganglighet;A;5,77\npatientkontrakt;B;5,77\n";
    let run = fordela_stdin(&["check", "-", "-a", "-", "-r", "23"], plan.as_bytes());
    common::assert_refused(&run, &["standard input (`-`) is given for two inputs"]);
    assert!(!run.stderr.contains("missing field"), "{}", run.stderr);
}

// `check` keeps an area's line and findings apart from the plan's total: the report names the
// total by type, not by the word `total` (an agreement cannot call an area `total` any more:
// that id is refused, as the name of an output column).
//
// Worked by hand: population 500 / 301 / 199 (tests/data/population-small.csv, 2020-12-31).
// Area `stod`, 600 kr: quotas 300, 180,6, 119,4; floors 300 + 180 + 119 = 599, the last krona
// to the largest remainder (Beta, 0,6): Beta gets 181. Area `b`, 400 kr: quotas 200, 120,4,
// 79,6; the last krona to Gamma (0,6): Beta gets 120. Beta's total: 301 kr.
//
// Beta's plan, in whole kr (tolerance ±0,5 kr): area `stod` 190 (9 above 181: an error),
// `b` 110 (10 below 120: a warning), total 300 = 190 + 110 (1 below 301: a warning). So the
// area's line is an error and the plan's total only a warning.

const AGREEMENT: &str = r#"name = "Totalstöd 2021"
unit = "kr"
total = 1000
population_date = 2020-12-31
[[areas]]
id = "stod"
name = "Totalt stöd"
regions = 600
[[areas]]
id = "b"
regions = 400
"#;

const PLAN: &str = r#"region = "02"
unit = "kr"
total = 300
[[areas]]
id = "stod"
amount = 190
interventions = [{ name = "X", amount = 190 }]
[[areas]]
id = "b"
amount = 110
interventions = [{ name = "Y", amount = 110 }]
"#;

fn check(format: &str) -> common::Run {
    let population = std::fs::read(data("population-small.csv")).unwrap();
    let dir = temp_files(&[
        ("agreement.toml", AGREEMENT.as_bytes()),
        ("plan.toml", PLAN.as_bytes()),
        ("population.csv", &population),
    ]);
    let args = ["check", "plan.toml", "-a", "agreement.toml", "--population", "population.csv", "-f", format];
    fordela_in(dir.path(), &args, None)
}

#[test]
fn an_area_has_its_own_line_and_findings_apart_from_the_total() {
    let run = check("json");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let area = &json["areas"][0];
    assert_eq!(area["area"], "stod");
    assert_eq!(area["allocation"], "181");
    assert_eq!(area["declared"], "190");
    assert_eq!(area["difference"], "9");
    assert_eq!(area["verdict"], "error");
    let total = &json["total"];
    assert_eq!(total["area"], "total");
    assert_eq!(total["allocation"], "301");
    assert_eq!(total["declared"], "300");
    assert_eq!(total["parts"], "300");
    assert_eq!(total["difference"], "-1");
    assert_eq!(total["verdict"], "warning");

    let findings: Vec<(&str, &str, u64, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap();
            (text("id"), text("area"), f["line"].as_u64().unwrap(), text("message"))
        })
        .collect();
    assert_eq!(
        findings,
        [
            (
                "allocation-over",
                "stod",
                6,
                "area `stod` plans 190 kr, 9 kr above the allocation of 181 kr (181 kr to the plan's precision; \
                 tolerance ±0,5 kr)"
            ),
            (
                "allocation-under",
                "b",
                10,
                "area `b` plans 110 kr, 10 kr below the allocation of 120 kr (120 kr to the plan's precision; \
                 tolerance ±0,5 kr)"
            ),
            (
                "allocation-under",
                "total",
                3,
                "the plan's total plans 300 kr, 1 kr below the allocation of 301 kr (301 kr to the plan's \
                 precision; tolerance ±0,5 kr)"
            ),
        ]
    );
    assert_eq!((json["errors"].as_u64(), json["warnings"].as_u64()), (Some(1), Some(2)));
}

#[test]
fn an_area_keeps_its_findings_apart_from_the_total_in_csv_and_table() {
    let run = check("csv");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    let expected = [
        "area,allocation,allocation_rounded,declared,interventions,difference,verdict,findings",
        // The area: only its own finding, its own verdict.
        "stod,181,181,190,190,9,error,allocation-over",
        "b,120,120,110,110,-10,warning,allocation-under",
        // The plan's total, last: only the total's findings.
        "total,301,301,300,300,-1,warning,allocation-under",
    ];
    let expected: Vec<Vec<String>> =
        expected.iter().map(|line| line.split(',').map(str::to_string).collect()).collect();
    assert_eq!(rows, expected);

    let table = check("table");
    assert!(
        table.stdout.contains("  error   allocation-over        stod (line 6): area `stod` plans 190 kr"),
        "{}",
        table.stdout
    );
    assert!(!table.stdout.contains("the plan's total plans 190 kr"), "{}", table.stdout);
}
