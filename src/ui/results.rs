//! The Results region: one card per executor of the run, side by side on one scale.

use super::timeline::Timeline;
use super::Dispatch;
use labs::program_lines::{self, Lines};
use page::rooms::runs::{Runs, RunsAction};
use page::run_state::{CardStatus, Phase};
use page::state::{PageAction, PageModel};
use sim::cpython;
use sim::executors::expected_ms;
use sim::executors::{ExecutorId, Gil, Placement};
use sim::format;
use sim::model::AIOHTTP_LIMIT;
use sim::summary::summarize;
use sim::trace::{RunStatus, Trace};
use sim::workload::HTTP1_CONNECTIONS_PER_HOST;
use std::rc::Rc;
use yew::prelude::*;

/// How much faster a pool, or threads, ran than the page's own executors in the same run.
fn speed_up_text(model: &PageModel, trace: &Trace) -> Option<String> {
    let pooled = trace.executor.spec().placement.in_processes();
    let threaded = trace.executor.spec().gil != Gil::None;
    if !(pooled || threaded) || trace.status != RunStatus::Finished {
        return None;
    }
    let base = model.runs()?.run.traces.iter().find(|t| {
        t.status == RunStatus::Finished
            && matches!(t.executor.spec().placement, Placement::Page { .. })
    })?;
    let speed_up = base.wall_ms / trace.wall_ms.max(1.0);
    let machine = model.run_machine();
    let lanes = if pooled {
        machine.workers
    } else {
        machine.interpreters()
    };
    let per_lane = match (pooled, machine.free_threaded) {
        (true, _) => format!(
            " ({} per worker, {lanes} workers)",
            format::fixed(speed_up / f64::from(lanes.max(1)), 2)
        ),
        (false, true) if trace.executor.spec().gil == Gil::PerInterpreter => {
            format!(" (free-threaded over {lanes} cores)")
        }
        (false, _) => String::new(),
    };
    Some(format!(
        "{}x vs {}{per_lane}",
        format::fixed(speed_up, 2),
        base.executor.id(),
    ))
}

