//! Export then import gives the page what it showed; hostile files are refused with a reason.

use super::*;
use sim::exec::virtual_time::run_virtual;
use sim::summary::summarize;
use sim::workload::{hello, sleepers};

fn info(lab: &'static str, expected_ms: f64) -> ItemInfo {
    ItemInfo {
        lab,
        params: labs::find(lab).unwrap().default_values(),
        expected_ms,
        predicted_ms: Some(1700.0),
    }
}

fn machine() -> MachineInfo {
    MachineInfo {
        browser: "Chromium 156".into(),
        cores: 2,
    }
}

/// A hello run on two executors, exported as the page does it.
fn hello_file() -> (RunFile, Vec<Trace>) {
    let w = hello(2, 1.0, false);
    let traces = vec![
        run_virtual(ExecutorId::Sequential, &w).0,
        run_virtual(ExecutorId::EventLoop, &w).0,
    ];
    let items: Vec<(ItemInfo, &Trace)> =
        traces.iter().map(|t| (info("hello", 1000.0), t)).collect();
    let lab = labs::find("hello").unwrap();
    let file = export("hello", &lab.default_values(), machine(), "0.1.0", &items);
    (file, traces)
}

#[test]
fn export_then_import_shows_the_same_runs_and_summaries() {
    let (file, traces) = hello_file();
    let text = to_json(&file);
    assert!(text.starts_with("{\"schema\":\"async-playground/runs\",\"version\":1,"));
    let imported = load(&text).unwrap();
    assert_eq!(imported.lab.id, "hello");
    assert_eq!(imported.machine, machine());
    assert_eq!(imported.items.len(), 2);
    for ((item, trace), original) in imported.items.iter().zip(&traces) {
        assert_eq!(trace, original);
        assert_eq!(summarize(trace, 1000.0), summarize(original, 1000.0));
        assert_eq!(item.predicted_ms, Some(1700.0));
        assert_eq!(item.params, labs::find("hello").unwrap().default_values());
    }
}

#[test]
fn a_hundred_thousand_sleepers_kept_as_spans_round_trip_even_when_stopped() {
    let (finished, _) = run_virtual(ExecutorId::EventLoop, &sleepers(100_000, 1.0, false));
    assert!(finished.spans.is_some());
    // A stopped run: half the tasks woke, the rest never will (NaN ends in memory).
    let rec = sim::trace::TraceRecorder::new(ExecutorId::EventLoop, 10, vec![], 0.0);
    rec.record_spans(10);
    rec.spans_started(0.0, 6);
    rec.spans_ended(5.0, 0..3);
    let stopped = rec.finish(8.0, RunStatus::Stopped, None);
    for trace in [&finished, &stopped] {
        let items = [(info("sleep", 1000.0), trace)];
        let text = to_json(&export(
            "sleep",
            &labs::find("sleep").unwrap().default_values(),
            machine(),
            "0.1.0",
            &items,
        ));
        let back = load(&text).unwrap();
        let (_, again) = &back.items[0];
        assert_eq!(summarize(again, 1000.0), summarize(trace, 1000.0));
        assert_eq!(again.figures, trace.figures);
        let (a, b) = (again.spans.as_ref().unwrap(), trace.spans.as_ref().unwrap());
        assert_eq!(a.start_ms, b.start_ms);
        assert_eq!(a.ended_by(1e9), b.ended_by(1e9));
    }
}

#[test]
fn a_file_of_the_first_version_keeps_loading() {
    // Written by version 1 of the export; later versions must still read it.
    let text = include_str!("../../tests/fixtures/export-v1.json");
    let imported = load(text).unwrap();
    assert_eq!(imported.lab.id, "hello");
    assert_eq!(imported.items.len(), 2);
    let (_, sequential) = &imported.items[0];
    assert_eq!(sequential.executor, ExecutorId::Sequential);
    assert_eq!(sequential.tasks_done, 2);
    assert_eq!(sequential.output.len(), 4);
}

/// Writes the fixture again from the current export (`cargo test -- --ignored`), only when
/// the format is meant to change.
#[test]
#[ignore]
fn write_the_fixture() {
    let (file, _) = hello_file();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/export-v1.json");
    std::fs::write(path, to_json(&file)).unwrap();
}

