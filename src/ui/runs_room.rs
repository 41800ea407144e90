//! The runs' room: everything a run needs and a first paint does not (the run driver, the
//! executors, the workers, export, import and Perfetto, and the results' cards and timelines)
//! is a module of its own, cut from the page's module at build time (`xtask/src/modules.rs`
//! splits the linked wasm at [`open`]) and fetched once the page has painted, or when a run
//! asks for it first.
//!
//! The page reaches that code only through a [`RunsRoom`], a table of functions [`open`]
//! returns: until it has arrived the page shows and edits everything, and an effect that
//! needs the room waits for it ([`with`]), in the order the effects came. If the room cannot
//! be fetched (offline, blocked), a run ends failed with a message that says so; Run tries
//! again.

use super::results::Links;
use super::Dispatch;
use crate::run::RunControl;
use page::effect::Effect;
use page::rooms::runs::Runs;
use page::state::PageModel;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_split_helpers::SplitLoaderError;
use yew::prelude::*;

/// The functions of the runs' module, for the page.
#[derive(Clone, Copy)]
pub struct RunsRoom {
    /// Performs one of the runs' effects (`Effect::needs_runs`); Stop aborts through the
    /// control.
    pub perform: fn(Effect, &PageModel, &Dispatch, &RefCell<Rc<RunControl>>),
    /// Once, when the room arrives: it follows the pool's workers and imports a file handed
    /// over by a page of another kind.
    pub opened: fn(&Dispatch),
    /// A lab's Results region, its timelines linked to the program shown.
    pub results: fn(&PageModel, &Runs, &Links, &Dispatch) -> Html,
    /// What links the runs' timelines to the program shown.
    pub links: fn(&PageModel, &Runs, &str) -> Links,
    /// The program shown, its lines linked to the runs' bars.
    pub program: fn(AttrValue, &Links, &Runs, &Dispatch) -> Html,
    /// Reads a chosen file (`Import`) and shows its runs.
    pub import: fn(web_sys::File, &Dispatch),
    /// The "Share and embed" region, the last of the page.
    pub share: fn(&PageModel, &'static labs::LabSpec, &Dispatch) -> Html,
    /// The compare table's chart.
    #[cfg(feature = "compare")]
    pub compare_chart: fn(&PageModel, &Runs, &[labs::compare::Row], usize, bool) -> Html,
}

/// Where the room is.
enum Arrival {
    /// Not asked for yet, or the last attempt failed.
    NotAsked,
    /// On its way; these wait for it, in order.
    Coming(Vec<Waiting>),
    /// Here.
    Here(RunsRoom),
}

/// What waits for the room: called with it, or with `None` if it could not be fetched.
type Waiting = Box<dyn FnOnce(Option<RunsRoom>)>;

thread_local! {
    static ARRIVAL: RefCell<Arrival> = const { RefCell::new(Arrival::NotAsked) };
}

/// The room, if it has arrived.
pub fn here() -> Option<RunsRoom> {
    ARRIVAL.with(|a| match &*a.borrow() {
        Arrival::Here(room) => Some(*room),
        _ => None,
    })
}

/// Calls `then` with the room: now if it is here, else once it has arrived (or with `None` if
/// it could not be fetched). The first arrival also calls the room's `opened` with `dispatch`.
pub fn with(dispatch: &Dispatch, then: impl FnOnce(Option<RunsRoom>) + 'static) {
    let fetch = ARRIVAL.with(|a| {
        let mut arrival = a.borrow_mut();
        match &mut *arrival {
            Arrival::Here(room) => {
                let room = *room;
                drop(arrival);
                then(Some(room));
                false
            }
            Arrival::Coming(waiting) => {
                waiting.push(Box::new(then));
                false
            }
            Arrival::NotAsked => {
                *arrival = Arrival::Coming(vec![Box::new(then)]);
                true
            }
        }
    });
    if fetch {
        let dispatch = dispatch.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let room = open().await.ok();
            let waiting = ARRIVAL.with(|a| {
                let next = match room {
                    Some(room) => Arrival::Here(room),
                    None => Arrival::NotAsked,
                };
                match std::mem::replace(&mut *a.borrow_mut(), next) {
                    Arrival::Coming(waiting) => waiting,
                    _ => Vec::new(),
                }
            });
            if let Some(room) = room {
                (room.opened)(&dispatch);
                dispatch.emit(page::state::PageAction::RunsReady);
            }
            for then in waiting {
                then(room);
            }
        });
    }
}

/// What links the runs' timelines to the shown `program` (nothing until the room is here: no
/// run has been drawn).
pub fn links(model: &PageModel, runs: &Runs, program: &str) -> Links {
    here().map_or_else(Links::default, |room| (room.links)(model, runs, program))
}

/// The program shown: the room's pane, linked to the runs' bars, or until it is here, its
/// lines alone.
pub fn program(program: AttrValue, links: &Links, runs: &Runs, dispatch: &Dispatch) -> Html {
    match here() {
        Some(room) => (room.program)(program, links, runs, dispatch),
        None => super::code::plain(&program),
    }
}

/// A lab's Results region: the room's, or until it is here, what can be said without it.
pub fn results(model: &PageModel, runs: &Runs, links: &Links, dispatch: &Dispatch) -> Html {
    if let Some(room) = here() {
        return (room.results)(model, runs, links, dispatch);
    }
    let run = &runs.run;
    let failed = run.traces.iter().find_map(|t| t.error.as_deref());
    html! {
        <section class="results" aria-label="Results">
            <h2>{ "Results" }</h2>
            if let Some(error) = failed {
                <p class="error" role="alert">{ error }</p>
            } else if run.is_running() {
                <p class="hint" role="status">{ "Fetching the page's code for runs\u{2026}" }</p>
            } else {
                <p class="hint">{ super::results::PRESS_RUN }</p>
            }
        </section>
    }
}

/// The split point: the build cuts what only this function reaches into the runs' module,
/// fetched by the first call.
#[wasm_split_helpers::wasm_split(runs, fallible)]
fn open() -> Result<RunsRoom, SplitLoaderError> {
    Ok(RunsRoom {
        perform: super::run_effects::perform,
        opened: super::run_effects::opened,
        results: super::results::view,
        links: super::results::links,
        program: super::program_pane::pane,
        import: super::files::import_chosen,
        share: super::share::of_page,
        #[cfg(feature = "compare")]
        compare_chart: super::compare_chart::chart,
    })
}
