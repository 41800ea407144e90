//! A lab's run as a state machine: `Idle -> (Confirming) -> Running -> Ended(status)`,
//! advanced only by [`RunEvent`]s. Views render from it; they never change it directly.

use labs::plan::PlanItem;
use sim::executors::ExecutorId;
use sim::trace::{RunStatus, Trace};
use std::rc::Rc;

/// Where the run is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    /// Nothing has run yet.
    Idle,
    /// A long run waits for the user to confirm it.
    Confirming,
    /// Executor `plan[current]` is running.
    Running,
    /// The run ended: finished, stopped or failed.
    Ended(RunStatus),
}

/// The state of a lab's runs.
#[derive(Clone, Debug, PartialEq)]
pub struct RunState {
    /// Where the run is.
    pub phase: Phase,
    /// Numbers runs, so late events of an older run are ignored.
    pub run_number: u64,
    /// The items of the current (or last) run, in run order.
    pub plan: Vec<PlanItem>,
    /// Index in `plan` of the running item.
    pub current: usize,
    /// Tasks done so far by the running executor.
    pub progress_done: u32,
    /// Stop was asked for and the driver has not reported the stopped executor yet: the page
    /// aborts the run when it sees this.
    pub stop_requested: bool,
    /// Traces of the executors that ended, in run order (shared: views and messages read them).
    pub traces: Vec<Rc<Trace>>,
    /// What to go back to when a long run is declined.
    previous_phase: Phase,
    previous_plan: Vec<PlanItem>,
}

/// What can happen to a run.
#[derive(Clone, Debug, PartialEq)]
pub enum RunEvent {
    /// Run was pressed (or asked for by the URL or the host page).
    Requested {
        /// The items, in run order.
        plan: Vec<PlanItem>,
        /// Whether to ask before starting.
        needs_confirmation: bool,
    },
    /// The user confirmed a long run.
    Confirmed,
    /// The user declined a long run.
    Cancelled,
    /// Stop was pressed (or asked for by the host page) during the run.
    StopRequested,
    /// Progress of the running executor.
    Progress { run_number: u64, done: u32 },
    /// The running executor ended with this trace.
    ExecutorEnded { run_number: u64, trace: Rc<Trace> },
}

impl Default for RunState {
    fn default() -> Self {
        RunState {
            phase: Phase::Idle,
            run_number: 0,
            plan: Vec::new(),
            current: 0,
            progress_done: 0,
            stop_requested: false,
            traces: Vec::new(),
            previous_phase: Phase::Idle,
            previous_plan: Vec::new(),
        }
    }
}

impl RunState {
    /// Whether an executor is running.
    pub fn is_running(&self) -> bool {
        self.phase == Phase::Running
    }

    /// Whether a run is going or a long run waits for its answer: no other run, export or
    /// import may start.
    pub fn is_busy(&self) -> bool {
        self.is_running() || self.phase == Phase::Confirming
    }

