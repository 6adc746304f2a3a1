//! A catalogue of bad inputs across the three file kinds (agreement, population, plan). Each
//! must end with exit 2, nothing on stdout and exactly this message: a tired controller's
//! Excel export must never crash fordela, write half a file or pass silently. (More cases,
//! one per test, are in `error_messages.rs`, `check.rs`, `rules.rs` and `explain.rs`.)

use crate::common;

use common::{fordela_in, temp_files};

const AGREEMENT: &str =
    "name = \"T\"\nunit = \"kr\"\ntotal = 10\npopulation_date = 2020-12-31\n[[areas]]\nid = \"a\"\nregions = 10\n";
const POPULATION: &str = "code,region,date,population\n01,A,2020-12-31,5\n02,B,2020-12-31,7\n";

/// Writes `files` (with `a.toml` and `p.csv` defaulting to the good ones) and runs `args`.
fn fails(files: &[(&str, &[u8])], args: &[&str]) -> String {
    let mut all: Vec<(&str, &[u8])> = vec![("a.toml", AGREEMENT.as_bytes()), ("p.csv", POPULATION.as_bytes())];
    for (name, contents) in files {
        all.retain(|(known, _)| known != name);
        all.push((name, contents));
    }
    let dir = temp_files(&all);
    let run = fordela_in(dir.path(), args, None);
    assert_eq!(run.code, 2, "args {args:?}\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "stdout after an error: {}", run.stdout);
    run.stderr.trim_end().to_string()
}

fn agreement(text: &str) -> String {
    fails(&[("a.toml", text.as_bytes())], &["allocate", "a.toml", "--population", "p.csv"])
}

fn population(text: &[u8]) -> String {
    fails(&[("p.csv", text)], &["allocate", "a.toml", "--population", "p.csv"])
}

fn plan(name: &str, text: &[u8], extra: &[&str]) -> String {
    let mut args = vec!["check", name, "-a", "a.toml", "--population", "p.csv"];
    args.extend_from_slice(extra);
    fails(&[(name, text)], &args)
}

#[test]
fn agreement_catalogue() {
    // (text replaced in the good agreement, its replacement, the message)
    let cases: &[(&str, &str, &str)] = &[
        (
            "total = 10",
            "total = true",
            "a.toml, line 3, column 9: `total`: expected an amount (a number, or a string such as \"2 430\"), found a boolean",
        ),
        ("name = \"T\"\n", "", "a.toml, line 1, column 1: missing field `name`"),
        (
            "regions = 10",
            "regions = 99999999999999999999999999",
            "a.toml, line 7, column 11: the number is outside what a TOML integer holds \
             (-9223372036854775808 to 9223372036854775807): write it as a string, e.g. \"99 999 999 999 999 999 999\"",
        ),
        (
            "total = 10",
            "total = \"1,2,3\"",
            "a.toml, line 3, column 9: `total`: `1,2,3` has more than one decimal separator",
        ),
        (
            "total = 10",
            "total = \"5.8.1\"",
            "a.toml, line 3, column 9: `total`: `5.8.1` has more than one decimal separator",
        ),
        (
            "regions = 10",
            "regions = \"\u{2212}10\"",
            "a.toml, line 7, column 11: area `a`: `regions` = -10 kr is negative: amounts cannot be below zero",
        ),
        (
            "regions = 10",
            "regons = 10",
            "a.toml, line 7, column 1: unknown field `regons`, expected one of `id`, `name`, `regions`, `other`, \
             `method`, `key`, `mix`, `base`, `minimum`, `maximum`, `per_capita`; did you mean `regions`?",
        ),
        ("total = 10", "total = nan", "a.toml, line 3, column 9: `total`: nan cannot be held exactly"),
        (
            "id = \"a\"",
            "id = \"område a\"",
            "a.toml, line 6, column 6: area id `område a` must be short ascii (letters, digits, `_`, `-`): it names a CSV column",
        ),
        (
            "population_date = 2020-12-31",
            "population_date = 2020-12-31T10:00:00",
            "a.toml, line 4, column 19: expected a date such as 2018-11-01, found 2020-12-31T10:00:00",
        ),
        (
            "regions = 10",
            "regions = 0\nother = [{ recipient = \"SKR\", amount = 10 }]",
            "a.toml, line 3, column 9: no area gives the regions anything (every `regions` is zero): there is nothing to divide",
        ),
        ("unit = \"kr\"", "unit = [\"kr\"]", "a.toml, line 2, column 8: invalid type: sequence, expected a string"),
        ("regions = 10\n", "", "a.toml, line 5, column 1: missing field `regions`"),
    ];
    for (from, to, expected) in cases {
        assert!(AGREEMENT.contains(from), "{from:?}");
        let text = AGREEMENT.replacen(from, to, 1);
        assert_eq!(agreement(&text), format!("fordela: invalid agreement: {expected}"), "case {to:?}");
    }
}

#[test]
fn population_catalogue() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"code,region,date,population\n01,A,2020-12-31,5\n02,B,2020-02-30,7\n",
            "invalid population: p.csv, line 3: field `date`: `2020-02-30` is not a date, expected YYYY-MM-DD such as 2018-12-31",
        ),
        (
            b"code,region,date,population\n01,A,2020-12-31,99999999999999999999999\n",
            "invalid population: p.csv, line 2: field `population`: `99999999999999999999999` is too large",
        ),
        (
            b"code,region,date,population\n,A,2020-12-31,5\n",
            "invalid population: p.csv, line 2: field `code` is empty, expected a code such as 01",
        ),
        (
            b"code,region,date,population\n01,A,2020-12-31,5\n02,B,2020-12-31,7,1\n",
            "invalid population: p.csv, line 3: field 5 (`1`) has no column header, so fordela would ignore it: give \
             the column a header such as `kommentar` to keep it as a comment, or delete it",
        ),
        (
            b"kod;l\xc3\xa4n;datum;befolkning\n01;A;2020-12-31;1.234,5\n",
            "invalid population: p.csv, line 2: field `population`: `1.234,5` mixes `.` and `,`: write the decimal \
             separator only (1234,5 or 1234.5)",
        ),
        (
            b"code,region,date,population\n01,A,2020-12-31,\xe2\x88\x925\n",
            "invalid population: p.csv, line 2: field `population`: `\u{2212}5` is negative, expected a whole number of people",
        ),
        (
            b"code,region,date,population\n01,A,2020-12-31,fem\n",
            "invalid population: p.csv, line 2: field `population`: `fem` is not a number: unexpected character `f` \
             (expected digits, one `,` or `.`)",
        ),
        (
            b"code,region,dag,population\n01,A,2020-12-31,5\n",
            "invalid population: p.csv, line 1: the header has no `date` column (it has: code, region, dag, population), \
             expected `code,region,date,population`",
        ),
        (
            b"\xef\xbb\xbf\r\n\r\n",
            "invalid population: p.csv: is empty, expected a header line `code,region,date,population` and rows",
        ),
        (
            b"code,region,date,population\n01,A,2020-12-31,5\n,Totalt,2020-12-31,6\n",
            "invalid population: p.csv, line 3: sum row says 6 for 2020-12-31, but the rows of that date add up to 5",
        ),
        (
            b"code,region,date,population\n01,A,2020-12-31,5\n",
            "p.csv: the regions on 2020-12-31 lack 03 Uppsala l\u{e4}n, 04 S\u{f6}dermanlands l\u{e4}n, 05 \u{d6}sterg\u{f6}tlands l\u{e4}n, \
             06 J\u{f6}nk\u{f6}pings l\u{e4}n, 07 Kronobergs l\u{e4}n, 08 Kalmar l\u{e4}n, 09 Gotlands l\u{e4}n, 10 Blekinge l\u{e4}n, \
             12 Sk\u{e5}ne l\u{e4}n, 13 Hallands l\u{e4}n, 14 V\u{e4}stra G\u{f6}talands l\u{e4}n, 17 V\u{e4}rmlands l\u{e4}n, \
             18 \u{d6}rebro l\u{e4}n, 19 V\u{e4}stmanlands l\u{e4}n, 20 Dalarnas l\u{e4}n, 21 G\u{e4}vleborgs l\u{e4}n, \
             22 V\u{e4}sternorrlands l\u{e4}n, 23 J\u{e4}mtlands l\u{e4}n, 24 V\u{e4}sterbottens l\u{e4}n, 25 Norrbottens l\u{e4}n; \
             a split among the regions needs all 21 (pass --allow-missing-regions if this is intended)",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(population(text), format!("fordela: {expected}"), "case {:?}", String::from_utf8_lossy(text));
    }
}

