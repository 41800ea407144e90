//! The always-visible heartbeat and lag meter (their animation lives in [`crate::vitals`]).

use crate::vitals;
use yew::prelude::*;

#[component]
pub fn Vitals() -> Html {
    let heartbeat = use_node_ref();
    let meter = use_node_ref();
    {
        let heartbeat = heartbeat.clone();
        let meter = meter.clone();
        use_effect_with((), move |_| {
            let running = heartbeat
                .cast::<web_sys::HtmlElement>()
                .zip(meter.cast::<web_sys::HtmlElement>())
                .map(|(h, m)| vitals::start(h, m));
            move || drop(running)
        });
    }
    html! {
        <div class="vitals">
            <span class="vitals-what">
                <span class="long">{ "Is this page responsive?" }</span><span class="short">{ "Responsive?" }</span>
            </span>
            <div class="vital">
                <div class="heartbeat" role="img" aria-label="Heartbeat"
                     data-max-frame-gap-ms="0" ref={heartbeat}>
                    <span class="dot"></span>
                </div>
                <span class="vital-name" aria-hidden="true">{ "Heartbeat" }</span>
            </div>
            <div class="vital lag-vital">
                <span class="vital-name" aria-hidden="true">
                    <span class="long">{ "Event-loop lag" }</span><span class="short">{ "Lag" }</span>
                </span>
                <div class="lag" role="meter" aria-label="Event-loop lag" aria-valuemin="0"
                     aria-valuemax="10000" aria-valuenow="0" data-peak-ms="0" ref={meter}>
                    <span class="bar" data-level="low"></span>
                    <span class="lag-text">{ "0 ms" }</span>
                </div>
            </div>
        </div>
    }
}
