//! The messages between the page and a pool worker (a Web Worker with its own wasm instance),
//! and their one encoding: postcard's bytes, posted as a `Uint8Array` (a copy of bytes, and a
//! decoder with no call into JavaScript per value: a worker's record of thousands of events
//! costs the page one copy).

use crate::exec::ThreadSettings;
use crate::executors::Client;
use crate::trace::{Events, Output};
use crate::workload::Step;
use serde::de::DeserializeOwned;
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
    /// Run these tasks one after another, as a process of `Pool.map` runs the chunk of tasks it
    /// took; answered by one `ChunkDone`.
    RunChunk {
        tasks: Vec<u32>,
        steps: Vec<Step>,
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
    /// A chunk's tasks ended (`RunChunk`); their events and printed lines, in epoch ms.
    ChunkDone {
        tasks: Vec<u32>,
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

/// A message as the bytes that are posted; a number too large for its field's type, or
/// anything else serde refuses, in words.
pub fn encode(message: &impl Serialize) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(message).map_err(|e| format!("the message could not be written ({e})"))
}

/// A message read back from the bytes posted; why not, in words.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("the message could not be read ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::EventKind;

    fn recorded() -> (Events, Output) {
        let events = Events {
            t_ms: vec![1.5, 2.25],
            kind: vec![EventKind::TaskStarted, EventKind::TaskEnded],
            task: vec![4, 4],
            step: vec![0, 0],
            lane: vec![1, 1],
        };
        let output = Output {
            t_ms: vec![2.0],
            task: vec![4],
            text: vec![0],
            texts: vec!["hello".into()],
        };
        (events, output)
    }

    /// Every message either way, as the page and a worker send it (serde's shape), reads back
    /// as itself.
    #[test]
    fn every_message_round_trips() {
        let steps = vec![
            Step::Print("hi".into()),
            Step::Sleep { ms: 5.0 },
            Step::Cpu {
                n: 101,
                estimate_ms: 2.0,
            },
        ];
        let to = [
            ToWorker::RunTasks {
                tasks: vec![1, 2],
                steps: steps.clone(),
                client: Client::Async,
            },
            ToWorker::RunChunk {
                tasks: vec![3, 4, 5],
                steps: steps.clone(),
                client: Client::Blocking,
            },
            ToWorker::RunThreads {
                tasks: vec![0],
                steps: steps.clone(),
                settings: ThreadSettings::default(),
                lane: 2,
            },
            ToWorker::RunCall {
                call: 7,
                task: 1,
                first_step: 2,
                steps,
                threads: 6,
                switch_ms: 5.0,
            },
        ];
        for message in to {
            let bytes = encode(&message).unwrap();
            assert_eq!(decode::<ToWorker>(&bytes), Ok(message.clone()));
            let json = serde_json::to_string(&message).unwrap();
            assert_eq!(serde_json::from_str::<ToWorker>(&json).unwrap(), message);
        }
        let (events, output) = recorded();
        let from = [
            FromWorker::Ready { at_epoch_ms: 1.0 },
            FromWorker::TaskDone {
                task: 4,
                events: events.clone(),
                output: output.clone(),
            },
            FromWorker::ChunkDone {
                tasks: vec![4],
                events: events.clone(),
                output: output.clone(),
            },
            FromWorker::Refused {
                message: "no".into(),
            },
            FromWorker::Recorded {
                events: events.clone(),
                output: output.clone(),
            },
            FromWorker::CallDone {
                call: 1,
                events,
                output,
            },
        ];
        for message in from {
            let bytes = encode(&message).unwrap();
            assert_eq!(decode::<FromWorker>(&bytes), Ok(message.clone()));
            let json = serde_json::to_string(&message).unwrap();
            assert_eq!(serde_json::from_str::<FromWorker>(&json).unwrap(), message);
        }
        // Bytes cut short, or of another message, are refused in words.
        let bytes = encode(&FromWorker::Ready { at_epoch_ms: 1.0 }).unwrap();
        assert!(decode::<FromWorker>(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode::<FromWorker>(&[200, 1, 2]).is_err());
    }

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
