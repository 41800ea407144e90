//! The README's recipes for the site builders course authors use, built from PyPI so the
//! end-to-end tests can open them: a Sphinx (Jupyter Book) page framing a lab with
//! `sphinx-iframes`, and an MkDocs (Material) page. Their sources are in `e2e/recipes/`; the
//! builders live in a virtual environment of their own, made once under `target/` (as the
//! labs' Python's), and the pages are built into `target/recipes/` for every e2e run.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::process::{capture, run};
use crate::{Ctx, Result};

/// The builders, at versions that build the recipes as the README shows them.
const PACKAGES: [&str; 4] = [
    "sphinx>=7,<10",
    "sphinx-iframes>=1.2,<2",
    "mkdocs>=1.6,<2",
    "mkdocs-material>=9.5,<10",
];

/// The builders' python, made (once) with `python3 -m venv` and pip.
fn venv(ctx: &Ctx) -> Result<PathBuf> {
    let dir = ctx.root.join("target").join("docs-venv");
    let python = dir.join("bin").join("python");
    let ready = || {
        Command::new(&python)
            .args(["-c", "import sphinx, sphinx_iframes, mkdocs, material"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if ready() {
        return Ok(python);
    }
    capture(Command::new("python3").arg("--version")).ok_or_else(|| {
        "python3 is needed to build the recipes: install it (`apt-get install -y python3 python3-venv`)"
            .to_string()
    })?;
    println!(
        "making {} with Sphinx, sphinx-iframes, MkDocs and Material (once)",
        dir.display()
    );
    run(Command::new("python3")
        .args(["-m", "venv", "--clear"])
        .arg(&dir))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PACKAGES))?;
    if ready() {
        Ok(python)
    } else {
        Err(format!(
            "{} cannot import the site builders",
            python.display()
        ))
    }
}

/// Builds every recipe into `target/recipes/<name>/`; the folder.
pub fn build(ctx: &Ctx) -> Result<PathBuf> {
    let python = venv(ctx)?;
    let sources = ctx.e2e().join("recipes");
    let out = ctx.root.join("target").join("recipes");
    let _ = std::fs::remove_dir_all(&out);
    run(Command::new(&python)
        .args(["-m", "sphinx", "-b", "html", "-q", "-W"])
        .arg(sources.join("sphinx"))
        .arg(out.join("sphinx")))?;
    run(Command::new(&python)
        .args(["-m", "mkdocs", "build", "-q", "--strict", "-f"])
        .arg(sources.join("mkdocs").join("mkdocs.yml"))
        .arg("-d")
        .arg(out.join("mkdocs"))
        .env("NO_MKDOCS_2_WARNING", "1"))?;
    println!(
        "built the recipes (Sphinx with sphinx-iframes, MkDocs Material) in {}",
        out.display()
    );
    Ok(out)
}
