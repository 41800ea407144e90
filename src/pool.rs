//! `pool`: `multiprocessing.Pool` as Web Workers, each its own wasm instance and memory.
//!
//! Like a process, a worker runs one task at a time: the pool sends a worker its next task
//! only when the current one is done. The pool stays warm between runs (see `workers.rs`).

use crate::clock::{now_ms, time_origin_ms};
use crate::workers::{self, Group, WorkerEvent};
use futures::StreamExt;
use sim::executors::Client;
use sim::trace::TraceRecorder;
use sim::worker_protocol::FromWorker;
use sim::workload::Workload;

/// Calls `watcher` with how many pool workers are alive now and whenever that changes (a
/// warm pool keeps its workers between runs).
pub fn watch_alive(watcher: impl Fn(u32) + 'static) {
    workers::watch(Group::Pool, watcher);
}

/// Terminates every pool worker; the next run starts new ones.
pub fn discard() {
    workers::discard(Group::Pool);
}

/// Runs `workload` on a pool of `size` workers, `per_worker` tasks at a time on each (1: a
/// process per task, as `Pool.map` does; more: an event loop in each process), making
/// requests as `client` does.
pub async fn run_pool(
    workload: &Workload,
    recorder: &TraceRecorder,
    (size, per_worker): (u32, u32),
    client: Client,
) -> Result<(), String> {
    let size = size.max(1);
    let (mut rx, mut guard) = workers::ready(Group::Pool, size, recorder).await?;

    let total = workload.task_count;
    let mut next = 0u32;
    let mut done = 0u32;
    let mut in_flight = vec![Vec::<u32>::new(); size as usize];
    // A process of `Pool.map` takes its next task as soon as it is done with one: each worker
    // gets its next task while it runs the one before (it runs them in turn), so it never
    // waits for the page between tasks. A task sent ahead starts when the one before it ends.
    let ahead = u32::from(per_worker == 1);
    let messages = crate::wire::RunTasks::new(&workload.steps, client)?;
    let dispatch =
        |lane: u32, next: &mut u32, in_flight: &mut Vec<Vec<u32>>| -> Result<(), String> {
            let slot_index = (lane - 1) as usize;
            let free = (per_worker + ahead).saturating_sub(in_flight[slot_index].len() as u32);
            let count = free.min(total - *next);
            if count == 0 {
                return Ok(());
            }
            let tasks: Vec<u32> = (*next..*next + count).collect();
            *next += count;
            let now = now_ms();
            let running = per_worker.saturating_sub(in_flight[slot_index].len() as u32);
            for task in tasks.iter().take(running as usize) {
                recorder.task_started(now, *task, lane);
            }
            in_flight[slot_index].extend(&tasks);
            if ahead > 0 {
                // One message a task: the worker runs a message's tasks at once, its messages
                // in turn.
                for task in tasks {
                    workers::send_value(Group::Pool, lane, &messages.message(&[task]))?;
                }
                Ok(())
            } else {
                workers::send_value(Group::Pool, lane, &messages.message(&tasks))
            }
        };
    for lane in 1..=size {
        dispatch(lane, &mut next, &mut in_flight)?;
    }
    let page_origin = time_origin_ms();
    while done < total {
        match rx.next().await {
            Some(WorkerEvent::Message {
                lane,
                message:
                    FromWorker::TaskDone {
                        task,
                        events,
                        output,
                    },
            }) => {
                recorder.merge((&events, &output), -page_origin, Some(lane), false);
                let queue = &mut in_flight[(lane - 1) as usize];
                queue.retain(|t| *t != task);
                if let (true, Some(&waiting)) = (ahead > 0, queue.first()) {
                    // The task sent ahead started when this one ended, on the worker's clock.
                    let ended = events.t_ms.iter().copied().fold(f64::NAN, f64::max);
                    let at = if ended.is_nan() {
                        now_ms()
                    } else {
                        ended - page_origin
                    };
                    recorder.task_started(at, waiting, lane);
                }
                done += 1;
                dispatch(lane, &mut next, &mut in_flight)?;
            }
            Some(WorkerEvent::Message {
                lane,
                message: FromWorker::Refused { message },
            })
            | Some(WorkerEvent::Crashed { lane, message }) => {
                // The tasks it was running, not those sent ahead of their turn.
                let tasks: Vec<String> = in_flight[(lane - 1) as usize]
                    .iter()
                    .take(per_worker as usize)
                    .map(|t| (t + 1).to_string())
                    .collect();
                return Err(format!(
                    "Worker {lane} failed while running task {}: {message}.",
                    tasks.join(", ")
                ));
            }
            Some(WorkerEvent::Message { .. }) => {}
            None => return Err("The pool's workers went away during the run.".into()),
        }
    }
    guard.completed = true;
    Ok(())
}
