//! The compare lab's page: the article's table, every workload on every executor, run as one
//! plan of its rows (each `repeat` times). Its state and actions are [`Runs`] and
//! [`super::runs::RunsAction`]; this module plans its runs, groups them back into rows and
//! words each row's result message.

use super::runs::Runs;
use crate::message::{ExecutorResult, ParamsObject, ResultMessage};
use crate::predict;
use crate::run_state::Phase;
use crate::url_state::UrlState;
use labs::compare::{self, Row};
use labs::params::keys;
use labs::plan::total_ms;
use labs::LabSpec;
use sim::cpu::Calibration;
use sim::model::CONFIRM_OVER_MS;

/// The table's rows as the parameters describe them.
pub fn rows(lab: &'static LabSpec, url: &UrlState, calibration: &Calibration) -> Vec<Row> {
    compare::rows(&url.values.resolved(lab.params, calibration), calibration)
}

/// Run all: a plan of the rows. At scale 1 or less it never asks, whatever `repeat` (the
/// table is sized for this page); over 1, a plan projected over a minute asks.
pub fn request_run(
    runs: &mut Runs,
    lab: &'static LabSpec,
    url: &UrlState,
    calibration: &Calibration,
) {
    let values = url.values.resolved(lab.params, calibration);
    let rows = compare::rows(&values, calibration);
    let plan = compare::plan(&rows, values.number(keys::REPEAT) as u32);
    let long = values.number(keys::SCALE) > 1.0 && total_ms(&plan) > CONFIRM_OVER_MS;
    runs.request(values, plan, long);
}

/// The rows of the current (or last) run, from its plan, and its runs per row.
pub fn run_rows(runs: &Runs, calibration: &Calibration) -> (Vec<Row>, usize) {
    let run = &runs.run;
    let shown = matches!(run.phase, Phase::Running | Phase::Ended(_));
    match (run.plan.first(), shown) {
        (Some(first), true) => {
            // A row's runs are alike and next to each other: the plan says how many (the
            // parameters may already ask for another count, or a declined run did).
            let repeat = run
                .plan
                .iter()
                .take_while(|item| item.lab == first.lab && item.executor == first.executor)
                .count()
                .max(1);
            let rows = run
                .plan
                .chunks(repeat)
                .filter_map(|items| compare::row_for(items[0].clone(), calibration))
                .collect();
            (rows, repeat)
        }
        _ => (Vec::new(), 1),
    }
}

/// The result message of each row of the run that has ended so far, in row order: a row ends
/// when its last run ends, or when the run stops or fails in it. With several runs per row,
/// the message is the median run's. None for an imported file's runs: nothing ran here.
pub fn messages(runs: &Runs, url: &UrlState, calibration: &Calibration) -> Vec<ResultMessage> {
    if runs.imported.is_some() {
        return Vec::new();
    }
    let (rows, repeat) = run_rows(runs, calibration);
    let traces = &runs.run.traces;
    let ended = matches!(runs.run.phase, Phase::Ended(_));
    rows.iter()
        .enumerate()
        .map_while(|(i, row)| {
            let runs = traces.get(i * repeat..traces.len().min((i + 1) * repeat))?;
            if runs.is_empty() || (runs.len() < repeat && !ended) {
                return None;
            }
            let trace = compare::median_run(runs);
            let summary = sim::summary::summarize(trace, row.item.projected_ms);
            Some(ResultMessage {
                kind: "async-playground:result",
                id: url.id.clone(),
                lab: row.item.lab,
                params: ParamsObject(row.item.values.clone()),
                executors: vec![ExecutorResult {
                    predicted_ms: predict::guess_of(
                        &url.predictions,
                        Some(row.item.lab),
                        summary.name,
                    ),
                    ..ExecutorResult::from(&summary)
                }],
            })
        })
        .collect()
}
