//! A name is one name in every command: composed and decomposed letters (NFC and NFD) are the
//! same name, and a name holding a character that does not show (soft hyphen, zero-width
//! space, a stray byte order mark) or a bidi control is refused where it was written, naming
//! the code point. One test per command that compares names; the figures expected are worked
//! out here, never taken from fordela's output.

use crate::common::{Run, assert_refused, csv_rows, fordela_in, temp_files};

/// `text` with its letters decomposed as macOS and PDF copies write them (NFD): `å` is `a` and
/// U+030A, `ä` is `a` and U+0308, `ö` is `o` and U+0308 (and the capitals likewise). Written
/// out by hand, so that the test does not lean on the normalization it tests.
fn nfd(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            'å' => out.push_str("a\u{30a}"),
            'ä' => out.push_str("a\u{308}"),
            'ö' => out.push_str("o\u{308}"),
            'Å' => out.push_str("A\u{30a}"),
            'Ä' => out.push_str("A\u{308}"),
            'Ö' => out.push_str("O\u{308}"),
            c => out.push(c),
        }
    }
    assert_ne!(out, text, "the test needs a name with å, ä or ö");
    out
}

/// Runs fordela in a directory holding `files`.
fn run_with(files: &[(&str, &str)], args: &[&str]) -> Run {
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(name, text)| (*name, text.as_bytes())).collect();
    let dir = temp_files(&bytes);
    fordela_in(dir.path(), args, None)
}

/// The characters a name may not hold, with the code point and name a message gives.
const HIDDEN: [(char, &str); 5] = [
    ('\u{ad}', "U+00AD SOFT HYPHEN"),
    // Shows as a blank, yet is no whitespace: `Vårdcentral⠀ Åre` would be a second provider.
    ('\u{2800}', "U+2800 BRAILLE PATTERN BLANK"),
    ('\u{200b}', "U+200B ZERO WIDTH SPACE"),
    ('\u{feff}', "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ('\u{202e}', "U+202E RIGHT-TO-LEFT OVERRIDE"),
];

/// `name` with `hidden` after its third character.
fn with_hidden(name: &str, hidden: char) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    chars.insert(3, hidden);
    chars.into_iter().collect()
}

const PLAN_HEADER: &str = "område;insats;belopp\n";

