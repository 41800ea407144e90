//! The timeline: one row per task (or group of tasks), every executor on the same scale.
//!
//! Positions are SVG percentages of the track, so the drawing needs no inline styles (the
//! page's CSP allows none) and stays sharp at any width.

use sim::executors::Placement;
use sim::format;
use sim::timeline::{layout, ticks, Layout, SegmentKind};
use sim::timeline_table::{startup_label, table};
use sim::trace::Trace;
use sim::workload::StepKind;
use std::rc::Rc;
use yew::prelude::*;

/// Props: the trace and the shared axis length.
#[derive(Properties, Clone)]
pub struct TimelineProps {
    /// The run to draw.
    pub trace: Rc<Trace>,
    /// The axis length shared by every executor of the run, ms.
    pub axis_ms: f64,
    /// Where the executor ran (names the lanes of the table).
    pub placement: Placement,
}

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.trace, &other.trace)
            && self.axis_ms == other.axis_ms
            && self.placement == other.placement
    }
}

/// Where `ms` sits on an axis of `axis_ms`, as an SVG percentage.
pub fn pct(ms: f64, axis_ms: f64) -> String {
    format!(
        "{}%",
        format::fixed((ms / axis_ms * 100.0).clamp(0.0, 100.0), 3)
    )
}

fn kind_class(kind: SegmentKind) -> &'static str {
    match kind {
        SegmentKind::Task => "seg-task",
        SegmentKind::Sleep => "seg-sleep",
        SegmentKind::BlockingSleep => "seg-blocking",
        SegmentKind::Cpu => "seg-cpu",
        SegmentKind::Queued => "seg-queued",
        SegmentKind::InFlight => "seg-flight",
        SegmentKind::Failed => "seg-failed",
        SegmentKind::Ready => "seg-ready",
        SegmentKind::GilWait => "seg-gil-wait",
    }
}

/// A timeline's time axis: ticks at round values, labelled.
pub fn axis(axis_ms: f64) -> Html {
    html! {
        <svg class="tl-axis" aria-hidden="true">
            { for ticks(axis_ms).into_iter().map(|t| {
                let anchor = if t == 0.0 { "start" } else if t >= axis_ms * 0.98 { "end" } else { "middle" };
                html! {
                    <>
                        <line x1={pct(t, axis_ms)} x2={pct(t, axis_ms)} y1="0" y2="5" />
                        <text x={pct(t, axis_ms)} y="17" text-anchor={anchor}>{ format::duration(t) }</text>
                    </>
                }
            }) }
        </svg>
    }
}

/// The class of the `index`th GIL span of a lane: the shade alternates at each change of
/// holder; a span merged from several threads' short turns has its own.
fn gil_class(index: usize, holder: Option<u32>) -> &'static str {
    match holder {
        Some(_) if index.is_multiple_of(2) => "seg-gil-a",
        Some(_) => "seg-gil-b",
        None => "seg-gil-mixed",
    }
}

/// One SVG path of rectangles for `spans` (ms), from `top` to `top + height` (percent of the
/// track): drawn in a nested `<svg>` whose units are a thousandth of the axis, stretched to the
/// track. Hundreds of GIL turns draw as one element instead of hundreds, so the page renders a
/// threads run's results within a frame or two.
fn spans_path(
    spans: impl Iterator<Item = (f64, f64)>,
    axis_ms: f64,
    (top, height): (f64, f64),
) -> String {
    let mut d = String::new();
    for (start, end) in spans {
        let x = (start / axis_ms * 1000.0).clamp(0.0, 1000.0);
        let w = ((end - start) / axis_ms * 1000.0).max(0.5).min(1000.0 - x);
        d.push_str(&format!(
            "M{} {}h{}v{}h-{}z",
            format::fixed(x, 2),
            format::fixed(top, 1),
            format::fixed(w, 2),
            format::fixed(height, 1),
            format::fixed(w, 2)
        ));
    }
    d
}

/// Where a call bar sits: the bottom half of a taller track, one band per nesting level.
fn call_band(depth: u8) -> (String, String) {
    // Whole percents: no float formatting reaches the page's download.
    let top = 50 + 16 * u32::from(depth.min(2));
    (format!("{top}%"), "14%".to_string())
}

