//! Export and import of runs: a versioned file of a run's items (which lab, which parameters,
//! which executor), their traces and summaries, and the machine that ran them; and a CSV of
//! their task steps. Pure functions of the traces: the page only turns them into a download,
//! and an imported file into the traces it shows "as if just run".
//!
//! An imported file is untrusted: [`import`] checks its size, its nesting, its schema and
//! version, and every field it rebuilds a trace from (known lab, executor and parameters,
//! columns of equal length, finite times, indices in range), and names what is wrong in plain
//! words. Nothing of a refused file reaches the page.

use labs::params::ParamValues;
use serde::{Deserialize, Serialize};
use sim::executors::ExecutorId;
use sim::trace::{Events, LaneStartup, Output, RunStatus, TaskSpans, Trace};
use sim::workload::StepKind;

mod chrome_trace;
mod csv;
pub mod pack;

pub use chrome_trace::{chrome_trace, trace_steps, TRACE_MAX_STEPS};
pub use csv::{csv, CSV_MAX_ROWS};

/// What every export says it is.
pub const SCHEMA: &str = "async-playground/runs";
/// The version this page writes; it reads this one and every older one.
pub const VERSION: u32 = 1;
/// The largest file an import reads, bytes.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;
/// The deepest nesting of arrays and objects an import reads (an export nests 5 deep).
pub const MAX_DEPTH: usize = 16;
/// The most tasks, events or printed lines one imported run may hold (the page's own cap).
pub(crate) const MAX_ITEMS: usize = 20_000_000;

/// The whole file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunFile {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The schema version it was written in.
    pub version: u32,
    /// The app version that wrote it.
    pub app_version: String,
    /// The lab it was exported from (`compare` for the compare table).
    pub lab: String,
    /// That lab's parameters, as the URL writes them.
    pub params: Vec<(String, String)>,
    /// Where it ran.
    pub machine: MachineInfo,
    /// The runs, in run order: one per executor of a lab, one per row of compare.
    pub items: Vec<ItemRecord>,
}

/// The machine that ran an export.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MachineInfo {
    /// The browser's user agent.
    pub browser: String,
    /// Its logical cores (`navigator.hardwareConcurrency`).
    pub cores: u32,
}

/// One run of a plan: what ran, what the model and the learner expected, what it measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemRecord {
    /// The lab whose workload ran.
    pub lab: String,
    /// Its parameters, as the URL writes them.
    pub params: Vec<(String, String)>,
    /// The executor's public id.
    pub executor: String,
    /// The model's wall time, ms.
    pub expected_ms: f64,
    /// The learner's prediction, ms, where they gave one.
    #[serde(default)]
    pub predicted_ms: Option<f64>,
    /// The trace.
    pub trace: TraceRecord,
}

/// A trace as the file holds it: the columns of [`Trace`], with its spans' unfinished ends
/// left out (JSON has no NaN).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceRecord {
    /// `finished`, `stopped` or `failed`.
    pub status: String,
    /// What went wrong, where it failed.
    #[serde(default)]
    pub error: Option<String>,
    /// Wall time, ms.
    pub wall_ms: f64,
    /// Tasks the workload had.
    pub task_count: u32,
    /// Tasks that ended.
    pub tasks_done: u32,
    /// Whether the tab was hidden during the run.
    #[serde(default)]
    pub hidden_during_run: bool,
    /// The kind of each step of a task.
    pub step_kinds: Vec<StepKind>,
    /// The events, column by column.
    pub events: Events,
    /// The printed lines.
    pub output: Output,
    /// Lanes' start-ups.
    #[serde(default)]
    pub startup: Vec<LaneStartup>,
    /// The function each call step enters.
    #[serde(default)]
    pub call_names: Vec<String>,
    /// Tasks kept as spans: each started task's start, and the ends of those that ended (the
    /// first ones: tasks end in the order they started).
    #[serde(default)]
    pub spans: Option<SpansRecord>,
    /// The page's memory at the end, bytes.
    #[serde(default)]
    pub memory_bytes: Option<u64>,
}

/// [`TaskSpans`] without NaN: `end_ms` holds the ends of the first `end_ms.len()` tasks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpansRecord {
    /// Each started task's start, ms.
    pub start_ms: Vec<f32>,
    /// The ends of the tasks that ended, ms.
    pub end_ms: Vec<f32>,
}

