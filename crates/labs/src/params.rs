//! Lab parameters: their specs (the registry the form and the URL parser walk) and values.

use serde::Serialize;
use thiserror::Error;

/// What values a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamKind {
    /// A whole number in `min..=max`.
    Int { min: u64, max: u64, default: u64 },
    /// A decimal number in `min..=max`, shown with `step` in the form.
    Float {
        min: f64,
        max: f64,
        default: f64,
        step: f64,
    },
    /// `auto` (the page picks the value by `auto`) or a whole number in `min..=max`.
    AutoInt { min: u64, max: u64, auto: AutoRule },
    /// One of `options` (value, label).
    Choice {
        options: &'static [(&'static str, &'static str)],
        default: &'static str,
    },
    /// An `http:` or `https:` URL, or nothing (the page's own latency endpoint).
    Url,
}

/// The longest URL a `url` parameter takes.
pub const MAX_URL_CHARS: usize = 2000;

/// How the page picks an `auto` number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AutoRule {
    /// The `n` whose article loop takes about this many ms here.
    CpuMs(f64),
    /// The number of cores (`navigator.hardwareConcurrency`).
    Cores,
}

/// One parameter of a lab: its URL key, its label in the form, and its values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// The URL key (`tasks`) and the key in result messages.
    pub key: &'static str,
    /// The visible label (`Tasks`).
    pub label: &'static str,
    /// A short hint shown under the field.
    pub help: &'static str,
    /// What values it takes.
    pub kind: ParamKind,
}

/// The settings a learner rarely changes first, folded under "Advanced settings" on the form
/// (their values stay in the URL as every parameter's do).
pub const ADVANCED: [&str; 7] = [
    keys::SWITCH_MS,
    keys::GIL,
    keys::TIMER,
    keys::WORKERS,
    keys::NETWORK,
    keys::TIMEOUT,
    keys::URL,
];

/// The choices whose options are steps of one lesson, in order, shown as tabs over the part
/// of the page they change (the generators lab's versions 0 to 4).
pub const TABBED: [&str; 1] = [keys::SOLUTION];

impl ParamSpec {
    /// Whether it is one of the [`ADVANCED`] settings.
    pub fn advanced(&self) -> bool {
        ADVANCED.contains(&self.key)
    }

    /// Whether it is one of the [`TABBED`] choices.
    pub fn tabbed(&self) -> bool {
        TABBED.contains(&self.key) && matches!(self.kind, ParamKind::Choice { .. })
    }
}

/// A valid parameter value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A whole number.
    Int(u64),
    /// A decimal number.
    Float(f64),
    /// One of a choice's values.
    Choice(&'static str),
    /// Left to the page (`auto`).
    Auto,
    /// A URL ("" for none).
    Text(String),
}

impl ParamValue {
    /// The value as the URL writes it.
    pub fn to_url(&self) -> String {
        match self {
            ParamValue::Int(n) => n.to_string(),
            ParamValue::Float(x) => format_decimal(*x),
            ParamValue::Choice(s) => (*s).to_string(),
            ParamValue::Auto => "auto".to_string(),
            ParamValue::Text(s) => s.clone(),
        }
    }

    /// The value as a number (choices are 0).
    pub fn as_f64(&self) -> f64 {
        match self {
            ParamValue::Int(n) => *n as f64,
            ParamValue::Float(x) => *x,
            ParamValue::Choice(_) | ParamValue::Auto | ParamValue::Text(_) => 0.0,
        }
    }
}

