//! The app binary: mounts the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    async_playground::start();
}

// Native builds (cargo test, clippy on the host) have no page to mount.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
