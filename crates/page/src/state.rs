//! The whole page's state, changed only by [`PageAction`]s: the URL state, the run, and what
//! the page has to tell the user. The browser edge renders it and performs its effects.

use crate::export::ItemInfo;
use crate::message::{run_summaries, ExecutorResult, ParamsObject, ResultMessage};
use crate::run_state::{Phase, RunEvent, RunState};
use crate::url_state::{Theme, UrlState};
use labs::params::keys;
use labs::params::ParamValues;
use labs::plan::{machine_of, total_ms, PlanItem};
use labs::{compare, LabBody, LabSpec};
use sim::cpu::Calibration;
use sim::executors::expected_ms;
use sim::executors::ExecutorId;
use sim::model::{Machine, CONFIRM_OVER_MS};
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
    /// The lab's runs.
    pub run: RunState,
    /// The parameters the current (or last) run used.
    pub run_values: Option<ParamValues>,
    /// The last run's parameters while a long run waits for its answer: a declined run
    /// brings them back with the last run.
    asked_over: Option<ParamValues>,
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
    /// The generators lab's stepper (`None` on every other lab).
    pub stepper: Option<sim::generators::Stepper>,
    /// What the pitfalls lab's live runs have shown.
    pub pitfalls: labs::pitfalls::PitfallRuns,
    /// The page's address without its query, where its links point (read when it loads).
    pub address: String,
    /// The pool's workers kept warm between runs.
    pub pool: PoolState,
    /// The lab's prose (`notes/<lab>.txt`), read once the page is up.
    pub notes: labs::notes::NotesState,
    /// The run number when the learner last wrote a guess: the model's figures stay hidden
    /// until a later run ends.
    guessed_at_run: u64,
    /// Exports asked for (`Export JSON`, `Export CSV`), counted, and whether the last was the
    /// CSV: the page writes the file when this changes.
    pub exports: (u32, bool),
    /// The runs shown came from a file, not from this page: what the results say of it.
    pub imported: Option<String>,
}

/// The pool's workers as the page knows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolState {
    /// How many are alive (reported by the page whenever it starts or ends one).
    pub alive: u32,
    /// How many times the learner asked to discard them: the page terminates the workers
    /// each time this grows.
    pub discards: u32,
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

/// What can happen on the page.
#[derive(Clone, Debug, PartialEq)]
pub enum PageAction {
    /// The theme select changed.
    SetTheme(Option<Theme>),
    /// A parameter field changed to `raw`: while typing (`commit: false`) only a valid value
    /// is taken; a committed edit (`commit: true`) also reports why an invalid one is refused.
    SetParam {
        key: String,
        raw: String,
        commit: bool,
    },
    /// An executor checkbox changed.
    SetExecutor { executor: ExecutorId, chosen: bool },
    /// Run was pressed (or asked for by `run=1` or the host page).
    RequestRun,
    /// The user confirmed a long run.
    Confirm,
    /// The user declined a long run.
    Cancel,
    /// Stop was pressed (or asked for by the host page): ends the run, or declines a long
    /// run waiting to be confirmed.
    Stop,
    /// Something happened to the run.
    Run(RunEvent),
    /// Something the user should read in the status region.
    Notice(String),
    /// The page found (or did not find) its latency endpoint.
    NetworkFound(Network),
    /// The lab's notes file arrived (its text), or could not be fetched (why).
    NotesArrived(Result<String, String>),
    /// The pool now has this many live workers.
    PoolAlive(u32),
    /// The learner wrote (or cleared) their guess of `executor`'s wall time, in seconds; on
    /// compare, of the row of `lab` on it.
    SetPrediction {
        lab: Option<&'static str>,
        executor: ExecutorId,
        raw: String,
    },
    /// "Discard warm pool" was pressed: the next pool run starts cold.
    DiscardPool,
    /// `Export JSON` (or, with `csv`, `Export CSV`) was pressed.
    Export { csv: bool },
    /// A file chosen with `Import` (or, `linked`, `import=`'s path), named `name`, was read:
    /// its runs, checked, or why it was refused (in words that follow "The file <name> ").
    Imported {
        name: String,
        linked: bool,
        file: Result<Box<crate::export::Imported>, String>,
    },

    // The generators and pitfalls labs.
    /// Step, Run, Stop, Reset, the speed and the frames of the generators lab.
    Stepper(sim::generators::StepperAction),
    /// A live run of the pitfalls lab.
    Pitfall(labs::pitfalls::PitfallAction),
}

impl PageModel {
    /// The page as the URL describes it.
    pub fn new(url: UrlState) -> Self {
        let notices = url.notices.clone();
        PageModel {
            url,
            run: RunState::default(),
            run_values: None,
            asked_over: None,
            field_errors: Vec::new(),
            field_texts: Vec::new(),
            notices,
            calibration: Calibration::default(),
            network: Network::NotNeeded,
            run_when_network_found: false,
            stepper: None,
            pitfalls: Default::default(),
            address: String::new(),
            pool: PoolState::default(),
            notes: Default::default(),
            guessed_at_run: 0,
            exports: (0, false),
            imported: None,
        }
        .looking_for_network()
        .with_stepper()
    }

