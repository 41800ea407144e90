//! The generators lab's page state: a [`Scheduler`] driven by Step, Run, Stop and Reset, and
//! by the frames the browser edge reports (the only way time reaches it).

use super::scheduler::{Advance, Scheduler, StepResult};
use super::Solution;
use crate::trace::RunStatus;

/// How fast Run steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// As many `next()` calls as fit in each frame's slice: real speed.
    RealTime,
    /// At most this many `next()` calls per second, to watch each one.
    PerSecond(u32),
}

impl Speed {
    /// The choices the page offers, fastest first.
    pub const ALL: [Speed; 4] = [
        Speed::RealTime,
        Speed::PerSecond(100),
        Speed::PerSecond(10),
        Speed::PerSecond(2),
    ];

    /// The form's value: `real`, `100`.
    pub fn id(self) -> String {
        match self {
            Speed::RealTime => "real".to_string(),
            Speed::PerSecond(n) => n.to_string(),
        }
    }

    /// The form's label.
    pub fn label(self) -> String {
        match self {
            Speed::RealTime => "Real speed: as many next() calls as fit".to_string(),
            Speed::PerSecond(n) => format!("{n} next() calls per second"),
        }
    }

    /// The speed a form value names.
    pub fn from_id(id: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// Where the stepper is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Waiting for Step or Run (before the first step, or between steps).
    Idle,
    /// Step was pressed: the next frame runs one `next()`.
    StepAsked,
    /// One `next()` is blocked in `time.sleep`; frames go on with it until it returns.
    Stepping,
    /// Run: every frame runs a slice of `next()` calls.
    Running,
    /// The run is over.
    Ended(RunStatus),
}

/// What Step, Run and the frames can do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepperAction {
    /// One `next()` (works before any Run, and between runs' steps).
    Step,
    /// Undoes the last Step: the loop, its generators, the Output and the `next()` count are
    /// as they were before it.
    StepBack,
    /// Play from where it is (from the start again once a run is over).
    Run,
    /// End the run where it is.
    Stop,
    /// Back to before the first step.
    Reset,
    /// The speed control changed.
    SetSpeed(Speed),
    /// A frame of the page at `now_ms` (the page's clock): run at most `budget` `next()`
    /// calls, the `i`-th `i * ms_per_next` (what one call costs here) after `now_ms`, or
    /// after the last call if that was later.
    Frame {
        now_ms: f64,
        budget: u32,
        ms_per_next: f64,
    },
}

/// The result of one run, for the embed API's result message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepperResult {
    /// Which run (counts from 1).
    pub run_number: u32,
    /// `Finished` (the loop returned), `Failed` (it raised) or `Stopped`.
    pub status: RunStatus,
    /// From the first step to the end, ms.
    pub wall_ms: f64,
    /// What the version should take: two sleeps, one, or none.
    pub expected_ms: f64,
    /// `hello`s that printed goodbye and returned.
    pub tasks_done: u32,
    /// `hello`s in the run: 2.
    pub tasks_total: u32,
}

/// How often the `next()` rate is measured, ms.
const RATE_WINDOW_MS: f64 = 500.0;

/// The stepper as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stepper {
    scheduler: Scheduler,
    mode: Mode,
    speed: Speed,
    /// The page's clock when the run's first step ran.
    origin_ms: Option<f64>,
    run_number: u32,
    result: Option<StepperResult>,
    /// At slow speeds, the time of the last paced step, ms since the run started.
    paced_ms: Option<f64>,
    /// Start (ms) and step count of the current rate window, and the last rate measured.
    rate_window: (f64, u64),
    next_per_second: Option<f64>,
    /// The learner pressed Step in this run: its wall time counts their pauses.
    stepped_by_hand: bool,
    /// For Step back: the time of every `advance` this run's Steps made, and where each
    /// Step's begin; `None` once Run has played (its calls are not Steps to undo).
    replay: Option<(Vec<f64>, Vec<usize>)>,
}

impl Stepper {
    /// A stepper about to run `solution` with sleeps of `sleep_ms`.
    pub fn new(solution: Solution, sleep_ms: f64) -> Self {
        Stepper {
            scheduler: Scheduler::new(solution, sleep_ms),
            mode: Mode::Idle,
            speed: Speed::RealTime,
            origin_ms: None,
            run_number: 0,
            result: None,
            paced_ms: None,
            rate_window: (0.0, 0),
            next_per_second: None,
            stepped_by_hand: false,
            replay: Some((Vec::new(), Vec::new())),
        }
    }

