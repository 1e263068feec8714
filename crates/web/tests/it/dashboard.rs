//! 领导驾驶舱: its metrics are the service metrics' own, its division and month counts add up to
//! them, and the page shows the numbers the API gives.

use chrono::Duration;
use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{application, Api, Auth, STAFF_PASSWORD};

fn sum(rows: &Value, field: &str) -> i64 {
    rows.as_array().into_iter().flatten().map(|r| r[field].as_i64().unwrap_or(0)).sum()
}

fn metric<'a>(stats: &'a Value, key: &str) -> &'a Value {
    stats["metrics"].as_array().and_then(|m| m.iter().find(|m| m["key"] == key)).unwrap_or(&Value::Null)
}

/// Three window cases at the city centre: one accepted and left to run overdue, one closed by
/// refusal, one waiting. Returns the leader's bearer token.
pub async fn some_cases(api: &Api) -> String {
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let mut ids = Vec::new();
    for order in 1..=3 {
        let case = api.post("/api/v1/cases", Auth::Bearer(&clerk), application(order)).await;
        assert_eq!(case.status, 201, "{}", case.text());
        ids.push(case.json()["id"].as_i64().expect("id"));
    }
    let act = |id: i64, body: Value| {
        let clerk = clerk.clone();
        async move {
            let reply = api.act(id, Auth::Bearer(&clerk), body).await;
            assert_eq!(reply.status, 200, "{}", reply.text());
        }
    };
    act(ids[0], json!({"action": "accept"})).await;
    act(ids[1], json!({"action": "refuse_acceptance", "reasons": "不属于本机关职权范围"})).await;
    let later = api.t.app.now() + Duration::days(30);
    api.t.clock.set(later).expect("clock forward");
    api.staff_token("leader", "leader", "511700").await
}

on_both!(the_dashboard_agrees_with_the_service_metrics, |db| async move {
    let api = Api::new(db).await;
    let leader = some_cases(&api).await;
    let dashboard = api.get("/api/v1/stats/dashboard", Auth::Bearer(&leader)).await;
    assert_eq!(dashboard.status, 200, "{}", dashboard.text());
    let dashboard = dashboard.json();
    let stats = api.get("/api/v1/stats/service", Auth::Bearer(&leader)).await.json();
    assert_eq!(dashboard["stats"], stats, "the same metrics, computed once");
    let overdue = metric(&stats, "overdue_open");
    assert_eq!(overdue["numerator"], 1, "{overdue}");
    assert_eq!(sum(&dashboard["divisions"], "overdue"), 1);
    assert_eq!(sum(&dashboard["divisions"], "open"), overdue["denominator"].as_i64().expect("open"));
    assert_eq!(sum(&dashboard["months"], "submitted"), 3);
    assert_eq!(sum(&dashboard["months"], "closed"), 1);
    assert_eq!(dashboard["months"].as_array().map(Vec::len), Some(7), "January to July 2021");
    assert_eq!(dashboard["divisions"][0]["code"], "511700", "{dashboard}");

    // The page shows those numbers, charts drawn on the server.
    let (session, _) = api.cookie_login("leader", STAFF_PASSWORD).await;
    let html = api.get("/dashboard", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(html.status, 200, "{}", html.text());
    let html = html.text();
    for key in ["promise_compression", "instant_share_items", "full_online_rate", "on_time_rate", "overdue_open"] {
        let m = metric(&stats, key);
        let row = format!(
            "<td class=\"value\">{}</td><td class=\"numerator\">{}</td><td class=\"denominator\">{}</td>",
            m["display"].as_str().expect("display"),
            m["numerator"],
            m["denominator"]
        );
        assert!(html.contains(&row), "{key}: {row}");
    }
    for d in dashboard["divisions"].as_array().into_iter().flatten() {
        let row = format!(
            "<tr id=\"division-{}\"><th scope=\"row\">{}</th><td class=\"open\">{}</td><td class=\"due-soon\">{}</td><td class=\"overdue\">{}</td></tr>",
            d["code"].as_str().expect("code"),
            d["name"].as_str().expect("name"),
            d["open"],
            d["due_soon"],
            d["overdue"]
        );
        assert!(html.contains(&row), "{row}");
    }
    assert!(html.matches("<svg ").count() >= 4, "the charts");
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=\"/static/htmx.min.js\" defer></script>").count(),
        "no script but htmx, from the site itself"
    );
});

on_both!(the_dashboard_is_for_those_who_read_statistics, |db| async move {
    let api = Api::new(db).await;
    api.t.staff("someone", "citizen", "511702001").await;
    let token = api.token("someone", STAFF_PASSWORD).await;
    api.get("/api/v1/stats/dashboard", Auth::Bearer(&token)).await.assert_error(403, "forbidden");
    let (session, _) = api.cookie_login("someone", STAFF_PASSWORD).await;
    let page = api.get("/dashboard", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 403);
    assert!(page.text().contains("<h1>无权访问</h1>"));
    let bad = api.get("/api/v1/stats/dashboard?from=2021-13-01", Auth::Bearer(&token)).await;
    bad.assert_error(400, "invalid_query");
});
