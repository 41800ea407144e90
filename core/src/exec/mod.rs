//! The executors' scheduling logic, generic over a [`Runtime`] so it runs on the page's real
//! event loop in the browser and on a virtual clock in native tests.

mod event_loop;
mod sequential;
#[cfg(test)]
pub(crate) mod virtual_time;

use crate::executors::ExecutorId;
use crate::trace::TraceRecorder;
use crate::workload::{Step, Workload};
use futures::future::LocalBoxFuture;
use std::future::Future;

pub use event_loop::run_event_loop;
pub use sequential::run_sequential;

/// What an executor needs from the thread it runs on.
pub trait Runtime {
    /// A non-blocking sleep.
    type Sleep: Future<Output = ()>;
    /// The clock, in ms.
    fn now_ms(&self) -> f64;
    /// Waits `ms` without holding the thread (`asyncio.sleep`).
    fn sleep(&self, ms: f64) -> Self::Sleep;
    /// Holds the thread for `ms` (`time.sleep` on the thread itself).
    fn block_for(&self, ms: f64);
    /// Runs the article's `is_prime(n)` on the thread (`estimate_ms` lets a virtual clock
    /// advance by what the real loop would take).
    fn cpu(&self, n: u64, estimate_ms: f64);
}

/// Runs task `task` of `workload` to its end on lane `lane`, recording each step.
pub async fn run_task<R: Runtime>(
    rt: &R,
    workload: &Workload,
    recorder: &TraceRecorder,
    task: u32,
    lane: u32,
) {
    recorder.task_started(rt.now_ms(), task, lane);
    for (index, step) in workload.steps.iter().enumerate() {
        let step_index = index as u16;
        match step {
            Step::Print(text) => recorder.printed(rt.now_ms(), task, text),
            Step::Sleep { ms } => {
                recorder.step_started(rt.now_ms(), task, step_index, lane);
                rt.sleep(*ms).await;
                recorder.step_ended(rt.now_ms(), task, step_index, lane);
            }
            Step::BlockingSleep { ms } => {
                recorder.step_started(rt.now_ms(), task, step_index, lane);
                rt.block_for(*ms);
                recorder.step_ended(rt.now_ms(), task, step_index, lane);
            }
            Step::Cpu { n, estimate_ms } => {
                recorder.step_started(rt.now_ms(), task, step_index, lane);
                rt.cpu(*n, *estimate_ms);
                recorder.step_ended(rt.now_ms(), task, step_index, lane);
            }
        }
    }
    recorder.task_ended(rt.now_ms(), task, lane);
}

/// The run of `executor` when it runs on the page's own thread; `None` for executors that
/// need workers (the browser edge runs those).
pub fn run_on_page<'a, R: Runtime>(
    executor: ExecutorId,
    rt: &'a R,
    workload: &'a Workload,
    recorder: &'a TraceRecorder,
) -> Option<LocalBoxFuture<'a, ()>> {
    match executor {
        ExecutorId::Sequential => Some(Box::pin(run_sequential(rt, workload, recorder))),
        ExecutorId::EventLoop => Some(Box::pin(run_event_loop(rt, workload, recorder))),
        _ => None,
    }
}
