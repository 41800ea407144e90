//! The bench's CPython side: the same workloads as the page's cases, run by CPython on the
//! same machine in the same bench run, before the browser (on an idle machine: right after
//! the server's load test its threads measured several times slower). Each run is a process
//! of its own that prints one JSON line: its figure and its largest resident memory.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;
use sim::cpu::ARTICLE_N;
use sim::cpython::Costs;

use super::table::{Cpython, Unit};
use crate::process::capture;
use crate::{python, Ctx};

/// Printed by every script after its workload: its figure and the process's peak memory.
macro_rules! report_py {
    () => {
        r#"
def report(figure, **extra):
    import json, resource
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    print(json.dumps({"figure": figure, "rssBytes": rss, **extra}))
"#
    };
}

/// The article's is_prime loop as written.
macro_rules! is_prime_py {
    () => {
        r#"
def is_prime_as_written(n):
    for i in range(n - 1, 0, -1):
        if n % i == 0:
            return True
    return False
"#
    };
}

/// N `asyncio.sleep(1)` (argv: N, `gather` or `await`): gathered as tasks, or awaited in turn;
/// ms from before the coroutines are made to the end.
const SLEEP_PY: &str = concat!(
    "import asyncio, sys, time\n",
    report_py!(),
    r#"
n, how = int(sys.argv[1]), sys.argv[2]

async def main():
    start = time.perf_counter()
    if how == "gather":
        await asyncio.gather(*(asyncio.sleep(1) for _ in range(n)))
    else:
        for _ in range(n):
            await asyncio.sleep(1)
    return time.perf_counter() - start

report(asyncio.run(main()) * 1000)
"#
);

/// N threads each `time.sleep(1)` (argv: N), started in a loop and joined; ms.
const THREADS_PY: &str = concat!(
    "import sys, threading, time\n",
    report_py!(),
    r#"
n = int(sys.argv[1])
threads = [threading.Thread(target=time.sleep, args=(1,)) for _ in range(n)]
start = time.perf_counter()
for thread in threads:
    thread.start()
started = time.perf_counter() - start
for thread in threads:
    thread.join()
report((time.perf_counter() - start) * 1000, startMs=started * 1000)
"#
);

/// Two blocking `time.sleep(1)` handed to the loop's default thread pool; ms.
const RUN_IN_EXECUTOR_PY: &str = concat!(
    "import asyncio, time\n",
    report_py!(),
    r#"
async def main():
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    await asyncio.gather(*(loop.run_in_executor(None, time.sleep, 1) for _ in range(2)))
    return time.perf_counter() - start

report(asyncio.run(main()) * 1000)
"#
);

/// One call of the article's loop for n (argv: n); ms.
const ARTICLE_PY: &str = concat!(
    "import sys, time\n",
    report_py!(),
    is_prime_py!(),
    r#"
n = int(sys.argv[1])
start = time.perf_counter()
is_prime_as_written(n)
report((time.perf_counter() - start) * 1000)
"#
);

/// `multiprocessing.Pool` of one process per core on JOBS calls of the article's loop for the
/// first prime from N (argv: JOBS, N), against the same calls in one process: the speed-up
/// (one process / pool), after the pool has started and run a call on each process.
const POOL_PY: &str = concat!(
    "import multiprocessing, os, sys, time\n",
    report_py!(),
    is_prime_py!(),
    r#"
def first_prime(n):
    while any(n % f == 0 for f in range(2, int(n ** 0.5) + 1)):
        n += 1
    return n

if __name__ == "__main__":
    jobs, n = int(sys.argv[1]), first_prime(int(sys.argv[2]))
    cores = os.cpu_count() or 1
    with multiprocessing.Pool(cores) as pool:
        pool.map(abs, range(cores))
        start = time.perf_counter()
        for _ in range(jobs):
            is_prime_as_written(n)
        sequential = time.perf_counter() - start
        start = time.perf_counter()
        pool.map(is_prime_as_written, [n] * jobs, chunksize=1)
        in_pool = time.perf_counter() - start
    report(sequential / in_pool, processes=cores, jobs=jobs, n=n,
           sequentialMs=sequential * 1000, poolMs=in_pool * 1000)
"#
);

