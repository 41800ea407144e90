//! Threads, multiprocessing and asyncio: thousands of tasks that only sleep.

use super::program::Program;
use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, ParamSpec};
use sim::cpu::Calibration;
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
    let sequential = "async def sequential():\n    for _ in range(TASKS):\n        await ahello()";
    let event_loop =
        "async def event_loop():\n    await asyncio.gather(*[ahello() for _ in range(TASKS)])";
    let threads = super::program::threads("hello", "TASKS");
    let pool_task = if blocking {
        "def pool_task(_):\n    # A process runs one call at a time: its sleep holds it.\n    time.sleep(SECONDS)".to_string()
    } else {
        "def pool_task(_):\n    # A process runs one call at a time: this one runs an event loop until\n    # its one sleep is over, and only then takes the next task.\n    asyncio.run(ahello())".to_string()
    };
    let pool = format!(
        "{pool_task}\n\n\ndef pool():\n    with {} as processes:{}\n        processes.map(pool_task, range(TASKS))",
        p.pool(),
        p.pool_note()
    );
    let offloaded = if blocking {
        "async def run_in_executor():\n    # The loop's default pool: min(32, cores + 4) threads, so at most that\n    # many time.sleep calls at once.\n    loop = asyncio.get_running_loop()\n    await asyncio.gather(*[loop.run_in_executor(None, hello) for _ in range(TASKS)])"
    } else {
        "async def run_in_executor():\n    # sleep=async: nothing blocks, so nothing is handed to a thread.\n    await asyncio.gather(*[ahello() for _ in range(TASKS)])"
    };
    // Offered with sleep=blocking only: with asyncio.sleep nothing blocks, so there is
    // nothing to send to a process.
    let processes = format!(
        "async def process_executor():\n    # A pool of processes behind the loop: each runs one time.sleep at a time.\n    loop = asyncio.get_running_loop()\n    with {} as processes:{}\n        await asyncio.gather(*[loop.run_in_executor(processes, hello) for _ in range(TASKS)])",
        p.process_pool(),
        p.process_pool_note()
    );
    let uses_ahello = p.has(ExecutorId::Sequential)
        || p.has(ExecutorId::EventLoop)
        || (p.has(ExecutorId::Pool) && !blocking)
        || (p.has(ExecutorId::RunInExecutor) && !blocking);
    let uses_hello = p.has(ExecutorId::Threads)
        || (p.has(ExecutorId::RunInExecutor) && blocking)
        || p.has(ExecutorId::ProcessExecutor);
    p.write(&[
        Some(head.as_str()),
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

/// The `sleep` lab.
pub const LAB: LabSpec = LabSpec {
    id: "sleep",
    title: "Sleep x N",
    summary:
        "4000 tasks sleeping 3 s on every executor: the event loop waits once for all of them.",
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
