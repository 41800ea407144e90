//! The Python a lab's run stands for (written with the run's values, with a `Copy` button),
//! what to notice, where the article is wrong, and the article's own code a click away.

use super::share::CopyButton;
use playground_core::labs::LabSpec;
use yew::prelude::*;

/// Props: the lab and its program for the current values.
#[derive(Properties, Clone, PartialEq)]
pub struct ExplainProps {
    /// The lab.
    pub lab: &'static LabSpec,
    /// Its Python for the current values, executors and page address.
    pub program: AttrValue,
}

/// The lab's explanation panel.
#[component]
pub fn Explain(props: &ExplainProps) -> Html {
    let lab = props.lab;
    html! {
        <section class="explain" aria-labelledby="python-title">
            <h2 id="python-title">{ "The Python it stands for" }</h2>
            <p class="python-note">
                { "This run's own program, written with its values: save it as a file (not named after a module it imports, such as http.py) and run it with python3 (3.10 or newer; the HTTP labs need pip install aiohttp requests) to see what Output prints." }
            </p>
            <CopyButton label="Copy" text={props.program.clone()} />
            <pre class="code" tabindex="0" aria-labelledby="python-title"><code>{ props.program.clone() }</code></pre>
            <h2>{ "What to notice" }</h2>
            <ul class="notice-list">
                { for lab.notice.iter().map(|n| html! { <li>{ *n }</li> }) }
            </ul>
            if !lab.corrections.is_empty() {
                <h2>{ "Where the article is wrong" }</h2>
                <ul class="corrections">
                    { for lab.corrections.iter().map(|n| html! { <li>{ *n }</li> }) }
                </ul>
            }
            if !lab.article.is_empty() {
                <details class="article-code">
                    <summary>{ "The article's original" }</summary>
                    <pre class="code" tabindex="0" aria-label="The article's original code"><code>{ lab.article }</code></pre>
                </details>
            }
        </section>
    }
}
