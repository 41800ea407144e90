//! The CPU job of the article's "is prime" section, as the article wrote it.
//!
//! The article's loop counts down from `n - 1` and returns at the first divisor; since 1
//! divides everything it returns `True` for every `n >= 2` (a bug the page points out), but it
//! does exactly the work the article timed: `n - n / p` iterations, `p` the smallest prime
//! factor of `n` (`n - 1` for a prime). That work is what the labs run.

use std::hint::black_box;

/// What the article's `is_prime(n)` returns and how many iterations its loop ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArticleRun {
    /// What the article's function returns (`True` for every `n >= 2`).
    pub returned: bool,
    /// How many times the loop body ran.
    pub iterations: u64,
}

/// Runs the article's loop for real: `for i in range(n - 1, 0, -1): if n % i == 0: return True`.
pub fn article_is_prime(n: u64) -> ArticleRun {
    let mut job = CpuJob::new(n);
    job.run_for(u64::MAX);
    ArticleRun {
        returned: job.returned,
        iterations: job.done,
    }
}

/// The article's `is_prime(n)` as a job that runs in slices, so that the GIL model, busy-waits
/// and Stop can interleave with it.
///
/// The loop runs in chunks, each a separate call: a browser swaps optimised code in for the
/// next call of a function, never in the middle of one, so a long job made of one call could
/// run to its end on the slow first-tier code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CpuJob {
    n: u64,
    /// The next divisor to try.
    top: u64,
    /// Iterations run so far.
    done: u64,
    /// Iterations the whole job runs (`None` until someone asks: it takes a factorisation).
    total: Option<u64>,
    /// Whether the loop ended.
    finished: bool,
    /// What the article's function returned.
    returned: bool,
}

impl CpuJob {
    /// A job about to run `is_prime(n)`.
    pub fn new(n: u64) -> Self {
        CpuJob {
            n,
            top: n.saturating_sub(1),
            done: 0,
            total: None,
            finished: n < 2,
            returned: false,
        }
    }

    /// Runs up to `iterations` more steps of the loop; returns how many are left (0: done).
    pub fn run_for(&mut self, iterations: u64) -> u64 {
        const CHUNK: u64 = 1 << 20;
        let mut budget = iterations;
        while !self.finished && budget > 0 {
            let len = self.top.min(CHUNK).min(budget);
            if let Some(divisor) = scan_down(self.n, self.top, len) {
                self.done += self.top - divisor + 1;
                self.finished = true;
                self.returned = true;
            } else {
                self.done += len;
                budget -= len;
                self.top -= len;
                self.finished = self.top == 0;
            }
        }
        self.left()
    }

    /// Counts `iterations` more steps as run without running them (a virtual clock's job);
    /// returns how many are left.
    pub fn skip(&mut self, iterations: u64) -> u64 {
        let left = self.left();
        let step = iterations.min(left);
        self.done += step;
        self.top = self.top.saturating_sub(step);
        if step == left {
            self.finished = true;
            self.returned = self.n >= 2;
        }
        self.left()
    }

    /// Iterations still to run.
    pub fn left(&mut self) -> u64 {
        if self.finished {
            return 0;
        }
        let n = self.n;
        *self.total.get_or_insert_with(|| article_iterations(n)) - self.done
    }

    /// Whether the loop ended.
    pub fn is_done(&self) -> bool {
        self.finished
    }

    /// Iterations run so far.
    pub fn iterations_done(&self) -> u64 {
        self.done
    }
}

/// Tries `top`, `top - 1`, ... (`len` numbers) as divisors of `n`; the first that divides.
#[inline(never)]
fn scan_down(n: u64, top: u64, len: u64) -> Option<u64> {
    let mut i = top;
    let stop = top - len;
    while i > stop {
        // black_box: the divisions are the point; the optimiser must not skip them.
        if black_box(n).is_multiple_of(black_box(i)) {
            return Some(i);
        }
        i -= 1;
    }
    None
}

/// A number like the ones jobs use (hundreds of millions, odd multiple of 3): its top
/// iterations find no divisor, so a calibration probe measures the loop at a job's size.
pub const PROBE_N: u64 = 805_306_371;

/// Runs `iterations` steps of the article's loop for [`PROBE_N`] (no divisor is met), in the
/// same chunks a job runs in; returns how many ran.
pub fn probe(iterations: u64) -> u64 {
    const CHUNK: u64 = 1 << 20;
    let mut top = PROBE_N - 1;
    let mut left = iterations.min(PROBE_N / 2);
    while left > 0 {
        let len = left.min(CHUNK);
        // No divisor of PROBE_N lies above PROBE_N / 3: every scan runs to its end.
        let _ = scan_down(PROBE_N, top, len);
        top -= len;
        left -= len;
    }
    iterations.min(PROBE_N / 2)
}

/// How many iterations the article's loop runs for `n`, without running it.
pub fn article_iterations(n: u64) -> u64 {
    if n < 2 {
        return 0;
    }
    n - n / smallest_factor(n)
}

