//! 领导驾驶舱: its metrics are the service metrics' own, its division and month counts add up to
//! them, and the page shows the numbers the API gives.

use chrono::Duration;
use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{application, filing_facts, id_number, Api, Auth, STAFF_PASSWORD};

/// The figures of the dashboard's division table that are links: (href, the number shown).
fn figure_links(html: &str) -> Vec<(String, i64)> {
    html.split("<a href=\"/cases?figure=")
        .skip(1)
        .map(|rest| {
            let (href, after) = rest.split_once('"').expect("the link's end");
            let text = after.split_once('>').and_then(|(_, text)| text.split_once("</a>")).map(|(n, _)| n);
            let number = text.and_then(|n| n.parse().ok()).expect("a number");
            (format!("/cases?figure={}", href.replace("&amp;", "&")), number)
        })
        .collect()
}

/// The case numbers a case list page lists, one a row.
fn listed(html: &str) -> Vec<String> {
    html.split("<tr><td data-label=\"办件编号\"><a href=\"/cases/")
        .skip(1)
        .filter_map(|rest| rest.split_once("\">").and_then(|(_, after)| after.split_once("</a>")))
        .map(|(number, _)| number.to_string())
        .collect()
}

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
    let links = figure_links(&html);
    for d in dashboard["divisions"].as_array().into_iter().flatten() {
        let code = d["code"].as_str().expect("code");
        let row = format!("<tr id=\"division-{code}\"><th scope=\"row\">{}</th>", d["name"].as_str().expect("name"));
        assert!(html.contains(&row), "{row}");
        let figures: Vec<i64> = ["open", "due_soon", "overdue"]
            .iter()
            .map(|figure| {
                let href = format!("/cases?figure={figure}&group={code}&division=");
                links.iter().find(|(h, _)| *h == href).map(|(_, n)| *n).unwrap_or(-1)
            })
            .collect();
        assert_eq!(figures, [&d["open"], &d["due_soon"], &d["overdue"]].map(|v| v.as_i64().unwrap_or(-2)), "{code}");
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

/// An 养老机构备案 at a county's window, by that county's clerk.
async fn filing_in(api: &Api, clerk: &str, county: &str, order: u32) {
    let body = json!({
        "item": "elderly-care-filing",
        "channel": "window",
        "applicant": {"name": "李四", "id_number": id_number(county, "19700101", order), "division": county},
        "accepting_division": county,
        "situation": "for_profit",
        "materials": ["filing_form"],
        "data": {"premises_division": county},
        "facts": filing_facts(county)
    });
    let created = api.post("/api/v1/cases", Auth::Bearer(clerk), body).await;
    assert_eq!(created.status, 201, "{}", created.text());
}

on_both!(every_division_figure_opens_exactly_the_cases_it_counts, |db| async move {
    let api = Api::new(db).await;
    some_cases(&api).await;
    let tongchuan = api.staff_token("clerk702", "clerk", "511702").await;
    let dachuan = api.staff_token("clerk703", "clerk", "511703").await;
    filing_in(&api, &tongchuan, "511702", 1).await;
    for order in 2..=3 {
        filing_in(&api, &dachuan, "511703", order).await;
    }
    api.t.staff("leader702", "leader", "511702").await;
    // The city's leader counts the city's two open cases (one overdue) and the counties' three;
    // 通川区's leader its one, never the city's nor 达川区's.
    for (leader, open, outside) in [("leader", 5, None), ("leader702", 1, Some(["511703-", "511700-"]))] {
        let (session, _) = api.cookie_login(leader, STAFF_PASSWORD).await;
        let auth = Auth::Cookie { session: &session, csrf: None };
        let html = api.get("/dashboard", auth).await;
        assert_eq!(html.status, 200, "{}", html.text());
        let links = figure_links(&html.text());
        let sum = |figure: &str| -> i64 {
            links.iter().filter(|(h, _)| h.starts_with(&format!("/cases?figure={figure}&"))).map(|(_, n)| n).sum()
        };
        assert_eq!(sum("open"), open, "{leader}: {links:?}");
        assert_eq!(sum("overdue"), if leader == "leader" { 1 } else { 0 }, "{leader}: {links:?}");
        for (href, number) in &links {
            let page = api.get(href, auth).await;
            assert_eq!(page.status, 200, "{href}: {}", page.text());
            let page = page.text();
            let numbers = listed(&page);
            assert_eq!(numbers.len() as i64, *number, "{leader} {href}");
            for county in outside.into_iter().flatten() {
                assert!(!numbers.iter().any(|n| n.starts_with(county)), "{leader} {href} lists {numbers:?}");
            }
        }
    }

    // The county's leader asks for the neighbour's figures by hand: refused, or none listed.
    let (session, _) = api.cookie_login("leader702", STAFF_PASSWORD).await;
    let auth = Auth::Cookie { session: &session, csrf: None };
    let other = api.get("/cases?figure=open&group=511703&division=511703", auth).await;
    assert_eq!(other.status, 403);
    let other = api.get("/cases?figure=open&group=511703", auth).await;
    assert_eq!(other.status, 200);
    assert_eq!(listed(&other.text()), Vec::<String>::new());
    let city = api
        .get(
            "/cases?figure=open&group=511703&division=",
            Auth::Cookie { session: &api.cookie_login("leader", STAFF_PASSWORD).await.0, csrf: None },
        )
        .await;
    assert_eq!(listed(&city.text()).len(), 2, "the city's leader sees 达川区's two");
    let bad = api.get("/cases?figure=late&group=511702", auth).await;
    assert_eq!(bad.status, 422);
});
