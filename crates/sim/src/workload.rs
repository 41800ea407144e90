//! Workloads: what a run does, as plain data.
//!
//! A workload is a number of identical tasks, each a list of steps. The labs build one from
//! their parameters; the executors run it and record a [`crate::trace::Trace`].

use serde::{Deserialize, Serialize};

/// One step of a task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Step {
    /// Print a line (Python's `print`): recorded in the output with its time.
    Print(String),
    /// `await asyncio.sleep(s)`: yields to the event loop for `ms`.
    Sleep { ms: f64 },
    /// `time.sleep(s)`: blocks the thread it runs on for `ms`.
    BlockingSleep { ms: f64 },
    /// The article's `is_prime(n)`, run for real; `estimate_ms` is what the page's calibration
    /// predicts it takes (the model uses it, the run does not).
    Cpu { n: u64, estimate_ms: f64 },
    /// `requests` GET requests of `url` (relative to the page, or a user's own URL): all at
    /// once on an async client (`gather`), one after another on a blocking one
    /// (`requests.Session`). `delay_ms` is the latency the model expects of each; a request
    /// with no answer after `timeout_ms` fails.
    Fetch {
        requests: u32,
        url: String,
        delay_ms: f64,
        timeout_ms: f64,
    },
    /// A call of the Python function `name` begins (the cats' `exists > _have_free_time >
    /// _sleep`); it ends at the matching [`Step::Exit`]. `offload`: `run-in-executor` hands the
    /// whole call to a thread (`loop.run_in_executor(None, self._have_free_time)`).
    Enter { name: String, offload: bool },
    /// The innermost open call returns.
    Exit,
}

/// What kind of time a step spends; the timeline colours steps by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// Prints take no measurable time.
    Print,
    /// Waiting without holding the thread.
    Sleep,
    /// Holding the thread while waiting.
    BlockingSleep,
    /// Computing: holding the thread and a core.
    Cpu,
    /// HTTP requests: waiting for the network without holding the thread.
    Fetch,
    /// A function call begins or returns: takes no time, nests the steps between.
    Call,
}

impl Step {
    /// The kind of time this step spends.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Print(_) => StepKind::Print,
            Step::Sleep { .. } => StepKind::Sleep,
            Step::BlockingSleep { .. } => StepKind::BlockingSleep,
            Step::Cpu { .. } => StepKind::Cpu,
            Step::Fetch { .. } => StepKind::Fetch,
            Step::Enter { .. } | Step::Exit => StepKind::Call,
        }
    }

    /// Time the step keeps its thread busy (it cannot overlap with other work on that thread).
    pub fn blocking_ms(&self) -> f64 {
        match self {
            Step::BlockingSleep { ms } => *ms,
            Step::Cpu { estimate_ms, .. } => *estimate_ms,
            _ => 0.0,
        }
    }

    /// Time the step waits without holding its thread.
    pub fn waiting_ms(&self) -> f64 {
        match self {
            Step::Sleep { ms } => *ms,
            // One round of requests: the model says how many rounds a client needs.
            Step::Fetch { delay_ms, .. } => *delay_ms,
            _ => 0.0,
        }
    }
}

/// `task_count` tasks, each running `steps` in order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Workload {
    /// How many tasks run.
    pub task_count: u32,
    /// The steps every task runs, in order.
    pub steps: Vec<Step>,
    /// How many requests the browser sends to one host at once (6 over HTTP/1.1); `None` where
    /// nothing limits them (the simulated network of a static host).
    pub per_host_limit: Option<u32>,
    /// The program's sequential version is plain synchronous code (the article's `SyncCat`):
    /// `sequential` runs it on the interpreter worker's main thread, where its sleeps block that
    /// thread and not the page.
    pub synchronous_sequential: bool,
}

