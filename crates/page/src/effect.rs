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
    /// Write the runs shown as a file, in `format`.
    Export { format: FileFormat },
    /// Open the runs shown in Perfetto (a new tab), as their Chrome Trace Event JSON.
    OpenInPerfetto,
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

/// What the runs shown are written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// The runs, to import again (`Export JSON`).
    Json,
    /// One row a task step, for a spreadsheet (`Export CSV`).
    Csv,
    /// Chrome Trace Event JSON, for Perfetto and `chrome://tracing` (`Export trace`).
    Trace,
}

impl FileFormat {
    /// What the files worker is asked for.
    pub fn id(self) -> &'static str {
        match self {
            FileFormat::Json => "json",
            FileFormat::Csv => "csv",
            FileFormat::Trace => "trace",
        }
    }

    /// The downloaded file's ending.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Json => "json",
            FileFormat::Csv => "csv",
            FileFormat::Trace => "trace.json",
        }
    }
}
