//! `Open in Perfetto`: hands a trace to Perfetto's UI in the tab the click opened, by
//! Perfetto's documented `postMessage` handshake: the page posts `"PING"` to the tab until it
//! answers `"PONG"` (its UI has loaded and listens), then posts
//! `{perfetto: {buffer, title}}` with the trace as an `ArrayBuffer`. Only Perfetto's origin is
//! posted to and listened to. Perfetto may ask the learner to confirm a trace from a site it
//! does not know: the page says so beside the button.

use futures::channel::oneshot;
use futures::future::{select, Either};
use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use gloo_timers::future::TimeoutFuture;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Window};

/// Perfetto's message that opens a trace: `{perfetto: {buffer, title}}`.
#[derive(Serialize)]
struct Open {
    perfetto: Trace,
}

/// The trace, an `ArrayBuffer` handed over as it is, and its title.
#[derive(Serialize)]
struct Trace {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    buffer: js_sys::ArrayBuffer,
    title: String,
}

/// Perfetto's UI.
pub const PERFETTO_URL: &str = "https://ui.perfetto.dev";
const PERFETTO_ORIGIN: &str = "https://ui.perfetto.dev";

/// How long Perfetto's tab has to answer, ms.
const ANSWER_MS: u32 = 30_000;

/// Opens Perfetto's UI in a new tab (call it while the click's activation lasts); `None` if
/// the browser would not open one.
pub fn open_tab() -> Option<Window> {
    web_sys::window()?
        .open_with_url_and_target(PERFETTO_URL, "_blank")
        .ok()
        .flatten()
}

/// Hands `trace` (titled `title`) to Perfetto in `tab`, once it answers; why not, in words
/// that follow "Perfetto ".
pub async fn hand_over(tab: Window, trace: js_sys::ArrayBuffer, title: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("has no window to answer")?;
    let (answered, pong) = oneshot::channel::<()>();
    let mut answered = Some(answered);
    let _listener = {
        let tab = tab.clone();
        EventListener::new(&window, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            let from_tab = event
                .source()
                .is_some_and(|source| js_sys::Object::is(&source, tab.as_ref()));
            if from_tab
                && event.origin() == PERFETTO_ORIGIN
                && event.data().as_string().as_deref() == Some("PONG")
            {
                if let Some(answered) = answered.take() {
                    let _ = answered.send(());
                }
            }
        })
    };
    let _ping = {
        let tab = tab.clone();
        Interval::new(50, move || {
            // Until Perfetto's page has loaded, the tab is another origin's or blank: the
            // browser drops a message for Perfetto's origin, as it should.
            let _ = tab.post_message(&JsValue::from_str("PING"), PERFETTO_ORIGIN);
        })
    };
    match select(pong, TimeoutFuture::new(ANSWER_MS)).await {
        Either::Left((Ok(()), _)) => {}
        _ if tab.closed().unwrap_or(true) => {
            return Err("was closed before it took the trace".into())
        }
        _ => return Err("did not answer: its tab could not load it (offline?)".into()),
    }
    let message = Open {
        perfetto: Trace {
            buffer: trace,
            title: title.to_string(),
        },
    }
    .serialize(&serde_wasm_bindgen::Serializer::new())
    .map_err(|_| "would not take the trace".to_string())?;
    tab.post_message(&message, PERFETTO_ORIGIN)
        .map_err(|_| "would not take the trace".to_string())
}
