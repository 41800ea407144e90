//! The one place that performs what the page asks: each [`Effect`] its state machine returns
//! ([`PageModel::update`]) is done here, after the render that shows the new state.

#[cfg(feature = "stepper")]
use super::stepper::{drive_frames, FrameLoop};
use super::Dispatch;
#[cfg(feature = "runs")]
use crate::run::RunControl;
use crate::{embed, net};
use labs::notes;
use page::effect::Effect;
#[cfg(feature = "runs")]
use page::rooms::runs::RunsAction;
use page::state::{PageAction, PageModel};
use page::url_state::Theme;
#[cfg(feature = "runs")]
use std::cell::RefCell;
#[cfg(feature = "runs")]
use std::rc::Rc;

/// What the edge keeps between effects: the running plan's control (Stop aborts through it)
/// and the stepper's frames while it wants them.
#[derive(Default)]
pub struct Edge {
    #[cfg(feature = "runs")]
    control: Rc<RefCell<Rc<RunControl>>>,
    #[cfg(feature = "stepper")]
    frames: Option<FrameLoop>,
}

impl Edge {
    /// Performs `effect` for the page `model`; what it learns comes back through `dispatch`.
    /// The runs' effects go to the runs' room ([`super::runs_room`]), in order, once it is
    /// here.
    #[cfg_attr(not(feature = "runs"), allow(unused_variables))]
    pub fn perform(&mut self, effect: Effect, model: &PageModel, dispatch: &Dispatch) {
        #[cfg(feature = "runs")]
        if effect.needs_runs() {
            let control = self.control.clone();
            match super::runs_room::here() {
                Some(room) => (room.perform)(effect, model, dispatch, &control),
                None => {
                    let model = model.clone();
                    let dispatch = dispatch.clone();
                    super::runs_room::with(&dispatch.clone(), move |room| match room {
                        Some(room) => (room.perform)(effect, &model, &dispatch, &control),
                        None => not_fetched(effect, &dispatch),
                    });
                }
            }
            return;
        }
        match effect {
            Effect::PostResult(message) => embed::post_result(&message),
            Effect::WriteUrl(query) => write_query(&query),
            Effect::SetTheme(theme) => apply_theme(theme),
            Effect::SetTitle(title) => {
                if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                    doc.set_title(&title);
                }
            }
            Effect::FetchNotes(lab) => {
                let dispatch = dispatch.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let text = match prefetched_notes(lab).await {
                        Some(text) => Ok(text),
                        None => net::get_text(&notes::path(lab)).await,
                    };
                    dispatch.emit(PageAction::NotesArrived(text));
                });
            }
            Effect::Calibrate => {
                let dispatch = dispatch.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let measured = crate::clock::calibrate_in_turns().await;
                    dispatch.emit(PageAction::Calibrated(measured));
                });
            }
            #[cfg(feature = "stepper")]
            Effect::Frames(wanted) => {
                // Dropping the loop stops the frames.
                self.frames = wanted.then(|| drive_frames(dispatch.clone()));
            }
            // Only the stepper's module asks for frames.
            #[cfg(not(feature = "stepper"))]
            Effect::Frames(_) => {}
            // The runs' effects, above; the kinds that run no plan ask for none of them.
            _ => {}
        }
    }
}
/// What the page says when the runs' module could not be fetched for `effect`: a run ends
/// failed, with the reason on its first executor's card; anything else is a notice.
#[cfg(feature = "runs")]
fn not_fetched(effect: Effect, dispatch: &Dispatch) {
    const WHY: &str = "could not start: the page's code for runs did not load (offline, or \
                       blocked). Check the connection, then press Run again.";
    match effect {
        Effect::StartRun { run_number, plan } => {
            let Some(first) = plan.first() else {
                return;
            };
            let now = crate::clock::now_ms();
            let recorder = sim::trace::TraceRecorder::new(first.executor, 0, Vec::new(), now);
            let error = format!("{} {WHY}", first.executor.id());
            let trace = recorder.finish(now, sim::trace::RunStatus::Failed, Some(error));
            dispatch.emit(PageAction::Runs(RunsAction::Run(
                page::run_state::RunEvent::ExecutorEnded {
                    run_number,
                    trace: Rc::new(trace),
                },
            )));
        }
        // Stop with no run going, a pool never started: nothing to do.
        Effect::StopRun | Effect::DiscardPool | Effect::WarmThreads(_) => {}
        _ => dispatch.emit(PageAction::Notice(
            "That needs the page's code for runs, which did not load (offline, or blocked): \
             check the connection and try again."
                .into(),
        )),
    }
}

/// Shows `query` in the address bar, without a new history entry.
fn write_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let current = window.location().search().unwrap_or_default();
    let wanted = format!("?{query}");
    if current != wanted {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&wanted));
        }
    }
}

fn apply_theme(theme: Option<Theme>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    match theme {
        Some(theme) => {
            let _ = root.set_attribute("data-theme", theme.id());
        }
        None => {
            let _ = root.remove_attribute("data-theme");
        }
    }
}

/// The notes of `lab` that index.html's loader asked for beside the page's module, taken once;
/// `None` when it asked for none, or they did not arrive (the page then asks itself, and says
/// why they are missing).
async fn prefetched_notes(lab: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str("asyncPlaygroundNotes");
    let asked = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let for_lab = js_sys::Reflect::get(&asked, &"lab".into())
        .ok()?
        .as_string();
    if for_lab.as_deref() != Some(lab) {
        return None;
    }
    let notes = js_sys::Reflect::get(&asked, &"notes".into()).ok()?;
    let promise: js_sys::Promise = notes.dyn_into().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .as_string()
}
