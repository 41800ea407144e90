//! The generators lab's Results (the run's outcome and a timeline with one lane per
//! generator) and its Output log.

use super::timeline::{axis, pct};
use sim::format;
use sim::generators::{Lane, LineKind, MarkKind, Mode, Solution, Stepper};
use yew::prelude::*;

fn lane_name(solution: Solution, index: usize) -> String {
    match solution {
        Solution::NoYield => format!("call {}", index + 1),
        _ => format!("generator {}", index + 1),
    }
}

/// One lane: its `next()` calls as bars (taller for more calls), its blocking sleeps, and
/// shapes for hello (circle), goodbye (square) and its end (a line).
fn lane_track(lane: &Lane, now_ms: f64, axis_ms: f64) -> Html {
    let bins = &lane.ticks;
    let most = bins.counts.iter().copied().max().unwrap_or(0);
    // Bar heights in % of the track on a log scale: one call shows, the busiest bin is full.
    let height = |count: u64| {
        // A ratio of logarithms is the same in any base: log10, as the page's other scales
        // (one logarithm in the download, not two).
        let share = (count as f64 + 1.0).log10() / (most as f64 + 1.0).log10().max(1e-9);
        share.clamp(0.2, 1.0) * 60.0
    };
    html! {
        <svg class="tl-track gen-track" aria-hidden="true">
            { for lane.marks.iter().filter_map(|m| match m.kind {
                MarkKind::Slept { until_ms } => Some(html! {
                    <rect class="seg-blocking" x={pct(m.at_ms, axis_ms)}
                        width={pct((until_ms.min(now_ms) - m.at_ms).max(axis_ms / 2000.0), axis_ms)}
                        y="30%" height="40%" rx="2" />
                }),
                _ => None,
            }) }
            { for bins.counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, count)| {
                let h = height(*count);
                html! {
                    <rect class="gen-ticks" x={pct(i as f64 * bins.bin_ms, axis_ms)}
                        width={pct(bins.bin_ms.max(axis_ms / 1000.0), axis_ms)}
                        y={format!("{}%", format::fixed(80.0 - h, 1))}
                        height={format!("{}%", format::fixed(h, 1))} />
                }
            }) }
            { for lane.marks.iter().filter_map(|m| {
                let x = pct(m.at_ms, axis_ms);
                match m.kind {
                    MarkKind::Hello => Some(html! { <circle class="gen-hello" cx={x} cy="50%" r="4" /> }),
                    MarkKind::Goodbye => Some(html! { <rect class="gen-goodbye" x={x} y="33%" width="8" height="34%" /> }),
                    MarkKind::Ended | MarkKind::Raised => Some(html! {
                        <line class={classes!("mark", (m.kind == MarkKind::Raised).then_some("gen-raised"))} x1={x.clone()} x2={x} y1="5%" y2="95%" />
                    }),
                    MarkKind::Slept { .. } => None,
                }
            }) }
        </svg>
    }
}

fn lane_summary(name: &str, lane: &Lane) -> String {
    let mut parts = vec![format!(
        "{} next() calls",
        format::count(lane.ticks.total())
    )];
    for mark in &lane.marks {
        let at = format::stamp(mark.at_ms);
        parts.push(match mark.kind {
            MarkKind::Hello => format!("hello at {at}"),
            MarkKind::Goodbye => format!("goodbye at {at}"),
            MarkKind::Slept { until_ms } => {
                format!("time.sleep from {at} to {}", format::stamp(until_ms))
            }
            MarkKind::Ended => format!("ended at {at}"),
            MarkKind::Raised => format!("the loop raised on it at {at}"),
        });
    }
    format!("{name}: {}", parts.join(", "))
}

fn timeline(stepper: &Stepper) -> Html {
    let scheduler = stepper.scheduler();
    let solution = scheduler.solution();
    let now_ms = scheduler.now_ms();
    let axis_ms = now_ms
        .max(solution.expected_ms(scheduler.sleep_ms()))
        .max(1.0);
    html! {
        <figure class="timeline">
            <div class="tl-grid" role="img" aria-label="Timeline: generator-loop">
                { for scheduler.lanes().iter().enumerate().map(|(i, lane)| html! {
                    <>
                        <div class="tl-label">{ lane_name(solution, i) }</div>
                        { lane_track(lane, now_ms, axis_ms) }
                    </>
                }) }
                <div class="tl-label"></div>
                { axis(axis_ms) }
            </div>
            <figcaption class="legend">
                <span class="key gen-ticks">{ "next() calls (taller: more)" }</span>
                <span class="key seg-blocking">{ "blocked in time.sleep" }</span>
                <span class="key gen-hello">{ "hello" }</span>
                <span class="key gen-goodbye">{ "goodbye" }</span>
                <span class="key mark">{ "ended" }</span>
            </figcaption>
            <ul class="lane-summary">
                { for scheduler.lanes().iter().enumerate().map(|(i, lane)| html! {
                    <li>{ lane_summary(&lane_name(solution, i), lane) }</li>
                }) }
            </ul>
        </figure>
    }
}

