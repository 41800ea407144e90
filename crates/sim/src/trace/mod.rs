//! Traces: the timestamped record of one executor's run, stored column by column so that
//! millions of events fit in memory. Everything the page shows is derived from a trace.

pub mod figures;

use crate::executors::ExecutorId;
use crate::workload::StepKind;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// What happened at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A task began its first step.
    TaskStarted,
    /// A task finished its last step.
    TaskEnded,
    /// A step began.
    StepStarted,
    /// A step finished.
    StepEnded,
    /// A request step got its first request on the wire: before this, it waited for a
    /// connection.
    RequestSent,
    /// One request of a step failed (its reason is in the output).
    RequestFailed,
    /// Every answer of a request step had arrived; after this, the task waited for its thread.
    RequestAnswered,
    /// A thread asked for the GIL (or, free-threaded, its core) while another held it.
    GilRequested,
    /// A thread took the GIL: only it runs Python now.
    GilAcquired,
    /// A thread let the GIL go (to sleep, to wait for a request, at a switch, at its end).
    GilReleased,
    /// A Python function was called (the step is its [`crate::workload::Step::Enter`]).
    CallEntered,
    /// The innermost open call returned.
    CallExited,
    /// What the task waited for came (the deadline of its sleep, or `gather` made it), and
    /// the thread was busy elsewhere: from here the task was ready, not running, until its
    /// next event. Recorded only where that wait was longer than [`READY_AFTER_MS`].
    Woken,
}

/// The shortest wait between a task's wake and its running that the trace keeps as `ready`,
/// ms: shorter ones are the timers' own lateness, not a thread busy elsewhere.
pub const READY_AFTER_MS: f64 = 4.0;

/// How a run ended (or that it has not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunStatus {
    /// Still going.
    Running,
    /// Every task ended.
    Finished,
    /// The user (or the host page) stopped it.
    Stopped,
    /// An error ended it.
    Failed,
}

impl RunStatus {
    /// The public name (`finished`), as in embed messages and data attributes.
    pub fn id(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Finished => "finished",
            RunStatus::Stopped => "stopped",
            RunStatus::Failed => "failed",
        }
    }
}

/// The events of a run, one vector per field; row `i` of every vector is event `i`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Events {
    /// Milliseconds since the run started.
    pub t_ms: Vec<f64>,
    /// What happened.
    pub kind: Vec<EventKind>,
    /// Which task (0-based).
    pub task: Vec<u32>,
    /// Which step of the task (0 for task events).
    pub step: Vec<u16>,
    /// Which lane ran it: 0 is the page's main thread.
    pub lane: Vec<u32>,
}

impl Events {
    /// How many events.
    pub fn len(&self) -> usize {
        self.t_ms.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.t_ms.is_empty()
    }

    fn push(&mut self, t_ms: f64, kind: EventKind, task: u32, step: u16, lane: u32) {
        self.t_ms.push(t_ms);
        self.kind.push(kind);
        self.task.push(task);
        self.step.push(step);
        self.lane.push(lane);
    }
}

/// The printed lines of a run, column by column; texts are interned.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// Milliseconds since the run started.
    pub t_ms: Vec<f64>,
    /// Which task printed it.
    pub task: Vec<u32>,
    /// Index into `texts`.
    pub text: Vec<u32>,
    /// Every distinct printed text.
    pub texts: Vec<String>,
}

impl Output {
    /// How many lines were printed.
    pub fn len(&self) -> usize {
        self.t_ms.len()
    }

    /// Whether nothing was printed.
    pub fn is_empty(&self) -> bool {
        self.t_ms.is_empty()
    }

    /// The text of line `i`.
    pub fn line(&self, i: usize) -> &str {
        &self.texts[self.text[i] as usize]
    }

    /// Puts the lines in the order they were printed: lines merged from workers arrive in
    /// batches, and a thread's batch may come after lines the page printed later.
    fn sort_by_time(&mut self) {
        if self.t_ms.windows(2).all(|w| w[0] <= w[1]) {
            return;
        }
        let order = crate::order::order_by(&self.t_ms);
        self.t_ms = order.iter().map(|i| self.t_ms[*i]).collect();
        self.task = order.iter().map(|i| self.task[*i]).collect();
        self.text = order.iter().map(|i| self.text[*i]).collect();
    }

    fn push(&mut self, t_ms: f64, task: u32, text: &str) {
        let id = match self.texts.iter().position(|t| t == text) {
            Some(id) => id,
            None => {
                self.texts.push(text.to_string());
                self.texts.len() - 1
            }
        };
        self.t_ms.push(t_ms);
        self.task.push(task);
        self.text.push(id as u32);
    }
}

