//! An exported file's runs shown on the page as if just run.

use super::PageModel;
use crate::rooms::runs::Runs;
use crate::rooms::Room;
use labs::params::keys;
use labs::plan::PlanItem;
use labs::LabBody;

impl PageModel {
    /// An imported file's runs, shown as if just run: the page becomes the file's lab with
    /// its parameters, executors and guesses, its items and traces the last run, marked as
    /// imported (with where they ran). The page's theme, embedding, notices and workers stay.
    pub(super) fn show_imported(
        self,
        name: &str,
        linked: bool,
        file: crate::export::Imported,
    ) -> Self {
        let lab = file.lab;
        let compare = lab.body == LabBody::Compare;
        let mut url = self.url.clone();
        url.lab = Some(lab);
        url.values = file.params.clone();
        url.executors.clear();
        url.predictions.clear();
        url.run = false;
        // The address keeps `import=` while it shows the link's file.
        url.import = linked.then(|| name.to_string());
        let mut plan = Vec::new();
        let mut traces = Vec::new();
        for (info, trace) in file.items {
            let executor = trace.executor;
            if !compare && !url.executors.contains(&executor) {
                url.executors.push(executor);
            }
            let lab = compare.then_some(info.lab);
            let known = url
                .predictions
                .iter()
                .any(|p| p.lab == lab && p.executor == executor);
            if let (Some(ms), false) = (info.predicted_ms, known) {
                // A row's runs each carry the row's one guess.
                url.predictions
                    .push(crate::predict::Prediction { lab, executor, ms });
            }
            plan.push(PlanItem {
                lab: info.lab,
                values: info.params,
                executor,
                projected_ms: info.expected_ms,
            });
            traces.push(std::rc::Rc::new(trace));
        }
        url.asks_guess = !url.predictions.is_empty();
        let same_lab = self.url.lab == Some(lab);
        let mut next = PageModel::new(url)
            .with_address(self.address)
            .with_calibration(self.calibration);
        if same_lab {
            next.notes = self.notes;
            // Found where the file's runs send requests too (else it is looked for again).
            if self.url.values.choice(keys::NETWORK) == next.url.values.choice(keys::NETWORK) {
                next.network = self.network;
            }
        }
        next.notices = self.notices;
        next.pool_alive = self.pool_alive;
        let run_number = self.room.runs().map_or(0, |r| r.run.run_number) + 1;
        let mark = format!(
            "Imported from {}: run on {} with {} cores. Nothing ran on this page.",
            crate::quote::shown(name),
            file.machine.browser,
            file.machine.cores,
        );
        let runs = Runs::showing(plan, traces, run_number, file.params, mark);
        next.room = if compare {
            Room::Compare(runs)
        } else {
            Room::Workload(runs)
        };
        next
    }
}
