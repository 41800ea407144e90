//! Build your own event loop: the article's generator scheduler and its five versions of
//! `hello`, stepped one `next()` at a time (the stepper itself is in `crate::generators`).

use super::{LabBody, LabSpec};
use crate::generators::{python, Solution};
use crate::params::{ParamKind, ParamSpec, ParamValues};

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

/// What to notice about one version, beside the lab's general notes.
pub fn notice(solution: Solution) -> &'static [&'static str] {
    match solution {
        Solution::NoYield => &[
            "hello has no yield, so it is a plain function: each hello() in loop([hello(), hello()]) runs to its end, sleep included, before the loop starts. hello, goodbye, hello, goodbye: one after the other.",
            "Each call returns None, so the loop's first next(g) is next(None), which raises TypeError: 'NoneType' object is not an iterator.",
        ],
        Solution::YieldThenSleep => &[
            "The yield makes hello a generator: calling it runs nothing, and each next() runs it up to its next yield. Both hellos print before either sleeps; each bare yield gives None, which the loop prints.",
            "time.sleep still holds the whole loop: generator 2's sleep starts only when generator 1's has ended, so the goodbyes come one sleep apart and the run takes two sleeps.",
        ],
        Solution::BusyWait => &[
            "Instead of sleeping, hello looks at the clock and yields while its time is not up. Nobody blocks, so both generators wait at once: the goodbyes come together, after one wait.",
            "The price: the loop never rests. It calls next() as fast as it can and prints None each time. Watch the None count and the next() calls per second.",
        ],
        Solution::YieldAsleep => &[
            "yield asleep(seconds) creates the asleep generator and hands it to the loop without running any of it: nothing waits. The loop prints the generator object, and the next next() prints goodbye at once.",
            "Both lines show the same address: CPython frees the first asleep object once it is printed and puts the second in the same place. The address itself changes from run to run.",
        ],
        Solution::YieldFromAsleep => &[
            "yield from asleep(seconds) runs asleep inside hello: each None that asleep yields goes straight to the loop, so hello waits as long as asleep does, and both wait at once, as in version 2.",
            "asleep still busy-waits: this has asyncio's shape (one coroutine waiting on another) but not its cost. A real event loop keeps its timers in order and sleeps until the next one is due, calling nothing while everyone waits.",
        ],
    }
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
    section: "Back to the hello example",
    body: LabBody::Stepper,
    params: &[SOLUTION, SECONDS],
    executors: &[],
    default_executors: &[],
    python: generators_python,
    article: "article/generators.txt",
    notice: &[
        "The loop calls next() on each generator in turn; one next() runs a generator up to its next yield, or to its end (StopIteration). Step runs one next() and highlights the line where it stopped.",
        "The loop prints every value next() gives. A busy wait yields millions of times a second, so the page prints a run of the same value once, with its count, and so does the Collapsed class in the Python. A run is printed when it ends.",
        "time.sleep holds the loop: no other generator runs until it returns. The page waits for it frame by frame instead of freezing, so you can watch; in Python nothing else on that thread would run.",
    ],
    corrections: &[
        "As written, the article's loop cannot run: List is never imported (NameError when loop is defined), and StopException does not exist, so the first generator that finishes raises NameError: name 'StopException' is not defined. The exception is StopIteration.",
        "del generators[i] inside for i, g in enumerate(generators) shifts the list under the loop: the generator after the removed one is skipped for that round. The corrected loop walks a copy and removes the finished generator from the list.",
        "asleep(seconds) ignores its argument and always waits 2 s, as does the article's solution 2, while its time.sleep waits 1 s. Here every version waits SECONDS, the page's seconds.",
        "For solution 1 the article says there is a sleep of 2 seconds between the goodbyes: there is one sleep (1 s with its time.sleep(1)). Generator 1 sleeps and says goodbye, then generator 2 sleeps and says goodbye; the whole run takes two sleeps.",
        "The article keeps time.sleep(1) under every commented solution; solutions 2, 3 and 4 replace it (kept, it would still block the loop for a second in each hello).",
    ],
    article_ms: &[],
    workload: super::coming::no_workload,
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
