//! The `/api` routes: a health check and the latency endpoint the HTTP labs fetch.
//!
//! Every answer, errors included, is JSON in plain words: the page shows these messages to
//! learners, so axum's default rejection texts are never what they see.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde_json::json;
use tower_http::set_header::SetResponseHeaderLayer;

/// Limits of the latency endpoint, shared by all requests.
#[derive(Debug)]
pub struct ApiState {
    /// The largest `ms` a request may ask for.
    pub max_delay_ms: u64,
    /// How many delayed requests may wait at once before new ones get 429.
    pub max_in_flight: usize,
    /// How many delayed requests are waiting right now.
    in_flight: AtomicUsize,
}

impl ApiState {
    /// Limits with no request in flight.
    pub fn new(max_delay_ms: u64, max_in_flight: usize) -> Self {
        Self {
            max_delay_ms,
            max_in_flight,
            in_flight: AtomicUsize::new(0),
        }
    }

    /// Takes one in-flight slot, or `None` if all are taken.
    fn try_acquire(self: &Arc<Self>) -> Option<InFlightGuard> {
        // Optimistic increment, undone if it went over: cheaper than a CAS loop and never
        // lets more than `max_in_flight` guards exist at once.
        let before = self.in_flight.fetch_add(1, Ordering::AcqRel);
        if before >= self.max_in_flight {
            self.in_flight.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(InFlightGuard(Arc::clone(self)))
    }
}

/// Holds one in-flight slot. Hyper drops the handler's future when the client disconnects, so
/// releasing on drop (not at the end of the handler) frees the slot of an abandoned request too.
struct InFlightGuard(Arc<ApiState>);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The `/api` routes, with full paths, to be merged into the app's router.
///
/// Full paths rather than `nest` because a nested router does not see `/api/` itself, which
/// would then fall through to the static files and answer in text instead of JSON.
pub fn router(state: Arc<ApiState>) -> Router {
    Router::new()
        .route("/api/health", get(health).fallback(method_not_allowed))
        .route("/api/delay", get(delay).fallback(method_not_allowed))
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .with_state(state)
        // Labs may fetch this server from a page served elsewhere (a course site, a static
        // host); the answers hold nothing private, so any origin may read them.
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
}

async fn health() -> Response {
    Json(json!({
        "ok": true,
        "server": "playground-server",
        "version": env!("CARGO_PKG_VERSION"),
    }))
    .into_response()
}

async fn delay(State(state): State<Arc<ApiState>>, RawQuery(query): RawQuery) -> Response {
    let ms = match parse_ms(query.as_deref().unwrap_or(""), state.max_delay_ms) {
        Ok(ms) => ms,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let Some(_slot) = state.try_acquire() else {
        let mut response = error(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many delayed requests at once: this server lets at most {} wait at the \
                 same time. Try again when some have finished.",
                state.max_in_flight
            ),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    };
    let start = Instant::now();
    tokio::time::sleep(Duration::from_millis(ms)).await;
    // Rounded to microseconds: finer digits are noise and only lengthen the JSON.
    let waited_ms = (start.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    let mut response = Json(json!({ "ms": ms, "waited_ms": waited_ms })).into_response();
    // Every answer must really wait: a cached one would hide the latency the lab measures.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Reads `ms` from a raw query string. Other keys are ignored (pages add cache-busters).
///
/// Strict on purpose: only plain digits are accepted, and `ms` must appear exactly once, since
/// a server that guessed which of two values was meant would make a lab's numbers lie.
pub fn parse_ms(query: &str, max_ms: u64) -> Result<u64, String> {
    let range = format!("a whole number of milliseconds from 0 to {max_ms}");
    let mut values = form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == "ms")
        .map(|(_, value)| value);
    let Some(value) = values.next() else {
        return Err(format!("Missing `ms`: give the delay as `?ms=N`, {range}."));
    };
    if values.next().is_some() {
        return Err(format!(
            "`ms` is given more than once: give it once, {range}."
        ));
    }
    let shown = quoted_excerpt(&value);
    if value.is_empty() {
        return Err(format!("`ms` is empty: it must be {range}."));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`ms` must be {range}; got {shown}."));
    }
    // All digits, so the only way `parse` fails is overflow: that is "too large" too.
    match value.parse::<u64>() {
        Ok(ms) if ms <= max_ms => Ok(ms),
        _ => Err(format!(
            "`ms` is too large: the most this server waits is {max_ms} ms; got {shown}."
        )),
    }
}

/// The value as shown back in an error message, cut short so a huge query stays a short error.
fn quoted_excerpt(value: &str) -> String {
    const MAX_CHARS: usize = 40;
    if value.chars().count() <= MAX_CHARS {
        format!("{value:?}")
    } else {
        let head: String = value.chars().take(MAX_CHARS).collect();
        format!("{head:?}...")
    }
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "No such API endpoint: this server answers /api/health and /api/delay?ms=N.".into(),
    )
}

async fn method_not_allowed() -> Response {
    let mut response = error(
        StatusCode::METHOD_NOT_ALLOWED,
        "This endpoint answers GET requests only.".into(),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

/// A JSON error body `{"error": message}`, never cached.
fn error(status: StatusCode, message: String) -> Response {
    let mut response = (status, Json(json!({ "error": message }))).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::parse_ms;

    #[test]
    fn accepts_plain_numbers_within_the_cap() {
        assert_eq!(parse_ms("ms=0", 10), Ok(0));
        assert_eq!(parse_ms("ms=10", 10), Ok(10));
        assert_eq!(parse_ms("x=1&ms=007&_=9", 10), Ok(7));
    }

    #[test]
    fn rejects_everything_else_naming_ms_and_the_cap() {
        let huge = format!("ms={}", "9".repeat(500));
        for query in [
            "",
            "ms",
            "ms=",
            "ms=-1",
            "ms=+1",
            "ms=1.5",
            "ms=NaN",
            "ms=1e3",
            "ms=%20",
            "ms=11",
            "ms=1&ms=2",
            "ms=abc&ms=abc",
            "ms=%FF%FE",
            "ms=18446744073709551616",
            &huge,
            "&&&=&=",
            "ms=%",
            "ms=٣",
        ] {
            let message = parse_ms(query, 10).expect_err(query);
            assert!(message.contains("`ms`"), "{query}: {message}");
            assert!(message.contains("10"), "{query}: {message}");
            assert!(message.len() < 200, "{query}: {message}");
        }
    }
}
