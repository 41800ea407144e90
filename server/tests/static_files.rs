//! Static files through a real socket: types, caching, CSP, compression, path traversal.

mod common;

use std::io::Read as _;

use common::{Server, INLINE_SCRIPT, SECRET};
use playground_server::csp::sha256_source;

const WASM: &str = "/app-0123456789abcdef_bg.wasm";

#[tokio::test]
async fn index_is_served_at_root_and_never_cached_stale() {
    let server = Server::start(10_000, 10).await;
    for path in ["/", "/index.html"] {
        let reply = server.get(path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.text().contains("<script type=\"module\">"), "{path}");
        assert!(reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
    let reply = server.get("/sub/", &[]).await;
    assert_eq!(reply.text(), "<p>sub</p>");
}

#[tokio::test]
async fn mime_types_are_exact() {
    let server = Server::start(10_000, 10).await;
    for (path, mime) in [
        (WASM, "application/wasm"),
        ("/worker_bg.wasm", "application/wasm"),
        ("/app-0123456789abcdef.js", "text/javascript"),
        ("/worker.js", "text/javascript"),
        ("/sw.js", "text/javascript"),
        ("/styles-0123456789abcdef.css", "text/css"),
    ] {
        let reply = server.get(path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(mime), "{path}");
    }
    let reply = server.get(WASM, &[]).await;
    assert_eq!(reply.body, common::wasm_bytes());
}

#[tokio::test]
async fn hashed_files_are_immutable_and_others_revalidate() {
    let server = Server::start(10_000, 10).await;
    for path in [
        WASM,
        "/app-0123456789abcdef.js",
        "/styles-0123456789abcdef.css",
        "/app_workload-0123456789abcdef/split_runs.wasm",
    ] {
        let reply = server.get(path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
    }
    for path in [
        "/worker.js",
        "/worker_bg.wasm",
        "/sw.js",
        "/",
        "/index.html",
    ] {
        let reply = server.get(path, &[]).await;
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
    // A missing hashed name must not be cached forever: the file may appear with a new build.
    let reply = server.get("/app-fedcba9876543210.js", &[]).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn csp_allows_exactly_the_inline_script_and_any_framer() {
    let server = Server::start(10_000, 10).await;
    let expected_hash = sha256_source(INLINE_SCRIPT);
    // `/sw.js` is the static host's service worker: its own policy must allow it to run, and
    // the page's `worker-src 'self'` allows registering it.
    for path in [
        "/",
        WASM,
        "/sw.js",
        "/missing",
        "/api/health",
        "/api/delay?ms=x",
    ] {
        let reply = server.get(path, &[]).await;
        let csp = reply
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(
            csp.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' {expected_hash};"
            )),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors * file:"), "{path}: {csp}");
        assert!(csp.contains("worker-src 'self' blob:"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(reply.header("x-frame-options").is_none(), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            reply.header("referrer-policy"),
            Some("strict-origin-when-cross-origin")
        );
    }
    // The hash is the standard one: SHA-256 of the script's exact text, base64.
    assert!(expected_hash.starts_with("'sha256-") && expected_hash.ends_with("='"));
    // The example course page is a course site's page: it frames the labs and keeps its
    // own style, and may itself be framed (or opened from disk).
    let reply = server.get("/examples/course-page.html", &[]).await;
    let csp = reply.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("frame-src http: https:"), "{csp}");
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(csp.contains("frame-ancestors * file:"), "{csp}");
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
}

#[tokio::test]
async fn compresses_with_brotli_or_gzip_when_asked() {
    let server = Server::start(10_000, 10).await;
    let reply = server.get(WASM, &[("Accept-Encoding", "br")]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-encoding"), Some("br"));
    assert_eq!(reply.header("content-type"), Some("application/wasm"));
    let mut decoded = Vec::new();
    brotli_decompressor::Decompressor::new(&reply.body[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, common::wasm_bytes());
    assert!(reply.body.len() < decoded.len() / 4);

    let reply = server.get("/", &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
    assert_eq!(&reply.body[..2], b"\x1f\x8b");

    let reply = server.get("/worker.js", &[]).await;
    assert_eq!(reply.header("content-encoding"), None);
}

#[tokio::test]
async fn path_traversal_is_refused() {
    let server = Server::start(10_000, 10).await;
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/Cargo.toml",
        "/..%2fCargo.toml",
        "/..%2FCargo.toml",
        "/sub/../../Cargo.toml",
        "/sub/%2e%2e/%2e%2e/Cargo.toml",
        "/..%5cCargo.toml",
        "//Cargo.toml",
        "/%2fetc%2fpasswd",
    ] {
        let reply = server.get(path, &[]).await;
        assert!(
            reply.status == 404 || reply.status == 400,
            "{path}: {}",
            reply.status
        );
        assert!(!reply.text().contains(SECRET), "{path} leaked a file");
        assert!(!reply.text().contains("root:"), "{path} leaked a file");
    }
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let server = Server::start(10_000, 10).await;
    let reply = server.get("/no-such-file.js", &[]).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert!(reply.header("content-security-policy").is_some());
}
