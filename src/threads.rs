//! `threads` and `run-in-executor`, the page's side: the interpreter workers run the threads
//! (see `worker.rs`); the page sends each its share, or each handed-over call, and merges what
//! they record onto its own clock.

use crate::clock::time_origin_ms;
use crate::runtime::ThreadRuntime;
use crate::workers::{self, Group, WorkerEvent};
use futures::channel::oneshot;
use futures::future::{Either, LocalBoxFuture};
use futures::StreamExt;
use sim::exec::{run_on_page, Offload, ThreadSettings};
use sim::executors::ExecutorId;
use sim::model::thread_pool_size;
use sim::model::Machine;
use sim::trace::{Events, Output, TraceRecorder};
use sim::worker_protocol::{FromWorker, ToWorker};
use sim::workload::{Step, Workload};
use std::cell::{Cell, RefCell};

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
            }) => recorder.merge((&events, &output), -origin, None, true),
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

/// Where a handed-over call's record goes when the worker sends it back.
type CallReply = oneshot::Sender<(Events, Output)>;

/// The interpreter worker's thread pool, as `run_in_executor` sees it: each call goes to the
/// worker and comes back with its record.
struct InterpreterThreads {
    pending: RefCell<Vec<(u32, CallReply)>>,
    next_call: Cell<u32>,
    threads: u32,
    switch_ms: f64,
}

impl Offload for InterpreterThreads {
    fn call<'a>(
        &'a self,
        recorder: &'a TraceRecorder,
        task: u32,
        first_step: u16,
        steps: &'a [Step],
    ) -> LocalBoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let call = self.next_call.get();
            self.next_call.set(call.wrapping_add(1));
            let (tx, rx) = oneshot::channel();
            workers::send(
                Group::Interpreter,
                1,
                &ToWorker::RunCall {
                    call,
                    task,
                    first_step,
                    steps: steps.to_vec(),
                    threads: self.threads,
                    switch_ms: self.switch_ms,
                },
            )?;
            self.pending.borrow_mut().push((call, tx));
            let (events, output) = rx
                .await
                .map_err(|_| "The interpreter worker went away during the run.".to_string())?;
            recorder.merge((&events, &output), -time_origin_ms(), None, false);
            Ok(())
        })
    }
}

/// Runs `workload` on the page's event loop, handing blocking calls to the threads of the
/// interpreter worker (`min(32, cores + 4)` of them, as `ThreadPoolExecutor` has).
pub async fn run_in_executor(
    workload: &Workload,
    recorder: &TraceRecorder,
    machine: &Machine,
) -> Result<(), String> {
    let (mut rx, mut guard) = workers::ready(Group::Interpreter, 1, recorder).await?;
    let threads = InterpreterThreads {
        pending: RefCell::new(Vec::new()),
        next_call: Cell::new(0),
        threads: thread_pool_size(machine.cores),
        switch_ms: machine.switch_ms,
    };
    // Hands each finished call to the task that waits for it.
    let answers = async {
        loop {
            match rx.next().await {
                Some(WorkerEvent::Message {
                    message:
                        FromWorker::CallDone {
                            call,
                            events,
                            output,
                        },
                    ..
                }) => {
                    let mut pending = threads.pending.borrow_mut();
                    if let Some(index) = pending.iter().position(|(c, _)| *c == call) {
                        let (_, tx) = pending.swap_remove(index);
                        let _ = tx.send((events, output));
                    }
                }
                Some(WorkerEvent::Message {
                    lane,
                    message: FromWorker::Refused { message },
                })
                | Some(WorkerEvent::Crashed { lane, message }) => {
                    return Err::<(), String>(failed(lane, &message))
                }
                Some(WorkerEvent::Message { .. }) => {}
                None => return Err("The interpreter worker went away during the run.".into()),
            }
        }
    };
    let rt = ThreadRuntime {
        per_task_timers: machine.browser_timers,
    };
    let run = run_on_page(
        ExecutorId::RunInExecutor,
        &rt,
        workload,
        recorder,
        Some(&threads),
    )
    .ok_or("run-in-executor runs on the page")?;
    futures::pin_mut!(answers);
    let outcome = match futures::future::select(run, answers).await {
        Either::Left((outcome, _)) | Either::Right((outcome, _)) => outcome,
    };
    guard.completed = outcome.is_ok();
    outcome
}
