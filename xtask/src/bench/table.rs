//! The benchmark's one table: a row per case with the page's figure over its runs, the model's
//! prediction, CPython's figure for the same workload, the ratios, the longest frame gap, the
//! timeline's frame, the memories and the bars; printed as text and as markdown, and stored
//! as JSON (`target/bench/latest.json`) from which the README's table is written again.

use serde::{Deserialize, Serialize};
use sim::format::count;

/// What a figure counts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Unit {
    #[serde(rename = "ms")]
    Ms,
    /// A ratio.
    #[serde(rename = "x")]
    Times,
    #[serde(rename = "ms/task")]
    MsPerTask,
    #[serde(rename = "bytes")]
    Bytes,
    #[serde(rename = "count")]
    Count,
    /// A speed-up divided by the workers that gave it.
    #[serde(rename = "per worker")]
    PerWorker,
    #[serde(rename = "req/s")]
    RequestsPerSecond,
    #[serde(rename = "%")]
    Percent,
}

impl Unit {
    /// `value` in this unit, for a person: `1,003 ms`, `25.2 s`, `1.95x`, `612.0 MB`.
    pub fn show(self, value: f64) -> String {
        if !value.is_finite() {
            return "n/a".to_string();
        }
        match self {
            Unit::Ms if value.abs() >= 10_000.0 => format!("{:.1} s", value / 1000.0),
            Unit::Ms if value.abs() < 10.0 => format!("{value:.1} ms"),
            Unit::Ms => format!("{} ms", grouped(value)),
            Unit::Times => format!("{value:.2}x"),
            Unit::MsPerTask => format!("{value:.3} ms/task"),
            Unit::Bytes => bytes(value),
            Unit::Count => grouped(value),
            Unit::PerWorker => format!("{value:.3}/worker"),
            Unit::RequestsPerSecond => format!("{} req/s", grouped(value)),
            Unit::Percent => format!("{value:.0}%"),
        }
    }
}

/// A whole number with thousands separators (negative numbers keep their sign).
fn grouped(value: f64) -> String {
    let rounded = value.round();
    let sign = if rounded < 0.0 { "-" } else { "" };
    format!("{sign}{}", count(rounded.abs() as u64))
}

/// `812 B`, `198.9 kB`, `612.0 MB`, `1.38 GB` (powers of 1,000, as the download's budget
/// of 200 kB is counted).
pub fn bytes(value: f64) -> String {
    const KB: f64 = 1000.0;
    match value.abs() {
        v if v < KB => format!("{} B", grouped(value)),
        v if v < KB * KB => format!("{:.1} kB", value / KB),
        v if v < KB * KB * KB => format!("{:.1} MB", value / KB / KB),
        _ => format!("{:.2} GB", value / KB / KB / KB),
    }
}

/// A bar a row's figure must meet, or a goal it is reported against without failing.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Bar {
    pub name: String,
    /// None where the figure could not be measured (the bar then fails).
    pub figure: Option<f64>,
    pub op: String,
    pub limit: f64,
    pub unit: Unit,
    pub pass: bool,
    #[serde(default)]
    pub goal: bool,
}

impl Bar {
    /// `wall 1,103 ms < 1,200 ms: pass`
    pub fn describe(&self) -> String {
        let verdict = match (self.goal, self.pass) {
            (false, true) => "pass",
            (false, false) => "FAIL",
            (true, true) => "goal met",
            (true, false) => "goal not met",
        };
        format!(
            "{} {} {} {}: {verdict}",
            self.name,
            self.figure.map_or("n/a".to_string(), |f| self.unit.show(f)),
            self.op,
            self.unit.show(self.limit)
        )
    }
}

/// CPython's figure for a row's workload, measured in the same bench run.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum Cpython {
    /// The median of `runs` (one process each) and the largest resident memory of a run.
    #[serde(rename_all = "camelCase")]
    Measured {
        what: String,
        unit: Unit,
        runs: Vec<f64>,
        median: f64,
        rss_bytes: Option<f64>,
        /// What the page's CPython cost model (`sim::cpython`) gives for the same workload,
        /// with the costs stored for this interpreter's version.
        #[serde(default)]
        model: Option<f64>,
    },
    /// Not run, and why (no python3, a module missing, a size beyond what it takes here).
    Skipped { what: String, why: String },
    /// Run, and it failed.
    Failed { what: String, why: String },
}

impl Cpython {
    pub fn what(&self) -> &str {
        match self {
            Cpython::Measured { what, .. }
            | Cpython::Skipped { what, .. }
            | Cpython::Failed { what, .. } => what,
        }
    }
}

