//! Export JSON and Export CSV: the runs shown, as a file.

use super::app::Dispatch;
use crate::files;
use playground_core::export::{pack, MachineInfo};
use playground_core::page::{PageAction, PageModel};
use playground_core::run_state::Phase;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// Writes the runs shown as a download: what `Export JSON` or `Export CSV` asked for.
pub fn export(model: &PageModel, csv: bool, dispatch: Dispatch) {
    let Some((lab, values, items)) = model.export_items() else {
        return;
    };
    let machine = MachineInfo {
        browser: web_sys::window()
            .and_then(|w| w.navigator().user_agent().ok())
            .unwrap_or_default(),
        cores: model.calibration.cores,
    };
    let packed = pack::pack(lab, values, &machine, env!("CARGO_PKG_VERSION"), &items);
    let name = format!(
        "async-playground-{}.{}",
        lab.id,
        if csv { "csv" } else { "json" }
    );
    spawn_local(async move {
        if let Err(why) = files::export(packed, csv, &name).await {
            dispatch.emit(PageAction::Notice(format!("The file {name} {why}.")));
        }
    });
}

/// Export JSON and Export CSV, for the runs shown (disabled while a run is going).
pub fn controls(model: &PageModel, dispatch: &Dispatch) -> Html {
    let nothing = model.run.is_running()
        || model.run.phase == Phase::Confirming
        || model.run.traces.is_empty();
    let button = |csv: bool, label: &str| {
        let onclick = dispatch.reform(move |_: MouseEvent| PageAction::Export { csv });
        html! {
            <button type="button" class="secondary" disabled={nothing} {onclick}>{ label }</button>
        }
    };
    html! {
        <div class="run-files" role="group" aria-label="The runs as a file">
            { button(false, "Export JSON") }
            { button(true, "Export CSV") }
        </div>
    }
}
