//! The run driver: runs a plan's items (a lab's executors, or the compare table's rows) one
//! after another on the page, each measured alone, and reports progress and traces as
//! [`RunEvent`]s.

use crate::clock::now_ms;
use crate::runtime::ThreadRuntime;
use crate::{pool, process_executor, threads, vitals};
use futures::future::LocalBoxFuture;
use futures::future::{AbortHandle, Abortable};
use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use page::run_state::RunEvent;
use sim::exec::run_on_page;
use sim::executors::{ExecutorId, Placement};
use sim::model::Machine;
use sim::trace::{RunStatus, TraceRecorder};
use sim::workload::Workload;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::Callback;

/// Lets the page stop the run that is going.
#[derive(Default)]
pub struct RunControl {
    stopped: Cell<bool>,
    current: RefCell<Option<AbortHandle>>,
}

impl RunControl {
    /// Stops the running executor now and the run with it.
    pub fn stop(&self) {
        self.stopped.set(true);
        if let Some(handle) = self.current.borrow_mut().take() {
            handle.abort();
        }
    }
}

/// The pause between two executors of one run, ms: after an executor that froze the page the
/// browser catches up for a while, and a pool started at once measured about 10% slower.
const SETTLE_MS: u32 = 500;

/// Waits until the browser has painted (two animation frames), or 100 ms at most: a hidden tab
/// or an embed scrolled out of view gets no frames, and must not hold the run up.
async fn next_paint() {
    let frames = async {
        for _ in 0..2 {
            let (tx, rx) = futures::channel::oneshot::channel::<()>();
            let _frame = gloo_render::request_animation_frame(move |_| {
                let _ = tx.send(());
            });
            let _ = rx.await;
        }
    };
    let timeout = gloo_timers::future::TimeoutFuture::new(100);
    futures::pin_mut!(frames);
    futures::future::select(frames, timeout).await;
}

fn document_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.hidden())
        .unwrap_or(false)
}

/// One item of a plan as the driver runs it: its workload, on its executor, on its machine
/// (pool size, GIL).
pub type DriverItem = (Workload, ExecutorId, Machine);

/// Runs `plan`, one item after another; every event goes to `report`.
pub async fn drive(
    run_number: u64,
    plan: Vec<DriverItem>,
    control: Rc<RunControl>,
    report: Callback<RunEvent>,
) {
    // A stopped or failed run ends the interpreter: the machine to start it again for.
    let threads_machine = plan
        .iter()
        .find(|(workload, executor, _)| executor.placement(workload).on_interpreter())
        .map(|(_, _, machine)| *machine);
    // The heartbeat's and lag meter's peaks cover the whole run, every item.
    vitals::reset_peaks();
    for (index, (workload, executor, machine)) in plan.into_iter().enumerate() {
        let step_kinds = workload.step_kinds();
        // Let the page show this executor as running before it may freeze the thread; after
        // another executor, also let the page settle (render its results, catch up after a
        // freeze), so each is measured on an otherwise idle page.
        next_paint().await;
        if index > 0 {
            gloo_timers::future::TimeoutFuture::new(SETTLE_MS).await;
        }
        let recorder = Rc::new(
            TraceRecorder::new(executor, workload.task_count, step_kinds, now_ms())
                .with_call_names(workload.call_names()),
        );
        if control.stopped.get() {
            // Stopped between two executors: this one never started.
            let trace = recorder.finish(now_ms(), RunStatus::Stopped, None);
            report.emit(RunEvent::ExecutorEnded {
                run_number,
                trace: Rc::new(trace),
            });
            return;
        }
        if document_hidden() {
            recorder.mark_hidden();
        }
        let _visibility = web_sys::window().and_then(|w| w.document()).map(|doc| {
            let recorder = recorder.clone();
            EventListener::new(&doc, "visibilitychange", move |_| {
                if document_hidden() {
                    recorder.mark_hidden();
                }
            })
        });
        let progress = {
            let recorder = recorder.clone();
            let report = report.clone();
            // Only changes re-render the page: a render steals time from what is measured.
            let mut last = 0;
            Interval::new(200, move || {
                let done = recorder.tasks_done();
                if done != last {
                    last = done;
                    report.emit(RunEvent::Progress { run_number, done });
                }
            })
        };

        let rt = ThreadRuntime {
            per_task_timers: machine.browser_timers,
        };
        let run: LocalBoxFuture<'_, Result<(), String>> = match executor.placement(&workload) {
            Placement::Page { .. } => run_on_page(executor, &rt, &workload, &recorder, None)
                .unwrap_or_else(|| {
                    let error = format!("{} does not run on the page.", executor.id());
                    Box::pin(futures::future::ready(Err(error)))
                }),
            Placement::PageWithThreadPool => {
                Box::pin(threads::run_in_executor(&workload, &recorder, &machine))
            }
            Placement::PageWithProcessPool => Box::pin(process_executor::run_process_executor(
                &workload, &recorder, &machine,
            )),
            Placement::Pool { share } => {
                // A process runs one task at a time; with an event loop in each process, a
                // worker gathers its whole share at once.
                let per_worker = if share {
                    workload.task_count.div_ceil(machine.workers.max(1))
                } else {
                    1
                };
                Box::pin(pool::run_pool(
                    &workload,
                    &recorder,
                    (machine.workers, per_worker),
                    executor.spec().client,
                ))
            }
            Placement::Interpreter { one_thread } => Box::pin(threads::run_threads(
                &workload, &recorder, &machine, one_thread,
            )),
        };
        let (handle, registration) = AbortHandle::new_pair();
        *control.current.borrow_mut() = Some(handle);
        let outcome = Abortable::new(run, registration).await;
        let ended_ms = now_ms();
        control.current.borrow_mut().take();
        drop(progress);
        let (status, error) = match outcome {
            Ok(Ok(())) => (RunStatus::Finished, None),
            Ok(Err(error)) => (RunStatus::Failed, Some(error)),
            Err(_) => (RunStatus::Stopped, None),
        };
        // Let the heartbeat and the lag probe record a blocked stretch before results show;
        // not after Stop, which the page acknowledges at once (the click itself could only be
        // handled once the thread was free again).
        if status != RunStatus::Stopped {
            next_paint().await;
        }
        let mut trace = recorder.finish(ended_ms, status, error);
        trace.memory_bytes = Some(vitals::wasm_memory_bytes());
        report.emit(RunEvent::ExecutorEnded {
            run_number,
            trace: Rc::new(trace),
        });
        if status != RunStatus::Finished {
            break;
        }
    }
    // A stopped or failed run ended the interpreter: start it again for the next run.
    if let Some(machine) = threads_machine {
        threads::prewarm(&machine);
    }
}
