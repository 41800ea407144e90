//! The pitfalls lab's page: each case's Python and what Python says, the Rust analog and
//! what Rust says, and a live run where the page can make one.

use super::Dispatch;
use crate::clock;
use labs::notes::{section, NotesState};
use labs::pitfalls::{Live, Pitfall, BLOCK_MS, PITFALLS};
use labs::LabSpec;
use page::rooms::cases::{CasesAction, CasesRoom};
use page::state::{PageAction, PageModel};
use sim::exec::Runtime;
use sim::format;
use yew::prelude::*;

/// Holds the page's only thread for [`BLOCK_MS`], as `time.sleep` inside a coroutine holds
/// the event loop's, and says how long it held it.
fn block_the_page(dispatch: &Dispatch) -> Callback<MouseEvent> {
    dispatch.reform(|_| {
        crate::vitals::reset_peaks();
        let start = clock::now_ms();
        crate::runtime::ThreadRuntime::default().block_for(BLOCK_MS);
        PageAction::Cases(CasesAction::Blocked {
            held_ms: clock::now_ms() - start,
        })
    })
}

fn live_run(runs: &CasesRoom, pitfall: &Pitfall, dispatch: &Dispatch) -> Html {
    match pitfall.live {
        Live::Nothing(why) => html! { <p class="note">{ why }</p> },
        Live::ForgottenAwait => {
            let run = dispatch.reform(|_| PageAction::Cases(CasesAction::RunForgottenAwait));
            let shown = |lines: &[&str]| {
                if lines.is_empty() {
                    "nothing".to_string()
                } else {
                    lines.join(", ")
                }
            };
            html! {
                <div class="live">
                    <button type="button" class="secondary" onclick={run}>{ "Call hello() without .await, then with it" }</button>
                    if let Some(outcome) = &runs.forgotten_await {
                        <ul class="live-result" aria-label="Live result: forgotten await">
                            <li>{ "Without .await, hello() printed: " }<samp>{ shown(&outcome.without_await) }</samp></li>
                            <li>{ "With .await, hello() printed: " }<samp>{ shown(&outcome.with_await) }</samp></li>
                        </ul>
                    }
                </div>
            }
        }
        Live::BlockThePage => html! {
            <div class="live">
                <p class="warning">{ format!("This button holds the page's only thread for {}: the page freezes, the heartbeat stops and nothing answers clicks until it ends.", format::duration(BLOCK_MS)) }</p>
                <button type="button" class="secondary" onclick={block_the_page(dispatch)}>{ format!("Block this page for {}", format::duration(BLOCK_MS)) }</button>
                if let Some(held_ms) = runs.blocked_ms {
                    <p class="live-result" aria-label="Live result: blocking sleep">
                        { format!("The page was blocked for {}: the heartbeat above stood still, and the event-loop lag meter's peak shows how late its timer ran.", format::duration(held_ms)) }
                    </p>
                }
            </div>
        },
    }
}

/// Why a pitfall's Python or Rust (`language`) says what it says, once the notes are read.
fn why(model: &PageModel, pitfall: &Pitfall, language: &str) -> String {
    model
        .notes
        .get(&section::why(pitfall.id, language))
        .join(" ")
}

fn case(
    model: &PageModel,
    runs: &CasesRoom,
    pitfall: &'static Pitfall,
    dispatch: &Dispatch,
) -> Html {
    let title_id = format!("pitfall-{}", pitfall.id);
    html! {
        <article class="pitfall" id={pitfall.id} aria-labelledby={title_id.clone()}>
            <h2 id={title_id}>{ pitfall.title }</h2>
            <div class="pitfall-sides">
                <div>
                    <h3>{ "Python" }</h3>
                    <super::share::CopyButton label="Copy" name={format!("Copy the Python: {}", pitfall.title)} text={pitfall.python} />
                    <pre class="code" tabindex="0"><code>{ pitfall.python }</code></pre>
                    <h3>{ "What Python says" }</h3>
                    <pre class="says" tabindex="0" aria-label={format!("What Python says: {}", pitfall.title)}><samp>{ pitfall.python_says }</samp></pre>
                    <p>{ why(model, pitfall, "python") }</p>
                </div>
                <div>
                    <h3>{ "The Rust analog" }</h3>
                    <pre class="code" tabindex="0"><code>{ pitfall.rust }</code></pre>
                    <h3>{ "What Rust says" }</h3>
                    <pre class="says" tabindex="0" aria-label={format!("What Rust says: {}", pitfall.title)}><samp>{ pitfall.rust_says }</samp></pre>
                    <p>{ why(model, pitfall, "rust") }</p>
                </div>
            </div>
            <h3>{ "Live run" }</h3>
            { live_run(runs, pitfall, dispatch) }
        </article>
    }
}

/// The whole pitfalls page.
pub fn view(
    model: &PageModel,
    lab: &'static LabSpec,
    runs: &CasesRoom,
    dispatch: &Dispatch,
) -> Html {
    let body = html! {
        <>
            { match &model.notes {
                NotesState::Ready(notes) => html! {
                    { for notes.get(section::NOTICE).iter().map(|n| html! { <p class="lede">{ n.clone() }</p> }) }
                },
                other => super::notes::list(other, &[], ""),
            } }
            <p class="note">{ "Each Python snippet's output was checked with CPython 3.11, 3.12 and 3.13; each Rust snippet's with rustc 1.95." }</p>
            <section class="cases" aria-label="Cases">
                { for PITFALLS.iter().map(|p| case(model, runs, p, dispatch)) }
            </section>
        </>
    };
    super::frame::page(model, lab, super::frame::section_line(lab), body)
}