/// What one item of a plan is, beside its trace, for [`export`].
#[derive(Clone, Debug, PartialEq)]
pub struct ItemInfo {
    /// The lab whose workload ran.
    pub lab: &'static str,
    /// Its parameters.
    pub params: ParamValues,
    /// The model's wall time, ms.
    pub expected_ms: f64,
    /// The learner's prediction, ms.
    pub predicted_ms: Option<f64>,
}

/// The items of a run beside their traces, in run order.
pub type Items<'a> = Vec<(ItemInfo, &'a Trace)>;

/// The lab's parameters as the URL writes them.
fn url_params(values: &ParamValues) -> Vec<(String, String)> {
    values
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_url()))
        .collect()
}

/// The file of a run of `lab` with `params`: its items and their traces, in run order.
pub fn export(
    lab: &str,
    params: &ParamValues,
    machine: MachineInfo,
    app_version: &str,
    items: &[(ItemInfo, &Trace)],
) -> RunFile {
    RunFile {
        schema: SCHEMA.to_string(),
        version: VERSION,
        app_version: app_version.to_string(),
        lab: lab.to_string(),
        params: url_params(params),
        machine,
        items: items
            .iter()
            .map(|(info, trace)| ItemRecord {
                lab: info.lab.to_string(),
                params: url_params(&info.params),
                executor: trace.executor.id().to_string(),
                expected_ms: info.expected_ms,
                predicted_ms: info.predicted_ms,
                trace: record(trace),
            })
            .collect(),
    }
}

fn record(trace: &Trace) -> TraceRecord {
    TraceRecord {
        status: trace.status.id().to_string(),
        error: trace.error.clone(),
        wall_ms: trace.wall_ms,
        task_count: trace.task_count,
        tasks_done: trace.tasks_done,
        hidden_during_run: trace.hidden_during_run,
        step_kinds: trace.step_kinds.clone(),
        events: trace.events.clone(),
        output: trace.output.clone(),
        startup: trace.startup.clone(),
        call_names: trace.call_names.clone(),
        spans: trace.spans.as_ref().map(|s| SpansRecord {
            start_ms: s.start_ms.clone(),
            end_ms: s
                .end_ms
                .iter()
                .copied()
                .take_while(|e| !e.is_nan())
                .collect(),
        }),
        memory_bytes: trace.memory_bytes,
    }
}

/// A file as the page shows it: the lab, its parameters, and each item's trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The lab it was exported from.
    pub lab: &'static labs::LabSpec,
    /// That lab's parameters.
    pub params: ParamValues,
    /// Where it ran.
    pub machine: MachineInfo,
    /// The app version that wrote it.
    pub app_version: String,
    /// Each item and its trace, in run order.
    pub items: Vec<(ItemInfo, Trace)>,
}

impl Imported {
    /// Its items beside their traces, as [`export`], [`csv`] and [`pack::pack`] take them.
    pub fn item_refs(&self) -> Items<'_> {
        self.items.iter().map(|(i, t)| (i.clone(), t)).collect()
    }
}

/// Why a file was refused, in words that finish "The file ... ".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Over [`MAX_BYTES`].
    #[error("is larger than 50 MB ({0} bytes)")]
    TooLarge(usize),
    /// Nested deeper than [`MAX_DEPTH`].
    #[error("nests deeper than an export does (more than {MAX_DEPTH} levels)")]
    TooDeep,
    /// Not JSON, or not of the shape of an export.
    #[error("is not an export of Async Playground: {0}")]
    Malformed(String),
    /// Written by a newer version of the page.
    #[error("was written in a newer format (version {0}; this page reads up to {VERSION})")]
    NewerVersion(u32),
    /// A field has a value no run could have.
    #[error("has {0}")]
    Invalid(String),
}

