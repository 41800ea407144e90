//! The Web Worker binary: one process of the pool.

#[cfg(target_arch = "wasm32")]
fn main() {
    async_playground::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
