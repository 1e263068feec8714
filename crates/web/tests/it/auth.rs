//! Tokens, cookie sessions, CSRF, expiry, throttling.

use chrono::Duration;
use serde_json::json;
use test_support::on_both;

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

on_both!(bearer_token_works_until_revoked, |db| async move {
    let api = Api::new(db).await;
    let token = api.admin_token().await;
    let me = api.get("/api/v1/me", Auth::Bearer(&token)).await;
    assert_eq!(me.status, 200, "{}", me.text());
    let me = me.json();
    assert_eq!(me["account"]["username"], "admin");
    assert_eq!(me["account"]["grants"][0]["role"], "admin");
    assert_eq!(me["account"]["grants"][0]["role_name"], "系统管理员");
    assert_eq!(me["account"]["grants"][0]["division_name"], "四川省达州市");
    assert_eq!(me["csrf_token"].as_str().map(str::len), Some(64));

    let revoke = api.call("DELETE", "/api/v1/auth/token", Auth::Bearer(&token), None).await;
    assert_eq!(revoke.status, 204);
    api.get("/api/v1/me", Auth::Bearer(&token)).await.assert_error(401, "unauthorized");
    let again = api.call("DELETE", "/api/v1/auth/token", Auth::Bearer(&token), None).await;
    again.assert_error(401, "unauthorized");
});

on_both!(token_issue_returns_an_expiry_eight_hours_on, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let reply = api.post("/api/v1/auth/token", Auth::None, json!({"username": "admin", "password": password})).await;
    assert_eq!(reply.status, 200);
    // test_start() is 2021-06-01 09:00 in Shanghai; the simulated clock runs on from there.
    let expires = reply.json()["expires_at"].as_str().unwrap_or_default().to_string();
    assert!(expires.starts_with("2021-06-01T17:0"), "{expires}");
    assert!(expires.ends_with("+08:00"), "{expires}");
});

on_both!(expired_tokens_and_sessions_are_refused, |db| async move {
    let api = Api::new(db).await;
    let token = api.admin_token().await;
    let password = api.t.admin_password.clone();
    let (session, _) = api.cookie_login("admin", &password).await;
    api.t.clock.advance(Duration::hours(9)).expect("clock moves forward");
    let reply = api.get("/api/v1/me", Auth::Bearer(&token)).await;
    reply.assert_error(401, "unauthorized");
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    api.get("/api/v1/me", Auth::Cookie { session: &session, csrf: None }).await.assert_error(401, "unauthorized");
});

on_both!(malformed_credentials_are_unauthorized, |db| async move {
    let api = Api::new(db).await;
    for header in ["Basic YWRtaW46eA==", "Bearer", "Bearer not-a-token", "Bearer 0000"] {
        let request = axum::http::Request::builder()
            .uri("/api/v1/me")
            .header("authorization", header)
            .body(axum::body::Body::empty())
            .expect("request");
        api.send(request).await.assert_error(401, "unauthorized");
    }
    api.get("/api/v1/me", Auth::None).await.assert_error(401, "unauthorized");
    let fake = "ab".repeat(32);
    api.get("/api/v1/me", Auth::Cookie { session: &fake, csrf: None }).await.assert_error(401, "unauthorized");
});

