//! Check, and install once, every tool the commands need. Each step prints one line:
//! `ok: trunk 0.21.14` when the right version is present (a version check, milliseconds), or
//! `installing ...` followed by the installer's own output. Nothing is downloaded from GitHub:
//! Rust tools come from crates.io, wasm-opt and Playwright from npm, Chromium from Debian.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::process::{capture, run, show, which};
use crate::{Ctx, Result};

pub const TRUNK_VERSION: &str = "0.21.14";
/// The splitter of the page's modules; its runtime half, `wasm_split_helpers`, is in Cargo.toml.
pub const WASM_SPLIT_VERSION: &str = "0.2.4";
pub const BINARYEN_VERSION: &str = "132";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
// Playwright 1.65 declares `engines: node >= 20`.
const MIN_NODE_MAJOR: u32 = 20;

/// Which groups of tools a command needs.
pub struct Needs {
    /// rustfmt and clippy
    pub lint: bool,
    /// the wasm32 target and wasm-bindgen-cli (with wasm-bindgen-test-runner)
    pub wasm: bool,
    /// Trunk and wasm-opt (implies `wasm`)
    pub trunk: bool,
    /// Chromium and chromedriver
    pub browser: bool,
    /// node and the e2e folder's npm packages (Playwright)
    pub e2e: bool,
}

pub fn ensure(ctx: &Ctx, needs: &Needs) -> Result<()> {
    if needs.lint {
        ensure_components()?;
    }
    if needs.wasm || needs.trunk {
        ensure_wasm_target()?;
    }
    if needs.trunk {
        ensure_cargo_tool(&CargoTool {
            bin: "trunk",
            krate: "trunk",
            version: TRUNK_VERSION.to_string(),
            locked: true,
            duration: "several minutes, once",
            also: &[],
            features: &[],
            listed: false,
        })?;
    }
    if needs.wasm || needs.trunk {
        let version = wasm_bindgen_version(ctx)?;
        if needs.trunk {
            check_trunk_toml(ctx, &version)?;
        }
        ensure_cargo_tool(&CargoTool {
            bin: "wasm-bindgen",
            krate: "wasm-bindgen-cli",
            version,
            // The locked dependency set of wasm-bindgen-cli does not build with this Rust.
            locked: false,
            duration: "a few minutes, once",
            also: &["wasm-bindgen-test-runner"],
            features: &[],
            listed: false,
        })?;
    }
    if needs.trunk {
        // Cuts each page module at its split points (xtask/src/modules.rs).
        ensure_cargo_tool(&CargoTool {
            bin: "wasm-split-cli",
            krate: "wasm_split_cli_support",
            version: WASM_SPLIT_VERSION.to_string(),
            locked: true,
            duration: "a few minutes, once",
            also: &[],
            features: &["build-binary"],
            listed: true,
        })?;
    }
    if needs.trunk || needs.e2e {
        ensure_node()?;
    }
    if needs.trunk {
        ensure_wasm_opt(ctx)?;
        ensure_poster_font()?;
    }
    if needs.browser {
        ensure_chromium()?;
    }
    if needs.e2e {
        ensure_e2e_packages(ctx)?;
    }
    Ok(())
}

fn rustup_hint() -> String {
    "install Rust with rustup (https://rustup.rs) or put `rustup` on PATH".to_string()
}

fn ensure_components() -> Result<()> {
    let fmt = capture(Command::new("cargo").args(["fmt", "--version"]));
    let clippy = capture(Command::new("cargo").args(["clippy", "--version"]));
    if let (Some(fmt), Some(clippy)) = (&fmt, &clippy) {
        println!("ok: {fmt}, {clippy}");
        return Ok(());
    }
    println!("installing rustfmt and clippy (seconds)");
    run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"])).map_err(|err| {
        format!(
            "{err}\n  rustfmt and clippy are needed: run `rustup component add rustfmt clippy`, \
             or {}",
            rustup_hint()
        )
    })
}

fn ensure_wasm_target() -> Result<()> {
    let installed = capture(Command::new("rustup").args(["target", "list", "--installed"]))
        .ok_or_else(|| format!("`rustup target list --installed` failed: {}", rustup_hint()))?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("ok: rust target {WASM_TARGET}");
        return Ok(());
    }
    println!("installing rust target {WASM_TARGET} (seconds)");
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
        .map_err(|err| format!("{err}\n  run `rustup target add {WASM_TARGET}` by hand to see why"))
}