    /// The same stepper for another program: a run under way ends as stopped first.
    pub fn reprogrammed(mut self, solution: Solution, sleep_ms: f64) -> Self {
        if self.scheduler.solution() == solution && self.scheduler.sleep_ms() == sleep_ms {
            return self;
        }
        self.end_if_started(RunStatus::Stopped);
        self.scheduler = Scheduler::new(solution, sleep_ms);
        self.fresh();
        self
    }

    /// The loop and its generators.
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Where the stepper is.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The chosen speed.
    pub fn speed(&self) -> Speed {
        self.speed
    }

    /// The number of the current (or last) run; 0 before any.
    pub fn run_number(&self) -> u32 {
        self.run_number
    }

    /// The last run's result, once one has ended.
    pub fn result(&self) -> Option<&StepperResult> {
        self.result.as_ref()
    }

    /// `next()` calls per second over the last half second of running.
    pub fn next_per_second(&self) -> Option<f64> {
        self.next_per_second
    }

    /// Whether the page must send frames.
    pub fn wants_frames(&self) -> bool {
        matches!(self.mode, Mode::StepAsked | Mode::Stepping | Mode::Running)
    }

    /// Whether the learner stepped this run by hand (Step, at least once): its wall time
    /// then counts their pauses between steps, not only the loop's waits.
    pub fn stepped_by_hand(&self) -> bool {
        self.stepped_by_hand
    }

    /// Whether a run has started and not ended (Stop then ends it).
    pub fn in_progress(&self) -> bool {
        (self.origin_ms.is_some() && !matches!(self.mode, Mode::Ended(_)))
            || matches!(self.mode, Mode::StepAsked | Mode::Running)
    }

    /// Applies one action.
    pub fn apply(mut self, action: StepperAction) -> Self {
        match action {
            StepperAction::Step => match self.mode {
                Mode::Idle => {
                    self.start_if_fresh();
                    self.step_begins();
                    self.mode = Mode::StepAsked;
                    self.stepped_by_hand = true;
                }
                Mode::Ended(_) => {
                    self.restart();
                    self.start_if_fresh();
                    self.step_begins();
                    self.mode = Mode::StepAsked;
                    self.stepped_by_hand = true;
                }
                Mode::StepAsked | Mode::Stepping | Mode::Running => {}
            },
            StepperAction::StepBack => self.step_back(),
            StepperAction::Run => {
                if let Mode::Ended(_) = self.mode {
                    self.restart();
                }
                // Played, not stepped: what Step back would undo is no longer one Step.
                self.replay = None;
                self.start_if_fresh();
                if self.mode != Mode::Running {
                    self.mode = Mode::Running;
                    self.paced_ms = None;
                    self.rate_window = (self.scheduler.now_ms(), self.scheduler.steps());
                    self.next_per_second = None;
                }
            }
            StepperAction::Stop => self.end_if_started(RunStatus::Stopped),
            StepperAction::Reset => {
                self.end_if_started(RunStatus::Stopped);
                self.restart();
            }
            StepperAction::SetSpeed(speed) => {
                self.speed = speed;
                self.paced_ms = None;
            }
            StepperAction::Frame {
                now_ms,
                budget,
                ms_per_next,
            } => self.frame(now_ms, budget, ms_per_next),
        }
        self
    }

    /// Whether Step back has a Step to undo (between steps, or after a run that ended).
    pub fn can_step_back(&self) -> bool {
        self.replay
            .as_ref()
            .is_some_and(|(_, begins)| !begins.is_empty())
            && matches!(self.mode, Mode::Idle | Mode::Ended(_))
    }

    /// A Step begins: its `advance` calls are recorded from here.
    fn step_begins(&mut self) {
        if let Some((times, begins)) = &mut self.replay {
            begins.push(times.len());
        }
    }