impl Workload {
    /// The sleep of a workload whose tasks do nothing but one `asyncio.sleep`, ms: the event
    /// loop keeps such tasks as spans in a timer wheel, not as futures (see
    /// [`crate::trace::TaskSpans`]).
    pub fn only_sleep_ms(&self) -> Option<f64> {
        match self.steps[..] {
            [Step::Sleep { ms }] => Some(ms),
            _ => None,
        }
    }

    /// The kinds of the steps, indexed like `steps` (what a trace keeps of them).
    pub fn step_kinds(&self) -> Vec<StepKind> {
        self.steps.iter().map(Step::kind).collect()
    }

    /// Time one task keeps its thread busy.
    pub fn task_blocking_ms(&self) -> f64 {
        self.steps.iter().map(Step::blocking_ms).sum()
    }

    /// Whether a task holds its thread at some point (a CPU job, a blocking sleep, or a call
    /// marked to be handed over): something a pool behind the loop could take.
    pub fn blocks(&self) -> bool {
        self.steps.iter().any(|step| {
            step.blocking_ms() > 0.0 || matches!(step, Step::Enter { offload: true, .. })
        })
    }

    /// Time one task waits without holding its thread.
    pub fn task_waiting_ms(&self) -> f64 {
        self.steps.iter().map(Step::waiting_ms).sum()
    }

    /// The name of each step that begins a call ("" for other steps), indexed like `steps`.
    pub fn call_names(&self) -> Vec<String> {
        self.steps
            .iter()
            .map(|step| match step {
                Step::Enter { name, .. } => name.clone(),
                _ => String::new(),
            })
            .collect()
    }

    /// Where the call opened at step `enter` returns (its matching [`Step::Exit`]), or the last
    /// step when it never does.
    pub fn call_end(&self, enter: usize) -> usize {
        let mut depth = 0usize;
        for (index, step) in self.steps.iter().enumerate().skip(enter) {
            match step {
                Step::Enter { .. } => depth += 1,
                Step::Exit => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return index;
                    }
                }
                _ => {}
            }
        }
        self.steps.len().saturating_sub(1)
    }
}

/// The connection limit a browser keeps per host over HTTP/1.1 (Chromium, Firefox, Safari).
pub const HTTP1_CONNECTIONS_PER_HOST: u32 = 6;

/// The latency endpoint's URL relative to the page, for `delay_ms`.
pub fn delay_url(delay_ms: f64) -> String {
    format!("api/delay?ms={}", delay_ms.round() as u64)
}

/// The article's http task: one GET of `url` (or of the latency endpoint).
pub fn http(tasks: u32, url: String, delay_ms: f64, timeout_ms: f64) -> Workload {
    Workload {
        task_count: tasks,
        steps: vec![Step::Fetch {
            requests: 1,
            url,
            delay_ms,
            timeout_ms,
        }],
        per_host_limit: Some(HTTP1_CONNECTIONS_PER_HOST),
        synchronous_sequential: false,
    }
}

/// The article's `hello`: print, sleep, print.
pub fn hello(task_count: u32, seconds: f64, blocking: bool) -> Workload {
    let ms = seconds * 1000.0;
    let sleep = if blocking {
        Step::BlockingSleep { ms }
    } else {
        Step::Sleep { ms }
    };
    Workload {
        task_count,
        steps: vec![
            Step::Print("hello".into()),
            sleep,
            Step::Print("goodbye".into()),
        ],
        per_host_limit: None,
        synchronous_sequential: false,
    }
}

/// The article's 4000 sleepers: each task only sleeps.
pub fn sleepers(task_count: u32, seconds: f64, blocking: bool) -> Workload {
    let ms = seconds * 1000.0;
    let step = if blocking {
        Step::BlockingSleep { ms }
    } else {
        Step::Sleep { ms }
    };
    Workload {
        task_count,
        steps: vec![step],
        per_host_limit: None,
        synchronous_sequential: false,
    }
}

