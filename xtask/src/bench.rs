//! `cargo xtask bench`: the browser benchmark against a release build, a load test of the
//! server's latency endpoint, the download size of the first load against its budget, and
//! CPython on the same machine for reference: asyncio, and the article's is_prime loop against
//! the page's own time for it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use playground_core::cpu::{article_iterations, ARTICLE_N};
use playground_core::format::count;

use crate::build::{self, Profile};
use crate::process::{self, capture, show};
use crate::tools::{self, Needs};
use crate::{Ctx, Result};

/// Brotli bytes the first load (app wasm + js + css) may weigh.
pub const BROTLI_BUDGET: u64 = 200_000;

/// Brotli bytes the first load aims for (reported, not judged).
const BROTLI_GOAL: u64 = 120_000;

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

/// CPython's threads: 4,000 threads each `time.sleep(1)`, started in a loop and joined; prints
/// the wall time and the time the starts took (the page's `threads` bench beside it).
const THREADS_PY: &str = r#"
import sys, threading, time
n = int(sys.argv[1])
threads = [threading.Thread(target=time.sleep, args=(1,)) for _ in range(n)]
start = time.perf_counter()
for thread in threads:
    thread.start()
started = time.perf_counter() - start
for thread in threads:
    thread.join()
print(f"{time.perf_counter() - start:.3f} {started:.3f}")
"#;

/// Threads in CPython's reference run.
const PYTHON_THREADS: u32 = 4_000;

/// The article's is_prime loop as written, in Python, for the reference scripts below.
macro_rules! is_prime_py {
    () => {
        "def is_prime_as_written(n):
    for i in range(n - 1, 0, -1):
        if n % i == 0:
            return True
    return False
"
    };
}

/// Seconds of each of `runs` calls of the article's is_prime loop for `n` (argv: n, runs), on
/// one line.
const ARTICLE_PY: &str = concat!(
    "import sys, time\n",
    is_prime_py!(),
    r#"n, runs = int(sys.argv[1]), int(sys.argv[2])
times = []
for _ in range(runs):
    start = time.perf_counter()
    is_prime_as_written(n)
    times.append(time.perf_counter() - start)
print(" ".join(f"{t:.4f}" for t in times))
"#
);

/// `multiprocessing.Pool` on the article's loop, as the page's pool benchmark does: 2 x cores
/// jobs of `n` (argv: n, runs) one after another in one process, then on a warm pool of one
/// process per core; one `sequential pool` line of seconds per run.
const POOL_PY: &str = concat!(
    "import multiprocessing, os, sys, time\n",
    is_prime_py!(),
    r#"if __name__ == "__main__":
    n, runs = int(sys.argv[1]), int(sys.argv[2])
    cores = os.cpu_count() or 1
    jobs = [n] * (2 * cores)
    with multiprocessing.Pool(cores) as pool:
        pool.map(abs, range(cores))
        for _ in range(runs):
            start = time.perf_counter()
            for job in jobs:
                is_prime_as_written(job)
            sequential = time.perf_counter() - start
            start = time.perf_counter()
            pool.map(is_prime_as_written, jobs, chunksize=1)
            print(f"{sequential:.4f} {time.perf_counter() - start:.4f} {cores}", flush=True)
"#
);

