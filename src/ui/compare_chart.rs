//! The compare table's chart: per row the article's figure, the model's and the measured
//! median as bars. Part of the runs' room (`super::runs_room`): fetched after the first paint.

use labs::compare::{self, Row, Scale};
use page::rooms::runs::Runs;
use page::state::PageModel;
use sim::format;
use yew::prelude::*;

/// A length in % of the chart's width, as SVG writes it.
fn pct(x: f64) -> String {
    format!("{}%", format::fixed(x, 2))
}

/// The table as grouped bars: per row the article's figure, the model's and the measured
/// median, on a log scale when they span ten times or more. Hidden from assistive technology:
/// the table is its text alternative.
pub fn chart(model: &PageModel, runs_state: &Runs, rows: &[Row], repeat: usize, ran: bool) -> Html {
    let hidden = model.model_hidden();
    let figures: Vec<[Option<f64>; 3]> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let measured = ran
                .then(|| compare::measured(runs_state.row_runs(i, repeat)))
                .flatten();
            [
                row.article.ms,
                (!hidden).then_some(row.item.projected_ms),
                measured.map(|m| m.median_ms),
            ]
        })
        .collect();
    let scale = Scale::over(figures.iter().flatten().flatten().copied());
    let log = matches!(scale, Scale::Log { .. });
    let height = rows.len() * ROW + 22;
    let ticks = scale.ticks();
    let last = ticks.len().saturating_sub(1);
    html! {
        <figure class="compare-chart">
            <figcaption>
                { if log {
                    "The same figures as bars, on a log scale: each gridline is ten times the one before. The table above is the chart's text alternative."
                } else {
                    "The same figures as bars, from zero. The table above is the chart's text alternative."
                } }
            </figcaption>
            <ul class="chart-legend" aria-hidden="true">
                <li class="legend-article">{ "The article" }</li>
                <li class="legend-predicted">{ "Model predicts" }</li>
                <li class="legend-measured">{ "Measured" }</li>
            </ul>
            <svg class="chart" width="100%" height={height.to_string()} aria-hidden="true" focusable="false">
                { for ticks.iter().enumerate().map(|(i, ms)| {
                    let x = pct(scale.percent(*ms));
                    let anchor = if i == 0 { "start" } else if i == last { "end" } else { "middle" };
                    html! {
                        <g class="tick">
                            <line x1={x.clone()} x2={x.clone()} y1="0" y2={(height - 18).to_string()} />
                            <text x={x} y={(height - 4).to_string()} text-anchor={anchor}>{ tick(*ms) }</text>
                        </g>
                    }
                }) }
                { for rows.iter().zip(&figures).enumerate().map(|(i, (row, bars))| {
                    let y = i * ROW;
                    html! {
                        <g class="chart-row">
                            <text class="row-label" x="0" y={(y + 11).to_string()}>{ row.key() }</text>
                            { for bars.iter().zip(BARS).enumerate().map(|(k, (ms, class))| {
                                let top = (y + 15 + k * 9).to_string();
                                match ms {
                                    Some(ms) => html! {
                                        <rect class={class} x="0" y={top} width={pct(scale.percent(*ms).max(0.5))} height="7" />
                                    },
                                    None if k == 0 => html! {
                                        <text class="bar-words" x="0" y={(y + 22).to_string()}>{ format!("the article: {}", row.article.text) }</text>
                                    },
                                    None => Html::default(),
                                }
                            }) }
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}

/// A gridline's label: `10 ms`, `1 s`, `100 s`.
fn tick(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{} ms", format::fixed(ms, 0))
    } else {
        format!("{} s", format::fixed(ms / 1000.0, 0))
    }
}

/// The chart's height per row, px.
const ROW: usize = 44;

/// The classes of a row's three bars, in the legend's order.
const BARS: [&str; 3] = ["bar-article", "bar-predicted", "bar-measured"];
