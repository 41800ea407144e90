//! The messages between the page and a pool worker (a Web Worker with its own wasm instance).

use crate::exec::Client;
use crate::trace::{Events, Output};
use crate::workload::Step;
use serde::{Deserialize, Serialize};

/// What the page asks of a worker. Externally tagged (`{"run-tasks": {...}}`): an internally
/// tagged enum would buffer every message and cost the page's download several kilobytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToWorker {
    /// Run these tasks concurrently on the worker's own event loop (one task: a plain process
    /// of `multiprocessing.Pool`; several: asyncio inside the process), each running `steps`.
    RunTasks {
        tasks: Vec<u32>,
        steps: Vec<Step>,
        /// How the tasks make their requests.
        client: Client,
    },
}

/// What a worker tells the page. Times are milliseconds since the Unix epoch
/// (`performance.timeOrigin + performance.now()`), so the page can put them on its own axis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FromWorker {
    /// The worker's wasm is instantiated and it listens.
    Ready { at_epoch_ms: f64 },
    /// A task ended; its events and printed lines, in epoch ms.
    TaskDone {
        task: u32,
        events: Events,
        output: Output,
    },
    /// The worker could not run what it was sent.
    Refused { message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_tagged_by_variant() {
        let msg = ToWorker::RunTasks {
            tasks: vec![3],
            steps: vec![Step::Sleep { ms: 5.0 }],
            client: Client::Blocking,
        };
        let json = serde_json::to_value(&msg).unwrap();
        assert_eq!(json["run-tasks"]["tasks"], serde_json::json!([3]));
        let back: ToWorker = serde_json::from_value(json).unwrap();
        assert_eq!(back, msg);
        let ready: FromWorker =
            serde_json::from_value(serde_json::json!({"ready": {"at_epoch_ms": 1.5}})).unwrap();
        assert_eq!(ready, FromWorker::Ready { at_epoch_ms: 1.5 });
    }
}
