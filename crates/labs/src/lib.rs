//! The labs layer of Async Playground: the lab registry, one module per lab, one line per lab
//! in [`LABS`]; the parameters every lab draws from ([`params`]); each lab's workload and
//! Python ([`program`]); the notes index ([`notes`]); the compare table ([`compare`]) and a run
//! as a plan of items ([`plan`]). It builds on the simulation ([`sim`]) and knows nothing of
//! the page.
//!
//! The home page, the URL parser, the parameter form, the embed snippet and the end-to-end
//! test that opens every lab all walk this list.

mod cats;
mod combined;
pub mod compare;
pub mod generators;
mod hello;
mod http;
mod is_prime;
mod mixed;
pub mod notes;
pub mod params;
pub mod pitfalls;
pub mod plan;
pub mod program;
pub mod program_lines;
mod sleep;
mod values;

use crate::params::{ParamSpec, ParamValues};
pub use program::{Expected, Program};
use sim::cpu::Calibration;
use sim::executors::ExecutorId;
use sim::workload::Workload;
pub use values::LabValues;

/// What a lab's page is made of; the page picks its view from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabBody {
    /// A workload run on the executors the learner picks.
    Workload,
    /// A program stepped one `next()` at a time (the generators lab).
    Stepper,
    /// A page of explained cases, each with a live run where one is possible (pitfalls).
    Cases,
    /// The article's table: every workload on every executor, run as one plan (compare).
    Compare,
}

impl LabBody {
    /// The page's module that draws this kind of page (`app_<module>`, built with the feature
    /// of that name): index.html's loader picks it from the URL's lab, and the home page is in
    /// the workload labs' module.
    pub fn module(self) -> &'static str {
        match self {
            LabBody::Workload => "workload",
            LabBody::Stepper => "stepper",
            LabBody::Cases => "cases",
            LabBody::Compare => "compare",
        }
    }
}

/// Everything the page needs to know about one lab.
#[derive(Clone, Copy, Debug)]
pub struct LabSpec {
    /// The URL id (`?lab=hello`).
    pub id: &'static str,
    /// The page's `h1`.
    pub title: &'static str,
    /// One line on what it shows, for the home page.
    pub summary: &'static str,
    /// The lab's question in one sentence, under its title: what a run answers.
    pub question: &'static str,
    /// The article section it stands for.
    pub section: &'static str,
    /// What its page is made of.
    pub body: LabBody,
    /// Its parameters, in form order.
    pub params: &'static [ParamSpec],
    /// The executors it offers, in display order.
    pub executors: &'static [ExecutorId],
    /// The executors chosen when the URL names none.
    pub default_executors: &'static [ExecutorId],
    /// The corrected Python the lab's run stands for, written with its values: call it
    /// through [`LabSpec::program`]. `None` for a page that shows no program of its own
    /// (pitfalls shows one a case, compare links each row to its lab).
    pub python: Option<fn(&Program) -> String>,
    /// The article's own code for this section, as the article prints it: a file of the
    /// build (`www/article/<id>.txt`), relative to the page, which the learner opens from a link
    /// ("" for none). It is not needed at first paint, so it is not in the download.
    pub article: &'static str,
    /// The wall times the article reports for its own run, ms, by executor.
    pub article_ms: &'static [(ExecutorId, f64)],
    /// Builds the workload from resolved parameters (no `auto` left) and the page's
    /// calibration; call it through [`LabSpec::build`]. `None` for a page that runs no
    /// workload of its own (generators, pitfalls, compare).
    pub workload: Option<fn(&LabValues, &Calibration) -> Workload>,
}

// Labs are one per id: comparing ids compares labs (a workload fn pointer is not comparable).
impl PartialEq for LabSpec {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl LabSpec {
    /// Whether its CPU jobs are sized by how fast this page computes (an `n=auto` of so many
    /// ms of work; the compare table's rows too): the page measures it before a run.
    pub fn sizes_cpu_jobs(&self) -> bool {
        self.body == LabBody::Compare
            || self.params.iter().any(|p| {
                matches!(
                    p.kind,
                    params::ParamKind::AutoInt {
                        auto: params::AutoRule::CpuMs(_),
                        ..
                    }
                )
            })
    }

