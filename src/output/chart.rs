//! Charts drawn by fordela as inline SVG: no script, no asset from elsewhere, printable. Every
//! text is escaped by the template and isolated for direction by the stylesheet.

use maud::{Markup, html};
use std::borrow::Cow;
use std::fmt::Write as _;

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
                @let length = length(bar.value, room, largest);
                text class="label" x=(LABEL - 8) y=(y + 15) text-anchor="end" { (bar.label) }
                rect class="bar" x=(LABEL) y=(y + 3) width=(length) height=(ROW - 6) {}
                text class="figure" x=(LABEL + length + 6) y=(y + 15) { (bar.shown) }
            }
        }
    }
}

/// One pair of bars: what was budgeted and what the outcome is, both as exact counts of the
/// same unit (for the lengths: an amount in öre or in kr, any, as long as both are in it; a
/// negative outcome is given as 0), and each as the page or report shows it (`1 250 000`).
pub struct Pair {
    pub label: String,
    pub budget: u128,
    pub outcome: u128,
    pub budget_shown: String,
    pub outcome_shown: String,
}

/// The words of a budget/outcome chart, in the page's language.
pub struct Legend<'a> {
    /// Said to screen readers and shown as the SVG's title (`Budget och utfall per område`).
    pub title: &'a str,
    pub budget: &'a str,
    pub outcome: &'a str,
}

/// Room for the figure after the longest bar.
const PAIR_FIGURE: u128 = 170;
const LEGEND: u128 = 28;
/// A pair: its label on a line of its own (a long area name never collides with a bar), then
/// the budget's bar, then the outcome's.
const PAIR: u128 = 60;
const PAIR_BAR: u128 = 15;

