//! HTTP requests: real fetches, one after another, all at once, or one per process at a time;
//! the browser's per-host connection limit shows on the timeline.

use super::{LabBody, LabSpec};
use crate::cpu::Calibration;
use crate::executors::ExecutorId;
use crate::params::{self, ParamSpec, ParamValues};
use crate::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[
    params::tasks(200),
    params::DELAY_MS,
    params::URL,
    params::TIMEOUT,
    params::WORKERS,
];

fn build(values: &ParamValues, calibration: &Calibration) -> Workload {
    let (url, delay_ms) = super::fetch_target(values);
    let workload = workload::http(
        values.number("tasks") as u32,
        url,
        delay_ms,
        values.number("timeout") * 1000.0,
    );
    super::on_this_network(workload, values, calibration)
}

/// The `http` lab.
pub const LAB: LabSpec = LabSpec {
    id: "http",
    title: "HTTP requests",
    summary: "Real fetches one after another, all at once, or one per process, with the browser's per-host connection limit made visible.",
    section: "http request",
    body: LabBody::Workload,
    params: PARAMS,
    executors: &[
        ExecutorId::Sequential,
        ExecutorId::EventLoop,
        ExecutorId::Threads,
        ExecutorId::Pool,
    ],
    default_executors: &[
        ExecutorId::Sequential,
        ExecutorId::EventLoop,
        ExecutorId::Pool,
    ],
    python: r#"import asyncio
import multiprocessing

import aiohttp
import requests

URL = "http://127.0.0.1:8080/api/delay?ms=200"   # not google.com: a server of your own

def hello():
    # A blocking client: the process waits for each answer.
    with requests.Session() as s:
        s.get(URL, timeout=30).raise_for_status()

async def a_hello(session):
    async with session.get(URL) as r:
        r.raise_for_status()

async def a_main(tasks=200):
    # One session for all tasks: they share its connection pool.
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as s:
        await asyncio.gather(*[a_hello(s) for _ in range(tasks)])

def m_main(tasks=200):
    with multiprocessing.Pool() as pool:      # one process per core
        for _ in range(tasks):
            pool.apply_async(hello)
        pool.close()
        pool.join()

asyncio.run(a_main())"#,
    notice: &[
        "Sequential: each request waits for the one before, so the latencies add up.",
        "The event loop sends every request at once, but over HTTP/1.1 a browser keeps at most 6 connections to one host: the others queue (grey on the timeline) and go out as connections free up. HTTP/2 would carry them all at once over one connection.",
        "A pool's process waits for each answer, as requests.Session does: its speed-up is its number of workers.",
    ],
    corrections: &[
        "The article fetches https://google.com hundreds of times at once. The page fetches its own latency endpoint instead, or your url once you press Run: a shared link never starts requests to someone else's server on its own.",
        "a_hello opens a new ClientSession for every request; one shared session reuses its connections, as the browser does.",
    ],
    article_ms: &[(ExecutorId::Pool, 4000.0)],
    workload: build,
};
