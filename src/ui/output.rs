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
}

fn line(trace: &Trace, i: usize) -> Html {
    let unit = trace.executor.spec().unit;
    let who = format!(
        "{} \u{b7} {unit} {}",
        trace.executor.id(),
        trace.output.task[i] + 1
    );
    html! {
        <li>
            <span class="t">{ format::stamp(trace.output.t_ms[i]) }</span>
            <span class="who">{ who }</span>
            <samp class="text">{ trace.output.line(i) }</samp>
        </li>
    }
}

/// The line the lab's Python prints when an executor's run is over: `event-loop: 1.00 s`.
fn elapsed(trace: &Trace) -> Html {
    if trace.status != RunStatus::Finished {
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

fn lines(trace: &Trace) -> Html {
    html! { <>{ printed(trace) }{ elapsed(trace) }</> }
}

fn printed(trace: &Trace) -> Html {
    let n = trace.output.len();
    if n <= 2 * SHOWN_AT_EACH_END {
        return (0..n).map(|i| line(trace, i)).collect::<Html>();
    }
    let left_out = n - 2 * SHOWN_AT_EACH_END;
    html! {
        <>
            { for (0..SHOWN_AT_EACH_END).map(|i| line(trace, i)) }
            <li class="omitted">{ format!("\u{2026} {} more lines of {} \u{2026}", format::count(left_out as u64), trace.executor.id()) }</li>
            { for (n - SHOWN_AT_EACH_END..n).map(|i| line(trace, i)) }
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
                <ol>{ for props.traces.0.iter().map(|t| lines(t)) }</ol>
            </div>
            if empty {
                <p class="hint">{ "What the tasks print appears here, with its time; after each executor, its elapsed time, as the Python prints it." }</p>
            }
        </section>
    }
}
