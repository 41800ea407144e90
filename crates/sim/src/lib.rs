//! The simulation layer of Async Playground: what runs, and what a run leaves behind.
//!
//! Workloads as plain data, the executors' scheduling logic (generic over an
//! [`exec::Runtime`], so a virtual clock runs it in tests), the timer wheel, the GIL, the
//! generator scheduler, the CPU job, traces and everything derived from them (summaries,
//! timelines, densities), and the models that predict a run. It knows nothing of labs or of
//! the page, and nothing here touches the browser.

pub mod cpu;
pub mod cpython;
pub mod cursor;
pub mod density;
pub mod exec;
pub mod executors;
pub mod format;
pub mod generators;
pub mod model;
pub mod order;
pub mod summary;
pub mod timeline;
pub mod timeline_table;
pub mod timeline_tree;
pub mod timers;
pub mod trace;
pub mod worker_protocol;
pub mod workload;
