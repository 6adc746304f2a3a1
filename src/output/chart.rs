//! Charts drawn by fordela as inline SVG: no script, no asset from elsewhere, printable. Every
//! text is escaped by the template and isolated for direction by the stylesheet.

use maud::{Markup, html};

/// One bar: its label, its value (for the bar's length) and the value as the table shows it.
pub struct Bar {
    pub label: String,
    pub value: u128,
    pub shown: String,
}

const WIDTH: u128 = 900;
const LABEL: u128 = 260;
const FIGURE: u128 = 150;
const ROW: u128 = 22;

/// A horizontal bar per item, longest the largest value; `title` is said to screen readers.
#[must_use]
pub fn bars(title: &str, items: &[Bar]) -> Markup {
    let largest = items.iter().map(|bar| bar.value).max().unwrap_or(0).max(1);
    let room = WIDTH - LABEL - FIGURE;
    let height = ROW * (items.len() as u128) + 8;
    html! {
        svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width=(WIDTH) height=(height)
            viewBox={ "0 0 " (WIDTH) " " (height) } {
            title { (title) }
            @for (row, bar) in items.iter().enumerate() {
                @let y = ROW * (row as u128) + 4;
                @let length = (bar.value.saturating_mul(room) / largest).max(u128::from(bar.value > 0));
                text class="label" x=(LABEL - 8) y=(y + 15) text-anchor="end" { (bar.label) }
                rect class="bar" x=(LABEL) y=(y + 3) width=(length) height=(ROW - 6) {}
                text class="figure" x=(LABEL + length + 6) y=(y + 15) { (bar.shown) }
            }
        }
    }
}
