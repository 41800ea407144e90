//! What each concurrency model predicts for a workload, before anything runs.

use crate::executors::ExecutorId;
use crate::workload::{Step, Workload};

/// The wall time `executor` should take for `workload` with `workers` pool workers under its
/// model, in ms; `None` for an executor this build cannot run.
///
/// Requests wait for one of the host's connections (`per_host_limit`): `k` requests sent at
/// once take `ceil(k / limit)` latencies. An async client sends a task's requests at once, a
/// blocking one (a pool's process) one after another.
pub fn expected_ms(executor: ExecutorId, workload: &Workload, workers: u32) -> Option<f64> {
    let tasks = u64::from(workload.task_count);
    let n = tasks as f64;
    let blocking = workload.task_blocking_ms();
    let limit = workload.per_host_limit;
    let (sleeps, fetch_steps) = waits(workload);
    // The latency of one task's request steps when `in_flight_tasks` make theirs at once.
    let fetch_ms = |in_flight_tasks: u64| -> f64 {
        fetch_steps
            .iter()
            .map(|(k, d)| rounds(k * in_flight_tasks, limit) * d)
            .sum()
    };
    let workers = u64::from(workers.max(1));
    match executor {
        // Each task runs to its end before the next starts: everything adds up.
        ExecutorId::Sequential => Some(n * (blocking + sleeps + fetch_ms(1))),
        // Waits overlap; whatever holds the one thread runs one task at a time. With no CPU
        // work every task's requests go out together and share the connections.
        ExecutorId::EventLoop => Some(if tasks == 0 {
            0.0
        } else if blocking > 0.0 {
            n * blocking + sleeps + fetch_ms(1)
        } else {
            sleeps + fetch_ms(tasks)
        }),
        // A process runs one task at a time, waits included, and makes its requests one after
        // another: tasks go in rounds of `workers`.
        ExecutorId::Pool => {
            let task_rounds = tasks.div_ceil(workers) as f64;
            let requests: f64 = fetch_steps.iter().map(|(k, d)| *k as f64 * d).sum();
            // More processes than connections: the requests queue for the connections.
            let by_connections: f64 = match limit {
                Some(limit) if u64::from(limit) < workers => fetch_steps
                    .iter()
                    .map(|(k, d)| (k * tasks).div_ceil(u64::from(limit)) as f64 * d)
                    .sum(),
                _ => 0.0,
            };
            Some(task_rounds * (blocking + sleeps) + (task_rounds * requests).max(by_connections))
        }
        // Each process gathers its share of the tasks on its own event loop.
        ExecutorId::PoolOfLoops => {
            let share = tasks.div_ceil(workers);
            Some(if share == 0 {
                0.0
            } else if blocking > 0.0 {
                share as f64 * blocking + sleeps + fetch_ms(workers.min(tasks))
            } else {
                sleeps + fetch_ms(tasks)
            })
        }
        _ => None,
    }
}

/// A task's sleeps (ms) and its request steps (requests, latency ms).
fn waits(workload: &Workload) -> (f64, Vec<(u64, f64)>) {
    let mut sleeps = 0.0;
    let mut fetches = Vec::new();
    for step in &workload.steps {
        match step {
            Step::Fetch {
                requests, delay_ms, ..
            } => fetches.push((u64::from(*requests), *delay_ms)),
            other => sleeps += other.waiting_ms(),
        }
    }
    (sleeps, fetches)
}

/// How many latencies `requests` sent at once take through `limit` connections.
fn rounds(requests: u64, limit: Option<u32>) -> f64 {
    match limit {
        Some(limit) => requests.div_ceil(u64::from(limit.max(1))) as f64,
        None => (requests > 0) as u8 as f64,
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
        let mut w = crate::workload::mixed(5, 101, 1000.0, 10, ("api/delay?ms=200".into(), 200.0));
        w.per_host_limit = None;
        // 3 tasks on the busier of 2 workers: one shared wait, then 3 x 2 CPU jobs.
        assert_eq!(expected_ms(ExecutorId::PoolOfLoops, &w, 2), Some(6200.0));
        // A process makes its 10 requests one after another.
        assert_eq!(expected_ms(ExecutorId::Pool, &w, 2), Some(3.0 * 4000.0));
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, 2), Some(10_200.0));
    }

    #[test]
    fn six_connections_per_host_queue_the_requests() {
        let w = crate::workload::http(20, "api/delay?ms=150".into(), 150.0, 30_000.0);
        assert_eq!(w.per_host_limit, Some(6));
        // 20 at once through 6 connections: 4 rounds.
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, 2), Some(600.0));
        assert_eq!(expected_ms(ExecutorId::Sequential, &w, 2), Some(3000.0));
        // Two processes, one request each at a time: 10 rounds.
        assert_eq!(expected_ms(ExecutorId::Pool, &w, 2), Some(1500.0));
        // Eight processes share six connections.
        assert_eq!(expected_ms(ExecutorId::Pool, &w, 8), Some(600.0));
        let mut simulated = w.clone();
        simulated.per_host_limit = None;
        assert_eq!(
            expected_ms(ExecutorId::EventLoop, &simulated, 2),
            Some(150.0)
        );
    }

    #[test]
    fn unbuilt_executors_predict_nothing() {
        assert_eq!(
            expected_ms(ExecutorId::Threads, &hello(2, 1.0, false), 2),
            None
        );
    }
}
