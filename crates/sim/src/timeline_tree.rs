//! Rows nested under what ran them: a timeline's task rows sit under the executor's own
//! function (`event_loop()`, which gathered them; `threads()`, which started and joined them),
//! or, where the tasks' work was handed to workers or threads (a pool, `run_in_executor`),
//! under the worker or the thread that ran it, with its start-up. The page draws each parent
//! above its rows, folded or not; the table lists it before them.

use crate::executors::{ExecutorId, Placement};
use crate::timeline::{Layout, SegmentKind};

/// The label of a worker's start-up row, in the drawing and in the table.
pub fn startup_label(lane: u32) -> String {
    format!("worker {lane} start")
}

/// The name of `lane` of an executor placed as `placement` (lane 0 is the page's main thread).
pub fn lane_name(placement: Placement, lane: u32) -> String {
    match (placement, lane) {
        (_, 0) => "main thread".to_string(),
        (Placement::Pool { .. } | Placement::PageWithProcessPool, n) => format!("worker {n}"),
        (Placement::PageWithThreadPool, n) => format!("pool thread {n}"),
        (_, n) => format!("interpreter worker {n}"),
    }
}

/// A row that holds others.
#[derive(Clone, Debug, PartialEq)]
pub struct Parent {
    /// `event_loop()`, `worker 2`, `pool thread 1`.
    pub label: String,
    /// What its bars show.
    pub what: &'static str,
    /// Its state while they last, for the executor's function: `suspended` (awaiting, or
    /// joining, its tasks); a worker's is told by the rows under it.
    pub state: Option<&'static str>,
    /// Its lane (0: the page's main thread).
    pub lane: u32,
    /// Its bars, ms, in time order: when it awaited its tasks, or ran their work.
    pub spans: Vec<(f64, f64)>,
    /// Its start-up, for a worker that started within the run.
    pub startup: Option<(f64, f64)>,
    /// The layout's rows it holds, in order.
    pub rows: Vec<usize>,
}

/// The executor's own function, as the program names it: `event-loop` runs `event_loop()`.
pub fn entry(executor: ExecutorId) -> String {
    format!("{}()", executor.id().replace('-', "_"))
}

/// The lane a row's work was handed to (a worker, a pool's thread), if any.
fn handed_to(lanes: &[u32]) -> Option<u32> {
    lanes.iter().rev().find(|l| **l != 0).copied()
}

