//! The intro: two `hello()` awaited in turn, then gathered, then with a blocking sleep.

use super::{LabBody, LabSpec};
use crate::cpu::Calibration;
use crate::executors::ExecutorId;
use crate::params::{self, ParamSpec, ParamValues};
use crate::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[params::tasks(2), params::seconds(1.0), params::SLEEP];

fn build(values: &ParamValues, _: &Calibration) -> Workload {
    workload::hello(
        values.number("tasks") as u32,
        values.number("seconds"),
        values.choice("sleep") == "blocking",
    )
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
    ],
    default_executors: &[ExecutorId::Sequential, ExecutorId::EventLoop],
    python: r#"import asyncio
import time

async def hello():
    print("hello")
    await asyncio.sleep(1)      # sleep=blocking: time.sleep(1)
    print("goodbye")

async def sequential():
    await hello()               # the second hello starts
    await hello()               # only when the first is done

async def event_loop():
    await asyncio.gather(hello(), hello())

asyncio.run(sequential())       # ~2 s
asyncio.run(event_loop())       # ~1 s, or ~2 s with time.sleep"#,
    notice: &[
        "Two awaits in a row still run one after the other: sequential takes the sum of the sleeps.",
        "gather starts both coroutines first, so both hellos print before either goodbye and the sleeps overlap.",
        "With sleep=blocking, time.sleep holds the only thread: gather is sequential again and the page freezes (watch the heartbeat stop and the lag meter jump).",
    ],
    corrections: &[
        "Awaiting time.sleep(1) raises TypeError: object NoneType can't be used in 'await' expression: time.sleep returns None, which is not awaitable. Calling it without await inside a coroutine runs, but blocks the loop.",
    ],
    article_ms: &[(ExecutorId::Sequential, 2000.0), (ExecutorId::EventLoop, 1000.0)],
    workload: build,
};
