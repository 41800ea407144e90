//! Groups of Web Workers, each its own wasm instance and memory, kept warm between runs: the
//! pool's processes, and the interpreter workers that run threads.
//!
//! A group's workers stay alive after a run that completed; Stop, a crash or a failed start
//! terminates them, and the next run starts new ones (its start-up shown apart).

use crate::clock::{now_ms, time_origin_ms};
use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::StreamExt;
use sim::trace::TraceRecorder;
use sim::worker_protocol::{FromWorker, ToWorker};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker, WorkerOptions, WorkerType};

/// Where the worker script is, relative to the page: a sub-path deploy keeps working.
const WORKER_SCRIPT: &str = "./pool-worker.js";

/// Which set of workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// `multiprocessing.Pool`'s processes.
    Pool,
    /// CPython interpreters running threads: one under the GIL, one per core free-threaded.
    Interpreter,
}

impl Group {
    fn index(self) -> usize {
        match self {
            Group::Pool => 0,
            Group::Interpreter => 1,
        }
    }
}

/// What a worker's handlers pass to the run that is going.
pub enum WorkerEvent {
    /// Worker `lane` (1-based) sent `message`.
    Message { lane: u32, message: FromWorker },
    /// Worker `lane` crashed, failed to load, or sent what the page cannot read.
    Crashed { lane: u32, message: String },
}

type EventSink = Rc<RefCell<Option<UnboundedSender<WorkerEvent>>>>;

