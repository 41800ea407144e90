//! Export and import of runs at the browser's edge. A worker of their own writes the file
//! (JSON or CSV) of the runs the page packs for it, and reads and checks a file to import,
//! handing back its runs packed: the page's download has no JSON code, and a file's text never
//! enters the page's memory (the worker hands back a Blob, or the packed runs).

use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker that answers one file request; terminated when dropped.
struct FileWorker(Worker);

impl Drop for FileWorker {
    fn drop(&mut self) {
        self.0.terminate();
    }
}

impl FileWorker {
    /// Its next message; `None` if it failed (a crash, or a script that did not load).
    async fn next(&self) -> Option<JsValue> {
        let worker = &self.0;
        let promise = Promise::new(&mut |resolve, reject| {
            worker.set_onmessage(Some(&resolve));
            worker.set_onerror(Some(&reject));
        });
        let event = JsFuture::from(promise).await.ok()?;
        Some(event.unchecked_into::<MessageEvent>().data())
    }
}

/// Sends `key: value` to a new worker once it is ready, asking for `format` (`json`, `csv`
/// or `trace`); its answer (`done`), or why not, in words that follow "The file <name> ".
async fn ask(key: &str, value: JsValue, format: &str) -> Result<JsValue, String> {
    let failed = "could not be handled: its worker failed";
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker =
        FileWorker(Worker::new_with_options("./files-worker.js", &options).map_err(|_| failed)?);
    // Its first message says it is ready (or that it could not start); the next answers.
    let mut answer = worker.next().await.ok_or(failed)?;
    if field(&answer, "ready").is_some() {
        let request = crate::wire::object(&[(key, value), ("format", format.into())]);
        worker.0.post_message(&request).map_err(|_| failed)?;
        answer = worker.next().await.ok_or(failed)?;
    }
    match field(&answer, "done") {
        Some(done) => Ok(done),
        None => Err(field(&answer, "refused")
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| failed.into())),
    }
}

fn field(message: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(message, &key.into())
        .ok()
        .filter(|v| !v.is_undefined())
}

/// The runs of an exported file, checked by a worker: `source` is a chosen `File` or a path on
/// the page's site.
pub async fn import(source: JsValue) -> Result<Box<page::export::Imported>, String> {
    let packed: Uint8Array = ask("import", source, "json").await?.unchecked_into();
    page::export::pack::unpack(&packed.to_vec())
        .map(Box::new)
        .ok_or_else(|| "could not be read: its runs came garbled".into())
}

/// The runs `packed` (by `pack::pack`) written by the files worker in `format` (`json`,
/// `csv` or `trace`).
async fn written(packed: Vec<u8>, format: &str) -> Result<web_sys::Blob, String> {
    let bytes = Uint8Array::from(&packed[..]);
    drop(packed);
    Ok(ask("export", bytes.into(), format).await?.unchecked_into())
}

/// The runs `packed` as Chrome Trace Event JSON, in an `ArrayBuffer` (for Perfetto).
pub async fn trace(packed: Vec<u8>) -> Result<js_sys::ArrayBuffer, String> {
    let blob = written(packed, "trace").await?;
    JsFuture::from(blob.array_buffer())
        .await
        .map(|buffer| buffer.unchecked_into())
        .map_err(|_| "could not be read back from its worker".to_string())
}

/// Has the runs `packed` (by `pack::pack`) written in `format` (the JSON file, the CSV of their
/// task steps, or their Trace Event JSON), and offers it as a download named `name`.
pub async fn export(packed: Vec<u8>, format: &str, name: &str) -> Result<(), String> {
    let blob = written(packed, format).await?;
    let offered = || {
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let link: web_sys::HtmlAnchorElement = web_sys::window()?
            .document()?
            .create_element("a")
            .ok()?
            .unchecked_into();
        link.set_href(&url);
        link.set_download(name);
        link.click();
        // The URL can go once the download has surely read it (some browsers read it after
        // the click returns).
        gloo_timers::callback::Timeout::new(60_000, move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        })
        .forget();
        Some(())
    };
    offered().ok_or_else(|| "could not be offered as a download".into())
}