/// One row of a card's summary: its class (`""`, `wide`), its term and its value.
type SummaryRow = (&'static str, String, String);

fn row(class: &'static str, term: impl Into<String>, value: String) -> SummaryRow {
    (class, term.into(), value)
}

/// The rows of an executor on an interpreter (threads, run_in_executor): how long starting
/// it and its threads took, and what they did with the GIL.
fn thread_rows(model: &PageModel, trace: &Trace, rows: &mut Vec<SummaryRow>) {
    let on_interpreter = trace
        .executor
        .placement(&model.run_workload().unwrap_or_default())
        .on_interpreter();
    if !on_interpreter {
        return;
    }
    let spec = trace.executor.spec();
    let lock = if model.run_machine().free_threaded && spec.gil == Gil::PerInterpreter {
        "core"
    } else {
        "GIL"
    };
    let started = trace.task_count;
    rows.push(row(
        "",
        "Interpreter start-up",
        startup_text(trace, "interpreter"),
    ));
    if spec.unit == "thread" && started > 1 {
        rows.push(row("wide", "Thread starts", format!(
            "{} threads started in {} here; {} takes {} a thread, {} for these {}, on a 2-core test machine",
            format::count(u64::from(started)),
            format::duration(trace.figures.start_spread_ms),
            cpython::versions(),
            cpython::thread_start_text(),
            cpython::durations(cpython::range(|c| Some(c.thread_starts_ms(u64::from(started)))).unwrap_or_default()),
            format::count(u64::from(started)),
        )));
    }
    rows.push(row(
        "",
        format!("{lock} hand-offs"),
        format::count(trace.figures.gil_handoffs as u64),
    ));
    rows.push(row(
        "",
        format!("Waiting for the {lock}"),
        format!(
            "{} in all threads",
            format::duration(trace.figures.gil_wait_ms)
        ),
    ));
}

/// The card's figures: first what was measured here, then, marked as not measured here, the
/// learner's guess, the model's prediction and the article's CPython figure.
fn summary_list(model: &PageModel, trace: &Trace, expected_ms: f64) -> Html {
    let s = summarize(trace, expected_ms);
    let failed = trace.figures.failed_requests;
    let mut rows = vec![row("", "Wall time", format::duration(s.wall_ms))];
    rows.push(row(
        "",
        "Tasks done",
        format!(
            "{} / {}",
            format::count(u64::from(s.tasks_done)),
            format::count(u64::from(s.tasks_total))
        ),
    ));
    if trace.executor.spec().placement.in_processes() {
        rows.push(row("", "Worker start-up", startup_text(trace, "pool")));
    }
    thread_rows(model, trace, &mut rows);
    if let Some(text) = speed_up_text(model, trace) {
        rows.push(row("wide", "Speed-up", text));
    }
    if let Some(bytes) = trace.memory_bytes {
        rows.push(row(
            "",
            "Page memory",
            format!(
                "{} MB (wasm, at its end)",
                format::fixed(bytes as f64 / 1_048_576.0, 1)
            ),
        ));
    }
    if failed > 0 {
        rows.push(row(
            "wide",
            "Requests failed",
            format!("{}: the Output says why", format::count(failed as u64)),
        ));
    }
    let mut others = Vec::new();
    if let Some(ms) = model.prediction_for(None, trace.executor.id()) {
        others.push(row(
            "wide guess",
            "Your prediction",
            format!("You predicted {}", format::duration(ms)),
        ));
    }
    if model.model_hidden() {
        others.push(row("wide", "Model predicts", HIDDEN.into()));
    } else {
        let relative = s
            .relative_difference()
            .map(|p| format!(" ({}%)", format::fixed_signed(p, 1)))
            .unwrap_or_default();
        others.push(row("", "Model predicts", format::duration(s.expected_ms)));
        others.push(row(
            "",
            "Difference",
            format!("{}{relative}", format::difference(s.difference_ms)),
        ));
    }
    let article = article_ms(model, trace.executor);
    if let Some(ms) = article {
        others.push(row(
            "",
            "The article",
            format!("{} on its machine", format::duration(ms)),
        ));
    }
    let list = |rows: Vec<SummaryRow>| {
        html! {
            <dl class="summary">
                { for rows.into_iter().map(|(class, term, value)| html! {
                    <div class={(!class.is_empty()).then_some(class)}><dt>{ term }</dt><dd>{ value }</dd></div>
                }) }
            </dl>
        }
    };
    let what = if article.is_some() {
        "Not measured here: the model's prediction (not a run of CPython) and the article's CPython figure, on its machine."
    } else {
        "Not measured here: the model's prediction, not a run of CPython."
    };
    html! {
        <>
            { list(rows) }
            <div class="reference">
                <p class="reference-what">{ what }</p>
                { list(others) }
            </div>
        </>
    }
}

/// What the page says in place of the model's figure while a guess is asked for.
pub const HIDDEN: &str = "shown when the run ends";

/// "the model predicts 1.00 s", or that it is hidden until the run ends.
fn model_says(model: &PageModel, expected_ms: f64) -> String {
    if model.model_hidden() {
        "the model's figure is shown when the run ends".to_string()
    } else {
        format!("the model predicts {}", format::duration(expected_ms))
    }
}

/// What the article reports for `executor` on this lab, ms.
fn article_ms(model: &PageModel, executor: ExecutorId) -> Option<f64> {
    let lab = model.ready_lab()?;
    lab.article_ms
        .iter()
        .find(|(e, _)| *e == executor)
        .map(|(_, ms)| *ms)
}

/// Names the connection limit requests queued for (the browser's per host, or where none
/// applies the client's own), and what HTTP/2 changes.
fn queue_note(model: &PageModel, trace: &Trace) -> Option<String> {
    let queued = trace.figures.longest_queue_ms;
    // A few ms of queue is the loopback's own round trip, not the connection limit.
    if queued < 50.0 {
        return None;
    }
    let mut workload = model.run_workload()?;
    if workload.per_host_limit.is_none() {
        return Some(format!(
            "Requests waited up to {} for one of the client's {AIOHTTP_LIMIT} connections (an \
             aiohttp session's default).",
            format::duration(queued)
        ));
    }
    workload.per_host_limit = None;
    let http2 = expected_ms(trace.executor, &workload, &model.run_machine());
    Some(format!(
        "Requests waited up to {} for one of the browser's {HTTP1_CONNECTIONS_PER_HOST} \
         connections to the host (HTTP/1.1). Over HTTP/2 (https only) they would share one \
         connection, up to the server's stream limit: with the client's {AIOHTTP_LIMIT}, the \
         model predicts {}.",
        format::duration(queued),
        format::duration(http2)
    ))
}

/// Says so when an executor that hands blocking calls to a pool had nothing to hand over.
fn nothing_handed_off(model: &PageModel, trace: &Trace) -> Option<String> {
    let pool = trace.executor.spec().placement.hands_to()?;
    let workload = model.run_workload()?;
    (!workload.blocks()).then(|| {
        format!(
            "Nothing to hand off: these tasks make no blocking call (sleep=async), so they ran \
             as on the event loop, and the {pool} stayed idle."
        )
    })
}

/// Which rule the threads' GIL follows here, and what free-threading changes.
fn gil_note(model: &PageModel, trace: &Trace) -> Option<&'static str> {
    let gil = trace.executor.spec().gil;
    if gil == Gil::Shared && model.run_machine().free_threaded {
        return Some(
            "gil=off applies to the threads executor only: run_in_executor's threads share the \
             one interpreter worker here, under its GIL.",
        );
    }
    if gil != Gil::PerInterpreter {
        return None;
    }
    if model.run_machine().free_threaded {
        return Some(
            "Free-threaded CPython (3.13t, PEP 703, experimental and slower on one thread) has \
             no GIL and no switch interval: the OS schedules the threads on every core, so CPU \
             work spreads over the cores. Here each core is an interpreter worker and the \
             threads are dealt to them in turn; threads dealt to one core take turns there at \
             the switch interval, standing in for the OS's time slices.",
        );
    }
    (trace.figures.gil_handoffs > 0).then_some(
        "Once a thread has waited a switch interval for the GIL, the thread that computes must \
         hand it over (with none waiting it keeps computing); here it goes to the thread that has waited longest. CPython promises no \
         order among waiting threads: this is the rule modelled here.",
    )
}

