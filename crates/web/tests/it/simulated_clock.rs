//! The simulated clock (`serve --simulated-clock`): the admin endpoint that moves it exists only
//! then, moves forward only, is recorded; pages carry the 模拟时钟 banner; `/me` and `/healthz`
//! report the time. And the calendar-year warning, checked by moving the clock.

use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{Api, Auth};

on_both!(the_clock_endpoint_does_not_exist_without_the_flag, |db| async move {
    let api = Api::new(db).await;
    let admin = api.admin_token().await;
    let before = api.footprint().await;
    let reply =
        api.post("/api/v1/admin/clock", Auth::Bearer(&admin), json!({"now": "2021-10-08T09:00:00+08:00"})).await;
    reply.assert_error(404, "route_not_found");
    // Not even a body or a login is looked at.
    api.raw("POST", "/api/v1/admin/clock", Auth::None, Some("text/plain"), b"x".to_vec())
        .await
        .assert_error(404, "route_not_found");
    assert_eq!(api.footprint().await, before);
    let health = api.get("/healthz", Auth::None).await.json();
    assert_eq!(health, json!({"status": "ok"}), "no simulated_clock field");
    assert!(api.get("/api/v1/me", Auth::Bearer(&admin)).await.json().get("simulated_clock").is_none());
    let page = api.get("/login", Auth::None).await.text();
    assert!(!page.contains("模拟时钟"), "{page}");
});

on_both!(an_admin_moves_the_simulated_clock_forward_only, |db| async move {
    let api = Api::simulated(db).await;
    let admin = api.admin_token().await;
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let (admin, clerk) = (Auth::Bearer(&admin), Auth::Bearer(&clerk));
    let health = api.get("/healthz", Auth::None).await.json();
    assert!(health["simulated_clock"].as_str().is_some_and(|t| t.starts_with("2021-06-01T09:")), "{health}");
    let me = api.get("/api/v1/me", admin).await.json();
    assert!(me["simulated_clock"].as_str().is_some_and(|t| t.starts_with("2021-06-01T09:")), "{me}");

    let before = api.footprint().await;
    let to = json!({"now": "2021-10-08T09:00:00+08:00"});
    api.post("/api/v1/admin/clock", clerk, to.clone()).await.assert_error(403, "forbidden");
    api.post("/api/v1/admin/clock", Auth::None, to.clone()).await.assert_error(401, "unauthorized");
    for bad in ["2021-10-08", "2021-10-08 09:00:00", "tomorrow", ""] {
        api.post("/api/v1/admin/clock", admin, json!({"now": bad})).await.assert_error(400, "invalid_time");
    }
    api.post("/api/v1/admin/clock", admin, json!({"now": "2021-05-01T09:00:00+08:00"}))
        .await
        .assert_error(422, "clock_backwards");
    // Only within the years the calendar covers (built in: 2020–2026): forward only, a clock set
    // past them could never come back.
    for far in ["9999-12-31T09:00:00+08:00", "2027-01-01T00:00:00+08:00"] {
        let reply = api.post("/api/v1/admin/clock", admin, json!({"now": far})).await;
        reply.assert_error(422, "clock_outside_calendar");
        assert_eq!(reply.json()["field"], "now");
    }
    assert_eq!(api.footprint().await, before, "refusals record nothing");
    assert!(api.t.app.now() < chrono::DateTime::parse_from_rfc3339("2021-06-02T00:00:00+08:00").expect("t"));

    let moved = api.post("/api/v1/admin/clock", admin, to).await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    assert_eq!(moved.json()["now"], "2021-10-08T09:00:00+08:00");
    assert_eq!(api.t.app.today().to_string(), "2021-10-08");
    let events = api.t.app.store.stream_events("clock").await.expect("events");
    assert_eq!(events.iter().map(|e| e.act.as_str()).collect::<Vec<_>>(), ["clock.set"]);
    let health = api.get("/healthz", Auth::None).await.json();
    assert!(health["simulated_clock"].as_str().is_some_and(|t| t.starts_with("2021-10-08T09:")), "{health}");
    // Items default to the simulated today.
    assert_eq!(api.get("/api/v1/items", Auth::None).await.json()["on"], "2021-10-08");
});

