//! 养老机构备案 over HTTP: a complete filing is answered at once with the 备案回执 (its basic
//! conditions and support policies, verified by its QR code) and enters the register; an
//! incomplete one is never refused; changes and inspections refuse bad input in Chinese with the
//! field named; the figures and the public list come from the register.

use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{filing_facts, id_number, Api, Auth};

const COUNTY: &str = "511702";

fn filing(order: u32, materials: &[&str]) -> Value {
    json!({
        "item": "elderly-care-filing",
        "channel": "window",
        "applicant": {"name": "刘备案", "id_number": id_number(COUNTY, "19700101", order), "division": COUNTY},
        "accepting_division": COUNTY,
        "situation": "for_profit",
        "materials": materials,
        "data": {"premises_division": COUNTY},
        "facts": filing_facts(COUNTY)
    })
}

/// The first sheet of a workbook, as text cells.
pub(crate) fn workbook_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

fn actions(id: i64) -> String {
    format!("/api/v1/cases/{id}/actions")
}

on_both!(a_filing_is_answered_with_the_receipt_and_enters_the_register, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", COUNTY).await;
    let me = Auth::Bearer(&clerk);
    let created = api.post("/api/v1/cases", me, filing(1, &["filing_form", "commitment"])).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let accepted = api.post(&actions(id), me, json!({"action": "accept", "expected_revision": 1})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());

    let register = api.get("/api/v1/elderly-care/institutions", me).await.json();
    let line = &register["items"][0];
    assert_eq!((line["name"].as_str(), line["beds"].as_i64()), (Some("幸福养老服务中心"), Some(40)));
    assert_eq!(line["inspection"]["state"], "due");
    assert_eq!(line["inspection"]["due"], "2021-06-30", "20 working days, 端午 not counted");
    let institution = line["id"].as_i64().expect("institution");

    // The receipt: the decision notice in the area's words, with its lists and QR code.
    let (session, _) = api.cookie_login("clerk702", crate::helpers::STAFF_PASSWORD).await;
    let page = Auth::Cookie { session: &session, csrf: None };
    let html = api.get(&format!("/cases/{id}/notices/decision"), page).await.text();
    for text in ["养老机构备案回执", "养老机构基本条件告知", "扶持政策清单", "幸福养老服务中心", "40 张", "<svg"]
    {
        assert!(html.contains(text), "{text}: {html}");
    }
    assert!(!html.contains("准予决定书"), "{html}");
    // Addressed to the institution, not to the agent who brought its filing; a particular the
    // filing left out is not printed as an empty row.
    assert!(html.contains("<p class=\"addressee\">幸福养老服务中心：</p>"), "{html}");
    assert!(!html.contains("刘备案："), "{html}");
    assert!(!html.contains("法定代表人（主要负责人）"), "{html}");

    // A change refused names its field, in Chinese; a good one is a new dated version.
    let path = format!("/api/v1/elderly-care/institutions/{institution}/changes");
    let bad = api
        .post(&path, me, json!({"field": "beds", "value": "很多", "changed_on": "2021-06-01", "expected_revision": 0}))
        .await;
    bad.assert_error(422, "invalid_number");
    assert_eq!(bad.json()["field"], "value");
    let good = json!({"field": "beds", "value": "60", "changed_on": "2021-06-01", "expected_revision": 0});
    let changed = api.post(&path, me, good).await;
    assert_eq!(changed.status, 201, "{}", changed.text());
    let changed = changed.json();
    assert_eq!((changed["beds"].as_i64(), changed["versions"].as_array().map(Vec::len)), (Some(60), Some(2)));
    // The archive says what the filing left out, and its history joins only what was filed.
    let archive = api.get(&format!("/elderly-care/institutions/{institution}"), page).await.text();
    assert!(archive.contains("（未填报）"), "{archive}");
    assert!(archive.contains("幸福养老服务中心；60 张床位；1200 平方米；翠屏街道1号"), "{archive}");
    assert!(!archive.contains("；；"), "{archive}");
    let stale = json!({"field": "beds", "value": "70", "changed_on": "2021-06-01", "expected_revision": 0});
    api.post(&path, me, stale).await.assert_error(409, "elderly_care_conflict");

    let path = format!("/api/v1/elderly-care/institutions/{institution}/inspections");
    let refused =
        api.post(&path, me, json!({"done_on": "2021-06-01", "result": "rectify", "expected_revision": 1})).await;
    refused.assert_error(422, "required");
    assert_eq!(refused.json()["field"], "findings");
    let done =
        api.post(&path, me, json!({"done_on": "2021-06-01", "result": "conforms", "expected_revision": 1})).await;
    assert_eq!(done.status, 201, "{}", done.text());
    assert_eq!(done.json()["inspection"]["state"], "done");

    let stats = api.get("/api/v1/elderly-care/stats?year=2021", me).await.json();
    assert_eq!(
        (stats["institutions"].as_i64(), stats["beds"].as_i64(), stats["filings"].as_i64()),
        (Some(1), Some(60), Some(1))
    );
    assert_eq!(stats["rows"][0]["county_name"], "四川省达州市通川区");

    // The register's workbook: the institution as it stands, its inspection; nothing sideways.
    let xlsx = api.get("/api/v1/elderly-care/register.xlsx", me).await;
    assert_eq!(xlsx.status, 200, "{}", xlsx.text());
    let rows = workbook_rows(&xlsx.body);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!((rows[0][0].as_str(), rows[0][4].as_str()), ("机构名称", "床位数"));
    assert_eq!((rows[1][0].as_str(), rows[1][4].as_str()), ("幸福养老服务中心", "60"));
    assert_eq!(
        (rows[1][7].as_str(), rows[1][10].as_str(), rows[1][11].as_str()),
        ("四川省达州市通川区", "正常运营", "已检查")
    );
    let neighbour = api.staff_token("clerk703", "clerk", "511703").await;
    let theirs = api.get("/api/v1/elderly-care/register.xlsx", Auth::Bearer(&neighbour)).await;
    assert_eq!(workbook_rows(&theirs.body).len(), 1, "the header only");
    let public = api.get("/api/v1/elderly-care/public", Auth::None).await.json();
    assert_eq!(public["items"][0]["beds"], 60);
    let html = api.get("/elderly-care/public", Auth::None).await.text();
    assert!(html.contains("幸福养老服务中心") && html.contains("民办"), "{html}");
});