struct Slot {
    worker: Worker,
    /// When the page spawned it, on the page's clock.
    spawned_at: f64,
    /// When it said it was ready, in epoch ms.
    ready_at: Rc<Cell<Option<f64>>>,
    /// Set when it failed while no run listened (a prewarm): the next run starts it again.
    failed: Rc<Cell<bool>>,
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

#[derive(Default)]
struct Workers {
    slots: Vec<Slot>,
    sink: EventSink,
    /// Told how many workers are alive whenever that changes.
    watcher: Option<Rc<dyn Fn(u32)>>,
}

thread_local! {
    static GROUPS: RefCell<[Workers; 2]> = RefCell::default();
}

/// Runs `f` on `group`, then tells the group's watcher (outside the borrow: it may dispatch a
/// page action) if the number of live workers changed.
fn with<T>(group: Group, f: impl FnOnce(&mut Workers) -> T) -> T {
    let (result, changed) = GROUPS.with(|groups| {
        let workers = &mut groups.borrow_mut()[group.index()];
        let before = workers.slots.len();
        let result = f(workers);
        let after = workers.slots.len();
        let watcher = (after != before).then(|| workers.watcher.clone()).flatten();
        (result, watcher.map(|w| (w, after as u32)))
    });
    if let Some((watcher, alive)) = changed {
        watcher(alive);
    }
    result
}

/// How many workers of `group` are alive.
pub fn alive(group: Group) -> usize {
    with(group, |w| w.slots.len())
}

/// Calls `watcher` with the number of live workers of `group` now and whenever it changes.
pub fn watch(group: Group, watcher: impl Fn(u32) + 'static) {
    let watcher: Rc<dyn Fn(u32)> = Rc::new(watcher);
    let alive = with(group, |w| {
        w.watcher = Some(watcher.clone());
        w.slots.len() as u32
    });
    watcher(alive);
}

/// Terminates every worker of `group`; its next run starts new ones.
pub fn discard(group: Group) {
    let slots = with(group, |w| std::mem::take(&mut w.slots));
    drop(slots);
}

fn spawn(lane: u32, sink: &EventSink) -> Result<Slot, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(WORKER_SCRIPT, &options)
        .map_err(|e| format!("the browser refused to start worker {lane}: {e:?}"))?;
    let ready_at = Rc::new(Cell::new(None));
    let failed = Rc::new(Cell::new(false));
    let on_message = {
        let (sink, ready_at) = (sink.clone(), ready_at.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let event = match read_message::<FromWorker>(&event.data()) {
                Ok(message) => {
                    if let FromWorker::Ready { at_epoch_ms } = message {
                        ready_at.set(Some(at_epoch_ms));
                    }
                    WorkerEvent::Message { lane, message }
                }
                Err(e) => WorkerEvent::Crashed {
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
        let (sink, failed) = (sink.clone(), failed.clone());
        Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            failed.set(true);
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
                let _ = tx.unbounded_send(WorkerEvent::Crashed { lane, message });
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Slot {
        worker,
        spawned_at: now_ms(),
        ready_at,
        failed,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Keeps exactly `size` workers in `group`: the extra ones end, the missing ones start, and so
/// do the ones that failed while no run listened.
fn resize(group: Group, size: u32) -> Result<(), String> {
    with(group, |w| {
        if let Some(first_failed) = w.slots.iter().position(|s| s.failed.get()) {
            // Lanes are positions: the failed worker and those after it start again.
            w.slots.truncate(first_failed);
        }
        w.slots.truncate(size as usize);
        for lane in w.slots.len() as u32 + 1..=size {
            let slot = spawn(lane, &w.sink)?;
            w.slots.push(slot);
        }
        Ok(())
    })
}

/// Starts `size` workers of `group` in the background, so that its first run finds them warm.
pub fn prewarm(group: Group, size: u32) {
    if alive(group) < size as usize {
        // A failure to start shows when a run needs the workers.
        let _ = resize(group, size);
    }
}

/// While a run uses a group: detaches the run's events when it ends, and terminates the
/// workers unless the run completed (a stopped or failed run leaves no worker busy).
pub struct RunGuard {
    group: Group,
    /// Set when the run completed: its workers stay warm.
    pub completed: bool,
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        with(self.group, |w| w.sink.borrow_mut().take());
        if !self.completed {
            discard(self.group);
        }
    }
}

/// Makes `group` exactly `size` workers, all ready, and hands the run their events. Workers
/// that were not ready yet (just spawned, or still starting from a prewarm) have their
/// start-up recorded in `recorder` as lanes apart.
pub async fn ready(
    group: Group,
    size: u32,
    recorder: &TraceRecorder,
) -> Result<(UnboundedReceiver<WorkerEvent>, RunGuard), String> {
    let guard = RunGuard {
        group,
        completed: false,
    };
    let (tx, mut rx) = unbounded();
    let size = size.max(1);
    let cold: Vec<bool> = {
        resize(group, size)?;
        with(group, |w| {
            *w.sink.borrow_mut() = Some(tx);
            w.slots.iter().map(|s| s.ready_at.get().is_none()).collect()
        })
    };
    let all_ready = || {
        with(group, |w| {
            w.slots.iter().all(|s| s.ready_at.get().is_some())
        })
    };
    while !all_ready() {
        match rx.next().await {
            Some(WorkerEvent::Crashed { lane, message }) => {
                return Err(format!("Worker {lane} did not start: {message}."));
            }
            Some(WorkerEvent::Message { .. }) => {}
            None => return Err("The workers went away while starting.".into()),
        }
    }
    with(group, |w| {
        for (index, slot) in w.slots.iter().enumerate() {
            if let (true, Some(ready_at)) = (cold[index], slot.ready_at.get()) {
                recorder.lane_started(
                    index as u32 + 1,
                    slot.spawned_at,
                    ready_at - time_origin_ms(),
                );
            }
        }
    });
    Ok((rx, guard))
}

/// A message to or from a pool worker as the value posted: its bytes
/// (`sim::worker_protocol::encode`) in a `Uint8Array`.
pub fn message_value(message: &impl serde::Serialize) -> Result<wasm_bindgen::JsValue, String> {
    let bytes = sim::worker_protocol::encode(message)?;
    Ok(js_sys::Uint8Array::from(&bytes[..]).into())
}

/// A message to or from a pool worker read from the value posted; why not, in words.
pub fn read_message<T: serde::de::DeserializeOwned>(
    value: &wasm_bindgen::JsValue,
) -> Result<T, String> {
    let bytes = value
        .dyn_ref::<js_sys::Uint8Array>()
        .ok_or("the message is not bytes")?
        .to_vec();
    sim::worker_protocol::decode(&bytes)
}

/// Sends `message` to worker `lane` (1-based) of `group`, in the workers' one encoding
/// (`sim::worker_protocol::encode`).
pub fn send(group: Group, lane: u32, message: &ToWorker) -> Result<(), String> {
    let value = message_value(message)?;
    with(group, |w| {
        match w.slots.get((lane as usize).wrapping_sub(1)) {
            Some(slot) => slot
                .worker
                .post_message(&value)
                .map_err(|e| format!("the page could not send a task: {e:?}")),
            None => Err("the workers were discarded during the run".into()),
        }
    })
}
