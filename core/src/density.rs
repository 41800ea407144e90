//! Density bands: for each column of a time range, how many tasks are asleep and how many
//! are done, for runs whose tasks only sleep and are kept as spans (the sleep lab on the event
//! loop's timer wheel, up to ten million tasks). Two binary searches a column, however many
//! tasks: the page draws any such run in one frame, and a zoom works its columns out again.
//! (Such a task holds the thread only for the instants it starts and wakes, so no column
//! shows one running.)

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

    /// What column `i` tells, in words.
    pub fn readout(&self, i: usize) -> String {
        let c = self.columns[i];
        let n = |x: u32| crate::format::count(u64::from(x));
        let mut text = format!(
            "At {}: {} asleep, {} done",
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
        self.tasks.saturating_sub(c.asleep).saturating_sub(c.done)
    }
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

/// The density of `trace` over `from_ms..to_ms` in `columns` columns; `None` for a trace
/// whose tasks are not kept as spans.
pub fn density(trace: &Trace, (from_ms, to_ms): (f64, f64), columns: usize) -> Option<Density> {
    let spans = trace.spans.as_ref()?;
    let mut d = Density {
        from_ms,
        to_ms: to_ms.max(from_ms),
        tasks: trace.task_count,
        columns: vec![Column::default(); columns.max(1)],
    };
    for i in 0..d.columns.len() {
        let t = d.column_end_ms(i);
        let started = spans.started_by(t);
        let ended = spans.ended_by(t).min(started);
        d.columns[i] = Column {
            asleep: (started - ended) as u32,
            done: ended as u32,
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
        let d = density(&trace, (0.0, 1000.0), 100).unwrap();
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
        let zoom = density(&trace, (400.0, 400.5), 5).unwrap();
        assert_eq!(zoom.columns, vec![all_asleep; 5]);
        assert!((zoom.column_end_ms(0) - 400.1).abs() < 1e-9);
        assert_eq!(zoom.time_label(400.1), "0.4001 s");
        // Tasks that are futures (they print) have no density.
        let (futures, _) = run_virtual(ExecutorId::EventLoop, &hello(100, 1.0, false));
        assert!(density(&futures, (0.0, 1000.0), 10).is_none());
    }

    #[test]
    fn a_stopped_run_counts_the_tasks_not_started_and_those_still_asleep() {
        use crate::trace::{RunStatus, TraceRecorder};
        let rec = TraceRecorder::new(ExecutorId::EventLoop, 10, vec![], 0.0);
        rec.record_spans(10);
        rec.spans_started(0.0, 4);
        rec.spans_ended(5.0, 0..2);
        let trace = rec.finish(8.0, RunStatus::Stopped, None);
        let d = density(&trace, (0.0, 8.0), 4).unwrap();
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
}