    /// Whether the page is the compare lab.
    pub fn is_compare(&self) -> bool {
        self.url.lab.is_some_and(|l| l.body == LabBody::Compare)
    }

    /// The compare table's rows as the parameters describe them (none on another lab).
    pub fn compare_rows(&self) -> Vec<compare::Row> {
        if !self.is_compare() {
            return Vec::new();
        }
        compare::rows(&self.resolved_values(), &self.calibration)
    }

    /// The rows of the current (or last) compare run, from its plan, and its runs per row.
    pub fn compare_run_rows(&self) -> (Vec<compare::Row>, usize) {
        let shown = matches!(self.run.phase, Phase::Running | Phase::Ended(_));
        match (self.run.plan.first(), self.is_compare() && shown) {
            (Some(first), true) => {
                // A row's runs are alike and next to each other: the plan says how many (the
                // parameters may already ask for another count, or a declined run did).
                let repeat = self
                    .run
                    .plan
                    .iter()
                    .take_while(|item| item.lab == first.lab && item.executor == first.executor)
                    .count()
                    .max(1);
                let rows = self
                    .run
                    .plan
                    .chunks(repeat)
                    .filter_map(|runs| compare::row_for(runs[0].clone(), &self.calibration))
                    .collect();
                (rows, repeat)
            }
            _ => (Vec::new(), 1),
        }
    }

    /// The result message of each row of the compare run that has ended so far, in row order:
    /// a row ends when its last run ends, or when the run stops or fails in it. With several
    /// runs per row, the message is the median run's.
    pub fn compare_messages(&self) -> Vec<ResultMessage> {
        if self.imported.is_some() {
            // Nothing ran here when a file's runs are shown.
            return Vec::new();
        }
        let (rows, repeat) = self.compare_run_rows();
        let traces = &self.run.traces;
        let ended = matches!(self.run.phase, Phase::Ended(_));
        rows.iter()
            .enumerate()
            .map_while(|(i, row)| {
                let runs = traces.get(i * repeat..traces.len().min((i + 1) * repeat))?;
                if runs.is_empty() || (runs.len() < repeat && !ended) {
                    return None;
                }
                let trace = compare::median_run(runs);
                let summary = sim::summary::summarize(trace, row.item.projected_ms);
                Some(ResultMessage {
                    kind: "async-playground:result",
                    id: self.url.id.clone(),
                    lab: row.item.lab,
                    params: ParamsObject(row.item.values.clone()),
                    executors: vec![ExecutorResult {
                        predicted_ms: self.prediction_for(Some(row.item.lab), summary.name),
                        ..ExecutorResult::from(&summary)
                    }],
                })
            })
            .collect()
    }

    /// Labs that make requests look for the latency endpoint when the page loads (compare
    /// runs the request labs' rows).
    fn looking_for_network(mut self) -> Self {
        if self
            .url
            .lab
            .is_some_and(|l| l.param(keys::NETWORK).is_some())
        {
            self.network = Network::Looking;
        }
        self
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

    /// The parameters with every `auto` replaced by what the calibration picks.
    pub fn resolved_values(&self) -> ParamValues {
        match self.url.lab {
            Some(lab) => self.url.values.resolved(lab.params, &self.calibration),
            None => self.url.values.clone(),
        }
    }

    /// The lab, if it can run.
    pub fn ready_lab(&self) -> Option<&'static LabSpec> {
        self.url.lab.filter(|l| l.body == LabBody::Workload)
    }

    /// The workload the current parameters describe.
    pub fn workload(&self) -> Option<Workload> {
        self.ready_lab()
            .map(|lab| lab.build(&self.url.values, &self.calibration))
    }

    /// The workload of the current (or last) run.
    pub fn run_workload(&self) -> Option<Workload> {
        let lab = self.ready_lab()?;
        Some(lab.build(self.run_values.as_ref()?, &self.calibration))
    }

    /// The pool size the parameters ask for (the cores, where the lab has no `workers`).
    pub fn workers(&self) -> u32 {
        self.machine().workers
    }

    /// The pool size of the current (or last) run.
    pub fn run_workers(&self) -> u32 {
        self.run_machine().workers
    }

    /// The machine the parameters describe: pool size, cores, the GIL's settings.
    pub fn machine(&self) -> Machine {
        machine_of(&self.resolved_values(), &self.calibration)
    }

    /// The machine of the current (or last) run.
    pub fn run_machine(&self) -> Machine {
        match &self.run_values {
            Some(values) => machine_of(values, &self.calibration),
            None => self.machine(),
        }
    }

