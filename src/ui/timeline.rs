//! The timeline: one row per task (or group of tasks), every executor on the same scale.
//!
//! Positions are SVG percentages of the track, so the drawing needs no inline styles (the
//! page's CSP allows none) and stays sharp at any width.

use labs::program_lines::Lines;
use sim::executors::Placement;
use sim::format;
use sim::timeline::{layout, ticks, Layout, Row, SegmentKind};
use sim::timeline_table::{startup_label, table};
use sim::timeline_tree::{parents, Parent};
use sim::trace::Trace;
use sim::workload::StepKind;
use std::cell::Cell;
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
    /// The lines of the shown program its bars stand for (none where the program shown is
    /// not the run's).
    pub lines: Rc<Lines>,
    /// The program's marked line: the bars that stand for it are lit.
    pub marked: Option<u32>,
    /// Marks a line of the program (a bar was activated).
    pub on_mark: Callback<u32>,
    /// The time cursor's instant, ms: marked across every row.
    #[prop_or_default]
    pub cursor_ms: Option<f64>,
    /// The range of the run shown, ms (`None`: all of it, up to `axis_ms`).
    #[prop_or_default]
    pub view: Option<(f64, f64)>,
}

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.trace, &other.trace)
            && self.axis_ms == other.axis_ms
            && self.placement == other.placement
            && self.lines == other.lines
            && self.marked == other.marked
            && self.cursor_ms == other.cursor_ms
            && self.view == other.view
    }
}

/// One bar of the drawing: a focusable element of its SVG, named by its lane, what it shows,
/// its start and its end, and the line of the program it stands for.
struct Bar<'a> {
    class: &'static str,
    lane: &'a str,
    what: String,
    start_ms: f64,
    end_ms: f64,
    line: Option<u32>,
    /// Top and height, as SVG lengths.
    band: (&'a str, &'a str),
}

impl Bar<'_> {
    /// The bar, lit when it stands for the `marked` line; `stop`: it is the timeline's one
    /// stop in the tab order (the others are reached with the arrows).
    fn draw(self, scale: Scale, marked: Option<u32>, stop: bool) -> Html {
        let Some((x, width)) = scale.bar(self.start_ms, self.end_ms) else {
            return Html::default();
        };
        let lit = self.line.is_some() && self.line == marked;
        let label = format!(
            "{}, {}, {} to {}{}",
            self.lane,
            self.what,
            format::stamp(self.start_ms),
            format::stamp(self.end_ms),
            self.line.map(|n| format!(", line {n}")).unwrap_or_default()
        );
        html! {
            <rect class={classes!(self.class, lit.then_some("lit"))}
                {x} {width}
                y={self.band.0.to_string()} height={self.band.1.to_string()} rx="2"
                data-bar="" data-start={(self.start_ms as i64).to_string()}
                data-line={self.line.map(|n| n.to_string())}
                tabindex={if stop { "0" } else { "-1" }}
                role={if self.line.is_some() { "button" } else { "img" }}
                aria-label={label} />
        }
    }
}

