//! The page's state in its URL: `?lab=<id>&<param>=<value>...`.
//!
//! Parsing never fails: every unknown, invalid or repeated key falls back to a default and
//! leaves a notice naming the key. Writing spells out every parameter so a link reproduces
//! the run even after a default changes.

use crate::quote::{is_hidden_char, shown};
use labs::params::{AutoRule, ParamKind, ParamSpec, ParamValue, ParamValues};
use labs::plan::PlanItem;
use labs::{LabBody, LabSpec};
use sim::executors::ExecutorId;

/// A forced colour theme (absent: the system's preference).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// `theme=light`.
    Light,
    /// `theme=dark`.
    Dark,
}

impl Theme {
    /// The URL value.
    pub fn id(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The longest `id` echoed in embed messages.
pub const MAX_ID_CHARS: usize = 100;

/// Everything the URL says.
#[derive(Clone, Debug, PartialEq)]
pub struct UrlState {
    /// The lab, or `None` for the home page.
    pub lab: Option<&'static LabSpec>,
    /// The lab's parameters (empty for the home page).
    pub values: ParamValues,
    /// The chosen executors, in run order.
    pub executors: Vec<ExecutorId>,
    /// `run=1`: start on load.
    pub run: bool,
    /// `embed=1`: no navigation chrome, messages to the parent.
    pub embed: bool,
    /// `theme=light|dark`.
    pub theme: Option<Theme>,
    /// `id`: the embed's name, echoed in its messages.
    pub id: Option<String>,
    /// `predict`: the learner's guesses, in seconds (`event-loop:1.5`; on compare by row,
    /// `sleep/event-loop:3`).
    pub predictions: Vec<crate::predict::Prediction>,
    /// Whether the address asks for guesses (it has `predict`, even empty): the model's
    /// figures stay hidden until a run ends.
    pub asks_guess: bool,
    /// `import`: a path on the page's own site of an exported run, shown when the page opens.
    pub import: Option<String>,
    /// `view=<start_ms>-<end_ms>`: the range of the run the timelines show (`None`: all of it).
    pub view: Option<(u64, u64)>,
    /// What was wrong with the URL, in plain words, each naming its key.
    pub notices: Vec<String>,
}

const COMMON_KEYS: [&str; 9] = [
    "lab",
    "executors",
    "run",
    "embed",
    "theme",
    "id",
    "predict",
    "import",
    "view",
];

/// The longest run a `view` may reach into, ms (a day).
const MAX_VIEW_MS: u64 = 86_400_000;

/// `view=<start_ms>-<end_ms>`: whole ms, the start before the end.
fn parse_view(raw: &str, notices: &mut Vec<String>) -> Option<(u64, u64)> {
    let range = raw.split_once('-').and_then(|(start, end)| {
        let (start, end) = (start.parse::<u64>().ok()?, end.parse::<u64>().ok()?);
        (start < end && end <= MAX_VIEW_MS).then_some((start, end))
    });
    if range.is_none() {
        notices.push(format!(
            "view: {} is not a range of the run in ms, such as 200-800; the timelines show the whole run.",
            shown(raw)
        ));
    }
    range
}

/// The most key=value pairs read from an address; no real link has nearly as many.
const MAX_PAIRS: usize = 100;

/// The most notices about unknown or repeated keys; the rest are counted in one line.
const MAX_KEY_NOTICES: usize = 5;

/// Whether `raw` is a path on the page's own site (`examples/run.json`, `/course/run.json`):
/// no scheme, no other host, nothing hidden.
fn is_site_path(raw: &str) -> bool {
    // A scheme is a `:` before the first `/`, `?` or `#`.
    let scheme = raw
        .bytes()
        .take_while(|b| !matches!(b, b'/' | b'?' | b'#'))
        .any(|b| b == b':');
    // The browser drops spaces around an address (` //host` is another site's).
    raw.len() <= 1000
        && raw.trim() == raw
        && !scheme
        && !raw.starts_with("//")
        && !raw.contains('\\')
        && !raw.chars().any(is_hidden_char)
}

/// The query of `item`'s lab page with its values and its executor alone: where a row of the
/// compare table links to.
pub fn item_query(item: &PlanItem) -> String {
    UrlState {
        lab: Some(item.lab()),
        values: item.values.clone(),
        executors: vec![item.executor],
        run: false,
        embed: false,
        theme: None,
        id: None,
        predictions: Vec::new(),
        asks_guess: false,
        import: None,
        view: None,
        notices: Vec::new(),
    }
    .to_query()
}

fn flag(key: &str, raw: &str, notices: &mut Vec<String>) -> bool {
    match raw {
        "1" | "true" => true,
        "0" | "false" | "" => false,
        _ => {
            notices.push(format!("{key}: {} is not 1 or 0; using 0.", shown(raw)));
            false
        }
    }
}

impl UrlState {
    /// Reads a query string (with or without the leading `?`).
    pub fn parse(query: &str) -> UrlState {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut first: Vec<(String, String)> = Vec::new();
        let mut notices = Vec::new();
        let mut repeated: Vec<String> = Vec::new();
        let mut pairs = form_urlencoded::parse(query.as_bytes());
        for (key, value) in pairs.by_ref().take(MAX_PAIRS) {
            // At most MAX_PAIRS keys: a linear search costs less code than a hash set.
            if first.iter().any(|(k, _)| *k == key) {
                if !repeated.contains(&key.to_string()) {
                    repeated.push(key.to_string());
                }
            } else {
                first.push((key.into_owned(), value.into_owned()));
            }
        }
        if pairs.next().is_some() {
            notices.push(format!(
                "The address has more than {MAX_PAIRS} settings; the rest are ignored."
            ));
        }
        for key in repeated.iter().take(MAX_KEY_NOTICES) {
            notices.push(format!(
                "{}: given more than once; the first value is used.",
                shown(key)
            ));
        }
        let get = |key: &str| {
            first
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };

        let lab = match get("lab") {
            None | Some("") => None,
            Some(id) => match labs::find(id) {
                Some(lab) => Some(lab),
                None => {
                    notices.push(format!(
                        "lab: {} is not a lab; showing the list of labs.",
                        shown(id)
                    ));
                    None
                }
            },
        };

        let mut values = ParamValues::defaults(lab.map(|l| l.params).unwrap_or(&[]));
        if let Some(lab) = lab {
            for spec in lab.params {
                if let Some(raw) = get(spec.key) {
                    match spec.parse(raw) {
                        Ok(v) => values.set(spec.key, v),
                        // A pool bigger than the cap is capped, not dropped: the link asked
                        // for as many workers as the page allows.
                        Err(_) if let Some(max) = capped(spec, raw) => {
                            values.set(spec.key, ParamValue::Int(max));
                            notices.push(format!(
                                "{}: {} is more than the {max} a pool may have here; using {max}.",
                                spec.key,
                                shown(raw),
                            ));
                        }
                        Err(e) => notices.push(format!(
                            "{}: {} {e} ({}); using {}.",
                            spec.key,
                            shown(raw),
                            spec.accepted(),
                            spec.default_shown()
                        )),
                    }
                }
            }
        }

        let executors = match lab {
            Some(lab) if lab.body == LabBody::Workload => {
                parse_executors(lab, get("executors"), &mut notices)
            }
            _ => Vec::new(),
        };

        let mut run = get("run").is_some_and(|raw| flag("run", raw, &mut notices));
        if run && !values.text(labs::params::keys::URL).is_empty() {
            // A shared link must not make every reader's browser send requests to someone
            // else's server: the reader presses Run.
            run = false;
            notices.push(
                "run: ignored, because this link sends requests to a url of its own; press Run \
                 to start them."
                    .to_string(),
            );
        }
        let embed = get("embed").is_some_and(|raw| flag("embed", raw, &mut notices));
        let theme = match get("theme") {
            None | Some("") => None,
            Some("light") => Some(Theme::Light),
            Some("dark") => Some(Theme::Dark),
            Some(raw) => {
                notices.push(format!(
                    "theme: {} is not light or dark; following the system setting.",
                    shown(raw)
                ));
                None
            }
        };
        let id = match get("id") {
            None | Some("") => None,
            Some(raw) if raw.chars().count() > MAX_ID_CHARS => {
                notices.push(format!(
                    "id: longer than {MAX_ID_CHARS} characters; shortened."
                ));
                Some(raw.chars().take(MAX_ID_CHARS).collect())
            }
            Some(raw) => Some(raw.to_string()),
        };

        let asks_guess = lab
            .is_some_and(|l| matches!(l.body, LabBody::Workload | LabBody::Compare))
            && get("predict").is_some();
        let predictions = match get("predict") {
            Some(raw) if asks_guess => {
                let (predictions, said) =
                    crate::predict::parse(raw, lab.is_some_and(|l| l.body == LabBody::Compare));
                notices.extend(said);
                predictions
            }
            _ => Vec::new(),
        };

        let import = get("import").filter(|raw| !raw.is_empty()).filter(|raw| {
            let ours = is_site_path(raw);
            if !ours {
                notices.push(format!(
                    "import: {} is not a path on this site (such as examples/hello-run.json); \
                     nothing was imported.",
                    shown(raw)
                ));
            }
            ours
        });

        let view = get("view")
            .filter(|raw| !raw.is_empty())
            .and_then(|raw| parse_view(raw, &mut notices));

        if run && import.is_some() {
            // The link shows a run from its site: the reader presses Run for one of their own.
            run = false;
            notices.push(
                "run: ignored, because this link shows an imported run; press Run to run it here."
                    .to_string(),
            );
        }

        let unknown: Vec<&String> = first
            .iter()
            .map(|(key, _)| key)
            .filter(|key| {
                !COMMON_KEYS.contains(&key.as_str()) && lab.is_none_or(|l| l.param(key).is_none())
            })
            .collect();
        for key in unknown.iter().take(MAX_KEY_NOTICES) {
            notices.push(format!(
                "{}: not a setting of this page; ignored.",
                shown(key)
            ));
        }
        if unknown.len() > MAX_KEY_NOTICES {
            notices.push(format!(
                "\u{2026} and {} more unknown settings, ignored.",
                unknown.len() - MAX_KEY_NOTICES
            ));
        }

        UrlState {
            lab,
            values,
            executors,
            run,
            embed,
            theme,
            id,
            predictions,
            asks_guess,
            import: import.map(str::to_string),
            view,
            notices,
        }
    }

    /// The query string (without `?`) that reproduces this state, every parameter spelled out.
    pub fn to_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if let Some(lab) = self.lab {
            out.append_pair("lab", lab.id);
            for (key, value) in self.values.iter() {
                out.append_pair(key, &value.to_url());
            }
        }
        let mut query = out.finish();
        if self.lab.is_some_and(|l| l.body == LabBody::Workload) {
            // Executor ids are URL-safe: keep the commas readable.
            let ids: Vec<&str> = self.executors.iter().map(|e| e.id()).collect();
            query.push_str("&executors=");
            query.push_str(&ids.join(","));
        }
        if self.asks_guess {
            // Guesses are URL-safe (ids, `/`, `:`, decimals): keep them readable.
            query.push_str("&predict=");
            query.push_str(&crate::predict::to_url(&self.predictions));
        }
        let mut tail = form_urlencoded::Serializer::new(String::new());
        if let Some(theme) = self.theme {
            tail.append_pair("theme", theme.id());
        }
        if let Some(id) = &self.id {
            tail.append_pair("id", id);
        }
        if let Some(path) = &self.import {
            tail.append_pair("import", path);
        }
        if let Some((start, end)) = self.view {
            tail.append_pair("view", &format!("{start}-{end}"));
        }
        if self.embed {
            tail.append_pair("embed", "1");
        }
        if self.run {
            tail.append_pair("run", "1");
        }
        let tail = tail.finish();
        if !tail.is_empty() {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&tail);
        }
        query
    }
}

