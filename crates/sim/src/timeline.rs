//! Timeline layout: from a trace to rows of bars, all in ms on the run's own axis.
//!
//! Up to [`MAX_ROWS`] tasks get a row each; more are grouped into [`MAX_ROWS`] rows whose bars
//! are the union of their tasks' bars, merged below the drawing's resolution so that a million
//! tasks still draw a few hundred rectangles.

use crate::executors::Gil;
use crate::order::sorted_by;
use crate::trace::{EventKind, LaneStartup, Trace};
use crate::workload::StepKind;

/// The most rows a timeline draws.
pub const MAX_ROWS: u32 = 24;

/// What a bar shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    /// The task has started and not ended.
    Task,
    /// Waiting without holding the thread.
    Sleep,
    /// Holding the thread.
    BlockingSleep,
    /// Computing.
    Cpu,
    /// Requests waiting for a connection (the browser's per-host limit).
    Queued,
    /// Requests on the wire: the server has them.
    InFlight,
    /// A request step in which a request failed.
    Failed,
    /// Every answer is in; the task waits for its thread (busy with other tasks' work).
    Ready,
    /// A thread waits for the GIL (or, free-threaded, its core) held by another thread.
    GilWait,
}

impl SegmentKind {
    /// What the bar shows, in the words of the timeline's legend and its table; `on_threads`:
    /// the tasks ran as threads of an interpreter (their sleeps are `time.sleep`).
    pub fn describe(self, on_threads: bool) -> &'static str {
        match self {
            SegmentKind::Task if on_threads => "thread alive",
            SegmentKind::Task => "task alive",
            SegmentKind::Sleep if on_threads => "time.sleep (GIL released)",
            SegmentKind::Sleep => "awaiting a sleep",
            SegmentKind::BlockingSleep => "time.sleep holding the thread",
            SegmentKind::Cpu => "computing",
            SegmentKind::Queued => "waiting for a connection",
            SegmentKind::InFlight => "request at the server",
            SegmentKind::Failed => "request failed",
            SegmentKind::Ready => "waiting for the thread",
            SegmentKind::GilWait => "waiting for the GIL",
        }
    }

    /// The task's state while the bar lasts, one of the six words of the legend and of the
    /// table's State column (`None` for the bar of a task being alive): `running` (holding
    /// the thread), `suspended` (at an await, or in a time.sleep that let the GIL go),
    /// `ready` (it could run; the thread is busy elsewhere), `waiting for the GIL`, `queued`
    /// (for a connection), `blocking` (a time.sleep holding the thread).
    pub fn state(self) -> Option<&'static str> {
        match self {
            SegmentKind::Task => None,
            SegmentKind::Cpu => Some("running"),
            SegmentKind::Sleep | SegmentKind::InFlight | SegmentKind::Failed => Some("suspended"),
            SegmentKind::Ready => Some("ready"),
            SegmentKind::GilWait => Some("waiting for the GIL"),
            SegmentKind::Queued => Some("queued"),
            SegmentKind::BlockingSleep => Some("blocking"),
        }
    }

    /// The legend's words for the bar: its state, then what it shows (`suspended: awaiting a
    /// sleep`), or the one where they are the same (`waiting for the GIL`).
    pub fn legend(self, on_threads: bool) -> String {
        let what = self.describe(on_threads);
        match self.state() {
            Some(state) if state != what => format!("{state}: {what}"),
            _ => what.to_string(),
        }
    }
}

/// The states of the table's State column, in its order.
pub const STATES: [&str; 6] = [
    "running",
    "ready",
    "waiting for the GIL",
    "queued",
    "suspended",
    "blocking",
];

/// One bar, in ms since the run started.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// Start, ms.
    pub start_ms: f64,
    /// End, ms.
    pub end_ms: f64,
    /// What it shows.
    pub kind: SegmentKind,
}

/// One row: one task, or a group of tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// `task 1` or `tasks 1–167`.
    pub label: String,
    /// Bars, task spans first, then steps, each kind sorted by start.
    pub segments: Vec<Segment>,
    /// When the row's task printed (single-task rows only), ms.
    pub marks_ms: Vec<f64>,
    /// The Python calls of the row's task, outermost first (single-task rows only).
    pub calls: Vec<CallSpan>,
    /// The lanes its tasks ran on (0: the page's main thread), in order of first use.
    pub lanes: Vec<u32>,
}

