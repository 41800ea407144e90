//! `cargo xtask serve`: build the app, build and start the local server, pass its output
//! through, and stop it on Ctrl-C.

use crate::build::{self, Profile};
use crate::process::{self, secs};
use crate::tools::{self, Needs};
use crate::{Ctx, Result};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free port)
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on (0.0.0.0 to reach it from other machines)
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Debug build of the app (faster to build, much slower to run: not for measurements)
    #[arg(long)]
    dev: bool,
    /// Build with Trunk even when dist/ looks up to date
    #[arg(long)]
    rebuild: bool,
}

pub fn serve(ctx: &Ctx, args: &ServeArgs) -> Result<()> {
    let started = std::time::Instant::now();
    tools::ensure(
        ctx,
        &Needs {
            lint: false,
            wasm: true,
            trunk: true,
            browser: false,
            e2e: false,
        },
    )?;
    let profile = if args.dev {
        Profile::Debug
    } else {
        Profile::Release
    };
    if args.rebuild {
        build::trunk_build(ctx, profile)?;
    } else {
        build::trunk_build_if_needed(ctx, profile)?;
    }
    let server = build::build_server(ctx, Profile::Debug)?;
    let (mut guard, url) = process::start_server(&server, &ctx.dist(), &args.host, args.port, "")?;
    process::forward_interrupts_to(guard.child_mut())?;

    let local = local_url(&url);
    println!();
    println!("  ================================================================");
    println!("    Async Playground: {local}");
    if local != url {
        println!("    (listening on {url})");
    }
    if args.dev {
        println!("    debug build: timings are many times slower than a release build");
    }
    println!(
        "    ready in {}; press Ctrl-C to stop",
        secs(started.elapsed())
    );
    println!("  ================================================================");
    println!();

    let status = guard
        .child_mut()
        .wait()
        .map_err(|err| format!("waiting for the server: {err}"))?;
    if process::interrupted() {
        println!("server stopped");
        Ok(())
    } else if status.success() {
        println!("the server exited");
        Ok(())
    } else {
        Err(format!("the server stopped ({status})"))
    }
}

/// A URL to open in a browser: a wildcard listen address becomes `localhost`.
fn local_url(url: &str) -> String {
    for wildcard in ["//0.0.0.0:", "//[::]:"] {
        if url.contains(wildcard) {
            return url.replacen(wildcard, "//localhost:", 1);
        }
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::local_url;

    #[test]
    fn wildcard_addresses_become_localhost() {
        assert_eq!(local_url("http://0.0.0.0:8080/"), "http://localhost:8080/");
        assert_eq!(local_url("http://[::]:8080/"), "http://localhost:8080/");
        assert_eq!(
            local_url("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080/"
        );
    }
}
