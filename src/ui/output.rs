//! The printed lines of a run, in order, each with its time, executor and task.

use super::Traces;
use sim::format;
use sim::trace::{RunStatus, Trace};
use yew::prelude::*;

/// Long outputs show this many lines at each end.
const SHOWN_AT_EACH_END: usize = 100;

/// Props: the traces of the run so far.
#[derive(Properties, Clone, PartialEq)]
pub struct OutputProps {
    /// In run order.
    pub traces: Traces,
    /// The time cursor: only what was printed by then is shown (`None`: everything).
    #[prop_or_default]
    pub until_ms: Option<f64>,
}

fn line(trace: &Trace, i: usize, until_ms: f64) -> Html {
    let unit = trace.executor.spec().unit;
    let who = format!(
        "{} \u{b7} {unit} {}",
        trace.executor.id(),
        trace.output.task[i] + 1
    );
    html! {
        <li hidden={trace.output.t_ms[i] > until_ms}>
            <span class="t">{ format::stamp(trace.output.t_ms[i]) }</span>
            <span class="who">{ who }</span>
            <samp class="text">{ trace.output.line(i) }</samp>
        </li>
    }
}

/// The line the lab's Python prints when an executor's run is over: `event-loop: 1.00 s`
/// (once the cursor, `until_ms`, has reached it).
fn elapsed(trace: &Trace, until_ms: f64) -> Html {
    if trace.status != RunStatus::Finished || trace.wall_ms > until_ms {
        return Html::default();
    }
    let id = trace.executor.id();
    html! {
        <li class="elapsed">
            <span class="t">{ format::stamp(trace.wall_ms) }</span>
            <span class="who">{ id }</span>
            <samp class="text">{ format!("{id}: {} s", format::fixed(trace.wall_ms / 1000.0, 2)) }</samp>
        </li>
    }
}

fn lines(trace: &Trace, until_ms: f64) -> Html {
    html! { <>{ printed(trace, until_ms) }{ elapsed(trace, until_ms) }</> }
}

/// The lines of the run, those printed after `until_ms` hidden (the time cursor).
fn printed(trace: &Trace, until_ms: f64) -> Html {
    let n = trace.output.len();
    if n <= 2 * SHOWN_AT_EACH_END {
        return (0..n).map(|i| line(trace, i, until_ms)).collect::<Html>();
    }
    let left_out = n - 2 * SHOWN_AT_EACH_END;
    html! {
        <>
            { for (0..SHOWN_AT_EACH_END).map(|i| line(trace, i, until_ms)) }
            <li class="omitted">{ format!("\u{2026} {} more lines of {} \u{2026}", format::count(left_out as u64), trace.executor.id()) }</li>
            { for (n - SHOWN_AT_EACH_END..n).map(|i| line(trace, i, until_ms)) }
        </>
    }
}

#[component]
pub fn Output(props: &OutputProps) -> Html {
    let empty = props
        .traces
        .0
        .iter()
        .all(|t| t.output.is_empty() && t.status != RunStatus::Finished);
    html! {
        <section class="output-panel" aria-labelledby="output-title">
            <h2 id="output-title">{ "Output" }</h2>
            // The log scrolls: it takes focus, so a keyboard can scroll it too. A list inside it
            // keeps each line a list item (a list that is itself the log would not be a list).
            <div class="output" role="log" aria-label="Output" tabindex="0">
                <ol>{ for props.traces.0.iter().map(|t| lines(t, props.until_ms.unwrap_or(f64::INFINITY))) }</ol>
            </div>
            if let Some(t) = props.until_ms {
                <p class="hint">{ format!("What was printed by {}: the time cursor is on the run.", format::stamp(t)) }</p>
            }
            if empty {
                <p class="hint">{ "What the tasks print appears here, with its time; after each executor, its elapsed time, as the Python prints it." }</p>
            }
        </section>
    }
}