/// Cold start (spawn and wasm start of every worker) or warm workers (`what`: pool).
fn startup_text(trace: &Trace, what: &str) -> String {
    if trace.startup.is_empty() {
        format!("warm {what}: none")
    } else {
        let workers = trace.startup.len();
        format!(
            "cold: {} for {workers} {}",
            format::duration(startup_ms(trace)),
            if workers == 1 { "worker" } else { "workers" }
        )
    }
}

/// From the first worker's spawn to the last one ready, ms (0 for a warm pool).
fn startup_ms(trace: &Trace) -> f64 {
    if trace.startup.is_empty() {
        return 0.0;
    }
    let from = trace
        .startup
        .iter()
        .map(|s| s.from_ms)
        .fold(f64::INFINITY, f64::min);
    let to = trace.startup.iter().map(|s| s.to_ms).fold(0.0, f64::max);
    to - from
}

fn card(
    model: &PageModel,
    runs: &Runs,
    (index, executor): (usize, ExecutorId),
    axis_ms: f64,
    (links, on_mark): (&Links, &Callback<u32>),
) -> Html {
    let run = &runs.run;
    let expected = run.plan.get(index).map_or(0.0, |item| item.projected_ms);
    let card_status = CardStatus::of(run, index);
    let status = card_status.id();
    let trace: Option<&Rc<Trace>> = run.traces.get(index);
    let total = trace
        .map(|t| t.task_count)
        .unwrap_or_else(|| model.workload().map(|w| w.task_count).unwrap_or(0));
    let done = match trace {
        Some(t) => t.tasks_done,
        None if card_status == CardStatus::Running => run.progress_done,
        None => 0,
    };
    let wall = trace.map(|t| t.wall_ms).unwrap_or(0.0);
    let representative = trace.is_none_or(|t| !t.hidden_during_run);
    html! {
        <article class={classes!("result", format!("status-{status}"))}
            aria-label={format!("{} result", executor.id())}
            data-executor={executor.id()} data-status={status}
            data-wall-ms={format::fixed(wall, 1)} data-expected-ms={format::fixed(expected, 1)}
            data-tasks-done={done.to_string()} data-tasks-total={total.to_string()}
            data-representative={representative.to_string()}
            data-startup-ms={format::fixed(trace.map(|t| startup_ms(t)).unwrap_or(0.0), 1)}
            data-requests-failed={trace.map(|t| t.figures.failed_requests).unwrap_or(0).to_string()}
            data-cpu-ms={format::fixed(trace.map(|t| t.figures.cpu_ms).unwrap_or(0.0), 1)}
            data-gil-handoffs={trace.map(|t| t.figures.gil_handoffs).unwrap_or(0).to_string()}
            data-gil-wait-ms={format::fixed(trace.map(|t| t.figures.gil_wait_ms).unwrap_or(0.0), 1)}
            data-output-lines={trace.map(|t| t.output.len()).unwrap_or(0).to_string()}
            data-memory-bytes={trace.and_then(|t| t.memory_bytes).unwrap_or(0).to_string()}>
            <header>
                <h3><code>{ executor.id() }</code></h3>
                <span class="status-badge">{ status }</span>
            </header>
            <p class="desc">{ executor.description() }</p>
            {
                match trace {
                    Some(trace) => html! {
                        <>
                            { summary_list(model, trace, expected) }
                            if !representative {
                                <p class="warning">{ "Not representative: the tab was hidden during this run, and browsers slow timers down in hidden tabs." }</p>
                            }
                            if let Some(error) = &trace.error {
                                <p class="error">{ error }</p>
                            }
                            if let Some(note) = queue_note(model, trace) {
                                <p class="note">{ note }</p>
                            }
                            if let Some(note) = nothing_handed_off(model, trace) {
                                <p class="note">{ note }</p>
                            }
                            if let Some(note) = gil_note(model, trace) {
                                <p class="note">{ note }</p>
                            }
                            <Timeline trace={trace.clone()} {axis_ms}
                                placement={executor.placement(&model.run_workload().unwrap_or_default())}
                                lines={links.of(executor)} marked={runs.marked_line} on_mark={on_mark.clone()}
                                cursor_ms={runs.cursor_ms} view={view_of(model)} />
                            if let Some(t) = runs.cursor_ms {
                                <p class="cursor-readout">{ cursor_readout(model, trace, t) }</p>
                            }
                        </>
                    },
                    None if card_status == CardStatus::Running => html! {
                        <>
                            <p>{ format!("Running\u{2026} {}.", model_says(model, expected)) }</p>
                            <progress aria-label="Run progress" max={total.max(1).to_string()} value={done.to_string()}></progress>
                            <p class="progress-text">{ format!("{} of {} tasks done", format::count(u64::from(done)), format::count(u64::from(total))) }</p>
                        </>
                    },
                    None => html! {
                        <p class="hint">{ format!("{}; {}.", if card_status == CardStatus::Pending { "Waiting its turn" } else { "Did not run" }, model_says(model, expected)) }</p>
                    },
                }
            }
        </article>
    }
}

