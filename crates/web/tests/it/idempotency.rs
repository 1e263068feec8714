//! Retrying safely: an act carries the revision it was drawn at and may carry an
//! `Idempotency-Key`; a retry of the same request answers what the first answered and is never
//! applied twice; a key is bound to its account and its request (submissions and acts); a
//! conflict says the case's revision now and its last act (who, what, when).

use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{application, Api, Auth, Reply};

async fn with_key(api: &Api, path: &str, token: &str, key: &str, body: &Value) -> Reply {
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_string()))
        .expect("request");
    api.send(request).await
}

async fn event_acts(api: &Api, id: i64, token: &str) -> Vec<String> {
    let events = api.get(&format!("/api/v1/cases/{id}/events"), Auth::Bearer(token)).await.json();
    events["items"].as_array().expect("items").iter().filter_map(|e| e["act"].as_str().map(str::to_string)).collect()
}

on_both!(a_retried_act_is_answered_once_and_never_applied_twice, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), application(1)).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let path = format!("/api/v1/cases/{id}/actions");

    // Every act carries the revision it was drawn at.
    let without = api.post(&path, Auth::Bearer(&clerk), json!({"action": "accept"})).await;
    without.assert_error(422, "expected_revision_required");
    assert_eq!(without.json()["problems"][0]["field"], "expected_revision", "{}", without.text());

    let body = json!({"action": "accept", "expected_revision": 1});
    let first = with_key(&api, &path, &clerk, "act-accept-0001", &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.json()["revision"], 2);
    let before = api.footprint().await;
    // The answer was lost: the same request again answers the same, and acts no more.
    let retry = with_key(&api, &path, &clerk, "act-accept-0001", &body).await;
    assert_eq!(retry.status, 200, "{}", retry.text());
    assert_eq!(retry.json()["revision"], 2, "the first answer's revision");
    assert_eq!(retry.json()["status"], first.json()["status"]);
    assert_eq!(api.footprint().await, before, "nothing written by a replay");
    assert_eq!(event_acts(&api, id, &clerk).await, ["case.submit", "case.accept"]);

    // Still the first answer after the case moved on.
    let assign = json!({"action": "assign", "account": 1, "expected_revision": 2});
    let _ = api.post(&path, Auth::Bearer(&clerk), assign).await;
    let later = with_key(&api, &path, &clerk, "act-accept-0001", &body).await;
    assert_eq!(later.status, 200, "{}", later.text());
    assert_eq!(later.json()["revision"], 2);

    // The same key with another request, or from another account: refused, nothing written.
    let colleague = api.staff_token("clerk700b", "clerk", "511700").await;
    let before = api.footprint().await;
    let other_body = json!({"action": "accept", "expected_revision": 2});
    with_key(&api, &path, &clerk, "act-accept-0001", &other_body).await.assert_error(422, "idempotency_key_mismatch");
    with_key(&api, &path, &colleague, "act-accept-0001", &body).await.assert_error(409, "idempotency_key_reused");
    assert_eq!(api.footprint().await, before);
});

on_both!(a_conflict_names_the_revision_now_and_the_last_act, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), application(2)).await;
    let id = created.json()["id"].as_i64().expect("id");
    let path = format!("/api/v1/cases/{id}/actions");
    let accepted = api.post(&path, Auth::Bearer(&clerk), json!({"action": "accept", "expected_revision": 1})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());
    // Another clerk drew the case at revision 1 and acts on it.
    let colleague = api.staff_token("clerk700b", "clerk", "511700").await;
    let stale =
        with_key(&api, &path, &colleague, "their-key", &json!({"action": "accept", "expected_revision": 1})).await;
    stale.assert_error(409, "case_conflict");
    let body = stale.json();
    assert_eq!(body["revision"], 2, "{body}");
    assert_eq!(body["last_act"]["name"], "受理", "{body}");
    assert_eq!(body["last_act"]["action"], "accept", "{body}");
    let by = body["last_act"]["by"].as_str().unwrap_or_default();
    assert!(!by.is_empty() && !by.contains("account:") && !by.chars().all(|c| c.is_ascii_digit()), "a name: {body}");
    assert!(body["last_act"]["at"].as_str().is_some_and(|t| t.ends_with("+08:00")), "{body}");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("受理")), "{body}");
    // The refused request did not take its key: the same key with the revision now acts.
    let accepted_again =
        with_key(&api, &path, &colleague, "their-key", &json!({"action": "accept", "expected_revision": 2})).await;
    assert_ne!(accepted_again.status, 200, "accept is not offered twice");
});