/// The tasks of a run whose tasks are one non-blocking step each on the page's thread (the
/// sleep lab on the event loop), two times per task instead of four events: ten million
/// sleepers take 80 MB. Task `i` started at `start_ms[i]` (its sleep with it) and, once it
/// ended, ended at `end_ms[i]` (NaN before).
///
/// Tasks start in order and wake in order (they all sleep as long), so both columns are in
/// time order and the ended tasks are a prefix: how many had started or ended by any moment
/// is a binary search, and a timeline of ten million tasks needs no pass over them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskSpans {
    /// When each started task started, ms since the run started.
    pub start_ms: Vec<f32>,
    /// When each started task ended (NaN while it has not), ms since the run started.
    pub end_ms: Vec<f32>,
}

impl TaskSpans {
    /// How many tasks started.
    pub fn len(&self) -> usize {
        self.start_ms.len()
    }

    /// Whether none started.
    pub fn is_empty(&self) -> bool {
        self.start_ms.is_empty()
    }

    /// How many tasks had started by `t_ms`.
    pub fn started_by(&self, t_ms: f64) -> usize {
        self.start_ms.partition_point(|s| f64::from(*s) <= t_ms)
    }

    /// How many tasks had ended by `t_ms`.
    pub fn ended_by(&self, t_ms: f64) -> usize {
        self.end_ms
            .partition_point(|e| !e.is_nan() && f64::from(*e) <= t_ms)
    }

    /// When tasks `tasks` were alive, as intervals less than `gap_ms` apart joined; a task
    /// still running at `wall_ms` (a stopped run) lasts until then. A binary search per join,
    /// not a pass over the tasks.
    pub fn alive(
        &self,
        tasks: std::ops::Range<usize>,
        wall_ms: f64,
        gap_ms: f64,
    ) -> Vec<(f64, f64)> {
        let end_of = |i: usize| match self.end_ms[i] {
            e if e.is_nan() => wall_ms,
            e => f64::from(e),
        };
        let starts = &self.start_ms[tasks.clone()];
        let mut out = Vec::new();
        let mut next = 0;
        while next < starts.len() {
            let from = f64::from(starts[next]);
            let mut to = end_of(tasks.start + next);
            let mut last = next;
            loop {
                // Every task that starts before the interval (and its gap) ends overlaps it;
                // the last of them ends last.
                let reach = starts.partition_point(|s| f64::from(*s) <= to + gap_ms);
                if reach <= last + 1 {
                    break;
                }
                last = reach - 1;
                to = to.max(end_of(tasks.start + last));
            }
            out.push((from, to));
            next = last + 1;
        }
        out
    }

    /// Task `i`'s span, the end `None` while it runs.
    pub fn span(&self, i: usize) -> (f64, Option<f64>) {
        let end = self.end_ms[i];
        (
            f64::from(self.start_ms[i]),
            (!end.is_nan()).then_some(f64::from(end)),
        )
    }
}

/// One executor's run of one workload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace {
    /// Who ran it.
    pub executor: ExecutorId,
    /// How many tasks the workload had.
    pub task_count: u32,
    /// The kind of each step of a task.
    pub step_kinds: Vec<StepKind>,
    /// Task and step events.
    pub events: Events,
    /// Printed lines.
    pub output: Output,
    /// How it ended.
    pub status: RunStatus,
    /// What went wrong, in plain words, when it failed.
    pub error: Option<String>,
    /// From start to end (or to the stop), in ms.
    pub wall_ms: f64,
    /// How many tasks ended.
    pub tasks_done: u32,
    /// Whether the tab was hidden at some point (browsers throttle timers there).
    pub hidden_during_run: bool,
    /// Lanes that had to start before running anything (cold workers), shown apart.
    pub startup: Vec<LaneStartup>,
    /// The function each call step enters ("" for other steps), indexed like `step_kinds`.
    pub call_names: Vec<String>,
    /// The tasks as spans, where the run recorded them so (then `events` is empty).
    pub spans: Option<TaskSpans>,
    /// The page's memory when the executor ended (the wasm memory), bytes, where measured.
    pub memory_bytes: Option<u64>,
    /// What the results card shows beside the wall time, worked out when the recording ends.
    pub figures: figures::Figures,
}

/// A lane's start-up: spawning a worker and instantiating its wasm, in ms of the run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaneStartup {
    /// The lane (1 is the first worker).
    pub lane: u32,
    /// When the spawn began, ms since the run started (may be negative: before the run).
    pub from_ms: f64,
    /// When the lane was ready.
    pub to_ms: f64,
}

