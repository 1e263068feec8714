//! 重大行政决策和规范性文件 over HTTP: a gate refused with its article and the refusal on the
//! record; the register's public list in force on a date (JSON and page), a document gone from
//! it the day after its 有效期至; bad input refused in Chinese naming the field. On both backends.

use chrono::{TimeZone, Utc};
use serde_json::json;
use test_support::{on_both, Db};

use crate::helpers::{Api, Auth};

fn document(number: &str, until: &str) -> serde_json::Value {
    json!({"division": "511702", "number": number, "title": "通川区民政局行政执法全过程记录工作规程",
           "organ": "通川区民政局", "published_on": "2021-03-15", "effective_on": "2021-03-15",
           "valid_until": until, "review_submitted_on": "2021-03-01", "review_opinion_on": "2021-03-05",
           "review_opinion": "经审核，合法", "basis": "中华人民共和国行政处罚法"})
}

async fn gates_and_the_register_over_http(db: Db) {
    let api = Api::new(db).await;
    let clerk = api.staff_token("rm_web_clerk", "clerk", "511702").await;
    let made = api
        .post(
            "/api/v1/rule-making/decisions",
            Auth::Bearer(&clerk),
            json!({"division": "511702", "year": "2021", "title": "通川区殡葬设施布局规划", "organ": "通川区民政局", "summary": "规划"}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    let id = made.json()["id"].as_i64().unwrap();
    assert_eq!(made.json()["procedures"].as_array().unwrap().len(), 5);
    // Publication before discussion: 422 with its article, recorded.
    let refused = api
        .post(
            &format!("/api/v1/rule-making/decisions/{id}/steps"),
            Auth::Bearer(&clerk),
            json!({"kind": "published", "on": "2021-06-01", "text": "政府网站", "expected_revision": 0}),
        )
        .await;
    refused.assert_error(422, "not_discussed");
    assert!(refused.json()["message"].as_str().unwrap().contains("第三十二条"), "{}", refused.text());
    let stream = api.t.app.store.stream_events(&format!("rule_decision:{id}")).await.unwrap();
    assert_eq!(stream.last().unwrap().act, "rule_making.decision_refused");
    // A short comment period without its reason names the field and the article.
    let short = api
        .post(
            &format!("/api/v1/rule-making/decisions/{id}/steps"),
            Auth::Bearer(&clerk),
            json!({"kind": "comment_opened", "on": "2021-06-01", "until": "2021-06-10", "expected_revision": 0}),
        )
        .await;
    short.assert_error(422, "comment_period_short");
    assert_eq!(short.json()["field"], "comment_short_reason");
    // An unknown body field and a bad date are refusals, never a 500.
    let unknown =
        api.post(&format!("/api/v1/rule-making/decisions/{id}/steps"), Auth::Bearer(&clerk), json!({"bogus": 1})).await;
    unknown.assert_error(400, "invalid_body");
    let bad = api.get("/api/v1/rule-making/register?on=2021-02-30", Auth::None).await;
    bad.assert_error(422, "bad_date");

    let made = api
        .post("/api/v1/rule-making/documents", Auth::Bearer(&clerk), document("通民发〔2021〕5号", "2021-12-31"))
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    assert_eq!(made.json()["state_name"], "有效");
    let long = api
        .post("/api/v1/rule-making/documents", Auth::Bearer(&clerk), document("通民发〔2021〕6号", "2026-03-15"))
        .await;
    long.assert_error(422, "validity_too_long");
    let numbers = |reply: &crate::helpers::Reply| -> Vec<String> {
        reply.json()["items"].as_array().unwrap().iter().map(|d| d["number"].as_str().unwrap().to_string()).collect()
    };
    let on = api.get("/api/v1/rule-making/register?on=2021-12-31", Auth::None).await;
    assert_eq!(numbers(&on), ["通民发〔2021〕5号"]);
    let after = api.get("/api/v1/rule-making/register?on=2022-01-01", Auth::None).await;
    assert!(numbers(&after).is_empty());
    let page = api.get("/rule-making/register?on=2021-12-31", Auth::None).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("通民发〔2021〕5号") && page.text().contains("2021年12月31日"), "{}", page.text());
    let page = api.get("/rule-making/register?on=2022-01-01", Auth::None).await;
    assert!(!page.text().contains("通民发〔2021〕5号"));
    let page = api.get("/rule-making/register?on=nope", Auth::None).await;
    assert_eq!(page.status, 422);
    assert!(page.text().contains("日期格式"));

    // The clock reaches 2022-01-01: the staff register shows the document lapsed, nobody acting.
    api.t.clock.set(Utc.with_ymd_and_hms(2022, 1, 1, 1, 0, 0).single().unwrap()).unwrap();
    let clerk = api.token("rm_web_clerk", crate::helpers::STAFF_PASSWORD).await;
    let register = api.get("/api/v1/rule-making/documents", Auth::Bearer(&clerk)).await;
    assert_eq!(register.json()["items"][0]["state_name"], "失效");
    let stats = api.get("/api/v1/rule-making/stats?year=2022", Auth::Bearer(&clerk)).await;
    assert_eq!(stats.json()["documents_lapsed"], 1, "{}", stats.text());
}
on_both!(gates_and_the_register_over_http, gates_and_the_register_over_http);
