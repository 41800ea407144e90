//! The timeline as a table, for readers who cannot see the drawing: one row per row the
//! timeline draws (workers starting, GIL lanes, then tasks or groups of tasks), read from the
//! same [`Layout`] the drawing uses, so the two cannot disagree.

use crate::executors::Placement;
use crate::format;
use crate::timeline::{Layout, SegmentKind, STATES};
use crate::timeline_tree::Parent;

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    /// The timeline row's label: `task 1`, `tasks 1–167`, `GIL`, `worker 1 start`.
    pub row: String,
    /// Where it ran: `main thread`, `worker 2`, `interpreter worker 1`.
    pub lane: String,
    /// When its first bar starts, ms on the run's axis.
    pub start_ms: f64,
    /// When its last bar ends, ms.
    pub end_ms: f64,
    /// What its bars show and for how long, in the legend's words:
    /// `awaiting a sleep 1.00 s; computing 12 ms`.
    pub activity: String,
    /// How long it spent in each state, in the legend's six words: `ready 1.00 s; blocking
    /// 1.00 s` (empty for rows that are not tasks).
    pub states: String,
}

pub use crate::timeline_tree::{lane_name, startup_label};

/// The table of `layout`, an executor's timeline, where the executor ran as `placement`: each
/// of `parents` comes before the rows it holds.
pub fn table(layout: &Layout, placement: Placement, parents: &[Parent]) -> Vec<TableRow> {
    let on_threads = !layout.gil.is_empty();
    let mut out = Vec::with_capacity(layout.startup.len() + layout.gil.len() + layout.rows.len());
    // A worker's start-up is its parent row's, where it has one.
    let own_row = |lane: u32| {
        parents
            .iter()
            .any(|p| p.lane == lane && p.startup.is_some())
    };
    for s in layout.startup.iter().filter(|s| !own_row(s.lane)) {
        out.push(TableRow {
            row: startup_label(s.lane),
            lane: lane_name(placement, s.lane.max(1)),
            start_ms: s.from_ms,
            end_ms: s.to_ms,
            activity: format!("starting up {}", format::duration(s.to_ms - s.from_ms)),
            states: String::new(),
        });
    }
    for (index, lane) in layout.gil.iter().enumerate() {
        let held: f64 = lane.spans.iter().map(|s| s.end_ms - s.start_ms).sum();
        out.push(TableRow {
            row: lane.label.clone(),
            lane: lane_name(
                Placement::Interpreter { one_thread: false },
                index as u32 + 1,
            ),
            start_ms: lane.spans.first().map_or(0.0, |s| s.start_ms),
            end_ms: lane.spans.last().map_or(0.0, |s| s.end_ms),
            activity: format!("held by a thread {}", format::duration(held)),
            states: String::new(),
        });
    }
    let mut order: Vec<usize> = Vec::with_capacity(layout.rows.len());
    for parent in parents {
        let (start_ms, end_ms) = match (parent.startup, parent.spans.first(), parent.spans.last()) {
            (Some((from, _)), _, Some(last)) => (from, last.1),
            (None, Some(first), Some(last)) => (first.0, last.1),
            (Some((from, to)), _, None) => (from, to),
            _ => (0.0, 0.0),
        };
        let busy: f64 = parent.spans.iter().map(|(a, b)| b - a).sum();
        let mut activity = format!("{} {}", parent.what, format::duration(busy));
        if let Some((from, to)) = parent.startup {
            activity = format!("starting up {}; {activity}", format::duration(to - from));
        }
        out.push(TableRow {
            row: parent.label.clone(),
            lane: lane_name(placement, parent.lane),
            start_ms,
            end_ms,
            activity,
            states: parent
                .state
                .map(|state| format!("{state} {}", format::duration(busy)))
                .unwrap_or_default(),
        });
        order.extend(&parent.rows);
        out.extend(
            parent
                .rows
                .iter()
                .flat_map(|&r| row_rows(&layout.rows[r], placement, on_threads)),
        );
    }
    for (r, row) in layout.rows.iter().enumerate() {
        if !order.contains(&r) {
            out.extend(row_rows(row, placement, on_threads));
        }
    }
    out
}

