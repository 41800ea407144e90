//! The browser edge in headless Chromium: the clock, the page's timers, the executors on the
//! real event loop, the run driver's Stop, and fetch's answers and failures.
#![cfg(target_arch = "wasm32")]

use async_playground::clock::{self, now_ms};
use async_playground::run::{drive, RunControl};
use async_playground::runtime::ThreadRuntime;
use async_playground::workers;
use futures::channel::mpsc;
use page::run_state::RunEvent;
use sim::exec::{run_on_page, Runtime};
use sim::executors::ExecutorId;
use sim::trace::{RunStatus, TraceRecorder};
use sim::workload::{hello, sleepers};
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn lines(trace: &sim::trace::Trace) -> Vec<String> {
    (0..trace.output.len())
        .map(|i| trace.output.line(i).to_string())
        .collect()
}

/// The page's runtime with the timer wheel (`timer=wheel`).
const RT: ThreadRuntime = ThreadRuntime {
    per_task_timers: false,
};

#[wasm_bindgen_test]
fn the_clock_moves_forward() {
    let a = now_ms();
    RT.block_for(5.0);
    let b = now_ms();
    assert!(b - a >= 5.0, "blocked for {} ms", b - a);
}

#[wasm_bindgen_test]
async fn a_sleep_waits_at_least_its_length() {
    let start = now_ms();
    RT.sleep(50.0).await;
    let waited = now_ms() - start;
    assert!(waited >= 49.0, "waited {waited} ms");
}

#[wasm_bindgen_test]
async fn many_sleeps_share_one_timer_and_leave_none_behind() {
    let start = now_ms();
    let sleeps = (0..5000).map(|_| RT.sleep(100.0));
    futures::future::join_all(sleeps).await;
    let waited = now_ms() - start;
    assert!(
        (99.0..1000.0).contains(&waited),
        "5000 sleeps of 100 ms took {waited} ms"
    );
    assert_eq!(clock::pending_sleeps(), 0);
    assert!(!clock::timer_armed());
}

#[wasm_bindgen_test]
async fn sleeps_of_different_lengths_wake_in_deadline_order_and_never_early() {
    let order = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let start = now_ms();
    let sleeps = [90.0, 10.0, 50.0, 30.0, 70.0].map(|ms| {
        let order = order.clone();
        async move {
            RT.sleep(ms).await;
            let woke = now_ms() - start;
            assert!(woke >= ms, "a sleep of {ms} ms woke after {woke} ms");
            order.borrow_mut().push(ms);
        }
    });
    futures::future::join_all(sleeps).await;
    assert_eq!(*order.borrow(), [10.0, 30.0, 50.0, 70.0, 90.0]);
}

#[wasm_bindgen_test]
async fn a_hundred_thousand_sleepers_on_the_wheel_wake_on_time_as_spans() {
    let workload = sim::workload::sleepers(100_000, 0.2, false);
    let rec = TraceRecorder::new(
        ExecutorId::EventLoop,
        100_000,
        workload.step_kinds(),
        now_ms(),
    );
    run_on_page(ExecutorId::EventLoop, &RT, &workload, &rec, None)
        .expect("runs on the page")
        .await
        .expect("nothing fails");
    let trace = rec.finish(now_ms(), RunStatus::Finished, None);
    assert_eq!(trace.tasks_done, 100_000);
    let spans = trace.spans.as_ref().expect("kept as spans");
    for i in (0..spans.len()).step_by(997) {
        let (start, end) = spans.span(i);
        let end = end.expect("ended");
        assert!(end - start >= 199.9, "task {i} slept {} ms", end - start);
    }
    assert_eq!(clock::pending_sleeps(), 0);
    assert!(!clock::timer_armed());
}

#[wasm_bindgen_test]
async fn with_a_browser_timer_per_sleep_the_tasks_still_overlap() {
    let workload = sim::workload::sleepers(2000, 0.1, false);
    let rec = TraceRecorder::new(ExecutorId::EventLoop, 2000, workload.step_kinds(), now_ms());
    let rt = ThreadRuntime {
        per_task_timers: true,
    };
    run_on_page(ExecutorId::EventLoop, &rt, &workload, &rec, None)
        .expect("runs on the page")
        .await
        .expect("nothing fails");
    let trace = rec.finish(now_ms(), RunStatus::Finished, None);
    assert_eq!(trace.tasks_done, 2000);
    assert!(
        trace.spans.is_none(),
        "each task is a future with its own timer"
    );
    assert!(trace.wall_ms >= 99.0, "{} ms", trace.wall_ms);
    // Nothing went through the deadline queue.
    assert_eq!(clock::pending_sleeps(), 0);
    assert!(!clock::timer_armed());
}

