//! The intro: two `hello()` awaited in turn, then gathered, then with a blocking sleep.

use super::program::Program;
use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, ParamSpec};
use sim::cpu::Calibration;
use sim::executors::ExecutorId;
use sim::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[
    params::tasks(2),
    params::seconds(1.0),
    params::SLEEP,
    params::SWITCH_MS,
    params::GIL,
];

fn build(values: &LabValues, _: &Calibration) -> Workload {
    workload::hello(values.tasks, values.seconds, values.blocking)
}

/// The lab's program: `hello` awaited in turn, gathered, on threads, and on the loop's pool.
fn python(p: &Program) -> String {
    let blocking = p.values.blocking;
    let head = format!(
        "import asyncio\nimport threading\nimport time\n\nTASKS = {}\nSECONDS = {}",
        p.values.tasks,
        super::program::decimal(p.values.seconds)
    );
    let hello = if blocking {
        "async def hello():\n    print(\"hello\")\n    time.sleep(SECONDS)  # sleep=blocking: holds the loop's only thread\n    print(\"goodbye\")"
    } else {
        "async def hello():\n    print(\"hello\")\n    await asyncio.sleep(SECONDS)\n    print(\"goodbye\")"
    };
    let sequential = "async def sequential():\n    for _ in range(TASKS):\n        await hello()  # the next hello starts when this one is done";
    let event_loop =
        "async def event_loop():\n    await asyncio.gather(*[hello() for _ in range(TASKS)])";
    let threads = format!(
        "def sync_hello():\n    print(\"hello\")\n    time.sleep(SECONDS)  # a thread's sleep lets the GIL go\n    print(\"goodbye\")\n\n\n{}",
        super::program::threads("sync_hello", "TASKS")
    );
    let offloaded = if blocking {
        "async def offloaded_hello():\n    print(\"hello\")\n    loop = asyncio.get_running_loop()\n    # On a thread of the loop's pool, min(32, cores + 4) threads: the loop stays free.\n    await loop.run_in_executor(None, time.sleep, SECONDS)\n    print(\"goodbye\")\n\n\nasync def run_in_executor():\n    await asyncio.gather(*[offloaded_hello() for _ in range(TASKS)])"
    } else {
        "async def run_in_executor():\n    # sleep=async: nothing blocks, so nothing is handed to a thread.\n    await asyncio.gather(*[hello() for _ in range(TASKS)])"
    };
    let uses_hello = p.has(ExecutorId::Sequential)
        || p.has(ExecutorId::EventLoop)
        || (p.has(ExecutorId::RunInExecutor) && !blocking);
    p.write(&[
        Some(head.as_str()),
        uses_hello.then_some(hello),
        p.has(ExecutorId::Sequential).then_some(sequential),
        p.has(ExecutorId::EventLoop).then_some(event_loop),
        p.has(ExecutorId::Threads).then_some(threads.as_str()),
        p.has(ExecutorId::RunInExecutor).then_some(offloaded),
    ])
}

/// The `hello` lab.
pub const LAB: LabSpec = LabSpec {
    id: "hello",
    title: "Hello, await",
    summary: "Two hello() awaited in turn (2 s) vs gather (1 s) vs a blocking sleep that freezes the page.",
    section: "Introduction",
    body: LabBody::Workload,
    params: PARAMS,
    executors: &[
        ExecutorId::Sequential,
        ExecutorId::EventLoop,
        ExecutorId::Threads,
        ExecutorId::RunInExecutor,
    ],
    default_executors: &[ExecutorId::Sequential, ExecutorId::EventLoop],
    python: Some(python),
    article: "article/hello.txt",
    article_ms: &[(ExecutorId::Sequential, 2000.0), (ExecutorId::EventLoop, 1000.0)],
    workload: Some(build),
};
