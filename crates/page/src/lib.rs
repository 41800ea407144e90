//! The page layer of Async Playground: everything the page decides, none of what it draws.
//!
//! The page's state machine ([`state::PageModel`], changed only by [`state::PageAction`]s),
//! the URL state, a run's state, the embed API's messages, export and import, and the
//! learner's predictions. It builds on the labs ([`labs`]) and the simulation ([`sim`]), and
//! nothing here touches the browser: all of it is tested natively with `cargo test`.

pub mod announce;
pub mod effect;
pub mod embed_snippet;
pub mod export;
// The CPython checks run natively, never in the page: they sort as they like.
#[cfg(any(test, feature = "fidelity"))]
#[allow(clippy::disallowed_methods)]
pub mod fidelity;
pub mod message;
pub mod predict;
pub mod quote;
pub mod resize;
pub mod rooms;
pub mod run_state;
pub mod state;
pub mod url_state;

/// What the tests of several modules share.
#[cfg(test)]
mod testing {
    use labs::plan::PlanItem;
    use sim::cpu::Calibration;
    use sim::executors::ExecutorId;

    /// A plan of the hello lab on `executors`, at its defaults.
    pub(crate) fn hello_plan(executors: &[ExecutorId]) -> Vec<PlanItem> {
        let lab = labs::find("hello").expect("the hello lab");
        executors
            .iter()
            .map(|e| PlanItem::new(lab, lab.default_values(), *e, &Calibration::default()))
            .collect()
    }
}
