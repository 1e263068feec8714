//! Every refusal, from whichever layer makes it — hyper's parser (400, 414, 431), the router
//! (404, 405), the body limit (413), the extractors (415, 400 malformed JSON, a bad path or
//! query parameter) — carries the one error shape `{code, message, field, problems}` with a
//! Chinese message, on a real connection (hyper's own answers never reach a test router).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;
use test_support::{on_both, TestApp};
use web::AppState;

/// Sends `request` as raw bytes and returns (status, headers lowercased, body).
fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // A server may answer and close before it read everything: a failed write is not the test.
    let _ = stream.write_all(request);
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if complete(&raw) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    (status, head, raw[split + 4..].to_vec())
}

fn complete(raw: &[u8]) -> bool {
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else { return false };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let length =
        head.lines().find_map(|l| l.strip_prefix("content-length: ")).and_then(|v| v.trim().parse::<usize>().ok());
    length.is_some_and(|n| raw.len() >= split + 4 + n)
}

#[track_caller]
fn assert_shape(what: &str, (status, head, body): (u16, String, Vec<u8>), want_status: u16, want_code: &str) {
    assert_eq!(status, want_status, "{what}: {head}\n{}", String::from_utf8_lossy(&body));
    assert!(head.contains("content-type: application/json"), "{what}: {head}");
    let body: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", String::from_utf8_lossy(&body)));
    assert_eq!(body["code"], want_code, "{what}: {body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{what}: a Chinese message: {body}");
    assert!(body["problems"].is_array(), "{what}: problems: {body}");
    assert!(body.get("field").is_some(), "{what}: field: {body}");
}

on_both!(every_refusal_of_every_layer_carries_the_error_shape, |db| async move {
    let t = TestApp::new(db).await.expect("a test database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState { app: t.app.clone(), secure_cookies: false, simulated: None, public_url: None };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let ask = |request: Vec<u8>| tokio::task::spawn_blocking(move || exchange(addr, &request));

    let long = format!("GET /api/v1/divisions?q={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70 * 1024));
    assert_shape("URI over 64 KiB", ask(long.into_bytes()).await.unwrap(), 414, "uri_too_long");
    let big_header = format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "b".repeat(512 * 1024));
    assert_shape("head over the buffer", ask(big_header.into_bytes()).await.unwrap(), 431, "headers_too_large");
    assert_shape(
        "a malformed request line",
        ask(b"GET\x01 / HTTP/1.1\r\n\r\n".to_vec()).await.unwrap(),
        400,
        "bad_request",
    );
    assert_shape(
        "a malformed header",
        ask(b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".to_vec()).await.unwrap(),
        400,
        "bad_request",
    );
    let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").into_bytes();
    assert_shape("unknown route", ask(get("/api/v1/nothing-here")).await.unwrap(), 404, "route_not_found");
    assert_shape(
        "wrong method",
        ask(b"PATCH /api/v1/persons HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()).await.unwrap(),
        405,
        "method_not_allowed",
    );
    let post = |path: &str, content_type: &str, body: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    assert_shape(
        "declared body over 1 MiB",
        ask(b"POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{".to_vec())
            .await
            .unwrap(),
        413,
        "body_too_large",
    );
    assert_shape(
        "wrong content type",
        ask(post("/api/v1/auth/token", "text/plain", "x")).await.unwrap(),
        415,
        "unsupported_media_type",
    );
    assert_shape(
        "JSON syntax",
        ask(post("/api/v1/auth/token", "application/json", "{\"a\":")).await.unwrap(),
        400,
        "malformed_json",
    );
    let bad_path = ask(get("/api/v1/calendar/days/not-a-date")).await.unwrap();
    assert!(matches!(bad_path.0, 400 | 422), "a bad path parameter: {}", bad_path.0);
    let status = bad_path.0;
    let code: Value = serde_json::from_slice(&bad_path.2).expect("JSON");
    assert_shape("bad path parameter", bad_path, status, code["code"].as_str().unwrap_or_default());
    let bad_query = ask(get("/api/v1/calendar/add-days?date=2021-01-01&n=x")).await.unwrap();
    let status = bad_query.0;
    assert_eq!(status, 400, "a bad query parameter");
    let code: Value = serde_json::from_slice(&bad_query.2).expect("JSON");
    assert_shape("bad query parameter", bad_query, status, code["code"].as_str().unwrap_or_default());

    let _ = stop.send(());
    let _ = server.await;
});
