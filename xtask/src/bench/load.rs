//! The server's load test (`e2e/bench/load.mjs`) as a row of the table and a short section.

use serde_json::Value;
use sim::format::count;

use super::table::{Bar, Row, Section, Unit};

const ID: &str = "server-load";

/// The row: the throughput, with no error as its bar; p50 and p99 in its note.
pub fn row(summary: &Value) -> Row {
    let load = &summary["load"];
    let figure = |key: &str| load[key].as_f64();
    let case = format!(
        "server: {} GETs of api/delay?ms={}, {} at once",
        figure("requests").map_or("?".to_string(), |n| count(n as u64)),
        figure("delayMs").map_or("?".to_string(), |n| n.to_string()),
        figure("concurrency").map_or("?".to_string(), |n| count(n as u64)),
    );
    let (Some(throughput), Some(errors)) = (figure("throughputRps"), figure("errors")) else {
        let why = summary["error"]
            .as_str()
            .unwrap_or("the load test did not report its figures");
        return Row::failed(ID, &case, Unit::RequestsPerSecond, why.to_string());
    };
    let ms = |key: &str| figure(key).map_or("?".to_string(), |v| format!("{v:.1} ms"));
    Row::own(
        ID,
        &case,
        Unit::RequestsPerSecond,
        throughput,
        vec![Bar {
            name: "errors".to_string(),
            figure: Some(errors),
            op: "==".to_string(),
            limit: 0.0,
            unit: Unit::Count,
            pass: errors == 0.0,
            goal: false,
        }],
        format!(
            "p50 {} (+{}), p99 {} (+{}); at most {} req/s; loopback, after the browser",
            ms("p50Ms"),
            ms("p50OverMs"),
            ms("p99Ms"),
            ms("p99OverMs"),
            figure("idealRps").map_or("?".to_string(), |v| count(v as u64)),
        ),
    )
}

/// Every figure of the load test, and its errors by kind.
pub fn section(summary: &Value) -> Option<Section> {
    let load = summary["load"].as_object()?;
    let mut rows = vec![vec!["figure".to_string(), "value".to_string()]];
    rows.extend(
        load.iter()
            .map(|(key, value)| vec![key.clone(), value.to_string()]),
    );
    if let Some(kinds) = summary["errorKinds"].as_object() {
        rows.extend(
            kinds
                .iter()
                .map(|(kind, n)| vec![format!("error: {kind}"), n.to_string()]),
        );
    }
    Some(Section {
        title: "Server load test (e2e/bench/load.mjs)".to_string(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_load_tests_line() {
        let json: Value = serde_json::from_str(r#"{"ok":true,"baseUrl":"http://127.0.0.1:1/","load":{"requests":10000,"concurrency":1000,"delayMs":100,"ok":10000,"errors":0,"connections":1000,"wallMs":1203.4,"throughputRps":8309.8,"idealRps":10000,"p50Ms":112.5,"p90Ms":130.1,"p99Ms":160.2,"maxMs":201,"p50OverMs":12.5,"p99OverMs":60.2},"errorKinds":{}}"#).unwrap();
        let row = row(&json);
        assert_eq!(
            row.case,
            "server: 10,000 GETs of api/delay?ms=100, 1,000 at once"
        );
        assert_eq!(row.median, Some(8309.8));
        assert!(!row.fails());
        assert_eq!(
            row.note,
            "p50 112.5 ms (+12.5 ms), p99 160.2 ms (+60.2 ms); at most 10,000 req/s; loopback, \
             after the browser"
        );
        assert_eq!(section(&json).map(|s| s.rows.len()), Some(16));
    }

    #[test]
    fn a_load_test_without_figures_is_a_fail_row() {
        let json: Value = serde_json::from_str(r#"{"ok":false,"error":"refused"}"#).unwrap();
        let row = row(&json);
        assert!(row.fails());
        assert_eq!(row.error.as_deref(), Some("refused"));
        assert!(section(&json).is_none());
    }
}
