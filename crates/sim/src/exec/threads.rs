//! `threads`: CPython threads under the GIL, each a future on the interpreter worker's event
//! loop. Only the thread holding the [`Gil`] runs Python: a CPU step runs in slices, and once
//! the longest-waiting thread has waited a switch interval the computing thread hands the GIL
//! to it; `time.sleep` and a blocking request release it. Free-threaded CPython is the same
//! run with one lock per core (one interpreter worker each) instead of one for everything.

use super::{fetch_step, run_step, Gil, Runtime, ThreadPool};
use crate::cpu::CpuJob;
use crate::executors::Client;
use crate::trace::TraceRecorder;
use crate::workload::{Step, Workload};
use serde::{Deserialize, Serialize};
use std::cell::Cell;

/// How an interpreter runs its threads.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadSettings {
    /// `sys.getswitchinterval()`, ms: how long a thread computes while another waits for the
    /// GIL before it must hand the GIL over.
    pub switch_ms: f64,
    /// Every task in turn on one thread: synchronous code on the main thread.
    pub one_thread: bool,
}

impl Default for ThreadSettings {
    fn default() -> Self {
        ThreadSettings {
            switch_ms: 5.0,
            one_thread: false,
        }
    }
}

/// Where a thread is: its task, its lane, its interpreter's GIL and switch interval.
struct ThreadCtx<'a, R> {
    rt: &'a R,
    gil: &'a Gil,
    recorder: &'a TraceRecorder,
    task: u32,
    lane: u32,
    switch_ms: f64,
    /// When it last took the GIL.
    held_since: Cell<f64>,
}

impl<R: Runtime> ThreadCtx<'_, R> {
    async fn take_gil(&self) {
        if !self.gil.try_take(self.task) {
            let now = self.rt.now_ms();
            self.recorder.gil_requested(now, self.task, self.lane);
            self.gil.acquire(self.task, now).await;
        }
        let now = self.rt.now_ms();
        self.held_since.set(now);
        self.recorder.gil_acquired(now, self.task, self.lane);
    }

    /// How long the holder may still compute: as CPython's waiting thread does, the longest
    /// waiter asks for the GIL once it has waited a switch interval with no switch meanwhile
    /// (since it began to wait, or since this thread took the GIL, whichever is later).
    fn slice_left_ms(&self) -> f64 {
        match self.gil.waiting_since() {
            Some(since) => since.max(self.held_since.get()) + self.switch_ms - self.rt.now_ms(),
            None => self.switch_ms,
        }
    }

    fn release_gil(&self) {
        self.recorder
            .gil_released(self.rt.now_ms(), self.task, self.lane);
        self.gil.release(self.task);
    }

    /// Runs `steps` (numbered from `first_step`) holding the GIL, letting it go while it waits.
    async fn run_steps(&self, steps: &[Step], first_step: u16) {
        let (rt, recorder, task, lane) = (self.rt, self.recorder, self.task, self.lane);
        for (offset, step) in steps.iter().enumerate() {
            let index = first_step + offset as u16;
            match step {
                // A thread has no asyncio: its sleep is `time.sleep`, which lets the GIL go.
                Step::Sleep { ms } | Step::BlockingSleep { ms } => {
                    recorder.step_started(rt.now_ms(), task, index, lane);
                    self.release_gil();
                    rt.sleep(*ms).await;
                    recorder.step_ended(rt.now_ms(), task, index, lane);
                    self.take_gil().await;
                }
                Step::Cpu { n, estimate_ms } => {
                    recorder.step_started(rt.now_ms(), task, index, lane);
                    let mut job = CpuJob::new(*n);
                    loop {
                        // Let timers and answers in first, so that woken threads line up.
                        rt.yield_now().await;
                        let budget = self.slice_left_ms();
                        if budget <= 0.0 {
                            self.release_gil();
                            self.take_gil().await;
                            continue;
                        }
                        if rt.cpu_slice(&mut job, *estimate_ms, budget) {
                            break;
                        }
                    }
                    recorder.step_ended(rt.now_ms(), task, index, lane);
                }
                // One blocking `requests` call after another; the GIL is free meanwhile.
                Step::Fetch { .. } => {
                    self.release_gil();
                    fetch_step(
                        rt,
                        recorder,
                        (task, index, lane),
                        step,
                        (Client::Blocking, None),
                    )
                    .await;
                    self.take_gil().await;
                }
                Step::Print(_) | Step::Enter { .. } | Step::Exit => {
                    run_step(
                        rt,
                        recorder,
                        (task, index, lane),
                        step,
                        (Client::Blocking, None),
                    )
                    .await;
                }
            }
        }
    }
}

