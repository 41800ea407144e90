//! A virtual-time runtime for native tests: sleeps complete by advancing a fake clock.

use super::{run_on_page, Answer, Runtime};
use crate::executors::ExecutorId;
use crate::timers::{DeadlineQueue, Sleep, TimerHost};
use crate::trace::{RunStatus, Trace, TraceRecorder};
use crate::workload::Workload;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

#[derive(Clone, Default)]
pub(crate) struct VirtualClock {
    now: Rc<Cell<f64>>,
    queue: Rc<RefCell<DeadlineQueue<Waker>>>,
    /// When each connection to the host is free again; empty: no limit.
    connections: Rc<RefCell<Vec<f64>>>,
}

/// The URL a virtual network refuses, to test failures.
pub(crate) const REFUSED_URL: &str = "http://refused.invalid/";

impl TimerHost for VirtualClock {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn with_queue<T>(&self, f: impl FnOnce(&mut DeadlineQueue<Waker>) -> T) -> T {
        f(&mut self.queue.borrow_mut())
    }
    fn queue_changed(&self) {}
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
    type Fetch = futures::future::LocalBoxFuture<'static, Result<Answer, String>>;
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

/// Runs `executor` on `workload` in virtual time; returns the trace and the final clock.
pub(crate) fn run_virtual(executor: ExecutorId, workload: &Workload) -> (Trace, f64) {
    let clock = VirtualClock::default();
    if let Some(limit) = workload.per_host_limit {
        *clock.connections.borrow_mut() = vec![0.0; limit as usize];
    }
    let recorder = TraceRecorder::new(executor, workload.task_count, workload.step_kinds(), 0.0);
    {
        let mut run = run_on_page(executor, &clock, workload, &recorder).expect("runs on the page");
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        while run.as_mut().poll(&mut cx) == Poll::Pending {
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
    let now = clock.now.get();
    (recorder.finish(now, RunStatus::Finished, None), now)
}