/// How deep arrays and objects nest in `text`, outside strings; stops counting past
/// [`MAX_DEPTH`] (a check before parsing, so a hostile file cannot exhaust a parser's stack).
pub fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > MAX_DEPTH {
                    return deepest;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A browser's name and major version from its user agent (`Chrome 156`), or the user agent
/// itself, cut short: what an imported file's machine is shown as (the files worker names
/// it, so the page's download has none of this).
pub fn browser_name(agent: &str) -> String {
    for (token, name) in [
        ("Firefox/", "Firefox"),
        ("Edg/", "Edge"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ] {
        if let Some(rest) = agent.split(token).nth(1) {
            let major: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return format!("{name} {major}");
        }
    }
    if agent.is_empty() {
        return "an unnamed browser".into();
    }
    crate::quote::shown(agent)
}

/// An export's text as the page is handed it: checked ([`load`]), its machine's browser
/// named ([`browser_name`]), and packed ([`pack::pack`]) for the page to unpack.
pub fn load_packed(text: &str) -> Result<Vec<u8>, ImportError> {
    let mut runs = load(text)?;
    runs.machine.browser = browser_name(&runs.machine.browser);
    Ok(pack::pack(
        runs.lab,
        &runs.params,
        &runs.machine,
        &runs.app_version,
        &runs.item_refs(),
    ))
}

/// `file` as JSON text.
pub fn to_json(file: &RunFile) -> String {
    // Serializing plain data to a string cannot fail.
    serde_json::to_string(file).unwrap_or_default()
}

/// Reads an export from `text`: its size and nesting, then the whole of it. Only a file that
/// does not parse is read again for its header alone, so a file of a newer version is refused
/// as such, not as malformed.
pub fn load(text: &str) -> Result<Imported, ImportError> {
    precheck(text)?;
    match serde_json::from_str::<RunFile>(text) {
        Ok(file) => import(file),
        Err(error) => {
            if let Ok(header) = serde_json::from_str::<Header>(text) {
                check_header(&header)?;
            }
            Err(ImportError::Malformed(error.to_string()))
        }
    }
}

/// Checks `text`'s size and nesting before it is parsed.
pub fn precheck(text: &str) -> Result<(), ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::TooLarge(text.len()));
    }
    if nesting_depth(text) > MAX_DEPTH {
        return Err(ImportError::TooDeep);
    }
    Ok(())
}

/// The schema and version a parsed file claims, read before the rest of it: a file of a newer
/// version is refused as such, not as malformed.
#[derive(Deserialize)]
pub struct Header {
    /// [`SCHEMA`], if it is an export.
    #[serde(default)]
    pub schema: String,
    /// Its version.
    #[serde(default)]
    pub version: u32,
}

/// Checks a file's header: ours, and a version this page reads.
pub fn check_header(header: &Header) -> Result<(), ImportError> {
    if header.schema != SCHEMA {
        return Err(ImportError::Malformed(format!(
            "its \"schema\" is not \"{SCHEMA}\""
        )));
    }
    match header.version {
        0 => Err(ImportError::Malformed("it has no \"version\"".into())),
        v if v > VERSION => Err(ImportError::NewerVersion(v)),
        _ => Ok(()),
    }
}

/// A lab's parameters from the file, each checked as the URL's would be.
fn params_of(lab: &labs::LabSpec, raw: &[(String, String)]) -> Result<ParamValues, ImportError> {
    let mut values = lab.default_values();
    for (key, text) in raw {
        let spec = lab
            .param(key)
            .ok_or_else(|| invalid(format!("a parameter {key:?} that {} does not have", lab.id)))?;
        let value = spec
            .parse(text)
            .map_err(|e| invalid(format!("{key} = {text:?}, which is refused: {e}")))?;
        values.set(spec.key, value);
    }
    Ok(values)
}

fn invalid(what: String) -> ImportError {
    ImportError::Invalid(what)
}

fn find_lab(id: &str) -> Result<&'static labs::LabSpec, ImportError> {
    labs::find(id).ok_or_else(|| invalid(format!("a lab {id:?} that this page does not have")))
}