    /// Each chosen executor that can take the workload, with its projected wall time, ms.
    pub fn projection(&self) -> Vec<(ExecutorId, f64)> {
        let Some(workload) = self.workload() else {
            return Vec::new();
        };
        let machine = self.machine();
        self.url
            .executors
            .iter()
            .filter(|e| workload.task_count <= e.task_cap(&workload, &machine))
            .map(|e| (*e, expected_ms(*e, &workload, &machine)))
            .collect()
    }

    /// A notice for each chosen executor too small for the workload, naming its cap.
    fn skipped_notices(&self) -> Vec<String> {
        let Some(workload) = self.workload() else {
            return Vec::new();
        };
        // The parameter that counts the tasks: tasks, jobs or cats.
        let key = self
            .ready_lab()
            .and_then(|lab| {
                lab.params
                    .iter()
                    .find(|p| matches!(p.key, "tasks" | "jobs" | "cats"))
            })
            .map_or("tasks", |p| p.key);
        let machine = self.machine();
        self.url
            .executors
            .iter()
            .filter_map(|e| {
                let cap = e.task_cap(&workload, &machine);
                (workload.task_count > cap).then(|| {
                    format!(
                        "{key}: {} is more than {} takes here (at most {}{}); {} is skipped, the others run.",
                        sim::format::count(u64::from(workload.task_count)),
                        e.id(),
                        sim::format::count(u64::from(cap)),
                        e.cap_reason(&machine),
                        e.id(),
                    )
                })
            })
            .collect()
    }

    /// The query of the link to share: every parameter, no embed, optionally run on open.
    pub fn share_query(&self, run_on_open: bool) -> String {
        let mut url = self.url.clone();
        url.embed = false;
        url.run = run_on_open;
        url.to_query()
    }

    /// The query of the embed snippet's frame.
    pub fn embed_query(&self) -> String {
        let mut url = self.url.clone();
        url.embed = true;
        url.run = false;
        url.to_query()
    }

    /// The query the address bar shows while the page is used: like the share link, but it
    /// keeps embed mode.
    pub fn live_query(&self) -> String {
        let mut url = self.url.clone();
        url.run = false;
        url.to_query()
    }

    /// How many tasks the current (or last) run has.
    pub fn run_tasks_total(&self) -> u32 {
        match (self.ready_lab(), &self.run_values) {
            (Some(lab), Some(values)) => lab.build(values, &self.calibration).task_count,
            _ => 0,
        }
    }

    /// The result message of the run that just ended, if one did.
    pub fn result_message(&self) -> Option<ResultMessage> {
        let Phase::Ended(status) = self.run.phase else {
            return None;
        };
        if self.imported.is_some() {
            // Nothing ran here when a file's runs are shown.
            return None;
        }
        let lab = self.ready_lab()?;
        let values = self.run_values.clone()?;
        let tasks_total = self.run_tasks_total();
        let summaries = run_summaries(&self.run, status, tasks_total);
        Some(ResultMessage {
            kind: "async-playground:result",
            id: self.url.id.clone(),
            lab: lab.id,
            params: ParamsObject(values),
            executors: summaries
                .iter()
                .map(|s| ExecutorResult {
                    predicted_ms: self.prediction_for(None, s.name),
                    ..ExecutorResult::from(s)
                })
                .collect(),
        })
    }

    /// Applies one action; returns the new state.
    pub fn apply(self, action: PageAction) -> PageModel {
        let mut next = self.applied(action);
        // A run that starts ends the showing of an imported file, and the link's `import=`.
        if next.run.is_running() {
            next.imported = None;
            next.url.import = None;
        }
        next
    }

