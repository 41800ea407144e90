//! Mixing HTTP and CPU: the article's task of CPU work, ten requests and CPU work again.

use super::program::{Program, IS_PRIME_AS_WRITTEN};
use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, ParamSpec};
use sim::cpu::Calibration;
use sim::executors::python::{Word, Words};
use sim::executors::ExecutorId;
use sim::workload::{self, Workload};

/// The mixed task's parameters (the combined lab runs the same task).
pub(super) const PARAMS: &[ParamSpec] = &[
    params::jobs(5),
    params::REQUESTS,
    params::DELAY_MS,
    params::URL,
    params::NETWORK,
    params::N,
    params::WORKERS,
];

const WITH_THREADS: &[ParamSpec] = &[
    params::jobs(5),
    params::REQUESTS,
    params::DELAY_MS,
    params::URL,
    params::NETWORK,
    params::N,
    params::WORKERS,
    params::SWITCH_MS,
    params::GIL,
];

/// The article's mixed task from `values` (the combined lab runs it too).
pub(super) fn build(values: &LabValues, calibration: &Calibration) -> Workload {
    let n = super::cpu_n(values, calibration);
    let workload = workload::mixed(
        values.jobs,
        n,
        calibration.estimate_ms(n),
        values.requests,
        super::fetch_target(values),
    );
    super::on_this_network(workload, values, calibration)
}

/// The asyncio task, the blocking one, and the session they share: the mixed and combined
/// labs' programs.
pub(super) const TASKS: &str = "async def fetch(session):\n    async with session.get(URL) as response:\n        response.raise_for_status()\n        return await response.text()  # text() is a coroutine in aiohttp\n\n\nasync def ahello(session):\n    is_prime_as_written(N)  # holds the event loop\n    # The requests leave when this task awaits: after the CPU job, all at once.\n    responses = await asyncio.gather(
        *[fetch(session) for _ in range(REQUESTS)]
    )\n    print(f\"{len(responses)} responses\")\n    is_prime_as_written(N)\n\n\ndef get(session):\n    response = session.get(URL, timeout=TIMEOUT)\n    response.raise_for_status()\n    return response.text  # a str: the article's r.text() raises TypeError\n\n\ndef hello(_=None):\n    is_prime_as_written(N)\n    with requests.Session() as session:  # one request after another\n        responses = [get(session) for _ in range(REQUESTS)]\n    print(f\"{len(responses)} responses\")\n    is_prime_as_written(N)";

/// The mixed task's head: imports and the run's values.
pub(super) fn head(p: &Program) -> String {
    format!(
        "import asyncio\nimport multiprocessing\nimport threading\nimport time\n\nimport aiohttp  # pip install aiohttp requests\nimport requests\n\nJOBS = {}\nREQUESTS = {}  # per task\n{}N = {}\nURL = \"{}\"\nTIMEOUT = 30  # seconds a request may take\nAIOHTTP_LIMIT = {}",
        p.values.jobs,
        p.values.requests,
        p.n_note(),
        p.n(),
        p.url(),
        sim::model::AIOHTTP_LIMIT
    )
}

/// The mixed task's words: `JOBS` tasks sharing a session.
pub(super) fn words(p: &Program) -> Words<'static> {
    Words {
        count: "JOBS",
        coroutine: "ahello(session)",
        session: true,
        ..p.words()
    }
}

/// The lab's program: the article's mixed task on each chosen executor.
fn python(p: &Program) -> String {
    let offloaded = "async def offloaded_hello(session, executor):\n    loop = asyncio.get_running_loop()\n    # Each CPU job runs in a pool process: the loop stays free for requests.\n    await loop.run_in_executor(executor, is_prime_as_written, N)\n    responses = await asyncio.gather(
        *[fetch(session) for _ in range(REQUESTS)]
    )\n    print(f\"{len(responses)} responses\")\n    await loop.run_in_executor(executor, is_prime_as_written, N)";
    let words = Words {
        offloaded: Some("offloaded_hello(session, {executor})"),
        ..words(p)
    };
    p.write(
        &head(p),
        &[
            (&[], IS_PRIME_AS_WRITTEN),
            (&[Word::Client], super::http::CLIENT),
            (&[], TASKS),
            (&[Word::Offloaded], offloaded),
        ],
        &words,
    )
}

/// The `mixed` lab.
pub const LAB: LabSpec = LabSpec {
    id: "mixed",
    title: "Mixing HTTP and CPU",
    summary: "The article's mixed task (cpu, 10 requests, cpu) on every executor, beside the article's own figures.",
    question: "A task that computes, makes 10 requests, then computes again: which executor handles both kinds of work best?",
    section: "mixing http request and isPrime",
    body: LabBody::Workload,
    params: WITH_THREADS,
    executors: &[
        ExecutorId::EventLoop,
        ExecutorId::Threads,
        ExecutorId::Pool,
        ExecutorId::ProcessExecutor,
    ],
    default_executors: &[ExecutorId::EventLoop, ExecutorId::Threads, ExecutorId::Pool],
    python: Some(python),
    article: "article/mixed.txt",
    article_ms: &[
        (ExecutorId::EventLoop, 13_000.0),
        (ExecutorId::Threads, 13_000.0),
        (ExecutorId::Pool, 5_000.0),
    ],
    workload: Some(build),
};
