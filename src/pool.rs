//! `pool`: `multiprocessing.Pool` as Web Workers, each its own wasm instance and memory.
//!
//! Like a process, a worker runs one task at a time: the pool sends a worker its next task
//! only when the current one is done. The pool stays warm between runs; Stop (or a crash)
//! terminates every worker and the next run starts new ones.

use crate::clock::{now_ms, time_origin_ms};
use futures::channel::mpsc::{unbounded, UnboundedSender};
use futures::StreamExt;
use playground_core::exec::Client;
use playground_core::trace::TraceRecorder;
use playground_core::worker_protocol::{FromWorker, ToWorker};
use playground_core::workload::Workload;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker, WorkerOptions, WorkerType};

/// Where the worker script is, relative to the page: a sub-path deploy keeps working.
const WORKER_SCRIPT: &str = "./pool-worker.js";

/// What a worker's handlers pass to the run that is going.
enum PoolEvent {
    Message { lane: u32, message: FromWorker },
    Crashed { lane: u32, message: String },
}

type EventSink = Rc<RefCell<Option<UnboundedSender<PoolEvent>>>>;

struct Slot {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

struct Pool {
    slots: Vec<Slot>,
    sink: EventSink,
}

thread_local! {
    static POOL: RefCell<Option<Pool>> = const { RefCell::new(None) };
}

/// How many workers are alive (a warm pool keeps its workers between runs).
pub fn alive_workers() -> usize {
    POOL.with(|p| p.borrow().as_ref().map_or(0, |pool| pool.slots.len()))
}

/// Terminates every worker; the next run starts new ones.
pub fn discard() {
    let pool = POOL.with(|p| p.borrow_mut().take());
    drop(pool);
}

fn spawn(lane: u32, sink: &EventSink) -> Result<Slot, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(WORKER_SCRIPT, &options)
        .map_err(|e| format!("the browser refused to start worker {lane}: {e:?}"))?;
    let on_message = {
        let sink = sink.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let event = match crate::wire::from_worker(&event.data()) {
                Ok(message) => PoolEvent::Message { lane, message },
                Err(e) => PoolEvent::Crashed {
                    lane,
                    message: format!("it sent a message the page does not understand ({e})"),
                },
            };
            if let Some(tx) = sink.borrow().as_ref() {
                let _ = tx.unbounded_send(event);
            }
        })
    };
    let on_error = {
        let sink = sink.clone();
        Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            // Handled here and shown on the page: keep it off the console as an uncaught error.
            event.prevent_default();
            // A crash comes as an ErrorEvent with a message; a script that fails to load as a
            // bare Event.
            let message = event
                .dyn_ref::<ErrorEvent>()
                .map(|e| e.message())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "its script failed to load, or it crashed".to_string());
            if let Some(tx) = sink.borrow().as_ref() {
                let _ = tx.unbounded_send(PoolEvent::Crashed { lane, message });
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Slot {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn send(slot: &Slot, message: &ToWorker) -> Result<(), String> {
    let value = crate::wire::to_worker(message)?;
    slot.worker
        .post_message(&value)
        .map_err(|e| format!("the page could not send a task: {e:?}"))
}

/// Discards the pool unless the run completed: a stopped or failed run leaves no worker busy.
struct RunGuard {
    completed: bool,
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        POOL.with(|p| {
            if let Some(pool) = p.borrow().as_ref() {
                pool.sink.borrow_mut().take();
            }
        });
        if !self.completed {
            discard();
        }
    }
}

/// Runs `workload` on a pool of `size` workers, `per_worker` tasks at a time on each (1: a
/// process per task, as `Pool.map` does; more: an event loop in each process), making
/// requests as `client` does.
pub async fn run_pool(
    workload: &Workload,
    recorder: &TraceRecorder,
    (size, per_worker): (u32, u32),
    client: Client,
) -> Result<(), String> {
    let mut guard = RunGuard { completed: false };
    let (tx, mut rx) = unbounded();
    let size = size.max(1);
    let warm = POOL.with(|p| {
        p.borrow()
            .as_ref()
            .is_some_and(|pool| pool.slots.len() == size as usize)
    });
    if !warm {
        discard();
        let sink: EventSink = Rc::new(RefCell::new(Some(tx.clone())));
        let spawned_at = now_ms();
        let slots = (1..=size)
            .map(|lane| spawn(lane, &sink))
            .collect::<Result<Vec<_>, _>>()?;
        POOL.with(|p| *p.borrow_mut() = Some(Pool { slots, sink }));
        let mut ready = 0;
        while ready < size {
            match rx.next().await {
                Some(PoolEvent::Message {
                    lane,
                    message: FromWorker::Ready { at_epoch_ms },
                }) => {
                    ready += 1;
                    recorder.lane_started(lane, spawned_at, at_epoch_ms - time_origin_ms());
                }
                Some(PoolEvent::Crashed { lane, message }) => {
                    return Err(format!("Worker {lane} did not start: {message}."));
                }
                Some(_) => {}
                None => return Err("The pool's workers went away while starting.".into()),
            }
        }
    } else {
        POOL.with(|p| {
            if let Some(pool) = p.borrow().as_ref() {
                *pool.sink.borrow_mut() = Some(tx.clone());
            }
        });
    }
    drop(tx);

    let total = workload.task_count;
    let mut next = 0u32;
    let mut done = 0u32;
    let mut in_flight = vec![Vec::<u32>::new(); size as usize];
    let dispatch =
        |lane: u32, next: &mut u32, in_flight: &mut Vec<Vec<u32>>| -> Result<(), String> {
            let slot_index = (lane - 1) as usize;
            let free = per_worker.saturating_sub(in_flight[slot_index].len() as u32);
            let count = free.min(total - *next);
            if count == 0 {
                return Ok(());
            }
            let tasks: Vec<u32> = (*next..*next + count).collect();
            *next += count;
            let now = now_ms();
            for task in &tasks {
                recorder.task_started(now, *task, lane);
            }
            in_flight[slot_index].extend(&tasks);
            POOL.with(|p| match p.borrow().as_ref() {
                Some(pool) => send(
                    &pool.slots[slot_index],
                    &ToWorker::RunTasks {
                        tasks,
                        steps: workload.steps.clone(),
                        client,
                    },
                ),
                None => Err("the pool was discarded during the run".into()),
            })
        };
    for lane in 1..=size {
        dispatch(lane, &mut next, &mut in_flight)?;
    }
    let page_origin = time_origin_ms();
    while done < total {
        match rx.next().await {
            Some(PoolEvent::Message {
                lane,
                message:
                    FromWorker::TaskDone {
                        task,
                        events,
                        output,
                    },
            }) => {
                recorder.merge_task(&events, &output, -page_origin, lane);
                in_flight[(lane - 1) as usize].retain(|t| *t != task);
                done += 1;
                dispatch(lane, &mut next, &mut in_flight)?;
            }
            Some(PoolEvent::Message {
                lane,
                message: FromWorker::Refused { message },
            })
            | Some(PoolEvent::Crashed { lane, message }) => {
                let tasks: Vec<String> = in_flight[(lane - 1) as usize]
                    .iter()
                    .map(|t| (t + 1).to_string())
                    .collect();
                return Err(format!(
                    "Worker {lane} failed while running task {}: {message}.",
                    tasks.join(", ")
                ));
            }
            Some(PoolEvent::Message { .. }) => {}
            None => return Err("The pool's workers went away during the run.".into()),
        }
    }
    guard.completed = true;
    Ok(())
}