#[wasm_bindgen_test]
async fn stop_cancels_every_pending_deadline_and_the_browser_timer() {
    use futures::future::{AbortHandle, Abortable};
    for workload in [
        sim::workload::sleepers(50_000, 5.0, false),
        hello(1000, 5.0, false),
    ] {
        let rec = TraceRecorder::new(
            ExecutorId::EventLoop,
            workload.task_count,
            workload.step_kinds(),
            now_ms(),
        );
        let (handle, registration) = AbortHandle::new_pair();
        let run = run_on_page(ExecutorId::EventLoop, &RT, &workload, &rec, None)
            .expect("runs on the page");
        let stop = async {
            RT.sleep(100.0).await;
            assert!(clock::pending_sleeps() > 0, "the sleepers wait");
            assert!(clock::timer_armed());
            handle.abort();
        };
        let (outcome, ()) = futures::join!(Abortable::new(run, registration), stop);
        assert!(outcome.is_err(), "stopped");
        assert_eq!(rec.tasks_done(), 0);
        assert_eq!(clock::pending_sleeps(), 0);
        assert!(!clock::timer_armed());
    }
}

#[wasm_bindgen_test]
async fn gather_on_the_page_overlaps_the_sleeps() {
    let workload = hello(2, 0.2, false);
    let rec = TraceRecorder::new(ExecutorId::EventLoop, 2, workload.step_kinds(), now_ms());
    run_on_page(ExecutorId::EventLoop, &RT, &workload, &rec, None)
        .expect("runs on the page")
        .await
        .expect("nothing fails");
    let trace = rec.finish(now_ms(), RunStatus::Finished, None);
    // Both hellos before either goodbye: the sleeps overlapped. The wall time only has to show
    // a real sleep; how close it comes to 200 ms is the bench's business (a shared machine
    // may wake a timer late).
    assert_eq!(lines(&trace), ["hello", "hello", "goodbye", "goodbye"]);
    assert!(
        (199.0..2000.0).contains(&trace.wall_ms),
        "{} ms",
        trace.wall_ms
    );
}

#[wasm_bindgen_test]
async fn a_blocking_sleep_holds_the_page() {
    let workload = hello(2, 0.1, true);
    let rec = TraceRecorder::new(ExecutorId::EventLoop, 2, workload.step_kinds(), now_ms());
    run_on_page(ExecutorId::EventLoop, &RT, &workload, &rec, None)
        .expect("runs on the page")
        .await
        .expect("nothing fails");
    let trace = rec.finish(now_ms(), RunStatus::Finished, None);
    assert_eq!(lines(&trace), ["hello", "goodbye", "hello", "goodbye"]);
    assert!(trace.wall_ms >= 199.0, "{} ms", trace.wall_ms);
}

#[wasm_bindgen_test]
async fn threads_under_one_gil_take_turns_in_slices_and_yield_to_timers() {
    use sim::exec::{run_threads, Gil, ThreadSettings};
    use sim::summary::gil_handoffs;
    // Two CPU jobs of about 150 ms each and a thread that sleeps 20 ms: the sleeper wakes while
    // the GIL is busy, waits for a slice end, and finishes long before the jobs.
    let cal = clock::calibrate();
    let n = cal.n_for_ms(150.0);
    let mut workload = sim::workload::prime_jobs(2, 0.0, n, 150.0);
    workload.task_count = 2;
    let rec = TraceRecorder::new(ExecutorId::Threads, 2, workload.step_kinds(), now_ms());
    let gil = Gil::new();
    let settings = ThreadSettings {
        switch_ms: 5.0,
        one_thread: false,
    };
    let start = now_ms();
    let sleeper = async {
        RT.sleep(20.0).await;
        now_ms() - start
    };
    let (_, woke_after) = futures::join!(
        run_threads(&RT, &workload, &rec, (&[0, 1], 1), settings, &gil),
        sleeper
    );
    let trace = rec.finish(now_ms(), RunStatus::Finished, None);
    assert_eq!(trace.tasks_done, 2);
    // A timer fires between slices: the page's event loop was never held for a whole job,
    // half the run (a ratio, so a busy machine that slows everything keeps the margin).
    assert!(
        woke_after < trace.wall_ms / 2.0,
        "the 20 ms sleep woke after {woke_after} ms of a {} ms run",
        trace.wall_ms
    );
    assert!(gil_handoffs(&trace) >= 4, "{}", gil_handoffs(&trace));
    assert_eq!(gil.holder(), None);
}

