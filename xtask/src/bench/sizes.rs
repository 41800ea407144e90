//! The first load's download: the app's `.wasm`, `.js` and `.css` that `dist/index.html`
//! loads, raw, gzip -9 and brotli q11 (node's zlib), against the 200 KB brotli budget.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;
use sim::format::count;

use super::table::{Bar, Row, Section, Unit};
use crate::process::capture;
use crate::Result;

/// Brotli bytes the first load (app wasm + js + css) may weigh.
pub const BROTLI_BUDGET: u64 = 200_000;

/// Brotli bytes the first load aims for (reported, not judged).
const BROTLI_GOAL: u64 = 120_000;

/// Gzip -9 and brotli q11 sizes of each file given, one `raw gzip brotli` line per file.
const COMPRESS_JS: &str = r#"
const fs = require("fs"), zlib = require("zlib");
for (const file of process.argv.slice(1)) {
  const raw = fs.readFileSync(file);
  const gzip = zlib.gzipSync(raw, { level: 9 }).length;
  const br = zlib.brotliCompressSync(raw, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
  } }).length;
  console.log(`${raw.length} ${gzip} ${br}`);
}
"#;

/// The first load's files with their `[raw, gzip, brotli]` sizes, and the files loaded later.
#[derive(Serialize)]
pub struct Sizes {
    pub files: Vec<(String, [u64; 3])>,
    pub total: [u64; 3],
    pub later: Vec<String>,
}

impl Sizes {
    /// The table's row: the brotli total against the budget (a bar) and the goal.
    pub fn row(&self) -> Row {
        let brotli = self.total[2] as f64;
        let limit = |name: &str, limit: u64, goal: bool| Bar {
            name: name.to_string(),
            figure: Some(brotli),
            op: "<=".to_string(),
            limit: limit as f64,
            unit: Unit::Bytes,
            pass: self.total[2] <= limit,
            goal,
        };
        Row::own(
            "first-load-brotli",
            "first load: the app's .wasm, .js, .css, brotli",
            Unit::Bytes,
            brotli,
            vec![
                limit("brotli", BROTLI_BUDGET, false),
                limit("brotli", BROTLI_GOAL, true),
            ],
            format!(
                "dist/, brotli quality 11: {} bytes, budget {} (200 KB), goal {}",
                count(self.total[2]),
                count(BROTLI_BUDGET),
                count(BROTLI_GOAL)
            ),
        )
    }

    /// Each file's sizes.
    pub fn section(&self) -> Section {
        let line = |name: &str, size: &[u64; 3]| {
            let mut cells = vec![name.to_string()];
            cells.extend(size.iter().map(|s| count(*s)));
            cells
        };
        let mut rows = vec![["file", "raw", "gzip -9", "brotli q11"]
            .map(String::from)
            .to_vec()];
        rows.extend(self.files.iter().map(|(name, size)| line(name, size)));
        rows.push(line("total", &self.total));
        if !self.later.is_empty() {
            rows.push(vec![
                format!("loaded later, not counted: {}", self.later.join(", ")),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        Section {
            title: "First-load download (dist/, bytes)".to_string(),
            rows,
        }
    }
}

/// Measures the first load's files in `dist`.
pub fn measure(dist: &Path) -> Result<Sizes> {
    let (first, others) = first_load_files(dist)?;
    if first.is_empty() {
        return Err(format!("no .wasm, .js or .css file in {}", dist.display()));
    }
    let sizes = compressed_sizes(&first)?;
    let name = |p: &PathBuf| {
        p.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    let mut total = [0u64; 3];
    for size in &sizes {
        for (t, s) in total.iter_mut().zip(size) {
            *t += s;
        }
    }
    Ok(Sizes {
        files: first.iter().map(name).zip(sizes).collect(),
        total,
        later: others.iter().map(name).collect(),
    })
}

fn is_asset(name: &str) -> bool {
    [".wasm", ".js", ".css"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

fn is_worker(name: &str) -> bool {
    name.contains("worker") || name == "sw.js"
}

/// The app's .wasm/.js/.css that dist/index.html loads, and the other assets (workers, ...).
fn first_load_files(dist: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let entries =
        std::fs::read_dir(dist).map_err(|err| format!("cannot read {}: {err}", dist.display()))?;
    let mut assets: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| is_asset(name))
        .collect();
    assets.sort();
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let referenced = referenced_assets(&index);
    let (first, others): (Vec<String>, Vec<String>) = assets
        .into_iter()
        .partition(|name| !is_worker(name) && (referenced.is_empty() || referenced.contains(name)));
    let paths = |names: Vec<String>| names.into_iter().map(|n| dist.join(n)).collect();
    Ok((paths(first), paths(others)))
}

/// File names of the .wasm/.js/.css that an HTML page refers to (links, scripts, and the
/// paths in Trunk's inline loader).
fn referenced_assets(html: &str) -> Vec<String> {
    let mut names: Vec<String> = html
        .split(|c: char| c.is_whitespace() || "\"'`()<>=,;".contains(c))
        .map(|token| token.split(['?', '#']).next().unwrap_or_default())
        .filter(|token| is_asset(token))
        .filter_map(|token| token.rsplit('/').next())
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn compressed_sizes(files: &[PathBuf]) -> Result<Vec<[u64; 3]>> {
    let mut cmd = Command::new("node");
    cmd.arg("-e").arg(COMPRESS_JS).args(files);
    let out = capture(&mut cmd).ok_or("`node -e <compress sizes>` failed")?;
    let sizes: Vec<[u64; 3]> = out
        .lines()
        .filter_map(|line| {
            let n: Vec<u64> = line
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (n.len() == 3).then(|| [n[0], n[1], n[2]])
        })
        .collect();
    if sizes.len() != files.len() {
        return Err(format!("unexpected output of the size script: {out:?}"));
    }
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_assets_of_trunks_index() {
        let html = r#"<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/style-5f1c2a.css" integrity="sha384-x"/>
<link rel="modulepreload" href="/app-8a7b6c.js" crossorigin="anonymous">
<link rel="preload" href="/app-8a7b6c_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<script type="module">
import init, * as bindings from '/app-8a7b6c.js';
const wasm = await init({ module_or_path: '/app-8a7b6c_bg.wasm' });
</script></head><body></body></html>"#;
        assert_eq!(
            referenced_assets(html),
            vec!["app-8a7b6c.js", "app-8a7b6c_bg.wasm", "style-5f1c2a.css"]
        );
        assert_eq!(
            referenced_assets(r#"<script src="./sub/app.js?v=2"></script>"#),
            vec!["app.js"]
        );
    }

    #[test]
    fn workers_are_not_first_load() {
        assert!(is_worker("worker.js"));
        assert!(is_worker("worker_bg.wasm"));
        assert!(is_worker("sw.js"));
        assert!(!is_worker("app-8a7b6c_bg.wasm"));
    }

    #[test]
    fn the_budget_is_a_bar_and_the_goal_is_not() {
        let sizes = Sizes {
            files: vec![("app_bg.wasm".to_string(), [500_000, 220_000, 150_000])],
            total: [500_000, 220_000, 150_000],
            later: vec![],
        };
        let row = sizes.row();
        assert!(!row.fails());
        assert!(!row.bars[1].pass && row.bars[1].goal);
        assert_eq!(sizes.section().rows.len(), 3);
    }
}
