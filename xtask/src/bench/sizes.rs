//! The download, as the server sends it (the brotli copies a release build writes): each of the
//! page's modules (`app_<kind>/`: what its first paint needs, its wasm and JavaScript, and what
//! is fetched after it, the split modules `split_<name>.wasm`) against the budgets written
//! beside them here, and the first load of every lab (`index.html`, the stylesheet and its
//! kind's module without its split modules) against the first-load bar. `cargo xtask test`
//! checks them on the release build its end-to-end step serves; `cargo xtask bench` reports
//! them in its table.

use std::path::Path;

use serde::Serialize;
use sim::format::count;

use super::table::{Bar, Row, Section, Unit};
use crate::Result;

/// Each module's budget for its first paint, brotli bytes of its wasm and JavaScript: what it
/// weighs now and a little room, so a change that adds to a module is seen and its budget
/// raised on purpose. (The workload and compare modules were 193 and 171 kB before what only a
/// run needs moved to their split module `runs`, below; every module grew by 1.2 to 2.7 kB
/// with the embed snippet's options and an embedded page's link to the full lab, and the
/// workload and compare modules gave 3 kB back when their "Share and embed" region moved to
/// `runs`.) The time cursor, `view=` and Step back took every module up by 0.1 to 1 kB: the
/// URL's `view`, the runs' cursor and range and the stepper's Step back are page state, which
/// every module holds. Found doing so: the generators' stepper (its scheduler, 6 kB of wasm)
/// is in every module, since the page state holds every kind of room; moving it to the stepper
/// module alone is the next way to make room.
pub const MODULE_BUDGETS: [(&str, u64); 4] = [
    // The workload labs (and the home page): the page frame, the lab's form, its program.
    // Bars linked to lines added 0.3 kB here though their code is in `runs`: a split module
    // imports the browser's functions through the page module (querySelectorAll, closest,
    // focus, scrollBy, ...), and the splitter keeps a few string searchers here.
    ("workload", 141_500),
    // The compare table, without its runs (the same imports: 0.15 kB).
    ("compare", 138_700),
    // The generators stepper: no run driver, no executor, nothing split off. Its versions as
    // tabs, the program's pane that follows the marked line and folds the helper class, and the
    // deck a Step keeps in view took it from 135.6 to 139.2 kB.
    ("stepper", 140_100),
    // The pitfalls cases: the page frame and two live runs, nothing split off.
    ("cases", 121_100),
];

/// Each split module's budget, brotli bytes: `(kind, split, budget)`. `runs` is the run driver,
/// every executor, the workers' side, export and import, and the results' cards and timelines
/// (on compare, its chart), and "Share and embed" (`src/ui/runs_room.rs`), fetched once the
/// page has painted. The timeline's states (the `ready` bars, the legend's six words, the
/// table's State column in a box that scrolls on a phone) and the calls as rows of the table
/// took them up by 1.8 and 1.6 kB. Bars and lines that lead to each other (each bar a focusable,
/// named element with the arrow keys among them; the program's pane with its lines as buttons;
/// which line each bar stands for, read from the program) and rows under what ran them, folding,
/// took them up by about 14 kB, and the time cursor with its readouts and the zoom by 3 kB more:
/// none of it is needed before a run has ended.
pub const SPLIT_BUDGETS: [(&str, &str, u64); 2] =
    [("workload", "runs", 90_500), ("compare", "runs", 93_400)];

/// The first load's bar, which every lab's first load must be within, and its goal (reported).
pub const FIRST_LOAD_BAR: u64 = 150_000;
pub const FIRST_LOAD_GOAL: u64 = 100_000;

/// A module split off one of the page's modules, fetched after its first paint.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Split {
    /// `runs` for `split_runs.wasm`.
    pub name: String,
    pub raw: u64,
    pub brotli: u64,
    pub budget: u64,
}

/// One of the page's modules.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Module {
    pub kind: String,
    /// The files its first paint needs, in `dist/`.
    pub files: Vec<String>,
    pub raw: u64,
    pub brotli: u64,
    pub budget: u64,
    /// What is fetched after the first paint.
    pub splits: Vec<Split>,
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

/// A split module's name (`runs`) and its file's path from `dist/`.
type SplitFile = (String, String);

