//! Building: the app with Trunk into `dist/`, and the local server with cargo.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::process::{run, secs, show};
use crate::{Ctx, Result};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Profile {
    Release,
    Debug,
}

impl Profile {
    fn name(self) -> &'static str {
        match self {
            Profile::Release => "release",
            Profile::Debug => "debug",
        }
    }
}

/// `trunk build [--release]` at the repository root (flags after the subcommand).
pub fn trunk_build(ctx: &Ctx, profile: Profile) -> Result<()> {
    let mut cmd = Command::new("trunk");
    cmd.current_dir(&ctx.root).arg("build");
    if profile == Profile::Release {
        cmd.arg("--release");
    }
    println!("$ {}", show(&cmd));
    let started = Instant::now();
    let started_at = SystemTime::now();
    // A failed build must not leave a stamp claiming the old dist is current.
    let _ = std::fs::remove_file(stamp_path(ctx));
    run(&mut cmd)?;
    crate::posters::write(&ctx.dist())?;
    println!(
        "built dist/ ({} build) in {}",
        profile.name(),
        secs(started.elapsed())
    );
    write_stamp(ctx, profile, started_at);
    Ok(())
}

/// Build with Trunk unless `dist/` already holds a build of this profile made after the last
/// change to any app input: a second `cargo xtask serve` then starts serving at once.
pub fn trunk_build_if_needed(ctx: &Ctx, profile: Profile) -> Result<()> {
    match dist_is_current(ctx, profile) {
        Ok(()) => {
            println!(
                "ok: dist/ is up to date ({} build; `--rebuild` forces a build)",
                profile.name()
            );
            // The posters follow the labs (and this code), which the build's stamp does not
            // watch: written again, in a second or two.
            crate::posters::write(&ctx.dist())
        }
        Err(reason) => {
            println!("building the app: {reason}");
            trunk_build(ctx, profile)
        }
    }
}

/// `cargo build -p playground-server` (debug profile: it builds fast and serves fine).
/// Returns the path of the binary.
pub fn build_server(ctx: &Ctx, profile: Profile) -> Result<PathBuf> {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&ctx.root)
        .args(["build", "-p", "playground-server"]);
    if profile == Profile::Release {
        cmd.arg("--release");
    }
    println!("$ {}", show(&cmd));
    run(&mut cmd)?;
    let binary = ctx
        .target_dir()
        .join(profile.name())
        .join(format!("playground-server{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        return Err(format!(
            "the server built but {} is missing",
            binary.display()
        ));
    }
    Ok(binary)
}

fn stamp_path(ctx: &Ctx) -> PathBuf {
    ctx.target_dir().join("xtask").join("dist-stamp")
}

fn write_stamp(ctx: &Ctx, profile: Profile, started_at: SystemTime) {
    let path = stamp_path(ctx);
    let nanos = started_at
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let text = format!(
        "profile={}\nstarted={nanos}\n{}",
        profile.name(),
        dist_listing(&ctx.dist())
    );
    let _ = std::fs::create_dir_all(path.parent().expect("stamp has a parent"));
    let _ = std::fs::write(path, text);
}

fn dist_is_current(ctx: &Ctx, profile: Profile) -> std::result::Result<(), String> {
    let stamp = std::fs::read_to_string(stamp_path(ctx))
        .map_err(|_| "no previous build recorded".to_string())?;
    let mut lines = stamp.splitn(3, '\n');
    let built_profile = lines.next().unwrap_or_default();
    let started: u128 = lines
        .next()
        .and_then(|l| l.strip_prefix("started="))
        .and_then(|n| n.parse().ok())
        .ok_or("unreadable build stamp")?;
    let listing = lines.next().unwrap_or_default();
    if built_profile != format!("profile={}", profile.name()) {
        return Err(format!("the last build was not a {} build", profile.name()));
    }
    if listing != dist_listing(&ctx.dist()) || listing.is_empty() {
        return Err("dist/ changed since the last build".to_string());
    }
    if let Some((newest, path)) = newest_input(&ctx.root) {
        if newest >= started {
            let shown = path.strip_prefix(&ctx.root).unwrap_or(&path);
            return Err(format!("{} changed", shown.display()));
        }
    }
    Ok(())
}

/// `name size mtime` of every file in dist/, sorted: any change means someone rebuilt it.
fn dist_listing(dist: &Path) -> String {
    let mut files = Vec::new();
    walk(dist, &mut |path, meta| {
        let name = path
            .strip_prefix(dist)
            .unwrap_or(path)
            .display()
            .to_string();
        files.push(format!("{name} {} {}", meta.len(), mtime_nanos(meta)));
    });
    files.sort();
    files.join("\n")
}

/// Folders that are not inputs of the app's build.
const NOT_APP_INPUTS: &[&str] = &[
    "target",
    "dist",
    "node_modules",
    "e2e",
    "server",
    "xtask",
    "docs",
];

/// The most recently modified input of the app build (everything but the folders above,
/// hidden folders other than .cargo, and Markdown files).
fn newest_input(root: &Path) -> Option<(u128, PathBuf)> {
    let mut newest: Option<(u128, PathBuf)> = None;
    let entries = std::fs::read_dir(root).ok()?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let hidden = name.starts_with('.') && name != ".cargo";
        if hidden || NOT_APP_INPUTS.contains(&name.as_str()) || name.ends_with(".md") {
            continue;
        }
        let mut consider = |path: &Path, meta: &std::fs::Metadata| {
            let t = mtime_nanos(meta);
            if newest.as_ref().is_none_or(|(n, _)| t > *n) {
                newest = Some((t, path.to_path_buf()));
            }
        };
        if path.is_dir() {
            walk(&path, &mut consider);
        } else if let Ok(meta) = entry.metadata() {
            consider(&path, &meta);
        }
    }
    newest
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path, &std::fs::Metadata)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            walk(&path, visit);
        } else {
            visit(&path, &meta);
        }
    }
}

fn mtime_nanos(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}
