//! The parameter form, built from the lab's parameter registry.

use super::Dispatch;
use labs::params::{AutoRule, ParamKind, ParamSpec, ParamValue};
use labs::LabSpec;
use page::rooms::runs::RunsAction;
use page::state::{PageAction, PageModel};
use sim::cpython;
use sim::executors::ExecutorId;
use sim::format;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn field_value(e: &Event) -> String {
    let Some(target) = e.target() else {
        return String::new();
    };
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        input.value()
    } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.value()
    } else {
        String::new()
    }
}

fn param_field(model: &PageModel, spec: &'static ParamSpec, dispatch: &Dispatch) -> Html {
    let id = format!("param-{}", spec.key);
    let help_id = format!("{id}-help");
    let error = model.field_error(spec.key);
    let described = if error.is_some() {
        format!("{help_id} {id}-error")
    } else {
        help_id.clone()
    };
    let key = spec.key;
    let onchange = dispatch.reform(move |e: Event| PageAction::SetParam {
        key: key.to_string(),
        raw: field_value(&e),
        commit: true,
    });
    let oninput = dispatch.reform(move |e: InputEvent| PageAction::SetParam {
        key: key.to_string(),
        raw: field_value(&e),
        commit: false,
    });
    let current = model.field_text(spec.key);
    let control = match spec.kind {
        ParamKind::Int { min, max, .. } => html! {
            <input type="number" id={id.clone()} name={spec.key} inputmode="numeric"
                min={min.to_string()} max={max.to_string()} step="1"
                value={current} {onchange} {oninput} aria-describedby={described}
                aria-invalid={error.is_some().to_string()} />
        },
        ParamKind::Float { min, max, step, .. } => html! {
            <input type="number" id={id.clone()} name={spec.key} inputmode="decimal"
                min={ParamValue::Float(min).to_url()} max={ParamValue::Float(max).to_url()}
                step={ParamValue::Float(step).to_url()}
                value={current} {onchange} {oninput} aria-describedby={described}
                aria-invalid={error.is_some().to_string()} />
        },
        ParamKind::AutoInt { .. } => html! {
            <input type="text" id={id.clone()} name={spec.key} inputmode="numeric"
                autocomplete="off" spellcheck="false"
                value={current} {onchange} {oninput} aria-describedby={described}
                aria-invalid={error.is_some().to_string()} />
        },
        ParamKind::Url => html! {
            <input type="url" id={id.clone()} name={spec.key} inputmode="url"
                autocomplete="off" spellcheck="false" placeholder="https://"
                value={current} {onchange} {oninput} aria-describedby={described}
                aria-invalid={error.is_some().to_string()} />
        },
        ParamKind::Choice { options, .. } => html! {
            <select id={id.clone()} name={spec.key} {onchange} aria-describedby={described}>
                { for options.iter().map(|(value, label)| html! {
                    <option value={*value} selected={*value == current}>{ *label }</option>
                }) }
            </select>
        },
    };
    html! {
        <div class="field">
            <label for={id.clone()}>{ spec.label }</label>
            { control }
            <p class="help" id={help_id}>{ spec.help }{ auto_note(model, spec) }</p>
            if let Some(error) = error {
                <p class="field-error" id={format!("{id}-error")}>{ error }</p>
            }
        </div>
    }
}

/// A parameter's field: tabs for a tabbed choice on the page kind that has one (the stepper's;
/// other kinds leave that code out of their download), else an input or a combobox.
fn field(model: &PageModel, spec: &'static ParamSpec, dispatch: &Dispatch) -> Html {
    #[cfg(feature = "stepper")]
    if spec.tabbed() {
        return tabs_field(model, spec, dispatch);
    }
    param_field(model, spec, dispatch)
}

/// The id of the part of the page a tabbed choice changes (its tab panel).
#[cfg(feature = "stepper")]
pub const TAB_PANEL: &str = "lab-panel";

/// The id of the tab for `value` of the choice `key`.
#[cfg(feature = "stepper")]
pub fn tab_id(key: &str, value: &str) -> String {
    format!("param-{key}-tab-{value}")
}