/// A text from an input with each bidi control (U+202E and its kin) written as its code point,
/// `[U+202E]`: shown as itself it would reorder what follows it.
#[must_use]
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(crate::io::names::is_bidi_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if crate::io::names::is_bidi_control(c) {
            let _ = write!(out, "[U+{:04X}]", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Budget against outcome per item (an area, or an intervention): two horizontal bars each,
/// `budget` and `outcome` (the rects' classes; `outcome over` where the outcome passes the
/// budget, for a style sheet to mark), under a legend of the two, lengths in whole pixels proportional to the amounts, the longest bar the largest
/// amount of either kind. An outcome over its budget is therefore drawn longer than it.
/// Labels are escaped and their bidi controls shown as code points (`visible`); every text is
/// isolated for direction (`unicode-bidi="isolate"`, also settable from a style sheet). The
/// colours are presentation attributes: a page's style sheet may override them by class.
#[must_use]
pub fn budget_outcome(legend: &Legend<'_>, items: &[Pair]) -> Markup {
    let largest = items.iter().flat_map(|pair| [pair.budget, pair.outcome]).max().unwrap_or(0).max(1);
    let room = WIDTH - PAIR_FIGURE;
    let height = LEGEND + PAIR * (items.len() as u128) + 4;
    html! {
        svg class="chart budget-outcome" xmlns="http://www.w3.org/2000/svg" role="img" width=(WIDTH)
            height=(height) viewBox={ "0 0 " (WIDTH) " " (height) } font-size="14"
            font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" {
            title { (visible(legend.title)) }
            g class="legend" {
                rect class="key budget" x="0" y="4" width="16" height="14" fill="#8a9bb0" {}
                text x="22" y="16" unicode-bidi="isolate" { (visible(legend.budget)) }
                rect class="key outcome" x="220" y="4" width="16" height="14" fill="#1f4e79" {}
                text x="242" y="16" unicode-bidi="isolate" { (visible(legend.outcome)) }
            }
            @for (row, pair) in items.iter().enumerate() {
                @let y = LEGEND + PAIR * (row as u128);
                @let budget = length(pair.budget, room, largest);
                @let outcome = length(pair.outcome, room, largest);
                @let over = pair.outcome > pair.budget;
                text class="label" x="0" y=(y + 14) font-weight="bold" unicode-bidi="isolate" { (visible(&pair.label)) }
                rect class="budget" x="0" y=(y + 19) width=(budget) height=(PAIR_BAR) fill="#8a9bb0" {}
                text class="figure" x=(budget + 6) y=(y + 31) unicode-bidi="isolate" { (pair.budget_shown) }
                rect class=(if over { "outcome over" } else { "outcome" }) x="0" y=(y + 19 + PAIR_BAR + 2)
                    width=(outcome) height=(PAIR_BAR) fill="#1f4e79" {}
                text class="figure" x=(outcome + 6) y=(y + 31 + PAIR_BAR + 2) unicode-bidi="isolate" { (pair.outcome_shown) }
            }
        }
    }
}

/// `value`'s share of `room` pixels where `largest` fills it, rounded down, at least a pixel for
/// any amount above zero: exact integer arithmetic, no float.
fn length(value: u128, room: u128, largest: u128) -> u128 {
    // value ≤ largest, so value · room / largest = (value / largest) · room, split into its whole
    // and remainder parts: exact, and no product overflows (remainder < largest, room < 2^10,
    // and a largest above 2^118 is first brought down by the same shift as the remainder).
    let whole = value / largest * room;
    let remainder = value % largest;
    let shift = 128 - room.leading_zeros();
    let part = match remainder.checked_mul(room) {
        Some(product) => product / largest,
        None => (remainder >> shift) * room / (largest >> shift).max(1),
    };
    (whole + part).max(u128::from(value > 0))
}

#[cfg(test)]
mod tests {
    use super::length;

    #[test]
    fn a_bar_of_an_amount_near_the_top_of_the_range_keeps_its_length() {
        // Multiplied first, u128::MAX · 730 would overflow: clipped, half the range drew 1 pixel.
        assert_eq!(length(u128::MAX, 730, u128::MAX), 730);
        assert_eq!(length(u128::MAX / 2, 730, u128::MAX), 364, "just under half of 730");
        assert_eq!(length(3, 730, 4), 547, "730 · 3 / 4 = 547,5, rounded down");
        assert_eq!(length(1, 730, u128::MAX), 1, "an amount above zero gets a pixel");
        assert_eq!(length(0, 730, u128::MAX), 0);
    }

    use super::{Legend, Pair, budget_outcome, visible};

    const LEGEND: Legend<'static> = Legend { title: "Budget och utfall", budget: "Budget", outcome: "Utfall" };

    fn pair(label: &str, budget: u128, outcome: u128) -> Pair {
        Pair {
            label: label.to_string(),
            budget,
            outcome,
            budget_shown: format!("{budget} kr"),
            outcome_shown: format!("{outcome} kr"),
        }
    }

    /// The width of each bar of `class` (exactly that class: not the legend's `key` squares).
    fn widths(svg: &str, class: &str) -> Vec<u128> {
        let tag = format!("<rect class=\"{class}\"");
        svg.match_indices(&tag)
            .map(|(at, _)| {
                let rest = &svg[at..];
                let start = rest.find(" width=\"").unwrap() + 8;
                let end = start + rest[start..].find('"').unwrap();
                rest[start..end].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn budget_outcome_escapes_labels_and_shows_bidi_controls_as_code_points() {
        let svg = budget_outcome(
            &Legend { title: "<b>&", budget: "Budget", outcome: "Utfall" },
            &[pair("<script>alert('x')</script> \u{202e}612", 10, 5)],
        )
        .into_string();
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert('x')&lt;/script&gt; [U+202E]612"), "{svg}");
        assert!(svg.contains("<title>&lt;b&gt;&amp;</title>"), "{svg}");
        assert!(!svg.contains('\u{202e}'));
        // Every text of the chart is isolated for direction.
        assert_eq!(svg.matches("<text ").count(), svg.matches("unicode-bidi=\"isolate\"").count());
        assert_eq!(visible("a\u{2067}b"), "a[U+2067]b");
    }

    #[test]
    fn budget_outcome_draws_no_bar_for_a_zero_budget() {
        let svg = budget_outcome(&LEGEND, &[pair("Utan budget", 0, 1_000), pair("Ingenting", 0, 0)]).into_string();
        assert_eq!(widths(&svg, "budget"), [0, 0]);
        // The outcome against no budget is over it, and takes the whole room.
        assert_eq!(widths(&svg, "outcome over"), [900 - 170]);
        assert_eq!(widths(&svg, "outcome"), [0]);
        assert!(svg.contains(">0 kr<"));
    }

    #[test]
    fn budget_outcome_draws_an_overspend_longer_than_its_budget() {
        let svg = budget_outcome(&LEGEND, &[pair("Över", 800, 1_000), pair("Under", 1_000, 250)]).into_string();
        let budgets = widths(&svg, "budget");
        let over = widths(&svg, "outcome over");
        assert_eq!(over.len(), 1);
        assert!(over[0] > budgets[0], "{over:?} {budgets:?}");
        assert_eq!(widths(&svg, "outcome"), [182]);
    }

    #[test]
    fn budget_outcome_lengths_are_proportional_to_the_amounts() {
        // Room for the longest bar: 900 px less 170 for its figure = 730 px for 4 000 000.
        let svg = budget_outcome(
            &LEGEND,
            &[pair("A", 4_000_000, 3_000_000), pair("B", 1_000_000, 1), pair("C", 2_000_000, 2_000_000)],
        )
        .into_string();
        // 1 000 000 / 4 000 000 × 730 = 182.5 → 182; 3/4 × 730 = 547.5 → 547; 1 öre: a pixel.
        assert_eq!(widths(&svg, "budget"), [730, 182, 365]);
        assert_eq!(widths(&svg, "outcome"), [547, 1, 365]);
    }
}
