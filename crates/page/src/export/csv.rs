//! The CSV of a run's task steps: one row per step that takes time, for a spreadsheet.

use super::ItemInfo;
use sim::trace::Trace;
use sim::workload::StepKind;

/// The most rows an export's CSV holds; it says so in its last row when it holds fewer than
/// the run had.
pub const CSV_MAX_ROWS: usize = 100_000;
/// The CSV of `items`' task steps that take time (sleeps, CPU jobs, requests, calls: a print
/// takes none, and its line is in the JSON's output), one row each (a task kept as a span is
/// one sleep step), at most [`CSV_MAX_ROWS`]; a last row says how many were left out.
pub fn csv(items: &[(ItemInfo, &Trace)]) -> String {
    let mut out = String::from("run,lab,executor,task,step,kind,start_ms,end_ms\n");
    let (mut rows, mut total) = (0usize, 0usize);
    let mut push = |line: std::fmt::Arguments| {
        total += 1;
        if rows < CSV_MAX_ROWS {
            rows += 1;
            out.push_str(&line.to_string());
            out.push('\n');
        }
    };
    let ms = |t: Option<f64>| t.map(|t| sim::format::fixed(t, 3)).unwrap_or_default();
    for (i, (info, trace)) in items.iter().enumerate() {
        let (run, lab, executor) = (i + 1, info.lab, trace.executor.id());
        if let Some(spans) = &trace.spans {
            for task in 0..spans.len() {
                let (start, end) = spans.span(task);
                push(format_args!(
                    "{run},{lab},{executor},{task},0,sleep,{},{}",
                    ms(Some(start)),
                    ms(end)
                ));
            }
            continue;
        }
        // A step's row is written when it ends (or at the end, for one that never did).
        let ev = &trace.events;
        let mut open: std::collections::HashMap<(u32, u16), f64> = Default::default();
        let mut row = |task: u32, step: u16, start: f64, end: Option<f64>| {
            let kind = trace
                .step_kinds
                .get(usize::from(step))
                .map_or("", |k| step_kind_id(*k));
            push(format_args!(
                "{run},{lab},{executor},{task},{step},{kind},{},{}",
                ms(Some(start)),
                ms(end)
            ));
        };
        for e in 0..ev.len() {
            let (task, step, t) = (ev.task[e], ev.step[e], ev.t_ms[e]);
            match ev.kind[e] {
                sim::trace::EventKind::StepStarted => {
                    open.insert((task, step), t);
                }
                sim::trace::EventKind::StepEnded => {
                    if let Some(start) = open.remove(&(task, step)) {
                        row(task, step, start, Some(t));
                    }
                }
                _ => {}
            }
        }
        let mut unfinished: Vec<_> = open.into_iter().collect();
        // Written in the files worker only, never in the page's download.
        #[allow(clippy::disallowed_methods)]
        unfinished.sort_unstable_by_key(|((task, step), _)| (*task, *step));
        for ((task, step), start) in unfinished {
            row(task, step, start, None);
        }
    }
    if total > rows {
        out.push_str(&format!(
            "\"Only the first {CSV_MAX_ROWS} of {total} task steps are in this file.\"\n"
        ));
    }
    out
}

/// A step kind's name, as the CSV writes it.
pub(super) fn step_kind_id(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Print => "print",
        StepKind::Sleep => "sleep",
        StepKind::BlockingSleep => "blocking-sleep",
        StepKind::Cpu => "cpu",
        StepKind::Fetch => "fetch",
        StepKind::Call => "call",
    }
}
