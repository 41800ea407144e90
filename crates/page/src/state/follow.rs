//! What the edge follows of the page: the state it mirrors (the address, the theme, the
//! title), what a page asks for when it opens, and the effects of a change (a run that
//! starts or ends, a row of the compare table that ends, the network to look for, the
//! interpreter to warm, the stepper's frames).

use super::{Network, PageAction, PageModel};
use crate::effect::Effect;
use crate::rooms::{compare, Room};
use crate::run_state::Phase;
use crate::url_state::{Theme, UrlState};
use labs::params::keys;
use labs::LabSpec;
use sim::cpu::Calibration;

/// What the edge follows of the page: a change of any of it is an effect.
#[derive(PartialEq)]
pub(super) struct Watched {
    query: String,
    theme: Option<Theme>,
    title: String,
    lab: Option<&'static str>,
    running: Option<u64>,
    ended: Option<u64>,
    /// How many of the run's items have ended (each may end a row of the compare table).
    traces: usize,
    looking: Option<&'static str>,
    threads: Option<u32>,
    stepper_ended: Option<u32>,
    frames: bool,
}

impl PageModel {
    /// The page as it opens at `address` (its URL without the query), calibrated as
    /// `calibration`, with what the edge must do first: show the address, theme and title,
    /// look for the latency endpoint, read the notes and `import=`'s file, warm the
    /// interpreter, and run when the link says `run=1`. With `measure`, a lab whose CPU jobs
    /// are sized by this machine's speed has it measured after the first paint
    /// ([`Effect::Calibrate`]); its Run waits for it.
    pub fn start(
        url: UrlState,
        address: String,
        calibration: Calibration,
        measure: bool,
    ) -> (Self, Vec<Effect>) {
        let mut model = PageModel::new(url)
            .with_address(address)
            .with_calibration(calibration);
        model.calibrating = measure && model.url.lab.is_some_and(LabSpec::sizes_cpu_jobs);
        let watched = model.watched();
        let mut effects = vec![
            Effect::WriteUrl(watched.query),
            Effect::SetTheme(watched.theme),
            Effect::SetTitle(watched.title),
        ];
        effects.extend(watched.looking.map(Effect::FindNetwork));
        effects.extend(watched.lab.map(Effect::FetchNotes));
        if model.calibrating {
            effects.push(Effect::Calibrate);
        }
        effects.extend(model.url.import.clone().map(Effect::Import));
        if watched.threads.is_some() {
            effects.push(Effect::WarmThreads(model.machine()));
        }
        if !model.url.run {
            return (model, effects);
        }
        // A lab that makes requests starts once its latency endpoint is found.
        let (model, more) = model.update(PageAction::RequestRun);
        effects.extend(more);
        (model, effects)
    }

    /// What the edge follows of the page now.
    pub(super) fn watched(&self) -> Watched {
        let runs = self.room.runs();
        let stepper = match &self.room {
            Room::Stepper(room) => Some(&room.stepper),
            _ => None,
        };
        let run_number = |phase_matches: fn(&Phase) -> bool| {
            runs.filter(|r| phase_matches(&r.run.phase))
                .map(|r| r.run.run_number)
        };
        Watched {
            query: self.live_query(),
            theme: self.url.theme,
            title: match self.url.lab {
                Some(lab) => format!("{} \u{b7} Async Playground", lab.title),
                None => "Async Playground".to_string(),
            },
            lab: self.url.lab.map(|l| l.id),
            running: run_number(|p| *p == Phase::Running),
            ended: run_number(|p| matches!(p, Phase::Ended(_))),
            traces: runs.map_or(0, |r| r.run.traces.len()),
            looking: (self.network == Network::Looking)
                .then(|| self.url.values.choice(keys::NETWORK)),
            threads: self.uses_threads().then(|| self.machine().interpreters()),
            stepper_ended: stepper.and_then(|s| s.result()).map(|r| r.run_number),
            frames: stepper.is_some_and(|s| s.wants_frames()),
        }
    }

    /// The effects of what changed since `before`.
    pub(super) fn follow(&mut self, before: Watched, effects: &mut Vec<Effect>) {
        let now = self.watched();
        if now == before {
            return;
        }
        if now.query != before.query {
            effects.push(Effect::WriteUrl(now.query.clone()));
        }
        if now.theme != before.theme {
            effects.push(Effect::SetTheme(now.theme));
        }
        if now.title != before.title {
            effects.push(Effect::SetTitle(now.title.clone()));
        }
        if now.lab != before.lab {
            effects.extend(now.lab.map(Effect::FetchNotes));
        }
        if now.looking != before.looking {
            effects.extend(now.looking.map(Effect::FindNetwork));
        }
        if now.threads != before.threads && now.threads.is_some() {
            effects.push(Effect::WarmThreads(self.machine()));
        }
        if let (Some(run_number), true) = (now.running, now.running != before.running) {
            if let Some(runs) = self.room.runs_mut() {
                runs.rows_posted = 0;
                effects.push(Effect::StartRun {
                    run_number,
                    plan: runs.run.plan.clone(),
                });
            }
        }
        if let (Some(run_number), true) = (now.ended, now.ended != before.ended) {
            // One message a run: a long run declined brings the last one back, not its message.
            let message = self.result_message();
            if let Some(runs) = self.room.runs_mut() {
                if runs.result_posted < run_number {
                    runs.result_posted = run_number;
                    effects.extend(message.map(Effect::PostResult));
                }
            }
        }
        if let Room::Compare(runs) = &self.room {
            // Each row's message as the row ends (a run that ends also ends its last row).
            let messages = compare::messages(runs, &self.url, &self.calibration);
            let posted = runs.rows_posted;
            if messages.len() > posted {
                effects.extend(messages[posted..].iter().cloned().map(Effect::PostResult));
                if let Room::Compare(runs) = &mut self.room {
                    runs.rows_posted = messages.len();
                }
            }
        }
        if now.stepper_ended.is_some() && now.stepper_ended != before.stepper_ended {
            effects.extend(self.stepper_result_message().map(Effect::PostResult));
        }
        if now.frames != before.frames {
            effects.push(Effect::Frames(now.frames));
        }
    }

    /// Whether the page runs threads, so its interpreter worker is started when it opens
    /// (and again when the GIL setting or the pool size changes): the compare table has rows
    /// on threads too.
    fn uses_threads(&self) -> bool {
        match self.room {
            Room::Compare(_) => true,
            Room::Workload(_) => self.url.lab.is_some_and(|lab| {
                lab.executors
                    .iter()
                    .any(|e| e.spec().placement.on_interpreter())
            }),
            _ => false,
        }
    }
}
