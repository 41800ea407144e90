//! The corrected Python a lab stands for, what to notice, and where the article is wrong.

use playground_core::labs::LabSpec;
use yew::prelude::*;

/// The lab's explanation panel.
pub fn view(lab: &'static LabSpec) -> Html {
    html! {
        <section class="explain" aria-labelledby="python-title">
            <h2 id="python-title">{ "The Python it stands for" }</h2>
            <pre class="code" tabindex="0"><code>{ lab.python }</code></pre>
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
        </section>
    }
}
