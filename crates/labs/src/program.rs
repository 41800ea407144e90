//! The Python a lab's run stands for, written with the run's own values: complete as shown
//! (imports, a driver, a main guard, one function per chosen executor, each timed), so a
//! learner can save it as a file, run it with `python3`, and see what the lab's Output printed.

use super::LabValues;
use crate::params::ParamValue;
use sim::executors::ExecutorId;

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
    /// `sequential` is a plain function (a synchronous program, as the cats' `SyncCat`): the
    /// lab's own Python says so.
    pub sync_sequential: bool,
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

    /// The comment after `N = ...`: what `n=auto` picked, and what it costs CPython.
    pub fn n_note(&self) -> String {
        let cpython = sim::format::duration(sim::cpu::cpython_estimate_ms(self.n()));
        match self.values.n {
            None => format!(
                "  # n=auto: about 1 s of work on the page; about {cpython} a job in CPython"
            ),
            Some(_) => format!("  # about {cpython} a job in CPython"),
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

    /// `Pool()` for `workers=auto` (one process per core), else `Pool(N)`.
    pub fn pool(&self) -> String {
        match self.values.workers {
            Some(n) => format!("multiprocessing.Pool({n})"),
            None => "multiprocessing.Pool()".into(),
        }
    }

    /// `concurrent.futures.ProcessPoolExecutor()` for `workers=auto` (one process per core),
    /// else with `N` processes.
    pub fn process_pool(&self) -> String {
        match self.values.workers {
            Some(n) => format!("concurrent.futures.ProcessPoolExecutor({n})"),
            None => "concurrent.futures.ProcessPoolExecutor()".into(),
        }
    }

    /// The comment after the process pool's `with` line.
    pub fn process_pool_note(&self) -> &'static str {
        match self.values.workers {
            Some(_) => "",
            None => "  # ProcessPoolExecutor(): one process per core",
        }
    }

    /// The comment after the pool's `with` line.
    pub fn pool_note(&self) -> &'static str {
        match self.values.workers {
            Some(_) => "",
            None => "  # Pool(): one process per core",
        }
    }

    /// The line that sets the GIL's switch interval, when threads run (every lab that offers
    /// threads has `switch_ms`).
    pub fn switch_interval(&self) -> Option<String> {
        if !self.has(ExecutorId::Threads) {
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
        (self.has(ExecutorId::Threads) && self.values.gil_off).then_some(
            "# gil=off: run it with a free-threaded CPython, e.g. `python3.13t -X gil=0`.\n",
        )
    }

    /// The whole program: `parts` (the chosen executors' code, `None` for what is left out),
    /// then the driver of [`Program::driver`].
    pub fn write(&self, parts: &[Option<&str>]) -> String {
        let mut out = self.gil_note().unwrap_or("").to_string();
        let mut body = blocks(parts);
        if body.contains("concurrent.futures.") && !body.contains("import concurrent.futures\n") {
            // Imports in order: `concurrent.futures` comes just after `asyncio`.
            body = body.replacen(
                "import asyncio\n",
                "import asyncio\nimport concurrent.futures\n",
                1,
            );
        }
        if self.switch_interval().is_some() && !body.contains("import sys\n") {
            // Imports in order: `sys` comes just before `threading`, which a threads run has.
            body = body.replacen("import threading\n", "import sys\nimport threading\n", 1);
        }
        out.push_str(&body);
        out.push_str(&self.driver());
        out
    }

    /// The `timed` helper and the main guard that runs each chosen executor's function, in
    /// the lab's order, as its registry entry says (`ExecutorSpec::python_run`; a synchronous
    /// program's `sequential`, as the cats' is, is a plain function).
    pub fn driver(&self) -> String {
        let mut out = String::from(
            "\n\n\ndef timed(name, run):\n    start = time.perf_counter()\n    run()\n    print(f\"{name}: {time.perf_counter() - start:.2f} s\")\n\n\nif __name__ == \"__main__\":\n",
        );
        if let Some(line) = self.switch_interval() {
            out.push_str(&line);
            out.push('\n');
        }
        for executor in self.executors {
            let run = match executor {
                // A synchronous program's sequential version is a plain function.
                ExecutorId::Sequential if self.sync_sequential => "sequential",
                _ => executor.spec().python_run,
            };
            out.push_str(&format!("    timed(\"{}\", {run})\n", executor.id()));
        }
        out
    }
}

/// `threads()`: one thread per task, each calling `target`, started together and joined.
pub fn threads(target: &str, count: &str) -> String {
    format!(
        "def threads():\n    workers = [threading.Thread(target={target}) for _ in range({count})]\n    for thread in workers:\n        thread.start()\n    for thread in workers:\n        thread.join()"
    )
}

/// Joins the parts of a program: blocks separated by two blank lines, as PEP 8 has it.
pub fn blocks(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
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
        let floor = match self.executor {
            ExecutorId::Sequential | ExecutorId::EventLoop | ExecutorId::Threads => 0.9 * wall,
            _ => 0.0,
        };
        Some((floor, 1.5 * wall + 500.0))
    }
}