/// A task row's table row, then its calls'.
fn row_rows(row: &crate::timeline::Row, placement: Placement, on_threads: bool) -> Vec<TableRow> {
    let mut out = Vec::new();
    {
        let start_ms = row
            .segments
            .iter()
            .map(|s| s.start_ms)
            .fold(f64::INFINITY, f64::min);
        let end_ms = row.segments.iter().map(|s| s.end_ms).fold(0.0, f64::max);
        let lanes: Vec<String> = row.lanes.iter().map(|l| lane_name(placement, *l)).collect();
        out.push(TableRow {
            row: row.label.clone(),
            lane: lanes.join(", "),
            start_ms: if start_ms.is_finite() { start_ms } else { 0.0 },
            end_ms,
            activity: activity(&row.segments, on_threads),
            states: states(&row.segments),
        });
        call_rows(row, &lanes.join(", "), &mut out);
    }
    out
}

/// Each kind of bar in a row with its total time, in the legend's order; a task with no step
/// is said to be alive.
fn activity(segments: &[crate::timeline::Segment], on_threads: bool) -> String {
    const ORDER: [SegmentKind; 9] = [
        SegmentKind::Sleep,
        SegmentKind::BlockingSleep,
        SegmentKind::Cpu,
        SegmentKind::Queued,
        SegmentKind::InFlight,
        SegmentKind::Ready,
        SegmentKind::Failed,
        SegmentKind::GilWait,
        SegmentKind::Task,
    ];
    let mut parts: Vec<String> = Vec::new();
    for kind in ORDER {
        if kind == SegmentKind::Task && !parts.is_empty() {
            break;
        }
        let mut total = 0.0;
        let mut seen = false;
        for s in segments.iter().filter(|s| s.kind == kind) {
            total += s.end_ms - s.start_ms;
            seen = true;
        }
        if seen {
            parts.push(format!(
                "{} {}",
                kind.describe(on_threads),
                format::duration(total)
            ));
        }
    }
    parts.join("; ")
}

/// The row's Python calls, each a row under its task named by its place in the nesting
/// (`task 1 › exists › _have_free_time`), in the order they were called.
fn call_rows(row: &crate::timeline::Row, lane: &str, out: &mut Vec<TableRow>) {
    // Called at the same instant, the outer call comes first.
    let calls = crate::order::sorted_by(row.calls.clone(), |c| {
        c.start_ms * 256.0 + f64::from(c.depth)
    });
    let mut path: Vec<&str> = Vec::new();
    for call in &calls {
        path.truncate(usize::from(call.depth));
        path.push(&call.name);
        out.push(TableRow {
            row: format!("{} \u{203a} {}", row.label, path.join(" \u{203a} ")),
            lane: lane.to_string(),
            start_ms: call.start_ms,
            end_ms: call.end_ms,
            activity: format!(
                "in {}() {}",
                call.name,
                format::duration(call.end_ms - call.start_ms)
            ),
            states: String::new(),
        });
    }
}

