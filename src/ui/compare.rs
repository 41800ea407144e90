//! The compare lab's page: the article's table, run here. One row per workload and executor,
//! with the article's figure, the model's, the measured one and the reason they differ;
//! `Run all` runs the rows one after another.

use super::lab::LongRun;
use super::Dispatch;
use super::{notes, params_form};
use labs::compare::{self, Row};
use labs::notes::section::NOTICE;
use labs::plan::total_ms;
use labs::LabSpec;
use page::rooms::runs::Runs;
use page::run_state::{CardStatus, Phase};
use page::state::{PageAction, PageModel};
use sim::format;
use sim::trace::RunStatus;
use yew::prelude::*;

/// What a row's status cell says.
fn status_text(status: CardStatus, run: usize, repeat: usize, ended: bool) -> String {
    match status {
        CardStatus::Pending if ended => "Not run".into(),
        CardStatus::Pending => "Waiting".into(),
        CardStatus::Running if repeat > 1 => {
            format!("Running, run {} of {repeat}\u{2026}", run + 1)
        }
        CardStatus::Running => "Running\u{2026}".into(),
        CardStatus::Ended(RunStatus::Stopped) => "Stopped".into(),
        CardStatus::Ended(RunStatus::Failed) => "Failed".into(),
        CardStatus::Ended(_) => "Done".into(),
    }
}

/// One row of the table: `index` of the rows shown, whose runs are `first..first + repeat`
/// of the plan when the run is this table's.
fn row_view(
    model: &PageModel,
    runs_state: &Runs,
    dispatch: &Dispatch,
    row: &Row,
    index: usize,
    repeat: usize,
    ran: bool,
) -> Html {
    let run = &runs_state.run;
    let first = index * repeat;
    let (runs, status, current) = if ran {
        let runs = runs_state.row_runs(index, repeat);
        // The row's status is its last run's that started; a row the run never reached
        // stays pending.
        let last = (first + runs.len()).min(first + repeat - 1);
        let status = match CardStatus::of(run, last) {
            CardStatus::Ended(_) if runs.is_empty() => CardStatus::Pending,
            status => status,
        };
        (runs, status, last - first)
    } else {
        (&[][..], CardStatus::Pending, 0)
    };
    let measured = compare::measured(runs);
    let hidden = runs.iter().any(|t| t.hidden_during_run);
    let failed = runs.iter().find_map(|t| t.error.clone());
    let key = row.key();
    let why = model.notes.get(&format!("why.{key}")).join(" ");
    let lab = row.item.lab();
    html! {
        <tr data-row={key.clone()} data-status={status.id()}>
            <th scope="row">
                <a href={format!("{}?{}", model.address, page::url_state::item_query(&row.item))}>
                    { format!("{} on {}", lab.title, row.item.executor.id()) }
                </a>
                <span class="size">{ format!("Here: {}.", row.size) }</span>
                <span class="size">{ format!("The article: {}.", row.article_size) }</span>
            </th>
            <td class="article" data-label="The article">{ row.article.text }</td>
            <td class="guess-cell" data-label="You predict (s)">
                { super::lab::guess_field(model, Some(row.item.lab), row.item.executor, format!("Your prediction for {key}, seconds"), dispatch) }
            </td>
            if model.model_hidden() {
                <td class="predicted hidden-figure" data-label="Model predicts">{ super::results::HIDDEN }</td>
            } else {
                <td class="predicted" data-label="Model predicts">{ format::duration(row.item.projected_ms) }</td>
            }
            <td class="measured" data-label="Measured">
                if let Some(m) = measured {
                    { format::duration(m.median_ms) }
                    if m.runs > 1 {
                        <span class="spread">{ format!("median of {}; {} to {}", m.runs, format::duration(m.min_ms), format::duration(m.max_ms)) }</span>
                    }
                } else {
                    { "\u{2014}" }
                }
            </td>
            <td class="speedup" data-label="Speed-up over one at a time">
                if let Some(m) = measured.filter(|m| m.median_ms > 0.0) {
                    { format!("{}x", format::fixed(row.one_at_a_time_ms / m.median_ms, 1)) }
                } else {
                    { "\u{2014}" }
                }
            </td>
            <td class="status" data-label="Status">
                { status_text(status, current, repeat, matches!(run.phase, Phase::Ended(_))) }
                if hidden {
                    <span class="warning">{ " Not representative: the tab was hidden." }</span>
                }
                if let Some(error) = failed {
                    <span class="error">{ format!(" {error}") }</span>
                }
            </td>
            <td class="why" data-label="Why they differ">{ why }</td>
        </tr>
    }
}

