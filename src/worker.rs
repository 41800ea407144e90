//! Inside a pool worker: receives tasks from the page, runs them on the worker's own event
//! loop with the same executor logic as the page, and sends back each task's record.

use crate::clock::time_origin_ms;
use crate::runtime::ThreadRuntime;
use gloo_timers::callback::Interval;
use page::effect::{FilesReply, FilesRequest};
use sim::exec::{run_call, run_task, run_threads, Gil, ThreadPool, ThreadSettings};
use sim::executors::Client;
use sim::executors::ExecutorId;
use sim::trace::{RunStatus, TraceRecorder};
use sim::worker_protocol::{FromWorker, ToWorker};
use sim::workload::{Step, Workload};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &FromWorker) {
    if let Ok(value) = crate::workers::message_value(message) {
        let _ = scope().post_message(&value);
    }
}

/// Starts listening; called once by the worker binary.
pub fn start() {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let message = crate::workers::read_message::<ToWorker>(&event.data());
        // A chunk of `Pool.map` runs its tasks in turn; `RunTasks` gathers them.
        let in_turn = matches!(message, Ok(ToWorker::RunChunk { .. }));
        match message {
            Ok(
                ToWorker::RunTasks {
                    tasks,
                    steps,
                    client,
                }
                | ToWorker::RunChunk {
                    tasks,
                    steps,
                    client,
                },
            ) => queue_tasks(Queued {
                tasks,
                steps,
                client,
                in_turn,
            }),
            Ok(ToWorker::RunThreads {
                tasks,
                steps,
                settings,
                lane,
            }) => {
                wasm_bindgen_futures::spawn_local(run_threads_here(tasks, steps, settings, lane));
            }
            Ok(ToWorker::RunCall {
                call,
                task,
                first_step,
                steps,
                threads,
                switch_ms,
            }) => {
                let pool = executor_threads(threads);
                wasm_bindgen_futures::spawn_local(async move {
                    let recorder = TraceRecorder::new(
                        ExecutorId::RunInExecutor,
                        1,
                        Vec::new(),
                        -time_origin_ms(),
                    );
                    run_call(
                        &ThreadRuntime::default(),
                        (&pool.0, &pool.1),
                        switch_ms,
                        &recorder,
                        (task, first_step),
                        &steps,
                    )
                    .await;
                    let (events, output) = recorder.drain();
                    post(&FromWorker::CallDone {
                        call,
                        events,
                        output,
                    });
                });
            }
            Err(e) => post(&FromWorker::Refused {
                message: format!("the worker did not understand the page's message: {e}"),
            }),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker itself.
    on_message.forget();
    // Warm the CPU loop up before saying ready, as the page did on load: see `calibrate`.
    crate::clock::calibrate();
    post(&FromWorker::Ready {
        at_epoch_ms: time_origin_ms() + crate::clock::now_ms(),
    });
}

/// Starts the files worker (its own binary): it says it is ready, then answers the page's
/// file requests (see `crate::files`).
pub fn start_files() {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        // Anything but a request is not answered.
        if let Ok((request, beside)) = crate::files::read_files_message(&event.data()) {
            file_request(request, beside);
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker itself.
    on_message.forget();
    reply_files(FilesReply::Ready, &wasm_bindgen::JsValue::NULL);
}

fn reply_files(reply: FilesReply, beside: &wasm_bindgen::JsValue) {
    if let Ok(message) = crate::files::files_message(&reply, beside) {
        let _ = scope().post_message(&message);
    }
}

/// A file request: `Export` is answered with a Blob of the JSON, the CSV or the Trace Event
/// JSON of the runs packed beside it; `Import` with the runs of the file beside it (a `File`,
/// or a path), checked and packed. Either may be refused, with why in words that follow
/// "The file <name> ".
fn file_request(request: FilesRequest, beside: wasm_bindgen::JsValue) {
    use js_sys::Uint8Array;
    use page::effect::FileFormat;
    use page::export::{self, pack};
    let reply = |answer: Result<wasm_bindgen::JsValue, String>| match answer {
        Ok(done) => reply_files(FilesReply::Done, &done),
        Err(why) => reply_files(FilesReply::Refused(why), &wasm_bindgen::JsValue::NULL),
    };
    let format = match request {
        FilesRequest::Import => {
            wasm_bindgen_futures::spawn_local(async move {
                let runs = read_import(beside).await.and_then(|text| {
                    let packed = export::load_packed(&text).map_err(|e| e.to_string())?;
                    Ok(Uint8Array::from(&packed[..]).into())
                });
                reply(runs);
            });
            return;
        }
        FilesRequest::Export(format) => format,
    };
    let runs = beside
        .dyn_into::<Uint8Array>()
        .ok()
        .and_then(|bytes| pack::unpack(&bytes.to_vec()));
    reply(match runs {
        None => Err("could not be written: the page's runs came garbled".into()),
        Some(runs) => {
            let items = runs.item_refs();
            let (text, kind) = match format {
                FileFormat::Csv => (export::csv(&items), "text/csv"),
                FileFormat::Trace => (export::chrome_trace(&items), "application/json"),
                FileFormat::Json => (
                    export::to_json(&export::export(
                        runs.lab.id,
                        &runs.params,
                        runs.machine.clone(),
                        &runs.app_version,
                        &items,
                    )),
                    "application/json",
                ),
            };
            text_blob(&text, kind)
                .ok_or_else(|| "could not be written: the browser would not hold it".into())
        }
    });
}

/// The text of a file to import: a chosen `File` (its size checked before it is read), or a
/// path on the page's own site, fetched (refused if it ends up on another site).
async fn read_import(source: wasm_bindgen::JsValue) -> Result<String, String> {
    use page::export::{ImportError, MAX_BYTES};
    use wasm_bindgen_futures::JsFuture;
    let unreadable = |why: &str| format!("could not be read: {why}");
    let blob: web_sys::Blob = match source.as_string() {
        Some(path) => {
            // Same-origin mode: the browser refuses another site's address, or a redirect to
            // one, so nothing from another site is read.
            let init = web_sys::RequestInit::new();
            init.set_mode(web_sys::RequestMode::SameOrigin);
            let answer = JsFuture::from(scope().fetch_with_str_and_init(&path, &init))
                .await
                .map_err(|_| unreadable("this site did not answer with it"))?;
            let response: web_sys::Response = answer.unchecked_into();
            let here = scope().location().origin();
            if !response.url().starts_with(&format!("{here}/")) {
                return Err("is not on this site".into());
            }
            if !response.ok() {
                return Err(unreadable(&format!(
                    "the site answered {} {}",
                    response.status(),
                    response.status_text()
                )));
            }
            // A size the answer states is checked before its body is read.
            let stated = response
                .headers()
                .get("content-length")
                .ok()
                .flatten()
                .and_then(|n| n.parse::<usize>().ok());
            if let Some(size) = stated.filter(|size| *size > MAX_BYTES) {
                return Err(ImportError::TooLarge(size).to_string());
            }
            let blob = JsFuture::from(response.blob().map_err(|_| unreadable("no body"))?)
                .await
                .map_err(|_| unreadable("its download broke off"))?;
            blob.unchecked_into()
        }
        None => source
            .dyn_into()
            .map_err(|_| unreadable("it is not a file"))?,
    };
    let size = blob.size() as usize;
    if size > MAX_BYTES {
        return Err(ImportError::TooLarge(size).to_string());
    }
    let text = JsFuture::from(blob.text())
        .await
        .map_err(|_| unreadable("the browser would not read it"))?;
    Ok(text.as_string().unwrap_or_default())
}

/// `text` as a Blob of type `mime`.
fn text_blob(text: &str, mime: &str) -> Option<wasm_bindgen::JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&text.into());
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .ok()
        .map(Into::into)
}