#[test]
fn other_keys_catalogue() {
    let kids = AGREEMENT.replace("regions = 10", "regions = 10\nkey = \"kids\"");
    let run = fails(
        &[("a.toml", kids.as_bytes()), ("p.csv", b"code,region,date,population,kids\n01,A,2020-12-31,5,x\n")],
        &["allocate", "a.toml", "--population", "p.csv"],
    );
    assert_eq!(
        run,
        "fordela: invalid population: p.csv, line 2: field `kids`: `x` is not a number: unexpected character `x` \
         (expected digits, one `,` or `.`)"
    );
    let run = fails(&[("a.toml", kids.as_bytes())], &["allocate", "a.toml", "--population", "p.csv"]);
    assert_eq!(
        run,
        "fordela: invalid population: p.csv, line 1: the header has no `kids` column (it has: code, region, date, \
         population), expected `code,region,date,population,kids`"
    );
    let unknown = AGREEMENT.replace("regions = 10", "regions = 10\nmethod = \"borda\"");
    assert_eq!(
        agreement(&unknown),
        "fordela: invalid agreement: a.toml, line 8, column 10: area `a`: unknown method `borda`, expected one of: \
         largest-remainder, dhondt (jefferson), sainte-lague (webster), huntington-hill, adams"
    );
    let excluded = format!("{AGREEMENT}[eligibility]\nexcluded = [\"03\"]\npolicy = \"redistribute\"\n");
    assert_eq!(
        agreement(&excluded),
        "fordela: a.toml, line 9: `excluded`: unknown region `03`: not a code or name of a region in p.csv"
    );
}

