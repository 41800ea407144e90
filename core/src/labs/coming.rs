//! Labs listed on the home page whose pages are not built yet: each says it is coming.

use super::{LabBody, LabSpec};
use crate::cpu::Calibration;
use crate::params::ParamValues;
use crate::workload::Workload;

fn no_workload(_: &ParamValues, _: &Calibration) -> Workload {
    Workload::default()
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
        body: LabBody::ComingSoon,
        params: &[],
        executors: &[],
        default_executors: &[],
        python: "",
        notice: &[],
        corrections: &[],
        article_ms: &[],
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
