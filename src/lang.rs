//! The language of labels: column headers, row labels, notes and findings. Error messages stay
//! English (they are searched for and quoted in support threads); what users read in their
//! reports follows `--lang`, else the locale.

use clap::ValueEnum;

/// A language fordela writes its labels in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Lang {
    /// Svenska.
    Sv,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// `--lang` when given, else the locale: `LC_ALL`, then `LC_MESSAGES`, then `LANG`, as
    /// POSIX orders them; the first that is set and not empty decides, and `sv` or `sv_*` is
    /// Swedish. Anything else (`C`, `en_US.UTF-8`, unset) is English.
    #[must_use]
    pub fn resolve(flag: Option<Lang>) -> Lang {
        flag.unwrap_or_else(|| {
            let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|name| std::env::var(name).ok())
                .find(|value| !value.is_empty());
            Lang::of_locale(locale.as_deref())
        })
    }

    /// The language a locale name (`sv_SE.UTF-8`, `sv`, `C`) asks for.
    #[must_use]
    pub fn of_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(name) if name == "sv" || name.starts_with("sv_") || name.starts_with("sv.") => Lang::Sv,
            _ => Lang::En,
        }
    }

    /// `sv` or `en` of the two words, for labels written inline.
    #[must_use]
    pub const fn pick(self, sv: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_locales_are_swedish_and_everything_else_english() {
        for locale in ["sv_SE.UTF-8", "sv_FI", "sv", "sv_SE@euro"] {
            assert_eq!(Lang::of_locale(Some(locale)), Lang::Sv, "{locale}");
        }
        for locale in [None, Some("C"), Some("C.UTF-8"), Some("en_US.UTF-8"), Some("POSIX"), Some("svenska")] {
            assert_eq!(Lang::of_locale(locale), Lang::En, "{locale:?}");
        }
        assert_eq!(Lang::resolve(Some(Lang::Sv)), Lang::Sv, "the flag wins over the locale");
        assert_eq!(Lang::Sv.pick("Totalt", "Total"), "Totalt");
        assert_eq!(Lang::En.pick("Totalt", "Total"), "Total");
    }
}
