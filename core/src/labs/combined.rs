//! The conclusion: asyncio inside multiprocessing, against each of them alone.

use super::{LabBody, LabSpec};
use crate::executors::ExecutorId;

/// The `combined` lab.
pub const LAB: LabSpec = LabSpec {
    id: "combined",
    title: "Pool of event loops",
    summary: "A pool of event loops against each of them alone, on the article's mixed task.",
    section: "Conclusion",
    body: LabBody::Workload,
    params: super::mixed::PARAMS,
    executors: &[
        ExecutorId::EventLoop,
        ExecutorId::Pool,
        ExecutorId::PoolOfLoops,
    ],
    default_executors: &[
        ExecutorId::EventLoop,
        ExecutorId::Pool,
        ExecutorId::PoolOfLoops,
    ],
    python: r#"import asyncio
import multiprocessing
import time

import aiohttp

def is_prime_as_written(n):
    for i in range(n - 1, 0, -1):
        if n % i == 0:
            return True
    return False

async def ahello(n=16769823, requests=10, url="http://127.0.0.1:8080/api/delay?ms=200"):
    is_prime_as_written(n)
    async with aiohttp.ClientSession() as s:
        responses = await asyncio.gather(*[s.get(url) for _ in range(requests)])
        print([(await r.text())[:20] for r in responses])
    is_prime_as_written(n)

def run_loop(coroutine_function):
    asyncio.run(coroutine_function())   # one event loop in each process

def main(jobs=5):
    start = time.time()
    with multiprocessing.Pool() as pool:      # one process per core
        pool.map(run_loop, [ahello for _ in range(jobs)])
    print(time.time() - start)                # the article: 4.5 s with Pool(5)

if __name__ == "__main__":
    main()"#,
    notice: &[
        "On one event loop the requests overlap but every CPU job waits its turn: the jobs add up.",
        "A pool runs the CPU jobs in parallel, but each process does one task at a time, waits included.",
        "A pool of event loops gives each process its share of the tasks at once: CPU in parallel across processes, waits overlapped inside each. The requests are real fetches of the latency endpoint.",
    ],
    corrections: &[
        "The article's main() is declared async but never awaits anything and is never run; the pool part is plain synchronous code, and Pool(5) starts 5 processes whatever the number of cores.",
    ],
    article_ms: &[(ExecutorId::PoolOfLoops, 4500.0)],
    workload: super::mixed::build,
};
