//! `cargo xtask bench`: the browser benchmark against a release build, the download size of the
//! first load against its budget, and CPython's asyncio on the same machine for reference.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build::{self, Profile};
use crate::process::{self, capture, run, show};
use crate::tools::{self, Needs};
use crate::{Ctx, Result};

/// Brotli bytes the first load (app wasm + js + css) may weigh.
pub const BROTLI_BUDGET: u64 = 150_000;

/// Gzip -9 and brotli q11 sizes of each file given, one `raw gzip brotli` line per file.
const COMPRESS_JS: &str = r#"
const fs = require("fs"), zlib = require("zlib");
for (const file of process.argv.slice(1)) {
  const raw = fs.readFileSync(file);
  const gzip = zlib.gzipSync(raw, { level: 9 }).length;
  const br = zlib.brotliCompressSync(raw, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
  } }).length;
  console.log(`${raw.length} ${gzip} ${br}`);
}
"#;

/// Seconds for `asyncio.gather` of N `asyncio.sleep(1)` tasks (N = argv[1]).
const GATHER_PY: &str = r#"
import asyncio, sys, time
n = int(sys.argv[1])
async def main():
    start = time.perf_counter()
    await asyncio.gather(*(asyncio.sleep(1) for _ in range(n)))
    return time.perf_counter() - start
print(f"{asyncio.run(main()):.3f}")
"#;

const PYTHON_TASKS: [u32; 2] = [4_000, 100_000];

pub fn bench(ctx: &Ctx) -> Result<()> {
    tools::ensure(
        ctx,
        &Needs {
            lint: false,
            wasm: true,
            trunk: true,
            browser: true,
            e2e: true,
        },
    )?;
    let script = ctx.e2e().join("bench").join("run.mjs");
    if !script.exists() {
        return Err(format!("{} is missing", script.display()));
    }
    // Measurements are only meaningful on a release build.
    build::trunk_build(ctx, Profile::Release)?;
    let server = build::build_server(ctx)?;
    let mut problems = Vec::new();
    {
        let (_server, base_url) =
            process::start_server(&server, &ctx.dist(), "127.0.0.1", 0, "[server] ")?;
        println!();
        println!("== Browser benchmark (e2e/bench/run.mjs, BASE_URL={base_url})");
        let mut cmd = Command::new("node");
        cmd.current_dir(&ctx.root)
            .arg(Path::new("e2e").join("bench").join("run.mjs"))
            .env("BASE_URL", &base_url);
        println!("$ {}", show(&cmd));
        if let Err(err) = run(&mut cmd) {
            eprintln!("error: {err}");
            problems.push("the browser benchmark failed".to_string());
        }
        // The server is stopped here.
    }

    println!();
    match first_load_report(&ctx.dist()) {
        Ok(Some(over)) => problems.push(format!("the first load is {over} bytes over budget")),
        Ok(None) => {}
        Err(err) => {
            eprintln!("error: {err}");
            problems.push("sizes could not be measured".to_string());
        }
    }

    println!();
    python_report();

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Prints the size table; returns by how many bytes the brotli total exceeds the budget.
fn first_load_report(dist: &Path) -> Result<Option<u64>> {
    let (first, others) = first_load_files(dist)?;
    if first.is_empty() {
        return Err(format!("no .wasm, .js or .css file in {}", dist.display()));
    }
    let sizes = compressed_sizes(&first)?;
    println!("== First-load download (dist/; gzip -9, brotli quality 11; bytes)");
    println!(
        "  {:<40}{:>12}{:>12}{:>12}",
        "file", "raw", "gzip", "brotli"
    );
    let mut total = [0u64; 3];
    for (file, size) in first.iter().zip(&sizes) {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "  {:<40}{:>12}{:>12}{:>12}",
            name,
            group(size[0]),
            group(size[1]),
            group(size[2])
        );
        for (t, s) in total.iter_mut().zip(size) {
            *t += s;
        }
    }
    println!(
        "  {:<40}{:>12}{:>12}{:>12}",
        "total",
        group(total[0]),
        group(total[1]),
        group(total[2])
    );
    let over = total[2].checked_sub(BROTLI_BUDGET).filter(|&o| o > 0);
    match over {
        None => println!(
            "  budget: {} bytes brotli (150 KB): within budget, {} bytes to spare",
            group(BROTLI_BUDGET),
            group(BROTLI_BUDGET - total[2])
        ),
        Some(o) => println!(
            "  budget: {} bytes brotli (150 KB): OVER BUDGET by {} bytes",
            group(BROTLI_BUDGET),
            group(o)
        ),
    }
    if !others.is_empty() {
        let names: Vec<String> = others
            .iter()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        println!("  loaded later, not counted: {}", names.join(", "));
    }
    Ok(over)
}

