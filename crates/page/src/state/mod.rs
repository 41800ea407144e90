//! The whole page's state, changed only by [`PageAction`]s: the URL state, the page's frame
//! (notices, fields, the network, the notes, the pool) and the room of the open kind of lab
//! page ([`Room`]), to which the actions of that kind are routed. [`PageModel::update`]
//! returns, beside the new state, the [`Effect`]s the browser edge must perform.

mod embed;
mod fields;
mod follow;
mod imported;

use crate::effect::Effect;
use crate::export::Items;
use crate::message::ResultMessage;
use crate::rooms::cases::CasesAction;
use crate::rooms::runs::{Runs, RunsAction};
use crate::rooms::stepper::StepperRoom;
use crate::rooms::{compare, push_notice, workload, Room};
use crate::url_state::{Theme, UrlState};
use labs::compare::Row;
use labs::params::{keys, ParamValues};
use labs::plan::machine_of;
use labs::{LabBody, LabSpec};
use sim::cpu::Calibration;
use sim::executors::ExecutorId;
use sim::generators::StepperAction;
use sim::model::Machine;
use sim::workload::Workload;

/// What the page says when a lab's requests have nowhere to go.
pub const NO_ENDPOINT: &str = "This page has no latency endpoint: no server answers api/delay \
    here and the browser offers no service worker (a page served over plain http from another \
    machine). Give your own url, or open the page from `cargo xtask serve`.";

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct PageModel {
    /// What the URL holds (and will hold: edits are written back).
    pub url: UrlState,
    /// Form fields whose last edit was refused: (key, why).
    pub field_errors: Vec<(&'static str, String)>,
    /// What the user last typed in each field: (key, text).
    pub field_texts: Vec<(&'static str, String)>,
    /// Notices for the status region: the URL's, then the page's own.
    pub notices: Vec<String>,
    /// How fast CPU jobs run on this page (measured when it loads).
    pub calibration: Calibration,
    /// Where the lab's requests find the latency endpoint.
    pub network: Network,
    /// Run was asked for while the page was still looking for its latency endpoint.
    run_when_network_found: bool,
    /// The page is measuring how fast this machine computes (after its first paint): CPU jobs
    /// are sized once it knows, so a Run asked for meanwhile starts then.
    pub calibrating: bool,
    /// Run was asked for while the page was still measuring the machine.
    run_when_calibrated: bool,
    /// The page's address without its query, where its links point (read when it loads).
    pub address: String,
    /// How many of the pool's workers are alive (reported by the page whenever it starts or
    /// ends one): kept warm between runs.
    pub pool_alive: u32,
    /// The form's "Advanced settings" open when the page opens: its link sets one of them away
    /// from its default, or to a value refused. Read once, so the fold never closes under a
    /// learner's edit.
    pub advanced_open: bool,
    /// The lab's prose (`notes/<lab>.txt`), read once the page is up.
    pub notes: labs::notes::NotesState,
    /// The open kind of lab page, with its own state.
    pub room: Room,
    /// What the embed snippet's controls chose.
    pub embed: crate::embed_snippet::EmbedOptions,
    /// The runs' code (fetched after the first paint) is here: what only it draws can show.
    pub runs_ready: bool,
}

/// Where the latency endpoint (`api/delay`) is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// The lab makes no requests.
    NotNeeded,
    /// The page is still looking.
    Looking,
    /// Our server answers, over the real network.
    Server,
    /// The page's service worker answers, without touching the network (a static host).
    Simulated,
    /// Nothing answers: only a `url` of the user's own can be fetched.
    Unavailable,
}

impl Network {
    /// The public name (`server`), as in the page's `data-network`.
    pub fn id(self) -> &'static str {
        match self {
            Network::NotNeeded => "none",
            Network::Looking => "looking",
            Network::Server => "server",
            Network::Simulated => "simulated",
            Network::Unavailable => "unavailable",
        }
    }
}

/// What can happen on the page: the frame's own actions, Run and Stop (which every kind of
/// page takes as its own), and each room's actions.
#[derive(Clone, Debug, PartialEq)]
pub enum PageAction {
    /// The theme select changed.
    SetTheme(Option<Theme>),
    /// A parameter field changed to `raw`: while typing (`commit: false`) only a valid value
    /// is taken; a committed edit (`commit: true`) also reports why an invalid one is refused.
    SetParam {
        /// The URL key.
        key: String,
        /// What the field holds.
        raw: String,
        /// Whether the edit is done (change, not input).
        commit: bool,
    },
    /// Run was pressed (or asked for by `run=1` or the host page).
    RequestRun,
    /// Stop was pressed (or asked for by the host page): ends the run, or declines a long
    /// run waiting to be confirmed.
    Stop,
    /// Something the user should read in the status region.
    Notice(String),
    /// The page found (or did not find) its latency endpoint.
    NetworkFound(Network),
    /// The page measured how fast this machine computes.
    Calibrated(Calibration),
    /// The lab's notes file arrived (its text), or could not be fetched (why).
    NotesArrived(Result<String, String>),
    /// The pool now has this many live workers.
    PoolAlive(u32),
    /// "Discard warm pool" was pressed: the next pool run starts cold.
    DiscardPool,
    /// A file chosen with `Import` (or, `linked`, `import=`'s path), named `name`, was read:
    /// its runs, checked, or why it was refused (in words that follow "The file <name> ").
    Imported {
        /// The file's name (or the link's path).
        name: String,
        /// Whether it is `import=`'s file.
        linked: bool,
        /// Its runs, or why it was refused.
        file: Result<Box<crate::export::Imported>, String>,
    },
    /// An action of a page that runs plans (the workload labs, compare).
    Runs(RunsAction),
    /// Step, Run, Stop, Reset, the speed and the frames of the generators lab.
    Stepper(StepperAction),
    /// A live run of the pitfalls lab.
    Cases(CasesAction),
    /// A control of the embed snippet changed.
    Embed(crate::embed_snippet::EmbedChange),
    /// The runs' code arrived.
    RunsReady,
}

impl PageModel {
    /// The page as the URL describes it.
    pub fn new(url: UrlState) -> Self {
        let notices = url.notices.clone();
        // Labs that make requests look for the latency endpoint when the page loads (compare
        // runs the request labs' rows).
        let network = if url.lab.is_some_and(|l| l.param(keys::NETWORK).is_some()) {
            Network::Looking
        } else {
            Network::NotNeeded
        };
        // Open where the link set an advanced setting away from its default, or gave one a
        // value the page refused (its notice starts with the key, "url: ...").
        let advanced_open = url.lab.is_some_and(|lab| {
            let defaults = lab.default_values();
            lab.params
                .iter()
                .filter(|spec| spec.advanced())
                .any(|spec| {
                    url.values.get(spec.key) != defaults.get(spec.key)
                        || url.notices.iter().any(|n| {
                            n.strip_prefix(spec.key)
                                .is_some_and(|rest| rest.starts_with(':'))
                        })
                })
        });
        PageModel {
            room: Room::open(&url),
            advanced_open,
            url,
            field_errors: Vec::new(),
            field_texts: Vec::new(),
            notices,
            calibration: Calibration::default(),
            network,
            run_when_network_found: false,
            calibrating: false,
            run_when_calibrated: false,
            address: String::new(),
            pool_alive: 0,
            notes: Default::default(),
            embed: Default::default(),
            runs_ready: false,
        }
    }

    /// The same page at `address` (its URL without the query): where its links point.
    pub fn with_address(mut self, address: String) -> Self {
        self.address = address;
        self
    }

    /// The same page with CPU jobs sized by `calibration`.
    pub fn with_calibration(mut self, calibration: Calibration) -> Self {
        self.calibration = calibration;
        self
    }

