//! The state of a lab page that runs plans (the workload labs and compare): the run, the
//! values it ran with, the way back when a long run is declined, the learner's guesses
//! against the model, an imported file's showing, and what may be exported. Its actions are
//! [`RunsAction`]; what each kind plans is in [`super::workload`] and [`super::compare`].

use super::push_notice;
use crate::effect::{Effect, FileFormat};
use crate::export::{ItemInfo, Items};
use crate::predict::{self, Prediction};
use crate::run_state::{Phase, RunEvent, RunState};
use crate::url_state::UrlState;
use labs::params::ParamValues;
use labs::plan::PlanItem;
use labs::{LabBody, LabSpec};
use sim::executors::ExecutorId;
use sim::trace::Trace;
use std::rc::Rc;

/// A plan-running page's own state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Runs {
    /// The lab's runs.
    pub run: RunState,
    /// The parameters the current (or last) run used.
    pub run_values: Option<ParamValues>,
    /// The last run's parameters while a long run waits for its answer: a declined run
    /// brings them back with the last run.
    asked_over: Option<ParamValues>,
    /// The run number when the learner last wrote a guess: the model's figures stay hidden
    /// until a later run ends.
    guessed_at_run: u64,
    /// The runs shown came from a file, not from this page: what the results say of it.
    pub imported: Option<String>,
    /// How many of this run's row messages (compare) were posted to the host page.
    pub(crate) rows_posted: usize,
    /// The last run whose result message was posted to the host page.
    pub(crate) result_posted: u64,
    /// The line of the shown program a bar or a line was last activated for (1-based): it is
    /// marked, and the bars that stand for it are lit.
    pub marked_line: Option<u32>,
    /// The time cursor, ms on the run's axis: the timelines mark it, the Output shows what was
    /// printed by then (`None`: the whole run).
    pub cursor_ms: Option<f64>,
}

/// What a plan-running page can do besides Run and Stop.
#[derive(Clone, Debug, PartialEq)]
pub enum RunsAction {
    /// The user confirmed a long run.
    Confirm,
    /// The user declined a long run.
    Cancel,
    /// Something happened to the run (the driver reports).
    Run(RunEvent),
    /// An executor checkbox changed (a workload lab).
    SetExecutor {
        /// Which executor.
        executor: ExecutorId,
        /// Checked or not.
        chosen: bool,
    },
    /// The learner wrote (or cleared) their guess of `executor`'s wall time, in seconds; on
    /// compare, of the row of `lab` on it.
    SetPrediction {
        /// The row's lab, on compare.
        lab: Option<&'static str>,
        /// Which executor.
        executor: ExecutorId,
        /// What was typed.
        raw: String,
    },
    /// `Export JSON`, `Export CSV` or `Export trace` was pressed.
    Export { format: FileFormat },
    /// `Open in Perfetto` was pressed.
    OpenInPerfetto,
    /// A bar of a timeline, or a line of the program, was activated: mark that line of the
    /// program (`None`: none).
    MarkLine(Option<u32>),
    /// The time cursor moved (`None`: back to the whole run).
    SetCursor(Option<f64>),
    /// The timelines show another range of the run, whole ms (`None`: all of it); it is the
    /// URL's `view`.
    SetView(Option<(u64, u64)>),
}

impl Runs {
    /// The compare table's row `index` so far: its runs, `repeat` runs per row.
    pub fn row_runs(&self, index: usize, repeat: usize) -> &[std::rc::Rc<sim::trace::Trace>] {
        let traces = &self.run.traces;
        let first = index * repeat;
        traces
            .get(first..traces.len().min(first + repeat))
            .unwrap_or(&[])
    }

    /// Runs that ended elsewhere (an imported file's), shown as run `run_number` of this
    /// page with `values`, marked with `mark`.
    pub fn showing(
        plan: Vec<PlanItem>,
        traces: Vec<Rc<Trace>>,
        run_number: u64,
        values: ParamValues,
        mark: String,
    ) -> Runs {
        Runs {
            run: RunState::ended(plan, traces, run_number),
            run_values: Some(values),
            imported: Some(mark),
            ..Runs::default()
        }
    }

    /// A run of `plan` asked for with `values`: it starts, or asks first when
    /// `needs_confirmation`.
    pub fn request(&mut self, values: ParamValues, plan: Vec<PlanItem>, needs_confirmation: bool) {
        self.asked_over = self.run_values.replace(values);
        // A new run is read whole until the cursor moves again.
        self.cursor_ms = None;
        self.advance(RunEvent::Requested {
            plan,
            needs_confirmation,
        });
    }

    /// Stop: ends the run (the edge aborts it), or declines a long run waiting for its answer.
    pub fn stop(&mut self, effects: &mut Vec<Effect>) {
        if self.run.phase == Phase::Confirming {
            self.declined();
        } else {
            let asked = self.run.stop_requested;
            self.advance(RunEvent::StopRequested);
            if self.run.stop_requested && !asked {
                effects.push(Effect::StopRun);
            }
        }
    }

    fn advance(&mut self, event: RunEvent) {
        self.run = std::mem::take(&mut self.run).apply(event);
    }

    /// A long run declined: the last run comes back, with its parameters.
    fn declined(&mut self) {
        if self.run.phase == Phase::Confirming {
            self.run_values = self.asked_over.take();
        }
        self.advance(RunEvent::Cancelled);
    }

