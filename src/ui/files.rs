//! Export JSON, Export CSV, Export trace, Open in Perfetto and Import, done: the runs shown, as
//! a file, and a file's runs shown (part of the runs' room; the buttons are
//! `super::file_controls`).

use super::Dispatch;
use crate::files;
use crate::perfetto;
use labs::LabBody;
use page::effect::FileFormat;
use page::export::{pack, MachineInfo};
use page::state::{PageAction, PageModel};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// The runs shown, packed for the files worker, and their lab's id.
fn packed(model: &PageModel) -> Option<(Vec<u8>, &'static str)> {
    let (lab, values, items) = model.export_items()?;
    let machine = MachineInfo {
        browser: web_sys::window()
            .and_then(|w| w.navigator().user_agent().ok())
            .unwrap_or_default(),
        cores: model.calibration.cores,
    };
    let packed = pack::pack(lab, values, &machine, env!("CARGO_PKG_VERSION"), &items);
    Some((packed, lab.id))
}

/// Writes the runs shown as a download: what `Export JSON`, `Export CSV` or `Export trace`
/// asked for.
pub fn export(model: &PageModel, format: FileFormat, dispatch: Dispatch) {
    let Some((packed, lab)) = packed(model) else {
        return;
    };
    let name = format!("async-playground-{lab}.{}", format.extension());
    spawn_local(async move {
        if let Err(why) = files::export(packed, format, &name).await {
            dispatch.emit(PageAction::Notice(format!("The file {name} {why}.")));
        }
    });
}

/// `Open in Perfetto`: a new tab with Perfetto's UI (opened at once, while the click's
/// activation lasts), then the runs shown handed to it as a trace.
pub fn open_in_perfetto(model: &PageModel, dispatch: Dispatch) {
    let Some((packed, lab)) = packed(model) else {
        return;
    };
    let Some(tab) = perfetto::open_tab() else {
        dispatch.emit(PageAction::Notice(
            "Perfetto could not be opened: the browser would not open a new tab (allow pop-ups \
             for this page), so use Export trace and open the file at ui.perfetto.dev."
                .into(),
        ));
        return;
    };
    spawn_local(async move {
        let title = format!("Async Playground: {lab}");
        let handed = match files::trace(packed).await {
            Ok(trace) => perfetto::hand_over(tab, trace, &title).await,
            Err(why) => Err(format!("got no trace: it {why}")),
        };
        if let Err(why) = handed {
            dispatch.emit(PageAction::Notice(format!(
                "Perfetto {why}. Export trace and open the file at ui.perfetto.dev instead."
            )));
        }
    });
}

/// Reads a chosen file and shows its runs: the runs' room's `import`.
pub fn import_chosen(file: web_sys::File, dispatch: &Dispatch) {
    import(file.clone().into(), file.name(), false, dispatch.clone());
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
