//! `event-loop`: every task a future on the page's one thread, as `asyncio.gather` does.

use super::{run_task, Runtime};
use crate::trace::TraceRecorder;
use crate::workload::Workload;

/// Starts every task at once and waits for all of them (lane 0: one thread).
pub async fn run_event_loop<R: Runtime>(rt: &R, workload: &Workload, recorder: &TraceRecorder) {
    let tasks = (0..workload.task_count).map(|task| run_task(rt, workload, recorder, task, 0));
    futures::future::join_all(tasks).await;
}

#[cfg(test)]
mod tests {
    use crate::exec::virtual_time::run_virtual;
    use crate::executors::ExecutorId;
    use crate::workload::{hello, prime_jobs, sleepers};

    fn lines(trace: &crate::trace::Trace) -> Vec<&str> {
        (0..trace.output.len())
            .map(|i| trace.output.line(i))
            .collect()
    }

    #[test]
    fn gather_prints_both_hellos_before_the_goodbyes() {
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, false));
        assert_eq!(lines(&trace), ["hello", "hello", "goodbye", "goodbye"]);
        assert_eq!(now, 1000.0);
    }

    #[test]
    fn a_blocking_sleep_makes_gather_sequential() {
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, true));
        assert_eq!(lines(&trace), ["hello", "goodbye", "hello", "goodbye"]);
        assert_eq!(now, 2000.0);
    }

    #[test]
    fn cpu_jobs_run_one_after_another_after_the_shared_sleep() {
        // The article: five jobs of 1 s sleep + 1 s CPU take 6 s on the event loop.
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &prime_jobs(5, 1.0, 101, 1000.0));
        assert_eq!(now, 6000.0);
        assert_eq!(trace.tasks_done, 5);
    }

    #[test]
    fn twenty_thousand_sleepers_wait_once() {
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &sleepers(20_000, 3.0, false));
        assert_eq!(trace.tasks_done, 20_000);
        assert_eq!(now, 3000.0);
    }
}