/// What the version should take, in words.
fn expected_text(solution: Solution, sleep_ms: f64) -> String {
    let wait = format::duration(sleep_ms);
    match solution {
        Solution::NoYield | Solution::YieldThenSleep => {
            format!(
                "{}: two sleeps of {wait}, one after the other",
                format::duration(2.0 * sleep_ms)
            )
        }
        Solution::BusyWait | Solution::YieldFromAsleep => {
            format!("{wait}: one wait, shared")
        }
        Solution::YieldAsleep => "0 ms: nothing waits".to_string(),
    }
}

/// The Results region: the run's outcome, with the data attributes of every lab's result,
/// and its timeline.
pub fn view(stepper: &Stepper) -> Html {
    let scheduler = stepper.scheduler();
    let solution = scheduler.solution();
    let result = stepper.result().filter(|r| {
        r.run_number == stepper.run_number() && matches!(stepper.mode(), Mode::Ended(_))
    });
    let status = match (result, stepper.in_progress()) {
        (Some(r), _) => r.status.id(),
        (None, true) => "running",
        (None, false) => "pending",
    };
    let wall_ms = result.map_or(scheduler.now_ms(), |r| r.wall_ms);
    let expected_ms = solution.expected_ms(scheduler.sleep_ms());
    let done = scheduler.hellos_done();
    html! {
        <section class="results" aria-label="Results">
            <h2>{ "Results" }</h2>
            <article class={classes!("result", format!("status-{status}"))}
                aria-label="generator-loop result"
                data-executor="generator-loop" data-status={status}
                data-wall-ms={format::fixed(wall_ms, 1)} data-expected-ms={format::fixed(expected_ms, 1)}
                data-tasks-done={done.to_string()} data-tasks-total="2">
                <header>
                    <h3>{ format!("The loop, version {}", solution.number()) }</h3>
                    <span class="status-badge">{ status }</span>
                </header>
                <dl class="summary">
                    <div><dt>{ "Wall time" }</dt><dd>{ format::duration(wall_ms) }</dd></div>
                    <div class="wide"><dt>{ "Expected" }</dt><dd>{ expected_text(solution, scheduler.sleep_ms()) }</dd></div>
                    <div><dt>{ "hellos done" }</dt><dd>{ format!("{done} / 2") }</dd></div>
                </dl>
                if stepper.stepped_by_hand() {
                    <p class="hint by-hand">{ "Stepped by hand: the wall time counts your pauses between steps, not only the loop's own waits." }</p>
                }
                { timeline(stepper) }
            </article>
        </section>
    }
}

/// The Output log: what the generators and the loop printed, newest last and kept in view.
pub fn output(stepper: &Stepper) -> Html {
    let scheduler = stepper.scheduler();
    html! {
        <section class="output-panel" aria-labelledby="output-title">
            <h2 id="output-title">{ "Output" }</h2>
            // While Run goes, lines come every frame: the log stays quiet (the status region
            // says when the run starts and ends) and is read as a whole after.
            <div class="output gen-output" id="gen-output-log" role="log" aria-label="Output" tabindex="0"
                aria-live={if stepper.mode() == Mode::Running { "off" } else { "polite" }}>
                <ol>{ for scheduler.output().lines().iter().map(|line| html! {
                    <li class={classes!((line.kind == LineKind::Error).then_some("error"))}
                        data-source={line.source.id()} data-count={line.count.to_string()}>
                        <span class="t">{ format::stamp(line.first_ms) }</span>
                        <span class="who">{ line.source.label() }</span>
                        <samp class="text">{ line.shown() }</samp>
                    </li>
                }) }</ol>
            </div>
            if scheduler.output().lines().is_empty() {
                <p class="hint">{ "What the generators and the loop print appears here; a run of one value is one line with its count." }</p>
            }
        </section>
    }
}