    /// Undoes the last Step: the same loop from before its first step, given every `advance`
    /// of the Steps before the last (the loop is a function of the times it is given).
    fn step_back(&mut self) {
        if !self.can_step_back() {
            return;
        }
        let Some((times, begins)) = &mut self.replay else {
            return;
        };
        times.truncate(begins.pop().unwrap_or(0));
        let mut scheduler = Scheduler::new(self.scheduler.solution(), self.scheduler.sleep_ms());
        for t in times.iter() {
            scheduler.advance(*t);
        }
        self.scheduler = scheduler;
        self.mode = Mode::Idle;
    }

    /// A new run number for the first step of a run.
    fn start_if_fresh(&mut self) {
        if self.origin_ms.is_none() && self.mode == Mode::Idle {
            self.run_number += 1;
        }
    }

    /// The same program from before its first step.
    fn restart(&mut self) {
        self.scheduler = Scheduler::new(self.scheduler.solution(), self.scheduler.sleep_ms());
        self.fresh();
    }

    fn fresh(&mut self) {
        self.stepped_by_hand = false;
        self.replay = Some((Vec::new(), Vec::new()));
        self.mode = Mode::Idle;
        self.origin_ms = None;
        self.paced_ms = None;
        self.rate_window = (0.0, 0);
        self.next_per_second = None;
    }

    /// One `advance` of a Step, recorded for Step back.
    fn advance_step(&mut self, t: f64) -> Advance {
        if let Some((times, _)) = &mut self.replay {
            times.push(t);
        }
        self.scheduler.advance(t)
    }

    fn frame(&mut self, now_ms: f64, budget: u32, ms_per_next: f64) {
        if !self.wants_frames() {
            return;
        }
        let origin = *self.origin_ms.get_or_insert(now_ms);
        let t = now_ms - origin;
        match self.mode {
            Mode::StepAsked | Mode::Stepping => match self.advance_step(t) {
                Advance::Stepped => self.mode = Mode::Idle,
                Advance::Blocked { .. } => self.mode = Mode::Stepping,
                Advance::Ended => self.end_by_scheduler(),
            },
            Mode::Running => {
                // Time moves on between two next() calls, as in Python, even when the page's
                // clock is behind the last call's time (the previous slice's cost was a guess).
                let start = t.max(self.scheduler.now_ms());
                for i in 1..=self.allowed(t, budget) {
                    match self
                        .scheduler
                        .advance(start + f64::from(i) * ms_per_next.max(0.0))
                    {
                        Advance::Stepped => {}
                        Advance::Blocked { .. } => break,
                        Advance::Ended => {
                            self.end_by_scheduler();
                            break;
                        }
                    }
                }
                self.measure_rate(t);
            }
            Mode::Idle | Mode::Ended(_) => {}
        }
    }

    /// How many steps this frame may run at the chosen speed.
    fn allowed(&mut self, t: f64, budget: u32) -> u32 {
        let Speed::PerSecond(per_second) = self.speed else {
            return budget;
        };
        let interval_ms = 1000.0 / f64::from(per_second.max(1));
        // After a pause (a sleep, a slow frame) steps resume at the pace, without a burst.
        let paced = match self.paced_ms {
            Some(paced) if t - paced <= 2.0 * interval_ms => paced,
            _ => t - interval_ms,
        };
        let due = ((t - paced) / interval_ms).floor().max(0.0) as u32;
        self.paced_ms = Some(paced + f64::from(due) * interval_ms);
        due.min(budget)
    }

    fn measure_rate(&mut self, t: f64) {
        let (start_ms, start_steps) = self.rate_window;
        if t - start_ms >= RATE_WINDOW_MS {
            let steps = self.scheduler.steps() - start_steps;
            self.next_per_second = Some(steps as f64 * 1000.0 / (t - start_ms));
            self.rate_window = (t, self.scheduler.steps());
        }
    }

    fn end_by_scheduler(&mut self) {
        // A run shorter than one rate window still says how fast it stepped.
        if self.mode == Mode::Running && self.next_per_second.is_none() {
            let t = self.scheduler.now_ms();
            if t > 0.0 {
                self.next_per_second = Some(self.scheduler.steps() as f64 * 1000.0 / t);
            }
        }
        let status = match self.scheduler.ended() {
            Some(StepResult::Raised(_)) => RunStatus::Failed,
            _ => RunStatus::Finished,
        };
        self.end_if_started(status);
    }