/// One call of a Python function, nested `depth` calls deep (0: outermost).
#[derive(Clone, Debug, PartialEq)]
pub struct CallSpan {
    /// When it was called, ms.
    pub start_ms: f64,
    /// When it returned, ms.
    pub end_ms: f64,
    /// How many calls enclose it.
    pub depth: u8,
    /// The function's name.
    pub name: String,
}

/// Who held a GIL for a while.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GilSpan {
    /// From, ms.
    pub start_ms: f64,
    /// To, ms.
    pub end_ms: f64,
    /// The holding thread's task (0-based); `None` where spans of several threads merged.
    pub holder: Option<u32>,
}

/// The GIL of one interpreter (or, free-threaded, one core): who held it when.
#[derive(Clone, Debug, PartialEq)]
pub struct GilLane {
    /// `GIL` (or `core 2` for a free-threaded run's second worker).
    pub label: String,
    /// Held spans, in time order.
    pub spans: Vec<GilSpan>,
}

/// A whole timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Rows, top to bottom.
    pub rows: Vec<Row>,
    /// How many tasks each row stands for.
    pub tasks_per_row: u32,
    /// One lane per GIL, where threads ran.
    pub gil: Vec<GilLane>,
    /// The workers that started within the run (cold start), by lane.
    pub startup: Vec<LaneStartup>,
}

