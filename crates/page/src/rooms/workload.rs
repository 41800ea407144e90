//! A workload lab's page (hello, sleep, http, is-prime, mixed, combined, cats): the lab's
//! workload on the executors the learner chose, one plan item per executor. Its state and
//! actions are [`Runs`] and [`super::runs::RunsAction`]; this module plans its runs, projects
//! them and words their result message.

use super::push_notice;
use super::runs::Runs;
use crate::message::{run_summaries, ExecutorResult, ParamsObject, ResultMessage};
use crate::predict;
use crate::run_state::Phase;
use crate::url_state::UrlState;
use labs::plan::{machine_of, total_ms, PlanItem};
use labs::LabSpec;
use sim::cpu::Calibration;
use sim::executors::{expected_ms, ExecutorId};
use sim::model::CONFIRM_OVER_MS;

/// Each chosen executor that can take the workload the URL describes, with its projected
/// wall time, ms.
pub fn projection(
    lab: &'static LabSpec,
    url: &UrlState,
    calibration: &Calibration,
) -> Vec<(ExecutorId, f64)> {
    let workload = lab.build(&url.values, calibration);
    let machine = machine_of(&url.values.resolved(lab.params, calibration), calibration);
    url.executors
        .iter()
        .filter(|e| e.takes(&workload) && workload.task_count <= e.task_cap(&workload, &machine))
        .map(|e| (*e, expected_ms(*e, &workload, &machine)))
        .collect()
}

/// A notice for each chosen executor that has nothing to do with the workload, or is too
/// small for it (naming its cap).
fn skipped_notices(
    lab: &'static LabSpec,
    url: &UrlState,
    calibration: &Calibration,
) -> Vec<String> {
    let workload = lab.build(&url.values, calibration);
    // The parameter that counts the tasks: tasks, jobs or cats.
    let key = lab
        .params
        .iter()
        .find(|p| matches!(p.key, "tasks" | "jobs" | "cats"))
        .map_or("tasks", |p| p.key);
    let machine = machine_of(&url.values.resolved(lab.params, calibration), calibration);
    url.executors
        .iter()
        .filter_map(|e| {
            if !e.takes(&workload) {
                return Some(format!(
                    "{}: no step blocks here (sleep=async), so nothing is handed to its processes; it runs with sleep=blocking.",
                    e.id()
                ));
            }
            let cap = e.task_cap(&workload, &machine);
            (workload.task_count > cap).then(|| {
                format!(
                    "{key}: {} is more than {} takes here (at most {}{}); {} is skipped, the others run.",
                    sim::format::count(u64::from(workload.task_count)),
                    e.id(),
                    sim::format::count(u64::from(cap)),
                    e.cap_reason(&machine),
                    e.id(),
                )
            })
        })
        .collect()
}

/// Run: a plan of one item per chosen executor that can take the workload, asked about first
/// when it is projected over a minute.
pub fn request_run(
    runs: &mut Runs,
    lab: &'static LabSpec,
    url: &UrlState,
    calibration: &Calibration,
    notices: &mut Vec<String>,
) {
    for text in skipped_notices(lab, url, calibration) {
        push_notice(notices, &text);
    }
    let projection = projection(lab, url, calibration);
    if projection.is_empty() {
        if url.executors.is_empty() {
            push_notice(notices, "Choose at least one executor to run.");
        }
        return;
    }
    let values = url.values.resolved(lab.params, calibration);
    let plan: Vec<PlanItem> = projection
        .iter()
        .map(|(executor, ms)| PlanItem {
            lab: lab.id,
            values: values.clone(),
            executor: *executor,
            projected_ms: *ms,
        })
        .collect();
    let long = total_ms(&plan) > CONFIRM_OVER_MS;
    runs.request(values, plan, long);
}

/// How many tasks the current (or last) run has.
pub fn tasks_total(runs: &Runs, lab: &'static LabSpec, calibration: &Calibration) -> u32 {
    match &runs.run_values {
        Some(values) => lab.build(values, calibration).task_count,
        None => 0,
    }
}

/// The result message of the run that just ended, if one did (none for an imported file's
/// runs: nothing ran here).
pub fn result_message(
    runs: &Runs,
    lab: &'static LabSpec,
    url: &UrlState,
    calibration: &Calibration,
) -> Option<ResultMessage> {
    let Phase::Ended(status) = runs.run.phase else {
        return None;
    };
    if runs.imported.is_some() {
        return None;
    }
    let values = runs.run_values.clone()?;
    let summaries = run_summaries(&runs.run, status, tasks_total(runs, lab, calibration));
    Some(ResultMessage {
        kind: "async-playground:result",
        id: url.id.clone(),
        lab: lab.id,
        params: ParamsObject(values),
        executors: summaries
            .iter()
            .map(|s| ExecutorResult {
                predicted_ms: predict::guess_of(&url.predictions, None, s.name),
                ..ExecutorResult::from(s)
            })
            .collect(),
    })
}