/// Writes a decimal without trailing zeros (`1`, `0.5`, `2.25`).
fn format_decimal(x: f64) -> String {
    let s = sim::format::fixed(x, 3);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Why a raw value was refused.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum ParamError {
    /// Not a number at all, or not a whole one where one is needed.
    #[error("is not a {expected}")]
    NotANumber { expected: &'static str },
    /// A number outside the range.
    #[error("is outside {min} to {max}")]
    OutOfRange { min: String, max: String },
    /// Not one of the choices.
    #[error("is not one of {options}")]
    NotAChoice { options: String },
    /// Not a URL the page may fetch.
    #[error("is not an http or https URL")]
    NotAUrl,
}

impl ParamSpec {
    /// The default value.
    pub fn default_value(&self) -> ParamValue {
        match self.kind {
            ParamKind::Int { default, .. } => ParamValue::Int(default),
            ParamKind::Float { default, .. } => ParamValue::Float(default),
            ParamKind::Choice { default, .. } => ParamValue::Choice(default),
            ParamKind::AutoInt { .. } => ParamValue::Auto,
            ParamKind::Url => ParamValue::Text(String::new()),
        }
    }

    /// The default as a notice names it.
    pub fn default_shown(&self) -> String {
        match self.kind {
            ParamKind::Url => "none: this page's own latency endpoint".to_string(),
            _ => self.default_value().to_url(),
        }
    }

    /// What the field accepts, in words, for notices and hints.
    pub fn accepted(&self) -> String {
        match self.kind {
            ParamKind::Int { min, max, .. } => format!("a whole number from {min} to {max}"),
            ParamKind::Float { min, max, .. } => {
                format!(
                    "a number from {} to {}",
                    format_decimal(min),
                    format_decimal(max)
                )
            }
            ParamKind::AutoInt { min, max, .. } => {
                format!("auto, or a whole number from {min} to {max}")
            }
            ParamKind::Choice { options, .. } => {
                let names: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
                format!("one of {}", names.join(", "))
            }
            ParamKind::Url => format!(
                "an http:// or https:// URL of at most {MAX_URL_CHARS} characters, or nothing"
            ),
        }
    }

    /// Validates a raw value from the URL or the form.
    pub fn parse(&self, raw: &str) -> Result<ParamValue, ParamError> {
        let raw = raw.trim();
        match self.kind {
            ParamKind::Url => parse_url(raw),
            ParamKind::AutoInt { .. } if raw == "auto" => Ok(ParamValue::Auto),
            ParamKind::Int { min, max, .. } | ParamKind::AutoInt { min, max, .. } => {
                let n: u64 = raw.parse().map_err(|_| {
                    // A negative or too large whole number is a range problem, not a type one.
                    if raw.parse::<i128>().is_ok() {
                        ParamError::OutOfRange {
                            min: min.to_string(),
                            max: max.to_string(),
                        }
                    } else {
                        ParamError::NotANumber {
                            expected: "whole number",
                        }
                    }
                })?;
                if n < min || n > max {
                    return Err(ParamError::OutOfRange {
                        min: min.to_string(),
                        max: max.to_string(),
                    });
                }
                Ok(ParamValue::Int(n))
            }
            ParamKind::Float { min, max, .. } => {
                let x = sim::format::parse_decimal(raw)
                    .ok_or(ParamError::NotANumber { expected: "number" })?;
                if !x.is_finite() {
                    return Err(ParamError::NotANumber { expected: "number" });
                }
                if x < min || x > max {
                    return Err(ParamError::OutOfRange {
                        min: format_decimal(min),
                        max: format_decimal(max),
                    });
                }
                Ok(ParamValue::Float(x))
            }
            ParamKind::Choice { options, .. } => options
                .iter()
                .find(|(v, _)| *v == raw)
                .map(|(v, _)| ParamValue::Choice(v))
                .ok_or_else(|| ParamError::NotAChoice {
                    options: options
                        .iter()
                        .map(|(v, _)| *v)
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
        }
    }
}

/// Takes an `http:` or `https:` URL with a host, and nothing else: `javascript:`, `data:`,
/// `file:` and relative URLs are refused, as are spaces and control characters.
fn parse_url(raw: &str) -> Result<ParamValue, ParamError> {
    if raw.is_empty() {
        return Ok(ParamValue::Text(String::new()));
    }
    let lower = raw.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or(ParamError::NotAUrl)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let fine = raw.chars().count() <= MAX_URL_CHARS
        && !host.is_empty()
        && !host.starts_with(':')
        && !raw
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\');
    if fine {
        Ok(ParamValue::Text(raw.to_string()))
    } else {
        Err(ParamError::NotAUrl)
    }
}

/// The values of a lab's parameters, in the lab's order.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamValues {
    entries: Vec<(&'static str, ParamValue)>,
}

impl ParamValues {
    /// Every parameter at its default.
    pub fn defaults(specs: &[ParamSpec]) -> Self {
        ParamValues {
            entries: specs.iter().map(|s| (s.key, s.default_value())).collect(),
        }
    }

    /// The value of `key`, if the lab has it.
    pub fn get(&self, key: &str) -> Option<&ParamValue> {
        self.entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// A number parameter's value (0 when missing).
    pub fn number(&self, key: &str) -> f64 {
        self.get(key).map(ParamValue::as_f64).unwrap_or(0.0)
    }

    /// A URL parameter's value ("" when missing or empty).
    pub fn text(&self, key: &str) -> &str {
        match self.get(key) {
            Some(ParamValue::Text(s)) => s,
            _ => "",
        }
    }

    /// A choice parameter's value ("" when missing).
    pub fn choice(&self, key: &str) -> &'static str {
        match self.get(key) {
            Some(ParamValue::Choice(s)) => s,
            _ => "",
        }
    }

    /// These values with every `auto` replaced by what `calibration` picks for its spec.
    pub fn resolved(&self, specs: &[ParamSpec], calibration: &sim::cpu::Calibration) -> Self {
        let mut out = self.clone();
        for spec in specs {
            if let (ParamKind::AutoInt { min, max, auto }, Some(ParamValue::Auto)) =
                (spec.kind, self.get(spec.key))
            {
                let n = match auto {
                    AutoRule::CpuMs(ms) => calibration.n_for_ms(ms),
                    AutoRule::Cores => u64::from(calibration.cores),
                }
                .clamp(min, max);
                out.set(spec.key, ParamValue::Int(n));
            }
        }
        out
    }

    /// Sets `key` if the lab has it.
    pub fn set(&mut self, key: &str, value: ParamValue) {
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        }
    }

    /// Every (key, value), in the lab's order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &ParamValue)> {
        self.entries.iter().map(|(k, v)| (*k, v))
    }
}

/// The URL keys of the parameters: the specs below and [`crate::LabValues`] name them
/// through these, so a key misspelt in code does not compile.
pub mod keys {
    /// `tasks`
    pub const TASKS: &str = "tasks";
    /// `seconds`
    pub const SECONDS: &str = "seconds";
    /// `sleep`
    pub const SLEEP: &str = "sleep";
    /// `jobs`
    pub const JOBS: &str = "jobs";
    /// `requests`
    pub const REQUESTS: &str = "requests";
    /// `delay_ms`
    pub const DELAY_MS: &str = "delay_ms";
    /// `url`
    pub const URL: &str = "url";
    /// `timeout`
    pub const TIMEOUT: &str = "timeout";
    /// `n`
    pub const N: &str = "n";
    /// `workers`
    pub const WORKERS: &str = "workers";
    /// `switch_ms`
    pub const SWITCH_MS: &str = "switch_ms";
    /// `gil`
    pub const GIL: &str = "gil";
    /// `network`
    pub const NETWORK: &str = "network";
    /// `cats`
    pub const CATS: &str = "cats";
    /// `solution`
    pub const SOLUTION: &str = "solution";
    /// `timer`
    pub const TIMER: &str = "timer";
    /// `scale`
    pub const SCALE: &str = "scale";
    /// `repeat`
    pub const REPEAT: &str = "repeat";
    /// `sizes`
    pub const SIZES: &str = "sizes";
}

/// `tasks`: how many tasks run.
pub const fn tasks(default: u64) -> ParamSpec {
    ParamSpec {
        key: keys::TASKS,
        label: "Tasks",
        help: "How many tasks the program starts.",
        kind: ParamKind::Int {
            min: 1,
            max: 1_000_000,
            default,
        },
    }
}

/// `tasks` for tasks that only sleep: up to ten million, which only the event loop takes
/// (each executor's cap is in [`sim::executors::ExecutorId::task_cap`]).
pub const fn sleeping_tasks(default: u64) -> ParamSpec {
    ParamSpec {
        key: keys::TASKS,
        label: "Tasks",
        help: "How many tasks the program starts: event-loop takes 10,000,000, threads 10,000, the others 1,000,000.",
        kind: ParamKind::Int {
            min: 1,
            max: 10_000_000,
            default,
        },
    }
}

/// `timer`: how the page's event loop keeps its sleepers' deadlines.
pub const TIMER: ParamSpec = ParamSpec {
    key: keys::TIMER,
    label: "Timers",
    help: "wheel: one timer for all sleeps. browser: a setTimeout per sleep (1,000,000 tasks at most).",
    kind: ParamKind::Choice {
        options: &[
            ("wheel", "wheel: one timer for all"),
            ("browser", "browser: one timer per sleep"),
        ],
        default: "wheel",
    },
};

/// `seconds`: the length of each sleep.
pub const fn seconds(default: f64) -> ParamSpec {
    ParamSpec {
        key: keys::SECONDS,
        label: "Seconds per sleep",
        help: "Decimals allowed; 0 yields once.",
        kind: ParamKind::Float {
            min: 0.0,
            max: 3600.0,
            default,
            step: 0.1,
        },
    }
}

/// `sleep`: non-blocking or blocking sleep.
pub const SLEEP: ParamSpec = ParamSpec {
    key: keys::SLEEP,
    label: "Sleep",
    help: "time.sleep blocks the thread that calls it.",
    kind: ParamKind::Choice {
        options: &[
            ("async", "async: asyncio.sleep"),
            ("blocking", "blocking: time.sleep"),
        ],
        default: "async",
    },
};

/// `jobs`: how many CPU jobs run.
pub const fn jobs(default: u64) -> ParamSpec {
    ParamSpec {
        key: keys::JOBS,
        label: "CPU jobs",
        help: "How many tasks run; each computes is_prime(n).",
        kind: ParamKind::Int {
            min: 1,
            max: 10_000,
            default,
        },
    }
}

/// `requests`: requests inside one task.
pub const REQUESTS: ParamSpec = ParamSpec {
    key: keys::REQUESTS,
    label: "Requests per task",
    help: "At once with gather; one by one with a blocking client.",
    kind: ParamKind::Int {
        min: 1,
        max: 1000,
        default: 10,
    },
};

/// `delay_ms`: the latency of each request.
pub const DELAY_MS: ParamSpec = ParamSpec {
    key: keys::DELAY_MS,
    label: "Request latency (ms)",
    help: "How long the latency endpoint waits before it answers.",
    kind: ParamKind::Int {
        min: 0,
        max: 10_000,
        default: 200,
    },
};

/// `url`: a user's own target for the requests.
pub const URL: ParamSpec = ParamSpec {
    key: keys::URL,
    label: "Your own URL (optional)",
    help: "Empty: this page's latency endpoint. Your server must allow CORS.",
    kind: ParamKind::Url,
};

/// `timeout`: how long a request may take.
pub const TIMEOUT: ParamSpec = ParamSpec {
    key: keys::TIMEOUT,
    label: "Request timeout (s)",
    help: "A request with no answer by then fails.",
    kind: ParamKind::Float {
        min: 0.1,
        max: 600.0,
        default: 30.0,
        step: 1.0,
    },
};

/// `n`: the number given to the article's `is_prime`.
pub const N: ParamSpec = ParamSpec {
    key: keys::N,
    label: "n for is_prime(n)",
    help: "auto: one job takes about 1 s here, like the article's.",
    kind: ParamKind::AutoInt {
        min: 2,
        // JavaScript's largest safe integer: messages carry n as a JSON number.
        max: 9_007_199_254_740_991,
        auto: AutoRule::CpuMs(1000.0),
    },
};

/// The most workers a pool may have: more only adds start-up cost on any machine here.
pub const MAX_WORKERS: u64 = 16;

/// `workers`: the pool's size.
pub const WORKERS: ParamSpec = ParamSpec {
    key: keys::WORKERS,
    label: "Pool workers",
    help: "auto: one per core, as Pool() does.",
    kind: ParamKind::AutoInt {
        min: 1,
        max: MAX_WORKERS,
        auto: AutoRule::Cores,
    },
};

/// `switch_ms`: the GIL's switch interval.
pub const SWITCH_MS: ParamSpec = ParamSpec {
    key: keys::SWITCH_MS,
    label: "GIL switch interval (ms)",
    help: "sys.setswitchinterval: once another thread has waited this long for the GIL, the one computing must hand it over; with none waiting it keeps computing.",
    kind: ParamKind::Float {
        min: 1.0,
        max: 100.0,
        default: 5.0,
        step: 1.0,
    },
};

/// `gil`: CPython with its GIL, or free-threaded.
pub const GIL: ParamSpec = ParamSpec {
    key: keys::GIL,
    label: "GIL",
    help: "off: free-threaded CPython 3.13t (PEP 703, experimental, slower on one thread): no GIL and no switch interval, the OS schedules threads on several cores.",
    kind: ParamKind::Choice {
        options: &[
            ("on", "on: one thread runs Python at a time"),
            ("off", "off: free-threaded, one core per worker"),
        ],
        default: "on",
    },
};

/// `network`: where the latency endpoint's requests go.
pub const NETWORK: ParamSpec = ParamSpec {
    key: keys::NETWORK,
    label: "Network",
    help: "simulated: no browser limit of 6 connections per host, so the client's own shows.",
    kind: ParamKind::Choice {
        options: &[
            ("auto", "auto: simulated, unless our server speaks HTTP/2"),
            ("server", "server: the real network"),
            ("simulated", "simulated: the service worker"),
        ],
        default: "auto",
    },
};

/// `cats`: how many cats exist at once.
pub const CATS: ParamSpec = ParamSpec {
    key: keys::CATS,
    label: "Cats",
    help: "How many cats the program creates; each eats, then naps.",
    kind: ParamKind::Int {
        min: 1,
        max: 10_000,
        default: 5,
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_bounds_read_the_same_in_the_url_form() {
        // The form writes a decimal field's bounds and step as the URL writes values.
        for lab in crate::LABS {
            for spec in lab.params {
                if let ParamKind::Float { min, max, step, .. } = spec.kind {
                    for x in [min, max, step] {
                        assert_eq!(ParamValue::Float(x).to_url(), x.to_string(), "{}", spec.key);
                    }
                }
            }
        }
    }

    #[test]
    fn whole_numbers_in_range_are_accepted() {
        assert_eq!(tasks(2).parse("7"), Ok(ParamValue::Int(7)));
        assert_eq!(tasks(2).parse(" 7 "), Ok(ParamValue::Int(7)));
    }

    #[test]
    fn bad_whole_numbers_say_why() {
        let t = tasks(2);
        assert!(matches!(t.parse("-5"), Err(ParamError::OutOfRange { .. })));
        assert!(matches!(t.parse("0"), Err(ParamError::OutOfRange { .. })));
        assert!(matches!(
            t.parse("99999999999999999999999"),
            Err(ParamError::OutOfRange { .. })
        ));
        assert!(matches!(t.parse("abc"), Err(ParamError::NotANumber { .. })));
        assert!(matches!(
            t.parse("1e99"),
            Err(ParamError::NotANumber { .. })
        ));
        assert!(matches!(t.parse("2.5"), Err(ParamError::NotANumber { .. })));
        assert!(matches!(t.parse(""), Err(ParamError::NotANumber { .. })));
    }

    #[test]
    fn decimals_refuse_nan_and_infinity() {
        let s = seconds(1.0);
        assert_eq!(s.parse("0.25"), Ok(ParamValue::Float(0.25)));
        assert_eq!(s.parse("0"), Ok(ParamValue::Float(0.0)));
        assert!(s.parse("NaN").is_err());
        assert!(s.parse("inf").is_err());
        assert!(s.parse("-1").is_err());
        assert!(s.parse("1e9").is_err());
    }

    #[test]
    fn choices_accept_only_their_options() {
        assert_eq!(SLEEP.parse("blocking"), Ok(ParamValue::Choice("blocking")));
        assert!(matches!(
            SLEEP.parse("maybe"),
            Err(ParamError::NotAChoice { .. })
        ));
    }

    #[test]
    fn auto_numbers_take_auto_or_a_number_and_resolve_by_calibration() {
        assert_eq!(N.parse("auto"), Ok(ParamValue::Auto));
        assert_eq!(N.parse("16769823"), Ok(ParamValue::Int(16_769_823)));
        assert!(N.parse("1").is_err());
        assert!(N.parse("9007199254740992").is_err());
        let values = ParamValues::defaults(&[N]);
        let cal = sim::cpu::Calibration {
            iterations_per_ms: 1000.0,
            cores: 2,
            simulated_network: false,
        };
        let resolved = values.resolved(&[N], &cal);
        let Some(ParamValue::Int(n)) = resolved.get("n") else {
            panic!("auto resolves to a number");
        };
        assert!((cal.estimate_ms(*n) - 1000.0).abs() < 1.0);
    }

    #[test]
    fn values_write_back_for_the_url() {
        assert_eq!(ParamValue::Float(1.0).to_url(), "1");
        assert_eq!(ParamValue::Float(0.25).to_url(), "0.25");
        assert_eq!(ParamValue::Int(4000).to_url(), "4000");
    }
}