/// The files of a module's folder (`app_<kind>-<hash>/`) other than the compressed copies,
/// as paths from `dist/`: its first paint's, and its split modules' with their names.
fn folder_files(dist: &Path, folder: &str) -> Result<(Vec<String>, Vec<SplitFile>)> {
    let mut names: Vec<String> = std::fs::read_dir(dist.join(folder))
        .map_err(|err| format!("{folder}: {err} (is dist/ a release build?)"))?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".wasm") || name.ends_with(".js"))
        .collect();
    names.sort();
    let mut first = Vec::new();
    let mut splits = Vec::new();
    for name in names {
        let path = format!("{folder}/{name}");
        match name
            .strip_prefix("split_")
            .and_then(|n| n.strip_suffix(".wasm"))
        {
            Some(split) => splits.push((split.to_string(), path)),
            None => first.push(path),
        }
    }
    Ok((first, splits))
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
    for (kind, named) in modules_of(&index)? {
        let budget = MODULE_BUDGETS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, b)| *b)
            .ok_or_else(|| format!("module {kind} has no budget in xtask/src/bench/sizes.rs"))?;
        let folder = named
            .first()
            .and_then(|js| js.split_once('/'))
            .map(|(folder, _)| folder.to_string())
            .ok_or_else(|| format!("module {kind}: its files are not in a folder of their own"))?;
        let (files, split_files) = folder_files(dist, &folder)?;
        for wanted in &named {
            if !files.contains(wanted) {
                return Err(format!(
                    "module {kind}: the loader names {wanted}, not in dist/"
                ));
            }
        }
        let (mut raw, mut brotli) = (0, 0);
        for file in &files {
            let (r, b) = sizes(dist, file)?;
            raw += r;
            brotli += b;
        }
        let mut splits = Vec::new();
        for (name, file) in split_files {
            let budget = SPLIT_BUDGETS
                .iter()
                .find(|(k, n, _)| *k == kind && *n == name)
                .map(|(_, _, b)| *b)
                .ok_or_else(|| {
                    format!(
                        "module {kind}'s split {name} has no budget in xtask/src/bench/sizes.rs"
                    )
                })?;
            let (raw, brotli) = sizes(dist, &file)?;
            splits.push(Split {
                name,
                raw,
                brotli,
                budget,
            });
        }
        modules.push(Module {
            kind,
            files,
            raw,
            brotli,
            budget,
            splits,
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
        let over = |what: String, brotli: u64, limit: u64, whose: &str| {
            (brotli > limit).then(|| {
                format!(
                    "{what} is {} bytes brotli, over {whose} of {} (xtask/src/bench/sizes.rs)",
                    count(brotli),
                    count(limit)
                )
            })
        };
        let modules = self.modules.iter().flat_map(|m| {
            let first = over(
                format!("module {}", m.kind),
                m.brotli,
                m.budget,
                "its budget",
            );
            let splits = m.splits.iter().filter_map(|s| {
                over(
                    format!("module {}'s split {}", m.kind, s.name),
                    s.brotli,
                    s.budget,
                    "its budget",
                )
            });
            first.into_iter().chain(splits).collect::<Vec<_>>()
        });
        let labs = self.labs.iter().filter_map(|l| {
            over(
                format!("lab {}: its first load", l.lab),
                l.brotli,
                FIRST_LOAD_BAR,
                "the first-load bar",
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
            for split in &m.splits {
                rows.push(vec![
                    format!(
                        "module {}'s split {}, after the first paint",
                        m.kind, split.name
                    ),
                    count(split.raw),
                    count(split.brotli),
                    format!("budget {}", count(split.budget)),
                ]);
            }
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

    const INDEX: &str = r#"<!doctype html><link href=./styles-0123456789abcdef.css rel=stylesheet><script id=modules type=application/json>{"workload":["app_workload-aa/app_workload.js","app_workload-aa/app_workload_bg.wasm"],"cases":["app_cases-bb/app_cases.js","app_cases-bb/app_cases_bg.wasm"]}</script><script type=module>load()</script>"#;

    #[test]
    fn the_loader_names_each_module_and_the_page_its_stylesheet() {
        let modules = modules_of(INDEX).unwrap();
        assert_eq!(modules.len(), 2);
        assert_eq!(modules[0].0, "cases");
        assert_eq!(
            modules[1].1,
            [
                "app_workload-aa/app_workload.js",
                "app_workload-aa/app_workload_bg.wasm"
            ]
        );
        assert_eq!(
            stylesheet_of(INDEX).as_deref(),
            Some("styles-0123456789abcdef.css")
        );
        assert!(modules_of("<script id=modules>{}</script>").is_err());
        assert!(modules_of("<html></html>").is_err());
    }

    fn download(workload: u64, runs: u64, first_load: u64) -> Download {
        Download {
            modules: vec![Module {
                kind: "workload".into(),
                files: vec![],
                raw: 0,
                brotli: workload,
                budget: 140_000,
                splits: vec![Split {
                    name: "runs".into(),
                    raw: 0,
                    brotli: runs,
                    budget: 67_000,
                }],
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
    fn a_module_or_split_over_its_budget_or_a_lab_over_the_bar_is_named() {
        assert!(download(139_000, 66_000, 145_000).over().is_empty());
        let over = download(141_000, 66_000, 145_000).over();
        assert_eq!(over.len(), 1);
        assert!(over[0].starts_with("module workload is 141,000 bytes"));
        let over = download(139_000, 68_000, 145_000).over();
        assert!(over[0].starts_with("module workload's split runs is 68,000 bytes"));
        let over = download(139_000, 66_000, 150_001).over();
        assert!(over[0].starts_with("lab hello: its first load is 150,001"));
    }

    #[test]
    fn a_module_s_folder_gives_its_first_paint_and_its_splits() {
        let dist = std::env::temp_dir().join(format!("sizes-test-{}", std::process::id()));
        let folder = dist.join("app_workload-aa");
        std::fs::create_dir_all(&folder).unwrap();
        for name in [
            "app_workload.js",
            "app_workload.js.br",
            "app_workload_bg.wasm",
            "__wasm_split.js",
            "split_runs.wasm",
            "split_runs.wasm.br",
        ] {
            std::fs::write(folder.join(name), name).unwrap();
        }
        let (first, splits) = folder_files(&dist, "app_workload-aa").unwrap();
        let _ = std::fs::remove_dir_all(&dist);
        assert_eq!(
            first,
            [
                "app_workload-aa/__wasm_split.js",
                "app_workload-aa/app_workload.js",
                "app_workload-aa/app_workload_bg.wasm"
            ]
        );
        assert_eq!(
            splits,
            [(
                "runs".to_string(),
                "app_workload-aa/split_runs.wasm".to_string()
            )]
        );
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
