//! The corrected `loop()` over `[hello(), hello()]` as a state machine: each
//! [`Scheduler::advance`] is one `next(g)` (for version 0, one `hello()` call), at the time
//! the caller gives. Nothing here reads a clock, so tests run it in virtual time.

use super::lanes::{Lane, MarkKind};
use super::output::{OutputLog, Source};
use super::{Place, Solution};

/// What version 3's `yield asleep(...)` gives the loop. Both lines show the same address in
/// CPython: the first `asleep` object is freed once printed, and the second takes its memory.
pub const ASLEEP_OBJECT: &str = "<generator object asleep at 0x7f1c74218110>";

/// What version 0's loop raises: `next()` of the `None` that `hello()` returned.
pub const NOT_AN_ITERATOR: &str = "TypeError: 'NoneType' object is not an iterator";

/// What a `next()` gave the loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// A bare `yield` (or `asleep`'s, through `yield from`).
    None,
    /// Version 3's `asleep(...)` generator object, never iterated.
    AsleepObject,
}

impl Value {
    /// As `print` writes it.
    pub fn text(self) -> &'static str {
        match self {
            Value::None => "None",
            Value::AsleepObject => ASLEEP_OBJECT,
        }
    }
}

/// Who a step ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runner {
    /// `next()` of generator 1 or 2.
    Generator(u8),
    /// Version 0's `hello()` call 1 or 2, before the loop starts.
    Call(u8),
    /// The loop itself (version 0's `next(None)`).
    Loop,
}

impl Runner {
    /// In words: `generator 1`, `call 2` (of `hello()`), `loop()`.
    pub fn label(self) -> String {
        match self {
            Runner::Generator(k) => format!("generator {k}"),
            Runner::Call(k) => format!("call {k}"),
            Runner::Loop => "loop()".to_string(),
        }
    }
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepResult {
    /// Still inside `time.sleep` until this time, ms: nothing else runs meanwhile.
    Blocked { until_ms: f64 },
    /// The generator yielded this value, and the loop printed it.
    Yielded(Value),
    /// The generator returned: `StopIteration`, and it left the ready list.
    Finished,
    /// Version 0's `hello()` call returned `None`.
    Returned,
    /// The loop raised this error (Python's last traceback line).
    Raised(&'static str),
}

/// What the last step did.
#[derive(Clone, Debug, PartialEq)]
pub struct StepReport {
    /// The step's number: the `n`-th `next()` (or call) of the run.
    pub number: u64,
    /// Who ran.
    pub runner: Runner,
    /// Where in the Python it stopped.
    pub place: Place,
    /// How it ended.
    pub result: StepResult,
    /// What it printed (`hello`, `goodbye`), in order.
    pub printed: Vec<&'static str>,
    /// When it started, ms since the run started.
    pub at_ms: f64,
}

impl StepReport {
    /// What the step did, in a sentence.
    pub fn summary(&self) -> String {
        let who = match self.runner {
            Runner::Call(k) => format!("Call {k} of hello()"),
            Runner::Generator(k) => format!(
                "next() {} ran generator {k}",
                crate::format::count(self.number)
            ),
            Runner::Loop => "loop() called next(None)".to_string(),
        };
        let printed = match self.printed.as_slice() {
            [] => String::new(),
            lines => format!(", printed {}", lines.join(" and ")),
        };
        let what = match self.result {
            StepResult::Blocked { until_ms } => format!(
                " and is in time.sleep until {}: nothing else runs until it returns",
                crate::format::stamp(until_ms)
            ),
            StepResult::Yielded(value) => {
                format!(" and yielded {}, which the loop printed", value.text())
            }
            StepResult::Finished => {
                " and returned: StopIteration, so it left the ready list".to_string()
            }
            StepResult::Returned => " and returned None".to_string(),
            StepResult::Raised(error) => format!(": {error}"),
        };
        format!("{who}{printed}{what}.")
    }
}

/// The outcome of [`Scheduler::advance`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Advance {
    /// A step ended; [`Scheduler::last`] says how.
    Stepped,
    /// The step is inside `time.sleep`: call again at or after `until_ms`.
    Blocked { until_ms: f64 },
    /// The run is over: nothing more happens.
    Ended,
}

/// Where one `hello` stands between two `next()` calls.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Hello {
    /// Created, not started (version 0: not yet called).
    Fresh,
    /// Version 1, suspended at its bare `yield`.
    AtYield,
    /// Inside `time.sleep` until this time (versions 0 and 1).
    Sleeping { until_ms: f64 },
    /// Suspended at a `yield` in a wait that started at `start_ms` (version 2's loop, or
    /// `asleep`'s through version 4's `yield from`).
    Waiting { start_ms: f64 },
    /// Version 3, suspended at `yield asleep(...)`.
    AtYieldAsleep,
    /// Returned.
    Done,
}

