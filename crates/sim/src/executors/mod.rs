//! The executor registry: every concurrency model the page knows, one [`ExecutorSpec`] each.
//!
//! The parameter form, the URL parser, the model, the driver and the results all walk
//! [`EXECUTORS`]: adding an executor is an entry here plus its run function.

pub mod python;

use crate::model::{self, Machine};
use crate::workload::Workload;
use serde::Serialize;

/// How a task makes its requests: all at once (`aiohttp` under `gather`), or one after
/// another (`requests.Session`, a blocking client).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Client {
    /// Concurrent requests.
    #[default]
    Async,
    /// One request at a time.
    Blocking,
}

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
    /// Event-loop tasks handing blocking steps to a pool of processes
    /// (`loop.run_in_executor(pool, ...)` with a `ProcessPoolExecutor`).
    ProcessExecutor,
}

/// Where an executor runs a workload's tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// On the page's own event loop: all tasks at once (`gather`), or each in turn.
    Page { gather: bool },
    /// On the page's event loop, handing blocking calls to the threads of the interpreter
    /// worker (`loop.run_in_executor`).
    PageWithThreadPool,
    /// On the page's event loop, handing blocking calls to a pool of workers, one process
    /// each (`loop.run_in_executor` with a `ProcessPoolExecutor`).
    PageWithProcessPool,
    /// On a pool of workers, one process each: `share` sends a worker its whole share of the
    /// tasks at once (an event loop in each process); otherwise one task at a time.
    Pool { share: bool },
    /// As threads of the interpreter worker (one worker under the GIL; one per core when
    /// free-threaded). `one_thread`: every task in turn on the main thread (synchronous code).
    Interpreter { one_thread: bool },
}

impl Placement {
    /// Whether the tasks themselves run on the page's event loop (what they hand over may
    /// run elsewhere).
    pub fn on_page(self) -> bool {
        matches!(
            self,
            Placement::Page { .. } | Placement::PageWithThreadPool | Placement::PageWithProcessPool
        )
    }

    /// Whether its tasks, or the calls they hand over, run on threads of the interpreter
    /// worker (which the page starts when a lab offers such an executor).
    pub fn on_interpreter(self) -> bool {
        matches!(
            self,
            Placement::Interpreter { .. } | Placement::PageWithThreadPool
        )
    }

    /// The pool the tasks on the page hand their blocking calls to ("thread pool", "process
    /// pool"), if they hand any over.
    pub fn hands_to(self) -> Option<&'static str> {
        match self {
            Placement::PageWithThreadPool => Some("thread pool"),
            Placement::PageWithProcessPool => Some("process pool"),
            _ => None,
        }
    }

    /// Whether CPU work runs in processes of their own, in parallel up to the pool's size.
    pub fn in_processes(self) -> bool {
        matches!(
            self,
            Placement::Pool { .. } | Placement::PageWithProcessPool
        )
    }
}

/// Everything the page knows about one executor.
#[derive(Clone, Copy, Debug)]
pub struct ExecutorSpec {
    /// Which executor.
    pub id: ExecutorId,
    /// The public id (URL `executors=`, embed messages, test names).
    pub name: &'static str,
    /// What it stands for, in the article's Python.
    pub description: &'static str,
    /// Where it runs a workload whose sequential version is not synchronous code.
    pub placement: Placement,
    /// How its tasks make requests: all at once (`aiohttp`) or one after another (`requests`).
    pub client: Client,
    /// The most tasks it takes; a lab's task count above it skips the executor with a notice.
    pub max_tasks: u32,
    /// Its model: the wall time it should take, ms.
    pub model: fn(&Workload, &Machine) -> f64,
    /// Its section of a lab's Python program, written in the lab's words: the function
    /// named after it (`-` as `_`) and what the driver calls to time it.
    pub python: fn(&python::Words) -> python::Section,
    /// What its tasks are called where the page and the Output name one ("thread 3").
    pub unit: &'static str,
    /// Which GIL its tasks share, for the results' rows and the timeline's GIL lanes.
    pub gil: Gil,
    /// Whether its program prints in the order the page prints (one thread runs every task,
    /// so the order is the scheduler's, not the operating system's).
    pub ordered_output: bool,
    /// Whether its wall time in CPython is the page's whatever the core count (nothing runs
    /// in parallel), so the CPython check holds it to at least 0.9 of the page's.
    pub waits_in_turn: bool,
}

