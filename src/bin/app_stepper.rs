//! The page's module for the generators stepper (see index.html's loader).

#[cfg(target_arch = "wasm32")]
fn main() {
    async_playground::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
