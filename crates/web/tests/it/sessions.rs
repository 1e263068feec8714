//! Session security beyond `auth.rs` and `pages.rs` (which cover cookie flags, logout, throttling
//! and the API's login errors): a login never adopts a session id it was handed (fixation), every
//! state-changing route of the table refuses a cookie request without the session's CSRF token,
//! and the login page does not tell an unknown user from a wrong password.

use axum::body::Body;
use axum::http::{header, Method, Request};
use serde_json::json;
use test_support::on_both;

use crate::helpers::{urlencode, Api, Auth, Reply, STAFF_PASSWORD};

/// The `mz_session` value a response sets.
fn set_session(reply: &Reply) -> String {
    reply.cookie("mz_session").unwrap_or_else(|| panic!("a session cookie: {:?}", reply.headers))
}

on_both!(a_login_always_starts_a_new_session, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("victim", "clerk", "511702").await;
    api.t.staff("attacker", "clerk", "511703").await;
    // The attacker's own live session, and a made-up one, planted in the victim's browser.
    let (planted, _) = api.cookie_login("attacker", STAFF_PASSWORD).await;
    let made_up = "ab".repeat(32);
    for fixed in [planted.as_str(), made_up.as_str()] {
        let body = json!({"username": "victim", "password": STAFF_PASSWORD}).to_string();
        let request = Request::builder()
            .method("POST")
            .uri("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, format!("mz_session={fixed}"))
            .body(Body::from(body))
            .expect("request");
        let reply = api.send(request).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let issued = set_session(&reply);
        assert_ne!(issued, fixed, "the API login issues its own session id");

        let form = format!("username=victim&password={}", urlencode(STAFF_PASSWORD));
        let request = Request::builder()
            .method("POST")
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("mz_session={fixed}"))
            .body(Body::from(form))
            .expect("request");
        let page = api.send(request).await;
        assert_eq!(page.status, 303, "{}", page.text());
        let from_page = set_session(&page);
        assert_ne!(from_page, fixed, "the login page issues its own session id");
        assert_ne!(from_page, issued, "every login a new id");
    }
    // The planted session still belongs to the attacker: the victim's login did not lift it.
    let me = api.get("/api/v1/me", Auth::Cookie { session: &planted, csrf: None }).await.json();
    assert_eq!(me["account"]["username"], "attacker");
    let me = api.get("/api/v1/me", Auth::Cookie { session: &made_up, csrf: None }).await;
    me.assert_error(401, "unauthorized");
    // Two sessions of one account: different ids, different CSRF tokens.
    let (one, csrf_one) = api.cookie_login("victim", STAFF_PASSWORD).await;
    let (two, csrf_two) = api.cookie_login("victim", STAFF_PASSWORD).await;
    assert_ne!(one, two);
    assert_ne!(csrf_one, csrf_two);
});

/// A concrete path for a route of the table: an item's slug, a register's name, and 1 for every other parameter
/// (`{id}`, `{comment}`, …), so that the path is well formed and the CSRF check is what answers.
fn concrete(path: &str) -> String {
    path.replace("{slug}", "elderly-care-filing")
        .replace("{register}", "publicity")
        .split('/')
        .map(|segment| if segment.starts_with('{') && segment.ends_with('}') { "1" } else { segment })
        .collect::<Vec<_>>()
        .join("/")
}

