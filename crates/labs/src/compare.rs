//! The compare lab: the article's table run here. Each row is one workload on one executor,
//! with the article's figure beside what the model predicts on this machine and what the run
//! measures. The rows run at sizes made for this page (the whole table in under a minute on
//! two cores at `scale` 1); each row says its size and the article's.

use super::{LabBody, LabSpec, LabValues};
use crate::params::{self, keys, ParamKind, ParamSpec, ParamValue, ParamValues};
use crate::plan::PlanItem;
use sim::cpu::Calibration;
use sim::executors::ExecutorId;
use sim::trace::{RunStatus, Trace};
use std::rc::Rc;

/// `scale`: multiplies every duration of the default plan.
pub const SCALE: ParamSpec = ParamSpec {
    key: keys::SCALE,
    label: "Scale",
    help: "Multiplies every sleep, request latency and CPU job of the table: at 0.1 each row takes about a tenth of its time.",
    kind: ParamKind::Float {
        min: 0.01,
        max: 10.0,
        default: 1.0,
        step: 0.1,
    },
};

/// `repeat`: runs per row.
pub const REPEAT: ParamSpec = ParamSpec {
    key: keys::REPEAT,
    label: "Runs per row",
    help: "Each row runs this many times; the table shows the median and the spread.",
    kind: ParamKind::Int {
        min: 1,
        max: 9,
        default: 1,
    },
};

/// `sizes`: the CPU rows' jobs, one per worker here, or the article's five.
pub const SIZES: ParamSpec = ParamSpec {
    key: keys::SIZES,
    label: "CPU rows",
    help: "The article ran 5 jobs on 10 cores, a core each. One per worker runs as many jobs as this machine has workers (5 at most), so its rows ask what the article's did.",
    kind: ParamKind::Choice {
        options: &[
            ("fit", "fit: one job per worker here"),
            ("article", "article: its 5 jobs"),
        ],
        default: "fit",
    },
};

/// The jobs of the article's CPU rows.
const ARTICLE_JOBS: u32 = 5;

const PARAMS: &[ParamSpec] = &[SCALE, REPEAT, SIZES, params::NETWORK];

/// The lab.
pub const LAB: LabSpec = LabSpec {
    id: "compare",
    title: "Compare everything",
    summary: "The article's table reproduced: every workload on every executor, beside the article's figures.",
    question: "Every workload on every executor: which model wins where, and why?",
    section: "All",
    body: LabBody::Compare,
    params: PARAMS,
    executors: &[],
    default_executors: &[],
    python: None,
    article: "",
    article_ms: &[],
    workload: None,
};

/// What the article says a row took.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArticleFigure {
    /// As the article words it.
    pub text: &'static str,
    /// As a time, where it gives one, ms.
    pub ms: Option<f64>,
}

/// One row of the table, as written here.
struct RowSpec {
    lab: &'static str,
    executor: ExecutorId,
    /// The row's parameters at scale 1 (the others are the lab's defaults).
    params: &'static [(&'static str, &'static str)],
    /// Each CPU job, ms here at scale 1 (sizes `n` by the page's calibration).
    cpu_ms: Option<f64>,
    article: ArticleFigure,
}

const fn figure(text: &'static str, ms: f64) -> ArticleFigure {
    ArticleFigure { text, ms: Some(ms) }
}

const fn words(text: &'static str) -> ArticleFigure {
    ArticleFigure { text, ms: None }
}

const SLEEP: &[(&str, &str)] = &[("tasks", "4000"), ("seconds", "1")];
const SLEEP_POOL: &[(&str, &str)] = &[("tasks", "4"), ("seconds", "1")];
const HTTP: &[(&str, &str)] = &[("tasks", "60"), ("delay_ms", "200")];
const HTTP_POOL: &[(&str, &str)] = &[("tasks", "20"), ("delay_ms", "200")];
const PRIME: &[(&str, &str)] = &[("jobs", "5"), ("seconds", "1")];
const MIXED: &[(&str, &str)] = &[("jobs", "5"), ("requests", "10"), ("delay_ms", "100")];

