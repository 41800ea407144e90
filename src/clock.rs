//! The one place that reads time, and the page's timers.
//!
//! [`PageRuntime`] runs executors on the page's event loop: `now_ms` reads
//! `performance.now()`, sleeps wait in one [`DeadlineQueue`] behind a single browser timer, and
//! `block_for` spins, holding the thread as `time.sleep` does.
#![allow(clippy::disallowed_methods)] // this module is the clock's door

use gloo_timers::callback::Timeout;
use playground_core::cpu::{article_is_prime, n_for_iterations, Calibration};
use playground_core::exec::Runtime;
use playground_core::timers::{DeadlineQueue, Sleep, TimerHost};
use std::cell::RefCell;
use std::task::Waker;

/// Milliseconds on the page's clock (`performance.now()`).
pub fn now_ms() -> f64 {
    thread_local! {
        static PERFORMANCE: web_sys::Performance = web_sys::window()
            .and_then(|w| w.performance())
            .expect("performance.now is available in every supported browser");
    }
    PERFORMANCE.with(|p| p.now())
}

struct Timers {
    queue: DeadlineQueue<Waker>,
    /// The armed browser timer and the deadline it was armed for.
    armed: Option<(f64, Timeout)>,
}

thread_local! {
    static TIMERS: RefCell<Timers> = RefCell::new(Timers {
        queue: DeadlineQueue::new(),
        armed: None,
    });
}

/// Arms (or re-arms, or disarms) the single browser timer for the earliest deadline.
fn rearm() {
    TIMERS.with(|cell| {
        let mut timers = cell.borrow_mut();
        let next = timers.queue.next_deadline();
        match (next, &timers.armed) {
            (None, _) => timers.armed = None,
            (Some(deadline), Some((armed_for, _))) if *armed_for <= deadline => {}
            (Some(deadline), _) => {
                let delay = (deadline - now_ms()).max(0.0).ceil() as u32;
                timers.armed = Some((deadline, Timeout::new(delay, fire)));
            }
        }
    });
}

/// The browser timer fired: wake every due sleeper, then arm for the next deadline.
fn fire() {
    let due = TIMERS.with(|cell| {
        let mut timers = cell.borrow_mut();
        timers.armed = None;
        timers.queue.pop_due(now_ms())
    });
    due.into_iter().for_each(Waker::wake);
    rearm();
}

/// How many sleepers are waiting (for leak checks).
pub fn pending_sleeps() -> usize {
    TIMERS.with(|cell| cell.borrow().queue.len())
}

/// Whether a browser timer is armed (for leak checks).
pub fn timer_armed() -> bool {
    TIMERS.with(|cell| cell.borrow().armed.is_some())
}

/// The page's event loop as an executor runtime.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageRuntime;

impl TimerHost for PageRuntime {
    fn now_ms(&self) -> f64 {
        now_ms()
    }
    fn with_queue<T>(&self, f: impl FnOnce(&mut DeadlineQueue<Waker>) -> T) -> T {
        TIMERS.with(|cell| f(&mut cell.borrow_mut().queue))
    }
    fn queue_changed(&self) {
        rearm();
    }
}

impl Runtime for PageRuntime {
    type Sleep = Sleep<PageRuntime>;

    fn now_ms(&self) -> f64 {
        now_ms()
    }

    fn sleep(&self, ms: f64) -> Self::Sleep {
        Sleep::new(*self, ms)
    }

    fn block_for(&self, ms: f64) {
        // Spinning is the point: time.sleep holds the thread, and so must we.
        let until = now_ms() + ms;
        while now_ms() < until {}
    }

    fn cpu(&self, n: u64, _estimate_ms: f64) {
        article_is_prime(n);
    }
}

/// Measures how fast the article's loop runs on this page, once, on load.
///
/// The browser first runs new wasm through a quick baseline compiler and swaps in optimised
/// code after a while; measuring the first milliseconds would see the slow code and size jobs
/// several times too small. So it measures in short rounds and keeps the fastest, until two
/// rounds agree or about 250 ms have passed.
pub fn calibrate() -> Calibration {
    let n = n_for_iterations(100_000);
    let start = now_ms();
    let mut best = 0.0_f64;
    let mut previous = 0.0_f64;
    while now_ms() - start < 250.0 {
        let round_start = now_ms();
        let mut iterations = 0u64;
        while now_ms() - round_start < 15.0 {
            iterations += article_is_prime(n).iterations;
        }
        let rate = iterations as f64 / (now_ms() - round_start).max(1.0);
        best = best.max(rate);
        if previous > 0.0 && (rate - previous).abs() / previous < 0.03 && rate >= best * 0.97 {
            break;
        }
        previous = rate;
    }
    Calibration {
        iterations_per_ms: best,
    }
}
