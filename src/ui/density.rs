//! Task density: a canvas of bands (asleep, done) per column of time, for runs whose tasks
//! only sleep, up to ten million. The columns are worked out once per range (when the timeline
//! is drawn, and at each zoom); a frame only paints them. The canvas is a slider over time:
//! the arrow keys (or the pointer over it) move a cursor whose readout says the counts there.
//! A zoom narrows both the time and the tasks shown, down to a row per task.
//!
//! Like the heartbeat, the view writes straight to its elements: the figure is rendered once
//! by the timeline, and [`attach`] keeps the cursor and the zoom (the view's own state, which
//! changes nothing else) and repaints on each key or zoom.

use crate::clock::now_ms;
use gloo_events::EventListener;
use sim::density::{density, zoomed, zoomed_tasks, Density};
use sim::format;
use sim::trace::Trace;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};
use yew::prelude::*;

/// Columns of the canvas (its width in canvas pixels; CSS stretches it to the card).
const COLUMNS: usize = 480;
/// The canvas's height in canvas pixels (also written in the `height` attribute).
const HEIGHT: f64 = 96.0;

/// The figure, empty: [`attach`] fills it in.
pub fn figure(executor: &str, node: NodeRef) -> Html {
    html! {
        <figure class="density" ref={node}>
            <canvas width="480" height="96" role="slider" tabindex="0"
                aria-label={format!("Task density: {executor}")}
                aria-valuemin="0" aria-valuemax="479" aria-keyshortcuts="+ - 0"></canvas>
            <div class="density-axis" aria-hidden="true"><span></span><span></span></div>
            <figcaption>
                <p class="density-readout"></p>
                <div class="density-tools">
                    <button type="button" data-zoom="in">{ "Zoom in" }</button>
                    <button type="button" data-zoom="out">{ "Zoom out" }</button>
                    <button type="button" data-zoom="whole">{ "Whole run" }</button>
                </div>
                <p class="legend">
                    <span class="key density-asleep">{ "asleep" }</span>
                    <span class="key density-done">{ "done" }</span>
                </p>
            </figcaption>
        </figure>
    }
}

/// What the view shows: the range, its columns and the cursor.
struct View {
    trace: Rc<Trace>,
    whole_ms: f64,
    range: (f64, f64),
    density: Density,
    cursor: usize,
}

impl View {
    fn zoom(&mut self, factor: f64) {
        let d = &self.density;
        let (centre, task) = (d.column_end_ms(self.cursor), d.frontier(self.cursor));
        let all = (0, d.tasks);
        let shown = if factor == 0.0 {
            self.range = (0.0, self.whole_ms);
            all
        } else {
            self.range = zoomed(self.range, self.whole_ms, centre, factor);
            zoomed_tasks(d.shown, d.tasks, task, factor)
        };
        if let Some(d) = density(&self.trace, self.range, Some(shown), COLUMNS) {
            self.density = d;
        }
        // The cursor stays on the same moment.
        let (from, to) = self.range;
        let at = ((centre - from) / (to - from) * COLUMNS as f64).max(0.0) as usize;
        self.cursor = at.min(COLUMNS - 1);
    }
}

/// The elements [`attach`] writes to.
struct Parts {
    canvas: HtmlCanvasElement,
    readout: Element,
    axis: (Element, Element),
    /// Zoom out and Whole run.
    buttons: [Element; 2],
}

impl Parts {
    fn find(figure: &Element) -> Option<Parts> {
        let one = |selector: &str| figure.query_selector(selector).ok().flatten();
        Some(Parts {
            // The figure's one canvas (unchecked casts: no type checks in the download).
            canvas: one("canvas")?.unchecked_into(),
            readout: one(".density-readout")?,
            axis: (
                one(".density-axis span:first-child")?,
                one(".density-axis span:last-child")?,
            ),
            buttons: [one("[data-zoom=out]")?, one("[data-zoom=whole]")?],
        })
    }

    /// Writes everything `view` shows: the canvas, the readout, the axis and the buttons.
    fn show(&self, view: &View) {
        let d = &view.density;
        let readout = d.readout(view.cursor);
        let _ = self
            .canvas
            .set_attribute("aria-valuenow", &view.cursor.to_string());
        let _ = self.canvas.set_attribute("aria-valuetext", &readout);
        self.readout.set_text_content(Some(&readout));
        self.axis
            .0
            .set_text_content(Some(&d.time_label(view.range.0)));
        self.axis
            .1
            .set_text_content(Some(&d.time_label(view.range.1)));
        // Zoom out and Whole run only once zoomed in.
        let whole =
            view.range.1 - view.range.0 >= view.whole_ms * 0.999 && d.shown_count() == d.tasks;
        for button in &self.buttons {
            let _ = if whole {
                button.set_attribute("disabled", "")
            } else {
                button.remove_attribute("disabled")
            };
        }
        paint(&self.canvas, d, view.cursor);
    }
}

