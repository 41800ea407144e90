//! `playground-server`: serves the Async Playground's Trunk build and its latency endpoint.
//!
//! On start it prints exactly one line to stdout, `listening on http://HOST:PORT/`, with the
//! port actually bound, so a script (the xtask, the end-to-end tests) can read the URL.
//! Everything else goes to stderr.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use playground_server::{app, bind, serve, url_of, ServerConfig, ServerError};

/// Serve the Async Playground build with its headers, and answer /api/delay?ms=N.
#[derive(Debug, Parser)]
#[command(name = "playground-server", version)]
struct Args {
    /// The Trunk build directory (must contain index.html).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The port to listen on; 0 picks a free port.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The largest delay /api/delay accepts, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    max_delay_ms: u64,
    /// How many /api/delay requests may wait at once; more are answered 429.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..))]
    max_in_flight: u64,
    /// Where the page is reached, e.g. https://example.org/async-playground/ (for oEmbed;
    /// default: each request's own address, or a proxy's X-Forwarded-Host, -Proto, -Prefix).
    #[arg(long)]
    public_url: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("playground-server: error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), ServerError> {
    let config = ServerConfig {
        dist: args.dist,
        max_delay_ms: args.max_delay_ms,
        max_in_flight: usize::try_from(args.max_in_flight).unwrap_or(usize::MAX),
        public_url: args.public_url,
    };
    // Check the build before taking the port, so a missing build never leaves a half-started
    // server behind.
    let router = app(&config)?;
    let listener = bind(&args.host, args.port).await?;
    let address = listener.local_addr().map_err(ServerError::Serve)?;

    // Exactly one line on stdout, flushed now: a script waits for it before it connects.
    let mut stdout = std::io::stdout().lock();
    // A closed stdout (the reader went away) must not stop the server: ignore write errors.
    let _ = writeln!(stdout, "listening on {}", url_of(address));
    let _ = stdout.flush();
    drop(stdout);
    eprintln!(
        "serving {} (delay up to {} ms, {} at once); Ctrl-C stops",
        config.dist.display(),
        config.max_delay_ms,
        config.max_in_flight
    );

    serve(listener, router, shutdown_signal()).await
}

/// Completes on Ctrl-C, or on SIGTERM where there is one (what `kill` and CI runners send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No signal handling available: run until killed.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    eprintln!("playground-server: shutting down");
}
