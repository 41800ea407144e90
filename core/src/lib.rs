//! The pure core of Async Playground.
//!
//! Nothing here touches the browser: workloads, the labs and executors registries, the
//! executors' scheduling logic (generic over a [`exec::Runtime`]), traces and everything
//! derived from them, and the URL state. All of it is tested natively with `cargo test`.

pub mod announce;
pub mod cpu;
pub mod density;
pub mod exec;
pub mod executors;
pub mod export;
pub mod format;
pub mod generators;
pub mod labs;
pub mod message;
pub mod model;
pub mod order;
pub mod page;
pub mod params;
pub mod plan;
pub mod predict;
pub mod run_state;
pub mod summary;
pub mod timeline;
pub mod timeline_table;
pub mod timers;
pub mod trace;
pub mod url_state;
pub mod worker_protocol;
pub mod workload;