/// A colour of the page's theme (a CSS custom property of the canvas).
fn theme_colour(canvas: &HtmlCanvasElement, name: &str) -> String {
    web_sys::window()
        .and_then(|w| w.get_computed_style(canvas).ok().flatten())
        .and_then(|style| style.get_property_value(name).ok())
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// Paints `d` on `canvas`, with a cursor line at column `cursor`, and notes how long it took
/// in the canvas's `data-draw-ms`.
fn paint(canvas: &HtmlCanvasElement, d: &Density, cursor: usize) {
    let started = now_ms();
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .map(|c| c.unchecked_into::<CanvasRenderingContext2d>())
    else {
        return;
    };
    let colours = ["--ok", "--sleep"].map(|name| theme_colour(canvas, name));
    ctx.clear_rect(0.0, 0.0, COLUMNS as f64, HEIGHT);
    let scale = HEIGHT / f64::from(d.shown_count().max(1));
    // Runs of equal columns paint as one rectangle per band.
    let mut x = 0;
    while x < d.columns.len() {
        let c = d.columns[x];
        let mut end = x + 1;
        while end < d.columns.len() && d.columns[end] == c {
            end += 1;
        }
        let mut bottom = HEIGHT;
        for (count, colour) in [c.done, c.asleep].into_iter().zip(&colours) {
            if count > 0 {
                let h = (f64::from(count) * scale).max(1.0);
                ctx.set_fill_style_str(colour);
                ctx.fill_rect(x as f64, bottom - h, (end - x) as f64, h);
                bottom -= h;
            }
        }
        x = end;
    }
    // A few tasks shown: a line between rows, one row per task.
    let shown = d.shown_count();
    if shown <= 48 {
        ctx.set_fill_style_str(&theme_colour(canvas, "--panel"));
        for row in 1..shown {
            ctx.fill_rect(0.0, f64::from(row) * scale, COLUMNS as f64, 1.0);
        }
    }
    ctx.set_fill_style_str(&theme_colour(canvas, "--ink"));
    ctx.fill_rect(cursor as f64, 0.0, 1.0, HEIGHT);
    let took = now_ms() - started;
    let _ = canvas.set_attribute("data-draw-ms", &format::fixed(took, 2));
}

/// Fills in `figure` (rendered by [`figure`]) for `trace` on an axis of `axis_ms`, and keeps
/// it answering keys and its buttons while the listeners it returns live.
pub fn attach(figure: &Element, trace: Rc<Trace>, axis_ms: f64) -> Vec<EventListener> {
    let Some(parts) = Parts::find(figure) else {
        return Vec::new();
    };
    let whole_ms = axis_ms.max(trace.wall_ms).max(1e-3);
    let Some(first) = density(&trace, (0.0, whole_ms), None, COLUMNS) else {
        return Vec::new();
    };
    let view = View {
        density: first,
        trace,
        whole_ms,
        range: (0.0, whole_ms),
        cursor: COLUMNS / 2,
    };
    parts.show(&view);
    let canvas = parts.canvas.clone();
    let state = Rc::new((parts, RefCell::new(view)));
    let on_key = {
        let state = state.clone();
        // Not passive: the keys the slider takes do not scroll the page.
        let options = gloo_events::EventListenerOptions::enable_prevent_default();
        EventListener::new_with_options(&canvas, "keydown", options, move |event| {
            // A keydown is a KeyboardEvent.
            let e: &KeyboardEvent = event.unchecked_ref();
            let (parts, view) = (&state.0, &state.1);
            let mut view = view.borrow_mut();
            let step = if e.shift_key() { 10 } else { 1 };
            let at = view.cursor;
            match e.key().as_str() {
                "ArrowLeft" | "ArrowDown" => view.cursor = at.saturating_sub(step),
                "ArrowRight" | "ArrowUp" => view.cursor = (at + step).min(COLUMNS - 1),
                "Home" => view.cursor = 0,
                "End" => view.cursor = COLUMNS - 1,
                "+" | "=" => view.zoom(0.5),
                "-" => view.zoom(2.0),
                "0" => view.zoom(0.0),
                _ => return,
            }
            e.prevent_default();
            parts.show(&view);
        })
    };
    let on_pointer = {
        let state = state.clone();
        EventListener::new(&canvas, "pointermove", move |event| {
            // A pointermove is a MouseEvent; its target is the canvas.
            let e: &MouseEvent = event.unchecked_ref();
            let width = state.0.canvas.client_width().max(1);
            let at = e.offset_x().max(0) as usize * COLUMNS / width as usize;
            let mut view = state.1.borrow_mut();
            if view.cursor != at.min(COLUMNS - 1) {
                view.cursor = at.min(COLUMNS - 1);
                state.0.show(&view);
            }
        })
    };
    let on_click = EventListener::new(figure, "click", move |event| {
        let factor = event
            .target()
            .map(|t| t.unchecked_into::<Element>())
            .and_then(|button| button.get_attribute("data-zoom"))
            .and_then(|zoom| match zoom.as_str() {
                "in" => Some(0.5),
                "out" => Some(2.0),
                "whole" => Some(0.0),
                _ => None,
            });
        if let Some(factor) = factor {
            let mut view = state.1.borrow_mut();
            view.zoom(factor);
            state.0.show(&view);
        }
    });
    vec![on_key, on_pointer, on_click]
}
