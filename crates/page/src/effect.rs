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

impl Effect {
    /// Whether the runs' code does it (the run driver, the workers, the files, the network):
    /// code a page's first paint does without, which the page fetches after it.
    pub fn needs_runs(&self) -> bool {
        matches!(
            self,
            Effect::StartRun { .. }
                | Effect::StopRun
                | Effect::DiscardPool
                | Effect::Export { .. }
                | Effect::OpenInPerfetto
                | Effect::FindNetwork(_)
                | Effect::Import(_)
                | Effect::WarmThreads(_)
        )
    }
}

/// What the runs shown are written as (the files worker is asked for it in a
/// [`FilesRequest`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FileFormat {
    /// The runs, to import again (`Export JSON`).
    Json,
    /// One row a task step, for a spreadsheet (`Export CSV`).
    Csv,
    /// Chrome Trace Event JSON, for Perfetto and `chrome://tracing` (`Export trace`).
    Trace,
}

impl FileFormat {
    /// The downloaded file's ending.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Json => "json",
            FileFormat::Csv => "csv",
            FileFormat::Trace => "trace.json",
        }
    }
}

/// What the page asks of the files worker (posted as its bytes,
/// `sim::worker_protocol::encode`, beside what it is about: the packed runs to write, or the
/// chosen `File` or the path to import).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FilesRequest {
    /// Write the runs packed beside it (`export::pack`) in this format.
    Export(FileFormat),
    /// Read and check the file beside it, a chosen `File` or a path on the page's site.
    Import,
}

/// How the files worker answers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FilesReply {
    /// It listens (its first message).
    Ready,
    /// Done: beside it, a Blob of the written file, or the imported file's runs packed.
    Done,
    /// Why not, in words that follow "The file <name> ".
    Refused(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::worker_protocol::{decode, encode};

    #[test]
    fn what_a_run_needs_waits_for_the_runs_code_and_the_rest_does_not() {
        let runs = [
            Effect::StartRun {
                run_number: 1,
                plan: Vec::new(),
            },
            Effect::StopRun,
            Effect::DiscardPool,
            Effect::Export {
                format: FileFormat::Csv,
            },
            Effect::OpenInPerfetto,
            Effect::FindNetwork("auto"),
            Effect::Import("runs.json".into()),
            Effect::WarmThreads(Machine::default()),
        ];
        assert!(runs.iter().all(Effect::needs_runs));
        let page = [
            Effect::WriteUrl("lab=hello".into()),
            Effect::SetTheme(None),
            Effect::SetTitle("Hello, await".into()),
            Effect::FetchNotes("hello"),
            Effect::Frames(true),
            Effect::Calibrate,
        ];
        assert!(!page.iter().any(Effect::needs_runs));
    }

    #[test]
    fn the_files_worker_s_messages_round_trip() {
        for request in [
            FilesRequest::Export(FileFormat::Json),
            FilesRequest::Export(FileFormat::Csv),
            FilesRequest::Export(FileFormat::Trace),
            FilesRequest::Import,
        ] {
            assert_eq!(
                decode::<FilesRequest>(&encode(&request).unwrap()),
                Ok(request)
            );
        }
        for reply in [
            FilesReply::Ready,
            FilesReply::Done,
            FilesReply::Refused("is not on this site".into()),
        ] {
            assert_eq!(
                decode::<FilesReply>(&encode(&reply).unwrap()),
                Ok(reply.clone())
            );
        }
        assert!(decode::<FilesReply>(&[9]).is_err());
    }
}
