//! Density bands: for each column of a time range, how many tasks are asleep and how many
//! are done, for runs whose tasks only sleep and are kept as spans (the sleep lab on the event
//! loop's timer wheel, up to ten million tasks). Two binary searches a column, however many
//! tasks: the page draws any such run in one frame, and a zoom works its columns out again.
//! (Such a task holds the thread only for the instants it starts and wakes, so no column
//! shows one running.)
//!
//! Tasks start in order and wake in the same order, so the tasks started by a moment are the
//! first ones and the tasks done by then are the first of those: stacked with task 1 at the
//! bottom, the bands are a chart of every task's sleep, one row per task. A zoom also narrows
//! the tasks shown, down to [`MIN_TASKS`], where each task is a row of its own.

use crate::trace::Trace;

/// What the tasks were doing at the end of one column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Column {
    /// Started and not yet woken.
    pub asleep: u32,
    /// Woken and ended.
    pub done: u32,
}

/// The columns of one range of a trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Density {
    /// Where the range starts, ms since the run started.
    pub from_ms: f64,
    /// Where it ends, ms.
    pub to_ms: f64,
    /// How many tasks the run had.
    pub tasks: u32,
    /// The tasks shown, by index in start order (`first..end`); the columns count only these.
    pub shown: (u32, u32),
    /// Column `i` tells the state at `from_ms + (i + 1) * column_ms()`.
    pub columns: Vec<Column>,
}

impl Density {
    /// How long one column is, ms.
    pub fn column_ms(&self) -> f64 {
        (self.to_ms - self.from_ms) / self.columns.len().max(1) as f64
    }

    /// When column `i` ends (the moment it tells), ms.
    pub fn column_end_ms(&self, i: usize) -> f64 {
        self.from_ms + (i + 1) as f64 * self.column_ms()
    }

    /// `ms` in seconds, with as many decimals as a column of this range needs (0.500 s at
    /// a whole run; 0.4000125 s deep in a zoom).
    pub fn time_label(&self, ms: f64) -> String {
        let column_s = (self.column_ms() / 1000.0).max(1e-9);
        let decimals = (-column_s.log10()).ceil().clamp(3.0, 9.0) as u32;
        format!("{} s", crate::format::fixed(ms.max(0.0) / 1000.0, decimals))
    }

    /// How many tasks are shown.
    pub fn shown_count(&self) -> u32 {
        self.shown.1 - self.shown.0
    }

    /// What column `i` tells, in words.
    pub fn readout(&self, i: usize) -> String {
        let c = self.columns[i];
        let n = |x: u32| crate::format::count(u64::from(x));
        let of = if self.shown_count() == self.tasks {
            String::new()
        } else {
            format!(", tasks {} to {}", n(self.shown.0 + 1), n(self.shown.1))
        };
        let mut text = format!(
            "At {}{of}: {} asleep, {} done",
            self.time_label(self.column_end_ms(i)),
            n(c.asleep),
            n(c.done)
        );
        let not_started = self.not_started(i);
        if not_started > 0 {
            text.push_str(&format!(", {} not started", n(not_started)));
        }
        text.push_str(&format!(" (of {}).", n(self.tasks)));
        text
    }

    /// Tasks that had not started by the end of column `i`.
    pub fn not_started(&self, i: usize) -> u32 {
        let c = self.columns[i];
        self.shown_count()
            .saturating_sub(c.asleep)
            .saturating_sub(c.done)
    }

    /// The task a zoom at column `i` centres on: where tasks are starting (or, once all have
    /// started, waking) at that moment, within the tasks shown.
    pub fn frontier(&self, i: usize) -> u32 {
        let c = self.columns[i];
        let at = if self.not_started(i) > 0 {
            c.asleep + c.done
        } else {
            c.done
        };
        self.shown.0 + at
    }
}

/// The fewest tasks a zoom shows: each is a row of its own.
pub const MIN_TASKS: u32 = 12;

/// The tasks `(first, end)` zoomed by `factor` (below 1: in) around task `center`, within
/// `0..total` and no fewer than [`MIN_TASKS`].
pub fn zoomed_tasks((first, end): (u32, u32), total: u32, center: u32, factor: f64) -> (u32, u32) {
    let count = ((f64::from(end - first) * factor).round() as u32)
        .max(MIN_TASKS.min(total))
        .min(total);
    let start = center.saturating_sub(count / 2).min(total - count);
    (start, start + count)
}

