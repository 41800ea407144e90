//! The embed API's browser side: resize and result messages to the parent page, and the
//! parent's run and stop commands.

use gloo_events::EventListener;
use page::message::{resize_messages, HostCommand, HostMessage, ResultMessage};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, ResizeObserver, ResizeObserverEntry, Window};

fn parent_of(window: &Window) -> Option<Window> {
    let parent = window.parent().ok().flatten()?;
    // A top-level page is its own parent: nobody to talk to.
    let own: &JsValue = window.as_ref();
    let theirs: &JsValue = parent.as_ref();
    (!js_sys::Object::is(own, theirs)).then_some(parent)
}

/// Whether the page is inside a frame.
pub fn is_framed() -> bool {
    web_sys::window().and_then(|w| parent_of(&w)).is_some()
}

/// Posts `message` to the parent page, as JSON-compatible plain data (serde's shape of the
/// core's type: a missing `id` is `null`, `params` a plain object). A number a JS number
/// cannot hold exactly does not encode, and the message is then not posted.
fn post(message: &impl Serialize) {
    let Some(parent) = web_sys::window().and_then(|w| parent_of(&w)) else {
        return;
    };
    if let Ok(value) = message.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        // Any origin may embed the page, and what is posted is public: target "*".
        let _ = parent.post_message(&value, "*");
    }
}

/// Posts one run's result message.
pub fn post_result(message: &ResultMessage) {
    post(message);
}

/// Posts the content height in the three forms course platforms listen for.
fn post_height(height: u32) {
    let (ours, context, lti) = resize_messages(height);
    post(&ours);
    post(&context);
    post(&lti);
}

/// Keeps the parent informed of the content height while it lives.
pub struct ResizeReporter {
    observer: ResizeObserver,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for ResizeReporter {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Starts posting the height of `element` on every size change.
pub fn report_height(element: &web_sys::Element) -> Option<ResizeReporter> {
    let mut last = 0u32;
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(
        move |entries: js_sys::Array| {
            let Some(entry) = entries.get(0).dyn_into::<ResizeObserverEntry>().ok() else {
                return;
            };
            let height = entry
                .target()
                .get_bounding_client_rect()
                .height()
                .ceil()
                .max(0.0) as u32;
            if height != last {
                last = height;
                post_height(height);
            }
        },
    );
    let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(element);
    Some(ResizeReporter {
        observer,
        _callback: callback,
    })
}

/// Calls `on_command` for each run or stop command from the parent page; every other
/// message, and every message from anyone else, is ignored.
pub fn listen_to_parent(on_command: impl Fn(HostCommand) + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    let parent = parent_of(&window)?;
    Some(EventListener::new(&window, "message", move |event| {
        let Some(event) = event.dyn_ref::<MessageEvent>() else {
            return;
        };
        let from_parent = event
            .source()
            .is_some_and(|source| js_sys::Object::is(&source, parent.as_ref()));
        if !from_parent {
            return;
        }
        // The API gives a command one field, its `type`: read as the core's `HostMessage`.
        let kind = js_sys::Reflect::get(&event.data(), &JsValue::from_str("type"))
            .ok()
            .and_then(|kind| kind.as_string());
        if let Some(command) = kind.and_then(|kind| HostMessage { kind }.command()) {
            on_command(command);
        }
    }))
}
