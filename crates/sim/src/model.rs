//! What each concurrency model predicts for a workload, before anything runs. Each
//! executor's registry entry ([`crate::executors::ExecutorSpec::model`]) names its function.

use crate::workload::{Step, Workload};

/// The machine and interpreter an executor runs on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Machine {
    /// Pool workers (processes), and free-threaded threads' cores.
    pub workers: u32,
    /// The cores the browser reports.
    pub cores: u32,
    /// The GIL's switch interval (`sys.setswitchinterval`), ms.
    pub switch_ms: f64,
    /// Free-threaded CPython (`gil=off`): threads spread over `workers` cores.
    pub free_threaded: bool,
    /// `timer=browser`: every sleep on the page arms its own browser timer.
    pub browser_timers: bool,
}

impl Default for Machine {
    fn default() -> Self {
        Machine {
            workers: 2,
            cores: 2,
            switch_ms: 5.0,
            free_threaded: false,
            browser_timers: false,
        }
    }
}

impl Machine {
    /// How many interpreter workers the threads run in: one under the GIL, one per core
    /// (`workers`) when free-threaded.
    pub fn interpreters(&self) -> u32 {
        if self.free_threaded {
            self.workers.max(1)
        } else {
            1
        }
    }
}

/// How many connections one `aiohttp.ClientSession` opens at once: its `TCPConnector`'s
/// default `limit`. The page's async client keeps to it too, so where no browser limit
/// applies (the simulated network) this is the one that shows.
pub const AIOHTTP_LIMIT: u32 = 100;

/// The threads of `loop.run_in_executor(None, ...)`: `ThreadPoolExecutor`'s default since
/// CPython 3.8, `min(32, os.cpu_count() + 4)`.
pub fn thread_pool_size(cores: u32) -> u32 {
    (cores + 4).min(32)
}

/// Each task runs to its end before the next starts: everything adds up.
pub fn sequential(workload: &Workload, _: &Machine) -> f64 {
    let shape = Shape::of(workload);
    let n = f64::from(workload.task_count);
    n * (shape.blocking + shape.sleeps + shape.fetch_async(1, workload.per_host_limit))
}

/// Waits overlap; whatever holds the one thread runs one task at a time. With no CPU work
/// every task's requests go out together and share the connections.
pub fn event_loop(workload: &Workload, _: &Machine) -> f64 {
    let shape = Shape::of(workload);
    let tasks = u64::from(workload.task_count);
    let limit = workload.per_host_limit;
    if tasks == 0 {
        0.0
    } else if shape.blocking > 0.0 {
        tasks as f64 * shape.blocking + shape.sleeps + shape.fetch_async(1, limit)
    } else {
        shape.sleeps + shape.fetch_async(tasks, limit)
    }
}

/// The tasks `Pool.map` hands a process at a time when no `chunksize` is given: CPython's
/// default, `ceil(tasks / (4 * processes))` (0 for no tasks).
pub fn pool_map_chunksize(tasks: u32, processes: u32) -> u32 {
    tasks.div_ceil(processes.max(1).saturating_mul(4))
}

/// The most tasks one process of `Pool(processes).map` runs when every task takes as long: the
/// processes take the chunks in turn, so the busiest has chunks 0, `processes`, 2 x
/// `processes`, ... (10 tasks on 2 processes: chunks of 2, the busiest runs 6).
pub fn pool_map_rounds(tasks: u32, processes: u32) -> u64 {
    let size = u64::from(pool_map_chunksize(tasks, processes));
    if size == 0 {
        return 0;
    }
    let (tasks, processes) = (u64::from(tasks), u64::from(processes.max(1)));
    let chunks = tasks.div_ceil(size);
    let last = tasks - (chunks - 1) * size;
    (0..processes.min(chunks))
        .map(|first| {
            let taken = (chunks - first).div_ceil(processes);
            let short = if (chunks - 1) % processes == first {
                size - last
            } else {
                0
            };
            taken * size - short
        })
        .max()
        .unwrap_or(0)
}

/// A process runs one task at a time, waits included, and makes its requests one after
/// another; `Pool.map` hands the tasks out in chunks ([`pool_map_rounds`]).
pub fn pool(workload: &Workload, machine: &Machine) -> f64 {
    let shape = Shape::of(workload);
    let tasks = u64::from(workload.task_count);
    let workers = u64::from(machine.workers.max(1));
    let task_rounds = pool_map_rounds(workload.task_count, machine.workers) as f64;
    let requests: f64 = shape.fetches.iter().map(|(k, d)| *k as f64 * d).sum();
    // More processes than connections: the requests queue for the connections.
    let by_connections: f64 = match workload.per_host_limit {
        Some(limit) if u64::from(limit) < workers => shape
            .fetches
            .iter()
            .map(|(k, d)| (k * tasks).div_ceil(u64::from(limit)) as f64 * d)
            .sum(),
        _ => 0.0,
    };
    task_rounds * (shape.blocking + shape.sleeps) + (task_rounds * requests).max(by_connections)
}

