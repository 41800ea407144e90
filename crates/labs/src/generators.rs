//! Build your own event loop: the article's generator scheduler and its five versions of
//! `hello`, stepped one `next()` at a time (the stepper itself is in `sim::generators`).

use super::{LabBody, LabSpec};
use crate::params::{ParamKind, ParamSpec, ParamValues};
use sim::generators::{python, Solution};

/// `solution`: which of the article's versions of `hello` runs.
pub const SOLUTION: ParamSpec = ParamSpec {
    key: crate::params::keys::SOLUTION,
    label: "Version of hello",
    help: "The article's first version, then its solutions 1 to 4.",
    kind: ParamKind::Choice {
        options: &[
            ("0", "0: no yield"),
            ("1", "1: yield, then time.sleep"),
            ("2", "2: a loop that yields until the time is up"),
            ("3", "3: yield asleep(seconds)"),
            ("4", "4: yield from asleep(seconds)"),
        ],
        default: "4",
    },
};

/// `seconds`: how long each `hello` waits.
pub const SECONDS: ParamSpec = ParamSpec {
    key: crate::params::keys::SECONDS,
    label: "Seconds per wait",
    help: "Decimals allowed. The article's asleep waits 2 s whatever it is given; here every wait is this long.",
    kind: ParamKind::Float {
        min: 0.0,
        max: 60.0,
        default: 1.0,
        step: 0.1,
    },
};

/// The version and the wait (ms) that `values` ask for.
pub fn program(values: &ParamValues) -> (Solution, f64) {
    let values = super::LabValues::decode(values);
    let solution = Solution::from_id(values.solution).unwrap_or(Solution::YieldFromAsleep);
    (solution, values.seconds * 1000.0)
}

/// The chosen version's Python with the page's seconds written in.
fn generators_python(p: &super::Program) -> String {
    let solution = Solution::from_id(p.values.solution).unwrap_or(Solution::YieldFromAsleep);
    python::source(solution, &super::program::decimal(p.values.seconds))
}

/// The `generators` lab.
pub const LAB: LabSpec = LabSpec {
    id: "generators",
    title: "Build your own event loop",
    summary: "The article's generator scheduler and its five versions of hello, stepped one next() at a time.",
    question: "How can a loop that only calls next() run two functions at once, with no threads?",
    section: "Back to the hello example",
    body: LabBody::Stepper,
    params: &[SOLUTION, SECONDS],
    executors: &[],
    default_executors: &[],
    python: Some(generators_python),
    article: "article/generators.txt",
    article_ms: &[],
    workload: None,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue;

    #[test]
    fn the_url_picks_the_version_and_the_wait() {
        let mut values = LAB.default_values();
        assert_eq!(program(&values), (Solution::YieldFromAsleep, 1000.0));
        values.set("solution", ParamValue::Choice("2"));
        values.set("seconds", ParamValue::Float(0.5));
        assert_eq!(program(&values), (Solution::BusyWait, 500.0));
        for (id, _) in match SOLUTION.kind {
            ParamKind::Choice { options, .. } => options,
            _ => &[],
        } {
            assert!(Solution::from_id(id).is_some(), "{id}");
        }
    }
}