fn parse_executors(lab: &LabSpec, raw: Option<&str>, notices: &mut Vec<String>) -> Vec<ExecutorId> {
    let Some(raw) = raw else {
        return lab.default_executors.to_vec();
    };
    if raw.trim().is_empty() {
        // Written by the page when every executor was unchecked: nothing to run yet.
        return Vec::new();
    }
    let mut chosen = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match ExecutorId::parse(name) {
            None => notices.push(format!(
                "executors: {} is not an executor; left out.",
                shown(name)
            )),
            Some(e) if !lab.executors.contains(&e) => notices.push(format!(
                "executors: {} is not offered by this lab; left out.",
                shown(name)
            )),
            Some(e) => {
                if !chosen.contains(&e) {
                    chosen.push(e);
                }
            }
        }
    }
    if chosen.is_empty() {
        let defaults: Vec<&str> = lab.default_executors.iter().map(|e| e.id()).collect();
        notices.push(format!(
            "executors: none usable was given; using {}.",
            defaults.join(",")
        ));
        return lab.default_executors.to_vec();
    }
    chosen
}

/// The cap of a pool-size parameter when `raw` is a whole number above it.
fn capped(spec: &ParamSpec, raw: &str) -> Option<u64> {
    match spec.kind {
        ParamKind::AutoInt {
            max,
            auto: AutoRule::Cores,
            ..
        } => raw
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n > max)
            .map(|_| max),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use labs::params::ParamValue;

    fn notice_keys(state: &UrlState) -> Vec<String> {
        state
            .notices
            .iter()
            .map(|n| n.split(':').next().unwrap().to_string())
            .collect()
    }

    #[test]
    fn the_home_page_has_no_lab_and_no_notices() {
        let s = UrlState::parse("");
        assert!(s.lab.is_none());
        assert!(s.notices.is_empty());
    }

    #[test]
    fn a_view_keeps_its_range_in_the_link_and_a_malformed_one_says_so() {
        let s = UrlState::parse("lab=hello&view=200-800");
        assert_eq!(s.view, Some((200, 800)));
        assert!(s.notices.is_empty(), "{:?}", s.notices);
        assert!(s.to_query().ends_with("&view=200-800"), "{}", s.to_query());
        for raw in ["800-200", "a-b", "200", "-5-10", "0-99999999999"] {
            let s = UrlState::parse(&format!("lab=hello&view={raw}"));
            assert_eq!(s.view, None, "{raw}");
            assert_eq!(notice_keys(&s), vec!["view"], "{raw}");
            assert!(s.notices[0].ends_with("the timelines show the whole run."));
        }
    }

    #[test]
    fn the_designs_example_parses() {
        let s = UrlState::parse("?lab=sleep&tasks=4000&seconds=3&executors=event-loop,sequential");
        assert_eq!(s.lab.unwrap().id, "sleep");
        assert_eq!(s.values.get("tasks"), Some(&ParamValue::Int(4000)));
        assert_eq!(
            s.executors,
            vec![ExecutorId::EventLoop, ExecutorId::Sequential]
        );
        assert!(s.notices.is_empty(), "{:?}", s.notices);
    }

    #[test]
    fn invalid_values_fall_back_with_a_notice_naming_the_key() {
        let s = UrlState::parse("lab=hello&tasks=-5&seconds=NaN&sleep=maybe&theme=blue&run=yes");
        assert_eq!(s.values, s.lab.unwrap().default_values());
        assert_eq!(
            notice_keys(&s),
            ["tasks", "seconds", "sleep", "run", "theme"]
        );
        assert!(s.notices[0].contains("using 2"), "{}", s.notices[0]);
    }

    #[test]
    fn unknown_labs_and_executors_fall_back() {
        let s = UrlState::parse("lab=nope");
        assert!(s.lab.is_none());
        assert_eq!(notice_keys(&s), ["lab"]);
        let s = UrlState::parse("lab=hello&executors=bogus,pool");
        assert_eq!(
            s.executors,
            vec![ExecutorId::Sequential, ExecutorId::EventLoop]
        );
        assert_eq!(notice_keys(&s), ["executors", "executors", "executors"]);
    }

    #[test]
    fn import_takes_a_path_on_the_pages_own_site_and_keeps_it() {
        for path in [
            "examples/hello-run.json",
            "/course/run.json",
            "runs/a b.json?v=2",
        ] {
            let query = format!(
                "lab=hello&import={}",
                path.replace(' ', "%20").replace('?', "%3F")
            );
            let s = UrlState::parse(&query);
            assert_eq!(s.import.as_deref(), Some(path), "{path}");
            assert!(s.notices.is_empty(), "{path}: {:?}", s.notices);
            // The share link and the address keep it.
            assert_eq!(UrlState::parse(&s.to_query()).import.as_deref(), Some(path));
        }
        for (raw, shown) in [
            (
                "https://example.com/run.json",
                "https://example.com/run.json",
            ),
            ("//example.com/run.json", "//example.com/run.json"),
            ("javascript:alert(1)", "javascript:alert(1)"),
            ("data:application/json,{}", "data:application/json,{}"),
            ("a\\b.json", "a\\b.json"),
            (" //example.com/run.json", " //example.com/run.json"),
        ] {
            let s = UrlState::parse(&format!(
                "lab=hello&import={}",
                form_urlencoded::byte_serialize(raw.as_bytes()).collect::<String>()
            ));
            assert_eq!(s.import, None, "{raw}");
            assert_eq!(
                s.notices,
                [format!(
                    "import: \u{201c}{shown}\u{201d} is not a path on this site (such as \
                     examples/hello-run.json); nothing was imported."
                )]
            );
        }
        // A link that shows a reference run does not also start one.
        let both = UrlState::parse("lab=hello&run=1&import=ref.json");
        assert!(!both.run);
        assert_eq!(
            both.notices,
            ["run: ignored, because this link shows an imported run; press Run to run it here."]
        );
        let empty = UrlState::parse("lab=hello&import=");
        assert_eq!((empty.import, empty.notices), (None, vec![]));
    }

    #[test]
    fn the_first_of_a_repeated_key_wins() {
        let s = UrlState::parse("lab=hello&tasks=3&tasks=7");
        assert_eq!(s.values.get("tasks"), Some(&ParamValue::Int(3)));
        assert!(s.notices[0].contains("more than once"));
    }

    #[test]
    fn markup_stays_text_in_notices() {
        let s = UrlState::parse("lab=%3Cscript%3Ealert(1)%3C/script%3E");
        assert!(s.lab.is_none());
        assert!(s.notices[0].starts_with("lab: \u{201c}<script>"));
    }

    #[test]
    fn unknown_keys_are_named() {
        let s = UrlState::parse("lab=hello&colour=red");
        assert_eq!(notice_keys(&s), ["\u{201c}colour\u{201d}"]);
    }

    #[test]
    fn a_huge_address_is_cut_short_with_few_notices() {
        let query: String = (0..50_000).map(|i| format!("k{i}=1&")).collect();
        let s = UrlState::parse(&format!("lab=hello&{query}"));
        assert!(s.notices.len() <= 8, "{}", s.notices.len());
        assert!(s.notices[0].contains("more than 100 settings"));
    }

    #[test]
    fn a_url_of_ones_own_round_trips_but_never_runs_on_load() {
        let target = "https://example.org/api?x=1&y=2";
        let s = UrlState::parse(&format!(
            "lab=http&url={}&run=1",
            form_urlencoded::byte_serialize(target.as_bytes()).collect::<String>()
        ));
        assert_eq!(s.values.text("url"), target);
        assert!(!s.run);
        assert_eq!(notice_keys(&s), ["run"]);
        assert_eq!(UrlState::parse(&s.to_query()).values, s.values);
        // The page's own latency endpoint may start on load.
        assert!(UrlState::parse("lab=http&run=1").run);
    }

    #[test]
    fn a_pool_bigger_than_the_cap_is_capped_with_a_notice() {
        let s = UrlState::parse("lab=is-prime&workers=64");
        assert_eq!(s.values.get("workers"), Some(&ParamValue::Int(16)));
        assert_eq!(notice_keys(&s), ["workers"]);
        assert!(s.notices[0].contains("using 16"), "{}", s.notices[0]);
        let s = UrlState::parse("lab=is-prime&workers=0");
        assert_eq!(s.values.get("workers"), Some(&ParamValue::Auto));
    }

    #[test]
    fn only_http_urls_are_taken() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "file:///etc/passwd",
            "ftp://example.org/",
            "/api/delay?ms=1",
            "http://",
            "https://exa mple.org/",
        ] {
            let q: String = form_urlencoded::byte_serialize(bad.as_bytes()).collect();
            let s = UrlState::parse(&format!("lab=http&url={q}"));
            assert_eq!(s.values.text("url"), "", "{bad}");
            assert_eq!(notice_keys(&s), ["url"], "{bad}");
            assert!(
                s.notices[0].contains("latency endpoint"),
                "{}",
                s.notices[0]
            );
        }
    }

    #[test]
    fn an_empty_executor_list_stays_empty() {
        let s = UrlState::parse("lab=hello&executors=");
        assert!(s.executors.is_empty());
        assert!(s.notices.is_empty());
        assert_eq!(UrlState::parse(&s.to_query()), s);
    }

    #[test]
    fn bidi_overrides_are_dropped_from_notices() {
        let s = UrlState::parse("lab=a%E2%80%AEb");
        assert!(s.notices[0].contains("\u{201c}ab\u{201d}"));
    }

    #[test]
    fn writing_spells_out_every_parameter_and_round_trips() {
        let s = UrlState::parse("lab=hello&seconds=0.5&theme=dark&id=lesson%201&embed=1");
        let q = s.to_query();
        assert_eq!(
            q,
            "lab=hello&tasks=2&seconds=0.5&sleep=async&switch_ms=5&gil=on&executors=sequential,event-loop&theme=dark&id=lesson+1&embed=1"
        );
        let again = UrlState::parse(&q);
        assert_eq!(again, s);
    }

    #[test]
    fn the_compare_lab_has_no_executors_and_keeps_its_own_keys() {
        let s = UrlState::parse("lab=compare&scale=0.1&repeat=3&executors=pool");
        assert_eq!(s.lab.unwrap().id, "compare");
        assert!(s.executors.is_empty());
        assert_eq!(
            s.to_query(),
            "lab=compare&scale=0.1&repeat=3&sizes=fit&network=auto"
        );
    }

    #[test]
    fn garbage_never_panics() {
        for q in [
            "%",
            "&&&",
            "=",
            "lab",
            "lab=hello&tasks",
            "lab=hello&%FF=%FE",
            "executors=,,,",
        ] {
            let _ = UrlState::parse(q).to_query();
        }
    }
}
