//! Cases over HTTP: submission (201, 200 on a replay), acts with their conflicts (409 naming the
//! new state), the deadline and its explanation, jurisdiction, bad input on every case endpoint,
//! and the printable notices with their public verification page.

use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{application, id_number, Api, Auth};

fn actions(id: i64) -> String {
    format!("/api/v1/cases/{id}/actions")
}

on_both!(a_case_over_http_with_its_deadline_explained, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let reviewer = api.staff_token("reviewer700", "reviewer", "511700").await;
    let auth = Auth::Bearer(&clerk);

    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/cases")
        .header("authorization", format!("Bearer {clerk}"))
        .header("content-type", "application/json")
        .header("idempotency-key", "window-3-0001");
    let created = api.send(request.body(axum::body::Body::from(application(1).to_string())).expect("request")).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let case = created.json();
    let id = case["id"].as_i64().expect("id");
    assert!(case["number"].as_str().is_some_and(|n| n.starts_with("511700-2021-")), "{case}");
    assert_eq!(case["status"], "submitted");
    assert_eq!(case["step"], "accept");
    assert_eq!(case["cross_region"], "none");
    assert_eq!(case["applicant"]["name"], "王**");
    let id_text = id_number("511702", "19800101", 1);
    assert!(!created.text().contains(&id_text), "no clear ID number in a case");
    assert_eq!(case["due_date"], Value::Null);
    let allowed: Vec<&str> =
        case["allowed_actions"].as_array().expect("array").iter().filter_map(|a| a["action"].as_str()).collect();
    assert!(allowed.contains(&"accept"), "{allowed:?}");

    // The same key in the body: the same case, 200.
    let mut again = application(1);
    again["idempotency_key"] = json!("window-3-0001");
    let replay = api.post("/api/v1/cases", auth, again).await;
    assert_eq!(replay.status, 200, "{}", replay.text());
    assert_eq!(replay.json()["id"], id);

    let accepted = api.post(&actions(id), auth, json!({"action": "accept", "expected_revision": 1})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());
    let got = api.get(&format!("/api/v1/cases/{id}"), auth).await;
    assert_eq!(got.status, 200);
    let case = got.json();
    assert_eq!(case["due_date"], "2021-06-08");
    assert_eq!(case["provisional"], false);
    assert_eq!(case["warning"], "green");
    let explanation = case["explanation"].as_str().expect("explanation");
    assert!(explanation.starts_with("受理 2021-06-01，受理当日不计；5 个工作日"), "{explanation}");
    assert!(explanation.ends_with("→ 2021-06-08"), "{explanation}");
    assert_eq!(case["step"], "review");
    assert_eq!(case["revision"], 2);
    assert_eq!(case["deadline"]["remaining_workdays"], 5);

    // The reviewer sees it in 待办; the clerk does not.
    let work = api.get("/api/v1/my/work", Auth::Bearer(&reviewer)).await.json();
    assert_eq!(work["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(api.get("/api/v1/my/work", auth).await.json()["items"].as_array().map(Vec::len), Some(0));

    // A stale revision: 409 naming the state now, nothing written.
    let before = api.footprint().await;
    let stale = api
        .post(
            &actions(id),
            Auth::Bearer(&reviewer),
            json!({"action": "review", "verdict": "approve", "expected_revision": 1}),
        )
        .await;
    stale.assert_error(409, "case_conflict");
    assert_eq!(stale.json()["state"], "in_progress");
    assert!(stale.json()["message"].as_str().is_some_and(|m| m.contains("当前状态为“办理中”")), "{}", stale.text());
    assert_eq!(api.footprint().await, before);

    let events = api.get(&format!("/api/v1/cases/{id}/events"), auth).await.json();
    let acts: Vec<&str> = events["items"].as_array().expect("items").iter().filter_map(|e| e["act"].as_str()).collect();
    assert_eq!(acts, ["case.submit", "case.accept"]);
    assert!(events["items"][1]["actor"].as_str().is_some_and(|a| a.ends_with(":clerk700")));

    // Lists and their filters.
    let list =
        api.get("/api/v1/cases?state=in_progress&item=social-group-change-registration&division=511700", auth).await;
    assert_eq!(list.status, 200, "{}", list.text());
    assert_eq!(list.json()["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(api.get("/api/v1/cases?warning=red", auth).await.json()["items"].as_array().map(Vec::len), Some(0));
    api.get("/api/v1/cases?warning=purple", auth).await.assert_error(422, "unknown_warning");
    api.get("/api/v1/cases?state=lost", auth).await.assert_error(422, "unknown_state");
    api.get("/api/v1/cases?item=nope", auth).await.assert_error(422, "unknown_item");
    api.get("/api/v1/cases?limit=0", auth).await.assert_error(422, "invalid_limit");
    api.get("/api/v1/cases?zzz=1", auth).await.assert_error(400, "invalid_query");
});

on_both!(another_countys_case_is_forbidden_and_unlisted, |db| async move {
    let api = Api::new(db).await;
    let dachuan = api.staff_token("clerk703", "clerk", "511703").await;
    let tongchuan = api.staff_token("clerk702", "clerk", "511702").await;
    let body = json!({
        "item": "elderly-care-filing",
        "channel": "window",
        "applicant": {"name": "李四", "id_number": id_number("511703", "19700101", 2), "division": "511703"},
        "accepting_division": "511703",
        "situation": "for_profit",
        "materials": ["filing_form"],
        "data": {"premises_division": "511703"},
        "facts": crate::helpers::filing_facts("511703")
    });
    let created = api.post("/api/v1/cases", Auth::Bearer(&dachuan), body.clone()).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let other = Auth::Bearer(&tongchuan);
    let before = api.footprint().await;
    api.get(&format!("/api/v1/cases/{id}"), other).await.assert_error(403, "forbidden");
    api.get(&format!("/api/v1/cases/{id}/events"), other).await.assert_error(403, "forbidden");
    api.post(&actions(id), other, json!({"action": "accept", "expected_revision": 1}))
        .await
        .assert_error(403, "forbidden");
    let page = api.get(&format!("/cases/{id}/notices/acceptance"), other).await;
    assert_eq!(page.status, 403);
    assert_eq!(api.get("/api/v1/cases", other).await.json()["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(api.get("/api/v1/my/work", other).await.json()["items"].as_array().map(Vec::len), Some(0));
    // Nor may they submit at another county's window.
    api.post("/api/v1/cases", other, body).await.assert_error(403, "forbidden");
    assert_eq!(api.footprint().await, before);
    assert_eq!(
        api.get("/api/v1/cases", Auth::Bearer(&dachuan)).await.json()["items"].as_array().map(Vec::len),
        Some(1)
    );
    // Not signed in.
    api.get(&format!("/api/v1/cases/{id}"), Auth::None).await.assert_error(401, "unauthorized");
});

on_both!(bad_input_on_case_endpoints_is_refused_with_a_code, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let auth = Auth::Bearer(&clerk);
    let created = api.post("/api/v1/cases", auth, application(3)).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let before = api.footprint().await;

    // Submission.
    let with = |field: &str, value: Value| {
        let mut body = application(4);
        body[field] = value;
        body
    };
    let refused = [
        (with("item", json!("no-such-item")), 422, "unknown_item"),
        (with("item", json!(7)), 400, "invalid_body"),
        (with("channel", json!("fax")), 422, "unknown_channel"),
        (with("accepting_division", json!("999999")), 422, "unknown_division"),
        (with("materials", json!("application")), 400, "invalid_body"),
        (with("materials", json!(["forged"])), 422, "unknown_material"),
        (with("situation", json!("nope")), 422, "unknown_situation"),
        (with("data", json!([1])), 400, "invalid_body"),
        (with("data", json!({})), 422, "premises_required"),
        (with("applicant", json!({})), 400, "invalid_body"),
        (with("applicant", json!({"person_id": 1, "name": "x"})), 400, "invalid_body"),
        (with("applicant", json!({"person_id": 99999})), 422, "unknown_person"),
        (with("applicant", json!({"name": "王", "id_number": "123", "division": "511702"})), 422, "id_length"),
    ];
    for (body, status, code) in refused {
        let reply = api.post("/api/v1/cases", auth, body.clone()).await;
        reply.assert_error(status, code);
    }
    let malformed = api.raw("POST", "/api/v1/cases", auth, Some("application/json"), b"{\"item\":".to_vec()).await;
    malformed.assert_error(400, "malformed_json");

    // Acts.
    let path = actions(id);
    let act = |mut body: Value| {
        if body.get("expected_revision").is_none() {
            body["expected_revision"] = json!(1);
        }
        api.post(&path, auth, body)
    };
    act(json!({"action": "approve"})).await.assert_error(422, "unknown_action");
    act(json!({"action": 3})).await.assert_error(400, "invalid_body");
    act(json!({"action": "review", "verdict": "approve"})).await.assert_error(422, "wrong_status");
    act(json!({"action": "accept", "expected_revision": "one"})).await.assert_error(400, "invalid_body");
    act(json!({"action": "accept", "reasons": "x"})).await.assert_error(422, "field_not_applicable");
    act(json!({"action": "notify_missing"})).await.assert_error(422, "missing_field");
    act(json!({"action": "timer_expired"})).await.assert_error(422, "wrong_status");
    act(json!({"action": "submit"})).await.assert_error(422, "wrong_status");
    let refused = act(json!({"action": "refuse_acceptance", "reasons": "  "})).await;
    refused.assert_error(422, "reasons_required");
    assert!(refused.json()["basis"].as_str().is_some_and(|b| b.contains("行政许可法")), "{}", refused.text());
    let raw = api.raw("POST", &actions(id), auth, Some("application/json"), b"{\"action\"".to_vec()).await;
    raw.assert_error(400, "malformed_json");
    api.post("/api/v1/cases/999999/actions", auth, json!({"action": "accept", "expected_revision": 1}))
        .await
        .assert_error(404, "case_not_found");
    api.get("/api/v1/cases/999999", auth).await.assert_error(404, "case_not_found");
    api.get("/api/v1/cases/abc", auth).await.assert_error(400, "invalid_path");
    assert_eq!(api.footprint().await, before, "nothing written by a refusal");
    assert_eq!(api.get(&format!("/api/v1/cases/{id}"), auth).await.json()["revision"], 1);

    // A closed case takes nothing more.
    let closed = act(json!({"action": "refuse_acceptance", "reasons": "不属于本机关登记范围"})).await;
    assert_eq!(closed.status, 200, "{}", closed.text());
    act(json!({"action": "accept", "expected_revision": 2})).await.assert_error(422, "case_closed");
});

on_both!(notices_print_with_a_verifiable_qr_code, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let reviewer = api.staff_token("reviewer700", "reviewer", "511700").await;
    let decider = api.staff_token("decider700", "decider", "511700").await;
    let auth = Auth::Bearer(&clerk);
    let mut body = application(5);
    body["materials"] = json!(["application", "sponsor_approval"]);
    let case = api.post("/api/v1/cases", auth, body).await.json();
    let id = case["id"].as_i64().expect("id");
    let number = case["number"].as_str().expect("number").to_string();

    let none_yet = api.get(&format!("/cases/{id}/notices/acceptance"), auth).await;
    assert_eq!(none_yet.status, 404);
    assert!(none_yet.header("content-type").is_some_and(|t| t.starts_with("text/html")));
    assert_eq!(api.get(&format!("/cases/{id}/notices/bogus"), auth).await.status, 404);

    let notice =
        api.act(id, auth, json!({"action": "notify_missing", "missing": ["meeting_resolution", "certificate"]})).await;
    assert_eq!(notice.status, 200, "{}", notice.text());
    let missing = api.get(&format!("/cases/{id}/notices/missing"), auth).await;
    assert_eq!(missing.status, 200, "{}", missing.text());
    let html = missing.text();
    assert!(html.contains("一次性告知书") && html.contains(&number), "{html}");
    assert!(html.contains("会员（代表）大会或理事会关于变更事项的决议"), "{html}");
    assert!(html.contains("<svg"), "a QR code");

    api.act(id, auth, json!({"action": "supplement", "materials": ["meeting_resolution", "certificate"]})).await;
    api.act(id, auth, json!({"action": "accept"})).await;
    let acceptance = api.get(&format!("/cases/{id}/notices/acceptance"), auth).await.text();
    assert!(acceptance.contains("受理通知书") && acceptance.contains("王小明"), "{acceptance}");
    api.act(id, Auth::Bearer(&reviewer), json!({"action": "review", "verdict": "approve"})).await;
    let denied = api
        .act(id, Auth::Bearer(&decider), json!({"action": "decide", "grant": false, "reasons": "名称与已登记社团重名", "basis": "《社会团体登记管理条例》第十三条"}))
        .await;
    assert_eq!(denied.status, 200, "{}", denied.text());
    let decision = api.get(&format!("/cases/{id}/notices/decision"), auth).await.text();
    assert!(decision.contains("不予准予决定书") && decision.contains("名称与已登记社团重名"), "{decision}");
    assert!(decision.contains("六十日内") && decision.contains("行政复议法》第二十条"), "{decision}");
    assert!(decision.contains("六个月内") && decision.contains("行政诉讼法》第四十六条"), "{decision}");

    // The public page: only the masked minimum, and only with the right code.
    let check = api.t.app.case_check_code(&number);
    assert_eq!(check.len(), 8);
    assert!(decision.contains(&format!("/verify/case/{number}?c={check}")), "{decision}");
    let public = api.get(&format!("/verify/case/{number}?c={check}"), Auth::None).await;
    assert_eq!(public.status, 200, "{}", public.text());
    let page = public.text();
    assert!(page.contains("王**") && page.contains("社会团体变更登记") && page.contains("不予准予"), "{page}");
    assert!(
        !page.contains("王小明") && !page.contains("13912345678") && !page.contains("名称与已登记社团重名"),
        "{page}"
    );
    let wrong = api.get(&format!("/verify/case/{number}?c=00000000"), Auth::None).await;
    assert_eq!(wrong.status, 404);
    assert_eq!(api.get("/verify/case/511700-2021-999999?c=00000000", Auth::None).await.status, 404);
    // Notices need a signed-in caller.
    assert_eq!(api.get(&format!("/cases/{id}/notices/decision"), Auth::None).await.status, 401);
});

on_both!(a_marriage_certificate_prints_with_a_qr_code_and_verifies_publicly, |db| async move {
    let api = Api::new(db).await;
    let morning = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, 6, 3, 1, 0, 0).single().expect("instant");
    api.t.clock.set(morning).expect("forward: the 2025 条例");
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let auth = Auth::Bearer(&clerk);
    let man = api.create_person(&clerk, "张大明", &id_number("511702", "19900101", 1), "511702").await;
    let woman = api.create_person(&clerk, "李小红", &id_number("511702", "19920202", 2), "511702").await;
    let body = json!({
        "item": "marriage-registration",
        "channel": "window",
        "applicant": {"person_id": man["id"]},
        "accepting_division": "511702",
        "situation": "ordinary",
        "materials": ["id_cards", "declaration"],
        "data": {"other_party": woman["id"], "declaration_signed": true}
    });
    let created = api.post("/api/v1/cases", auth, body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    // Before registration: no certificate.
    assert_eq!(api.get(&format!("/cases/{id}/certificate"), auth).await.status, 404);
    let accepted = api.act(id, auth, json!({"action": "accept"})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());

    let page = api.get(&format!("/cases/{id}/certificate"), auth).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let page = page.text();
    let number = "J511702-2025-000001";
    let check = api.t.app.certificate_check_code(number);
    assert!(page.contains("结婚证") && page.contains(number), "{page}");
    assert!(page.contains(&format!("/verify/certificate/{number}?c={check}")) && page.contains("<svg"), "{page}");
    // The certificate handed to the parties: their data in full (a clerk may read it).
    assert!(page.contains("张大明") && page.contains(&id_number("511702", "19900101", 1)), "in full: {page}");
    assert!(!page.contains("张**"), "not masked: {page}");
    assert_eq!(api.get(&format!("/cases/{id}/certificate"), Auth::None).await.status, 401);

    let public = api.get(&format!("/verify/certificate/{number}?c={check}"), Auth::None).await;
    assert_eq!(public.status, 200, "{}", public.text());
    let public = public.text();
    assert!(public.contains("有效") && public.contains("结婚证"), "{public}");
    assert!(!public.contains("张") && !public.contains("李"), "no party shown: {public}");
    assert_eq!(api.get(&format!("/verify/certificate/{number}?c=00000000"), Auth::None).await.status, 404);
});
