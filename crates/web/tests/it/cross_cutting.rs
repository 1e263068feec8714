//! What every response carries: security headers, the request id; unknown routes and methods;
//! panics; the OpenAPI document covering the route table; the health check.

use axum::routing::get;
use axum::Router;
use serde_json::json;
use test_support::on_both;
use tower::ServiceExt;

use crate::helpers::{Api, Auth, Reply};

#[track_caller]
fn assert_security_headers(reply: &Reply) {
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(reply.header("x-frame-options"), Some("DENY"));
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(reply.header("content-security-policy"), Some("default-src 'self'; frame-ancestors 'none'"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let id = reply.header("x-request-id").unwrap_or_default();
    assert!(!id.is_empty(), "a request id");
}

on_both!(every_response_carries_the_security_headers, |db| async move {
    let api = Api::new(db).await;
    let token = api.admin_token().await;
    let replies = [
        api.get("/healthz", Auth::None).await,
        api.get("/api/v1/me", Auth::Bearer(&token)).await,
        api.get("/api/v1/me", Auth::None).await,
        api.get("/api/v1/nothing-here", Auth::None).await,
        api.get("/nothing-here", Auth::None).await,
        api.get("/login", Auth::None).await,
        api.get("/", Auth::None).await,
        api.call("PATCH", "/api/v1/persons", Auth::None, None).await,
        api.raw("POST", "/api/v1/auth/token", Auth::None, Some("text/plain"), b"x".to_vec()).await,
        api.get("/api/v1/openapi.json", Auth::None).await,
    ];
    for reply in &replies {
        assert_security_headers(reply);
    }
});

on_both!(request_ids_are_echoed_or_made, |db| async move {
    let api = Api::new(db).await;
    let request = |id: &str| {
        axum::http::Request::builder()
            .uri("/healthz")
            .header("x-request-id", id)
            .body(axum::body::Body::empty())
            .expect("request")
    };
    for kept in ["0af7651916cd43dd8448eb211c80319c", "3f1c2b9e-7a44-4c1e-9d2a-0b6f5e8c1a77"] {
        assert_eq!(api.send(request(kept)).await.header("x-request-id"), Some(kept));
    }
    // Anything else is replaced: it could forge a log line or carry personal data.
    for replaced in ["a b\"c", "trace-abc-123", "511702194001011706"] {
        let reply = api.send(request(replaced)).await;
        let made = reply.header("x-request-id").unwrap_or_default();
        assert_eq!(made.len(), 32, "{made}");
        assert!(made.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    let one = api.get("/healthz", Auth::None).await;
    let two = api.get("/healthz", Auth::None).await;
    assert_ne!(one.header("x-request-id"), two.header("x-request-id"));
});

on_both!(unknown_routes_and_methods, |db| async move {
    let api = Api::new(db).await;
    api.get("/api/v1/nothing-here", Auth::None).await.assert_error(404, "route_not_found");
    api.get("/api", Auth::None).await.assert_error(404, "route_not_found");
    let page = api.get("/nothing-here", Auth::None).await;
    assert_eq!(page.status, 404);
    assert!(page.header("content-type").unwrap_or_default().starts_with("text/html"));
    assert!(page.text().contains("页面不存在"));
    for (method, path) in [("DELETE", "/api/v1/persons"), ("PUT", "/healthz"), ("DELETE", "/login")] {
        let reply = api.call(method, path, Auth::None, None).await;
        reply.assert_error(405, "method_not_allowed");
    }
    let reply = api.call("PATCH", "/api/v1/persons", Auth::None, None).await;
    let allow = reply.header("allow").unwrap_or_default();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
});

#[tokio::test]
async fn a_panicking_handler_gives_the_ordinary_500() {
    async fn boom() -> &'static str {
        panic!("a bug with a secret in it")
    }
    crate::helpers::logs();
    let router: Router = web::wrap(Router::new().route("/api/v1/boom", get(boom)));
    let request = axum::http::Request::builder().uri("/api/v1/boom").body(axum::body::Body::empty()).expect("request");
    let response = router.oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = http_body_util::BodyExt::collect(response.into_body()).await.expect("body").to_bytes();
    let reply = Reply { status, headers, body };
    reply.assert_error(500, "internal");
    assert!(!reply.text().contains("secret"), "the panic message stays inside");
    assert_eq!(reply.json()["message"], web::error::INTERNAL_MESSAGE);
    assert_security_headers(&reply);
}

on_both!(openapi_lists_every_route, |db| async move {
    let api = Api::new(db).await;
    let reply = api.get("/api/v1/openapi.json", Auth::None).await;
    assert_eq!(reply.status, 200);
    let doc = reply.json();
    assert!(doc["openapi"].as_str().unwrap_or_default().starts_with("3."));
    let routes = web::route_table();
    assert!(routes.len() >= 28);
    for (method, path) in routes {
        let operation = &doc["paths"][path][method.as_str().to_ascii_lowercase()];
        assert!(operation.is_object(), "{method} {path} is missing from openapi.json");
        assert!(operation["responses"].is_object(), "{method} {path} documents its responses");
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["cookie"]["in"], "cookie");
    assert_eq!(schemes["cookie"]["name"], "mz_session");
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    // A client can be generated from it: every operationId once, every $ref resolves.
    let mut ids = std::collections::BTreeMap::<String, usize>::new();
    for ops in doc["paths"].as_object().expect("paths").values() {
        for op in ops.as_object().expect("operations").values() {
            if let Some(id) = op["operationId"].as_str() {
                *ids.entry(id.to_string()).or_default() += 1;
            }
        }
    }
    let twice: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "operationIds used more than once: {twice:?}");
    let text = reply.text();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap_or_default();
        assert!(doc["components"]["schemas"][name].is_object(), "$ref to {name} resolves");
    }
    // Everything documented is routed, too.
    let documented: usize = doc["paths"]
        .as_object()
        .map(|p| p.values().map(|ops| ops.as_object().map_or(0, |o| o.len())).sum())
        .unwrap_or(0);
    assert_eq!(documented, web::route_table().len());
});

on_both!(health_check_pings_the_database, |db| async move {
    let api = Api::new(db).await;
    let reply = api.get("/healthz", Auth::None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"status": "ok"}));
    api.t.app.store.close().await;
    let reply = api.get("/healthz", Auth::None).await;
    reply.assert_error(503, "database_unavailable");
});

/// One HTTP/1.1 request over a real socket (blocking; run off the runtime).
fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

on_both!(serve_answers_on_a_socket_and_shuts_down_gracefully, |db| async move {
    let api = Api::new(db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = web::AppState { app: api.t.app.clone(), secure_cookies: false, simulated: None, public_url: None };
    let server = tokio::spawn(web::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let response = tokio::task::spawn_blocking(move || http_get(addr, "/healthz")).await.expect("join");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("x-request-id:"), "{response}");
    assert!(response.ends_with("{\"status\":\"ok\"}"), "{response}");
    let _ = stop.send(());
    let result = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    assert!(matches!(result, Ok(Ok(Ok(())))), "serve returns after shutdown: {result:?}");
});
