//! The page's promise, made checkable: every lab's Python, at small sizes, with the lines the
//! lab's own run prints for the same parameters. `cargo xtask test` saves each program as a
//! file, runs it with CPython against the project's server and compares what it prints.

use crate::url_state::UrlState;
use labs::program::Expected;
use sim::cpu::Calibration;
use sim::exec::virtual_time::run_virtual_on;
use sim::executors::{ExecutorId, Placement};
use sim::generators::{python, run_to_end, Solution};
use sim::workload::Step;

/// One program to run and what it must print.
#[derive(Clone, Debug)]
pub struct Case {
    /// A file name for it (`hello-blocking`).
    pub name: String,
    /// The lab's Python for these parameters.
    pub program: String,
    /// What to expect on standard output.
    pub expect: Expect,
}

/// What a program must print.
#[derive(Clone, Debug)]
pub enum Expect {
    /// A workload lab: per chosen executor, its lines, then `"<executor>: <seconds> s"`.
    Executors(Vec<Expected>),
    /// A generators version: these lines, in order, after [`normalise`]; the last may be on
    /// standard error (an exception's last line).
    Lines(Vec<String>),
    /// A pitfall: what the page says CPython prints (`python_says`), each line found in order
    /// in standard output then standard error; where it gives one text per Python version,
    /// one of them.
    Says(&'static str),
}

/// The workload labs' cases: a lab, its parameters (small sizes) and its executors.
const WORKLOAD_CASES: &[(&str, &str)] = &[
    (
        "hello",
        "lab=hello&tasks=2&seconds=0.2&executors=sequential,event-loop,threads,run-in-executor",
    ),
    (
        "hello-blocking",
        "lab=hello&tasks=2&seconds=0.2&sleep=blocking&executors=sequential,event-loop,threads,run-in-executor",
    ),
    (
        "sleep",
        "lab=sleep&tasks=8&seconds=0.2&workers=2&executors=sequential,event-loop,threads,pool,run-in-executor",
    ),
    (
        "sleep-blocking",
        "lab=sleep&tasks=8&seconds=0.1&workers=2&sleep=blocking&executors=event-loop,threads,pool,run-in-executor,process-executor",
    ),
    (
        "http",
        "lab=http&tasks=8&delay_ms=100&workers=2&executors=sequential,event-loop,threads,pool",
    ),
    (
        "is-prime",
        "lab=is-prime&jobs=3&seconds=0.1&n=100003&workers=2&executors=sequential,event-loop,threads,pool,run-in-executor,process-executor",
    ),
    (
        "mixed",
        "lab=mixed&jobs=3&requests=3&delay_ms=100&n=100003&workers=2&executors=event-loop,threads,pool,process-executor",
    ),
    (
        "combined",
        "lab=combined&jobs=3&requests=3&delay_ms=100&n=100003&workers=2&executors=event-loop,pool,pool-of-loops",
    ),
    (
        "cats",
        "lab=cats&cats=3&seconds=0.2&executors=sequential,event-loop,threads,run-in-executor",
    ),
];

/// Every case, with programs written for a page at `base` (ending in `/`).
pub fn cases(base: &str) -> Vec<Case> {
    let calibration = Calibration::default();
    let mut out: Vec<Case> = WORKLOAD_CASES
        .iter()
        .map(|(name, query)| {
            let url = UrlState::parse(query);
            assert!(url.notices.is_empty(), "{name}: {:?}", url.notices);
            let lab = url.lab.expect("a lab");
            let program = lab.program(&url.values, &url.executors, &calibration, base);
            let resolved = url.values.resolved(lab.params, &calibration);
            let workload = lab.build(&url.values, &calibration);
            let machine = labs::plan::machine_of(&resolved, &calibration);
            let expected = lab
                .executors
                .iter()
                .filter(|e| url.executors.contains(e))
                .map(|&executor| expected(executor, &workload, &machine))
                .collect();
            Case {
                name: (*name).to_string(),
                program,
                expect: Expect::Executors(expected),
            }
        })
        .collect();
    for solution in Solution::ALL {
        // 400 ns a next(): about what CPython does here; the counts are not compared.
        let lines = run_to_end(solution, 200.0, 400);
        out.push(Case {
            name: format!("generators-{}", solution.number()),
            program: python::source(solution, "0.2"),
            expect: Expect::Lines(lines.iter().map(|l| normalise(l)).collect()),
        });
    }
    for pitfall in labs::pitfalls::PITFALLS {
        out.push(Case {
            name: format!("pitfalls-{}", pitfall.id),
            program: pitfall.python.to_string(),
            expect: Expect::Says(pitfall.python_says),
        });
    }
    out
}

/// The texts a pitfall gives for what CPython prints: one, or one per version
/// (`Python 3.11:` ... `Python 3.12 and later:` ...).
fn versions(says: &str) -> Vec<Vec<&str>> {
    says.split("\n\n")
        .map(|text| {
            text.lines()
                .filter(|l| !(l.starts_with("Python 3.") && l.ends_with(':')))
                .filter(|l| l.trim() != "...")
                .collect()
        })
        .collect()
}

/// Whether `wanted` lines appear in `got`, in order; a line the page writes for a file named
/// `main.py` matches the same line for any file.
fn in_order(wanted: &[&str], got: &[&str]) -> bool {
    let mut at = 0;
    wanted.iter().all(|w| {
        let found = got[at..].iter().position(|l| {
            *l == *w
                || w.strip_prefix("main.py")
                    .is_some_and(|rest| l.ends_with(rest) && l.len() > rest.len())
        });
        match found {
            Some(i) => {
                at += i + 1;
                true
            }
            None => false,
        }
    })
}

/// What `executor`'s run of `workload` prints, from its trace in virtual time. Where several
/// threads or processes print at once (threads, a pool, calls handed to the loop's thread
/// pool) the operating system decides their order, so there only the lines count.
fn expected(
    executor: ExecutorId,
    workload: &sim::workload::Workload,
    machine: &sim::model::Machine,
) -> Expected {
    if let Placement::Pool { .. } = executor.placement(workload) {
        let per_task: Vec<String> = workload
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Print(text) => Some(text.clone()),
                _ => None,
            })
            .collect();
        let mut lines: Vec<String> = (0..workload.task_count)
            .flat_map(|_| per_task.iter().cloned())
            .collect();
        lines.sort();
        return Expected {
            executor,
            lines,
            ordered: false,
            wall_ms: None,
        };
    }
    let (trace, wall_ms) = run_virtual_on(executor, workload, machine);
    let only_sleeps = workload
        .steps
        .iter()
        .all(|s| !matches!(s, Step::Cpu { .. } | Step::Fetch { .. }));
    let mut lines: Vec<String> = (0..trace.output.len())
        .map(|i| trace.output.line(i).to_string())
        .collect();
    let ordered = executor.spec().ordered_output;
    if !ordered {
        lines.sort();
    }
    Expected {
        executor,
        lines,
        ordered,
        wall_ms: only_sleeps.then_some(wall_ms),
    }
}

