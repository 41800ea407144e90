//! The executors' scheduling logic, generic over a [`Runtime`] so it runs on the page's real
//! event loop in the browser and on a virtual clock in native tests.

mod event_loop;
mod sequential;
#[cfg(test)]
pub(crate) mod virtual_time;

use crate::executors::ExecutorId;
use crate::trace::TraceRecorder;
use crate::workload::{Step, Workload};
use futures::future::{Either, LocalBoxFuture};
use std::future::Future;

pub use event_loop::run_event_loop;
pub use sequential::run_sequential;

/// What an executor needs from the thread it runs on.
pub trait Runtime {
    /// A non-blocking sleep.
    type Sleep: Future<Output = ()>;
    /// The clock, in ms.
    fn now_ms(&self) -> f64;
    /// Waits `ms` without holding the thread (`asyncio.sleep`).
    fn sleep(&self, ms: f64) -> Self::Sleep;
    /// Holds the thread for `ms` (`time.sleep` on the thread itself).
    fn block_for(&self, ms: f64);
    /// Runs the article's `is_prime(n)` on the thread (`estimate_ms` lets a virtual clock
    /// advance by what the real loop would take).
    fn cpu(&self, n: u64, estimate_ms: f64);
    /// An HTTP GET in flight; dropping it aborts the request.
    type Fetch: Future<Output = Result<Answer, String>>;
    /// Sends a GET of `url` (`delay_ms` lets a virtual network answer when the real server
    /// would). Fails with what went wrong, in plain words.
    fn fetch(&self, url: &str, delay_ms: f64) -> Self::Fetch;
}

/// What a request's answer says of its own timing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Answer {
    /// How long the server held the request (the latency endpoint says), ms; the rest of the
    /// request's time it waited for a connection.
    pub held_ms: Option<f64>,
    /// When the request went out on a connection, on the runtime's clock, where the browser
    /// says (its Resource Timing); more exact than deducing it from `held_ms`.
    pub sent_ms: Option<f64>,
    /// When the answer had fully arrived, on the runtime's clock, where the browser says: a
    /// task whose thread is busy resumes later than that.
    pub answered_ms: Option<f64>,
}

/// How a task makes its requests: all at once (`aiohttp` under `gather`), or one after
/// another (`requests.Session`, a blocking client).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Client {
    /// Concurrent requests.
    #[default]
    Async,
    /// One request at a time.
    Blocking,
}

/// Shorter waits for the thread after the last answer are the scheduler's own noise.
const READY_MIN_MS: f64 = 5.0;

/// One GET with its timeout: the outcome and when it ended.
async fn timed_fetch<R: Runtime>(
    rt: &R,
    url: &str,
    delay_ms: f64,
    timeout_ms: f64,
) -> (Result<Answer, String>, f64) {
    let fetch = rt.fetch(url, delay_ms);
    let timeout = rt.sleep(timeout_ms);
    futures::pin_mut!(fetch, timeout);
    let outcome = match futures::future::select(fetch, timeout).await {
        Either::Left((outcome, _)) => outcome,
        // Dropping the request aborts it.
        Either::Right(_) => Err(format!(
            "no answer within {} s (the timeout)",
            crate::format::seconds(timeout_ms)
        )),
    };
    (outcome, rt.now_ms())
}

/// Runs task `task` of `workload` to its end on lane `lane`, making requests as `client`
/// does, recording each step.
pub async fn run_task<R: Runtime>(
    rt: &R,
    workload: &Workload,
    recorder: &TraceRecorder,
    (task, lane): (u32, u32),
    client: Client,
) {
    recorder.task_started(rt.now_ms(), task, lane);
    for (index, step) in workload.steps.iter().enumerate() {
        let step_index = index as u16;
        match step {
            Step::Print(text) => recorder.printed(rt.now_ms(), task, text),
            Step::Sleep { ms } => {
                recorder.step_started(rt.now_ms(), task, step_index, lane);
                rt.sleep(*ms).await;
                recorder.step_ended(rt.now_ms(), task, step_index, lane);
            }
            Step::BlockingSleep { ms } => {
                recorder.step_started(rt.now_ms(), task, step_index, lane);
                rt.block_for(*ms);
                recorder.step_ended(rt.now_ms(), task, step_index, lane);
            }
            Step::Cpu { n, estimate_ms } => {
                recorder.step_started(rt.now_ms(), task, step_index, lane);
                rt.cpu(*n, *estimate_ms);
                recorder.step_ended(rt.now_ms(), task, step_index, lane);
            }
            Step::Fetch {
                requests,
                url,
                delay_ms,
                timeout_ms,
            } => {
                let started = rt.now_ms();
                recorder.step_started(started, task, step_index, lane);
                let one = || timed_fetch(rt, url, *delay_ms, *timeout_ms);
                let outcomes = match client {
                    Client::Async => futures::future::join_all((0..*requests).map(|_| one())).await,
                    Client::Blocking => {
                        let mut outcomes = Vec::with_capacity(*requests as usize);
                        for _ in 0..*requests {
                            outcomes.push(one().await);
                        }
                        outcomes
                    }
                };
                let answers = outcomes.iter().filter_map(|(outcome, ended)| {
                    outcome.as_ref().ok().map(|answer| (answer, *ended))
                });
                // The first request on the wire: before it, the step waited for a connection.
                let on_the_wire = answers
                    .clone()
                    .filter_map(|(answer, ended)| {
                        answer.sent_ms.or(answer.held_ms.map(|held| ended - held))
                    })
                    .fold(f64::INFINITY, f64::min)
                    .max(started);
                if on_the_wire.is_finite() {
                    recorder.request_sent(on_the_wire, task, step_index, lane);
                }
                for (outcome, ended) in &outcomes {
                    if let Err(why) = outcome {
                        recorder.request_failed(*ended, task, step_index, lane);
                        recorder.printed(*ended, task, &format!("request failed: {why}"));
                    }
                }
                // The last answer in: after it, the task only waited for its thread.
                let answered = answers
                    .filter_map(|(answer, _)| answer.answered_ms)
                    .fold(f64::NEG_INFINITY, f64::max);
                let ended = rt.now_ms();
                if answered.is_finite() && ended - answered >= READY_MIN_MS {
                    let answered = answered.max(on_the_wire.min(ended)).max(started);
                    recorder.request_answered(answered, task, step_index, lane);
                }
                recorder.step_ended(ended, task, step_index, lane);
            }
        }
    }
    recorder.task_ended(rt.now_ms(), task, lane);
}

/// The run of `executor` when it runs on the page's own thread; `None` for executors that
/// need workers (the browser edge runs those).
pub fn run_on_page<'a, R: Runtime>(
    executor: ExecutorId,
    rt: &'a R,
    workload: &'a Workload,
    recorder: &'a TraceRecorder,
) -> Option<LocalBoxFuture<'a, ()>> {
    match executor {
        ExecutorId::Sequential => Some(Box::pin(run_sequential(rt, workload, recorder))),
        ExecutorId::EventLoop => Some(Box::pin(run_event_loop(rt, workload, recorder))),
        _ => None,
    }
}
