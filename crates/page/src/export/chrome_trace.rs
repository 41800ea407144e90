//! The runs as Chrome Trace Event JSON (`{"traceEvents": [...]}`), which Perfetto and
//! `chrome://tracing` open: a process per executor of the run; in it a thread per task, each
//! step a complete event (`"ph": "X"`) named by its kind, with what happened inside it nested
//! under it (waiting for a connection, ready and waiting for the thread, a Python call); a
//! track per lane for the GIL's holder and for a worker's start-up; times in microseconds.
//!
//! Steps of different tasks overlap on one lane (gathered sleeps on the page's one thread), and
//! a thread of the format holds only nested events: so a task, not a lane, is a thread here,
//! named with its lane. A run of more than [`TRACE_MAX_STEPS`] steps is too large to write
//! in a few seconds: its tasks kept as spans are written as their density instead (counters of
//! the tasks asleep and done), and the page says so before it starts.

use super::ItemInfo;
use crate::export::csv::step_kind_id;
use sim::format::fixed;
use sim::trace::{EventKind, Trace};
use std::collections::HashMap;
use std::fmt::Write;

/// The most steps a trace holds one by one (over it, span runs go as their density).
pub const TRACE_MAX_STEPS: usize = 2_000_000;

/// The columns of a run written as its density.
const DENSITY_COLUMNS: usize = 2_000;

/// Up to how many tasks a run's threads are named ("task 12 · page"); past that Perfetto's
/// own names ("Thread 12") keep the file small.
const NAMED_TASKS: u32 = 10_000;

/// How many steps `items` hold: what [`TRACE_MAX_STEPS`] is compared with.
pub fn trace_steps(items: &[(ItemInfo, &Trace)]) -> usize {
    items
        .iter()
        .map(|(_, trace)| match &trace.spans {
            Some(spans) => spans.len(),
            None => (0..trace.events.len())
                .filter(|&e| trace.events.kind[e] == EventKind::StepStarted)
                .count(),
        })
        .sum()
}

/// The lane's name: `page` for the page's thread, `worker 2` for a worker.
fn lane_name(lane: u32) -> String {
    if lane == 0 {
        "page".to_string()
    } else {
        format!("worker {lane}")
    }
}

/// A JSON string of `text`.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// Microseconds from ms, as the format's `ts` and `dur`.
fn us(ms: f64) -> String {
    fixed((ms * 1000.0).max(0.0), 1)
}

struct Writer {
    out: String,
    first: bool,
}

impl Writer {
    fn event(&mut self, body: std::fmt::Arguments) {
        if !self.first {
            self.out.push_str(",\n");
        }
        self.first = false;
        self.out.push('{');
        let _ = self.out.write_fmt(body);
        self.out.push('}');
    }

    fn meta(&mut self, pid: usize, tid: u64, name: &str, args: &str) {
        self.event(format_args!(
            r#""ph":"M","name":"{name}","pid":{pid},"tid":{tid},"args":{{{args}}}"#
        ));
    }

    #[allow(clippy::too_many_arguments)]
    fn complete(
        &mut self,
        pid: usize,
        tid: u64,
        name: &str,
        cat: &str,
        from: f64,
        to: f64,
        args: &str,
    ) {
        self.event(format_args!(
            r#""ph":"X","name":{},"cat":"{cat}","pid":{pid},"tid":{tid},"ts":{},"dur":{},"args":{{{args}}}"#,
            quoted(name),
            us(from),
            us(to - from)
        ));
    }
}

/// The Trace Event JSON of `items`.
pub fn chrome_trace(items: &[(ItemInfo, &Trace)]) -> String {
    written(items, TRACE_MAX_STEPS)
}

