//! `audit`'s flags resolved once into its job.

use crate::cli::AuditArgs;
use crate::commands::sources::{NamedBy, RegionName, Sources};
use crate::core::amount::{RoundingUnit, Unit};
use crate::lang::Lang;
use crate::output::format::{AuditFormat, Target, resolve_format};
use anyhow::{Context, anyhow};
use std::io::IsTerminal;
use std::path::PathBuf;

/// What `audit` checks a table against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditBasis {
    /// An agreement (`None` is the bundled default), every area or `--area`'s alone.
    Agreement { agreement: Option<String>, area: Option<String> },
    /// `--total`, in the table's unit, exactly as written.
    Total(rust_decimal::Decimal),
}

/// `fordela audit`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditJob {
    pub table: PathBuf,
    /// `--sheet`: the sheet of a table workbook; `None` is its first.
    pub sheet: Option<String>,
    pub basis: AuditBasis,
    /// `--unit`: the table's unit where its header does not say it.
    pub unit: Option<Unit>,
    /// `--step`: the step the table is rounded to, a power of ten of kronor.
    pub step: Option<RoundingUnit>,
    pub strict: bool,
    pub sources: Sources,
    pub target: Target<AuditFormat>,
    /// `--within COUNTY`: the table is that county's municipalities, quotas over them only.
    pub within: Option<RegionName>,
}

impl AuditJob {
    pub fn resolve(args: &AuditArgs, lang: Lang) -> anyhow::Result<AuditJob> {
        let basis = match &args.total {
            Some(text) => {
                let total = crate::io::number::parse_amount(text).with_context(|| format!("--total `{text}`"))?;
                if total.is_sign_negative() || total.is_zero() {
                    return Err(anyhow!("--total `{text}` must be more than zero"));
                }
                AuditBasis::Total(total)
            }
            None => AuditBasis::Agreement { agreement: args.agreement.clone(), area: args.area.clone() },
        };
        let step = args.step.map(|step| step.step);
        if let Some(step) = step {
            let kronor = step.kronor().normalize();
            let mantissa = kronor.mantissa().unsigned_abs();
            if 10u128.checked_pow(mantissa.ilog10()) != Some(mantissa) {
                return Err(anyhow!(
                    "--step {}: a table's step is a power of ten of a krona (1 kr, 1 000 kr, 0,1 mkr)",
                    step.describe()
                ));
            }
        }
        Ok(AuditJob {
            table: args.table.clone(),
            sheet: args.sheet.clone(),
            basis,
            unit: args.unit,
            step,
            strict: args.strict,
            sources: Sources::new(args.agreement.as_deref(), &args.population),
            target: Target {
                format: resolve_format(
                    args.format,
                    AuditFormat::Table,
                    AuditFormat::Xlsx,
                    args.output.as_deref(),
                    std::io::stdout().is_terminal(),
                )?,
                file: args.output.clone(),
                lang,
            },
            within: args
                .within
                .as_ref()
                .map(|text| RegionName { text: text.clone(), named_by: NamedBy::Argument { command: "--within" } }),
        })
    }
}
