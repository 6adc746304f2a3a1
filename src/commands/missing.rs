//! An error whose only cause is a flag not given (a CSV plan's `--region` and `--unit`, a
//! published table's `--unit`): the command line says it as any other error, in the same words;
//! `fordela web`, whose forms give those flags, asks for them instead of failing.

use std::fmt;

/// The flags that were missing, and the message the command line prints.
#[derive(Debug)]
pub struct MissingFlags {
    /// Each as the command line writes it: `--region`, `--unit`.
    pub flags: Vec<&'static str>,
    message: String,
}

impl MissingFlags {
    /// The error, as an `anyhow::Error` that prints as `message`.
    #[must_use]
    pub fn error(flags: Vec<&'static str>, message: impl fmt::Display) -> anyhow::Error {
        anyhow::Error::new(MissingFlags { flags, message: message.to_string() })
    }

    /// The missing flags of `err`, if nothing but missing flags stopped it.
    #[must_use]
    pub fn of(err: &anyhow::Error) -> Option<&MissingFlags> {
        err.chain().find_map(|cause| cause.downcast_ref::<MissingFlags>())
    }
}

// The message only, and no `source`: the error prints exactly as the one it stands for.
impl fmt::Display for MissingFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MissingFlags {}