#[test]
fn check_counts_a_name_written_composed_and_decomposed_as_one_duplicate() {
    let name = "Utökad tillgänglighet";
    let plan = format!(
        "{PLAN_HEADER}omstallning;{name};10\nomstallning;{};9\ntillganglighet;Väntetider;5,8\npatientkontrakt;Kontrakt;5,8\n",
        nfd(name)
    );
    let run = run_with(&[("plan.csv", &plan)], &["check", "plan.csv", "-r", "23", "-u", "mkr", "-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let duplicate = json["findings"].as_array().unwrap().iter().find(|f| f["id"] == "intervention-duplicate");
    let duplicate = duplicate.unwrap_or_else(|| panic!("no intervention-duplicate in {}", run.stdout));
    assert_eq!(duplicate["line"], 3, "{duplicate}");
}

#[test]
fn check_finds_an_area_by_its_decomposed_name() {
    // The agreement's full names, decomposed, name its areas as their ids do: the plan is the
    // same plan, so `check` says the same of it.
    let rows = [
        ("omstallning", "Omställning till god och nära vård", "19,1"),
        ("tillganglighet", "Förbättra och utveckla tillgängligheten i primärvården", "5,8"),
        (
            "patientkontrakt",
            "Patientkontrakt och andra sätt att främja samordning, samverkan och ökad delaktighet",
            "5,7",
        ),
    ];
    let by_id = rows.iter().map(|(id, _, amount)| format!("{id};Insats;{amount}\n")).collect::<Vec<_>>().concat();
    let by_name =
        rows.iter().map(|(_, name, amount)| format!("{};Insats;{amount}\n", nfd(name))).collect::<Vec<_>>().concat();
    let args = ["check", "plan.csv", "-r", "23", "-u", "mkr", "-f", "csv"];
    let ids = run_with(&[("plan.csv", &format!("{PLAN_HEADER}{by_id}"))], &args);
    let names = run_with(&[("plan.csv", &format!("{PLAN_HEADER}{by_name}"))], &args);
    // 19,1 + 5,8 + 5,7 = 30,6: the allocation rounded to tenths, so no finding at all.
    assert_eq!((ids.code, names.code), (0, 0), "{}\n{}", ids.stderr, names.stderr);
    assert_eq!(ids.stdout, names.stdout);
}

#[test]
fn check_refuses_a_hidden_character_in_a_name_at_its_line() {
    for (hidden, code_point) in HIDDEN {
        let plan = format!("{PLAN_HEADER}omstallning;Strategi;19\nomstallning;{};1\n", with_hidden("Zamsyn", hidden));
        let run = run_with(&[("plan.csv", &plan)], &["check", "plan.csv", "-r", "23", "-u", "mkr"]);
        assert_refused(&run, &["plan.csv, line 3: field `insats`: `Zam<U+", code_point, "delete the character"]);
        assert!(!run.stderr.contains(hidden), "the message shows the code point, not the character: {}", run.stderr);
    }
    // In a TOML plan, at the name's line and column.
    let plan = "unit = \"mkr\"\n[[areas]]\nid = \"omstallning\"\ninterventions = [\n  { name = \"Zam\u{ad}syn\", amount = 1 },\n]\n";
    let run = run_with(&[("plan.toml", plan)], &["check", "plan.toml", "-r", "23"]);
    assert_refused(&run, &["plan.toml, line 5", "`name`: `Zam<U+00AD>syn` holds U+00AD SOFT HYPHEN"]);
}

#[test]
fn diff_sees_no_change_in_a_name_written_decomposed() {
    let rows = [("omstallning", "Utökad tillgänglighet", "19"), ("tillganglighet", "Förändrade arbetssätt", "5,8")];
    let old = rows.iter().map(|(area, name, amount)| format!("{area};{name};{amount}\n")).collect::<Vec<_>>().concat();
    let new =
        rows.iter().map(|(area, name, amount)| format!("{area};{};{amount}\n", nfd(name))).collect::<Vec<_>>().concat();
    let files = [("old.csv", format!("{PLAN_HEADER}{old}")), ("new.csv", format!("{PLAN_HEADER}{new}"))];
    let files: Vec<(&str, &str)> = files.iter().map(|(name, text)| (*name, text.as_str())).collect();
    let run = run_with(&files, &["diff", "old.csv", "new.csv", "-u", "mkr", "-f", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    let changes: Vec<&str> = rows.iter().filter(|row| row[0] == "intervention").map(|row| row[2].as_str()).collect();
    assert_eq!(changes, ["unchanged", "unchanged"], "{}", run.stdout);
    // A soft hyphen in the new version's name is refused, not shown as a rename.
    let hyphen = format!("{PLAN_HEADER}omstallning;Utökad till\u{ad}gänglighet;19\n");
    let run = run_with(&[("old.csv", files[0].1), ("new.csv", &hyphen)], &["diff", "old.csv", "new.csv", "-u", "mkr"]);
    assert_refused(&run, &["new.csv, line 2: field `insats`", "U+00AD SOFT HYPHEN"]);
}

const FOLLOW_PLAN: &str = "område;insats;belopp (tkr)\nomstallning;Utökad tillgänglighet;1\nomstallning;Zamsyn;2\n";

#[test]
fn follow_up_books_both_spellings_on_one_intervention_and_one_decision() {
    // 600 kr written composed, 700 kr decomposed, one decision written in two cases: 1 300 kr
    // against 1 000 kr, 300 kr over, decided. Zamsyn: 2 000 kr of 2 tkr.
    let name = "Utökad tillgänglighet";
    let outcome = format!("insats;belopp;beslut\n{name};600;RS 2019/12\n{};700;rs 2019/12\nZamsyn;2000;\n", nfd(name));
    let run = run_with(
        &[("plan.csv", FOLLOW_PLAN), ("utfall.csv", &outcome)],
        &["follow-up", "plan.csv", "utfall.csv", "-f", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    let line = &json["areas"][0]["interventions"][0];
    assert_eq!(line["outcome"], "1.3", "{line}");
    assert_eq!(line["outcome_lines"], serde_json::json!([2, 3]));
    assert_eq!(line["decisions"], serde_json::json!(["RS 2019/12"]));
    assert_eq!(json["unmatched"]["rows"], serde_json::json!([]));
    assert_eq!(json["total"]["outcome"], "3.3");
}

#[test]
fn follow_up_refuses_a_plan_with_one_name_twice_however_written() {
    let name = "Utökad tillgänglighet";
    let plan = format!("område;insats;belopp (tkr)\nomstallning;{name};1\nomstallning;{};1\n", nfd(name));
    let run = run_with(
        &[("plan.csv", &plan), ("utfall.csv", "insats;belopp\nZamsyn;1\n")],
        &["follow-up", "plan.csv", "utfall.csv"],
    );
    assert_refused(&run, &["plan.csv, line 3: intervention", "appears twice in area `omstallning` (first on line 2)"]);
}

#[test]
fn follow_up_refuses_hidden_characters_in_every_compared_column() {
    for (hidden, code_point) in HIDDEN {
        for (column, row) in [
            ("insats", format!("{};100;9916;omstallning;RS 1", with_hidden("Zamsyn", hidden))),
            ("objekt", format!("Zamsyn;100;{};omstallning;RS 1", with_hidden("99166", hidden))),
            ("område", format!("Zamsyn;100;9916;{};RS 1", with_hidden("omstallning", hidden))),
            ("beslut", format!("Zamsyn;100;9916;omstallning;{}", with_hidden("RS 2019/1", hidden))),
        ] {
            let outcome = format!("insats;belopp;objekt;område;beslut\nZamsyn;5;9916;omstallning;\n{row}\n");
            let run = run_with(
                &[("plan.csv", FOLLOW_PLAN), ("utfall.csv", &outcome)],
                &["follow-up", "plan.csv", "utfall.csv"],
            );
            assert_refused(&run, &[&format!("utfall.csv, line 3: field `{column}`"), code_point]);
        }
    }
}

#[test]
fn report_refuses_a_bidi_control_and_isolates_every_input_text() {
    // An override in a name would show `612` as `216`: refused where it is written.
    let plan = "område;insats;belopp\nomstallning;Zamsyn \u{202e}612;19\n";
    let run = run_with(&[("plan.csv", plan)], &["report", "plan.csv", "-r", "23", "--plan-unit", "mkr"]);
    assert_refused(&run, &["plan.csv, line 2: field `insats`", "U+202E RIGHT-TO-LEFT OVERRIDE, a direction control"]);
    // A name in a right-to-left script is a name; a comment is text and may hold a control. Both
    // are isolated in the page, and the control is shown as its code point.
    let plan = "område;insats;belopp;kommentar\nomstallning;שלום;19,1;\u{202e}obs 612\n\
                tillganglighet;Väntetider;5,8;\npatientkontrakt;Kontrakt;5,7;\n";
    let run = run_with(&[("plan.csv", plan)], &["report", "plan.csv", "-r", "23", "--plan-unit", "mkr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = &run.stdout;
    assert!(!html.contains('\u{202e}'), "a bidi control reached the page");
    assert!(html.contains("<td class=\"name\"><bdi>שלום</bdi></td><td class=\"n\">19,1</td>"), "{html}");
    assert!(html.contains("<td class=\"note\"><bdi>[U+202E]obs 612</bdi></td>"), "{html}");
    assert!(html.contains("bdi { unicode-bidi: isolate; }"));
    // Every cell of a name is isolated: the areas, the plan and the region too.
    assert!(html.contains("<tr><td><bdi>Omställning till god och nära vård</bdi></td><td class=\"n\">19,102294</td>"));
    assert!(html.contains("<p class=\"meta\">Plan: <bdi>plan.csv</bdi>;"), "{html}");
}

#[test]
fn payouts_take_a_decomposed_provider_as_the_same_provider() {
    let provider = "Vårdcentral Åre";
    // 1 000 kr over four quarters: 250 kr each; a request of 250 kr for Q1 by the decomposed
    // name is the same provider's, accepted, 750 kr left.
    let decisions = format!("utförare;område;belopp;från;till\n{provider};tillganglighet;1000;2019Q1;2019Q4\n");
    let requests = format!("utförare;område;kvartal;belopp\n{};tillganglighet;2019Q1;250\n", nfd(provider));
    let run = run_with(
        &[("d.csv", &decisions), ("r.csv", &requests)],
        &["payouts", "d.csv", "--requests", "r.csv", "-f", "csv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    let decision = rows.iter().find(|row| row[0] == "decision").unwrap();
    assert_eq!(decision[decision.len() - 3..], ["1000", "250", "750"], "{}", run.stdout);
    // A second decision for the decomposed name over the same quarters is the same provider's:
    // refused, never added as another provider's.
    let twice = format!("{decisions}{};tillganglighet;2000;2019Q1;2019Q2\n", nfd(provider));
    let run = run_with(&[("d.csv", &twice)], &["payouts", "d.csv"]);
    assert_refused(&run, &["d.csv, line 3", "a second decision for", "the first is on line 2"]);
}

#[test]
fn payouts_refuse_hidden_characters_in_providers_and_areas() {
    for (hidden, code_point) in HIDDEN {
        let decisions = format!(
            "utförare;område;belopp;från;till\n{};tillganglighet;1000;2019Q1;2019Q4\n",
            with_hidden("Vårdcentral", hidden)
        );
        let run = run_with(&[("d.csv", &decisions)], &["payouts", "d.csv"]);
        assert_refused(&run, &["d.csv, line 2: field `utförare`", code_point]);
        let requests =
            format!("utförare;område;kvartal;belopp\nA;{};2019Q1;1\n", with_hidden("tillganglighet", hidden));
        let decisions = "utförare;område;belopp;från;till\nA;tillganglighet;1000;2019Q1;2019Q4\n";
        let run = run_with(&[("d.csv", decisions), ("r.csv", &requests)], &["payouts", "d.csv", "--requests", "r.csv"]);
        assert_refused(&run, &["r.csv, line 2: field `område`", code_point]);
    }
    let toml = "[[decisions]]\nprovider = \"Vård\u{200b}central\"\narea = \"a\"\namount = 4\nfrom = \"2019Q1\"\nto = \"2019Q4\"\n";
    let run = run_with(&[("d.toml", toml)], &["payouts", "d.toml"]);
    assert_refused(&run, &["d.toml, line 2", "`provider`: `Vård<U+200B>central` holds U+200B ZERO WIDTH SPACE"]);
}

const POPULATION: &str = "code,region,date,population\n01,Stockholms län,2018-12-31,1\n03,Uppsala län,2018-12-31,3\n\
                          23,Jämtlands län,2018-12-31,4\n";

#[test]
fn audit_knows_a_recipient_by_its_decomposed_name_and_refuses_it_twice() {
    // 1 000 kr by population 1 : 3 : 4 is 125, 375 and 500 kr, each a quota exactly.
    let table = format!("region;belopp\nStockholms län;125\nUppsala län;375\n{};500\n", nfd("Jämtlands län"));
    let args = ["audit", "t.csv", "--total", "1000", "--unit", "kr", "--population", "pop.csv", "-f", "csv"];
    let run = run_with(&[("t.csv", &table), ("pop.csv", POPULATION)], &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    let jamtland = rows.iter().find(|row| row[2] == "23").unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!((jamtland[5].as_str(), jamtland[8].as_str(), jamtland[10].as_str()), ("500", "500", "yes"));
    // The same recipient twice, once composed and once not: one recipient has one row.
    let twice = "region;belopp\nStockholms län;125\nJämtlands län;375\n".to_string() + &nfd("Jämtlands län") + ";500\n";
    let run = run_with(&[("t.csv", &twice), ("pop.csv", POPULATION)], &args);
    assert_refused(&run, &["t.csv, line 4", "which line 3 already gives", "a recipient has one row"]);
    // A hidden character in a recipient's name is refused at its line.
    let hidden = "region;belopp\nStockholms län;125\nUpp\u{ad}sala län;375\nJämtlands län;500\n";
    let run = run_with(&[("t.csv", hidden), ("pop.csv", POPULATION)], &args);
    assert_refused(&run, &["t.csv, line 3: field `region`", "U+00AD SOFT HYPHEN"]);
}

#[test]
fn audit_finds_an_area_by_its_decomposed_name() {
    let agreement = "name = \"T\"\nunit = \"kr\"\ntotal = 1000\npopulation_date = 2018-12-31\n\
                     [[areas]]\nid = \"a\"\nname = \"Omställning\"\nregions = 1000\n";
    let table = "region;belopp\nStockholms län;125\nUppsala län;375\nJämtlands län;500\n";
    let wanted = nfd("Omställning");
    let args = ["audit", "t.csv", "-a", "a.toml", "--area", &wanted, "--unit", "kr", "--population", "pop.csv"];
    let run = run_with(&[("t.csv", table), ("a.toml", agreement), ("pop.csv", POPULATION)], &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

const AGREEMENT_HEAD: &str = "name = \"T\"\nunit = \"kr\"\ntotal = 1000\npopulation_date = 2018-12-31\n";

#[test]
fn allocate_excludes_a_region_named_decomposed_and_refuses_one_hidden() {
    // Jämtland (4 of 8 people) excluded, its share redistributed: 1 000 kr among 1 : 3 is 250
    // and 750 kr.
    let agreement = format!(
        "{AGREEMENT_HEAD}[eligibility]\nexcluded = [\"{}\"]\npolicy = \"redistribute\"\n\
         [[areas]]\nid = \"a\"\nregions = 1000\n",
        nfd("Jämtland")
    );
    let args = ["allocate", "a.toml", "--population", "pop.csv", "--allow-missing-regions", "-f", "csv"];
    let run = run_with(&[("a.toml", &agreement), ("pop.csv", POPULATION)], &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    let amounts: Vec<(&str, &str)> = rows[1..4].iter().map(|row| (row[0].as_str(), row[4].as_str())).collect();
    assert_eq!(amounts, [("01", "250"), ("03", "750"), ("23", "0")], "{}", run.stdout);
    // A zero-width space in the excluded name, in the file or on the command line: refused.
    let hidden = agreement.replace(&nfd("Jämtland"), "Jämt\u{200b}land");
    let run = run_with(&[("a.toml", &hidden), ("pop.csv", POPULATION)], &args);
    assert_refused(&run, &["a.toml, line 6", "`excluded`: `Jämt<U+200B>land` holds U+200B ZERO WIDTH SPACE"]);
    let mut exclude = args.to_vec();
    exclude.extend(["--exclude", "Jäm\u{202e}tland"]);
    let plain = format!("{AGREEMENT_HEAD}[[areas]]\nid = \"a\"\nregions = 1000\n");
    let run = run_with(&[("a.toml", &plain), ("pop.csv", POPULATION)], &exclude);
    assert_refused(&run, &["--exclude", "U+202E RIGHT-TO-LEFT OVERRIDE"]);
}

#[test]
fn allocate_refuses_two_areas_of_one_name_and_a_hidden_character_in_an_agreement() {
    let twice = format!(
        "{AGREEMENT_HEAD}[[areas]]\nid = \"a\"\nname = \"Omställning\"\nregions = 500\n\
         [[areas]]\nid = \"b\"\nname = \"{}\"\nregions = 500\n",
        nfd("Omställning")
    );
    let args = ["allocate", "a.toml", "--population", "pop.csv", "--allow-missing-regions"];
    let run = run_with(&[("a.toml", &twice), ("pop.csv", POPULATION)], &args);
    assert_refused(&run, &["a.toml, line 10", "area `b`: its name `", "is also the name of area `a`"]);
    for (text, code_point) in [
        (format!("{AGREEMENT_HEAD}[[areas]]\nid = \"a\"\nname = \"Omst\u{ad}ällning\"\nregions = 1000\n"), "U+00AD"),
        (
            format!(
                "{AGREEMENT_HEAD}[[areas]]\nid = \"a\"\nregions = 900\nother = [{{ recipient = \"SKR\u{feff}\", amount = 100 }}]\n"
            ),
            "U+FEFF",
        ),
    ] {
        let run = run_with(&[("a.toml", &text), ("pop.csv", POPULATION)], &args);
        let line = if code_point == "U+00AD" { "a.toml, line 7" } else { "a.toml, line 8" };
        assert_refused(&run, &[line, code_point]);
    }
    // One set-aside recipient twice in an area, once decomposed: could not be told apart.
    let set_asides = format!(
        "{AGREEMENT_HEAD}[[areas]]\nid = \"a\"\nregions = 800\nother = [{{ recipient = \"Vårdförbundet\", amount = 100 }}, \
         {{ recipient = \"{}\", amount = 100 }}]\n",
        nfd("Vårdförbundet")
    );
    let run = run_with(&[("a.toml", &set_asides), ("pop.csv", POPULATION)], &args);
    assert_refused(&run, &["a.toml, line 8", "is also `Vårdförbundet` above"]);
}

#[test]
fn a_population_file_refuses_a_hidden_character_in_a_code_or_name() {
    let population = POPULATION.replace("Uppsala län", "Uppsala\u{200b} län");
    let args = ["allocate", "--population", "pop.csv", "--allow-missing-regions"];
    let run = run_with(&[("pop.csv", &population)], &args);
    assert_refused(&run, &["pop.csv, line 3: field `region`", "U+200B ZERO WIDTH SPACE"]);
    // A decomposed county name is the county: `explain` finds it as it finds the code.
    let by_name = run_with(
        &[("pop.csv", POPULATION)],
        &["explain", &nfd("Jämtlands län"), "--population", "pop.csv", "--allow-missing-regions"],
    );
    let by_code =
        run_with(&[("pop.csv", POPULATION)], &["explain", "23", "--population", "pop.csv", "--allow-missing-regions"]);
    assert_eq!(by_name.code, 0, "{}", by_name.stderr);
    assert_eq!(by_name.stdout, by_code.stdout);
}
