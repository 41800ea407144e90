//! The pitfalls lab's page, a page of cases: what its live runs have shown, and its actions.
//! The cases themselves (their Python, Rust, and the live runs' code) are
//! `labs::pitfalls`.

use labs::pitfalls::{forgotten_await, ForgottenAwait};

/// What the live runs have shown so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CasesRoom {
    /// The forgotten-await run's output, once run.
    pub forgotten_await: Option<ForgottenAwait>,
    /// How long the blocking run held the page, ms, once run.
    pub blocked_ms: Option<f64>,
}

/// What the pitfalls page can do.
#[derive(Clone, Debug, PartialEq)]
pub enum CasesAction {
    /// Run the forgotten-await case.
    RunForgottenAwait,
    /// The blocking run held the page this long, ms.
    Blocked { held_ms: f64 },
}

impl CasesRoom {
    /// Applies one action.
    pub fn apply(mut self, action: CasesAction) -> Self {
        match action {
            CasesAction::RunForgottenAwait => self.forgotten_await = Some(forgotten_await()),
            CasesAction::Blocked { held_ms } => self.blocked_ms = Some(held_ms),
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_keeps_what_each_live_run_showed() {
        let room = CasesRoom::default()
            .apply(CasesAction::RunForgottenAwait)
            .apply(CasesAction::Blocked { held_ms: 1000.0 });
        assert_eq!(room.forgotten_await.unwrap().with_await, ["hello"]);
        assert_eq!(room.blocked_ms, Some(1000.0));
    }
}
