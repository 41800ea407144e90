//! The generators lab's page: Step, Run, Stop, Reset and the speed; the loop's state after
//! the last `next()`; results, output and the Python with the current line marked.
//!
//! Time reaches the stepper only through [`StepperAction::Frame`]s, sent one per animation
//! frame by [`drive_frames`] while the stepper wants them.

use super::Dispatch;
use super::{frame, params_form, stepper_code, stepper_results};
use crate::{clock, vitals};
use gloo_render::{request_animation_frame, AnimationFrame};
use labs::LabSpec;
use page::rooms::stepper::StepperRoom;
use page::state::{PageAction, PageModel};
use sim::format;
use sim::generators::{Mode, Solution, Speed, StepResult, Stepper, StepperAction};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use yew::prelude::*;

/// The slice of `next()` calls one frame aims at, ms: the rest of the frame paints the page
/// and beats the heartbeat.
const SLICE_MS: f64 = 8.0;

/// The most `next()` calls one frame may run, whatever the measured cost.
const MAX_STEPS_PER_FRAME: u32 = 4_000_000;

/// How many `next()` calls the next frame runs, and what one costs here, ms.
#[derive(Clone, Copy)]
struct Slice {
    steps: u32,
    ms_per_next: f64,
}

impl Slice {
    /// The next frame's slice after this one took `spent_ms`: twice as many calls while well
    /// under [`SLICE_MS`], fewer in proportion when over it.
    fn adapted(self, spent_ms: f64) -> Slice {
        let steps = if spent_ms < SLICE_MS / 2.0 {
            self.steps.saturating_mul(2)
        } else if spent_ms > SLICE_MS * 1.25 {
            (f64::from(self.steps) * SLICE_MS / spent_ms) as u32
        } else {
            self.steps
        };
        Slice {
            steps: steps.clamp(1, MAX_STEPS_PER_FRAME),
            ms_per_next: (spent_ms / f64::from(self.steps.max(1))).clamp(1e-6, 1.0),
        }
    }
}

/// Keeps sending frames to the stepper while it lives.
pub struct FrameLoop {
    _frame: Rc<RefCell<Option<AnimationFrame>>>,
}

/// Sends the stepper one [`StepperAction::Frame`] per animation frame, each running a slice
/// of `next()` calls sized so the page keeps painting (the busy waits never freeze it).
pub fn drive_frames(dispatch: Dispatch) -> FrameLoop {
    vitals::reset_peaks();
    let frame = Rc::new(RefCell::new(None));
    let first = Slice {
        steps: 1000,
        ms_per_next: 0.001,
    };
    schedule(Rc::downgrade(&frame), dispatch, first);
    FrameLoop { _frame: frame }
}

fn schedule(slot: Weak<RefCell<Option<AnimationFrame>>>, dispatch: Dispatch, slice: Slice) {
    let next_slot = slot.clone();
    let handle = request_animation_frame(move |_| {
        let start = clock::now_ms();
        dispatch.emit(PageAction::Stepper(StepperAction::Frame {
            now_ms: start,
            budget: slice.steps,
            ms_per_next: slice.ms_per_next,
        }));
        let next = slice.adapted(clock::now_ms() - start);
        schedule(next_slot, dispatch, next);
    });
    // The closure holds only a weak reference: dropping the `FrameLoop` ends the loop.
    if let Some(slot) = slot.upgrade() {
        *slot.borrow_mut() = Some(handle);
    }
}