on_both!(every_state_changing_cookie_request_needs_the_csrf_token, |db| async move {
    // Simulated, so that the clock endpoint exists too.
    let api = Api::simulated(db).await;
    let password = api.t.admin_password.clone();
    let (session, csrf) = api.cookie_login("admin", &password).await;
    let before = api.footprint().await;
    let mut checked = 0;
    for (method, path) in web::route_table() {
        if method == Method::GET {
            continue;
        }
        let uri = concrete(path);
        let what = format!("{method} {path}");
        let form = !path.starts_with("/api/");
        // A bearer token is asked for without any cookie: nothing for a forged request to ride on.
        if path == "/api/v1/auth/token" && method == Method::POST {
            continue;
        }
        // Signing in, registering and the public portal's forms need no session, but a post from another site is
        // refused (login CSRF; a rating planted by another site).
        if matches!(
            path,
            "/api/v1/auth/login"
                | "/login"
                | "/register"
                | "/track"
                | "/track/rate"
                | "/api/v1/track/rate"
                | "/disclosure/track"
                | "/api/v1/hotline/rate-fix"
                | "/hotline/rate-fix"
                | "/rule-making/consultations/{id}/phone-code"
                | "/rule-making/consultations/{id}/phone-comments"
        ) {
            let request = Request::builder()
                .method(method.as_str())
                .uri(&uri)
                .header(
                    header::CONTENT_TYPE,
                    if form { "application/x-www-form-urlencoded" } else { "application/json" },
                )
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(if form {
                    format!("username=admin&password={}", urlencode(&password))
                } else {
                    json!({"username": "admin", "password": password}).to_string()
                }))
                .expect("request");
            let reply = api.send(request).await;
            assert_eq!(reply.status, 403, "{what} from another site: {}", reply.text());
            assert!(reply.header("set-cookie").is_none(), "{what}");
            checked += 1;
            continue;
        }
        // Without the token, with a wrong one, and with the right one from another site.
        let wrong = "0".repeat(64);
        for (token, site) in [(None, None), (Some(wrong.as_str()), None), (Some(csrf.as_str()), Some("cross-site"))] {
            let mut request = Request::builder()
                .method(method.as_str())
                .uri(&uri)
                .header(header::COOKIE, format!("mz_session={session}"));
            if let Some(site) = site {
                request = request.header("sec-fetch-site", site);
            }
            let body = if form {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                token.map(|t| format!("csrf_token={t}")).unwrap_or_default()
            } else {
                request = request.header(header::CONTENT_TYPE, "application/json");
                if let Some(token) = token {
                    request = request.header("x-csrf-token", token);
                }
                "{}".to_string()
            };
            let reply = api.send(request.body(Body::from(body)).expect("request")).await;
            let case = format!("{what} with token {token:?} from {site:?}");
            assert_eq!(reply.status, 403, "{case}: {}", reply.text());
            if !form {
                assert_eq!(reply.code(), "csrf_failed", "{case}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "the route table's writes: {checked}");
    assert_eq!(api.footprint().await, before, "nothing written without the token");
    // The session survived all that and still works with its token.
    let me = api.get("/api/v1/me", Auth::Cookie { session: &session, csrf: Some(&csrf) }).await;
    assert_eq!(me.status, 200);
});

on_both!(the_login_page_does_not_tell_unknown_users_from_wrong_passwords, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("zhangsan", "clerk", "511702").await;
    // Same length, so that the echoed user name does not differ in the page's size either.
    let known = api.form("/login", None, &[("username", "zhangsan"), ("password", "wrong-pass-1")]).await;
    let unknown = api.form("/login", None, &[("username", "lisiwang"), ("password", "wrong-pass-1")]).await;
    assert_eq!(known.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(known.text().replace("zhangsan", "USER"), unknown.text().replace("lisiwang", "USER"));
    assert!(known.text().contains("用户名或密码错误"), "{}", known.text());
});

on_both!(spraying_passwords_from_one_address_is_throttled_alike_for_every_name, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    // 20 failures from one address (the router called directly has one), each on another name,
    // known or not: the address is throttled, even for the right password.
    let start = api.t.app.now();
    for n in 0..20 {
        let username = if n == 0 { "admin".to_string() } else { format!("nobody{n}") };
        let reply =
            api.post("/api/v1/auth/token", Auth::None, json!({"username": username, "password": "wrong-pass-1"})).await;
        reply.assert_error(401, "bad_credentials");
    }
    let sprayed = api.t.app.now();
    let unknown = api.post("/api/v1/auth/token", Auth::None, json!({"username": "fresh", "password": "x1"})).await;
    unknown.assert_error(429, "too_many_attempts");
    let right = api.post("/api/v1/auth/token", Auth::None, json!({"username": "admin", "password": password})).await;
    right.assert_error(429, "too_many_attempts");
    assert_eq!(unknown.json(), right.json(), "the same answer for a name that exists and one that does not");

    // The window, on the simulated clock: the last failure happened before `sprayed`, the first
    // after `start`. Held a second short of 15 minutes from the first; lifted 15 minutes after
    // the last.
    let clock = &api.t.clock;
    clock.set(start + chrono::Duration::minutes(14) + chrono::Duration::seconds(59)).expect("forward");
    let held = api.post("/api/v1/auth/token", Auth::None, json!({"username": "admin", "password": password})).await;
    held.assert_error(429, "too_many_attempts");
    clock.set(sprayed + chrono::Duration::minutes(15)).expect("forward");
    let lifted = api.post("/api/v1/auth/token", Auth::None, json!({"username": "admin", "password": password})).await;
    assert_eq!(lifted.status, 200, "{}", lifted.text());
});
