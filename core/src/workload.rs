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
}

impl Step {
    /// The kind of time this step spends.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Print(_) => StepKind::Print,
            Step::Sleep { .. } => StepKind::Sleep,
            Step::BlockingSleep { .. } => StepKind::BlockingSleep,
            Step::Cpu { .. } => StepKind::Cpu,
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
            _ => 0.0,
        }
    }
}

/// `task_count` tasks, each running `steps` in order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Workload {
    /// How many tasks run.
    pub task_count: u32,
    /// The steps every task runs, in order.
    pub steps: Vec<Step>,
}

impl Workload {
    /// The kinds of the steps, indexed like `steps` (what a trace keeps of them).
    pub fn step_kinds(&self) -> Vec<StepKind> {
        self.steps.iter().map(Step::kind).collect()
    }

    /// Time one task keeps its thread busy.
    pub fn task_blocking_ms(&self) -> f64 {
        self.steps.iter().map(Step::blocking_ms).sum()
    }

    /// Time one task waits without holding its thread.
    pub fn task_waiting_ms(&self) -> f64 {
        self.steps.iter().map(Step::waiting_ms).sum()
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
    }
}

/// The article's mixed task: `is_prime(n)`, `requests` concurrent requests of `delay_ms`
/// each (together they take one `delay_ms`), print the responses, `is_prime(n)` again.
pub fn mixed(jobs: u32, n: u64, estimate_ms: f64, requests: u32, delay_ms: f64) -> Workload {
    Workload {
        task_count: jobs,
        steps: vec![
            Step::Cpu { n, estimate_ms },
            Step::Sleep { ms: delay_ms },
            Step::Print(format!("{requests} responses")),
            Step::Cpu { n, estimate_ms },
        ],
    }
}

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
    fn sleepers_only_sleep() {
        let w = sleepers(4000, 3.0, false);
        assert_eq!(w.steps, vec![Step::Sleep { ms: 3000.0 }]);
    }
}
