//! The root component: owns the page's state, hands the effects its actions return to the
//! edge ([`super::edge::Edge`]) after each render, and picks the view of the open room.

#[cfg(feature = "compare")]
use super::compare;
use super::edge::Edge;
use super::home;
#[cfg(feature = "workload")]
use super::lab;
#[cfg(feature = "cases")]
use super::pitfalls;
#[cfg(feature = "stepper")]
use super::stepper;
use super::vitals_view::Vitals;
use super::Dispatch;
use crate::{clock, embed};
use page::effect::Effect;
use page::message::HostCommand;
// The workers build the library with no kind of lab page, and so with no room to draw.
#[cfg(any(
    feature = "workload",
    feature = "compare",
    feature = "stepper",
    feature = "cases"
))]
use page::rooms::Room;
use page::state::{PageAction, PageModel};
use page::url_state::{Theme, UrlState};
use sim::cpu::Calibration;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The page's state as a Yew reducer; the effects each action returns wait in `outbox` until
/// the render that shows it is done.
#[derive(Clone, Debug)]
pub struct Page {
    /// The page's state.
    pub model: PageModel,
    outbox: Rc<RefCell<Vec<Effect>>>,
}

impl PartialEq for Page {
    fn eq(&self, other: &Self) -> bool {
        self.model == other.model
    }
}

impl Reducible for Page {
    type Action = PageAction;
    fn reduce(self: Rc<Self>, action: PageAction) -> Rc<Self> {
        let (model, effects) = self.model.clone().update(action);
        self.outbox.borrow_mut().extend(effects);
        Rc::new(Page {
            model,
            outbox: self.outbox.clone(),
        })
    }
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The page's address without its query: where links point.
fn page_address() -> String {
    location()
        .map(|l| {
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// The page as its URL opens it, with what the edge must do first.
fn opened() -> Page {
    let search = location().and_then(|l| l.search().ok()).unwrap_or_default();
    let url = UrlState::parse(&search);
    // Labs with CPU jobs size them by how fast this page computes: measured after the first
    // paint (Effect::Calibrate), until then the default.
    let calibration = Calibration {
        cores: clock::cores(),
        ..Calibration::default()
    };
    let (model, effects) = PageModel::start(url, page_address(), calibration, true);
    Page {
        model,
        outbox: Rc::new(RefCell::new(effects)),
    }
}

#[component]
pub fn App() -> Html {
    let page = use_reducer(opened);
    let model = &page.model;
    let dispatcher = page.dispatcher();
    let dispatch: Dispatch = Callback::from(move |action| dispatcher.dispatch(action));
    let edge = use_mut_ref(Edge::default);
    let root = use_node_ref();

    // After every render: what the actions behind it asked of the edge, in order.
    {
        let page = page.clone();
        let dispatch = dispatch.clone();
        use_effect(move || {
            let effects = std::mem::take(&mut *page.outbox.borrow_mut());
            for effect in effects {
                edge.borrow_mut().perform(effect, &page.model, &dispatch);
            }
        });
    }

    // Once: the runs' code, the host page's commands, and height reports when framed.
    {
        let dispatch = dispatch.clone();
        let root = root.clone();
        let embedded = model.url.embed;
        use_effect_with((), move |_| {
            // The runs' code, fetched now that the page has painted: Run finds it here.
            #[cfg(feature = "runs")]
            super::runs_room::with(&dispatch, |_| {});
            let commands = embed::listen_to_parent(move |command| {
                dispatch.emit(match command {
                    HostCommand::Run => PageAction::RequestRun,
                    HostCommand::Stop => PageAction::Stop,
                })
            });
            let resize = if embedded || embed::is_framed() {
                root.cast::<web_sys::Element>()
                    .and_then(|el| embed::report_height(&el))
            } else {
                None
            };
            move || {
                drop(commands);
                drop(resize);
            }
        });
    }

    let body = match (model.url.lab, &model.room) {
        #[cfg(feature = "workload")]
        (Some(lab), Room::Workload(runs)) => {
            lab::view(model, lab, runs, &dispatch, stop(&dispatch))
        }
        #[cfg(feature = "compare")]
        (Some(lab), Room::Compare(runs)) => {
            compare::view(model, lab, runs, &dispatch, stop(&dispatch))
        }
        #[cfg(feature = "stepper")]
        (Some(lab), Room::Stepper(room)) => stepper::view(model, lab, room, &dispatch),
        #[cfg(feature = "cases")]
        (Some(lab), Room::Cases(runs)) => pitfalls::view(model, lab, runs, &dispatch),
        _ => home::view(model),
    };
    let embedded = model.url.embed;
    // A page with a Run button (Run all on compare) starts with a link to it.
    let has_run = model
        .url
        .lab
        .is_some_and(|lab| lab.body != labs::LabBody::Cases);
    html! {
        <div class={classes!("app", embedded.then_some("embedded"))} ref={root}>
            if has_run {
                <a class="skip-link" href="#run" onclick={Callback::from(skip_to_run)}>{ "Skip to Run" }</a>
            }
            if !embedded {
                <header class="banner">
                    <a class="brand" href="?">{ "All labs" }</a>
                    <span class="brand-name">{ "Async Playground" }</span>
                    { theme_select(model.url.theme, &dispatch) }
                </header>
            }
            <main id="main">
                <Vitals />
                { body }
            </main>
        </div>
    }
}

/// "Skip to Run": focuses the page's Run button (a fragment link alone would only scroll).
fn skip_to_run(e: MouseEvent) {
    if super::bring_into_view("run") {
        e.prevent_default();
    }
}

fn theme_select(theme: Option<Theme>, dispatch: &Dispatch) -> Html {
    let onchange = dispatch.reform(|e: Event| {
        let value = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        PageAction::SetTheme(match value.as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        })
    });
    let current = theme.map(Theme::id).unwrap_or("system");
    html! {
        <label class="theme">
            { "Theme" }
            <select {onchange}>
                { for [("system", "System"), ("light", "Light"), ("dark", "Dark")].into_iter().map(|(value, label)| html! {
                    <option {value} selected={value == current}>{ label }</option>
                }) }
            </select>
        </label>
    }
}

/// The Stop button's callback.
#[cfg(any(feature = "workload", feature = "compare"))]
fn stop(dispatch: &Dispatch) -> Callback<MouseEvent> {
    dispatch.reform(|_| PageAction::Stop)
}
