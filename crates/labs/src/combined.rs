//! The conclusion: asyncio inside multiprocessing, against each of them alone.

use super::program::{Program, IS_PRIME_AS_WRITTEN};
use super::{LabBody, LabSpec};
use sim::executors::ExecutorId;

/// The lab's program: the mixed task on one event loop, on a pool, and on a pool of event
/// loops where each process gathers its share of the tasks at once.
fn python(p: &Program) -> String {
    let head = super::mixed::head(p);
    let pool = format!(
        "def pool():\n    with {} as processes:{}\n        processes.map(hello, range(JOBS))  # one task per process at a time",
        p.pool(),
        p.pool_note()
    );
    let workers = match p.values.workers {
        Some(n) => format!("{n}"),
        None => "os.cpu_count()  # workers=auto: one per core".into(),
    };
    let pool_of_loops = format!(
        "async def gather_share(count):\n    async with client() as session:\n        await asyncio.gather(*[ahello(session) for _ in range(count)])\n\n\ndef run_share(count):\n    asyncio.run(gather_share(count))  # one event loop per process\n\n\ndef pool_of_loops():\n    workers = {workers}\n    per_process = -(-JOBS // workers)  # ceil(JOBS / workers) tasks each\n    shares = [min(per_process, JOBS - i) for i in range(0, JOBS, per_process)]\n    with multiprocessing.Pool(workers) as processes:\n        # Each process gathers its whole share at once.\n        processes.map(run_share, shares, chunksize=1)"
    );
    let uses_os = p.has(ExecutorId::PoolOfLoops) && p.values.workers.is_none();
    let head = if uses_os {
        head
    } else {
        head.replace("import os\n", "")
    };
    p.write(&[
        Some(head.as_str()),
        Some(IS_PRIME_AS_WRITTEN),
        Some(super::http::CLIENT),
        Some(super::mixed::TASKS),
        p.has(ExecutorId::EventLoop)
            .then_some(super::mixed::EVENT_LOOP),
        p.has(ExecutorId::Pool).then_some(pool.as_str()),
        p.has(ExecutorId::PoolOfLoops)
            .then_some(pool_of_loops.as_str()),
    ])
}

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
    python: Some(python),
    article: "article/combined.txt",
    article_ms: &[(ExecutorId::PoolOfLoops, 4500.0)],
    workload: Some(super::mixed::build),
};
