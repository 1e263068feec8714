//! No ID number and no phone number ever reaches the logs: every event of every crate is
//! captured at TRACE while persons are created, searched, read in full, and refused with those
//! values in bodies, URLs, paths and logins.

use axum::http::Request;
use serde_json::json;
use test_support::on_both;

use crate::helpers::{self, Api, Auth};

const ID: &str = "511702194001011706";
const PHONE: &str = "13812345678";
/// The request id of one request of the scenario, to find its lines among other tests'.
const MARKER: &str = "0123456789abcdef0123456789abcdef";

async fn scenario(api: &Api) {
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let auth = Auth::Bearer(&clerk);
    let person = json!({"name": "张三", "id_number": ID, "phone": PHONE, "address": "朝阳路1号", "division": "511702"});
    let created = api.post("/api/v1/persons", auth, person.clone()).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let found = api.post("/api/v1/persons/search", auth, json!({"id_number": ID})).await;
    assert_eq!(found.json()["items"][0]["id"], id);
    let full = Request::builder()
        .uri(format!("/api/v1/persons/{id}/full"))
        .header("authorization", format!("Bearer {clerk}"))
        .header("x-request-id", MARKER)
        .body(axum::body::Body::empty())
        .expect("request");
    let full = api.send(full).await;
    assert_eq!(full.json()["id_number"], ID, "the response has it; the logs must not");
    assert_eq!(api.get(&format!("/api/v1/persons/{id}"), auth).await.status, 200);

    // Refusals carrying the numbers.
    api.post("/api/v1/persons", auth, person).await.assert_error(409, "person_exists");
    let bad_division = json!({"name": "张三", "id_number": ID, "phone": PHONE, "division": "999999"});
    api.post("/api/v1/persons", auth, bad_division).await.assert_error(422, "unknown_division");
    let bad_checksum = json!({"name": "张三", "id_number": "511702194001011707", "phone": PHONE, "division": "511702"});
    api.post("/api/v1/persons", auth, bad_checksum).await.assert_error(422, "id_checksum");
    let bad_phone = json!({"name": "张三", "id_number": ID, "phone": format!("{PHONE}9"), "division": "511702"});
    api.post("/api/v1/persons", auth, bad_phone).await.assert_error(422, "invalid_phone");
    let wrong_types =
        json!({"name": "张三", "id_number": 511_702_194_001_011_706_i64, "phone": [PHONE], "division": "511702"});
    api.post("/api/v1/persons", auth, wrong_types).await.assert_error(400, "invalid_body");
    let phone_as_field = json!({"phone": PHONE, ID: PHONE});
    api.post("/api/v1/persons/search", auth, phone_as_field).await.assert_error(400, "invalid_body");
    let malformed = format!("{{\"id_number\": \"{ID}\", \"phone\": \"{PHONE}\"");
    let reply = api.raw("POST", "/api/v1/persons", auth, Some("application/json"), malformed.into_bytes()).await;
    reply.assert_error(400, "malformed_json");
    api.get(&format!("/api/v1/persons?id_number={ID}&phone={PHONE}"), auth).await.assert_error(400, "invalid_query");
    api.get(&format!("/api/v1/persons/{ID}"), auth).await.assert_error(404, "not_found");
    api.get(&format!("/api/v1/persons/{ID}{PHONE}"), auth).await.assert_error(400, "invalid_path");
    api.get(&format!("/api/v1/divisions/{ID}"), Auth::None).await.assert_error(400, "division_invalid_code");
    api.get(&format!("/api/v1/calendar/days/{ID}"), Auth::None).await.assert_error(400, "invalid_path");
    api.get(&format!("/api/v1/no-such-route/{ID}?phone={PHONE}"), auth).await.assert_error(404, "route_not_found");
    api.post("/api/v1/auth/token", Auth::None, json!({"username": ID, "password": PHONE}))
        .await
        .assert_error(401, "bad_credentials");
    let page = api.form("/login", None, &[("username", ID), ("password", PHONE)]).await;
    assert_eq!(page.status, 401);
    let with_id_header = Request::builder()
        .uri("/healthz")
        .header("x-request-id", ID)
        .header("user-agent", PHONE)
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(api.send(with_id_header).await.status, 200);
}

on_both!(no_id_or_phone_number_in_the_logs, |db| async move {
    // The whole test binary logs at TRACE into one buffer (see `helpers::logs`): this checks this
    // scenario's lines and those of every test that ran so far.
    let logs = helpers::logs();
    let api = Api::new(db).await;
    scenario(&api).await;

    let text = logs.text();
    // The capture worked: this scenario's access log line is there, with its matched route.
    let marked: Vec<&str> = text.lines().filter(|l| l.contains(MARKER)).collect();
    assert!(
        marked.iter().any(|l| l.contains("request served") && l.contains("route=/api/v1/persons/{id}/full")),
        "{marked:#?}"
    );
    assert!(marked.iter().any(|l| l.contains("status=200")), "{marked:#?}");
    assert!(text.contains("request refused status=422 code=\"id_checksum\""));
    // Neither number, nor a long piece of one (masked forms keep only the ends).
    for secret in [ID, PHONE, "19400101170", "1381234", "511702194001011707", "138123456789"] {
        assert!(!text.contains(secret), "{secret} leaked into the logs");
    }
});