/// A `RunTasks` or `RunChunk` message: its tasks, their steps, their client, and whether they
/// run one after another (a chunk of `Pool.map`) or gathered.
struct Queued {
    tasks: Vec<u32>,
    steps: Vec<Step>,
    client: Client,
    in_turn: bool,
}

thread_local! {
    /// The messages waiting for the one before them to end, and whether one runs.
    static QUEUED: RefCell<(VecDeque<Queued>, bool)> =
        const { RefCell::new((VecDeque::new(), false)) };
}

/// Runs each `RunTasks` or `RunChunk` message after the one before it, as a process takes its
/// next chunk when it is done with the last: the page may send the next one early (so the
/// process never waits for it), and it still runs one message at a time.
fn queue_tasks(message: Queued) {
    let start = QUEUED.with(|q| {
        let mut q = q.borrow_mut();
        q.0.push_back(message);
        !std::mem::replace(&mut q.1, true)
    });
    if !start {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        while let Some(next) = QUEUED.with(|q| {
            let mut q = q.borrow_mut();
            let next = q.0.pop_front();
            q.1 = next.is_some();
            next
        }) {
            if next.in_turn {
                run_chunk(next).await;
            } else {
                run_tasks(next.tasks, next.steps, next.client).await;
            }
        }
    });
}

