//! The README's recipes for the site builders course authors use, built from PyPI so the
//! end-to-end tests can open them: a Sphinx (Jupyter Book) page framing a lab with
//! `sphinx-iframes`, and an MkDocs (Material) page. Their sources are in `e2e/recipes/`; the
//! builders live in a virtual environment of their own, made once under `target/` (as the
//! labs' Python's), and the pages are built into `target/recipes/` for every e2e run.

use std::path::PathBuf;
use std::process::Command;

use crate::process::run;
use crate::{Ctx, Result};

/// The builders, at versions that build the recipes as the README shows them.
const PACKAGES: [&str; 4] = [
    "sphinx>=7,<10",
    "sphinx-iframes>=1.2,<2",
    "mkdocs>=1.6,<2",
    "mkdocs-material>=9.5,<10",
];

/// Builds every recipe into `target/recipes/<name>/`; the folder.
pub fn build(ctx: &Ctx) -> Result<PathBuf> {
    let python = crate::python::venv_with(
        ctx,
        "docs-venv",
        "sphinx, sphinx_iframes, mkdocs, material",
        &PACKAGES,
    )?;
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
