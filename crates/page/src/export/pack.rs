//! Runs as bytes, between the page and its files worker: the page's download has no JSON code
//! (serde_json lives in the worker), so the page sends the worker its runs as bytes to write
//! out as a file, and the worker hands the page a file's checked runs the same way.
//!
//! The format is the page's own: little-endian numbers of fixed width, a length before every
//! list and text, a lab and its values as the query of its page. Both ends are this module, so
//! a native round-trip test covers it; reading refuses (never panics on) bytes whose lengths,
//! kinds or columns do not add up, never trusts a length beyond the bytes left or a task count
//! beyond the page's, and reads text lossily (invalid UTF-8 shows as U+FFFD).

use super::{Imported, ItemInfo, MachineInfo};
use crate::url_state::UrlState;
use labs::params::ParamValues;
use labs::plan::PlanItem;
use labs::LabSpec;
use sim::executors::ExecutorId;
use sim::trace::{EventKind, Events, LaneStartup, Output, RunStatus, TaskSpans, Trace};
use sim::workload::StepKind;

const EVENT_KINDS: [EventKind; 13] = [
    EventKind::TaskStarted,
    EventKind::TaskEnded,
    EventKind::StepStarted,
    EventKind::StepEnded,
    EventKind::RequestSent,
    EventKind::RequestFailed,
    EventKind::RequestAnswered,
    EventKind::GilRequested,
    EventKind::GilAcquired,
    EventKind::GilReleased,
    EventKind::CallEntered,
    EventKind::CallExited,
    EventKind::Woken,
];

const STEP_KINDS: [StepKind; 6] = [
    StepKind::Print,
    StepKind::Sleep,
    StepKind::BlockingSleep,
    StepKind::Cpu,
    StepKind::Fetch,
    StepKind::Call,
];

const STATUSES: [RunStatus; 3] = [RunStatus::Finished, RunStatus::Stopped, RunStatus::Failed];

fn index_of<T: PartialEq>(all: &[T], x: &T) -> u32 {
    all.iter().position(|k| k == x).unwrap_or(0) as u32
}

struct Writer(Vec<u8>);

