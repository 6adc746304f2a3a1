//! The results a page shows, made as the command line makes them: each command's own flags
//! parsed from the same words, its own job and computation, its own renderers for downloads.

use crate::commands::allocate::job::{AllocateArgs, AllocateJob};
use crate::commands::check::job::{CheckArgs, CheckJob};
use crate::commands::web::folder::{self, Kind};
use crate::io::bundled;
use crate::io::input::Input;
use crate::lang::Lang;
use anyhow::anyhow;
use clap::{Args, FromArgMatches};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// A file a page offers for download: the command line's `-o NAME.xlsx`, `--excel`, `--format csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    Xlsx,
    Excel,
    Csv,
    /// `report`'s HTML report (`-o NAME.html`).
    Html,
    /// A text report as the command prints it (`explain`).
    Text,
}

impl Download {
    /// What a table's result offers: a workbook, CSV for Swedish Excel, plain CSV.
    pub const ALL: [Download; 3] = [Download::Xlsx, Download::Excel, Download::Csv];

    #[must_use]
    pub fn parse(text: &str) -> Option<Download> {
        [Download::Xlsx, Download::Excel, Download::Csv, Download::Html, Download::Text]
            .into_iter()
            .find(|download| download.id() == text)
    }

    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Download::Xlsx => "xlsx",
            Download::Excel => "excel",
            Download::Csv => "csv",
            Download::Html => "html",
            Download::Text => "text",
        }
    }

    #[must_use]
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Download::Xlsx => lang.pick("Arbetsbok (.xlsx)", "Workbook (.xlsx)"),
            Download::Excel => lang.pick("CSV för Excel", "CSV for Excel"),
            Download::Csv => "CSV",
            Download::Html => lang.pick("Rapport (.html)", "Report (.html)"),
            Download::Text => lang.pick("Text (.txt)", "Text (.txt)"),
        }
    }

    /// The file's name, from the result's own.
    #[must_use]
    pub fn file_name(self, stem: &str) -> String {
        match self {
            Download::Xlsx => format!("{stem}.xlsx"),
            Download::Excel => format!("{stem}-excel.csv"),
            Download::Csv => format!("{stem}.csv"),
            Download::Html => format!("{stem}.html"),
            Download::Text => format!("{stem}.txt"),
        }
    }

    #[must_use]
    pub fn content_type(self) -> &'static str {
        match self {
            Download::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Download::Excel | Download::Csv => "text/csv; charset=utf-8",
            Download::Html => "text/html; charset=utf-8",
            Download::Text => "text/plain; charset=utf-8",
        }
    }

    /// The flags that ask the command line for this file.
    pub fn flags(self, stem: &str) -> Vec<OsString> {
        match self {
            Download::Xlsx | Download::Html => vec!["-o".into(), self.file_name(stem).into()],
            Download::Excel => vec!["--excel".into()],
            Download::Csv => vec!["--format".into(), "csv".into()],
            Download::Text => vec!["--format".into(), "table".into()],
        }
    }
}

/// A command's flags, parsed by clap from `words` exactly as the command line parses them. A
/// usage error is said as a sentence in `lang` naming the flag, never as clap's usage text: the
/// person filled in a form, not a command line.
pub fn parse<A: Args + FromArgMatches>(name: &'static str, words: &[OsString], lang: Lang) -> anyhow::Result<A> {
    let command = A::augment_args(clap::Command::new(name).no_binary_name(true));
    let matches = command.try_get_matches_from(words).map_err(|err| anyhow!(usage_sentence(&err, lang)))?;
    Ok(A::from_arg_matches(&matches)?)
}

/// A clap error as a sentence: the flag (`--round`, not `--round <STEP>`), the value, and the
/// value parser's reason where it gives one (in its own words).
fn usage_sentence(err: &clap::Error, lang: Lang) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use std::fmt::Write;
    let texts = |kind| match err.get(kind) {
        Some(ContextValue::String(text)) => vec![text.clone()],
        Some(ContextValue::Strings(texts)) => texts.clone(),
        _ => Vec::new(),
    };
    let flag_of = |text: &String| text.split_whitespace().next().unwrap_or(text).to_string();
    let flags =
        texts(ContextKind::InvalidArg).iter().map(flag_of).collect::<Vec<_>>().join(lang.pick(" och ", " and "));
    let value = texts(ContextKind::InvalidValue).join(", ");
    let valid = texts(ContextKind::ValidValue).join(", ");
    let reason = std::error::Error::source(err).map(ToString::to_string);
    match err.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut sentence = format!(
                "{flags}: {} `{value}` {}",
                lang.pick("värdet", "the value"),
                lang.pick("går inte att läsa", "cannot be read")
            );
            if let Some(reason) = reason {
                let _ = write!(sentence, " ({reason})");
            }
            if !valid.is_empty() {
                let _ = write!(sentence, "; {} {valid}", lang.pick("välj ett av", "choose one of"));
            }
            sentence
        }
        ErrorKind::MissingRequiredArgument => {
            format!(
                "{flags} {}",
                lang.pick("behövs här: fyll i det i formuläret", "is needed here: fill it in in the form")
            )
        }
        ErrorKind::ArgumentConflict => {
            let prior = texts(ContextKind::PriorArg).iter().map(flag_of).collect::<Vec<_>>().join(", ");
            format!(
                "{flags} {} {prior}: {}",
                lang.pick("kan inte ges tillsammans med", "cannot be given with"),
                lang.pick("välj det ena", "choose one")
            )
        }
        _ => format!(
            "{} {flags}",
            lang.pick(
                "Formulärets värden kunde inte läsas som kommandots flaggor:",
                "The form's values could not be read as the command's flags:"
            )
        ),
    }
}