/// One case of the table. The browser benchmark (`e2e/bench/rows.mjs`) gives most rows; xtask
/// adds the download's size and the server's load test, and CPython's figure to each.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub id: String,
    pub case: String,
    pub unit: Unit,
    /// The page's figure, one a run.
    #[serde(default)]
    pub runs: Vec<f64>,
    /// Their median: the row's figure.
    pub median: Option<f64>,
    /// The model's prediction for the page's figure.
    pub model: Option<f64>,
    pub frame_gap_ms: Option<f64>,
    /// How long the timeline's frame took to draw, ms.
    pub draw_ms: Option<f64>,
    /// The page's wasm memory after the run.
    pub memory_bytes: Option<f64>,
    #[serde(default)]
    pub bars: Vec<Bar>,
    #[serde(default)]
    pub note: String,
    /// Why the case could not be measured.
    pub error: Option<String>,
    #[serde(default)]
    pub cpython: Option<Cpython>,
}

impl Row {
    /// A row of xtask's own (no model, no frames).
    pub fn own(id: &str, case: &str, unit: Unit, figure: f64, bars: Vec<Bar>, note: String) -> Row {
        Row {
            id: id.to_string(),
            case: case.to_string(),
            unit,
            runs: vec![figure],
            median: Some(figure),
            model: None,
            frame_gap_ms: None,
            draw_ms: None,
            memory_bytes: None,
            bars,
            note,
            error: None,
            cpython: None,
        }
    }

    /// A row whose case could not be measured.
    pub fn failed(id: &str, case: &str, unit: Unit, error: String) -> Row {
        Row {
            runs: Vec::new(),
            median: None,
            error: Some(error),
            ..Row::own(id, case, unit, f64::NAN, Vec::new(), String::new())
        }
    }

    /// The page's figure over the model's.
    pub fn per_model(&self) -> Option<f64> {
        ratio(self.median?, self.model?)
    }

    /// The page's figure over CPython's, where both count the same thing.
    pub fn per_cpython(&self) -> Option<f64> {
        match &self.cpython {
            Some(Cpython::Measured { median, unit, .. }) if *unit == self.unit => {
                ratio(self.median?, *median)
            }
            _ => None,
        }
    }

    /// Whether the row fails the bench: not measured, or a bar (not a goal) missed.
    pub fn fails(&self) -> bool {
        self.error.is_some() || self.bars.iter().any(|bar| !bar.goal && !bar.pass)
    }

    /// The bar column: `pass`, `FAIL (wall)` naming the bars missed, `goal met`, `-` for a
    /// figure only reported.
    fn verdict(&self) -> String {
        if self.error.is_some() {
            return "FAIL (not measured)".to_string();
        }
        let bars: Vec<&Bar> = self.bars.iter().filter(|bar| !bar.goal).collect();
        let goals: Vec<&Bar> = self.bars.iter().filter(|bar| bar.goal).collect();
        let mut parts = Vec::new();
        if !bars.is_empty() {
            let missed: Vec<&str> = bars
                .iter()
                .filter(|bar| !bar.pass)
                .map(|bar| bar.name.as_str())
                .collect();
            parts.push(if missed.is_empty() {
                "pass".to_string()
            } else {
                format!("FAIL ({})", missed.join(", "))
            });
        }
        if !goals.is_empty() {
            parts.push(if goals.iter().all(|bar| bar.pass) {
                "goal met".to_string()
            } else {
                "goal not met".to_string()
            });
        }
        if parts.is_empty() {
            "-".to_string()
        } else {
            parts.join(", ")
        }
    }

