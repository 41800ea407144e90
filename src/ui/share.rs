//! The share link and the embed snippet, each with a copy button.

use labs::LabSpec;
use page::state::PageModel;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// Props: the absolute links to offer.
#[derive(Properties, Clone, PartialEq)]
pub struct ShareProps {
    /// The link that reproduces the page.
    pub link: AttrValue,
    /// The same link with `run=1`.
    pub link_run: AttrValue,
    /// The embed frame's address.
    pub embed_src: AttrValue,
    /// The lab's title, for the frame's title.
    pub title: AttrValue,
}

/// Escapes text for an HTML attribute value in the snippet.
fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

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
    let snippet = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"900\" loading=\"lazy\" style=\"border:0\"></iframe>",
        attr(&props.embed_src),
        attr(&format!("Async Playground: {}", props.title))
    );
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
            <div class="field">
                <label for="embed-snippet">{ "Embed snippet" }</label>
                <textarea id="embed-snippet" readonly=true rows="4" value={snippet.clone()} />
                <div class="row">
                    { copy_button("Copy embed snippet".into(), None, snippet, embed_feedback.clone()) }
                    <span class="feedback" aria-live="polite">{ (*embed_feedback).clone() }</span>
                </div>
            </div>
        </section>
    }
}

/// The share link, its run-on-open twin and the embed snippet of the page as it stands.
pub fn of_page(model: &PageModel, lab: &'static LabSpec) -> Html {
    let base = &model.address;
    html! {
        <Share link={format!("{base}?{}", model.share_query(false))}
            link_run={format!("{base}?{}", model.share_query(true))}
            embed_src={format!("{base}?{}", model.embed_query())}
            title={lab.title} />
    }
}
