//! `event-loop`: every task a future on the page's one thread, as `asyncio.gather` does.

use super::{run_task, Runtime, Slots};
use crate::executors::Client;
use crate::trace::TraceRecorder;
use crate::workload::Workload;
use futures::stream::{FuturesUnordered, StreamExt};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// How long starting tasks may hold the thread before it yields once, ms: a million tasks
/// start in slices, so the page keeps painting while they do. (asyncio starts them all before
/// its loop turns; nothing has to paint there.)
pub const START_SLICE_MS: f64 = 8.0;

/// How many tasks start between two readings of the clock.
const START_BATCH: u32 = 256;

/// Starts every task, in slices that let the page paint, and waits for all of them (lane 0:
/// one thread). Each task takes its first step as it starts, in task order.
pub async fn run_event_loop<R: Runtime>(rt: &R, workload: &Workload, recorder: &TraceRecorder) {
    if let Some(ms) = workload.only_sleep_ms().filter(|_| !rt.per_task_timers()) {
        return run_sleepers(rt, ms, workload.task_count, recorder).await;
    }
    // One aiohttp session for the run: its connector's limit holds for every task.
    let session = Slots::new(crate::model::AIOHTTP_LIMIT);
    // gather makes every task at once; each waits for the loop until its first step runs.
    let start = |task: u32| {
        let made = rt.now_ms();
        let session = &session;
        async move {
            recorder.woken(made, rt.now_ms(), task, 0, 0);
            run_task(
                rt,
                workload,
                recorder,
                (task, 0),
                Client::Async,
                Some(session),
            )
            .await
        }
    };
    let total = workload.task_count;
    let mut running = FuturesUnordered::new();
    let mut next = 0u32;
    let mut pause: Option<Pin<Box<R::Yield>>> = None;
    futures::future::poll_fn(|cx| {
        loop {
            if let Some(yielding) = pause.as_mut() {
                if yielding.as_mut().poll(cx).is_pending() {
                    break;
                }
                pause = None;
            }
            if next == total {
                break;
            }
            let slice_start = rt.now_ms();
            while next < total {
                let end = next.saturating_add(START_BATCH).min(total);
                running.extend((next..end).map(start));
                next = end;
                // The new tasks take their first steps now.
                while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {}
                if rt.now_ms() - slice_start >= START_SLICE_MS {
                    break;
                }
            }
            if next < total {
                pause = Some(Box::pin(rt.yield_now()));
            }
        }
        while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {}
        if next == total && running.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
}

/// Tasks started in one batch (one reading of the clock): `first..end`, all due at `due_ms`.
struct Batch {
    due_ms: f64,
    first: u32,
    end: u32,
}

/// `gather` of `total` tasks that only sleep `ms`, kept as spans: a task is two numbers of the
/// trace, not a future. Tasks start in batches that share one reading of the clock, in slices
/// that yield to the page as [`run_event_loop`]'s do; batches due in the same millisecond
/// share one entry of the runtime's timer wheel, and all their tasks wake when it fires. The
/// run's one pending sleep is the earliest batch's: dropping the run (Stop) cancels it.
async fn run_sleepers<R: Runtime>(rt: &R, ms: f64, total: u32, recorder: &TraceRecorder) {
    recorder.record_spans(total as usize);
    let mut waiting: std::collections::VecDeque<Batch> = Default::default();
    let mut next = 0u32;
    let mut pause: Option<Pin<Box<R::Yield>>> = None;
    let mut timer: Option<(f64, Pin<Box<R::Sleep>>)> = None;
    futures::future::poll_fn(|cx| loop {
        if let Some(yielding) = pause.as_mut() {
            if yielding.as_mut().poll(cx).is_ready() {
                pause = None;
            }
        }
        if pause.is_none() && next < total {
            let slice_start = rt.now_ms();
            let mut now = slice_start;
            while next < total {
                let end = next.saturating_add(START_BATCH * 16).min(total);
                recorder.spans_started(now, end - next);
                // Sleeps due in the same millisecond share a bucket of the wheel.
                let due_ms = (now + ms).ceil();
                match waiting.back_mut() {
                    Some(last) if last.due_ms == due_ms => last.end = end,
                    _ => waiting.push_back(Batch {
                        due_ms,
                        first: next,
                        end,
                    }),
                }
                next = end;
                now = rt.now_ms();
                if now - slice_start >= START_SLICE_MS {
                    break;
                }
            }
            if next < total {
                pause = Some(Box::pin(rt.yield_now()));
                // Poll it once, so it registers to wake this task.
                continue;
            }
        }
        // Wake every batch that is due: never before its deadline.
        let now = rt.now_ms();
        while let Some(batch) = waiting.front().filter(|b| b.due_ms <= now) {
            recorder.spans_ended(now, batch.first..batch.end);
            waiting.pop_front();
        }
        if next == total && waiting.is_empty() {
            return Poll::Ready(());
        }
        // One pending sleep: the earliest batch's.
        match (waiting.front(), timer.as_mut()) {
            (Some(batch), Some((due, _))) if *due == batch.due_ms => {}
            (Some(batch), _) => {
                timer = Some((batch.due_ms, Box::pin(rt.sleep(batch.due_ms - now))));
            }
            (None, _) => timer = None,
        }
        let timer_fired = match timer.as_mut() {
            Some((_, sleep)) => sleep.as_mut().poll(cx).is_ready(),
            None => false,
        };
        if timer_fired {
            timer = None;
            continue;
        }
        if pause.is_some() || next == total {
            return Poll::Pending;
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use crate::exec::virtual_time::{printed, run_virtual};
    use crate::executors::ExecutorId;
    use crate::workload::{hello, prime_jobs, sleepers};

    #[test]
    fn gather_prints_both_hellos_before_the_goodbyes() {
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, false));
        assert_eq!(printed(&trace), ["hello", "hello", "goodbye", "goodbye"]);
        assert_eq!(now, 1000.0);
    }

    #[test]
    fn tasks_start_in_slices_that_yield_only_once_the_thread_was_held_long_enough() {
        use crate::exec::virtual_time::VirtualClock;
        use crate::trace::TraceRecorder;
        let run = |workload: &crate::workload::Workload| {
            let clock = VirtualClock::default();
            let recorder = TraceRecorder::new(
                ExecutorId::EventLoop,
                workload.task_count,
                workload.step_kinds(),
                0.0,
            );
            let mut run = Box::pin(super::run_event_loop(&clock, workload, &recorder));
            crate::exec::virtual_time::drive(&clock, run.as_mut());
            (clock.yields.get(), recorder.tasks_done())
        };
        // 1,000 sleeps start at once: no time passes, so one slice starts them all.
        assert_eq!(run(&sleepers(1000, 1.0, false)), (0, 1000));
        // 1,000 blocking sleeps of 10 ms hold the thread 2.56 s a batch of 256: the page gets
        // the thread back after each batch, three times before the last one starts.
        assert_eq!(run(&sleepers(1000, 0.01, true)), (3, 1000));
    }

    #[test]
    fn a_blocking_sleep_makes_gather_sequential() {
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &hello(2, 1.0, true));
        assert_eq!(printed(&trace), ["hello", "goodbye", "hello", "goodbye"]);
        assert_eq!(now, 2000.0);
    }

    #[test]
    fn cpu_jobs_run_one_after_another_after_the_shared_sleep() {
        // The article: five jobs of 1 s sleep + 1 s CPU take 6 s on the event loop.
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &prime_jobs(5, 1.0, 101, 1000.0));
        assert_eq!(now, 6000.0);
        assert_eq!(crate::summary::cpu_ms(&trace), 5000.0);
        assert_eq!(trace.tasks_done, 5);
    }

    #[test]
    fn requests_queue_for_the_six_connections_then_go_out_in_rounds() {
        let w = crate::workload::http(20, "api/delay?ms=150".into(), 150.0, 30_000.0);
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &w);
        assert_eq!(now, 600.0);
        assert_eq!(trace.tasks_done, 20);
        let layout = crate::timeline::layout(&trace, 0.0);
        use crate::timeline::SegmentKind::{InFlight, Queued};
        // The first six go out at once; the last two queue for three latencies.
        let queued = |row: usize| -> f64 {
            layout.rows[row]
                .segments
                .iter()
                .filter(|s| s.kind == Queued)
                .map(|s| s.end_ms - s.start_ms)
                .sum()
        };
        assert_eq!(queued(0), 0.0);
        assert_eq!(crate::summary::longest_queue_ms(&trace), 450.0);
        assert_eq!(queued(19), 450.0);
        assert!(layout.rows[19]
            .segments
            .iter()
            .any(|s| s.kind == InFlight && s.start_ms == 450.0));
    }

    #[test]
    fn with_no_browser_limit_one_sessions_100_connections_make_two_rounds_of_200() {
        // The article's 200 requests where nothing but aiohttp's connector limits them.
        let mut w = crate::workload::http(200, "api/delay?ms=200".into(), 200.0, 30_000.0);
        w.per_host_limit = None;
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &w);
        assert_eq!(trace.tasks_done, 200);
        assert_eq!(now, 400.0);
        let machine = crate::model::Machine::default();
        assert_eq!(
            crate::executors::expected_ms(ExecutorId::EventLoop, &w, &machine),
            now
        );
    }

    #[test]
    fn a_failed_request_is_printed_and_the_other_tasks_go_on() {
        let mut w = crate::workload::http(3, "api/delay?ms=10".into(), 10.0, 30_000.0);
        w.per_host_limit = None;
        let mut failing = w.clone();
        failing.steps[0] = crate::workload::Step::Fetch {
            requests: 1,
            url: crate::exec::virtual_time::REFUSED_URL.into(),
            delay_ms: 10.0,
            timeout_ms: 30_000.0,
        };
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &failing);
        assert_eq!(trace.tasks_done, 3);
        assert_eq!(
            printed(&trace),
            ["request failed: the connection was refused"; 3]
        );
        let layout = crate::timeline::layout(&trace, 0.0);
        assert!(layout.rows[0]
            .segments
            .iter()
            .any(|s| s.kind == crate::timeline::SegmentKind::Failed));
        assert_eq!(crate::summary::failed_requests(&trace), 3);
        let (ok, _) = run_virtual(ExecutorId::EventLoop, &w);
        assert_eq!(crate::summary::failed_requests(&ok), 0);
    }

    #[test]
    fn an_answer_that_arrives_while_the_thread_computes_waits_for_the_thread() {
        // Two mixed tasks: task 1's answers arrive at 1200 ms, while task 2 computes until 2000.
        let w = crate::workload::mixed(2, 101, 1000.0, 2, ("api/delay?ms=200".into(), 200.0));
        let (trace, _) = run_virtual(ExecutorId::EventLoop, &w);
        // Nothing waited for a connection: two requests each, six connections.
        assert_eq!(crate::summary::longest_queue_ms(&trace), 0.0);
        let layout = crate::timeline::layout(&trace, 0.0);
        use crate::timeline::SegmentKind::{InFlight, Ready};
        let spans = |kind| -> Vec<(f64, f64)> {
            layout.rows[0]
                .segments
                .iter()
                .filter(|s| s.kind == kind)
                .map(|s| (s.start_ms, s.end_ms))
                .collect()
        };
        assert_eq!(spans(InFlight), [(1000.0, 1200.0)]);
        assert_eq!(spans(Ready), [(1200.0, 2000.0)]);
    }

    #[test]
    fn a_request_with_no_answer_times_out() {
        let w = crate::workload::http(1, "api/delay?ms=5000".into(), 5000.0, 1500.0);
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &w);
        assert_eq!(now, 1500.0);
        assert_eq!(
            printed(&trace),
            ["request failed: no answer within 1.5 s (the timeout)"]
        );
    }

    #[test]
    fn ten_million_sleepers_are_kept_as_spans_and_wake_once_when_due() {
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &sleepers(10_000_000, 1.0, false));
        assert_eq!(trace.tasks_done, 10_000_000);
        assert_eq!(now, 1000.0);
        assert!(trace.events.is_empty(), "no event per task");
        let spans = trace.spans.as_ref().expect("spans");
        assert_eq!(spans.len(), 10_000_000);
        assert_eq!(spans.span(9_999_999), (0.0, Some(1000.0)));
        let layout = crate::timeline::layout(&trace, 1.0);
        assert_eq!(layout.rows.len(), 24);
        assert_eq!(
            layout.rows[0].segments[0],
            crate::timeline::Segment {
                start_ms: 0.0,
                end_ms: 1000.0,
                kind: crate::timeline::SegmentKind::Task
            }
        );
    }

    #[test]
    fn sleepers_never_wake_early_and_a_dropped_run_leaves_no_deadline() {
        use crate::exec::virtual_time::VirtualClock;
        use crate::exec::Runtime;
        use crate::timers::TimerHost;
        use crate::trace::TraceRecorder;
        use std::future::Future;
        use std::task::{Context, Poll};
        let workload = sleepers(5000, 0.25, false);
        let clock = VirtualClock::default();
        let recorder = TraceRecorder::new(ExecutorId::EventLoop, 5000, workload.step_kinds(), 0.0);
        clock.block_for(0.4);
        let mut run = Box::pin(super::run_event_loop(&clock, &workload, &recorder));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        assert!(run.as_mut().poll(&mut cx).is_pending());
        // Started at 0.4 ms, due at 250.4: one deadline for all, in the 251 ms bucket.
        assert_eq!(clock.with_queue(|q| q.len()), 1);
        assert_eq!(clock.with_queue(|q| q.next_deadline()), Some(251.0));
        clock.block_for(250.0);
        assert!(run.as_mut().poll(&mut cx).is_pending(), "not yet due");
        assert_eq!(recorder.tasks_done(), 0);
        drop(run);
        assert_eq!(
            clock.with_queue(|q| q.len()),
            0,
            "Stop cancels the deadline"
        );
        let mut run = Box::pin(super::run_event_loop(&clock, &workload, &recorder));
        assert!(run.as_mut().poll(&mut cx).is_pending());
        clock.block_for(250.6);
        assert_eq!(run.as_mut().poll(&mut cx), Poll::Ready(()));
        assert_eq!(recorder.tasks_done(), 5000);
    }

    #[test]
    fn twenty_thousand_sleepers_wait_once() {
        let (trace, now) = run_virtual(ExecutorId::EventLoop, &sleepers(20_000, 3.0, false));
        assert_eq!(trace.tasks_done, 20_000);
        assert_eq!(now, 3000.0);
    }
}