/// The smallest prime factor of `n`. Trial division takes up to 10^8 steps near 2^53, and the
/// page asks for the same `n` on every render: the last answer is kept.
fn smallest_factor(n: u64) -> u64 {
    thread_local! {
        static LAST: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
    }
    if let Some(factor) = LAST.with(|last| {
        let (m, f) = last.get();
        (m == n).then_some(f)
    }) {
        return factor;
    }
    let factor = trial_division(n);
    LAST.with(|last| last.set((n, factor)));
    factor
}

fn trial_division(n: u64) -> u64 {
    if n.is_multiple_of(2) {
        return 2;
    }
    let mut f = 3;
    while f * f <= n {
        if n.is_multiple_of(f) {
            return f;
        }
        f += 2;
    }
    n
}

/// A correct primality test, shown beside the article's.
pub fn is_prime(n: u64) -> bool {
    n >= 2 && smallest_factor(n) == n
}

/// The `n` whose article loop runs about `iterations` times: an odd multiple of 3 (like the
/// article's own 16,769,823 = 3 x 5,589,941), so the loop stops at `n / 3` after `2n / 3` steps.
pub fn n_for_iterations(iterations: u64) -> u64 {
    let k = (iterations / 2).max(1);
    let k = if k.is_multiple_of(2) { k + 1 } else { k };
    3 * k
}

/// How fast the article's loop runs here, measured on the page when it loads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    /// Loop iterations per millisecond on the page's thread.
    pub iterations_per_ms: f64,
    /// Cores the browser reports (`navigator.hardwareConcurrency`).
    pub cores: u32,
    /// Whether the latency endpoint is the page's service worker (a static host with no
    /// server): its answers never touch the network, so no connection limit applies.
    pub simulated_network: bool,
}

impl Default for Calibration {
    /// About what compiled wasm does on a current core (11.2 M iterations in 19 ms).
    fn default() -> Self {
        Calibration {
            iterations_per_ms: 500_000.0,
            cores: 2,
            simulated_network: false,
        }
    }
}

impl Calibration {
    /// What the article's loop takes for `n` here, ms.
    pub fn estimate_ms(&self, n: u64) -> f64 {
        article_iterations(n) as f64 / self.iterations_per_ms.max(1.0)
    }

    /// The `n` whose loop takes about `ms` here.
    pub fn n_for_ms(&self, ms: f64) -> u64 {
        n_for_iterations((ms * self.iterations_per_ms).max(1.0) as u64)
    }
}

/// The article's `n`.
pub const ARTICLE_N: u64 = 16_769_823;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_articles_number_takes_the_articles_work() {
        assert_eq!(article_iterations(ARTICLE_N), 11_179_882);
        let run = article_is_prime(ARTICLE_N);
        assert!(run.returned);
        assert_eq!(run.iterations, 11_179_882);
    }

    #[test]
    fn the_articles_function_says_true_for_primes_too() {
        let run = article_is_prime(10_007);
        assert!(run.returned, "1 divides everything");
        assert_eq!(run.iterations, 10_006);
        assert_eq!(article_iterations(10_007), 10_006);
        assert_eq!(article_iterations(1_000_003), 1_000_002);
        assert_eq!(article_iterations(10), 5);
        assert_eq!(article_iterations(1), 0);
        assert!(is_prime(10_007));
        assert!(!is_prime(ARTICLE_N));
        assert!(!is_prime(1));
        assert!(!article_is_prime(1).returned);
    }

    #[test]
    fn calibrated_numbers_run_about_the_asked_iterations() {
        for target in [1_000u64, 123_457, 50_000_000] {
            let n = n_for_iterations(target);
            assert_eq!(n % 2, 1);
            let got = article_iterations(n);
            assert!(got.abs_diff(target) <= 4, "{target} -> {n} -> {got}");
        }
    }

    #[test]
    fn the_probe_meets_no_divisor() {
        assert_eq!(smallest_factor(PROBE_N), 3);
        assert_eq!(probe(3_000_000), 3_000_000);
    }

    #[test]
    fn a_job_run_in_slices_does_the_same_work_as_one_call() {
        let mut job = CpuJob::new(ARTICLE_N);
        let mut slices = 0;
        let mut left = job.left();
        assert_eq!(left, 11_179_882);
        while !job.is_done() {
            let next = job.run_for(1_000_000);
            assert!(next < left || job.is_done());
            left = next;
            slices += 1;
        }
        assert_eq!(slices, 12);
        assert_eq!(job.iterations_done(), 11_179_882);
        assert_eq!(job.left(), 0);
    }

    #[test]
    fn a_skipped_job_ends_where_the_real_one_does() {
        let mut job = CpuJob::new(10_007);
        assert_eq!(job.skip(6), 10_000);
        assert_eq!(job.skip(1_000_000), 0);
        assert!(job.is_done());
        assert_eq!(job.iterations_done(), 10_006);
    }
}
