//! The network: `fetch` for the request steps (on the page and in workers), and how the page
//! finds its latency endpoint: our server, or the page's service worker on a static host.

use futures::future::LocalBoxFuture;
use page::state::Network;
use sim::exec::Answer;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCache, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`: the window's on the page, the worker's in a worker.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> js_sys::Promise;
}

/// A GET in flight. Dropping it (a Stop, a timeout) aborts the request.
pub struct Fetch {
    request: LocalBoxFuture<'static, Result<Answer, String>>,
    controller: Option<AbortController>,
}

impl Future for Fetch {
    type Output = Result<Answer, String>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.request.as_mut().poll(cx)
    }
}

impl Drop for Fetch {
    fn drop(&mut self) {
        // Aborting a request that already ended does nothing.
        if let Some(controller) = &self.controller {
            controller.abort();
        }
    }
}

/// A GET's options (never from the cache: every answer must really wait) and the controller
/// that aborts it.
fn abortable() -> (RequestInit, Option<AbortController>) {
    let controller = AbortController::new().ok();
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoStore);
    if let Some(controller) = &controller {
        init.set_signal(Some(&controller.signal()));
    }
    (init, controller)
}

/// Sends a GET of `url` (relative URLs resolve against this thread's location).
pub fn fetch(url: &str) -> Fetch {
    let (init, controller) = abortable();
    Fetch {
        request: Box::pin(get(url.to_string(), init)),
        controller,
    }
}

fn location_href() -> String {
    js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .and_then(|l| js_sys::Reflect::get(&l, &"href".into()))
        .ok()
        .and_then(|h| h.as_string())
        .unwrap_or_default()
}

thread_local! {
    static REQUESTS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

async fn get(url: String, init: RequestInit) -> Result<Answer, String> {
    // Each request to the latency endpoint gets a URL of its own (the endpoint ignores `r`),
    // so the browser's timing entry for it can be found by name.
    let url = if url.starts_with("api/delay?") {
        let n = REQUESTS.with(|r| {
            r.set(r.get() + 1);
            r.get()
        });
        format!("{url}&r={n}")
    } else {
        url
    };
    let (json, href) = get_json(url, init).await?;
    let timing = crate::clock::resource_timing(&href);
    Ok(Answer {
        held_ms: field(&json, "waited_ms").and_then(|w| w.as_f64()),
        sent_ms: timing.map(|t| t.0),
        answered_ms: timing.map(|t| t.1),
    })
}

fn field(json: &Option<JsValue>, name: &str) -> Option<JsValue> {
    json.as_ref()
        .and_then(|j| js_sys::Reflect::get(j, &name.into()).ok())
}

/// GETs a text file of the build (a lab's notes) at `url`, relative to the page: its text, or
/// why it could not be read.
pub async fn get_text(url: &str) -> Result<String, String> {
    get_body(url.to_string(), RequestInit::new())
        .await
        .map(|(body, _, _)| body)
}

/// GETs `url`; its body parsed as JSON, if it is JSON, and the absolute URL fetched.
async fn get_json(url: String, init: RequestInit) -> Result<(Option<JsValue>, String), String> {
    get_body(url, init)
        .await
        .map(|(_, json, href)| (json, href))
}

/// GETs `url`; its body, the body parsed as JSON (if it is JSON) and the absolute URL fetched.
async fn get_body(
    url: String,
    init: RequestInit,
) -> Result<(String, Option<JsValue>, String), String> {
    let base = location_href();
    let target = web_sys::Url::new_with_base(&url, &base)
        .map_err(|_| format!("{url} is not a URL the browser can fetch"))?;
    let local = matches!(
        target.hostname().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    );
    if base.starts_with("https:") && target.protocol() == "http:" && !local {
        return Err(format!(
            "blocked as mixed content: a page served over https may not fetch http:// URLs \
             such as {}",
            target.origin()
        ));
    }
    let href = target.href();
    let response: Response = JsFuture::from(global_fetch(&href, &init))
        .await
        .map_err(|_| {
            format!(
                "the browser could not fetch from {}: the server did not allow this page to \
                 read it (CORS), the name did not resolve, the connection was refused, or the \
                 network is down. The browser does not tell the page which; its console does",
                target.origin()
            )
        })?
        .unchecked_into();
    let body = match response.text() {
        Ok(text) => JsFuture::from(text)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let json = body
        .trim_start()
        .starts_with(['{', '['])
        .then(|| js_sys::JSON::parse(&body).ok())
        .flatten();
    if !response.ok() {
        let why = field(&json, "error")
            .and_then(|e| e.as_string())
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        return Err(format!(
            "the server answered {} {}{why}",
            response.status(),
            response.status_text()
        ));
    }
    Ok((body, json, href))
}

/// How long the page waits for `api/health` before it looks for the service worker.
const HEALTH_TIMEOUT_MS: u32 = 3000;
/// How long the page waits for its service worker to take control.
const WORKER_TIMEOUT_MS: u32 = 5000;

/// Finds the page's latency endpoint as `choice` (the lab's `network`) asks: `auto`, our server
/// if `api/health` says so and the page reached it over HTTP/2 or newer (where many requests
/// share a connection, as a Python client's do), else the page's own service worker (the
/// simulated network: over HTTP/1.1 the browser's 6 connections per host would stand between
/// the lesson and the article's case); `server`, only our server (any service worker left
/// from another visit is then removed); `simulated`, only the service worker.
///
/// On a static host `api/health` is a file of the build (`www/api/health`, `ok: false`): the
/// probe gets a 200 there, so the browser logs no failed request in the console.
pub async fn find_network(choice: &str) -> Network {
    if choice == "simulated" {
        return match service_workers() {
            Some(container) => simulated(container).await,
            None => Network::Unavailable,
        };
    }
    let (init, controller) = abortable();
    let health = get_json("api/health".into(), init);
    let timeout = gloo_timers::future::TimeoutFuture::new(HEALTH_TIMEOUT_MS);
    futures::pin_mut!(health, timeout);
    // A static host may answer any path with its index page: only our JSON counts.
    let ours = match futures::future::select(health, timeout).await {
        futures::future::Either::Left((Ok((json, _)), _)) => {
            field(&json, "ok").and_then(|ok| ok.as_bool()) == Some(true)
        }
        _ => {
            if let Some(controller) = controller {
                controller.abort();
            }
            false
        }
    };
    let Some(container) = service_workers() else {
        return if ours {
            Network::Server
        } else {
            Network::Unavailable
        };
    };
    if ours && choice == "auto" && !multiplexed() {
        // Where the service worker cannot run (a frame on another site may not have one), the
        // real network it is.
        if let network @ Network::Simulated = simulated(container.clone()).await {
            return network;
        }
        return Network::Server;
    }
    if ours {
        if let Ok(list) = JsFuture::from(container.get_registrations()).await {
            for registration in js_sys::Array::from(&list).iter() {
                let registration: web_sys::ServiceWorkerRegistration =
                    registration.unchecked_into();
                if let Ok(done) = registration.unregister() {
                    let _ = JsFuture::from(done).await;
                }
            }
        }
        // A worker that controls this page keeps answering until the page reloads.
        return if container.controller().is_some() {
            Network::Simulated
        } else {
            Network::Server
        };
    }
    if choice == "server" {
        return Network::Unavailable;
    }
    simulated(container).await
}

/// Whether the page itself came over HTTP/2 or newer (the navigation's `nextHopProtocol`:
/// `h2`, `h3`), so its requests to its own server share connections.
pub fn multiplexed() -> bool {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return false;
    };
    let entries = performance.get_entries_by_type("navigation");
    let protocol = js_sys::Reflect::get(&entries.get(0), &"nextHopProtocol".into())
        .ok()
        .and_then(|p| p.as_string())
        .unwrap_or_default();
    protocol.starts_with("h2") || protocol.starts_with("h3")
}

/// Registers the page's service worker and waits until it controls the page.
async fn simulated(container: web_sys::ServiceWorkerContainer) -> Network {
    if JsFuture::from(container.register("./sw.js")).await.is_err() {
        return Network::Unavailable;
    }
    // The worker claims the page when it activates: wait for that.
    let controlled = async {
        while container.controller().is_none() {
            gloo_timers::future::TimeoutFuture::new(20).await;
        }
    };
    let timeout = gloo_timers::future::TimeoutFuture::new(WORKER_TIMEOUT_MS);
    futures::pin_mut!(controlled, timeout);
    match futures::future::select(controlled, timeout).await {
        futures::future::Either::Left(_) => Network::Simulated,
        futures::future::Either::Right(_) => Network::Unavailable,
    }
}

/// `navigator.serviceWorker`, where the browser offers it (secure contexts only).
fn service_workers() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let container = js_sys::Reflect::get(&navigator, &"serviceWorker".into()).ok()?;
    (!container.is_undefined()).then(|| container.unchecked_into())
}
