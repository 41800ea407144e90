//! Export and import of runs at the browser's edge. A worker of their own writes the file
//! (JSON or CSV) of the runs the page packs for it, and reads and checks a file to import,
//! handing back its runs packed: the page's download has no JSON code, and a file's text never
//! enters the page's memory (the worker hands back a Blob, or the packed runs).

use js_sys::{Promise, Uint8Array};
use page::effect::{FileFormat, FilesReply, FilesRequest};
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

/// A message to or from the files worker: the request or reply's bytes
/// (`workers::message_value`) and what it is about, as the array `[bytes, beside]`.
pub fn files_message(message: &impl serde::Serialize, beside: &JsValue) -> Result<JsValue, String> {
    Ok(js_sys::Array::of2(&crate::workers::message_value(message)?, beside).into())
}

/// A message of [`files_message`]'s shape read back: the request or reply, and what came
/// beside it.
pub fn read_files_message<T: serde::de::DeserializeOwned>(
    value: &JsValue,
) -> Result<(T, JsValue), String> {
    let parts = value
        .dyn_ref::<js_sys::Array>()
        .filter(|parts| parts.length() == 2)
        .ok_or("the message is not a request and what it is about")?;
    Ok((crate::workers::read_message(&parts.get(0))?, parts.get(1)))
}

/// Sends `request`, with `beside` (what it is about), to a new worker once it is ready; what
/// came beside its answer (`Done`), or why not, in words that follow "The file <name> ".
async fn ask(request: FilesRequest, beside: JsValue) -> Result<JsValue, String> {
    let failed = "could not be handled: its worker failed";
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker =
        FileWorker(Worker::new_with_options("./files-worker.js", &options).map_err(|_| failed)?);
    let reply = |message: JsValue| read_files_message::<FilesReply>(&message).ok();
    // Its first message says it is ready (or that it could not start); the next answers.
    let mut answer = reply(worker.next().await.ok_or(failed)?);
    if let Some((FilesReply::Ready, _)) = answer {
        let message = files_message(&request, &beside).map_err(|_| failed)?;
        worker.0.post_message(&message).map_err(|_| failed)?;
        answer = reply(worker.next().await.ok_or(failed)?);
    }
    match answer {
        Some((FilesReply::Done, done)) => Ok(done),
        Some((FilesReply::Refused(why), _)) => Err(why),
        _ => Err(failed.into()),
    }
}

/// The runs of an exported file, checked by a worker: `source` is a chosen `File` or a path on
/// the page's site.
pub async fn import(source: JsValue) -> Result<Box<page::export::Imported>, String> {
    let packed: Uint8Array = ask(FilesRequest::Import, source).await?.unchecked_into();
    page::export::pack::unpack(&packed.to_vec())
        .map(Box::new)
        .ok_or_else(|| "could not be read: its runs came garbled".into())
}

/// The runs `packed` (by `pack::pack`) written by the files worker in `format` (`json`,
/// `csv` or `trace`).
async fn written(packed: Vec<u8>, format: FileFormat) -> Result<web_sys::Blob, String> {
    let runs = Uint8Array::from(&packed[..]);
    drop(packed);
    Ok(ask(FilesRequest::Export(format), runs.into())
        .await?
        .unchecked_into())
}

/// The runs `packed` as Chrome Trace Event JSON, in an `ArrayBuffer` (for Perfetto).
pub async fn trace(packed: Vec<u8>) -> Result<js_sys::ArrayBuffer, String> {
    let blob = written(packed, FileFormat::Trace).await?;
    JsFuture::from(blob.array_buffer())
        .await
        .map(|buffer| buffer.unchecked_into())
        .map_err(|_| "could not be read back from its worker".to_string())
}

/// Has the runs `packed` (by `pack::pack`) written in `format` (the JSON file, the CSV of their
/// task steps, or their Trace Event JSON), and offers it as a download named `name`.
pub async fn export(packed: Vec<u8>, format: FileFormat, name: &str) -> Result<(), String> {
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
