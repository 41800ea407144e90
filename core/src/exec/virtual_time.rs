//! A virtual-time runtime for native tests: sleeps complete by advancing a fake clock.

use super::{run_on_page, Runtime};
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
}

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
}

/// Runs `executor` on `workload` in virtual time; returns the trace and the final clock.
pub(crate) fn run_virtual(executor: ExecutorId, workload: &Workload) -> (Trace, f64) {
    let clock = VirtualClock::default();
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
