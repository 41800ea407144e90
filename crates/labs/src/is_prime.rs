//! Is prime: CPU-bound jobs. The event loop runs them one after another and freezes; a pool
//! of processes runs them in parallel.

use super::program::{Program, IS_PRIME_AS_WRITTEN};
use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, ParamSpec};
use sim::cpu::Calibration;
use sim::executors::ExecutorId;
use sim::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[
    params::seconds(1.0),
    params::jobs(5),
    params::N,
    params::WORKERS,
    params::SWITCH_MS,
    params::GIL,
];

fn build(values: &LabValues, calibration: &Calibration) -> Workload {
    let n = super::cpu_n(values, calibration);
    workload::prime_jobs(values.jobs, values.seconds, n, calibration.estimate_ms(n))
}

/// The lab's program: a sleep, then a CPU job, on each chosen executor.
fn python(p: &Program) -> String {
    let n_note = p.n_note();
    let head = format!(
        "import asyncio\nimport multiprocessing\nimport threading\nimport time\n\nJOBS = {}\nSECONDS = {}\nN = {}{n_note}",
        p.values.jobs,
        super::program::decimal(p.values.seconds),
        p.n(),
    );
    let ahello = "async def ahello():\n    await asyncio.sleep(SECONDS)\n    is_prime_as_written(N)  # holds the event loop: nothing else runs";
    let hello = "def hello(_=None):\n    time.sleep(SECONDS)  # lets the GIL go\n    is_prime_as_written(N)  # holds the GIL, handing it over every switch interval";
    let sequential = "async def sequential():\n    for _ in range(JOBS):\n        await ahello()";
    let event_loop =
        "async def event_loop():\n    await asyncio.gather(*[ahello() for _ in range(JOBS)])";
    let threads = super::program::threads("hello", "JOBS");
    let pool = format!(
        "def pool():\n    with {} as processes:{}\n        processes.map(hello, range(JOBS))",
        p.pool(),
        p.pool_note()
    );
    let offloaded = "async def offloaded_hello():\n    await asyncio.sleep(SECONDS)\n    loop = asyncio.get_running_loop()\n    # On a thread of the loop's pool: the loop stays free, but the GIL still\n    # lets one thread compute at a time.\n    await loop.run_in_executor(None, is_prime_as_written, N)\n\n\nasync def run_in_executor():\n    await asyncio.gather(*[offloaded_hello() for _ in range(JOBS)])";
    let processes = format!(
        "async def process_hello(processes):\n    await asyncio.sleep(SECONDS)\n    loop = asyncio.get_running_loop()\n    # In a process of the pool: the loop stays free, and each process computes\n    # under its own GIL, in parallel with the others.\n    await loop.run_in_executor(processes, is_prime_as_written, N)\n\n\nasync def process_executor():\n    with {} as processes:{}\n        await asyncio.gather(*[process_hello(processes) for _ in range(JOBS)])",
        p.process_pool(),
        p.process_pool_note()
    );
    let uses_ahello = p.has(ExecutorId::Sequential) || p.has(ExecutorId::EventLoop);
    let uses_hello = p.has(ExecutorId::Threads) || p.has(ExecutorId::Pool);
    p.write(&[
        Some(head.as_str()),
        Some(IS_PRIME_AS_WRITTEN),
        uses_ahello.then_some(ahello),
        uses_hello.then_some(hello),
        p.has(ExecutorId::Sequential).then_some(sequential),
        p.has(ExecutorId::EventLoop).then_some(event_loop),
        p.has(ExecutorId::Threads).then_some(threads.as_str()),
        p.has(ExecutorId::Pool).then_some(pool.as_str()),
        p.has(ExecutorId::RunInExecutor).then_some(offloaded),
        p.has(ExecutorId::ProcessExecutor)
            .then_some(processes.as_str()),
    ])
}

/// The `is-prime` lab.
pub const LAB: LabSpec = LabSpec {
    id: "is-prime",
    title: "Is prime (CPU-bound)",
    summary: "CPU jobs: the event loop freezes, threads get no speed-up under the GIL, a worker pool does.",
    section: "Is prime",
    body: LabBody::Workload,
    params: PARAMS,
    executors: &[
        ExecutorId::Sequential,
        ExecutorId::EventLoop,
        ExecutorId::Threads,
        ExecutorId::Pool,
        ExecutorId::RunInExecutor,
        ExecutorId::ProcessExecutor,
    ],
    default_executors: &[ExecutorId::EventLoop, ExecutorId::Threads, ExecutorId::Pool],
    python: Some(python),
    article: "article/is-prime.txt",
    article_ms: &[
        (ExecutorId::EventLoop, 6000.0),
        (ExecutorId::Threads, 6000.0),
        (ExecutorId::Pool, 3000.0),
    ],
    workload: Some(build),
};
