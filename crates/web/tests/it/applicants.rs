//! An organization applies (法人或者其他组织): through the JSON API and the window form, read the
//! same way; the case, the lists and the page show its name and 统一社会信用代码.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{application, Api, Auth, CHANGE_FACTS, STAFF_PASSWORD};

/// A 社会团体 registered in 通川区 (its code computed by GB 32100-2015).
const CODE: &str = "515117025041234500";

fn organization() -> serde_json::Value {
    json!({
        "kind": "organization",
        "name": "达州市青年志愿者协会",
        "credit_code": CODE,
        "representative": "王五",
        "phone": "13912345678",
        "address": "通川区朝阳路1号",
        "division": "511702"
    })
}

on_both!(an_organization_applies_through_the_api, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511700").await;
    let mut body = application(1);
    body["applicant"] = organization();
    let reply = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let case = reply.json();
    let applicant = &case["applicant"];
    assert_eq!(applicant["kind"], "organization", "{case}");
    assert_eq!(applicant["name"], "达州市青年志愿者协会");
    assert_eq!(applicant["credit_code"], CODE);
    assert!(applicant.get("id_number").is_none() && applicant.get("person_id").is_none(), "{applicant}");
    assert!(applicant["organization_id"].as_i64().is_some(), "{applicant}");
    // The contact phone never leaves whole.
    assert!(!reply.text().contains("13912345678"));

    // The page and the list name the organization with its code.
    let id = case["id"].as_i64().expect("id");
    let (session, _) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let auth = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/cases/{id}"), auth).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains(&format!("达州市青年志愿者协会（统一社会信用代码 {CODE}）")), "{}", page.text());
    let list = api.get("/work", Auth::Cookie { session: &session, csrf: None }).await;
    assert!(list.text().contains("达州市青年志愿者协会"), "{}", list.text());
});

on_both!(the_api_refuses_an_applicant_of_no_kind_or_of_mixed_fields, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk", "clerk", "511700").await;
    let clerk702 = api.staff_token("clerk702", "clerk", "511702").await;
    let before = api.footprint().await;
    let mut body = application(2);
    body["applicant"]["kind"] = json!("company");
    api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await.assert_error(422, "unknown_applicant_kind");
    // An organization with an ID number, a person with a credit code: the shape is wrong.
    let mut body = application(3);
    body["applicant"] = organization();
    body["applicant"]["id_number"] = json!("511702198001010011");
    api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await.assert_error(400, "invalid_body");
    let mut body = application(4);
    body["applicant"]["credit_code"] = json!(CODE);
    api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await.assert_error(400, "invalid_body");
    // A wrong check character: on its field.
    let mut body = application(5);
    body["applicant"] = organization();
    body["applicant"]["credit_code"] = json!("515117025041234501");
    let reply = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    reply.assert_error(422, "uscc_checksum");
    assert_eq!(reply.json()["field"], "applicant.credit_code");
    // 婚姻登记: the applicant is a person.
    let marriage = json!({
        "item": "marriage-registration",
        "channel": "window",
        "applicant": organization(),
        "accepting_division": "511700",
        "situation": "ordinary",
        "materials": ["id_cards", "declaration"],
        "data": {"declaration_signed": true}
    });
    let mut marriage = marriage;
    marriage["accepting_division"] = json!("511702");
    api.post("/api/v1/cases", Auth::Bearer(&clerk702), marriage).await.assert_error(422, "person_applicant_only");
    assert_eq!(api.footprint().await, before, "nothing written");
});