/// The whole compare page.
pub fn view(
    model: &PageModel,
    lab: &'static LabSpec,
    runs: &Runs,
    dispatch: &Dispatch,
    on_stop: Callback<MouseEvent>,
) -> Html {
    let running = runs.run.is_running();
    let confirming = runs.run.phase == Phase::Confirming;
    // While a run is going (or its results stand), the table shows the run's rows; else the
    // rows the parameters describe.
    let (run_rows, run_repeat) = model.compare_run_rows();
    let ran = !run_rows.is_empty();
    let planned = model.compare_rows();
    let (rows, repeat) = if ran {
        (run_rows, run_repeat)
    } else {
        (planned.clone(), 1)
    };
    let projected = total_ms(&compare::plan(&planned, 1))
        * model
            .resolved_values()
            .number(labs::params::keys::REPEAT)
            .max(1.0);
    let items = runs.run.plan.len().max(1);
    let done = runs.run.traces.len();
    let summary = match runs.run.phase {
        Phase::Running => {
            let row = rows.get(runs.run.current / repeat.max(1));
            format!(
                "Running row {} of {}: {}\u{2026}",
                runs.run.current / repeat.max(1) + 1,
                rows.len(),
                row.map(Row::key).unwrap_or_default()
            )
        }
        Phase::Ended(status) => format!("Last run {}.", status.id()),
        _ => String::new(),
    };
    // Run all stays focusable while the table runs (`aria-disabled`), as Run does on a lab.
    let can_run = !running && !confirming;
    let on_run = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if can_run {
                dispatch.emit(PageAction::RequestRun);
            }
        })
    };
    let body = html! {
        <div class="compare-grid">
            <div class="lab-controls">
                <div class="run-controls">
                    <button type="button" id="run" class="primary" aria-disabled={(!can_run).to_string()} onclick={on_run}>{ "Run all" }</button>
                    <button type="button" class="secondary" disabled={!running} onclick={on_stop}>{ "Stop" }</button>
                    <span class="run-summary">{ summary }</span>
                </div>
                { super::file_controls::controls(model, dispatch) }
                if ran {
                    <div class="compare-progress">
                        <progress max={items.to_string()} value={done.to_string()} aria-label="Run progress"></progress>
                        <span>{ format!("{done} of {items} runs done") }</span>
                    </div>
                }
                if model.model_hidden() {
                    <p class="projection">{ "The model's figures are shown when the run ends: write your predictions first." }</p>
                } else {
                    <p class="projection">{ format!("Projected: {} for the whole table, one row after another.", format::duration(projected)) }</p>
                }
                if confirming {
                    <LongRun summary={format!("{} rows", planned.len())} total={format::duration(projected)} dispatch={dispatch.clone()} />
                }
                { params_form::view(model, lab, dispatch) }
            </div>
            <section class="compare-table">
                { super::results::imported(runs) }
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="compare-caption">
                    <table>
                        <caption id="compare-caption">{ "The article's table, run here" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Workload on executor" }</th>
                                <th scope="col">{ "The article" }</th>
                                <th scope="col">{ "You predict (s)" }</th>
                                <th scope="col">{ "Model predicts" }</th>
                                <th scope="col">{ "Measured" }</th>
                                <th scope="col" title="Running the row's tasks one after another (the model's sum), divided by the measured time">{ "Speed-up over one at a time" }</th>
                                <th scope="col">{ "Status" }</th>
                                <th scope="col">{ "Why they differ" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for rows.iter().enumerate().map(|(i, row)| row_view(model, runs, dispatch, row, i, repeat, ran)) }
                        </tbody>
                    </table>
                </div>
                // The chart comes with the runs' code, after the first paint.
                if let Some(room) = super::runs_room::here() {
                    { (room.compare_chart)(model, runs, &rows, repeat, ran) }
                }
                if !model.url.embed {
                    <h2>{ "What to notice" }</h2>
                    { notes::list(&model.notes, &[NOTICE], "notice-list") }
                }
                { super::frame::share_box(model, lab, dispatch) }
            </section>
        </div>
    };
    let subtitle = "The article's figures, what the model predicts on this machine, and what this page measures.";
    super::frame::page(model, lab, subtitle.to_string(), body)
}
