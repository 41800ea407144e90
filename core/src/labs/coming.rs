//! Labs listed on the home page whose pages are not built yet: each says it is coming.

use super::{LabBody, LabSpec};
use crate::cpu::Calibration;
use crate::workload::Workload;

/// The workload of a lab that runs none (its body is not a workload).
pub(super) fn no_workload(_: &super::LabValues, _: &Calibration) -> Workload {
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
        python: no_python,
        article: "",
        article_ms: &[],
        workload: no_workload,
    }
}

/// The Python of a lab with none of its own (each case of pitfalls shows its own).
pub(super) fn no_python(_: &super::Program) -> String {
    String::new()
}

/// Everything measured against the article's table.
pub const COMPARE: LabSpec = coming(
    "compare",
    "Compare everything",
    "All",
    "The article's table reproduced: every workload on every executor, beside the article's figures.",
);
