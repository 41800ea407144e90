//! The bench's report: the table with the machine, written as JSON under `target/bench/`
//! (`bench-<UTC time>.json` and `latest.json`), and the README's table written from it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::machine::Machine;
use super::table::{self, Row, Section};
use crate::{Ctx, Result};

/// Everything one bench run found.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub machine: Machine,
    /// No row failed.
    pub ok: bool,
    /// What failed, in words.
    pub problems: Vec<String>,
    pub rows: Vec<Row>,
    /// The short tables printed after the main one.
    pub sections: Vec<Section>,
    /// The browser benchmark's own figures, run by run.
    #[serde(default)]
    pub browser: Value,
    /// The server's load test.
    #[serde(default)]
    pub load: Value,
    /// The first load's files and sizes.
    #[serde(default)]
    pub sizes: Value,
}

impl Report {
    /// The whole report for the terminal: the table, its legend, the sections, the machine.
    pub fn text(&self) -> String {
        let mut out = format!("== Benchmark\n{}", table::text(&self.rows));
        out.push_str(&format!("({})\n", table::LEGEND));
        for section in &self.sections {
            out.push('\n');
            out.push_str(&section.text());
        }
        out.push('\n');
        out.push_str(&self.machine.line());
        out.push('\n');
        out
    }

    /// The README's part: the machine, the table, its legend.
    pub fn markdown(&self) -> String {
        format!(
            "{}\n\n{}\n{}.\n",
            self.machine.line(),
            table::markdown(&self.rows),
            capitalised(table::LEGEND)
        )
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Where the reports go.
pub fn dir(ctx: &Ctx) -> PathBuf {
    ctx.target_dir().join("bench")
}

/// Writes `report` as `bench-<stamp>.json` and `latest.json`; the first path.
pub fn write(ctx: &Ctx, report: &Report, stamp: &str) -> Result<PathBuf> {
    let dir = dir(ctx);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let json = serde_json::to_string_pretty(report).map_err(|e| e.to_string())?;
    let file = dir.join(format!("bench-{stamp}.json"));
    for path in [&file, &dir.join("latest.json")] {
        std::fs::write(path, &json).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(file)
}

/// The marks around the README's table.
const BEGIN: &str = "<!-- bench:begin: `cargo xtask bench --readme` writes this part from target/bench/latest.json -->";
const END: &str = "<!-- bench:end -->";

/// Writes the README's table again from `target/bench/latest.json`.
pub fn update_readme(ctx: &Ctx) -> Result<()> {
    let latest = dir(ctx).join("latest.json");
    let json = std::fs::read_to_string(&latest)
        .map_err(|e| format!("{}: {e}: run `cargo xtask bench` first", latest.display()))?;
    let report: Report =
        serde_json::from_str(&json).map_err(|e| format!("{}: {e}", latest.display()))?;
    let readme = ctx.root.join("README.md");
    let text =
        std::fs::read_to_string(&readme).map_err(|e| format!("{}: {e}", readme.display()))?;
    let updated = replace_between_marks(&text, &report.markdown())
        .ok_or_else(|| format!("{} has no `{BEGIN}` ... `{END}` part", readme.display()))?;
    std::fs::write(&readme, updated).map_err(|e| format!("{}: {e}", readme.display()))?;
    println!(
        "README.md: the benchmark table of {} ({})",
        report.machine.started_utc,
        latest.display()
    );
    Ok(())
}

/// `text` with what lies between the marks replaced by `part`; None without the marks.
fn replace_between_marks(text: &str, part: &str) -> Option<String> {
    let begin = text.find(BEGIN)? + BEGIN.len();
    let end = begin + text[begin..].find(END)?;
    Some(format!("{}\n{}{}", &text[..begin], part, &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_part_is_replaced_between_its_marks() {
        let text = format!("# A\n\n## Benchmark\n\n{BEGIN}\nold table\n{END}\n\n## Next\n");
        let updated = replace_between_marks(&text, "new table\n").expect("marks");
        assert_eq!(
            updated,
            format!("# A\n\n## Benchmark\n\n{BEGIN}\nnew table\n{END}\n\n## Next\n")
        );
        assert_eq!(
            replace_between_marks(&updated, "new table\n"),
            Some(updated.clone())
        );
        assert!(replace_between_marks("no marks", "x").is_none());
    }

    #[test]
    fn a_report_reads_back() {
        let report = Report {
            machine: Machine::default(),
            ok: true,
            problems: vec![],
            rows: vec![Row::own(
                "server-load",
                "server",
                table::Unit::RequestsPerSecond,
                8000.0,
                vec![],
                String::new(),
            )],
            sections: vec![],
            browser: Value::Null,
            load: Value::Null,
            sizes: Value::Null,
        };
        let json = serde_json::to_string(&report).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back.markdown(), report.markdown());
    }
}