/// The Trace Event JSON of `items`, span runs as their density past `max_steps`.
fn written(items: &[(ItemInfo, &Trace)], max_steps: usize) -> String {
    let whole = trace_steps(items) > max_steps;
    let mut w = Writer {
        out: String::from("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n"),
        first: true,
    };
    for (i, (info, trace)) in items.iter().enumerate() {
        let pid = i + 1;
        let process = format!("{} · {}", info.lab, trace.executor.id());
        w.meta(
            pid,
            0,
            "process_name",
            &format!("\"name\":{}", quoted(&process)),
        );
        w.meta(
            pid,
            0,
            "process_sort_index",
            &format!("\"sort_index\":{pid}"),
        );
        // Lane tracks come after the tasks' threads.
        let lane_tid =
            |lane: u32, what: u64| u64::from(trace.task_count) + 1 + 2 * u64::from(lane) + what;
        for startup in &trace.startup {
            let tid = lane_tid(startup.lane, 1);
            w.meta(
                pid,
                tid,
                "thread_name",
                &format!("\"name\":\"{} start-up\"", lane_name(startup.lane)),
            );
            w.complete(
                pid,
                tid,
                "start-up",
                "startup",
                startup.from_ms,
                startup.to_ms,
                "",
            );
        }
        match &trace.spans {
            Some(spans) if whole => {
                let Some(density) =
                    sim::density::density(trace, (0.0, trace.wall_ms), None, DENSITY_COLUMNS)
                else {
                    continue;
                };
                for (c, column) in density.columns.iter().enumerate() {
                    w.event(format_args!(
                        r#""ph":"C","name":"tasks","pid":{pid},"tid":0,"ts":{},"args":{{"asleep":{},"done":{}}}"#,
                        us(density.column_end_ms(c)),
                        column.asleep,
                        column.done
                    ));
                }
                let _ = spans;
            }
            Some(spans) => {
                for task in 0..spans.len() {
                    let (start, end) = spans.span(task);
                    let tid = task as u64 + 1;
                    if (task as u32) < NAMED_TASKS {
                        w.meta(
                            pid,
                            tid,
                            "thread_name",
                            &format!("\"name\":\"task {tid} · page\""),
                        );
                    }
                    let args = format!("\"task\":{tid},\"step\":1");
                    w.complete(
                        pid,
                        tid,
                        "sleep",
                        "sleep",
                        start,
                        end.unwrap_or(trace.wall_ms),
                        &args,
                    );
                }
            }
            None => events(&mut w, pid, trace, lane_tid),
        }
    }
    w.out.push_str("\n]}\n");
    w.out
}