/// Step, Run, Stop and Reset, and what the stepper is doing in words. Step brings the deck
/// (these buttons, the Python, the loop's state and the Output) into view: whole where it fits
/// (a wide screen), else from its top (on a phone, all but the speed below the Output).
fn controls(stepper: &Stepper, dispatch: &Dispatch) -> Html {
    let mode = stepper.mode();
    // Step stays enabled while a step is under way (the press is then ignored): a button
    // disabled under the keyboard's focus would drop the focus.
    let running = mode == Mode::Running;
    let send =
        |action: StepperAction| dispatch.reform(move |_: MouseEvent| PageAction::Stepper(action));
    let step = dispatch.reform(|_: MouseEvent| {
        keep_in_view(&[params_form::TAB_PANEL]);
        PageAction::Stepper(StepperAction::Step)
    });
    let state = match mode {
        Mode::Idle if stepper.scheduler().steps() == 0 => {
            "Ready: Step runs one next(), Run plays it.".to_string()
        }
        Mode::Idle => "Paused between steps.".to_string(),
        Mode::StepAsked => "Stepping\u{2026}".to_string(),
        Mode::Stepping => "Blocked in time.sleep: the loop waits for it.".to_string(),
        Mode::Running => "Running\u{2026}".to_string(),
        Mode::Ended(status) => format!("Last run {}.", status.id()),
    };
    html! {
        <div class="deck-controls" id="stepper-controls">
            <div class="run-controls stepper-controls">
                <button type="button" class="primary" disabled={running} onclick={step}>{ "Step" }</button>
                // Focusable when there is nothing to undo (`aria-disabled`): focus stays on it.
                <button type="button" class="secondary" aria-disabled={(!stepper.can_step_back()).to_string()}
                    onclick={send(StepperAction::StepBack)}>{ "Step back" }</button>
                <button type="button" id="run" class="primary" disabled={running} onclick={send(StepperAction::Run)}>{ "Run" }</button>
                <button type="button" class="secondary" disabled={!stepper.in_progress()} onclick={send(StepperAction::Stop)}>{ "Stop" }</button>
                <button type="button" class="secondary" onclick={send(StepperAction::Reset)}>{ "Reset" }</button>
            </div>
            <p class="run-summary" data-mode={mode_id(mode)}>{ state }</p>
        </div>
    }
}

/// How fast Run calls `next()`: a field of the form, though not in the URL.
fn speed_field(stepper: &Stepper, dispatch: &Dispatch) -> Html {
    let on_speed = dispatch.reform(|e: Event| {
        let value = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        PageAction::Stepper(StepperAction::SetSpeed(
            Speed::from_id(&value).unwrap_or(Speed::RealTime),
        ))
    });
    let current = stepper.speed();
    html! {
        <div class="field speed-field">
            <label for="stepper-speed">{ "Speed" }</label>
            <select id="stepper-speed" onchange={on_speed} aria-describedby="stepper-speed-help">
                { for Speed::ALL.into_iter().map(|speed| html! {
                    <option value={speed.id()} selected={speed == current}>{ speed.label() }</option>
                }) }
            </select>
            <p class="help" id="stepper-speed-help">{ "How fast Run calls next(). The clock is real at every speed: slower, a busy wait spins fewer times in the same second." }</p>
        </div>
    }
}

/// Scrolls the page as little as it takes to show the elements `ids` whole (from the highest
/// top to the lowest bottom), below the sticky bar; the focus stays where it is.
fn keep_in_view(ids: &[&str]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let rects: Vec<_> = ids
        .iter()
        .filter_map(|id| document.get_element_by_id(id))
        .map(|e| e.get_bounding_client_rect())
        .collect();
    if rects.is_empty() {
        return;
    }
    let highest = rects.iter().map(|r| r.top()).fold(f64::INFINITY, f64::min);
    let lowest = rects
        .iter()
        .map(|r| r.bottom())
        .fold(f64::NEG_INFINITY, f64::max);
    // The sticky bar, once the page scrolls, covers its own height of the top.
    let bar = document
        .query_selector(".vitals")
        .ok()
        .flatten()
        .map_or(0.0, |v| v.get_bounding_client_rect().height());
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let margin = 8.0;
    let (top, bottom) = (highest - bar - margin, lowest + margin - height);
    // Down until the bottom shows, never so far that the top goes under the bar; up when the
    // top is under it.
    let by = if bottom > 0.0 {
        bottom.min(top.max(0.0))
    } else {
        top.min(0.0)
    };
    if by != 0.0 {
        window.scroll_by_with_x_and_y(0.0, by);
    }
}