/// Lays out `trace`; bars closer than `resolution_ms` merge.
pub fn layout(trace: &Trace, resolution_ms: f64) -> Layout {
    let tasks = trace.task_count.max(1);
    let per_row = tasks.div_ceil(MAX_ROWS).max(1);
    let row_count = tasks.div_ceil(per_row) as usize;
    let mut spans: Vec<[Vec<(f64, f64)>; 9]> = (0..row_count).map(|_| Default::default()).collect();
    // Per-task state for the events; a trace of spans has none.
    let with_events = if trace.spans.is_some() {
        0
    } else {
        trace.task_count as usize
    };
    let mut gil_asked = vec![f64::NAN; with_events];
    let on_threads = trace.events.kind.contains(&EventKind::GilAcquired);
    let mut task_open = vec![f64::NAN; with_events];
    let mut step_open = vec![f64::NAN; with_events];
    // When the task could run again (its sleep's deadline, or its making) while the thread was
    // busy: from there to its next event it was ready.
    let mut woken = vec![f64::NAN; with_events];
    // The open request step: a request failed (`FAILED`); every answer is in (`ANSWERED`).
    const FAILED: u8 = 1;
    const ANSWERED: u8 = 2;
    let mut request_state = vec![0u8; with_events];
    let mut lanes: Vec<Vec<u32>> = vec![Vec::new(); row_count];
    if let Some(task_spans) = &trace.spans {
        let per_row = per_row as usize;
        for (row, lanes) in lanes.iter_mut().enumerate() {
            let tasks =
                (row * per_row).min(task_spans.len())..((row + 1) * per_row).min(task_spans.len());
            if tasks.is_empty() {
                continue;
            }
            let alive = task_spans.alive(tasks, trace.wall_ms, resolution_ms);
            lanes.push(0);
            spans[row][1] = alive.clone();
            spans[row][0] = alive;
        }
    }
    let ev = &trace.events;
    for i in 0..ev.len() {
        let task = ev.task[i] as usize;
        if task >= task_open.len() {
            continue;
        }
        let row = task / per_row as usize;
        let t = ev.t_ms[i];
        if matches!(ev.kind[i], EventKind::TaskStarted | EventKind::StepStarted)
            && !lanes[row].contains(&ev.lane[i])
        {
            lanes[row].push(ev.lane[i]);
        }
        match ev.kind[i] {
            EventKind::Woken => woken[task] = t,
            EventKind::TaskStarted => {
                // gather made it before the loop got to it: alive and ready since then.
                task_open[task] = if woken[task].is_nan() {
                    t
                } else {
                    spans[row][7].push((woken[task], t));
                    woken[task]
                };
                woken[task] = f64::NAN;
            }
            EventKind::TaskEnded => {
                spans[row][0].push((task_open[task], t));
                task_open[task] = f64::NAN;
            }
            EventKind::StepStarted => {
                step_open[task] = t;
                request_state[task] = 0;
            }
            EventKind::RequestSent => {
                spans[row][4].push((step_open[task], t));
                step_open[task] = t;
            }
            EventKind::RequestFailed => request_state[task] |= FAILED,
            EventKind::RequestAnswered => {
                let slot = if request_state[task] & FAILED != 0 {
                    6
                } else {
                    5
                };
                spans[row][slot].push((step_open[task], t));
                step_open[task] = t;
                request_state[task] |= ANSWERED;
            }
            EventKind::StepEnded => {
                let state = request_state[task];
                let slot = match trace.step_kinds.get(ev.step[i] as usize) {
                    // On a thread, time.sleep lets the GIL go: it is a wait like any other.
                    Some(StepKind::BlockingSleep) if !on_threads => 2,
                    Some(StepKind::Cpu) => 3,
                    Some(StepKind::Fetch) if state & ANSWERED != 0 => 7,
                    Some(StepKind::Fetch) if state & FAILED != 0 => 6,
                    Some(StepKind::Fetch) => 5,
                    _ => 1,
                };
                // A sleep that ended while the thread was busy: ready from its deadline.
                let until = if woken[task].is_nan() {
                    t
                } else {
                    spans[row][7].push((woken[task], t));
                    woken[task]
                };
                woken[task] = f64::NAN;
                spans[row][slot].push((step_open[task], until));
                step_open[task] = f64::NAN;
            }
            EventKind::GilRequested => gil_asked[task] = t,
            EventKind::GilAcquired => {
                if !gil_asked[task].is_nan() {
                    spans[row][8].push((gil_asked[task], t));
                    gil_asked[task] = f64::NAN;
                }
            }
            EventKind::GilReleased | EventKind::CallEntered | EventKind::CallExited => {}
        }
    }
    // Whatever is still open ran until the run ended (it was stopped).
    for (task, start) in task_open.iter().enumerate() {
        if !start.is_nan() {
            spans[task / per_row as usize][0].push((*start, trace.wall_ms));
        }
    }
    // Which step was open is not kept; what was left open at a stop shows as waiting.
    for (task, start) in step_open.iter().enumerate() {
        if !start.is_nan() {
            spans[task / per_row as usize][1].push((*start, trace.wall_ms));
        }
    }

    let mut marks: Vec<Vec<f64>> = vec![Vec::new(); row_count];
    if per_row == 1 {
        for (t, task) in trace.output.t_ms.iter().zip(&trace.output.task) {
            if let Some(m) = marks.get_mut(*task as usize) {
                m.push(*t);
            }
        }
    }

    let kinds = [
        SegmentKind::Task,
        SegmentKind::Sleep,
        SegmentKind::BlockingSleep,
        SegmentKind::Cpu,
        SegmentKind::Queued,
        SegmentKind::InFlight,
        SegmentKind::Failed,
        SegmentKind::Ready,
        SegmentKind::GilWait,
    ];
    let mut calls = if per_row == 1 {
        call_spans(trace)
    } else {
        Vec::new()
    };
    calls.resize(row_count, Vec::new());
    let rows = spans
        .into_iter()
        .zip(marks)
        .zip(calls)
        .zip(lanes)
        .enumerate()
        .map(|(r, (((by_kind, marks_ms), calls), lanes))| {
            let first = r as u32 * per_row + 1;
            let last = ((r as u32 + 1) * per_row).min(trace.task_count);
            let label = if per_row == 1 {
                format!("task {first}")
            } else {
                format!("tasks {first}\u{2013}{last}")
            };
            let segments = by_kind
                .into_iter()
                .zip(kinds)
                .flat_map(|(intervals, kind)| {
                    merge(intervals, resolution_ms)
                        .into_iter()
                        .map(move |(start_ms, end_ms)| Segment {
                            start_ms,
                            end_ms,
                            kind,
                        })
                })
                .collect();
            Row {
                label,
                segments,
                marks_ms,
                calls,
                lanes,
            }
        })
        .collect();
    let startup = sorted_by(trace.startup.clone(), |s| f64::from(s.lane));
    Layout {
        rows,
        tasks_per_row: per_row,
        gil: gil_lanes(trace, resolution_ms),
        startup,
    }
}

