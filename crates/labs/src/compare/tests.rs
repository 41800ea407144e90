use super::*;
use crate::plan::total_ms;

fn values(query: &str) -> ParamValues {
    crate::tests::values_of("compare", query)
}

/// A page on two cores, as the machines here.
fn two_cores() -> Calibration {
    Calibration {
        cores: 2,
        ..Calibration::default()
    }
}

#[test]
fn the_table_has_a_row_per_workload_and_executor_with_the_articles_figures() {
    let rows = rows(&values(""), &two_cores());
    let keys: Vec<String> = rows.iter().map(Row::key).collect();
    assert_eq!(
        keys,
        [
            "sleep/event-loop",
            "sleep/threads",
            "sleep/pool",
            "http/event-loop",
            "http/threads",
            "http/pool",
            "is-prime/event-loop",
            "is-prime/threads",
            "is-prime/pool",
            "mixed/event-loop",
            "mixed/threads",
            "mixed/pool",
            "combined/pool-of-loops",
        ]
    );
    for row in &rows {
        let lab = row.item.lab();
        assert!(lab.executors.contains(&row.item.executor), "{}", row.key());
        assert!(row.item.projected_ms > 0.0, "{}", row.key());
        assert!(!row.size.is_empty() && !row.article_size.is_empty());
        // A row's figure, where the article gives one as a time, is the lab's own.
        if let Some(ms) = row.article.ms {
            let lab_figure = lab.article_ms.iter().find(|(e, _)| *e == row.item.executor);
            assert_eq!(lab_figure.map(|(_, ms)| *ms), Some(ms), "{}", row.key());
        }
    }
    let texts: Vec<&str> = rows.iter().map(|r| r.article.text).collect();
    for figure in ["4.3 s", "13 s", "4.5 s", "under 1 s", "3 s"] {
        assert!(texts.contains(&figure), "{figure}");
    }
}

#[test]
fn the_default_plan_runs_in_well_under_a_minute_on_two_cores() {
    let rows = rows(&values(""), &two_cores());
    let plan = plan(&rows, 1);
    // The driver waits half a second between items.
    let with_pauses = total_ms(&plan) + 500.0 * plan.len() as f64;
    assert!(with_pauses < 45_000.0, "{with_pauses}");
    assert!(with_pauses > 15_000.0, "{with_pauses}");
}

#[test]
fn scale_multiplies_every_duration_and_keeps_the_counts() {
    let page = two_cores();
    let one = rows(&values("scale=1"), &page);
    let tenth = rows(&values("scale=0.1"), &page);
    let ratio = total_ms(&plan(&tenth, 1)) / total_ms(&plan(&one, 1));
    assert!((0.07..0.15).contains(&ratio), "{ratio}");
    for (a, b) in one.iter().zip(&tenth) {
        let (wa, wb) = (a.item.workload(&page), b.item.workload(&page));
        assert_eq!(wa.task_count, wb.task_count, "{}", a.key());
    }
    assert_eq!(tenth[0].size, "4,000 tasks of 100 ms");
    assert_eq!(one[0].size, "4,000 tasks of 1.00 s");
    assert_eq!(one[0].article_size, "4,000 tasks of 3 s");
}

#[test]
fn repeat_runs_each_row_in_turn() {
    let rows = rows(&values("repeat=3"), &two_cores());
    let plan = plan(&rows, 3);
    assert_eq!(plan.len(), 3 * rows.len());
    assert!(plan[..3].iter().all(|i| *i == rows[0].item));
    assert_eq!(plan[3], rows[1].item);
}

#[test]
fn the_rows_requests_go_where_the_compare_lab_says() {
    let rows = rows(&values("network=simulated"), &two_cores());
    let http = rows.iter().find(|r| r.item.lab == "http").unwrap();
    assert_eq!(http.item.values.choice(keys::NETWORK), "simulated");
}

fn run(ms: f64, status: RunStatus) -> Rc<Trace> {
    let rec = sim::trace::TraceRecorder::new(ExecutorId::EventLoop, 1, vec![], 0.0);
    Rc::new(rec.finish(ms, status, None))
}

#[test]
fn a_rows_runs_give_the_median_and_the_spread() {
    let runs = [
        run(300.0, RunStatus::Finished),
        run(100.0, RunStatus::Finished),
        run(200.0, RunStatus::Finished),
    ];
    let m = measured(&runs).unwrap();
    assert_eq!(
        (m.median_ms, m.min_ms, m.max_ms, m.runs),
        (200.0, 100.0, 300.0, 3)
    );
    assert_eq!(median_run(&runs).wall_ms, 200.0);
    // Of two, the median is the faster, as the median run is.
    let m = measured(&runs[..2]).unwrap();
    assert_eq!(m.median_ms, 100.0);
    assert_eq!(median_run(&runs[..2]).wall_ms, 100.0);
    // A stopped run stands for its row, and counts for no figure.
    let stopped = [runs[0].clone(), run(50.0, RunStatus::Stopped)];
    assert_eq!(median_run(&stopped).status, RunStatus::Stopped);
    assert_eq!(measured(&stopped).unwrap().runs, 1);
    assert_eq!(measured(&stopped[1..]), None);
}

