//! `cargo xtask`: the developer commands of the Async Playground.
//!
//! - `cargo xtask serve`: install what is missing, build the app with Trunk, serve it locally.
//! - `cargo xtask test`: install what is missing, then fmt, clippy (native and wasm), native
//!   tests, browser tests, and the end-to-end tests against a release build.
//! - `cargo xtask bench`: release build, one table of the page's cases beside the model and
//!   CPython on the same machine, download sizes, the server's load test; `--readme` writes the
//!   README's table from the latest run.
//! - `cargo xtask article-figures`: the article's figures from the core, as JSON, for the
//!   browser benchmark.
//!
//! Every tool is checked before use and installed once when missing (see `tools.rs`).

mod article;
mod bench;
mod build;
mod modules;
mod posters;
mod process;
mod python;
mod recipes;
mod serve;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Errors are messages for the person at the terminal: what went wrong and what to do.
pub type Result<T> = std::result::Result<T, String>;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Developer commands of the Async Playground",
    long_about = "Developer commands of the Async Playground.\n\n\
                  Each command installs the tools it needs on first use (Trunk, wasm-bindgen-cli, \
                  wasm-opt, and for tests Chromium and Playwright's npm packages); later runs only \
                  check their versions."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the app with Trunk and serve it with the local server (default http://127.0.0.1:8080/)
    Serve(serve::ServeArgs),
    /// Run every check: fmt, clippy, native and browser unit tests, end-to-end tests
    Test(test::TestArgs),
    /// Release build, then one table of the page's cases beside the model and CPython (JSON under target/bench/)
    Bench(bench::BenchArgs),
    /// Print the article's figures (from the core) as JSON, as the browser benchmark reads them
    ArticleFigures,
    /// Check and install the tools only (`--browser` adds Chromium and the e2e npm packages)
    #[command(hide = true)]
    EnsureTools {
        /// Also Chromium, chromedriver and the e2e npm packages
        #[arg(long)]
        browser: bool,
    },
    /// Build the page's modules, split at their split points, into Trunk's staging folder
    /// (Trunk runs it as a build hook)
    #[command(hide = true)]
    Modules,
    /// Write every lab's poster (SVG and PNG) into <dir>/posters/ (every build does it in dist/)
    Posters {
        /// The folder to write posters/ into
        #[arg(default_value = "dist")]
        dir: PathBuf,
    },
}

/// Where the repository is and how to reach its tools.
pub struct Ctx {
    pub root: PathBuf,
}

impl Ctx {
    fn new() -> Ctx {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .parent()
            .expect("xtask lives in a folder of the repository")
            .to_path_buf();
        Ctx { root }
    }

    /// `~/.cargo/bin` (or `$CARGO_HOME/bin`), where `cargo install` puts tools.
    pub fn cargo_bin_dir(&self) -> PathBuf {
        if let Some(home) = std::env::var_os("CARGO_HOME") {
            return PathBuf::from(home).join("bin");
        }
        let home = std::env::var_os("HOME").unwrap_or_default();
        PathBuf::from(home).join(".cargo").join("bin")
    }

    /// The project's own npm tools (wasm-opt from binaryen).
    pub fn node_bin_dir(&self) -> PathBuf {
        self.root.join("node_modules").join(".bin")
    }

    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }

    pub fn e2e(&self) -> PathBuf {
        self.root.join("e2e")
    }

    /// Cargo's target folder (honours `CARGO_TARGET_DIR`).
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => {
                let dir = PathBuf::from(dir);
                if dir.is_absolute() {
                    dir
                } else {
                    self.root.join(dir)
                }
            }
            None => self.root.join("target"),
        }
    }

    /// Put `~/.cargo/bin`, then `<root>/node_modules/.bin`, in front of `PATH` for this process
    /// and therefore for every tool it starts (Trunk finds wasm-bindgen and wasm-opt there).
    fn set_path(&self) {
        let mut dirs = vec![self.cargo_bin_dir(), self.node_bin_dir()];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        let mut seen = Vec::new();
        dirs.retain(|dir| {
            let new = !seen.contains(dir);
            seen.push(dir.clone());
            new
        });
        let path = std::env::join_paths(dirs).expect("PATH entries contain no separator");
        // Single-threaded at this point: nothing else reads the environment concurrently.
        std::env::set_var("PATH", path);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Ctx::new();
    ctx.set_path();
    let result = match cli.command {
        Command::Serve(args) => serve::serve(&ctx, &args),
        Command::Test(args) => return test::test(&ctx, &args),
        Command::Bench(args) => bench::bench(&ctx, &args),
        Command::ArticleFigures => {
            println!("{}", article::figures());
            Ok(())
        }
        Command::Modules => modules::from_trunk(&ctx),
        Command::Posters { dir } => posters::write(&ctx.root.join(dir)),
        Command::EnsureTools { browser } => tools::ensure(
            &ctx,
            &tools::Needs {
                lint: true,
                wasm: true,
                trunk: true,
                browser,
                e2e: browser,
            },
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