on_both!(a_submission_key_is_bound_to_its_account_and_request, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let colleague = api.staff_token("clerk700b", "clerk", "511700").await;
    let first = with_key(&api, "/api/v1/cases", &clerk, "window-key-1", &application(3)).await;
    assert_eq!(first.status, 201, "{}", first.text());
    let id = first.json()["id"].as_i64().expect("id");
    // The same request (keys in another order) replays.
    let same: Value = serde_json::from_str(&application(3).to_string()).expect("json");
    let replay = with_key(&api, "/api/v1/cases", &clerk, "window-key-1", &same).await;
    assert_eq!(replay.status, 200, "{}", replay.text());
    assert_eq!(replay.json()["id"], id);
    let before = api.footprint().await;
    // Another applicant under the same key: refused, not silently the first case.
    with_key(&api, "/api/v1/cases", &clerk, "window-key-1", &application(4))
        .await
        .assert_error(422, "idempotency_key_mismatch");
    // Another clerk of the same county with the same key: refused, not the first clerk's case.
    with_key(&api, "/api/v1/cases", &colleague, "window-key-1", &application(3))
        .await
        .assert_error(409, "idempotency_key_reused");
    assert_eq!(api.footprint().await, before, "nothing written");
});

on_both!(a_case_page_act_sent_twice_acts_once, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let (session, csrf) = api.cookie_login("clerk700", crate::helpers::STAFF_PASSWORD).await;
    let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), application(5)).await;
    let id = created.json()["id"].as_i64().expect("id");
    let page = api.get(&format!("/cases/{id}"), Auth::Cookie { session: &session, csrf: None }).await.text();
    // The accept form: its hidden revision and key.
    let form = page.split("name=\"action\" value=\"accept\"").nth(1).expect("an accept form");
    let hidden = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        form.split_once(&marker).and_then(|(_, rest)| rest.split_once('"')).map(|(v, _)| v.to_string()).expect(name)
    };
    let (revision, key) = (hidden("expected_revision"), hidden("idempotency_key"));
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("action", "accept"),
        ("expected_revision", &revision),
        ("idempotency_key", &key),
    ];
    let first = api.form(&format!("/cases/{id}/act"), Some(&session), &fields).await;
    assert_eq!(first.status, 303, "{}", first.text());
    // The second click: the same answer, not 409, and one 受理 on record.
    let second = api.form(&format!("/cases/{id}/act"), Some(&session), &fields).await;
    assert_eq!(second.status, 303, "{}", second.text());
    assert_eq!(event_acts(&api, id, &clerk).await, ["case.submit", "case.accept"]);
    // Without the revision the page was drawn at, nothing is done.
    let bare = [("csrf_token", csrf.as_str()), ("action", "accept")];
    assert_eq!(api.form(&format!("/cases/{id}/act"), Some(&session), &bare).await.status, 422);
});

