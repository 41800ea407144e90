//! The Python a lab's run stands for, written with the run's own values: complete as shown
//! (imports, a driver, a main guard, one function per chosen executor, each timed), so a
//! learner can save it as a file, run it with `python3`, and see what the lab's Output printed.

use super::LabValues;
use crate::params::ParamValue;
use sim::executors::python::{Section, Word, Words};
use sim::executors::{ExecutorId, Gil};

/// What a lab's program is written from.
#[derive(Clone, Copy, Debug)]
pub struct Program<'a> {
    /// The parameters as the URL gives them (`auto` kept: `workers=auto` is `Pool()`).
    pub values: &'a LabValues,
    /// The same, resolved on this page (`n=auto` is the n the page picked).
    pub resolved: &'a LabValues,
    /// The chosen executors, in the lab's order.
    pub executors: &'a [ExecutorId],
    /// The page's address: the latency endpoint is `api/delay?ms=N` in its folder.
    pub base: &'a str,
}

/// `text` as Python comment lines (`# ...`), each ending with a newline, words wrapped to
/// PEP 8's 79 columns; a no-break space (`\u{a0}`) holds two words together, and is written as
/// a space.
pub fn comment(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word = word.replace('\u{a0}', " ");
        if line.len() > 1 && line.chars().count() + 1 + word.chars().count() > 79 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(&word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// A decimal as Python (and the URL) writes it: `3`, `0.2`.
pub fn decimal(x: f64) -> String {
    ParamValue::Float(x).to_url()
}

impl Program<'_> {
    /// Whether `executor` was chosen.
    pub fn has(&self, executor: ExecutorId) -> bool {
        self.executors.contains(&executor)
    }

    /// The `n` of the run's CPU jobs (as the page resolved it).
    pub fn n(&self) -> u64 {
        self.resolved.n.unwrap_or_default()
    }

    /// The comment over `N = ...`, line by line: what `n=auto` picked, and what it costs
    /// CPython.
    pub fn n_note(&self) -> String {
        // A range ("3.11 to 3.13") stays on one line.
        let cpython = sim::cpython::is_prime_text(self.n()).replace(' ', "\u{a0}");
        let versions = sim::cpython::versions().replace(' ', "\u{a0}");
        match self.values.n {
            None => comment(&format!(
                "n=auto: about 1 s of work on the page; {cpython} a job in {versions}"
            )),
            Some(_) => comment(&format!("{cpython} a job in {versions}")),
        }
    }

    /// The URL the lab's requests fetch: the learner's own, or the page's latency endpoint.
    pub fn url(&self) -> String {
        match self.values.url.as_str() {
            "" => format!(
                "{}api/delay?ms={}",
                // The page's folder: `/sub/index.html` and `/sub/` both mean `/sub/`.
                &self.base[..self.base.rfind('/').map_or(self.base.len(), |i| i + 1)],
                self.resolved.delay_ms as u64
            ),
            url => url.to_string(),
        }
    }

    /// The words every lab starts from: `TASKS` tasks, each `ahello()` on the loop and
    /// `hello` as a blocking function, nothing handed over, the run's pool size. A lab's
    /// program changes what its tasks differ in.
    pub fn words(&self) -> Words<'static> {
        Words {
            count: "TASKS",
            coroutine: "ahello()",
            function: "hello",
            pool_task: "hello",
            map_note: "",
            offloaded: None,
            nothing_blocks: "sleep=async",
            sync: false,
            session: false,
            workers: self.values.workers,
        }
    }

    /// Whether a chosen executor runs threads that share a GIL per interpreter (threads),
    /// where the switch interval and `gil=off` apply.
    fn runs_threads(&self) -> bool {
        self.executors
            .iter()
            .any(|e| e.spec().gil == Gil::PerInterpreter)
    }

    /// The line that sets the GIL's switch interval, when threads run (every lab that offers
    /// threads has `switch_ms`).
    pub fn switch_interval(&self) -> Option<String> {
        if !self.runs_threads() {
            return None;
        }
        let ms = self.resolved.switch_ms;
        Some(format!(
            "    sys.setswitchinterval({})  # switch_ms = {}",
            decimal(ms / 1000.0),
            decimal(ms)
        ))
    }

    /// Where a free-threaded run must be started, when `gil=off` and threads run.
    pub fn gil_note(&self) -> Option<&'static str> {
        (self.runs_threads() && self.values.gil_off).then_some(
            "# gil=off: run it with a free-threaded CPython, e.g. `python3.13t`: its GIL\n# is off by default (`-X gil=0` keeps it off where an extension module\n# would turn it back on).\n",
        )
    }

    /// The whole program: `head` and the lab's definitions (each written when one of its
    /// words is used by a chosen executor's section, or always when it lists none), then each
    /// chosen executor's section in the lab's words, then the driver that times them.
    pub fn write(&self, head: &str, definitions: &[(&[Word], &str)], words: &Words) -> String {
        let sections: Vec<(ExecutorId, Section)> = self
            .executors
            .iter()
            .map(|&e| (e, (e.spec().python)(words)))
            .collect();
        let used = |word: &Word| sections.iter().any(|(_, s)| s.uses.contains(word));
        let mut parts: Vec<&str> = vec![head];
        parts.extend(
            definitions
                .iter()
                .filter(|(keys, _)| keys.is_empty() || keys.iter().any(used))
                .map(|(_, text)| *text),
        );
        parts.extend(sections.iter().map(|(_, s)| s.text.as_str()));
        let mut out = self.gil_note().unwrap_or("").to_string();
        out.push_str(&with_imports(
            blocks(&parts),
            self.switch_interval().is_some(),
        ));
        out.push_str(&self.driver(&sections));
        out
    }

    /// The `timed` helper and the main guard that runs each chosen executor's function, in
    /// the lab's order, as its section says.
    fn driver(&self, sections: &[(ExecutorId, Section)]) -> String {
        let mut out = String::from(
            "\n\n\ndef timed(name, run):\n    start = time.perf_counter()\n    run()\n    print(f\"{name}: {time.perf_counter() - start:.2f} s\")\n\n\nif __name__ == \"__main__\":\n",
        );
        if let Some(line) = self.switch_interval() {
            out.push_str(&line);
            out.push('\n');
        }
        for (executor, section) in sections {
            out.push_str(&format!(
                "    timed(\"{}\", {})\n",
                executor.id(),
                section.run
            ));
        }
        out
    }
}