/// The table, in the article's order.
const ROWS: &[RowSpec] = &[
    RowSpec {
        lab: "sleep",
        executor: ExecutorId::EventLoop,
        params: SLEEP,
        cpu_ms: None,
        article: figure("about 3 s", 3000.0),
    },
    RowSpec {
        lab: "sleep",
        executor: ExecutorId::Threads,
        params: SLEEP,
        cpu_ms: None,
        article: figure("4.3 s", 4300.0),
    },
    RowSpec {
        lab: "sleep",
        executor: ExecutorId::Pool,
        params: SLEEP_POOL,
        cpu_ms: None,
        article: words("\u{201c}quite some time\u{201d}"),
    },
    RowSpec {
        lab: "http",
        executor: ExecutorId::EventLoop,
        params: HTTP,
        cpu_ms: None,
        article: words("under 1 s"),
    },
    RowSpec {
        lab: "http",
        executor: ExecutorId::Threads,
        params: HTTP,
        cpu_ms: None,
        article: figure("5 s", 5000.0),
    },
    RowSpec {
        lab: "http",
        executor: ExecutorId::Pool,
        params: HTTP_POOL,
        cpu_ms: None,
        article: figure("4 s", 4000.0),
    },
    RowSpec {
        lab: "is-prime",
        executor: ExecutorId::EventLoop,
        params: PRIME,
        cpu_ms: Some(400.0),
        article: figure("6 s", 6000.0),
    },
    RowSpec {
        lab: "is-prime",
        executor: ExecutorId::Threads,
        params: PRIME,
        cpu_ms: Some(400.0),
        article: figure("about 6 s", 6000.0),
    },
    RowSpec {
        lab: "is-prime",
        executor: ExecutorId::Pool,
        params: PRIME,
        cpu_ms: Some(400.0),
        article: figure("3 s", 3000.0),
    },
    RowSpec {
        lab: "mixed",
        executor: ExecutorId::EventLoop,
        params: MIXED,
        cpu_ms: Some(200.0),
        article: figure("13 s", 13_000.0),
    },
    RowSpec {
        lab: "mixed",
        executor: ExecutorId::Threads,
        params: MIXED,
        cpu_ms: Some(200.0),
        article: figure("13 s", 13_000.0),
    },
    RowSpec {
        lab: "mixed",
        executor: ExecutorId::Pool,
        params: MIXED,
        cpu_ms: Some(200.0),
        article: figure("5 s \u{201c}with 10 processors\u{201d}", 5000.0),
    },
    RowSpec {
        lab: "combined",
        executor: ExecutorId::PoolOfLoops,
        params: MIXED,
        cpu_ms: Some(200.0),
        article: figure("4.5 s", 4500.0),
    },
];

/// What the article ran, per lab.
fn article_size(lab: &str) -> &'static str {
    match lab {
        "sleep" => "4,000 tasks of 3 s",
        "http" => "200 requests to a public server",
        "is-prime" => "5 jobs of about 1 s, each after a 1 s sleep",
        _ => "5 tasks, each a job, 10 requests and a job, on 10 cores",
    }
}

/// One row of the table, sized for this page.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// What runs, and what the model expects of it here.
    pub item: PlanItem,
    /// What the article says it took.
    pub article: ArticleFigure,
    /// The row's size here, in words.
    pub size: String,
    /// The article's size, in words.
    pub article_size: &'static str,
    /// What running the row's tasks one after another takes, ms: the model's sum, which its
    /// speed-up is against, so rows of different sizes compare.
    pub one_at_a_time_ms: f64,
}

impl Row {
    /// The row's key in notes and in `predict=`: `sleep/event-loop`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.item.lab, self.item.executor.id())
    }
}

