//! `cargo xtask bench`: one table of the page's cases against a release build, each beside the
//! model's prediction and CPython's figure for the same workload on the same machine, in the
//! same run; with the download's size against its budget and a load test of the server's
//! latency endpoint. The table is printed as text and as markdown, and written as JSON under
//! `target/bench/`; `cargo xtask bench --readme` writes the README's table from the latest.
//!
//! The browser side is `e2e/bench/run.mjs` (its rows) and `e2e/bench/load.mjs`; CPython's is
//! `bench/cpython.rs`. A case that cannot be measured is a FAIL row saying why, and the bench
//! goes on.

mod cpython;
mod load;
mod machine;
mod report;
pub mod sizes;
pub mod table;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime};

use serde_json::Value;

use crate::build::{self, Profile};
use crate::process::{self, capture, show};
use crate::tools::{self, Needs};
use crate::{Ctx, Result};
use machine::Machine;
use report::Report;
use table::{Cpython, Row, Section};

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Write the README's benchmark table from target/bench/latest.json, without running
    #[arg(long)]
    readme: bool,
}

pub fn bench(ctx: &Ctx, args: &BenchArgs) -> Result<()> {
    if args.readme {
        return report::update_readme(ctx);
    }
    let started = Instant::now();
    let mut machine = Machine::describe(ctx, SystemTime::now());
    let stamp = machine::utc(SystemTime::now()).stamp;
    tools::ensure(
        ctx,
        &Needs {
            lint: false,
            wasm: true,
            trunk: true,
            browser: true,
            e2e: true,
        },
    )?;
    for script in ["run.mjs", "load.mjs"] {
        let script = ctx.e2e().join("bench").join(script);
        if !script.exists() {
            return Err(format!("{} is missing", script.display()));
        }
    }
    // Measurements are only meaningful on a release build; one as new as the sources is
    // kept (wasm-opt alone takes most of a minute of the bench's 10).
    build::trunk_build_if_needed(ctx, Profile::Release)?;
    // The load test measures the server too: build it as it would be deployed.
    let server = build::build_server(ctx, Profile::Release)?;
    let interpreter = cpython::Interpreter::find(ctx);
    machine.python = interpreter.version.clone();

    let (cpython, browser, load) = {
        let (_server, base_url) =
            process::start_server(&server, &ctx.dist(), "127.0.0.1", 0, "[server] ")?;
        // CPython first, on an idle machine: right after the server's load test its threads
        // measured several times slower. Its requests go to this server, idle too.
        machine.load_average[0] = machine::load_average();
        let cpython = cpython::run_all(&interpreter, &base_url);
        let browser = bench_script(ctx, "Browser benchmark", "run.mjs", &base_url);
        // After the browser, so the pages were measured on an idle server. The server keeps
        // its default cap of requests in flight (5,000), above the test's 1,000.
        let load = bench_script(ctx, "Server load test", "load.mjs", &base_url);
        machine.load_average[1] = machine::load_average();
        (cpython, browser, load)
        // The server is stopped here.
    };
    let sizes = sizes::measure(&ctx.dist());

    // Row by row: a row the table cannot read is a failed row that says why, not a lost table.
    let mut rows: Vec<Row> = browser["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            serde_json::from_value(row.clone()).unwrap_or_else(|err| {
                Row::failed(
                    row["id"].as_str().unwrap_or("unknown"),
                    row["case"].as_str().unwrap_or("a browser case"),
                    table::Unit::Ms,
                    format!("its figures could not be read: {err}"),
                )
            })
        })
        .collect();
    let size_row = match &sizes {
        Ok(sizes) => sizes.row(),
        Err(err) => Row::failed(
            "first-load-brotli",
            "first load: the heaviest lab's .wasm, .js, .css and page, brotli",
            table::Unit::Bytes,
            err.clone(),
        ),
    };
    let after = rows.iter().position(|r| r.id == "first-load-bytes");
    rows.insert(after.map_or(rows.len(), |i| i + 1), size_row);
    rows.push(load::row(&load));
    attach_cpython(&mut rows, &cpython);
    for row in &mut rows {
        row.bars.extend(cpython_model_goal(row));
    }

    let mut sections: Vec<Section> =
        serde_json::from_value(browser["sections"].clone()).unwrap_or_default();
    sections.extend(sizes.as_ref().ok().map(sizes::Download::section));
    sections.extend(load::section(&load));
    sections.push(cpython_section(&rows, &cpython));
    sections.extend(table::own_sections(&rows));

    let failing: Vec<&str> = rows
        .iter()
        .filter(|r| r.fails())
        .map(|r| r.id.as_str())
        .collect();
    let mut problems = Vec::new();
    if let Some(error) = browser["error"].as_str() {
        problems.push(format!("the browser benchmark failed: {error}"));
    }
    if !failing.is_empty() {
        problems.push(format!(
            "{} failed a bar or could not be measured: {}",
            match failing.len() {
                1 => "1 case".to_string(),
                n => format!("{n} cases"),
            },
            failing.join(", ")
        ));
    }
    machine.chromium = browser["chromium"]
        .as_str()
        .map(str::to_string)
        .or_else(|| capture(Command::new("chromium").arg("--version")));
    machine.seconds = started.elapsed().as_secs_f64();
    let report = Report {
        machine,
        ok: problems.is_empty(),
        problems,
        rows,
        sections,
        browser: browser_details(browser),
        load,
        sizes: sizes
            .ok()
            .and_then(|s| serde_json::to_value(s).ok())
            .unwrap_or_default(),
    };
    println!();
    print!("{}", report.text());
    println!();
    println!(
        "== Markdown (the README's Benchmark section; `cargo xtask bench --readme` writes it)"
    );
    print!("{}", report.markdown());
    let file = report::write(ctx, &report, &stamp)?;
    println!();
    println!(
        "wrote {} and latest.json beside it; the bench took {:.0} s",
        file.display(),
        report.machine.seconds
    );
    if report.ok {
        Ok(())
    } else {
        Err(report.problems.join("; "))
    }
}

