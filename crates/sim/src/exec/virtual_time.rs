//! A virtual-time runtime for native tests: sleeps complete by advancing a fake clock, CPU
//! work advances it by its estimate, and workers are lanes of the same clock.

use super::ThreadPool;
use super::ThreadSettings;
use super::{run_call, run_call_on, run_on_page, run_threads, Answer, Gil, Offload, Runtime};
use crate::cpu::CpuJob;
use crate::executors::{ExecutorId, Placement};
use crate::model::thread_pool_size;
use crate::model::Machine;
use crate::timers::{DeadlineQueue, Sleep, TimerHost};
use crate::trace::{RunStatus, Trace, TraceRecorder};
use crate::workload::{Step, Workload};
use futures::future::LocalBoxFuture;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

#[derive(Clone, Default)]
pub struct VirtualClock {
    now: Rc<Cell<f64>>,
    queue: Rc<RefCell<DeadlineQueue<Waker>>>,
    /// When each connection to the host is free again; empty: no limit.
    connections: Rc<RefCell<Vec<f64>>>,
    /// How many times a run yielded to the event loop.
    pub yields: Rc<Cell<u32>>,
}

/// The URL a virtual network refuses, to test failures.
pub const REFUSED_URL: &str = "http://refused.invalid/";

impl TimerHost for VirtualClock {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn with_queue<T>(&self, f: impl FnOnce(&mut DeadlineQueue<Waker>) -> T) -> T {
        f(&mut self.queue.borrow_mut())
    }
    fn queue_changed(&self) {}
}

/// Pending once, then ready: the event loop runs whatever is due in between.
pub struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl Runtime for VirtualClock {
    type Sleep = Sleep<VirtualClock>;
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn sleep(&self, ms: f64) -> Self::Sleep {
        Sleep::new(self.clone(), ms)
    }
    fn block_for(&self, ms: f64) {
        self.now.set(self.now.get() + ms);
    }
    fn cpu(&self, _n: u64, estimate_ms: f64) {
        self.block_for(estimate_ms);
    }
    fn cpu_slice(&self, job: &mut CpuJob, estimate_ms: f64, budget_ms: f64) -> bool {
        let (ms, done) = virtual_slice(job, estimate_ms, budget_ms);
        self.block_for(ms);
        done
    }
    type Yield = YieldOnce;
    fn yield_now(&self) -> YieldOnce {
        self.yields.set(self.yields.get() + 1);
        YieldOnce(false)
    }
    type Fetch = LocalBoxFuture<'static, Result<Answer, String>>;
    fn fetch(&self, url: &str, delay_ms: f64) -> Self::Fetch {
        if url == REFUSED_URL {
            let refused = self.sleep(1.0);
            return Box::pin(async move {
                refused.await;
                Err("the connection was refused".to_string())
            });
        }
        // Each request takes the connection that is free first, as a browser queues them.
        let now = self.now.get();
        let start = {
            let mut connections = self.connections.borrow_mut();
            match connections.iter_mut().min_by(|a, b| a.total_cmp(b)) {
                Some(free_at) => {
                    let start = free_at.max(now);
                    *free_at = start + delay_ms;
                    start
                }
                None => now,
            }
        };
        let answered = self.sleep(start + delay_ms - now);
        Box::pin(async move {
            answered.await;
            Ok(Answer {
                held_ms: Some(delay_ms),
                sent_ms: Some(start),
                answered_ms: Some(start + delay_ms),
            })
        })
    }
}

/// The interpreter's thread pool on the same virtual clock.
struct VirtualThreadPool<'a> {
    clock: &'a VirtualClock,
    gil: Gil,
    pool: ThreadPool,
    switch_ms: f64,
}

