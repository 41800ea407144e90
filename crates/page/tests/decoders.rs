//! Every decoder the page has for what comes from outside (the URL, an imported file, the
//! bytes the files worker hands back, the host page's and the workers' messages, a typed
//! prediction) takes arbitrary input and answers: a value or a reason, never a panic.

use playground_page::export::{self, pack};
use playground_page::message::HostMessage;
use playground_page::predict;
use playground_page::resize::H5pAction;
use playground_page::url_state::UrlState;
use proptest::prelude::*;
use sim::worker_protocol::{FromWorker, ToWorker};

/// Text made of the characters queries and JSON are made of, so the cases reach past the
/// first character (and a few others, multi-byte ones among them).
fn texty() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::sample::select(
                "{}[]:,\"\\=&?%+-.0123456789eE abcdefghijklmnopqrstuvwxyz_"
                    .chars()
                    .collect::<Vec<_>>()
            ),
            any::<char>(),
        ],
        0..200,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// A query of the page's own keys with arbitrary values (and some keys of nobody's).
fn query() -> impl Strategy<Value = String> {
    let key = proptest::sample::select(vec![
        "lab",
        "executors",
        "tasks",
        "seconds",
        "sleep",
        "timer",
        "workers",
        "switch_ms",
        "gil",
        "n",
        "jobs",
        "url",
        "network",
        "delay_ms",
        "timeout",
        "predict",
        "run",
        "embed",
        "id",
        "theme",
        "import",
        "solution",
        "speed",
        "scale",
        "repeat",
        "cats",
        "requests",
        "bogus",
    ]);
    let value = prop_oneof![
        texty(),
        proptest::sample::select(vec![
            "hello",
            "generators",
            "is-prime",
            "compare",
            "auto",
            "blocking",
            "1",
            "0",
            "-1",
            "1e309",
            "NaN",
            "event-loop,threads",
            "event-loop:1.5",
            "%FF",
            "9999999999999999999",
        ])
        .prop_map(str::to_string),
    ];
    proptest::collection::vec((key, value), 0..12).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

/// A real export's text with a stretch of it replaced: files that are almost right.
fn damaged_export() -> impl Strategy<Value = String> {
    let original = {
        let lab = labs::find("hello").unwrap();
        let (trace, _) = sim::exec::virtual_time::run_virtual(
            sim::executors::ExecutorId::EventLoop,
            &sim::workload::hello(2, 0.1, false),
        );
        let info = export::ItemInfo {
            lab: "hello",
            params: lab.default_values(),
            expected_ms: 100.0,
            predicted_ms: None,
        };
        let machine = export::MachineInfo {
            browser: "Chromium".into(),
            cores: 2,
        };
        export::to_json(&export::export(
            "hello",
            &lab.default_values(),
            machine,
            "0.1.0",
            &[(info, &trace)],
        ))
    };
    let len = original.len();
    (0..len, 0..40usize, texty()).prop_map(move |(at, cut, with)| {
        let chars: Vec<char> = original.chars().collect();
        let at = at.min(chars.len());
        let end = (at + cut).min(chars.len());
        let mut text: String = chars[..at].iter().collect();
        text.push_str(&with);
        text.extend(&chars[end..]);
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_query_opens_a_page(q in query()) {
        let url = UrlState::parse(&q);
        // What it parsed writes back a query it reads the same.
        let again = UrlState::parse(&url.to_query());
        prop_assert_eq!(again.lab.map(|l| l.id), url.lab.map(|l| l.id));
    }

    #[test]
    fn any_text_as_a_query_opens_a_page(q in texty()) {
        let _ = UrlState::parse(&q);
    }

    #[test]
    fn any_text_as_an_export_is_read_or_refused(text in texty()) {
        let _ = export::load(&text);
    }

    #[test]
    fn a_damaged_export_is_read_or_refused(text in damaged_export()) {
        if let Ok(packed) = export::load_packed(&text) {
            prop_assert!(pack::unpack(&packed).is_some());
        }
    }

    #[test]
    fn any_bytes_as_packed_runs_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = pack::unpack(&bytes);
    }

    #[test]
    fn any_text_as_a_message_is_read_or_ignored(text in texty()) {
        let _ = serde_json::from_str::<HostMessage>(&text);
        let _ = sim::worker_protocol::decode::<FromWorker>(text.as_bytes());
        let _ = sim::worker_protocol::decode::<ToWorker>(text.as_bytes());
        if let Some(command) = (HostMessage { kind: text.clone() }).command() {
            prop_assert!(text.starts_with("async-playground:"), "{command:?}");
        }
        if let Some(action) = H5pAction::parse(&text) {
            prop_assert_eq!(serde_json::to_value(action).unwrap(), serde_json::json!(text));
        }
    }

    /// The workers' messages are bytes: any bytes, and real messages damaged, are read or
    /// refused, never a panic (nor an allocation a length prefix asks for and the bytes lack).
    #[test]
    fn any_bytes_as_a_worker_message_are_read_or_refused(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        at in 0..64usize,
        with in any::<u8>(),
    ) {
        let _ = sim::worker_protocol::decode::<FromWorker>(&bytes);
        let _ = sim::worker_protocol::decode::<ToWorker>(&bytes);
        let message = FromWorker::TaskDone {
            task: 3,
            events: sim::exec::virtual_time::run_virtual(
                sim::executors::ExecutorId::EventLoop,
                &sim::workload::hello(2, 0.1, false),
            )
            .0
            .events,
            output: Default::default(),
        };
        let mut real = sim::worker_protocol::encode(&message).unwrap();
        let at = at % real.len();
        real[at] = with;
        let _ = sim::worker_protocol::decode::<FromWorker>(&real);
    }

    #[test]
    fn any_typed_prediction_is_read_or_explained(text in texty(), rows in any::<bool>()) {
        let _ = predict::parse(&text, rows);
    }
}
