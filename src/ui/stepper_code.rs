//! The generators lab's Python, with the line the last step stopped on marked, the article's
//! original a click away, and what to notice.

use labs::notes::{section, NotesState};
use page::state::PageModel;
use sim::generators::{python, Place, Stepper};
use yew::prelude::*;

/// The corrected Python of the version being run, with a `Copy` button; its lines numbered
/// and the current one marked by CSS (so the text is the program alone), by a class,
/// `aria-current` and a visible arrow, never by colour alone. Each line is a block of its own,
/// so the marked one is highlighted across the whole width; the page's helper class is folded.
pub fn view(model: &PageModel, stepper: &Stepper) -> Html {
    let scheduler = stepper.scheduler();
    let solution = scheduler.solution();
    let seconds = model
        .url
        .values
        .get(labs::params::keys::SECONDS)
        .map(|v| v.to_url())
        .unwrap_or_else(|| "1".to_string());
    let place = scheduler.last().map(|r| r.place);
    // Inside asleep, hello waits at its `yield from`: that line is marked too.
    let waiting = match place {
        Some(Place::AsleepYield) => python::line(solution, Place::YieldFromAsleep),
        _ => None,
    };
    html! {
        <Program source={AttrValue::from(python::source(solution, &seconds))}
            number={solution.number()}
            current={place.and_then(|p| python::line(solution, p))}
            {waiting} helper={python::helper(solution)} />
    }
}

/// What [`Program`] draws.
#[derive(Properties, PartialEq)]
struct ProgramProps {
    source: AttrValue,
    number: u8,
    current: Option<usize>,
    waiting: Option<usize>,
    /// The helper class's first and last lines.
    helper: (usize, usize),
}

/// The program in a pane of its own that keeps the marked line in view (by scrolling itself,
/// never the page), with the helper class folded until the learner opens it.
#[function_component]
fn Program(props: &ProgramProps) -> Html {
    let folded = use_state(|| true);
    let pre = use_node_ref();
    {
        let pre = pre.clone();
        use_effect_with((props.current, *folded), move |_| {
            if let Some(pre) = pre.cast::<web_sys::HtmlElement>() {
                super::show_line(&pre, ".line.current");
            }
        });
    }
    let (first, last) = props.helper;
    let toggle = {
        let folded = folded.clone();
        Callback::from(move |_: MouseEvent| folded.set(!*folded))
    };
    let fold_label = if *folded {
        "Show class Collapsed".to_string()
    } else {
        "Fold class Collapsed".to_string()
    };
    html! {
        <section class="explain stepper-code" aria-labelledby="stepper-python-title">
            <div class="code-head">
                <h2 id="stepper-python-title">{ format!("The Python of version {}", props.number) }</h2>
                <super::share::CopyButton label="Copy" text={props.source.clone()} />
            </div>
            <pre id="stepper-program" ref={pre} class={classes!("code", "numbered", folded.then_some("folded"))}
                tabindex="0" aria-labelledby="stepper-python-title"
                data-current-line={props.current.map(|n| n.to_string())}><code>
                { for props.source.lines().enumerate().map(|(i, text)| {
                    let n = i + 1;
                    let is_current = Some(n) == props.current;
                    let part = if n == first {
                        Some("helper-head")
                    } else if n > first && n <= last {
                        Some("helper-body")
                    } else {
                        None
                    };
                    html! {
                        <span class={classes!("line", is_current.then_some("current"),
                                (Some(n) == props.waiting).then_some("waiting"), part)}
                            data-n={n.to_string()}
                            data-folded={(n == first).then(|| format!("\u{2026} {} lines folded", last - first))}
                            aria-current={is_current.then_some("step")}>
                            { text }
                        </span>
                    }
                }) }
            </code></pre>
            <div class="code-foot">
                <p class="help">
                    { "\u{25b6} where it stopped" }
                    if props.waiting.is_some() { { "; \u{22ee} hello waits" } }
                </p>
                <button type="button" class="secondary small" aria-expanded={(!*folded).to_string()}
                    aria-controls="stepper-program" title={format!("Lines {first} to {last}: the page's stand-in for sys.stdout")}
                    onclick={toggle}>{ fold_label }</button>
            </div>
        </section>
    }
}

/// What to notice, for this version and for the lab, where the article is wrong, and the
/// article's own code a click away.
pub fn explain(stepper: &Stepper, notes: &NotesState, article: &'static str) -> Html {
    let solution = stepper.scheduler().solution();
    let version = section::version(solution.number());
    html! {
        <section class="explain" aria-labelledby="notice-title">
            <h2 id="notice-title">{ format!("What to notice in version {}", solution.number()) }</h2>
            <p>{ "The program prints through class Collapsed, as the page's Output does: a run of one value from next() is one line with its count, where the article's loop prints every one." }</p>
            { super::notes::list(notes, &[&version, section::NOTICE], "notice-list") }
            { super::notes::corrections(notes) }
            <p class="article-link"><a href={article} target="_blank">{ "The article's original code" }</a>{ " (opens as text in a new tab)" }</p>
        </section>
    }
}
