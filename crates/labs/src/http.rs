//! HTTP requests: real fetches, one after another, all at once, or one per process at a time;
//! the browser's per-host connection limit shows on the timeline.

use super::program::Program;
use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, ParamSpec};
use sim::cpu::Calibration;
use sim::executors::python::{Word, Words};
use sim::executors::ExecutorId;
use sim::workload::{self, Workload};

const PARAMS: &[ParamSpec] = &[
    params::tasks(200),
    params::DELAY_MS,
    params::URL,
    params::NETWORK,
    params::TIMEOUT,
    params::WORKERS,
    params::SWITCH_MS,
    params::GIL,
];

fn build(values: &LabValues, calibration: &Calibration) -> Workload {
    let (url, delay_ms) = super::fetch_target(values);
    let workload = workload::http(values.tasks, url, delay_ms, values.timeout_s * 1000.0);
    super::on_this_network(workload, values, calibration)
}

/// The blocking client's call: what a thread or a pool process runs.
pub(super) const BLOCKING_HELLO: &str = "def hello(_=None):\n    # requests blocks: the thread (or process) waits for the answer.\n    requests.get(URL, timeout=TIMEOUT).raise_for_status()";

/// One `aiohttp` session for a whole run, with its connector's limit named.
pub(super) const CLIENT: &str = "def client():\n    # One session for every task. Its connector opens at most 100 connections\n    # at once (aiohttp's default limit); other requests wait for one to free.\n    return aiohttp.ClientSession(\n        connector=aiohttp.TCPConnector(limit=AIOHTTP_LIMIT),\n        timeout=aiohttp.ClientTimeout(total=TIMEOUT),\n    )";

/// The lab's program: one request a task, on each chosen executor.
fn python(p: &Program) -> String {
    let head = format!(
        "import asyncio\nimport multiprocessing\nimport threading\nimport time\n\nimport aiohttp  # pip install aiohttp requests\nimport requests\n\nTASKS = {}\nURL = \"{}\"\nTIMEOUT = {}  # seconds a request may take\nAIOHTTP_LIMIT = {}",
        p.values.tasks,
        p.url(),
        super::program::decimal(p.values.timeout_s),
        sim::model::AIOHTTP_LIMIT
    );
    let a_hello = "async def a_hello(session):\n    async with session.get(URL) as response:\n        response.raise_for_status()";
    let words = Words {
        coroutine: "a_hello(session)",
        session: true,
        map_note: "  # map raises a request's error here",
        ..p.words()
    };
    p.write(
        &head,
        &[
            (&[Word::Function, Word::PoolTask], BLOCKING_HELLO),
            (&[Word::Client], CLIENT),
            (&[Word::Coroutine], a_hello),
        ],
        &words,
    )
}

/// The `http` lab.
pub const LAB: LabSpec = LabSpec {
    id: "http",
    title: "HTTP requests",
    summary: "Real fetches one after another, all at once, or one per process, with the browser's per-host connection limit made visible.",
    question: "Sent one after another, 200 requests take 200 round trips; sent at once, far fewer. What still makes them wait in line?",
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
        ExecutorId::Threads,
        ExecutorId::Pool,
    ],
    python: Some(python),
    article: "article/http.txt",
    article_ms: &[(ExecutorId::Threads, 5000.0), (ExecutorId::Pool, 4000.0)],
    workload: Some(build),
};
