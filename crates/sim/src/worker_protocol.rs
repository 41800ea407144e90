//! The messages between the page and a pool worker (a Web Worker with its own wasm instance).

use crate::exec::ThreadSettings;
use crate::executors::Client;
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
    /// Run these tasks as threads of this worker's interpreter (its own GIL, or its own core
    /// when free-threaded), each running `steps`, recording them on lane `lane`.
    RunThreads {
        tasks: Vec<u32>,
        steps: Vec<Step>,
        settings: ThreadSettings,
        lane: u32,
    },
    /// Run one call handed over by `loop.run_in_executor`: `steps` of `task` (numbered from
    /// `first_step`) on a thread of this interpreter's pool of `threads` threads.
    RunCall {
        call: u32,
        task: u32,
        first_step: u16,
        steps: Vec<Step>,
        threads: u32,
        switch_ms: f64,
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
    /// What the threads recorded since the last such message (sent every 100 ms or so, and
    /// when the last thread ended), in epoch ms.
    Recorded { events: Events, output: Output },
    /// A handed-over call ended; its events and printed lines, in epoch ms.
    CallDone {
        call: u32,
        events: Events,
        output: Output,
    },
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
        let threads = ToWorker::RunThreads {
            tasks: vec![0, 2],
            steps: vec![
                Step::Enter {
                    name: "exists".into(),
                    offload: false,
                },
                Step::Exit,
            ],
            settings: ThreadSettings::default(),
            lane: 1,
        };
        let json = serde_json::to_value(&threads).unwrap();
        assert_eq!(json["run-threads"]["settings"]["switch_ms"], 5.0);
        assert_eq!(json["run-threads"]["steps"][1], "Exit");
        assert_eq!(serde_json::from_value::<ToWorker>(json).unwrap(), threads);
    }
}
