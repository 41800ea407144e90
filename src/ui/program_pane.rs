//! The program beside a workload lab's results, from the runs' room: one element per line
//! (numbered by the page's CSS: the text, what `innerText` and Copy give, is the program
//! alone), linked to the runs' timelines. The marked line has `aria-current="true"`; a line
//! some bar stands for is a button that marks it and lights its bars.

use super::results::Links;
use super::Dispatch;
use page::rooms::runs::{Runs, RunsAction};
use page::state::PageAction;
use std::rc::Rc;
use yew::prelude::*;

/// The pane of `program`, linked by `links` to the runs shown.
pub fn pane(program: AttrValue, links: &Links, runs: &Runs, dispatch: &Dispatch) -> Html {
    let marking = Marking {
        marked: runs.marked_line,
        linked: Rc::new(links.lines()),
        on_mark: dispatch.reform(|n| PageAction::Runs(RunsAction::MarkLine(Some(n)))),
    };
    html! {
        <>
            if !marking.linked.is_empty() {
                <p class="help">{ "Activate a bar of a timeline to mark its line here, or a line with a dot to light its bars." }</p>
            }
            <ProgramPane {program} {marking} />
        </>
    }
}

/// How the program shown is linked to the runs' timelines.
#[derive(Clone, Debug, PartialEq)]
pub struct Marking {
    /// The marked line (1-based): a bar that stands for it was activated, or the line itself.
    pub marked: Option<u32>,
    /// The lines some bar of the runs shown stands for, in order: each can be activated to
    /// light its bars.
    pub linked: Rc<Vec<u32>>,
    /// Marks a line.
    pub on_mark: Callback<u32>,
}

#[derive(Properties, PartialEq)]
pub struct PaneProps {
    /// The program.
    pub program: AttrValue,
    /// Its links to the runs' bars.
    pub marking: Marking,
}

/// The program, one element per line (numbered by the page's CSS: the text, what `innerText`
/// and Copy give, is the program alone). The marked line has `aria-current="true"` and is
/// scrolled into view inside the pane, never by scrolling the page; a line some bar stands
/// for is a button (a click, or Enter or Space) that marks it and lights its bars.
#[component]
pub fn ProgramPane(props: &PaneProps) -> Html {
    let pre = use_node_ref();
    // Whether the mark came from a line here (its bars are brought into view) or from a bar
    // (its line is).
    let from_line = use_mut_ref(|| false);
    {
        let (pre, from_line) = (pre.clone(), from_line.clone());
        use_effect_with(props.marking.marked, move |_| {
            if let Some(pre) = pre.cast::<web_sys::HtmlElement>() {
                super::show_line(&pre, ".line[aria-current]");
                if from_line.replace(false) {
                    show_lit_bar();
                } else {
                    beside_results(&pre);
                }
            }
        });
    }
    let Marking {
        marked,
        linked,
        on_mark,
    } = &props.marking;
    let activate = |n: u32| {
        let (click, key) = (on_mark.clone(), on_mark.clone());
        let (by_click, by_key) = (from_line.clone(), from_line.clone());
        (
            Callback::from(move |_: MouseEvent| {
                *by_click.borrow_mut() = true;
                click.emit(n);
            }),
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    *by_key.borrow_mut() = true;
                    key.emit(n);
                }
            }),
        )
    };
    html! {
        <pre ref={pre} class="code numbered" tabindex="0" aria-labelledby="python-title"><code>
            { for props.program.lines().enumerate().map(|(i, text)| {
                let n = i as u32 + 1;
                let current = (Some(n) == *marked).then_some("true");
                if linked.contains(&n) {
                    let (onclick, onkeydown) = activate(n);
                    html! {
                        <span class="line linked" data-n={n.to_string()} aria-current={current}
                            role="button" tabindex="0" {onclick} {onkeydown}
                            title={format!("Line {n}: light its bars on the timelines")}>{ text }</span>
                    }
                } else {
                    html! { <span class="line" data-n={n.to_string()} aria-current={current}>{ text }</span> }
                }
            }) }
        </code></pre>
    }
}

/// On a wide screen, scrolls the results' pane (not the page) to the first lit bar when it is
/// out of the pane's view: a line activated here shows its bars beside it.
fn show_lit_bar() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let pane = document
        .query_selector(".lab-main")
        .ok()
        .flatten()
        .and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok());
    let bar = document
        .query_selector(".lab-main [data-bar].lit")
        .ok()
        .flatten();
    let (Some(pane), Some(bar)) = (pane, bar) else {
        return;
    };
    // Only where the pane scrolls on its own (a wide screen).
    if pane.scroll_height() <= pane.client_height() + 1 {
        return;
    }
    let (view, at) = (
        pane.get_bounding_client_rect(),
        bar.get_bounding_client_rect(),
    );
    if at.top() < view.top() || at.bottom() > view.bottom() {
        let to = f64::from(pane.scroll_top()) + at.top() - view.top() - view.height() / 3.0;
        pane.set_scroll_top(to.max(0.0) as i32);
    }
}

/// On a wide screen, where the results stay in a pane of their own, brings the marked line of
/// `pre` into the middle of the window when it is out of view: the page moves, the timeline
/// beside it does not. A phone's page is one column, so it stays where the learner is.
fn beside_results(pre: &web_sys::HtmlElement) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let wide = window
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w >= 960.0);
    let Some(line) = pre.query_selector(".line[aria-current]").ok().flatten() else {
        return;
    };
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let rect = line.get_bounding_client_rect();
    // Under the responsiveness bar, or below the window.
    if wide && (rect.top() < 48.0 || rect.bottom() > height) {
        window.scroll_by_with_x_and_y(0.0, rect.top() - height / 2.0);
    }
}