/// The article's "is prime" task: `await asyncio.sleep(s)`, then `is_prime(n)`.
pub fn prime_jobs(jobs: u32, seconds: f64, n: u64, estimate_ms: f64) -> Workload {
    Workload {
        task_count: jobs,
        steps: vec![
            Step::Sleep {
                ms: seconds * 1000.0,
            },
            Step::Cpu { n, estimate_ms },
        ],
        per_host_limit: None,
        synchronous_sequential: false,
    }
}

/// The article's mixed task: `is_prime(n)`, `requests` GETs of `url` (at once on an async
/// client, in turn on a blocking one), print the responses, `is_prime(n)` again.
pub fn mixed(jobs: u32, n: u64, estimate_ms: f64, requests: u32, fetch: (String, f64)) -> Workload {
    let (url, delay_ms) = fetch;
    Workload {
        task_count: jobs,
        steps: vec![
            Step::Cpu { n, estimate_ms },
            Step::Fetch {
                requests,
                url,
                delay_ms,
                timeout_ms: DEFAULT_TIMEOUT_MS,
            },
            Step::Print(format!("{requests} responses")),
            Step::Cpu { n, estimate_ms },
        ],
        per_host_limit: Some(HTTP1_CONNECTIONS_PER_HOST),
        synchronous_sequential: false,
    }
}

/// The article's cats: `exists` eats, then has free time, which sleeps `seconds` and wakes.
/// One workload for every version: an `AsyncCat` awaits `asyncio.sleep`, a `SyncCat` on a
/// thread calls `time.sleep` (a thread's sleep always releases its GIL), and `run-in-executor`
/// hands the synchronous `_have_free_time` to a thread.
pub fn cats(cats: u32, seconds: f64) -> Workload {
    let enter = |name: &str, offload: bool| Step::Enter {
        name: name.into(),
        offload,
    };
    Workload {
        task_count: cats,
        steps: vec![
            enter("exists", false),
            enter("_eat", false),
            Step::Print("eat".into()),
            Step::Exit,
            enter("_have_free_time", true),
            Step::Print("have free time".into()),
            enter("_sleep", false),
            Step::Print("sleeping".into()),
            Step::Sleep {
                ms: seconds * 1000.0,
            },
            Step::Print("wake".into()),
            Step::Exit,
            Step::Exit,
            Step::Exit,
        ],
        per_host_limit: None,
        synchronous_sequential: true,
    }
}

/// How long a request may take before it fails, unless a lab's `timeout` says otherwise.
pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_prints_around_one_sleep() {
        let w = hello(2, 1.0, false);
        assert_eq!(w.task_count, 2);
        assert_eq!(
            w.step_kinds(),
            vec![StepKind::Print, StepKind::Sleep, StepKind::Print]
        );
        assert_eq!(w.task_waiting_ms(), 1000.0);
        assert_eq!(w.task_blocking_ms(), 0.0);
    }

    #[test]
    fn blocking_hello_holds_the_thread() {
        let w = hello(2, 0.5, true);
        assert_eq!(w.task_blocking_ms(), 500.0);
        assert_eq!(w.task_waiting_ms(), 0.0);
    }

    #[test]
    fn prime_jobs_sleep_then_hold_the_thread() {
        let w = prime_jobs(5, 1.0, 101, 250.0);
        assert_eq!(w.step_kinds(), vec![StepKind::Sleep, StepKind::Cpu]);
        assert_eq!(w.task_blocking_ms(), 250.0);
        assert_eq!(w.task_waiting_ms(), 1000.0);
    }

    #[test]
    fn a_cat_nests_its_calls() {
        let w = cats(5, 2.0);
        assert_eq!(w.call_end(0), 12);
        assert_eq!(w.call_end(1), 3);
        assert_eq!(w.call_end(4), 11);
        assert_eq!(w.call_names()[6], "_sleep");
        assert_eq!(w.task_waiting_ms(), 2000.0);
    }

    #[test]
    fn sleepers_only_sleep() {
        let w = sleepers(4000, 3.0, false);
        assert_eq!(w.steps, vec![Step::Sleep { ms: 3000.0 }]);
    }
}
