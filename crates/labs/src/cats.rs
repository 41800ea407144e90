//! Cats: the article's `SyncCat` and `AsyncCat`, and `run_in_executor` calling the
//! synchronous `_have_free_time` from async code without changing it.

use super::program::Program;
use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, ParamSpec};
use sim::cpu::Calibration;
use sim::executors::python::Words;
use sim::executors::ExecutorId;
use sim::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[params::CATS, params::seconds(2.0), params::SWITCH_MS];

fn build(values: &LabValues, _: &Calibration) -> Workload {
    workload::cats(values.cats, values.seconds)
}

/// The cats' classes: the article's `SyncCat` and `AsyncCat`, and one that hands its
/// synchronous free time to a thread.
const CLASSES: &str = r#"class SyncCat:
    def exists(self):
        self._eat()
        self._have_free_time()

    def _eat(self):
        print("eat")

    def _have_free_time(self):
        print("have free time")
        self._sleep()

    def _sleep(self):  # the article's `def _sleep(self)` lacks its colon
        print("sleeping")
        time.sleep(SECONDS)
        print("wake")

class AsyncCat(SyncCat):
    async def exists(self):
        self._eat()
        await self._have_free_time()

    async def _have_free_time(self):
        print("have free time")
        await self._sleep()

    async def _sleep(self):
        print("sleeping")
        await asyncio.sleep(SECONDS)
        print("wake")

class ExecutorCat(SyncCat):
    async def exists(self):
        self._eat()
        loop = asyncio.get_running_loop()
        # None: the loop's default ThreadPoolExecutor,
        # min(32, cores + 4) threads
        await loop.run_in_executor(None, self._have_free_time)"#;

/// The lab's program: the article's three cats, on each chosen executor.
fn python(p: &Program) -> String {
    let head = format!(
        "import asyncio\nimport threading\nimport time\n\nCATS = {}\nSECONDS = {}",
        p.values.cats,
        super::program::decimal(p.values.seconds)
    );
    let words = Words {
        count: "CATS",
        coroutine: "AsyncCat().exists()",
        function: "SyncCat().exists",
        // The article's ExecutorCat hands its nap to the loop's default threads.
        offloaded: Some("ExecutorCat().exists()"),
        sync: true,
        ..p.words()
    };
    p.write(&head, &[(&[], CLASSES)], &words)
}

/// The `cats` lab.
pub const LAB: LabSpec = LabSpec {
    id: "cats",
    title: "Cats",
    summary: "SyncCat vs AsyncCat vs run_in_executor, one lane per cat with its nested calls.",
    question: "Why do synchronous cats live one after another while async cats share the time, and what does run_in_executor change?",
    section: "Cats",
    body: LabBody::Workload,
    params: PARAMS,
    executors: &[
        ExecutorId::Sequential,
        ExecutorId::EventLoop,
        ExecutorId::Threads,
        ExecutorId::RunInExecutor,
    ],
    default_executors: &[
        ExecutorId::Sequential,
        ExecutorId::EventLoop,
        ExecutorId::Threads,
        ExecutorId::RunInExecutor,
    ],
    python: Some(python),
    article: "article/cats.txt",
    article_ms: &[],
    workload: Some(build),
};