/// How one resumption of a `hello` ended.
enum Resumed {
    Yielded(Value, Place),
    Returned,
    Blocked { until_ms: f64 },
}

/// The loop and its two `hello`s at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Scheduler {
    solution: Solution,
    sleep_ms: f64,
    hellos: [Hello; 2],
    /// The loop's list, by generator index (0 or 1).
    ready: Vec<usize>,
    /// The copy the current `for` round walks, and how far it got.
    round: Vec<usize>,
    round_pos: usize,
    /// The step under way, while it is blocked in `time.sleep`.
    blocked: Option<StepReport>,
    steps: u64,
    ended: Option<StepResult>,
    now_ms: f64,
    output: OutputLog,
    lanes: [Lane; 2],
    last: Option<StepReport>,
}

impl Scheduler {
    /// The loop about to run `solution`, each `hello` sleeping `sleep_ms`.
    pub fn new(solution: Solution, sleep_ms: f64) -> Self {
        Scheduler {
            solution,
            sleep_ms: sleep_ms.max(0.0),
            hellos: [Hello::Fresh; 2],
            ready: vec![0, 1],
            round: Vec::new(),
            round_pos: 0,
            blocked: None,
            steps: 0,
            ended: None,
            now_ms: 0.0,
            output: OutputLog::default(),
            lanes: Default::default(),
            last: None,
        }
    }

    /// The version it runs.
    pub fn solution(&self) -> Solution {
        self.solution
    }

    /// How long each `hello` sleeps, ms.
    pub fn sleep_ms(&self) -> f64 {
        self.sleep_ms
    }

    /// The loop's ready list, as generator numbers (1 and 2): what is left to run. Version 0
    /// has no generators, so its list is empty.
    pub fn ready(&self) -> Vec<u8> {
        if self.solution == Solution::NoYield {
            return Vec::new();
        }
        self.ready.iter().map(|i| *i as u8 + 1).collect()
    }

    /// How many steps (`next()` calls, or version 0's calls) have run or are under way.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The last step, or the one blocked in `time.sleep`.
    pub fn last(&self) -> Option<&StepReport> {
        self.blocked.as_ref().or(self.last.as_ref())
    }

    /// Until when the step under way is blocked in `time.sleep`, ms.
    pub fn blocked_until_ms(&self) -> Option<f64> {
        match self.blocked.as_ref()?.result {
            StepResult::Blocked { until_ms } => Some(until_ms),
            _ => None,
        }
    }

    /// How the run ended: `Finished` (the loop returned) or `Raised`; `None` while it runs.
    pub fn ended(&self) -> Option<StepResult> {
        self.ended
    }

    /// The latest time the scheduler was given, ms since the run started.
    pub fn now_ms(&self) -> f64 {
        self.now_ms
    }

    /// Everything printed so far.
    pub fn output(&self) -> &OutputLog {
        &self.output
    }

    /// One lane per generator (or version 0's call).
    pub fn lanes(&self) -> &[Lane; 2] {
        &self.lanes
    }

    /// How many `hello`s ran to their end.
    pub fn hellos_done(&self) -> u32 {
        self.hellos.iter().filter(|h| **h == Hello::Done).count() as u32
    }

