//! Threads, multiprocessing and asyncio: thousands of tasks that only sleep.

use super::program::Program;
use super::{LabBody, LabSpec, LabValues};
use crate::cpu::Calibration;
use crate::executors::ExecutorId;
use crate::params::{self, ParamSpec};
use crate::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[
    params::tasks(4000),
    params::seconds(3.0),
    params::SLEEP,
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
    let uses_ahello = p.has(ExecutorId::Sequential)
        || p.has(ExecutorId::EventLoop)
        || (p.has(ExecutorId::Pool) && !blocking)
        || (p.has(ExecutorId::RunInExecutor) && !blocking);
    let uses_hello = p.has(ExecutorId::Threads) || (p.has(ExecutorId::RunInExecutor) && blocking);
    p.write(&[
        Some(head.as_str()),
        uses_ahello.then_some(ahello),
        uses_hello.then_some(hello),
        p.has(ExecutorId::Sequential).then_some(sequential),
        p.has(ExecutorId::EventLoop).then_some(event_loop),
        p.has(ExecutorId::Threads).then_some(threads.as_str()),
        p.has(ExecutorId::Pool).then_some(pool.as_str()),
        p.has(ExecutorId::RunInExecutor).then_some(offloaded),
    ])
}

/// The `sleep` lab.
pub const LAB: LabSpec = LabSpec {
    id: "sleep",
    title: "Sleep x N",
    summary: "4000 tasks sleeping 3 s on every executor: the event loop waits once for all of them.",
    section: "Threads, multiprocessing and asyncio",
    body: LabBody::Workload,
    params: PARAMS,
    executors: &[
        ExecutorId::Sequential,
        ExecutorId::EventLoop,
        ExecutorId::Threads,
        ExecutorId::Pool,
        ExecutorId::RunInExecutor,
    ],
    default_executors: &[ExecutorId::EventLoop, ExecutorId::Threads],
    python,
    article: "article/sleep.txt",
    notice: &[
        "On the event loop 4000 sleeps of 3 s take about 3 s in all: a sleeping task costs a timer, not a thread.",
        "Awaiting them one by one takes 4000 x 3 s: the page projects 3.3 hours and asks before starting.",
        "A pool process runs one call at a time, whatever the call does while it waits: 4000 tasks of 3 s on 2 workers take 100 minutes, which the page projects and asks about first.",
        "Threads sleep together too, 4000 of them, because time.sleep lets the GIL go; starting each thread costs time in CPython (the article's 4000 threads took 4.3 s for 3 s sleeps), shown apart here as the threads' start.",
        "With many tasks the timeline groups them into lanes; each bar shows when any task of the group was sleeping.",
    ],
    corrections: &[
        "`for threads in threads: thread.join()` rebinds the list name and joins only the last thread; the loop variable must be `thread`.",
        "multiprocessing.Pool() starts one process per CPU core (os.cpu_count()), not 4000: with 2 cores, 4000 blocking 3 s sleeps take 4000 x 3 / 2 s = 100 minutes. That is why m_main took \"quite some time\".",
    ],
    article_ms: &[(ExecutorId::EventLoop, 3000.0), (ExecutorId::Threads, 4300.0)],
    workload: build,
};
