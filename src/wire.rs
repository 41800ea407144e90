//! The page's side of the worker protocol, written and read with `js_sys` directly. The shapes
//! are those `serde_wasm_bindgen` gives the worker (`{"run-tasks": {...}}`, `{"ready": {...}}`),
//! without serde's generic code in the page's download.

use js_sys::{Array, Object, Reflect};
use sim::executors::Client;
use sim::trace::{EventKind, Events, Output};
use sim::worker_protocol::{FromWorker, ToWorker};
use sim::workload::Step;
use wasm_bindgen::{JsCast, JsValue};

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A plain object with these fields, in this order.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let target = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&target, &JsValue::from_str(key), value);
    }
    target.into()
}

fn tagged(tag: &str, value: JsValue) -> JsValue {
    object(&[(tag, value)])
}

fn step_value(step: &Step) -> Result<JsValue, String> {
    Ok(match step {
        Step::Print(text) => tagged("Print", JsValue::from_str(text)),
        Step::Sleep { ms } => tagged("Sleep", object(&[("ms", JsValue::from_f64(*ms))])),
        Step::BlockingSleep { ms } => {
            tagged("BlockingSleep", object(&[("ms", JsValue::from_f64(*ms))]))
        }
        Step::Cpu { n, estimate_ms } => {
            if *n > MAX_SAFE_INTEGER {
                return Err(format!("{n} can't be represented as a JavaScript number"));
            }
            tagged(
                "Cpu",
                object(&[
                    ("n", JsValue::from_f64(*n as f64)),
                    ("estimate_ms", JsValue::from_f64(*estimate_ms)),
                ]),
            )
        }
        Step::Fetch {
            requests,
            url,
            delay_ms,
            timeout_ms,
        } => tagged(
            "Fetch",
            object(&[
                ("requests", JsValue::from(*requests)),
                ("url", JsValue::from_str(url)),
                ("delay_ms", JsValue::from_f64(*delay_ms)),
                ("timeout_ms", JsValue::from_f64(*timeout_ms)),
            ]),
        ),
        Step::Enter { name, offload } => tagged(
            "Enter",
            object(&[
                ("name", JsValue::from_str(name)),
                ("offload", JsValue::from_bool(*offload)),
            ]),
        ),
        // serde writes a unit variant as its name.
        Step::Exit => JsValue::from_str("Exit"),
    })
}

fn step_list(steps: &[Step]) -> Result<JsValue, String> {
    let list = Array::new();
    for step in steps {
        list.push(&step_value(step)?);
    }
    Ok(list.into())
}

fn u32_array(values: &[u32]) -> JsValue {
    values
        .iter()
        .map(|v| JsValue::from(*v))
        .collect::<Array>()
        .into()
}

/// `RunTasks` messages of one run: its steps and client written once, each message then
/// naming only its tasks (a pool sends thousands).
pub struct RunTasks {
    steps: JsValue,
    client: JsValue,
}

impl RunTasks {
    /// The messages of a run of `steps` whose requests go as `client` says.
    pub fn new(steps: &[Step], client: Client) -> Result<RunTasks, String> {
        Ok(RunTasks {
            steps: step_list(steps)?,
            client: JsValue::from_str(match client {
                Client::Async => "Async",
                Client::Blocking => "Blocking",
            }),
        })
    }

    /// The message that runs `tasks`.
    pub fn message(&self, tasks: &[u32]) -> JsValue {
        tagged(
            "run-tasks",
            object(&[
                ("tasks", u32_array(tasks)),
                ("steps", self.steps.clone()),
                ("client", self.client.clone()),
            ]),
        )
    }
}

/// A message to a worker as a JS value.
pub fn to_worker(message: &ToWorker) -> Result<JsValue, String> {
    match message {
        ToWorker::RunTasks {
            tasks,
            steps,
            client,
        } => Ok(RunTasks::new(steps, *client)?.message(tasks)),
        ToWorker::RunThreads {
            tasks,
            steps,
            settings,
            lane,
        } => Ok(tagged(
            "run-threads",
            object(&[
                ("tasks", u32_array(tasks)),
                ("steps", step_list(steps)?),
                (
                    "settings",
                    object(&[
                        ("switch_ms", JsValue::from_f64(settings.switch_ms)),
                        ("one_thread", JsValue::from_bool(settings.one_thread)),
                    ]),
                ),
                ("lane", JsValue::from(*lane)),
            ]),
        )),
        ToWorker::RunCall {
            call,
            task,
            first_step,
            steps,
            threads,
            switch_ms,
        } => Ok(tagged(
            "run-call",
            object(&[
                ("call", JsValue::from(*call)),
                ("task", JsValue::from(*task)),
                ("first_step", JsValue::from(*first_step)),
                ("steps", step_list(steps)?),
                ("threads", JsValue::from(*threads)),
                ("switch_ms", JsValue::from_f64(*switch_ms)),
            ]),
        )),
    }
}