    /// Runs the next step at `now_ms` (ms since the run started), or goes on with the one
    /// blocked in `time.sleep` if its time has come.
    pub fn advance(&mut self, now_ms: f64) -> Advance {
        if self.ended.is_some() {
            return Advance::Ended;
        }
        self.now_ms = self.now_ms.max(now_ms);
        let now_ms = self.now_ms;
        if let Some(until_ms) = self.blocked_until_ms() {
            if now_ms < until_ms {
                return Advance::Blocked { until_ms };
            }
        }
        // A step blocked in time.sleep goes on where it stopped; otherwise a new one starts.
        let (runner, at_ms, printed) = match self.blocked.take() {
            Some(report) => (report.runner, report.at_ms, report.printed),
            None => match self.next_runner() {
                Some(runner) => {
                    self.steps += 1;
                    if let Runner::Call(k) | Runner::Generator(k) = runner {
                        self.lanes[usize::from(k - 1)].ticks.add(now_ms);
                    }
                    (runner, now_ms, Vec::new())
                }
                None => {
                    self.ended = Some(StepResult::Finished);
                    return Advance::Ended;
                }
            },
        };
        let mut report = StepReport {
            number: self.steps,
            runner,
            place: Place::Call,
            result: StepResult::Returned,
            printed,
            at_ms,
        };
        match runner {
            Runner::Loop => {
                report.place = Place::LoopNext;
                report.result = StepResult::Raised(NOT_AN_ITERATOR);
                self.output.raised(NOT_AN_ITERATOR, now_ms);
                self.lanes[0].marks.push(mark(now_ms, MarkKind::Raised));
                self.ended = Some(report.result);
            }
            Runner::Call(k) | Runner::Generator(k) => {
                let i = usize::from(k - 1);
                let resumed = self.resume(i, now_ms, &mut report.printed);
                match resumed {
                    Resumed::Blocked { until_ms } => {
                        report.place = Place::TimeSleep;
                        report.result = StepResult::Blocked { until_ms };
                        self.blocked = Some(report);
                        return Advance::Blocked { until_ms };
                    }
                    Resumed::Yielded(value, place) => {
                        report.place = place;
                        report.result = StepResult::Yielded(value);
                        self.output.yielded(value.text(), k, now_ms);
                    }
                    Resumed::Returned if self.solution == Solution::NoYield => {
                        report.place = Place::Call;
                        report.result = StepResult::Returned;
                        self.lanes[i].marks.push(mark(now_ms, MarkKind::Ended));
                    }
                    Resumed::Returned => {
                        report.place = Place::StopIteration;
                        report.result = StepResult::Finished;
                        self.ready.retain(|g| *g != i);
                        self.lanes[i].marks.push(mark(now_ms, MarkKind::Ended));
                    }
                }
            }
        }
        self.last = Some(report);
        Advance::Stepped
    }

    /// Who runs next: version 0 calls `hello()` twice, then the loop's `next(None)` raises;
    /// the others walk a copy of the ready list, round after round, until it is empty.
    fn next_runner(&mut self) -> Option<Runner> {
        if self.solution == Solution::NoYield {
            return Some(match self.hellos.iter().position(|h| *h == Hello::Fresh) {
                Some(i) => Runner::Call(i as u8 + 1),
                None => Runner::Loop,
            });
        }
        if self.round_pos >= self.round.len() {
            if self.ready.is_empty() {
                return None;
            }
            self.round = self.ready.clone();
            self.round_pos = 0;
        }
        let i = self.round[self.round_pos];
        self.round_pos += 1;
        Some(Runner::Generator(i as u8 + 1))
    }