/// `spans` in time order, overlapping ones merged.
fn union(spans: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (start, end) in crate::order::sorted_by(spans, |s| s.0) {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The parents of `layout`'s rows, for `executor` placed as `placement`.
pub fn parents(layout: &Layout, executor: ExecutorId, placement: Placement) -> Vec<Parent> {
    let handed = matches!(
        placement,
        Placement::Pool { .. } | Placement::PageWithProcessPool | Placement::PageWithThreadPool
    );
    let by_lane = handed
        && layout.tasks_per_row == 1
        && layout.rows.iter().all(|r| handed_to(&r.lanes).is_some());
    if !by_lane {
        let end = layout
            .rows
            .iter()
            .flat_map(|r| &r.segments)
            .filter(|s| s.kind == SegmentKind::Task)
            .map(|s| s.end_ms)
            .fold(0.0, f64::max);
        let what = match placement {
            Placement::Page { gather: true } | Placement::PageWithThreadPool => {
                "awaiting asyncio.gather of its tasks"
            }
            Placement::Page { gather: false } => "awaiting its tasks in turn",
            Placement::Interpreter { one_thread: true } => "calling its tasks in turn",
            Placement::Interpreter { .. } => "joining its threads",
            _ => "waiting for its tasks",
        };
        return vec![Parent {
            label: entry(executor),
            what,
            state: Some("suspended"),
            lane: 0,
            spans: if end > 0.0 {
                vec![(0.0, end)]
            } else {
                Vec::new()
            },
            startup: None,
            rows: (0..layout.rows.len()).collect(),
        }];
    }
    let mut lanes: Vec<u32> = layout
        .rows
        .iter()
        .filter_map(|r| handed_to(&r.lanes))
        .collect();
    lanes = crate::order::sorted_by(lanes, |l| f64::from(*l));
    lanes.dedup();
    // What a worker's bars are: a pool's whole tasks; what was handed to it otherwise.
    let busy = |kind: SegmentKind| match placement {
        Placement::Pool { .. } => kind == SegmentKind::Task,
        _ => matches!(
            kind,
            SegmentKind::Cpu | SegmentKind::BlockingSleep | SegmentKind::Sleep
        ),
    };
    lanes
        .into_iter()
        .map(|lane| {
            let rows: Vec<usize> = (0..layout.rows.len())
                .filter(|&r| handed_to(&layout.rows[r].lanes) == Some(lane))
                .collect();
            let spans = rows
                .iter()
                .flat_map(|&r| &layout.rows[r].segments)
                .filter(|s| busy(s.kind))
                .map(|s| (s.start_ms, s.end_ms))
                .collect();
            Parent {
                label: lane_name(placement, lane),
                what: if matches!(placement, Placement::Pool { .. }) {
                    "busy with its jobs"
                } else {
                    "busy with the calls handed to it"
                },
                state: None,
                lane,
                spans: union(spans),
                startup: layout
                    .startup
                    .iter()
                    .find(|s| s.lane == lane)
                    .map(|s| (s.from_ms, s.to_ms)),
                rows,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::{Row, Segment};

    fn row(label: &str, lanes: &[u32], spans: &[(SegmentKind, f64, f64)]) -> Row {
        Row {
            label: label.into(),
            segments: spans
                .iter()
                .map(|&(kind, start_ms, end_ms)| Segment {
                    start_ms,
                    end_ms,
                    kind,
                })
                .collect(),
            marks_ms: Vec::new(),
            calls: Vec::new(),
            lanes: lanes.to_vec(),
        }
    }

    fn layout(rows: Vec<Row>) -> Layout {
        Layout {
            rows,
            tasks_per_row: 1,
            gil: Vec::new(),
            startup: Vec::new(),
        }
    }

    #[test]
    fn gathered_hellos_sit_under_the_event_loop_that_awaits_them() {
        let l = layout(vec![
            row("task 1", &[0], &[(SegmentKind::Task, 0.0, 1000.0)]),
            row("task 2", &[0], &[(SegmentKind::Task, 0.0, 1002.0)]),
        ]);
        let p = parents(&l, ExecutorId::EventLoop, Placement::Page { gather: true });
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].label, "event_loop()");
        assert_eq!(p[0].what, "awaiting asyncio.gather of its tasks");
        assert_eq!(p[0].rows, vec![0, 1]);
        assert_eq!(p[0].spans, vec![(0.0, 1002.0)]);
    }

    #[test]
    fn a_pool_job_sits_under_the_worker_that_ran_it() {
        let l = layout(vec![
            row("task 1", &[2], &[(SegmentKind::Task, 0.0, 400.0)]),
            row("task 2", &[1], &[(SegmentKind::Task, 0.0, 410.0)]),
            row("task 3", &[2], &[(SegmentKind::Task, 400.0, 800.0)]),
        ]);
        let p = parents(&l, ExecutorId::Pool, Placement::Pool { share: false });
        let labels: Vec<&str> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["worker 1", "worker 2"]);
        assert_eq!(p[1].rows, vec![0, 2]);
        assert_eq!(p[1].spans, vec![(0.0, 800.0)]);
    }

    #[test]
    fn a_cat_s_handed_call_sits_under_the_pool_thread_that_ran_it() {
        let l = layout(vec![
            row(
                "task 1",
                &[0, 1],
                &[
                    (SegmentKind::Task, 0.0, 2000.0),
                    (SegmentKind::Sleep, 1.0, 2000.0),
                ],
            ),
            row("task 2", &[0, 2], &[(SegmentKind::Task, 0.0, 2001.0)]),
        ]);
        let p = parents(&l, ExecutorId::RunInExecutor, Placement::PageWithThreadPool);
        assert_eq!(p[0].label, "pool thread 1");
        assert_eq!(p[0].rows, vec![0]);
        assert_eq!(p[0].spans, vec![(1.0, 2000.0)]);
        assert_eq!(p[1].label, "pool thread 2");
    }
}

#[cfg(test)]
mod runs {
    use super::*;
    use crate::exec::virtual_time::run_virtual;
    use crate::timeline::layout;
    use crate::workload::cats;

    #[test]
    fn the_cats_handed_to_threads_sit_under_the_thread_that_ran_them() {
        let (trace, _) = run_virtual(ExecutorId::RunInExecutor, &cats(3, 1.0));
        let l = layout(&trace, 0.0);
        let p = parents(&l, ExecutorId::RunInExecutor, Placement::PageWithThreadPool);
        assert!(
            p.iter().all(|p| p.label.starts_with("pool thread ")),
            "{p:?}"
        );
        assert_eq!(p.iter().map(|p| p.rows.len()).sum::<usize>(), 3);
    }
}
