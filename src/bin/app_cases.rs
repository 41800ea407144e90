//! The page's module for the pitfalls cases (see index.html's loader).

#[cfg(target_arch = "wasm32")]
fn main() {
    async_playground::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
