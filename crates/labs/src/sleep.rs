//! Threads, multiprocessing and asyncio: thousands of tasks that only sleep.

use super::program::Program;
use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, ParamSpec};
use sim::cpu::Calibration;
use sim::executors::python::{Word, Words};
use sim::executors::ExecutorId;
use sim::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[
    params::sleeping_tasks(4000),
    params::seconds(3.0),
    params::SLEEP,
    params::TIMER,
    params::WORKERS,
    params::SWITCH_MS,
    params::GIL,
];

fn build(values: &LabValues, _: &Calibration) -> Workload {
    workload::sleepers(values.tasks, values.seconds, values.blocking)
}

/// The lab's program: tasks that only sleep, on each chosen executor.
fn python(p: &Program) -> String {
    let blocking = p.values.blocking;
    let head = format!(
        "import asyncio\nimport multiprocessing\nimport threading\nimport time\n\nTASKS = {}\nSECONDS = {}",
        p.values.tasks,
        super::program::decimal(p.values.seconds)
    );
    let ahello = if blocking {
        "async def ahello():\n    time.sleep(SECONDS)  # sleep=blocking: holds the loop's only thread"
    } else {
        "async def ahello():\n    await asyncio.sleep(SECONDS)"
    };
    let hello = "def hello():\n    time.sleep(SECONDS)  # a thread's sleep lets the GIL go";
    let pool_task = if blocking {
        "def pool_task(_):\n    # A process runs one call at a time: its sleep holds it.\n    time.sleep(SECONDS)"
    } else {
        "def pool_task(_):\n    # A process runs one call at a time: this one runs an event loop until\n    # its one sleep is over, and only then takes the next task.\n    asyncio.run(ahello())"
    };
    // sleep=blocking only: with asyncio.sleep nothing blocks, so nothing is handed over
    // (and process-executor is not offered).
    let offloaded = "async def offloaded_hello(executor):\n    # executor=None: the loop's default pool, min(32, cores + 4) threads, so at\n    # most that many time.sleep calls at once; a process pool: one a process.\n    await asyncio.get_running_loop().run_in_executor(executor, hello)";
    let words = Words {
        pool_task: "pool_task",
        offloaded: blocking.then_some("offloaded_hello({executor})"),
        ..p.words()
    };
    // A pool task of sleep=async runs the coroutine in its process.
    let coroutine: &[Word] = if blocking {
        &[Word::Coroutine]
    } else {
        &[Word::Coroutine, Word::PoolTask]
    };
    p.write(
        &head,
        &[
            (coroutine, ahello),
            (&[Word::Function, Word::Offloaded], hello),
            (&[Word::PoolTask], pool_task),
            (&[Word::Offloaded], offloaded),
        ],
        &words,
    )
}

/// The `sleep` lab.
pub const LAB: LabSpec = LabSpec {
    id: "sleep",
    title: "Sleep x N",
    summary:
        "4000 tasks sleeping 3 s on every executor: the event loop waits once for all of them.",
    question: "4,000 tasks each sleep 3 s: how does one event loop finish them all in about 3 s, and what does a blocking sleep change?",
    section: "Threads, multiprocessing and asyncio",
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
    default_executors: &[ExecutorId::EventLoop, ExecutorId::Threads],
    python: Some(python),
    article: "article/sleep.txt",
    article_ms: &[
        (ExecutorId::EventLoop, 3000.0),
        (ExecutorId::Threads, 4300.0),
    ],
    workload: Some(build),
};