    /// Applies one action; returns the new state and what the edge must do.
    pub fn update(self, action: PageAction) -> (PageModel, Vec<Effect>) {
        let before = self.watched();
        let mut effects = Vec::new();
        let mut next = self.applied(action, &mut effects);
        if let Some(runs) = next.room.runs_mut() {
            // A run that starts ends the showing of an imported file, and the link's `import=`.
            if runs.run.is_running() {
                runs.imported = None;
                next.url.import = None;
            }
        }
        next.follow(before, &mut effects);
        (next, effects)
    }

    /// Applies one action; returns the new state (what the edge must do is dropped).
    pub fn apply(self, action: PageAction) -> PageModel {
        self.update(action).0
    }

    fn applied(mut self, action: PageAction, effects: &mut Vec<Effect>) -> PageModel {
        match action {
            PageAction::SetTheme(theme) => self.url.theme = theme,
            PageAction::Embed(change) => self.embed = self.embed.clone().changed(change),
            PageAction::RunsReady => self.runs_ready = true,
            PageAction::SetParam { key, raw, commit } => {
                let network = self.url.values.choice(keys::NETWORK);
                self.set_param(&key, &raw, commit);
                if self.url.values.choice(keys::NETWORK) != network
                    && self.network != Network::NotNeeded
                {
                    // The page looks again, where the learner now wants its requests to go.
                    self.network = Network::Looking;
                }
                if let Room::Stepper(room) = self.room {
                    self.room = Room::Stepper(room.reprogrammed(&self.url.values));
                }
            }
            PageAction::NotesArrived(text) => {
                self.notes = labs::notes::NotesState::arrived(text);
            }
            PageAction::NetworkFound(network) => {
                self.network = network;
                self.calibration.simulated_network = network == Network::Simulated;
                if std::mem::take(&mut self.run_when_network_found) {
                    return self.applied(PageAction::RequestRun, effects);
                }
            }
            PageAction::Calibrated(measured) => {
                self.calibration = Calibration {
                    simulated_network: self.calibration.simulated_network,
                    ..measured
                };
                self.calibrating = false;
                if std::mem::take(&mut self.run_when_calibrated) {
                    return self.applied(PageAction::RequestRun, effects);
                }
            }
            PageAction::RequestRun => return self.run_requested(effects),
            PageAction::Stop => match &mut self.room {
                // The stepper takes the page's Stop (and the host page's) as its own.
                Room::Stepper(_) => {
                    return self.applied(PageAction::Stepper(StepperAction::Stop), effects)
                }
                room => {
                    if let Some(runs) = room.runs_mut() {
                        runs.stop(effects);
                    }
                }
            },
            PageAction::PoolAlive(alive) => self.pool_alive = alive,
            PageAction::DiscardPool => {
                let running = self.room.runs().is_some_and(|r| r.run.is_running());
                if !running && self.pool_alive > 0 {
                    effects.push(Effect::DiscardPool);
                    self.notice(
                        "Pool discarded: the next pool run starts new workers (cold start).",
                    );
                }
            }
            PageAction::Imported { name, linked, file } => {
                let busy = self.room.runs().is_some_and(|r| r.run.is_busy());
                match file {
                    Ok(file) if !busy => return self.show_imported(&name, linked, *file),
                    refused => {
                        let why = refused.err().unwrap_or_else(|| {
                            "was not imported: a run is going (or waits for its answer)".into()
                        });
                        self.notice(&format!(
                            "The file {} {why}. Nothing on the page changed.",
                            crate::quote::shown(&name)
                        ));
                        if linked {
                            // The address no longer names a file the page does not show.
                            self.url.import = None;
                        }
                    }
                }
            }
            PageAction::Notice(text) => self.notice(&text),
            PageAction::Runs(action) => {
                if let (Some(lab), Some(runs)) = (self.url.lab, self.room.runs_mut()) {
                    runs.apply(action, lab, &mut self.url, &mut self.notices, effects);
                }
            }
            PageAction::Stepper(action) => {
                if let Room::Stepper(room) = self.room {
                    self.room = Room::Stepper(room.apply(action, &self.url.values));
                }
            }
            PageAction::Cases(action) => {
                if let Room::Cases(runs) = self.room {
                    self.room = Room::Cases(runs.apply(action));
                }
            }
        }
        self
    }

    /// Run: the stepper's own Run, or a plan of the open page's kind, once the page knows
    /// where its requests go.
    fn run_requested(mut self, effects: &mut Vec<Effect>) -> PageModel {
        if let Room::Stepper(_) = self.room {
            return self.applied(PageAction::Stepper(StepperAction::Run), effects);
        }
        let (Some(lab), Some(runs)) = (self.url.lab, self.room.runs()) else {
            return self;
        };
        if runs.run.is_busy() {
            return self;
        }
        if self.calibrating {
            self.run_when_calibrated = true;
            return self;
        }
        let own_url = !self.url.values.text(keys::URL).is_empty();
        match self.network {
            Network::Looking => {
                self.run_when_network_found = true;
                return self;
            }
            Network::Unavailable if !own_url => {
                self.notice(NO_ENDPOINT);
                return self;
            }
            _ => {}
        }
        match &mut self.room {
            Room::Compare(runs) => compare::request_run(runs, lab, &self.url, &self.calibration),
            Room::Workload(runs) => {
                workload::request_run(runs, lab, &self.url, &self.calibration, &mut self.notices)
            }
            _ => {}
        }
        self
    }

    /// The runs of the open page, if it runs plans.
    pub fn runs(&self) -> Option<&Runs> {
        self.room.runs()
    }

    /// Whether the page is the compare lab.
    pub fn is_compare(&self) -> bool {
        matches!(self.room, Room::Compare(_))
    }