impl Offload for VirtualThreadPool<'_> {
    fn call<'a>(
        &'a self,
        recorder: &'a TraceRecorder,
        task: u32,
        first_step: u16,
        steps: &'a [Step],
    ) -> LocalBoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            run_call(
                self.clock,
                (&self.gil, &self.pool),
                self.switch_ms,
                recorder,
                (task, first_step),
                steps,
            )
            .await;
            Ok(())
        })
    }
}

/// A pool of processes on the same virtual clock (`ProcessPoolExecutor`): each takes one call
/// at a time, under a GIL of its own, so their CPU work runs in parallel.
struct VirtualProcessPool<'a> {
    clock: &'a VirtualClock,
    processes: ThreadPool,
    gils: Vec<Gil>,
    switch_ms: f64,
}

impl Offload for VirtualProcessPool<'_> {
    fn call<'a>(
        &'a self,
        recorder: &'a TraceRecorder,
        task: u32,
        first_step: u16,
        steps: &'a [Step],
    ) -> LocalBoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let process = self.processes.take().await;
            let gil = &self.gils[process as usize];
            let at = (task, first_step);
            let own = ProcessClock {
                clock: self.clock.clone(),
                owed_ms: Rc::new(Cell::new(0.0)),
            };
            run_call_on(
                &own,
                (gil, process + 1),
                self.switch_ms,
                recorder,
                at,
                steps,
            )
            .await;
            // The call is over once its last computing is.
            own.sleep(0.0).await;
            self.processes.give_back(process);
            Ok(())
        })
    }
}

/// Runs a slice of `job` that fits `budget_ms`, at `estimate_ms` for the whole job: the time
/// it took, and whether the job is done.
fn virtual_slice(job: &mut CpuJob, estimate_ms: f64, budget_ms: f64) -> (f64, bool) {
    let left = job.left();
    let total = (job.iterations_done() + left).max(1);
    let ms_per_iteration = estimate_ms / total as f64;
    let iterations = ((budget_ms / ms_per_iteration).floor() as u64).clamp(1, left.max(1));
    (
        iterations as f64 * ms_per_iteration,
        job.skip(iterations) == 0,
    )
}

/// A process's own time on the shared clock: what it computes is time it owes, which passes
/// as a wait at its next yield or sleep. So processes compute in parallel, each in its own
/// time, while the page's clock runs on.
struct ProcessClock {
    clock: VirtualClock,
    owed_ms: Rc<Cell<f64>>,
}

impl Runtime for ProcessClock {
    type Sleep = Sleep<VirtualClock>;
    fn now_ms(&self) -> f64 {
        self.clock.now.get() + self.owed_ms.get()
    }
    fn sleep(&self, ms: f64) -> Self::Sleep {
        Sleep::new(self.clock.clone(), self.owed_ms.take() + ms)
    }
    fn block_for(&self, ms: f64) {
        self.owed_ms.set(self.owed_ms.get() + ms);
    }
    fn cpu(&self, _n: u64, estimate_ms: f64) {
        self.block_for(estimate_ms);
    }
    fn cpu_slice(&self, job: &mut CpuJob, estimate_ms: f64, budget_ms: f64) -> bool {
        let (ms, done) = virtual_slice(job, estimate_ms, budget_ms);
        self.block_for(ms);
        done
    }
    type Yield = Sleep<VirtualClock>;
    fn yield_now(&self) -> Self::Yield {
        self.sleep(0.0)
    }
    type Fetch = LocalBoxFuture<'static, Result<Answer, String>>;
    fn fetch(&self, url: &str, delay_ms: f64) -> Self::Fetch {
        // The request leaves once the process has computed what it owes.
        let computed = self.sleep(0.0);
        let (clock, url) = (self.clock.clone(), url.to_string());
        Box::pin(async move {
            computed.await;
            clock.fetch(&url, delay_ms).await
        })
    }
}

/// Knows whether it was woken since it was last asked.
#[derive(Default)]
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// What a run printed, in order.
pub fn printed(trace: &Trace) -> Vec<&str> {
    (0..trace.output.len())
        .map(|i| trace.output.line(i))
        .collect()
}

