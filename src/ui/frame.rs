//! The frame every lab page fills, whatever its kind: the status region, the lab's title (the
//! page's `h1`) with the line under it, then the kind's own body. A page that runs something
//! lays its body out in [`columns`]: its controls, what it shows, and its explanation (the
//! notes and the code) with the share and embed block.

use super::home::notices;
use super::share;
use super::Dispatch;
use labs::LabSpec;
use page::state::PageModel;
use yew::prelude::*;

/// A lab page: notices, `lab`'s title and `subtitle`, then `body`.
pub fn page(model: &PageModel, lab: &'static LabSpec, subtitle: String, body: Html) -> Html {
    html! {
        <>
            { notices(model) }
            <div class="lab-head">
                <h1>{ lab.title }</h1>
                <p class="section">{ subtitle }</p>
                { share::head_action(model, lab) }
            </div>
            <p class="lab-question">{ lab.question }</p>
            { body }
        </>
    }
}

/// The line under a lab's title: the article's section it stands for.
pub fn section_line(lab: &'static LabSpec) -> String {
    format!("Article section: {}", lab.section)
}

/// The three columns of a lab that runs something; the last ends with the links to share
/// and embed the page as it is (not in an embedded page).
pub fn columns(
    model: &PageModel,
    lab: &'static LabSpec,
    controls: Html,
    main: Html,
    explain: Html,
    dispatch: &Dispatch,
) -> Html {
    // A workload lab's program is in the first column, under the form.
    let program_first = (lab.body == labs::LabBody::Workload).then_some("program-first");
    html! {
        <div class={classes!("lab-grid", program_first)}>
            <div class="lab-controls">{ controls }</div>
            <div class="lab-main">{ main }</div>
            <div class="lab-explain">
                { explain }
                { share_box(model, lab, dispatch) }
            </div>
        </div>
    }
}

/// The "Share and embed" region. A page that runs plans draws it with the runs' code, which
/// arrives just after the first paint (it is the last thing on the page): a first load that
/// does without it is the lighter; the other kinds draw it themselves.
pub fn share_box(model: &PageModel, lab: &'static LabSpec, dispatch: &Dispatch) -> Html {
    #[cfg(feature = "runs")]
    {
        super::runs_room::here()
            .map(|room| (room.share)(model, lab, dispatch))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "runs"))]
    {
        share::of_page(model, lab, dispatch)
    }
}
