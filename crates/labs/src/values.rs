//! A lab's parameters decoded once into typed fields: what the workload builders, the model's
//! machine and the Python read, instead of looking each value up by its key.

use crate::params::{keys, ParamValue, ParamValues};

/// Every parameter a lab may have, typed; a lab without one gets its zero value (`0`, `""`,
/// `false`, `None`).
#[derive(Clone, Debug, PartialEq)]
pub struct LabValues {
    /// `tasks`
    pub tasks: u32,
    /// `seconds`: each sleep.
    pub seconds: f64,
    /// `sleep=blocking`: `time.sleep` rather than `asyncio.sleep`.
    pub blocking: bool,
    /// `jobs`
    pub jobs: u32,
    /// `requests` per task.
    pub requests: u32,
    /// `delay_ms`: the latency endpoint's wait.
    pub delay_ms: f64,
    /// `url`: a learner's own fetch target ("" for none).
    pub url: String,
    /// `timeout`: seconds a request may take.
    pub timeout_s: f64,
    /// `n` for `is_prime(n)`; `None` while `auto` (before the page resolves it).
    pub n: Option<u64>,
    /// `workers`: the pool's size; `None` for `auto` (one per core).
    pub workers: Option<u32>,
    /// `switch_ms`: the GIL's switch interval (5 where the lab has none).
    pub switch_ms: f64,
    /// `gil=off`: free-threaded.
    pub gil_off: bool,
    /// `cats`
    pub cats: u32,
    /// `network`: `auto`, `server` or `simulated`.
    pub network: &'static str,
    /// `solution`: the generators lab's version of `hello`.
    pub solution: &'static str,
    /// `timer=browser`: every sleep on the page arms its own browser timer.
    pub browser_timers: bool,
}

impl LabValues {
    /// Decodes `values` (as the URL gives them, or resolved).
    pub fn decode(values: &ParamValues) -> LabValues {
        let int = |key| values.number(key) as u64;
        let auto_int = |key| match values.get(key) {
            Some(ParamValue::Int(n)) => Some(*n),
            _ => None,
        };
        LabValues {
            tasks: int(keys::TASKS) as u32,
            seconds: values.number(keys::SECONDS),
            blocking: values.choice(keys::SLEEP) == "blocking",
            jobs: int(keys::JOBS) as u32,
            requests: int(keys::REQUESTS) as u32,
            delay_ms: values.number(keys::DELAY_MS),
            url: values.text(keys::URL).to_string(),
            timeout_s: values.number(keys::TIMEOUT),
            n: auto_int(keys::N),
            workers: auto_int(keys::WORKERS).map(|w| w as u32),
            switch_ms: values.get(keys::SWITCH_MS).map_or(5.0, ParamValue::as_f64),
            gil_off: values.choice(keys::GIL) == "off",
            cats: int(keys::CATS) as u32,
            network: match values.choice(keys::NETWORK) {
                "" => "auto",
                choice => choice,
            },
            solution: values.choice(keys::SOLUTION),
            browser_timers: values.choice(keys::TIMER) == "browser",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find;

    #[test]
    fn each_key_of_the_url_lands_in_its_field() {
        let values = crate::tests::values_of(
            "mixed",
            "jobs=3&requests=7&delay_ms=150&n=101&workers=auto&switch_ms=20&gil=off&network=simulated",
        );
        let v = LabValues::decode(&values);
        assert_eq!((v.jobs, v.requests, v.delay_ms), (3, 7, 150.0));
        assert_eq!((v.n, v.workers), (Some(101), None));
        assert_eq!(
            (v.switch_ms, v.gil_off, v.network),
            (20.0, true, "simulated")
        );
        let v = LabValues::decode(&find("hello").unwrap().default_values());
        assert_eq!((v.tasks, v.seconds, v.blocking), (2, 1.0, false));
        assert_eq!((v.network, v.switch_ms, v.url.as_str()), ("auto", 5.0, ""));
    }
}
