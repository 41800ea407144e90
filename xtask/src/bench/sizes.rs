//! The download, as the server sends it (the brotli copies a release build writes): each of the
//! page's modules (`app_<kind>`, its wasm and its JavaScript) against the budget written
//! beside it here, and the first load of every lab (`index.html`, the stylesheet and its
//! kind's module) against the first-load bars. `cargo xtask test` checks them on the release
//! build its end-to-end step serves; `cargo xtask bench` reports them in its table.

use std::path::Path;

use serde::Serialize;
use sim::format::count;

use super::table::{Bar, Row, Section, Unit};
use crate::Result;

/// Each module's budget, brotli bytes of its wasm and JavaScript: what it weighs now and a
/// little room, so a change that adds to a module is seen and its budget raised on purpose.
/// (Raised by 2 kB each when the host page's messages came to be written by serde from the
/// types their tests check; again when every resize form course platforms read came, H5P's
/// handshake among them (1.2 to 1.5 kB a module), and on the workload and compare modules
/// Export trace with Open in Perfetto (2.5 kB) and the CPython cost model's ranges (1 kB); and
/// on the workload and compare modules when the workers' messages became serde types in
/// postcard's bytes and the pool's chunks came (1.3 to 1.8 kB), with the lab's question, Run
/// first and the advanced settings folded (about 1 kB).)
pub const MODULE_BUDGETS: [(&str, u64); 4] = [
    // The workload labs (and the home page): the run driver, every executor, the workers'
    // side, results, timelines, export and import.
    ("workload", 194_000),
    // The compare table: the run driver and executors too, without the lab page's views.
    ("compare", 171_500),
    // The generators stepper: no run driver, no executor.
    ("stepper", 132_000),
    // The pitfalls cases: the page frame and two live runs.
    ("cases", 118_500),
];

/// No lab's first load may weigh more (the whole page's budget before it was cut in modules).
pub const FIRST_LOAD_CEILING: u64 = 200_000;

/// The first load's bar and goal, for every lab (reported; not yet met by every lab).
pub const FIRST_LOAD_BAR: u64 = 150_000;
pub const FIRST_LOAD_GOAL: u64 = 100_000;

/// One of the page's modules.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Module {
    pub kind: String,
    /// Its files in `dist/`.
    pub files: Vec<String>,
    pub raw: u64,
    pub brotli: u64,
    pub budget: u64,
}

/// What opening one lab downloads.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct LabLoad {
    pub lab: &'static str,
    pub kind: &'static str,
    pub brotli: u64,
}

/// The build's download.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Download {
    pub modules: Vec<Module>,
    /// What every lab loads beside its module: the page and its stylesheet.
    pub shared: Vec<(String, u64)>,
    pub labs: Vec<LabLoad>,
}

/// The modules `dist/index.html`'s loader names (its `#modules` block), each `[js, wasm]`.
fn modules_of(index: &str) -> Result<Vec<(String, Vec<String>)>> {
    let start = index
        .find("id=modules")
        .or_else(|| index.find("id=\"modules\""))
        .ok_or("dist/index.html has no #modules block: is it a release build?")?;
    let open = index[start..].find('>').map(|i| start + i + 1);
    let close = open.and_then(|o| index[o..].find("</script>").map(|i| o + i));
    let (Some(open), Some(close)) = (open, close) else {
        return Err("dist/index.html's #modules block is not closed".into());
    };
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&index[open..close])
        .map_err(|err| format!("dist/index.html's #modules is not a JSON object: {err}"))?;
    if map.is_empty() {
        return Err("dist/index.html's #modules is empty: is it a release build?".into());
    }
    Ok(map
        .into_iter()
        .map(|(kind, files)| {
            let files = files
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect();
            (kind, files)
        })
        .collect())
}