    fn applied(mut self, action: PageAction) -> PageModel {
        match action {
            PageAction::SetTheme(theme) => self.url.theme = theme,
            PageAction::SetParam { key, raw, commit } => {
                let network = self.url.values.choice(labs::params::keys::NETWORK);
                self.set_param(&key, &raw, commit);
                if self.url.values.choice(labs::params::keys::NETWORK) != network
                    && self.network != Network::NotNeeded
                {
                    // The page looks again, where the learner now wants its requests to go.
                    self.network = Network::Looking;
                }
                self.reprogram_stepper();
            }
            PageAction::SetExecutor { executor, chosen } => {
                let offered = self
                    .ready_lab()
                    .is_some_and(|l| l.executors.contains(&executor));
                if chosen && offered {
                    if !self.url.executors.contains(&executor) {
                        self.url.executors.push(executor);
                        // Keep the lab's order, so results read the same way every time.
                        if let Some(lab) = self.ready_lab() {
                            let rank = |e: &ExecutorId| {
                                let at = lab.executors.iter().position(|x| x == e);
                                at.map_or(-1.0, |i| i as f64)
                            };
                            let list = std::mem::take(&mut self.url.executors);
                            self.url.executors = sim::order::sorted_by(list, rank);
                        }
                    }
                } else if !chosen {
                    self.url.executors.retain(|e| *e != executor);
                }
            }
            PageAction::NotesArrived(text) => {
                self.notes = labs::notes::NotesState::arrived(text);
            }
            PageAction::NetworkFound(network) => {
                self.network = network;
                self.calibration.simulated_network = network == Network::Simulated;
                if std::mem::take(&mut self.run_when_network_found) {
                    return self.apply(PageAction::RequestRun);
                }
            }
            // The stepper takes the page's Run and Stop (and the host page's) as its own.
            PageAction::RequestRun if self.stepper.is_some() => {
                return self.apply(PageAction::Stepper(sim::generators::StepperAction::Run));
            }
            PageAction::Stop if self.stepper.is_some() => {
                return self.apply(PageAction::Stepper(sim::generators::StepperAction::Stop));
            }
            PageAction::Stepper(action) => self.step(action),
            PageAction::Pitfall(action) => {
                self.pitfalls = std::mem::take(&mut self.pitfalls).apply(action);
            }
            PageAction::RequestRun => {
                if self.run.is_busy() || (self.ready_lab().is_none() && !self.is_compare()) {
                    return self;
                }
                let own_url = !self.url.values.text(labs::params::keys::URL).is_empty();
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
                if self.is_compare() {
                    let values = self.resolved_values();
                    let rows = compare::rows(&values, &self.calibration);
                    let plan = compare::plan(&rows, values.number(keys::REPEAT) as u32);
                    // At scale 1 or less Run all never asks, whatever `repeat` (the table is
                    // sized for this page); over 1, a plan projected over a minute asks.
                    let long =
                        values.number(keys::SCALE) > 1.0 && total_ms(&plan) > CONFIRM_OVER_MS;
                    self.asked_over = self.run_values.replace(values);
                    self.run = self.run.apply(RunEvent::Requested {
                        plan,
                        needs_confirmation: long,
                    });
                    return self;
                }
                for text in self.skipped_notices() {
                    self.notice(&text);
                }
                let projection = self.projection();
                if projection.is_empty() {
                    if self.url.executors.is_empty() {
                        self.notice("Choose at least one executor to run.");
                    }
                    return self;
                }
                let values = self.resolved_values();
                let lab = self.ready_lab().map_or("", |l| l.id);
                let plan: Vec<PlanItem> = projection
                    .iter()
                    .map(|(executor, ms)| PlanItem {
                        lab,
                        values: values.clone(),
                        executor: *executor,
                        projected_ms: *ms,
                    })
                    .collect();
                self.asked_over = self.run_values.replace(values);
                self.run = self.run.apply(RunEvent::Requested {
                    needs_confirmation: total_ms(&plan) > CONFIRM_OVER_MS,
                    plan,
                });
            }
            PageAction::Confirm => self.run = self.run.apply(RunEvent::Confirmed),
            PageAction::Cancel => self = self.declined(),
            PageAction::Stop if self.run.phase == Phase::Confirming => self = self.declined(),
            PageAction::Stop => self.run = self.run.apply(RunEvent::StopRequested),
            PageAction::PoolAlive(alive) => self.pool.alive = alive,
            PageAction::DiscardPool => {
                if !self.run.is_running() && self.pool.alive > 0 {
                    self.pool.discards += 1;
                    self.notice(
                        "Pool discarded: the next pool run starts new workers (cold start).",
                    );
                }
            }
            PageAction::Run(event) => self.run = self.run.apply(event),
            PageAction::SetPrediction { lab, executor, raw } => {
                let raw = raw.trim();
                let who = match lab {
                    Some(lab) => format!("{lab}/{}", executor.id()),
                    None => executor.id().to_string(),
                };
                let seconds = crate::predict::seconds(raw);
                if !raw.is_empty() && seconds.is_none() {
                    self.notice(&format!(
                        "Your prediction for {who}: {} is not a time in seconds from 0 to 86400 (such as 1.5); it is not kept.",
                        crate::quote::shown(raw)
                    ));
                    return self;
                }
                let list = &mut self.url.predictions;
                list.retain(|p| !(p.lab == lab && p.executor == executor));
                if let Some(seconds) = seconds {
                    list.push(crate::predict::Prediction {
                        lab,
                        executor,
                        ms: seconds * 1000.0,
                    });
                }
                // A guess written: the model's figures wait for the next run to end, as a
                // link's question makes them.
                self.url.asks_guess = true;
                self.guessed_at_run = self.run.run_number;
            }
            PageAction::Export { csv } => {
                if self.export_items().is_some() {
                    self.exports = (self.exports.0 + 1, csv);
                }
            }
            PageAction::Imported { name, linked, file } => {
                match file {
                    Ok(file) if !self.run.is_busy() => {
                        return self.show_imported(&name, linked, *file)
                    }
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
        }
        self
    }

    /// An imported file's runs, shown as if just run: the page becomes the file's lab with
    /// its parameters, executors and guesses, its items and traces the last run, marked as
    /// imported (with where they ran). The page's theme, embedding, notices and workers stay.
    fn show_imported(self, name: &str, linked: bool, file: crate::export::Imported) -> Self {
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
        // Export's count goes on: the page writes a file when it grows.
        next.exports = self.exports;
        next.notices = self.notices;
        next.pool = self.pool;
        next.run = RunState::ended(plan, traces, self.run.run_number + 1);
        next.run_values = Some(file.params);
        next.imported = Some(format!(
            "Imported from {}: run on {} with {} cores. Nothing ran on this page.",
            crate::quote::shown(name),
            file.machine.browser,
            file.machine.cores,
        ));
        next
    }

    /// A long run declined: the last run comes back, with its parameters.
    fn declined(mut self) -> Self {
        if self.run.phase == Phase::Confirming {
            self.run_values = self.asked_over.take();
        }
        self.run = self.run.apply(RunEvent::Cancelled);
        self
    }

    /// Whether the runs shown can be written as a file: a run has ended (none is going or
    /// waiting for its answer), and it ran here (an imported file's runs are already a file,
    /// and this page would stamp its own machine on them).
    pub fn can_export(&self) -> bool {
        matches!(self.run.phase, Phase::Ended(_))
            && !self.run.traces.is_empty()
            && self.imported.is_none()
    }

    /// The runs shown (ended ones) with their items, for `Export JSON` and `Export CSV`: the
    /// lab, its parameters, and each item beside its trace.
    pub fn export_items(
        &self,
    ) -> Option<(&'static LabSpec, &ParamValues, crate::export::Items<'_>)> {
        let lab = self.url.lab?;
        let values = self.run_values.as_ref()?;
        if !self.can_export() {
            return None;
        }
        let compare = self.is_compare();
        let items = self
            .run
            .plan
            .iter()
            .zip(&self.run.traces)
            .map(|(item, trace)| {
                let info = ItemInfo {
                    lab: item.lab,
                    params: item.values.clone(),
                    expected_ms: item.projected_ms,
                    predicted_ms: self
                        .prediction_for(compare.then_some(item.lab), item.executor.id()),
                };
                (info, &**trace)
            })
            .collect();
        Some((lab, values, items))
    }

    /// The learner's guess of `executor` (by id), ms; on compare, of the row of `lab`.
    pub fn prediction_for(&self, lab: Option<&str>, executor: &str) -> Option<f64> {
        self.url
            .predictions
            .iter()
            .find(|p| p.lab == lab && p.executor.id() == executor)
            .map(|p| p.ms)
    }

    /// Whether the model's figures are hidden: a guess is asked for (by the link, or since the
    /// learner wrote one) and no run has ended since.
    pub fn model_hidden(&self) -> bool {
        let ended_since =
            matches!(self.run.phase, Phase::Ended(_)) && self.run.run_number > self.guessed_at_run;
        self.url.asks_guess && !ended_since
    }

    /// Adds a notice, unless it is the one just shown.
    fn notice(&mut self, text: &str) {
        if self.notices.last().map(String::as_str) != Some(text) {
            self.notices.push(text.to_string());
        }
    }

    /// What a field shows: what the user last typed there while it means the same value,
    /// otherwise the value as the URL writes it (so typing `2.50` is not rewritten to `2.5`).
    pub fn field_text(&self, key: &str) -> String {
        let value = self.url.values.get(key);
        let typed = self
            .field_texts
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| t);
        let spec = self.url.lab.and_then(|l| l.param(key));
        match (typed, spec, value) {
            (Some(text), Some(spec), Some(value)) if spec.parse(text).as_ref() == Ok(value) => {
                text.clone()
            }
            _ => value.map(|v| v.to_url()).unwrap_or_default(),
        }
    }

    fn set_param(&mut self, key: &str, raw: &str, commit: bool) {
        let Some(spec) = self.url.lab.and_then(|l| l.param(key)) else {
            return;
        };
        self.field_texts.retain(|(k, _)| *k != spec.key);
        self.field_texts.push((spec.key, raw.to_string()));
        let parsed = spec.parse(raw);
        if parsed.is_err() && !commit {
            return;
        }
        self.field_errors.retain(|(k, _)| *k != spec.key);
        match parsed {
            Ok(value) => self.url.values.set(spec.key, value),
            Err(e) => self.field_errors.push((
                spec.key,
                format!("{} {e}: enter {}.", spec.label, spec.accepted()),
            )),
        }
    }

    /// Why a field's last edit was refused, if it was.
    pub fn field_error(&self, key: &str) -> Option<&str> {
        self.field_errors
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, e)| e.as_str())
    }
}