/// A line with what changes from run to run taken out: a run's count (`None x 1,234`) and an
/// object's address (`at 0x7f...`).
pub fn normalise(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(" x ").or_else(|| rest.find("0x")) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        if let Some(count) = tail.strip_prefix(" x ") {
            let digits = count
                .find(|c: char| !(c.is_ascii_digit() || c == ','))
                .unwrap_or(count.len());
            if digits > 0 {
                out.push_str(" x N");
                rest = &count[digits..];
            } else {
                out.push_str(" x ");
                rest = count;
            }
        } else {
            let hex = &tail[2..];
            let digits = hex
                .find(|c: char| !c.is_ascii_hexdigit())
                .unwrap_or(hex.len());
            out.push_str("0x?");
            rest = &hex[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// How a program's standard output and error compare with what the case expects; `Err` says
/// what differs, in words.
pub fn check(case: &Case, stdout: &str, stderr: &str) -> Result<(), String> {
    let printed: Vec<&str> = stdout.lines().collect();
    match &case.expect {
        Expect::Says(says) => {
            let got: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
            if versions(says).iter().any(|wanted| in_order(wanted, &got)) {
                Ok(())
            } else {
                Err(format!(
                    "printed {got:?}\nthe page says CPython prints {says:?}"
                ))
            }
        }
        Expect::Lines(lines) => {
            let mut got: Vec<String> = printed.iter().map(|l| normalise(l)).collect();
            if got.len() + 1 == lines.len() {
                // The loop's last line is an exception: Python writes it to standard error.
                if let Some(last) = stderr.lines().last() {
                    got.push(normalise(last));
                }
            }
            if &got != lines {
                return Err(format!("printed {got:?}\nexpected {lines:?}"));
            }
            Ok(())
        }
        Expect::Executors(blocks) => {
            let mut at = 0;
            for block in blocks {
                let name = block.executor.id();
                let end = printed[at..]
                    .iter()
                    .position(|l| l.starts_with(&format!("{name}: ")) && l.ends_with(" s"))
                    .map(|i| at + i)
                    .ok_or_else(|| format!("no \"{name}: <seconds> s\" line after line {at}"))?;
                let seconds = printed[end][name.len() + 2..printed[end].len() - 2].trim();
                let seconds = seconds
                    .parse::<f64>()
                    .map_err(|_| format!("{name}: elapsed time {seconds:?} is not a number"))?;
                if let Some((low, high)) = block.bounds_ms() {
                    let ms = seconds * 1000.0;
                    if ms < low || ms > high {
                        return Err(format!(
                            "{name} took {ms:.0} ms; the page's run takes {:.0} ms, so it should take {low:.0} to {high:.0} ms",
                            block.wall_ms.unwrap_or_default()
                        ));
                    }
                }
                let mut got: Vec<String> = printed[at..end].iter().map(|l| l.to_string()).collect();
                if !block.ordered {
                    got.sort();
                }
                // Threads that print at the same moment can run their lines together: `print`
                // writes the text and the newline apart. Unordered, the same text is enough.
                let same_text = |a: &[String], b: &[String]| {
                    let chars = |v: &[String]| {
                        let mut c: Vec<char> = v.concat().chars().collect();
                        c.sort_unstable();
                        c
                    };
                    chars(a) == chars(b)
                };
                let matches = if block.ordered {
                    got == block.lines
                } else {
                    got == block.lines || same_text(&got, &block.lines)
                };
                if !matches {
                    return Err(format!(
                        "{name} printed {got:?}\nthe page's run printed {:?}",
                        block.lines
                    ));
                }
                at = end + 1;
            }
            if at != printed.len() {
                return Err(format!("printed more than expected: {:?}", &printed[at..]));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_lab_has_a_case_and_each_program_runs_its_executors() {
        let cases = cases("http://127.0.0.1:9/");
        for lab in labs::LABS
            .iter()
            .filter(|l| l.body == labs::LabBody::Workload)
        {
            assert!(
                cases.iter().any(|c| c.name == lab.id),
                "{} has no CPython case",
                lab.id
            );
        }
        for case in &cases {
            assert!(
                case.program.contains("if __name__ == \"__main__\":")
                    || !matches!(case.expect, Expect::Executors(_)),
                "{}",
                case.name
            );
            if let Expect::Executors(blocks) = &case.expect {
                for b in blocks {
                    assert!(
                        case.program
                            .contains(&format!("timed(\"{}\"", b.executor.id())),
                        "{}",
                        case.name
                    );
                }
            }
        }
    }

    #[test]
    fn every_executor_a_lab_offers_is_run_by_cpython_in_that_labs_cases() {
        let cases = cases("http://127.0.0.1:9/");
        for lab in labs::LABS
            .iter()
            .filter(|l| l.body == labs::LabBody::Workload)
        {
            for executor in lab.executors {
                let run = cases.iter().any(|c| {
                    c.name.split('-').next() == lab.id.split('-').next()
                        && matches!(&c.expect, Expect::Executors(blocks)
                            if blocks.iter().any(|b| b.executor == *executor))
                });
                assert!(
                    run,
                    "{} on {}: no CPython case runs it",
                    executor.id(),
                    lab.id
                );
            }
        }
    }

    #[test]
    fn hello_prints_its_two_orders() {
        let cases = cases("http://127.0.0.1:9/");
        let hello = cases.iter().find(|c| c.name == "hello").unwrap();
        let Expect::Executors(blocks) = &hello.expect else {
            panic!()
        };
        assert_eq!(blocks[0].lines, ["hello", "goodbye", "hello", "goodbye"]);
        assert_eq!(blocks[1].lines, ["hello", "hello", "goodbye", "goodbye"]);
        let ok = "hello\ngoodbye\nhello\ngoodbye\nsequential: 0.40 s\nhello\nhello\ngoodbye\ngoodbye\nevent-loop: 0.20 s\nhello\nhello\ngoodbye\ngoodbye\nthreads: 0.20 s\nhello\nhello\ngoodbye\ngoodbye\nrun-in-executor: 0.20 s\n";
        assert_eq!(check(hello, ok, ""), Ok(()));
        let swapped = ok.replacen("hello\nhello\ngoodbye", "hello\ngoodbye\nhello", 1);
        assert!(check(hello, &swapped, "").is_err());
        assert!(check(hello, "", "").is_err());
        // Awaiting in turn must take the sum of the sleeps; gathering must not.
        let overlapped = ok.replace("sequential: 0.40 s", "sequential: 0.20 s");
        assert!(check(hello, &overlapped, "").is_err());
        let in_turn = ok.replace("event-loop: 0.20 s", "event-loop: 1.40 s");
        assert!(check(hello, &in_turn, "").is_err());
    }

    #[test]
    fn a_pitfall_matches_what_the_page_says_for_either_version() {
        let cases = cases("http://127.0.0.1:9/");
        let gather = cases
            .iter()
            .find(|c| c.name == "pitfalls-gather-generator")
            .unwrap();
        assert_eq!(
            check(gather, "hello\nhello\ngoodbye\ngoodbye\n", ""),
            Ok(())
        );
        let error = "Traceback (most recent call last):\n  File \"x.py\", line 12\nTypeError: An asyncio.Future, a coroutine or an awaitable is required\n";
        assert_eq!(check(gather, "", error), Ok(()));
        assert!(check(gather, "hello\ngoodbye\n", "").is_err());
        let forgotten = cases
            .iter()
            .find(|c| c.name == "pitfalls-forgotten-await")
            .map(|c| c.expect.clone());
        if let Some(Expect::Says(says)) = forgotten {
            assert!(says.starts_with("main.py:"));
        }
    }

    #[test]
    fn counts_and_addresses_are_left_out_of_the_comparison() {
        assert_eq!(normalise("None x 2,499,999"), "None x N");
        assert_eq!(
            normalise("<generator object asleep at 0x7f3a2c1b9e40>"),
            "<generator object asleep at 0x?>"
        );
        assert_eq!(normalise("hello"), "hello");
    }

    #[test]
    fn the_programs_fetch_the_pages_own_endpoint() {
        let cases = cases("http://127.0.0.1:4321/sub/");
        let http = cases.iter().find(|c| c.name == "http").unwrap();
        assert!(http
            .program
            .contains("URL = \"http://127.0.0.1:4321/sub/api/delay?ms=100\""));
        assert!(http.program.contains("multiprocessing.Pool(2)"));
    }
}

/// The figures the labs' sentences state, computed by the model the page runs on.
#[cfg(test)]
mod claims {
    use crate::url_state::UrlState;
    use labs::notes::{bundled, section};
    use sim::cpu::Calibration;
    use sim::executors::expected_ms;
    use sim::executors::ExecutorId;

    fn expected(query: &str, executor: ExecutorId) -> f64 {
        let url = UrlState::parse(query);
        let lab = url.lab.unwrap();
        let calibration = Calibration::default();
        let resolved = url.values.resolved(lab.params, &calibration);
        let workload = lab.build(&url.values, &calibration);
        expected_ms(
            executor,
            &workload,
            &labs::plan::machine_of(&resolved, &calibration),
        )
    }

    fn says(lab: &str, text: &str) -> bool {
        let notes = bundled(lab).unwrap();
        notes
            .get(section::NOTICE)
            .iter()
            .chain(notes.get(section::CORRECTIONS))
            .any(|s| s.contains(text))
    }

    #[test]
    fn the_sleep_labs_hours_and_minutes() {
        let q = "lab=sleep&tasks=4000&seconds=3&sleep=blocking&workers=2";
        assert_eq!(
            expected(q, ExecutorId::Pool),
            100.0 * 60_000.0,
            "100 minutes"
        );
        assert!(says("sleep", "take 100 minutes"));
        let hours = expected("lab=sleep", ExecutorId::Sequential) / 3_600_000.0;
        assert!((hours - 3.33).abs() < 0.01);
        assert!(says("sleep", "3.3 hours"));
    }

    #[test]
    fn a_hundred_requests_add_fifteen_latencies_on_the_loop_and_ninety_in_a_pool_task() {
        let q = |r: u32| format!("lab=mixed&requests={r}&delay_ms=200&workers=5&n=1000003");
        let grow = |e| (expected(&q(100), e) - expected(&q(10), e)) / 200.0;
        assert_eq!(grow(ExecutorId::EventLoop), 15.0);
        assert!(says("mixed", "grows by 15 latencies"));
        assert!(says("mixed", "17 rounds instead of 2"));
        assert_eq!(grow(ExecutorId::Pool), 90.0);
        assert!(says("mixed", "grows by 90 latencies"));
    }

    #[test]
    fn two_hellos_take_two_seconds_in_turn_and_one_gathered() {
        assert_eq!(expected("lab=hello", ExecutorId::Sequential), 2000.0);
        assert_eq!(expected("lab=hello", ExecutorId::EventLoop), 1000.0);
        assert_eq!(
            expected("lab=hello&sleep=blocking", ExecutorId::EventLoop),
            2000.0
        );
    }

    #[test]
    fn the_cats_nap_ten_seconds_in_turn_and_two_together() {
        assert_eq!(expected("lab=cats", ExecutorId::Sequential), 10_000.0);
        for e in [
            ExecutorId::EventLoop,
            ExecutorId::Threads,
            ExecutorId::RunInExecutor,
        ] {
            assert_eq!(expected("lab=cats", e), 2000.0, "{e:?}");
        }
        assert!(says("cats", "five naps of 2 s take 10 s"));
    }

    #[test]
    fn two_hundred_requests_through_six_connections_against_a_sessions_hundred() {
        let server = expected("lab=http&tasks=200&delay_ms=200", ExecutorId::EventLoop);
        assert_eq!(server, 34.0 * 200.0);
        assert!(says("http", "200 requests go out in two rounds"));
    }
}
