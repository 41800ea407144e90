//! The Python a lab's run stands for (written with the run's values, with a `Copy` button),
//! what to notice, where the article is wrong, and the article's own code a click away.

use super::share::CopyButton;
use labs::notes::{section, NotesState};
use labs::LabSpec;
use yew::prelude::*;

/// The program as one text, with room for the numbers the runs' room writes when it arrives
/// (just after the first paint): its pane, [`super::program_pane`], draws a line per element,
/// numbered, and links them to the runs' bars.
pub fn plain(program: &AttrValue) -> Html {
    html! {
        <pre class="code numbered-soon" tabindex="0" aria-labelledby="python-title"><code>{ program.clone() }</code></pre>
    }
}

/// The lab's explanation panel, with `program`, its Python for the current values, executors
/// and page address, drawn as `pane` (linked to the runs' timelines once they are here), and
/// the lab's `notes` (an `embedded` page leaves them, and the article's code, to the full lab).
pub fn view(
    lab: &'static LabSpec,
    program: AttrValue,
    pane: Html,
    notes: &NotesState,
    embedded: bool,
) -> Html {
    html! {
        <section class="explain" aria-labelledby="python-title">
            <h2 id="python-title">{ "The Python it stands for" }</h2>
            <p class="python-note">
                { "This run's program, with its values: save it (not as http.py, which hides a module it imports), run it with python3 3.10+ (HTTP labs: pip install aiohttp requests) and it prints what Output does." }
            </p>
            <CopyButton label="Copy" text={program.clone()} />
            { pane }
            if !embedded {
                <h2 id="notice-title">{ "What to notice" }</h2>
                { super::notes::list(notes, &[section::NOTICE], "notice-list") }
                { super::notes::corrections(notes) }
            }
            if !lab.article.is_empty() && !embedded {
                <p class="article-link"><a href={lab.article} target="_blank">{ "The article's original code" }</a>{ " (opens as text in a new tab)" }</p>
            }
        </section>
    }
}
