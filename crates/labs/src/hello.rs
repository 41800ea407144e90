//! The intro: two `hello()` awaited in turn, then gathered, then with a blocking sleep.

use super::program::Program;
use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, ParamSpec};
use sim::cpu::Calibration;
use sim::executors::python::{Word, Words};
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
    let sync_hello = "def sync_hello():\n    print(\"hello\")\n    time.sleep(SECONDS)  # a thread's sleep lets the GIL go\n    print(\"goodbye\")";
    let offloaded = "async def offloaded_hello(executor):\n    print(\"hello\")\n    loop = asyncio.get_running_loop()\n    # executor=None: a thread of the loop's pool, min(32, cores + 4) threads.\n    # The loop stays free while the thread sleeps.\n    await loop.run_in_executor(executor, time.sleep, SECONDS)\n    print(\"goodbye\")";
    let words = Words {
        coroutine: "hello()",
        function: "sync_hello",
        offloaded: blocking.then_some("offloaded_hello({executor})"),
        ..p.words()
    };
    p.write(
        &head,
        &[
            (&[Word::Coroutine], hello),
            (&[Word::Function], sync_hello),
            (&[Word::Offloaded], offloaded),
        ],
        &words,
    )
}

/// The `hello` lab.
pub const LAB: LabSpec = LabSpec {
    id: "hello",
    title: "Hello, await",
    summary: "Two hello() awaited in turn (2 s) vs gather (1 s) vs a blocking sleep that freezes the page.",
    question: "Two hellos awaited in turn take 2 s; gathered, 1 s. Why?",
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
