//! `sequential`: await each task in turn, as two `await hello()` in a row do.

use super::{run_task, Runtime};
use crate::executors::Client;
use crate::trace::TraceRecorder;
use crate::workload::Workload;

/// Runs the tasks one after another on the page's thread (lane 0).
pub async fn run_sequential<R: Runtime>(rt: &R, workload: &Workload, recorder: &TraceRecorder) {
    for task in 0..workload.task_count {
        run_task(rt, workload, recorder, (task, 0), Client::Async, None).await;
    }
}

#[cfg(test)]
mod tests {
    use crate::exec::virtual_time::run_virtual;
    use crate::executors::ExecutorId;
    use crate::workload::hello;

    #[test]
    fn hellos_alternate_with_goodbyes_and_sleeps_add_up() {
        let (trace, now) = run_virtual(ExecutorId::Sequential, &hello(2, 1.0, false));
        let lines: Vec<&str> = (0..trace.output.len())
            .map(|i| trace.output.line(i))
            .collect();
        assert_eq!(lines, ["hello", "goodbye", "hello", "goodbye"]);
        assert_eq!(trace.output.t_ms, vec![0.0, 1000.0, 1000.0, 2000.0]);
        assert_eq!(now, 2000.0);
        assert_eq!(trace.tasks_done, 2);
    }
}