    /// Applies one of the page's own actions. `lab` is the page's lab; `url` takes the
    /// executors and guesses; what the learner should read goes to `notices`.
    pub fn apply(
        &mut self,
        action: RunsAction,
        lab: &'static LabSpec,
        url: &mut UrlState,
        notices: &mut Vec<String>,
        effects: &mut Vec<Effect>,
    ) {
        match action {
            RunsAction::Confirm => self.advance(RunEvent::Confirmed),
            RunsAction::Cancel => self.declined(),
            RunsAction::Run(event) => {
                self.advance(event);
                self.check_view(url, notices);
            }
            RunsAction::SetExecutor { executor, chosen } => {
                choose(lab, url, executor, chosen);
            }
            RunsAction::SetPrediction { lab, executor, raw } => {
                let raw = raw.trim();
                let who = match lab {
                    Some(lab) => format!("{lab}/{}", executor.id()),
                    None => executor.id().to_string(),
                };
                let seconds = predict::seconds(raw);
                if !raw.is_empty() && seconds.is_none() {
                    push_notice(notices, &format!(
                        "Your prediction for {who}: {} is not a time in seconds from 0 to 86400 (such as 1.5); it is not kept.",
                        crate::quote::shown(raw)
                    ));
                    return;
                }
                let list = &mut url.predictions;
                list.retain(|p| !(p.lab == lab && p.executor == executor));
                if let Some(seconds) = seconds {
                    list.push(Prediction {
                        lab,
                        executor,
                        ms: seconds * 1000.0,
                    });
                }
                // A guess written: the model's figures wait for the next run to end, as a
                // link's question makes them.
                url.asks_guess = true;
                self.guessed_at_run = self.run.run_number;
            }
            RunsAction::Export { format } => {
                if self.can_export() && self.run_values.is_some() {
                    effects.push(Effect::Export { format });
                }
            }
            RunsAction::OpenInPerfetto => {
                if self.can_export() && self.run_values.is_some() {
                    effects.push(Effect::OpenInPerfetto);
                }
            }
            RunsAction::MarkLine(line) => self.marked_line = line,
            RunsAction::SetCursor(at) => self.cursor_ms = at.filter(|t| t.is_finite()),
            RunsAction::SetView(view) => url.view = view.filter(|(start, end)| start < end),
        }
    }

    /// Once a run has ended, a `view` that starts past its end shows the whole run instead,
    /// and says so.
    fn check_view(&self, url: &mut UrlState, notices: &mut Vec<String>) {
        let Some((start, end)) = url.view else {
            return;
        };
        if !matches!(self.run.phase, Phase::Ended(_)) {
            return;
        }
        let wall = self
            .run
            .traces
            .iter()
            .map(|t| t.wall_ms)
            .fold(0.0, f64::max);
        if wall > 0.0 && start as f64 >= wall {
            url.view = None;
            push_notice(
                notices,
                &format!(
                    "view: {start}-{end} starts after the run's end ({}); the timelines show the whole run.",
                    sim::format::duration(wall)
                ),
            );
        }
    }

    /// Whether the model's figures are hidden: a guess is asked for (by the link, or since the
    /// learner wrote one) and no run has ended since.
    pub fn model_hidden(&self, url: &UrlState) -> bool {
        let ended_since =
            matches!(self.run.phase, Phase::Ended(_)) && self.run.run_number > self.guessed_at_run;
        url.asks_guess && !ended_since
    }

    /// Whether the runs shown can be written as a file: a run has ended (none is going or
    /// waiting for its answer), and it ran here (an imported file's runs are already a file,
    /// and this page would stamp its own machine on them).
    pub fn can_export(&self) -> bool {
        matches!(self.run.phase, Phase::Ended(_))
            && !self.run.traces.is_empty()
            && self.imported.is_none()
    }

    /// The runs shown (ended ones) with their items, for `Export JSON` and `Export CSV`: the
    /// lab's parameters, and each item beside its trace.
    pub fn export_items<'a>(
        &'a self,
        lab: &'static LabSpec,
        url: &UrlState,
    ) -> Option<(&'a ParamValues, Items<'a>)> {
        let values = self.run_values.as_ref()?;
        if !self.can_export() {
            return None;
        }
        let compare = lab.body == LabBody::Compare;
        let items = self
            .run
            .plan
            .iter()
            .zip(&self.run.traces)
            .map(|(item, trace)| {
                let info = ItemInfo {
                    lab: item.lab,
                    params: item.values.clone(),
                    expected_ms: item.projected_ms,
                    predicted_ms: predict::guess_of(
                        &url.predictions,
                        compare.then_some(item.lab),
                        item.executor.id(),
                    ),
                };
                (info, &**trace)
            })
            .collect();
        Some((values, items))
    }
}

/// Checks or unchecks `executor` on a workload lab: only the ones it offers, kept in its order
/// so results read the same way every time.
fn choose(lab: &'static LabSpec, url: &mut UrlState, executor: ExecutorId, chosen: bool) {
    let offered = lab.body == LabBody::Workload && lab.executors.contains(&executor);
    if chosen && offered {
        if !url.executors.contains(&executor) {
            url.executors.push(executor);
            let rank = |e: &ExecutorId| {
                let at = lab.executors.iter().position(|x| x == e);
                at.map_or(-1.0, |i| i as f64)
            };
            let list = std::mem::take(&mut url.executors);
            url.executors = sim::order::sorted_by(list, rank);
        }
    } else if !chosen {
        url.executors.retain(|e| *e != executor);
    }
}
