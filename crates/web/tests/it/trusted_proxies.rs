//! Behind the bureau's reverse proxy every user comes from the proxy's address: the login
//! throttle must key on the client the proxy forwarded (`X-Forwarded-For`), but only when the
//! peer is a configured trusted proxy; anyone else's header is ignored.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request};
use axum::Router;
use serde_json::json;
use test_support::on_both;
use tower::ServiceExt;
use web::client_addr::TrustedProxies;
use web::AppState;

use crate::helpers::{Api, STAFF_PASSWORD};

/// A login attempt arriving from `peer`, with an `X-Forwarded-For` header if given; its status.
async fn attempt(router: &Router, peer: &str, forwarded: Option<&str>, username: &str, password: &str) -> u16 {
    let peer: SocketAddr = peer.parse().expect("peer");
    let mut builder =
        Request::builder().method("POST").uri("/api/v1/auth/token").header(header::CONTENT_TYPE, "application/json");
    if let Some(forwarded) = forwarded {
        builder = builder.header("x-forwarded-for", forwarded);
    }
    let mut request =
        builder.body(Body::from(json!({"username": username, "password": password}).to_string())).expect("request");
    request.extensions_mut().insert(ConnectInfo(peer));
    router.clone().oneshot(request).await.expect("infallible").status().as_u16()
}

on_both!(one_users_typos_behind_the_proxy_do_not_lock_out_the_hall, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("clerk", "clerk", "511702").await;
    let state = AppState { app: api.t.app.clone(), secure_cookies: false, simulated: None, public_url: None };
    let trusted = TrustedProxies::parse("10.0.0.0/8").expect("list");
    let router = web::router(state).layer(axum::Extension(trusted));
    const PROXY: &str = "10.0.0.1:40000";

    // One user at the hall mistypes 20 times (the per-address limit), under various names.
    for i in 0..20 {
        let status = attempt(&router, PROXY, Some("203.0.113.5"), &format!("nobody{i}"), "wrong").await;
        assert_eq!(status, 401, "attempt {i}");
    }
    assert_eq!(attempt(&router, PROXY, Some("203.0.113.5"), "nobody", "wrong").await, 429, "that user is held back");
    // A forged left part of the chain does not free them: the proxy appended what it saw.
    assert_eq!(attempt(&router, PROXY, Some("198.18.0.1, 203.0.113.5"), "nobody", "wrong").await, 429);
    // Everyone else in the hall, through the same proxy, still signs in.
    assert_eq!(attempt(&router, PROXY, Some("203.0.113.6"), "clerk", STAFF_PASSWORD).await, 200);

    // A peer that is no trusted proxy cannot choose its address by the header.
    const OUTSIDER: &str = "198.51.100.7:50000";
    for i in 0..20 {
        let forged = format!("192.0.2.{i}");
        let status = attempt(&router, OUTSIDER, Some(&forged), &format!("other{i}"), "wrong").await;
        assert_eq!(status, 401, "attempt {i}");
    }
    assert_eq!(attempt(&router, OUTSIDER, Some("192.0.2.200"), "clerk", STAFF_PASSWORD).await, 429);

    // Without trusted proxies configured (the default) the header counts for nothing.
    let plain =
        web::router(AppState { app: api.t.app.clone(), secure_cookies: false, simulated: None, public_url: None })
            .layer(axum::Extension(TrustedProxies::default()));
    assert_eq!(attempt(&plain, OUTSIDER, Some("203.0.113.99"), "clerk", STAFF_PASSWORD).await, 429);
});
