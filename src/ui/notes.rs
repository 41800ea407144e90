//! A lab's prose from its notes file: a short line while it loads, a plain message if it could
//! not be read (the lab works without it), its paragraphs once read.

use labs::notes::NotesState;
use yew::prelude::*;

/// The paragraphs of `sections`, in order, as the items of a list of `class`.
pub fn list(notes: &NotesState, sections: &[&str], class: &'static str) -> Html {
    match notes {
        NotesState::Loading => {
            html! { <p class="notes-loading">{ "Loading the notes\u{2026}" }</p> }
        }
        NotesState::Failed(why) => html! {
            <p class="notes-failed">
                { format!("The notes on this lab could not be read ({why}). The lab itself works; reload the page to try again.") }
            </p>
        },
        NotesState::Ready(_) => html! {
            <ul class={class}>
                { for sections.iter().flat_map(|s| notes.get(s)).map(|p| html! { <li>{ p.clone() }</li> }) }
            </ul>
        },
    }
}

/// The corrections section (heading and list) once the notes are read, if the lab has any.
pub fn corrections(notes: &NotesState) -> Html {
    use labs::notes::section::CORRECTIONS;
    if notes.get(CORRECTIONS).is_empty() {
        return Html::default();
    }
    html! {
        <>
            <h2>{ "Where the article is wrong" }</h2>
            { list(notes, &[CORRECTIONS], "corrections") }
        </>
    }
}

/// The first `count` points of "What to notice", beside a run's results, with a link to all of
/// them (on this page, or with `full_lab`, the full lab's address, in a new tab); nothing until
/// the notes are read.
pub fn watch_for(notes: &NotesState, count: usize, full_lab: Option<String>) -> Html {
    use labs::notes::section::NOTICE;
    let points = notes.get(NOTICE);
    if points.is_empty() {
        return Html::default();
    }
    html! {
        <div class="watch-for">
            <h3>{ "Watch for" }</h3>
            <ul>{ for points.iter().take(count).map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
            if points.len() > count {
                if let Some(full) = full_lab {
                    <p><a href={format!("{full}#notice-title")} target="_blank" rel="noopener">{ "Everything to notice" }</a></p>
                } else {
                    <p><a href="#notice-title">{ "Everything to notice" }</a></p>
                }
            }
        </div>
    }
}
