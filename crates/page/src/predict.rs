//! The learner's predictions: the wall time they expect of each executor before a run, kept in
//! the URL (`predict=event-loop:1,pool:3`, seconds; on compare, by row:
//! `predict=sleep/event-loop:3`) so a course can hand out a link with a question.

use sim::executors::ExecutorId;

/// One guess: of `executor` (on compare, of the row of `lab` on it), in ms.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// The row's lab on compare; `None` on a lab's own page.
    pub lab: Option<&'static str>,
    /// The executor it is about.
    pub executor: ExecutorId,
    /// The wall time expected, ms.
    pub ms: f64,
}

/// The longest a guess may be: a day.
pub const MAX_SECONDS: f64 = 86_400.0;

/// A guess as the learner writes it, in seconds (`1.5`): a time from 0 to a day, or `None`.
pub fn seconds(raw: &str) -> Option<f64> {
    sim::format::parse_decimal(raw.trim()).filter(|s| (0.0..=MAX_SECONDS).contains(s))
}

/// The learner's guess of `executor` (by id) among `predictions`, ms; on compare, of the row
/// of `lab`.
pub fn guess_of(predictions: &[Prediction], lab: Option<&str>, executor: &str) -> Option<f64> {
    predictions
        .iter()
        .find(|p| p.lab == lab && p.executor.id() == executor)
        .map(|p| p.ms)
}

/// Reads `predict=`'s value; `rows` says whether its entries name a lab (`sleep/event-loop`,
/// compare) or only an executor. Each entry that cannot be read is left out with a notice.
pub fn parse(raw: &str, rows: bool) -> (Vec<Prediction>, Vec<String>) {
    let mut out: Vec<Prediction> = Vec::new();
    let mut notices = Vec::new();
    for entry in raw
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .take(64)
    {
        // `event-loop:` asks for a guess without giving one.
        if entry.ends_with(':') {
            continue;
        }
        let parsed = entry.split_once(':').and_then(|(who, seconds)| {
            let (lab, executor) = match (rows, who.split_once('/')) {
                (true, Some((lab, executor))) => (Some(labs::find(lab)?.id), executor),
                (false, None) => (None, who),
                _ => return None,
            };
            let ms = self::seconds(seconds)? * 1000.0;
            Some(Prediction {
                lab,
                executor: ExecutorId::parse(executor.trim())?,
                ms,
            })
        });
        match parsed {
            Some(p)
                if !out
                    .iter()
                    .any(|o| o.lab == p.lab && o.executor == p.executor) =>
            {
                out.push(p)
            }
            Some(_) => notices.push(format!(
                "predict: {} is given twice; the first is used.",
                crate::quote::shown(entry.split(':').next().unwrap_or_default())
            )),
            None => notices.push(format!(
                "predict: {} is not {}:seconds (e.g. {}); it is left out.",
                crate::quote::shown(entry),
                if rows { "lab/executor" } else { "executor" },
                if rows {
                    "sleep/event-loop:3"
                } else {
                    "event-loop:1.5"
                },
            )),
        }
    }
    (out, notices)
}

/// `predictions` as `predict=`'s value, in seconds.
pub fn to_url(predictions: &[Prediction]) -> String {
    predictions
        .iter()
        .map(|p| {
            let who = match p.lab {
                Some(lab) => format!("{lab}/{}", p.executor.id()),
                None => p.executor.id().to_string(),
            };
            format!("{who}:{}", labs::program::decimal(p.ms / 1000.0))
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_with_a_question_carries_each_guess_in_seconds() {
        let (p, notices) = parse("event-loop:1,pool:3.5", false);
        assert!(notices.is_empty());
        assert_eq!(
            p,
            vec![
                Prediction {
                    lab: None,
                    executor: ExecutorId::EventLoop,
                    ms: 1000.0
                },
                Prediction {
                    lab: None,
                    executor: ExecutorId::Pool,
                    ms: 3500.0
                },
            ]
        );
        assert_eq!(to_url(&p), "event-loop:1,pool:3.5");
        let (rows, _) = parse("sleep/event-loop:3,http/threads:5", true);
        assert_eq!(rows[0].lab, Some("sleep"));
        assert_eq!(rows[1].executor, ExecutorId::Threads);
        assert_eq!(to_url(&rows), "sleep/event-loop:3,http/threads:5");
    }

    #[test]
    fn guesses_that_cannot_be_read_are_left_out_with_a_notice() {
        let (p, notices) = parse(
            "event-loop:-1,threads:abc,nope:2,pool:1e9,sleep/pool:2,event-loop:2,pool:1,pool:2",
            false,
        );
        assert_eq!(p.len(), 2, "{notices:?}");
        assert_eq!((p[0].executor, p[0].ms), (ExecutorId::EventLoop, 2000.0));
        assert_eq!(notices.len(), 6);
        assert_eq!(
            notices[0],
            "predict: \u{201c}event-loop:-1\u{201d} is not executor:seconds (e.g. event-loop:1.5); it is left out."
        );
        assert_eq!(
            notices[5],
            "predict: \u{201c}pool\u{201d} is given twice; the first is used."
        );
        // On compare every guess names its row's lab, which must exist.
        let (rows, notices) = parse("event-loop:1,nolab/pool:2,<b>/pool:1", true);
        assert!(rows.is_empty());
        assert_eq!(notices.len(), 3);
    }
}