#[test]
fn every_row_has_its_reason_in_the_notes() {
    let notes = crate::notes::bundled("compare").unwrap();
    for row in rows(&values(""), &two_cores()) {
        let why = notes.get(&format!("why.{}", row.key()));
        assert_eq!(why.len(), 1, "{}", row.key());
    }
}

#[test]
fn the_chart_is_logarithmic_when_its_figures_span_ten_times_or_more() {
    let scale = Scale::over([40.0, 1000.0, 13_000.0, f64::NAN, 0.0]);
    assert_eq!(scale, Scale::Log { from: 1, to: 5 });
    assert_eq!(scale.ticks(), [10.0, 100.0, 1000.0, 10_000.0, 100_000.0]);
    assert_eq!(scale.percent(10.0), 0.0);
    assert_eq!(scale.percent(1000.0), 50.0);
    assert_eq!(scale.percent(100_000.0), 100.0);
    assert_eq!(scale.percent(1e9), 100.0);
    let close = Scale::over([900.0, 1100.0]);
    assert_eq!(close, Scale::Linear { max: 1100.0 });
    assert!(close.ticks().is_empty());
    assert_eq!(close.percent(550.0), 50.0);
    assert_eq!(Scale::over([]), Scale::Linear { max: 1000.0 });
    // The smallest bar always has a length: a 1 s bar starts the axis a decade lower.
    let from_one_second = Scale::over([1000.0, 4200.0, 13_000.0]);
    assert_eq!(from_one_second, Scale::Log { from: 2, to: 5 });
    assert!(from_one_second.percent(1000.0) >= 25.0);
    for lo in [1.0, 40.0, 999.0, 1000.0, 1000.5, 1995.0, 3000.0] {
        let scale = Scale::over([lo, lo * 50.0]);
        let decades = match scale {
            Scale::Log { from, to } => f64::from(to - from),
            Scale::Linear { .. } => unreachable!("{lo}: fifty times apart is logarithmic"),
        };
        assert!(
            scale.percent(lo) * decades >= 30.0 - 1e-9,
            "{lo}: {scale:?}"
        );
    }
}

#[test]
fn each_row_s_speed_up_is_against_its_own_tasks_run_one_after_another() {
    let rows = rows(&values(""), &two_cores());
    let one_at_a_time = |key: &str| {
        rows.iter()
            .find(|r| r.key() == key)
            .map(|r| r.one_at_a_time_ms)
            .unwrap()
    };
    // 4,000 sleeps of 1 s in turn: 4,000 s, whichever executor the row runs them on.
    assert!((one_at_a_time("sleep/event-loop") - 4_000_000.0).abs() < 1.0);
    assert!((one_at_a_time("sleep/pool") - 4_000.0).abs() < 1.0);
    // 60 requests of 200 ms in turn: at least 12 s.
    assert!(one_at_a_time("http/event-loop") >= 12_000.0);
    // A row may be slower than its tasks in turn: on two workers the pool's five mixed tasks
    // take three rounds of their own requests one after another.
    let mixed_pool = rows.iter().find(|r| r.key() == "mixed/pool").unwrap();
    assert!(mixed_pool.item.projected_ms > mixed_pool.one_at_a_time_ms);
}

#[test]
fn on_fewer_cores_than_the_article_the_cpu_rows_run_a_job_per_worker_and_say_so() {
    let fitted = rows(&values(""), &two_cores());
    for row in fitted
        .iter()
        .filter(|r| ["is-prime", "mixed", "combined"].contains(&r.item.lab))
    {
        let v = LabValues::decode(&row.item.values);
        assert_eq!(v.jobs, 2, "{}", row.key());
        assert!(
            row.size
                .ends_with("one per worker here, where the article ran 5 on 10 cores"),
            "{}: {}",
            row.key(),
            row.size
        );
    }
    // The other rows keep their sizes.
    let sleep = fitted
        .iter()
        .find(|r| r.key() == "sleep/event-loop")
        .unwrap();
    assert_eq!(LabValues::decode(&sleep.item.values).tasks, 4000);
    // The article's sizes are one choice away; a machine of 5 cores or more runs them anyway.
    for (query, cores) in [("sizes=article", 2), ("", 8)] {
        let calibration = Calibration {
            cores,
            ..Calibration::default()
        };
        for row in rows(&values(query), &calibration)
            .iter()
            .filter(|r| r.item.lab == "is-prime")
        {
            assert_eq!(
                LabValues::decode(&row.item.values).jobs,
                5,
                "{query} {cores}"
            );
            assert!(!row.size.contains("one per worker"));
        }
    }
}