/// Each process gathers its share of the tasks on its own event loop.
pub fn pool_of_loops(workload: &Workload, machine: &Machine) -> f64 {
    let shape = Shape::of(workload);
    let tasks = u64::from(workload.task_count);
    let workers = u64::from(machine.workers.max(1));
    let limit = workload.per_host_limit;
    let share = tasks.div_ceil(workers);
    if share == 0 {
        0.0
    } else if shape.blocking > 0.0 {
        share as f64 * shape.blocking + shape.sleeps + shape.fetch_async(workers.min(tasks), limit)
    } else {
        shape.sleeps + shape.fetch_async(tasks, limit)
    }
}

/// Threads: every sleep (a thread's sleep is `time.sleep`) and request lets the GIL go, so
/// waits overlap; CPU work runs one thread at a time per GIL (one per core when
/// free-threaded). A thread makes its requests one after another.
pub fn threads(workload: &Workload, machine: &Machine) -> f64 {
    let shape = Shape::of(workload);
    let tasks = u64::from(workload.task_count);
    if tasks == 0 {
        return 0.0;
    }
    let limit = workload.per_host_limit;
    let waits = shape.sleeps + shape.held_sleeps;
    if shape.cpu > 0.0 {
        let per_lock = tasks.div_ceil(u64::from(machine.interpreters())) as f64;
        per_lock * shape.cpu + waits + shape.fetch_blocking(tasks, limit)
    } else {
        waits + shape.fetch_blocking(tasks, limit)
    }
}

/// `run_in_executor`: tasks on the event loop hand their blocking calls to
/// `min(32, cores + 4)` threads; handed-over sleeps overlap up to that many at once, and
/// handed-over CPU work still runs one thread at a time under the GIL.
pub fn run_in_executor(workload: &Workload, machine: &Machine) -> f64 {
    let shape = Shape::of(workload);
    let tasks = u64::from(workload.task_count);
    if tasks == 0 {
        return 0.0;
    }
    let threads = u64::from(thread_pool_size(machine.cores));
    let handed = tasks.div_ceil(threads) as f64 * shape.handed_sleeps;
    tasks as f64 * shape.cpu
        + shape.free_sleeps
        + handed
        + shape.fetch_async(tasks, workload.per_host_limit)
}

/// A process pool behind the event loop (`ProcessPoolExecutor`): what the tasks hand over
/// (CPU work, blocking sleeps, calls marked for it) runs in `workers` processes, one call at
/// a time each, in parallel; the rest of each task waits on the loop, all tasks at once.
pub fn process_executor(workload: &Workload, machine: &Machine) -> f64 {
    let shape = Shape::of(workload);
    let tasks = u64::from(workload.task_count);
    if tasks == 0 {
        return 0.0;
    }
    let processes = u64::from(machine.workers.max(1));
    tasks.div_ceil(processes) as f64 * (shape.cpu + shape.handed_sleeps)
        + shape.free_sleeps
        + shape.fetch_async(tasks, workload.per_host_limit)
}

/// What one task of a workload spends, by kind.
#[derive(Debug, Default)]
struct Shape {
    /// Time holding its thread: blocking sleeps and CPU work, ms.
    blocking: f64,
    /// CPU work, ms.
    cpu: f64,
    /// Non-blocking sleeps, ms.
    sleeps: f64,
    /// Blocking sleeps, ms.
    held_sleeps: f64,
    /// Sleeps (of either kind) inside what `run_in_executor` hands to a thread, ms.
    handed_sleeps: f64,
    /// Non-blocking sleeps that stay on the event loop, ms.
    free_sleeps: f64,
    /// Request steps: (requests, latency ms).
    fetches: Vec<(u64, f64)>,
}

impl Shape {
    fn of(workload: &Workload) -> Shape {
        let mut shape = Shape::default();
        let mut handed_until: Option<usize> = None;
        for (index, step) in workload.steps.iter().enumerate() {
            if handed_until.is_some_and(|end| index > end) {
                handed_until = None;
            }
            if handed_until.is_none() {
                if let Step::Enter { offload: true, .. } = step {
                    handed_until = Some(workload.call_end(index));
                }
            }
            let handed = handed_until.is_some();
            match step {
                Step::Sleep { ms } => {
                    shape.sleeps += ms;
                    if handed {
                        shape.handed_sleeps += ms;
                    } else {
                        shape.free_sleeps += ms;
                    }
                }
                Step::BlockingSleep { ms } => {
                    shape.blocking += ms;
                    shape.held_sleeps += ms;
                    shape.handed_sleeps += ms;
                }
                Step::Cpu { estimate_ms, .. } => {
                    shape.blocking += estimate_ms;
                    shape.cpu += estimate_ms;
                }
                Step::Fetch {
                    requests, delay_ms, ..
                } => shape.fetches.push((u64::from(*requests), *delay_ms)),
                Step::Print(_) | Step::Enter { .. } | Step::Exit => {}
            }
        }
        shape
    }

