//! The embed API's messages, as plain data (the browser edge posts and reads them).

use crate::run_state::RunState;
use labs::params::{ParamValue, ParamValues};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use sim::summary::{summarize, Summary};
use sim::trace::RunStatus;

/// Every lab parameter with its typed value, in the lab's order.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamsObject(pub ParamValues);

impl Serialize for ParamsObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in self.0.iter() {
            match value {
                ParamValue::Int(n) => map.serialize_entry(key, n)?,
                ParamValue::Float(x) => map.serialize_entry(key, x)?,
                ParamValue::Choice(s) => map.serialize_entry(key, s)?,
                ParamValue::Auto => map.serialize_entry(key, "auto")?,
                ParamValue::Text(s) => map.serialize_entry(key, s)?,
            }
        }
        map.end()
    }
}

/// One executor's line of a result message.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExecutorResult {
    /// The executor id.
    pub name: &'static str,
    /// `finished`, `stopped` or `failed`.
    pub status: &'static str,
    /// Measured wall time, ms.
    pub wall_ms: f64,
    /// The model's prediction, ms.
    pub expected_ms: f64,
    /// Tasks that ended.
    pub tasks_done: u32,
    /// Tasks in the workload.
    pub tasks_total: u32,
    /// The learner's prediction, ms, where they gave one (left out otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicted_ms: Option<f64>,
}

impl From<&Summary> for ExecutorResult {
    fn from(s: &Summary) -> Self {
        ExecutorResult {
            name: s.name,
            status: s.status.id(),
            wall_ms: round_ms(s.wall_ms),
            expected_ms: round_ms(s.expected_ms),
            tasks_done: s.tasks_done,
            tasks_total: s.tasks_total,
            predicted_ms: None,
        }
    }
}

fn round_ms(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

/// `{type: "async-playground:result", id, lab, params, executors}`, one per ended run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultMessage {
    /// Always `async-playground:result`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The embed's `id` URL key, echoed (null when absent).
    pub id: Option<String>,
    /// The lab id.
    pub lab: &'static str,
    /// Every lab parameter.
    pub params: ParamsObject,
    /// One entry per executor of the run, in run order.
    pub executors: Vec<ExecutorResult>,
}

/// The summaries of every executor of an ended run: those that ran from their traces, the
/// rest as not started with the run's final status.
pub fn run_summaries(state: &RunState, status: RunStatus, tasks_total: u32) -> Vec<Summary> {
    state
        .plan
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let expected = item.projected_ms;
            match state.traces.get(i) {
                Some(trace) => summarize(trace, expected),
                None => Summary::not_started(item.executor.id(), status, expected, tasks_total),
            }
        })
        .collect()
}

/// A message from the host page, as it is read: its `type` (its other fields are ignored).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct HostMessage {
    /// `async-playground:run`, `async-playground:stop`, or anything else (ignored).
    #[serde(rename = "type")]
    pub kind: String,
}

/// What the host page asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostCommand {
    /// `{type: "async-playground:run"}`.
    Run,
    /// `{type: "async-playground:stop"}`.
    Stop,
}

impl HostMessage {
    /// The command it gives, if it is one.
    pub fn command(&self) -> Option<HostCommand> {
        match self.kind.as_str() {
            "async-playground:run" => Some(HostCommand::Run),
            "async-playground:stop" => Some(HostCommand::Stop),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_state::RunEvent;
    use sim::executors::ExecutorId;
    use sim::trace::TraceRecorder;

    #[test]
    fn a_result_message_has_the_documented_shape() {
        let lab = labs::find("hello").unwrap();
        let state = RunState::default().apply(RunEvent::Requested {
            plan: crate::testing::hello_plan(&[ExecutorId::Sequential, ExecutorId::EventLoop]),
            needs_confirmation: false,
        });
        let rec = TraceRecorder::new(ExecutorId::Sequential, 2, vec![], 0.0);
        rec.task_ended(1.0, 0, 0);
        let state = state.apply(RunEvent::ExecutorEnded {
            run_number: 1,
            trace: std::rc::Rc::new(rec.finish(1500.04, RunStatus::Stopped, None)),
        });
        let summaries = run_summaries(&state, RunStatus::Stopped, 2);
        let msg = ResultMessage {
            kind: "async-playground:result",
            id: Some("lesson-1".into()),
            lab: lab.id,
            params: ParamsObject(lab.default_values()),
            executors: summaries.iter().map(ExecutorResult::from).collect(),
        };
        let json = serde_json::to_value(&msg).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "type": "async-playground:result",
                "id": "lesson-1",
                "lab": "hello",
                "params": {"tasks": 2, "seconds": 1.0, "sleep": "async", "switch_ms": 5.0, "gil": "on"},
                "executors": [
                    {"name": "sequential", "status": "stopped", "wall_ms": 1500.0,
                     "expected_ms": 2000.0, "tasks_done": 1, "tasks_total": 2},
                    {"name": "event-loop", "status": "stopped", "wall_ms": 0.0,
                     "expected_ms": 1000.0, "tasks_done": 0, "tasks_total": 2},
                ]
            })
        );
    }

    #[test]
    fn a_host_message_decodes_by_its_type_whatever_else_it_holds() {
        let decode = |text: &str| {
            serde_json::from_str::<HostMessage>(text)
                .ok()
                .and_then(|m| m.command())
        };
        assert_eq!(
            decode(r#"{"type": "async-playground:run", "id": 7}"#),
            Some(HostCommand::Run)
        );
        assert_eq!(
            decode(r#"{"type": "async-playground:stop"}"#),
            Some(HostCommand::Stop)
        );
        assert_eq!(decode(r#"{"type": "async-playground:resize"}"#), None);
        assert_eq!(decode(r#"{"kind": "async-playground:run"}"#), None);
        assert_eq!(decode(r#""async-playground:run""#), None);
    }
}
