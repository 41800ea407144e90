//! The root component: owns the page's state, performs its effects (URL, theme, title, the run
//! driver, embed messages) and picks the view.

use super::vitals_view::Vitals;
use super::Dispatch;
use super::{compare, home, lab, pitfalls, stepper};
use crate::run::{drive, RunControl};
use crate::{clock, embed, net};
use labs::params::{AutoRule, ParamKind};
use labs::{notes, LabBody};
use page::message::HostCommand;
use page::run_state::Phase;
use page::state::{Network, PageAction, PageModel};
use page::url_state::{Theme, UrlState};
use sim::cpu::Calibration;
use sim::executors::ExecutorId;
use std::rc::Rc;
use yew::prelude::*;

/// The page's state as a Yew reducer.
#[derive(Clone, Debug, PartialEq)]
pub struct Page(pub PageModel);

impl Reducible for Page {
    type Action = PageAction;
    fn reduce(self: Rc<Self>, action: PageAction) -> Rc<Self> {
        Rc::new(Page(self.0.clone().apply(action)))
    }
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The page's address without its query: where links point.
fn page_address() -> String {
    location()
        .map(|l| {
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

fn write_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let current = window.location().search().unwrap_or_default();
    let wanted = format!("?{query}");
    if current != wanted {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&wanted));
        }
    }
}

fn apply_theme(theme: Option<Theme>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    match theme {
        Some(theme) => {
            let _ = root.set_attribute("data-theme", theme.id());
        }
        None => {
            let _ = root.remove_attribute("data-theme");
        }
    }
}