/// Which GIL an executor's tasks share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gil {
    /// No threads of one interpreter: the page's event loop runs one thing at a time, and
    /// processes each have a GIL of their own.
    None,
    /// The threads of an interpreter share its GIL; with `gil=off` (free-threaded CPython)
    /// each core runs threads at once, and the page gives each core an interpreter worker.
    PerInterpreter,
    /// The threads of the one interpreter worker share its GIL, `gil=off` or not (the loop's
    /// default thread pool).
    Shared,
}

/// The most threads the threads executor starts (CPython itself starts tens of thousands).
pub const MAX_THREADS: u32 = 10_000;

/// Every executor, in the order the page lists them (and indexed like [`ExecutorId`]).
pub static EXECUTORS: [ExecutorSpec; 7] = [
    ExecutorSpec {
        id: ExecutorId::Sequential,
        name: "sequential",
        description: "await each task in turn",
        placement: Placement::Page { gather: false },
        client: Client::Async,
        max_tasks: 1_000_000,
        model: model::sequential,
        python: python::sequential,
        unit: "task",
        gil: Gil::None,
        ordered_output: true,
        waits_in_turn: true,
    },
    ExecutorSpec {
        id: ExecutorId::EventLoop,
        name: "event-loop",
        description: "asyncio.gather on one thread",
        placement: Placement::Page { gather: true },
        client: Client::Async,
        max_tasks: 1_000_000,
        model: model::event_loop,
        python: python::event_loop,
        unit: "task",
        gil: Gil::None,
        ordered_output: true,
        waits_in_turn: true,
    },
    ExecutorSpec {
        id: ExecutorId::Threads,
        name: "threads",
        description: "threading.Thread under the GIL",
        placement: Placement::Interpreter { one_thread: false },
        client: Client::Blocking,
        max_tasks: MAX_THREADS,
        model: model::threads,
        python: python::threads,
        unit: "thread",
        gil: Gil::PerInterpreter,
        ordered_output: false,
        waits_in_turn: true,
    },
    ExecutorSpec {
        id: ExecutorId::Pool,
        name: "pool",
        description: "multiprocessing.Pool of Web Workers",
        placement: Placement::Pool { share: false },
        client: Client::Blocking,
        max_tasks: 1_000_000,
        model: model::pool,
        python: python::pool,
        unit: "task",
        gil: Gil::None,
        ordered_output: false,
        waits_in_turn: false,
    },
    ExecutorSpec {
        id: ExecutorId::PoolOfLoops,
        name: "pool-of-loops",
        description: "asyncio inside each pool process",
        placement: Placement::Pool { share: true },
        client: Client::Async,
        max_tasks: 1_000_000,
        model: model::pool_of_loops,
        python: python::pool_of_loops,
        unit: "task",
        gil: Gil::None,
        ordered_output: false,
        waits_in_turn: false,
    },
    ExecutorSpec {
        id: ExecutorId::RunInExecutor,
        name: "run-in-executor",
        description: "loop.run_in_executor hands blocking calls to threads",
        placement: Placement::PageWithThreadPool,
        client: Client::Async,
        max_tasks: 1_000_000,
        model: model::run_in_executor,
        python: python::run_in_executor,
        unit: "task",
        gil: Gil::Shared,
        ordered_output: false,
        waits_in_turn: false,
    },
    ExecutorSpec {
        id: ExecutorId::ProcessExecutor,
        name: "process-executor",
        description: "loop.run_in_executor hands blocking calls to processes",
        placement: Placement::PageWithProcessPool,
        client: Client::Async,
        max_tasks: 1_000_000,
        model: model::process_executor,
        python: python::process_executor,
        unit: "task",
        gil: Gil::None,
        ordered_output: false,
        waits_in_turn: false,
    },
];