on_both!(cookie_login_sets_a_strict_http_only_cookie, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let reply = api.post("/api/v1/auth/login", Auth::None, json!({"username": "admin", "password": password})).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let cookie = reply.header("set-cookie").unwrap_or_default().to_string();
    assert!(cookie.starts_with("mz_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "not on plain HTTP: {cookie}");
    let body = reply.json();
    assert_eq!(body["account"]["username"], "admin");
    let csrf = body["csrf_token"].as_str().unwrap_or_default().to_string();
    assert_eq!(csrf.len(), 64);
    // The token itself never appears in the body.
    let session = reply.cookie("mz_session").unwrap_or_default();
    assert!(!reply.text().contains(&session));

    let me = api.get("/api/v1/me", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["csrf_token"], csrf.as_str());
});

on_both!(secure_cookies_when_configured, |db| async move {
    let api = Api::with(db, true).await;
    let password = api.t.admin_password.clone();
    let reply = api.post("/api/v1/auth/login", Auth::None, json!({"username": "admin", "password": password})).await;
    let cookie = reply.header("set-cookie").unwrap_or_default();
    assert!(cookie.contains("; Secure"), "{cookie}");
});

on_both!(cookie_writes_need_the_csrf_token, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("clerk", "clerk", "511702").await;
    let (session, csrf) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let person = json!({"name": "张三", "id_number": "511702194001011706", "division": "511702"});
    let before = api.footprint().await;

    let without = api.post("/api/v1/persons", Auth::Cookie { session: &session, csrf: None }, person.clone()).await;
    without.assert_error(403, "csrf_failed");
    let wrong = "0".repeat(64);
    let forged =
        api.post("/api/v1/persons", Auth::Cookie { session: &session, csrf: Some(&wrong) }, person.clone()).await;
    forged.assert_error(403, "csrf_failed");
    let mut cross_site = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/persons")
        .header("content-type", "application/json")
        .header("cookie", format!("mz_session={session}"))
        .header("x-csrf-token", &csrf)
        .header("sec-fetch-site", "cross-site");
    cross_site = cross_site.header("origin", "https://evil.example");
    let reply = api.send(cross_site.body(axum::body::Body::from(person.to_string())).expect("request")).await;
    reply.assert_error(403, "csrf_failed");
    assert_eq!(api.footprint().await, before, "nothing written without the CSRF token");

    // Reads need no CSRF token; the right token lets the write through.
    assert_eq!(api.get("/api/v1/persons", Auth::Cookie { session: &session, csrf: None }).await.status, 200);
    let ok = api.post("/api/v1/persons", Auth::Cookie { session: &session, csrf: Some(&csrf) }, person).await;
    assert_eq!(ok.status, 201, "{}", ok.text());
});

on_both!(bearer_writes_are_exempt_from_csrf, |db| async move {
    let api = Api::new(db).await;
    let token = api.staff_token("clerk", "clerk", "511702").await;
    let person = json!({"name": "张三", "id_number": "511702194001011706", "division": "511702"});
    let reply = api.post("/api/v1/persons", Auth::Bearer(&token), person).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
});

on_both!(cookie_logout_revokes_and_clears, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let (session, csrf) = api.cookie_login("admin", &password).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    api.call("POST", "/api/v1/auth/logout", cookie, None).await.assert_error(403, "csrf_failed");
    let cookie = Auth::Cookie { session: &session, csrf: Some(&csrf) };
    let reply = api.call("POST", "/api/v1/auth/logout", cookie, None).await;
    assert_eq!(reply.status, 204);
    let cleared = reply.header("set-cookie").unwrap_or_default();
    assert!(cleared.starts_with("mz_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    api.get("/api/v1/me", cookie).await.assert_error(401, "unauthorized");
    // DELETE /auth/token is for bearer tokens.
    let (session, csrf) = api.cookie_login("admin", &password).await;
    let cookie = Auth::Cookie { session: &session, csrf: Some(&csrf) };
    api.call("DELETE", "/api/v1/auth/token", cookie, None).await.assert_error(400, "bearer_required");
});

on_both!(wrong_password_and_unknown_user_look_the_same, |db| async move {
    let api = Api::new(db).await;
    let wrong =
        api.post("/api/v1/auth/token", Auth::None, json!({"username": "admin", "password": "wrong-pass-1"})).await;
    let unknown =
        api.post("/api/v1/auth/token", Auth::None, json!({"username": "nobody", "password": "wrong-pass-1"})).await;
    wrong.assert_error(401, "bad_credentials");
    unknown.assert_error(401, "bad_credentials");
    assert_eq!(wrong.json(), unknown.json());
    assert_eq!(wrong.json()["message"], "用户名或密码错误");
    let cookie = api.post("/api/v1/auth/login", Auth::None, json!({"username": "nobody", "password": "x1"})).await;
    cookie.assert_error(401, "bad_credentials");
    assert!(cookie.header("set-cookie").is_none());
    api.post("/api/v1/auth/token", Auth::None, json!({"username": "", "password": ""}))
        .await
        .assert_error(422, "credentials_required");
});

on_both!(sixth_failed_login_is_throttled, |db| async move {
    let api = Api::new(db).await;
    for _ in 0..5 {
        let reply =
            api.post("/api/v1/auth/token", Auth::None, json!({"username": "admin", "password": "wrong-pass-1"})).await;
        reply.assert_error(401, "bad_credentials");
    }
    let password = api.t.admin_password.clone();
    let sixth = api.post("/api/v1/auth/token", Auth::None, json!({"username": "admin", "password": password})).await;
    sixth.assert_error(429, "too_many_attempts");
    assert_eq!(sixth.header("retry-after"), Some("900"));
    assert!(sixth.json()["message"].as_str().unwrap_or_default().contains("15分钟"));
});

on_both!(cross_site_login_is_refused, |db| async move {
    let api = Api::new(db).await;
    let password = api.t.admin_password.clone();
    let body = json!({"username": "admin", "password": password}).to_string();
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::from(body))
        .expect("request");
    let reply = api.send(request).await;
    reply.assert_error(403, "csrf_failed");
    assert!(reply.header("set-cookie").is_none());
});