/// CPython runs of the article's loop; the best counts.
const ARTICLE_RUNS: u32 = 3;

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
    for script in ["run.mjs", "load.mjs"] {
        let script = ctx.e2e().join("bench").join(script);
        if !script.exists() {
            return Err(format!("{} is missing", script.display()));
        }
    }
    // Measurements are only meaningful on a release build.
    build::trunk_build(ctx, Profile::Release)?;
    // The load test measures the server too: build it as it would be deployed.
    let server = build::build_server(ctx, Profile::Release)?;
    // CPython first, on an idle machine: right after the server's load test its threads
    // measured several times slower.
    python_report();
    println!();
    let mut problems = Vec::new();
    let page_article_ms;
    let page_pool_efficiency;
    {
        let (_server, base_url) =
            process::start_server(&server, &ctx.dist(), "127.0.0.1", 0, "[server] ")?;
        let last_line = bench_script(ctx, "Browser benchmark", "run.mjs", &base_url)
            .unwrap_or_else(|(problem, last_line)| {
                problems.push(problem);
                last_line
            });
        // The last line is the benchmark's JSON summary.
        page_article_ms = last_line
            .as_deref()
            .and_then(|json| json_number(json, "isPrimeArticle", "medianWallMs"));
        page_pool_efficiency = last_line
            .as_deref()
            .and_then(|json| json_number(json, "poolSpeedup", "medianEfficiency"));

        // After the browser benchmark, so the pages were measured on an idle server. The
        // server keeps its default cap of requests in flight (5,000), above the test's 1,000.
        let last_line = bench_script(ctx, "Server load test", "load.mjs", &base_url)
            .unwrap_or_else(|(problem, last_line)| {
                problems.push(problem);
                last_line
            });
        println!("  {}", load_summary(last_line.as_deref()));
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
    article_report(page_article_ms);
    println!();
    pool_report(page_pool_efficiency);

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Runs `e2e/bench/<script>` against `base_url` under a heading; returns its last line (its
/// JSON summary), or what to report as a problem with whatever last line it printed.
fn bench_script(
    ctx: &Ctx,
    title: &str,
    script: &str,
    base_url: &str,
) -> std::result::Result<Option<String>, (String, Option<String>)> {
    println!();
    println!("== {title} (e2e/bench/{script}, BASE_URL={base_url})");
    let mut cmd = Command::new("node");
    cmd.current_dir(&ctx.root)
        .arg(Path::new("e2e").join("bench").join(script))
        .env("BASE_URL", base_url)
        .env(crate::article::ENV, crate::article::figures().to_string());
    println!("$ {}", show(&cmd));
    let (outcome, last_line) = run_keeping_last_line(&mut cmd);
    match outcome {
        Ok(()) => Ok(last_line),
        Err(err) => {
            eprintln!("error: {err}");
            Err((format!("{title} failed ({script})"), last_line))
        }
    }
}

/// Runs `cmd` with its stdout printed line by line as it comes (stderr attached); returns how
/// the run went and its last non-empty stdout line.
fn run_keeping_last_line(cmd: &mut Command) -> (Result<()>, Option<String>) {
    let mut child = match cmd.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(err) => return (Err(format!("could not start `{}`: {err}", show(cmd))), None),
    };
    let mut last = None;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::io::Result::ok)
        {
            println!("{line}");
            if !line.trim().is_empty() {
                last = Some(line);
            }
        }
    }
    let outcome = match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("`{}` failed ({status})", show(cmd))),
        Err(err) => Err(format!("`{}` could not be waited for: {err}", show(cmd))),
    };
    (outcome, last)
}

/// The number `key` of the object `object` in the benchmark's JSON summary line.
fn json_number(json: &str, object: &str, key: &str) -> Option<f64> {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()?
        .get(object)?
        .get(key)?
        .as_f64()
}