/// Puts each CPython figure beside the rows it belongs to; a figure whose row the browser
/// did not give gets a row of its own.
fn attach_cpython(rows: &mut Vec<Row>, cpython: &[Cpython]) {
    for (case, result) in cpython::CASES.iter().zip(cpython) {
        for id in case.rows {
            match rows.iter_mut().find(|r| r.id == *id) {
                Some(row) => row.cpython = Some(result.clone()),
                None => {
                    let mut row = Row::failed(
                        id,
                        id,
                        table::Unit::Ms,
                        "the browser benchmark gave no row for it".to_string(),
                    );
                    row.cpython = Some(result.clone());
                    rows.push(row);
                }
            }
        }
    }
}

/// The goal for the page's model of CPython's costs: within 20% of CPython's figure.
fn cpython_model_goal(row: &Row) -> Option<table::Bar> {
    let Some(Cpython::Measured {
        median,
        model: Some(model),
        ..
    }) = &row.cpython
    else {
        return None;
    };
    let off = (model / median - 1.0).abs();
    Some(table::Bar {
        name: "CPython model off by".to_string(),
        figure: Some(off * 100.0),
        op: "<=".to_string(),
        limit: 20.0,
        unit: table::Unit::Percent,
        pass: off <= 0.20,
        goal: true,
    })
}

/// Which CPython workload sits beside which row.
fn cpython_section(rows: &[Row], cpython: &[Cpython]) -> Section {
    let mut lines = vec![vec!["case".to_string(), "CPython's workload".to_string()]];
    for (case, result) in cpython::CASES.iter().zip(cpython) {
        let cases: Vec<&str> = case
            .rows
            .iter()
            .filter_map(|id| rows.iter().find(|r| r.id == *id))
            .map(|r| r.case.as_str())
            .collect();
        lines.push(vec![cases.join("; "), result.what().to_string()]);
    }
    Section {
        title: "CPython's workloads (one process a run, before the browser)".to_string(),
        rows: lines,
    }
}

/// The browser benchmark's JSON without what the table already holds.
fn browser_details(mut browser: Value) -> Value {
    if let Some(object) = browser.as_object_mut() {
        object.remove("rows");
        object.remove("sections");
    }
    browser
}

/// Runs `e2e/bench/<script>` against `base_url` under a heading; its JSON summary (the last
/// line it prints), or `{"error": ...}` saying why there is none.
fn bench_script(ctx: &Ctx, title: &str, script: &str, base_url: &str) -> Value {
    println!();
    println!("== {title} (e2e/bench/{script}, BASE_URL={base_url})");
    let mut cmd = Command::new("node");
    cmd.current_dir(&ctx.root)
        .arg(Path::new("e2e").join("bench").join(script))
        .env("BASE_URL", base_url)
        .env(crate::article::ENV, crate::article::figures().to_string());
    println!("$ {}", show(&cmd));
    let (outcome, last_line) = run_keeping_summary(&mut cmd);
    if let Err(err) = &outcome {
        eprintln!("{script}: {err}");
    }
    match last_line.and_then(|line| serde_json::from_str::<Value>(&line).ok()) {
        Some(summary) => summary,
        None => serde_json::json!({
            "error": outcome.err().unwrap_or_else(|| format!("{script} printed no summary")),
        }),
    }
}

/// Runs `cmd` with its stdout printed line by line as it comes (stderr attached), but for its
/// JSON summary; returns how the run went and its last non-empty stdout line.
fn run_keeping_summary(cmd: &mut Command) -> (Result<()>, Option<String>) {
    let mut child = match cmd.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(err) => return (Err(format!("could not start `{}`: {err}", show(cmd))), None),
    };
    let mut last = None;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::io::Result::ok)
        {
            if !line.starts_with('{') {
                println!("{line}");
            }
            if !line.trim().is_empty() {
                last = Some(line);
            }
        }
    }
    let outcome = match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("`{}` ended with {status}", show(cmd))),
        Err(err) => Err(format!("`{}` could not be waited for: {err}", show(cmd))),
    };
    (outcome, last)
}
