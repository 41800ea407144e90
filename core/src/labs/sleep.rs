//! Threads, multiprocessing and asyncio: thousands of tasks that only sleep.

use super::{LabBody, LabSpec};
use crate::cpu::Calibration;
use crate::executors::ExecutorId;
use crate::params::{self, ParamSpec, ParamValues};
use crate::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[
    params::tasks(4000),
    params::seconds(3.0),
    params::SLEEP,
    params::WORKERS,
];

fn build(values: &ParamValues, _: &Calibration) -> Workload {
    workload::sleepers(
        values.number("tasks") as u32,
        values.number("seconds"),
        values.choice("sleep") == "blocking",
    )
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
    ],
    default_executors: &[ExecutorId::EventLoop],
    python: r#"import asyncio
import multiprocessing
import threading
import time

def hello():
    time.sleep(3)

def call(f):
    return f()

async def ahello():
    await asyncio.sleep(3)

def t_main():
    threads = [threading.Thread(target=hello) for _ in range(4000)]
    start = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:          # the article's `for threads in threads`
        thread.join()               # joined only the last thread
    print(time.time() - start)

def m_main():
    with multiprocessing.Pool() as pool:   # one process per core, not 4000
        start = time.time()
        pool.map(call, [hello for _ in range(4000)])
    print(time.time() - start)

async def a_main():
    tasks = [ahello() for _ in range(4000)]
    start = time.time()
    await asyncio.gather(*tasks)
    print(time.time() - start)"#,
    notice: &[
        "On the event loop 4000 sleeps of 3 s take about 3 s in all: a sleeping task costs a timer, not a thread.",
        "Awaiting them one by one takes 4000 x 3 s: the page projects 3.3 hours and asks before starting.",
        "A pool process runs one task at a time, and time.sleep holds it: 4000 tasks of 3 s on 2 workers take 100 minutes, which the page projects and asks about first.",
        "With many tasks the timeline groups them into lanes; each bar shows when any task of the group was sleeping.",
    ],
    corrections: &[
        "`for threads in threads: thread.join()` rebinds the list name and joins only the last thread; the loop variable must be `thread`.",
        "multiprocessing.Pool() starts one process per CPU core (os.cpu_count()), not 4000: with 2 cores, 4000 blocking 3 s sleeps take 4000 x 3 / 2 s = 100 minutes. That is why m_main took \"quite some time\".",
    ],
    article_ms: &[(ExecutorId::EventLoop, 3000.0)],
    workload: build,
};
