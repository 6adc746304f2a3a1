//! One findings model for every command: how bad a finding is, in words, and the exit code a
//! run's worst finding gives.

use crate::lang::Lang;
use serde::Serialize;
use std::process::ExitCode;

/// How much a finding matters. `Ord` runs from the least to the worst, so the worst of several
/// is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; changes nothing (an overrun with a decision, rows left out of a period).
    Note,
    /// Wrong or doubtful, but not money spent that is not there: an error with `--strict`.
    Warning,
    /// The plan, table or schedule does not hold.
    Error,
}

impl Severity {
    /// The severity's id, the same in every language (JSON, CSV's `severity` column, stderr).
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The severity in `lang`, for tables, workbooks and reports.
    #[must_use]
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Severity::Note => lang.pick("notering", "note"),
            Severity::Warning => lang.pick("varning", "warning"),
            Severity::Error => lang.pick("fel", "error"),
        }
    }

    /// `warning` read as `error` under `--strict`; every other severity as it is.
    #[must_use]
    pub fn strict(self, strict: bool) -> Severity {
        if strict && self == Severity::Warning { Severity::Error } else { self }
    }
}

/// The exit code of a run whose worst finding is `worst` (`None`: no finding): 1 when it is an
/// error, else 0. Bad input never gets here: it is exit 2 before a result exists.
#[must_use]
pub fn exit_code(worst: Option<Severity>) -> ExitCode {
    if worst == Some(Severity::Error) { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// The worst of `severities`.
pub fn worst(severities: impl IntoIterator<Item = Severity>) -> Option<Severity> {
    severities.into_iter().max()
}

/// A line's verdict (one of `check`'s areas, or its total): ok, or the worst severity of the
/// findings about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Verdict(pub Option<Severity>);

impl Verdict {
    pub const OK: Verdict = Verdict(None);

    /// The verdict in `lang`: `ok`, or the severity's word.
    #[must_use]
    pub fn word(self, lang: Lang) -> &'static str {
        self.0.map_or("ok", |severity| severity.word(lang))
    }

    /// The verdict's id, as JSON writes it.
    #[must_use]
    pub fn id(self) -> &'static str {
        self.0.map_or("ok", Severity::id)
    }
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}