// The generators lab: its stepper follows the URL's parameters and reports its runs. (Its
// imports sit here, with the block, so it merges apart from the rest of the page.)
use labs::generators;
use sim::generators::{Stepper, StepperAction};

impl PageModel {
    /// Gives the generators lab its stepper, programmed from the URL.
    fn with_stepper(mut self) -> Self {
        if self.url.lab.is_some_and(|l| l.body == LabBody::Stepper) {
            let (solution, sleep_ms) = generators::program(&self.url.values);
            self.stepper = Some(Stepper::new(solution, sleep_ms));
        }
        self
    }

    /// After a parameter edit: the stepper runs the program the form now shows.
    fn reprogram_stepper(&mut self) {
        if let Some(stepper) = self.stepper.take() {
            let (solution, sleep_ms) = generators::program(&self.url.values);
            self.stepper = Some(stepper.reprogrammed(solution, sleep_ms));
        }
    }

    fn step(&mut self, action: StepperAction) {
        let Some(stepper) = self.stepper.take() else {
            return;
        };
        let run_before = stepper.run_number();
        let stepper = stepper.apply(action);
        if stepper.run_number() != run_before {
            self.run_values = Some(self.url.values.clone());
        }
        self.stepper = Some(stepper);
    }

    /// The result message of the stepper's last ended run, if one ended.
    pub fn stepper_result_message(&self) -> Option<ResultMessage> {
        let result = self.stepper.as_ref()?.result()?;
        let tenth = |ms: f64| (ms * 10.0).round() / 10.0;
        Some(ResultMessage {
            kind: "async-playground:result",
            id: self.url.id.clone(),
            lab: generators::LAB.id,
            params: ParamsObject(self.run_values.clone()?),
            executors: vec![ExecutorResult {
                name: "generator-loop",
                status: result.status.id(),
                wall_ms: tenth(result.wall_ms),
                expected_ms: tenth(result.expected_ms),
                tasks_done: result.tasks_done,
                tasks_total: result.tasks_total,
                predicted_ms: None,
            }],
        })
    }
}