on_both!(every_page_shows_the_simulated_clock_banner, |db| async move {
    let api = Api::simulated(db).await;
    for path in ["/login", "/no-such-page"] {
        let page = api.get(path, Auth::None).await;
        assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"), "{path}");
        let html = page.text();
        assert!(html.contains("模拟时钟"), "{path}: {html}");
        assert!(html.contains("2021-06-01 09:0"), "{path}: {html}");
        let body = html.find("<body>").expect("a body");
        assert!(html.find("模拟时钟").is_some_and(|at| at > body), "inside the body: {html}");
    }
    let (session, _) = api.cookie_login("admin", &api.t.admin_password.clone()).await;
    let home = api.get("/", Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(home.contains("模拟时钟") && home.contains("我的授权"), "{home}");
    // JSON is left alone.
    assert!(!api.get("/api/v1/divisions", Auth::None).await.text().contains("模拟时钟"));
});

async fn status(api: &Api, admin: Auth<'_>) -> Value {
    let reply = api.get("/api/v1/admin/status", admin).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

async fn set_clock(api: &Api, admin: Auth<'_>, now: &str) {
    let reply = api.post("/api/v1/admin/clock", admin, json!({ "now": now })).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// A year of Monday–Friday working days, as a calendar file.
fn plain_year(year: i32) -> String {
    use chrono::Datelike;
    let mut csv = String::from("date,is_workday,holiday_name,is_makeup_workday\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("date");
    while day.year() == year {
        let weekend = matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
        csv.push_str(&format!("{day},{},,false\n", !weekend));
        day = day.succ_opt().expect("date");
    }
    csv
}

on_both!(the_calendar_year_warning_starts_on_1_october, |db| async move {
    let api = Api::simulated(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    api.get("/api/v1/admin/status", Auth::Bearer(&clerk)).await.assert_error(403, "forbidden");
    // Sessions expire by the clock: log in again after each move.
    let password = api.t.admin_password.clone();
    let moved = |now: &'static str| {
        let (api, password) = (&api, &password);
        async move {
            let admin = api.token("admin", password).await;
            set_clock(api, Auth::Bearer(&admin), now).await;
            api.token("admin", password).await
        }
    };

    // 2021-10-01: the built-in calendar holds 2022, no warning.
    let admin = moved("2021-10-01T09:00:00+08:00").await;
    let s = status(&api, Auth::Bearer(&admin)).await;
    assert_eq!(s["calendar_warning"], Value::Null, "{s}");
    assert_eq!(s["today"], "2021-10-01");
    assert!(s["simulated_clock"].as_str().is_some_and(|t| t.starts_with("2021-10-01T09:")), "{s}");
    // 2026-09-30: not yet.
    let admin = moved("2026-09-30T09:00:00+08:00").await;
    assert_eq!(status(&api, Auth::Bearer(&admin)).await["calendar_warning"], Value::Null);
    assert_eq!(api.t.app.calendar_warning(), None);
    // 2026-10-01: 2027 is not loaded.
    let admin = moved("2026-10-01T09:00:00+08:00").await;
    let s = status(&api, Auth::Bearer(&admin)).await;
    let warning = s["calendar_warning"].as_str().unwrap_or_default();
    assert!(warning.starts_with("尚未载入 2027 年节假日安排"), "{s}");
    assert_eq!(s["calendar_years"].as_array().and_then(|y| y.last()).and_then(Value::as_i64), Some(2026));
    assert_eq!(api.t.app.calendar_warning().as_deref(), Some(warning));
    // Loading 2027 ends it.
    let body = json!({"csv": plain_year(2027), "source": "测试用 2027 年安排"});
    assert_eq!(api.post("/api/v1/calendar/versions", Auth::Bearer(&admin), body).await.status, 201);
    assert_eq!(status(&api, Auth::Bearer(&admin)).await["calendar_warning"], Value::Null);
});