/// Each state of a row with its total time, in [`STATES`]' order.
fn states(segments: &[crate::timeline::Segment]) -> String {
    STATES
        .iter()
        .filter_map(|state| {
            let mut spans = segments
                .iter()
                .filter(|s| s.kind.state() == Some(*state))
                .peekable();
            spans.peek()?;
            let total: f64 = spans.map(|s| s.end_ms - s.start_ms).sum();
            Some(format!("{state} {}", format::duration(total)))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::virtual_time::run_virtual;
    use crate::executors::ExecutorId;
    use crate::timeline::layout;
    use crate::timeline_tree::parents;
    use crate::trace::LaneStartup;
    use crate::workload::{hello, sleepers};

    #[test]
    fn gather_of_two_hellos_is_two_rows_under_event_loop_on_the_main_thread_each_sleeping_a_second()
    {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, false));
        let l = layout(&trace, 1.0);
        let place = Placement::Page { gather: true };
        let rows = table(&l, place, &parents(&l, ExecutorId::EventLoop, place));
        assert_eq!(
            rows,
            vec![
                TableRow {
                    row: "event_loop()".into(),
                    lane: "main thread".into(),
                    start_ms: 0.0,
                    end_ms: 1000.0,
                    activity: "awaiting asyncio.gather of its tasks 1.00 s".into(),
                    states: "suspended 1.00 s".into(),
                },
                TableRow {
                    row: "task 1".into(),
                    lane: "main thread".into(),
                    start_ms: 0.0,
                    end_ms: 1000.0,
                    activity: "awaiting a sleep 1.00 s".into(),
                    states: "suspended 1.00 s".into(),
                },
                TableRow {
                    row: "task 2".into(),
                    lane: "main thread".into(),
                    start_ms: 0.0,
                    end_ms: 1000.0,
                    activity: "awaiting a sleep 1.00 s".into(),
                    states: "suspended 1.00 s".into(),
                },
            ]
        );
    }

    #[test]
    fn the_table_has_one_row_per_row_the_timeline_draws() {
        let (mut trace, _) = run_virtual(ExecutorId::EventLoop, &sleepers(4000, 3.0, false));
        trace.startup = vec![
            LaneStartup {
                lane: 2,
                from_ms: -5.0,
                to_ms: 20.0,
            },
            LaneStartup {
                lane: 1,
                from_ms: -5.0,
                to_ms: 15.0,
            },
        ];
        let l = layout(&trace, 5.0);
        let rows = table(&l, Placement::Pool { share: false }, &[]);
        assert_eq!(rows.len(), l.startup.len() + l.gil.len() + l.rows.len());
        assert_eq!(rows[0].row, "worker 1 start");
        assert_eq!(rows[0].lane, "worker 1");
        assert_eq!(rows[0].activity, "starting up 20 ms");
        assert_eq!(rows[1].row, "worker 2 start");
        assert_eq!(rows[2].row, "tasks 1\u{2013}167");
        assert_eq!(
            rows.last().map(|r| r.row.as_str()),
            Some("tasks 3842\u{2013}4000")
        );
    }

    #[test]
    fn threads_have_a_gil_row_and_say_how_long_they_waited_for_it() {
        let jobs = crate::workload::prime_jobs(2, 0.0, 1_000_003, 100.0);
        let (trace, _) = run_virtual(ExecutorId::Threads, &jobs);
        let rows = table(
            &layout(&trace, 0.0),
            Placement::Interpreter { one_thread: false },
            &[],
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].row, "GIL");
        assert_eq!(rows[0].lane, "interpreter worker 1");
        assert!(
            rows[0].activity.starts_with("held by a thread "),
            "{rows:?}"
        );
        assert!(rows[1].activity.contains("computing 195 ms"), "{rows:?}");
        assert!(
            rows[1].activity.contains("; waiting for the GIL "),
            "{rows:?}"
        );
        // In the six words: the thread that waited computed, and waited for the GIL.
        assert!(
            rows.iter()
                .any(|r| r.states.starts_with("running ")
                    && r.states.contains("; waiting for the GIL ")),
            "{rows:?}"
        );
    }

    #[test]
    fn a_cats_sleep_is_a_row_under_have_free_time_under_exists() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &crate::workload::cats(2, 1.0));
        let rows = table(&layout(&trace, 1.0), Placement::Page { gather: true }, &[]);
        let names: Vec<&str> = rows.iter().map(|r| r.row.as_str()).collect();
        let at = |name: &str| names.iter().position(|n| *n == name).expect(name);
        let sleep = "task 1 \u{203a} exists \u{203a} _have_free_time \u{203a} _sleep";
        assert!(at("task 1") < at("task 1 \u{203a} exists"));
        assert!(at("task 1 \u{203a} exists") < at(sleep));
        assert!(at(sleep) < at("task 2"));
        let row = &rows[at(sleep)];
        assert_eq!(row.end_ms - row.start_ms, 1000.0);
        assert_eq!(row.activity, "in _sleep() 1.00 s");
    }

    #[test]
    fn the_state_column_says_the_blocked_hello_was_ready_for_a_second() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, true));
        let rows = table(&layout(&trace, 1.0), Placement::Page { gather: true }, &[]);
        assert_eq!(rows[0].states, "blocking 1.00 s");
        assert_eq!(rows[1].states, "ready 1.00 s; blocking 1.00 s");
    }

    #[test]
    fn lanes_are_named_by_where_the_executor_runs() {
        assert_eq!(
            lane_name(Placement::Page { gather: false }, 0),
            "main thread"
        );
        assert_eq!(lane_name(Placement::Pool { share: true }, 3), "worker 3");
        assert_eq!(lane_name(Placement::PageWithThreadPool, 2), "pool thread 2");
        assert_eq!(
            lane_name(Placement::Interpreter { one_thread: true }, 1),
            "interpreter worker 1"
        );
    }
}