/// Each task's calls, from its call events, outermost first.
fn call_spans(trace: &Trace) -> Vec<Vec<CallSpan>> {
    if trace.call_names.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Vec<CallSpan>> = vec![Vec::new(); trace.task_count as usize];
    let mut open: Vec<Vec<(f64, u16)>> = vec![Vec::new(); trace.task_count as usize];
    let ev = &trace.events;
    for i in 0..ev.len() {
        let task = ev.task[i] as usize;
        let (Some(stack), Some(done)) = (open.get_mut(task), out.get_mut(task)) else {
            continue;
        };
        match ev.kind[i] {
            EventKind::CallEntered => stack.push((ev.t_ms[i], ev.step[i])),
            EventKind::CallExited => {
                if let Some((start_ms, step)) = stack.pop() {
                    done.push(CallSpan {
                        start_ms,
                        end_ms: ev.t_ms[i],
                        depth: stack.len().min(usize::from(u8::MAX)) as u8,
                        name: trace
                            .call_names
                            .get(usize::from(step))
                            .cloned()
                            .unwrap_or_default(),
                    });
                }
            }
            _ => {}
        }
    }
    // Calls still open ran until the run ended (it was stopped).
    for (task, stack) in open.into_iter().enumerate() {
        for (depth, (start_ms, step)) in stack.into_iter().enumerate() {
            out[task].push(CallSpan {
                start_ms,
                end_ms: trace.wall_ms,
                depth: depth.min(usize::from(u8::MAX)) as u8,
                name: trace
                    .call_names
                    .get(usize::from(step))
                    .cloned()
                    .unwrap_or_default(),
            });
        }
    }
    // Outermost first, then by start: a run's times are far below 1e12 ms, so one key
    // orders both.
    out.into_iter()
        .map(|calls| sorted_by(calls, |c| f64::from(c.depth) * 1e12 + c.start_ms))
        .collect()
}

/// Who held each GIL when; spans closer than `resolution_ms` merge.
fn gil_lanes(trace: &Trace, resolution_ms: f64) -> Vec<GilLane> {
    if trace.executor.spec().placement.in_processes() {
        // Each process has a GIL of its own, and nothing else waits for it.
        return Vec::new();
    }
    let ev = &trace.events;
    struct Lane {
        lane: u32,
        spans: Vec<GilSpan>,
        /// Since when, and by whom, it is held.
        open: Option<(f64, u32)>,
    }
    let mut lanes: Vec<Lane> = Vec::new();
    // In time order: run_in_executor's calls arrive one whole call at a time.
    let order: Vec<usize> = (0..ev.len())
        .filter(|i| matches!(ev.kind[*i], EventKind::GilAcquired | EventKind::GilReleased))
        .collect();
    for i in sorted_by(order, |i| ev.t_ms[*i]) {
        let kind = ev.kind[i];
        // Threads have a GIL per interpreter worker (their lane); the threads of
        // run_in_executor (lanes 1, 2, ...) share one.
        let lane = if trace.executor.spec().gil == Gil::PerInterpreter {
            ev.lane[i]
        } else {
            0
        };
        let index = match lanes.iter().position(|l| l.lane == lane) {
            Some(index) => index,
            None => {
                lanes.push(Lane {
                    lane,
                    spans: Vec::new(),
                    open: None,
                });
                lanes.len() - 1
            }
        };
        let Lane { spans, open, .. } = &mut lanes[index];
        let (t, task) = (ev.t_ms[i], ev.task[i]);
        match kind {
            EventKind::GilAcquired => *open = Some((t, task)),
            _ => {
                if let Some((start_ms, holder)) = open.take() {
                    push_merged(
                        spans,
                        GilSpan {
                            start_ms,
                            end_ms: t,
                            holder: Some(holder),
                        },
                        resolution_ms,
                    );
                }
            }
        }
    }
    let lanes = sorted_by(lanes, |l| f64::from(l.lane));
    let count = lanes.len();
    lanes
        .into_iter()
        .enumerate()
        .map(
            |(
                index,
                Lane {
                    mut spans, open, ..
                },
            )| {
                if let Some((start_ms, holder)) = open {
                    push_merged(
                        &mut spans,
                        GilSpan {
                            start_ms,
                            end_ms: trace.wall_ms,
                            holder: Some(holder),
                        },
                        resolution_ms,
                    );
                }
                GilLane {
                    label: if count == 1 {
                        "GIL".to_string()
                    } else {
                        format!("core {}", index + 1)
                    },
                    spans,
                }
            },
        )
        .collect()
}