/// Records a trace while an executor runs. Shared by all the tasks of one run (they live on
/// one thread), so it takes `&self`.
#[derive(Debug)]
pub struct TraceRecorder {
    start_ms: f64,
    trace: RefCell<Trace>,
}

impl TraceRecorder {
    /// Starts recording at `start_ms` on the page's clock.
    pub fn new(
        executor: ExecutorId,
        task_count: u32,
        step_kinds: Vec<StepKind>,
        start_ms: f64,
    ) -> Self {
        TraceRecorder {
            start_ms,
            trace: RefCell::new(Trace {
                executor,
                task_count,
                step_kinds,
                events: Events::default(),
                output: Output::default(),
                status: RunStatus::Running,
                error: None,
                wall_ms: 0.0,
                tasks_done: 0,
                hidden_during_run: false,
                startup: Vec::new(),
                call_names: Vec::new(),
                spans: None,
                memory_bytes: None,
                figures: Default::default(),
            }),
        }
    }

    /// Names the functions the workload's call steps enter (see [`Trace::call_names`]).
    pub fn with_call_names(self, call_names: Vec<String>) -> Self {
        if call_names.iter().any(|name| !name.is_empty()) {
            self.trace.borrow_mut().call_names = call_names;
        }
        self
    }

    fn at(&self, now_ms: f64) -> f64 {
        (now_ms - self.start_ms).max(0.0)
    }

    /// Task `task` started at `now_ms`.
    pub fn task_started(&self, now_ms: f64, task: u32, lane: u32) {
        let t = self.at(now_ms);
        self.trace
            .borrow_mut()
            .events
            .push(t, EventKind::TaskStarted, task, 0, lane);
    }

    /// Task `task` ended at `now_ms`.
    pub fn task_ended(&self, now_ms: f64, task: u32, lane: u32) {
        let t = self.at(now_ms);
        let mut trace = self.trace.borrow_mut();
        trace.events.push(t, EventKind::TaskEnded, task, 0, lane);
        trace.tasks_done += 1;
    }

    fn step_event(&self, now_ms: f64, kind: EventKind, (task, step, lane): (u32, u16, u32)) {
        let t = self.at(now_ms);
        self.trace
            .borrow_mut()
            .events
            .push(t, kind, task, step, lane);
    }

    /// Step `step` of `task` started.
    pub fn step_started(&self, now_ms: f64, task: u32, step: u16, lane: u32) {
        self.step_event(now_ms, EventKind::StepStarted, (task, step, lane));
    }

    /// Step `step` of `task` ended.
    pub fn step_ended(&self, now_ms: f64, task: u32, step: u16, lane: u32) {
        self.step_event(now_ms, EventKind::StepEnded, (task, step, lane));
    }

    /// The first request of step `step` of `task` reached the server at `now_ms`.
    pub fn request_sent(&self, now_ms: f64, task: u32, step: u16, lane: u32) {
        self.step_event(now_ms, EventKind::RequestSent, (task, step, lane));
    }

    /// A request of step `step` of `task` failed at `now_ms`.
    pub fn request_failed(&self, now_ms: f64, task: u32, step: u16, lane: u32) {
        self.step_event(now_ms, EventKind::RequestFailed, (task, step, lane));
    }

    /// The last answer of step `step` of `task` arrived at `now_ms`.
    pub fn request_answered(&self, now_ms: f64, task: u32, step: u16, lane: u32) {
        self.step_event(now_ms, EventKind::RequestAnswered, (task, step, lane));
    }

    /// `task`'s thread asked for the GIL and must wait for it.
    pub fn gil_requested(&self, now_ms: f64, task: u32, lane: u32) {
        self.step_event(now_ms, EventKind::GilRequested, (task, 0, lane));
    }

    /// `task`'s thread took the GIL.
    pub fn gil_acquired(&self, now_ms: f64, task: u32, lane: u32) {
        self.step_event(now_ms, EventKind::GilAcquired, (task, 0, lane));
    }

    /// `task`'s thread let the GIL go.
    pub fn gil_released(&self, now_ms: f64, task: u32, lane: u32) {
        self.step_event(now_ms, EventKind::GilReleased, (task, 0, lane));
    }

    /// `task` called the function of call step `step`.
    pub fn call_entered(&self, now_ms: f64, task: u32, step: u16, lane: u32) {
        self.step_event(now_ms, EventKind::CallEntered, (task, step, lane));
    }

    /// `task`'s innermost call returned (at step `step`, its exit).
    pub fn call_exited(&self, now_ms: f64, task: u32, step: u16, lane: u32) {
        self.step_event(now_ms, EventKind::CallExited, (task, step, lane));
    }

