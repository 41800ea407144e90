//! Each kind of lab page in a room of its own: its state, its actions, and what it plans.
//! The page ([`crate::state::PageModel`]) holds the room that is open and routes actions to
//! it; a kind that is not open holds nothing.
//!
//! - [`Room::Workload`] and [`Room::Compare`] run plans: their state is [`runs::Runs`] and
//!   their actions [`runs::RunsAction`]; [`workload`] and [`compare`] plan each kind's runs.
//! - [`Room::Stepper`] is the generators lab ([`stepper::StepperRoom`], with
//!   `sim::generators::StepperAction`s).
//! - [`Room::Cases`] is the pitfalls lab ([`cases::CasesRoom`], with
//!   [`cases::CasesAction`]s).

pub mod cases;
pub mod compare;
pub mod runs;
pub mod stepper;
pub mod workload;

use crate::url_state::UrlState;
use cases::CasesRoom;
use labs::LabBody;
use runs::Runs;
use stepper::StepperRoom;

/// The open kind of page, with its own state.
// One room a page, cloned whole with the page on each action: boxing the larger rooms would
// save no copy.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Room {
    /// The home page: the list of labs.
    Home,
    /// A workload lab: its runs.
    Workload(Runs),
    /// The compare lab: its table's runs.
    Compare(Runs),
    /// The generators lab: its stepper.
    Stepper(StepperRoom),
    /// The pitfalls lab: what its live runs showed.
    Cases(CasesRoom),
}

impl Room {
    /// The room of the page `url` opens.
    pub fn open(url: &UrlState) -> Room {
        match url.lab.map(|l| l.body) {
            None => Room::Home,
            Some(LabBody::Workload) => Room::Workload(Runs::default()),
            Some(LabBody::Compare) => Room::Compare(Runs::default()),
            Some(LabBody::Stepper) => Room::Stepper(StepperRoom::open(&url.values)),
            Some(LabBody::Cases) => Room::Cases(CasesRoom::default()),
        }
    }

    /// The runs of a page that runs plans.
    pub fn runs(&self) -> Option<&Runs> {
        match self {
            Room::Workload(runs) | Room::Compare(runs) => Some(runs),
            _ => None,
        }
    }

    /// The same, to change.
    pub fn runs_mut(&mut self) -> Option<&mut Runs> {
        match self {
            Room::Workload(runs) | Room::Compare(runs) => Some(runs),
            _ => None,
        }
    }
}

/// Adds a notice for the status region, unless it is the one just shown.
pub(crate) fn push_notice(notices: &mut Vec<String>, text: &str) {
    if notices.last().map(String::as_str) != Some(text) {
        notices.push(text.to_string());
    }
}