struct CargoTool<'a> {
    bin: &'a str,
    krate: &'a str,
    version: String,
    locked: bool,
    duration: &'a str,
    /// Other binaries the same crate installs, checked at the same version.
    also: &'a [&'a str],
    /// Cargo features the binary needs.
    features: &'a [&'a str],
    /// The binary has no `--version`: `cargo install --list` tells its version.
    listed: bool,
}

impl CargoTool<'_> {
    fn install_command(&self) -> Command {
        let mut cmd = Command::new("cargo");
        cmd.arg("install");
        if self.locked {
            cmd.arg("--locked");
        }
        cmd.args([self.krate, "--version", &self.version]);
        if !self.features.is_empty() {
            cmd.args(["--features", &self.features.join(",")]);
        }
        cmd
    }

    /// The first binary whose `--version` is not ours, with what it said.
    fn mismatch(&self) -> Option<(String, Option<String>)> {
        if self.listed {
            let list = capture(Command::new("cargo").args(["install", "--list"]));
            let installed = list
                .as_deref()
                .is_some_and(|list| installed_at(list, self.krate, &self.version, self.bin));
            return (!installed || which(self.bin).is_none()).then(|| (self.bin.to_string(), None));
        }
        std::iter::once(self.bin)
            .chain(self.also.iter().copied())
            .find_map(|bin| {
                let said = capture(Command::new(bin).arg("--version"));
                let right = said.as_deref().and_then(version_word) == Some(self.version.as_str());
                (!right).then(|| (bin.to_string(), said))
            })
    }
}

/// Whether `cargo install --list` says `krate` is installed at `version` with binary `bin`.
fn installed_at(list: &str, krate: &str, version: &str, bin: &str) -> bool {
    let header = format!("{krate} v{version}:");
    let mut lines = list.lines().skip_while(|line| line.trim() != header);
    lines.next().is_some()
        && lines
            .take_while(|line| line.starts_with(char::is_whitespace))
            .any(|line| line.trim() == bin)
}

/// The version in `trunk 0.21.14`, `wasm-bindgen 0.2.130`, `wasm-opt version 132 (version_132)`.
fn version_word(said: &str) -> Option<&str> {
    said.split_whitespace()
        .find(|word| word.starts_with(|c: char| c.is_ascii_digit()))
}

fn ensure_cargo_tool(tool: &CargoTool) -> Result<()> {
    if tool.mismatch().is_none() {
        println!("ok: {} {}", tool.bin, tool.version);
        return Ok(());
    }
    // Someone (another terminal, a provisioning script) may be installing it right now:
    // wait for that rather than compiling it twice on a small machine.
    if wait_for_other_install(tool.krate) && tool.mismatch().is_none() {
        println!("ok: {} {}", tool.bin, tool.version);
        return Ok(());
    }
    let mut cmd = tool.install_command();
    println!(
        "installing {} {} ({}): {}",
        tool.bin,
        tool.version,
        tool.duration,
        show(&cmd)
    );
    run(&mut cmd).map_err(|err| {
        format!(
            "could not install {} {}: {err}\n  it is built from crates.io: check that crates.io is \
             reachable, then run `{}` by hand to see the full error",
            tool.bin,
            tool.version,
            show(&cmd)
        )
    })?;
    if let Some((bin, said)) = tool.mismatch() {
        let found = which(&bin)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "nothing on PATH".to_string());
        return Err(format!(
            "installed {} {} but `{bin} --version` says {:?} ({found}); another copy earlier on \
             PATH may shadow ~/.cargo/bin",
            tool.krate,
            tool.version,
            said.unwrap_or_default()
        ));
    }
    println!("ok: {} {}", tool.bin, tool.version);
    Ok(())
}

/// Wait while another `cargo install ... <krate>` runs on this machine. Returns whether one ran.
fn wait_for_other_install(krate: &str) -> bool {
    let mut waited = false;
    while let Some(pid) = other_install(krate) {
        if !waited {
            println!("waiting for a `cargo install {krate}` already running (pid {pid}) to finish");
            waited = true;
        }
        std::thread::sleep(Duration::from_secs(5));
    }
    waited
}

