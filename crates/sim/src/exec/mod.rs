//! The executors' scheduling logic, generic over a [`Runtime`] so it runs on the page's real
//! event loop in the browser and on a virtual clock in native tests.

mod event_loop;
mod gil;
mod run_in_executor;
mod sequential;
mod slots;
mod threads;
#[cfg(any(test, feature = "virtual-time"))]
pub mod virtual_time;

use crate::cpu::CpuJob;
use crate::executors::{Client, ExecutorId, Placement};
use crate::trace::TraceRecorder;
use crate::workload::{Step, Workload};
use futures::future::{Either, FutureExt, LocalBoxFuture};
use std::future::Future;

pub use event_loop::run_event_loop;
pub use gil::{Gil, ThreadPool};
pub use run_in_executor::run_in_executor;
pub use sequential::run_sequential;
pub use slots::{Permit, Slots};
pub use threads::{run_call, run_call_on, run_threads, ThreadSettings};

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
    /// Runs `job` for about `budget_ms` (one slice of a switch interval), or to its end;
    /// returns whether it ended. `estimate_ms` is what the whole job takes (for a virtual
    /// clock).
    fn cpu_slice(&self, job: &mut CpuJob, estimate_ms: f64, budget_ms: f64) -> bool;
    /// Lets the thread's event loop run what is due (timers, answers), then resumes.
    type Yield: Future<Output = ()>;
    /// Yields to the event loop once.
    fn yield_now(&self) -> Self::Yield;
    /// An HTTP GET in flight; dropping it aborts the request.
    type Fetch: Future<Output = Result<Answer, String>>;
    /// Sends a GET of `url` (`delay_ms` lets a virtual network answer when the real server
    /// would). Fails with what went wrong, in plain words.
    fn fetch(&self, url: &str, delay_ms: f64) -> Self::Fetch;
    /// Whether every sleep arms its own browser timer (`timer=browser`) rather than an entry
    /// in the one timer wheel: then the event loop runs even sleep-only tasks as futures.
    fn per_task_timers(&self) -> bool {
        false
    }
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

/// Hands blocking calls to a thread pool (`loop.run_in_executor(None, f)`): the call runs on a
/// thread while its task waits on the event loop.
pub trait Offload {
    /// Runs `steps` of `task` (numbered from `first_step`) on one of the pool's threads,
    /// recording them in `recorder`; resolves when they ended. An error ends the run.
    fn call<'a>(
        &'a self,
        recorder: &'a TraceRecorder,
        task: u32,
        first_step: u16,
        steps: &'a [Step],
    ) -> LocalBoxFuture<'a, Result<(), String>>;
}

/// Runs task `task` of `workload` to its end on lane `lane`, making requests as `client`
/// does, recording each step.
pub async fn run_task<R: Runtime>(
    rt: &R,
    workload: &Workload,
    recorder: &TraceRecorder,
    (task, lane): (u32, u32),
    client: Client,
    slots: Option<&Slots>,
) {
    // Without a thread pool nothing can fail.
    let _ = run_task_with(rt, workload, recorder, (task, lane), (client, slots), None).await;
}

/// [`run_task`], handing each blocking step, and each call marked for it, to `offload`.
pub async fn run_task_with<R: Runtime>(
    rt: &R,
    workload: &Workload,
    recorder: &TraceRecorder,
    (task, lane): (u32, u32),
    (client, slots): (Client, Option<&Slots>),
    offload: Option<&dyn Offload>,
) -> Result<(), String> {
    recorder.task_started(rt.now_ms(), task, lane);
    let steps = &workload.steps;
    let mut index = 0;
    while index < steps.len() {
        let handed = offload.and_then(|offload| {
            let end = match &steps[index] {
                Step::Enter { offload: true, .. } => workload.call_end(index),
                Step::BlockingSleep { .. } | Step::Cpu { .. } => index,
                _ => return None,
            };
            Some((offload, end))
        });
        match handed {
            Some((offload, end)) => {
                offload
                    .call(recorder, task, index as u16, &steps[index..=end])
                    .await?;
                index = end + 1;
            }
            None => {
                run_step(
                    rt,
                    recorder,
                    (task, index as u16, lane),
                    &steps[index],
                    (client, slots),
                )
                .await;
                index += 1;
            }
        }
    }
    recorder.task_ended(rt.now_ms(), task, lane);
    Ok(())
}