/// One line of the load test's figures, read from its JSON summary line.
fn load_summary(json: Option<&str>) -> String {
    let figure = |key| json.and_then(|json| json_number(json, "load", key));
    let (Some(requests), Some(concurrency), Some(delay), Some(errors)) = (
        figure("requests"),
        figure("concurrency"),
        figure("delayMs"),
        figure("errors"),
    ) else {
        return "load test: no figures (the load test did not report them)".to_string();
    };
    let ms = |key| figure(key).map_or("?".to_string(), |ms| format!("{ms:.1} ms"));
    format!(
        "load test: {} requests, {} concurrent, api/delay?ms={delay}: {} req/s, p50 {} (+{}), \
         p99 {} (+{}), {} errors",
        count(requests as u64),
        count(concurrency as u64),
        figure("throughputRps").map_or("?".to_string(), |rps| count(rps.round() as u64)),
        ms("p50Ms"),
        ms("p50OverMs"),
        ms("p99Ms"),
        ms("p99OverMs"),
        count(errors as u64),
    )
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
            count(size[0]),
            count(size[1]),
            count(size[2])
        );
        for (t, s) in total.iter_mut().zip(size) {
            *t += s;
        }
    }
    println!(
        "  {:<40}{:>12}{:>12}{:>12}",
        "total",
        count(total[0]),
        count(total[1]),
        count(total[2])
    );
    let over = total[2].checked_sub(BROTLI_BUDGET).filter(|&o| o > 0);
    match over {
        None => println!(
            "  budget: {} bytes brotli (200 KB): within budget, {} bytes to spare",
            count(BROTLI_BUDGET),
            count(BROTLI_BUDGET - total[2])
        ),
        Some(o) => println!(
            "  budget: {} bytes brotli (200 KB): OVER BUDGET by {} bytes",
            count(BROTLI_BUDGET),
            count(o)
        ),
    }
    println!(
        "  goal: {} bytes brotli (120 KB): {}",
        count(BROTLI_GOAL),
        match total[2].checked_sub(BROTLI_GOAL) {
            Some(over) if over > 0 => format!("{} bytes over", count(over)),
            _ => "met".to_string(),
        }
    );
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
            Some(seconds) => println!("  {:>9} tasks: {seconds:.2} s", count(u64::from(tasks))),
            None => println!("  {:>9} tasks: failed", count(u64::from(tasks))),
        }
    }
    let said = capture(
        Command::new("python3")
            .arg("-c")
            .arg(THREADS_PY)
            .arg(PYTHON_THREADS.to_string()),
    );
    let figures: Vec<f64> = said
        .iter()
        .flat_map(|s| s.split_whitespace())
        .filter_map(|w| w.parse().ok())
        .collect();
    match figures[..] {
        [wall, started] => println!(
            "  threading, {} threads x time.sleep(1): {wall:.2} s ({started:.2} s of it starting them)",
            count(u64::from(PYTHON_THREADS))
        ),
        _ => println!("  threading: failed"),
    }
    println!("  (the browser's figures for the same workloads are in the benchmark report below)");
}

/// What `script` prints, run by CPython with the article's n and [`ARTICLE_RUNS`] as arguments.
fn python_on_article_n(script: &str) -> Option<String> {
    capture(
        Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(ARTICLE_N.to_string())
            .arg(ARTICLE_RUNS.to_string()),
    )
}

/// The article's is_prime loop in CPython for [`ARTICLE_N`] (best of [`ARTICLE_RUNS`]) beside
/// the page's median wall for one job of it on the event loop (`page_ms`, from the benchmark).
fn article_report(page_ms: Option<f64>) {
    let iterations = article_iterations(ARTICLE_N);
    println!(
        "== Reference: the article's is_prime({ARTICLE_N}), {} iterations, in CPython and the page",
        count(iterations)
    );
    let per_iteration = |ms: f64| ms * 1e6 / iterations as f64;
    let said = python_on_article_n(ARTICLE_PY);
    let runs: Vec<f64> = said
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let cpython_ms = runs.iter().copied().reduce(f64::min).map(|s| s * 1000.0);
    match cpython_ms {
        Some(ms) => {
            let all: Vec<String> = runs.iter().map(|s| format!("{s:.3}")).collect();
            println!(
                "  {:<32}{:>10.1} ms  {:>7.2} ns/iteration  (best of {}: {} s)",
                "CPython",
                ms,
                per_iteration(ms),
                runs.len(),
                all.join(", ")
            );
        }
        None => println!("  {:<32}failed or python3 not found", "CPython"),
    }
    match page_ms {
        Some(ms) => println!(
            "  {:<32}{:>10.1} ms  {:>7.2} ns/iteration  (median wall of {ARTICLE_RUNS} runs)",
            "page (wasm, event-loop)",
            ms,
            per_iteration(ms)
        ),
        None => println!(
            "  {:<32}no figure (the browser benchmark did not report one)",
            "page (wasm, event-loop)"
        ),
    }
    if let (Some(cpython), Some(page)) = (cpython_ms, page_ms.filter(|&ms| ms > 0.0)) {
        println!(
            "  wasm / CPython: {:.1}x as fast per iteration (the page's wall also holds a yield)",
            cpython / page
        );
    }
}

