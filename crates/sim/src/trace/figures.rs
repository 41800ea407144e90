//! The figures of a finished trace that the results card shows beside its wall time: CPU
//! time, failed requests, the longest wait for a connection, the GIL's hand-offs and waits,
//! how long starting the tasks took. [`super::TraceRecorder::finish`] works them out once.

use super::{EventKind, Trace};
use crate::workload::StepKind;
use serde::Serialize;

/// For each step of `kind`, the time from its start to the task's next `until` event (its end,
/// or the moment its first request reached the server), ms. Nothing for a trace without such
/// steps, so other labs pay nothing for it.
fn step_spans(trace: &Trace, kind: StepKind, until: EventKind) -> Vec<f64> {
    if !trace.step_kinds.contains(&kind) {
        return Vec::new();
    }
    let ev = &trace.events;
    let mut opened = vec![f64::NAN; trace.task_count as usize];
    let mut spans = Vec::new();
    for i in 0..ev.len() {
        let Some(open) = opened.get_mut(ev.task[i] as usize) else {
            continue;
        };
        match ev.kind[i] {
            EventKind::StepStarted if trace.step_kinds.get(ev.step[i] as usize) == Some(&kind) => {
                *open = ev.t_ms[i];
            }
            EventKind::StepStarted => *open = f64::NAN,
            k if k == until && !open.is_nan() => {
                spans.push(ev.t_ms[i] - *open);
                *open = f64::NAN;
            }
            _ => {}
        }
    }
    spans
}

/// Time spent in CPU steps, summed over every task (on every lane), ms: a thread's waits for
/// the GIL in the middle of its CPU step are not computing, and are left out.
pub fn cpu_ms(trace: &Trace) -> f64 {
    let spans: f64 = step_spans(trace, StepKind::Cpu, EventKind::StepEnded)
        .iter()
        .sum();
    spans - gil_waits_computing(trace)
}

/// Time threads waited for the GIL inside their CPU steps, ms.
fn gil_waits_computing(trace: &Trace) -> f64 {
    if !trace.step_kinds.contains(&StepKind::Cpu) {
        return 0.0;
    }
    let ev = &trace.events;
    // Per task: whether a CPU step is open, and since when it waits for the GIL.
    let mut state = vec![(false, f64::NAN); trace.task_count as usize];
    let mut total = 0.0;
    for i in 0..ev.len() {
        let Some((computing, asked)) = state.get_mut(ev.task[i] as usize) else {
            continue;
        };
        match ev.kind[i] {
            EventKind::StepStarted => {
                *computing = trace.step_kinds.get(ev.step[i] as usize) == Some(&StepKind::Cpu);
            }
            EventKind::StepEnded => *computing = false,
            EventKind::GilRequested if *computing => *asked = ev.t_ms[i],
            EventKind::GilAcquired if !asked.is_nan() => {
                total += ev.t_ms[i] - *asked;
                *asked = f64::NAN;
            }
            _ => {}
        }
    }
    total
}

/// How many requests of the run failed.
pub fn failed_requests(trace: &Trace) -> usize {
    trace
        .events
        .kind
        .iter()
        .filter(|k| **k == EventKind::RequestFailed)
        .count()
}

/// The longest a request step waited for a connection before its first request reached the
/// server, ms (0 when none waited, or nothing says).
pub fn longest_queue_ms(trace: &Trace) -> f64 {
    step_spans(trace, StepKind::Fetch, EventKind::RequestSent)
        .into_iter()
        .fold(0.0, f64::max)
}

/// How many times a thread that waited for the GIL was handed it: the switches the GIL made
/// because a thread asked for it while another held it.
pub fn gil_handoffs(trace: &Trace) -> usize {
    trace
        .events
        .kind
        .iter()
        .filter(|k| **k == EventKind::GilRequested)
        .count()
}

/// Time threads spent waiting for the GIL, summed over every thread, ms.
pub fn gil_wait_ms(trace: &Trace) -> f64 {
    let ev = &trace.events;
    if !ev.kind.contains(&EventKind::GilRequested) {
        return 0.0;
    }
    let mut asked = vec![f64::NAN; trace.task_count as usize];
    let mut total = 0.0;
    for i in 0..ev.len() {
        let Some(slot) = asked.get_mut(ev.task[i] as usize) else {
            continue;
        };
        match ev.kind[i] {
            EventKind::GilRequested => *slot = ev.t_ms[i],
            EventKind::GilAcquired if !slot.is_nan() => {
                total += ev.t_ms[i] - *slot;
                *slot = f64::NAN;
            }
            _ => {}
        }
    }
    total
}

/// From the first task's start to the last one's, ms: how long starting every thread took.
pub fn start_spread_ms(trace: &Trace) -> f64 {
    if let Some(spans) = &trace.spans {
        // Tasks kept as spans start in order.
        return match (spans.start_ms.first(), spans.start_ms.last()) {
            (Some(first), Some(last)) => f64::from(last - first),
            _ => 0.0,
        };
    }
    let ev = &trace.events;
    let starts = (0..ev.len()).filter(|i| ev.kind[*i] == EventKind::TaskStarted);
    let (first, last) = starts.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), i| {
        (lo.min(ev.t_ms[i]), hi.max(ev.t_ms[i]))
    });
    if first.is_finite() {
        last - first
    } else {
        0.0
    }
}

/// What the results card shows of a trace beside its wall time, worked out once when the
/// executor ends (see [`Trace::figures`]): a render never rescans the trace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    /// [`cpu_ms`]
    pub cpu_ms: f64,
    /// [`failed_requests`]
    pub failed_requests: usize,
    /// [`longest_queue_ms`]
    pub longest_queue_ms: f64,
    /// [`gil_handoffs`]
    pub gil_handoffs: usize,
    /// [`gil_wait_ms`]
    pub gil_wait_ms: f64,
    /// [`start_spread_ms`]
    pub start_spread_ms: f64,
}

/// Works out `trace`'s [`Figures`].
pub fn figures(trace: &Trace) -> Figures {
    Figures {
        cpu_ms: cpu_ms(trace),
        failed_requests: failed_requests(trace),
        longest_queue_ms: longest_queue_ms(trace),
        gil_handoffs: gil_handoffs(trace),
        gil_wait_ms: gil_wait_ms(trace),
        start_spread_ms: start_spread_ms(trace),
    }
}
