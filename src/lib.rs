//! The browser edge of Async Playground: the Yew app, the clock, timers, the run driver, the
//! worker pool and the worker's side of it, the embed API and the page's vitals. Everything
//! else is in the crates below it: `page`, `labs` and `sim` (see ARCHITECTURE.md).
#![cfg(target_arch = "wasm32")]

// Talc in place of the default allocator: fewer bytes to download, and faster.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod clock;
pub mod embed;
pub mod files;
pub mod handoff;
pub mod net;
pub mod perfetto;
pub mod pool;
pub mod process_executor;
pub mod run;
pub mod runtime;
pub mod threads;
pub mod ui;
pub mod vitals;
pub mod worker;
pub mod workers;

/// Mounts the app on the page's `#app` element (its body holds the timelines' patterns too).
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<ui::app::App>::with_root(root).render(),
        None => yew::Renderer::<ui::app::App>::new().render(),
    };
}
