//! `process-executor`, the page's side: tasks on the page's event loop send their blocking
//! calls to a pool of workers, one process each (`loop.run_in_executor(pool, ...)` with a
//! `ProcessPoolExecutor`). A process takes one call at a time and runs it under a GIL of its
//! own, so CPU work runs in parallel up to the pool's size while the loop stays free. The
//! workers are the pool's (`Group::Pool`): warm between runs, their start-up shown apart.

use crate::clock::time_origin_ms;
use crate::runtime::ThreadRuntime;
use crate::workers::{self, Group, WorkerEvent};
use futures::channel::oneshot;
use futures::future::{Either, LocalBoxFuture};
use futures::StreamExt;
use sim::exec::{run_on_page, Offload, ThreadPool};
use sim::executors::ExecutorId;
use sim::model::Machine;
use sim::trace::{Events, Output, TraceRecorder};
use sim::worker_protocol::{FromWorker, ToWorker};
use sim::workload::{Step, Workload};
use std::cell::{Cell, RefCell};

/// Where a call's record goes when its process sends it back.
type CallReply = oneshot::Sender<(Events, Output)>;

/// The pool's processes as the loop sees them: a call waits for a free process, goes to it,
/// and comes back with its record.
struct Processes {
    free: ThreadPool,
    pending: RefCell<Vec<(u32, CallReply)>>,
    next_call: Cell<u32>,
    switch_ms: f64,
}

impl Offload for Processes {
    fn call<'a>(
        &'a self,
        recorder: &'a TraceRecorder,
        task: u32,
        first_step: u16,
        steps: &'a [Step],
    ) -> LocalBoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let process = self.free.take().await;
            let call = self.next_call.get();
            self.next_call.set(call.wrapping_add(1));
            let (tx, rx) = oneshot::channel();
            // One thread in the process: the call runs alone under its GIL.
            let sent = workers::send(
                Group::Pool,
                process + 1,
                &ToWorker::RunCall {
                    call,
                    task,
                    first_step,
                    steps: steps.to_vec(),
                    threads: 1,
                    switch_ms: self.switch_ms,
                },
            );
            if let Err(error) = sent {
                self.free.give_back(process);
                return Err(error);
            }
            self.pending.borrow_mut().push((call, tx));
            let answer = rx.await;
            self.free.give_back(process);
            let (events, output) =
                answer.map_err(|_| "A pool worker went away during the run.".to_string())?;
            // On the page's axis, in the lane of the process that ran it.
            recorder.merge(
                (&events, &output),
                -time_origin_ms(),
                Some(process + 1),
                false,
            );
            Ok(())
        })
    }
}

/// Runs `workload` on the page's event loop, sending its blocking calls to `machine.workers`
/// processes of the pool.
pub async fn run_process_executor(
    workload: &Workload,
    recorder: &TraceRecorder,
    machine: &Machine,
) -> Result<(), String> {
    let size = machine.workers.max(1);
    let (mut rx, mut guard) = workers::ready(Group::Pool, size, recorder).await?;
    let processes = Processes {
        free: ThreadPool::new(size),
        pending: RefCell::new(Vec::new()),
        next_call: Cell::new(0),
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
                    let mut pending = processes.pending.borrow_mut();
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
                    return Err::<(), String>(format!("The pool worker {lane} failed: {message}."))
                }
                Some(WorkerEvent::Message { .. }) => {}
                None => return Err("A pool worker went away during the run.".into()),
            }
        }
    };
    let rt = ThreadRuntime {
        per_task_timers: machine.browser_timers,
    };
    let run = run_on_page(
        ExecutorId::ProcessExecutor,
        &rt,
        workload,
        recorder,
        Some(&processes),
    )
    .ok_or("process-executor runs on the page")?;
    futures::pin_mut!(answers);
    let outcome = match futures::future::select(run, answers).await {
        Either::Left((outcome, _)) | Either::Right((outcome, _)) => outcome,
    };
    guard.completed = outcome.is_ok();
    outcome
}