/// A duration's value at `scale`, as the URL writes it.
fn scaled(text: &str, scale: f64, whole: bool) -> String {
    let x = sim::format::parse_decimal(text).unwrap_or(0.0) * scale;
    if whole {
        sim::format::fixed(x.round(), 0)
    } else {
        sim::format::fixed(x, 3)
    }
}

/// The table's rows at `scale`, with the network `network` (a value of `network=`), on a page
/// calibrated as `calibration`.
pub fn rows(values: &ParamValues, calibration: &Calibration) -> Vec<Row> {
    let scale = values.number(keys::SCALE);
    let network = values.choice(keys::NETWORK);
    let fit = values.choice(keys::SIZES) == "fit";
    ROWS.iter()
        .filter_map(|spec| {
            let lab = super::find(spec.lab)?;
            let mut row_values = lab.default_values();
            let mut set = |key: &str, text: &str| {
                if let Some(p) = lab.param(key) {
                    if let Ok(value) = p.parse(text) {
                        row_values.set(p.key, value);
                    }
                }
            };
            for (key, text) in spec.params {
                match *key {
                    "seconds" => set(key, &scaled(text, scale, false)),
                    "delay_ms" => set(key, &scaled(text, scale, true)),
                    _ => set(key, text),
                }
            }
            set(keys::NETWORK, network);
            // The article's CPU rows ran each job on a core of its own: fitted, a row runs
            // one job per worker of this machine, as many as the article's at most.
            if spec.cpu_ms.is_some() && fit {
                set(keys::JOBS, &fitted_jobs(calibration).to_string());
            }
            if let Some(ms) = spec.cpu_ms {
                let n = calibration.n_for_ms(ms * scale).max(2);
                row_values.set(keys::N, ParamValue::Int(n));
            }
            let row_values = row_values.resolved(lab.params, calibration);
            row_for(
                PlanItem::new(lab, row_values, spec.executor, calibration),
                calibration,
            )
        })
        .collect()
}

/// The row that runs `item` (its lab and executor), with the item's own values and
/// projection: a run's rows, live or read from a file.
pub fn row_for(item: PlanItem, calibration: &Calibration) -> Option<Row> {
    let spec = ROWS
        .iter()
        .find(|r| r.lab == item.lab && r.executor == item.executor)?;
    let one_at_a_time_ms = sim::executors::expected_ms(
        ExecutorId::Sequential,
        &item.workload(calibration),
        &item.machine(calibration),
    );
    Some(Row {
        one_at_a_time_ms,
        size: size(&LabValues::decode(&item.values), spec.lab, calibration),
        item,
        article: spec.article,
        article_size: article_size(spec.lab),
    })
}

/// The jobs of a fitted CPU row: one per worker of the machine (a pool's default is one per
/// core), the article's five at most.
pub fn fitted_jobs(calibration: &Calibration) -> u32 {
    calibration.cores.clamp(1, ARTICLE_JOBS)
}

/// Where a CPU row runs fewer jobs than the article: why, in words.
fn fewer_jobs(jobs: u32) -> String {
    if jobs < ARTICLE_JOBS {
        format!(": one per worker here, where the article ran {ARTICLE_JOBS} on 10 cores")
    } else {
        String::new()
    }
}

/// A row's size in words.
fn size(v: &LabValues, lab: &str, calibration: &Calibration) -> String {
    use sim::format::{count, duration};
    let cpu = || duration(calibration.estimate_ms(v.n.unwrap_or(2)));
    match lab {
        "sleep" => format!(
            "{} tasks of {}",
            count(u64::from(v.tasks)),
            duration(v.seconds * 1000.0)
        ),
        "http" => format!(
            "{} requests of {}",
            count(u64::from(v.tasks)),
            duration(v.delay_ms)
        ),
        "is-prime" => format!(
            "{} jobs of {}, each after a {} sleep{}",
            v.jobs,
            cpu(),
            duration(v.seconds * 1000.0),
            fewer_jobs(v.jobs)
        ),
        _ => format!(
            "{} tasks, each a {} job, {} requests of {} and a job{}",
            v.jobs,
            cpu(),
            v.requests,
            duration(v.delay_ms),
            fewer_jobs(v.jobs)
        ),
    }
}

