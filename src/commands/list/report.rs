//! `list`'s renderers: the bundled agreements and population tables as tables or JSON.

use super::Listing;
use crate::lang::Lang;
use comfy_table::{Table, presets};
use serde_json::json;
use std::io;
use std::io::Write;

/// Two tables: the agreements, then the population tables.
pub fn table(listing: &Listing, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(match lang {
        Lang::Sv => ["avtal", "namn", "totalt", "befolkningsdatum"],
        Lang::En => ["agreement", "name", "total", "population date"],
    });
    for (id, name, total, date) in &listing.agreements {
        table.add_row([*id, name.as_str(), total.as_str(), date.as_str()]);
    }
    writeln!(out, "{table}")?;
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(match lang {
        Lang::Sv => ["befolkningstabell", "datum", "mottagare", "källa"],
        Lang::En => ["population table", "dates", "recipients", "source"],
    });
    for (id, dates, recipients, source) in &listing.populations {
        let span = match (dates.first(), dates.last()) {
            (Some(first), Some(last)) => {
                format!("{} {}, {first} … {last}", dates.len(), lang.pick("datum", "dates"))
            }
            _ => String::new(),
        };
        table.add_row([id.to_string(), span, recipients.to_string(), source.to_string()]);
    }
    writeln!(out, "{table}")
}

/// JSON for programs: exact totals as plain decimals beside their unit, dates as dates.
pub fn json(listing: &Listing, out: &mut dyn Write) -> io::Result<()> {
    let document = json!({
        "agreements": listing.machine,
        "populations": listing.populations.iter().map(|(id, dates, recipients, source)| json!({
            "id": id, "dates": dates, "recipients": recipients, "source": source,
        })).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}