/// The mode's public name, as in the page's `data-mode`.
fn mode_id(mode: Mode) -> &'static str {
    match mode {
        Mode::Idle => "idle",
        Mode::StepAsked | Mode::Stepping => "stepping",
        Mode::Running => "running",
        Mode::Ended(_) => "ended",
    }
}

/// The loop's state: the clock, the ready list, who ran and what it did.
fn loop_state(stepper: &Stepper) -> Html {
    let scheduler = stepper.scheduler();
    let running = stepper.mode() == Mode::Running;
    let ready = scheduler.ready();
    let last = scheduler
        .last()
        .map(|r| r.summary())
        .unwrap_or_else(|| "Nothing has run yet.".to_string());
    let ended = match scheduler.ended() {
        Some(StepResult::Finished) => Some("The ready list is empty: loop() returned."),
        Some(_) => Some("The exception ended the loop."),
        None => None,
    };
    let rate = stepper
        .next_per_second()
        .map(|r| format!("{} per second", format::count(r.round() as u64)))
        .unwrap_or_else(|| "\u{2014}".to_string());
    html! {
        <section class="loop-state" aria-labelledby="loop-state-title">
            <h2 id="loop-state-title">{ "The loop now" }</h2>
            <dl class="summary loop-figures">
                <div><dt>{ "Clock" }</dt><dd data-clock-ms={format::fixed(scheduler.now_ms(), 3)}>{ format::stamp(scheduler.now_ms()) }</dd></div>
                <div><dt>{ "next() calls" }</dt><dd data-steps={scheduler.steps().to_string()}>{ format::count(scheduler.steps()) }</dd></div>
                <div><dt>{ "next() calls per second" }</dt><dd>{ rate }</dd></div>
                <div class="wide"><dt>{ "Ready list" }</dt><dd>
                    if scheduler.solution() == Solution::NoYield {
                        { "none: without a yield, hello() is no generator" }
                    } else if ready.is_empty() {
                        { "[] (empty)" }
                    } else {
                        <ol class="ready-list" aria-label="Ready list">
                            { for ready.iter().map(|k| html! { <li>{ format!("generator {k}") }</li> }) }
                        </ol>
                    }
                </dd></div>
            </dl>
            // Announced after each step; while running it would change too often to read.
            <p class="last-step" aria-live={if running { "off" } else { "polite" }}>
                { last }
                if let Some(ended) = ended { { " " }{ ended } }
            </p>
        </section>
    }
}

/// The whole generators lab page: the form (the versions as tabs, the wait, the speed); the
/// deck, which a Step keeps in view whole (the buttons, the Python with its marked line, the
/// loop's state and the Output); then the results, and what to notice.
pub fn view(
    model: &PageModel,
    lab: &'static LabSpec,
    room: &StepperRoom,
    dispatch: &Dispatch,
) -> Html {
    let stepper = &room.stepper;
    let solution = stepper.scheduler().solution();
    let tab = params_form::tab_id(labs::params::keys::SOLUTION, &solution.number().to_string());
    // An embedded page leaves the notes to the full lab.
    let explain = if model.url.embed {
        Html::default()
    } else {
        stepper_code::explain(stepper, &model.notes, lab.article)
    };
    let body = html! {
        <div class="stepper-page">
            { params_form::view(model, lab, dispatch) }
            <div class="stepper-deck" id={params_form::TAB_PANEL} role="tabpanel" aria-labelledby={tab}>
                { controls(stepper, dispatch) }
                { stepper_code::view(model, stepper) }
                { loop_state(stepper) }
                { stepper_results::output(stepper) }
                { speed_field(stepper, dispatch) }
            </div>
            <div class="lab-grid stepper-after">
                <div class="lab-main">{ stepper_results::view(stepper) }</div>
                <div class="lab-explain">
                    { explain }
                    { frame::share_box(model, lab, dispatch) }
                </div>
            </div>
        </div>
    };
    frame::page(model, lab, frame::section_line(lab), body)
}
