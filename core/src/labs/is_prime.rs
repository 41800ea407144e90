//! Is prime: CPU-bound jobs. The event loop runs them one after another and freezes; a pool
//! of processes runs them in parallel.

use super::{LabBody, LabSpec};
use crate::cpu::Calibration;
use crate::executors::ExecutorId;
use crate::params::{self, ParamSpec, ParamValues};
use crate::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[
    params::seconds(1.0),
    params::jobs(5),
    params::N,
    params::WORKERS,
    params::SWITCH_MS,
    params::GIL,
];

fn build(values: &ParamValues, calibration: &Calibration) -> Workload {
    let n = super::cpu_n(values, calibration);
    workload::prime_jobs(
        values.number("jobs") as u32,
        values.number("seconds"),
        n,
        calibration.estimate_ms(n),
    )
}

/// The `is-prime` lab.
pub const LAB: LabSpec = LabSpec {
    id: "is-prime",
    title: "Is prime (CPU-bound)",
    summary: "CPU jobs: the event loop freezes, threads get no speed-up under the GIL, a worker pool does.",
    section: "Is prime",
    body: LabBody::Workload,
    params: PARAMS,
    executors: &[
        ExecutorId::Sequential,
        ExecutorId::EventLoop,
        ExecutorId::Threads,
        ExecutorId::Pool,
        ExecutorId::RunInExecutor,
    ],
    default_executors: &[ExecutorId::EventLoop, ExecutorId::Threads, ExecutorId::Pool],
    python: r#"import asyncio
import threading
import time

def is_prime_as_written(n):
    # The article's loop, with `number` renamed to `n`: it counts down to
    # the first divisor. 1 divides everything, so it returns True for
    # every n >= 2; the page runs it anyway, because its work is what the
    # article timed (11,179,882 iterations for n = 16769823).
    for i in range(n - 1, 0, -1):
        if n % i == 0:
            return True
    return False

def is_prime(n):
    # What the function meant.
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True

async def ahello(n):
    await asyncio.sleep(1)
    is_prime_as_written(n)       # holds the event loop: nothing else runs

async def main(n, jobs=5):
    start = time.time()
    await asyncio.gather(*[ahello(n) for _ in range(jobs)])
    print(time.time() - start)   # the article: ~6 s (1 s of sleep + 5 x 1 s)

def hello(n):
    time.sleep(1)                # lets the GIL go
    is_prime_as_written(n)       # holds the GIL, handing it on every 5 ms

def t_main(n, jobs=5):
    threads = [threading.Thread(target=hello, args=(n,)) for _ in range(jobs)]
    start = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(time.time() - start)   # about as long as main: no speed-up

async def ehello(n):
    await asyncio.sleep(1)
    loop = asyncio.get_running_loop()
    # On a thread of the loop's pool: the loop stays free, the GIL still
    # lets one thread compute at a time.
    await loop.run_in_executor(None, is_prime_as_written, n)

async def e_main(n, jobs=5):
    start = time.time()
    await asyncio.gather(*[ehello(n) for _ in range(jobs)])
    print(time.time() - start)   # about as long as main too

asyncio.run(main(16769823))
t_main(16769823)
asyncio.run(e_main(16769823))"#,
    notice: &[
        "The sleeps overlap, but each is_prime holds the only thread: the event loop runs the jobs one after another, and the page freezes meanwhile (the heartbeat stops, the lag meter jumps).",
        "Compiled to WebAssembly the article's loop runs many times faster than CPython, which would hide the lesson at the article's n: by default the page picks n so one job takes about 1 s here, and says what CPython would take.",
        "A pool of processes (here Web Workers, one per core by default) runs the jobs in parallel: up to the number of cores faster. The first run starts the workers (shown apart as start-up); the next reuses the warm pool.",
        "Threads get no speed-up: only the thread holding the GIL computes, and once another thread has waited a switch interval (5 ms) it must hand the GIL over (here to the thread that has waited longest: CPython promises no order). The page stays responsive, because the interpreter runs in a worker. With gil=off (free-threaded CPython 3.13t) the threads compute on several cores, like the pool.",
    ],
    corrections: &[
        "The article's is_prime uses `number` but its parameter is `n`, and its loop returns True at the first divisor it finds counting down, which is at the latest 1: it says True for every n >= 2. A correct test stops at the square root and returns False on a divisor.",
    ],
    article_ms: &[
        (ExecutorId::EventLoop, 6000.0),
        (ExecutorId::Threads, 6000.0),
        (ExecutorId::Pool, 3000.0),
    ],
    workload: build,
};