    /// Step `step` of `task` could run from `woken_ms` (its sleep's deadline, or when it was
    /// made), but the thread was busy: it runs at `now_ms`. Kept only if it waited longer than
    /// [`READY_AFTER_MS`].
    pub fn woken(&self, woken_ms: f64, now_ms: f64, task: u32, step: u16, lane: u32) {
        if now_ms - woken_ms > READY_AFTER_MS {
            self.step_event(woken_ms, EventKind::Woken, (task, step, lane));
        }
    }

    /// Records the tasks as spans from now on (see [`TaskSpans`]), with room for `tasks`.
    pub fn record_spans(&self, tasks: usize) {
        self.trace.borrow_mut().spans = Some(TaskSpans {
            start_ms: Vec::with_capacity(tasks),
            end_ms: Vec::with_capacity(tasks),
        });
    }

    /// The next `count` tasks (recorded as spans) started at `now_ms`: tasks started in one
    /// batch share one reading of the clock.
    pub fn spans_started(&self, now_ms: f64, count: u32) {
        let mut trace = self.trace.borrow_mut();
        let spans = trace.spans.get_or_insert_with(TaskSpans::default);
        // In time order, whatever the clock's rounding.
        let t = (self.at(now_ms) as f32).max(spans.start_ms.last().copied().unwrap_or(0.0));
        let total = spans.start_ms.len() + count as usize;
        spans.start_ms.resize(total, t);
        spans.end_ms.resize(total, f32::NAN);
    }

    /// Tasks `first..end` (recorded as spans) ended at `now_ms`: the tasks before `first`
    /// have ended already (tasks end in the order they started).
    pub fn spans_ended(&self, now_ms: f64, tasks: std::ops::Range<u32>) {
        let mut trace = self.trace.borrow_mut();
        let count = tasks.len() as u32;
        if let Some(spans) = trace.spans.as_mut() {
            let (first, end) = (tasks.start as usize, tasks.end as usize);
            debug_assert!(first == 0 || !spans.end_ms[first - 1].is_nan());
            let previous = first.checked_sub(1).map_or(0.0, |i| spans.end_ms[i]);
            let t = (self.at(now_ms) as f32).max(previous);
            spans.end_ms[first..end].fill(t);
        }
        trace.tasks_done += count;
    }

    /// `task` printed `text`.
    pub fn printed(&self, now_ms: f64, task: u32, text: &str) {
        let t = self.at(now_ms);
        self.trace.borrow_mut().output.push(t, task, text);
    }

    /// Adds what a worker recorded, its times shifted by `offset_ms` onto this recorder's
    /// clock and its lanes replaced by `lane` (where given). A task's `TaskStarted` is kept
    /// where `keep_start` says so (a thread's start, measured in the worker), and left out where
    /// the page records it itself (the start of a pool's chunk, a handed-over call).
    pub fn merge(
        &self,
        (events, output): (&Events, &Output),
        offset_ms: f64,
        lane: Option<u32>,
        keep_start: impl Fn(u32) -> bool,
    ) {
        let mut trace = self.trace.borrow_mut();
        for i in 0..events.len() {
            let kind = events.kind[i];
            if kind == EventKind::TaskStarted && !keep_start(events.task[i]) {
                continue;
            }
            let t = self.at(events.t_ms[i] + offset_ms);
            let lane = lane.unwrap_or(events.lane[i]);
            trace
                .events
                .push(t, kind, events.task[i], events.step[i], lane);
            if kind == EventKind::TaskEnded {
                trace.tasks_done += 1;
            }
        }
        for i in 0..output.len() {
            let t = self.at(output.t_ms[i] + offset_ms);
            trace.output.push(t, output.task[i], output.line(i));
        }
    }

    /// Records a span of lane `lane` spent starting up (a worker's spawn and wasm start).
    pub fn lane_started(&self, lane: u32, from_ms: f64, to_ms: f64) {
        let (from, to) = (self.at(from_ms), self.at(to_ms));
        self.trace.borrow_mut().startup.push(LaneStartup {
            lane,
            from_ms: from,
            to_ms: to,
        });
    }

    /// Hands over what was recorded so far (events and printed lines), keeping the count of
    /// tasks done: a worker sends its threads' record in batches while they run.
    pub fn drain(&self) -> (Events, Output) {
        let mut trace = self.trace.borrow_mut();
        (
            std::mem::take(&mut trace.events),
            std::mem::take(&mut trace.output),
        )
    }

