use super::*;
use crate::params::ParamKind;
use crate::tests::values_of;
use crate::{LabBody, LABS};
use sim::cpu::Calibration;
use sim::workload::Step;

const BASE: &str = "http://127.0.0.1:8080/";

fn program(lab: &str, query: &str, executors: &[ExecutorId]) -> String {
    let spec = crate::find(lab).expect("a lab");
    spec.program(
        &values_of(lab, query),
        executors,
        &Calibration::default(),
        BASE,
    )
}

/// The text of line `n` (1-based) of `program`.
fn line(program: &str, n: Option<u32>) -> &str {
    let n = n.expect("a line") as usize;
    program.lines().nth(n - 1).expect("a line of the program")
}

#[test]
fn a_gathered_hello_s_sleep_is_its_await_and_its_task_the_gather() {
    let p = program("hello", "", &[ExecutorId::EventLoop]);
    let l = lines(&p, ExecutorId::EventLoop);
    let kinds = [StepKind::Print, StepKind::Sleep, StepKind::Print];
    assert_eq!(
        line(&p, l.of(SegmentKind::Sleep, &kinds)),
        "    await asyncio.sleep(SECONDS)"
    );
    assert!(line(&p, l.made).contains("asyncio.gather(*[hello()"));
    assert_eq!(line(&p, l.print), "    print(\"hello\")");
    // Ready after its sleep: about to resume at the same await.
    assert_eq!(l.of(SegmentKind::Ready, &kinds), l.sleep);
}

#[test]
fn a_blocking_hello_s_sleep_is_its_time_sleep_on_the_loop_and_on_a_thread() {
    let both = [ExecutorId::EventLoop, ExecutorId::Threads];
    let p = program("hello", "sleep=blocking", &both);
    let on_loop = lines(&p, ExecutorId::EventLoop);
    let on_thread = lines(&p, ExecutorId::Threads);
    let kinds = [StepKind::Print, StepKind::BlockingSleep, StepKind::Print];
    assert!(line(&p, on_loop.of(SegmentKind::BlockingSleep, &kinds))
        .starts_with("    time.sleep(SECONDS)  # sleep=blocking"));
    // Two lines that read alike: each executor's is in its own function.
    assert!(line(&p, on_thread.of(SegmentKind::Sleep, &kinds))
        .starts_with("    time.sleep(SECONDS)  # a thread's sleep"));
    assert!(line(&p, on_thread.made).contains("threading.Thread(target=sync_hello)"));
}

#[test]
fn a_cat_s_sleep_nests_in_have_free_time_in_exists() {
    let p = program("cats", "", &[ExecutorId::EventLoop]);
    let l = lines(&p, ExecutorId::EventLoop);
    for name in ["exists", "_have_free_time", "_sleep"] {
        assert!(
            line(&p, l.call(name)).contains(&format!("def {name}(")),
            "{name}"
        );
    }
    let sleep = l.sleep.expect("a sleep");
    assert!(sleep > l.call("_sleep").expect("_sleep"));
    assert!(line(&p, Some(sleep)).contains("asyncio.sleep("));
}

#[test]
fn every_step_of_every_lab_leads_to_a_line_that_says_it() {
    let mut missing = Vec::new();
    for lab in LABS.iter().filter(|l| l.body == LabBody::Workload) {
        let mut queries = vec![String::new()];
        for spec in lab.params {
            if let ParamKind::Choice { options, .. } = spec.kind {
                queries.extend(options.iter().map(|(o, _)| format!("{}={o}", spec.key)));
            }
        }
        for query in queries {
            let values = values_of(lab.id, &query);
            let workload = lab.build(&values, &Calibration::default());
            let kinds = workload.step_kinds();
            let p = program(lab.id, &query, lab.executors);
            for &e in lab.executors.iter().filter(|e| e.takes(&workload)) {
                let l = lines(&p, e);
                let whose = format!("{} ?{query} on {}", lab.id, e.id());
                let mut expect = |what: &str, n: Option<u32>, says: &[&str]| {
                    let ok = n
                        .and_then(|n| p.lines().nth(n as usize - 1))
                        .is_some_and(|text| says.iter().any(|s| text.contains(s)));
                    if !ok {
                        missing.push(format!(
                            "{whose}: {what} at {n:?}: {:?}",
                            n.and_then(|n| p.lines().nth(n as usize - 1))
                        ));
                    }
                };
                expect(
                    "the tasks' making",
                    l.made,
                    &["gather", "Thread(", "map(", "await", "()"],
                );
                for kind in &kinds {
                    match kind {
                        StepKind::Print => expect("print", l.print, &["print("]),
                        StepKind::Sleep => {
                            expect("sleep", l.of(SegmentKind::Sleep, &kinds), &["sleep"])
                        }
                        StepKind::BlockingSleep => expect(
                            "time.sleep",
                            l.of(SegmentKind::BlockingSleep, &kinds),
                            &["time.sleep"],
                        ),
                        StepKind::Cpu => {
                            expect("CPU", l.of(SegmentKind::Cpu, &kinds), &["is_prime"])
                        }
                        StepKind::Fetch => {
                            expect("request", l.of(SegmentKind::InFlight, &kinds), &[".get("])
                        }
                        StepKind::Call => {}
                    }
                }
                for step in &workload.steps {
                    if let Step::Enter { name, .. } = step {
                        let def = format!("def {name}(");
                        expect(name, l.call(name), &[def.as_str()]);
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
