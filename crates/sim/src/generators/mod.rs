//! The article's hand-made event loop: its `loop()` over two `hello()` generators, each of
//! the five ways the article writes `hello`, stepped one `next()` at a time over a clock the
//! caller gives (real on the page, virtual in tests).

mod lanes;
mod output;
pub mod python;
mod scheduler;
mod stepper;

pub use lanes::{Lane, Mark, MarkKind, TickBins};
pub use output::{LineKind, OutputLine, OutputLog, Source};
pub use scheduler::{run_to_end, Advance, Runner, Scheduler, StepReport, StepResult, Value};
pub use stepper::{Mode, Speed, Stepper, StepperAction, StepperResult};

/// One of the article's versions of `hello` (the URL's `solution`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Solution {
    /// `0`: no `yield`: `hello()` is a plain function that runs to the end when called.
    NoYield,
    /// `1`: one `yield` before `time.sleep(seconds)`.
    YieldThenSleep,
    /// `2`: `time.sleep` replaced by a loop that yields until the time is up.
    BusyWait,
    /// `3`: `time.sleep` replaced by `yield asleep(seconds)`.
    YieldAsleep,
    /// `4`: `time.sleep` replaced by `yield from asleep(seconds)`.
    YieldFromAsleep,
}

impl Solution {
    /// Every version, in the article's order.
    pub const ALL: [Solution; 5] = [
        Solution::NoYield,
        Solution::YieldThenSleep,
        Solution::BusyWait,
        Solution::YieldAsleep,
        Solution::YieldFromAsleep,
    ];

    /// Its number in the article and the URL.
    pub fn number(self) -> u8 {
        match self {
            Solution::NoYield => 0,
            Solution::YieldThenSleep => 1,
            Solution::BusyWait => 2,
            Solution::YieldAsleep => 3,
            Solution::YieldFromAsleep => 4,
        }
    }

    /// The version numbered `n` (as the URL writes it).
    pub fn from_id(id: &str) -> Option<Solution> {
        Solution::ALL
            .into_iter()
            .find(|s| s.number().to_string() == id)
    }

    /// How long the whole run takes when `hello` sleeps `sleep_ms`: two sleeps one after
    /// the other (0 and 1), one shared wait (2 and 4), or none at all (3).
    pub fn expected_ms(self, sleep_ms: f64) -> f64 {
        match self {
            Solution::NoYield | Solution::YieldThenSleep => 2.0 * sleep_ms,
            Solution::BusyWait | Solution::YieldFromAsleep => sleep_ms,
            Solution::YieldAsleep => 0.0,
        }
    }

    /// The places of its Python where a step can stop.
    pub fn places(self) -> &'static [Place] {
        match self {
            Solution::NoYield => &[Place::Call, Place::TimeSleep, Place::LoopNext],
            Solution::YieldThenSleep => &[Place::Yield, Place::TimeSleep, Place::StopIteration],
            Solution::BusyWait => &[Place::BusyWaitYield, Place::StopIteration],
            Solution::YieldAsleep => &[Place::YieldAsleep, Place::StopIteration],
            Solution::YieldFromAsleep => &[
                Place::YieldFromAsleep,
                Place::AsleepYield,
                Place::StopIteration,
            ],
        }
    }
}

/// Where in the Python a step stopped; [`python::line`] gives its line number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// `loop([hello(), hello()])`: where version 0 calls (and so runs) each `hello()`.
    Call,
    /// Version 1's bare `yield`.
    Yield,
    /// `time.sleep(SECONDS)`: blocks everything until it returns.
    TimeSleep,
    /// Version 2's `yield` inside its `while` loop.
    BusyWaitYield,
    /// Version 3's `yield asleep(SECONDS)`.
    YieldAsleep,
    /// Version 4's `yield from asleep(SECONDS)`, where `hello` waits on `asleep`.
    YieldFromAsleep,
    /// The `yield` inside `asleep`, reached through version 4's `yield from`.
    AsleepYield,
    /// The loop's `next(g)`: where version 0's `next(None)` raises.
    LoopNext,
    /// `generators.remove(g)`: a generator ended (StopIteration) and leaves the ready list.
    StopIteration,
}
