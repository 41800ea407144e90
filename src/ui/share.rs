//! The share link and the embed snippet, each with a copy button, the snippet's options, and
//! the "Embed" button near a lab's title.

use super::Dispatch;
use labs::LabSpec;
use page::embed_snippet::{EmbedChange, EmbedOptions, HEIGHTS};
use page::state::{PageAction, PageModel};
use page::url_state::Theme;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

async fn copy(text: String) -> bool {
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
        return false;
    };
    JsFuture::from(clipboard.write_text(&text)).await.is_ok()
}

pub(super) fn copy_button(
    label: AttrValue,
    name: Option<AttrValue>,
    text: String,
    feedback: UseStateHandle<String>,
) -> Html {
    let onclick = Callback::from(move |_| {
        let text = text.clone();
        let feedback = feedback.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let ok = copy(text).await;
            feedback.set(if ok {
                "Copied.".to_string()
            } else {
                "Copying was refused: select the text and copy it by hand.".to_string()
            });
        });
    });
    html! { <button type="button" class="secondary" aria-label={name} {onclick}>{ label }</button> }
}

/// Props of a copy button with its own feedback line.
#[derive(Properties, Clone, PartialEq)]
pub struct CopyProps {
    /// The button's label (`Copy`).
    pub label: AttrValue,
    /// Its accessible name where several copy buttons share a page (it starts with `label`).
    #[prop_or_default]
    pub name: Option<AttrValue>,
    /// What it copies.
    pub text: AttrValue,
}

/// A button that copies `text`, and says whether it could.
#[component]
pub fn CopyButton(props: &CopyProps) -> Html {
    let feedback = use_state(String::new);
    html! {
        <div class="row copy-row">
            { copy_button(props.label.clone(), props.name.clone(), props.text.to_string(), feedback.clone()) }
            <span class="feedback" aria-live="polite">{ (*feedback).clone() }</span>
        </div>
    }
}

/// Props: the absolute links to offer, and the embed snippet with its options.
#[derive(Properties, Clone, PartialEq)]
pub struct ShareProps {
    /// The link that reproduces the page.
    pub link: AttrValue,
    /// The same link with `run=1`.
    pub link_run: AttrValue,
    /// The `<iframe>` to paste, as the options below make it.
    pub snippet: AttrValue,
    /// What the author chose for the frame.
    pub options: EmbedOptions,
    /// Sends the options' changes.
    pub dispatch: Dispatch,
}

#[component]
pub fn Share(props: &ShareProps) -> Html {
    let run_on_open = use_state(|| false);
    let link_feedback = use_state(String::new);
    let embed_feedback = use_state(String::new);
    let link = if *run_on_open {
        props.link_run.to_string()
    } else {
        props.link.to_string()
    };
    let toggle = {
        let run_on_open = run_on_open.clone();
        Callback::from(move |e: Event| {
            run_on_open.set(
                e.target_dyn_into::<web_sys::HtmlInputElement>()
                    .map(|i| i.checked())
                    .unwrap_or(false),
            )
        })
    };
    let options = &props.options;
    let change = |to: fn(String, bool) -> EmbedChange| {
        props.dispatch.reform(move |e: Event| {
            let (value, checked) = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| (i.value(), i.checked()))
                .or_else(|| {
                    e.target_dyn_into::<web_sys::HtmlSelectElement>()
                        .map(|s| (s.value(), false))
                })
                .unwrap_or_default();
            PageAction::Embed(to(value, checked))
        })
    };
    let theme = options.theme.map(Theme::id).unwrap_or("");
    html! {
        <section class="share" aria-labelledby="share-title">
            <h2 id="share-title">{ "Share and embed" }</h2>
            <div class="field">
                <label for="share-link">{ "Share link" }</label>
                <input id="share-link" type="text" readonly=true value={link.clone()} />
                <div class="row">
                    <label class="inline">
                        <input type="checkbox" checked={*run_on_open} onchange={toggle} />
                        { "Start the run when the link opens" }
                    </label>
                    { copy_button("Copy link".into(), None, link, link_feedback.clone()) }
                    <span class="feedback" aria-live="polite">{ (*link_feedback).clone() }</span>
                </div>
            </div>
            <fieldset class="embed-options">
                <legend>{ "The embedded frame" }</legend>
                <label for="embed-id">{ "Frame id (optional)" }</label>
                <input id="embed-id" type="text" autocomplete="off" value={options.id.clone()}
                    onchange={change(|v, _| EmbedChange::Id(v))} />
                <p class="hint">{ "Named in the frame's result messages, to tell several frames apart." }</p>
                <label class="inline">
                    <input type="checkbox" checked={options.run} onchange={change(|_, on| EmbedChange::Run(on))} />
                    { "Run when the frame opens" }
                </label>
                <label for="embed-theme">{ "Frame theme" }</label>
                <select id="embed-theme" onchange={change(|v, _| EmbedChange::Theme(match v.as_str() {
                    "light" => Some(Theme::Light),
                    "dark" => Some(Theme::Dark),
                    _ => None,
                }))}>
                    { for [("", "The reader's system setting"), ("light", "Light"), ("dark", "Dark")].into_iter().map(|(value, label)| html! {
                        <option {value} selected={value == theme}>{ label }</option>
                    }) }
                </select>
                <label for="embed-height">{ "Frame height (px)" }</label>
                <input id="embed-height" type="number" inputmode="numeric" min={HEIGHTS.start().to_string()}
                    max={HEIGHTS.end().to_string()} step="50" value={options.height.to_string()}
                    onchange={change(|v, _| EmbedChange::Height(v))} />
                <p class="hint">{ "Course pages that listen to the frame's resize messages size it to the lab; this height is for the others." }</p>
            </fieldset>
            <div class="field">
                <label for="embed-snippet">{ "Embed snippet" }</label>
                <textarea id="embed-snippet" readonly=true rows="4" value={props.snippet.clone()} />
                <div class="row">
                    { copy_button("Copy embed snippet".into(), None, props.snippet.to_string(), embed_feedback.clone()) }
                    <span class="feedback" aria-live="polite">{ (*embed_feedback).clone() }</span>
                </div>
            </div>
        </section>
    }
}

/// The share link, its run-on-open twin and the embed snippet of the page as it stands; none
/// in an embedded page (its "Open the full lab" link leads to them).
pub fn of_page(model: &PageModel, lab: &'static LabSpec, dispatch: &Dispatch) -> Html {
    if model.url.embed {
        return Html::default();
    }
    let base = &model.address;
    html! {
        <Share link={format!("{base}?{}", model.share_query(false))}
            link_run={format!("{base}?{}", model.share_query(true))}
            snippet={model.embed_snippet(base, lab.title)}
            options={model.embed.clone()}
            dispatch={dispatch.clone()} />
    }
}

/// Near a lab's title: "Embed", which brings the embed options into view and focuses the
/// first; in an embedded page, a link to the full lab instead.
pub fn head_action(model: &PageModel, lab: &'static LabSpec) -> Html {
    if model.url.embed {
        let full = format!("{}?{}", model.address, model.share_query(false));
        return html! {
            <a class="full-lab" href={full} target="_blank" rel="noopener">{ "Open the full lab" }</a>
        };
    }
    // The pitfalls' cases have no snippet of their own.
    if lab.body == labs::LabBody::Cases {
        return Html::default();
    }
    html! {
        <button type="button" class="secondary small embed-button" onclick={Callback::from(to_embed_options)}>{ "Embed" }</button>
    }
}

fn to_embed_options(_: MouseEvent) {
    super::bring_into_view("embed-id");
}