/// `body` with the imports its sections need and the lab's head leaves out, in order:
/// `concurrent.futures` after `asyncio`, `os` after `multiprocessing`, `sys` before
/// `threading` (when the switch interval is set).
fn with_imports(mut body: String, sets_switch_interval: bool) -> String {
    let needs = [
        (
            body.contains("concurrent.futures."),
            "import asyncio\n",
            "import concurrent.futures\n",
            false,
        ),
        (
            body.contains("os.cpu_count()"),
            "import multiprocessing\n",
            "import os\n",
            false,
        ),
        (
            sets_switch_interval,
            "import threading\n",
            "import sys\n",
            true,
        ),
    ];
    for (needed, beside, import, before) in needs {
        if needed && !body.contains(import) {
            let with = if before {
                format!("{import}{beside}")
            } else {
                format!("{beside}{import}")
            };
            body = body.replacen(beside, &with, 1);
        }
    }
    body
}

/// Joins the parts of a program: blocks separated by two blank lines, as PEP 8 has it.
pub fn blocks(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|s| s.trim_matches('\n'))
        .collect::<Vec<_>>()
        .join("\n\n\n")
}

/// The article's `is_prime`, as written (renamed, `number` fixed to `n`).
pub const IS_PRIME_AS_WRITTEN: &str = r#"def is_prime_as_written(n):
    # The article's loop, with `number` fixed to `n`: it counts down to the
    # first divisor, which is at the latest 1, so it says True for every
    # n >= 2. It runs as written because its work is what the article timed.
    for i in range(n - 1, 0, -1):
        if n % i == 0:
            return True
    return False"#;

/// The lines the page expects a lab's program to print for one executor, and whether their
/// order is fixed (a pool's processes print in whatever order they finish).
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    /// The executor.
    pub executor: ExecutorId,
    /// Printed lines before its elapsed time.
    pub lines: Vec<String>,
    /// Whether the order is part of what is checked.
    pub ordered: bool,
    /// The wall time the page's run takes in virtual time, ms, where the program's own
    /// elapsed time must agree with it (runs that only sleep: their time does not depend on
    /// how fast the machine computes), with the bounds [`Expected::bounds_ms`] gives.
    pub wall_ms: Option<f64>,
}

impl Expected {
    /// The elapsed times a program may print for this executor, ms: at least 0.9 of the
    /// page's where it does not depend on the core count (so a run that should wait in turn
    /// really did), at most 1.5 times plus half a second (so one that should overlap did).
    pub fn bounds_ms(&self) -> Option<(f64, f64)> {
        let wall = self.wall_ms?;
        let floor = if self.executor.spec().waits_in_turn {
            0.9 * wall
        } else {
            0.0
        };
        Some((floor, 1.5 * wall + 500.0))
    }
}
