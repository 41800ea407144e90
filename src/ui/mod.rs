//! The page's views. Each renders from the [`page::state::PageModel`] and sends
//! [`page::state::PageAction`]s; none changes state directly.

pub mod app;
pub mod code;
#[cfg(feature = "compare")]
pub mod compare;
#[cfg(feature = "compare")]
pub mod compare_chart;
pub mod density;
pub mod edge;
#[cfg(feature = "runs")]
pub mod file_controls;
#[cfg(feature = "runs")]
pub mod files;
pub mod frame;
pub mod home;
#[cfg(feature = "runs")]
pub mod lab;
pub mod notes;
#[cfg(feature = "runs")]
pub mod output;
pub mod params_form;
#[cfg(feature = "cases")]
pub mod pitfalls;
#[cfg(feature = "runs")]
pub mod program_pane;
#[cfg(feature = "runs")]
pub mod results;
#[cfg(feature = "runs")]
pub mod run_effects;
#[cfg(feature = "runs")]
pub mod runs_room;
pub mod share;
#[cfg(feature = "stepper")]
pub mod stepper;
#[cfg(feature = "stepper")]
pub mod stepper_code;
#[cfg(feature = "stepper")]
pub mod stepper_results;
pub mod timeline;
pub mod timeline_keys;
pub mod vitals_view;

use page::state::PageAction;
use sim::trace::Trace;
use std::rc::Rc;

/// Scrolls the element with `id` into view and focuses it; whether there is one.
pub fn bring_into_view(id: &str) -> bool {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
    if let Some(element) = &element {
        element.scroll_into_view();
        let _ = element.focus();
    }
    element.is_some()
}

/// Scrolls a program's pane `pre` (not the page) so its line that matches `selector` sits near
/// the pane's middle, when it is out of the pane's middle three fifths.
pub fn show_line(pre: &web_sys::HtmlElement, selector: &str) {
    let Some(line) = pre
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|l| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(l).ok())
    else {
        return;
    };
    let height = f64::from(pre.client_height());
    let top = f64::from(line.offset_top());
    let bottom = top + f64::from(line.offset_height());
    let shown = f64::from(pre.scroll_top());
    if top < shown + height * 0.2 || bottom > shown + height * 0.8 {
        let centred = top - (height - f64::from(line.offset_height())) / 2.0;
        pre.set_scroll_top(centred.max(0.0) as i32);
    }
}

/// Sends page actions: the one way a view changes anything.
pub type Dispatch = yew::Callback<PageAction>;

/// The traces of a run, compared by identity so views skip re-rendering unchanged results.
#[derive(Clone, Debug, Default)]
pub struct Traces(pub Vec<Rc<Trace>>);

impl PartialEq for Traces {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}
