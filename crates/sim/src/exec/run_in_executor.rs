//! `run-in-executor`: tasks on the page's event loop hand their blocking calls to a pool of
//! threads (`await loop.run_in_executor(None, f)`), so the loop stays free meanwhile.

use super::{run_task_with, Offload, Runtime, Slots};
use crate::executors::Client;
use crate::trace::TraceRecorder;
use crate::workload::Workload;

/// Starts every task at once on the event loop (lane 0), as `gather` does; each hands its
/// blocking steps, and each call marked for it, to `offload`.
pub async fn run_in_executor<R: Runtime>(
    rt: &R,
    workload: &Workload,
    recorder: &TraceRecorder,
    offload: &dyn Offload,
) -> Result<(), String> {
    let session = Slots::new(crate::model::AIOHTTP_LIMIT);
    let session = &session;
    let tasks = (0..workload.task_count).map(|task| {
        run_task_with(
            rt,
            workload,
            recorder,
            (task, 0),
            (Client::Async, Some(session)),
            Some(offload),
        )
    });
    futures::future::try_join_all(tasks).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use crate::exec::virtual_time::{printed, run_virtual};
    use crate::executors::ExecutorId;
    use crate::trace::EventKind;
    use crate::workload::{cats, hello, prime_jobs};

    #[test]
    fn blocking_sleeps_handed_to_threads_overlap() {
        let (trace, now) = run_virtual(ExecutorId::RunInExecutor, &hello(2, 1.0, true));
        assert_eq!(now, 1000.0);
        assert_eq!(printed(&trace), ["hello", "hello", "goodbye", "goodbye"]);
        // The sleeps ran on two threads of the pool (lanes 1 and 2), not on the loop (lane 0).
        let ev = &trace.events;
        let lanes: Vec<u32> = (0..ev.len())
            .filter(|i| ev.kind[*i] == EventKind::StepStarted)
            .map(|i| ev.lane[i])
            .collect();
        assert_eq!(lanes, [1, 2]);
    }

    #[test]
    fn run_in_executor_lets_the_cats_nap_together_with_their_code_unchanged() {
        let (trace, now) = run_virtual(ExecutorId::RunInExecutor, &cats(5, 2.0));
        assert_eq!(now, 2000.0);
        assert_eq!(trace.output.len(), 20);
        for line in ["eat", "have free time", "sleeping", "wake"] {
            assert_eq!(printed(&trace).iter().filter(|l| **l == line).count(), 5);
        }
        // Every cat naps at once, on its own thread: all wake after all fell asleep.
        assert_eq!(&printed(&trace)[15..], ["wake"; 5]);
        assert_eq!(trace.tasks_done, 5);
    }

    #[test]
    fn more_blocking_calls_than_threads_wait_for_a_free_thread() {
        // 2 cores: 6 threads; 12 blocking sleeps of 1 s take two rounds.
        let (_, now) = run_virtual(ExecutorId::RunInExecutor, &hello(12, 1.0, true));
        assert_eq!(now, 2000.0);
    }

    #[test]
    fn cpu_jobs_handed_to_threads_still_share_one_gil() {
        let (_, now) = run_virtual(
            ExecutorId::RunInExecutor,
            &prime_jobs(3, 0.0, 1_000_003, 500.0),
        );
        assert!((now - 1500.0).abs() < 1.0, "{now}");
    }

    #[test]
    fn cpu_jobs_sent_to_a_process_pool_run_in_parallel_up_to_its_size_and_the_loop_stays_free() {
        // 2 workers: 4 jobs of 500 ms after a shared 100 ms sleep take two rounds, 1.1 s;
        // the model says the same.
        let jobs = prime_jobs(4, 0.1, 1_000_003, 500.0);
        let (trace, now) = run_virtual(ExecutorId::ProcessExecutor, &jobs);
        assert!((now - 1100.0).abs() < 1.0, "{now}");
        let machine = crate::model::Machine::default();
        let model = crate::executors::expected_ms(ExecutorId::ProcessExecutor, &jobs, &machine);
        assert_eq!(model, 1100.0);
        // The jobs ran in processes 1 and 2, never on the loop (lane 0), and no process waited
        // for another's GIL.
        let ev = &trace.events;
        let cpu_lanes: Vec<u32> = (0..ev.len())
            .filter(|i| ev.kind[*i] == EventKind::StepStarted && ev.lane[*i] > 0)
            .map(|i| ev.lane[i])
            .collect();
        assert_eq!(cpu_lanes.len(), 4);
        assert!(cpu_lanes.iter().all(|lane| [1, 2].contains(lane)));
        assert_eq!(crate::summary::gil_wait_ms(&trace), 0.0);
        // Threads instead: one GIL, the jobs in turn.
        let (_, threads) = run_virtual(ExecutorId::RunInExecutor, &jobs);
        assert!(threads > now * 1.7, "{threads} against {now}");
    }

    #[test]
    fn blocking_sleeps_sent_to_a_process_pool_go_in_rounds_of_its_size() {
        let (trace, now) = run_virtual(ExecutorId::ProcessExecutor, &hello(4, 1.0, true));
        assert_eq!(now, 2000.0);
        assert_eq!(trace.tasks_done, 4);
    }

    #[test]
    fn with_nothing_that_blocks_there_is_nothing_to_send_to_processes() {
        assert!(!ExecutorId::ProcessExecutor.takes(&hello(2, 1.0, false)));
        assert!(ExecutorId::ProcessExecutor.takes(&hello(2, 1.0, true)));
        assert!(ExecutorId::ProcessExecutor.takes(&prime_jobs(1, 0.0, 11, 1.0)));
        assert!(ExecutorId::EventLoop.takes(&hello(2, 1.0, false)));
    }
}