/// N GETs of `<base>api/delay?ms=200` gathered on one `aiohttp.ClientSession` with its
/// default connector (at most 100 connections), against the bench's own server (argv: N,
/// base URL); ms.
const AIOHTTP_PY: &str = concat!(
    "import asyncio, sys, time\nimport aiohttp\n",
    report_py!(),
    r#"
n, url = int(sys.argv[1]), sys.argv[2] + "api/delay?ms=200"

async def get(session):
    async with session.get(url) as response:
        response.raise_for_status()
        await response.read()

async def main():
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session:
        start = time.perf_counter()
        await asyncio.gather(*(get(session) for _ in range(n)))
        return time.perf_counter() - start

report(asyncio.run(main()) * 1000)
"#
);

/// A CPython case: the page's rows it sits beside (their ids in `e2e/bench`), the workload in
/// words, its script and arguments (`{base}` is the server's URL, `{article_n}` the n the
/// article timed is_prime with), its runs, the modules it needs beyond the standard library;
/// or why it is not run.
pub struct Case {
    pub rows: &'static [&'static str],
    pub what: &'static str,
    script: &'static str,
    args: &'static [&'static str],
    runs: u32,
    unit: Unit,
    needs: &'static [&'static str],
    not_run: Option<&'static str>,
    /// What the page's model of CPython's costs gives for the case, on a machine of `cores`.
    model: fn(&Costs, u32) -> Option<f64>,
}

const fn case(
    rows: &'static [&'static str],
    what: &'static str,
    script: &'static str,
    args: &'static [&'static str],
    runs: u32,
    model: fn(&Costs, u32) -> Option<f64>,
) -> Case {
    Case {
        rows,
        what,
        script,
        args,
        runs,
        unit: Unit::Ms,
        needs: &[],
        not_run: None,
        model,
    }
}

/// The pool's speed-up by the model: the jobs in rounds of one a core, against all in turn,
/// at the share of a core a process got on the machine the costs came from.
fn pool_speedup(costs: &Costs, cores: u32) -> Option<f64> {
    Some(costs.pool_speedup(24, cores))
}

/// Every CPython case, in the order they run.
pub const CASES: &[Case] = &[
    case(
        &["hello-sequential"],
        "2 asyncio.sleep(1) awaited in turn",
        SLEEP_PY,
        &["2", "await"],
        1,
        |c, _| Some(2.0 * c.gather_sleeps_ms(1, 1_000.0)),
    ),
    case(
        &["hello-event-loop"],
        "asyncio.gather of 2 asyncio.sleep(1)",
        SLEEP_PY,
        &["2", "gather"],
        1,
        |c, _| Some(c.gather_sleeps_ms(2, 1_000.0)),
    ),
    case(
        &["sleep-4000-wheel", "sleep-4000-browser"],
        "asyncio.gather of 4,000 asyncio.sleep(1)",
        SLEEP_PY,
        &["4000", "gather"],
        3,
        |c, _| Some(c.gather_sleeps_ms(4_000, 1_000.0)),
    ),
    case(
        &["sleep-100000-wheel", "sleep-100000-browser"],
        "asyncio.gather of 100,000 asyncio.sleep(1)",
        SLEEP_PY,
        &["100000", "gather"],
        1,
        |c, _| Some(c.gather_sleeps_ms(100_000, 1_000.0)),
    ),
    case(
        &["sleep-1000000-wheel", "sleep-1000000-browser"],
        "asyncio.gather of 1,000,000 asyncio.sleep(1)",
        SLEEP_PY,
        &["1000000", "gather"],
        1,
        |c, _| Some(c.gather_sleeps_ms(1_000_000, 1_000.0)),
    ),
    Case {
        // Ten times the million's time and memory: minutes, past the bench's 10 minutes.
        not_run: Some("10x the 1,000,000 case's time"),
        ..case(
            &["sleep-10000000-wheel"],
            "asyncio.gather of 10,000,000 asyncio.sleep(1)",
            SLEEP_PY,
            &["10000000", "gather"],
            0,
            |c, _| Some(c.gather_sleeps_ms(10_000_000, 1_000.0)),
        )
    },
    case(
        &["threads-4000"],
        "4,000 threading.Thread each time.sleep(1)",
        THREADS_PY,
        &["4000"],
        3,
        |c, _| Some(c.threads_sleep_ms(4_000, 1_000.0)),
    ),
    // A few dozen jobs, so the pool's start and hand-overs weigh little; each runs the loop
    // about 2 M times, some 50 ms in CPython.
    Case {
        unit: Unit::Times,
        needs: &["multiprocessing"],
        ..case(
            &["pool-speedup"],
            "multiprocessing.Pool(cores), 24 CPU jobs: one process / pool",
            POOL_PY,
            &["24", "2000000"],
            3,
            pool_speedup,
        )
    },
    Case {
        needs: &["aiohttp"],
        ..case(
            &["requests-200"],
            "aiohttp, 200 GETs of api/delay?ms=200 gathered",
            AIOHTTP_PY,
            &["200", "{base}"],
            3,
            |c, _| c.aiohttp_ms(200, 200.0, 100),
        )
    },
    case(
        &["is-prime-article"],
        "the article's is_prime(n), one call",
        ARTICLE_PY,
        &["{article_n}"],
        3,
        |c, _| Some(c.is_prime_ms(ARTICLE_N)),
    ),
    case(
        &["run-in-executor-hello"],
        "run_in_executor of 2 time.sleep(1)",
        RUN_IN_EXECUTOR_PY,
        &[],
        3,
        |c, _| Some(c.threads_sleep_ms(2, 1_000.0)),
    ),
];

