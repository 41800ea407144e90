//! A run as a plan of items: which lab's workload, with which parameter values, on which
//! executor, and how long the model expects it to take. A lab's run is a plan of one item per
//! chosen executor; the compare lab's is a plan of its table's rows (each `repeat` times). The
//! driver, the confirmation of long runs, the result messages and export all walk it.

use crate::params::ParamValues;
use crate::LabSpec;
use sim::cpu::Calibration;
use sim::executors::expected_ms;
use sim::executors::ExecutorId;
use sim::model::Machine;
use sim::workload::Workload;

/// One run of a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanItem {
    /// The lab whose workload runs (its id).
    pub lab: &'static str,
    /// That lab's parameters, resolved (no `auto` left).
    pub values: ParamValues,
    /// The executor it runs on.
    pub executor: ExecutorId,
    /// What the model expects it to take here, ms.
    pub projected_ms: f64,
}

impl PlanItem {
    /// An item of `lab` with resolved `values` on `executor`, projected on this page.
    pub fn new(
        lab: &'static LabSpec,
        values: ParamValues,
        executor: ExecutorId,
        calibration: &Calibration,
    ) -> PlanItem {
        let workload = lab.build(&values, calibration);
        let machine = machine_of(&values, calibration);
        PlanItem {
            lab: lab.id,
            projected_ms: expected_ms(executor, &workload, &machine),
            values,
            executor,
        }
    }

    /// Its lab.
    pub fn lab(&self) -> &'static LabSpec {
        // Items are only ever made from registered labs.
        crate::find(self.lab).unwrap_or(&crate::LABS[0])
    }

    /// The workload it runs on a page calibrated as `calibration`.
    pub fn workload(&self, calibration: &Calibration) -> Workload {
        self.lab().build(&self.values, calibration)
    }

    /// The machine its values describe (pool size, the GIL's settings).
    pub fn machine(&self, calibration: &Calibration) -> Machine {
        machine_of(&self.values, calibration)
    }
}

/// The machine `values` describe on a page calibrated as `calibration`.
pub fn machine_of(values: &ParamValues, calibration: &Calibration) -> Machine {
    let values = crate::LabValues::decode(values);
    Machine {
        workers: values.workers.unwrap_or(calibration.cores),
        cores: calibration.cores,
        switch_ms: values.switch_ms,
        free_threaded: values.gil_off,
        browser_timers: values.browser_timers,
    }
}

/// The projected wall time of a whole plan, ms.
pub fn total_ms(items: &[PlanItem]) -> f64 {
    items.iter().map(|i| i.projected_ms).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan of the hello lab on `executors`, at its defaults.
    fn items(executors: &[ExecutorId]) -> Vec<PlanItem> {
        let lab = crate::find("hello").unwrap();
        executors
            .iter()
            .map(|e| PlanItem::new(lab, lab.default_values(), *e, &Calibration::default()))
            .collect()
    }

    #[test]
    fn an_item_projects_its_own_workload_on_its_own_machine() {
        let plan = items(&[ExecutorId::Sequential, ExecutorId::EventLoop]);
        assert_eq!(plan[0].lab().id, "hello");
        assert!(plan[0].projected_ms > plan[1].projected_ms * 1.5);
        assert_eq!(total_ms(&plan), plan[0].projected_ms + plan[1].projected_ms);
        assert_eq!(
            plan[1].workload(&Calibration::default()).task_count,
            plan[0].workload(&Calibration::default()).task_count
        );
    }
}