/// One run's events: each task's steps, what happened inside them, and the GIL's holders.
fn events(w: &mut Writer, pid: usize, trace: &Trace, lane_tid: impl Fn(u32, u64) -> u64) {
    let ev = &trace.events;
    let end_ms = trace.wall_ms;
    let mut named: HashMap<u32, ()> = HashMap::new();
    let mut steps: HashMap<(u32, u16), f64> = HashMap::new();
    let mut sent: HashMap<(u32, u16), f64> = HashMap::new();
    let mut answered: HashMap<(u32, u16), f64> = HashMap::new();
    let mut woken: HashMap<(u32, u16), f64> = HashMap::new();
    let mut calls: HashMap<u32, Vec<(u16, f64)>> = HashMap::new();
    let mut gil: HashMap<u32, (u32, f64)> = HashMap::new();
    let mut gil_named: HashMap<u32, ()> = HashMap::new();
    for e in 0..ev.len() {
        let (task, step, t, lane) = (ev.task[e], ev.step[e], ev.t_ms[e], ev.lane[e]);
        let tid = u64::from(task) + 1;
        if task < NAMED_TASKS && named.insert(task, ()).is_none() {
            w.meta(
                pid,
                tid,
                "thread_name",
                &format!("\"name\":\"task {tid} · {}\"", lane_name(lane)),
            );
            w.meta(
                pid,
                tid,
                "thread_sort_index",
                &format!("\"sort_index\":{tid}"),
            );
        }
        let kind = trace
            .step_kinds
            .get(usize::from(step))
            .map_or("step", |k| step_kind_id(*k));
        let args = format!("\"task\":{tid},\"step\":{}", step + 1);
        match ev.kind[e] {
            EventKind::StepStarted => {
                steps.insert((task, step), t);
            }
            EventKind::RequestSent => {
                sent.insert((task, step), t);
            }
            EventKind::RequestAnswered => {
                answered.insert((task, step), t);
            }
            EventKind::Woken => {
                woken.insert((task, step), t);
            }
            EventKind::TaskStarted => {
                // gather made the task before the loop got to it.
                if let Some(made) = woken.remove(&(task, 0)).filter(|m| *m < t) {
                    let args = format!("\"task\":{tid}");
                    w.complete(
                        pid,
                        tid,
                        "ready, waiting for the thread",
                        "ready",
                        made,
                        t,
                        &args,
                    );
                }
            }
            EventKind::StepEnded => {
                if let Some(start) = steps.remove(&(task, step)) {
                    w.complete(pid, tid, kind, kind, start, t, &args);
                    if let Some(on_wire) = sent.remove(&(task, step)).filter(|s| *s > start) {
                        w.complete(
                            pid,
                            tid,
                            "waiting for a connection",
                            "queued",
                            start,
                            on_wire,
                            &args,
                        );
                    }
                    // A sleep whose deadline came while the thread was busy.
                    if let Some(due) = woken.remove(&(task, step)).filter(|d| *d < t) {
                        w.complete(
                            pid,
                            tid,
                            "ready, waiting for the thread",
                            "ready",
                            due,
                            t,
                            &args,
                        );
                    }
                    if let Some(back) = answered.remove(&(task, step)).filter(|a| *a < t) {
                        w.complete(
                            pid,
                            tid,
                            "ready, waiting for the thread",
                            "ready",
                            back,
                            t,
                            &args,
                        );
                    }
                }
            }
            EventKind::CallEntered => calls.entry(task).or_default().push((step, t)),
            EventKind::CallExited => {
                if let Some((entered, from)) = calls.entry(task).or_default().pop() {
                    let name = trace
                        .call_names
                        .get(usize::from(entered))
                        .map_or("call", |n| n.as_str());
                    w.complete(pid, tid, name, "call", from, t, &args);
                }
            }
            EventKind::GilAcquired => {
                gil.insert(lane, (task, t));
            }
            EventKind::GilReleased => {
                if let Some((holder, from)) = gil.remove(&lane) {
                    let gil_tid = lane_tid(lane, 0);
                    if gil_named.insert(lane, ()).is_none() {
                        w.meta(
                            pid,
                            gil_tid,
                            "thread_name",
                            &format!("\"name\":\"GIL of {}\"", lane_name(lane)),
                        );
                    }
                    w.complete(
                        pid,
                        gil_tid,
                        &format!("task {}", holder + 1),
                        "gil",
                        from,
                        t,
                        "",
                    );
                }
            }
            EventKind::TaskEnded | EventKind::GilRequested | EventKind::RequestFailed => {}
        }
    }
    // What never ended (a stopped run) ends with the run.
    let mut open: Vec<((u32, u16), f64)> = steps.into_iter().collect();
    #[allow(clippy::disallowed_methods)] // the files worker only, never the page's download
    open.sort_unstable_by_key(|a| a.0);
    for ((task, step), start) in open {
        let kind = trace
            .step_kinds
            .get(usize::from(step))
            .map_or("step", |k| step_kind_id(*k));
        let args = format!(
            "\"task\":{},\"step\":{},\"ended\":false",
            task + 1,
            step + 1
        );
        w.complete(
            pid,
            u64::from(task) + 1,
            kind,
            kind,
            start,
            end_ms.max(start),
            &args,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::exec::virtual_time::run_virtual;
    use sim::executors::ExecutorId;
    use sim::workload::hello;

    fn info() -> ItemInfo {
        ItemInfo {
            lab: "hello",
            params: labs::params::ParamValues::defaults(&[]),
            expected_ms: 0.0,
            predicted_ms: None,
        }
    }

    fn parsed(text: &str) -> serde_json::Value {
        serde_json::from_str(text).expect("the trace is JSON")
    }

    #[test]
    fn a_gathered_hello_is_a_process_with_a_thread_per_task_and_a_slice_per_step() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, false));
        let json = parsed(&chrome_trace(&[(info(), &trace)]));
        let events = json["traceEvents"].as_array().unwrap();
        let slices: Vec<_> = events.iter().filter(|e| e["ph"] == "X").collect();
        assert_eq!(slices.len(), trace_steps(&[(info(), &trace)]));
        // hello's steps: print, sleep, print; each task its own thread.
        let sleeps: Vec<_> = slices.iter().filter(|e| e["name"] == "sleep").collect();
        assert_eq!(sleeps.len(), 2);
        assert_ne!(sleeps[0]["tid"], sleeps[1]["tid"]);
        for sleep in sleeps {
            let dur = sleep["dur"].as_f64().unwrap();
            assert!((dur - 1_000_000.0).abs() < 1_000.0, "{dur} us");
        }
        let names: Vec<_> = events
            .iter()
            .filter(|e| e["name"] == "process_name")
            .map(|e| e["args"]["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["hello · event-loop"]);
    }

    #[test]
    fn a_run_too_large_for_a_slice_a_step_goes_as_its_density() {
        let (trace, _) = run_virtual(
            ExecutorId::EventLoop,
            &sim::workload::sleepers(500, 1.0, false),
        );
        assert!(
            trace.spans.is_some(),
            "the sleep lab's run is kept as spans"
        );
        let items = [(info(), &trace)];
        let one_by_one = parsed(&written(&items, 1_000));
        let sleeps = one_by_one["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["ph"] == "X");
        assert_eq!(sleeps.count(), 500);
        let json = parsed(&written(&items, 100));
        let events = json["traceEvents"].as_array().unwrap();
        assert_eq!(events.iter().filter(|e| e["ph"] == "X").count(), 0);
        let counters: Vec<_> = events.iter().filter(|e| e["ph"] == "C").collect();
        assert_eq!(counters.len(), DENSITY_COLUMNS);
        assert_eq!(counters.last().unwrap()["args"]["done"], 500);
    }

    #[test]
    fn the_second_hello_behind_a_blocking_sleep_is_a_ready_slice_for_the_whole_second() {
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, true));
        let json = parsed(&chrome_trace(&[(info(), &trace)]));
        let events = json["traceEvents"].as_array().unwrap();
        let ready: Vec<_> = events.iter().filter(|e| e["cat"] == "ready").collect();
        assert_eq!(ready.len(), 1, "{ready:?}");
        assert_eq!(ready[0]["tid"], 2);
        assert_eq!(ready[0]["ts"].as_f64(), Some(0.0));
        assert_eq!(ready[0]["dur"].as_f64(), Some(1_000_000.0));
    }

    #[test]
    fn the_gils_holder_is_a_track_of_its_own() {
        let w = sim::workload::prime_jobs(2, 0.0, 10_007, 20.0);
        let (trace, _) = run_virtual(ExecutorId::Threads, &w);
        let json = parsed(&chrome_trace(&[(info(), &trace)]));
        let events = json["traceEvents"].as_array().unwrap();
        let holders: Vec<_> = events.iter().filter(|e| e["cat"] == "gil").collect();
        assert!(holders.len() >= 2, "{} GIL slices", holders.len());
        let track = &holders[0]["tid"];
        assert!(holders.iter().all(|h| &h["tid"] == track));
        // The holders never overlap.
        let mut last_end = 0.0;
        for h in holders {
            let ts = h["ts"].as_f64().unwrap();
            assert!(ts + 0.5 >= last_end);
            last_end = ts + h["dur"].as_f64().unwrap();
        }
    }
}