/// What the results say of an imported file's runs (nothing for the page's own).
pub fn imported(runs: &Runs) -> Html {
    html! {
        if let Some(mark) = &runs.imported {
            <p class="imported" role="note">{ mark }</p>
        }
    }
}

/// What the Results region says before a run.
pub const PRESS_RUN: &str =
    "Press Run: each chosen executor runs in turn and its timeline appears here.";

/// What an executor's run was doing at the time cursor, `t_ms`.
fn cursor_readout(model: &PageModel, trace: &Trace, t_ms: f64) -> String {
    let lock =
        if model.run_machine().free_threaded && trace.executor.spec().gil == Gil::PerInterpreter {
            "core"
        } else {
            "GIL"
        };
    sim::cursor::at(trace, t_ms).readout(trace.executor.spec().unit, lock)
}

/// The range the URL's `view` shows, ms.
fn view_of(model: &PageModel) -> Option<(f64, f64)> {
    model.url.view.map(|(lo, hi)| (lo as f64, hi as f64))
}

/// The time cursor over the range of the run the timelines show (of `axis_ms`, the run's
/// whole axis): a slider named "Time" (the arrows, Home to the start, End to the end), once a
/// run has ended (finished, stopped or imported). The timelines mark its instant, each card
/// says what its tasks were doing then, and the Output shows what was printed by then. Beside
/// it, "Zoom in" halves the range around the cursor, "Zoom out" doubles it, and "Whole run"
/// shows all of it again, without the cursor; the range is the URL's `view`, so a shared link
/// opens on it.
fn time_cursor(model: &PageModel, runs: &Runs, axis_ms: f64, dispatch: &Dispatch) -> Html {
    let (lo, hi) = match view_of(model) {
        Some((lo, hi)) if lo < axis_ms => (lo, hi.min(axis_ms)),
        _ => (0.0, axis_ms),
    };
    let step = ((hi - lo) / 200.0).round().max(1.0);
    // A whole number of steps, so End reaches the range's end.
    let max = lo + ((hi - lo) / step).ceil() * step;
    let at = runs.cursor_ms.unwrap_or(max).max(lo).min(max);
    let oninput = dispatch.reform(|e: InputEvent| {
        let value = e
            .target_unchecked_into::<web_sys::HtmlInputElement>()
            .value_as_number();
        PageAction::Runs(RunsAction::SetCursor(Some(value)))
    });
    let view = |from: f64, to: f64| {
        let (from, to) = (from.max(0.0), to.min(axis_ms.ceil()));
        let whole = from <= 0.0 && to >= axis_ms.ceil();
        (!whole).then_some((from as u64, (to as u64).max(from as u64 + 1)))
    };
    let centre = runs.cursor_ms.unwrap_or((lo + hi) / 2.0).max(lo).min(hi);
    let half = (hi - lo) / 2.0;
    let zoom_in = view(centre - half / 2.0, centre + half / 2.0);
    let zoom_out = view(centre - 2.0 * half, centre + 2.0 * half);
    let set = |range: Option<(u64, u64)>| {
        dispatch.reform(move |_: MouseEvent| PageAction::Runs(RunsAction::SetView(range)))
    };
    let whole = dispatch.reform(|_: MouseEvent| PageAction::Runs(RunsAction::SetCursor(None)));
    let whole_view = set(None);
    let whole = Callback::from(move |e: MouseEvent| {
        whole_view.emit(e.clone());
        whole.emit(e);
    });
    html! {
        <div class="time-cursor">
            <label for="time-cursor">{ "Time" }</label>
            <input id="time-cursor" type="range" min={format::fixed(lo, 0)} max={format::fixed(max, 0)}
                step={format::fixed(step, 0)} value={format::fixed(at, 0)}
                aria-valuetext={format::stamp(at.min(axis_ms))} {oninput} />
            // The slider's own value text says it to assistive technology (an `output` would
            // be a second status region).
            <span class="time-now" aria-hidden="true">{ format::stamp(at.min(axis_ms)) }</span>
            <span class="zoom">
                <button type="button" class="secondary small" onclick={set(zoom_in)}
                    aria-disabled={(hi - lo <= 2.0).to_string()}>{ "Zoom in" }</button>
                <button type="button" class="secondary small" onclick={set(zoom_out)}
                    aria-disabled={model.url.view.is_none().to_string()}>{ "Zoom out" }</button>
                // Stays in the tab order when there is nothing to undo (`aria-disabled`).
                <button type="button" class="secondary small" onclick={whole}
                    aria-disabled={(runs.cursor_ms.is_none() && model.url.view.is_none()).to_string()}>{ "Whole run" }</button>
            </span>
            if model.url.view.is_some() {
                <p class="hint">{ format!("The timelines show {} to {} of the run (view= in the link).", format::stamp(lo), format::stamp(hi)) }</p>
            }
        </div>
    }
}

