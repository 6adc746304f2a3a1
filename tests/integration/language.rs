//! `--lang sv|en` and the locale: labels in the chosen language, figures, ids and area columns
//! the same in both.

use std::process::Command;

use crate::common::{csv_rows, fordela};

/// Runs fordela with exactly these locale variables set (the others removed).
fn with_locale(vars: &[(&str, &str)], args: &[&str]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fordela"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

const SWEDISH_HEADER: &str = "kod,region,folkmängd,andel,omstallning,tillganglighet,patientkontrakt,totalt";
const ENGLISH_HEADER: &str = "code,region,population,share,omstallning,tillganglighet,patientkontrakt,total";

#[test]
fn swedish_csv_has_swedish_headers_the_same_area_ids_and_the_same_figures() {
    let swedish = fordela(&["allocate", "-f", "csv", "--lang", "sv"]);
    let english = fordela(&["allocate", "-f", "csv", "--lang", "en"]);
    assert_eq!((swedish.code, english.code), (0, 0));
    let (sv, en) = (csv_rows(&swedish.stdout), csv_rows(&english.stdout));
    assert_eq!(sv[0].join(","), SWEDISH_HEADER);
    assert_eq!(en[0].join(","), ENGLISH_HEADER);
    assert_eq!(sv[1..], en[1..], "only the header differs");
}

#[test]
fn the_locale_decides_when_lang_is_not_given_and_lc_all_comes_first() {
    let header = |text: String| text.lines().next().unwrap().to_string();
    let args = ["allocate", "-f", "csv"];
    assert_eq!(header(with_locale(&[("LANG", "sv_SE.UTF-8")], &args)), SWEDISH_HEADER);
    assert_eq!(header(with_locale(&[("LANG", "en_GB.UTF-8")], &args)), ENGLISH_HEADER);
    assert_eq!(header(with_locale(&[], &args)), ENGLISH_HEADER, "no locale is English");
    assert_eq!(header(with_locale(&[("LANG", "sv_SE.UTF-8"), ("LC_ALL", "C")], &args)), ENGLISH_HEADER);
    assert_eq!(header(with_locale(&[("LANG", "C"), ("LC_MESSAGES", "sv_FI.UTF-8")], &args)), SWEDISH_HEADER);
    let flag_wins = with_locale(&[("LC_ALL", "sv_SE.UTF-8")], &["allocate", "-f", "csv", "--lang", "en"]);
    assert_eq!(header(flag_wins), ENGLISH_HEADER);
}

#[test]
fn the_swedish_table_labels_its_rows_and_notes_in_swedish() {
    let run = fordela(&["allocate", "--lang", "sv", "--exclude", "23", "--exclusion-policy", "withhold"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for words in
        ["│ kod ", " folkmängd ", " andel % ", " totalt ", "Innehållet (ej berättigade)", "Totalt", "Belopp i kr"]
    {
        assert!(run.stdout.contains(words), "`{words}` missing:\n{}", run.stdout);
    }
    for words in ["Total ", "Amounts in", "Population:", "Withheld"] {
        assert!(!run.stdout.contains(words), "`{words}` in the Swedish table");
    }
}

#[test]
fn check_in_swedish_keeps_ids_verdict_codes_and_figures_and_words_findings_in_swedish() {
    let plan = "examples/jamtland-harjedalen-2019.toml";
    let swedish = fordela(&["check", plan, "--lang", "sv"]);
    assert_eq!(swedish.code, 0, "{}", swedish.stderr);
    for words in ["område", "tilldelning", "Anmärkningar:", "varning allocation-under", "(rad 10)", "Resultat: 0 fel"]
    {
        assert!(swedish.stdout.contains(words), "`{words}` missing:\n{}", swedish.stdout);
    }
    // The targets the region can write: 19,1 + 5,8 + 5,7 = 30,6 (worked out in tests/integration/targets.rs).
    assert!(swedish.stdout.contains("skriv planens mål 19,1 / 5,8 / 5,7 mkr"), "{}", swedish.stdout);

    // JSON: only `message` differs between the languages.
    let json = |lang: &str| -> serde_json::Value {
        let run = fordela(&["check", plan, "-f", "json", "--lang", lang]);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let (mut sv, mut en) = (json("sv"), json("en"));
    let sv_message = sv["findings"][0]["message"].take();
    let en_message = en["findings"][0]["message"].take();
    assert_ne!(sv_message, en_message);
    assert!(sv_message.as_str().unwrap().contains("under tilldelningen"), "{sv_message}");
    assert_eq!(sv, en, "keys, ids, verdicts and figures are the same in both languages");

    // CSV: Swedish headers and verdicts; the figures as in English.
    let csv = |lang: &str| csv_rows(&fordela(&["check", plan, "-f", "csv", "--lang", lang]).stdout);
    let (sv, en) = (csv("sv"), csv("en"));
    assert_eq!(sv[0][0], "område");
    assert_eq!(sv[1][6], "varning");
    assert_eq!(en[1][6], "warning");
    for (sv_row, en_row) in sv.iter().zip(&en).skip(1) {
        assert_eq!(sv_row[1..6], en_row[1..6]);
    }
}
