//! `pool`: `multiprocessing.Pool` as Web Workers, each its own wasm instance and memory.
//!
//! Like a process, a worker runs one task at a time: the pool sends a worker its next task
//! only when the current one is done. The pool stays warm between runs (see `workers.rs`).

use crate::clock::{now_ms, time_origin_ms};
use crate::workers::{self, Group, WorkerEvent};
use futures::StreamExt;
use sim::executors::Client;
use sim::trace::TraceRecorder;
use sim::worker_protocol::{FromWorker, ToWorker};
use sim::workload::Workload;
use std::collections::VecDeque;

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
/// process runs one task at a time, taking chunks of them as `Pool.map` does; more: an event
/// loop in each process gathers its share), making requests as `client` does.
pub async fn run_pool(
    workload: &Workload,
    recorder: &TraceRecorder,
    (size, per_worker): (u32, u32),
    client: Client,
) -> Result<(), String> {
    let size = size.max(1);
    let (mut rx, mut guard) = workers::ready(Group::Pool, size, recorder).await?;

    let total = workload.task_count;
    // `Pool.map` hands a process a chunk of tasks (CPython's default chunksize), which it runs
    // one after another; a pool of event loops hands each its share to gather.
    let in_turn = per_worker == 1;
    let batch = if in_turn {
        sim::model::pool_map_chunksize(total, size).max(1)
    } else {
        per_worker.max(1)
    };
    let mut batches = (0..total)
        .step_by(batch as usize)
        .map(|first| (first..(first + batch).min(total)).collect::<Vec<u32>>());
    // Each worker's batches sent and not yet done, the running one first. A process of
    // `Pool.map` takes its next chunk as soon as it is done with one: each worker gets its
    // next chunk while it runs the one before, so it never waits for the page between them.
    let mut in_flight = vec![VecDeque::<Vec<u32>>::new(); size as usize];
    let most = if in_turn { 2 } else { 1 };
    let mut dispatch = |lane: u32, in_flight: &mut Vec<VecDeque<Vec<u32>>>| -> Result<(), String> {
        let queue = &mut in_flight[(lane - 1) as usize];
        while queue.len() < most {
            let Some(tasks) = batches.next() else {
                return Ok(());
            };
            if queue.is_empty() {
                // It starts now: gathered tasks all at once, a chunk with its first task.
                let now = now_ms();
                let starting = if in_turn { &tasks[..1] } else { &tasks[..] };
                for task in starting {
                    recorder.task_started(now, *task, lane);
                }
            }
            let message = if in_turn {
                ToWorker::RunChunk {
                    tasks: tasks.clone(),
                    steps: workload.steps.clone(),
                    client,
                }
            } else {
                ToWorker::RunTasks {
                    tasks: tasks.clone(),
                    steps: workload.steps.clone(),
                    client,
                }
            };
            workers::send(Group::Pool, lane, &message)?;
            queue.push_back(tasks);
        }
        Ok(())
    };
    for lane in 1..=size {
        dispatch(lane, &mut in_flight)?;
    }
    let page_origin = time_origin_ms();
    let mut done = 0u32;
    while done < total {
        let (lane, tasks, events, output) = match rx.next().await {
            Some(WorkerEvent::Message {
                lane,
                message:
                    FromWorker::ChunkDone {
                        tasks,
                        events,
                        output,
                    },
            }) => (lane, tasks, events, output),
            Some(WorkerEvent::Message {
                lane,
                message:
                    FromWorker::TaskDone {
                        task,
                        events,
                        output,
                    },
            }) => (lane, vec![task], events, output),
            Some(WorkerEvent::Message {
                lane,
                message: FromWorker::Refused { message },
            })
            | Some(WorkerEvent::Crashed { lane, message }) => {
                // The tasks it was running, not those sent ahead of their turn.
                let running = in_flight[(lane - 1) as usize]
                    .front()
                    .map(|tasks| {
                        let tasks: Vec<String> =
                            tasks.iter().map(|t| (t + 1).to_string()).collect();
                        tasks.join(", ")
                    })
                    .unwrap_or_default();
                return Err(format!(
                    "Worker {lane} failed while running task {running}: {message}."
                ));
            }
            Some(WorkerEvent::Message { .. }) => continue,
            None => return Err("The pool's workers went away during the run.".into()),
        };
        // The page recorded the start of a chunk's first task; the worker the others'.
        let first = tasks.first().copied();
        let started_here = |task: u32| !in_turn || Some(task) == first;
        recorder.merge((&events, &output), -page_origin, Some(lane), |task| {
            !started_here(task)
        });
        done += tasks.len() as u32;
        let queue = &mut in_flight[(lane - 1) as usize];
        if let Some(running) = queue.front_mut() {
            running.retain(|t| !tasks.contains(t));
            if running.is_empty() {
                queue.pop_front();
                if let (true, Some(next)) = (in_turn, queue.front()) {
                    // The chunk sent ahead started when this one ended, on the worker's clock.
                    let ended = events.t_ms.iter().copied().fold(f64::NAN, f64::max);
                    let at = if ended.is_nan() {
                        now_ms()
                    } else {
                        ended - page_origin
                    };
                    recorder.task_started(at, next[0], lane);
                }
            }
        }
        dispatch(lane, &mut in_flight)?;
    }
    guard.completed = true;
    Ok(())
}
