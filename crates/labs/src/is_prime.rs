//! Is prime: CPU-bound jobs. The event loop runs them one after another and freezes; a pool
//! of processes runs them in parallel.

use super::program::{Program, IS_PRIME_AS_WRITTEN};
use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, ParamSpec};
use sim::cpu::Calibration;
use sim::executors::python::{Word, Words};
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
        "import asyncio\nimport multiprocessing\nimport threading\nimport time\n\nJOBS = {}\nSECONDS = {}\n{n_note}N = {}",
        p.values.jobs,
        super::program::decimal(p.values.seconds),
        p.n(),
    );
    let ahello = "async def ahello():\n    await asyncio.sleep(SECONDS)\n    is_prime_as_written(N)  # holds the event loop: nothing else runs";
    let hello = "def hello(_=None):\n    time.sleep(SECONDS)  # lets the GIL go\n    is_prime_as_written(N)  # holds the GIL; hands it over each switch interval";
    let offloaded = "async def offloaded_hello(executor):\n    await asyncio.sleep(SECONDS)\n    loop = asyncio.get_running_loop()\n    # The loop stays free while the job runs. executor=None: on a thread of the\n    # loop's pool, where the GIL still lets one thread compute at a time; a\n    # process pool: each process computes under its own GIL, in parallel.\n    await loop.run_in_executor(executor, is_prime_as_written, N)";
    let words = Words {
        count: "JOBS",
        offloaded: Some("offloaded_hello({executor})"),
        ..p.words()
    };
    p.write(
        &head,
        &[
            (&[], IS_PRIME_AS_WRITTEN),
            (&[Word::Coroutine], ahello),
            (&[Word::Function, Word::PoolTask], hello),
            (&[Word::Offloaded], offloaded),
        ],
        &words,
    )
}

/// The `is-prime` lab.
pub const LAB: LabSpec = LabSpec {
    id: "is-prime",
    title: "Is prime (CPU-bound)",
    summary: "CPU jobs: the event loop freezes, threads get no speed-up under the GIL, a worker pool does.",
    question: "CPU work: why do threads give no speed-up under the GIL, when a pool of processes does?",
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