/// The narrowest range a zoom shows, ms: ten microseconds, where tasks started one batch
/// (one reading of the clock) apart stand in columns of their own.
pub const MIN_RANGE_MS: f64 = 0.01;

/// The range `(from, to)` zoomed by `factor` (below 1: in) around `center_ms`, kept within
/// `0..whole_ms` and no narrower than [`MIN_RANGE_MS`].
pub fn zoomed((from, to): (f64, f64), whole_ms: f64, center_ms: f64, factor: f64) -> (f64, f64) {
    // max and min rather than f64::clamp, whose check of its bounds would bring float
    // formatting into the page's download.
    let width = ((to - from) * factor)
        .max(MIN_RANGE_MS.min(whole_ms))
        .min(whole_ms);
    let share = if to > from {
        ((center_ms - from) / (to - from)).clamp(0.0, 1.0)
    } else {
        0.5
    };
    let start = (center_ms - share * width).min(whole_ms - width).max(0.0);
    (start, start + width)
}

/// The density of `trace` over `from_ms..to_ms` in `columns` columns, counting the tasks
/// `shown` (`None`: all of them); `None` for a trace whose tasks are not kept as spans.
pub fn density(
    trace: &Trace,
    (from_ms, to_ms): (f64, f64),
    shown: Option<(u32, u32)>,
    columns: usize,
) -> Option<Density> {
    let spans = trace.spans.as_ref()?;
    let (first, end) = shown.unwrap_or((0, trace.task_count));
    let mut d = Density {
        from_ms,
        to_ms: to_ms.max(from_ms),
        tasks: trace.task_count,
        shown: (first, end.max(first)),
        columns: vec![Column::default(); columns.max(1)],
    };
    // Tasks up to `n` (a count from the first), as a count within the tasks shown.
    let within = |n: usize| (n as u32).clamp(first, d.shown.1) - first;
    for i in 0..d.columns.len() {
        let t = d.column_end_ms(i);
        let started = spans.started_by(t);
        let ended = spans.ended_by(t).min(started);
        d.columns[i] = Column {
            asleep: within(started) - within(ended),
            done: within(ended),
        };
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::virtual_time::run_virtual;
    use crate::executors::ExecutorId;
    use crate::workload::{hello, sleepers};

    #[test]
    fn sleepers_kept_as_spans_sleep_then_are_done() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &sleepers(1_000_000, 1.0, false));
        let d = density(&trace, (0.0, 1000.0), None, 100).unwrap();
        assert_eq!(d.columns.len(), 100);
        assert_eq!(d.column_ms(), 10.0);
        let all_asleep = Column {
            asleep: 1_000_000,
            done: 0,
        };
        assert_eq!(d.columns[0], all_asleep);
        assert_eq!(d.columns[98], all_asleep);
        // They wake at 1000 ms, the end of the range: the last column counts it.
        assert_eq!(d.columns[99].done, 1_000_000);
        assert_eq!(d.not_started(99), 0);
        assert_eq!(
            d.readout(0),
            "At 0.010 s: 1,000,000 asleep, 0 done (of 1,000,000)."
        );
        // A zoom into the middle starts from what happened before it.
        let zoom = density(&trace, (400.0, 400.5), None, 5).unwrap();
        assert_eq!(zoom.columns, vec![all_asleep; 5]);
        assert!((zoom.column_end_ms(0) - 400.1).abs() < 1e-9);
        assert_eq!(zoom.time_label(400.1), "0.4001 s");
        // Tasks that are futures (they print) have no density.
        let (futures, _) = run_virtual(ExecutorId::EventLoop, &hello(100, 1.0, false));
        assert!(density(&futures, (0.0, 1000.0), None, 10).is_none());
    }

    #[test]
    fn a_stopped_run_counts_the_tasks_not_started_and_those_still_asleep() {
        use crate::trace::{RunStatus, TraceRecorder};
        let rec = TraceRecorder::new(ExecutorId::EventLoop, 10, vec![], 0.0);
        rec.record_spans(10);
        rec.spans_started(0.0, 4);
        rec.spans_ended(5.0, 0..2);
        let trace = rec.finish(8.0, RunStatus::Stopped, None);
        let d = density(&trace, (0.0, 8.0), None, 4).unwrap();
        assert_eq!(d.columns[3], Column { asleep: 2, done: 2 });
        assert_eq!(
            d.readout(3),
            "At 0.008 s: 2 asleep, 2 done, 6 not started (of 10)."
        );
    }

    #[test]
    fn a_zoom_keeps_its_centre_where_it_was_and_stays_within_the_run() {
        assert_eq!(zoomed((0.0, 1000.0), 1000.0, 500.0, 0.5), (250.0, 750.0));
        // The centre stays at the same place on the screen.
        assert_eq!(zoomed((0.0, 1000.0), 1000.0, 100.0, 0.5), (50.0, 550.0));
        assert_eq!(zoomed((250.0, 750.0), 1000.0, 500.0, 4.0), (0.0, 1000.0));
        let deep = zoomed((400.0, 400.02), 1000.0, 400.01, 0.1);
        assert!((deep.1 - deep.0 - MIN_RANGE_MS).abs() < 1e-9);
    }

    #[test]
    fn a_zoom_narrows_the_tasks_down_to_rows_of_single_tasks() {
        assert_eq!(zoomed_tasks((0, 1000), 1000, 500, 0.5), (250, 750));
        assert_eq!(zoomed_tasks((0, 1000), 1000, 990, 0.5), (500, 1000));
        assert_eq!(zoomed_tasks((0, 1000), 1000, 3, 0.5), (0, 500));
        assert_eq!(zoomed_tasks((0, 20), 1000, 10, 0.1), (4, 16));
        assert_eq!(zoomed_tasks((4, 16), 1000, 10, 1e9), (0, 1000));
        assert_eq!(zoomed_tasks((0, 5), 5, 2, 0.5), (0, 5));
        // Twenty halvings take ten million tasks down to single rows.
        let mut shown = (0, 10_000_000);
        for _ in 0..20 {
            shown = zoomed_tasks(shown, 10_000_000, 4_000_000, 0.5);
        }
        assert_eq!(shown.1 - shown.0, MIN_TASKS);
        assert!(shown.0 <= 4_000_000 && 4_000_000 <= shown.1);
    }

    #[test]
    fn zoomed_into_a_few_tasks_each_counts_once_as_it_starts_and_wakes() {
        use crate::trace::{RunStatus, TraceRecorder};
        let rec = TraceRecorder::new(ExecutorId::EventLoop, 100, vec![], 0.0);
        rec.record_spans(100);
        // Two batches of 50 tasks started at 0 and 1 ms; they wake at 10 and 11 ms.
        rec.spans_started(0.0, 50);
        rec.spans_started(1.0, 50);
        rec.spans_ended(10.0, 0..50);
        rec.spans_ended(11.0, 50..100);
        let trace = rec.finish(12.0, RunStatus::Finished, None);
        // Tasks 41 to 60 straddle the two batches.
        let d = density(&trace, (0.0, 12.0), Some((40, 60)), 12).unwrap();
        assert_eq!(
            d.columns[0],
            Column {
                asleep: 20,
                done: 0
            }
        );
        assert_eq!(
            d.columns[9],
            Column {
                asleep: 10,
                done: 10
            }
        );
        assert_eq!(
            d.columns[11],
            Column {
                asleep: 0,
                done: 20
            }
        );
        assert_eq!(
            d.readout(9),
            "At 0.010 s, tasks 41 to 60: 10 asleep, 10 done (of 100)."
        );
        let early = density(&trace, (0.0, 1.0), Some((40, 60)), 2).unwrap();
        assert_eq!(
            early.columns[0],
            Column {
                asleep: 10,
                done: 0
            }
        );
        assert_eq!(early.not_started(0), 10);
        // A zoom at 0.5 ms centres on the first task not started; at 10 ms on the first awake.
        assert_eq!(early.frontier(0), 50);
        assert_eq!(d.frontier(9), 50);
        assert_eq!(d.frontier(0), 40);
    }
}