    /// The tab was hidden during the run.
    pub fn mark_hidden(&self) {
        self.trace.borrow_mut().hidden_during_run = true;
    }

    /// How many tasks have ended so far.
    pub fn tasks_done(&self) -> u32 {
        self.trace.borrow().tasks_done
    }

    /// Ends the recording at `now_ms` with `status` and hands the trace over; the recorder is
    /// left empty (it may still be shared with listeners that outlive the run).
    pub fn finish(&self, now_ms: f64, status: RunStatus, error: Option<String>) -> Trace {
        let wall_ms = self.at(now_ms);
        let empty = {
            let current = self.trace.borrow();
            Trace {
                executor: current.executor,
                task_count: current.task_count,
                step_kinds: Vec::new(),
                events: Events::default(),
                output: Output::default(),
                status: RunStatus::Running,
                error: None,
                wall_ms: 0.0,
                tasks_done: 0,
                hidden_during_run: false,
                startup: Vec::new(),
                call_names: Vec::new(),
                spans: None,
                memory_bytes: None,
                figures: Default::default(),
            }
        };
        let mut trace = self.trace.replace(empty);
        trace.output.sort_by_time();
        trace.wall_ms = wall_ms;
        trace.status = status;
        trace.error = error;
        trace.figures = figures::figures(&trace);
        trace
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_relative_times_column_by_column() {
        let rec = TraceRecorder::new(ExecutorId::EventLoop, 1, vec![StepKind::Print], 100.0);
        rec.task_started(100.0, 0, 0);
        rec.printed(101.0, 0, "hello");
        rec.task_ended(102.5, 0, 0);
        assert_eq!(rec.tasks_done(), 1);
        let trace = rec.finish(103.0, RunStatus::Finished, None);
        assert_eq!(trace.events.t_ms, vec![0.0, 2.5]);
        assert_eq!(
            trace.events.kind,
            vec![EventKind::TaskStarted, EventKind::TaskEnded]
        );
        assert_eq!(trace.output.line(0), "hello");
        assert_eq!(trace.output.t_ms, vec![1.0]);
        assert_eq!(trace.wall_ms, 3.0);
        assert_eq!(trace.status, RunStatus::Finished);
    }

    #[test]
    fn lines_merged_out_of_order_are_put_in_time_order() {
        let rec = TraceRecorder::new(ExecutorId::Threads, 2, vec![], 0.0);
        rec.printed(5.0, 0, "late");
        rec.printed(1.0, 1, "early");
        let trace = rec.finish(6.0, RunStatus::Finished, None);
        assert_eq!(trace.output.line(0), "early");
        assert_eq!(trace.output.task, vec![1, 0]);
    }

    #[test]
    fn spans_answer_counts_and_unions_by_binary_search() {
        let rec = TraceRecorder::new(ExecutorId::EventLoop, 6, vec![StepKind::Sleep], 0.0);
        rec.record_spans(6);
        // Two batches at 0 and 1 ms sleeping 10 ms, a third at 50 ms; a stop at 55 ms.
        rec.spans_started(0.0, 2);
        rec.spans_started(1.0, 2);
        rec.spans_ended(10.0, 0..2);
        rec.spans_ended(11.0, 2..4);
        rec.spans_started(50.0, 2);
        let trace = rec.finish(55.0, RunStatus::Stopped, None);
        let spans = trace.spans.as_ref().unwrap();
        assert_eq!((spans.started_by(0.5), spans.ended_by(10.5)), (2, 2));
        assert_eq!((spans.started_by(60.0), spans.ended_by(60.0)), (6, 4));
        // The first four overlap; the last two are still asleep at the stop.
        assert_eq!(spans.alive(0..6, 55.0, 1.0), [(0.0, 11.0), (50.0, 55.0)]);
        assert_eq!(spans.alive(2..4, 55.0, 1.0), [(1.0, 11.0)]);
        // A gap wider than the two batches' distance joins them all.
        assert_eq!(spans.alive(0..6, 55.0, 40.0), [(0.0, 55.0)]);
        assert_eq!(trace.tasks_done, 4);
    }

    #[test]
    fn printed_texts_are_interned() {
        let rec = TraceRecorder::new(ExecutorId::Sequential, 2, vec![], 0.0);
        for task in 0..2 {
            rec.printed(0.0, task, "hello");
            rec.printed(0.0, task, "goodbye");
        }
        let trace = rec.finish(0.0, RunStatus::Finished, None);
        assert_eq!(trace.output.texts.len(), 2);
        assert_eq!(trace.output.len(), 4);
        assert_eq!(trace.output.line(2), "hello");
    }
}