/// The words of a command line, shown so that a page says what it ran.
#[must_use]
pub fn shown(command: &str, words: &[OsString], lang: Lang) -> String {
    let mut line = format!("fordela --lang {} {command}", lang_id(lang));
    for word in words {
        let text = word.to_string_lossy();
        if text == "--" {
            continue;
        }
        let plain = !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || "-_./=+:,".contains(c));
        line.push(' ');
        if plain {
            line.push_str(&text);
        } else {
            line.push('\'');
            line.push_str(&text.replace('\'', r"'\''"));
            line.push('\'');
        }
    }
    line
}

#[must_use]
pub fn lang_id(lang: Lang) -> &'static str {
    lang.pick("sv", "en")
}

/// Where the folder's files are named from: the folder as given joined with the file's name,
/// so that labels and workbook notes are those of the command line run in the same place.
#[must_use]
pub fn as_given(dir: &Path, name: &str) -> PathBuf {
    if dir == Path::new(".") { PathBuf::from(name) } else { dir.join(name) }
}

/// The agreements a page can choose: the folder's own, then the bundled ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgreementChoice {
    File(String),
    Bundled(&'static str),
}

impl AgreementChoice {
    #[must_use]
    pub fn id(&self) -> &str {
        match self {
            AgreementChoice::File(name) => name,
            AgreementChoice::Bundled(id) => id,
        }
    }
}

/// Every agreement a page offers: the folder's (by name), then the bundled ones (by id).
#[must_use]
pub fn agreement_choices(entries: &[folder::Entry]) -> Vec<AgreementChoice> {
    let own =
        entries.iter().filter(|entry| entry.kind == Kind::Agreement).map(|e| AgreementChoice::File(e.name.clone()));
    own.chain(bundled::AGREEMENTS.iter().map(|file| AgreementChoice::Bundled(file.id))).collect()
}

/// The agreement a page asked for, among the choices only: a name of anything else (a path
/// outside the folder) is refused, never read.
pub fn chosen_agreement(
    choices: &[AgreementChoice],
    asked: Option<&str>,
    default: Option<&AgreementChoice>,
) -> anyhow::Result<Option<AgreementChoice>> {
    match asked.filter(|text| !text.is_empty()) {
        Some(text) => choices
            .iter()
            .find(|choice| choice.id() == text)
            .cloned()
            .map(Some)
            .ok_or_else(|| anyhow!("no agreement `{text}` in the folder or bundled: choose one of the list")),
        None => Ok(default.cloned()),
    }
}

/// The `--agreement` word for a choice; refuses an agreement of the folder whose population
/// file is outside it.
pub fn agreement_word(dir: &Path, root: &Path, choice: &AgreementChoice) -> anyhow::Result<OsString> {
    match choice {
        AgreementChoice::Bundled(id) => Ok((*id).into()),
        AgreementChoice::File(name) => {
            let path = folder::resolve(root, name).ok_or_else(|| anyhow!("{name} is not a file of the folder"))?;
            let given = as_given(dir, name);
            population_inside(root, &path, &given)?;
            Ok(given.into_os_string())
        }
    }
}

/// An agreement's own `population` file must be in the folder too: nothing outside it is read.
/// The path checked is the one the loader opens (`sources::population_input_sheet`): the
/// population joined to the folder of the agreement *as given*, not of the file its link leads
/// to, so that a linked agreement cannot name a file outside the folder by a `..` that is
/// inside only from where the link points.
fn population_inside(root: &Path, agreement: &Path, given: &Path) -> anyhow::Result<()> {
    let text = Input::read(agreement).map(|input| input.text).unwrap_or_default();
    let Some(population) =
        text.parse::<toml::Table>().ok().and_then(|table| table.get("population")?.as_str().map(String::from))
    else {
        return Ok(());
    };
    let opened = given.parent().unwrap_or(Path::new(".")).join(&population);
    let bundled_id = !population.contains(['/', '\\']) && bundled::population(&population).is_some();
    if bundled_id && !opened.exists() {
        return Ok(());
    }
    match opened.canonicalize() {
        Ok(path) if path.starts_with(root) => Ok(()),
        _ => Err(anyhow!(
            "the agreement names population `{population}`, which is not a file of the folder: only the folder's \
             files are read here"
        )),
    }
}

