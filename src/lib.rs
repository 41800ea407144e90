//! The browser edge of Async Playground: the Yew app, the clock, timers, the run driver, the
//! worker pool and the worker's side of it, the embed API and the page's vitals. Everything
//! else is in `playground-core`.
#![cfg(target_arch = "wasm32")]

pub mod clock;
pub mod embed;
pub mod net;
pub mod pool;
pub mod run;
pub mod threads;
pub mod ui;
pub mod vitals;
pub mod wire;
pub mod worker;
pub mod workers;

/// Mounts the app on the page's body.
pub fn start() {
    yew::Renderer::<ui::app::App>::new().render();
}
