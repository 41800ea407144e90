//! CPython's own costs: every figure the page gives for CPython comes from this small model.
//!
//! Four costs, each measured by the bench's CPython workloads (`tools/cpython_costs.py`, run
//! with each CPython) and stored below with the machine and the versions they came from; the
//! bench (`cargo xtask bench`) puts the model's figure beside CPython's for every case it runs,
//! with a goal of 20%:
//! - a task's start and step in asyncio (one `asyncio.sleep` gathered: made, scheduled, woken),
//!   which grows with the tasks alive (the cyclic garbage collector walks them all);
//! - a thread's start (`threading.Thread.start`);
//! - a process pool's start (`multiprocessing.Pool(2)` until it has answered);
//! - one iteration of the article's `is_prime` loop;
//!
//! and, for the HTTP case, one `aiohttp` request and one new connection. Where the versions
//! differ the page shows the range, lowest to highest.

use crate::cpu::article_iterations;
use crate::format;

/// Where and when the stored costs were measured.
pub const MEASURED_ON: &str = "a 2-core x86_64 machine (Debian 12) with the pyenv builds of \
    CPython 3.11.7, 3.12.1 and 3.13.0, idle, on 2026-12-07 (the median of 3 runs a case; 7 for \
    is_prime's loop and 5 for the pool)";

/// One CPython's costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Costs {
    /// `3.11.7`.
    pub version: &'static str,
    /// A gathered task that sleeps once (made, its timer set, woken, finished), µs, with 1,000
    /// tasks alive.
    pub task_us: f64,
    /// How a task's cost grows with `n` tasks alive: `task_us * (n / 1,000) ^ task_growth`.
    pub task_growth: f64,
    /// The resident memory of a sleeping task, bytes.
    pub task_bytes: f64,
    /// The interpreter's own resident memory with asyncio imported, bytes.
    pub base_bytes: f64,
    /// `threading.Thread.start`, µs.
    pub thread_start_us: f64,
    /// `multiprocessing.Pool(2)` until both processes have answered once, ms.
    pub pool_start_ms: f64,
    /// What a pool's process gives of a core once started: the speed-up of `Pool(cores)` on a
    /// few dozen CPU jobs over one process, per core (the machine's other work and the pool's
    /// hand-overs take the rest).
    pub pool_efficiency: f64,
    /// One iteration of the article's `is_prime` loop, ns.
    pub loop_ns: f64,
    /// One `aiohttp` GET on an open connection, µs (measured where aiohttp is installed).
    pub request_us: Option<f64>,
    /// One new connection of an `aiohttp` session, µs.
    pub connection_us: Option<f64>,
}

/// The costs measured on [`MEASURED_ON`], oldest version first.
pub const MEASURED: [Costs; 3] = [
    Costs {
        version: "3.11.7",
        task_us: 7.15,
        task_growth: 0.167,
        task_bytes: 1_480.0,
        base_bytes: 22.8e6,
        thread_start_us: 145.0,
        pool_start_ms: 11.8,
        pool_efficiency: 0.885,
        loop_ns: 39.1,
        request_us: Some(110.0),
        connection_us: Some(300.0),
    },
    Costs {
        version: "3.12.1",
        task_us: 10.3,
        task_growth: 0.121,
        task_bytes: 1_442.0,
        base_bytes: 21.5e6,
        thread_start_us: 160.0,
        pool_start_ms: 15.1,
        pool_efficiency: 0.93,
        loop_ns: 47.1,
        request_us: None,
        connection_us: None,
    },
    Costs {
        version: "3.13.0",
        task_us: 10.5,
        task_growth: 0.109,
        task_bytes: 1_454.0,
        base_bytes: 21.6e6,
        thread_start_us: 117.0,
        pool_start_ms: 15.7,
        pool_efficiency: 0.93,
        loop_ns: 49.0,
        request_us: None,
        connection_us: None,
    },
];

/// Free-threaded CPython 3.13t runs Python code about 40 % slower on one thread than the
/// default build: the figure of the Python 3.13 documentation (the free-threading HOWTO,
/// "Single-threaded performance", on the pyperformance suite). These machines have no 3.13t.
pub const FREE_THREADED_SLOWDOWN: f64 = 1.4;

/// The stored costs of `version` (`3.11.7`, or `Python 3.11.7` as `--version` prints it; the
/// same minor version is near enough).
pub fn costs_of(version: &str) -> Option<&'static Costs> {
    let version = version.trim().trim_start_matches("Python ").trim();
    let minor = |v: &str| v.split('.').take(2).collect::<Vec<_>>().join(".");
    MEASURED
        .iter()
        .find(|c| c.version == version)
        .or_else(|| MEASURED.iter().find(|c| minor(c.version) == minor(version)))
}

