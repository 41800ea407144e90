//! What each concurrency model predicts for a workload, before anything runs.

use crate::executors::ExecutorId;
use crate::workload::Workload;

/// The wall time `executor` should take for `workload` with `workers` pool workers under its
/// model, in ms; `None` for an executor this build cannot run.
pub fn expected_ms(executor: ExecutorId, workload: &Workload, workers: u32) -> Option<f64> {
    let n = f64::from(workload.task_count);
    let waiting = workload.task_waiting_ms();
    let blocking = workload.task_blocking_ms();
    match executor {
        // Each task runs to its end before the next starts: everything adds up.
        ExecutorId::Sequential => Some(n * (waiting + blocking)),
        // Waits overlap; whatever holds the one thread runs one task at a time.
        ExecutorId::EventLoop => Some(n * blocking + if n > 0.0 { waiting } else { 0.0 }),
        // A process runs one task at a time, sleeps included: tasks go in rounds of `workers`.
        ExecutorId::Pool => {
            let rounds = (workload.task_count.div_ceil(workers.max(1))) as f64;
            Some(rounds * (waiting + blocking))
        }
        // Each process gathers its share of the tasks on its own event loop.
        ExecutorId::PoolOfLoops => {
            let share = f64::from(workload.task_count.div_ceil(workers.max(1)));
            Some(if share > 0.0 {
                waiting + share * blocking
            } else {
                0.0
            })
        }
        _ => None,
    }
}

/// Runs longer than this are announced and need a confirmation first.
pub const CONFIRM_OVER_MS: f64 = 60_000.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::{hello, sleepers};

    #[test]
    fn the_articles_hello() {
        let w = hello(2, 1.0, false);
        assert_eq!(expected_ms(ExecutorId::Sequential, &w, 2), Some(2000.0));
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, 2), Some(1000.0));
    }

    #[test]
    fn blocking_sleep_makes_gather_sequential() {
        let w = hello(2, 1.0, true);
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, 2), Some(2000.0));
    }

    #[test]
    fn four_thousand_sleepers() {
        let w = sleepers(4000, 3.0, false);
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, 2), Some(3000.0));
        assert_eq!(
            expected_ms(ExecutorId::Sequential, &w, 2),
            Some(12_000_000.0)
        );
    }

    #[test]
    fn a_pool_of_two_takes_4000_sleeps_of_3_s_in_100_minutes() {
        let w = sleepers(4000, 3.0, false);
        assert_eq!(expected_ms(ExecutorId::Pool, &w, 2), Some(6_000_000.0));
    }

    #[test]
    fn a_pool_of_loops_overlaps_the_waits_inside_each_process() {
        let w = crate::workload::mixed(5, 101, 1000.0, 10, 200.0);
        // 3 tasks on the busier of 2 workers: one shared wait, then 3 x 2 CPU jobs.
        assert_eq!(expected_ms(ExecutorId::PoolOfLoops, &w, 2), Some(6200.0));
        assert_eq!(expected_ms(ExecutorId::Pool, &w, 2), Some(3.0 * 2200.0));
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, 2), Some(10_200.0));
    }

    #[test]
    fn unbuilt_executors_predict_nothing() {
        assert_eq!(
            expected_ms(ExecutorId::Threads, &hello(2, 1.0, false), 2),
            None
        );
    }
}