/// Rebuilds what `file` holds, refusing anything no run of this page could have recorded.
pub fn import(file: RunFile) -> Result<Imported, ImportError> {
    check_header(&Header {
        schema: file.schema.clone(),
        version: file.version,
    })?;
    let lab = find_lab(&file.lab)?;
    if !matches!(lab.body, labs::LabBody::Workload | labs::LabBody::Compare) {
        return Err(invalid(format!(
            "runs of the {} lab, whose page shows no runs",
            lab.id
        )));
    }
    let params = params_of(lab, &file.params)?;
    if file.items.is_empty() {
        return Err(invalid("no runs".into()));
    }
    let mut items = Vec::with_capacity(file.items.len());
    for (i, item) in file.items.into_iter().enumerate() {
        let n = i + 1;
        let item_lab = find_lab(&item.lab)?;
        // A lab's file holds that lab's runs with its parameters (compare's, its rows').
        if lab.body == labs::LabBody::Workload
            && (item_lab.id != lab.id || item.params != file.params)
        {
            return Err(invalid(format!(
                "a run of another lab or other parameters (run {n}) in a file of the {} lab",
                lab.id
            )));
        }
        let executor = ExecutorId::parse(&item.executor).ok_or_else(|| {
            invalid(format!(
                "an executor {:?} (run {n}) that this page does not have",
                item.executor
            ))
        })?;
        let item_params = params_of(item_lab, &item.params)?;
        let trace = rebuild(executor, item.trace).map_err(|e| invalid(format!("{e} (run {n})")))?;
        let finite = |x: f64| x.is_finite() && x >= 0.0;
        if !finite(item.expected_ms) || !item.predicted_ms.is_none_or(finite) {
            return Err(invalid(format!(
                "a predicted time that is not a time (run {n})"
            )));
        }
        items.push((
            ItemInfo {
                lab: item_lab.id,
                params: item_params,
                expected_ms: item.expected_ms,
                predicted_ms: item.predicted_ms,
            },
            trace,
        ));
    }
    Ok(Imported {
        lab,
        params,
        machine: file.machine,
        app_version: file.app_version,
        items,
    })
}

/// A trace from its record, every column checked.
fn rebuild(executor: ExecutorId, r: TraceRecord) -> Result<Trace, String> {
    let status = match r.status.as_str() {
        "finished" => RunStatus::Finished,
        "stopped" => RunStatus::Stopped,
        "failed" => RunStatus::Failed,
        other => return Err(format!("a status {other:?}")),
    };
    let time = |t: f64| t.is_finite() && (0.0..=1e9).contains(&t);
    if !time(r.wall_ms) {
        return Err("a wall time that is not a time".into());
    }
    let tasks = r.task_count as usize;
    if tasks > MAX_ITEMS || r.tasks_done > r.task_count {
        return Err("more tasks done than it had, or more than the page runs".into());
    }
    let ev = &r.events;
    let n = ev.t_ms.len();
    let steps = r.step_kinds.len();
    if n > MAX_ITEMS
        || [ev.kind.len(), ev.task.len(), ev.step.len(), ev.lane.len()]
            .iter()
            .any(|len| *len != n)
    {
        return Err("event columns of different lengths".into());
    }
    if !ev.t_ms.iter().all(|t| time(*t))
        || ev.task.iter().any(|t| *t as usize >= tasks)
        || ev.step.iter().any(|s| usize::from(*s) >= steps.max(1))
    {
        return Err("an event outside the run (its time, task or step)".into());
    }
    let out = &r.output;
    if out.t_ms.len() > MAX_ITEMS
        || out.task.len() != out.t_ms.len()
        || out.text.len() != out.t_ms.len()
        || !out.t_ms.iter().all(|t| time(*t))
        || out.text.iter().any(|i| *i as usize >= out.texts.len())
    {
        return Err("printed lines that do not add up".into());
    }
    let spans = match r.spans {
        None => None,
        Some(s) => {
            let ordered = |v: &[f32]| {
                v.iter().all(|t| time(f64::from(*t))) && v.windows(2).all(|w| w[0] <= w[1])
            };
            if s.start_ms.len() > tasks
                || s.end_ms.len() > s.start_ms.len()
                || !ordered(&s.start_ms)
                || !ordered(&s.end_ms)
            {
                return Err("task spans that are not in order".into());
            }
            let mut end_ms = s.end_ms;
            end_ms.resize(s.start_ms.len(), f32::NAN);
            Some(TaskSpans {
                start_ms: s.start_ms,
                end_ms,
            })
        }
    };
    if !r
        .startup
        .iter()
        .all(|s| s.from_ms.is_finite() && time(s.to_ms))
    {
        return Err("a start-up that is not a time".into());
    }
    let mut trace = Trace {
        executor,
        task_count: r.task_count,
        step_kinds: r.step_kinds,
        events: r.events,
        output: r.output,
        status,
        error: r.error,
        wall_ms: r.wall_ms,
        tasks_done: r.tasks_done,
        hidden_during_run: r.hidden_during_run,
        startup: r.startup,
        call_names: r.call_names,
        spans,
        memory_bytes: r.memory_bytes,
        figures: Default::default(),
    };
    trace.figures = sim::summary::figures(&trace);
    Ok(trace)
}

#[cfg(test)]
mod tests;