    /// The parameters at their defaults.
    pub fn default_values(&self) -> ParamValues {
        ParamValues::defaults(self.params)
    }

    /// The workload `values` describe on a page calibrated as `calibration` (empty for a
    /// lab that runs none of its own).
    pub fn build(&self, values: &ParamValues, calibration: &Calibration) -> Workload {
        let Some(workload) = self.workload else {
            return Workload::default();
        };
        workload(
            &LabValues::decode(&values.resolved(self.params, calibration)),
            calibration,
        )
    }

    /// The Python of a run of this lab with `values` (as the URL gives them) on `executors`,
    /// on a page at `base` calibrated as `calibration`.
    pub fn program(
        &self,
        values: &ParamValues,
        executors: &[ExecutorId],
        calibration: &Calibration,
        base: &str,
    ) -> String {
        let Some(python) = self.python else {
            return String::new();
        };
        let resolved = values.resolved(self.params, calibration);
        let workload = self.build(values, calibration);
        let chosen: Vec<ExecutorId> = self
            .executors
            .iter()
            .copied()
            .filter(|e| executors.contains(e) && e.takes(&workload))
            .collect();
        python(&Program {
            values: &LabValues::decode(values),
            resolved: &LabValues::decode(&resolved),
            executors: &chosen,
            base,
        })
    }

    /// The spec of parameter `key`.
    pub fn param(&self, key: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|p| p.key == key)
    }
}

/// The `n` of a lab's CPU jobs: as given, or (still `auto`) about one second of work here.
fn cpu_n(values: &LabValues, calibration: &Calibration) -> u64 {
    values.n.unwrap_or_else(|| calibration.n_for_ms(1000.0))
}

/// Where a lab's requests go (the user's `url`, or the latency endpoint for `delay_ms`) and
/// the latency the model expects of each.
fn fetch_target(values: &LabValues) -> (String, f64) {
    let delay_ms = values.delay_ms;
    match values.url.as_str() {
        "" => (sim::workload::delay_url(delay_ms), delay_ms),
        url => (url.to_string(), delay_ms),
    }
}

/// `workload` with the connection limit its requests meet here: none for the simulated
/// latency endpoint of a static host; a user's own URL goes over the real network.
fn on_this_network(
    mut workload: Workload,
    values: &LabValues,
    calibration: &Calibration,
) -> Workload {
    if calibration.simulated_network && values.url.is_empty() {
        workload.per_host_limit = None;
    }
    workload
}

/// Every lab, in the article's order.
pub static LABS: &[LabSpec] = &[
    hello::LAB,
    generators::LAB,
    sleep::LAB,
    http::LAB,
    is_prime::LAB,
    mixed::LAB,
    combined::LAB,
    cats::LAB,
    compare::LAB,
    pitfalls::LAB,
];

