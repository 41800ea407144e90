//! `cargo xtask test`: every check, in order, stopping at the first failure.

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use clap::ValueEnum;

use crate::build::{self, Profile};
use crate::process::{self, run, secs, show};
use crate::tools::{self, Needs, CHROMEDRIVER, WASM_TARGET};
use crate::{Ctx, Result};

#[derive(clap::Args)]
pub struct TestArgs {
    /// Skip the end-to-end step (Trunk release build + Playwright)
    #[arg(long)]
    skip_e2e: bool,
    /// Run only these steps (comma-separated or repeated), in the usual order
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Step>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
pub enum Step {
    /// cargo fmt --all --check
    Fmt,
    /// cargo clippy --workspace --all-targets -- -D warnings
    Clippy,
    /// cargo clippy -p async-playground --target wasm32-unknown-unknown --all-targets, and for
    /// each of the page's modules alone
    ClippyWasm,
    /// cargo test --workspace (native)
    Test,
    /// every lab's Python run by CPython against the server, checked against the lab's run
    Python,
    /// cargo test -p async-playground --target wasm32-unknown-unknown (headless Chromium)
    TestWasm,
    /// trunk build --release, then each module's and each lab's download against its budget
    Size,
    /// start the server on the release build, npx playwright test in e2e/
    E2e,
}

const ALL: [Step; 8] = [
    Step::Fmt,
    Step::Clippy,
    Step::ClippyWasm,
    Step::Test,
    Step::Python,
    Step::TestWasm,
    Step::Size,
    Step::E2e,
];

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Fmt => "fmt",
            Step::Clippy => "clippy",
            Step::ClippyWasm => "clippy-wasm",
            Step::Test => "test",
            Step::Python => "python",
            Step::TestWasm => "test-wasm",
            Step::Size => "size",
            Step::E2e => "e2e",
        }
    }
}

fn selected(args: &TestArgs) -> Vec<Step> {
    ALL.into_iter()
        .filter(|step| args.only.is_empty() || args.only.contains(step))
        .filter(|step| !(args.skip_e2e && *step == Step::E2e))
        .collect()
}

fn needs(steps: &[Step]) -> Needs {
    let has = |s: Step| steps.contains(&s);
    Needs {
        lint: has(Step::Fmt) || has(Step::Clippy) || has(Step::ClippyWasm),
        wasm: has(Step::ClippyWasm) || has(Step::TestWasm) || has(Step::Size) || has(Step::E2e),
        trunk: has(Step::Size) || has(Step::E2e),
        browser: has(Step::TestWasm) || has(Step::E2e),
        e2e: has(Step::E2e),
    }
}

pub fn test(ctx: &Ctx, args: &TestArgs) -> ExitCode {
    let steps = selected(args);
    if steps.is_empty() {
        eprintln!("error: no step selected");
        return ExitCode::FAILURE;
    }
    let total = Instant::now();
    println!("==> tools");
    if let Err(err) = tools::ensure(ctx, &needs(&steps)) {
        eprintln!("error: {err}");
        println!("FAILED: tools");
        println!("xtask test: 0 passed, 1 failed");
        return ExitCode::FAILURE;
    }

    let mut results: Vec<(Step, Duration, bool)> = Vec::new();
    let mut failure = None;
    for (i, &step) in steps.iter().enumerate() {
        println!();
        println!("==> [{}/{}] {}", i + 1, steps.len(), step.name());
        let started = Instant::now();
        let outcome = run_step(ctx, step);
        let took = started.elapsed();
        results.push((step, took, outcome.is_ok()));
        match outcome {
            Ok(()) => println!("<== {}: ok ({})", step.name(), secs(took)),
            Err(err) => {
                eprintln!("error: {err}");
                println!("FAILED: {} ({})", step.name(), secs(took));
                failure = Some(step);
                break;
            }
        }
    }

    println!();
    println!("steps:");
    for (step, took, ok) in &results {
        let verdict = if *ok { "ok" } else { "FAILED" };
        println!("  {verdict:<7}{:<13}{:>8}", step.name(), secs(*took));
    }
    for step in steps.iter().skip(results.len()) {
        println!("  {:<7}{:<13}", "-", step.name());
    }
    println!("total {}", secs(total.elapsed()));
    let passed = results.iter().filter(|(_, _, ok)| *ok).count();
    let failed = results.len() - passed;
    println!("xtask test: {passed} passed, {failed} failed");
    if failure.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn cargo(ctx: &Ctx, args: &[&str]) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&ctx.root).args(args);
    cmd
}