    /// A task's request steps when `tasks` tasks send theirs at once, each all its requests
    /// together (an async client), ms.
    fn fetch_async(&self, tasks: u64, limit: Option<u32>) -> f64 {
        // The client's own limit (one aiohttp session's connector) applies as well as the
        // browser's per-host one: the smaller shows.
        let limit = Some(limit.map_or(AIOHTTP_LIMIT, |l| l.min(AIOHTTP_LIMIT)));
        self.fetches
            .iter()
            .map(|(k, d)| rounds(k * tasks, limit) * d)
            .sum()
    }

    /// The same with a blocking client: each task one request at a time, ms.
    fn fetch_blocking(&self, tasks: u64, limit: Option<u32>) -> f64 {
        self.fetches
            .iter()
            .map(|(k, d)| *k as f64 * rounds(tasks, limit) * d)
            .sum()
    }
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
    use crate::executors::{expected_ms, ExecutorId};

    #[test]
    fn an_async_clients_own_limit_shows_where_no_browser_limit_applies() {
        // 200 requests of 200 ms gathered: through 6 connections 34 rounds; with no browser
        // limit, aiohttp's connector (100 at once) still makes two rounds.
        let mut w = crate::workload::http(200, "api/delay?ms=200".into(), 200.0, 30_000.0);
        let m = Machine::default();
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, &m), 34.0 * 200.0);
        w.per_host_limit = None;
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, &m), 2.0 * 200.0);
        w.task_count = 100;
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, &m), 200.0);
    }
    use crate::workload::{cats, hello, prime_jobs, sleepers};

    fn on(workers: u32) -> Machine {
        Machine {
            workers,
            ..Machine::default()
        }
    }

    #[test]
    fn threads_take_longer_than_the_event_loop_on_the_mixed_task() {
        // mixed.txt: the CPU jobs add up on both, but each thread sends its 10 requests one
        // after another where the loop gathers a task's 10 at once (CPython 3.11: event loop
        // 0.96 s, threads 1.79 s, 5 tasks, jobs of 0.1 s, requests of 100 ms).
        let w = crate::workload::mixed(5, 1_000_003, 100.0, 10, ("api/delay?ms=100".into(), 100.0));
        let m = on(2);
        let event_loop = expected_ms(ExecutorId::EventLoop, &w, &m);
        let threads = expected_ms(ExecutorId::Threads, &w, &m);
        assert_eq!(event_loop, 10.0 * 100.0 + 2.0 * 100.0);
        // A thread's 10 latencies in turn against two rounds through 6 connections.
        assert_eq!(threads - event_loop, 8.0 * 100.0);
    }

    #[test]
    fn the_articles_hello() {
        let w = hello(2, 1.0, false);
        assert_eq!(expected_ms(ExecutorId::Sequential, &w, &on(2)), 2000.0);
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, &on(2)), 1000.0);
    }

    #[test]
    fn blocking_sleep_makes_gather_sequential() {
        let w = hello(2, 1.0, true);
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, &on(2)), 2000.0);
    }

    #[test]
    fn four_thousand_sleepers() {
        let w = sleepers(4000, 3.0, false);
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, &on(2)), 3000.0);
        assert_eq!(
            expected_ms(ExecutorId::Sequential, &w, &on(2)),
            12_000_000.0
        );
    }

    #[test]
    fn a_pool_of_two_takes_4000_sleeps_of_3_s_in_100_minutes() {
        let w = sleepers(4000, 3.0, false);
        assert_eq!(expected_ms(ExecutorId::Pool, &w, &on(2)), 6_000_000.0);
    }

    #[test]
    fn pool_map_hands_out_chunks_as_cpython_does() {
        // CPython 3.11 here, `Pool(2).map` of 0.05 s sleeps: 10 tasks took 0.302 s (the
        // processes ran 4 and 6), 20 took 0.553 s (9 and 11), 5 took 0.151 s (2 and 3).
        assert_eq!(pool_map_chunksize(10, 2), 2);
        assert_eq!(pool_map_rounds(10, 2), 6);
        assert_eq!(pool_map_chunksize(20, 2), 3);
        assert_eq!(pool_map_rounds(20, 2), 11);
        assert_eq!(pool_map_rounds(5, 2), 3);
        assert_eq!(pool_map_rounds(0, 2), 0);
        assert_eq!(pool_map_rounds(1, 8), 1);
        assert_eq!(pool_map_rounds(4000, 2), 2000);
    }

    #[test]
    fn the_busiest_process_is_the_one_the_chunks_deal_most_to() {
        // Dealt by hand: chunk i to process i % processes.
        for tasks in 0..200u32 {
            for processes in 1..9u32 {
                let size = pool_map_chunksize(tasks, processes).max(1);
                let mut load = vec![0u64; processes as usize];
                for (i, chunk) in (0..tasks)
                    .collect::<Vec<_>>()
                    .chunks(size as usize)
                    .enumerate()
                {
                    load[i % processes as usize] += chunk.len() as u64;
                }
                let busiest = load.into_iter().max().unwrap_or(0);
                assert_eq!(
                    pool_map_rounds(tasks, processes),
                    busiest,
                    "{tasks} on {processes}"
                );
            }
        }
    }

    #[test]
    fn a_pool_of_loops_overlaps_the_waits_inside_each_process() {
        let mut w = crate::workload::mixed(5, 101, 1000.0, 10, ("api/delay?ms=200".into(), 200.0));
        w.per_host_limit = None;
        // 3 tasks on the busier of 2 workers: one shared wait, then 3 x 2 CPU jobs.
        assert_eq!(expected_ms(ExecutorId::PoolOfLoops, &w, &on(2)), 6200.0);
        // A process makes its 10 requests one after another.
        assert_eq!(expected_ms(ExecutorId::Pool, &w, &on(2)), 3.0 * 4000.0);
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, &on(2)), 10_200.0);
    }

    #[test]
    fn six_connections_per_host_queue_the_requests() {
        let w = crate::workload::http(20, "api/delay?ms=150".into(), 150.0, 30_000.0);
        assert_eq!(w.per_host_limit, Some(6));
        // 20 at once through 6 connections: 4 rounds.
        assert_eq!(expected_ms(ExecutorId::EventLoop, &w, &on(2)), 600.0);
        assert_eq!(expected_ms(ExecutorId::Sequential, &w, &on(2)), 3000.0);
        // Two processes, one request each at a time, chunks of 3: the busier runs 11 tasks.
        assert_eq!(expected_ms(ExecutorId::Pool, &w, &on(2)), 1650.0);
        // Eight processes share six connections.
        assert_eq!(expected_ms(ExecutorId::Pool, &w, &on(8)), 600.0);
        let mut simulated = w.clone();
        simulated.per_host_limit = None;
        assert_eq!(
            expected_ms(ExecutorId::EventLoop, &simulated, &on(2)),
            150.0
        );
    }

    #[test]
    fn threads_overlap_their_sleeps_and_share_one_gil_for_cpu() {
        assert_eq!(
            expected_ms(ExecutorId::Threads, &sleepers(4000, 3.0, false), &on(2)),
            3000.0
        );
        let jobs = prime_jobs(5, 1.0, 101, 1000.0);
        assert_eq!(expected_ms(ExecutorId::Threads, &jobs, &on(2)), 6000.0);
        let free = Machine {
            free_threaded: true,
            ..on(2)
        };
        assert_eq!(expected_ms(ExecutorId::Threads, &jobs, &free), 4000.0);
        // Each thread makes one blocking request; 200 threads share six connections.
        let w = crate::workload::http(200, "api/delay?ms=200".into(), 200.0, 30_000.0);
        assert_eq!(expected_ms(ExecutorId::Threads, &w, &on(2)), 34.0 * 200.0);
    }

    #[test]
    fn run_in_executor_overlaps_blocking_calls_up_to_its_threads() {
        // Two cores: min(32, 2 + 4) = 6 threads.
        assert_eq!(
            expected_ms(ExecutorId::RunInExecutor, &hello(2, 1.0, true), &on(2)),
            1000.0
        );
        assert_eq!(
            expected_ms(ExecutorId::RunInExecutor, &hello(12, 1.0, true), &on(2)),
            2000.0
        );
        assert_eq!(
            expected_ms(ExecutorId::RunInExecutor, &cats(5, 2.0), &on(2)),
            2000.0
        );
        assert_eq!(
            expected_ms(ExecutorId::RunInExecutor, &hello(2, 1.0, false), &on(2)),
            1000.0
        );
    }

    #[test]
    fn synchronous_cats_one_after_another() {
        assert_eq!(
            expected_ms(ExecutorId::Sequential, &cats(5, 2.0), &on(2)),
            10_000.0
        );
        assert_eq!(
            expected_ms(ExecutorId::EventLoop, &cats(5, 2.0), &on(2)),
            2000.0
        );
    }
}
