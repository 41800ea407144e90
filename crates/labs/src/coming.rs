//! What a lab that runs no workload of its own has in place of one.

use sim::cpu::Calibration;
use sim::workload::Workload;

/// The workload of a lab that runs none (its body is not a workload).
pub(super) fn no_workload(_: &super::LabValues, _: &Calibration) -> Workload {
    Workload::default()
}

/// The Python of a lab with none of its own (each case of pitfalls shows its own).
pub(super) fn no_python(_: &super::Program) -> String {
    String::new()
}