#[test]
fn plan_catalogue() {
    let toml = |body: &str| format!("region = \"01\"\nunit = \"kr\"\n{body}");
    let cases: Vec<(&str, Vec<u8>, &[&str], &str)> = vec![
        (
            "p.toml",
            toml("[[areas]]\nid = \"a\"\namount = 10\ninterventions = [{ name = \"x\", amount = 10, cost = 3 }]\n")
                .into_bytes(),
            &[],
            "invalid plan: p.toml, line 6, column 45: unknown field `cost`, expected one of `id`, `name`, `amount`",
        ),
        (
            "p.toml",
            toml("[[area]]\nid = \"a\"\n").into_bytes(),
            &[],
            "invalid plan: p.toml, line 3, column 3: unknown field `area`, expected one of `region`, `unit`, `total`, \
             `areas`; did you mean `areas`?",
        ),
        (
            "p.toml",
            toml("[[areas]]\nid = \"a\"\namount = \"1.234,5\"\n").into_bytes(),
            &[],
            "invalid plan: p.toml, line 5, column 10: `amount`: `1.234,5` mixes `.` and `,`: write the decimal \
             separator only (1234,5 or 1234.5)",
        ),
        (
            "p.toml",
            toml("[[areas]]\nid = \"a\"\n[[areas]]\nid = \"a\"\n").into_bytes(),
            &[],
            "invalid plan: p.toml, line 6: area `a` appears twice (first on line 4)",
        ),
        (
            "p.csv",
            b"a;x;5\na;y\n".to_vec(),
            &["-r", "01", "-u", "kr"],
            "invalid plan: p.csv, line 2: this row has 2 fields, the first row has 3: every row needs a field for \
             each column (an empty one is written `;;`), so a field is missing or two were joined",
        ),
        ("p.csv", Vec::new(), &["-r", "01", "-u", "kr"], "invalid plan: p.csv: is empty, expected rows"),
        (
            "p.csv",
            b"a;x;5\x81\n".to_vec(),
            &["-r", "01", "-u", "kr"],
            "reading plan: p.csv, line 1: is neither UTF-8 nor Windows-1252 (byte 0x81 at offset 5 is undefined in \
             Windows-1252): save it again as UTF-8 (in Excel: \"CSV UTF-8\")",
        ),
        (
            "p.csv",
            b"a;x;5\n;y;3\n".to_vec(),
            &["-r", "01", "-u", "kr"],
            "invalid plan: p.csv, line 2: field `area` is empty, expected an area id or name",
        ),
        (
            "p.csv",
            b"a;Totalt;5\na;Totalt;5\n".to_vec(),
            &["-r", "01", "-u", "kr"],
            "invalid plan: p.csv, line 2: a second `Totalt` row for area `a` (the first is on line 1)",
        ),
        // Found by review after fuzzing: sums of huge amounts, and too many decimals for the
        // precision rule, panicked inside `Decimal` before these limits.
        (
            "p.toml",
            toml("[[areas]]\nid = \"a\"\ninterventions = [{ name = \"x\", amount = \"79228162514264337593543950335\" }, { name = \"y\", amount = \"79228162514264337593543950335\" }]\n").into_bytes(),
            &[],
            "invalid plan: p.toml, line 5, column 41: `amount`: `79228162514264337593543950335` is too large for a plan (more than 10^18)",
        ),
        (
            "p.csv",
            b"a;x;0,0000000000000000000000000001\n".to_vec(),
            &["-r", "01", "-u", "kr"],
            "invalid plan: p.csv, line 1: field `amount`: `0,0000000000000000000000000001` has more than 12 decimals",
        ),
        ("p.csv", b"a;x;5\n".to_vec(), &["-r", "01", "-u", "euro"], ""),
    ];
    for (name, text, extra, expected) in cases {
        let message = plan(name, &text, extra);
        if expected.is_empty() {
            // clap's own usage error: exit 2 with its message.
            assert!(message.contains("unknown unit `euro`"), "{message}");
        } else {
            assert_eq!(message, format!("fordela: {expected}"), "case {:?}", String::from_utf8_lossy(&text));
        }
    }
}

#[test]
fn directories_are_not_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for (args, expected) in [
        (vec!["allocate", "--population", "sub"], "fordela: reading population: sub: is a directory, expected a file"),
        (vec!["check", "sub", "-r", "23", "-u", "mkr"], "fordela: reading plan: sub: is a directory, expected a file"),
        (vec!["allocate", "-o", "sub"], "fordela: cannot write sub: it is a directory"),
    ] {
        let run = fordela_in(dir.path(), &args, None);
        assert_eq!(run.code, 2);
        assert!(run.stdout.is_empty());
        assert_eq!(run.stderr.trim_end(), expected);
    }
}
