//! Calls handed from the page's event loop to workers (`loop.run_in_executor`): each goes to a
//! worker as `RunCall` and comes back as `CallDone` with its record, which is merged onto the
//! page's clock. `run-in-executor` hands them to the interpreter worker's threads,
//! `process-executor` to the pool's processes.

use crate::clock::time_origin_ms;
use crate::runtime::ThreadRuntime;
use crate::workers::{self, Group, WorkerEvent};
use futures::channel::mpsc::UnboundedReceiver;
use futures::channel::oneshot;
use futures::future::Either;
use futures::StreamExt;
use sim::exec::{run_on_page, Offload};
use sim::executors::ExecutorId;
use sim::model::Machine;
use sim::trace::{Events, Output, TraceRecorder};
use sim::worker_protocol::{FromWorker, ToWorker};
use sim::workload::{Step, Workload};
use std::cell::{Cell, RefCell};

/// Where a handed-over call's record goes when its worker sends it back.
type CallReply = oneshot::Sender<(Events, Output)>;

/// The calls a run has handed to one group of workers and waits for.
pub struct Calls {
    group: Group,
    /// How its errors name a worker ("interpreter worker", "pool worker").
    worker: &'static str,
    switch_ms: f64,
    pending: RefCell<Vec<(u32, CallReply)>>,
    next_call: Cell<u32>,
}

impl Calls {
    /// No call yet, to workers of `group` (named `worker` in errors), whose GILs switch every
    /// `switch_ms`.
    pub fn new(group: Group, worker: &'static str, switch_ms: f64) -> Calls {
        Calls {
            group,
            worker,
            switch_ms,
            pending: RefCell::new(Vec::new()),
            next_call: Cell::new(0),
        }
    }

    /// Runs `steps` of `task` (numbered from `first_step`) on worker `lane`, on `threads`
    /// threads of it, and merges the call's record into `recorder`: in lane `merge_lane`, or
    /// in the lanes the worker recorded.
    pub async fn call(
        &self,
        recorder: &TraceRecorder,
        (lane, threads): (u32, u32),
        (task, first_step): (u32, u16),
        steps: &[Step],
        merge_lane: Option<u32>,
    ) -> Result<(), String> {
        let call = self.next_call.get();
        self.next_call.set(call.wrapping_add(1));
        let (tx, rx) = oneshot::channel();
        workers::send(
            self.group,
            lane,
            &ToWorker::RunCall {
                call,
                task,
                first_step,
                steps: steps.to_vec(),
                threads,
                switch_ms: self.switch_ms,
            },
        )?;
        self.pending.borrow_mut().push((call, tx));
        let (events, output) = rx.await.map_err(|_| self.gone())?;
        recorder.merge((&events, &output), -time_origin_ms(), merge_lane, |_| false);
        Ok(())
    }

    fn gone(&self) -> String {
        format!("The {} went away during the run.", self.worker)
    }

    /// Hands each finished call to the task that waits for it, until a worker fails.
    async fn answer(&self, rx: &mut UnboundedReceiver<WorkerEvent>) -> Result<(), String> {
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
                    let mut pending = self.pending.borrow_mut();
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
                    return Err(format!("The {} {lane} failed: {message}.", self.worker))
                }
                Some(WorkerEvent::Message { .. }) => {}
                None => return Err(self.gone()),
            }
        }
    }
}

/// Runs `executor`'s tasks on the page's event loop, `offload` taking their blocking calls
/// (through `calls`, answered from the workers' events `rx`), until the run ends or a worker
/// fails.
pub async fn run_on_loop(
    (executor, workload, machine): (ExecutorId, &Workload, &Machine),
    recorder: &TraceRecorder,
    (offload, calls): (&dyn Offload, &Calls),
    mut rx: UnboundedReceiver<WorkerEvent>,
) -> Result<(), String> {
    let rt = ThreadRuntime {
        per_task_timers: machine.browser_timers,
    };
    let Some(run) = run_on_page(executor, &rt, workload, recorder, Some(offload)) else {
        return Err(format!("{} runs on the page", executor.id()));
    };
    let answers = calls.answer(&mut rx);
    futures::pin_mut!(answers);
    let outcome = match futures::future::select(run, answers).await {
        Either::Left((outcome, _)) | Either::Right((outcome, _)) => outcome,
    };
    outcome
}
