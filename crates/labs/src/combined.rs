//! The conclusion: asyncio inside multiprocessing, against each of them alone.

use super::program::{Program, IS_PRIME_AS_WRITTEN};
use super::{LabBody, LabSpec};
use sim::executors::python::{Word, Words};
use sim::executors::ExecutorId;

/// The lab's program: the mixed task on the event loop, a pool, and a pool of event loops.
fn python(p: &Program) -> String {
    let words = Words {
        map_note: "  # one task per process at a time",
        ..super::mixed::words(p)
    };
    p.write(
        &super::mixed::head(p),
        &[
            (&[], IS_PRIME_AS_WRITTEN),
            (&[Word::Client], super::http::CLIENT),
            (&[], super::mixed::TASKS),
        ],
        &words,
    )
}

/// The `combined` lab.
pub const LAB: LabSpec = LabSpec {
    id: "combined",
    title: "Pool of event loops",
    summary: "A pool of event loops against each of them alone, on the article's mixed task.",
    question: "What does a pool of event loops gain over a pool of processes, or over one event loop, on the mixed task?",
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
    python: Some(python),
    article: "article/combined.txt",
    article_ms: &[(ExecutorId::PoolOfLoops, 4500.0)],
    workload: Some(super::mixed::build),
};