#[wasm_bindgen_test]
async fn the_driver_runs_each_item_of_its_plan_in_turn() {
    let (tx, mut rx) = mpsc::unbounded();
    let report = yew::Callback::from(move |e: RunEvent| {
        let _ = tx.unbounded_send(e);
    });
    let machine = sim::model::Machine::default();
    // Each item has its own workload, as the compare table's rows do.
    drive(
        1,
        vec![
            (hello(2, 0.05, false), ExecutorId::Sequential, machine),
            (sleepers(3, 0.05, false), ExecutorId::EventLoop, machine),
        ],
        Rc::new(RunControl::default()),
        report,
    )
    .await;
    let mut ended = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let RunEvent::ExecutorEnded { trace, .. } = event {
            ended.push((trace.executor, trace.status, trace.wall_ms));
            assert_eq!(trace.task_count, ended.len() as u32 + 1);
        }
    }
    assert_eq!(ended.len(), 2);
    assert_eq!(ended[0].0, ExecutorId::Sequential);
    assert_eq!(ended[1].0, ExecutorId::EventLoop);
    assert!(ended.iter().all(|(_, s, _)| *s == RunStatus::Finished));
    // Each really slept: sequential its two sleeps in turn, gather at least one. Their ratio
    // depends on how late a busy machine wakes timers, so the bench measures it, not this test.
    assert!(ended[0].2 >= 99.0, "sequential {}", ended[0].2);
    assert!(ended[1].2 >= 49.0, "gather {}", ended[1].2);
}

#[wasm_bindgen_test]
async fn stop_ends_the_run_and_cancels_every_timer() {
    let (tx, mut rx) = mpsc::unbounded();
    let report = yew::Callback::from(move |e: RunEvent| {
        let _ = tx.unbounded_send(e);
    });
    let control = Rc::new(RunControl::default());
    let stopper = control.clone();
    wasm_bindgen_futures::spawn_local(async move {
        RT.sleep(150.0).await;
        stopper.stop();
    });
    let machine = sim::model::Machine::default();
    let workload = sleepers(1000, 30.0, false);
    drive(
        1,
        vec![
            (workload.clone(), ExecutorId::EventLoop, machine),
            (workload, ExecutorId::Sequential, machine),
        ],
        control,
        report,
    )
    .await;
    // drive has returned: everything it reported is in the channel.
    let mut ended = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let RunEvent::ExecutorEnded { trace, .. } = event {
            ended.push(trace);
        }
    }
    assert_eq!(ended.len(), 1, "the second executor never starts");
    assert_eq!(ended[0].status, RunStatus::Stopped);
    assert_eq!(ended[0].tasks_done, 0);
    assert!(ended[0].wall_ms < 5000.0);
    assert_eq!(clock::pending_sleeps(), 0);
    assert!(!clock::timer_armed());
}

#[wasm_bindgen_test]
async fn a_fetch_reads_the_latency_endpoints_own_timing() {
    // A data: URL stands in for api/delay's JSON answer.
    let answer = RT
        .fetch("data:application/json,{\"ms\":5,\"waited_ms\":5.25}", 5.0)
        .await
        .expect("a data: URL answers");
    assert_eq!(answer.held_ms, Some(5.25));
}

#[wasm_bindgen_test]
async fn a_missing_page_and_a_refused_url_fail_in_plain_words() {
    let missing = RT
        .fetch("no-such-file-here.json", 0.0)
        .await
        .expect_err("404");
    assert!(missing.starts_with("the server answered 404"), "{missing}");
    let refused = RT
        .fetch("http://127.0.0.1:1/", 0.0)
        .await
        .expect_err("refused");
    assert!(refused.contains("could not fetch"), "{refused}");
}

/// Every message between the page and a pool worker, posted as its bytes in a `Uint8Array`,
/// reads back as itself: the steps of every kind, and numbers of every size.
#[wasm_bindgen_test]
fn the_page_writes_worker_messages_as_the_worker_reads_them() {
    use sim::worker_protocol::ToWorker;
    use sim::workload::Step;
    let steps = vec![
        Step::Print("hello".into()),
        Step::Sleep { ms: 1000.0 },
        Step::BlockingSleep { ms: 2.5 },
        Step::Cpu {
            n: 16_769_823,
            estimate_ms: 12.25,
        },
        Step::Fetch {
            requests: 10,
            url: "api/delay?ms=200".into(),
            delay_ms: 200.0,
            timeout_ms: 30_000.0,
        },
        Step::Enter {
            name: "_have_free_time".into(),
            offload: true,
        },
        Step::Exit,
    ];
    let messages = [
        ToWorker::RunTasks {
            tasks: vec![0, 7],
            steps: steps.clone(),
            client: sim::executors::Client::Async,
        },
        ToWorker::RunChunk {
            tasks: vec![3, 4, 5],
            steps: steps.clone(),
            client: sim::executors::Client::Blocking,
        },
        ToWorker::RunThreads {
            tasks: vec![0, 2, 4],
            steps: steps.clone(),
            settings: sim::exec::ThreadSettings {
                switch_ms: 5.0,
                one_thread: true,
            },
            lane: 2,
        },
        ToWorker::RunCall {
            call: 7,
            task: 3,
            first_step: 4,
            steps,
            threads: 6,
            switch_ms: 2.5,
        },
    ];
    let huge = ToWorker::RunTasks {
        tasks: vec![0],
        steps: vec![Step::Cpu {
            n: u64::MAX,
            estimate_ms: 1.0,
        }],
        client: sim::executors::Client::Async,
    };
    for message in messages.into_iter().chain([huge]) {
        let value = workers::message_value(&message).unwrap();
        assert!(wasm_bindgen::JsCast::is_instance_of::<js_sys::Uint8Array>(
            &value
        ));
        assert_eq!(workers::read_message::<ToWorker>(&value), Ok(message));
    }
}

