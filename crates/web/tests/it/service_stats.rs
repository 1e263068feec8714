//! The service metrics over HTTP, computed from case rows created through the store: a change
//! of the records changes the figures; the caller sees only its jurisdiction; bad input is 4xx.

use chrono::NaiveDate;
use domain::audit::EventDraft;
use serde_json::{json, Value};
use service::stats::day_start_ms;
use store::cases::{CaseColumns, NewCase};
use test_support::on_both;

use crate::helpers::{Api, Auth};

/// 10:00 on a Shanghai date, in epoch milliseconds.
fn at(date: &str) -> i64 {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
    day_start_ms(date) + 10 * 3600 * 1000
}

/// A case row as the case service would leave it.
#[derive(Clone)]
struct Row {
    slug: &'static str,
    channel: &'static str,
    accepting: &'static str,
    competent: &'static str,
    cross: &'static str,
    submitted: &'static str,
    accepted: Option<&'static str>,
    closed: Option<&'static str>,
    due: Option<&'static str>,
}

const BASE: Row = Row {
    slug: "minimum-living-allowance",
    channel: "window",
    accepting: "511702001",
    competent: "511702001",
    cross: "none",
    submitted: "2021-06-01",
    accepted: None,
    closed: None,
    due: None,
};

async fn create(api: &Api, row: Row) {
    let status = if row.closed.is_some() { "closed" } else { "in_progress" };
    let columns = CaseColumns {
        item_slug: row.slug.into(),
        item_version: 1,
        status: status.into(),
        step: None,
        accepting_division: row.accepting.into(),
        competent_division: row.competent.into(),
        cross_region: row.cross.into(),
        channel: row.channel.into(),
        applicant_person_id: None,
        submitted_at_ms: at(row.submitted),
        accepted_at_ms: row.accepted.map(at),
        closed_at_ms: row.closed.map(at),
        due_date: row.due.map(str::to_string),
        timer_due_ms: None,
        // The state below is `{}`: no pause ledger.
        pause_count: None,
    };
    let division = row.accepting.to_string();
    let new = NewCase {
        columns,
        number_division: &division,
        number_year: 2021,
        idempotency_key: None,
        idempotency_binding: None,
    };
    api.t
        .app
        .store
        .create_case(
            &new,
            api.t.app.now(),
            |_, _| "{}".to_string(),
            |id, _| vec![EventDraft::new(format!("case:{id}"), "system", "case.test", json!({}))],
        )
        .await
        .expect("create case");
}

fn metric<'a>(stats: &'a Value, key: &str) -> &'a Value {
    stats["metrics"]
        .as_array()
        .and_then(|metrics| metrics.iter().find(|m| m["key"] == key))
        .unwrap_or_else(|| panic!("metric {key} missing: {stats}"))
}

fn fraction(stats: &Value, key: &str) -> (i64, i64) {
    let m = metric(stats, key);
    (m["numerator"].as_i64().unwrap_or(-1), m["denominator"].as_i64().unwrap_or(-1))
}

const JUNE: &str = "/api/v1/stats/service?from=2021-06-01&to=2021-06-30";

on_both!(metrics_are_computed_from_the_records, |db| async move {
    let api = Api::new(db).await;
    let leader = api.staff_token("leader", "leader", "511702").await;
    let leader = Auth::Bearer(&leader);

    let empty = api.get(JUNE, leader).await;
    assert_eq!(empty.status, 200, "{}", empty.text());
    let empty = empty.json();
    assert_eq!((empty["from"].as_str(), empty["to"].as_str()), (Some("2021-06-01"), Some("2021-06-30")));
    assert_eq!(empty["divisions"], json!(["511702"]));
    assert_eq!(fraction(&empty, "online_application_rate"), (0, 0));
    assert_eq!(metric(&empty, "online_application_rate")["value"], Value::Null, "no cases: no figure");
    for m in empty["metrics"].as_array().cloned().unwrap_or_default() {
        assert!(m["definition"].as_str().is_some_and(|d| d.chars().count() > 20), "a definition: {m}");
    }
    let compression = metric(&empty, "promise_compression");
    assert!(compression["definition"].as_str().unwrap_or_default().contains("工作口径（各地政务服务考核的通行算法"));
    assert!(compression["denominator"].as_i64().unwrap_or(0) > 0, "computed from the catalog: {compression}");
    assert_eq!(fraction(&empty, "claim_rate").0, 0);

    // Four cases in 通川区, one elsewhere (not ours), one in July (outside the period).
    create(&api, Row { channel: "online", ..BASE }).await;
    create(&api, Row { cross: "county", competent: "511703001", ..BASE }).await;
    create(&api, Row { accepted: Some("2021-06-02"), closed: Some("2021-06-09"), due: Some("2021-06-10"), ..BASE })
        .await;
    create(
        &api,
        Row {
            accepted: Some("2021-06-02"),
            closed: Some("2021-06-18"),
            due: Some("2021-06-16"),
            channel: "online",
            ..BASE
        },
    )
    .await;
    create(&api, Row { accepting: "511703001", competent: "511703001", channel: "online", ..BASE }).await;
    create(&api, Row { submitted: "2021-07-02", channel: "online", ..BASE }).await;
    // Open and overdue (the clock stands at 2021-06-01): submitted in May, due 05-31.
    create(&api, Row { submitted: "2021-05-20", accepted: Some("2021-05-20"), due: Some("2021-05-31"), ..BASE }).await;

    let stats = api.get(JUNE, leader).await.json();
    assert_eq!(fraction(&stats, "online_application_rate"), (2, 4));
    assert_eq!(metric(&stats, "online_application_rate")["value"], json!(0.5));
    assert_eq!(metric(&stats, "online_application_rate")["display"], "50%");
    assert_eq!(fraction(&stats, "instant_share_cases"), (0, 4), "低保 is a 承诺件");
    assert_eq!(fraction(&stats, "on_time_rate"), (1, 2));
    // 06-02 (Wed) → 06-09: 5 working days; → 06-18: 11 working days (端午: Monday 06-14 off).
    assert_eq!(fraction(&stats, "average_workdays"), (5 + 11, 2));
    assert_eq!(metric(&stats, "average_workdays")["value"], json!(8.0));
    let cross = metric(&stats, "cross_region_cases");
    assert_eq!((cross["numerator"].as_i64(), cross["denominator"].as_i64()), (Some(1), Some(4)));
    assert_eq!(cross["breakdown"][1], json!({"key": "county", "name": "市内跨县通办", "count": 1}));
    assert_eq!(fraction(&stats, "overdue_open"), (1, 4), "open now: three without a due date, the May one overdue");

    // The records change, the figures follow.
    create(&api, Row { channel: "online", ..BASE }).await;
    let admin = api.admin_token().await;
    let claim = json!({"division": "511702", "act": "claim"});
    // An item in force in June (低保 starts 2021-07-01, so its claim would not count).
    let reply = api.post("/api/v1/admin/items/temporary-assistance/publication", Auth::Bearer(&admin), claim).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let after = api.get(JUNE, leader).await.json();
    assert_eq!(fraction(&after, "online_application_rate"), (3, 5));
    assert_eq!(fraction(&after, "claim_rate").0, 1);
    assert_eq!(fraction(&after, "publish_rate").0, 0);
    assert_eq!(fraction(&after, "claim_rate").1, fraction(&after, "instant_share_items").1, "over the items in force");

    // A township's figures: its own cases only.
    let township = api.get(&format!("{JUNE}&division=511702001"), leader).await.json();
    assert_eq!(township["divisions"], json!(["511702001"]));
    assert_eq!(fraction(&township, "online_application_rate"), (3, 5));
    let other = api.get(&format!("{JUNE}&division=511702002"), leader).await.json();
    assert_eq!(fraction(&other, "online_application_rate"), (0, 0));
});