/// Runs `tasks` of `workload` as threads of one interpreter on lane `lane`, sharing `gil`:
/// all started at once (`Thread.start()` in a loop, then `join()`), or with
/// `settings.one_thread` every task in turn on the main thread.
pub async fn run_threads<R: Runtime>(
    rt: &R,
    workload: &Workload,
    recorder: &TraceRecorder,
    (tasks, lane): (&[u32], u32),
    settings: ThreadSettings,
    gil: &Gil,
) {
    let thread = |task: u32| async move {
        let ctx = ThreadCtx {
            rt,
            gil,
            recorder,
            task,
            lane,
            switch_ms: settings.switch_ms,
            held_since: Cell::new(0.0),
        };
        recorder.task_started(rt.now_ms(), task, lane);
        ctx.take_gil().await;
        ctx.run_steps(&workload.steps, 0).await;
        ctx.release_gil();
        recorder.task_ended(rt.now_ms(), task, lane);
    };
    if settings.one_thread {
        for task in tasks {
            thread(*task).await;
        }
    } else {
        futures::future::join_all(tasks.iter().map(|task| thread(*task))).await;
    }
}

/// Runs one call handed over by `loop.run_in_executor`: `steps` of `task` (numbered from
/// `first_step`) on a free thread of `pool`, under the interpreter's GIL. Its events are on
/// lane `1 + the thread's index`.
pub async fn run_call<R: Runtime>(
    rt: &R,
    (gil, pool): (&Gil, &ThreadPool),
    switch_ms: f64,
    recorder: &TraceRecorder,
    (task, first_step): (u32, u16),
    steps: &[Step],
) {
    let thread = pool.take().await;
    run_call_on(
        rt,
        (gil, thread + 1),
        switch_ms,
        recorder,
        (task, first_step),
        steps,
    )
    .await;
    pool.give_back(thread);
}

/// One handed-over call of `task` (its `steps`, from `first_step`) on `lane`, a thread under
/// `gil`: a thread of a pool, or a process of a process pool (its own GIL, its only thread).
pub async fn run_call_on<R: Runtime>(
    rt: &R,
    (gil, lane): (&Gil, u32),
    switch_ms: f64,
    recorder: &TraceRecorder,
    (task, first_step): (u32, u16),
    steps: &[Step],
) {
    let ctx = ThreadCtx {
        rt,
        gil,
        recorder,
        task,
        lane,
        switch_ms,
        held_since: Cell::new(0.0),
    };
    ctx.take_gil().await;
    ctx.run_steps(steps, first_step).await;
    ctx.release_gil();
}

#[cfg(test)]
mod tests {
    use crate::exec::virtual_time::{printed, run_virtual, run_virtual_on};
    use crate::executors::ExecutorId;
    use crate::model::Machine;
    use crate::summary::{gil_handoffs, gil_wait_ms};
    use crate::workload::{hello, http, prime_jobs, sleepers};

    /// About a million iterations: slices are fine-grained in virtual time.
    const N: u64 = 1_000_003;

    fn machine(switch_ms: f64, free_threaded: bool) -> Machine {
        Machine {
            workers: 2,
            cores: 2,
            switch_ms,
            free_threaded,
            ..Machine::default()
        }
    }

    #[test]
    fn four_thousand_sleeping_threads_overlap() {
        let (trace, now) = run_virtual(ExecutorId::Threads, &sleepers(4000, 1.0, false));
        assert_eq!(trace.tasks_done, 4000);
        assert_eq!(now, 1000.0);
        assert_eq!(
            gil_handoffs(&trace),
            0,
            "sleeping threads never wait for the GIL"
        );
    }

    #[test]
    fn hello_on_two_threads_prints_both_hellos_first_even_with_time_sleep() {
        let (trace, now) = run_virtual(ExecutorId::Threads, &hello(2, 1.0, true));
        assert_eq!(printed(&trace), ["hello", "hello", "goodbye", "goodbye"]);
        assert_eq!(now, 1000.0);
    }