    /// The executor of each item of the plan, in run order.
    pub fn executors(&self) -> impl Iterator<Item = ExecutorId> + '_ {
        self.plan.iter().map(|item| item.executor)
    }

    /// The run's answer in one line, once it has ended: how long the fastest executor took
    /// and how many times faster it was than the slowest ("event-loop took 1.00 s, 2.0x
    /// faster than sequential (2.00 s)."), or that they took about as long. Only executors
    /// that finished count; `None` before the run ends or when none finished.
    pub fn summary(&self) -> Option<String> {
        if !matches!(self.phase, Phase::Ended(_)) {
            return None;
        }
        let finished: Vec<&Trace> = self
            .traces
            .iter()
            .map(|t| t.as_ref())
            .filter(|t| t.status == RunStatus::Finished)
            .collect();
        let by_wall = |a: &&&Trace, b: &&&Trace| a.wall_ms.total_cmp(&b.wall_ms);
        let fastest = finished.iter().min_by(by_wall)?;
        let slowest = finished.iter().max_by(by_wall)?;
        let took = |t: &Trace| sim::format::duration(t.wall_ms);
        if finished.len() == 1 {
            return Some(format!("{} took {}.", fastest.executor.id(), took(fastest)));
        }
        let ratio = slowest.wall_ms / fastest.wall_ms.max(1e-9);
        Some(if ratio < 1.1 {
            format!(
                "{} and {} took about as long: {} and {}.",
                fastest.executor.id(),
                slowest.executor.id(),
                took(fastest),
                took(slowest)
            )
        } else {
            format!(
                "{} took {}, {}x faster than {} ({}).",
                fastest.executor.id(),
                took(fastest),
                sim::format::fixed(ratio, 1),
                slowest.executor.id(),
                took(slowest)
            )
        })
    }

    /// Applies one event; returns the new state.
    pub fn apply(mut self, event: RunEvent) -> RunState {
        match event {
            RunEvent::Requested {
                plan,
                needs_confirmation,
            } => {
                if self.phase == Phase::Running || plan.is_empty() {
                    return self;
                }
                if needs_confirmation {
                    // Cancel puts the previous run's results back as they were.
                    self.previous_phase = self.phase;
                    self.previous_plan = std::mem::replace(&mut self.plan, plan);
                    self.phase = Phase::Confirming;
                } else {
                    self.plan = plan;
                    self.start();
                }
            }
            RunEvent::Confirmed => {
                if self.phase == Phase::Confirming {
                    self.start();
                }
            }
            RunEvent::Cancelled => {
                if self.phase == Phase::Confirming {
                    self.phase = self.previous_phase;
                    self.plan = std::mem::take(&mut self.previous_plan);
                }
            }
            RunEvent::StopRequested => {
                if self.is_running() {
                    self.stop_requested = true;
                }
            }
            RunEvent::Progress { run_number, done } => {
                if self.is_running() && run_number == self.run_number {
                    self.progress_done = done;
                }
            }
            RunEvent::ExecutorEnded { run_number, trace } => {
                if !self.is_running() || run_number != self.run_number {
                    return self;
                }
                let status = trace.status;
                self.traces.push(trace);
                self.current += 1;
                self.progress_done = 0;
                if status != RunStatus::Finished {
                    self.stop_requested = false;
                    self.phase = Phase::Ended(status);
                } else if self.current >= self.plan.len() {
                    self.phase = Phase::Ended(RunStatus::Finished);
                }
            }
        }
        self
    }

    /// Runs that ended elsewhere (an imported file's), shown as run `run_number` of this
    /// page: ended as the first of them that did not finish ended, or finished.
    pub fn ended(plan: Vec<PlanItem>, traces: Vec<Rc<Trace>>, run_number: u64) -> RunState {
        let status = traces
            .iter()
            .map(|t| t.status)
            .find(|s| *s != RunStatus::Finished)
            .unwrap_or(RunStatus::Finished);
        RunState {
            phase: Phase::Ended(status),
            run_number,
            current: traces.len(),
            plan,
            traces,
            ..RunState::default()
        }
    }

    fn start(&mut self) {
        // The previous run's results stay on screen until this one really starts.
        self.traces.clear();
        self.current = 0;
        self.progress_done = 0;
        self.stop_requested = false;
        self.run_number += 1;
        self.phase = Phase::Running;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::trace::TraceRecorder;

    fn trace(executor: ExecutorId, status: RunStatus) -> Rc<Trace> {
        Rc::new(TraceRecorder::new(executor, 2, vec![], 0.0).finish(10.0, status, None))
    }

    fn requested(needs_confirmation: bool) -> RunEvent {
        RunEvent::Requested {
            plan: crate::testing::hello_plan(&[ExecutorId::Sequential, ExecutorId::EventLoop]),
            needs_confirmation,
        }
    }

    #[test]
    fn a_run_goes_through_every_executor_then_finishes() {
        let s = RunState::default().apply(requested(false));
        assert_eq!(s.phase, Phase::Running);
        assert_eq!(s.run_number, 1);
        let s = s.apply(RunEvent::ExecutorEnded {
            run_number: 1,
            trace: trace(ExecutorId::Sequential, RunStatus::Finished),
        });
        assert_eq!(s.phase, Phase::Running);
        assert_eq!(s.current, 1);
        assert_eq!(
            CardStatus::of(&s, 0),
            CardStatus::Ended(RunStatus::Finished)
        );
        assert_eq!(CardStatus::of(&s, 1), CardStatus::Running);
        assert_eq!(CardStatus::of(&s, 1).id(), "running");
        let s = s.apply(RunEvent::ExecutorEnded {
            run_number: 1,
            trace: trace(ExecutorId::EventLoop, RunStatus::Finished),
        });
        assert_eq!(s.phase, Phase::Ended(RunStatus::Finished));
        assert_eq!(s.traces.len(), 2);
    }

    fn ended(executor: ExecutorId, wall_ms: f64, status: RunStatus) -> Rc<Trace> {
        Rc::new(TraceRecorder::new(executor, 2, vec![], 0.0).finish(wall_ms, status, None))
    }

    #[test]
    fn two_hellos_gathered_take_half_as_long_and_the_summary_says_so() {
        let mut s = RunState::default().apply(requested(false));
        assert_eq!(s.summary(), None);
        for (executor, wall_ms) in [
            (ExecutorId::Sequential, 2004.0),
            (ExecutorId::EventLoop, 1002.0),
        ] {
            s = s.apply(RunEvent::ExecutorEnded {
                run_number: 1,
                trace: ended(executor, wall_ms, RunStatus::Finished),
            });
        }
        assert_eq!(
            s.summary().as_deref(),
            Some("event-loop took 1.00 s, 2.0x faster than sequential (2.00 s).")
        );
    }

    #[test]
    fn the_summary_counts_only_what_finished_and_says_when_they_tie() {
        let run = |ends: &[(ExecutorId, f64, RunStatus)]| {
            let mut s = RunState::default().apply(RunEvent::Requested {
                plan: crate::testing::hello_plan(&ends.iter().map(|e| e.0).collect::<Vec<_>>()),
                needs_confirmation: false,
            });
            for (executor, wall_ms, status) in ends {
                s = s.apply(RunEvent::ExecutorEnded {
                    run_number: 1,
                    trace: ended(*executor, *wall_ms, *status),
                });
            }
            s.summary()
        };
        let (seq, el, th) = (
            ExecutorId::Sequential,
            ExecutorId::EventLoop,
            ExecutorId::Threads,
        );
        assert_eq!(
            run(&[
                (el, 1001.0, RunStatus::Finished),
                (th, 1030.0, RunStatus::Finished)
            ])
            .as_deref(),
            Some("event-loop and threads took about as long: 1.00 s and 1.03 s.")
        );
        assert_eq!(run(&[(seq, 500.0, RunStatus::Stopped)]).as_deref(), None);
        assert_eq!(
            run(&[
                (el, 1000.0, RunStatus::Finished),
                (seq, 700.0, RunStatus::Failed)
            ])
            .as_deref(),
            Some("event-loop took 1.00 s.")
        );
    }

    #[test]
    fn a_long_run_waits_for_confirmation_and_can_be_cancelled() {
        let s = RunState::default().apply(requested(true));
        assert_eq!(s.phase, Phase::Confirming);
        let cancelled = s.clone().apply(RunEvent::Cancelled);
        assert_eq!(cancelled.phase, Phase::Idle);
        assert_eq!(cancelled.run_number, 0);
        let confirmed = s.apply(RunEvent::Confirmed);
        assert_eq!(confirmed.phase, Phase::Running);
    }

    #[test]
    fn declining_a_long_run_keeps_the_last_results() {
        let s = RunState::default().apply(requested(false));
        let s = s.apply(RunEvent::ExecutorEnded {
            run_number: 1,
            trace: trace(ExecutorId::Sequential, RunStatus::Stopped),
        });
        let before = s.clone();
        let s = s.apply(requested(true)).apply(RunEvent::Cancelled);
        assert_eq!(s.phase, before.phase);
        assert_eq!(s.plan, before.plan);
        assert_eq!(s.traces, before.traces);
    }

    #[test]
    fn a_stop_ends_the_run_and_late_events_are_ignored() {
        let s = RunState::default().apply(requested(false));
        assert!(!s.stop_requested);
        let s = s.apply(RunEvent::StopRequested);
        assert!(
            s.stop_requested,
            "the page aborts the run when it sees this"
        );
        assert!(
            s.is_running(),
            "until the driver reports the stopped executor"
        );
        let s = s.apply(RunEvent::ExecutorEnded {
            run_number: 1,
            trace: trace(ExecutorId::Sequential, RunStatus::Stopped),
        });
        assert_eq!(s.phase, Phase::Ended(RunStatus::Stopped));
        assert!(!s.stop_requested);
        assert!(!s.clone().apply(RunEvent::StopRequested).stop_requested);
        let s = s.apply(RunEvent::Progress {
            run_number: 1,
            done: 5,
        });
        assert_eq!(s.progress_done, 0);
        let s = s.apply(requested(false));
        assert_eq!(s.run_number, 2);
        let s = s.apply(RunEvent::ExecutorEnded {
            run_number: 1,
            trace: trace(ExecutorId::Sequential, RunStatus::Finished),
        });
        assert!(s.traces.is_empty(), "an old run's trace is ignored");
    }

    #[test]
    fn run_is_ignored_while_running() {
        let s = RunState::default().apply(requested(false));
        let again = s.clone().apply(requested(false));
        assert_eq!(again, s);
    }
}

/// Where one executor of a run stands, as its result card shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardStatus {
    /// Not started: waiting its turn, or never reached.
    Pending,
    /// Being measured now.
    Running,
    /// Ended as its trace says.
    Ended(RunStatus),
}

impl CardStatus {
    /// Executor `index` of `run`.
    pub fn of(run: &RunState, index: usize) -> CardStatus {
        if let Some(trace) = run.traces.get(index) {
            return CardStatus::Ended(trace.status);
        }
        match run.phase {
            Phase::Running if index == run.current => CardStatus::Running,
            Phase::Ended(RunStatus::Finished)
            | Phase::Idle
            | Phase::Confirming
            | Phase::Running => CardStatus::Pending,
            Phase::Ended(status) => CardStatus::Ended(status),
        }
    }

    /// The public name (`data-status`): `pending`, `running`, `finished`, `stopped`, `failed`.
    pub fn id(self) -> &'static str {
        match self {
            CardStatus::Pending => "pending",
            CardStatus::Running => "running",
            CardStatus::Ended(status) => status.id(),
        }
    }
}