/// The wall time `executor` should take for `workload` on `machine` under its model, in ms.
///
/// Requests wait for one of the host's connections (`per_host_limit`): `k` requests sent at
/// once take `ceil(k / limit)` latencies. An async client sends a task's requests at once, a
/// blocking one (a pool's process, a thread) one after another.
pub fn expected_ms(executor: ExecutorId, workload: &Workload, machine: &Machine) -> f64 {
    (executor.spec().model)(workload, machine)
}

/// The most tasks the event loop takes when they only sleep: it keeps them as spans in its
/// timer wheel, 8 bytes a task (see [`crate::trace::TaskSpans`]).
pub const MAX_SLEEPERS: u32 = 10_000_000;

/// The most tasks an executor on the page takes with a browser timer per sleep
/// (`timer=browser`).
pub const MAX_BROWSER_TIMERS: u32 = 1_000_000;

impl ExecutorId {
    /// The most tasks of `workload` it takes on `machine`: its registry cap, but the event
    /// loop takes ten million tasks that only sleep (on the timer wheel), and a browser timer
    /// per sleep caps what runs on the page at a million.
    pub fn task_cap(self, workload: &Workload, machine: &Machine) -> u32 {
        let on_page = self.spec().placement.on_page();
        match self {
            _ if on_page && machine.browser_timers => self.spec().max_tasks.min(MAX_BROWSER_TIMERS),
            ExecutorId::EventLoop if workload.only_sleep_ms().is_some() => MAX_SLEEPERS,
            _ => self.spec().max_tasks,
        }
    }

    /// Why its cap on `machine` is what it is, for the notice that skips it (", with a
    /// browser timer per sleep").
    pub fn cap_reason(self, machine: &Machine) -> &'static str {
        if self.spec().placement.on_page() && machine.browser_timers {
            ", with a browser timer per sleep"
        } else {
            ""
        }
    }

    /// Its registry entry.
    pub fn spec(self) -> &'static ExecutorSpec {
        &EXECUTORS[self as usize]
    }

    /// The public id (URL `executors=`, embed messages, test names).
    pub fn id(self) -> &'static str {
        self.spec().name
    }

    /// What the executor stands for, in the article's Python.
    pub fn description(self) -> &'static str {
        self.spec().description
    }

    /// Where it runs `workload`: a synchronous program's sequential version runs on the
    /// interpreter's main thread, so its `time.sleep` does not freeze the page.
    pub fn placement(self, workload: &Workload) -> Placement {
        match self {
            ExecutorId::Sequential if workload.synchronous_sequential => {
                Placement::Interpreter { one_thread: true }
            }
            _ => self.spec().placement,
        }
    }

    /// Whether it has anything to do with `workload`: an executor that hands blocking calls
    /// to processes has nothing to hand over when nothing blocks (`sleep=async`), so it is
    /// not offered then.
    pub fn takes(self, workload: &Workload) -> bool {
        self.spec().placement != Placement::PageWithProcessPool || workload.blocks()
    }

    /// Looks an executor up by its public id.
    pub fn parse(id: &str) -> Option<ExecutorId> {
        EXECUTORS.iter().find(|e| e.name == id).map(|e| e.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_the_registry_is_indexed_by_id() {
        for spec in &EXECUTORS {
            assert_eq!(ExecutorId::parse(spec.name), Some(spec.id));
            assert_eq!(spec.id.spec().name, spec.name);
        }
        assert_eq!(ExecutorId::parse("bogus"), None);
    }

    #[test]
    fn synchronous_programs_run_sequentially_on_the_interpreters_main_thread() {
        let cats = crate::workload::cats(5, 2.0);
        assert_eq!(
            ExecutorId::Sequential.placement(&cats),
            Placement::Interpreter { one_thread: true }
        );
        let hello = crate::workload::hello(2, 1.0, true);
        assert_eq!(
            ExecutorId::Sequential.placement(&hello),
            Placement::Page { gather: false }
        );
    }
}
