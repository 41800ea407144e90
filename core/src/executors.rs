//! The executor registry: every concurrency model the page knows, built or not yet.
//!
//! The parameter form, the URL parser and the results all walk [`ExecutorId::ALL`].

use serde::Serialize;

/// One concurrency model. Its [`ExecutorId::id`] is the public name used in URLs and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExecutorId {
    /// Await each task in turn on the page's event loop.
    Sequential,
    /// All tasks as futures on the page's single-threaded event loop (`asyncio.gather`).
    EventLoop,
    /// CPython threads under the GIL (modelled in a worker).
    Threads,
    /// `multiprocessing.Pool` as a pool of Web Workers.
    Pool,
    /// asyncio inside each process of a pool.
    PoolOfLoops,
    /// Event-loop tasks handing blocking steps to a thread pool.
    RunInExecutor,
}

impl ExecutorId {
    /// Every executor, in the order the page lists them.
    pub const ALL: [ExecutorId; 6] = [
        ExecutorId::Sequential,
        ExecutorId::EventLoop,
        ExecutorId::Threads,
        ExecutorId::Pool,
        ExecutorId::PoolOfLoops,
        ExecutorId::RunInExecutor,
    ];

    /// The public id (URL `executors=`, embed messages, test names).
    pub fn id(self) -> &'static str {
        match self {
            ExecutorId::Sequential => "sequential",
            ExecutorId::EventLoop => "event-loop",
            ExecutorId::Threads => "threads",
            ExecutorId::Pool => "pool",
            ExecutorId::PoolOfLoops => "pool-of-loops",
            ExecutorId::RunInExecutor => "run-in-executor",
        }
    }

    /// What the executor stands for, in the article's Python.
    pub fn description(self) -> &'static str {
        match self {
            ExecutorId::Sequential => "await each task in turn",
            ExecutorId::EventLoop => "asyncio.gather on one thread",
            ExecutorId::Threads => "threading.Thread under the GIL",
            ExecutorId::Pool => "multiprocessing.Pool of Web Workers",
            ExecutorId::PoolOfLoops => "asyncio inside each pool process",
            ExecutorId::RunInExecutor => "loop.run_in_executor for blocking calls",
        }
    }

    /// Whether this build can run it.
    pub fn available(self) -> bool {
        matches!(
            self,
            ExecutorId::Sequential
                | ExecutorId::EventLoop
                | ExecutorId::Pool
                | ExecutorId::PoolOfLoops
        )
    }

    /// Looks an executor up by its public id.
    pub fn parse(id: &str) -> Option<ExecutorId> {
        ExecutorId::ALL.into_iter().find(|e| e.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for e in ExecutorId::ALL {
            assert_eq!(ExecutorId::parse(e.id()), Some(e));
        }
        assert_eq!(ExecutorId::parse("bogus"), None);
    }
}