/// Looks a lab up by its URL id.
pub fn find(id: &str) -> Option<&'static LabSpec> {
    LABS.iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of lab `lab` with the `key=value` pairs of `query` set over its defaults, as a
    /// link would give them.
    pub(crate) fn values_of(lab: &str, query: &str) -> ParamValues {
        let lab = find(lab).expect("a registered lab");
        let mut values = lab.default_values();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').expect("key=value");
            let spec = lab.param(key).expect("a parameter of the lab");
            values.set(spec.key, spec.parse(raw).expect("a valid value"));
        }
        values
    }
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_url_safe() {
        let mut seen = HashSet::new();
        for lab in LABS {
            assert!(seen.insert(lab.id), "duplicate lab id {}", lab.id);
            assert!(lab.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
    }

    #[test]
    fn ready_labs_offer_their_defaults_and_build_a_workload() {
        for lab in LABS.iter().filter(|l| l.body == LabBody::Workload) {
            assert!(!lab.default_executors.is_empty(), "{}", lab.id);
            for e in lab.default_executors {
                assert!(lab.executors.contains(e), "{} default {:?}", lab.id, e);
            }
            let w = lab.build(&lab.default_values(), &Calibration::default());
            assert!(w.task_count >= 1);
            let python = lab.program(
                &lab.default_values(),
                lab.default_executors,
                &Calibration::default(),
                "http://127.0.0.1:8080/",
            );
            assert!(
                python.contains("if __name__ == \"__main__\":"),
                "{}",
                lab.id
            );
        }
    }

    #[test]
    fn every_program_keeps_to_pep_8_s_79_columns_but_its_url() {
        use sim::executors::python::MAX_LINE;
        let mut too_long = std::collections::BTreeSet::new();
        let mut check = |program: &str, whose: &str| {
            for line in program.lines() {
                if line.chars().count() > MAX_LINE && !line.contains("://") {
                    too_long.insert(format!("{whose}: {line}"));
                }
            }
        };
        for lab in LABS.iter().filter(|l| l.body == LabBody::Workload) {
            // Every executor, at the defaults and with each choice of each parameter (with
            // `auto` and a number of workers both).
            let mut variants = vec![lab.default_values()];
            for spec in lab.params {
                match spec.kind {
                    params::ParamKind::Choice { options, .. } => {
                        for (choice, _) in options {
                            let mut values = lab.default_values();
                            values.set(spec.key, spec.parse(choice).expect("an option"));
                            variants.push(values);
                        }
                    }
                    params::ParamKind::AutoInt { .. } => {
                        let mut values = lab.default_values();
                        values.set(spec.key, spec.parse("2").expect("a number"));
                        variants.push(values);
                    }
                    _ => {}
                }
            }
            for values in variants {
                let program = lab.program(
                    &values,
                    lab.executors,
                    &Calibration::default(),
                    "http://127.0.0.1:8080/",
                );
                check(&program, lab.id);
            }
        }
        for solution in sim::generators::Solution::ALL {
            let program = sim::generators::python::source(solution, "0.25");
            check(&program, "generators");
        }
        assert!(too_long.is_empty(), "{too_long:#?}");
    }

    #[test]
    fn a_comment_wraps_at_79_columns_and_keeps_a_range_on_one_line() {
        let text = format!(
            "n=auto: about 1 s of work on the page; {} a job in {}",
            "20.1 to 25.2 s".replace(' ', "\u{a0}"),
            "CPython 3.11 to 3.13".replace(' ', "\u{a0}")
        );
        assert_eq!(
            program::comment(&text),
            "# n=auto: about 1 s of work on the page; 20.1 to 25.2 s a job in\n# CPython 3.11 to 3.13\n"
        );
        assert_eq!(program::comment("short"), "# short\n");
    }

    #[test]
    fn each_articles_code_is_a_file_of_the_build() {
        for lab in LABS.iter().filter(|l| !l.article.is_empty()) {
            let path = format!("{}/../../www/{}", env!("CARGO_MANIFEST_DIR"), lab.article);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                text.lines().count() > 5,
                "{} has no article code at {path}",
                lab.id
            );
        }
    }

    #[test]
    fn every_design_lab_is_listed() {
        for id in [
            "hello",
            "generators",
            "sleep",
            "http",
            "is-prime",
            "mixed",
            "combined",
            "cats",
            "compare",
            "pitfalls",
        ] {
            assert!(find(id).is_some(), "{id}");
        }
    }

    #[test]
    fn every_lab_asks_its_question_in_one_sentence() {
        for lab in LABS {
            let q = lab.question;
            assert!(q.ends_with('?'), "{}: {q}", lab.id);
            assert_eq!(q.matches('?').count(), 1, "{}: {q}", lab.id);
            assert!(
                q.len() <= 130,
                "{}: a question that fits two lines on a phone",
                lab.id
            );
        }
    }

    #[test]
    fn the_main_settings_come_first_and_the_advanced_fold() {
        for lab in LABS.iter().filter(|l| l.body == LabBody::Workload) {
            assert!(lab.params.iter().any(|p| !p.advanced()), "{}", lab.id);
        }
        let hello = find("hello").unwrap();
        let advanced: Vec<_> = hello
            .params
            .iter()
            .filter(|p| p.advanced())
            .map(|p| p.key)
            .collect();
        assert_eq!(advanced, ["switch_ms", "gil"]);
    }
}