impl Costs {
    /// `asyncio.gather` of `n` `asyncio.sleep(sleep_ms)`, ms.
    pub fn gather_sleeps_ms(&self, n: u64, sleep_ms: f64) -> f64 {
        let n = n as f64;
        let per_task_us = self.task_us * (n / 1_000.0).max(1.0).powf(self.task_growth);
        sleep_ms + n * per_task_us / 1_000.0
    }

    /// The resident memory of `n` sleeping tasks and their interpreter, bytes.
    pub fn sleeps_bytes(&self, n: u64) -> f64 {
        self.base_bytes + n as f64 * self.task_bytes
    }

    /// Starting `n` threads one after another, ms.
    pub fn thread_starts_ms(&self, n: u64) -> f64 {
        n as f64 * self.thread_start_us / 1_000.0
    }

    /// `n` threads that each `time.sleep(sleep_ms)`, started in a loop and joined, ms.
    pub fn threads_sleep_ms(&self, n: u64, sleep_ms: f64) -> f64 {
        self.thread_starts_ms(n) + sleep_ms
    }

    /// The speed-up of a pool of `cores` processes on `jobs` equal CPU jobs over one process:
    /// the jobs go in rounds of one a process.
    pub fn pool_speedup(&self, jobs: u32, cores: u32) -> f64 {
        let rounds = jobs.div_ceil(cores.max(1)).max(1);
        self.pool_efficiency * f64::from(jobs) / f64::from(rounds)
    }

    /// One call of the article's `is_prime(n)`, ms.
    pub fn is_prime_ms(&self, n: u64) -> f64 {
        article_iterations(n) as f64 * self.loop_ns / 1e6
    }

    /// `n` GETs of `latency_ms` gathered on one `aiohttp.ClientSession` of at most `limit`
    /// connections, ms; `None` where aiohttp was not measured.
    pub fn aiohttp_ms(&self, n: u64, latency_ms: f64, limit: u64) -> Option<f64> {
        let (request, connection) = (self.request_us?, self.connection_us?);
        let limit = limit.max(1);
        let rounds = n.div_ceil(limit) as f64;
        let connections = n.min(limit) as f64;
        Some(rounds * latency_ms + (n as f64 * request + connections * connection) / 1_000.0)
    }
}

/// `MEASURED`'s range of `figure`: its lowest and highest over the versions that have it.
pub fn range(figure: impl Fn(&Costs) -> Option<f64>) -> Option<(f64, f64)> {
    MEASURED
        .iter()
        .filter_map(figure)
        .fold(None, |range, x| match range {
            None => Some((x, x)),
            Some((low, high)) => Some((f64::min(low, x), f64::max(high, x))),
        })
}

/// The versions a range covers, in words: `CPython 3.11 to 3.13`.
pub fn versions() -> String {
    let minor = |c: &Costs| c.version.rsplit_once('.').map_or(c.version, |(m, _)| m);
    format!(
        "CPython {} to {}",
        minor(&MEASURED[0]),
        minor(&MEASURED[MEASURED.len() - 1])
    )
}

/// A duration in words, to a tenth below 10 ms (`0.3 ms`), as `format::duration` above.
fn duration(ms: f64) -> String {
    if ms.is_finite() && ms > 0.0 && ms < 9.95 {
        format!("{} ms", format::fixed(ms, 1))
    } else {
        format::duration(ms)
    }
}

/// A range of durations in words: `0.51 to 0.67 s`, or one figure where both round alike.
pub fn durations((low, high): (f64, f64)) -> String {
    let (low_text, high_text) = (duration(low), duration(high));
    if low_text == high_text {
        return low_text;
    }
    // The unit once, where both share it: `0.51 to 0.67 s`.
    match (low_text.split_once(' '), high_text.split_once(' ')) {
        (Some((a, unit_a)), Some((b, unit_b))) if unit_a == unit_b => {
            format!("{a} to {b} {unit_a}")
        }
        _ => format!("{low_text} to {high_text}"),
    }
}

/// What the article's `is_prime(n)` takes CPython on the machine the costs came from, in
/// words: `0.51 to 0.67 s`.
pub fn is_prime_text(n: u64) -> String {
    durations(range(|c| Some(c.is_prime_ms(n))).unwrap_or_default())
}