fn other_install(krate: &str) -> Option<u32> {
    let me = std::process::id();
    let entries = std::fs::read_dir("/proc").ok()?;
    entries.flatten().find_map(|entry| {
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        if pid == me {
            return None;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        let is_cargo = args
            .first()
            .is_some_and(|a| a.ends_with(b"cargo") || a.ends_with(b"cargo.exe"));
        let installs = args.contains(&b"install".as_slice());
        let this_crate = args.contains(&krate.as_bytes());
        (is_cargo && installs && this_crate).then_some(pid)
    })
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must be exactly this version.
pub fn wasm_bindgen_version(ctx: &Ctx) -> Result<String> {
    let lock_path = ctx.root.join("Cargo.lock");
    if !lock_path.exists() {
        // Resolving the workspace writes Cargo.lock, as any build would.
        let _ = capture(Command::new("cargo").current_dir(&ctx.root).args([
            "metadata",
            "--format-version",
            "1",
        ]));
    }
    let lock = std::fs::read_to_string(&lock_path).map_err(|err| {
        format!(
            "cannot read {}: {err}\n  run `cargo metadata --format-version 1 >/dev/null` in {} \
             to see why the workspace does not resolve",
            lock_path.display(),
            ctx.root.display()
        )
    })?;
    let mut versions = locked_versions(&lock, "wasm-bindgen");
    match versions.len() {
        0 => Err(format!(
            "Cargo.lock has no `wasm-bindgen` package: the app crate must depend on wasm-bindgen \
             (pinned with `=`) so the CLI version is known ({})",
            lock_path.display()
        )),
        1 => Ok(versions.remove(0)),
        _ => Err(format!(
            "Cargo.lock has several `wasm-bindgen` versions ({}): the CLI can match only one; \
             pin one version for the whole workspace",
            versions.join(", ")
        )),
    }
}

/// The parts of a Cargo.lock xtask reads.
#[derive(serde::Deserialize)]
struct CargoLock {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

#[derive(serde::Deserialize)]
struct LockedPackage {
    name: String,
    version: String,
}

/// Versions of the `[[package]]` entries named `name` in a Cargo.lock (none if it does not
/// parse: cargo rewrites a broken lock file on the next build).
pub fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    toml::from_str::<CargoLock>(lock)
        .map(|lock| {
            lock.package
                .into_iter()
                .filter(|package| package.name == name)
                .map(|package| package.version)
                .collect()
        })
        .unwrap_or_default()
}

/// The part of Trunk.toml xtask reads: `[tools] wasm_bindgen`.
#[derive(serde::Deserialize)]
struct TrunkToml {
    tools: Option<TrunkTools>,
}

#[derive(serde::Deserialize)]
struct TrunkTools {
    wasm_bindgen: Option<String>,
}

/// `[tools] wasm_bindgen = "..."` in Trunk.toml, if present.
pub fn trunk_toml_wasm_bindgen(trunk_toml: &str) -> Option<String> {
    toml::from_str::<TrunkToml>(trunk_toml)
        .ok()?
        .tools?
        .wasm_bindgen
}

/// Trunk runs offline: its pinned wasm-bindgen must be the one in Cargo.lock, or it fails.
fn check_trunk_toml(ctx: &Ctx, locked: &str) -> Result<()> {
    let path = ctx.root.join("Trunk.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "warning: {} not found; Trunk will use its defaults",
            path.display()
        );
        return Ok(());
    };
    match trunk_toml_wasm_bindgen(&text) {
        Some(pinned) if pinned == locked => Ok(()),
        Some(pinned) => Err(format!(
            "Trunk.toml pins `[tools] wasm_bindgen = \"{pinned}\"` but Cargo.lock has wasm-bindgen \
             {locked}: Trunk runs offline and would fail; set it to \"{locked}\""
        )),
        None => {
            println!(
                "warning: Trunk.toml has no `[tools] wasm_bindgen = \"{locked}\"`; offline Trunk \
                 may refuse to build"
            );
            Ok(())
        }
    }
}

fn ensure_node() -> Result<()> {
    let hint = "install Node.js 20 or newer with npm (Debian 12 ships 18: use the NodeSource or nvm package of Node 20)";
    let said = capture(Command::new("node").arg("--version"))
        .ok_or_else(|| format!("node not found: {hint}"))?;
    let major: u32 = said
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < MIN_NODE_MAJOR {
        return Err(format!("node {said} is too old: {hint}"));
    }
    if which("npm").is_none() {
        return Err(format!("npm not found: {hint}"));
    }
    println!("ok: node {said}");
    Ok(())
}

fn ensure_wasm_opt(ctx: &Ctx) -> Result<()> {
    let wasm_opt = ctx.node_bin_dir().join("wasm-opt");
    let right =
        |said: Option<String>| said.as_deref().and_then(version_word) == Some(BINARYEN_VERSION);
    if right(capture(Command::new(&wasm_opt).arg("--version"))) {
        println!("ok: wasm-opt {BINARYEN_VERSION} (binaryen from npm)");
        return Ok(());
    }
    if !ctx.root.join("package-lock.json").exists() {
        return Err(format!(
            "{} is missing: it pins binaryen for wasm-opt; restore it from git",
            ctx.root.join("package-lock.json").display()
        ));
    }
    let mut cmd = npm_ci(&ctx.root);
    println!(
        "installing wasm-opt {BINARYEN_VERSION} (binaryen from npm, seconds): {}",
        show(&cmd)
    );
    run(&mut cmd).map_err(|err| {
        format!("{err}\n  wasm-opt comes from npm: check that the npm registry is reachable")
    })?;
    let said = capture(Command::new(&wasm_opt).arg("--version"));
    if !right(said.clone()) {
        return Err(format!(
            "after `npm ci`, `{} --version` says {:?}; expected version {BINARYEN_VERSION}: check \
             package.json pins binaryen {BINARYEN_VERSION}.0.0",
            wasm_opt.display(),
            said.unwrap_or_default()
        ));
    }
    println!("ok: wasm-opt {BINARYEN_VERSION} (binaryen from npm)");
    Ok(())
}

fn npm_ci(dir: &Path) -> Command {
    let mut cmd = Command::new("npm");
    cmd.current_dir(dir)
        .args(["ci", "--no-audit", "--no-fund"])
        // Browsers come from Debian; never let a package download one.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    cmd
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        nix::unistd::geteuid().is_root()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// `apt-get update`, then `apt-get install -y <packages>` (as root), or how to do it by hand.
fn apt_install(packages: &[&str]) -> Result<()> {
    let apt = |args: &[&str]| {
        run(Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive"))
    };
    apt(&["update"])
        .and_then(|()| apt(&[&["install", "-y"][..], packages].concat()))
        .map_err(|err| {
            format!(
                "{err}\n  install by hand: `apt-get install -y {}`",
                packages.join(" ")
            )
        })
}

/// The font every build draws the labs' posters with (`crate::posters`): Debian's
/// `fonts-dejavu-core`.
fn ensure_poster_font() -> Result<()> {
    let font = Path::new(crate::posters::FONT);
    if font.exists() {
        println!("ok: {}", font.display());
        return Ok(());
    }
    if !is_root() {
        return Err(format!(
            "{} is needed for the labs' posters: run\n  \
             sudo apt-get update && sudo apt-get install -y fonts-dejavu-core\n  \
             then run this command again",
            font.display()
        ));
    }
    println!("installing fonts-dejavu-core from Debian (seconds, once)");
    let apt = |args: &[&str]| {
        run(Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive"))
    };
    apt(&["update"])
        .and_then(|()| apt(&["install", "-y", "fonts-dejavu-core"]))
        .map_err(|err| {
            format!("{err}\n  install it by hand: `apt-get install -y fonts-dejavu-core`")
        })?;
    if font.exists() {
        Ok(())
    } else {
        Err(format!(
            "apt-get finished but {} is still missing",
            font.display()
        ))
    }
}

fn ensure_chromium() -> Result<()> {
    let present = || Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present() {
        if !is_root() {
            return Err(format!(
                "{CHROMIUM} and {CHROMEDRIVER} are needed for the browser tests: run\n  \
                 sudo apt-get update && sudo apt-get install -y chromium chromium-driver\n  \
                 then run this command again"
            ));
        }
        println!("installing chromium and chromium-driver from Debian (about a minute, once)");
        apt_install(&["chromium", "chromium-driver"])?;
        if !present() {
            return Err(format!(
                "apt-get finished but {CHROMIUM} or {CHROMEDRIVER} is still missing"
            ));
        }
    }
    let browser = capture(Command::new(CHROMIUM).arg("--version")).unwrap_or_default();
    let driver = capture(Command::new(CHROMEDRIVER).arg("--version")).unwrap_or_default();
    let browser_version = version_word(&browser).unwrap_or("unknown").to_string();
    let driver_version = version_word(&driver).unwrap_or("unknown").to_string();
    let major = |v: &str| v.split('.').next().unwrap_or_default().to_string();
    if major(&browser_version) != major(&driver_version) {
        return Err(format!(
            "chromium {browser_version} and chromedriver {driver_version} differ: install both \
             from the same Debian release (`apt-get install -y chromium chromium-driver`)"
        ));
    }
    println!("ok: chromium {browser_version}, chromedriver {driver_version}");
    Ok(())
}

/// `npm ci` in e2e/ when Playwright is missing or e2e/package-lock.json changed since the last
/// install (a hash of the lock file is kept in e2e/node_modules).
fn ensure_e2e_packages(ctx: &Ctx) -> Result<()> {
    let e2e = ctx.e2e();
    let lock_path = e2e.join("package-lock.json");
    if !e2e.join("package.json").exists() {
        return Err(format!(
            "{} is missing: the end-to-end tests are not there (use `--skip-e2e` meanwhile)",
            e2e.join("package.json").display()
        ));
    }
    let lock = std::fs::read(&lock_path).map_err(|err| {
        format!(
            "cannot read {}: {err}\n  run `npm install` in e2e/ once and commit package-lock.json",
            lock_path.display()
        )
    })?;
    let hash = format!("{:016x}\n", fnv1a(&lock));
    let stamp = e2e.join("node_modules").join(".xtask-package-lock-hash");
    let playwright = e2e.join("node_modules").join(".bin").join("playwright");
    let stamp_matches = std::fs::read_to_string(&stamp).is_ok_and(|s| s == hash);
    let version = || {
        capture(Command::new(&playwright).arg("--version"))
            .map(|said| said.trim_start_matches("Version ").to_string())
    };
    if stamp_matches && playwright.exists() {
        if let Some(v) = version() {
            println!("ok: playwright {v} (e2e npm packages)");
            return Ok(());
        }
    }
    let mut cmd = npm_ci(&e2e);
    println!("installing the e2e npm packages (seconds): {}", show(&cmd));
    run(&mut cmd).map_err(|err| {
        format!("{err}\n  they come from npm: check that the npm registry is reachable")
    })?;
    let v = version().ok_or_else(|| {
        format!(
            "after `npm ci` in e2e/, {} does not run: does e2e/package.json list @playwright/test?",
            playwright.display()
        )
    })?;
    std::fs::write(&stamp, hash).map_err(|err| format!("{}: {err}", stamp.display()))?;
    println!("ok: playwright {v} (e2e npm packages)");
    Ok(())
}

/// FNV-1a, 64 bit: a stable fingerprint (std's hasher may change between Rust versions).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tool_without_a_version_flag_is_found_in_cargo_s_list() {
        let list =
            "trunk v0.21.14:\n    trunk\nwasm_split_cli_support v0.2.4:\n    wasm-split-cli\n";
        assert!(installed_at(
            list,
            "wasm_split_cli_support",
            "0.2.4",
            "wasm-split-cli"
        ));
        assert!(!installed_at(
            list,
            "wasm_split_cli_support",
            "0.2.5",
            "wasm-split-cli"
        ));
        assert!(!installed_at(list, "trunk", "0.21.14", "wasm-split-cli"));
        assert!(!installed_at("", "trunk", "0.21.14", "trunk"));
    }

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "xtask"
version = "0.1.0"
"#;

    #[test]
    fn finds_the_locked_wasm_bindgen() {
        assert_eq!(locked_versions(LOCK, "wasm-bindgen"), vec!["0.2.130"]);
        assert_eq!(locked_versions(LOCK, "xtask"), vec!["0.1.0"]);
        assert!(locked_versions(LOCK, "trunk").is_empty());
    }

    #[test]
    fn reads_the_trunk_toml_pin() {
        let toml = "[build]\noffline = true\n\n[tools]\nwasm_bindgen = \"0.2.130\"  # match\n\
                    wasm_opt = \"version_132\"\n";
        assert_eq!(trunk_toml_wasm_bindgen(toml).as_deref(), Some("0.2.130"));
        assert_eq!(
            trunk_toml_wasm_bindgen("[build]\nwasm_bindgen = \"1\"\n"),
            None
        );
    }

    #[test]
    fn reads_tool_versions() {
        assert_eq!(version_word("trunk 0.21.14"), Some("0.21.14"));
        assert_eq!(version_word("wasm-bindgen 0.2.130"), Some("0.2.130"));
        assert_eq!(
            version_word("wasm-opt version 132 (version_132)"),
            Some("132")
        );
        assert_eq!(
            version_word("Chromium 156.0.8078.108 built on Debian GNU/Linux 12 (bookworm)"),
            Some("156.0.8078.108")
        );
        assert_eq!(
            version_word("ChromeDriver 156.0.8078.108 (730482a9)"),
            Some("156.0.8078.108")
        );
    }

    #[test]
    fn fingerprint_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
