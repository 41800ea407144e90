//! Cats: the article's `SyncCat` and `AsyncCat`, and `run_in_executor` calling the
//! synchronous `_have_free_time` from async code without changing it.

use super::{LabBody, LabSpec};
use crate::cpu::Calibration;
use crate::executors::ExecutorId;
use crate::params::{self, ParamSpec, ParamValues};
use crate::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[params::CATS, params::seconds(2.0), params::SWITCH_MS];

fn build(values: &ParamValues, _: &Calibration) -> Workload {
    workload::cats(values.number("cats") as u32, values.number("seconds"))
}

/// The `cats` lab.
pub const LAB: LabSpec = LabSpec {
    id: "cats",
    title: "Cats",
    summary: "SyncCat vs AsyncCat vs run_in_executor, one lane per cat with its nested calls.",
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
    python: r#"import asyncio
import threading
import time

SECONDS = 2

class SyncCat:
    def exists(self):
        self._eat()
        self._have_free_time()

    def _eat(self):
        print("eat")

    def _have_free_time(self):
        print("have free time")
        self._sleep()

    def _sleep(self):              # the article's `def _sleep(self)` lacks its colon
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
        # None: the loop's default ThreadPoolExecutor, min(32, cores + 4) threads
        await loop.run_in_executor(None, self._have_free_time)

def sequential(cats=5):
    for cat in [SyncCat() for _ in range(cats)]:
        cat.exists()                          # cats x SECONDS

async def event_loop(cats=5):
    await asyncio.gather(*[AsyncCat().exists() for _ in range(cats)])

def threads(cats=5):
    workers = [threading.Thread(target=SyncCat().exists) for _ in range(cats)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

async def run_in_executor(cats=5):
    await asyncio.gather(*[ExecutorCat().exists() for _ in range(cats)])

def timed(name, run):
    start = time.perf_counter()
    run()
    print(f"{name}: {time.perf_counter() - start:.1f} s")

if __name__ == "__main__":
    timed("sequential", sequential)                      # ~10 s
    timed("event-loop", lambda: asyncio.run(event_loop()))   # ~2 s
    timed("threads", threads)                            # ~2 s
    timed("run-in-executor", lambda: asyncio.run(run_in_executor()))  # ~2 s"#,
    notice: &[
        "sequential runs the SyncCats one after another: five naps of 2 s take 10 s. It runs on the interpreter worker's main thread, so its time.sleep blocks that thread, not this page.",
        "AsyncCat awaits asyncio.sleep all the way down, so gather lets the five cats nap together: 2 s. Every method on the way had to become async.",
        "Threads run the unchanged SyncCat: time.sleep lets the GIL go, so the naps overlap too.",
        "run_in_executor calls the unchanged synchronous _have_free_time on a thread of the loop's default pool (min(32, cores + 4) threads), so only exists is async. Each lane shows the nested calls: exists > _have_free_time > _sleep.",
    ],
    corrections: &[
        "The article's `def _sleep(self)` in the run_in_executor version lacks its colon, and its `...` bodies stand for the inherited code: the corrected Python inherits them from SyncCat.",
        "asyncio.get_event_loop() inside a coroutine works but is discouraged since Python 3.10; asyncio.get_running_loop() says what it means.",
    ],
    article_ms: &[],
    workload: build,
};
