//! Test support: a temporary Trunk-like build, a server on a free port, and a tiny raw
//! HTTP/1.1 client. The client is written by hand on purpose: it sends paths exactly as given
//! (`/%2e%2e/...` stays encoded) so path traversal is tested as an attacker would send it, and
//! it keeps the test build small.

#![allow(dead_code)] // Each test file uses a different part of this module.

use std::net::SocketAddr;
use std::path::PathBuf;

use playground_server::{app, ServerConfig};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The inline module script of the test page, exactly as it appears between the tags.
pub const INLINE_SCRIPT: &str = "\nimport init, * as bindings from '/app-0123456789abcdef.js';\n\
const wasm = await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });\n\
window.wasmBindings = bindings;\n";

/// A file outside `dist` whose content must never be served.
pub const SECRET: &str = "SECRET-OUTSIDE-DIST";

/// The wasm file of the test build: a wasm header, then compressible filler.
pub fn wasm_bytes() -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend((0..4096u32).map(|i| (i % 7) as u8));
    bytes
}

/// A temporary folder holding `dist/` (a small Trunk-like build) and, beside it, files that
/// must stay private.
pub struct Build {
    root: TempDir,
}

impl Build {
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        let dist = root.path().join("dist");
        std::fs::create_dir_all(dist.join("sub")).unwrap();
        let index = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>Async Playground</title>\n\
             <link rel=\"stylesheet\" href=\"/styles-0123456789abcdef.css\">\n\
             <script src=\"/external.js\"></script>\n\
             <script type=\"module\">{INLINE_SCRIPT}</script>\n\
             </head><body><main>{}</main></body></html>\n",
            "Learn concurrency by running it. ".repeat(20)
        );
        std::fs::write(dist.join("index.html"), index).unwrap();
        std::fs::write(dist.join("app-0123456789abcdef_bg.wasm"), wasm_bytes()).unwrap();
        std::fs::write(
            dist.join("app-0123456789abcdef.js"),
            "export default async function init() {}\n".repeat(10),
        )
        .unwrap();
        std::fs::write(dist.join("worker.js"), "self.onmessage = () => {};\n").unwrap();
        std::fs::write(
            dist.join("sw.js"),
            "self.addEventListener('fetch', () => {});\n",
        )
        .unwrap();
        std::fs::write(dist.join("worker_bg.wasm"), wasm_bytes()).unwrap();
        std::fs::write(
            dist.join("styles-0123456789abcdef.css"),
            "body { margin: 0; }\n".repeat(10),
        )
        .unwrap();
        std::fs::write(dist.join("sub").join("index.html"), "<p>sub</p>").unwrap();
        // A page module's folder, named after its content.
        let module = dist.join("app_workload-0123456789abcdef");
        std::fs::create_dir_all(&module).unwrap();
        std::fs::write(module.join("split_runs.wasm"), wasm_bytes()).unwrap();
        std::fs::write(root.path().join("Cargo.toml"), SECRET).unwrap();
        Self { root }
    }

    pub fn dist(&self) -> PathBuf {
        self.root.path().join("dist")
    }
}

/// A server running on a free loopback port for the duration of a test.
pub struct Server {
    pub addr: SocketAddr,
    pub build: Build,
}

impl Server {
    /// Starts a server on the test build with the given limits.
    pub async fn start(max_delay_ms: u64, max_in_flight: usize) -> Self {
        let build = Build::new();
        let config = ServerConfig {
            dist: build.dist(),
            max_delay_ms,
            max_in_flight,
            public_url: None,
        };
        let router = app(&config).expect("app builds");
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { addr, build }
    }

    /// `http://127.0.0.1:<port>/`: the server's own address, as a page's URL starts.
    pub fn base(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Sends `GET path` with extra header lines and reads the whole response.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        get(self.addr, path, headers).await
    }
}

/// One parsed HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The value of a header (names compared case-insensitively), if present once or more.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }
}

/// Sends one request with `Connection: close` and reads the response to the end.
pub async fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    parse(&raw)
}

fn parse(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("complete response head");
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("header line");
            (name.trim().to_owned(), value.trim().to_owned())
        })
        .collect();
    let mut reply = Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    };
    if reply.header("transfer-encoding") == Some("chunked") {
        reply.body = dechunk(&reply.body);
    }
    reply
}

/// Decodes a chunked body (no trailers are expected from this server).
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size");
        let size_text = std::str::from_utf8(&data[..line_end]).unwrap();
        let size_text = size_text.split(';').next().unwrap().trim();
        let size = usize::from_str_radix(size_text, 16).expect("hex chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}
