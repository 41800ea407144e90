//! The runs' effects, done in the runs' room (`super::runs_room`): starting and stopping the
//! run driver, the pool, export, import and Perfetto, the network's endpoint, the
//! interpreter's warm threads.

use super::Dispatch;
use crate::net;
use crate::run::{drive, RunControl};
use page::effect::Effect;
use page::rooms::runs::RunsAction;
use page::state::{PageAction, PageModel};
use std::cell::RefCell;
use std::rc::Rc;

/// Performs one of the runs' effects: the runs' room's `perform`.
pub fn perform(
    effect: Effect,
    model: &PageModel,
    dispatch: &Dispatch,
    control: &RefCell<Rc<RunControl>>,
) {
    match effect {
        Effect::StartRun { run_number, plan } => {
            let calibration = model.calibration;
            let plan = plan
                .iter()
                .map(|item| {
                    let workload = item.workload(&calibration);
                    (workload, item.executor, item.machine(&calibration))
                })
                .collect();
            let fresh = Rc::new(RunControl::default());
            *control.borrow_mut() = fresh.clone();
            let report = dispatch.reform(|event| PageAction::Runs(RunsAction::Run(event)));
            wasm_bindgen_futures::spawn_local(drive(run_number, plan, fresh, report));
        }
        Effect::StopRun => control.borrow().stop(),
        Effect::DiscardPool => crate::pool::discard(),
        Effect::Export { format } => super::files::export(model, format, dispatch.clone()),
        Effect::OpenInPerfetto => super::files::open_in_perfetto(model, dispatch.clone()),
        Effect::FindNetwork(choice) => {
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                dispatch.emit(PageAction::NetworkFound(net::find_network(choice).await));
            });
        }
        Effect::Import(path) => {
            super::files::import(path.clone().into(), path, true, dispatch.clone());
        }
        Effect::WarmThreads(machine) => crate::threads::prewarm(&machine),
        _ => {}
    }
}

/// Once, when the runs' room arrives: the pool's live workers, and a file chosen on a page of
/// another kind, handed to this one.
pub fn opened(dispatch: &Dispatch) {
    let pool_alive = dispatch.reform(PageAction::PoolAlive);
    crate::pool::watch_alive(move |alive| pool_alive.emit(alive));
    super::files::resume(dispatch);
}