/// Runs one step on the thread that holds it (the page's event loop, or a worker's).
async fn run_step<R: Runtime>(
    rt: &R,
    recorder: &TraceRecorder,
    (task, step_index, lane): (u32, u16, u32),
    step: &Step,
    client: (Client, Option<&Slots>),
) {
    match step {
        Step::Print(text) => recorder.printed(rt.now_ms(), task, text),
        Step::Enter { .. } => recorder.call_entered(rt.now_ms(), task, step_index, lane),
        Step::Exit => recorder.call_exited(rt.now_ms(), task, step_index, lane),
        Step::Sleep { ms } => {
            let start = rt.now_ms();
            recorder.step_started(start, task, step_index, lane);
            rt.sleep(*ms).await;
            // A sleep ends at its deadline; if the thread was busy then, the task was ready
            // from there until now.
            let now = rt.now_ms();
            recorder.woken(start + ms, now, task, step_index, lane);
            recorder.step_ended(now, task, step_index, lane);
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
        Step::Fetch { .. } => {
            fetch_step(rt, recorder, (task, step_index, lane), step, client).await;
        }
    }
}

/// Makes a request step's GETs (at once on an async client, through `slots` where given,
/// one after another on a blocking one) and records when the first went out, which failed
/// and when the last answer came.
pub(crate) async fn fetch_step<R: Runtime>(
    rt: &R,
    recorder: &TraceRecorder,
    (task, step_index, lane): (u32, u16, u32),
    step: &Step,
    (client, slots): (Client, Option<&Slots>),
) {
    let Step::Fetch {
        requests,
        url,
        delay_ms,
        timeout_ms,
    } = step
    else {
        return;
    };
    let started = rt.now_ms();
    recorder.step_started(started, task, step_index, lane);
    let one = || async {
        // The client's own limit: a request waits here for one of its connections.
        let _connection = match slots {
            Some(slots) => Some(slots.acquire().await),
            None => None,
        };
        timed_fetch(rt, url, *delay_ms, *timeout_ms).await
    };
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
    let answers = outcomes
        .iter()
        .filter_map(|(outcome, ended)| outcome.as_ref().ok().map(|answer| (answer, *ended)));
    // The first request on the wire: before it, the step waited for a connection.
    let on_the_wire = answers
        .clone()
        .filter_map(|(answer, ended)| answer.sent_ms.or(answer.held_ms.map(|held| ended - held)))
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

/// The run of `executor` where it runs on the page's own event loop ([`Placement::Page`], or
/// [`Placement::PageWithThreadPool`] and [`Placement::PageWithProcessPool`] given the threads
/// or the processes that take its blocking calls as `offload`); `None` where it needs
/// workers (the browser edge runs those).
pub fn run_on_page<'a, R: Runtime>(
    executor: ExecutorId,
    rt: &'a R,
    workload: &'a Workload,
    recorder: &'a TraceRecorder,
    offload: Option<&'a dyn Offload>,
) -> Option<LocalBoxFuture<'a, Result<(), String>>> {
    match executor.placement(workload) {
        Placement::Page { gather: false } => {
            Some(Box::pin(run_sequential(rt, workload, recorder).map(Ok)))
        }
        Placement::Page { gather: true } => {
            Some(Box::pin(run_event_loop(rt, workload, recorder).map(Ok)))
        }
        Placement::PageWithThreadPool | Placement::PageWithProcessPool => offload.map(|offload| {
            Box::pin(run_in_executor(rt, workload, recorder, offload))
                as LocalBoxFuture<'a, Result<(), String>>
        }),
        Placement::Pool { .. } | Placement::Interpreter { .. } => None,
    }
}
