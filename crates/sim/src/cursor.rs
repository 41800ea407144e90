//! The time cursor: what a run's tasks were doing at one instant, read from its trace in the
//! timeline's own words (the legend's states), and who held each GIL then. A run kept as spans
//! (a million sleepers) is read with two binary searches; a run kept as events, in one pass
//! over the events up to the instant.

use crate::executors::Gil;
use crate::format;
use crate::trace::{EventKind, Trace};
use crate::workload::StepKind;

/// How many tasks were in each state at an instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Not made yet (or, kept as spans, not started).
    pub not_started: u32,
    /// Holding the thread.
    pub running: u32,
    /// Could run; the thread was busy elsewhere.
    pub ready: u32,
    /// Waiting for the GIL another thread held.
    pub waiting_for_gil: u32,
    /// Waiting for a connection.
    pub queued: u32,
    /// At an await (a sleep, a response), or in a time.sleep that let the GIL go.
    pub suspended: u32,
    /// In a time.sleep that held the thread.
    pub blocking: u32,
    /// Returned.
    pub done: u32,
}

/// A run at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Instant {
    /// The instant, ms since the run started.
    pub t_ms: f64,
    /// Its tasks' states.
    pub counts: Counts,
    /// Each GIL's holder then (task, 0-based), in lane order; empty where no thread ran.
    pub gil: Vec<Option<u32>>,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    NotStarted,
    Running,
    Ready,
    GilWait,
    Queued,
    Suspended,
    Blocking,
    Done,
}

/// `trace` at `t_ms`.
pub fn at(trace: &Trace, t_ms: f64) -> Instant {
    if let Some(spans) = &trace.spans {
        let done = spans.ended_by(t_ms) as u32;
        let started = spans.started_by(t_ms) as u32;
        return Instant {
            t_ms,
            counts: Counts {
                not_started: trace.task_count.saturating_sub(started),
                suspended: started.saturating_sub(done),
                done,
                ..Counts::default()
            },
            gil: Vec::new(),
        };
    }
    let on_threads = trace.events.kind.contains(&EventKind::GilAcquired);
    let shared_gil = trace.executor.spec().gil != Gil::PerInterpreter;
    let mut state = vec![State::NotStarted; trace.task_count as usize];
    let mut gil: Vec<(u32, Option<u32>)> = Vec::new();
    let ev = &trace.events;
    for i in (0..ev.len()).filter(|&i| ev.t_ms[i] <= t_ms) {
        let task = ev.task[i] as usize;
        let Some(s) = state.get_mut(task) else {
            continue;
        };
        match ev.kind[i] {
            EventKind::Woken => *s = State::Ready,
            EventKind::TaskStarted | EventKind::StepEnded => *s = State::Running,
            EventKind::StepStarted => {
                *s = match trace.step_kinds.get(usize::from(ev.step[i])) {
                    Some(StepKind::Sleep) => State::Suspended,
                    Some(StepKind::BlockingSleep) if on_threads => State::Suspended,
                    Some(StepKind::BlockingSleep) => State::Blocking,
                    Some(StepKind::Fetch) => State::Queued,
                    _ => State::Running,
                }
            }
            EventKind::RequestSent => *s = State::Suspended,
            // Every answer of the step in: it waits for the thread to read it.
            EventKind::RequestAnswered | EventKind::RequestFailed => *s = State::Ready,
            EventKind::GilRequested => *s = State::GilWait,
            EventKind::GilAcquired | EventKind::GilReleased => {
                if ev.kind[i] == EventKind::GilAcquired && *s == State::GilWait {
                    *s = State::Running;
                }
                let lane = if shared_gil { 0 } else { ev.lane[i] };
                let holder = (ev.kind[i] == EventKind::GilAcquired).then_some(ev.task[i]);
                match gil.iter_mut().find(|(l, _)| *l == lane) {
                    Some(entry) => entry.1 = holder,
                    None => gil.push((lane, holder)),
                }
            }
            EventKind::TaskEnded => *s = State::Done,
            EventKind::CallEntered | EventKind::CallExited => {}
        }
    }
    let mut counts = Counts::default();
    for s in state {
        let slot = match s {
            State::NotStarted => &mut counts.not_started,
            State::Running => &mut counts.running,
            State::Ready => &mut counts.ready,
            State::GilWait => &mut counts.waiting_for_gil,
            State::Queued => &mut counts.queued,
            State::Suspended => &mut counts.suspended,
            State::Blocking => &mut counts.blocking,
            State::Done => &mut counts.done,
        };
        *slot += 1;
    }
    let gil = crate::order::sorted_by(gil, |(lane, _)| f64::from(*lane));
    Instant {
        t_ms,
        counts,
        gil: gil.into_iter().map(|(_, holder)| holder).collect(),
    }
}