/// The stylesheet `index.html` links.
fn stylesheet_of(index: &str) -> Option<String> {
    index
        .split(|c: char| c.is_whitespace() || "\"'<>=".contains(c))
        .find(|token| token.ends_with(".css"))
        .map(|token| token.rsplit('/').next().unwrap_or(token).to_string())
}

/// A file's size in `dist/`, and its brotli copy's.
fn sizes(dist: &Path, name: &str) -> Result<(u64, u64)> {
    let size = |path: &Path| {
        std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|err| format!("{}: {err} (is dist/ a release build?)", path.display()))
    };
    let raw = size(&dist.join(name))?;
    let brotli = size(&dist.join(format!("{name}.br")))?;
    Ok((raw, brotli))
}

/// Measures the release build in `dist`.
pub fn measure(dist: &Path) -> Result<Download> {
    let index = std::fs::read_to_string(dist.join("index.html"))
        .map_err(|err| format!("cannot read dist/index.html: {err}"))?;
    let mut modules = Vec::new();
    for (kind, files) in modules_of(&index)? {
        let budget = MODULE_BUDGETS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, b)| *b)
            .ok_or_else(|| format!("module {kind} has no budget in xtask/src/bench/sizes.rs"))?;
        let (mut raw, mut brotli) = (0, 0);
        for file in &files {
            let (r, b) = sizes(dist, file)?;
            raw += r;
            brotli += b;
        }
        modules.push(Module {
            kind,
            files,
            raw,
            brotli,
            budget,
        });
    }
    let mut shared = vec![("index.html".to_string(), sizes(dist, "index.html")?.1)];
    if let Some(css) = stylesheet_of(&index) {
        shared.push((css.clone(), sizes(dist, &css)?.1));
    }
    let beside: u64 = shared.iter().map(|(_, b)| b).sum();
    let mut labs = Vec::new();
    for lab in labs::LABS {
        let kind = lab.body.module();
        let module = modules
            .iter()
            .find(|m| m.kind == kind)
            .ok_or_else(|| format!("lab {}: no module {kind} in dist/index.html", lab.id))?;
        labs.push(LabLoad {
            lab: lab.id,
            kind,
            brotli: beside + module.brotli,
        });
    }
    Ok(Download {
        modules,
        shared,
        labs,
    })
}

impl Download {
    /// What is over its budget, one line each, naming the module or lab and its size.
    pub fn over(&self) -> Vec<String> {
        let modules = self
            .modules
            .iter()
            .filter(|m| m.brotli > m.budget)
            .map(|m| {
                format!(
                    "module {} is {} bytes brotli, over its budget of {} (xtask/src/bench/sizes.rs)",
                    m.kind,
                    count(m.brotli),
                    count(m.budget)
                )
            });
        let labs = self
            .labs
            .iter()
            .filter(|l| l.brotli > FIRST_LOAD_CEILING)
            .map(|l| {
                format!(
                    "lab {}: its first load is {} bytes brotli, over {}",
                    l.lab,
                    count(l.brotli),
                    count(FIRST_LOAD_CEILING)
                )
            });
        modules.chain(labs).collect()
    }

    /// The table the test step prints and the bench reports.
    pub fn section(&self) -> Section {
        let mut rows = vec![["module or lab", "raw", "brotli", "budget or bar"]
            .map(String::from)
            .to_vec()];
        for m in &self.modules {
            rows.push(vec![
                format!("module {} ({})", m.kind, m.files.join(", ")),
                count(m.raw),
                count(m.brotli),
                format!("budget {}", count(m.budget)),
            ]);
        }
        for (name, brotli) in &self.shared {
            rows.push(vec![
                format!("every lab: {name}"),
                String::new(),
                count(*brotli),
                String::new(),
            ]);
        }
        for l in &self.labs {
            let verdict = if l.brotli <= FIRST_LOAD_GOAL {
                "within the goal"
            } else if l.brotli <= FIRST_LOAD_BAR {
                "within the bar"
            } else {
                "over the bar"
            };
            rows.push(vec![
                format!("first load of {} ({})", l.lab, l.kind),
                String::new(),
                count(l.brotli),
                format!(
                    "bar {}, goal {}: {verdict}",
                    count(FIRST_LOAD_BAR),
                    count(FIRST_LOAD_GOAL)
                ),
            ]);
        }
        Section {
            title: "The download: each module and each lab's first load (dist/, bytes)".into(),
            rows,
        }
    }

