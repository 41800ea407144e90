//! The timeline: one row per task (or group of tasks), every executor on the same scale.
//!
//! Positions are SVG percentages of the track, so the drawing needs no inline styles (the
//! page's CSP allows none) and stays sharp at any width.

use playground_core::format;
use playground_core::timeline::{layout, ticks, SegmentKind};
use playground_core::trace::Trace;
use playground_core::workload::StepKind;
use std::rc::Rc;
use yew::prelude::*;

/// Props: the trace and the shared axis length.
#[derive(Properties, Clone)]
pub struct TimelineProps {
    /// The run to draw.
    pub trace: Rc<Trace>,
    /// The axis length shared by every executor of the run, ms.
    pub axis_ms: f64,
}

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.trace, &other.trace) && self.axis_ms == other.axis_ms
    }
}

fn pct(ms: f64, axis_ms: f64) -> String {
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
    }
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let axis_ms = props.axis_ms.max(1.0);
    // Merge bars closer than about one pixel of a wide screen.
    let layout = layout(&props.trace, axis_ms / 1200.0);
    let executor = props.trace.executor.id();
    let label = format!("Timeline: {executor}",);
    let grouped = layout.tasks_per_row > 1;
    let shows = |kind| {
        layout
            .rows
            .iter()
            .any(|r| r.segments.iter().any(|s| s.kind == kind))
    };
    let mut startup = props.trace.startup.clone();
    // A few workers: an insertion sort, stable as `sort_by_key` is, with far less code.
    for i in 1..startup.len() {
        let mut j = i;
        while j > 0 && startup[j - 1].lane > startup[j].lane {
            startup.swap(j - 1, j);
            j -= 1;
        }
    }
    html! {
        <figure class="timeline">
            <div class="tl-grid" role="img" aria-label={label}>
                { for startup.iter().map(|s| html! {
                    <>
                        <div class="tl-label">{ format!("worker {} start", s.lane) }</div>
                        <svg class="tl-track" aria-hidden="true">
                            <rect class="seg-startup" x={pct(s.from_ms, axis_ms)}
                                width={pct((s.to_ms - s.from_ms).max(axis_ms / 2000.0), axis_ms)}
                                y="15%" height="70%" rx="2" />
                        </svg>
                    </>
                }) }
                { for layout.rows.iter().map(|row| html! {
                    <>
                        <div class="tl-label">{ &row.label }</div>
                        <svg class="tl-track" aria-hidden="true">
                            { for row.segments.iter().map(|s| {
                                let (y, h) = if s.kind == SegmentKind::Task { ("45%", "10%") } else { ("15%", "70%") };
                                html! {
                                    <rect class={kind_class(s.kind)}
                                        x={pct(s.start_ms, axis_ms)}
                                        width={pct((s.end_ms - s.start_ms).max(axis_ms / 2000.0), axis_ms)}
                                        y={y} height={h} rx="2" />
                                }
                            }) }
                            { for row.marks_ms.iter().map(|t| html! {
                                <line class="mark" x1={pct(*t, axis_ms)} x2={pct(*t, axis_ms)} y1="5%" y2="95%" />
                            }) }
                        </svg>
                    </>
                }) }
                <div class="tl-label"></div>
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
            </div>
            <figcaption class="legend">
                <span class="key seg-task">{ "task alive" }</span>
                if props.trace.step_kinds.contains(&StepKind::Sleep) {
                    <span class="key seg-sleep">{ "awaiting a sleep" }</span>
                }
                if props.trace.step_kinds.contains(&StepKind::BlockingSleep) {
                    <span class="key seg-blocking">{ "blocking the thread" }</span>
                }
                if !props.trace.startup.is_empty() {
                    <span class="key seg-startup">{ "worker start-up" }</span>
                }
                if props.trace.step_kinds.contains(&StepKind::Cpu) {
                    <span class="key seg-cpu">{ "computing" }</span>
                }
                if props.trace.step_kinds.contains(&StepKind::Fetch) {
                    <span class="key seg-queued">{ "waiting for a connection" }</span>
                    <span class="key seg-flight">{ "request at the server" }</span>
                }
                if shows(SegmentKind::Ready) {
                    <span class="key seg-ready">{ "answered, waiting for the thread" }</span>
                }
                if shows(SegmentKind::Failed) {
                    <span class="key seg-failed">{ "request failed" }</span>
                }
                if !grouped && !props.trace.output.is_empty() { <span class="key mark">{ "print" }</span> }
                if grouped {
                    <span class="grouped">{ format!("{} tasks per row", format::count(u64::from(layout.tasks_per_row))) }</span>
                }
            </figcaption>
        </figure>
    }
}
