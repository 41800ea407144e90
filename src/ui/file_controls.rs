//! The runs as a file: Export JSON, Export CSV, Export trace, Open in Perfetto and Import.
//! What they do is done in the runs' room (`super::files`, through `super::runs_room`).

use super::Dispatch;
use page::effect::FileFormat;
use page::export::TRACE_MAX_STEPS;
use page::rooms::runs::RunsAction;
use page::state::{PageAction, PageModel};
use sim::format;
use yew::prelude::*;

/// Export JSON, Export CSV, Export trace and Open in Perfetto, for the runs shown, and Import
/// (disabled while a run is going).
pub fn controls(model: &PageModel, dispatch: &Dispatch) -> Html {
    let busy = model.runs().is_some_and(|r| r.run.is_busy());
    let nothing = !model.can_export();
    let chosen = dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            let dispatch = chosen.clone();
            super::runs_room::with(&chosen, move |room| match room {
                Some(room) => (room.import)(file, &dispatch),
                None => dispatch.emit(PageAction::Notice(format!(
                    "The file {} could not be read: the page's code for files did not load \
                     (offline, or blocked). Check the connection, then choose it again.",
                    page::quote::shown(&file.name())
                ))),
            });
        }
        // Choosing the same file again is a new import.
        input.set_value("");
    });
    let button = |action: RunsAction, label: &str| {
        let onclick = dispatch.reform(move |_: MouseEvent| PageAction::Runs(action.clone()));
        html! {
            <button type="button" class="secondary" disabled={nothing} {onclick}>{ label }</button>
        }
    };
    let export = |format| RunsAction::Export { format };
    // Runs kept as spans (the sleep lab's largest) go to a trace as their density.
    let spans: usize = model.export_items().map_or(0, |(_, _, items)| {
        items
            .iter()
            .filter_map(|(_, trace)| trace.spans.as_ref().map(|s| s.len()))
            .sum()
    });
    let density = (spans > TRACE_MAX_STEPS).then(|| {
        format!(
            " These runs have {} tasks, more than {} a trace holds one by one: their trace \
             holds the task density instead.",
            format::count(spans as u64),
            format::count(TRACE_MAX_STEPS as u64)
        )
    });
    html! {
        <div class="run-files" role="group" aria-label="The runs as a file">
            { button(export(FileFormat::Json), "Export JSON") }
            { button(export(FileFormat::Csv), "Export CSV") }
            { button(export(FileFormat::Trace), "Export trace") }
            { button(RunsAction::OpenInPerfetto, "Open in Perfetto") }
            <label class="file-import">
                { "Import" }
                <input type="file" accept=".json,application/json" disabled={busy} {onchange} />
            </label>
            <p class="hint">
                { "Export trace writes Chrome Trace Event JSON for Perfetto and chrome://tracing. \
                   Open in Perfetto hands it to ui.perfetto.dev in a new tab, which may ask you \
                   to confirm a trace sent from a site it does not know." }
                { density.unwrap_or_default() }
            </p>
        </div>
    }
}
