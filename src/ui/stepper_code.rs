//! The generators lab's Python, with the line the last step stopped on marked, the article's
//! original a click away, and what to notice.

use labs::notes::{section, NotesState};
use page::state::PageModel;
use sim::generators::{python, Place, Stepper};
use yew::prelude::*;

/// The corrected Python of the version being run, with a `Copy` button; its lines numbered
/// and the current one marked by CSS (so the text is the program alone), by a class,
/// `aria-current` and a visible arrow, never by colour alone. Each line is a
/// block of its own, so the marked one is highlighted across the whole width.
pub fn view(model: &PageModel, stepper: &Stepper) -> Html {
    let scheduler = stepper.scheduler();
    let solution = scheduler.solution();
    let seconds = model
        .url
        .values
        .get(labs::params::keys::SECONDS)
        .map(|v| v.to_url())
        .unwrap_or_else(|| "1".to_string());
    let source = python::source(solution, &seconds);
    let place = scheduler.last().map(|r| r.place);
    let current = place.and_then(|p| python::line(solution, p));
    // Inside asleep, hello waits at its `yield from`: that line is marked too.
    let waiting = match place {
        Some(Place::AsleepYield) => python::line(solution, Place::YieldFromAsleep),
        _ => None,
    };
    html! {
        <section class="explain stepper-code" aria-labelledby="stepper-python-title">
            <h2 id="stepper-python-title">{ format!("The Python of version {}", solution.number()) }</h2>
            <super::share::CopyButton label="Copy" text={source.clone()} />
            <pre class="code numbered" tabindex="0" data-current-line={current.map(|n| n.to_string())}><code>
                { for source.lines().enumerate().map(|(i, text)| {
                    let n = i + 1;
                    let is_current = Some(n) == current;
                    let is_waiting = Some(n) == waiting;
                    html! {
                        <span class={classes!("line", is_current.then_some("current"), is_waiting.then_some("waiting"))}
                            aria-current={is_current.then_some("step")}>
                            { text }
                        </span>
                    }
                }) }
            </code></pre>
            <p class="help">
                { "\u{25b6} marks the line where the last step stopped" }
                if waiting.is_some() { { "; \u{22ee} where hello waits on asleep" } }
                { ". The loop prints a run of one value once, with its count (the Collapsed class), as this page does; the article's loop prints every one." }
            </p>
            if !model.url.embed {
                <p class="article-link"><a href={model.url.lab.map_or("", |l| l.article)} target="_blank">{ "The article's original code" }</a>{ " (opens as text in a new tab)" }</p>
            }
        </section>
    }
}

/// What to notice, for this version and for the lab, and where the article is wrong.
pub fn explain(stepper: &Stepper, notes: &NotesState) -> Html {
    let solution = stepper.scheduler().solution();
    let version = section::version(solution.number());
    html! {
        <section class="explain" aria-labelledby="notice-title">
            <h2 id="notice-title">{ format!("What to notice in version {}", solution.number()) }</h2>
            { super::notes::list(notes, &[&version, section::NOTICE], "notice-list") }
            { super::notes::corrections(notes) }
        </section>
    }
}
