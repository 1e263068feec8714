//! 行政执法 over HTTP: the register, 立案 of a case against a social organization, the acts up to
//! the decision and its publication, the refusals with their article (and their `field`), and the
//! public 事前/事后公示, where a person party is masked; the 听证笔录's signature or refusal. On
//! both backends.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use test_support::{on_both, Db};

use crate::helpers::{id_number, Api, Auth};

const COUNTY: &str = "511702";

fn officer(no: &str, name: &str, lawyer: bool) -> Value {
    json!({"division": COUNTY, "name": name, "certificate_no": no, "area": "通川区", "issued_by": "四川省人民政府",
           "valid_from": "2019-01-01", "valid_until": "2023-12-31", "training_hours": "60",
           "legal_qualification": lawyer, "duties": "社会组织执法监察"})
}

fn filing(party: Value, officers: &[i64]) -> Value {
    let mut body = json!({"division": COUNTY, "violation": "未按规定参加年度检查", "act_ended_on": "2021-05-20",
                          "officers": officers});
    let key = if party.get("credit_code").is_some() { "organization" } else { "person" };
    body[key] = party;
    body
}

async fn act(api: &Api, token: &str, id: i64, mut body: Value) -> Value {
    let case = api.get(&format!("/api/v1/enforcement/cases/{id}"), Auth::Bearer(token)).await.json();
    body["expected_revision"] = case["revision"].clone();
    let reply = api.post(&format!("/api/v1/enforcement/cases/{id}/acts"), Auth::Bearer(token), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()
}

async fn a_case_from_filing_to_publication_over_http(db: Db) {
    let api = Api::new(db).await;
    let leader = api.staff_token("enf-leader", "leader", COUNTY).await;
    let officer_token = api.staff_token("enf-officer", "enforcement_officer", COUNTY).await;
    let decider = api.staff_token("enf-decider", "decider", COUNTY).await;
    let mut ids = Vec::new();
    for (no, name) in [("T-001", "王执法"), ("T-002", "李执法")] {
        let reply = api.post("/api/v1/enforcement/officers", Auth::Bearer(&leader), officer(no, name, false)).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        ids.push(reply.json()["items"][0]["id"].as_i64().expect("id"));
    }
    let dup = api.post("/api/v1/enforcement/officers", Auth::Bearer(&leader), officer("T-001", "重复", false)).await;
    dup.assert_error(409, "certificate_taken");

    // A body with an unknown field, and a filing with one officer: refused with the field named.
    let mut bad = filing(
        json!({"name": "达州市青年志愿者协会", "credit_code": "515117025041234500", "division": COUNTY}),
        &ids[..1],
    );
    let reply = api.post("/api/v1/enforcement/cases", Auth::Bearer(&officer_token), bad.clone()).await;
    reply.assert_error(422, "two_officers");
    assert!(reply.json()["message"].as_str().unwrap_or_default().contains("第四十二条"), "{}", reply.text());
    bad["officers"] = json!(ids);
    bad["extra"] = json!(1);
    assert_eq!(
        api.post("/api/v1/enforcement/cases", Auth::Bearer(&officer_token), bad).await.status,
        400,
        "an unknown field"
    );

    let org = json!({"name": "达州市青年志愿者协会", "credit_code": "515117025041234500", "division": COUNTY});
    let reply = api.post("/api/v1/enforcement/cases", Auth::Bearer(&officer_token), filing(org, &ids)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let case = reply.json();
    let id = case["id"].as_i64().expect("id");
    assert_eq!(case["stage"], "investigating");
    assert_eq!(case["deadlines"]["decision_due"], "2021-08-30");

    act(
        &api,
        &officer_token,
        id,
        json!({"kind": "record", "on": "2021-06-01", "officers": ids, "on_site": true, "title": "现场检查笔录"}),
    )
    .await;
    act(
        &api,
        &officer_token,
        id,
        json!({"kind": "notify", "on": "2021-06-01", "officers": [ids[0]], "penalty": "warning"}),
    )
    .await;
    // A fine is heavier than the warning told: refused with 第四十五条 and the field.
    let case = api.get(&format!("/api/v1/enforcement/cases/{id}"), Auth::Bearer(&decider)).await.json();
    let body = json!({"kind": "decide", "on": "2021-06-01", "penalty": "fine", "amount": "500", "facts": "2020年度未参加年检",
                      "basis": "《社会团体登记管理条例》第三十条", "expected_revision": case["revision"]});
    let reply = api.post(&format!("/api/v1/enforcement/cases/{id}/acts"), Auth::Bearer(&decider), body).await;
    reply.assert_error(422, "penalty_raised");
    assert_eq!(reply.json()["field"], "penalty");
    // The officer cannot decide.
    let body = json!({"kind": "decide", "on": "2021-06-01", "penalty": "warning", "facts": "x", "basis": "y", "expected_revision": 0});
    assert_eq!(
        api.post(&format!("/api/v1/enforcement/cases/{id}/acts"), Auth::Bearer(&officer_token), body).await.status,
        403
    );
    let decided = act(
        &api,
        &decider,
        id,
        json!({"kind": "decide", "on": "2021-06-01", "penalty": "warning",
        "facts": "2020年度未参加年检", "basis": "《社会团体登记管理条例》第三十条"}),
    )
    .await;
    assert_eq!(decided["stage"], "decided");
    assert_eq!(decided["deadlines"]["publication_due"], "2021-06-10");
    act(&api, &officer_token, id, json!({"kind": "publish", "on": "2021-06-01"})).await;

    // A person's case: masked on the public page.
    let person = json!({"name": "张三丰", "id_number": id_number(COUNTY, "19800101", 233), "division": COUNTY});
    let reply = api.post("/api/v1/enforcement/cases", Auth::Bearer(&officer_token), filing(person, &ids)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let pid = reply.json()["id"].as_i64().expect("id");
    assert_eq!(reply.json()["party"], "张**");
    act(
        &api,
        &officer_token,
        pid,
        json!({"kind": "notify", "on": "2021-06-01", "officers": [ids[0]], "penalty": "warning"}),
    )
    .await;
    act(&api, &decider, pid, json!({"kind": "decide", "on": "2021-06-01", "penalty": "warning", "facts": "以未登记组织名义活动", "basis": "《社会团体登记管理条例》第三十二条"})).await;
    act(&api, &officer_token, pid, json!({"kind": "publish", "on": "2021-06-01"})).await;

    let public = api.get(&format!("/api/v1/enforcement/public/{COUNTY}/decisions"), Auth::None).await;
    assert_eq!(public.status, 200, "{}", public.text());
    let parties: Vec<String> = public.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["party"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(parties, ["张**", "达州市青年志愿者协会"]);
    assert!(!public.text().contains("张三丰"));
    let officers = api.get(&format!("/api/v1/enforcement/public/{COUNTY}/officers"), Auth::None).await.json();
    assert_eq!(officers["items"].as_array().map(Vec::len), Some(2));
    // A malformed division code in the path is a malformed request (400), as for every path.
    let malformed = api.get("/api/v1/enforcement/public/12/officers", Auth::None).await;
    assert_eq!(malformed.status, 400, "{}", malformed.text());
    assert_eq!(malformed.json()["field"], "code");
    // The public page: both kinds of 公示, for people.
    let page = api.get(&format!("/enforcement/public/{COUNTY}"), Auth::None).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    for text in [
        "事前公示",
        "王执法",
        "T-001",
        "《社会团体登记管理条例》第三十条",
        "事后公示",
        "达州市青年志愿者协会",
        "张**",
        "警告",
        "2021年6月1日",
    ] {
        assert!(html.contains(text), "{text} in the page");
    }
    for internal in ["张三丰", "enforcement.", "warning", "[unconfirmed]"] {
        assert!(!html.contains(internal), "{internal} on a public page");
    }

    // The figures.
    let stats = api.get("/api/v1/enforcement/stats?year=2021", Auth::Bearer(&leader)).await.json();
    assert_eq!(stats["cases"], 2);
    assert_eq!(stats["decided_in_time"], 2);
    assert_eq!(stats["officers_credentialed"], 2);
    assert_eq!(api.get("/api/v1/enforcement/stats?year=99999", Auth::Bearer(&leader)).await.status, 422);
}
on_both!(a_case_from_filing_to_publication_over_http, a_case_from_filing_to_publication_over_http);

/// 行政处罚法第六十四条第八项: the 听证笔录 records whether the party or his agent signed it after
/// checking it; a refusal is noted by the chair, and the record prints that note.
async fn a_hearing_records_the_partys_signature_or_the_chairs_note_of_a_refusal(db: Db) {
    let api = Api::new(db).await;
    let leader = api.staff_token("enf-leader", "leader", COUNTY).await;
    let officer_token = api.staff_token("enf-officer", "enforcement_officer", COUNTY).await;
    let mut ids = Vec::new();
    for (no, name) in [("T-001", "王执法"), ("T-002", "李执法"), ("T-003", "赵主持")] {
        let reply = api.post("/api/v1/enforcement/officers", Auth::Bearer(&leader), officer(no, name, false)).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        ids.push(reply.json()["items"][0]["id"].as_i64().expect("id"));
    }
    let org = json!({"name": "达州市青年志愿者协会", "credit_code": "515117025041234500", "division": COUNTY});
    let reply = api.post("/api/v1/enforcement/cases", Auth::Bearer(&officer_token), filing(org, &ids[..2])).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let id = reply.json()["id"].as_i64().expect("id");
    let notify = json!({"kind": "notify", "on": "2021-06-01", "officers": [ids[0]], "penalty": "suspension"});
    act(&api, &officer_token, id, notify).await;
    act(&api, &officer_token, id, json!({"kind": "hearing_request", "on": "2021-06-01"})).await;
    let notice = json!({"kind": "hearing_notice", "on": "2021-06-01", "hearing_on": "2021-06-15", "chair": ids[2]});
    act(&api, &officer_token, id, notice).await;
    api.t.clock.set(Utc.with_ymd_and_hms(2021, 6, 15, 1, 0, 0).single().expect("instant")).expect("forward");
    // A fresh sign-in on the day of the hearing (the first token has expired by then).
    let officer_token = api.token("enf-officer", crate::helpers::STAFF_PASSWORD).await;

    let post = |body: Value| {
        let api = &api;
        let token = officer_token.clone();
        async move {
            let case = api.get(&format!("/api/v1/enforcement/cases/{id}"), Auth::Bearer(&token)).await.json();
            let mut body = body;
            body["expected_revision"] = case["revision"].clone();
            api.post(&format!("/api/v1/enforcement/cases/{id}/acts"), Auth::Bearer(&token), body).await
        }
    };
    let summary = "调查人员陈述了违法事实和证据；当事人的代理人对处罚建议提出异议";
    let unsaid = post(json!({"kind": "hearing", "on": "2021-06-15", "summary": summary})).await;
    unsaid.assert_error(422, "record_signature");
    assert_eq!(unsaid.json()["field"], "signature");
    let unnoted =
        post(json!({"kind": "hearing", "on": "2021-06-15", "summary": summary, "signature": "refused"})).await;
    assert_eq!(unnoted.status, 422, "{}", unnoted.text());
    assert_eq!(unnoted.json()["field"], "note");
    let note = "当事人的代理人对处罚建议有异议，拒绝在笔录上签字";
    let heard =
        post(json!({"kind": "hearing", "on": "2021-06-15", "summary": summary, "signature": "refused", "note": note}))
            .await;
    assert_eq!(heard.status, 201, "{}", heard.text());

    let record =
        api.get(&format!("/enforcement/cases/{id}/notices/hearing_record"), Auth::Bearer(&officer_token)).await;
    assert_eq!(record.status, 200, "{}", record.text());
    let html = record.text();
    assert!(html.contains(&format!("拒绝签字或者盖章。听证主持人注明：{note}")), "{html}");
    assert!(html.contains("赵主持") && html.contains(summary), "{html}");
}
on_both!(
    a_hearing_records_the_partys_signature_or_the_chairs_note_of_a_refusal,
    a_hearing_records_the_partys_signature_or_the_chairs_note_of_a_refusal
);
