//! The 12345 hotline over HTTP: the platform's inbound call (idempotent on its number, every
//! field refused in Chinese with its code), the acts to the call-back, the figures and the
//! export back to the platform, and the pages of a ticket. On both backends.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{Api, Auth};

fn ticket(number: &str) -> serde_json::Value {
    json!({
        "platform_number": number,
        "kind": "consultation",
        "caller_name": "刘女士",
        "caller_phone": "13912345678",
        "subject": "婚姻登记预约",
        "content": "询问婚姻登记是否需要预约",
        "division": "511702",
        "received_at": "2021-06-01T08:00:00+08:00",
    })
}

async fn the_platform_sends_a_ticket_and_gets_the_reply_back(db: test_support::Db) {
    let api = Api::new(db).await;
    let platform = api.staff_token("platform", "clerk", "511700").await;
    let unit = api.staff_token("unit702", "clerk", "511702").await;

    // Each field refused in Chinese, with its code and field.
    let bad = api
        .post(
            "/api/v1/hotline/tickets",
            Auth::Bearer(&platform),
            json!({"kind": "x", "caller_name": "", "caller_phone": "1",
            "subject": "s", "content": "c", "division": "511702", "received_at": "昨天"}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    let text = bad.text();
    assert!(text.contains("caller_phone") && text.contains("received_at") && text.contains("请选择工单类型"), "{text}");
    let unknown =
        api.post("/api/v1/hotline/tickets", Auth::Bearer(&platform), json!({"kind": "consultation", "extra": 1})).await;
    unknown.assert_error(400, "invalid_body");

    let first = api.post("/api/v1/hotline/tickets", Auth::Bearer(&platform), ticket("SC-0001")).await;
    assert_eq!(first.status, 201, "{}", first.text());
    let body = first.json();
    let id = body["ticket"]["id"].as_i64().expect("id");
    assert_eq!(body["ticket"]["caller_phone"], "139****5678");
    assert_eq!(body["ticket"]["due"], "2021-06-04", "3 working days");
    let again = api.post("/api/v1/hotline/tickets", Auth::Bearer(&platform), ticket("SC-0001")).await;
    assert_eq!((again.status.as_u16(), again.json()["created"].clone()), (200, json!(false)));
    assert_eq!(again.json()["ticket"]["id"], id);

    let path = format!("/api/v1/hotline/tickets/{id}/acts");
    let dispatched = api
        .post(&path, Auth::Bearer(&platform), json!({"kind": "dispatch", "unit": "511702", "expected_acts": 0}))
        .await;
    assert_eq!(dispatched.status, 201, "{}", dispatched.text());
    let stale = api
        .post(&path, Auth::Bearer(&platform), json!({"kind": "dispatch", "unit": "511702", "expected_acts": 0}))
        .await;
    stale.assert_error(409, "hotline_conflict");
    let early = api.post(&path, Auth::Bearer(&unit), json!({"kind": "reply", "text": "答复"})).await;
    early.assert_error(422, "hotline_wrong_stage");
    for body in [json!({"kind": "sign"}), json!({"kind": "reply", "text": "需要预约，可在网上预约"})] {
        let reply = api.post(&path, Auth::Bearer(&unit), body).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
    }
    // The unit does not call back: the bureau does.
    let callback = api.post(&path, Auth::Bearer(&platform), json!({"kind": "callback", "yes": true})).await;
    assert_eq!(callback.json()["stage"], "closed", "{}", callback.text());

    let export = api.get("/api/v1/hotline/export?year=2021", Auth::Bearer(&platform)).await.json();
    assert_eq!(export["items"][0]["platform_number"], "SC-0001");
    assert_eq!(export["items"][0]["satisfied"], true);
    let stats = api.get("/api/v1/hotline/stats?year=2021", Auth::Bearer(&platform)).await.json();
    assert_eq!(
        (stats["received"].clone(), stats["on_time_rate"].clone(), stats["callback_rate"].clone()),
        (json!(1), json!(100.0), json!(100.0))
    );
    // The unit's own list holds the ticket dispatched to it.
    let list = api.get("/api/v1/hotline/tickets?year=2021", Auth::Bearer(&unit)).await.json();
    assert_eq!(list["items"][0]["id"], id);

    // The pages: the queue and the ticket, the number masked.
    let (cookie, _) = api.cookie_login("platform", crate::helpers::STAFF_PASSWORD).await;
    let page = api.get("/hotline?year=2021", Auth::Cookie { session: &cookie, csrf: None }).await;
    assert!(page.text().contains("婚姻登记预约") && page.text().contains("按时办结率"), "{}", page.text());
    let page = api.get(&format!("/hotline/tickets/{id}"), Auth::Cookie { session: &cookie, csrf: None }).await.text();
    assert!(page.contains("139****5678") && !page.contains("13912345678") && page.contains("回访：满意"), "{page}");
}
on_both!(hotline_over_http, the_platform_sends_a_ticket_and_gets_the_reply_back);