fn is_asset(name: &str) -> bool {
    [".wasm", ".js", ".css"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

fn is_worker(name: &str) -> bool {
    name.contains("worker") || name == "sw.js"
}

/// The app's .wasm/.js/.css that dist/index.html loads, and the other assets (workers, ...).
fn first_load_files(dist: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let entries =
        std::fs::read_dir(dist).map_err(|err| format!("cannot read {}: {err}", dist.display()))?;
    let mut assets: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| is_asset(name))
        .collect();
    assets.sort();
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let referenced = referenced_assets(&index);
    let (first, others): (Vec<String>, Vec<String>) = assets
        .into_iter()
        .partition(|name| !is_worker(name) && (referenced.is_empty() || referenced.contains(name)));
    let paths = |names: Vec<String>| names.into_iter().map(|n| dist.join(n)).collect();
    Ok((paths(first), paths(others)))
}

/// File names of the .wasm/.js/.css that an HTML page refers to (links, scripts, and the
/// paths in Trunk's inline loader).
fn referenced_assets(html: &str) -> Vec<String> {
    let mut names: Vec<String> = html
        .split(|c: char| c.is_whitespace() || "\"'`()<>=,;".contains(c))
        .map(|token| token.split(['?', '#']).next().unwrap_or_default())
        .filter(|token| is_asset(token))
        .filter_map(|token| token.rsplit('/').next())
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn compressed_sizes(files: &[PathBuf]) -> Result<Vec<[u64; 3]>> {
    let mut cmd = Command::new("node");
    cmd.arg("-e").arg(COMPRESS_JS).args(files);
    let out = capture(&mut cmd).ok_or("`node -e <compress sizes>` failed")?;
    let sizes: Vec<[u64; 3]> = out
        .lines()
        .filter_map(|line| {
            let n: Vec<u64> = line
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (n.len() == 3).then(|| [n[0], n[1], n[2]])
        })
        .collect();
    if sizes.len() != files.len() {
        return Err(format!("unexpected output of the size script: {out:?}"));
    }
    Ok(sizes)
}

fn python_report() {
    println!("== Reference: CPython on this machine (asyncio.gather of asyncio.sleep(1) tasks)");
    let Some(version) = capture(Command::new("python3").arg("--version")) else {
        println!("  skipped: python3 not found");
        return;
    };
    println!("  {version}");
    for tasks in PYTHON_TASKS {
        let said = capture(
            Command::new("python3")
                .arg("-c")
                .arg(GATHER_PY)
                .arg(tasks.to_string()),
        );
        match said.and_then(|s| s.parse::<f64>().ok()) {
            Some(seconds) => println!("  {:>9} tasks: {seconds:.2} s", group(u64::from(tasks))),
            None => println!("  {:>9} tasks: failed", group(u64::from(tasks))),
        }
    }
    println!("  (the browser's figures for the same workload are in the benchmark report above)");
}

/// 1234567 -> "1,234,567"
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_assets_of_trunks_index() {
        let html = r#"<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/style-5f1c2a.css" integrity="sha384-x"/>
<link rel="modulepreload" href="/app-8a7b6c.js" crossorigin="anonymous">
<link rel="preload" href="/app-8a7b6c_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<script type="module">
import init, * as bindings from '/app-8a7b6c.js';
const wasm = await init({ module_or_path: '/app-8a7b6c_bg.wasm' });
</script></head><body></body></html>"#;
        assert_eq!(
            referenced_assets(html),
            vec!["app-8a7b6c.js", "app-8a7b6c_bg.wasm", "style-5f1c2a.css"]
        );
        assert_eq!(
            referenced_assets(r#"<script src="./sub/app.js?v=2"></script>"#),
            vec!["app.js"]
        );
    }

    #[test]
    fn workers_are_not_first_load() {
        assert!(is_worker("worker.js"));
        assert!(is_worker("worker_bg.wasm"));
        assert!(is_worker("sw.js"));
        assert!(!is_worker("app-8a7b6c_bg.wasm"));
    }

    #[test]
    fn groups_digits() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(153_600), "153,600");
        assert_eq!(group(1_234_567), "1,234,567");
    }
}
