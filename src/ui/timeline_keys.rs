//! Moving among a timeline's bars from the keyboard. A timeline's bars are one stop of the
//! tab order (a roving tabindex: the bar last moved to has `tabindex="0"`, the others `-1`),
//! so a long run does not put hundreds of stops between the learner and the next control.
//! On a focused bar, Left and Right go to the previous and next bar of its row in time, Up and
//! Down to the bar of the row above or below nearest in time, Home and End to its row's first
//! and last; Enter or Space (or a click) activates it: the line of the program it stands for
//! is marked.
//!
//! The bars are the timeline's SVG elements with `data-bar`; `data-start` is their start in
//! whole ms, `data-line` the line they stand for.

use wasm_bindgen::JsCast;
use web_sys::Element;

/// The elements of `within` that match `selector`, in document order.
fn all(within: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = within.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// A bar's start, ms.
fn start(bar: &Element) -> i64 {
    bar.get_attribute("data-start")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The bars of a row, in time order.
fn row(track: &Element) -> Vec<Element> {
    sim::order::sorted_by(all(track, "[data-bar]"), |b| start(b) as f64)
}

/// The bar a key moves to from `bar`, within the timeline `group`.
pub fn moved(group: &Element, bar: &Element, key: &str) -> Option<Element> {
    let track = bar.closest(".tl-track").ok()??;
    let bars = row(&track);
    let at = bars.iter().position(|b| b == bar)?;
    match key {
        "ArrowRight" => bars.get(at + 1).cloned(),
        "ArrowLeft" => at.checked_sub(1).and_then(|i| bars.get(i).cloned()),
        "Home" => bars.first().cloned(),
        "End" => bars.last().cloned(),
        "ArrowDown" | "ArrowUp" => {
            let tracks: Vec<Vec<Element>> = all(group, ".tl-track")
                .iter()
                .map(row)
                .filter(|r| !r.is_empty())
                .collect();
            let here = tracks.iter().position(|r| r.contains(bar))?;
            let next = if key == "ArrowDown" {
                tracks.get(here + 1)?
            } else {
                tracks.get(here.checked_sub(1)?)?
            };
            let t = start(bar);
            next.iter().min_by_key(|b| (start(b) - t).abs()).cloned()
        }
        _ => None,
    }
}

/// Makes `to` the timeline's one tab stop and focuses it.
pub fn focus(group: &Element, to: &Element) {
    for bar in all(group, "[data-bar][tabindex=\"0\"]") {
        let _ = bar.set_attribute("tabindex", "-1");
    }
    let _ = to.set_attribute("tabindex", "0");
    if let Some(svg) = to.dyn_ref::<web_sys::SvgElement>() {
        let _ = svg.focus();
    }
}

/// The line a bar stands for.
pub fn line(bar: &Element) -> Option<u32> {
    bar.get_attribute("data-line")?.parse().ok()
}

/// The bar an event happened on (or in), within its timeline.
pub fn bar_of(target: Option<web_sys::EventTarget>) -> Option<Element> {
    target?
        .dyn_into::<Element>()
        .ok()?
        .closest("[data-bar]")
        .ok()
        .flatten()
}
