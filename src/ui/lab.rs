//! A lab's page: Run and Stop first (the lesson runs at its defaults from the first screen),
//! then the parameters, the long-run question, results and output.

use super::output::Output;
use super::Dispatch;
use super::{code, frame, params_form, Traces};
use labs::LabSpec;
use page::rooms::runs::Runs;
use page::rooms::runs::RunsAction;
use page::run_state::Phase;
use page::state::{Network, NO_ENDPOINT};
use page::state::{PageAction, PageModel};
use sim::executors::ExecutorId;
use sim::format;
use yew::prelude::*;

/// Props of the long-run question.
#[derive(Properties, Clone, PartialEq)]
pub struct LongRunProps {
    /// What the plan is projected to take, in words.
    pub summary: AttrValue,
    /// Total projected time, in words.
    pub total: AttrValue,
    /// Sends the answer.
    pub dispatch: Dispatch,
}

/// Asks before a run projected over a minute (in the page, never `window.confirm`).
#[component]
pub fn LongRun(props: &LongRunProps) -> Html {
    let cancel = use_node_ref();
    {
        let cancel = cancel.clone();
        use_effect_with((), move |_| {
            if let Some(button) = cancel.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let confirm = props
        .dispatch
        .reform(|_| PageAction::Runs(RunsAction::Confirm));
    let decline = props
        .dispatch
        .reform(|_| PageAction::Runs(RunsAction::Cancel));
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                dispatch.emit(PageAction::Runs(RunsAction::Cancel));
            }
        })
    };
    html! {
        <div class="long-run" role="alertdialog" aria-modal="false"
            aria-labelledby="long-run-title" aria-describedby="long-run-text" {onkeydown}>
            <h2 id="long-run-title">{ "Long run" }</h2>
            <p id="long-run-text">
                { format!("This run is projected to take {}: {}. Nothing runs until you confirm; Stop ends it at any time.", props.total, props.summary) }
            </p>
            <div class="row">
                <button type="button" class="primary" onclick={confirm}>{ "Run anyway" }</button>
                <button type="button" class="secondary" onclick={decline} ref={cancel}>{ "Cancel" }</button>
            </div>
        </div>
    }
}

