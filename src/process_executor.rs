//! `process-executor`, the page's side: tasks on the page's event loop send their blocking
//! calls to a pool of workers, one process each (`loop.run_in_executor(pool, ...)` with a
//! `ProcessPoolExecutor`). A process takes one call at a time and runs it under a GIL of its
//! own, so CPU work runs in parallel up to the pool's size while the loop stays free. The
//! workers are the pool's (`Group::Pool`): warm between runs, their start-up shown apart.

use crate::handoff::{run_on_loop, Calls};
use crate::workers::{self, Group};
use futures::future::LocalBoxFuture;
use sim::exec::{Offload, ThreadPool};
use sim::executors::ExecutorId;
use sim::model::Machine;
use sim::trace::TraceRecorder;
use sim::workload::{Step, Workload};

/// The pool's processes as the loop sees them: a call waits for a free process, goes to it,
/// and comes back with its record, in that process's lane.
struct Processes {
    free: ThreadPool,
    calls: Calls,
}

impl Offload for Processes {
    fn call<'a>(
        &'a self,
        recorder: &'a TraceRecorder,
        task: u32,
        first_step: u16,
        steps: &'a [Step],
    ) -> LocalBoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let process = self.free.take().await;
            let lane = process + 1;
            // One thread in the process: the call runs alone under its GIL.
            let at = (task, first_step);
            let outcome = self
                .calls
                .call(recorder, (lane, 1), at, steps, Some(lane))
                .await;
            self.free.give_back(process);
            outcome
        })
    }
}

/// Runs `workload` on the page's event loop, sending its blocking calls to `machine.workers`
/// processes of the pool.
pub async fn run_process_executor(
    workload: &Workload,
    recorder: &TraceRecorder,
    machine: &Machine,
) -> Result<(), String> {
    let size = machine.workers.max(1);
    let (rx, mut guard) = workers::ready(Group::Pool, size, recorder).await?;
    let processes = Processes {
        free: ThreadPool::new(size),
        calls: Calls::new(Group::Pool, "pool worker", machine.switch_ms),
    };
    let run = (ExecutorId::ProcessExecutor, workload, machine);
    let outcome = run_on_loop(run, recorder, (&processes, &processes.calls), rx).await;
    guard.completed = outcome.is_ok();
    outcome
}
