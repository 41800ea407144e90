//! The home page: every lab, from the registry.

use labs::{LabSpec, LABS};
use page::announce::run_announcement;
use page::state::PageModel;
use yew::prelude::*;

/// The status region: the URL's notices and the page's own, and (for screen readers; the
/// results show it) that a run started or ended.
pub fn notices(model: &PageModel) -> Html {
    html! {
        <div class="notices" role="status">
            { for model.notices.iter().map(|n| html! { <p class="notice">{ n }</p> }) }
            if let Some(text) = run_announcement(model) {
                <p class="announcement visually-hidden">{ text }</p>
            }
        </div>
    }
}

/// Every lab, with a line on what it shows.
pub fn view(model: &PageModel) -> Html {
    html! {
        <>
            { notices(model) }
            <h1>{ "Async Playground" }</h1>
            <p class="lede">
                { "Learn concurrency by running it. Each lab turns an experiment of the article \
                   \u{201c}Async\u{2026} oh, wait\u{201d} into something you can run, watch and \
                   change: sequential awaits against gather on the page's one thread, blocking \
                   sleeps that freeze it, thousands of sleeping tasks, and more." }
            </p>
            if model.url.embed {
                // Embedded: no navigation landmark, as the embed contract says; the list stays.
                <ul class="lab-list">{ for LABS.iter().map(lab_card) }</ul>
            } else {
                <nav aria-label="Labs">
                    <ul class="lab-list">{ for LABS.iter().map(lab_card) }</ul>
                </nav>
            }
        </>
    }
}

fn lab_card(lab: &'static LabSpec) -> Html {
    html! {
        <li class="lab-card">
            <a href={format!("?lab={}", lab.id)}>{ lab.title }</a>
            <p>{ lab.summary }</p>
            <p class="section">{ format!("Article section: {}", lab.section) }</p>
        </li>
    }
}