fn projection_text(model: &PageModel) -> String {
    model
        .projection()
        .iter()
        .map(|(e, ms)| format!("{} {}", e.id(), format::duration(*ms)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many pool workers are alive, and a way to start cold again.
fn pool_status(model: &PageModel, runs: &Runs, dispatch: &Dispatch) -> Html {
    let running = runs.run.is_running();
    let alive = model.pool_alive;
    let discard = dispatch.reform(|_| PageAction::DiscardPool);
    let text = if alive == 0 {
        "Pool: no worker alive; the next pool run starts them (cold).".to_string()
    } else {
        format!("Pool: {alive} workers alive and warm; the next run reuses them.")
    };
    html! {
        <p class="pool-status">
            <span>{ text }</span>
            if alive > 0 {
                <button type="button" class="secondary small" disabled={running} onclick={discard}>{ "Discard warm pool" }</button>
            }
        </p>
    }
}

/// Where the lab's requests go, in a sentence.
fn network_text(model: &PageModel) -> Option<String> {
    let url = model.url.values.text(labs::params::keys::URL);
    let text = match model.network {
        Network::NotNeeded => return None,
        _ if !url.is_empty() => "Requests go to your url over the real network: at most 6 at once to one host over HTTP/1.1. Its server must allow this page to read its answers (CORS).",
        Network::Looking => "Looking for the latency endpoint\u{2026}",
        Network::Server if model.url.values.choice(labs::params::keys::NETWORK) == "auto" => {
            if crate::net::multiplexed() {
                "Requests go to this page's server (api/delay) over the real network (network=auto): the page came over HTTP/2 or newer, where they share one connection as a Python client's do."
            } else {
                "Requests go to this page's server (api/delay) over the real network: network=auto could not start the page's service worker here (a frame on another site may not have one), so at most 6 go at once to one host over HTTP/1.1."
            }
        }
        Network::Server => "Requests go to this page's server (api/delay) over the real network: at most 6 at once to one host over HTTP/1.1.",
        Network::Simulated if model.url.values.choice(labs::params::keys::NETWORK) == "auto" => "Simulated network (network=auto): the page's service worker answers api/delay after the latency asked for. Over HTTP/1.1, as this page's server speaks, the browser would open at most 6 connections to it, where a Python client sends its requests at once: network=server shows that limit. Like one aiohttp session, the page keeps at most 100 requests in flight.",
        Network::Simulated => "Simulated network: the page's service worker answers api/delay after the latency asked for, so the browser's 6 connections per host do not apply; like one aiohttp session, the page keeps at most 100 requests in flight. Going back to server needs a reload.",
        Network::Unavailable => NO_ENDPOINT,
    };
    Some(text.to_string())
}

/// A field for the learner's guess of `executor`'s wall time (on compare, of `lab`'s row).
pub fn guess_field(
    model: &PageModel,
    lab: Option<&'static str>,
    executor: ExecutorId,
    label: String,
    dispatch: &Dispatch,
) -> Html {
    let value = model
        .prediction_for(lab, executor.id())
        .map(|ms| labs::program::decimal(ms / 1000.0))
        .unwrap_or_default();
    let onchange = dispatch.reform(move |e: Event| {
        PageAction::Runs(RunsAction::SetPrediction {
            lab,
            executor,
            raw: e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default(),
        })
    });
    html! {
        <label class="guess">
            <span>{ label }</span>
            <input type="text" inputmode="decimal" autocomplete="off" {value} {onchange} />
        </label>
    }
}

/// The learner's guesses, one per chosen executor: optional, in seconds.
fn guesses(model: &PageModel, dispatch: &Dispatch) -> Html {
    html! {
        <fieldset class="predictions">
            <legend>{ "Your predictions (optional)" }</legend>
            <p class="hint">{ "The wall time you expect of each executor, in seconds. Once you write one, the model's figures wait until the run ends." }</p>
            { for model.url.executors.iter().map(|e| guess_field(model, None, *e, format!("{} (s)", e.id()), dispatch)) }
        </fieldset>
    }
}

/// The whole lab page.
pub fn view(
    model: &PageModel,
    lab: &'static LabSpec,
    runs: &Runs,
    dispatch: &Dispatch,
    on_stop: Callback<MouseEvent>,
) -> Html {
    let running = runs.run.is_running();
    let confirming = runs.run.phase == Phase::Confirming;
    let can_run = !running && !confirming && !model.url.executors.is_empty();
    let on_run = dispatch.reform(|_| PageAction::RequestRun);
    let base = &model.address;
    let run_summary = match runs.run.phase {
        Phase::Running => format!(
            "Running {} ({} of {})\u{2026}",
            runs.run
                .plan
                .get(runs.run.current)
                .map(|item| item.executor.id())
                .unwrap_or(""),
            runs.run.current + 1,
            runs.run.plan.len()
        ),
        Phase::Ended(status) => format!("Last run {}.", status.id()),
        _ => String::new(),
    };
    let projected_total: f64 = model.projection().iter().map(|(_, ms)| ms).sum();
    // Run stays focusable while a run goes (`aria-disabled`), so a run started from the
    // keyboard keeps the focus on it, where the next one starts.
    let on_run = {
        let on_run = on_run.clone();
        Callback::from(move |e: MouseEvent| {
            if can_run {
                on_run.emit(e);
            }
        })
    };
    let controls = html! {
        <>
            <div class="run-controls">
                <button type="button" id="run" class="primary" aria-disabled={(!can_run).to_string()} onclick={on_run}>{ "Run" }</button>
                <button type="button" class="secondary" disabled={!running} onclick={on_stop}>{ "Stop" }</button>
                <span class="run-summary">{ run_summary }</span>
            </div>
            if !model.url.executors.is_empty() {
                if model.model_hidden() {
                    <p class="projection">{ "The model's projection is shown when the run ends: write your own prediction first." }</p>
                } else {
                    <p class="projection">{ format!("Projected: {}.", projection_text(model)) }</p>
                }
            } else {
                <p class="projection">{ "Choose at least one executor to run." }</p>
            }
            if confirming {
                <LongRun summary={projection_text(model)} total={format::duration(projected_total)} dispatch={dispatch.clone()} />
            }
            { params_form::view(model, lab, dispatch) }
            // An embedded lab keeps to about a screen: its predictions only where the link
            // asks for them, its runs as files in the full lab.
            if !model.url.embed || model.url.asks_guess {
                { guesses(model, dispatch) }
            }
            if !model.url.embed {
                { super::file_controls::controls(model, dispatch) }
            }
            if let Some(text) = network_text(model) {
                <p class="network" data-network={model.network.id()}>{ text }</p>
            }
            if lab.executors.iter().any(|e| e.spec().placement.in_processes()) {
                { pool_status(model, runs, dispatch) }
            }
        </>
    };
    let program = lab.program(
        &model.url.values,
        &model.url.executors,
        &model.calibration,
        base,
    );
    let links = super::runs_room::links(model, runs, &program);
    let main = html! {
        <>
            { super::runs_room::results(model, runs, &links, dispatch) }
            <Output traces={Traces(runs.run.traces.clone())} until_ms={runs.cursor_ms} />
        </>
    };
    let program = AttrValue::from(program);
    let pane = super::runs_room::program(program.clone(), &links, runs, dispatch);
    let explain = code::view(lab, program, pane, &model.notes, model.url.embed);
    frame::page(
        model,
        lab,
        frame::section_line(lab),
        frame::columns(model, lab, controls, main, explain, dispatch),
    )
}