/// What starting one thread takes CPython, in words: `0.12 to 0.16 ms`.
pub fn thread_start_text() -> String {
    let (low, high) = range(|c| Some(c.thread_start_us)).unwrap_or_default();
    format!(
        "{} to {} ms",
        format::fixed(low / 1000.0, 2),
        format::fixed(high / 1000.0, 2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu::ARTICLE_N;

    /// The figures of MEASURED_ON's runs (medians of 3), which the costs were fitted to.
    const RUNS: [(&str, f64, f64, f64, f64, f64); 3] = [
        // version, gather 4,000 / 100,000 / 1,000,000 sleeps of 1 s (ms), is_prime(ARTICLE_N)
        // (ms), 4,000 thread starts (ms)
        ("3.11.7", 1_036.1, 2_583.9, 23_644.0, 437.0, 580.0),
        ("3.12.1", 1_048.9, 2_701.9, 24_742.6, 526.0, 638.8),
        ("3.13.0", 1_048.8, 2_505.7, 23_328.5, 547.0, 468.0),
    ];

    fn within(model: f64, measured: f64, share: f64) -> bool {
        (model / measured - 1.0).abs() <= share
    }

    #[test]
    fn each_versions_costs_give_back_its_measured_runs_within_ten_percent() {
        for (version, g4k, g100k, g1m, prime, threads) in RUNS {
            let costs = costs_of(version).expect(version);
            for (n, measured) in [(4_000, g4k), (100_000, g100k), (1_000_000, g1m)] {
                let model = costs.gather_sleeps_ms(n, 1_000.0);
                assert!(
                    within(model, measured, 0.10),
                    "{version} {n}: {model} vs {measured}"
                );
            }
            assert!(
                within(costs.is_prime_ms(ARTICLE_N), prime, 0.10),
                "{version}"
            );
            assert!(
                within(costs.thread_starts_ms(4_000), threads, 0.10),
                "{version}"
            );
        }
    }

    #[test]
    fn a_million_sleeps_took_cpython_23_to_25_s_and_1_point_5_gb() {
        // sleep.txt's sentence, from the model.
        let (low, high) = range(|c| Some(c.gather_sleeps_ms(1_000_000, 1_000.0))).unwrap();
        assert_eq!(durations((low, high)), "23.3 to 24.8 s");
        let (low, high) = range(|c| Some(c.sleeps_bytes(1_000_000))).unwrap();
        assert!(low > 1.4e9 && high < 1.55e9, "{low} {high}");
    }

    #[test]
    fn the_articles_is_prime_takes_cpython_about_half_a_second() {
        assert_eq!(is_prime_text(ARTICLE_N), "437 to 548 ms");
        assert_eq!(versions(), "CPython 3.11 to 3.13");
    }

    #[test]
    fn a_thread_starts_in_about_a_seventh_of_a_millisecond() {
        assert_eq!(thread_start_text(), "0.12 to 0.16 ms");
        let (low, high) = range(|c| Some(c.thread_starts_ms(4_000))).unwrap();
        assert_eq!(durations((low, high)), "468 to 640 ms");
        // Two threads: a fraction of a millisecond, not "0 ms".
        let (low, high) = range(|c| Some(c.thread_starts_ms(2))).unwrap();
        assert_eq!(durations((low, high)), "0.2 to 0.3 ms");
    }

    #[test]
    fn two_hundred_gathered_requests_take_two_rounds_through_a_sessions_100_connections() {
        let costs = costs_of("Python 3.11.7").unwrap();
        let ms = costs.aiohttp_ms(200, 200.0, 100).unwrap();
        // Measured 444 to 457 ms (1,000 requests: 2,135 to 2,149 ms).
        assert!(within(ms, 452.0, 0.05), "{ms}");
        assert!(within(
            costs.aiohttp_ms(1_000, 200.0, 100).unwrap(),
            2_142.0,
            0.05
        ));
        assert_eq!(
            costs_of("3.13.0").unwrap().aiohttp_ms(200, 200.0, 100),
            None
        );
    }

    #[test]
    fn a_pool_of_two_gives_a_little_under_two_on_two_cores() {
        // Measured, Pool(2) on 24 jobs: 1.74 to 1.91x (3.11), 1.59 to 1.98x (3.12), 1.81 to
        // 2.46x (3.13).
        let (low, high) = range(|c| Some(c.pool_speedup(24, 2))).unwrap();
        assert!(low > 1.7 && high < 1.9, "{low} {high}");
    }

    #[test]
    fn a_version_is_found_by_its_minor_version_too() {
        assert_eq!(costs_of("Python 3.12.7").map(|c| c.version), Some("3.12.1"));
        assert_eq!(costs_of("3.9.18"), None);
    }
}