fn run_shown(cmd: &mut Command) -> Result<()> {
    println!("$ {}", show(cmd));
    run(cmd)
}

fn run_step(ctx: &Ctx, step: Step) -> Result<()> {
    match step {
        Step::Fmt => run_shown(&mut cargo(ctx, &["fmt", "--all", "--check"])),
        Step::Clippy => run_shown(&mut cargo(
            ctx,
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        )),
        Step::ClippyWasm => {
            let clippy = |features: &[&str]| {
                let mut args = vec!["clippy", "-p", "async-playground", "--target", WASM_TARGET];
                args.extend(features);
                args.extend(["--", "-D", "warnings"]);
                run_shown(&mut cargo(ctx, &args))
            };
            clippy(&["--all-targets"])?;
            // Each of the page's modules alone, as `cargo xtask modules` builds it, and the
            // workers' build, with none.
            for module in crate::modules::KINDS {
                clippy(&["--no-default-features", "--features", module])?;
            }
            clippy(&["--no-default-features"])
        }
        Step::Test => run_shown(&mut cargo(ctx, &["test", "--workspace"])),
        Step::TestWasm => {
            let mut cmd = cargo(
                ctx,
                &["test", "-p", "async-playground", "--target", WASM_TARGET],
            );
            // The runner (set in .cargo/config.toml) drives Chromium through chromedriver;
            // webdriver.json at the root names the binary and its flags.
            cmd.env("CHROMEDRIVER", CHROMEDRIVER)
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
                .env(
                    "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                    ctx.root.join("webdriver.json"),
                );
            run_shown(&mut cmd)
        }
        Step::Python => crate::python::run_step(ctx),
        Step::Size => {
            build::trunk_build(ctx, Profile::Release)?;
            crate::bench::sizes::check(&ctx.dist())
        }
        Step::E2e => e2e(ctx),
    }
}

fn e2e(ctx: &Ctx) -> Result<()> {
    // The size step's release build when it ran before, else a new one.
    build::trunk_build_if_needed(ctx, Profile::Release)?;
    let server = build::build_server(ctx, Profile::Debug)?;
    // Course pages built by Sphinx and MkDocs, which the recipes spec frames the lab in.
    let recipes = crate::recipes::build(ctx)?;
    // The guard kills the server when this function returns, passed or failed.
    let (_server, base_url) =
        process::start_server(&server, &ctx.dist(), "127.0.0.1", 0, "[server] ")?;
    println!("BASE_URL={base_url}");
    let mut cmd = Command::new("npx");
    cmd.current_dir(ctx.e2e())
        .args(["playwright", "test"])
        .env("BASE_URL", &base_url)
        // The build the server serves, which the static-host specs serve on their own too.
        .env("DIST_DIR", ctx.dist())
        .env("RECIPES_DIR", recipes);
    // CI (and the rest of the environment) is inherited.
    run_shown(&mut cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(skip_e2e: bool, only: &[Step]) -> TestArgs {
        TestArgs {
            skip_e2e,
            only: only.to_vec(),
        }
    }

    #[test]
    fn default_runs_every_step_in_order() {
        assert_eq!(selected(&args(false, &[])), ALL.to_vec());
        assert_eq!(selected(&args(true, &[])), ALL[..7].to_vec());
        assert_eq!(
            selected(&args(false, &[Step::E2e, Step::Fmt])),
            vec![Step::Fmt, Step::E2e]
        );
    }

    #[test]
    fn installs_only_what_the_steps_use() {
        let n = needs(&[Step::Fmt, Step::Test]);
        assert!(n.lint && !n.wasm && !n.trunk && !n.browser && !n.e2e);
        let n = needs(&ALL);
        assert!(n.lint && n.wasm && n.trunk && n.browser && n.e2e);
    }
}