/// A choice of steps of one lesson as tabs: one per option, in order, each named by its
/// option's label (its number, then what it is: "0: no yield"); arrow keys, Home and End move
/// among them.
#[cfg(feature = "stepper")]
fn tabs_field(model: &PageModel, spec: &'static ParamSpec, dispatch: &Dispatch) -> Html {
    let ParamKind::Choice { options, .. } = spec.kind else {
        return Html::default();
    };
    let key = spec.key;
    let label_id = format!("param-{key}-label");
    let current = model.field_text(key);
    let at = options.iter().position(|(v, _)| *v == current).unwrap_or(0);
    let choose = move |index: usize| {
        let (value, _) = options[index];
        // The tab is on the page already: it takes the focus now, its selection on render.
        if let Some(tab) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&tab_id(key, value)))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = tab.focus();
        }
        PageAction::SetParam {
            key: key.to_string(),
            raw: value.to_string(),
            commit: true,
        }
    };
    let count = options.len();
    let onkeydown = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            let to = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => (at + 1) % count,
                "ArrowLeft" | "ArrowUp" => (at + count - 1) % count,
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            e.prevent_default();
            dispatch.emit(choose(to));
        })
    };
    html! {
        <div class="field tabs-field">
            <span class="label" id={label_id.clone()}>{ spec.label }</span>
            <div class="tabs" role="tablist" aria-labelledby={label_id} aria-describedby={format!("param-{key}-help")}>
                { for options.iter().enumerate().map(|(i, (value, label))| {
                    let selected = i == at;
                    let (number, text) = label.split_once(": ").unwrap_or((value, label));
                    html! {
                        <button type="button" role="tab" id={tab_id(key, value)}
                            aria-selected={selected.to_string()} aria-controls={TAB_PANEL}
                            tabindex={if selected { "0" } else { "-1" }}
                            onclick={dispatch.reform(move |_: MouseEvent| choose(i))}
                            onkeydown={onkeydown.clone()}>
                            // Named by its whole label ("0: no yield"); a phone shows the number.
                            <span class="tab-key">{ number }<span class="tab-colon">{ ":" }</span></span>
                            <span class="tab-text">{ text }</span>
                        </button>
                    }
                }) }
            </div>
            <p class="help" id={format!("param-{key}-help")}>{ spec.help }</p>
        </div>
    }
}

fn executor_choice(model: &PageModel, executor: ExecutorId, dispatch: &Dispatch) -> Html {
    let id = format!("executor-{}", executor.id());
    let checked = model.url.executors.contains(&executor);
    let onchange = dispatch.reform(move |e: Event| {
        PageAction::Runs(RunsAction::SetExecutor {
            executor,
            chosen: e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.checked())
                .unwrap_or(false),
        })
    });
    // An executor with nothing to do for this workload (processes behind the loop when
    // nothing blocks) is shown, unchecked and off, with the reason.
    let idle = model.workload().is_some_and(|w| !executor.takes(&w));
    let why_id = format!("{id}-why");
    html! {
        <>
            <div class="choice">
                <input type="checkbox" id={id.clone()} checked={checked && !idle} disabled={idle}
                    aria-describedby={idle.then(|| why_id.clone())} {onchange} />
                <label for={id}>
                    <span><code>{ executor.id() }</code>{ format!(": {}", executor.description()) }</span>
                </label>
            </div>
            if idle {
                <p class="help" id={why_id}>{ "Nothing blocks with sleep=async: nothing to hand to a process. Choose sleep=blocking." }</p>
            }
        </>
    }
}

/// For an `auto` number: what the page picked, and what that means here and in CPython.
fn auto_note(model: &PageModel, spec: &'static ParamSpec) -> String {
    let ParamKind::AutoInt { auto, .. } = spec.kind else {
        return String::new();
    };
    let resolved = model.resolved_values();
    let Some(ParamValue::Int(n)) = resolved.get(spec.key) else {
        return String::new();
    };
    if auto == AutoRule::Cores {
        return format!(" This browser reports {} cores.", model.calibration.cores);
    }
    let picked = if model.url.values.get(spec.key) == Some(&ParamValue::Auto) {
        format!(" Picked here: n = {}.", format::count(*n))
    } else {
        String::new()
    };
    format!(
        "{picked} One is_prime({}) takes about {} on this page; {} would take {} on a 2-core test machine.",
        format::count(*n),
        format::duration(model.calibration.estimate_ms(*n)),
        cpython::versions(),
        cpython::is_prime_text(*n),
    )
}

/// The form: the lab's main parameters, the executors it offers, then its advanced settings
/// folded (open when the link set one of them away from its default).
pub fn view(model: &PageModel, lab: &'static LabSpec, dispatch: &Dispatch) -> Html {
    let onsubmit = dispatch.reform(|e: SubmitEvent| {
        e.prevent_default();
        PageAction::RequestRun
    });
    let fields = |advanced: bool| {
        lab.params
            .iter()
            .filter(move |spec| spec.advanced() == advanced)
            .map(|spec| field(model, spec, dispatch))
            .collect::<Html>()
    };
    let advanced = fields(true);
    let has_advanced = lab.params.iter().any(ParamSpec::advanced);
    html! {
        <form class="params" aria-label="Parameters" {onsubmit}>
            <h2>{ "Parameters" }</h2>
            <div class="fields">{ fields(false) }</div>
            if !lab.executors.is_empty() {
                <fieldset class="executors">
                    <legend>{ "Executors" }</legend>
                    { for lab.executors.iter().map(|e| executor_choice(model, *e, dispatch)) }
                </fieldset>
            }
            // Its `open` is the page's as it opened and never changes after: the learner opens
            // and closes it, and an edit inside never folds it back.
            if has_advanced {
                <details class="advanced" open={model.advanced_open}>
                    <summary>{ "Advanced settings" }</summary>
                    <div class="fields">{ advanced }</div>
                </details>
            }
        </form>
    }
}