/// Appends `span`, joining it to the last one when they are less than `gap_ms` apart (a
/// joined span of two threads has no single holder).
fn push_merged(spans: &mut Vec<GilSpan>, span: GilSpan, gap_ms: f64) {
    match spans.last_mut() {
        Some(last)
            if span.start_ms <= last.end_ms + gap_ms
                && (last.holder == span.holder
                    || span.end_ms - span.start_ms < gap_ms
                    || last.end_ms - last.start_ms < gap_ms) =>
        {
            last.end_ms = last.end_ms.max(span.end_ms);
            if last.holder != span.holder {
                last.holder = None;
            }
        }
        _ => spans.push(span),
    }
}

/// Sorts and unions intervals, joining those less than `gap_ms` apart.
fn merge(mut intervals: Vec<(f64, f64)>, gap_ms: f64) -> Vec<(f64, f64)> {
    intervals.retain(|(s, e)| s.is_finite() && e.is_finite());
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (s, e) in sorted_by(intervals, |i| i.0) {
        match out.last_mut() {
            Some(last) if s <= last.1 + gap_ms => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Tick positions for an axis of `axis_ms`: about five, at round values.
pub fn ticks(axis_ms: f64) -> Vec<f64> {
    if axis_ms <= 0.0 || !axis_ms.is_finite() {
        return vec![0.0];
    }
    let raw = axis_ms / 5.0;
    // An integer power: no general `pow` in the download.
    let magnitude = 10f64.powi(raw.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let mut out = Vec::new();
    let mut t = 0.0;
    while t <= axis_ms + step * 1e-9 {
        out.push(t);
        t += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::virtual_time::run_virtual;
    use crate::executors::ExecutorId;
    use crate::workload::{hello, sleepers};

    #[test]
    fn a_few_tasks_get_a_row_each_with_their_prints() {
        let (trace, _) = run_virtual(ExecutorId::Sequential, &hello(2, 1.0, false));
        let l = layout(&trace, 1.0);
        assert_eq!(l.tasks_per_row, 1);
        assert_eq!(l.rows.len(), 2);
        assert_eq!(l.rows[1].label, "task 2");
        assert_eq!(
            l.rows[1].segments,
            vec![
                Segment {
                    start_ms: 1000.0,
                    end_ms: 2000.0,
                    kind: SegmentKind::Task
                },
                Segment {
                    start_ms: 1000.0,
                    end_ms: 2000.0,
                    kind: SegmentKind::Sleep
                },
            ]
        );
        assert_eq!(l.rows[1].marks_ms, vec![1000.0, 2000.0]);
    }

    #[test]
    fn many_tasks_are_grouped_and_merged() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &sleepers(4000, 3.0, false));
        let l = layout(&trace, 5.0);
        assert_eq!(l.rows.len(), MAX_ROWS as usize);
        assert_eq!(l.tasks_per_row, 167);
        assert_eq!(l.rows[0].label, "tasks 1\u{2013}167");
        assert_eq!(l.rows[23].label, "tasks 3842\u{2013}4000");
        for row in &l.rows {
            assert_eq!(
                row.segments.len(),
                2,
                "one task span and one sleep per group"
            );
            assert!(row.marks_ms.is_empty());
        }
    }

    #[test]
    fn blocking_sleeps_have_their_own_kind() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, true));
        let l = layout(&trace, 1.0);
        assert!(l.rows[0]
            .segments
            .iter()
            .any(|s| s.kind == SegmentKind::BlockingSleep));
    }

    /// The spans of `kind` in row `row`, ms.
    fn bars(l: &Layout, row: usize, kind: SegmentKind) -> Vec<(f64, f64)> {
        l.rows[row]
            .segments
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| (s.start_ms, s.end_ms))
            .collect()
    }

    #[test]
    fn a_blocking_sleep_leaves_the_other_hello_ready_but_not_running_for_a_second() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, true));
        let l = layout(&trace, 1.0);
        // The first hello holds the thread in time.sleep; the second, made by gather at the
        // start, could run all that second and waits for the loop.
        assert_eq!(bars(&l, 0, SegmentKind::BlockingSleep), [(0.0, 1000.0)]);
        assert_eq!(bars(&l, 0, SegmentKind::Ready), []);
        assert_eq!(bars(&l, 1, SegmentKind::Ready), [(0.0, 1000.0)]);
        assert_eq!(bars(&l, 1, SegmentKind::BlockingSleep), [(1000.0, 2000.0)]);
        // It is alive, as a task, from its making.
        assert_eq!(bars(&l, 1, SegmentKind::Task), [(0.0, 2000.0)]);
    }

    #[test]
    fn awaited_sleeps_on_an_idle_loop_are_never_ready_and_waiting() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, false));
        let l = layout(&trace, 1.0);
        for row in 0..2 {
            assert_eq!(bars(&l, row, SegmentKind::Ready), []);
            assert_eq!(bars(&l, row, SegmentKind::Sleep), [(0.0, 1000.0)]);
        }
        assert!(!trace.events.kind.contains(&EventKind::Woken));
    }

    #[test]
    fn a_sleep_that_ends_while_another_task_computes_is_ready_until_the_loop_is_free() {
        // Two tasks: each sleeps 100 ms, then computes about 300 ms. The first computes from
        // 100 ms; the second's sleep ends then too, but it waits for the loop until ~400 ms.
        let jobs = crate::workload::prime_jobs(2, 0.1, 1_000_003, 300.0);
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &jobs);
        let l = layout(&trace, 1.0);
        let cpu = bars(&l, 0, SegmentKind::Cpu);
        let ready = bars(&l, 1, SegmentKind::Ready);
        assert_eq!(ready.len(), 1, "{ready:?}");
        assert_eq!(ready[0].0, 100.0);
        assert_eq!(ready[0].1, cpu[0].1);
        // Its sleep bar ends at the sleep's deadline, not when it ran again.
        assert_eq!(bars(&l, 1, SegmentKind::Sleep), [(0.0, 100.0)]);
    }

    #[test]
    fn threads_show_who_held_the_gil_and_who_waited() {
        let jobs = crate::workload::prime_jobs(2, 0.0, 1_000_003, 100.0);
        let (trace, _) = run_virtual(ExecutorId::Threads, &jobs);
        let l = layout(&trace, 0.0);
        assert_eq!(l.gil.len(), 1);
        assert_eq!(l.gil[0].label, "GIL");
        // Slices of 5 ms alternate between the two threads.
        let holders: Vec<Option<u32>> = l.gil[0].spans.iter().map(|s| s.holder).collect();
        assert!(
            holders.windows(2).filter(|w| w[0] != w[1]).count() >= 30,
            "{holders:?}"
        );
        assert!(l.rows[0]
            .segments
            .iter()
            .any(|s| s.kind == SegmentKind::GilWait));
        // One GIL for run_in_executor's threads, however many ran.
        let (trace, _) = run_virtual(
            ExecutorId::RunInExecutor,
            &crate::workload::hello(3, 1.0, true),
        );
        assert_eq!(layout(&trace, 0.0).gil.len(), 1);
        // No lane for the event loop.
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &jobs);
        assert!(layout(&trace, 0.0).gil.is_empty());
    }

    #[test]
    fn a_cats_lane_nests_its_calls() {
        let w = crate::workload::cats(2, 1.0);
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &w);
        let l = layout(&trace, 0.0);
        let names: Vec<(u8, &str)> = l.rows[0]
            .calls
            .iter()
            .map(|c| (c.depth, c.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (0, "exists"),
                (1, "_eat"),
                (1, "_have_free_time"),
                (2, "_sleep")
            ]
        );
        let sleep = &l.rows[0].calls[3];
        assert_eq!((sleep.start_ms, sleep.end_ms), (0.0, 1000.0));
    }

    #[test]
    fn ticks_fall_on_round_values() {
        assert_eq!(ticks(2000.0), vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]);
        assert_eq!(ticks(3000.0), vec![0.0, 1000.0, 2000.0, 3000.0]);
        assert_eq!(ticks(0.0), vec![0.0]);
    }
}
