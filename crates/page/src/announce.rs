//! What the page's one status region says about a run: that it started, and how it ended, so a
//! screen reader hears both without looking for the results.

use crate::run_state::Phase;
use crate::state::PageModel;
use sim::format;
use sim::generators::Mode;
use sim::trace::RunStatus;

/// The sentence the status region holds for the page's run, if one has started.
pub fn run_announcement(model: &PageModel) -> Option<String> {
    if let Some(room) = model.stepper() {
        let stepper = &room.stepper;
        return match stepper.mode() {
            Mode::Running => Some("Run started: generator-loop.".to_string()),
            Mode::Ended(status) => stepper.result().map(|r| {
                format!(
                    "Run {}: generator-loop {}.",
                    status.id(),
                    format::duration(r.wall_ms)
                )
            }),
            Mode::Idle | Mode::StepAsked | Mode::Stepping => None,
        };
    }
    let run = &model.runs()?.run;
    if model.is_compare() {
        let (rows, repeat) = model.compare_run_rows();
        let ran = run.traces.len().div_ceil(repeat);
        return match run.phase {
            Phase::Idle | Phase::Confirming => None,
            Phase::Running => Some(format!("Run all started: {} rows.", rows.len())),
            Phase::Ended(status) => Some(format!(
                "Run all {}: {ran} of {} rows ran.",
                status.id(),
                rows.len()
            )),
        };
    }
    let names: Vec<&str> = run.executors().map(|e| e.id()).collect();
    match run.phase {
        Phase::Idle | Phase::Confirming => None,
        Phase::Running => Some(format!("Run started: {}.", names.join(", then "))),
        Phase::Ended(status) => {
            let times: Vec<String> = run
                .traces
                .iter()
                .map(|t| format!("{} {}", t.executor.id(), format::duration(t.wall_ms)))
                .collect();
            Some(match (status, times.is_empty()) {
                (RunStatus::Finished, _) | (_, false) => {
                    format!("Run {}: {}.", status.id(), times.join(", "))
                }
                (_, true) => format!("Run {}.", status.id()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rooms::runs::RunsAction;
    use crate::run_state::RunEvent;
    use crate::state::PageAction;
    use crate::url_state::UrlState;
    use sim::executors::ExecutorId;
    use sim::trace::TraceRecorder;
    use std::rc::Rc;

    fn hello_page() -> PageModel {
        PageModel::new(UrlState::parse("lab=hello"))
    }

    fn ended(executor: ExecutorId, wall_ms: f64) -> Rc<sim::trace::Trace> {
        let recorder = TraceRecorder::new(executor, 2, Vec::new(), 0.0);
        let mut trace = recorder.finish(wall_ms, RunStatus::Finished, None);
        trace.wall_ms = wall_ms;
        trace.tasks_done = 2;
        Rc::new(trace)
    }

    #[test]
    fn nothing_is_announced_before_a_run() {
        assert_eq!(run_announcement(&hello_page()), None);
    }

    #[test]
    fn a_run_announces_its_start_and_then_each_executors_wall_time() {
        let mut model = hello_page();
        let values = model.resolved_values();
        model.room.runs_mut().unwrap().request(
            values,
            crate::testing::hello_plan(&[ExecutorId::Sequential, ExecutorId::EventLoop]),
            false,
        );
        assert_eq!(
            run_announcement(&model).as_deref(),
            Some("Run started: sequential, then event-loop.")
        );
        let run_number = model.runs().unwrap().run.run_number;
        for (executor, wall_ms) in [
            (ExecutorId::Sequential, 2004.0),
            (ExecutorId::EventLoop, 1002.0),
        ] {
            model = model.apply(PageAction::Runs(RunsAction::Run(RunEvent::ExecutorEnded {
                run_number,
                trace: ended(executor, wall_ms),
            })));
        }
        assert_eq!(
            run_announcement(&model).as_deref(),
            Some("Run finished: sequential 2.00 s, event-loop 1.00 s.")
        );
    }
}