    /// Resumes `hello` number `i` at `now_ms` until it yields, returns or blocks.
    fn resume(&mut self, i: usize, now_ms: f64, printed: &mut Vec<&'static str>) -> Resumed {
        match self.hellos[i] {
            Hello::Done => Resumed::Returned,
            Hello::Sleeping { .. } | Hello::AtYieldAsleep => self.finish(i, now_ms, printed),
            Hello::Waiting { start_ms } => self.wait(i, start_ms, now_ms, printed),
            Hello::AtYield => self.block(i, now_ms),
            Hello::Fresh => {
                self.print(i, "hello", MarkKind::Hello, now_ms, printed);
                match self.solution {
                    Solution::NoYield => self.block(i, now_ms),
                    Solution::YieldThenSleep => {
                        self.hellos[i] = Hello::AtYield;
                        Resumed::Yielded(Value::None, Place::Yield)
                    }
                    Solution::BusyWait | Solution::YieldFromAsleep => {
                        self.wait(i, now_ms, now_ms, printed)
                    }
                    Solution::YieldAsleep => {
                        self.hellos[i] = Hello::AtYieldAsleep;
                        Resumed::Yielded(Value::AsleepObject, Place::YieldAsleep)
                    }
                }
            }
        }
    }

    /// `while time.time() - start < seconds: yield`, from a wait that began at `start_ms`.
    fn wait(
        &mut self,
        i: usize,
        start_ms: f64,
        now_ms: f64,
        printed: &mut Vec<&'static str>,
    ) -> Resumed {
        if now_ms - start_ms < self.sleep_ms {
            self.hellos[i] = Hello::Waiting { start_ms };
            let place = match self.solution {
                Solution::YieldFromAsleep => Place::AsleepYield,
                _ => Place::BusyWaitYield,
            };
            Resumed::Yielded(Value::None, place)
        } else {
            self.finish(i, now_ms, printed)
        }
    }

    /// `time.sleep(seconds)`: nothing else runs until it returns.
    fn block(&mut self, i: usize, now_ms: f64) -> Resumed {
        let until_ms = now_ms + self.sleep_ms;
        self.hellos[i] = Hello::Sleeping { until_ms };
        self.lanes[i]
            .marks
            .push(mark(now_ms, MarkKind::Slept { until_ms }));
        Resumed::Blocked { until_ms }
    }

    /// `print("goodbye")`, and `hello` returns.
    fn finish(&mut self, i: usize, now_ms: f64, printed: &mut Vec<&'static str>) -> Resumed {
        self.print(i, "goodbye", MarkKind::Goodbye, now_ms, printed);
        self.hellos[i] = Hello::Done;
        Resumed::Returned
    }

    fn print(
        &mut self,
        i: usize,
        text: &'static str,
        kind: MarkKind,
        now_ms: f64,
        printed: &mut Vec<&'static str>,
    ) {
        let k = i as u8 + 1;
        let source = match self.solution {
            Solution::NoYield => Source::Call(k),
            _ => Source::Generator(k),
        };
        self.output.printed(text, source, now_ms);
        self.lanes[i].marks.push(mark(now_ms, kind));
        printed.push(text);
    }
}

fn mark(at_ms: f64, kind: MarkKind) -> super::lanes::Mark {
    super::lanes::Mark { at_ms, kind }
}