#[component]
pub fn App() -> Html {
    let page = use_reducer(|| {
        let search = location().and_then(|l| l.search().ok()).unwrap_or_default();
        let url = UrlState::parse(&search);
        // Labs with CPU jobs size them by how fast this page computes: measure once, here.
        let needs_calibration = url.lab.is_some_and(|lab| {
            lab.body == LabBody::Compare
                || lab.params.iter().any(|p| {
                    matches!(
                        p.kind,
                        ParamKind::AutoInt {
                            auto: AutoRule::CpuMs(_),
                            ..
                        }
                    )
                })
        });
        let calibration = if needs_calibration {
            clock::calibrate()
        } else {
            Calibration {
                cores: clock::cores(),
                ..Calibration::default()
            }
        };
        Page(
            PageModel::new(url)
                .with_address(page_address())
                .with_calibration(calibration),
        )
    });
    let model = &page.0;
    let dispatcher = page.dispatcher();
    let dispatch: Dispatch = Callback::from(move |action| dispatcher.dispatch(action));
    let control = use_mut_ref(|| Rc::new(RunControl::default()));
    let root = use_node_ref();

    // The address bar always holds the page's state, every parameter spelled out.
    let query = model.live_query();
    use_effect_with(query, |query| write_query(query));

    use_effect_with(model.url.theme, |theme| apply_theme(*theme));

    let title = match model.url.lab {
        Some(lab) => format!("{} \u{b7} Async Playground", lab.title),
        None => "Async Playground".to_string(),
    };
    use_effect_with(title, |title| {
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(title);
        }
    });

    // A new run number in the Running phase: start the driver for it.
    {
        let running = model.run.is_running();
        let run_number = model.run.run_number;
        let plan = model.run.plan.clone();
        let calibration = model.calibration;
        let control = control.clone();
        let dispatch = dispatch.clone();
        use_effect_with((run_number, running), move |(run_number, running)| {
            if *running {
                let plan = plan
                    .iter()
                    .map(|item| {
                        let workload = item.workload(&calibration);
                        (workload, item.executor, item.machine(&calibration))
                    })
                    .collect();
                let fresh = Rc::new(RunControl::default());
                *control.borrow_mut() = fresh.clone();
                let report = dispatch.reform(PageAction::Run);
                wasm_bindgen_futures::spawn_local(drive(*run_number, plan, fresh, report));
            }
        });
    }

    // Stop: abort the run the driver is running.
    {
        let control = control.clone();
        let stop = (model.run.run_number, model.run.stop_requested);
        use_effect_with(stop, move |(_, stop_requested)| {
            if *stop_requested {
                control.borrow().stop();
            }
        });
    }

    // "Discard warm pool": terminate the pool's workers (the watcher reports the new count).
    use_effect_with(model.pool.discards, |discards| {
        if *discards > 0 {
            crate::pool::discard();
        }
    });

    // A lab that runs threads starts its interpreter worker when it opens, so that a first
    // run is warm; again when the GIL setting or the pool size changes.
    {
        let machine = model.machine();
        // The compare table has rows on threads too.
        let uses_threads = model.is_compare()
            || model.ready_lab().is_some_and(|lab| {
                lab.executors
                    .iter()
                    .any(|e| matches!(e, ExecutorId::Threads | ExecutorId::RunInExecutor))
            });
        let interpreters = machine.interpreters();
        use_effect_with((uses_threads, interpreters), move |(uses_threads, _)| {
            if *uses_threads {
                crate::threads::prewarm(&machine);
            }
        });
    }

    // Every ended run: one result message to the host page.
    {
        let message = model.result_message();
        let ended = matches!(model.run.phase, Phase::Ended(_));
        use_effect_with((model.run.run_number, ended), move |(_, ended)| {
            if *ended {
                if let Some(message) = message {
                    embed::post_result(&message);
                }
            }
        });
    }

    // When a run ends, an item of it does, or an export is asked for (not on every progress
    // render): the compare lab's result message for each row that ended, and the file of the
    // runs shown that Export JSON or CSV asked for.
    {
        let sent = use_mut_ref(|| (0u64, 0usize));
        let exported = use_mut_ref(|| 0u32);
        let page = page.clone();
        let dispatch = dispatch.clone();
        let ended = matches!(model.run.phase, Phase::Ended(_));
        let deps = (
            model.run.run_number,
            model.run.traces.len(),
            ended,
            model.exports,
        );
        use_effect_with(deps, move |(run_number, _, _, (exports, csv))| {
            if *exports > *exported.borrow() {
                *exported.borrow_mut() = *exports;
                super::files::export(&page.0, *csv, dispatch);
            }
            let messages = page.0.compare_messages();
            let mut sent = sent.borrow_mut();
            if sent.0 != *run_number {
                *sent = (*run_number, 0);
            }
            for message in messages.iter().skip(sent.1) {
                embed::post_result(message);
            }
            sent.1 = sent.1.max(messages.len());
        });
    }

    // The generators lab: frames while its stepper wants them, one result message per run.
    {
        let wants_frames = model.stepper.as_ref().is_some_and(|s| s.wants_frames());
        let dispatch = dispatch.clone();
        use_effect_with(wants_frames, move |wants| {
            let frames = wants.then(|| stepper::drive_frames(dispatch));
            move || drop(frames)
        });
        let message = model.stepper_result_message();
        let ended_run = model
            .stepper
            .as_ref()
            .and_then(|s| s.result())
            .map(|r| r.run_number);
        use_effect_with(ended_run, move |ended_run| {
            if ended_run.is_some() {
                if let Some(message) = message {
                    embed::post_result(&message);
                }
            }
        });
    }

    // Where the lab's requests go: looked for on load, and again when `network` changes.
    {
        let dispatch = dispatch.clone();
        let wanted = (model.network == Network::Looking)
            .then(|| model.url.values.choice(labs::params::keys::NETWORK));
        use_effect_with(wanted, move |wanted| {
            if let Some(choice) = *wanted {
                wasm_bindgen_futures::spawn_local(async move {
                    dispatch.emit(PageAction::NetworkFound(net::find_network(choice).await));
                });
            }
        });
    }

    // The lab's prose, read from its notes file once the page is up (not in the download).
    {
        let dispatch = dispatch.clone();
        let lab = model.url.lab.map(|l| l.id);
        use_effect_with(lab, move |lab| {
            if let Some(id) = *lab {
                wasm_bindgen_futures::spawn_local(async move {
                    let text = net::get_text(&notes::path(id)).await;
                    dispatch.emit(PageAction::NotesArrived(text));
                });
            }
        });
    }

    // Once: import=, run=1, the host page's commands, the pool's live workers, and height reports when
    // framed.
    {
        let dispatch = dispatch.clone();
        let root = root.clone();
        let run_on_load = model.url.run
            && (model.ready_lab().is_some() || model.stepper.is_some() || model.is_compare());
        let embedded = model.url.embed;
        let import = model.url.import.clone();
        use_effect_with((), move |_| {
            if let Some(path) = import {
                super::files::import(path.clone().into(), path, true, dispatch.clone());
            }
            if run_on_load {
                // A lab that makes requests starts once its latency endpoint is found.
                dispatch.emit(PageAction::RequestRun);
            }
            let pool_alive = dispatch.reform(PageAction::PoolAlive);
            crate::pool::watch_alive(move |alive| pool_alive.emit(alive));
            let commands = embed::listen_to_parent(move |command| {
                dispatch.emit(match command {
                    HostCommand::Run => PageAction::RequestRun,
                    HostCommand::Stop => PageAction::Stop,
                })
            });
            let resize = if embedded || embed::is_framed() {
                root.cast::<web_sys::Element>()
                    .and_then(|el| embed::report_height(&el))
            } else {
                None
            };
            move || {
                drop(commands);
                drop(resize);
            }
        });
    }

    let on_stop = dispatch.reform(|_| PageAction::Stop);

    let body = match model.url.lab {
        None => home::view(model),
        Some(lab) => match lab.body {
            LabBody::Workload => lab::view(model, lab, &dispatch, on_stop),
            LabBody::Stepper => stepper::view(model, lab, &dispatch),
            LabBody::Cases => pitfalls::view(model, lab, &dispatch),
            LabBody::Compare => compare::view(model, lab, &dispatch, on_stop),
        },
    };
    let embedded = model.url.embed;
    html! {
        <div class={classes!("app", embedded.then_some("embedded"))} ref={root}>
            if !embedded {
                <header class="banner">
                    <a class="brand" href="?">{ "All labs" }</a>
                    <span class="brand-name">{ "Async Playground" }</span>
                    { theme_select(model.url.theme, &dispatch) }
                </header>
            }
            <main id="main">
                <Vitals />
                { body }
            </main>
        </div>
    }
}

fn theme_select(theme: Option<Theme>, dispatch: &Dispatch) -> Html {
    let onchange = dispatch.reform(|e: Event| {
        let value = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        PageAction::SetTheme(match value.as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        })
    });
    let current = theme.map(Theme::id).unwrap_or("system");
    html! {
        <label class="theme">
            { "Theme" }
            <select {onchange}>
                { for [("system", "System"), ("light", "Light"), ("dark", "Dark")].into_iter().map(|(value, label)| html! {
                    <option {value} selected={value == current}>{ label }</option>
                }) }
            </select>
        </label>
    }
}
