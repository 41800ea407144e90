//! The files worker binary: writes the page's runs as a file (see `async_playground::files`).
//! A binary of its own, so the pool's workers do not carry its JSON code.

#[cfg(target_arch = "wasm32")]
fn main() {
    async_playground::worker::start_files();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