/// Draws an executor's timeline (and, for more tasks than rows, its density) from the frame
/// after the one that shows its card: neither frame holds the page up long enough to stutter.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let shown = use_state(|| false);
    let axis_ms = props.axis_ms.max(1.0);
    // Merge bars closer than about one pixel of a wide screen; laid out once it is shown.
    let laid_out = {
        let (trace, shown) = (props.trace.clone(), *shown);
        use_memo(
            (Rc::as_ptr(&props.trace) as usize, axis_ms.to_bits(), shown),
            move |_| shown.then(|| layout(&trace, axis_ms / 1200.0)),
        )
    };
    // Shown from the next frame on; then the density (of tasks kept as spans), filled in once
    // it is in the page.
    let density = use_node_ref();
    {
        let (node, trace, shown) = (density.clone(), props.trace.clone(), shown.clone());
        use_effect_with(
            (Rc::as_ptr(&props.trace) as usize, axis_ms.to_bits(), *shown),
            move |_| {
                let frame = (!*shown)
                    .then(|| gloo_render::request_animation_frame(move |_| shown.set(true)));
                let listeners = node
                    .cast::<web_sys::Element>()
                    .map(|figure| super::density::attach(&figure, trace, axis_ms));
                move || drop((frame, listeners))
            },
        );
    }
    let Some(layout) = laid_out.as_ref() else {
        return html! { <p class="hint drawing">{ "Drawing the timeline\u{2026}" }</p> };
    };
    let executor = props.trace.executor.id();
    let label = format!("Timeline: {executor}",);
    let grouped = layout.tasks_per_row > 1;
    // Steps that ran on threads of an interpreter: their sleeps are time.sleep.
    let on_threads = !layout.gil.is_empty();
    let shows = |kind| {
        layout
            .rows
            .iter()
            .any(|r| r.segments.iter().any(|s| s.kind == kind))
    };
    let legend_key = |kind: SegmentKind| {
        html! { <span class={classes!("key", kind_class(kind))}>{ kind.legend(on_threads) }</span> }
    };
    html! {
        <>
        <figure class="timeline">
            // Narrow screens scroll the drawing inside this box (focusable, so keys scroll it),
            // never the page.
            <div class="tl-scroll" role="img" aria-label={label} tabindex="0">
            <div class="tl-grid">
                { for layout.startup.iter().map(|s| html! {
                    <>
                        <div class="tl-label">{ startup_label(s.lane) }</div>
                        <svg class="tl-track" aria-hidden="true">
                            <rect class="seg-startup" x={pct(s.from_ms, axis_ms)}
                                width={pct((s.to_ms - s.from_ms).max(axis_ms / 2000.0), axis_ms)}
                                y="15%" height="70%" rx="2" />
                        </svg>
                    </>
                }) }
                { for layout.gil.iter().map(|lane| html! {
                    <>
                        <div class="tl-label">{ &lane.label }</div>
                        <svg class="tl-track" aria-hidden="true">
                            <svg viewBox="0 0 1000 100" preserveAspectRatio="none" width="100%" height="100%">
                                { for ["seg-gil-a", "seg-gil-b", "seg-gil-mixed"].into_iter().map(|class| {
                                    let spans = lane.spans.iter().enumerate()
                                        .filter(move |(index, s)| gil_class(*index, s.holder) == class)
                                        .map(|(_, s)| (s.start_ms, s.end_ms));
                                    html! { <path class={class} d={spans_path(spans, axis_ms, (15.0, 70.0))} /> }
                                }) }
                            </svg>
                        </svg>
                    </>
                }) }
                { for layout.rows.iter().map(|row| html! {
                    <>
                        <div class="tl-label">{ &row.label }</div>
                        <svg class={classes!("tl-track", (!row.calls.is_empty()).then_some("with-calls"))} aria-hidden="true">
                            { for row.segments.iter().filter(|s| s.kind != SegmentKind::GilWait).map(|s| {
                                let tall = row.calls.is_empty();
                                let (y, h) = match (s.kind == SegmentKind::Task, tall) {
                                    (true, true) => ("45%", "10%"),
                                    (false, true) => ("15%", "70%"),
                                    (true, false) => ("22%", "6%"),
                                    (false, false) => ("5%", "40%"),
                                };
                                html! {
                                    <rect class={kind_class(s.kind)}
                                        x={pct(s.start_ms, axis_ms)}
                                        width={pct((s.end_ms - s.start_ms).max(axis_ms / 2000.0), axis_ms)}
                                        y={y} height={h} rx="2" />
                                }
                            }) }
                            if row.segments.iter().any(|s| s.kind == SegmentKind::GilWait) {
                                <svg viewBox="0 0 1000 100" preserveAspectRatio="none" width="100%" height="100%">
                                    <path class="seg-gil-wait" d={spans_path(
                                        row.segments.iter().filter(|s| s.kind == SegmentKind::GilWait).map(|s| (s.start_ms, s.end_ms)),
                                        axis_ms,
                                        if row.calls.is_empty() { (15.0, 70.0) } else { (5.0, 40.0) },
                                    )} />
                                </svg>
                            }
                            { for row.calls.iter().map(|c| {
                                let (y, h) = call_band(c.depth);
                                html! {
                                    <g class="call">
                                        <rect x={pct(c.start_ms, axis_ms)}
                                            width={pct((c.end_ms - c.start_ms).max(axis_ms / 2000.0), axis_ms)}
                                            y={y.clone()} height={h} rx="1">
                                            <title>{ format!("{}()", c.name) }</title>
                                        </rect>
                                        // A name is written where its bar is wide enough for it.
                                        if (c.end_ms - c.start_ms) / axis_ms > 0.006 * c.name.len() as f64 {
                                            <text x={pct(c.start_ms, axis_ms)} y={y} dx="2" dy="0.8em">{ &c.name }</text>
                                        }
                                    </g>
                                }
                            }) }
                            { for row.marks_ms.iter().map(|t| html! {
                                <line class="mark" x1={pct(*t, axis_ms)} x2={pct(*t, axis_ms)} y1="5%"
                                    y2={if row.calls.is_empty() { "95%" } else { "45%" }} />
                            }) }
                        </svg>
                    </>
                }) }
                <div class="tl-label"></div>
                { axis(axis_ms) }
            </div>
            </div>
            <figcaption class="legend">
                { legend_key(SegmentKind::Task) }
                if shows(SegmentKind::Sleep) { { legend_key(SegmentKind::Sleep) } }
                if shows(SegmentKind::BlockingSleep) { { legend_key(SegmentKind::BlockingSleep) } }
                if !props.trace.startup.is_empty() {
                    <span class="key seg-startup">{ "worker start-up" }</span>
                }
                if props.trace.step_kinds.contains(&StepKind::Cpu) { { legend_key(SegmentKind::Cpu) } }
                if props.trace.step_kinds.contains(&StepKind::Fetch) {
                    { legend_key(SegmentKind::Queued) }
                    { legend_key(SegmentKind::InFlight) }
                }
                if shows(SegmentKind::Ready) { { legend_key(SegmentKind::Ready) } }
                if shows(SegmentKind::Failed) { { legend_key(SegmentKind::Failed) } }
                if !layout.gil.is_empty() {
                    <span class="key seg-gil-a">{ "GIL held (shade changes at each hand-off)" }</span>
                }
                if shows(SegmentKind::GilWait) { { legend_key(SegmentKind::GilWait) } }
                if layout.rows.iter().any(|r| !r.calls.is_empty()) {
                    <span class="key call">{ "Python call (nested)" }</span>
                }
                if !grouped && !props.trace.output.is_empty() { <span class="key mark">{ "print" }</span> }
                if grouped {
                    <span class="grouped">{ format!("{} tasks per row", format::count(u64::from(layout.tasks_per_row))) }</span>
                }
            </figcaption>
        </figure>
        { as_table(layout, props.placement, executor) }
        if props.trace.spans.is_some() {
            { super::density::figure(executor, density) }
        }
        </>
    }
}

/// The timeline's text alternative: a disclosure with one table row per row drawn.
fn as_table(layout: &Layout, placement: Placement, executor: &str) -> Html {
    let caption = format!("tl-table-{executor}");
    html! {
        <details class="as-table">
            <summary>{ "Show as table" }</summary>
            // On a phone its six columns scroll sideways inside this box, never the page.
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby={caption.clone()}>
            <table>
                <caption id={caption}>{ format!("Timeline of {executor} as a table") }</caption>
                <thead><tr>
                    <th scope="col">{ "Row" }</th><th scope="col">{ "Lane" }</th>
                    <th scope="col">{ "Start" }</th><th scope="col">{ "End" }</th>
                    <th scope="col">{ "State" }</th><th scope="col">{ "What it did" }</th>
                </tr></thead>
                <tbody>
                    { for table(layout, placement).into_iter().map(|r| html! {
                        <tr>
                            <th scope="row">{ r.row }</th><td>{ r.lane }</td>
                            <td>{ format::stamp(r.start_ms) }</td><td>{ format::stamp(r.end_ms) }</td>
                            <td>{ r.states }</td><td>{ r.activity }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
        </details>
    }
}
