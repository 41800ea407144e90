//! The embed API's browser side: the content height in every form of `page::resize` (H5P's
//! handshake included) and result messages to the parent page, and the parent's run and stop
//! commands.

use gloo_events::EventListener;
use page::message::{HostCommand, HostMessage, ResultMessage};
use page::resize::{height_posts, H5p, H5pAction, Heights, Post};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
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

/// Posts `message` to the parent page as its JSON text, for hosts that `JSON.parse` what
/// they receive.
fn post_text(message: &impl Serialize) {
    let Some(parent) = web_sys::window().and_then(|w| parent_of(&w)) else {
        return;
    };
    let value = message.serialize(&serde_wasm_bindgen::Serializer::json_compatible());
    if let Some(text) = value.ok().and_then(|v| js_sys::JSON::stringify(&v).ok()) {
        let _ = parent.post_message(&text, "*");
    }
}

fn post_each(posts: Vec<Post>) {
    for post in posts {
        if post.as_text {
            post_text(&post.message);
        } else {
            self::post(&post.message);
        }
    }
}

/// The address the page was loaded from, as the host wrote it in the frame's `src` (the
/// navigation's; the page may have written its query since).
fn loaded_from() -> Option<String> {
    let window = web_sys::window()?;
    let entry = window
        .performance()?
        .get_entries_by_type("navigation")
        .get(0);
    js_sys::Reflect::get(&entry, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .or_else(|| window.location().href().ok())
}

/// The content's height and the frame's, as the page sees them now.
fn heights(element: &web_sys::Element) -> Heights {
    let content = element.get_bounding_client_rect().height().ceil().max(0.0) as u32;
    let frame = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .map_or(0, |root| root.client_height().max(0) as u32);
    Heights { content, frame }
}

/// Keeps the parent informed of the content height while it lives, in every form of
/// `page::resize`, H5P's handshake included.
pub struct ResizeReporter {
    observer: ResizeObserver,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
    _h5p: Option<EventListener>,
}

impl Drop for ResizeReporter {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Starts posting the height of `element` on every size change, and H5P's `hello`.
pub fn report_height(element: &web_sys::Element) -> Option<ResizeReporter> {
    let h5p = Rc::new(RefCell::new(H5p::default()));
    let src = loaded_from().unwrap_or_default();
    let mut last = 0u32;
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new({
        let h5p = h5p.clone();
        move |entries: js_sys::Array| {
            let Some(entry) = entries.get(0).dyn_into::<ResizeObserverEntry>().ok() else {
                return;
            };
            let now = heights(&entry.target());
            if now.content != last {
                last = now.content;
                post_each(height_posts(now.content, &src));
                if let Some(message) = h5p.borrow().on_height(now) {
                    post(&message);
                }
            }
        }
    });
    let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(element);
    post(&H5p::hello());
    let element = element.clone();
    let listener = from_parent(move |data| {
        // H5P's messages: `{context: "h5p", action}`; anything else is not H5P's.
        let field = |name: &str| {
            js_sys::Reflect::get(data, &JsValue::from_str(name))
                .ok()
                .and_then(|v| v.as_string())
        };
        if field("context").as_deref() != Some("h5p") {
            return;
        }
        let Some(action) = field("action").as_deref().and_then(H5pAction::parse) else {
            return;
        };
        let answer = h5p.borrow_mut().on_host(action, heights(&element));
        if let Some(message) = answer {
            post(&message);
        }
    });
    Some(ResizeReporter {
        observer,
        _callback: callback,
        _h5p: listener,
    })
}

/// Calls `on_data` with the data of each message the parent page posts; messages from anyone
/// else are ignored.
fn from_parent(on_data: impl Fn(&JsValue) + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    let parent = parent_of(&window)?;
    Some(EventListener::new(&window, "message", move |event| {
        let Some(event) = event.dyn_ref::<MessageEvent>() else {
            return;
        };
        let from_parent = event
            .source()
            .is_some_and(|source| js_sys::Object::is(&source, parent.as_ref()));
        if from_parent {
            on_data(&event.data());
        }
    }))
}

/// Calls `on_command` for each run or stop command from the parent page; every other
/// message, and every message from anyone else, is ignored.
pub fn listen_to_parent(on_command: impl Fn(HostCommand) + 'static) -> Option<EventListener> {
    from_parent(move |data| {
        // The API gives a command one field, its `type`: read as the core's `HostMessage`.
        let kind = js_sys::Reflect::get(data, &JsValue::from_str("type"))
            .ok()
            .and_then(|kind| kind.as_string());
        if let Some(command) = kind.and_then(|kind| HostMessage { kind }.command()) {
            on_command(command);
        }
    })
}