/// The keyboard and the pointer on a timeline's bars (see [`super::timeline_keys`]).
fn bar_events(on_mark: &Callback<u32>) -> (Callback<KeyboardEvent>, Callback<MouseEvent>) {
    use super::timeline_keys::{bar_of, focus, line, moved};
    use wasm_bindgen::JsCast;
    let group_of = |e: &Event| e.current_target()?.dyn_into::<web_sys::Element>().ok();
    let keys = {
        let on_mark = on_mark.clone();
        Callback::from(move |e: KeyboardEvent| {
            let (Some(group), Some(bar)) = (group_of(&e), bar_of(e.target())) else {
                return;
            };
            let key = e.key();
            if key == "Enter" || key == " " {
                e.prevent_default();
                if let Some(n) = line(&bar) {
                    on_mark.emit(n);
                }
            } else if let Some(to) = moved(&group, &bar, &key) {
                e.prevent_default();
                focus(&group, &to);
            }
        })
    };
    let clicks = {
        let on_mark = on_mark.clone();
        Callback::from(move |e: MouseEvent| {
            let (Some(group), Some(bar)) = (group_of(&e), bar_of(e.target())) else {
                return;
            };
            focus(&group, &bar);
            if let Some(n) = line(&bar) {
                on_mark.emit(n);
            }
        })
    };
    (keys, clicks)
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

/// The range of a run a timeline shows: from `lo`, `span` ms long.
#[derive(Clone, Copy, PartialEq)]
struct Scale {
    lo: f64,
    span: f64,
}

impl Scale {
    /// `view` cut to a run of `axis_ms` (the whole run where it is absent, or starts after it).
    fn of(view: Option<(f64, f64)>, axis_ms: f64) -> Scale {
        match view {
            Some((lo, hi)) if lo < axis_ms && hi > lo => Scale {
                lo,
                span: (hi.min(axis_ms) - lo).max(1.0),
            },
            _ => Scale {
                lo: 0.0,
                span: axis_ms,
            },
        }
    }

    fn hi(self) -> f64 {
        self.lo + self.span
    }

    /// Where `ms` sits, as an SVG percentage (`None` outside the range).
    fn x(self, ms: f64) -> Option<String> {
        (ms >= self.lo && ms <= self.hi()).then(|| pct(ms - self.lo, self.span))
    }

    /// The part of `start`..`end` in the range, as ms from its start (`None` outside it).
    fn cut(self, start: f64, end: f64) -> Option<(f64, f64)> {
        let (a, b) = (start.max(self.lo), end.min(self.hi()));
        (b >= a).then_some((a - self.lo, b - self.lo))
    }

    /// A bar's x and width, cut to the range, as SVG percentages.
    fn bar(self, start: f64, end: f64) -> Option<(String, String)> {
        let (a, b) = self.cut(start, end)?;
        Some((
            pct(a, self.span),
            pct((b - a).max(self.span / 2000.0), self.span),
        ))
    }

    /// The time axis of the range.
    fn axis(self) -> Html {
        let lo = self.lo;
        html! {
            <svg class="tl-axis" aria-hidden="true">
                { for ticks(self.span).into_iter().map(|t| {
                    let anchor = if t == 0.0 { "start" } else if t >= self.span * 0.98 { "end" } else { "middle" };
                    html! {
                        <>
                            <line x1={pct(t, self.span)} x2={pct(t, self.span)} y1="0" y2="5" />
                            <text x={pct(t, self.span)} y="17" text-anchor={anchor}>{ format::duration(lo + t) }</text>
                        </>
                    }
                }) }
            </svg>
        }
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
    scale: Scale,
    (top, height): (f64, f64),
) -> String {
    let mut d = String::new();
    for (start, end) in spans.filter_map(|(start, end)| scale.cut(start, end)) {
        let x = (start / scale.span * 1000.0).clamp(0.0, 1000.0);
        let w = ((end - start) / scale.span * 1000.0)
            .max(0.5)
            .min(1000.0 - x);
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

/// The time cursor's mark across a row, at `cursor` (ms).
fn cursor_mark(cursor: Option<f64>, scale: Scale) -> Html {
    match cursor.and_then(|t| scale.x(t)) {
        Some(x) => html! {
            <line class="cursor" x1={x.clone()} x2={x} y1="0" y2="100%" aria-hidden="true" />
        },
        None => Html::default(),
    }
}

/// What a parent row's bar shows, its state first where it has one of its own.
fn parent_words(p: &Parent) -> String {
    match p.state {
        Some(state) => format!("{state}: {}", p.what),
        None => p.what.to_string(),
    }
}

/// Where a call bar sits: under the task's own bars in a taller track, one band per nesting
/// level, each tall enough for its name in type a phone can read.
fn call_band(depth: u8) -> (String, String) {
    // Whole percents: no float formatting reaches the page's download.
    let top = 34 + 22 * u32::from(depth.min(2));
    (format!("{top}%"), "20%".to_string())
}

/// Draws an executor's timeline (and, for more tasks than rows, its density) from the frame
/// after the one that shows its card: neither frame holds the page up long enough to stutter.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let shown = use_state(|| false);
    // The parents whose rows are folded away, by index.
    let folded = use_state(Vec::<usize>::new);
    let axis_ms = props.axis_ms.max(1.0);
    let scale = Scale::of(props.view, axis_ms);
    // Merge bars closer than about one pixel of a wide screen; laid out once it is shown.
    let laid_out = {
        let (trace, shown, span) = (props.trace.clone(), *shown, scale.span);
        use_memo(
            (Rc::as_ptr(&props.trace) as usize, span.to_bits(), shown),
            move |_| shown.then(|| layout(&trace, span / 1200.0)),
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
    let parents = parents(layout, props.trace.executor, props.placement);
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
    let (lines, marked, kinds) = (&props.lines, props.marked, &props.trace.step_kinds);
    let cursor = props.cursor_ms;
    // The first bar drawn is the timeline's stop in the tab order.
    let first = Cell::new(true);
    let stop = || first.replace(false);
    let (keys, clicks) = bar_events(&props.on_mark);
    let task_row = |row: &Row, nested: bool| {
        html! {
                        <>
                            <div class={classes!("tl-label", nested.then_some("nested"))}>{ &row.label }</div>
                            <svg class={classes!("tl-track", (!row.calls.is_empty()).then_some("with-calls"))}>
                                { for row.segments.iter().filter(|s| s.kind != SegmentKind::GilWait).map(|s| {
                                    let task_start = row.segments.iter().filter(|t| t.kind == SegmentKind::Task)
                                        .map(|t| t.start_ms).fold(f64::INFINITY, f64::min);
                                    let tall = row.calls.is_empty();
                                    let band = match (s.kind == SegmentKind::Task, tall) {
                                        (true, true) => ("45%", "10%"),
                                        (false, true) => ("15%", "70%"),
                                        (true, false) => ("14%", "4%"),
                                        (false, false) => ("2%", "28%"),
                                    };
                                    // Ready from the task's start: gather made it, and the loop had yet to get to it.
                                    let line = if s.kind == SegmentKind::Ready && s.start_ms <= task_start {
                                        lines.made
                                    } else {
                                        lines.of(s.kind, kinds)
                                    };
                                    Bar {
                                        class: kind_class(s.kind), lane: &row.label, what: s.kind.legend(on_threads),
                                        start_ms: s.start_ms, end_ms: s.end_ms, line, band,
                                    }.draw(scale, marked, stop())
                                }) }
                                if row.segments.iter().any(|s| s.kind == SegmentKind::GilWait) {
                                    <svg viewBox="0 0 1000 100" preserveAspectRatio="none" width="100%" height="100%" aria-hidden="true">
                                        <path class="seg-gil-wait" d={spans_path(
                                            row.segments.iter().filter(|s| s.kind == SegmentKind::GilWait).map(|s| (s.start_ms, s.end_ms)),
                                            scale,
                                            if row.calls.is_empty() { (15.0, 70.0) } else { (2.0, 28.0) },
                                        )} />
                                    </svg>
                                }
                                { for row.calls.iter().map(|c| {
                                    let (y, h) = call_band(c.depth);
                                    html! {
                                        <g class="call">
                                            { Bar {
                                                class: "call-bar", lane: &row.label, what: format!("in {}()", c.name),
                                                start_ms: c.start_ms, end_ms: c.end_ms, line: lines.call(&c.name), band: (&y, &h),
                                            }.draw(scale, marked, stop()) }
                                            // Its name, inside its bar: a box of its own that cuts what does not fit, so a
                                            // short bar (or a phone's narrow track) shows the name's start.
                                            if let Some((a, b)) = scale.cut(c.start_ms, c.end_ms) {
                                                <svg class="call-name" x={pct(a, scale.span)} width={pct(b - a, scale.span)} y={y.clone()} height={h.clone()} aria-hidden="true">
                                                    <text x="3" y="50%" dominant-baseline="central">{ &c.name }</text>
                                                </svg>
                                            }
                                        </g>
                                    }
                                }) }
                                { for row.marks_ms.iter().filter_map(|t| scale.x(*t)).map(|x| html! {
                                    <line class="mark" x1={x.clone()} x2={x} y1="5%" aria-hidden="true"
                                        y2={if row.calls.is_empty() { "95%" } else { "30%" }} />
                                }) }
                                { cursor_mark(cursor, scale) }
                            </svg>
                        </>
        }
    };
    let parent_row = |(i, p): (usize, &Parent)| {
        let open = !folded.contains(&i);
        let toggle = {
            let folded = folded.clone();
            Callback::from(move |_: MouseEvent| {
                let mut now = (*folded).clone();
                match now.iter().position(|f| *f == i) {
                    Some(at) => drop(now.remove(at)),
                    None => now.push(i),
                }
                folded.set(now);
            })
        };
        let line = if p.lane == 0 { lines.made } else { lines.pool };
        html! {
            <>
                <div class="tl-label tl-parent">
                    <button type="button" class="tl-fold" aria-expanded={open.to_string()} onclick={toggle}
                        title={format!("{} its {} rows", if open { "Fold" } else { "Unfold" }, p.rows.len())}>{ &p.label }</button>
                </div>
                <svg class="tl-track">
                    if let Some((from, to)) = p.startup {
                        { Bar {
                            class: "seg-startup", lane: &p.label, what: "worker start-up".into(),
                            start_ms: from, end_ms: to, line: lines.pool, band: ("15%", "70%"),
                        }.draw(scale, marked, stop()) }
                    }
                    { for p.spans.iter().map(|(start_ms, end_ms)| Bar {
                        class: "seg-parent", lane: &p.label, what: parent_words(p),
                        start_ms: *start_ms, end_ms: *end_ms, line, band: ("30%", "40%"),
                    }.draw(scale, marked, stop())) }
                    { cursor_mark(cursor, scale) }
                </svg>
                if open {
                    { for p.rows.iter().filter_map(|r| layout.rows.get(*r)).map(|row| task_row(row, true)) }
                }
            </>
        }
    };
    let legend_key = |kind: SegmentKind| {
        html! { <span class={classes!("key", kind_class(kind))}>{ kind.legend(on_threads) }</span> }
    };
    html! {
        <>
        <figure class="timeline">
            // A group of focusable bars (one stop in the tab order: the arrows move among
            // them). Narrow screens scroll the drawing inside this box, never the page; the box
            // is a stop of its own, so the arrows scroll it.
            <div class="tl-scroll" role="group" aria-label={label} tabindex="0" onkeydown={keys} onclick={clicks}>
            <div class="tl-grid">
                { for layout.startup.iter().filter(|s| !parents.iter().any(|p| p.lane == s.lane && p.startup.is_some())).map(|s| {
                    let lane = startup_label(s.lane);
                    html! {
                        <>
                            <div class="tl-label">{ &lane }</div>
                            <svg class="tl-track">
                                { Bar {
                                    class: "seg-startup", lane: &lane, what: "worker start-up".into(),
                                    start_ms: s.from_ms, end_ms: s.to_ms, line: lines.pool, band: ("15%", "70%"),
                                }.draw(scale, marked, stop()) }
                                { cursor_mark(cursor, scale) }
                            </svg>
                        </>
                    }
                }) }
                { for layout.gil.iter().map(|lane| html! {
                    <>
                        <div class="tl-label">{ &lane.label }</div>
                        // Hundreds of turns: one path each shade, told in the table.
                        <svg class="tl-track" aria-hidden="true">
                            <svg viewBox="0 0 1000 100" preserveAspectRatio="none" width="100%" height="100%">
                                { for ["seg-gil-a", "seg-gil-b", "seg-gil-mixed"].into_iter().map(|class| {
                                    let spans = lane.spans.iter().enumerate()
                                        .filter(move |(index, s)| gil_class(*index, s.holder) == class)
                                        .map(|(_, s)| (s.start_ms, s.end_ms));
                                    html! { <path class={class} d={spans_path(spans, scale, (15.0, 70.0))} /> }
                                }) }
                            </svg>
                            { cursor_mark(cursor, scale) }
                        </svg>
                    </>
                }) }
                { for parents.iter().enumerate().map(parent_row) }
                { for layout.rows.iter().enumerate().filter(|(r, _)| !parents.iter().any(|p| p.rows.contains(r))).map(|(_, row)| task_row(row, false)) }
                <div class="tl-label"></div>
                { scale.axis() }
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
                if let Some(p) = parents.first() {
                    <span class="key seg-parent">{ format!("{} (the rows under it)", parent_words(p)) }</span>
                }
                if layout.rows.iter().any(|r| !r.calls.is_empty()) {
                    <span class="key call">{ "Python call (nested)" }</span>
                }
                if !grouped && !props.trace.output.is_empty() { <span class="key mark">{ "print" }</span> }
                if grouped {
                    <span class="grouped">{ format!("{} tasks per row", format::count(u64::from(layout.tasks_per_row))) }</span>
                }
            </figcaption>
        </figure>
        { as_table(layout, props.placement, executor, &parents) }
        if props.trace.spans.is_some() {
            { super::density::figure(executor, density) }
        }
        </>
    }
}

/// The timeline's text alternative: a disclosure with one table row per row drawn.
fn as_table(layout: &Layout, placement: Placement, executor: &str, parents: &[Parent]) -> Html {
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
                    { for table(layout, placement, parents).into_iter().map(|r| html! {
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