impl Instant {
    /// The instant in words: "At 0.500 s: 1 running, 1 ready, 0 suspended, 0 done (1
    /// blocking); the GIL: thread 2". `unit` names a task (`task`, `thread`); `lock` names
    /// the GIL (`GIL`, or `core` free-threaded).
    pub fn readout(&self, unit: &str, lock: &str) -> String {
        let c = self.counts;
        let n = |x: u32| format::count(u64::from(x));
        let mut text = format!(
            "At {}: {} running, {} ready, {} suspended, {} done",
            format::stamp(self.t_ms),
            n(c.running),
            n(c.ready),
            n(c.suspended),
            n(c.done)
        );
        let others: Vec<String> = [
            (c.waiting_for_gil, "waiting for the GIL"),
            (c.queued, "queued"),
            (c.blocking, "blocking"),
            (c.not_started, "not started"),
        ]
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, word)| format!("{} {word}", n(*count)))
        .collect();
        if !others.is_empty() {
            text.push_str(&format!(" ({})", others.join(", ")));
        }
        for (index, holder) in self.gil.iter().enumerate() {
            let which = if self.gil.len() > 1 {
                format!("{lock} {}", index + 1)
            } else {
                format!("the {lock}")
            };
            match holder {
                Some(task) => text.push_str(&format!("; {which}: {unit} {}", task + 1)),
                None => text.push_str(&format!("; {which}: free")),
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::virtual_time::run_virtual;
    use crate::executors::ExecutorId;
    use crate::workload::{hello, prime_jobs};

    #[test]
    fn halfway_through_a_blocking_hello_one_task_blocks_and_the_other_is_ready() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, true));
        let c = at(&trace, 500.0).counts;
        assert_eq!((c.blocking, c.ready, c.running, c.done), (1, 1, 0, 0));
        let c = at(&trace, 1500.0).counts;
        assert_eq!((c.blocking, c.ready, c.done), (1, 0, 1));
        assert_eq!(at(&trace, trace.wall_ms).counts.done, 2);
        assert_eq!(
            at(&trace, 500.0).readout("task", "GIL"),
            "At 0.500 s: 0 running, 1 ready, 0 suspended, 0 done (1 blocking)"
        );
    }

    #[test]
    fn gathered_hellos_are_both_suspended_while_they_sleep() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, false));
        let c = at(&trace, 500.0).counts;
        assert_eq!((c.suspended, c.ready, c.done), (2, 0, 0));
        let sequential = run_virtual(ExecutorId::Sequential, &hello(2, 1.0, false)).0;
        let c = at(&sequential, 500.0).counts;
        assert_eq!((c.suspended, c.not_started, c.done), (1, 1, 0));
    }

    #[test]
    fn the_second_thread_waits_for_the_gil_while_the_first_computes() {
        let jobs = prime_jobs(2, 0.0, 1_000_003, 100.0);
        let (trace, _) = run_virtual(ExecutorId::Threads, &jobs);
        // Somewhere in the run one thread computes and the other waits for the GIL it holds.
        let seen = (1..20)
            .map(|i| at(&trace, trace.wall_ms * f64::from(i) / 20.0))
            .find(|i| i.counts.running == 1 && i.counts.waiting_for_gil == 1);
        let instant = seen.expect("an instant with one thread computing, one waiting");
        assert_eq!(instant.gil.len(), 1);
        let holder = instant.gil[0].expect("held");
        assert!(instant.readout("thread", "GIL").ends_with(&format!(
            "(1 waiting for the GIL); the GIL: thread {}",
            holder + 1
        )));
    }
}
