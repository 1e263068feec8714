//! Outcomes declared in the catalog (`[[outcomes]]`), over HTTP: a decision names one (or, as
//! before, only grants or refuses and records the item's default), the case, its page and its
//! notice show the label, a refusal on the spot answers a query 无相关登记信息, a version
//! published before outcomes keeps 准予 / 不予准予, and the period's decided cases are counted
//! by outcome. On both backends.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};
use crate::social_organization::registration;

/// Tuesday 2026-12-08 09:00 in Shanghai: the items' outcome versions are in force (2026-12-07).
fn outcome_era() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 8, 1, 0, 0).single().expect("instant")
}

struct Staff {
    clerk: String,
    reviewer: String,
    decider: String,
}

async fn staff(api: &Api) -> Staff {
    Staff {
        clerk: api.staff_token("clerk700", "clerk", "511700").await,
        reviewer: api.staff_token("reviewer700", "reviewer", "511700").await,
        decider: api.staff_token("decider700", "decider", "511700").await,
    }
}

/// A 社会团体成立登记 accepted and reviewed: at its decision. Returns the case id.
async fn at_decision(api: &Api, s: &Staff, order: u32, name: &str) -> i64 {
    let case = api.post("/api/v1/cases", Auth::Bearer(&s.clerk), registration(order, name)).await;
    assert_eq!(case.status, 201, "{}", case.text());
    let id = case.json()["id"].as_i64().expect("id");
    assert_eq!(api.act(id, Auth::Bearer(&s.clerk), json!({"action": "accept"})).await.status, 200);
    let reviewed = api.act(id, Auth::Bearer(&s.reviewer), json!({"action": "review", "verdict": "approve"})).await;
    assert_eq!(reviewed.status, 200, "{}", reviewed.text());
    id
}

async fn decision(api: &Api, id: i64, token: &str) -> Value {
    api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(token)).await.json()["decision"].clone()
}