    /// The lab, if it is a workload lab.
    pub fn ready_lab(&self) -> Option<&'static LabSpec> {
        self.url.lab.filter(|l| l.body == LabBody::Workload)
    }

    /// The parameters with every `auto` replaced by what the calibration picks.
    pub fn resolved_values(&self) -> ParamValues {
        match self.url.lab {
            Some(lab) => self.url.values.resolved(lab.params, &self.calibration),
            None => self.url.values.clone(),
        }
    }

    /// The machine the parameters describe: pool size, cores, the GIL's settings.
    pub fn machine(&self) -> Machine {
        machine_of(&self.resolved_values(), &self.calibration)
    }

    /// The machine of the current (or last) run.
    pub fn run_machine(&self) -> Machine {
        match self.runs().and_then(|r| r.run_values.as_ref()) {
            Some(values) => machine_of(values, &self.calibration),
            None => self.machine(),
        }
    }

    /// The workload the current parameters describe (a workload lab).
    pub fn workload(&self) -> Option<Workload> {
        self.ready_lab()
            .map(|lab| lab.build(&self.url.values, &self.calibration))
    }

    /// The workload of the current (or last) run (a workload lab).
    pub fn run_workload(&self) -> Option<Workload> {
        let values = self.runs()?.run_values.as_ref()?;
        Some(self.ready_lab()?.build(values, &self.calibration))
    }

    /// Each chosen executor that can take the workload, with its projected wall time, ms.
    pub fn projection(&self) -> Vec<(ExecutorId, f64)> {
        match self.ready_lab() {
            Some(lab) => workload::projection(lab, &self.url, &self.calibration),
            None => Vec::new(),
        }
    }

    /// The compare table's rows as the parameters describe them (none on another lab).
    pub fn compare_rows(&self) -> Vec<Row> {
        match (self.url.lab, &self.room) {
            (Some(lab), Room::Compare(_)) => compare::rows(lab, &self.url, &self.calibration),
            _ => Vec::new(),
        }
    }

    /// The rows of the current (or last) compare run, from its plan, and its runs per row.
    pub fn compare_run_rows(&self) -> (Vec<Row>, usize) {
        match &self.room {
            Room::Compare(runs) => compare::run_rows(runs, &self.calibration),
            _ => (Vec::new(), 1),
        }
    }

    /// The result message of each row of the compare run that has ended so far.
    pub fn compare_messages(&self) -> Vec<ResultMessage> {
        match &self.room {
            Room::Compare(runs) => compare::messages(runs, &self.url, &self.calibration),
            _ => Vec::new(),
        }
    }

    /// The result message of the workload lab's run that just ended, if one did.
    pub fn result_message(&self) -> Option<ResultMessage> {
        match (&self.room, self.ready_lab()) {
            (Room::Workload(runs), Some(lab)) => {
                workload::result_message(runs, lab, &self.url, &self.calibration)
            }
            _ => None,
        }
    }

    /// The result message of the stepper's last ended run, if one ended.
    pub fn stepper_result_message(&self) -> Option<ResultMessage> {
        match &self.room {
            Room::Stepper(room) => room.result_message(self.url.id.clone()),
            _ => None,
        }
    }

    /// The generators lab's room, if it is open.
    pub fn stepper(&self) -> Option<&StepperRoom> {
        match &self.room {
            Room::Stepper(room) => Some(room),
            _ => None,
        }
    }

    /// Whether the runs shown can be written as a file (see [`Runs::can_export`]).
    pub fn can_export(&self) -> bool {
        self.runs().is_some_and(Runs::can_export)
    }

    /// The runs shown (ended ones) with their items, for `Export JSON` and `Export CSV`: the
    /// lab, its parameters, and each item beside its trace.
    pub fn export_items(&self) -> Option<(&'static LabSpec, &ParamValues, Items<'_>)> {
        let lab = self.url.lab?;
        let (values, items) = self.runs()?.export_items(lab, &self.url)?;
        Some((lab, values, items))
    }

    /// The learner's guess of `executor` (by id), ms; on compare, of the row of `lab`.
    pub fn prediction_for(&self, lab: Option<&str>, executor: &str) -> Option<f64> {
        crate::predict::guess_of(&self.url.predictions, lab, executor)
    }

    /// Whether the model's figures are hidden: a guess is asked for and no run has ended since.
    pub fn model_hidden(&self) -> bool {
        self.runs().is_some_and(|runs| runs.model_hidden(&self.url))
    }

    /// The query of the link to share: every parameter, no embed, optionally run on open.
    pub fn share_query(&self, run_on_open: bool) -> String {
        let mut url = self.url.clone();
        url.embed = false;
        url.run = run_on_open;
        url.to_query()
    }

    /// The query the address bar shows while the page is used: like the share link, but it
    /// keeps embed mode.
    pub fn live_query(&self) -> String {
        let mut url = self.url.clone();
        url.run = false;
        url.to_query()
    }

    /// Adds a notice, unless it is the one just shown.
    fn notice(&mut self, text: &str) {
        push_notice(&mut self.notices, text);
    }
}

#[cfg(test)]
mod stepper_tests {
    use super::*;
    use crate::rooms::cases::CasesAction;
    use labs::params::ParamValue;
    use sim::generators::Mode;
    use sim::trace::RunStatus;

    fn page(query: &str) -> PageModel {
        PageModel::new(UrlState::parse(query))
    }

    #[test]
    fn run_and_stop_reach_the_stepper_and_a_stopped_run_sends_one_message() {
        let p =
            page("lab=generators&solution=2&seconds=0.5&id=lesson").apply(PageAction::RequestRun);
        assert_eq!(p.stepper().map(|r| r.stepper.mode()), Some(Mode::Running));
        let p = p
            .apply(PageAction::Stepper(StepperAction::Frame {
                now_ms: 100.0,
                budget: 10,
                ms_per_next: 0.001,
            }))
            .apply(PageAction::Stop);
        let msg = p.stepper_result_message().unwrap();
        assert_eq!(msg.lab, "generators");
        assert_eq!(msg.id.as_deref(), Some("lesson"));
        assert_eq!(msg.executors[0].name, "generator-loop");
        assert_eq!(msg.executors[0].status, RunStatus::Stopped.id());
        assert_eq!(msg.executors[0].expected_ms, 500.0);
        assert_eq!(msg.params.0.get("solution"), Some(&ParamValue::Choice("2")));
        assert!(p.result_message().is_none());
    }

    #[test]
    fn editing_a_parameter_reprograms_the_stepper() {
        let p = page("lab=generators").apply(PageAction::SetParam {
            key: "solution".into(),
            raw: "3".into(),
            commit: true,
        });
        let stepper = p.stepper().map(|r| &r.stepper).unwrap();
        assert_eq!(
            stepper.scheduler().solution(),
            sim::generators::Solution::YieldAsleep
        );
        assert!(p.live_query().contains("solution=3"));
        assert!(page("lab=hello").stepper().is_none());
    }