#[cfg(test)]
mod stepper_tests {
    use super::*;
    use labs::params::ParamValue;
    use labs::pitfalls::PitfallAction;
    use sim::generators::Mode;
    use sim::trace::RunStatus;

    fn page(query: &str) -> PageModel {
        PageModel::new(UrlState::parse(query))
    }

    #[test]
    fn run_and_stop_reach_the_stepper_and_a_stopped_run_sends_one_message() {
        let p =
            page("lab=generators&solution=2&seconds=0.5&id=lesson").apply(PageAction::RequestRun);
        assert_eq!(p.stepper.as_ref().map(Stepper::mode), Some(Mode::Running));
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
        let stepper = p.stepper.as_ref().unwrap();
        assert_eq!(
            stepper.scheduler().solution(),
            sim::generators::Solution::YieldAsleep
        );
        assert!(p.live_query().contains("solution=3"));
        assert!(page("lab=hello").stepper.is_none());
    }

    #[test]
    fn the_pitfalls_live_runs_are_kept_by_the_page() {
        let p = page("lab=pitfalls")
            .apply(PageAction::Pitfall(PitfallAction::RunForgottenAwait))
            .apply(PageAction::Pitfall(PitfallAction::Blocked {
                held_ms: 1000.0,
            }));
        assert_eq!(p.pitfalls.blocked_ms, Some(1000.0));
        let run = p.pitfalls.forgotten_await.unwrap();
        assert!(run.without_await.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use labs::params::ParamValue;
    use sim::trace::{RunStatus, TraceRecorder};

    fn page(query: &str) -> PageModel {
        PageModel::new(UrlState::parse(query))
    }

    /// Ends the run of `p` as its plan goes, each executor taking the next of `walls_ms`.
    fn ended(mut p: PageModel, walls_ms: &[f64]) -> PageModel {
        for ms in walls_ms {
            let item = &p.run.plan[p.run.current];
            let rec = TraceRecorder::new(item.executor, 2, vec![], 0.0);
            rec.task_ended(*ms, 0, 0);
            let trace = std::rc::Rc::new(rec.finish(*ms, RunStatus::Finished, None));
            let run_number = p.run.run_number;
            p = p.apply(PageAction::Run(RunEvent::ExecutorEnded {
                run_number,
                trace,
            }));
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
        let p = p.apply(PageAction::Export { csv: false });
        assert_eq!(p.exports, (0, false));
        let p = ended(p, &[600.0, 300.0]);
        let sent = p.result_message().unwrap();
        let p = p.apply(PageAction::Export { csv: true });
        assert_eq!(p.exports, (1, true));

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
        assert_eq!(asked.run.phase, Phase::Confirming);
        assert!(asked.export_items().is_none());
        assert_eq!(
            asked
                .clone()
                .apply(PageAction::Export { csv: false })
                .exports,
            (1, true)
        );
        for answer in [PageAction::Cancel, PageAction::Stop] {
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
        for ((info, trace), live) in read.items.iter().zip(&p.run.traces) {
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
        let walls = vec![100.0; p.run.plan.len()];
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
        let before = on_sleep.run.run_number;
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
        assert_eq!(shown.run.phase, Phase::Ended(RunStatus::Finished));
        assert_eq!(shown.run.run_number, before + 1);
        assert_eq!(shown.run.plan, ran.run.plan);
        assert_eq!(shown.run.traces, ran.run.traces);
        assert_eq!(shown.run_values, ran.run_values);
        assert_eq!(
            run_summaries(&shown.run, RunStatus::Finished, 3),
            run_summaries(&ran.run, RunStatus::Finished, 3)
        );
        assert!(!shown.model_hidden());
        assert_eq!(
            shown.imported.as_deref(),
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
        assert!(again.run.is_running());
        assert!(again.imported.is_none());
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
        assert_eq!(late.run, running.run);
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
        assert_eq!(shown.run.traces, ran.run.traces);
        assert_eq!(shown.compare_run_rows(), ran.compare_run_rows());
        assert!(shown.compare_messages().is_empty());
    }

    #[test]
    fn a_linked_import_keeps_its_address_until_a_run_of_its_own_and_export_goes_on() {
        let ran = ended(
            page("lab=hello&executors=event-loop").apply(PageAction::RequestRun),
            &[300.0],
        )
        .apply(PageAction::Export { csv: false });
        assert_eq!(ran.exports, (1, false));
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
            (again.imported.as_deref(), again.url.import.as_deref()),
            (None, None)
        );
        assert_eq!(
            again.apply(PageAction::Export { csv: true }).exports,
            (2, true)
        );
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
        assert!(run_all.run.is_running());
        assert_eq!(run_all.imported, None);
    }

    #[test]
    fn run_all_on_compare_runs_a_plan_of_its_rows_and_a_message_ends_each_row() {
        use sim::trace::{RunStatus, TraceRecorder};
        let p = page("lab=compare&scale=0.1&repeat=2").apply(PageAction::RequestRun);
        assert!(
            !p.run.is_running(),
            "the rows with requests wait for the network"
        );
        let p = p.apply(PageAction::NetworkFound(Network::Server));
        assert!(p.run.is_running(), "scale 0.1 never asks");
        let (rows, repeat) = p.compare_run_rows();
        assert_eq!((rows.len(), repeat), (13, 2));
        assert_eq!(p.run.plan.len(), 26);
        assert_eq!(p.run.plan[2].lab, "sleep");
        assert_eq!(p.run.plan[2].executor, ExecutorId::Threads);
        let end = |p: PageModel, ms: f64, status: RunStatus| {
            let item = &p.run.plan[p.run.current];
            let rec = TraceRecorder::new(item.executor, 1, vec![], 0.0);
            let trace = std::rc::Rc::new(rec.finish(ms, status, None));
            let run_number = p.run.run_number;
            p.apply(PageAction::Run(RunEvent::ExecutorEnded {
                run_number,
                trace,
            }))
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
            let item = &p.run.plan[p.run.current];
            let rec = TraceRecorder::new(item.executor, 2, vec![], 0.0);
            let trace = std::rc::Rc::new(rec.finish(ms, RunStatus::Finished, None));
            let run_number = p.run.run_number;
            p = p.apply(PageAction::Run(RunEvent::ExecutorEnded {
                run_number,
                trace,
            }));
        }
        assert!(!p.model_hidden());
        let message = p.result_message().unwrap();
        assert_eq!(message.executors[0].predicted_ms, None);
        assert_eq!(message.executors[1].predicted_ms, Some(1700.0));
        // A guess written after that run hides the model again, until the next run ends.
        let again = p.apply(PageAction::SetPrediction {
            lab: None,
            executor: ExecutorId::Sequential,
            raw: "0.6".into(),
        });
        assert!(again.model_hidden());
        // The learner writes a guess: it goes to the address; a wrong one is refused by name.
        let p = page("lab=hello&executors=sequential").apply(PageAction::SetPrediction {
            lab: None,
            executor: ExecutorId::Sequential,
            raw: "2.5".into(),
        });
        assert!(p.model_hidden());
        assert!(p.live_query().ends_with("&predict=sequential:2.5"));
        let p = p.apply(PageAction::SetPrediction {
            lab: None,
            executor: ExecutorId::Sequential,
            raw: "soon".into(),
        });
        assert!(p
            .notices
            .last()
            .unwrap()
            .starts_with("Your prediction for sequential: \u{201c}soon\u{201d}"));
        assert_eq!(p.prediction_for(None, "sequential"), Some(2500.0));
        let p = p.apply(PageAction::SetPrediction {
            lab: None,
            executor: ExecutorId::Sequential,
            raw: "".into(),
        });
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
        assert!(found("lab=compare").run.is_running());
        assert!(found("lab=compare&repeat=9").run.is_running());
        assert_eq!(found("lab=compare&scale=10").run.phase, Phase::Confirming);
    }

    #[test]
    fn a_run_asked_for_while_the_page_looks_for_its_endpoint_starts_when_found() {
        let p = page("lab=http&tasks=3&executors=event-loop").apply(PageAction::RequestRun);
        assert_eq!(p.network, Network::Looking);
        assert!(!p.run.is_running());
        let p = p.apply(PageAction::NetworkFound(Network::Simulated));
        assert!(p.run.is_running());
        // The service worker answers at once: no connection limit in the prediction.
        assert_eq!(p.run.plan[0].projected_ms, 200.0);
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
        assert!(failed.apply(PageAction::RequestRun).run.is_running());
    }

    #[test]
    fn with_nowhere_to_send_requests_run_says_why() {
        let p = page("lab=http&executors=event-loop")
            .apply(PageAction::NetworkFound(Network::Unavailable))
            .apply(PageAction::RequestRun);
        assert!(!p.run.is_running());
        assert_eq!(p.notices.last().map(String::as_str), Some(NO_ENDPOINT));
        // A url of one's own still runs.
        let p = page("lab=http&url=https%3A%2F%2Fexample.org%2F&executors=event-loop")
            .apply(PageAction::NetworkFound(Network::Unavailable))
            .apply(PageAction::RequestRun);
        assert!(p.run.is_running());
        assert_eq!(p.run_workload().unwrap().per_host_limit, Some(6));
    }

    #[test]
    fn stop_asks_the_page_to_abort_the_run_or_declines_a_long_one() {
        let p = page("lab=hello&executors=sequential").apply(PageAction::RequestRun);
        assert!(p.run.is_running());
        let p = p.apply(PageAction::Stop);
        assert!(p.run.stop_requested && p.run.is_running());
        let long = page("lab=sleep&tasks=4000&seconds=60&executors=sequential")
            .apply(PageAction::RequestRun);
        assert_eq!(long.run.phase, Phase::Confirming);
        let declined = long.apply(PageAction::Stop);
        assert_eq!(declined.run.phase, Phase::Idle);
        assert!(!declined.run.stop_requested);
    }

    #[test]
    fn discarding_the_pool_is_asked_of_the_page_only_when_it_has_workers_and_is_idle() {
        let p = page("lab=is-prime&executors=pool").apply(PageAction::DiscardPool);
        assert_eq!(p.pool.discards, 0, "no worker alive: nothing to discard");
        let p = p.apply(PageAction::PoolAlive(2));
        assert_eq!(p.pool.alive, 2);
        let running = p.clone().apply(PageAction::RequestRun);
        assert!(running.run.is_running());
        assert_eq!(running.apply(PageAction::DiscardPool).pool.discards, 0);
        let p = p.apply(PageAction::DiscardPool);
        assert_eq!(p.pool.discards, 1);
        assert!(p.notices.last().unwrap().starts_with("Pool discarded"));
        assert_eq!(p.apply(PageAction::PoolAlive(0)).pool.alive, 0);
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
    fn a_long_run_asks_first() {
        let p = page("lab=sleep&executors=sequential,event-loop").apply(PageAction::RequestRun);
        assert_eq!(p.run.phase, Phase::Confirming);
        let p = page("lab=hello").apply(PageAction::RequestRun);
        assert_eq!(p.run.phase, Phase::Running);
    }

    #[test]
    fn unchecking_every_executor_blocks_the_run_with_a_notice() {
        let p = page("lab=hello&executors=event-loop")
            .apply(PageAction::SetExecutor {
                executor: ExecutorId::EventLoop,
                chosen: false,
            })
            .apply(PageAction::RequestRun);
        assert_eq!(p.run.phase, Phase::Idle);
        assert!(p.notices.last().unwrap().contains("at least one executor"));
    }

    #[test]
    fn executors_keep_the_labs_order_and_refuse_ones_it_does_not_offer() {
        let p = page("lab=hello&executors=event-loop")
            .apply(PageAction::SetExecutor {
                executor: ExecutorId::Threads,
                chosen: true,
            })
            .apply(PageAction::SetExecutor {
                executor: ExecutorId::Sequential,
                chosen: true,
            })
            .apply(PageAction::SetExecutor {
                executor: ExecutorId::Pool,
                chosen: true,
            });
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
            p.run.executors().collect::<Vec<_>>(),
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
        assert_eq!(p.run.phase, Phase::Idle);
        assert!(p.notices.last().unwrap().contains("threads is skipped"));
    }

    #[test]
    fn each_executor_keeps_its_own_cap_ten_million_sleepers_only_on_the_wheel() {
        // Ten million sleepers: the event loop takes them, the others are skipped by name.
        let p = page("lab=sleep&tasks=10000000&seconds=1&executors=event-loop,threads,pool")
            .apply(PageAction::RequestRun);
        assert_eq!(
            p.run.executors().collect::<Vec<_>>(),
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
        assert_eq!(p.run.phase, Phase::Idle);
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
        assert_eq!(p.run.phase, Phase::Idle);
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
        let p = p.apply(PageAction::Run(RunEvent::ExecutorEnded {
            run_number: 1,
            trace: std::rc::Rc::new(rec.finish(1000.0, RunStatus::Finished, None)),
        }));
        let msg = p.result_message().unwrap();
        assert_eq!(msg.id.as_deref(), Some("lesson-1"));
        assert_eq!(msg.params.0.get("tasks"), Some(&ParamValue::Int(2)));
        assert_eq!(msg.executors[0].status, "finished");
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
        let Some(ParamValue::Int(n)) = p.run_values.as_ref().unwrap().get("n").cloned() else {
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
}
