//! The Async Playground's local server.
//!
//! It serves the Trunk build (`dist/`) with the headers the page needs (a CSP that allows the
//! build's own inline script by hash, cache headers that suit Trunk's hashed file names,
//! compression) and answers the latency endpoint `/api/delay?ms=N` that the HTTP labs fetch.
//!
//! Use [`app`] to build the router, [`bind`] to open the socket and [`serve`] to run it; the
//! `playground-server` binary does exactly that.

pub mod api;
pub mod csp;
pub mod oembed;
pub mod static_files;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::Router;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// What the server serves and the limits it enforces.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The Trunk build directory; it must contain `index.html`.
    pub dist: PathBuf,
    /// The largest delay `/api/delay` accepts, in milliseconds.
    pub max_delay_ms: u64,
    /// How many `/api/delay` requests may wait at once; more get 429.
    pub max_in_flight: usize,
    /// Where the page is reached (`https://example.org/async-playground/`), for oEmbed;
    /// `None`: the request's own address (or a proxy's `X-Forwarded-*` headers).
    pub public_url: Option<String>,
}

impl ServerConfig {
    /// A config serving `dist` with the command line's default limits.
    pub fn new(dist: impl Into<PathBuf>) -> Self {
        Self {
            dist: dist.into(),
            max_delay_ms: 10_000,
            max_in_flight: 5_000,
            public_url: None,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// `dist/index.html` is missing or unreadable: nothing was built, or `--dist` is wrong.
    #[error(
        "cannot read {path}: {source}. Build the page first (`trunk build --release`) \
         or point --dist at the folder that holds index.html"
    )]
    MissingIndex {
        /// The path that was tried.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The address could not be bound (taken, not local, or not permitted).
    #[error("cannot listen on {address}: {source}{hint}")]
    Bind {
        /// `host:port` as given.
        address: String,
        /// The underlying error.
        source: io::Error,
        /// Advice for the common case of a port already in use.
        hint: &'static str,
    },
    /// The server stopped with an I/O error.
    #[error("server error: {0}")]
    Serve(#[source] io::Error),
}

/// Builds the whole application: `/api/*`, then static files for every other path, with
/// compression and the security headers on every response.
///
/// Reads `dist/index.html` to hash its inline scripts into the CSP, and again whenever the file
/// changes (a rebuild while the server runs gets a new loader script and so a new hash).
pub fn app(config: &ServerConfig) -> Result<Router, ServerError> {
    let index_path = config.dist.join("index.html");
    let policy = Arc::new(csp::LivePolicy::new(index_path.clone()).map_err(|source| {
        ServerError::MissingIndex {
            path: index_path.clone(),
            source,
        }
    })?);

    let state = Arc::new(api::ApiState::new(
        config.max_delay_ms,
        config.max_in_flight,
    ));
    let public = oembed::PublicUrl(config.public_url.clone());
    let router = Router::new()
        .merge(api::router(state))
        .route(
            "/oembed",
            axum::routing::get(oembed::answer).with_state(public.clone()),
        )
        .fallback_service(static_files::router(&config.dist))
        // A lab page goes out with its oEmbed discovery link.
        .layer(axum::middleware::from_fn_with_state(
            (config.dist.clone(), public),
            oembed::discovery,
        ))
        // The default predicate compresses text and application/wasm alike (it skips images,
        // gRPC and event streams, and bodies under 32 bytes).
        .layer(CompressionLayer::new().br(true).gzip(true))
        // The example course page is a course site's page, with a policy of its own.
        .layer(axum::middleware::from_fn(examples_policy))
        // Outermost, so errors and 404s carry these too. No X-Frame-Options, ever: course
        // sites frame the page from any origin, which `frame-ancestors * file:` allows (a page opened from disk too).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            move |_: &axum::response::Response| Some(policy.current()),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ));
    Ok(router)
}

/// Gives what is served from `examples/` the example course page's policy
/// ([`csp::EXAMPLES_POLICY`]); every other answer gets the playground's.
async fn examples_policy(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let example = request.uri().path().starts_with("/examples/");
    let mut response = next.run(request).await;
    if example {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp::EXAMPLES_POLICY),
        );
    }
    response
}

/// Opens the listening socket. `port` 0 picks a free port; read it from `local_addr`.
pub async fn bind(host: &str, port: u16) -> Result<TcpListener, ServerError> {
    TcpListener::bind((host, port))
        .await
        .map_err(|source| ServerError::Bind {
            address: format_host_port(host, port),
            hint: if source.kind() == io::ErrorKind::AddrInUse {
                " (another server is using this port: stop it, or pass --port 0 to pick a free one)"
            } else {
                ""
            },
            source,
        })
}

/// The URL to print for a bound address, e.g. `http://127.0.0.1:8080/` or `http://[::1]:8080/`.
pub fn url_of(address: SocketAddr) -> String {
    format!("http://{address}/")
}

/// Serves `router` on `listener` until `shutdown` completes, then lets requests in progress
/// finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(ServerError::Serve)
}

/// `host:port`, with brackets around an IPv6 literal so the text reads unambiguously.
fn format_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}