fn field(from: &JsValue, key: &str) -> Result<JsValue, String> {
    Reflect::get(from, &JsValue::from_str(key))
        .ok()
        .filter(|value| !value.is_undefined())
        .ok_or_else(|| format!("missing field `{key}`"))
}

fn list(from: &JsValue, key: &str) -> Result<Array, String> {
    field(from, key)?
        .dyn_into::<Array>()
        .map_err(|_| format!("`{key}` is not a sequence"))
}

/// A whole number from 0 to `max`.
fn whole(value: JsValue, key: &str, max: f64) -> Result<f64, String> {
    value
        .as_f64()
        .filter(|x| x.fract() == 0.0 && (0.0..=max).contains(x))
        .ok_or_else(|| format!("`{key}` holds an invalid number"))
}

/// The whole numbers in `from[key]`, each from 0 to `max`.
fn whole_numbers(from: &JsValue, key: &str, max: f64) -> Result<Vec<f64>, String> {
    list(from, key)?
        .iter()
        .map(|item| whole(item, key, max))
        .collect()
}

fn u32_list(from: &JsValue, key: &str) -> Result<Vec<u32>, String> {
    Ok(whole_numbers(from, key, f64::from(u32::MAX))?
        .into_iter()
        .map(|x| x as u32)
        .collect())
}

fn f64_list(from: &JsValue, key: &str) -> Result<Vec<f64>, String> {
    list(from, key)?
        .iter()
        .map(|item| {
            item.as_f64()
                .ok_or_else(|| format!("`{key}` holds an invalid number"))
        })
        .collect()
}

fn string(value: JsValue, key: &str) -> Result<String, String> {
    value
        .as_string()
        .ok_or_else(|| format!("`{key}` is not a string"))
}

fn event_kind(value: JsValue) -> Result<EventKind, String> {
    match string(value, "kind")?.as_str() {
        "task-started" => Ok(EventKind::TaskStarted),
        "task-ended" => Ok(EventKind::TaskEnded),
        "step-started" => Ok(EventKind::StepStarted),
        "step-ended" => Ok(EventKind::StepEnded),
        "request-sent" => Ok(EventKind::RequestSent),
        "request-failed" => Ok(EventKind::RequestFailed),
        "request-answered" => Ok(EventKind::RequestAnswered),
        "gil-requested" => Ok(EventKind::GilRequested),
        "gil-acquired" => Ok(EventKind::GilAcquired),
        "gil-released" => Ok(EventKind::GilReleased),
        "call-entered" => Ok(EventKind::CallEntered),
        "call-exited" => Ok(EventKind::CallExited),
        other => Err(format!("unknown variant `{other}`")),
    }
}

fn events(from: &JsValue) -> Result<Events, String> {
    Ok(Events {
        t_ms: f64_list(from, "t_ms")?,
        kind: list(from, "kind")?
            .iter()
            .map(event_kind)
            .collect::<Result<_, _>>()?,
        task: u32_list(from, "task")?,
        step: whole_numbers(from, "step", f64::from(u16::MAX))?
            .into_iter()
            .map(|x| x as u16)
            .collect(),
        lane: u32_list(from, "lane")?,
    })
}

fn output(from: &JsValue) -> Result<Output, String> {
    Ok(Output {
        t_ms: f64_list(from, "t_ms")?,
        task: u32_list(from, "task")?,
        text: u32_list(from, "text")?,
        texts: list(from, "texts")?
            .iter()
            .map(|text| string(text, "texts"))
            .collect::<Result<_, _>>()?,
    })
}

/// A worker's message, read from its JS value.
pub fn from_worker(value: &JsValue) -> Result<FromWorker, String> {
    if !value.is_object() {
        return Err("expected an object".into());
    }
    let keys = Object::keys(value.unchecked_ref::<Object>());
    if keys.length() != 1 {
        return Err("expected an object with one key".into());
    }
    let tag = string(keys.get(0), "key")?;
    let body = field(value, &tag)?;
    match tag.as_str() {
        "ready" => Ok(FromWorker::Ready {
            at_epoch_ms: field(&body, "at_epoch_ms")?
                .as_f64()
                .ok_or("`at_epoch_ms` is not a number")?,
        }),
        "task-done" => Ok(FromWorker::TaskDone {
            task: whole(field(&body, "task")?, "task", f64::from(u32::MAX))? as u32,
            events: events(&field(&body, "events")?)?,
            output: output(&field(&body, "output")?)?,
        }),
        "refused" => Ok(FromWorker::Refused {
            message: string(field(&body, "message")?, "message")?,
        }),
        "recorded" => Ok(FromWorker::Recorded {
            events: events(&field(&body, "events")?)?,
            output: output(&field(&body, "output")?)?,
        }),
        "call-done" => Ok(FromWorker::CallDone {
            call: whole(field(&body, "call")?, "call", f64::from(u32::MAX))? as u32,
            events: events(&field(&body, "events")?)?,
            output: output(&field(&body, "output")?)?,
        }),
        other => Err(format!("unknown variant `{other}`")),
    }
}