on_both!(changing_a_password_ends_every_session, |db| async move {
    let api = Api::new(db).await;
    let token = api.staff_token("clerk", "clerk", "511702").await;
    let me = api.get("/api/v1/me", Auth::Bearer(&token)).await.json();
    let id = me["account"]["id"].as_i64().expect("id");
    let path = format!("/api/v1/accounts/{id}/password");
    let weak = api.call("PUT", &path, Auth::Bearer(&token), Some(json!({"password": "short"}))).await;
    weak.assert_error(422, "weak_password");
    assert_eq!(weak.json()["field"], "password");
    let stolen = api.call("PUT", &path, Auth::Bearer(&token), Some(json!({"password": "new-pass-2021"}))).await;
    stolen.assert_error(422, "current_password_wrong");
    let body = json!({"password": "new-pass-2021", "current_password": "test-pass-2021"});
    let reply = api.call("PUT", &path, Auth::Bearer(&token), Some(body)).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    api.get("/api/v1/me", Auth::Bearer(&token)).await.assert_error(401, "unauthorized");
    let fresh = api.token("clerk", "new-pass-2021").await;
    assert_eq!(api.get("/api/v1/me", Auth::Bearer(&fresh)).await.status, 200);
});

// A session used a moment ago (kept by the server between requests) answers to every change of
// its account at once: a new grant, a revoked grant, a disabled account.
on_both!(a_change_to_an_account_reaches_its_live_session_at_once, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let token = api.staff_token("clerk", "clerk", "511702").await;
    let roles = |me: serde_json::Value| -> Vec<String> {
        me["account"]["grants"].as_array().into_iter().flatten().map(|g| g["role"].to_string()).collect()
    };
    let me = api.get("/api/v1/me", Auth::Bearer(&token)).await.json();
    assert_eq!(roles(me.clone()), ["\"clerk\""]);
    let id = me["account"]["id"].as_i64().expect("id");
    let grant = json!({"role": "reviewer", "division": "511702"});
    let reply = api.post(&format!("/api/v1/accounts/{id}/grants"), Auth::Bearer(&admin), grant.clone()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(roles(api.get("/api/v1/me", Auth::Bearer(&token)).await.json()), ["\"clerk\"", "\"reviewer\""]);
    let reply = api.post(&format!("/api/v1/accounts/{id}/grants/revoke"), Auth::Bearer(&admin), grant).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(roles(api.get("/api/v1/me", Auth::Bearer(&token)).await.json()), ["\"clerk\""]);
    let reply = api.call("POST", &format!("/api/v1/accounts/{id}/disable"), Auth::Bearer(&admin), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    api.get("/api/v1/me", Auth::Bearer(&token)).await.assert_error(401, "unauthorized");
    // The administrator's own session, kept as well, is untouched by it.
    assert_eq!(api.get("/api/v1/me", Auth::Bearer(&admin)).await.status, 200);
});
