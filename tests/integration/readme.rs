//! The README's example sessions are the program's real output: this fails when they drift.

use crate::common;

use common::fordela;

#[test]
fn readme_shows_the_real_output() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for args in [
        vec!["allocate"],
        vec!["check", "examples/jamtland-harjedalen-2019.toml"],
        vec!["allocate", "--region", "23", "--round", "0.1mkr"],
        vec!["allocate", "--within", "23"],
        vec![
            "diff",
            "examples/jamtland-harjedalen-2019.csv",
            "examples/jamtland-harjedalen-2019-revision.csv",
            "--unit",
            "mkr",
        ],
        vec!["payouts", "examples/payouts-2019.toml"],
        vec![
            "follow-up",
            "examples/jamtland-harjedalen-2019.toml",
            "examples/jamtland-harjedalen-2019-utfall.csv",
            "--object",
            "9916",
            "--until",
            "2019-12-31",
        ],
        vec!["audit", "examples/audit/tillganglighet-half-up-mkr.csv", "--area", "tillganglighet"],
    ] {
        let run = fordela(&args);
        let session = format!("$ fordela {}\n{}", args.join(" "), run.stdout);
        assert!(readme.contains(&session), "README's `fordela {}` differs from the real output", args.join(" "));
    }
}