/// The plan of a `Run all`: each row `repeat` times in a row.
pub fn plan(rows: &[Row], repeat: u32) -> Vec<PlanItem> {
    rows.iter()
        .flat_map(|row| std::iter::repeat_n(row.item.clone(), repeat.max(1) as usize))
        .collect()
}

#[cfg(test)]
mod tests;

/// The run a row's result message and its figures stand for: the median run by wall time
/// (of an even count, the faster of the two in the middle), or the run that stopped or failed.
pub fn median_run(runs: &[Rc<Trace>]) -> &Trace {
    if let Some(ended) = runs.iter().find(|t| t.status != RunStatus::Finished) {
        return ended;
    }
    let times: Vec<f64> = runs.iter().map(|t| t.wall_ms).collect();
    let order = sim::order::order_by(&times);
    &runs[order[(order.len() - 1) / 2]]
}

/// A row's finished runs: their median wall time (of an even count, the faster of the two in
/// the middle: the run the row's result message reports), and the fastest and the slowest, ms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measured {
    /// The median.
    pub median_ms: f64,
    /// The fastest run.
    pub min_ms: f64,
    /// The slowest run.
    pub max_ms: f64,
    /// How many runs finished.
    pub runs: usize,
}

/// What a row's runs measured, if one finished.
pub fn measured(runs: &[Rc<Trace>]) -> Option<Measured> {
    let times = sim::order::sorted_by(
        runs.iter()
            .filter(|t| t.status == RunStatus::Finished)
            .map(|t| t.wall_ms)
            .collect(),
        |ms| *ms,
    );
    let n = times.len();
    let (first, last) = (times.first()?, times.last()?);
    Some(Measured {
        median_ms: times[(n - 1) / 2],
        min_ms: *first,
        max_ms: *last,
        runs: n,
    })
}

/// The chart's horizontal scale: logarithmic, from a power of ten at or under the smallest
/// figure to one at or over the largest, when the figures span ten times or more; else linear
/// from zero.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// Powers of ten `from..to` (exponents of ms).
    Log { from: i32, to: i32 },
    /// Zero to `max` ms.
    Linear { max: f64 },
}

impl Scale {
    /// The scale of `figures` (ms; any that are not a positive time are left out).
    pub fn over(figures: impl IntoIterator<Item = f64>) -> Scale {
        let (mut lo, mut hi) = (f64::INFINITY, 0.0_f64);
        for ms in figures.into_iter().filter(|ms| ms.is_finite() && *ms > 0.0) {
            lo = lo.min(ms);
            hi = hi.max(ms);
        }
        if hi <= 0.0 {
            return Scale::Linear { max: 1000.0 };
        }
        if hi / lo < 10.0 {
            return Scale::Linear { max: hi };
        }
        // The axis starts at least a third of a decade below the smallest bar, so that bar
        // has a length (a 1 s bar on an axis starting at 1 s would have none).
        let from = (lo.log10() - 0.3).floor() as i32;
        let to = (hi.log10().ceil() as i32).max(from + 1);
        Scale::Log { from, to }
    }

    /// Where `ms` falls, 0 to 100 (% of the chart's width).
    pub fn percent(&self, ms: f64) -> f64 {
        let x = match *self {
            Scale::Log { from, to } => {
                (ms.max(1e-9).log10() - f64::from(from)) / f64::from(to - from)
            }
            Scale::Linear { max } => ms / max,
        };
        (x * 100.0).clamp(0.0, 100.0)
    }

    /// The gridlines, ms: each power of ten on a log scale, none on a linear one.
    pub fn ticks(&self) -> Vec<f64> {
        match *self {
            Scale::Log { from, to } => (from..=to).map(|e| 10f64.powi(e)).collect(),
            Scale::Linear { .. } => Vec::new(),
        }
    }
}