on_both!(a_decision_names_a_declared_outcome_or_records_its_sides_default, |db| async move {
    let api = Api::new(db).await;
    let s = staff(&api).await;

    // 2021: the item's first version declares no outcomes: a grant records 准予, as before.
    let old = at_decision(&api, &s, 1, "达州市科普志愿者协会").await;
    let case = api.get(&format!("/api/v1/cases/{old}"), Auth::Bearer(&s.decider)).await.json();
    assert_eq!(case["decide_outcomes"], json!([]), "an item without outcomes offers 准予 and 不予 as before");
    let decided = api.act(old, Auth::Bearer(&s.decider), json!({"action": "decide", "grant": true})).await;
    assert_eq!(decided.status, 200, "{}", decided.text());
    let d = decision(&api, old, &s.decider).await;
    assert_eq!((d["outcome"].as_str(), d["outcome_label"].as_str()), (Some("granted"), Some("准予")));

    api.t.clock.set(outcome_era()).expect("forward");
    // Five years on, the tokens have long expired: the same staff sign in again.
    let s = Staff {
        clerk: api.token("clerk700", STAFF_PASSWORD).await,
        reviewer: api.token("reviewer700", STAFF_PASSWORD).await,
        decider: api.token("decider700", STAFF_PASSWORD).await,
    };
    // The version in force declares its outcomes: the decision offers them by label.
    let named = at_decision(&api, &s, 2, "达州市天文爱好者协会").await;
    let case = api.get(&format!("/api/v1/cases/{named}"), Auth::Bearer(&s.decider)).await.json();
    let offered: Vec<(&str, &str, bool)> = case["decide_outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|o| (o["key"].as_str().unwrap_or(""), o["label"].as_str().unwrap_or(""), o["grants"] == true))
        .collect();
    assert_eq!(offered, [("granted", "准予成立登记", true), ("denied", "不予登记", false)]);
    // Naming both a side and an outcome, or an outcome the item does not have: refused, nothing written.
    let both = json!({"action": "decide", "grant": true, "outcome": "granted"});
    api.act(named, Auth::Bearer(&s.decider), both).await.assert_error(422, "field_not_applicable");
    let unknown = json!({"action": "decide", "outcome": "disclosed"});
    let refused = api.act(named, Auth::Bearer(&s.decider), unknown).await;
    refused.assert_error(422, "unknown_outcome");
    assert!(refused.json()["message"].as_str().is_some_and(|m| m.contains("准予成立登记")), "{}", refused.text());
    assert_eq!(decision(&api, named, &s.decider).await, Value::Null);
    // The outcome named: recorded with its label, the case granted.
    let decided = api.act(named, Auth::Bearer(&s.decider), json!({"action": "decide", "outcome": "granted"})).await;
    assert_eq!(decided.status, 200, "{}", decided.text());
    let d = decision(&api, named, &s.decider).await;
    assert_eq!((d["outcome_label"].as_str(), d["granted"].as_bool()), (Some("准予成立登记"), Some(true)));

    // A plain grant, as every client sends today: the item's default grant.
    let plain = at_decision(&api, &s, 3, "达州市摄影爱好者协会").await;
    assert_eq!(api.act(plain, Auth::Bearer(&s.decider), json!({"action": "decide", "grant": true})).await.status, 200);
    assert_eq!(decision(&api, plain, &s.decider).await["outcome"], "granted");

    // A refusal named by its outcome: its reasons required; its basis the outcome's when not given.
    let denied = at_decision(&api, &s, 4, "达州市重名协会").await;
    let no_reasons = json!({"action": "decide", "outcome": "denied"});
    api.act(denied, Auth::Bearer(&s.decider), no_reasons).await.assert_error(422, "reasons_required");
    let body = json!({"action": "decide", "outcome": "denied", "reasons": "名称与已登记的社会团体相同"});
    let decided = api.act(denied, Auth::Bearer(&s.decider), body).await;
    assert_eq!(decided.status, 200, "{}", decided.text());
    let case = api.get(&format!("/api/v1/cases/{denied}"), Auth::Bearer(&s.decider)).await.json();
    assert_eq!(case["outcome"], "denied");
    assert_eq!(case["decision"]["outcome_label"], "不予登记");
    assert_eq!(case["decision"]["basis"], "《中华人民共和国行政许可法》第三十八条第二款");

    // The case page and the decision notice show the outcome's label.
    let (session, _) = api.cookie_login("decider700", STAFF_PASSWORD).await;
    let page = api.get(&format!("/cases/{denied}"), Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(page.contains("<dt>办理结果</dt><dd class=\"outcome\">不予登记</dd>"), "{page}");
    let notice = api.get(&format!("/cases/{denied}/notices/decision"), Auth::Bearer(&s.decider)).await;
    assert_eq!(notice.status, 200, "{}", notice.text());
    let notice = notice.text();
    assert!(notice.contains("不予登记") && notice.contains("办理结果告知书"), "{notice}");
    assert!(notice.contains("行政复议"), "a refusal tells the remedies: {notice}");

    // The granted cases run to their end (the certificate made, issued, served): closed.
    for id in [old, named, plain] {
        for body in [
            json!({"action": "produce"}),
            json!({"action": "issue"}),
            json!({"action": "deliver", "method": "on_site"}),
        ] {
            let done = api.act(id, Auth::Bearer(&s.clerk), body).await;
            assert_eq!(done.status, 200, "{}", done.text());
        }
    }
    // The period's closed decided cases by outcome: 2026's three of one item (two grants, one
    // refusal).
    let leader = api.staff_token("leader700", "leader", "511700").await;
    let stats = api.get("/api/v1/stats/outcomes?from=2026-12-01&to=2026-12-31", Auth::Bearer(&leader)).await;
    assert_eq!(stats.status, 200, "{}", stats.text());
    let rows: Vec<(String, String, i64)> = stats.json()["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["item"].as_str().unwrap_or("").into(),
                r["label"].as_str().unwrap_or("").into(),
                r["count"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    let item = "social-group-registration".to_string();
    // The 2021 case, decided under the first version, closed now: under that version's 准予.
    assert_eq!(
        rows,
        [
            (item.clone(), "准予".to_string(), 1),
            (item.clone(), "准予成立登记".to_string(), 2),
            (item.clone(), "不予登记".to_string(), 1)
        ]
    );
    // Nothing closed in 2021.
    let year = api.get("/api/v1/stats/outcomes?from=2021-01-01&to=2021-12-31", Auth::Bearer(&leader)).await.json();
    assert_eq!(year["rows"], json!([]));
    // Outside the reader's jurisdiction: refused.
    api.get("/api/v1/stats/outcomes?division=511703", Auth::Bearer(&api.staff_token("l702", "leader", "511702").await))
        .await
        .assert_error(403, "forbidden");
});

on_both!(a_query_is_answered_no_record_on_the_spot, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(outcome_era()).expect("forward");
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let body = json!({
        "item": "social-org-info-query",
        "channel": "window",
        "applicant": {"name": "李查询", "id_number": id_number("511702", "19800101", 7), "division": "511702"},
        "accepting_division": "511700",
        "situation": "public_record",
        "materials": ["id_card"],
        "facts": {"organization_name": "达州市不存在协会", "content": "成立登记信息"}
    });
    let case = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    assert_eq!(case.status, 201, "{}", case.text());
    let id = case.json()["id"].as_i64().expect("id");
    let case = api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(&clerk)).await.json();
    // On the spot only the outcomes that do not grant are offered (a grant is the acceptance).
    let offered: Vec<&str> =
        case["decide_outcomes"].as_array().expect("outcomes").iter().filter_map(|o| o["label"].as_str()).collect();
    assert_eq!(offered, ["无相关登记信息", "不予提供"]);
    let body = json!({"action": "decide", "outcome": "no_record", "reasons": "登记信息中无此名称的社会组织"});
    let decided = api.act(id, Auth::Bearer(&clerk), body).await;
    assert_eq!(decided.status, 200, "{}", decided.text());
    let d = decision(&api, id, &clerk).await;
    assert_eq!((d["outcome"].as_str(), d["outcome_label"].as_str()), (Some("no_record"), Some("无相关登记信息")));
    let notice = api.get(&format!("/cases/{id}/notices/decision"), Auth::Bearer(&clerk)).await.text();
    assert!(notice.contains("经查，本机关社会组织登记信息中没有与申请查询的内容相符的记录。"), "{notice}");
});
