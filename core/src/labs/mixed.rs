//! Mixing HTTP and CPU: the article's task of CPU work, ten requests and CPU work again.

use super::{LabBody, LabSpec};
use crate::cpu::Calibration;
use crate::executors::ExecutorId;
use crate::params::{self, ParamSpec, ParamValues};
use crate::workload::{self, Workload};

/// The mixed task's parameters (the combined lab runs the same task).
pub(super) const PARAMS: &[ParamSpec] = &[
    params::jobs(5),
    params::REQUESTS,
    params::DELAY_MS,
    params::URL,
    params::N,
    params::WORKERS,
];

/// The article's mixed task from `values` (the combined lab runs it too).
pub(super) fn build(values: &ParamValues, calibration: &Calibration) -> Workload {
    let n = super::cpu_n(values, calibration);
    let workload = workload::mixed(
        values.number("jobs") as u32,
        n,
        calibration.estimate_ms(n),
        values.number("requests") as u32,
        super::fetch_target(values),
    );
    super::on_this_network(workload, values, calibration)
}

/// The `mixed` lab.
pub const LAB: LabSpec = LabSpec {
    id: "mixed",
    title: "Mixing HTTP and CPU",
    summary: "The article's mixed task (cpu, 10 requests, cpu) on every executor, beside the article's own figures.",
    section: "mixing http request and isPrime",
    body: LabBody::Workload,
    params: PARAMS,
    executors: &[ExecutorId::EventLoop, ExecutorId::Threads, ExecutorId::Pool],
    default_executors: &[ExecutorId::EventLoop, ExecutorId::Pool],
    python: r#"import asyncio

import aiohttp
import requests

URL = "http://127.0.0.1:8080/api/delay?ms=200"

def is_prime_as_written(n):
    for i in range(n - 1, 0, -1):
        if n % i == 0:
            return True
    return False

async def ahello(n=16769823, requests_per_task=10):
    is_prime_as_written(n)                 # holds the event loop
    async with aiohttp.ClientSession() as s:
        responses = await asyncio.gather(*[s.get(URL) for _ in range(requests_per_task)])
        print([(await r.text())[:20] for r in responses])
    is_prime_as_written(n)

def hello(n=16769823, requests_per_task=10):
    is_prime_as_written(n)
    with requests.Session() as s:          # one request after another
        responses = [s.get(URL) for _ in range(requests_per_task)]
        print([r.text[:20] for r in responses])
    is_prime_as_written(n)"#,
    notice: &[
        "On the event loop the requests of a task overlap, but every CPU job waits for the thread: the jobs add up, as the article's 13 s did.",
        "A pool's process runs the CPU jobs in parallel with the other processes, and makes its requests one after another, as requests.Session does.",
        "The article asks what happens with 100 requests: set Requests per task to 100. The event loop's wait grows by a few latencies; each pool task's grows by 90 latencies.",
    ],
    corrections: &[
        "The article's hello makes its 10 requests one after another (a list of s.get calls), not at once; its 5 s with multiprocessing came from 10 processes on 10 cores.",
    ],
    article_ms: &[
        (ExecutorId::EventLoop, 13_000.0),
        (ExecutorId::Threads, 13_000.0),
        (ExecutorId::Pool, 5_000.0),
    ],
    workload: build,
};