    fn cells(&self) -> Vec<String> {
        let opt = |value: Option<f64>, unit: Unit| value.map_or("-".to_string(), |v| unit.show(v));
        let page = match (self.median, &self.error) {
            (_, Some(_)) => "not measured".to_string(),
            (Some(median), None) => format!("{} ({})", self.unit.show(median), self.runs.len()),
            (None, None) => "-".to_string(),
        };
        let (cpython, rss) = match &self.cpython {
            None => ("-".to_string(), "-".to_string()),
            Some(Cpython::Measured {
                unit,
                runs,
                median,
                rss_bytes,
                ..
            }) => (
                format!("{} ({})", unit.show(*median), runs.len()),
                opt(*rss_bytes, Unit::Bytes),
            ),
            Some(Cpython::Skipped { why, .. }) => (format!("skipped: {why}"), "-".to_string()),
            Some(Cpython::Failed { .. }) => ("failed (see below)".to_string(), "-".to_string()),
        };
        let cpython_model = match &self.cpython {
            Some(Cpython::Measured {
                unit,
                median,
                model: Some(model),
                ..
            }) => format!(
                "{} ({:+.0}%)",
                unit.show(*model),
                (model / median - 1.0) * 100.0
            ),
            _ => "-".to_string(),
        };
        vec![
            self.case.clone(),
            page,
            opt(self.model, self.unit),
            opt(self.per_model(), Unit::Times),
            cpython,
            cpython_model,
            opt(self.per_cpython(), Unit::Times),
            opt(self.frame_gap_ms, Unit::Ms),
            opt(self.draw_ms, Unit::Ms),
            opt(self.memory_bytes, Unit::Bytes),
            rss,
            self.verdict(),
        ]
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (a.is_finite() && b.is_finite() && b != 0.0).then(|| a / b)
}

/// The table's header.
const HEADER: [&str; 12] = [
    "case",
    "page (runs)",
    "model",
    "page / model",
    "CPython (runs)",
    "CPython model",
    "page / CPython",
    "frame gap",
    "timeline frame",
    "wasm memory",
    "CPython RSS",
    "bar",
];

/// What the columns mean, printed under the table.
pub const LEGEND: &str = "page: the median over (runs); model: what the page's model \
    predicts; CPython: the same workload run by CPython on this machine in the same bench run \
    (median over its runs, one process each); CPython model: what the page's model of \
    CPython's costs (sim::cpython) gives for that workload, and how far from CPython's figure \
    (goal: within 20%); page / CPython under 1 is the page faster; frame \
    gap: the longest gap between two of the page's frames during a run (median over runs); \
    timeline frame: how long the timeline took to draw; wasm memory: the page's after the run; \
    CPython RSS: the largest resident memory of its process";

/// The table as aligned text (figures right-aligned).
pub fn text(rows: &[Row]) -> String {
    let mut lines: Vec<Vec<String>> = vec![HEADER.iter().map(|h| h.to_string()).collect()];
    lines.extend(rows.iter().map(Row::cells));
    aligned(&lines, true)
}

/// The table as GitHub markdown.
pub fn markdown(rows: &[Row]) -> String {
    let escape = |cell: &str| cell.replace('|', "\\|");
    let mut out = format!("| {} |\n", HEADER.join(" | "));
    out.push_str(&format!(
        "| --- |{}\n",
        " ---: |".repeat(HEADER.len() - 2) + " --- |"
    ));
    for row in rows {
        let cells: Vec<String> = row.cells().iter().map(|c| escape(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// Rows of cells (the first a header) as columns padded to their widest cell, a rule under
/// the header; `figures` right-aligns every column but the first and the last.
pub fn aligned(lines: &[Vec<String>], figures: bool) -> String {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    let width = |c: usize| {
        lines
            .iter()
            .filter_map(|line| line.get(c))
            .map(|cell| cell.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..columns).map(width).collect();
    let mut out = String::new();
    for (index, line) in lines.iter().enumerate() {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let right = figures && c > 0 && c + 1 < columns;
                if right {
                    format!("{cell:>w$}", w = widths[c])
                } else {
                    format!("{cell:<w$}", w = widths[c])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if index == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

/// A short table printed after the main one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    /// The first row is the header.
    pub rows: Vec<Vec<String>>,
}

impl Section {
    pub fn text(&self) -> String {
        format!("== {}\n{}", self.title, aligned(&self.rows, false))
    }
}

/// The sections every run has: each bar with its figure, each row's note, and why a case or
/// a CPython run failed.
pub fn own_sections(rows: &[Row]) -> Vec<Section> {
    let mut sections = Vec::new();
    let bars: Vec<Vec<String>> = rows
        .iter()
        .flat_map(|row| {
            row.bars
                .iter()
                .map(|bar| vec![row.case.clone(), bar.describe()])
        })
        .collect();
    if !bars.is_empty() {
        sections.push(Section {
            title: "Bars and goals".to_string(),
            rows: [vec![
                "case".to_string(),
                "figure, limit: verdict".to_string(),
            ]]
            .into_iter()
            .chain(bars)
            .collect(),
        });
    }
    let notes: Vec<Vec<String>> = rows
        .iter()
        .filter(|row| !row.note.is_empty())
        .map(|row| vec![row.case.clone(), row.note.clone()])
        .collect();
    if !notes.is_empty() {
        sections.push(Section {
            title: "Notes".to_string(),
            rows: [vec!["case".to_string(), "note".to_string()]]
                .into_iter()
                .chain(notes)
                .collect(),
        });
    }
    let failures: Vec<Vec<String>> = rows
        .iter()
        .flat_map(|row| {
            let page = row
                .error
                .iter()
                .map(|error| vec![row.case.clone(), "page".to_string(), error.clone()]);
            let cpython = match &row.cpython {
                Some(Cpython::Failed { what, why }) => Some(vec![
                    row.case.clone(),
                    format!("CPython: {what}"),
                    why.clone(),
                ]),
                _ => None,
            };
            page.chain(cpython).collect::<Vec<_>>()
        })
        .collect();
    if !failures.is_empty() {
        sections.push(Section {
            title: "Not measured".to_string(),
            rows: [vec![
                "case".to_string(),
                "where".to_string(),
                "why".to_string(),
            ]]
            .into_iter()
            .chain(failures)
            .collect(),
        });
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sleep_row() -> Row {
        serde_json::from_str(
            r#"{"id":"sleep-1000000-wheel","case":"sleep 1,000,000 x 1 s, timer wheel","unit":"ms",
            "runs":[1103.2,1150,1098],"median":1103.2,"model":1000,"frameGapMs":33.4,"drawMs":2.1,
            "memoryBytes":268435456,"bars":[{"name":"wall","figure":1103.2,"op":"<","limit":1200,
            "unit":"ms","pass":true,"goal":false}],"note":"runs 1,103 ms"}"#,
        )
        .expect("a row as rows.mjs writes it")
    }

    #[test]
    fn figures_read_as_a_person_writes_them() {
        assert_eq!(Unit::Ms.show(1003.4), "1,003 ms");
        assert_eq!(Unit::Ms.show(25_210.0), "25.2 s");
        assert_eq!(Unit::Ms.show(3.25), "3.2 ms");
        assert_eq!(Unit::Times.show(0.0714), "0.07x");
        assert_eq!(Unit::Bytes.show(198_876.0), "198.9 kB");
        assert_eq!(Unit::Bytes.show(1_380_000_000.0), "1.38 GB");
        assert_eq!(Unit::Ms.show(f64::NAN), "n/a");
    }

    #[test]
    fn a_row_gives_its_ratios_and_verdict() {
        let mut row = sleep_row();
        row.cpython = Some(Cpython::Measured {
            what: "asyncio".to_string(),
            unit: Unit::Ms,
            runs: vec![25_000.0],
            median: 25_000.0,
            rss_bytes: Some(1.6e9),
            model: Some(24_000.0),
        });
        assert_eq!(row.per_model().map(|r| (r * 1000.0).round()), Some(1103.0));
        assert_eq!(row.per_cpython().map(|r| (r * 1000.0).round()), Some(44.0));
        assert!(!row.fails());
        let cells = row.cells();
        assert_eq!(cells[1], "1,103 ms (3)");
        assert_eq!(cells[4], "25.0 s (1)");
        assert_eq!(cells[5], "24.0 s (-4%)");
        assert_eq!(cells[11], "pass");
    }

    #[test]
    fn an_unmeasured_case_is_a_fail_row() {
        let row = Row::failed(
            "sleep-10000000-wheel",
            "sleep 10,000,000",
            Unit::Ms,
            "the page ran 1,000,000 tasks".to_string(),
        );
        assert!(row.fails());
        assert_eq!(row.cells()[11], "FAIL (not measured)");
        let notes = own_sections(&[row]);
        assert_eq!(notes.last().map(|s| s.title.as_str()), Some("Not measured"));
    }

    #[test]
    fn a_missed_bar_is_named() {
        let mut row = sleep_row();
        row.bars[0].pass = false;
        assert!(row.fails());
        assert_eq!(row.cells()[11], "FAIL (wall)");
    }

    #[test]
    fn a_missed_goal_does_not_fail() {
        let mut row = sleep_row();
        row.bars[0].goal = true;
        row.bars[0].pass = false;
        assert!(!row.fails());
        assert_eq!(row.cells()[11], "goal not met");
    }

    #[test]
    fn the_markdown_has_a_line_per_row() {
        let md = markdown(&[sleep_row(), sleep_row()]);
        assert_eq!(md.lines().count(), 4);
        assert!(md
            .lines()
            .all(|line| line.starts_with('|') && line.ends_with('|')));
        assert_eq!(md.lines().nth(1).map(|l| l.matches('|').count()), Some(13));
    }
}
