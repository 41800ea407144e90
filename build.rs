//! The page's modules (`app_<kind>`) are split after linking (`xtask/src/modules.rs`): the
//! splitter reads the linker's relocations, which only those binaries keep.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        for kind in ["workload", "compare", "stepper", "cases"] {
            println!("cargo::rustc-link-arg-bin=app_{kind}=--emit-relocs");
        }
    }
}