    #[test]
    fn the_pitfalls_live_runs_are_kept_by_the_page() {
        let p = page("lab=pitfalls")
            .apply(PageAction::Cases(CasesAction::RunForgottenAwait))
            .apply(PageAction::Cases(CasesAction::Blocked { held_ms: 1000.0 }));
        let Room::Cases(runs) = p.room else {
            panic!("the pitfalls page's own room")
        };
        assert_eq!(runs.blocked_ms, Some(1000.0));
        let run = runs.forgotten_await.unwrap();
        assert!(run.without_await.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::FileFormat;
    use crate::run_state::{Phase, RunEvent};
    use labs::params::ParamValue;
    use sim::trace::{RunStatus, TraceRecorder};

    fn page(query: &str) -> PageModel {
        PageModel::new(UrlState::parse(query))
    }

    /// Whether Export (in `format`) asks the page to write a file.
    fn exports(p: &PageModel, format: FileFormat) -> bool {
        let (_, effects) = p
            .clone()
            .update(PageAction::Runs(RunsAction::Export { format }));
        effects.contains(&Effect::Export { format })
    }

    #[test]
    fn export_trace_and_open_in_perfetto_ask_the_page_once_a_run_has_ended() {
        let p = page("lab=hello&tasks=1&seconds=0.01&executors=event-loop");
        assert!(!exports(&p, FileFormat::Trace));
        let ran = ended(p.update(PageAction::RequestRun).0, &[10.0]);
        assert!(exports(&ran, FileFormat::Trace));
        let (_, effects) = ran.update(PageAction::Runs(RunsAction::OpenInPerfetto));
        assert!(effects.contains(&Effect::OpenInPerfetto));
    }

    /// Ends the run of `p` as its plan goes, each executor taking the next of `walls_ms`.
    fn ended(mut p: PageModel, walls_ms: &[f64]) -> PageModel {
        for ms in walls_ms {
            let item = &p.runs().unwrap().run.plan[p.runs().unwrap().run.current];
            let rec = TraceRecorder::new(item.executor, 2, vec![], 0.0);
            rec.task_ended(*ms, 0, 0);
            let trace = std::rc::Rc::new(rec.finish(*ms, RunStatus::Finished, None));
            let run_number = p.runs().unwrap().run.run_number;
            p = p.apply(PageAction::Runs(RunsAction::Run(RunEvent::ExecutorEnded {
                run_number,
                trace,
            })));
        }
        p
    }

    #[test]
    fn an_export_holds_the_runs_shown_as_the_file_worker_writes_them() {
        use crate::export::{self, pack, MachineInfo};
        let p = page(
            "lab=hello&tasks=2&seconds=0.3&executors=sequential,event-loop&predict=event-loop:0.4",
        )
        .apply(PageAction::RequestRun);
        assert!(
            p.export_items().is_none(),
            "nothing to export while it runs"
        );
        assert!(!exports(&p, FileFormat::Json));
        let p = ended(p, &[600.0, 300.0]);
        let sent = p.result_message().unwrap();
        assert!(exports(&p, FileFormat::Csv));

        // A long run asked for: nothing to export while it waits; declined, the last run and
        // its own values are what an export holds.
        let asked = p
            .clone()
            .apply(PageAction::SetParam {
                key: "tasks".into(),
                raw: "100000".into(),
                commit: true,
            })
            .apply(PageAction::RequestRun);
        assert_eq!(asked.runs().unwrap().run.phase, Phase::Confirming);
        assert!(asked.export_items().is_none());
        assert!(!exports(&asked, FileFormat::Json));
        for answer in [PageAction::Runs(RunsAction::Cancel), PageAction::Stop] {
            let declined = asked.clone().apply(answer);
            let (_, values, items) = declined.export_items().unwrap();
            assert_eq!(values.number("tasks"), 2.0);
            assert_eq!(items.len(), 2);
        }

        // What the page hands its file worker, and what the worker writes of it.
        let machine = MachineInfo {
            browser: "Chromium".into(),
            cores: 8,
        };
        let (lab, values, items) = p.export_items().unwrap();
        let bytes = pack::pack(lab, values, &machine, "0.1.0", &items);
        let runs = pack::unpack(&bytes).unwrap();
        let items = runs.item_refs();
        let text = export::to_json(&export::export(
            runs.lab.id,
            &runs.params,
            runs.machine.clone(),
            &runs.app_version,
            &items,
        ));
        let read = export::load(&text).unwrap();
        assert_eq!((read.lab.id, read.machine.cores), ("hello", 8));
        assert_eq!(read.params.number("seconds"), 0.3);
        let predicted: Vec<_> = read.items.iter().map(|(i, _)| i.predicted_ms).collect();
        assert_eq!(predicted, [None, Some(400.0)]);
        // The file's runs are the page's, figures and summaries included.
        for ((info, trace), live) in read.items.iter().zip(&p.runs().unwrap().run.traces) {
            assert_eq!(trace, &**live);
            assert_eq!(
                sim::summary::summarize(trace, info.expected_ms),
                sim::summary::summarize(live, info.expected_ms)
            );
        }
        let walls: Vec<_> = sent.executors.iter().map(|e| e.wall_ms).collect();
        assert_eq!(walls, [600.0, 300.0]);
        assert!(
            export::csv(&items).starts_with("run,lab,executor,task,step,kind,start_ms,end_ms\n")
        );
    }

    /// Run all on the compare page of `query`, every run ending after 100 ms.
    fn compare_ended(query: &str) -> PageModel {
        let p = page(query)
            .apply(PageAction::RequestRun)
            .apply(PageAction::NetworkFound(Network::Server));
        let walls = vec![100.0; p.runs().unwrap().run.plan.len()];
        ended(p, &walls)
    }

    /// The runs `p` shows, as Export JSON writes them and Import hands them back: written as
    /// JSON, then checked and packed as the files worker does it, and unpacked by the page.
    fn exported_file(p: &PageModel) -> Box<crate::export::Imported> {
        use crate::export::{self, pack, MachineInfo};
        let machine = MachineInfo {
            browser: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/156.0.0.0 Safari/537.36"
                .into(),
            cores: 8,
        };
        let (lab, values, items) = p.export_items().unwrap();
        let text = export::to_json(&export::export(lab.id, values, machine, "0.1.0", &items));
        let packed = export::load_packed(&text).unwrap();
        Box::new(pack::unpack(&packed).unwrap())
    }

    #[test]
    fn an_import_on_another_lab_shows_the_same_runs_marked_and_a_new_run_ends_the_showing() {
        let ran = ended(
            page("lab=hello&tasks=3&seconds=0.2&executors=sequential,event-loop&predict=event-loop:0.3")
                .apply(PageAction::RequestRun),
            &[600.0, 200.0],
        );
        let file = exported_file(&ran);
        let on_sleep = page("lab=sleep&theme=dark&embed=1").apply(PageAction::Notice("Hi.".into()));
        let before = on_sleep.runs().unwrap().run.run_number;
        let shown = on_sleep.apply(PageAction::Imported {
            name: "hello-run.json".into(),
            linked: false,
            file: Ok(file),
        });
        // The file's lab, parameters, executors and guesses; the page's theme and embedding.
        assert_eq!(shown.url.lab.unwrap().id, "hello");
        assert_eq!(shown.url.values, ran.url.values);
        assert_eq!(shown.url.executors, ran.url.executors);
        assert_eq!(shown.url.predictions, ran.url.predictions);
        assert_eq!(shown.url.theme, Some(Theme::Dark));
        assert!(shown.url.embed);
        assert_eq!(shown.notices, ["Hi."]);
        // Its runs as if just run: the same plan, traces and summaries, model figures shown.
        assert_eq!(
            shown.runs().unwrap().run.phase,
            Phase::Ended(RunStatus::Finished)
        );
        assert_eq!(shown.runs().unwrap().run.run_number, before + 1);
        assert_eq!(shown.runs().unwrap().run.plan, ran.runs().unwrap().run.plan);
        assert_eq!(
            shown.runs().unwrap().run.traces,
            ran.runs().unwrap().run.traces
        );
        assert_eq!(
            shown.runs().unwrap().run_values,
            ran.runs().unwrap().run_values
        );
        assert_eq!(
            crate::message::run_summaries(&shown.runs().unwrap().run, RunStatus::Finished, 3),
            crate::message::run_summaries(&ran.runs().unwrap().run, RunStatus::Finished, 3)
        );
        assert!(!shown.model_hidden());
        assert_eq!(
            shown.runs().unwrap().imported.as_deref(),
            Some(
                "Imported from \u{201c}hello-run.json\u{201d}: run on Chrome 156 with 8 cores. \
                 Nothing ran on this page."
            )
        );
        // Nothing ran here: no result message for the host page, and nothing to export again.
        assert!(shown.result_message().is_none());
        assert!(shown.export_items().is_none());
        // A run of the page's own ends the showing.
        let again = shown.apply(PageAction::RequestRun);
        assert!(again.runs().unwrap().run.is_running());
        assert!(again.runs().unwrap().imported.is_none());
        assert!(ended(again, &[600.0, 200.0]).result_message().is_some());
    }

    #[test]
    fn a_refused_file_or_one_that_arrives_during_a_run_changes_nothing_but_the_notices() {
        let ran = ended(
            page("lab=hello&executors=event-loop").apply(PageAction::RequestRun),
            &[300.0],
        );
        let file = exported_file(&ran);
        let p = page("lab=sleep&tasks=2");
        let refused = p.clone().apply(PageAction::Imported {
            name: "evil<b>.json".into(),
            linked: false,
            file: Err("is not an export of Async Playground: expected value".into()),
        });
        let mut expected = p.clone();
        expected.notices = vec![
            "The file \u{201c}evil<b>.json\u{201d} is not an export of Async Playground: \
             expected value. Nothing on the page changed."
                .into(),
        ];
        assert_eq!(refused, expected);

        let running = p.apply(PageAction::RequestRun);
        let late = running.clone().apply(PageAction::Imported {
            name: "hello-run.json".into(),
            linked: false,
            file: Ok(file),
        });
        assert_eq!(late.runs(), running.runs());
        assert_eq!(late.url, running.url);
        assert_eq!(
            late.notices.last().unwrap(),
            "The file \u{201c}hello-run.json\u{201d} was not imported: a run is going (or waits \
             for its answer). Nothing on the page changed."
        );
    }

    #[test]
    fn an_imported_compare_table_sends_no_row_messages() {
        let ran = compare_ended("lab=compare&scale=0.1");
        assert_eq!(ran.compare_messages().len(), 13);
        let shown = page("lab=hello").apply(PageAction::Imported {
            name: "table.json".into(),
            linked: false,
            file: Ok(exported_file(&ran)),
        });
        assert!(shown.is_compare());
        assert_eq!(
            shown.runs().unwrap().run.traces,
            ran.runs().unwrap().run.traces
        );
        assert_eq!(shown.compare_run_rows(), ran.compare_run_rows());
        assert!(shown.compare_messages().is_empty());
    }

    #[test]
    fn a_linked_import_keeps_its_address_until_a_run_of_its_own_and_export_goes_on() {
        let ran = ended(
            page("lab=hello&executors=event-loop").apply(PageAction::RequestRun),
            &[300.0],
        );
        assert!(exports(&ran, FileFormat::Json));
        let file = exported_file(&ran);
        let linked = page("lab=hello&import=runs/ref.json");
        assert_eq!(linked.url.import.as_deref(), Some("runs/ref.json"));
        // Refused, the address no longer names it.
        let refused = linked.clone().apply(PageAction::Imported {
            name: "runs/ref.json".into(),
            linked: true,
            file: Err("could not be read: the site answered 404 Not Found".into()),
        });
        assert_eq!(refused.url.import, None);
        // Shown, it stays (and a chosen file of the same name never puts it there).
        let shown = ran.clone().apply(PageAction::Imported {
            name: "runs/ref.json".into(),
            linked: true,
            file: Ok(file.clone()),
        });
        assert!(shown.live_query().ends_with("&import=runs%2Fref.json"));
        let chosen = ran.clone().apply(PageAction::Imported {
            name: "runs/ref.json".into(),
            linked: false,
            file: Ok(file),
        });
        assert_eq!(chosen.url.import, None);
        // A run of the page's own ends both; Export still writes a file afterwards.
        let again = ended(shown.apply(PageAction::RequestRun), &[300.0]);
        assert_eq!(
            (
                again.runs().unwrap().imported.as_deref(),
                again.url.import.as_deref()
            ),
            (None, None)
        );
        assert!(exports(&again, FileFormat::Csv));
    }

    #[test]
    fn an_imported_table_of_repeated_rows_keeps_one_guess_a_row_and_run_all_ends_the_showing() {
        let ran = compare_ended("lab=compare&scale=0.1&repeat=2&predict=sleep/event-loop:0.2");
        let shown = page("lab=compare&scale=0.1")
            .apply(PageAction::NetworkFound(Network::Server))
            .apply(PageAction::Imported {
                name: "table.json".into(),
                linked: false,
                file: Ok(exported_file(&ran)),
            });
        assert_eq!(shown.url.predictions, ran.url.predictions);
        assert_eq!(shown.url.predictions.len(), 1);
        // The same lab with the same network: where requests go is known already.
        assert_eq!(shown.network, Network::Server);
        let run_all = shown.apply(PageAction::RequestRun);
        assert!(run_all.runs().unwrap().run.is_running());
        assert_eq!(run_all.runs().unwrap().imported, None);
    }

    #[test]
    fn run_all_on_compare_runs_a_plan_of_its_rows_and_a_message_ends_each_row() {
        use sim::trace::{RunStatus, TraceRecorder};
        let p = page("lab=compare&scale=0.1&repeat=2").apply(PageAction::RequestRun);
        assert!(
            !p.runs().unwrap().run.is_running(),
            "the rows with requests wait for the network"
        );
        let p = p.apply(PageAction::NetworkFound(Network::Server));
        assert!(p.runs().unwrap().run.is_running(), "scale 0.1 never asks");
        let (rows, repeat) = p.compare_run_rows();
        assert_eq!((rows.len(), repeat), (13, 2));
        assert_eq!(p.runs().unwrap().run.plan.len(), 26);
        assert_eq!(p.runs().unwrap().run.plan[2].lab, "sleep");
        assert_eq!(p.runs().unwrap().run.plan[2].executor, ExecutorId::Threads);
        let end = |p: PageModel, ms: f64, status: RunStatus| {
            let item = &p.runs().unwrap().run.plan[p.runs().unwrap().run.current];
            let rec = TraceRecorder::new(item.executor, 1, vec![], 0.0);
            let trace = std::rc::Rc::new(rec.finish(ms, status, None));
            let run_number = p.runs().unwrap().run.run_number;
            p.apply(PageAction::Runs(RunsAction::Run(RunEvent::ExecutorEnded {
                run_number,
                trace,
            })))
        };
        let p = end(p, 120.0, RunStatus::Finished);
        assert!(
            p.compare_messages().is_empty(),
            "a row ends with its last run"
        );
        let p = end(p, 100.0, RunStatus::Finished);
        let messages = p.compare_messages();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].lab, "sleep");
        assert_eq!(messages[0].executors[0].name, "event-loop");
        assert_eq!(
            messages[0].executors[0].wall_ms, 100.0,
            "the median run of two"
        );
        // Stopped in the second row's first run: that row ends, stopped; no later row does.
        let p = end(p, 10.0, RunStatus::Stopped);
        let messages = p.compare_messages();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[1].executors[0].name, "threads");
        assert_eq!(messages[1].executors[0].status, "stopped");
    }

    #[test]
    fn a_guess_from_the_link_hides_the_model_until_the_run_ends_and_rides_in_the_message() {
        use sim::trace::{RunStatus, TraceRecorder};
        let p = page(
            "lab=hello&tasks=2&seconds=0.3&executors=sequential,event-loop&predict=event-loop:1.7",
        );
        assert!(p.model_hidden());
        assert_eq!(p.prediction_for(None, "event-loop"), Some(1700.0));
        assert!(
            p.live_query().ends_with("&predict=event-loop:1.7"),
            "{}",
            p.live_query()
        );
        let mut p = p.apply(PageAction::RequestRun);
        for ms in [600.0, 300.0] {
            assert!(p.model_hidden(), "hidden while the run goes");
            let item = &p.runs().unwrap().run.plan[p.runs().unwrap().run.current];
            let rec = TraceRecorder::new(item.executor, 2, vec![], 0.0);
            let trace = std::rc::Rc::new(rec.finish(ms, RunStatus::Finished, None));
            let run_number = p.runs().unwrap().run.run_number;
            p = p.apply(PageAction::Runs(RunsAction::Run(RunEvent::ExecutorEnded {
                run_number,
                trace,
            })));
        }
        assert!(!p.model_hidden());
        let message = p.result_message().unwrap();
        assert_eq!(message.executors[0].predicted_ms, None);
        assert_eq!(message.executors[1].predicted_ms, Some(1700.0));
        // A guess written after that run hides the model again, until the next run ends.
        let again = p.apply(PageAction::Runs(RunsAction::SetPrediction {
            lab: None,
            executor: ExecutorId::Sequential,
            raw: "0.6".into(),
        }));
        assert!(again.model_hidden());
        // The learner writes a guess: it goes to the address; a wrong one is refused by name.
        let p = page("lab=hello&executors=sequential").apply(PageAction::Runs(
            RunsAction::SetPrediction {
                lab: None,
                executor: ExecutorId::Sequential,
                raw: "2.5".into(),
            },
        ));
        assert!(p.model_hidden());
        assert!(p.live_query().ends_with("&predict=sequential:2.5"));
        let p = p.apply(PageAction::Runs(RunsAction::SetPrediction {
            lab: None,
            executor: ExecutorId::Sequential,
            raw: "soon".into(),
        }));
        assert!(p
            .notices
            .last()
            .unwrap()
            .starts_with("Your prediction for sequential: \u{201c}soon\u{201d}"));
        assert_eq!(p.prediction_for(None, "sequential"), Some(2500.0));
        let p = p.apply(PageAction::Runs(RunsAction::SetPrediction {
            lab: None,
            executor: ExecutorId::Sequential,
            raw: "".into(),
        }));
        assert_eq!(p.prediction_for(None, "sequential"), None);
        // On compare, by row.
        let p = page("lab=compare&predict=sleep/event-loop:3,event-loop:1");
        assert_eq!(p.prediction_for(Some("sleep"), "event-loop"), Some(3000.0));
        assert_eq!(p.url.predictions.len(), 1, "a row needs its lab");
        assert!(p.notices.iter().any(|n| n.starts_with("predict:")));
    }

    #[test]
    fn only_a_scale_over_one_makes_run_all_ask_first() {
        let found = |q: &str| {
            page(q)
                .apply(PageAction::NetworkFound(Network::Server))
                .apply(PageAction::RequestRun)
        };
        assert!(found("lab=compare").runs().unwrap().run.is_running());
        assert!(found("lab=compare&repeat=9")
            .runs()
            .unwrap()
            .run
            .is_running());
        assert_eq!(
            found("lab=compare&scale=10").runs().unwrap().run.phase,
            Phase::Confirming
        );
    }

    #[test]
    fn a_run_asked_for_while_the_page_looks_for_its_endpoint_starts_when_found() {
        let p = page("lab=http&tasks=3&executors=event-loop").apply(PageAction::RequestRun);
        assert_eq!(p.network, Network::Looking);
        assert!(!p.runs().unwrap().run.is_running());
        let p = p.apply(PageAction::NetworkFound(Network::Simulated));
        assert!(p.runs().unwrap().run.is_running());
        // The service worker answers at once: no connection limit in the prediction.
        assert_eq!(p.runs().unwrap().run.plan[0].projected_ms, 200.0);
        assert_eq!(p.run_workload().unwrap().per_host_limit, None);
    }

    #[test]
    fn the_labs_notes_arrive_after_the_page_and_a_failed_fetch_changes_nothing_else() {
        use labs::notes::NotesState;
        let p = page("lab=hello&executors=event-loop");
        assert_eq!(p.notes, NotesState::Loading);
        let ready = p.clone().apply(PageAction::NotesArrived(Ok(
            "[notice]\nGather overlaps.".into()
        )));
        assert_eq!(ready.notes.get("notice"), ["Gather overlaps."]);
        let failed = p.clone().apply(PageAction::NotesArrived(Err(
            "the server answered 404".into()
        )));
        assert!(matches!(&failed.notes, NotesState::Failed(w) if w.contains("404")));
        assert_eq!(failed.notices, p.notices);
        assert!(failed
            .apply(PageAction::RequestRun)
            .runs()
            .unwrap()
            .run
            .is_running());
    }

    #[test]
    fn with_nowhere_to_send_requests_run_says_why() {
        let p = page("lab=http&executors=event-loop")
            .apply(PageAction::NetworkFound(Network::Unavailable))
            .apply(PageAction::RequestRun);
        assert!(!p.runs().unwrap().run.is_running());
        assert_eq!(p.notices.last().map(String::as_str), Some(NO_ENDPOINT));
        // A url of one's own still runs.
        let p = page("lab=http&url=https%3A%2F%2Fexample.org%2F&executors=event-loop")
            .apply(PageAction::NetworkFound(Network::Unavailable))
            .apply(PageAction::RequestRun);
        assert!(p.runs().unwrap().run.is_running());
        assert_eq!(p.run_workload().unwrap().per_host_limit, Some(6));
    }

    #[test]
    fn stop_asks_the_page_to_abort_the_run_or_declines_a_long_one() {
        let p = page("lab=hello&executors=sequential").apply(PageAction::RequestRun);
        assert!(p.runs().unwrap().run.is_running());
        let p = p.apply(PageAction::Stop);
        assert!(p.runs().unwrap().run.stop_requested && p.runs().unwrap().run.is_running());
        let long = page("lab=sleep&tasks=4000&seconds=60&executors=sequential")
            .apply(PageAction::RequestRun);
        assert_eq!(long.runs().unwrap().run.phase, Phase::Confirming);
        let declined = long.apply(PageAction::Stop);
        assert_eq!(declined.runs().unwrap().run.phase, Phase::Idle);
        assert!(!declined.runs().unwrap().run.stop_requested);
    }

    #[test]
    fn discarding_the_pool_is_asked_of_the_page_only_when_it_has_workers_and_is_idle() {
        let discards = |p: &PageModel| {
            let (_, effects) = p.clone().update(PageAction::DiscardPool);
            effects.contains(&Effect::DiscardPool)
        };
        let p = page("lab=is-prime&executors=pool");
        assert!(!discards(&p), "no worker alive: nothing to discard");
        let p = p.apply(PageAction::PoolAlive(2));
        assert_eq!(p.pool_alive, 2);
        let running = p.clone().apply(PageAction::RequestRun);
        assert!(running.runs().unwrap().run.is_running());
        assert!(!discards(&running));
        assert!(discards(&p));
        let p = p.apply(PageAction::DiscardPool);
        assert!(p.notices.last().unwrap().starts_with("Pool discarded"));
        assert_eq!(p.apply(PageAction::PoolAlive(0)).pool_alive, 0);
    }

    #[test]
    fn the_page_asks_the_edge_to_start_a_run_once_to_stop_it_once_and_to_post_one_result() {
        let (p, effects) = page("lab=hello&executors=sequential,event-loop&id=lesson")
            .update(PageAction::RequestRun);
        let plan = p.runs().unwrap().run.plan.clone();
        assert_eq!(plan.len(), 2);
        assert!(effects.contains(&Effect::StartRun {
            run_number: 1,
            plan
        }));
        // A progress report starts nothing again; Stop asks once to abort.
        let (p, effects) = p.update(PageAction::Runs(RunsAction::Run(RunEvent::Progress {
            run_number: 1,
            done: 1,
        })));
        assert!(effects.is_empty(), "{effects:?}");
        let (p, effects) = p.update(PageAction::Stop);
        assert_eq!(effects, vec![Effect::StopRun]);
        let (_, effects) = p.update(PageAction::Stop);
        assert!(!effects.contains(&Effect::StopRun));
        // The run's end posts one message; the next action posts nothing more.
        let p = ended(
            page("lab=hello&executors=event-loop").apply(PageAction::RequestRun),
            &[],
        );
        let (p, effects) = {
            let item = &p.runs().unwrap().run.plan[0];
            let rec = TraceRecorder::new(item.executor, 2, vec![], 0.0);
            let trace = std::rc::Rc::new(rec.finish(1000.0, RunStatus::Finished, None));
            p.update(PageAction::Runs(RunsAction::Run(RunEvent::ExecutorEnded {
                run_number: 1,
                trace,
            })))
        };
        let posted: Vec<_> = effects
            .iter()
            .filter(|e| matches!(e, Effect::PostResult(_)))
            .collect();
        assert_eq!(posted.len(), 1);
        assert_eq!(
            Some(posted[0]),
            p.result_message().map(Effect::PostResult).as_ref()
        );
        let (_, effects) = p.update(PageAction::Notice("hello".into()));
        assert!(effects.is_empty(), "{effects:?}");
    }

    #[test]
    fn a_page_opens_with_its_address_title_notes_network_and_warm_interpreter_asked_for() {
        let (p, effects) = PageModel::start(
            UrlState::parse("lab=mixed&theme=dark&run=1"),
            "http://x/".into(),
            Calibration::default(),
            false,
        );
        assert!(effects.contains(&Effect::WriteUrl(p.live_query())));
        assert!(effects.contains(&Effect::SetTheme(Some(Theme::Dark))));
        assert!(effects.contains(&Effect::SetTitle(
            "Mixing HTTP and CPU \u{b7} Async Playground".into()
        )));
        assert!(effects.contains(&Effect::FetchNotes("mixed")));
        assert!(effects.contains(&Effect::FindNetwork("auto")));
        assert!(effects.contains(&Effect::WarmThreads(p.machine())));
        // run=1 waits for the endpoint: nothing starts yet, and it starts once found.
        assert!(!effects.iter().any(|e| matches!(e, Effect::StartRun { .. })));
        let (_, effects) = p.update(PageAction::NetworkFound(Network::Server));
        assert!(effects.iter().any(|e| matches!(e, Effect::StartRun { .. })));
    }

    #[test]
    fn labs_without_requests_never_look_for_an_endpoint() {
        assert_eq!(page("lab=hello").network, Network::NotNeeded);
        assert_eq!(page("lab=combined").network, Network::Looking);
    }

    #[test]
    fn edits_are_validated_and_written_to_the_url() {
        let p = page("lab=hello").apply(PageAction::SetParam {
            key: "tasks".into(),
            raw: "5".into(),
            commit: false,
        });
        assert!(p.live_query().contains("tasks=5"));
        let p = p.apply(PageAction::SetParam {
            key: "tasks".into(),
            raw: "-1".into(),
            commit: false,
        });
        assert_eq!(p.field_error("tasks"), None, "no complaint while typing");
        let p = p.apply(PageAction::SetParam {
            key: "tasks".into(),
            raw: "-1".into(),
            commit: true,
        });
        assert_eq!(p.url.values.get("tasks"), Some(&ParamValue::Int(5)));
        assert!(p.field_error("tasks").unwrap().starts_with("Tasks"));
    }

    #[test]
    fn typed_text_is_kept_while_it_means_the_value() {
        let p = page("lab=hello").apply(PageAction::SetParam {
            key: "seconds".into(),
            raw: "2.50".into(),
            commit: false,
        });
        assert_eq!(p.field_text("seconds"), "2.50");
        assert_eq!(p.url.values.get("seconds"), Some(&ParamValue::Float(2.5)));
    }

    #[test]
    fn run_is_ignored_where_there_is_nothing_to_run_and_notices_do_not_pile_up() {
        let p = page("").apply(PageAction::RequestRun);
        assert!(p.notices.is_empty());
        let p = page("lab=hello&executors=")
            .apply(PageAction::RequestRun)
            .apply(PageAction::RequestRun);
        assert_eq!(p.notices.len(), 1);
    }

    #[test]
    fn the_advanced_settings_open_only_where_the_link_sets_one() {
        let open = |query: &str| PageModel::new(UrlState::parse(query)).advanced_open;
        assert!(!open("lab=hello"));
        assert!(!open("lab=hello&tasks=5"));
        assert!(open("lab=hello&switch_ms=10"));
        assert!(open("lab=sleep&timer=browser"));
        assert!(open("lab=http&url=javascript%3Aalert(1)"));
        assert!(!open("lab=http&tasks=-1"));
        assert!(!open("lab=generators"));
        assert!(!open(""));
    }

    #[test]
    fn a_long_run_asks_first() {
        let p = page("lab=sleep&executors=sequential,event-loop").apply(PageAction::RequestRun);
        assert_eq!(p.runs().unwrap().run.phase, Phase::Confirming);
        let p = page("lab=hello").apply(PageAction::RequestRun);
        assert_eq!(p.runs().unwrap().run.phase, Phase::Running);
    }

    #[test]
    fn unchecking_every_executor_blocks_the_run_with_a_notice() {
        let p = page("lab=hello&executors=event-loop")
            .apply(PageAction::Runs(RunsAction::SetExecutor {
                executor: ExecutorId::EventLoop,
                chosen: false,
            }))
            .apply(PageAction::RequestRun);
        assert_eq!(p.runs().unwrap().run.phase, Phase::Idle);
        assert!(p.notices.last().unwrap().contains("at least one executor"));
    }

    #[test]
    fn executors_keep_the_labs_order_and_refuse_ones_it_does_not_offer() {
        let p = page("lab=hello&executors=event-loop")
            .apply(PageAction::Runs(RunsAction::SetExecutor {
                executor: ExecutorId::Threads,
                chosen: true,
            }))
            .apply(PageAction::Runs(RunsAction::SetExecutor {
                executor: ExecutorId::Sequential,
                chosen: true,
            }))
            .apply(PageAction::Runs(RunsAction::SetExecutor {
                executor: ExecutorId::Pool,
                chosen: true,
            }));
        assert_eq!(
            p.url.executors,
            vec![
                ExecutorId::Sequential,
                ExecutorId::EventLoop,
                ExecutorId::Threads
            ]
        );
    }

    #[test]
    fn an_executor_that_cannot_take_the_task_count_is_skipped_with_a_notice() {
        let p = page("lab=sleep&tasks=20000&seconds=1&executors=event-loop,threads")
            .apply(PageAction::RequestRun);
        assert_eq!(
            p.runs().unwrap().run.executors().collect::<Vec<_>>(),
            vec![ExecutorId::EventLoop]
        );
        let notice = p.notices.last().unwrap();
        assert!(notice.starts_with("tasks: 20,000"), "{notice}");
        assert!(
            notice.contains("threads") && notice.contains("10,000"),
            "{notice}"
        );
        // Alone, it runs nothing and says why.
        let p = page("lab=sleep&tasks=20000&executors=threads").apply(PageAction::RequestRun);
        assert_eq!(p.runs().unwrap().run.phase, Phase::Idle);
        assert!(p.notices.last().unwrap().contains("threads is skipped"));
    }

    #[test]
    fn each_executor_keeps_its_own_cap_ten_million_sleepers_only_on_the_wheel() {
        // Ten million sleepers: the event loop takes them, the others are skipped by name.
        let p = page("lab=sleep&tasks=10000000&seconds=1&executors=event-loop,threads,pool")
            .apply(PageAction::RequestRun);
        assert_eq!(
            p.runs().unwrap().run.executors().collect::<Vec<_>>(),
            vec![ExecutorId::EventLoop]
        );
        let said = p.notices.join("\n");
        assert!(
            said.contains("threads takes here (at most 10,000)"),
            "{said}"
        );
        assert!(
            said.contains("pool takes here (at most 1,000,000)"),
            "{said}"
        );
        // Blocking sleeps are futures: a million at most.
        let p = page("lab=sleep&tasks=2000000&sleep=blocking&executors=event-loop")
            .apply(PageAction::RequestRun);
        assert_eq!(p.runs().unwrap().run.phase, Phase::Idle);
        assert!(
            p.notices
                .last()
                .unwrap()
                .contains("event-loop takes here (at most 1,000,000)"),
            "{:?}",
            p.notices
        );
        // A browser timer per sleep: a million at most, and the machine says so.
        let p = page("lab=sleep&tasks=2000000&timer=browser&executors=event-loop")
            .apply(PageAction::RequestRun);
        assert_eq!(p.runs().unwrap().run.phase, Phase::Idle);
        assert!(p
            .notices
            .last()
            .unwrap()
            .contains("event-loop takes here (at most 1,000,000, with a browser timer per sleep)"));
        assert!(page("lab=sleep&timer=browser").machine().browser_timers);
        assert!(!page("lab=sleep").machine().browser_timers);
        // Other labs keep their million.
        let p = page("lab=hello&tasks=10000000");
        assert!(
            p.notices.iter().any(|n| n.contains("tasks")),
            "{:?}",
            p.notices
        );
    }

    #[test]
    fn the_machine_follows_the_gil_and_switch_interval() {
        let p = page("lab=is-prime&gil=off&switch_ms=20&workers=2");
        let m = p.machine();
        assert!(m.free_threaded);
        assert_eq!((m.switch_ms, m.workers, m.interpreters()), (20.0, 2, 2));
    }

    #[test]
    fn an_ended_run_yields_one_result_message_with_the_runs_params() {
        let p = page("lab=hello&id=lesson-1&executors=event-loop").apply(PageAction::RequestRun);
        assert!(p.result_message().is_none());
        let p = p.apply(PageAction::SetParam {
            key: "tasks".into(),
            raw: "9".into(),
            commit: true,
        });
        let rec = TraceRecorder::new(ExecutorId::EventLoop, 2, vec![], 0.0);
        let p = p.apply(PageAction::Runs(RunsAction::Run(RunEvent::ExecutorEnded {
            run_number: 1,
            trace: std::rc::Rc::new(rec.finish(1000.0, RunStatus::Finished, None)),
        })));
        let msg = p.result_message().unwrap();
        assert_eq!(msg.id.as_deref(), Some("lesson-1"));
        assert_eq!(msg.params.0.get("tasks"), Some(&ParamValue::Int(2)));
        assert_eq!(msg.executors[0].status, "finished");
    }

    #[test]
    fn a_cpu_lab_measures_the_machine_after_its_first_paint_and_its_run_waits_for_it() {
        let url = || UrlState::parse("lab=is-prime&executors=event-loop&run=1");
        let (p, effects) =
            PageModel::start(url(), "http://x/".into(), Calibration::default(), true);
        assert!(p.calibrating);
        assert!(effects.contains(&Effect::Calibrate));
        // run=1 (or Run) waits for the measure: nothing started yet.
        assert!(!effects.iter().any(|e| matches!(e, Effect::StartRun { .. })));
        let measured = Calibration {
            iterations_per_ms: 10_000.0,
            cores: 4,
            simulated_network: false,
        };
        let (p, effects) = p.update(PageAction::Calibrated(measured));
        assert!(!p.calibrating);
        assert_eq!(p.calibration.iterations_per_ms, 10_000.0);
        let Some(Effect::StartRun { plan, .. }) = effects
            .iter()
            .find(|e| matches!(e, Effect::StartRun { .. }))
        else {
            panic!("the run starts once the machine is measured: {effects:?}");
        };
        // Its jobs are sized by the measure: n=auto is about 1 s of work here.
        let n = plan[0].values.number("n") as u64;
        assert!((measured.estimate_ms(n) - 1000.0).abs() < 1.0);
        // Labs without CPU jobs, or a page told not to measure, ask for nothing.
        let (hello, effects) = PageModel::start(
            UrlState::parse("lab=hello"),
            "http://x/".into(),
            Calibration::default(),
            true,
        );
        assert!(!hello.calibrating && !effects.contains(&Effect::Calibrate));
        let (told, _) = PageModel::start(url(), "http://x/".into(), Calibration::default(), false);
        assert!(!told.calibrating);
    }

    #[test]
    fn cpu_jobs_are_sized_by_the_calibration_and_runs_record_the_picked_n() {
        let cal = Calibration {
            iterations_per_ms: 10_000.0,
            cores: 2,
            simulated_network: false,
        };
        let p = page("lab=is-prime").with_calibration(cal);
        // The article: 1 s of overlapping sleep, then 5 jobs of about 1 s one after another.
        let projected = p.projection()[0].1;
        assert!((projected - 6000.0).abs() < 10.0, "{projected}");
        assert!(p.share_query(false).contains("n=auto"));
        let p = p.apply(PageAction::RequestRun);
        let Some(ParamValue::Int(n)) = p
            .runs()
            .unwrap()
            .run_values
            .as_ref()
            .unwrap()
            .get("n")
            .cloned()
        else {
            panic!("the run records the n it used");
        };
        assert!((cal.estimate_ms(n) - 1000.0).abs() < 1.0);
    }

    #[test]
    fn an_explicit_n_is_used_as_given() {
        let p = page("lab=is-prime&n=16769823&jobs=2&seconds=0");
        let w = p.workload().unwrap();
        assert_eq!(w.task_count, 2);
        assert!(matches!(
            w.steps[1],
            sim::workload::Step::Cpu { n: 16_769_823, .. }
        ));
    }

    #[test]
    fn share_and_embed_links_differ_only_in_mode() {
        let p = page("lab=hello&embed=1&run=1");
        assert!(!p.share_query(false).contains("embed"));
        assert!(p.share_query(true).ends_with("run=1"));
        assert!(p.embed_query().ends_with("embed=1"));
        assert!(!p.live_query().contains("run=1"));
    }

    #[test]
    fn the_process_executor_runs_cpu_jobs_and_blocking_sleeps_but_has_nothing_to_do_with_async_ones(
    ) {
        let p = page("lab=is-prime&jobs=4&workers=2&executors=event-loop,process-executor")
            .apply(PageAction::RequestRun);
        let plan = &p.runs().unwrap().run.plan;
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[1].executor, ExecutorId::ProcessExecutor);
        // Two processes: the four jobs in two rounds, against four on the loop.
        assert!(plan[1].projected_ms < plan[0].projected_ms * 0.7);
        let p = page("lab=sleep&tasks=4&executors=event-loop,process-executor")
            .apply(PageAction::RequestRun);
        let plan = &p.runs().unwrap().run.plan;
        assert_eq!(plan.len(), 1, "only the event loop runs");
        assert!(p
            .notices
            .iter()
            .any(|n| n.starts_with("process-executor: no step blocks here (sleep=async)")));
        let program = |query: &str| {
            let url = UrlState::parse(query);
            let lab = url.lab.unwrap();
            lab.program(
                &url.values,
                &url.executors,
                &Calibration::default(),
                "http://x/",
            )
        };
        assert!(!program("lab=sleep&executors=process-executor").contains("process_executor"));
        assert!(
            program("lab=sleep&sleep=blocking&executors=process-executor")
                .contains("timed(\"process-executor\", lambda: asyncio.run(process_executor()))")
        );
    }

    #[test]
    fn each_compare_row_is_posted_as_it_ends_and_a_declined_run_posts_nothing_again() {
        let p = page("lab=compare&scale=0.1&network=simulated")
            .apply(PageAction::NetworkFound(Network::Simulated))
            .apply(PageAction::RequestRun);
        let item = &p.runs().unwrap().run.plan[0];
        let rec = TraceRecorder::new(item.executor, 2, vec![], 0.0);
        let trace = std::rc::Rc::new(rec.finish(20.0, RunStatus::Finished, None));
        let (p, effects) = p.update(PageAction::Runs(RunsAction::Run(RunEvent::ExecutorEnded {
            run_number: 1,
            trace,
        })));
        let posted: Vec<_> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::PostResult(message) => Some(message.lab),
                _ => None,
            })
            .collect();
        assert_eq!(posted, ["sleep"], "the first row, at once");
        assert_eq!(p.compare_messages().len(), 1);

        // A workload lab: its run posts once; a long run asked for, then declined, brings the
        // last run back without posting it again.
        let ran = ended(
            page("lab=sleep&tasks=4&seconds=0.2&executors=event-loop")
                .apply(PageAction::RequestRun),
            &[200.0],
        );
        let asked = ran
            .apply(PageAction::SetParam {
                key: "seconds".into(),
                raw: "61".into(),
                commit: true,
            })
            .apply(PageAction::RequestRun);
        assert_eq!(asked.runs().unwrap().run.phase, Phase::Confirming);
        let (declined, effects) = asked.update(PageAction::Runs(RunsAction::Cancel));
        assert_eq!(
            declined.runs().unwrap().run.phase,
            Phase::Ended(RunStatus::Finished)
        );
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::PostResult(_))),
            "{effects:?}"
        );
    }
}
