//! Export JSON, Export CSV and Import: the runs shown, as a file, and a file's runs shown.

use super::Dispatch;
use crate::files;
use labs::LabBody;
use page::export::{pack, MachineInfo};
use page::rooms::runs::RunsAction;
use page::state::{PageAction, PageModel};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
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

/// Where a file chosen on a page of another kind waits for the page that draws its runs.
const HANDED_OVER: &str = "async-playground:import";

/// Whether this module draws a lab of kind `body` (index.html's loader opens each kind in its
/// own module).
fn drawn_here(body: LabBody) -> bool {
    match body {
        LabBody::Workload => cfg!(feature = "workload"),
        LabBody::Compare => cfg!(feature = "compare"),
        LabBody::Stepper => cfg!(feature = "stepper"),
        LabBody::Cases => cfg!(feature = "cases"),
    }
}

/// Reads an exported file (a chosen `File`, or, `linked`, `import=`'s path) named `name`, and
/// shows its runs (or says why not). Runs of a lab this module does not draw (a compare table
/// imported on a lab's page) open that lab's page, which imports the file again.
pub fn import(source: JsValue, name: String, linked: bool, dispatch: Dispatch) {
    spawn_local(async move {
        let file = files::import(source.clone()).await;
        if let Ok(runs) = &file {
            if !drawn_here(runs.lab.body) {
                if let Err(why) = hand_over(&source, &name, linked, runs.lab.id).await {
                    dispatch.emit(PageAction::Notice(format!(
                        "The file {} holds runs of {}, whose page could not take it ({why}): \
                         open that lab and import it there.",
                        page::quote::shown(&name),
                        runs.lab.title
                    )));
                }
                return;
            }
        }
        dispatch.emit(PageAction::Imported { name, linked, file });
    });
}

/// Opens `lab`'s page with the file: a linked file by its path (`import=`), a chosen one kept
/// for the page in the tab's session storage.
async fn hand_over(source: &JsValue, name: &str, linked: bool, lab: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let mut query = format!("?lab={lab}");
    if linked {
        let path = source.as_string().unwrap_or_default();
        query.push_str(&format!("&import={}", js_sys::encode_uri_component(&path)));
    } else {
        let blob: web_sys::Blob = source.clone().dyn_into().map_err(|_| "not a file")?;
        let text = JsFuture::from(blob.text())
            .await
            .ok()
            .and_then(|t| t.as_string())
            .ok_or("it could not be read again")?;
        let record = js_sys::Array::of2(&name.into(), &text.into());
        let record = js_sys::JSON::stringify(&record)
            .ok()
            .and_then(|r| r.as_string())
            .ok_or("it could not be kept")?;
        window
            .session_storage()
            .ok()
            .flatten()
            .ok_or("this browser keeps no session storage")?
            .set_item(HANDED_OVER, &record)
            .map_err(|_| "it is too large to keep for the page")?;
    }
    window
        .location()
        .assign(&query)
        .map_err(|_| "the page could not be opened".to_string())
}

/// Imports the file a page of another kind handed to this one, if there is one.
pub fn resume(dispatch: &Dispatch) {
    let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) else {
        return;
    };
    let Some(record) = storage.get_item(HANDED_OVER).ok().flatten() else {
        return;
    };
    let _ = storage.remove_item(HANDED_OVER);
    let Ok(record) = js_sys::JSON::parse(&record) else {
        return;
    };
    let record: js_sys::Array = record.unchecked_into();
    let (Some(name), Some(text)) = (record.get(0).as_string(), record.get(1).as_string()) else {
        return;
    };
    let parts = js_sys::Array::of1(&text.into());
    if let Ok(file) = web_sys::File::new_with_str_sequence(&parts, &name) {
        import(file.into(), name, false, dispatch.clone());
    }
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
