//! The event loop of the thread it runs on (the page's, or a worker's) as an executor
//! runtime: [`ThreadRuntime`] takes its time from [`clock`], sleeps in the clock's deadline
//! queue (or, with `timer=browser`, on a browser timer each), spins for `block_for` (holding
//! the thread as `time.sleep` does), computes in slices, and fetches through [`net`].

use crate::clock::{self, now_ms, YieldNow};
use crate::net;
use gloo_timers::callback::Timeout;
use sim::cpu::{article_is_prime, CpuJob};
use sim::exec::Runtime;
use sim::timers::{DeadlineQueue, Sleep, TimerHost};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// Iterations of the CPU loop between two looks at the clock in a slice: about a tenth of a
/// millisecond of work, so a slice ends close to its switch interval.
const SLICE_CHUNK: u64 = 4096;

/// The event loop of the thread it runs on (the page's, or a worker's) as an executor runtime.
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreadRuntime {
    /// `timer=browser`: each sleep arms its own browser timer instead of an entry in the
    /// one deadline queue.
    pub per_task_timers: bool,
}

/// A sleep on its own browser timer (`timer=browser`): what a page gets from one
/// `setTimeout` per task. Dropping it clears the timer.
pub struct BrowserSleep {
    ms: u32,
    timer: Option<(Timeout, std::rc::Rc<Cell<bool>>)>,
}

impl Future for BrowserSleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &self.timer {
            Some((_, fired)) if fired.get() => Poll::Ready(()),
            Some(_) => Poll::Pending,
            None => {
                let fired = std::rc::Rc::new(Cell::new(false));
                let waker = cx.waker().clone();
                let flag = fired.clone();
                let timeout = Timeout::new(self.ms, move || {
                    flag.set(true);
                    waker.wake();
                });
                self.timer = Some((timeout, fired));
                Poll::Pending
            }
        }
    }
}

impl TimerHost for ThreadRuntime {
    fn now_ms(&self) -> f64 {
        now_ms()
    }
    fn with_queue<T>(&self, f: impl FnOnce(&mut DeadlineQueue<Waker>) -> T) -> T {
        clock::with_queue(f)
    }
    fn queue_changed(&self) {
        clock::queue_changed();
    }
}

/// A sleep of the page's event loop: an entry of the deadline queue, or its own browser timer.
pub type PageSleep = Pin<Box<dyn Future<Output = ()>>>;

impl Runtime for ThreadRuntime {
    type Sleep = PageSleep;

    fn now_ms(&self) -> f64 {
        now_ms()
    }

    fn sleep(&self, ms: f64) -> Self::Sleep {
        if self.per_task_timers {
            Box::pin(BrowserSleep {
                ms: ms.max(0.0).ceil() as u32,
                timer: None,
            })
        } else {
            Box::pin(Sleep::new(*self, ms))
        }
    }

    fn per_task_timers(&self) -> bool {
        self.per_task_timers
    }

    fn block_for(&self, ms: f64) {
        // Spinning is the point: time.sleep holds the thread, and so must we.
        let until = now_ms() + ms;
        while now_ms() < until {}
    }

    fn cpu(&self, n: u64, _estimate_ms: f64) {
        article_is_prime(n);
    }

    fn cpu_slice(&self, job: &mut CpuJob, _estimate_ms: f64, budget_ms: f64) -> bool {
        let until = now_ms() + budget_ms;
        loop {
            if job.run_for(SLICE_CHUNK) == 0 {
                return true;
            }
            if now_ms() >= until {
                return false;
            }
        }
    }

    type Yield = YieldNow;

    fn yield_now(&self) -> YieldNow {
        YieldNow::new()
    }

    type Fetch = net::Fetch;

    fn fetch(&self, url: &str, _delay_ms: f64) -> Self::Fetch {
        net::fetch(url)
    }
}