/// Runs `executor` on `workload` in virtual time on the default machine (2 cores, switch
/// interval 5 ms); returns the trace and the final clock.
pub fn run_virtual(executor: ExecutorId, workload: &Workload) -> (Trace, f64) {
    run_virtual_on(executor, workload, &Machine::default())
}

/// Polls `run` to its end on `clock`: whenever nothing is ready, the clock jumps to the next
/// deadline and wakes what is due.
pub fn drive<T>(clock: &VirtualClock, mut run: Pin<&mut dyn Future<Output = T>>) -> T {
    let flag = Arc::new(Flag::default());
    let waker = Waker::from(flag.clone());
    let mut cx = Context::from_waker(&waker);
    loop {
        flag.0.store(false, Ordering::SeqCst);
        if let Poll::Ready(outcome) = run.as_mut().poll(&mut cx) {
            return outcome;
        }
        if flag.0.load(Ordering::SeqCst) {
            // Something yielded: poll again at the same instant.
            continue;
        }
        let next = clock
            .queue
            .borrow_mut()
            .next_deadline()
            .expect("a pending run waits for a timer");
        clock.now.set(next.max(clock.now.get()));
        let due = clock.queue.borrow_mut().pop_due(clock.now.get());
        due.into_iter().for_each(Waker::wake);
    }
}

/// [`run_virtual`] on `machine`. Interpreter workers are lanes of the same clock.
pub fn run_virtual_on(
    executor: ExecutorId,
    workload: &Workload,
    machine: &Machine,
) -> (Trace, f64) {
    let clock = VirtualClock::default();
    if let Some(limit) = workload.per_host_limit {
        *clock.connections.borrow_mut() = vec![0.0; limit as usize];
    }
    let recorder = TraceRecorder::new(executor, workload.task_count, workload.step_kinds(), 0.0)
        .with_call_names(workload.call_names());
    let threads = VirtualThreadPool {
        clock: &clock,
        gil: Gil::new(),
        pool: ThreadPool::new(thread_pool_size(machine.cores)),
        switch_ms: machine.switch_ms,
    };
    let processes = VirtualProcessPool {
        clock: &clock,
        processes: ThreadPool::new(machine.workers),
        gils: (0..machine.workers.max(1)).map(|_| Gil::new()).collect(),
        switch_ms: machine.switch_ms,
    };
    let gils: Vec<Gil> = (0..machine.interpreters()).map(|_| Gil::new()).collect();
    {
        let mut run: LocalBoxFuture<'_, Result<(), String>> = match executor.placement(workload) {
            Placement::Interpreter { one_thread } => {
                let settings = ThreadSettings {
                    switch_ms: machine.switch_ms,
                    one_thread,
                };
                let lanes = if one_thread { 1 } else { gils.len() as u32 };
                let shares: Vec<Vec<u32>> = (0..lanes)
                    .map(|lane| {
                        (lane..workload.task_count)
                            .step_by(lanes as usize)
                            .collect()
                    })
                    .collect();
                let (recorder, clock, gils) = (&recorder, &clock, &gils);
                Box::pin(async move {
                    let runs = shares.iter().enumerate().map(|(lane, share)| {
                        run_threads(
                            clock,
                            workload,
                            recorder,
                            (share, lane as u32 + 1),
                            settings,
                            &gils[lane],
                        )
                    });
                    futures::future::join_all(runs).await;
                    Ok(())
                })
            }
            placement => {
                let offload: &dyn Offload = if placement == Placement::PageWithProcessPool {
                    &processes
                } else {
                    &threads
                };
                run_on_page(executor, &clock, workload, &recorder, Some(offload))
                    .expect("runs on the virtual page")
            }
        };
        drive(&clock, run.as_mut()).expect("a virtual run does not fail");
    }
    let now = clock.now.get();
    (recorder.finish(now, RunStatus::Finished, None), now)
}
