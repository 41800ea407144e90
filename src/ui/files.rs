//! Export JSON, Export CSV and Import: the runs shown, as a file, and a file's runs shown.

use super::Dispatch;
use crate::files;
use page::export::{pack, MachineInfo};
use page::rooms::runs::RunsAction;
use page::state::{PageAction, PageModel};
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

/// Reads an exported file (a chosen `File`, or, `linked`, `import=`'s path) named `name`, and
/// shows its runs (or says why not).
pub fn import(source: wasm_bindgen::JsValue, name: String, linked: bool, dispatch: Dispatch) {
    spawn_local(async move {
        let file = files::import(source).await;
        dispatch.emit(PageAction::Imported { name, linked, file });
    });
}

/// Export JSON and Export CSV, for the runs shown, and Import (disabled while a run is going).
pub fn controls(model: &PageModel, dispatch: &Dispatch) -> Html {
    let busy = model.runs().is_some_and(|r| r.run.is_busy());
    let nothing = !model.can_export();
    let chosen = dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            import(file.clone().into(), file.name(), false, chosen.clone());
        }
        // Choosing the same file again is a new import.
        input.set_value("");
    });
    let button = |csv: bool, label: &str| {
        let onclick =
            dispatch.reform(move |_: MouseEvent| PageAction::Runs(RunsAction::Export { csv }));
        html! {
            <button type="button" class="secondary" disabled={nothing} {onclick}>{ label }</button>
        }
    };
    html! {
        <div class="run-files" role="group" aria-label="The runs as a file">
            { button(false, "Export JSON") }
            { button(true, "Export CSV") }
            <label class="file-import">
                { "Import" }
                <input type="file" accept=".json,application/json" disabled={busy} {onchange} />
            </label>
        </div>
    }
}