impl Writer {
    fn n(&mut self, x: usize) {
        self.0.extend_from_slice(&(x as u32).to_le_bytes());
    }
    fn f(&mut self, x: f64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn s(&mut self, s: &str) {
        self.n(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn f64s(&mut self, xs: &[f64]) {
        self.n(xs.len());
        xs.iter().for_each(|x| self.f(*x));
    }
    fn f32s(&mut self, xs: &[f32]) {
        self.n(xs.len());
        xs.iter()
            .for_each(|x| self.0.extend_from_slice(&x.to_le_bytes()));
    }
    fn ints(&mut self, len: usize, xs: impl Iterator<Item = u32>) {
        self.n(len);
        xs.for_each(|x| self.n(x as usize));
    }
    fn strs(&mut self, xs: &[String]) {
        self.n(xs.len());
        xs.iter().for_each(|x| self.s(x));
    }
    /// A lab, its values and an executor, as the query of the lab's page (which the page
    /// reads anyway).
    fn query(&mut self, lab: &'static str, values: &ParamValues, executor: ExecutorId) {
        let item = PlanItem {
            lab,
            values: values.clone(),
            executor,
            projected_ms: 0.0,
        };
        self.s(&crate::url_state::item_query(&item));
    }
    /// A number that may be missing (NaN stands for none).
    fn maybe(&mut self, x: Option<f64>) {
        self.f(x.unwrap_or(f64::NAN));
    }
}

/// The runs of `lab` with `params` (its items and their traces, in run order), and where they
/// ran, as bytes: what [`unpack`] reads.
pub fn pack(
    lab: &'static LabSpec,
    params: &ParamValues,
    machine: &MachineInfo,
    app_version: &str,
    items: &[(ItemInfo, &Trace)],
) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.query(lab.id, params, ExecutorId::EventLoop);
    w.s(&machine.browser);
    w.n(machine.cores as usize);
    w.s(app_version);
    w.n(items.len());
    for (info, t) in items {
        w.query(info.lab, &info.params, t.executor);
        w.f(info.expected_ms);
        w.maybe(info.predicted_ms);
        w.n(index_of(&STATUSES, &t.status) as usize);
        w.s(t.error.as_deref().unwrap_or_default());
        w.n(usize::from(t.error.is_some()));
        w.f(t.wall_ms);
        w.n(t.task_count as usize);
        w.n(t.tasks_done as usize);
        w.n(usize::from(t.hidden_during_run));
        w.maybe(t.memory_bytes.map(|b| b as f64));
        w.ints(
            t.step_kinds.len(),
            t.step_kinds.iter().map(|k| index_of(&STEP_KINDS, k)),
        );
        let ev = &t.events;
        w.f64s(&ev.t_ms);
        w.ints(
            ev.kind.len(),
            ev.kind.iter().map(|k| index_of(&EVENT_KINDS, k)),
        );
        w.ints(ev.task.len(), ev.task.iter().copied());
        w.ints(ev.step.len(), ev.step.iter().map(|s| u32::from(*s)));
        w.ints(ev.lane.len(), ev.lane.iter().copied());
        let out = &t.output;
        w.f64s(&out.t_ms);
        w.ints(out.task.len(), out.task.iter().copied());
        w.ints(out.text.len(), out.text.iter().copied());
        w.strs(&out.texts);
        w.n(t.startup.len());
        for s in &t.startup {
            w.n(s.lane as usize);
            w.f(s.from_ms);
            w.f(s.to_ms);
        }
        w.strs(&t.call_names);
        w.n(usize::from(t.spans.is_some()));
        if let Some(spans) = &t.spans {
            w.f32s(&spans.start_ms);
            w.f32s(&spans.end_ms);
        }
    }
    w.0
}

/// Reads what [`Writer`] wrote. Reading past the end (or a kind out of range) marks the
/// reader `bad` and reads on as zeros and empties: the caller checks `bad` once, at the end
/// (fewer exits, less code in the page's download).
struct Reader<'a> {
    rest: &'a [u8],
    bad: bool,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> &'a [u8] {
        match self.rest.get(..n) {
            Some(head) => {
                self.rest = &self.rest[n..];
                head
            }
            None => {
                self.bad = true;
                self.rest = &[];
                &[]
            }
        }
    }
    fn n(&mut self) -> usize {
        self.bytes(4).try_into().map_or(0, u32::from_le_bytes) as usize
    }
    fn f(&mut self) -> f64 {
        self.bytes(8).try_into().map_or(0.0, f64::from_le_bytes)
    }
    fn maybe(&mut self) -> Option<f64> {
        let x = self.f();
        (!x.is_nan()).then_some(x)
    }
    fn flag(&mut self) -> bool {
        self.n() != 0
    }
    fn s(&mut self) -> String {
        let n = self.n();
        // Lossy: the page's download already has it (the URL is read so), and a garbled
        // text is then only shown garbled.
        String::from_utf8_lossy(self.bytes(n)).into_owned()
    }
    /// A list's bytes, `size` each: its length is never more than the bytes left hold.
    fn chunks(&mut self, size: usize) -> std::slice::ChunksExact<'a, u8> {
        let n = self.n();
        self.bytes(n.saturating_mul(size)).chunks_exact(size)
    }
    fn u32s(&mut self) -> Vec<u32> {
        self.chunks(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }
    fn f64s(&mut self) -> Vec<f64> {
        self.chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect()
    }
    fn f32s(&mut self) -> Vec<f32> {
        // The same bits as a u32's (and the same list, converted in place).
        self.u32s().into_iter().map(f32::from_bits).collect()
    }
    fn strs(&mut self) -> Vec<String> {
        let n = self.n();
        let mut out = Vec::new();
        // Each text takes four bytes at least: the bytes left bound the loop.
        while out.len() < n && !self.bad {
            out.push(self.s());
        }
        out
    }
    /// The kinds a list of indices into `all` names.
    fn kinds<T: Copy>(&mut self, all: &[T]) -> Vec<T> {
        let indices = self.u32s();
        let kinds: Vec<T> = indices
            .iter()
            .filter_map(|i| all.get(*i as usize).copied())
            .collect();
        self.bad |= kinds.len() != indices.len();
        kinds
    }
    /// A lab, its values and its executor (a lab's page only: the compare table's has none),
    /// read from the query [`Writer::query`] wrote.
    fn query(&mut self) -> (&'static LabSpec, ParamValues, Option<ExecutorId>) {
        let url = UrlState::parse(&self.s());
        self.bad |= url.lab.is_none();
        (
            url.lab.unwrap_or(&labs::LABS[0]),
            url.values,
            url.executors.first().copied(),
        )
    }
}