/// Runs a chunk's tasks one after another; reports them together when the last ends.
async fn run_chunk(chunk: Queued) {
    let workload = Workload {
        task_count: chunk.tasks.len() as u32,
        steps: chunk.steps,
        per_host_limit: None,
        synchronous_sequential: false,
    };
    // Starting the recorder at minus the time origin records epoch times.
    let recorder = TraceRecorder::new(
        ExecutorId::Pool,
        workload.task_count,
        workload.step_kinds(),
        -time_origin_ms(),
    );
    let session = sim::exec::Slots::new(sim::model::AIOHTTP_LIMIT);
    let slots = (chunk.client == Client::Async).then_some(&session);
    for task in &chunk.tasks {
        run_task(
            &ThreadRuntime::default(),
            &workload,
            &recorder,
            (*task, 0),
            chunk.client,
            slots,
        )
        .await;
    }
    let trace = recorder.finish(0.0, RunStatus::Finished, None);
    post(&FromWorker::ChunkDone {
        tasks: chunk.tasks,
        events: trace.events,
        output: trace.output,
    });
}

/// Runs `tasks` concurrently on this worker's event loop; reports each as it ends.
async fn run_tasks(tasks: Vec<u32>, steps: Vec<Step>, client: Client) {
    let workload = Workload {
        task_count: 1,
        steps,
        per_host_limit: None,
        synchronous_sequential: false,
    };
    let kinds = workload.step_kinds();
    // An event loop in a worker (a pool of event loops) has its own aiohttp session.
    let session = sim::exec::Slots::new(sim::model::AIOHTTP_LIMIT);
    let session = &session;
    let runs = tasks.into_iter().map(|task| {
        let workload = &workload;
        let kinds = kinds.clone();
        async move {
            // Starting the recorder at minus the time origin records epoch times, which the
            // page can put on its own axis.
            let recorder = TraceRecorder::new(ExecutorId::Pool, 1, kinds, -time_origin_ms());
            let slots = (client == Client::Async).then_some(session);
            run_task(
                &ThreadRuntime::default(),
                workload,
                &recorder,
                (task, 0),
                client,
                slots,
            )
            .await;
            let trace = recorder.finish(0.0, RunStatus::Finished, None);
            post(&FromWorker::TaskDone {
                task,
                events: trace.events,
                output: trace.output,
            });
        }
    });
    futures::future::join_all(runs).await;
}

/// Runs `tasks` as threads of this worker's interpreter under one GIL; sends what they record
/// every 100 ms, and the rest when the last thread ends.
async fn run_threads_here(tasks: Vec<u32>, steps: Vec<Step>, settings: ThreadSettings, lane: u32) {
    let workload = Workload {
        task_count: tasks.len() as u32,
        steps,
        per_host_limit: None,
        synchronous_sequential: false,
    };
    // Starting the recorder at minus the time origin records epoch times.
    let recorder = Rc::new(TraceRecorder::new(
        ExecutorId::Threads,
        workload.task_count,
        Vec::new(),
        -time_origin_ms(),
    ));
    let flush = |recorder: &TraceRecorder| {
        let (events, output) = recorder.drain();
        if !events.is_empty() || !output.is_empty() {
            post(&FromWorker::Recorded { events, output });
        }
    };
    let _batches = {
        let recorder = recorder.clone();
        Interval::new(100, move || flush(&recorder))
    };
    let gil = Gil::new();
    run_threads(
        &ThreadRuntime::default(),
        &workload,
        &recorder,
        (&tasks, lane),
        settings,
        &gil,
    )
    .await;
    flush(&recorder);
}

thread_local! {
    /// The interpreter's `ThreadPoolExecutor` and its GIL, kept for the calls of a run.
    static EXECUTOR: RefCell<Option<Rc<(Gil, ThreadPool)>>> = const { RefCell::new(None) };
}

/// The executor's threads, `threads` of them.
fn executor_threads(threads: u32) -> Rc<(Gil, ThreadPool)> {
    EXECUTOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        match cell.as_ref() {
            Some(pool) if pool.1.size() == threads => pool.clone(),
            _ => {
                let pool = Rc::new((Gil::new(), ThreadPool::new(threads)));
                *cell = Some(pool.clone());
                pool
            }
        }
    })
}