/// The hello export's text with `from` replaced by `to` (once).
fn tampered(from: &str, to: &str) -> String {
    let text = to_json(&hello_file().0);
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

fn refused(text: &str) -> String {
    load(text).unwrap_err().to_string()
}

#[test]
fn hostile_files_are_refused_with_a_reason() {
    assert_eq!(
        load(&" ".repeat(MAX_BYTES + 1)).unwrap_err(),
        ImportError::TooLarge(MAX_BYTES + 1)
    );
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(load(&deep).unwrap_err(), ImportError::TooDeep);
    // Brackets inside strings are text, not nesting.
    assert_eq!(nesting_depth(r#"{"a": "[[[[\"[[[["}"#), 1);
    assert!(refused("not json").starts_with("is not an export of Async Playground"));
    assert!(refused("{\"schema\": \"something-else\", \"version\": 1}").contains("\"schema\""));
    assert_eq!(
        load(&tampered("\"version\":1", "\"version\":7")).unwrap_err(),
        ImportError::NewerVersion(7)
    );
    assert_eq!(
        refused(&tampered("\"version\":1", "\"version\":7")),
        "was written in a newer format (version 7; this page reads up to 1)"
    );
    // Text where a number goes.
    let text_for_number = tampered("\"wall_ms\":", "\"wall_ms\":\"2000\",\"x\":");
    assert!(refused(&text_for_number).starts_with("is not an export"));
    // Markup where an id goes: refused, and the message quotes it as text.
    assert_eq!(
        refused(&tampered(
            "\"executor\":\"sequential\"",
            "\"executor\":\"<img src=x onerror=alert(1)>\""
        )),
        "has an executor \"<img src=x onerror=alert(1)>\" (run 1) that this page does not have"
    );
    assert!(refused(&tampered("\"lab\":\"hello\"", "\"lab\":\"<b>\"")).contains("a lab \"<b>\""));
    // A lab whose page shows no runs.
    assert_eq!(
        refused(
            &tampered("{\"schema\"", "{\"lab\":\"generators\",\"schema\"").replacen(
                ",\"lab\":\"hello\"",
                "",
                1
            )
        ),
        "has runs of the generators lab, whose page shows no runs"
    );
    // A parameter out of its range, or one the lab does not have.
    assert!(
        refused(&tampered("[\"tasks\",\"2\"]", "[\"tasks\",\"-5\"]"))
            .starts_with("has tasks = \"-5\"")
    );
    assert!(
        refused(&tampered("[\"tasks\",\"2\"]", "[\"rm\",\"-rf\"]")).contains("parameter \"rm\"")
    );
    // Columns that do not add up, and events outside the run.
    assert!(refused(&tampered("\"task\":[0,", "\"task\":[")).contains("different lengths"));
    assert!(refused(&tampered("\"task\":[0,", "\"task\":[99,")).contains("outside the run"));
    assert!(refused(&tampered(
        "\"status\":\"finished\"",
        "\"status\":\"running\""
    ))
    .contains("status"));
    assert!(refused(&tampered("\"items\":[", "\"items\":[],\"x\":[")).contains("no runs"));
    // A lab's file holds that lab's runs, with its parameters.
    assert_eq!(
        refused(&tampered(
            "{\"lab\":\"hello\",\"params\":[[\"tasks\",\"2\"]",
            "{\"lab\":\"hello\",\"params\":[[\"tasks\",\"3\"]"
        )),
        "has a run of another lab or other parameters (run 1) in a file of the hello lab"
    );
}

#[test]
fn the_csv_has_a_row_per_task_step_and_states_its_cap() {
    let (file, traces) = hello_file();
    let items: Vec<(ItemInfo, &Trace)> =
        traces.iter().map(|t| (info("hello", 1000.0), t)).collect();
    let text = csv(&items);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "run,lab,executor,task,step,kind,start_ms,end_ms");
    // Two tasks, each with one step that takes time (its sleep; its prints are in the
    // output), on two executors.
    assert_eq!(lines.len(), 1 + 2 * 2, "{text}");
    assert!(
        lines.contains(&"1,hello,sequential,0,1,sleep,0.000,1000.000"),
        "{text}"
    );
    assert!(
        lines.contains(&"1,hello,sequential,1,1,sleep,1000.000,2000.000"),
        "{text}"
    );
    assert!(
        lines.contains(&"2,hello,event-loop,1,1,sleep,0.000,1000.000"),
        "{text}"
    );
    drop(file);
    let (many, _) = run_virtual(ExecutorId::EventLoop, &sleepers(150_000, 1.0, false));
    let big = csv(&[(info("sleep", 1000.0), &many)]);
    assert_eq!(big.lines().count(), 1 + CSV_MAX_ROWS + 1);
    assert!(big.ends_with("\"Only the first 100000 of 150000 task steps are in this file.\"\n"));
}

/// The bytes the page and its file worker hand each other: what one end packs, the other
/// unpacks whole; bytes it did not write are refused, never a panic.
#[test]
fn runs_packed_for_the_file_worker_come_back_whole_and_garbled_bytes_are_refused() {
    let (file, traces) = hello_file();
    let imported = import(file).unwrap();
    let items = imported.item_refs();
    let bytes = pack::pack(
        imported.lab,
        &imported.params,
        &imported.machine,
        &imported.app_version,
        &items,
    );
    let back = pack::unpack(&bytes).unwrap();
    assert_eq!(back, imported);
    for ((_, trace), original) in back.items.iter().zip(&traces) {
        assert_eq!(trace, original);
    }
    // Cut anywhere it is refused; with any byte changed, it is read or refused, never a panic,
    // and what is read has columns that add up.
    for cut in 0..bytes.len() {
        assert_eq!(pack::unpack(&bytes[..cut]), None, "cut at {cut}");
    }
    for at in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut changed = bytes.clone();
            changed[at] ^= flip;
            if let Some(runs) = pack::unpack(&changed) {
                for (_, t) in &runs.items {
                    assert_eq!(t.events.kind.len(), t.events.t_ms.len(), "byte {at}");
                    assert!(t.task_count as usize <= MAX_ITEMS, "byte {at}");
                }
            }
        }
    }
    // A stopped run kept as spans: the ends it never reached (NaN) cross as they are.
    let rec = sim::trace::TraceRecorder::new(ExecutorId::EventLoop, 10, vec![], 0.0);
    rec.record_spans(10);
    rec.spans_started(0.0, 6);
    rec.spans_ended(5.0, 0..3);
    let stopped = rec.finish(8.0, RunStatus::Stopped, None);
    let sleep = labs::find("sleep").unwrap();
    let bytes = pack::pack(
        sleep,
        &sleep.default_values(),
        &machine(),
        "0.1.0",
        &[(info("sleep", 1000.0), &stopped)],
    );
    let back = pack::unpack(&bytes).unwrap();
    let again = &back.items[0].1;
    assert_eq!(again.status, RunStatus::Stopped);
    assert_eq!(again.figures, stopped.figures);
    let spans = again.spans.as_ref().unwrap();
    assert_eq!(spans.ended_by(1e9), 3);
    assert_eq!(spans.started_by(1e9), 6);
}

/// The compare table's file: its page has no executors of its own, each row a lab of its own.
#[test]
fn the_compare_tables_runs_pack_with_each_rows_lab() {
    let w = hello(2, 0.5, false);
    let (trace, _) = run_virtual(ExecutorId::Threads, &w);
    let compare = labs::find("compare").unwrap();
    let bytes = pack::pack(
        compare,
        &compare.default_values(),
        &machine(),
        "0.1.0",
        &[(info("sleep", 1000.0), &trace)],
    );
    let back = pack::unpack(&bytes).unwrap();
    assert_eq!(back.lab.id, "compare");
    assert_eq!(back.params, compare.default_values());
    assert_eq!(back.items[0].0.lab, "sleep");
    assert_eq!(back.items[0].1.executor, ExecutorId::Threads);
}

#[test]
fn browsers_are_named_by_their_user_agent() {
    for (agent, name) in [
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133"),
        ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge 131"),
        ("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari 17"),
        ("", "an unnamed browser"),
        ("curl/8", "\u{201c}curl/8\u{201d}"),
    ] {
        assert_eq!(browser_name(agent), name);
    }
}