    /// The bench's row: the heaviest lab's first load, against the bar and the goal.
    pub fn row(&self) -> Row {
        let heaviest = self.labs.iter().max_by_key(|l| l.brotli);
        let brotli = heaviest.map_or(0, |l| l.brotli) as f64;
        let bar = |limit: u64, goal: bool| Bar {
            name: "brotli".to_string(),
            figure: Some(brotli),
            op: "<=".to_string(),
            limit: limit as f64,
            unit: Unit::Bytes,
            pass: brotli <= limit as f64,
            goal,
        };
        Row::own(
            "first-load-brotli",
            "first load: the heaviest lab's .wasm, .js, .css and page, brotli",
            Unit::Bytes,
            brotli,
            vec![bar(FIRST_LOAD_BAR, false), bar(FIRST_LOAD_GOAL, true)],
            heaviest.map_or_else(String::new, |l| {
                format!(
                    "{} ({} module): {} bytes; every lab's in the download table",
                    l.lab,
                    l.kind,
                    count(l.brotli)
                )
            }),
        )
    }
}

/// The test step: measures `dist` and fails naming what is over its budget.
pub fn check(dist: &Path) -> Result<()> {
    let download = measure(dist)?;
    println!("{}", download.section().text());
    let over = download.over();
    if over.is_empty() {
        Ok(())
    } else {
        Err(over.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = r#"<!doctype html><link href=./styles-0123456789abcdef.css rel=stylesheet><script id=modules type=application/json>{"workload":["app_workload-aa.js","app_workload-aa_bg.wasm"],"cases":["app_cases-bb.js","app_cases-bb_bg.wasm"]}</script><script type=module>load()</script>"#;

    #[test]
    fn the_loader_names_each_module_and_the_page_its_stylesheet() {
        let modules = modules_of(INDEX).unwrap();
        assert_eq!(modules.len(), 2);
        assert_eq!(modules[0].0, "cases");
        assert_eq!(
            modules[1].1,
            ["app_workload-aa.js", "app_workload-aa_bg.wasm"]
        );
        assert_eq!(
            stylesheet_of(INDEX).as_deref(),
            Some("styles-0123456789abcdef.css")
        );
        assert!(modules_of("<script id=modules>{}</script>").is_err());
        assert!(modules_of("<html></html>").is_err());
    }

    fn download(workload: u64, first_load: u64) -> Download {
        Download {
            modules: vec![Module {
                kind: "workload".into(),
                files: vec![],
                raw: 0,
                brotli: workload,
                budget: 186_000,
            }],
            shared: vec![],
            labs: vec![LabLoad {
                lab: "hello",
                kind: "workload",
                brotli: first_load,
            }],
        }
    }

    #[test]
    fn a_module_over_its_budget_or_a_lab_over_the_ceiling_is_named() {
        assert!(download(180_000, 190_000).over().is_empty());
        let over = download(190_000, 190_000).over();
        assert_eq!(over.len(), 1);
        assert!(over[0].starts_with("module workload is 190,000 bytes"));
        let over = download(180_000, 201_000).over();
        assert!(over[0].starts_with("lab hello: its first load is 201,000"));
    }

    #[test]
    fn every_kind_of_lab_has_a_module_with_a_budget() {
        for lab in labs::LABS {
            let kind = lab.body.module();
            assert!(
                MODULE_BUDGETS.iter().any(|(k, _)| *k == kind),
                "{}: no budget for module {kind}",
                lab.id
            );
        }
    }
}