    fn end_if_started(&mut self, status: RunStatus) {
        if !self.in_progress() {
            return;
        }
        self.mode = Mode::Ended(status);
        self.result = Some(StepperResult {
            run_number: self.run_number,
            status,
            wall_ms: self.scheduler.now_ms(),
            expected_ms: self
                .scheduler
                .solution()
                .expected_ms(self.scheduler.sleep_ms()),
            tasks_done: self.scheduler.hellos_done(),
            tasks_total: 2,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(stepper: Stepper, now_ms: f64) -> Stepper {
        stepper.apply(StepperAction::Frame {
            now_ms,
            budget: 10_000,
            ms_per_next: 0.001,
        })
    }

    /// Sends a frame every 16 ms from `from_ms` until the stepper wants no more or `until_ms`.
    fn frames(mut stepper: Stepper, from_ms: f64, until_ms: f64) -> Stepper {
        let mut now = from_ms;
        while stepper.wants_frames() && now <= until_ms {
            stepper = frame(stepper, now);
            now += 16.0;
        }
        stepper
    }

    #[test]
    fn step_works_before_any_run_and_runs_one_next() {
        let s = Stepper::new(Solution::YieldFromAsleep, 1000.0).apply(StepperAction::Step);
        assert_eq!(s.mode(), Mode::StepAsked);
        assert_eq!(s.run_number(), 1);
        let s = frame(s, 5000.0);
        assert_eq!(s.mode(), Mode::Idle);
        assert_eq!(s.scheduler().steps(), 1);
        assert!(!s.wants_frames());
        let s = frame(s.apply(StepperAction::Step), 5100.0);
        assert_eq!(s.scheduler().steps(), 2);
        assert_eq!(s.scheduler().now_ms(), 100.0);
        assert_eq!(s.run_number(), 1);
    }

    #[test]
    fn step_back_undoes_a_step_and_its_next_call() {
        let s = frame(
            Stepper::new(Solution::YieldFromAsleep, 1000.0).apply(StepperAction::Step),
            0.0,
        );
        let one = s.clone();
        let s = frame(s.apply(StepperAction::Step), 100.0);
        assert_eq!(s.scheduler().steps(), 2);
        assert!(s.can_step_back());
        let s = s.apply(StepperAction::StepBack);
        assert_eq!(s.scheduler(), one.scheduler());
        assert_eq!(s.scheduler().steps(), 1);
        let s = s.apply(StepperAction::StepBack);
        assert_eq!(s.scheduler().steps(), 0);
        // Nothing before the first step: Step back does nothing more.
        assert!(!s.can_step_back());
        let s = s.apply(StepperAction::StepBack);
        assert_eq!(s.scheduler().steps(), 0);
        // A Run plays on: its calls are not Steps to undo.
        let ran = frames(s.apply(StepperAction::Run), 200.0, 10_000.0);
        assert!(!ran.can_step_back());
    }

    #[test]
    fn a_run_stepped_by_hand_is_marked_so_its_wall_time_can_say_it_counts_the_pauses() {
        let ran = frames(
            Stepper::new(Solution::YieldFromAsleep, 100.0).apply(StepperAction::Run),
            0.0,
            5000.0,
        );
        assert!(matches!(ran.mode(), Mode::Ended(_)));
        assert!(!ran.stepped_by_hand());
        let stepped = frame(ran.apply(StepperAction::Step), 6000.0);
        assert!(stepped.stepped_by_hand());
        let finished = frames(stepped.apply(StepperAction::Run), 6100.0, 12_000.0);
        assert!(matches!(finished.mode(), Mode::Ended(_)));
        assert!(
            finished.stepped_by_hand(),
            "a Run after a Step still counts the pause"
        );
        let again = finished.apply(StepperAction::Run);
        assert!(!again.stepped_by_hand(), "a new run starts unmarked");
    }

    #[test]
    fn a_step_into_time_sleep_blocks_until_the_sleep_returns() {
        let mut s = Stepper::new(Solution::YieldThenSleep, 1000.0);
        for now in [0.0, 10.0, 20.0] {
            s = frame(s.apply(StepperAction::Step), now);
        }
        assert_eq!(s.mode(), Mode::Stepping);
        s = frame(s, 500.0);
        assert_eq!(s.mode(), Mode::Stepping);
        s = frame(s, 1020.0);
        assert_eq!(s.mode(), Mode::Idle);
        let last = s.scheduler().output().lines().last().map(|l| l.shown());
        assert_eq!(last.as_deref(), Some("goodbye"));
    }

    #[test]
    fn step_back_over_a_step_that_blocked_in_time_sleep_gives_the_loop_it_had() {
        let mut s = Stepper::new(Solution::YieldThenSleep, 1000.0);
        for now in [0.0, 10.0] {
            s = frame(s.apply(StepperAction::Step), now);
        }
        let before = s.clone();
        s = frame(s.apply(StepperAction::Step), 20.0);
        s = frame(frame(s, 500.0), 1020.0);
        assert_eq!(s.mode(), Mode::Idle);
        let s = s.apply(StepperAction::StepBack);
        assert_eq!(s.scheduler(), before.scheduler());
        assert_eq!(s.mode(), Mode::Idle);
    }

    #[test]
    fn run_plays_to_the_end_in_slices_and_reports_one_result() {
        let s = Stepper::new(Solution::BusyWait, 50.0).apply(StepperAction::Run);
        let s = frames(s, 0.0, 10_000.0);
        assert_eq!(s.mode(), Mode::Ended(RunStatus::Finished));
        let result = *s.result().unwrap();
        assert_eq!(result.run_number, 1);
        assert_eq!(result.tasks_done, 2);
        assert!(
            result.wall_ms >= 50.0 && result.wall_ms < 80.0,
            "{result:?}"
        );
        assert_eq!(result.expected_ms, 50.0);
        // 10,000 next() per 16 ms frame: about 625,000 per second.
        let rate = s.next_per_second().unwrap_or(0.0);
        assert!(rate > 500_000.0, "{rate}");
    }

    #[test]
    fn version_0_fails_and_stop_ends_a_run_as_stopped() {
        let s = frames(
            Stepper::new(Solution::NoYield, 10.0).apply(StepperAction::Run),
            0.0,
            1000.0,
        );
        assert_eq!(s.result().map(|r| r.status), Some(RunStatus::Failed));
        let s = frames(s.apply(StepperAction::Run), 2000.0, 2001.0);
        assert_eq!(s.run_number(), 2);
        let s = s.apply(StepperAction::Stop);
        assert_eq!(s.mode(), Mode::Ended(RunStatus::Stopped));
        assert_eq!(
            s.result().map(|r| (r.run_number, r.status)),
            Some((2, RunStatus::Stopped))
        );
    }

    #[test]
    fn reset_ends_a_started_run_and_goes_back_before_the_first_step() {
        let s = frame(
            Stepper::new(Solution::BusyWait, 1000.0).apply(StepperAction::Step),
            0.0,
        )
        .apply(StepperAction::Reset);
        assert_eq!(s.result().map(|r| r.status), Some(RunStatus::Stopped));
        assert_eq!(s.mode(), Mode::Idle);
        assert_eq!(s.scheduler().steps(), 0);
        // Nothing started: nothing to stop.
        let untouched = Stepper::new(Solution::BusyWait, 1000.0).apply(StepperAction::Stop);
        assert_eq!(untouched.result(), None);
    }

    #[test]
    fn time_never_stands_still_between_two_next_calls_of_a_run() {
        let mut s = Stepper::new(Solution::BusyWait, 1000.0).apply(StepperAction::Run);
        // A costly first guess puts the run's clock ahead of the page's.
        s = s.apply(StepperAction::Frame {
            now_ms: 0.0,
            budget: 100,
            ms_per_next: 0.5,
        });
        let ahead = s.scheduler().now_ms();
        assert_eq!(ahead, 50.0);
        s = frame(s, 16.0);
        assert!(s.scheduler().now_ms() > ahead);
    }

    #[test]
    fn a_slow_speed_runs_that_many_next_calls_a_second() {
        let s = Stepper::new(Solution::BusyWait, 5000.0)
            .apply(StepperAction::SetSpeed(Speed::PerSecond(10)))
            .apply(StepperAction::Run);
        let s = frames(s, 0.0, 1000.0);
        let steps = s.scheduler().steps();
        assert!((10..=11).contains(&steps), "{steps}");
        assert_eq!(Speed::from_id("10"), Some(Speed::PerSecond(10)));
        assert_eq!(Speed::from_id("real"), Some(Speed::RealTime));
    }
}