/// `allocate`'s words for an agreement (none: the bundled default), and a download.
pub fn allocate_words(
    dir: &Path,
    root: &Path,
    agreement: Option<&AgreementChoice>,
    download: Option<Download>,
) -> anyhow::Result<Vec<OsString>> {
    let mut words = Vec::new();
    if let Some(download) = download {
        words.extend(download.flags("fordelning"));
    }
    if let Some(choice) = agreement {
        words.push("--".into());
        words.push(agreement_word(dir, root, choice)?);
    }
    Ok(words)
}

pub fn allocate_job(words: &[OsString], lang: Lang) -> anyhow::Result<AllocateJob> {
    AllocateJob::resolve(&parse::<AllocateArgs>("allocate", words, lang)?, lang)
}

/// What a plan page was asked: the agreement, the region and unit a CSV plan does not say,
/// the sheet of a workbook.
#[derive(Debug, Clone, Default)]
pub struct PlanChoices {
    pub agreement: Option<AgreementChoice>,
    pub region: Option<String>,
    pub unit: Option<String>,
    pub sheet: Option<String>,
}

/// `check`'s words for a plan (`proposal`: as given, or an upload's name), and a download.
pub fn check_words(
    dir: &Path,
    root: &Path,
    proposal: OsString,
    stem: &str,
    choices: &PlanChoices,
    download: Option<Download>,
) -> anyhow::Result<Vec<OsString>> {
    let mut words: Vec<OsString> = Vec::new();
    if let Some(choice) = &choices.agreement {
        let mut word = OsString::from("--agreement=");
        word.push(agreement_word(dir, root, choice)?);
        words.push(word);
    }
    let flags = [("--region=", &choices.region), ("--unit=", &choices.unit), ("--sheet=", &choices.sheet)];
    for (flag, value) in flags {
        if let Some(value) = value.as_deref().filter(|value| !value.trim().is_empty()) {
            words.push(format!("{flag}{value}").into());
        }
    }
    if let Some(download) = download {
        words.extend(download.flags(stem));
    }
    words.push("--".into());
    words.push(proposal);
    Ok(words)
}

/// The job of a plan on disk.
pub fn check_job(words: &[OsString], lang: Lang) -> anyhow::Result<CheckJob> {
    CheckJob::resolve(&parse::<CheckArgs>("check", words, lang)?, lang)
}

/// An upload's name as a plain file name: its last part, without control characters, short.
#[must_use]
pub fn upload_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    // `-` alone would be read as standard input.
    if clean.is_empty() || clean == "-" { "plan".to_string() } else { clean }
}

/// A file name's stem, for the names of its downloads: ASCII letters, digits and `-` only.
#[must_use]
pub fn stem(name: &str) -> String {
    let last = name.rsplit('/').next().unwrap_or(name);
    let base = last.rsplit_once('.').map_or(last, |(base, _)| base);
    // Composed first: a name stored decomposed (as macOS does, `a` + U+030A) is the same name.
    let base = crate::io::names::nfc(base);
    let folded: String = base
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => 'a',
            'ö' | 'Ö' => 'o',
            'é' | 'É' => 'e',
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => c,
            _ => '-',
        })
        .collect();
    let trimmed = folded.trim_matches('-');
    if trimmed.is_empty() { "plan".to_string() } else { trimmed.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_line_is_shown_as_it_would_be_typed() {
        let words: Vec<OsString> = ["--region=23", "--", "mapp/plan 1.csv"].map(OsString::from).to_vec();
        assert_eq!(shown("check", &words, Lang::Sv), "fordela --lang sv check --region=23 'mapp/plan 1.csv'");
    }

    #[test]
    fn names_sent_with_an_upload_lose_their_folders() {
        assert_eq!(upload_name("C:\\Users\\x\\plan.xlsx"), "plan.xlsx");
        assert_eq!(upload_name("../../.bashrc"), "bashrc");
        assert_eq!(upload_name(""), "plan");
        assert_eq!(stem("jämtland plan.xlsx"), "jamtland-plan");
    }

    #[test]
    fn a_name_stored_decomposed_has_the_stem_of_its_composed_spelling() {
        // `å` and `ö` as a letter and a combining mark (U+030A, U+0308), as macOS stores names.
        assert_eq!(stem("a\u{30a}rsplan-o\u{308}.csv"), stem("årsplan-ö.csv"));
        assert_eq!(stem("a\u{30a}rsplan-o\u{308}.csv"), "arsplan-o");
    }
}