/// What a version prints when its loop runs to the end, each `next()` taking `tick_ns`: the
/// lines as the corrected Python shows them.
pub fn run_to_end(solution: Solution, sleep_ms: f64, tick_ns: u64) -> Vec<String> {
    let mut scheduler = Scheduler::new(solution, sleep_ms);
    let mut now_ns = 0u64;
    loop {
        match scheduler.advance(now_ns as f64 / 1e6) {
            Advance::Stepped => now_ns += tick_ns,
            Advance::Blocked { until_ms } => now_ns = (until_ms * 1e6).ceil() as u64,
            Advance::Ended => break,
        }
    }
    scheduler
        .output()
        .lines()
        .iter()
        .map(|l| l.shown())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{python, LineKind};
    use super::*;

    /// Runs `solution` to its end in virtual time: every `next()` costs `tick_ns`, and a
    /// `time.sleep` moves the clock to its end. Returns the scheduler and every step's report.
    fn run(solution: Solution, sleep_ms: f64, tick_ns: u64) -> (Scheduler, Vec<StepReport>) {
        let mut scheduler = Scheduler::new(solution, sleep_ms);
        let mut now_ns = 0u64;
        let mut reports = Vec::new();
        loop {
            match scheduler.advance(now_ns as f64 / 1e6) {
                Advance::Stepped => {
                    reports.extend(scheduler.last().cloned());
                    now_ns += tick_ns;
                }
                Advance::Blocked { until_ms } => now_ns = (until_ms * 1e6).ceil() as u64,
                Advance::Ended => break,
            }
        }
        (scheduler, reports)
    }

    fn shown(scheduler: &Scheduler) -> Vec<String> {
        scheduler
            .output()
            .lines()
            .iter()
            .map(|l| l.shown())
            .collect()
    }

    #[test]
    fn without_a_yield_hello_runs_to_the_end_when_called_and_next_of_none_raises_type_error() {
        let (s, reports) = run(Solution::NoYield, 1000.0, 1000);
        assert_eq!(
            shown(&s),
            ["hello", "goodbye", "hello", "goodbye", NOT_AN_ITERATOR]
        );
        assert_eq!(
            NOT_AN_ITERATOR,
            "TypeError: 'NoneType' object is not an iterator"
        );
        let lines = s.output().lines();
        assert_eq!(lines[1].source, Source::Call(1));
        assert_eq!(lines[2].source, Source::Call(2));
        assert_eq!(lines[4].kind, LineKind::Error);
        // Sequential: each call sleeps in full before the next starts.
        assert_eq!(lines[1].first_ms, 1000.0);
        assert!(lines[3].first_ms >= 2000.0);
        assert_eq!(s.ended(), Some(StepResult::Raised(NOT_AN_ITERATOR)));
        let runners: Vec<Runner> = reports.iter().map(|r| r.runner).collect();
        assert_eq!(runners, [Runner::Call(1), Runner::Call(2), Runner::Loop]);
        assert!(s.ready().is_empty());
    }

    #[test]
    fn one_yield_before_time_sleep_prints_two_hellos_then_goodbyes_one_sleep_apart() {
        let (s, reports) = run(Solution::YieldThenSleep, 1000.0, 1000);
        assert_eq!(
            shown(&s),
            ["hello", "None", "hello", "None", "goodbye", "goodbye"]
        );
        let lines = s.output().lines();
        let apart = lines[5].first_ms - lines[4].first_ms;
        assert!((apart - 1000.0).abs() < 0.01, "{apart}");
        let ticks: Vec<(Runner, StepResult)> =
            reports.iter().map(|r| (r.runner, r.result)).collect();
        assert_eq!(
            ticks,
            [
                (Runner::Generator(1), StepResult::Yielded(Value::None)),
                (Runner::Generator(2), StepResult::Yielded(Value::None)),
                (Runner::Generator(1), StepResult::Finished),
                (Runner::Generator(2), StepResult::Finished),
            ]
        );
    }

    #[test]
    fn the_busy_wait_shares_one_wait_and_the_loop_prints_none_on_every_tick() {
        // One next() per microsecond: a 1 s wait is a million ticks, two generators share it.
        let (s, reports) = run(Solution::BusyWait, 1000.0, 1000);
        assert_eq!(
            shown(&s),
            [
                "hello",
                "None",
                "hello",
                "None x 999,999",
                "goodbye",
                "goodbye"
            ]
        );
        let lines = s.output().lines();
        assert_eq!(lines[3].source, Source::Yielded(0b11));
        assert!((lines[4].first_ms - 1000.0).abs() < 0.01);
        assert!((lines[5].first_ms - lines[4].first_ms) < 0.01);
        assert_eq!(reports.len(), 1_000_002);
        assert_eq!(
            s.lanes()[0].ticks.total() + s.lanes()[1].ticks.total(),
            1_000_002
        );
    }

    #[test]
    fn yield_asleep_prints_the_generator_object_and_moves_on_without_waiting() {
        let (s, _) = run(Solution::YieldAsleep, 1000.0, 1000);
        assert_eq!(
            shown(&s),
            [
                "hello",
                ASLEEP_OBJECT,
                "hello",
                ASLEEP_OBJECT,
                "goodbye",
                "goodbye"
            ]
        );
        assert!(ASLEEP_OBJECT.starts_with("<generator object asleep at 0x"));
        // Four next() calls of 1 µs: everything at once.
        assert!(s.now_ms() < 0.01, "{}", s.now_ms());
        assert_eq!(s.steps(), 4);
    }

    #[test]
    fn yield_from_asleep_works_again_like_the_busy_wait() {
        let (s, reports) = run(Solution::YieldFromAsleep, 500.0, 1000);
        assert_eq!(
            shown(&s),
            [
                "hello",
                "None",
                "hello",
                "None x 499,999",
                "goodbye",
                "goodbye"
            ]
        );
        assert_eq!(reports[0].place, Place::AsleepYield);
    }

    #[test]
    fn the_none_count_is_the_wait_divided_by_the_cost_of_one_next() {
        // CPython runs a few million next() a second on these machines: 2.5 million a second is
        // 400 ns a tick, so a 1 s wait prints None about 2.5 million times.
        let (s, _) = run(Solution::BusyWait, 1000.0, 400);
        let run_of_nones = &s.output().lines()[3];
        assert_eq!(run_of_nones.count, 2_499_999);
    }

    #[test]
    fn with_no_wait_the_busy_wait_never_yields() {
        let (s, _) = run(Solution::BusyWait, 0.0, 1000);
        assert_eq!(shown(&s), ["hello", "goodbye", "hello", "goodbye"]);
    }

    #[test]
    fn a_finished_generator_leaves_the_ready_list_and_the_loop_returns_when_it_is_empty() {
        let mut s = Scheduler::new(Solution::YieldThenSleep, 10.0);
        assert_eq!(s.ready(), [1, 2]);
        assert_eq!(s.advance(0.0), Advance::Stepped);
        assert_eq!(s.advance(0.0), Advance::Stepped);
        assert_eq!(s.advance(0.0), Advance::Blocked { until_ms: 10.0 });
        assert_eq!(s.advance(5.0), Advance::Blocked { until_ms: 10.0 });
        assert_eq!(s.last().map(|r| r.place), Some(Place::TimeSleep));
        assert_eq!(s.advance(10.0), Advance::Stepped);
        assert_eq!(s.ready(), [2]);
        assert_eq!(s.advance(10.0), Advance::Blocked { until_ms: 20.0 });
        assert_eq!(s.advance(20.0), Advance::Stepped);
        assert!(s.ready().is_empty());
        assert_eq!(s.ended(), None);
        assert_eq!(s.advance(20.0), Advance::Ended);
        assert_eq!(s.ended(), Some(StepResult::Finished));
        assert_eq!(s.hellos_done(), 2);
    }

    #[test]
    fn each_step_says_what_it_did_in_a_sentence() {
        let (_, reports) = run(Solution::NoYield, 1000.0, 1000);
        assert_eq!(
            reports[0].summary(),
            "Call 1 of hello(), printed hello and goodbye and returned None."
        );
        assert_eq!(
            reports[2].summary(),
            "loop() called next(None): TypeError: 'NoneType' object is not an iterator."
        );
        let mut s = Scheduler::new(Solution::YieldThenSleep, 1000.0);
        s.advance(0.0);
        assert_eq!(
            s.last().unwrap().summary(),
            "next() 1 ran generator 1, printed hello and yielded None, which the loop printed."
        );
        s.advance(0.0);
        s.advance(0.0);
        assert_eq!(
            s.last().unwrap().summary(),
            "next() 3 ran generator 1 and is in time.sleep until 1.000 s: nothing else runs until it returns."
        );
    }

    #[test]
    fn every_step_stops_on_a_line_of_its_versions_python() {
        for solution in Solution::ALL {
            let (_, reports) = run(solution, 2.0, 1_000_000);
            for report in reports {
                assert!(
                    python::line(solution, report.place).is_some(),
                    "{solution:?} {:?}",
                    report.place
                );
            }
        }
    }
}