on_both!(metrics_follow_the_callers_grants, |db| async move {
    let api = Api::new(db).await;
    create(&api, Row { channel: "online", ..BASE }).await;
    create(&api, Row { accepting: "511703001", competent: "511703001", ..BASE }).await;
    let dachuan = api.staff_token("dachuan", "clerk", "511703").await;
    let city = api.staff_token("city", "leader", "511700").await;
    let citizen = api.staff_token("citizen", "citizen", "511702").await;
    let (dachuan, city, citizen) = (Auth::Bearer(&dachuan), Auth::Bearer(&city), Auth::Bearer(&citizen));

    let theirs = api.get(JUNE, dachuan).await.json();
    assert_eq!(fraction(&theirs, "online_application_rate"), (0, 1), "only 达川区's case");
    api.get(&format!("{JUNE}&division=511702"), dachuan).await.assert_error(403, "forbidden");
    let all = api.get(JUNE, city).await.json();
    assert_eq!(fraction(&all, "online_application_rate"), (1, 2));
    api.get(JUNE, citizen).await.assert_error(403, "forbidden");
    api.get(JUNE, Auth::None).await.assert_error(401, "unauthorized");
});

on_both!(bad_input_on_the_metrics_endpoint, |db| async move {
    let api = Api::new(db).await;
    let leader = api.staff_token("leader", "leader", "511702").await;
    let leader = Auth::Bearer(&leader);
    let before = api.footprint().await;
    for (uri, field) in [
        ("/api/v1/stats/service?from=2021-02-30", "from"),
        ("/api/v1/stats/service?to=tomorrow", "to"),
        ("/api/v1/stats/service?period=2021", "period"),
    ] {
        let reply = api.get(uri, leader).await;
        reply.assert_error(400, "invalid_query");
        assert_eq!(reply.json()["field"], field);
    }
    api.get("/api/v1/stats/service?from=2021-07-01&to=2021-06-01", leader).await.assert_error(422, "invalid_period");
    api.get("/api/v1/stats/service?division=abc", leader).await.assert_error(422, "unknown_division");
    api.get("/api/v1/stats/service?division=%27%3B%20DROP%20TABLE%20cases%3B%20--", leader)
        .await
        .assert_error(422, "unknown_division");
    let default = api.get("/api/v1/stats/service", leader).await.json();
    assert_eq!((default["from"].as_str(), default["to"].as_str()), (Some("2021-01-01"), Some("2021-06-01")));
    assert_eq!(api.footprint().await, before);
});

on_both!(marriage_statistics_endpoint, |db| async move {
    let api = Api::new(db).await;
    let leader = api.staff_token("leader", "leader", "511700").await;
    let leader = Auth::Bearer(&leader);
    let reply = api.get("/api/v1/stats/marriage?from=2021-01-01&to=2021-12-31", leader).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let stats = reply.json();
    assert_eq!(stats["total"]["total"], 0);
    assert_eq!(stats["rows"], json!([]));
    assert!(stats["definition"].as_str().is_some_and(|d| d.contains("较近的一方")));
    api.get("/api/v1/stats/marriage?from=2021-02-30", leader).await.assert_error(400, "invalid_query");
    api.get("/api/v1/stats/marriage?from=2021-07-01&to=2021-06-01", leader).await.assert_error(422, "invalid_period");
    let citizen = api.staff_token("citizen", "citizen", "511702").await;
    api.get("/api/v1/stats/marriage", Auth::Bearer(&citizen)).await.assert_error(403, "forbidden");
    api.get("/api/v1/stats/marriage", Auth::None).await.assert_error(401, "unauthorized");
});
