//! `threads` and `run-in-executor`, the page's side: the interpreter workers run the threads
//! (see `worker.rs`); the page sends each its share, or each handed-over call, and merges what
//! they record onto its own clock.

use crate::clock::time_origin_ms;
use crate::handoff::{run_on_loop, Calls};
use crate::workers::{self, Group, WorkerEvent};
use futures::future::LocalBoxFuture;
use futures::StreamExt;
use sim::exec::{Offload, ThreadSettings};
use sim::executors::ExecutorId;
use sim::model::thread_pool_size;
use sim::model::Machine;
use sim::trace::TraceRecorder;
use sim::worker_protocol::{FromWorker, ToWorker};
use sim::workload::{Step, Workload};

/// Starts the interpreter workers `machine` runs threads in, so that a first run is warm.
pub fn prewarm(machine: &Machine) {
    workers::prewarm(Group::Interpreter, machine.interpreters());
}

fn failed(lane: u32, message: &str) -> String {
    format!("The interpreter worker {lane} failed: {message}.")
}

/// Runs `workload` as threads: under the GIL in one interpreter worker, or free-threaded over
/// one worker per core; with `one_thread`, every task in turn on the main thread.
pub async fn run_threads(
    workload: &Workload,
    recorder: &TraceRecorder,
    machine: &Machine,
    one_thread: bool,
) -> Result<(), String> {
    let lanes = if one_thread {
        1
    } else {
        machine.interpreters()
    };
    let (mut rx, mut guard) = workers::ready(Group::Interpreter, lanes, recorder).await?;
    let settings = ThreadSettings {
        switch_ms: machine.switch_ms,
        one_thread,
    };
    let total = workload.task_count;
    for lane in 1..=lanes {
        // Round robin, as an operating system spreads runnable threads over its cores.
        let tasks: Vec<u32> = (lane - 1..total).step_by(lanes as usize).collect();
        workers::send(
            Group::Interpreter,
            lane,
            &ToWorker::RunThreads {
                tasks,
                steps: workload.steps.clone(),
                settings,
                lane,
            },
        )?;
    }
    let origin = time_origin_ms();
    while recorder.tasks_done() < total {
        match rx.next().await {
            Some(WorkerEvent::Message {
                message: FromWorker::Recorded { events, output },
                ..
            }) => recorder.merge((&events, &output), -origin, None, |_| true),
            Some(WorkerEvent::Message {
                lane,
                message: FromWorker::Refused { message },
            })
            | Some(WorkerEvent::Crashed { lane, message }) => return Err(failed(lane, &message)),
            Some(WorkerEvent::Message { .. }) => {}
            None => return Err("The interpreter worker went away during the run.".into()),
        }
    }
    guard.completed = true;
    Ok(())
}

/// The interpreter worker's thread pool, as `run_in_executor` sees it: each call goes to the
/// worker and comes back with its record.
struct InterpreterThreads {
    calls: Calls,
    threads: u32,
}

impl Offload for InterpreterThreads {
    fn call<'a>(
        &'a self,
        recorder: &'a TraceRecorder,
        task: u32,
        first_step: u16,
        steps: &'a [Step],
    ) -> LocalBoxFuture<'a, Result<(), String>> {
        let at = (task, first_step);
        Box::pin(
            self.calls
                .call(recorder, (1, self.threads), at, steps, None),
        )
    }
}

/// Runs `workload` on the page's event loop, handing blocking calls to the threads of the
/// interpreter worker (`min(32, cores + 4)` of them, as `ThreadPoolExecutor` has).
pub async fn run_in_executor(
    workload: &Workload,
    recorder: &TraceRecorder,
    machine: &Machine,
) -> Result<(), String> {
    let (rx, mut guard) = workers::ready(Group::Interpreter, 1, recorder).await?;
    let threads = InterpreterThreads {
        calls: Calls::new(Group::Interpreter, "interpreter worker", machine.switch_ms),
        threads: thread_pool_size(machine.cores),
    };
    let run = (ExecutorId::RunInExecutor, workload, machine);
    let outcome = run_on_loop(run, recorder, (&threads, &threads.calls), rx).await;
    guard.completed = outcome.is_ok();
    outcome
}