on_both!(an_incomplete_filing_is_never_refused, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", COUNTY).await;
    let me = Auth::Bearer(&clerk);
    let created = api.post("/api/v1/cases", me, filing(2, &["filing_form"])).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let case = created.json();
    let id = case["id"].as_i64().expect("id");
    let offered: Vec<&str> =
        case["allowed_actions"].as_array().expect("actions").iter().filter_map(|a| a["action"].as_str()).collect();
    assert!(offered.contains(&"notify_missing"), "{offered:?}");
    assert!(!offered.contains(&"refuse_acceptance"), "{offered:?}");
    let refuse = json!({"action": "refuse_acceptance", "reasons": "缺少承诺书", "expected_revision": 1});
    api.post(&actions(id), me, refuse).await.assert_error(422, "refusal_not_provided");
    let notice = json!({"action": "notify_missing", "missing": ["commitment"], "expected_revision": 1});
    let notified = api.post(&actions(id), me, notice).await;
    assert_eq!(notified.status, 200, "{}", notified.text());
    assert!(api.get("/api/v1/elderly-care/institutions", me).await.json()["items"]
        .as_array()
        .is_some_and(Vec::is_empty));
});

// Suspension, closure and resumption (老年人权益保障法第四十六条; 养老机构管理办法): a suspension
// with residents needs the resettlement plan; a short notice is recorded and flagged; a suspended
// institution leaves the public list and comes back when it resumes; an ended one cannot resume;
// the page offers only the acts the status allows and refuses in Chinese.
on_both!(an_institution_suspends_resumes_and_closes, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", COUNTY).await;
    let me = Auth::Bearer(&clerk);
    let created = api.post("/api/v1/cases", me, filing(1, &["filing_form", "commitment"])).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let case = created.json()["id"].as_i64().expect("id");
    let accepted = api.post(&actions(case), me, json!({"action": "accept", "expected_revision": 1})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());
    let register = api.get("/api/v1/elderly-care/institutions", me).await.json();
    let id = register["items"][0]["id"].as_i64().expect("institution");
    let filed_on = register["items"][0]["filed_on"].as_str().expect("filed").to_string();
    let path = format!("/api/v1/elderly-care/institutions/{id}/status");

    // Residents and no plan: refused naming the field; nothing written (the revision unchanged).
    let no_plan = json!({"act": "suspend", "reported_on": filed_on, "effective_on": filed_on, "residents": "12",
                         "reason": "消防改造", "expected_revision": 0});
    let refused = api.post(&path, me, no_plan).await;
    refused.assert_error(422, "placement_required");
    assert_eq!(refused.json()["field"], "placement");
    api.post(
        &path,
        me,
        json!({"act": "resume", "reported_on": filed_on, "effective_on": filed_on, "expected_revision": 0}),
    )
    .await
    .assert_error(422, "status_transition");

    // Reported the same day it stopped: recorded, flagged as a short notice, off the public list.
    let suspend = json!({"act": "suspend", "reported_on": filed_on, "effective_on": filed_on, "residents": "12",
                         "placement": "12人转入通川区社会福利院，费用由本机构承担", "reason": "消防改造",
                         "expected_revision": 0});
    let suspended = api.post(&path, me, suspend).await;
    assert_eq!(suspended.status, 201, "{}", suspended.text());
    let s = suspended.json();
    assert_eq!((s["status"].as_str(), s["revision"].as_i64()), (Some("suspended"), Some(1)));
    assert_eq!(s["status_changes"][0]["short_notice"], true);
    assert_eq!(s["status_changes"][0]["residents"], 12);
    let public = api.get("/api/v1/elderly-care/public", Auth::None).await.json();
    assert_eq!(public["items"].as_array().map(Vec::len), Some(0), "not serving: not listed");
    // A report on a revision since changed: refused, nothing written.
    api.post(
        &path,
        me,
        json!({"act": "resume", "reported_on": filed_on, "effective_on": filed_on, "expected_revision": 0}),
    )
    .await
    .assert_error(409, "elderly_care_conflict");

    // The page: the history with its flag, and only resume or close offered.
    let (session, csrf) = api.cookie_login("clerk702", crate::helpers::STAFF_PASSWORD).await;
    let page =
        api.get(&format!("/elderly-care/institutions/{id}"), Auth::Cookie { session: &session, csrf: None }).await;
    let html = page.text();
    assert!(html.contains("提前告知不足60日") && html.contains("通川区社会福利院"), "{html}");
    assert!(
        html.contains(r#"<option value="resume">恢复服务</option>"#) && !html.contains(r#"<option value="suspend">"#),
        "{html}"
    );
    let bad = api
        .form(
            &format!("/elderly-care/institutions/{id}/status"),
            Some(&session),
            &[
                ("csrf_token", csrf.as_str()),
                ("expected_revision", "1"),
                ("act", "close"),
                ("reported_on", &filed_on),
                ("effective_on", &filed_on),
                ("residents", "3"),
                ("reason", "停业"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("请填写老年人安置方案"), "{}", bad.text());

    // Resumed: serving and listed again; then ended: nothing more.
    let resumed = api
        .post(
            &path,
            me,
            json!({"act": "resume", "reported_on": filed_on, "effective_on": filed_on, "expected_revision": 1}),
        )
        .await;
    assert_eq!(resumed.status, 201, "{}", resumed.text());
    assert_eq!(resumed.json()["status_changes"][1]["short_notice"], false, "a resumption needs no notice");
    let public = api.get("/api/v1/elderly-care/public", Auth::None).await.json();
    assert_eq!(public["items"].as_array().map(Vec::len), Some(1));
    let close = json!({"act": "close", "reported_on": filed_on, "effective_on": filed_on, "residents": "0",
                       "reason": "经营期满", "expected_revision": 2});
    let closed = api.post(&path, me, close).await;
    assert_eq!(closed.status, 201, "{}", closed.text());
    assert_eq!(closed.json()["status_name"], "已终止");
    api.post(
        &path,
        me,
        json!({"act": "resume", "reported_on": filed_on, "effective_on": filed_on, "expected_revision": 3}),
    )
    .await
    .assert_error(422, "status_transition");
});