/// What links the timelines to the program shown beside them: the lines each executor's bars
/// stand for, when the program shown is the one the run ran (none after its values changed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Links {
    executors: Vec<(ExecutorId, Rc<Lines>)>,
}

impl Links {
    /// The lines `executor`'s bars stand for.
    pub fn of(&self, executor: ExecutorId) -> Rc<Lines> {
        self.executors
            .iter()
            .find(|(e, _)| *e == executor)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }

    /// Every line some bar stands for, in order.
    pub fn lines(&self) -> Vec<u32> {
        let all: Vec<u32> = self.executors.iter().flat_map(|(_, l)| l.all()).collect();
        let mut all = sim::order::sorted_by(all, |n| f64::from(*n));
        all.dedup();
        all
    }
}

/// The links between the shown `program` and the runs shown.
pub fn links(model: &PageModel, runs: &Runs, program: &str) -> Links {
    let Some(lab) = model.ready_lab() else {
        return Links::default();
    };
    let shown = model.url.values.resolved(lab.params, &model.calibration);
    if runs.run_values.as_ref() != Some(&shown) || runs.imported.is_some() {
        return Links::default();
    }
    Links {
        executors: runs
            .run
            .executors()
            .map(|e| (e, Rc::new(program_lines::lines(program, e))))
            .collect(),
    }
}

/// The Results region, its timelines linked to the program by `links`.
pub fn view(model: &PageModel, runs: &Runs, links: &Links, dispatch: &Dispatch) -> Html {
    let on_mark = dispatch.reform(|n| PageAction::Runs(RunsAction::MarkLine(Some(n))));
    let run = &runs.run;
    let axis_ms = run.traces.iter().map(|t| t.wall_ms).fold(0.0_f64, f64::max);
    let has_run = !run.plan.is_empty() && run.phase != Phase::Confirming;
    html! {
        <section class="results" aria-label="Results">
            <h2>{ "Results" }</h2>
            { imported(runs) }
            if let Some(summary) = run.summary() {
                <p class="run-answer">{ summary }</p>
                { super::notes::watch_for(&model.notes, 2, model.url.embed.then(|| {
                    format!("{}?{}", model.address, model.share_query(false))
                })) }
            }
            if has_run {
                <p class="hint">{ "Executors run one after another, each measured alone; every timeline uses the same scale." }</p>
                if matches!(run.phase, Phase::Ended(_)) && axis_ms > 0.0 {
                    { time_cursor(model, runs, axis_ms, dispatch) }
                }
                <div class="cards">
                    { for run.executors().enumerate().map(|at| card(model, runs, at, axis_ms, (links, &on_mark))) }
                </div>
            } else {
                <p class="hint">{ PRESS_RUN }</p>
            }
        </section>
    }
}
