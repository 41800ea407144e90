//! Labs listed on the home page whose pages are not built yet: each says it is coming.

use super::{LabSpec, LabStatus};
use crate::cpu::Calibration;
use crate::params::ParamValues;
use crate::workload::Workload;

fn no_workload(_: &ParamValues, _: &Calibration) -> Workload {
    Workload {
        task_count: 0,
        steps: Vec::new(),
    }
}

const fn coming(
    id: &'static str,
    title: &'static str,
    section: &'static str,
    summary: &'static str,
) -> LabSpec {
    LabSpec {
        id,
        title,
        summary,
        section,
        status: LabStatus::ComingSoon,
        params: &[],
        executors: &[],
        default_executors: &[],
        python: "",
        notice: &[],
        corrections: &[],
        workload: no_workload,
    }
}

/// The hand-made generator event loop.
pub const GENERATORS: LabSpec = coming(
    "generators",
    "Build your own event loop",
    "Back to the hello example",
    "The article's generator scheduler and its five versions of hello, stepped one next() at a time.",
);
/// 200 real requests.
pub const HTTP: LabSpec = coming(
    "http",
    "HTTP requests",
    "HTTP request",
    "200 real fetches on every executor, with the browser's per-host connection limit made visible.",
);
/// CPU and I/O mixed.
pub const MIXED: LabSpec = coming(
    "mixed",
    "Mixing HTTP and CPU",
    "Mixing http request and isPrime",
    "The article's mixed task (cpu, 10 requests, cpu) on every executor.",
);
/// SyncCat, AsyncCat and run_in_executor.
pub const CATS: LabSpec = coming(
    "cats",
    "Cats",
    "Cats",
    "SyncCat vs AsyncCat vs run_in_executor, one lane per cat with its nested calls.",
);
/// Everything measured against the article's table.
pub const COMPARE: LabSpec = coming(
    "compare",
    "Compare everything",
    "All",
    "The article's table reproduced: every workload on every executor, beside the article's figures.",
);
/// Common mistakes with await.
pub const PITFALLS: LabSpec = coming(
    "pitfalls",
    "Await pitfalls",
    "All",
    "Awaiting a blocking call, forgetting to await, blocking sleep inside async: what each does.",
);