// Every write on a case takes the contract of acts, not only `/actions`: the assistance
// application over the API needs the revision it was drawn at (422 naming it), a retry with its
// `Idempotency-Key` is answered as the first and written once, a stale revision is 409 with the
// revision now and the last act.
on_both!(an_assistance_write_takes_the_contract_of_acts, |db| async move {
    use crate::assistance_pages::{minimum_living_case, TOWNSHIP};
    use crate::helpers::id_number;

    let api = Api::new(db).await;
    api.t.clock.set(crate::assistance_pages::morning(2021, 7, 5)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", TOWNSHIP).await;
    let officer = api.staff_token("officer", "township_officer", TOWNSHIP).await;
    let a = api.create_person(&clerk, "张一", &id_number("511702", "19700301", 81), TOWNSHIP).await;
    let a = a["id"].as_i64().expect("id");
    let household = json!({"division": TOWNSHIP, "urban": true, "version": {"valid_from": "2021-01-01",
        "members": [{"person_id": a, "relationship": "applicant"}], "income": [], "assets": []}});
    let household = api.post("/api/v1/assistance/households", Auth::Bearer(&officer), household).await;
    let household = household.json()["id"].as_i64().expect("household");
    let id = minimum_living_case(&api, &clerk, a).await;
    let path = format!("/api/v1/cases/{id}/assistance-application");

    let without = json!({"household_id": household, "program": "minimum_living"});
    let reply = api.post(&path, Auth::Bearer(&officer), without).await;
    reply.assert_error(422, "expected_revision_required");
    assert_eq!(reply.json()["problems"][0]["field"], "expected_revision", "{}", reply.text());

    let rev: i64 = api.revision(id, Auth::Bearer(&officer)).await.parse().expect("revision");
    let body = json!({"household_id": household, "program": "minimum_living", "expected_revision": rev});
    let first = with_key(&api, &path, &officer, "aa-0001", &body).await;
    assert_eq!(first.status, 201, "{}", first.text());
    let before = api.footprint().await;
    let retry = with_key(&api, &path, &officer, "aa-0001", &body).await;
    assert_eq!(retry.status, 201, "{}", retry.text());
    assert_eq!(retry.json(), first.json(), "the first answer");
    assert_eq!(api.footprint().await, before, "nothing written by a replay");
    let written = event_acts(&api, id, &officer).await;
    assert_eq!(written.iter().filter(|a| *a == "assistance.application").count(), 1, "{written:?}");
    assert_eq!(api.revision(id, Auth::Bearer(&officer)).await, (rev + 1).to_string(), "the write moved the case");

    // Accepted since: a 公示 posting drawn at the old revision is a conflict naming the act.
    let accepted = api.act(id, Auth::Bearer(&officer), json!({"action": "accept"})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());
    let posting = json!({"place": "社区公示栏", "posted_at": "2021-07-05 09:00", "expected_revision": rev + 1});
    let stale = api.post(&format!("/api/v1/cases/{id}/assistance-publicity"), Auth::Bearer(&officer), posting).await;
    stale.assert_error(409, "case_conflict");
    let conflict = stale.json();
    assert_eq!(conflict["revision"], rev + 2, "{conflict}");
    assert_eq!(conflict["last_act"]["action"], "accept", "{conflict}");

    // The case page's application form sent twice (its hidden key, the revision it was drawn at):
    // both answered as the first, written once — not 409 `application_exists` for the retry.
    let b = api.create_person(&clerk, "李一", &id_number("511702", "19710301", 83), TOWNSHIP).await;
    let b = b["id"].as_i64().expect("id");
    let other = json!({"division": TOWNSHIP, "urban": true, "version": {"valid_from": "2021-01-01",
        "members": [{"person_id": b, "relationship": "applicant"}], "income": [], "assets": []}});
    let other = api.post("/api/v1/assistance/households", Auth::Bearer(&officer), other).await;
    let other = other.json()["id"].as_i64().expect("household").to_string();
    let second = minimum_living_case(&api, &clerk, b).await;
    let (session, csrf) = crate::helpers::Api::cookie_login(&api, "officer", crate::helpers::STAFF_PASSWORD).await;
    let rev = api.revision(second, Auth::Bearer(&officer)).await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("household_id", other.as_str()),
        ("program", "minimum_living"),
        ("expected_revision", rev.as_str()),
        ("idempotency_key", "page-form-0001-application"),
    ];
    let form = format!("/cases/{second}/assistance-application");
    for _ in 0..2 {
        let sent = api.form(&form, Some(&session), &fields).await;
        assert_eq!(sent.status, 303, "{}", sent.text());
    }
    let written = event_acts(&api, second, &officer).await;
    assert_eq!(written.iter().filter(|a| *a == "assistance.application").count(), 1, "{written:?}");

    // The document says so for every write on a case: the field required, the header, 409.
    let doc = api.get("/api/v1/openapi.json", Auth::None).await.json();
    for (path, schema) in [
        ("/api/v1/cases/{id}/actions", "ActionRequest"),
        ("/api/v1/cases/{id}/assistance-application", "ApplicationRequest"),
        ("/api/v1/cases/{id}/assistance-home-visit", "HomeVisitRequest"),
        ("/api/v1/cases/{id}/assistance-change", "ChangeReviewRequest"),
        ("/api/v1/cases/{id}/assistance-return", "ReturnRequest"),
        ("/api/v1/cases/{id}/assistance-publicity", "PostingRequest"),
    ] {
        let required = &doc["components"]["schemas"][schema]["required"];
        assert!(required.as_array().is_some_and(|r| r.contains(&json!("expected_revision"))), "{schema}: {required}");
        let op = &doc["paths"][path]["post"];
        let params = op["parameters"].as_array().expect("parameters");
        assert!(params.iter().any(|p| p["name"] == "Idempotency-Key"), "{path}");
        assert!(op["responses"]["409"].is_object() && op["responses"]["422"].is_object(), "{path}");
    }
});
