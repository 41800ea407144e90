//! The embed API's browser side: resize and result messages to the parent page, and the
//! parent's run and stop commands.

use crate::wire::object;
use gloo_events::EventListener;
use labs::params::ParamValue;
use page::message::{resize_messages, HostCommand, ResultMessage};
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

fn post(message: Option<JsValue>) {
    let Some(parent) = web_sys::window().and_then(|w| parent_of(&w)) else {
        return;
    };
    if let Some(value) = message {
        // Any origin may embed the page, and what is posted is public: target "*".
        let _ = parent.post_message(&value, "*");
    }
}

/// A whole number as a JS number; `None` beyond `Number.MAX_SAFE_INTEGER`, which a number
/// cannot hold exactly (the message is then not posted).
fn whole(n: u64) -> Option<JsValue> {
    (n < 1 << 53).then(|| JsValue::from_f64(n as f64))
}

/// The message as JSON-compatible plain data: `{type, id, lab, params, executors}`.
fn result_value(message: &ResultMessage) -> Option<JsValue> {
    let params = js_sys::Object::new();
    for (key, value) in message.params.0.iter() {
        let value = match value {
            ParamValue::Int(n) => whole(*n)?,
            ParamValue::Float(x) => JsValue::from_f64(*x),
            ParamValue::Choice(s) => JsValue::from_str(s),
            ParamValue::Auto => JsValue::from_str("auto"),
            ParamValue::Text(s) => JsValue::from_str(s),
        };
        let _ = js_sys::Reflect::set(&params, &JsValue::from_str(key), &value);
    }
    let executors: js_sys::Array = message
        .executors
        .iter()
        .map(|e| {
            let result = object(&[
                ("name", JsValue::from_str(e.name)),
                ("status", JsValue::from_str(e.status)),
                ("wall_ms", JsValue::from_f64(e.wall_ms)),
                ("expected_ms", JsValue::from_f64(e.expected_ms)),
                ("tasks_done", JsValue::from(e.tasks_done)),
                ("tasks_total", JsValue::from(e.tasks_total)),
            ]);
            if let Some(ms) = e.predicted_ms {
                let _ = js_sys::Reflect::set(&result, &"predicted_ms".into(), &ms.into());
            }
            result
        })
        .collect();
    Some(object(&[
        ("type", JsValue::from_str(message.kind)),
        (
            "id",
            message
                .id
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        ),
        ("lab", JsValue::from_str(message.lab)),
        ("params", params.into()),
        ("executors", executors.into()),
    ]))
}

/// Posts one run's result message.
pub fn post_result(message: &ResultMessage) {
    post(result_value(message));
}

/// Posts the content height in the three forms course platforms listen for.
fn post_height(height: u32) {
    let (ours, context, lti) = resize_messages(height);
    let height = JsValue::from(height);
    post(Some(object(&[
        ("type", JsValue::from_str(ours.kind)),
        ("height", height.clone()),
    ])));
    post(Some(object(&[
        ("context", JsValue::from_str(context.context)),
        ("height", height.clone()),
    ])));
    post(Some(object(&[
        ("subject", JsValue::from_str(lti.subject)),
        ("height", height),
    ])));
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
        let data = event.data();
        if !data.is_object() {
            return;
        }
        let kind = js_sys::Reflect::get(&data, &JsValue::from_str("type"))
            .ok()
            .and_then(|k| k.as_string());
        if let Some(command) = kind.as_deref().and_then(HostCommand::from_type) {
            on_command(command);
        }
    }))
}
