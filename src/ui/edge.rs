//! The one place that performs what the page asks: each [`Effect`] its state machine returns
//! ([`PageModel::update`]) is done here, after the render that shows the new state.

#[cfg(feature = "stepper")]
use super::stepper::{drive_frames, FrameLoop};
use super::Dispatch;
#[cfg(feature = "runs")]
use crate::run::{drive, RunControl};
use crate::{embed, net};
use labs::notes;
use page::effect::Effect;
#[cfg(feature = "runs")]
use page::rooms::runs::RunsAction;
use page::state::{PageAction, PageModel};
use page::url_state::Theme;
#[cfg(feature = "runs")]
use std::rc::Rc;

/// What the edge keeps between effects: the running plan's control (Stop aborts through it)
/// and the stepper's frames while it wants them.
#[derive(Default)]
pub struct Edge {
    #[cfg(feature = "runs")]
    control: Rc<RunControl>,
    #[cfg(feature = "stepper")]
    frames: Option<FrameLoop>,
}

impl Edge {
    /// Performs `effect` for the page `model`; what it learns comes back through `dispatch`.
    // Only the runs' effects read the page.
    #[cfg_attr(not(feature = "runs"), allow(unused_variables))]
    pub fn perform(&mut self, effect: Effect, model: &PageModel, dispatch: &Dispatch) {
        match effect {
            #[cfg(feature = "runs")]
            Effect::StartRun { run_number, plan } => {
                let calibration = model.calibration;
                let plan = plan
                    .iter()
                    .map(|item| {
                        let workload = item.workload(&calibration);
                        (workload, item.executor, item.machine(&calibration))
                    })
                    .collect();
                self.control = Rc::new(RunControl::default());
                let report = dispatch.reform(|event| PageAction::Runs(RunsAction::Run(event)));
                let control = self.control.clone();
                wasm_bindgen_futures::spawn_local(drive(run_number, plan, control, report));
            }
            #[cfg(feature = "runs")]
            Effect::StopRun => self.control.stop(),
            #[cfg(feature = "runs")]
            Effect::DiscardPool => crate::pool::discard(),
            #[cfg(feature = "runs")]
            Effect::Export { format } => super::files::export(model, format, dispatch.clone()),
            #[cfg(feature = "runs")]
            Effect::OpenInPerfetto => super::files::open_in_perfetto(model, dispatch.clone()),
            Effect::PostResult(message) => embed::post_result(&message),
            Effect::WriteUrl(query) => write_query(&query),
            Effect::SetTheme(theme) => apply_theme(theme),
            Effect::SetTitle(title) => {
                if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                    doc.set_title(&title);
                }
            }
            #[cfg(feature = "runs")]
            Effect::FindNetwork(choice) => {
                let dispatch = dispatch.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    dispatch.emit(PageAction::NetworkFound(net::find_network(choice).await));
                });
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
            #[cfg(feature = "runs")]
            Effect::Import(path) => {
                super::files::import(path.clone().into(), path, true, dispatch.clone());
            }
            #[cfg(feature = "runs")]
            Effect::WarmThreads(machine) => crate::threads::prewarm(&machine),
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
            // The kinds that run no plan ask for none of the runs' effects.
            #[cfg(not(feature = "runs"))]
            _ => {}
        }
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