on_both!(the_window_form_takes_an_organization, |db| async move {
    let api = Api::new(db).await;
    let _clerk = api.staff_token("clerk", "clerk", "511700").await;
    let (session, csrf) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let auth = Auth::Cookie { session: &session, csrf: None };
    // The choice is offered where an organization may apply, not for a marriage.
    let form = api.get("/items/social-group-change-registration/apply", auth).await.text();
    assert!(form.contains("法人或者其他组织") && form.contains("name=\"applicant_kind\""), "{form}");
    assert!(form.contains("id=\"id_number\"") && !form.contains("id=\"credit_code\""), "a person's fields first");
    let form = api.get("/items/marriage-registration/apply", Auth::Cookie { session: &session, csrf: None }).await;
    assert!(!form.text().contains("name=\"applicant_kind\""), "{}", form.text());

    let base = [
        ("csrf_token", csrf.as_str()),
        ("idempotency_key", "org-window-1"),
        ("situation", "change_name_scope"),
        ("accepting_division", "511700"),
        ("premises_division", "511700"),
        ("materials", "application"),
        ("materials", "sponsor_approval"),
        ("materials", "meeting_resolution"),
        ("materials", "certificate"),
    ];
    // Choosing the kind shows its fields, keeping what was typed; nothing is submitted.
    let before = api.footprint().await;
    let fields: Vec<(&str, &str)> = base
        .into_iter()
        .chain([("applicant_kind", "organization"), ("shown_kind", "person"), ("name", "达州市青年志愿者协会")])
        .chain(CHANGE_FACTS)
        .collect();
    let page = api.form("/items/social-group-change-registration/apply", Some(&session), &fields).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(
        text.contains("id=\"credit_code\"") && text.contains("住所所在地") && !text.contains("id=\"id_number\""),
        "{text}"
    );
    assert!(text.contains("value=\"达州市青年志愿者协会\""), "what was typed is kept");
    assert_eq!(api.footprint().await, before);

    // A wrong code: the form again, the refusal on its field.
    let org = |code: &'static str| {
        [
            ("applicant_kind", "organization"),
            ("shown_kind", "organization"),
            ("name", "达州市青年志愿者协会"),
            ("credit_code", code),
            ("representative", "王五"),
            ("phone", "13912345678"),
            ("division", "511702"),
        ]
    };
    let fields: Vec<(&str, &str)> = base.into_iter().chain(org("515117025041234501")).chain(CHANGE_FACTS).collect();
    let page = api.form("/items/social-group-change-registration/apply", Some(&session), &fields).await;
    assert_eq!(page.status, 422, "{}", page.text());
    assert!(
        page.text().contains("data-field=\"applicant.credit_code\" data-code=\"uscc_checksum\""),
        "{}",
        page.text()
    );

    let fields: Vec<(&str, &str)> = base.into_iter().chain(org(CODE)).chain(CHANGE_FACTS).collect();
    let page = api.form("/items/social-group-change-registration/apply", Some(&session), &fields).await;
    assert_eq!(page.status, 303, "{}", page.text());
    let to = page.header("location").expect("to the case").to_string();
    let case = api.get(&to, Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(case.contains(&format!("达州市青年志愿者协会（统一社会信用代码 {CODE}）")), "{case}");
});

// Who may apply is the item's (`applicants` in the item file), not its area's: from the
// versions that declare it (2026-12-08), 养老服务补贴 is for the elderly person (老年人权益保障法),
// while 养老机构备案 in the same area is filed by the institution. The window form offers
// 申请人类别 only for the item that accepts an organization; the API refuses the other on
// `applicant.kind`, naming the law, and writes nothing.
on_both!(who_may_apply_is_declared_by_the_item, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 8, 1, 0, 0).unwrap()).expect("forward");
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let (session, _) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let auth = || Auth::Cookie { session: &session, csrf: None };
    let filing = api.get("/items/elderly-care-filing/apply", auth()).await.text();
    assert!(filing.contains("name=\"applicant_kind\""), "{filing}");
    let subsidy = api.get("/items/elderly-care-subsidy/apply", auth()).await;
    assert_eq!(subsidy.status, 200, "{}", subsidy.text());
    assert!(!subsidy.text().contains("name=\"applicant_kind\""), "{}", subsidy.text());

    let before = api.footprint().await;
    let body = json!({
        "item": "elderly-care-subsidy",
        "channel": "window",
        "applicant": organization(),
        "accepting_division": "511702",
        "situation": "advanced_age",
        "materials": ["application", "id_card", "hukou", "assistance_status", "bank_account"],
        "facts": {"economic_status": "minimum_living"}
    });
    let reply = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    reply.assert_error(422, "person_applicant_only");
    let problem = reply.json();
    assert_eq!(problem["field"], "applicant.kind", "{problem}");
    assert!(problem["message"].as_str().is_some_and(|m| m.contains("老年人权益保障法")), "{problem}");
    assert_eq!(api.footprint().await, before, "nothing written");
});
