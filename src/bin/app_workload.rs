//! The page's module for the workload labs and the home page (see index.html's loader).

#[cfg(target_arch = "wasm32")]
fn main() {
    async_playground::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
