//! `cargo xtask modules`: the page's modules, one per kind of lab page, each cut in two at
//! its split points. Trunk runs it as a build hook (Trunk.toml) and takes what it writes into
//! its staging folder; `tools/precompress.mjs` then names each module's folder after its
//! content.
//!
//! For each kind: cargo builds `app_<kind>` with that kind's feature alone (the linker keeps
//! its relocations, `.cargo/config.toml`); `wasm-split-cli` moves what only a split point
//! reaches (`#[wasm_split(runs)]` in `src/ui/runs_room.rs`: the run driver, the executors,
//! the workers, the files, the results' views) into a module of its own, fetched after the
//! first paint; wasm-bindgen writes the glue of the rest, and wasm-opt shrinks both. A kind
//! with no split point (the stepper, the cases) comes out as one module, as before.
//!
//! Each kind's files go in a folder `app_<kind>/`: `app_<kind>.js` (the loader imports it),
//! `app_<kind>_bg.wasm`, and with a split, `__wasm_split.js` and `split_<name>.wasm`, which
//! the glue finds beside itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{run, show};
use crate::{Ctx, Result};

/// The page's kinds, as the Cargo features and binaries `app_<kind>` name them.
pub const KINDS: [&str; 4] = ["workload", "compare", "stepper", "cases"];

/// wasm-opt's flags for every module (the glue's modules read no low memory).
const WASM_OPT: [&str; 3] = ["-Oz", "--converge", "--low-memory-unused"];

/// Builds every kind into `out` (Trunk's staging folder when Trunk runs it).
pub fn build(ctx: &Ctx, out: &Path, release: bool) -> Result<()> {
    for kind in KINDS {
        build_kind(ctx, kind, out, release)?;
    }
    Ok(())
}

/// The hook's entry: the staging folder and the profile Trunk gives.
pub fn from_trunk(ctx: &Ctx) -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .ok_or("TRUNK_STAGING_DIR is not set: Trunk runs `cargo xtask modules` as a build hook")?;
    let release = std::env::var("TRUNK_PROFILE").as_deref() != Ok("debug");
    build(ctx, Path::new(&staging), release)
}

fn build_kind(ctx: &Ctx, kind: &str, out: &Path, release: bool) -> Result<()> {
    let bin = format!("app_{kind}");
    let mut cargo = Command::new("cargo");
    cargo
        .current_dir(&ctx.root)
        .args([
            "build",
            "--target",
            crate::tools::WASM_TARGET,
            "--bin",
            &bin,
        ])
        .args(["--no-default-features", "--features", kind]);
    if release {
        cargo.arg("--release");
    }
    step(&mut cargo)?;
    let profile = if release { "release" } else { "debug" };
    let linked = ctx
        .target_dir()
        .join(crate::tools::WASM_TARGET)
        .join(profile)
        .join(format!("{bin}.wasm"));

    let work = ctx.target_dir().join("modules").join(kind);
    let split = work.join("split");
    let glue = work.join("glue");
    for dir in [&split, &glue] {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    step(
        Command::new("wasm-split-cli")
            .arg(&linked)
            .arg(&split)
            .args(["--out-name", &bin]),
    )?;
    step(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--keep-lld-exports"])
            .arg("--out-dir")
            .arg(&glue)
            .arg(split.join(format!("{bin}.wasm"))),
    )?;

    let folder = out.join(&bin);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    copy(
        &glue.join(format!("{bin}.js")),
        &folder.join(format!("{bin}.js")),
    )?;
    shrink(
        &glue.join(format!("{bin}_bg.wasm")),
        &folder.join(format!("{bin}_bg.wasm")),
        release,
    )?;
    let chunks: Vec<(String, PathBuf)> = files(&split)?
        .into_iter()
        .filter(|(name, _)| name.ends_with(".wasm") && *name != format!("{bin}.wasm"))
        .collect();
    for (name, path) in &chunks {
        shrink(path, &folder.join(name), release)?;
    }
    // The glue imports the splitter's loader only when there is something to load.
    if !chunks.is_empty() {
        let loader = "__wasm_split.js";
        let text = std::fs::read_to_string(split.join(loader))
            .map_err(|e| format!("{}: {e}", split.join(loader).display()))?;
        std::fs::write(folder.join(loader), quiet_loader(&text)?)
            .map_err(|e| format!("{}: {e}", folder.join(loader).display()))?;
    }
    Ok(())
}

/// The splitter's loader without its `console.error` of a failed fetch: the page says itself
/// that the runs' code did not load, where it shows (`src/ui/edge.rs`), and the browser has
/// already logged the failed request.
fn quiet_loader(text: &str) -> Result<String> {
    const LOGGED: &str = "console.error(e);";
    if text.matches(LOGGED).count() != 1 {
        return Err(format!(
            "wasm-split-cli's loader no longer logs a failed load with `{LOGGED}` once: look at \
             its __wasm_split.js again (xtask/src/modules.rs)"
        ));
    }
    Ok(text.replace(LOGGED, "/* the page says so */"))
}

/// wasm-opt's `-Oz` on a release build; a debug build keeps the module as it is.
fn shrink(from: &Path, to: &Path, release: bool) -> Result<()> {
    if !release {
        return copy(from, to);
    }
    step(
        Command::new("wasm-opt")
            .args(WASM_OPT)
            .arg(from)
            .arg("-o")
            .arg(to),
    )
}

fn step(cmd: &mut Command) -> Result<()> {
    println!("$ {}", show(cmd));
    run(cmd)
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

/// The files of `dir`, by name, in order.
fn files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .collect();
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_leaves_a_failed_fetch_to_the_page() {
        let loader =
            "try { await callee(); } catch (e) {\n    console.error(e);\n    success = false;\n}";
        let quiet = quiet_loader(loader).unwrap();
        assert!(!quiet.contains("console"));
        assert!(quiet.contains("success = false;"));
        assert!(quiet_loader("no log at all").is_err());
    }
}