#[wasm_bindgen_test]
fn the_page_reads_what_a_worker_writes() {
    use serde::Serialize;
    use sim::worker_protocol::FromWorker;
    let rec = TraceRecorder::new(ExecutorId::Pool, 1, vec![], 0.0);
    rec.task_started(1.5, 0, 0);
    rec.printed(2.0, 0, "hello");
    rec.printed(3.0, 0, "hello");
    rec.request_sent(3.5, 0, 1, 0);
    rec.request_failed(4.0, 0, 1, 0);
    rec.request_answered(4.1, 0, 1, 0);
    rec.gil_requested(4.1, 0, 1);
    rec.gil_acquired(4.15, 0, 1);
    rec.call_entered(4.16, 0, 2, 1);
    rec.call_exited(4.17, 0, 3, 1);
    rec.gil_released(4.2, 0, 1);
    rec.task_ended(4.25, 0, 0);
    let trace = rec.finish(5.0, RunStatus::Finished, None);
    let messages = [
        FromWorker::Ready {
            at_epoch_ms: 1.5e12,
        },
        FromWorker::TaskDone {
            task: 3,
            events: trace.events.clone(),
            output: trace.output.clone(),
        },
        FromWorker::ChunkDone {
            tasks: vec![3, 4],
            events: trace.events.clone(),
            output: trace.output.clone(),
        },
        FromWorker::Refused {
            message: "no".into(),
        },
        FromWorker::Recorded {
            events: trace.events.clone(),
            output: trace.output.clone(),
        },
        FromWorker::CallDone {
            call: 9,
            events: trace.events.clone(),
            output: trace.output.clone(),
        },
    ];
    for message in messages {
        let value = message
            .serialize(&serde_wasm_bindgen::Serializer::new())
            .unwrap();
        assert_eq!(
            serde_wasm_bindgen::from_value::<FromWorker>(value).ok(),
            Some(message)
        );
    }
    let junk = serde_wasm_bindgen::to_value(&vec![1, 2]).unwrap();
    assert!(serde_wasm_bindgen::from_value::<FromWorker>(junk).is_err());
}

/// The files worker's requests and replies: their bytes, and the browser object each is about
/// handed through as it is.
#[wasm_bindgen_test]
fn the_files_worker_reads_the_page_s_requests() {
    use async_playground::files::{files_message, read_files_message};
    use page::effect::{FileFormat, FilesReply, FilesRequest};
    let runs = js_sys::Uint8Array::from(&[1u8, 2, 3][..]);
    let message = files_message(&FilesRequest::Export(FileFormat::Csv), &runs).unwrap();
    let (request, beside) = read_files_message::<FilesRequest>(&message).unwrap();
    assert_eq!(request, FilesRequest::Export(FileFormat::Csv));
    assert_eq!(js_sys::Uint8Array::new(&beside).to_vec(), vec![1, 2, 3]);
    let path = wasm_bindgen::JsValue::from_str("runs/hello.json");
    let message = files_message(&FilesRequest::Import, &path).unwrap();
    let (request, beside) = read_files_message::<FilesRequest>(&message).unwrap();
    assert_eq!(request, FilesRequest::Import);
    assert_eq!(beside.as_string().as_deref(), Some("runs/hello.json"));
    for reply in [
        FilesReply::Ready,
        FilesReply::Done,
        FilesReply::Refused("is not on this site".into()),
    ] {
        let message = files_message(&reply, &wasm_bindgen::JsValue::NULL).unwrap();
        assert_eq!(
            read_files_message::<FilesReply>(&message).map(|(r, _)| r),
            Ok(reply)
        );
    }
    // Not a message of this shape: refused in words.
    let junk = serde_wasm_bindgen::to_value(&vec![1, 2]).unwrap();
    assert!(read_files_message::<FilesRequest>(&junk).is_err());
    assert!(read_files_message::<FilesRequest>(&"export".into()).is_err());
}
