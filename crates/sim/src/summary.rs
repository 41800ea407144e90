//! The summary of one executor's run: what the results card and the embed message show.

pub use crate::trace::figures::{
    cpu_ms, failed_requests, figures, gil_handoffs, gil_wait_ms, longest_queue_ms, start_spread_ms,
    Figures,
};
use crate::trace::{RunStatus, Trace};
use serde::Serialize;

/// Wall time against the model, per executor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// The executor's public id.
    pub name: &'static str,
    /// How the run ended.
    pub status: RunStatus,
    /// Measured wall time, ms.
    pub wall_ms: f64,
    /// What the model predicts, ms.
    pub expected_ms: f64,
    /// Measured minus predicted, ms.
    pub difference_ms: f64,
    /// Tasks that ended.
    pub tasks_done: u32,
    /// Tasks in the workload.
    pub tasks_total: u32,
    /// False when the tab was hidden during the run (timers throttled).
    pub representative: bool,
}

/// Summarises `trace` against the model's `expected_ms`.
pub fn summarize(trace: &Trace, expected_ms: f64) -> Summary {
    Summary {
        name: trace.executor.id(),
        status: trace.status,
        wall_ms: trace.wall_ms,
        expected_ms,
        difference_ms: trace.wall_ms - expected_ms,
        tasks_done: trace.tasks_done,
        tasks_total: trace.task_count,
        representative: !trace.hidden_during_run,
    }
}

impl Summary {
    /// An executor that never started because the run stopped or failed first.
    pub fn not_started(
        name: &'static str,
        status: RunStatus,
        expected_ms: f64,
        tasks_total: u32,
    ) -> Self {
        Summary {
            name,
            status,
            wall_ms: 0.0,
            expected_ms,
            difference_ms: 0.0,
            tasks_done: 0,
            tasks_total,
            representative: true,
        }
    }

    /// Measured over predicted, as a percentage difference (`+0.4%`).
    pub fn relative_difference(&self) -> Option<f64> {
        (self.expected_ms > 0.0).then(|| 100.0 * self.difference_ms / self.expected_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::executors::ExecutorId;
    use crate::trace::TraceRecorder;

    #[test]
    fn difference_is_measured_minus_predicted() {
        let rec = TraceRecorder::new(ExecutorId::EventLoop, 2, vec![], 0.0);
        rec.task_ended(1.0, 0, 0);
        let trace = rec.finish(1012.0, RunStatus::Stopped, None);
        let s = summarize(&trace, 1000.0);
        assert_eq!(s.name, "event-loop");
        assert_eq!(s.difference_ms, 12.0);
        assert_eq!(s.tasks_done, 1);
        assert_eq!(s.tasks_total, 2);
        assert_eq!(s.status, RunStatus::Stopped);
        assert!(s.representative);
        assert!((s.relative_difference().unwrap() - 1.2).abs() < 1e-9);
    }
}
