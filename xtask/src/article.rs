//! The article's own figures, read from the core, as JSON for the browser benchmark
//! (`e2e/bench/run.mjs`): the benchmark compares the page with them and never copies them.
//!
//! `cargo xtask bench` passes them in the environment ([`ENV`]); `cargo xtask article-figures`
//! prints them, which the benchmark runs itself when started on its own.

use labs::LABS;
use serde_json::{json, Map, Value};
use sim::cpu::{article_iterations, ARTICLE_N};

/// The environment variable that hands the figures to the benchmark.
pub const ENV: &str = "PLAYGROUND_ARTICLE_FIGURES";

/// `{isPrime: {n, iterations}, wallMs: {<lab id>: {<executor id>: ms}}}`: the `n` the article
/// timed `is_prime` with and how many times its loop runs for it, and the wall times the
/// article reports, by lab and executor (labs that report none are left out).
pub fn figures() -> Value {
    let wall_ms: Map<String, Value> = LABS
        .iter()
        .filter(|lab| !lab.article_ms.is_empty())
        .map(|lab| {
            let by_executor: Map<String, Value> = lab
                .article_ms
                .iter()
                .map(|(executor, ms)| (executor.id().to_string(), json!(ms)))
                .collect();
            (lab.id.to_string(), Value::Object(by_executor))
        })
        .collect();
    json!({
        "isPrime": { "n": ARTICLE_N, "iterations": article_iterations(ARTICLE_N) },
        "wallMs": wall_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figures_are_the_core_s() {
        let figures = figures();
        assert_eq!(figures["isPrime"]["n"], json!(ARTICLE_N));
        assert_eq!(figures["isPrime"]["iterations"], json!(11_179_882));
        // The hello lab's: two hellos awaited in turn take 2 s, gathered 1 s.
        assert_eq!(figures["wallMs"]["hello"]["sequential"], json!(2000.0));
        assert_eq!(figures["wallMs"]["hello"]["event-loop"], json!(1000.0));
        assert!(figures["wallMs"].get("generators").is_none());
    }
}
