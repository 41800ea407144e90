//! The `/api` routes through a real socket: health, the delay, its caps, the in-flight limit.

mod common;

use std::time::{Duration, Instant};

use common::{get, Server};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

#[tokio::test]
async fn health_names_the_server_and_its_version() {
    let server = Server::start(10_000, 10).await;
    let reply = server.get("/api/health", &[]).await;
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(
        reply.json(),
        serde_json::json!({
            "ok": true,
            "server": "playground-server",
            "version": env!("CARGO_PKG_VERSION"),
        })
    );
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert!(reply.header("content-security-policy").is_some());
    assert!(reply.header("x-frame-options").is_none());
}

#[tokio::test]
async fn delay_waits_the_time_asked_for() {
    let server = Server::start(10_000, 10).await;
    let start = Instant::now();
    let reply = server.get("/api/delay?ms=150", &[]).await;
    let elapsed = start.elapsed();
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    let json = reply.json();
    assert_eq!(json["ms"], 150);
    let waited = json["waited_ms"].as_f64().unwrap();
    assert!((150.0..1500.0).contains(&waited), "{waited}");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn delay_rejects_bad_values_in_plain_words() {
    let server = Server::start(2_000, 10).await;
    let long = format!("/api/delay?ms={}", "9".repeat(3000));
    for path in [
        "/api/delay",
        "/api/delay?",
        "/api/delay?ms=",
        "/api/delay?ms=2001",
        "/api/delay?ms=-5",
        "/api/delay?ms=NaN",
        "/api/delay?ms=1.5",
        "/api/delay?ms=abc&ms=abc",
        "/api/delay?ms=1&ms=2",
        "/api/delay?ms=%00",
        "/api/delay?ms=%ZZ",
        "/api/delay?%FF=%FF&ms=%E2%82%AC",
        "/api/delay?ms=99999999999999999999999999",
        long.as_str(),
    ] {
        let reply = server.get(path, &[]).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text());
        let message = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(message.contains("`ms`"), "{path}: {message}");
        assert!(message.contains("2000"), "{path}: {message}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    // Zero and the cap itself are allowed; other keys are ignored.
    let reply = server.get("/api/delay?ms=0&cache=123", &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["ms"], 0);
}

#[tokio::test]
async fn too_many_at_once_get_429_and_slots_come_back() {
    let server = Server::start(10_000, 2).await;
    let addr = server.addr;
    let requests = (0..3).map(|_| tokio::spawn(get(addr, "/api/delay?ms=300", &[])));
    let mut statuses = Vec::new();
    for request in requests.collect::<Vec<_>>() {
        let reply = request.await.unwrap();
        if reply.status == 429 {
            let message = reply.json()["error"].as_str().unwrap().to_owned();
            assert!(message.contains('2'), "{message}");
            assert_eq!(reply.header("retry-after"), Some("1"));
        }
        statuses.push(reply.status);
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 200, 429]);
    // Both slots are free again once the requests are answered.
    let (a, b) = tokio::join!(
        get(addr, "/api/delay?ms=10", &[]),
        get(addr, "/api/delay?ms=10", &[])
    );
    assert_eq!((a.status, b.status), (200, 200));
}

#[tokio::test]
async fn a_client_that_hangs_up_frees_its_slot() {
    let server = Server::start(10_000, 1).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    // Keep-alive (no `Connection: close`), as a browser sends it.
    let request = format!(
        "GET /api/delay?ms=8000 HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.get("/api/delay?ms=0", &[]).await.status, 429);
    drop(stream);
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let status = server.get("/api/delay?ms=0", &[]).await.status;
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "slot never released: {status}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let server = Server::start(10_000, 10).await;
    for path in [
        "/api/nope",
        "/api",
        "/api/",
        "/api/health/",
        "/api/a/b?ms=1",
    ] {
        let reply = server.get(path, &[]).await;
        assert_eq!(reply.status, 404, "{path}");
        let message = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(message.contains("/api/delay"), "{path}: {message}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    }

    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let request = "POST /api/delay?ms=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
                   Content-Length: 0\r\n\r\n";
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut stream, &mut raw)
        .await
        .unwrap();
    assert!(raw.starts_with("HTTP/1.1 405"), "{raw}");
    assert!(raw.contains("\"error\""), "{raw}");
}