/// CPython's `multiprocessing.Pool` on this machine, for the same shape of work as the page's
/// pool benchmark: what the machine itself allows two processes computing at once.
fn pool_report(page_efficiency: Option<f64>) {
    println!(
        "== Reference: multiprocessing.Pool in CPython, 2 x cores jobs of is_prime({ARTICLE_N})"
    );
    let said = python_on_article_n(POOL_PY);
    let mut efficiencies: Vec<f64> = Vec::new();
    for line in said.as_deref().unwrap_or_default().lines() {
        let numbers: Vec<f64> = line
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        if let [sequential, pool, cores] = numbers[..] {
            let speed_up = sequential / pool;
            efficiencies.push(speed_up / cores);
            println!(
                "  one process {sequential:.2} s, Pool({cores}) {pool:.2} s: {speed_up:.2}x, \
                 {:.3} per process",
                speed_up / cores
            );
        }
    }
    efficiencies.sort_by(f64::total_cmp);
    match efficiencies.get(efficiencies.len() / 2) {
        Some(median) => println!("  CPython's median efficiency per process: {median:.3}"),
        None => println!("  failed or python3 not found"),
    }
    if let Some(page) = page_efficiency {
        println!("  the page's pool, median efficiency per worker: {page:.3}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_python_references_share_the_articles_loop_and_compile() {
        for script in [ARTICLE_PY, POOL_PY] {
            assert!(script.contains("for i in range(n - 1, 0, -1):"));
            // Parsing (not running) each script, where CPython is installed.
            let parsed = std::process::Command::new("python3")
                .args(["-c", "import ast, sys; ast.parse(sys.argv[1])", script])
                .status();
            if let Ok(status) = parsed {
                assert!(status.success(), "{script}");
            }
        }
    }

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
    fn summarises_the_load_test_line() {
        let json = r#"{"ok":true,"baseUrl":"http://127.0.0.1:1/","load":{"requests":10000,"concurrency":1000,"delayMs":100,"ok":10000,"errors":0,"connections":1000,"wallMs":1203.4,"throughputRps":8309.8,"idealRps":10000,"p50Ms":112.5,"p90Ms":130.1,"p99Ms":160.2,"maxMs":201,"p50OverMs":12.5,"p99OverMs":60.2},"errorKinds":{}}"#;
        assert_eq!(
            load_summary(Some(json)),
            "load test: 10,000 requests, 1,000 concurrent, api/delay?ms=100: 8,310 req/s, \
             p50 112.5 ms (+12.5 ms), p99 160.2 ms (+60.2 ms), 0 errors"
        );
        assert!(load_summary(Some(r#"{"ok":false,"error":"x"}"#)).contains("no figures"));
        assert!(load_summary(None).contains("no figures"));
    }

    #[test]
    fn reads_a_number_of_the_summary_line() {
        let json = r#"{"ok":true,"sleep4000":{"medianWallMs":1003.5},"isPrimeArticle":{"n":16769823,"runsMs":[28.8,25.9],"medianWallMs":28.5,"nsPerIteration":2.5}}"#;
        assert_eq!(
            json_number(json, "isPrimeArticle", "medianWallMs"),
            Some(28.5)
        );
        assert_eq!(json_number(json, "sleep4000", "medianWallMs"), Some(1003.5));
        assert_eq!(json_number(json, "isPrimeArticle", "n"), Some(16_769_823.0));
        assert_eq!(json_number(json, "isPrimeArticle", "missing"), None);
        assert_eq!(
            json_number(r#"{"ok":false,"error":"x"}"#, "isPrimeArticle", "n"),
            None
        );
    }
}
