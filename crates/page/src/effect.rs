//! What the page asks of the browser edge, as data. [`crate::state::PageModel::update`]
//! returns these beside the new state, and the edge performs each in one place: nothing is
//! asked by bumping a counter for a hook to notice.

use crate::message::ResultMessage;
use crate::url_state::Theme;
use labs::plan::PlanItem;
use sim::model::Machine;

/// One thing the edge must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Start the driver on run `run_number`'s plan, its items one after another.
    StartRun {
        /// The run the driver's reports belong to.
        run_number: u64,
        /// Its items, in run order.
        plan: Vec<PlanItem>,
    },
    /// Abort the run the driver is running (Stop).
    StopRun,
    /// Terminate the pool's warm workers: the next pool run starts cold.
    DiscardPool,
    /// Write the runs shown as a file: JSON, or with `csv` the CSV of their steps.
    Export {
        /// The CSV, not the JSON.
        csv: bool,
    },
    /// Post a result message to the host page.
    PostResult(ResultMessage),
    /// Show this query (without `?`) in the address bar.
    WriteUrl(String),
    /// Apply the theme (`None`: the system's).
    SetTheme(Option<Theme>),
    /// Set the document's title.
    SetTitle(String),
    /// Look for the latency endpoint where `network=` says (`auto`, `server`, `simulated`).
    FindNetwork(&'static str),
    /// Read the lab's notes file (by lab id).
    FetchNotes(&'static str),
    /// Read `import=`'s file, a path on this site.
    Import(String),
    /// Start the interpreter workers of `machine` now, so a first run of threads is warm.
    WarmThreads(Machine),
    /// Send the generators lab's stepper a frame per animation frame (`true`), or stop.
    Frames(bool),
    /// Measure how fast this machine computes, then say so with
    /// [`crate::state::PageAction::Calibrated`].
    Calibrate,
}