    #[test]
    fn cpu_jobs_on_threads_take_as_long_as_on_one_thread() {
        let jobs = prime_jobs(4, 0.0, N, 1000.0);
        let (threads, now) = run_virtual(ExecutorId::Threads, &jobs);
        let (_, event_loop) = run_virtual(ExecutorId::EventLoop, &jobs);
        assert!((now - event_loop).abs() < 1.0, "{now} vs {event_loop}");
        assert_eq!(threads.tasks_done, 4);
        // The jobs interleave: every thread waits for the GIL again and again.
        assert!(gil_handoffs(&threads) > 500, "{}", gil_handoffs(&threads));
        // CPU time is conserved: three threads wait while one computes.
        let waited = gil_wait_ms(&threads);
        assert!((waited - 12_000.0).abs() < 100.0, "{waited}");
        let computed = crate::summary::cpu_ms(&threads);
        assert!((computed - 4000.0).abs() < 10.0, "{computed}");
    }

    #[test]
    fn a_longer_switch_interval_means_fewer_handoffs_and_the_same_wall_time() {
        let jobs = prime_jobs(3, 0.0, N, 600.0);
        let (short, short_now) = run_virtual_on(ExecutorId::Threads, &jobs, &machine(1.0, false));
        let (long, long_now) = run_virtual_on(ExecutorId::Threads, &jobs, &machine(100.0, false));
        assert!(gil_handoffs(&short) > 10 * gil_handoffs(&long));
        assert!(
            (short_now - long_now).abs() < 1.0,
            "{short_now} vs {long_now}"
        );
    }

    #[test]
    fn a_waiting_thread_gets_the_gil_after_one_switch_interval() {
        // Two threads wake together from a 12 ms sleep and compute 100 ms each: one takes the
        // GIL, the other waits 5 ms for it, and so on, turn by turn.
        let w = prime_jobs(2, 0.012, N, 100.0);
        let (trace, now) = run_virtual(ExecutorId::Threads, &w);
        assert!((now - 212.0).abs() < 0.5, "{now}");
        let handoffs = gil_handoffs(&trace);
        assert!((35..=40).contains(&handoffs), "{handoffs}");
        let layout = crate::timeline::layout(&trace, 0.0);
        let first_turn = *layout.gil[0]
            .spans
            .iter()
            .find(|s| s.start_ms >= 12.0)
            .expect("a turn after the sleep");
        assert!(
            (first_turn.end_ms - first_turn.start_ms - 5.0).abs() < 0.01,
            "{first_turn:?}"
        );
    }

    #[test]
    fn free_threaded_threads_spread_over_one_lock_per_core() {
        // One virtual clock cannot compute on two cores at once; the lanes and locks can be
        // checked here, the speed-up only in a browser (the end-to-end tests).
        let jobs = prime_jobs(4, 0.0, N, 100.0);
        let (trace, _) = run_virtual_on(ExecutorId::Threads, &jobs, &machine(5.0, true));
        let layout = crate::timeline::layout(&trace, 0.0);
        let labels: Vec<&str> = layout.gil.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["core 1", "core 2"]);
    }

    #[test]
    fn blocking_requests_release_the_gil_and_queue_for_the_connections() {
        let w = http(20, "api/delay?ms=150".into(), 150.0, 30_000.0);
        let (trace, now) = run_virtual(ExecutorId::Threads, &w);
        assert_eq!(trace.tasks_done, 20);
        assert_eq!(now, 600.0);
    }

    #[test]
    fn synchronous_cats_run_one_after_another_on_the_main_thread() {
        let (trace, now) = run_virtual(ExecutorId::Sequential, &crate::workload::cats(3, 1.0));
        assert_eq!(now, 3000.0);
        assert_eq!(
            &printed(&trace)[..5],
            ["eat", "have free time", "sleeping", "wake", "eat"]
        );
    }

    #[test]
    fn cats_on_threads_sleep_together() {
        let (trace, now) = run_virtual(ExecutorId::Threads, &crate::workload::cats(5, 2.0));
        assert_eq!(now, 2000.0);
        assert_eq!(trace.output.len(), 20);
        assert_eq!(&printed(&trace)[..3], ["eat", "have free time", "sleeping"]);
    }
}