/// What one run prints.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    figure: f64,
    rss_bytes: Option<f64>,
}

/// The interpreter the cases run with and its version, or why there is none.
pub struct Interpreter {
    pub python: Option<PathBuf>,
    pub version: Option<String>,
    why_not: String,
}

impl Interpreter {
    /// The project's virtual environment (it has aiohttp), made once; else the system's
    /// python3 (the cases needing aiohttp are then skipped); else none.
    pub fn find(ctx: &Ctx) -> Interpreter {
        let python = match python::venv(ctx) {
            Ok(python) => Some(python),
            Err(err) => {
                eprintln!("warning: no Python virtual environment for the bench ({err})");
                capture(Command::new("python3").arg("--version")).map(|_| PathBuf::from("python3"))
            }
        };
        let version = python
            .as_ref()
            .and_then(|p| capture(Command::new(p).arg("--version")));
        Interpreter {
            python,
            version,
            why_not: "python3 not found".to_string(),
        }
    }

    /// Whether `module` imports.
    fn has(&self, python: &Path, module: &str) -> bool {
        Command::new(python)
            .args(["-c", &format!("import {module}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

/// Runs every case; one result per case, in [`CASES`]' order.
pub fn run_all(interpreter: &Interpreter, base_url: &str) -> Vec<Cpython> {
    println!(
        "== CPython on this machine ({})",
        interpreter
            .version
            .as_deref()
            .unwrap_or(&interpreter.why_not)
    );
    CASES
        .iter()
        .map(|case| {
            let mut result = run_case(interpreter, case, base_url);
            if let Cpython::Measured { model, .. } = &mut result {
                let costs = interpreter
                    .version
                    .as_deref()
                    .and_then(sim::cpython::costs_of);
                *model = costs.and_then(|costs| (case.model)(costs, cores()));
            }
            println!("  {:<64}{}", case.what, summary(&result));
            result
        })
        .collect()
}

/// The machine's cores, as `os.cpu_count()` gives them.
fn cores() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
}

fn summary(result: &Cpython) -> String {
    match result {
        Cpython::Measured {
            unit,
            runs,
            median,
            rss_bytes,
            model,
            ..
        } => {
            let all: Vec<String> = runs.iter().map(|r| unit.show(*r)).collect();
            format!(
                "{} (runs {}; RSS {}; cost model {})",
                unit.show(*median),
                all.join(", "),
                rss_bytes.map_or("?".to_string(), super::table::bytes),
                model.map_or("-".to_string(), |m| unit.show(m))
            )
        }
        Cpython::Skipped { why, .. } => format!("skipped: {why}"),
        Cpython::Failed { why, .. } => format!("FAILED: {why}"),
    }
}

fn run_case(interpreter: &Interpreter, case: &Case, base_url: &str) -> Cpython {
    let what = case.what.to_string();
    let skipped = |why: String| Cpython::Skipped {
        what: what.clone(),
        why,
    };
    if let Some(why) = case.not_run {
        return skipped(why.to_string());
    }
    let Some(python) = &interpreter.python else {
        return skipped(interpreter.why_not.clone());
    };
    if let Some(missing) = case.needs.iter().find(|m| !interpreter.has(python, m)) {
        return skipped(format!("no module {missing}"));
    }
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| {
            a.replace("{base}", base_url)
                .replace("{article_n}", &ARTICLE_N.to_string())
        })
        .collect();
    let mut runs = Vec::new();
    let mut rss: Option<f64> = None;
    for _ in 0..case.runs {
        match run_once(python, case.script, &args) {
            Ok(report) => {
                runs.push(report.figure);
                rss = match (rss, report.rss_bytes) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
            Err(why) => return Cpython::Failed { what, why },
        }
    }
    let mut sorted = runs.clone();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    };
    Cpython::Measured {
        what,
        unit: case.unit,
        runs,
        median,
        rss_bytes: rss,
        model: None,
    }
}

/// One process: the script saved as a file (multiprocessing starts its processes from it),
/// run with `args`; its report.
fn run_once(python: &Path, script: &str, args: &[String]) -> Result<Report, String> {
    let dir = std::env::temp_dir().join(format!("playground-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join("bench_case.py");
    std::fs::write(&file, script).map_err(|e| format!("{}: {e}", file.display()))?;
    let (stdout, stderr) = python::run_program_with(python, &file, args)?;
    let _ = std::fs::remove_dir_all(&dir);
    let last = stdout.lines().rev().find(|l| !l.trim().is_empty());
    last.and_then(|line| serde_json::from_str::<Report>(line).ok())
        .ok_or_else(|| {
            let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!("no figure printed; stderr: {}", tail.join(" / "))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_parses() {
        for script in [
            SLEEP_PY,
            THREADS_PY,
            RUN_IN_EXECUTOR_PY,
            ARTICLE_PY,
            POOL_PY,
            AIOHTTP_PY,
        ] {
            // Parsing (not running) each script, where CPython is installed.
            let parsed = Command::new("python3")
                .args(["-c", "import ast, sys; ast.parse(sys.argv[1])", script])
                .status();
            if let Ok(status) = parsed {
                assert!(status.success(), "{script}");
            }
        }
    }

    #[test]
    fn the_article_case_runs_the_articles_loop_on_its_n() {
        assert!(ARTICLE_PY.contains("for i in range(n - 1, 0, -1):"));
        assert!(POOL_PY.contains("for i in range(n - 1, 0, -1):"));
        let article = CASES
            .iter()
            .find(|c| c.rows == ["is-prime-article"])
            .expect("the article's case");
        assert_eq!(article.args, ["{article_n}"]);
    }

    #[test]
    fn every_case_sits_beside_a_row_and_runs_unless_it_says_why() {
        for case in CASES {
            assert!(!case.rows.is_empty(), "{}", case.what);
            assert_eq!(case.runs == 0, case.not_run.is_some(), "{}", case.what);
        }
    }

    #[test]
    fn a_run_reports_its_figure() {
        let Some(python) = capture(Command::new("python3").arg("--version")).map(|_| "python3")
        else {
            return;
        };
        let report = run_once(Path::new(python), SLEEP_PY, &["0".into(), "gather".into()])
            .expect("a run of no sleeps");
        assert!(report.figure >= 0.0 && report.figure < 1000.0);
        assert!(report.rss_bytes.is_some_and(|b| b > 1e6));
    }
}
