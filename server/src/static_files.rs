//! Static files from the Trunk build, with the MIME types and cache headers the app needs.
//!
//! `ServeDir` does the serving: it percent-decodes the path and refuses any `..`, root or prefix
//! component, so nothing outside `dist` can be read. We only add headers around it.

use std::path::Path;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::ServeDir;

/// Cache header for files whose name carries a Trunk content hash: a new build gets a new name,
/// so a browser may keep these forever.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache header for everything else: the browser must revalidate, so a new build is seen at
/// once (index.html names the new hashed files; `worker.js` keeps its name across builds).
pub const REVALIDATE: &str = "no-cache";

/// A router that serves `dist` for every path it is given; `/` and `dir/` serve `index.html`.
pub fn router(dist: &Path) -> Router {
    // A release build carries .br and .gz copies (Trunk's post-build hook): send those as they
    // are; the compression layer handles any file without one.
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .not_found_service(axum::routing::any(not_found));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(add_file_headers))
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found.\n").into_response()
}

/// Sets the content type and cache policy from the name of the file that was served.
async fn add_file_headers(request: Request, next: Next) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let name = served_file_name(&path).to_owned();
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    // 206 and 304 are answers about the same file, so they get the same headers as a 200.
    let served = status.is_success() || status == StatusCode::NOT_MODIFIED;
    if served && status != StatusCode::NOT_MODIFIED {
        if let Some(mime) = content_type(&name) {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
        }
    }
    // A page module's files sit in a folder named after their content.
    let cache = if served && has_content_hash(&path) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Precompressed copies are chosen by Accept-Encoding: shared caches must key on it too.
    if served && !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// The name of the file a request path resolves to (`index.html` for a directory).
pub fn served_file_name(path: &str) -> &str {
    match path.rsplit('/').next() {
        None | Some("") => "index.html",
        Some(name) => name,
    }
}

/// Content types that browsers check strictly. `ServeDir` guesses from the extension too, but
/// these must be exact whatever the guessing table says: `WebAssembly.instantiateStreaming`
/// refuses anything but `application/wasm`, and module scripts and stylesheets are refused
/// under `nosniff` if their type is wrong.
pub fn content_type(name: &str) -> Option<&'static str> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript",
        "css" => "text/css",
        "html" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// True if the name (or path) contains a content hash: `-` then exactly 16 hex digits, then the
/// end of the name or a non-alphanumeric character (`app-3f2a9c1d2e4b5a6f_bg.wasm`,
/// `styles-3f2a9c1d2e4b5a6f.css`, `app_workload-3f2a9c1d2e4b5a6f/split_runs.wasm`).
pub fn has_content_hash(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.iter().enumerate().any(|(dash, &b)| {
        let digits = dash + 1..dash + 17;
        b == b'-'
            && bytes.len() >= digits.end
            && bytes[digits.clone()].iter().all(u8::is_ascii_hexdigit)
            && bytes
                .get(digits.end)
                .is_none_or(|next| !next.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashes_only() {
        for hashed in [
            "app-3f2a9c1d2e4b5a6f.js",
            "app-3f2a9c1d2e4b5a6f_bg.wasm",
            "styles-0123456789ABCDEF.css",
            "my-app-0123456789abcdef.js",
            "/app_workload-0123456789abcdef/split_runs.wasm",
        ] {
            assert!(has_content_hash(hashed), "{hashed}");
        }
        for plain in [
            "worker.js",
            "worker_bg.wasm",
            "sw.js",
            "index.html",
            "/notes/hello.txt",
            "app-3f2a9c1d2e4b5a6.js",
            "app-3f2a9c1d2e4b5a6f0.js",
            "app-3f2a9c1d2e4b5a6g.js",
            "app-3f2a9c1d2e4b5a6fz.js",
            "-",
            "",
        ] {
            assert!(!has_content_hash(plain), "{plain}");
        }
    }

    #[test]
    fn names_and_types() {
        assert_eq!(served_file_name("/"), "index.html");
        assert_eq!(served_file_name("/sub/"), "index.html");
        assert_eq!(served_file_name("/a/worker.js"), "worker.js");
        assert_eq!(content_type("x_bg.WASM"), Some("application/wasm"));
        assert_eq!(content_type("x.js"), Some("text/javascript"));
        assert_eq!(content_type("x.css"), Some("text/css"));
        assert_eq!(content_type("README"), None);
        assert_eq!(content_type("logo.png"), None);
    }
}
