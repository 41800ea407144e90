//! The one place that reads time, and the thread's timers: `now_ms` reads
//! `performance.now()`, sleepers wait in one [`DeadlineQueue`] behind a single browser timer,
//! [`YieldNow`] gives the event loop a turn, and `calibrate` measures the CPU loop.
#![allow(clippy::disallowed_methods)] // this module is the clock's door

use gloo_timers::callback::Timeout;
use sim::cpu::{probe, Calibration};
use sim::timers::DeadlineQueue;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

thread_local! {
    // The page's or the worker's own `performance`: both scopes have one.
    static PERFORMANCE: web_sys::Performance = js_sys::Reflect::get(
        &js_sys::global(),
        &wasm_bindgen::JsValue::from_str("performance"),
    )
    .ok()
    .and_then(|p| wasm_bindgen::JsCast::dyn_into(p).ok())
    .expect("performance.now is available in every supported browser");
}

/// Milliseconds on this thread's clock (`performance.now()`).
pub fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.now())
}

/// When the request for `url` went out on a connection and when its answer had fully arrived,
/// on this thread's clock, as the browser's Resource Timing says; `None` where it says nothing
/// (no entry yet, or a cross-origin server that does not allow the page to see its timing).
/// Entries are cleared now and then, so a long run does not fill the browser's buffer.
pub fn resource_timing(url: &str) -> Option<(f64, f64)> {
    // Room for the answers of a few thousand requests between two clearings.
    const KEEP: u32 = 4000;
    thread_local!(static SIZED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    PERFORMANCE.with(|p| {
        if !SIZED.with(|s| s.replace(true)) {
            p.set_resource_timing_buffer_size(KEEP + 1000);
        }
        let entry = p.get_entries_by_name(url).pop();
        if p.get_entries_by_type("resource").length() > KEEP {
            p.clear_resource_timings();
        }
        let number = |key: &str| {
            js_sys::Reflect::get(&entry, &key.into())
                .ok()
                .and_then(|v| v.as_f64())
                .filter(|t| *t > 0.0)
        };
        Some((number("requestStart")?, number("responseEnd")?))
    })
}

/// Where this thread's clock starts, in ms since the Unix epoch (`performance.timeOrigin`):
/// each worker has its own, so cross-thread times go through the epoch.
pub fn time_origin_ms() -> f64 {
    PERFORMANCE.with(|p| p.time_origin())
}

struct Timers {
    queue: DeadlineQueue<Waker>,
    /// The armed browser timer and the deadline it was armed for.
    armed: Option<(f64, Armed)>,
}

/// How the queue's next deadline is waited for.
enum Armed {
    /// A browser timer (dropping it clears it).
    Timer(#[allow(dead_code)] Timeout),
    /// A deadline already due (a sleep of 0, `asyncio.sleep(0)`): a turn of the event loop
    /// through [`YieldNow`], since a `setTimeout(0)` set from a timer's callback is clamped to
    /// 4 ms once they nest, and 250 tasks of `time.sleep(0)` in turn would take a second.
    Soon,
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
                let armed = if delay == 0 {
                    wasm_bindgen_futures::spawn_local(async {
                        YieldNow::new().await;
                        fire();
                    });
                    Armed::Soon
                } else {
                    Armed::Timer(Timeout::new(delay, fire))
                };
                timers.armed = Some((deadline, armed));
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

/// Runs `f` on this thread's deadline queue; call [`queue_changed`] after changing it.
pub fn with_queue<T>(f: impl FnOnce(&mut DeadlineQueue<Waker>) -> T) -> T {
    TIMERS.with(|cell| f(&mut cell.borrow_mut().queue))
}

/// The deadline queue changed: the one browser timer follows its earliest deadline.
pub fn queue_changed() {
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

/// One `MessageChannel` per thread: a message posted to it comes back as a task of the event
/// loop at once, after whatever timers and answers are due (a re-armed `setTimeout` would be
/// clamped to 4 ms).
struct YieldChannel {
    port: web_sys::MessagePort,
    _receiver: web_sys::MessagePort,
    _on_message: Closure<dyn FnMut()>,
    /// How many messages came back: a yield started in round `k` ends once it passes `k`.
    round: std::rc::Rc<Cell<u64>>,
    posted: std::rc::Rc<Cell<bool>>,
    waiting: std::rc::Rc<RefCell<Vec<Waker>>>,
}

thread_local! {
    static YIELD: Option<YieldChannel> = {
        let channel = web_sys::MessageChannel::new().ok()?;
        let round = std::rc::Rc::new(Cell::new(0u64));
        let posted = std::rc::Rc::new(Cell::new(false));
        let waiting: std::rc::Rc<RefCell<Vec<Waker>>> = Default::default();
        let on_message = {
            let (round, posted, waiting) = (round.clone(), posted.clone(), waiting.clone());
            Closure::<dyn FnMut()>::new(move || {
                round.set(round.get() + 1);
                posted.set(false);
                let wakers = std::mem::take(&mut *waiting.borrow_mut());
                wakers.into_iter().for_each(Waker::wake);
            })
        };
        let receiver = channel.port1();
        receiver.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(YieldChannel {
            port: channel.port2(),
            _receiver: receiver,
            _on_message: on_message,
            round,
            posted,
            waiting,
        })
    };
}

/// Yields to this thread's event loop once (see [`YieldChannel`]).
pub struct YieldNow {
    started: Option<u64>,
}

impl YieldNow {
    /// A yield not yet started: its first poll posts to the channel.
    pub fn new() -> YieldNow {
        YieldNow { started: None }
    }
}

impl Default for YieldNow {
    fn default() -> Self {
        YieldNow::new()
    }
}

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        YIELD.with(|channel| {
            let Some(channel) = channel else {
                // No channel (never seen in a supported browser): go on without yielding.
                return Poll::Ready(());
            };
            match self.started {
                Some(round) if channel.round.get() > round => Poll::Ready(()),
                _ => {
                    self.started.get_or_insert(channel.round.get());
                    channel.waiting.borrow_mut().push(cx.waker().clone());
                    if !channel.posted.replace(true) {
                        let _ = channel.port.post_message(&wasm_bindgen::JsValue::NULL);
                    }
                    Poll::Pending
                }
            }
        })
    }
}

/// The cores the browser reports, at least 1.
pub fn cores() -> u32 {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency() as u32)
        .unwrap_or(1)
        .max(1)
}

/// Measures how fast the article's loop runs on this thread; also warms it up.
///
/// The browser first runs new wasm through a quick baseline compiler and swaps in optimised
/// code a little later, for calls made after the swap: a job that starts on the baseline code
/// runs on it to the end, several times slower. So this runs the loop in short rounds for at
/// least 80 ms, until the speed settles (at most 300 ms), and keeps the fastest round. The
/// page does it on load; each pool worker does it as part of its start-up, like a process
/// importing its modules.
pub fn calibrate() -> Calibration {
    let mut rounds = Rounds::new();
    while !rounds.next() {}
    rounds.calibration()
}

/// The same, a round (10 ms) at a time with a turn of the event loop between rounds, so the
/// page paints and answers while it measures (the page measures after its first paint).
pub async fn calibrate_in_turns() -> Calibration {
    let mut rounds = Rounds::new();
    while !rounds.next() {
        YieldNow::new().await;
    }
    rounds.calibration()
}

/// The rounds of a calibration: the fastest so far, and the one before.
struct Rounds {
    start: f64,
    best: f64,
    previous: f64,
}

impl Rounds {
    fn new() -> Rounds {
        Rounds {
            start: now_ms(),
            best: 0.0,
            previous: 0.0,
        }
    }

    /// Runs one round; whether the speed has settled (or the time is up).
    fn next(&mut self) -> bool {
        let round_start = now_ms();
        let mut iterations = 0u64;
        while now_ms() - round_start < 10.0 {
            iterations += probe(100_000);
        }
        let rate = iterations as f64 / (now_ms() - round_start).max(1.0);
        self.best = self.best.max(rate);
        let elapsed = now_ms() - self.start;
        let previous = self.previous;
        let settled =
            previous > 0.0 && (rate - previous).abs() / previous < 0.03 && rate >= self.best * 0.97;
        self.previous = rate;
        elapsed >= 300.0 || (elapsed >= 80.0 && settled)
    }

    fn calibration(&self) -> Calibration {
        Calibration {
            iterations_per_ms: self.best,
            cores: cores(),
            simulated_network: false,
        }
    }
}
