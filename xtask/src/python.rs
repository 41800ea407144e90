//! `cargo xtask test`'s `python` step: every lab's Python, run by CPython at small sizes
//! against the project's own server, must print what the lab's own run prints.
//!
//! The programs and what they must print come from the core (`labs::fidelity`); this step
//! makes a virtual environment with `aiohttp` and `requests` (once, under `target/`), starts
//! the server, saves each program as a file and runs it. `cargo xtask bench` runs its CPython
//! cases (`bench/cpython.rs`) with the same environment and runner.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use page::fidelity;

use crate::build::{self, Profile};
use crate::process::{self, capture, run, secs};
use crate::{Ctx, Result};

/// What the virtual environment installs from PyPI.
const PACKAGES: [&str; 2] = ["aiohttp>=3.9,<4", "requests>=2.31,<3"];

/// The longest a program may take; a lab's takes a few seconds, the bench's million sleeps
/// about 25.
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(120);

pub fn run_step(ctx: &Ctx) -> Result<()> {
    let python = venv(ctx)?;
    let version = capture(Command::new(&python).arg("--version")).unwrap_or_default();
    println!("{}", version.trim());
    let work = ctx.root.join("target").join("python");
    // The server only needs a page to hash; the programs use its `api/delay`.
    let site = work.join("site");
    std::fs::create_dir_all(&site).map_err(|e| format!("{}: {e}", site.display()))?;
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>api</title>\n",
    )
    .map_err(|e| format!("{}: {e}", site.display()))?;
    let server = build::build_server(ctx, Profile::Debug)?;
    let (_server, base) = process::start_server(&server, &site, "127.0.0.1", 0, "[server] ")?;
    let base = if base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    };
    // A fresh folder each time: an old file there could shadow a module a program imports.
    let programs = work.join("programs");
    let _ = std::fs::remove_dir_all(&programs);
    std::fs::create_dir_all(&programs).map_err(|e| format!("{}: {e}", programs.display()))?;
    let mut failures = Vec::new();
    let cases = fidelity::cases(&base);
    for case in &cases {
        // `lab_` first: a file named like a module it imports (`http.py`) would shadow it.
        let file = programs.join(format!("lab_{}.py", case.name.replace('-', "_")));
        std::fs::write(&file, &case.program).map_err(|e| format!("{}: {e}", file.display()))?;
        let started = Instant::now();
        let outcome = run_program(&python, &file).and_then(|(stdout, stderr)| {
            fidelity::check(case, &stdout, &stderr)
                .map_err(|why| format!("{why}\n--- stderr ---\n{}", tail(&stderr)))
        });
        match outcome {
            Ok(()) => println!("  ok     {:<28}{:>8}", case.name, secs(started.elapsed())),
            Err(why) => {
                println!("  FAILED {:<28}{:>8}", case.name, secs(started.elapsed()));
                println!("{}", indent(&why));
                failures.push(case.name.clone());
            }
        }
    }
    println!(
        "python: {} programs, {} failed (saved under {})",
        cases.len(),
        failures.len(),
        programs.display()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "these programs do not print what their lab prints: {}",
            failures.join(", ")
        ))
    }
}

/// Runs `file` with `python`, killing it after [`PROGRAM_TIMEOUT`]; its stdout and stderr.
fn run_program(python: &Path, file: &Path) -> Result<(String, String)> {
    run_program_with(python, file, &[])
}

/// Runs `file` with `python` and `args`, killing it after [`PROGRAM_TIMEOUT`]; its stdout and
/// stderr (the bench's CPython cases run this way too).
pub fn run_program_with(python: &Path, file: &Path, args: &[String]) -> Result<(String, String)> {
    let mut cmd = Command::new(python);
    cmd.arg(file)
        .args(args)
        .current_dir(file.parent().unwrap_or(Path::new(".")))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", python.display()))?;
    let started = Instant::now();
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if started.elapsed() > PROGRAM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{} did not end within {}",
                file.display(),
                secs(PROGRAM_TIMEOUT)
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    Ok((
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// The virtual environment's python, made (once) with `python3 -m venv` and pip.
pub fn venv(ctx: &Ctx) -> Result<PathBuf> {
    venv_with(ctx, "python-venv", "aiohttp, requests", &PACKAGES)
}

/// The python of the virtual environment `target/<name>`, made (once) with `python3 -m venv`
/// and pip's `packages`, ready when it can import `imports` (`"aiohttp, requests"`).
pub fn venv_with(ctx: &Ctx, name: &str, imports: &str, packages: &[&str]) -> Result<PathBuf> {
    let dir = ctx.root.join("target").join(name);
    let python = dir.join("bin").join("python");
    let ready = || {
        Command::new(&python)
            .args(["-c", &format!("import {imports}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if ready() {
        return Ok(python);
    }
    let system = capture(Command::new("python3").args([
        "-c",
        "import sys; print(sys.version_info[0] * 100 + sys.version_info[1])",
    ]))
    .ok_or_else(|| {
        "python3 is needed: install it (`apt-get install -y python3 python3-venv`)".to_string()
    })?;
    if system.trim().parse::<u32>().unwrap_or(0) < 310 {
        return Err(format!(
            "python3 3.10 or newer is needed; this one is {}",
            system.trim()
        ));
    }
    println!(
        "making {} with {} (once)",
        dir.display(),
        packages.join(", ")
    );
    run(Command::new("python3").args(["-m", "venv", "--clear"]).arg(&dir)).map_err(|e| {
        format!("{e}\n  on Debian the venv module is its own package: `apt-get install -y python3-venv`")
    })?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(packages))?;
    if ready() {
        Ok(python)
    } else {
        Err(format!("{} cannot import {imports}", python.display()))
    }
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(12)..].join("\n")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("         {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
