//! Conventions that test themselves: the rules of ARCHITECTURE.md that a compiler does not
//! hold, checked over the workspace's source as text.
//!
//! - The crates stand in layers: `sim` uses no other crate of ours, `labs` only `sim`, `page`
//!   only those two, and none of them a browser crate.
//! - No module cycle inside a crate: at every level of a crate's module tree, the arrows between
//!   sibling modules run one way (a module may use its parent and its own children).
//! - A source file is at most 600 lines before its tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The workspace's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// Each crate's source folder, by name.
const CRATES: [(&str, &str); 6] = [
    ("sim", "crates/sim/src"),
    ("labs", "crates/labs/src"),
    ("page", "crates/page/src"),
    ("app", "src"),
    ("server", "server/src"),
    ("xtask", "xtask/src"),
];

/// The crates below the browser edge, with the crates of ours each may use.
const LAYERS: [(&str, &[&str]); 3] = [
    ("crates/sim", &[]),
    ("crates/labs", &["playground-sim"]),
    ("crates/page", &["playground-sim", "playground-labs"]),
];

/// Crates only the browser edge may use.
const BROWSER_CRATES: [&str; 6] = [
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "yew",
    "gloo-timers",
    "wasm-bindgen-futures",
];

const MAX_LINES: usize = 600;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A file's module path inside its crate (`src/ui/app.rs` is `["ui", "app"]`).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("a file of the crate");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.first().is_some_and(|p| p == "bin") {
        // Each binary is a crate of its own.
        return Vec::new();
    }
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// A file's code without its test module and its comments.
fn code_of(text: &str) -> String {
    let body = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    body.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `a, b::{c, d}, e` at its top-level commas.
fn top_level_parts(group: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(group[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(group[start..].trim());
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Every path that starts with `crate::`, `super::` or `self::` in `code`, as its segments,
/// with `use` groups expanded (`crate::{a::B, c}` gives `crate::a::B` and `crate::c`).
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != ':';
        let rest: String = bytes[i..bytes.len().min(i + 8)].iter().collect();
        let head = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|h| rest.starts_with(h));
        match head {
            Some(_) if starts_word => {
                let end = path_end(&bytes, i);
                let text: String = bytes[i..end].iter().collect();
                expand(&text, &mut out);
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// Where the path starting at `start` ends: after its last segment or its closing brace.
fn path_end(chars: &[char], start: usize) -> usize {
    let mut i = start;
    let mut depth = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            depth += 1;
        } else if c == '}' {
            if depth == 0 {
                break;
            }
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        } else if depth == 0 && !(is_ident(c) || c == ':') {
            break;
        }
        i += 1;
    }
    i
}

fn expand(path: &str, out: &mut Vec<Vec<String>>) {
    match path.find('{') {
        Some(open) => {
            let prefix = &path[..open];
            let group = &path[open + 1..path.len().saturating_sub(1)];
            for part in top_level_parts(group) {
                expand(&format!("{prefix}{part}"), out);
            }
        }
        None => out.push(
            path.split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        ),
    }
}

/// `path` as written in the module at `from`, made absolute (`super::x` in `a::b` is `a::x`).
fn absolute(from: &[String], path: &[String]) -> Vec<String> {
    let mut base: Vec<String> = Vec::new();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => rest = &path[1..],
        Some("self") => {
            base = from.to_vec();
            rest = &path[1..];
        }
        Some("super") => {
            base = from.to_vec();
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        _ => {}
    }
    base.extend(rest.iter().filter(|s| *s != "self").cloned());
    base
}

/// The arrows between sibling modules of one crate: (parent, from child, to child).
type Arrows = BTreeSet<(Vec<String>, String, String)>;

fn arrows_of(src: &Path) -> Arrows {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<Vec<String>> = files
        .iter()
        .map(|f| module_path(src, f))
        .filter(|m| !m.is_empty())
        .collect();
    let mut arrows = Arrows::new();
    for file in &files {
        let from = module_path(src, file);
        if from.is_empty() || from.last().is_some_and(|m| m == "tests") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("a readable source file");
        for path in paths_in(&code_of(&text)) {
            let mut to = absolute(&from, &path);
            // Keep the module part: the longest prefix that is a module of the crate.
            while !to.is_empty() && !modules.contains(&to) {
                to.pop();
            }
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common < from.len() && common < to.len() {
                arrows.insert((
                    from[..common].to_vec(),
                    from[common].clone(),
                    to[common].clone(),
                ));
            }
        }
    }
    arrows
}

/// The cycles among siblings: each as the list of modules in one strongly connected set.
fn cycles(arrows: &Arrows) -> Vec<String> {
    let mut by_parent: BTreeMap<&Vec<String>, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    for (parent, from, to) in arrows {
        by_parent
            .entry(parent)
            .or_default()
            .entry(from)
            .or_default()
            .push(to);
    }
    let mut found = Vec::new();
    for (parent, graph) in by_parent {
        let reaches = |start: &str| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![start];
            while let Some(m) = stack.pop() {
                for next in graph.get(m).into_iter().flatten() {
                    if seen.insert(*next) {
                        stack.push(next);
                    }
                }
            }
            seen
        };
        let mut reported = BTreeSet::new();
        for start in graph.keys() {
            if reported.contains(start) || !reaches(start).contains(start) {
                continue;
            }
            let ring: Vec<&str> = reaches(start)
                .into_iter()
                .filter(|m| reaches(m).contains(start))
                .collect();
            reported.extend(ring.iter().copied());
            let at = if parent.is_empty() {
                "crate root".to_string()
            } else {
                parent.join("::")
            };
            found.push(format!("under {at}: {}", ring.join(" <-> ")));
        }
    }
    found
}

#[test]
fn no_module_cycle_inside_any_crate() {
    let mut failures = Vec::new();
    for (name, dir) in CRATES {
        for ring in cycles(&arrows_of(&root().join(dir))) {
            failures.push(format!("{name}: {ring}"));
        }
    }
    assert!(
        failures.is_empty(),
        "module cycles:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_cycle_check_finds_a_ring_between_siblings_but_not_a_parent_and_its_child() {
    let a = paths_in("use crate::{b::Thing, c};\nfn f() { super::d::g(); }");
    assert_eq!(
        a,
        vec![
            vec!["crate", "b", "Thing"],
            vec!["crate", "c"],
            vec!["super", "d", "g"]
        ]
    );
    let from = vec!["x".to_string(), "y".to_string()];
    assert_eq!(absolute(&from, &a[2]), vec!["x", "d", "g"]);
    let ring: Arrows = [
        (vec![], "a".into(), "b".into()),
        (vec![], "b".into(), "a".into()),
        (vec![], "b".into(), "c".into()),
    ]
    .into_iter()
    .collect();
    assert_eq!(cycles(&ring), vec!["under crate root: a <-> b"]);
    let one_way: Arrows = [(vec![], "a".into(), "b".into())].into_iter().collect();
    assert!(cycles(&one_way).is_empty());
}

#[test]
fn each_crate_below_the_edge_uses_only_the_crates_below_it_and_no_browser_crate() {
    let ours = ["playground-sim", "playground-labs", "playground-page"];
    for (dir, allowed) in LAYERS {
        let manifest = std::fs::read_to_string(root().join(dir).join("Cargo.toml"))
            .expect("the crate's manifest");
        for line in manifest.lines() {
            for crate_name in ours {
                if line.contains(&format!("package = \"{crate_name}\"")) {
                    assert!(
                        allowed.contains(&crate_name),
                        "{dir} uses {crate_name}, which stands above it or beside it"
                    );
                }
            }
            for browser in BROWSER_CRATES {
                assert!(
                    !line.trim_start().starts_with(&format!("{browser} ")),
                    "{dir} uses {browser}: only the browser edge (src/) may"
                );
            }
        }
    }
}

#[test]
fn no_source_file_is_over_600_lines_before_its_tests() {
    let mut over = Vec::new();
    for (_, dir) in CRATES {
        let mut files = Vec::new();
        rust_files(&root().join(dir), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a readable source file");
            let lines = text
                .lines()
                .take_while(|l| !l.starts_with("#[cfg(test)]"))
                .count();
            let rel = file
                .strip_prefix(root())
                .expect("inside the workspace")
                .to_string_lossy()
                .into_owned();
            if lines > MAX_LINES {
                over.push(format!("{rel}: {lines} lines"));
            }
        }
    }
    assert!(
        over.is_empty(),
        "over {MAX_LINES} lines before the tests (one job a file):\n{}",
        over.join("\n")
    );
}

#[test]
fn the_pages_loader_opens_each_lab_in_its_kinds_module() {
    let index = std::fs::read_to_string(root().join("index.html")).expect("index.html");
    let line = index
        .lines()
        .find(|l| l.trim_start().starts_with("const KINDS = {"))
        .expect("index.html's loader has a KINDS map");
    let inner = &line[line.find('{').unwrap() + 1..line.rfind('}').unwrap()];
    let mut loader: Vec<(String, String)> = inner
        .split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let (lab, module) = pair.split_once(':').expect("lab: \"module\"");
            let lab = lab.trim().trim_matches('"').to_string();
            (lab, module.trim().trim_matches('"').to_string())
        })
        .collect();
    loader.sort();
    let mut registry: Vec<(String, String)> = labs::LABS
        .iter()
        .map(|lab| (lab.id.to_string(), lab.body.module().to_string()))
        .collect();
    registry.sort();
    assert_eq!(loader, registry);
    // `cargo xtask modules` (Trunk's build hook) builds each kind's module.
    let modules = std::fs::read_to_string(root().join("xtask/src/modules.rs")).unwrap();
    let kinds = modules
        .lines()
        .find(|line| line.starts_with("pub const KINDS"))
        .expect("xtask/src/modules.rs has KINDS");
    for (_, module) in &registry {
        assert!(
            kinds.contains(&format!("\"{module}\"")),
            "cargo xtask modules builds no module app_{module}"
        );
    }
}
