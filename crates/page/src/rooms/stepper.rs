//! The generators lab's page: the hand-made event loop stepped one `next()` at a time. Its
//! state is a [`StepperRoom`] (the stepper, programmed from the page's parameters, and the
//! values of its last run) and its actions are [`StepperAction`]s; the page's Run and Stop are
//! the stepper's own.

use crate::message::{ExecutorResult, ParamsObject, ResultMessage};
use labs::generators;
use labs::params::ParamValues;
use sim::generators::{Stepper, StepperAction};

/// The generators page's own state.
#[derive(Clone, Debug, PartialEq)]
pub struct StepperRoom {
    /// The stepper, running the program the form shows.
    pub stepper: Stepper,
    /// The parameters of its current (or last) run.
    run_values: Option<ParamValues>,
}

impl StepperRoom {
    /// The stepper programmed from `values`.
    pub fn open(values: &ParamValues) -> StepperRoom {
        let (solution, sleep_ms) = generators::program(values);
        StepperRoom {
            stepper: Stepper::new(solution, sleep_ms),
            run_values: None,
        }
    }

    /// After a parameter edit: the stepper runs the program the form now shows.
    pub fn reprogrammed(mut self, values: &ParamValues) -> StepperRoom {
        let (solution, sleep_ms) = generators::program(values);
        self.stepper = self.stepper.reprogrammed(solution, sleep_ms);
        self
    }

    /// Applies one action; a run that starts records `values`.
    pub fn apply(mut self, action: StepperAction, values: &ParamValues) -> StepperRoom {
        let run_before = self.stepper.run_number();
        self.stepper = self.stepper.apply(action);
        if self.stepper.run_number() != run_before {
            self.run_values = Some(values.clone());
        }
        self
    }

    /// The result message of the stepper's last ended run, if one ended; `id` is the embed's.
    pub fn result_message(&self, id: Option<String>) -> Option<ResultMessage> {
        let result = self.stepper.result()?;
        let tenth = |ms: f64| (ms * 10.0).round() / 10.0;
        Some(ResultMessage {
            kind: "async-playground:result",
            id,
            lab: generators::LAB.id,
            params: ParamsObject(self.run_values.clone()?),
            executors: vec![ExecutorResult {
                name: "generator-loop",
                status: result.status.id(),
                wall_ms: tenth(result.wall_ms),
                expected_ms: tenth(result.expected_ms),
                tasks_done: result.tasks_done,
                tasks_total: result.tasks_total,
                predicted_ms: None,
            }],
        })
    }
}
