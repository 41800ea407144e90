//! The heartbeat and the event-loop lag meter: driven from the main thread, so a blocked
//! thread shows as a heartbeat that stops and a lag that jumps.
//!
//! Both write straight to their elements 60 times a second instead of re-rendering Yew
//! components: the meter must cost next to nothing, or it would disturb what it measures.

use crate::clock::now_ms;
use gloo_render::{request_animation_frame, AnimationFrame};
use gloo_timers::callback::Interval;
use sim::format::fixed;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use web_sys::HtmlElement;

/// How often the lag probe expects to run.
const PROBE_MS: u32 = 50;

#[derive(Default)]
struct Peaks {
    max_frame_gap_ms: f64,
    peak_lag_ms: f64,
}

thread_local! {
    static PEAKS: RefCell<Peaks> = RefCell::new(Peaks::default());
}

/// Starts a new measuring window (a run started).
pub fn reset_peaks() {
    PEAKS.with(|p| *p.borrow_mut() = Peaks::default());
}

/// The size of the page's wasm memory, bytes: what the run's data structures took at their
/// peak (a wasm memory grows and never shrinks).
pub fn wasm_memory_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    buffer.byte_length() as u64
}

/// Keeps the heartbeat and the lag probe going while it lives.
pub struct Vitals {
    _frame: Rc<RefCell<Option<AnimationFrame>>>,
    _probe: Interval,
}

/// Starts driving `heartbeat` (its first child is the dot) and `meter` (its first child is
/// the bar, its last the label).
pub fn start(heartbeat: HtmlElement, meter: HtmlElement) -> Vitals {
    let frame: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
    schedule_frame(Rc::downgrade(&frame), heartbeat, Drawn::default());

    let mut expected = now_ms() + f64::from(PROBE_MS);
    let mut shown = (-1.0, -1.0);
    let probe = Interval::new(PROBE_MS, move || {
        let now = now_ms();
        let lag = (now - expected).max(0.0);
        expected = now + f64::from(PROBE_MS);
        let peak = PEAKS.with(|p| {
            let mut p = p.borrow_mut();
            p.peak_lag_ms = p.peak_lag_ms.max(lag);
            p.peak_lag_ms
        });
        // Shown in 5 ms steps: timer jitter alone would rewrite the meter 20 times a second.
        let shown_now = ((lag / 5.0).round() * 5.0, peak.round());
        if shown_now != shown {
            shown = shown_now;
            show_lag(&meter, shown.0, peak);
        }
    });
    Vitals {
        _frame: frame,
        _probe: probe,
    }
}

/// What the heartbeat last drew, so a frame only touches the page when the picture changes
/// (every style write costs a repaint, taken from the work being measured).
#[derive(Clone, Copy, Default)]
struct Drawn {
    last_frame_ms: Option<f64>,
    pulse_step: i32,
    max_gap_ms: f64,
}

/// Distinct sizes of the dot within one beat.
const PULSE_STEPS: f64 = 16.0;

fn schedule_frame(
    slot: Weak<RefCell<Option<AnimationFrame>>>,
    heartbeat: HtmlElement,
    mut drawn: Drawn,
) {
    let next_slot = slot.clone();
    // The frame's own start time, not when this callback got its turn: a frame whose other
    // callbacks run first is still one frame.
    let handle = request_animation_frame(move |frame_start| {
        let now = frame_start;
        if let Some(last) = drawn.last_frame_ms {
            let gap = now - last;
            let max_gap = PEAKS.with(|p| {
                let mut p = p.borrow_mut();
                p.max_frame_gap_ms = p.max_frame_gap_ms.max(gap);
                p.max_frame_gap_ms
            });
            if max_gap.round() != drawn.max_gap_ms.round() {
                drawn.max_gap_ms = max_gap;
                let _ = heartbeat.set_attribute("data-max-frame-gap-ms", &fixed(max_gap, 0));
            }
        }
        drawn.last_frame_ms = Some(now);
        // One beat a second: the dot grows and fades back; a frozen thread freezes it.
        // (Not `now % 1000.0`: f64's remainder brings 2 KB of libm into the download.)
        let seconds = now / 1000.0;
        let phase = seconds - seconds.floor();
        let step = ((1.0 - phase).powi(3) * PULSE_STEPS).round() as i32;
        if step != drawn.pulse_step {
            drawn.pulse_step = step;
            let pulse = f64::from(step) / PULSE_STEPS;
            if let Some(dot) = heartbeat.first_element_child() {
                if let Ok(dot) = wasm_bindgen::JsCast::dyn_into::<HtmlElement>(dot) {
                    let style = dot.style();
                    let scale = format!("scale({})", fixed(0.6 + 0.6 * pulse, 3));
                    let _ = style.set_property("transform", &scale);
                    let _ = style.set_property("opacity", &fixed(0.45 + 0.55 * pulse, 3));
                }
            }
        }
        schedule_frame(next_slot, heartbeat, drawn);
    });
    // The closure holds only a weak reference: dropping `Vitals` ends the loop.
    if let Some(slot) = slot.upgrade() {
        *slot.borrow_mut() = Some(handle);
    }
}

fn show_lag(meter: &HtmlElement, lag_ms: f64, peak_ms: f64) {
    let (lag, peak) = (fixed(lag_ms, 0), fixed(peak_ms, 0));
    let _ = meter.set_attribute("aria-valuenow", &lag);
    let _ = meter.set_attribute("aria-valuetext", &format!("{lag} ms, peak {peak} ms"));
    let _ = meter.set_attribute("data-peak-ms", &peak);
    // A log scale: 1 ms to 10 s across the bar.
    let fraction = ((lag_ms.max(1.0)).log10() / 4.0).clamp(0.0, 1.0);
    if let Some(bar) = meter.first_element_child() {
        if let Ok(bar) = wasm_bindgen::JsCast::dyn_into::<HtmlElement>(bar) {
            let _ = bar
                .style()
                .set_property("width", &format!("{}%", fixed(fraction * 100.0, 1)));
            let level = if lag_ms > 200.0 {
                "high"
            } else if lag_ms > 50.0 {
                "mid"
            } else {
                "low"
            };
            let _ = bar.set_attribute("data-level", level);
        }
    }
    if let Some(label) = meter.last_element_child() {
        label.set_text_content(Some(&format!("{lag} ms (peak {peak} ms)")));
    }
}