/// The runs [`pack`] wrote, rebuilt (their figures worked out again); `None` for bytes it did
/// not write.
pub fn unpack(bytes: &[u8]) -> Option<Imported> {
    let mut r = Reader {
        rest: bytes,
        bad: false,
    };
    let (lab, params, _) = r.query();
    let machine = MachineInfo {
        browser: r.s(),
        cores: r.n() as u32,
    };
    let app_version = r.s();
    let count = r.n();
    let mut items = Vec::new();
    while items.len() < count && !r.bad {
        items.push(item(&mut r)?);
    }
    (!r.bad && r.rest.is_empty()).then_some(Imported {
        lab,
        params,
        machine,
        app_version,
        items,
    })
}

/// One item and its trace; `None` if its lists do not line up (or its bytes ran out).
fn item(r: &mut Reader) -> Option<(ItemInfo, Trace)> {
    let (lab, params, executor) = r.query();
    r.bad |= executor.is_none();
    let info = ItemInfo {
        lab: lab.id,
        params,
        expected_ms: r.f(),
        predicted_ms: r.maybe(),
    };
    let status = STATUSES.get(r.n()).copied();
    r.bad |= status.is_none();
    let error = r.s();
    let error = r.flag().then_some(error);
    let wall_ms = r.f();
    let task_count = r.n() as u32;
    r.bad |= task_count as usize > super::MAX_ITEMS;
    let tasks_done = r.n() as u32;
    let hidden_during_run = r.flag();
    let memory_bytes = r.maybe().map(|b| b as u64);
    let step_kinds = r.kinds(&STEP_KINDS);
    let events = Events {
        t_ms: r.f64s(),
        kind: r.kinds(&EVENT_KINDS),
        task: r.u32s(),
        step: r.u32s().into_iter().map(|s| s as u16).collect(),
        lane: r.u32s(),
    };
    let output = Output {
        t_ms: r.f64s(),
        task: r.u32s(),
        text: r.u32s(),
        texts: r.strs(),
    };
    let mut startup = Vec::new();
    let count = r.n();
    // Twenty bytes each: the bytes left bound the loop.
    while startup.len() < count && !r.bad {
        startup.push(LaneStartup {
            lane: r.n() as u32,
            from_ms: r.f(),
            to_ms: r.f(),
        });
    }
    let call_names = r.strs();
    let spans = r.flag().then(|| TaskSpans {
        start_ms: r.f32s(),
        end_ms: r.f32s(),
    });
    // The views index one column by another: columns of a list are as long as each other.
    let n = events.t_ms.len();
    let even = [
        events.kind.len(),
        events.task.len(),
        events.step.len(),
        events.lane.len(),
    ]
    .iter()
    .all(|len| *len == n)
        && output.task.len() == output.t_ms.len()
        && output.text.len() == output.t_ms.len()
        && output
            .text
            .iter()
            .all(|i| (*i as usize) < output.texts.len())
        && spans
            .as_ref()
            .is_none_or(|s| s.start_ms.len() == s.end_ms.len());
    if r.bad || !even {
        return None;
    }
    let mut trace = Trace {
        executor: executor.unwrap_or(ExecutorId::EventLoop),
        task_count,
        step_kinds,
        events,
        output,
        status: status.unwrap_or(RunStatus::Finished),
        error,
        wall_ms,
        tasks_done,
        hidden_during_run,
        startup,
        call_names,
        spans,
        memory_bytes,
        figures: Default::default(),
    };
    trace.figures = sim::summary::figures(&trace);
    Some((info, trace))
}
